/* SPDX-License-Identifier: MIT */
/* SIMD data movement: loads and stores of whole, scalar, low and high
 * parts, MOVD/MOVQ, non-temporal and masked stores, unpacks, packs,
 * shuffles, and the element inserts and extracts of SSE2/SSE4.1 (SDM
 * Vol. 2, the MOV* pages and the instruction pages named below). */
#include "engine/emu/sse.h"

#include <string.h>

static const union emu_vec zero_vec;

/* Register source of a store form: ModRM.reg. */
static const union emu_vec *src_reg(const struct simd *s)
{
	return simd_reg(s->cpu, s->in->reg);
}

/* Store the first n bytes of v to the r/m operand; a register
 * destination takes the legacy/VEX upper-bits rule. */
static void store_rm(struct simd *s, const union emu_vec *v, unsigned n)
{
	if (s->in->mod == 3) {
		if (s->mmx)
			simd_mm_set(s->cpu, s->in->rm, v->q[0]);
		else
			simd_put(s, s->in->rm, v);
		return;
	}
	if (s->flags & F_A)
		simd_align(s, n);
	else if (!s->vex && !s->mmx && n == 16 && !(s->flags & F_U))
		simd_align(s, 16);
	simd_write(s, 0, v->b, n);
}

/* MOVUPS/MOVAPS/MOVDQA/MOVDQU/LDDQU/MOVNTDQA/MOVQ mm loads: r = b. */
SIMD(mv_load)
{
	s->r = s->b;
}

/* MOVUPS/MOVAPS/MOVDQA/MOVDQU/MOVNTPS/MOVNTDQ/MOVNTQ/MOVQ mm stores. */
SIMD(mv_store)
{
	union emu_vec v = *src_reg(s);

	if (s->mmx)
		v.q[0] = simd_mm_get(s->cpu, s->in->reg);
	store_rm(s, &v, s->len);
}

/* F3/F2 0F 10: MOVSS/MOVSD load; the memory form zeroes the rest, the
 * register form merges into the first source (SDM Vol. 2B, MOVSS). */
SIMD(mv_10)
{
	bool ss = s->pfx == PFX_F3;

	if (s->in->mod != 3) {
		if (s->vex && s->in->vex_v)
			emu_raise(s->cpu, EXC_UD, 0);
		s->r = zero_vec;
	} else {
		s->r = s->a;
	}
	if (ss)
		s->r.d[0] = s->b.d[0];
	else
		s->r.q[0] = s->b.q[0];
}

/* F3/F2 0F 11: MOVSS/MOVSD store. */
SIMD(mv_11)
{
	const union emu_vec *src = src_reg(s);
	unsigned n = s->pfx == PFX_F3 ? 4 : 8;
	union emu_vec v;

	if (s->in->mod != 3) {
		if (s->vex && s->in->vex_v)
			emu_raise(s->cpu, EXC_UD, 0);
		simd_write(s, 0, src->b, n);
		return;
	}
	v = s->vex ? s->a : *simd_reg(s->cpu, s->in->rm);
	memcpy(v.b, src->b, n);
	simd_put(s, s->in->rm, &v);
}

/* 0F 12: MOVLPS/MOVLPD m64, MOVHLPS (register), MOVSLDUP (F3),
 * MOVDDUP (F2). */
SIMD(mv_12)
{
	union emu_vec b = s->b;

	s->r = s->a;
	switch (s->pfx) {
	case PFX_F3:
		for (unsigned i = 0; i < s->len / 4; i += 2)
			s->r.d[i] = s->r.d[i + 1] = b.d[i];
		return;
	case PFX_F2:
		if (s->in->mod != 3)
			simd_read(s, 0, b.b, s->len == 32 ? 32 : 8);
		else
			b = *simd_reg(s->cpu, s->in->rm);
		for (unsigned i = 0; i < s->len / 8; i += 2)
			s->r.q[i] = s->r.q[i + 1] = b.q[i];
		return;
	default:
		s->r.q[0] = s->in->mod == 3 ? b.q[1] : b.q[0];
		return;
	}
}

/* 0F 13 / 0F 17: MOVLPS/MOVLPD and MOVHPS/MOVHPD stores. */
SIMD(mv_13)
{
	simd_write(s, 0, &src_reg(s)->q[s->in->op == 0x17], 8);
}

/* 0F 16: MOVHPS/MOVHPD m64, MOVLHPS (register), MOVSHDUP (F3). */
SIMD(mv_16)
{
	s->r = s->a;
	if (s->pfx == PFX_F3) {
		for (unsigned i = 0; i < s->len / 4; i += 2)
			s->r.d[i] = s->r.d[i + 1] = s->b.d[i + 1];
		return;
	}
	s->r.q[1] = s->b.q[0];
}

/* 0F 6E: MOVD/MOVQ mm or xmm from r/m32 or r/m64. */
SIMD(mv_6e)
{
	unsigned size = s->in->opsize == 8 ? 8 : 4;

	s->r = zero_vec;
	s->r.q[0] = simd_rm_int(s, size);
}

