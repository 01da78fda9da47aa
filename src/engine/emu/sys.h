/* SPDX-License-Identifier: MIT */
/* The system side of the software engine: VMX glue state, paging, fault
 * delivery and segment helpers shared by mmu.c, paging.c, fault.c, seg.c,
 * sys_*.c, state.c and run.c. Not seen by the general-purpose ISA files. */
#ifndef OPENHVF_EMU_SYS_H
#define OPENHVF_EMU_SYS_H

#include <Hypervisor/hv_arch_vmx.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/vcpu.h"
#include "cpu.h"
#include "host.h"

/* setjmp codes of cpu->unwind. */
enum { UNWIND_FAULT = 1, UNWIND_EXIT = 2 };

/* Event types as in the VMX interruption-information format (SDM Vol. 3C,
 * 25.8.3 and 25.9.2): bits 10:8. */
enum { EV_EXT = 0, EV_NMI = 2, EV_HW = 3, EV_SWINT = 4, EV_PRIV_SW = 5,
       EV_SWEXC = 6 };

/* Software-interrupt kinds for emu_soft_int (the opcode used). */
enum { SOFT_INTN = 0, SOFT_INT3 = 1, SOFT_INTO = 2, SOFT_INT1 = 3 };

struct emu_event {
	int vec;
	int type;          /* EV_* */
	bool has_err;
	uint32_t err;
	uint8_t len;       /* instruction length for software events */
	bool inject;       /* VM-entry injection: no exception-bitmap check */
	uint64_t cr2;      /* faulting linear address of a #PF */
};

/* Control-register bits (SDM Vol. 3A, 2.5). */
#define CR0_PE (1ull << 0)
#define CR0_MP (1ull << 1)
#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR0_ET (1ull << 4)
#define CR0_NE (1ull << 5)
#define CR0_WP (1ull << 16)
#define CR0_AM (1ull << 18)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_VME (1ull << 0)
#define CR4_PVI (1ull << 1)
#define CR4_TSD (1ull << 2)
#define CR4_DE (1ull << 3)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_PGE (1ull << 7)
#define CR4_OSFXSR (1ull << 9)
#define CR4_UMIP (1ull << 11)
#define CR4_VMXE (1ull << 13)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

/* MAXPHYADDR of the model (CPUID 0x80000008; memmap.h). */
#define PHYS_BITS 39
#define PHYS_MASK ((1ull << PHYS_BITS) - 1)

/* Engine-private per-vCPU state hanging off cpu->sys. */
struct emu_sys {
	/* VMX controls, decoded once at VM entry (SDM Vol. 3C, 25.6-25.8)
	 * so that the hot path tests one bit. */
	uint32_t pin, proc, proc2, entry_ctl, exit_ctl;
	uint32_t exc_bitmap, pfec_mask, pfec_match;
	uint64_t cr0_mask, cr0_shadow, cr4_mask, cr4_shadow;
	uint32_t tpr_threshold;    /* bits 3:0 */
	uint32_t ple_gap, ple_window;
	uint64_t apic_page;        /* APIC-access page (virtualize APIC
				      accesses), or ~0 */
	bool iret_keeps_nmi;       /* NMI exiting without virtual NMIs:
				      IRET does not unblock (26.3) */

	/* Event state kept across the run, saved at exit. */
	bool nmi_blocked;          /* (virtual-)NMI blocking, bit 3 of the
				      interruptibility state */
	bool iret_unblocked;       /* the current IRET unblocked NMIs: bit 12
				      of the exit information (28.2.2/3) */
	uint64_t pending_dbg;      /* VMCS_GUEST_DEBUG_EXC */
	uint64_t ple_first, ple_last; /* TSC of the PAUSE loop (26.1.3) */
	/* Set by an instruction that needs the run loop after it: HLT
	 * without HLT exiting, a virtualized write to the VTPR. */
	bool brk;
	bool vtpr_written;
	/* DR7 as the guest last left it: entries without "load debug
	 * controls" keep it (27.3.2.1). */
	uint64_t live_dr7;

	/* The fault raised by emu_raise, dispatched by the run loop. */
	struct emu_event fault;
	/* The event being delivered (double-fault classification and the
	 * IDT-vectoring information of exits during delivery). */
	struct emu_event deliv;
	bool delivering;

	/* Exit information written back to the VMCS store at exit. */
	uint32_t exit_reason;
	uint64_t exit_qual;
	uint32_t exit_len;
	uint32_t exit_instr_info;
	uint64_t exit_gpa, exit_gla;
	uint32_t exit_irq_info, exit_irq_err;
	uint32_t idt_info, idt_err;
	bool has_len, has_instr_info, has_gpa, has_gla;

