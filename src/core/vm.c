/* SPDX-License-Identifier: MIT */
/* The process's VM: lifetime, address spaces and map changes that are
 * safe while other vCPU threads run (the snapshot protocol of vcpu.h). */
#include "vm.h"

#include <sched.h>
#include <stdlib.h>
#include <time.h>

#include "engine/engine.h"
#include "hostmem.h"
#include "vcpu.h"

struct vm *g_vm;
static pthread_mutex_t g_vm_lock = PTHREAD_MUTEX_INITIALIZER;

void vm_lock(void)
{
	pthread_mutex_lock(&g_vm_lock);
}

void vm_unlock(void)
{
	pthread_mutex_unlock(&g_vm_lock);
}

/* VM options we accept: the mitigation flags have no effect on a software
 * engine (docs/compat.md); HV_VM_ACCEL_APIC is not offered. */
#define VM_OPTIONS_KNOWN (HV_VM_SPECIFY_MITIGATIONS | \
			  HV_VM_MITIGATION_A_ENABLE | \
			  HV_VM_MITIGATION_B_ENABLE | \
			  HV_VM_MITIGATION_C_ENABLE | \
			  HV_VM_MITIGATION_D_ENABLE | \
			  HV_VM_MITIGATION_E_ENABLE)

static void vm_free(struct vm *vm)
{
	for (unsigned i = 0; i <= VM_SPACE_MAX; i++)
		free(atomic_load(&vm->spaces[i].snap));
	free(vm);
}

hv_return_t vm_create(hv_vm_options_t flags)
{
	const struct engine_ops *ops;
	struct vm *vm;
	hv_return_t ret;

	if (flags & HV_VM_ACCEL_APIC)
		return HV_UNSUPPORTED;
	if (flags & ~(hv_vm_options_t)VM_OPTIONS_KNOWN)
		return HV_BAD_ARGUMENT;
	if (g_vm)
		return HV_BUSY;
	ops = engine_select();
	if (!ops)
		return HV_NO_DEVICE;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return HV_NO_RESOURCES;
	vm->ops = ops;
	vm->options = flags;
	vm->spaces[HV_VM_SPACE_DEFAULT].used = true;
	atomic_store(&vm->spaces[HV_VM_SPACE_DEFAULT].snap, memmap_empty());
	if (!atomic_load(&vm->spaces[HV_VM_SPACE_DEFAULT].snap)) {
		vm_free(vm);
		return HV_NO_RESOURCES;
	}
	ret = ops->vm_create(vm);
	if (ret != HV_SUCCESS) {
		vm_free(vm);
		return ret;
	}
	g_vm = vm;
	return HV_SUCCESS;
}

hv_return_t vm_destroy(void)
{
	struct vm *vm = g_vm;

	if (!vm)
		return HV_BAD_ARGUMENT;
	if (vm->nvcpus)
		return HV_BUSY;
	vm->ops->vm_destroy(vm);
	g_vm = NULL;
	vm_free(vm);
	return HV_SUCCESS;
}

/* Wait until no running vCPU of space asid still uses a snapshot older
 * than gen: each one moves to the new snapshot at its next block boundary
 * (vcpu_map_sync), so this is short. Called with the VM lock held; vCPU
 * threads never take it while running. */
static void vm_map_quiesce(struct vm *vm, unsigned asid, uint64_t gen)
{
	for (unsigned i = 0; i < VM_VCPU_MAX; i++) {
		struct vcpu *v = vm->vcpus[i];
		struct timespec ts = { 0, 20000 };

		if (!v || v->space != asid)
			continue;
		while (atomic_load(&v->in_run) &&
		       atomic_load(&v->seen_gen) < gen)
			nanosleep(&ts, NULL);
	}
}

/* Install snap as space asid's map and free the old one once no vCPU can
 * see it. */
static void vm_publish(struct vm *vm, unsigned asid, struct memmap_snap *snap)
{
	struct memmap_snap *old;
	uint64_t gen;

	gen = atomic_load(&vm->map_gen) + 1;
	snap->gen = gen;
	old = atomic_exchange(&vm->spaces[asid].snap, snap);
	atomic_store(&vm->map_gen, gen);
	vm_map_quiesce(vm, asid, gen);
	free(old);
}

