/* SPDX-License-Identifier: MIT */
/* MSRs and time: native and managed MSRs, hv_vcpu_read/write_msr with
 * their checks and VMCS coherence, the TSC (hv_vm_sync_tsc,
 * hv_vcpu_set_tsc_relative, hv_tsc_clock) (docs/compat.md "MSRs",
 * "TSC and time"). */
#include <Hypervisor/Hypervisor.h>

#include <time.h>

#include "helpers.h"

#define HZ 2000000000ull
#define NONCANON 0x0000800000000000ull
#define CANON_HI 0xffff800000001000ull

static const uint32_t native_msrs[] = {
	HV_MSR_IA32_TSC, HV_MSR_IA32_SYSENTER_CS, HV_MSR_IA32_SYSENTER_ESP,
	HV_MSR_IA32_SYSENTER_EIP, HV_MSR_IA32_STAR, HV_MSR_IA32_LSTAR,
	HV_MSR_IA32_CSTAR, HV_MSR_IA32_FMASK, HV_MSR_IA32_FS_BASE,
	HV_MSR_IA32_GS_BASE, HV_MSR_IA32_KERNEL_GS_BASE, HV_MSR_IA32_TSC_AUX,
};
#define N_NATIVE (sizeof(native_msrs) / sizeof(native_msrs[0]))

/* Never native: managed-only, VMCS-backed, PMU, architectural, unknown. */
static const uint32_t not_native[] = {
	HV_MSR_IA32_EFER, HV_MSR_IA32_SPEC_CTRL, HV_MSR_IA32_PRED_CMD,
	HV_MSR_IA32_ARCH_CAPABILITIES, HV_MSR_IA32_DEBUGCTL,
	HV_MSR_IA32_PMC0, HV_MSR_IA32_PERFEVNTSEL0, HV_MSR_IA32_XSS,
	0x1b /* APIC_BASE */, 0x277 /* PAT */, 0xc0000104, 0xdeadbeef, 0,
};

static uint64_t rdmsr(uint32_t msr)
{
	uint64_t v = 0xa5a5a5a5a5a5a5a5ull;

	if (hv_vcpu_read_msr(g_vcpu, msr, &v) != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "hv_vcpu_read_msr", msr, ~0ull);
	return v;
}

static uint64_t vmcs(uint32_t f)
{
	uint64_t v = 0xa5a5a5a5a5a5a5a5ull;

	if (hv_vmx_vcpu_read_vmcs(g_vcpu, f, &v) != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "hv_vmx_vcpu_read_vmcs", f,
			  ~0ull);
	return v;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

VM_TEST(native_msr_list, 1)
{
	for (size_t i = 0; i < N_NATIVE; i++) {
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_native_msr(
					      g_vcpu, native_msrs[i], true));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_native_msr(
					      g_vcpu, native_msrs[i], false));
	}
	for (size_t i = 0; i < sizeof(not_native) / sizeof(not_native[0]);
	     i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_enable_native_msr(g_vcpu, not_native[i],
						    true));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_enable_native_msr(
						   g_vcpu, not_native[i],
						   false));
	}
}

/* Read/write work for the native set (enabled or not), EFER, DEBUGCTL;
 * not for unbound managed MSRs or unknown ones. */
VM_TEST(read_write_which_msrs, 1)
{
	static const uint32_t refused[] = {
		HV_MSR_IA32_SPEC_CTRL, HV_MSR_IA32_PRED_CMD,
		HV_MSR_IA32_FLUSH_CMD, HV_MSR_IA32_ARCH_CAPABILITIES,
		HV_MSR_IA32_PMC0, HV_MSR_IA32_XSS, HV_MSR_LBR_SELECT,
		0x1b, 0x277, 0xdeadbeef,
	};
	uint64_t v;

	for (size_t i = 0; i < N_NATIVE; i++) {
		if (native_msrs[i] == HV_MSR_IA32_TSC)
			continue;
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_msr(g_vcpu, native_msrs[i], 0x1000));
		EXPECT_EQ(0x1000, rdmsr(native_msrs[i]));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_read_msr(g_vcpu, native_msrs[i], NOPTR));
	}
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, HV_MSR_IA32_EFER,
						0x500));
	EXPECT_EQ(0x500, rdmsr(HV_MSR_IA32_EFER));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, HV_MSR_IA32_DEBUGCTL,
						0));
	EXPECT_EQ(0, rdmsr(HV_MSR_IA32_DEBUGCTL));
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		v = 0x5a;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_read_msr(g_vcpu, refused[i], &v));
		EXPECT_EQ(0x5a, v);
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_msr(g_vcpu, refused[i], 0));
	}
}

/* Value checks: canonical addresses, 32-bit MSRs, EFER reserved bits. A
 * refused write leaves the old value. */
