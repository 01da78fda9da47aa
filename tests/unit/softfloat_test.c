/* SPDX-License-Identifier: MIT */
/* Soft-float against the host CPU: every operation runs on random and
 * boundary operands (zeros, infinities, QNaN/SNaN, denormals, extreme
 * exponents, near-cancellation) under every MXCSR rounding mode with and
 * without DAZ/FTZ; result bits and exception flags must match. Division
 * and square root also run on constructed hard cases (exact results,
 * results next to a rounding midpoint, denormal and overflowing
 * results), in binary32/64 and in the x87 format under every rounding
 * and precision control. One driver runs a table of operations. Needs
 * an x86-64 host with SSE4.1 (AVX/FMA/F16C rows skip when absent). */
#include "engine/emu/softfloat_int.h"
#include "../lib/test.h"
#include "softfloat_gen.h"

#include <cpuid.h>
#include <stdio.h>

#ifndef CASES
#define CASES 3000
#endif

/* ---- host oracle: one signature for every operation ---- */

/* Results of up to 80 bits: lo, and hi for the x87 sign/exponent. */
struct val {
	uint64_t lo, hi;
};

/* v: operands; imm: the row's parameter; csr: MXCSR or FCW. */
typedef struct val (*host_fn)(const uint64_t *v, unsigned imm, uint32_t csr,
			      unsigned *fl);
typedef struct val (*emu_fn)(struct sf_env *e, const uint64_t *v,
			     unsigned imm);

#define HOST_BIN(name, insn, mov, T)                                       \
	static struct val name(const uint64_t *v, unsigned imm,            \
			       uint32_t csr, unsigned *fl)                 \
	{                                                                  \
		T r, a = (T)v[0], b = (T)v[1];                             \
		uint32_t out, def = 0x1f80;                                \
		(void)imm;                                                 \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 mov " %[b], %%xmm1\n\t" insn              \
				 " %%xmm1, %%xmm0\n\t" mov " %%xmm0, %[r]\n\t" \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "m"(csr),   \
				   [d] "m"(def)                            \
				 : "xmm0", "xmm1");                        \
		*fl = out & 0x3f;                                          \
		return (struct val){ r, 0 };                               \
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

/* Conversions to integers (insn %xmm0, %r), sign-extended to 64 bits;
 * w names the register width ("k" 32, "q" 64) explicitly. */
#define HOST_TOI(name, insn, mov, T, R, w)                                 \
	static struct val name(const uint64_t *v, unsigned imm,            \
			       uint32_t csr, unsigned *fl)                 \
	{                                                                  \
		R r;                                                       \
		T a = (T)v[0];                                             \
		uint32_t out, def = 0x1f80;                                \
		(void)imm;                                                 \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 insn " %%xmm0, %" w "[r]\n\t"             \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)  \
				 : "xmm0");                                \
		*fl = out & 0x3f;                                          \
		return (struct val){ (uint64_t)(int64_t)r, 0 };            \
	}

HOST_TOI(h_cvtss2si, "cvtss2si", "movd", uint32_t, int32_t, "k")
HOST_TOI(h_cvttss2si, "cvttss2si", "movd", uint32_t, int32_t, "k")
HOST_TOI(h_cvtss2si64, "cvtss2si", "movd", uint32_t, int64_t, "q")
HOST_TOI(h_cvttss2si64, "cvttss2si", "movd", uint32_t, int64_t, "q")
HOST_TOI(h_cvtsd2si, "cvtsd2si", "movq", uint64_t, int32_t, "k")
HOST_TOI(h_cvttsd2si, "cvttsd2si", "movq", uint64_t, int32_t, "k")
HOST_TOI(h_cvtsd2si64, "cvtsd2si", "movq", uint64_t, int64_t, "q")
HOST_TOI(h_cvttsd2si64, "cvttsd2si", "movq", uint64_t, int64_t, "q")

