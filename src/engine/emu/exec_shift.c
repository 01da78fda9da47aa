/* SPDX-License-Identifier: MIT */
/* Shifts and rotates: ROL ROR RCL RCR SHL SHR SAL SAR (Group 2), SHLD,
 * SHRD (SDM Vol. 2B, RCL/RCR/ROL/ROR; SAL/SAR/SHL/SHR; SHLD; SHRD).
 * Flags the SDM leaves undefined follow a current Intel core, as checked
 * by tests/diff: for any non-zero count OF is computed as for a count of
 * 1 from the original operand; shifts clear AF, rotates keep it. */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

enum { ROL, ROR, RCL, RCR, SHL, SHR, SAL, SAR };

static inline uint64_t msb(uint64_t v, unsigned bits)
{
	return (v >> (bits - 1)) & 1;
}

/* Store CF, OF (and AF for shifts) eagerly; SF/ZF/PF stay lazy
 * (lazyflags.h). */
static void shift_flags(struct emu_cpu *cpu, unsigned sz, uint64_t r,
			uint64_t cf, uint64_t of)
{
	lf_shift(cpu, sz, r, cf != 0, of != 0);
}

static void rotate_flags(struct emu_cpu *cpu, uint64_t cf, uint64_t of)
{
	lf_rotate(cpu, cf != 0, of != 0);
}

static uint64_t rotate(struct emu_cpu *cpu, unsigned op, uint64_t d,
		       unsigned cnt, unsigned bits, bool imm)
{
	uint64_t m = emu_mask(bits / 8), r = d, cf, of;
	unsigned c;

	if (op == ROL || op == ROR) {
		c = cnt % bits;
		if (c)
			r = op == ROL ? ((d << c) | (d >> (bits - c))) & m
				      : ((d >> c) | (d << (bits - c))) & m;
		cf = op == ROL ? r & 1 : msb(r, bits);
		of = op == ROL ? msb(d, bits) ^ msb(d, bits - 1)
			       : msb(d, bits) ^ (d & 1);
		/* ROL/ROR by an immediate other than 1 keep OF. */
		if (imm && cnt != 1)
			of = lf_of(cpu);
		rotate_flags(cpu, cf, of);
		return r;
	}
	/* RCL/RCR rotate through CF: a (bits + 1)-bit rotation. */
	cf = emu_get_cf(cpu);
	of = op == RCL ? msb(d, bits) ^ msb(d, bits - 1) : msb(d, bits) ^ cf;
	c = cnt % (bits + 1);
	/* A rotation by a multiple of bits + 1 changes no flag. */
	if (c == 0)
		return r;
	for (unsigned i = 0; i < c; i++) {
		uint64_t out = op == RCL ? msb(r, bits) : (r & 1);

		r = op == RCL ? ((r << 1) | cf) & m
			      : (r >> 1) | (cf << (bits - 1));
		cf = out;
	}
	rotate_flags(cpu, cf, of);
	return r;
}

static uint64_t shift(struct emu_cpu *cpu, unsigned op, uint64_t d,
		      unsigned cnt, unsigned bits)
{
	unsigned sz = bits / 8;
	uint64_t m = emu_mask(sz), r, cf, of;
	int64_t s = emu_sext(d, sz);

	switch (op) {
	case SHL:
	case SAL:
		r = cnt >= 64 ? 0 : (d << cnt) & m;
		cf = cnt > bits ? 0 : (d >> (bits - cnt)) & 1;
		of = msb(d, bits) ^ msb(d, bits - 1);
		break;
	case SHR:
		r = cnt >= 64 ? 0 : d >> cnt;
		cf = cnt > 64 ? 0 : (d >> (cnt - 1)) & 1;
		of = msb(d, bits);
		break;
	default: /* SAR */
		r = (uint64_t)(s >> (cnt > 63 ? 63 : cnt)) & m;
		cf = (uint64_t)(s >> (cnt - 1 > 63 ? 63 : cnt - 1)) & 1;
		of = 0;
		break;
	}
	shift_flags(cpu, sz, r, cf, of);
	return r;
}

