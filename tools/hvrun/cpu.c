/* SPDX-License-Identifier: MIT */
/* The CPU side of hvrun: VMCS controls of each vCPU, initial register
 * state, interrupt injection, and the exits a VMM emulates for the CPU:
 * CPUID, RDMSR/WRMSR, control-register accesses, XSETBV, HLT, VMCALL,
 * port I/O, triple fault and VM-entry failure. Intel SDM Vol. 3C
 * (order 325462-084) chapters 25-28 for the VMX rules cited below. */
#include "hvrun.h"

#include <stdio.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__has_include)
#if __has_include(<Hypervisor/hv_openhvf.h>)
#include <Hypervisor/hv_openhvf.h>
#endif
#endif

#define CR0_PE 0x1ull
#define CR0_NE 0x20ull
#define CR0_WP (1ull << 16)
#define CR0_NW (1ull << 29)
#define CR0_CD (1ull << 30)
#define CR0_PG (1ull << 31)
#define CR4_PAE 0x20ull
#define CR4_VMXE 0x2000ull
#define CR4_PCIDE (1ull << 17)
#define CR4_OSXSAVE (1ull << 18)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_RW 0xd01ull /* SCE, LME, NXE (SDM Vol. 3A 2.2.1) */
#define RFLAGS_IF 0x200ull

/* Guest-owned CR0 bits a VMM must see change (SDM 25.6.6): PG for the
 * IA-32e mode entry control, CD/NW which the framework refuses, NE
 * which VMX fixes to 1. The guest reads the shadow for these bits. */
#define CR0_HOST_BITS (CR0_PG | CR0_CD | CR0_NW | CR0_NE)

/* ------------------------------------------------------------------ */
/* VMCS and register access (fatal errors stop the VM)                */

uint64_t vmcs_get(struct vcpu *v, uint32_t field)
{
	uint64_t x = 0;

	HV(hv_vmx_vcpu_read_vmcs(v->id, field, &x));
	return x;
}

void vmcs_set(struct vcpu *v, uint32_t field, uint64_t val)
{
	HV(hv_vmx_vcpu_write_vmcs(v->id, field, val));
}

uint64_t reg_get(struct vcpu *v, hv_x86_reg_t reg)
{
	uint64_t x = 0;

	HV(hv_vcpu_read_register(v->id, reg, &x));
	return x;
}

void reg_set(struct vcpu *v, hv_x86_reg_t reg, uint64_t val)
{
	HV(hv_vcpu_write_register(v->id, reg, val));
}

void cpu_skip(struct vcpu *v, uint64_t len)
{
	uint64_t intr = vmcs_get(v, VMCS_GUEST_INTERRUPTIBILITY);
	const uint64_t shadow = GUEST_INTRBILITY_STI_BLOCKING |
				GUEST_INTRBILITY_MOVSS_BLOCKING;

	reg_set(v, HV_X86_RIP, reg_get(v, HV_X86_RIP) + len);
	/* The emulated instruction completed: an STI or MOV-SS shadow that
	 * covered it ends (SDM Vol. 3A, 6.8.3), as KVM does when it skips
	 * an instruction. */
	if (intr & shadow)
		vmcs_set(v, VMCS_GUEST_INTERRUPTIBILITY, intr & ~shadow);
}

/* Event injection (SDM 27.6): vector, type, error code valid, valid. */
void cpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error,
			  uint32_t error)
{
	uint64_t info = vector | IRQ_INFO_HARD_EXC | IRQ_INFO_VALID;

	if (has_error) {
		info |= IRQ_INFO_ERROR_VALID;
		vmcs_set(v, VMCS_CTRL_VMENTRY_EXC_ERROR, error);
	}
	vmcs_set(v, VMCS_CTRL_VMENTRY_IRQ_INFO, info);
}

static void inject_gp(struct vcpu *v)
{
	cpu_inject_exception(v, 13, true, 0);
}

