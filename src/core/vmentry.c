/* SPDX-License-Identifier: MIT */
/* VM-entry checks as one table of rules, one function per rule, in the
 * order of SDM Vol. 3C, chapter 27: VMX controls (27.2.1), guest state
 * (27.3.1.1-27.3.1.5), PDPTEs (27.3.1.6). Every rule carries its field,
 * the rule in words and its SDM section. */
#include "vmentry.h"

#include <Hypervisor/hv_arch_vmx.h>
#include <stdio.h>
#include <stdlib.h>

#include "caps.h"
#include "vcpu.h"

/* Segment registers in VMCS order of the guest-state area. */
enum { S_ES, S_CS, S_SS, S_DS, S_FS, S_GS, S_LDTR, S_TR, S_COUNT };

struct eseg {
	uint16_t sel;
	uint64_t base;
	uint32_t limit, ar;
};

/* What the rules look at, decoded once. */
struct ectx {
	const struct vcpu *v;
	const struct vmcs_store *st;
	uint32_t pin, proc, proc2, exit, entry;
	bool ug, ia32e;          /* unrestricted guest, IA-32e mode guest */
	uint64_t cr0, cr4, rflags, intr, act, dbg;
	uint32_t irq;            /* VM-entry interruption information */
	unsigned irq_type, irq_vec;
	bool inject;
	struct eseg seg[S_COUNT];
};

enum check_class { EC_CTL, EC_GUEST };

typedef bool (*check_fn)(const struct ectx *c, int arg);

struct entry_check {
	enum check_class cls;
	uint8_t qual;            /* exit qualification of a guest failure */
	int arg;                 /* segment index or other parameter */
	const char *field;
	const char *rule;
	const char *sdm;         /* section of SDM Vol. 3C */
	check_fn ok;
};

#define PHYS_BITS 39
#define AR_UNUSABLE (1u << 16)
#define CR0_PE 1ull
#define CR0_PG (1ull << 31)
#define CR4_PAE (1ull << 5)
#define CR4_PCIDE (1ull << 17)
#define RF_TF (1ull << 8)
#define RF_IF (1ull << 9)
#define RF_VM (1ull << 17)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EV_EXT 0u
#define EV_NMI 2u
#define EV_HW 3u
#define EV_OTHER 7u

static uint64_t cap(hv_vmx_capability_t id)
{
	uint64_t v = 0;

	caps_read(id, &v);
	return v;
}

/* A control satisfies its capability: allowed-0 bits set, nothing beyond
 * allowed-1 (SDM Vol. 3D, A.3-A.5). */
static bool ctl_fits(uint32_t v, hv_vmx_capability_t id)
{
	uint64_t c = cap(id);

	return (v & (uint32_t)c) == (uint32_t)c && (v & ~(uint32_t)(c >> 32)) == 0;
}

static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static bool usable(const struct eseg *s)
{
	return !(s->ar & AR_UNUSABLE);
}

/* ------------------------------------------------------------------ */
/* VM-execution, VM-exit and VM-entry controls (27.2.1)                 */

static bool c_pin(const struct ectx *c, int a)
{
	(void)a;
	return ctl_fits(c->pin, HV_VMX_CAP_TRUE_PINBASED);
}

static bool c_proc(const struct ectx *c, int a)
{
	(void)a;
	return ctl_fits(c->proc, HV_VMX_CAP_TRUE_PROCBASED);
}

static bool c_proc2(const struct ectx *c, int a)
{
	(void)a;
	return ctl_fits(c->proc2, HV_VMX_CAP_PROCBASED2);
}

static bool c_cr3_count(const struct ectx *c, int a)
{
	(void)a;
	return VMCS(c->st, VMCS_CTRL_CR3_COUNT) <= CAPS_CR3_TARGETS;
}

static bool c_tpr_thr_high(const struct ectx *c, int a)
{
	(void)a;
	return !(c->proc & CPU_BASED_TPR_SHADOW) ||
	       (VMCS(c->st, VMCS_CTRL_TPR_THRESHOLD) & ~0xfull) == 0;
}

static bool c_tpr_thr_vtpr(const struct ectx *c, int a)
{
	(void)a;
	if (!(c->proc & CPU_BASED_TPR_SHADOW) ||
	    (c->proc2 & CPU_BASED2_VIRTUAL_APIC))
		return true;
	return (VMCS(c->st, VMCS_CTRL_TPR_THRESHOLD) & 0xf) <=
	       (uint64_t)(c->v->vapic[0x80] >> 4);
}

static bool c_vnmi(const struct ectx *c, int a)
{
	(void)a;
	return (c->pin & PIN_BASED_NMI) || !(c->pin & PIN_BASED_VIRTUAL_NMI);
}

static bool c_nmi_wnd(const struct ectx *c, int a)
{
	(void)a;
	return (c->pin & PIN_BASED_VIRTUAL_NMI) ||
	       !(c->proc & CPU_BASED_VIRTUAL_NMI_WND);
}

static bool c_apic_access(const struct ectx *c, int a)
{
	uint64_t p = VMCS(c->st, VMCS_CTRL_APIC_ACCESS);

	(void)a;
	return !(c->proc2 & CPU_BASED2_VIRTUAL_APIC) ||
	       ((p & 0xfff) == 0 && (p >> PHYS_BITS) == 0);
}

static bool c_vpid(const struct ectx *c, int a)
{
	(void)a;
	return !(c->proc2 & CPU_BASED2_VPID) || VMCS(c->st, VMCS_VPID) != 0;
}

static bool c_ug_ept(const struct ectx *c, int a)
{
	(void)a;
	return !c->ug || (c->proc2 & CPU_BASED2_EPT);
}

