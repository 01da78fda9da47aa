/* SPDX-License-Identifier: MIT */
/* Differential test of the x87 forms: each runs natively and in the
 * engine on random stacks (values of every class, random TOP, empty
 * registers), control words (RC, PC, exception masks) and memory;
 * registers, tags, FSW, FCW, memory and flags must match bit for bit. */
#include "emu_fp_harness.h"
#include "../lib/test.h"

#define X87_FORMS(X) \
	X(0, "fadds (%rbx)") \
	X(1, "faddl 8(%rbx)") \
	X(2, "fadd %st(3)") \
	X(3, "fmuls (%rbx)") \
	X(4, "fmull 8(%rbx)") \
	X(5, "fmul %st(3)") \
	X(6, "fsubs (%rbx)") \
	X(7, "fsubl 8(%rbx)") \
	X(8, "fsub %st(3)") \
	X(9, "fsubrs (%rbx)") \
	X(10, "fsubrl 8(%rbx)") \
	X(11, "fsubr %st(3)") \
	X(12, "fdivs (%rbx)") \
	X(13, "fdivl 8(%rbx)") \
	X(14, "fdiv %st(3)") \
	X(15, "fdivrs (%rbx)") \
	X(16, "fdivrl 8(%rbx)") \
	X(17, "fdivr %st(3)") \
	X(18, "fcoms (%rbx)") \
	X(19, "fcoml 8(%rbx)") \
	X(20, "fcom %st(2)") \
	X(21, "fcomps (%rbx)") \
	X(22, "fcompl 8(%rbx)") \
	X(23, "fcomp %st(2)") \
	X(24, "fiaddl (%rbx)") \
	X(25, "fiadds 8(%rbx)") \
	X(26, "fimull (%rbx)") \
	X(27, "fimuls 8(%rbx)") \
	X(28, "fisubl (%rbx)") \
	X(29, "fisubs 8(%rbx)") \
	X(30, "fisubrl (%rbx)") \
	X(31, "fisubrs 8(%rbx)") \
	X(32, "fidivl (%rbx)") \
	X(33, "fidivs 8(%rbx)") \
	X(34, "fidivrl (%rbx)") \
	X(35, "fidivrs 8(%rbx)") \
	X(36, "ficoml (%rbx)") \
	X(37, "ficoms 8(%rbx)") \
	X(38, "ficompl (%rbx)") \
	X(39, "ficomps 8(%rbx)") \
	X(40, "fadd %st,%st(2)") \
	X(41, "fmul %st,%st(1)") \
	X(42, "fsub %st,%st(3)") \
	X(43, "fsubr %st,%st(3)") \
	X(44, "fdiv %st,%st(4)") \
	X(45, "fdivr %st,%st(4)") \
	X(46, "faddp %st,%st(2)") \
	X(47, "fmulp %st,%st(1)") \
	X(48, "fsubp %st,%st(3)") \
	X(49, "fsubrp %st,%st(3)") \
	X(50, "fdivp %st,%st(4)") \
	X(51, "fdivrp %st,%st(4)") \
	X(52, "fcompp") \
	X(53, "fucompp") \
	X(54, "flds (%rbx)") \
	X(55, "fldl 8(%rbx)") \
	X(56, "fldt 16(%rbx)") \
	X(57, "fld %st(3)") \
	X(58, "fsts (%rbx)") \
	X(59, "fstl 8(%rbx)") \
	X(60, "fstps 4(%rbx)") \
	X(61, "fstpl (%rbx)") \
	X(62, "fstpt 16(%rbx)") \
	X(63, "fst %st(2)") \
	X(64, "fstp %st(5)") \
	X(65, "filds (%rbx)") \
	X(66, "fildl 4(%rbx)") \
	X(67, "fildll 8(%rbx)") \
	X(68, "fists (%rbx)") \
	X(69, "fistl 4(%rbx)") \
	X(70, "fistps (%rbx)") \
	X(71, "fistpl 4(%rbx)") \
	X(72, "fistpll 8(%rbx)") \
	X(73, "fisttps (%rbx)") \
	X(74, "fisttpl (%rbx)") \
	X(75, "fisttpll 8(%rbx)") \
	X(76, "fxch %st(3)") \
	X(77, "fchs") \
	X(78, "fabs") \
	X(79, "ftst") \
	X(80, "fxam") \
	X(81, "fld1") \
	X(82, "fldl2t") \
	X(83, "fldl2e") \
	X(84, "fldpi") \
	X(85, "fldlg2") \
	X(86, "fldln2") \
	X(87, "fldz") \
	X(88, "fsqrt") \
	X(89, "frndint") \
	X(90, "fscale") \
	X(91, "fxtract") \
	X(92, "fprem") \
	X(93, "fprem1") \
	X(94, "fincstp") \
	X(95, "fdecstp") \
	X(96, "ffree %st(2)") \
	X(97, "fucom %st(1)") \
	X(98, "fucomp %st(2)") \
	X(99, "fcomi %st(1),%st") \
	X(100, "fucomi %st(2),%st") \
	X(101, "fcomip %st(1),%st") \
	X(102, "fucomip %st(3),%st") \
	X(103, "fcmovb %st(1),%st") \
	X(104, "fcmove %st(2),%st") \
	X(105, "fcmovbe %st(3),%st") \
	X(106, "fcmovu %st(1),%st") \
	X(107, "fcmovnb %st(1),%st") \
	X(108, "fcmovne %st(2),%st") \
	X(109, "fcmovnbe %st(3),%st") \
	X(110, "fcmovnu %st(1),%st") \
	X(111, "fnstsw %ax") \
	X(112, "fnstsw (%rbx)") \
	X(113, "fnstcw 2(%rbx)") \
	X(114, "fldcw 2(%rbx)") \
	X(115, "fnclex") \
	X(116, "fninit") \
	X(117, "fbld 16(%rbx)") \
	X(118, "fbstp 16(%rbx)") \
	X(119, "fnstenv 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)") \
	X(120, "fldenv 16(%rbx)") \
	X(121, "fnsave 0(%rbx); movl $0,12(%rbx); movl $0,20(%rbx)") \
	X(122, "frstor 0(%rbx)")

