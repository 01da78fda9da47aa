/* SPDX-License-Identifier: MIT */
/* DAA, DAS, AAA, AAS, AAM and AAD against their SDM Vol. 2A Operation
 * sections, one row per branch of the pseudo-code (plus the SDM's worked
 * examples), run through emu_step over the mock MMU in 32-bit protected
 * mode. Each expected AX and flag value was worked out by hand from the
 * pseudo-code quoted at the row group. Only the flags the SDM defines are
 * compared; the undefined ones (OF for DAA/DAS; OF SF ZF PF for AAA/AAS;
 * OF AF CF for AAM/AAD) are Intel's business and are checked by the
 * records of the differential tests (tests/diff/diff_record.h). This file
 * exists because the random differential cases cannot run natively on a
 * host without 32-bit code segments; these rows need no oracle. */
#include "emu_mock.h"
#include "engine/emu/exec.h"
#include "test.h"

#include <string.h>

#define CODE 0x1000u
#define STACK 0x80000u
#define EAX_HIGH 0xdead0000u /* bits 31:16 of EAX, never written */

#define F_CF 0x001u
#define F_PF 0x004u
#define F_AF 0x010u
#define F_ZF 0x040u
#define F_SF 0x080u
#define F_OF 0x800u

/* The flags each instruction page defines ("Flags Affected"). */
#define DEF_DAA (F_CF | F_PF | F_AF | F_ZF | F_SF) /* OF undefined */
#define DEF_AAA (F_CF | F_AF)                      /* OF SF ZF PF undefined */
#define DEF_AAM (F_SF | F_ZF | F_PF)               /* OF AF CF undefined */

struct bcd_case {
	const char *what;
	uint8_t op, imm;   /* opcode, and imm8 for D4/D5 */
	uint16_t ax;       /* AX before */
	unsigned fl;       /* CF/AF (and other flags) before */
	uint16_t ax_want;  /* AX after */
	unsigned fl_want;  /* the defined flags after */
};

