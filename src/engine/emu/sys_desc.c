/* SPDX-License-Identifier: MIT */
/* Descriptor-table and segment-register instructions: groups 6 and 7
 * (SLDT STR LLDT LTR VERR VERW, SGDT SIDT LGDT LIDT SMSW LMSW INVLPG
 * SWAPGS ...), LAR, LSL, ARPL, MOV Sreg and the far-pointer loads. */
#include "exec.h"
#include "sys.h"

static bool prot_mode(const struct emu_cpu *cpu)
{
	return cpu->mode != MODE_REAL && cpu->mode != MODE_V86;
}

static void need_cpl0(struct emu_cpu *cpu)
{
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
}

/* UMIP: SGDT SIDT SLDT SMSW STR at CPL > 0 are #GP (SDM Vol. 3A, 2.5). */
static void umip_check(struct emu_cpu *cpu)
{
	if ((cpu->cr4 & CR4_UMIP) && cpu->cpl > 0)
		emu_raise(cpu, EXC_GP, 0);
}

/* Store a selector-like 16-bit value: register forms take the operand
 * size (zero-extended), memory forms write 16 bits. */
static void store_sel(struct emu_cpu *cpu, const struct insn *in, uint16_t v)
{
	if (in->mod == 3)
		emu_reg_set(cpu, in->rm, in->opsize, in->rex != 0, v);
	else
		emu_write(cpu, in->seg, emu_ea(cpu, in), 2, v);
}

static uint16_t load_sel(struct emu_cpu *cpu, const struct insn *in)
{
	return (uint16_t)emu_rm_get(cpu, in, 2);
}

/* Descriptor-table exiting (SDM Vol. 3C, 26.1.3): GDTR/IDTR accesses
 * exit with reason 46, LDTR/TR accesses with 47; instruction identity in
 * bits 29:28 of the instruction information, operand size in bit 11, the
 * displacement as qualification (28.2.1, 28.2.5). */
static void desc_exit(struct emu_cpu *cpu, const struct insn *in,
		      uint32_t reason, unsigned ident)
{
	struct emu_sys *s = sys_of(cpu);

	if (!(s->proc2 & CPU_BASED2_DESC_TABLE))
		return;
	s->exit_instr_info = (emu_insn_info(in) & ~(3u << 28)) |
			     ((uint32_t)ident << 28) |
			     (in->opsize == 4 ? 1u << 11 : 0);
	s->has_instr_info = true;
	emu_exit_insn(cpu, reason, in->mod == 3 ? 0 : (uint64_t)in->disp);
}

/* ------------------------------------------------------------------ */
/* Group 6                                                             */

static void set_zf(struct emu_cpu *cpu, bool z)
{
	emu_set_arith(cpu, RF_ZF, z ? RF_ZF : 0);
}

/* LLDT (SDM Vol. 2A): a GDT selector of an LDT descriptor, or null. */
static void lldt(struct emu_cpu *cpu, uint16_t sel)
{
	bool lm = cpu->efer & EFER_LMA;
	uint64_t d[2];

	need_cpl0(cpu);
	if ((sel & 0xfffc) == 0) {
		seg_load_null(cpu, SEG_LDTR, sel);
		return;
	}
	if ((sel & 4) || !seg_read_desc(cpu, sel, d, lm) || desc_s(d[0]) ||
	    desc_type(d[0]) != 2 || (lm && !emu_canonical(
		    (((d[0] >> 16) & 0xffffff) | (((d[0] >> 56) & 0xff) << 24) |
		     ((d[1] & 0xffffffffull) << 32)))))
		emu_raise(cpu, EXC_GP, sel & 0xfffc);
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_NP, sel & 0xfffc);
	seg_from_desc(&cpu->seg[SEG_LDTR], sel, d[0], d[1]);
}

