/* SPDX-License-Identifier: MIT */
/* The VM: one per process, its address spaces and its vCPU table. */
#ifndef OPENHVF_CORE_VM_H
#define OPENHVF_CORE_VM_H

#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_error.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "memmap.h"

struct engine_ops;
struct vcpu;

/* Limits reported by hv_capability (docs/compat.md). */
#define VM_VCPU_MAX 64u
#define VM_SPACE_MAX 8u   /* additional spaces: ids 1..VM_SPACE_MAX */

struct vm_space {
	bool used;
	struct memmap_snap *_Atomic snap;
	uint64_t apic_gpa_unused;
};

struct vm {
	const struct engine_ops *ops;
	void *engine_data;
	hv_vm_options_t options;
	/* Bumped on every map change of any space; running vCPUs pick up the
	 * new snapshot at their next block boundary (vcpu_map_sync). */
	_Atomic uint64_t map_gen;
	struct vm_space spaces[VM_SPACE_MAX + 1];
	struct vcpu *vcpus[VM_VCPU_MAX];
	unsigned nvcpus;
	/* TSC: guest TSC = tsc_clock() + vcpu offset (see tsc.c). */
};

/* The process's VM, or NULL. Protected by vm_lock() for everything but the
 * lock-free map lookups of vCPU threads. */
extern struct vm *g_vm;
void vm_lock(void);
void vm_unlock(void);

hv_return_t vm_create(hv_vm_options_t flags);
hv_return_t vm_destroy(void);

/* Map operations on space asid; called with vm_lock held. */
hv_return_t vm_map(unsigned asid, void *uva, uint64_t gpa, uint64_t size,
		   uint32_t prot);
hv_return_t vm_unmap(unsigned asid, uint64_t gpa, uint64_t size);
hv_return_t vm_protect(unsigned asid, uint64_t gpa, uint64_t size,
		       uint32_t prot);
hv_return_t vm_space_create(unsigned *asid);
hv_return_t vm_space_destroy(unsigned asid);

#endif
