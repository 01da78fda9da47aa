/* SPDX-License-Identifier: MIT */
/* Soft-float against the host CPU: every operation runs on random and
 * boundary operands (zeros, infinities, QNaN/SNaN, denormals, extreme
 * exponents, near-cancellation) under every MXCSR rounding mode with and
 * without DAZ/FTZ; result bits and exception flags must match. Needs an
 * x86-64 host with SSE4.1 (AVX/FMA/F16C forms skip when absent). */
#include "engine/emu/softfloat.h"
#include "../lib/test.h"

#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#ifndef CASES
#define CASES 3000
#endif

static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A random value of a format with mbits fraction and ebits exponent
 * bits, biased towards the interesting classes. */
static uint64_t gen(unsigned mbits, unsigned ebits)
{
	uint64_t sign = (rnd() & 1) << (mbits + ebits);
	uint64_t fmask = (1ull << mbits) - 1, emax = (1ull << ebits) - 1;
	uint64_t frac = rnd() & fmask, e;

	switch (rnd() % 14) {
	case 0: return sign;
	case 1: return sign | emax << mbits;
	case 2: return sign | emax << mbits | 1ull << (mbits - 1) | frac;
	case 3: return sign | emax << mbits | ((frac >> 1) | 1);
	case 4: return sign | frac;
	case 5: return sign | 1ull << mbits | (rnd() & 1 ? fmask : 0);
	case 6: return sign | (emax - 1 - rnd() % 3) << mbits | frac;
	case 7: e = 1 + rnd() % (mbits + 2); return sign | e << mbits | frac;
	case 8: e = (emax >> 1) + rnd() % 40;
		return sign | e << mbits | (frac & ~(fmask >> (rnd() % 24)));
	case 9: return sign | (rnd() & 1 ? fmask : 1);
	default:
		e = (emax >> 1) - 20 + rnd() % 40;
		return sign | e << mbits | frac;
	}
}

/* A second operand, sometimes close to the first (cancellation,
 * equal values, sticky-bit cases). */
static uint64_t gen_near(uint64_t a, unsigned mbits, unsigned ebits)
{
	switch (rnd() % 6) {
	case 0: return a ^ (1ull << (mbits + ebits));
	case 1: return (a ^ (1ull << (mbits + ebits))) + (rnd() % 5) - 2;
	case 2: return a + (rnd() % 3) * (1ull << mbits);
	default: return gen(mbits, ebits);
	}
}

static uint32_t g32(void) { return (uint32_t)gen(23, 8); }
static uint64_t g64(void) { return gen(52, 11); }

static const uint32_t csr_modes[] = {
	0x1f80, 0x3f80, 0x5f80, 0x7f80,         /* RN RD RU RZ */
	0x1fc0, 0x9f80, 0x9fc0, 0xbfc0, 0xdfc0, 0xffc0,
};
#define NMODES (sizeof(csr_modes) / sizeof(csr_modes[0]))

static unsigned mismatches;

static void report(const char *op, uint32_t csr, uint64_t a, uint64_t b,
		   uint64_t want, uint64_t got, unsigned wf, unsigned gf)
{
	if (++mismatches <= 20)
		printf("# %s csr=%04x a=%016llx b=%016llx host=%016llx/%02x "
		       "emu=%016llx/%02x\n", op, csr, (unsigned long long)a,
		       (unsigned long long)b, (unsigned long long)want, wf,
		       (unsigned long long)got, gf);
}

/* ---- host oracle ---- */

#define HOST_BIN(name, insn, mov, T)                                       \
	static T name(T a, T b, uint32_t csr, unsigned *fl)                \
	{                                                                  \
		T r;                                                       \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 mov " %[b], %%xmm1\n\t" insn              \
				 " %%xmm1, %%xmm0\n\t" mov " %%xmm0, %[r]\n\t" \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "m"(csr),   \
				   [d] "m"(def)                            \
				 : "xmm0", "xmm1");                        \
		*fl = out & 0x3f;                                          \
		return r;                                                  \
	}

