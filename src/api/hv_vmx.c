/* SPDX-License-Identifier: MIT */
/* VMCS access, shadow VMCS, capabilities and the APIC page (hv_vmx.h,
 * section 6 of the fact sheet). */
#include "api.h"

#include "core/caps.h"
#include "core/regs.h"
#include "engine/engine.h"

HV_EXPORT hv_return_t hv_vmx_vcpu_read_vmcs(hv_vcpuid_t vcpu, uint32_t field,
					    uint64_t *value)
{
	OWNED_VCPU(v, vcpu);
	if (!value)
		return HV_BAD_ARGUMENT;
	return vmcs_client_read(v, field, value);
}

HV_EXPORT hv_return_t hv_vmx_vcpu_write_vmcs(hv_vcpuid_t vcpu, uint32_t field,
					     uint64_t value)
{
	OWNED_VCPU(v, vcpu);
	return vmcs_client_write(v, field, value);
}

HV_EXPORT hv_return_t hv_vmx_vcpu_get_cap_write_vmcs(hv_vcpuid_t vcpu,
						     uint32_t field,
						     uint64_t *allowed_0,
						     uint64_t *allowed_1)
{
	uint64_t a0, a1;

	OWNED_VCPU(v, vcpu);
	(void)v;
	if (!allowed_0 || !allowed_1 || !caps_write_masks(field, &a0, &a1))
		return HV_BAD_ARGUMENT;
	*allowed_0 = a0;
	*allowed_1 = a1;
	return HV_SUCCESS;
}

/* Slot of a shadow-VMCS field: any field our CPU model has (the shadow
 * VMCS is guest data, so read-only classes do not apply from the host). */
static int shadow_index(uint32_t field)
{
	int idx = vmcs_index(field);

	if (idx < 0 || vmcs_fields[idx].acc == VMCS_ACC_NA)
		return -1;
	return idx;
}

HV_EXPORT hv_return_t hv_vmx_vcpu_read_shadow_vmcs(hv_vcpuid_t vcpu,
						   uint32_t field,
						   uint64_t *value)
{
	int idx = shadow_index(field);

	OWNED_VCPU(v, vcpu);
	if (idx < 0 || !value)
		return HV_BAD_ARGUMENT;
	*value = v->shadow.v[idx];
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vmx_vcpu_write_shadow_vmcs(hv_vcpuid_t vcpu,
						    uint32_t field,
						    uint64_t value)
{
	int idx = shadow_index(field);

	OWNED_VCPU(v, vcpu);
	if (idx < 0 || (value & ~vmcs_enc_mask(field)))
		return HV_BAD_ARGUMENT;
	v->shadow.v[idx] = value;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vmx_vcpu_set_shadow_access(hv_vcpuid_t vcpu,
						    uint32_t field,
						    hv_shadow_flags_t flags)
{
	int idx = shadow_index(field);

	OWNED_VCPU(v, vcpu);
	if (idx < 0 ||
	    (flags & ~(hv_shadow_flags_t)(HV_SHADOW_VMCS_READ |
					  HV_SHADOW_VMCS_WRITE)))
		return HV_BAD_ARGUMENT;
	v->shadow_acc[idx] = (uint8_t)flags;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vmx_read_capability(hv_vmx_capability_t field,
					     uint64_t *value)
{
	uint64_t val;

	if (!value || !caps_read(field, &val))
		return HV_BAD_ARGUMENT;
	*value = val;
	return HV_SUCCESS;
}

/* Our CPU model: no PMU or LBR; IA32_ARCH_CAPABILITIES says the software
 * engine is not affected by the speculative-execution issues it reports
 * (RDCL_NO, SKIP_L1DFL_VMENTRY, MDS_NO, TAA_NO); SPEC_CTRL holds IBRS,
 * STIBP and SSBD. */
HV_EXPORT hv_return_t hv_vmx_get_msr_info(hv_vmx_msr_info_t field,
					  uint64_t *value)
{
	uint64_t val;

	if (!value)
		return HV_BAD_ARGUMENT;
	switch (field) {
	case HV_VMX_INFO_MSR_IA32_ARCH_CAPABILITIES:
		val = 0x129;
		break;
	case HV_VMX_INFO_MSR_IA32_PERF_CAPABILITIES:
	case HV_VMX_VALID_MSR_IA32_PERFEVNTSEL:
	case HV_VMX_VALID_MSR_IA32_FIXED_CTR_CTRL:
	case HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_CTRL:
	case HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_STATUS:
	case HV_VMX_VALID_MSR_IA32_DEBUGCTL:
	case HV_VMX_NEED_MSR_IA32_SPEC_CTRL:
		val = 0;
		break;
	case HV_VMX_VALID_MSR_IA32_SPEC_CTRL:
		val = 0x7;
		break;
	default:
		return HV_BAD_ARGUMENT;
	}
	*value = val;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vmx_vcpu_set_apic_address_space(hv_vcpuid_t vcpu,
							 hv_vm_space_t asid,
							 hv_gpaddr_t gpa)
{
	OWNED_VCPU(v, vcpu);
	if ((gpa & (MEMMAP_PAGE - 1)) || gpa >= MEMMAP_GPA_LIMIT ||
	    asid > VM_SPACE_MAX)
		return HV_BAD_ARGUMENT;
	vm_lock();
	if (!v->vm->spaces[asid].used) {
		vm_unlock();
		return HV_BAD_ARGUMENT;
	}
	v->apic_gpa[asid] = gpa;
	if (asid == v->space)
		VMCS(&v->vmcs, VMCS_CTRL_APIC_ACCESS) = gpa;
	vm_unlock();
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vmx_vcpu_set_apic_address(hv_vcpuid_t vcpu,
						   hv_gpaddr_t gpa)
{
	return hv_vmx_vcpu_set_apic_address_space(vcpu, HV_VM_SPACE_DEFAULT,
						  gpa);
}
