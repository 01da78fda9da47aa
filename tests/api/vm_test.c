/* SPDX-License-Identifier: MIT */
/* VM lifetime, VM options, hv_capability and calls made without a VM
 * (docs/compat.md "Return codes", "VM"). */
#include <Hypervisor/Hypervisor.h>
#include <Hypervisor/hv_openhvf.h>

#include "helpers.h"

TEST(vm_create_destroy)
{
	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
	/* Destroyed: a second destroy has no VM. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_destroy());
}

TEST(vm_second_create_busy)
{
	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	EXPECT_EQ(HV_BUSY, hv_vm_create(HV_VM_DEFAULT));
	EXPECT_EQ(HV_BUSY, hv_vm_create(HV_VM_SPECIFY_MITIGATIONS));
	/* The first VM is still there and usable. */
	{
		hv_vm_space_t s;

		EXPECT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
		EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
	}
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
}

TEST(vm_destroy_with_vcpu_busy)
{
	hv_vcpuid_t id;

	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(HV_BUSY, hv_vm_destroy());
	/* Refused: the vCPU and the VM still work. */
	{
		uint64_t v = 0;

		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_register(id, HV_X86_RAX, 0x1234));
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_read_register(id, HV_X86_RAX, &v));
		EXPECT_EQ(0x1234, v);
	}
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(id));
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
}

/* A worker-owned vCPU also keeps the VM alive. */
TEST(vm_destroy_with_foreign_vcpu_busy)
{
	struct worker w;
	struct vcpu_req r = { .flags = HV_VCPU_DEFAULT };

	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	ASSERT_TRUE(worker_start(&w));
	worker_call(&w, vcpu_create_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	EXPECT_EQ(HV_BUSY, hv_vm_destroy());
	worker_call(&w, vcpu_destroy_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	worker_stop(&w);
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
}

TEST(vm_recreate_is_fresh)
{
	void *mem = pages(1);
	hv_vcpuid_t id;

	ASSERT_TRUE(mem != NULL);
	for (int round = 0; round < 3; round++) {
		ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
		/* The map of the previous VM is gone: the same GPA maps
		 * again. */
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(mem, 0x10000, PAGE,
						HV_MEMORY_READ));
		/* vCPU ids start again at 0. */
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
		EXPECT_EQ(0, id);
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(id));
		/* Destroy with a live mapping is allowed. */
		EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
	}
	munmap(mem, PAGE);
}

/* Every documented option combination is accepted. */
TEST(vm_options_accepted)
{
	static const hv_vm_options_t ok[] = {
		HV_VM_DEFAULT,
		HV_VM_SPECIFY_MITIGATIONS,
		HV_VM_MITIGATION_A_ENABLE,
		HV_VM_MITIGATION_B_ENABLE,
		HV_VM_MITIGATION_C_ENABLE,
		HV_VM_MITIGATION_D_ENABLE,
		HV_VM_MITIGATION_E_ENABLE,
		HV_VM_SPECIFY_MITIGATIONS | HV_VM_MITIGATION_A_ENABLE |
			HV_VM_MITIGATION_B_ENABLE | HV_VM_MITIGATION_C_ENABLE |
			HV_VM_MITIGATION_D_ENABLE | HV_VM_MITIGATION_E_ENABLE,
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		hv_return_t r = hv_vm_create(ok[i]);

		EXPECT_EQ(HV_SUCCESS, r);
		if (r == HV_SUCCESS)
			EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
		else
			printf("# options 0x%llx refused\n",
			       (unsigned long long)ok[i]);
	}
}

/* Refused options leave no VM behind. */
TEST(vm_options_refused)
{
	static const struct {
		hv_vm_options_t flags;
		hv_return_t want;
	} bad[] = {
		{ HV_VM_ACCEL_APIC, HV_UNSUPPORTED },
		{ HV_VM_ACCEL_APIC | HV_VM_SPECIFY_MITIGATIONS,
		  HV_UNSUPPORTED },
		{ 1ull << 5, HV_BAD_ARGUMENT },   /* the skipped bit */
		{ 1ull << 7, HV_BAD_ARGUMENT },
		{ 1ull << 8, HV_BAD_ARGUMENT },
		{ 1ull << 9, HV_BAD_ARGUMENT },
		{ 1ull << 11, HV_BAD_ARGUMENT },
		{ 1ull << 32, HV_BAD_ARGUMENT },
		{ 1ull << 63, HV_BAD_ARGUMENT },
		{ HV_VM_SPECIFY_MITIGATIONS | (1ull << 5), HV_BAD_ARGUMENT },
		{ ~0ull & ~(hv_vm_options_t)HV_VM_ACCEL_APIC, HV_BAD_ARGUMENT },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		hv_return_t r = hv_vm_create(bad[i].flags);

		EXPECT_EQ(bad[i].want, r);
		if (r == HV_SUCCESS)
			hv_vm_destroy();
		/* No VM was created. */
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_destroy());
	}
}

