/* SPDX-License-Identifier: MIT */
/* F2XM1 (SDM Vol. 2A, F2XM1; Vol. 1, 8.3.10 "Transcendental Instruction
 * Accuracy"): 2^x - 1 computed in the 128-bit-significand format of
 * fpu_x87_wide.c and rounded once to 64 bits by FCW.RC. The SDM only
 * bounds the error (1 ulp), so the engine follows the host's method as
 * measured on an Intel Xeon (family 6 model 207): 66-bit ln 2, a table
 * from |x| = 1/4 on, a split polynomial below, the exact product for
 * tiny x (docs/x87-transcendentals.md). Outside the defined range it gives what
 * that host gives. */
#include "engine/emu/fpu_x87_wide.h"

/* expm1(t) for |t| < 1/2 (30 terms). */
static wide w_expm1_small(wide t)
{
	wide s = w_one;

	for (int64_t n = 30; n >= 2; n--)
		s = w_add(w_one, w_div_int(w_mul(t, s), n));
	return w_mul(t, s);
}

/* ln 2 truncated to 66 bits: the constant F2XM1 uses (the result of
 * the host is reproduced with it, not with a longer ln 2; like the
 * 66-bit pi of Vol. 1, 8.3.8). */
static const wide w_ln2_66 = { .cls = CL_NORM, .exp = -1,
	.sig = { 0xb17217f7d1cf79abull, 0xc000000000000000ull } };

/* Below this exponent (|x| < 2^-68) F2XM1 is x ln2_66 rounded once. */
#define EXP2_TINY_EXP (-68)

/* From this exponent on (|x| >= 1/4) F2XM1 goes through a table. */
#define EXP2_TABLE_EXP (-2)

/* expm1(t) for |t| < 1: t halved until |t| < 1/2, the series, then
 * squared back with expm1(2t) = expm1(t) (expm1(t) + 2). */
static wide w_expm1(wide t)
{
	unsigned k = 0;
	wide e;

	if (t.cls == CL_ZERO)
		return t;
	while (t.exp >= -1) {
		t.exp--;
		k++;
	}
	e = w_expm1_small(t);
	while (k--)
		e = w_mul(e, w_add(e, w_int(2)));
	return e;
}

/* The host's polynomial for expm1(t) on the table path: t + t^2 (1/2 +
 * t Q(t)), Q of degree 4 the minimax of least absolute error of expm1
 * on |t| <= 0.01084 (error about 2^-73.2), coefficients rounded to 67
 * bits, as the host's other polynomials (FSINCOS, FYL2X); summed as an
 * odd and an even part (w_exp2_expm1). The bound is ln2 / 64 = 0.010830
 * (the largest reduced |t|) rounded up in its fourth digit, measured on
 * an Intel Xeon (family 6 model 207) from the side the host rounds the
 * even half to, not derived: of 1,564,076 operands whose s lies within
 * 1/64 ulp of a 64-bit tie, 1121 differ in a rounding mode or C1 with
 * the bound ln2 / 64, 207 with 0.01084 (none with w_exp2_expm1's sums;
 * docs/x87-transcendentals.md). */
