/* SPDX-License-Identifier: MIT */
/* x87 transcendental instructions F2XM1, FYL2X, FYL2XP1, FPTAN, FPATAN,
 * FSIN, FCOS and FSINCOS (SDM Vol. 2A, each instruction page; Vol. 1,
 * 8.3.10 "Transcendental Instruction Accuracy"). Each result is computed
 * in a 128-bit-significand intermediate format (integer arithmetic only)
 * and rounded once to 64 bits by FCW.RC; precision control does not
 * apply (Vol. 1, 8.1.5.2). The SDM only bounds the error (1 ulp), so
 * where the host's method could be identified by measurement on an
 * Intel Xeon the engine follows it: the 66-bit pi of the trigonometric
 * reduction and of FPATAN (Vol. 1, 8.3.8), 66-bit ln 2 and log2 e,
 * intermediates truncated to 67 bits, and the shortcuts taken for tiny
 * operands; docs/compat.md lists them. Operands outside the defined
 * ranges of F2XM1 and FYL2XP1 give what that host gives. |x| >= 2^63
 * sets C2 and leaves ST0 alone for FSIN, FCOS, FPTAN, FSINCOS. */
#include "engine/emu/fpu_x87.h"

#include "engine/emu/softfloat_int.h"

/* ---------------------------------------------------------------- */
/* The intermediate format is struct unp with class CL_ZERO or CL_NORM:
 * value = sig / 2^127 * 2^exp, bit 127 of sig set. Operations truncate
 * below 128 bits but keep a sticky bit 0, so a final rounding sees an
 * inexact tail (and a result that is exact stays exact). */

typedef struct unp wide;

static const wide w_one = { .cls = CL_NORM, .sig = { 1ull << 63, 0 } };

/* Constants rounded to 128 bits. */
static const wide w_pi = { .cls = CL_NORM, .exp = 1,
	.sig = { 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull } };
static const wide w_log2e = { .cls = CL_NORM, .exp = 0,
	.sig = { 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e89ull } };
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

/* The 66-bit pi of the FSIN/FCOS/FPTAN/FSINCOS argument reduction:
 * P = floor(pi * 2^64) (bits 65:64 in P_HI). */
#define P_HI 3ull
#define P_LO 0x243f6a8885a308d3ull

static wide w_int(int64_t v)
{
	wide w = { .cls = CL_ZERO, .sign = v < 0 };
	uint64_t m = w.sign ? 0 - (uint64_t)v : (uint64_t)v;

	if (m) {
		w.cls = CL_NORM;
		w.sig = u128_make(m, 0);
		w.exp = 63;
		sf_normalize(&w);
	}
	return w;
}

static wide w_neg(wide a)
{
	a.sign = !a.sign;
	return a;
}

static wide w_scale(wide a, int32_t n)
{
	a.exp += n;
	return a;
}

static void w_jam(u128 *v, bool sticky)
{
	if (sticky)
		v->lo |= 1;
}

static wide w_mul(wide a, wide b)
{
	wide r = { .cls = CL_ZERO, .sign = a.sign ^ b.sign };
	u128 p0, p1, p2, p3, mid, hi;
	uint64_t r1;

	if (a.cls == CL_ZERO || b.cls == CL_ZERO)
		return r;
	p0 = u128_mul64(a.sig.lo, b.sig.lo);
	p1 = u128_mul64(a.sig.lo, b.sig.hi);
	p2 = u128_mul64(a.sig.hi, b.sig.lo);
	p3 = u128_mul64(a.sig.hi, b.sig.hi);
	mid = u128_add(u128_add(u128_make(0, p0.hi), u128_make(0, p1.lo)),
		       u128_make(0, p2.lo));
	r1 = mid.lo;
	hi = u128_add(u128_add(p3, u128_make(0, p1.hi)),
		      u128_add(u128_make(0, p2.hi), u128_make(0, mid.hi)));
	r.cls = CL_NORM;
	r.exp = a.exp + b.exp + 1;
	if (!(hi.hi >> 63)) {
		hi = u128_shl(hi, 1);
		hi.lo |= r1 >> 63;
		r1 <<= 1;
		r.exp--;
	}
	w_jam(&hi, r1 || p0.lo);
	r.sig = hi;
	return r;
}

