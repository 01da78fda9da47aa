/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the API entry points: each input is a program of
 * API calls with fuzzer-chosen arguments, run against one VM and vCPU.
 * Invariants checked on every call: no crash, no leak, and a call that
 * returns an error changes nothing observable through the read API. */
#include <Hypervisor/Hypervisor.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define POOL_PAGES 64
#define PG 4096ull

static uint8_t *pool;
static hv_vcpuid_t vcpu;

struct input {
	const uint8_t *p;
	size_t n;
};

static uint64_t take(struct input *in, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes && in->n; i++, in->n--, in->p++)
		v |= (uint64_t)*in->p << (8 * i);
	return v;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	pool = mmap(NULL, POOL_PAGES * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pool == MAP_FAILED || hv_vm_create(HV_VM_DEFAULT) != HV_SUCCESS ||
	    hv_vcpu_create(&vcpu, HV_VCPU_DEFAULT) != HV_SUCCESS)
		abort();
	return 0;
}

/* A small gpa/size space so that overlaps and splits are common. */
static void op_memory(struct input *in, unsigned kind)
{
	uint64_t gpa = (take(in, 1) % 80) * PG;
	uint64_t size = (take(in, 1) % 16) * PG + (take(in, 1) & 1 ? 0 : 1);
	uint64_t off = (take(in, 1) % POOL_PAGES) * PG;
	uint64_t flags = take(in, 1);
	hv_vm_space_t asid = (hv_vm_space_t)(take(in, 1) % 3);

	if (kind == 0) {
		if (off + size > POOL_PAGES * PG)
			size = POOL_PAGES * PG - off;
		hv_vm_map_space(asid, pool + off, gpa, size, flags);
	} else if (kind == 1) {
		hv_vm_unmap_space(asid, gpa, size);
	} else {
		hv_vm_protect_space(asid, gpa, size, flags);
	}
}

/* Encodings near real ones, so that most calls reach the checks. */
static uint32_t pick_field(struct input *in)
{
	static const uint32_t base[] = { 0x0000, 0x0800, 0x0c00, 0x2000,
					 0x2400, 0x2800, 0x2c00, 0x4000,
					 0x4400, 0x4800, 0x4c00, 0x6000,
					 0x6400, 0x6800, 0x6c00 };
	uint64_t r = take(in, 2);

	if (r & 0x8000)
		return (uint32_t)take(in, 4);
	return base[r % 15] + (uint32_t)((r >> 4) & 0x3f);
}

static void op_vmcs(struct input *in)
{
	uint32_t field = pick_field(in);
	uint64_t value = take(in, 8), before = 0, after = 0;
	hv_return_t rb = hv_vmx_vcpu_read_vmcs(vcpu, field, &before);

	if (hv_vmx_vcpu_write_vmcs(vcpu, field, value) != HV_SUCCESS &&
	    rb == HV_SUCCESS) {
		hv_vmx_vcpu_read_vmcs(vcpu, field, &after);
		if (after != before)
			abort();
	}
}

static void op_register(struct input *in)
{
	hv_x86_reg_t reg = (hv_x86_reg_t)(take(in, 1) % 60);
	uint64_t value = take(in, 8), before = 0, after = 0;
	hv_return_t rb = hv_vcpu_read_register(vcpu, reg, &before);

	if (hv_vcpu_write_register(vcpu, reg, value) != HV_SUCCESS &&
	    rb == HV_SUCCESS) {
		hv_vcpu_read_register(vcpu, reg, &after);
		if (after != before)
			abort();
	}
}

static void op_msr(struct input *in)
{
	static const uint32_t msrs[] = { 0x10, 0x48, 0xc1, 0x10a, 0x174,
					 0x175, 0x186, 0x1d9, 0xc0000080,
					 0xc0000081, 0xc0000082, 0xc0000100,
					 0xc0000102, 0xc0000103, 0x0 };
	uint64_t r = take(in, 1);
	uint32_t msr = msrs[r % 15] + (uint32_t)(take(in, 1) & 3);
	uint64_t value = take(in, 8);

	switch (r >> 5) {
	case 0:
		hv_vcpu_write_msr(vcpu, msr, value);
		break;
	case 1:
		hv_vcpu_read_msr(vcpu, msr, &value);
		break;
	case 2:
		hv_vcpu_enable_native_msr(vcpu, msr, value & 1);
		break;
	case 3:
		hv_vcpu_enable_managed_msr(vcpu, msr, value & 1);
		break;
	default:
		hv_vcpu_set_msr_access(vcpu, msr, (hv_msr_flags_t)value);
		break;
	}
}

static void op_misc(struct input *in)
{
	uint8_t buf[1024];
	uint64_t v = take(in, 8);
	hv_vm_space_t asid;

	switch (take(in, 1) % 8) {
	case 0:
		memset(buf, (int)v, sizeof(buf));
		hv_vcpu_write_fpstate(vcpu, buf, (size_t)(v % sizeof(buf)));
		break;
	case 1:
		hv_vmx_read_capability((hv_vmx_capability_t)(v % 40), &v);
		break;
	case 2:
		hv_vmx_vcpu_write_shadow_vmcs(vcpu, pick_field(in), v);
		break;
	case 3:
		hv_vmx_vcpu_set_shadow_access(vcpu, pick_field(in), v);
		break;
	case 4:
		if (hv_vm_space_create(&asid) == HV_SUCCESS && (v & 1))
			hv_vm_space_destroy(asid);
		break;
	case 5:
		hv_vcpu_set_space(vcpu, (hv_vm_space_t)(v % 4));
		break;
	case 6:
		hv_vmx_vcpu_set_apic_address_space(vcpu, (hv_vm_space_t)(v % 3),
						   take(in, 8));
		break;
	default:
		hv_vm_sync_tsc(v);
		break;
	}
}

/* Leave the VM as Initialize made it, so inputs do not interact. */
static void reset(void)
{
	for (hv_vm_space_t s = 0; s <= 8; s++)
		for (uint64_t gpa = 0; gpa < 100 * PG; gpa += PG)
			hv_vm_unmap_space(s, gpa, PG);
	hv_vcpu_set_space(vcpu, HV_VM_SPACE_DEFAULT);
	for (hv_vm_space_t s = 1; s <= 8; s++)
		hv_vm_space_destroy(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	while (in.n) {
		unsigned op = (unsigned)take(&in, 1) % 8;

		if (op < 3)
			op_memory(&in, op);
		else if (op == 3)
			op_vmcs(&in);
		else if (op == 4)
			op_register(&in);
		else if (op == 5)
			op_msr(&in);
		else
			op_misc(&in);
	}
	reset();
	return 0;
}
