/* SPDX-License-Identifier: MIT */
/* SIMD floating point: packed and scalar arithmetic, compares,
 * conversions, rounding, dot products and blends of SSE..SSE4.1 and
 * their VEX forms. The mandatory prefix selects PS (none), PD (66), SS
 * (F3) or SD (F2) (SDM Vol. 2D, Table A-3). Every result comes from the
 * soft-float code with the MXCSR environment in s->env. */
#include "engine/emu/sse.h"

typedef uint32_t (*op32)(struct sf_env *e, uint32_t a, uint32_t b);
typedef uint64_t (*op64)(struct sf_env *e, uint64_t a, uint64_t b);

static void binop(struct simd *s, op32 f, op64 g)
{
	struct sf_env *e = &s->env;

	s->r = s->a;
	switch (s->pfx) {
	case PFX_NP:
		for (unsigned i = 0; i < s->len / 4; i++)
			s->r.d[i] = f(e, s->a.d[i], s->b.d[i]);
		break;
	case PFX_66:
		for (unsigned i = 0; i < s->len / 8; i++)
			s->r.q[i] = g(e, s->a.q[i], s->b.q[i]);
		break;
	case PFX_F3:
		s->r.d[0] = f(e, s->a.d[0], s->b.d[0]);
		break;
	default:
		s->r.q[0] = g(e, s->a.q[0], s->b.q[0]);
		break;
	}
}

SIMD(fp_add) { binop(s, f32_add, f64_add); }
SIMD(fp_sub) { binop(s, f32_sub, f64_sub); }
SIMD(fp_mul) { binop(s, f32_mul, f64_mul); }
SIMD(fp_div) { binop(s, f32_div, f64_div); }
SIMD(fp_min) { binop(s, f32_min, f64_min); }
SIMD(fp_max) { binop(s, f32_max, f64_max); }

static uint32_t sqrt32(struct sf_env *e, uint32_t a, uint32_t b)
{
	(void)a;
	return f32_sqrt(e, b);
}

static uint64_t sqrt64(struct sf_env *e, uint64_t a, uint64_t b)
{
	(void)a;
	return f64_sqrt(e, b);
}

SIMD(fp_sqrt) { binop(s, sqrt32, sqrt64); }

/* RCPPS/RSQRTPS: Intel's approximations (sse_rcp.c), no MXCSR input
 * or flags. */
static uint32_t rcp32(struct sf_env *e, uint32_t a, uint32_t b)
{
	(void)e;
	(void)a;
	return sse_rcp32(b);
}

static uint32_t rsqrt32(struct sf_env *e, uint32_t a, uint32_t b)
{
	(void)e;
	(void)a;
	return sse_rsqrt32(b);
}

SIMD(fp_rcp) { binop(s, rcp32, NULL); }
SIMD(fp_rsqrt) { binop(s, rsqrt32, NULL); }

/* CMPPS/PD/SS/SD imm8: 3 bits legacy, 5 bits VEX (SDM Vol. 2A, CMPPS). */
SIMD(fp_cmp)
{
	unsigned imm = s->vex ? s->imm & 31 : s->imm & 7;
	struct sf_env *e = &s->env;
	unsigned n = s->pfx == PFX_NP ? s->len / 4 : s->pfx == PFX_66 ?
		     s->len / 8 : 1;

	s->r = s->a;
	for (unsigned i = 0; i < n; i++) {
		if (s->pfx == PFX_NP || s->pfx == PFX_F3)
			s->r.d[i] = f32_cmp_pred(e, s->a.d[i], s->b.d[i], imm) ?
				    ~0u : 0;
		else
			s->r.q[i] = f64_cmp_pred(e, s->a.q[i], s->b.q[i], imm) ?
				    ~0ull : 0;
	}
}

/* COMISS/UCOMISS/COMISD/UCOMISD: ZF PF CF = 111 unordered, 000 greater,
 * 001 less, 100 equal; OF SF AF cleared (SDM Vol. 2A, COMISS). */
SIMD(fp_comi)
{
	bool sig = s->in->op == 0x2f;
	int rel;
	uint64_t fl;

	if (s->pfx == PFX_66)
		rel = f64_compare(&s->env, s->a.q[0], s->b.q[0], sig);
	else
		rel = f32_compare(&s->env, s->a.d[0], s->b.d[0], sig);
	simd_fp_done(s);
	fl = rel == SF_UN ? RF_ZF | RF_PF | RF_CF : rel == SF_LT ? RF_CF :
	     rel == SF_EQ ? RF_ZF : 0;
	emu_set_arith(s->cpu, RF_ARITH, fl);
}

