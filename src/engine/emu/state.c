/* SPDX-License-Identifier: MIT */
/* Moving architectural state between the core's vCPU (VMCS store, the
 * register file and the XSAVE image beside it) and emu_cpu at VM entry and
 * VM exit, so that hv_vmx_vcpu_read_vmcs, hv_vcpu_read_register and
 * hv_vcpu_read_fpstate see the truth. */
#include <string.h>

#include "sys.h"

struct seg_fields {
	int sel, base, limit, ar;
};

#define SEGF(n) { VI_VMCS_GUEST_##n, VI_VMCS_GUEST_##n##_BASE, \
		  VI_VMCS_GUEST_##n##_LIMIT, VI_VMCS_GUEST_##n##_AR }

static const struct seg_fields seg_fields[8] = {
	[SEG_ES] = SEGF(ES), [SEG_CS] = SEGF(CS), [SEG_SS] = SEGF(SS),
	[SEG_DS] = SEGF(DS), [SEG_FS] = SEGF(FS), [SEG_GS] = SEGF(GS),
	[SEG_LDTR] = SEGF(LDTR), [SEG_TR] = SEGF(TR),
};

static const int pdpte_fields[4] = {
	VI_VMCS_GUEST_PDPTE0, VI_VMCS_GUEST_PDPTE1, VI_VMCS_GUEST_PDPTE2,
	VI_VMCS_GUEST_PDPTE3,
};

static void load_segs(struct emu_cpu *cpu, const struct vmcs_store *st)
{
	for (int i = 0; i < 8; i++) {
		const struct seg_fields *f = &seg_fields[i];
		struct seg *s = &cpu->seg[i];

		s->sel = (uint16_t)st->v[f->sel];
		s->base = st->v[f->base];
		s->limit = (uint32_t)st->v[f->limit];
		s->ar = (uint32_t)st->v[f->ar];
	}
	cpu->gdtr_base = VMCS(st, VMCS_GUEST_GDTR_BASE);
	cpu->gdtr_limit = (uint32_t)VMCS(st, VMCS_GUEST_GDTR_LIMIT);
	cpu->idtr_base = VMCS(st, VMCS_GUEST_IDTR_BASE);
	cpu->idtr_limit = (uint32_t)VMCS(st, VMCS_GUEST_IDTR_LIMIT);
}

static void store_segs(const struct emu_cpu *cpu, struct vmcs_store *st)
{
	for (int i = 0; i < 8; i++) {
		const struct seg_fields *f = &seg_fields[i];
		const struct seg *s = &cpu->seg[i];

		st->v[f->sel] = s->sel;
		st->v[f->base] = s->base;
		st->v[f->limit] = s->limit;
		st->v[f->ar] = s->ar;
	}
	VMCS(st, VMCS_GUEST_GDTR_BASE) = cpu->gdtr_base;
	VMCS(st, VMCS_GUEST_GDTR_LIMIT) = cpu->gdtr_limit;
	VMCS(st, VMCS_GUEST_IDTR_BASE) = cpu->idtr_base;
	VMCS(st, VMCS_GUEST_IDTR_LIMIT) = cpu->idtr_limit;
}

/* The VMX controls, decoded once per entry into the fast-path fields
 * (SDM Vol. 3C, 25.6-25.8). */
static void load_controls(struct emu_sys *s, const struct vcpu *v)
{
	const struct vmcs_store *st = &v->vmcs;

	s->pin = (uint32_t)VMCS(st, VMCS_CTRL_PIN_BASED);
	s->proc = (uint32_t)VMCS(st, VMCS_CTRL_CPU_BASED);
	s->proc2 = (s->proc & CPU_BASED_SECONDARY_CTLS) ?
		   (uint32_t)VMCS(st, VMCS_CTRL_CPU_BASED2) : 0;
	s->entry_ctl = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_CONTROLS);
	s->exit_ctl = (uint32_t)VMCS(st, VMCS_CTRL_VMEXIT_CONTROLS);
	s->exc_bitmap = (uint32_t)VMCS(st, VMCS_CTRL_EXC_BITMAP);
	s->pfec_mask = (uint32_t)VMCS(st, VMCS_CTRL_PF_ERROR_MASK);
	s->pfec_match = (uint32_t)VMCS(st, VMCS_CTRL_PF_ERROR_MATCH);
	s->cr0_mask = VMCS(st, VMCS_CTRL_CR0_MASK);
	s->cr0_shadow = VMCS(st, VMCS_CTRL_CR0_SHADOW);
	s->cr4_mask = VMCS(st, VMCS_CTRL_CR4_MASK);
	s->cr4_shadow = VMCS(st, VMCS_CTRL_CR4_SHADOW);
	s->tpr_threshold = (uint32_t)VMCS(st, VMCS_CTRL_TPR_THRESHOLD) & 0xf;
	s->ple_gap = (uint32_t)VMCS(st, VMCS_CTRL_PLE_GAP);
	s->ple_window = (uint32_t)VMCS(st, VMCS_CTRL_PLE_WINDOW);
	s->apic_page = (s->proc2 & CPU_BASED2_VIRTUAL_APIC) ?
		       VMCS(st, VMCS_CTRL_APIC_ACCESS) & ~0xfffull : ~0ull;
	/* With NMI exiting and no virtual NMIs, blocking by NMI is the
	 * host's business: IRET leaves it alone (26.3). */
	s->iret_keeps_nmi = (s->pin & PIN_BASED_NMI) &&
			    !(s->pin & PIN_BASED_VIRTUAL_NMI);
}

