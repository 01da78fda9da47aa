/* SPDX-License-Identifier: MIT */
/* Guest paging (32-bit, PAE, 4-level) and the guest-physical step through
 * the vCPU's map snapshot, which plays the EPT: permission faults become
 * #PF, map misses become EPT-violation exits. */
#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_vmx.h>

#include "sys.h"

/* ------------------------------------------------------------------ */
/* Guest-physical accesses (the EPT role)                              */

static uint32_t acc_to_prot(int acc)
{
	uint32_t p = 0;

	if (acc & ACC_READ)
		p |= HV_MEMORY_READ;
	if (acc & ACC_WRITE)
		p |= HV_MEMORY_WRITE;
	if (acc & ACC_FETCH)
		p |= HV_MEMORY_EXEC;
	return p;
}

/* EPT-violation exit qualification (SDM Vol. 3C, 28.2.1, table "Exit
 * Qualification for EPT Violations"): bits 2:0 the access, 5:3 the
 * permissions of the guest-physical address (R, W, X), bit 7 linear
 * address valid, bit 8 access to the final translation. */
static uint64_t ept_qual(int acc, uint32_t prot, unsigned flags)
{
	uint64_t q = (uint64_t)(acc & 7);

	if (prot & HV_MEMORY_READ)
		q |= 1u << 3;
	if (prot & HV_MEMORY_WRITE)
		q |= 1u << 4;
	if (prot & HV_MEMORY_EXEC)
		q |= 1u << 5;
	if (flags & GPA_LIN) {
		q |= 1u << 7;
		if (flags & GPA_FINAL)
			q |= 1u << 8;
	}
	return q;
}

uint8_t *emu_gpa_ptr(struct emu_cpu *cpu, uint64_t gpa, int acc,
		     uint64_t lin, unsigned flags)
{
	const struct memmap_range *r = NULL;
	uint32_t need = acc_to_prot(acc);
	struct emu_sys *s = sys_of(cpu);
	uint64_t q;

	/* The APIC-access page comes before the EPT (SDM Vol. 3C, 30.4). */
	if ((gpa & ~0xfffull) == s->apic_page)
		return (flags & GPA_PROBE) ? NULL :
		       emu_apic_access(cpu, gpa, acc, flags);
	if (gpa < MEMMAP_GPA_LIMIT && cpu->vcpu->snap)
		r = memmap_find(cpu->vcpu->snap, gpa);
	if (r && (r->prot & need) == need)
		return r->hva + (gpa - r->gpa);
	if (flags & GPA_PROBE)
		return NULL;
	s->exit_gpa = gpa;
	s->has_gpa = true;
	if (flags & GPA_LIN) {
		s->exit_gla = lin;
		s->has_gla = true;
	}
	q = ept_qual(acc, r ? r->prot : 0, flags);
	/* Bit 12: NMI unblocking due to IRET (28.2.1). */
	if (s->iret_unblocked)
		q |= 1u << 12;
	emu_vmexit(cpu, VMX_REASON_EPT_VIOLATION, q);
}

/* ------------------------------------------------------------------ */
/* Paging-structure walks (SDM Vol. 3A, 4.3-4.5)                       */

/* #PF error-code bits (SDM Vol. 3A, 4.7). */
enum { PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_ID = 16 };

/* Paging-entry bits. */
#define PTE_P (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_A (1ull << 5)
#define PTE_D (1ull << 6)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

struct walk {
	uint64_t lin;
	int acc;
	bool sys, user, probe;
	/* Entries used, for the accessed/dirty updates. */
	uint64_t egpa[4];
	uint8_t *eptr[4];
	int n;
	bool wide;           /* 8-byte entries */
	bool rw, us, xd;     /* combined rights */
	uint64_t pa;         /* result */
	uint32_t err;        /* #PF error code when failing */
};

static uint64_t entry_get(const struct walk *w, int i)
{
	if (w->wide)
		return __atomic_load_n((uint64_t *)w->eptr[i],
				       __ATOMIC_RELAXED);
	return __atomic_load_n((uint32_t *)w->eptr[i], __ATOMIC_RELAXED);
}

/* Read the entry at guest-physical egpa: a paging-structure access is a
 * read for the EPT (SDM Vol. 3C, 29.3.3.2). */
static bool entry_fetch(struct emu_cpu *cpu, struct walk *w, uint64_t egpa,
			uint64_t *e)
{
	unsigned fl = GPA_LIN | (w->probe ? GPA_PROBE : 0);
	uint8_t *p = emu_gpa_ptr(cpu, egpa, ACC_READ, w->lin, fl);

	if (!p)
		return false;
	w->egpa[w->n] = egpa;
	w->eptr[w->n] = p;
	*e = entry_get(w, w->n);
	w->n++;
	return true;
}