/* |a| >= |b|? */
static bool w_mag_ge(const wide *a, const wide *b)
{
	if (a->exp != b->exp)
		return a->exp > b->exp;
	return u128_cmp(a->sig, b->sig) >= 0;
}

static wide w_add(wide a, wide b)
{
	wide r;
	u128 bs;
	unsigned d;

	if (b.cls == CL_ZERO)
		return a;
	if (a.cls == CL_ZERO)
		return b;
	if (!w_mag_ge(&a, &b)) {
		r = a;
		a = b;
		b = r;
	}
	r = a;
	d = (unsigned)(a.exp - b.exp);
	bs = d >= 128 ? u128_make(0, 1) : u128_shr_jam(b.sig, d);
	if (a.sign == b.sign) {
		r.sig = u128_add(a.sig, bs);
		if (u128_cmp(r.sig, a.sig) < 0) {
			bool lost = r.sig.lo & 1;

			r.sig = u128_shr(r.sig, 1);
			r.sig.hi |= 1ull << 63;
			w_jam(&r.sig, lost);
			r.exp++;
		}
		return r;
	}
	r.sig = u128_sub(a.sig, bs);
	if (u128_is_zero(r.sig)) {
		r.cls = CL_ZERO;
		r.sign = false;
		return r;
	}
	sf_normalize(&r);
	return r;
}

static wide w_sub(wide a, wide b)
{
	return w_add(a, w_neg(b));
}

/* Restoring division, 128 quotient bits plus a sticky bit. */
static wide w_div(wide a, wide b)
{
	wide r = { .cls = CL_NORM, .sign = a.sign ^ b.sign };
	u128 rem = a.sig, d = b.sig, q = u128_make(0, 0);
	bool carry = false;

	if (a.cls == CL_ZERO)
		return (wide){ .cls = CL_ZERO, .sign = r.sign };
	r.exp = a.exp - b.exp;
	if (u128_cmp(rem, d) < 0) {
		carry = rem.hi >> 63;
		rem = u128_shl(rem, 1);
		r.exp--;
	}
	for (int i = 127; i >= 0; i--) {
		if (carry || u128_cmp(rem, d) >= 0) {
			rem = u128_sub(rem, d);
			q = u128_add(q, u128_shl(u128_make(0, 1), (unsigned)i));
		}
		carry = rem.hi >> 63;
		rem = u128_shl(rem, 1);
	}
	w_jam(&q, carry || !u128_is_zero(rem));
	r.sig = q;
	return r;
}

static wide w_div_int(wide a, int64_t n)
{
	return w_div(a, w_int(n));
}

/* ---------------------------------------------------------------- */
/* Series, each on a reduced argument. */

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

/* atanh(s) / s = sum s^2n / (2n+1), |s| <= 0.172 (27 terms). */
static wide w_atanh_ratio(wide s)
{
	wide s2 = w_mul(s, s), t = w_div_int(w_one, 55);

	for (int64_t n = 26; n >= 0; n--)
		t = w_add(w_div_int(w_one, 2 * n + 1), w_mul(s2, t));
	return t;
}

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

/* expm1(t) for |t| < 1/2 (30 terms). */
static wide w_expm1_small(wide t)
{
	wide s = w_one;

	for (int64_t n = 30; n >= 2; n--)
		s = w_add(w_one, w_div_int(w_mul(t, s), n));
	return w_mul(t, s);
}

/* w truncated to 67 significant bits, as the hardware keeps some of
 * its intermediate results. */
