/* SPDX-License-Identifier: MIT */
/* Internals shared by the MMX/SSE/AVX handlers: the operand context one
 * SIMD instruction runs with, the opcode-table entry format, and the
 * helpers for registers, memory operands and MXCSR exceptions. */
#ifndef OPENHVF_EMU_SSE_H
#define OPENHVF_EMU_SSE_H

#include "engine/emu/exec.h"
#include "engine/emu/fpu.h"

/* Mandatory prefix (legacy 66/F3/F2 or VEX.pp). */
enum { PFX_NP, PFX_66, PFX_F3, PFX_F2 };

/* One SIMD instruction in flight. a is the first source (the
 * destination for legacy forms, VEX.vvvv for VEX ones), b the second
 * (ModRM.rm register or memory), r the result written to ModRM.reg.
 * The runner does not zero the struct (it runs per instruction), so:
 *  - a holds the operation width (len bytes; MMX: a.q[0]);
 *  - b holds len bytes for a register operand (MMX: b.q[0]) and the
 *    entry's memory size (MS_*) for a memory one; MS_NONE leaves b
 *    unset; a handler reads no byte of a or b beyond these;
 *  - env is set only for F_FP forms;
 *  - unless F_NOWB, the handler writes r.b[0 .. len) (MMX: r.q[0]),
 *    all that the runner writes back. */
struct simd {
	struct emu_cpu *cpu;
	const struct insn *in;
	unsigned len;       /* operation width: 8 (MMX), 16 or 32 bytes */
	uint8_t pfx;
	bool vex;
	bool mmx;
	uint8_t imm;
	uint32_t flags;     /* the table entry's F_* */
	union emu_vec a, b, r;
	struct sf_env env;  /* F_FP forms: MXCSR environment and flags */
};

typedef void (*simd_fn)(struct simd *s);

struct simd_op {
	simd_fn fn;
	uint32_t flags;
};

/* Entry flags. The memory operand size code sits in bits 2:0. */
enum {
	MS_FULL = 0, MS_HALF = 1, MS_QTR = 2, MS_8TH = 3, MS_4 = 4, MS_8 = 5,
	MS_X128 = 6, MS_NONE = 7, /* MS_X128: one xmm (m64 for MMX) */
	F_MMX = 1u << 3,    /* no-prefix form works on MMX registers */
	F_U = 1u << 4,      /* legacy memory operand may be misaligned */
	F_A = 1u << 5,      /* aligned even under VEX */
	F_FP = 1u << 6,     /* MXCSR rounding and exceptions */
	F_NOWB = 1u << 7,   /* the handler writes its own result */
	F_NDS = 1u << 8,    /* VEX: vvvv is the first source */
	F_LIG = 1u << 9,    /* scalar: VEX.L ignored, 128-bit */
	F_L0 = 1u << 10,    /* VEX.L must be 0 */
	F_NOVEX = 1u << 11, /* no VEX form */
	F_VEXONLY = 1u << 12,
	F_REGONLY = 1u << 13, /* #UD with a memory operand */
	F_MEMONLY = 1u << 14, /* #UD with a register operand */
	F_NOCHK = 1u << 15, /* the handler does its own checks */
	F_L1 = 1u << 16,    /* VEX.L must be 1 (256-bit only) */
	F_W0 = 1u << 17,    /* VEX.W must be 0 */
	F_W1 = 1u << 18,    /* VEX.W must be 1 */
};

#define OPIDX(map, op, pfx) ((((map) - 1) * 256 + (op)) * 4 + (pfx))
#define SIMD_TABLE_SIZE (3 * 256 * 4)

/* The shared table (sse_table.c) and the runner (sse.c). */
extern const struct simd_op simd_table[SIMD_TABLE_SIZE];
void simd_run(struct emu_cpu *cpu, const struct insn *in, bool vex);

/* ---- register and memory helpers (sse.c) ---- */
static inline union emu_vec *simd_reg(struct emu_cpu *cpu, unsigned i)
{
	return &cpu->fpu.ymm[i & 15];
}