HOST_BIN(h_addss, "addss", "movd", uint32_t)
HOST_BIN(h_subss, "subss", "movd", uint32_t)
HOST_BIN(h_mulss, "mulss", "movd", uint32_t)
HOST_BIN(h_divss, "divss", "movd", uint32_t)
HOST_BIN(h_minss, "minss", "movd", uint32_t)
HOST_BIN(h_maxss, "maxss", "movd", uint32_t)
HOST_BIN(h_sqrtss, "sqrtss", "movd", uint32_t)
HOST_BIN(h_addsd, "addsd", "movq", uint64_t)
HOST_BIN(h_subsd, "subsd", "movq", uint64_t)
HOST_BIN(h_mulsd, "mulsd", "movq", uint64_t)
HOST_BIN(h_divsd, "divsd", "movq", uint64_t)
HOST_BIN(h_minsd, "minsd", "movq", uint64_t)
HOST_BIN(h_maxsd, "maxsd", "movq", uint64_t)
HOST_BIN(h_sqrtsd, "sqrtsd", "movq", uint64_t)
HOST_BIN(h_cvtss2sd, "cvtss2sd", "movq", uint64_t)
HOST_BIN(h_cvtsd2ss, "cvtsd2ss", "movq", uint64_t)
HOST_BIN(h_roundss0, "roundss $0,", "movd", uint32_t)
HOST_BIN(h_roundss1, "roundss $1,", "movd", uint32_t)
HOST_BIN(h_roundss2, "roundss $2,", "movd", uint32_t)
HOST_BIN(h_roundss3, "roundss $3,", "movd", uint32_t)
HOST_BIN(h_roundss4, "roundss $4,", "movd", uint32_t)
HOST_BIN(h_roundss9, "roundss $9,", "movd", uint32_t)
HOST_BIN(h_roundsd0, "roundsd $0,", "movq", uint64_t)
HOST_BIN(h_roundsd2, "roundsd $2,", "movq", uint64_t)
HOST_BIN(h_roundsd4, "roundsd $4,", "movq", uint64_t)
HOST_BIN(h_roundsd11, "roundsd $11,", "movq", uint64_t)

/* Conversions to integers: insn %xmm0, %r. */
#define HOST_TOI(name, insn, mov, T, R)                                    \
	static R name(T a, uint32_t csr, unsigned *fl)                     \
	{                                                                  \
		R r;                                                       \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 insn " %%xmm0, %[r]\n\t"                  \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)  \
				 : "xmm0");                                \
		*fl = out & 0x3f;                                          \
		return r;                                                  \
	}

HOST_TOI(h_cvtss2si, "cvtss2si", "movd", uint32_t, int32_t)
HOST_TOI(h_cvttss2si, "cvttss2si", "movd", uint32_t, int32_t)
HOST_TOI(h_cvtss2si64, "cvtss2si", "movd", uint32_t, int64_t)
HOST_TOI(h_cvttss2si64, "cvttss2si", "movd", uint32_t, int64_t)
HOST_TOI(h_cvtsd2si, "cvtsd2si", "movq", uint64_t, int32_t)
HOST_TOI(h_cvttsd2si, "cvttsd2si", "movq", uint64_t, int32_t)
HOST_TOI(h_cvtsd2si64, "cvtsd2si", "movq", uint64_t, int64_t)
HOST_TOI(h_cvttsd2si64, "cvttsd2si", "movq", uint64_t, int64_t)

