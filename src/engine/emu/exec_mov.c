/* SPDX-License-Identifier: MIT */
/* Data movement: MOV forms, MOVZX/MOVSX/MOVSXD, LEA, XCHG, XADD,
 * CMPXCHG/CMPXCHG8B/16B, CMOVcc, SETcc, BSWAP, MOVBE, XLAT, MOVNTI
 * (SDM Vol. 2A-2C, the instruction pages of each). */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

static inline bool rex(const struct insn *in)
{
	return in->rex != 0;
}

EXEC(exec_mov_rm_r)   /* 88/89 /r */
{
	op_rm_set(cpu, in, in->opsize,
		   op_reg_get(cpu, in->reg, in->opsize, rex(in)));
}

EXEC(exec_mov_r_rm)   /* 8A/8B /r */
{
	op_reg_set(cpu, in->reg, in->opsize, rex(in),
		    op_rm_get(cpu, in, in->opsize));
}

EXEC(exec_mov_rm_i)   /* C6/C7 /0 */
{
	op_rm_set(cpu, in, in->opsize, in->imm);
}

EXEC(exec_mov_r_i)    /* B0+r ib, B8+r iv */
{
	op_reg_set(cpu, in->rm, in->opsize, rex(in), in->imm);
}

EXEC(exec_mov_a_moffs)   /* A0/A1 */
{
	op_reg_set(cpu, 0, in->opsize, false,
		    op_read(cpu, in->seg, in->imm, in->opsize));
}

EXEC(exec_mov_moffs_a)   /* A2/A3 */
{
	op_write(cpu, in->seg, in->imm, in->opsize, cpu->gpr[0]);
}

EXEC(exec_movzx)   /* 0F B6 (byte source), 0F B7 (word source) */
{
	unsigned ss = in->op == 0xb6 ? 1 : 2;

	op_reg_set(cpu, in->reg, in->opsize, rex(in), op_rm_get(cpu, in, ss));
}

EXEC(exec_movsx)   /* 0F BE, 0F BF */
{
	unsigned ss = in->op == 0xbe ? 1 : 2;

	op_reg_set(cpu, in->reg, in->opsize, rex(in),
		    (uint64_t)emu_sext(op_rm_get(cpu, in, ss), ss));
}

EXEC(exec_movsxd)   /* 63 /r in 64-bit mode */
{
	unsigned ss = in->opsize < 4 ? in->opsize : 4;

	op_reg_set(cpu, in->reg, in->opsize, rex(in),
		    (uint64_t)emu_sext(op_rm_get(cpu, in, ss), ss));
}

/* LEA: the offset at the address size, truncated or zero-extended to
 * the operand size (SDM Vol. 2A, LEA Table 3-54). */
EXEC(exec_lea)   /* 8D /r */
{
	op_reg_set(cpu, in->reg, in->opsize, rex(in), op_ea(cpu, in));
}

static uint64_t rmw_swap(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			 unsigned sz)
{
	(void)cpu;
	(void)d;
	(void)sz;
	return s;
}

/* XCHG with memory is locked whether or not LOCK is present (SDM
 * Vol. 2C, XCHG). */
EXEC(exec_xchg_rm_r)   /* 86/87 /r */
{
	unsigned sz = in->opsize;
	uint64_t r = op_reg_get(cpu, in->reg, sz, rex(in)), old;

	if (in->mod == 3) {
		old = op_reg_get(cpu, in->rm, sz, rex(in));
		op_reg_set(cpu, in->rm, sz, rex(in), r);
	} else {
		old = emu_rmw(cpu, in, sz, rmw_swap, r);
	}
	op_reg_set(cpu, in->reg, sz, rex(in), old);
}

/* 90+r. Plain 90 (even with 66 or REX.W) is NOP, so 32-bit XCHG EAX,EAX
 * does not clear the upper half of RAX (SDM Vol. 2C, XCHG; F3 90 is
 * PAUSE). */
EXEC(exec_xchg_a_r)
{
	unsigned sz = in->opsize;
	uint64_t a;

	if (in->rm == 0) {
		if (in->rep == 0xf3)
			exec_pause(cpu, in);
		return;
	}
	a = cpu->gpr[0];
	op_reg_set(cpu, 0, sz, false, cpu->gpr[in->rm]);
	op_reg_set(cpu, in->rm, sz, false, a);
}

