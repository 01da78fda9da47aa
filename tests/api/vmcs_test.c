/* SPDX-License-Identifier: MIT */
/* hv_vmx_vcpu_read/write_vmcs and hv_vmx_vcpu_get_cap_write_vmcs over
 * every VMCS field of the fact sheet (section 8.1), classed as
 * docs/compat.md "VMCS access" says; shadow VMCS and the APIC address.
 * Table-driven: one row per field. */
#include <Hypervisor/Hypervisor.h>

#include "helpers.h"

enum cls {
	RW,  /* any in-width value; get_cap = (0, width mask) */
	CTL, /* checked against the capability masks */
	CR0, /* guest CR0: CD and NW clear */
	ACT, /* activity state: ACTIVE or HLT */
	RO,  /* read-only (exit information, TSC offset, APIC access) */
	FW,  /* framework-owned, readable */
	NA,  /* unsupported feature: read and write fail */
};

static const struct field {
	uint32_t enc;
	const char *name;
	enum cls cls;
} fields[] = {
#define F(name, cls) { name, #name, cls }
	F(VMCS_VPID, RW),
	F(VMCS_CTRL_POSTED_INT_N_VECTOR, NA),
	F(VMCS_CTRL_EPTP_INDEX, NA),          /* VMFUNC / #VE */
	F(VMCS_GUEST_ES, RW),
	F(VMCS_GUEST_CS, RW),
	F(VMCS_GUEST_SS, RW),
	F(VMCS_GUEST_DS, RW),
	F(VMCS_GUEST_FS, RW),
	F(VMCS_GUEST_GS, RW),
	F(VMCS_GUEST_LDTR, RW),
	F(VMCS_GUEST_TR, RW),
	F(VMCS_GUEST_INT_STATUS, NA),         /* virtual-interrupt delivery */
	F(VMCS_GUESTPML_INDEX, NA),
	F(VMCS_HOST_ES, FW),
	F(VMCS_HOST_CS, FW),
	F(VMCS_HOST_SS, FW),
	F(VMCS_HOST_DS, FW),
	F(VMCS_HOST_FS, FW),
	F(VMCS_HOST_GS, FW),
	F(VMCS_HOST_TR, FW),
	F(VMCS_CTRL_IO_BITMAP_A, FW),
	F(VMCS_CTRL_IO_BITMAP_B, FW),
	F(VMCS_CTRL_MSR_BITMAPS, FW),
	F(VMCS_CTRL_VMEXIT_MSR_STORE_ADDR, FW),
	F(VMCS_CTRL_VMEXIT_MSR_LOAD_ADDR, FW),
	F(VMCS_CTRL_VMENTRY_MSR_LOAD_ADDR, FW),
	F(VMCS_CTRL_EXECUTIVE_VMCS_PTR, FW),
	F(VMCS_CTRL_PML_ADDR, NA),
	F(VMCS_CTRL_TSC_OFFSET, RO),
	F(VMCS_CTRL_VIRTUAL_APIC, FW),
	F(VMCS_CTRL_APIC_ACCESS, RO),
	F(VMCS_CTRL_POSTED_INT_DESC_ADDR, NA),
	F(VMCS_CTRL_VMFUNC_CTRL, NA),
	F(VMCS_CTRL_EPTP, FW),
	F(VMCS_CTRL_EOI_EXIT_BITMAP_0, NA),
	F(VMCS_CTRL_EOI_EXIT_BITMAP_1, NA),
	F(VMCS_CTRL_EOI_EXIT_BITMAP_2, NA),
	F(VMCS_CTRL_EOI_EXIT_BITMAP_3, NA),
	F(VMCS_CTRL_EPTP_LIST_ADDR, NA),
	F(VMCS_CTRL_VMREAD_BITMAP_ADDR, FW),
	F(VMCS_CTRL_VMWRITE_BITMAP_ADDR, FW),
	F(VMCS_CTRL_VIRT_EXC_INFO_ADDR, NA),  /* #VE */
	F(VMCS_CTRL_XSS_EXITING_BITMAP, NA),
	F(VMCS_CTRL_ENCLS_EXITING_BITMAP, NA),
	F(VMCS_CTRL_SPP_TABLE, NA),
	F(VMCS_CTRL_TSC_MULTIPLIER, NA),
	F(VMCS_CTRL_ENCLV_EXITING_BITMAP, NA),
	F(VMCS_GUEST_PHYSICAL_ADDRESS, RO),
	F(VMCS_GUEST_LINK_POINTER, FW),
	F(VMCS_GUEST_IA32_DEBUGCTL, RW),
	F(VMCS_GUEST_IA32_PAT, RW),
	F(VMCS_GUEST_IA32_EFER, RW),
	F(VMCS_GUEST_IA32_PERF_GLOBAL_CTRL, NA),
	F(VMCS_GUEST_PDPTE0, RW),
	F(VMCS_GUEST_PDPTE1, RW),
	F(VMCS_GUEST_PDPTE2, RW),
	F(VMCS_GUEST_PDPTE3, RW),
	F(VMCS_GUEST_IA32_BNDCFGS, NA),
	F(VMCS_GUEST_IA32_RTIT_CTL, NA),
	F(VMCS_GUEST_IA32_PKRS, NA),
	F(VMCS_HOST_IA32_PAT, FW),
	F(VMCS_HOST_IA32_EFER, FW),
	F(VMCS_HOST_IA32_PERF_GLOBAL_CTRL, NA),
	F(VMCS_HOST_IA32_PKRS, NA),
	F(VMCS_CTRL_PIN_BASED, CTL),
	F(VMCS_CTRL_CPU_BASED, CTL),
	F(VMCS_CTRL_EXC_BITMAP, RW),
	F(VMCS_CTRL_PF_ERROR_MASK, RW),
	F(VMCS_CTRL_PF_ERROR_MATCH, RW),
	F(VMCS_CTRL_CR3_COUNT, RW),
	F(VMCS_CTRL_VMEXIT_CONTROLS, CTL),
	F(VMCS_CTRL_VMEXIT_MSR_STORE_COUNT, FW),
	F(VMCS_CTRL_VMEXIT_MSR_LOAD_COUNT, FW),
	F(VMCS_CTRL_VMENTRY_CONTROLS, CTL),
	F(VMCS_CTRL_VMENTRY_MSR_LOAD_COUNT, FW),
	F(VMCS_CTRL_VMENTRY_IRQ_INFO, RW),
	F(VMCS_CTRL_VMENTRY_EXC_ERROR, RW),
	F(VMCS_CTRL_VMENTRY_INSTR_LEN, RW),
	F(VMCS_CTRL_TPR_THRESHOLD, RW),
	F(VMCS_CTRL_CPU_BASED2, CTL),
	F(VMCS_CTRL_PLE_GAP, RW),
	F(VMCS_CTRL_PLE_WINDOW, RW),
	F(VMCS_RO_INSTR_ERROR, RO),
	F(VMCS_RO_EXIT_REASON, RO),
	F(VMCS_RO_VMEXIT_IRQ_INFO, RO),
	F(VMCS_RO_VMEXIT_IRQ_ERROR, RO),
	F(VMCS_RO_IDT_VECTOR_INFO, RO),
	F(VMCS_RO_IDT_VECTOR_ERROR, RO),
	F(VMCS_RO_VMEXIT_INSTR_LEN, RO),
	F(VMCS_RO_VMX_INSTR_INFO, RO),
	F(VMCS_GUEST_ES_LIMIT, RW),
	F(VMCS_GUEST_CS_LIMIT, RW),
	F(VMCS_GUEST_SS_LIMIT, RW),
	F(VMCS_GUEST_DS_LIMIT, RW),
	F(VMCS_GUEST_FS_LIMIT, RW),
	F(VMCS_GUEST_GS_LIMIT, RW),
	F(VMCS_GUEST_LDTR_LIMIT, RW),
	F(VMCS_GUEST_TR_LIMIT, RW),
	F(VMCS_GUEST_GDTR_LIMIT, RW),
	F(VMCS_GUEST_IDTR_LIMIT, RW),
	F(VMCS_GUEST_ES_AR, RW),
	F(VMCS_GUEST_CS_AR, RW),
	F(VMCS_GUEST_SS_AR, RW),
	F(VMCS_GUEST_DS_AR, RW),
	F(VMCS_GUEST_FS_AR, RW),
	F(VMCS_GUEST_GS_AR, RW),
	F(VMCS_GUEST_LDTR_AR, RW),
	F(VMCS_GUEST_TR_AR, RW),
	F(VMCS_GUEST_INTERRUPTIBILITY, RW),
	F(VMCS_GUEST_IGNORE_IRQ, RW),
	F(VMCS_GUEST_ACTIVITY_STATE, ACT),
	F(VMCS_GUEST_SMBASE, FW),
	F(VMCS_GUEST_IA32_SYSENTER_CS, RW),
	F(VMCS_GUEST_VMX_TIMER_VALUE, RW),
	F(VMCS_HOST_IA32_SYSENTER_CS, FW),
	F(VMCS_CTRL_CR0_MASK, RW),
	F(VMCS_CTRL_CR4_MASK, RW),
	F(VMCS_CTRL_CR0_SHADOW, RW),
	F(VMCS_CTRL_CR4_SHADOW, RW),
	F(VMCS_CTRL_CR3_VALUE0, RW),
	F(VMCS_CTRL_CR3_VALUE1, RW),
	F(VMCS_CTRL_CR3_VALUE2, RW),
	F(VMCS_CTRL_CR3_VALUE3, RW),
	F(VMCS_RO_EXIT_QUALIFIC, RO),
	F(VMCS_RO_IO_RCX, RO),
	F(VMCS_RO_IO_RSI, RO),
	F(VMCS_RO_IO_RDI, RO),
	F(VMCS_RO_IO_RIP, RO),
	F(VMCS_RO_GUEST_LIN_ADDR, RO),
	F(VMCS_GUEST_CR0, CR0),
	F(VMCS_GUEST_CR3, RW),
	F(VMCS_GUEST_CR4, RW),
	F(VMCS_GUEST_ES_BASE, RW),
	F(VMCS_GUEST_CS_BASE, RW),
	F(VMCS_GUEST_SS_BASE, RW),
	F(VMCS_GUEST_DS_BASE, RW),
	F(VMCS_GUEST_FS_BASE, RW),
	F(VMCS_GUEST_GS_BASE, RW),
	F(VMCS_GUEST_LDTR_BASE, RW),
	F(VMCS_GUEST_TR_BASE, RW),
	F(VMCS_GUEST_GDTR_BASE, RW),
	F(VMCS_GUEST_IDTR_BASE, RW),
	F(VMCS_GUEST_DR7, RW),
	F(VMCS_GUEST_RSP, RW),
	F(VMCS_GUEST_RIP, RW),
	F(VMCS_GUEST_RFLAGS, RW),
	F(VMCS_GUEST_DEBUG_EXC, RW),
	F(VMCS_GUEST_SYSENTER_ESP, RW),
	F(VMCS_GUEST_SYSENTER_EIP, RW),
	F(VMCS_GUEST_IA32_S_CET, NA),
	F(VMCS_GUEST_SSP, NA),
	F(VMCS_GUEST_IA32_INTR_SSP_TABLE_ADDR, NA),
	F(VMCS_HOST_CR0, FW),
	F(VMCS_HOST_CR3, FW),
	F(VMCS_HOST_CR4, FW),
	F(VMCS_HOST_FS_BASE, FW),
	F(VMCS_HOST_GS_BASE, FW),
	F(VMCS_HOST_TR_BASE, FW),
	F(VMCS_HOST_GDTR_BASE, FW),
	F(VMCS_HOST_IDTR_BASE, FW),
	F(VMCS_HOST_IA32_SYSENTER_ESP, FW),
	F(VMCS_HOST_IA32_SYSENTER_EIP, FW),
	F(VMCS_HOST_RSP, FW),
	F(VMCS_HOST_RIP, FW),
	F(VMCS_HOST_IA32_S_CET, NA),
	F(VMCS_HOST_SSP, NA),
	F(VMCS_HOST_IA32_INTR_SSP_TABLE_ADDR, NA),
#undef F
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Encodings Apple does not name: refused by every call. */
static const uint32_t unknown[] = {
	0x1,        /* odd: "high" access type of VPID */
	0x3, 0x6, 0x2001, 0x2011, 0x2807, 0x2c01, /* odd "high" halves */
	0x2034,     /* tertiary controls: not in Apple's list */
	0x482c, 0x4830, 0x6c1e, 0x6c20,
	VMCS_MAX, VMCS_INVALID, 0x10000, 0x80000800, 0xffffffffu,
};

static unsigned width(uint32_t enc)
{
	static const unsigned w[4] = { 16, 64, 32, 64 };

	return w[(enc >> 13) & 3];
}

static uint64_t wmask(uint32_t enc)
{
	return width(enc) == 64 ? ~0ull : (1ull << width(enc)) - 1;
}

/* The capability that governs a control field. */
static hv_vmx_capability_t ctl_cap(uint32_t enc)
{
	switch (enc) {
	case VMCS_CTRL_PIN_BASED:
		return HV_VMX_CAP_TRUE_PINBASED;
	case VMCS_CTRL_CPU_BASED:
		return HV_VMX_CAP_TRUE_PROCBASED;
	case VMCS_CTRL_CPU_BASED2:
		return HV_VMX_CAP_PROCBASED2;
	case VMCS_CTRL_VMENTRY_CONTROLS:
		return HV_VMX_CAP_TRUE_ENTRY;
	default:
		return HV_VMX_CAP_TRUE_EXIT;
	}
}

static int n_fail;
#define EXPECT_F(f, want, got)                                          \
	do {                                                            \
		uint64_t w__ = (uint64_t)(want), g__ = (uint64_t)(got); \
		if (w__ != g__) {                                       \
			printf("# %s:\n", (f)->name);                   \
			n_fail++;                                       \
		}                                                       \
		EXPECT_EQ(w__, g__);                                    \
	} while (0)

VM_TEST(read_by_class, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t v = 0xa5a5a5a5a5a5a5a5ull;
		hv_return_t r = hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);

		if (f->cls == NA) {
			EXPECT_F(f, HV_BAD_ARGUMENT, r);
			EXPECT_F(f, 0xa5a5a5a5a5a5a5a5ull, v);
		} else {
			EXPECT_F(f, HV_SUCCESS, r);
			/* The value fits the field. */
			EXPECT_F(f, 0, v & ~wmask(f->enc));
		}
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, NOPTR));
	}
}