static const struct bcd_case bcd_cases[] = {
	/* DAA (27). old_AL := AL; old_CF := CF; CF := 0;
	 * IF ((AL AND 0FH) > 9) or AF = 1 THEN AL := AL + 6;
	 *   CF := old_CF or (Carry from AL := AL + 6); AF := 1;
	 * ELSE AF := 0; FI;
	 * IF (old_AL > 99H) or (old_CF = 1) THEN AL := AL + 60H; CF := 1;
	 * ELSE CF := 0; FI. SF ZF PF from AL. */
	{ "DAA SDM example 1: AEH (after 79H + 35H), flags 110000", 0x27, 0,
	  0x00ae, F_OF | F_SF, 0x0014, F_AF | F_PF | F_CF },
	/* The SDM's second example prints X00101 (CF 1); its Operation
	 * section gives CF 0 here (old_AL 2EH <= 99H, old_CF 0). */
	{ "DAA SDM example 2: 2EH, flags 110000", 0x27, 0, 0x002e,
	  F_OF | F_SF, 0x0034, F_AF },
	{ "DAA AF=1, low nibble <= 9", 0x27, 0, 0x0012, F_AF, 0x0018,
	  F_AF | F_PF },
	{ "DAA CF=1, AL <= 99H", 0x27, 0, 0x0005, F_CF, 0x0065, F_CF | F_PF },
	{ "DAA AL > 99H, low nibble <= 9", 0x27, 0, 0x00a3, 0, 0x0003,
	  F_CF | F_PF },
	{ "DAA carry out of AL + 6", 0x27, 0, 0x00fa, 0, 0x0060,
	  F_CF | F_AF | F_PF },
	{ "DAA no adjustment (99H)", 0x27, 0, 0x0099, 0, 0x0099,
	  F_SF | F_PF },
	{ "DAA result 0 (9AH)", 0x27, 0, 0x009a, 0, 0x0000,
	  F_ZF | F_PF | F_AF | F_CF },
	/* DAS (2F). As DAA with AL - 6, "Borrow from AL := AL - 6" and
	 * AL - 60H; the second IF has no ELSE, so a borrow of the first
	 * step stays in CF. */
	{ "DAS SDM example: EEH (after 35H - 47H), flags 010111", 0x2f, 0,
	  0x00ee, F_SF | F_AF | F_PF | F_CF, 0x0088,
	  F_SF | F_AF | F_PF | F_CF },
	{ "DAS AF=1, low nibble <= 9", 0x2f, 0, 0x0047, F_AF, 0x0041,
	  F_AF | F_PF },
	{ "DAS borrow from AL - 6 (AL 03H, AF=1)", 0x2f, 0, 0x0003, F_AF,
	  0x00fd, F_SF | F_AF | F_CF },
	{ "DAS CF=1, AL <= 99H", 0x2f, 0, 0x0025, F_CF, 0x00c5,
	  F_SF | F_PF | F_CF },
	{ "DAS AL > 99H, low nibble <= 9", 0x2f, 0, 0x00b2, 0, 0x0052, F_CF },
	{ "DAS low nibble > 9, AF=0", 0x2f, 0, 0x001b, 0, 0x0015, F_AF },
	{ "DAS result 0 (66H, AF=1, CF=1)", 0x2f, 0, 0x0066, F_AF | F_CF,
	  0x0000, F_ZF | F_PF | F_AF | F_CF },
	/* AAA (37). IF ((AL AND 0FH) > 9) or (AF = 1) THEN
	 * AX := AX + 106H; AF := 1; CF := 1; ELSE AF := 0; CF := 0; FI;
	 * AL := AL AND 0FH. */
	{ "AAA low nibble > 9", 0x37, 0, 0x000e, 0, 0x0104, F_AF | F_CF },
	{ "AAA AF=1, low nibble <= 9", 0x37, 0, 0x0312, F_AF, 0x0408,
	  F_AF | F_CF },
	{ "AAA no adjustment (CF=1 in)", 0x37, 0, 0x0537, F_CF, 0x0507, 0 },
	{ "AAA AX + 106H carries out of AL", 0x37, 0, 0x01fb, 0, 0x0301,
	  F_AF | F_CF },
	{ "AAA AX wraps (FF0AH)", 0x37, 0, 0xff0a, 0, 0x0000, F_AF | F_CF },
	/* AAS (3F). IF ((AL AND 0FH) > 9) or (AF = 1) THEN AX := AX - 6;
	 * AH := AH - 1; AF := 1; CF := 1; AL := AL AND 0FH;
	 * ELSE CF := 0; AF := 0; AL := AL AND 0FH; FI. */
	{ "AAS low nibble > 9", 0x3f, 0, 0x050e, 0, 0x0408, F_AF | F_CF },
	{ "AAS AF=1, low nibble <= 9", 0x3f, 0, 0x0213, F_AF, 0x010d,
	  F_AF | F_CF },
	{ "AAS AX - 6 borrows from AH (0203H, AF=1)", 0x3f, 0, 0x0203, F_AF,
	  0x000d, F_AF | F_CF },
	{ "AAS AH wraps (0000H, AF=1)", 0x3f, 0, 0x0000, F_AF, 0xfe0a,
	  F_AF | F_CF },
	{ "AAS no adjustment (CF=1 in)", 0x3f, 0, 0x07f5, F_CF, 0x0705, 0 },
	/* AAM (D4 ib). tempAL := AL; AH := tempAL / imm8;
	 * AL := tempAL MOD imm8. SF ZF PF from AL. */
	{ "AAM 75 (AH ignored)", 0xd4, 10, 0x124b, 0, 0x0705, F_PF },
	{ "AAM imm8 7, AL FFH", 0xd4, 7, 0x00ff, 0, 0x2403, F_PF },
	{ "AAM imm8 16, AL A7H", 0xd4, 16, 0x00a7, 0, 0x0a07, 0 },
	{ "AAM AL 0", 0xd4, 10, 0x3300, 0, 0x0000, F_ZF | F_PF },
	{ "AAM imm8 FFH, AL FEH (SF)", 0xd4, 0xff, 0x00fe, 0, 0x00fe, F_SF },
	/* AAD (D5 ib). AL := (tempAL + (tempAH * imm8)) AND FFH; AH := 0.
	 * SF ZF PF from AL. */
	{ "AAD 0502H", 0xd5, 10, 0x0502, 0, 0x0034, 0 },
	{ "AAD imm8 7, 0306H", 0xd5, 7, 0x0306, 0, 0x001b, F_PF },
	{ "AAD AND FFH (1A09H)", 0xd5, 10, 0x1a09, 0, 0x000d, 0 },
	{ "AAD SF (0C08H)", 0xd5, 10, 0x0c08, 0, 0x0080, F_SF },
	{ "AAD result 0 (8000H)", 0xd5, 10, 0x8000, 0, 0x0000, F_ZF | F_PF },
};