static uint64_t rmw_add(struct emu_cpu *cpu, uint64_t d, uint64_t s,
			unsigned sz)
{
	uint64_t m = emu_mask(sz), r = (d + s) & m;

	lf_set(cpu, LF_ADD, sz, d & m, s & m, r);
	return r;
}

/* XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP (SDM Vol. 2C). */
EXEC(exec_xadd)   /* 0F C0/C1 /r */
{
	unsigned sz = in->opsize;
	uint64_t s = op_reg_get(cpu, in->reg, sz, rex(in)), d;

	if (in->mod == 3) {
		d = op_reg_get(cpu, in->rm, sz, rex(in));
		op_reg_set(cpu, in->reg, sz, rex(in), d);
		op_reg_set(cpu, in->rm, sz, rex(in), rmw_add(cpu, d, s, sz));
	} else if (in->lock) {
		d = emu_rmw(cpu, in, sz, rmw_add, s);
		op_reg_set(cpu, in->reg, sz, rex(in), d);
	} else {
		uint64_t ea = op_ea(cpu, in);

		d = op_read(cpu, in->seg, ea, sz);
		op_write(cpu, in->seg, ea, sz, rmw_add(cpu, d, s, sz));
		op_reg_set(cpu, in->reg, sz, rex(in), d);
	}
}

/* Memory CMPXCHG: one compare-exchange on the host mapping, else a read
 * and a write (the destination is written back with its own value on
 * failure, SDM Vol. 2A, CMPXCHG). Returns the old destination. */
static uint64_t cmpxchg_mem(struct emu_cpu *cpu, const struct insn *in,
			    uint64_t acc, uint64_t s)
{
	unsigned sz = in->opsize;
	uint64_t ea = op_ea(cpu, in), d;
	void *p = emu_host_ptr(cpu, in->seg, ea, sz, ACC_READ | ACC_WRITE);

	if (p) {
		d = acc;
		emu_cas(p, sz, &d, s);
		return d;
	}
	d = op_read(cpu, in->seg, ea, sz);
	op_write(cpu, in->seg, ea, sz, d == acc ? s : d);
	return d;
}

EXEC(exec_cmpxchg)   /* 0F B0/B1 /r */
{
	unsigned sz = in->opsize;
	uint64_t acc = cpu->gpr[0] & emu_mask(sz);
	uint64_t s = op_reg_get(cpu, in->reg, sz, rex(in)), d;

	if (in->mod == 3) {
		d = op_reg_get(cpu, in->rm, sz, rex(in));
		if (d == acc)
			op_reg_set(cpu, in->rm, sz, rex(in), s);
	} else {
		d = cmpxchg_mem(cpu, in, acc, s);
	}
	lf_set(cpu, LF_SUB, sz, acc, d, (acc - d) & emu_mask(sz));
	if (d != acc)
		op_reg_set(cpu, 0, sz, false, d);
}

static bool cas16(struct emu_cpu *cpu, const struct insn *in, uint64_t ea,
		  uint64_t cmp[2], const uint64_t nv[2])
{
	void *p = emu_host_ptr(cpu, in->seg, ea, 16, ACC_READ | ACC_WRITE);
	uint64_t old[2];
	bool eq;

#if defined(__x86_64__)
	if (p) {
		__asm__ volatile("lock cmpxchg16b %3"
				 : "=@ccz"(eq), "+a"(cmp[0]), "+d"(cmp[1]),
				   "+m"(*(unsigned char (*)[16])p)
				 : "b"(nv[0]), "c"(nv[1])
				 : "memory");
		return eq;
	}
#else
	(void)p;
#endif
	old[0] = op_read(cpu, in->seg, ea, 8);
	old[1] = op_read(cpu, in->seg, ea + 8, 8);
	eq = old[0] == cmp[0] && old[1] == cmp[1];
	op_write(cpu, in->seg, ea, 8, eq ? nv[0] : old[0]);
	op_write(cpu, in->seg, ea + 8, 8, eq ? nv[1] : old[1]);
	cmp[0] = old[0];
	cmp[1] = old[1];
	return eq;
}

static bool cas8(struct emu_cpu *cpu, const struct insn *in, uint64_t ea,
		 uint64_t *cmp, uint64_t nv)
{
	void *p = emu_host_ptr(cpu, in->seg, ea, 8, ACC_READ | ACC_WRITE);
	uint64_t old;

	if (p)
		return emu_cas(p, 8, cmp, nv);
	old = op_read(cpu, in->seg, ea, 8);
	op_write(cpu, in->seg, ea, 8, old == *cmp ? nv : old);
	if (old == *cmp)
		return true;
	*cmp = old;
	return false;
}

