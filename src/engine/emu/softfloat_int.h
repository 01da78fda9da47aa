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

/* Full 64x64 -> 128-bit product. */
static inline u128 u128_mul64(uint64_t a, uint64_t b)
{
	uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;

	return u128_make(hh + (lh >> 32) + (hl >> 32) + (mid >> 32),
			 (mid << 32) | (uint32_t)ll);
}

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

extern const struct sf_fmt sf_f16, sf_f32, sf_f64, sf_fx80;

/* Raw encodings: m holds all bits for f16/f32/f64; fx80 uses se too. */
struct unp sf_unpack(struct sf_env *e, const struct sf_fmt *f,
		     struct fx80 raw);
/* Round and encode u (CL_NORM, or any class) to format f with prec
 * significand bits (prec <= mbits + 1), setting flags. */
struct fx80 sf_pack(struct sf_env *e, const struct sf_fmt *f, unsigned prec,
		    const struct unp *u);
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

static inline struct fx80 sf_raw(uint64_t m)
{
	return (struct fx80){ m, 0 };
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
