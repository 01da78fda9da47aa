/* SPDX-License-Identifier: MIT */
/* Instruction handlers of the software engine and the helpers they share.
 * opcodes.def names a handler for every opcode form; general-purpose ones
 * live in exec_*.c, system ones (exec_sys_*) in sys*.c. A handler runs
 * after emu_step() has set cpu->insn_rip/insn_rsp and advanced cpu->rip
 * past the instruction; faults unwind through emu_raise(). */
#ifndef OPENHVF_EMU_EXEC_H
#define OPENHVF_EMU_EXEC_H

#include <string.h>

#include "engine/emu/cpu.h"

/* ---- decoder (decode.c) for the decode cache (dcache.c) ---- */
/* Decode the instruction at linear address lin into *in; *end tells
 * whether it ends a decoded block (control transfer, system instruction),
 * *stop whether emu_run must then return to the run loop (all but near
 * branches). With probe, an invalid encoding returns false instead of
 * raising (the caller must guarantee that fetching cannot fault). */
bool emu_decode_at(struct emu_cpu *cpu, struct insn *in, uint64_t lin,
		   bool probe, bool *end, bool *stop);

/* 128-bit arithmetic (GCC/Clang extension) for MUL/DIV, SHLD/SHRD. */
__extension__ typedef unsigned __int128 emu_u128;
__extension__ typedef __int128 emu_s128;

/* ---- lazy flags (flags.c) ---- */
/* Kinds of the last flag-setting operation (cpu->lf_op). For every kind
 * the flags it does not define are kept in cpu->rflags. */
enum lf_kind {
	LF_NONE,  /* all arithmetic flags are in cpu->rflags */
	LF_ADD,   /* ADD/ADC: dst + src (+CF) = res */
	LF_SUB,   /* SUB/SBB/CMP/NEG: dst - src (-CF) = res */
	LF_LOGIC, /* AND/OR/XOR/TEST: CF=OF=AF=0 */
	LF_INC,   /* INC: as ADD with src 1, CF kept */
	LF_DEC,   /* DEC: as SUB with src 1, CF kept */
	LF_RES,   /* ZF, SF, PF from res; CF, OF, AF kept in rflags */
};

/* Record a flag-setting result of size bytes (values are truncated). */
static inline void lf_set(struct emu_cpu *cpu, uint32_t op, unsigned size,
			  uint64_t dst, uint64_t src, uint64_t res)
{
	cpu->lf_op = op;
	cpu->lf_size = size;
	cpu->lf_dst = dst;
	cpu->lf_src = src;
	cpu->lf_res = res;
}

/* Evaluate condition code cc (the low nibble of Jcc/SETcc/CMOVcc;
 * SDM Vol. 1, Appendix B) from the lazy state. */
bool emu_cond(struct emu_cpu *cpu, unsigned cc);
/* Carry flag of the lazy state (ADC/SBB/RCL/RCR/INC/DEC need it). */
bool emu_get_cf(struct emu_cpu *cpu);
/* Replace the arithmetic flags selected by mask with the bits of v. */
void emu_set_arith(struct emu_cpu *cpu, uint64_t mask, uint64_t v);
/* Parity flag value (RF_PF or 0) of the low byte of v. */
static inline uint64_t emu_pf(uint64_t v)
{
	return __builtin_parity((unsigned)(v & 0xff)) ? 0 : RF_PF;
}

/* ---- operand helpers (operand.c) ---- */
static inline uint64_t emu_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static inline int64_t emu_sext(uint64_t v, unsigned size)
{
	unsigned sh = 64 - size * 8;

	return (int64_t)(v << sh) >> sh;
}

/* Inline operand access for the handlers' hot paths; operand.c exports
 * the same operations as emu_reg_get/emu_reg_set/emu_rm_get/emu_rm_set/
 * emu_ea for the rest of the engine. */