/* 0F 7E: MOVD/MOVQ r/m32 or r/m64 from mm or xmm; F3: MOVQ xmm load. */
SIMD(mv_7e)
{
	unsigned size = s->in->opsize == 8 ? 8 : 4;
	uint64_t v = s->a.q[0];

	if (s->in->mod == 3)
		simd_gpr_set(s, s->in->rm, size, v);
	else
		simd_write(s, 0, &v, size);
}

/* F3 0F 7E: MOVQ xmm, xmm/m64 (zero-extends). */
SIMD(mv_movq_load)
{
	s->r = zero_vec;
	s->r.q[0] = s->b.q[0];
}

/* 0F D6: MOVQ xmm/m64, xmm (66); MOVQ2DQ (F3); MOVDQ2Q (F2). */
SIMD(mv_d6)
{
	struct emu_cpu *cpu = s->cpu;
	union emu_vec v = zero_vec;

	if (s->pfx == PFX_66) {
		v.q[0] = src_reg(s)->q[0];
		store_rm(s, &v, 8);
		return;
	}
	simd_check_mmx(cpu);
	simd_mmx_enter(cpu);
	if (s->pfx == PFX_F3) {
		v.q[0] = simd_mm_get(cpu, s->in->rm);
		simd_put(s, s->in->reg, &v);
	} else {
		simd_mm_set(cpu, s->in->reg, simd_reg(cpu, s->in->rm)->q[0]);
	}
}

/* MASKMOVQ / MASKMOVDQU: bytes of a whose mask byte in b has bit 7 set
 * go to DS:rDI (segment override allowed; SDM Vol. 2B, MASKMOVDQU). */
SIMD(mv_maskmov)
{
	uint64_t di = s->cpu->gpr[7] & emu_mask(s->in->adsize);

	for (unsigned i = 0; i < s->len; i++)
		if (s->b.b[i] & 0x80)
			emu_write(s->cpu, s->in->seg, (di + i) &
				  emu_mask(s->in->adsize), 1, s->a.b[i]);
}

/* ---------------------------------------------------------------- */
/* Unpacks and packs, per 128-bit lane (MMX: the 8-byte register). */

static void interleave(struct simd *s, unsigned esize, bool high)
{
	unsigned lane = s->len > 16 ? 16 : s->len, half = lane / 2;
	union emu_vec r;

	for (unsigned k = 0; k < s->len; k += lane)
		for (unsigned i = 0; i < half / esize; i++) {
			unsigned src = k + (high ? half : 0) + i * esize;

			memcpy(&r.b[k + 2 * i * esize], &s->a.b[src], esize);
			memcpy(&r.b[k + (2 * i + 1) * esize], &s->b.b[src],
			       esize);
		}
	s->r = r;
}

/* 0F 14/15 UNPCKL/HPS (4) and PD (8). */
SIMD(sh_unpckl) { interleave(s, s->pfx == PFX_66 ? 8 : 4, false); }
SIMD(sh_unpckh) { interleave(s, s->pfx == PFX_66 ? 8 : 4, true); }

/* 0F 60-62, 6C PUNPCKL*, 68-6A, 6D PUNPCKH*. */
static unsigned punpck_size(unsigned op)
{
	return (op & 0xc) == 0xc ? 8 : 1u << (op & 3);
}

SIMD(sh_punpckl) { interleave(s, punpck_size(s->in->op), false); }
SIMD(sh_punpckh) { interleave(s, punpck_size(s->in->op), true); }

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* 0F 63 PACKSSWB, 67 PACKUSWB, 6B PACKSSDW. */
SIMD(sh_pack)
{
	unsigned lane = s->len > 16 ? 16 : s->len;
	bool dw = s->in->op == 0x6b, us = s->in->op == 0x67;
	unsigned n = dw ? lane / 4 : lane / 2; /* source elements per lane */
	union emu_vec r;

	for (unsigned k = 0; k < s->len; k += lane)
		for (unsigned i = 0; i < 2 * n; i++) {
			const union emu_vec *v = i < n ? &s->a : &s->b;
			unsigned j = k / (dw ? 4 : 2) + i % n;
			unsigned o = k / (dw ? 2 : 1) + i;

			if (dw)
				r.sw[o] = (int16_t)clamp(v->sd[j], -32768, 32767);
			else if (us)
				r.b[o] = (uint8_t)clamp(v->sw[j], 0, 255);
			else
				r.sb[o] = (int8_t)clamp(v->sw[j], -128, 127);
		}
	s->r = r;
}

/* ---------------------------------------------------------------- */
/* Shuffles. */

