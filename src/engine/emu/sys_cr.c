/* SPDX-License-Identifier: MIT */
/* Control and debug registers: MOV CRn/DRn, CLTS, the CR0/CR3/CR4/EFER
 * side effects (paging-mode changes, IA-32e activation, TLB flushes) and
 * the VMX CR-access exits with guest/host masks and read shadows. */
#include "exec.h"
#include "sys.h"

/* CR4 bits the model supports: VME PVI TSD DE PSE PAE MCE PGE PCE OSFXSR
 * OSXMMEXCPT UMIP VMXE FSGSBASE PCIDE OSXSAVE SMEP SMAP. */
#define CR4_VALID 0x3727ffull

/* ------------------------------------------------------------------ */
/* Architectural side effects                                          */

static void paging_changed(struct emu_cpu *cpu)
{
	emu_tlb_flush(cpu);
	emu_decode_flush(cpu);
}

/* IA-32e mode activation and deactivation (SDM Vol. 3A, 10.8.5): LMA
 * follows CR0.PG while EFER.LME is set. */
void emu_set_cr0(struct emu_cpu *cpu, uint64_t v)
{
	uint64_t old = cpu->cr0;

	cpu->cr0 = v;
	if ((v & CR0_PG) && !(old & CR0_PG) && (cpu->efer & EFER_LME))
		cpu->efer |= EFER_LMA;
	if (!(v & CR0_PG) && (old & CR0_PG))
		cpu->efer &= ~EFER_LMA;
	if ((old ^ v) & (CR0_PG | CR0_WP | CR0_PE))
		paging_changed(cpu);
	emu_update_mode(cpu);
}

void emu_set_cr3(struct emu_cpu *cpu, uint64_t v)
{
	/* The soft TLB is not tagged by PCID, so a CR3 load flushes it even
	 * with the no-flush bit (dropping more is always permitted, SDM Vol.
	 * 3A, 4.10.4.1); bit 63 itself is never stored. */
	if (cpu->cr4 & CR4_PCIDE)
		v &= ~(1ull << 63);
	cpu->cr3 = v;
	paging_changed(cpu);
}

void emu_set_cr4(struct emu_cpu *cpu, uint64_t v)
{
	uint64_t old = cpu->cr4;

	cpu->cr4 = v;
	if (old != v)
		paging_changed(cpu);
	emu_update_mode(cpu);
}

void emu_set_efer(struct emu_cpu *cpu, uint64_t v)
{
	/* LMA is read-only for software (SDM Vol. 3A, 2.2.1). */
	cpu->efer = (v & ~EFER_LMA) | (cpu->efer & EFER_LMA);
	paging_changed(cpu);
	emu_update_mode(cpu);
}

/* ------------------------------------------------------------------ */
/* MOV to/from CRn                                                     */

/* CR-access exit qualification (SDM Vol. 3C, 28.2.1 table "Exit
 * Qualification for Control-Register Accesses"). */
static _Noreturn void cr_exit(struct emu_cpu *cpu, unsigned cr, unsigned type,
			      unsigned gpr, uint64_t extra)
{
	emu_exit_insn(cpu, VMX_REASON_MOV_CR,
		      cr | (type << 4) | (gpr << 8) | extra);
}

/* The guest-visible value of CR0/CR4: masked bits come from the read
 * shadow (SDM Vol. 3C, 26.3). */
static uint64_t cr_read_view(uint64_t real, uint64_t mask, uint64_t shadow)
{
	return (real & ~mask) | (shadow & mask);
}

static void check_pae_pdptes(struct emu_cpu *cpu, uint64_t cr0, uint64_t cr4,
			     uint64_t cr3)
{
	/* Entering or staying in PAE paging outside IA-32e mode loads the
	 * PDPTEs (SDM Vol. 3A, 4.4.1). */
	if ((cr0 & CR0_PG) && (cr4 & CR4_PAE) && !(cpu->efer & EFER_LME) &&
	    !emu_load_pdptes(cpu, cr3))
		emu_raise(cpu, EXC_GP, 0);
}

/* MOV to CR0 (SDM Vol. 3A, MOV-Move to/from Control Registers; VMX: Vol.
 * 3C, 26.1.3 and 26.3). */
static void write_cr0(struct emu_cpu *cpu, uint64_t v, unsigned gpr)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t n;

	if (cpu->mode != MODE_LONG)
		v &= 0xffffffffull;
	if ((v >> 32) || ((v & CR0_PG) && !(v & CR0_PE)) ||
	    ((v & CR0_NW) && !(v & CR0_CD)))
		emu_raise(cpu, EXC_GP, 0);
	if ((v ^ s->cr0_shadow) & s->cr0_mask)
		cr_exit(cpu, 0, 0, gpr, 0);
	n = (v & ~s->cr0_mask) | (cpu->cr0 & s->cr0_mask) | CR0_ET;
	/* CR0.NE is fixed to 1 in VMX operation (IA32_VMX_CR0_FIXED0). */
	if (!(n & CR0_NE))
		emu_raise(cpu, EXC_GP, 0);
	if ((n & CR0_PG) && !(cpu->cr0 & CR0_PG) && (cpu->efer & EFER_LME) &&
	    (!(cpu->cr4 & CR4_PAE) || (cpu->seg[SEG_CS].ar & (1u << 13))))
		emu_raise(cpu, EXC_GP, 0);
	if (!(n & CR0_PG) && (cpu->cr0 & CR0_PG) && cpu->mode == MODE_LONG)
		emu_raise(cpu, EXC_GP, 0);
	if (!(cpu->cr0 & CR0_PG) || ((n ^ cpu->cr0) & (CR0_CD | CR0_NW)))
		check_pae_pdptes(cpu, n, cpu->cr4, cpu->cr3);
	emu_set_cr0(cpu, n);
}

