/* SPDX-License-Identifier: MIT */
/* Fast system calls: SYSCALL/SYSRET (STAR, LSTAR, FMASK) and
 * SYSENTER/SYSEXIT (IA32_SYSENTER_*). Segment caches are loaded with fixed
 * flat values, not from the GDT, as the SDM pseudocode says. */
#include "exec.h"
#include "sys.h"

/* Flat 4-GByte caches in VMX access-rights format: type, S, DPL, P, L/D,
 * G (SDM Vol. 3C, 25.4.1). */
#define AR_CODE64(dpl) (0xa09bu | ((uint32_t)(dpl) << 5))
#define AR_CODE32(dpl) (0xc09bu | ((uint32_t)(dpl) << 5))
#define AR_DATA(dpl) (0xc093u | ((uint32_t)(dpl) << 5))

static void flat(struct seg *s, uint16_t sel, uint32_t ar)
{
	s->sel = sel;
	s->base = 0;
	s->limit = 0xffffffffu;
	s->ar = ar;
}

/* SYSCALL (SDM Vol. 2B): 64-bit mode with EFER.SCE; RCX = next RIP, R11 =
 * RFLAGS, RFLAGS &= ~FMASK, CS/SS from STAR[47:32]. */
void exec_sys_syscall(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t star = emu_msr_slot(cpu, MS_STAR);
	uint16_t sel = (uint16_t)(star >> 32);
	uint64_t fl = emu_get_rflags(cpu);

	(void)in;
	if (cpu->mode != MODE_LONG || !(cpu->efer & EFER_SCE))
		emu_raise(cpu, EXC_UD, 0);
	cpu->gpr[GPR_RCX] = cpu->rip;
	cpu->gpr[GPR_R11] = fl & ~(uint64_t)RF_RF;
	emu_set_rflags(cpu, (fl & ~emu_msr_slot(cpu, MS_FMASK) &
			     ~(uint64_t)RF_RF) | 2);
	flat(&cpu->seg[SEG_CS], sel & 0xfffc, AR_CODE64(0));
	flat(&cpu->seg[SEG_SS], (uint16_t)(sel + 8), AR_DATA(0));
	cpu->rip = emu_msr_slot(cpu, MS_LSTAR);
	emu_update_mode(cpu);
}

/* SYSRET (SDM Vol. 2B): CPL 0 in 64-bit mode; CS/SS from STAR[63:48] with
 * RPL 3; RCX must be canonical for a 64-bit return. */
void exec_sys_sysret(struct emu_cpu *cpu, const struct insn *in)
{
	uint16_t sel = (uint16_t)(emu_msr_slot(cpu, MS_STAR) >> 48);
	bool to64 = in->opsize == 8;

	if (cpu->mode != MODE_LONG || !(cpu->efer & EFER_SCE))
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cpl != 0 || (to64 && !emu_canonical(cpu->gpr[GPR_RCX])))
		emu_raise(cpu, EXC_GP, 0);
	emu_set_rflags(cpu, (cpu->gpr[GPR_R11] & 0x3c7fd7ull) | 2);
	if (to64) {
		cpu->rip = cpu->gpr[GPR_RCX];
		flat(&cpu->seg[SEG_CS], (uint16_t)((sel + 16) | 3),
		     AR_CODE64(3));
	} else {
		cpu->rip = (uint32_t)cpu->gpr[GPR_RCX];
		flat(&cpu->seg[SEG_CS], (uint16_t)(sel | 3), AR_CODE32(3));
	}
	flat(&cpu->seg[SEG_SS], (uint16_t)((sel + 8) | 3), AR_DATA(3));
	emu_update_mode(cpu);
}

static uint64_t sysenter_cs(struct emu_cpu *cpu)
{
	return VMCS(&cpu->vcpu->vmcs, VMCS_GUEST_IA32_SYSENTER_CS);
}

/* SYSENTER (SDM Vol. 2B): protected mode, IA32_SYSENTER_CS[15:2] != 0;
 * VM, IF, RF cleared; 64-bit code if IA-32e mode is active. */
void exec_sys_sysenter(struct emu_cpu *cpu, const struct insn *in)
{
	const struct vmcs_store *st = &cpu->vcpu->vmcs;
	uint16_t sel = (uint16_t)sysenter_cs(cpu);
	bool lm = cpu->efer & EFER_LMA;

	(void)in;
	if (!(cpu->cr0 & CR0_PE) || (sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	emu_set_rflags(cpu, emu_get_rflags(cpu) &
		       ~(uint64_t)(RF_VM | RF_IF | RF_RF));
	flat(&cpu->seg[SEG_CS], sel & 0xfffc, lm ? AR_CODE64(0) : AR_CODE32(0));
	flat(&cpu->seg[SEG_SS], (uint16_t)((sel & 0xfffc) + 8), AR_DATA(0));
	cpu->gpr[4] = VMCS(st, VMCS_GUEST_SYSENTER_ESP);
	cpu->rip = VMCS(st, VMCS_GUEST_SYSENTER_EIP);
	if (!lm) {
		cpu->gpr[4] &= 0xffffffffull;
		cpu->rip &= 0xffffffffull;
	}
	emu_update_mode(cpu);
}

/* SYSEXIT (SDM Vol. 2B): CPL 0; returns to RDX/RCX with CS
 * SYSENTER_CS+16 (+32 for 64-bit, REX.W) and SS 8 above it, RPL 3. */
void exec_sys_sysexit(struct emu_cpu *cpu, const struct insn *in)
{
	uint16_t sel = (uint16_t)sysenter_cs(cpu);
	bool to64 = in->opsize == 8;

	if (!(cpu->cr0 & CR0_PE) || cpu->mode == MODE_V86 || cpu->cpl != 0 ||
	    (sel & 0xfffc) == 0)
		emu_raise(cpu, EXC_GP, 0);
	if (to64) {
		if (!emu_canonical(cpu->gpr[GPR_RDX]) ||
		    !emu_canonical(cpu->gpr[GPR_RCX]))
			emu_raise(cpu, EXC_GP, 0);
		flat(&cpu->seg[SEG_CS], (uint16_t)((sel + 32) | 3),
		     AR_CODE64(3));
		flat(&cpu->seg[SEG_SS], (uint16_t)((sel + 40) | 3),
		     AR_DATA(3));
		cpu->rip = cpu->gpr[GPR_RDX];
		cpu->gpr[4] = cpu->gpr[GPR_RCX];
	} else {
		flat(&cpu->seg[SEG_CS], (uint16_t)((sel + 16) | 3),
		     AR_CODE32(3));
		flat(&cpu->seg[SEG_SS], (uint16_t)((sel + 24) | 3),
		     AR_DATA(3));
		cpu->rip = (uint32_t)cpu->gpr[GPR_RDX];
		cpu->gpr[4] = (uint32_t)cpu->gpr[GPR_RCX];
	}
	emu_update_mode(cpu);
}
