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

#include <string.h>

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
	uint64_t v = op_read(cpu, in->seg, cpu->gpr[6] & amask(in), sz);

	op_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz, v);
	step_areg(cpu, in, 6);
	step_areg(cpu, in, 7);
	return true;
}

static bool stos1(struct emu_cpu *cpu, const struct insn *in)
{
	op_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), in->opsize,
		 cpu->gpr[0]);
	step_areg(cpu, in, 7);
	return true;
}

static bool lods1(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t v = op_read(cpu, in->seg, cpu->gpr[6] & amask(in),
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
	uint64_t a = op_read(cpu, in->seg, cpu->gpr[6] & amask(in), sz);
	uint64_t b = op_read(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz);

	compare(cpu, sz, a, b);
	step_areg(cpu, in, 6);
	step_areg(cpu, in, 7);
	return rep_cond(cpu, in);
}

static bool scas1(struct emu_cpu *cpu, const struct insn *in)
{
	unsigned sz = in->opsize;
	uint64_t b = op_read(cpu, SEG_ES, cpu->gpr[7] & amask(in), sz);

	compare(cpu, sz, cpu->gpr[0], b);
	step_areg(cpu, in, 7);
	return rep_cond(cpu, in);
}

/* Port I/O for INS/OUTS that the engine completes itself (emu_io
 * returned: no exit). A port without a device reads as all ones. */
static bool ins1(struct emu_cpu *cpu, const struct insn *in)
{
	op_write(cpu, SEG_ES, cpu->gpr[7] & amask(in), in->opsize, ~0ull);
	step_areg(cpu, in, 7);
	return true;
}

static bool outs1(struct emu_cpu *cpu, const struct insn *in)
{
	op_read(cpu, in->seg, cpu->gpr[6] & amask(in), in->opsize);
	step_areg(cpu, in, 6);
	return true;
}

/* ---- REP MOVS/STOS fast path: whole in-page runs through host
 * pointers (forward direction only; ranges that overlap forward keep the
 * element-by-element path, whose result differs from memmove). ---- */

static bool bulk_ok(const struct emu_cpu *cpu)
{
	/* A CPL-3 alignment check could fire on the bulk size; the element
	 * path raises #AC exactly (SDM Vol. 3A, 6.15 "#AC"). */
	return !(cpu->rflags & RF_DF) &&
	       !(cpu->cpl == 3 && (cpu->cr0 & (1u << 18)) &&
		 (cpu->rflags & RF_AC));
}

/* Elements from off to the end of its page, and before the address-size
 * wrap. */
static uint64_t room(const struct insn *in, uint64_t off, uint64_t lin)
{
	uint64_t page = (0x1000 - (lin & 0xfff)) / in->opsize;
	uint64_t wrap = (amask(in) - off) / in->opsize + 1;

	return page < wrap ? page : wrap;
}

static uint64_t seg_base(struct emu_cpu *cpu, int seg)
{
	return cpu->mode == MODE_LONG && seg < SEG_FS ? 0 : cpu->seg[seg].base;
}

/* Copies or fills up to n elements at once; returns how many (0: use
 * the element path). */
static uint64_t bulk(struct emu_cpu *cpu, const struct insn *in, uint64_t n,
		     bool movs)
{
	unsigned sz = in->opsize;
	uint64_t di = cpu->gpr[7] & amask(in), si = cpu->gpr[6] & amask(in);
	uint8_t *d, *sp = NULL;

	n = n < room(in, di, seg_base(cpu, SEG_ES) + di) ? n :
	    room(in, di, seg_base(cpu, SEG_ES) + di);
	if (movs) {
		uint64_t r = room(in, si, seg_base(cpu, in->seg) + si);

		n = n < r ? n : r;
	}
	if (n < 2)
		return 0;
	if (movs) {
		sp = emu_host_ptr(cpu, in->seg, si, (unsigned)(n * sz), ACC_READ);
		if (!sp)
			return 0;
	}
	d = emu_host_ptr(cpu, SEG_ES, di, (unsigned)(n * sz), ACC_WRITE);
	if (!d)
		return 0;
	if (movs && d > sp && d < sp + n * sz)
		return 0;
	if (movs)
		memmove(d, sp, n * sz);
	else if (sz == 1)
		memset(d, (int)(cpu->gpr[0] & 0xff), n);
	else
		for (uint64_t i = 0; i < n; i++)
			memcpy(d + i * sz, &cpu->gpr[0], sz);
	return n;
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
		if (n >= REP_CHUNK) {
			cpu->rip = cpu->insn_rip;
			return;
		}
		if ((fn == movs1 || fn == stos1) && bulk_ok(cpu)) {
			uint64_t k = bulk(cpu, in, cx < REP_CHUNK ? cx : REP_CHUNK,
					  fn == movs1);

			if (k) {
				uint64_t bytes = k * in->opsize;

				if (fn == movs1)
					set_areg(cpu, in, 6, cpu->gpr[6] + bytes);
				set_areg(cpu, in, 7, cpu->gpr[7] + bytes);
				cx -= k;
				set_areg(cpu, in, 1, cx);
				n += (unsigned)k - 1;
				continue;
			}
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
