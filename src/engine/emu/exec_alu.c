/* SPDX-License-Identifier: MIT */
/* Integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP TEST INC
 * DEC NOT NEG in all operand forms (SDM Vol. 2A/2B, the instruction pages
 * of each; flags per Vol. 1, Appendix A). */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

typedef uint64_t (*alu_fn)(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			   unsigned sz);

#define ALWAYS_INLINE static inline __attribute__((always_inline))

ALWAYS_INLINE uint64_t alu_add(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	uint64_t m = emu_mask(sz), r = (d + s) & m;

	lf_set(cpu, LF_ADD, sz, d & m, s & m, r);
	return r;
}

static inline uint64_t add_carry(struct emu_cpu *cpu, uint64_t d,
				 uint64_t s, unsigned c, unsigned sz)
{
	uint64_t m = emu_mask(sz), r = (d + s + c) & m;

	lf_set(cpu, LF_ADD, sz, d & m, s & m, r);
	return r;
}

static inline uint64_t sub_borrow(struct emu_cpu *cpu, uint64_t d,
				  uint64_t s, unsigned c, unsigned sz)
{
	uint64_t m = emu_mask(sz), r = (d - s - c) & m;

	lf_set(cpu, LF_SUB, sz, d & m, s & m, r);
	return r;
}

ALWAYS_INLINE uint64_t alu_adc(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	return add_carry(cpu, d, s, lf_cf(cpu), sz);
}

ALWAYS_INLINE uint64_t alu_sub(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	uint64_t m = emu_mask(sz), r = (d - s) & m;

	lf_set(cpu, LF_SUB, sz, d & m, s & m, r);
	return r;
}

ALWAYS_INLINE uint64_t alu_sbb(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	return sub_borrow(cpu, d, s, lf_cf(cpu), sz);
}

ALWAYS_INLINE uint64_t logic(struct emu_cpu *cpu, uint64_t r, unsigned sz)
{
	r &= emu_mask(sz);
	lf_set(cpu, LF_LOGIC, sz, 0, 0, r);
	return r;
}

ALWAYS_INLINE uint64_t alu_and(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	return logic(cpu, d & s, sz);
}

ALWAYS_INLINE uint64_t alu_or(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			      unsigned sz)
{
	return logic(cpu, d | s, sz);
}

ALWAYS_INLINE uint64_t alu_xor(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			       unsigned sz)
{
	return logic(cpu, d ^ s, sz);
}

#define alu_cmp alu_sub

/* Locked read-modify-write callbacks: the caller materialised RFLAGS, so
 * the carry-in is read from cpu->rflags even on a compare-exchange retry
 * after lf_set() has replaced the lazy state. */
static uint64_t rmw_adc(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	return add_carry(cpu, d, s, cpu->rflags & RF_CF, sz);
}

static uint64_t rmw_sbb(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	return sub_borrow(cpu, d, s, cpu->rflags & RF_CF, sz);
}

