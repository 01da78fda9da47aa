/* SPDX-License-Identifier: MIT */
/* The IA-32e guest state both differential tests start from, set
 * through the public API: controls from the capabilities, flat segments,
 * TR/LDTR, GDTR, paging and EFER (SDM Vol. 3C, 27.3.1: the checks on
 * guest state a 64-bit guest must pass). The tests differ only in the
 * privilege level, the selectors and the CR0/CR4 features they enable;
 * both run the guest with the same loop (lm_run_to_exit). */
#ifndef TESTS_DIFF_LONGMODE_H
#define TESTS_DIFF_LONGMODE_H

#include <Hypervisor/Hypervisor.h>
#include <stdbool.h>

struct lm_guest {
	uint16_t cs, ds;         /* selectors: code, and all data segments */
	uint32_t cs_ar, ds_ar;   /* their access rights (VMCS format) */
	uint64_t gdt_base;
	uint32_t gdt_limit;
	uint64_t cr0, cr3, cr4;
	uint64_t proc_extra;     /* primary controls besides the required */
};

static inline bool lm_vmcs(hv_vcpuid_t vcpu, uint32_t field, uint64_t v)
{
	return hv_vmx_vcpu_write_vmcs(vcpu, field, v) == HV_SUCCESS;
}

/* Required-one bits on, unsupported bits off (capability MSR format:
 * allowed-0 in the low half, allowed-1 in the high half; SDM Vol. 3D,
 * A.3). */
static inline uint64_t lm_ctrl(hv_vmx_capability_t cap, uint64_t want)
{
	uint64_t v = 0;

	hv_vmx_read_capability(cap, &v);
	return (want | (v & 0xffffffffu)) & (v >> 32);
}

/* A flat segment: base 0, limit 4 GiB. The base/limit/AR encodings
 * follow the selector's by fixed strides (SDM Vol. 3C, Appendix B). */
static inline bool lm_seg(hv_vcpuid_t vcpu, uint32_t sel_f, uint16_t sel,
			  uint32_t ar)
{
	uint32_t i = sel_f - VMCS_GUEST_ES;

	return lm_vmcs(vcpu, sel_f, sel) &&
	       lm_vmcs(vcpu, VMCS_GUEST_ES_BASE + i, 0) &&
	       lm_vmcs(vcpu, VMCS_GUEST_ES_LIMIT + i, 0xffffffffu) &&
	       lm_vmcs(vcpu, VMCS_GUEST_ES_AR + i, ar);
}

static inline bool lm_state(hv_vcpuid_t vcpu, const struct lm_guest *g)
{
	static const uint32_t data[] = {
		VMCS_GUEST_SS, VMCS_GUEST_DS, VMCS_GUEST_ES, VMCS_GUEST_FS,
		VMCS_GUEST_GS,
	};
	bool ok = true;

	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_PIN_BASED,
			   lm_ctrl(HV_VMX_CAP_PINBASED, 0));
	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_CPU_BASED,
			   lm_ctrl(HV_VMX_CAP_PROCBASED,
				   CPU_BASED_HLT | g->proc_extra));
	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_CPU_BASED2,
			   lm_ctrl(HV_VMX_CAP_PROCBASED2, 0));
	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_VMENTRY_CONTROLS,
			   lm_ctrl(HV_VMX_CAP_ENTRY, VMENTRY_GUEST_IA32E));
	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_VMEXIT_CONTROLS,
			   lm_ctrl(HV_VMX_CAP_EXIT, VMEXIT_HOST_IA32E));
	ok = ok && lm_vmcs(vcpu, VMCS_CTRL_EXC_BITMAP, 0xffffffffu);
	ok = ok && lm_seg(vcpu, VMCS_GUEST_CS, g->cs, g->cs_ar);
	for (unsigned i = 0; i < sizeof(data) / sizeof(data[0]); i++)
		ok = ok && lm_seg(vcpu, data[i], g->ds, g->ds_ar);
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_TR, 0x18) &&
	     lm_vmcs(vcpu, VMCS_GUEST_TR_BASE, 0) &&
	     lm_vmcs(vcpu, VMCS_GUEST_TR_LIMIT, 0x67) &&
	     lm_vmcs(vcpu, VMCS_GUEST_TR_AR, 0x8b);
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_LDTR, 0) &&
	     lm_vmcs(vcpu, VMCS_GUEST_LDTR_AR, 0x10000);
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_GDTR_BASE, g->gdt_base) &&
	     lm_vmcs(vcpu, VMCS_GUEST_GDTR_LIMIT, g->gdt_limit);
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_IDTR_BASE, 0) &&
	     lm_vmcs(vcpu, VMCS_GUEST_IDTR_LIMIT, 0);
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_CR0, g->cr0) &&
	     lm_vmcs(vcpu, VMCS_GUEST_CR3, g->cr3) &&
	     lm_vmcs(vcpu, VMCS_GUEST_CR4, g->cr4) &&
	     lm_vmcs(vcpu, VMCS_GUEST_IA32_EFER, 0x500);  /* LME | LMA */
	ok = ok && lm_vmcs(vcpu, VMCS_GUEST_DR7, 0x400) &&
	     lm_vmcs(vcpu, VMCS_GUEST_ACTIVITY_STATE, 0) &&
	     lm_vmcs(vcpu, VMCS_GUEST_INTERRUPTIBILITY, 0);
	return ok;
}

/* Runs the guest until an exit other than the framework's own (an
 * external interrupt or a kick, VMX_REASON_IRQ), at most tries runs;
 * returns the basic exit reason, or ~0 when hv_vcpu_run fails. */
static inline uint64_t lm_run_to_exit(hv_vcpuid_t vcpu, int tries)
{
	uint64_t reason = 0;

	for (int i = 0; i < tries; i++) {
		if (hv_vcpu_run(vcpu) != HV_SUCCESS)
			return ~0ull;
		hv_vmx_vcpu_read_vmcs(vcpu, VMCS_RO_EXIT_REASON, &reason);
		reason &= 0xffff;
		if (reason != VMX_REASON_IRQ)
			break;
	}
	return reason;
}

#endif
