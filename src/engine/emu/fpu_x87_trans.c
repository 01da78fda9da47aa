/* SPDX-License-Identifier: MIT */
/* Dispatch of the eight x87 transcendental instructions (SDM Vol. 2A,
 * each instruction page; Vol. 1, 8.3.10 "Transcendental Instruction
 * Accuracy"): F2XM1 in fpu_x87_exp2.c, FPATAN in fpu_x87_atan.c, FSIN,
 * FCOS, FPTAN, FSINCOS in fpu_x87_trig.c, FYL2X and FYL2XP1 in
 * fpu_x87_log.c. Each result is computed in the 128-bit-significand
 * format of fpu_x87_wide.c and rounded once to 64 bits by FCW.RC; where
 * the host's method could be identified by measurement on an Intel Xeon
 * the engine follows it (docs/x87-transcendentals.md). */
#include "engine/emu/fpu_x87_wide.h"

static void binary_pop(struct emu_cpu *cpu, unsigned op)
{
	struct fx80 a, b, r;
	struct sf_env e;
	wide x, y;

	if (x87_empty(&cpu->fpu, 0) || x87_empty(&cpu->fpu, 1)) {
		if (x87_stack_fault(cpu, false)) {
			x87_write(cpu, 1, FX80_DEFAULT_NAN);
			x87_pop(cpu);
		}
		return;
	}
	a = *x87_st(&cpu->fpu, 0);
	b = *x87_st(&cpu->fpu, 1);
	sf_env_x87(&e, cpu->fpu.fcw);
	x = sf_unpack(&e, &sf_fx80, a);
	y = sf_unpack(&e, &sf_fx80, b);
	if (!special_nan(&e, a, b, &x, &y, &r)) {
		if (op == 0x31)
			r = x87_fyl2x(&e, &x, &y);
		else if (op == 0x39)
			r = x87_fyl2xp1(&e, a, &x, &y);
		else
			r = x87_fpatan(&e, &x, &y);
	}
	if (!x87_flags(cpu, e.flags, e.c1 && (e.flags & SF_PE)))
		return;
	x87_write(cpu, 1, r);
	x87_pop(cpu);
}

void x87_transcendental(struct emu_cpu *cpu, unsigned op)
{
	struct sf_env e;

	switch (op) {
	case 0x30:  /* D9 F0 F2XM1 */
		if (x87_empty(&cpu->fpu, 0)) {
			if (x87_stack_fault(cpu, false))
				x87_write(cpu, 0, FX80_DEFAULT_NAN);
			return;
		}
		sf_env_x87(&e, cpu->fpu.fcw);
		x87_put(cpu, 0, &e, x87_f2xm1(&e, *x87_st(&cpu->fpu, 0)));
		return;
	case 0x31: case 0x33: case 0x39:  /* D9 F1 FYL2X, F3 FPATAN, F9 FYL2XP1 */
		binary_pop(cpu, op);
		return;
	default:  /* D9 F2 FPTAN, FB FSINCOS, FE FSIN, FF FCOS */
		x87_trig(cpu, op);
		return;
	}
}
