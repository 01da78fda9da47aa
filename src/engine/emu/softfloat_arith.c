/* SPDX-License-Identifier: MIT */
/* Soft-float arithmetic on unpacked numbers: add, multiply, divide,
 * square root, fused multiply-add and comparison, exact before one final
 * rounding (IEEE 754-2008 clause 5.4; special cases as SDM Vol. 1, 4.8.3
 * and 4.9.1 list them). */
#include "engine/emu/softfloat_int.h"

static bool is_bad(const struct unp *u)
{
	return u->cls == CL_BAD;
}

/* Invalid operation with a default-NaN result (SDM Vol. 1, 4.9.1.2). */
static struct fx80 invalid(struct sf_env *e, const struct sf_fmt *f)
{
	e->flags |= SF_IE;
	return sf_default_nan(f);
}

/* Result for NaN or unsupported operands; b may be NULL. */
static struct fx80 nan_result(struct sf_env *e, const struct sf_fmt *f,
			      const struct unp *a, const struct unp *b)
{
	if (is_bad(a) || (b && is_bad(b)))
		return invalid(e, f);
	return sf_propagate(e, f, a, b);
}

static bool any_nan(const struct unp *a, const struct unp *b)
{
	return sf_is_nan(a) || sf_is_nan(b) || is_bad(a) || is_bad(b);
}

/* Exact zero of an exact cancellation or of +0 + -0: -0 only when
 * rounding down (IEEE 754-2008, 6.3). */
static struct unp exact_zero(const struct sf_env *e, bool sa, bool sb)
{
	struct unp z = { .cls = CL_ZERO };

	z.sign = sa == sb ? sa : e->rc == SF_RD;
	return z;
}

/* a + b for two finite non-zero numbers, exact up to a sticky bit. */
static struct unp add_exact(const struct sf_env *e, struct unp a,
			    struct unp b)
{
	struct unp r;
	u128 x, y;
	uint32_t d;

	if (a.exp < b.exp || (a.exp == b.exp && u128_cmp(a.sig, b.sig) < 0)) {
		r = a;
		a = b;
		b = r;
	}
	d = (uint32_t)(a.exp - b.exp);
	x = u128_shr_jam(a.sig, 1);
	y = u128_shr_jam(b.sig, d > 200 ? 200 : d + 1);
	r = (struct unp){ .cls = CL_NORM, .sign = a.sign, .exp = a.exp + 1 };
	r.sig = a.sign == b.sign ? u128_add(x, y) : u128_sub(x, y);
	if (u128_is_zero(r.sig))
		return exact_zero(e, a.sign, b.sign);
	sf_normalize(&r);
	return r;
}

/* Sum of two operands of any non-NaN class (inf-inf is the caller's). */
static struct unp add_any(const struct sf_env *e, const struct unp *a,
			  const struct unp *b)
{
	if (a->cls == CL_INF)
		return *a;
	if (b->cls == CL_INF)
		return *b;
	if (a->cls == CL_ZERO && b->cls == CL_ZERO)
		return exact_zero(e, a->sign, b->sign);
	if (a->cls == CL_ZERO)
		return *b;
	if (b->cls == CL_ZERO)
		return *a;
	return add_exact(e, *a, *b);
}

struct fx80 sf_add(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b, bool sub)
{
	struct unp r;

	if (any_nan(&a, &b))
		return nan_result(e, f, &a, &b);
	sf_check_denorm(e, &a, &b);
	b.sign ^= sub;
	if (a.cls == CL_INF && b.cls == CL_INF && a.sign != b.sign)
		return invalid(e, f);
	r = add_any(e, &a, &b);
	return sf_pack(e, f, prec, &r);
}

/* Exact product of two finite non-zero numbers. */
static struct unp mul_exact(const struct unp *a, const struct unp *b)
{
	struct unp r = { .cls = CL_NORM, .sign = a->sign ^ b->sign };

	r.sig = u128_mul64(a->sig.hi, b->sig.hi);
	r.exp = a->exp + b->exp + 1;
	sf_normalize(&r);
	return r;
}

struct fx80 sf_mul(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b)
{
	struct unp r = { .sign = a.sign ^ b.sign };

	if (any_nan(&a, &b))
		return nan_result(e, f, &a, &b);
	sf_check_denorm(e, &a, &b);
	if ((a.cls == CL_INF && b.cls == CL_ZERO) ||
	    (a.cls == CL_ZERO && b.cls == CL_INF))
		return invalid(e, f);
	if (a.cls == CL_INF || b.cls == CL_INF)
		r.cls = CL_INF;
	else if (a.cls == CL_ZERO || b.cls == CL_ZERO)
		r.cls = CL_ZERO;
	else
		r = mul_exact(&a, &b);
	return sf_pack(e, f, prec, &r);
}

/* Quotient of two 64-bit significands (bit 63 set) as a normalised
 * 128-bit significand whose bit 0 is sticky for a non-zero remainder:
 * the integer digit (0 or 1), then one or two 64-bit fraction digits
 * from 128/64 divisions; the second is needed only for 64-bit precision,
 * where the rounding bit lies below the first digit. *exp_adj is the
 * exponent correction for a quotient below 1. */
