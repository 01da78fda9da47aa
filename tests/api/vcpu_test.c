/* SPDX-License-Identifier: MIT */
/* vCPU lifetime, ids, thread ownership, hv_vcpu_interrupt, the calls
 * that need no guest run, and the APIC-acceleration calls
 * (docs/compat.md "vCPUs and ownership", "Return codes"). */
#include <Hypervisor/Hypervisor.h>
#include <Hypervisor/hv_openhvf.h>

#include <stdlib.h>

#include "helpers.h"

VM_TEST(create_flags, 0)
{
	static const hv_vcpu_options_t ok[] = {
		HV_VCPU_DEFAULT, HV_VCPU_ACCEL_RDPMC, HV_VCPU_TSC_RELATIVE,
		HV_VCPU_ACCEL_RDPMC | HV_VCPU_TSC_RELATIVE,
	};
	static const hv_vcpu_options_t bad[] = { 1ull << 2, 1ull << 3,
						 1ull << 32, 1ull << 63 };
	hv_vcpuid_t id;

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_create(&id, ok[i]));
		EXPECT_EQ(0, id);
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(id));
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id = 77;
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_create(&id, bad[i]));
		EXPECT_EQ(77, id);
	}
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_create(NOPTR, HV_VCPU_DEFAULT));
	/* None of the refused calls left a vCPU behind: the thread can
	 * create one, and it gets id 0. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(0, id);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(id));
}

VM_TEST(second_vcpu_same_thread_busy, 1)
{
	hv_vcpuid_t id = 77;

	EXPECT_EQ(HV_BUSY, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(77, id);
	/* The first vCPU is unaffected. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(g_vcpu, HV_X86_RBX, 5));
	/* After destroying it, the thread may create another. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(g_vcpu));
	g_have_vcpu = 0;
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&g_vcpu, HV_VCPU_DEFAULT));
	g_have_vcpu = 1;
}

/* Ids 0, 1, 2 in creation order, one vCPU per thread; the lowest free
 * id is reused after destroy. */
VM_TEST(ids_in_creation_order_and_reuse, 0)
{
	struct worker w[4];
	struct vcpu_req r[4];

	for (int i = 0; i < 4; i++) {
		ASSERT_TRUE(worker_start(&w[i]));
		r[i] = (struct vcpu_req){ .flags = HV_VCPU_DEFAULT, .id = 99 };
	}
	for (int i = 0; i < 3; i++) {
		worker_call(&w[i], vcpu_create_fn, &r[i]);
		EXPECT_EQ(HV_SUCCESS, r[i].ret);
		EXPECT_EQ(i, r[i].id);
	}
	/* Free id 1 and id 0; the next ones are 0 then 1, then 3. */
	worker_call(&w[1], vcpu_destroy_fn, &r[1]);
	EXPECT_EQ(HV_SUCCESS, r[1].ret);
	worker_call(&w[0], vcpu_destroy_fn, &r[0]);
	EXPECT_EQ(HV_SUCCESS, r[0].ret);
	worker_call(&w[3], vcpu_create_fn, &r[3]);
	EXPECT_EQ(HV_SUCCESS, r[3].ret);
	EXPECT_EQ(0, r[3].id);
	worker_call(&w[1], vcpu_create_fn, &r[1]);
	EXPECT_EQ(HV_SUCCESS, r[1].ret);
	EXPECT_EQ(1, r[1].id);
	worker_call(&w[0], vcpu_create_fn, &r[0]);
	EXPECT_EQ(HV_SUCCESS, r[0].ret);
	EXPECT_EQ(3, r[0].id);
	for (int i = 0; i < 4; i++) {
		worker_call(&w[i], vcpu_destroy_fn, &r[i]);
		EXPECT_EQ(HV_SUCCESS, r[i].ret);
		worker_stop(&w[i]);
	}
}

