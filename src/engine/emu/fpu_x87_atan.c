/* SPDX-License-Identifier: MIT */
/* FPATAN (SDM Vol. 2A, FPATAN and its Table 3-29; Vol. 1, 8.3.10
 * "Transcendental Instruction Accuracy"): atan2(ST1, ST0) computed in
 * the 128-bit-significand format of fpu_x87_wide.c and rounded once to
 * 64 bits by FCW.RC. The SDM only bounds the error (1 ulp), so the
 * engine follows the host's method as measured on an Intel Xeon
 * (family 6 model 207): the quotient kept to 67 bits, a series for
 * small quotients, a table of atan(c) with a short polynomial above,
 * the 66-bit pi of Vol. 1, 8.3.8 (docs/compat.md). */
#include "engine/emu/fpu_x87_wide.h"

/* pi rounded to 128 bits. */
static const wide w_pi = { .cls = CL_NORM, .exp = 1,
	.sig = { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull } };
/* atan(k/8), k = 1..8. */
static const wide w_atan8[8] = {
	{ .cls = CL_NORM, .exp = -4,
	  .sig = { 0xfeadd4d5617b6e32ull, 0xc897989f3e888ef8ull } },
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e6ull } },
	{ .cls = CL_NORM, .exp = -2,
	  .sig = { 0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull } },
	{ .cls = CL_NORM, .exp = -2,
	  .sig = { 0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull } },
	{ .cls = CL_NORM, .exp = -1,
	  .sig = { 0x8f005d5ef7f59f9bull, 0x5c835e1665c43748ull } },
	{ .cls = CL_NORM, .exp = -1,
	  .sig = { 0xa4bc7d1934f70924ull, 0x19a87f2a457dac9full } },
	{ .cls = CL_NORM, .exp = -1,
	  .sig = { 0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull } },
	{ .cls = CL_NORM, .exp = -1,
	  .sig = { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull } },
};

/* atan(u) for |u| <= 1/16 (18 terms). */
static wide w_atan_small(wide u)
{
	wide u2 = w_mul(u, u), t = w_div_int(w_one, 37);

	for (int64_t n = 17; n >= 0; n--)
		t = w_sub(w_div_int(w_one, 2 * n + 1), w_mul(u2, t));
	return w_mul(u, t);
}

/* atan(t) for 0 <= t <= 1: atan(c) + atan((t - c) / (1 + t c)) with
 * c = k/8 the nearest eighth. */
static wide w_atan01(wide t)
{
	wide c, u, base = { .cls = CL_ZERO };
	int64_t k = 0;

	if (t.cls == CL_NORM && t.exp >= -4) {
		/* k = floor(8t + 1/2): 8t = sig / 2^(124 - exp). */
		unsigned sh = (unsigned)(124 - t.exp);
		uint64_t fl = sh >= 128 ? 0 : u128_shr(t.sig, sh).lo;

		k = (int64_t)(fl + (u128_shr(t.sig, sh - 1).lo & 1));
		k = k > 8 ? 8 : k;
	}
	if (!k)
		return w_atan_small(t);
	c = w_div_int(w_int(k), 8);
	base = w_atan8[k - 1];
	u = w_div(w_sub(t, c), w_add(w_one, w_mul(t, c)));
	return w_add(base, w_atan_small(u));
}

/* pi truncated to 66 bits (the Pi of SDM Vol. 1, 8.3.8): FPATAN's
 * pi/2 - atan(x/y) and pi - atan(y/x) use it (measured on an Intel
 * Xeon: with the exact pi 1.9% of the results for |y| > |x| differ,
 * with this one 0.03%). */
static const wide w_pi66 = { .cls = CL_NORM, .exp = 1,
	.sig = { 0xc90fdaa22168c234ull, 0xc000000000000000ull } };

