/* SPDX-License-Identifier: MIT */
/* VMX non-root operation through the public API: one table row per exit
 * reason or control, each running a case of tests/guest/vmx64.S with
 * declared controls and the exits it must produce, in order, with their
 * qualification, instruction length (RIP + length = the guest's %r15
 * marker), instruction information and the guest state after the
 * runner handled the exit and re-entered (SDM Vol. 3C, chapters 26-28). */
#include <pthread.h>
#include <time.h>

#include "runner.h"

#define CASE_SEL 0x200000ull
#define APIC_PAGE 0x300000ull

enum {
	F_LEN = 1,      /* RIP + instruction length = %r15; skip after */
	F_RIP = 2,      /* RIP = %r15 (trap-like or boundary exit); no skip */
	F_QUAL = 4,     /* qualification equals qual */
	F_INFO = 8,     /* (instruction information & mask) == info */
	F_STAY = 16,    /* no skip (the hook decides) */
};

struct xexit {
	uint32_t reason;
	unsigned flags;
	uint64_t qual;
	uint32_t info, mask;
};

struct vcase {
	const char *name;
	unsigned sel;           /* case number in vmx64.S */
	void (*setup)(struct guest *g);
	struct xexit x[7];      /* ends at flags == 0 */
	void (*on_exit)(struct guest *g, unsigned k);
	void (*check)(struct guest *g);
};

/* ------------------------------------------------------------------ */
/* Control helpers                                                     */

static void proc_on(struct guest *g, uint64_t bits)
{
	wvmcs(g, VMCS_CTRL_CPU_BASED, rvmcs(g, VMCS_CTRL_CPU_BASED) | bits);
}

static void proc_off(struct guest *g, uint64_t bits)
{
	wvmcs(g, VMCS_CTRL_CPU_BASED, rvmcs(g, VMCS_CTRL_CPU_BASED) & ~bits);
}

static void proc2_on(struct guest *g, uint64_t bits)
{
	wvmcs(g, VMCS_CTRL_CPU_BASED2, rvmcs(g, VMCS_CTRL_CPU_BASED2) | bits);
}

static void pin_set(struct guest *g, uint64_t bits)
{
	wvmcs(g, VMCS_CTRL_PIN_BASED, cap2ctrl(HV_VMX_CAP_TRUE_PINBASED, bits));
}

static void inject(struct guest *g, uint32_t info, uint32_t err,
		   uint32_t len)
{
	wvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO, info);
	wvmcs(g, VMCS_CTRL_VMENTRY_EXC_ERROR, err);
	wvmcs(g, VMCS_CTRL_VMENTRY_INSTR_LEN, len);
}

/* ------------------------------------------------------------------ */
/* Set-ups, hooks and final checks of the cases                        */

static void s_no_hlt(struct guest *g)
{
	proc_off(g, CPU_BASED_HLT);
}

static void s_hlt_idle(struct guest *g)
{
	s_no_hlt(g);
	pin_set(g, PIN_BASED_PREEMPTION_TIMER);
	wvmcs(g, VMCS_CTRL_VMEXIT_CONTROLS,
	      cap2ctrl(HV_VMX_CAP_TRUE_EXIT, VMEXIT_SAVE_VMX_TIMER));
	wvmcs(g, VMCS_GUEST_VMX_TIMER_VALUE, 3000000);
}

/* Reason 52 from the HLT state: activity HLT saved, the time idled. */
static void h_hlt_idle(struct guest *g, unsigned k)
{
	uint64_t idle = 0;

	(void)k;
	EXPECT_EQ(1, rvmcs(g, VMCS_GUEST_ACTIVITY_STATE));
	EXPECT_EQ(0, rvmcs(g, VMCS_GUEST_VMX_TIMER_VALUE));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_get_idle_time(g->vcpu, &idle));
	EXPECT_TRUE(idle > 0);
	wvmcs(g, VMCS_GUEST_ACTIVITY_STATE, 0);
	pin_set(g, 0);
	wvmcs(g, VMCS_CTRL_VMEXIT_CONTROLS, cap2ctrl(HV_VMX_CAP_TRUE_EXIT, 0));
}