/* The "TRUE" capability that replaces cap when IA32_VMX_BASIC bit 55
 * says the default1 controls may be 0 (SDM Vol. 3D, A.2 and A.3): with
 * it, CR3-load/store exiting are optional and a Linux guest's MOV CR3
 * runs without an exit. */
static hv_vmx_capability_t true_cap(hv_vmx_capability_t cap)
{
	uint64_t basic = 0;

	if (hv_vmx_read_capability(HV_VMX_CAP_BASIC, &basic) != HV_SUCCESS ||
	    !(basic & (1ull << 55)))
		return cap;
	switch (cap) {
	case HV_VMX_CAP_PINBASED: return HV_VMX_CAP_TRUE_PINBASED;
	case HV_VMX_CAP_PROCBASED: return HV_VMX_CAP_TRUE_PROCBASED;
	case HV_VMX_CAP_ENTRY: return HV_VMX_CAP_TRUE_ENTRY;
	case HV_VMX_CAP_EXIT: return HV_VMX_CAP_TRUE_EXIT;
	default: return cap;
	}
}

/* The fact-sheet idiom: must-be-one bits from the low half of a
 * capability, allowed bits from the high half (SDM Appendix A.3). */
static uint64_t cap2ctrl(hv_vmx_capability_t cap, uint64_t want)
{
	uint64_t c = 0;

	hv_vmx_read_capability(true_cap(cap), &c);
	return (want | (c & 0xffffffff)) & (c >> 32);
}

static void set_cpu_based(struct vcpu *v, uint64_t val)
{
	if (val != v->cpu_based) {
		v->cpu_based = val;
		vmcs_set(v, VMCS_CTRL_CPU_BASED, val);
	}
}

static void set_ia32e(struct vcpu *v, bool on)
{
	uint64_t entry = vmcs_get(v, VMCS_CTRL_VMENTRY_CONTROLS);

	entry = on ? entry | VMENTRY_GUEST_IA32E : entry & ~(uint64_t)VMENTRY_GUEST_IA32E;
	vmcs_set(v, VMCS_CTRL_VMENTRY_CONTROLS, entry);
}

/* ------------------------------------------------------------------ */
/* Setup and initial state                                            */

void cpu_setup(struct vcpu *v)
{
	static const uint32_t native_msrs[] = {
		HV_MSR_IA32_TSC, HV_MSR_IA32_SYSENTER_CS,
		HV_MSR_IA32_SYSENTER_ESP, HV_MSR_IA32_SYSENTER_EIP,
		HV_MSR_IA32_STAR, HV_MSR_IA32_LSTAR, HV_MSR_IA32_CSTAR,
		HV_MSR_IA32_FMASK, HV_MSR_IA32_FS_BASE, HV_MSR_IA32_GS_BASE,
		HV_MSR_IA32_KERNEL_GS_BASE, HV_MSR_IA32_TSC_AUX,
	};

	vmcs_set(v, VMCS_CTRL_PIN_BASED, cap2ctrl(HV_VMX_CAP_PINBASED, 0));
	v->cpu_based = cap2ctrl(HV_VMX_CAP_PROCBASED,
				CPU_BASED_HLT | CPU_BASED_SECONDARY_CTLS);
	vmcs_set(v, VMCS_CTRL_CPU_BASED, v->cpu_based);
	/* With "enable VPID" a VM entry keeps the guest's cached
	 * translations (SDM Vol. 3C, 29.4.3.1; without it every entry
	 * flushes them): the VMM then invalidates after changing paging
	 * state itself (write_cr). The VPID must be nonzero (27.2.1.1). */
	vmcs_set(v, VMCS_CTRL_CPU_BASED2,
		 cap2ctrl(HV_VMX_CAP_PROCBASED2, CPU_BASED2_EPT |
			  CPU_BASED2_UNRESTRICTED | CPU_BASED2_RDTSCP |
			  CPU_BASED2_INVPCID | CPU_BASED2_VPID));
	vmcs_set(v, VMCS_VPID, v->index + 1);
	vmcs_set(v, VMCS_CTRL_VMENTRY_CONTROLS,
		 cap2ctrl(HV_VMX_CAP_ENTRY, VMENTRY_LOAD_EFER));
	vmcs_set(v, VMCS_CTRL_VMEXIT_CONTROLS,
		 cap2ctrl(HV_VMX_CAP_EXIT, VMEXIT_SAVE_EFER | VMEXIT_LOAD_EFER |
			  VMEXIT_HOST_IA32E));
	vmcs_set(v, VMCS_CTRL_EXC_BITMAP, 0);
	vmcs_set(v, VMCS_CTRL_CR0_MASK, CR0_HOST_BITS);
	vmcs_set(v, VMCS_CTRL_CR0_SHADOW, 0x60000010);  /* reset CR0 */
	vmcs_set(v, VMCS_CTRL_CR4_MASK, CR4_VMXE);
	vmcs_set(v, VMCS_CTRL_CR4_SHADOW, 0);
	for (unsigned i = 0; i < sizeof(native_msrs) / sizeof(native_msrs[0]); i++)
		if (hv_vcpu_enable_native_msr(v->id, native_msrs[i], true))
			trace("MSR %#x cannot be native", native_msrs[i]);
	/* Firmware-like MTRR setup: enabled, default write-back. */
	v->mtrr_def = 0x806;
	v->misc_enable = 1;  /* fast strings */
}

