/* SPDX-License-Identifier: MIT */
/* Blocking by STI survives a fault-like VM exit of the instruction right
 * after STI: that instruction has not completed, so the saved
 * interruptibility state still has bit 0 (SDM Vol. 3C, 28.3.4; Vol. 3A,
 * 6.8.3); after the next instruction completes, it is gone. */
#include <Hypervisor/Hypervisor.h>
#include <string.h>
#include <sys/mman.h>

#include "helpers.h"

/* Real mode at 0x1000: sti; cpuid; nop; cpuid; hlt */
static const uint8_t code[] = { 0xfb, 0x0f, 0xa2, 0x90, 0x0f, 0xa2, 0xf4 };

static uint64_t rv(uint32_t f)
{
	uint64_t v = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g_vcpu, f, &v));
	return v;
}

static void step_over(void)
{
	uint64_t rip = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_register(g_vcpu, HV_X86_RIP, &rip));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_RIP,
		  rip + rv(VMCS_RO_VMEXIT_INSTR_LEN)));
}

VM_TEST(sti_blocking_kept_across_cpuid_exit, 1)
{
	uint8_t *mem = pages(16);

	ASSERT_TRUE(mem != NULL);
	memcpy(mem + 0x1000, code, sizeof(code));
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(mem, 0, 16 * PAGE, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu, VMCS_GUEST_CS,
						     0x100));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
						     VMCS_GUEST_CS_BASE,
						     0x1000));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_RIP, 0));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_run(g_vcpu));
	EXPECT_EQ(VMX_REASON_CPUID, rv(VMCS_RO_EXIT_REASON) & 0xffff);
	EXPECT_EQ(1, rv(VMCS_GUEST_RIP));
	EXPECT_EQ(GUEST_INTRBILITY_STI_BLOCKING,
		  rv(VMCS_GUEST_INTERRUPTIBILITY) & 3);
	/* A VMM that emulates the instruction clears the shadow with it. */
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		  VMCS_GUEST_INTERRUPTIBILITY, 0));
	step_over();
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_run(g_vcpu));
	EXPECT_EQ(VMX_REASON_CPUID, rv(VMCS_RO_EXIT_REASON) & 0xffff);
	EXPECT_EQ(4, rv(VMCS_GUEST_RIP));
	EXPECT_EQ(0, rv(VMCS_GUEST_INTERRUPTIBILITY) & 3);
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(0, 16 * PAGE));
	munmap(mem, 16 * PAGE);
}
