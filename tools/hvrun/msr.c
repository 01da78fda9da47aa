/* SPDX-License-Identifier: MIT */
/* RDMSR/WRMSR exits (reasons 31/32; SDM Vol. 3C 26.1.3): the MSRs the
 * framework does not run natively and this machine has. Numbers and
 * layouts from SDM Vol. 4 (Model-Specific Registers), chapter 2. An MSR
 * not listed raises #GP, as on a CPU without it (Linux probes optional
 * MSRs with rdmsr_safe); -trace logs each one. */
#include "hvrun.h"

#include <stdio.h>

enum {
	MSR_PLATFORM_ID = 0x17,
	MSR_APIC_BASE = 0x1b,
	MSR_FEATURE_CONTROL = 0x3a,
	MSR_BIOS_SIGN_ID = 0x8b,
	MSR_MTRRCAP = 0xfe,
	MSR_MCG_CAP = 0x179,
	MSR_MCG_STATUS = 0x17a,
	MSR_MISC_ENABLE = 0x1a0,
	MSR_DEBUGCTL = 0x1d9,
	MSR_MTRR_PHYS_BASE0 = 0x200,
	MSR_MTRR_FIX64K = 0x250,
	MSR_MTRR_FIX16K_80000 = 0x258,
	MSR_MTRR_FIX16K_A0000 = 0x259,
	MSR_MTRR_FIX4K_C0000 = 0x268,
	MSR_PAT = 0x277,
	MSR_MTRR_DEF_TYPE = 0x2ff,
	MSR_TSC_DEADLINE = 0x6e0,
	MSR_EFER = 0xc0000080,
};

#define APIC_BASE_EN (1ull << 11)
#define APIC_BASE_X2APIC (1ull << 10)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_RW 0xd01ull   /* SCE (0), LME (8), NXE (11); LMA (10) RO */
#define CR0_PG (1ull << 31)

/* Index of a fixed-range MTRR in vcpu.mtrr_fix, or -1 (SDM Vol. 3A
 * 12.11.2.2: one 64K, two 16K, eight 4K registers). */
static int mtrr_fixed_index(uint32_t msr)
{
	if (msr == MSR_MTRR_FIX64K)
		return 0;
	if (msr == MSR_MTRR_FIX16K_80000 || msr == MSR_MTRR_FIX16K_A0000)
		return 1 + (int)(msr - MSR_MTRR_FIX16K_80000);
	if (msr >= MSR_MTRR_FIX4K_C0000 && msr < MSR_MTRR_FIX4K_C0000 + 8)
		return 3 + (int)(msr - MSR_MTRR_FIX4K_C0000);
	return -1;
}

/* Read: true and *val, or false for #GP. */
static bool msr_read(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	int fix = mtrr_fixed_index(msr);

	if (fix >= 0) {
		*val = v->mtrr_fix[fix];
		return true;
	}
	if (msr >= MSR_MTRR_PHYS_BASE0 && msr < MSR_MTRR_PHYS_BASE0 + 16) {
		*val = v->mtrr_var[msr - MSR_MTRR_PHYS_BASE0];
		return true;
	}
	switch (msr) {
	case MSR_PLATFORM_ID:
	case MSR_BIOS_SIGN_ID:  /* microcode revision 0 */
		*val = 0;
		return true;
	case MSR_APIC_BASE:
		*val = v->apic_base;
		return true;
	case MSR_FEATURE_CONTROL:
		*val = 1;  /* locked, VMX off: as firmware leaves it */
		return true;
	case MSR_MTRRCAP:
		/* 8 variable ranges, fixed ranges, write-combining. */
		*val = 8 | (1u << 8) | (1u << 10);
		return true;
	case MSR_MCG_CAP:
		/* Machine-check architecture with no error-reporting banks
		 * and no MCG_CTL (SDM Vol. 3B, 16.3.1.1): emulated hardware
		 * has no errors to report. */
	case MSR_MCG_STATUS:
		*val = 0;
		return true;
	case MSR_MISC_ENABLE:
		*val = v->misc_enable;
		return true;
	case MSR_DEBUGCTL:
		*val = vmcs_get(v, VMCS_GUEST_IA32_DEBUGCTL);
		return true;
	case MSR_PAT:
		*val = vmcs_get(v, VMCS_GUEST_IA32_PAT);
		return true;
	case MSR_MTRR_DEF_TYPE:
		*val = v->mtrr_def;
		return true;
	case MSR_TSC_DEADLINE:
		pthread_mutex_lock(&vm.lock);
		*val = v->lapic.tsc_deadline;
		pthread_mutex_unlock(&vm.lock);
		return true;
	case MSR_EFER:
		*val = vmcs_get(v, VMCS_GUEST_IA32_EFER);
		return true;
	default:
		return false;
	}
}

/* EFER write (SDM Vol. 3A 10.8.5): LME may not change while paging is
 * on; LMA is read-only and follows LME && CR0.PG. */
