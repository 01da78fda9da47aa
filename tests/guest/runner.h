/* SPDX-License-Identifier: MIT */
/* The guest-program harness shared by the runners (guest_test.c,
 * vmx_test.c): loads a flat image built from a tests/guest .S file (from
 * the directory of the runner binary, or $OPENHVF_GUEST_DIR) at
 * guest-physical 0x8000 through the public API only, enters it in real
 * mode (unrestricted guest), services the host-call protocol of
 * lib/guest.inc (port 0xE9 console, port 0xF4 done/fail(line)), emulates
 * EFER and other MSRs, and records the exits. */
#ifndef OPENHVF_TESTS_GUEST_RUNNER_H
#define OPENHVF_TESTS_GUEST_RUNNER_H

#include <Hypervisor/Hypervisor.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../lib/test.h"

#define RAM_SIZE 0x400000ull
#define LOAD_ADDR 0x8000ull
#define PORT_CON 0xe9
#define PORT_CTL 0xf4
#define MAX_EXITS 100000
#define TRACE_MAX 64

struct guest;
/* A test's own exit handling: return 1 if handled (continue), 0 if not
 * handled (the exit fails the test), -1 to stop running. */
typedef int (*exit_hook)(struct guest *g, uint32_t reason);

struct guest {
	hv_vcpuid_t vcpu;
	uint8_t *ram;
	exit_hook hook;
	int finished;          /* 1 done, -1 failed in the guest */
	uint64_t fail_line;
	char con[1024];
	size_t ncon;
	uint32_t trace[TRACE_MAX];
	unsigned ntrace;
	uint64_t scratch[8];   /* per-test values recorded by hooks */
};

/* ------------------------------------------------------------------ */
/* Small API wrappers                                                  */

static inline uint64_t rvmcs(struct guest *g, uint32_t f)
{
	uint64_t v = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_vmcs(g->vcpu, f, &v));
	return v;
}

static inline void wvmcs(struct guest *g, uint32_t f, uint64_t v)
{
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g->vcpu, f, v));
}

static inline uint64_t rreg(struct guest *g, hv_x86_reg_t r)
{
	uint64_t v = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_register(g->vcpu, r, &v));
	return v;
}

static inline void wreg(struct guest *g, hv_x86_reg_t r, uint64_t v)
{
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g->vcpu, r, v));
}

static inline uint64_t cap2ctrl(hv_vmx_capability_t cap, uint64_t want)
{
	uint64_t c = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vmx_read_capability(cap, &c));
	return (want | (c & 0xffffffff)) & (c >> 32);
}

/* Step over an instruction the VMM emulated. Completing it ends an STI or
 * MOV-SS shadow that covered it (SDM Vol. 3A, 6.8.3), so the VMM clears
 * those blocking bits, as a CPU would after executing it. */
