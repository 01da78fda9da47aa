/* SPDX-License-Identifier: MIT */
/* IEEE 754 arithmetic in integer code for the software engine: binary16
 * (conversions only), binary32, binary64 and the x87 80-bit extended
 * format, with the x86 flavour of every implementation choice (SDM
 * Vol. 1, 4.8 and 4.9: NaN propagation, default NaN, tininess after
 * rounding, integer indefinite, DAZ/FTZ). No host floating point. */
#ifndef OPENHVF_EMU_SOFTFLOAT_H
#define OPENHVF_EMU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

/* Exception flags, in MXCSR bits 5:0 and x87 FSW bits 5:0 order (SDM
 * Vol. 1, 10.2.3 and 8.1.3). */
enum {
	SF_IE = 1u << 0, /* invalid operation */
	SF_DE = 1u << 1, /* denormal operand */
	SF_ZE = 1u << 2, /* divide by zero */
	SF_OE = 1u << 3, /* overflow */
	SF_UE = 1u << 4, /* underflow */
	SF_PE = 1u << 5, /* precision (inexact) */
	SF_ALL = 0x3f,
};

/* Rounding control, as MXCSR.RC and FCW.RC encode it (SDM Vol. 1,
 * 4.8.4 Table 4-8). */
enum { SF_RN = 0, SF_RD = 1, SF_RU = 2, SF_RZ = 3 };

/* x87 precision control FCW.PC (SDM Vol. 1, 8.1.5.2). */
enum { SF_PC24 = 0, SF_PC53 = 2, SF_PC64 = 3 };

/* The 80-bit extended format: se = sign (bit 15) and biased exponent,
 * m = significand with the explicit integer bit 63. */
struct fx80 {
	uint64_t m;
	uint16_t se;
};

/* Rounding environment and accumulated flags of one operation or one
 * instruction. Callers clear flags, run operations, then merge flags
 * into MXCSR or FSW. */
struct sf_env {
	uint8_t rc;     /* SF_RN..SF_RZ */
	uint8_t masks;  /* exception masks (SF_* bits) */
	uint8_t flags;  /* accumulated SF_* flags */
	bool daz;       /* MXCSR.DAZ: denormal inputs read as zero */
	bool ftz;       /* MXCSR.FTZ: masked underflow results flush */
	bool x87;       /* x87 rules: NaN choice, no DAZ/FTZ */
	uint8_t pc;     /* x87 precision control (x87 only) */
	bool c1;        /* x87: the last result was rounded up */
};

/* Initialise an environment for SSE from MXCSR: flags 5:0, DAZ 6, masks
 * 12:7, RC 14:13, FTZ 15 (SDM Vol. 1, 10.2.3). Inline: every SSE
 * floating-point instruction starts with it. */
static inline void sf_env_sse(struct sf_env *e, uint32_t mxcsr)
{
	*e = (struct sf_env){
		.rc = (mxcsr >> 13) & 3,
		.masks = (mxcsr >> 7) & SF_ALL,
		.daz = (mxcsr >> 6) & 1,
		.ftz = (mxcsr >> 15) & 1,
	};
}

/* For x87 from FCW: masks 5:0, PC 9:8, RC 11:10 (SDM Vol. 1, 8.1.5). */
static inline void sf_env_x87(struct sf_env *e, uint16_t fcw)
{
	*e = (struct sf_env){
		.rc = (fcw >> 10) & 3,
		.masks = fcw & SF_ALL,
		.x87 = true,
		.pc = (fcw >> 8) & 3,
	};
}

/* ---- binary32 and binary64 (raw bits) ---- */
uint32_t f32_add(struct sf_env *e, uint32_t a, uint32_t b);
uint32_t f32_sub(struct sf_env *e, uint32_t a, uint32_t b);
uint32_t f32_mul(struct sf_env *e, uint32_t a, uint32_t b);
uint32_t f32_div(struct sf_env *e, uint32_t a, uint32_t b);
uint32_t f32_sqrt(struct sf_env *e, uint32_t a);
uint64_t f64_add(struct sf_env *e, uint64_t a, uint64_t b);
uint64_t f64_sub(struct sf_env *e, uint64_t a, uint64_t b);
uint64_t f64_mul(struct sf_env *e, uint64_t a, uint64_t b);
uint64_t f64_div(struct sf_env *e, uint64_t a, uint64_t b);
uint64_t f64_sqrt(struct sf_env *e, uint64_t a);

/* Fused multiply-add: (neg_prod ? -(a*b) : a*b) + (neg_add ? -c : c)
 * with one rounding (SDM Vol. 2C, VFMADD132PS etc.). */
