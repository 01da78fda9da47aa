/* SPDX-License-Identifier: MIT */
/* FPATAN (SDM Vol. 2A, FPATAN and its Table 3-29; Vol. 1, 8.3.10
 * "Transcendental Instruction Accuracy"): atan2(ST1, ST0) computed in
 * the 128-bit-significand format of fpu_x87_wide.c and rounded once to
 * 64 bits by FCW.RC. The SDM only bounds the error (1 ulp), so the
 * engine follows the host's method as measured on an Intel Xeon
 * (family 6 model 207): the quotient kept to 67 bits, a series for
 * small quotients, a table of atan(c) with a short polynomial above,
 * the 66-bit pi of Vol. 1, 8.3.8 (docs/x87-transcendentals.md). */
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
 * with sums put exactly on a 64-bit boundary or midpoint: with q - q^3/3
 * cut to 67 bits 138 to 500 of 800 results per binade of q below 2^-40
 * differed, with q itself none). */
#define ATAN_TINY_EXP (-40)

/* The host's polynomial for atan(u) of the table path: P of degree 3
 * the minimax of least relative error of atan on |u| <= 1/62.5 (0.016;
 * about 2^-72), coefficients rounded to 67 bits, evaluated by
 * w_atan_odd. The bound is measured on an Intel Xeon (family 6 model
 * 207), not derived: it leaves the fewest of 2.3 * 10^6 operands 1/16
 * <= y/x < 1 differing in a rounding mode or C1 (9 with the sum then
 * exact, against 724 with atan(u) exact; docs/x87-transcendentals.md). */
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
 * Intel Xeon (family 6 model 207): of 553,944 operands 1/16 <= y/x < 1
 * whose results lie near a rounding boundary 1 differs, where P lies
 * 0.5003 units of 2^-65 above its lower 64-bit neighbour and the host
 * rounds it down. Open: near that midpoint the host's P is neither these
 * Horner steps nor the series path's cut; its coefficients are probably
 * not the minimax's (docs/x87-transcendentals.md). */
static wide w_atan_odd(wide u, const wide *c, int n)
{
	wide z = w_atan_z(u);

	return w_atan_sum(u, z, w_horner_rn64(c, n, 1, z));
}

/* The host's polynomial of the series path: P of degree 5 in z.
 * c0 is the minimax of least relative error of (atan(q) - q) / q^3 for
 * |q| <= 3/64 (about 2^-78.6) rounded to 67 bits. c1 to c5 (67 bits)
 * are measured on an Intel Xeon (family 6 model 207), not derived:
 * recovered from the phases and the turning point of the host's
 * roundings, then refined from its rounding thresholds (w_atan_series).
 * They differ from that minimax by about -6.8e-18, 2.1e-14, -2.4e-11,
 * 1.2e-8 and -2.1e-6, a polynomial below 2^-68 at every z of the path
 * (as two fits of the same function differ); no minimax of another
 * weight or bound tried gives them (docs/x87-transcendentals.md). */
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
 * P's 67-bit grid (2^-68) before the rest of the even part is added.
 * Measured on an Intel Xeon (family 6 model 207): over windows of
 * consecutive y (x = 1) the host's roundings follow 2^68 X modulo 1,
 * the odd part alone, and operands with the same 67-bit quotient give
 * the same results, so only q is used. With these coefficients 1 of
 * 2.3 * 10^5 operands near a rounding boundary differs, none of 1.8 *
 * 10^5 random ones. Open: what differs is the cut: the host's choice
 * turns from the lower to the upper grid point over a band of about z
 * 2^-68, as if X had an error that no model found
 * (docs/x87-transcendentals.md). */
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
 * family 6 model 85, and model 207): with k = 32 q rounded, k <= 1
 * takes w_atan_series on q; otherwise, with c = k/32,
 *   atan(q) = atan(c) + atan(u),  u = (num - c den) / (den + c num)
 * with den + c num and u truncated to 67 bits and atan(c) rounded to
 * 67 bits (the host's table; computed here from the 128-bit table of
 * eighths). The sum is a + b, a = atan(c) rounded to nearest to 64 bits
 * and b the rest plus atan(u) (w_atan_odd with the table path's
 * polynomial w_atan_p), truncated to 67 bits: the host's results are
 * exact in 64 bits, yet inexact, for 1 in 128 operands with q near 1/8,
 * and this sum gives about half of those exactly. The truncation of
 * den + c num shows in C1 where a + b rounds to a (with it exact 3.7%
 * of such operands differ, truncated 0.1%; docs/x87-transcendentals.md). */
static wide w_atan_ratio(const wide *num, const wide *den, const wide *q)
{
	wide t = *q, c, u, ac, a, b;
	int64_t k = 0;

	if (t.exp >= -6) {
		/* 32 q = sig / 2^(122 - exp), rounded to nearest with an
		 * exact half rounded down, the half judged on the exact
		 * quotient num / den and not on the 67-bit q: where q is
		 * the half only by its truncation the host rounds up.
		 * Measured on an Intel Xeon (family 6 model 207): with
		 * halves rounded up or to even 6,426 of 2 * 10^5 operands
		 * with q = (2j + 1)/64 exactly differed, none as here
		 * (docs/x87-transcendentals.md). */
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
		 * one final rounding (measured on an Intel Xeon, family 6
		 * model 207: with r rounded to 67 bits or exact 46,426 or
		 * 85,414 of 297,657 near-boundary operands with x < 0
		 * differ, none as here; docs/x87-transcendentals.md). */
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
