/* SPDX-License-Identifier: MIT */
/* Allocation of host memory meant to back guest RAM (12.0+); mirrors Apple's
 * hv_vm_allocate.h (fact sheet §5.2). */

#ifndef __HYPERVISOR_HV_VM_ALLOCATE__
#define __HYPERVISOR_HV_VM_ALLOCATE__

#include <Hypervisor/hv_shims.h>
#include <Hypervisor/hv_error.h>
#include <stddef.h>
#include <stdint.h>

OS_ASSUME_NONNULL_BEGIN

__BEGIN_DECLS

/* hv_vm_allocate() flags */
typedef uint64_t hv_allocate_flags_t;

enum {
	HV_ALLOCATE_DEFAULT	= 0,
};

/* The nullability qualifiers below are a clang extension (-Wpedantic); the
 * rest of the pointers are unannotated if a client turned off
 * OS_ASSUME_NONNULL_BEGIN. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnullability-extension"
#pragma clang diagnostic ignored "-Wnullability-completeness"
#endif

/* Allocate size bytes (a multiple of the page size) of read/write
 * anonymous memory for use with hv_vm_map(); stores the address in *uvap.
 * Free it with hv_vm_deallocate(). */
OS_EXPORT
API_AVAILABLE(macos(12.0)) API_UNAVAILABLE(ios, tvos)
hv_return_t hv_vm_allocate(void * _Nullable * _Nonnull uvap, size_t size,
	hv_allocate_flags_t flags);

/* Free memory obtained from hv_vm_allocate(); uva and size as allocated. */
OS_EXPORT
API_AVAILABLE(macos(12.0)) API_UNAVAILABLE(ios, tvos)
hv_return_t hv_vm_deallocate(void *uva, size_t size);

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

__END_DECLS

OS_ASSUME_NONNULL_END

#endif /* __HYPERVISOR_HV_VM_ALLOCATE__ */