/* Effective address: base + index * scale + disp, truncated to the
 * address size (SDM Vol. 1, 3.7.5). RIP-relative uses the address of the
 * next instruction, which cpu->rip already holds while a handler runs. */
static inline uint64_t op_ea(const struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t ea = (uint64_t)in->disp;

	if (in->base != 0xff)
		ea += in->base == 0x10 ? cpu->rip : cpu->gpr[in->base];
	if (in->index != 0xff)
		ea += cpu->gpr[in->index] << in->scale;
	return ea & emu_mask(in->adsize);
}

/* Without REX, byte registers 4-7 are AH, CH, DH, BH (SDM Vol. 1,
 * 3.7.2.1). */
static inline uint64_t op_reg_get(const struct emu_cpu *cpu, unsigned reg,
				  unsigned size, bool rex)
{
	if (size == 1 && !rex && reg >= 4 && reg < 8)
		return (cpu->gpr[reg - 4] >> 8) & 0xff;
	return cpu->gpr[reg] & emu_mask(size);
}

/* 32-bit results zero-extend into the full register; 8- and 16-bit ones
 * merge (SDM Vol. 1, 3.4.1.1). */
static inline void op_reg_set(struct emu_cpu *cpu, unsigned reg,
			      unsigned size, bool rex, uint64_t v)
{
	uint64_t *r;

	if (size == 8) {
		cpu->gpr[reg] = v;
	} else if (size == 4) {
		cpu->gpr[reg] = (uint32_t)v;
	} else if (size == 2) {
		r = &cpu->gpr[reg];
		*r = (*r & ~0xffffull) | (v & 0xffff);
	} else if (!rex && reg >= 4 && reg < 8) {
		r = &cpu->gpr[reg - 4];
		*r = (*r & ~0xff00ull) | ((v & 0xff) << 8);
	} else {
		r = &cpu->gpr[reg];
		*r = (*r & ~0xffull) | (v & 0xff);
	}
}

/* ---- memory operands: the soft-TLB hit path ----
 * op_read/op_write do what emu_read/emu_write do (mmu.c) when the
 * segment needs no check beyond what the TLB hit implies: 64-bit mode
 * (no limits; a non-canonical address never matches a tag, SDM Vol. 3A,
 * 3.3.7.1), or a flat expand-up data segment (base 0, limit 4 GiB - 1,
 * SDM Vol. 3A, 5.3 and 5.5), with the access inside one page and no
 * alignment check possible (CPL < 3, or CR0.AM or RFLAGS.AC clear; SDM
 * Vol. 3A, 6.15 "Interrupt 17"). Anything else takes emu_read/emu_write.
 * Write-TLB entries of code pages carry TLB_CODE and so miss here. */

/* Linear address of seg:off if the segment is flat for access acc. */
static inline bool op_flat(const struct emu_cpu *cpu, unsigned seg,
			   uint64_t off, int acc, uint64_t *lin)
{
	const struct seg *s = &cpu->seg[seg];
	uint32_t mask = AR_UNUSABLE | 0x1c | (acc == ACC_WRITE ? 2u : 0u);

	if (cpu->mode == MODE_LONG) {
		*lin = seg == SEG_FS || seg == SEG_GS ? off + s->base : off;
		return true;
	}
	*lin = off;
	return s->base == 0 && s->limit == 0xffffffffu &&
	       (s->ar & mask) == (0x10u | (acc == ACC_WRITE ? 2u : 0u));
}

/* Host address of a size-byte access at lin through table tab, or NULL. */
static inline uint8_t *op_tlb(const struct emu_cpu *cpu,
			      const struct tlb_entry *tab, uint64_t lin,
			      unsigned size)
{
	const struct tlb_entry *t = &tab[emu_tlb_idx(lin)];
	bool user = cpu->cpl == 3;

	if (t->tag != emu_tlb_tag(lin, user) || (lin & 0xfff) + size > 0x1000)
		return NULL;
	/* CR0.AM is bit 18 (SDM Vol. 3A, 2.5). */
	if (user && (cpu->rflags & RF_AC) && (cpu->cr0 & (1u << 18)))
		return NULL;
	return t->host + (lin & 0xfff);
}

