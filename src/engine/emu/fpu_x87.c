/* SPDX-License-Identifier: MIT */
/* The x87 instruction set (escape opcodes D8-DF and FWAIT): #NM/#MF
 * checks, the register stack with its tags and stack faults, loads and
 * stores of every memory format, arithmetic, compares, FCMOVcc and the
 * control instructions (SDM Vol. 1, chapter 8; Vol. 2, the F* pages;
 * Vol. 2D, Tables for the opcode map). */
#include "engine/emu/fpu_x87.h"

#include "engine/emu/softfloat_int.h"

#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_NE (1ull << 5)

/* ---------------------------------------------------------------- */
/* Exceptions and the stack (SDM Vol. 1, 8.4 and 8.5). */

/* ES (and B) summarise the unmasked exception flags (8.1.3.2). */
static void update_es(struct emu_fpu *f)
{
	if (f->fsw & ~f->fcw & SF_ALL)
		f->fsw |= FSW_ES | FSW_B;
	else
		f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

static unsigned unmasked(const struct emu_cpu *cpu, unsigned flags)
{
	return flags & ~cpu->fpu.fcw & SF_ALL;
}

bool x87_flags(struct emu_cpu *cpu, unsigned flags, bool c1)
{
	struct emu_fpu *f = &cpu->fpu;
	bool stop = unmasked(cpu, flags) & (SF_IE | SF_DE | SF_ZE);

	/* An unmasked pre-computation exception (invalid operand, denormal
	 * operand, divide by zero) ends the instruction before any result
	 * exists: no post-computation flags, and C1 = 0 unless it says
	 * which way the stack faulted (8.5 and 8.5.1.1). */
	if (stop) {
		flags &= SF_IE | SF_DE | SF_ZE | X87_SF;
		c1 = c1 && (flags & X87_SF);
	}

	if (unmasked(cpu, flags)) {
		f->fop = f->cur_op;
		if (f->cur_dp_valid)
			f->fdp = f->cur_dp;
	}
	f->fsw |= flags & (SF_ALL | X87_SF);
	f->fsw = (uint16_t)((f->fsw & ~FSW_C1) | (c1 ? FSW_C1 : 0));
	update_es(f);
	return !stop;
}

bool x87_stack_fault(struct emu_cpu *cpu, bool overflow)
{
	return x87_flags(cpu, SF_IE | X87_SF, overflow);
}

void x87_write(struct emu_cpu *cpu, unsigned i, struct fx80 v)
{
	struct emu_fpu *f = &cpu->fpu;

	*x87_st(f, i) = v;
	f->ftw |= (uint8_t)(1u << x87_phys(f, i));
}

void x87_push(struct emu_cpu *cpu, struct fx80 v)
{
	struct emu_fpu *f = &cpu->fpu;

	if (!x87_empty(f, 7)) {
		if (!x87_stack_fault(cpu, true))
			return;
		v = FX80_DEFAULT_NAN;
	}
	x87_set_top(f, x87_top(f) - 1);
	x87_write(cpu, 0, v);
}

void x87_pop(struct emu_cpu *cpu)
{
	struct emu_fpu *f = &cpu->fpu;

	f->ftw &= (uint8_t)~(1u << x87_top(f));
	x87_set_top(f, x87_top(f) + 1);
}

void x87_set_cc(struct emu_cpu *cpu, unsigned cc)
{
	struct emu_fpu *f = &cpu->fpu;

	f->fsw = (uint16_t)((f->fsw & ~(FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3)) |
			    ((cc & 1) ? FSW_C0 : 0) | ((cc & 2) ? FSW_C1 : 0) |
			    ((cc & 4) ? FSW_C2 : 0) | ((cc & 8) ? FSW_C3 : 0));
}

/* ST(i) as a source: false after a (masked or not) stack underflow. */
static bool src(struct emu_cpu *cpu, unsigned i, struct fx80 *v)
{
	if (x87_empty(&cpu->fpu, i)) {
		x87_stack_fault(cpu, false);
		return false;
	}
	*v = *x87_st(&cpu->fpu, i);
	return true;
}

/* Underflow response for a register destination: the indefinite when
 * masked (8.5.1.1). */
static void underflow_to(struct emu_cpu *cpu, unsigned dst)
{
	if (!(unmasked(cpu, SF_IE)))
		x87_write(cpu, dst, FX80_DEFAULT_NAN);
}

enum { K_ADD, K_MUL, K_COM, K_COMP, K_SUB, K_SUBR, K_DIV, K_DIVR };

/* ---------------------------------------------------------------- */
/* Unmasked overflow and underflow (SDM Vol. 1, 8.5.3 and 8.5.4). */

/* The adjustment a rounding of e calls for: -24576 after an unmasked
 * overflow, +24576 after an unmasked underflow, else 0. Unmasked
 * underflow is signalled on tininess alone (8.5.4). */
static int32_t bias_adjust(const struct sf_env *e, unsigned flags)
{
	if (flags & ~e->masks & SF_OE)
		return -X87_BIAS_ADJUST;
	if (flags & ~e->masks & SF_UE)
		return X87_BIAS_ADJUST;
	return 0;
}

struct fx80 x87_round(struct sf_env *e, unsigned prec, const struct unp *u)
{
	struct sf_env t = *e;
	struct unp a = *u;
	struct fx80 r;
	int32_t adj;

	t.flags = 0;
	r = sf_pack(&t, &sf_fx80, prec, u);
	adj = bias_adjust(e, t.flags);
	if (adj) {
		t = *e;
		t.flags = 0;
		a.exp += adj;
		r = sf_pack(&t, &sf_fx80, prec, &a);
		if (t.flags & (SF_OE | SF_UE)) {
			/* Still out of range (FSCALE): a signed infinity or
			 * zero, C1 = 1 for the infinity (8.5.3, 8.5.4). */
			r.m = adj < 0 ? 1ull << 63 : 0;
			r.se = (uint16_t)(u->sign << 15 | (adj < 0 ? 0x7fff : 0));
			t.flags = SF_PE;
			t.c1 = adj < 0;
		}
		t.flags |= adj < 0 ? SF_OE : SF_UE;
	}
	e->flags |= t.flags;
	e->c1 = t.c1;
	return r;
}

static unsigned x87_prec(const struct sf_env *e)
{
	return e->pc == SF_PC24 ? 24 : e->pc == SF_PC53 ? 53 : 64;
}

/* FADD/FSUB/FMUL/FDIV (x op y) again, with the exponents biased by adj
 * so that the exact result is scaled by 2^adj: both addends, the first
 * factor, the dividend. */
static struct fx80 rebiased(struct sf_env *e, unsigned kind, struct fx80 x,
			    struct fx80 y, int32_t adj)
{
	struct unp a = sf_unpack(e, &sf_fx80, x), b = sf_unpack(e, &sf_fx80, y);
	unsigned prec = x87_prec(e);

	e->flags = 0;
	switch (kind) {
	case K_ADD: case K_SUB: case K_SUBR:
		a.exp += adj;
		b.exp += adj;
		return kind == K_SUBR ? sf_add(e, &sf_fx80, prec, b, a, true) :
		       sf_add(e, &sf_fx80, prec, a, b, kind == K_SUB);
	case K_MUL:
		a.exp += adj;
		return sf_mul(e, &sf_fx80, prec, a, b);
	case K_DIV:
		a.exp += adj;
		return sf_div(e, &sf_fx80, prec, a, b);
	default:
		b.exp += adj;
		return sf_div(e, &sf_fx80, prec, b, a);
	}
}

/* ---------------------------------------------------------------- */
/* Memory operands. */

static uint64_t ea(struct emu_cpu *cpu, const struct insn *in)
{
	return emu_ea(cpu, in);
}

static uint64_t rd(struct emu_cpu *cpu, const struct insn *in, unsigned off,
		   unsigned size)
{
	return emu_read(cpu, in->seg, (ea(cpu, in) + off) &
			emu_mask(in->adsize), size);
}

static void wr(struct emu_cpu *cpu, const struct insn *in, unsigned off,
	       unsigned size, uint64_t v)
{
	emu_write(cpu, in->seg, (ea(cpu, in) + off) & emu_mask(in->adsize),
		  size, v);
}

/* A binary32/64 operand widened exactly, keeping SNaNs signalling (the
 * arithmetic then applies the NaN rules) and reporting DE for a
 * denormal (8.2.3). */
static struct fx80 widen(const struct sf_fmt *fmt, uint64_t raw,
			 unsigned *flags)
{
	struct sf_env e;
	struct unp u;

	sf_env_x87(&e, 0x37f);
	u = sf_unpack(&e, fmt, sf_raw(raw));
	if (sf_is_nan(&u))
		return (struct fx80){ u.sig.hi,
				      (uint16_t)(u.sign << 15 | 0x7fff) };
	if (u.denorm)
		*flags |= SF_DE;
	return sf_pack(&e, &sf_fx80, 64, &u);
}

/* The memory operand of the D8/DA/DC/DE arithmetic groups. */
static struct fx80 mem_operand(struct emu_cpu *cpu, const struct insn *in,
			       unsigned *flags)
{
	switch (in->op) {
	case 0xd8:
		return widen(&sf_f32, rd(cpu, in, 0, 4), flags);
	case 0xdc:
		return widen(&sf_f64, rd(cpu, in, 0, 8), flags);
	case 0xda:
		return i64_to_fx80((int32_t)rd(cpu, in, 0, 4));
	default:
		return i64_to_fx80((int16_t)rd(cpu, in, 0, 2));
	}
}


static void arith(struct emu_cpu *cpu, unsigned kind, unsigned dst,
		  struct fx80 x, struct fx80 y, unsigned extra)
{
	struct sf_env e;
	struct fx80 r;
	int32_t adj;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (fx80_is_nan(x) || fx80_is_nan(y) || fx80_is_unsupported(x) ||
	    fx80_is_unsupported(y))
		extra &= ~(unsigned)SF_DE;
	switch (kind) {
	case K_ADD: r = fx80_add(&e, x, y); break;
	case K_MUL: r = fx80_mul(&e, x, y); break;
	case K_SUB: r = fx80_sub(&e, x, y); break;
	case K_SUBR: r = fx80_sub(&e, y, x); break;
	case K_DIV: r = fx80_div(&e, x, y); break;
	default: r = fx80_div(&e, y, x); break;
	}
	adj = bias_adjust(&e, e.flags);
	if (adj) {
		r = rebiased(&e, kind, x, y, adj);
		e.flags |= adj < 0 ? SF_OE : SF_UE;
	}
	if (e.flags & (SF_IE | SF_ZE))
		extra &= ~(unsigned)SF_DE;
	if (x87_flags(cpu, e.flags | extra, e.c1 && (e.flags & SF_PE)))
		x87_write(cpu, dst, r);
}

/* FCOM/FUCOM/FCOMI/FUCOMI/FTST/FICOM: C3 C2 C0 (or ZF PF CF) = 000 >,
 * 001 <, 100 =, 111 unordered (SDM Vol. 2A, FCOM and FCOMI). */
static void compare(struct emu_cpu *cpu, struct fx80 x, struct fx80 y,
		    bool quiet, bool eflags, unsigned extra)
{
	static const uint8_t cc[4] = { 0x1, 0x8, 0x0, 0xd };
	struct sf_env e;
	int rel;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (fx80_is_nan(x) || fx80_is_nan(y) || fx80_is_unsupported(x) ||
	    fx80_is_unsupported(y))
		extra &= ~(unsigned)SF_DE;
	rel = fx80_compare(&e, x, y, !quiet);
	if (!x87_flags(cpu, e.flags | extra, false))
		return;
	if (!eflags) {
		x87_set_cc(cpu, cc[rel]);
		return;
	}
	emu_set_arith(cpu, RF_ARITH, ((cc[rel] & 1) ? RF_CF : 0) |
		      ((cc[rel] & 4) ? RF_PF : 0) | ((cc[rel] & 8) ? RF_ZF : 0));
}

static void compare_fault(struct emu_cpu *cpu, bool eflags)
{
	if (unmasked(cpu, SF_IE))
		return;
	if (eflags)
		emu_set_arith(cpu, RF_ARITH, RF_CF | RF_PF | RF_ZF);
	else
		x87_set_cc(cpu, 0xd);
}

/* D8/DA/DC/DE with a memory operand: ST0 op m. */
static void arith_mem(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned kind = in->reg & 7, extra = 0;
	struct fx80 m = mem_operand(cpu, in, &extra), x;

	if (!src(cpu, 0, &x)) {
		if (kind == K_COM || kind == K_COMP)
			compare_fault(cpu, false);
		else
			underflow_to(cpu, 0);
	} else if (kind == K_COM || kind == K_COMP) {
		compare(cpu, x, m, false, false, extra);
	} else {
		arith(cpu, kind, 0, x, m, extra);
	}
	if (kind == K_COMP)
		x87_pop(cpu);
}

/* D8 reg: ST0 = ST0 op ST(i); DC reg: ST(i) = ST(i) op ST0 with the
 * SUB/SUBR and DIV/DIVR encodings swapped; DE: the DC forms then pop. */
static void arith_reg(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned kind = in->reg & 7, i = in->rm & 7, dst = 0;
	struct fx80 x, y;
	bool pops = in->op == 0xde;

	if (kind == K_COM || kind == K_COMP) {
		if (src(cpu, 0, &x) && src(cpu, i, &y))
			compare(cpu, x, y, false, false, 0);
		else
			compare_fault(cpu, false);
		if (kind == K_COMP)
			x87_pop(cpu);
		return;
	}
	if (in->op != 0xd8) {
		dst = i;
		if (kind >= K_SUB)
			kind ^= 1;
	}
	if (src(cpu, dst, &x) && src(cpu, dst ? 0 : i, &y))
		arith(cpu, kind, dst, x, y, 0);
	else
		underflow_to(cpu, dst);
	if (pops)
		x87_pop(cpu);
}

/* ---------------------------------------------------------------- */
/* Loads and stores. */

static void fld_mem(struct emu_cpu *cpu, const struct insn *in,
		    unsigned size)
{
	struct sf_env e;
	struct fx80 v;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (size == 4) {
		v = f32_to_fx80(&e, (uint32_t)rd(cpu, in, 0, 4));
	} else if (size == 8) {
		v = f64_to_fx80(&e, rd(cpu, in, 0, 8));
	} else {
		v.m = rd(cpu, in, 0, 8);
		v.se = (uint16_t)rd(cpu, in, 8, 2);
	}
	if (!x87_empty(&cpu->fpu, 7)) {
		x87_push(cpu, v);
		return;
	}
	if (x87_flags(cpu, e.flags, false))
		x87_push(cpu, v);
}

static void fild(struct emu_cpu *cpu, const struct insn *in, unsigned size)
{
	uint64_t raw = rd(cpu, in, 0, size);

	x87_flags(cpu, 0, false);
	x87_push(cpu, i64_to_fx80(emu_sext(raw, size)));
}

/* FST/FSTP m32/m64/m80: unmasked IE, OE or UE store nothing
 * (8.5.3, 8.5.4 and 8.5.1.2). */
static void fst_mem(struct emu_cpu *cpu, const struct insn *in,
		    unsigned size, bool pop)
{
	struct sf_env e;
	struct fx80 v;
	uint64_t raw;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (!src(cpu, 0, &v)) {
		if (unmasked(cpu, SF_IE))
			return;
		v = FX80_DEFAULT_NAN;
	}
	if (size == 10) {
		wr(cpu, in, 0, 8, v.m);
		wr(cpu, in, 8, 2, v.se);
		x87_flags(cpu, 0, false);
	} else {
		raw = size == 4 ? fx80_to_f32(&e, v) : fx80_to_f64(&e, v);
		if (unmasked(cpu, e.flags) & SF_IE) {
			x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE));
			return;
		}
		if (unmasked(cpu, e.flags) & (SF_OE | SF_UE)) {
			/* Nothing is rounded or stored: no PE, C1 = 0. */
			x87_flags(cpu, e.flags & ~(unsigned)SF_PE, false);
			return;
		}
		wr(cpu, in, 0, size, raw);
		x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE));
	}
	if (pop)
		x87_pop(cpu);
}

