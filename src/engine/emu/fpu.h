/* SPDX-License-Identifier: MIT */
/* x87, MMX, SSE and AVX state of the software engine (struct emu_fpu,
 * one member of struct emu_cpu), its conversion to and from the XSAVE
 * image the core keeps, and the entry points of the x87 and SIMD
 * handlers. Owner: fpu_*.c, sse*.c, avx*.c, softfloat*.c. */
#ifndef OPENHVF_EMU_FPU_H
#define OPENHVF_EMU_FPU_H

#include <stdint.h>

#include "engine/emu/softfloat.h"

/* Vector lanes are accessed through this union, so the engine needs a
 * little-endian host (every supported one is). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the SIMD register file assumes a little-endian host"
#endif

union emu_vec {
	uint8_t b[32];
	int8_t sb[32];
	uint16_t w[16];
	int16_t sw[16];
	uint32_t d[8];
	int32_t sd[8];
	uint64_t q[4];
	int64_t sq[4];
};

struct emu_fpu {
	struct fx80 st[8];  /* physical registers R0-R7 (MMX: .m) */
	uint16_t fcw;       /* control word (SDM Vol. 1, 8.1.5) */
	uint16_t fsw;       /* status word, TOP in bits 13:11 (8.1.3) */
	uint8_t ftw;        /* abridged tags: bit i set = Ri not empty */
	uint16_t fop;       /* last opcode, 11 bits (8.1.9) */
	uint64_t fip, fdp;  /* last instruction / data pointer (8.1.8) */
	/* FOP and FDP of the instruction being executed, kept until it
	 * incurs an unmasked exception (8.1.8, 8.1.9); cur_dp_valid when
	 * it has a memory operand. */
	uint16_t cur_op;
	bool cur_dp_valid;
	uint64_t cur_dp;
	uint32_t mxcsr;     /* SDM Vol. 1, 10.2.3 */
	union emu_vec ymm[16];
};

/* FSW bits (SDM Vol. 1, 8.1.3). */
enum {
	FSW_SF = 1u << 6, FSW_ES = 1u << 7, FSW_C0 = 1u << 8,
	FSW_C1 = 1u << 9, FSW_C2 = 1u << 10, FSW_TOP = 7u << 11,
	FSW_C3 = 1u << 14, FSW_B = 1u << 15,
};

#define MXCSR_DEFAULT 0x1f80u
#define MXCSR_MASK 0xffffu  /* DAZ supported (SDM Vol. 1, 11.6.6) */

/* XSAVE standard layout (SDM Vol. 1, 13.4): legacy region 0-511, header
 * 512-575, YMM_Hi128 (component 2) at 576, 256 bytes. */
#define XSAVE_LEGACY_SIZE 512u
#define XSAVE_HDR_OFF 512u
#define XSAVE_YMM_OFF 576u
#define XSAVE_STD_SIZE 832u
#define XFEATURE_X87 1u
#define XFEATURE_SSE 2u
#define XFEATURE_AVX 4u
#define XFEATURE_ALL 7u

struct emu_cpu;
struct insn;

/* Initial state after RESET/INIT (SDM Vol. 3A, 10.1.1 Table 10-1):
 * FCW 037F, empty stack, MXCSR 1F80, zero vectors. */
void emu_fpu_reset(struct emu_cpu *cpu);
/* Load/store struct emu_fpu from/to a standard-format XSAVE image of
 * XSAVE_STD_SIZE bytes (components not in XSTATE_BV load their initial
 * state; the store writes all three and XSTATE_BV = 7). Called by the
 * state code at VM entry and exit; no fault is possible. */
void emu_fpu_load(struct emu_cpu *cpu, const uint8_t *xsave);
void emu_fpu_store(struct emu_cpu *cpu, uint8_t *xsave);
/* Size of the XSAVE area for the features in xcr0 (standard format,
 * CPUID.(EAX=0DH,ECX=0).EBX) and for the compacted format. */
uint32_t emu_xsave_size(uint64_t xcr0, bool compacted);
/* Offset and size of state component i in the standard format
 * (CPUID.(EAX=0DH,ECX=i).EBX/EAX); 0 for components not supported. */
uint32_t emu_xsave_comp_offset(unsigned i);
uint32_t emu_xsave_comp_size(unsigned i);

/* XSAVEC m (0F C7 /4, memory form): the group-9 handler calls this. */
void emu_xsavec(struct emu_cpu *cpu, const struct insn *in);

/* Handlers (decoded records route here; see opcodes.def). */
void exec_sys_fpu(struct emu_cpu *cpu, const struct insn *in);
void exec_sys_sse(struct emu_cpu *cpu, const struct insn *in);
void exec_sys_avx(struct emu_cpu *cpu, const struct insn *in);

#endif