static inline uint64_t op_read(struct emu_cpu *cpu, unsigned seg,
			       uint64_t off, unsigned size)
{
	uint64_t lin, v8;
	uint32_t v4;
	uint16_t v2;
	const uint8_t *p;

	if (op_flat(cpu, seg, off, ACC_READ, &lin) &&
	    (p = op_tlb(cpu, cpu->tlb_r, lin, size))) {
		switch (size) {
		case 1: return *p;
		case 2: memcpy(&v2, p, 2); return v2;
		case 4: memcpy(&v4, p, 4); return v4;
		case 8: memcpy(&v8, p, 8); return v8;
		default: break;
		}
	}
	return emu_read(cpu, (int)seg, off, size);
}

static inline void op_write(struct emu_cpu *cpu, unsigned seg, uint64_t off,
			    unsigned size, uint64_t v)
{
	uint64_t lin;
	uint32_t v4 = (uint32_t)v;
	uint16_t v2 = (uint16_t)v;
	uint8_t *p;

	if (op_flat(cpu, seg, off, ACC_WRITE, &lin) &&
	    (p = op_tlb(cpu, cpu->tlb_w, lin, size))) {
		switch (size) {
		case 1: *p = (uint8_t)v; return;
		case 2: memcpy(p, &v2, 2); return;
		case 4: memcpy(p, &v4, 4); return;
		case 8: memcpy(p, &v, 8); return;
		default: break;
		}
	}
	emu_write(cpu, (int)seg, off, size, v);
}

static inline uint64_t op_rm_get(struct emu_cpu *cpu, const struct insn *in,
				 unsigned size)
{
	if (in->mod == 3)
		return op_reg_get(cpu, in->rm, size, in->rex != 0);
	return op_read(cpu, in->seg, op_ea(cpu, in), size);
}

static inline void op_rm_set(struct emu_cpu *cpu, const struct insn *in,
			     unsigned size, uint64_t v)
{
	if (in->mod == 3)
		op_reg_set(cpu, in->rm, size, in->rex != 0, v);
	else
		op_write(cpu, in->seg, op_ea(cpu, in), size, v);
}

/* Stack-pointer width in bytes: 8 in 64-bit mode, else SS.B ? 4 : 2. */
unsigned emu_stack_size(struct emu_cpu *cpu);
/* Read-modify-write access to the ModRM r/m operand: returns a host
 * pointer when the operand is in memory and one host access suffices,
 * else NULL (register operand or page-crossing memory). */
void *emu_rm_host(struct emu_cpu *cpu, const struct insn *in,
		  unsigned size);
/* Atomic read-modify-write of the memory r/m operand for LOCK'ed and
 * implicitly locked instructions: calls op(cpu, old, arg, size) until the
 * compare-exchange succeeds; returns the old value. */
/* Compare-exchange of size bytes at host pointer p: true if *p held
 * *old and now holds nv; else *old receives the current value. */
bool emu_cas(void *p, unsigned size, uint64_t *old, uint64_t nv);
typedef uint64_t (*emu_rmw_fn)(struct emu_cpu *cpu, uint64_t old,
			       uint64_t arg, unsigned size);
uint64_t emu_rmw(struct emu_cpu *cpu, const struct insn *in, unsigned size,
		 emu_rmw_fn op, uint64_t arg);

/* ---- general-purpose handlers ---- */
#define EXEC(name) void name(struct emu_cpu *cpu, const struct insn *in)

