/* SPDX-License-Identifier: MIT */
/* Framework-held MSRs of a vCPU, driven by msr.def. */
#ifndef OPENHVF_CORE_MSR_H
#define OPENHVF_CORE_MSR_H

#include <Hypervisor/hv_error.h>
#include <stdint.h>

enum { MSRF_N = 1, MSRF_M = 2, MSRF_C = 4, MSRF_L = 8, MSRF_R = 16,
       MSRF_W = 32, MSRF_U = 64 };

/* Table rows (MR_TSC...) and value slots (one per MSR, ranges expanded). */
enum msr_row {
#define MSR(n, first, count, flags, vmcs) MR_##n,
#include "msr.def"
#undef MSR
	MR_COUNT
};

enum msr_slot_base {
#define MSR(n, first, count, flags, vmcs) MS_##n, MS_##n##_END = MS_##n + (count) - 1,
#include "msr.def"
#undef MSR
	MS_COUNT
};

struct msr_desc {
	const char *name;
	uint32_t first;
	uint32_t count;
	uint32_t flags;
	int vmcs_idx;  /* VI_* of the backing VMCS field, or -1 */
	int slot;      /* first value slot */
};

extern const struct msr_desc msr_table[MR_COUNT];

/* Value slot of MSR msr, or -1 if the framework does not hold it; sets
 * *row to its table row. */
int msr_lookup(uint32_t msr, const struct msr_desc **row);

#endif
