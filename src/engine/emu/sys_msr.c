/* SPDX-License-Identifier: MIT */
/* RDMSR/WRMSR: privilege checks first, then either the native path (the
 * MSR is framework-held and the vCPU grants the access: the engine reads
 * or writes the held value, VMCS-backed ones through the live state) or a
 * VM exit for the VMM to emulate. */
#include <Hypervisor/hv_types.h>

#include "exec.h"
#include "sys.h"

/* EFER: SCE, LME, LMA, NXE (SDM Vol. 3A, 2.2.1). */
#define EFER_VALID 0xd01ull

uint64_t emu_msr_slot(struct emu_cpu *cpu, int slot)
{
	return cpu->vcpu->msr[slot];
}

void emu_msr_slot_set(struct emu_cpu *cpu, int slot, uint64_t v)
{
	cpu->vcpu->msr[slot] = v;
}

static int native_slot(struct emu_cpu *cpu, uint32_t msr, uint8_t acc,
		       const struct msr_desc **d)
{
	int slot = msr_lookup(msr, d);

	if (slot < 0 || !(cpu->vcpu->msr_native[slot] & acc))
		return -1;
	return slot;
}

bool emu_msr_native_read(struct emu_cpu *cpu, uint32_t msr, uint64_t *v)
{
	const struct msr_desc *d;
	int slot = native_slot(cpu, msr, HV_MSR_READ, &d);

	if (slot < 0)
		return false;
	if (slot == MS_TSC)
		*v = core_guest_tsc(cpu->vcpu);
	else if (slot == MS_FS_BASE)
		*v = cpu->seg[SEG_FS].base;
	else if (slot == MS_GS_BASE)
		*v = cpu->seg[SEG_GS].base;
	else if (slot == MS_EFER)
		*v = cpu->efer;
	else if (d->vmcs_idx >= 0)
		*v = cpu->vcpu->vmcs.v[d->vmcs_idx];
	else
		*v = cpu->vcpu->msr[slot];
	return true;
}

/* Value checks of a native WRMSR raise #GP(0) (SDM Vol. 2B, WRMSR; EFER:
 * Vol. 3A, 10.8.5: LME may not change while paging is on). */
static void write_checks(struct emu_cpu *cpu, const struct msr_desc *d,
			 int slot, uint64_t v)
{
	if ((d->flags & MSRF_C) && !emu_canonical(v))
		emu_raise(cpu, EXC_GP, 0);
	if ((d->flags & MSRF_L) && (v >> 32))
		emu_raise(cpu, EXC_GP, 0);
	if (slot == MS_EFER &&
	    ((v & ~EFER_VALID) ||
	     (((v ^ cpu->efer) & EFER_LME) && (cpu->cr0 & CR0_PG))))
		emu_raise(cpu, EXC_GP, 0);
}

bool emu_msr_native_write(struct emu_cpu *cpu, uint32_t msr, uint64_t v)
{
	const struct msr_desc *d;
	int slot = native_slot(cpu, msr, HV_MSR_WRITE, &d);

	if (slot < 0)
		return false;
	write_checks(cpu, d, slot, v);
	if (slot == MS_TSC)
		core_set_guest_tsc(cpu->vcpu, v);
	else if (slot == MS_FS_BASE)
		cpu->seg[SEG_FS].base = v;
	else if (slot == MS_GS_BASE)
		cpu->seg[SEG_GS].base = v;
	else if (slot == MS_EFER)
		emu_set_efer(cpu, v);
	else if (d->vmcs_idx >= 0)
		cpu->vcpu->vmcs.v[d->vmcs_idx] = v;
	else
		cpu->vcpu->msr[slot] = v;
	return true;
}

/* #UD/#GP for CPL > 0 come before the exit decision (SDM Vol. 3C,
 * 26.1.1); without an MSR bitmap every other access exits (26.1.3). */
static void msr_priv(struct emu_cpu *cpu)
{
	if (cpu->cpl != 0 || cpu->mode == MODE_V86)
		emu_raise(cpu, EXC_GP, 0);
}

void exec_sys_rdmsr(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t v;

	(void)in;
	msr_priv(cpu);
	if (!emu_msr_native_read(cpu, (uint32_t)cpu->gpr[GPR_RCX], &v))
		emu_exit_insn(cpu, VMX_REASON_RDMSR, 0);
	cpu->gpr[GPR_RAX] = (uint32_t)v;
	cpu->gpr[GPR_RDX] = (uint32_t)(v >> 32);
}

void exec_sys_wrmsr(struct emu_cpu *cpu, const struct insn *in)
{
	uint64_t v = (uint32_t)cpu->gpr[GPR_RAX] |
		     ((uint64_t)(uint32_t)cpu->gpr[GPR_RDX] << 32);

	(void)in;
	msr_priv(cpu);
	if (!emu_msr_native_write(cpu, (uint32_t)cpu->gpr[GPR_RCX], v))
		emu_exit_insn(cpu, VMX_REASON_WRMSR, 0);
}
