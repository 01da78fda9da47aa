/* SPDX-License-Identifier: MIT */
/* hv_vcpu_read/write_register: the initial vCPU state, every register's
 * round trip, coherence with the VMCS guest fields in both directions and
 * the register rules of docs/compat.md ("Initial vCPU state",
 * "Registers"). */
#include <Hypervisor/Hypervisor.h>
#include <Hypervisor/hv_openhvf.h>

#include "helpers.h"

#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)

static uint64_t reg(hv_x86_reg_t r)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	if (hv_vcpu_read_register(g_vcpu, r, &v) != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "hv_vcpu_read_register", r,
			  ~0ull);
	return v;
}

static uint64_t vmcs(uint32_t f)
{
	uint64_t v = 0xdeadbeefdeadbeefull;

	if (hv_vmx_vcpu_read_vmcs(g_vcpu, f, &v) != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "hv_vmx_vcpu_read_vmcs", f,
			  ~0ull);
	return v;
}

/* compat.md "Initial vCPU state", registers. */
static const struct {
	hv_x86_reg_t reg;
	uint64_t want;
} init_regs[] = {
	{ HV_X86_RIP, 0xfff0 }, { HV_X86_RFLAGS, 0x2 },
	{ HV_X86_RAX, 0 }, { HV_X86_RCX, 0 }, { HV_X86_RDX, 0 },
	{ HV_X86_RBX, 0 }, { HV_X86_RSI, 0 }, { HV_X86_RDI, 0 },
	{ HV_X86_RSP, 0 }, { HV_X86_RBP, 0 }, { HV_X86_R8, 0 },
	{ HV_X86_R9, 0 }, { HV_X86_R10, 0 }, { HV_X86_R11, 0 },
	{ HV_X86_R12, 0 }, { HV_X86_R13, 0 }, { HV_X86_R14, 0 },
	{ HV_X86_R15, 0 },
	{ HV_X86_CS, 0xf000 }, { HV_X86_SS, 0 }, { HV_X86_DS, 0 },
	{ HV_X86_ES, 0 }, { HV_X86_FS, 0 }, { HV_X86_GS, 0 },
	{ HV_X86_IDT_BASE, 0 }, { HV_X86_IDT_LIMIT, 0xffff },
	{ HV_X86_GDT_BASE, 0 }, { HV_X86_GDT_LIMIT, 0xffff },
	{ HV_X86_LDTR, 0 }, { HV_X86_LDT_BASE, 0 },
	{ HV_X86_LDT_LIMIT, 0xffff }, { HV_X86_LDT_AR, 0x82 },
	{ HV_X86_TR, 0 }, { HV_X86_TSS_BASE, 0 },
	{ HV_X86_TSS_LIMIT, 0xffff }, { HV_X86_TSS_AR, 0x8b },
	{ HV_X86_CR0, 0x30 }, { HV_X86_CR1, 0 }, { HV_X86_CR2, 0 },
	{ HV_X86_CR3, 0 }, { HV_X86_CR4, 0x2000 },
	{ HV_X86_DR0, 0 }, { HV_X86_DR1, 0 }, { HV_X86_DR2, 0 },
	{ HV_X86_DR3, 0 }, { HV_X86_DR4, 0xffff0ff0 }, { HV_X86_DR5, 0x400 },
	{ HV_X86_DR6, 0xffff0ff0 }, { HV_X86_DR7, 0x400 },
	{ HV_X86_XCR0, 1 },
};

