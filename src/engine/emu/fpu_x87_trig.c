/* SPDX-License-Identifier: MIT */
/* FSIN, FCOS, FPTAN and FSINCOS (SDM Vol. 2A, each instruction page;
 * Vol. 1, 8.3.8 "Approximation of Pi" and 8.3.10 "Transcendental
 * Instruction Accuracy"): the reduction by the 66-bit pi, then the
 * series on the reduced argument, rounded once by FCW.RC. |x| >= 2^63
 * sets C2 and leaves ST0 alone. Where the host's method could be
 * identified by measurement on an Intel Xeon the engine follows it
 * (docs/compat.md). */
#include "engine/emu/fpu_x87_wide.h"

/* The 66-bit pi of the argument reduction: P = floor(pi * 2^64)
 * (bits 65:64 in P_HI). */
#define P_HI 3ull
#define P_LO 0x243f6a8885a308d3ull

/* sin r or cos r for |r| <= pi/4: Horner form of the Taylor series,
 * 17 terms (the next is below 2^-130 relative). */
static wide w_sincos(wide r, bool cosine)
{
	wide r2 = w_mul(r, r), t = w_one;

	for (int64_t k = 17; k >= 1; k--) {
		int64_t den = cosine ? (2 * k - 1) * (2 * k) : (2 * k) * (2 * k + 1);

		t = w_sub(w_one, w_div_int(w_mul(r2, t), den));
	}
	return cosine ? t : w_mul(r, t);
}

/* Trigonometric argument reduction: |x| = q * P/2 * 2^-64 + r with the
 * 66-bit P, |r| <= P/4 * 2^-64, as exact integer arithmetic on the
 * 64-bit significand. Returns q mod 4. */
static unsigned reduce(wide *x)
{
	int32_t sh = x->exp + 2;
	uint64_t m = x->sig.hi;
	u128 p = u128_make(P_HI, P_LO), rem = u128_make(0, 0);
	unsigned q = 0;
	bool neg = false;

	if (x->cls == CL_ZERO || sh < 0)
		return 0;
	for (int32_t i = 63 + sh; i >= 0; i--) {
		uint64_t bit = i >= sh ? (m >> (i - sh)) & 1 : 0;

		rem = u128_shl(rem, 1);
		rem.lo |= bit;
		q <<= 1;
		if (u128_cmp(rem, p) >= 0) {
			rem = u128_sub(rem, p);
			q |= 1;
		}
	}
	if (u128_cmp(u128_shl(rem, 1), p) > 0) {
		rem = u128_sub(p, rem);
		neg = true;
		q++;
	}
	x->sign = neg;
	x->sig = rem;
	x->exp = 127 - 65;
	sf_normalize(x);
	return q & 3;
}

/* FSIN, FCOS, FPTAN, FSINCOS on a finite nonzero |x| < 2^63. */
static void trig_eval(wide x, wide *s, wide *c)
{
	bool neg = x.sign;
	unsigned q;
	wide sn, cs;

	x.sign = false;
	q = reduce(&x);
	sn = w_sincos(x, false);
	cs = w_sincos(x, true);
	switch (q) {
	case 0: *s = sn; *c = cs; break;
	case 1: *s = cs; *c = w_neg(sn); break;
	case 2: *s = w_neg(sn); *c = w_neg(cs); break;
	default: *s = w_neg(cs); *c = sn; break;
	}
	if (neg)
		*s = w_neg(*s);
}

/* tan x = sin / cos, except for small |x| < 2^-20 where the quotient
 * would lose the sign of the residual: x + x^3/3 + 2x^5/15 (the next
 * term is below 2^-140 relative). For 2^-68 <= |x| < 2^-33 the host
 * returns x rounded as if tan x were just below it (x^3/3 is then
 * under 2^-66 relative; measured on an Intel Xeon: RN gives x with
 * C1 = 1, RD and RZ give x - 1 ulp), which x minus a sticky bit
 * reproduces. */
static wide w_tan(wide x, const wide *s, const wide *c)
{
	wide x2, t;

	if (x.exp >= -20)
		return w_div(*s, *c);
	if (x.exp < -33) {
		x.sig = u128_sub(x.sig, u128_make(0, 1));
		sf_normalize(&x);
		return x;
	}
	x2 = w_mul(x, x);
	t = w_add(w_div_int(w_one, 3), w_div_int(w_scale(x2, 1), 15));
	return w_add(x, w_mul(w_mul(x, x2), t));
}

