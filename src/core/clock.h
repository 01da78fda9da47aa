/* SPDX-License-Identifier: MIT */
/* Host time for the core and engines: a monotonic nanosecond clock and
 * the guest TSC derived from it (docs/design.md, "Time"). */
#ifndef OPENHVF_CORE_CLOCK_H
#define OPENHVF_CORE_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t core_clock_ns(void);

/* hv_tsc_clock(): ticks at CAPS_TSC_HZ since the library was loaded. */
uint64_t core_tsc_clock(void);

/* Convert a CLOCK_MONOTONIC time in ns to core_tsc_clock() ticks. */
uint64_t core_ns_to_tsc(uint64_t ns);

/* Guest TSC of v now: core_tsc_clock() + VMCS_CTRL_TSC_OFFSET (TSC
 * offsetting is always on; SDM Vol. 3C, 26.3). */
uint64_t core_guest_tsc(struct vcpu *v);

/* Set v's TSC offset (atomic: hv_vm_sync_tsc may run on another thread). */
void core_set_tsc_offset(struct vcpu *v, uint64_t offset);
uint64_t core_tsc_offset(struct vcpu *v);

/* Set v's TSC offset so that core_guest_tsc() returns value now. */
void core_set_guest_tsc(struct vcpu *v, uint64_t value);

/* Random bits for RDRAND/RDSEED; false if none are available now. */
bool core_random(uint64_t *out);

#endif