static wide w_trunc67(wide w)
{
	w.sig.lo &= ~0ull << 61;
	return w;
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

/* w rounded to 67 significant bits, to nearest (ties to even): the
 * precision of the host's constants. */
static wide w_round67(wide w)
{
	uint64_t rest = w.sig.lo & ((1ull << 61) - 1);
	bool up = rest > (1ull << 60) ||
		  (rest == (1ull << 60) && ((w.sig.lo >> 61) & 1));

	w.sig.lo &= ~0ull << 61;
	if (w.cls != CL_NORM || !up)
		return w;
	w.sig = u128_add(w.sig, u128_make(0, 1ull << 61));
	if (u128_is_zero(w.sig)) {
		w.sig = u128_make(1ull << 63, 0);
		w.exp++;
	}
	return w;
}

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

/* 2^x - 1 for 1/4 <= |x| < 1 as the hardware computes it (measured on
 * an Intel Xeon, family 6 model 85): c is the midpoint of the interval
 * of width 2^(e-4) holding x (x in [2^e, 2^(e+1)): its first 5
 * significant bits and a 1), r = x - c (exact, |r| <= 2^(e-5)), and
 *   2^x - 1 = (2^c - 1) + 2^c expm1(t),  t = r ln2_66 truncated to 67 bits,
 * with 2^c - 1 and 2^c each rounded to 67 bits (the host's table; here
 * computed from a 128-bit ln 2), the sum rounded once. */
static wide w_exp2m1_table(wide x)
{
	wide c = x, ln2 = w_div(w_one, w_log2e), em, t;

	c.sig = u128_make((x.sig.hi & ~0ull << 59) | 1ull << 58, 0);
	em = w_expm1(w_mul(c, ln2));
	t = w_trunc67(w_mul(w_sub(x, c), w_ln2_66));
	return w_add(w_round67(em),
		     w_mul(w_round67(w_add(em, w_one)), w_expm1(t)));
}

/* 2^x - 1 as the hardware computes it (measured on an Intel Xeon): for
 * |x| < 1/4, t = x ln2_66 truncated to 67 bits, then expm1(t) rounded
 * once (for tiny x the exact product instead); beyond, the table. */
static wide w_exp2m1(wide x)
{
	wide t = w_mul(x, w_ln2_66);

	if (t.cls == CL_ZERO || x.exp < EXP2_TINY_EXP)
		return t;
	if (x.exp >= EXP2_TABLE_EXP)
		return w_exp2m1_table(x);
	return w_expm1(w_trunc67(t));
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
 * own steps, reproduced by w_log2p1_small. */
#define L2P1_SMALL_EXP (-3)

/* log2(1 + t) for |t| < 1/8 as the hardware computes it (measured on
 * an Intel Xeon, family 6 model 85, by recovering the 67-bit value it
 * multiplies y by): with s = t / (2 + t), log2(1 + t) = 2 log2(e) s
 * (1 + s^2/3 + s^4/5 + ...), where
 *   d = 2 + t truncated to 67 bits,
 *   p = t * log2e_67 truncated to 67 bits,
 *   q = 2p / d truncated to 67 bits,
 *   result = q (1 + z) truncated to 67 bits, z = atanh(s)/s - 1,
 *   s = t / d.
 * q is exact to the host's bit for |t| < 2^-9 (no sample differs);
 * above, the host's z carries an error of about 2^-70 (a polynomial
 * approximation whose coefficients are unknown), so about 1 result in
 * 60 then differs from this one by one unit in the 67th bit. For
 * |t| < 2^-68, d = 2 (t > 0) or q = p (t < 0) and this is p. */
static wide w_log2p1_small(const wide *t)
{
	wide d = w_trunc67(w_add(w_int(2), *t));
	wide p = w_trunc67(w_mul(*t, w_log2e_67));
	wide q = w_trunc67(w_div(w_scale(p, 1), d));
	wide z = w_sub(w_atanh_ratio(w_div(*t, d)), w_one);

	return w_trunc67(w_add(q, w_mul(q, z)));
}

/* ---------------------------------------------------------------- */
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

/* ---------------------------------------------------------------- */
/* Instruction glue. */

static struct fx80 round_wide(struct sf_env *e, const wide *w)
{
	return x87_round(e, 64, w);
}

/* A result the host takes as is for a tiny operand, yet reports as
 * inexact: PE, and UE when it is denormal; C1 only says whether
 * rounding w itself went up. */
static void mark_inexact(struct sf_env *e, struct fx80 r)
{
	if (!(e->flags & SF_PE))
		e->c1 = false;
	e->flags |= SF_PE;
	if (!(r.se & 0x7fff) && r.m)
		e->flags |= SF_UE;
}

static struct fx80 as_inexact(struct sf_env *e, const wide *w)
{
	struct fx80 r = round_wide(e, w);

	mark_inexact(e, r);
	return r;
}

static void put(struct emu_cpu *cpu, unsigned i, struct sf_env *e,
		struct fx80 v)
{
	if (x87_flags(cpu, e->flags, e->c1 && (e->flags & SF_PE)))
		x87_write(cpu, i, v);
}

static void set_c2(struct emu_cpu *cpu, bool c2)
{
	cpu->fpu.fsw = (uint16_t)((cpu->fpu.fsw & ~FSW_C2) | (c2 ? FSW_C2 : 0));
}

/* NaN, unsupported and denormal operands shared by every instruction:
 * returns true (with *r set) when the result is decided here. */
static bool special_nan(struct sf_env *e, struct fx80 a, struct fx80 b,
			const wide *ua, const wide *ub, struct fx80 *r)
{
	if (ua->cls == CL_BAD || (ub && ub->cls == CL_BAD)) {
		e->flags |= SF_IE;
		*r = FX80_DEFAULT_NAN;
		return true;
	}
	if (sf_is_nan(ua) || (ub && sf_is_nan(ub))) {
		*r = ub ? fx80_add(e, a, b) : fx80_add(e, a, a);
		return true;
	}
	return false;
}

/* F2XM1: ST0 = 2^ST0 - 1 (defined for -1 <= ST0 <= 1). */
static struct fx80 f2xm1(struct sf_env *e, struct fx80 a)
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
	r = w_exp2m1(u);
	return round_wide(e, &r);
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
static void trig(struct emu_cpu *cpu, unsigned op)
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
		put(cpu, 0, &e, r1);
		return;
	}
	if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
		return;
	x87_write(cpu, 0, r1);
	x87_set_top(&cpu->fpu, x87_top(&cpu->fpu) - 1);
	x87_write(cpu, 0, r2);
}