/* compat.md "Initial vCPU state", VMCS fields. */
static const struct {
	uint32_t field;
	uint64_t want;
} init_vmcs[] = {
	{ VMCS_GUEST_RIP, 0xfff0 }, { VMCS_GUEST_RFLAGS, 0x2 },
	{ VMCS_GUEST_RSP, 0 },
	{ VMCS_GUEST_CS, 0xf000 }, { VMCS_GUEST_CS_BASE, 0xffff0000 },
	{ VMCS_GUEST_CS_LIMIT, 0xffff }, { VMCS_GUEST_CS_AR, 0x9b },
	{ VMCS_GUEST_ES, 0 }, { VMCS_GUEST_ES_BASE, 0 },
	{ VMCS_GUEST_ES_LIMIT, 0xffff }, { VMCS_GUEST_ES_AR, 0x93 },
	{ VMCS_GUEST_SS, 0 }, { VMCS_GUEST_SS_BASE, 0 },
	{ VMCS_GUEST_SS_LIMIT, 0xffff }, { VMCS_GUEST_SS_AR, 0x93 },
	{ VMCS_GUEST_DS, 0 }, { VMCS_GUEST_DS_BASE, 0 },
	{ VMCS_GUEST_DS_LIMIT, 0xffff }, { VMCS_GUEST_DS_AR, 0x93 },
	{ VMCS_GUEST_FS, 0 }, { VMCS_GUEST_FS_BASE, 0 },
	{ VMCS_GUEST_FS_LIMIT, 0xffff }, { VMCS_GUEST_FS_AR, 0x93 },
	{ VMCS_GUEST_GS, 0 }, { VMCS_GUEST_GS_BASE, 0 },
	{ VMCS_GUEST_GS_LIMIT, 0xffff }, { VMCS_GUEST_GS_AR, 0x93 },
	{ VMCS_GUEST_LDTR, 0 }, { VMCS_GUEST_LDTR_BASE, 0 },
	{ VMCS_GUEST_LDTR_LIMIT, 0xffff }, { VMCS_GUEST_LDTR_AR, 0x82 },
	{ VMCS_GUEST_TR, 0 }, { VMCS_GUEST_TR_BASE, 0 },
	{ VMCS_GUEST_TR_LIMIT, 0xffff }, { VMCS_GUEST_TR_AR, 0x8b },
	{ VMCS_GUEST_GDTR_BASE, 0 }, { VMCS_GUEST_GDTR_LIMIT, 0xffff },
	{ VMCS_GUEST_IDTR_BASE, 0 }, { VMCS_GUEST_IDTR_LIMIT, 0xffff },
	{ VMCS_GUEST_CR0, 0x30 }, { VMCS_GUEST_CR3, 0 },
	{ VMCS_GUEST_CR4, 0x2000 }, { VMCS_GUEST_DR7, 0x400 },
	{ VMCS_CTRL_CR0_MASK, 0 }, { VMCS_CTRL_CR4_MASK, 0 },
	{ VMCS_CTRL_CR0_SHADOW, 0 }, { VMCS_CTRL_CR4_SHADOW, 0 },
	{ VMCS_GUEST_IA32_EFER, 0 },
	{ VMCS_GUEST_IA32_PAT, 0x0007040600070406ull },
};

VM_TEST(initial_registers, 1)
{
	for (size_t i = 0; i < sizeof(init_regs) / sizeof(init_regs[0]); i++) {
		uint64_t v = reg(init_regs[i].reg);

		if (v != init_regs[i].want)
			printf("# register %u\n", (unsigned)init_regs[i].reg);
		EXPECT_EQ(init_regs[i].want, v);
	}
}

VM_TEST(initial_vmcs_fields, 1)
{
	for (size_t i = 0; i < sizeof(init_vmcs) / sizeof(init_vmcs[0]); i++) {
		uint64_t v = vmcs(init_vmcs[i].field);

		if (v != init_vmcs[i].want)
			printf("# field 0x%x\n", init_vmcs[i].field);
		EXPECT_EQ(init_vmcs[i].want, v);
	}
}

/* Controls: the must-be-one bits of the TRUE capabilities (the
 * secondary controls have no TRUE capability). */