/* For 0 < y/x < 2^-40 FPATAN returns the quotient y/x truncated to 67
 * bits and then rounded, as inexact, without the -z^3/3 of atan z
 * (measured on an Intel Xeon). The other paths take the same atan(q) =
 * q for a quotient q < 2^-40: pi66/2 - q, pi66 - q and pi66/2 + q are
 * summed from q itself (measured on an Intel Xeon (family 6 model 207)
 * with q = n 2^-64 or n 2^-65, which puts those sums exactly on a
 * 64-bit boundary or midpoint: for q from 2^-64 to 2^-41, 138 to 500 of
 * 800 results per binade (four rounding modes with C1) differed with
 * the series q - q^3/3 cut to 67 bits, none from 2^-40 up; with q
 * itself none in any binade). */
#define ATAN_TINY_EXP (-40)

/* The host's polynomial for atan(u) of the table path: P of degree 3
 * the minimax of least relative error of atan on |u| <= 1/62.5 (0.016;
 * about 2^-72), coefficients rounded to 67 bits, evaluated by
 * w_atan_odd. Measured on an Intel Xeon (family 6
 * model 207): over 2.3 * 10^6 operands with 1/16 <= y/x < 1, x > 0,
 * the results under all four rounding modes with C1 differed for 724
 * with atan(u) exact, 416 with the absolute-error minimax on |u| <=
 * 1/64, 267 with the relative one on 1/64, 92 on 1/63, 49 on 1/62.25,
 * 19 on 1/62.4, 9 on 1/62.5, 21 on 1/62.6, 40 on 1/62.75, 294 on 1/61
 * (degree 4: as exact; degree 2: 2^-65, most results differ), each
 * with u + u^3 P(z) summed exactly and z = u^2 truncated to 64 bits. */
static const wide w_atan_p[4] = {
	{ .cls = CL_NORM, .sign = true, .exp = -2,
	  .sig = { 0xaaaaaaaaaaaaa6bdull, 0xe000000000000000ull } },
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xccccccccc8410877ull, 0x6000000000000000ull } },
	{ .cls = CL_NORM, .sign = true, .exp = -3,
	  .sig = { 0x924923c0c92be2ceull, 0x0000000000000000ull } },
	{ .cls = CL_NORM, .exp = -4,
	  .sig = { 0xe3707e6efad4c5aaull, 0xe000000000000000ull } },
};

/* z = RN64(u trunc64(u)): u times its leading 64 bits (a 64-bit
 * multiplier operand) rounded to nearest, the z of both of FPATAN's
 * polynomials (w_atan_odd, w_atan_series). */
static wide w_atan_z(wide u)
{
	return w_round64(w_mul(u, w_trunc64(u)));
}

/* u + trunc67(trunc67(u z) P): atan(u) from P(z), with u^3 =
 * trunc67(u z), as both of FPATAN's polynomial paths sum it. */
static wide w_atan_sum(wide u, wide z, wide p)
{
	return w_add(u, w_trunc67(w_mul(w_trunc67(w_mul(u, z)), p)));
}

/* atan(u) = u + trunc67(trunc67(u z) P(z)), z = RN64(u trunc64(u)), P
 * = c by Horner's rule with every step RN64(c + trunc67(z p)) (RN64:
 * rounded to nearest even at 64 bits), as the small-|r| polynomials of
 * FSINCOS: z is u times its leading 64 bits (a 64-bit multiplier
 * operand) rounded to nearest, and u^3 = trunc67(u z). The host
 * evaluates the table path's polynomial so (the series path shares z
 * and the sum but not the Horner steps: w_atan_series). Measured on an
 * Intel Xeon (family 6 model 207): for the table path's atan(u) in
 * w_atan_ratio, of 553,944 operands 1/16 <= y/x < 1, x > 0, whose
 * results lie near a rounding boundary (all four rounding modes with
 * C1) 1 differs, 4 with u + u^3 P(z) summed exactly and z = u^2
 * truncated to 64 bits; of the 122,351 nearest a boundary of that sum
 * none, 3 with only z as here, 4 with z and the Horner steps, 2 with
 * u^3 also truncated; of the 122,349 nearest a boundary of this one 1,
 * 3 with the Horner steps exact, 2 with u^3 or its product with P
 * exact, 1 or 2 with the coefficients at 64, 66 or 68 bits; over both
 * sets 1, 3 with z = u^2 truncated to 64 bits, 7 with it rounded, 8
 * with it cut to 67 bits or exact. That one is P's rounding: P lies
 * 0.5003 units of 2^-65 above its lower neighbour and the host rounds
 * it down. Over 94 operands whose result shows whether P near that
 * midpoint is cut as the series path's (RN64(trunc67(c0 + X) + E)),
 * 30 differ as here and 64 with the cut (27 to 33 with it at 68 to 70
 * bits): near its rounding boundary the host's P is neither, as the
 * series path's was before its coefficients were measured. */
