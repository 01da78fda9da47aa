/* SPDX-License-Identifier: MIT */
/* Evaluation of the lazy arithmetic flags (see flags.c), inline so that
 * Jcc/SETcc/CMOVcc handlers specialised per condition fold it. Flag
 * definitions: SDM Vol. 1, 3.4.3.1 and Appendix B. */
#ifndef OPENHVF_EMU_LAZYFLAGS_H
#define OPENHVF_EMU_LAZYFLAGS_H

#include "engine/emu/exec.h"

static inline uint64_t lf_top(unsigned size)
{
	return 1ull << (size * 8 - 1);
}

/* Carry out of the most significant bit of dst + src (+ carry-in): a
 * bit carries when two of (dst, src, carry-in) are set, and the carry-in
 * of a bit is visible as dst ^ src ^ res. */
static inline bool lf_add_cf(uint64_t d, uint64_t s, uint64_t r, unsigned sz)
{
	return (((d & s) | ((d | s) & ~r)) & lf_top(sz)) != 0;
}

static inline bool lf_sub_cf(uint64_t d, uint64_t s, uint64_t r, unsigned sz)
{
	return (((~d & s) | ((~d | s) & r)) & lf_top(sz)) != 0;
}

static inline bool lf_add_of(uint64_t d, uint64_t s, uint64_t r, unsigned sz)
{
	return (((d ^ r) & (s ^ r)) & lf_top(sz)) != 0;
}

static inline bool lf_sub_of(uint64_t d, uint64_t s, uint64_t r, unsigned sz)
{
	return (((d ^ s) & (d ^ r)) & lf_top(sz)) != 0;
}

static inline bool lf_cf(const struct emu_cpu *cpu)
{
	switch (cpu->lf_op) {
	case LF_ADD:
		return lf_add_cf(cpu->lf_dst, cpu->lf_src, cpu->lf_res,
			      cpu->lf_size);
	case LF_SUB:
		return lf_sub_cf(cpu->lf_dst, cpu->lf_src, cpu->lf_res,
			      cpu->lf_size);
	case LF_LOGIC:
		return false;
	default:
		return (cpu->rflags & RF_CF) != 0;
	}
}

static inline bool lf_of(const struct emu_cpu *cpu)
{
	switch (cpu->lf_op) {
	case LF_ADD:
	case LF_INC:
		return lf_add_of(cpu->lf_dst, cpu->lf_src, cpu->lf_res,
			      cpu->lf_size);
	case LF_SUB:
	case LF_DEC:
		return lf_sub_of(cpu->lf_dst, cpu->lf_src, cpu->lf_res,
			      cpu->lf_size);
	case LF_LOGIC:
		return false;
	default:
		return (cpu->rflags & RF_OF) != 0;
	}
}

static inline bool lf_zf(const struct emu_cpu *cpu)
{
	if (cpu->lf_op == LF_NONE)
		return (cpu->rflags & RF_ZF) != 0;
	return (cpu->lf_res & emu_mask(cpu->lf_size)) == 0;
}

static inline bool lf_sf(const struct emu_cpu *cpu)
{
	if (cpu->lf_op == LF_NONE)
		return (cpu->rflags & RF_SF) != 0;
	return (cpu->lf_res & lf_top(cpu->lf_size)) != 0;
}

static inline bool lf_pf(const struct emu_cpu *cpu)
{
	if (cpu->lf_op == LF_NONE)
		return (cpu->rflags & RF_PF) != 0;
	return emu_pf(cpu->lf_res) != 0;
}

static inline bool lf_af(const struct emu_cpu *cpu)
{
	switch (cpu->lf_op) {
	case LF_ADD:
	case LF_SUB:
	case LF_INC:
	case LF_DEC:
		return ((cpu->lf_dst ^ cpu->lf_src ^ cpu->lf_res) & 0x10) != 0;
	case LF_LOGIC:
		return false;
	default:
		return (cpu->rflags & RF_AF) != 0;
	}
}

/* Signed less-than (SF != OF), with a direct path for CMP/SUB. */
static inline bool lf_cond_l(const struct emu_cpu *cpu)
{
	if (cpu->lf_op == LF_SUB)
		return lf_sub_of(cpu->lf_dst, cpu->lf_src, cpu->lf_res,
			      cpu->lf_size) !=
		       ((cpu->lf_res & lf_top(cpu->lf_size)) != 0);
	return lf_sf(cpu) != lf_of(cpu);
}

static inline bool lf_cond(const struct emu_cpu *cpu, unsigned cc)
{
	bool r;

	switch ((cc >> 1) & 7) {
	case 0: r = lf_of(cpu); break;                  /* O */
	case 1: r = lf_cf(cpu); break;              /* B/C */
	case 2: r = lf_zf(cpu); break;                  /* Z/E */
	case 3: r = lf_cf(cpu) || lf_zf(cpu); break; /* BE */
	case 4: r = lf_sf(cpu); break;                  /* S */
	case 5: r = lf_pf(cpu); break;                  /* P */
	case 6: r = lf_cond_l(cpu); break;                  /* L */
	default: r = lf_zf(cpu) || lf_cond_l(cpu); break;  /* LE */
	}
	return r != (cc & 1);
}

/* Shifts define all six flags: CF and OF as given, AF cleared, ZF, SF
 * and PF lazily from the result r of size bytes (LF_RES). */
static inline void lf_shift(struct emu_cpu *cpu, unsigned size, uint64_t r,
			    bool cf, bool of)
{
	uint64_t f = cpu->rflags & ~(uint64_t)(RF_CF | RF_OF | RF_AF);

	cpu->rflags = f | (cf ? RF_CF : 0) | (of ? RF_OF : 0);
	lf_set(cpu, LF_RES, size, 0, 0, r);
}

/* Rotates change only CF and OF: ZF, SF and PF of the previous result
 * stay lazy (LF_RES keeps its result), its AF is folded into rflags. */
static inline void lf_rotate(struct emu_cpu *cpu, bool cf, bool of)
{
	uint64_t f = cpu->rflags & ~(uint64_t)(RF_CF | RF_OF);

	if (cpu->lf_op != LF_NONE && cpu->lf_op != LF_RES) {
		f = (f & ~(uint64_t)RF_AF) | (lf_af(cpu) ? RF_AF : 0);
		cpu->lf_op = LF_RES;
	}
	cpu->rflags = f | (cf ? RF_CF : 0) | (of ? RF_OF : 0);
}

#endif