VM_TEST(initial_controls, 1)
{
	static const struct {
		uint32_t field;
		hv_vmx_capability_t cap;
	} ctl[] = {
		{ VMCS_CTRL_PIN_BASED, HV_VMX_CAP_TRUE_PINBASED },
		{ VMCS_CTRL_CPU_BASED, HV_VMX_CAP_TRUE_PROCBASED },
		{ VMCS_CTRL_CPU_BASED2, HV_VMX_CAP_PROCBASED2 },
		{ VMCS_CTRL_VMENTRY_CONTROLS, HV_VMX_CAP_TRUE_ENTRY },
		{ VMCS_CTRL_VMEXIT_CONTROLS, HV_VMX_CAP_TRUE_EXIT },
	};
	uint64_t cap, v;

	for (size_t i = 0; i < sizeof(ctl) / sizeof(ctl[0]); i++) {
		ASSERT_EQ(HV_SUCCESS, hv_vmx_read_capability(ctl[i].cap, &cap));
		v = vmcs(ctl[i].field);
		EXPECT_EQ((uint32_t)cap, v);
	}
	v = vmcs(VMCS_CTRL_CPU_BASED2);
	EXPECT_EQ(CPU_BASED2_EPT, v & CPU_BASED2_EPT);
	EXPECT_EQ(CPU_BASED2_UNRESTRICTED, v & CPU_BASED2_UNRESTRICTED);
	v = vmcs(VMCS_CTRL_CPU_BASED);
	EXPECT_EQ(CPU_BASED_TSC_OFFSET, v & CPU_BASED_TSC_OFFSET);
	EXPECT_EQ(CPU_BASED_MSR_BITMAPS, v & CPU_BASED_MSR_BITMAPS);
	EXPECT_EQ(CPU_BASED_UNCOND_IO, v & CPU_BASED_UNCOND_IO);
	EXPECT_EQ(CPU_BASED_SECONDARY_CTLS, v & CPU_BASED_SECONDARY_CTLS);
	v = vmcs(VMCS_CTRL_VMENTRY_CONTROLS);
	EXPECT_EQ(VMENTRY_LOAD_EFER, v & VMENTRY_LOAD_EFER);
	EXPECT_EQ(0, v & VMENTRY_GUEST_IA32E);
	v = vmcs(VMCS_CTRL_VMEXIT_CONTROLS);
	EXPECT_EQ(VMEXIT_SAVE_EFER, v & VMEXIT_SAVE_EFER);
	EXPECT_EQ(VMEXIT_LOAD_EFER, v & VMEXIT_LOAD_EFER);
}

