/* SPDX-License-Identifier: MIT */
/* Multiplication and division: MUL, IMUL (one-, two- and three-operand
 * forms), DIV, IDIV with #DE on a zero divisor or quotient overflow (SDM
 * Vol. 2A, DIV/IDIV/IMUL; Vol. 2B, MUL). */
#include "engine/emu/exec.h"

typedef emu_u128 u128;
typedef emu_s128 s128;

/* CF = OF = overflow. The SDM leaves SF, ZF, AF, PF undefined; a
 * current Intel core sets SF and PF from the low half and clears ZF and
 * AF. */
static void mul_flags(struct emu_cpu *cpu, unsigned sz, uint64_t lo,
		      bool ovf)
{
	uint64_t f = (ovf ? RF_CF | RF_OF : 0) | emu_pf(lo) |
		     (((lo >> (sz * 8 - 1)) & 1) ? RF_SF : 0);

	emu_set_arith(cpu, RF_ARITH, f);
}

/* Write hi:lo to AH:AL, DX:AX, EDX:EAX or RDX:RAX. */
static void set_acc_pair(struct emu_cpu *cpu, unsigned sz, uint64_t lo,
			 uint64_t hi)
{
	if (sz == 1) {
		op_reg_set(cpu, 0, 2, false, (lo & 0xff) | ((hi & 0xff) << 8));
		return;
	}
	op_reg_set(cpu, 0, sz, false, lo);
	op_reg_set(cpu, 2, sz, false, hi);
}

static u128 acc_pair(struct emu_cpu *cpu, unsigned sz)
{
	if (sz == 1)
		return cpu->gpr[0] & 0xffff;
	return ((u128)(cpu->gpr[2] & emu_mask(sz)) << (sz * 8)) |
	       (cpu->gpr[0] & emu_mask(sz));
}

EXEC(exec_mul_rm)   /* F6/F7 /4 */
{
	unsigned sz = in->opsize, bits = sz * 8;
	u128 p = (u128)(cpu->gpr[0] & emu_mask(sz)) * op_rm_get(cpu, in, sz);
	uint64_t lo = (uint64_t)p & emu_mask(sz);
	uint64_t hi = (uint64_t)(p >> bits) & emu_mask(sz);

	set_acc_pair(cpu, sz, lo, hi);
	mul_flags(cpu, sz, lo, hi != 0);
}

EXEC(exec_imul1_rm)   /* F6/F7 /5 */
{
	unsigned sz = in->opsize, bits = sz * 8;
	s128 p = (s128)emu_sext(cpu->gpr[0], sz) *
		 emu_sext(op_rm_get(cpu, in, sz), sz);
	uint64_t lo = (uint64_t)p & emu_mask(sz);
	uint64_t hi = (uint64_t)(p >> bits) & emu_mask(sz);

	set_acc_pair(cpu, sz, lo, hi);
	mul_flags(cpu, sz, lo, p != (s128)emu_sext(lo, sz));
}

static void imul_to_reg(struct emu_cpu *cpu, const struct insn *in,
			uint64_t a, uint64_t b)
{
	unsigned sz = in->opsize;
	s128 p = (s128)emu_sext(a, sz) * emu_sext(b, sz);
	uint64_t lo = (uint64_t)p & emu_mask(sz);

	op_reg_set(cpu, in->reg, sz, in->rex != 0, lo);
	mul_flags(cpu, sz, lo, p != (s128)emu_sext(lo, sz));
}

EXEC(exec_imul_r_rm)   /* 0F AF /r */
{
	imul_to_reg(cpu, in, op_reg_get(cpu, in->reg, in->opsize, in->rex != 0),
		    op_rm_get(cpu, in, in->opsize));
}

EXEC(exec_imul_r_rm_i)   /* 69 /r iz, 6B /r ib */
{
	imul_to_reg(cpu, in, op_rm_get(cpu, in, in->opsize), in->imm);
}

EXEC(exec_div_rm)   /* F6/F7 /6 */
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz);
	u128 n = acc_pair(cpu, sz), q;

	if (s == 0)
		emu_raise(cpu, EXC_DE, 0);
	q = n / s;
	if (q > emu_mask(sz))
		emu_raise(cpu, EXC_DE, 0);
	set_acc_pair(cpu, sz, (uint64_t)q, (uint64_t)(n % s));
}

/* The dividend sign-extended from twice the operand size. */
static s128 signed_pair(struct emu_cpu *cpu, unsigned sz)
{
	unsigned bits = sz * 16;
	u128 n = acc_pair(cpu, sz);

	if (bits == 128)
		return (s128)n;
	return (s128)(n << (128 - bits)) >> (128 - bits);
}

EXEC(exec_idiv_rm)   /* F6/F7 /7 */
{
	unsigned sz = in->opsize;
	int64_t s = emu_sext(op_rm_get(cpu, in, sz), sz);
	s128 n = signed_pair(cpu, sz), q, lim = (s128)1 << (sz * 8 - 1);

	if (s == 0)
		emu_raise(cpu, EXC_DE, 0);
	/* -2^127 / -1 overflows the host division too: test first. */
	if (s == -1 && (u128)n == (u128)1 << 127)
		emu_raise(cpu, EXC_DE, 0);
	q = n / s;
	if (q >= lim || q < -lim)
		emu_raise(cpu, EXC_DE, 0);
	set_acc_pair(cpu, sz, (uint64_t)q, (uint64_t)(n % s));
}
