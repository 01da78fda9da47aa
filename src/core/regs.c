/* SPDX-License-Identifier: MIT */
/* The register table: where each hv_x86_reg_t lives (docs/compat.md,
 * "Registers"). */
#include "regs.h"

#include "caps.h"
#include "clock.h"
#include "vcpu.h"

enum reg_kind { RK_NONE, RK_GPR, RK_VMCS, RK_DR, RK_DR6, RK_CR1, RK_CR2,
		RK_XCR0, RK_TPR };

struct reg_desc {
	enum reg_kind kind;
	uint32_t arg;  /* GPR number, VMCS encoding or DR number */
};

#define GPR(n) { RK_GPR, GPR_##n }
#define FLD(f) { RK_VMCS, f }

static const struct reg_desc reg_table[HV_X86_REGISTERS_MAX] = {
	[HV_X86_RIP] = FLD(VMCS_GUEST_RIP),
	[HV_X86_RFLAGS] = FLD(VMCS_GUEST_RFLAGS),
	[HV_X86_RAX] = GPR(RAX),
	[HV_X86_RCX] = GPR(RCX),
	[HV_X86_RDX] = GPR(RDX),
	[HV_X86_RBX] = GPR(RBX),
	[HV_X86_RSI] = GPR(RSI),
	[HV_X86_RDI] = GPR(RDI),
	[HV_X86_RSP] = FLD(VMCS_GUEST_RSP),
	[HV_X86_RBP] = GPR(RBP),
	[HV_X86_R8] = GPR(R8),
	[HV_X86_R9] = GPR(R9),
	[HV_X86_R10] = GPR(R10),
	[HV_X86_R11] = GPR(R11),
	[HV_X86_R12] = GPR(R12),
	[HV_X86_R13] = GPR(R13),
	[HV_X86_R14] = GPR(R14),
	[HV_X86_R15] = GPR(R15),
	[HV_X86_CS] = FLD(VMCS_GUEST_CS),
	[HV_X86_SS] = FLD(VMCS_GUEST_SS),
	[HV_X86_DS] = FLD(VMCS_GUEST_DS),
	[HV_X86_ES] = FLD(VMCS_GUEST_ES),
	[HV_X86_FS] = FLD(VMCS_GUEST_FS),
	[HV_X86_GS] = FLD(VMCS_GUEST_GS),
	[HV_X86_IDT_BASE] = FLD(VMCS_GUEST_IDTR_BASE),
	[HV_X86_IDT_LIMIT] = FLD(VMCS_GUEST_IDTR_LIMIT),
	[HV_X86_GDT_BASE] = FLD(VMCS_GUEST_GDTR_BASE),
	[HV_X86_GDT_LIMIT] = FLD(VMCS_GUEST_GDTR_LIMIT),
	[HV_X86_LDTR] = FLD(VMCS_GUEST_LDTR),
	[HV_X86_LDT_BASE] = FLD(VMCS_GUEST_LDTR_BASE),
	[HV_X86_LDT_LIMIT] = FLD(VMCS_GUEST_LDTR_LIMIT),
	[HV_X86_LDT_AR] = FLD(VMCS_GUEST_LDTR_AR),
	[HV_X86_TR] = FLD(VMCS_GUEST_TR),
	[HV_X86_TSS_BASE] = FLD(VMCS_GUEST_TR_BASE),
	[HV_X86_TSS_LIMIT] = FLD(VMCS_GUEST_TR_LIMIT),
	[HV_X86_TSS_AR] = FLD(VMCS_GUEST_TR_AR),
	[HV_X86_CR0] = FLD(VMCS_GUEST_CR0),
	[HV_X86_CR1] = { RK_CR1, 0 },
	[HV_X86_CR2] = { RK_CR2, 0 },
	[HV_X86_CR3] = FLD(VMCS_GUEST_CR3),
	[HV_X86_CR4] = FLD(VMCS_GUEST_CR4),
	[HV_X86_DR0] = { RK_DR, 0 },
	[HV_X86_DR1] = { RK_DR, 1 },
	[HV_X86_DR2] = { RK_DR, 2 },
	[HV_X86_DR3] = { RK_DR, 3 },
	/* DR4/DR5 alias DR6/DR7 as with CR4.DE = 0 (SDM Vol. 3B, 19.2.2). */
	[HV_X86_DR4] = { RK_DR6, 0 },
	[HV_X86_DR5] = FLD(VMCS_GUEST_DR7),
	[HV_X86_DR6] = { RK_DR6, 0 },
	[HV_X86_DR7] = FLD(VMCS_GUEST_DR7),
	[HV_X86_TPR] = { RK_TPR, 0 },
	[HV_X86_XCR0] = { RK_XCR0, 0 },
};