/* ADDSUBPS/PD (SSE3): even lanes subtract, odd lanes add. */
SIMD(fp_addsub)
{
	struct sf_env *e = &s->env;

	if (s->pfx == PFX_66) {
		for (unsigned i = 0; i < s->len / 8; i++)
			s->r.q[i] = i & 1 ? f64_add(e, s->a.q[i], s->b.q[i]) :
				    f64_sub(e, s->a.q[i], s->b.q[i]);
		return;
	}
	for (unsigned i = 0; i < s->len / 4; i++)
		s->r.d[i] = i & 1 ? f32_add(e, s->a.d[i], s->b.d[i]) :
			    f32_sub(e, s->a.d[i], s->b.d[i]);
}

/* HADDPS/HSUBPS/HADDPD/HSUBPD (SSE3), per 128-bit lane. */
static void horiz(struct simd *s, op32 f, op64 g)
{
	struct sf_env *e = &s->env;

	for (unsigned k = 0; k < s->len / 4; k += 4) {
		if (s->pfx == PFX_66) {
			unsigned q = k / 2;

			s->r.q[q] = g(e, s->a.q[q], s->a.q[q + 1]);
			s->r.q[q + 1] = g(e, s->b.q[q], s->b.q[q + 1]);
			continue;
		}
		s->r.d[k] = f(e, s->a.d[k], s->a.d[k + 1]);
		s->r.d[k + 1] = f(e, s->a.d[k + 2], s->a.d[k + 3]);
		s->r.d[k + 2] = f(e, s->b.d[k], s->b.d[k + 1]);
		s->r.d[k + 3] = f(e, s->b.d[k + 2], s->b.d[k + 3]);
	}
}

SIMD(fp_hadd) { horiz(s, f32_add, f64_add); }
SIMD(fp_hsub) { horiz(s, f32_sub, f64_sub); }

/* ROUNDPS/PD/SS/SD (66 0F3A 08-0B): imm8[1:0] rounding, [2] use MXCSR.RC,
 * [3] suppress the precision exception (SDM Vol. 2B, ROUNDPS). */
SIMD(fp_round)
{
	unsigned rc = s->imm & 4 ? s->env.rc : s->imm & 3;
	bool no_pe = s->imm & 8;
	struct sf_env *e = &s->env;

	s->r = s->a;
	switch (s->in->op) {
	case 0x08:
		for (unsigned i = 0; i < s->len / 4; i++)
			s->r.d[i] = f32_round_int(e, s->b.d[i], rc, no_pe);
		break;
	case 0x09:
		for (unsigned i = 0; i < s->len / 8; i++)
			s->r.q[i] = f64_round_int(e, s->b.q[i], rc, no_pe);
		break;
	case 0x0a:
		s->r.d[0] = f32_round_int(e, s->b.d[0], rc, no_pe);
		break;
	default:
		s->r.q[0] = f64_round_int(e, s->b.q[0], rc, no_pe);
		break;
	}
}

/* DPPS (66 0F3A 40): per 128-bit lane, products selected by imm8[7:4]
 * (others +0.0), summed pairwise, the sum written to the lanes selected
 * by imm8[3:0], the others zeroed (SDM Vol. 2A, DPPS). The SDM writes
 * one sum (p0 + p1) + (p2 + p3); the operand order only shows in which
 * of two NaNs comes out (an SSE add returns the first source's, SDM
 * Vol. 1, Table 4-7), and Intel CPUs compute a butterfly in which each
 * result lane j has its own order: t[j] = p[j^1] + p[j], then
 * t[j] + t[j^2]; products are a * b. Measured on the host with NaN
 * payloads in every lane. The flags are those of one sum (the lanes
 * add the same values), raised even when imm8[3:0] selects no lane. */
SIMD(fp_dpps)
{
	struct sf_env *e = &s->env;

	for (unsigned k = 0; k < s->len / 4; k += 4) {
		uint32_t p[4], t[4];

		for (unsigned i = 0; i < 4; i++)
			p[i] = (s->imm >> (4 + i)) & 1 ?
			       f32_mul(e, s->a.d[k + i], s->b.d[k + i]) : 0;
		for (unsigned j = 0; j < 4; j++)
			t[j] = f32_add(e, p[j ^ 1], p[j]);
		for (unsigned j = 0; j < 4; j++) {
			uint32_t sum = f32_add(e, t[j], t[j ^ 2]);

			s->r.d[k + j] = (s->imm >> j) & 1 ? sum : 0;
		}
	}
}

