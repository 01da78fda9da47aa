/* SPDX-License-Identifier: MIT */
/* FSIN, FCOS, FPTAN and FSINCOS (SDM Vol. 2A, each instruction page;
 * Vol. 1, 8.3.8 "Approximation of Pi" and 8.3.10 "Transcendental
 * Instruction Accuracy"): the reduction by the 66-bit pi, then for a
 * reduced |r| >= 1/4 the host's table method and below it the host's
 * polynomials (one pair, which FSIN and FCOS evaluate split even/odd),
 * rounded once by FCW.RC; FPTAN divides the sine by the cosine. |x| >= 2^63 sets C2
 * and leaves ST0 alone. The methods were identified by
 * measurement on an Intel Xeon (docs/x87-transcendentals.md). */
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

#define TAB(e, hi, lo) { .cls = CL_NORM, .exp = (e), .sig = { (hi), (lo) } }

/* sin c and cos c rounded to nearest at 67 bits for the table points
 * c = 9/32, 11/32, 13/32, 15/32, 9/16, 11/16, 13/16: the midpoints of
 * the quarter-binade intervals of [1/4, pi/4). */
static const wide sin_tab[7] = {
	TAB(-2, 0x8e1beb2635c3b28cull, 0x0000000000000000ull),
	TAB(-2, 0xac8de4fd17acb97cull, 0x8000000000000000ull),
	TAB(-2, 0xca535f4faa36252cull, 0x6000000000000000ull),
	TAB(-2, 0xe74e971ea528f6d0ull, 0x4000000000000000ull),
	TAB(-1, 0x88868625b4e1dbb2ull, 0x4000000000000000ull),
	TAB(-1, 0xa2759c0e79c35582ull, 0x6000000000000000ull),
	TAB(-1, 0xb9dbb406f52bbeddull, 0xc000000000000000ull),
};
static const wide cos_tab[7] = {
	TAB(-1, 0xf5f10a7bb77d3dfaull, 0x0000000000000000ull),
	TAB(-1, 0xf105fa4d66b607a6ull, 0x8000000000000000ull),
	TAB(-1, 0xeb29f839f201fd13ull, 0xc000000000000000ull),
	TAB(-1, 0xe462dfc670d421abull, 0x4000000000000000ull),
	TAB(-1, 0xd88e820b1526311dull, 0xe000000000000000ull),
	TAB(-1, 0xc5d882d2ee48030cull, 0x8000000000000000ull),
	TAB(-1, 0xb00c2937ab1efa8dull, 0xa000000000000000ull),
};

#define TABN(e, hi, lo) { .cls = CL_NORM, .sign = true, .exp = (e), \
			 .sig = { (hi), (lo) } }

/* The host's cos d - 1 for the table's |d| <= 1/16 is a polynomial
 * u P(u), u = d^2, P(u) = c1 + c2 u + c3 u^2 + c4 u^3, not the series:
 * its error (up to about 0.8 * 2^-70) equioscillates in d with an
 * amplitude and a coefficient of d^10 (+1/10!) that match the minimax
 * polynomial of that degree for cos d - 1 (absolute error) on |d| <=
 * 65/1024. As for the small-|r| polynomials (cos_poly), its constant
 * is that of this minimax rounded to nearest at 67 bits, and c2..c4
 * the minimax with that constant fixed, rounded to nearest at 67 bits.
 * The bound is measured on an Intel Xeon (family 6 model 207), not
 * derived: with it and sin_d_poly no result of FSIN, FCOS or FSINCOS
 * differs on 2.7 * 10^6 operands of [1/4, pi/4), all four rounding
 * modes, and bounds of 0.0633 to 0.0636 give 0.002% to 0.037%
 * (docs/x87-transcendentals.md). */
static const wide cm_poly[4] = {
	TABN(-2, 0xffffffffffffff45ull, 0x0000000000000000ull),
	TAB(-5, 0xaaaaaaaaaa739f5cull, 0xc000000000000000ull),
	TABN(-10, 0xb60b60a1e6365cf2ull, 0xe000000000000000ull),
	TAB(-16, 0xd007311aadc9e1b1ull, 0x6000000000000000ull),
};

/* cm = RN64(u * RN64(P(u))) with u = trunc67(d^2): the host's cos d -
 * 1, each rounding chosen by the mismatch count against it (the other
 * roundings of u, of P(u) and of the product give 2 to 7 times as
 * many; the precision of the Horner steps does not show). */
