/* SPDX-License-Identifier: MIT */
/* The framework-held MSR table (msr.def) and MSR-number lookup. */
#include "msr.h"

#include "vmcs.h"

enum { N = MSRF_N, M = MSRF_M, C = MSRF_C, L = MSRF_L, R = MSRF_R,
       W = MSRF_W, U = MSRF_U };
/* Backing field of a row: VMCS_IDX_<field> expands to its slot. */
#define VMCS_IDX_NONE (-1)

const struct msr_desc msr_table[MR_COUNT] = {
#define MSR(n, first, count, flags, vmcs) \
	[MR_##n] = { #n, first, count, flags, VMCS_IDX_##vmcs, MS_##n },
#define VMCS_IDX_VMCS_GUEST_IA32_SYSENTER_CS VI_VMCS_GUEST_IA32_SYSENTER_CS
#define VMCS_IDX_VMCS_GUEST_SYSENTER_ESP VI_VMCS_GUEST_SYSENTER_ESP
#define VMCS_IDX_VMCS_GUEST_SYSENTER_EIP VI_VMCS_GUEST_SYSENTER_EIP
#define VMCS_IDX_VMCS_GUEST_IA32_DEBUGCTL VI_VMCS_GUEST_IA32_DEBUGCTL
#define VMCS_IDX_VMCS_GUEST_IA32_EFER VI_VMCS_GUEST_IA32_EFER
#define VMCS_IDX_VMCS_GUEST_FS_BASE VI_VMCS_GUEST_FS_BASE
#define VMCS_IDX_VMCS_GUEST_GS_BASE VI_VMCS_GUEST_GS_BASE
#include "msr.def"
#undef MSR
};

int msr_lookup(uint32_t msr, const struct msr_desc **row)
{
	for (int i = 0; i < MR_COUNT; i++) {
		const struct msr_desc *d = &msr_table[i];

		if (msr >= d->first && msr - d->first < d->count) {
			if (row)
				*row = d;
			return d->slot + (int)(msr - d->first);
		}
	}
	return -1;
}
