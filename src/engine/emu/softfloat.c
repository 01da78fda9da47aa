/* SPDX-License-Identifier: MIT */
/* Soft-float core: unpacking and classification of the storage formats,
 * NaN propagation, and the general rounding routine that turns an exact
 * (or sticky) unpacked result into an encoding with the IEEE flags x86
 * reports (SDM Vol. 1, 4.8 and 4.9); softfloat_int.h has its inline
 * common cases. */
#include "engine/emu/softfloat_int.h"

static int32_t fmt_bias(const struct sf_fmt *f)
{
	return (1 << (f->ebits - 1)) - 1;
}

static uint64_t fmt_emax_raw(const struct sf_fmt *f)
{
	return (1u << f->ebits) - 1;
}

static uint64_t low_bits(unsigned n)
{
	return n >= 64 ? ~0ull : (1ull << n) - 1;
}

/* ---------------------------------------------------------------- */
/* Unpacking (SDM Vol. 1, 4.2.2 and 8.2.2 for the extended format's
 * unsupported encodings). */

static void unpack_fields(const struct sf_fmt *f, struct fx80 raw,
			  bool *sign, uint64_t *be, uint64_t *sig)
{
	if (f->explicit_int) {
		*sign = raw.se >> 15;
		*be = raw.se & 0x7fff;
		*sig = raw.m;
		return;
	}
	*sign = (raw.m >> (f->mbits + f->ebits)) & 1;
	*be = (raw.m >> f->mbits) & fmt_emax_raw(f);
	*sig = raw.m & low_bits(f->mbits);
	if (*be)
		*sig |= 1ull << f->mbits;
}

static void unpack_nan(const struct sf_fmt *f, uint64_t sig, struct unp *u)
{
	uint64_t frac = sig & low_bits(f->mbits);

	if (!frac) {
		u->cls = CL_INF;
		return;
	}
	u->cls = (frac >> (f->mbits - 1)) & 1 ? CL_QNAN : CL_SNAN;
	u->sig = u128_make(1ull << 63 | frac << (63 - f->mbits), 0);
}

struct unp sf_unpack_any(struct sf_env *e, const struct sf_fmt *f,
			 struct fx80 raw)
{
	struct unp u = { .cls = CL_NORM };
	uint64_t be, sig;
	bool intbit;

	unpack_fields(f, raw, &u.sign, &be, &sig);
	intbit = (sig >> f->mbits) & 1;
	if (be == fmt_emax_raw(f)) {
		if (f->explicit_int && !intbit)
			u.cls = CL_BAD;
		else
			unpack_nan(f, sig, &u);
		return u;
	}
	if (be && f->explicit_int && !intbit) {
		u.cls = CL_BAD;
		return u;
	}
	if (!sig) {
		u.cls = CL_ZERO;
		return u;
	}
	u.sig = u128_make(sig << (63 - f->mbits), 0);
	u.exp = (int32_t)be - fmt_bias(f);
	if (!be) {
		/* Denormal (or pseudo-denormal): exponent as for 1. */
		if (e->daz && !e->x87) {
			u.cls = CL_ZERO;
			return u;
		}
		u.denorm = true;
		u.exp = 1 - fmt_bias(f);
		sf_normalize(&u);
	}
	return u;
}

void sf_normalize(struct unp *u)
{
	unsigned n = u128_clz(u->sig);

	u->sig = u128_shl(u->sig, n);
	u->exp -= (int32_t)n;
}

/* ---------------------------------------------------------------- */
/* Encoding. */

struct fx80 sf_default_nan(const struct sf_fmt *f)
{
	uint64_t sig = 1ull << (f->mbits - 1);

	if (f->explicit_int)
		sig |= 1ull << 63;
	return sf_encode(f, true, fmt_emax_raw(f), sig);
}

struct fx80 sf_pack_special(const struct sf_fmt *f, const struct unp *u)
{
	uint64_t intbit = f->explicit_int ? 1ull << 63 : 0, frac;

	switch (u->cls) {
	case CL_ZERO:
		return sf_encode(f, u->sign, 0, 0);
	case CL_INF:
		return sf_encode(f, u->sign, fmt_emax_raw(f), intbit);
	case CL_QNAN:
	case CL_SNAN:
		frac = (u->sig.hi << 1) >> (64 - f->mbits);
		frac |= 1ull << (f->mbits - 1);
		return sf_encode(f, u->sign, fmt_emax_raw(f), intbit | frac);
	default:
		return sf_default_nan(f);
	}
}

static int nan_rank(const struct unp *u)
{
	return sf_is_nan(u) ? 1 : 0;
}

/* x87 chooses between two NaNs by significand magnitude (SDM Vol. 1,
 * 4.8.3.5 Table 4-7); SSE takes the first source. */
static const struct unp *x87_nan_choice(const struct unp *a,
					const struct unp *b)
{
	int c;

	if (a->cls != b->cls)
		return a->cls == CL_QNAN ? a : b;
	c = u128_cmp(u128_shl(a->sig, 2), u128_shl(b->sig, 2));
	if (c)
		return c > 0 ? a : b;
	return a->sign ? b : a;
}

struct fx80 sf_propagate(struct sf_env *e, const struct sf_fmt *f,
			 const struct unp *a, const struct unp *b)
{
	const struct unp *pick;

	if (a->cls == CL_SNAN || (b && b->cls == CL_SNAN))
		e->flags |= SF_IE;
	if (!b || !nan_rank(b))
		pick = a;
	else if (!nan_rank(a))
		pick = b;
	else
		pick = e->x87 ? x87_nan_choice(a, b) : a;
	return sf_pack_special(f, pick);
}