/* exec_alu.c */
EXEC(exec_add_rm_r); EXEC(exec_or_rm_r); EXEC(exec_adc_rm_r);
EXEC(exec_sbb_rm_r); EXEC(exec_and_rm_r); EXEC(exec_sub_rm_r);
EXEC(exec_xor_rm_r); EXEC(exec_cmp_rm_r);
EXEC(exec_add_r_rm); EXEC(exec_or_r_rm); EXEC(exec_adc_r_rm);
EXEC(exec_sbb_r_rm); EXEC(exec_and_r_rm); EXEC(exec_sub_r_rm);
EXEC(exec_xor_r_rm); EXEC(exec_cmp_r_rm);
EXEC(exec_add_a_i); EXEC(exec_or_a_i); EXEC(exec_adc_a_i);
EXEC(exec_sbb_a_i); EXEC(exec_and_a_i); EXEC(exec_sub_a_i);
EXEC(exec_xor_a_i); EXEC(exec_cmp_a_i);
EXEC(exec_add_rm_i); EXEC(exec_or_rm_i); EXEC(exec_adc_rm_i);
EXEC(exec_sbb_rm_i); EXEC(exec_and_rm_i); EXEC(exec_sub_rm_i);
EXEC(exec_xor_rm_i); EXEC(exec_cmp_rm_i);
EXEC(exec_test_rm_r); EXEC(exec_test_a_i); EXEC(exec_test_rm_i);
EXEC(exec_inc_rm); EXEC(exec_dec_rm); EXEC(exec_inc_r); EXEC(exec_dec_r);
EXEC(exec_not_rm); EXEC(exec_neg_rm);

/* exec_mov.c */
EXEC(exec_mov_rm_r); EXEC(exec_mov_r_rm); EXEC(exec_mov_rm_i);
EXEC(exec_mov_r_i); EXEC(exec_mov_a_moffs); EXEC(exec_mov_moffs_a);
EXEC(exec_movzx); EXEC(exec_movsx); EXEC(exec_movsxd); EXEC(exec_lea);
EXEC(exec_xchg_rm_r); EXEC(exec_xchg_a_r); EXEC(exec_xadd);
EXEC(exec_cmpxchg); EXEC(exec_grp9); EXEC(exec_cmpxchg8b);
EXEC(exec_cmovcc); EXEC(exec_setcc); EXEC(exec_bswap); EXEC(exec_movbe);
EXEC(exec_xlat); EXEC(exec_movnti);