static void s_hlt_window(struct guest *g)
{
	s_no_hlt(g);
	proc_on(g, CPU_BASED_IRQ_WND);
}

/* An interrupt-window exit wakes HLT; the injected interrupt resumes. */
static void h_hlt_window(struct guest *g, unsigned k)
{
	(void)k;
	EXPECT_EQ(1, rvmcs(g, VMCS_GUEST_ACTIVITY_STATE));
	proc_off(g, CPU_BASED_IRQ_WND);
	inject(g, 0x80000030, 0, 0);
}

static void s_invlpg(struct guest *g)
{
	proc_on(g, CPU_BASED_INVLPG);
}

static void s_rdpmc(struct guest *g)
{
	proc_on(g, CPU_BASED_RDPMC);
}

static void s_rdtsc(struct guest *g)
{
	proc_on(g, CPU_BASED_RDTSC);
	proc2_on(g, CPU_BASED2_RDTSCP);
}

static void s_cr3_load(struct guest *g)
{
	proc_on(g, CPU_BASED_CR3_LOAD);
	wvmcs(g, VMCS_CTRL_CR3_COUNT, 1);
	wvmcs(g, VMCS_CTRL_CR3_VALUE0, 0x100000);
}

static void s_cr3_store(struct guest *g)
{
	proc_on(g, CPU_BASED_CR3_STORE);
}

static void s_cr8(struct guest *g)
{
	proc_on(g, CPU_BASED_CR8_LOAD | CPU_BASED_CR8_STORE);
}

static void s_tpr(struct guest *g)
{
	proc_on(g, CPU_BASED_TPR_SHADOW);
	wvmcs(g, VMCS_CTRL_TPR_THRESHOLD, 3);
	wreg(g, HV_X86_TPR, 0x40);
}

/* The VMM lowers the threshold before re-entering: a threshold above
 * VTPR[7:4] fails the entry (SDM Vol. 3C, 27.2.1.1). */
static void h_tpr(struct guest *g, unsigned k)
{
	(void)k;
	EXPECT_EQ(0x20, rreg(g, HV_X86_TPR));
	wvmcs(g, VMCS_CTRL_TPR_THRESHOLD, 0);
}

static void s_cr0(struct guest *g)
{
	wvmcs(g, VMCS_CTRL_CR0_MASK, 0xa);
	wvmcs(g, VMCS_CTRL_CR0_SHADOW, 0x2);
}

static void h_cr0(struct guest *g, unsigned k)
{
	if (k == 1)
		wvmcs(g, VMCS_CTRL_CR0_SHADOW, 0xa);
}

static void s_cr4(struct guest *g)
{
	wvmcs(g, VMCS_CTRL_CR4_MASK, 0x80);
	wvmcs(g, VMCS_CTRL_CR4_SHADOW, 0x80);
}

static void s_mov_dr(struct guest *g)
{
	proc_on(g, CPU_BASED_MOV_DR);
}

static void s_monitor(struct guest *g)
{
	proc_on(g, CPU_BASED_MONITOR | CPU_BASED_MWAIT);
}

static void s_pause(struct guest *g)
{
	proc_on(g, CPU_BASED_PAUSE);
}

static void s_ple(struct guest *g)
{
	proc2_on(g, CPU_BASED2_PAUSE_LOOP);
	wvmcs(g, VMCS_CTRL_PLE_GAP, 1000000);
	wvmcs(g, VMCS_CTRL_PLE_WINDOW, 2000);
}