static wide w_atan_odd(wide u, const wide *c, int n)
{
	wide z = w_atan_z(u);

	return w_atan_sum(u, z, w_horner_rn64(c, n, 1, z));
}

/* The host's polynomial of the series path: P of degree 5 in z.
 * c0 is the minimax of least relative error of (atan(q) - q) / q^3 for
 * |q| <= 3/64 (about 2^-78.6) rounded to 67 bits; c1 to c5 are the
 * host's, recovered from its results (measured on an Intel Xeon
 * (family 6 model 207); w_atan_series), 67 bits each. They differ
 * from that minimax by -6.8e-18, 2.1e-14, -2.4e-11, 1.2e-8 and
 * -2.1e-6, a polynomial below 2^-68 at every z of the path (as two
 * fits of the same function differ); the minimax of least absolute
 * error on 3/64 differs in the same directions by 0.7 to 1.3
 * times as much but is no fit (1,856 of the 2.3 * 10^5 operands of
 * w_atan_series differ with it), nor are those of weights q^3.5, q^4,
 * q^5 or of least absolute error on 0.046 to 0.05 (1,519 or more).
 * Session 11 moved c1 to c5 by 5e-21, 3e-17, -3e-15, -8e-12, 8.5e-10
 * (at most 0.007 units of 2^-68 in the odd part and 0.014 in the even
 * part over the path), measured from the host's rounding thresholds
 * (w_atan_series). */
static const wide w_atan_s[6] = {
	{ .cls = CL_NORM, .sign = true, .exp = -2,
	  .sig = { 0xaaaaaaaaaaaaaaa8ull, 0x6000000000000000ull } },
	{ .cls = CL_NORM, .exp = -3,
	  .sig = { 0xcccccccccccc2d6eull, 0x4000000000000000ull } },
	{ .cls = CL_NORM, .sign = true, .exp = -3,
	  .sig = { 0x9249249241f94890ull, 0xa000000000000000ull } },
	{ .cls = CL_NORM, .exp = -4,
	  .sig = { 0xe38e3897cded583dull, 0xe000000000000000ull } },
	{ .cls = CL_NORM, .sign = true, .exp = -4,
	  .sig = { 0xba2dc17bc16ba321ull, 0x2000000000000000ull } },
	{ .cls = CL_NORM, .exp = -4,
	  .sig = { 0x9c8077c4daf7b45dull, 0x0000000000000000ull } },
};