/* DPPD (66 0F3A 41): result lane j is p[j] + p[j^1] (measured as for
 * DPPS: the opposite order of DPPS's first step). */
SIMD(fp_dppd)
{
	struct sf_env *e = &s->env;
	uint64_t p[2];

	for (unsigned i = 0; i < 2; i++)
		p[i] = (s->imm >> (4 + i)) & 1 ?
		       f64_mul(e, s->a.q[i], s->b.q[i]) : 0;
	for (unsigned j = 0; j < 2; j++) {
		uint64_t sum = f64_add(e, p[j], p[j ^ 1]);

		s->r.q[j] = (s->imm >> j) & 1 ? sum : 0;
	}
}

/* ---------------------------------------------------------------- */
/* Conversions (SDM Vol. 2A, CVT*). */

/* 0F 5A: CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS. */
SIMD(cvt_5a)
{
	struct sf_env *e = &s->env;
	union emu_vec r = { .q = { 0 } };

	switch (s->pfx) {
	case PFX_NP:
		for (unsigned i = 0; i < s->len / 8; i++)
			r.q[i] = f32_to_f64(e, s->b.d[i]);
		break;
	case PFX_66:
		for (unsigned i = 0; i < s->len / 8; i++)
			r.d[i] = f64_to_f32(e, s->b.q[i]);
		break;
	case PFX_F3:
		r = s->a;
		r.q[0] = f32_to_f64(e, s->b.d[0]);
		break;
	default:
		r = s->a;
		r.d[0] = f64_to_f32(e, s->b.q[0]);
		break;
	}
	s->r = r;
}

/* 0F 5B: CVTDQ2PS, CVTPS2DQ (66), CVTTPS2DQ (F3). */
SIMD(cvt_5b)
{
	struct sf_env *e = &s->env;

	for (unsigned i = 0; i < s->len / 4; i++) {
		if (s->pfx == PFX_NP)
			s->r.d[i] = i64_to_f32(e, s->b.sd[i]);
		else
			s->r.sd[i] = f32_to_i32(e, s->b.d[i],
						s->pfx == PFX_F3);
	}
}

/* 0F E6: CVTTPD2DQ (66), CVTDQ2PD (F3), CVTPD2DQ (F2). */
SIMD(cvt_e6)
{
	struct sf_env *e = &s->env;
	union emu_vec r = { .q = { 0 } };

	for (unsigned i = 0; i < s->len / 8; i++) {
		if (s->pfx == PFX_F3)
			r.q[i] = i64_to_f64(e, s->b.sd[i]);
		else
			r.sd[i] = f64_to_i32(e, s->b.q[i], s->pfx == PFX_66);
	}
	s->r = r;
}

/* The MMX source of CVTPI2PS/CVTPI2PD: a register operand switches the
 * x87 unit to MMX mode (SDM Vol. 2A, CVTPI2PS). */
static uint64_t mmx_source(struct simd *s)
{
	uint64_t v;

	if (s->in->mod != 3) {
		simd_read(s, 0, &v, 8);
		return v;
	}
	if (s->cpu->fpu.fsw & FSW_ES)
		emu_raise(s->cpu, EXC_MF, 0);
	simd_mmx_enter(s->cpu);
	return simd_mm_get(s->cpu, s->in->rm);
}

/* 0F 2A: CVTPI2PS, CVTPI2PD (66), CVTSI2SS (F3), CVTSI2SD (F2). */
SIMD(cvt_2a)
{
	struct sf_env *e = &s->env;
	int64_t v;
	uint64_t m;

	s->r = s->a;
	if (s->pfx == PFX_F3 || s->pfx == PFX_F2) {
		if (s->in->opsize == 8)
			v = (int64_t)simd_rm_int(s, 8);
		else
			v = (int32_t)simd_rm_int(s, 4);
		if (s->pfx == PFX_F3)
			s->r.d[0] = i64_to_f32(e, v);
		else
			s->r.q[0] = i64_to_f64(e, v);
		return;
	}
	m = mmx_source(s);
	for (unsigned i = 0; i < 2; i++) {
		int32_t x = (int32_t)(m >> (32 * i));

		if (s->pfx == PFX_NP)
			s->r.d[i] = i64_to_f32(e, x);
		else
			s->r.q[i] = i64_to_f64(e, x);
	}
}