static bool write_efer(struct vcpu *v, uint64_t val)
{
	uint64_t old = vmcs_get(v, VMCS_GUEST_IA32_EFER);
	bool pg = (vmcs_get(v, VMCS_GUEST_CR0) & CR0_PG) != 0;

	if (val & ~(EFER_RW | EFER_LMA))
		return false;
	if (pg && ((val ^ old) & EFER_LME))
		return false;
	val &= EFER_RW;
	if ((val & EFER_LME) && pg)
		val |= EFER_LMA;
	vmcs_set(v, VMCS_GUEST_IA32_EFER, val);
	if ((val ^ old) & EFER_LMA) {
		uint64_t entry = vmcs_get(v, VMCS_CTRL_VMENTRY_CONTROLS);

		entry ^= VMENTRY_GUEST_IA32E;
		vmcs_set(v, VMCS_CTRL_VMENTRY_CONTROLS, entry);
	}
	return true;
}

/* PAT entries must be valid memory types: 0, 1, 4, 5, 6, 7
 * (SDM Vol. 3A 12.12.2). */
static bool pat_valid(uint64_t val)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned t = (val >> (8 * i)) & 0xff;

		if (t > 7 || t == 2 || t == 3)
			return false;
	}
	return true;
}

static bool write_apic_base(struct vcpu *v, uint64_t val)
{
	/* No x2APIC; the base stays at 0xfee00000 in this machine. */
	if (val & APIC_BASE_X2APIC)
		return false;
	if ((val & ~0xfffull) != LAPIC_GPA)
		trace("vCPU %u: APIC base moved to %#llx: not supported",
		      v->index, (unsigned long long)val);
	pthread_mutex_lock(&vm.lock);
	v->apic_base = (v->apic_base & ~APIC_BASE_EN) | (val & APIC_BASE_EN);
	pthread_mutex_unlock(&vm.lock);
	return true;
}

static bool write_tsc_deadline(struct vcpu *v, uint64_t val)
{
	pthread_mutex_lock(&vm.lock);
	lapic_set_tsc_deadline(&v->lapic, val, val ? guest_tsc_to_ns(val) : 0);
	pthread_cond_signal(&vm.timer_cond);
	pthread_mutex_unlock(&vm.lock);
	return true;
}

/* Write: false for #GP. */
static bool msr_write(struct vcpu *v, uint32_t msr, uint64_t val)
{
	int fix = mtrr_fixed_index(msr);

	if (fix >= 0) {
		v->mtrr_fix[fix] = val;
		return true;
	}
	if (msr >= MSR_MTRR_PHYS_BASE0 && msr < MSR_MTRR_PHYS_BASE0 + 16) {
		v->mtrr_var[msr - MSR_MTRR_PHYS_BASE0] = val;
		return true;
	}
	switch (msr) {
	case MSR_BIOS_SIGN_ID:
		return true;  /* microcode loaders clear it before CPUID */
	case MSR_APIC_BASE:
		return write_apic_base(v, val);
	case MSR_MCG_STATUS:
		/* No machine check is ever in progress: software may only
		 * clear it (SDM Vol. 3B, 16.3.1.2). */
		return val == 0;
	case MSR_MISC_ENABLE:
		v->misc_enable = val;
		return true;
	case MSR_DEBUGCTL:
		/* No LBR/BTF in this machine: only 0 is accepted. */
		return val == 0;
	case MSR_PAT:
		if (!pat_valid(val))
			return false;
		vmcs_set(v, VMCS_GUEST_IA32_PAT, val);
		return true;
	case MSR_MTRR_DEF_TYPE:
		if (val & ~0xcffull)
			return false;
		v->mtrr_def = val;
		return true;
	case MSR_TSC_DEADLINE:
		return write_tsc_deadline(v, val);
	case MSR_EFER:
		return write_efer(v, val);
	default:
		return false;
	}
}

int exit_rdmsr(struct vcpu *v, const struct exit_info *e)
{
	uint32_t msr = (uint32_t)reg_get(v, HV_X86_RCX);
	uint64_t val = 0;

	if (!msr_read(v, msr, &val)) {
		trace("vCPU %u: RDMSR %#x -> #GP", v->index, msr);
		cpu_inject_exception(v, 13, true, 0);
		return 0;
	}
	reg_set(v, HV_X86_RAX, val & 0xffffffff);
	reg_set(v, HV_X86_RDX, val >> 32);
	cpu_skip(v, e->len);
	return 0;
}

int exit_wrmsr(struct vcpu *v, const struct exit_info *e)
{
	uint32_t msr = (uint32_t)reg_get(v, HV_X86_RCX);
	uint64_t val = (reg_get(v, HV_X86_RAX) & 0xffffffff) |
		       (reg_get(v, HV_X86_RDX) << 32);

	if (!msr_write(v, msr, val)) {
		trace("vCPU %u: WRMSR %#x <- %#llx -> #GP", v->index, msr,
		      (unsigned long long)val);
		cpu_inject_exception(v, 13, true, 0);
		return 0;
	}
	cpu_skip(v, e->len);
	return 0;
}