/* PAUSE-loop exit: fault-like on a PAUSE; leave the loop (%rbx). */
static void h_ple(struct guest *g, unsigned k)
{
	(void)k;
	EXPECT_EQ(2, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
	wreg(g, HV_X86_RIP, rreg(g, HV_X86_RBX));
}

static void s_wbinvd(struct guest *g)
{
	proc2_on(g, CPU_BASED2_WBINVD);
}

static void s_rdrand(struct guest *g)
{
	proc2_on(g, CPU_BASED2_RDRAND | CPU_BASED2_RDSEED);
}

/* Turned on at the case's CPUID, after the boot stub's LGDT/LTR. */
static void h_desc(struct guest *g, unsigned k)
{
	if (k == 0)
		proc2_on(g, CPU_BASED2_DESC_TABLE);
}

static void s_invpcid(struct guest *g)
{
	proc_on(g, CPU_BASED_INVLPG);
	proc2_on(g, CPU_BASED2_INVPCID);
}

static void s_shadow(struct guest *g)
{
	proc2_on(g, CPU_BASED2_VMCS_SHADOW);
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_write_shadow_vmcs(g->vcpu,
		VMCS_GUEST_RIP, 0x1234));
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_shadow_access(g->vcpu,
		VMCS_GUEST_RIP, HV_SHADOW_VMCS_READ | HV_SHADOW_VMCS_WRITE));
}

static void c_shadow(struct guest *g)
{
	uint64_t v = 0;

	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_read_shadow_vmcs(g->vcpu,
		VMCS_GUEST_RIP, &v));
	EXPECT_EQ(0x5678, v);
}

/* MTF from the case's CPUID on: the exit comes after one instruction
 * (the NOP at %r15), trap-like (SDM Vol. 3C, 26.5.2). */
static void h_mtf(struct guest *g, unsigned k)
{
	if (k == 0) {
		proc_on(g, CPU_BASED_MTF);
		return;
	}
	EXPECT_EQ(rreg(g, HV_X86_R15) + 1, rreg(g, HV_X86_RIP));
	EXPECT_EQ(0, rvmcs(g, VMCS_RO_EXIT_QUALIFIC));
	proc_off(g, CPU_BASED_MTF);
}

static void s_nmi(struct guest *g)
{
	pin_set(g, PIN_BASED_NMI | PIN_BASED_VIRTUAL_NMI);
}

/* Inject an NMI with NMI-window exiting: the window opens only after the
 * handler's IRET (virtual-NMI blocking; SDM Vol. 3C, 26.7.6). */
static void h_nmi(struct guest *g, unsigned k)
{
	if (k == 0) {
		inject(g, 0x80000202, 0, 0);
		proc_on(g, CPU_BASED_VIRTUAL_NMI_WND);
		return;
	}
	EXPECT_EQ(0, rvmcs(g, VMCS_GUEST_INTERRUPTIBILITY) & 8);
	proc_off(g, CPU_BASED_VIRTUAL_NMI_WND);
}

static void s_apic(struct guest *g)
{
	proc2_on(g, CPU_BASED2_VIRTUAL_APIC);
	EXPECT_EQ(HV_SUCCESS, hv_vmx_vcpu_set_apic_address(g->vcpu, APIC_PAGE));
	proc_on(g, CPU_BASED_TPR_SHADOW);
	wvmcs(g, VMCS_CTRL_TPR_THRESHOLD, 2);
	wreg(g, HV_X86_TPR, 0x50);
}

static void h_apic(struct guest *g, unsigned k)
{
	if (k == 2)
		EXPECT_EQ(0x10, rreg(g, HV_X86_TPR));
}

/* Every event type in turn (SDM Vol. 3C, 27.6.1). */
static void h_inject(struct guest *g, unsigned k)
{
	static const uint32_t info[] = { 0x80000030, 0x80000202, 0x80000b0d,
					 0x80000441, 0x80000501, 0x80000603 };
	static const uint32_t len[] = { 0, 0, 0, 2, 1, 1 };

	inject(g, info[k], k == 2 ? 0x1234 : 0, len[k]);
}

