/* SPDX-License-Identifier: MIT */
/* Near control transfers: Jcc, JMP, CALL, RET (imm16), JrCXZ, LOOPcc
 * (SDM Vol. 2A-2B, the instruction pages of each). Far forms belong to
 * the system side (exec_sys_*). */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

/* A near branch target is truncated to the operand size; in 64-bit mode
 * it must be canonical, elsewhere within the CS limit, or #GP(0) with
 * RIP still at the branch (SDM Vol. 2A, JMP "Protected Mode
 * Exceptions"; Vol. 1, 3.3.7.1). */
static void branch_to(struct emu_cpu *cpu, uint64_t target, unsigned opsize)
{
	target &= emu_mask(opsize);
	if (cpu->mode == MODE_LONG) {
		unsigned bits = (cpu->cr4 & (1u << 12)) ? 57 : 48;

		if ((uint64_t)((int64_t)(target << (64 - bits)) >>
			       (64 - bits)) != target)
			emu_raise(cpu, EXC_GP, 0);
	} else if (target > cpu->seg[SEG_CS].limit) {
		emu_raise(cpu, EXC_GP, 0);
	}
	cpu->rip = target;
}

/* Jcc, one handler per condition so that the lazy-flag evaluation folds
 * to the one test it needs (SDM Vol. 2A, Jcc; Vol. 1, Appendix B). */
#define DEF_JCC(name, cc)                                             \
	EXEC(exec_##name)                                             \
	{                                                             \
		if (lf_cond(cpu, cc))                                 \
			branch_to(cpu, cpu->rip + in->imm, in->opsize); \
	}

DEF_JCC(jo, 0x0)  DEF_JCC(jno, 0x1) DEF_JCC(jb, 0x2)  DEF_JCC(jae, 0x3)
DEF_JCC(je, 0x4)  DEF_JCC(jne, 0x5) DEF_JCC(jbe, 0x6) DEF_JCC(ja, 0x7)
DEF_JCC(js, 0x8)  DEF_JCC(jns, 0x9) DEF_JCC(jp, 0xa)  DEF_JCC(jnp, 0xb)
DEF_JCC(jl, 0xc)  DEF_JCC(jge, 0xd) DEF_JCC(jle, 0xe) DEF_JCC(jg, 0xf)

EXEC(exec_jmp_rel)   /* EB rel8, E9 rel16/32 */
{
	branch_to(cpu, cpu->rip + in->imm, in->opsize);
}

/* The return address is pushed before the target is checked, as the
 * SDM's CALL operation does; a fault rolls RSP back. */
EXEC(exec_call_rel)   /* E8 */
{
	uint64_t ret = cpu->rip;

	emu_push(cpu, in->opsize, ret);
	branch_to(cpu, ret + in->imm, in->opsize);
}

EXEC(exec_jmp_rm)   /* FF /4 */
{
	branch_to(cpu, op_rm_get(cpu, in, in->opsize), in->opsize);
}

EXEC(exec_call_rm)   /* FF /2 */
{
	uint64_t t = op_rm_get(cpu, in, in->opsize);

	emu_push(cpu, in->opsize, cpu->rip);
	branch_to(cpu, t, in->opsize);
}

/* RET imm16 releases imm16 bytes after popping (SDM Vol. 2B, RET). */
EXEC(exec_ret)   /* C3, C2 iw */
{
	uint64_t t = emu_pop(cpu, in->opsize);

	if (in->op == 0xc2) {
		unsigned ssz = emu_stack_size(cpu);
		uint64_t m = emu_mask(ssz);

		cpu->gpr[4] = (cpu->gpr[4] & ~m) |
			      ((cpu->gpr[4] + (in->imm & 0xffff)) & m);
	}
	branch_to(cpu, t, in->opsize);
}

/* The count register is CX, ECX or RCX by address size (SDM Vol. 2A,
 * Jcc "JCXZ"; Vol. 2B, LOOP/LOOPcc). */
static uint64_t count_reg(struct emu_cpu *cpu, const struct insn *in)
{
	return cpu->gpr[1] & emu_mask(in->adsize);
}

static uint64_t count_dec(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t m = emu_mask(in->adsize);
	uint64_t c = (cpu->gpr[1] - 1) & m;

	if (in->adsize == 4)
		cpu->gpr[1] = c;
	else
		cpu->gpr[1] = (cpu->gpr[1] & ~m) | c;
	return c;
}

EXEC(exec_jcxz)   /* E3 */
{
	if (count_reg(cpu, in) == 0)
		branch_to(cpu, cpu->rip + in->imm, in->opsize);
}

EXEC(exec_loop)   /* E2 */
{
	if (count_dec(cpu, in) != 0)
		branch_to(cpu, cpu->rip + in->imm, in->opsize);
}

EXEC(exec_loope)   /* E1 */
{
	if (count_dec(cpu, in) != 0 && lf_cond(cpu, 4))
		branch_to(cpu, cpu->rip + in->imm, in->opsize);
}

EXEC(exec_loopne)   /* E0 */
{
	if (count_dec(cpu, in) != 0 && lf_cond(cpu, 5))
		branch_to(cpu, cpu->rip + in->imm, in->opsize);
}