static const wide w_exp2_tq[5] = {
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xaaaaaaaaaaaaab09ull, 0xe000000000000000ull } },
	{ .cls = CL_NORM, .exp = -5,
	  .sig = { 0xaaaaaaaaa72ffff0ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -7,
	  .sig = { 0x8888888884a15d9cull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .exp = -10,
	  .sig = { 0xb60b87ba722f6c01ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -13,
	  .sig = { 0xd00d311397015a8dull, 0xe000000000000000ull } },
};

/* expm1(t) on the table path as the host sums it: the even part t^2
 * (1/2 + q1 t^2 + q3 t^4) truncated to 67 bits, added to t and that
 * rounded to nearest even at 64 bits (the head), then the rest of the
 * odd part, t^3 (q0 + q2 t^2 + q4 t^4), added to the head and the sum
 * rounded to nearest even at 64 bits (q = w_exp2_tq). Where the head
 * and s have one exponent that is the odd rest rounded on the head's
 * 64-bit grid; where the odd rest carries the head into the next
 * binade the sum is rounded there, once, from the exact odd rest.
 * Within the parts, t^2 is truncated to 67 bits and each half is
 * evaluated in it by the host's Horner steps RN64(c + trunc67(t^2 p))
 * (w_horner_rn64, as F2XM1's small path and FSIN do), the products by
 * t^2 and t^3 exact.
 * Measured on an Intel Xeon (family 6 model 207), not derived: the
 * head's own rounding shows only where s lies less than one unit of the
 * even part's 67th bit above a 64-bit tie, and the parity of t plus the
 * even part then decides. With this form none of 1,814,386 operands
 * whose s lies within 1/64 ulp of a 64-bit tie differ in a rounding
 * mode or C1, nor of 6 x 10^5 with expm1(t) near a power of two
 * (docs/x87-transcendentals.md). */
static wide w_exp2_expm1(wide t)
{
	const wide even_c[3] = { w_scale(w_one, -1), w_exp2_tq[1],
				 w_exp2_tq[3] };
	wide t2 = w_trunc67(w_mul(t, t));
	wide tail = w_mul(w_mul(t, t2), w_horner_rn64(w_exp2_tq, 3, 2, t2));
	wide even = w_mul(t2, w_horner_rn64(even_c, 3, 1, t2));
	wide head = w_round64(w_add(t, w_trunc67(even)));

	return w_round64(w_add(head, tail));
}

/* 2^x - 1 for 1/4 <= |x| < 1 as the hardware computes it (measured on
 * an Intel Xeon, family 6 model 85, and model 207): c is the midpoint
 * of the interval of width 2^(e-4) holding x (x in [2^e, 2^(e+1)): its
 * first 5 significant bits and a 1), r = x - c (exact, |r| <=
 * 2^(e-5)), and
 *   2^x - 1 = (2^c - 1) + trunc67(E s),  t = r ln2_66 rounded to nearest
 *   at 64 bits,
 * with 2^c - 1 rounded to 67 bits (the host's table; here computed
 * from a 128-bit ln 2), E = 1 + (2^c - 1) and s = expm1(t) (the
 * polynomial w_exp2_tq, summed by w_exp2_expm1) each rounded to
 * nearest to 64 bits, the sum rounded once. Each rounding was chosen
 * by the count of operands differing from the host
 * (docs/x87-transcendentals.md).
 * The reduced t is held at 64 bits like E and s, not at 67 like the
 * other intermediates: with t truncated to 67 bits 0.85% to 0.92% of
 * random operands differed in a rounding mode or C1, against 0.63% to
 * 0.65% with t rounded at 64 bits (the model of the time). */
static wide w_exp2m1_table(wide x)
{
	wide c = x, ln2 = w_div(w_one, w_log2e), em, big, t;

	c.sig = u128_make((x.sig.hi & ~0ull << 59) | 1ull << 58, 0);
	em = w_round67(w_expm1(w_mul(c, ln2)));
	big = w_round64(w_add(em, w_one));
	t = w_round64(w_mul(w_sub(x, c), w_ln2_66));
	return w_add(em, w_trunc67(w_mul(big, w_exp2_expm1(t))));
}

/* The host's H(t) = (expm1(t) - t) / t^2 on the split path: 1/2 + t
 * Q(t), Q(t) = Qe(t^2) + t Qo(t^2) split by the parity of its powers,
 * so that t + t^2 / 2 + t^3 Qe(u) is sinh t and t^2 / 2 + t^4 Qo(u) is
 * cosh t - 1 (u = t^2). The halves are two polynomials of degree 4 in
 * u built as FSIN's and FCOS's are (fpu_x87_trig.c): u Qe(u) the
 * minimax of least absolute error for (sinh t - t) / t (2^-73.7) and
 * u^2 Qo(u) that for cosh t - 1 - t^2 / 2 (2^-83.5), each with its
 * constant term (near 1/6 and 1/24) held fixed while the other four
 * are fitted, all ten rounded to nearest at 67 bits. The interval is
 * |t| <= 0.173298, a little above ln2 / 4 = 0.173287 (|x| <= 1/4). The
 * even constant is that of the unconstrained minimax rounded to 67
 * bits; the odd one is 1/24 + 53.67 x 2^-71, 12 units of its 67th bit
 * above that minimax's, a value no weight of the error, degree or
 * interval tried gives. The other eight coefficients are the host's as
 * its 64-bit roundings of S1 = k2 + u (k4 + u (k6 + u k8)) and of Qo
 * show them: the constant-fixed minimax corrected by a cubic in u for
 * the even half and a quartic for the odd half.
 * So the bound, the odd constant and k2 to k9 are measured on an Intel
 * Xeon (family 6 model 207), not derived
 * (docs/x87-transcendentals.md): with them 2
 * of 10^6 random operands in [1/8, 1/4) differ in a rounding mode or C1,
 * none in [1/16, 1/8) or [2^-6, 1/16). */
static const wide w_exp2_sq[10] = {
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xaaaaaaaaaaaaaab1ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -5,
	  .sig = { 0xaaaaaaaaaaaaaab1ull, 0x6000000000000000ull } },
	{ .cls = CL_NORM, .exp = -7,
	  .sig = { 0x888888888887b6c4ull, 0x2000000000000000ull } },
	{ .cls = CL_NORM, .exp = -10,
	  .sig = { 0xb60b60b60b5fa853ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -13,
	  .sig = { 0xd00d00d02c768811ull, 0x8000000000000000ull } },
	{ .cls = CL_NORM, .exp = -16,
	  .sig = { 0xd00d00d02ba3ce01ull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .exp = -19,
	  .sig = { 0xb8ef1b1c070ab401ull, 0x0000000000000000ull } },
	{ .cls = CL_NORM, .exp = -22,
	  .sig = { 0x93f27c1dea8e5dffull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .exp = -26,
	  .sig = { 0xd7516cb68008ed1dull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -29,
	  .sig = { 0x8f8b6cf2b5bab3f5ull, 0x2000000000000000ull } },
};

/* One half of Q(t) = Qe(t^2) + t Qo(t^2) (Q split by the parity of its
 * powers): q[odd] + q[odd + 2] u + ... + q[odd + 8] u^4, u ~ t^2, by
 * the host's Horner steps, as its FSIN and FCOS evaluate their halves
 * (fpu_x87_trig.c). */
static wide exp2_half(int odd, wide u)
{
	return w_horner_rn64(w_exp2_sq + odd, 5, 2, u);
}

/* 2^x - 1 for 2^-68 <= |x| < 1/4 as the hardware computes it (measured
 * on an Intel Xeon, family 6 model 207, its four rounding modes and C1
 * bracketing the internal value to half an ulp): with p = x ln2_66
 * (exact), t = p truncated to 67 bits, a = p rounded to nearest to 64
 * bits (a "high part" register), q = trunc67(a t) (for t^2), Qe and Qo
 * the even and odd coefficients of Q (w_exp2_sq) by exp2_half, and
 *   tail = RN64(trunc67(t RN64(q Qe)) + trunc67(q RN64(q Qo)))
 * (the halves of q t Q(t) = t (q Qe) + q (q Qo), each with q times its
 * half rounded to 64 bits before the last factor), the host forms
 *   b = RN64(q / 2 + tail),   2^x - 1 = t + b
 * (RN64: rounded to nearest even at 64 bits), the sum rounded once by
 * FCW.RC (so a result can be exact in 64 bits and yet report PE; t + b
 * is the high part a plus the low part t - a of p plus b). Each step
 * was chosen by the count of results differing from the host against
 * its alternatives
 * (docs/x87-transcendentals.md). The product a t rather than t^2
 * and its truncation showed on runs of consecutive operands; rounding q
 * Qe and q Qo to 64 bits took the operands of [1/8, 1/4) differing in a
 * rounding mode or C1 from 2326 to 183 of 10^6. */
static wide w_exp2m1_split(wide x)
{
	wide p = w_mul(x, w_ln2_66), t = w_trunc67(p), a = w_round64(p);
	wide q = w_trunc67(w_mul(a, t));
	wide ue = w_round64(w_mul(q, exp2_half(0, q)));
	wide uo = w_round64(w_mul(q, exp2_half(1, q)));
	wide tail = w_round64(w_add(w_trunc67(w_mul(t, ue)),
				    w_trunc67(w_mul(q, uo))));

	return w_add(t, w_round64(w_add(w_scale(q, -1), tail)));
}

/* 2^x - 1 as the hardware computes it (measured on an Intel Xeon): for
 * tiny x the exact product x ln2_66, then the split form, from 1/4 on
 * the table. */
static wide w_exp2m1(wide x)
{
	wide t = w_mul(x, w_ln2_66);

	if (t.cls == CL_ZERO || x.exp < EXP2_TINY_EXP)
		return t;
	if (x.exp >= EXP2_TABLE_EXP)
		return w_exp2m1_table(x);
	return w_exp2m1_split(x);
}

/* F2XM1: ST0 = 2^ST0 - 1 (defined for -1 <= ST0 <= 1). */
struct fx80 x87_f2xm1(struct sf_env *e, struct fx80 a)
{
	wide u = sf_unpack(e, &sf_fx80, a), r;
	struct fx80 v;

	if (special_nan(e, a, a, &u, NULL, &v))
		return v;
	sf_check_denorm(e, &u, NULL);
	if (u.cls == CL_ZERO)
		return a;
	if (u.cls == CL_INF)
		return u.sign ? (struct fx80){ 1ull << 63, 0xbfff } : a;
	if (u.exp > 0 ||
	    (u.exp == 0 && (!u.sign || u128_cmp(u.sig, w_one.sig)))) {
		/* |x| > 1, outside the defined range (SDM Vol. 2A, F2XM1),
		 * and x = 1: the processor returns the operand itself,
		 * reported as inexact and not rounded up (measured on an
		 * Intel Xeon; x = -1 gives -1/2 as computed). */
		e->flags |= SF_PE;
		e->c1 = false;
		return a;
	}
	if (u.exp == 0 && u.sign) {
		/* x = -1: -1/2, reported inexact (measured). */
		r = w_scale(w_neg(w_one), -1);
		return as_inexact(e, &r);
	}
	/* Inexact even when a + b of the split form is exact in 64 bits
	 * (measured: the host's PE is set for every such x). */
	r = w_exp2m1(u);
	return as_inexact(e, &r);
}