/* 0F 2C/2D: CVT(T)PS2PI, CVT(T)PD2PI (to MMX), CVT(T)SS2SI, CVT(T)SD2SI
 * (to a general-purpose register). */
static void cvt_to_int(struct simd *s, bool trunc)
{
	struct sf_env *e = &s->env;
	unsigned size = s->in->opsize == 8 ? 8 : 4;
	uint64_t v;

	switch (s->pfx) {
	case PFX_F3:
		v = size == 8 ? (uint64_t)f32_to_i64(e, s->b.d[0], trunc) :
		    (uint32_t)f32_to_i32(e, s->b.d[0], trunc);
		break;
	case PFX_F2:
		v = size == 8 ? (uint64_t)f64_to_i64(e, s->b.q[0], trunc) :
		    (uint32_t)f64_to_i32(e, s->b.q[0], trunc);
		break;
	case PFX_66:
		v = (uint32_t)f64_to_i32(e, s->b.q[0], trunc) |
		    (uint64_t)(uint32_t)f64_to_i32(e, s->b.q[1], trunc) << 32;
		break;
	default:
		v = (uint32_t)f32_to_i32(e, s->b.d[0], trunc) |
		    (uint64_t)(uint32_t)f32_to_i32(e, s->b.d[1], trunc) << 32;
		break;
	}
	simd_fp_done(s);
	if (s->pfx == PFX_F3 || s->pfx == PFX_F2) {
		simd_gpr_set(s, s->in->reg, size, v);
		return;
	}
	if (s->cpu->fpu.fsw & FSW_ES)
		emu_raise(s->cpu, EXC_MF, 0);
	simd_mmx_enter(s->cpu);
	simd_mm_set(s->cpu, s->in->reg, v);
}

SIMD(cvt_2c) { cvt_to_int(s, true); }
SIMD(cvt_2d) { cvt_to_int(s, false); }

/* MOVMSKPS/MOVMSKPD: sign bits to a general-purpose register, zero-
 * extended (SDM Vol. 2B, MOVMSKPS). */
SIMD(fp_movmsk)
{
	uint64_t m = 0;

	if (s->pfx == PFX_66) {
		for (unsigned i = 0; i < s->len / 8; i++)
			m |= (s->b.q[i] >> 63) << i;
	} else {
		for (unsigned i = 0; i < s->len / 4; i++)
			m |= (uint64_t)(s->b.d[i] >> 31) << i;
	}
	simd_gpr_set(s, s->in->reg, 8, m);
}

/* BLENDPS/BLENDPD (66 0F3A 0C/0D): imm8 bit i picks b for lane i. */
SIMD(fp_blend)
{
	s->r = s->a;
	if (s->in->op == 0x0c) {
		for (unsigned i = 0; i < s->len / 4; i++)
			if ((s->imm >> i) & 1)
				s->r.d[i] = s->b.d[i];
		return;
	}
	for (unsigned i = 0; i < s->len / 8; i++)
		if ((s->imm >> i) & 1)
			s->r.q[i] = s->b.q[i];
}

/* The mask of BLENDVPS/PD and PBLENDVB: XMM0 in legacy forms, the
 * register in imm8[7:4] in VEX forms (0F3A 4A-4C). */
static const union emu_vec *blend_mask(const struct simd *s)
{
	return simd_reg(s->cpu, s->vex ? (unsigned)(s->imm >> 4) & 15 : 0);
}

/* BLENDVPS (0F38 14 / VEX 0F3A 4A), BLENDVPD (0F38 15 / VEX 0F3A 4B). */
SIMD(fp_blendv)
{
	const union emu_vec *m = blend_mask(s);
	bool pd = s->in->op == 0x15 || s->in->op == 0x4b;

	s->r = s->a;
	for (unsigned i = 0; i < s->len / (pd ? 8 : 4); i++) {
		if (pd && (m->q[i] >> 63))
			s->r.q[i] = s->b.q[i];
		else if (!pd && (m->d[i] >> 31))
			s->r.d[i] = s->b.d[i];
	}
}

/* PBLENDVB (0F38 10 / VEX 0F3A 4C). */
SIMD(i_pblendvb)
{
	const union emu_vec *m = blend_mask(s);

	for (unsigned i = 0; i < s->len; i++)
		s->r.b[i] = (m->b[i] & 0x80) ? s->b.b[i] : s->a.b[i];
}