/* atan(q) for 0 < q < 3/64, the series path of FPATAN: q + trunc67(t P)
 * with z = RN64(q trunc64(q)) (the 67-bit q times its leading 64 bits,
 * rounded to nearest at 64 bits), t = trunc67(q z) and
 *   P = RN64(trunc67(c0 + X) + c2 z^2 + c4 z^4),  X = c1 z + c3 z^3 + c5 z^5
 * (w_atan_s): the odd part X is added to c0 and the sum truncated to
 * P's 67-bit grid (2^-68) before the rest of the even part is added
 * (measured on an Intel Xeon (family 6 model 207)). Of 1.6 * 10^5
 * operands 1/64 <= q < 3/64 whose results lie near a rounding boundary
 * (all four rounding modes with C1), 21 differed with P by Horner's
 * rule with every step RN64(c + trunc67(z p)), as FSINCOS's
 * polynomials; 127 with z = q^2 truncated to 64 bits, 220 with q
 * trunc64(q) truncated, 253 with q^2 rounded, 438 and 221 with
 * trunc64(q)^2 truncated or rounded, 45 with q trunc64(q) cut to 67
 * bits and then rounded, 152 to 162 rounded at 65 to 67 bits; q z with
 * trunc64(q): 238. Operands with the same 67-bit quotient gave the
 * same results, so only q is used.
 * With z = q^2 truncated (an earlier model): 233 differ with the series (18
 * terms) exact, 182 with these Horner steps on it, 139 with q^3 =
 * trunc67(q z) and its product truncated too; with the minimax P 127
 * (the minimax on 1/16, 1/20, 1/22, 1/24, 1/32: 1291, 155, 148, 280,
 * 2961; of degree 6 on 3/64: 137; of least absolute error: 152;
 * coefficients at 64 or 66 bits: 242, 186; the step sums rounded at
 * 63, 65 or 67 bits or truncated at 64: 327, 220, 217, 291, the last
 * one truncated at 67 bits or exact: 224, 221; q^3 or the product at
 * 66 or 68 bits, rounded or exact: 143 to 165; P split into even and
 * odd halves: 260; trunc67(q trunc67(z P)): 146; q + trunc67(q
 * RN64(z P)) as FSINCOS's sine: 242; the sum cut or rounded at 66 to
 * 68 bits: 38% to 75%).
 * How the cut was found (session 10): over 2.3 * 10^5 near-boundary
 * operands the host's choice between the two 64-bit neighbours of the
 * Horner P looked like P plus an offset spread evenly over one unit of
 * 2^-68, and no bit or pair of bits of q, z, the Horner steps or their
 * products predicted it. Scanning q in steps of one unit of y (x = 1)
 * over windows of 2^21 units, the choices within each window followed
 * 2^68 c1 z modulo 1 with a phase that changed from window to window
 * by 3 c3 z^2 + 5 c5 z^4 per unit of z (2.138087 * 10^-7 measured,
 * 2.138084 * 10^-7 predicted; with 4 c4 z^3 2.1362 * 10^-7): the cut
 * quantity is the odd part of P. The coefficients were first recovered
 * from the phases of 45 windows (c1, c3, c5) and the turning point of
 * the rounding (c2, c4), then by a descent on the 2.3 * 10^5 operands.
 * How they were measured (session 11): 8.4 * 10^5 operands q = y
 * (x = 1) whose result shows P's rounding, generated so that the
 * engine's P lies within 0.02 units of 2^-68 of the midpoint of its
 * two 64-bit neighbours or c0 + X within 0.02 units of the cut's grid,
 * and run on the host. Binned by z (eighths of a binade), the host
 * rounds P up exactly when our distance to the midpoint exceeds a
 * threshold T(z), and cuts c0 + X to the upper grid point when its
 * distance above it exceeds T'(z); both thresholds are smooth in z
 * and sharp within a bin: T = 0.0087 t^2 - 0.0024 t^4 and T' = 0.0011
 * t - 0.0007 t^3 + 0.0002 t^5 units (t = z / 10^-3), corrections of
 * c2, c4 and of c1, c3, c5. Moving the coefficients by them (twice,
 * then a descent on the count) leaves, of the 5.6 * 10^5 of those
 * operands used, 223 differing (5,022 before); of the other 2.8 * 10^5
 * (not used) 133 (2,462); of the 2.3 * 10^5 above 1 (26); of the 2.5 *
 * 10^4 window operands 4 (93); of 3,714 from six further scans 1
 * (35); none of 1.6 * 10^5 and of 1.8 * 10^5 random series
 * operands (none). Every remaining difference is the cut's: the host's
 * choice turns from lower to upper grid point over a band of about z
 * 2^-68 (2^-80 at z = 2.4 * 10^-4, 2^-77 at 2 * 10^-3) as if X carried
 * an error that no model found: X rounded or truncated at 62 to 70
 * bits (after a refit 230 to 1,788 of the 5.6 * 10^5 differ against
 * 223), the odd Horner sum c1 + z^2 (c3 + c5 z^2) rounded at 64 to 68
 * bits (239 to 846), z for X exact, rounded at 65 to 70 bits or
 * truncated (941 to 1,054), c1 z or the rest of X rounded on its own
 * grid, X from a multiplier that drops partial-product columns; no
 * single bit of q, z, X, c1 z or of that sum predicts it. E is exact
 * as modelled: no operand differs in P's final rounding. */