static void s_idtv(struct guest *g)
{
	wvmcs(g, VMCS_CTRL_EXC_BITMAP, 1u << 11);
}

/* #NP while delivering vector 0x42 (gate not present): the exit reports
 * the #NP and, as IDT-vectoring information, the event being delivered
 * (SDM Vol. 3C, 28.2.4). */
static void h_idtv(struct guest *g, unsigned k)
{
	switch (k) {
	case 0:
		wreg(g, HV_X86_RFLAGS, rreg(g, HV_X86_RFLAGS) | 0x200);
		inject(g, 0x80000042, 0, 0);
		break;
	case 1:
		EXPECT_EQ(0x80000b0b, rvmcs(g, VMCS_RO_VMEXIT_IRQ_INFO));
		EXPECT_EQ(0x213, rvmcs(g, VMCS_RO_VMEXIT_IRQ_ERROR));
		EXPECT_EQ(0x80000042, rvmcs(g, VMCS_RO_IDT_VECTOR_INFO));
		EXPECT_EQ(0, rvmcs(g, VMCS_CTRL_VMENTRY_IRQ_INFO) >> 31);
		break;
	case 2:
		inject(g, 0x80000442, 0, 2);
		break;
	default:
		EXPECT_EQ(0x80000b0b, rvmcs(g, VMCS_RO_VMEXIT_IRQ_INFO));
		EXPECT_EQ(0x212, rvmcs(g, VMCS_RO_VMEXIT_IRQ_ERROR));
		EXPECT_EQ(0x80000442, rvmcs(g, VMCS_RO_IDT_VECTOR_INFO));
		EXPECT_EQ(2, rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN));
		wvmcs(g, VMCS_CTRL_EXC_BITMAP, 0);
		break;
	}
}

/* Without "load debug controls" the guest keeps its DR7 (0x400 at
 * reset) whatever VMCS_GUEST_DR7 says; with "save debug controls" the
 * exit stores the guest's DR7 (SDM Vol. 3C, 27.3.2.1, 28.3.1). */
static void s_dbg(struct guest *g)
{
	wvmcs(g, VMCS_GUEST_DR7, 0x401);
	wvmcs(g, VMCS_CTRL_VMEXIT_CONTROLS,
	      cap2ctrl(HV_VMX_CAP_TRUE_EXIT, VMEXIT_SAVE_DBG_CONTROLS));
}

static void c_dbg(struct guest *g)
{
	uint64_t seen;

	memcpy(&seen, g->ram + 0x200300, 8);
	EXPECT_EQ(0x400, seen);
	EXPECT_EQ(0x403, rvmcs(g, VMCS_GUEST_DR7));
}

/* TSC offsetting (forced on): the guest reads the TSC the VMM set
 * through the TSC MSR, i.e. host TSC + VMCS_CTRL_TSC_OFFSET (SDM Vol. 3C,
 * 26.3 "RDTSC"). */
#define TSC_BASE (1ull << 50)

static void s_tsc(struct guest *g)
{
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_msr(g->vcpu, 0x10, TSC_BASE));
	EXPECT_NE(0, rvmcs(g, VMCS_CTRL_TSC_OFFSET));
}

static void c_tsc(struct guest *g)
{
	uint64_t seen;

	memcpy(&seen, g->ram + 0x200308, 8);
	EXPECT_TRUE(seen > TSC_BASE && seen - TSC_BASE < 60ull * 2000000000ull);
}

/* NMI unblocking due to IRET (SDM Vol. 3C, 28.2.1 EPT-violation
 * qualification bit 12): the faulting IRET unblocked virtual NMIs, so the
 * saved interruptibility has no NMI blocking. */
