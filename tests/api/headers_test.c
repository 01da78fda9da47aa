/* SPDX-License-Identifier: MIT */
/* Public-header conformance (fact sheet §2-§8): every one of the 81 functions
 * links and has its documented type, every constant has its documented
 * value, types and structures have Apple's sizes. The lists come from
 * hv_functions.def and hv_constants.def, generated from the fact sheet by
 * tests/headers/factsheet_check.py. */
#include <Hypervisor/Hypervisor.h>

#include <stddef.h>
#include <stdint.h>

#include "../lib/test.h"

/* §3.1, §6, §7: scalar types, sizes and (where Apple fixes it) exact type */
#define SAME_TYPE(type, want) _Generic((type){0}, want: 1, default: 0)

_Static_assert(sizeof(hv_return_t) == 4, "hv_return_t is 32-bit");
_Static_assert((hv_return_t)-1 < 0, "hv_return_t is signed");
_Static_assert(SAME_TYPE(hv_return_t, int), "hv_return_t is int");
_Static_assert(SAME_TYPE(mach_error_t, int), "mach_error_t is int");
_Static_assert(SAME_TYPE(kern_return_t, int), "kern_return_t is int");
_Static_assert(SAME_TYPE(mach_port_t, unsigned int), "mach_port_t");
_Static_assert(SAME_TYPE(mach_port_name_t, unsigned int), "mach_port_name_t");
_Static_assert(sizeof(hv_vcpuid_t) == 4, "hv_vcpuid_t");
_Static_assert(SAME_TYPE(hv_vcpuid_t, unsigned int), "hv_vcpuid_t");
_Static_assert(SAME_TYPE(hv_uvaddr_t, const void *), "hv_uvaddr_t");
_Static_assert(sizeof(hv_gpaddr_t) == 8, "hv_gpaddr_t");
_Static_assert(SAME_TYPE(hv_gpaddr_t, uint64_t), "hv_gpaddr_t");
_Static_assert(SAME_TYPE(hv_vm_space_t, unsigned int), "hv_vm_space_t");
_Static_assert(SAME_TYPE(hv_capability_t, uint64_t), "hv_capability_t");
_Static_assert(SAME_TYPE(hv_vm_options_t, uint64_t), "hv_vm_options_t");
_Static_assert(SAME_TYPE(hv_vcpu_options_t, uint64_t), "hv_vcpu_options_t");
_Static_assert(SAME_TYPE(hv_memory_flags_t, uint64_t), "hv_memory_flags_t");
_Static_assert(SAME_TYPE(hv_msr_flags_t, uint32_t), "hv_msr_flags_t");
_Static_assert(SAME_TYPE(hv_ion_flags_t, uint32_t), "hv_ion_flags_t");
_Static_assert(SAME_TYPE(hv_allocate_flags_t, uint64_t), "hv_allocate_flags_t");
_Static_assert(SAME_TYPE(hv_shadow_flags_t, uint64_t), "hv_shadow_flags_t");
_Static_assert(SAME_TYPE(hv_vmx_msr_info_t, uint64_t), "hv_vmx_msr_info_t");
_Static_assert(sizeof(hv_vm_exitinfo_t) == 4, "hv_vm_exitinfo_t");
_Static_assert(sizeof(hv_apic_ctrl_t) == 8, "hv_apic_ctrl_t");
_Static_assert(sizeof(hv_apic_lvt_flavor_t) == 4, "hv_apic_lvt_flavor_t");
_Static_assert(sizeof(hv_apic_intr_trigger_t) == 4, "hv_apic_intr_trigger_t");
_Static_assert(sizeof(hv_vmx_capability_t) == 4, "hv_vmx_capability_t");
_Static_assert(sizeof(hv_x86_reg_t) == 4, "hv_x86_reg_t");
_Static_assert(sizeof(enum hv_boot_state) == 4, "enum hv_boot_state");

/* §1: the enums whose values exceed INT_MAX keep Apple's types: error codes
 * int (negative), VMX constants unsigned int, the two 64-bit ones 64-bit. */
_Static_assert(sizeof(HV_ERROR) == 4 && HV_ERROR < 0, "HV_ERROR is int");
_Static_assert(HV_ERROR == (int)0xfae94001, "HV_ERROR equals Apple's value");
_Static_assert(sizeof(HV_DEADLINE_FOREVER) == 8, "HV_DEADLINE_FOREVER");
_Static_assert(HV_DEADLINE_FOREVER == ~0ull, "HV_DEADLINE_FOREVER");
_Static_assert(sizeof(VMX_BASIC_TRUE_CTLS) == 8, "VMX_BASIC_TRUE_CTLS");
_Static_assert(sizeof(CPU_BASED_SECONDARY_CTLS) == 4 &&
	       CPU_BASED_SECONDARY_CTLS > 0, "CPU_BASED_SECONDARY_CTLS");