/* EFER 0, guest TSC 0 at creation, FCW 37F, MXCSR 1F80. */
VM_TEST(initial_msrs_tsc_fpu, 1)
{
	uint64_t v = 1;
	uint8_t fp[4096];
	uint16_t fcw;
	uint32_t mxcsr;

	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_msr(g_vcpu, HV_MSR_IA32_EFER, &v));
	EXPECT_EQ(0, v);
	/* Created just now: well under a second of 2 GHz ticks. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_msr(g_vcpu, HV_MSR_IA32_TSC, &v));
	EXPECT_TRUE(v < 2000000000ull);
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, fp, sizeof(fp)));
	memcpy(&fcw, fp, 2);
	memcpy(&mxcsr, fp + 24, 4);
	EXPECT_EQ(0x37f, fcw);
	EXPECT_EQ(0x1f80, mxcsr);
}

/* Registers backed by a VMCS guest field: both directions agree. */
static const struct {
	hv_x86_reg_t reg;
	uint32_t field;
	unsigned width;
	uint64_t a, b;  /* two in-width test values */
} coherent[] = {
	{ HV_X86_RIP, VMCS_GUEST_RIP, 64, 0xffffffff81000000ull, 0x7c00 },
	{ HV_X86_RFLAGS, VMCS_GUEST_RFLAGS, 64, 0x246, 0x3002 },
	{ HV_X86_RSP, VMCS_GUEST_RSP, 64, 0xffff8000deadbee8ull, 0x7000 },
	{ HV_X86_CS, VMCS_GUEST_CS, 16, 0x0010, 0xfffb },
	{ HV_X86_SS, VMCS_GUEST_SS, 16, 0x0018, 0x8001 },
	{ HV_X86_DS, VMCS_GUEST_DS, 16, 0x0020, 0x1234 },
	{ HV_X86_ES, VMCS_GUEST_ES, 16, 0x0028, 0xffff },
	{ HV_X86_FS, VMCS_GUEST_FS, 16, 0x0030, 0x4321 },
	{ HV_X86_GS, VMCS_GUEST_GS, 16, 0x0038, 0x0abc },
	{ HV_X86_IDT_BASE, VMCS_GUEST_IDTR_BASE, 64, 0xfffffe0000000000ull,
	  0x1000 },
	{ HV_X86_IDT_LIMIT, VMCS_GUEST_IDTR_LIMIT, 32, 0xfff, 0xffffffff },
	{ HV_X86_GDT_BASE, VMCS_GUEST_GDTR_BASE, 64, 0xfffffe0000001000ull,
	  0x2000 },
	{ HV_X86_GDT_LIMIT, VMCS_GUEST_GDTR_LIMIT, 32, 0x7f, 0x12345678 },
	{ HV_X86_LDTR, VMCS_GUEST_LDTR, 16, 0x0040, 0xfff8 },
	{ HV_X86_LDT_BASE, VMCS_GUEST_LDTR_BASE, 64, 0x123456789000ull, 0 },
	{ HV_X86_LDT_LIMIT, VMCS_GUEST_LDTR_LIMIT, 32, 0x1ff, 0xfffff },
	{ HV_X86_LDT_AR, VMCS_GUEST_LDTR_AR, 32, 0x10000, 0x82 },
	{ HV_X86_TR, VMCS_GUEST_TR, 16, 0x0048, 0x0050 },
	{ HV_X86_TSS_BASE, VMCS_GUEST_TR_BASE, 64, 0xfffffe0000003000ull,
	  0x500 },
	{ HV_X86_TSS_LIMIT, VMCS_GUEST_TR_LIMIT, 32, 0x67, 0x2067 },
	{ HV_X86_TSS_AR, VMCS_GUEST_TR_AR, 32, 0x8b, 0xa08b },
	{ HV_X86_CR0, VMCS_GUEST_CR0, 64, 0x80050033, 0x31 },
	{ HV_X86_CR3, VMCS_GUEST_CR3, 64, 0x1000, 0x7fff123000ull },
	{ HV_X86_CR4, VMCS_GUEST_CR4, 64, 0x2020, 0x3726a0 },
	{ HV_X86_DR7, VMCS_GUEST_DR7, 64, 0x401, 0xffff0400ull },
};

VM_TEST(register_vmcs_coherence, 1)
{
	for (size_t i = 0; i < sizeof(coherent) / sizeof(coherent[0]); i++) {
		hv_x86_reg_t r = coherent[i].reg;
		uint32_t f = coherent[i].field;
		uint64_t old = reg(r);
		int fails = 0;

#define CHECK(want, got)                         \
	do {                                     \
		uint64_t g__ = (got);            \
		if ((uint64_t)(want) != g__)     \
			fails++;                 \
		EXPECT_EQ(want, g__);            \
	} while (0)
		/* Register API -> VMCS. */
		CHECK(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, r,
							 coherent[i].a));
		CHECK(coherent[i].a, reg(r));
		CHECK(coherent[i].a, vmcs(f));
		/* VMCS -> register API. */
		CHECK(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, f,
							 coherent[i].b));
		CHECK(coherent[i].b, vmcs(f));
		CHECK(coherent[i].b, reg(r));
		/* The same width check through both APIs. */
		if (coherent[i].width < 64) {
			uint64_t big = coherent[i].a |
				       (1ull << coherent[i].width);

			CHECK(HV_BAD_ARGUMENT,
			      hv_vcpu_write_register(g_vcpu, r, big));
			CHECK(HV_BAD_ARGUMENT,
			      hv_vmx_vcpu_write_vmcs(g_vcpu, f, big));
			CHECK(HV_BAD_ARGUMENT,
			      hv_vcpu_write_register(g_vcpu, r, ~0ull));
			CHECK(coherent[i].b, reg(r));
		}
