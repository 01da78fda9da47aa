/* SPDX-License-Identifier: MIT */
/* FYL2X and FYL2XP1 (SDM Vol. 2A, each instruction page; Vol. 1, 8.3.10
 * "Transcendental Instruction Accuracy"): y * log2(x) and y * log2(1 +
 * x). The logarithm follows the steps measured on an Intel Xeon (67-bit
 * intermediates, docs/compat.md); the product is rounded once. */
#include "engine/emu/fpu_x87_wide.h"

/* atanh(s) / s = sum s^2n / (2n+1), |s| <= 0.172 (27 terms). */
static wide w_atanh_ratio(wide s)
{
	wide s2 = w_mul(s, s), t = w_div_int(w_one, 55);

	for (int64_t n = 26; n >= 0; n--)
		t = w_add(w_div_int(w_one, 2 * n + 1), w_mul(s2, t));
	return t;
}

/* log2(x) for a normal positive x: e + log2(m) with m in [sqrt(1/2),
 * sqrt(2)), ln m = 2 atanh((m - 1) / (m + 1)). */
static wide w_log2(wide x)
{
	wide m = x, s;
	int32_t e = x.exp;

	m.exp = 0;
	/* sqrt(2) = 1.0110 1010 0000 1001 1110 ... */
	if (u128_cmp(m.sig, u128_make(0xb504f333f9de6484ull, 0)) > 0) {
		m.exp = -1;
		e++;
	}
	s = w_div(w_sub(m, w_one), w_add(m, w_one));
	s = w_scale(w_mul(w_mul(s, w_atanh_ratio(s)), w_log2e), 1);
	return w_add(w_int(e), s);
}


/* log2 e rounded to 67 bits (its 67th bit is 0: the 66-bit value). */
static const wide w_log2e_67 = { .cls = CL_NORM, .exp = 0,
	.sig = { 0xb8aa3b295c17f0bbull, 0xc000000000000000ull } };

/* Below this exponent (|x| < 2^-3) the host computes log2(1 + x) for
 * FYL2XP1, and log2(x) for FYL2X with x - 1 in that range, by its
 * own steps, reproduced by w_log2p1_small; |t| = 1/8 itself takes the
 * table method. Measured on an Intel Xeon (family 6 model 207) for
 * |t| within 2^-14 of 1/8, the first 4,096 operands either side of it
 * included (10^5 FYL2XP1 operands per side and sign, 56,000 FYL2X ones
 * with x - 1 exact; random y, rounding and precision control): one
 * value differs, at t just above -1/8 (the polynomial path's rate). */
#define L2P1_SMALL_EXP (-3)

/* The host's z = atanh(s)/s - 1 for |s| <= 1/15 (|t| <= 1/8), as a
 * polynomial in w = q^2, q = 2 log2(e) s: L1 w + L2 w^2 + ... + L6 w^6,
 * its six 67-bit constants measured on an Intel Xeon (family 6 model
 * 207) from 67-bit logarithms recovered for FYL2XP1 with 2^-9 <= |t| <
 * 2^-3 (y = 1 and random y under truncation give all 67 bits;
 * docs/compat.md), with the sums of w_lp_poly_z. Each Lk is near ck /
 * (4 log2(e)^2)^k, c1 u + ... + c6 u^6 (u = s^2) the minimax polynomial
 * for z (least maximum absolute error, about 0.73 * 2^-71) on |s| <=
 * smax: of 3.1 * 10^6 recovered values (5 * 10^5 random t and runs of
 * 2 * 10^5 consecutive t at 12 places from -0.124 to 0.124) 4,430
 * differ for smax = 1/15, 397, 215, 222 and 398 for smax = (1 + a
 * 10^-5) / 15 with a = 0.406, 0.413, 0.416 and 0.420 (the previous
 * model, the one for 1/15 with a fitted quadratic correction of the
 * even part, 1,141; the minimax polynomials for the error relative to
 * 1 + z, or for the absolute error of s z = atanh(s) - s, 2,702 and
 * 8,724 at the best smax found). From a = 0.414 a search over smooth
 * corrections of the even and odd parts (three Chebyshev terms each in
 * v = w^2 on the range of v), scored on 9.1 * 10^6 recovered values
 * (also 6 * 10^6 random t in [2^-5, 2^-3)), gave these constants: 25
 * of the 9.1 * 10^6 differ (452 with a = 0.414), and 10 of 5 * 10^6
 * further random values not used in the search (131), all within
 * 0.0025 units of a rounding boundary of E or z. Their differences
 * from the minimax ones (L2 to L6: -26.5, 1,483, -5,000, -1.55 * 10^6
 * and 2.9 * 10^7 units of 2^-74, L1 the same) change P by at most
 * 0.15 units of 2^-74 but its even part by up to 0.9 (0.014 units of
 * its 64th bit), and the error against z has extremes 0.7290 to
 * 0.7315 times 2^-71, not of one size: a near-minimax polynomial whose
 * construction is not known. */