#define HOST_FROMI(name, insn, mov, T)                                     \
	static struct val name(const uint64_t *v, unsigned imm,            \
			       uint32_t csr, unsigned *fl)                 \
	{                                                                  \
		T r;                                                       \
		int64_t a = (int64_t)v[0];                                 \
		uint32_t out, def = 0x1f80;                                \
		(void)imm;                                                 \
		__asm__ volatile("ldmxcsr %[c]\n\t" insn " %[a], %%xmm0\n\t" \
				 mov " %%xmm0, %[r]\n\t"                   \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)  \
				 : "xmm0");                                \
		*fl = out & 0x3f;                                          \
		return (struct val){ r, 0 };                               \
	}

HOST_FROMI(h_cvtsi2ss, "cvtsi2ssq", "movd", uint32_t)
HOST_FROMI(h_cvtsi2sd, "cvtsi2sdq", "movq", uint64_t)

/* COMISS/UCOMISS: ZF PF CF as the result. */
#define HOST_COMI(name, insn, mov, T)                                      \
	static struct val name(const uint64_t *v, unsigned imm,            \
			       uint32_t csr, unsigned *fl)                 \
	{                                                                  \
		uint64_t f;                                                \
		T a = (T)v[0], b = (T)v[1];                                \
		uint32_t out, def = 0x1f80;                                \
		(void)imm;                                                 \
		__asm__ volatile("ldmxcsr %[c]\n\t" mov " %[a], %%xmm0\n\t" \
				 mov " %[b], %%xmm1\n\t" insn              \
				 " %%xmm1, %%xmm0\n\tpushfq\n\tpopq %[f]\n\t" \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [f] "=r"(f), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "m"(csr),   \
				   [d] "m"(def)                            \
				 : "xmm0", "xmm1", "cc");                  \
		*fl = out & 0x3f;                                          \
		return (struct val){ f & 0x8d5, 0 };                       \
	}

HOST_COMI(h_comiss, "comiss", "movd", uint32_t)
HOST_COMI(h_ucomiss, "ucomiss", "movd", uint32_t)
HOST_COMI(h_comisd, "comisd", "movq", uint64_t)
HOST_COMI(h_ucomisd, "ucomisd", "movq", uint64_t)

/* VCMPSS and VCMPSD with predicate n in one go: SS result in bits 31:0,
 * SD result in bits 63:32 (AVX hosts). */
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
static uint64_t (*const vcmp_host[32])(uint64_t, uint64_t, uint32_t,
				       unsigned *) = {
	P8(HREF, 0, 1, 2, 3, 4, 5, 6, 7) P8(HREF, 8, 9, 10, 11, 12, 13, 14, 15)
	P8(HREF, 16, 17, 18, 19, 20, 21, 22, 23)
	P8(HREF, 24, 25, 26, 27, 28, 29, 30, 31)
};

static struct val h_vcmp(const uint64_t *v, unsigned imm, uint32_t csr,
			 unsigned *fl)
{
	return (struct val){ vcmp_host[imm](v[0], v[1], csr, fl), 0 };
}

/* VFMADD231SS/SD: xmm0 = xmm1 * xmm2 + xmm0. */
#define HOST_FMA(name, insn, mov, T)                                       \
	static struct val name(const uint64_t *v, unsigned imm,            \
			       uint32_t cs, unsigned *fl)                  \
	{                                                                  \
		T r, a = (T)v[0], b = (T)v[1], c = (T)v[2];                \
		uint32_t out, def = 0x1f80;                                \
		(void)imm;                                                 \
		__asm__ volatile("ldmxcsr %[cs]\n\t" mov " %[a], %%xmm1\n\t" \
				 mov " %[b], %%xmm2\n\t" mov " %[c], %%xmm0\n\t" \
				 insn " %%xmm2, %%xmm1, %%xmm0\n\t"        \
				 mov " %%xmm0, %[r]\n\t"                   \
				 "stmxcsr %[o]\n\tldmxcsr %[d]"              \
				 : [r] "=r"(r), [o] "=m"(out)              \
				 : [a] "r"(a), [b] "r"(b), [c] "r"(c),     \
				   [cs] "m"(cs), [d] "m"(def)              \
				 : "xmm0", "xmm1", "xmm2");                \
		*fl = out & 0x3f;                                          \
		return (struct val){ r, 0 };                               \
	}

