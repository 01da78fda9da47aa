/* SPDX-License-Identifier: MIT */
/* Capability values. Control capabilities use the IA32_VMX_*_CTLS format:
 * bits 31:0 are the allowed-0 settings (1 = must be 1), bits 63:32 the
 * allowed-1 settings (1 = may be 1) (SDM Vol. 3D, A.3-A.5). What the
 * framework forces on (it owns EPT, the MSR bitmaps, the I/O path and
 * the host state) appears as must-be-1; docs/vmx-controls.md lists every
 * bit with its reason. */
#include "caps.h"

#include <Hypervisor/hv_arch_vmx.h>

#include "vmcs.h"

#define CTL(must1, may1) (((uint64_t)(may1) << 32) | (uint32_t)(must1))

/* Default1 classes (SDM Vol. 3D, A.2): bits reserved as 1 unless the TRUE
 * MSR says they may be 0. */
#define PIN_DEFAULT1 0x00000016u
#define PROC_DEFAULT1 0x0401e172u
#define EXIT_DEFAULT1 0x00036dffu
#define ENTRY_DEFAULT1 0x000011ffu

/* Pin-based: external-interrupt exiting, NMI exiting, virtual NMIs,
 * VMX-preemption timer (SDM Vol. 3C, 25.6.1). */
#define PIN_MAY1 (PIN_DEFAULT1 | PIN_BASED_INTR | PIN_BASED_NMI | \
		  PIN_BASED_VIRTUAL_NMI | PIN_BASED_PREEMPTION_TIMER)

/* Primary processor-based controls (SDM Vol. 3C, 25.6.2). Forced on:
 * TSC offsetting (the framework owns the TSC offset, hv_vm_sync_tsc),
 * unconditional I/O exiting (I/O bitmaps belong to the framework and are
 * not offered), MSR bitmaps (native MSRs) and the secondary controls
 * (EPT and unrestricted guest live there). */
#define PROC_FORCED (CPU_BASED_TSC_OFFSET | CPU_BASED_UNCOND_IO | \
		     CPU_BASED_MSR_BITMAPS | CPU_BASED_SECONDARY_CTLS)
#define PROC_MAY1 (PROC_DEFAULT1 | PROC_FORCED | CPU_BASED_IRQ_WND | \
		   CPU_BASED_HLT | CPU_BASED_INVLPG | CPU_BASED_MWAIT | \
		   CPU_BASED_RDPMC | CPU_BASED_RDTSC | CPU_BASED_CR3_LOAD | \
		   CPU_BASED_CR3_STORE | CPU_BASED_CR8_LOAD | \
		   CPU_BASED_CR8_STORE | CPU_BASED_TPR_SHADOW | \
		   CPU_BASED_VIRTUAL_NMI_WND | CPU_BASED_MOV_DR | \
		   CPU_BASED_MTF | CPU_BASED_MONITOR | CPU_BASED_PAUSE)
/* TRUE_PROCBASED lets CR3-load and CR3-store exiting be 0 (A.3.2). */
#define PROC_TRUE_MUST1 ((PROC_DEFAULT1 & ~(CPU_BASED_CR3_LOAD | \
				   CPU_BASED_CR3_STORE)) | PROC_FORCED)

/* Secondary controls (SDM Vol. 3C, 25.6.2, Table 25-7). EPT and
 * unrestricted guest are forced: guest memory is the framework's EPT and
 * real-mode guests run directly (hvdos-style clients rely on both without
 * asking). */
#define PROC2_FORCED (CPU_BASED2_EPT | CPU_BASED2_UNRESTRICTED)
#define PROC2_MAY1 (PROC2_FORCED | CPU_BASED2_VIRTUAL_APIC | \
		    CPU_BASED2_DESC_TABLE | CPU_BASED2_RDTSCP | \
		    CPU_BASED2_VPID | CPU_BASED2_WBINVD | \
		    CPU_BASED2_PAUSE_LOOP | CPU_BASED2_RDRAND | \
		    CPU_BASED2_INVPCID | CPU_BASED2_VMCS_SHADOW | \
		    CPU_BASED2_RDSEED)

/* VM-exit controls (SDM Vol. 3C, 25.7.1). The host is 64-bit and its
 * EFER is the framework's: host address-space size, save EFER and load
 * EFER are forced. */
