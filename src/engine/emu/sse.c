/* SPDX-License-Identifier: MIT */
/* The SIMD instruction runner: availability checks (#UD/#NM/#MF), the
 * operand fetch for MMX, legacy-SSE and VEX encodings, alignment, the
 * MXCSR exception protocol and the register write-back rules; the
 * decoder's exec_sys_sse and exec_sys_avx entry points. */
#include "engine/emu/sse.h"

#include <string.h>

#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_OSXMMEXCPT (1ull << 10)
#define CR4_OSXSAVE (1ull << 18)

/* ---------------------------------------------------------------- */
/* Availability: CR0.EM/TS and CR4.OSFXSR (SDM Vol. 3A, 2.5 and 2.6.4;
 * Vol. 2A, 3.1.1.13 "SIMD Floating-Point Exceptions"), VEX (Vol. 2A,
 * 2.8 "Exception classifications"), MMX (Vol. 1, 9.5). */

void simd_check_mmx(struct emu_cpu *cpu)
{
	if (cpu->cr0 & CR0_EM)
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cr0 & CR0_TS)
		emu_raise(cpu, EXC_NM, 0);
	/* A pending unmasked x87 exception is delivered first (SDM Vol. 1,
	 * 9.5.2 and Vol. 3A, 6.15 #MF). */
	if (cpu->fpu.fsw & FSW_ES)
		emu_raise(cpu, EXC_MF, 0);
}

static void check_sse(struct emu_cpu *cpu)
{
	if ((cpu->cr0 & CR0_EM) || !(cpu->cr4 & CR4_OSFXSR))
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cr0 & CR0_TS)
		emu_raise(cpu, EXC_NM, 0);
}

/* VEX: #UD unless CR4.OSXSAVE and XCR0 enables SSE and AVX state. */
static inline bool check_avx_ok(const struct emu_cpu *cpu)
{
	return (cpu->cr4 & CR4_OSXSAVE) &&
	       (cpu->xcr0 & (XFEATURE_SSE | XFEATURE_AVX)) ==
		       (XFEATURE_SSE | XFEATURE_AVX);
}

static void check_avx(struct emu_cpu *cpu)
{
	if (!check_avx_ok(cpu))
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cr0 & CR0_TS)
		emu_raise(cpu, EXC_NM, 0);
}

/* ---------------------------------------------------------------- */
/* MMX registers alias the x87 significands (SDM Vol. 1, 9.5.1). */

void simd_mmx_enter(struct emu_cpu *cpu)
{
	cpu->fpu.fsw &= (uint16_t)~FSW_TOP;
	cpu->fpu.ftw = 0xff;
}

uint64_t simd_mm_get(struct emu_cpu *cpu, unsigned i)
{
	return cpu->fpu.st[i & 7].m;
}

void simd_mm_set(struct emu_cpu *cpu, unsigned i, uint64_t v)
{
	cpu->fpu.st[i & 7].m = v;
	cpu->fpu.st[i & 7].se = 0xffff;
}

/* ---------------------------------------------------------------- */
/* Memory operands. */

uint64_t simd_ea(const struct simd *s)
{
	return emu_ea(s->cpu, s->in);
}

void simd_read(struct simd *s, uint64_t off, void *dst, unsigned n)
{
	uint8_t *p = dst;
	uint64_t ea = simd_ea(s) + off;

	for (unsigned i = 0; i < n;) {
		unsigned k = n - i >= 8 ? 8 : n - i;
		uint64_t v;

		if (k != 1 && k != 2 && k != 4 && k != 8)
			k = k > 4 ? 4 : k > 2 ? 2 : 1;
		v = emu_read(s->cpu, s->in->seg, ea + i, k);
		memcpy(p + i, &v, k);
		i += k;
	}
}

/* A store that crosses a page is probed at its last byte first, so that
 * a fault on the second page leaves memory untouched. */
void simd_write(struct simd *s, uint64_t off, const void *src, unsigned n)
{
	const uint8_t *p = src;
	uint64_t ea = simd_ea(s) + off;
	uint64_t lin = s->cpu->seg[s->in->seg].base + ea;

	if (n > 1 && ((lin & 0xfff) + n) > 0x1000) {
		uint64_t last = emu_read(s->cpu, s->in->seg, ea + n - 1, 1);

		emu_write(s->cpu, s->in->seg, ea + n - 1, 1, last);
	}
	for (unsigned i = 0; i < n;) {
		unsigned k = n - i >= 8 ? 8 : n - i;
		uint64_t v = 0;

		if (k != 1 && k != 2 && k != 4 && k != 8)
			k = k > 4 ? 4 : k > 2 ? 2 : 1;
		memcpy(&v, p + i, k);
		emu_write(s->cpu, s->in->seg, ea + i, k, v);
		i += k;
	}
}