/* FIST/FISTP/FISTTP m16/m32/m64: the integer indefinite on masked IE. */
static void fist(struct emu_cpu *cpu, const struct insn *in, unsigned size,
		 bool pop, bool trunc)
{
	struct sf_env e;
	struct fx80 v;
	int64_t r;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (!src(cpu, 0, &v)) {
		if (unmasked(cpu, SF_IE))
			return;
		r = (int64_t)(~0ull << (size * 8 - 1));
	} else {
		r = fx80_to_int(&e, v, size * 8, trunc);
		if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
			return;
	}
	wr(cpu, in, 0, size, (uint64_t)r);
	if (pop)
		x87_pop(cpu);
}

/* FST/FSTP ST(i). */
static void fst_reg(struct emu_cpu *cpu, unsigned i, bool pop)
{
	struct fx80 v;

	if (src(cpu, 0, &v))
		x87_write(cpu, i, v);
	else
		underflow_to(cpu, i);
	if (pop)
		x87_pop(cpu);
}

/* ---------------------------------------------------------------- */
/* Register-only groups. */

static void fxch(struct emu_cpu *cpu, unsigned i)
{
	struct emu_fpu *f = &cpu->fpu;
	struct fx80 a, b;

	if (x87_empty(f, 0) || x87_empty(f, i)) {
		if (!x87_stack_fault(cpu, false))
			return;
		if (x87_empty(f, 0))
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
		if (x87_empty(f, i))
			x87_write(cpu, i, FX80_DEFAULT_NAN);
	} else {
		x87_flags(cpu, 0, false);
	}
	a = *x87_st(f, 0);
	b = *x87_st(f, i);
	*x87_st(f, 0) = b;
	*x87_st(f, i) = a;
}

