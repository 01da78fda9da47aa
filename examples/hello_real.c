/* SPDX-License-Identifier: MIT */
/* The smallest Hypervisor.framework VMM: run a few bytes of real-mode code
 * that print a string through port 0xE9 and stop with HLT. Written only
 * against <Hypervisor/Hypervisor.h>, as for an Intel Mac; the same source
 * builds there with -framework Hypervisor. */
#include <Hypervisor/Hypervisor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Guest code at 0x1000 (real mode, CS = 0x100, IP = 0):
 *   mov si, msg; mov dx, 0xe9
 * next: lodsb; test al, al; jz done; out dx, al; jmp next
 * done: hlt
 * msg:  "Hello from a real-mode guest\n", 0
 */
static const uint8_t code[] = {
	0xbe, 0x10, 0x00,       /* mov si, 0x10 */
	0xba, 0xe9, 0x00,       /* mov dx, 0xe9 */
	0xac,                   /* lodsb */
	0x84, 0xc0,             /* test al, al */
	0x74, 0x03,             /* jz +3 */
	0xee,                   /* out dx, al */
	0xeb, 0xf8,             /* jmp -8 */
	0xf4,                   /* hlt */
	0x90,                   /* (padding) */
};
static const char msg[] = "Hello from a real-mode guest\n";

#define CHECK(call)                                                      \
	do {                                                             \
		hv_return_t r_ = (call);                                 \
		if (r_ != HV_SUCCESS) {                                  \
			fprintf(stderr, "%s failed: %#x\n", #call,       \
				(unsigned)r_);                           \
			exit(1);                                         \
		}                                                        \
	} while (0)

static uint64_t rvmcs(hv_vcpuid_t vcpu, uint32_t field)
{
	uint64_t v;

	CHECK(hv_vmx_vcpu_read_vmcs(vcpu, field, &v));
	return v;
}

/* Capability idiom of every HVF client: force the must-be-one bits and
 * drop what the framework does not allow. */
static uint64_t cap2ctrl(hv_vmx_capability_t cap, uint64_t want)
{
	uint64_t c;

	CHECK(hv_vmx_read_capability(cap, &c));
	return (want | (c & 0xffffffff)) & (c >> 32);
}

int main(void)
{
	uint8_t *mem = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	hv_vcpuid_t vcpu;

	if (mem == MAP_FAILED)
		return 1;
	memcpy(mem + 0x1000, code, sizeof(code));
	memcpy(mem + 0x1010, msg, sizeof(msg));
	CHECK(hv_vm_create(HV_VM_DEFAULT));
	CHECK(hv_vm_map(mem, 0, 0x10000, HV_MEMORY_READ | HV_MEMORY_WRITE |
					   HV_MEMORY_EXEC));
	CHECK(hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT));
	CHECK(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_CTRL_CPU_BASED,
				     cap2ctrl(HV_VMX_CAP_PROCBASED,
					      CPU_BASED_HLT)));
	CHECK(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_CS, 0x100));
	CHECK(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_CS_BASE, 0x1000));
	CHECK(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_DS, 0x100));
	CHECK(hv_vmx_vcpu_write_vmcs(vcpu, VMCS_GUEST_DS_BASE, 0x1000));
	CHECK(hv_vcpu_write_register(vcpu, HV_X86_RIP, 0));
	for (;;) {
		uint64_t reason, qual, rip;

		CHECK(hv_vcpu_run(vcpu));
		reason = rvmcs(vcpu, VMCS_RO_EXIT_REASON) & 0xffff;
		if (reason == VMX_REASON_IRQ)
			continue;
		if (reason == VMX_REASON_HLT)
			break;
		if (reason != VMX_REASON_IO) {
			fprintf(stderr, "unexpected exit %llu\n",
				(unsigned long long)reason);
			return 1;
		}
		/* Exit qualification for I/O (SDM Vol. 3C, Table 28-5):
		 * port in bits 31:16, direction in bit 3 (0 = OUT). */
		qual = rvmcs(vcpu, VMCS_RO_EXIT_QUALIFIC);
		if ((qual >> 16) == 0xe9 && !(qual & 8)) {
			uint64_t rax;

			CHECK(hv_vcpu_read_register(vcpu, HV_X86_RAX, &rax));
			putchar((int)(rax & 0xff));
		}
		CHECK(hv_vcpu_read_register(vcpu, HV_X86_RIP, &rip));
		CHECK(hv_vcpu_write_register(vcpu, HV_X86_RIP,
			rip + rvmcs(vcpu, VMCS_RO_VMEXIT_INSTR_LEN)));
	}
	CHECK(hv_vcpu_destroy(vcpu));
	CHECK(hv_vm_destroy());
	return 0;
}
