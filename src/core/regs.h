/* SPDX-License-Identifier: MIT */
/* hv_x86_reg_t access: each register is a view of the VMCS store or of
 * the state beside it, so both APIs always agree. */
#ifndef OPENHVF_CORE_REGS_H
#define OPENHVF_CORE_REGS_H

#include <Hypervisor/hv_arch_x86.h>
#include <Hypervisor/hv_error.h>
#include <stdint.h>

struct vcpu;

hv_return_t regs_read(struct vcpu *v, hv_x86_reg_t reg, uint64_t *value);
hv_return_t regs_write(struct vcpu *v, hv_x86_reg_t reg, uint64_t value);

/* VMCS field writes from the API, with the access-class checks. */
hv_return_t vmcs_client_read(struct vcpu *v, uint32_t field, uint64_t *value);
hv_return_t vmcs_client_write(struct vcpu *v, uint32_t field, uint64_t value);

#endif
