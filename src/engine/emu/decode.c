/* SPDX-License-Identifier: MIT */
/* Instruction decoder (prefixes -> REX/VEX -> opcode -> ModRM -> SIB ->
 * displacement -> immediate; SDM Vol. 2A, chapter 2) and the cache of
 * decoded instructions that emu_step() executes from. */
#include "engine/emu/exec.h"

#include <stdlib.h>
#include <string.h>

/* Opcode attributes (see opcodes.def). */
enum {
	M = 1u << 0, B = 1u << 1, IB = 1u << 2, IBU = 1u << 3, IW = 1u << 4,
	IZ = 1u << 5, IV = 1u << 6, MOFFS = 1u << 7, FAR = 1u << 8,
	IB2 = 1u << 9, LK = 1u << 10, I64 = 1u << 11, D64 = 1u << 12,
	F64 = 1u << 13, MEM = 1u << 14, R3 = 1u << 15, P66M = 1u << 16,
	END = 1u << 17, BR = 1u << 18,
};
#define G_SHIFT 24
#define G(n) ((uint32_t)(n) << G_SHIFT)
enum { GRP_NONE, GRP1, GRP1A, GRP3, GRP4, GRP5, GRP8, GRP9, GRP11, GRP17,
       GRP_COUNT };

struct opdesc {
	emu_handler fn;
	uint32_t attr;
};

struct pxdesc {
	uint16_t idx;
	uint8_t pfx;
	emu_handler fn;
	uint32_t attr;
};

static const struct opdesc op_table[4 * 256] = {
#define OP(i, f, a) [i] = { f, a },
#include "engine/emu/opcodes.def"
};

static const struct opdesc grp_table[GRP_COUNT * 8] = {
#define GRP(g, r, f, a) [(g) * 8 + (r)] = { f, a },
#include "engine/emu/opcodes.def"
};

static const struct pxdesc px_table[] = {
#define PX(i, p, f, a) { i, p, f, a },
#include "engine/emu/opcodes.def"
};

static const struct opdesc alt32_table[256] = {
#define ALT32(i, f, a) [i] = { f, a },
#include "engine/emu/opcodes.def"
};

struct fastdesc {
	emu_handler fn;
	uint8_t size;
	emu_handler fast;
};

static const struct fastdesc fast_table[] = {
#define FAST(f, s, x) { f, s, x },
#include "engine/emu/opcodes.def"
};

/* VEX maps 0F38 and 0F3A only, by opcode and implied prefix pp. */
static const struct opdesc vex_table[2][256][4] = {
#define VX(i, p, f, a) [((i) >> 8) - 2][(i) & 0xff][p] = { f, a },
#include "engine/emu/opcodes.def"
};

_Static_assert(GRP_COUNT <= 256 >> 0, "group ids fit the attribute byte");

/* ---------------------------------------------------------------- */
/* Byte supply: instruction bytes come only through emu_fetch(), page by
 * page; an instruction longer than 15 bytes is #GP(0) (SDM Vol. 2A,
 * 2.3.11). */

#define INSN_MAX 15

struct dstate {
	struct emu_cpu *cpu;
	uint64_t lin;
	unsigned have, pos;
	jmp_buf *probe;      /* decoding ahead: fail here instead of faulting */
	uint8_t buf[INSN_MAX + 1];
};

/* An encoding fault; while decoding ahead (probe) it only ends the block,
 * the fault is raised when execution reaches the instruction. */
static _Noreturn void fail(struct dstate *d, int vec)
{
	if (d->probe)
		longjmp(*d->probe, 1);
	emu_raise(d->cpu, vec, 0);
}

static uint8_t next_byte(struct dstate *d)
{
	if (d->pos >= INSN_MAX)
		fail(d, EXC_GP);
	if (d->pos >= d->have) {
		uint64_t a = d->lin + d->have;

		if (d->cpu->mode != MODE_LONG)
			a &= 0xffffffffu;
		d->have += emu_fetch(d->cpu, a, d->buf + d->have,
				     INSN_MAX - d->have);
	}
	return d->buf[d->pos++];
}