static inline void skip_insn(struct guest *g)
{
	uint64_t intr = rvmcs(g, VMCS_GUEST_INTERRUPTIBILITY);

	wreg(g, HV_X86_RIP, rreg(g, HV_X86_RIP) +
	     rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
	if (intr & (GUEST_INTRBILITY_STI_BLOCKING |
		    GUEST_INTRBILITY_MOVSS_BLOCKING))
		wvmcs(g, VMCS_GUEST_INTERRUPTIBILITY,
		      intr & ~(uint64_t)(GUEST_INTRBILITY_STI_BLOCKING |
					 GUEST_INTRBILITY_MOVSS_BLOCKING));
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static inline size_t load_image(const char *name, uint8_t *dst, size_t max)
{
	char self[PATH_MAX], path[PATH_MAX + 64];
	const char *dir = getenv("OPENHVF_GUEST_DIR");
	ssize_t n;
	FILE *f;
	size_t got;

	if (!dir) {
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n <= 0)
			return 0;
		self[n] = 0;
		dir = dirname(self);
	}
	snprintf(path, sizeof(path), "%s/%s.bin", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return 0;
	got = fread(dst, 1, max, f);
	fclose(f);
	return got;
}

/* Unrestricted-guest real mode at 0000:8000 (CR0 = NE, CR4 = VMXE). */
static inline void set_real_mode(struct guest *g)
{
	static const uint32_t segs[][4] = {
		{ VMCS_GUEST_ES, VMCS_GUEST_ES_BASE, VMCS_GUEST_ES_LIMIT,
		  VMCS_GUEST_ES_AR },
		{ VMCS_GUEST_SS, VMCS_GUEST_SS_BASE, VMCS_GUEST_SS_LIMIT,
		  VMCS_GUEST_SS_AR },
		{ VMCS_GUEST_DS, VMCS_GUEST_DS_BASE, VMCS_GUEST_DS_LIMIT,
		  VMCS_GUEST_DS_AR },
		{ VMCS_GUEST_FS, VMCS_GUEST_FS_BASE, VMCS_GUEST_FS_LIMIT,
		  VMCS_GUEST_FS_AR },
		{ VMCS_GUEST_GS, VMCS_GUEST_GS_BASE, VMCS_GUEST_GS_LIMIT,
		  VMCS_GUEST_GS_AR },
	};

	wvmcs(g, VMCS_CTRL_PIN_BASED, cap2ctrl(HV_VMX_CAP_TRUE_PINBASED, 0));
	wvmcs(g, VMCS_CTRL_CPU_BASED, cap2ctrl(HV_VMX_CAP_TRUE_PROCBASED,
		CPU_BASED_HLT | CPU_BASED_SECONDARY_CTLS));
	wvmcs(g, VMCS_CTRL_CPU_BASED2, cap2ctrl(HV_VMX_CAP_PROCBASED2,
		CPU_BASED2_UNRESTRICTED | CPU_BASED2_EPT));
	wvmcs(g, VMCS_CTRL_VMENTRY_CONTROLS, cap2ctrl(HV_VMX_CAP_TRUE_ENTRY, 0));
	wvmcs(g, VMCS_CTRL_EXC_BITMAP, 0);
	wvmcs(g, VMCS_CTRL_CR0_MASK, 0);
	wvmcs(g, VMCS_CTRL_CR4_MASK, 0);
	wvmcs(g, VMCS_GUEST_CR0, 0x20);
	wvmcs(g, VMCS_GUEST_CR3, 0);
	wvmcs(g, VMCS_GUEST_CR4, 0x2000);
	wvmcs(g, VMCS_GUEST_IA32_EFER, 0);
	wvmcs(g, VMCS_GUEST_CS, 0);
	wvmcs(g, VMCS_GUEST_CS_BASE, 0);
	wvmcs(g, VMCS_GUEST_CS_LIMIT, 0xffff);
	wvmcs(g, VMCS_GUEST_CS_AR, 0x9b);
	for (unsigned i = 0; i < 5; i++) {
		wvmcs(g, segs[i][0], 0);
		wvmcs(g, segs[i][1], 0);
		wvmcs(g, segs[i][2], 0xffff);
		wvmcs(g, segs[i][3], 0x93);
	}
	wvmcs(g, VMCS_GUEST_LDTR, 0);
	wvmcs(g, VMCS_GUEST_LDTR_AR, 0x10000);
	wvmcs(g, VMCS_GUEST_TR, 0);
	wvmcs(g, VMCS_GUEST_TR_BASE, 0);
	wvmcs(g, VMCS_GUEST_TR_LIMIT, 0xffff);
	wvmcs(g, VMCS_GUEST_TR_AR, 0x8b);
	wvmcs(g, VMCS_GUEST_GDTR_BASE, 0);
	wvmcs(g, VMCS_GUEST_GDTR_LIMIT, 0xffff);
	wvmcs(g, VMCS_GUEST_IDTR_BASE, 0);
	wvmcs(g, VMCS_GUEST_IDTR_LIMIT, 0x3ff);
	wreg(g, HV_X86_RIP, LOAD_ADDR);
	wreg(g, HV_X86_RSP, 0x7c00);
	wreg(g, HV_X86_RFLAGS, 2);
}

/* Create the VM, map RAM, load the image, create the vCPU. */
static inline int guest_open(struct guest *g, const char *name)
{
	memset(g, 0, sizeof(*g));
	g->ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g->ram == MAP_FAILED)
		return -1;
	if (!load_image(name, g->ram + LOAD_ADDR, RAM_SIZE - LOAD_ADDR)) {
		test_skip("guest image not built");
		munmap(g->ram, RAM_SIZE);
		return -1;
	}
	EXPECT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(g->ram, 0, RAM_SIZE, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_create(&g->vcpu, HV_VCPU_DEFAULT));
	set_real_mode(g);
	return 0;
}

static inline void guest_close(struct guest *g)
{
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(g->vcpu));
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
	munmap(g->ram, RAM_SIZE);
}

