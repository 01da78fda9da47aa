/* SPDX-License-Identifier: MIT */
/* MSR access for the API: every function validates and changes nothing
 * on error. Owner thread. */
#ifndef OPENHVF_CORE_MSR_ACCESS_H
#define OPENHVF_CORE_MSR_ACCESS_H

#include <Hypervisor/hv_error.h>
#include <stdbool.h>
#include <stdint.h>

struct vcpu;

hv_return_t msr_host_read(struct vcpu *v, uint32_t msr, uint64_t *value);
hv_return_t msr_host_write(struct vcpu *v, uint32_t msr, uint64_t value);
hv_return_t msr_enable_native(struct vcpu *v, uint32_t msr, bool enable);
hv_return_t msr_enable_managed(struct vcpu *v, uint32_t msr, bool enable);
hv_return_t msr_set_access(struct vcpu *v, uint32_t msr, uint32_t flags);

#endif