struct seg_fields {
	uint32_t sel, base, limit, ar;
};

static const struct seg_fields segs[] = {
	{ VMCS_GUEST_CS, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT, VMCS_GUEST_CS_AR },
	{ VMCS_GUEST_DS, VMCS_GUEST_DS_BASE, VMCS_GUEST_DS_LIMIT, VMCS_GUEST_DS_AR },
	{ VMCS_GUEST_ES, VMCS_GUEST_ES_BASE, VMCS_GUEST_ES_LIMIT, VMCS_GUEST_ES_AR },
	{ VMCS_GUEST_SS, VMCS_GUEST_SS_BASE, VMCS_GUEST_SS_LIMIT, VMCS_GUEST_SS_AR },
	{ VMCS_GUEST_FS, VMCS_GUEST_FS_BASE, VMCS_GUEST_FS_LIMIT, VMCS_GUEST_FS_AR },
	{ VMCS_GUEST_GS, VMCS_GUEST_GS_BASE, VMCS_GUEST_GS_LIMIT, VMCS_GUEST_GS_AR },
};

static void seg_set(struct vcpu *v, unsigned i, uint16_t sel, uint64_t base,
		    uint32_t limit, uint32_t ar)
{
	vmcs_set(v, segs[i].sel, sel);
	vmcs_set(v, segs[i].base, base);
	vmcs_set(v, segs[i].limit, limit);
	vmcs_set(v, segs[i].ar, ar);
}

/* Real mode at base:ip with every segment equal (SDM 9.1.4 after a
 * SIPI: CS = vector << 8, IP = 0). */
static void set_real_mode(struct vcpu *v, uint64_t base, uint64_t ip)
{
	for (unsigned i = 0; i < 6; i++)
		seg_set(v, i, (uint16_t)(base >> 4), base, 0xffff,
			i == 0 ? 0x9b : 0x93);
	vmcs_set(v, VMCS_CTRL_CR0_SHADOW, 0x60000010);
	vmcs_set(v, VMCS_GUEST_CR0, 0x30);
	set_ia32e(v, false);
	reg_set(v, HV_X86_RIP, ip);
	reg_set(v, HV_X86_RFLAGS, 2);
}

