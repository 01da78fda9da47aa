/* SPDX-License-Identifier: MIT */
/* Bit instructions: BT/BTS/BTR/BTC, BSF/BSR, TZCNT/LZCNT/POPCNT, CRC32,
 * ADCX/ADOX and the BMI1/BMI2 VEX forms (SDM Vol. 2A-2C, the instruction
 * pages of each). Undefined flags follow a current Intel core. */
#include "engine/emu/exec.h"

static inline bool rex(const struct insn *in)
{
	return in->rex != 0;
}

/* Replace all six arithmetic flags; AF and PF, undefined for these
 * instructions, are cleared as a current Intel core does. */
static void put_flags(struct emu_cpu *cpu, bool cf, bool zf, bool sf,
		      bool of)
{
	uint64_t f = (cf ? RF_CF : 0) | (zf ? RF_ZF : 0) | (sf ? RF_SF : 0) |
		     (of ? RF_OF : 0);

	emu_set_arith(cpu, RF_ARITH, f);
}

static inline bool sign(uint64_t v, unsigned sz)
{
	return (v >> (sz * 8 - 1)) & 1;
}

/* ---- BT family ---- */

enum { BT, BTS, BTR, BTC };

static uint64_t bit_apply(unsigned op, uint64_t v, uint64_t bit)
{
	switch (op) {
	case BTS: return v | bit;
	case BTR: return v & ~bit;
	case BTC: return v ^ bit;
	default: return v;
	}
}

static uint64_t rmw_bts(struct emu_cpu *c, uint64_t d, uint64_t b, unsigned s)
{
	(void)c; (void)s;
	return d | b;
}

static uint64_t rmw_btr(struct emu_cpu *c, uint64_t d, uint64_t b, unsigned s)
{
	(void)c; (void)s;
	return d & ~b;
}

static uint64_t rmw_btc(struct emu_cpu *c, uint64_t d, uint64_t b, unsigned s)
{
	(void)c; (void)s;
	return d ^ b;
}

static const emu_rmw_fn bt_rmw[4] = { NULL, rmw_bts, rmw_btr, rmw_btc };

/* Only CF changes (the bit's old value); OF, SF, AF, PF are undefined
 * and kept, ZF is unaffected. */
static void set_cf(struct emu_cpu *cpu, bool cf)
{
	emu_set_arith(cpu, RF_CF, cf ? RF_CF : 0);
}

/* A register bit offset addresses memory beyond the operand: the word
 * at ea + (offset >> log2(bits)) * size (SDM Vol. 2A, BT, and Vol. 1,
 * 3.5 "bit base / bit offset"). Immediate offsets stay in the operand. */
static void bit_op(struct emu_cpu *cpu, const struct insn *in, unsigned op,
		   int64_t off, bool from_reg)
{
	unsigned sz = in->opsize, bits = sz * 8;
	uint64_t bit = 1ull << (off & (bits - 1)), ea, v;
	struct insn mem;

	if (in->mod == 3) {
		v = op_reg_get(cpu, in->rm, sz, rex(in));
		if (op != BT)
			op_reg_set(cpu, in->rm, sz, rex(in),
				   bit_apply(op, v, bit));
		set_cf(cpu, v & bit);
		return;
	}
	ea = op_ea(cpu, in);
	if (from_reg)
		ea = (ea + (uint64_t)((off >> __builtin_ctz(bits)) *
				      (int64_t)sz)) & emu_mask(in->adsize);
	if (op != BT && in->lock) {
		mem = *in;
		mem.base = mem.index = 0xff;
		mem.disp = (int64_t)ea;
		v = emu_rmw(cpu, &mem, sz, bt_rmw[op], bit);
	} else {
		v = op_read(cpu, in->seg, ea, sz);
		if (op != BT)
			op_write(cpu, in->seg, ea, sz, bit_apply(op, v, bit));
	}
	set_cf(cpu, v & bit);
}

static int64_t reg_offset(struct emu_cpu *cpu, const struct insn *in)
{
	return emu_sext(op_reg_get(cpu, in->reg, in->opsize, rex(in)),
			in->opsize);
}

EXEC(exec_bt) { bit_op(cpu, in, BT, reg_offset(cpu, in), true); }   /* 0F A3 */
EXEC(exec_bts) { bit_op(cpu, in, BTS, reg_offset(cpu, in), true); } /* 0F AB */
EXEC(exec_btr) { bit_op(cpu, in, BTR, reg_offset(cpu, in), true); } /* 0F B3 */
EXEC(exec_btc) { bit_op(cpu, in, BTC, reg_offset(cpu, in), true); } /* 0F BB */

EXEC(exec_bt_i)   /* 0F BA /4../7 ib */
{
	bit_op(cpu, in, (in->reg & 7) - 4, (int64_t)(in->imm & 0xff), false);
}

/* ---- bit scans and counts ---- */