VM_TEST(write_validation, 1)
{
	static const struct {
		uint32_t msr;
		uint64_t good, bad;
	} cases[] = {
		{ HV_MSR_IA32_LSTAR, CANON_HI, NONCANON },
		{ HV_MSR_IA32_CSTAR, 0x00007ffffffff000ull, NONCANON },
		{ HV_MSR_IA32_KERNEL_GS_BASE, CANON_HI, 0x8000000000000000ull },
		{ HV_MSR_IA32_FS_BASE, CANON_HI, NONCANON | 0x1000 },
		{ HV_MSR_IA32_GS_BASE, CANON_HI, 0x7fff800000000000ull },
		{ HV_MSR_IA32_SYSENTER_ESP, CANON_HI, NONCANON },
		{ HV_MSR_IA32_SYSENTER_EIP, CANON_HI, NONCANON },
		{ HV_MSR_IA32_SYSENTER_CS, 0xffffffff, 1ull << 32 },
		{ HV_MSR_IA32_FMASK, 0xffffffff, 1ull << 32 },
		{ HV_MSR_IA32_TSC_AUX, 0xffffffff, 0xffffffff00000000ull },
		{ HV_MSR_IA32_EFER, 0xd01, 0x2 },         /* bit 1 reserved */
		{ HV_MSR_IA32_EFER, 0xd01, 1ull << 12 },
		{ HV_MSR_IA32_EFER, 0xd01, 1ull << 63 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, cases[i].msr,
							cases[i].good));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_msr(g_vcpu, cases[i].msr,
					    cases[i].bad));
		if (rdmsr(cases[i].msr) != cases[i].good)
			printf("# MSR 0x%x\n", cases[i].msr);
		EXPECT_EQ(cases[i].good, rdmsr(cases[i].msr));
	}
	/* STAR holds any 64-bit value. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, HV_MSR_IA32_STAR,
						~0ull));
	EXPECT_EQ(~0ull, rdmsr(HV_MSR_IA32_STAR));
}

/* VMCS-backed MSRs and their guest fields agree both ways. */
VM_TEST(vmcs_backed_coherence, 1)
{
	static const struct {
		uint32_t msr, field;
		uint64_t a, b;
	} map[] = {
		{ HV_MSR_IA32_FS_BASE, VMCS_GUEST_FS_BASE, CANON_HI, 0x7000 },
		{ HV_MSR_IA32_GS_BASE, VMCS_GUEST_GS_BASE, 0x12345000,
		  CANON_HI },
		{ HV_MSR_IA32_SYSENTER_CS, VMCS_GUEST_IA32_SYSENTER_CS, 0x10,
		  0x23 },
		{ HV_MSR_IA32_SYSENTER_ESP, VMCS_GUEST_SYSENTER_ESP, CANON_HI,
		  0x8000 },
		{ HV_MSR_IA32_SYSENTER_EIP, VMCS_GUEST_SYSENTER_EIP, 0x401000,
		  CANON_HI },
		{ HV_MSR_IA32_EFER, VMCS_GUEST_IA32_EFER, 0xd01, 0x100 },
		{ HV_MSR_IA32_DEBUGCTL, VMCS_GUEST_IA32_DEBUGCTL, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		EXPECT_EQ(HV_SUCCESS,
			  hv_vcpu_write_msr(g_vcpu, map[i].msr, map[i].a));
		EXPECT_EQ(map[i].a, vmcs(map[i].field));
		EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(
					      g_vcpu, map[i].field, map[i].b));
		EXPECT_EQ(map[i].b, rdmsr(map[i].msr));
	}
}

VM_TEST(tsc_write_read, 1)
{
	static const uint64_t vals[] = { 0, 1000000, 1ull << 40, 1ull << 62 };

	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		uint64_t a, b, off;

		EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, HV_MSR_IA32_TSC,
							vals[i]));
		a = rdmsr(HV_MSR_IA32_TSC);
		b = rdmsr(HV_MSR_IA32_TSC);
		/* Close (well under 0.5 s of ticks) and monotonic. */
		EXPECT_TRUE(a >= vals[i] && a - vals[i] < HZ / 2);
		EXPECT_TRUE(b >= a);
		/* Guest TSC = hv_tsc_clock() + VMCS_CTRL_TSC_OFFSET. */
		off = vmcs(VMCS_CTRL_TSC_OFFSET);
		EXPECT_TRUE(hv_tsc_clock() + off - vals[i] < HZ / 2);
	}
}

/* hv_vm_sync_tsc sets every vCPU's TSC. */
static uint64_t worker_tsc;

static void read_tsc_fn(void *p)
{
	struct vcpu_req *r = p;

	r->ret = hv_vcpu_read_msr(r->id, HV_MSR_IA32_TSC, &worker_tsc);
}

