/* SPDX-License-Identifier: MIT */
/* hv_vmx_read_capability and hv_vmx_get_msr_info: the ids, and the
 * consistency rules of the IA32_VMX_* formats (SDM Vol. 3D, Appendix A)
 * that docs/compat.md "Capabilities" promises. */
#include <Hypervisor/Hypervisor.h>

#include "helpers.h"

static uint64_t cap(hv_vmx_capability_t id)
{
	uint64_t v = 0;

	if (hv_vmx_read_capability(id, &v) != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "hv_vmx_read_capability", id,
			  ~0ull);
	return v;
}

#define MUST1(c) ((uint32_t)(c))
#define MAY1(c) ((uint32_t)((c) >> 32))

TEST(read_capability_ids)
{
	uint64_t v;

	if (!vm_setup(0))
		return;
	for (unsigned id = 0; id <= 16; id++) {
		v = 0xa5;
		EXPECT_EQ(HV_SUCCESS,
			  hv_vmx_read_capability((hv_vmx_capability_t)id, &v));
	}
	EXPECT_EQ(HV_SUCCESS,
		  hv_vmx_read_capability(HV_VMX_CAP_PREEMPTION_TIMER, &v));
	for (unsigned id = 17; id < 32; id++) {
		v = 0xa5;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_read_capability((hv_vmx_capability_t)id, &v));
		EXPECT_EQ(0xa5, v);
	}
	static const uint32_t bad[] = { 33, 64, 0x7fffffff, 0xffffffff };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0xa5;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_read_capability((hv_vmx_capability_t)bad[i],
						 &v));
		EXPECT_EQ(0xa5, v);
	}
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vmx_read_capability(HV_VMX_CAP_BASIC, NOPTR));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vmx_read_capability(HV_VMX_CAP_PINBASED, NOPTR));
	vm_teardown();
}

/* The values do not depend on the VM: the same with and without one. */
TEST(capabilities_stable)
{
	uint64_t before[33], after;

	for (unsigned id = 0; id <= 32; id++)
		if (id <= 16 || id == 32)
			hv_vmx_read_capability((hv_vmx_capability_t)id,
					       &before[id]);
	if (!vm_setup(1))
		return;
	for (unsigned id = 0; id <= 32; id++) {
		if (id > 16 && id != 32)
			continue;
		after = cap((hv_vmx_capability_t)id);
		EXPECT_EQ(before[id], after);
	}
	vm_teardown();
}

static const hv_vmx_capability_t ctl_caps[] = {
	HV_VMX_CAP_PINBASED, HV_VMX_CAP_PROCBASED, HV_VMX_CAP_PROCBASED2,
	HV_VMX_CAP_ENTRY, HV_VMX_CAP_EXIT, HV_VMX_CAP_TRUE_PINBASED,
	HV_VMX_CAP_TRUE_PROCBASED, HV_VMX_CAP_TRUE_ENTRY,
	HV_VMX_CAP_TRUE_EXIT,
};

/* allowed-0 settings are allowed-1 settings: every must-be-1 bit may
 * be 1 (else no value is valid). */
TEST(control_must1_within_may1)
{
	for (size_t i = 0; i < sizeof(ctl_caps) / sizeof(ctl_caps[0]); i++) {
		uint64_t c = cap(ctl_caps[i]);

		if (MUST1(c) & ~MAY1(c))
			printf("# capability %u\n", (unsigned)ctl_caps[i]);
		EXPECT_EQ(0, MUST1(c) & ~MAY1(c));
	}
}

/* TRUE capabilities relax only default1 bits: must-be-1 a subset of the
 * non-TRUE must-be-1, the may-be-1 half identical (SDM A.3.1-A.5). */
TEST(true_caps_relax_only)
{
	static const struct {
		hv_vmx_capability_t plain, tru;
		uint32_t default1;
	} pairs[] = {
		{ HV_VMX_CAP_PINBASED, HV_VMX_CAP_TRUE_PINBASED, 0x00000016 },
		{ HV_VMX_CAP_PROCBASED, HV_VMX_CAP_TRUE_PROCBASED,
		  0x0401e172 },
		{ HV_VMX_CAP_ENTRY, HV_VMX_CAP_TRUE_ENTRY, 0x000011ff },
		{ HV_VMX_CAP_EXIT, HV_VMX_CAP_TRUE_EXIT, 0x00036dff },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		uint64_t p = cap(pairs[i].plain), t = cap(pairs[i].tru);

		EXPECT_EQ(0, MUST1(t) & ~MUST1(p));
		EXPECT_EQ(MAY1(p), MAY1(t));
		/* Only default1 bits may differ. */
		EXPECT_EQ(0, (MUST1(p) ^ MUST1(t)) & ~pairs[i].default1);
	}
}

/* Default1 bits are must-be-1 in the non-TRUE capabilities: pin 1,2,4;
 * proc 1,4-6,8,13-16,26; exit 0-8,10,11,13,14,16,17; entry 0-8,12. */
