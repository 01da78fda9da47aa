/* SPDX-License-Identifier: MIT */
/* An hvdos-style VMM: a real-mode "DOS program" calls INT 21h; the guest's
 * IVT limit is 0, so each INT raises #GP (SDM Vol. 2A, INT n, real-address
 * mode: the vector's entry lies beyond the IDT limit), the exception bitmap
 * turns #GP into a VM exit, and the VMM performs the DOS function and steps
 * over the INT. Functions: AH=09h print a '$'-terminated string at DS:DX,
 * AH=4Ch exit with code AL. Public API only. */
#include <Hypervisor/Hypervisor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define MEM_SIZE 0x20000u
#define PSP_SEG 0x1000u   /* program loaded at 1000:0100, as a .COM */

/* mov ah,9; mov dx,0x110; int 21h; mov ax,4C07h; int 21h */
static const uint8_t com[] = { 0xb4, 0x09, 0xba, 0x10, 0x01, 0xcd, 0x21,
			       0xb8, 0x07, 0x4c, 0xcd, 0x21 };
static const char msg[] = "Hello from a DOS program\r\n$";

static uint8_t *mem;
static hv_vcpuid_t vcpu;

static void check(hv_return_t r, const char *what)
{
	if (r != HV_SUCCESS) {
		fprintf(stderr, "%s failed: %#x\n", what, (unsigned)r);
		exit(1);
	}
}

static uint64_t rvmcs(uint32_t f)
{
	uint64_t v;

	check(hv_vmx_vcpu_read_vmcs(vcpu, f, &v), "read_vmcs");
	return v;
}

static uint64_t reg(hv_x86_reg_t r)
{
	uint64_t v;

	check(hv_vcpu_read_register(vcpu, r, &v), "read_register");
	return v;
}

/* Guest real-mode address seg:off (20 bits, no A20 wrap needed here). */
static uint8_t *real_ptr(uint64_t seg_base, uint64_t off)
{
	return mem + ((seg_base + (off & 0xffff)) % MEM_SIZE);
}

static void dos_print(void)
{
	uint64_t ds = rvmcs(VMCS_GUEST_DS_BASE), dx = reg(HV_X86_RDX);

	for (unsigned i = 0; i < 0x10000; i++) {
		char c = (char)*real_ptr(ds, dx + i);

		if (c == '$')
			break;
		putchar(c);
	}
}

/* A #GP exit at an INT 21h: returns the exit code for AH=4Ch, or -1. */
static int int21(void)
{
	uint64_t ah = (reg(HV_X86_RAX) >> 8) & 0xff;

	switch (ah) {
	case 0x09:
		dos_print();
		return -1;
	case 0x4c:
		return (int)(reg(HV_X86_RAX) & 0xff);
	default:
		fprintf(stderr, "unsupported DOS function %02llxh\n",
			(unsigned long long)ah);
		exit(1);
	}
}

static int handle_gp(void)
{
	uint64_t info = rvmcs(VMCS_RO_VMEXIT_IRQ_INFO);
	uint64_t rip = reg(HV_X86_RIP);
	uint8_t *insn = real_ptr(rvmcs(VMCS_GUEST_CS_BASE), rip);
	int code;

	/* Hardware exception 13 (SDM Vol. 3C, 25.9.2). */
	if ((info & IRQ_INFO_VECTOR_MASK) != 13 ||
	    (info & IRQ_INFO_TYPE_MASK) != IRQ_INFO_HARD_EXC ||
	    insn[0] != 0xcd || insn[1] != 0x21) {
		fprintf(stderr, "unexpected fault %#llx at %#llx\n",
			(unsigned long long)info, (unsigned long long)rip);
		exit(1);
	}
	code = int21();
	check(hv_vcpu_write_register(vcpu, HV_X86_RIP, rip + 2), "rip");
	return code;
}

int main(void)
{
	int code = -1;

	mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	memcpy(mem + PSP_SEG * 16 + 0x100, com, sizeof(com));
	memcpy(mem + PSP_SEG * 16 + 0x110, msg, sizeof(msg));
	check(hv_vm_create(HV_VM_DEFAULT), "hv_vm_create");
	check(hv_vm_map(mem, 0, MEM_SIZE, HV_MEMORY_READ | HV_MEMORY_WRITE |
					      HV_MEMORY_EXEC), "hv_vm_map");
	check(hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT), "hv_vcpu_create");
	/* CS = DS = ES = SS = PSP segment, IP = 100h, IVT limit 0. */
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_CS, PSP_SEG), "cs");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_CS_BASE, PSP_SEG * 16),
	      "cs base");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_DS, PSP_SEG), "ds");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_DS_BASE, PSP_SEG * 16),
	      "ds base");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_SS, PSP_SEG), "ss");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_SS_BASE, PSP_SEG * 16),
	      "ss base");
	check(hv_vcpu_write_register(vcpu, HV_X86_RSP, 0xfffe), "sp");
	check(hv_vcpu_write_register(vcpu, HV_X86_RIP, 0x100), "ip");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_IDTR_LIMIT, 0), "idtr");
	check(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_CTRL_EXC_BITMAP, 1u << 13),
	      "exception bitmap");
	while (code < 0) {
		uint64_t reason;

		check(hv_vcpu_run(vcpu), "hv_vcpu_run");
		reason = rvmcs(VMCS_RO_EXIT_REASON) & 0xffff;
		if (reason == VMX_REASON_IRQ)
			continue;
		if (reason != VMX_REASON_EXC_NMI) {
			fprintf(stderr, "unexpected exit %llu\n",
				(unsigned long long)reason);
			return 1;
		}
		code = handle_gp();
	}
	check(hv_vcpu_destroy(vcpu), "hv_vcpu_destroy");
	check(hv_vm_destroy(), "hv_vm_destroy");
	return code;
}