static const wide w_lp_coef[6] = {
	{ .cls = CL_NORM, .exp = -5,
	  .sig = { 0xa3fe9ffd641da2e9ull, 0x2000000000000000ull } },
	{ .cls = CL_NORM, .exp = -9,
	  .sig = { 0xbd19a0fd6304e86aull, 0x0000000000000000ull } },
	{ .cls = CL_NORM, .exp = -12,
	  .sig = { 0x81ca80c364dbacdeull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .exp = -16,
	  .sig = { 0xc20114d2c4f76c66ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -19,
	  .sig = { 0x9883cd9da6eef812ull, 0x6000000000000000ull } },
	{ .cls = CL_NORM, .exp = -23,
	  .sig = { 0xfb5ba9d472407e12ull, 0x2000000000000000ull } },
};

/* c[k] + v c[k + 2] + v^2 c[k + 4] of w_lp_coef: the even part of P(w)
 * for k = 0, its odd part divided by w for k = 1. */
static wide w_lp_half(int k, wide v)
{
	return w_horner(w_lp_coef + k, 3, 2, v);
}

/* z = w P(w) rounded to 64 bits as the host sums it: P split into its
 * even part E = L1 + L3 v + L5 v^2 and its odd part w O, O = L2 + L4 v
 * + L6 v^2 (v = w^2); E rounded to nearest at 64 bits, and
 *   z = RN64(trunc67(w E) + trunc67(v O)).
 * Measured on an Intel Xeon (family 6 model 207) on the recovered
 * logarithms: z then follows a sawtooth (w times the rounding error
 * of E, up to 1.2 units of 2^-64 z from end to end) whose period,
 * about 96,000 consecutive operands near t = 0.117, is that of E
 * crossing a 64-bit rounding boundary. With w_lp_coef 13 of the 3.1 *
 * 10^6 values differ (none of the 5 * 10^5 random ones); 1,139 with w
 * E exact, 1,053 and 561 with w E truncated to 66 or 68 bits, 1,079
 * with the sum truncated to 67 bits before its rounding; v O rounded
 * or truncated at 64 or 67 bits, v or O rounded to 64 bits, or O and E
 * each by the Horner steps RN64(c + trunc67(v p)) of FSIN, 13 to 22.
 * (With the minimax constants for a = 0.414, where these sums were
 * found, 219 and 1,273 with w E exact.) The previous
 * model's fitted correction F(v) of the even part, RN64(E + F) - F,
 * was mostly the even part of these constants less that of the
 * minimax polynomial for |s| <= 1/15 (its v and v^2 terms within 6%
 * of those of F). */
static wide w_lp_poly_z(wide w)
{
	wide v = w_mul(w, w);
	wide e = w_round64(w_lp_half(0, v));
	wide we = w_trunc67(w_mul(w, e));

	return w_round64(w_add(we, w_trunc67(w_mul(v, w_lp_half(1, v)))));
}

/* log2(1 + t) for |t| < 1/8 as the hardware computes it (measured on
 * an Intel Xeon, family 6 model 207, by recovering the 67-bit value it
 * multiplies y by): with s = t / (2 + t), log2(1 + t) = 2 log2(e) s
 * (1 + z), z = s^2/3 + s^4/5 + ..., where
 *   d = 2 + t truncated to 67 bits,
 *   p = t * log2e_67 truncated to 67 bits,
 *   q = 2p / d truncated to 67 bits,
 *   w = q64 * q rounded to nearest at 64 bits, q64 = q cut to 64 bits,
 *   z = w * P(w) rounded to nearest at 64 bits (w_lp_coef; P summed
 *       as w_lp_poly_z does),
 *   result = q + q * z truncated to 67 bits (the 67-bit q times the
 *       64-bit z).
 * So the products take one operand cut to 64 bits and the other whole
 * (q64 * q, then z * q), and z is a 64-bit value, as S and s are in
 * the table method (w_log2_table). Of the 5 * 10^5 recovered values
 * none differ (0.018% with the previous model, whose even part of P
 * was corrected by a fitted quadratic); with P(w) exact 0.091%; the
 * session-6 model (w = q^2 exact, z exact, the product q64 * z)
 * 0.142%. Found (a search over
 * the roundings of each step) by the rounding of z: the misses left
 * with P exact followed z's rounding error (where this z rounds up by
 * almost half a unit the host needs it lower, and the reverse), so the
 * host rounds z too, and with z rounded the 67-bit q in the product is
 * right (the misses of q64 there, 0.197%, grow with the three bits of
 * q below q64); w = q^2 exact, rounded to 64 bits, or q64 * q
 * unrounded give 0.194%, 0.210%, 0.114% (with P exact), z exact
 * 0.122%. With P exact the host's z before its rounding still differed
 * by up to 0.8 units of 2^-64 z both ways, constant over runs of
 * consecutive operands: the rounding of the even part of P. Recovered
 * values differ about once in 10^6 for |t| < 2^-9. For |t| < 2^-68,
 * d = 2 (t > 0) or q = p (t < 0) and this is p. */
static wide w_log2p1_small(const wide *t)
{
	wide d = w_trunc67(w_add(w_int(2), *t));
	wide p = w_trunc67(w_mul(*t, w_log2e_67));
	wide q = w_trunc67(w_div(w_scale(p, 1), d));
	wide w = w_round64(w_mul(w_trunc64(q), q));
	wide z = w_lp_poly_z(w);

	return w_trunc67(w_add(q, w_mul(z, q)));
}

/* The host's polynomial for atanh(s) in the table method: s + s^3
 * (p3 + p5 s^2 + p7 s^4), the minimax approximation (least maximum
 * absolute error, about 1.2 * 2^-71) for |s| <= 2^-7, rounded to 67
 * bits. Found on an Intel Xeon (family 6 model 207) from 2 * 10^6
 * 67-bit logarithms recovered (y = 1, and random y under truncation,
 * give all 67 bits) for FYL2X with x in [0.001, 0.875) and [1.125, 4)
 * and FYL2XP1 with 1/8 <= |x| < 1 - sqrt(2)/2: the previous model's
 * correction D (a fitted degree-4 curve in 2^14 s^2, up to 0.37 *
 * 2^-64 relative) had the shape of a minimax error curve; p3, p5, p7
 * fitted by the count of reproduced values reached 99.90%, the
 * minimax polynomials for the relative error or for |s| <= 1/129
 * 99.0% to 99.83%, this one all of them. */
static const wide w_tab_coef[3] = {
	{ .cls = CL_NORM, .exp = -2,
	  .sig = { 0xaaaaaaaaaaae3ac1ull, 0x0000000000000000ull } },
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xccccccc382808808ull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0x924cc9a0581d137dull, 0x2000000000000000ull } },
};