/* HV_CAP_VCPUMAX is honest: 64 vCPUs on 64 threads, the 65th fails. */
VM_TEST(vcpumax_honest, 0)
{
	uint64_t max = 0;
	struct worker *w;
	struct vcpu_req *r;
	int seen[64] = { 0 };
	hv_vcpuid_t id = 77;

	ASSERT_EQ(HV_SUCCESS, hv_capability(HV_CAP_VCPUMAX, &max));
	ASSERT_EQ(64, max);
	w = calloc(max + 1, sizeof(*w));
	r = calloc(max + 1, sizeof(*r));
	ASSERT_TRUE(w && r);
	for (unsigned i = 0; i <= max; i++) {
		if (!worker_start(&w[i])) {
			test_fail(__FILE__, __LINE__, "worker_start", 1, 0);
			max = i ? i - 1 : 0;
			break;
		}
		worker_call(&w[i], vcpu_create_fn, &r[i]);
		if (i < max) {
			EXPECT_EQ(HV_SUCCESS, r[i].ret);
			if (r[i].ret == HV_SUCCESS && r[i].id < 64) {
				EXPECT_EQ(0, seen[r[i].id]);
				seen[r[i].id] = 1;
			}
		} else {
			EXPECT_EQ(HV_NO_RESOURCES, r[i].ret);
		}
	}
	/* The test thread cannot have one either. */
	EXPECT_EQ(HV_NO_RESOURCES, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(77, id);
	for (unsigned i = 0; i <= max; i++) {
		if (r[i].ret == HV_SUCCESS) {
			worker_call(&w[i], vcpu_destroy_fn, &r[i]);
			EXPECT_EQ(HV_SUCCESS, r[i].ret);
		}
		worker_stop(&w[i]);
	}
	free(w);
	free(r);
}

VM_TEST(unknown_and_destroyed_ids, 1)
{
	static const hv_vcpuid_t bad[] = { 1, 2, 63, 64, 65, 0x7fffffff,
					   0xffffffff };
	hv_vcpuid_t old;
	uint64_t v = 0x5a;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_read_register(bad[i], HV_X86_RIP, &v));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_register(bad[i], HV_X86_RIP, 0));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vmx_vcpu_read_vmcs(bad[i], VMCS_GUEST_RIP, &v));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_destroy(bad[i]));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_flush(bad[i]));
	}
	EXPECT_EQ(0x5a, v);
	old = g_vcpu;
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(g_vcpu));
	g_have_vcpu = 0;
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_read_register(old, HV_X86_RIP, &v));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_destroy(old));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_get_exec_time(old, &v));
	EXPECT_EQ(0x5a, v);
}

/* State the foreign-thread calls try to change. */
static hv_vcpuid_t o_id;
static hv_vm_space_t o_space;
static uint8_t o_fp[4096] __attribute__((aligned(64)));
static uint64_t o_out;

#define BUF_FILL 0xa5a5a5a5a5a5a5a5ull