/* RW fields: in-width values round-trip, out-of-width ones are refused
 * and leave the old value. */
VM_TEST(write_rw_fields, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t old = 0, v = 0, m = wmask(f->enc);
		static const uint64_t pat[] = { 0, ~0ull, 0x5a5a5a5a5a5a5a5aull,
						0x8000000000000001ull, 0x1 };

		if (f->cls != RW)
			continue;
		ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc,
							    &old));
		for (size_t k = 0; k < sizeof(pat) / sizeof(pat[0]); k++) {
			EXPECT_F(f, HV_SUCCESS, hv_vmx_vcpu_write_vmcs(
							g_vcpu, f->enc,
							pat[k] & m));
			hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
			EXPECT_F(f, pat[k] & m, v);
		}
		if (width(f->enc) < 64) {
			EXPECT_F(f, HV_SUCCESS, hv_vmx_vcpu_write_vmcs(
							g_vcpu, f->enc, 0x3));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
							m + 1));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
							~0ull));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
							1ull << 63));
			hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
			EXPECT_F(f, 0x3, v);
		}
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, old));
	}
}

/* Read-only, framework-owned and unsupported fields refuse every
 * write; the value stays. */
VM_TEST(write_refused_fields, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t old = 0x77, v = 0x77;

		if (f->cls != RO && f->cls != FW && f->cls != NA)
			continue;
		if (f->cls != NA)
			hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &old);
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, 0));
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, old + 1));
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, old));
		if (f->cls != NA) {
			hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
			EXPECT_F(f, old, v);
		}
	}
}

