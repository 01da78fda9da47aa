/* SPDX-License-Identifier: MIT */
/* Exceptions and interrupts: raising (unwinding to the run loop), double
 * and triple faults, the VMX exception bitmap, and delivery through the
 * IVT (real mode), the 32-bit IDT and the 64-bit IDT. */
#include <setjmp.h>

#include "sys.h"

/* Vectors that push an error code (SDM Vol. 3A, 6.3.1 table "Protected-Mode
 * Exceptions and Interrupts"). */
static bool vec_has_err(int vec)
{
	return vec == EXC_DF || (vec >= EXC_TS && vec <= EXC_PF) ||
	       vec == EXC_AC || vec == 21 || vec == 29 || vec == 30;
}

_Noreturn void emu_raise(struct emu_cpu *cpu, int vec, uint32_t err)
{
	struct emu_sys *s = sys_of(cpu);

	s->fault = (struct emu_event){ .vec = vec, .type = EV_HW,
				       .has_err = vec_has_err(vec),
				       .err = err };
	cpu->rip = cpu->insn_rip;
	cpu->gpr[4] = cpu->insn_rsp;
	longjmp(cpu->unwind, UNWIND_FAULT);
}

_Noreturn void emu_raise_pf(struct emu_cpu *cpu, uint64_t lin, uint32_t err)
{
	struct emu_sys *s = sys_of(cpu);

	s->fault = (struct emu_event){ .vec = EXC_PF, .type = EV_HW,
				       .has_err = true, .err = err,
				       .cr2 = lin };
	cpu->rip = cpu->insn_rip;
	cpu->gpr[4] = cpu->insn_rsp;
	longjmp(cpu->unwind, UNWIND_FAULT);
}

/* INT n is type 4, INT3/INTO type 6, INT1 type 5 (SDM Vol. 3C, 25.8.3).
 * INT n in virtual-8086 mode with IOPL < 3 is #GP(0) (SDM Vol. 3A, 20.3.3;
 * the CR4.VME redirection bitmap is not modelled). */
_Noreturn void emu_soft_int(struct emu_cpu *cpu, int vec, int kind)
{
	static const int types[] = { EV_SWINT, EV_SWEXC, EV_SWEXC, EV_PRIV_SW };
	struct emu_sys *s = sys_of(cpu);

	if (kind == SOFT_INTN && cpu->mode == MODE_V86 &&
	    ((cpu->rflags & RF_IOPL) >> 12) < 3)
		emu_raise(cpu, EXC_GP, 0);
	s->fault = (struct emu_event){ .vec = vec, .type = types[kind & 3],
				       .len = cpu->cur ? cpu->cur->len : 0 };
	cpu->rip = cpu->insn_rip;
	longjmp(cpu->unwind, UNWIND_FAULT);
}

uint32_t emu_event_info(const struct emu_event *ev)
{
	return (uint32_t)ev->vec | ((uint32_t)ev->type << 8) |
	       (ev->has_err ? IRQ_INFO_ERROR_VALID : 0) | IRQ_INFO_VALID;
}

/* ------------------------------------------------------------------ */
/* Double and triple faults (SDM Vol. 3A, 6.15 "Interrupt 8", table     */
/* "Conditions for Generating a Double Fault")                         */

enum { CLASS_BENIGN, CLASS_CONTRIB, CLASS_PF };

static int exc_class(const struct emu_event *ev)
{
	if (ev->type != EV_HW)
		return CLASS_BENIGN;
	switch (ev->vec) {
	case EXC_DE: case EXC_TS: case EXC_NP: case EXC_SS: case EXC_GP:
	case 21:
		return CLASS_CONTRIB;
	case EXC_PF: case EXC_VE:
		return CLASS_PF;
	default:
		return CLASS_BENIGN;
	}
}

void emu_fault_dispatch(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	struct emu_event ev = s->fault;

	if (s->delivering) {
		int first = exc_class(&s->deliv), second = exc_class(&ev);

		if (s->deliv.type == EV_HW && s->deliv.vec == EXC_DF &&
		    second != CLASS_BENIGN) {
			/* A fault while delivering #DF: shutdown, which VMX
			 * turns into a triple-fault exit (SDM Vol. 3C,
			 * 26.2). */
			s->delivering = false;
			emu_vmexit(cpu, VMX_REASON_TRIPLE_FAULT, 0);
		}
		if ((first == CLASS_CONTRIB && second == CLASS_CONTRIB) ||
		    (first == CLASS_PF && second != CLASS_BENIGN)) {
			/* The first event is lost in the #DF: it is not
			 * reported as IDT-vectoring information. */
			ev = (struct emu_event){ .vec = EXC_DF, .type = EV_HW,
						 .has_err = true, .err = 0 };
			s->delivering = false;
		}
	}
	emu_deliver(cpu, &ev);
}

