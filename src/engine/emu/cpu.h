/* SPDX-License-Identifier: MIT */
/* The software engine's CPU: architectural state, the decoded-instruction
 * record and the contracts between the engine's parts. No Linux-specific
 * dependency may enter src/engine/emu/.
 *
 * Parts and owners of their files:
 *   decode.c opcodes.def operand.c flags.c exec_*.c (general-purpose ISA)
 *   mmu.c (segmentation checks, paging, soft TLB, guest-physical access
 *   through the core's map), fault.c (exception and interrupt delivery),
 *   sys*.c (system instructions), run.c (engine ops, VMX glue).
 */
#ifndef OPENHVF_EMU_CPU_H
#define OPENHVF_EMU_CPU_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/emu/fpu.h"

struct vcpu;
struct emu_cpu;
struct insn;

/* Segment registers in instruction-encoding order, then LDTR and TR. */
enum { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_LDTR, SEG_TR,
       SEG_NONE = 0xff };

/* A segment cache in VMX format: ar as in VMCS_GUEST_*_AR (type 3:0, S 4,
 * DPL 6:5, P 7, AVL 12, L 13, D/B 14, G 15, unusable 16; SDM Vol. 3C,
 * 25.4.1), limit already scaled by G. */
struct seg {
	uint64_t base;
	uint32_t limit;
	uint32_t ar;
	uint16_t sel;
};

#define AR_UNUSABLE (1u << 16)

/* RFLAGS bits (SDM Vol. 1, 3.4.3). */
enum {
	RF_CF = 1u << 0, RF_PF = 1u << 2, RF_AF = 1u << 4, RF_ZF = 1u << 6,
	RF_SF = 1u << 7, RF_TF = 1u << 8, RF_IF = 1u << 9, RF_DF = 1u << 10,
	RF_OF = 1u << 11, RF_IOPL = 3u << 12, RF_NT = 1u << 14,
	RF_RF = 1u << 16, RF_VM = 1u << 17, RF_AC = 1u << 18,
	RF_VIF = 1u << 19, RF_VIP = 1u << 20, RF_ID = 1u << 21,
};
#define RF_ARITH (RF_CF | RF_PF | RF_AF | RF_ZF | RF_SF | RF_OF)

/* Exception vectors (SDM Vol. 3A, 6.3.1). */
enum { EXC_DE = 0, EXC_DB = 1, EXC_NMI = 2, EXC_BP = 3, EXC_OF = 4,
       EXC_BR = 5, EXC_UD = 6, EXC_NM = 7, EXC_DF = 8, EXC_TS = 10,
       EXC_NP = 11, EXC_SS = 12, EXC_GP = 13, EXC_PF = 14, EXC_MF = 16,
       EXC_AC = 17, EXC_MC = 18, EXC_XM = 19, EXC_VE = 20 };

/* Operating mode, recomputed by emu_update_mode() after any change of
 * CR0.PE, EFER.LMA, RFLAGS.VM or CS. */
enum emu_mode { MODE_REAL, MODE_V86, MODE_PROT16, MODE_PROT32, MODE_COMPAT,
		MODE_LONG };

/* Memory access kinds for the MMU (also the EPT-violation qualification
 * bits 0-2: read, write, fetch; SDM Vol. 3C, 28.2.1 Table 28-7). */
enum { ACC_READ = 1, ACC_WRITE = 2, ACC_FETCH = 4 };

typedef void (*emu_handler)(struct emu_cpu *cpu, const struct insn *in);

/* A decoded instruction. Decoding fixes everything that depends only on
 * the bytes and the mode, so executing never re-examines prefixes. */
struct insn {
	emu_handler fn;
	uint8_t len;        /* bytes, 1..15 */
	uint8_t opsize;     /* operand size in bytes: 1, 2, 4 or 8 */
	uint8_t adsize;     /* address size in bytes: 2, 4 or 8 */
	uint8_t seg;        /* segment of the memory operand (SEG_*) */
	uint8_t rep;        /* 0, 0xf3 (REP/REPE) or 0xf2 (REPNE) */
	uint8_t lock;       /* LOCK prefix present */
	uint8_t rex;        /* REX byte or 0 */
	uint8_t map;        /* 0 one-byte, 1 0F, 2 0F38, 3 0F3A */
	uint8_t op;         /* opcode byte within the map */
	uint8_t has_modrm;
	uint8_t mod;        /* ModRM.mod; 3 = register operand */
	uint8_t reg;        /* ModRM.reg with REX.R (0..15) */
	uint8_t rm;         /* ModRM.rm with REX.B when mod == 3 */
	uint8_t base;       /* base register or 0xff (none); 0x10 = RIP */
	uint8_t index;      /* index register or 0xff (none) */
	uint8_t scale;      /* 0..3 */
	uint8_t pfx66;      /* operand-size prefix seen (SSE selection) */
	uint8_t vex_l, vex_v, vex_w; /* VEX fields (vex_v = register number) */
	int64_t disp;
	uint64_t imm;
	uint64_t imm2;      /* second immediate (ENTER, far pointer selector) */
};