/* Flat 4 GiB segments (AR: G, D/B or L, P, S, type). */
static void set_flat_segments(struct vcpu *v, const struct boot_state *b,
			      bool long_mode)
{
	seg_set(v, 0, b->cs, 0, 0xffffffff, long_mode ? 0xa09b : 0xc09b);
	for (unsigned i = 1; i < 6; i++)
		seg_set(v, i, b->ds, 0, 0xffffffff, 0xc093);
	/* TR must be a busy TSS at VM entry (SDM 27.3.1.2). */
	vmcs_set(v, VMCS_GUEST_TR, 0);
	vmcs_set(v, VMCS_GUEST_TR_BASE, 0);
	vmcs_set(v, VMCS_GUEST_TR_LIMIT, 0x67);
	vmcs_set(v, VMCS_GUEST_TR_AR, 0x8b);
	vmcs_set(v, VMCS_GUEST_LDTR_AR, 0x10000);  /* unusable */
	vmcs_set(v, VMCS_GUEST_GDTR_BASE, b->gdt_base);
	vmcs_set(v, VMCS_GUEST_GDTR_LIMIT, b->gdt_limit);
	vmcs_set(v, VMCS_GUEST_IDTR_BASE, 0);
	vmcs_set(v, VMCS_GUEST_IDTR_LIMIT, 0);
}

void cpu_apply_boot(struct vcpu *v, const struct boot_state *b)
{
	switch (b->mode) {
	case BOOT_RESET:
		return;  /* the framework's power-up state: CS:IP F000:FFF0 */
	case BOOT_REAL:
		set_real_mode(v, b->cs_base, b->rip);
		reg_set(v, HV_X86_RSP, b->rsp);
		return;
	case BOOT_PROTECTED32:
	case BOOT_LONG64:
		break;
	}
	set_flat_segments(v, b, b->mode == BOOT_LONG64);
	vmcs_set(v, VMCS_CTRL_CR0_SHADOW, b->cr0);
	vmcs_set(v, VMCS_GUEST_CR0, (b->cr0 | CR0_NE) & ~(CR0_CD | CR0_NW));
	vmcs_set(v, VMCS_GUEST_CR3, b->cr3);
	vmcs_set(v, VMCS_CTRL_CR4_SHADOW, b->cr4);
	vmcs_set(v, VMCS_GUEST_CR4, b->cr4 | CR4_VMXE);
	vmcs_set(v, VMCS_GUEST_IA32_EFER, b->efer);
	set_ia32e(v, (b->efer & EFER_LMA) != 0);
	reg_set(v, HV_X86_RFLAGS, 2);
	reg_set(v, HV_X86_RIP, b->rip);
	reg_set(v, HV_X86_RSP, b->rsp);
	reg_set(v, HV_X86_RSI, b->rsi);
	reg_set(v, HV_X86_RBX, b->rbx);
	reg_set(v, HV_X86_RAX, b->rax);
}

void cpu_start_ap(struct vcpu *v, unsigned vector)
{
	trace("vCPU %u: startup IPI, vector %#x", v->index, vector);
	set_real_mode(v, (uint64_t)vector << 12, 0);
}

void cpu_dump(struct vcpu *v, const char *why)
{
	uint8_t code[16];
	unsigned n, mode;

	fprintf(stderr, "hvrun: vCPU %u %s: RIP=%#llx CS=%#llx RFLAGS=%#llx "
		"CR0=%#llx CR3=%#llx CR4=%#llx EFER=%#llx RSP=%#llx RAX=%#llx\r\n",
		v->index, why,
		(unsigned long long)reg_get(v, HV_X86_RIP),
		(unsigned long long)vmcs_get(v, VMCS_GUEST_CS),
		(unsigned long long)reg_get(v, HV_X86_RFLAGS),
		(unsigned long long)vmcs_get(v, VMCS_GUEST_CR0),
		(unsigned long long)vmcs_get(v, VMCS_GUEST_CR3),
		(unsigned long long)vmcs_get(v, VMCS_GUEST_CR4),
		(unsigned long long)vmcs_get(v, VMCS_GUEST_IA32_EFER),
		(unsigned long long)reg_get(v, HV_X86_RSP),
		(unsigned long long)reg_get(v, HV_X86_RAX));
	n = fetch_insn(v, code, sizeof(code), &mode);
	fprintf(stderr, "hvrun: vCPU %u code at RIP (%u-bit):", v->index, mode);
	for (unsigned i = 0; i < n; i++)
		fprintf(stderr, " %02x", code[i]);
	fprintf(stderr, "\r\n");
}

