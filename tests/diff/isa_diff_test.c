/* SPDX-License-Identifier: MIT */
/* ISA differential test through the public API: every form of
 * isa_forms.h runs natively on this CPU (as a Linux user process) and in
 * a guest that mirrors that environment: IA-32e mode at CPL 3 with the
 * same selectors (GDT entries 4-6), identity-mapped 4-level user paging
 * built in guest memory, 64-bit forms in a 64-bit code segment and
 * 32-bit forms in compatibility mode; each form is followed by HLT with
 * HLT exiting (HLT at CPL 3 is #GP, which exits through the exception
 * bitmap, so both exits end a case). State is set with
 * hv_vmx_vcpu_write_vmcs / hv_vcpu_write_register and read back after
 * the exit. DIFF_CASES sets the cases per form (fixed seed), DIFF_FORM
 * selects forms by text. On a host that is not an Intel CPU the
 * SDM-undefined parts are checked against isa_diff_intel.def instead of
 * the host (diff_record.h). Where the host cannot run 32-bit code the
 * 32-bit forms run in the guest alone: their digests are checked against
 * the record and, if the build found unicorn, their SDM-defined parts are
 * compared with unicorn (diff_unicorn.h). */
#include <Hypervisor/Hypervisor.h>

#include "diff_unicorn.h"
#include "longmode.h"
#include "test.h"

#define MEM_SIZE (4ull << 20)
#define PT_BASE 0x10000ull   /* PML4, PDPT, PD */
#define GDT_BASE 0x18000ull

/* Digests of an Intel host's results over the default cases (1000 per
 * form, fixed seed), one per form: see the file's head comment. */
static const struct intel_record isa_diff_records[] = {
#define RECORD(key, digest) { key, digest },
#include "isa_diff_intel.def"
#undef RECORD
};

#define ISA_DIFF_CASES 1000

static uint8_t *gmem;
static hv_vcpuid_t vcpu;

/* hv_x86_reg_t of each GPR in encoding order. */
static const hv_x86_reg_t gpr_reg[16] = {
	HV_X86_RAX, HV_X86_RCX, HV_X86_RDX, HV_X86_RBX, HV_X86_RSP, HV_X86_RBP,
	HV_X86_RSI, HV_X86_RDI, HV_X86_R8, HV_X86_R9, HV_X86_R10, HV_X86_R11,
	HV_X86_R12, HV_X86_R13, HV_X86_R14, HV_X86_R15,
};

static bool vmcs(uint32_t field, uint64_t v)
{
	return lm_vmcs(vcpu, field, v);
}

/* Identity map of the first 4 MiB with 2 MiB pages (SDM Vol. 3A, 4.5). */
static void build_paging(void)
{
	uint64_t *pml4 = (uint64_t *)(gmem + PT_BASE);
	uint64_t *pdpt = (uint64_t *)(gmem + PT_BASE + 0x1000);
	uint64_t *pd = (uint64_t *)(gmem + PT_BASE + 0x2000);

	pml4[0] = (PT_BASE + 0x1000) | 7;
	pdpt[0] = (PT_BASE + 0x2000) | 7;
	pd[0] = 0x000000 | 0x87;
	pd[1] = 0x200000 | 0x87;
}

/* Linux's user segments: 23h 32-bit code, 2Bh data, 33h 64-bit code, all
 * DPL 3 (SDM Vol. 3A, 3.4.5). */
static void build_gdt(void)
{
	uint64_t *gdt = (uint64_t *)(gmem + GDT_BASE);

	gdt[4] = 0x00cffb000000ffffull;
	gdt[5] = 0x00cff3000000ffffull;
	gdt[6] = 0x00affb000000ffffull;
}

/* CS for 64-bit (L = 1) or compatibility mode (D = 1). */
static bool set_cs(bool is32)
{
	return vmcs(VMCS_GUEST_CS, is32 ? 0x23 : 0x33) &&
	       vmcs(VMCS_GUEST_CS_AR, is32 ? 0xc0fb : 0xa0fb);
}

/* CPL 3 in a 64-bit code segment, the selectors of a Linux process. */
static bool long_mode_state(void)
{
	static const struct lm_guest g = {
		.cs = 0x33, .cs_ar = 0xa0fb, .ds = 0x2b, .ds_ar = 0xc0f3,
		.gdt_base = GDT_BASE, .gdt_limit = 0x3f,
		.cr0 = 0x80000031, .cr3 = PT_BASE, .cr4 = 0x2020,
		.proc_extra = CPU_BASED_UNCOND_IO,
	};

	return lm_state(vcpu, &g);
}

static bool vm_setup(void)
{
	if (hv_vm_create(HV_VM_DEFAULT) != HV_SUCCESS)
		return false;
	gmem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (gmem == MAP_FAILED ||
	    hv_vm_map(gmem, 0, MEM_SIZE, HV_MEMORY_READ | HV_MEMORY_WRITE |
					   HV_MEMORY_EXEC) != HV_SUCCESS ||
	    hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT) != HV_SUCCESS)
		return false;
	build_paging();
	build_gdt();
	return long_mode_state();
}