VM_TEST(get_cap_write_vmcs_by_class, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t a0 = 0x77, a1 = 0x77, cap = 0;
		hv_return_t r = hv_vmx_vcpu_get_cap_write_vmcs(g_vcpu, f->enc,
							       &a0, &a1);

		switch (f->cls) {
		case RW:
			EXPECT_F(f, HV_SUCCESS, r);
			EXPECT_F(f, 0, a0);
			EXPECT_F(f, wmask(f->enc), a1);
			break;
		case CTL:
			EXPECT_F(f, HV_SUCCESS, r);
			ASSERT_EQ(HV_SUCCESS, hv_vmx_read_capability(
						      ctl_cap(f->enc), &cap));
			EXPECT_F(f, (uint32_t)cap, a0);
			EXPECT_F(f, cap >> 32, a1);
			break;
		case CR0:
			EXPECT_F(f, HV_SUCCESS, r);
			EXPECT_F(f, 0, a0);
			EXPECT_F(f, ~0x60000000ull, a1);
			break;
		case ACT:
			EXPECT_F(f, HV_SUCCESS, r);
			EXPECT_F(f, 0, a0);
			EXPECT_F(f, 1, a1);
			break;
		default:
			EXPECT_F(f, HV_BAD_ARGUMENT, r);
			EXPECT_F(f, 0x77, a0);
			EXPECT_F(f, 0x77, a1);
			break;
		}
		if (r == HV_SUCCESS) {
			/* (1,0) never happens. */
			EXPECT_F(f, 0, a0 & ~a1);
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_get_cap_write_vmcs(g_vcpu, f->enc,
								NOPTR, &a1));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_get_cap_write_vmcs(g_vcpu, f->enc,
								&a0, NOPTR));
		}
	}
}

