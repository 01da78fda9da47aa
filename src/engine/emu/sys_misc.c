/* SPDX-License-Identifier: MIT */
/* System instructions without descriptor-table work: CPUID, port I/O,
 * HLT, software interrupts, TSC and random-number reads, the
 * unconditionally exiting instructions, and the IF/IOPL-sensitive
 * CLI/STI/PUSHF/POPF. */
#include <Hypervisor/hv_vmx.h>

#include "exec.h"
#include "sys.h"

static bool v86_or_real(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_REAL || cpu->mode == MODE_V86;
}

static unsigned iopl(const struct emu_cpu *cpu)
{
	return (unsigned)(cpu->rflags & RF_IOPL) >> 12;
}

/* CPUID exits unconditionally (SDM Vol. 3C, 26.1.2). */
void exec_sys_cpuid(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_exit_insn(cpu, VMX_REASON_CPUID, 0);
}

/* IN/OUT with an immediate port (E4-E7) or DX (EC-EF); byte forms have
 * even opcodes. */
static void port_io(struct emu_cpu *cpu, const struct insn *in, bool in_dir)
{
	unsigned size = (in->op & 1) ? (in->opsize == 2 ? 2 : 4) : 1;
	uint16_t port = in->op >= 0xec ? (uint16_t)cpu->gpr[GPR_RDX] :
					 (uint16_t)in->imm;

	emu_io(cpu, in, port, size, in_dir, false);
}

void exec_sys_in(struct emu_cpu *cpu, const struct insn *in)
{
	port_io(cpu, in, true);
}

void exec_sys_out(struct emu_cpu *cpu, const struct insn *in)
{
	port_io(cpu, in, false);
}

/* HLT: #GP(0) above CPL 0, then a VM exit with HLT exiting (SDM Vol. 3C,
 * 26.1.1, 26.1.3); without it the vCPU enters the HLT activity state and
 * the run loop idles (run.c). */
void exec_sys_hlt(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	if (sys_of(cpu)->proc & CPU_BASED_HLT)
		emu_exit_insn(cpu, VMX_REASON_HLT, 0);
	emu_halt(cpu);
}

/* PAUSE exiting exits on every PAUSE; PAUSE-loop exiting (CPL 0 only)
 * exits when PAUSEs closer together than PLE_GAP TSC ticks have gone on
 * for more than PLE_WINDOW ticks; the first PAUSE after VM entry starts a
 * loop (SDM Vol. 3C, 26.1.3). */
void emu_pause(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t now;

	if (s->proc & CPU_BASED_PAUSE)
		emu_exit_insn(cpu, VMX_REASON_PAUSE, 0);
	if (!(s->proc2 & CPU_BASED2_PAUSE_LOOP) || cpu->cpl != 0)
		return;
	now = core_guest_tsc(cpu->vcpu);
	if (s->ple_last == 0 || now - s->ple_last > s->ple_gap)
		s->ple_first = now;
	s->ple_last = now;
	if (now - s->ple_first > s->ple_window)
		emu_exit_insn(cpu, VMX_REASON_PAUSE, 0);
}

void exec_sys_int(struct emu_cpu *cpu, const struct insn *in)
{
	emu_soft_int(cpu, (int)(in->imm & 0xff), SOFT_INTN);
}

void exec_sys_int3(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_soft_int(cpu, EXC_BP, SOFT_INT3);
}

void exec_sys_into(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (emu_get_rflags(cpu) & RF_OF)
		emu_soft_int(cpu, EXC_OF, SOFT_INTO);
}

void exec_sys_int1(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_soft_int(cpu, EXC_DB, SOFT_INT1);
}

/* ------------------------------------------------------------------ */
/* Time stamp counter (SDM Vol. 2B, RDTSC/RDTSCP; VMX: Vol. 3C, 26.1.3)  */

static void set_edx_eax(struct emu_cpu *cpu, uint64_t v)
{
	cpu->gpr[GPR_RAX] = (uint32_t)v;
	cpu->gpr[GPR_RDX] = (uint32_t)(v >> 32);
}

