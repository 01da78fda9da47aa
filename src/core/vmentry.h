/* SPDX-License-Identifier: MIT */
/* The VM-entry checks of SDM Vol. 3C, chapter 27 ("VM Entries"), run by an
 * engine before it enters the guest: checks on the VMX controls (27.2.1),
 * then on the guest-state area (27.3.1), then the PDPTEs (27.3.1.6). The
 * host-state checks (27.2.2-27.2.4) do not apply: the host state belongs to
 * the framework. */
#ifndef OPENHVF_CORE_VMENTRY_H
#define OPENHVF_CORE_VMENTRY_H

#include <Hypervisor/hv_error.h>
#include <stdbool.h>

struct vcpu;

/* Check the vCPU's VMCS for a VM entry. On success returns HV_SUCCESS with
 * *entered = true (the engine then runs the guest). Invalid controls give
 * VMfailValid: HV_ERROR, vcpu->entry_failed with vmx_status ZF, and
 * VMCS_RO_INSTR_ERROR = 7. Invalid guest state gives a VM-entry-failure
 * exit: HV_SUCCESS with *entered = false, exit reason 33 | bit 31 and the
 * qualification written. Either failure explains itself in words in
 * vcpu->entry_msg (hv_openhvf_entry_failure_reason), also printed to stderr
 * when HVF_DEBUG is set. Owner thread. */
hv_return_t vmentry_check(struct vcpu *vcpu, bool *entered);

/* Number of rules in the check table (tests count their coverage). */
unsigned vmentry_rule_count(void);

#endif
