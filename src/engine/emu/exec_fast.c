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

/* C1 /r ib on a register (Group 2 by an immediate; SDM Vol. 2B, RCL/RCR/
 * ROL/ROR and SAL/SAR/SHL/SHR): the flags of exec_shift.c, where OF is
 * computed as for a count of 1 and ROL/ROR by an immediate other than 1
 * keep it. RCL/RCR take the generic handler. */
ALWAYS_INLINE void fast_shift_i(struct emu_cpu *cpu, const struct insn *in,
				unsigned bits)
{
	uint64_t m = bits == 64 ? ~0ull : 0xffffffffull;
	uint64_t d = cpu->gpr[in->rm] & m, r;
	unsigned cnt = (unsigned)in->imm & (bits - 1), top = bits - 1;
	int64_t sd = bits == 64 ? (int64_t)d : (int32_t)d;
	bool of1 = ((d >> top) ^ (d >> (top - 1))) & 1;

	if (cnt == 0) {
		cpu->gpr[in->rm] = d;
		return;
	}
	switch (in->reg & 7) {
	case 0: /* ROL */
		r = ((d << cnt) | (d >> (bits - cnt))) & m;
		lf_rotate(cpu, r & 1, cnt == 1 ? of1 : lf_of(cpu));
		break;
	case 1: /* ROR */
		r = ((d >> cnt) | (d << (bits - cnt))) & m;
		lf_rotate(cpu, (r >> top) & 1,
			  cnt == 1 ? ((d >> top) ^ d) & 1 : lf_of(cpu));
		break;
	case 4: /* SHL */
	case 6: /* SAL */
		r = (d << cnt) & m;
		lf_shift(cpu, bits / 8, r, (d >> (bits - cnt)) & 1, of1);
		break;
	case 5: /* SHR */
		r = d >> cnt;
		lf_shift(cpu, bits / 8, r, (d >> (cnt - 1)) & 1, (d >> top) & 1);
		break;
	case 7: /* SAR */
		r = (uint64_t)(sd >> cnt) & m;
		lf_shift(cpu, bits / 8, r, (sd >> (cnt - 1)) & 1, false);
		break;
	default:
		exec_shift_i(cpu, in);
		return;
	}
	cpu->gpr[in->rm] = r;
}

EXEC(exec_shift_i_r64) { fast_shift_i(cpu, in, 64); }
EXEC(exec_shift_i_r32) { fast_shift_i(cpu, in, 32); }

/* MOV between a register and memory in 64-bit mode with a segment
 * without base (not FS/GS), chosen by the decoder: the soft-TLB hit path
 * of op_read/op_write without the mode and segment tests. */
#define DEF_FAST_MOV_MEM(bits)                                            \
	EXEC(exec_mov_r_m##bits)                                          \
	{                                                                 \
		uint64_t ea = op_ea(cpu, in);                             \
		const uint8_t *p = op_tlb(cpu, cpu->tlb_r, ea, bits / 8); \
		uint##bits##_t v;                                         \
		if (p)                                                    \
			memcpy(&v, p, sizeof(v));                         \
		else                                                      \
			v = (uint##bits##_t)emu_read(cpu, in->seg, ea,    \
						      bits / 8);          \
		cpu->gpr[in->reg] = v;                                    \
	}                                                                 \
	EXEC(exec_mov_m_r##bits)                                          \
	{                                                                 \
		uint64_t ea = op_ea(cpu, in);                             \
		uint8_t *p = op_tlb(cpu, cpu->tlb_w, ea, bits / 8);       \
		uint##bits##_t v = (uint##bits##_t)cpu->gpr[in->reg];     \
		if (p)                                                    \
			memcpy(p, &v, sizeof(v));                         \
		else                                                      \
			emu_write(cpu, in->seg, ea, bits / 8, v);         \
	}

DEF_FAST_MOV_MEM(64)
DEF_FAST_MOV_MEM(32)