/* ------------------------------------------------------------------ */
/* Interrupt injection                                                */

/* Before each VM entry: inject the highest pending interrupt if the
 * guest can take it (RFLAGS.IF = 1, no STI/MOV-SS blocking; SDM 26.3.1.5
 * and Table 25-3), else ask for an interrupt-window exit (25.6.2). */
void cpu_inject(struct vcpu *v)
{
	uint64_t intr, rflags;
	bool nmi, can;
	int vec;

	pthread_mutex_lock(&vm.lock);
	vec = board_pending_irq(v, false);
	nmi = v->nmi_pending;
	pthread_mutex_unlock(&vm.lock);
	if (vec < 0 && !nmi) {
		set_cpu_based(v, v->cpu_based & ~(uint64_t)CPU_BASED_IRQ_WND);
		return;
	}
	if (vmcs_get(v, VMCS_CTRL_VMENTRY_IRQ_INFO) & IRQ_INFO_VALID)
		return;  /* an event is already being (re)injected */
	intr = vmcs_get(v, VMCS_GUEST_INTERRUPTIBILITY);
	rflags = reg_get(v, HV_X86_RFLAGS);
	if (nmi && !(intr & (GUEST_INTRBILITY_NMI_BLOCKING |
			     GUEST_INTRBILITY_STI_BLOCKING |
			     GUEST_INTRBILITY_MOVSS_BLOCKING))) {
		pthread_mutex_lock(&vm.lock);
		v->nmi_pending = false;
		pthread_mutex_unlock(&vm.lock);
		vmcs_set(v, VMCS_CTRL_VMENTRY_IRQ_INFO,
			 2 | IRQ_INFO_NMI | IRQ_INFO_VALID);
		return;
	}
	can = (rflags & RFLAGS_IF) &&
	      !(intr & (GUEST_INTRBILITY_STI_BLOCKING |
			GUEST_INTRBILITY_MOVSS_BLOCKING));
	if (!can) {
		set_cpu_based(v, v->cpu_based | CPU_BASED_IRQ_WND);
		return;
	}
	pthread_mutex_lock(&vm.lock);
	vec = board_pending_irq(v, true);  /* INTA */
	pthread_mutex_unlock(&vm.lock);
	set_cpu_based(v, v->cpu_based & ~(uint64_t)CPU_BASED_IRQ_WND);
	if (vec >= 0)
		vmcs_set(v, VMCS_CTRL_VMENTRY_IRQ_INFO,
			 (uint64_t)vec | IRQ_INFO_EXT_IRQ | IRQ_INFO_VALID);
}

/* After an exit during event delivery, the event must be delivered
 * again (SDM 28.2.4, IDT-vectoring information; 27.6.1.1). */
void cpu_reinject(struct vcpu *v)
{
	uint64_t idt = vmcs_get(v, VMCS_RO_IDT_VECTOR_INFO);
	uint64_t type = idt & IRQ_INFO_TYPE_MASK;

	if (!(idt & IRQ_INFO_VALID))
		return;
	if (idt & IRQ_INFO_ERROR_VALID)
		vmcs_set(v, VMCS_CTRL_VMENTRY_EXC_ERROR,
			 vmcs_get(v, VMCS_RO_IDT_VECTOR_ERROR));
	if (type == IRQ_INFO_SOFT_IRQ || type == IRQ_INFO_PRIV_SOFT_EXC ||
	    type == IRQ_INFO_SOFT_EXC)
		vmcs_set(v, VMCS_CTRL_VMENTRY_INSTR_LEN,
			 vmcs_get(v, VMCS_RO_VMEXIT_INSTR_LEN));
	vmcs_set(v, VMCS_CTRL_VMENTRY_IRQ_INFO,
		 idt & (IRQ_INFO_VALID | IRQ_INFO_ERROR_VALID |
			IRQ_INFO_TYPE_MASK | IRQ_INFO_VECTOR_MASK));
}