static bool c_exit(const struct ectx *c, int a)
{
	(void)a;
	return ctl_fits(c->exit, HV_VMX_CAP_TRUE_EXIT);
}

static bool c_timer_save(const struct ectx *c, int a)
{
	(void)a;
	return (c->pin & PIN_BASED_PREEMPTION_TIMER) ||
	       !(c->exit & VMEXIT_SAVE_VMX_TIMER);
}

static bool c_entry(const struct ectx *c, int a)
{
	(void)a;
	return ctl_fits(c->entry, HV_VMX_CAP_TRUE_ENTRY);
}

/* Interruption-information checks (27.2.1.3): type 1 reserved, type 7
 * needs MTF support (we have it) and vector 0, NMI is vector 2, hardware
 * exceptions are vectors 0-31. */
static bool c_irq_type(const struct ectx *c, int a)
{
	(void)a;
	if (!c->inject)
		return true;
	switch (c->irq_type) {
	case 1:
		return false;
	case EV_NMI:
		return c->irq_vec == 2;
	case EV_HW:
		return c->irq_vec <= 31;
	case EV_OTHER:
		return c->irq_vec == 0;
	default:
		return true;
	}
}

/* Deliver-error-code is 1 iff unrestricted guest is 0 or CR0.PE is 1, the
 * type is hardware exception and the vector is 8, 10-14 or 17. */
static bool c_irq_errcode(const struct ectx *c, int a)
{
	bool want, has;
	unsigned v = c->irq_vec;

	(void)a;
	if (!c->inject)
		return true;
	want = (!c->ug || (c->cr0 & CR0_PE)) && c->irq_type == EV_HW &&
	       (v == 8 || (v >= 10 && v <= 14) || v == 17);
	has = c->irq & IRQ_INFO_ERROR_VALID;
	return want == has;
}

static bool c_irq_reserved(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || (c->irq & 0x7ffff000u) == 0;
}

static bool c_irq_err_high(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || !(c->irq & IRQ_INFO_ERROR_VALID) ||
	       (VMCS(c->st, VMCS_CTRL_VMENTRY_EXC_ERROR) >> 16) == 0;
}

/* Software events need a length of 1-15, or 0-15 with IA32_VMX_MISC[30]
 * (advertised). */
static bool c_irq_len(const struct ectx *c, int a)
{
	(void)a;
	if (!c->inject || c->irq_type < 4 || c->irq_type > 6)
		return true;
	return VMCS(c->st, VMCS_CTRL_VMENTRY_INSTR_LEN) <= 15;
}

/* ------------------------------------------------------------------ */
/* Control registers, debug registers and MSRs (27.3.1.1)              */

static bool g_cr0_fixed(const struct ectx *c, int a)
{
	uint64_t f0 = cap(HV_VMX_CAP_CR0_FIXED0), f1 = cap(HV_VMX_CAP_CR0_FIXED1);

	(void)a;
	if (c->ug)
		f0 &= ~(CR0_PE | CR0_PG);
	return (c->cr0 & f0) == f0 && (c->cr0 & ~f1) == 0;
}

static bool g_cr0_pg_pe(const struct ectx *c, int a)
{
	(void)a;
	return !(c->cr0 & CR0_PG) || (c->cr0 & CR0_PE);
}

static bool g_cr4_fixed(const struct ectx *c, int a)
{
	uint64_t f0 = cap(HV_VMX_CAP_CR4_FIXED0), f1 = cap(HV_VMX_CAP_CR4_FIXED1);

	(void)a;
	return (c->cr4 & f0) == f0 && (c->cr4 & ~f1) == 0;
}

static bool g_debugctl(const struct ectx *c, int a)
{
	uint64_t d = VMCS(c->st, VMCS_GUEST_IA32_DEBUGCTL);

	(void)a;
	return !(c->entry & VMENTRY_LOAD_DBG_CONTROLS) ||
	       (d & ~0xffc3ull) == 0;
}

static bool g_ia32e_paging(const struct ectx *c, int a)
{
	(void)a;
	return !c->ia32e || ((c->cr0 & CR0_PG) && (c->cr4 & CR4_PAE));
}

static bool g_pcide(const struct ectx *c, int a)
{
	(void)a;
	return c->ia32e || !(c->cr4 & CR4_PCIDE);
}

static bool g_cr3(const struct ectx *c, int a)
{
	(void)a;
	return (VMCS(c->st, VMCS_GUEST_CR3) >> PHYS_BITS) == 0;
}

static bool g_dr7(const struct ectx *c, int a)
{
	(void)a;
	return !(c->entry & VMENTRY_LOAD_DBG_CONTROLS) ||
	       (VMCS(c->st, VMCS_GUEST_DR7) >> 32) == 0;
}

static bool g_sysenter(const struct ectx *c, int a)
{
	(void)a;
	return canonical(VMCS(c->st, VMCS_GUEST_SYSENTER_ESP)) &&
	       canonical(VMCS(c->st, VMCS_GUEST_SYSENTER_EIP));
}