TEST(default1_bits_must_be_one)
{
	static const struct {
		hv_vmx_capability_t id;
		uint32_t default1;
	} d1[] = {
		{ HV_VMX_CAP_PINBASED, (1u << 1) | (1u << 2) | (1u << 4) },
		{ HV_VMX_CAP_PROCBASED, (1u << 1) | (7u << 4) | (1u << 8) |
						(0xfu << 13) | (1u << 26) },
		{ HV_VMX_CAP_EXIT, 0x1ffu | (3u << 10) | (3u << 13) |
					   (3u << 16) },
		{ HV_VMX_CAP_ENTRY, 0x1ffu | (1u << 12) },
	};

	for (size_t i = 0; i < sizeof(d1) / sizeof(d1[0]); i++) {
		uint64_t c = cap(d1[i].id);

		EXPECT_EQ(d1[i].default1, MUST1(c) & d1[i].default1);
	}
}

/* The controls clients rely on are advertised (may be 1). */
TEST(controls_clients_need)
{
	uint64_t pin = cap(HV_VMX_CAP_PINBASED);
	uint64_t proc = cap(HV_VMX_CAP_PROCBASED);
	uint64_t proc2 = cap(HV_VMX_CAP_PROCBASED2);
	uint64_t entry = cap(HV_VMX_CAP_ENTRY);
	uint64_t exit_ = cap(HV_VMX_CAP_EXIT);
	static const uint32_t proc_need[] = {
		CPU_BASED_IRQ_WND, CPU_BASED_TSC_OFFSET, CPU_BASED_HLT,
		CPU_BASED_TPR_SHADOW, CPU_BASED_VIRTUAL_NMI_WND,
		CPU_BASED_UNCOND_IO, CPU_BASED_MSR_BITMAPS,
		CPU_BASED_SECONDARY_CTLS, CPU_BASED_CR8_LOAD,
		CPU_BASED_CR8_STORE, CPU_BASED_MOV_DR, CPU_BASED_PAUSE,
	};
	static const uint32_t proc2_need[] = {
		CPU_BASED2_EPT, CPU_BASED2_UNRESTRICTED, CPU_BASED2_RDTSCP,
		CPU_BASED2_VPID,
	};

	EXPECT_EQ(PIN_BASED_INTR, MAY1(pin) & PIN_BASED_INTR);
	EXPECT_EQ(PIN_BASED_NMI, MAY1(pin) & PIN_BASED_NMI);
	EXPECT_EQ(PIN_BASED_VIRTUAL_NMI, MAY1(pin) & PIN_BASED_VIRTUAL_NMI);
	EXPECT_EQ(PIN_BASED_PREEMPTION_TIMER,
		  MAY1(pin) & PIN_BASED_PREEMPTION_TIMER);
	for (size_t i = 0; i < sizeof(proc_need) / sizeof(proc_need[0]); i++)
		EXPECT_EQ(proc_need[i], MAY1(proc) & proc_need[i]);
	for (size_t i = 0; i < sizeof(proc2_need) / sizeof(proc2_need[0]);
	     i++)
		EXPECT_EQ(proc2_need[i], MAY1(proc2) & proc2_need[i]);
	/* EPT and unrestricted guest are always on (compat.md). */
	EXPECT_EQ(CPU_BASED2_EPT | CPU_BASED2_UNRESTRICTED,
		  MUST1(proc2) & (CPU_BASED2_EPT | CPU_BASED2_UNRESTRICTED));
	EXPECT_EQ(CPU_BASED_SECONDARY_CTLS,
		  MUST1(proc) & CPU_BASED_SECONDARY_CTLS);
	EXPECT_EQ(VMENTRY_GUEST_IA32E, MAY1(entry) & VMENTRY_GUEST_IA32E);
	EXPECT_EQ(VMENTRY_LOAD_EFER, MAY1(entry) & VMENTRY_LOAD_EFER);
	EXPECT_EQ(VMEXIT_HOST_IA32E, MAY1(exit_) & VMEXIT_HOST_IA32E);
	EXPECT_EQ(VMEXIT_SAVE_EFER | VMEXIT_LOAD_EFER,
		  MAY1(exit_) & (VMEXIT_SAVE_EFER | VMEXIT_LOAD_EFER));
	EXPECT_EQ(VMEXIT_ACK_INTR, MAY1(exit_) & VMEXIT_ACK_INTR);
	/* Not advertised: posted interrupts, PML, VMFUNC (their VMCS
	 * fields are unsupported). */
	EXPECT_EQ(0, MAY1(pin) & PIN_BASED_POSTED_INTR);
	EXPECT_EQ(0, MAY1(proc2) & (CPU_BASED2_PML | CPU_BASED2_VMFUNC |
				    CPU_BASED2_VIRT_INTR_DELIVERY |
				    CPU_BASED2_TSC_SCALING |
				    CPU_BASED2_XSAVES_XRSTORS |
				    CPU_BASED2_EPT_VE));
	EXPECT_EQ(0, MAY1(entry) & (VMENTRY_LOAD_IA32_PERF_GLOBAL_CTRL |
				    VMENTRY_LOAD_CET_STATE |
				    VMENTRY_LOAD_PKRS));
	EXPECT_EQ(0, MAY1(exit_) & (VMEXIT_LOAD_IA32_PERF_GLOBAL_CTRL |
				    VMEXIT_LOAD_CET_STATE | VMEXIT_LOAD_PKRS));
}