#define HOST_FROMI(name, insn, mov, T)                                     \
	static T name(int64_t a, uint32_t csr, unsigned *fl)               \
	{                                                                  \
		T r;                                                       \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[c]\n\t" insn " %[a], %%xmm0\n\t" \
				 mov " %%xmm0, %[r]\n\t"                   \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)  \
				 : "xmm0");                                \
		*fl = out & 0x3f;                                          \
		return r;                                                  \
	}

HOST_FROMI(h_cvtsi2ss, "cvtsi2ssq", "movd", uint32_t)
HOST_FROMI(h_cvtsi2sd, "cvtsi2sdq", "movq", uint64_t)

/* COMISS/UCOMISS: ZF PF CF as the result. */
#define HOST_COMI(name, insn, mov, T)                                      \
	static unsigned name(T a, T b, uint32_t csr, unsigned *fl)         \
	{                                                                  \
		uint64_t f;                                                \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 mov " %[b], %%xmm1\n\t" insn              \
				 " %%xmm1, %%xmm0\n\tpushfq\n\tpopq %[f]\n\t" \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [f] "=r"(f), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "m"(csr),   \
				   [d] "m"(def)                            \
				 : "xmm0", "xmm1", "cc");                  \
		*fl = out & 0x3f;                                          \
		return (unsigned)(f & 0x8d5);                              \
	}

HOST_COMI(h_comiss, "comiss", "movd", uint32_t)
HOST_COMI(h_ucomiss, "ucomiss", "movd", uint32_t)
HOST_COMI(h_comisd, "comisd", "movq", uint64_t)
HOST_COMI(h_ucomisd, "ucomisd", "movq", uint64_t)

static bool host_has(unsigned leaf, unsigned reg, unsigned bit)
{
	unsigned r[4];

	if (!__get_cpuid_count(leaf, 0, &r[0], &r[1], &r[2], &r[3]))
		return false;
	return (r[reg] >> bit) & 1;
}

/* ---- drivers ---- */

typedef uint32_t (*emu_b32)(struct sf_env *, uint32_t, uint32_t);
typedef uint64_t (*emu_b64)(struct sf_env *, uint64_t, uint64_t);
typedef uint32_t (*host_b32)(uint32_t, uint32_t, uint32_t, unsigned *);
typedef uint64_t (*host_b64)(uint64_t, uint64_t, uint32_t, unsigned *);

static void run_b32(const char *name, emu_b32 emu, host_b32 host)
{
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t a = g32();
			uint32_t b = (uint32_t)gen_near(a, 23, 8);
			unsigned hf;
			uint32_t want = host(a, b, csr_modes[m], &hf), got;
			struct sf_env e;

			sf_env_sse(&e, csr_modes[m]);
			got = emu(&e, a, b);
			if (want != got || hf != e.flags)
				report(name, csr_modes[m], a, b, want, got, hf,
				       e.flags);
		}
}

static void run_b64(const char *name, emu_b64 emu, host_b64 host)
{
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint64_t a = g64(), b = gen_near(a, 52, 11);
			unsigned hf;
			uint64_t want = host(a, b, csr_modes[m], &hf), got;
			struct sf_env e;

			sf_env_sse(&e, csr_modes[m]);
			got = emu(&e, a, b);
			if (want != got || hf != e.flags)
				report(name, csr_modes[m], a, b, want, got, hf,
				       e.flags);
		}
}

#define CHECK_DONE() do { EXPECT_EQ(0, mismatches); mismatches = 0; } while (0)

TEST(sf_f32_arith)
{
	run_b32("addss", f32_add, h_addss);
	run_b32("subss", f32_sub, h_subss);
	run_b32("mulss", f32_mul, h_mulss);
	run_b32("divss", f32_div, h_divss);
	run_b32("minss", f32_min, h_minss);
	run_b32("maxss", f32_max, h_maxss);
	CHECK_DONE();
}

TEST(sf_f64_arith)
{
	run_b64("addsd", f64_add, h_addsd);
	run_b64("subsd", f64_sub, h_subsd);
	run_b64("mulsd", f64_mul, h_mulsd);
	run_b64("divsd", f64_div, h_divsd);
	run_b64("minsd", f64_min, h_minsd);
	run_b64("maxsd", f64_max, h_maxsd);
	CHECK_DONE();
}