HOST_FMA(h_fma32, "vfmadd231ss", "movd", uint32_t)
HOST_FMA(h_fms32, "vfnmsub231ss", "movd", uint32_t)
HOST_FMA(h_fma64, "vfmadd231sd", "movq", uint64_t)
HOST_FMA(h_fnma64, "vfnmadd231sd", "movq", uint64_t)

/* F16C: VCVTPS2PH with MXCSR rounding (imm 4), VCVTPH2PS. */
static struct val h_ps2ph(const uint64_t *v, unsigned imm, uint32_t csr,
			  unsigned *fl)
{
	uint32_t r, out, def = 0x1f80, a = (uint32_t)v[0];

	(void)imm;
	__asm__ volatile("ldmxcsr %[c]\n\tmovd %[a], %%xmm0\n\t"
			 "vcvtps2ph $4, %%xmm0, %%xmm1\n\tmovd %%xmm1, %[r]\n\t"
			 "stmxcsr %[o]\n\tldmxcsr %[d]"
			 : [r] "=r"(r), [o] "=m"(out)
			 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)
			 : "xmm0", "xmm1");
	*fl = out & 0x3f;
	return (struct val){ r & 0xffff, 0 };
}

static struct val h_ph2ps(const uint64_t *v, unsigned imm, uint32_t csr,
			  unsigned *fl)
{
	uint32_t r, out, def = 0x1f80, a = (uint32_t)v[0];

	(void)imm;
	__asm__ volatile("ldmxcsr %[c]\n\tmovd %[a], %%xmm0\n\t"
			 "vcvtph2ps %%xmm0, %%xmm1\n\tmovd %%xmm1, %[r]\n\t"
			 "stmxcsr %[o]\n\tldmxcsr %[d]"
			 : [r] "=r"(r), [o] "=m"(out)
			 : [a] "r"(a), [c] "m"(csr), [d] "m"(def)
			 : "xmm0", "xmm1");
	*fl = out & 0x3f;
	return (struct val){ r, 0 };
}

/* x87 FDIV and FSQRT with all exceptions masked under FCW csr; flags are
 * FSW bits 5:0 plus C1 (rounded up) as bit 6, read before the store. */
static struct val x87_result(struct fx80 r, uint16_t sw, unsigned *fl)
{
	*fl = (sw & 0x3fu) | ((sw >> 9) & 1u) << 6;
	return (struct val){ r.m, r.se };
}

static struct val h_fdiv(const uint64_t *v, unsigned imm, uint32_t csr,
			 unsigned *fl)
{
	struct fx80 a = { v[0], (uint16_t)v[1] }, b = { v[2], (uint16_t)v[3] };
	struct fx80 r;
	uint16_t cw = (uint16_t)csr, sw;

	(void)imm;
	__asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[b]\n\tfldt %[a]\n\t"
			 "fdiv %%st(1), %%st\n\tfnstsw %[sw]\n\t"
			 "fstpt %[r]\n\tfninit"
			 : [r] "=m"(r), [sw] "=m"(sw)
			 : [a] "m"(a), [b] "m"(b), [cw] "m"(cw)
			 : "st", "st(1)");
	return x87_result(r, sw, fl);
}

static struct val h_fsqrt(const uint64_t *v, unsigned imm, uint32_t csr,
			  unsigned *fl)
{
	struct fx80 a = { v[0], (uint16_t)v[1] }, r;
	uint16_t cw = (uint16_t)csr, sw;

	(void)imm;
	__asm__ volatile("fninit\n\tfldcw %[cw]\n\tfldt %[a]\n\t"
			 "fsqrt\n\tfnstsw %[sw]\n\tfstpt %[r]\n\tfninit"
			 : [r] "=m"(r), [sw] "=m"(sw)
			 : [a] "m"(a), [cw] "m"(cw)
			 : "st");
	return x87_result(r, sw, fl);
}

/* ---- the emulation side, same signature ---- */

#define EMU(name, expr)                                                    \
	static struct val name(struct sf_env *e, const uint64_t *v,        \
			       unsigned imm)                               \
	{                                                                  \
		(void)imm;                                                 \
		return (struct val){ (uint64_t)(expr), 0 };                \
	}