/* 0F C6: SHUFPS / SHUFPD. */
SIMD(sh_shufps)
{
	union emu_vec r;

	for (unsigned k = 0; k < s->len / 4; k += 4) {
		if (s->pfx == PFX_66) {
			unsigned q = k / 2, sh = k / 2;

			r.q[q] = s->a.q[q + ((s->imm >> sh) & 1)];
			r.q[q + 1] = s->b.q[q + ((s->imm >> (sh + 1)) & 1)];
			continue;
		}
		r.d[k] = s->a.d[k + (s->imm & 3)];
		r.d[k + 1] = s->a.d[k + ((s->imm >> 2) & 3)];
		r.d[k + 2] = s->b.d[k + ((s->imm >> 4) & 3)];
		r.d[k + 3] = s->b.d[k + ((s->imm >> 6) & 3)];
	}
	s->r = r;
}

/* 0F 70: PSHUFW (mm), PSHUFD (66), PSHUFHW (F3), PSHUFLW (F2). */
SIMD(sh_pshuf)
{
	union emu_vec r = s->b;

	for (unsigned k = 0; k < s->len; k += 16) {
		for (unsigned i = 0; i < 4; i++) {
			unsigned sel = (s->imm >> (2 * i)) & 3;

			switch (s->pfx) {
			case PFX_66:
				r.d[k / 4 + i] = s->b.d[k / 4 + sel];
				break;
			case PFX_F3:
				r.w[k / 2 + 4 + i] = s->b.w[k / 2 + 4 + sel];
				break;
			default:
				r.w[k / 2 + i] = s->b.w[k / 2 + sel];
				break;
			}
		}
	}
	s->r = r;
}

/* ---------------------------------------------------------------- */
/* Element inserts and extracts. */

/* 0F C4 PINSRW: r32/m16 into word imm8. */
SIMD(sh_pinsrw)
{
	s->r = s->a;
	s->r.w[s->imm & (s->len / 2 - 1)] = (uint16_t)simd_rm_int(s, 2);
}

/* 0F C5 PEXTRW (register form): word imm8, zero-extended. */
SIMD(sh_pextrw)
{
	simd_gpr_set(s, s->in->reg, 8, s->b.w[s->imm & (s->len / 2 - 1)]);
}

/* 66 0F3A 14-17: PEXTRB, PEXTRW, PEXTRD/Q, EXTRACTPS to r/m. */
SIMD(sh_pextr)
{
	const union emu_vec *v = src_reg(s);
	unsigned size;
	uint64_t x;

	switch (s->in->op) {
	case 0x14: size = 1; x = v->b[s->imm & 15]; break;
	case 0x15: size = 2; x = v->w[s->imm & 7]; break;
	case 0x16:
		size = s->in->opsize == 8 ? 8 : 4;
		x = size == 8 ? v->q[s->imm & 1] : v->d[s->imm & 3];
		break;
	default: size = 4; x = v->d[s->imm & 3]; break;
	}
	if (s->in->mod == 3)
		simd_gpr_set(s, s->in->rm, s->in->opsize == 8 ? 8 : 4, x);
	else
		simd_write(s, 0, &x, size);
}

/* 66 0F3A 20 PINSRB, 22 PINSRD/Q. */
SIMD(sh_pinsr)
{
	s->r = s->a;
	if (s->in->op == 0x20) {
		s->r.b[s->imm & 15] = (uint8_t)simd_rm_int(s, 1);
	} else if (s->in->opsize == 8) {
		s->r.q[s->imm & 1] = simd_rm_int(s, 8);
	} else {
		s->r.d[s->imm & 3] = (uint32_t)simd_rm_int(s, 4);
	}
}

/* 66 0F3A 21 INSERTPS: source element imm8[7:6] (register form), target
 * imm8[5:4], zero mask imm8[3:0]. */
SIMD(sh_insertps)
{
	uint32_t v = s->in->mod == 3 ? s->b.d[(s->imm >> 6) & 3] : s->b.d[0];

	s->r = s->a;
	s->r.d[(s->imm >> 4) & 3] = v;
	for (unsigned i = 0; i < 4; i++)
		if ((s->imm >> i) & 1)
			s->r.d[i] = 0;
}

/* 0F 77: EMMS empties the x87 tags (SDM Vol. 2A, EMMS); under VEX,
 * VZEROUPPER (L=0) and VZEROALL (L=1) zero YMM0-15 in 64-bit mode but
 * only YMM0-7 outside it, where YMM8-15 are not addressable and keep
 * their contents (SDM Vol. 2C, VZEROALL and VZEROUPPER). */
SIMD(sh_emms)
{
	struct emu_cpu *cpu = s->cpu;
	unsigned n = cpu->mode == MODE_LONG ? 16 : 8;

	if (!s->vex) {
		simd_check_mmx(cpu);
		cpu->fpu.ftw = 0;
		return;
	}
	for (unsigned i = 0; i < n; i++) {
		union emu_vec *v = simd_reg(cpu, i);

		if (s->in->vex_l)
			memset(v->b, 0, 32);
		else
			memset(v->b + 16, 0, 16);
	}
}
