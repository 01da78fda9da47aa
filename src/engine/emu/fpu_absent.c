/* SPDX-License-Identifier: MIT */
/* Until the x87/SSE/AVX unit lands (issue 5), the CPU model advertises no
 * FPU, MMX, SSE or AVX (src/core/cpuid.def), and their opcodes raise #UD
 * as on a processor without them (SDM Vol. 2A, CPUID feature flags). */
#include "engine/emu/exec.h"

void emu_fpu_load(struct emu_cpu *cpu, const uint8_t *xsave)
{
	(void)cpu;
	(void)xsave;
}

void emu_fpu_store(struct emu_cpu *cpu, uint8_t *xsave)
{
	(void)cpu;
	(void)xsave;
}

void exec_sys_fpu(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}

void exec_sys_sse(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}

void exec_sys_avx(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}
