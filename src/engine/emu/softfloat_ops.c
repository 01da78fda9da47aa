/* SPDX-License-Identifier: MIT */
/* The public soft-float operations for binary32, binary64 and the x87
 * extended format: thin wrappers that unpack, call the generic code of
 * softfloat_arith.c and re-encode; SSE MIN/MAX and CMPPS predicates. */
#include "engine/emu/softfloat_int.h"

static struct unp u32(struct sf_env *e, uint32_t a)
{
	return sf_unpack(e, &sf_f32, sf_raw(a));
}

static struct unp u64(struct sf_env *e, uint64_t a)
{
	return sf_unpack(e, &sf_f64, sf_raw(a));
}

static struct unp u80(struct sf_env *e, struct fx80 a)
{
	return sf_unpack(e, &sf_fx80, a);
}

/* FCW.PC selects 24, 53 or 64 significand bits; the reserved value 1
 * behaves as 64 here (SDM Vol. 1, 8.1.5.2 Table 8-2). */
static unsigned x87_prec(const struct sf_env *e)
{
	return e->pc == SF_PC24 ? 24 : e->pc == SF_PC53 ? 53 : 64;
}

/* ---------------------------------------------------------------- */
/* Fast paths of binary32/64 add, subtract and multiply when both
 * operands are normal, the common case; the general code of
 * softfloat_arith.c does the rest. The significands have at most 53
 * bits, so a sum fits in 64 bits with at least 10 guard bits and a
 * sticky bit below them: enough for one correct rounding, since the
 * sticky bit only decides between values that lie strictly between the
 * same two rounding points. */

/* Fields of a normal encoding: the significand with its integer bit
 * at bit 63, and the unbiased exponent. */
static bool raw_normal(const struct sf_fmt *f, uint64_t a)
{
	uint64_t be = (a >> f->mbits) & ((1u << f->ebits) - 1);

	return be && be != (1u << f->ebits) - 1;
}

static bool raw_sign(const struct sf_fmt *f, uint64_t a)
{
	return (a >> (f->mbits + f->ebits)) & 1;
}

static int32_t raw_exp(const struct sf_fmt *f, uint64_t a)
{
	uint64_t be = (a >> f->mbits) & ((1u << f->ebits) - 1);

	return (int32_t)be - ((1 << (f->ebits - 1)) - 1);
}

static uint64_t raw_sig(const struct sf_fmt *f, uint64_t a)
{
	return a << (63 - f->mbits) | 1ull << 63;
}

/* Round and encode a finite non-zero result, fast or in general. */
static inline uint64_t finish(struct sf_env *e, const struct sf_fmt *f,
			      bool sign, int32_t exp, uint64_t hi,
			      uint64_t lo)
{
	struct unp r = { .cls = CL_NORM, .sign = sign, .exp = exp };
	struct fx80 out;

	if (sf_pack_normal(e, f, f->mbits + 1u, sign, exp, hi, lo, &out))
		return out.m;
	r.sig = u128_make(hi, lo);
	return sf_pack_any(e, f, f->mbits + 1u, &r).m;
}

static inline uint64_t add_fmt(struct sf_env *e, const struct sf_fmt *f,
			       uint64_t a, uint64_t b, bool sub)
{
	bool sa = raw_sign(f, a), sb = raw_sign(f, b) ^ sub, same = sa == sb;
	int32_t ea = raw_exp(f, a), eb = raw_exp(f, b);
	uint64_t x = raw_sig(f, a) >> 1, y = raw_sig(f, b) >> 1, t, sum;
	uint32_t d;
	unsigned n;

	if (!raw_normal(f, a) || !raw_normal(f, b))
		return sf_add(e, f, f->mbits + 1u, sf_unpack(e, f, sf_raw(a)),
			      sf_unpack(e, f, sf_raw(b)), sub).m;
	if (ea < eb || (ea == eb && x < y)) {
		t = x, x = y, y = t;
		d = (uint32_t)(eb - ea);
		ea = eb;
		sa = sb;
	} else {
		d = (uint32_t)(ea - eb);
	}
	if (d >= 63)
		y = 1;
	else if (d)
		y = y >> d | (y << (64 - d) != 0);
	sum = same ? x + y : x - y;
	/* x - x: +0, or -0 when rounding down (IEEE 754-2008, 6.3). */
	if (!sum)
		return sf_encode(f, e->rc == SF_RD, 0, 0).m;
	n = clz64(sum);
	return finish(e, f, sa, ea + 1 - (int32_t)n, sum << n, 0);
}

