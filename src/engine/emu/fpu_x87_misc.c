/* SPDX-License-Identifier: MIT */
/* x87 instructions beyond plain arithmetic: the D9 E0-FF group (FCHS,
 * FABS, FTST, FXAM, constants, FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM,
 * FPREM1, FINCSTP, FDECSTP), the environment and full-state images of
 * FLDENV/FSTENV/FRSTOR/FSAVE (16- and 32-bit protected-mode formats),
 * and packed BCD (FBLD/FBSTP) (SDM Vol. 1, 8.1 and 8.3; Vol. 2). */
#include "engine/emu/fpu_x87.h"

#include "engine/emu/softfloat_int.h"

static struct fx80 *st0(struct emu_cpu *cpu)
{
	return x87_st(&cpu->fpu, 0);
}

/* ST0 as the operand of a one-operand instruction; false (after the
 * stack fault, masked response stored) if empty. */
static bool need(struct emu_cpu *cpu, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		if (x87_empty(&cpu->fpu, i)) {
			if (x87_stack_fault(cpu, false))
				x87_write(cpu, 0, FX80_DEFAULT_NAN);
			return false;
		}
	}
	return true;
}

static void store_result(struct emu_cpu *cpu, unsigned i,
			 const struct sf_env *e, struct fx80 r)
{
	if (x87_flags(cpu, e->flags, e->c1 && (e->flags & SF_PE)))
		x87_write(cpu, i, r);
}

/* ---------------------------------------------------------------- */
/* FXAM classes in C3 C2 C0 (SDM Vol. 2A, FXAM Table 3-?): C1 = sign. */

static unsigned fxam(const struct emu_fpu *f)
{
	const struct fx80 *v = &f->st[x87_phys(f, 0)];
	unsigned e = v->se & 0x7fff, sign = (v->se >> 15) ? 2 : 0;

	if (x87_empty(f, 0))
		return 0x9 | sign;                 /* empty: 101 */
	if (fx80_is_unsupported(*v))
		return sign;                       /* 000 */
	if (e == 0x7fff)
		return (v->m << 1 ? 0x1 : 0x5) | sign;  /* NaN 001, inf 011 */
	if (e == 0)
		return (v->m ? 0xc : 0x8) | sign;  /* denormal 110, zero 100 */
	return 0x4 | sign;                         /* normal 010 */
}

/* ---------------------------------------------------------------- */
/* Constants: 66+ significant bits rounded by FCW.RC (SDM Vol. 1,
 * 8.3.8): significand, following bits, exponent. */

static const struct { uint64_t m, tail; uint16_t se; } consts[7] = {
	{ 0x8000000000000000ull, 0, 0x3fff },                      /* 1 */
	{ 0xd49a784bcd1b8afeull, 0x492bf6ff4dafdb4dull, 0x4000 },   /* l2t */
	{ 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e89ull, 0x3fff },   /* l2e */
	{ 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull, 0x4000 },   /* pi */
	{ 0x9a209a84fbcff798ull, 0x8f8959ac0b7c9178ull, 0x3ffd },   /* lg2 */
	{ 0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull, 0x3ffe },   /* ln2 */
	{ 0, 0, 0 },                                                /* +0 */
};

static void fld_const(struct emu_cpu *cpu, unsigned k)
{
	struct sf_env e;
	struct unp u = { .cls = CL_NORM };
	struct fx80 v = { consts[k].m, consts[k].se };

	sf_env_x87(&e, (uint16_t)(cpu->fpu.fcw | 0x300));
	if (consts[k].m) {
		u.sig = u128_make(consts[k].m, consts[k].tail);
		u.exp = (int32_t)consts[k].se - 16383;
		v = sf_pack(&e, &sf_fx80, 64, &u);
	}
	x87_flags(cpu, 0, false);
	x87_push(cpu, v);
}

/* ---------------------------------------------------------------- */
/* FSCALE, FXTRACT, FPREM/FPREM1. */