/* ------------------------------------------------------------------ */
/* Exception bitmap (SDM Vol. 3C, 26.2 and 25.6.3)                      */

static bool pf_intercepted(const struct emu_cpu *cpu,
			   const struct emu_event *ev)
{
	const struct emu_sys *s = sys_of((struct emu_cpu *)cpu);
	bool bit = s->exc_bitmap & (1u << EXC_PF);

	/* #PF exits iff (PFEC & MASK) == MATCH equals bit 14. */
	return bit == ((ev->err & s->pfec_mask) == s->pfec_match);
}

static bool intercepted(const struct emu_cpu *cpu, const struct emu_event *ev)
{
	const struct emu_sys *s = sys_of((struct emu_cpu *)cpu);

	if (ev->inject || ev->type == EV_SWINT || ev->type == EV_EXT ||
	    ev->vec > 31)
		return false;
	if (ev->vec == EXC_PF)
		return pf_intercepted(cpu, ev);
	return s->exc_bitmap & (1u << ev->vec);
}

static _Noreturn void exit_exception(struct emu_cpu *cpu,
				     const struct emu_event *ev)
{
	struct emu_sys *s = sys_of(cpu);

	s->exit_irq_info = emu_event_info(ev);
	/* Bit 12: NMI unblocking due to IRET, undefined for #DF (28.2.2). */
	if (s->iret_unblocked && ev->vec != EXC_DF)
		s->exit_irq_info |= 1u << 12;
	s->exit_irq_err = ev->has_err ? ev->err : 0;
	if (ev->type == EV_SWEXC || ev->type == EV_PRIV_SW) {
		s->exit_len = ev->len;
		s->has_len = true;
	}
	/* The qualification of a #PF exit is the linear address (CR2 is
	 * not written), of a #DB exit the DR6-format bits B3:0, BD, BS
	 * (SDM Vol. 3C, 28.2.1). */
	emu_vmexit(cpu, VMX_REASON_EXC_NMI,
		   ev->vec == EXC_PF ? ev->cr2 :
		   ev->vec == EXC_DB ? (cpu->dr[6] & 0x600f) : 0);
}

/* ------------------------------------------------------------------ */
/* Stacks                                                              */

static uint64_t sp_mask(const struct seg *ss, bool wide64)
{
	if (wide64)
		return ~0ull;
	return (ss->ar & (1u << 14)) ? 0xffffffffull : 0xffffull;
}

static uint64_t stack_lin(struct emu_cpu *cpu, const struct seg *ss,
			  uint64_t sp, unsigned size, bool wide64)
{
	if (wide64) {
		if (!emu_canonical(sp) || !emu_canonical(sp + size - 1))
			emu_raise(cpu, EXC_SS, 0);
		return sp;
	}
	uint64_t upper = (ss->ar & (1u << 14)) ? 0xffffffffull : 0xffffull;
	bool down = (ss->ar & 0xc) == 0x4;
	uint64_t last = sp + size - 1;

	if (cpu->mode != MODE_REAL &&
	    (down ? (sp <= ss->limit || last > upper) : last > ss->limit))
		emu_raise(cpu, EXC_SS, 0);
	return (ss->base + sp) & 0xffffffffull;
}

void emu_stack_push(struct emu_cpu *cpu, const struct seg *ss, uint64_t *sp,
		    unsigned size, uint64_t v, bool wide64, bool sup)
{
	uint64_t m = sp_mask(ss, wide64);
	uint64_t nsp = ((*sp - size) & m) | (*sp & ~m);

	emu_write_lin(cpu, stack_lin(cpu, ss, nsp & m, size, wide64), size,
		      v, sup);
	*sp = nsp;
}