VM_TEST(sync_tsc_all_vcpus, 1)
{
	struct worker w;
	struct vcpu_req r = { .flags = HV_VCPU_DEFAULT };
	uint64_t t = 5ull << 40, mine;

	ASSERT_TRUE(worker_start(&w));
	worker_call(&w, vcpu_create_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	EXPECT_EQ(HV_SUCCESS, hv_vm_sync_tsc(t));
	mine = rdmsr(HV_MSR_IA32_TSC);
	worker_call(&w, read_tsc_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	EXPECT_TRUE(mine >= t && mine - t < HZ / 2);
	EXPECT_TRUE(worker_tsc >= t && worker_tsc - t < HZ / 2);
	/* Same offset on both: the difference is only elapsed time. */
	EXPECT_TRUE(worker_tsc >= mine);
	worker_call(&w, vcpu_destroy_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	worker_stop(&w);
}

/* hv_vcpu_set_tsc_relative needs HV_VCPU_TSC_RELATIVE. */
VM_TEST(tsc_relative, 1)
{
	hv_vcpuid_t id;
	uint64_t off, tsc;

	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_tsc_relative(g_vcpu, 0));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(g_vcpu));
	g_have_vcpu = 0;
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&id, HV_VCPU_TSC_RELATIVE));
	g_vcpu = id;
	g_have_vcpu = 1;
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_tsc_relative(id, 1000000));
	off = vmcs(VMCS_CTRL_TSC_OFFSET);
	EXPECT_EQ(1000000, off);
	tsc = rdmsr(HV_MSR_IA32_TSC);
	EXPECT_TRUE(tsc - (hv_tsc_clock() + 1000000) < HZ / 2 ||
		    (hv_tsc_clock() + 1000000) - tsc < HZ / 2);
	/* Negative offsets are fine (guest TSC behind the clock). */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_tsc_relative(id, -1000));
	EXPECT_EQ((uint64_t)-1000, vmcs(VMCS_CTRL_TSC_OFFSET));
}

TEST(tsc_clock_rate)
{
	uint64_t c0, c1, t0, t1, c2, c3, t2, t3;
	struct timespec d = { 0, 50000000 };

	if (!vm_setup(0))
		return;
	/* Upper bound: the clock runs at most 2 ticks/ns. */
	t0 = mono_ns();
	c0 = hv_tsc_clock();
	nanosleep(&d, NULL);
	c1 = hv_tsc_clock();
	t1 = mono_ns();
	/* Lower bound: at least 2 ticks/ns. */
	c2 = hv_tsc_clock();
	t2 = mono_ns();
	nanosleep(&d, NULL);
	t3 = mono_ns();
	c3 = hv_tsc_clock();
	EXPECT_TRUE(c1 > c0 && c3 > c2);
	EXPECT_TRUE(c1 - c0 <= 2 * (t1 - t0) + 4);
	EXPECT_TRUE(c3 - c2 + 4 >= 2 * (t3 - t2));
	/* Monotonic over many calls. */
	{
		uint64_t last = hv_tsc_clock(), now;
		int bad = 0;

		for (int i = 0; i < 100000; i++) {
			now = hv_tsc_clock();
			bad += now < last;
			last = now;
		}
		EXPECT_EQ(0, bad);
	}
	vm_teardown();
}

/* Managed MSRs of features the CPU model lacks cannot be bound. */
VM_TEST(managed_unsupported_pmu, 1)
{
	static const uint32_t pmu[] = {
		HV_MSR_IA32_PMC0, HV_MSR_IA32_PMC7, HV_MSR_IA32_PERFEVNTSEL0,
		HV_MSR_IA32_PERFEVNTSEL7, HV_MSR_LBR_SELECT,
		HV_MSR_LASTBRANCH_TOS, HV_MSR_LASTINT_FROM_IP,
		HV_MSR_LASTINT_TO_IP, HV_MSR_IA32_FIXED_CTR0,
		HV_MSR_IA32_FIXED_CTR3, HV_MSR_PERF_METRICS,
		HV_MSR_IA32_FIXED_CTR_CTRL, HV_MSR_IA32_PERF_GLOBAL_STATUS,
		HV_MSR_IA32_PERF_GLOBAL_CTRL,
		HV_MSR_IA32_PERF_GLOBAL_STATUS_RESET,
		HV_MSR_IA32_PERF_GLOBAL_STATUS_SET,
		HV_MSR_IA32_PERF_GLOBAL_INUSE, HV_MSR_IA32_A_PMC0,
		HV_MSR_IA32_A_PMC7, HV_MSR_LASTBRANCH_0_FROM_IP,
		HV_MSR_LASTBRANCH_31_FROM_IP, HV_MSR_LASTBRANCH_0_TO_IP,
		HV_MSR_LASTBRANCH_31_TO_IP, HV_MSR_IA32_XSS,
		HV_MSR_LASTBRANCH_INFO_0, HV_MSR_LASTBRANCH_INFO_31,
	};

	for (size_t i = 0; i < sizeof(pmu) / sizeof(pmu[0]); i++) {
		EXPECT_EQ(HV_UNSUPPORTED,
			  hv_vcpu_enable_managed_msr(g_vcpu, pmu[i], true));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_set_msr_access(g_vcpu, pmu[i],
						 HV_MSR_READ));
	}
}