/* Unary operations through the binary driver: the result is op(b). */
static uint32_t e_sqrtss(struct sf_env *e, uint32_t a, uint32_t b)
{
	(void)a;
	return f32_sqrt(e, b);
}

static uint64_t e_sqrtsd(struct sf_env *e, uint64_t a, uint64_t b)
{
	(void)a;
	return f64_sqrt(e, b);
}

/* CVTSS2SD keeps the upper destination bits: compare the low 64 only
 * (the host helper moves the whole xmm0 low quadword). */
static uint64_t e_cvtss2sd(struct sf_env *e, uint64_t a, uint64_t b)
{
	(void)a;
	return f32_to_f64(e, (uint32_t)b);
}

static uint64_t e_cvtsd2ss(struct sf_env *e, uint64_t a, uint64_t b)
{
	return (a & ~0xffffffffull) | f64_to_f32(e, b);
}

TEST(sf_sqrt_and_convert)
{
	run_b32("sqrtss", e_sqrtss, h_sqrtss);
	run_b64("sqrtsd", e_sqrtsd, h_sqrtsd);
	CHECK_DONE();
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t a = g32();
			uint64_t d = g64();
			unsigned hf;
			uint64_t want = h_cvtss2sd(0, a, csr_modes[m], &hf);
			struct sf_env e;

			sf_env_sse(&e, csr_modes[m]);
			if (want != e_cvtss2sd(&e, 0, a) || hf != e.flags)
				report("cvtss2sd", csr_modes[m], a, 0, want,
				       e_cvtss2sd(&e, 0, a), hf, e.flags);
			want = h_cvtsd2ss(0, d, csr_modes[m], &hf);
			sf_env_sse(&e, csr_modes[m]);
			if (want != e_cvtsd2ss(&e, 0, d) || hf != e.flags)
				report("cvtsd2ss", csr_modes[m], d, 0, want,
				       e_cvtsd2ss(&e, 0, d), hf, e.flags);
		}
	CHECK_DONE();
}

static uint32_t rs32(struct sf_env *e, uint32_t b, unsigned imm)
{
	return f32_round_int(e, b, imm & 4 ? e->rc : imm & 3, imm & 8);
}

static uint64_t rs64(struct sf_env *e, uint64_t b, unsigned imm)
{
	return f64_round_int(e, b, imm & 4 ? e->rc : imm & 3, imm & 8);
}

#define ROUND32(imm) \
	static uint32_t e_roundss##imm(struct sf_env *e, uint32_t a,    \
				       uint32_t b)                       \
	{ (void)a; return rs32(e, b, imm); }
#define ROUND64(imm) \
	static uint64_t e_roundsd##imm(struct sf_env *e, uint64_t a,    \
				       uint64_t b)                       \
	{ (void)a; return rs64(e, b, imm); }
ROUND32(0) ROUND32(1) ROUND32(2) ROUND32(3) ROUND32(4) ROUND32(9)
ROUND64(0) ROUND64(2) ROUND64(4) ROUND64(11)

TEST(sf_round_int)
{
	if (!host_has(1, 2, 19)) {
		test_skip("no SSE4.1");
		return;
	}
	run_b32("roundss0", e_roundss0, h_roundss0);
	run_b32("roundss1", e_roundss1, h_roundss1);
	run_b32("roundss2", e_roundss2, h_roundss2);
	run_b32("roundss3", e_roundss3, h_roundss3);
	run_b32("roundss4", e_roundss4, h_roundss4);
	run_b32("roundss9", e_roundss9, h_roundss9);
	run_b64("roundsd0", e_roundsd0, h_roundsd0);
	run_b64("roundsd2", e_roundsd2, h_roundsd2);
	run_b64("roundsd4", e_roundsd4, h_roundsd4);
	run_b64("roundsd11", e_roundsd11, h_roundsd11);
	CHECK_DONE();
}