/* LTR (SDM Vol. 2A): an available TSS in the GDT; marked busy. */
static void ltr(struct emu_cpu *cpu, uint16_t sel)
{
	bool lm = cpu->efer & EFER_LMA;
	uint64_t d[2];
	unsigned type;

	need_cpl0(cpu);
	if ((sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	if ((sel & 4) || !seg_read_desc(cpu, sel, d, lm))
		emu_raise(cpu, EXC_GP, sel & 0xfffc);
	type = desc_type(d[0]);
	if (desc_s(d[0]) || (type != 9 && (lm || type != 1)))
		emu_raise(cpu, EXC_GP, sel & 0xfffc);
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_NP, sel & 0xfffc);
	d[0] |= 2ull << 40;
	emu_write_lin(cpu, cpu->gdtr_base + (sel & ~7u) + 5, 1,
		      (d[0] >> 40) & 0xff, true);
	seg_from_desc(&cpu->seg[SEG_TR], sel, d[0], d[1]);
}

/* VERR/VERW (SDM Vol. 2B): ZF = 1 if the segment is readable/writable at
 * the current CPL and the selector's RPL. */
static void verx(struct emu_cpu *cpu, uint16_t sel, bool write)
{
	uint64_t d[2];
	unsigned type;
	bool ok;

	if ((sel & 0xfffc) == 0 || !seg_read_desc(cpu, sel, d, false) ||
	    !desc_s(d[0])) {
		set_zf(cpu, false);
		return;
	}
	type = desc_type(d[0]);
	if (write)
		ok = !(type & 8) && (type & 2);
	else
		ok = !(type & 8) || (type & 2);
	if (ok && !((type & 0xc) == 0xc))
		ok = desc_dpl(d[0]) >= (unsigned)cpu->cpl &&
		     desc_dpl(d[0]) >= (sel & 3u);
	set_zf(cpu, ok);
}

void exec_sys_grp6(struct emu_cpu *cpu, const struct insn *in)
{
	if (!prot_mode(cpu))
		emu_raise(cpu, EXC_UD, 0);
	if ((in->reg & 7) < 4) {
		if ((in->reg & 7) >= 2)
			need_cpl0(cpu);
		else
			umip_check(cpu);
		desc_exit(cpu, in, VMX_REASON_LDTR_TR, in->reg & 3);
	}
	switch (in->reg & 7) {
	case 0:
		umip_check(cpu);
		store_sel(cpu, in, cpu->seg[SEG_LDTR].sel);
		break;
	case 1:
		umip_check(cpu);
		store_sel(cpu, in, cpu->seg[SEG_TR].sel);
		break;
	case 2:
		lldt(cpu, load_sel(cpu, in));
		break;
	case 3:
		ltr(cpu, load_sel(cpu, in));
		break;
	case 4:
	case 5:
		verx(cpu, load_sel(cpu, in), (in->reg & 7) == 5);
		break;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
}

/* ------------------------------------------------------------------ */
/* Group 7                                                             */

/* SGDT/SIDT: limit then base, 8 bytes of base in 64-bit mode, else 4
 * (SDM Vol. 2B, SGDT). */
static void store_dt(struct emu_cpu *cpu, const struct insn *in,
		     uint32_t limit, uint64_t base)
{
	uint64_t off = emu_ea(cpu, in);

	umip_check(cpu);
	emu_write(cpu, in->seg, off, 2, limit);
	if (cpu->mode == MODE_LONG)
		emu_write(cpu, in->seg, off + 2, 8, base);
	else
		emu_write(cpu, in->seg, off + 2, 4, (uint32_t)base);
}

/* LGDT/LIDT: 16-bit operand size keeps 24 bits of base (SDM Vol. 2A). */
static void load_dt(struct emu_cpu *cpu, const struct insn *in,
		    uint32_t *limit, uint64_t *base)
{
	uint64_t off = emu_ea(cpu, in), b;
	uint32_t l;

	need_cpl0(cpu);
	l = (uint32_t)emu_read(cpu, in->seg, off, 2);
	if (cpu->mode == MODE_LONG) {
		b = emu_read(cpu, in->seg, off + 2, 8);
		if (!emu_canonical(b))
			emu_raise(cpu, EXC_GP, 0);
	} else {
		b = emu_read(cpu, in->seg, off + 2, 4);
		if (in->opsize == 2)
			b &= 0xffffff;
	}
	*limit = l;
	*base = b;
}

/* The guest's view of CR0 for SMSW (read shadow for owned bits). */
static uint64_t cr0_view(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	return (cpu->cr0 & ~s->cr0_mask) | (s->cr0_shadow & s->cr0_mask);
}

/* INVLPG (SDM Vol. 2A; VMX exit with the linear address as
 * qualification, Vol. 3C 28.2.1). The TLB is flushed whole because a
 * large page's 4-KByte pieces sit in many soft-TLB slots. */
static void invlpg(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t off = emu_ea(cpu, in), lin;

	need_cpl0(cpu);
	lin = cpu->mode == MODE_LONG ?
	      off + ((in->seg == SEG_FS || in->seg == SEG_GS) ?
		     cpu->seg[in->seg].base : 0) :
	      (cpu->seg[in->seg].base + off) & 0xffffffffull;
	if (sys_of(cpu)->proc & CPU_BASED_INVLPG)
		emu_exit_insn(cpu, VMX_REASON_INVLPG, lin);
	emu_tlb_flush(cpu);
	emu_decode_flush(cpu);
}

/* SWAPGS (SDM Vol. 2B): 64-bit mode, CPL 0. */
static void swapgs(struct emu_cpu *cpu)
{
	uint64_t t;

	if (cpu->mode != MODE_LONG)
		emu_raise(cpu, EXC_UD, 0);
	need_cpl0(cpu);
	t = cpu->seg[SEG_GS].base;
	cpu->seg[SEG_GS].base = emu_msr_slot(cpu, MS_KERNEL_GS_BASE);
	emu_msr_slot_set(cpu, MS_KERNEL_GS_BASE, t);
}

/* CLAC/STAC: CPL 0 only (SDM Vol. 2A). */
static void ac_flag(struct emu_cpu *cpu, bool set)
{
	if (cpu->cpl != 0 || !prot_mode(cpu))
		emu_raise(cpu, EXC_UD, 0);
	if (set)
		cpu->rflags |= RF_AC;
	else
		cpu->rflags &= ~(uint64_t)RF_AC;
}

/* MONITOR/MWAIT exit with their controls, else act as NOPs. */
static void monitor_mwait(struct emu_cpu *cpu, bool mwait)
{
	uint32_t ctl = mwait ? CPU_BASED_MWAIT : CPU_BASED_MONITOR;

	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_UD, 0);
	if (sys_of(cpu)->proc & ctl)
		emu_exit_insn(cpu, mwait ? VMX_REASON_MWAIT :
				  VMX_REASON_MONITOR, 0);
}

static void grp7_reg(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned rm = in->rm & 7;

	switch (in->reg & 7) {
	case 0:
		emu_vmx_grp7(cpu, rm);
		break;
	case 1:
		if (rm <= 1)
			monitor_mwait(cpu, rm == 1);
		else if (rm == 2 || rm == 3)
			ac_flag(cpu, rm == 3);
		else
			emu_raise(cpu, EXC_UD, 0);
		break;
	case 2:
		if (rm == 0)
			emu_xgetbv(cpu);
		else if (rm == 1)
			emu_xsetbv(cpu);
		else
			emu_raise(cpu, EXC_UD, 0);
		break;
	case 4:
		umip_check(cpu);
		emu_reg_set(cpu, in->rm, in->opsize, in->rex != 0,
			    cr0_view(cpu));
		break;
	case 6:
		need_cpl0(cpu);
		emu_lmsw(cpu, in, (uint16_t)cpu->gpr[in->rm]);
		break;
	case 7:
		if (rm == 0)
			swapgs(cpu);
		else if (rm == 1)
			emu_rdtscp(cpu);
		else
			emu_raise(cpu, EXC_UD, 0);
		break;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
}

void exec_sys_grp7(struct emu_cpu *cpu, const struct insn *in)
{
	if (in->mod == 3) {
		grp7_reg(cpu, in);
		return;
	}
	if ((in->reg & 7) < 4) {
		if ((in->reg & 7) >= 2)
			need_cpl0(cpu);
		else
			umip_check(cpu);
		desc_exit(cpu, in, VMX_REASON_GDTR_IDTR, in->reg & 3);
	}
	switch (in->reg & 7) {
	case 0:
		store_dt(cpu, in, cpu->gdtr_limit, cpu->gdtr_base);
		break;
	case 1:
		store_dt(cpu, in, cpu->idtr_limit, cpu->idtr_base);
		break;
	case 2:
		load_dt(cpu, in, &cpu->gdtr_limit, &cpu->gdtr_base);
		break;
	case 3:
		load_dt(cpu, in, &cpu->idtr_limit, &cpu->idtr_base);
		break;
	case 4:
		umip_check(cpu);
		emu_write(cpu, in->seg, emu_ea(cpu, in), 2, cr0_view(cpu));
		break;
	case 6:
		need_cpl0(cpu);
		emu_lmsw(cpu, in, (uint16_t)emu_read(cpu, in->seg,
						     emu_ea(cpu, in), 2));
		break;
	case 7:
		invlpg(cpu, in);
		break;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
}

/* ------------------------------------------------------------------ */
/* LAR, LSL, ARPL                                                      */

/* Descriptor types LAR/LSL accept besides code/data (SDM Vol. 2A, LAR and
 * LSL tables); gates only for LAR. */
static bool lar_type_ok(const struct emu_cpu *cpu, unsigned type, bool lsl)
{
	bool lm = cpu->efer & EFER_LMA;

	switch (type) {
	case 2: case 9: case 0xb:
		return true;
	case 1: case 3:
		return !lm;
	case 0xc:
		return !lsl;
	case 4: case 5:
		return !lsl && !lm;
	default:
		return false;
	}
}

static bool access_desc(struct emu_cpu *cpu, uint16_t sel, bool lsl,
			uint64_t *d0)
{
	uint64_t d[2];

	if ((sel & 0xfffc) == 0 || !seg_read_desc(cpu, sel, d, false))
		return false;
	if (desc_s(d[0])) {
		bool conforming = (desc_type(d[0]) & 0xc) == 0xc;

		if (!conforming && (desc_dpl(d[0]) < (unsigned)cpu->cpl ||
				    desc_dpl(d[0]) < (sel & 3u)))
			return false;
	} else if (!lar_type_ok(cpu, desc_type(d[0]), lsl) ||
		   desc_dpl(d[0]) < (unsigned)cpu->cpl ||
		   desc_dpl(d[0]) < (sel & 3u)) {
		return false;
	}
	*d0 = d[0];
	return true;
}

void exec_sys_lar(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t d;

	if (!prot_mode(cpu))
		emu_raise(cpu, EXC_UD, 0);
	if (!access_desc(cpu, load_sel(cpu, in), false, &d)) {
		set_zf(cpu, false);
		return;
	}
	emu_reg_set(cpu, in->reg, in->opsize, in->rex != 0,
		    (d >> 32) & 0x00f0ff00ull);
	set_zf(cpu, true);
}

void exec_sys_lsl(struct emu_cpu *cpu, const struct insn *in)
{
	struct seg s;
	uint64_t d;

	if (!prot_mode(cpu))
		emu_raise(cpu, EXC_UD, 0);
	if (!access_desc(cpu, load_sel(cpu, in), true, &d)) {
		set_zf(cpu, false);
		return;
	}
	seg_from_desc(&s, 0, d, 0);
	emu_reg_set(cpu, in->reg, in->opsize, in->rex != 0, s.limit);
	set_zf(cpu, true);
}

/* ARPL r/m16, r16 (SDM Vol. 2A). */
void exec_sys_arpl(struct emu_cpu *cpu, const struct insn *in)
{
	uint16_t dst, src;

	if (!prot_mode(cpu))
		emu_raise(cpu, EXC_UD, 0);
	dst = (uint16_t)emu_rm_get(cpu, in, 2);
	src = (uint16_t)emu_reg_get(cpu, in->reg, 2, false);
	if ((dst & 3) < (src & 3)) {
		emu_rm_set(cpu, in, 2, (dst & ~3u) | (src & 3u));
		set_zf(cpu, true);
	} else {
		set_zf(cpu, false);
	}
}

/* ------------------------------------------------------------------ */
/* Segment registers                                                   */

/* MOV Sreg, r/m16 (8E /r): CS is #UD; loading SS blocks interrupts for
 * one instruction (SDM Vol. 3A, 6.8.3). */
void exec_sys_mov_to_sreg(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned seg = in->reg & 7;

	if (seg == SEG_CS || seg > SEG_GS)
		emu_raise(cpu, EXC_UD, 0);
	emu_load_seg(cpu, (int)seg, load_sel(cpu, in));
	if (seg == SEG_SS)
		cpu->intr_shadow = GUEST_INTRBILITY_MOVSS_BLOCKING;
}

/* MOV r/m, Sreg (8C /r). */
void exec_sys_mov_from_sreg(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned seg = in->reg & 7;

	if (seg > SEG_GS)
		emu_raise(cpu, EXC_UD, 0);
	store_sel(cpu, in, cpu->seg[seg].sel);
}

/* LDS LES LSS LFS LGS (SDM Vol. 2A, LDS/LES/LFS/LGS/LSS): offset then
 * selector from memory. */
void exec_sys_lxs(struct emu_cpu *cpu, const struct insn *in)
{
	int seg;
	uint64_t off = emu_ea(cpu, in), v;
	uint16_t sel;

	if (in->map == 0)
		seg = in->op == 0xc4 ? SEG_ES : SEG_DS;
	else
		seg = in->op == 0xb2 ? SEG_SS : in->op == 0xb4 ? SEG_FS :
					SEG_GS;
	v = emu_read(cpu, in->seg, off, in->opsize);
	sel = (uint16_t)emu_read(cpu, in->seg, off + in->opsize, 2);
	emu_load_seg(cpu, seg, sel);
	emu_reg_set(cpu, in->reg, in->opsize, in->rex != 0, v);
}
