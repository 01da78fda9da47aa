/* SPDX-License-Identifier: MIT */
/* Internals of the x87 handlers: register-stack access, the exception
 * protocol (SDM Vol. 1, 8.4-8.7) and the helpers shared by fpu_x87.c
 * and fpu_x87_misc.c. */
#ifndef OPENHVF_EMU_FPU_X87_H
#define OPENHVF_EMU_FPU_X87_H

#include "engine/emu/exec.h"
#include "engine/emu/fpu.h"

/* Exception flags as FSW bits 5:0 (SF_*) plus the stack fault. */
enum { X87_SF = FSW_SF };

static inline unsigned x87_top(const struct emu_fpu *f)
{
	return (f->fsw >> 11) & 7;
}

static inline unsigned x87_phys(const struct emu_fpu *f, unsigned i)
{
	return (x87_top(f) + i) & 7;
}

static inline bool x87_empty(const struct emu_fpu *f, unsigned i)
{
	return !((f->ftw >> x87_phys(f, i)) & 1);
}

static inline struct fx80 *x87_st(struct emu_fpu *f, unsigned i)
{
	return &f->st[x87_phys(f, i)];
}

static inline void x87_set_top(struct emu_fpu *f, unsigned top)
{
	f->fsw = (uint16_t)((f->fsw & ~FSW_TOP) | (top & 7) << 11);
}

/* Record exception flags (SF_* | X87_SF) and C1; unmasked ones set ES
 * and B so that the next waiting instruction raises #MF. Returns true
 * if the result may be stored (no unmasked IE/DE/ZE). */
bool x87_flags(struct emu_cpu *cpu, unsigned flags, bool c1);
/* Stack underflow/overflow (IS): IE|SF with C1 = overflow; returns
 * true if masked (the caller then stores the real indefinite). */
bool x87_stack_fault(struct emu_cpu *cpu, bool overflow);
/* Push v (overflow if ST(7) is in use) and pop. */
void x87_push(struct emu_cpu *cpu, struct fx80 v);
void x87_pop(struct emu_cpu *cpu);
/* Set ST(i) and mark it in use. */
void x87_write(struct emu_cpu *cpu, unsigned i, struct fx80 v);
void x87_set_cc(struct emu_cpu *cpu, unsigned c3c2c1c0);

/* Unmasked numeric overflow/underflow with a register destination:
 * the result is rounded with its exponent divided or multiplied by
 * 2^24576 (SDM Vol. 1, 8.5.3 and 8.5.4). */
#define X87_BIAS_ADJUST 24576
struct unp;
/* Round u to the extended format with prec significand bits under e,
 * applying that adjustment when OE or UE is unmasked. */
struct fx80 x87_round(struct sf_env *e, unsigned prec, const struct unp *u);

/* fpu_x87_misc.c */
void x87_grp_d9_misc(struct emu_cpu *cpu, const struct insn *in);
void x87_ldenv(struct emu_cpu *cpu, const struct insn *in, bool full);
void x87_stenv(struct emu_cpu *cpu, const struct insn *in, bool full);
void x87_fbld(struct emu_cpu *cpu, const struct insn *in);
void x87_fbstp(struct emu_cpu *cpu, const struct insn *in);
void x87_init(struct emu_cpu *cpu);
/* fpu_x87_trans.c: D9 F0-F3, F9, FB, FE, FF (op = ModRM.reg << 3 |
 * ModRM.rm): F2XM1, FYL2X, FPTAN, FPATAN, FYL2XP1, FSINCOS, FSIN, FCOS. */
void x87_transcendental(struct emu_cpu *cpu, unsigned op);
/* Full 16-bit tag word from contents (SDM Vol. 1, 8.1.7). */
uint16_t x87_full_tags(const struct emu_fpu *f);

#endif
