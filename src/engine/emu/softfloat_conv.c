/* SPDX-License-Identifier: MIT */
/* Soft-float conversions: between the binary formats (including half
 * precision and the x87 extended format), from and to integers with the
 * integer indefinite on invalid results (SDM Vol. 1, 4.8.3.7 and
 * 11.5.2.1), and rounding to an integral value (ROUNDSS, FRNDINT). */
#include "engine/emu/softfloat_int.h"

static struct unp unpack(struct sf_env *e, const struct sf_fmt *f,
			 uint64_t raw)
{
	return sf_unpack(e, f, sf_raw(raw));
}

/* Float to float: NaNs are quieted (SNaN signals invalid), denormal
 * inputs signal DE, the result is rounded to the target. */
static struct fx80 convert(struct sf_env *e, const struct sf_fmt *to,
			   struct unp u, bool de)
{
	if (u.cls == CL_BAD) {
		e->flags |= SF_IE;
		return sf_default_nan(to);
	}
	if (sf_is_nan(&u))
		return sf_propagate(e, to, &u, NULL);
	if (de)
		sf_check_denorm(e, &u, NULL);
	return sf_pack(e, to, to->mbits + 1u, &u);
}

uint64_t f32_to_f64(struct sf_env *e, uint32_t a)
{
	return convert(e, &sf_f64, unpack(e, &sf_f32, a), true).m;
}

uint32_t f64_to_f32(struct sf_env *e, uint64_t a)
{
	return (uint32_t)convert(e, &sf_f32, unpack(e, &sf_f64, a), true).m;
}

struct fx80 f32_to_fx80(struct sf_env *e, uint32_t a)
{
	return convert(e, &sf_fx80, unpack(e, &sf_f32, a), true);
}

struct fx80 f64_to_fx80(struct sf_env *e, uint64_t a)
{
	return convert(e, &sf_fx80, unpack(e, &sf_f64, a), true);
}

uint32_t fx80_to_f32(struct sf_env *e, struct fx80 a)
{
	return (uint32_t)convert(e, &sf_f32, sf_unpack(e, &sf_fx80, a),
				 false).m;
}

uint64_t fx80_to_f64(struct sf_env *e, struct fx80 a)
{
	return convert(e, &sf_f64, sf_unpack(e, &sf_fx80, a), false).m;
}

/* Half precision: VCVTPH2PS ignores DAZ and never reports DE, VCVTPS2PH
 * ignores FTZ and honours DAZ (SDM Vol. 2C, VCVTPH2PS / VCVTPS2PH). */
uint32_t f16_to_f32(struct sf_env *e, uint16_t a)
{
	bool daz = e->daz;
	struct unp u;

	e->daz = false;
	u = unpack(e, &sf_f16, a);
	e->daz = daz;
	return (uint32_t)convert(e, &sf_f32, u, false).m;
}

uint16_t f32_to_f16(struct sf_env *e, uint32_t a)
{
	bool ftz = e->ftz;
	uint16_t r;

	e->ftz = false;
	r = (uint16_t)convert(e, &sf_f16, unpack(e, &sf_f32, a), true).m;
	e->ftz = ftz;
	return r;
}

/* ---------------------------------------------------------------- */
/* Integers to floating point (exact except for the final rounding). */

static struct unp from_int(int64_t v)
{
	struct unp u = { .cls = CL_ZERO, .sign = v < 0 };
	uint64_t mag = u.sign ? 0 - (uint64_t)v : (uint64_t)v;

	if (mag) {
		unsigned n = clz64(mag);

		u.cls = CL_NORM;
		u.sig = u128_make(mag << n, 0);
		u.exp = 63 - (int32_t)n;
	}
	return u;
}

uint32_t i64_to_f32(struct sf_env *e, int64_t v)
{
	struct unp u = from_int(v);

	return (uint32_t)sf_pack(e, &sf_f32, 24, &u).m;
}

uint64_t i64_to_f64(struct sf_env *e, int64_t v)
{
	struct unp u = from_int(v);

	return sf_pack(e, &sf_f64, 53, &u).m;
}

struct fx80 i64_to_fx80(int64_t v)
{
	struct sf_env e;
	struct unp u = from_int(v);

	sf_env_x87(&e, 0x37f);
	return sf_pack(&e, &sf_fx80, 64, &u);
}

