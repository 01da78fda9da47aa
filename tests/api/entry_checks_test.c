/* SPDX-License-Identifier: MIT */
/* The VM-entry checks (SDM Vol. 3C, 27.2.1 controls, 27.3.1 guest state),
 * one table row per rule: from the reset state, preliminary writes make
 * the rule apply, then the field is set to a good value (the entry must
 * succeed: any exit without bit 31) and to a bad one (VMfailValid for
 * controls: HV_ERROR, status ZF, instruction error 7; for guest state an
 * exit 33 | bit 31 with the qualification). Either failure must explain
 * itself naming the field (hv_openhvf_entry_failure_reason). Rules that the
 * API refuses earlier (reserved control bits, unaligned APIC page) are
 * checked at the write. No guest code runs: nothing is mapped, so a
 * successful entry ends in an EPT violation or the deadline. */
#include <Hypervisor/Hypervisor.h>
#include <Hypervisor/hv_openhvf.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

enum { K_CTL, K_GUEST };

/* Pseudo-field: HV_X86_TPR through the register API. */
#define F_TPR 0xffffffffu

struct fw {
	uint32_t f;
	uint64_t v;
};

struct ec_case {
	const char *name;
	int kind;
	uint64_t qual;
	struct fw pre[12];
	uint32_t field;
	uint64_t good, bad;
	const char *msg;        /* must appear in the explanation */
};

/* Control values from the TRUE capabilities (the usual cap2ctrl idiom). */
static uint64_t ctl(hv_vmx_capability_t cap, uint64_t want)
{
	uint64_t c = 0;

	hv_vmx_read_capability(cap, &c);
	return (want | (c & 0xffffffff)) & (c >> 32);
}

#define PIN(x) ctl(HV_VMX_CAP_TRUE_PINBASED, (x))
#define PROC(x) ctl(HV_VMX_CAP_TRUE_PROCBASED, CPU_BASED_SECONDARY_CTLS | (x))
#define PROC2(x) ctl(HV_VMX_CAP_PROCBASED2, (x))
#define EXITC(x) ctl(HV_VMX_CAP_TRUE_EXIT, (x))
#define ENTRYC(x) ctl(HV_VMX_CAP_TRUE_ENTRY, (x))

/* Register a fresh case list at run time: capability values are not
 * constants. */
static struct ec_case cases[128];
static unsigned ncases;

static void add(struct ec_case c)
{
	if (ncases < sizeof(cases) / sizeof(cases[0]))
		cases[ncases++] = c;
}

/* IA-32e mode guest with 4-level paging (CR3 0: the walk exits). */
#define LONG_PRE { VMCS_CTRL_VMENTRY_CONTROLS, 0 /* patched */ }, \
	{ VMCS_GUEST_IA32_EFER, 0x500 }, { VMCS_GUEST_CR4, 0x2020 }, \
	{ VMCS_GUEST_CR0, 0x80000031 }

/* Virtual-8086 segments: base = selector << 4, limit FFFF, AR F3. */
#define V86_SEGS { VMCS_GUEST_CS, 0 }, { VMCS_GUEST_CS_BASE, 0 }, \
	{ VMCS_GUEST_CS_AR, 0xf3 }, { VMCS_GUEST_SS_AR, 0xf3 }, \
	{ VMCS_GUEST_DS_AR, 0xf3 }, { VMCS_GUEST_ES_AR, 0xf3 }, \
	{ VMCS_GUEST_FS_AR, 0xf3 }, { VMCS_GUEST_GS_AR, 0xf3 }