static void vm_teardown(void)
{
	hv_vcpu_destroy(vcpu);
	hv_vm_unmap(0, MEM_SIZE);
	hv_vm_destroy();
	munmap(gmem, MEM_SIZE);
}

#define EXC_GP_VEC 13

/* end is the address of the HLT after the form. */
static bool engine_run(uint64_t rip, uint64_t end, struct xstate *st,
		       uint8_t *data)
{
	uint64_t reason;

	for (int i = 0; i < 16; i++)
		hv_vcpu_write_register(vcpu, gpr_reg[i], st->gpr[i]);
	hv_vcpu_write_register(vcpu, HV_X86_RFLAGS, st->rflags);
	hv_vcpu_write_register(vcpu, HV_X86_RIP, rip);
	memcpy(gmem + DIFF_DATA, data, DIFF_DATA_SIZE);
	reason = lm_run_to_exit(vcpu, 100);
	for (int i = 0; i < 16; i++)
		hv_vcpu_read_register(vcpu, gpr_reg[i], &st->gpr[i]);
	hv_vcpu_read_register(vcpu, HV_X86_RFLAGS, &st->rflags);
	memcpy(data, gmem + DIFF_DATA, DIFF_DATA_SIZE);
	if (reason == VMX_REASON_EXC_NMI) {
		uint64_t info = 0, at = 0;

		hv_vmx_vcpu_read_vmcs(vcpu, VMCS_RO_VMEXIT_IRQ_INFO, &info);
		hv_vcpu_read_register(vcpu, HV_X86_RIP, &at);
		/* #GP from the final HLT at CPL 3 ends the case normally. */
		if ((info & 0xff) == EXC_GP_VEC && at == end)
			return true;
		printf("# exception %llu at %llx\n",
		       (unsigned long long)(info & 0xff), (unsigned long long)at);
		return false;
	}
	if (reason != VMX_REASON_HLT)
		printf("# exit reason %llu\n", (unsigned long long)reason);
	return reason == VMX_REASON_HLT;
}

static uint8_t d_in[DIFF_DATA_SIZE], d_nat[DIFF_DATA_SIZE],
	d_emu[DIFF_DATA_SIZE];

/* Returns the number of failing cases of form f (up to 3; a failing
 * record check counts as one). */
static unsigned run_form(struct diff_table_run *t, const struct form *f,
			 unsigned ncases, bool is32)
{
	uint64_t rip = is32 ? diff_form32_addr() : diff_form_addr();
	size_t n = (size_t)(f->e - f->s);
	struct diff_form_run fr;
	unsigned bad = 0;
	bool native;

	if (is32)
		diff_native_load32(f);
	else
		diff_native_load(f);
	memcpy(gmem + rip, f->s, n);
	gmem[rip + n] = 0xf4; /* HLT */
	native = diff_form_begin(t, &fr, f);
	diff_oracle_load(t, native, f);
	for (unsigned c = 0; c < ncases && bad < 3; c++) {
		struct xstate in, nat, emu;
		const struct xstate *ran;
		bool failed;

		diff_make_case(f, &in, d_in);
		nat = emu = in;
		memcpy(d_nat, d_in, sizeof(d_in));
		memcpy(d_emu, d_in, sizeof(d_in));
		ran = diff_oracle_run(t, native, &nat, d_nat, &failed);
		if (failed) {
			printf("# %s: unicorn stopped before the HLT\n", f->text);
			bad++;
		}
		if (!engine_run(rip, rip + n, &emu, d_emu) ||
		    !diff_form_case(t, &fr, &in, d_in, ran, d_nat, &emu, d_emu,
				    true))
			bad++;
	}
	return bad + !diff_form_end(t, &fr);
}

static unsigned run_table(const struct form *t, size_t n, bool is32,
			  bool host_runs, unsigned ncases)
{
	const char *only = getenv("DIFF_FORM");
	struct diff_table_run tr;
	unsigned bad_forms = 0;

	if (!set_cs(is32))
		return 1;
	diff_table_begin(&tr, isa_diff_records,
			 sizeof(isa_diff_records) / sizeof(isa_diff_records[0]),
			 is32, ncases, ISA_DIFF_CASES, host_runs);
	diff_table_oracle(&tr);
	for (size_t i = 0; i < n; i++) {
		if (only && !strstr(t[i].text, only))
			continue;
		if (run_form(&tr, &t[i], ncases, is32)) {
			printf("# FAIL form %zu: %s\n", i, t[i].text);
			bad_forms++;
		}
	}
	diff_table_end(&tr);
	printf("# %zu %d-bit forms x %u cases, %u forms failing\n", n,
	       is32 ? 32 : 64, ncases, bad_forms);
	return bad_forms;
}

TEST(isa_diff_public_api)
{
	unsigned ncases = diff_cases(ISA_DIFF_CASES), bad = 0;

	if (!diff_native_init()) {
		test_skip("cannot map the native test pages");
		return;
	}
	if (!vm_setup()) {
		test_skip("no VM with a 64-bit guest through the public API");
		return;
	}
	bad += run_table(diff_forms, DIFF_NFORMS, false, true, ncases);
	bad += run_table(diff_forms32, DIFF_NFORMS32, true, diff_native_has32(),
			 ncases);
	vm_teardown();
	EXPECT_EQ(0, bad);
}