/* FSCALE: ST0 * 2^trunc(ST1) with one rounding (SDM Vol. 2A). */
static void fscale(struct emu_cpu *cpu)
{
	struct sf_env e;
	struct fx80 a = *st0(cpu), b = *x87_st(&cpu->fpu, 1), r;
	struct unp ua, ub;
	int64_t n;

	sf_env_x87(&e, cpu->fpu.fcw);
	ua = sf_unpack(&e, &sf_fx80, a);
	ub = sf_unpack(&e, &sf_fx80, b);
	if (sf_is_nan(&ua) || sf_is_nan(&ub) || ua.cls == CL_BAD ||
	    ub.cls == CL_BAD) {
		r = fx80_add(&e, a, b);
	} else if (ub.cls == CL_INF) {
		sf_check_denorm(&e, &ua, &ub);
		if ((ua.cls == CL_ZERO && !ub.sign) ||
		    (ua.cls == CL_INF && ub.sign)) {
			e.flags |= SF_IE;
			r = FX80_DEFAULT_NAN;
		} else {
			ua.cls = ua.cls == CL_ZERO ? CL_ZERO :
				 ub.sign ? CL_ZERO : CL_INF;
			r = sf_pack(&e, &sf_fx80, 64, &ua);
		}
	} else {
		sf_check_denorm(&e, &ua, &ub);
		n = ub.cls == CL_ZERO || ub.exp < 0 ? 0 :
		    ub.exp > 30 ? (1 << 30) : (int64_t)(ub.sig.hi >>
							(63 - ub.exp));
		if (ub.sign)
			n = -n;
		if (ua.cls == CL_NORM)
			ua.exp += (int32_t)n;
		/* ST1 = 0 leaves ST0 as it is: a denormal does not signal an
		 * unmasked underflow then (the host does not; it does for
		 * 0 < |ST1| < 1). */
		r = ub.cls == CL_ZERO ? a : x87_round(&e, 64, &ua);
	}
	store_result(cpu, 0, &e, r);
}

/* FXTRACT: ST0 = exponent, then push the significand (exponent 0). */
static void fxtract(struct emu_cpu *cpu)
{
	struct sf_env e;
	struct fx80 a = *st0(cpu), sig;
	struct unp u;

	sf_env_x87(&e, cpu->fpu.fcw);
	u = sf_unpack(&e, &sf_fx80, a);
	if (!x87_empty(&cpu->fpu, 7)) {
		if (x87_stack_fault(cpu, true)) {
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
			x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
		}
		return;
	}
	if (u.cls == CL_ZERO) {
		/* Divide-by-zero: -inf exponent, significand keeps the zero. */
		e.flags |= SF_ZE;
		if (!x87_flags(cpu, e.flags, false))
			return;
		x87_write(cpu, 0, (struct fx80){ 1ull << 63, 0xffff });
		x87_push(cpu, a);
		return;
	}
	if (u.cls != CL_NORM) {
		struct fx80 r = u.cls == CL_INF ?
			(struct fx80){ 1ull << 63, 0x7fff } :
			fx80_add(&e, a, a);

		if (!x87_flags(cpu, e.flags, false))
			return;
		x87_write(cpu, 0, r);
		x87_push(cpu, u.cls == CL_INF ? a : r);
		return;
	}
	sf_check_denorm(&e, &u, NULL);
	if (!x87_flags(cpu, e.flags, false))
		return;
	sig = (struct fx80){ u.sig.hi, (uint16_t)(u.sign << 15 | 0x3fff) };
	x87_write(cpu, 0, i64_to_fx80(u.exp));
	x87_push(cpu, sig);
}

/* n + 1 steps of restoring binary division of the 64-bit significands
 * (the first without a shift): the quotient bits go into *q, *rem keeps
 * the partial remainder (SDM Vol. 2A, FPREM/FPREM1: the remainder is
 * exact, so each step only compares and subtracts). */
static void divide_steps(uint64_t *rem, uint64_t *q, uint64_t d, unsigned n)
{
	for (unsigned i = 0; i <= n; i++) {
		bool carry = i && (*rem >> 63);

		if (i)
			*rem <<= 1;
		*q <<= 1;
		if (carry || *rem >= d) {
			*rem -= d;
			*q |= 1;
		}
	}
}

/* FPREM (truncating quotient) and FPREM1 (nearest): exact remainder
 * when the exponent difference is below 64, with the low quotient bits
 * in C0 C3 C1 (Q2 Q1 Q0); otherwise a partial reduction with C2 = 1
 * (SDM Vol. 2A, FPREM). */