/* Forms of several waiting instructions: an unmasked exception of the
 * first would raise #MF at the next, so these run with all masked. */
#define X87_MULTI_FORMS(X) \
	X(123, "fld %st(1); fmul %st(0),%st; fsqrt") \
	X(124, "fldpi; fadd %st(1),%st; fstpt 16(%rbx)") \
	X(125, "fldt 0(%rbx); fnstenv 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)") \
	X(126, "fldt 0(%rbx); data16 fnstenv 16(%rbx); movw $0,22(%rbx); movw $0,26(%rbx)") \
	X(127, "fldt 0(%rbx); fnsave 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)")

#define DEF(id, t) FP_FORM(id, t);
FP_FORM(mf0, "fld1; fldz; fdivrp; fwait");
X87_FORMS(DEF)
X87_MULTI_FORMS(DEF)

static const struct fp_form x87_forms[] = {
#define ROW(id, t) FP_ROW(id, FK_X87, t),
	X87_FORMS(ROW)
};

static const struct fp_form x87_multi_forms[] = {
	X87_MULTI_FORMS(ROW)
};

#ifndef FP_CASES
#define FP_CASES 300
#endif

/* A random extended value of any class. */
static void gen80(uint8_t *p)
{
	uint64_t m = fp_rnd() | 1ull << 63;
	uint16_t se = (uint16_t)((fp_rnd() & 1) << 15);

	switch (fp_rnd() % 10) {
	case 0: m = 0; break;                                  /* zero */
	case 1: se |= 0x7fff; m = 1ull << 63; break;           /* inf */
	case 2: se |= 0x7fff; m |= 1ull << 62; break;          /* QNaN */
	case 3: se |= 0x7fff; m &= ~(1ull << 62); m |= 1; break; /* SNaN */
	case 4: m >>= 1 + fp_rnd() % 60; break;                /* denormal */
	case 5: se |= (uint16_t)(fp_rnd() % 0x7ffe + 1); break;
	case 6: se |= (uint16_t)(0x3fff + fp_rnd() % 70); m &= ~0ull << (fp_rnd() % 64);
		m |= 1ull << 63; break;                         /* integers */
	default: se |= (uint16_t)(0x3ff0 + fp_rnd() % 32); break;
	}
	memcpy(p, &m, 8);
	memcpy(p + 8, &se, 2);
}

/* Exception masks: all set, or one time in three some of the
 * post-computation ones (OE, UE, PE) cleared, for the bias-adjusted
 * results of SDM Vol. 1, 8.5.3 and 8.5.4. */
static uint16_t x87_masks(bool unmask)
{
	if (!unmask || fp_rnd() % 3)
		return 0x7f;
	return (uint16_t)(0x7f & ~(fp_rnd() & 0x38));
}

static void x87_prep_masks(struct fp_image *img, bool unmask)
{
	static const uint16_t pcs[4] = { 0x300, 0x300, 0x200, 0x000 };
	uint16_t fcw = (uint16_t)(x87_masks(unmask) | pcs[fp_rnd() % 4] |
				  (fp_rnd() % 4) << 10);
	uint16_t fsw = (uint16_t)((fp_rnd() % 8) << 11);

	memcpy(img->x87, &fcw, 2);
	memcpy(img->x87 + 2, &fsw, 2);
	img->x87[4] = (uint8_t)(fp_rnd() % 4 ? 0x7f | (fp_rnd() & 0x80) :
				fp_rnd());
	for (unsigned i = 0; i < 8; i++)
		gen80(img->x87 + 32 + 16 * i);
	img->rflags = 0x202 | (fp_rnd() & 0x8d5);
}

static void x87_prep(struct fp_image *img, int kind)
{
	(void)kind;
	x87_prep_masks(img, true);
}

static void x87_prep_masked(struct fp_image *img, int kind)
{
	(void)kind;
	x87_prep_masks(img, false);
}

TEST(emu_fp_x87_forms)
{
	EXPECT_EQ(0, fp_run_forms(x87_forms, sizeof(x87_forms) / sizeof(x87_forms[0]),
				  FP_CASES, x87_prep));
	EXPECT_EQ(0, fp_run_forms(x87_multi_forms,
				  sizeof(x87_multi_forms) / sizeof(x87_multi_forms[0]),
				  FP_CASES, x87_prep_masked));
}

/* An unmasked divide-by-zero sets ES; the next waiting instruction
 * raises #MF with CR0.NE (SDM Vol. 1, 8.7; Vol. 3A, 6.15). */
TEST(emu_fp_x87_pending_mf)
{
	static const struct fp_form f = FP_ROW(mf0, FK_X87, "mf");
	static uint8_t mem[FP_MEM];
	struct fp_image img;

	fp_random_image(&img, FK_X87);
	img.x87[0] = 0x7b; /* FCW 037B: ZE unmasked */
	EXPECT_EQ(EXC_MF, fp_engine(&f, &img, mem));
	EXPECT_EQ(0x84, img.x87[2] & 0x84); /* ZE and ES in FSW */
}
