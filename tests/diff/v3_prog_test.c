/* SPDX-License-Identifier: MIT */
/* A program compiled with gcc -O2 -march=x86-64-v3 (tests/fpprog: AVX2,
 * FMA, BMI and friends as the compiler chooses them) runs natively and
 * in a 64-bit guest through the public API; the output buffers must be
 * identical. The flat image is loaded at 0x100000 on both sides, so its
 * absolute addresses hold; the guest returns to a HLT. */
#include <Hypervisor/Hypervisor.h>

#include <cpuid.h>
#include <string.h>
#include <sys/mman.h>

#include "longmode.h"
#include "test.h"

__asm__(".pushsection .rodata\n.p2align 4\nv3_blob:\n.incbin \"" V3_BIN
	"\"\nv3_blob_end:\n.popsection\n");
extern const uint8_t v3_blob[], v3_blob_end[];

#define MEM_SIZE (4ull << 20)
#define LOAD 0x100000ull
#define LOAD_SIZE 0x10000ull     /* image plus its zeroed bss */
#define OUT 0x200000ull
#define OUT_WORDS 101
#define STACK_TOP 0x2ffff8ull
#define HLT_AT 0x3000ull
#define PT_BASE 0x10000ull
#define GDT_BASE 0x18000ull

static uint8_t *gmem;
static hv_vcpuid_t vcpu;

/* CPL 0, IA-32e mode, identity-mapped first 4 MiB (2 MiB pages), SSE
 * and AVX enabled: CR4.OSFXSR, OSXMMEXCPT, OSXSAVE; XCR0 = 7. */
static bool guest_state(void)
{
	uint64_t *pml4 = (uint64_t *)(gmem + PT_BASE);
	uint64_t *gdt = (uint64_t *)(gmem + GDT_BASE);
	static const struct lm_guest g = {
		.cs = 0x08, .cs_ar = 0xa09b, .ds = 0x10, .ds_ar = 0xc093,
		.gdt_base = GDT_BASE, .gdt_limit = 0x1f,
		.cr0 = 0x80000033, .cr3 = PT_BASE,
		.cr4 = 0x20 | 0x200 | 0x400 | 0x2000 | 0x40000,
	};
	bool ok = true;

	pml4[0] = (PT_BASE + 0x1000) | 3;
	pml4[512] = (PT_BASE + 0x2000) | 3;          /* PDPT[0] */
	pml4[1024] = 0x000000 | 0x83;                /* PD[0] */
	pml4[1025] = 0x200000 | 0x83;
	gdt[1] = 0x00af9b000000ffffull;
	gdt[2] = 0x00cf93000000ffffull;
	ok = ok && lm_state(vcpu, &g);
	ok = ok && hv_vcpu_write_register(vcpu, HV_X86_XCR0, 7) == HV_SUCCESS;
	return ok;
}

static bool host_is_v3(void)
{
	unsigned a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_FMA) ||
	    !(c & bit_AVX) || !(c & bit_F16C) || !(c & bit_MOVBE))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_AVX2) &&
	       (b & bit_BMI) && (b & bit_BMI2);
}

static bool run_native(uint64_t *out)
{
	void *p = mmap((void *)LOAD, LOAD_SIZE,
		       PROT_READ | PROT_WRITE | PROT_EXEC,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	void (*entry)(uint64_t *);

	if (p != (void *)LOAD)
		return false;
	memcpy(p, v3_blob, (size_t)(v3_blob_end - v3_blob));
	entry = (void (*)(uint64_t *))p;
	entry(out);
	munmap(p, LOAD_SIZE);
	return true;
}

static uint64_t run_guest(void)
{
	uint64_t ret = HLT_AT;

	memcpy(gmem + LOAD, v3_blob, (size_t)(v3_blob_end - v3_blob));
	gmem[HLT_AT] = 0xf4;
	memcpy(gmem + STACK_TOP, &ret, 8);
	hv_vcpu_write_register(vcpu, HV_X86_RIP, LOAD);
	hv_vcpu_write_register(vcpu, HV_X86_RSP, STACK_TOP);
	hv_vcpu_write_register(vcpu, HV_X86_RDI, OUT);
	hv_vcpu_write_register(vcpu, HV_X86_RFLAGS, 2);
	return lm_run_to_exit(vcpu, 1000);
}

TEST(v3_program_native_vs_guest)
{
	static uint64_t nat[OUT_WORDS];
	uint64_t reason, rip = 0;

	if (!host_is_v3()) {
		test_skip("host is not x86-64-v3");
		return;
	}
	if (!run_native(nat)) {
		test_skip("cannot map the image at 0x100000 natively");
		return;
	}
	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	gmem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(gmem != MAP_FAILED);
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(gmem, 0, MEM_SIZE, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT));
	ASSERT_TRUE(guest_state());
	reason = run_guest();
	hv_vcpu_read_register(vcpu, HV_X86_RIP, &rip);
	EXPECT_EQ((uint64_t)VMX_REASON_HLT, reason);
	EXPECT_EQ(HLT_AT, rip);  /* HLT exits before the instruction */
	for (unsigned i = 0; i < OUT_WORDS; i++) {
		uint64_t g;

		memcpy(&g, gmem + OUT + 8 * i, 8);
		if (g != nat[i])
			printf("# out[%u] native %016llx guest %016llx\n", i,
			       (unsigned long long)nat[i], (unsigned long long)g);
		EXPECT_EQ(nat[i], g);
	}
	hv_vcpu_destroy(vcpu);
	hv_vm_unmap(0, MEM_SIZE);
	hv_vm_destroy();
	munmap(gmem, MEM_SIZE);
}