static void fprem(struct emu_cpu *cpu, bool nearest)
{
	struct sf_env e;
	struct fx80 a = *st0(cpu), b = *x87_st(&cpu->fpu, 1);
	struct unp ua, ub, r;
	uint64_t q = 0, rem, d;
	int32_t diff;

	sf_env_x87(&e, cpu->fpu.fcw);
	ua = sf_unpack(&e, &sf_fx80, a);
	ub = sf_unpack(&e, &sf_fx80, b);
	if (sf_is_nan(&ua) || sf_is_nan(&ub) || ua.cls == CL_BAD ||
	    ub.cls == CL_BAD || ua.cls == CL_INF || ub.cls == CL_ZERO) {
		struct fx80 v = FX80_DEFAULT_NAN;

		if ((ua.cls == CL_INF || ub.cls == CL_ZERO) &&
		    !sf_is_nan(&ua) && !sf_is_nan(&ub))
			e.flags |= SF_IE;
		else
			v = fx80_add(&e, a, b);

		x87_set_cc(cpu, 0);
		store_result(cpu, 0, &e, v);
		return;
	}
	sf_check_denorm(&e, &ua, &ub);
	if (ua.cls == CL_ZERO || ub.cls == CL_INF) {
		store_result(cpu, 0, &e, a);
		x87_set_cc(cpu, 0);
		return;
	}
	diff = ua.exp - ub.exp;
	rem = ua.sig.hi;
	d = ub.sig.hi;
	r = ua;
	if (diff >= 64) {
		/* Partial remainder: reduce the exponent by N = 32 + diff
		 * mod 32, in 32..63 as the SDM allows (FPREM). */
		unsigned n = 32 + (unsigned)diff % 32;

		divide_steps(&rem, &q, d, n);
		r.exp = ua.exp - (int32_t)n;
		r.sig = u128_make(rem, 0);
		if (u128_is_zero(r.sig))
			r.cls = CL_ZERO;
		else
			sf_normalize(&r);
		store_result(cpu, 0, &e, x87_round(&e, 64, &r));
		x87_set_cc(cpu, 0x4);
		return;
	}
	if (diff < 0) {
		if (nearest && (diff == -1 && rem > d)) {
			/* |a| > |b|/2: the nearest quotient is 1. */
			q = 1;
		}
	} else {
		divide_steps(&rem, &q, d, (unsigned)diff);
	}
	r.cls = CL_NORM;
	if (diff >= 0) {
		r.exp = ub.exp;
		r.sig = u128_make(rem, 0);
		if (nearest && rem) {
			/* Compare rem with d/2: round the quotient to even. */
			if (rem > d - rem || (rem == d - rem && (q & 1))) {
				rem = d - rem;
				r.sign = !r.sign;
				q++;
				r.sig = u128_make(rem, 0);
			}
		}
	} else if (q) {
		/* |a| in (|b|/2, |b|): a - b, exact in 65 bits. */
		u128 x = u128_shr(u128_make(ua.sig.hi, 0), 1);
		u128 y = u128_make(ub.sig.hi, 0);

		r.sig = u128_sub(y, x);
		r.exp = ub.exp;
		r.sign = !r.sign;
	}
	if (u128_is_zero(r.sig)) {
		r.cls = CL_ZERO;
	} else if (r.cls == CL_NORM) {
		sf_normalize(&r);
	}
	store_result(cpu, 0, &e, x87_round(&e, 64, &r));
	x87_set_cc(cpu, ((q >> 2) & 1) | ((q & 1) << 1) | ((q >> 1) & 1) << 3);
}

/* ---------------------------------------------------------------- */
/* D9 E0-FF. */

static void unary(struct emu_cpu *cpu, unsigned rm)
{
	struct sf_env e;
	struct fx80 *v = st0(cpu);

	sf_env_x87(&e, cpu->fpu.fcw);
	switch (rm) {
	case 0x0: x87_flags(cpu, 0, false); v->se ^= 0x8000; break;
	case 0x1: x87_flags(cpu, 0, false); v->se &= 0x7fff; break;
	case 0xa: store_result(cpu, 0, &e, fx80_sqrt(&e, *v)); break;
	case 0xc: store_result(cpu, 0, &e, fx80_round_int(&e, *v)); break;
	default: break;
	}
}

