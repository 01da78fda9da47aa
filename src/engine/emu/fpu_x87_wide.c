/* SPDX-License-Identifier: MIT */
/* The intermediate format of the x87 transcendental instructions and
 * the glue they share (fpu_x87_exp2.c, fpu_x87_atan.c, fpu_x87_trig.c,
 * fpu_x87_log.c, dispatched by fpu_x87_trans.c):
 * integer-only arithmetic on 128-bit significands with a sticky bit,
 * the 67-bit truncation and rounding the hardware applies to some of
 * its intermediates
 * (docs/x87-transcendentals.md), and the final rounding to the
 * extended format by FCW.RC (SDM Vol. 1, 8.1.5.2: precision control
 * does not apply to the transcendentals). */
#include "engine/emu/fpu_x87_wide.h"

const wide w_one = { .cls = CL_NORM, .sig = { 1ull << 63, 0 } };

/* log2 e rounded to 128 bits. */
const wide w_log2e = { .cls = CL_NORM, .exp = 0,
	.sig = { 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e89ull } };

wide w_int(int64_t v)
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

wide w_neg(wide a)
{
	a.sign = !a.sign;
	return a;
}

wide w_scale(wide a, int32_t n)
{
	a.exp += n;
	return a;
}

static void w_jam(u128 *v, bool sticky)
{
	if (sticky)
		v->lo |= 1;
}

wide w_mul(wide a, wide b)
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

bool w_mag_ge(const wide *a, const wide *b)
{
	if (a->exp != b->exp)
		return a->exp > b->exp;
	return u128_cmp(a->sig, b->sig) >= 0;
}

wide w_add(wide a, wide b)
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

wide w_sub(wide a, wide b)
{
	return w_add(a, w_neg(b));
}

/* Restoring division, 128 quotient bits plus a sticky bit. */
wide w_div(wide a, wide b)
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

wide w_div_int(wide a, int64_t n)
{
	return w_div(a, w_int(n));
}

/* w truncated to 67 significant bits, as the hardware keeps some of
 * its intermediate results. */
wide w_trunc67(wide w)
{
	w.sig.lo &= ~0ull << 61;
	return w;
}

/* w truncated to 64 significant bits: an operand as a 64-bit
 * multiplier takes it. */
wide w_trunc64(wide w)
{
	w.sig.lo = 0;
	return w;
}

/* w rounded to nearest (ties to even) on the grid 2^(e - 63), the
 * 64-bit grid of a number in [2^e, 2^(e+1)): its k low bits dropped
 * (everything, to a signed zero, when the grid is coarser than w). */
wide w_round_grid(wide w, int32_t e)
{
	int32_t k = 64 + e - w.exp;
	u128 one = u128_make(0, 1), half, rest, unit;
	bool up;

	if (w.cls != CL_NORM || k <= 0)
		return w;
	if (k > 128 || (k == 128 && !(w.sig.lo | w.sig.hi << 1)))
		return w_special(CL_ZERO, w.sign);
	if (k == 128) {
		w.sig = u128_make(1ull << 63, 0);
		w.exp = e - 63;
		return w;
	}
	unit = u128_shl(one, (unsigned)k);
	half = u128_shr(unit, 1);
	rest = u128_sub(w.sig, u128_shl(u128_shr(w.sig, (unsigned)k),
					(unsigned)k));
	up = u128_cmp(rest, half) > 0 ||
	     (!u128_cmp(rest, half) && (u128_shr(w.sig, (unsigned)k).lo & 1));
	w.sig = u128_sub(w.sig, rest);
	if (up) {
		w.sig = u128_add(w.sig, unit);
		if (u128_is_zero(w.sig)) {
			w.sig = u128_make(1ull << 63, 0);
			w.exp++;
		}
	}
	if (u128_is_zero(w.sig))
		return w_special(CL_ZERO, w.sign);
	return w;
}

/* w rounded to nearest (ties to even) at bits significant bits, 64 <=
 * bits < 128: on the grid of w's own exponent, bits - 64 bits finer
 * than the 64-bit one. */
wide w_round_sig(wide w, unsigned bits)
{
	return w_round_grid(w, w.exp + 64 - (int32_t)bits);
}

/* w rounded to 67 significant bits, to nearest (ties to even): the
 * precision of the host's constants. */
wide w_round67(wide w)
{
	return w_round_sig(w, 67);
}

/* w rounded to 64 significant bits, to nearest (ties to even): how the
 * host rounds the intermediates its transcendental methods keep in an
 * extended-precision register. */
wide w_round64(wide w)
{
	return w_round_sig(w, 64);
}

/* c[0] + x (c[s] + x (... + x c[(n - 1) s])) with every step exact in
 * the 128-bit format: the host's polynomials where the precision of its
 * Horner steps does not show in the results (a stride s > 1 picks the
 * even or odd coefficients of a split polynomial). */
wide w_horner(const wide *c, int n, int s, wide x)
{
	wide p = c[(n - 1) * s];

	for (int k = n - 2; k >= 0; k--)
		p = w_add(c[k * s], w_mul(x, p));
	return p;
}

/* c[0] + x c[s] + ... + x^(n-1) c[(n-1) s] by Horner's rule with every
 * step RN64(c + trunc67(x p)): how the host evaluates the polynomials
 * of FSINCOS, FSIN, FCOS, the trig table's sin d, F2XM1's small path
 * and FPATAN's table path (measured on an Intel Xeon, family 6 model 207;
 * docs/x87-transcendentals.md). A stride s of 2 takes the even (c) or
 * odd (c + 1)
 * coefficients of a polynomial split by parity. */
wide w_horner_rn64(const wide *c, int n, int s, wide x)
{
	wide p = c[(n - 1) * s];

	for (int k = n - 2; k >= 0; k--)
		p = w_round64(w_add(c[k * s], w_trunc67(w_mul(x, p))));
	return p;
}

/* ---------------------------------------------------------------- */
/* Instruction glue. */

struct fx80 round_wide(struct sf_env *e, const wide *w)
{
	return x87_round(e, 64, w);
}

/* A result the host takes as is for a tiny operand, yet reports as
 * inexact: PE, and UE when it is denormal; C1 only says whether
 * rounding w itself went up. */
void mark_inexact(struct sf_env *e, struct fx80 r)
{
	if (!(e->flags & SF_PE))
		e->c1 = false;
	e->flags |= SF_PE;
	if (!(r.se & 0x7fff) && r.m)
		e->flags |= SF_UE;
}

struct fx80 as_inexact(struct sf_env *e, const wide *w)
{
	struct fx80 r = round_wide(e, w);

	mark_inexact(e, r);
	return r;
}

void x87_put(struct emu_cpu *cpu, unsigned i, struct sf_env *e,
	     struct fx80 v)
{
	if (x87_flags(cpu, e->flags, e->c1 && (e->flags & SF_PE)))
		x87_write(cpu, i, v);
}

/* NaN, unsupported and denormal operands shared by every instruction:
 * returns true (with *r set) when the result is decided here. */
bool special_nan(struct sf_env *e, struct fx80 a, struct fx80 b,
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

wide w_special(uint8_t cls, bool sign)
{
	return (wide){ .cls = cls, .sign = sign };
}