static void h_nmi_iret(struct guest *g, unsigned k)
{
	if (k == 0) {
		inject(g, 0x80000202, 0, 0);
		return;
	}
	EXPECT_EQ(0x1181, rvmcs(g, VMCS_RO_EXIT_QUALIFIC) & 0x11bf);
	EXPECT_EQ(0x10000000, rvmcs(g, VMCS_GUEST_PHYSICAL_ADDRESS));
	EXPECT_EQ(0, rvmcs(g, VMCS_GUEST_INTERRUPTIBILITY) & 8);
	wreg(g, HV_X86_RIP, rreg(g, HV_X86_R14));
	wreg(g, HV_X86_RSP, rreg(g, HV_X86_R13));
}

/* MTF exits take priority over debug traps; the trap stays pending in
 * the pending debug exceptions (BS) and is delivered after the next entry
 * (SDM Vol. 3C, 26.5.2 and 27.7.3). */
static void h_mtf_tf(struct guest *g, unsigned k)
{
	if (k == 0) {
		proc_on(g, CPU_BASED_MTF);
		wreg(g, HV_X86_RFLAGS, rreg(g, HV_X86_RFLAGS) | 0x100);
		return;
	}
	EXPECT_EQ(rreg(g, HV_X86_R15) + 1, rreg(g, HV_X86_RIP));
	EXPECT_EQ(0x4000, rvmcs(g, VMCS_GUEST_DEBUG_EXC));
	proc_off(g, CPU_BASED_MTF);
	wreg(g, HV_X86_RFLAGS, rreg(g, HV_X86_RFLAGS) & ~0x100ull);
}