#undef CHECK
		if (fails)
			printf("# register %u / field 0x%x\n", (unsigned)r, f);
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, r, old));
	}
}

/* Segment bases, limits and access rights are VMCS fields only; writing
 * them does not move the selector register. */
VM_TEST(segment_parts_independent, 1)
{
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_CS, 0x08));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_CS_BASE,
						     0x12340));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
						     VMCS_GUEST_CS_LIMIT,
						     0xfffff));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_CS_AR,
						     0xa09b));
	EXPECT_EQ(0x08, reg(HV_X86_CS));
	EXPECT_EQ(0x12340, vmcs(VMCS_GUEST_CS_BASE));
	EXPECT_EQ(0xfffff, vmcs(VMCS_GUEST_CS_LIMIT));
	EXPECT_EQ(0xa09b, vmcs(VMCS_GUEST_CS_AR));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_CS, 0x10));
	EXPECT_EQ(0x12340, vmcs(VMCS_GUEST_CS_BASE));
}

/* Registers with no VMCS field: GPRs, CR2, DR0-DR3. */
VM_TEST(register_round_trip, 1)
{
	static const hv_x86_reg_t plain[] = {
		HV_X86_RAX, HV_X86_RCX, HV_X86_RDX, HV_X86_RBX, HV_X86_RSI,
		HV_X86_RDI, HV_X86_RBP, HV_X86_R8, HV_X86_R9, HV_X86_R10,
		HV_X86_R11, HV_X86_R12, HV_X86_R13, HV_X86_R14, HV_X86_R15,
		HV_X86_CR2, HV_X86_DR0, HV_X86_DR1, HV_X86_DR2, HV_X86_DR3,
	};
	const size_t n = sizeof(plain) / sizeof(plain[0]);

	/* Distinct values everywhere, then read all: no aliasing. */
	for (size_t i = 0; i < n; i++)
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_register(
				  g_vcpu, plain[i],
				  0x0123456789abcdefull * (i + 1)));
	for (size_t i = 0; i < n; i++)
		EXPECT_EQ(0x0123456789abcdefull * (i + 1), reg(plain[i]));
	for (size_t i = 0; i < n; i++) {
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_register(g_vcpu, plain[i], ~0ull));
		EXPECT_EQ(~0ull, reg(plain[i]));
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_register(g_vcpu, plain[i], 0));
		EXPECT_EQ(0, reg(plain[i]));
	}
	/* GPRs do not alias RSP or RIP. */
	EXPECT_EQ(0xfff0, reg(HV_X86_RIP));
	EXPECT_EQ(0, reg(HV_X86_RSP));
}

VM_TEST(cr1, 1)
{
	EXPECT_EQ(0, reg(HV_X86_CR1));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_CR1, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_write_register(g_vcpu, HV_X86_CR1, 1));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_write_register(g_vcpu, HV_X86_CR1, 1ull << 63));
	EXPECT_EQ(0, reg(HV_X86_CR1));
}

VM_TEST(dr4_dr5_alias_dr6_dr7, 1)
{
	EXPECT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_DR6, 0xffff4ff1));
	EXPECT_EQ(0xffff4ff1, reg(HV_X86_DR4));
	EXPECT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_DR4, 0xffff0ff2));
	EXPECT_EQ(0xffff0ff2, reg(HV_X86_DR6));
	EXPECT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_DR7, 0x403));
	EXPECT_EQ(0x403, reg(HV_X86_DR5));
	EXPECT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_DR5, 0x70401));
	EXPECT_EQ(0x70401, reg(HV_X86_DR7));
	EXPECT_EQ(0x70401, vmcs(VMCS_GUEST_DR7));
	EXPECT_EQ(HV_SUCCESS,
		  hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_DR7, 0x400));
	EXPECT_EQ(0x400, reg(HV_X86_DR5));
}

