// SPDX-License-Identifier: MIT
// The headers from C++ (fact sheet §1-§8): each of the 81 functions in a
// variable of its documented pointer type (C++ has no implicit conversions
// between function types, so enum parameters are checked exactly, unlike C),
// plus every constant value. Standalone TAP program with one test point.
#include <Hypervisor/Hypervisor.h>

#include <cstdint>
#include <cstdio>
#include <type_traits>

static_assert(std::is_same<hv_return_t, int>::value, "hv_return_t is int");
static_assert(std::is_same<hv_vcpuid_t, unsigned int>::value, "hv_vcpuid_t");
static_assert(std::is_same<hv_gpaddr_t, std::uint64_t>::value, "hv_gpaddr_t");
static_assert(std::is_same<hv_uvaddr_t, const void *>::value, "hv_uvaddr_t");
static_assert(sizeof(hv_x86_reg_t) == 4, "hv_x86_reg_t");
static_assert(sizeof(hv_vmx_capability_t) == 4, "hv_vmx_capability_t");
static_assert(sizeof(hv_vm_exitinfo_t) == 4, "hv_vm_exitinfo_t");
static_assert(sizeof(hv_apic_ctrl_t) == 8, "hv_apic_ctrl_t");
static_assert(std::is_same<std::underlying_type<hv_boot_state>::type,
			   std::uint32_t>::value, "hv_boot_state : uint32_t");
static_assert(std::is_same<std::underlying_type<hv_apic_ctrl_t>::type,
			   std::uint64_t>::value, "hv_apic_ctrl_t : uint64_t");
static_assert(sizeof(struct hv_apic_state) == 240, "hv_apic_state");
static_assert(sizeof(hv_apic_state_ext_t) == 248, "hv_apic_state_ext_t");
static_assert(sizeof(hv_atpic_state_ext_t) == 20, "hv_atpic_state_ext_t");
static_assert(sizeof(hv_ioapic_state_ext_t) == 280, "hv_ioapic_state_ext_t");
static_assert(sizeof(hv_ion_message_t) == 56, "hv_ion_message_t");
static_assert(HV_ERROR < 0 && HV_ERROR == static_cast<int>(0xfae94001u),
	      "HV_ERROR");

static int failures;

static void check(const char *what, unsigned long long want,
		  unsigned long long got)
{
	if (want != got) {
		std::printf("# %s: want 0x%llx got 0x%llx\n", what, want, got);
		failures++;
	}
}

#define CHECK_EQ(want, got)                                             \
	check(#got, static_cast<unsigned long long>(want),             \
	      static_cast<unsigned long long>(got))

int main()
{
	int n = 0;

#define HV_FN(ret, name, params)                                        \
	{                                                               \
		ret (*p) params = name;                                 \
		CHECK_EQ(1, p != nullptr);                              \
		n++;                                                    \
	}
#include "hv_functions.def"
	CHECK_EQ(81, n);

#define HVC_ERR(name, value, svalue)                                    \
	CHECK_EQ(static_cast<long long>(svalue), static_cast<long long>(name));
#define HVC_TYPES(name, value) CHECK_EQ(value, name);
#define HVC_INTR(name, value) CHECK_EQ(value, name);
#define HVC_VMX(name, value) CHECK_EQ(value, name);
#define HVC_X86(name, value) CHECK_EQ(value, name);
#define HVC_VMCS(name, value) CHECK_EQ(value, name);
#define HVC_CTRL(name, value) CHECK_EQ(value, name);
#define HVC_REASON(name, value) CHECK_EQ(value, name);
#define HVC_MSR(name, value) CHECK_EQ(value, name);
#define HVC_IRQ(name, value) CHECK_EQ(value, name);
#include "hv_constants.def"

	std::printf("1..1\n%s 1 - cxx_function_pointers\n",
		    failures ? "not ok" : "ok");
	return failures ? 1 : 0;
}
