/* SPDX-License-Identifier: MIT */
/* Base includes and availability helpers; mirrors Apple's hv_base.h
 * (fact sheet §1). */

#ifndef __HYPERVISOR_HV_BASE__
#define __HYPERVISOR_HV_BASE__

#include <Hypervisor/hv_shims.h>
#include <stdbool.h>
#include <stdint.h>

/* The x86_64 API is always provided (whatever the host architecture), so the
 * arm64-only annotation is empty. */
#define HV_API_AVAILABLE_X86_64(...) API_AVAILABLE(__VA_ARGS__)
#define HV_API_AVAILABLE_ARM64(...)

#endif /* __HYPERVISOR_HV_BASE__ */