/* BSF/BSR: a zero source sets ZF and leaves the destination unchanged
 * (including the upper half of a 64-bit register on current cores); the
 * undefined flags are cleared except PF, which follows the index. */
static void bit_scan(struct emu_cpu *cpu, const struct insn *in, bool rev)
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz), r;

	if (s == 0) {
		emu_set_arith(cpu, RF_ARITH, RF_ZF | RF_PF);
		return;
	}
	r = rev ? 63u - (unsigned)__builtin_clzll(s)
		: (unsigned)__builtin_ctzll(s);
	op_reg_set(cpu, in->reg, sz, rex(in), r);
	emu_set_arith(cpu, RF_ARITH, emu_pf(r));
}

EXEC(exec_bsf) { bit_scan(cpu, in, false); }   /* 0F BC */
EXEC(exec_bsr) { bit_scan(cpu, in, true); }    /* 0F BD */

EXEC(exec_tzcnt)   /* F3 0F BC: CF = source zero, ZF = result zero */
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz);
	uint64_t r = s ? (unsigned)__builtin_ctzll(s) : sz * 8u;

	op_reg_set(cpu, in->reg, sz, rex(in), r);
	put_flags(cpu, s == 0, r == 0, false, false);
}

EXEC(exec_lzcnt)   /* F3 0F BD */
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz);
	uint64_t r = s ? (unsigned)__builtin_clzll(s) - (64u - sz * 8u)
		       : sz * 8u;

	op_reg_set(cpu, in->reg, sz, rex(in), r);
	put_flags(cpu, s == 0, r == 0, false, false);
}

EXEC(exec_popcnt)   /* F3 0F B8: OF SF ZF AF CF PF cleared, ZF = src zero */
{
	unsigned sz = in->opsize;
	uint64_t s = op_rm_get(cpu, in, sz);

	op_reg_set(cpu, in->reg, sz, rex(in),
		   (unsigned)__builtin_popcountll(s));
	emu_set_arith(cpu, RF_ARITH, s ? 0 : RF_ZF);
}

/* ---- CRC32 (CRC-32C, reflected polynomial 82F63B78h; SDM Vol. 2A,
 * CRC32) ---- */

static uint32_t crc32c(uint32_t crc, uint64_t data, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++) {
		crc ^= (uint8_t)(data >> (8 * i));
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return crc;
}

EXEC(exec_crc32)   /* F2 0F 38 F0 (byte source), F1 */
{
	unsigned ss = in->op == 0xf0 ? 1 : in->opsize;
	unsigned ds = (in->rex & 8) ? 8 : 4;
	uint32_t c = (uint32_t)cpu->gpr[in->reg];

	c = crc32c(c, op_rm_get(cpu, in, ss), ss);
	op_reg_set(cpu, in->reg, ds, rex(in), c);
}

/* ---- ADCX/ADOX: add with carry through CF or OF only ---- */

static void add_flag(struct emu_cpu *cpu, const struct insn *in,
		     uint64_t flag)
{
	unsigned sz = in->opsize;
	uint64_t f = emu_get_rflags(cpu);
	uint64_t d = op_reg_get(cpu, in->reg, sz, rex(in));
	uint64_t s = op_rm_get(cpu, in, sz);
	uint64_t c = (f & flag) ? 1 : 0;
	uint64_t m = emu_mask(sz), r = (d + s + c) & m;
	bool out = r < d || (r == d && c);

	op_reg_set(cpu, in->reg, sz, rex(in), r);
	cpu->rflags = (f & ~flag) | (out ? flag : 0);
}

EXEC(exec_adcx) { add_flag(cpu, in, RF_CF); }   /* 66 0F 38 F6 */
EXEC(exec_adox) { add_flag(cpu, in, RF_OF); }   /* F3 0F 38 F6 */

/* ---- BMI1/BMI2 (VEX.LZ; operand size 32, or 64 with VEX.W in 64-bit
 * mode) ---- */

static uint64_t vreg(struct emu_cpu *cpu, const struct insn *in)
{
	return cpu->gpr[in->vex_v] & emu_mask(in->opsize);
}

static uint64_t src_rm(struct emu_cpu *cpu, const struct insn *in)
{
	return op_rm_get(cpu, in, in->opsize);
}

static void set_dst(struct emu_cpu *cpu, unsigned reg, unsigned sz,
		    uint64_t v)
{
	op_reg_set(cpu, reg, sz, true, v);
}

EXEC(exec_andn)   /* VEX.0F38 F2: Gy = ~By & Ey */
{
	unsigned sz = in->opsize;
	uint64_t r = ~vreg(cpu, in) & src_rm(cpu, in) & emu_mask(sz);

	set_dst(cpu, in->reg, sz, r);
	put_flags(cpu, false, r == 0, sign(r, sz), false);
}