void x87_grp_d9_misc(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned op = ((in->reg & 7) << 3) | (in->rm & 7);
	struct sf_env e;

	switch (op) {
	case 0x20: case 0x21: case 0x3a: case 0x3c:  /* FCHS FABS FSQRT FRNDINT */
		if (need(cpu, 1))
			unary(cpu, op & 0xf);
		return;
	case 0x24:  /* FTST */
		if (x87_empty(&cpu->fpu, 0)) {
			if (x87_stack_fault(cpu, false))
				x87_set_cc(cpu, 0xd);
			return;
		}
		sf_env_x87(&e, cpu->fpu.fcw);
		{
			int rel = fx80_compare(&e, *st0(cpu),
					       (struct fx80){ 0, 0 }, true);
			static const uint8_t cc[4] = { 0x1, 0x8, 0x0, 0xd };

			if (x87_flags(cpu, e.flags, false))
				x87_set_cc(cpu, cc[rel]);
		}
		return;
	case 0x25:  /* FXAM */
		x87_set_cc(cpu, fxam(&cpu->fpu));
		return;
	case 0x28: case 0x29: case 0x2a: case 0x2b: case 0x2c: case 0x2d:
	case 0x2e:  /* FLD1 FLDL2T FLDL2E FLDPI FLDLG2 FLDLN2 FLDZ */
		fld_const(cpu, op - 0x28);
		return;
	case 0x34:  /* FXTRACT: an empty ST0 yields two indefinites */
		if (!x87_empty(&cpu->fpu, 0)) {
			fxtract(cpu);
		} else if (x87_stack_fault(cpu, false)) {
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
			x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
		}
		return;
	case 0x35: case 0x38:  /* FPREM1, FPREM */
		if (need(cpu, 2))
			fprem(cpu, op == 0x35);
		return;
	case 0x36:  /* FDECSTP */
		x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
		x87_flags(cpu, 0, false);
		return;
	case 0x37:  /* FINCSTP */
		x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) + 1);
		x87_flags(cpu, 0, false);
		return;
	case 0x3d:  /* FSCALE */
		if (need(cpu, 2))
			fscale(cpu);
		return;
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x39: case 0x3b:
	case 0x3e: case 0x3f:
		x87_transcendental(cpu, op);
		return;
	default:
		emu_raise(cpu, EXC_UD, 0);
	}
}

/* ---------------------------------------------------------------- */
/* Environment and state images (SDM Vol. 1, 8.1.10, Figures 8-9 to
 * 8-12; protected-mode layouts; real-mode FIP/FDP encodings are the
 * same low bits). */

uint16_t x87_full_tags(const struct emu_fpu *f)
{
	uint16_t tw = 0;

	for (unsigned i = 0; i < 8; i++) {
		const struct fx80 *v = &f->st[i];
		unsigned e = v->se & 0x7fff, t;

		if (!((f->ftw >> i) & 1))
			t = 3;
		else if (e == 0 && !v->m)
			t = 1;
		else if (e == 0x7fff || e == 0 || !(v->m >> 63))
			t = 2;
		else
			t = 0;
		tw |= (uint16_t)(t << (2 * i));
	}
	return tw;
}

static bool env32(const struct insn *in)
{
	return in->opsize != 2;
}