uint64_t simd_ea(const struct simd *s);
/* Read/write n bytes (1..32) at the memory operand (+off). */
void simd_read(struct simd *s, uint64_t off, void *dst, unsigned n);
void simd_write(struct simd *s, uint64_t off, const void *src, unsigned n);
/* #GP(0) unless the memory operand is aligned to n bytes. */
void simd_align(struct simd *s, unsigned n);
/* MMX register i (x87 R i mantissa); writing marks the x87 state as
 * MMX does (TOP 0, all tags valid, exponent all ones: SDM Vol. 1,
 * 9.5.1). */
uint64_t simd_mm_get(struct emu_cpu *cpu, unsigned i);
void simd_mm_set(struct emu_cpu *cpu, unsigned i, uint64_t v);
void simd_mmx_enter(struct emu_cpu *cpu);
/* MMX availability: #UD with CR0.EM, #NM with CR0.TS, #MF with a
 * pending x87 exception. */
void simd_check_mmx(struct emu_cpu *cpu);
/* Write result v (len bytes) to register reg with the legacy/VEX upper
 * bits rule (SDM Vol. 1, 14.1.2: VEX.128 zeroes bits 255:128). */
void simd_put(struct simd *s, unsigned reg, const union emu_vec *v);
/* Merge env flags into MXCSR; raise #XM (or #UD without
 * CR4.OSXMMEXCPT) for unmasked ones (SDM Vol. 3A, 6.15 "#XM"). */
void simd_fp_done(struct simd *s);
/* General-purpose register for r/m-register operand forms. */
uint64_t simd_gpr_get(struct simd *s, unsigned reg, unsigned size);
void simd_gpr_set(struct simd *s, unsigned reg, unsigned size, uint64_t v);
/* Source operand b as a 32/64-bit value from GPR or memory. */
uint64_t simd_rm_int(struct simd *s, unsigned size);

/* ---- handlers, by file ---- */
#define SIMD(name) void name(struct simd *s)

/* sse_fp.c: packed/scalar floating point, conversions, blends */
SIMD(fp_add); SIMD(fp_sub); SIMD(fp_mul); SIMD(fp_div); SIMD(fp_min);
SIMD(fp_max); SIMD(fp_sqrt); SIMD(fp_rcp); SIMD(fp_rsqrt); SIMD(fp_cmp);
SIMD(fp_comi); SIMD(fp_addsub); SIMD(fp_hadd); SIMD(fp_hsub); SIMD(fp_round);
SIMD(fp_dpps); SIMD(fp_dppd); SIMD(cvt_5a); SIMD(cvt_5b); SIMD(cvt_e6);
SIMD(cvt_2a); SIMD(cvt_2c); SIMD(cvt_2d); SIMD(fp_movmsk); SIMD(fp_blend);
SIMD(fp_blendv); SIMD(i_pblendvb);

/* sse_rcp.c: Intel's RCPSS/RSQRTSS approximations (no MXCSR input or
 * output); sse_rcp_table.h is generated by tools/gen-rcp-table.c. */
uint32_t sse_rcp32(uint32_t x);
uint32_t sse_rsqrt32(uint32_t x);