static void check_toi(const char *name, uint32_t csr, uint64_t a,
		      int64_t want, unsigned hf, int64_t got,
		      const struct sf_env *e)
{
	if (want != got || hf != e->flags)
		report(name, csr, a, 0, (uint64_t)want, (uint64_t)got, hf,
		       e->flags);
}

static int64_t gen_int(void)
{
	int64_t v = (int64_t)rnd();

	switch (rnd() % 4) {
	case 0: return v >> (rnd() % 64);
	case 1: return (int64_t)(rnd() % 2000) - 1000;
	case 2: return (int64_t)((1ull << (rnd() % 64)) - rnd() % 3);
	default: return v;
	}
}

TEST(sf_int_conversions)
{
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t csr = csr_modes[m], a = g32();
			uint64_t d = g64();
			int64_t v = gen_int();
			unsigned hf;
			struct sf_env e;
			int64_t w;

#define TOI(hname, expr, arg)                                              \
	do {                                                               \
		w = hname(arg, csr, &hf);                                  \
		sf_env_sse(&e, csr);                                       \
		check_toi(#hname, csr, arg, w, hf, expr, &e);              \
	} while (0)
			TOI(h_cvtss2si, f32_to_i32(&e, a, false), a);
			TOI(h_cvttss2si, f32_to_i32(&e, a, true), a);
			TOI(h_cvtss2si64, f32_to_i64(&e, a, false), a);
			TOI(h_cvttss2si64, f32_to_i64(&e, a, true), a);
			TOI(h_cvtsd2si, f64_to_i32(&e, d, false), d);
			TOI(h_cvttsd2si, f64_to_i32(&e, d, true), d);
			TOI(h_cvtsd2si64, f64_to_i64(&e, d, false), d);
			TOI(h_cvttsd2si64, f64_to_i64(&e, d, true), d);
			TOI(h_cvtsi2ss, (int64_t)i64_to_f32(&e, v), v);
			TOI(h_cvtsi2sd, (int64_t)i64_to_f64(&e, v), v);
#undef TOI
		}
	CHECK_DONE();
}

static unsigned comi_flags(int rel)
{
	switch (rel) {
	case SF_LT: return 0x1;
	case SF_EQ: return 0x40;
	case SF_GT: return 0;
	default: return 0x45;
	}
}

TEST(sf_compares)
{
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t csr = csr_modes[m], a = g32();
			uint32_t b = (uint32_t)gen_near(a, 23, 8);
			uint64_t c = g64(), d = gen_near(c, 52, 11);
			unsigned hf, w;
			struct sf_env e;
			int rel;

#define COMI(hname, fn, x, y, sig)                                         \
	do {                                                               \
		w = hname(x, y, csr, &hf);                                 \
		sf_env_sse(&e, csr);                                       \
		rel = fn(&e, x, y, sig);                                   \
		if (w != comi_flags(rel) || hf != e.flags)                 \
			report(#hname, csr, x, y, w, comi_flags(rel), hf,  \
			       e.flags);                                   \
	} while (0)
			COMI(h_comiss, f32_compare, a, b, true);
			COMI(h_ucomiss, f32_compare, a, b, false);
			COMI(h_comisd, f64_compare, c, d, true);
			COMI(h_ucomisd, f64_compare, c, d, false);
#undef COMI
		}
	CHECK_DONE();
}

/* VCMPSS with all 32 predicates (AVX hosts). */
#define HOST_VCMP(n)                                                       \
	static uint64_t h_vcmp##n(uint64_t a, uint64_t b, uint32_t csr,    \
				  unsigned *fl)                            \
	{                                                                  \
		uint64_t r;                                                \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[c]\n\tmovq %[a], %%xmm0\n\t"   \
				 "movq %[b], %%xmm1\n\t"                   \
				 "vcmpss $" #n ", %%xmm1, %%xmm0, %%xmm2\n\t" \
				 "vcmpsd $" #n ", %%xmm1, %%xmm0, %%xmm3\n\t" \
				 "movd %%xmm2, %k[r]\n\tmovq %%xmm3, %%rax\n\t" \
				 "shl $32, %%rax\n\tor %%rax, %[r]\n\t"    \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=&r"(r), [o] "=m"(out)             \
				 : [a] "r"(a), [b] "r"(b), [c] "m"(csr),   \
				   [d] "m"(def)                            \
				 : "rax", "xmm0", "xmm1", "xmm2", "xmm3");  \
		*fl = out & 0x3f;                                          \
		return r;                                                  \
	}
