/* SPDX-License-Identifier: MIT */
/* Differential harness for the SIMD/x87 engine tests: every form is
 * assembled twice from the same text, once as a host function that
 * loads a register image, runs the instruction and stores the image
 * back, once as guest bytes (text; hlt) that the engine runs through
 * emu_step over the mock MMU. Registers, MXCSR, flags and the memory
 * buffer at (%rbx) are then compared bit for bit. */
#ifndef OPENHVF_TEST_EMU_FP_HARNESS_H
#define OPENHVF_TEST_EMU_FP_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Register image shared by both sides (offsets used by the asm). */
struct fp_image {
	_Alignas(64) uint8_t ymm[16][32]; /* 0 */
	uint64_t gpr[5];      /* 512: rax rcx rdx rsi rbx */
	uint32_t mxcsr;       /* 552 */
	uint32_t pad;
	uint64_t rflags;      /* 560 */
	uint64_t pad2;
	uint8_t x87[512];     /* 576: FXSAVE image (x87 tests) */
};
_Static_assert(offsetof(struct fp_image, x87) == 576, "asm offsets");

typedef void (*fp_native_fn)(struct fp_image *img);

struct fp_form {
	const char *text;
	fp_native_fn native;
	const uint8_t *code, *code_end;
	int kind;             /* operand generator, FK_* */
};

/* Operand generators: floating point of each width, random integers,
 * x87, and for the AVX/SSE4.2 tests half precision, string bytes (a
 * small alphabet with zeros), small shift counts and gather indices. */
enum { FK_F32, FK_F64, FK_INT, FK_X87, FK_F16, FK_STR, FK_SHIFT,
       FK_GATHER };

/* FP_FORM(id, kind, "insn"): defines fp_native_<id> and the guest bytes
 * fp_code_<id>_s/_e, and a table row via FP_ROW(id). */
