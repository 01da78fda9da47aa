/* SPDX-License-Identifier: MIT */
/* Cases the engine runs alone, never natively: FSGSBASE, which would
 * change the host thread's own FS/GS base, and the #GP, #UD, #NM and #XM
 * conditions of SSE, AVX, MMX and x87 forms, which depend on the
 * guest's CR0/CR4 bits (SDM Vol. 3A, 2.5) and MXCSR masks. The
 * differential tests of these instructions are in emu_fp_sse_test.c. */
#include "emu_fp_harness.h"
#include "../lib/test.h"

/* RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE (F3 0F AE /0-/3) run in the
 * engine only: on the host they would read or replace the thread's own
 * FS base. #UD without CR4.FSGSBASE, #GP(0) for a non-canonical 64-bit
 * base, 32-bit forms zero-extend (SDM Vol. 2D, RDFSBASE/WRFSBASE). */
FP_FORM(fs0, "wrfsbase %rax; rdfsbase %rcx; wrgsbase %rdx; rdgsbase %rsi");
FP_FORM(fs1, "wrgsbase %eax; rdgsbase %ecx; rdfsbase %esi");

static int fsgs_run(const struct fp_form *f, uint64_t cr4_extra,
		    uint64_t rax, uint64_t rdx)
{
	mock_cpu_init(&fp_cpu, MODE_LONG, FP_CODE, 0x80000);
	fp_cpu.cr4 = (1u << 9) | cr4_extra;
	memcpy(mock_mem + FP_CODE, f->code, (size_t)(f->code_end - f->code));
	fp_cpu.gpr[0] = rax;
	fp_cpu.gpr[1] = fp_cpu.gpr[6] = ~0ull;
	fp_cpu.gpr[2] = rdx;
	fp_cpu.seg[SEG_FS].base = 0x1234;
	mock_run(&fp_cpu, 10);
	return mock_exc;
}

TEST(emu_fp_fsgsbase)
{
	static const struct fp_form f0 = FP_ROW(fs0, FK_INT, "fsgs64");
	static const struct fp_form f1 = FP_ROW(fs1, FK_INT, "fsgs32");
	const uint64_t on = 1u << 16, a = 0x00007fff12345678ull,
		       d = 0xffff800000001000ull;

	EXPECT_EQ(-1, fsgs_run(&f0, on, a, d));
	EXPECT_EQ(a, fp_cpu.gpr[1]);
	EXPECT_EQ(d, fp_cpu.gpr[6]);
	EXPECT_EQ(a, fp_cpu.seg[SEG_FS].base);
	EXPECT_EQ(d, fp_cpu.seg[SEG_GS].base);
	EXPECT_EQ(-1, fsgs_run(&f1, on, 0xdeadbeef87654321ull, 0));
	EXPECT_EQ(0x87654321u, fp_cpu.seg[SEG_GS].base);
	EXPECT_EQ(0x87654321u, fp_cpu.gpr[1]);
	EXPECT_EQ(0x1234u, fp_cpu.gpr[6]);
	EXPECT_EQ(EXC_GP, fsgs_run(&f0, on, 0x0000800000000000ull, 0));
	EXPECT_EQ(0x1234u, fp_cpu.seg[SEG_FS].base);
	EXPECT_EQ(EXC_UD, fsgs_run(&f0, 0, a, d));
}

FP_FORM(e0, "movaps 8(%rbx),%xmm0");
FP_FORM(e1, "addps %xmm1,%xmm0");
FP_FORM(e2, "vaddps %ymm1,%ymm2,%ymm0");
FP_FORM(e3, "divss %xmm1,%xmm0");
FP_FORM(e4, "paddb %mm1,%mm0");
FP_FORM(e5, "fld1; fldz; fdivrp; fwait");

/* Engine-only exception cases: run one form with an adjusted image and
 * control registers; returns the vector raised (-1 for none). */
static int exc_of(const struct fp_form *f, uint32_t mxcsr, uint64_t cr0,
		  uint64_t cr4_clear, uint64_t xcr0)
{
	static uint8_t mem[FP_MEM];
	struct fp_image img;
	int v;

	fp_random_image(&img, FK_F32);
	img.mxcsr = mxcsr;
	*(uint32_t *)(img.ymm[0]) = 0x3f800000; /* 1.0 / +0 */
	*(uint32_t *)(img.ymm[1]) = 0;
	fp_cr0_set = cr0;
	fp_cr4_clear = cr4_clear;
	fp_xcr0 = xcr0;
	mock_cpu_init(&fp_cpu, MODE_LONG, FP_CODE, 0x80000);
	v = fp_engine(f, &img, mem);
	fp_cr0_set = fp_cr4_clear = 0;
	fp_xcr0 = 7;
	return v;
}

TEST(emu_fp_exceptions)
{
	static const struct fp_form e[] = {
		FP_ROW(e0, FK_F32, "movaps misaligned"),
		FP_ROW(e1, FK_F32, "addps"),
		FP_ROW(e2, FK_F32, "vaddps"),
		FP_ROW(e3, FK_F32, "divss"),
		FP_ROW(e4, FK_INT, "paddb mm"),
		FP_ROW(e5, FK_X87, "fdivrp; fwait"),
	};

	EXPECT_EQ(EXC_GP, exc_of(&e[0], 0x1f80, 0, 0, 7));    /* alignment */
	EXPECT_EQ(EXC_UD, exc_of(&e[1], 0x1f80, 0, 1u << 9, 7)); /* !OSFXSR */
	EXPECT_EQ(EXC_UD, exc_of(&e[1], 0x1f80, 1u << 2, 0, 7)); /* CR0.EM */
	EXPECT_EQ(EXC_NM, exc_of(&e[1], 0x1f80, 1u << 3, 0, 7)); /* CR0.TS */
	EXPECT_EQ(EXC_UD, exc_of(&e[2], 0x1f80, 0, 1u << 18, 7)); /* !OSXSAVE */
	EXPECT_EQ(EXC_NM, exc_of(&e[2], 0x1f80, 1u << 3, 0, 7));
	/* VEX with XCR0[2:1] != 11b: #UD (SDM Vol. 2A, 2.8, Table 2-20). */
	EXPECT_EQ(EXC_UD, exc_of(&e[2], 0x1f80, 0, 0, 3));
	EXPECT_EQ(EXC_UD, exc_of(&e[2], 0x1f80, 0, 0, 5));
	/* Legacy SSE is gated by CR0 and CR4 only, not XCR0 (Vol. 3A,
	 * Table 13-1): it runs with XCR0 = x87 alone. */
	EXPECT_EQ(-1, exc_of(&e[1], 0x1f80, 0, 0, 1));
	EXPECT_EQ(EXC_XM, exc_of(&e[3], 0x1f80 & ~0x200u, 0, 0, 7)); /* ZE */
	EXPECT_EQ(EXC_UD, exc_of(&e[3], 0x1f80 & ~0x200u, 0, 1u << 10, 7));
	EXPECT_EQ(-1, exc_of(&e[3], 0x1f80, 0, 0, 7));
	EXPECT_EQ(EXC_NM, exc_of(&e[4], 0x1f80, 1u << 3, 0, 7));
	EXPECT_EQ(EXC_UD, exc_of(&e[4], 0x1f80, 1u << 2, 0, 7));
	EXPECT_EQ(EXC_NM, exc_of(&e[5], 0x1f80, 1u << 2, 0, 7));   /* x87 EM */
}