_Static_assert(sizeof(IRQ_INFO_VALID) == 4 && IRQ_INFO_VALID > 0,
	       "IRQ_INFO_VALID");
_Static_assert(sizeof(HV_MSR_IA32_EFER) == 4 && HV_MSR_IA32_EFER > 0,
	       "HV_MSR_IA32_EFER");

/* §1, §3.3: Mach message types and the notifier message */
_Static_assert(sizeof(mach_msg_header_t) == 24, "mach_msg_header_t");
_Static_assert(sizeof(mach_msg_trailer_t) == 8, "mach_msg_trailer_t");
_Static_assert(sizeof(hv_ion_message_t) == 56, "hv_ion_message_t");
_Static_assert(_Alignof(hv_ion_message_t) == 8, "hv_ion_message_t align");
_Static_assert(offsetof(hv_ion_message_t, header) == 0, "header");
_Static_assert(offsetof(hv_ion_message_t, addr) == 24, "addr");
_Static_assert(offsetof(hv_ion_message_t, size) == 32, "size");
_Static_assert(offsetof(hv_ion_message_t, value) == 40, "value");
_Static_assert(offsetof(hv_ion_message_t, trailer) == 48, "trailer");

/* §4: interrupt-controller state */
_Static_assert(sizeof(struct hv_apic_state) == 240, "hv_apic_state");
_Static_assert(offsetof(struct hv_apic_state, boot_state) == 204,
	       "hv_apic_state.boot_state");
_Static_assert(sizeof(hv_apic_state_ext_t) == 248, "hv_apic_state_ext_t");
_Static_assert(offsetof(hv_apic_state_ext_t, state) == 8, "apic ext state");
_Static_assert(sizeof(struct hv_atpic_state) == 16, "hv_atpic_state");
_Static_assert(sizeof(hv_atpic_state_ext_t) == 20, "hv_atpic_state_ext_t");
_Static_assert(offsetof(hv_atpic_state_ext_t, state) == 4, "atpic ext state");
_Static_assert(sizeof(struct hv_ioapic_state) == 272, "hv_ioapic_state");
_Static_assert(sizeof(hv_ioapic_state_ext_t) == 280, "hv_ioapic_state_ext_t");
_Static_assert(offsetof(hv_ioapic_state_ext_t, state) == 8, "ioapic ext state");

/* §5, §6: the address of each function, in a variable of its documented
 * pointer type (a mismatching type does not compile under -Werror). */
TEST(function_pointers)
{
	int n = 0;

#define HV_FN(ret, name, params)                                       \
	{                                                              \
		ret (*p) params = name;                                \
		EXPECT_TRUE(p != NULL);                                \
		n++;                                                   \
	}
#include "hv_functions.def"

	EXPECT_EQ(81, n);
}

/* §2 */
TEST(error_codes)
{
#define HVC_ERR(name, value, svalue)                                   \
	EXPECT_EQ((long long)(svalue), (long long)(name));             \
	EXPECT_EQ((uint32_t)(value), (uint32_t)(name));
#include "hv_constants.def"

	hv_return_t r = HV_BAD_ARGUMENT;

	EXPECT_TRUE(r == HV_BAD_ARGUMENT);
	EXPECT_TRUE(r < 0);
	EXPECT_EQ(0xba5u << 14, err_sub_hypervisor);
}

/* §3.2, hv_vm_allocate.h, kHV_ION_* */
TEST(types_constants)
{
#define HVC_TYPES(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"

	EXPECT_EQ(kHV_ION_ANY_VALUE, HV_ION_ANY_VALUE);
	EXPECT_EQ(kHV_ION_EXIT_FULL, HV_ION_EXIT_FULL);
}

/* §4 */
TEST(intr_constants)
{
#define HVC_INTR(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}

/* §6.1-§6.3 */
TEST(vmx_constants)
{
#define HVC_VMX(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}

/* §7: the enum and the assembler macros */
TEST(x86_registers)
{
#define HVC_X86(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}

/* §8.1 */
TEST(vmcs_fields)
{
#define HVC_VMCS(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"

	EXPECT_EQ(VMCS_GUEST_INTERRUPTIBILITY, VMCS_GUEST_IGNORE_IRQ);
	EXPECT_EQ(VMCS_MAX, VMCS_INVALID);
	EXPECT_EQ(__VMCS_HOST_RSP, VMCS_HOST_RSP);
}

/* §8.3, §8.4 */
TEST(vmx_controls)
{
#define HVC_CTRL(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"

	EXPECT_EQ(CPU_BASED2_DESC_TABLE, CPU_BASED2_DESCR_TABLE_EXIT);
}

/* §8.5 */
TEST(exit_reasons)
{
#define HVC_REASON(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}

/* §8.6 */
TEST(managed_msrs)
{
#define HVC_MSR(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}

/* §8.7, §8.8 */
TEST(irq_info)
{
#define HVC_IRQ(name, value) EXPECT_EQ(value, name);
#include "hv_constants.def"
}