/* CMPXCHG8B/CMPXCHG16B: only ZF changes; the 16-byte form needs a
 * 16-byte aligned operand or #GP(0) (SDM Vol. 2A, CMPXCHG8B/16B). */
EXEC(exec_cmpxchg8b)   /* 0F C7 /1 */
{
	uint64_t ea = op_ea(cpu, in);
	bool eq;

	if (in->opsize == 8) {
		uint64_t cmp[2] = { cpu->gpr[0], cpu->gpr[2] };
		uint64_t nv[2] = { cpu->gpr[3], cpu->gpr[1] };

		if (ea & 15)
			emu_raise(cpu, EXC_GP, 0);
		eq = cas16(cpu, in, ea, cmp, nv);
		if (!eq) {
			cpu->gpr[0] = cmp[0];
			cpu->gpr[2] = cmp[1];
		}
	} else {
		uint64_t cmp = (uint32_t)cpu->gpr[0] |
			       (cpu->gpr[2] << 32);
		uint64_t nv = (uint32_t)cpu->gpr[3] | (cpu->gpr[1] << 32);

		eq = cas8(cpu, in, ea, &cmp, nv);
		if (!eq) {
			cpu->gpr[0] = (uint32_t)cmp;
			cpu->gpr[2] = cmp >> 32;
		}
	}
	emu_set_arith(cpu, RF_ZF, eq ? RF_ZF : 0);
}

/* 0F C7 /6 and /7 other than CMPXCHG8B: RDRAND/RDSEED/RDPID (register
 * forms) and VMPTRLD/VMCLEAR/VMXON/VMPTRST (memory forms). */
EXEC(exec_grp9)
{
	if (in->mod != 3)
		exec_sys_vmx(cpu, in);
	else if (in->reg == 6)
		exec_sys_rdrand(cpu, in);
	else if (in->rep == 0xf3)
		exec_sys_rdpid(cpu, in);
	else
		exec_sys_rdseed(cpu, in);
}

/* CMOVcc always reads the source; with a 32-bit operand the destination
 * is zero-extended even when the condition is false (SDM Vol. 2A,
 * CMOVcc). */
EXEC(exec_cmovcc)   /* 0F 40+cc /r */
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz);

	if (lf_cond(cpu, in->op & 15))
		op_reg_set(cpu, in->reg, sz, rex(in), s);
	else if (sz == 4)
		cpu->gpr[in->reg] &= 0xffffffffu;
}

EXEC(exec_setcc)   /* 0F 90+cc */
{
	op_rm_set(cpu, in, 1, lf_cond(cpu, in->op & 15));
}

/* BSWAP with a 16-bit operand is undefined; current Intel cores clear
 * the low word (SDM Vol. 2A, BSWAP). */
EXEC(exec_bswap)   /* 0F C8+r */
{
	uint64_t *r = &cpu->gpr[in->rm];

	if (in->opsize == 8)
		*r = __builtin_bswap64(*r);
	else if (in->opsize == 4)
		*r = __builtin_bswap32((uint32_t)*r);
	else
		*r &= ~0xffffull;
}

static uint64_t swap_bytes(uint64_t v, unsigned sz)
{
	switch (sz) {
	case 2: return __builtin_bswap16((uint16_t)v);
	case 4: return __builtin_bswap32((uint32_t)v);
	default: return __builtin_bswap64(v);
	}
}

EXEC(exec_movbe)   /* 0F 38 F0 (load), F1 (store) */
{
	unsigned sz = in->opsize;

	if (in->op == 0xf0)
		op_reg_set(cpu, in->reg, sz, rex(in),
			    swap_bytes(op_rm_get(cpu, in, sz), sz));
	else
		op_rm_set(cpu, in, sz,
			   swap_bytes(op_reg_get(cpu, in->reg, sz, rex(in)),
				      sz));
}

/* XLAT: AL = [seg:rBX + AL] at the address size (SDM Vol. 2C, XLAT). */
EXEC(exec_xlat)   /* D7 */
{
	uint64_t ea = (cpu->gpr[3] + (cpu->gpr[0] & 0xff)) &
		      emu_mask(in->adsize);

	op_reg_set(cpu, 0, 1, false, op_read(cpu, in->seg, ea, 1));
}

EXEC(exec_movnti)   /* 0F C3 /r */
{
	op_rm_set(cpu, in, in->opsize,
		   op_reg_get(cpu, in->reg, in->opsize, rex(in)));
}
