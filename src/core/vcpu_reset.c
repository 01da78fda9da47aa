/* SPDX-License-Identifier: MIT */
/* The documented initial state of a new vCPU (docs/compat.md, "Initial
 * vCPU state"): the processor's power-up state (SDM Vol. 3A, 10.1.1,
 * Table 10-1) adjusted to the VMX fixed bits (CR0.NE, CR4.VMXE; SDM Vol.
 * 3D, A.7-A.8) and to controls that pass the VM-entry checks, so that a
 * real-mode guest starts after writing RIP and the CS selector and base. */
#include <string.h>

#include "caps.h"
#include "clock.h"
#include "vcpu.h"

#define VMCS_SET(v, f, val) (VMCS(&(v)->vmcs, f) = (val))

static void reset_segments(struct vcpu *v)
{
	static const uint32_t sel[] = { VMCS_GUEST_ES, VMCS_GUEST_SS,
					VMCS_GUEST_DS, VMCS_GUEST_FS,
					VMCS_GUEST_GS };
	static const uint32_t lim[] = { VMCS_GUEST_ES_LIMIT,
					VMCS_GUEST_SS_LIMIT,
					VMCS_GUEST_DS_LIMIT,
					VMCS_GUEST_FS_LIMIT,
					VMCS_GUEST_GS_LIMIT };
	static const uint32_t ar[] = { VMCS_GUEST_ES_AR, VMCS_GUEST_SS_AR,
				       VMCS_GUEST_DS_AR, VMCS_GUEST_FS_AR,
				       VMCS_GUEST_GS_AR };

	for (unsigned i = 0; i < 5; i++) {
		v->vmcs.v[vmcs_index(sel[i])] = 0;
		v->vmcs.v[vmcs_index(lim[i])] = 0xffff;
		/* Present, read/write data, accessed. */
		v->vmcs.v[vmcs_index(ar[i])] = 0x93;
	}
	/* CS = F000, base FFFF0000: the reset vector is FFFFFFF0. */
	VMCS_SET(v, VMCS_GUEST_CS, 0xf000);
	VMCS_SET(v, VMCS_GUEST_CS_BASE, 0xffff0000);
	VMCS_SET(v, VMCS_GUEST_CS_LIMIT, 0xffff);
	VMCS_SET(v, VMCS_GUEST_CS_AR, 0x9b);
	VMCS_SET(v, VMCS_GUEST_LDTR_LIMIT, 0xffff);
	VMCS_SET(v, VMCS_GUEST_LDTR_AR, 0x82);
	/* TR must be a busy TSS at VM entry (SDM Vol. 3C, 27.3.1.2). */
	VMCS_SET(v, VMCS_GUEST_TR_LIMIT, 0xffff);
	VMCS_SET(v, VMCS_GUEST_TR_AR, 0x8b);
	VMCS_SET(v, VMCS_GUEST_GDTR_LIMIT, 0xffff);
	VMCS_SET(v, VMCS_GUEST_IDTR_LIMIT, 0xffff);
}

static uint32_t cap_must1(hv_vmx_capability_t id)
{
	uint64_t cap = 0;

	caps_read(id, &cap);
	return (uint32_t)cap;
}

static void reset_controls(struct vcpu *v)
{
	VMCS_SET(v, VMCS_CTRL_PIN_BASED, cap_must1(HV_VMX_CAP_TRUE_PINBASED));
	VMCS_SET(v, VMCS_CTRL_CPU_BASED,
		 cap_must1(HV_VMX_CAP_TRUE_PROCBASED));
	VMCS_SET(v, VMCS_CTRL_CPU_BASED2, cap_must1(HV_VMX_CAP_PROCBASED2));
	VMCS_SET(v, VMCS_CTRL_VMENTRY_CONTROLS,
		 cap_must1(HV_VMX_CAP_TRUE_ENTRY));
	VMCS_SET(v, VMCS_CTRL_VMEXIT_CONTROLS,
		 cap_must1(HV_VMX_CAP_TRUE_EXIT));
	VMCS_SET(v, VMCS_VPID, v->id + 1);
	/* Write-back, 4-level EPT (SDM Vol. 3C, 25.6.11); the tables are the
	 * framework's map, never guest-visible. */
	VMCS_SET(v, VMCS_CTRL_EPTP, 0x5e);
	VMCS_SET(v, VMCS_GUEST_LINK_POINTER, ~0ull);
	VMCS_SET(v, VMCS_CTRL_APIC_ACCESS, 0);
	VMCS_SET(v, VMCS_HOST_CR0, 0x80050033);
	VMCS_SET(v, VMCS_HOST_CR4, 0x2020);
	VMCS_SET(v, VMCS_HOST_IA32_EFER, 0xd01);
	VMCS_SET(v, VMCS_HOST_IA32_PAT, 0x0007040600070406ull);
}

/* x87 and SSE registers as after FNINIT and power-up (SDM Vol. 1, 8.1.x,
 * 10.2.3): FCW 037F, MXCSR 1F80, in the XSAVE standard layout (SDM Vol. 1,
 * 13.4.1). */
static void reset_fpu(struct vcpu *v)
{
	uint8_t *x = v->xsave;
	uint16_t fcw = 0x37f;
	uint32_t mxcsr = 0x1f80, mxcsr_mask = 0xffff;
	uint64_t xstate_bv = 0x3;

	memset(x, 0, sizeof(v->xsave));
	memcpy(x + 0, &fcw, 2);
	memcpy(x + 24, &mxcsr, 4);
	memcpy(x + 28, &mxcsr_mask, 4);
	memcpy(x + 512, &xstate_bv, 8);
	v->xcr0 = 1;
}

void vcpu_reset_state(struct vcpu *v)
{
	memset(&v->vmcs, 0, sizeof(v->vmcs));
	memset(v->gpr, 0, sizeof(v->gpr));
	reset_segments(v);
	reset_controls(v);
	VMCS_SET(v, VMCS_GUEST_RIP, 0xfff0);
	VMCS_SET(v, VMCS_GUEST_RFLAGS, 0x2);
	VMCS_SET(v, VMCS_GUEST_CR0, 0x30);   /* ET | NE */
	VMCS_SET(v, VMCS_GUEST_CR4, 0x2000); /* VMXE */
	VMCS_SET(v, VMCS_GUEST_DR7, 0x400);
	VMCS_SET(v, VMCS_GUEST_IA32_PAT, 0x0007040600070406ull);
	v->dr6 = 0xffff0ff0;
	for (unsigned i = 0; i < sizeof(v->apic_gpa) / sizeof(v->apic_gpa[0]);
	     i++)
		v->apic_gpa[i] = ~0ull;
	reset_fpu(v);
	/* The guest TSC starts at 0 (SDM Vol. 3A, 18.17). */
	core_set_tsc_offset(v, 0 - core_tsc_clock());
}