/* Below this exponent (|x| < 2^-68) FSIN, FPTAN and FSINCOS return x
 * and FCOS returns 1, with no rounding towards the true value in any
 * direction (measured on an Intel Xeon). */
#define TRIG_TINY_EXP (-68)

/* Tiny-operand results: sin = tan = x, cos = 1. */
static void trig_tiny(struct sf_env *e, unsigned op, const wide *u,
		      struct fx80 *r1, struct fx80 *r2)
{
	struct sf_env e2 = *e;

	*r1 = as_inexact(e, op == 0x3f ? &w_one : u);
	if (op == 0x3b) {
		e2.flags = 0;
		*r2 = as_inexact(&e2, &w_one);
		e->flags |= e2.flags;
	}
}

/* Results of FSIN/FCOS (r1), FPTAN (r1 = tan, r2 = 1) and FSINCOS
 * (r1 = sin, r2 = cos) for a non-NaN operand. */
static void trig_value(struct sf_env *e, unsigned op, struct fx80 a,
		       const wide *u, struct fx80 *r1, struct fx80 *r2)
{
	const struct fx80 one = { 1ull << 63, 0x3fff };
	wide s, c;

	*r2 = one;
	if (u->cls == CL_INF) {
		e->flags |= SF_IE;
		*r1 = *r2 = FX80_DEFAULT_NAN;
		return;
	}
	if (u->cls == CL_ZERO) {
		*r1 = op == 0x3f ? one : a;
		return;
	}
	if (u->exp < TRIG_TINY_EXP) {
		trig_tiny(e, op, u, r1, r2);
		return;
	}
	trig_eval(*u, &s, &c);
	if (op == 0x3e) {
		*r1 = round_wide(e, &s);
	} else if (op == 0x3f) {
		*r1 = round_wide(e, &c);
	} else if (op == 0x32) {
		wide t = w_tan(*u, &s, &c);

		*r1 = round_wide(e, &t);
	} else {
		struct sf_env e2 = *e;

		*r1 = round_wide(e, &s);
		e2.flags = 0;
		*r2 = round_wide(&e2, &c);
		e->flags |= e2.flags;
		e->c1 = e2.c1;
	}
}

static void set_c2(struct emu_cpu *cpu, bool c2)
{
	cpu->fpu.fsw = (uint16_t)((cpu->fpu.fsw & ~FSW_C2) | (c2 ? FSW_C2 : 0));
}

/* Stack overflow of FPTAN/FSINCOS (ST7 in use): the masked response
 * leaves the indefinite in ST0 and pushes another. */
static bool push_room(struct emu_cpu *cpu)
{
	if (x87_empty(&cpu->fpu, 7))
		return true;
	if (x87_stack_fault(cpu, true)) {
		x87_write(cpu, 0, FX80_DEFAULT_NAN);
		x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
		x87_write(cpu, 0, FX80_DEFAULT_NAN);
	}
	return false;
}

/* 0x3e FSIN, 0x3f FCOS, 0x32 FPTAN, 0x3b FSINCOS. */
void x87_trig(struct emu_cpu *cpu, unsigned op)
{
	bool pushes = op == 0x32 || op == 0x3b;
	struct fx80 a, r1, r2;
	struct sf_env e;
	wide u;

	if (x87_empty(&cpu->fpu, 0)) {
		if (x87_stack_fault(cpu, false)) {
			x87_write(cpu, 0, FX80_DEFAULT_NAN);
			if (pushes) {
				x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
				x87_write(cpu, 0, FX80_DEFAULT_NAN);
			}
		}
		return;
	}
	if (pushes && !push_room(cpu))
		return;
	a = *x87_st(&cpu->fpu, 0);
	sf_env_x87(&e, cpu->fpu.fcw);
	u = sf_unpack(&e, &sf_fx80, a);
	if (u.cls == CL_NORM && u.exp >= 63) {
		/* Out of range: C2 = 1, operand unchanged (SDM Vol. 2A, FSIN). */
		set_c2(cpu, true);
		return;
	}
	set_c2(cpu, false);
	if (special_nan(&e, a, a, &u, NULL, &r1)) {
		r2 = r1;
	} else {
		sf_check_denorm(&e, &u, NULL);
		trig_value(&e, op, a, &u, &r1, &r2);
	}
	if (!pushes) {
		x87_put(cpu, 0, &e, r1);
		return;
	}
	if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
		return;
	x87_write(cpu, 0, r1);
	x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
	x87_write(cpu, 0, r2);
}

