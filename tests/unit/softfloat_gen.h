/* SPDX-License-Identifier: MIT */
/* Operand generators of softfloat_test.c: random values biased towards
 * the interesting classes of each format, and constructed hard cases for
 * division and square root (exact results, results next to a rounding
 * midpoint, results at the ends of the exponent range), for binary32/64
 * and for the x87 extended format. Included once, by that test. */
#ifndef OPENHVF_TEST_SOFTFLOAT_GEN_H
#define OPENHVF_TEST_SOFTFLOAT_GEN_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/emu/softfloat.h"

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random value of a format with mbits fraction and ebits exponent
 * bits, biased towards the interesting classes. */
static uint64_t gen(unsigned mbits, unsigned ebits)
{
	uint64_t sign = (rnd() & 1) << (mbits + ebits);
	uint64_t fmask = (1ull << mbits) - 1, emax = (1ull << ebits) - 1;
	uint64_t frac = rnd() & fmask, e;

	switch (rnd() % 14) {
	case 0: return sign;
	case 1: return sign | emax << mbits;
	case 2: return sign | emax << mbits | 1ull << (mbits - 1) | frac;
	case 3: return sign | emax << mbits | ((frac >> 1) | 1);
	case 4: return sign | frac;
	case 5: return sign | 1ull << mbits | (rnd() & 1 ? fmask : 0);
	case 6: return sign | (emax - 1 - rnd() % 3) << mbits | frac;
	case 7: e = 1 + rnd() % (mbits + 2); return sign | e << mbits | frac;
	case 8: e = (emax >> 1) + rnd() % 40;
		return sign | e << mbits | (frac & ~(fmask >> (rnd() % 24)));
	case 9: return sign | (rnd() & 1 ? fmask : 1);
	default:
		e = (emax >> 1) - 20 + rnd() % 40;
		return sign | e << mbits | frac;
	}
}

/* A second operand, sometimes close to the first (cancellation,
 * equal values, sticky-bit cases). */
static uint64_t gen_near(uint64_t a, unsigned mbits, unsigned ebits)
{
	switch (rnd() % 6) {
	case 0: return a ^ (1ull << (mbits + ebits));
	case 1: return (a ^ (1ull << (mbits + ebits))) + (rnd() % 5) - 2;
	case 2: return a + (rnd() % 3) * (1ull << mbits);
	default: return gen(mbits, ebits);
	}
}

static uint32_t g32(void) { return (uint32_t)gen(23, 8); }
static uint64_t g64(void) { return gen(52, 11); }

static int64_t gen_int(void)
{
	int64_t v = (int64_t)rnd();

	switch (rnd() % 4) {
	case 0: return v >> (rnd() % 64);
	case 1: return (int64_t)(rnd() % 2000) - 1000;
	case 2: return (int64_t)((1ull << (rnd() % 64)) - rnd() % 3);
	default: return v;
	}
}

/* ---- hard cases for division and square root ---- */

typedef unsigned __int128 u128n;

static uint64_t top_bits(unsigned k)
{
	return (rnd() >> (64 - k)) | 1ull << (k - 1);
}

/* A / B (p-bit integers, B odd) within 63 / (B * 2^(p+1)) of Q / 2^(p+1)
 * with Q odd of p + 1 bits: next to a midpoint of p-bit numbers (an
 * exact midpoint is impossible). Q = r / B mod 2^(p+1) for a small odd
 * r makes Q * B - r divisible by 2^(p+1). p <= 63. */
static void hard_div(unsigned p, uint64_t *a, uint64_t *b)
{
	uint64_t mask = p == 63 ? ~0ull : (1ull << (p + 1)) - 1;

	for (;;) {
		uint64_t B = top_bits(p) | 1, inv = B, q;
		int64_t r = (int64_t)(rnd() % 64) * 2 - 63;

		for (int i = 0; i < 5; i++)
			inv *= 2 - B * inv; /* Newton: B * inv = 1 mod 2^64 */
		q = ((uint64_t)r * inv) & mask;
		if (!(q >> p))
			continue;
		*a = (uint64_t)(((u128n)q * B - (u128n)(__int128)r) >> (p + 1));
		*b = B;
		return;
	}
}

/* An odd square root of r (r = 1 mod 8) modulo 2^k, bit by bit: if
 * x^2 = r mod 2^(i+1), then x or x + 2^i squares to r mod 2^(i+2). */
static uint64_t mod_sqrt(uint64_t r, unsigned k)
{
	uint64_t x = 1;

	for (unsigned i = 2; i + 1 < k; i++)
		if (((x * x - r) >> (i + 1)) & 1)
			x += 1ull << i;
	return k == 64 ? x : x & ((1ull << k) - 1);
}

