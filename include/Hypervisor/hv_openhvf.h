/* SPDX-License-Identifier: MIT */
/* OpenHVF extensions to the Hypervisor API. Not part of Apple's API: this
 * header is never included by the Apple-named ones. */

#ifndef __HYPERVISOR_HV_OPENHVF__
#define __HYPERVISOR_HV_OPENHVF__

#include <Hypervisor/hv.h>

/* Feature test for clients that build on both macOS and OpenHVF. */
#define HV_OPENHVF_H 1

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

/* The CPUID model of the software engine: what CPUID leaf/subleaf should
 * return for a guest of this engine, so that a VMM (which handles every
 * CPUID exit) advertises exactly what the engine implements rather than the
 * host's features. regs receives EAX, EBX, ECX, EDX. Per-vCPU fields are
 * left for the VMM: the initial APIC id (leaf 1 EBX[31:24], leaf 0xB
 * EDX), OSXSAVE (leaf 1 ECX[27], which mirrors the guest's CR4.OSXSAVE) and
 * the XSAVE size for the guest's current XCR0 (leaf 0xD subleaf 0 EBX) are
 * given for APIC id 0, CR4.OSXSAVE = 0 and XCR0 = x87|SSE|AVX. Leaves
 * beyond the maximum return the values of the highest basic leaf, as
 * Intel CPUs do. Any thread. Returns HV_BAD_ARGUMENT if regs is NULL. */
hv_return_t hv_openhvf_cpuid(uint32_t leaf, uint32_t subleaf,
			     uint32_t regs[4]);

__END_DECLS

#endif /* __HYPERVISOR_HV_OPENHVF__ */