/* exec_fast.c: register-only 32/64-bit forms (opcodes.def FAST rows) */
#define EXEC_FAST_ALU(name) \
	EXEC(exec_##name##_rm_r64); EXEC(exec_##name##_r_rm64); \
	EXEC(exec_##name##_rm_i64); EXEC(exec_##name##_rm_r32); \
	EXEC(exec_##name##_r_rm32); EXEC(exec_##name##_rm_i32)
EXEC_FAST_ALU(add); EXEC_FAST_ALU(sub); EXEC_FAST_ALU(cmp);
EXEC_FAST_ALU(and); EXEC_FAST_ALU(or); EXEC_FAST_ALU(xor);
EXEC_FAST_ALU(test);
EXEC(exec_inc_r64); EXEC(exec_inc_r32); EXEC(exec_dec_r64);
EXEC(exec_dec_r32); EXEC(exec_mov_rm_r64); EXEC(exec_mov_rm_r32);
EXEC(exec_mov_r_rm64); EXEC(exec_mov_r_rm32); EXEC(exec_mov_rm_i64);
EXEC(exec_mov_rm_i32); EXEC(exec_shift_i_r64); EXEC(exec_shift_i_r32);
/* memory forms in 64-bit mode, selected by decode.c (mem_form) */
EXEC(exec_mov_r_m64); EXEC(exec_mov_r_m32); EXEC(exec_mov_m_r64);
EXEC(exec_mov_m_r32);

/* exec_branch.c */
EXEC(exec_jo); EXEC(exec_jno); EXEC(exec_jb); EXEC(exec_jae); EXEC(exec_je);
EXEC(exec_jne); EXEC(exec_jbe); EXEC(exec_ja); EXEC(exec_js); EXEC(exec_jns);
EXEC(exec_jp); EXEC(exec_jnp); EXEC(exec_jl); EXEC(exec_jge); EXEC(exec_jle);
EXEC(exec_jg); EXEC(exec_jmp_rel); EXEC(exec_call_rel); EXEC(exec_ret);
EXEC(exec_jmp_rm); EXEC(exec_call_rm); EXEC(exec_jcxz); EXEC(exec_loop);
EXEC(exec_loope); EXEC(exec_loopne);

/* exec_stack.c */
EXEC(exec_push_r); EXEC(exec_pop_r); EXEC(exec_push_i); EXEC(exec_push_rm);
EXEC(exec_pop_rm); EXEC(exec_push_sreg); EXEC(exec_pop_sreg);
EXEC(exec_pusha); EXEC(exec_popa); EXEC(exec_enter); EXEC(exec_leave);

/* exec_shift.c */
EXEC(exec_shift_1); EXEC(exec_shift_cl); EXEC(exec_shift_i);
EXEC(exec_shld); EXEC(exec_shrd);

/* exec_muldiv.c */
EXEC(exec_mul_rm); EXEC(exec_imul1_rm); EXEC(exec_div_rm);
EXEC(exec_idiv_rm); EXEC(exec_imul_r_rm); EXEC(exec_imul_r_rm_i);

/* exec_bit.c */
EXEC(exec_bt); EXEC(exec_bts); EXEC(exec_btr); EXEC(exec_btc);
EXEC(exec_bt_i); EXEC(exec_bsf); EXEC(exec_bsr); EXEC(exec_tzcnt);
EXEC(exec_lzcnt); EXEC(exec_popcnt); EXEC(exec_crc32); EXEC(exec_adcx);
EXEC(exec_adox); EXEC(exec_andn); EXEC(exec_bextr); EXEC(exec_blsi);
EXEC(exec_blsmsk); EXEC(exec_blsr); EXEC(exec_bzhi); EXEC(exec_mulx);
EXEC(exec_pdep); EXEC(exec_pext); EXEC(exec_rorx); EXEC(exec_sarx);
EXEC(exec_shlx); EXEC(exec_shrx);

/* exec_string.c */
EXEC(exec_movs); EXEC(exec_cmps); EXEC(exec_scas); EXEC(exec_lods);
EXEC(exec_stos); EXEC(exec_ins); EXEC(exec_outs);

/* exec_bcd.c */
EXEC(exec_daa); EXEC(exec_das); EXEC(exec_aaa); EXEC(exec_aas);
EXEC(exec_aam); EXEC(exec_aad);

/* exec_misc.c */
EXEC(exec_nop); EXEC(exec_pause); EXEC(exec_ud); EXEC(exec_cbw);
EXEC(exec_cwd); EXEC(exec_lahf); EXEC(exec_sahf); EXEC(exec_clc);
EXEC(exec_stc); EXEC(exec_cmc); EXEC(exec_cld); EXEC(exec_std);
EXEC(exec_salc); EXEC(exec_bound);

/* ---- system handlers (sys*.c, the system owner) ----
 * Each is reached with the decoded record as for any handler; in->reg,
 * in->mod, in->rm, in->op, in->map, in->opsize, in->imm say which form.
 * They check privilege/mode themselves. */
EXEC(exec_sys_cpuid);       /* 0F A2 */
EXEC(exec_sys_in);          /* E4 E5 EC ED */
EXEC(exec_sys_out);         /* E6 E7 EE EF */
EXEC(exec_sys_hlt);         /* F4 */
EXEC(exec_sys_int);         /* CD ib */
EXEC(exec_sys_int3);        /* CC */
EXEC(exec_sys_into);        /* CE (#UD in 64-bit mode: decoder) */
EXEC(exec_sys_int1);        /* F1 */
EXEC(exec_sys_iret);        /* CF, opsize 2/4/8 */
EXEC(exec_sys_jmp_far);     /* EA (imm = offset, imm2 = sel), FF /5 */
EXEC(exec_sys_call_far);    /* 9A, FF /3 */
EXEC(exec_sys_ret_far);     /* CB, CA iw (imm) */
EXEC(exec_sys_mov_to_sreg); /* 8E /r */
EXEC(exec_sys_mov_from_sreg); /* 8C /r */
EXEC(exec_sys_lxs);         /* C4 LES, C5 LDS, 0F B2 LSS, 0F B4 LFS,
			     * 0F B5 LGS */
EXEC(exec_sys_grp6);        /* 0F 00: SLDT STR LLDT LTR VERR VERW */
EXEC(exec_sys_grp7);        /* 0F 01: SGDT SIDT LGDT LIDT SMSW LMSW
			     * INVLPG SWAPGS RDTSCP MONITOR MWAIT VMCALL
			     * VMLAUNCH VMRESUME VMXOFF XGETBV XSETBV CLAC
			     * STAC ENCLS RDPKRU WRPKRU ... (all forms) */
EXEC(exec_sys_mov_cr);      /* 0F 20, 0F 22 */
EXEC(exec_sys_mov_dr);      /* 0F 21, 0F 23 */
EXEC(exec_sys_clts);        /* 0F 06 */
EXEC(exec_sys_rdmsr);       /* 0F 32 */
EXEC(exec_sys_wrmsr);       /* 0F 30 */
EXEC(exec_sys_rdtsc);       /* 0F 31 */
EXEC(exec_sys_rdpmc);       /* 0F 33 */
EXEC(exec_sys_cli);         /* FA */
EXEC(exec_sys_sti);         /* FB */
EXEC(exec_sys_pushf);       /* 9C */
EXEC(exec_sys_popf);        /* 9D */
EXEC(exec_sys_syscall);     /* 0F 05 */
EXEC(exec_sys_sysret);      /* 0F 07 */
EXEC(exec_sys_sysenter);    /* 0F 34 */
EXEC(exec_sys_sysexit);     /* 0F 35 */
EXEC(exec_sys_invd);        /* 0F 08 */
EXEC(exec_sys_wbinvd);      /* 0F 09 */
EXEC(exec_sys_lar);         /* 0F 02 */
EXEC(exec_sys_lsl);         /* 0F 03 */
EXEC(exec_sys_arpl);        /* 63 outside 64-bit mode */
EXEC(exec_sys_rdrand);      /* 0F C7 /6 (mod 3) */
EXEC(exec_sys_rdseed);      /* 0F C7 /7 (mod 3, no F3) */
EXEC(exec_sys_rdpid);       /* F3 0F C7 /7 (mod 3) */
EXEC(exec_sys_vmx);         /* VMREAD 0F 78, VMWRITE 0F 79, INVEPT
			     * 66 0F 38 80, INVVPID 66 0F 38 81, VMPTRLD
			     * 0F C7 /6, VMCLEAR 66 0F C7 /6, VMXON
			     * F3 0F C7 /6, VMPTRST 0F C7 /7 (memory) */
EXEC(exec_sys_invpcid);     /* 66 0F 38 82 */
EXEC(exec_sys_getsec);      /* 0F 37 */
EXEC(exec_sys_rsm);         /* 0F AA */
EXEC(exec_sys_ud);          /* opcodes reserved for the system side
			     * that it may choose to implement */
EXEC(exec_sys_fpu);         /* D8-DF x87 escape (all forms) */
EXEC(exec_sys_sse);         /* 0F-map SIMD forms not listed above
			     * (0F 10-17, 28-2F, 50-7F, C2-C6, D0-FF,
			     * 0F 38 / 0F 3A SIMD), and 0F AE group 15
			     * (FXSAVE, LDMXCSR, XSAVE*, fences, CLFLUSH) */

#endif