/* A (at most p bits) with sqrt(A * 2^(p+2)) within |r| / 2S of S, an
 * odd integer of p + 1 bits: next to a midpoint of p-bit numbers. The
 * square root is scaled by 2^((p+2)/2), so *scale returns p + 2. p <=
 * 62. */
static uint64_t hard_sqrt(unsigned p, unsigned *scale)
{
	unsigned k = p + 2;
	uint64_t lim = 1ull << p;

	for (;;) {
		int64_t r = (int64_t)(rnd() % 4096) * 8 + 1 - 16384;
		uint64_t x = mod_sqrt((uint64_t)r, k), half = 1ull << (k - 1);
		uint64_t mask = k == 64 ? ~0ull : (1ull << k) - 1;
		uint64_t c[4] = { x, (0 - x) & mask, x ^ half,
				  (0 - (x ^ half)) & mask };

		for (unsigned i = 0; i < 4; i++) {
			uint64_t s = c[(i + rnd()) & 3];

			if (s >= lim && s < 2 * lim) {
				*scale = k;
				return (uint64_t)(((u128n)s * s -
						   (u128n)(__int128)r) >> k);
			}
		}
	}
}

/* Encode sign * A * 2^e2 (A != 0) in a binary format, as a denormal or
 * the largest finite number when out of range. */
static uint64_t enc(unsigned mbits, unsigned ebits, bool sign, uint64_t A,
		    int e2)
{
	int top = 63 - __builtin_clzll(A), bias = (1 << (ebits - 1)) - 1;
	int e = e2 + top, emax = (1 << ebits) - 1;
	uint64_t s = (uint64_t)sign << (mbits + ebits), m;

	if (e > bias)
		return s | ((uint64_t)(emax - 1) << mbits |
			    ((1ull << mbits) - 1));
	if (e < 1 - bias) {
		int sh = (1 - bias - (int)mbits) - e2; /* right shift */

		m = sh >= 64 ? 0 : sh >= 0 ? A >> sh : A << -sh;
		return s | (m ? m : 1);
	}
	m = top > (int)mbits ? A >> (top - (int)mbits) :
	    A << ((int)mbits - top);
	return s | (uint64_t)(e + bias) << mbits | (m & ((1ull << mbits) - 1));
}

/* An exponent for the leading bit: mostly moderate, sometimes at the
 * ends of the range (denormal and overflowing results). */
static int pick_exp(unsigned ebits, unsigned p)
{
	int bias = (1 << (ebits - 1)) - 1;

	switch (rnd() % 6) {
	case 0: return 1 - bias - (int)(rnd() % (p + 2));
	case 1: return bias - (int)(rnd() % 4);
	case 2: return 1 - bias + (int)(rnd() % 4);
	default: return (int)(rnd() % 80) - 40;
	}
}

/* Division operands of a binary format: an exact quotient (a k-bit
 * times a (p-k)-bit significand), a quotient next to a midpoint, one
 * ulp away from either, at the ends of the exponent range, or random. */
static void gen_div(unsigned mbits, unsigned ebits, uint64_t *a, uint64_t *b)
{
	unsigned p = mbits + 1, k = 1 + rnd() % (p - 1);
	uint64_t A, B;
	int eb = pick_exp(ebits, p), ea = eb + (int)(rnd() % 9) - 4;
	bool sa = rnd() & 1, sb = rnd() & 1;

	switch (rnd() % 8) {
	case 0:
	case 1:
		B = top_bits(k);
		A = B * top_bits(p - k);
		break;
	case 2:
	case 3:
	case 4:
		hard_div(p, &A, &B);
		break;
	default:
		*a = gen(mbits, ebits);
		*b = gen_near(*a, mbits, ebits);
		return;
	}
	if (rnd() % 4 == 0)
		ea = pick_exp(ebits, p);
	*a = enc(mbits, ebits, sa, A, ea - (63 - __builtin_clzll(A)));
	*b = enc(mbits, ebits, sb, B, eb - (63 - __builtin_clzll(B)));
	if (rnd() % 4 == 0)
		*a += rnd() % 3 - 1; /* one ulp off */
}

/* Square root operands: an exact square, a root next to a midpoint,
 * one ulp off, any exponent parity and range, or random. */
