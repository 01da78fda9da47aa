/* SPDX-License-Identifier: MIT */
/* Internals of the soft-float code: 128-bit integer helpers and the
 * unpacked form every operation works on (a 128-bit significand with its
 * leading 1 at bit 127, so one rounding routine serves every format). */
#ifndef OPENHVF_EMU_SOFTFLOAT_INT_H
#define OPENHVF_EMU_SOFTFLOAT_INT_H

#include <stddef.h>

#include "engine/emu/softfloat.h"

typedef struct {
	uint64_t hi, lo;
} u128;

static inline u128 u128_make(uint64_t hi, uint64_t lo)
{
	return (u128){ hi, lo };
}

static inline bool u128_is_zero(u128 a)
{
	return !(a.hi | a.lo);
}

static inline int u128_cmp(u128 a, u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	if (a.lo != b.lo)
		return a.lo < b.lo ? -1 : 1;
	return 0;
}

static inline u128 u128_add(u128 a, u128 b)
{
	u128 r = { a.hi + b.hi, a.lo + b.lo };

	r.hi += r.lo < a.lo;
	return r;
}

static inline u128 u128_sub(u128 a, u128 b)
{
	u128 r = { a.hi - b.hi, a.lo - b.lo };

	r.hi -= a.lo < b.lo;
	return r;
}

static inline u128 u128_shl(u128 a, unsigned n)
{
	if (n == 0)
		return a;
	if (n >= 128)
		return u128_make(0, 0);
	if (n >= 64)
		return u128_make(a.lo << (n - 64), 0);
	return u128_make(a.hi << n | a.lo >> (64 - n), a.lo << n);
}

static inline u128 u128_shr(u128 a, unsigned n)
{
	if (n == 0)
		return a;
	if (n >= 128)
		return u128_make(0, 0);
	if (n >= 64)
		return u128_make(0, a.hi >> (n - 64));
	return u128_make(a.hi >> n, a.lo >> n | a.hi << (64 - n));
}

/* Shift right, ORing every bit shifted out into bit 0 ("jamming"), so
 * that rounding still sees an inexact tail. */
static inline u128 u128_shr_jam(u128 a, unsigned n)
{
	u128 r = u128_shr(a, n);

	if (n && !u128_is_zero(u128_sub(a, u128_shl(r, n))))
		r.lo |= 1;
	return r;
}

static inline unsigned clz64(uint64_t v)
{
	return v ? (unsigned)__builtin_clzll(v) : 64;
}

static inline unsigned u128_clz(u128 a)
{
	return a.hi ? clz64(a.hi) : 64 + clz64(a.lo);
}

/* Full 64x64 -> 128-bit product, from four 32x32 partial products;
 * always compiled, so the tests can check it against the native path. */
static inline u128 u128_mul64_portable(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

	return u128_make(hh + (lh >> 32) + (hl >> 32) + (mid >> 32),
			 (mid << 32) | (uint32_t)ll);
}

/* The compiler's 128-bit integers where it has them (SF_NO_INT128 forces
 * the portable code, for testing). */
#if defined(__SIZEOF_INT128__) && !defined(SF_NO_INT128)
#define SF_INT128 1
#endif

#ifdef SF_INT128
static inline u128 u128_mul64(uint64_t a, uint64_t b)
{
	unsigned __int128 p = (unsigned __int128)a * b;

	return u128_make((uint64_t)(p >> 64), (uint64_t)p);
}
#else
#define u128_mul64 u128_mul64_portable
#endif

/* 128 / 64 -> 64-bit division of hi:lo by d, for a divisor with bit 63
 * set and hi < d (so the quotient fits in 64 bits); *rem gets the
 * remainder. Two steps of schoolbook division in base 2^32 (Knuth, TAOCP
 * Vol. 2, 4.3.1, Algorithm D): each quotient digit is estimated from the
 * divisor's top half and corrected at most twice. Always compiled, so
 * the tests can check it against the native path. */