/* Misaligned operands of aligned forms: #GP(0) (SDM Vol. 1, 11.6.8 and
 * Vol. 2A, 2.4 / Table 2-18 for VEX). */
void simd_align(struct simd *s, unsigned n)
{
	uint64_t lin = s->cpu->seg[s->in->seg].base + simd_ea(s);

	if (lin & (n - 1))
		emu_raise(s->cpu, EXC_GP, 0);
}

uint64_t simd_gpr_get(struct simd *s, unsigned reg, unsigned size)
{
	return s->cpu->gpr[reg & 15] & emu_mask(size);
}

void simd_gpr_set(struct simd *s, unsigned reg, unsigned size, uint64_t v)
{
	s->cpu->gpr[reg & 15] = size == 8 ? v : (uint32_t)v;
}

uint64_t simd_rm_int(struct simd *s, unsigned size)
{
	uint64_t v = 0;

	if (s->in->mod == 3)
		return simd_gpr_get(s, s->in->rm, size);
	simd_read(s, 0, &v, size);
	return v;
}

/* ---------------------------------------------------------------- */
/* Results. */

/* Only the operation width is copied: 32 bytes for VEX.256, else the
 * low 16 bytes, with VEX.128 zeroing bits 255:128 and legacy SSE
 * keeping them (SDM Vol. 1, 14.1.2). Constant sizes keep the copies to
 * a few vector moves. */
static inline void put_vec(struct simd *s, unsigned reg,
			   const union emu_vec *v)
{
	union emu_vec *d = simd_reg(s->cpu, reg);

	if (s->len > 16) {
		memcpy(d->b, v->b, 32);
		return;
	}
	memcpy(d->b, v->b, 16);
	if (s->vex)
		memset(d->b + 16, 0, 16);
}

void simd_put(struct simd *s, unsigned reg, const union emu_vec *v)
{
	put_vec(s, reg, v);
}

__attribute__((noinline, cold)) static void fp_raise(struct simd *s)
{
	if (s->cpu->cr4 & CR4_OSXMMEXCPT)
		emu_raise(s->cpu, EXC_XM, 0);
	emu_raise(s->cpu, EXC_UD, 0);
}

static inline void fp_done(struct simd *s)
{
	unsigned fl = s->env.flags & SF_ALL;

	if (!fl)
		return;
	s->cpu->fpu.mxcsr |= fl;
	s->env.flags = 0;
	if (fl & ~s->env.masks & SF_ALL)
		fp_raise(s);
}

void simd_fp_done(struct simd *s)
{
	fp_done(s);
}

/* ---------------------------------------------------------------- */
/* The runner. */

static unsigned prefix_of(const struct insn *in)
{
	if (in->rep == 0xf3)
		return PFX_F3;
	if (in->rep == 0xf2)
		return PFX_F2;
	return in->pfx66 ? PFX_66 : PFX_NP;
}

static unsigned mem_size(const struct simd *s)
{
	switch (s->flags & 7) {
	case MS_FULL: return s->len;
	case MS_HALF: return s->len / 2;
	case MS_QTR: return s->len / 4;
	case MS_8TH: return s->len / 8;
	case MS_4: return 4;
	case MS_8: return 8;
	case MS_X128: return s->len > 16 ? 16 : s->len;
	default: return 0;
	}
}

__attribute__((noinline, cold)) static void raise_ud(struct emu_cpu *cpu)
{
	emu_raise(cpu, EXC_UD, 0);
}

/* VEX-only encoding rules: no MMX forms, VEX.vvvv must be 1111b unless
 * it names an operand, VEX.L and VEX.W as each instruction page lists
 * them (SDM Vol. 2A, 2.3.6 and 2.3.12). */
static void legal_vex(const struct simd *s)
{
	const struct insn *in = s->in;
	uint32_t f = s->flags;

	if (((f & F_MMX) && s->pfx == PFX_NP) ||
	    ((f & F_L0) && in->vex_l) || ((f & F_L1) && !in->vex_l) ||
	    ((f & F_W0) && in->vex_w) || ((f & F_W1) && !in->vex_w) ||
	    (!(f & F_NDS) && in->vex_v))
		raise_ud(s->cpu);
}