#define EXIT_FORCED (VMEXIT_HOST_IA32E | VMEXIT_SAVE_EFER | VMEXIT_LOAD_EFER)
#define EXIT_MAY1 (EXIT_DEFAULT1 | EXIT_FORCED | VMEXIT_SAVE_DBG_CONTROLS | \
		   VMEXIT_ACK_INTR | VMEXIT_SAVE_IA32_PAT | \
		   VMEXIT_LOAD_IA32_PAT | VMEXIT_SAVE_VMX_TIMER)
#define EXIT_TRUE_MUST1 ((EXIT_DEFAULT1 & ~VMEXIT_SAVE_DBG_CONTROLS) | \
			 EXIT_FORCED)

/* VM-entry controls (SDM Vol. 3C, 25.8.1): guest EFER always comes from
 * VMCS_GUEST_IA32_EFER, so load EFER is forced. */
#define ENTRY_FORCED VMENTRY_LOAD_EFER
#define ENTRY_MAY1 (ENTRY_DEFAULT1 | ENTRY_FORCED | \
		    VMENTRY_LOAD_DBG_CONTROLS | VMENTRY_GUEST_IA32E | \
		    VMENTRY_LOAD_IA32_PAT)
#define ENTRY_TRUE_MUST1 ((ENTRY_DEFAULT1 & ~VMENTRY_LOAD_DBG_CONTROLS) | \
			  ENTRY_FORCED)

/* IA32_VMX_BASIC (SDM Vol. 3D, A.1): revision 1, 4 KiB VMCS region,
 * write-back VMCS memory type (6), INS/OUTS instruction information
 * (bit 54), TRUE controls (bit 55). */
#define BASIC_VALUE (1ull | (4096ull << 32) | (6ull << 50) | (1ull << 54) | \
		     VMX_BASIC_TRUE_CTLS)

/* IA32_VMX_MISC (SDM Vol. 3D, A.6): timer rate, EFER.LMA saved into the
 * IA-32e-mode-guest control (bit 5), HLT activity state (bit 6), 4
 * CR3-target values (bits 24:16), 512 MSRs per list (bits 27:25 = 0),
 * VMWRITE to any field incl. exit information (bit 29), injection of
 * zero-length software events (bit 30). */
#define MISC_VALUE ((uint64_t)CAPS_TIMER_SHIFT | (1ull << 5) | (1ull << 6) | \
		    ((uint64_t)CAPS_CR3_TARGETS << 16) | (1ull << 29) | \
		    (1ull << 30))

/* CR0/CR4 fixed bits in VMX operation (SDM Vol. 3D, A.7-A.8): PE, NE, PG
 * and VMXE must be 1 (unrestricted guest lifts PE and PG at entry); CR4
 * may hold the bits our CPU model implements. */
#define CR0_FIXED0 0x80000021ull
#define CR0_FIXED1 0xffffffffull
#define CR4_FIXED0 0x00002000ull
#define CR4_FIXED1 0x003727fcull /* TSD..OSXMMEXCPT, VMXE, FSGSBASE, PCIDE,
				    OSXSAVE, SMEP, SMAP; not VME/PVI (virtual
				    interrupts are not modelled) */

/* IA32_VMX_EPT_VPID_CAP (SDM Vol. 3D, A.10): execute-only, 4-level walk,
 * UC and WB types, 2 MiB and 1 GiB pages, INVEPT (single, all), INVVPID
 * (individual address, single, all, single keeping globals). */
#define EPT_VPID_VALUE (1ull | (1ull << 6) | (1ull << 8) | (1ull << 14) | \
			(1ull << 16) | (1ull << 17) | (1ull << 20) | \
			(1ull << 25) | (1ull << 26) | (1ull << 32) | \
			(1ull << 40) | (1ull << 41) | (1ull << 42) | \
			(1ull << 43))