/* Each PAT entry is UC, WC, WT, WP, WB or UC- (0, 1, 4, 5, 6, 7). */
static bool g_pat(const struct ectx *c, int a)
{
	uint64_t pat = VMCS(c->st, VMCS_GUEST_IA32_PAT);

	(void)a;
	if (!(c->entry & VMENTRY_LOAD_IA32_PAT))
		return true;
	for (int i = 0; i < 8; i++) {
		unsigned t = (unsigned)(pat >> (i * 8)) & 0xff;

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

static bool g_efer_rsvd(const struct ectx *c, int a)
{
	(void)a;
	return (VMCS(c->st, VMCS_GUEST_IA32_EFER) & ~0xd01ull) == 0;
}

static bool g_efer_lma(const struct ectx *c, int a)
{
	uint64_t e = VMCS(c->st, VMCS_GUEST_IA32_EFER);

	(void)a;
	return ((e & EFER_LMA) != 0) == c->ia32e;
}

static bool g_efer_lme(const struct ectx *c, int a)
{
	uint64_t e = VMCS(c->st, VMCS_GUEST_IA32_EFER);

	(void)a;
	return !(c->cr0 & CR0_PG) || ((e & EFER_LME) != 0) == c->ia32e;
}

/* ------------------------------------------------------------------ */
/* Segment registers (27.3.1.2)                                        */

static bool v86(const struct ectx *c)
{
	return c->rflags & RF_VM;
}

static bool g_tr_ti(const struct ectx *c, int a)
{
	(void)a;
	return !(c->seg[S_TR].sel & 4);
}

static bool g_ldtr_ti(const struct ectx *c, int a)
{
	(void)a;
	return !usable(&c->seg[S_LDTR]) || !(c->seg[S_LDTR].sel & 4);
}

static bool g_ss_rpl(const struct ectx *c, int a)
{
	(void)a;
	return v86(c) || c->ug ||
	       (c->seg[S_SS].sel & 3) == (c->seg[S_CS].sel & 3);
}

/* Virtual-8086 mode: base = selector << 4, limit FFFF, AR F3. */
static bool g_v86_seg(const struct ectx *c, int a)
{
	const struct eseg *s = &c->seg[a];

	return !v86(c) || (s->base == (uint64_t)s->sel << 4 &&
			   s->limit == 0xffff && s->ar == 0xf3);
}

static bool g_base_canon(const struct ectx *c, int a)
{
	const struct eseg *s = &c->seg[a];

	if ((a == S_LDTR) && !usable(s))
		return true;
	return canonical(s->base);
}

static bool g_base_high(const struct ectx *c, int a)
{
	const struct eseg *s = &c->seg[a];

	if (v86(c) || (a != S_CS && !usable(s)))
		return true;
	return (s->base >> 32) == 0;
}

/* Checks that skip unusable segments and virtual-8086 mode. */
static bool skip_seg(const struct ectx *c, int a)
{
	return v86(c) || (a != S_CS && a != S_TR && !usable(&c->seg[a]));
}

static bool g_cs_type(const struct ectx *c, int a)
{
	unsigned t = c->seg[S_CS].ar & 0xf;

	(void)a;
	if (v86(c))
		return true;
	return t == 9 || t == 11 || t == 13 || t == 15 || (c->ug && t == 3);
}

static bool g_ss_type(const struct ectx *c, int a)
{
	unsigned t = c->seg[S_SS].ar & 0xf;

	(void)a;
	return skip_seg(c, S_SS) || t == 3 || t == 7;
}

/* Data segments: accessed, and readable if code. */
static bool g_data_type(const struct ectx *c, int a)
{
	unsigned t = c->seg[a].ar & 0xf;

	return skip_seg(c, a) || ((t & 1) && (!(t & 8) || (t & 2)));
}

static bool g_s_bit(const struct ectx *c, int a)
{
	return skip_seg(c, a) || (c->seg[a].ar & 0x10);
}

static bool g_present(const struct ectx *c, int a)
{
	return skip_seg(c, a) || (c->seg[a].ar & 0x80);
}

static unsigned dpl(const struct eseg *s)
{
	return (s->ar >> 5) & 3;
}

static bool g_cs_dpl(const struct ectx *c, int a)
{
	const struct eseg *cs = &c->seg[S_CS], *ss = &c->seg[S_SS];
	unsigned t = cs->ar & 0xf;

	(void)a;
	if (v86(c))
		return true;
	if (t == 3)
		return dpl(cs) == 0;
	if (t == 9 || t == 11)
		return dpl(cs) == dpl(ss);
	return dpl(cs) <= dpl(ss);
}

static bool g_ss_dpl(const struct ectx *c, int a)
{
	const struct eseg *ss = &c->seg[S_SS];

	(void)a;
	if (v86(c))
		return true;
	if (!c->ug && dpl(ss) != (ss->sel & 3u))
		return false;
	if (((c->seg[S_CS].ar & 0xf) == 3 || !(c->cr0 & CR0_PE)) &&
	    dpl(ss) != 0)
		return false;
	return true;
}

static bool g_data_dpl(const struct ectx *c, int a)
{
	const struct eseg *s = &c->seg[a];

	if (skip_seg(c, a) || c->ug || (s->ar & 0xf) > 11)
		return true;
	return dpl(s) >= (s->sel & 3u);
}

static bool g_ar_rsvd(const struct ectx *c, int a)
{
	return skip_seg(c, a) || (c->seg[a].ar & 0xfffe0f00u) == 0;
}

/* Granularity: limit[11:0] not all ones needs G = 0, limit[31:20] not
 * zero needs G = 1. */
static bool g_gran(const struct ectx *c, int a)
{
	const struct eseg *s = &c->seg[a];
	bool g = s->ar & (1u << 15);

	if ((a <= S_GS && skip_seg(c, a)) || (a == S_LDTR && !usable(s)))
		return true;
	if ((s->limit & 0xfff) != 0xfff && g)
		return false;
	if ((s->limit >> 20) != 0 && !g)
		return false;
	return true;
}

static bool g_cs_l_db(const struct ectx *c, int a)
{
	uint32_t ar = c->seg[S_CS].ar;

	(void)a;
	return !c->ia32e || !(ar & (1u << 13)) || !(ar & (1u << 14));
}

static bool g_tr_type(const struct ectx *c, int a)
{
	const struct eseg *tr = &c->seg[S_TR];
	unsigned t = tr->ar & 0xf;

	(void)a;
	return t == 11 || (!c->ia32e && t == 3);
}

static bool g_tr_sys(const struct ectx *c, int a)
{
	uint32_t ar = c->seg[S_TR].ar;

	(void)a;
	return !(ar & 0x10) && (ar & 0x80) && !(ar & AR_UNUSABLE);
}

static bool g_ldtr_type(const struct ectx *c, int a)
{
	uint32_t ar = c->seg[S_LDTR].ar;

	(void)a;
	return !usable(&c->seg[S_LDTR]) ||
	       ((ar & 0xf) == 2 && !(ar & 0x10) && (ar & 0x80));
}

static bool g_sys_ar_rsvd(const struct ectx *c, int a)
{
	if (a == S_LDTR && !usable(&c->seg[S_LDTR]))
		return true;
	return (c->seg[a].ar & 0xfffe0f00u) == 0;
}

/* ------------------------------------------------------------------ */
/* Descriptor tables, RIP, RFLAGS (27.3.1.3-27.3.1.4)                   */

static bool g_dt_base(const struct ectx *c, int a)
{
	(void)a;
	return canonical(VMCS(c->st, VMCS_GUEST_GDTR_BASE)) &&
	       canonical(VMCS(c->st, VMCS_GUEST_IDTR_BASE));
}

static bool g_dt_limit(const struct ectx *c, int a)
{
	(void)a;
	return (VMCS(c->st, VMCS_GUEST_GDTR_LIMIT) >> 16) == 0 &&
	       (VMCS(c->st, VMCS_GUEST_IDTR_LIMIT) >> 16) == 0;
}

static bool g_rip(const struct ectx *c, int a)
{
	uint64_t rip = VMCS(c->st, VMCS_GUEST_RIP);

	(void)a;
	if (c->ia32e && (c->seg[S_CS].ar & (1u << 13)))
		return canonical(rip);
	return (rip >> 32) == 0;
}

/* RFLAGS: bits 63:22, 15, 5 and 3 are 0 and bit 1 is 1. */
static bool g_rflags_rsvd(const struct ectx *c, int a)
{
	(void)a;
	return (c->rflags & ~0x3f7fd7ull) == 0 && (c->rflags & 2);
}

static bool g_rflags_vm(const struct ectx *c, int a)
{
	(void)a;
	return !v86(c) || (!c->ia32e && (c->cr0 & CR0_PE));
}

static bool g_rflags_if(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || c->irq_type != EV_EXT || (c->rflags & RF_IF);
}

/* ------------------------------------------------------------------ */
/* Non-register state (27.3.1.5)                                       */

static bool g_act_hlt_dpl(const struct ectx *c, int a)
{
	(void)a;
	return c->act != 1 || dpl(&c->seg[S_SS]) == 0;
}

static bool g_act_blocking(const struct ectx *c, int a)
{
	(void)a;
	return c->act == 0 ||
	       !(c->intr & (GUEST_INTRBILITY_STI_BLOCKING |
			    GUEST_INTRBILITY_MOVSS_BLOCKING));
}

/* In the HLT state only external interrupts, NMIs, #DB, #MC and type 7
 * can be injected. */
static bool g_act_inject(const struct ectx *c, int a)
{
	(void)a;
	if (c->act != 1 || !c->inject)
		return true;
	return c->irq_type == EV_EXT || c->irq_type == EV_NMI ||
	       c->irq_type == EV_OTHER ||
	       (c->irq_type == EV_HW && (c->irq_vec == 1 || c->irq_vec == 18));
}

static bool g_intr_rsvd(const struct ectx *c, int a)
{
	(void)a;
	return (c->intr & ~0xfull) == 0;
}

static bool g_intr_both(const struct ectx *c, int a)
{
	(void)a;
	return (c->intr & 3) != 3;
}

static bool g_intr_sti_if(const struct ectx *c, int a)
{
	(void)a;
	return !(c->intr & GUEST_INTRBILITY_STI_BLOCKING) ||
	       (c->rflags & RF_IF);
}

static bool g_intr_ext(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || c->irq_type != EV_EXT || (c->intr & 3) == 0;
}

static bool g_intr_nmi_movss(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || c->irq_type != EV_NMI ||
	       !(c->intr & GUEST_INTRBILITY_MOVSS_BLOCKING);
}

/* Not in SMM: SMI blocking must be 0. */
static bool g_intr_smi(const struct ectx *c, int a)
{
	(void)a;
	return !(c->intr & GUEST_INTRBILITY_SMI_BLOCKING);
}

static bool g_intr_vnmi(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || c->irq_type != EV_NMI ||
	       !(c->pin & PIN_BASED_VIRTUAL_NMI) ||
	       !(c->intr & GUEST_INTRBILITY_NMI_BLOCKING);
}

/* Processor-specific rule of 27.3.1.5 that this model applies: an NMI is
 * not injected under STI blocking (VM-entry failure, qualification 3). */
static bool g_intr_nmi_sti(const struct ectx *c, int a)
{
	(void)a;
	return !c->inject || c->irq_type != EV_NMI ||
	       !(c->intr & GUEST_INTRBILITY_STI_BLOCKING);
}

/* Pending debug exceptions: bits 11:4, 13, 15 and 63:17 reserved (16,
 * RTM, is reserved too: no RTM in the model). */
static bool g_dbg_rsvd(const struct ectx *c, int a)
{
	(void)a;
	return (c->dbg & ~0x500full) == 0;
}

/* BS (bit 14) must be 1 under STI/MOV-SS blocking or HLT if RFLAGS.TF = 1
 * and DEBUGCTL.BTF = 0, and 0 if TF = 0 or BTF = 1. */
static bool g_dbg_bs(const struct ectx *c, int a)
{
	bool btf = VMCS(c->st, VMCS_GUEST_IA32_DEBUGCTL) & 2;
	bool bs = c->dbg & (1u << 14);
	bool want = (c->rflags & RF_TF) && !btf;

	(void)a;
	if (!(c->intr & 3) && c->act != 1)
		return true;
	return bs == want;
}

/* ------------------------------------------------------------------ */
/* PDPTEs (27.3.1.6): with EPT they come from the VMCS; present ones must  */
/* have bits 2:1, 8:5 and 63:MAXPHYADDR clear.                          */

static bool g_pdpte(const struct ectx *c, int a)
{
	static const int f[4] = { VI_VMCS_GUEST_PDPTE0, VI_VMCS_GUEST_PDPTE1,
				  VI_VMCS_GUEST_PDPTE2, VI_VMCS_GUEST_PDPTE3 };
	uint64_t e = c->st->v[f[a]];

	if (!(c->cr0 & CR0_PG) || !(c->cr4 & CR4_PAE) || c->ia32e ||
	    !(e & 1))
		return true;
	return (e & (0x1e6ull | ~((1ull << PHYS_BITS) - 1))) == 0;
}

/* ------------------------------------------------------------------ */
/* The table                                                           */

#define CTL(fld, rule, sec, fn) { EC_CTL, 0, 0, fld, rule, sec, fn }
#define GST(fld, rule, sec, fn, arg) { EC_GUEST, 0, arg, fld, rule, sec, fn }
#define GSTQ(q, fld, rule, sec, fn, arg) { EC_GUEST, q, arg, fld, rule, sec, fn }

#define DATA_SEG(n) \
	GST("VMCS_GUEST_" #n "_BASE", "in virtual-8086 mode base = selector << 4, limit FFFF, access rights F3", "27.3.1.2", g_v86_seg, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "a usable data segment must be accessed (type bit 0) and, if code, readable", "27.3.1.2", g_data_type, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "S (bit 4) must be 1 for a usable segment", "27.3.1.2", g_s_bit, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "DPL must not be below RPL for a usable data or non-conforming code segment (no unrestricted guest)", "27.3.1.2", g_data_dpl, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "P (bit 7) must be 1 for a usable segment", "27.3.1.2", g_present, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "reserved bits 11:8 and 31:17 must be 0", "27.3.1.2", g_ar_rsvd, S_##n), \
	GST("VMCS_GUEST_" #n "_AR", "G (bit 15) must agree with the limit (0 if limit[11:0] != FFF, 1 if limit[31:20] != 0)", "27.3.1.2", g_gran, S_##n)

static const struct entry_check checks[] = {
	/* 27.2.1.1 VM-execution control fields */
	CTL("VMCS_CTRL_PIN_BASED", "reserved bits must match IA32_VMX_TRUE_PINBASED_CTLS", "27.2.1.1", c_pin),
	CTL("VMCS_CTRL_CPU_BASED", "reserved bits must match IA32_VMX_TRUE_PROCBASED_CTLS", "27.2.1.1", c_proc),
	CTL("VMCS_CTRL_CPU_BASED2", "bits must match IA32_VMX_PROCBASED_CTLS2", "27.2.1.1", c_proc2),
	CTL("VMCS_CTRL_CR3_COUNT", "the CR3-target count must not exceed 4 (IA32_VMX_MISC[24:16])", "27.2.1.1", c_cr3_count),
	CTL("VMCS_CTRL_TPR_THRESHOLD", "with use TPR shadow, bits 31:4 must be 0", "27.2.1.1", c_tpr_thr_high),
	CTL("VMCS_CTRL_TPR_THRESHOLD", "with use TPR shadow and no APIC-access virtualization, bits 3:0 must not exceed VTPR[7:4] of the virtual-APIC page", "27.2.1.1", c_tpr_thr_vtpr),
	CTL("VMCS_CTRL_PIN_BASED", "virtual NMIs need NMI exiting", "27.2.1.1", c_vnmi),
	CTL("VMCS_CTRL_CPU_BASED", "NMI-window exiting needs virtual NMIs", "27.2.1.1", c_nmi_wnd),
	CTL("VMCS_CTRL_APIC_ACCESS", "with virtualize APIC accesses the APIC-access address must be 4-KByte aligned and below MAXPHYADDR", "27.2.1.1", c_apic_access),
	CTL("VMCS_VPID", "with enable VPID the VPID must not be 0", "27.2.1.1", c_vpid),
	CTL("VMCS_CTRL_CPU_BASED2", "unrestricted guest needs enable EPT", "27.2.1.1", c_ug_ept),
	/* 27.2.1.2 VM-exit control fields */
	CTL("VMCS_CTRL_VMEXIT_CONTROLS", "reserved bits must match IA32_VMX_TRUE_EXIT_CTLS", "27.2.1.2", c_exit),
	CTL("VMCS_CTRL_VMEXIT_CONTROLS", "save VMX-preemption timer value needs activate VMX-preemption timer", "27.2.1.2", c_timer_save),
	/* 27.2.1.3 VM-entry control fields */
	CTL("VMCS_CTRL_VMENTRY_CONTROLS", "reserved bits must match IA32_VMX_TRUE_ENTRY_CTLS", "27.2.1.3", c_entry),
	CTL("VMCS_CTRL_VMENTRY_IRQ_INFO", "type 1 is reserved; NMI must be vector 2, hardware exceptions vectors 0-31, other events vector 0", "27.2.1.3", c_irq_type),
	CTL("VMCS_CTRL_VMENTRY_IRQ_INFO", "deliver error code (bit 11) must be 1 exactly for hardware exceptions 8, 10-14, 17 in protected mode", "27.2.1.3", c_irq_errcode),
	CTL("VMCS_CTRL_VMENTRY_IRQ_INFO", "reserved bits 30:12 must be 0", "27.2.1.3", c_irq_reserved),
	CTL("VMCS_CTRL_VMENTRY_EXC_ERROR", "bits 31:16 of the error code must be 0", "27.2.1.3", c_irq_err_high),
	CTL("VMCS_CTRL_VMENTRY_INSTR_LEN", "software interrupts and exceptions need a length of 0-15", "27.2.1.3", c_irq_len),
	/* 27.3.1.1 control registers, debug registers, MSRs */
	GST("VMCS_GUEST_CR0", "CR0 must respect IA32_VMX_CR0_FIXED0/1 (NE = 1; PE and PG = 1 unless unrestricted guest)", "27.3.1.1", g_cr0_fixed, 0),
	GST("VMCS_GUEST_CR0", "CR0.PG = 1 needs CR0.PE = 1", "27.3.1.1", g_cr0_pg_pe, 0),
	GST("VMCS_GUEST_CR4", "CR4 must respect IA32_VMX_CR4_FIXED0/1 (VMXE = 1, no unsupported bit)", "27.3.1.1", g_cr4_fixed, 0),
	GST("VMCS_GUEST_IA32_DEBUGCTL", "with load debug controls, reserved bits (5:2, 63:16) must be 0", "27.3.1.1", g_debugctl, 0),
	GST("VMCS_GUEST_CR0", "an IA-32e mode guest needs CR0.PG = 1 and CR4.PAE = 1", "27.3.1.1", g_ia32e_paging, 0),
	GST("VMCS_GUEST_CR4", "CR4.PCIDE needs an IA-32e mode guest", "27.3.1.1", g_pcide, 0),
	GST("VMCS_GUEST_CR3", "bits beyond MAXPHYADDR (39) must be 0", "27.3.1.1", g_cr3, 0),
	GST("VMCS_GUEST_DR7", "with load debug controls, bits 63:32 must be 0", "27.3.1.1", g_dr7, 0),
	GST("VMCS_GUEST_SYSENTER_ESP", "IA32_SYSENTER_ESP and _EIP must be canonical", "27.3.1.1", g_sysenter, 0),
	GST("VMCS_GUEST_IA32_PAT", "with load IA32_PAT, every entry must be a valid memory type (0, 1, 4-7)", "27.3.1.1", g_pat, 0),
	GST("VMCS_GUEST_IA32_EFER", "reserved bits must be 0 (only SCE, LME, LMA, NXE)", "27.3.1.1", g_efer_rsvd, 0),
	GST("VMCS_GUEST_IA32_EFER", "EFER.LMA must equal the IA-32e mode guest entry control", "27.3.1.1", g_efer_lma, 0),
	GST("VMCS_GUEST_IA32_EFER", "with CR0.PG = 1, EFER.LME must equal the IA-32e mode guest entry control", "27.3.1.1", g_efer_lme, 0),
	/* 27.3.1.2 segment registers */
	GST("VMCS_GUEST_TR", "TR.TI must be 0", "27.3.1.2", g_tr_ti, 0),
	GST("VMCS_GUEST_LDTR", "LDTR.TI must be 0 if LDTR is usable", "27.3.1.2", g_ldtr_ti, 0),
	GST("VMCS_GUEST_SS", "SS.RPL must equal CS.RPL (no unrestricted guest, not virtual-8086)", "27.3.1.2", g_ss_rpl, 0),
	GST("VMCS_GUEST_CS_BASE", "in virtual-8086 mode base = selector << 4, limit FFFF, access rights F3", "27.3.1.2", g_v86_seg, S_CS),
	GST("VMCS_GUEST_CS_BASE", "bits 63:32 of the CS base must be 0", "27.3.1.2", g_base_high, S_CS),
	GST("VMCS_GUEST_SS_BASE", "in virtual-8086 mode base = selector << 4, limit FFFF, access rights F3", "27.3.1.2", g_v86_seg, S_SS),
	GST("VMCS_GUEST_SS_BASE", "bits 63:32 of the base of a usable segment must be 0", "27.3.1.2", g_base_high, S_SS),
	GST("VMCS_GUEST_FS_BASE", "the FS base must be canonical", "27.3.1.2", g_base_canon, S_FS),
	GST("VMCS_GUEST_GS_BASE", "the GS base must be canonical", "27.3.1.2", g_base_canon, S_GS),
	GST("VMCS_GUEST_TR_BASE", "the TR base must be canonical", "27.3.1.2", g_base_canon, S_TR),
	GST("VMCS_GUEST_LDTR_BASE", "the base of a usable LDTR must be canonical", "27.3.1.2", g_base_canon, S_LDTR),
	GST("VMCS_GUEST_CS_AR", "CS type must be 9, 11, 13 or 15 (or 3 with unrestricted guest)", "27.3.1.2", g_cs_type, 0),
	GST("VMCS_GUEST_CS_AR", "S (bit 4) must be 1", "27.3.1.2", g_s_bit, S_CS),
	GST("VMCS_GUEST_CS_AR", "DPL must be 0 for type 3, equal SS.DPL if non-conforming, not above SS.DPL if conforming", "27.3.1.2", g_cs_dpl, 0),
	GST("VMCS_GUEST_CS_AR", "P (bit 7) must be 1", "27.3.1.2", g_present, S_CS),
	GST("VMCS_GUEST_CS_AR", "reserved bits 11:8 and 31:17 must be 0", "27.3.1.2", g_ar_rsvd, S_CS),
	GST("VMCS_GUEST_CS_AR", "G (bit 15) must agree with the limit", "27.3.1.2", g_gran, S_CS),
	GST("VMCS_GUEST_CS_AR", "an IA-32e mode guest with CS.L = 1 needs CS.D = 0", "27.3.1.2", g_cs_l_db, 0),
	GST("VMCS_GUEST_SS_AR", "a usable SS must be type 3 or 7", "27.3.1.2", g_ss_type, 0),
	GST("VMCS_GUEST_SS_AR", "S (bit 4) must be 1 for a usable segment", "27.3.1.2", g_s_bit, S_SS),
	GST("VMCS_GUEST_SS_AR", "SS.DPL must equal SS.RPL (no unrestricted guest) and be 0 with CS type 3 or CR0.PE = 0", "27.3.1.2", g_ss_dpl, 0),
	GST("VMCS_GUEST_SS_AR", "P (bit 7) must be 1 for a usable segment", "27.3.1.2", g_present, S_SS),
	GST("VMCS_GUEST_SS_AR", "reserved bits 11:8 and 31:17 must be 0", "27.3.1.2", g_ar_rsvd, S_SS),
	GST("VMCS_GUEST_SS_AR", "G (bit 15) must agree with the limit", "27.3.1.2", g_gran, S_SS),
	DATA_SEG(DS), DATA_SEG(ES), DATA_SEG(FS), DATA_SEG(GS),
	GST("VMCS_GUEST_DS_BASE", "bits 63:32 of the base of a usable segment must be 0", "27.3.1.2", g_base_high, S_DS),
	GST("VMCS_GUEST_ES_BASE", "bits 63:32 of the base of a usable segment must be 0", "27.3.1.2", g_base_high, S_ES),
	GST("VMCS_GUEST_TR_AR", "TR type must be 11 (busy 32/64-bit TSS), or 3 (busy 16-bit TSS) outside IA-32e mode", "27.3.1.2", g_tr_type, 0),
	GST("VMCS_GUEST_TR_AR", "TR must be usable, present, with S = 0", "27.3.1.2", g_tr_sys, 0),
	GST("VMCS_GUEST_TR_AR", "reserved bits 11:8 and 31:17 must be 0", "27.3.1.2", g_sys_ar_rsvd, S_TR),
	GST("VMCS_GUEST_TR_AR", "G (bit 15) must agree with the limit", "27.3.1.2", g_gran, S_TR),
	GST("VMCS_GUEST_LDTR_AR", "a usable LDTR must be type 2, present, with S = 0", "27.3.1.2", g_ldtr_type, 0),
	GST("VMCS_GUEST_LDTR_AR", "reserved bits 11:8 and 31:17 must be 0", "27.3.1.2", g_sys_ar_rsvd, S_LDTR),
	GST("VMCS_GUEST_LDTR_AR", "G (bit 15) must agree with the limit", "27.3.1.2", g_gran, S_LDTR),
	/* 27.3.1.3 descriptor-table registers, 27.3.1.4 RIP and RFLAGS */
	GST("VMCS_GUEST_GDTR_BASE", "GDTR and IDTR bases must be canonical", "27.3.1.3", g_dt_base, 0),
	GST("VMCS_GUEST_GDTR_LIMIT", "bits 31:16 of the GDTR and IDTR limits must be 0", "27.3.1.3", g_dt_limit, 0),
	GST("VMCS_GUEST_RIP", "bits 63:32 must be 0 outside 64-bit mode; canonical in 64-bit mode", "27.3.1.4", g_rip, 0),
	GST("VMCS_GUEST_RFLAGS", "reserved bits 63:22, 15, 5, 3 must be 0 and bit 1 must be 1", "27.3.1.4", g_rflags_rsvd, 0),
	GST("VMCS_GUEST_RFLAGS", "VM must be 0 for an IA-32e mode guest or with CR0.PE = 0", "27.3.1.4", g_rflags_vm, 0),
	GST("VMCS_GUEST_RFLAGS", "IF must be 1 when an external interrupt is injected", "27.3.1.4", g_rflags_if, 0),
	/* 27.3.1.5 non-register state */
	GST("VMCS_GUEST_ACTIVITY_STATE", "the HLT state needs SS.DPL = 0", "27.3.1.5", g_act_hlt_dpl, 0),
	GST("VMCS_GUEST_ACTIVITY_STATE", "STI or MOV-SS blocking needs the active state", "27.3.1.5", g_act_blocking, 0),
	GST("VMCS_GUEST_ACTIVITY_STATE", "in the HLT state only external interrupts, NMIs, #DB, #MC and other events (type 7) can be injected", "27.3.1.5", g_act_inject, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "reserved bits 31:4 must be 0", "27.3.1.5", g_intr_rsvd, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "blocking by STI and by MOV SS cannot both be 1", "27.3.1.5", g_intr_both, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "blocking by STI needs RFLAGS.IF = 1", "27.3.1.5", g_intr_sti_if, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "injecting an external interrupt needs no STI or MOV-SS blocking", "27.3.1.5", g_intr_ext, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "injecting an NMI needs no MOV-SS blocking", "27.3.1.5", g_intr_nmi_movss, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "blocking by SMI must be 0 outside SMM", "27.3.1.5", g_intr_smi, 0),
	GST("VMCS_GUEST_INTERRUPTIBILITY", "with virtual NMIs, injecting an NMI needs no (virtual-)NMI blocking", "27.3.1.5", g_intr_vnmi, 0),
	GSTQ(3, "VMCS_GUEST_INTERRUPTIBILITY", "injecting an NMI under STI blocking fails on this model (qualification 3)", "27.3.1.5", g_intr_nmi_sti, 0),
	GST("VMCS_GUEST_DEBUG_EXC", "reserved bits 11:4, 13, 15 and 63:16 must be 0", "27.3.1.5", g_dbg_rsvd, 0),
	GST("VMCS_GUEST_DEBUG_EXC", "with STI/MOV-SS blocking or HLT, BS (bit 14) must be 1 iff RFLAGS.TF = 1 and DEBUGCTL.BTF = 0", "27.3.1.5", g_dbg_bs, 0),
	/* 27.3.1.6 PDPTEs (qualification 2) */
	GSTQ(2, "VMCS_GUEST_PDPTE0", "a present PDPTE must have bits 2:1, 8:5 and 63:39 clear (PAE paging with EPT)", "27.3.1.6", g_pdpte, 0),
	GSTQ(2, "VMCS_GUEST_PDPTE1", "a present PDPTE must have bits 2:1, 8:5 and 63:39 clear (PAE paging with EPT)", "27.3.1.6", g_pdpte, 1),
	GSTQ(2, "VMCS_GUEST_PDPTE2", "a present PDPTE must have bits 2:1, 8:5 and 63:39 clear (PAE paging with EPT)", "27.3.1.6", g_pdpte, 2),
	GSTQ(2, "VMCS_GUEST_PDPTE3", "a present PDPTE must have bits 2:1, 8:5 and 63:39 clear (PAE paging with EPT)", "27.3.1.6", g_pdpte, 3),
};

unsigned vmentry_rule_count(void)
{
	return (unsigned)(sizeof(checks) / sizeof(checks[0]));
}

/* ------------------------------------------------------------------ */
/* Running the table                                                   */

static void load_segs(struct ectx *c)
{
	static const int f[S_COUNT][4] = {
#define SF(n) { VI_VMCS_GUEST_##n, VI_VMCS_GUEST_##n##_BASE, \
		VI_VMCS_GUEST_##n##_LIMIT, VI_VMCS_GUEST_##n##_AR }
		SF(ES), SF(CS), SF(SS), SF(DS), SF(FS), SF(GS), SF(LDTR),
		SF(TR),
#undef SF
	};

	for (int i = 0; i < S_COUNT; i++) {
		c->seg[i].sel = (uint16_t)c->st->v[f[i][0]];
		c->seg[i].base = c->st->v[f[i][1]];
		c->seg[i].limit = (uint32_t)c->st->v[f[i][2]];
		c->seg[i].ar = (uint32_t)c->st->v[f[i][3]];
	}
}

static void load_ctx(struct ectx *c, const struct vcpu *v)
{
	const struct vmcs_store *st = &v->vmcs;

	c->v = v;
	c->st = st;
	c->pin = (uint32_t)VMCS(st, VMCS_CTRL_PIN_BASED);
	c->proc = (uint32_t)VMCS(st, VMCS_CTRL_CPU_BASED);
	c->proc2 = (c->proc & CPU_BASED_SECONDARY_CTLS) ?
		   (uint32_t)VMCS(st, VMCS_CTRL_CPU_BASED2) : 0;
	c->exit = (uint32_t)VMCS(st, VMCS_CTRL_VMEXIT_CONTROLS);
	c->entry = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_CONTROLS);
	c->ug = c->proc2 & CPU_BASED2_UNRESTRICTED;
	c->ia32e = c->entry & VMENTRY_GUEST_IA32E;
	c->cr0 = VMCS(st, VMCS_GUEST_CR0);
	c->cr4 = VMCS(st, VMCS_GUEST_CR4);
	c->rflags = VMCS(st, VMCS_GUEST_RFLAGS);
	c->intr = VMCS(st, VMCS_GUEST_INTERRUPTIBILITY);
	c->act = VMCS(st, VMCS_GUEST_ACTIVITY_STATE);
	c->dbg = VMCS(st, VMCS_GUEST_DEBUG_EXC);
	c->irq = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_IRQ_INFO);
	c->inject = c->irq & IRQ_INFO_VALID;
	c->irq_type = (c->irq >> 8) & 7;
	c->irq_vec = c->irq & 0xff;
	load_segs(c);
}

static void explain(struct vcpu *v, const struct entry_check *e)
{
	snprintf(v->entry_msg, sizeof(v->entry_msg),
		 "VM entry failed: %s: %s (SDM Vol. 3C, %s)", e->field,
		 e->rule, e->sdm);
	if (getenv("HVF_DEBUG"))
		fprintf(stderr, "openhvf: vcpu %u: %s\n", v->id, v->entry_msg);
}

hv_return_t vmentry_check(struct vcpu *v, bool *entered)
{
	struct ectx c;

	load_ctx(&c, v);
	v->entry_msg[0] = 0;
	v->entry_failed = false;
	v->vmx_status = 0;
	*entered = true;
	for (unsigned i = 0; i < vmentry_rule_count(); i++) {
		const struct entry_check *e = &checks[i];

		if (e->ok(&c, e->arg))
			continue;
		explain(v, e);
		*entered = false;
		if (e->cls == EC_CTL) {
			/* VMfailValid: ZF, error 7 "VM entry with invalid
			 * control field(s)" (SDM Vol. 3C, 31.4). */
			v->entry_failed = true;
			v->vmx_status = 1u << 6;
			VMCS(&v->vmcs, VMCS_RO_INSTR_ERROR) = 7;
			return HV_ERROR;
		}
		/* A VM-entry failure exit: reason 33 with bit 31, the
		 * qualification; nothing else changes (27.8). */
		VMCS(&v->vmcs, VMCS_RO_EXIT_REASON) =
			VMX_REASON_VMENTRY_GUEST | 0x80000000u;
		VMCS(&v->vmcs, VMCS_RO_EXIT_QUALIFIC) = e->qual;
		return HV_SUCCESS;
	}
	return HV_SUCCESS;
}