static uint32_t fault_bits(const struct emu_cpu *cpu, const struct walk *w)
{
	uint32_t err = 0;

	if (w->acc & ACC_WRITE)
		err |= PF_W;
	if (w->user)
		err |= PF_U;
	if ((w->acc & ACC_FETCH) &&
	    ((cpu->efer & EFER_NXE) || (cpu->cr4 & CR4_SMEP)))
		err |= PF_ID;
	return err;
}

/* Reserved bits of a 64-bit entry at level shift (SDM Vol. 3A, 4.4.2 and
 * 4.5.4): physical-address bits above MAXPHYADDR, XD without EFER.NXE, PS
 * in a PML4E, low address bits of large pages. */
static uint64_t rsvd_mask(const struct emu_cpu *cpu, int shift, uint64_t e)
{
	uint64_t m = 0x000fffffffffffffull & ~PHYS_MASK;

	if (!(cpu->efer & EFER_NXE))
		m |= PTE_XD;
	if (shift == 39)
		m |= PTE_PS;
	else if ((e & PTE_PS) && shift == 30)
		m |= 0x3fffe000ull;
	else if ((e & PTE_PS) && shift == 21)
		m |= 0x1fe000ull;
	return m;
}

static void combine(struct walk *w, uint64_t e, bool nxe)
{
	w->rw = w->rw && (e & PTE_RW);
	w->us = w->us && (e & PTE_US);
	if (nxe && (e & PTE_XD))
		w->xd = true;
}

/* Walk 64-bit entries from the table at gpa for the given level shifts. */
static bool walk_wide(struct emu_cpu *cpu, struct walk *w, uint64_t table,
		      int first_shift)
{
	bool nxe = cpu->efer & EFER_NXE;

	for (int shift = first_shift; shift >= 12; shift -= 9) {
		uint64_t e, idx = (w->lin >> shift) & 0x1ff;

		if (!entry_fetch(cpu, w, table + idx * 8, &e))
			return false;
		if (!(e & PTE_P)) {
			w->err = fault_bits(cpu, w);
			return false;
		}
		if (e & rsvd_mask(cpu, shift, e)) {
			w->err = fault_bits(cpu, w) | PF_P | PF_RSVD;
			return false;
		}
		combine(w, e, nxe);
		if (shift == 12 || ((e & PTE_PS) && shift <= 30)) {
			uint64_t size = 1ull << shift;

			w->pa = (e & PHYS_MASK & ~(size - 1)) |
				(w->lin & (size - 1));
			return true;
		}
		table = e & PHYS_MASK & ~0xfffull;
	}
	return false;
}

/* 32-bit paging (SDM Vol. 3A, 4.3): 4-byte entries, 4-MByte pages with
 * CR4.PSE (PSE-36 address bits 20:13). */
static bool walk_32(struct emu_cpu *cpu, struct walk *w)
{
	uint64_t e, table = cpu->cr3 & 0xfffff000ull;

	for (int shift = 22; shift >= 12; shift -= 10) {
		uint64_t idx = (w->lin >> shift) & 0x3ff;

		if (!entry_fetch(cpu, w, table + idx * 4, &e))
			return false;
		if (!(e & PTE_P)) {
			w->err = fault_bits(cpu, w);
			return false;
		}
		combine(w, e, false);
		if (shift == 22 && (e & PTE_PS) && (cpu->cr4 & CR4_PSE)) {
			if (e & (1ull << 21 | 1ull << 20)) {
				w->err = fault_bits(cpu, w) | PF_P | PF_RSVD;
				return false;
			}
			w->pa = (e & 0xffc00000ull) |
				(((e >> 13) & 0xff) << 32) |
				(w->lin & 0x3fffff);
			return true;
		}
		if (shift == 12)
			w->pa = (e & 0xfffff000ull) | (w->lin & 0xfff);
		table = e & 0xfffff000ull;
	}
	return true;
}

/* PAE paging (SDM Vol. 3A, 4.4): the PDPTE registers, then 64-bit PD and
 * PT. */
static bool walk_pae(struct emu_cpu *cpu, struct walk *w)
{
	uint64_t pdpte = cpu->pdpte[(w->lin >> 30) & 3];

	if (!(pdpte & PTE_P)) {
		w->err = fault_bits(cpu, w);
		return false;
	}
	return walk_wide(cpu, w, pdpte & PHYS_MASK & ~0xfffull, 21);
}

/* Access rights (SDM Vol. 3A, 4.6): user accesses need U/S everywhere;
 * supervisor accesses to user pages are limited by SMEP and SMAP (with
 * RFLAGS.AC for explicit accesses), writes by CR0.WP, fetches by XD. */