/* Controls: every bit against the masks. A must-be-1 bit cleared or a
 * may-not-be-1 bit set is refused and the old value stays; free bits
 * toggle. */
VM_TEST(write_controls_against_masks, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t a0, a1, cur, v;

		if (f->cls != CTL)
			continue;
		ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_get_cap_write_vmcs(
					      g_vcpu, f->enc, &a0, &a1));
		ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc,
							    &cur));
		/* The current value obeys the masks. */
		EXPECT_F(f, a0, cur & a0);
		EXPECT_F(f, 0, cur & ~a1);
		for (unsigned b = 0; b < 64; b++) {
			uint64_t bit = 1ull << b;

			if (a0 & bit) {
				EXPECT_F(f, HV_BAD_ARGUMENT,
					 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
								cur & ~bit));
			} else if (!(a1 & bit)) {
				EXPECT_F(f, HV_BAD_ARGUMENT,
					 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
								cur | bit));
			} else {
				EXPECT_F(f, HV_SUCCESS,
					 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
								cur ^ bit));
				hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
				EXPECT_F(f, cur ^ bit, v);
				EXPECT_F(f, HV_SUCCESS,
					 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc,
								cur));
			}
			hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
			EXPECT_F(f, cur, v);
		}
		/* Everything allowed at once, and the minimum. */
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, a1));
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, a0));
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, 0xffffffff));
		hv_vmx_vcpu_read_vmcs(g_vcpu, f->enc, &v);
		EXPECT_F(f, a0, v);
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_write_vmcs(g_vcpu, f->enc, cur));
	}
}