#define DEF_RMW(name) \
	static uint64_t rmw_##name(struct emu_cpu *cpu, uint64_t d, \
				   uint64_t s, unsigned sz) \
	{ return alu_##name(cpu, d, s, sz); }
DEF_RMW(add)
DEF_RMW(sub)
DEF_RMW(and)
DEF_RMW(or)
DEF_RMW(xor)
#define rmw_cmp NULL

/* op r/m, src: the destination is the r/m operand. */
ALWAYS_INLINE void alu_to_rm(struct emu_cpu *cpu, const struct insn *in,
			     alu_fn op, emu_rmw_fn rmw, bool write,
			     uint64_t src)
{
	unsigned sz = in->opsize;
	uint64_t d, r;

	if (in->mod == 3) {
		d = op_reg_get(cpu, in->rm, sz, in->rex != 0);
		r = op(cpu, d, src, sz);
		if (write)
			op_reg_set(cpu, in->rm, sz, in->rex != 0, r);
	} else if (in->lock) {
		emu_get_rflags(cpu);
		emu_rmw(cpu, in, sz, rmw, src);
	} else {
		uint64_t ea = op_ea(cpu, in);

		d = op_read(cpu, in->seg, ea, sz);
		r = op(cpu, d, src, sz);
		if (write)
			op_write(cpu, in->seg, ea, sz, r);
	}
}

#define DEF_ALU(name, write) \
	EXEC(exec_##name##_rm_r) \
	{ \
		alu_to_rm(cpu, in, alu_##name, rmw_##name, write, \
			  op_reg_get(cpu, in->reg, in->opsize, in->rex != 0)); \
	} \
	EXEC(exec_##name##_rm_i) \
	{ \
		alu_to_rm(cpu, in, alu_##name, rmw_##name, write, in->imm); \
	} \
	EXEC(exec_##name##_r_rm) \
	{ \
		unsigned sz = in->opsize; \
		bool rex = in->rex != 0; \
		uint64_t d = op_reg_get(cpu, in->reg, sz, rex); \
		uint64_t r = alu_##name(cpu, d, op_rm_get(cpu, in, sz), sz); \
		if (write) \
			op_reg_set(cpu, in->reg, sz, rex, r); \
	} \
	EXEC(exec_##name##_a_i) \
	{ \
		unsigned sz = in->opsize; \
		uint64_t r = alu_##name(cpu, cpu->gpr[0], in->imm, sz); \
		if (write) \
			op_reg_set(cpu, 0, sz, false, r); \
	}

DEF_ALU(add, true)   /* 00-05, 80-83 /0 */
DEF_ALU(or, true)    /* 08-0D, 80-83 /1 */
DEF_ALU(adc, true)   /* 10-15, 80-83 /2 */
DEF_ALU(sbb, true)   /* 18-1D, 80-83 /3 */
DEF_ALU(and, true)   /* 20-25, 80-83 /4 */
DEF_ALU(sub, true)   /* 28-2D, 80-83 /5 */
DEF_ALU(xor, true)   /* 30-35, 80-83 /6 */
DEF_ALU(cmp, false)  /* 38-3D, 80-83 /7 */

/* TEST: AND without writing (84/85, A8/A9, F6/F7 /0 /1). */
EXEC(exec_test_rm_r)
{
	unsigned sz = in->opsize;

	alu_and(cpu, op_rm_get(cpu, in, sz),
		op_reg_get(cpu, in->reg, sz, in->rex != 0), sz);
}

EXEC(exec_test_rm_i)
{
	alu_and(cpu, op_rm_get(cpu, in, in->opsize), in->imm, in->opsize);
}

EXEC(exec_test_a_i)
{
	alu_and(cpu, cpu->gpr[0], in->imm, in->opsize);
}

/* ---- INC/DEC: CF is preserved (SDM Vol. 2A, INC; DEC) ---- */

static void keep_cf(struct emu_cpu *cpu)
{
	uint64_t cf = lf_cf(cpu) ? RF_CF : 0;

	cpu->rflags = (cpu->rflags & ~(uint64_t)RF_CF) | cf;
}

static uint64_t rmw_inc(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	uint64_t r = (d + s) & emu_mask(sz);

	lf_set(cpu, LF_INC, sz, d & emu_mask(sz), 1, r);
	return r;
}

static uint64_t rmw_dec(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	uint64_t r = (d - s) & emu_mask(sz);

	lf_set(cpu, LF_DEC, sz, d & emu_mask(sz), 1, r);
	return r;
}

static void incdec_rm(struct emu_cpu *cpu, const struct insn *in,
		      emu_rmw_fn fn)
{
	unsigned sz = in->opsize;

	keep_cf(cpu);
	if (in->mod == 3) {
		uint64_t d = op_reg_get(cpu, in->rm, sz, in->rex != 0);

		op_reg_set(cpu, in->rm, sz, in->rex != 0, fn(cpu, d, 1, sz));
	} else if (in->lock) {
		emu_rmw(cpu, in, sz, fn, 1);
	} else {
		uint64_t ea = op_ea(cpu, in);
		uint64_t d = op_read(cpu, in->seg, ea, sz);

		op_write(cpu, in->seg, ea, sz, fn(cpu, d, 1, sz));
	}
}

EXEC(exec_inc_rm) { incdec_rm(cpu, in, rmw_inc); }  /* FE/FF /0 */
EXEC(exec_dec_rm) { incdec_rm(cpu, in, rmw_dec); }  /* FE/FF /1 */

/* 40+r / 48+r (outside 64-bit mode). */
EXEC(exec_inc_r)
{
	keep_cf(cpu);
	op_reg_set(cpu, in->rm, in->opsize, false,
		    rmw_inc(cpu, cpu->gpr[in->rm], 1, in->opsize));
}

EXEC(exec_dec_r)
{
	keep_cf(cpu);
	op_reg_set(cpu, in->rm, in->opsize, false,
		    rmw_dec(cpu, cpu->gpr[in->rm], 1, in->opsize));
}

/* ---- NOT (no flags) and NEG (0 - x) ---- */

static uint64_t rmw_not(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	(void)cpu;
	(void)s;
	return ~d & emu_mask(sz);
}

static uint64_t rmw_neg(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	(void)s;
	return alu_sub(cpu, 0, d, sz);
}

static void unary_rm(struct emu_cpu *cpu, const struct insn *in,
		     emu_rmw_fn fn)
{
	unsigned sz = in->opsize;

	if (in->mod == 3) {
		uint64_t d = op_reg_get(cpu, in->rm, sz, in->rex != 0);

		op_reg_set(cpu, in->rm, sz, in->rex != 0, fn(cpu, d, 0, sz));
	} else if (in->lock) {
		emu_rmw(cpu, in, sz, fn, 0);
	} else {
		uint64_t ea = op_ea(cpu, in);
		uint64_t d = op_read(cpu, in->seg, ea, sz);

		op_write(cpu, in->seg, ea, sz, fn(cpu, d, 0, sz));
	}
}

EXEC(exec_not_rm) { unary_rm(cpu, in, rmw_not); }  /* F6/F7 /2 */
EXEC(exec_neg_rm) { unary_rm(cpu, in, rmw_neg); }  /* F6/F7 /3 */
