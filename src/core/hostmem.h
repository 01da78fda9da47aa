/* SPDX-License-Identifier: MIT */
/* Host-memory protection checks for hv_vm_map. */
#ifndef OPENHVF_CORE_HOSTMEM_H
#define OPENHVF_CORE_HOSTMEM_H

#include <stdbool.h>
#include <stdint.h>

/* True if [start, end) is mapped in this process with the protection the
 * guest permissions prot (HV_MEMORY_*) need: mapped at all for none,
 * readable for any access, writable too for HV_MEMORY_WRITE. */
bool hostmem_ok(uintptr_t start, uintptr_t end, uint32_t prot);

#endif