static void write_cr3(struct emu_cpu *cpu, uint64_t v, unsigned gpr)
{
	struct emu_sys *s = sys_of(cpu);
	const struct vmcs_store *st = &cpu->vcpu->vmcs;

	if (cpu->mode != MODE_LONG)
		v &= 0xffffffffull;
	if (s->proc & CPU_BASED_CR3_LOAD) {
		uint64_t cnt = VMCS(st, VMCS_CTRL_CR3_COUNT);
		const uint64_t tv[4] = { VMCS(st, VMCS_CTRL_CR3_VALUE0),
					 VMCS(st, VMCS_CTRL_CR3_VALUE1),
					 VMCS(st, VMCS_CTRL_CR3_VALUE2),
					 VMCS(st, VMCS_CTRL_CR3_VALUE3) };
		bool hit = false;

		for (uint64_t i = 0; i < cnt && i < 4; i++)
			hit = hit || tv[i] == v;
		if (!hit)
			cr_exit(cpu, 3, 0, gpr, 0);
	}
	if ((cpu->efer & EFER_LMA) &&
	    (v & ~(1ull << 63) & ~PHYS_MASK))
		emu_raise(cpu, EXC_GP, 0);
	check_pae_pdptes(cpu, cpu->cr0, cpu->cr4, v);
	emu_set_cr3(cpu, v);
}

static void write_cr4(struct emu_cpu *cpu, uint64_t v, unsigned gpr)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t n;

	if (v & ~CR4_VALID)
		emu_raise(cpu, EXC_GP, 0);
	if ((v ^ s->cr4_shadow) & s->cr4_mask)
		cr_exit(cpu, 4, 0, gpr, 0);
	n = (v & ~s->cr4_mask) | (cpu->cr4 & s->cr4_mask);
	/* CR4.VMXE is fixed to 1 (IA32_VMX_CR4_FIXED0); PAE may not be
	 * cleared in IA-32e mode; PCIDE needs IA-32e mode and PCID 0. */
	if (!(n & CR4_VMXE) || ((cpu->efer & EFER_LMA) && !(n & CR4_PAE)) ||
	    ((n & CR4_PCIDE) && !(cpu->cr4 & CR4_PCIDE) &&
	     (!(cpu->efer & EFER_LMA) || (cpu->cr3 & 0xfff))))
		emu_raise(cpu, EXC_GP, 0);
	if ((n ^ cpu->cr4) & (CR4_PAE | CR4_PSE | CR4_SMEP))
		check_pae_pdptes(cpu, cpu->cr0, n, cpu->cr3);
	emu_set_cr4(cpu, n);
}

static unsigned cr_width(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_LONG ? 8 : 4;
}

static void mov_to_cr(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned gpr = in->rm;
	uint64_t v = cpu->gpr[gpr] & emu_mask(cr_width(cpu));

	switch (in->reg) {
	case 0:
		write_cr0(cpu, v, gpr);
		break;
	case 2:
		cpu->cr2 = v;
		break;
	case 3:
		write_cr3(cpu, v, gpr);
		break;
	case 4:
		write_cr4(cpu, v, gpr);
		break;
	case 8:
		if (v & ~0xfull)
			emu_raise(cpu, EXC_GP, 0);
		if (sys_of(cpu)->proc & CPU_BASED_CR8_LOAD)
			cr_exit(cpu, 8, 0, gpr, 0);
		emu_vtpr_write_cr8(cpu, v);
		break;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
}

static void mov_from_cr(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);
	unsigned gpr = in->rm;
	uint64_t v;

	switch (in->reg) {
	case 0:
		v = cr_read_view(cpu->cr0, s->cr0_mask, s->cr0_shadow);
		break;
	case 2:
		v = cpu->cr2;
		break;
	case 3:
		if (s->proc & CPU_BASED_CR3_STORE)
			cr_exit(cpu, 3, 1, gpr, 0);
		v = cpu->cr3;
		break;
	case 4:
		v = cr_read_view(cpu->cr4, s->cr4_mask, s->cr4_shadow);
		break;
	case 8:
		if (s->proc & CPU_BASED_CR8_STORE)
			cr_exit(cpu, 8, 1, gpr, 0);
		v = emu_vtpr_cr8(cpu);
		break;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
	cpu->gpr[gpr] = v & emu_mask(cr_width(cpu));
}

/* 0F 20 /r, 0F 22 /r: the ModRM r/m field always names a register. CPL
 * must be 0 (#GP), CR8 exists only in 64-bit mode. */
void exec_sys_mov_cr(struct emu_cpu *cpu, const struct insn *in)
{
	if (cpu->cpl != 0 || cpu->mode == MODE_V86)
		emu_raise(cpu, EXC_GP, 0);
	if (in->reg == 8 && cpu->mode != MODE_LONG)
		emu_raise(cpu, EXC_UD, 0);
	if (in->op == 0x22)
		mov_to_cr(cpu, in);
	else
		mov_from_cr(cpu, in);
}

/* CLTS exits only if TS is owned by the host and the shadow's TS is 1; if
 * owned with shadow 0 it leaves CR0.TS alone (SDM Vol. 3C, 26.1.3, 26.3). */
void exec_sys_clts(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);

	(void)in;
	if (cpu->cpl != 0 || cpu->mode == MODE_V86)
		emu_raise(cpu, EXC_GP, 0);
	if (s->cr0_mask & CR0_TS) {
		if (s->cr0_shadow & CR0_TS)
			cr_exit(cpu, 0, 2, 0, 0);
		return;
	}
	cpu->cr0 &= ~CR0_TS;
}