VM_TEST(managed_binding_rules, 1)
{
	static const uint32_t bindable[] = {
		HV_MSR_IA32_SPEC_CTRL, HV_MSR_IA32_PRED_CMD,
		HV_MSR_IA32_FLUSH_CMD, HV_MSR_IA32_ARCH_CAPABILITIES,
		HV_MSR_IA32_TSC, HV_MSR_IA32_SYSENTER_CS,
		HV_MSR_IA32_SYSENTER_ESP, HV_MSR_IA32_SYSENTER_EIP,
		HV_MSR_IA32_STAR, HV_MSR_IA32_LSTAR, HV_MSR_IA32_CSTAR,
		HV_MSR_IA32_FMASK, HV_MSR_IA32_FS_BASE, HV_MSR_IA32_GS_BASE,
		HV_MSR_IA32_KERNEL_GS_BASE, HV_MSR_IA32_TSC_AUX,
	};
	uint64_t v;

	for (size_t i = 0; i < sizeof(bindable) / sizeof(bindable[0]); i++) {
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
					      g_vcpu, bindable[i], true));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
					      g_vcpu, bindable[i], false));
	}
	/* Not an Apple managed MSR. */
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_enable_managed_msr(g_vcpu, 0x1b, true));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_enable_managed_msr(g_vcpu, 0xdeadbeef, true));

	/* set_msr_access needs a binding. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
					   g_vcpu, HV_MSR_IA32_SPEC_CTRL,
					   HV_MSR_READ));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
				      g_vcpu, HV_MSR_IA32_SPEC_CTRL, true));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_msr_access(
				      g_vcpu, HV_MSR_IA32_SPEC_CTRL,
				      HV_MSR_READ | HV_MSR_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_msr_access(
				      g_vcpu, HV_MSR_IA32_SPEC_CTRL,
				      HV_MSR_NONE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
					   g_vcpu, HV_MSR_IA32_SPEC_CTRL, 4));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
					   g_vcpu, HV_MSR_IA32_SPEC_CTRL,
					   0x80000001u));
	/* Bound: the host reads and writes its value. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g_vcpu, HV_MSR_IA32_SPEC_CTRL,
						1));
	EXPECT_EQ(1, rdmsr(HV_MSR_IA32_SPEC_CTRL));
	/* Unbinding drops the binding and with it the access. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_msr_access(
				      g_vcpu, HV_MSR_IA32_SPEC_CTRL,
				      HV_MSR_READ | HV_MSR_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
				      g_vcpu, HV_MSR_IA32_SPEC_CTRL, false));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
					   g_vcpu, HV_MSR_IA32_SPEC_CTRL,
					   HV_MSR_READ));
	v = 0x5a;
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_read_msr(g_vcpu, HV_MSR_IA32_SPEC_CTRL, &v));
	EXPECT_EQ(0x5a, v);
}

/* Read-only MSRs take no write access, write-only ones no read access. */
VM_TEST(managed_access_direction, 1)
{
	static const struct {
		uint32_t msr;
		hv_msr_flags_t ok, bad;
	} dir[] = {
		{ HV_MSR_IA32_ARCH_CAPABILITIES, HV_MSR_READ, HV_MSR_WRITE },
		{ HV_MSR_IA32_PRED_CMD, HV_MSR_WRITE, HV_MSR_READ },
		{ HV_MSR_IA32_FLUSH_CMD, HV_MSR_WRITE, HV_MSR_READ },
	};

	for (size_t i = 0; i < sizeof(dir) / sizeof(dir[0]); i++) {
		ASSERT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
					      g_vcpu, dir[i].msr, true));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_msr_access(
					      g_vcpu, dir[i].msr, dir[i].ok));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
						   g_vcpu, dir[i].msr,
						   dir[i].bad));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_msr_access(
						   g_vcpu, dir[i].msr,
						   HV_MSR_READ | HV_MSR_WRITE));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_msr_access(
					      g_vcpu, dir[i].msr,
					      HV_MSR_NONE));
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_enable_managed_msr(
					      g_vcpu, dir[i].msr, false));
	}
}