int exit_irq_window(struct vcpu *v, const struct exit_info *e)
{
	(void)e;
	/* The guest can take interrupts now; cpu_inject does the rest. */
	set_cpu_based(v, v->cpu_based & ~(uint64_t)CPU_BASED_IRQ_WND);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Simple exits                                                       */

int exit_exception(struct vcpu *v, const struct exit_info *e)
{
	uint64_t info = vmcs_get(v, VMCS_RO_VMEXIT_IRQ_INFO);

	(void)e;
	cpu_dump(v, "exception or NMI exit");
	vm_stop(false, 1, "vCPU %u: unexpected exception/NMI exit, "
		"interruption info %#llx", v->index, (unsigned long long)info);
	return -1;
}

int exit_triple_fault(struct vcpu *v, const struct exit_info *e)
{
	(void)e;
	cpu_dump(v, "triple fault");
	vm_stop(false, 2, "vCPU %u: triple fault (a fault while delivering "
		"a double fault; SDM Vol. 3A 7.15, #DF) - the guest crashed",
		v->index);
	return -1;
}

int exit_entry_failure(struct vcpu *v, const struct exit_info *e)
{
	const char *why = NULL;

#ifdef __HYPERVISOR_HV_OPENHVF__
	why = hv_openhvf_entry_failure_reason(v->id);
#endif
	cpu_dump(v, "VM-entry failure");
	vm_stop(false, 1, "vCPU %u: VM entry failed, reason %u, "
		"qualification %#llx%s%s", v->index, e->reason,
		(unsigned long long)e->qual, why ? ": " : "", why ? why : "");
	return -1;
}

/* VMCALL: no hypercalls here; the instruction is undefined (#UD). */
int exit_vmcall(struct vcpu *v, const struct exit_info *e)
{
	(void)e;
	trace("vCPU %u: VMCALL -> #UD", v->index);
	cpu_inject_exception(v, 6, false, 0);
	return 0;
}

/* HLT (SDM Vol. 2A HLT): sleep until an interrupt the vCPU can take
 * arrives. HLT with IF = 0 never wakes here (no NMI sources): when all
 * vCPUs are in that state the guest has stopped for good. */
int exit_hlt(struct vcpu *v, const struct exit_info *e)
{
	uint64_t rflags = reg_get(v, HV_X86_RFLAGS);
	uint64_t intr = vmcs_get(v, VMCS_GUEST_INTERRUPTIBILITY);
	bool all = true;

	cpu_skip(v, e->len);
	/* "STI; HLT": the STI shadow covers HLT only (SDM Vol. 2B STI). */
	if (intr & (GUEST_INTRBILITY_STI_BLOCKING | GUEST_INTRBILITY_MOVSS_BLOCKING))
		vmcs_set(v, VMCS_GUEST_INTERRUPTIBILITY,
			 intr & ~(uint64_t)(GUEST_INTRBILITY_STI_BLOCKING |
					    GUEST_INTRBILITY_MOVSS_BLOCKING));
	pthread_mutex_lock(&vm.lock);
	if (!(rflags & RFLAGS_IF)) {
		v->stopped_cli = true;
		for (unsigned i = 0; i < vm.ncpus; i++)
			if (!vm.cpu[i].stopped_cli &&
			    vm.cpu[i].state == VCPU_RUNNING)
				all = false;
		if (all)
			vm_stop(true, 0, "guest halted: every vCPU is in HLT "
				"with interrupts disabled");
		while (!vm.stop && !v->nmi_pending)
			pthread_cond_wait(&v->wake, &vm.lock);
		v->stopped_cli = false;
	} else {
		v->in_hlt = true;
		while (!vm.stop && !v->nmi_pending &&
		       board_pending_irq(v, false) < 0)
			pthread_cond_wait(&v->wake, &vm.lock);
		v->in_hlt = false;
	}
	pthread_mutex_unlock(&vm.lock);
	return 0;
}

/* XSETBV (SDM Vol. 2C): only XCR0; x87 must stay set and AVX needs SSE,
 * otherwise #GP. The framework holds XCR0 as HV_X86_XCR0. */
int exit_xsetbv(struct vcpu *v, const struct exit_info *e)
{
	uint64_t ecx = reg_get(v, HV_X86_RCX) & 0xffffffff;
	uint64_t val = (reg_get(v, HV_X86_RAX) & 0xffffffff) |
		       (reg_get(v, HV_X86_RDX) << 32);

	if (ecx != 0 || !(val & 1) || ((val & 4) && !(val & 2)) ||
	    hv_vcpu_write_register(v->id, HV_X86_XCR0, val) != HV_SUCCESS) {
		trace("vCPU %u: XSETBV %#llx, %#llx -> #GP", v->index,
		      (unsigned long long)ecx, (unsigned long long)val);
		inject_gp(v);
		return 0;
	}
	cpu_skip(v, e->len);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Port I/O (exit qualification: SDM 28.2.1, Table 28-5)              */

int exit_io(struct vcpu *v, const struct exit_info *e)
{
	unsigned size = (unsigned)(e->qual & 7) + 1;
	bool in = (e->qual >> 3) & 1, string = (e->qual >> 4) & 1;
	uint16_t port = (uint16_t)(e->qual >> 16);
	uint32_t val = 0;
	uint64_t rax;

	if (string) {
		cpu_dump(v, "string I/O");
		vm_stop(false, 1, "vCPU %u: INS/OUTS on port %#x is not "
			"emulated", v->index, port);
		return -1;
	}
	rax = reg_get(v, HV_X86_RAX);
	if (!in)
		val = (uint32_t)rax;
	if (!board_pio(v, port, size, in, &val)) {
		if (!vm.lax_io) {
			cpu_dump(v, "unhandled port");
			vm_stop(false, 1, "vCPU %u: %s of %u byte(s) %s unknown "
				"I/O port %#x (use -lax-io to ignore)", v->index,
				in ? "IN" : "OUT", size, in ? "from" : "to", port);
			return -1;
		}
		trace("vCPU %u: %s port %#x ignored", v->index,
		      in ? "IN" : "OUT", port);
		val = 0xffffffff;
	}
	if (in) {
		/* 8/16-bit IN merges into RAX, 32-bit zero-extends. */
		if (size == 4)
			rax = val;
		else
			rax = (rax & ~((1ull << (8 * size)) - 1)) |
			      (val & ((1u << (8 * size)) - 1));
		reg_set(v, HV_X86_RAX, rax);
	}
	cpu_skip(v, e->len);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Control registers (exit qualification: SDM 28.2.1, Table 28-3)    */

static const hv_x86_reg_t gpr[16] = {
	HV_X86_RAX, HV_X86_RCX, HV_X86_RDX, HV_X86_RBX, HV_X86_RSP, HV_X86_RBP,
	HV_X86_RSI, HV_X86_RDI, HV_X86_R8, HV_X86_R9, HV_X86_R10, HV_X86_R11,
	HV_X86_R12, HV_X86_R13, HV_X86_R14, HV_X86_R15,
};

/* MOV to CR0 with a host-owned bit changing. PG with EFER.LME set
 * activates IA-32e mode (SDM Vol. 3A 10.8.5): EFER.LMA and the
 * "IA-32e mode guest" entry control follow (SDM 27.3.1.1). */
static bool write_cr0(struct vcpu *v, uint64_t val)
{
	uint64_t old = vmcs_get(v, VMCS_GUEST_CR0);
	uint64_t efer = vmcs_get(v, VMCS_GUEST_IA32_EFER);
	uint64_t cr4 = vmcs_get(v, VMCS_GUEST_CR4);

	/* #GP: PG without PE, NW without CD, long mode without PAE. */
	if (((val & CR0_PG) && !(val & CR0_PE)) ||
	    ((val & CR0_NW) && !(val & CR0_CD)) ||
	    ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME) &&
	     !(cr4 & CR4_PAE)))
		return false;
	if ((val & CR0_PG) && !(old & CR0_PG) && (efer & EFER_LME))
		efer |= EFER_LMA;
	if (!(val & CR0_PG))
		efer &= ~EFER_LMA;
	vmcs_set(v, VMCS_CTRL_CR0_SHADOW, val & 0xffffffff);
	vmcs_set(v, VMCS_GUEST_CR0, ((val | CR0_NE) & ~(CR0_CD | CR0_NW)) &
				     0xffffffff);
	vmcs_set(v, VMCS_GUEST_IA32_EFER, efer);
	set_ia32e(v, (efer & EFER_LMA) != 0);
	/* A MOV to CR0 that changes PG invalidates the TLB (SDM Vol. 3A,
	 * 4.10.4.1); with VPID the VMCS write alone does not, so the
	 * emulated one asks for it, as it does for WP and PE. */
	if ((old ^ val) & (CR0_PG | CR0_PE | CR0_WP))
		HV(hv_vcpu_invalidate_tlb(v->id));
	return true;
}

static bool write_cr(struct vcpu *v, unsigned cr, uint64_t val)
{
	switch (cr) {
	case 0:
		return write_cr0(v, val);
	case 3:
		/* Only when CR3-load exiting is on (without the TRUE
		 * capabilities): the load is emulated here, and with it the
		 * TLB flush a MOV to CR3 implies (SDM Vol. 3A, 4.10.4.1).
		 * The VMCS write alone does not flush
		 * (hv_vcpu_invalidate_tlb); flushing even with the PCID
		 * no-flush bit is permitted, and bit 63 is not stored. */
		if (vmcs_get(v, VMCS_GUEST_CR4) & CR4_PCIDE)
			val &= ~(1ull << 63);
		vmcs_set(v, VMCS_GUEST_CR3, val);
		HV(hv_vcpu_invalidate_tlb(v->id));
		return true;
	case 4:
		/* VMXE is host-owned: no VMX for the guest. */
		if (val & CR4_VMXE)
			return false;
		vmcs_set(v, VMCS_CTRL_CR4_SHADOW, val);
		vmcs_set(v, VMCS_GUEST_CR4, val | CR4_VMXE);
		return true;
	default:
		return false;
	}
}

int exit_mov_cr(struct vcpu *v, const struct exit_info *e)
{
	unsigned cr = e->qual & 15, type = (e->qual >> 4) & 3;
	unsigned r = (e->qual >> 8) & 15;
	uint64_t cr0 = vmcs_get(v, VMCS_CTRL_CR0_SHADOW), val;
	bool ok = true;

	switch (type) {
	case 0: /* MOV to CR */
		val = reg_get(v, gpr[r]);
		ok = write_cr(v, cr, val);
		trace("vCPU %u: MOV CR%u <- %#llx%s", v->index, cr,
		      (unsigned long long)val, ok ? "" : " -> #GP");
		break;
	case 1: /* MOV from CR (only CR3/CR8 exit, and only if asked) */
		val = cr == 3 ? vmcs_get(v, VMCS_GUEST_CR3) :
		      cr == 8 ? reg_get(v, HV_X86_TPR) >> 4 : 0;
		reg_set(v, gpr[r], val);
		break;
	case 2: /* CLTS */
		ok = write_cr0(v, (vmcs_get(v, VMCS_GUEST_CR0) & ~CR0_HOST_BITS) |
				  (cr0 & CR0_HOST_BITS & ~8ull));
		break;
	default: /* LMSW: bits 3:0, PE cannot be cleared */
		val = (e->qual >> 16) & 0xf;
		cr0 = (vmcs_get(v, VMCS_GUEST_CR0) & ~CR0_HOST_BITS) |
		      (cr0 & CR0_HOST_BITS);
		ok = write_cr0(v, (cr0 & ~0xeull) | val | (cr0 & 1));
		break;
	}
	if (!ok) {
		inject_gp(v);
		return 0;
	}
	cpu_skip(v, e->len);
	return 0;
}