VM_TEST(write_activity_state, 1)
{
	static const struct {
		uint64_t v;
		hv_return_t r;
	} cases[] = {
		{ 1, HV_SUCCESS },       /* HLT */
		{ 0, HV_SUCCESS },       /* ACTIVE */
		{ 2, HV_BAD_ARGUMENT },  /* shutdown */
		{ 3, HV_BAD_ARGUMENT },  /* wait-for-SIPI */
		{ 4, HV_BAD_ARGUMENT },
		{ 1ull << 32, HV_BAD_ARGUMENT },
	};
	uint64_t v, want = 0;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(cases[i].r,
			  hv_vmx_vcpu_write_vmcs(g_vcpu,
						 VMCS_GUEST_ACTIVITY_STATE,
						 cases[i].v));
		if (cases[i].r == HV_SUCCESS)
			want = cases[i].v;
		ASSERT_EQ(HV_SUCCESS,
			  hv_vmx_vcpu_read_vmcs(g_vcpu,
						VMCS_GUEST_ACTIVITY_STATE, &v));
		EXPECT_EQ(want, v);
	}
}

VM_TEST(unknown_encodings_refused, 1)
{
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		uint32_t e = unknown[i];
		uint64_t v = 0x77, a0 = 0x77, a1 = 0x77;

		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_read_vmcs(g_vcpu, e, &v));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_write_vmcs(g_vcpu, e, 0));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_get_cap_write_vmcs(g_vcpu, e, &a0, &a1));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_read_shadow_vmcs(g_vcpu, e, &v));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_write_shadow_vmcs(g_vcpu, e, 0));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_set_shadow_access(g_vcpu, e,
							HV_SHADOW_VMCS_READ));
		EXPECT_EQ(0x77, v);
		EXPECT_EQ(0x77, a0);
		EXPECT_EQ(0x77, a1);
	}
}