uint64_t emu_stack_pop(struct emu_cpu *cpu, const struct seg *ss,
		       uint64_t *sp, unsigned size, bool wide64)
{
	uint64_t m = sp_mask(ss, wide64);
	uint64_t v = emu_read_lin(cpu, stack_lin(cpu, ss, *sp & m, size,
						 wide64), size, false);

	*sp = ((*sp + size) & m) | (*sp & ~m);
	return v;
}

/* ------------------------------------------------------------------ */
/* Delivery                                                            */

static bool software(const struct emu_event *ev)
{
	return ev->type == EV_SWINT || ev->type == EV_SWEXC ||
	       ev->type == EV_PRIV_SW;
}

static uint32_t idt_err(const struct emu_event *ev)
{
	return (uint32_t)ev->vec * 8 + 2 + (software(ev) ? 0 : 1);
}

static uint32_t ext_bit(const struct emu_event *ev)
{
	return software(ev) ? 0 : 1;
}

/* Real-address mode (SDM Vol. 3A, 21.1.4): the IVT entry, FLAGS, CS and IP
 * pushed, IF/TF/AC cleared. */
static void deliver_real(struct emu_cpu *cpu, const struct emu_event *ev,
			 uint64_t ret)
{
	uint64_t off = (uint64_t)ev->vec * 4, sp = cpu->gpr[4];
	const struct seg *ss = &cpu->seg[SEG_SS];
	uint32_t ent;

	if (off + 3 > cpu->idtr_limit)
		emu_raise(cpu, EXC_GP, idt_err(ev));
	ent = (uint32_t)emu_read_lin(cpu, cpu->idtr_base + off, 4, true);
	emu_stack_push(cpu, ss, &sp, 2, emu_get_rflags(cpu), false, false);
	emu_stack_push(cpu, ss, &sp, 2, cpu->seg[SEG_CS].sel, false, false);
	emu_stack_push(cpu, ss, &sp, 2, ret, false, false);
	cpu->gpr[4] = sp;
	seg_load_real(cpu, SEG_CS, (uint16_t)(ent >> 16));
	cpu->rip = ent & 0xffff;
	cpu->rflags &= ~(uint64_t)(RF_IF | RF_TF | RF_AC | RF_RF);
}

struct gate {
	uint16_t sel;
	uint64_t off;
	unsigned type, dpl, ist;
	uint64_t cs[2];
};

/* Read and check the IDT gate (SDM Vol. 3A, 6.12.1.1-6.12.1.3). */
static void read_gate(struct emu_cpu *cpu, const struct emu_event *ev,
		      struct gate *g, bool lm)
{
	unsigned esz = lm ? 16 : 8;
	uint64_t off = (uint64_t)ev->vec * esz, d0, d1 = 0;

	if (off + esz - 1 > cpu->idtr_limit)
		emu_raise(cpu, EXC_GP, idt_err(ev));
	d0 = emu_read_lin(cpu, cpu->idtr_base + off, 8, true);
	if (lm)
		d1 = emu_read_lin(cpu, cpu->idtr_base + off + 8, 8, true);
	g->type = desc_type(d0);
	g->dpl = desc_dpl(d0);
	g->sel = (uint16_t)(d0 >> 16);
	g->off = (d0 & 0xffff) | ((d0 >> 32) & 0xffff0000ull) |
		 ((d1 & 0xffffffffull) << 32);
	g->ist = lm ? (unsigned)(d0 >> 32) & 7 : 0;
	bool ok = !desc_s(d0) &&
		  (lm ? (g->type == 0xe || g->type == 0xf) :
			(g->type == 5 || g->type == 6 || g->type == 7 ||
			 g->type == 0xe || g->type == 0xf));

