/* SPDX-License-Identifier: MIT */
/* The internal engine interface: an ops table held by the VM. The core
 * calls engines only through it; engines see the core's vm/vcpu objects
 * and never include each other. */
#ifndef OPENHVF_ENGINE_H
#define OPENHVF_ENGINE_H

#include <Hypervisor/hv_error.h>
#include <stdint.h>

struct vm;
struct vcpu;

struct engine_ops {
	const char *name;
	/* HV_SUCCESS if the engine can run on this host. */
	hv_return_t (*probe)(void);
	hv_return_t (*vm_create)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);
	hv_return_t (*vcpu_create)(struct vcpu *vcpu);
	void (*vcpu_destroy)(struct vcpu *vcpu);
	/* Run the guest from the vCPU's VMCS store until a VM exit (or a
	 * failed VM entry), write every architectural change back to the
	 * store and the vCPU's register file, and return HV_SUCCESS; or return
	 * an error for invalid controls (vcpu->vmx_status says which).
	 * deadline_ns is an absolute CLOCK_MONOTONIC time in ns, or
	 * UINT64_MAX. until is non-zero for hv_vcpu_run_until (exits the
	 * framework handles itself are not reported). Owner thread only. */
	hv_return_t (*vcpu_run)(struct vcpu *vcpu, uint64_t deadline_ns,
				int until);
	/* Make a running vCPU leave the guest soon (hv_vcpu_interrupt and map
	 * changes); any thread; must not block. */
	void (*vcpu_kick)(struct vcpu *vcpu);
	/* Forget cached translations (hv_vcpu_invalidate_tlb). Owner thread. */
	void (*tlb_invalidate)(struct vcpu *vcpu);
};

/* Engines linked into the library. */
extern const struct engine_ops engine_none_ops;
extern const struct engine_ops engine_emu_ops;

/* The engine for a new VM: HV_ENGINE=none|emu selects, emu by default. */
const struct engine_ops *engine_select(void);

#endif
