/* SPDX-License-Identifier: MIT */
/* EPT violations (exit reason 48): lazily filled RAM is re-entered; an
 * access to a device page is emulated by fetching the faulting
 * instruction (guest page walk, SDM Vol. 3A chapter 4: 32-bit 4.3, PAE
 * 4.4, 4-level 4.5), decoding it (mmio_decode.c) and performing the
 * access on the device through the board. Anything else is reported. */
#include "hvrun.h"

#include <stdio.h>
#include <string.h>

#define PTE_P 1ull
#define PTE_PS 0x80ull
#define ADDR_MASK 0x000ffffffffff000ull

static bool read_pte(uint64_t gpa, unsigned size, uint64_t *pte)
{
	const uint8_t *p = gpa_host(gpa, size);

	if (!p)
		return false;
	*pte = 0;
	memcpy(pte, p, size);
	return true;
}

/* Linear -> guest-physical through the guest's paging structures. */
static bool guest_translate(struct vcpu *v, uint64_t la, uint64_t *pa)
{
	uint64_t cr0 = vmcs_get(v, VMCS_GUEST_CR0), cr3, cr4, efer, e;
	unsigned level;

	if (!(cr0 & (1ull << 31))) {
		*pa = la;
		return true;
	}
	cr3 = vmcs_get(v, VMCS_GUEST_CR3);
	cr4 = vmcs_get(v, VMCS_GUEST_CR4);
	efer = vmcs_get(v, VMCS_GUEST_IA32_EFER);
	if (efer & (1ull << 10)) {  /* 4-level: 47:39, 38:30, 29:21, 20:12 */
		uint64_t table = cr3 & ADDR_MASK;

		for (level = 4; level >= 1; level--) {
			unsigned shift = 12 + 9 * (level - 1);

			if (!read_pte(table + ((la >> shift) & 511) * 8, 8, &e) ||
			    !(e & PTE_P))
				return false;
			if (level <= 3 && level >= 2 && (e & PTE_PS)) {
				uint64_t mask = (1ull << shift) - 1;

				*pa = (e & ADDR_MASK & ~mask) | (la & mask);
				return true;
			}
			table = e & ADDR_MASK;
		}
		*pa = table | (la & 0xfff);
		return true;
	}
	if (cr4 & 0x20) {  /* PAE: PDPTE 31:30, PDE 29:21, PTE 20:12 */
		if (!read_pte((cr3 & 0xffffffe0) + ((la >> 30) & 3) * 8, 8, &e) ||
		    !(e & PTE_P) ||
		    !read_pte((e & ADDR_MASK) + ((la >> 21) & 511) * 8, 8, &e) ||
		    !(e & PTE_P))
			return false;
		if (e & PTE_PS) {
			*pa = (e & ADDR_MASK & ~0x1fffffull) | (la & 0x1fffff);
			return true;
		}
		if (!read_pte((e & ADDR_MASK) + ((la >> 12) & 511) * 8, 8, &e) ||
		    !(e & PTE_P))
			return false;
		*pa = (e & ADDR_MASK) | (la & 0xfff);
		return true;
	}
	/* 32-bit paging: PDE 31:22 (4 MiB pages with CR4.PSE), PTE 21:12. */
	if (!read_pte((cr3 & 0xfffff000) + ((la >> 22) & 1023) * 4, 4, &e) ||
	    !(e & PTE_P))
		return false;
	if ((e & PTE_PS) && (cr4 & 0x10)) {
		*pa = (e & 0xffc00000) | (la & 0x3fffff);
		return true;
	}
	if (!read_pte((e & 0xfffff000) + ((la >> 12) & 1023) * 4, 4, &e) ||
	    !(e & PTE_P))
		return false;
	*pa = (e & 0xfffff000) | (la & 0xfff);
	return true;
}

/* Copy up to n instruction bytes at CS:RIP; returns the count read. */
unsigned fetch_insn(struct vcpu *v, uint8_t *buf, unsigned n,
			   unsigned *mode)
{
	uint64_t ar = vmcs_get(v, VMCS_GUEST_CS_AR);
	uint64_t efer = vmcs_get(v, VMCS_GUEST_IA32_EFER);
	uint64_t la = reg_get(v, HV_X86_RIP), pa;
	unsigned got = 0;

	/* CS.L in IA-32e mode, else CS.D (SDM Vol. 3A 3.4.5). */
	*mode = ((efer & (1ull << 10)) && (ar & (1u << 13))) ? 64 :
		(ar & (1u << 14)) ? 32 : 16;
	if (*mode != 64)
		la = (la + vmcs_get(v, VMCS_GUEST_CS_BASE)) & 0xffffffff;
	while (got < n) {
		const uint8_t *p;

		if (!guest_translate(v, la + got, &pa) || !(p = gpa_host(pa, 1)))
			break;
		buf[got++] = *p;
	}
	return got;
}

/* General registers by encoding number (SDM Vol. 2A, Table 2-2). */
static const hv_x86_reg_t gpr_map[16] = {
	HV_X86_RAX, HV_X86_RCX, HV_X86_RDX, HV_X86_RBX, HV_X86_RSP,
	HV_X86_RBP, HV_X86_RSI, HV_X86_RDI, HV_X86_R8, HV_X86_R9,
	HV_X86_R10, HV_X86_R11, HV_X86_R12, HV_X86_R13, HV_X86_R14,
	HV_X86_R15,
};