static uint64_t next_le(struct dstate *d, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)next_byte(d) << (8 * i);
	return v;
}

/* ---------------------------------------------------------------- */
/* Prefixes (SDM Vol. 2A, 2.1.1 and 2.2.1). */

struct prefixes {
	uint8_t seg;  /* last segment override or SEG_NONE */
	uint8_t a67;
	uint8_t vex;
};

static bool is_long(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_LONG;
}

static int seg_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: return SEG_ES;
	case 0x2e: return SEG_CS;
	case 0x36: return SEG_SS;
	case 0x3e: return SEG_DS;
	case 0x64: return SEG_FS;
	case 0x65: return SEG_GS;
	default: return -1;
	}
}

/* Returns the first opcode byte. Within a group the last prefix wins;
 * a REX byte counts only directly before the opcode (SDM Vol. 2A,
 * 2.2.1). */
static uint8_t decode_prefixes(struct dstate *d, struct insn *in,
			       struct prefixes *p)
{
	for (;;) {
		uint8_t b = next_byte(d);
		int s = seg_prefix(b);

		if (s >= 0)
			p->seg = (uint8_t)s;
		else if (b == 0xf0)
			in->lock = 1;
		else if (b == 0xf2 || b == 0xf3)
			in->rep = b;
		else if (b == 0x66)
			in->pfx66 = 1;
		else if (b == 0x67)
			p->a67 = 1;
		else if (is_long(d->cpu) && (b & 0xf0) == 0x40) {
			in->rex = b;
			continue;
		} else
			return b;
		in->rex = 0;
	}
}

/* ---------------------------------------------------------------- */
/* VEX (SDM Vol. 2A, 2.3.5). In legacy and compatibility modes C4/C5 are
 * LES/LDS unless ModRM.mod would be 11b; VEX never exists in real or
 * virtual-8086 mode. */

static bool vex_present(struct dstate *d)
{
	struct emu_cpu *cpu = d->cpu;
	uint8_t nb;

	if (is_long(cpu))
		return true;
	if (cpu->mode == MODE_REAL || cpu->mode == MODE_V86)
		return false;
	nb = next_byte(d);
	d->pos--;
	return (nb & 0xc0) == 0xc0;
}

/* VEX SIMD forms (AVX, AVX2, FMA, F16C) all go to exec_sys_avx, with pp
 * turned into the mandatory prefix it stands for (SDM Vol. 2A, 2.3.5.1
 * and Table 2-9); imm8 presence per SDM Vol. 2D, Tables. */
static struct opdesc vex_simd(struct insn *in, unsigned pp)
{
	uint32_t attr = M;

	if (pp == 1)
		in->pfx66 = 1;
	else if (pp)
		in->rep = pp == 2 ? 0xf3 : 0xf2;
	if (in->map == 1 && in->op == 0x77)
		attr = 0;
	if (in->map == 3 || (in->map == 1 && ((in->op >= 0x70 &&
	    in->op <= 0x73) || (in->op >= 0xc2 && in->op <= 0xc6))))
		attr |= IBU;
	return (struct opdesc){ exec_sys_avx, attr };
}