EXEC(exec_bextr)   /* VEX.0F38 F7: start By[7:0], length By[15:8] */
{
	unsigned sz = in->opsize, bits = sz * 8;
	uint64_t ctl = vreg(cpu, in), s = src_rm(cpu, in);
	unsigned start = ctl & 0xff, len = (ctl >> 8) & 0xff;
	uint64_t r = start >= bits ? 0 : s >> start;

	if (len < 64)
		r &= (1ull << len) - 1;
	set_dst(cpu, in->reg, sz, r);
	put_flags(cpu, false, r == 0, false, false);
}

EXEC(exec_blsi)   /* VEX.0F38 F3 /3: By = -Ey & Ey */
{
	unsigned sz = in->opsize;
	uint64_t s = src_rm(cpu, in), r = (0 - s) & s & emu_mask(sz);

	set_dst(cpu, in->vex_v, sz, r);
	put_flags(cpu, s != 0, r == 0, sign(r, sz), false);
}

EXEC(exec_blsmsk)   /* VEX.0F38 F3 /2: By = (Ey - 1) ^ Ey */
{
	unsigned sz = in->opsize;
	uint64_t s = src_rm(cpu, in), r = ((s - 1) ^ s) & emu_mask(sz);

	set_dst(cpu, in->vex_v, sz, r);
	put_flags(cpu, s == 0, false, sign(r, sz), false);
}

EXEC(exec_blsr)   /* VEX.0F38 F3 /1: By = (Ey - 1) & Ey */
{
	unsigned sz = in->opsize;
	uint64_t s = src_rm(cpu, in), r = (s - 1) & s & emu_mask(sz);

	set_dst(cpu, in->vex_v, sz, r);
	put_flags(cpu, s == 0, r == 0, sign(r, sz), false);
}

EXEC(exec_bzhi)   /* VEX.0F38 F5: zero bits from index By[7:0] up */
{
	unsigned sz = in->opsize, bits = sz * 8;
	unsigned n = vreg(cpu, in) & 0xff;
	uint64_t r = src_rm(cpu, in);

	if (n < bits)
		r &= (1ull << n) - 1;
	set_dst(cpu, in->reg, sz, r);
	put_flags(cpu, n >= bits, r == 0, sign(r, sz), false);
}

/* MULX: unsigned rDX * Ey; low half to By, then high half to Gy (so Gy
 * wins when both name the same register). No flags change. */
EXEC(exec_mulx)   /* VEX.F2.0F38 F6 */
{
	unsigned sz = in->opsize;
	emu_u128 p = (emu_u128)(cpu->gpr[2] & emu_mask(sz)) *
			      src_rm(cpu, in);

	set_dst(cpu, in->vex_v, sz, (uint64_t)p & emu_mask(sz));
	set_dst(cpu, in->reg, sz, (uint64_t)(p >> (sz * 8)) & emu_mask(sz));
}

EXEC(exec_pdep)   /* VEX.F2.0F38 F5: deposit By into the mask Ey */
{
	uint64_t s = vreg(cpu, in), m = src_rm(cpu, in), r = 0;

	for (uint64_t k = 1; m; m &= m - 1, k <<= 1)
		if (s & k)
			r |= m & (0 - m);
	set_dst(cpu, in->reg, in->opsize, r);
}

EXEC(exec_pext)   /* VEX.F3.0F38 F5: extract By bits selected by Ey */
{
	uint64_t s = vreg(cpu, in), m = src_rm(cpu, in), r = 0;

	for (uint64_t k = 1; m; m &= m - 1, k <<= 1)
		if (s & m & (0 - m))
			r |= k;
	set_dst(cpu, in->reg, in->opsize, r);
}

EXEC(exec_rorx)   /* VEX.F2.0F3A F0 ib */
{
	unsigned sz = in->opsize, bits = sz * 8;
	unsigned c = (unsigned)in->imm & (bits - 1);
	uint64_t s = src_rm(cpu, in);
	uint64_t r = c ? ((s >> c) | (s << (bits - c))) & emu_mask(sz) : s;

	set_dst(cpu, in->reg, sz, r);
}

static unsigned vcount(struct emu_cpu *cpu, const struct insn *in)
{
	return (unsigned)vreg(cpu, in) & (in->opsize == 8 ? 63 : 31);
}

EXEC(exec_sarx)   /* VEX.F3.0F38 F7 */
{
	unsigned sz = in->opsize;

	set_dst(cpu, in->reg, sz,
		(uint64_t)(emu_sext(src_rm(cpu, in), sz) >> vcount(cpu, in)) &
			emu_mask(sz));
}

EXEC(exec_shlx)   /* VEX.66.0F38 F7 */
{
	unsigned sz = in->opsize;

	set_dst(cpu, in->reg, sz,
		(src_rm(cpu, in) << vcount(cpu, in)) & emu_mask(sz));
}

EXEC(exec_shrx)   /* VEX.F2.0F38 F7 */
{
	set_dst(cpu, in->reg, in->opsize, src_rm(cpu, in) >> vcount(cpu, in));
}