/* z = s^2 (p3 + p5 s^2 + p7 s^4), so that atanh(s) = s (1 + z). */
static wide w_tab_poly(wide s)
{
	wide u = w_mul(s, s);

	return w_mul(u, w_horner(w_tab_coef, 3, 1, u));
}

/* log2(x) for a normal positive x away from 1 (|x - 1| >= 1/8 in
 * FYL2X, |x| >= 1/8 for the 1 + x of FYL2XP1) as the host computes it
 * (measured on an Intel Xeon, family 6 model 207, by recovering the
 * 67-bit value it multiplies y by; docs/compat.md): c is the centre of
 * the 1/32-of-a-binade interval holding x (its first 6 significant bits
 * and a 1), and
 *   d = x + c rounded to nearest at 64 bits,
 *   s = (x - c) / d rounded to nearest at 64 bits,
 *   t = 2 log2e_67 s truncated to 67 bits,
 *   S = t + t z rounded to nearest at 64 bits, z = w_tab_poly(s),
 *   log2(c) = H + l, H = log2(c) truncated to 67 bits (a table),
 *   result = trunc67(H + trunc67(l + S)).
 * The last step makes a negative S (x < c) lose its truncation against
 * l: the host's result is then one unit larger where l + S lies just
 * below a 67-bit boundary. This reproduces all 2 * 10^6 recovered
 * values (w_tab_coef); t exact instead leaves 1.04% differing, t cut
 * to 66 or 68 bits 1.04% or 0.53%, t rounded to 67 bits 1.04%; t z
 * exact, truncated to 67 or 64 bits, or z truncated, cannot be told
 * apart. A power of two x = 2^k thus gives k for k > 0 and k one
 * 67-bit unit nearer zero for k < 0, as the host does. */
static wide w_log2_table(const wide *x)
{
	wide c = *x, d, s, t, S, lc, hi;

	c.sig.hi = (c.sig.hi & ~0ull << 58) | 1ull << 57;
	c.sig.lo = 0;
	d = w_round64(w_add(*x, c));
	s = w_round64(w_div(w_sub(*x, c), d));
	t = w_trunc67(w_mul(s, w_scale(w_log2e_67, 1)));
	S = w_round64(w_add(t, w_mul(t, w_tab_poly(s))));
	lc = w_log2(c);
	hi = w_trunc67(lc);
	return w_trunc67(w_add(hi, w_trunc67(w_add(w_sub(lc, hi), S))));
}

/* y * L with IEEE rules for zeros and infinities (0 * inf invalid). */
static struct fx80 times(struct sf_env *e, const wide *y, const wide *l)
{
	wide r;