static u128 div_sig(uint64_t a, uint64_t b, bool wide, int32_t *exp_adj)
{
	bool q0 = a >= b;
	uint64_t r = q0 ? a - b : a, q1, q2 = 0;

	q1 = u128_div64(r, 0, b, &r);
	if (wide)
		q2 = u128_div64(r, 0, b, &r);
	q2 |= r != 0;
	*exp_adj = q0 ? 0 : -1;
	if (!q0)
		return u128_make(q1, q2);
	return u128_make(1ull << 63 | q1 >> 1, q1 << 63 | q2 >> 1 | (q2 & 1));
}

struct fx80 sf_div(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b)
{
	struct unp r = { .cls = CL_NORM, .sign = a.sign ^ b.sign };
	int32_t n;

	if (any_nan(&a, &b))
		return nan_result(e, f, &a, &b);
	if ((a.cls == CL_INF && b.cls == CL_INF) ||
	    (a.cls == CL_ZERO && b.cls == CL_ZERO))
		return invalid(e, f);
	if (b.cls == CL_ZERO && a.cls != CL_INF) {
		/* Divide by zero reports ZE alone, even for a denormal
		 * dividend (SDM Vol. 1, 4.9.1.3). */
		e->flags |= SF_ZE;
		r.cls = CL_INF;
		return sf_pack_special(f, &r);
	}
	sf_check_denorm(e, &a, &b);
	if (a.cls == CL_INF || b.cls == CL_ZERO) {
		r.cls = CL_INF;
	} else if (a.cls == CL_ZERO || b.cls == CL_INF) {
		r.cls = CL_ZERO;
	} else {
		r.sig = div_sig(a.sig.hi, b.sig.hi, prec > 62, &n);
		r.exp = a.exp - b.exp + n;
	}
	return sf_pack(e, f, prec, &r);
}

/* Integer square roots with remainder, root = floor(sqrt(n)) and
 * rem = n - root^2 <= 2 * root, built up by P. Zimmermann's recursion
 * ("Karatsuba Square Root", INRIA RR-3805, 1999): the root of the top
 * half gives the top half of the root, one division by twice that gives
 * the next digit, and one correction step makes it exact. Each level
 * needs its top digit at least a quarter of the digit base. */

/* n >= 2^30: 16 root bits, one per step, by the schoolbook method. */
static uint32_t isqrt32(uint32_t n, uint32_t *rem)
{
	uint32_t root = 0, r = 0;

	for (int i = 30; i >= 0; i -= 2) {
		uint32_t trial = root << 2 | 1;

		r = r << 2 | (n >> i & 3);
		root <<= 1;
		if (r >= trial) {
			r -= trial;
			root |= 1;
		}
	}
	*rem = r;
	return root;
}

/* n >= 2^62: a 32-bit root with base 2^16 digits. */
static uint64_t isqrt64(uint64_t n, uint64_t *rem)
{
	uint32_t r1, s1 = isqrt32((uint32_t)(n >> 32), &r1);
	uint64_t num = (uint64_t)r1 << 16 | (n >> 16 & 0xffff);
	uint64_t q = num / (2ull * s1), u = num % (2ull * s1);
	uint64_t s = ((uint64_t)s1 << 16) + q;
	int64_t r;

	r = (int64_t)(u << 16 | (n & 0xffff)) - (int64_t)(q * q);
	if (r < 0) {
		r += (int64_t)(2 * s - 1);
		s--;
	}
	*rem = (uint64_t)r;
	return s;
}

/* x >= 2^126: the 64-bit root and a 65-bit remainder, base 2^32. The
 * 65-bit numerator r1 * 2^32 + (x.lo >> 32) is halved first, so that
 * one 64-bit division by s1 gives its quotient by 2 * s1. */
static uint64_t isqrt128(u128 x, u128 *rem)
{
	uint64_t r1, s1 = isqrt64(x.hi, &r1), half, u, q;
	u128 s, t, q2;

	half = r1 << 31 | x.lo >> 33;
	q = half / s1;
	u = (half % s1) << 1 | (x.lo >> 32 & 1);
	s = u128_add(u128_make(0, s1 << 32), u128_make(0, q));
	t = u128_make(u >> 32, u << 32 | (uint32_t)x.lo);
	q2 = u128_mul64(q, q);
	if (u128_cmp(t, q2) < 0) {
		t = u128_add(t, u128_sub(u128_shl(s, 1), u128_make(0, 1)));
		s = u128_sub(s, u128_make(0, 1));
	}
	*rem = u128_sub(t, q2);
	return s.lo;
}

struct fx80 sf_sqrt(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		    struct unp a)
{
	struct unp r = { .cls = CL_NORM };
	uint64_t root;
	unsigned k;
	u128 rem;