static hv_return_t f_destroy(void) { return hv_vcpu_destroy(o_id); }
static hv_return_t f_read_reg(void)
{
	return hv_vcpu_read_register(o_id, HV_X86_RAX, &o_out);
}
static hv_return_t f_write_reg(void)
{
	return hv_vcpu_write_register(o_id, HV_X86_RAX, 0xdead);
}
static hv_return_t f_read_fp(void)
{
	uint8_t buf[4096];
	hv_return_t r;

	memset(buf, 0xa5, sizeof(buf));
	r = hv_vcpu_read_fpstate(o_id, buf, sizeof(buf));
	memcpy(&o_out, buf, 8);
	return r;
}
static hv_return_t f_write_fp(void)
{
	uint8_t buf[4096];
	uint16_t fcw = 0x27f;

	memcpy(buf, o_fp, sizeof(buf));
	memcpy(buf, &fcw, 2);
	return hv_vcpu_write_fpstate(o_id, buf, sizeof(buf));
}
static hv_return_t f_native_msr(void)
{
	return hv_vcpu_enable_native_msr(o_id, HV_MSR_IA32_STAR, true);
}
static hv_return_t f_managed_msr(void)
{
	return hv_vcpu_enable_managed_msr(o_id, HV_MSR_IA32_SPEC_CTRL, true);
}
static hv_return_t f_msr_access(void)
{
	return hv_vcpu_set_msr_access(o_id, HV_MSR_IA32_SPEC_CTRL,
				      HV_MSR_READ);
}
static hv_return_t f_read_msr(void)
{
	return hv_vcpu_read_msr(o_id, HV_MSR_IA32_STAR, &o_out);
}
static hv_return_t f_write_msr(void)
{
	return hv_vcpu_write_msr(o_id, HV_MSR_IA32_STAR, 0xdead);
}
static hv_return_t f_flush(void) { return hv_vcpu_flush(o_id); }
static hv_return_t f_tlb(void) { return hv_vcpu_invalidate_tlb(o_id); }
static hv_return_t f_exec_time(void)
{
	return hv_vcpu_get_exec_time(o_id, &o_out);
}
static hv_return_t f_idle_time(void)
{
	return hv_vcpu_get_idle_time(o_id, &o_out);
}
static hv_return_t f_vmx_status(void)
{
	uint32_t s = 0xa5a5a5a5;
	hv_return_t r = hv_vcpu_vmx_status(o_id, &s);

	if (s != 0xa5a5a5a5)
		o_out = s;
	return r;
}
static hv_return_t f_run(void) { return hv_vcpu_run(o_id); }
static hv_return_t f_run_until(void)
{
	return hv_vcpu_run_until(o_id, HV_DEADLINE_FOREVER);
}
static hv_return_t f_set_space(void)
{
	return hv_vcpu_set_space(o_id, o_space);
}
static hv_return_t f_tsc_rel(void)
{
	return hv_vcpu_set_tsc_relative(o_id, 12345);
}
static hv_return_t f_exit_info(void)
{
	hv_vm_exitinfo_t c = 0xa5a5a5a5;
	hv_return_t r = hv_vcpu_exit_info(o_id, &c);

	if (c != 0xa5a5a5a5)
		o_out = c;
	return r;
}
static hv_return_t f_read_vmcs(void)
{
	return hv_vmx_vcpu_read_vmcs(o_id, VMCS_GUEST_RIP, &o_out);
}
static hv_return_t f_write_vmcs(void)
{
	return hv_vmx_vcpu_write_vmcs(o_id, VMCS_GUEST_RIP, 0xdead);
}
static hv_return_t f_cap_write(void)
{
	return hv_vmx_vcpu_get_cap_write_vmcs(o_id, VMCS_GUEST_RIP, &o_out,
					      &o_out);
}
static hv_return_t f_read_shadow(void)
{
	return hv_vmx_vcpu_read_shadow_vmcs(o_id, VMCS_GUEST_RIP, &o_out);
}
static hv_return_t f_write_shadow(void)
{
	return hv_vmx_vcpu_write_shadow_vmcs(o_id, VMCS_GUEST_RIP, 0xdead);
}
static hv_return_t f_shadow_access(void)
{
	return hv_vmx_vcpu_set_shadow_access(o_id, VMCS_GUEST_RIP,
					     HV_SHADOW_VMCS_READ);
}
static hv_return_t f_apic_addr(void)
{
	return hv_vmx_vcpu_set_apic_address(o_id, 0xfee00000);
}
static hv_return_t f_apic_addr_space(void)
{
	return hv_vmx_vcpu_set_apic_address_space(o_id, HV_VM_SPACE_DEFAULT,
						  0xfee00000);
}