/* Register of value reg, or NULL. */
static const struct reg_desc *reg_find(hv_x86_reg_t reg)
{
	if ((unsigned)reg >= HV_X86_REGISTERS_MAX)
		return NULL;
	return &reg_table[reg];
}

/* APIC TPR offset in the virtual-APIC page (SDM Vol. 3C, 30.1.1). */
#define VAPIC_TPR 0x80

hv_return_t regs_read(struct vcpu *v, hv_x86_reg_t reg, uint64_t *value)
{
	const struct reg_desc *d = reg_find(reg);

	if (!d)
		return HV_BAD_ARGUMENT;
	switch (d->kind) {
	case RK_GPR:
		*value = v->gpr[d->arg];
		return HV_SUCCESS;
	case RK_VMCS:
		*value = v->vmcs.v[vmcs_index(d->arg)];
		return HV_SUCCESS;
	case RK_DR:
		*value = v->dr[d->arg];
		return HV_SUCCESS;
	case RK_DR6:
		*value = v->dr6;
		return HV_SUCCESS;
	case RK_CR1:
		*value = 0;
		return HV_SUCCESS;
	case RK_CR2:
		*value = v->cr2;
		return HV_SUCCESS;
	case RK_XCR0:
		*value = v->xcr0;
		return HV_SUCCESS;
	case RK_TPR:
		*value = v->vapic[VAPIC_TPR];
		return HV_SUCCESS;
	default:
		return HV_BAD_ARGUMENT;
	}
}

/* XCR0 rules (SDM Vol. 1, 13.3): x87 always set, AVX needs SSE; bits the
 * CPU model lacks are ignored, as macOS ignores bits the host lacks. */
static hv_return_t xcr0_write(struct vcpu *v, uint64_t value)
{
	value &= XCR0_SUPPORTED;
	if (!(value & 1) || ((value & 4) && !(value & 2)))
		return HV_BAD_ARGUMENT;
	v->xcr0 = value;
	return HV_SUCCESS;
}

hv_return_t regs_write(struct vcpu *v, hv_x86_reg_t reg, uint64_t value)
{
	const struct reg_desc *d = reg_find(reg);

	if (!d)
		return HV_BAD_ARGUMENT;
	switch (d->kind) {
	case RK_GPR:
		v->gpr[d->arg] = value;
		return HV_SUCCESS;
	case RK_VMCS:
		return vmcs_client_write(v, d->arg, value);
	case RK_DR:
		v->dr[d->arg] = value;
		return HV_SUCCESS;
	case RK_DR6:
		/* Bits 63:32 of DR6 are reserved (SDM Vol. 3B, 19.2.3). */
		if (value >> 32)
			return HV_BAD_ARGUMENT;
		v->dr6 = value;
		return HV_SUCCESS;
	case RK_CR1:
		return value ? HV_BAD_ARGUMENT : HV_SUCCESS;
	case RK_CR2:
		v->cr2 = value;
		return HV_SUCCESS;
	case RK_XCR0:
		return xcr0_write(v, value);
	case RK_TPR:
		if (value > 0xff)
			return HV_BAD_ARGUMENT;
		v->vapic[VAPIC_TPR] = (uint8_t)value;
		return HV_SUCCESS;
	default:
		return HV_BAD_ARGUMENT;
	}
}

hv_return_t vmcs_client_read(struct vcpu *v, uint32_t field, uint64_t *value)
{
	int idx = vmcs_index(field);

	if (idx < 0 || vmcs_fields[idx].acc == VMCS_ACC_NA)
		return HV_BAD_ARGUMENT;
	if (field == VMCS_CTRL_TSC_OFFSET)
		*value = core_tsc_offset(v);
	else
		*value = v->vmcs.v[idx];
	return HV_SUCCESS;
}

hv_return_t vmcs_client_write(struct vcpu *v, uint32_t field, uint64_t value)
{
	int idx = vmcs_index(field);

	if (idx < 0)
		return HV_BAD_ARGUMENT;
	switch (vmcs_fields[idx].acc) {
	case VMCS_ACC_RW:
		if (value & ~vmcs_enc_mask(field))
			return HV_BAD_ARGUMENT;
		break;
	case VMCS_ACC_CTL:
	case VMCS_ACC_CR0:
	case VMCS_ACC_ACT:
		if (!caps_write_ok(field, value))
			return HV_BAD_ARGUMENT;
		break;
	default:
		return HV_BAD_ARGUMENT;
	}
	v->vmcs.v[idx] = value;
	return HV_SUCCESS;
}