/* ------------------------------------------------------------------ */
/* Generic exit handling                                               */

static inline int on_io(struct guest *g)
{
	uint64_t q = rvmcs(g, VMCS_RO_EXIT_QUALIFIC);
	unsigned port = (unsigned)(q >> 16);
	uint64_t rax = rreg(g, HV_X86_RAX);

	if ((q & 0x18) != 0 || (port != PORT_CON && port != PORT_CTL))
		return 0;
	skip_insn(g);
	if (port == PORT_CON) {
		if (g->ncon + 1 < sizeof(g->con))
			g->con[g->ncon++] = (char)rax;
		return 1;
	}
	g->finished = (uint32_t)rax == 0 ? 1 : -1;
	g->fail_line = (uint32_t)rax;
	return -1;
}

/* EFER lives in the VMCS; other MSRs through the MSR API. */
static inline int on_msr(struct guest *g, bool wr)
{
	uint32_t msr = (uint32_t)rreg(g, HV_X86_RCX);
	uint64_t v;

	if (wr) {
		v = (rreg(g, HV_X86_RAX) & 0xffffffff) |
		    (rreg(g, HV_X86_RDX) << 32);
		if (msr == 0xc0000080)
			wvmcs(g, VMCS_GUEST_IA32_EFER, v);
		else if (hv_vcpu_write_msr(g->vcpu, msr, v) != HV_SUCCESS)
			return 0;
	} else {
		if (msr == 0xc0000080)
			v = rvmcs(g, VMCS_GUEST_IA32_EFER);
		else if (hv_vcpu_read_msr(g->vcpu, msr, &v) != HV_SUCCESS)
			return 0;
		wreg(g, HV_X86_RAX, v & 0xffffffff);
		wreg(g, HV_X86_RDX, v >> 32);
	}
	skip_insn(g);
	return 1;
}

static inline int dispatch(struct guest *g, uint32_t reason)
{
	int r = g->hook ? g->hook(g, reason) : 0;

	if (r)
		return r;
	switch (reason) {
	case VMX_REASON_IRQ:
		return 1;
	case VMX_REASON_IO:
		return on_io(g);
	case VMX_REASON_RDMSR:
	case VMX_REASON_WRMSR:
		return on_msr(g, reason == VMX_REASON_WRMSR);
	default:
		return 0;
	}
}

/* Run until the guest reports done/fail, an unhandled exit or too many
 * exits; returns the last exit reason. */
static inline uint32_t guest_run(struct guest *g)
{
	uint32_t reason = 0;

	for (unsigned n = 0; n < MAX_EXITS; n++) {
		if (hv_vcpu_run(g->vcpu) != HV_SUCCESS)
			return 0xffffffff;
		reason = (uint32_t)rvmcs(g, VMCS_RO_EXIT_REASON) & 0xffff;
		if (g->ntrace < TRACE_MAX && reason != VMX_REASON_IRQ)
			g->trace[g->ntrace++] = reason;
		int r = dispatch(g, reason);

		if (r <= 0)
			return reason;
	}
	return reason;
}

/* The common verdict: the guest said done. */
static inline void expect_done(struct guest *g)
{
	EXPECT_EQ(1, g->finished);
	EXPECT_EQ(0, g->fail_line);
	if (g->finished != 1)
		fprintf(stdout, "# guest stopped: exit %u rip %#llx line %llu\n",
			g->ntrace ? g->trace[g->ntrace - 1] : 0,
			(unsigned long long)rreg(g, HV_X86_RIP),
			(unsigned long long)g->fail_line);
}

/* ------------------------------------------------------------------ */
/* Kicks: hv_vcpu_interrupt from another thread after a delay.         */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

struct kicker {
	hv_vcpuid_t vcpu;
	long delay_ms;     /* sleep before the kick */
	uint64_t t_kick;   /* now_ns() just before hv_vcpu_interrupt */
};

static inline void *kick_thread(void *arg)
{
	struct kicker *k = arg;
	struct timespec d = { 0, k->delay_ms * 1000 * 1000 };

	nanosleep(&d, NULL);
	k->t_kick = now_ns();
	hv_vcpu_interrupt(&k->vcpu, 1);
	return NULL;
}

#endif