static inline uint64_t div_digit32(uint64_t top, uint64_t next, uint64_t d,
				   uint64_t *rem)
{
	uint64_t dh = d >> 32, dl = (uint32_t)d, q = top / dh;
	uint64_t rh = top - q * dh;

	while ((q >> 32) || q * dl > (rh << 32 | next)) {
		q--;
		rh += dh;
		if (rh >> 32)
			break;
	}
	*rem = (top << 32 | next) - q * d;
	return q;
}

static inline uint64_t u128_div64_portable(uint64_t hi, uint64_t lo,
					   uint64_t d, uint64_t *rem)
{
	uint64_t r1, q1 = div_digit32(hi, lo >> 32, d, &r1);
	uint64_t q0 = div_digit32(r1, (uint32_t)lo, d, rem);

	return q1 << 32 | q0;
}

#ifdef SF_INT128
static inline uint64_t u128_div64(uint64_t hi, uint64_t lo, uint64_t d,
				  uint64_t *rem)
{
	unsigned __int128 n = (unsigned __int128)hi << 64 | lo;
	uint64_t q = (uint64_t)(n / d);

	*rem = lo - q * d;
	return q;
}
#else
#define u128_div64 u128_div64_portable
#endif

/* Operand classes. */
enum { CL_ZERO, CL_NORM, CL_INF, CL_QNAN, CL_SNAN, CL_BAD };

/* An unpacked number: value = sig / 2^127 * 2^exp for CL_NORM (bit 127
 * of sig set). NaNs keep their fraction left-aligned below bit 127 (bit
 * 126 is the quiet bit). denorm marks a denormal input. */
struct unp {
	uint8_t cls;
	bool sign;
	bool denorm;
	int32_t exp;
	u128 sig;
};

/* A storage format: fraction bits below the (implicit or explicit)
 * integer bit, exponent bits, and whether the integer bit is stored. */
struct sf_fmt {
	uint8_t mbits;
	uint8_t ebits;
	bool explicit_int;
};

/* Defined here, not in one file, so that the fields are compile-time
 * constants wherever the inline fast paths below use them. */
static const struct sf_fmt sf_f16 = { 10, 5, false };
static const struct sf_fmt sf_f32 = { 23, 8, false };
static const struct sf_fmt sf_f64 = { 52, 11, false };
static const struct sf_fmt sf_fx80 = { 63, 15, true };

static inline struct fx80 sf_raw(uint64_t m)
{
	return (struct fx80){ m, 0 };
}

/* Raw encodings: m holds all bits for f16/f32/f64; fx80 uses se too. */
struct unp sf_unpack_any(struct sf_env *e, const struct sf_fmt *f,
			 struct fx80 raw);

/* sf_unpack_any, with the common case inline: a normal number of a
 * format with an implicit integer bit needs no classification beyond
 * its exponent field (SDM Vol. 1, 4.2.2). */
static inline struct unp sf_unpack(struct sf_env *e, const struct sf_fmt *f,
				   struct fx80 raw)
{
	uint64_t emax = (1u << f->ebits) - 1;
	uint64_t be = (raw.m >> f->mbits) & emax;

	if (f->explicit_int || !be || be == emax)
		return sf_unpack_any(e, f, raw);
	return (struct unp){
		.cls = CL_NORM,
		.sign = (raw.m >> (f->mbits + f->ebits)) & 1,
		.exp = (int32_t)be - (int32_t)(emax >> 1),
		.sig = u128_make(raw.m << (63 - f->mbits) | 1ull << 63, 0),
	};
}
/* Round and encode u (CL_NORM, or any class) to format f with prec
 * significand bits (prec <= mbits + 1), setting flags. */
struct fx80 sf_pack_any(struct sf_env *e, const struct sf_fmt *f,
			unsigned prec, const struct unp *u);

/* Sign, biased exponent and significand (integer bit at mbits, dropped
 * unless the format stores it) to an encoding. */
static inline struct fx80 sf_encode(const struct sf_fmt *f, bool sign,
				    uint64_t be, uint64_t sig)
{
	if (f->explicit_int)
		return (struct fx80){ sig, (uint16_t)((unsigned)sign << 15 |
						       be) };
	return sf_raw((uint64_t)sign << (f->mbits + f->ebits) |
		      be << f->mbits | (sig & ((1ull << f->mbits) - 1)));
}

