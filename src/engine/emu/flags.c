/* SPDX-License-Identifier: MIT */
/* Lazy arithmetic flags: handlers record the last operation, its operands
 * and result (lf_set); flags are computed only when something reads them.
 * Flag definitions: SDM Vol. 1, 3.4.3.1 and the instruction pages of
 * Vol. 2; the "undefined" cases follow a current Intel core. */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

/* Bits reserved in RFLAGS: bit 1 reads as 1; 3, 5, 15 and 22-63 as 0
 * (SDM Vol. 1, 3.4.3). */
#define RF_FIXED1 (1ull << 1)
#define RF_WRITABLE (RF_ARITH | RF_TF | RF_IF | RF_DF | RF_IOPL | RF_NT | \
		     RF_RF | RF_VM | RF_AC | RF_VIF | RF_VIP | RF_ID)

bool emu_get_cf(struct emu_cpu *cpu)
{
	return lf_cf(cpu);
}

bool emu_cond(struct emu_cpu *cpu, unsigned cc)
{
	return lf_cond(cpu, cc);
}

/* The arithmetic flags the lazy kind defines (others stay in rflags). */
static uint64_t lazy_mask(uint32_t op)
{
	switch (op) {
	case LF_NONE:
		return 0;
	case LF_INC:
	case LF_DEC:
		return RF_ARITH & ~(uint64_t)RF_CF;
	case LF_RES:
		return RF_ZF | RF_SF | RF_PF;
	default:
		return RF_ARITH;
	}
}

uint64_t emu_get_rflags(struct emu_cpu *cpu)
{
	uint64_t m = lazy_mask(cpu->lf_op);
	uint64_t f = 0;

	if (m) {
		f |= lf_cf(cpu) ? RF_CF : 0;
		f |= lf_pf(cpu) ? RF_PF : 0;
		f |= lf_af(cpu) ? RF_AF : 0;
		f |= lf_zf(cpu) ? RF_ZF : 0;
		f |= lf_sf(cpu) ? RF_SF : 0;
		f |= lf_of(cpu) ? RF_OF : 0;
		cpu->rflags = (cpu->rflags & ~m) | (f & m);
		cpu->lf_op = LF_NONE;
	}
	cpu->rflags = (cpu->rflags & RF_WRITABLE) | RF_FIXED1;
	return cpu->rflags;
}

void emu_set_rflags(struct emu_cpu *cpu, uint64_t v)
{
	cpu->lf_op = LF_NONE;
	cpu->rflags = (v & RF_WRITABLE) | RF_FIXED1;
}

/* Flags that replace all six need no evaluation of the lazy state;
 * ones that leave ZF, SF and PF keep them lazy (LF_RES) and fold CF,
 * OF and AF of the lazy state into rflags. */
void emu_set_arith(struct emu_cpu *cpu, uint64_t mask, uint64_t v)
{
	uint64_t f;

	if ((mask & RF_ARITH) == RF_ARITH) {
		cpu->lf_op = LF_NONE;
		cpu->rflags = (cpu->rflags & ~mask) | (v & mask);
		return;
	}
	if (!(mask & (RF_ZF | RF_SF | RF_PF)) && cpu->lf_op != LF_NONE) {
		f = cpu->rflags & ~(uint64_t)(RF_CF | RF_OF | RF_AF);
		f |= lf_cf(cpu) ? RF_CF : 0;
		f |= lf_of(cpu) ? RF_OF : 0;
		f |= lf_af(cpu) ? RF_AF : 0;
		cpu->lf_op = LF_RES;
		cpu->rflags = (f & ~mask) | (v & mask);
		return;
	}
	f = emu_get_rflags(cpu);
	cpu->rflags = (f & ~mask) | (v & mask);
}
