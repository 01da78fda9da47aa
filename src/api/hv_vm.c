/* SPDX-License-Identifier: MIT */
/* VM lifetime, capabilities, guest-physical memory and TSC (hv.h 5.1,
 * 5.2, 5.5 of the fact sheet). */
#include "api.h"

#include <stdint.h>

#include "core/clock.h"
#include "core/hostmem.h"

HV_EXPORT hv_return_t hv_capability(hv_capability_t capability,
				    uint64_t *value)
{
	if (!value)
		return HV_BAD_ARGUMENT;
	switch (capability) {
	case HV_CAP_VCPUMAX:
		*value = VM_VCPU_MAX;
		return HV_SUCCESS;
	case HV_CAP_ADDRSPACEMAX:
		*value = VM_SPACE_MAX;
		return HV_SUCCESS;
	default:
		return HV_BAD_ARGUMENT;
	}
}

HV_EXPORT hv_return_t hv_vm_create(hv_vm_options_t flags)
{
	hv_return_t ret;

	vm_lock();
	ret = vm_create(flags);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vm_destroy(void)
{
	hv_return_t ret;

	vm_lock();
	ret = vm_destroy();
	vm_unlock();
	return ret;
}

/* Page alignment, non-zero size, no wrap-around and the guest-physical
 * limit (docs/compat.md, "Memory"). */
static bool range_ok(hv_gpaddr_t gpa, size_t size)
{
	return size && !(gpa & (MEMMAP_PAGE - 1)) &&
	       !(size & (MEMMAP_PAGE - 1)) && gpa < MEMMAP_GPA_LIMIT &&
	       size <= MEMMAP_GPA_LIMIT - gpa;
}

/* The host range must be page-aligned and mapped in this process with
 * the protection the guest mapping needs: a guest access through the map
 * then never faults the host (docs/compat.md, "Memory"). */
static bool host_range_ok(hv_uvaddr_t uva, size_t size, hv_memory_flags_t fl)
{
	uintptr_t a = (uintptr_t)uva;

	if (!uva || (a & (MEMMAP_PAGE - 1)) || a + size < a)
		return false;
	return hostmem_ok(a, a + size, (uint32_t)fl);
}

#define PROT_KNOWN (HV_MEMORY_READ | HV_MEMORY_WRITE | HV_MEMORY_EXEC)

HV_EXPORT hv_return_t hv_vm_map_space(hv_vm_space_t asid, hv_uvaddr_t uva,
				      hv_gpaddr_t gpa, size_t size,
				      hv_memory_flags_t flags)
{
	hv_return_t ret;

	if (!range_ok(gpa, size) || (flags & ~(hv_memory_flags_t)PROT_KNOWN) ||
	    !host_range_ok(uva, size, flags))
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vm_map(asid, (void *)(uintptr_t)uva, gpa, size, (uint32_t)flags);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vm_map(hv_uvaddr_t uva, hv_gpaddr_t gpa, size_t size,
				hv_memory_flags_t flags)
{
	return hv_vm_map_space(HV_VM_SPACE_DEFAULT, uva, gpa, size, flags);
}

HV_EXPORT hv_return_t hv_vm_unmap_space(hv_vm_space_t asid, hv_gpaddr_t gpa,
					size_t size)
{
	hv_return_t ret;

	if (!range_ok(gpa, size))
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vm_unmap(asid, gpa, size);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vm_unmap(hv_gpaddr_t gpa, size_t size)
{
	return hv_vm_unmap_space(HV_VM_SPACE_DEFAULT, gpa, size);
}

HV_EXPORT hv_return_t hv_vm_protect_space(hv_vm_space_t asid, hv_gpaddr_t gpa,
					  size_t size, hv_memory_flags_t flags)
{
	hv_return_t ret;

	if (!range_ok(gpa, size) || (flags & ~(hv_memory_flags_t)PROT_KNOWN))
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vm_protect(asid, gpa, size, (uint32_t)flags);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vm_protect(hv_gpaddr_t gpa, size_t size,
				    hv_memory_flags_t flags)
{
	return hv_vm_protect_space(HV_VM_SPACE_DEFAULT, gpa, size, flags);
}

HV_EXPORT hv_return_t hv_vm_space_create(hv_vm_space_t *asid)
{
	hv_return_t ret;
	unsigned id = 0;

	if (!asid)
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vm_space_create(&id);
	vm_unlock();
	if (ret == HV_SUCCESS)
		*asid = id;
	return ret;
}

HV_EXPORT hv_return_t hv_vm_space_destroy(hv_vm_space_t asid)
{
	hv_return_t ret;

	vm_lock();
	ret = vm_space_destroy(asid);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vm_sync_tsc(uint64_t tsc)
{
	uint64_t now;

	vm_lock();
	if (!g_vm) {
		vm_unlock();
		return HV_BAD_ARGUMENT;
	}
	now = core_tsc_clock();
	for (unsigned i = 0; i < VM_VCPU_MAX; i++)
		if (g_vm->vcpus[i])
			core_set_tsc_offset(g_vm->vcpus[i], tsc - now);
	vm_unlock();
	return HV_SUCCESS;
}

HV_EXPORT uint64_t hv_tsc_clock(void)
{
	return core_tsc_clock();
}
