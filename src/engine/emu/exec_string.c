/* SPDX-License-Identifier: MIT */
/* String instructions MOVS CMPS SCAS LODS STOS INS OUTS with REP, REPE
 * and REPNE in every address size (SDM Vol. 2B, MOVS/CMPS/...; REP/REPE/
 * REPNE/REPZ/REPNZ). A long repetition runs in bounded chunks and then
 * restarts itself (RIP left at the instruction) so that the run loop can
 * take asynchronous events in between, as the SDM permits for REP
 * ("Interrupts and exceptions can occur during repeated string
 * operations"). */
#include "engine/emu/exec.h"
#include "engine/emu/lazyflags.h"

#define REP_CHUNK 4096

static inline uint64_t amask(const struct insn *in)
{
	return emu_mask(in->adsize);
}

/* rSI/rDI/rCX at the address size; a 32-bit update zero-extends. */
static void set_areg(struct emu_cpu *cpu, const struct insn *in,
		     unsigned r, uint64_t v)
{
	uint64_t m = amask(in);

	if (in->adsize == 2)
		cpu->gpr[r] = (cpu->gpr[r] & ~m) | (v & m);
	else
		cpu->gpr[r] = v & m;
}

static void step_areg(struct emu_cpu *cpu, const struct insn *in,
		      unsigned r)
{
	int64_t d = (cpu->rflags & RF_DF) ? -(int64_t)in->opsize : in->opsize;

	set_areg(cpu, in, r, cpu->gpr[r] + (uint64_t)d);
}

/* One element; returns false when a REPE/REPNE condition ends the loop. */
typedef bool (*str_elem)(struct emu_cpu *cpu, const struct insn *in);

static bool movs1(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t v = emu_read(cpu, in->seg, cpu->gpr[6] & amask(in), sz);

	emu_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz, v);
	step_areg(cpu, in, 6);
	step_areg(cpu, in, 7);
	return true;
}

static bool stos1(struct emu_cpu *cpu, const struct insn *in)
{
	emu_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), in->opsize,
		  cpu->gpr[0]);
	step_areg(cpu, in, 7);
	return true;
}

static bool lods1(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t v = emu_read(cpu, in->seg, cpu->gpr[6] & amask(in),
			      in->opsize);

	op_reg_set(cpu, 0, in->opsize, false, v);
	step_areg(cpu, in, 6);
	return true;
}

static void compare(struct emu_cpu *cpu, unsigned sz, uint64_t a,
		    uint64_t b)
{
	uint64_t m = emu_mask(sz);

	lf_set(cpu, LF_SUB, sz, a & m, b & m, (a - b) & m);
}

/* REPE continues while ZF = 1, REPNE while ZF = 0. */
static bool rep_cond(struct emu_cpu *cpu, const struct insn *in)
{
	bool zf = lf_cond(cpu, 4);

	return in->rep == 0xf3 ? zf : !zf;
}

static bool cmps1(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t a = emu_read(cpu, in->seg, cpu->gpr[6] & amask(in), sz);
	uint64_t b = emu_read(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz);

	compare(cpu, sz, a, b);
	step_areg(cpu, in, 6);
	step_areg(cpu, in, 7);
	return rep_cond(cpu, in);
}

static bool scas1(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t b = emu_read(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz);

	compare(cpu, sz, cpu->gpr[0], b);
	step_areg(cpu, in, 7);
	return rep_cond(cpu, in);
}

/* Port I/O for INS/OUTS that the engine completes itself (emu_io
 * returned: no exit). A port without a device reads as all ones. */
static bool ins1(struct emu_cpu *cpu, const struct insn *in)
{
	emu_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), in->opsize, ~0ull);
	step_areg(cpu, in, 7);
	return true;
}

static bool outs1(struct emu_cpu *cpu, const struct insn *in)
{
	emu_read(cpu, in->seg, cpu->gpr[6] & amask(in), in->opsize);
	step_areg(cpu, in, 6);
	return true;
}

/* Runs the element function once, or under REP up to REP_CHUNK times;
 * rCX counts down after each completed element so that a fault leaves a
 * restartable state. */
static void string_op(struct emu_cpu *cpu, const struct insn *in,
		      str_elem fn)
{
	uint64_t cx;

	if (!in->rep) {
		fn(cpu, in);
		return;
	}
	cx = cpu->gpr[1] & amask(in);
	for (unsigned n = 0; cx; n++) {
		if (n == REP_CHUNK) {
			cpu->rip = cpu->insn_rip;
			return;
		}
		bool more = fn(cpu, in);

		set_areg(cpu, in, 1, --cx);
		if (!more)
			break;
	}
}

/* Only CMPS/SCAS look at the REPE/REPNE distinction; for the others
 * F2 and F3 both mean REP. */
EXEC(exec_movs) { string_op(cpu, in, movs1); }   /* A4/A5 */
EXEC(exec_stos) { string_op(cpu, in, stos1); }   /* AA/AB */
EXEC(exec_lods) { string_op(cpu, in, lods1); }   /* AC/AD */
EXEC(exec_cmps) { string_op(cpu, in, cmps1); }   /* A6/A7 */
EXEC(exec_scas) { string_op(cpu, in, scas1); }   /* AE/AF */

/* INS/OUTS: the I/O port is DX; emu_io() checks permission and exits to
 * the VMM when the access is intercepted (SDM Vol. 3C, 26.1.3). */
EXEC(exec_ins)   /* 6C/6D */
{
	unsigned sz = in->opsize > 4 ? 4 : in->opsize;

	emu_io(cpu, in, (uint16_t)cpu->gpr[2], sz, true, true);
	string_op(cpu, in, ins1);
}

EXEC(exec_outs)   /* 6E/6F */
{
	unsigned sz = in->opsize > 4 ? 4 : in->opsize;

	emu_io(cpu, in, (uint16_t)cpu->gpr[2], sz, false, true);
	string_op(cpu, in, outs1);
}
