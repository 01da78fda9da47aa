/* SPDX-License-Identifier: MIT */
/* hvbench: run a reset-vector benchmark ROM (bench/<workload>.S) on OpenHVF through
 * the public API only, and print the guest's instruction rate. The ROM
 * reports completion with an OUT to port 0xF4; the guest instruction count
 * is known by construction (iterations x loop-body length). */
#include <Hypervisor/Hypervisor.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define RAM_SIZE (64ull << 20)
#define ROM_SIZE 0x10000ull

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rvmcs(hv_vcpuid_t v, uint32_t f)
{
	uint64_t x = 0;

	hv_vmx_vcpu_read_vmcs(v, f, &x);
	return x;
}

static uint64_t rreg(hv_vcpuid_t v, hv_x86_reg_t r)
{
	uint64_t x = 0;

	hv_vcpu_read_register(v, r, &x);
	return x;
}

static void skip_insn(hv_vcpuid_t v)
{
	hv_vcpu_write_register(v, HV_X86_RIP, rreg(v, HV_X86_RIP) +
				       rvmcs(v, VMCS_RO_VMEXIT_INSTR_LEN));
}

/* WRMSR of IA32_EFER is the one MSR exit the ROM makes: guest EFER lives
 * in the VMCS (entry control "load IA32_EFER" is forced on). */
static int handle_wrmsr(hv_vcpuid_t v)
{
	uint64_t msr = rreg(v, HV_X86_RCX);
	uint64_t val = (rreg(v, HV_X86_RDX) << 32) |
		       (rreg(v, HV_X86_RAX) & 0xffffffff);

	if (msr != 0xc0000080) {
		fprintf(stderr, "hvbench: WRMSR %#llx unexpected\n",
			(unsigned long long)msr);
		return -1;
	}
	hv_vmx_vcpu_write_vmcs(v, VMCS_GUEST_IA32_EFER, val);
	skip_insn(v);
	return 0;
}

/* XSETBV always exits (SDM Vol. 3C, 26.1.2): the VMM loads the guest's
 * XCR0 (ECX = 0 selects it) and steps over the instruction. */
static int handle_xsetbv(hv_vcpuid_t v)
{
	uint64_t val = (rreg(v, HV_X86_RDX) << 32) |
		       (rreg(v, HV_X86_RAX) & 0xffffffff);

	if ((rreg(v, HV_X86_RCX) & 0xffffffff) != 0 ||
	    hv_vcpu_write_register(v, HV_X86_XCR0, val) != HV_SUCCESS) {
		fprintf(stderr, "hvbench: XSETBV %#llx refused\n",
			(unsigned long long)val);
		return -1;
	}
	skip_insn(v);
	return 0;
}

static int map(void *host, uint64_t gpa, uint64_t size, uint64_t flags)
{
	if (hv_vm_map(host, gpa, size, flags) != HV_SUCCESS) {
		fprintf(stderr, "hvbench: hv_vm_map %#llx failed\n",
			(unsigned long long)gpa);
		return -1;
	}
	return 0;
}

static uint8_t *load_rom(const char *path)
{
	uint8_t *rom = mmap(NULL, ROM_SIZE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	FILE *f = fopen(path, "rb");

	if (rom == MAP_FAILED || !f ||
	    fread(rom, 1, ROM_SIZE, f) != ROM_SIZE) {
		fprintf(stderr, "hvbench: cannot read 64 KiB ROM %s\n", path);
		exit(2);
	}
	fclose(f);
	return rom;
}

int main(int argc, char **argv)
{
	const uint64_t rx = HV_MEMORY_READ | HV_MEMORY_EXEC;
	uint64_t iters, body, exits = 0;
	uint8_t *ram, *rom;
	hv_vcpuid_t v;
	double t0, t;

	if (argc != 4) {
		fprintf(stderr, "usage: hvbench ROM ITERATIONS BODY_LENGTH\n");
		return 2;
	}
	rom = load_rom(argv[1]);
	iters = strtoull(argv[2], NULL, 0);
	body = strtoull(argv[3], NULL, 0);
	ram = mmap(NULL, RAM_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED || hv_vm_create(HV_VM_DEFAULT) != HV_SUCCESS ||
	    map(ram, 0, 0xf0000, HV_MEMORY_READ | HV_MEMORY_WRITE | 4) ||
	    map(ram + 0x100000, 0x100000, RAM_SIZE - 0x100000, 7) ||
	    map(rom, 0xf0000, ROM_SIZE, rx) ||
	    map(rom, 0xffff0000, ROM_SIZE, rx) ||
	    hv_vcpu_create(&v, HV_VCPU_DEFAULT) != HV_SUCCESS)
		return 1;
	t0 = now();
	for (;;) {
		uint64_t reason;

		if (hv_vcpu_run_until(v, HV_DEADLINE_FOREVER) != HV_SUCCESS) {
			fprintf(stderr, "hvbench: hv_vcpu_run failed\n");
			return 1;
		}
		exits++;
		reason = rvmcs(v, VMCS_RO_EXIT_REASON) & 0xffff;
		if (reason == VMX_REASON_IO &&
		    ((rvmcs(v, VMCS_RO_EXIT_QUALIFIC) >> 16) & 0xffff) == 0xf4)
			break;
		if (reason == VMX_REASON_IRQ)
			continue;
		if (reason == VMX_REASON_WRMSR && handle_wrmsr(v) == 0)
			continue;
		if (reason == VMX_REASON_XSETBV && handle_xsetbv(v) == 0)
			continue;
		fprintf(stderr, "hvbench: unexpected exit %llu at RIP %#llx\n",
			(unsigned long long)reason,
			(unsigned long long)rreg(v, HV_X86_RIP));
		return 1;
	}
	t = now() - t0;
	printf("openhvf %s: %llu instructions in %.3f s: %.1f MIPS (%llu exits)\n",
	       argv[1], (unsigned long long)(iters * body), t,
	       (double)(iters * body) / t / 1e6, (unsigned long long)exits);
	return 0;
}
