/* SPDX-License-Identifier: MIT */
/* Decoder for the instructions a guest uses on MMIO registers (local
 * APIC, I/O APIC): MOV in its register, immediate and moffs forms,
 * MOVZX/MOVSX, XCHG, TEST, and OR/AND read-modify-write. Encodings from
 * the SDM Vol. 2 opcode tables; ModRM/SIB/displacement lengths from Vol.
 * 2A 2.1.5 (Tables 2-1 to 2-3). Only the length, the operation, the
 * register and the immediate matter: the address is the faulting GPA. */
#include "hvrun.h"

#include <string.h>

struct cursor {
	const uint8_t *b;
	unsigned n, i;
};

static bool take(struct cursor *c, unsigned k, uint64_t *val)
{
	uint64_t v = 0;

	if (c->i + k > c->n)
		return false;
	for (unsigned j = 0; j < k; j++)
		v |= (uint64_t)c->b[c->i + j] << (8 * j);
	c->i += k;
	if (val)
		*val = v;
	return true;
}

/* Skip ModRM's SIB and displacement; false for a register operand
 * (mod = 3 cannot fault on MMIO). */
static bool skip_modrm(struct cursor *c, unsigned addr_size, uint8_t modrm)
{
	unsigned mod = modrm >> 6, rm = modrm & 7;
	uint64_t sib;

	if (mod == 3)
		return false;
	if (addr_size == 2) {  /* 16-bit addressing, Table 2-1 */
		if (mod == 0 && rm == 6)
			return take(c, 2, NULL);
		return take(c, mod == 1 ? 1 : mod == 2 ? 2 : 0, NULL);
	}
	/* 32/64-bit addressing, Tables 2-2 and 2-3. */
	if (rm == 4) {
		if (!take(c, 1, &sib))
			return false;
		if (mod == 0 && (sib & 7) == 5)
			return take(c, 4, NULL);
	}
	if (mod == 0 && rm == 5)
		return take(c, 4, NULL);  /* disp32 (RIP-relative in 64-bit) */
	return take(c, mod == 1 ? 1 : mod == 2 ? 4 : 0, NULL);
}

static uint64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned sh = 64 - 8 * bytes;

	return bytes >= 8 ? v : (uint64_t)((int64_t)(v << sh) >> sh);
}

bool mmio_decode(const uint8_t *bytes, unsigned n, unsigned cpu_mode,
		 struct mmio_insn *o)
{
	struct cursor c = { bytes, n, 0 };
	unsigned opsize = cpu_mode == 16 ? 2 : 4;
	unsigned addr_size = cpu_mode == 64 ? 8 : cpu_mode == 32 ? 4 : 2;
	bool rex = false, rex_w = false, rex_r = false;
	uint64_t op, modrm = 0, imm;
	unsigned immsize = 0;

	memset(o, 0, sizeof(*o));
	/* Legacy prefixes (Vol. 2A 2.1.1), then REX in 64-bit mode (2.2.1). */
	for (;;) {
		if (!take(&c, 1, &op))
			return false;
		if (op == 0x66)
			opsize = cpu_mode == 16 ? 4 : 2;
		else if (op == 0x67)
			addr_size = cpu_mode == 64 ? 4 : cpu_mode == 32 ? 2 : 4;
		else if (op == 0x26 || op == 0x2e || op == 0x36 || op == 0x3e ||
			 op == 0x64 || op == 0x65 || op == 0xf0 || op == 0xf2 ||
			 op == 0xf3)
			continue;
		else
			break;
	}
	if (cpu_mode == 64 && (op & 0xf0) == 0x40) {
		rex = true;
		rex_w = op & 8;
		rex_r = op & 4;
		if (!take(&c, 1, &op))
			return false;
	}
	if (rex_w)
		opsize = 8;
	if (op == 0x0f) {
		if (!take(&c, 1, &op))
			return false;
		op |= 0x0f00;
	}
	o->size = opsize;
	/* The moffs forms have no ModRM (A0-A3: MOV AL/eAX <-> moffs). */
	if (op >= 0xa0 && op <= 0xa3) {
		o->size = (op & 1) ? opsize : 1;
		o->op = (op & 2) ? MMIO_STORE : MMIO_LOAD;
		o->reg = 0;
		if (!take(&c, addr_size, NULL))
			return false;
		o->len = c.i;
		return true;
	}
	if (!take(&c, 1, &modrm))
		return false;
	o->reg = (unsigned)((modrm >> 3) & 7) | (rex_r ? 8 : 0);
	switch (op) {
	case 0x88: case 0x89: /* MOV r/m, r */
		o->op = MMIO_STORE;
		break;
	case 0x8a: case 0x8b: /* MOV r, r/m */
		o->op = MMIO_LOAD;
		break;
	case 0x86: case 0x87: /* XCHG r/m, r */
		o->op = MMIO_XCHG;
		break;
	case 0x84: case 0x85: /* TEST r/m, r */
		o->op = MMIO_TEST;
		o->reg_src = true;
		break;
	case 0x08: case 0x09: /* OR r/m, r */
		o->op = MMIO_RMW_OR;
		o->reg_src = true;
		break;
	case 0x20: case 0x21: /* AND r/m, r */
		o->op = MMIO_RMW_AND;
		o->reg_src = true;
		break;
	case 0xc6: case 0xc7: /* MOV r/m, imm (/0) */
		if ((modrm >> 3) & 7)
			return false;
		o->op = MMIO_STORE_IMM;
		immsize = op == 0xc6 ? 1 : opsize == 2 ? 2 : 4;
		break;
	case 0xf6: case 0xf7: /* TEST r/m, imm (/0) */
		if ((modrm >> 3) & 7)
			return false;
		o->op = MMIO_TEST;
		immsize = op == 0xf6 ? 1 : opsize == 2 ? 2 : 4;
		break;
	case 0x80: case 0x81: case 0x83: /* group 1: OR /1, AND /4 */
		if (((modrm >> 3) & 7) == 1)
			o->op = MMIO_RMW_OR;
		else if (((modrm >> 3) & 7) == 4)
			o->op = MMIO_RMW_AND;
		else
			return false;
		immsize = op == 0x81 ? (opsize == 2 ? 2 : 4) : 1;
		break;
	case 0x0fb6: case 0x0fb7: /* MOVZX r, r/m8 / r/m16 */
	case 0x0fbe: case 0x0fbf: /* MOVSX */
		o->op = (op & 8) ? MMIO_LOAD_SX : MMIO_LOAD_ZX;
		o->dst_size = opsize;
		o->size = (op & 1) ? 2 : 1;
		break;
	default:
		return false;
	}
	/* Byte forms: even opcodes of 88-8A, 84/86, 08/20, C6, F6, 80. */
	if (op == 0x88 || op == 0x8a || op == 0x86 || op == 0x84 ||
	    op == 0x08 || op == 0x20 || op == 0xc6 || op == 0xf6 || op == 0x80)
		o->size = 1;
	/* Without REX, byte registers 4-7 are AH, CH, DH, BH. */
	if (o->size == 1 && !rex && o->reg >= 4 && o->reg < 8 &&
	    o->op != MMIO_STORE_IMM)
		o->high8 = true;
	if (!skip_modrm(&c, addr_size, (uint8_t)modrm))
		return false;
	if (immsize) {
		if (!take(&c, immsize, &imm))
			return false;
		/* Immediates are sign-extended to the operand size. */
		o->imm = sign_extend(imm, immsize);
		if (o->size < 8)
			o->imm &= (1ull << (8 * o->size)) - 1;
	}
	o->len = c.i;
	return c.i <= 15;
}
