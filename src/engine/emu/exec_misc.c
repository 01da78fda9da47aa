/* SPDX-License-Identifier: MIT */
/* Small general-purpose instructions: NOP/PAUSE/UD*, CBW/CWD families,
 * LAHF/SAHF, flag bit instructions, SALC, BOUND (SDM Vol. 2A-2C). */
#include "engine/emu/exec.h"

EXEC(exec_nop)   /* 0F 1F /0, 0F 18-1E hints, 0F 0D PREFETCHW */
{
	(void)cpu;
	(void)in;
}

EXEC(exec_pause)   /* F3 90 */
{
	(void)in;
	emu_pause(cpu);
}

EXEC(exec_ud)   /* 0F 0B UD2, 0F B9 UD1, 0F FF UD0, undefined forms */
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}

/* CBW/CWDE/CDQE: sign-extend the lower half of rAX (SDM Vol. 2A). */
EXEC(exec_cbw)   /* 98 */
{
	unsigned h = in->opsize / 2;

	op_reg_set(cpu, 0, in->opsize, false,
		    (uint64_t)emu_sext(cpu->gpr[0], h));
}

/* CWD/CDQ/CQO: rDX = sign of rAX. */
EXEC(exec_cwd)   /* 99 */
{
	int64_t a = emu_sext(cpu->gpr[0], in->opsize);

	op_reg_set(cpu, 2, in->opsize, false, a < 0 ? ~0ull : 0);
}

/* LAHF/SAHF: AH <-> SF:ZF:0:AF:0:PF:1:CF (SDM Vol. 2A, LAHF; Vol. 2B,
 * SAHF). Available in 64-bit mode when CPUID.80000001H:ECX.LAHF-SAHF. */
EXEC(exec_lahf)   /* 9F */
{
	uint64_t f = emu_get_rflags(cpu) & 0xd7;

	(void)in;
	cpu->gpr[0] = (cpu->gpr[0] & ~0xff00ull) | ((f | 2) << 8);
}

EXEC(exec_sahf)   /* 9E */
{
	(void)in;
	emu_set_arith(cpu, RF_SF | RF_ZF | RF_AF | RF_PF | RF_CF,
		      (cpu->gpr[0] >> 8) & 0xd5);
}

EXEC(exec_clc) { (void)in; emu_set_arith(cpu, RF_CF, 0); }       /* F8 */
EXEC(exec_stc) { (void)in; emu_set_arith(cpu, RF_CF, RF_CF); }   /* F9 */

EXEC(exec_cmc)   /* F5 */
{
	(void)in;
	emu_set_arith(cpu, RF_CF, emu_get_cf(cpu) ? 0 : RF_CF);
}

EXEC(exec_cld) { (void)in; cpu->rflags &= ~(uint64_t)RF_DF; }   /* FC */
EXEC(exec_std) { (void)in; cpu->rflags |= RF_DF; }              /* FD */

/* SALC (undocumented, legacy modes): AL = CF ? FF : 00. */
EXEC(exec_salc)   /* D6 */
{
	(void)in;
	op_reg_set(cpu, 0, 1, false, emu_get_cf(cpu) ? 0xff : 0);
}

/* BOUND: #BR unless lower <= index <= upper, signed (SDM Vol. 2A). */
EXEC(exec_bound)   /* 62 /r */
{
	unsigned sz = in->opsize;
	uint64_t ea = op_ea(cpu, in);
	int64_t idx = emu_sext(op_reg_get(cpu, in->reg, sz, false), sz);
	int64_t lo = emu_sext(emu_read(cpu, in->seg, ea, sz), sz);
	int64_t hi = emu_sext(emu_read(cpu, in->seg,
				       (ea + sz) & emu_mask(in->adsize), sz),
			      sz);

	if (idx < lo || idx > hi)
		emu_raise(cpu, EXC_BR, 0);
}