static inline uint64_t mul_fmt(struct sf_env *e, const struct sf_fmt *f,
			       uint64_t a, uint64_t b)
{
	int32_t exp = raw_exp(f, a) + raw_exp(f, b) + 1;
	u128 p = u128_mul64(raw_sig(f, a), raw_sig(f, b));

	if (!raw_normal(f, a) || !raw_normal(f, b))
		return sf_mul(e, f, f->mbits + 1u, sf_unpack(e, f, sf_raw(a)),
			      sf_unpack(e, f, sf_raw(b))).m;
	if (!(p.hi >> 63)) {
		p = u128_shl(p, 1);
		exp--;
	}
	return finish(e, f, raw_sign(f, a) ^ raw_sign(f, b), exp, p.hi, p.lo);
}

uint32_t f32_add(struct sf_env *e, uint32_t a, uint32_t b)
{
	return (uint32_t)add_fmt(e, &sf_f32, a, b, false);
}

uint32_t f32_sub(struct sf_env *e, uint32_t a, uint32_t b)
{
	return (uint32_t)add_fmt(e, &sf_f32, a, b, true);
}

uint32_t f32_mul(struct sf_env *e, uint32_t a, uint32_t b)
{
	return (uint32_t)mul_fmt(e, &sf_f32, a, b);
}

uint32_t f32_div(struct sf_env *e, uint32_t a, uint32_t b)
{
	return (uint32_t)sf_div(e, &sf_f32, 24, u32(e, a), u32(e, b)).m;
}

uint32_t f32_sqrt(struct sf_env *e, uint32_t a)
{
	return (uint32_t)sf_sqrt(e, &sf_f32, 24, u32(e, a)).m;
}

uint64_t f64_add(struct sf_env *e, uint64_t a, uint64_t b)
{
	return add_fmt(e, &sf_f64, a, b, false);
}

uint64_t f64_sub(struct sf_env *e, uint64_t a, uint64_t b)
{
	return add_fmt(e, &sf_f64, a, b, true);
}

uint64_t f64_mul(struct sf_env *e, uint64_t a, uint64_t b)
{
	return mul_fmt(e, &sf_f64, a, b);
}

uint64_t f64_div(struct sf_env *e, uint64_t a, uint64_t b)
{
	return sf_div(e, &sf_f64, 53, u64(e, a), u64(e, b)).m;
}

uint64_t f64_sqrt(struct sf_env *e, uint64_t a)
{
	return sf_sqrt(e, &sf_f64, 53, u64(e, a)).m;
}

struct fx80 fx80_add(struct sf_env *e, struct fx80 a, struct fx80 b)
{
	return sf_add(e, &sf_fx80, x87_prec(e), u80(e, a), u80(e, b), false);
}

struct fx80 fx80_sub(struct sf_env *e, struct fx80 a, struct fx80 b)
{
	return sf_add(e, &sf_fx80, x87_prec(e), u80(e, a), u80(e, b), true);
}

struct fx80 fx80_mul(struct sf_env *e, struct fx80 a, struct fx80 b)
{
	return sf_mul(e, &sf_fx80, x87_prec(e), u80(e, a), u80(e, b));
}

struct fx80 fx80_div(struct sf_env *e, struct fx80 a, struct fx80 b)
{
	return sf_div(e, &sf_fx80, x87_prec(e), u80(e, a), u80(e, b));
}

