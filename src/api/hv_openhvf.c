/* SPDX-License-Identifier: MIT */
/* OpenHVF's own extensions (include/Hypervisor/hv_openhvf.h). */
#include "api.h"

#include <Hypervisor/hv_openhvf.h>

#include "core/cpuid.h"

HV_EXPORT const char *hv_openhvf_version(void)
{
	return "0.1.0";
}

HV_EXPORT const char *hv_openhvf_entry_failure_reason(hv_vcpuid_t vcpu)
{
	struct vcpu *v = vcpu_owned(vcpu);

	if (!v || !v->entry_msg[0])
		return NULL;
	return v->entry_msg;
}

HV_EXPORT hv_return_t hv_openhvf_cpuid(uint32_t leaf, uint32_t subleaf,
				       uint32_t regs[4])
{
	if (!regs)
		return HV_BAD_ARGUMENT;
	cpuid_model(leaf, subleaf, regs);
	return HV_SUCCESS;
}
