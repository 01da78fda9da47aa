/* SPDX-License-Identifier: MIT */
/* VEX-only AVX/AVX2 data movement that stays in registers: broadcasts,
 * the VPERMIL, VPERM2x128 and cross-lane VPERMD/PS/Q/PD permutes, the
 * 128-bit lane inserts and extracts, VTESTPS/PD, VPBLENDD and the
 * per-element variable shifts (SDM Vol. 2, each instruction page). */
#include "engine/emu/sse.h"

#include <string.h>

/* ---------------------------------------------------------------- */
/* Broadcasts: VBROADCASTSS/SD (0F38 18/19), VPBROADCASTD/Q (58/59),
 * VPBROADCASTB/W (78/79). The source is the low element of an xmm
 * register (AVX2) or a memory operand of the element size. */

static unsigned bcast_size(unsigned op)
{
	switch (op) {
	case 0x78: return 1;
	case 0x79: return 2;
	case 0x18: case 0x58: return 4;
	default: return 8;
	}
}

SIMD(vx_bcast)
{
	unsigned n = bcast_size(s->in->op);
	uint8_t e[8];

	if (s->in->mod == 3)
		memcpy(e, simd_reg(s->cpu, s->in->rm)->b, n);
	else
		simd_read(s, 0, e, n);
	for (unsigned i = 0; i < s->len; i += n)
		memcpy(&s->r.b[i], e, n);
}

/* VBROADCASTF128 / VBROADCASTI128 (0F38 1A / 5A): m128 to both lanes. */
SIMD(vx_bcast128)
{
	memcpy(s->r.b, s->b.b, 16);
	memcpy(s->r.b + 16, s->b.b, 16);
}

/* ---------------------------------------------------------------- */
/* In-lane permutes. */

/* VPERMILPS/PD with a control vector (0F38 0C/0D): each element picks
 * from the same 128-bit lane of the first source by bits 1:0 (PS) or
 * bit 1 (PD) of its control element. */
SIMD(vx_permil_var)
{
	union emu_vec r;

	if (s->in->op == 0x0c) {
		for (unsigned i = 0; i < s->len / 4; i++)
			r.d[i] = s->a.d[(i & ~3u) + (s->b.d[i] & 3)];
	} else {
		for (unsigned i = 0; i < s->len / 8; i++)
			r.q[i] = s->a.q[(i & ~1u) + ((s->b.q[i] >> 1) & 1)];
	}
	s->r = r;
}

/* VPERMILPS/PD with imm8 (0F3A 04/05): PS uses the same four 2-bit
 * selectors in each lane, PD one bit per element. */
SIMD(vx_permil_imm)
{
	union emu_vec r;

	if (s->in->op == 0x04) {
		for (unsigned i = 0; i < s->len / 4; i++)
			r.d[i] = s->b.d[(i & ~3u) + ((s->imm >> (2 * (i & 3))) & 3)];
	} else {
		for (unsigned i = 0; i < s->len / 8; i++)
			r.q[i] = s->b.q[(i & ~1u) + ((s->imm >> i) & 1)];
	}
	s->r = r;
}

/* VPERM2F128/VPERM2I128 (0F3A 06/46): each result lane is one of the
 * four source lanes (imm8 bits 1:0 and 5:4) or zero (bits 3 and 7). */
SIMD(vx_perm2x128)
{
	union emu_vec r;

	for (unsigned k = 0; k < 2; k++) {
		unsigned c = (s->imm >> (4 * k)) & 0xf;
		const union emu_vec *src = c & 2 ? &s->b : &s->a;

		if (c & 8)
			memset(&r.b[16 * k], 0, 16);
		else
			memcpy(&r.b[16 * k], &src->b[16 * (c & 1)], 16);
	}
	s->r = r;
}

/* VPERMD/VPERMPS (0F38 36/16): dword i = b.d[a.d[i] & 7] across lanes
 * (the first source holds the indices). */
SIMD(vx_perm_d)
{
	union emu_vec r;

	for (unsigned i = 0; i < 8; i++)
		r.d[i] = s->b.d[s->a.d[i] & 7];
	s->r = r;
}

/* VPERMQ/VPERMPD (0F3A 00/01): qword i = b.q[imm8 bits 2i+1:2i]. */
SIMD(vx_perm_q)
{
	union emu_vec r;

	for (unsigned i = 0; i < 4; i++)
		r.q[i] = s->b.q[(s->imm >> (2 * i)) & 3];
	s->r = r;
}

/* ---------------------------------------------------------------- */
/* 128-bit lanes: VINSERTF128/I128 (0F3A 18/38) replace the lane imm8[0]
 * of the first source; VEXTRACTF128/I128 (19/39) store it to xmm/m128
 * (a register destination has bits 255:128 zeroed). */

SIMD(vx_insert128)
{
	s->r = s->a;
	memcpy(&s->r.b[16 * (s->imm & 1)], s->b.b, 16);
}

SIMD(vx_extract128)
{
	const union emu_vec *src = simd_reg(s->cpu, s->in->reg);
	union emu_vec v = { .q = { 0 } };

	memcpy(v.b, &src->b[16 * (s->imm & 1)], 16);
	if (s->in->mod != 3) {
		simd_write(s, 0, v.b, 16);
		return;
	}
	*simd_reg(s->cpu, s->in->rm) = v;
}

/* ---------------------------------------------------------------- */
/* VTESTPS/PD (0F38 0E/0F): PTEST on the sign bits only; AF OF PF SF
 * are cleared. */
SIMD(vx_test)
{
	bool pd = s->in->op == 0x0f;
	uint64_t sign = pd ? 1ull << 63 : 0x8000000080000000ull;
	uint64_t z = 0, c = 0;

	for (unsigned i = 0; i < s->len / 8; i++) {
		z |= s->a.q[i] & s->b.q[i] & sign;
		c |= ~s->a.q[i] & s->b.q[i] & sign;
	}
	emu_set_arith(s->cpu, RF_ARITH, (z ? 0 : RF_ZF) | (c ? 0 : RF_CF));
}

/* VPBLENDD (0F3A 02): imm8 bit i picks dword i from the second
 * source. */
SIMD(vx_pblendd)
{
	for (unsigned i = 0; i < s->len / 4; i++)
		s->r.d[i] = (s->imm >> i) & 1 ? s->b.d[i] : s->a.d[i];
}

/* ---------------------------------------------------------------- */
/* VPSRLVD/Q (0F38 45), VPSRAVD (46), VPSLLVD/Q (47): each element of
 * the first source shifted by the matching element of the second;
 * counts above the width give 0 (sign fill for VPSRAVD). */
SIMD(vx_shift_var)
{
	unsigned op = s->in->op;
	bool q = s->in->vex_w && op != 0x46;

	for (unsigned i = 0; i < s->len / (q ? 8 : 4); i++) {
		if (q) {
			uint64_t n = s->b.q[i], x = s->a.q[i];

			s->r.q[i] = n > 63 ? 0 : op == 0x45 ? x >> n : x << n;
			continue;
		}
		uint32_t n = s->b.d[i], x = s->a.d[i];

		if (op == 0x46) {
			uint32_t fill = x >> 31 ? ~0u : 0;

			s->r.d[i] = n > 31 ? fill :
				    n ? (x >> n) | (fill << (32 - n)) : x;
		} else {
			s->r.d[i] = n > 31 ? 0 : op == 0x45 ? x >> n : x << n;
		}
	}
}