/* Per-vCPU soft TLB entry: linear page -> host page, one per access kind
 * so that a read-only entry never serves a write. */
struct tlb_entry {
	uint64_t tag;       /* linear page number | 1 (valid), or 0 */
	uint8_t *host;      /* host address of the page */
	uint64_t gpa;       /* guest-physical page */
};

#define TLB_SIZE 256

/* Tag bits besides the linear page number: valid, user (CPL 3), and on
 * write entries "code page": writes through such an entry must first be
 * reported to emu_decode_write(), so the plain tag never matches. */
enum { TLB_VALID = 1, TLB_USER = 2, TLB_CODE = 4 };

static inline unsigned emu_tlb_idx(uint64_t lin)
{
	return (unsigned)(lin >> 12) % TLB_SIZE;
}

static inline uint64_t emu_tlb_tag(uint64_t lin, bool user)
{
	return (lin & ~0xfffull) | (user ? TLB_USER : 0) | TLB_VALID;
}

struct emu_cpu {
	uint64_t gpr[16];
	uint64_t rip;
	/* RFLAGS with the arithmetic flags possibly stale: read through
	 * emu_get_rflags(), write through emu_set_rflags(). */
	uint64_t rflags;
	/* Lazy arithmetic flags (owned by flags.c). */
	uint64_t lf_res, lf_src, lf_dst;
	uint32_t lf_op;
	uint32_t lf_size;

	struct seg seg[8];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint64_t cr0, cr2, cr3, cr4, cr8;
	uint64_t efer;
	uint64_t xcr0;
	uint64_t dr[8];
	uint64_t pdpte[4];  /* PAE PDPTEs (SDM Vol. 3A, 4.4.1) */

	int cpl;
	enum emu_mode mode;
	uint8_t code_size;  /* default operand/address size of CS: 2, 4, 8 */

	/* Instruction being executed: RIP and RSP before it, for fault-like
	 * exits and faults (SDM Vol. 3C, 27.1). */
	uint64_t insn_rip;
	uint64_t insn_rsp;
	const struct insn *cur;

	/* Interrupt shadow after STI / MOV SS / POP SS (SDM Vol. 3A, 6.8.3):
	 * GUEST_INTRBILITY_* bits, valid for the next instruction only. */
	uint32_t intr_shadow;
	bool halted;
	/* The shadow in force for the instruction now executing, 0 once it
	 * completes: a fault-like VM exit of that instruction saves it again
	 * (the instruction did not complete; SDM Vol. 3C, 28.3.4). A byte,
	 * in the padding after halted, so the hot fields keep their offsets. */
	uint8_t shadow_saved;

	/* Soft TLBs, indexed by linear page number modulo TLB_SIZE. */
	struct tlb_entry tlb_r[TLB_SIZE], tlb_w[TLB_SIZE], tlb_x[TLB_SIZE];

	struct vcpu *vcpu;      /* the core's vCPU (VMCS store, MSRs, map) */
	jmp_buf unwind;         /* run loop; emu_raise/emu_exit jump here */
	void *decode_cache;     /* owned by dcache.c */
	void *codemap;          /* the VM's code map (dcache.c), or NULL */
	uint64_t map_gen;       /* map generation the soft TLB was filled in */
	void *sys;              /* owned by run.c */
	struct emu_fpu fpu;     /* x87/SSE/AVX state (fpu.h) */
};

/* ---- flags.c ---- */
uint64_t emu_get_rflags(struct emu_cpu *cpu);
void emu_set_rflags(struct emu_cpu *cpu, uint64_t v);

/* ---- decode.c ---- */
/* Decode the instruction at cpu->rip into *in (fetching through
 * emu_fetch). Raises #UD/#GP/#PF as the SDM says for bad encodings. */
void emu_decode(struct emu_cpu *cpu, struct insn *in);
/* Execute one instruction at cpu->rip (decode, possibly from cache, then
 * run the handler). Faults unwind through emu_raise. */
void emu_step(struct emu_cpu *cpu);
/* Execute about max instructions (at least one) from cpu->rip through
 * decoded blocks; returns early after a system instruction (exec_sys_*),
 * HLT, or at once after one instruction if RFLAGS.TF is set, so that the
 * run loop checks events, single-step traps and exits in time. Returns
 * the number of instructions executed. */
unsigned emu_run(struct emu_cpu *cpu, unsigned max);
/* Decoded blocks are keyed by the host address of their bytes and the
 * mode (docs/design.md, "Decode cache"), so paging changes (MOV CR3/CR0/
 * CR4, INVLPG) leave them valid: emu_decode_flush() drops only the links
 * between blocks (cached translations of RIP); an instruction that
 * flushes the soft TLB must call it too. emu_decode_reset() drops every
 * block: the guest-physical map changed and host addresses may be
 * stale. */
void emu_decode_flush(struct emu_cpu *cpu);
void emu_decode_reset(struct emu_cpu *cpu);
/* A VM entry: the client may have written guest memory since the last
 * run, so each block's bytes are checked once before it runs again. */