/* The shadow VMCS holds every field our CPU model has, read-only
 * classes included (guest data); it is separate from the VMCS. */
VM_TEST(shadow_vmcs_fields, 1)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		const struct field *f = &fields[i];
		uint64_t v = 0x77, pat = 0x0123456789abcdefull & wmask(f->enc);

		if (f->cls == NA) {
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_read_shadow_vmcs(g_vcpu, f->enc,
							      &v));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_write_shadow_vmcs(g_vcpu, f->enc,
							       0));
			EXPECT_F(f, HV_BAD_ARGUMENT,
				 hv_vmx_vcpu_set_shadow_access(
					 g_vcpu, f->enc, HV_SHADOW_VMCS_READ));
			continue;
		}
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_write_shadow_vmcs(g_vcpu, f->enc, pat));
		EXPECT_F(f, HV_SUCCESS,
			 hv_vmx_vcpu_read_shadow_vmcs(g_vcpu, f->enc, &v));
		EXPECT_F(f, pat, v);
		EXPECT_F(f, HV_BAD_ARGUMENT,
			 hv_vmx_vcpu_read_shadow_vmcs(g_vcpu, f->enc, NOPTR));
	}
}

VM_TEST(shadow_vmcs_separate, 1)
{
	uint64_t v;

	ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_RIP,
						     0x1000));
	ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_shadow_vmcs(
				      g_vcpu, VMCS_GUEST_RIP, 0x2000));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_GUEST_RIP,
						    &v));
	EXPECT_EQ(0x1000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_RIP,
						     0x3000));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_shadow_vmcs(
				      g_vcpu, VMCS_GUEST_RIP, &v));
	EXPECT_EQ(0x2000, v);
	/* Read-only in the VMCS, writable in the shadow. */
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_shadow_vmcs(
				      g_vcpu, VMCS_RO_EXIT_REASON, 12));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu,
						    VMCS_RO_EXIT_REASON, &v));
	EXPECT_NE(12, v);
}

