/* SPDX-License-Identifier: MIT */
/* Return codes of the Hypervisor API; mirrors Apple's hv_error.h
 * (fact sheet §2). */

#ifndef __HYPERVISOR_HV_ERROR__
#define __HYPERVISOR_HV_ERROR__

#include <Hypervisor/hv_shims.h>

#define err_sub_hypervisor err_sub(0xba5)
#define err_common_hypervisor (err_local | err_sub_hypervisor)

/* A signed 32-bit int: every code but HV_SUCCESS is negative (0xfae940xx). */
typedef mach_error_t hv_return_t;

/* With a client-supplied unsigned err_local these would exceed INT_MAX. */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
enum {
	HV_SUCCESS		= 0,
	HV_ERROR		= err_common_hypervisor | 0x01,
	HV_BUSY			= err_common_hypervisor | 0x02,
	HV_BAD_ARGUMENT		= err_common_hypervisor | 0x03,
	HV_NO_RESOURCES		= err_common_hypervisor | 0x05,
	HV_NO_DEVICE		= err_common_hypervisor | 0x06,
	HV_DENIED		= err_common_hypervisor | 0x07,
	HV_FAULT		= err_common_hypervisor | 0x08,
	HV_UNSUPPORTED		= err_common_hypervisor | 0x0f,
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#endif /* __HYPERVISOR_HV_ERROR__ */