static bool rights_ok(const struct emu_cpu *cpu, const struct walk *w)
{
	bool smap = (cpu->cr4 & CR4_SMAP) && w->us &&
		    (w->sys || !(cpu->rflags & RF_AC));

	if ((w->acc & ACC_FETCH) && w->xd)
		return false;
	if (w->user) {
		if (!w->us)
			return false;
		return !((w->acc & ACC_WRITE) && !w->rw);
	}
	if (w->acc & ACC_FETCH)
		return !(w->us && (cpu->cr4 & CR4_SMEP));
	if (smap)
		return false;
	return !((w->acc & ACC_WRITE) && !w->rw && (cpu->cr0 & CR0_WP));
}

/* Set the accessed flags of the entries used and the dirty flag of the
 * leaf for writes, atomically (SDM Vol. 3A, 4.8); writes for the EPT. */
static bool set_ad(struct emu_cpu *cpu, struct walk *w)
{
	for (int i = 0; i < w->n; i++) {
		uint64_t want = PTE_A;

		if (i == w->n - 1 && (w->acc & ACC_WRITE))
			want |= PTE_D;
		if ((entry_get(w, i) & want) == want)
			continue;
		unsigned fl = GPA_LIN | (w->probe ? GPA_PROBE : 0);

		if (!emu_gpa_ptr(cpu, w->egpa[i], ACC_WRITE, w->lin, fl))
			return false;
		if (w->wide)
			__atomic_fetch_or((uint64_t *)w->eptr[i], want,
					  __ATOMIC_SEQ_CST);
		else
			__atomic_fetch_or((uint32_t *)w->eptr[i],
					  (uint32_t)want, __ATOMIC_SEQ_CST);
	}
	return true;
}

bool emu_paging_on(const struct emu_cpu *cpu)
{
	return (cpu->cr0 & CR0_PG) && (cpu->cr0 & CR0_PE);
}

static bool walk_any(struct emu_cpu *cpu, struct walk *w)
{
	if (cpu->efer & EFER_LMA) {
		w->wide = true;
		return walk_wide(cpu, w, cpu->cr3 & PHYS_MASK & ~0xfffull, 39);
	}
	if (cpu->cr4 & CR4_PAE) {
		w->wide = true;
		return walk_pae(cpu, w);
	}
	return walk_32(cpu, w);
}

uint8_t *emu_translate(struct emu_cpu *cpu, uint64_t lin, int acc,
		       bool sys, bool probe, uint64_t *gpa, bool *tlb_ok)
{
	unsigned fl = GPA_LIN | GPA_FINAL | (probe ? GPA_PROBE : 0);
	struct walk w = { .lin = lin, .acc = acc, .sys = sys,
			  .user = !sys && cpu->cpl == 3, .probe = probe,
			  .rw = true, .us = true };

	if (!emu_paging_on(cpu)) {
		*gpa = lin & 0xffffffffull;
		*tlb_ok = true;
		return emu_gpa_ptr(cpu, *gpa, acc, lin, fl);
	}
	if (!walk_any(cpu, &w)) {
		if (probe)
			return NULL;
		emu_raise_pf(cpu, lin, w.err);
	}
	if (!rights_ok(cpu, &w)) {
		if (probe)
			return NULL;
		emu_raise_pf(cpu, lin, fault_bits(cpu, &w) | PF_P);
	}
	if (!set_ad(cpu, &w))
		return NULL;
	*gpa = w.pa;
	/* Supervisor entries for user pages under SMAP depend on RFLAGS.AC:
	 * never cache them. */
	*tlb_ok = !((cpu->cr4 & CR4_SMAP) && w.us && !w.user);
	return emu_gpa_ptr(cpu, w.pa, acc, lin, fl);
}

/* PDPTE reserved bits: 2:1, 8:5 and above MAXPHYADDR (SDM Vol. 3A,
 * 4.4.1). */
bool emu_load_pdptes(struct emu_cpu *cpu, uint64_t cr3)
{
	uint64_t base = cr3 & 0xffffffe0ull;
	uint64_t rsvd = 0x1e6ull | ~PHYS_MASK;
	uint64_t v[4];

	for (int i = 0; i < 4; i++) {
		uint8_t *p = emu_gpa_ptr(cpu, base + 8 * (uint64_t)i, ACC_READ,
					 0, 0);

		v[i] = __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
		if ((v[i] & PTE_P) && (v[i] & rsvd))
			return false;
	}
	for (int i = 0; i < 4; i++)
		cpu->pdpte[i] = v[i];
	return true;
}
