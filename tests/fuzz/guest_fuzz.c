/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the decoder and executor: each input is guest code
 * run in a mode chosen by its first byte (real, 16/32-bit protected, 64-bit
 * with paging), through the public API, with a deadline. Whatever the
 * bytes do, the host process must not crash, hang or touch memory outside
 * the guest's maps (ASan watches the rest of the process). */
#include <Hypervisor/Hypervisor.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define RAM (4ull << 20)
#define CODE 0x10000ull
#define MAX_EXITS 64

static uint8_t *ram;
static hv_vcpuid_t vcpu;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void w(uint32_t f, uint64_t v)
{
	hv_vmx_vcpu_write_vmcs(vcpu, f, v);
}

static uint64_t r(uint32_t f)
{
	uint64_t v = 0;

	hv_vmx_vcpu_read_vmcs(vcpu, f, &v);
	return v;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Identity-map the first GiB with 2 MiB pages at 0x1000 (SDM Vol. 3A,
 * 4.5), and a flat GDT at 0x500. */
static void build_tables(void)
{
	uint64_t *pml4 = (uint64_t *)(ram + 0x1000);
	uint64_t *pdpt = (uint64_t *)(ram + 0x2000);
	uint64_t *pd = (uint64_t *)(ram + 0x3000);
	uint64_t *gdt = (uint64_t *)(ram + 0x500);

	pml4[0] = 0x2000 | 7;
	pdpt[0] = 0x3000 | 7;
	for (int i = 0; i < 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x87;
	gdt[0] = 0;
	gdt[1] = 0x00cf9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	gdt[3] = 0x00af9b000000ffffull;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ram = mmap(NULL, RAM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED || hv_vm_create(HV_VM_DEFAULT) != HV_SUCCESS ||
	    hv_vm_map(ram, 0, RAM, HV_MEMORY_READ | HV_MEMORY_WRITE |
				       HV_MEMORY_EXEC) != HV_SUCCESS ||
	    hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT) != HV_SUCCESS)
		abort();
	return 0;
}

static void set_seg(uint32_t sel, uint32_t base, uint32_t lim, uint32_t ar,
		    uint16_t s, uint64_t b, uint32_t l, uint32_t a)
{
	w(sel, s);
	w(base, b);
	w(lim, l);
	w(ar, a);
}

static void set_data_segs(uint16_t s, uint64_t b, uint32_t l, uint32_t a)
{
	set_seg(VMCS_GUEST_DS, VMCS_GUEST_DS_BASE, VMCS_GUEST_DS_LIMIT,
		VMCS_GUEST_DS_AR, s, b, l, a);
	set_seg(VMCS_GUEST_ES, VMCS_GUEST_ES_BASE, VMCS_GUEST_ES_LIMIT,
		VMCS_GUEST_ES_AR, s, b, l, a);
	set_seg(VMCS_GUEST_SS, VMCS_GUEST_SS_BASE, VMCS_GUEST_SS_LIMIT,
		VMCS_GUEST_SS_AR, s, b, l, a);
	set_seg(VMCS_GUEST_FS, VMCS_GUEST_FS_BASE, VMCS_GUEST_FS_LIMIT,
		VMCS_GUEST_FS_AR, s, b, l, a);
	set_seg(VMCS_GUEST_GS, VMCS_GUEST_GS_BASE, VMCS_GUEST_GS_LIMIT,
		VMCS_GUEST_GS_AR, s, b, l, a);
}

/* mode 0: real, 1: 32-bit protected, 2: 64-bit with paging. */
static void set_mode(unsigned mode)
{
	uint64_t entry = r(VMCS_CTRL_VMENTRY_CONTROLS) & ~(uint64_t)VMENTRY_GUEST_IA32E;

	w(VMCS_GUEST_GDTR_BASE, 0x500);
	w(VMCS_GUEST_GDTR_LIMIT, 0x1f);
	w(VMCS_GUEST_IDTR_BASE, 0);
	w(VMCS_GUEST_IDTR_LIMIT, mode ? 0 : 0x3ff);
	w(VMCS_GUEST_RFLAGS, 0x2);
	w(VMCS_GUEST_INTERRUPTIBILITY, 0);
	w(VMCS_GUEST_ACTIVITY_STATE, 0);
	w(VMCS_CTRL_VMENTRY_IRQ_INFO, 0);
	if (mode == 0) {
		w(VMCS_GUEST_CR0, 0x30);
		w(VMCS_GUEST_CR4, 0x2000);
		w(VMCS_GUEST_IA32_EFER, 0);
		set_seg(VMCS_GUEST_CS, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT,
			VMCS_GUEST_CS_AR, 0x1000, CODE, 0xffff, 0x9b);
		set_data_segs(0, 0, 0xffff, 0x93);
		w(VMCS_GUEST_RIP, 0);
		w(VMCS_GUEST_RSP, 0x8000);
	} else if (mode == 1) {
		w(VMCS_GUEST_CR0, 0x31);
		w(VMCS_GUEST_CR4, 0x2000);
		w(VMCS_GUEST_IA32_EFER, 0);
		set_seg(VMCS_GUEST_CS, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT,
			VMCS_GUEST_CS_AR, 0x08, 0, 0xffffffff, 0xc09b);
		set_data_segs(0x10, 0, 0xffffffff, 0xc093);
		w(VMCS_GUEST_RIP, CODE);
		w(VMCS_GUEST_RSP, 0x8000);
	} else {
		w(VMCS_GUEST_CR0, 0x80000031);
		w(VMCS_GUEST_CR3, 0x1000);
		w(VMCS_GUEST_CR4, 0x2020);
		w(VMCS_GUEST_IA32_EFER, 0x500);
		entry |= VMENTRY_GUEST_IA32E;
		set_seg(VMCS_GUEST_CS, VMCS_GUEST_CS_BASE, VMCS_GUEST_CS_LIMIT,
			VMCS_GUEST_CS_AR, 0x18, 0, 0xffffffff, 0xa09b);
		set_data_segs(0x10, 0, 0xffffffff, 0xc093);
		w(VMCS_GUEST_RIP, CODE);
		w(VMCS_GUEST_RSP, 0x8000);
	}
	w(VMCS_CTRL_VMENTRY_CONTROLS, entry);
}

/* Run until a deadline or MAX_EXITS exits, stepping over instructions
 * that exit so that the code keeps going. */
static void run(void)
{
	uint64_t deadline = now_ns() + 2000000;

	for (int i = 0; i < MAX_EXITS; i++) {
		uint64_t reason, rip = 0;

		if (hv_vcpu_run_until(vcpu, deadline) != HV_SUCCESS)
			return;
		reason = r(VMCS_RO_EXIT_REASON);
		if (reason & 0x80000000u)
			return;
		switch (reason & 0xffff) {
		case VMX_REASON_IO:
		case VMX_REASON_CPUID:
		case VMX_REASON_RDMSR:
		case VMX_REASON_WRMSR:
		case VMX_REASON_HLT:
		case VMX_REASON_XSETBV:
		case VMX_REASON_VMCALL:
			hv_vcpu_read_register(vcpu, HV_X86_RIP, &rip);
			hv_vcpu_write_register(vcpu, HV_X86_RIP,
				rip + r(VMCS_RO_VMEXIT_INSTR_LEN));
			break;
		case VMX_REASON_IRQ:
		case VMX_REASON_EPT_VIOLATION:
		case VMX_REASON_TRIPLE_FAULT:
		case VMX_REASON_VMX_TIMER_EXPIRED:
		default:
			return;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	memset(ram, 0, 0x20000);
	build_tables();
	/* Fill the code page with HLT, then the input. */
	memset(ram + CODE, 0xf4, 0x1000);
	memcpy(ram + CODE, data + 1, size - 1 > 0x1000 ? 0x1000 : size - 1);
	set_mode(data[0] % 3);
	run();
	return 0;
}