/* FCMOVcc (DA/DB C0-DF): B, E, BE, U and their negations. */
static void fcmov(struct emu_cpu *cpu, const struct insn *in)
{
	static const uint8_t cond[4] = { 0x2, 0x4, 0x6, 0xa }; /* B E BE P */
	unsigned i = in->rm & 7;
	bool c = emu_cond(cpu, cond[in->reg & 3]);
	struct fx80 v;

	if (in->op == 0xdb)
		c = !c;
	if (x87_empty(&cpu->fpu, 0) || x87_empty(&cpu->fpu, i)) {
		if (x87_stack_fault(cpu, false))
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
		return;
	}
	x87_flags(cpu, 0, false);
	v = *x87_st(&cpu->fpu, i);
	if (c)
		x87_write(cpu, 0, v);
}

/* FUCOMI/FCOMI (DB E8/F0) and FUCOMIP/FCOMIP (DF E8/F0). */
static void fcomi(struct emu_cpu *cpu, const struct insn *in)
{
	struct fx80 x, y;
	bool quiet = (in->reg & 7) == 5;

	if (src(cpu, 0, &x) && src(cpu, in->rm & 7, &y))
		compare(cpu, x, y, quiet, true, 0);
	else
		compare_fault(cpu, true);
	if (in->op == 0xdf)
		x87_pop(cpu);
}

