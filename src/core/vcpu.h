/* SPDX-License-Identifier: MIT */
/* vCPU objects: thread binding, the VMCS store and the state beside it
 * (general-purpose registers, DR0-3/DR6, CR2, XCR0, x87/SSE/AVX state in
 * XSAVE layout, framework-held MSRs, the virtual-APIC page). */
#ifndef OPENHVF_CORE_VCPU_H
#define OPENHVF_CORE_VCPU_H

#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_error.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "memmap.h"
#include "msr.h"
#include "vmcs.h"

/* The XSAVE image we expose: x87+SSE (legacy area, 512 bytes), the XSAVE
 * header (64 bytes) and AVX (YMM_Hi128, 256 bytes at offset 576); SDM
 * Vol. 1, 13.4. XSAVE_AREA_ALLOC leaves room for later components. */
#define XSAVE_SIZE 832u
#define XSAVE_AREA_ALLOC 4096u
/* Components of the XSAVE image the core exchanges (x87, SSE, AVX)... */
#define XSAVE_COMPONENTS 0x7ull
/* ...and those a guest may enable in XCR0: x87, SSE and AVX. */
#define XCR0_SUPPORTED 0x7ull

/* General-purpose registers in instruction-encoding order. RSP's value
 * lives in VMCS_GUEST_RSP between runs; gpr[GPR_RSP] is unused. */
enum { GPR_RAX, GPR_RCX, GPR_RDX, GPR_RBX, GPR_RSP, GPR_RBP, GPR_RSI,
       GPR_RDI, GPR_R8, GPR_R9, GPR_R10, GPR_R11, GPR_R12, GPR_R13, GPR_R14,
       GPR_R15 };

struct vm;

struct vcpu {
	hv_vcpuid_t id;
	struct vm *vm;
	const void *owner;          /* thread token, see vcpu.c */
	hv_vcpu_options_t options;
	unsigned space;             /* address space (HV_VM_SPACE_DEFAULT) */

	/* Run-state shared with other threads. */
	_Atomic int in_run;          /* inside engine vcpu_run */
	_Atomic uint64_t seen_gen;   /* map generation in use while in_run */
	_Atomic uint32_t kick;       /* hv_vcpu_interrupt pending */
	pthread_mutex_t idle_mu;     /* idle wait (HLT state) and its wake */
	pthread_cond_t idle_cv;

	/* Owner-thread state. */
	const struct memmap_snap *snap; /* valid while in_run */
	struct vmcs_store vmcs;
	struct vmcs_store shadow;
	uint8_t shadow_acc[VI_COUNT];  /* HV_SHADOW_VMCS_READ|WRITE */
	uint64_t gpr[16];
	uint64_t dr[4];
	uint64_t dr6;
	uint64_t cr2;
	uint64_t xcr0;
	uint64_t msr[MS_COUNT];
	uint8_t msr_native[MS_COUNT];  /* HV_MSR_READ|HV_MSR_WRITE */
	uint8_t msr_bound[MS_COUNT];   /* managed MSR bound */
	uint64_t apic_gpa[9];          /* APIC page per space, or ~0 */
	uint64_t exec_ns;
	uint64_t idle_ns;
	bool ran;                      /* hv_vcpu_run was called */
	bool entry_failed;             /* last entry failed (VMfail) */
	uint32_t vmx_status;           /* RFLAGS CF/ZF of that failure */
	char entry_msg[256];           /* why, in words (hv_openhvf.h) */
	alignas(64) uint8_t xsave[XSAVE_AREA_ALLOC];
	alignas(4096) uint8_t vapic[4096]; /* virtual-APIC page (TPR shadow) */

	void *engine_data;
};

/* The calling thread's vCPU with id, or NULL if it is not the owner. */
struct vcpu *vcpu_owned(hv_vcpuid_t id);

hv_return_t vcpu_create(hv_vcpuid_t *id, hv_vcpu_options_t flags);
hv_return_t vcpu_destroy(struct vcpu *v);

/* Reset-like initial state (docs/compat.md, "Initial vCPU state"). */
void vcpu_reset_state(struct vcpu *v);

/* hv_vcpu_interrupt: kick each listed vCPU; any thread. */
hv_return_t vcpu_interrupt(const hv_vcpuid_t *ids, unsigned n);

/* Engine side of the map protocol: vcpu_run_begin marks the vCPU running
 * and takes the current snapshot of its space; vcpu_map_sync takes a newer
 * one if the map changed (returns true then: flush translations);
 * vcpu_run_end marks it stopped. Owner thread. */
void vcpu_run_begin(struct vcpu *v);
bool vcpu_map_sync(struct vcpu *v);
void vcpu_run_end(struct vcpu *v);

/* Idle the owner thread (a guest in the HLT activity state) until the
 * vCPU is kicked (hv_vcpu_interrupt) or CLOCK_MONOTONIC until_ns passes
 * (UINT64_MAX: no limit); may return early. Never spins; the time slept
 * counts as idle time (hv_vcpu_get_idle_time). Owner thread. */
void vcpu_idle_wait(struct vcpu *v, uint64_t until_ns);

#endif