static inline void legal(const struct simd *s)
{
	uint32_t bad = s->vex ? F_NOVEX : F_VEXONLY;

	bad |= s->in->mod == 3 ? F_MEMONLY : F_REGONLY;
	if (s->flags & bad)
		raise_ud(s->cpu);
	if (s->vex)
		legal_vex(s);
}

/* The checks that raise; the common case (SSE enabled, no TS) is one
 * test in available(). */
__attribute__((noinline)) static void available_slow(struct simd *s)
{
	if (s->mmx) {
		simd_check_mmx(s->cpu);
		simd_mmx_enter(s->cpu);
	} else if (s->vex) {
		check_avx(s->cpu);
	} else {
		check_sse(s->cpu);
	}
}

static inline void available(struct simd *s)
{
	const struct emu_cpu *cpu = s->cpu;

	if (s->flags & F_NOCHK)
		return;
	if (!s->mmx && !(cpu->cr0 & (CR0_EM | CR0_TS)) &&
	    (cpu->cr4 & CR4_OSFXSR) &&
	    (!s->vex || check_avx_ok(cpu)))
		return;
	available_slow(s);
}

/* Memory source b: the mem_size() bytes the form reads; bytes past them
 * stay unset, no handler reads them (MS_* in sse.h). */
__attribute__((noinline)) static void load_mem(struct simd *s)
{
	unsigned n = mem_size(s);

	if (s->flags & F_A)
		simd_align(s, n);
	else if (!s->vex && !s->mmx && n == 16 && !(s->flags & F_U))
		simd_align(s, 16);
	simd_read(s, 0, s->b.b, n);
}

static inline void copy_vec(union emu_vec *d, const union emu_vec *v,
			    unsigned len)
{
	if (len > 16)
		memcpy(d->b, v->b, 32);
	else
		memcpy(d->b, v->b, 16);
}

/* a and b hold the operation width (MMX: a.q[0] and b.q[0]); see the
 * contract on struct simd. */
static inline void load_operands(struct simd *s)
{
	struct emu_cpu *cpu = s->cpu;
	const struct insn *in = s->in;

	if (s->mmx) {
		s->a.q[0] = simd_mm_get(cpu, in->reg);
		if ((s->flags & 7) == MS_NONE)
			return;
		if (in->mod == 3)
			s->b.q[0] = simd_mm_get(cpu, in->rm);
		else
			load_mem(s);
		return;
	}
	copy_vec(&s->a, simd_reg(cpu, s->vex && (s->flags & F_NDS) ?
					      in->vex_v : in->reg), s->len);
	if ((s->flags & 7) == MS_NONE)
		return;
	if (in->mod == 3)
		copy_vec(&s->b, simd_reg(cpu, in->rm), s->len);
	else
		load_mem(s);
}

/* Only the header fields are set here: a, b and env are filled by
 * load_operands() and sf_env_sse() for the forms that use them, and the
 * handler writes all of r that put_vec() reads (no zero fill of the
 * whole struct per instruction). */
static inline void run(struct emu_cpu *cpu, const struct insn *in, bool vex)
{
	const struct simd_op *op;
	unsigned pfx = prefix_of(in);
	struct simd s;

	if (in->map < 1 || in->map > 3)
		raise_ud(cpu);
	op = &simd_table[OPIDX(in->map, in->op, pfx)];
	if (!op->fn)
		raise_ud(cpu);
	s.cpu = cpu;
	s.in = in;
	s.vex = vex;
	s.pfx = (uint8_t)pfx;
	s.imm = (uint8_t)in->imm;
	s.flags = op->flags;
	s.mmx = (s.flags & F_MMX) && pfx == PFX_NP && !vex;
	legal(&s);
	available(&s);
	s.len = s.mmx ? 8 : (vex && in->vex_l && !(s.flags & F_LIG)) ? 32 : 16;
	if (s.flags & F_FP)
		sf_env_sse(&s.env, cpu->fpu.mxcsr);
	load_operands(&s);
	op->fn(&s);
	if (s.flags & F_NOWB)
		return;
	if (s.flags & F_FP)
		fp_done(&s);
	if (s.mmx)
		simd_mm_set(cpu, in->reg, s.r.q[0]);
	else
		put_vec(&s, in->reg, &s.r);
}

void simd_run(struct emu_cpu *cpu, const struct insn *in, bool vex)
{
	run(cpu, in, vex);
}

/* One copy of the runner per encoding, with vex constant. */
void exec_sys_sse(struct emu_cpu *cpu, const struct insn *in)
{
	run(cpu, in, false);
}

void exec_sys_avx(struct emu_cpu *cpu, const struct insn *in)
{
	run(cpu, in, true);
}