/* sse_int.c: integer lanes (MMX, SSE2, SSSE3, SSE4.1) */
SIMD(i_psadbw); SIMD(i_shift_xmm); SIMD(i_shift_imm); SIMD(i_pmovmskb);
SIMD(i_pshufb); SIMD(i_phadd); SIMD(i_phsub); SIMD(i_palignr);
SIMD(i_packusdw); SIMD(i_ptest); SIMD(i_pmovx); SIMD(i_phminposuw);
SIMD(i_pblendw); SIMD(i_mpsadbw); SIMD(i_paddb); SIMD(i_paddw);
SIMD(i_paddd); SIMD(i_paddq); SIMD(i_psubb); SIMD(i_psubw); SIMD(i_psubd);
SIMD(i_psubq); SIMD(i_paddsb); SIMD(i_paddsw); SIMD(i_psubsb);
SIMD(i_psubsw); SIMD(i_paddusb); SIMD(i_paddusw); SIMD(i_psubusb);
SIMD(i_psubusw); SIMD(i_pcmpeqb); SIMD(i_pcmpeqw); SIMD(i_pcmpeqd);
SIMD(i_pcmpeqq); SIMD(i_pcmpgtb); SIMD(i_pcmpgtw); SIMD(i_pcmpgtd);
SIMD(i_pcmpgtq); SIMD(i_pmullw); SIMD(i_pmulhw); SIMD(i_pmulhuw);
SIMD(i_pmulld); SIMD(i_pmuludq); SIMD(i_pmuldq); SIMD(i_pavgb);
SIMD(i_pavgw); SIMD(i_pminub); SIMD(i_pmaxub); SIMD(i_pminsw);
SIMD(i_pmaxsw); SIMD(i_pminsb); SIMD(i_pmaxsb); SIMD(i_pminuw);
SIMD(i_pmaxuw); SIMD(i_pminsd); SIMD(i_pmaxsd); SIMD(i_pminud);
SIMD(i_pmaxud); SIMD(i_pand); SIMD(i_pandn); SIMD(i_por); SIMD(i_pxor);
SIMD(i_pabsb); SIMD(i_pabsw); SIMD(i_pabsd); SIMD(i_psignb); SIMD(i_psignw);
SIMD(i_psignd); SIMD(i_pmulhrsw); SIMD(i_pmaddwd); SIMD(i_pmaddubsw);

/* sse_mov.c: moves, unpacks, packs, shuffles, inserts, extracts */
SIMD(mv_load); SIMD(mv_store); SIMD(mv_10); SIMD(mv_11); SIMD(mv_12);
SIMD(mv_13); SIMD(mv_16); SIMD(mv_6e); SIMD(mv_7e); SIMD(mv_movq_load);
SIMD(mv_d6); SIMD(mv_maskmov); SIMD(sh_unpckl); SIMD(sh_unpckh);
SIMD(sh_punpckl); SIMD(sh_punpckh); SIMD(sh_pack); SIMD(sh_shufps);
SIMD(sh_pshuf); SIMD(sh_pinsrw); SIMD(sh_pextrw); SIMD(sh_pextr);
SIMD(sh_pinsr); SIMD(sh_insertps); SIMD(sh_emms);

/* avx_perm.c: VEX-only broadcasts, permutes, lane inserts/extracts,
 * VTESTPS/PD, VPBLENDD and the variable shifts */
SIMD(vx_bcast); SIMD(vx_bcast128); SIMD(vx_permil_var); SIMD(vx_permil_imm);
SIMD(vx_perm2x128); SIMD(vx_perm_d); SIMD(vx_perm_q); SIMD(vx_insert128);
SIMD(vx_extract128); SIMD(vx_test); SIMD(vx_pblendd); SIMD(vx_shift_var);

/* avx_mem.c: masked moves and gathers */
SIMD(vx_maskmov_load); SIMD(vx_maskmov_store); SIMD(vx_gather);

/* avx_fma.c: FMA3 and F16C */
SIMD(vx_fma_packed); SIMD(vx_fma_scalar); SIMD(vx_cvtph2ps);
SIMD(vx_cvtps2ph);

/* sse_str.c: SSE4.2 string compares */
SIMD(st_pcmpstr);

/* crypto.c: AES-NI and PCLMULQDQ */
SIMD(cr_aesenc); SIMD(cr_aesenclast); SIMD(cr_aesdec); SIMD(cr_aesdeclast);
SIMD(cr_aesimc); SIMD(cr_keygen); SIMD(cr_pclmul);

/* sse_state.c: group 15 (FXSAVE, LDMXCSR, XSAVE family, fences) */
SIMD(st_grp15);

#endif