static wide w_atan_series(wide q)
{
	wide z = w_atan_z(q), z2 = w_mul(z, z);
	wide x = w_mul(z, w_horner(w_atan_s + 1, 3, 2, z2));
	wide e = w_mul(z2, w_horner(w_atan_s + 2, 2, 2, z2));
	wide p = w_round64(w_add(w_trunc67(w_add(w_atan_s[0], x)), e));

	return w_atan_sum(q, z, p);
}

/* Whether num / den exceeds the index half (2k + 1)/64: num - (2k + 1)/64
 * den is exact in the wide format (64-bit operands, 7-bit factor). */
static bool above_half(const wide *num, const wide *den, int64_t k)
{
	wide h = w_div_int(w_int(2 * k + 1), 64);
	wide d = w_sub(*num, w_mul(h, *den));

	return d.cls == CL_NORM && !d.sign;
}

/* atan(num / den) for 0 < num <= den, given q = num / den truncated to
 * 67 bits, as the hardware computes it (measured on an Intel Xeon,
 * family 6 model 85): with k = 32 q rounded, k <= 1 takes
 * w_atan_series on q; otherwise, with c = k/32,
 *   atan(q) = atan(c) + atan(u),  u = (num - c den) / (den + c num)
 * with den + c num and u truncated to 67 bits and atan(c) rounded to
 * 67 bits (the host's table; computed here from the 128-bit table of
 * eighths). The truncation of den + c num was measured on the Xeon of
 * model 207 by C1 where a + b below rounds to a: with it exact, 3.7%
 * of such operands differ, truncated 0.1%, cut to 66 or 68 bits or
 * rounded 2.2% to 4.1%. The sum is a + b, a = atan(c) rounded to
 * nearest to 64 bits and b the rest plus atan(u) (w_atan_odd with the
 * table path's polynomial w_atan_p), truncated to 67 bits (measured
 * on the Xeon of family 6 model 207: its results are exact in 64 bits,
 * yet inexact, for 1 in 128 operands with q near 1/8, and this sum
 * gives about half of those exactly; C1 mismatches for x < 0 or |y| >
 * |x| fell from 2-4% to 0.02%). */
static wide w_atan_ratio(const wide *num, const wide *den, const wide *q)
{
	wide t = *q, c, u, ac, a, b;
	int64_t k = 0;

	if (t.exp >= -6) {
		/* 32 q = sig / 2^(122 - exp), rounded to nearest with an
		 * exact half rounded down (its bits below the half all
		 * zero): measured on an Intel Xeon (family 6 model 207)
		 * with q = (2j + 1)/64 exactly, j = 0..31, either sign of x
		 * and y and either order: of 2 * 10^5 operands (four rounding
		 * modes with C1) 6,426 differed with halves rounded up or to
		 * even (4,620 of the 6,220 with q = 19/64, 1,591 with 35/64,
		 * 211 with 55/64, 4 with 7/64), none rounded down; with q a
		 * unit or two of its 64-bit operand off the half, none
		 * either way.
		 * The half is judged on the exact quotient num / den, not
		 * on the 67-bit q: when q is the half only by its
		 * truncation (num / den above it by less than a unit of
		 * q's 67th bit) the host rounds up. Measured on an Intel
		 * Xeon (family 6 model 207) with random 64-bit x and y =
		 * x (2j + 1)/64 or x 64/(2j + 1) rounded to 64 bits +-1
		 * unit, kept when y / x lies within 2^-66 (relative) of
		 * the half: of 20,000 such operands (four rounding modes,
		 * PC 64/53/24, C1) 243 differed with the 67-bit q's half
		 * rounded down, all with num / den above the half by less
		 * than a unit of q's 67th bit (q in [1/2, 1): j = 17 to
		 * 29); none with this rule, none of 20,000 fresh ones. */
		unsigned sh = (unsigned)(122 - t.exp);
		bool half = u128_shr(t.sig, sh - 1).lo & 1;

		k = (int64_t)u128_shr(t.sig, sh).lo;
		if (half && (!u128_is_zero(u128_shl(t.sig, 129 - sh)) ||
			     above_half(num, den, k)))
			k++;
	}
	if (k <= 1)
		return w_atan_series(t);
	c = w_div_int(w_int(k), 32);
	u = w_div(w_sub(*num, w_mul(c, *den)),
		  w_trunc67(w_add(*den, w_mul(c, *num))));
	ac = w_round67(w_atan01(c));
	a = w_round64(ac);
	u = w_atan_odd(w_trunc67(u), w_atan_p, 4);
	b = w_trunc67(w_add(w_sub(ac, a), u));
	return w_add(a, b);
}