static struct emu_cpu cpu;

static unsigned defined_flags(uint8_t op)
{
	switch (op) {
	case 0x27: case 0x2f: return DEF_DAA;
	case 0x37: case 0x3f: return DEF_AAA;
	default: return DEF_AAM;
	}
}

/* Runs the row's instruction followed by HLT from EAX and RFLAGS. */
static void bcd_run(uint8_t op, uint8_t imm, uint32_t eax, unsigned fl)
{
	uint8_t code[3] = { op, imm, 0xf4 };
	bool has_imm = op == 0xd4 || op == 0xd5;

	mock_cpu_init(&cpu, MODE_PROT32, CODE, STACK);
	memcpy(mock_mem + CODE, code, sizeof(code));
	if (!has_imm)
		mock_mem[CODE + 1] = 0xf4;
	cpu.gpr[0] = eax;
	emu_set_rflags(&cpu, 2 | fl);
	mock_run(&cpu, 10);
}

TEST(bcd_sdm_operation)
{
	unsigned bad = 0;

	for (size_t i = 0; i < sizeof(bcd_cases) / sizeof(bcd_cases[0]); i++) {
		const struct bcd_case *c = &bcd_cases[i];
		unsigned def = defined_flags(c->op);
		unsigned fl;

		bcd_run(c->op, c->imm, EAX_HIGH | c->ax, c->fl);
		fl = (unsigned)emu_get_rflags(&cpu) & def;
		if (mock_exc == -1 && cpu.halted &&
		    cpu.gpr[0] == (EAX_HIGH | c->ax_want) && fl == c->fl_want)
			continue;
		printf("# %s: EAX %08llx flags %03x exc %d, want EAX %08x "
		       "flags %03x (of %03x)\n", c->what,
		       (unsigned long long)cpu.gpr[0], fl, mock_exc,
		       EAX_HIGH | c->ax_want, c->fl_want, def);
		bad++;
	}
	printf("# %zu rows: AX, EAX bits 31:16 and the SDM-defined flags "
	       "compared; undefined flags not checked here\n",
	       sizeof(bcd_cases) / sizeof(bcd_cases[0]));
	EXPECT_EQ(0, bad);
}

/* AAM with imm8 = 0: "#DE If an immediate value of 0 is used" (SDM
 * Vol. 2A AAM, Protected Mode Exceptions); a fault, so EIP stays at the
 * instruction and AX is unchanged. */
TEST(bcd_aam_zero_divides)
{
	bcd_run(0xd4, 0, EAX_HIGH | 0x1234, 0);
	EXPECT_EQ(EXC_DE, mock_exc);
	EXPECT_EQ(CODE, cpu.rip);
	EXPECT_EQ(EAX_HIGH | 0x1234, cpu.gpr[0]);
}