void emu_decode_enter(struct emu_cpu *cpu);
/* At block boundaries (run loop poll): another vCPU made a page a code
 * page, so write-TLB entries filled before must be dropped. */
void emu_decode_poll(struct emu_cpu *cpu);
/* True if the host page holding p has decoded bytes (of any vCPU of the
 * VM): the MMU then fills write-TLB entries for it with TLB_CODE. */
bool emu_decode_code_page(struct emu_cpu *cpu, const void *p);
/* A write of size bytes (within one page) at host address p: drops the
 * blocks decoded from those bytes, on every vCPU of the VM. */
void emu_decode_write(struct emu_cpu *cpu, const void *p, unsigned size);
/* The VM's code map shared by its vCPUs (run.c: vm_create/destroy). */
void *emu_codemap_create(void);
void emu_codemap_free(void *cm);
/* Free the decode cache (vCPU destruction). */
void emu_decode_free(struct emu_cpu *cpu);

/* ---- operand.c ---- */
uint64_t emu_ea(struct emu_cpu *cpu, const struct insn *in); /* offset */
uint64_t emu_reg_get(struct emu_cpu *cpu, unsigned reg, unsigned size,
		     bool rex);
void emu_reg_set(struct emu_cpu *cpu, unsigned reg, unsigned size, bool rex,
		 uint64_t v);
uint64_t emu_rm_get(struct emu_cpu *cpu, const struct insn *in,
		    unsigned size);
void emu_rm_set(struct emu_cpu *cpu, const struct insn *in, unsigned size,
		uint64_t v);
void emu_push(struct emu_cpu *cpu, unsigned size, uint64_t v);
uint64_t emu_pop(struct emu_cpu *cpu, unsigned size);

/* ---- mmu.c ---- */
/* Virtual-address accesses: segmentation checks (limit, type, canonical
 * form; SDM Vol. 3A, 5.3 and 3.4.5), then linear access. size 1..8. */
uint64_t emu_read(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size);
void emu_write(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size,
	       uint64_t v);
/* Linear-address accesses (paging, soft TLB, EPT = the core's map).
 * Supervisor accesses (descriptor tables, TSS) pass sys = true. */
uint64_t emu_read_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		      bool sys);
void emu_write_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		   uint64_t v, bool sys);
/* Host pointer for an aligned or in-page access of size bytes at seg:off
 * checked for access kind acc (ACC_READ|ACC_WRITE for read-modify-write),
 * or NULL if it crosses a page (the caller then falls back to
 * emu_read/emu_write). Used for LOCK'ed atomics and fast paths. */
void *emu_host_ptr(struct emu_cpu *cpu, int seg, uint64_t off,
		   unsigned size, int acc);
/* Instruction fetch: copy up to n bytes at linear rip into buf; faults
 * only if the first byte is not fetchable; returns bytes copied. */
unsigned emu_fetch(struct emu_cpu *cpu, uint64_t lin, uint8_t *buf,
		   unsigned n);
/* A page gained decoded bytes: write-TLB entries for the host page
 * (page-aligned) get TLB_CODE; NULL drops every write-TLB entry. */
void emu_tlb_code_page(struct emu_cpu *cpu, const void *page);
void emu_tlb_flush(struct emu_cpu *cpu);
void emu_tlb_flush_page(struct emu_cpu *cpu, uint64_t lin);

/* ---- fault.c ---- */
/* Raise exception vec (error code err if the vector has one), unwinding
 * to the run loop; RIP/RSP are rolled back to the faulting instruction. */
_Noreturn void emu_raise(struct emu_cpu *cpu, int vec, uint32_t err);
/* Software interrupt INT n / INT3 / INTO / INT1 (opcode kind selects the
 * VMX event type). */
_Noreturn void emu_soft_int(struct emu_cpu *cpu, int vec, int kind);
/* Recompute cpu->mode, cpu->code_size, cpu->cpl after state changes. */
void emu_update_mode(struct emu_cpu *cpu);
/* Load a segment register from a selector with all protected-mode checks
 * (SDM Vol. 3A, 5.4-5.6 and the MOV/POP reference pages). */
void emu_load_seg(struct emu_cpu *cpu, int seg, uint16_t sel);

/* ---- run.c (VMX glue) ---- */
/* Leave the guest with a VM exit: reason, qualification; the exit
 * fields are filled and RIP is left as the SDM says (fault-like exits at
 * the instruction, insn_len recorded). */
_Noreturn void emu_vmexit(struct emu_cpu *cpu, uint32_t reason,
			  uint64_t qual);
/* Unconditionally-exiting and conditionally-exiting instruction hooks the
 * ISA handlers call: they return normally when the instruction is to be
 * executed by the engine. */
void emu_io(struct emu_cpu *cpu, const struct insn *in, uint16_t port,
	    unsigned size, bool in_dir, bool string);
/* PAUSE (F3 90): PAUSE exiting and PAUSE-loop exiting (sys_misc.c). */
void emu_pause(struct emu_cpu *cpu);

#endif