	/* Run loop: the caller's deadline and the VMX-preemption timer's
	 * expiry, CLOCK_MONOTONIC ns or UINT64_MAX. */
	uint64_t deadline_ns;
	uint64_t timer_ns;
	bool in_insn;          /* an instruction is executing */
};

static inline struct emu_sys *sys_of(struct emu_cpu *cpu)
{
	return (struct emu_sys *)cpu->sys;
}

/* ---- paging.c ---- */
/* Flags for emu_gpa_ptr. */
enum { GPA_LIN = 1, GPA_FINAL = 2, GPA_PROBE = 4 };
/* Host pointer for guest-physical gpa accessed as acc (ACC_*), through
 * the vCPU's map snapshot (the EPT role). An access outside the map or
 * without permission is an EPT-violation exit (SDM Vol. 3C, 29.3.3), or
 * NULL with GPA_PROBE. lin is the guest-linear address (GPA_LIN). */
uint8_t *emu_gpa_ptr(struct emu_cpu *cpu, uint64_t gpa, int acc,
		     uint64_t lin, unsigned flags);
/* Translate linear lin for an access acc; user is a user-mode access
 * (SDM Vol. 3A, 4.6), sys an implicit supervisor access. On success
 * returns the host pointer of the byte and sets *gpa; *tlb_ok says
 * whether the translation may be cached. probe: return NULL instead of
 * raising #PF or exiting. */
uint8_t *emu_translate(struct emu_cpu *cpu, uint64_t lin, int acc,
		       bool sys, bool probe, uint64_t *gpa, bool *tlb_ok);
/* Load the PAE PDPTEs from CR3 (SDM Vol. 3A, 4.4.1); false if one has
 * reserved bits set (the caller raises #GP(0)). */
bool emu_load_pdptes(struct emu_cpu *cpu, uint64_t cr3);
bool emu_paging_on(const struct emu_cpu *cpu);

/* ---- mmu.c ---- */
/* Segmentation of seg:off for size bytes and access acc: the linear
 * address, or #GP/#SS (SDM Vol. 3A, 5.3, 3.4.5; 64-bit: 3.3.7.1). */
uint64_t emu_seg_lin(struct emu_cpu *cpu, int seg, uint64_t off,
		     unsigned size, int acc);
bool emu_canonical(uint64_t a);

/* ---- fault.c ---- */
/* Deliver an event through the IVT/IDT (or exit if the exception bitmap
 * says so). Used by the run loop and VM-entry injection. */
void emu_deliver(struct emu_cpu *cpu, const struct emu_event *ev);
/* Run-loop side of emu_raise: classify (double fault, triple fault) and
 * deliver sys->fault. */
void emu_fault_dispatch(struct emu_cpu *cpu);
/* Raise #PF for lin with error code err: CR2 is written at delivery. */
_Noreturn void emu_raise_pf(struct emu_cpu *cpu, uint64_t lin, uint32_t err);
/* Task switch through a task gate or a far transfer to a TSS: a VM exit
 * (SDM Vol. 3C, 26.4.2 and 28.2.1 table for task switches). source: 0
 * CALL, 1 IRET, 2 JMP, 3 IDT gate. */
_Noreturn void emu_task_switch(struct emu_cpu *cpu, uint16_t sel,
			       int source);

/* Stack pushes and reads on the stack described by ss (possibly not
 * loaded yet) at *sp; flat 64-bit stacks with wide64 (SDM Vol. 3A, 6.14.2).
 * Supervisor pushes (sup) for inner-privilege stacks. */
void emu_stack_push(struct emu_cpu *cpu, const struct seg *ss, uint64_t *sp,
		    unsigned size, uint64_t v, bool wide64, bool sup);
uint64_t emu_stack_pop(struct emu_cpu *cpu, const struct seg *ss,
		       uint64_t *sp, unsigned size, bool wide64);
uint32_t emu_event_info(const struct emu_event *ev);

/* ---- seg.c ---- */
/* Descriptor at selector sel in the GDT/LDT (8 bytes, or 16 with wide
 * in long mode for system descriptors). Returns false if sel is beyond the
 * table limit (or the LDT is unusable). */
bool seg_read_desc(struct emu_cpu *cpu, uint16_t sel, uint64_t d[2],
		   bool wide);
/* Set the accessed bit of a code/data descriptor in memory. */
void seg_set_accessed(struct emu_cpu *cpu, uint16_t sel, uint64_t d);
/* Segment cache (VMX format) from a descriptor. */
void seg_from_desc(struct seg *s, uint16_t sel, uint64_t d0, uint64_t d1);
/* Real-address / virtual-8086 load: base = sel << 4. */
void seg_load_real(struct emu_cpu *cpu, int seg, uint16_t sel);
/* A null selector loaded into a data segment (unusable; SDM Vol. 3C,
 * 25.4.1). */