VM_TEST(dr6_reserved_high_bits, 1)
{
	static const uint64_t bad[] = { 1ull << 32, 1ull << 63,
					0xffffffffffff0ff0ull };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(g_vcpu, HV_X86_DR6, bad[i]));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(g_vcpu, HV_X86_DR4, bad[i]));
	}
	EXPECT_EQ(0xffff0ff0, reg(HV_X86_DR6));
	EXPECT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_DR6, 0xffffffff));
	EXPECT_EQ(0xffffffff, reg(HV_X86_DR6));
}

VM_TEST(tpr_range, 1)
{
	for (uint64_t v = 0; v <= 0xff; v += 0x11) {
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_register(g_vcpu, HV_X86_TPR, v));
		EXPECT_EQ(v, reg(HV_X86_TPR));
	}
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_TPR, 0x80));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_write_register(g_vcpu, HV_X86_TPR, 0x100));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_write_register(g_vcpu, HV_X86_TPR, ~0ull));
	EXPECT_EQ(0x80, reg(HV_X86_TPR));
}

/* XCR0 rules (compat.md): bits the CPU model lacks (CPUID 0xD.0 EAX) are
 * ignored, x87 must be set, AVX needs SSE; a refused write changes
 * nothing. */
VM_TEST(xcr0_rules, 1)
{
	static const uint64_t writes[] = { 0x1, 0x3, 0x7, 0x0, 0x2, 0x6, 0x5,
					   0x1 | 0x18, 0x7 | 0xe0,
					   0x3 | (1ull << 9), 0x18, 0x3 };
	uint32_t r[4];
	uint64_t cur = reg(HV_X86_XCR0);

	ASSERT_EQ(HV_SUCCESS, hv_openhvf_cpuid(0xd, 0, r));
	ASSERT_EQ(1, r[0] & 1);
	for (size_t i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		uint64_t eff = writes[i] & r[0];
		int ok = (eff & 1) && !((eff & 4) && !(eff & 2));

		EXPECT_EQ(ok ? HV_SUCCESS : HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(g_vcpu, HV_X86_XCR0,
						 writes[i]));
		if (ok)
			cur = eff;
		EXPECT_EQ(cur, reg(HV_X86_XCR0));
	}
}

VM_TEST(bad_register_ids, 1)
{
	static const uint32_t bad[] = { HV_X86_REGISTERS_MAX,
					HV_X86_REGISTERS_MAX + 1, 100,
					0x7fffffff, 0x80000000, 0xffffffff };
	uint64_t v;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0x5a;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_read_register(g_vcpu, (hv_x86_reg_t)bad[i],
						&v));
		EXPECT_EQ(0x5a, v);
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(g_vcpu, (hv_x86_reg_t)bad[i],
						 0));
	}
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_read_register(g_vcpu, HV_X86_RIP, NOPTR));
	/* Nothing changed. */
	EXPECT_EQ(0xfff0, reg(HV_X86_RIP));
	EXPECT_EQ(0, reg(HV_X86_RAX));
}

/* CR0 with CD or NW: refused through both APIs, the old value stays. */
VM_TEST(cr0_cd_nw_refused, 1)
{
	static const uint64_t bad[] = { 0x30 | CR0_CD, 0x30 | CR0_NW,
					0x30 | CR0_CD | CR0_NW,
					0x80000031 | CR0_CD, ~0ull };

	ASSERT_EQ(HV_SUCCESS,
		  hv_vcpu_write_register(g_vcpu, HV_X86_CR0, 0x80000031));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(g_vcpu, HV_X86_CR0, bad[i]));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_CR0,
						 bad[i]));
		EXPECT_EQ(0x80000031, reg(HV_X86_CR0));
		EXPECT_EQ(0x80000031, vmcs(VMCS_GUEST_CR0));
	}
	/* The CR0 read shadow and mask are plain fields: CD/NW allowed. */
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
						     VMCS_CTRL_CR0_SHADOW,
						     0x60000010));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
						     VMCS_CTRL_CR0_MASK,
						     0x60000020));
	EXPECT_EQ(0x60000010, vmcs(VMCS_CTRL_CR0_SHADOW));
}
