/* SPDX-License-Identifier: MIT */
/* FMA3 (VEX.66.0F38 96-BF) and F16C (VCVTPH2PS 0F38 13, VCVTPS2PH 0F3A
 * 1D): one rounding per element through the soft-float fused
 * multiply-add and half-precision conversions, with the MXCSR
 * environment in s->env (SDM Vol. 2C, VFMADD132PS etc.; Vol. 1, 14.5
 * and 14.4.1). */
#include "engine/emu/sse.h"

#include <string.h>

/* The three operands in multiply/add order for the 132, 213 and 231
 * forms (opcode bits 7:4 = 9, A, B): op1 = ModRM.reg (destination),
 * op2 = VEX.vvvv, op3 = ModRM.r/m. */
struct fma_ops {
	const union emu_vec *m1, *m2, *ad;
};

static struct fma_ops fma_order(const struct simd *s, const union emu_vec *op1)
{
	switch (s->in->op >> 4) {
	case 0x9: return (struct fma_ops){ op1, &s->b, &s->a };
	case 0xa: return (struct fma_ops){ &s->a, op1, &s->b };
	default: return (struct fma_ops){ &s->a, &s->b, op1 };
	}
}

/* Opcode bits 3:0: 6 FMADDSUB, 7 FMSUBADD, 8/9 FMADD, A/B FMSUB, C/D
 * FNMADD, E/F FNMSUB. Element i subtracts its addend when: */
static bool fma_neg_add(unsigned low, unsigned i)
{
	switch (low) {
	case 0x6: return !(i & 1);     /* even elements subtract */
	case 0x7: return i & 1;        /* odd elements subtract */
	case 0xa: case 0xb: case 0xe: case 0xf: return true;
	default: return false;
	}
}

static bool fma_neg_prod(unsigned low)
{
	return low >= 0xc;
}

static void fma_elems(struct simd *s, const struct fma_ops *o, unsigned n,
		      bool pd)
{
	unsigned low = s->in->op & 0xf;
	bool np = fma_neg_prod(low);

	for (unsigned i = 0; i < n; i++) {
		bool na = fma_neg_add(low, i);

		if (pd)
			s->r.q[i] = f64_fma(&s->env, o->m1->q[i], o->m2->q[i],
					    o->ad->q[i], np, na);
		else
			s->r.d[i] = f32_fma(&s->env, o->m1->d[i], o->m2->d[i],
					    o->ad->d[i], np, na);
	}
}

/* Packed forms: VEX.W selects PD; every element of the vector. */
SIMD(vx_fma_packed)
{
	union emu_vec op1 = *simd_reg(s->cpu, s->in->reg);
	struct fma_ops o = fma_order(s, &op1);
	bool pd = s->in->vex_w;

	fma_elems(s, &o, s->len / (pd ? 8 : 4), pd);
}

/* Scalar forms: element 0 only; the rest of bits 127:0 come from the
 * destination (SDM Vol. 2C, VFMADD132SS "Operation"). */
SIMD(vx_fma_scalar)
{
	union emu_vec op1 = *simd_reg(s->cpu, s->in->reg);
	bool pd = s->in->vex_w;
	struct fma_ops o;

	if (s->in->mod == 3)
		s->b = *simd_reg(s->cpu, s->in->rm);
	else
		simd_read(s, 0, s->b.b, pd ? 8 : 4);
	o = fma_order(s, &op1);
	s->r = op1;
	fma_elems(s, &o, 1, pd);
}

/* ---------------------------------------------------------------- */
/* F16C. VCVTPH2PS: half inputs are never treated as zero by DAZ; the
 * conversion is exact except for SNaN inputs (IE). */
SIMD(vx_cvtph2ps)
{
	union emu_vec r;

	for (unsigned i = 0; i < s->len / 4; i++)
		r.d[i] = f16_to_f32(&s->env, s->b.w[i]);
	s->r = r;
}

/* VCVTPS2PH xmm/m64|m128, xmm|ymm, imm8: imm8 bit 2 selects MXCSR.RC,
 * else bits 1:0 are the rounding mode; FTZ does not apply to the half
 * result, DAZ applies to the single inputs. A register destination has
 * its bits above the result zeroed. */
SIMD(vx_cvtps2ph)
{
	const union emu_vec *src = simd_reg(s->cpu, s->in->reg);
	union emu_vec r = { .q = { 0 } };
	unsigned n = s->len / 4;

	if (!(s->imm & 4))
		s->env.rc = s->imm & 3;
	for (unsigned i = 0; i < n; i++)
		r.w[i] = f32_to_f16(&s->env, src->d[i]);
	simd_fp_done(s);
	if (s->in->mod != 3) {
		simd_write(s, 0, r.b, n * 2);
		return;
	}
	*simd_reg(s->cpu, s->in->rm) = r;
}