static void build_controls(void)
{
	add((struct ec_case){ "cr3_target_count", K_CTL, 0, { { 0, 0 } },
		VMCS_CTRL_CR3_COUNT, 4, 5, "VMCS_CTRL_CR3_COUNT" });
	add((struct ec_case){ "tpr_threshold_31_4", K_CTL, 0,
		{ { VMCS_CTRL_CPU_BASED, PROC(CPU_BASED_TPR_SHADOW) } },
		VMCS_CTRL_TPR_THRESHOLD, 0, 0x10, "VMCS_CTRL_TPR_THRESHOLD" });
	add((struct ec_case){ "tpr_threshold_vs_vtpr", K_CTL, 0,
		{ { VMCS_CTRL_CPU_BASED, PROC(CPU_BASED_TPR_SHADOW) },
		  { F_TPR, 0x30 } },
		VMCS_CTRL_TPR_THRESHOLD, 3, 4, "VTPR" });
	add((struct ec_case){ "virtual_nmi_needs_nmi_exiting", K_CTL, 0,
		{ { 0, 0 } }, VMCS_CTRL_PIN_BASED,
		PIN(PIN_BASED_NMI | PIN_BASED_VIRTUAL_NMI),
		PIN(PIN_BASED_VIRTUAL_NMI), "NMI exiting" });
	add((struct ec_case){ "nmi_window_needs_virtual_nmi", K_CTL, 0,
		{ { VMCS_CTRL_PIN_BASED, PIN(PIN_BASED_NMI) } },
		VMCS_CTRL_CPU_BASED, PROC(0), PROC(CPU_BASED_VIRTUAL_NMI_WND),
		"NMI-window" });
	add((struct ec_case){ "vpid_nonzero", K_CTL, 0,
		{ { VMCS_CTRL_CPU_BASED2, PROC2(CPU_BASED2_VPID) } },
		VMCS_VPID, 1, 0, "VMCS_VPID" });
	add((struct ec_case){ "save_timer_needs_timer", K_CTL, 0,
		{ { 0, 0 } }, VMCS_CTRL_VMEXIT_CONTROLS, EXITC(0),
		EXITC(VMEXIT_SAVE_VMX_TIMER), "preemption timer" });
	add((struct ec_case){ "irq_info_type1", K_CTL, 0,
		{ { VMCS_GUEST_RFLAGS, 0x202 } },
		VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000030, 0x80000130,
		"VMCS_CTRL_VMENTRY_IRQ_INFO" });
	add((struct ec_case){ "irq_info_nmi_vector", K_CTL, 0, { { 0, 0 } },
		VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000202, 0x80000203,
		"NMI must be vector 2" });
	add((struct ec_case){ "irq_info_hw_vector", K_CTL, 0, { { 0, 0 } },
		VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000306, 0x80000320,
		"vectors 0-31" });
	add((struct ec_case){ "irq_info_other_vector", K_CTL, 0, { { 0, 0 } },
		VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000700, 0x80000701,
		"other events vector 0" });
	add((struct ec_case){ "irq_info_error_code_real", K_CTL, 0,
		{ { 0, 0 } }, VMCS_CTRL_VMENTRY_IRQ_INFO, 0x8000030d,
		0x80000b0d, "deliver error code" });
	add((struct ec_case){ "irq_info_error_code_prot", K_CTL, 0,
		{ { VMCS_GUEST_CR0, 0x31 } }, VMCS_CTRL_VMENTRY_IRQ_INFO,
		0x80000b0d, 0x8000030d, "deliver error code" });
	add((struct ec_case){ "irq_info_reserved", K_CTL, 0,
		{ { VMCS_GUEST_RFLAGS, 0x202 } }, VMCS_CTRL_VMENTRY_IRQ_INFO,
		0x80000030, 0x80001030, "30:12" });
	add((struct ec_case){ "irq_error_31_16", K_CTL, 0,
		{ { VMCS_GUEST_CR0, 0x31 },
		  { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000b0d } },
		VMCS_CTRL_VMENTRY_EXC_ERROR, 0xffff, 0x10000,
		"VMCS_CTRL_VMENTRY_EXC_ERROR" });
	add((struct ec_case){ "irq_instr_len", K_CTL, 0,
		{ { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000403 } },
		VMCS_CTRL_VMENTRY_INSTR_LEN, 2, 16,
		"VMCS_CTRL_VMENTRY_INSTR_LEN" });
}