/* Counts are masked to 5 bits (6 with a 64-bit operand); a masked count
 * of 0 changes no flags (SDM Vol. 2B, SAL/SAR/SHL/SHR "Flags Affected"). */
static void group2(struct emu_cpu *cpu, const struct insn *in,
		   unsigned count, bool imm)
{
	unsigned sz = in->opsize, bits = sz * 8, op = in->reg & 7;
	unsigned cnt = count & (sz == 8 ? 63 : 31);
	uint64_t ea = 0, d, r;

	if (in->mod == 3) {
		d = op_reg_get(cpu, in->rm, sz, in->rex != 0);
	} else {
		ea = op_ea(cpu, in);
		d = op_read(cpu, in->seg, ea, sz);
	}
	if (cnt == 0)
		r = d;
	else if (op <= RCR)
		r = rotate(cpu, op, d, cnt, bits, imm);
	else
		r = shift(cpu, op, d, cnt, bits);
	if (in->mod == 3)
		op_reg_set(cpu, in->rm, sz, in->rex != 0, r);
	else if (cnt)
		op_write(cpu, in->seg, ea, sz, r);
}

EXEC(exec_shift_1) { group2(cpu, in, 1, false); }                /* D0/D1 */
EXEC(exec_shift_i) { group2(cpu, in, (unsigned)in->imm, true); } /* C0/C1 */

EXEC(exec_shift_cl)   /* D2/D3 */
{
	group2(cpu, in, (unsigned)cpu->gpr[1] & 0xff, false);
}

/* SHLD/SHRD shift dest:src as one value. With a 16-bit operand and a
 * count above 16 the result is undefined; Intel cores shift the 48-bit
 * pattern dest:src:dest, which the 128-bit formulation reproduces. */
static void double_shift(struct emu_cpu *cpu, const struct insn *in,
			 bool left)
{
	unsigned sz = in->opsize, bits = sz * 8;
	unsigned cnt = (unsigned)((in->op & 1) ? cpu->gpr[1] : in->imm) &
		       (sz == 8 ? 63 : 31);
	uint64_t m = emu_mask(sz), ea = 0, d, s, r, cf;
	emu_u128 v;

	if (cnt == 0) {
		if (in->mod == 3)
			op_reg_set(cpu, in->rm, sz, in->rex != 0,
				    op_reg_get(cpu, in->rm, sz, in->rex != 0));
		return;
	}
	s = op_reg_get(cpu, in->reg, sz, in->rex != 0);
	if (in->mod == 3) {
		d = op_reg_get(cpu, in->rm, sz, in->rex != 0);
	} else {
		ea = op_ea(cpu, in);
		d = op_read(cpu, in->seg, ea, sz);
	}
	if (sz == 8) {
		r = left ? (d << cnt) | (s >> (64 - cnt))
			 : (d >> cnt) | (s << (64 - cnt));
		cf = left ? (d >> (64 - cnt)) & 1 : (d >> (cnt - 1)) & 1;
	} else {
		v = ((emu_u128)d << (2 * bits)) |
		    ((emu_u128)s << bits) | d;
		if (left) {
			v <<= cnt;
			r = (uint64_t)(v >> (2 * bits)) & m;
			cf = (uint64_t)(v >> (3 * bits)) & 1;
		} else {
			cf = (uint64_t)(v >> (cnt - 1)) & 1;
			r = (uint64_t)(v >> cnt) & m;
		}
	}
	/* OF as for a count of 1: the sign change of the first step. */
	shift_flags(cpu, sz, r, cf,
		    msb(d, bits) ^ (left ? msb(d, bits - 1) : (s & 1)));
	if (in->mod == 3)
		op_reg_set(cpu, in->rm, sz, in->rex != 0, r);
	else
		op_write(cpu, in->seg, ea, sz, r);
}

EXEC(exec_shld) { double_shift(cpu, in, true); }    /* 0F A4/A5 */
EXEC(exec_shrd) { double_shift(cpu, in, false); }   /* 0F AC/AD */