/* Decodes the VEX payload and the opcode byte; returns the descriptor. */
static struct opdesc decode_vex(struct dstate *d, struct insn *in,
				uint8_t first)
{
	struct emu_cpu *cpu = d->cpu;
	uint8_t b1 = next_byte(d), b2, mmmmm = 1, pp;

	if (in->rex || in->pfx66 || in->rep || in->lock)
		fail(d, EXC_UD);
	if (first == 0xc5) {
		b2 = b1;
		in->rex = (b1 & 0x80) ? 0 : 0x44;
	} else {
		b2 = next_byte(d);
		mmmmm = b1 & 0x1f;
		in->rex = (uint8_t)(0x40 | ((~b1 >> 5) & 4) |
				    ((~b1 >> 5) & 2) | ((~b1 >> 5) & 1) |
				    ((b2 >> 4) & 8));
	}
	if (!is_long(cpu))
		in->rex = 0;
	in->vex_w = first == 0xc5 ? 0 : (b2 >> 7) & 1; /* C5: W is 0 */
	in->vex_v = (~b2 >> 3) & (is_long(cpu) ? 15 : 7);
	in->vex_l = (b2 >> 2) & 1;
	pp = b2 & 3;
	in->map = mmmmm;
	in->op = next_byte(d);
	if (mmmmm < 1 || mmmmm > 3)
		fail(d, EXC_UD);
	if (mmmmm != 1) {
		struct opdesc od = vex_table[mmmmm - 2][in->op][pp];

		if (od.fn || od.attr) {
			if (in->vex_l)
				fail(d, EXC_UD);
			return od;
		}
	}
	return vex_simd(in, pp);
}

/* ---------------------------------------------------------------- */
/* ModRM, SIB and displacement (SDM Vol. 2A, 2.1.5 Tables 2-1 to 2-3,
 * 2.2.1.6 for RIP-relative addressing). */

static const uint8_t base16[8] = { 3, 3, 5, 5, 6, 7, 5, 3 };
static const uint8_t index16[8] = { 6, 7, 6, 7, 0xff, 0xff, 0xff, 0xff };

static void modrm16(struct dstate *d, struct insn *in, unsigned rm)
{
	if (in->mod == 0 && rm == 6) {
		in->disp = (int16_t)next_le(d, 2);
		return;
	}
	in->base = base16[rm];
	in->index = index16[rm];
	if (in->mod == 1)
		in->disp = (int8_t)next_byte(d);
	else if (in->mod == 2)
		in->disp = (int16_t)next_le(d, 2);
}

static void modrm32(struct dstate *d, struct insn *in, unsigned rm)
{
	unsigned rexb = (in->rex & 1) << 3;

	if (rm == 4) {
		uint8_t sib = next_byte(d);
		unsigned idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		unsigned bs = sib & 7;

		in->scale = sib >> 6;
		if (idx != 4)
			in->index = (uint8_t)idx;
		if (bs == 5 && in->mod == 0)
			in->disp = (int32_t)next_le(d, 4);
		else
			in->base = (uint8_t)(bs | rexb);
	} else if (rm == 5 && in->mod == 0) {
		if (is_long(d->cpu))
			in->base = 0x10;
		in->disp = (int32_t)next_le(d, 4);
		return;
	} else {
		in->base = (uint8_t)(rm | rexb);
	}
	if (in->mod == 1)
		in->disp = (int8_t)next_byte(d);
	else if (in->mod == 2)
		in->disp = (int32_t)next_le(d, 4);
}

static void decode_modrm(struct dstate *d, struct insn *in, uint32_t attr)
{
	uint8_t m = next_byte(d);
	unsigned rm = m & 7;

	in->has_modrm = 1;
	in->mod = m >> 6;
	in->reg = (uint8_t)(((m >> 3) & 7) | ((in->rex & 4) << 1));
	in->rm = (uint8_t)(rm | ((in->rex & 1) << 3));
	/* MOV to/from control and debug registers ignore mod (SDM Vol. 2B,
	 * MOV-Move to/from Control Registers). */
	if (attr & R3)
		in->mod = 3;
	if (in->mod == 3)
		return;
	if (in->adsize == 2)
		modrm16(d, in, rm);
	else
		modrm32(d, in, rm);
}

/* ---------------------------------------------------------------- */
/* Operand and address size (SDM Vol. 1, 3.6 Table 3-4; Vol. 2A, 2.2.1.2
 * and Table 2-4 for 64-bit defaults). */