	if (sf_is_nan(&a) || is_bad(&a))
		return nan_result(e, f, &a, NULL);
	if (a.cls == CL_ZERO)
		return sf_pack_special(f, &a);
	if (a.sign)
		return invalid(e, f);
	sf_check_denorm(e, &a, NULL);
	if (a.cls == CL_INF)
		return sf_pack_special(f, &a);
	/* a = A * 2^(exp - 63) = X * 2^(exp - 63 - k) with X = A * 2^k in
	 * [2^126, 2^128) and an even power of two. */
	k = (a.exp & 1) ? 64 : 63;
	root = isqrt128(u128_shl(u128_make(0, a.sig.hi), k), &rem);
	/* The root's fraction is never exactly one half (X is an integer),
	 * so a rounding bit (rem > root means sqrt(X) > root + 1/2) and a
	 * sticky bit describe it exactly for every precision. */
	r.sig = u128_make(root, (u128_cmp(rem, u128_make(0, root)) > 0 ?
				 1ull << 63 : 0) | !u128_is_zero(rem));
	r.exp = (a.exp - 63 - (int32_t)k) / 2 + 63;
	return sf_pack(e, f, prec, &r);
}

/* ---------------------------------------------------------------- */
/* Fused multiply-add: NaN operands take precedence in the order a, b, c
 * (SDM Vol. 1, 14.5.2); inf * 0 with a QNaN addend returns the QNaN
 * without signalling (as the hardware does). */

static struct fx80 fma_nan(struct sf_env *e, const struct sf_fmt *f,
			   const struct unp *a, const struct unp *b,
			   const struct unp *c)
{
	const struct unp *first = sf_is_nan(a) ? a : sf_is_nan(b) ? b : c;

	if (a->cls == CL_SNAN || b->cls == CL_SNAN || c->cls == CL_SNAN)
		e->flags |= SF_IE;
	return sf_pack_special(f, first);
}

static struct fx80 sf_fma(struct sf_env *e, const struct sf_fmt *f,
			  struct unp a, struct unp b, struct unp c,
			  bool neg_prod, bool neg_add)
{
	struct unp p = { .sign = a.sign ^ b.sign ^ neg_prod }, r;

	if (sf_is_nan(&a) || sf_is_nan(&b) || sf_is_nan(&c))
		return fma_nan(e, f, &a, &b, &c);
	c.sign ^= neg_add;
	if ((a.cls == CL_INF && b.cls == CL_ZERO) ||
	    (a.cls == CL_ZERO && b.cls == CL_INF))
		return invalid(e, f);
	if (a.cls == CL_INF || b.cls == CL_INF) {
		p.cls = CL_INF;
	} else if (a.cls == CL_ZERO || b.cls == CL_ZERO) {
		p.cls = CL_ZERO;
	} else {
		p = mul_exact(&a, &b);
		p.sign ^= neg_prod;
	}
	if (p.cls == CL_INF && c.cls == CL_INF && p.sign != c.sign)
		return invalid(e, f);
	if (a.denorm || b.denorm || c.denorm)
		e->flags |= SF_DE;
	r = add_any(e, &p, &c);
	return sf_pack(e, f, f->mbits + 1u, &r);
}

uint32_t f32_fma(struct sf_env *e, uint32_t a, uint32_t b, uint32_t c,
		 bool neg_prod, bool neg_add)
{
	const struct sf_fmt *f = &sf_f32;

	return (uint32_t)sf_fma(e, f, sf_unpack(e, f, sf_raw(a)),
				sf_unpack(e, f, sf_raw(b)),
				sf_unpack(e, f, sf_raw(c)), neg_prod,
				neg_add).m;
}

uint64_t f64_fma(struct sf_env *e, uint64_t a, uint64_t b, uint64_t c,
		 bool neg_prod, bool neg_add)
{
	const struct sf_fmt *f = &sf_f64;

	return sf_fma(e, f, sf_unpack(e, f, sf_raw(a)),
		      sf_unpack(e, f, sf_raw(b)), sf_unpack(e, f, sf_raw(c)),
		      neg_prod, neg_add).m;
}

/* ---------------------------------------------------------------- */
/* Comparison (SDM Vol. 1, 4.8.3.6 and 11.5.2.1). */

static int cmp_mag(const struct unp *a, const struct unp *b)
{
	if (a->cls != b->cls)
		return a->cls == CL_INF ? 1 : b->cls == CL_INF ? -1 :
		       a->cls == CL_ZERO ? -1 : 1;
	if (a->cls != CL_NORM)
		return 0;
	if (a->exp != b->exp)
		return a->exp < b->exp ? -1 : 1;
	return u128_cmp(a->sig, b->sig);
}

int sf_compare(struct sf_env *e, const struct unp *a, const struct unp *b,
	       bool signal_qnan)
{
	int c;

	if (any_nan(a, b)) {
		if (a->cls == CL_SNAN || b->cls == CL_SNAN || signal_qnan ||
		    is_bad(a) || is_bad(b))
			e->flags |= SF_IE;
		return SF_UN;
	}
	sf_check_denorm(e, a, b);
	if (a->cls == CL_ZERO && b->cls == CL_ZERO)
		return SF_EQ;
	if (a->sign != b->sign)
		return a->sign ? SF_LT : SF_GT;
	c = cmp_mag(a, b);
	if (a->sign)
		c = -c;
	return c < 0 ? SF_LT : c > 0 ? SF_GT : SF_EQ;
}
