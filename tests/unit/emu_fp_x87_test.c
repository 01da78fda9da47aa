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

/* ---- non-Intel hosts (emu_fp_harness.h, struct fp_vendor) ---- */

static const struct intel_record x87_records[] = {
#define RECORD(key, digest) { key, digest },
#include "emu_fp_x87_intel.def"
#undef RECORD
};

#define FSW_UE 0x0010u
#define FSW_PE 0x0020u
#define FSW_ES 0x0080u
#define FSW_C1 0x0200u
#define FSW_B 0x8000u
#define FCW_UM 0x0010u

/* Forms that store an environment (FNSTENV, FNSAVE) at (%rbx) + env,
 * in the 32-bit or the 16-bit protected-mode format: FSW at +4 / +2,
 * FCS at +16 / +8, FOP at +18 / none (SDM Vol. 1, Figures 8-9, 8-10). */
static const struct x87_env_form {
	const char *text;
	unsigned env;
	bool bits32;
} x87_env_forms[] = {
	{ "fnstenv 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)", 16, true },
	{ "fnsave 0(%rbx); movl $0,12(%rbx); movl $0,20(%rbx)", 0, true },
	{ "fldt 0(%rbx); fnstenv 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)",
	  16, true },
	{ "fldt 0(%rbx); data16 fnstenv 16(%rbx); movw $0,22(%rbx); movw $0,26(%rbx)",
	  16, false },
	{ "fldt 0(%rbx); fnsave 16(%rbx); movl $0,28(%rbx); movl $0,36(%rbx)",
	  16, true },
};

static const struct x87_env_form *x87_env_form(const char *text)
{
	for (size_t i = 0; i < sizeof(x87_env_forms) / sizeof(x87_env_forms[0]);
	     i++)
		if (strcmp(x87_env_forms[i].text, text) == 0)
			return &x87_env_forms[i];
	return NULL;
}

/* The forms whose result tables give ST(0) back unchanged for some
 * ST(1): 0 for FSCALE by +-0, 1 for FPREM/FPREM1 by +-inf (SDM Vol. 2A,
 * FSCALE, FPREM, FPREM1: the tables of results); -1 for the others. */
static int x87_passes_st0(const char *text)
{
	if (strcmp(text, "fscale") == 0)
		return 0;
	if (strcmp(text, "fprem") == 0 || strcmp(text, "fprem1") == 0)
		return 1;
	return -1;
}

static const char *x87_intel_part(const struct fp_form *f)
{
	if (x87_passes_st0(f->text) >= 0)
		return "ST(0), FOP and FSW.UE/PE/ES/B/C1 after an unmasked "
		       "underflow (FCW.UM = 0) with a denormal ST(0) that the "
		       "result table gives back unchanged (SDM Vol. 2A "
		       "FSCALE/FPREM: the result is ST(0); Vol. 1, 8.5.5: a "
		       "tiny result is bias-adjusted by 2^24576 with UM = 0; "
		       "an Intel CPU keeps the denormal, no #U)";
	if (x87_env_form(f->text))
		return "FCS in the stored environment (SDM Vol. 1, 8.1.8: "
		       "stored as 0 by a CPU with CPUID.(EAX=07H,ECX=0):"
		       "EBX[13]) and FOP there with FSW.ES = 0 (Vol. 1, "
		       "8.1.9.1: FOP is defined after an unmasked exception "
		       "only)";
	if (strcmp(f->text, "fldenv 16(%rbx)") == 0 ||
	    strcmp(f->text, "frstor 0(%rbx)") == 0)
		return "FOP loaded from memory and saved by FXSAVE with "
		       "FSW.ES = 0 (SDM Vol. 1, 8.1.9.1: FOP is defined after "
		       "an unmasked exception only)";
	return NULL;
}

static uint16_t x87_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return v;
}

/* Is ST(i) of the FXSAVE image x valid, of exponent field exp and of
 * significand sig (~0: any nonzero one)? */
static bool x87_st_is(const uint8_t *x, unsigned i, uint16_t exp,
		      uint64_t sig)
{
	unsigned top = (x87_u16(x + 2) >> 11) & 7;
	uint64_t m;

	memcpy(&m, x + 32 + 16 * i, 8);
	return (x[4] >> ((top + i) & 7) & 1) &&
	       (x87_u16(x + 40 + 16 * i) & 0x7fff) == exp &&
	       (sig == ~0ull ? m != 0 : m == sig);
}