static void fucom(struct emu_cpu *cpu, unsigned i, unsigned pops)
{
	struct fx80 x, y;

	if (src(cpu, 0, &x) && src(cpu, i, &y))
		compare(cpu, x, y, true, false, 0);
	else
		compare_fault(cpu, false);
	while (pops--)
		x87_pop(cpu);
}

static void fcompp(struct emu_cpu *cpu)
{
	struct fx80 x, y;

	if (src(cpu, 0, &x) && src(cpu, 1, &y))
		compare(cpu, x, y, false, false, 0);
	else
		compare_fault(cpu, false);
	x87_pop(cpu);
	x87_pop(cpu);
}

/* ---------------------------------------------------------------- */
/* Control instructions. */

static void fldcw(struct emu_cpu *cpu, uint16_t v)
{
	cpu->fpu.fcw = (uint16_t)((v & 0x1f3f) | 0x40); /* reserved bits */
	update_es(&cpu->fpu);
}

void x87_init(struct emu_cpu *cpu)
{
	struct emu_fpu *f = &cpu->fpu;

	f->fcw = 0x37f;
	f->fsw = 0;
	f->ftw = 0;
	f->fop = 0;
	f->fip = f->fdp = 0;
}

/* Instructions that do not check for pending exceptions (the FN*
 * forms; SDM Vol. 1, 8.3.11). */