/* Interruptibility, pending debug exceptions, activity (25.4.2). */
static void load_events(struct emu_cpu *cpu, const struct vmcs_store *st)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t intr = VMCS(st, VMCS_GUEST_INTERRUPTIBILITY);

	cpu->intr_shadow = (uint32_t)intr & (GUEST_INTRBILITY_STI_BLOCKING |
					     GUEST_INTRBILITY_MOVSS_BLOCKING);
	s->nmi_blocked = intr & GUEST_INTRBILITY_NMI_BLOCKING;
	s->pending_dbg = VMCS(st, VMCS_GUEST_DEBUG_EXC);
	cpu->halted = VMCS(st, VMCS_GUEST_ACTIVITY_STATE) == 1;
}

void emu_state_load(struct emu_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	const struct vmcs_store *st = &v->vmcs;
	bool ia32e = VMCS(st, VMCS_CTRL_VMENTRY_CONTROLS) & VMENTRY_GUEST_IA32E;

	memcpy(cpu->gpr, v->gpr, sizeof(cpu->gpr));
	cpu->gpr[GPR_RSP] = VMCS(st, VMCS_GUEST_RSP);
	cpu->rip = VMCS(st, VMCS_GUEST_RIP);
	/* RFLAGS bit 1 is always 1 (SDM Vol. 1, 3.4.3). */
	cpu->rflags = VMCS(st, VMCS_GUEST_RFLAGS) | 2;
	emu_set_rflags(cpu, cpu->rflags);
	load_segs(cpu, st);
	cpu->cr0 = VMCS(st, VMCS_GUEST_CR0);
	cpu->cr3 = VMCS(st, VMCS_GUEST_CR3);
	cpu->cr4 = VMCS(st, VMCS_GUEST_CR4);
	/* EFER.LMA follows the "IA-32e mode guest" entry control (SDM Vol.
	 * 3C, 27.3.2.1). */
	cpu->efer = (VMCS(st, VMCS_GUEST_IA32_EFER) & ~EFER_LMA) |
		    (ia32e ? EFER_LMA : 0);
	cpu->cr2 = v->cr2;
	cpu->xcr0 = v->xcr0;
	emu_fpu_load(cpu, v->xsave);
	for (int i = 0; i < 4; i++) {
		cpu->dr[i] = v->dr[i];
		cpu->pdpte[i] = st->v[pdpte_fields[i]];
	}
	uint64_t apic_page = sys_of(cpu)->apic_page;

	load_controls(sys_of(cpu), v);
	/* Translations of a page that became (or stopped being) the
	 * APIC-access page must not be reused (vapic.c). */
	if (sys_of(cpu)->apic_page != apic_page)
		emu_tlb_flush(cpu);
	cpu->dr[6] = v->dr6;
	/* DR7 (and DEBUGCTL, which lives in the VMCS) are loaded only with
	 * "load debug controls" (27.3.2.1). */
	if (sys_of(cpu)->entry_ctl & VMENTRY_LOAD_DBG_CONTROLS)
		sys_of(cpu)->live_dr7 = VMCS(st, VMCS_GUEST_DR7);
	cpu->dr[7] = sys_of(cpu)->live_dr7;
	cpu->cr8 = v->vapic[0x80] >> 4;
	load_events(cpu, st);
	emu_update_mode(cpu);
}