#define P8(x, a, b, c, d, e_, f, g, h) x(a) x(b) x(c) x(d) x(e_) x(f) x(g) x(h)
P8(HOST_VCMP, 0, 1, 2, 3, 4, 5, 6, 7) P8(HOST_VCMP, 8, 9, 10, 11, 12, 13, 14, 15)
P8(HOST_VCMP, 16, 17, 18, 19, 20, 21, 22, 23)
P8(HOST_VCMP, 24, 25, 26, 27, 28, 29, 30, 31)
#define HREF(n) h_vcmp##n,
static host_b64 const vcmp_host[32] = {
	P8(HREF, 0, 1, 2, 3, 4, 5, 6, 7) P8(HREF, 8, 9, 10, 11, 12, 13, 14, 15)
	P8(HREF, 16, 17, 18, 19, 20, 21, 22, 23)
	P8(HREF, 24, 25, 26, 27, 28, 29, 30, 31)
};

TEST(sf_cmp_predicates)
{
	if (!host_has(1, 2, 28)) {
		test_skip("no AVX");
		return;
	}
	for (unsigned p = 0; p < 32; p++)
		for (unsigned i = 0; i < CASES / 4; i++) {
			uint32_t csr = csr_modes[i % NMODES];
			uint64_t a = g64(), b = gen_near(a, 52, 11);
			uint32_t x = (uint32_t)a, y = (uint32_t)b;
			unsigned hf;
			uint64_t want, got;
			struct sf_env e;

			if (i & 1) {
				x = g32();
				y = (uint32_t)gen_near(x, 23, 8);
				a = (a & ~0xffffffffull) | x;
				b = (b & ~0xffffffffull) | y;
			}
			want = vcmp_host[p](a, b, csr, &hf);
			sf_env_sse(&e, csr);
			got = f32_cmp_pred(&e, x, y, p) ? 0xffffffffu : 0;
			got |= (f64_cmp_pred(&e, a, b, p) ? ~0ull : 0) << 32;
			if (want != got || hf != e.flags)
				report("vcmp", csr | p << 16, a, b, want, got,
				       hf, e.flags);
		}
	CHECK_DONE();
}

/* VFMADD231SS/SD: xmm0 = xmm1 * xmm2 + xmm0. */
#define HOST_FMA(name, insn, mov, T)                                       \
	static T name(T a, T b, T c, uint32_t csr, unsigned *fl)           \
	{                                                                  \
		T r;                                                       \
		uint32_t out, def = 0x1f80;                                \
		__asm__ volatile("ldmxcsr %[cs]\n\t" mov " %[a], %%xmm1\n\t" \
				 mov " %[b], %%xmm2\n\t" mov " %[c], %%xmm0\n\t" \
				 insn " %%xmm2, %%xmm1, %%xmm0\n\t"        \
				 mov " %%xmm0, %[r]\n\t"                   \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "r"(c),     \
				   [cs] "m"(csr), [d] "m"(def)             \
				 : "xmm0", "xmm1", "xmm2");                \
		*fl = out & 0x3f;                                          \
		return r;                                                  \
	}

HOST_FMA(h_fma32, "vfmadd231ss", "movd", uint32_t)
HOST_FMA(h_fms32, "vfnmsub231ss", "movd", uint32_t)
HOST_FMA(h_fma64, "vfmadd231sd", "movq", uint64_t)
HOST_FMA(h_fnma64, "vfnmadd231sd", "movq", uint64_t)