/* b = a * 2^24576, a a denormal: the bias-adjusted result of an
 * unmasked underflow (SDM Vol. 1, 8.5.5). A denormal has the exponent
 * of biased exponent 1; shifted left by s to normalize, 1 - s; adjusted,
 * 24577 - s. */
static bool x87_is_rebiased(const uint8_t *a, const uint8_t *b)
{
	uint64_t m, n;
	unsigned s;

	memcpy(&m, a, 8);
	memcpy(&n, b, 8);
	s = (unsigned)__builtin_clzll(m);
	return n == m << s &&
	       x87_u16(b + 8) == ((x87_u16(a + 8) & 0x8000) | (24577 - s));
}

/* The underflow class of x87_intel_part: an unmasked #U, a denormal
 * ST(0) and ST(1) as x87_passes_st0 says. */
static bool x87_in_underflow_class(const struct fp_form *f,
				   const uint8_t *in)
{
	int which = x87_passes_st0(f->text);

	if (which < 0 || (x87_u16(in) & FCW_UM) ||
	    !x87_st_is(in, 0, 0, ~0ull))
		return false;
	return which == 0 ? x87_st_is(in, 1, 0, 0)
			  : x87_st_is(in, 1, 0x7fff, 1ull << 63);
}

/* In the class, the engine gives ST(0) back unchanged (an Intel CPU)
 * or bias-adjusted with UE and ES (8.5.5); the host's ST(0), FOP and
 * those FSW bits are the engine's then, the rest is compared. */
static bool x87_accept_underflow(const struct fp_case *c)
{
	const uint8_t *in = c->in->x87, *e = c->e->x87;
	uint16_t fe = x87_u16(e + 2), fh = x87_u16(c->h->x87 + 2);
	const uint16_t open = FSW_UE | FSW_PE | FSW_ES | FSW_B | FSW_C1;
	bool kept = !memcmp(e + 32, in + 32, 10) && !(fe & FSW_UE);
	bool adjusted = x87_is_rebiased(in + 32, e + 32) &&
			(fe & (FSW_UE | FSW_ES)) == (FSW_UE | FSW_ES);

	fh = (uint16_t)((fh & ~open) | (fe & open));
	memcpy(c->h->x87 + 2, &fh, 2);
	memcpy(c->h->x87 + 6, e + 6, 2);
	memcpy(c->h->x87 + 32, e + 32, 10);
	return kept || adjusted;
}

/* FCS, and FOP when the stored FSW has ES = 0, of a stored environment
 * are the engine's: x87_intel_part. */
static void x87_accept_env(const struct x87_env_form *env,
			   const struct fp_case *c)
{
	unsigned fcs = env->env + (env->bits32 ? 16 : 8);
	unsigned fsw = env->env + (env->bits32 ? 4 : 2);

	memcpy(c->hm + fcs, c->em + fcs, 2);
	if (env->bits32 && !(x87_u16(c->hm + fsw) & FSW_ES))
		memcpy(c->hm + env->env + 18, c->em + env->env + 18, 2);
}

static bool x87_accept(const struct fp_form *f, const struct fp_case *c)
{
	const struct x87_env_form *env = x87_env_form(f->text);
	bool es = x87_u16(c->h->x87 + 2) & FSW_ES;

	if (x87_in_underflow_class(f, c->in->x87))
		return x87_accept_underflow(c);
	if (env)
		x87_accept_env(env, c);
	else if (x87_passes_st0(f->text) < 0 && !es)
		memcpy(c->h->x87 + 6, c->e->x87 + 6, 2);
	return true;
}

static const struct fp_vendor x87_vendor = {
	x87_intel_part, x87_accept, x87_records,
	sizeof(x87_records) / sizeof(x87_records[0]), 300
};

TEST(emu_fp_x87_forms)
{
	EXPECT_EQ(0, fp_run_forms_vendor(x87_forms,
					 sizeof(x87_forms) / sizeof(x87_forms[0]),
					 FP_CASES, x87_prep, &x87_vendor));
	EXPECT_EQ(0, fp_run_forms_vendor(x87_multi_forms,
					 sizeof(x87_multi_forms) /
						 sizeof(x87_multi_forms[0]),
					 FP_CASES, x87_prep_masked, &x87_vendor));
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