/* ---------------------------------------------------------------- */
/* FYL2X (0x31), FYL2XP1 (0x39), FPATAN (0x33): ST1 = f(ST1, ST0), pop. */

static wide w_special(uint8_t cls, bool sign)
{
	return (wide){ .cls = cls, .sign = sign };
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
 * (measured); elsewhere the full logarithm truncated to 67 bits. */
static wide w_log2_x(const wide *x)
{
	wide t = w_sub(*x, w_one);

	if (t.cls == CL_ZERO || t.exp < L2P1_SMALL_EXP)
		return w_log2p1_small(&t);
	return w_trunc67(w_log2(*x));
}

static struct fx80 fyl2x(struct sf_env *e, const wide *x, const wide *y)
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

/* log2(1 + x): the measured method near 0 (the defined range |x| < 1 -
 * sqrt(2)/2 extends beyond it), the full logarithm of 1 + x beyond it,
 * where the hardware also returns the logarithm. */
static wide w_log2_1p(const wide *x)
{
	if (x->exp < L2P1_SMALL_EXP)
		return w_log2p1_small(x);
	return w_trunc67(w_log2(w_add(w_one, *x)));
}

static struct fx80 fyl2xp1(struct sf_env *e, struct fx80 a, const wide *x,
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

/* pi truncated to 66 bits (the Pi of SDM Vol. 1, 8.3.8): FPATAN's
 * pi/2 - atan(x/y) and pi - atan(y/x) use it (measured on an Intel
 * Xeon: with the exact pi 1.9% of the results for |y| > |x| differ,
 * with this one 0.03%). */
static const wide w_pi66 = { .cls = CL_NORM, .exp = 1,
	.sig = { 0xc90fdaa22168c234ull, 0xc000000000000000ull } };

/* For 0 < y/x < 2^-40 FPATAN returns the quotient y/x truncated to 67
 * bits and then rounded, as inexact, without the -z^3/3 of atan z
 * (measured on an Intel Xeon). */
#define ATAN_TINY_EXP (-40)

/* atan(num / den) for 0 < num <= den, given q = num / den truncated to
 * 67 bits, as the hardware computes it (measured on an Intel Xeon,
 * family 6 model 85): with k = 32 q rounded, k <= 1 takes the series on
 * q; otherwise, with c = k/32,
 *   atan(q) = atan(c) + atan(u),  u = (num - c den) / (den + c num)
 * with u truncated to 67 bits and atan(c) rounded to 67 bits (the
 * host's table; computed here from the 128-bit table of eighths). */
static wide w_atan_ratio(const wide *num, const wide *den, const wide *q)
{
	wide t = *q, c, u;
	int64_t k = 0;

	if (t.exp >= -6) {
		/* 32 q = sig / 2^(122 - exp), rounded. */
		unsigned sh = (unsigned)(122 - t.exp);

		k = (int64_t)(u128_shr(t.sig, sh).lo +
			      (u128_shr(t.sig, sh - 1).lo & 1));
	}
	if (k <= 1)
		return w_atan_small(t);
	c = w_div_int(w_int(k), 32);
	u = w_div(w_sub(*num, w_mul(c, *den)), w_add(*den, w_mul(c, *num)));
	return w_add(w_round67(w_atan01(c)), w_atan_small(w_trunc67(u)));
}

/* atan2(y, x) with the special cases of the FPATAN table (SDM Vol. 2A,
 * FPATAN Table 3-29). */
static struct fx80 fpatan(struct sf_env *e, const wide *x, const wide *y)
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
		if (!swap && !x->sign && r.exp < ATAN_TINY_EXP) {
			r.sign = y->sign;
			return as_inexact(e, &r);
		}
		r = swap ? w_atan_ratio(&ax, &ay, &r) : w_atan_ratio(&ay, &ax, &r);
		if (swap || x->sign)
			r = w_trunc67(r);
		if (swap)
			r = w_sub(w_scale(w_pi66, -1), r);
		if (x->sign)
			r = w_sub(w_pi66, r);
	}
	r.sign = y->sign;
	return round_wide(e, &r);
}