void x87_stenv(struct emu_cpu *cpu, const struct insn *in, bool full)
{
	struct emu_fpu *f = &cpu->fpu;
	uint64_t base = emu_ea(cpu, in);
	unsigned w = env32(in) ? 4 : 2, n = 7 * w;
	uint32_t v[7] = { f->fcw, f->fsw, x87_full_tags(f),
			  (uint32_t)f->fip,
			  (uint32_t)(f->fop & 0x7ff) << 16,
			  (uint32_t)f->fdp, 0 };

	/* FCS and FDS are stored as 0: the CPU model deprecates them
	 * (CPUID.(EAX=07H,ECX=0):EBX[13]; SDM Vol. 1, 8.1.8). */
	if (w == 2)
		v[4] = 0;
	for (unsigned i = 0; i < 7; i++)
		emu_write(cpu, in->seg, (base + i * w) & emu_mask(in->adsize),
			  w, w == 4 ? v[i] | (i < 3 || i == 6 ? 0xffff0000u : 0) :
			  v[i]);
	if (full) {
		for (unsigned i = 0; i < 8; i++) {
			const struct fx80 *r = x87_st(f, i);
			uint64_t a = (base + n + 10 * i) & emu_mask(in->adsize);

			emu_write(cpu, in->seg, a, 8, r->m);
			emu_write(cpu, in->seg, a + 8, 2, r->se);
		}
		x87_init(cpu);
		return;
	}
	/* FNSTENV masks all exceptions after storing (SDM Vol. 2A). */
	f->fcw |= SF_ALL;
	f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

void x87_ldenv(struct emu_cpu *cpu, const struct insn *in, bool full)
{
	struct emu_fpu *f = &cpu->fpu;
	uint64_t base = emu_ea(cpu, in);
	unsigned w = env32(in) ? 4 : 2, n = 7 * w;
	uint64_t v[7];
	struct fx80 regs[8];

	for (unsigned i = 0; i < 7; i++)
		v[i] = emu_read(cpu, in->seg, (base + i * w) &
				emu_mask(in->adsize), w);
	for (unsigned i = 0; full && i < 8; i++) {
		uint64_t a = (base + n + 10 * i) & emu_mask(in->adsize);

		regs[i].m = emu_read(cpu, in->seg, a, 8);
		regs[i].se = (uint16_t)emu_read(cpu, in->seg, a + 8, 2);
	}
	f->fcw = (uint16_t)((v[0] & 0x1f3f) | 0x40);
	f->fsw = (uint16_t)v[1];
	f->ftw = 0;
	for (unsigned i = 0; i < 8; i++)
		if (((v[2] >> (2 * i)) & 3) != 3)
			f->ftw |= (uint8_t)(1u << i);
	f->fip = (uint32_t)v[3];
	f->fop = w == 4 ? (uint16_t)((v[4] >> 16) & 0x7ff) : 0;
	f->fdp = (uint32_t)v[5];
	for (unsigned i = 0; full && i < 8; i++)
		*x87_st(f, i) = regs[i];
	if (f->fsw & ~f->fcw & SF_ALL)
		f->fsw |= FSW_ES | FSW_B;
	else
		f->fsw &= (uint16_t)~(FSW_ES | FSW_B);
}

/* ---------------------------------------------------------------- */
/* Packed BCD: 18 digits, sign in bit 79 (SDM Vol. 1, 4.7). */

void x87_fbld(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t base = emu_ea(cpu, in), lo, v = 0;
	unsigned hi;
	struct fx80 r;

	lo = emu_read(cpu, in->seg, base & emu_mask(in->adsize), 8);
	hi = (unsigned)emu_read(cpu, in->seg, (base + 8) &
				emu_mask(in->adsize), 2);
	for (int i = 1; i >= 0; i--)
		v = v * 10 + ((hi >> (4 * i)) & 15);
	for (int i = 15; i >= 0; i--)
		v = v * 10 + ((lo >> (4 * i)) & 15);
	r = i64_to_fx80((int64_t)v);
	if (hi & 0x8000)
		r.se |= 0x8000;
	x87_flags(cpu, 0, false);
	x87_push(cpu, r);
}

void x87_fbstp(struct emu_cpu *cpu, const struct insn *in)
{
	struct sf_env e;
	struct fx80 v;
	uint64_t base = emu_ea(cpu, in), lo = 0, mag;
	unsigned hi = 0;
	int64_t n;

	sf_env_x87(&e, cpu->fpu.fcw);
	if (x87_empty(&cpu->fpu, 0)) {
		if (!x87_stack_fault(cpu, false))
			return;
		n = INT64_MIN;
	} else {
		v = *st0(cpu);
		n = fx80_to_int(&e, v, 64, false);
		mag = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
		if (n != INT64_MIN && mag > 999999999999999999ull) {
			e.flags = (uint8_t)((e.flags & ~SF_PE) | SF_IE);
			n = INT64_MIN;
		}
		if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
			return;
		if (n == 0 && (v.se & 0x8000))
			hi = 0x8000;
	}
	if (n == INT64_MIN) {
		/* The packed BCD indefinite (SDM Vol. 1, Table 4-4). */
		lo = 0xc000000000000000ull;
		hi = 0xffff;
	} else {
		mag = n < 0 ? 0 - (uint64_t)n : (uint64_t)n;
		for (unsigned i = 0; i < 16; i++, mag /= 10)
			lo |= (mag % 10) << (4 * i);
		hi |= (unsigned)(mag % 10) | (unsigned)(mag / 10 % 10) << 4;
		if (n < 0)
			hi |= 0x8000;
	}
	emu_write(cpu, in->seg, base & emu_mask(in->adsize), 8, lo);
	emu_write(cpu, in->seg, (base + 8) & emu_mask(in->adsize), 2, hi);
	x87_pop(cpu);
}
