/* SPDX-License-Identifier: MIT */
/* Operand access for the handlers: registers (with the legacy high-byte
 * registers), ModRM effective addresses, the stack, and atomic
 * read-modify-write of memory operands. */
#include "engine/emu/exec.h"

uint64_t emu_ea(struct emu_cpu *cpu, const struct insn *in)
{
	return op_ea(cpu, in);
}

uint64_t emu_reg_get(struct emu_cpu *cpu, unsigned reg, unsigned size,
		     bool rex)
{
	return op_reg_get(cpu, reg, size, rex);
}

void emu_reg_set(struct emu_cpu *cpu, unsigned reg, unsigned size, bool rex,
		 uint64_t v)
{
	op_reg_set(cpu, reg, size, rex, v);
}

uint64_t emu_rm_get(struct emu_cpu *cpu, const struct insn *in,
		    unsigned size)
{
	return op_rm_get(cpu, in, size);
}

void emu_rm_set(struct emu_cpu *cpu, const struct insn *in, unsigned size,
		uint64_t v)
{
	op_rm_set(cpu, in, size, v);
}

/* SDM Vol. 1, 6.2.3: the stack-address size is 64 in 64-bit mode, else
 * the B flag of SS. */
unsigned emu_stack_size(struct emu_cpu *cpu)
{
	if (cpu->mode == MODE_LONG)
		return 8;
	return (cpu->seg[SEG_SS].ar & (1u << 14)) ? 4 : 2;
}

static void set_sp(struct emu_cpu *cpu, unsigned ssz, uint64_t sp)
{
	uint64_t m = emu_mask(ssz);

	cpu->gpr[4] = (cpu->gpr[4] & ~m) | (sp & m);
}

/* The store happens before RSP changes, so a faulting PUSH leaves RSP
 * as it was (SDM Vol. 2B, PUSH). */
void emu_push(struct emu_cpu *cpu, unsigned size, uint64_t v)
{
	unsigned ssz = emu_stack_size(cpu);
	uint64_t sp = (cpu->gpr[4] - size) & emu_mask(ssz);

	op_write(cpu, SEG_SS, sp, size, v);
	set_sp(cpu, ssz, sp);
}

uint64_t emu_pop(struct emu_cpu *cpu, unsigned size)
{
	unsigned ssz = emu_stack_size(cpu);
	uint64_t sp = cpu->gpr[4] & emu_mask(ssz);
	uint64_t v = op_read(cpu, SEG_SS, sp, size);

	set_sp(cpu, ssz, sp + size);
	return v;
}

void *emu_rm_host(struct emu_cpu *cpu, const struct insn *in,
		  unsigned size)
{
	if (in->mod == 3)
		return NULL;
	return emu_host_ptr(cpu, in->seg, emu_ea(cpu, in), size,
			    ACC_READ | ACC_WRITE);
}

#define DEF_CAS(bits)                                                  \
	static bool cas##bits(void *p, uint64_t *old, uint64_t nv)    \
	{                                                             \
		uint##bits##_t e = (uint##bits##_t)*old;              \
		bool ok = __atomic_compare_exchange_n(                \
			(uint##bits##_t *)p, &e, (uint##bits##_t)nv,  \
			false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);   \
		*old = e;                                             \
		return ok;                                            \
	}
DEF_CAS(8)
DEF_CAS(16)
DEF_CAS(32)
DEF_CAS(64)

bool emu_cas(void *p, unsigned size, uint64_t *old, uint64_t nv)
{
	switch (size) {
	case 1: return cas8(p, old, nv);
	case 2: return cas16(p, old, nv);
	case 4: return cas32(p, old, nv);
	default: return cas64(p, old, nv);
	}
}

static uint64_t atomic_load(const void *p, unsigned size)
{
	switch (size) {
	case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_SEQ_CST);
	case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_SEQ_CST);
	case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST);
	default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST);
	}
}

/* Locked operations (SDM Vol. 3A, 9.1.2): one compare-exchange on the
 * host mapping. A page-crossing operand has no single host pointer and
 * falls back to a read and a write. */
uint64_t emu_rmw(struct emu_cpu *cpu, const struct insn *in, unsigned size,
		 emu_rmw_fn op, uint64_t arg)
{
	uint64_t ea = emu_ea(cpu, in);
	void *p = emu_host_ptr(cpu, in->seg, ea, size, ACC_READ | ACC_WRITE);
	uint64_t old;

	if (!p) {
		old = op_read(cpu, in->seg, ea, size);
		op_write(cpu, in->seg, ea, size, op(cpu, old, arg, size));
		return old;
	}
	old = atomic_load(p, size);
	while (!emu_cas(p, size, &old, op(cpu, old, arg, size)))
		;
	return old;
}