#define FP_FORM(id, text)                                                  \
	__asm__(".pushsection .text\n.p2align 4\nfp_native_" #id ":\n"     \
		"push %rbx\nfp_load\n" text "\nfp_store\npop %rbx\nret\n"    \
		".popsection\n.pushsection .rodata\nfp_code_" #id "_s:\n"  \
		text "\nhlt\nfp_code_" #id "_e:\n.popsection\n");          \
	void fp_native_##id(struct fp_image *img);                         \
	extern const uint8_t fp_code_##id##_s[], fp_code_##id##_e[]

#define FP_ROW(id, kind, text) \
	{ text, fp_native_##id, fp_code_##id##_s, fp_code_##id##_e, kind }

/* The load/store macros used by every native form. */
__asm__(".macro fp_load\n"
	"fxrstor64 576(%rdi)\n"
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"vmovdqu \\r*32(%rdi), %ymm\\r\n"
	".endr\n"
	"ldmxcsr 552(%rdi)\n"
	"mov 512(%rdi), %rax\nmov 520(%rdi), %rcx\nmov 528(%rdi), %rdx\n"
	"mov 536(%rdi), %rsi\nmov 544(%rdi), %rbx\n"
	"pushq 560(%rdi)\npopfq\n"
	".endm\n"
	".macro fp_store\n"
	".irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
	"vmovdqu %ymm\\r, \\r*32(%rdi)\n"
	".endr\n"
	"stmxcsr 552(%rdi)\nfxsave64 576(%rdi)\n"
	"mov %rax, 512(%rdi)\nmov %rcx, 520(%rdi)\nmov %rdx, 528(%rdi)\n"
	"mov %rsi, 536(%rdi)\npushfq\npopq 560(%rdi)\n"
	"ldmxcsr fp_default_mxcsr(%rip)\nfninit\n"
	".endm\n"
	".pushsection .rodata\nfp_default_mxcsr: .long 0x1f80\n.popsection\n");

/* ---- driver (static inline: shared by the emu_fp_* programs) ---- */
#include "emu_mock.h"
#include "host_cpu.h"
#include "engine/emu/exec.h"

#include <stdio.h>
#include <string.h>

#define FP_CODE 0x1000u
#define FP_DATA 0x200000u
#define FP_MEM 128u

static uint64_t fp_rng = 0x9e3779b97f4a7c15ull;

static inline uint64_t fp_rnd(void)
{
	fp_rng ^= fp_rng << 13;
	fp_rng ^= fp_rng >> 7;
	fp_rng ^= fp_rng << 17;
	return fp_rng;
}

/* Two draws, in this order: the operands of one expression would be
 * drawn in an order the compiler chooses (C11 6.5p3), and the samples
 * of a test must not change with the build. */
static inline uint64_t fp_rnd_shr(unsigned below)
{
	uint64_t v = fp_rnd();

	return v >> (fp_rnd() % below);
}

static inline uint64_t fp_gen(unsigned mbits, unsigned ebits);

/* n fields of width bits, each fp_gen(mbits, ebits), the lowest first. */
static inline uint64_t fp_gen_packed(unsigned n, unsigned bits,
				     unsigned mbits, unsigned ebits)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v |= fp_gen(mbits, ebits) << (bits * i);
	return v;
}

/* A value with mbits fraction / ebits exponent bits, biased towards
 * zeros, infinities, NaNs, denormals and extreme exponents. */
static inline uint64_t fp_gen(unsigned mbits, unsigned ebits)
{
	uint64_t sign = (fp_rnd() & 1) << (mbits + ebits);
	uint64_t fmask = (1ull << mbits) - 1, emax = (1ull << ebits) - 1;
	uint64_t frac = fp_rnd() & fmask;

	switch (fp_rnd() % 12) {
	case 0: return sign;
	case 1: return sign | emax << mbits;
	case 2: return sign | emax << mbits | 1ull << (mbits - 1) | frac;
	case 3: return sign | emax << mbits | ((frac >> 1) | 1);
	case 4: return sign | frac;
	case 5: return sign | (emax - 1) << mbits | frac;
	case 6: return sign | ((emax >> 1) + fp_rnd() % 30) << mbits;
	default:
		return sign | ((emax >> 1) - 8 + fp_rnd() % 16) << mbits | frac;
	}
}

/* Eight string bytes from "abc" plus 0, 0x80 and 0xff, so that equal
 * elements, ranges and terminators all occur. */
static inline uint64_t fp_str_bytes(void)
{
	static const uint8_t alpha[8] = { 'a', 'b', 'c', 'a', 0x80, 0xff,
					  'b', 0 };
	uint64_t v = 0;

	for (unsigned i = 0; i < 8; i++) {
		unsigned n = fp_rnd() % 4 ? 7 : 8;

		v |= (uint64_t)alpha[fp_rnd() % n] << (8 * i);
	}
	return v;
}

/* A shift count: below 72, any 64 bits, or two counts below 40. */
static inline uint64_t fp_shift_count(void)
{
	uint64_t lo;

	if (fp_rnd() % 3 == 0)
		return fp_rnd() % 72;
	if (fp_rnd() % 3 == 0)
		return fp_rnd();
	lo = fp_rnd() % 40;
	return lo | (fp_rnd() % 40) << 32;
}

static inline void fp_fill(uint8_t *p, unsigned n, int kind)
{
	for (unsigned i = 0; i < n; i += 8) {
		uint64_t v;

		if (kind == FK_F32)
			v = fp_gen_packed(2, 32, 23, 8);
		else if (kind == FK_F16)
			v = fp_gen_packed(4, 16, 10, 5);
		else if (kind == FK_STR)
			v = fp_str_bytes();
		else if (kind == FK_SHIFT)
			v = fp_shift_count();
		else if (kind == FK_F64)
			v = fp_gen(52, 11);
		else if (fp_rnd() % 4 == 0)
			v = (fp_rnd() & 1) ? 0x8000800080008000ull * (fp_rnd() & 1)
					   : ~0ull >> (fp_rnd() % 64);
		else
			v = fp_rnd();
		memcpy(p + i, &v, 8);
	}
}

static const uint32_t fp_csr[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80,
				   0x9fc0, 0xffc0, 0x1fc0, 0x9f80 };

static inline void fp_random_image(struct fp_image *img, int kind)
{
	memset(img, 0, sizeof(*img));
	fp_fill(&img->ymm[0][0], sizeof(img->ymm), kind);
	for (unsigned i = 0; i < 4; i++)
		img->gpr[i] = fp_rnd_shr(64);
	img->mxcsr = kind == FK_INT ? 0x1f80 : fp_csr[fp_rnd() % 8];
	img->rflags = 0x202;
	img->x87[0] = 0x7f;  /* FCW 037F, empty stack */
	img->x87[1] = 0x03;
	memcpy(&img->x87[24], &img->mxcsr, 4);
}

static struct emu_cpu fp_cpu;
/* Control-register adjustments for the exception tests. */
static uint64_t fp_cr0_set, fp_cr4_clear;
/* XCR0 the engine runs with (x87 | SSE | AVX unless a test changes it). */
static uint64_t fp_xcr0 = 7;

/* XSAVE image of *img for emu_fpu_load (legacy area = FXSAVE64 image,
 * XSTATE_BV = 7, upper YMM halves at 576). */
static inline void fp_to_engine(const struct fp_image *img)
{
	static uint8_t x[XSAVE_STD_SIZE];
	uint64_t bv = 7;

	memset(x, 0, sizeof(x));
	memcpy(x, img->x87, 512);
	memcpy(x + XSAVE_HDR_OFF, &bv, 8);
	for (unsigned i = 0; i < 16; i++) {
		memcpy(x + 160 + 16 * i, img->ymm[i], 16);
		memcpy(x + XSAVE_YMM_OFF + 16 * i, img->ymm[i] + 16, 16);
	}
	emu_fpu_load(&fp_cpu, x);
	fp_cpu.fpu.mxcsr = img->mxcsr;
}

static inline void fp_from_engine(struct fp_image *img)
{
	static uint8_t x[XSAVE_STD_SIZE];

	emu_fpu_store(&fp_cpu, x);
	memcpy(img->x87, x, 512);
	for (unsigned i = 0; i < 16; i++) {
		memcpy(img->ymm[i], x + 160 + 16 * i, 16);
		memcpy(img->ymm[i] + 16, x + XSAVE_YMM_OFF + 16 * i, 16);
	}
	img->mxcsr = fp_cpu.fpu.mxcsr;
	memcpy(img->gpr, (uint64_t[]){ fp_cpu.gpr[0], fp_cpu.gpr[1],
				       fp_cpu.gpr[2], fp_cpu.gpr[6] }, 32);
	img->rflags = emu_get_rflags(&fp_cpu);
}


/* The host's selectors in the engine's CS, DS and SS, so that saved x87
 * environments (FCS, FDS) are compared with real values, not zeros. */
static inline void fp_host_selectors(void)
{
	uint16_t cs, ds, ss;

	__asm__ volatile("mov %%cs, %0\n\tmov %%ds, %1\n\tmov %%ss, %2"
			 : "=r"(cs), "=r"(ds), "=r"(ss));
	fp_cpu.seg[SEG_CS].sel = cs;
	fp_cpu.seg[SEG_DS].sel = ds;
	fp_cpu.seg[SEG_SS].sel = ss;
}
/* Run one form in the engine; returns the exception vector or -1. */
static inline int fp_engine(const struct fp_form *f, struct fp_image *img,
			    uint8_t *mem)
{
	mock_cpu_init(&fp_cpu, MODE_LONG, FP_CODE, 0x80000);
	fp_cpu.cr0 |= 0x20 | fp_cr0_set;
	fp_cpu.cr4 = ((1u << 9) | (1u << 10) | (1u << 18)) & ~fp_cr4_clear;
	fp_cpu.xcr0 = fp_xcr0;
	fp_host_selectors();
	memcpy(mock_mem + FP_CODE, f->code, (size_t)(f->code_end - f->code));
	memcpy(mock_mem + FP_DATA, mem, FP_MEM);
	fp_to_engine(img);
	fp_cpu.gpr[0] = img->gpr[0];
	fp_cpu.gpr[1] = img->gpr[1];
	fp_cpu.gpr[2] = img->gpr[2];
	fp_cpu.gpr[6] = img->gpr[3];
	fp_cpu.gpr[3] = FP_DATA;
	emu_set_rflags(&fp_cpu, img->rflags);
	mock_run(&fp_cpu, 100);
	fp_from_engine(img);
	memcpy(mem, mock_mem + FP_DATA, FP_MEM);
	return mock_exc;
}

/* Bytes of the x87 part of the FXSAVE image that are compared: FCW,
 * FSW, FTW, FOP (FIP/FDP hold host addresses) and the ten bytes of each
 * register. */
static inline bool fp_x87_equal(const uint8_t *a, const uint8_t *b)
{
	if (memcmp(a, b, 5) || memcmp(a + 6, b + 6, 2))
		return false;
	for (unsigned i = 0; i < 8; i++)
		if (memcmp(a + 32 + 16 * i, b + 32 + 16 * i, 10))
			return false;
	return true;
}

static inline void fp_dump(const char *what, const struct fp_image *h,
			   const struct fp_image *e, const uint8_t *hm,
			   const uint8_t *em)
{
	printf("# %s: mxcsr %08x/%08x flags %03llx/%03llx\n", what, h->mxcsr,
	       e->mxcsr, (unsigned long long)(h->rflags & 0x8d5),
	       (unsigned long long)(e->rflags & 0x8d5));
	for (unsigned r = 0; r < 16; r++)
		if (memcmp(h->ymm[r], e->ymm[r], 32))
			printf("#  ymm%u host %016llx %016llx emu %016llx %016llx\n", r,
			       (unsigned long long)((const uint64_t *)h->ymm[r])[0],
			       (unsigned long long)((const uint64_t *)h->ymm[r])[1],
			       (unsigned long long)((const uint64_t *)e->ymm[r])[0],
			       (unsigned long long)((const uint64_t *)e->ymm[r])[1]);
	for (unsigned r = 0; r < 4; r++)
		if (h->gpr[r] != e->gpr[r])
			printf("#  gpr%u host %016llx emu %016llx\n", r,
			       (unsigned long long)h->gpr[r],
			       (unsigned long long)e->gpr[r]);
	if (memcmp(hm, em, FP_MEM))
		printf("#  memory differs\n");
	for (unsigned i = 0; i < 8 && !fp_x87_equal(h->x87, e->x87); i++)
		if (memcmp(h->x87 + 32 + 16 * i, e->x87 + 32 + 16 * i, 10))
			printf("#  st%u %04x:%016llx / %04x:%016llx\n", i,
			       *(const uint16_t *)(h->x87 + 40 + 16 * i),
			       *(const unsigned long long *)(h->x87 + 32 + 16 * i),
			       *(const uint16_t *)(e->x87 + 40 + 16 * i),
			       *(const unsigned long long *)(e->x87 + 32 + 16 * i));
	if (!fp_x87_equal(h->x87, e->x87))
		printf("#  fcw %04x/%04x ftw %02x/%02x\n",
		       *(const uint16_t *)h->x87, *(const uint16_t *)e->x87,
		       h->x87[4], e->x87[4]);
	if (!fp_x87_equal(h->x87, e->x87))
		printf("#  x87 differs: fsw %04x/%04x st0 %04x:%016llx / %04x:%016llx\n",
		       *(const uint16_t *)(h->x87 + 2), *(const uint16_t *)(e->x87 + 2),
		       *(const uint16_t *)(h->x87 + 40), *(const unsigned long long *)(h->x87 + 32),
		       *(const uint16_t *)(e->x87 + 40), *(const unsigned long long *)(e->x87 + 32));
}

/* ---- non-Intel hosts (docs/compat.md, "Tests on non-Intel hosts") ----
 * Where the SDM leaves part of a form's result to the implementation,
 * only an Intel host is an oracle for it. A test names those forms and
 * parts in a struct fp_vendor: on any other host the rest of the result
 * is compared with the host and the engine's whole result is digested
 * over the test's fixed-seed cases and checked against the record of an
 * Intel host's results; on an Intel host everything is compared with
 * the host and the host's results are digested and checked too. */

/* One case of a form: its input and both results. */
struct fp_case {
	const struct fp_image *in;
	const uint8_t *inmem;
	struct fp_image *h;
	uint8_t *hm;
	const struct fp_image *e;
	const uint8_t *em;
};

struct fp_vendor {
	/* The Intel-specific part of f's results, with the SDM section
	 * that leaves it open, or NULL when the SDM defines all of them. */
	const char *(*intel_part)(const struct fp_form *f);
	/* On a non-Intel host: checks what the SDM defines of the engine's
	 * results c->e against c->in (a bound, say), then copies the
	 * Intel-specific parts of c->e and c->em into c->h and c->hm, so
	 * that everything else is compared with the host bit for bit.
	 * Returns false when the engine's results break the SDM. */
	bool (*accept)(const struct fp_form *f, const struct fp_case *c);
	const struct intel_record *rec;
	size_t nrec;
	/* The test's default case count: the record was taken with it. */
	unsigned cases;
};

/* The compared results of one case, in a fixed order. */
static inline uint64_t fp_digest_case(uint64_t d, const struct fp_image *r,
				      const uint8_t *mem)
{
	uint64_t fl = r->rflags & 0x8d5;

	d = digest_add(d, r->ymm, sizeof(r->ymm));
	d = digest_add(d, &r->mxcsr, 4);
	d = digest_add(d, r->gpr, 4 * 8);
	d = digest_add(d, &fl, 8);
	d = digest_add(d, mem, FP_MEM);
	d = digest_add(d, r->x87, 5);
	d = digest_add(d, r->x87 + 6, 2);
	for (unsigned i = 0; i < 8; i++)
		d = digest_add(d, r->x87 + 32 + 16 * i, 10);
	return d;
}

/* Are the cases about to be drawn those of the record? They follow
 * from the generator's state, which is recorded too (key "rng before
 * <part>"): a test run alone, after a skipped one or with another case
 * count draws others. Returns 1 if so, 0 if not (the record is not
 * checked, said in a "# " line), -1 if that state is not recorded (a
 * failure; the digests are still checked, so that one HVF_RECORD=1 run
 * prints every line of a new .def). */
static inline int fp_rng_recorded(const struct fp_vendor *v,
				  const char *part)
{
	char key[160];
	enum record_verdict r;

	snprintf(key, sizeof(key), "rng before %s", part);
	r = intel_record_check(v->rec, v->nrec, key, fp_rng);
	if (r == RECORD_MATCH)
		return 1;
	if (r == RECORD_MISSING) {
		printf("# record: no record of '%s'\n", key);
		return -1;
	}
	printf("# record not checked: the cases from %s on are not the "
	       "recorded ones (the tests run alone or with other counts)\n",
	       part);
	return 0;
}

/* Checks the digest d of key's cases against the record; returns 1 on
 * a failure (a differing or missing record). */
static inline unsigned fp_record_check(const struct fp_vendor *v,
				       const char *key, uint64_t d)
{
	enum record_verdict r = intel_record_check(v->rec, v->nrec, key, d);

	if (r == RECORD_MATCH)
		return 0;
	if (r == RECORD_MISSING)
		printf("# record: no record of '%s' (digest %016llx)\n", key,
		       (unsigned long long)d);
	for (size_t i = 0; r == RECORD_DIFFERS && i < v->nrec; i++)
		if (strcmp(v->rec[i].key, key) == 0)
			printf("# record: '%s' digest %016llx, recorded "
			       "%016llx\n", key, (unsigned long long)d,
			       (unsigned long long)v->rec[i].digest);
	return 1;
}

static inline bool fp_results_equal(const struct fp_image *h,
				    const struct fp_image *e,
				    const uint8_t *hm, const uint8_t *em)
{
	return !memcmp(h->ymm, e->ymm, sizeof(h->ymm)) &&
	       h->mxcsr == e->mxcsr && !memcmp(h->gpr, e->gpr, 4 * 8) &&
	       (h->rflags & 0x8d5) == (e->rflags & 0x8d5) &&
	       !memcmp(hm, em, FP_MEM) && fp_x87_equal(h->x87, e->x87);
}

/* Runs one case of f; false on a mismatch (reported if report). *d
 * digests the Intel results when part is set: the host's on an Intel
 * host, the engine's elsewhere. */
static inline bool fp_run_case(const struct fp_form *f, unsigned c,
			       void (*prep)(struct fp_image *, int),
			       const struct fp_vendor *v, const char *part,
			       uint64_t *d, bool report)
{
	static uint8_t hmem[FP_MEM] __attribute__((aligned(64)));
	static uint8_t emem[FP_MEM], inmem[FP_MEM];
	struct fp_image h, e, in;
	struct fp_case k = { &in, inmem, &h, hmem, &e, emem };
	bool intel = host_is_intel(), sdm = true;
	int exc;

	fp_random_image(&h, f->kind);
	if (prep)
		prep(&h, f->kind);
	fp_fill(hmem, FP_MEM, f->kind);
	memcpy(emem, hmem, FP_MEM);
	memcpy(inmem, hmem, FP_MEM);
	e = in = h;
	h.gpr[4] = (uint64_t)(uintptr_t)hmem;
	f->native(&h);
	exc = fp_engine(f, &e, emem);
	if (part) {
		*d = intel ? fp_digest_case(*d, &h, hmem)
			   : fp_digest_case(*d, &e, emem);
		if (!intel)
			sdm = v->accept(f, &k);
	}
	if (exc == -1 && sdm && fp_results_equal(&h, &e, hmem, emem))
		return true;
	if (!report)
		return false;
	printf("# form '%s' case %u exc %d%s\n", f->text, c, exc,
	       sdm ? "" : ": the engine breaks the SDM");
	fp_dump(f->text, &h, &e, hmem, emem);
	return false;
}

/* Runs f cases times; returns 1 on a mismatch or a failed record. All
 * cases run after a mismatch (only the first is reported), so that the
 * later forms still draw the recorded cases (*recorded: they are the
 * record's). */
static inline unsigned fp_run_form(const struct fp_form *f, unsigned cases,
				   void (*prep)(struct fp_image *, int),
				   const struct fp_vendor *v, bool *recorded)
{
	const char *part = v ? v->intel_part(f) : NULL;
	uint64_t d = DIGEST_INIT;
	unsigned bad = 0;

	if (part && !host_is_intel())
		printf("# host %s: %s of '%s' checked against the Intel "
		       "record only\n", host_vendor(), part, f->text);
	for (unsigned c = 0; c < cases; c++)
		bad += !fp_run_case(f, c, prep, v, part, &d, bad == 0);
	if (bad)
		printf("# form '%s': %u of %u cases mismatch\n", f->text,
		       bad, cases);
	if (part && !*recorded)
		printf("# record not checked: '%s'\n", f->text);
	if (part && *recorded && fp_record_check(v, f->text, d))
		return 1;
	return bad != 0;
}

/* Run every form cases times; returns the number of mismatching forms
 * and failed records. v (NULL: none) names the Intel-specific parts,
 * see struct fp_vendor. */
static inline unsigned fp_run_forms_vendor(const struct fp_form *forms,
					   unsigned n, unsigned cases,
					   void (*prep)(struct fp_image *, int),
					   const struct fp_vendor *v)
{
	int rec = v ? fp_rng_recorded(v, forms[0].text) : 0;
	bool recorded = rec != 0 && cases == v->cases;
	unsigned bad = rec < 0;

	if (rec != 0 && !recorded)
		printf("# record not checked: %u cases, the record holds %u\n",
		       cases, v->cases);
	for (unsigned i = 0; i < n; i++)
		bad += fp_run_form(&forms[i], cases, prep, v, &recorded);
	return bad;
}

static inline unsigned fp_run_forms(const struct fp_form *forms, unsigned n,
				    unsigned cases,
				    void (*prep)(struct fp_image *, int))
{
	return fp_run_forms_vendor(forms, n, cases, prep, NULL);
}

#endif
