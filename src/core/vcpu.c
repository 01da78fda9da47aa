/* SPDX-License-Identifier: MIT */
/* vCPU lifetime, thread binding and the engine side of the map protocol.
 * A thread owns at most one vCPU (docs/compat.md); ownership is a
 * per-thread id that is never reused, so a vCPU whose thread has exited
 * can never be adopted by a new thread. */
#include "vcpu.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "engine/engine.h"
#include "vm.h"

static _Atomic uint64_t thread_ids;
static _Thread_local uint64_t tls_thread_id;
static _Thread_local struct vcpu *tls_vcpu;

static const void *thread_token(void)
{
	if (!tls_thread_id)
		tls_thread_id = atomic_fetch_add(&thread_ids, 1) + 1;
	return (const void *)(uintptr_t)tls_thread_id;
}

struct vcpu *vcpu_owned(hv_vcpuid_t id)
{
	struct vcpu *v = tls_vcpu;

	if (!v || v->id != id || v->owner != thread_token())
		return NULL;
	return v;
}

hv_return_t vcpu_create(hv_vcpuid_t *id, hv_vcpu_options_t flags)
{
	struct vm *vm = g_vm;
	struct vcpu *v;
	unsigned slot;
	hv_return_t ret;

	if (!vm)
		return HV_BAD_ARGUMENT;
	if (flags & ~(hv_vcpu_options_t)(HV_VCPU_ACCEL_RDPMC |
					 HV_VCPU_TSC_RELATIVE))
		return HV_BAD_ARGUMENT;
	if (tls_vcpu)
		return HV_BUSY;
	for (slot = 0; slot < VM_VCPU_MAX && vm->vcpus[slot]; slot++)
		;
	if (slot == VM_VCPU_MAX)
		return HV_NO_RESOURCES;
	v = aligned_alloc(4096, sizeof(*v));
	if (!v)
		return HV_NO_RESOURCES;
	memset(v, 0, sizeof(*v));
	v->id = slot;
	v->vm = vm;
	v->owner = thread_token();
	v->options = flags;
	vcpu_reset_state(v);
	ret = vm->ops->vcpu_create(v);
	if (ret != HV_SUCCESS) {
		free(v);
		return ret;
	}
	vm->vcpus[slot] = v;
	vm->nvcpus++;
	tls_vcpu = v;
	*id = v->id;
	return HV_SUCCESS;
}

hv_return_t vcpu_destroy(struct vcpu *v)
{
	struct vm *vm = v->vm;

	vm->ops->vcpu_destroy(v);
	vm->vcpus[v->id] = NULL;
	vm->nvcpus--;
	tls_vcpu = NULL;
	free(v);
	return HV_SUCCESS;
}

hv_return_t vcpu_interrupt(const hv_vcpuid_t *ids, unsigned n)
{
	struct vm *vm = g_vm;

	if (!vm)
		return HV_BAD_ARGUMENT;
	for (unsigned i = 0; i < n; i++)
		if (ids[i] >= VM_VCPU_MAX || !vm->vcpus[ids[i]])
			return HV_BAD_ARGUMENT;
	for (unsigned i = 0; i < n; i++) {
		struct vcpu *v = vm->vcpus[ids[i]];

		atomic_store(&v->kick, 1);
		vm->ops->vcpu_kick(v);
	}
	return HV_SUCCESS;
}

void vcpu_run_begin(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t gen;

	atomic_store(&v->in_run, 1);
	/* Generation first, then the snapshot: a writer publishes the
	 * snapshot before the generation, so seen_gen never claims a newer
	 * map than the one held (vm.c, vm_publish). */
	gen = atomic_load(&vm->map_gen);
	v->snap = atomic_load(&vm->spaces[v->space].snap);
	atomic_store(&v->seen_gen, gen);
}

bool vcpu_map_sync(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t gen = atomic_load_explicit(&vm->map_gen, memory_order_acquire);

	if (gen == atomic_load_explicit(&v->seen_gen, memory_order_relaxed))
		return false;
	v->snap = atomic_load(&vm->spaces[v->space].snap);
	atomic_store(&v->seen_gen, gen);
	return true;
}

void vcpu_run_end(struct vcpu *v)
{
	v->snap = NULL;
	atomic_store(&v->in_run, 0);
}