static wide cos_m1_poly(wide d)
{
	wide u = w_trunc67(w_mul(d, d)), p = w_horner(cm_poly, 4, 1, u);

	return w_round64(w_mul(u, w_round64(p)));
}

/* The host's sin d for the table's |d| <= 1/16 is d + d u S(u), u =
 * trunc67(d^2), with S(u) ~ (sin d - d)/(d u) the cubic of the minimax
 * polynomial d + s0 d^3 + ... + s3 d^9 for the relative error of sin d
 * on |d| <= 65/1024 (error 2^-73.85 relative): the interval of
 * cos_m1_poly, and like it with s0 the minimax's own rounded to nearest
 * at 67 bits and s1..s3 the minimax with s0 fixed, rounded to nearest
 * at 67 bits. Measured on an Intel Xeon (family 6 model 207): where
 * RN64(sin d) lay within 0.002 ulp of a tie, the side the host took
 * traced an error of alternating sign (changes at |d| = 0.027, 0.042,
 * 0.0555) growing as d, which this polynomial has; on the operands of
 * cm_poly no result differs (docs/x87-transcendentals.md). */
static const wide sd_poly[4] = {
	TABN(-3, 0xaaaaaaaaaaaaaa88ull, 0xa000000000000000ull),
	TAB(-7, 0x8888888888747fd9ull, 0xa000000000000000ull),
	TABN(-13, 0xd00d00c16425b11aull, 0x4000000000000000ull),
	TAB(-19, 0xb8eae2e2405dd86eull, 0xe000000000000000ull),
};

/* sd = RN64(d + trunc67(d trunc67(u S(u)))), S by Horner's rule with
 * every step RN64(c + trunc67(u p)) as in the small-|r| polynomials
 * (the evaluation that fits best: S exact, the products exact or the
 * sum d + d u S not truncated give 2 to 4 times as many mismatches). */
static wide sin_d_poly(wide d)
{
	wide u = w_trunc67(w_mul(d, d)), p = w_horner_rn64(sd_poly, 4, 1, u);

	return w_round64(w_add(d, w_trunc67(w_mul(d, w_trunc67(w_mul(u, p))))));
}

/* sin and cos of a reduced 1/4 <= |r| <= pi/4 as measured on an Intel
 * Xeon (family 6 model 207; SDM Vol. 1, 8.3.10 gives only the error
 * bound): c is the midpoint of the quarter-binade interval holding |r|
 * (its first 3 significant bits and a 1), d = |r| - c exactly, and with
 * S, C = sin c, cos c from the 67-bit table, sd from sin_d_poly and cm
 * from cos_m1_poly (64-bit, RN64: rounded to nearest at 64 bits):
 *   sin = S + trunc67(trunc67(S cm) + trunc67(C sd))
 *   cos = C + trunc67(trunc67(C cm) - trunc67(S sd)).
 * Each step was chosen by the mismatch count against the host
 * (docs/x87-transcendentals.md). The products S cm and C cm are
 * truncated at 67 bits
 * like the others: with them exact the host's sum was larger by up to
 * about 2^-76.5, spread evenly, where it lay just below a truncation
 * step. */
static void sincos_table(wide r, wide *sn, wide *cs)
{
	unsigned k = (unsigned)((r.sig.hi >> 61) & 3);
	wide s, c, d, sd, cm, mid = w_int(9 + 2 * (int64_t)k);

	k += r.exp == -1 ? 4 : 0;
	s = sin_tab[k];
	c = cos_tab[k];
	mid = w_scale(mid, r.exp - 3);
	r.sign = false;
	d = w_sub(r, mid);
	sd = sin_d_poly(d);
	cm = cos_m1_poly(d);
	*sn = w_add(s, w_trunc67(w_add(w_trunc67(w_mul(s, cm)),
					w_trunc67(w_mul(c, sd)))));
	*cs = w_add(c, w_trunc67(w_sub(w_trunc67(w_mul(c, cm)),
					w_trunc67(w_mul(s, sd)))));
}