/* The APIC-acceleration vCPU calls (HV_UNSUPPORTED for the owner). */
static bool o_actv[64];
static hv_apic_state_ext_t o_apic;
static hv_return_t f_extint(void) { return hv_vcpu_inject_extint(o_id); }
static hv_return_t f_apic_read(void)
{
	uint32_t d;

	return hv_vcpu_apic_read(o_id, 0x20, &d);
}
static hv_return_t f_apic_write(void)
{
	bool nse;

	return hv_vcpu_apic_write(o_id, 0x80, 0x10, &nse);
}
static hv_return_t f_apic_get(void)
{
	o_apic.version = HV_APIC_STATE_EXT_VER;
	return hv_vcpu_apic_get_state(o_id, &o_apic);
}
static hv_return_t f_apic_put(void)
{
	o_apic.version = HV_APIC_STATE_EXT_VER;
	return hv_vcpu_apic_put_state(o_id, &o_apic);
}
static hv_return_t f_init_ap(void)
{
	return hv_vcpu_exit_init_ap(o_id, o_actv, 64);
}
static hv_return_t f_startup_ap(void)
{
	uint64_t rip;

	return hv_vcpu_exit_startup_ap(o_id, o_actv, 64, &rip);
}
static hv_return_t f_ioapic_eoi(void)
{
	uint8_t vec;

	return hv_vcpu_exit_ioapic_eoi(o_id, &vec);
}
static hv_return_t f_apic_access_read(void)
{
	uint32_t v;

	return hv_vcpu_exit_apic_access_read(o_id, &v);
}
static hv_return_t f_inject_excp(void)
{
	uint8_t vec;
	bool valid, restart;
	uint32_t code;

	return hv_vcpu_exit_inject_excp(o_id, &vec, &valid, &code, &restart);
}
static hv_return_t f_lsc_r32(void)
{
	return hv_vcpu_apic_lsc_enter_r32(o_id, true, 0x1000, 3, 8,
					  HV_X86_RAX, NULL, 0);
}
static hv_return_t f_lsc_imm32(void)
{
	return hv_vcpu_apic_lsc_enter_imm32(o_id, 0x1000, 6, 8, 0, NULL, 0);
}
static hv_return_t f_lsc_inval(void)
{
	return hv_vcpu_apic_lsc_invalidate(o_id);
}
static hv_return_t f_apic_ctrl(void)
{
	return hv_vcpu_apic_ctrl(o_id, HV_APIC_CTRL_DEFAULT);
}
static hv_return_t f_trigger_lvt(void)
{
	return hv_vcpu_apic_trigger_lvt(o_id, HV_APIC_LVT_FLAVOR_TIMER);
}

/* apic: an APIC-acceleration call (HV_UNSUPPORTED for the owner, so only
 * "an error" is required from a foreign thread). */
static const struct owner_call {
	const char *name;
	hv_return_t (*fn)(void);
	int apic;
} owner_calls[] = {
	{ "hv_vcpu_destroy", f_destroy, 0 },
	{ "hv_vcpu_read_register", f_read_reg, 0 },
	{ "hv_vcpu_write_register", f_write_reg, 0 },
	{ "hv_vcpu_read_fpstate", f_read_fp, 0 },
	{ "hv_vcpu_write_fpstate", f_write_fp, 0 },
	{ "hv_vcpu_enable_native_msr", f_native_msr, 0 },
	{ "hv_vcpu_enable_managed_msr", f_managed_msr, 0 },
	{ "hv_vcpu_set_msr_access", f_msr_access, 0 },
	{ "hv_vcpu_read_msr", f_read_msr, 0 },
	{ "hv_vcpu_write_msr", f_write_msr, 0 },
	{ "hv_vcpu_flush", f_flush, 0 },
	{ "hv_vcpu_invalidate_tlb", f_tlb, 0 },
	{ "hv_vcpu_get_exec_time", f_exec_time, 0 },
	{ "hv_vcpu_get_idle_time", f_idle_time, 0 },
	{ "hv_vcpu_vmx_status", f_vmx_status, 0 },
	{ "hv_vcpu_run", f_run, 0 },
	{ "hv_vcpu_run_until", f_run_until, 0 },
	{ "hv_vcpu_set_space", f_set_space, 0 },
	{ "hv_vcpu_set_tsc_relative", f_tsc_rel, 0 },
	{ "hv_vcpu_exit_info", f_exit_info, 0 },
	{ "hv_vmx_vcpu_read_vmcs", f_read_vmcs, 0 },
	{ "hv_vmx_vcpu_write_vmcs", f_write_vmcs, 0 },
	{ "hv_vmx_vcpu_get_cap_write_vmcs", f_cap_write, 0 },
	{ "hv_vmx_vcpu_read_shadow_vmcs", f_read_shadow, 0 },
	{ "hv_vmx_vcpu_write_shadow_vmcs", f_write_shadow, 0 },
	{ "hv_vmx_vcpu_set_shadow_access", f_shadow_access, 0 },
	{ "hv_vmx_vcpu_set_apic_address", f_apic_addr, 0 },
	{ "hv_vmx_vcpu_set_apic_address_space", f_apic_addr_space, 0 },
	{ "hv_vcpu_inject_extint", f_extint, 1 },
	{ "hv_vcpu_apic_read", f_apic_read, 1 },
	{ "hv_vcpu_apic_write", f_apic_write, 1 },
	{ "hv_vcpu_apic_get_state", f_apic_get, 1 },
	{ "hv_vcpu_apic_put_state", f_apic_put, 1 },
	{ "hv_vcpu_exit_init_ap", f_init_ap, 1 },
	{ "hv_vcpu_exit_startup_ap", f_startup_ap, 1 },
	{ "hv_vcpu_exit_ioapic_eoi", f_ioapic_eoi, 1 },
	{ "hv_vcpu_exit_apic_access_read", f_apic_access_read, 1 },
	{ "hv_vcpu_exit_inject_excp", f_inject_excp, 1 },
	{ "hv_vcpu_apic_lsc_enter_r32", f_lsc_r32, 1 },
	{ "hv_vcpu_apic_lsc_enter_imm32", f_lsc_imm32, 1 },
	{ "hv_vcpu_apic_lsc_invalidate", f_lsc_inval, 1 },
	{ "hv_vcpu_apic_ctrl", f_apic_ctrl, 1 },
	{ "hv_vcpu_apic_trigger_lvt", f_trigger_lvt, 1 },
};
#define N_OWNER_CALLS (sizeof(owner_calls) / sizeof(owner_calls[0]))