static void tsc_checks(struct emu_cpu *cpu)
{
	if ((cpu->cr4 & CR4_TSD) && cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
}

void exec_sys_rdtsc(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	tsc_checks(cpu);
	if (sys_of(cpu)->proc & CPU_BASED_RDTSC)
		emu_exit_insn(cpu, VMX_REASON_RDTSC, 0);
	set_edx_eax(cpu, core_guest_tsc(cpu->vcpu));
}

/* RDTSCP and RDPID need "enable RDTSCP" (SDM Vol. 3C, 25.6.2). */
void emu_rdtscp(struct emu_cpu *cpu)
{
	if (!(sys_of(cpu)->proc2 & CPU_BASED2_RDTSCP))
		emu_raise(cpu, EXC_UD, 0);
	tsc_checks(cpu);
	if (sys_of(cpu)->proc & CPU_BASED_RDTSC)
		emu_exit_insn(cpu, VMX_REASON_RDTSCP, 0);
	set_edx_eax(cpu, core_guest_tsc(cpu->vcpu));
	cpu->gpr[GPR_RCX] = (uint32_t)cpu->vcpu->msr[MS_TSC_AUX];
}

void exec_sys_rdpid(struct emu_cpu *cpu, const struct insn *in)
{
	if (!(sys_of(cpu)->proc2 & CPU_BASED2_RDTSCP))
		emu_raise(cpu, EXC_UD, 0);
	cpu->gpr[in->rm] = (uint32_t)cpu->vcpu->msr[MS_TSC_AUX];
}

/* No performance counters are modelled: RDPMC exits when asked to, else
 * #GP (SDM Vol. 2B, RDPMC: invalid counter). */
void exec_sys_rdpmc(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (cpu->cpl != 0 && !(cpu->cr4 & (1ull << 8)))
		emu_raise(cpu, EXC_GP, 0);
	if (sys_of(cpu)->proc & CPU_BASED_RDPMC)
		emu_exit_insn(cpu, VMX_REASON_RDPMC, 0);
	emu_raise(cpu, EXC_GP, 0);
}

/* ------------------------------------------------------------------ */
/* Caches, random numbers                                              */

void exec_sys_invd(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	emu_exit_insn(cpu, VMX_REASON_INVD, 0);
}

void exec_sys_wbinvd(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	if (sys_of(cpu)->proc2 & CPU_BASED2_WBINVD)
		emu_exit_insn(cpu, VMX_REASON_WBINVD, 0);
}

/* RDRAND/RDSEED: CF = 1 with a value, or CF = 0 and 0; OF SF ZF AF PF
 * cleared (SDM Vol. 2B, RDRAND). Exits with the secondary controls. */
static void random_to(struct emu_cpu *cpu, const struct insn *in,
		      uint32_t ctl, uint32_t reason)
{
	uint64_t v = 0;
	bool ok;

	struct emu_sys *s = sys_of(cpu);

	/* Instruction information: destination register 6:3, operand size
	 * 12:11 (0 16-bit, 1 32-bit, 2 64-bit; SDM Vol. 3C, 28.2.5). */
	if (s->proc2 & ctl) {
		s->exit_instr_info = ((uint32_t)(in->rm & 15) << 3) |
				     ((in->opsize == 2 ? 0u : in->opsize == 4 ?
				       1u : 2u) << 11);
		s->has_instr_info = true;
		emu_exit_insn(cpu, reason, 0);
	}
	ok = core_random(&v);
	emu_reg_set(cpu, in->rm, in->opsize, in->rex != 0, ok ? v : 0);
	emu_set_arith(cpu, RF_ARITH, ok ? RF_CF : 0);
}

void exec_sys_rdrand(struct emu_cpu *cpu, const struct insn *in)
{
	random_to(cpu, in, CPU_BASED2_RDRAND, VMX_REASON_RDRAND);
}

void exec_sys_rdseed(struct emu_cpu *cpu, const struct insn *in)
{
	random_to(cpu, in, CPU_BASED2_RDSEED, VMX_REASON_RDSEED);
}

/* ------------------------------------------------------------------ */
/* Unconditional exits (SDM Vol. 3C, 26.1.2)                            */

/* VM-exit instruction information for VMX instructions (SDM Vol. 3C,
 * 28.2.5 table for VMREAD/VMWRITE/INVEPT...): scale 1:0, address size 9:7,
 * register operand 10, segment 17:15, index 21:18 (+ invalid 22), base
 * 26:23 (+ invalid 27), register 2 31:28. */
uint32_t emu_insn_info(const struct insn *in)
{
	uint32_t v = (uint32_t)in->scale |
		     ((uint32_t)(in->adsize == 2 ? 0 : in->adsize == 4 ? 1 : 2)
		      << 7) | ((uint32_t)(in->reg & 15) << 28);

	if (in->mod == 3)
		return v | (1u << 10) | ((uint32_t)(in->rm & 15) << 3);
	v |= (uint32_t)(in->seg & 7) << 15;
	v |= in->index == 0xff ? (1u << 22) : (uint32_t)(in->index & 15) << 18;
	v |= (in->base == 0xff || in->base == 0x10) ? (1u << 27) :
	     (uint32_t)(in->base & 15) << 23;
	return v;
}

static uint32_t vmx_reason(const struct insn *in)
{
	if (in->map == 1 && in->op == 0x78)
		return VMX_REASON_VMREAD;
	if (in->map == 1 && in->op == 0x79)
		return VMX_REASON_VMWRITE;
	if (in->map == 2)
		return in->op == 0x80 ? VMX_REASON_EPT_INVEPT :
					VMX_REASON_INVVPID;
	if (in->reg == 7)
		return VMX_REASON_VMPTRST;
	if (in->rep == 0xf3)
		return VMX_REASON_VMON;
	return in->pfx66 ? VMX_REASON_VMCLEAR : VMX_REASON_VMPTRLD;
}

/* VMX instructions are #UD in real, virtual-8086 and compatibility mode;
 * that check comes before the exit (SDM Vol. 3C, 26.1.1 and the
 * instruction pages of chapter 31). */
static void vmx_mode_check(struct emu_cpu *cpu)
{
	if (v86_or_real(cpu) || cpu->mode == MODE_COMPAT)
		emu_raise(cpu, EXC_UD, 0);
}

/* VMREAD (0F 78) / VMWRITE (0F 79) with VMCS shadowing served from the
 * shadow VMCS where hv_vmx_vcpu_set_shadow_access allows it (the
 * VMREAD/VMWRITE bitmaps; SDM Vol. 3C, 26.1.3, 25.6.15). Outside 64-bit
 * mode operands are 32 bits. The #GP for CPL > 0 follows the decision
 * not to exit; success is VMsucceed (all arithmetic flags clear). */
static bool vmcs_shadow(struct emu_cpu *cpu, const struct insn *in,
			bool write)
{
	struct vcpu *v = cpu->vcpu;
	unsigned osz = cpu->mode == MODE_LONG ? 8 : 4;
	uint32_t field = (uint32_t)cpu->gpr[in->reg];
	int idx;

	if (!(sys_of(cpu)->proc2 & CPU_BASED2_VMCS_SHADOW))
		return false;
	idx = vmcs_index(field);
	if (idx < 0 || vmcs_fields[idx].acc == VMCS_ACC_NA ||
	    !(v->shadow_acc[idx] & (write ? HV_SHADOW_VMCS_WRITE :
					    HV_SHADOW_VMCS_READ)))
		return false;
	if (cpu->cpl != 0)
		emu_raise(cpu, EXC_GP, 0);
	if (write)
		v->shadow.v[idx] = emu_rm_get(cpu, in, osz) &
				   vmcs_enc_mask(field);
	else
		emu_rm_set(cpu, in, osz, v->shadow.v[idx]);
	emu_set_arith(cpu, RF_ARITH, 0);
	return true;
}

void exec_sys_vmx(struct emu_cpu *cpu, const struct insn *in)
{
	struct emu_sys *s = sys_of(cpu);

	vmx_mode_check(cpu);
	if (in->map == 1 && (in->op == 0x78 || in->op == 0x79) &&
	    vmcs_shadow(cpu, in, in->op == 0x79))
		return;
	s->exit_instr_info = emu_insn_info(in);
	s->has_instr_info = true;
	emu_exit_insn(cpu, vmx_reason(in), in->mod == 3 ? 0 :
		      (uint64_t)in->disp);
}

/* VMCALL, VMLAUNCH, VMRESUME, VMXOFF (0F 01 C1-C4). */
void emu_vmx_grp7(struct emu_cpu *cpu, unsigned rm)
{
	static const uint32_t reasons[] = { 0, VMX_REASON_VMCALL,
					    VMX_REASON_VMLAUNCH,
					    VMX_REASON_VMRESUME,
					    VMX_REASON_VMOFF };

	if (rm == 0 || rm > 4)
		emu_raise(cpu, EXC_UD, 0);
	/* VMCALL exits in every mode; VMLAUNCH, VMRESUME and VMXOFF are #UD
	 * in real, virtual-8086 and compatibility mode first. */
	if (rm != 1)
		vmx_mode_check(cpu);
	emu_exit_insn(cpu, reasons[rm], 0);
}

/* GETSEC: #UD unless CR4.SMXE, then an exit (SDM Vol. 3C, 26.1.2). */
void exec_sys_getsec(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	if (!(cpu->cr4 & (1ull << 14)))
		emu_raise(cpu, EXC_UD, 0);
	emu_exit_insn(cpu, VMX_REASON_GETSEC, 0);
}

/* RSM outside SMM is #UD (SDM Vol. 2B, RSM). */
void exec_sys_rsm(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}

void exec_sys_ud(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	emu_raise(cpu, EXC_UD, 0);
}

/* XGETBV (SDM Vol. 2C): #UD without CR4.OSXSAVE, #GP for ECX other than
 * 0. XSETBV exits unconditionally (SDM Vol. 3C, 26.1.2). */
void emu_xgetbv(struct emu_cpu *cpu)
{
	if (!(cpu->cr4 & CR4_OSXSAVE))
		emu_raise(cpu, EXC_UD, 0);
	if ((uint32_t)cpu->gpr[GPR_RCX] != 0)
		emu_raise(cpu, EXC_GP, 0);
	set_edx_eax(cpu, cpu->xcr0);
}

void emu_xsetbv(struct emu_cpu *cpu)
{
	if (!(cpu->cr4 & CR4_OSXSAVE))
		emu_raise(cpu, EXC_UD, 0);
	emu_exit_insn(cpu, VMX_REASON_XSETBV, 0);
}

/* ------------------------------------------------------------------ */
/* IF and RFLAGS (SDM Vol. 2A/2B CLI, STI, PUSHF, POPF; Vol. 3A 20.2.x   */
/* for virtual-8086 mode; the CR4.VME/PVI virtual flags are not modelled) */

static void iopl_check(struct emu_cpu *cpu)
{
	if (cpu->mode == MODE_REAL)
		return;
	if ((unsigned)cpu->cpl > iopl(cpu) ||
	    (cpu->mode == MODE_V86 && iopl(cpu) < 3))
		emu_raise(cpu, EXC_GP, 0);
}

void exec_sys_cli(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	iopl_check(cpu);
	cpu->rflags &= ~(uint64_t)RF_IF;
}

/* STI blocks interrupts for one instruction if IF was 0 (SDM Vol. 3A,
 * 6.8.3). */
void exec_sys_sti(struct emu_cpu *cpu, const struct insn *in)
{
	(void)in;
	iopl_check(cpu);
	if (!(cpu->rflags & RF_IF))
		cpu->intr_shadow = GUEST_INTRBILITY_STI_BLOCKING;
	cpu->rflags |= RF_IF;
}

void exec_sys_pushf(struct emu_cpu *cpu, const struct insn *in)
{
	if (cpu->mode == MODE_V86 && iopl(cpu) < 3)
		emu_raise(cpu, EXC_GP, 0);
	/* VM and RF are cleared in the image (SDM Vol. 2B, PUSHF). */
	emu_push(cpu, in->opsize,
		 emu_get_rflags(cpu) & ~(uint64_t)(RF_VM | RF_RF));
}

void exec_sys_popf(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t mask = RF_ARITH | RF_TF | RF_DF | RF_NT | RF_AC | RF_ID;
	uint64_t v, old = emu_get_rflags(cpu);

	if (cpu->mode == MODE_V86 && iopl(cpu) < 3)
		emu_raise(cpu, EXC_GP, 0);
	v = emu_pop(cpu, in->opsize);
	if (cpu->cpl == 0 && cpu->mode != MODE_V86)
		mask |= RF_IOPL;
	if ((unsigned)cpu->cpl <= iopl(cpu))
		mask |= RF_IF;
	if (in->opsize == 2)
		mask &= 0xffff;
	emu_set_rflags(cpu, ((old & ~mask) | (v & mask) | 2) &
		       ~(uint64_t)RF_RF);
}