/* Exit-information fields (SDM Vol. 3C, 28.2). */
static void store_exit_info(const struct emu_sys *s, struct vmcs_store *st)
{
	VMCS(st, VMCS_RO_EXIT_REASON) = s->exit_reason;
	VMCS(st, VMCS_RO_EXIT_QUALIFIC) = s->exit_qual;
	VMCS(st, VMCS_RO_VMEXIT_IRQ_INFO) = s->exit_irq_info;
	VMCS(st, VMCS_RO_VMEXIT_IRQ_ERROR) = s->exit_irq_err;
	VMCS(st, VMCS_RO_IDT_VECTOR_INFO) = s->idt_info;
	VMCS(st, VMCS_RO_IDT_VECTOR_ERROR) = s->idt_err;
	if (s->has_len)
		VMCS(st, VMCS_RO_VMEXIT_INSTR_LEN) = s->exit_len;
	if (s->has_instr_info)
		VMCS(st, VMCS_RO_VMX_INSTR_INFO) = s->exit_instr_info;
	if (s->has_gpa)
		VMCS(st, VMCS_GUEST_PHYSICAL_ADDRESS) = s->exit_gpa;
	if (s->has_gla)
		VMCS(st, VMCS_RO_GUEST_LIN_ADDR) = s->exit_gla;
	/* The valid bit of the VM-entry interruption information is cleared
	 * on every VM exit (SDM Vol. 3C, 28.2). */
	VMCS(st, VMCS_CTRL_VMENTRY_IRQ_INFO) &= ~(uint64_t)IRQ_INFO_VALID;
}

/* Interruptibility, pending debug exceptions, activity (28.3.4). A
 * single-step trap pending behind STI/MOV-SS blocking or HLT is recorded
 * as BS so that the saved state passes the VM-entry check of 27.3.1.5. */
static void store_events(const struct emu_cpu *cpu, struct vmcs_store *st)
{
	const struct emu_sys *s = sys_of((struct emu_cpu *)cpu);
	uint64_t intr = cpu->intr_shadow, dbg = s->pending_dbg;
	bool btf = VMCS(st, VMCS_GUEST_IA32_DEBUGCTL) & 2;

	if (s->nmi_blocked)
		intr |= GUEST_INTRBILITY_NMI_BLOCKING;
	if (cpu->halted)
		intr &= ~(uint64_t)(GUEST_INTRBILITY_STI_BLOCKING |
				    GUEST_INTRBILITY_MOVSS_BLOCKING);
	VMCS(st, VMCS_GUEST_INTERRUPTIBILITY) = intr;
	if ((intr & 3) || cpu->halted) {
		dbg &= ~(1ull << 14);
		if ((emu_get_rflags((struct emu_cpu *)cpu) & RF_TF) && !btf)
			dbg |= 1ull << 14;
	}
	VMCS(st, VMCS_GUEST_DEBUG_EXC) = dbg;
	VMCS(st, VMCS_GUEST_ACTIVITY_STATE) = cpu->halted ? 1 : 0;
}

void emu_state_store(struct emu_cpu *cpu)
{
	struct vcpu *v = cpu->vcpu;
	struct vmcs_store *st = &v->vmcs;
	memcpy(v->gpr, cpu->gpr, sizeof(v->gpr));
	v->gpr[GPR_RSP] = 0;
	VMCS(st, VMCS_GUEST_RSP) = cpu->gpr[GPR_RSP];
	VMCS(st, VMCS_GUEST_RIP) = cpu->rip;
	VMCS(st, VMCS_GUEST_RFLAGS) = emu_get_rflags(cpu);
	store_segs(cpu, st);
	VMCS(st, VMCS_GUEST_CR0) = cpu->cr0;
	VMCS(st, VMCS_GUEST_CR3) = cpu->cr3;
	VMCS(st, VMCS_GUEST_CR4) = cpu->cr4;
	VMCS(st, VMCS_GUEST_IA32_EFER) = cpu->efer;
	/* VM exits save EFER.LMA into the "IA-32e mode guest" entry control
	 * (SDM Vol. 3C, 28.3). */
	if (cpu->efer & EFER_LMA)
		VMCS(st, VMCS_CTRL_VMENTRY_CONTROLS) |= VMENTRY_GUEST_IA32E;
	else
		VMCS(st, VMCS_CTRL_VMENTRY_CONTROLS) &= ~(uint64_t)VMENTRY_GUEST_IA32E;
	v->cr2 = cpu->cr2;
	v->xcr0 = cpu->xcr0;
	emu_fpu_store(cpu, v->xsave);
	for (int i = 0; i < 4; i++) {
		v->dr[i] = cpu->dr[i];
		st->v[pdpte_fields[i]] = cpu->pdpte[i];
	}
	v->dr6 = cpu->dr[6];
	/* DR7 and DEBUGCTL are saved only with "save debug controls"
	 * (28.3.1). */
	sys_of(cpu)->live_dr7 = cpu->dr[7];
	if (sys_of(cpu)->exit_ctl & VMEXIT_SAVE_DBG_CONTROLS)
		VMCS(st, VMCS_GUEST_DR7) = cpu->dr[7];
	store_events(cpu, st);
	store_exit_info(sys_of(cpu), st);
}
