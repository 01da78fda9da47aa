/* SPDX-License-Identifier: MIT */
/* Decimal arithmetic adjustments DAA DAS AAA AAS AAM AAD (legacy and
 * compatibility modes only; the decoder raises #UD in 64-bit mode). SDM
 * Vol. 2A, the instruction pages of each. */
#include "engine/emu/exec.h"

static uint64_t al(struct emu_cpu *cpu)
{
	return cpu->gpr[0] & 0xff;
}

static void set_al(struct emu_cpu *cpu, uint64_t v)
{
	op_reg_set(cpu, 0, 1, false, v);
}

/* CF and AF as given; SF, ZF, PF from AL; OF cleared. */
static void bcd_flags(struct emu_cpu *cpu, bool cf, bool af)
{
	uint64_t a = al(cpu);
	uint64_t f = (cf ? RF_CF : 0) | (af ? RF_AF : 0) | emu_pf(a) |
		     (a ? 0 : RF_ZF) | ((a & 0x80) ? RF_SF : 0);

	emu_set_arith(cpu, RF_ARITH, f);
}

static bool get_af(struct emu_cpu *cpu)
{
	return (emu_get_rflags(cpu) & RF_AF) != 0;
}

EXEC(exec_daa)   /* 27 */
{
	uint64_t old = al(cpu);
	bool cf = emu_get_cf(cpu), af = get_af(cpu), ncf = false;

	(void)in;
	if ((old & 0x0f) > 9 || af) {
		set_al(cpu, old + 6);
		ncf = cf || old + 6 > 0xff;
		af = true;
	}
	if (old > 0x99 || cf) {
		set_al(cpu, al(cpu) + 0x60);
		ncf = true;
	}
	bcd_flags(cpu, ncf, af);
}

EXEC(exec_das)   /* 2F */
{
	uint64_t old = al(cpu);
	bool cf = emu_get_cf(cpu), af = get_af(cpu), ncf = false;

	(void)in;
	if ((old & 0x0f) > 9 || af) {
		set_al(cpu, old - 6);
		ncf = cf || old < 6;
		af = true;
	}
	if (old > 0x99 || cf) {
		set_al(cpu, al(cpu) - 0x60);
		ncf = true;
	}
	bcd_flags(cpu, ncf, af);
}

/* AAA/AAS adjust AX and keep only the low nibble of AL. */
static void ascii_adjust(struct emu_cpu *cpu, bool add)
{
	bool adj = (al(cpu) & 0x0f) > 9 || get_af(cpu);
	uint64_t ax = cpu->gpr[0] & 0xffff;

	if (adj)
		ax = add ? ax + 0x106 : ((ax - 6) & 0xffff) - 0x100;
	ax = (ax & 0xff00) | (ax & 0x0f);
	ax &= 0xffff;
	op_reg_set(cpu, 0, 2, false, ax);
	bcd_flags(cpu, adj, adj);
}

EXEC(exec_aaa) { (void)in; ascii_adjust(cpu, true); }    /* 37 */
EXEC(exec_aas) { (void)in; ascii_adjust(cpu, false); }   /* 3F */

EXEC(exec_aam)   /* D4 ib: #DE for a zero base */
{
	uint64_t base = in->imm & 0xff, a = al(cpu);

	if (base == 0)
		emu_raise(cpu, EXC_DE, 0);
	op_reg_set(cpu, 0, 2, false, ((a / base) << 8) | (a % base));
	bcd_flags(cpu, false, false);
}

/* AAD: AL = AL + AH * imm8, AH = 0. The SDM leaves OF, AF, CF
 * undefined; a current Intel core sets all flags as for the byte ADD of
 * AL and (AH * imm8) mod 256. */
EXEC(exec_aad)   /* D5 ib */
{
	uint64_t t = (((cpu->gpr[0] >> 8) & 0xff) * (in->imm & 0xff)) & 0xff;
	uint64_t a = al(cpu), r = (a + t) & 0xff;

	op_reg_set(cpu, 0, 2, false, r);
	lf_set(cpu, LF_ADD, 1, a, t, r);
}