static uint64_t gen_sqrt(unsigned mbits, unsigned ebits)
{
	unsigned p = mbits + 1, sc = 0;
	int e2 = 2 * ((int)(rnd() % 200) - 100);
	uint64_t A, s;

	switch (rnd() % 6) {
	case 0:
		s = top_bits(1 + rnd() % (p / 2));
		A = s * s;
		break;
	case 1:
	case 2:
		A = hard_sqrt(p, &sc);
		break;
	default:
		return gen(mbits, ebits);
	}
	if (rnd() % 3 == 0)
		e2 = pick_exp(ebits, p) & ~1;
	s = enc(mbits, ebits, false, A, e2 + (int)sc);
	if (rnd() % 4 == 0)
		s += rnd() % 3 - 1;
	return s;
}

/* ---- the x87 format: v[0] significand, v[1] sign and exponent ---- */

/* Zero, infinity, QNaN, SNaN, denormal, near the largest and smallest
 * exponents, short significands, or moderate. */
static void gen80(uint64_t *v)
{
	uint64_t s = (rnd() & 1) << 15, m = rnd() | 1ull << 63;

	switch (rnd() % 12) {
	case 0: v[0] = 0; v[1] = s; return;
	case 1: v[0] = 1ull << 63; v[1] = s | 0x7fff; return;
	case 2: v[0] = m | 1ull << 62; v[1] = s | 0x7fff; return;
	case 3: v[0] = (m & ~(1ull << 62)) | 1; v[1] = s | 0x7fff; return;
	case 4: v[0] = (m >> 1) >> (rnd() % 63); v[1] = s; return;
	case 5: v[0] = m; v[1] = s | (0x7ffe - rnd() % 3); return;
	case 6: v[0] = m; v[1] = s | (1 + rnd() % 3); return;
	case 7:
		v[0] = m & ~0ull << (rnd() % 64);
		v[1] = s | (16383 + rnd() % 9);
		return;
	default: v[0] = m; v[1] = s | (16383 - 40 + rnd() % 80); return;
	}
}

static void enc80(uint64_t *v, bool sign, uint64_t A, int e)
{
	int be = e + 16383;

	if (be < 1 || be > 0x7ffe) {
		gen80(v);
		return;
	}
	v[0] = A << __builtin_clzll(A);
	v[1] = (uint64_t)sign << 15 | (uint64_t)be;
}

/* FCW.PC of an x87 control word, as a significand width. */
static unsigned fcw_prec(uint32_t fcw)
{
	unsigned pc = (fcw >> 8) & 3;

	return pc == SF_PC24 ? 24 : pc == SF_PC53 ? 53 : 63;
}

/* x87 division operands (v[0..1] / v[2..3]); hard cases at the
 * precision control's width (63 bits for 64-bit precision, so there the
 * quotient is next to a representable number instead). */
static void gen_div80(uint64_t *v, uint32_t fcw)
{
	unsigned p = fcw_prec(fcw);
	uint64_t A, B;
	int eb = (int)(rnd() % 200) - 100;

	switch (rnd() % 4) {
	case 0:
		hard_div(p, &A, &B);
		break;
	case 1:
		B = top_bits(1 + rnd() % (p - 1));
		A = B * top_bits(p - (64 - (unsigned)__builtin_clzll(B)));
		break;
	default:
		gen80(v);
		gen80(v + 2);
		return;
	}
	if (rnd() % 4 == 0)
		eb = (rnd() & 1) ? 16383 - (int)(rnd() % 70) :
		     -16382 + (int)(rnd() % 70);
	enc80(v, rnd() & 1, A, (int)(rnd() % 9) - 4);
	enc80(v + 2, rnd() & 1, B, eb);
	if (rnd() % 4 == 0)
		v[0] += 1ull << (64 - p);
}

static void gen_sqrt80(uint64_t *v, uint32_t fcw)
{
	unsigned p = fcw_prec(fcw), sc = 0;
	uint64_t A, s;

	switch (rnd() % 5) {
	case 0:
		if (p > 62)
			p = 62;
		A = hard_sqrt(p, &sc);
		break;
	case 1:
		s = top_bits(1 + rnd() % (p / 2));
		A = s * s;
		break;
	case 2:
		/* 2^63 + 1 with an even exponent is 2^63 (2^63 + 1) / 2^63:
		 * its root is just below a 64-bit midpoint; all ones is
		 * just below 2^64. */
		v[0] = rnd() & 1 ? 0x8000000000000001ull : ~0ull;
		v[1] = 16383 + rnd() % 8;
		return;
	default:
		gen80(v);
		return;
	}
	enc80(v, false, A, 2 * ((int)(rnd() % 16000) - 8000) + (int)sc +
			   63 - __builtin_clzll(A));
	if (rnd() % 4 == 0)
		v[0] += 1ull << (64 - p);
}

#endif
