/* SPDX-License-Identifier: MIT */
/* Engine selection as seen by hv_vcpu_run: HV_ENGINE=none refuses to run
 * (HV_UNSUPPORTED); with the default engine a run may only succeed if
 * HV_ENGINE is unset or "emu" (docs/compat.md "Return codes"). No test
 * here depends on a guest actually running. */
#include <Hypervisor/Hypervisor.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

TEST(engine_none_refuses_run)
{
	uint32_t s;

	ASSERT_EQ(0, setenv("HV_ENGINE", "none", 1));
	if (vm_setup(1)) {
		EXPECT_EQ(HV_ERROR, hv_vcpu_vmx_status(g_vcpu, &s));
		EXPECT_EQ(HV_UNSUPPORTED, hv_vcpu_run(g_vcpu));
		EXPECT_EQ(HV_UNSUPPORTED,
			  hv_vcpu_run_until(g_vcpu, HV_DEADLINE_FOREVER));
		vm_teardown();
	}
	unsetenv("HV_ENGINE");
}

/* The engine is chosen at hv_vm_create: changing HV_ENGINE later has no
 * effect on the VM. */
TEST(engine_fixed_at_vm_create)
{
	ASSERT_EQ(0, setenv("HV_ENGINE", "none", 1));
	if (vm_setup(1)) {
		unsetenv("HV_ENGINE");
		EXPECT_EQ(HV_UNSUPPORTED, hv_vcpu_run(g_vcpu));
		vm_teardown();
	}
	unsetenv("HV_ENGINE");
}

/* With the default engine: HV_SUCCESS (an exit happened: nothing is
 * mapped, so the first fetch at FFFFFFF0 exits) or, in a build without
 * the emu engine, HV_UNSUPPORTED. */
TEST(default_engine_run)
{
	hv_return_t r;
	uint64_t reason = 0;

	unsetenv("HV_ENGINE");
	if (!vm_setup(1))
		return;
	r = hv_vcpu_run(g_vcpu);
	if (r == HV_UNSUPPORTED) {
		test_skip("no guest engine in this build");
	} else {
		EXPECT_EQ(HV_SUCCESS, r);
		EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(
					      g_vcpu, VMCS_RO_EXIT_REASON,
					      &reason));
		EXPECT_EQ(VMX_REASON_EPT_VIOLATION, reason & 0xffff);
		/* The entry succeeded: status 0 (compat.md "VM-entry
		 * status"). */
		{
			uint32_t st = 0x5a;

			EXPECT_EQ(HV_SUCCESS, hv_vcpu_vmx_status(g_vcpu, &st));
			EXPECT_EQ(0, st);
		}
	}
	vm_teardown();
}

/* A kick that arrives while the vCPU is not running is remembered: the
 * next run returns at once with VMX_REASON_IRQ, the one after that runs
 * normally (compat.md "vCPUs and ownership"). */
TEST(kick_before_run_is_remembered)
{
	hv_return_t r;
	uint64_t reason = 0, rip0 = 0, rip1 = 1;

	unsetenv("HV_ENGINE");
	if (!vm_setup(1))
		return;
	hv_vcpu_read_register(g_vcpu, HV_X86_RIP, &rip0);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_interrupt(&g_vcpu, 1));
	r = hv_vcpu_run(g_vcpu);
	if (r == HV_UNSUPPORTED) {
		test_skip("no guest engine in this build");
	} else {
		EXPECT_EQ(HV_SUCCESS, r);
		hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_RO_EXIT_REASON, &reason);
		EXPECT_EQ(VMX_REASON_IRQ, reason & 0xffff);
		/* Nothing ran. */
		hv_vcpu_read_register(g_vcpu, HV_X86_RIP, &rip1);
		EXPECT_EQ(rip0, rip1);
		/* Consumed: the next run reaches the guest. */
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_run(g_vcpu));
		hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_RO_EXIT_REASON, &reason);
		EXPECT_EQ(VMX_REASON_EPT_VIOLATION, reason & 0xffff);
	}
	vm_teardown();
}

/* "Guest accesses never fault the host" (compat.md "Memory"): host memory
 * that is mapped but not accessible (PROT_NONE) must not crash the
 * process when the guest touches it: either hv_vm_map refuses it or the
 * access becomes an exit. The guest's first fetch (FFFFFFF0) touches the
 * page. Runs in a child so that a crash is reported, not fatal. */
TEST(inaccessible_host_memory_does_not_crash)
{
	pid_t pid;
	int st = 0;

	unsetenv("HV_ENGINE");
	fflush(stdout);
	pid = fork();
	ASSERT_TRUE(pid >= 0);
	if (pid == 0) {
		hv_vcpuid_t v;
		void *p = mmap(NULL, PAGE, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED || hv_vm_create(HV_VM_DEFAULT) ||
		    hv_vcpu_create(&v, HV_VCPU_DEFAULT))
			_exit(2);
		if (hv_vm_map(p, 0xfffff000, PAGE, HV_MEMORY_READ |
			      HV_MEMORY_WRITE | HV_MEMORY_EXEC) != HV_SUCCESS)
			_exit(0); /* refused: fine */
		_exit(hv_vcpu_run(v) == HV_UNSUPPORTED ? 3 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3) {
		test_skip("no guest engine in this build");
		return;
	}
	if (WIFSIGNALED(st))
		printf("# child killed by signal %d\n", WTERMSIG(st));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(0, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}