static bool no_wait(const struct insn *in)
{
	unsigned r = in->reg & 7;

	if (in->mod == 3)
		return (in->op == 0xdb && (r == 4) && ((in->rm & 7) == 2 ||
						       (in->rm & 7) == 3)) ||
		       (in->op == 0xdf && r == 4 && (in->rm & 7) == 0);
	return (in->op == 0xd9 && (r == 6 || r == 7)) ||
	       (in->op == 0xdd && (r == 6 || r == 7));
}

static bool is_control(const struct insn *in)
{
	unsigned r = in->reg & 7;

	if (no_wait(in))
		return true;
	return in->mod != 3 && ((in->op == 0xd9 && (r == 4 || r == 5)) ||
				(in->op == 0xdd && r == 4));
}

/* The last-instruction pointers of non-control instructions (SDM Vol.
 * 1, 8.1.8, 8.1.9). FIP always follows the instruction. The CPU model
 * has FOP compatibility mode off (IA32_MISC_ENABLE[2] = 0) and sets
 * CPUID.(EAX=07H,ECX=0):EBX[6], so FOP and FDP change only when the
 * instruction incurs an unmasked exception (x87_flags); a register
 * form then leaves FDP alone (measured on an Intel Xeon). FCS and FDS
 * are deprecated (CPUID.(EAX=07H,ECX=0):EBX[13]) and saved as 0. */