static hv_return_t foreign_ret[N_OWNER_CALLS];
static int foreign_out_touched;

/* On the foreign thread: every owner-only call, results recorded. */
static void foreign_calls_fn(void *p)
{
	(void)p;
	foreign_out_touched = 0;
	for (size_t i = 0; i < N_OWNER_CALLS; i++) {
		o_out = BUF_FILL;
		foreign_ret[i] = owner_calls[i].fn();
		if (o_out != BUF_FILL)
			foreign_out_touched++;
	}
}

/* A worker that owns a vCPU of its own, then makes the calls. */
static void create_then_foreign_fn(void *p)
{
	struct vcpu_req *r = p;

	r->ret = hv_vcpu_create(&r->id, HV_VCPU_DEFAULT);
	foreign_calls_fn(NULL);
}

/* Owner state before the foreign calls, compared after them. */
struct owner_state {
	uint64_t rax, star, rip, shadow_rip, tsc_off, apic;
	hv_return_t spec_ret;
	uint8_t fp[4096];
};

static void owner_snapshot(struct owner_state *s)
{
	uint64_t spec;

	memset(s, 0, sizeof(*s));
	hv_vcpu_read_register(o_id, HV_X86_RAX, &s->rax);
	hv_vcpu_read_msr(o_id, HV_MSR_IA32_STAR, &s->star);
	hv_vmx_vcpu_read_vmcs(o_id, VMCS_GUEST_RIP, &s->rip);
	hv_vmx_vcpu_read_shadow_vmcs(o_id, VMCS_GUEST_RIP, &s->shadow_rip);
	hv_vmx_vcpu_read_vmcs(o_id, VMCS_CTRL_TSC_OFFSET, &s->tsc_off);
	hv_vmx_vcpu_read_vmcs(o_id, VMCS_CTRL_APIC_ACCESS, &s->apic);
	/* SPEC_CTRL is not bound: reading it fails. */
	s->spec_ret = hv_vcpu_read_msr(o_id, HV_MSR_IA32_SPEC_CTRL, &spec);
	hv_vcpu_read_fpstate(o_id, s->fp, sizeof(s->fp));
}

