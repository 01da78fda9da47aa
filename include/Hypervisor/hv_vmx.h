/* SPDX-License-Identifier: MIT */
/* VMCS access, shadow VMCS and VMX capability queries; mirrors Apple's
 * hv_vmx.h (fact sheet §6). */

#ifndef __HYPERVISOR_HV_VMX__
#define __HYPERVISOR_HV_VMX__

#include <Hypervisor/hv_shims.h>
#include <Hypervisor/hv_error.h>
#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_arch_x86.h>
#include <Hypervisor/hv_arch_vmx.h>
#include <stdint.h>

OS_ASSUME_NONNULL_BEGIN

__BEGIN_DECLS

#define __HV_10_10 __API_AVAILABLE(macos(10.10))
#define __HV_10_15 __API_AVAILABLE(macos(10.15))
#define __HV_11_0 __API_AVAILABLE(macos(11.0))
#define __HV_12_0 __API_AVAILABLE(macos(12.0))

/* Ids for hv_vmx_read_capability() (§6.2). The control capabilities use the
 * IA32_VMX_*_CTLS layout: low 32 bits must be 1, high 32 bits may be 1. */
typedef enum {
	HV_VMX_CAP_PINBASED		= 0,
	HV_VMX_CAP_PROCBASED		= 1,
	HV_VMX_CAP_PROCBASED2		= 2,
	HV_VMX_CAP_ENTRY		= 3,
	HV_VMX_CAP_EXIT			= 4,
	HV_VMX_CAP_BASIC		= 5,
	HV_VMX_CAP_TRUE_PINBASED	= 6,
	HV_VMX_CAP_TRUE_PROCBASED	= 7,
	HV_VMX_CAP_TRUE_ENTRY		= 8,
	HV_VMX_CAP_TRUE_EXIT		= 9,
	HV_VMX_CAP_MISC			= 10,
	HV_VMX_CAP_CR0_FIXED0		= 11,
	HV_VMX_CAP_CR0_FIXED1		= 12,
	HV_VMX_CAP_CR4_FIXED0		= 13,
	HV_VMX_CAP_CR4_FIXED1		= 14,
	HV_VMX_CAP_VMCS_ENUM		= 15,
	HV_VMX_CAP_EPT_VPID_CAP		= 16,
	HV_VMX_CAP_PREEMPTION_TIMER	= 32,
} hv_vmx_capability_t;

/* Ids for hv_vmx_get_msr_info() (§6.3, 11.0+) */
typedef uint64_t hv_vmx_msr_info_t;

enum {
	HV_VMX_INFO_MSR_IA32_ARCH_CAPABILITIES		= 0,
	HV_VMX_INFO_MSR_IA32_PERF_CAPABILITIES		= 1,
	HV_VMX_VALID_MSR_IA32_PERFEVNTSEL		= 2,
	HV_VMX_VALID_MSR_IA32_FIXED_CTR_CTRL		= 3,
	HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_CTRL		= 4,
	HV_VMX_VALID_MSR_IA32_PERF_GLOBAL_STATUS	= 5,
	HV_VMX_VALID_MSR_IA32_DEBUGCTL			= 6,
	HV_VMX_VALID_MSR_IA32_SPEC_CTRL			= 7,
	HV_VMX_NEED_MSR_IA32_SPEC_CTRL			= 8,
};

/* Guest access to a shadow-VMCS field, hv_vmx_vcpu_set_shadow_access()
 * (10.15+) */
typedef uint64_t hv_shadow_flags_t;

enum {
	HV_SHADOW_VMCS_NONE	= 0,
	HV_SHADOW_VMCS_READ	= 1ull << 0,
	HV_SHADOW_VMCS_WRITE	= 1ull << 1,
};

/* All functions return HV_SUCCESS or an HV_* error. Those taking a vcpu must
 * be called on the thread that created it (§9.4). */

/* Read / write a VMCS field of the vCPU; field is a VMCS_* encoding (§8.1,
 * access rules §8.2). Writes must respect the masks reported by
 * hv_vmx_vcpu_get_cap_write_vmcs(). */
__HV_10_10
hv_return_t hv_vmx_vcpu_read_vmcs(hv_vcpuid_t vcpu, uint32_t field,
	uint64_t *value);

__HV_10_10
hv_return_t hv_vmx_vcpu_write_vmcs(hv_vcpuid_t vcpu, uint32_t field,
	uint64_t value);

/* Constraints for writing field: a bit may be 0 only if it is 0 in
 * *allowed_0, and may be 1 only if it is 1 in *allowed_1. */
__HV_11_0
hv_return_t hv_vmx_vcpu_get_cap_write_vmcs(hv_vcpuid_t vcpu, uint32_t field,
	uint64_t *allowed_0, uint64_t *allowed_1);

/* Read / write a field of the vCPU's shadow VMCS (nested VMREAD/VMWRITE
 * with CPU_BASED2_VMCS_SHADOW). */
__HV_10_15
hv_return_t hv_vmx_vcpu_read_shadow_vmcs(hv_vcpuid_t vcpu, uint32_t field,
	uint64_t *value);

__HV_10_15
hv_return_t hv_vmx_vcpu_write_shadow_vmcs(hv_vcpuid_t vcpu, uint32_t field,
	uint64_t value);

/* Let the guest VMREAD and/or VMWRITE field of the shadow VMCS without an
 * exit (HV_SHADOW_VMCS_*). */
__HV_10_15
hv_return_t hv_vmx_vcpu_set_shadow_access(hv_vcpuid_t vcpu, uint32_t field,
	hv_shadow_flags_t flags);

/* A VMX capability of this implementation (not thread-bound). */
__HV_10_10
hv_return_t hv_vmx_read_capability(hv_vmx_capability_t field, uint64_t *value);

/* Guest MSR support information (not thread-bound). */
__HV_11_0
hv_return_t hv_vmx_get_msr_info(hv_vmx_msr_info_t field, uint64_t *value);

/* Guest-physical address of the vCPU's APIC page, in the default address
 * space or in space asid. */
__HV_10_10
hv_return_t hv_vmx_vcpu_set_apic_address(hv_vcpuid_t vcpu, hv_gpaddr_t gpa);

__HV_12_0
hv_return_t hv_vmx_vcpu_set_apic_address_space(hv_vcpuid_t vcpu,
	hv_vm_space_t asid, hv_gpaddr_t gpa);

#undef __HV_10_10
#undef __HV_10_15
#undef __HV_11_0
#undef __HV_12_0

__END_DECLS

OS_ASSUME_NONNULL_END

#endif /* __HYPERVISOR_HV_VMX__ */
