/* SPDX-License-Identifier: MIT */
/* The VMCS store: one slot per field of vmcs_fields.def, the only
 * architectural truth between runs (docs/design.md). */
#ifndef OPENHVF_CORE_VMCS_H
#define OPENHVF_CORE_VMCS_H

#include <Hypervisor/hv_arch_vmx.h>
#include <Hypervisor/hv_error.h>
#include <stdbool.h>
#include <stdint.h>

enum vmcs_access { VMCS_ACC_RW, VMCS_ACC_CTL, VMCS_ACC_CR0, VMCS_ACC_ACT,
		   VMCS_ACC_RO, VMCS_ACC_FW, VMCS_ACC_NA };

/* Dense slot indices, in .def order: VI_VMCS_GUEST_RIP etc. */
enum vmcs_idx {
#define X(name, acc) VI_##name,
#include "vmcs_fields.def"
#undef X
	VI_COUNT
};

struct vmcs_field {
	const char *name;
	uint32_t enc;
	enum vmcs_access acc;
};

struct vmcs_store {
	uint64_t v[VI_COUNT];
};

/* Slot of a store by public encoding name, for engines and the core:
 * VMCS(store, VMCS_GUEST_RIP). */
#define VMCS(st, f) ((st)->v[VI_##f])

extern const struct vmcs_field vmcs_fields[VI_COUNT];

/* Slot index of an encoding, or -1 for an encoding Apple does not name. */
int vmcs_index(uint32_t enc);

/* Width in bits (16, 32 or 64; natural width is 64) from the encoding
 * (SDM Vol. 3C, B.1: bits 14:13). */
unsigned vmcs_enc_width(uint32_t enc);

/* Mask of the bits a field can hold. */
uint64_t vmcs_enc_mask(uint32_t enc);

/* Highest index (bits 9:1 of any supported encoding), for IA32_VMX_VMCS_ENUM
 * (SDM Vol. 3D, A.9). */
unsigned vmcs_max_index(void);

#endif
