/* SPDX-License-Identifier: MIT */
/* Far control transfers: JMP/CALL far (direct, through call gates with
 * stack switches, task gates and TSSs -> task-switch exits), RET far and
 * IRET in real, virtual-8086, protected, compatibility and 64-bit mode. */
#include "exec.h"
#include "sys.h"

#define AR_L (1u << 13)
#define AR_D (1u << 14)
#define D_L (1ull << 53)

/* Task-switch exit sources (SDM Vol. 3C, 28.2.1). */
enum { TS_CALL = 0, TS_IRET = 1, TS_JMP = 2 };

static bool real_like(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_REAL || cpu->mode == MODE_V86;
}

static uint32_t selerr(uint16_t sel)
{
	return sel & 0xfffcu;
}

static void far_operand(struct emu_cpu *cpu, const struct insn *in,
			uint16_t *sel, uint64_t *off)
{
	uint64_t ea;

	if (in->map == 0 && (in->op == 0xea || in->op == 0x9a)) {
		*off = in->imm;
		*sel = (uint16_t)in->imm2;
		return;
	}
	ea = emu_ea(cpu, in);
	*off = emu_read(cpu, in->seg, ea, in->opsize);
	*sel = (uint16_t)emu_read(cpu, in->seg, ea + in->opsize, 2);
}

/* A new CS cache for sel/d at privilege cpl, with the target offset
 * checked against the limit (or canonical form for 64-bit code). */
static struct seg code_target(struct emu_cpu *cpu, uint16_t sel, uint64_t d,
			      int cpl, uint64_t *off, unsigned opsize)
{
	struct seg cs;
	bool lm64 = (cpu->efer & EFER_LMA) && (d & D_L);

	seg_from_desc(&cs, (uint16_t)((sel & ~3u) | (unsigned)cpl),
		      d | (1ull << 40), 0);
	if (lm64) {
		if (!emu_canonical(*off))
			emu_raise(cpu, EXC_GP, 0);
	} else {
		*off &= opsize == 2 ? 0xffffull : 0xffffffffull;
		if (*off > cs.limit)
			emu_raise(cpu, EXC_GP, 0);
	}
	return cs;
}

static void commit_cs(struct emu_cpu *cpu, const struct seg *cs,
		      uint64_t d, uint64_t off)
{
	seg_set_accessed(cpu, cs->sel, d);
	cpu->seg[SEG_CS] = *cs;
	cpu->rip = off;
	emu_update_mode(cpu);
}

/* Direct far JMP/CALL to a code segment (SDM Vol. 2A, JMP/CALL
 * "CONFORMING/NONCONFORMING-CODE-SEGMENT"). */
static void check_direct(struct emu_cpu *cpu, uint16_t sel, uint64_t d)
{
	unsigned dpl = desc_dpl(d);

	if (!(desc_type(d) & 8))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if ((desc_type(d) & 4) ? dpl > (unsigned)cpu->cpl :
	    ((sel & 3u) > (unsigned)cpu->cpl || dpl != (unsigned)cpu->cpl))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if ((cpu->efer & EFER_LMA) && (d & D_L) && (d & (1ull << 54)))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if (!desc_p(d))
		emu_raise(cpu, EXC_NP, selerr(sel));
}

struct cgate {
	uint16_t sel;       /* target code selector */
	uint64_t off;
	unsigned params;    /* 32-bit gates: dwords (16-bit: words) */
	unsigned size;      /* 2, 4 or 8 */
	uint64_t cs;        /* target code descriptor */
};

/* Call gate checks (SDM Vol. 3A, 5.8.4 and CALL/JMP pseudocode). */
static void read_gate(struct emu_cpu *cpu, uint16_t sel, uint64_t d0,
		      struct cgate *g)
{
	bool lm = cpu->efer & EFER_LMA;
	uint64_t d[2] = { d0, 0 }, t[2];

