/* SPDX-License-Identifier: MIT */
/* Host-side MSR access and guest-access control (hv_vcpu_read_msr,
 * hv_vcpu_write_msr, hv_vcpu_enable_native_msr,
 * hv_vcpu_enable_managed_msr, hv_vcpu_set_msr_access). */
#include "msr_access.h"

#include <Hypervisor/hv_types.h>

#include "clock.h"
#include "vcpu.h"

/* Canonical for 48-bit linear addresses (SDM Vol. 1, 3.3.7.1). */
static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* EFER: SCE, LME, LMA, NXE (SDM Vol. 3A, 2.2.1). */
#define EFER_VALID 0xd01ull

/* Slot of msr if the host may access it now: native-capable and
 * VMCS-backed MSRs always, managed-only MSRs while bound, MSRs of features
 * the CPU model lacks (PMU, LBR, XSS) never. */
static int host_slot(struct vcpu *v, uint32_t msr, const struct msr_desc **d)
{
	int slot = msr_lookup(msr, d);

	if (slot < 0 || ((*d)->flags & MSRF_U))
		return -1;
	if (((*d)->flags & MSRF_N) || (*d)->vmcs_idx >= 0 ||
	    v->msr_bound[slot])
		return slot;
	return -1;
}

hv_return_t msr_host_read(struct vcpu *v, uint32_t msr, uint64_t *value)
{
	const struct msr_desc *d;
	int slot = host_slot(v, msr, &d);

	if (slot < 0)
		return HV_BAD_ARGUMENT;
	if (d->slot == MS_TSC)
		*value = core_guest_tsc(v);
	else if (d->vmcs_idx >= 0)
		*value = v->vmcs.v[d->vmcs_idx];
	else if (d->flags & MSRF_W)
		*value = 0;
	else
		*value = v->msr[slot];
	return HV_SUCCESS;
}

hv_return_t msr_host_write(struct vcpu *v, uint32_t msr, uint64_t value)
{
	const struct msr_desc *d;
	int slot = host_slot(v, msr, &d);

	if (slot < 0)
		return HV_BAD_ARGUMENT;
	if ((d->flags & MSRF_C) && !canonical(value))
		return HV_BAD_ARGUMENT;
	if ((d->flags & MSRF_L) && (value >> 32))
		return HV_BAD_ARGUMENT;
	if (d->slot == MS_EFER && (value & ~EFER_VALID))
		return HV_BAD_ARGUMENT;
	if (d->slot == MS_TSC)
		core_set_tsc_offset(v, value - core_tsc_clock());
	else if (d->vmcs_idx >= 0)
		v->vmcs.v[d->vmcs_idx] = value;
	else
		v->msr[slot] = value;
	return HV_SUCCESS;
}

hv_return_t msr_enable_native(struct vcpu *v, uint32_t msr, bool enable)
{
	const struct msr_desc *d;
	int slot = msr_lookup(msr, &d);

	if (slot < 0 || !(d->flags & MSRF_N))
		return HV_BAD_ARGUMENT;
	v->msr_native[slot] = enable ? (HV_MSR_READ | HV_MSR_WRITE) : 0;
	return HV_SUCCESS;
}

hv_return_t msr_enable_managed(struct vcpu *v, uint32_t msr, bool enable)
{
	const struct msr_desc *d;
	int slot = msr_lookup(msr, &d);

	if (slot < 0 || !(d->flags & MSRF_M))
		return HV_BAD_ARGUMENT;
	if (d->flags & MSRF_U)
		return HV_UNSUPPORTED;
	v->msr_bound[slot] = enable;
	if (!enable)
		v->msr_native[slot] = 0;
	return HV_SUCCESS;
}

hv_return_t msr_set_access(struct vcpu *v, uint32_t msr, uint32_t flags)
{
	const struct msr_desc *d;
	int slot = msr_lookup(msr, &d);

	if (slot < 0 || !v->msr_bound[slot])
		return HV_BAD_ARGUMENT;
	if (flags & ~(uint32_t)(HV_MSR_READ | HV_MSR_WRITE))
		return HV_BAD_ARGUMENT;
	if (((d->flags & MSRF_R) && (flags & HV_MSR_WRITE)) ||
	    ((d->flags & MSRF_W) && (flags & HV_MSR_READ)))
		return HV_BAD_ARGUMENT;
	v->msr_native[slot] = (uint8_t)flags;
	return HV_SUCCESS;
}