static void binary_pop(struct emu_cpu *cpu, unsigned op)
{
	struct fx80 a, b, r;
	struct sf_env e;
	wide x, y;

	if (x87_empty(&cpu->fpu, 0) || x87_empty(&cpu->fpu, 1)) {
		if (x87_stack_fault(cpu, false)) {
			x87_write(cpu, 1, FX80_DEFAULT_NAN);
			x87_pop(cpu);
		}
		return;
	}
	a = *x87_st(&cpu->fpu, 0);
	b = *x87_st(&cpu->fpu, 1);
	sf_env_x87(&e, cpu->fpu.fcw);
	x = sf_unpack(&e, &sf_fx80, a);
	y = sf_unpack(&e, &sf_fx80, b);
	if (!special_nan(&e, a, b, &x, &y, &r)) {
		if (op == 0x31)
			r = fyl2x(&e, &x, &y);
		else if (op == 0x39)
			r = fyl2xp1(&e, a, &x, &y);
		else
			r = fpatan(&e, &x, &y);
	}
	if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
		return;
	x87_write(cpu, 1, r);
	x87_pop(cpu);
}

void x87_transcendental(struct emu_cpu *cpu, unsigned op)
{
	struct sf_env e;

	switch (op) {
	case 0x30:  /* D9 F0 F2XM1 */
		if (x87_empty(&cpu->fpu, 0)) {
			if (x87_stack_fault(cpu, false))
				x87_write(cpu, 0, FX80_DEFAULT_NAN);
			return;
		}
		sf_env_x87(&e, cpu->fpu.fcw);
		put(cpu, 0, &e, f2xm1(&e, *x87_st(&cpu->fpu, 0)));
		return;
	case 0x31: case 0x33: case 0x39:  /* D9 F1 FYL2X, F3 FPATAN, F9 FYL2XP1 */
		binary_pop(cpu, op);
		return;
	default:  /* D9 F2 FPTAN, FB FSINCOS, FE FSIN, FF FCOS */
		trig(cpu, op);
		return;
	}
}
