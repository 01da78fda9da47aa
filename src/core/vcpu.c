/* SPDX-License-Identifier: MIT */
/* vCPU lifetime, thread binding and the engine side of the map protocol.
 * A thread owns at most one vCPU (docs/compat.md); ownership is a
 * per-thread id that is never reused, so a vCPU whose thread has exited
 * can never be adopted by a new thread. */
#include "vcpu.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

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

/* The idle condition variable waits on CLOCK_MONOTONIC, the clock of
 * run_until deadlines and the preemption timer. */
static int idle_init(struct vcpu *v)
{
	pthread_condattr_t a;
	int r;

	if (pthread_mutex_init(&v->idle_mu, NULL))
		return -1;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	r = pthread_cond_init(&v->idle_cv, &a);
	pthread_condattr_destroy(&a);
	if (r)
		pthread_mutex_destroy(&v->idle_mu);
	return r ? -1 : 0;
}

static void idle_fini(struct vcpu *v)
{
	pthread_cond_destroy(&v->idle_cv);
	pthread_mutex_destroy(&v->idle_mu);
}

void vcpu_idle_wait(struct vcpu *v, uint64_t until_ns)
{
	uint64_t t0 = core_clock_ns();
	struct timespec ts;

	if (until_ns <= t0)
		return;
	ts.tv_sec = (time_t)(until_ns / 1000000000ull);
	ts.tv_nsec = (long)(until_ns % 1000000000ull);
	pthread_mutex_lock(&v->idle_mu);
	/* The kick flag is read under the mutex the kicker signals under,
	 * so a kick between the check and the wait is not lost. */
	if (!atomic_load(&v->kick)) {
		if (until_ns == UINT64_MAX)
			pthread_cond_wait(&v->idle_cv, &v->idle_mu);
		else
			pthread_cond_timedwait(&v->idle_cv, &v->idle_mu, &ts);
	}
	pthread_mutex_unlock(&v->idle_mu);
	v->idle_ns += core_clock_ns() - t0;
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
	if (idle_init(v)) {
		free(v);
		return HV_NO_RESOURCES;
	}
	v->owner = thread_token();
	v->options = flags;
	vcpu_reset_state(v);
	ret = vm->ops->vcpu_create(v);
	if (ret != HV_SUCCESS) {
		idle_fini(v);
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
	idle_fini(v);
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
		pthread_mutex_lock(&v->idle_mu);
		pthread_cond_broadcast(&v->idle_cv);
		pthread_mutex_unlock(&v->idle_mu);
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