static void check_owner_only(int foreign_owns_vcpu)
{
	static struct owner_state before, after;
	struct worker w;
	struct vcpu_req r = { .flags = HV_VCPU_DEFAULT };

	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&o_id, HV_VCPU_TSC_RELATIVE));
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&o_space));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_register(o_id, HV_X86_RAX,
						     0x1111));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(o_id, HV_MSR_IA32_STAR,
						0x2222));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_shadow_vmcs(o_id,
							    VMCS_GUEST_RIP,
							    0x3333));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_tsc_relative(o_id, 1000));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(o_id, o_fp, sizeof(o_fp)));
	owner_snapshot(&before);
	EXPECT_EQ(HV_BAD_ARGUMENT, before.spec_ret);

	ASSERT_TRUE(worker_start(&w));
	if (foreign_owns_vcpu) {
		worker_call(&w, create_then_foreign_fn, &r);
		EXPECT_EQ(HV_SUCCESS, r.ret);
		EXPECT_NE(o_id, r.id);
	} else {
		worker_call(&w, foreign_calls_fn, NULL);
	}
	for (size_t i = 0; i < N_OWNER_CALLS; i++) {
		int ok = owner_calls[i].apic ?
				 foreign_ret[i] != HV_SUCCESS :
				 foreign_ret[i] == HV_BAD_ARGUMENT;

		if (!ok)
			printf("# foreign %s returned 0x%x\n",
			       owner_calls[i].name, (unsigned)foreign_ret[i]);
		EXPECT_TRUE(ok);
	}
	/* No out-parameter was written. */
	EXPECT_EQ(0, foreign_out_touched);
	if (foreign_owns_vcpu && r.ret == HV_SUCCESS) {
		worker_call(&w, vcpu_destroy_fn, &r);
		EXPECT_EQ(HV_SUCCESS, r.ret);
	}
	worker_stop(&w);

	/* Nothing changed, as seen by the owner. */
	owner_snapshot(&after);
	EXPECT_EQ(0x1111, after.rax);
	EXPECT_EQ(0x2222, after.star);
	EXPECT_EQ(before.rip, after.rip);
	EXPECT_EQ(0x3333, after.shadow_rip);
	EXPECT_EQ(before.tsc_off, after.tsc_off);
	EXPECT_EQ(before.apic, after.apic);
	EXPECT_EQ(HV_BAD_ARGUMENT, after.spec_ret);
	EXPECT_EQ(0, memcmp(before.fp, after.fp, sizeof(before.fp)));
	/* The vCPU did not move to o_space, so o_space can go. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(o_space));
	/* And the vCPU was not destroyed. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(o_id));
}

VM_TEST(owner_only_from_thread_without_vcpu, 0)
{
	check_owner_only(0);
}

VM_TEST(owner_only_from_thread_owning_other_vcpu, 0)
{
	check_owner_only(1);
}

/* hv_vcpu_interrupt works from any thread; ids are all checked. */
static hv_vcpuid_t intr_ids[3];
static hv_return_t intr_ret;

static void interrupt_fn(void *p)
{
	intr_ret = hv_vcpu_interrupt(intr_ids, (unsigned)(uintptr_t)p);
}