static struct vm_space *vm_space(unsigned asid)
{
	if (!g_vm || asid > VM_SPACE_MAX || !g_vm->spaces[asid].used)
		return NULL;
	return &g_vm->spaces[asid];
}

hv_return_t vm_map(unsigned asid, void *uva, uint64_t gpa, uint64_t size,
		   uint32_t prot)
{
	struct vm_space *sp = vm_space(asid);
	struct memmap_snap *snap;
	hv_return_t ret;

	if (!sp)
		return HV_BAD_ARGUMENT;
	ret = memmap_add(atomic_load(&sp->snap), gpa, size, uva, prot, &snap);
	if (ret == HV_SUCCESS)
		vm_publish(g_vm, asid, snap);
	return ret;
}

hv_return_t vm_unmap(unsigned asid, uint64_t gpa, uint64_t size)
{
	struct vm_space *sp = vm_space(asid);
	struct memmap_snap *snap;
	hv_return_t ret;

	if (!sp)
		return HV_BAD_ARGUMENT;
	ret = memmap_change(atomic_load(&sp->snap), gpa, size, 0, 0, &snap);
	if (ret == HV_SUCCESS)
		vm_publish(g_vm, asid, snap);
	return ret;
}

/* The host memory behind [gpa, end) of snap allows prot (hostmem.h). */
static bool vm_host_allows(const struct memmap_snap *s, uint64_t gpa,
			   uint64_t end, uint32_t prot)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct memmap_range *r = &s->r[i];
		uint64_t a = r->gpa > gpa ? r->gpa : gpa;
		uint64_t b = r->end < end ? r->end : end;

		if (a < b && !hostmem_ok((uintptr_t)(r->hva + (a - r->gpa)),
					 (uintptr_t)(r->hva + (b - r->gpa)),
					 prot))
			return false;
	}
	return true;
}

hv_return_t vm_protect(unsigned asid, uint64_t gpa, uint64_t size,
		       uint32_t prot)
{
	struct vm_space *sp = vm_space(asid);
	struct memmap_snap *snap;
	hv_return_t ret;

	if (!sp)
		return HV_BAD_ARGUMENT;
	if (!vm_host_allows(atomic_load(&sp->snap), gpa, gpa + size, prot))
		return HV_BAD_ARGUMENT;
	ret = memmap_change(atomic_load(&sp->snap), gpa, size, 1, prot, &snap);
	if (ret == HV_SUCCESS)
		vm_publish(g_vm, asid, snap);
	return ret;
}

hv_return_t vm_space_create(unsigned *asid)
{
	struct memmap_snap *snap;

	if (!g_vm)
		return HV_BAD_ARGUMENT;
	for (unsigned i = 1; i <= VM_SPACE_MAX; i++) {
		if (g_vm->spaces[i].used)
			continue;
		snap = memmap_empty();
		if (!snap)
			return HV_NO_RESOURCES;
		atomic_store(&g_vm->spaces[i].snap, snap);
		g_vm->spaces[i].used = true;
		*asid = i;
		return HV_SUCCESS;
	}
	return HV_NO_RESOURCES;
}

hv_return_t vm_space_destroy(unsigned asid)
{
	if (asid == HV_VM_SPACE_DEFAULT || !vm_space(asid))
		return HV_BAD_ARGUMENT;
	for (unsigned i = 0; i < VM_VCPU_MAX; i++)
		if (g_vm->vcpus[i] && g_vm->vcpus[i]->space == asid)
			return HV_BUSY;
	/* The space's APIC addresses go with it: a reused id starts clean. */
	for (unsigned i = 0; i < VM_VCPU_MAX; i++)
		if (g_vm->vcpus[i])
			g_vm->vcpus[i]->apic_gpa[asid] = ~0ull;
	free(atomic_exchange(&g_vm->spaces[asid].snap, NULL));
	g_vm->spaces[asid].used = false;
	return HV_SUCCESS;
}