static uint8_t operand_size(const struct emu_cpu *cpu, const struct insn *in,
			    uint32_t attr)
{
	unsigned os;

	if (attr & B)
		return 1;
	if (is_long(cpu) && (in->rex & 8))
		return 8;
	if (is_long(cpu) && (attr & F64))
		return 8;
	os = cpu->code_size == 2 ? 2 : 4;
	if (in->pfx66 && !(attr & P66M))
		os = os == 2 ? 4 : 2;
	if (is_long(cpu) && (attr & D64) && os == 4)
		os = 8;
	return (uint8_t)os;
}

static uint8_t address_size(const struct emu_cpu *cpu, bool a67)
{
	switch (cpu->code_size) {
	case 8: return a67 ? 4 : 8;
	case 4: return a67 ? 2 : 4;
	default: return a67 ? 4 : 2;
	}
}

/* Default segment DS, or SS for rBP/rSP-based addresses; in 64-bit mode
 * only FS and GS overrides count (SDM Vol. 1, 3.7.4.1). */
static uint8_t operand_segment(const struct emu_cpu *cpu,
			       const struct insn *in, uint8_t ovr)
{
	if (ovr != SEG_NONE && (!is_long(cpu) || ovr >= SEG_FS))
		return ovr;
	if (in->has_modrm && in->mod != 3 && (in->base == 4 || in->base == 5))
		return SEG_SS;
	return SEG_DS;
}

static void decode_imm(struct dstate *d, struct insn *in, uint32_t attr)
{
	if (attr & MOFFS)
		in->imm = next_le(d, in->adsize);
	if (attr & FAR) {
		in->imm = next_le(d, in->opsize == 2 ? 2 : 4);
		in->imm2 = next_le(d, 2);
	}
	if (attr & IW)
		in->imm = next_le(d, 2);
	if (attr & IB2)
		in->imm2 = next_byte(d);
	if (attr & IZ) {
		unsigned n = in->opsize > 4 ? 4 : in->opsize;

		in->imm = (uint64_t)emu_sext(next_le(d, n), n);
	}
	if (attr & IV)
		in->imm = next_le(d, in->opsize);
	if (attr & IB)
		in->imm = (uint64_t)(int64_t)(int8_t)next_byte(d);
	if (attr & IBU)
		in->imm = next_byte(d);
}

/* ---------------------------------------------------------------- */
/* Opcode selection. */

/* A mandatory-prefix form replaces the plain one (F3/F2 take precedence
 * over 66; SDM Vol. 2A, 2.1.2). */
static struct opdesc select_prefixed(struct insn *in, unsigned idx,
				     struct opdesc od)
{
	const struct pxdesc *hit = NULL;

	for (size_t i = 0; i < sizeof(px_table) / sizeof(px_table[0]); i++) {
		const struct pxdesc *px = &px_table[i];

		if (px->idx != idx)
			continue;
		if ((px->pfx == in->rep && in->rep) ||
		    (px->pfx == 0x66 && in->pfx66 && !hit))
			hit = px;
	}
	if (!hit)
		return od;
	if (hit->pfx != 0x66)
		in->rep = 0;
	return (struct opdesc){ hit->fn, hit->attr };
}

static struct opdesc lookup(struct dstate *d, struct insn *in, uint8_t b,
			    struct prefixes *p)
{
	unsigned idx;
	struct opdesc od;

	in->map = 0;
	if (b == 0x0f) {
		b = next_byte(d);
		in->map = 1;
		if (b == 0x38 || b == 0x3a) {
			in->map = b == 0x38 ? 2 : 3;
			b = next_byte(d);
		}
	} else if ((b == 0xc4 || b == 0xc5) && vex_present(d)) {
		p->vex = 1;
		return decode_vex(d, in, b);
	}
	in->op = b;
	idx = (unsigned)in->map << 8 | b;
	od = op_table[idx];
	if (idx < 256 && alt32_table[idx].fn && !is_long(d->cpu))
		od = alt32_table[idx];
	if (in->map && (in->rep || in->pfx66))
		od = select_prefixed(in, idx, od);
	return od;
}