TEST(sf_fma)
{
	if (!host_has(1, 2, 12)) {
		test_skip("no FMA");
		return;
	}
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t csr = csr_modes[m], a = g32(), b = g32();
			uint32_t c = g32();
			uint64_t x = g64(), y = g64(), z = g64();
			unsigned hf;
			uint64_t w, g;
			struct sf_env e;

			if (i & 1) {
				/* product close to -addend */
				uint64_t p = h_mulsd(x, y, 0x1f80, &hf);

				z = p ^ (1ull << 63);
				z += rnd() % 3;
				uint32_t q = h_mulss(a, b, 0x1f80, &hf);
				c = (q ^ 0x80000000u) + (uint32_t)(rnd() % 3);
			}
#define FMA(hname, fn, p, q, r, np, na)                                    \
	do {                                                               \
		w = hname(p, q, r, csr, &hf);                              \
		sf_env_sse(&e, csr);                                       \
		g = fn(&e, p, q, r, np, na);                               \
		if (w != g || hf != e.flags)                               \
			report(#hname, csr, p, q, w, g, hf, e.flags);      \
	} while (0)
			FMA(h_fma32, f32_fma, a, b, c, false, false);
			FMA(h_fms32, f32_fma, a, b, c, true, true);
			FMA(h_fma64, f64_fma, x, y, z, false, false);
			FMA(h_fnma64, f64_fma, x, y, z, true, false);
#undef FMA
		}
	CHECK_DONE();
}

/* F16C: VCVTPS2PH with MXCSR rounding (imm 4), VCVTPH2PS. */
static uint32_t h_ps2ph(uint32_t a, uint32_t csr, unsigned *fl)
{
	uint32_t r, out, def = 0x1f80;

	__asm__ volatile("ldmxcsr %[c]\n\tmovd %[a], %%xmm0\n\t"
			 "vcvtps2ph $4, %%xmm0, %%xmm1\n\tmovd %%xmm1, %[r]\n\t"
			 "stmxcsr %[o]\n\tldmxcsr %[d]"
			 : [r] "=r"(r), [o] "=m"(out)
			 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)
			 : "xmm0", "xmm1");
	*fl = out & 0x3f;
	return r & 0xffff;
}

static uint32_t h_ph2ps(uint32_t a, uint32_t csr, unsigned *fl)
{
	uint32_t r, out, def = 0x1f80;

	__asm__ volatile("ldmxcsr %[c]\n\tmovd %[a], %%xmm0\n\t"
			 "vcvtph2ps %%xmm0, %%xmm1\n\tmovd %%xmm1, %[r]\n\t"
			 "stmxcsr %[o]\n\tldmxcsr %[d]"
			 : [r] "=r"(r), [o] "=m"(out)
			 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)
			 : "xmm0", "xmm1");
	*fl = out & 0x3f;
	return r;
}

TEST(sf_f16)
{
	if (!host_has(1, 2, 29)) {
		test_skip("no F16C");
		return;
	}
	for (unsigned m = 0; m < NMODES; m++)
		for (unsigned i = 0; i < CASES; i++) {
			uint32_t csr = csr_modes[m], a = g32();
			uint16_t h = (uint16_t)gen(10, 5);
			unsigned hf;
			uint32_t w, g;
			struct sf_env e;

			if (i & 1)
				a = (uint32_t)(((int32_t)(a & 0x807fffff)) |
					       (uint32_t)(100 + rnd() % 60) << 23);
			w = h_ps2ph(a, csr, &hf);
			sf_env_sse(&e, csr);
			g = f32_to_f16(&e, a);
			if (w != g || hf != e.flags)
				report("ps2ph", csr, a, 0, w, g, hf, e.flags);
			w = h_ph2ps(h, csr, &hf);
			sf_env_sse(&e, csr);
			g = f16_to_f32(&e, h);
			if (w != g || hf != e.flags)
				report("ph2ps", csr, h, 0, w, g, hf, e.flags);
		}
	CHECK_DONE();
}