/* sin and cos of a reduced |r| < 1/4 (measured on an Intel Xeon,
 * family 6 model 207): u = trunc67(r^2) and two polynomials in u,
 *   cos = 1 + trunc67(u C(u)),  sin = r + trunc67(r RN64(u S(u)))
 * (RN64: rounded to nearest even at 64 bits), C(u) ~ (cos r - 1)/u and
 * S(u) ~ (sin r - r)/(r u) of degree 5. FSINCOS and FPTAN evaluate them
 * by Horner's rule in u with every step RN64(c + trunc67(u p)); FSIN
 * and FCOS split them even/odd (polys_u). All four use the same
 * coefficients: the constant terms are -1/2 and -1/6 rounded to
 * nearest at 67 bits (-1/2 + 2^-67 for the cosine; so rounds the
 * constant of the unconstrained minimax too), the others those of the
 * minimax polynomial, with that constant fixed, for the absolute error
 * of u C(u) = cos r - 1 and of u S(u) = (sin r - r)/r on |r| <=
 * 257/1024 (1/4 + 2^-10, as the table's |d| <= 65/1024 is 1/16 +
 * 2^-10), rounded to nearest at 67 bits (errors 2^-76.9 and 2^-80.4).
 * Each rounding was found from the host's results at round to nearest
 * and round down (which half ulp holds its internal value). The bound
 * 257/1024 is measured, not derived: the side the host took where C(u),
 * S(u) or their halves lie near an RN64 midpoint put its sine between
 * the minimax on 1/4 and that on 0.252, and with 257/1024 none of 16 *
 * 10^6 results each of FSIN, FCOS and FSINCOS in [1/8, 1/4) differs
 * (docs/x87-transcendentals.md). */
static const wide cos_poly[6] = {
	TABN(-2, 0xffffffffffffffffull, 0xc000000000000000ull),
	TAB(-5, 0xaaaaaaaaaaaaa84eull, 0xe000000000000000ull),
	TABN(-10, 0xb60b60b60b431437ull, 0x4000000000000000ull),
	TAB(-16, 0xd00d00ceb6ab3e56ull, 0xc000000000000000ull),
	TABN(-22, 0x93f275ec3ea684c7ull, 0x8000000000000000ull),
	TAB(-29, 0x8f49e4906a00248aull, 0x4000000000000000ull),
};
static const wide sin_poly[6] = {
	TABN(-3, 0xaaaaaaaaaaaaaaaaull, 0xa000000000000000ull),
	TAB(-7, 0x88888888888887c6ull, 0xa000000000000000ull),
	TABN(-13, 0xd00d00d00cee78eeull, 0x8000000000000000ull),
	TAB(-19, 0xb8ef1d29ea12adafull, 0x2000000000000000ull),
	TABN(-26, 0xd7322245df40b04cull, 0x4000000000000000ull),
	TAB(-33, 0xb0607e04c2bb6df1ull, 0xa000000000000000ull),
};

/* The host's FCOS and FSIN of a reduced |r| < 1/4 (measured on an Intel
 * Xeon, family 6 model 207) use the polynomials and roundings of
 * FSINCOS above, but split even/odd in w = trunc67(trunc64(u) u), each
 * half by Horner's rule in w with every step RN64(c + trunc67(w p)):
 *   C(u) = Ce(w) + u Co(w),  Ce = c0 + c2 w + c4 w^2,
 *                            Co = c1 + c3 w + c5 w^2,
 *   cos = 1 + trunc67(trunc67(u Ce) + trunc67(w Co))
 *   sin = r + trunc67(r RN64(trunc67(u Se) + trunc67(w So)))
 * (S likewise). RN64 of the step Ce = RN64(c0 + ...) with c0 = -1/2 +
 * 2^-67 is the sawtooth an earlier model took for a truncation of the
 * r^2/r^6/r^10 group at 2^-64 with a fitted phase. Evaluated as
 * FSINCOS evaluates them, FSIN's and FCOS's results differ from the
 * host's about as often as correctly rounded ones
 * (docs/x87-transcendentals.md).
 * Here: trunc67(u P_even(w)) + trunc67(w P_odd(w)) = u P(u), exact sum
 * (given: w = trunc67(trunc64(u) u)). */
static wide split_poly(const wide c[6], wide u, wide w)
{
	return w_add(w_trunc67(w_mul(u, w_horner_rn64(c, 3, 2, w))),
		     w_trunc67(w_mul(w, w_horner_rn64(c + 1, 3, 2, w))));
}

/* u C(u) and u S(u): FSINCOS and FPTAN by Horner's rule in u with
 * cos_poly and sin_poly, FSIN and FCOS (split) by the even and odd
 * halves in w of the same polynomials. Of the products here only u^2
 * has two 67-bit operands, and the host takes one of them truncated to
 * 64 bits: w = trunc67(trunc64(u) u) (measured on an Intel Xeon,
 * family 6 model 207: with w = trunc67(u^2) the host's cos - 1 was
 * larger in magnitude by 0 to 1.3 * 2^-77, as if w Co were smaller by
 * up to about 2^-63 of itself, which is what trunc64(u) drops; with
 * trunc64(u) the FCOS results of [1/8, 1/4) differing went from 0.0073%
 * to 0.0020% of 1.6 * 10^7). */