TEST(basic)
{
	uint64_t b = cap(HV_VMX_CAP_BASIC);

	EXPECT_EQ(VMX_BASIC_TRUE_CTLS, b & VMX_BASIC_TRUE_CTLS);
	/* Bit 31 is 0; region size 1..4096; no 32-bit address limit
	 * (bit 48) on a 64-bit CPU; write-back (6) memory type. */
	EXPECT_EQ(0, b & (1ull << 31));
	EXPECT_TRUE(((b >> 32) & 0x1fff) >= 1 && ((b >> 32) & 0x1fff) <= 4096);
	EXPECT_EQ(0, (b >> 48) & 1);
	EXPECT_EQ(6, (b >> 50) & 0xf);
}

TEST(vmcs_enum_covers_timer_value)
{
	uint64_t e = cap(HV_VMX_CAP_VMCS_ENUM);
	unsigned timer_index = (VMCS_GUEST_VMX_TIMER_VALUE >> 1) & 0x1ff;

	EXPECT_TRUE(((e >> 1) & 0x1ff) >= timer_index);
	/* Only bits 9:1 are defined. */
	EXPECT_EQ(0, e & ~0x3feull);
}

TEST(cr_fixed_bits)
{
	uint64_t c0f0 = cap(HV_VMX_CAP_CR0_FIXED0);
	uint64_t c0f1 = cap(HV_VMX_CAP_CR0_FIXED1);
	uint64_t c4f0 = cap(HV_VMX_CAP_CR4_FIXED0);
	uint64_t c4f1 = cap(HV_VMX_CAP_CR4_FIXED1);

	EXPECT_EQ(0, c0f0 & ~c0f1);
	EXPECT_EQ(0, c4f0 & ~c4f1);
	/* CR4.VMXE fixed to 1. */
	EXPECT_EQ(0x2000, c4f0 & 0x2000);
	EXPECT_EQ(0x2000, c4f1 & 0x2000);
	/* CR0.NE fixed to 1, and the initial CR0 value has it. */
	EXPECT_EQ(0x20, c0f0 & 0x20);
}

TEST(preemption_timer_rate)
{
	uint64_t misc = cap(HV_VMX_CAP_MISC);
	uint64_t hz = cap(HV_VMX_CAP_PREEMPTION_TIMER);

	/* TSC 2 GHz >> rate; compat.md says rate 5, 62.5 MHz. */
	EXPECT_EQ(2000000000ull >> (misc & 0x1f), hz);
	EXPECT_EQ(5, misc & 0x1f);
	EXPECT_EQ(62500000, hz);
	/* HLT activity state supported (bit 6), as writable in the VMCS. */
	EXPECT_EQ(1ull << 6, misc & (1ull << 6));
}

TEST(ept_vpid_cap)
{
	uint64_t e = cap(HV_VMX_CAP_EPT_VPID_CAP);

	/* EPT is forced on: a 4-level walk (bit 6) and a write-back EPT
	 * memory type (bit 14) must exist. */
	EXPECT_EQ(1ull << 6, e & (1ull << 6));
	EXPECT_EQ(1ull << 14, e & (1ull << 14));
}

TEST(msr_info)
{
	static const struct {
		hv_vmx_msr_info_t id;
		uint64_t want;
	} info[] = {
		{ HV_VMX_INFO_MSR_IA32_ARCH_CAPABILITIES, 0x129 },
		{ HV_VMX_INFO_MSR_IA32_PERF_CAPABILITIES, 0 },
		{ HV_VMX_VALID_MSR_IA32_PERFEVNTSEL, 0 },
		{ HV_VMX_VALID_MSR_IA32_FIXED_CTR_CTRL, 0 },
		{ HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_CTRL, 0 },
		{ HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_STATUS, 0 },
		{ HV_VMX_VALID_MSR_IA32_DEBUGCTL, 0 },
		{ HV_VMX_VALID_MSR_IA32_SPEC_CTRL, 7 },
	};
	static const uint32_t bad[] = { 9, 10, 32, 0x7fffffff, 0xffffffff };
	uint64_t v, need = ~0ull;

	for (size_t i = 0; i < sizeof(info) / sizeof(info[0]); i++) {
		v = 0xa5;
		EXPECT_EQ(HV_SUCCESS, hv_vmx_get_msr_info(info[i].id, &v));
		EXPECT_EQ(info[i].want, v);
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_get_msr_info(info[i].id, NOPTR));
	}
	/* Required SPEC_CTRL bits are valid ones. */
	EXPECT_EQ(HV_SUCCESS,
		  hv_vmx_get_msr_info(HV_VMX_NEED_MSR_IA32_SPEC_CTRL, &need));
	EXPECT_EQ(0, need & ~7ull);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0xa5;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_get_msr_info((hv_vmx_msr_info_t)bad[i], &v));
		EXPECT_EQ(0xa5, v);
	}
}
