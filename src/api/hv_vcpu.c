/* SPDX-License-Identifier: MIT */
/* vCPU lifetime, registers, FP state, MSRs, running and time (hv.h 5.3,
 * 5.4 of the fact sheet). Every function but hv_vcpu_interrupt is for the
 * owning thread only. */
#include "api.h"

#include <stdint.h>

#include "core/clock.h"
#include "core/fpstate.h"
#include "core/msr_access.h"
#include "core/regs.h"
#include "engine/engine.h"

HV_EXPORT hv_return_t hv_vcpu_create(hv_vcpuid_t *vcpu,
				     hv_vcpu_options_t flags)
{
	hv_return_t ret;

	if (!vcpu)
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vcpu_create(vcpu, flags);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vcpu_destroy(hv_vcpuid_t vcpu)
{
	hv_return_t ret;

	OWNED_VCPU(v, vcpu);
	vm_lock();
	ret = vcpu_destroy(v);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vcpu_read_register(hv_vcpuid_t vcpu,
					    hv_x86_reg_t reg, uint64_t *value)
{
	OWNED_VCPU(v, vcpu);
	if (!value)
		return HV_BAD_ARGUMENT;
	return regs_read(v, reg, value);
}

HV_EXPORT hv_return_t hv_vcpu_write_register(hv_vcpuid_t vcpu,
					     hv_x86_reg_t reg, uint64_t value)
{
	OWNED_VCPU(v, vcpu);
	return regs_write(v, reg, value);
}

HV_EXPORT hv_return_t hv_vcpu_read_fpstate(hv_vcpuid_t vcpu, void *buffer,
					   size_t size)
{
	OWNED_VCPU(v, vcpu);
	if (!buffer)
		return HV_BAD_ARGUMENT;
	return fpstate_read(v, buffer, size);
}

HV_EXPORT hv_return_t hv_vcpu_write_fpstate(hv_vcpuid_t vcpu, void *buffer,
					    size_t size)
{
	OWNED_VCPU(v, vcpu);
	if (!buffer)
		return HV_BAD_ARGUMENT;
	return fpstate_write(v, buffer, size);
}

HV_EXPORT hv_return_t hv_vcpu_enable_native_msr(hv_vcpuid_t vcpu,
						uint32_t msr, bool enable)
{
	OWNED_VCPU(v, vcpu);
	return msr_enable_native(v, msr, enable);
}

HV_EXPORT hv_return_t hv_vcpu_enable_managed_msr(hv_vcpuid_t vcpu,
						 uint32_t msr, bool enable)
{
	OWNED_VCPU(v, vcpu);
	return msr_enable_managed(v, msr, enable);
}

HV_EXPORT hv_return_t hv_vcpu_set_msr_access(hv_vcpuid_t vcpu, uint32_t msr,
					     hv_msr_flags_t flags)
{
	OWNED_VCPU(v, vcpu);
	return msr_set_access(v, msr, flags);
}

HV_EXPORT hv_return_t hv_vcpu_read_msr(hv_vcpuid_t vcpu, uint32_t msr,
				       uint64_t *value)
{
	OWNED_VCPU(v, vcpu);
	if (!value)
		return HV_BAD_ARGUMENT;
	return msr_host_read(v, msr, value);
}

HV_EXPORT hv_return_t hv_vcpu_write_msr(hv_vcpuid_t vcpu, uint32_t msr,
					uint64_t value)
{
	OWNED_VCPU(v, vcpu);
	return msr_host_write(v, msr, value);
}

/* A no-op since macOS 11 (Apple): always HV_UNSUPPORTED for the owner. */
HV_EXPORT hv_return_t hv_vcpu_flush(hv_vcpuid_t vcpu)
{
	OWNED_VCPU(v, vcpu);
	(void)v;
	return HV_UNSUPPORTED;
}

HV_EXPORT hv_return_t hv_vcpu_invalidate_tlb(hv_vcpuid_t vcpu)
{
	OWNED_VCPU(v, vcpu);
	v->vm->ops->tlb_invalidate(v);
	return HV_SUCCESS;
}

static hv_return_t vcpu_run_common(struct vcpu *v, uint64_t deadline_ns,
				   int until)
{
	uint64_t t0 = core_clock_ns();
	hv_return_t ret;

	v->ran = true;
	ret = v->vm->ops->vcpu_run(v, deadline_ns, until);
	v->exec_ns += core_clock_ns() - t0;
	return ret;
}

HV_EXPORT hv_return_t hv_vcpu_run(hv_vcpuid_t vcpu)
{
	OWNED_VCPU(v, vcpu);
	return vcpu_run_common(v, UINT64_MAX, 0);
}

/* deadline is in mach_absolute_time units, nanoseconds on Intel Macs;
 * here CLOCK_MONOTONIC nanoseconds (docs/compat.md). */
HV_EXPORT hv_return_t hv_vcpu_run_until(hv_vcpuid_t vcpu, uint64_t deadline)
{
	OWNED_VCPU(v, vcpu);
	return vcpu_run_common(v, deadline == HV_DEADLINE_FOREVER ?
					  UINT64_MAX : deadline, 1);
}

HV_EXPORT hv_return_t hv_vcpu_interrupt(hv_vcpuid_t *vcpus,
					unsigned int vcpu_count)
{
	hv_return_t ret;

	if (!vcpus || !vcpu_count)
		return HV_BAD_ARGUMENT;
	vm_lock();
	ret = vcpu_interrupt(vcpus, vcpu_count);
	vm_unlock();
	return ret;
}

HV_EXPORT hv_return_t hv_vcpu_get_exec_time(hv_vcpuid_t vcpu, uint64_t *time)
{
	OWNED_VCPU(v, vcpu);
	if (!time)
		return HV_BAD_ARGUMENT;
	*time = v->exec_ns;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vcpu_get_idle_time(hv_vcpuid_t vcpu, uint64_t *time)
{
	OWNED_VCPU(v, vcpu);
	if (!time)
		return HV_BAD_ARGUMENT;
	*time = v->idle_ns;
	return HV_SUCCESS;
}

/* RFLAGS.CF (bit 0, VMfailInvalid) and ZF (bit 6, VMfailValid) of the last
 * failed VM entry; HV_ERROR before the first run (docs/compat.md). */
HV_EXPORT hv_return_t hv_vcpu_vmx_status(hv_vcpuid_t vcpu, uint32_t *status)
{
	OWNED_VCPU(v, vcpu);
	if (!status)
		return HV_BAD_ARGUMENT;
	if (!v->ran)
		return HV_ERROR;
	*status = v->entry_failed ? v->vmx_status : 0;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vcpu_set_space(hv_vcpuid_t vcpu, hv_vm_space_t asid)
{
	OWNED_VCPU(v, vcpu);
	vm_lock();
	if (asid > VM_SPACE_MAX || !v->vm->spaces[asid].used) {
		vm_unlock();
		return HV_BAD_ARGUMENT;
	}
	v->space = asid;
	VMCS(&v->vmcs, VMCS_CTRL_APIC_ACCESS) =
		v->apic_gpa[asid] == ~0ull ? 0 : v->apic_gpa[asid];
	vm_unlock();
	v->vm->ops->tlb_invalidate(v);
	return HV_SUCCESS;
}

/* Guest TSC = hv_tsc_clock() + offset, for vCPUs created with
 * HV_VCPU_TSC_RELATIVE. */
HV_EXPORT hv_return_t hv_vcpu_set_tsc_relative(hv_vcpuid_t vcpu,
					       int64_t offset)
{
	OWNED_VCPU(v, vcpu);
	if (!(v->options & HV_VCPU_TSC_RELATIVE))
		return HV_BAD_ARGUMENT;
	core_set_tsc_offset(v, (uint64_t)offset);
	return HV_SUCCESS;
}