static void build_cr_msr(void)
{
	add((struct ec_case){ "cr0_ne_fixed", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR0, 0x30, 0x10, "VMCS_GUEST_CR0" });
	add((struct ec_case){ "cr0_pg_needs_pe", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR0, 0x80000031, 0x80000030, "CR0.PE" });
	add((struct ec_case){ "cr4_vmxe_fixed", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR4, 0x2000, 0, "VMCS_GUEST_CR4" });
	add((struct ec_case){ "cr4_unsupported_bit", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR4, 0x2000, 0x402000, "VMCS_GUEST_CR4" });
	add((struct ec_case){ "debugctl_reserved", K_GUEST, 0,
		{ { VMCS_CTRL_VMENTRY_CONTROLS,
		    ENTRYC(VMENTRY_LOAD_DBG_CONTROLS) } },
		VMCS_GUEST_IA32_DEBUGCTL, 1, 4, "VMCS_GUEST_IA32_DEBUGCTL" });
	add((struct ec_case){ "ia32e_needs_paging", K_GUEST, 0,
		{ LONG_PRE }, VMCS_GUEST_CR0, 0x80000031, 0x31,
		"IA-32e mode guest needs CR0.PG" });
	add((struct ec_case){ "pcide_needs_ia32e", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR4, 0x2000, 0x22000, "PCIDE" });
	add((struct ec_case){ "cr3_maxphyaddr", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_CR3, 0x1000, 1ull << 40, "VMCS_GUEST_CR3" });
	add((struct ec_case){ "dr7_high", K_GUEST, 0,
		{ { VMCS_CTRL_VMENTRY_CONTROLS,
		    ENTRYC(VMENTRY_LOAD_DBG_CONTROLS) } },
		VMCS_GUEST_DR7, 0x400, 1ull << 32, "VMCS_GUEST_DR7" });
	add((struct ec_case){ "sysenter_canonical", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_SYSENTER_ESP, 0xffff800000000000ull,
		0x800000000000ull, "SYSENTER" });
	add((struct ec_case){ "pat_types", K_GUEST, 0,
		{ { VMCS_CTRL_VMENTRY_CONTROLS,
		    ENTRYC(VMENTRY_LOAD_IA32_PAT) } },
		VMCS_GUEST_IA32_PAT, 0x0007040600070406ull,
		0x0007040600070402ull, "VMCS_GUEST_IA32_PAT" });
	add((struct ec_case){ "efer_reserved", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_IA32_EFER, 0x801, 0x2, "VMCS_GUEST_IA32_EFER" });
	add((struct ec_case){ "efer_lma_vs_ia32e", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_IA32_EFER, 0, 0x400, "EFER.LMA" });
	add((struct ec_case){ "efer_lme_vs_ia32e", K_GUEST, 0,
		{ { VMCS_GUEST_CR0, 0x80000031 } },
		VMCS_GUEST_IA32_EFER, 0, 0x100, "EFER.LME" });
}