/* 8/16-bit register writes merge; 32-bit writes zero-extend (SDM Vol. 1
 * 3.4.1.1); AH..BH are bits 15:8 of RAX..RBX. */
static void write_gpr(struct vcpu *v, unsigned r, bool high8, unsigned size,
		      uint64_t val)
{
	hv_x86_reg_t reg = gpr_map[high8 ? r - 4 : r];
	uint64_t old = reg_get(v, reg);

	if (high8)
		val = (old & ~0xff00ull) | ((val & 0xff) << 8);
	else if (size == 1)
		val = (old & ~0xffull) | (val & 0xff);
	else if (size == 2)
		val = (old & ~0xffffull) | (val & 0xffff);
	else if (size == 4)
		val &= 0xffffffff;
	reg_set(v, reg, val);
}

static uint64_t read_gpr(struct vcpu *v, unsigned r, bool high8,
			 unsigned size)
{
	uint64_t val = reg_get(v, gpr_map[high8 ? r - 4 : r]);

	if (high8)
		return (val >> 8) & 0xff;
	return size >= 8 ? val : val & ((1ull << (8 * size)) - 1);
}

/* Logic-instruction flags (SDM Vol. 2 AND/OR/TEST): CF = OF = 0, SF, ZF,
 * PF from the result; AF undefined (cleared). */
static void set_logic_flags(struct vcpu *v, uint64_t res, unsigned size)
{
	uint64_t f = reg_get(v, HV_X86_RFLAGS) & ~0x8d5ull;
	uint8_t low = (uint8_t)res;

	if (size < 8)
		res &= (1ull << (8 * size)) - 1;
	if (!res)
		f |= 0x40;
	if ((res >> (8 * size - 1)) & 1)
		f |= 0x80;
	low ^= low >> 4;
	low ^= low >> 2;
	low ^= low >> 1;
	if (!(low & 1))
		f |= 0x04;
	reg_set(v, HV_X86_RFLAGS, f);
}

static bool emulate(struct vcpu *v, uint64_t gpa, const struct mmio_insn *in)
{
	uint64_t val = 0, src;

	switch (in->op) {
	case MMIO_LOAD:
	case MMIO_LOAD_ZX:
	case MMIO_LOAD_SX:
		if (!board_mmio(v, gpa, in->size, false, &val))
			return false;
		if (in->op == MMIO_LOAD_SX)
			val = (uint64_t)(in->size == 1 ? (int64_t)(int8_t)val
						       : (int64_t)(int16_t)val);
		write_gpr(v, in->reg, in->high8,
			  in->op == MMIO_LOAD ? in->size : in->dst_size, val);
		return true;
	case MMIO_STORE:
	case MMIO_STORE_IMM:
		val = in->op == MMIO_STORE
			      ? read_gpr(v, in->reg, in->high8, in->size)
			      : in->imm;
		return board_mmio(v, gpa, in->size, true, &val);
	case MMIO_XCHG:
		src = read_gpr(v, in->reg, in->high8, in->size);
		if (!board_mmio(v, gpa, in->size, false, &val) ||
		    !board_mmio(v, gpa, in->size, true, &src))
			return false;
		write_gpr(v, in->reg, in->high8, in->size, val);
		return true;
	default: /* TEST, OR, AND */
		src = in->reg_src ? read_gpr(v, in->reg, in->high8, in->size)
				  : in->imm;
		if (!board_mmio(v, gpa, in->size, false, &val))
			return false;
		if (in->op == MMIO_TEST || in->op == MMIO_RMW_AND)
			val &= src;
		else
			val |= src;
		set_logic_flags(v, val, in->size);
		return in->op == MMIO_TEST ||
		       board_mmio(v, gpa, in->size, true, &val);
	}
}

int exit_ept_violation(struct vcpu *v, const struct exit_info *e)
{
	uint64_t gpa = vmcs_get(v, VMCS_GUEST_PHYSICAL_ADDRESS);
	const struct mem_region *m = gpa_region(gpa);
	bool write = (e->qual >> 1) & 1;
	struct mmio_insn in;
	uint8_t bytes[15];
	unsigned mode, n;

	/* Guest RAM: the framework filled the mapping; re-enter (§9.7). */
	if (m && !(m->rom && write))
		return 0;
	if (e->qual & 4) {  /* instruction fetch from a device page */
		cpu_dump(v, "fetch from MMIO");
		vm_stop(false, 1, "vCPU %u: instruction fetch from %#llx, "
			"which is not memory", v->index, (unsigned long long)gpa);
		return -1;
	}
	n = fetch_insn(v, bytes, sizeof(bytes), &mode);
	if (!mmio_decode(bytes, n, mode, &in)) {
		cpu_dump(v, "MMIO instruction");
		vm_stop(false, 1, "vCPU %u: cannot emulate the instruction "
			"(%02x %02x %02x %02x ...) accessing %#llx", v->index,
			bytes[0], bytes[1], bytes[2], bytes[3],
			(unsigned long long)gpa);
		return -1;
	}
	if (m) {  /* a write to ROM is dropped */
		trace("vCPU %u: write to ROM at %#llx ignored", v->index,
		      (unsigned long long)gpa);
	} else if (!emulate(v, gpa, &in)) {
		cpu_dump(v, "unassigned address");
		vm_stop(false, 1, "vCPU %u: %s of %u byte(s) at guest-physical "
			"%#llx: no memory or device there", v->index,
			write ? "write" : "read", in.size,
			(unsigned long long)gpa);
		return -1;
	}
	cpu_skip(v, in.len);
	return 0;
}