static void h_ins(struct guest *g, unsigned k)
{
	(void)k;
	EXPECT_EQ(0x200200, rvmcs(g, VMCS_RO_GUEST_LIN_ADDR));
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

#define X(r, f, q, i, m) { r, f, q, i, m }
#define XL(r) { r, F_LEN, 0, 0, 0 }
#define XQ(r, q) { r, F_LEN | F_QUAL, q, 0, 0 }
#define XI(r, i, m) { r, F_LEN | F_INFO, 0, i, m }
/* Instruction information masks: memory forms (scale, address size,
 * reg/mem, segment, index, base and their invalid bits), register forms
 * (reg/mem, reg1), and reg2 (bits 31:28) for the VMX instructions. */
#define MEM_MASK 0x0fff8783u
#define REG_MASK 0x00000478u

static const struct vcase cases[] = {
	{ "hlt_exiting", 0, NULL, { XQ(VMX_REASON_HLT, 0) }, NULL, NULL },
	{ "hlt_idle_until_timer", 1, s_hlt_idle,
	  { X(VMX_REASON_VMX_TIMER_EXPIRED, F_RIP, 0, 0, 0) }, h_hlt_idle,
	  NULL },
	{ "hlt_woken_by_irq_window", 2, s_hlt_window,
	  { X(VMX_REASON_IRQ_WND, F_RIP | F_QUAL, 0, 0, 0) }, h_hlt_window,
	  NULL },
	{ "invlpg_exiting", 3, s_invlpg, { XQ(VMX_REASON_INVLPG, 0x123000) },
	  NULL, NULL },
	{ "rdpmc_exiting", 4, s_rdpmc, { XL(VMX_REASON_RDPMC) }, NULL, NULL },
	{ "rdtsc_rdtscp_exiting", 5, s_rdtsc,
	  { XL(VMX_REASON_RDTSC), XL(VMX_REASON_RDTSCP) }, NULL, NULL },
	{ "cr3_load_targets", 6, s_cr3_load, { XQ(VMX_REASON_MOV_CR, 0x303) },
	  NULL, NULL },
	{ "cr3_store", 7, s_cr3_store, { XQ(VMX_REASON_MOV_CR, 0x113) },
	  NULL, NULL },
	{ "cr8_load_store", 8, s_cr8,
	  { XQ(VMX_REASON_MOV_CR, 0x8), XQ(VMX_REASON_MOV_CR, 0x218) },
	  NULL, NULL },
	{ "tpr_shadow_threshold", 9, s_tpr,
	  { X(VMX_REASON_TPR_THRESHOLD, F_RIP | F_QUAL, 0, 0, 0) }, h_tpr,
	  NULL },
	{ "cr0_mask_shadow_lmsw_clts", 10, s_cr0,
	  { XQ(VMX_REASON_MOV_CR, 0x0), XQ(VMX_REASON_MOV_CR, 0x30),
	    XQ(VMX_REASON_MOV_CR, 0x20) }, h_cr0, NULL },
	{ "cr4_mask_shadow", 11, s_cr4, { XQ(VMX_REASON_MOV_CR, 0x4) }, NULL,
	  NULL },
	{ "mov_dr_exiting", 12, s_mov_dr,
	  { XQ(VMX_REASON_MOV_DR, 0x7), XQ(VMX_REASON_MOV_DR, 0x311) }, NULL,
	  NULL },
	{ "monitor_mwait_exiting", 13, s_monitor,
	  { XL(VMX_REASON_MONITOR), XL(VMX_REASON_MWAIT) }, NULL, NULL },
	{ "pause_exiting", 14, s_pause, { XL(VMX_REASON_PAUSE) }, NULL, NULL },
	{ "pause_loop_exiting", 15, s_ple,
	  { X(VMX_REASON_PAUSE, F_STAY, 0, 0, 0) }, h_ple, NULL },
	{ "wbinvd_exiting", 16, s_wbinvd, { XL(VMX_REASON_WBINVD) }, NULL,
	  NULL },
	{ "rdrand_rdseed_exiting", 17, s_rdrand,
	  { XI(VMX_REASON_RDRAND, 0x1000, 0x1878),
	    XI(VMX_REASON_RDSEED, 0x808, 0x1878) }, NULL, NULL },
	{ "descriptor_table_exiting", 18, NULL,
	  { XL(VMX_REASON_CPUID), X(VMX_REASON_GDTR_IDTR, F_LEN | F_QUAL | F_INFO, 0, 0x418100,
	      0x3fff8783),
	    XI(VMX_REASON_LDTR_TR, 0x400, 0x30000478) }, h_desc, NULL },
	{ "invpcid_disabled_is_ud", 19, NULL, { { 0, 0, 0, 0, 0 } }, NULL,
	  NULL },
	{ "invpcid_exiting", 20, s_invpcid,
	  { X(VMX_REASON_INVPCID, F_LEN | F_QUAL | F_INFO, 0x10, 0x30418100,
	      0xf0000000 | MEM_MASK) }, NULL, NULL },
	{ "vmx_instructions", 21, NULL,
	  { XL(VMX_REASON_VMCALL),
	    X(VMX_REASON_VMPTRLD, F_LEN | F_QUAL | F_INFO, 8, 0x418100,
	      MEM_MASK),
	    XI(VMX_REASON_VMREAD, 0x418, 0xf0000000 | REG_MASK),
	    XI(VMX_REASON_VMWRITE, 0x418, 0xf0000000 | REG_MASK) }, NULL,
	  NULL },
	{ "vmx_instructions_2", 31, NULL,
	  { XL(VMX_REASON_VMCLEAR), XL(VMX_REASON_VMPTRST),
	    XL(VMX_REASON_VMON), XL(VMX_REASON_VMLAUNCH),
	    XL(VMX_REASON_VMRESUME), XL(VMX_REASON_VMOFF),
	    X(VMX_REASON_EPT_INVEPT, F_LEN | F_QUAL | F_INFO, 0x20,
	      0x30418100, 0xf0000000 | MEM_MASK) }, NULL, NULL },
	{ "invvpid_exits", 32, NULL,
	  { X(VMX_REASON_INVVPID, F_LEN | F_QUAL | F_INFO, 0x30, 0x30418100,
	      0xf0000000 | MEM_MASK) }, NULL, NULL },
	{ "tsc_offsetting", 33, s_tsc, { { 0, 0, 0, 0, 0 } }, NULL, c_tsc },
	{ "rdmsr_cpl3_gp_before_exit", 34, NULL, { { 0, 0, 0, 0, 0 } },
	  NULL, NULL },
	{ "nmi_unblocking_due_to_iret", 35, s_nmi,
	  { XL(VMX_REASON_CPUID),
	    X(VMX_REASON_EPT_VIOLATION, F_STAY, 0, 0, 0) }, h_nmi_iret,
	  NULL },
	{ "mtf_before_single_step_trap", 36, NULL,
	  { XL(VMX_REASON_CPUID), X(VMX_REASON_MTF, F_STAY, 0, 0, 0) },
	  h_mtf_tf, NULL },
	{ "vmcs_shadowing", 22, s_shadow,
	  { XI(VMX_REASON_VMREAD, 0x418, 0xf0000000 | REG_MASK) }, NULL,
	  c_shadow },
	{ "monitor_trap_flag", 23, NULL,
	  { XL(VMX_REASON_CPUID), X(VMX_REASON_MTF, F_STAY, 0, 0, 0) },
	  h_mtf, NULL },
	{ "nmi_window_virtual_nmi", 24, s_nmi,
	  { XL(VMX_REASON_CPUID),
	    X(VMX_REASON_VIRTUAL_NMI_WND, F_RIP | F_QUAL, 0, 0, 0) }, h_nmi,
	  NULL },
	{ "apic_access_and_vtpr", 25, s_apic,
	  { XQ(VMX_REASON_APIC_ACCESS, 0x020),
	    XQ(VMX_REASON_APIC_ACCESS, 0x10b0),
	    X(VMX_REASON_TPR_THRESHOLD, F_RIP, 0, 0, 0) }, h_apic, NULL },
	{ "inject_every_type", 26, NULL,
	  { XL(VMX_REASON_CPUID), XL(VMX_REASON_CPUID), XL(VMX_REASON_CPUID),
	    XL(VMX_REASON_CPUID), XL(VMX_REASON_CPUID),
	    XL(VMX_REASON_CPUID) }, h_inject, NULL },
	{ "idt_vectoring_info", 27, s_idtv,
	  { XL(VMX_REASON_CPUID), X(VMX_REASON_EXC_NMI, F_STAY, 0, 0, 0),
	    XL(VMX_REASON_CPUID), X(VMX_REASON_EXC_NMI, F_STAY, 0, 0, 0) },
	  h_idtv, NULL },
	{ "debug_controls_load_save", 28, s_dbg, { { 0, 0, 0, 0, 0 } }, NULL,
	  c_dbg },
	{ "invd_exits", 29, NULL, { XL(VMX_REASON_INVD) }, NULL, NULL },
	{ "ins_qualification_info", 30, NULL,
	  { X(VMX_REASON_IO, F_LEN | F_QUAL | F_INFO, 0x600038, 0x100,
	      0x38380) }, h_ins, NULL },
};

/* ------------------------------------------------------------------ */
/* Running a case                                                      */

static void check_exit(struct guest *g, const struct vcase *c, unsigned k)
{
	const struct xexit *x = &c->x[k];
	uint64_t rip = rreg(g, HV_X86_RIP), r15 = rreg(g, HV_X86_R15);
	uint64_t q = rvmcs(g, VMCS_RO_EXIT_QUALIFIC);
	uint64_t len = rvmcs(g, VMCS_RO_VMEXIT_INSTR_LEN);
	uint64_t info = rvmcs(g, VMCS_RO_VMX_INSTR_INFO);

	if (x->flags & F_LEN)
		EXPECT_EQ(r15, rip + len);
	if (x->flags & F_RIP)
		EXPECT_EQ(r15, rip);
	if (x->flags & F_QUAL)
		EXPECT_EQ(x->qual, q);
	if (x->flags & F_INFO)
		EXPECT_EQ(x->info, info & x->mask);
}

/* Expected exits are checked and handled in order; the others (boot
 * MSRs, the console) go to the generic dispatch. VMX_TRACE=1 in the
 * environment prints every exit. */
static unsigned drive(struct guest *g, const struct vcase *c)
{
	unsigned k = 0;

	for (unsigned n = 0; n < 1000; n++) {
		uint32_t reason;

		if (hv_vcpu_run(g->vcpu) != HV_SUCCESS)
			break;
		reason = (uint32_t)rvmcs(g, VMCS_RO_EXIT_REASON);
		if (getenv("VMX_TRACE"))
			printf("# exit %u rip %#llx\n", reason,
			       (unsigned long long)rreg(g, HV_X86_RIP));
		if (k < 7 && c->x[k].flags && c->x[k].reason == reason) {
			check_exit(g, c, k);
			if (c->on_exit)
				c->on_exit(g, k);
			if (!(c->x[k].flags & (F_RIP | F_STAY)))
				skip_insn(g);
			k++;
			continue;
		}
		if (dispatch(g, reason) <= 0) {
			if (g->finished == 0)
				printf("# %s: unexpected exit %u at %#llx\n",
				       c->name, reason,
				       (unsigned long long)rreg(g, HV_X86_RIP));
			break;
		}
	}
	return k;
}

static void run_case(const struct vcase *c)
{
	struct guest g;
	unsigned nx = 0, k;

	if (guest_open(&g, "vmx64"))
		return;
	memcpy(g.ram + CASE_SEL, &c->sel, 4);
	if (c->setup)
		c->setup(&g);
	while (nx < 7 && c->x[nx].flags)
		nx++;
	k = drive(&g, c);
	if (k != nx || g.finished != 1) {
		printf("# case %s: %u of %u exits, finished %d line %llu\n",
		       c->name, k, nx, g.finished,
		       (unsigned long long)g.fail_line);
		test_fail(__FILE__, __LINE__, c->name, nx, k);
	}
	if (c->check)
		c->check(&g);
	guest_close(&g);
}

TEST(vmx_cases)
{
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	printf("# %zu VMX cases\n", sizeof(cases) / sizeof(cases[0]));
}

/* ------------------------------------------------------------------ */
/* HLT without HLT exiting never burns the thread and never blocks       */
/* hv_vcpu_interrupt: a kick from another thread ends the idle run.      */

TEST(hlt_idle_kick)
{
	struct guest g;
	struct kicker k = { 0, 30, 0 };
	pthread_t t;
	uint32_t sel = 1;
	uint64_t t_exit, idle = 0;

	if (guest_open(&g, "vmx64"))
		return;
	memcpy(g.ram + CASE_SEL, &sel, 4);
	/* Up to the HLT with HLT exiting (the boot stub's MSR exits are
	 * served by the dispatch), then without it. */
	EXPECT_EQ(VMX_REASON_HLT, guest_run(&g));
	s_no_hlt(&g);
	k.vcpu = g.vcpu;
	ASSERT_EQ(0, pthread_create(&t, NULL, kick_thread, &k));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_run(g.vcpu));
	t_exit = now_ns();
	pthread_join(t, NULL);
	EXPECT_EQ(VMX_REASON_IRQ, rvmcs(&g, VMCS_RO_EXIT_REASON));
	EXPECT_EQ(1, rvmcs(&g, VMCS_GUEST_ACTIVITY_STATE));
	/* The run ends on the kick itself (the idle wait has no deadline
	 * here); the bound only rules out a polled wake-up, with room for a
	 * loaded 2-core CI machine (5 ms was exceeded once under ASan and
	 * other jobs). */
	EXPECT_TRUE(k.t_kick != 0 && t_exit >= k.t_kick &&
		    t_exit - k.t_kick < 200000000);
	/* The wait was slept, not spun. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_get_idle_time(g.vcpu, &idle));
	EXPECT_TRUE(idle >= 10000000);
	guest_close(&g);
}
