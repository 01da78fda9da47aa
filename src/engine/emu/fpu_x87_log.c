/* SPDX-License-Identifier: MIT */
/* FYL2X and FYL2XP1 (SDM Vol. 2A, each instruction page; Vol. 1, 8.3.10
 * "Transcendental Instruction Accuracy"): y * log2(x) and y * log2(1 +
 * x). The logarithm follows the steps measured on an Intel Xeon (67-bit
 * intermediates, docs/x87-transcendentals.md); the product is rounded once. */
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
 * table method (measured on an Intel Xeon, family 6 model 207, on
 * operands within 2^-14 of it; docs/x87-transcendentals.md). */
#define L2P1_SMALL_EXP (-3)

/* The host's z = atanh(s)/s - 1 for |s| <= 1/15 (|t| <= 1/8), as a
 * polynomial in w = q^2, q = 2 log2(e) s: L1 w + L2 w^2 + ... + L6 w^6,
 * summed as w_lp_poly_z does. Each Lk is near ck / (4 log2(e)^2)^k, c1
 * u + ... + c6 u^6 (u = s^2) the minimax polynomial for z (least
 * maximum absolute error, about 0.73 * 2^-71) on |s| <= smax = (1 + a
 * 10^-5) / 15 (a = 0.413 comes closest), but neither its even nor its
 * odd half is a minimax half for any a. The six 67-bit constants are
 * measured on an Intel Xeon (family 6 model 207), not derived: from
 * 67-bit logarithms recovered for FYL2XP1 with 2^-9 <= |t| < 2^-3 (y =
 * 1 and random y under truncation give all 67 bits), then from near
 * ties of E and z, where the side the host rounds to bounds each. With
 * them none of 527,177 recovered near ties differ. L3 and L5 are known
 * only to a few 67-bit units of L3: the pairs along a valley score
 * alike (docs/x87-transcendentals.md). */
static const wide w_lp_coef[6] = {
	{ .cls = CL_NORM, .exp = -5,
	  .sig = { 0xa3fe9ffd641da2e9ull, 0x2000000000000000ull } },
	{ .cls = CL_NORM, .exp = -9,
	  .sig = { 0xbd19a0fd6304e869ull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -12,
	  .sig = { 0x81ca80c364dbadb7ull, 0x0000000000000000ull } },
	{ .cls = CL_NORM, .exp = -16,
	  .sig = { 0xc20114d2c4f925ceull, 0xc000000000000000ull } },
	{ .cls = CL_NORM, .exp = -19,
	  .sig = { 0x9883cd9da5129a12ull, 0x6000000000000000ull } },
	{ .cls = CL_NORM, .exp = -23,
	  .sig = { 0xfb5ba9d478a91e12ull, 0x2000000000000000ull } },
};

/* c[k] + v c[k + 2] + v^2 c[k + 4] of w_lp_coef: the even part of P(w)
 * for k = 0, its odd part divided by w for k = 1. */
static wide w_lp_half(int k, wide v)
{
	return w_horner(w_lp_coef + k, 3, 2, v);
}

/* z = w P(w) rounded to 64 bits as the host sums it: P split into its
 * even part E = L1 + L3 v + L5 v^2 and its odd part w O, O = L2 + L4 v
 * + L6 v^2, with v = w^2 truncated to 67 bits; E rounded to nearest and
 * O truncated at 64 bits, and
 *   z = RN64(trunc67(w E) + trunc67(v O)).
 * Measured on an Intel Xeon (family 6 model 207) on the recovered
 * logarithms: E's rounding shows in z as a sawtooth (w times E's
 * rounding error) whose period, about 96,000 consecutive operands near
 * t = 0.117, is that of E crossing a 64-bit rounding boundary. The
 * truncations of O and v show only at near ties of z: without them the
 * host's z was lower than the model's, never higher, and the 68th bit
 * of v told its exact ties apart (docs/x87-transcendentals.md). */
static wide w_lp_poly_z(wide w)
{
	wide v = w_trunc67(w_mul(w, w));
	wide e = w_round64(w_lp_half(0, v));
	wide we = w_trunc67(w_mul(w, e));
	wide o = w_trunc64(w_lp_half(1, v));

	return w_round64(w_add(we, w_trunc67(w_mul(v, o))));
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
 * the table method (w_log2_table). Each rounding was found by a search
 * over the roundings of each step: none of 5 * 10^5 recovered values
 * differ (0.091% with P(w) exact;
 * docs/x87-transcendentals.md). For |t| < 2^-68,
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
 * bits. Identified on an Intel Xeon (family 6 model 207) from 2 * 10^6
 * recovered 67-bit logarithms (y = 1, and random y under truncation,
 * give all 67 bits) of FYL2X and FYL2XP1, all of which it reproduces
 * (p3, p5, p7 fitted by the count reached 99.90%;
 * docs/x87-transcendentals.md). */
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
 * 67-bit value it multiplies y by;
 * docs/x87-transcendentals.md): c is the centre of
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
 * values (w_tab_coef; with t exact, cut to 66 or 68 bits or rounded
 * to 67, 0.53% to 1.04% differ). A power of two x = 2^k thus gives k
 * for k > 0 and k one 67-bit unit nearer zero for k < 0, as the host
 * does. */
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
 * Xeon (family 6 model 207): no result differs over 10^5 random x per
 * range for 1/8 <= |x|, -0.99 < x < 4, under every rounding and
 * precision control (docs/x87-transcendentals.md). */
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