/* atan2(y, x) with the special cases of the FPATAN table (SDM Vol. 2A,
 * FPATAN Table 3-29). */
struct fx80 x87_fpatan(struct sf_env *e, const wide *x, const wide *y)
{
	wide r, pi2 = w_scale(w_pi, -1);
	bool swap;

	sf_check_denorm(e, x, y);
	if (y->cls == CL_ZERO) {
		r = x->sign ? w_pi : w_special(CL_ZERO, false);
	} else if (y->cls == CL_INF) {
		r = x->cls == CL_INF ? w_scale(w_pi, -2) : pi2;
		if (x->cls == CL_INF && x->sign)
			r = w_mul(w_pi, w_div_int(w_int(3), 4));
	} else if (x->cls == CL_ZERO) {
		r = pi2;
	} else if (x->cls == CL_INF) {
		r = x->sign ? w_pi : w_special(CL_ZERO, false);
	} else {
		wide ax = *x, ay = *y;

		ax.sign = ay.sign = false;
		swap = !w_mag_ge(&ax, &ay);
		/* The quotient is kept to 67 bits (measured). */
		r = w_trunc67(swap ? w_div(ax, ay) : w_div(ay, ax));
		/* Below 2^-40 atan(q) = q on every path (ATAN_TINY_EXP). */
		if (r.exp >= ATAN_TINY_EXP)
			r = swap ? w_atan_ratio(&ax, &ay, &r) :
				   w_atan_ratio(&ay, &ax, &r);
		/* r truncated to 67 bits, pi66/2 - r and pi66 - r exact,
		 * one final rounding: measured on an Intel Xeon (family 6
		 * model 207) over operands whose a + b lies within 0.02
		 * units of a 67-bit boundary or whose result lies within
		 * 0.02 ulp of a 64-bit boundary (all four rounding modes
		 * with C1), none differ for x < 0 (297,657) or x < 0 with
		 * |y| > |x| (301,205) and one for |y| > |x| (of 560,990, a
		 * series-path r within 0.001 units of the 67-bit grid), none
		 * of 600,000 whose result lies near 1/16 to 1/2, 1 or 2;
		 * r rounded to 67 bits or exact: 46,426 or 85,414 of the
		 * first set differ; pi66/2 - r or pi66 - r cut or rounded to
		 * 67 bits: 25,395 to 56,425 of those near their boundary. */
		if (swap || x->sign)
			r = w_trunc67(r);
		if (swap)
			r = w_sub(w_scale(w_pi66, -1), r);
		if (x->sign)
			r = w_sub(w_pi66, r);
		/* Inexact even when a + b is exact in 64 bits (measured). */
		r.sign = y->sign;
		return as_inexact(e, &r);
	}
	r.sign = y->sign;
	return round_wide(e, &r);
}