VM_TEST(interrupt_any_thread, 1)
{
	struct worker w[3];
	struct vcpu_req r[2] = { { .flags = HV_VCPU_DEFAULT },
				 { .flags = HV_VCPU_DEFAULT } };
	hv_vcpuid_t one;

	for (int i = 0; i < 3; i++)
		ASSERT_TRUE(worker_start(&w[i]));
	for (int i = 0; i < 2; i++) {
		worker_call(&w[i], vcpu_create_fn, &r[i]);
		EXPECT_EQ(HV_SUCCESS, r[i].ret);
	}
	intr_ids[0] = g_vcpu;
	intr_ids[1] = r[0].id;
	intr_ids[2] = r[1].id;
	/* From the owner of one of them, from a vCPU-less thread. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_interrupt(intr_ids, 3));
	worker_call(&w[2], interrupt_fn, (void *)(uintptr_t)3);
	EXPECT_EQ(HV_SUCCESS, intr_ret);
	worker_call(&w[0], interrupt_fn, (void *)(uintptr_t)1);
	EXPECT_EQ(HV_SUCCESS, intr_ret);

	/* Count 0, NULL, unknown ids, a destroyed id. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(intr_ids, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(NOPTR, 1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(NOPTR, 0));
	one = 64;
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(&one, 1));
	one = 3;
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(&one, 1));
	one = 0xffffffff;
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(&one, 1));
	worker_call(&w[1], vcpu_destroy_fn, &r[1]);
	EXPECT_EQ(HV_SUCCESS, r[1].ret);
	/* intr_ids[2] is gone: the whole list is refused. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_interrupt(intr_ids, 3));
	worker_call(&w[2], interrupt_fn, (void *)(uintptr_t)3);
	EXPECT_EQ(HV_BAD_ARGUMENT, intr_ret);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_interrupt(intr_ids, 2));

	worker_call(&w[0], vcpu_destroy_fn, &r[0]);
	EXPECT_EQ(HV_SUCCESS, r[0].ret);
	for (int i = 0; i < 3; i++)
		worker_stop(&w[i]);
}

VM_TEST(flush_unsupported, 1)
{
	EXPECT_EQ(HV_UNSUPPORTED, hv_vcpu_flush(g_vcpu));
}

VM_TEST(invalidate_tlb, 1)
{
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_invalidate_tlb(g_vcpu));
}

VM_TEST(vmx_status_before_run, 1)
{
	uint32_t s = 0x5a;

	EXPECT_EQ(HV_ERROR, hv_vcpu_vmx_status(g_vcpu, &s));
	EXPECT_EQ(0x5a, s);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_vmx_status(g_vcpu, NOPTR));
	EXPECT_TRUE(hv_openhvf_entry_failure_reason(g_vcpu) == NULL);
}

VM_TEST(exec_and_idle_time, 1)
{
	uint64_t t = 0x5a;

	EXPECT_EQ(HV_SUCCESS, hv_vcpu_get_exec_time(g_vcpu, &t));
	EXPECT_EQ(0, t); /* never ran */
	t = 0x5a;
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_get_idle_time(g_vcpu, &t));
	EXPECT_EQ(0, t);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_get_exec_time(g_vcpu, NOPTR));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_get_idle_time(g_vcpu, NOPTR));
}

VM_TEST(exit_info_is_vmx, 1)
{
	hv_vm_exitinfo_t c = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vcpu_exit_info(g_vcpu, &c));
	EXPECT_EQ(HV_VM_EXITINFO_VMX, c);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_exit_info(g_vcpu, NOPTR));
}

/* Every APIC-acceleration vCPU call: HV_UNSUPPORTED for the owner. */
VM_TEST(apic_vcpu_calls_unsupported, 1)
{
	o_id = g_vcpu;
	for (size_t i = 0; i < N_OWNER_CALLS; i++) {
		hv_return_t r;

		if (!owner_calls[i].apic)
			continue;
		r = owner_calls[i].fn();
		if (r != HV_UNSUPPORTED)
			printf("# %s returned 0x%x\n", owner_calls[i].name,
			       (unsigned)r);
		EXPECT_EQ(HV_UNSUPPORTED, r);
	}
}

/* The VM-wide interrupt-controller calls and PIO notifiers. */
VM_TEST(apic_vm_calls_unsupported, 1)
{
	hv_ioapic_state_ext_t io = { .version = HV_IOAPIC_STATE_EXT_VER };
	hv_atpic_state_ext_t at = { .version = HV_ATPIC_STATE_EXT_VER };
	uint32_t d;
	uint8_t b;

	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_lapic_set_intr(g_vcpu, 0x30,
						       HV_APIC_EDGE_TRIGGER));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_lapic_msi(0xfee00000, 0x30));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_assert_irq(1));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_deassert_irq(1));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_pulse_irq(1));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_read(0xfec00000, &d));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_write(0xfec00000, 0));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_get_state(&io));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_ioapic_put_state(&io));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_send_ioapic_intr(0x30));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_assert_irq(1));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_deassert_irq(1));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_port_read(0x20, &b));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_port_write(0x20, 0x11));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_get_state(&at, true));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_atpic_put_state(&at, false));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_set_apic_bus_freq(100000000));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_add_pio_notifier(0x80, 1, 0, 0,
							 HV_ION_NONE));
	EXPECT_EQ(HV_UNSUPPORTED, hv_vm_remove_pio_notifier(0x80, 1, 0, 0,
							    HV_ION_NONE));
}
