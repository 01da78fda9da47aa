/* SPDX-License-Identifier: MIT */
/* Specialised handlers for the commonest register forms with 32- and
 * 64-bit operands (ALU, INC/DEC, MOV), substituted by the decoder through
 * the FAST rows of opcodes.def when ModRM names registers only and no
 * LOCK is present. Semantics are those of the generic handlers in
 * exec_alu.c / exec_mov.c (SDM Vol. 2, ADD ... XOR; Vol. 1, 3.4.1.1 for
 * the zero-extension of 32-bit results). */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

#define ALWAYS_INLINE static inline __attribute__((always_inline))

/* Result and flags of op on size-byte operands, already truncated. */
ALWAYS_INLINE uint64_t fast_alu(struct emu_cpu *cpu, int op, unsigned sz,
				uint64_t d, uint64_t s)
{
	uint64_t m = sz == 8 ? ~0ull : 0xffffffffull, r;

	d &= m;
	s &= m;
	switch (op) {
	case LF_ADD: r = (d + s) & m; break;
	case LF_SUB: r = (d - s) & m; break;
	case 'a': r = d & s; op = LF_LOGIC; break;
	case 'o': r = d | s; op = LF_LOGIC; break;
	default: r = d ^ s; op = LF_LOGIC; break;
	}
	lf_set(cpu, (uint32_t)op, sz, d, s, r);
	return r;
}

/* name_<form><bits>: rm_r (dest r/m register), r_rm (dest reg),
 * rm_i (dest r/m register, immediate source). */
#define DEF_FAST_ALU(name, op, write, sz, bits)                          \
	EXEC(exec_##name##_rm_r##bits)                                   \
	{                                                                \
		uint64_t r = fast_alu(cpu, op, sz, cpu->gpr[in->rm],     \
				      cpu->gpr[in->reg]);                \
		if (write)                                               \
			cpu->gpr[in->rm] = r;                            \
	}                                                                \
	EXEC(exec_##name##_r_rm##bits)                                   \
	{                                                                \
		uint64_t r = fast_alu(cpu, op, sz, cpu->gpr[in->reg],    \
				      cpu->gpr[in->rm]);                 \
		if (write)                                               \
			cpu->gpr[in->reg] = r;                           \
	}                                                                \
	EXEC(exec_##name##_rm_i##bits)                                   \
	{                                                                \
		uint64_t r = fast_alu(cpu, op, sz, cpu->gpr[in->rm],     \
				      in->imm);                          \
		if (write)                                               \
			cpu->gpr[in->rm] = r;                            \
	}

#define DEF_FAST_ALU2(name, op, write)          \
	DEF_FAST_ALU(name, op, write, 8, 64)    \
	DEF_FAST_ALU(name, op, write, 4, 32)

DEF_FAST_ALU2(add, LF_ADD, true)
DEF_FAST_ALU2(sub, LF_SUB, true)
DEF_FAST_ALU2(cmp, LF_SUB, false)
DEF_FAST_ALU2(and, 'a', true)
DEF_FAST_ALU2(or, 'o', true)
DEF_FAST_ALU2(xor, 'x', true)
DEF_FAST_ALU2(test, 'a', false)

/* INC/DEC keep CF (SDM Vol. 2A, INC; DEC). */
#define DEF_FAST_INCDEC(name, kind, delta, sz, bits)                      \
	EXEC(exec_##name##_r##bits)                                       \
	{                                                                 \
		uint64_t m = sz == 8 ? ~0ull : 0xffffffffull;             \
		uint64_t d = cpu->gpr[in->rm] & m, r = (d + delta) & m;   \
		uint64_t cf = lf_cf(cpu) ? RF_CF : 0;                     \
		cpu->rflags = (cpu->rflags & ~(uint64_t)RF_CF) | cf;      \
		lf_set(cpu, kind, sz, d, 1, r);                           \
		cpu->gpr[in->rm] = r;                                     \
	}

DEF_FAST_INCDEC(inc, LF_INC, 1, 8, 64)
DEF_FAST_INCDEC(inc, LF_INC, 1, 4, 32)
DEF_FAST_INCDEC(dec, LF_DEC, (uint64_t)-1, 8, 64)
DEF_FAST_INCDEC(dec, LF_DEC, (uint64_t)-1, 4, 32)

EXEC(exec_mov_rm_r64) { cpu->gpr[in->rm] = cpu->gpr[in->reg]; }
EXEC(exec_mov_rm_r32) { cpu->gpr[in->rm] = (uint32_t)cpu->gpr[in->reg]; }
EXEC(exec_mov_r_rm64) { cpu->gpr[in->reg] = cpu->gpr[in->rm]; }
EXEC(exec_mov_r_rm32) { cpu->gpr[in->reg] = (uint32_t)cpu->gpr[in->rm]; }
EXEC(exec_mov_rm_i64) { cpu->gpr[in->rm] = in->imm; }
EXEC(exec_mov_rm_i32) { cpu->gpr[in->rm] = (uint32_t)in->imm; }