static void record(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_fpu *f = &cpu->fpu;

	f->fip = cpu->insn_rip;
	f->cur_op = (uint16_t)(((in->op & 7) << 8) | (in->mod << 6) |
			       ((in->reg & 7) << 3) | (in->rm & 7));
	f->cur_dp_valid = in->mod != 3;
	if (f->cur_dp_valid)
		f->cur_dp = ea(cpu, in);
}

/* #MF for a pending unmasked exception at a waiting instruction, when
 * CR0.NE selects native reporting (SDM Vol. 3A, 6.15 #MF). */
static void pending(struct emu_cpu *cpu)
{
	if ((cpu->fpu.fsw & FSW_ES) && (cpu->cr0 & CR0_NE))
		emu_raise(cpu, EXC_MF, 0);
}

/* ---------------------------------------------------------------- */
/* Opcode groups. */

static void esc_d9(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned r = in->reg & 7;

	if (in->mod == 3) {
		if (r == 0) {
			struct fx80 v;

			if (src(cpu, in->rm & 7, &v)) {
				x87_push(cpu, v);
			} else if (!unmasked(cpu, SF_IE)) {
				/* Underflow only: the indefinite is pushed
				 * without an overflow check. */
				x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
				x87_write(cpu, 0, FX80_DEFAULT_NAN);
			}
		} else if (r == 1) {
			fxch(cpu, in->rm & 7);
		} else if (r == 3) {
			fst_reg(cpu, in->rm & 7, true);
		} else if (r == 2 && (in->rm & 7) == 0) {
			return; /* FNOP */
		} else {
			x87_grp_d9_misc(cpu, in);
		}
		return;
	}
	switch (r) {
	case 0: fld_mem(cpu, in, 4); break;
	case 2: fst_mem(cpu, in, 4, false); break;
	case 3: fst_mem(cpu, in, 4, true); break;
	case 4: x87_ldenv(cpu, in, false); break;
	case 5: fldcw(cpu, (uint16_t)rd(cpu, in, 0, 2)); break;
	case 6: x87_stenv(cpu, in, false); break;
	case 7: wr(cpu, in, 0, 2, cpu->fpu.fcw); break;
	default: emu_raise(cpu, EXC_UD, 0);
	}
}

static void esc_da(struct emu_cpu *cpu, const struct insn *in)
{
	if (in->mod != 3)
		arith_mem(cpu, in);
	else if ((in->reg & 7) < 4)
		fcmov(cpu, in);
	else if ((in->reg & 7) == 5 && (in->rm & 7) == 1)
		fucom(cpu, 1, 2);
	else
		emu_raise(cpu, EXC_UD, 0);
}

static void esc_db(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned r = in->reg & 7;

	if (in->mod == 3) {
		if (r < 4)
			fcmov(cpu, in);
		else if (r == 5 || r == 6)
			fcomi(cpu, in);
		else if (r == 4 && (in->rm & 7) == 2)
			cpu->fpu.fsw &= (uint16_t)~(SF_ALL | X87_SF | FSW_ES |
						    FSW_B);
		else if (r == 4 && (in->rm & 7) == 3)
			x87_init(cpu);
		else if (r == 4 && (in->rm & 7) <= 4)
			return; /* FENI/FDISI/FSETPM: no-ops since the 387 */
		else
			emu_raise(cpu, EXC_UD, 0);
		return;
	}
	switch (r) {
	case 0: fild(cpu, in, 4); break;
	case 1: fist(cpu, in, 4, true, true); break;
	case 2: fist(cpu, in, 4, false, false); break;
	case 3: fist(cpu, in, 4, true, false); break;
	case 5: fld_mem(cpu, in, 10); break;
	case 7: fst_mem(cpu, in, 10, true); break;
	default: emu_raise(cpu, EXC_UD, 0);
	}
}

