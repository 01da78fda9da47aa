/* SPDX-License-Identifier: MIT */
/* OpenHVF's own extensions (include/Hypervisor/hv_openhvf.h). */
#include "api.h"

#include <Hypervisor/hv_openhvf.h>

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