uint32_t f32_fma(struct sf_env *e, uint32_t a, uint32_t b, uint32_t c,
		 bool neg_prod, bool neg_add);
uint64_t f64_fma(struct sf_env *e, uint64_t a, uint64_t b, uint64_t c,
		 bool neg_prod, bool neg_add);

/* SSE MIN/MAX (SDM Vol. 2B, MINPS/MAXPS): NaN or equal operands return
 * b; any NaN signals invalid. */
uint32_t f32_min(struct sf_env *e, uint32_t a, uint32_t b);
uint32_t f32_max(struct sf_env *e, uint32_t a, uint32_t b);
uint64_t f64_min(struct sf_env *e, uint64_t a, uint64_t b);
uint64_t f64_max(struct sf_env *e, uint64_t a, uint64_t b);

/* Comparison results. */
enum { SF_LT = 0, SF_EQ = 1, SF_GT = 2, SF_UN = 3 };
/* Compare; IE on SNaN, and on QNaN too when signal_qnan. */
int f32_compare(struct sf_env *e, uint32_t a, uint32_t b, bool signal_qnan);
int f64_compare(struct sf_env *e, uint64_t a, uint64_t b, bool signal_qnan);
/* CMPPS/VCMPPS predicate 0..31 (SDM Vol. 2A, CMPPS Table 3-1). */
bool f32_cmp_pred(struct sf_env *e, uint32_t a, uint32_t b, unsigned imm);
bool f64_cmp_pred(struct sf_env *e, uint64_t a, uint64_t b, unsigned imm);

/* Conversions. Float-to-integer ones return the integer indefinite
 * (minimum value) with IE on NaN or overflow; trunc rounds to zero. */
uint64_t f32_to_f64(struct sf_env *e, uint32_t a);
uint32_t f64_to_f32(struct sf_env *e, uint64_t a);
uint32_t i64_to_f32(struct sf_env *e, int64_t v);
uint64_t i64_to_f64(struct sf_env *e, int64_t v);
int32_t f32_to_i32(struct sf_env *e, uint32_t a, bool trunc);
int64_t f32_to_i64(struct sf_env *e, uint32_t a, bool trunc);
int32_t f64_to_i32(struct sf_env *e, uint64_t a, bool trunc);
int64_t f64_to_i64(struct sf_env *e, uint64_t a, bool trunc);
/* ROUNDSS/ROUNDSD (SDM Vol. 2B): rc = rounding mode, no_pe suppresses
 * the precision exception (imm8 bit 3). */
uint32_t f32_round_int(struct sf_env *e, uint32_t a, unsigned rc, bool no_pe);
uint64_t f64_round_int(struct sf_env *e, uint64_t a, unsigned rc, bool no_pe);
/* Half precision (F16C, SDM Vol. 2B VCVTPH2PS/VCVTPS2PH). */
uint32_t f16_to_f32(struct sf_env *e, uint16_t a);
uint16_t f32_to_f16(struct sf_env *e, uint32_t a);

/* ---- 80-bit extended (x87) ---- */
struct fx80 fx80_add(struct sf_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx80_sub(struct sf_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx80_mul(struct sf_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx80_div(struct sf_env *e, struct fx80 a, struct fx80 b);
struct fx80 fx80_sqrt(struct sf_env *e, struct fx80 a);
int fx80_compare(struct sf_env *e, struct fx80 a, struct fx80 b,
		 bool signal_qnan);
struct fx80 fx80_round_int(struct sf_env *e, struct fx80 a);
struct fx80 f32_to_fx80(struct sf_env *e, uint32_t a);
struct fx80 f64_to_fx80(struct sf_env *e, uint64_t a);
uint32_t fx80_to_f32(struct sf_env *e, struct fx80 a);
uint64_t fx80_to_f64(struct sf_env *e, struct fx80 a);
struct fx80 i64_to_fx80(int64_t v);
/* To a signed integer of bits 16, 32 or 64 (FIST/FISTTP). */
int64_t fx80_to_int(struct sf_env *e, struct fx80 a, unsigned bits,
		    bool trunc);

/* Classification helpers (raw encodings). */
bool f32_is_nan(uint32_t a);
bool f64_is_nan(uint64_t a);
bool fx80_is_nan(struct fx80 a);
bool fx80_is_snan(struct fx80 a);
/* Pseudo-NaN/infinity, unnormal: invalid operands (SDM Vol. 1, 8.2.2). */
bool fx80_is_unsupported(struct fx80 a);

#define F32_DEFAULT_NAN 0xffc00000u
#define F64_DEFAULT_NAN 0xfff8000000000000ull
#define FX80_DEFAULT_NAN ((struct fx80){ 0xc000000000000000ull, 0xffff })

#endif
