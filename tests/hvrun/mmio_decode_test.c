/* SPDX-License-Identifier: MIT */
/* The MMIO instruction decoder on the forms Linux and the demo guest use
 * for local APIC and I/O APIC registers. */
#include "hvrun.h"
#include "test.h"

static bool dec(const uint8_t *b, unsigned n, unsigned mode,
		struct mmio_insn *in)
{
	return mmio_decode(b, n, mode, in);
}

TEST(mmio_mov_load_store)
{
	static const uint8_t load[] = { 0x8b, 0x00 };             /* mov (%rax),%eax */
	static const uint8_t store[] = { 0x89, 0x90, 0x00, 0x03, 0x00, 0x00 };
	static const uint8_t rex[] = { 0x44, 0x8b, 0x40, 0x20 }; /* mov 0x20(%rax),%r8d */
	struct mmio_insn in;

	EXPECT_TRUE(dec(load, sizeof(load), 64, &in));
	EXPECT_EQ(MMIO_LOAD, in.op);
	EXPECT_EQ(2, in.len);
	EXPECT_EQ(4, in.size);
	EXPECT_EQ(0, in.reg);
	EXPECT_TRUE(dec(store, sizeof(store), 64, &in));
	EXPECT_EQ(MMIO_STORE, in.op);
	EXPECT_EQ(6, in.len);
	EXPECT_EQ(2, in.reg);
	EXPECT_TRUE(dec(rex, sizeof(rex), 64, &in));
	EXPECT_EQ(8, in.reg);
	EXPECT_EQ(4, in.len);
}

TEST(mmio_immediates_and_rmw)
{
	/* movl $0x1ff, 0xf0(%rbx) */
	static const uint8_t movimm[] = { 0xc7, 0x83, 0xf0, 0, 0, 0, 0xff, 1, 0, 0 };
	/* orl $0x10000, 0x320(%rbx) */
	static const uint8_t orimm[] = { 0x81, 0x8b, 0x20, 3, 0, 0, 0, 0, 1, 0 };
	/* testb $1, 0x30(%rax) */
	static const uint8_t testb[] = { 0xf6, 0x40, 0x30, 0x01 };
	/* movl $0, 0xb0(%rax) with a SIB: movl $0,(%rax,%rcx,1) */
	static const uint8_t sib[] = { 0xc7, 0x04, 0x08, 0, 0, 0, 0 };
	struct mmio_insn in;

	EXPECT_TRUE(dec(movimm, sizeof(movimm), 64, &in));
	EXPECT_EQ(MMIO_STORE_IMM, in.op);
	EXPECT_EQ(10, in.len);
	EXPECT_EQ(0x1ff, in.imm);
	EXPECT_TRUE(dec(orimm, sizeof(orimm), 64, &in));
	EXPECT_EQ(MMIO_RMW_OR, in.op);
	EXPECT_EQ(10, in.len);
	EXPECT_EQ(0x10000, in.imm);
	EXPECT_TRUE(dec(testb, sizeof(testb), 64, &in));
	EXPECT_EQ(MMIO_TEST, in.op);
	EXPECT_EQ(1, in.size);
	EXPECT_EQ(4, in.len);
	EXPECT_TRUE(dec(sib, sizeof(sib), 64, &in));
	EXPECT_EQ(7, in.len);
}

TEST(mmio_other_modes_and_forms)
{
	static const uint8_t mov16[] = { 0x8b, 0x07 };           /* mov (%bx),%ax */
	static const uint8_t moffs[] = { 0xa1, 0x20, 0, 0xe0, 0xfe, 0, 0, 0, 0 };
	static const uint8_t movzx[] = { 0x0f, 0xb6, 0x42, 0x04 };
	static const uint8_t ah[] = { 0x8a, 0x20 };              /* mov (%rax),%ah */
	static const uint8_t regop[] = { 0x89, 0xc0 };           /* mov %eax,%eax */
	struct mmio_insn in;

	EXPECT_TRUE(dec(mov16, sizeof(mov16), 16, &in));
	EXPECT_EQ(2, in.size);
	EXPECT_EQ(2, in.len);
	EXPECT_TRUE(dec(moffs, sizeof(moffs), 64, &in));
	EXPECT_EQ(MMIO_LOAD, in.op);
	EXPECT_EQ(9, in.len);
	EXPECT_TRUE(dec(movzx, sizeof(movzx), 32, &in));
	EXPECT_EQ(MMIO_LOAD_ZX, in.op);
	EXPECT_EQ(1, in.size);
	EXPECT_EQ(4, in.dst_size);
	EXPECT_EQ(4, in.len);
	EXPECT_TRUE(dec(ah, sizeof(ah), 64, &in));
	EXPECT_TRUE(in.high8);
	EXPECT_EQ(4, in.reg);
	EXPECT_TRUE(!dec(regop, sizeof(regop), 64, &in));
	EXPECT_TRUE(!dec(regop, 1, 64, &in));  /* truncated */
}