#define A32 ((uint32_t)v[0])
#define B32 ((uint32_t)v[1])
#define C32 ((uint32_t)v[2])

EMU(e_addss, f32_add(e, A32, B32))
EMU(e_subss, f32_sub(e, A32, B32))
EMU(e_mulss, f32_mul(e, A32, B32))
EMU(e_divss, f32_div(e, A32, B32))
EMU(e_minss, f32_min(e, A32, B32))
EMU(e_maxss, f32_max(e, A32, B32))
EMU(e_addsd, f64_add(e, v[0], v[1]))
EMU(e_subsd, f64_sub(e, v[0], v[1]))
EMU(e_mulsd, f64_mul(e, v[0], v[1]))
EMU(e_divsd, f64_div(e, v[0], v[1]))
EMU(e_minsd, f64_min(e, v[0], v[1]))
EMU(e_maxsd, f64_max(e, v[0], v[1]))
/* Unary operations act on the second operand, as the instructions do. */
EMU(e_sqrtss, f32_sqrt(e, B32))
EMU(e_sqrtsd, f64_sqrt(e, v[1]))
EMU(e_cvtss2sd, f32_to_f64(e, B32))
/* CVTSD2SS keeps bits 63:32 of the destination (the host helper moves
 * the whole low quadword). */
EMU(e_cvtsd2ss, (v[0] & ~0xffffffffull) | f64_to_f32(e, v[1]))
EMU(e_cvtss2si, (int64_t)f32_to_i32(e, A32, false))
EMU(e_cvttss2si, (int64_t)f32_to_i32(e, A32, true))
EMU(e_cvtss2si64, f32_to_i64(e, A32, false))
EMU(e_cvttss2si64, f32_to_i64(e, A32, true))
EMU(e_cvtsd2si, (int64_t)f64_to_i32(e, v[0], false))
EMU(e_cvttsd2si, (int64_t)f64_to_i32(e, v[0], true))
EMU(e_cvtsd2si64, f64_to_i64(e, v[0], false))
EMU(e_cvttsd2si64, f64_to_i64(e, v[0], true))
EMU(e_cvtsi2ss, i64_to_f32(e, (int64_t)v[0]))
EMU(e_cvtsi2sd, i64_to_f64(e, (int64_t)v[0]))
EMU(e_fma32, f32_fma(e, A32, B32, C32, false, false))
EMU(e_fms32, f32_fma(e, A32, B32, C32, true, true))
EMU(e_fma64, f64_fma(e, v[0], v[1], v[2], false, false))
EMU(e_fnma64, f64_fma(e, v[0], v[1], v[2], true, false))
EMU(e_ps2ph, f32_to_f16(e, A32))
EMU(e_ph2ps, f16_to_f32(e, (uint16_t)v[0]))

/* ROUNDSS/ROUNDSD imm8: [1:0] rounding, [2] MXCSR.RC, [3] no #P. */
static struct val e_roundss(struct sf_env *e, const uint64_t *v, unsigned imm)
{
	return (struct val){ f32_round_int(e, B32, imm & 4 ? e->rc : imm & 3,
					   imm & 8), 0 };
}

static struct val e_roundsd(struct sf_env *e, const uint64_t *v, unsigned imm)
{
	return (struct val){ f64_round_int(e, v[1], imm & 4 ? e->rc : imm & 3,
					   imm & 8), 0 };
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

EMU(e_comiss, comi_flags(f32_compare(e, A32, B32, true)))
EMU(e_ucomiss, comi_flags(f32_compare(e, A32, B32, false)))
EMU(e_comisd, comi_flags(f64_compare(e, v[0], v[1], true)))
EMU(e_ucomisd, comi_flags(f64_compare(e, v[0], v[1], false)))

static struct val e_vcmp(struct sf_env *e, const uint64_t *v, unsigned imm)
{
	uint64_t r = f32_cmp_pred(e, A32, B32, imm) ? 0xffffffffu : 0;