void seg_load_null(struct emu_cpu *cpu, int seg, uint16_t sel);
/* Stack segment check for a privilege change to cpl (SDM Vol. 3A, 5.8.5):
 * raises #TS(sel) / #SS(sel). */
void seg_check_stack(struct emu_cpu *cpu, uint16_t sel, uint64_t d,
		     int cpl);
/* After a CPL change, null data segments whose DPL < CPL (SDM Vol. 3A,
 * RET/IRET pseudocode). */
void seg_fix_data(struct emu_cpu *cpu);
/* Ring-n stack pointer from the current TSS (32-bit or 64-bit). */
void seg_tss_stack(struct emu_cpu *cpu, int cpl, uint16_t *ss,
		   uint64_t *sp);
uint64_t seg_tss_ist(struct emu_cpu *cpu, int ist);

static inline unsigned desc_type(uint64_t d) { return (d >> 40) & 0xf; }
static inline unsigned desc_s(uint64_t d) { return (d >> 44) & 1; }
static inline unsigned desc_dpl(uint64_t d) { return (d >> 45) & 3; }
static inline unsigned desc_p(uint64_t d) { return (d >> 47) & 1; }
static inline unsigned ar_dpl(uint32_t ar) { return (ar >> 5) & 3; }

/* ---- sys_cr.c ---- */
/* Architectural CR0/CR4/CR3/EFER writes (checks done by the caller):
 * paging-mode changes, TLB flushes, IA-32e activation (SDM Vol. 3A,
 * 10.8.5). */
void emu_set_cr0(struct emu_cpu *cpu, uint64_t v);
void emu_set_cr3(struct emu_cpu *cpu, uint64_t v);
void emu_set_cr4(struct emu_cpu *cpu, uint64_t v);
void emu_set_efer(struct emu_cpu *cpu, uint64_t v);
/* LMSW with source src (register or memory form per in). */
void emu_lmsw(struct emu_cpu *cpu, const struct insn *in, uint16_t src);

/* ---- sys_msr.c ---- */
/* MSR access as the framework holds them: true if msr is native for the
 * access (value read or written), false if it must exit. */
bool emu_msr_native_read(struct emu_cpu *cpu, uint32_t msr, uint64_t *v);
bool emu_msr_native_write(struct emu_cpu *cpu, uint32_t msr, uint64_t v);
/* Framework-held value of an MSR slot (STAR, LSTAR, KERNEL_GS_BASE...). */
uint64_t emu_msr_slot(struct emu_cpu *cpu, int slot);
void emu_msr_slot_set(struct emu_cpu *cpu, int slot, uint64_t v);

/* ---- sys_misc.c (helpers for grp6/grp7) ---- */
/* VM-exit instruction information of a ModRM operand: scaling, address
 * size, register/memory, segment, index, base, reg field (SDM Vol. 3C,
 * 28.2.5). */
uint32_t emu_insn_info(const struct insn *in);
void emu_rdtscp(struct emu_cpu *cpu);
void emu_vmx_grp7(struct emu_cpu *cpu, unsigned rm);
void emu_xgetbv(struct emu_cpu *cpu);
void emu_xsetbv(struct emu_cpu *cpu);

/* ---- run.c ---- */
/* Fill the exit fields for an instruction-caused exit and leave. */
_Noreturn void emu_exit_insn(struct emu_cpu *cpu, uint32_t reason,
			     uint64_t qual);
/* HLT without HLT exiting: enter the HLT activity state; the run loop
 * idles until an event or exit (SDM Vol. 3C, 26.1.3 and 27.7.4). */
void emu_halt(struct emu_cpu *cpu);

/* ---- vapic.c ---- */
/* The virtual-APIC page (SDM Vol. 3C, 30.1): VTPR as CR8 sees it. */
uint64_t emu_vtpr_cr8(struct emu_cpu *cpu);
/* MOV to CR8 with use TPR shadow: VTPR = v << 4, then TPR virtualization
 * (trap-like TPR-below-threshold exit; 30.1.2). */
void emu_vtpr_write_cr8(struct emu_cpu *cpu, uint64_t v);
/* After a virtualized write to VTPR through the APIC-access page: clear
 * bytes 81H-83H and virtualize the TPR (30.4.3.2). */
void emu_vtpr_written(struct emu_cpu *cpu);
/* An access to the APIC-access page at gpa: the virtual-APIC byte it is
 * virtualized to (a VTPR read or write with use TPR shadow), or an
 * APIC-access exit (reason 44; 30.4). */
uint8_t *emu_apic_access(struct emu_cpu *cpu, uint64_t gpa, int acc,
			 unsigned flags);

/* ---- state.c ---- */
void emu_state_load(struct emu_cpu *cpu);
void emu_state_store(struct emu_cpu *cpu);

#endif
