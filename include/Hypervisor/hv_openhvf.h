/* SPDX-License-Identifier: MIT */
/* OpenHVF extensions to the Hypervisor API. Not part of Apple's API: this
 * header is never included by the Apple-named ones. */

#ifndef __HYPERVISOR_HV_OPENHVF__
#define __HYPERVISOR_HV_OPENHVF__

#include <Hypervisor/hv.h>

__BEGIN_DECLS

/* Version of the OpenHVF library, e.g. "0.1.0". The string is static; any
 * thread may call this, with or without a VM. */
const char *hv_openhvf_version(void);

/* Why the last VM entry of vcpu failed: a static or per-vCPU string owned by
 * the library (do not free it), naming the VM-entry check that failed (SDM
 * "Checks on ... before VM entry"), or NULL if the vCPU's last run had no
 * VM-entry failure or vcpu is not a valid vCPU. Call it on the vCPU's
 * owning thread, after hv_vcpu_run()/hv_vcpu_run_until() reported the
 * failure (exit reason with bit 31 set, or an error return); the string
 * stays valid until the next run or destruction of that vCPU. */
const char *hv_openhvf_entry_failure_reason(hv_vcpuid_t vcpu);

__END_DECLS

#endif /* __HYPERVISOR_HV_OPENHVF__ */