/* LMSW (SDM Vol. 3A, LMSW; VMX: Vol. 3C, 26.1.3): bits 3:0 only, PE can
 * be set but not cleared. */
void emu_lmsw(struct emu_cpu *cpu, const struct insn *in, uint16_t src)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t m = s->cr0_mask & 0xf, sh = s->cr0_shadow;

	if (((src ^ sh) & m & 0xe) ||
	    ((m & CR0_PE) && !(sh & CR0_PE) && (src & CR0_PE))) {
		unsigned mem = in->mod != 3;

		if (mem) {
			s->exit_gla = emu_seg_lin(cpu, in->seg, emu_ea(cpu, in),
						  2, ACC_READ);
			s->has_gla = true;
		}
		cr_exit(cpu, 0, 3, 0, ((uint64_t)mem << 6) |
			((uint64_t)src << 16));
	}
	uint64_t keep = s->cr0_mask | ~0xfull;
	uint64_t n = (cpu->cr0 & keep) | (src & 0xf & ~keep) |
		     (cpu->cr0 & CR0_PE);

	emu_set_cr0(cpu, n);
}

/* ------------------------------------------------------------------ */
/* Debug registers (SDM Vol. 3A, 18.2; MOV DR)                         */

void exec_sys_mov_dr(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);
	unsigned dr = in->reg & 7, gpr = in->rm;
	bool to_dr = in->op == 0x23;

	if (cpu->mode == MODE_V86 || cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	if (in->reg > 7 || ((dr == 4 || dr == 5) && (cpu->cr4 & CR4_DE)))
		emu_raise(cpu, EXC_UD, 0);
	if (s->proc & CPU_BASED_MOV_DR)
		emu_exit_insn(cpu, VMX_REASON_MOV_DR,
			      dr | ((uint64_t)!to_dr << 4) |
			      ((uint64_t)gpr << 8));
	if (dr == 4 || dr == 5)
		dr += 2;
	if (to_dr) {
		uint64_t v = cpu->gpr[gpr] & emu_mask(cr_width(cpu));

		if (dr >= 6 && (v >> 32))
			emu_raise(cpu, EXC_GP, 0);
		cpu->dr[dr] = dr == 6 ? (v | 0xffff0ff0ull) :
			      dr == 7 ? ((v | 0x400) & ~0xd000ull) : v;
	} else {
		cpu->gpr[gpr] = cpu->dr[dr] & emu_mask(cr_width(cpu));
	}
}

/* INVPCID (66 0F 38 82): needs "enable INVPCID"; exits with INVLPG
 * exiting (SDM Vol. 3C, 26.1.3). The soft TLB is flushed whole for every
 * type. */
void exec_sys_invpcid(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t type, off;

	if (!(s->proc2 & CPU_BASED2_INVPCID) || cpu->mode == MODE_REAL ||
	    cpu->mode == MODE_V86 || in->mod == 3)
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	off = emu_ea(cpu, in);
	/* Qualification: the displacement; instruction information in the
	 * INVEPT/INVVPID/INVPCID format (SDM Vol. 3C, 28.2.1, 28.2.5). */
	if (s->proc & CPU_BASED_INVLPG) {
		s->exit_instr_info = emu_insn_info(in);
		s->has_instr_info = true;
		emu_exit_insn(cpu, VMX_REASON_INVPCID, (uint64_t)in->disp);
	}
	type = cpu->gpr[in->reg] & emu_mask(cr_width(cpu));
	uint64_t pcid = emu_read(cpu, in->seg, off, 8);
	uint64_t lin = emu_read(cpu, in->seg, off + 8, 8);

	if (type > 3 || (pcid >> 12) ||
	    (type == 0 && !emu_canonical(lin)))
		emu_raise(cpu, EXC_GP, 0);
	paging_changed(cpu);
}