/* The specialised handler for a register-only form, if there is one. */
static emu_handler fast_form(const struct insn *in)
{
	for (size_t i = 0; i < sizeof(fast_table) / sizeof(fast_table[0]); i++)
		if (fast_table[i].fn == in->fn &&
		    fast_table[i].size == in->opsize)
			return fast_table[i].fast;
	return in->fn;
}

/* The 64-bit-mode memory form of MOV r/m with a base-less segment, if
 * there is one (exec_fast.c). */
static emu_handler mem_form(const struct emu_cpu *cpu, const struct insn *in)
{
	bool q = in->opsize == 8;

	if (!is_long(cpu) || in->seg == SEG_FS || in->seg == SEG_GS ||
	    (in->opsize != 8 && in->opsize != 4))
		return in->fn;
	if (in->fn == exec_mov_r_rm)
		return q ? exec_mov_r_m64 : exec_mov_r_m32;
	if (in->fn == exec_mov_rm_r)
		return q ? exec_mov_m_r64 : exec_mov_m_r32;
	return in->fn;
}

/* Decodes one instruction at d->lin; returns its attributes. */
static uint32_t decode_one(struct dstate *d, struct insn *in)
{
	struct emu_cpu *cpu = d->cpu;
	struct prefixes p = { .seg = SEG_NONE };
	struct opdesc od;
	uint8_t b;

	memset(in, 0, sizeof(*in));
	in->base = in->index = 0xff;
	b = decode_prefixes(d, in, &p);
	od = lookup(d, in, b, &p);
	in->adsize = address_size(cpu, p.a67);
	if (p.vex)
		in->opsize = (is_long(cpu) && in->vex_w) ? 8 : 4;
	else
		in->opsize = operand_size(cpu, in, od.attr);
	in->rm = (uint8_t)((in->op & 7) | ((in->rex & 1) << 3));
	in->mod = 3;
	if (od.attr & M)
		decode_modrm(d, in, od.attr);
	if (od.attr >> G_SHIFT) {
		const struct opdesc *g =
			&grp_table[(od.attr >> G_SHIFT) * 8 + (in->reg & 7)];

		od.fn = g->fn;
		od.attr |= g->attr;
		if (!p.vex)
			in->opsize = operand_size(cpu, in, od.attr);
	}
	if (!od.fn)
		fail(d, EXC_UD);
	if ((od.attr & I64) && is_long(cpu))
		fail(d, EXC_UD);
	if ((od.attr & MEM) && in->mod == 3)
		fail(d, EXC_UD);
	/* LOCK is legal only on the listed read-modify-write forms with a
	 * memory destination (SDM Vol. 2A, LOCK). */
	if (in->lock && (!(od.attr & LK) || in->mod == 3))
		fail(d, EXC_UD);
	decode_imm(d, in, od.attr);
	in->seg = operand_segment(cpu, in, p.seg);
	in->fn = od.fn;
	in->len = (uint8_t)d->pos;
	if (in->mod == 3 && !in->lock && !p.vex)
		in->fn = fast_form(in);
	else if (in->mod != 3 && !in->lock && !p.vex)
		in->fn = mem_form(cpu, in);
	return od.attr;
}

void emu_decode(struct emu_cpu *cpu, struct insn *in)
{
	struct dstate d = { .cpu = cpu };

	d.lin = cpu->seg[SEG_CS].base + cpu->rip;
	decode_one(&d, in);
}

bool emu_decode_at(struct emu_cpu *cpu, struct insn *in, uint64_t lin,
		   bool probe, bool *end, bool *stop)
{
	struct dstate d = { .cpu = cpu, .lin = lin };
	jmp_buf jb;
	uint32_t attr;

	if (probe) {
		d.probe = &jb;
		if (setjmp(jb))
			return false;
	}
	attr = decode_one(&d, in);
	*end = (attr & END) != 0;
	*stop = *end && !(attr & BR);
	return true;
}

