/* SPDX-License-Identifier: MIT */
/* The capability model: what the engines honour, in the formats of the
 * IA32_VMX_* capability MSRs (SDM Vol. 3D, Appendix A). One source of
 * truth for hv_vmx_read_capability, the VMCS write checks and the
 * engines. */
#ifndef OPENHVF_CORE_CAPS_H
#define OPENHVF_CORE_CAPS_H

#include <Hypervisor/hv_vmx.h>
#include <stdbool.h>
#include <stdint.h>

/* Guest TSC rate and the VMX-preemption-timer rate derived from it:
 * the timer counts down by 1 each time TSC bit CAPS_TIMER_SHIFT changes
 * (SDM Vol. 3C, 26.5.1; IA32_VMX_MISC[4:0]). */
#define CAPS_TSC_HZ 2000000000ull
#define CAPS_TIMER_SHIFT 5u
#define CAPS_CR3_TARGETS 4u

/* Value of capability id, false for an unknown id. */
bool caps_read(hv_vmx_capability_t id, uint64_t *value);

/* Allowed-0 / allowed-1 masks for writing a VMCS field (Apple's
 * hv_vmx_vcpu_get_cap_write_vmcs convention: a bit may be 0 only if clear
 * in allowed_0, may be 1 only if set in allowed_1). False for fields the
 * client cannot write. */
bool caps_write_masks(uint32_t field, uint64_t *allowed_0,
		      uint64_t *allowed_1);

/* True if value satisfies the masks of field. */
bool caps_write_ok(uint32_t field, uint64_t value);

#endif