	r |= (f64_cmp_pred(e, v[0], v[1], imm) ? ~0ull : 0) << 32;
	return (struct val){ r, 0 };
}

static struct val e_fdiv(struct sf_env *e, const uint64_t *v, unsigned imm)
{
	struct fx80 r = fx80_div(e, (struct fx80){ v[0], (uint16_t)v[1] },
				 (struct fx80){ v[2], (uint16_t)v[3] });

	(void)imm;
	return (struct val){ r.m, r.se };
}

static struct val e_fsqrt(struct sf_env *e, const uint64_t *v, unsigned imm)
{
	struct fx80 r = fx80_sqrt(e, (struct fx80){ v[0], (uint16_t)v[1] });

	(void)imm;
	return (struct val){ r.m, r.se };
}

/* ---- operand generators ---- */

enum {
	G_B32, G_B64,     /* a random, b often near a */
	G_C32, G_C64,     /* a = 0, b random (conversions) */
	G_I32, G_I64, G_INT, /* one operand: float or integer */
	G_VCMP,           /* both widths in one pair */
	G_FMA32, G_FMA64, /* half the time the product near -c */
	G_PS2PH, G_PH2PS,
	G_DIV32, G_DIV64, G_SQRT32, G_SQRT64, /* hard cases */
	G_DIV80, G_SQRT80,
};

static void make(unsigned g, unsigned i, uint32_t csr, uint64_t *v)
{
	unsigned fl;

	switch (g) {
	case G_B32: v[0] = g32(); v[1] = (uint32_t)gen_near(v[0], 23, 8);
		break;
	case G_B64: v[0] = g64(); v[1] = gen_near(v[0], 52, 11); break;
	case G_C32: v[1] = g32(); break;
	case G_C64: v[1] = g64(); break;
	case G_I32: v[0] = g32(); break;
	case G_I64: v[0] = g64(); break;
	case G_INT: v[0] = (uint64_t)gen_int(); break;
	case G_VCMP:
		v[0] = g64();
		v[1] = gen_near(v[0], 52, 11);
		if (i & 1) {
			uint32_t x = g32(), y = (uint32_t)gen_near(x, 23, 8);

			v[0] = (v[0] & ~0xffffffffull) | x;
			v[1] = (v[1] & ~0xffffffffull) | y;
		}
		break;
	case G_FMA32:
		v[0] = g32(); v[1] = g32(); v[2] = g32();
		if (i & 1)
			v[2] = (uint32_t)((h_mulss(v, 0, 0x1f80, &fl).lo ^
					   0x80000000u) + rnd() % 3);
		break;
	case G_FMA64:
		v[0] = g64(); v[1] = g64(); v[2] = g64();
		if (i & 1)
			v[2] = (h_mulsd(v, 0, 0x1f80, &fl).lo ^ 1ull << 63) +
			       rnd() % 3;
		break;
	case G_PS2PH:
		v[0] = g32();
		if (i & 1)
			v[0] = (v[0] & 0x807fffffu) |
			       (uint32_t)(100 + rnd() % 60) << 23;
		break;
	case G_PH2PS: v[0] = gen(10, 5); break;
	case G_DIV32: gen_div(23, 8, &v[0], &v[1]); break;
	case G_DIV64: gen_div(52, 11, &v[0], &v[1]); break;
	case G_SQRT32: v[1] = gen_sqrt(23, 8); break;
	case G_SQRT64: v[1] = gen_sqrt(52, 11); break;
	case G_DIV80: gen_div80(v, csr); break;
	default: gen_sqrt80(v, csr); break;
	}
}

/* ---- the table-driven comparison ---- */

static const uint32_t csr_modes[] = {
	0x1f80, 0x3f80, 0x5f80, 0x7f80,         /* RN RD RU RZ */
	0x1fc0, 0x9f80, 0x9fc0, 0xbfc0, 0xdfc0, 0xffc0,
};
#define NMODES (sizeof(csr_modes) / sizeof(csr_modes[0]))

/* FCW: all exceptions masked, RC x PC (SDM Vol. 1, 8.1.5). */
#define FCW(rc, pc) (0x7fu | (pc) << 8 | (rc) << 10)
static const uint32_t fcw_modes[] = {
	FCW(0, 0), FCW(1, 0), FCW(2, 0), FCW(3, 0),
	FCW(0, 2), FCW(1, 2), FCW(2, 2), FCW(3, 2),
	FCW(0, 3), FCW(1, 3), FCW(2, 3), FCW(3, 3),
};
#define NFCW (sizeof(fcw_modes) / sizeof(fcw_modes[0]))

enum { N_NONE, N_SSE41, N_AVX, N_FMA, N_F16C };

/* One operation: cases per mode = CASES * mul / div (0 reads as 1);
 * nimm > 0 runs imm = 0 .. nimm - 1, else the row's imm. */
struct op {
	const char *name;
	host_fn host;
	emu_fn emu;
	uint8_t gen, need, nimm, imm;
	bool x87;
	uint16_t mul, div;
};

static bool host_has(unsigned need)
{
	static const uint8_t reg_bit[] = { 0, 19, 28, 12, 29 };
	unsigned r[4];

	if (need == N_NONE)
		return true;
	if (!__get_cpuid_count(1, 0, &r[0], &r[1], &r[2], &r[3]))
		return false;
	return (r[2] >> reg_bit[need]) & 1;
}

static unsigned mismatches;

static void report(const struct op *o, uint32_t mode, unsigned imm,
		   const uint64_t *v, struct val want, struct val got,
		   unsigned wf, unsigned gf)
{
	if (++mismatches > 20)
		return;
	printf("# %s mode=%04x imm=%u a=%016llx:%llx b=%016llx:%llx "
	       "host=%llx:%016llx/%02x emu=%llx:%016llx/%02x\n", o->name,
	       mode, imm, (unsigned long long)v[0], (unsigned long long)v[1],
	       (unsigned long long)v[2], (unsigned long long)v[3],
	       (unsigned long long)want.hi, (unsigned long long)want.lo, wf,
	       (unsigned long long)got.hi, (unsigned long long)got.lo, gf);
}

static void run_case(const struct op *o, uint32_t mode, unsigned imm,
		     unsigned i)
{
	uint64_t v[4] = { 0, 0, 0, 0 };
	struct val want, got;
	struct sf_env e;
	unsigned hf, gf;

	make(o->gen, i, mode, v);
	want = o->host(v, imm, mode, &hf);
	if (o->x87)
		sf_env_x87(&e, (uint16_t)mode);
	else
		sf_env_sse(&e, mode);
	got = o->emu(&e, v, imm);
	gf = e.flags | (o->x87 && e.c1 ? 0x40u : 0);
	if (want.lo != got.lo || want.hi != got.hi || hf != gf)
		report(o, mode, imm, v, want, got, hf, gf);
}

/* Runs the rows the host can check; returns how many ran. */
static unsigned run_rows(const struct op *t, size_t n)
{
	unsigned ran = 0;

	for (const struct op *o = t; o < t + n; o++) {
		const uint32_t *modes = o->x87 ? fcw_modes : csr_modes;
		unsigned nm = o->x87 ? NFCW : NMODES;
		unsigned cases = CASES * (o->mul ? o->mul : 1u) /
				 (o->div ? o->div : 1u);
		unsigned nimm = o->nimm ? o->nimm : 1u;

		if (!host_has(o->need))
			continue;
		ran++;
		for (unsigned k = 0; k < nimm; k++)
			for (unsigned m = 0; m < nm; m++)
				for (unsigned i = 0; i < cases; i++)
					run_case(o, modes[m],
						 o->nimm ? k : o->imm, i);
	}
	return ran;
}

#define RUN(table) run_rows(table, sizeof(table) / sizeof(table[0]))
#define CHECK_DONE() do { EXPECT_EQ(0, mismatches); mismatches = 0; } while (0)

/* ---- the tables ---- */

#define OP(n, h, e, g, ...) \
	{ .name = n, .host = h, .emu = e, .gen = g, __VA_ARGS__ }

static const struct op arith32[] = {
	OP("addss", h_addss, e_addss, G_B32),
	OP("subss", h_subss, e_subss, G_B32),
	OP("mulss", h_mulss, e_mulss, G_B32),
	OP("divss", h_divss, e_divss, G_B32, .mul = 4),
	OP("minss", h_minss, e_minss, G_B32),
	OP("maxss", h_maxss, e_maxss, G_B32),
};

static const struct op arith64[] = {
	OP("addsd", h_addsd, e_addsd, G_B64),
	OP("subsd", h_subsd, e_subsd, G_B64),
	OP("mulsd", h_mulsd, e_mulsd, G_B64),
	OP("divsd", h_divsd, e_divsd, G_B64, .mul = 4),
	OP("minsd", h_minsd, e_minsd, G_B64),
	OP("maxsd", h_maxsd, e_maxsd, G_B64),
};

static const struct op sqrt_convert[] = {
	OP("sqrtss", h_sqrtss, e_sqrtss, G_B32, .mul = 4),
	OP("sqrtsd", h_sqrtsd, e_sqrtsd, G_B64, .mul = 4),
	OP("cvtss2sd", h_cvtss2sd, e_cvtss2sd, G_C32),
	OP("cvtsd2ss", h_cvtsd2ss, e_cvtsd2ss, G_C64),
};

/* Division and square root on constructed hard cases. */
static const struct op div_sqrt_hard[] = {
	OP("divss/hard", h_divss, e_divss, G_DIV32, .mul = 8),
	OP("divsd/hard", h_divsd, e_divsd, G_DIV64, .mul = 8),
	OP("sqrtss/hard", h_sqrtss, e_sqrtss, G_SQRT32, .mul = 8),
	OP("sqrtsd/hard", h_sqrtsd, e_sqrtsd, G_SQRT64, .mul = 8),
};

static const struct op x87_div_sqrt[] = {
	OP("fdiv", h_fdiv, e_fdiv, G_DIV80, .x87 = true, .mul = 8),
	OP("fsqrt", h_fsqrt, e_fsqrt, G_SQRT80, .x87 = true, .mul = 8),
};

static const struct op round_int[] = {
	OP("roundss0", h_roundss0, e_roundss, G_B32, .need = N_SSE41, .imm = 0),
	OP("roundss1", h_roundss1, e_roundss, G_B32, .need = N_SSE41, .imm = 1),
	OP("roundss2", h_roundss2, e_roundss, G_B32, .need = N_SSE41, .imm = 2),
	OP("roundss3", h_roundss3, e_roundss, G_B32, .need = N_SSE41, .imm = 3),
	OP("roundss4", h_roundss4, e_roundss, G_B32, .need = N_SSE41, .imm = 4),
	OP("roundss9", h_roundss9, e_roundss, G_B32, .need = N_SSE41, .imm = 9),
	OP("roundsd0", h_roundsd0, e_roundsd, G_B64, .need = N_SSE41, .imm = 0),
	OP("roundsd2", h_roundsd2, e_roundsd, G_B64, .need = N_SSE41, .imm = 2),
	OP("roundsd4", h_roundsd4, e_roundsd, G_B64, .need = N_SSE41, .imm = 4),
	OP("roundsd11", h_roundsd11, e_roundsd, G_B64, .need = N_SSE41,
	   .imm = 11),
};

static const struct op int_conversions[] = {
	OP("cvtss2si", h_cvtss2si, e_cvtss2si, G_I32),
	OP("cvttss2si", h_cvttss2si, e_cvttss2si, G_I32),
	OP("cvtss2si64", h_cvtss2si64, e_cvtss2si64, G_I32),
	OP("cvttss2si64", h_cvttss2si64, e_cvttss2si64, G_I32),
	OP("cvtsd2si", h_cvtsd2si, e_cvtsd2si, G_I64),
	OP("cvttsd2si", h_cvttsd2si, e_cvttsd2si, G_I64),
	OP("cvtsd2si64", h_cvtsd2si64, e_cvtsd2si64, G_I64),
	OP("cvttsd2si64", h_cvttsd2si64, e_cvttsd2si64, G_I64),
	OP("cvtsi2ss", h_cvtsi2ss, e_cvtsi2ss, G_INT),
	OP("cvtsi2sd", h_cvtsi2sd, e_cvtsi2sd, G_INT),
};

static const struct op compares[] = {
	OP("comiss", h_comiss, e_comiss, G_B32),
	OP("ucomiss", h_ucomiss, e_ucomiss, G_B32),
	OP("comisd", h_comisd, e_comisd, G_B64),
	OP("ucomisd", h_ucomisd, e_ucomisd, G_B64),
};

/* All 32 predicates, CASES / 4 cases each over the modes. */
static const struct op cmp_predicates[] = {
	OP("vcmp", h_vcmp, e_vcmp, G_VCMP, .need = N_AVX, .nimm = 32,
	   .div = 4 * NMODES),
};

static const struct op fma_ops[] = {
	OP("vfmadd231ss", h_fma32, e_fma32, G_FMA32, .need = N_FMA),
	OP("vfnmsub231ss", h_fms32, e_fms32, G_FMA32, .need = N_FMA),
	OP("vfmadd231sd", h_fma64, e_fma64, G_FMA64, .need = N_FMA),
	OP("vfnmadd231sd", h_fnma64, e_fnma64, G_FMA64, .need = N_FMA),
};

static const struct op f16_ops[] = {
	OP("vcvtps2ph", h_ps2ph, e_ps2ph, G_PS2PH, .need = N_F16C),
	OP("vcvtph2ps", h_ph2ps, e_ph2ps, G_PH2PS, .need = N_F16C),
};

/* ---- tests ---- */

TEST(sf_f32_arith)
{
	RUN(arith32);
	CHECK_DONE();
}

TEST(sf_f64_arith)
{
	RUN(arith64);
	CHECK_DONE();
}

TEST(sf_sqrt_and_convert)
{
	RUN(sqrt_convert);
	CHECK_DONE();
}

TEST(sf_div_sqrt_hard)
{
	RUN(div_sqrt_hard);
	CHECK_DONE();
}

TEST(sf_x87_div_sqrt)
{
	RUN(x87_div_sqrt);
	CHECK_DONE();
}

TEST(sf_round_int)
{
	if (!RUN(round_int)) {
		test_skip("no SSE4.1");
		return;
	}
	CHECK_DONE();
}

TEST(sf_int_conversions)
{
	RUN(int_conversions);
	CHECK_DONE();
}

TEST(sf_compares)
{
	RUN(compares);
	CHECK_DONE();
}

TEST(sf_cmp_predicates)
{
	if (!RUN(cmp_predicates)) {
		test_skip("no AVX");
		return;
	}
	CHECK_DONE();
}

TEST(sf_fma)
{
	if (!RUN(fma_ops)) {
		test_skip("no FMA");
		return;
	}
	CHECK_DONE();
}

TEST(sf_f16_convert)
{
	if (!RUN(f16_ops)) {
		test_skip("no F16C");
		return;
	}
	CHECK_DONE();
}

/* The portable 128/64 division and 64x64 product the engine falls back
 * to without unsigned __int128, against the compiler's 128-bit
 * arithmetic: random operands, and the extremes of each digit step. */
TEST(sf_u128_helpers)
{
	for (unsigned i = 0; i < 20 * CASES; i++) {
		uint64_t d = rnd() | 1ull << 63, lo = rnd(), hi, q, r;
		u128 p;

		if (i % 4 == 1)
			d = ~(rnd() >> (rnd() % 64)) | 1ull << 63;
		hi = i % 4 == 2 ? d - 1 : rnd() % d;
		if (i % 8 == 3)
			lo = i & 16 ? ~0ull : 0;
		q = u128_div64_portable(hi, lo, d, &r);
		EXPECT_EQ((uint64_t)((((u128n)hi << 64) | lo) / d), q);
		EXPECT_EQ((uint64_t)((((u128n)hi << 64) | lo) % d), r);
		p = u128_mul64_portable(hi, lo);
		EXPECT_EQ((uint64_t)(((u128n)hi * lo) >> 64), p.hi);
		EXPECT_EQ((uint64_t)((u128n)hi * lo), p.lo);
	}
}
