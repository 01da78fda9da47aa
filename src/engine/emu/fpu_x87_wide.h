/* SPDX-License-Identifier: MIT */
/* The intermediate format of the x87 transcendentals (fpu_x87_wide.c)
 * and the entry points of their files. */
#ifndef OPENHVF_EMU_FPU_X87_WIDE_H
#define OPENHVF_EMU_FPU_X87_WIDE_H

#include "engine/emu/fpu_x87.h"
#include "engine/emu/softfloat_int.h"

/* struct unp with class CL_ZERO or CL_NORM: value = sig / 2^127 *
 * 2^exp, bit 127 of sig set. Operations truncate below 128 bits but
 * keep a sticky bit 0, so a final rounding sees an inexact tail (and a
 * result that is exact stays exact). */
typedef struct unp wide;

extern const wide w_one;
extern const wide w_log2e;

wide w_int(int64_t v);
wide w_neg(wide a);
wide w_scale(wide a, int32_t n);
wide w_mul(wide a, wide b);
/* |a| >= |b|? */
bool w_mag_ge(const wide *a, const wide *b);
wide w_add(wide a, wide b);
wide w_sub(wide a, wide b);
wide w_div(wide a, wide b);
wide w_div_int(wide a, int64_t n);
wide w_special(uint8_t cls, bool sign);
/* Truncated, or rounded to nearest even, to 67 significant bits. */
wide w_trunc67(wide w);
/* Truncated to 64 significant bits. */
wide w_trunc64(wide w);
/* Rounded to nearest even on the grid 2^(e - 63) (64 bits for an
 * exponent of e); zero if that drops every bit. */
wide w_round_grid(wide w, int32_t e);
/* Rounded to nearest even at 64 <= bits < 128 significant bits. */
wide w_round_sig(wide w, unsigned bits);
wide w_round67(wide w);
/* Rounded to nearest even at 64 significant bits. */
wide w_round64(wide w);
/* c[0] + x c[s] + ... + x^(n-1) c[(n-1) s] by Horner's rule, exact
 * steps. */
wide w_horner(const wide *c, int n, int s, wide x);
/* c[0] + x c[s] + ... + x^(n-1) c[(n-1) s] by Horner's rule, every step
 * RN64(c + trunc67(x p)) as the host's microcode rounds it. */
wide w_horner_rn64(const wide *c, int n, int s, wide x);

/* Rounding by FCW.RC to the 64-bit significand (with the bias
 * adjustment of unmasked OE/UE, x87_round). */
struct fx80 round_wide(struct sf_env *e, const wide *w);
/* A result reported as inexact whatever rounding did (PE; UE when it
 * is denormal), and that rounding of w. */
void mark_inexact(struct sf_env *e, struct fx80 r);
struct fx80 as_inexact(struct sf_env *e, const wide *w);
/* Record e's flags; store v in ST(i) if no unmasked exception stops it. */
void x87_put(struct emu_cpu *cpu, unsigned i, struct sf_env *e,
	     struct fx80 v);
/* NaN, unsupported and denormal operands shared by every instruction:
 * true (with *r set) when the result is decided there. */
bool special_nan(struct sf_env *e, struct fx80 a, struct fx80 b,
		 const wide *ua, const wide *ub, struct fx80 *r);

/* fpu_x87_exp2.c: F2XM1 of ST0 = a. */
struct fx80 x87_f2xm1(struct sf_env *e, struct fx80 a);
/* fpu_x87_atan.c: FPATAN (ST1 = y, ST0 = x) on non-NaN operands. */
struct fx80 x87_fpatan(struct sf_env *e, const wide *x, const wide *y);
/* fpu_x87_trig.c: 0x3e FSIN, 0x3f FCOS, 0x32 FPTAN, 0x3b FSINCOS. */
void x87_trig(struct emu_cpu *cpu, unsigned op);
/* fpu_x87_log.c: the logarithm of FYL2X (ST1 = y, ST0 = x) and FYL2XP1
 * (a = ST0) on non-NaN operands. */
struct fx80 x87_fyl2x(struct sf_env *e, const wide *x, const wide *y);
struct fx80 x87_fyl2xp1(struct sf_env *e, struct fx80 a, const wide *x,
			const wide *y);

#endif