/* ---------------------------------------------------------------- */
/* Floating point to integers of bits 16, 32 or 64. */

static int64_t to_int(struct sf_env *e, const struct unp *u, unsigned bits,
		      unsigned rc)
{
	int64_t indefinite = (int64_t)(~0ull << (bits - 1));
	uint64_t lim = 1ull << (bits - 1);
	struct sf_rounded r;

	if (u->cls == CL_ZERO)
		return 0;
	if (u->cls != CL_NORM || u->exp > 63)
		goto invalid;
	r = sf_round_at(u, 0, rc);
	if (r.q.hi || r.q.lo > lim || (r.q.lo == lim && !u->sign))
		goto invalid;
	if (r.inexact) {
		e->flags |= SF_PE;
		e->c1 = r.up;
	}
	return u->sign ? (int64_t)(0 - r.q.lo) : (int64_t)r.q.lo;
invalid:
	e->flags |= SF_IE;
	return indefinite;
}

static unsigned trunc_rc(const struct sf_env *e, bool trunc)
{
	return trunc ? SF_RZ : e->rc;
}

int32_t f32_to_i32(struct sf_env *e, uint32_t a, bool trunc)
{
	struct unp u = unpack(e, &sf_f32, a);

	return (int32_t)to_int(e, &u, 32, trunc_rc(e, trunc));
}

int64_t f32_to_i64(struct sf_env *e, uint32_t a, bool trunc)
{
	struct unp u = unpack(e, &sf_f32, a);

	return to_int(e, &u, 64, trunc_rc(e, trunc));
}

int32_t f64_to_i32(struct sf_env *e, uint64_t a, bool trunc)
{
	struct unp u = unpack(e, &sf_f64, a);

	return (int32_t)to_int(e, &u, 32, trunc_rc(e, trunc));
}

int64_t f64_to_i64(struct sf_env *e, uint64_t a, bool trunc)
{
	struct unp u = unpack(e, &sf_f64, a);

	return to_int(e, &u, 64, trunc_rc(e, trunc));
}

int64_t fx80_to_int(struct sf_env *e, struct fx80 a, unsigned bits,
		    bool trunc)
{
	struct unp u = sf_unpack(e, &sf_fx80, a);

	return to_int(e, &u, bits, trunc_rc(e, trunc));
}

/* ---------------------------------------------------------------- */
/* Round to an integral value in the same format. */

static struct fx80 round_int(struct sf_env *e, const struct sf_fmt *f,
			     struct unp u, unsigned rc, bool no_pe)
{
	struct sf_rounded r;
	struct unp v = { .cls = CL_ZERO, .sign = u.sign };
	struct fx80 out;

	if (u.cls == CL_BAD || sf_is_nan(&u))
		return convert(e, f, u, false);
	if (u.cls != CL_NORM || u.exp >= (int32_t)f->mbits)
		return sf_pack(e, f, f->mbits + 1u, &u);
	r = sf_round_at(&u, 0, rc);
	if (r.inexact && !no_pe)
		e->flags |= SF_PE;
	if (!u128_is_zero(r.q)) {
		v.cls = CL_NORM;
		v.sig = r.q;
		v.exp = 127;
		sf_normalize(&v);
	}
	out = sf_pack(e, f, f->mbits + 1u, &v);
	e->c1 = r.up;
	return out;
}

uint32_t f32_round_int(struct sf_env *e, uint32_t a, unsigned rc, bool no_pe)
{
	return (uint32_t)round_int(e, &sf_f32, unpack(e, &sf_f32, a), rc,
				   no_pe).m;
}

uint64_t f64_round_int(struct sf_env *e, uint64_t a, unsigned rc, bool no_pe)
{
	return round_int(e, &sf_f64, unpack(e, &sf_f64, a), rc, no_pe).m;
}

/* FRNDINT: denormal operands signal DE (SDM Vol. 2A, FRNDINT). */
struct fx80 fx80_round_int(struct sf_env *e, struct fx80 a)
{
	struct unp u = sf_unpack(e, &sf_fx80, a);

	if (u.cls == CL_NORM)
		sf_check_denorm(e, &u, NULL);
	return round_int(e, &sf_fx80, u, e->rc, false);
}
