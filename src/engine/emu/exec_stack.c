/* SPDX-License-Identifier: MIT */
/* Stack instructions: PUSH/POP (registers, immediates, memory, segment
 * registers), PUSHA/POPA, ENTER/LEAVE (SDM Vol. 2B-2C, the instruction
 * pages of each). PUSHF/POPF are system handlers (exec_sys_pushf/popf). */
#include "engine/emu/exec.h"

/* GUEST_INTRBILITY_MOVSS_BLOCKING (SDM Vol. 3C, 25.4.2 Table 25-3). */
#define SHADOW_MOVSS 2u

EXEC(exec_push_r)   /* 50+r: PUSH rSP pushes the value before the push */
{
	emu_push(cpu, in->opsize, cpu->gpr[in->rm]);
}

/* POP rSP leaves the popped value in rSP (SDM Vol. 2B, POP). */
EXEC(exec_pop_r)    /* 58+r */
{
	uint64_t v = emu_pop(cpu, in->opsize);

	op_reg_set(cpu, in->rm, in->opsize, false, v);
}

EXEC(exec_push_i)   /* 68 iz, 6A ib (sign-extended) */
{
	emu_push(cpu, in->opsize, in->imm);
}

EXEC(exec_push_rm)  /* FF /6 */
{
	emu_push(cpu, in->opsize, op_rm_get(cpu, in, in->opsize));
}

/* With rSP as base, the destination address uses rSP after the pop
 * (SDM Vol. 2B, POP). */
EXEC(exec_pop_rm)   /* 8F /0 */
{
	uint64_t v = emu_pop(cpu, in->opsize);

	op_rm_set(cpu, in, in->opsize, v);
}

static int sreg_of(const struct insn *in)
{
	if (in->map == 1)
		return in->op < 0xa8 ? SEG_FS : SEG_GS;
	return in->op >> 3;
}

/* A segment register push with a 32/64-bit operand size moves rSP by the
 * operand size but writes only 16 bits on current Intel cores (SDM
 * Vol. 2B, PUSH). */
EXEC(exec_push_sreg)   /* 06 0E 16 1E, 0F A0, 0F A8 */
{
	unsigned ssz = emu_stack_size(cpu);
	uint64_t m = emu_mask(ssz);
	uint64_t sp = (cpu->gpr[4] - in->opsize) & m;

	op_write(cpu, SEG_SS, sp, 2, cpu->seg[sreg_of(in)].sel);
	cpu->gpr[4] = (cpu->gpr[4] & ~m) | sp;
}

/* POP SS inhibits interrupts and debug traps until after the next
 * instruction (SDM Vol. 2B, POP; Vol. 3A, 6.8.3). */
EXEC(exec_pop_sreg)   /* 07 17 1F, 0F A1, 0F A9 */
{
	int s = sreg_of(in);
	uint64_t v = emu_pop(cpu, in->opsize);

	emu_load_seg(cpu, s, (uint16_t)v);
	if (s == SEG_SS)
		cpu->intr_shadow |= SHADOW_MOVSS;
}

EXEC(exec_pusha)   /* 60: pushes rSP as it was before the first push */
{
	uint64_t sp = cpu->gpr[4];

	for (unsigned r = 0; r < 8; r++)
		emu_push(cpu, in->opsize, r == 4 ? sp : cpu->gpr[r]);
}

EXEC(exec_popa)   /* 61: the stored rSP is skipped */
{
	for (int r = 7; r >= 0; r--) {
		uint64_t v = emu_pop(cpu, in->opsize);

		if (r != 4)
			op_reg_set(cpu, (unsigned)r, in->opsize, false, v);
	}
}

/* ENTER size, level (SDM Vol. 2A, ENTER operation): nesting level taken
 * modulo 32; the frame pointer copies use the stack-address size. */
EXEC(exec_enter)   /* C8 iw ib */
{
	unsigned os = in->opsize, ssz = emu_stack_size(cpu);
	uint64_t m = emu_mask(ssz);
	unsigned level = in->imm2 & 31;
	uint64_t frame, bp = cpu->gpr[5];

	emu_push(cpu, os, bp);
	frame = cpu->gpr[4] & m;
	for (unsigned i = 1; i < level; i++) {
		bp = (bp - os) & m;
		emu_push(cpu, os, op_read(cpu, SEG_SS, bp & m, os));
	}
	if (level)
		emu_push(cpu, os, frame);
	op_reg_set(cpu, 5, os, false, frame);
	cpu->gpr[4] = (cpu->gpr[4] & ~m) |
		      ((cpu->gpr[4] - (in->imm & 0xffff)) & m);
}

EXEC(exec_leave)   /* C9 */
{
	unsigned ssz = emu_stack_size(cpu);
	uint64_t m = emu_mask(ssz);

	cpu->gpr[4] = (cpu->gpr[4] & ~m) | (cpu->gpr[5] & m);
	op_reg_set(cpu, 5, in->opsize, false, emu_pop(cpu, in->opsize));
}