static void build_segments(void)
{
	static const struct { const char *n; uint32_t f; uint64_t good, bad;
			      const char *msg; } one[] = {
		{ "tr_ti", VMCS_GUEST_TR, 0, 4, "VMCS_GUEST_TR" },
		{ "ldtr_ti", VMCS_GUEST_LDTR, 0, 4, "VMCS_GUEST_LDTR" },
		{ "cs_base_high", VMCS_GUEST_CS_BASE, 0xffff0000, 1ull << 32,
		  "VMCS_GUEST_CS_BASE" },
		{ "ss_base_high", VMCS_GUEST_SS_BASE, 0, 1ull << 32,
		  "VMCS_GUEST_SS_BASE" },
		{ "ds_base_high", VMCS_GUEST_DS_BASE, 0, 1ull << 32,
		  "VMCS_GUEST_DS_BASE" },
		{ "es_base_high", VMCS_GUEST_ES_BASE, 0, 1ull << 32,
		  "VMCS_GUEST_ES_BASE" },
		{ "fs_base_canonical", VMCS_GUEST_FS_BASE, 1ull << 40,
		  1ull << 48, "VMCS_GUEST_FS_BASE" },
		{ "gs_base_canonical", VMCS_GUEST_GS_BASE, 1ull << 40,
		  1ull << 48, "VMCS_GUEST_GS_BASE" },
		{ "tr_base_canonical", VMCS_GUEST_TR_BASE, 0, 1ull << 48,
		  "VMCS_GUEST_TR_BASE" },
		{ "ldtr_base_canonical", VMCS_GUEST_LDTR_BASE, 0, 1ull << 48,
		  "VMCS_GUEST_LDTR_BASE" },
		{ "cs_type", VMCS_GUEST_CS_AR, 0x93, 0x95, "CS type" },
		{ "cs_s", VMCS_GUEST_CS_AR, 0x9b, 0x8b, "VMCS_GUEST_CS_AR" },
		{ "cs_dpl", VMCS_GUEST_CS_AR, 0x9b, 0xbb, "DPL" },
		{ "cs_present", VMCS_GUEST_CS_AR, 0x9b, 0x1b, "P (bit 7)" },
		{ "cs_reserved", VMCS_GUEST_CS_AR, 0x9b, 0x19b, "reserved" },
		{ "cs_granularity", VMCS_GUEST_CS_LIMIT, 0xffff, 0x1fffff, "G (bit 15)" },
		{ "ss_type", VMCS_GUEST_SS_AR, 0x97, 0x9b, "SS must be type 3" },
		{ "ss_s", VMCS_GUEST_SS_AR, 0x93, 0x83, "VMCS_GUEST_SS_AR" },
		{ "ss_present", VMCS_GUEST_SS_AR, 0x93, 0x13, "VMCS_GUEST_SS_AR" },
		{ "ss_reserved", VMCS_GUEST_SS_AR, 0x93, 0x193, "VMCS_GUEST_SS_AR" },
		{ "ss_granularity", VMCS_GUEST_SS_LIMIT, 0xffff, 0x1fffff,
		  "VMCS_GUEST_SS_AR" },
		{ "ds_accessed", VMCS_GUEST_DS_AR, 0x93, 0x92, "VMCS_GUEST_DS_AR" },
		{ "ds_code_readable", VMCS_GUEST_DS_AR, 0x9b, 0x99,
		  "VMCS_GUEST_DS_AR" },
		{ "ds_s", VMCS_GUEST_DS_AR, 0x93, 0x83, "VMCS_GUEST_DS_AR" },
		{ "ds_present", VMCS_GUEST_DS_AR, 0x93, 0x13, "VMCS_GUEST_DS_AR" },
		{ "ds_reserved", VMCS_GUEST_DS_AR, 0x93, 0x193, "VMCS_GUEST_DS_AR" },
		{ "ds_granularity", VMCS_GUEST_DS_LIMIT, 0xffff, 0x1fffff,
		  "VMCS_GUEST_DS_AR" },
		{ "ds_unusable_skips", VMCS_GUEST_DS_AR, 0x10000, 0x92,
		  "VMCS_GUEST_DS_AR" },
		{ "es_accessed", VMCS_GUEST_ES_AR, 0x93, 0x92, "VMCS_GUEST_ES_AR" },
		{ "fs_present", VMCS_GUEST_FS_AR, 0x93, 0x13, "VMCS_GUEST_FS_AR" },
		{ "gs_s", VMCS_GUEST_GS_AR, 0x93, 0x83, "VMCS_GUEST_GS_AR" },
		{ "tr_type", VMCS_GUEST_TR_AR, 0x8b, 0x89, "TR type" },
		{ "tr_system", VMCS_GUEST_TR_AR, 0x8b, 0x9b, "S = 0" },
		{ "tr_unusable", VMCS_GUEST_TR_AR, 0x8b, 0x1008b, "usable" },
		{ "tr_reserved", VMCS_GUEST_TR_AR, 0x8b, 0x18b, "VMCS_GUEST_TR_AR" },
		{ "tr_granularity", VMCS_GUEST_TR_LIMIT, 0xffff, 0x1fffff,
		  "VMCS_GUEST_TR_AR" },
		{ "ldtr_type", VMCS_GUEST_LDTR_AR, 0x82, 0x83, "type 2" },
		{ "ldtr_reserved", VMCS_GUEST_LDTR_AR, 0x82, 0x182,
		  "VMCS_GUEST_LDTR_AR" },
		{ "ldtr_granularity", VMCS_GUEST_LDTR_LIMIT, 0xffff, 0x1fffff,
		  "VMCS_GUEST_LDTR_AR" },
		{ "gdtr_base", VMCS_GUEST_GDTR_BASE, 0, 1ull << 48,
		  "VMCS_GUEST_GDTR_BASE" },
		{ "idtr_base", VMCS_GUEST_IDTR_BASE, 0, 1ull << 48,
		  "VMCS_GUEST_GDTR_BASE" },
		{ "gdtr_limit", VMCS_GUEST_GDTR_LIMIT, 0xffff, 0x10000,
		  "VMCS_GUEST_GDTR_LIMIT" },
		{ "rip_high", VMCS_GUEST_RIP, 0xfff0, 1ull << 32,
		  "VMCS_GUEST_RIP" },
		{ "rflags_reserved", VMCS_GUEST_RFLAGS, 0x2, 0x8002,
		  "VMCS_GUEST_RFLAGS" },
		{ "rflags_bit1", VMCS_GUEST_RFLAGS, 0x2, 0x0,
		  "VMCS_GUEST_RFLAGS" },
	};

	for (unsigned i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		add((struct ec_case){ one[i].n, K_GUEST, 0, { { 0, 0 } },
				      one[i].f, one[i].good, one[i].bad,
				      one[i].msg });
	add((struct ec_case){ "ss_dpl_real_mode", K_GUEST, 0,
		{ { VMCS_GUEST_CS_AR, 0x9f } },
		VMCS_GUEST_SS_AR, 0x93, 0xb3, "SS.DPL" });
	add((struct ec_case){ "cs_long_mode_l_and_d", K_GUEST, 0,
		{ LONG_PRE }, VMCS_GUEST_CS_AR, 0xa09b, 0xe09b, "CS.L" });
	add((struct ec_case){ "tr_16bit_busy_in_ia32e", K_GUEST, 0,
		{ LONG_PRE }, VMCS_GUEST_TR_AR, 0x8b, 0x83, "TR type" });
	add((struct ec_case){ "v86_segments", K_GUEST, 0,
		{ V86_SEGS, { VMCS_GUEST_CR0, 0x31 },
		  { VMCS_GUEST_RFLAGS, 0x20002 } },
		VMCS_GUEST_CS_LIMIT, 0xffff, 0xfffe, "virtual-8086" });
	add((struct ec_case){ "rflags_vm_needs_pe", K_GUEST, 0,
		{ V86_SEGS, { VMCS_GUEST_RFLAGS, 0x20002 } }, VMCS_GUEST_CR0,
		0x31, 0x30, "VM must be 0" });
	add((struct ec_case){ "rip_canonical_64bit", K_GUEST, 0,
		{ LONG_PRE, { VMCS_GUEST_CS_AR, 0xa09b } }, VMCS_GUEST_RIP,
		0xffff800000000000ull, 0x0000800000000000ull,
		"VMCS_GUEST_RIP" });
}

static void build_events(void)
{
	add((struct ec_case){ "rflags_if_for_extint", K_GUEST, 0,
		{ { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000030 } },
		VMCS_GUEST_RFLAGS, 0x202, 0x2, "IF must be 1" });
	add((struct ec_case){ "hlt_needs_ss_dpl0", K_GUEST, 0,
		{ { VMCS_GUEST_CR0, 0x31 }, { VMCS_GUEST_CS_AR, 0x9f },
		  { VMCS_GUEST_ACTIVITY_STATE, 1 } },
		VMCS_GUEST_SS_AR, 0x93, 0xb3, "HLT state needs SS.DPL" });
	add((struct ec_case){ "blocking_needs_active", K_GUEST, 0,
		{ { VMCS_GUEST_ACTIVITY_STATE, 1 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 2, "active state" });
	add((struct ec_case){ "hlt_inject_types", K_GUEST, 0,
		{ { VMCS_GUEST_ACTIVITY_STATE, 1 } },
		VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000202, 0x80000306,
		"can be injected" });
	add((struct ec_case){ "intr_reserved", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 0x10, "reserved bits 31:4" });
	add((struct ec_case){ "intr_sti_and_movss", K_GUEST, 0,
		{ { VMCS_GUEST_RFLAGS, 0x202 } },
		VMCS_GUEST_INTERRUPTIBILITY, 1, 3, "cannot both" });
	add((struct ec_case){ "intr_sti_needs_if", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_INTERRUPTIBILITY, 2, 1, "RFLAGS.IF" });
	add((struct ec_case){ "intr_extint_unblocked", K_GUEST, 0,
		{ { VMCS_GUEST_RFLAGS, 0x202 },
		  { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000030 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 1, "external interrupt" });
	add((struct ec_case){ "intr_nmi_movss", K_GUEST, 0,
		{ { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000202 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 2, "MOV-SS blocking" });
	add((struct ec_case){ "intr_smi", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 4, "SMI" });
	add((struct ec_case){ "intr_virtual_nmi_blocked", K_GUEST, 0,
		{ { VMCS_CTRL_PIN_BASED,
		    PIN(PIN_BASED_NMI | PIN_BASED_VIRTUAL_NMI) },
		  { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000202 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 8, "virtual NMIs" });
	add((struct ec_case){ "intr_nmi_sti_qual3", K_GUEST, 3,
		{ { VMCS_GUEST_RFLAGS, 0x202 },
		  { VMCS_CTRL_VMENTRY_IRQ_INFO, 0x80000202 } },
		VMCS_GUEST_INTERRUPTIBILITY, 0, 1, "STI blocking" });
	add((struct ec_case){ "pending_dbg_reserved", K_GUEST, 0, { { 0, 0 } },
		VMCS_GUEST_DEBUG_EXC, 0, 0x10, "VMCS_GUEST_DEBUG_EXC" });
	add((struct ec_case){ "pending_dbg_bs_rule", K_GUEST, 0,
		{ { VMCS_GUEST_RFLAGS, 0x302 },
		  { VMCS_GUEST_INTERRUPTIBILITY, 1 } },
		VMCS_GUEST_DEBUG_EXC, 0x4000, 0, "BS (bit 14)" });
	add((struct ec_case){ "pdpte_reserved_qual2", K_GUEST, 2,
		{ { VMCS_GUEST_CR0, 0x80000031 }, { VMCS_GUEST_CR4, 0x2020 } },
		VMCS_GUEST_PDPTE0, 0x1001, 0x1003, "VMCS_GUEST_PDPTE0" });
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put(uint32_t f, uint64_t v)
{
	hv_return_t r;

	if (f == F_TPR)
		r = hv_vcpu_write_register(g_vcpu, HV_X86_TPR, v);
	else
		r = hv_vmx_vcpu_write_vmcs(g_vcpu, f, v);
	if (r != HV_SUCCESS)
		test_fail(__FILE__, __LINE__, "write", f, (unsigned)r);
}

static uint64_t get(uint32_t f)
{
	uint64_t v = 0;

	hv_vmx_vcpu_read_vmcs(g_vcpu, f, &v);
	return v;
}

static void apply_pre(const struct ec_case *c)
{
	for (unsigned i = 0; i < 12 && c->pre[i].f; i++) {
		uint64_t v = c->pre[i].v;

		if (c->pre[i].f == VMCS_CTRL_VMENTRY_CONTROLS && v == 0)
			v = ENTRYC(VMENTRY_GUEST_IA32E);
		put(c->pre[i].f, v);
	}
}

/* Run once with the field at value: HV_SUCCESS and the exit reason, or
 * the error. */
static hv_return_t run_with(const struct ec_case *c, uint64_t value,
			    uint64_t *reason)
{
	hv_return_t r;

	apply_pre(c);
	put(c->field, value);
	r = hv_vcpu_run_until(g_vcpu, now_ns() + 2000000);
	*reason = get(VMCS_RO_EXIT_REASON);
	return r;
}

static void check_good(const struct ec_case *c)
{
	uint64_t reason = 0;
	hv_return_t r = run_with(c, c->good, &reason);

	if (r != HV_SUCCESS || (reason & 0x80000000u)) {
		const char *m = hv_openhvf_entry_failure_reason(g_vcpu);

		printf("# %s good value failed: %s\n", c->name, m ? m : "-");
		test_fail(__FILE__, __LINE__, c->name, 0, reason);
	}
	EXPECT_TRUE(hv_openhvf_entry_failure_reason(g_vcpu) == NULL);
}

static void check_bad(const struct ec_case *c)
{
	uint64_t reason = 0;
	uint32_t status = 0;
	hv_return_t r = run_with(c, c->bad, &reason);
	const char *m = hv_openhvf_entry_failure_reason(g_vcpu);

	if (c->kind == K_CTL) {
		EXPECT_EQ(HV_ERROR, r);
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_vmx_status(g_vcpu, &status));
		EXPECT_EQ(0x40, status);
		EXPECT_EQ(7, get(VMCS_RO_INSTR_ERROR));
	} else {
		EXPECT_EQ(HV_SUCCESS, r);
		EXPECT_EQ(0x80000000u | VMX_REASON_VMENTRY_GUEST, reason);
		EXPECT_EQ(c->qual, get(VMCS_RO_EXIT_QUALIFIC));
	}
	if (!m || !strstr(m, c->msg)) {
		printf("# %s: explanation \"%s\" lacks \"%s\"\n", c->name,
		       m ? m : "(null)", c->msg);
		test_fail(__FILE__, __LINE__, c->name, 1, 0);
	}
}

static void run_case(const struct ec_case *c)
{
	if (!vm_setup(1))
		return;
	check_good(c);
	vm_teardown();
	if (!vm_setup(1))
		return;
	check_bad(c);
	vm_teardown();
}

TEST(entry_checks_table)
{
	build_controls();
	build_cr_msr();
	build_segments();
	build_events();
	printf("# %u entry-check cases\n", ncases);
	for (unsigned i = 0; i < ncases; i++)
		run_case(&cases[i]);
}

/* Rules the API enforces at the write already: reserved control bits
 * (SDM Vol. 3C, 27.2.1.1-27.2.1.3 against the capability MSRs), the
 * activity state (27.3.1.5) and the APIC-access address alignment
 * (27.2.1.1). */
TEST(entry_checks_refused_at_write)
{
	if (!vm_setup(1))
		return;
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_CTRL_PIN_BASED, 0));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_CTRL_CPU_BASED, 0));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_CTRL_CPU_BASED2, 0));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_CTRL_VMEXIT_CONTROLS, 0));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_CTRL_VMENTRY_CONTROLS, 0));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_write_vmcs(g_vcpu,
		VMCS_GUEST_ACTIVITY_STATE, 2));
	EXPECT_NE(HV_SUCCESS, hv_vmx_vcpu_set_apic_address(g_vcpu, 0x1001));
	vm_teardown();
}

/* The reset state enters; a control failure changes nothing in the guest
 * state and a later good entry clears the explanation. */
TEST(entry_check_recovers)
{
	uint64_t reason = 0, rip = 0;

	if (!vm_setup(1))
		return;
	put(VMCS_CTRL_CR3_COUNT, 9);
	EXPECT_EQ(HV_ERROR, hv_vcpu_run(g_vcpu));
	EXPECT_TRUE(hv_openhvf_entry_failure_reason(g_vcpu) != NULL);
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_GUEST_RIP, &rip);
	EXPECT_EQ(0xfff0, rip);
	put(VMCS_CTRL_CR3_COUNT, 0);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_run(g_vcpu));
	hv_vmx_vcpu_read_vmcs(g_vcpu, VMCS_RO_EXIT_REASON, &reason);
	EXPECT_EQ(VMX_REASON_EPT_VIOLATION, reason);
	EXPECT_TRUE(hv_openhvf_entry_failure_reason(g_vcpu) == NULL);
	vm_teardown();
}
