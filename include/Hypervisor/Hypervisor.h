/* SPDX-License-Identifier: MIT */
/* Umbrella header of the x86_64 API; mirrors Apple's Hypervisor.h (fact
 * sheet §1). OpenHVF extensions are in <Hypervisor/hv_openhvf.h>. */

#ifndef __HYPERVISOR_HYPERVISOR__
#define __HYPERVISOR_HYPERVISOR__

#include <Hypervisor/hv.h>
#include <Hypervisor/hv_error.h>
#include <Hypervisor/hv_intr.h>
#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_vmx.h>
#include <Hypervisor/hv_vm_allocate.h>

#endif /* __HYPERVISOR_HYPERVISOR__ */