	if (!ok || (software(ev) && ev->type != EV_PRIV_SW &&
		    g->dpl < (unsigned)cpu->cpl))
		emu_raise(cpu, EXC_GP, idt_err(ev));
	if (!desc_p(d0))
		emu_raise(cpu, EXC_NP, idt_err(ev));
	if (g->type == 5)
		emu_task_switch(cpu, g->sel, 3);
	if ((g->sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, ext_bit(ev));
	if (!seg_read_desc(cpu, g->sel, g->cs, false))
		emu_raise(cpu, EXC_GP, (g->sel & 0xfffc) | ext_bit(ev));
	if (!desc_s(g->cs[0]) || !(desc_type(g->cs[0]) & 8) ||
	    desc_dpl(g->cs[0]) > (unsigned)cpu->cpl ||
	    (lm && ((g->cs[0] >> 53) & 3) != 1))
		emu_raise(cpu, EXC_GP, (g->sel & 0xfffc) | ext_bit(ev));
	if (!desc_p(g->cs[0]))
		emu_raise(cpu, EXC_NP, (g->sel & 0xfffc) | ext_bit(ev));
}

static void commit_cs(struct emu_cpu *cpu, const struct gate *g, int cpl,
		      uint64_t rip)
{
	seg_set_accessed(cpu, g->sel, g->cs[0]);
	seg_from_desc(&cpu->seg[SEG_CS], (uint16_t)((g->sel & ~3u) | (unsigned)cpl),
		      g->cs[0] | (1ull << 40), 0);
	cpu->rip = rip;
	cpu->rflags &= ~(uint64_t)(RF_TF | RF_NT | RF_VM | RF_RF);
	if (!(g->type & 1))
		cpu->rflags &= ~(uint64_t)RF_IF;
}

/* New stack for an inner-privilege delivery from the TSS (SDM Vol. 3A,
 * 6.12.1.1 "Stack Switching"). */
static void inner_stack(struct emu_cpu *cpu, int cpl, struct seg *nss,
			uint64_t *nsp)
{
	uint16_t sel;
	uint64_t d[2];

	seg_tss_stack(cpu, cpl, &sel, nsp);
	if (!seg_read_desc(cpu, sel, d, false))
		emu_raise(cpu, EXC_TS, sel & 0xfffc);
	seg_check_stack(cpu, sel, d[0], cpl);
	seg_set_accessed(cpu, sel, d[0]);
	seg_from_desc(nss, sel, d[0] | (1ull << 40), 0);
}

static void push_v86_segs(struct emu_cpu *cpu, const struct seg *ss,
			  uint64_t *sp, unsigned sz)
{
	static const int order[] = { SEG_GS, SEG_FS, SEG_DS, SEG_ES };

	for (unsigned i = 0; i < 4; i++)
		emu_stack_push(cpu, ss, sp, sz, cpu->seg[order[i]].sel, false,
			       true);
}

/* Protected mode, 32-bit IDT (SDM Vol. 3A, 6.12.1 and the INT n
 * pseudocode). */
static void deliver_prot(struct emu_cpu *cpu, const struct emu_event *ev,
			 uint64_t ret)
{
	struct gate g;
	struct seg nss = cpu->seg[SEG_SS];
	uint64_t sp = cpu->gpr[4], rfl = emu_get_rflags(cpu);
	unsigned sz = (read_gate(cpu, ev, &g, false), (g.type & 8) ? 4 : 2);
	int dpl = (int)desc_dpl(g.cs[0]), cpl = cpu->cpl;
	bool v86 = cpu->mode == MODE_V86;
	uint16_t oss = cpu->seg[SEG_SS].sel;
	uint64_t osp = cpu->gpr[4];

	if (!(desc_type(g.cs[0]) & 4) && dpl < cpl) {
		if (v86 && dpl != 0)
			emu_raise(cpu, EXC_GP, g.sel & 0xfffc);
		inner_stack(cpu, dpl, &nss, &sp);
		if (v86)
			push_v86_segs(cpu, &nss, &sp, sz);
		emu_stack_push(cpu, &nss, &sp, sz, oss, false, true);
		emu_stack_push(cpu, &nss, &sp, sz, osp, false, true);
		cpl = dpl;
	} else if (v86) {
		emu_raise(cpu, EXC_GP, g.sel & 0xfffc);
	}
	struct seg ncs;

	seg_from_desc(&ncs, g.sel, g.cs[0], 0);
	if (g.off > ncs.limit)
		emu_raise(cpu, EXC_GP, 0);
	emu_stack_push(cpu, &nss, &sp, sz, rfl, false, cpl < 3);
	emu_stack_push(cpu, &nss, &sp, sz, cpu->seg[SEG_CS].sel, false,
		       cpl < 3);
	emu_stack_push(cpu, &nss, &sp, sz, ret, false, cpl < 3);
	if (ev->has_err)
		emu_stack_push(cpu, &nss, &sp, sz, ev->err, false, cpl < 3);
	if (cpl < cpu->cpl) {
		nss.sel = (uint16_t)((nss.sel & ~3u) | (unsigned)cpl);
		cpu->seg[SEG_SS] = nss;
		if (v86)
			for (int s = SEG_ES; s <= SEG_GS; s++)
				if (s != SEG_CS && s != SEG_SS)
					seg_load_null(cpu, s, 0);
	}
	cpu->gpr[4] = sp;
	commit_cs(cpu, &g, cpl, g.off & (sz == 2 ? 0xffff : 0xffffffff));
}

/* IA-32e mode, 64-bit IDT (SDM Vol. 3A, 6.14): 16-byte gates, 64-bit
 * pushes, RSP aligned to 16, IST, SS:RSP always pushed. */
static void deliver_long(struct emu_cpu *cpu, const struct emu_event *ev,
			 uint64_t ret)
{
	struct gate g;
	uint64_t sp = cpu->gpr[4], rfl = emu_get_rflags(cpu);
	struct seg ss = cpu->seg[SEG_SS];
	int cpl = cpu->cpl, dpl;
	uint16_t nsel;

	read_gate(cpu, ev, &g, true);
	dpl = (int)desc_dpl(g.cs[0]);
	if (!(desc_type(g.cs[0]) & 4) && dpl < cpl) {
		seg_tss_stack(cpu, dpl, &nsel, &sp);
		cpl = dpl;
	}
	if (g.ist)
		sp = seg_tss_ist(cpu, (int)g.ist);
	if (!emu_canonical(g.off))
		emu_raise(cpu, EXC_GP, 0);
	sp &= ~0xfull;
	bool sup = cpl < 3;

	emu_stack_push(cpu, &ss, &sp, 8, cpu->seg[SEG_SS].sel, true, sup);
	emu_stack_push(cpu, &ss, &sp, 8, cpu->gpr[4], true, sup);
	emu_stack_push(cpu, &ss, &sp, 8, rfl, true, sup);
	emu_stack_push(cpu, &ss, &sp, 8, cpu->seg[SEG_CS].sel, true, sup);
	emu_stack_push(cpu, &ss, &sp, 8, ret, true, sup);
	if (ev->has_err)
		emu_stack_push(cpu, &ss, &sp, 8, ev->err, true, sup);
	if (cpl < cpu->cpl) {
		/* A null SS with RPL = new CPL (SDM Vol. 3A, 6.14.4). */
		seg_load_null(cpu, SEG_SS, (uint16_t)cpl);
		cpu->seg[SEG_SS].ar = AR_UNUSABLE | 0x13u | ((uint32_t)cpl << 5);
	}
	cpu->gpr[4] = sp;
	commit_cs(cpu, &g, cpl, g.off);
}

void emu_deliver(struct emu_cpu *cpu, const struct emu_event *ev)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t ret = cpu->rip + (software(ev) ? ev->len : 0);
	if (intercepted(cpu, ev))
		exit_exception(cpu, ev);
	s->deliv = *ev;
	s->delivering = true;
	/* An injected #PF leaves CR2 to the VMM (SDM Vol. 3C, 27.6.1.2). */
	if (ev->vec == EXC_PF && ev->type == EV_HW && !ev->inject)
		cpu->cr2 = ev->cr2;
	if (cpu->mode == MODE_REAL)
		deliver_real(cpu, ev, ret);
	else if (cpu->efer & EFER_LMA)
		deliver_long(cpu, ev, ret);
	else
		deliver_prot(cpu, ev, ret);
	s->delivering = false;
	cpu->intr_shadow = 0;
	cpu->halted = false;
	/* Delivering an NMI blocks (virtual) NMIs until the next IRET (SDM
	 * Vol. 3A, 6.7.1; Vol. 3C, 27.6.1.2). */
	if (ev->type == EV_NMI)
		s->nmi_blocked = true;
	emu_update_mode(cpu);
}

/* Task switches are not performed by the engine: they exit (SDM Vol. 3C,
 * 26.4.2); qualification bits 15:0 selector, 31:30 source (28.2.1). */
_Noreturn void emu_task_switch(struct emu_cpu *cpu, uint16_t sel, int source)
{
	struct emu_sys *s = sys_of(cpu);

	if (source != 3 && cpu->cur) {
		s->exit_len = cpu->cur->len;
		s->has_len = true;
	}
	emu_vmexit(cpu, VMX_REASON_TASK,
		   (uint64_t)sel | ((uint64_t)(source & 3) << 30));
}