struct fx80 fx80_sqrt(struct sf_env *e, struct fx80 a)
{
	return sf_sqrt(e, &sf_fx80, x87_prec(e), u80(e, a));
}

int f32_compare(struct sf_env *e, uint32_t a, uint32_t b, bool signal_qnan)
{
	struct unp x = u32(e, a), y = u32(e, b);

	return sf_compare(e, &x, &y, signal_qnan);
}

int f64_compare(struct sf_env *e, uint64_t a, uint64_t b, bool signal_qnan)
{
	struct unp x = u64(e, a), y = u64(e, b);

	return sf_compare(e, &x, &y, signal_qnan);
}

int fx80_compare(struct sf_env *e, struct fx80 a, struct fx80 b,
		 bool signal_qnan)
{
	struct unp x = u80(e, a), y = u80(e, b);

	return sf_compare(e, &x, &y, signal_qnan);
}

/* ---------------------------------------------------------------- */
/* MINPS/MAXPS family (SDM Vol. 2B): a NaN in either operand returns the
 * second operand unchanged and signals invalid; equal values (+0, -0)
 * also return the second operand. */

static int minmax_rel(struct sf_env *e, struct unp x, struct unp y)
{
	if (sf_is_nan(&x) || sf_is_nan(&y)) {
		e->flags |= SF_IE;
		return SF_UN;
	}
	return sf_compare(e, &x, &y, false);
}

/* With DAZ the operand returned is the zero a denormal reads as. */
static uint32_t daz32(const struct sf_env *e, uint32_t a)
{
	if (e->daz && !(a & 0x7f800000u))
		return a & 0x80000000u;
	return a;
}

static uint64_t daz64(const struct sf_env *e, uint64_t a)
{
	if (e->daz && !(a & 0x7ff0000000000000ull))
		return a & (1ull << 63);
	return a;
}

uint32_t f32_min(struct sf_env *e, uint32_t a, uint32_t b)
{
	int rel = minmax_rel(e, u32(e, a), u32(e, b));

	return daz32(e, rel == SF_LT ? a : b);
}

uint32_t f32_max(struct sf_env *e, uint32_t a, uint32_t b)
{
	int rel = minmax_rel(e, u32(e, a), u32(e, b));

	return daz32(e, rel == SF_GT ? a : b);
}

uint64_t f64_min(struct sf_env *e, uint64_t a, uint64_t b)
{
	int rel = minmax_rel(e, u64(e, a), u64(e, b));

	return daz64(e, rel == SF_LT ? a : b);
}

uint64_t f64_max(struct sf_env *e, uint64_t a, uint64_t b)
{
	int rel = minmax_rel(e, u64(e, a), u64(e, b));

	return daz64(e, rel == SF_GT ? a : b);
}

/* ---------------------------------------------------------------- */
/* Compare predicates (SDM Vol. 2A, CMPPS Table 3-1): for imm8 0..15 a
 * truth table over {LT, EQ, GT, UN} and whether a QNaN signals; 16..31
 * repeat 0..15 with the signalling behaviour inverted. */

static const uint8_t pred_truth[16] = {
	0x2, 0x1, 0x3, 0x8, 0xd, 0xe, 0xc, 0x7,
	0xa, 0x9, 0xb, 0x0, 0x5, 0x6, 0x4, 0xf,
};
#define PRED_SIGNALS 0x6666u

static bool pred(struct sf_env *e, struct unp x, struct unp y,
		 unsigned imm)
{
	bool sig = (PRED_SIGNALS >> (imm & 15)) & 1;

	if (imm & 16)
		sig = !sig;
	return (pred_truth[imm & 15] >> sf_compare(e, &x, &y, sig)) & 1;
}

bool f32_cmp_pred(struct sf_env *e, uint32_t a, uint32_t b, unsigned imm)
{
	return pred(e, u32(e, a), u32(e, b), imm);
}

bool f64_cmp_pred(struct sf_env *e, uint64_t a, uint64_t b, unsigned imm)
{
	return pred(e, u64(e, a), u64(e, b), imm);
}