static void esc_dd(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned r = in->reg & 7, i = in->rm & 7;

	if (in->mod == 3) {
		switch (r) {
		case 0: cpu->fpu.ftw &= (uint8_t)~(1u << x87_phys(&cpu->fpu, i));
			break;
		case 1: fxch(cpu, i); break;
		case 2: fst_reg(cpu, i, false); break;
		case 3: fst_reg(cpu, i, true); break;
		case 4: fucom(cpu, i, 0); break;
		case 5: fucom(cpu, i, 1); break;
		default: emu_raise(cpu, EXC_UD, 0);
		}
		return;
	}
	switch (r) {
	case 0: fld_mem(cpu, in, 8); break;
	case 1: fist(cpu, in, 8, true, true); break;
	case 2: fst_mem(cpu, in, 8, false); break;
	case 3: fst_mem(cpu, in, 8, true); break;
	case 4: x87_ldenv(cpu, in, true); break;
	case 6: x87_stenv(cpu, in, true); break;
	case 7: wr(cpu, in, 0, 2, cpu->fpu.fsw); break;
	default: emu_raise(cpu, EXC_UD, 0);
	}
}

static void esc_de(struct emu_cpu *cpu, const struct insn *in)
{
	if (in->mod != 3)
		arith_mem(cpu, in);
	else if ((in->reg & 7) == 3 && (in->rm & 7) == 1)
		fcompp(cpu);
	else if ((in->reg & 7) == 2 || (in->reg & 7) == 3)
		emu_raise(cpu, EXC_UD, 0);
	else
		arith_reg(cpu, in);
}

static void esc_df(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned r = in->reg & 7;

	if (in->mod == 3) {
		if (r == 4 && (in->rm & 7) == 0)
			emu_reg_set(cpu, 0, 2, false, cpu->fpu.fsw);
		else if (r == 5 || r == 6)
			fcomi(cpu, in);
		else if (r == 0) {
			cpu->fpu.ftw &= (uint8_t)~(1u << x87_phys(&cpu->fpu,
								in->rm & 7));
			x87_pop(cpu);
		} else
			emu_raise(cpu, EXC_UD, 0);
		return;
	}
	switch (r) {
	case 0: fild(cpu, in, 2); break;
	case 1: fist(cpu, in, 2, true, true); break;
	case 2: fist(cpu, in, 2, false, false); break;
	case 3: fist(cpu, in, 2, true, false); break;
	case 4: x87_fbld(cpu, in); break;
	case 5: fild(cpu, in, 8); break;
	case 6: x87_fbstp(cpu, in); break;
	default: fist(cpu, in, 8, true, false); break;
	}
}

void exec_sys_fpu(struct emu_cpu *cpu, const struct insn *in)
{
	if (in->op == 0x9b) {
		/* FWAIT: #NM only with both MP and TS (SDM Vol. 3A, 2.5). */
		if ((cpu->cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS))
			emu_raise(cpu, EXC_NM, 0);
		pending(cpu);
		return;
	}
	if (cpu->cr0 & (CR0_EM | CR0_TS))
		emu_raise(cpu, EXC_NM, 0);
	if (!no_wait(in))
		pending(cpu);
	if (!is_control(in))
		record(cpu, in);
	switch (in->op) {
	case 0xd8: in->mod == 3 ? arith_reg(cpu, in) : arith_mem(cpu, in);
		break;
	case 0xd9: esc_d9(cpu, in); break;
	case 0xda: esc_da(cpu, in); break;
	case 0xdb: esc_db(cpu, in); break;
	case 0xdc: in->mod == 3 ? arith_reg(cpu, in) : arith_mem(cpu, in);
		break;
	case 0xdd: esc_dd(cpu, in); break;
	case 0xde: esc_de(cpu, in); break;
	default: esc_df(cpu, in); break;
	}
}
