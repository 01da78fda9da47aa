/* SPDX-License-Identifier: MIT */
/* F2XM1 (SDM Vol. 2A, F2XM1; Vol. 1, 8.3.10 "Transcendental Instruction
 * Accuracy"): 2^x - 1 computed in the 128-bit-significand format of
 * fpu_x87_wide.c and rounded once to 64 bits by FCW.RC. The SDM only
 * bounds the error (1 ulp), so the engine follows the host's method as
 * measured on an Intel Xeon (family 6 model 207): 66-bit ln 2, a table
 * from |x| = 1/4 on, a split polynomial below, the exact product for
 * tiny x (docs/compat.md). Outside the defined range it gives what
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
 * (the largest reduced |t|) rounded up in its fourth digit.
 * Measured on an Intel Xeon (family 6 model 207): with the minimax on
 * |t| <= ln2 / 64 the host's even half 1/2 + q1 t^2 + q3 t^4 (before
 * its rounding to 64 bits) was below ours by a smooth amount, seen on
 * the operands where rounding that half the other way changes the
 * result: which way the host rounded it was told apart (30 of 2734
 * such operands with |t| < 2^-7 misclassified, 569 with ours) by q1
 * lower by 50.4 x 2^-56 and q3 higher by 142 x 2^-44, the change that
 * a 1.00089 times wider bound makes in the minimax. Of 1,564,076
 * operands whose s lies within 1/64 ulp of a 64-bit tie, 1121 differed
 * in a rounding mode or C1 with the bound ln2 / 64 and 207 with
 * 0.01084 (2 x 10^6 random operands: 60 -> 13; of the first 4 x 10^5
 * near ties 263 -> 55, with the bound 0.01083, 0.010835, 0.010838,
 * 0.010839, 0.010841, 0.010842, 0.010845, 0.01085, 0.01086: 276, 175,
 * 104, 80, 79, 100, 164, 274, 540; ln2 / 64 (1 + 2^-10) 79, ln2 / 64 +
 * 2^-17 104; the coefficients rounded to 64, 66, 68 bits, truncated to
 * 67 or kept exact, or the halves fitted separately: 55 each; q0 fixed
 * at 1/6 rounded to 67 bits 99; the least relative error of expm1
 * 4261, of e^t 65).
 * The earlier fits of the bound ln2 / 64 (of 10^5 operands with 1/4 <=
 * |x| < 1 on each of four seeds, 0.881%, 0.841%, 0.834%, 0.835%
 * differing with s rounded once against 0.878%, 0.921%, 0.862%, 0.878%
 * with expm1 exact; ln2 / 62: 0.848%, 0.881%, 0.843%, 0.837%; ln2 /
 * 60: 0.865%, 0.882%; 1/64: 2.9%; degree 6, 2^-95: as exact) had
 * already placed it near ln2 / 64. */
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
 * Measured on an Intel Xeon (family 6 model 207): see w_exp2m1_table.
 * With s = RN64(t + odd rest on the grid of s + even part), the even
 * part exact, 207 of 1,564,076 operands whose s lies within 1/64 ulp
 * of a 64-bit tie (host results) still differed in a rounding mode or
 * C1, all with the host's s one unit below ours and our s less than
 * one unit u of the even part's 67th bit above a tie; of those whose
 * result that rounding decides about half differed (none with s 1 to
 * 16 u above a tie). Which half was told (354 of 426; no single bit of
 * t, t^2, the even part, its Horner values, the odd rest, s or x
 * better than 247) by the last bit of t exclusive-or the even part's
 * bit at the last place of s: the parity of t plus the even part
 * without the odd rest, as a tie of that sum broken to even would
 * give once the even part's bits below u are dropped. Rounding t +
 * trunc67(even part) first, then adding the odd rest, leaves none of
 * the 1,564,076 nor of 2 x 10^6 random operands differing (the even
 * part cut at 66, 68, 69 bits there: 201, 129, 172; exact: 207), and 0
 * of another 250,310 near ties. Where the head lies one binade below
 * the sum (t just below 2^-k, or t + even part just inside -2^-k and
 * the odd rest carrying it back out) the odd rest rounded on the
 * sum's grid and added without a rounding (a 65-bit s) left 14 of 1.6
 * x 10^6 operands with t within 1.3% of +-2^-7 or 0.5% of +-2^-8
 * differing, and 503 of 4 x 10^5 operands whose expm1(t) lies within
 * |t|^3 / 2 of +-2^-k (k = 7 to 10, both signs of x and t; 66,972 with
 * the head one binade below); the one rounding of head + exact odd
 * rest leaves none of those, of 6 x 10^5 more (99,815 with the head
 * below; 687 before), of 2 x 10^5 with k = 11 to 16 (14 before), of
 * 3 x 10^5 with t within 3% of +-2^-k (k = 7 to 10) and of the sets
 * above. Not the host's there (of those 6 x 10^5): that 65-bit s
 * rounded to 64 bits 689, the head on the sum's grid 703, the odd rest
 * on the head's grid with or without a final rounding 734, 779, on the
 * grid of t 1815, truncated on the grid 3996, the head truncated or
 * at 65 bits 1073, 901, the even part exact in it 690, t + trunc67
 * (even part) + odd rest rounded once 1614. How precisely the odd rest
 * enters, on 3,000 such operands with head + odd rest within 2^-13
 * ulp of a 64-bit tie: exact, cut to 64, 67, 68 or 70 bits or rounded
 * to 67 bits none differ, rounded to 64 bits 1; rounded on a grid 10,
 * 12, 14, 16 or 18 bits finer than the sum's 42, 42, 6, 2, 1. */
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
 * nearest to 64 bits, the sum rounded once. E and s at 64 bits
 * (rather than 2^c at 67 bits and s exact) and the truncated product
 * each lowered the mismatches (any rounding mode or C1) from 1.25% to
 * 0.86% of the operands on model 207. The reduced argument t is held
 * at 64 bits like E and s: measured on an Intel Xeon (family 6 model
 * 207), of 10^5 operands on
 * each of four seeds 0.845%, 0.919%, 0.848%, 0.871% differ in a
 * rounding mode or C1 with t truncated to 67 bits, 0.628%, 0.649%,
 * 0.634%, 0.643% with t rounded to nearest at 64 bits (3 x 10^4
 * operands: t exact 0.80%, rounded to 65, 66, 67 bits 0.94%, 0.85%,
 * 0.82%, truncated to 64 bits 1.6%, rounded at 63 bits 1.6%; ln 2 at
 * 68 bits, exact or at 64 bits in this t: 0.77%, 0.72%, 1.09%). With
 * that t, the host's s was always RN64 of the whole polynomial or its
 * 64-bit neighbour on the far side (the neighbour with a probability
 * equal to the distance from RN64 in ulps, the same for every table
 * interval given the same x - c, and for every |t| from 2^-10 up):
 * the mark of a first rounding of a part of s on the same grid. The
 * part is the odd one (w_exp2_expm1): with it the operands differing
 * in a rounding mode or C1 are 0.003%, 0.007%, 0.003%, 0.008% (10^5 on
 * each of the four seeds; the rest lie where |t| is near a power of
 * two, so that the odd part and s are rounded at different exponents,
 * or where s is within 2^-8 ulp of a 64-bit tie). There the rest of
 * the odd part beyond t is rounded on the grid of s and t added
 * exactly: of 5 x 10^4 operands with t in (-0.00787, -0.00776),
 * (-0.00392, -0.00390), (0.00775, 0.00785), (0.00390, 0.00391), 224,
 * 162, 182, 164 differ with the odd part rounded on its own grid, 3,
 * 3, 197, 171 with it rounded on the grid of s, 3, 3, 1, 0 so (over
 * the four seeds 0.001%, 0.005%, 0.002%, 0.005%). Rounded first
 * instead: t + t^2 / 2 (0.89%), 1 + t H in s = t (1 + t H) (0.64% to
 * 1.5%), expm1(t / 2) in s = 2u + u^2 (0.69% to 0.93%); with the
 * series or another minimax Q in the split 0.03% to 0.25%. */
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
 * are fitted, all ten rounded to nearest at 67 bits: that gives the
 * shape, and the constants are those of the minimax on |t| <= 0.173298
 * (a little above ln2 / 4 = 0.173287, |x| <= 1/4): the even one that of
 * the unconstrained minimax rounded to 67 bits (the same value as on
 * |t| <= ln2 / 4: it rounds one unit higher only from a bound near
 * 0.1732998 on, where 825 of the 468,673 near ties below differ), the
 * odd one 1/24 + 53.67 x 2^-71 (12 units of its 67th bit above that
 * minimax's; no weight of the error, degree or interval of the odd half
 * tried gives it: scanned). The other eight coefficients are the host's
 * as its 64-bit roundings show them, not a derivation: the
 * constant-fixed minimax on 0.173298 corrected by a cubic in u for the
 * even half (k2 to k8: S1 = k2 + u (k4 + u (k6 + u k8)) moved by -0.03
 * to +0.16 x 2^-70 for u from 0.004 to 0.03, and k2 3 units of its
 * 67th bit lower, where no rounding shows S1) and a quartic for the odd
 * half (k3 to k9: Qo moved by -0.026 to +0.007 x 2^-68, none at u =
 * 0), fitted to the side of the host's rounding (below).
 * Measured on an Intel Xeon (family 6 model 207) in session 11: windows
 * of 2^20 consecutive operands (64 windows in [1/16, 1/4)) show, for
 * each 64-bit rounding that decides a result (the tail, Qe, S1 and Qo,
 * kept where rounding it the other way changes the host's observable),
 * one clean threshold per window: no phase of any intermediate, so no
 * cut on a fixed grid as in FPATAN's series path. Of the 468,673 tail
 * near ties below (76 differing as here), with the previous
 * coefficients: c + X cut (X the odd part of a half in u, the even rest
 * added after, RN64 last, as FPATAN) at 67 or 64 bits, RN64 or RN67:
 * 10,660, 85,928, 43,058, 5,455 (even half), 586, 4,666, 2,435, 325
 * (odd half); Estrin's pairs 10,723, 602; the odd half truncated at 64
 * bits 4,690; Q formed whole before the tail 64,078 to 70,325; q =
 * trunc67(t^2), RN64(q) or trunc64(q) in the halves 112 to 137; the
 * even half's steps exact or truncated at 67 bits 113, 118, its last
 * step exact 87 (the odd half's do not show: 76); with the coefficients
 * derived on ln2 / 4 (287 as here) none better. The thresholds lie off
 * ours by a smooth amount: for Qe's rounding where S1's own rounding
 * decides, by 0 to 0.16 of S1's 64-bit unit depending on u (146 of the
 * 148 of 1,108 such decisions our S1 got wrong had it 0.34 to 0.5 units
 * below its midpoint, the host rounding it up), and for the tail where
 * Qo's rounding decides, by -0.026 to +0.007 of Qo's unit (every such
 * operand had Qo within 0.02 of its midpoint). A cubic (Chebyshev, 4
 * terms) for S1 and a quartic (5 terms) for Qo fitted to those
 * decisions (1,108 and 13,272 operands; 148 and 301 misplaced -> 2 and
 * 25) lower the operands differing in a rounding mode or C1 from 43 to
 * 5 of 43,578 Qe near ties in [1/8, 1/4) and 76 to 21 of 468,673 tail
 * near ties there (the sets below: 285,847 and 120,123 tail near ties
 * in [1/16, 1/8) and [2^-6, 1/16), 10,870 Qe near ties in [1/16, 1/8),
 * the fresh 143,744, 21,689 and 5,379 below: 4, 0, 1, 3, 18, 1 -> 0, 0,
 * 1, 3, 0, 0), and on fresh sets not used in the fit (155,802 tail near
 * ties in [1/8, 1/4), 47,617 in [1/16, 1/8), 16,141 Qe near ties in
 * [1/8, 1/4)) from 26, 1, 8 to 6, 0, 0; 10^6 random operands in [1/8,
 * 1/4): 5 -> 2 (none in [1/16, 1/8), [2^-6, 1/16) either way). Not the
 * host's (shapes in S1 or Qo, or counts): the minimax on a bound near
 * 0.1732985 to 0.1732995 for the even half (it trades [1/8, 1/4) for
 * [1/16, 1/8): 66, 5 to 90, 12 tail near ties against 76, 4), k2 or k4
 * moved alone, the coefficients rounded in turn with each refit (53 of
 * the Qe near ties), the odd half as the even one's integral (odd k =
 * even k / (2k + 4): 192, 138 tail near ties), or fully fitted on a
 * wider bound (0.17745 to 0.1776: as the raised constant).
 * Measured on an Intel Xeon (family 6 model 207) on sets of operands
 * near a tie: the tail (t RN64(q Qe) + q RN64(q Qo), w_exp2m1_split)
 * or the even half's last Horner step within 0.06 units of a 64-bit
 * midpoint, where rounding it the other way changes a result (kept
 * from 3 x 10^7 to 4 x 10^7 random operands per range). Which way the
 * host rounded the tail followed a smooth error even in t (host above
 * ours for |t| < 0.087, below to 0.125, above to 0.157, below to
 * 0.172, about 2^-84.5 at most: a minimax error curve on a wider
 * interval), and the remaining operands were those where the even
 * half's 64-bit rounding decided (one unit of Qe up or down fixed each):
 * the host's Qe before that rounding was below ours by 2^-76 for q <
 * 0.007 and equal to it from q = 0.009 up, as a slightly wider
 * interval for the even half gives (its t^2 term 72 units of 2^-73
 * lower; Qe's constant 2^-76 lower instead fits q < 0.007 only). Operands
 * differing in a rounding mode or C1 (with the polynomials used
 * before, on |t| <= ln2 / 4 with both minimax constants -> the odd
 * constant 12 units higher -> the session-10 fit on 0.173298): of
 * 468,673 near ties in [1/8, 1/4) 287 -> 118 -> 76, of 285,847 in
 * [1/16, 1/8) 375 -> 42 -> 4, of 120,123 in [2^-6, 1/16) 92 -> 4 -> 0,
 * of 43,578 and 10,870 near ties of Qe in [1/8, 1/4) and [1/16, 1/8)
 * 134 -> 121 -> 43 and 100 -> 83 -> 1; on fresh sets (143,744 tail and
 * 5,379 Qe near ties in [1/16, 1/8), 21,689 Qe near ties in [1/8, 1/4),
 * 10^6 random operands in each of [1/8, 1/4), [1/16, 1/8), [2^-6,
 * 1/16)) 199 -> 3, 55 -> 1, 57 -> 18, 10 -> 5, 20 -> 0, 2 -> 0, and
 * none of 3 x 10^5 in [2^-15, 2^-6) before or now. The bound is no
 * round decimal: 0.17320,
 * 0.17325, 0.17327, 0.173294, 0.173296, 0.173298, 0.1733, 0.17331,
 * 0.17333, 0.1734 give 498, 264, 187, 87, 81, 76, 78, 107, 186, 480 in
 * the [1/8, 1/4) set and 456, 227, 134, 17, 10, 4, 18, 82, 183, 497 in
 * the [1/16, 1/8) one; the odd constant 11 or 13 units above the
 * minimax's gives 89, 26 and 68, 31, 14 or 15 units 66, 56 and 71, 88
 * (the odd half's own bound does not show once its constant is fixed;
 * the unconstrained minimax's constant for the odd half weighted by
 * t^2, t^3, t^5, t^6 or for the relative error of Qo lies 37 and 25
 * units below, 3 and 19 above, 52 below); the even half on 0.175 or
 * 0.1775 gives 7461 and 19272, with its constant left free 9806.
 * Before, with the bound ln2 / 4 (10^6 random operands in [1/8, 1/4)
 * and 5 x 10^5 in [1/16, 1/8)): the single minimax of least relative
 * error of expm1 183, 176; with Q's t term fixed at 1/24, 284, 95; the
 * constant 1/6 or 1/24 rounded to 67 bits instead of the minimax's
 * 1415, 1586 and 25, 39; the even half for the absolute or relative
 * error of sinh t - t 879, 1236 and 3416, 978; the bound ln2 / 4 +
 * 2^-10, (1/4 + 2^-10) ln2 or 0.1730 237, 85; 169, 68; 48, 26; the
 * constants rounded at 64 or 68 bits 103, 48; 586, 63 (with both
 * minimax constants: 15, 7). */
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
 * is the high part a plus the low part t - a of p plus b). The product
 * a t instead of t^2 and its truncation to 67 bits were found on runs
 * of 600,000 consecutive operands (a t exact, truncated to 66 or 68
 * bits or rounded, t^2 or a^2 match less often; q for q / 2 rounded or
 * truncated to 66 to 70 bits: 0.72% to 1.33% of 10^6 operands in [1/8,
 * 1/4) differ in a rounding mode or C1); Q split by parity with the
 * host's Horner steps, b rounded once at 64 bits and the low part
 * added after it by testing each step (0.333% -> 0.232%). With the
 * tail RN64(q (trunc67(t Qe) + trunc67(q Qo))) the host's tail was one
 * unit off ours with a probability equal to the distance of q tQ from
 * its 64-bit midpoint (a hidden rounding error spread uniformly over
 * about one unit), a spread that doubled where q Qe (about q / 6)
 * enters a higher binade and halved where the tail does, as t ulp(q
 * Qe) / ulp(tail) does: q Qe and q Qo rounded to 64 bits as above take
 * the operands in [1/8, 1/4) differing in a rounding mode or C1 from
 * 2326 to 183 of 10^6 ([1/16, 1/8): 0.070% -> 0.035% of 5 x 10^5,
 * [2^-6, 1/16): 0.018% -> 0.012%). Rejected, each against the rest as
 * here (10^6 operands in [1/8, 1/4)): q Qe truncated to 67 bits before
 * its rounding (a Horner step with a zero coefficient) 0.075%, rounded
 * at 65 bits, exact or truncated at 64 bits 0.24%, 0.23%, 0.45%; t
 * RN64(q Qe) exact, rounded at 64, 66 or 67 bits or truncated at 66 or
 * 68 bits 0.064%, 0.22%, 0.067%, 0.068%, 0.062%, 0.041%; q RN64(q Qo)
 * exact or rounded at 64 bits 0.020%, 0.027%; the tail rounded at 65
 * bits or not at all before b 0.22%, 0.43%; the two parts summed and
 * truncated at 67 or 68 bits before their rounding 0.065%, 0.038%;
 * about 2,100 two-part splits of the old tail (a product of two or
 * three of q, t, a, their 64-bit parts, Qe, Qo, their inner Horner
 * values and coefficients, rounded at 63 to 66 bits on its own grid or
 * the tail's, the rest exact) and 1,300 single or paired
 * perturbations: no better than chance. The error even in t that
 * remained after that (the host's tail up to 0.2 units above ours for
 * |t| < 0.05, none from |t| = 1/8 up) came from Q's coefficients
 * (w_exp2_sq); with the halves derived on |t| <= ln2 / 4 the few
 * operands still differing (45 of 4 x 10^6 in [2^-6, 1/4)) had the
 * tail within 0.04 units of its 64-bit midpoint; large sets of such
 * near ties showed that error as a smooth curve even in t, and a second
 * one in the even half's last rounding, both gone with the bound
 * 0.173298 and the odd constant of w_exp2_sq (5 of 10^6 random operands
 * in [1/8, 1/4) differ, none of 10^6 in [1/16, 1/8) and in [2^-6,
 * 1/16); 2 of the 10^6 with the other coefficients taken from the
 * host's roundings of S1 and Qo). A step cut on a grid fixed to an
 * exponent instead (2^-k, the coarser of it and the step's own 64- or
 * 67-bit cut, or it alone; q, Q's Horner steps, q Qe, q Qo, their
 * products with t and q, the tail; 12 to 24 k each) did not lower the
 * counts in all of [1/8, 1/4), [1/16, 1/8) and [2^-6, 1/16) with the
 * previous coefficients, nor did the two parts cut on one grid set by
 * the larger part, by q / 2 or by t; nor do any of these with the
 * derived coefficients. */
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
