/* SPDX-License-Identifier: MIT */
/* Guest-program runner: one test per guest program of tests/guest (the
 * harness is runner.h); each checks its expected exits and registers. */
#include <pthread.h>
#include <time.h>

#include "runner.h"

/* ------------------------------------------------------------------ */
/* Tests, one per guest program                                        */

TEST(guest_mode64)
{
	struct guest g;

	if (guest_open(&g, "mode64"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_TRUE(g.ntrace >= 2);
	EXPECT_EQ(VMX_REASON_RDMSR, g.trace[0]);
	EXPECT_EQ(VMX_REASON_WRMSR, g.trace[1]);
	EXPECT_TRUE(strstr(g.con, "long mode ok\n") != NULL);
	EXPECT_EQ(0x18, rreg(&g, HV_X86_CS));
	EXPECT_EQ(0x500, rvmcs(&g, VMCS_GUEST_IA32_EFER) & 0x500);
	EXPECT_EQ(0x80000021, rvmcs(&g, VMCS_GUEST_CR0) & 0x80000021);
	EXPECT_TRUE(rvmcs(&g, VMCS_CTRL_VMENTRY_CONTROLS) & VMENTRY_GUEST_IA32E);
	guest_close(&g);
}

TEST(guest_exc64)
{
	struct guest g;

	if (guest_open(&g, "exc64"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(3, g.ntrace);
	guest_close(&g);
}

#define MMIO_BASE 0x10000000ull
#define RO_PAGE 0x500000ull

/* EPT-violation qualification: access bits 2:0, permissions 5:3, linear
 * address valid (7), final translation (8) (SDM Vol. 3C, 28.2.1). */
static int ept_hook(struct guest *g, uint32_t reason)
{
	uint64_t q, gpa, gla;

	if (reason != VMX_REASON_EPT_VIOLATION)
		return 0;
	q = rvmcs(g, VMCS_RO_EXIT_QUALIFIC);
	gpa = rvmcs(g, VMCS_GUEST_PHYSICAL_ADDRESS);
	gla = rvmcs(g, VMCS_RO_GUEST_LIN_ADDR);
	switch (g->scratch[0]++) {
	case 0:
		EXPECT_EQ(0x181, q & 0x1bf);
		EXPECT_EQ(MMIO_BASE + 0x10, gpa);
		EXPECT_EQ(MMIO_BASE + 0x10, gla);
		wreg(g, HV_X86_RAX, 0xfeedbeef);
		wreg(g, HV_X86_RIP, rreg(g, HV_X86_RIP) + 2);
		return 1;
	case 1:
		EXPECT_EQ(0x182, q & 0x1bf);
		EXPECT_EQ(MMIO_BASE + 0x14, gpa);
		g->scratch[1] = rreg(g, HV_X86_RCX);
		wreg(g, HV_X86_RIP, rreg(g, HV_X86_RIP) + 3);
		return 1;
	case 2:
		EXPECT_EQ(0x18a, q & 0x1bf);
		EXPECT_EQ(RO_PAGE + 0x20, gpa);
		EXPECT_EQ(HV_SUCCESS, hv_vm_protect(RO_PAGE, 0x1000,
			HV_MEMORY_READ | HV_MEMORY_WRITE));
		return 1;
	default:
		return 0;
	}
}

TEST(guest_ept)
{
	struct guest g;
	uint8_t *ro;

	if (guest_open(&g, "ept"))
		return;
	ro = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(ro, RO_PAGE, 0x1000, HV_MEMORY_READ));
	g.hook = ept_hook;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(3, g.scratch[0]);
	EXPECT_EQ(0x11223344, g.scratch[1]);
	EXPECT_EQ(0x55, ro[0x20]);
	guest_close(&g);
	munmap(ro, 0x1000);
}

/* CPUID (reason 10) and I/O (reason 30) exits: SDM Vol. 3C, 28.2.1 table
 * "Exit Qualification for I/O Instructions". */
static int cpuid_io_hook(struct guest *g, uint32_t reason)
{
	uint64_t q = rvmcs(g, VMCS_RO_EXIT_QUALIFIC);
	uint64_t len = rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN);

	if (reason == VMX_REASON_CPUID) {
		EXPECT_EQ(2, len);
		EXPECT_EQ(1, rreg(g, HV_X86_RAX));
		wreg(g, HV_X86_RAX, 0x12345678);
		wreg(g, HV_X86_RBX, 0x9abcdef0);
		skip_insn(g);
		return 1;
	}
	if (reason != VMX_REASON_IO || (q >> 16) == PORT_CON ||
	    (q >> 16) == PORT_CTL)
		return 0;
	EXPECT_EQ(2, len);
	switch (q >> 16) {
	case 0x71:
		EXPECT_EQ(0x00710048, q);
		wreg(g, HV_X86_RAX, (rreg(g, HV_X86_RAX) & ~0xffull) | 0x5a);
		break;
	case 0x1234:
		EXPECT_EQ(0x12340001, q);
		g->scratch[0] = rreg(g, HV_X86_RAX) & 0xffff;
		break;
	case 0x80:
		EXPECT_EQ(0x00800030, q);
		EXPECT_EQ(rreg(g, HV_X86_RSI), rvmcs(g, VMCS_RO_GUEST_LIN_ADDR));
		g->scratch[1] = rreg(g, HV_X86_RCX);
		wreg(g, HV_X86_RSI, rreg(g, HV_X86_RSI) + 3);
		wreg(g, HV_X86_RCX, 0);
		break;
	default:
		return 0;
	}
	skip_insn(g);
	return 1;
}

TEST(guest_cpuid_io)
{
	struct guest g;

	if (guest_open(&g, "cpuid_io"))
		return;
	g.hook = cpuid_io_hook;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(0xbeef, g.scratch[0]);
	EXPECT_EQ(3, g.scratch[1]);
	EXPECT_EQ(VMX_REASON_CPUID, g.trace[0]);
	EXPECT_EQ(VMX_REASON_IO, g.trace[1]);
	guest_close(&g);
}

TEST(guest_triple)
{
	struct guest g;

	if (guest_open(&g, "triple"))
		return;
	EXPECT_EQ(VMX_REASON_TRIPLE_FAULT, guest_run(&g));
	EXPECT_EQ(0, g.finished);
	guest_close(&g);
}

TEST(guest_exc32)
{
	struct guest g;

	if (guest_open(&g, "exc32"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(1, g.ntrace);
	EXPECT_EQ(0x2010, rvmcs(&g, VMCS_GUEST_CR4));
	EXPECT_EQ(0x400100, rreg(&g, HV_X86_CR2));
	guest_close(&g);
}

TEST(guest_mode16)
{
	struct guest g;

	if (guest_open(&g, "mode16"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(1, g.ntrace);
	guest_close(&g);
}

TEST(guest_syscall)
{
	static const uint32_t native[] = { 0xc0000081, 0xc0000082,
					   0xc0000084, 0xc0000101,
					   0xc0000102 };
	struct guest g;

	if (guest_open(&g, "syscall"))
		return;
	for (unsigned i = 0; i < 5; i++)
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_enable_native_msr(g.vcpu, native[i], true));
	guest_run(&g);
	expect_done(&g);
	/* EFER pair of the boot stub, EFER pair for SCE, done. */
	EXPECT_EQ(5, g.ntrace);
	EXPECT_EQ(0x18, rreg(&g, HV_X86_CS));
	guest_close(&g);
}

/* Intercepted exceptions exit with reason 0 and the interruption
 * information (SDM Vol. 3C, 28.2.2); the runner re-injects them through
 * the VM-entry interruption-information field (27.6). */
static int inject_hook(struct guest *g, uint32_t reason)
{
	uint64_t info = rvmcs(g, VMCS_RO_VMEXIT_IRQ_INFO);

	if (reason == VMX_REASON_EXC_NMI && (info & 0xff) == 3) {
		EXPECT_EQ(0x80000603, info);
		EXPECT_EQ(1, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
		wvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO, info);
		wvmcs(g, VMCS_CTRL_VMENTRY_INSTR_LEN, 1);
		g->scratch[0]++;
		return 1;
	}
	if (reason == VMX_REASON_EXC_NMI && (info & 0xff) == 14) {
		EXPECT_EQ(0x80000b0e, info);
		EXPECT_EQ(2, rvmcs(g, VMCS_RO_VMEXIT_IRQ_ERROR));
		EXPECT_EQ(0x3fe00008, rvmcs(g, VMCS_RO_EXIT_QUALIFIC));
		EXPECT_EQ(0, rreg(g, HV_X86_CR2));
		wreg(g, HV_X86_CR2, rvmcs(g, VMCS_RO_EXIT_QUALIFIC));
		wvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO, info);
		wvmcs(g, VMCS_CTRL_VMENTRY_EXC_ERROR, 2);
		g->scratch[0]++;
		return 1;
	}
	if (reason == VMX_REASON_CPUID) {
		skip_insn(g);
		wvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000030);
		g->scratch[0]++;
		return 1;
	}
	return 0;
}

TEST(guest_inject)
{
	struct guest g;

	if (guest_open(&g, "inject"))
		return;
	wvmcs(&g, VMCS_CTRL_EXC_BITMAP, (1u << 3) | (1u << 14));
	wvmcs(&g, VMCS_CTRL_PF_ERROR_MASK, 0);
	wvmcs(&g, VMCS_CTRL_PF_ERROR_MATCH, 0);
	g.hook = inject_hook;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(3, g.scratch[0]);
	EXPECT_EQ(0, rvmcs(&g, VMCS_CTRL_VMENTRY_IRQ_INFO) & IRQ_INFO_VALID);
	guest_close(&g);
}

/* hv_vcpu_interrupt from another thread makes a spinning guest exit with
 * VMX_REASON_IRQ within a millisecond. Host scheduling only ever adds
 * delay, so the best of up to ten kicks is what the engine guarantees. */
TEST(guest_kick)
{
	uint64_t best = UINT64_MAX;
	struct guest g;

	if (guest_open(&g, "spin"))
		return;
	for (int i = 0; i < 10 && best >= 1000000; i++) {
		struct kicker k = { g.vcpu, 20, 0 };
		uint64_t t_exit;
		pthread_t t;

		ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_run(g.vcpu));
		t_exit = now_ns();
		pthread_join(t, NULL);
		EXPECT_EQ(VMX_REASON_IRQ,
			  rvmcs(&g, VMCS_RO_EXIT_REASON) & 0xffff);
		if (k.t_kick && t_exit - k.t_kick < best)
			best = t_exit - k.t_kick;
	}
	EXPECT_TRUE(best < 1000000);
	printf("# kick latency %llu us (best of the kicks)\n",
	       (unsigned long long)best / 1000);
	guest_close(&g);
}

/* Interrupt-window exiting (reason 7) and XSETBV (reason 55). */
static int debug_hook(struct guest *g, uint32_t reason)
{
	uint64_t ctl = rvmcs(g, VMCS_CTRL_CPU_BASED);

	switch (reason) {
	case VMX_REASON_CPUID:
		wvmcs(g, VMCS_CTRL_CPU_BASED, ctl | CPU_BASED_IRQ_WND);
		skip_insn(g);
		return 1;
	case VMX_REASON_IRQ_WND:
		wvmcs(g, VMCS_CTRL_CPU_BASED, ctl & ~(uint64_t)CPU_BASED_IRQ_WND);
		wvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000030);
		g->scratch[0] = rreg(g, HV_X86_RIP);
		return 1;
	case VMX_REASON_XSETBV:
		EXPECT_EQ(3, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
		wreg(g, HV_X86_XCR0, rreg(g, HV_X86_RAX) & 0xffffffff);
		skip_insn(g);
		return 1;
	default:
		return 0;
	}
}

TEST(guest_debug)
{
	struct guest g;

	if (guest_open(&g, "debug"))
		return;
	g.hook = debug_hook;
	guest_run(&g);
	expect_done(&g);
	EXPECT_TRUE(g.scratch[0] != 0);
	guest_close(&g);
}

TEST(guest_paging)
{
	struct guest g;

	if (guest_open(&g, "paging"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(0xd00, rvmcs(&g, VMCS_GUEST_IA32_EFER) & 0xd00);
	guest_close(&g);
}

TEST(guest_pae)
{
	struct guest g;

	if (guest_open(&g, "pae"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(0x301001, rvmcs(&g, VMCS_GUEST_PDPTE0));
	EXPECT_EQ(0, rvmcs(&g, VMCS_GUEST_PDPTE1));
	guest_close(&g);
}

/* The VMX-preemption timer and hv_vcpu_run_until deadlines end a spinning
 * guest with exit reason 52. */
TEST(guest_timer)
{
	struct guest g;

	if (guest_open(&g, "spin"))
		return;
	wvmcs(&g, VMCS_CTRL_PIN_BASED, cap2ctrl(HV_VMX_CAP_TRUE_PINBASED,
		PIN_BASED_PREEMPTION_TIMER));
	wvmcs(&g, VMCS_CTRL_VMEXIT_CONTROLS, cap2ctrl(HV_VMX_CAP_TRUE_EXIT,
		VMEXIT_SAVE_VMX_TIMER));
	wvmcs(&g, VMCS_GUEST_VMX_TIMER_VALUE, 1000);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_run(g.vcpu));
	EXPECT_EQ(VMX_REASON_VMX_TIMER_EXPIRED,
		  rvmcs(&g, VMCS_RO_EXIT_REASON) & 0xffff);
	EXPECT_EQ(0, rvmcs(&g, VMCS_GUEST_VMX_TIMER_VALUE));
	/* "Save VMX-preemption timer value" needs the timer (SDM Vol. 3C,
	 * 27.2.1.2): both go off together. */
	wvmcs(&g, VMCS_CTRL_PIN_BASED, cap2ctrl(HV_VMX_CAP_TRUE_PINBASED, 0));
	wvmcs(&g, VMCS_CTRL_VMEXIT_CONTROLS, cap2ctrl(HV_VMX_CAP_TRUE_EXIT, 0));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_run_until(g.vcpu, now_ns() + 2000000));
	EXPECT_EQ(VMX_REASON_VMX_TIMER_EXPIRED,
		  rvmcs(&g, VMCS_RO_EXIT_REASON) & 0xffff);
	guest_close(&g);
}

TEST(guest_real)
{
	struct guest g;

	if (guest_open(&g, "real"))
		return;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(1, g.ntrace);
	guest_close(&g);
}

/* Task-switch qualification: selector 15:0, source 31:30 (0 CALL, 1 IRET,
 * 2 JMP, 3 IDT; SDM Vol. 3C, 28.2.1). */
static int task_hook(struct guest *g, uint32_t reason)
{
	uint64_t q = rvmcs(g, VMCS_RO_EXIT_QUALIFIC);

	if (reason != VMX_REASON_TASK)
		return 0;
	if (g->scratch[0]++ == 0) {
		EXPECT_EQ(0x80000058, q);
		EXPECT_EQ(7, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
	} else {
		EXPECT_EQ(0x40000048, q);
		EXPECT_EQ(1, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
		wreg(g, HV_X86_RFLAGS, rreg(g, HV_X86_RFLAGS) & ~0x4000ull);
	}
	skip_insn(g);
	return 1;
}

TEST(guest_task)
{
	struct guest g;

	if (guest_open(&g, "task"))
		return;
	g.hook = task_hook;
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(2, g.scratch[0]);
	guest_close(&g);
}

TEST(guest_desc)
{
	static const uint32_t native[] = { 0x174, 0x175, 0x176 };
	struct guest g;

	if (guest_open(&g, "desc"))
		return;
	for (unsigned i = 0; i < 3; i++)
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_enable_native_msr(g.vcpu, native[i], true));
	guest_run(&g);
	expect_done(&g);
	EXPECT_EQ(1, g.ntrace);
	EXPECT_EQ(0x28, rvmcs(&g, VMCS_GUEST_IA32_SYSENTER_CS));
	guest_close(&g);
}