TEST(capability_values)
{
	uint64_t v = 0;

	/* Without a VM ... */
	EXPECT_EQ(HV_SUCCESS, hv_capability(HV_CAP_VCPUMAX, &v));
	EXPECT_EQ(64, v);
	EXPECT_EQ(HV_SUCCESS, hv_capability(HV_CAP_ADDRSPACEMAX, &v));
	EXPECT_EQ(8, v);
	/* ... and with one. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	v = 0;
	EXPECT_EQ(HV_SUCCESS, hv_capability(HV_CAP_VCPUMAX, &v));
	EXPECT_EQ(64, v);
	v = 0;
	EXPECT_EQ(HV_SUCCESS, hv_capability(HV_CAP_ADDRSPACEMAX, &v));
	EXPECT_EQ(8, v);
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
}

TEST(capability_bad_arguments)
{
	static const hv_capability_t bad[] = { 2, 3, 64, 0xffffffffull,
					       1ull << 32, ~0ull };
	uint64_t v;

	EXPECT_EQ(HV_BAD_ARGUMENT, hv_capability(HV_CAP_VCPUMAX, NOPTR));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_capability(HV_CAP_ADDRSPACEMAX, NOPTR));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 0x5a5a;
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_capability(bad[i], &v));
		/* A rejected call changes nothing. */
		EXPECT_EQ(0x5a5a, v);
	}
}

/* Every VM-level call needs a VM: HV_BAD_ARGUMENT without one. */
TEST(calls_without_vm)
{
	void *mem = pages(1);
	hv_vm_space_t s = 77;
	hv_vcpuid_t id = 77;
	hv_vcpuid_t ids[1] = { 0 };
	uint64_t v = 0x5a;

	ASSERT_TRUE(mem != NULL);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_destroy());
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(mem, 0, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(0, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(0, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map_space(HV_VM_SPACE_DEFAULT, mem, 0, PAGE,
				  HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_unmap_space(HV_VM_SPACE_DEFAULT, 0, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_protect_space(HV_VM_SPACE_DEFAULT, 0, PAGE,
				      HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_create(&s));
	EXPECT_EQ(77, s);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_destroy(1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_sync_tsc(0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(77, id);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(ids, 1));
	/* vCPU calls: there is no vCPU. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_read_register(0, HV_X86_RIP, &v));
	EXPECT_EQ(0x5a, v);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_write_register(0, HV_X86_RIP, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_destroy(0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_run(0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vmx_vcpu_read_vmcs(0, VMCS_GUEST_RIP,
							 &v));
	munmap(mem, PAGE);
}

/* The calls that do not need a VM. */
TEST(calls_that_work_without_vm)
{
	void *p = NULL;
	uint64_t v = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vm_allocate(&p, PAGE, HV_ALLOCATE_DEFAULT));
	if (p)
		EXPECT_EQ(HV_SUCCESS, hv_vm_deallocate(p, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_read_capability(HV_VMX_CAP_BASIC, &v));
	EXPECT_TRUE(hv_openhvf_version() != NULL);
}

/* A VM-creating thread does not own the VM: another thread destroys
 * it (VMs belong to the process). */
static void destroy_fn(void *p)
{
	*(hv_return_t *)p = hv_vm_destroy();
}

TEST(vm_destroy_from_other_thread)
{
	struct worker w;
	hv_return_t r = HV_ERROR;

	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	ASSERT_TRUE(worker_start(&w));
	worker_call(&w, destroy_fn, &r);
	worker_stop(&w);
	EXPECT_EQ(HV_SUCCESS, r);
	if (r != HV_SUCCESS)
		hv_vm_destroy();
}

TEST(vm_leaves_nothing_behind)
{
	/* After all the tests above, there is no VM. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_destroy());
}