static void polys_u(bool split, wide u, wide *c, wide *s)
{
	if (split) {
		wide w = w_trunc67(w_mul(w_trunc64(u), u));

		*c = split_poly(cos_poly, u, w);
		*s = split_poly(sin_poly, u, w);
		return;
	}
	*c = w_mul(u, w_horner_rn64(cos_poly, 6, 1, u));
	*s = w_mul(u, w_horner_rn64(sin_poly, 6, 1, u));
}

/* sin and cos of a reduced |r| < 1/4 (split: FSIN's and FCOS's even/odd
 * evaluation): cos = 1 + trunc67(u C), sin = r + trunc67(r RN64(u S)). */
static void sincos_small(wide r, bool split, wide *sn, wide *cs)
{
	bool neg = r.sign;
	wide u, uc, us;

	r.sign = false;
	u = w_trunc67(w_mul(r, r));
	polys_u(split, u, &uc, &us);
	*cs = w_add(w_one, w_trunc67(uc));
	*sn = w_add(r, w_trunc67(w_mul(r, w_round64(us))));
	if (neg)
		*sn = w_neg(*sn);
}

/* Below this exponent of the reduced r (|r| < 2^-8) the series to
 * about 120 bits rounded once matches the host's FSIN and FCOS (no
 * mismatch measured); sincos_small's split form was measured on [2^-9, 1/4). */
#define SERIES_MODEL_EXP (-8)

/* sin and cos of the reduced |r| <= pi/4: the table above for |r| >=
 * 1/4; below, for FSINCOS and FPTAN (paired) their polynomials, for
 * FSIN and FCOS their split polynomials from 2^-8 on and the series to
 * about 120 bits below, rounded once. */
static void sincos_reduced(wide r, bool paired, wide *sn, wide *cs)
{
	if (r.exp >= -2) {
		sincos_table(r, sn, cs);
		if (r.sign)
			*sn = w_neg(*sn);
		return;
	}
	if (paired || r.exp >= SERIES_MODEL_EXP) {
		sincos_small(r, !paired, sn, cs);
		return;
	}
	*sn = w_sincos(r, false);
	*cs = w_sincos(r, true);
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

/* FSIN, FCOS, FPTAN, FSINCOS on a finite nonzero |x| < 2^63 (paired:
 * FSINCOS and FPTAN, whose method for a reduced |r| < 1/4 differs). */
static void trig_eval(wide x, bool paired, wide *s, wide *c)
{
	bool neg = x.sign;
	unsigned q;
	wide sn, cs;

	x.sign = false;
	q = reduce(&x);
	sincos_reduced(x, paired, &sn, &cs);
	switch (q) {
	case 0: *s = sn; *c = cs; break;
	case 1: *s = cs; *c = w_neg(sn); break;
	case 2: *s = w_neg(sn); *c = w_neg(cs); break;
	default: *s = w_neg(cs); *c = sn; break;
	}
	if (neg)
		*s = w_neg(*s);
}

/* tan x = trunc67(sin x) / trunc67(cos x), the quotient rounded once
 * (measured on an Intel Xeon; a correctly rounded tan differs from the
 * host's far more often: docs/x87-transcendentals.md). For 2^-68 <= |x| < 2^-33
 * this makes tan x come out just below x, as on the host (RN: x with
 * C1 = 1; RD and RZ: x - 1 ulp for x > 0). */
static wide w_tan(const wide *s, const wide *c)
{
	return w_div(w_trunc67(*s), w_trunc67(*c));
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
 * (r1 = sin, r2 = cos) for a non-NaN operand. They are always reported
 * inexact: the table's sum can fit 64 bits exactly, and the host still
 * sets PE then (C1 = 0). */
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
	trig_eval(*u, op == 0x32 || op == 0x3b, &s, &c);
	if (op == 0x3e) {
		*r1 = as_inexact(e, &s);
	} else if (op == 0x3f) {
		*r1 = as_inexact(e, &c);
	} else if (op == 0x32) {
		wide t = w_tan(&s, &c);

		*r1 = as_inexact(e, &t);
	} else {
		struct sf_env e2 = *e;

		*r1 = as_inexact(e, &s);
		e2.flags = 0;
		*r2 = as_inexact(&e2, &c);
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

