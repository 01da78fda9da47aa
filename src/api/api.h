/* SPDX-License-Identifier: MIT */
/* Shared by the files of src/api/, the only place that defines hv_*
 * symbols: validate, check ownership, call the core, return the code. */
#ifndef OPENHVF_API_H
#define OPENHVF_API_H

#include <Hypervisor/Hypervisor.h>

#include "core/vcpu.h"
#include "core/vm.h"

#define HV_EXPORT __attribute__((visibility("default")))

/* The vCPU id if the calling thread owns it; else return HV_BAD_ARGUMENT
 * from the calling API function (docs/compat.md, "Ownership"). */
#define OWNED_VCPU(var, id)                          \
	struct vcpu *var = vcpu_owned(id);           \
	if (!var)                                    \
		return HV_BAD_ARGUMENT

#endif