bool caps_read(hv_vmx_capability_t id, uint64_t *value)
{
	switch (id) {
	case HV_VMX_CAP_PINBASED:
	case HV_VMX_CAP_TRUE_PINBASED:
		*value = CTL(PIN_DEFAULT1, PIN_MAY1);
		return true;
	case HV_VMX_CAP_PROCBASED:
		*value = CTL(PROC_DEFAULT1 | PROC_FORCED, PROC_MAY1);
		return true;
	case HV_VMX_CAP_TRUE_PROCBASED:
		*value = CTL(PROC_TRUE_MUST1, PROC_MAY1);
		return true;
	case HV_VMX_CAP_PROCBASED2:
		*value = CTL(PROC2_FORCED, PROC2_MAY1);
		return true;
	case HV_VMX_CAP_ENTRY:
		*value = CTL(ENTRY_DEFAULT1 | ENTRY_FORCED, ENTRY_MAY1);
		return true;
	case HV_VMX_CAP_TRUE_ENTRY:
		*value = CTL(ENTRY_TRUE_MUST1, ENTRY_MAY1);
		return true;
	case HV_VMX_CAP_EXIT:
		*value = CTL(EXIT_DEFAULT1 | EXIT_FORCED, EXIT_MAY1);
		return true;
	case HV_VMX_CAP_TRUE_EXIT:
		*value = CTL(EXIT_TRUE_MUST1, EXIT_MAY1);
		return true;
	case HV_VMX_CAP_BASIC:
		*value = BASIC_VALUE;
		return true;
	case HV_VMX_CAP_MISC:
		*value = MISC_VALUE;
		return true;
	case HV_VMX_CAP_CR0_FIXED0:
		*value = CR0_FIXED0;
		return true;
	case HV_VMX_CAP_CR0_FIXED1:
		*value = CR0_FIXED1;
		return true;
	case HV_VMX_CAP_CR4_FIXED0:
		*value = CR4_FIXED0;
		return true;
	case HV_VMX_CAP_CR4_FIXED1:
		*value = CR4_FIXED1;
		return true;
	case HV_VMX_CAP_VMCS_ENUM:
		/* Bits 9:1 hold the highest index (SDM Vol. 3D, A.9). */
		*value = (uint64_t)vmcs_max_index() << 1;
		return true;
	case HV_VMX_CAP_EPT_VPID_CAP:
		*value = EPT_VPID_VALUE;
		return true;
	case HV_VMX_CAP_PREEMPTION_TIMER:
		/* The timer's frequency in Hz (docs/compat.md). */
		*value = CAPS_TSC_HZ >> CAPS_TIMER_SHIFT;
		return true;
	default:
		return false;
	}
}

/* The TRUE capability that governs writes of a control field. */
static bool ctl_cap(uint32_t field, hv_vmx_capability_t *id)
{
	switch (field) {
	case VMCS_CTRL_PIN_BASED:
		*id = HV_VMX_CAP_TRUE_PINBASED;
		return true;
	case VMCS_CTRL_CPU_BASED:
		*id = HV_VMX_CAP_TRUE_PROCBASED;
		return true;
	case VMCS_CTRL_CPU_BASED2:
		*id = HV_VMX_CAP_PROCBASED2;
		return true;
	case VMCS_CTRL_VMENTRY_CONTROLS:
		*id = HV_VMX_CAP_TRUE_ENTRY;
		return true;
	case VMCS_CTRL_VMEXIT_CONTROLS:
		*id = HV_VMX_CAP_TRUE_EXIT;
		return true;
	default:
		return false;
	}
}

bool caps_write_masks(uint32_t field, uint64_t *allowed_0,
		      uint64_t *allowed_1)
{
	int idx = vmcs_index(field);
	hv_vmx_capability_t id;
	uint64_t cap;

	if (idx < 0)
		return false;
	switch (vmcs_fields[idx].acc) {
	case VMCS_ACC_RW:
		*allowed_0 = 0;
		*allowed_1 = vmcs_enc_mask(field);
		return true;
	case VMCS_ACC_CTL:
		if (!ctl_cap(field, &id) || !caps_read(id, &cap))
			return false;
		*allowed_0 = (uint32_t)cap;
		*allowed_1 = cap >> 32;
		return true;
	case VMCS_ACC_CR0:
		/* Apple: guest CR0 writable only with CD (30) and NW (29)
		 * clear. */
		*allowed_0 = 0;
		*allowed_1 = ~0x60000000ull;
		return true;
	case VMCS_ACC_ACT:
		/* Only ACTIVE (0) and HLT (1) (SDM Vol. 3C, 25.4.2). */
		*allowed_0 = 0;
		*allowed_1 = 1;
		return true;
	default:
		return false;
	}
}

bool caps_write_ok(uint32_t field, uint64_t value)
{
	uint64_t a0, a1;

	if (!caps_write_masks(field, &a0, &a1))
		return false;
	return (value & a0) == a0 && (value & ~a1) == 0;
}