	if (lm && (desc_type(d0) != 0xc || !seg_read_desc(cpu, sel, d, true) ||
		   ((d[1] >> 40) & 0x1f) != 0))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if (desc_dpl(d0) < (unsigned)cpu->cpl || desc_dpl(d0) < (sel & 3u))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if (!desc_p(d0))
		emu_raise(cpu, EXC_NP, selerr(sel));
	g->sel = (uint16_t)(d0 >> 16);
	g->off = (d0 & 0xffff) | ((d0 >> 32) & 0xffff0000ull) |
		 (lm ? (d[1] & 0xffffffffull) << 32 : 0);
	g->params = lm ? 0 : (unsigned)(d0 >> 32) & 0x1f;
	g->size = lm ? 8 : (desc_type(d0) & 8) ? 4 : 2;
	if ((g->sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	if (!seg_read_desc(cpu, g->sel, t, false) || !desc_s(t[0]) ||
	    !(desc_type(t[0]) & 8) || desc_dpl(t[0]) > (unsigned)cpu->cpl ||
	    (lm && (!(t[0] & D_L) || (t[0] & (1ull << 54)))))
		emu_raise(cpu, EXC_GP, selerr(g->sel));
	if (!desc_p(t[0]))
		emu_raise(cpu, EXC_NP, selerr(g->sel));
	g->cs = t[0];
}

static _Noreturn void far_task(struct emu_cpu *cpu, uint16_t sel, int src)
{
	if (cpu->efer & EFER_LMA)
		emu_raise(cpu, EXC_GP, selerr(sel));
	emu_task_switch(cpu, sel, src);
}

/* A far JMP or CALL in real-address or virtual-8086 mode: CS takes the
 * selector with base sel * 16 and no checks; the offset is cut to the
 * operand size (SDM Vol. 2A, JMP and CALL, "real-address or
 * virtual-8086 mode"). */
static void far_real(struct emu_cpu *cpu, uint16_t sel, uint64_t off,
		     unsigned opsize)
{
	seg_load_real(cpu, SEG_CS, sel);
	cpu->rip = off & (opsize == 2 ? 0xffff : 0xffffffff);
	emu_update_mode(cpu);
}

/* The descriptor a protected-mode far JMP or CALL names: #GP(0) for a
 * null selector, #GP(selector) beyond the descriptor table (SDM Vol.
 * 2A, JMP and CALL, protected mode). */
static void far_desc(struct emu_cpu *cpu, uint16_t sel, uint64_t d[2])
{
	if ((sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	if (!seg_read_desc(cpu, sel, d, false))
		emu_raise(cpu, EXC_GP, selerr(sel));
}

/* ------------------------------------------------------------------ */
/* JMP far                                                             */

void exec_sys_jmp_far(struct emu_cpu *cpu, const struct insn *in)
{
	uint16_t sel;
	uint64_t off, d[2];
	struct cgate g;
	struct seg cs;

	far_operand(cpu, in, &sel, &off);
	if (real_like(cpu)) {
		far_real(cpu, sel, off, in->opsize);
		return;
	}
	far_desc(cpu, sel, d);
	if (desc_s(d[0])) {
		check_direct(cpu, sel, d[0]);
		cs = code_target(cpu, sel, d[0], cpu->cpl, &off, in->opsize);
		commit_cs(cpu, &cs, d[0], off);
		return;
	}
	switch (desc_type(d[0])) {
	case 0x4: case 0xc:
		read_gate(cpu, sel, d[0], &g);
		/* JMP through a gate never changes privilege. */
		if (!(desc_type(g.cs) & 4) && desc_dpl(g.cs) != (unsigned)cpu->cpl)
			emu_raise(cpu, EXC_GP, selerr(g.sel));
		off = g.off;
		cs = code_target(cpu, g.sel, g.cs, cpu->cpl, &off, g.size);
		commit_cs(cpu, &cs, g.cs, off);
		return;
	case 0x1: case 0x5: case 0x9:
		far_task(cpu, sel, TS_JMP);
	default:
		emu_raise(cpu, EXC_GP, selerr(sel));
	}
}

/* ------------------------------------------------------------------ */
/* CALL far                                                            */

/* CALL through a gate to a more privileged non-conforming segment: stack
 * switch from the TSS, parameters copied, old SS:SP and CS:IP pushed
 * (SDM Vol. 3A, 5.8.5 and 5.8.6). */
static void call_inner(struct emu_cpu *cpu, const struct cgate *g,
		       uint64_t off)
{
	int dpl = (int)desc_dpl(g->cs);
	bool lm = cpu->efer & EFER_LMA;
	struct seg nss, oss = cpu->seg[SEG_SS];
	uint64_t sp, osp = cpu->gpr[4], d[2];
	uint16_t ssel;
	struct seg cs;

	seg_tss_stack(cpu, dpl, &ssel, &sp);
	if (lm) {
		/* A null SS with RPL = new CPL (SDM Vol. 3A, 5.8.5.1). */
		nss = (struct seg){ .sel = (uint16_t)dpl,
				    .ar = AR_UNUSABLE | 0x13u |
					  ((uint32_t)dpl << 5) };
	} else {
		if (!seg_read_desc(cpu, ssel, d, false))
			emu_raise(cpu, EXC_TS, selerr(ssel));
		seg_check_stack(cpu, ssel, d[0], dpl);
		seg_from_desc(&nss, ssel, d[0] | (1ull << 40), 0);
	}
	cs = code_target(cpu, g->sel, g->cs, dpl, &off, g->size);
	emu_stack_push(cpu, &nss, &sp, g->size, oss.sel, lm, true);
	emu_stack_push(cpu, &nss, &sp, g->size, osp, lm, true);
	for (unsigned i = g->params; i-- > 0;) {
		uint64_t psp = osp + (uint64_t)i * g->size;
		uint64_t v = emu_stack_pop(cpu, &oss, &psp, g->size, false);

		emu_stack_push(cpu, &nss, &sp, g->size, v, false, true);
	}
	emu_stack_push(cpu, &nss, &sp, g->size, cpu->seg[SEG_CS].sel, lm,
		       true);
	emu_stack_push(cpu, &nss, &sp, g->size, cpu->rip, lm, true);
	cpu->seg[SEG_SS] = nss;
	cpu->gpr[4] = sp;
	commit_cs(cpu, &cs, g->cs, off);
}

static void call_same(struct emu_cpu *cpu, uint16_t sel, uint64_t d,
		      uint64_t off, unsigned size)
{
	struct seg cs = code_target(cpu, sel, d, cpu->cpl, &off, size);

	emu_push(cpu, size, cpu->seg[SEG_CS].sel);
	emu_push(cpu, size, cpu->rip);
	commit_cs(cpu, &cs, d, off);
}

void exec_sys_call_far(struct emu_cpu *cpu, const struct insn *in)
{
	uint16_t sel;
	uint64_t off, d[2];
	struct cgate g;

	far_operand(cpu, in, &sel, &off);
	if (real_like(cpu)) {
		emu_push(cpu, in->opsize, cpu->seg[SEG_CS].sel);
		emu_push(cpu, in->opsize, cpu->rip);
		far_real(cpu, sel, off, in->opsize);
		return;
	}
	far_desc(cpu, sel, d);
	if (desc_s(d[0])) {
		check_direct(cpu, sel, d[0]);
		call_same(cpu, sel, d[0], off, in->opsize);
		return;
	}
	switch (desc_type(d[0])) {
	case 0x4: case 0xc:
		read_gate(cpu, sel, d[0], &g);
		if (!(desc_type(g.cs) & 4) &&
		    desc_dpl(g.cs) < (unsigned)cpu->cpl)
			call_inner(cpu, &g, g.off);
		else
			call_same(cpu, g.sel, g.cs, g.off, g.size);
		return;
	case 0x1: case 0x5: case 0x9:
		far_task(cpu, sel, TS_CALL);
	default:
		emu_raise(cpu, EXC_GP, selerr(sel));
	}
}

/* ------------------------------------------------------------------ */
/* RET far and IRET                                                    */

/* Return-CS checks shared by RET far and IRET (SDM Vol. 2B, RET
 * "RETURN-TO-..."; IRET "PROTECTED-MODE-RETURN"). */
static uint64_t check_return_cs(struct emu_cpu *cpu, uint16_t sel)
{
	uint64_t d[2];
	unsigned rpl = sel & 3u;

	if ((sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	if (!seg_read_desc(cpu, sel, d, false) || !desc_s(d[0]) ||
	    !(desc_type(d[0]) & 8) || rpl < (unsigned)cpu->cpl)
		emu_raise(cpu, EXC_GP, selerr(sel));
	if ((desc_type(d[0]) & 4) ? desc_dpl(d[0]) > rpl :
				    desc_dpl(d[0]) != rpl)
		emu_raise(cpu, EXC_GP, selerr(sel));
	if ((cpu->efer & EFER_LMA) && (d[0] & D_L) && (d[0] & (1ull << 54)))
		emu_raise(cpu, EXC_GP, selerr(sel));
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_NP, selerr(sel));
	return d[0];
}

/* The outer stack of a return to privilege rpl; a null SS is allowed only
 * for 64-bit code below CPL 3 (SDM Vol. 2B, IRET/RET). */
static struct seg return_ss(struct emu_cpu *cpu, uint16_t sel, unsigned rpl,
			    uint64_t cs_desc)
{
	struct seg ss;
	uint64_t d[2];

	if ((sel & 0xfffc) == 0) {
		if (!((cpu->efer & EFER_LMA) && (cs_desc & D_L) && rpl != 3))
			emu_raise(cpu, EXC_GP, 0);
		ss = (struct seg){ .sel = sel,
				   .ar = AR_UNUSABLE | 0x13u | (rpl << 5) };
		return ss;
	}
	if ((sel & 3u) != rpl || !seg_read_desc(cpu, sel, d, false) ||
	    !desc_s(d[0]) || (desc_type(d[0]) & 0xa) != 2 ||
	    desc_dpl(d[0]) != rpl)
		emu_raise(cpu, EXC_GP, selerr(sel));
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_SS, selerr(sel));
	seg_set_accessed(cpu, sel, d[0]);
	seg_from_desc(&ss, sel, d[0] | (1ull << 40), 0);
	return ss;
}

static void sp_add(struct emu_cpu *cpu, uint64_t n)
{
	unsigned sz = emu_stack_size(cpu);
	uint64_t m = emu_mask(sz);

	cpu->gpr[4] = (cpu->gpr[4] & ~m) | ((cpu->gpr[4] + n) & m);
}

/* RET far (CB, CA iw). */
void exec_sys_ret_far(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t imm = in->op == 0xca ? (in->imm & 0xffff) : 0;
	uint64_t off = emu_pop(cpu, sz), d;
	uint16_t sel = (uint16_t)emu_pop(cpu, sz);
	unsigned rpl = sel & 3u;
	struct seg cs;

	if (real_like(cpu)) {
		seg_load_real(cpu, SEG_CS, sel);
		cpu->rip = off & (sz == 2 ? 0xffff : 0xffffffff);
		sp_add(cpu, imm);
		emu_update_mode(cpu);
		return;
	}
	d = check_return_cs(cpu, sel);
	if (rpl == (unsigned)cpu->cpl) {
		cs = code_target(cpu, sel, d, cpu->cpl, &off, sz);
		sp_add(cpu, imm);
		commit_cs(cpu, &cs, d, off);
		return;
	}
	sp_add(cpu, imm);
	uint64_t nsp = emu_pop(cpu, sz);
	uint16_t nss = (uint16_t)emu_pop(cpu, sz);
	struct seg ss = return_ss(cpu, nss, rpl, d);

	cs = code_target(cpu, sel, d, (int)rpl, &off, sz);
	cpu->seg[SEG_SS] = ss;
	cpu->gpr[4] = nsp;
	sp_add(cpu, imm);
	commit_cs(cpu, &cs, d, off);
	seg_fix_data(cpu);
}

/* Real-address and virtual-8086 IRET (SDM Vol. 2A, IRET "REAL-ADDRESS-
 * MODE" and "RETURN-FROM-VIRTUAL-8086-MODE"): VM, VIP and VIF are kept,
 * and in virtual-8086 mode IOPL too. */
static void iret_real(struct emu_cpu *cpu, unsigned sz)
{
	uint64_t ip = emu_pop(cpu, sz);
	uint16_t sel = (uint16_t)emu_pop(cpu, sz);
	uint64_t fl = emu_pop(cpu, sz), old = emu_get_rflags(cpu);
	uint64_t keep = RF_VM | RF_VIP | RF_VIF;

	if (cpu->mode == MODE_V86)
		keep |= RF_IOPL;
	if (sz == 2)
		keep |= ~0xffffull;
	if (ip > cpu->seg[SEG_CS].limit && cpu->mode == MODE_REAL)
		emu_raise(cpu, EXC_GP, 0);
	emu_set_rflags(cpu, (old & keep) | (fl & ~keep) | 2);
	seg_load_real(cpu, SEG_CS, sel);
	cpu->rip = ip & (sz == 2 ? 0xffff : 0xffffffff);
	emu_update_mode(cpu);
}

/* IRET from CPL 0 to virtual-8086 mode (SDM Vol. 2A, IRET
 * "RETURN-TO-VIRTUAL-8086-MODE"). */
static void iret_to_v86(struct emu_cpu *cpu, uint64_t ip, uint16_t cs,
			uint64_t fl)
{
	static const int segs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };
	uint64_t sp = emu_pop(cpu, 4);
	uint16_t ss = (uint16_t)emu_pop(cpu, 4), sel[4];

	for (int i = 0; i < 4; i++)
		sel[i] = (uint16_t)emu_pop(cpu, 4);
	emu_set_rflags(cpu, fl | 2);
	emu_update_mode(cpu);
	seg_load_real(cpu, SEG_CS, cs);
	seg_load_real(cpu, SEG_SS, ss);
	for (int i = 0; i < 4; i++)
		seg_load_real(cpu, segs[i], sel[i]);
	cpu->gpr[4] = (uint32_t)sp;
	cpu->rip = ip & 0xffff;
	emu_update_mode(cpu);
}

/* RFLAGS bits an IRET may change at the current CPL and IOPL (SDM Vol.
 * 2A, IRET "RETURN-TO-SAME/OUTER-PRIVILEGE-LEVEL"). */
static uint64_t iret_flags(struct emu_cpu *cpu, uint64_t fl, unsigned sz)
{
	uint64_t old = emu_get_rflags(cpu);
	uint64_t mask = RF_ARITH | RF_TF | RF_DF | RF_NT | RF_RF | RF_AC |
			RF_ID;
	unsigned iopl = (unsigned)(old & RF_IOPL) >> 12;

	if ((unsigned)cpu->cpl <= iopl)
		mask |= RF_IF;
	if (cpu->cpl == 0)
		mask |= RF_IOPL | RF_VIF | RF_VIP;
	if (sz == 2)
		mask &= 0xffff;
	return (old & ~mask) | (fl & mask) | 2;
}

static void iret_prot(struct emu_cpu *cpu, unsigned sz)
{
	uint64_t ip = emu_pop(cpu, sz), d, nsp = 0;
	uint16_t sel = (uint16_t)emu_pop(cpu, sz), nss = 0;
	uint64_t fl = emu_pop(cpu, sz);
	unsigned rpl = sel & 3u;
	bool outer, pop_ss;
	struct seg cs, ss = cpu->seg[SEG_SS];

	if (sz == 4 && (fl & RF_VM) && cpu->cpl == 0 &&
	    !(cpu->efer & EFER_LMA)) {
		iret_to_v86(cpu, ip, sel, fl);
		return;
	}
	d = check_return_cs(cpu, sel);
	outer = rpl > (unsigned)cpu->cpl;
	/* 64-bit mode always pops SS:RSP (SDM Vol. 3A, 6.14.3). */
	pop_ss = outer || cpu->mode == MODE_LONG;
	if (pop_ss) {
		nsp = emu_pop(cpu, sz);
		nss = (uint16_t)emu_pop(cpu, sz);
		ss = return_ss(cpu, nss, rpl, d);
	}
	cs = code_target(cpu, sel, d, (int)rpl, &ip, sz);
	emu_set_rflags(cpu, iret_flags(cpu, fl, sz));
	if (pop_ss) {
		cpu->seg[SEG_SS] = ss;
		cpu->gpr[4] = sz == 2 ? ((cpu->gpr[4] & ~0xffffull) |
					 (nsp & 0xffff)) : nsp;
	}
	commit_cs(cpu, &cs, d, ip);
	if (outer)
		seg_fix_data(cpu);
}

/* IRET (CF): NT set outside IA-32e mode is a task return, which exits
 * with the TSS back link (SDM Vol. 3A, 8.3 and Vol. 3C, 26.4.2). */
static void iret_modes(struct emu_cpu *cpu, unsigned sz)
{
	if (cpu->mode == MODE_REAL) {
		iret_real(cpu, sz);
		return;
	}
	if (cpu->mode == MODE_V86) {
		if (((cpu->rflags & RF_IOPL) >> 12) < 3)
			emu_raise(cpu, EXC_GP, 0);
		iret_real(cpu, sz);
		return;
	}
	if (cpu->rflags & RF_NT) {
		if (cpu->efer & EFER_LMA)
			emu_raise(cpu, EXC_GP, 0);
		emu_task_switch(cpu, (uint16_t)emu_read_lin(
			cpu, cpu->seg[SEG_TR].base, 2, true), TS_IRET);
	}
	iret_prot(cpu, sz);
}

/* IRET unblocks NMIs (virtual NMIs with that control), even if it then
 * faults; an exit on such a fault reports "NMI unblocking due to IRET"
 * (SDM Vol. 3C, 26.3 and 28.2.2-28.2.3). */
void exec_sys_iret(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);

	if (s->nmi_blocked && !s->iret_keeps_nmi) {
		s->nmi_blocked = false;
		s->iret_unblocked = true;
	}
	iret_modes(cpu, in->opsize);
	s->iret_unblocked = false;
}