/* The common case of sf_pack, on a value given as sign, exponent and
 * the top significand word hi (bit 63 set) with a sticky word lo: an
 * unrounded exponent in the normal range, rounded at a bit of hi (SDM
 * Vol. 1, 4.8.4). It cannot be tiny, and unless rounding carries it
 * past the largest exponent it cannot overflow; then it returns false
 * before touching e, and the general path runs. */
static inline bool sf_pack_normal(struct sf_env *e, const struct sf_fmt *f,
				  unsigned prec, bool sign, int32_t exp,
				  uint64_t hi, uint64_t lo, struct fx80 *out)
{
	int32_t bias = (1 << (f->ebits - 1)) - 1;
	unsigned sh = 64 - prec;
	uint64_t q = hi >> sh, rest, half = 1ull << 63;
	bool inc;

	if (exp < 1 - bias || exp > bias)
		return false;
	/* The bits below the rounding point, left-aligned, with the low
	 * word folded into a sticky bit 0. */
	rest = sh ? hi << (64 - sh) | (lo != 0) : lo;
	switch (e->rc) {
	case SF_RN:
		inc = rest > half || (rest == half && (q & 1));
		break;
	case SF_RD:
		inc = rest && sign;
		break;
	case SF_RU:
		inc = rest && !sign;
		break;
	default:
		inc = false;
		break;
	}
	if (inc) {
		q++;
		if (prec == 64 ? !q : q >> prec) {
			q = 1ull << (prec - 1);
			if (++exp > bias)
				return false;
		}
	}
	if (rest)
		e->flags |= SF_PE;
	e->c1 = inc;
	*out = sf_encode(f, sign, (uint64_t)(exp + bias),
			 q << (f->mbits + 1 - prec));
	return true;
}

static inline struct fx80 sf_pack(struct sf_env *e, const struct sf_fmt *f,
				  unsigned prec, const struct unp *u)
{
	struct fx80 out;

	if (u->cls == CL_NORM && sf_pack_normal(e, f, prec, u->sign, u->exp,
						u->sig.hi, u->sig.lo, &out))
		return out;
	return sf_pack_any(e, f, prec, u);
}
/* Encode a special value (zero, infinity, NaN quieted) in format f. */
struct fx80 sf_pack_special(const struct sf_fmt *f, const struct unp *u);
struct fx80 sf_default_nan(const struct sf_fmt *f);
/* NaN result of a two-operand operation (SDM Vol. 1, 4.8.3.5 Table 4-7;
 * x87: the larger significand, SSE: the first operand); sets IE for an
 * SNaN. One of a, b must be a NaN. */
struct fx80 sf_propagate(struct sf_env *e, const struct sf_fmt *f,
			 const struct unp *a, const struct unp *b);
/* DE for denormal operands (pre-computation exception). */
void sf_check_denorm(struct sf_env *e, const struct unp *a,
		     const struct unp *b);
/* Normalise sig so that bit 127 is set, adjusting exp. */
void sf_normalize(struct unp *u);
/* The value of u rounded to an integer multiple q of 2^lsb under rc
 * (lsb >= u->exp - 63, so q <= 2^64 and needs 65 bits at most). */
struct sf_rounded {
	u128 q;
	bool inexact;
	bool up;        /* magnitude was incremented */
};
struct sf_rounded sf_round_at(const struct unp *u, int32_t lsb, unsigned rc);

static inline bool sf_is_nan(const struct unp *u)
{
	return u->cls == CL_QNAN || u->cls == CL_SNAN;
}

/* Generic operations (softfloat_arith.c), all formats. */
struct fx80 sf_add(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b, bool sub);
struct fx80 sf_mul(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b);
struct fx80 sf_div(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		   struct unp a, struct unp b);
struct fx80 sf_sqrt(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		    struct unp a);
int sf_compare(struct sf_env *e, const struct unp *a, const struct unp *b,
	       bool signal_qnan);

#endif