void sf_check_denorm(struct sf_env *e, const struct unp *a,
		     const struct unp *b)
{
	if (a->denorm || (b && b->denorm))
		e->flags |= SF_DE;
}

/* ---------------------------------------------------------------- */
/* Rounding (SDM Vol. 1, 4.8.4). */

struct sf_rounded sf_round_at(const struct unp *u, int32_t lsb, unsigned rc)
{
	struct sf_rounded r = { u128_make(0, 0), false, false };
	int32_t sh = 127 + lsb - u->exp;
	int rem; /* tail versus half an ulp: -1 below, 0 equal, 1 above */
	bool inc;

	if (sh >= 129) {
		rem = -1;
	} else if (sh == 128) {
		rem = u128_cmp(u->sig, u128_make(1ull << 63, 0));
	} else {
		u128 tail;

		r.q = u128_shr(u->sig, (unsigned)sh);
		tail = u128_sub(u->sig, u128_shl(r.q, (unsigned)sh));
		if (u128_is_zero(tail))
			return r;
		rem = u128_cmp(tail, u128_shl(u128_make(0, 1),
					      (unsigned)sh - 1));
	}
	r.inexact = true;
	switch (rc) {
	case SF_RN:
		inc = rem > 0 || (rem == 0 && (r.q.lo & 1));
		break;
	case SF_RD:
		inc = u->sign;
		break;
	case SF_RU:
		inc = !u->sign;
		break;
	default:
		inc = false;
		break;
	}
	if (inc) {
		r.q = u128_add(r.q, u128_make(0, 1));
		r.up = true;
	}
	return r;
}

/* Masked overflow result: infinity or the largest finite number of the
 * precision, by rounding direction (SDM Vol. 1, 4.9.1.4). */
static struct fx80 overflow(struct sf_env *e, const struct sf_fmt *f,
			    unsigned prec, bool sign)
{
	bool to_inf = e->rc == SF_RN || (e->rc == SF_RU && !sign) ||
		      (e->rc == SF_RD && sign);
	struct unp u = { .cls = CL_INF, .sign = sign };
	uint64_t w = f->mbits + 1u;

	e->flags |= SF_OE | SF_PE;
	e->c1 = to_inf;
	if (to_inf)
		return sf_pack_special(f, &u);
	return sf_encode(f, sign, fmt_emax_raw(f) - 1,
		      low_bits(prec) << (w - prec));
}

/* Tininess is detected after rounding (SDM Vol. 1, 4.9.1.5): the result
 * rounded with an unbounded exponent is below the smallest normal. */
static bool is_tiny(const struct sf_env *e, const struct unp *u,
		    unsigned prec, int32_t emin)
{
	struct sf_rounded r;

	if (u->exp >= emin)
		return false;
	if (u->exp < emin - 1)
		return true;
	r = sf_round_at(u, u->exp - (int32_t)prec + 1, e->rc);
	return u128_is_zero(u128_shr(r.q, prec));
}

struct fx80 sf_pack_any(struct sf_env *e, const struct sf_fmt *f,
			unsigned prec, const struct unp *u)
{
	int32_t bias = fmt_bias(f), emin = 1 - bias;
	/* Denormals keep prec bit positions of the storage significand,
	 * counted from its top: with x87 precision control below 64 bits
	 * the low positions stay zero (SDM Vol. 1, 8.1.5.2). */
	int32_t dl = emin - (int32_t)prec + 1;
	int32_t sdl = emin - f->mbits; /* storage denormal lsb exponent */
	int32_t lsb = u->exp - (int32_t)prec + 1, top;
	struct sf_rounded r;
	bool tiny;
	unsigned msb;

	if (u->cls != CL_NORM)
		return sf_pack_special(f, u);
	tiny = is_tiny(e, u, prec, emin);
	if (lsb < dl)
		lsb = dl;
	r = sf_round_at(u, lsb, e->rc);
	if (tiny) {
		if (!(e->masks & SF_UE)) {
			e->flags |= SF_UE;
		} else if (e->ftz && !e->x87) {
			e->flags |= SF_UE | SF_PE;
			return sf_encode(f, u->sign, 0, 0);
		} else if (r.inexact) {
			e->flags |= SF_UE;
		}
	}
	if (r.inexact)
		e->flags |= SF_PE;
	e->c1 = r.up;
	if (u128_is_zero(r.q))
		return sf_encode(f, u->sign, 0, 0);
	msb = 127 - u128_clz(r.q);
	top = lsb + (int32_t)msb;
	if (top > bias)
		return overflow(e, f, prec, u->sign);
	if (top < emin)
		return sf_encode(f, u->sign, 0, r.q.lo << (lsb - sdl));
	if (msb > f->mbits)
		r.q = u128_shr(r.q, msb - f->mbits);
	else
		r.q = u128_shl(r.q, f->mbits - msb);
	return sf_encode(f, u->sign, (uint64_t)(top + bias), r.q.lo);
}

/* ---------------------------------------------------------------- */
/* Classification of raw encodings. */

bool f32_is_nan(uint32_t a)
{
	return (a & 0x7fffffffu) > 0x7f800000u;
}

bool f64_is_nan(uint64_t a)
{
	return (a & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

bool fx80_is_nan(struct fx80 a)
{
	return (a.se & 0x7fff) == 0x7fff && (a.m >> 63) &&
	       (a.m << 1);
}

bool fx80_is_snan(struct fx80 a)
{
	return fx80_is_nan(a) && !((a.m >> 62) & 1);
}

bool fx80_is_unsupported(struct fx80 a)
{
	return (a.se & 0x7fff) && !(a.m >> 63);
}