	if ((y->cls == CL_ZERO && l->cls == CL_INF) ||
	    (y->cls == CL_INF && l->cls == CL_ZERO)) {
		e->flags |= SF_IE;
		return FX80_DEFAULT_NAN;
	}
	if (y->cls == CL_INF || l->cls == CL_INF)
		r = w_special(CL_INF, y->sign ^ l->sign);
	else
		r = w_mul(*y, *l);
	return round_wide(e, &r);
}

/* y * L for FYL2X and FYL2XP1: the hardware reports a finite nonzero
 * product as inexact even when the logarithm is an exact integer (x or
 * 1 + x a power of two), and then as an underflow if it is denormal. */
static struct fx80 times_log(struct sf_env *e, const wide *y, const wide *l)
{
	struct fx80 r = times(e, y, l);

	if (l->cls == CL_NORM && y->cls == CL_NORM)
		mark_inexact(e, r);
	return r;
}

/* log2(x) for FYL2X on a normal positive x: for |x - 1| < 1/8 (x - 1
 * is exact) the host computes log2(1 + (x - 1)) as FYL2XP1 does
 * (measured); elsewhere by its table method (w_log2_table). */
static wide w_log2_x(const wide *x)
{
	wide t = w_sub(*x, w_one);

	if (t.cls == CL_ZERO || t.exp < L2P1_SMALL_EXP)
		return w_log2p1_small(&t);
	return w_log2_table(x);
}

struct fx80 x87_fyl2x(struct sf_env *e, const wide *x, const wide *y)
{
	wide l;

	if (x->sign && x->cls != CL_ZERO) {
		e->flags |= SF_IE;
		return FX80_DEFAULT_NAN;
	}
	if (x->cls == CL_ZERO) {
		if (y->cls == CL_NORM)
			e->flags |= SF_ZE;
		l = w_special(CL_INF, true);
		return times(e, y, &l);
	}
	sf_check_denorm(e, x, y);
	if (x->cls == CL_INF) {
		l = w_special(CL_INF, false);
	} else {
		l = w_log2_x(x);
	}
	return times_log(e, y, &l);
}

/* FYL2XP1 with a finite x <= -1, where log2(1 + x) does not exist
 * (measured on an Intel Xeon; SDM Vol. 2A leaves it undefined): the
 * logarithm acts as a negative finite number for a zero or infinite
 * y, and otherwise the result is x itself, inexact and not rounded
 * up. */
static struct fx80 fyl2xp1_below(struct sf_env *e, struct fx80 a,
				 const wide *y)
{
	wide r;

	if (y->cls == CL_ZERO || y->cls == CL_INF) {
		r = w_special(y->cls, !y->sign);
		return round_wide(e, &r);
	}
	e->flags |= SF_PE;
	e->c1 = false;
	return a;
}

/* log2(1 + x): the measured method near 0, and for |x| >= 1/8 (the
 * defined range |x| < 1 - sqrt(2)/2 and beyond it) FYL2X's table method
 * on 1 + x, formed exactly (it needs up to 67 bits for |x| < 1/2; the
 * host's d = RN64(x + (1 + c)) and s = RN64((x - (c - 1)) / d) equal
 * those of the exact 1 + x, while 1 + x rounded or truncated to 64
 * bits first makes 85% of the results differ). Measured on an Intel
 * Xeon (family 6 model 207), 10^5 random x per range, random y, every
 * rounding and precision control (which do not act on the
 * intermediates): no result (value or C1) differs for x in [1/8, 1/4),
 * [-1/4, -1/8), [1/4, 1 - sqrt(2)/2), [sqrt(2)/2 - 1, -1/4), [1 -
 * sqrt(2)/2, 4) and (-0.99, sqrt(2)/2 - 1), where the logarithm of 1 +
 * x to 120 bits truncated to 67 bits (the previous model) differed in
 * 2.3%, 1.2%, 1.8%, 0.85%, 0.37% and 0.39%. */
static wide w_log2_1p(const wide *x)
{
	wide v;

	if (x->exp < L2P1_SMALL_EXP)
		return w_log2p1_small(x);
	v = w_add(w_one, *x);
	return w_log2_table(&v);
}

struct fx80 x87_fyl2xp1(struct sf_env *e, struct fx80 a, const wide *x,
			const wide *y)
{
	wide l;

	if (x->cls == CL_INF && x->sign) {
		e->flags |= SF_IE;
		return FX80_DEFAULT_NAN;
	}
	sf_check_denorm(e, x, y);
	if (x->cls == CL_INF) {
		l = *x;
	} else if (x->cls == CL_ZERO) {
		l = *x;
	} else if (x->sign && x->exp >= 0) {
		return fyl2xp1_below(e, a, y);
	} else {
		l = w_log2_1p(x);
	}
	return times_log(e, y, &l);
}
