/* SPDX-License-Identifier: MIT */
/* SIMD integer lanes for MMX (8 bytes), SSE2..SSE4.2 (16) and AVX2 (32):
 * element-wise arithmetic, saturation, compares, logic, shifts, and the
 * SSSE3/SSE4.1 additions. Operations that work within 128-bit lanes
 * loop over s->len in steps of 16 (SDM Vol. 2, each instruction page). */
#include "engine/emu/sse.h"

static int64_t sat(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* Element-wise binary operation over n-bit lanes. */
#define EACH(name, bits, expr)                                            \
	SIMD(name)                                                        \
	{                                                                 \
		for (unsigned i = 0; i < s->len * 8 / (bits); i++) {      \
			const unsigned k = bits;                          \
			(void)k;                                          \
			expr;                                             \
		}                                                         \
	}

#define B(v) s->v.b[i]
#define SB(v) s->v.sb[i]
#define W(v) s->v.w[i]
#define SW(v) s->v.sw[i]
#define D(v) s->v.d[i]
#define SD(v) s->v.sd[i]
#define Q(v) s->v.q[i]
#define SQ(v) s->v.sq[i]

EACH(i_paddb, 8, B(r) = (uint8_t)(B(a) + B(b)))
EACH(i_paddw, 16, W(r) = (uint16_t)(W(a) + W(b)))
EACH(i_paddd, 32, D(r) = D(a) + D(b))
EACH(i_paddq, 64, Q(r) = Q(a) + Q(b))
EACH(i_psubb, 8, B(r) = (uint8_t)(B(a) - B(b)))
EACH(i_psubw, 16, W(r) = (uint16_t)(W(a) - W(b)))
EACH(i_psubd, 32, D(r) = D(a) - D(b))
EACH(i_psubq, 64, Q(r) = Q(a) - Q(b))
EACH(i_paddsb, 8, SB(r) = (int8_t)sat(SB(a) + SB(b), -128, 127))
EACH(i_paddsw, 16, SW(r) = (int16_t)sat(SW(a) + SW(b), -32768, 32767))
EACH(i_psubsb, 8, SB(r) = (int8_t)sat(SB(a) - SB(b), -128, 127))
EACH(i_psubsw, 16, SW(r) = (int16_t)sat(SW(a) - SW(b), -32768, 32767))
EACH(i_paddusb, 8, B(r) = (uint8_t)sat(B(a) + B(b), 0, 255))
EACH(i_paddusw, 16, W(r) = (uint16_t)sat(W(a) + W(b), 0, 65535))
EACH(i_psubusb, 8, B(r) = (uint8_t)sat(B(a) - B(b), 0, 255))
EACH(i_psubusw, 16, W(r) = (uint16_t)sat(W(a) - W(b), 0, 65535))
EACH(i_pcmpeqb, 8, B(r) = B(a) == B(b) ? 0xff : 0)
EACH(i_pcmpeqw, 16, W(r) = W(a) == W(b) ? 0xffff : 0)
EACH(i_pcmpeqd, 32, D(r) = D(a) == D(b) ? ~0u : 0)
EACH(i_pcmpeqq, 64, Q(r) = Q(a) == Q(b) ? ~0ull : 0)
EACH(i_pcmpgtb, 8, B(r) = SB(a) > SB(b) ? 0xff : 0)
EACH(i_pcmpgtw, 16, W(r) = SW(a) > SW(b) ? 0xffff : 0)
EACH(i_pcmpgtd, 32, D(r) = SD(a) > SD(b) ? ~0u : 0)
EACH(i_pcmpgtq, 64, Q(r) = SQ(a) > SQ(b) ? ~0ull : 0)
EACH(i_pmullw, 16, W(r) = (uint16_t)(SW(a) * SW(b)))
EACH(i_pmulhw, 16, W(r) = (uint16_t)((SW(a) * SW(b)) >> 16))
EACH(i_pmulhuw, 16, W(r) = (uint16_t)(((uint32_t)W(a) * W(b)) >> 16))
EACH(i_pmulld, 32, D(r) = (uint32_t)((int64_t)SD(a) * SD(b)))
EACH(i_pmuludq, 64, Q(r) = (uint64_t)(uint32_t)Q(a) * (uint32_t)Q(b))
EACH(i_pmuldq, 64, SQ(r) = (int64_t)(int32_t)Q(a) * (int32_t)Q(b))
EACH(i_pavgb, 8, B(r) = (uint8_t)((B(a) + B(b) + 1) >> 1))
EACH(i_pavgw, 16, W(r) = (uint16_t)((W(a) + W(b) + 1) >> 1))
EACH(i_pminub, 8, B(r) = B(a) < B(b) ? B(a) : B(b))
EACH(i_pmaxub, 8, B(r) = B(a) > B(b) ? B(a) : B(b))
EACH(i_pminsw, 16, SW(r) = SW(a) < SW(b) ? SW(a) : SW(b))
EACH(i_pmaxsw, 16, SW(r) = SW(a) > SW(b) ? SW(a) : SW(b))
EACH(i_pminsb, 8, SB(r) = SB(a) < SB(b) ? SB(a) : SB(b))
EACH(i_pmaxsb, 8, SB(r) = SB(a) > SB(b) ? SB(a) : SB(b))
EACH(i_pminuw, 16, W(r) = W(a) < W(b) ? W(a) : W(b))
EACH(i_pmaxuw, 16, W(r) = W(a) > W(b) ? W(a) : W(b))
EACH(i_pminsd, 32, SD(r) = SD(a) < SD(b) ? SD(a) : SD(b))
EACH(i_pmaxsd, 32, SD(r) = SD(a) > SD(b) ? SD(a) : SD(b))
EACH(i_pminud, 32, D(r) = D(a) < D(b) ? D(a) : D(b))
EACH(i_pmaxud, 32, D(r) = D(a) > D(b) ? D(a) : D(b))
EACH(i_pand, 64, Q(r) = Q(a) & Q(b))
EACH(i_pandn, 64, Q(r) = ~Q(a) & Q(b))
EACH(i_por, 64, Q(r) = Q(a) | Q(b))
EACH(i_pxor, 64, Q(r) = Q(a) ^ Q(b))
EACH(i_pabsb, 8, B(r) = (uint8_t)(SB(b) < 0 ? -SB(b) : SB(b)))
EACH(i_pabsw, 16, W(r) = (uint16_t)(SW(b) < 0 ? -SW(b) : SW(b)))
EACH(i_pabsd, 32, D(r) = SD(b) < 0 ? 0u - D(b) : D(b))
EACH(i_psignb, 8, SB(r) = (int8_t)(SB(b) < 0 ? -SB(a) : SB(b) ? SB(a) : 0))
EACH(i_psignw, 16,
     SW(r) = (int16_t)(SW(b) < 0 ? -SW(a) : SW(b) ? SW(a) : 0))
EACH(i_psignd, 32,
     D(r) = SD(b) < 0 ? 0u - D(a) : SD(b) ? D(a) : 0)
EACH(i_pmulhrsw, 16,
     SW(r) = (int16_t)((((int32_t)SW(a) * SW(b) >> 14) + 1) >> 1))

/* PMADDWD: pairs of signed word products summed into dwords; the sum
 * wraps (0x8000*0x8000 twice) as on hardware, so add unsigned. */
EACH(i_pmaddwd, 32,
     D(r) = (uint32_t)((int32_t)s->a.sw[2 * i] * s->b.sw[2 * i]) +
	    (uint32_t)((int32_t)s->a.sw[2 * i + 1] * s->b.sw[2 * i + 1]))

/* PMADDUBSW: unsigned bytes of a times signed bytes of b, pairs summed
 * with signed saturation. */
EACH(i_pmaddubsw, 16,
     SW(r) = (int16_t)sat((int32_t)s->a.b[2 * i] * s->b.sb[2 * i] +
			  (int32_t)s->a.b[2 * i + 1] * s->b.sb[2 * i + 1],
			  -32768, 32767))

/* PSADBW: sums of absolute byte differences per 64-bit lane. */
SIMD(i_psadbw)
{
	for (unsigned q = 0; q < s->len / 8; q++) {
		unsigned sum = 0;

		for (unsigned i = 0; i < 8; i++) {
			int d = s->a.b[8 * q + i] - s->b.b[8 * q + i];

			sum += (unsigned)(d < 0 ? -d : d);
		}
		s->r.q[q] = sum;
	}
}

/* ---------------------------------------------------------------- */
/* Shifts (SDM Vol. 2B, PSLLW/PSRLW/PSRAW and friends). */

enum { SH_RL, SH_RA, SH_LL };

static void shift_lanes(union emu_vec *r, const union emu_vec *v,
			unsigned len, unsigned bits, int kind, uint64_t n)
{
	for (unsigned i = 0; i < len * 8 / bits; i++) {
		uint64_t x, m = bits == 64 ? ~0ull : (1ull << bits) - 1;
		int64_t sx;

		x = bits == 16 ? v->w[i] : bits == 32 ? v->d[i] : v->q[i];
		sx = bits == 16 ? v->sw[i] : bits == 32 ? v->sd[i] : v->sq[i];
		if (kind == SH_RA)
			x = (uint64_t)(sx >> (n >= bits ? bits - 1 : n));
		else if (n >= bits)
			x = 0;
		else
			x = kind == SH_LL ? x << n : x >> n;
		x &= m;
		if (bits == 16)
			r->w[i] = (uint16_t)x;
		else if (bits == 32)
			r->d[i] = (uint32_t)x;
		else
			r->q[i] = x;
	}
}

/* Shift counts from an xmm/m128 (or mm/m64) operand: D1-D3, E1-E2,
 * F1-F3; the whole low quadword is the count. */
SIMD(i_shift_xmm)
{
	unsigned op = s->in->op;
	unsigned bits = 16u << ((op & 3) - 1);
	int kind = (op >> 4) == 0xd ? SH_RL : (op >> 4) == 0xe ? SH_RA : SH_LL;

	shift_lanes(&s->r, &s->a, s->len, bits, kind, s->b.q[0]);
}

/* Groups 12-14 (0F 71-73 /r ib): the register operand is shifted by
 * imm8 in place (VEX: result to vvvv); /3 and /7 of group 14 are the
 * byte shifts PSRLDQ/PSLLDQ (66 only). */
static void byte_shift(union emu_vec *r, const union emu_vec *v,
		       unsigned len, unsigned n, bool left)
{
	for (unsigned k = 0; k < len; k += 16)
		for (unsigned i = 0; i < 16; i++) {
			int j = left ? (int)i - (int)n : (int)(i + n);

			r->b[k + i] = j >= 0 && j < 16 ? v->b[k + j] : 0;
		}
}

SIMD(i_shift_imm)
{
	unsigned grp = s->in->op - 0x71, sub = s->in->reg & 7;
	union emu_vec v, r = { .q = { 0 } };
	int kind = sub == 2 ? SH_RL : sub == 4 ? SH_RA : SH_LL;

	if (sub != 2 && sub != 4 && sub != 6 &&
	    !(grp == 2 && (sub == 3 || sub == 7) && s->pfx == PFX_66))
		emu_raise(s->cpu, EXC_UD, 0);
	if (grp == 2 && sub == 4)
		emu_raise(s->cpu, EXC_UD, 0);
	if (s->mmx)
		v.q[0] = simd_mm_get(s->cpu, s->in->rm);
	else
		v = *simd_reg(s->cpu, s->in->rm);
	if (sub == 3 || sub == 7)
		byte_shift(&r, &v, s->len, s->imm, sub == 7);
	else
		shift_lanes(&r, &v, s->len, 16u << grp, kind, s->imm);
	if (s->mmx)
		simd_mm_set(s->cpu, s->in->rm, r.q[0]);
	else
		simd_put(s, s->vex ? s->in->vex_v : s->in->rm, &r);
}

/* PMOVMSKB: byte sign bits to a general-purpose register. */
SIMD(i_pmovmskb)
{
	uint64_t m = 0;

	for (unsigned i = 0; i < s->len; i++)
		m |= (uint64_t)(s->b.b[i] >> 7) << i;
	simd_gpr_set(s, s->in->reg, 8, m);
}

/* ---------------------------------------------------------------- */
/* SSSE3 (SDM Vol. 2B, PSHUFB, PHADDW, PALIGNR ...). */

/* PSHUFB: index bits 3:0 (2:0 for MMX) within the 128-bit lane; bit 7
 * zeroes. */
SIMD(i_pshufb)
{
	unsigned lane = s->len > 16 ? 16 : s->len;

	for (unsigned i = 0; i < s->len; i++) {
		unsigned base = i & ~(lane - 1), c = s->b.b[i];

		s->r.b[i] = c & 0x80 ? 0 : s->a.b[base + (c & (lane - 1))];
	}
}

/* Horizontal word/dword add/sub: per lane, pairs of a then pairs of b.
 * op: 0 wrap add, 1 wrap sub, 2 saturating add, 3 saturating sub. */
static void hop(struct simd *s, unsigned bits, int op)
{
	unsigned lane = s->len > 16 ? 16 : s->len, n = lane * 8 / bits;
	union emu_vec r;

	for (unsigned k = 0; k < s->len; k += lane)
		for (unsigned i = 0; i < n; i++) {
			const union emu_vec *src = i < n / 2 ? &s->a : &s->b;
			unsigned j = (k * 8 / bits) + 2 * (i % (n / 2));
			unsigned o = k * 8 / bits + i;
			int64_t x, y, v;

			x = bits == 16 ? src->sw[j] : src->sd[j];
			y = bits == 16 ? src->sw[j + 1] : src->sd[j + 1];
			v = op & 1 ? x - y : x + y;
			if (op >= 2)
				v = sat(v, -32768, 32767);
			if (bits == 16)
				r.w[o] = (uint16_t)v;
			else
				r.d[o] = (uint32_t)v;
		}
	s->r = r;
}

/* 0F38 01-03 PHADDW/D/SW, 05-07 PHSUBW/D/SW. */
SIMD(i_phadd)
{
	unsigned o = s->in->op & 3;

	hop(s, o == 2 ? 32 : 16, o == 3 ? 2 : 0);
}

SIMD(i_phsub)
{
	unsigned o = s->in->op & 3;

	hop(s, o == 2 ? 32 : 16, o == 3 ? 3 : 1);
}

/* PALIGNR: per lane, (a:b) >> imm8 bytes. */
SIMD(i_palignr)
{
	unsigned lane = s->len > 16 ? 16 : s->len;

	for (unsigned k = 0; k < s->len; k += lane)
		for (unsigned i = 0; i < lane; i++) {
			unsigned j = i + s->imm;

			s->r.b[k + i] = j < lane ? s->b.b[k + j] :
					j < 2 * lane ? s->a.b[k + j - lane] : 0;
		}
}

/* ---------------------------------------------------------------- */
/* SSE4.1 (SDM Vol. 2B, PACKUSDW, PTEST, PMOVSX/ZX, PHMINPOSUW ...). */

SIMD(i_packusdw)
{
	union emu_vec r;

	for (unsigned k = 0; k < s->len / 2; k += 8)
		for (unsigned i = 0; i < 4; i++) {
			r.w[k + i] = (uint16_t)sat(s->a.sd[k / 2 + i], 0, 65535);
			r.w[k + 4 + i] = (uint16_t)sat(s->b.sd[k / 2 + i], 0,
						       65535);
		}
	s->r = r;
}

/* PTEST / VPTEST: ZF = (a AND b) == 0, CF = (NOT a AND b) == 0. */
SIMD(i_ptest)
{
	uint64_t z = 0, c = 0;

	for (unsigned i = 0; i < s->len / 8; i++) {
		z |= s->a.q[i] & s->b.q[i];
		c |= ~s->a.q[i] & s->b.q[i];
	}
	emu_set_arith(s->cpu, RF_ARITH, (z ? 0 : RF_ZF) | (c ? 0 : RF_CF));
}

/* PMOVSX/PMOVZX 0F38 20-25 / 30-35: element widths from the opcode. */
SIMD(i_pmovx)
{
	static const uint8_t from[6] = { 1, 1, 1, 2, 2, 4 };
	static const uint8_t to[6] = { 2, 4, 8, 4, 8, 8 };
	unsigned k = s->in->op & 7, f = from[k], t = to[k];
	bool sx = !(s->in->op & 0x10);
	union emu_vec r;

	for (unsigned i = 0; i < s->len / t; i++) {
		uint64_t v = 0;
		int64_t sv;

		for (unsigned j = 0; j < f; j++)
			v |= (uint64_t)s->b.b[i * f + j] << (8 * j);
		sv = (int64_t)(v << (64 - 8 * f)) >> (64 - 8 * f);
		if (sx)
			v = (uint64_t)sv;
		for (unsigned j = 0; j < t; j++)
			r.b[i * t + j] = (uint8_t)(v >> (8 * j));
	}
	s->r = r;
}

/* PHMINPOSUW: minimum unsigned word and its index, rest zero. */
SIMD(i_phminposuw)
{
	unsigned idx = 0;

	for (unsigned i = 1; i < 8; i++)
		if (s->b.w[i] < s->b.w[idx])
			idx = i;
	s->r = (union emu_vec){ .q = { 0 } };
	s->r.w[0] = s->b.w[idx];
	s->r.w[1] = (uint16_t)idx;
}

/* PBLENDW (66 0F3A 0E): imm8 bit (i mod 8) picks b. */
SIMD(i_pblendw)
{
	for (unsigned i = 0; i < s->len / 2; i++)
		s->r.w[i] = (s->imm >> (i & 7)) & 1 ? s->b.w[i] : s->a.w[i];
}

/* MPSADBW (66 0F3A 42): eight sums of absolute differences of 4-byte
 * blocks per 128-bit lane; the second lane uses imm8[5:3]. */
SIMD(i_mpsadbw)
{
	union emu_vec r;

	for (unsigned k = 0; k < s->len; k += 16) {
		unsigned sh = k ? 3 : 0;
		unsigned ao = k + ((s->imm >> (2 + sh)) & 1) * 4;
		unsigned bo = k + ((s->imm >> sh) & 3) * 4;

		for (unsigned i = 0; i < 8; i++) {
			unsigned sum = 0;

			for (unsigned j = 0; j < 4; j++) {
				int d = s->a.b[ao + i + j] - s->b.b[bo + j];

				sum += (unsigned)(d < 0 ? -d : d);
			}
			r.w[k / 2 + i] = (uint16_t)sum;
		}
	}
	s->r = r;
}