VM_TEST(shadow_access_flags, 1)
{
	static const hv_shadow_flags_t ok[] = {
		HV_SHADOW_VMCS_NONE, HV_SHADOW_VMCS_READ, HV_SHADOW_VMCS_WRITE,
		HV_SHADOW_VMCS_READ | HV_SHADOW_VMCS_WRITE,
	};
	static const hv_shadow_flags_t bad[] = { 4, 8, 1ull << 32, 1ull << 63,
						 ~0ull };

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_shadow_access(
					      g_vcpu, VMCS_GUEST_RIP, ok[i]));
		EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_shadow_access(
					      g_vcpu, VMCS_RO_EXIT_REASON,
					      ok[i]));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_set_shadow_access(g_vcpu, VMCS_GUEST_RIP,
							bad[i]));
}

VM_TEST(apic_address, 1)
{
	uint64_t v = 0;
	hv_vm_space_t s;

	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_apic_address(g_vcpu,
							   0xfee00000));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu,
						    VMCS_CTRL_APIC_ACCESS, &v));
	EXPECT_EQ(0xfee00000, v);
	/* Alignment; the VMCS field itself is read-only. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address(g_vcpu,
								0xfee00010));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address(g_vcpu,
								0xfee00800));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_write_vmcs(
					   g_vcpu, VMCS_CTRL_APIC_ACCESS,
					   0xfec00000));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_EQ(0xfee00000, v);
	/* Unknown spaces. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address_space(
					   g_vcpu, 1, 0xfee00000));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address_space(
					   g_vcpu, 9, 0xfee00000));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address_space(
					   g_vcpu, ~0u, 0xfee00000));
	/* Per space: reflected once the vCPU is on that space. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_apic_address_space(
				      g_vcpu, s, 0xfed00000));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_set_apic_address_space(
					   g_vcpu, s, 0xfed00001));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_EQ(0xfee00000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, s));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_EQ(0xfed00000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_apic_address_space(
				      g_vcpu, HV_VM_SPACE_DEFAULT, 0xfee01000));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_EQ(0xfed00000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, HV_VM_SPACE_DEFAULT));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_EQ(0xfee01000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
}

/* A destroyed space takes its APIC address with it: a new space that
 * reuses the id does not inherit it. */
VM_TEST(apic_address_space_reuse, 1)
{
	uint64_t v = 0;
	hv_vm_space_t s, s2;

	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_apic_address_space(
				      g_vcpu, s, 0xfed00000));
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s2));
	ASSERT_EQ(s, s2);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, s2));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_CTRL_APIC_ACCESS, &v);
	EXPECT_NE(0xfed00000, v);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, HV_VM_SPACE_DEFAULT));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s2));
}

/* VMCS_CTRL_TSC_OFFSET is read-only; hv_vm_sync_tsc sets it. */
VM_TEST(tsc_offset_read_only, 1)
{
	uint64_t a = 0, b = 0;

	ASSERT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu,
						    VMCS_CTRL_TSC_OFFSET, &a));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_write_vmcs(
					   g_vcpu, VMCS_CTRL_TSC_OFFSET, 0));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu,
						    VMCS_CTRL_TSC_OFFSET, &b));
	EXPECT_EQ(a, b);
	EXPECT_EQ(HV_SUCCESS, hv_vm_sync_tsc(1ull << 50));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu,
						    VMCS_CTRL_TSC_OFFSET, &b));
	/* guest TSC = hv_tsc_clock() + offset, about 2^50 now. */
	EXPECT_TRUE(hv_tsc_clock() + b - (1ull << 50) < 2000000000ull);
}
