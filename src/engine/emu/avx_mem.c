/* SPDX-License-Identifier: MIT */
/* VEX-only memory forms that touch memory element by element: the
 * masked moves VMASKMOVPS/PD and VPMASKMOVD/Q, and the AVX2 gathers
 * with VSIB addressing (SDM Vol. 2C, VMASKMOV, VPMASKMOV, VGATHERDPS
 * and friends; Vol. 2A, 2.3.12 "Vector SIB (VSIB) Memory Addressing"). */
#include "engine/emu/sse.h"

#include <string.h>

/* Element size of the masked moves: 0F38 2C/2E PS, 2D/2F PD, 8C/8E by
 * VEX.W. */
static unsigned mask_esize(const struct simd *s)
{
	unsigned op = s->in->op;

	if (op == 0x8c || op == 0x8e)
		return s->in->vex_w ? 8 : 4;
	return op & 1 ? 8 : 4;
}

static bool mask_set(const union emu_vec *m, unsigned i, unsigned esize)
{
	return esize == 8 ? m->q[i] >> 63 : m->d[i] >> 31;
}

/* Loads read only the elements whose mask bit (the element's sign in
 * VEX.vvvv) is set, so masked-off elements never fault; the others are
 * zero. */
SIMD(vx_maskmov_load)
{
	unsigned es = mask_esize(s);

	memset(s->r.b, 0, sizeof(s->r.b));
	for (unsigned i = 0; i < s->len / es; i++)
		if (mask_set(&s->a, i, es))
			simd_read(s, (uint64_t)i * es, &s->r.b[i * es], es);
}

/* Stores write only the selected elements of ModRM.reg. */
SIMD(vx_maskmov_store)
{
	const union emu_vec *v = simd_reg(s->cpu, s->in->reg);
	unsigned es = mask_esize(s);

	for (unsigned i = 0; i < s->len / es; i++)
		if (mask_set(&s->a, i, es))
			simd_write(s, (uint64_t)i * es, &v->b[i * es], es);
}

/* ---------------------------------------------------------------- */
/* Gathers (0F38 90-93). VEX.W picks the element size (D/PS 4, Q/PD 8);
 * the opcode's bit 0 the index size (D 4, Q 8). Elements are loaded in
 * order; each completed element clears its mask element, so a fault
 * leaves a restartable state (SDM Vol. 2C, VGATHERDPS "Operation").
 * #UD without a SIB byte, with 16-bit addressing, or when any two of
 * destination, index and mask are the same register. */

static uint64_t gather_index(const union emu_vec *ix, unsigned i,
			     unsigned isize)
{
	return isize == 8 ? ix->q[i] : (uint64_t)(int64_t)ix->sd[i];
}

SIMD(vx_gather)
{
	struct emu_cpu *cpu = s->cpu;
	const struct insn *in = s->in;
	struct insn base_only = *in;
	unsigned es = in->vex_w ? 8 : 4, is = in->op & 1 ? 8 : 4;
	unsigned n = s->len / (es > is ? es : is);
	unsigned xi = in->index == 0xff ? 4 : in->index;
	union emu_vec *dst = simd_reg(cpu, in->reg);
	union emu_vec *mask = simd_reg(cpu, in->vex_v);
	union emu_vec ix = *simd_reg(cpu, xi);
	uint64_t base;

	if ((in->rm & 7) != 4 || in->adsize == 2 || in->reg == xi ||
	    in->reg == in->vex_v || xi == in->vex_v)
		emu_raise(cpu, EXC_UD, 0);
	base_only.index = 0xff;
	base = emu_ea(cpu, &base_only);
	memset(&dst->b[n * es], 0, 32 - n * es);
	memset(&mask->b[n * es], 0, 32 - n * es);
	for (unsigned i = 0; i < n; i++) {
		uint64_t ea, v;

		if (!mask_set(mask, i, es))
			continue;
		ea = (base + (gather_index(&ix, i, is) << in->scale)) &
		     emu_mask(in->adsize);
		v = emu_read(cpu, in->seg, ea, es);
		if (es == 8) {
			dst->q[i] = v;
			mask->q[i] = 0;
		} else {
			dst->d[i] = (uint32_t)v;
			mask->d[i] = 0;
		}
	}
	memset(mask->b, 0, 32);
}
