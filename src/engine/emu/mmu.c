/* SPDX-License-Identifier: MIT */
/* Virtual-address accesses: segmentation checks, the soft TLB (linear
 * page -> host page, one table per access kind) and the slow path through
 * paging.c. Instruction fetch for the decoder. */
#include <string.h>

#include "sys.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the software engine assumes a little-endian host"
#endif

/* ------------------------------------------------------------------ */
/* Segmentation                                                        */

bool emu_canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static _Noreturn void seg_fault(struct emu_cpu *cpu, int seg)
{
	emu_raise(cpu, seg == SEG_SS ? EXC_SS : EXC_GP, 0);
}

/* Type checks of a protected-mode data access (SDM Vol. 3A, 5.5 and 5.6
 * via 3.4.5.1): unusable (null) segments, writes to code or read-only
 * data, reads of execute-only code. */
static void seg_type_check(struct emu_cpu *cpu, int seg, int acc)
{
	uint32_t ar = cpu->seg[seg].ar;
	unsigned type = ar & 0xf;

	if (ar & AR_UNUSABLE)
		seg_fault(cpu, seg);
	if ((acc & ACC_WRITE) && ((type & 8) || !(type & 2)))
		seg_fault(cpu, seg);
	if ((acc & ACC_READ) && (type & 8) && !(type & 2))
		seg_fault(cpu, seg);
}

/* Limit check, expand-up or expand-down (SDM Vol. 3A, 5.3). */
static void seg_limit_check(struct emu_cpu *cpu, int seg, uint64_t off,
			    unsigned size)
{
	const struct seg *s = &cpu->seg[seg];
	unsigned type = s->ar & 0xf;
	uint64_t last = off + size - 1;

	if (!(type & 8) && (type & 4) && (s->ar & 0x10)) {
		uint64_t upper = (s->ar & (1u << 14)) ? 0xffffffffull : 0xffff;

		if (off <= s->limit || last > upper)
			seg_fault(cpu, seg);
		return;
	}
	if (last > s->limit || last < off)
		seg_fault(cpu, seg);
}

uint64_t emu_seg_lin(struct emu_cpu *cpu, int seg, uint64_t off,
		     unsigned size, int acc)
{
	const struct seg *s = &cpu->seg[seg];

	if (cpu->mode == MODE_LONG) {
		/* 64-bit mode: only FS/GS bases, canonical check (SDM Vol.
		 * 3A, 3.3.7.1 and 5.3.1). */
		uint64_t lin = off;

		if (seg == SEG_FS || seg == SEG_GS)
			lin += s->base;
		if (!emu_canonical(lin) || !emu_canonical(lin + size - 1))
			seg_fault(cpu, seg);
		return lin;
	}
	if (cpu->mode != MODE_REAL && cpu->mode != MODE_V86)
		seg_type_check(cpu, seg, acc);
	seg_limit_check(cpu, seg, off, size);
	return (s->base + off) & 0xffffffffull;
}

/* ------------------------------------------------------------------ */
/* Soft TLB                                                            */

static uint64_t lin_wrap(const struct emu_cpu *cpu, uint64_t lin)
{
	return (cpu->efer & EFER_LMA) ? lin : lin & 0xffffffffull;
}

static inline unsigned tlb_idx(uint64_t lin)
{
	return emu_tlb_idx(lin);
}

static inline uint64_t tlb_tag(uint64_t lin, bool user)
{
	return emu_tlb_tag(lin, user);
}

static struct tlb_entry *tlb_table(struct emu_cpu *cpu, int acc)
{
	if (acc == ACC_WRITE)
		return cpu->tlb_w;
	if (acc == ACC_FETCH)
		return cpu->tlb_x;
	return cpu->tlb_r;
}

void emu_tlb_flush(struct emu_cpu *cpu)
{
	memset(cpu->tlb_r, 0, sizeof(cpu->tlb_r));
	memset(cpu->tlb_w, 0, sizeof(cpu->tlb_w));
	memset(cpu->tlb_x, 0, sizeof(cpu->tlb_x));
}

void emu_tlb_flush_page(struct emu_cpu *cpu, uint64_t lin)
{
	unsigned i = tlb_idx(lin);
	struct tlb_entry *t[3] = { &cpu->tlb_r[i], &cpu->tlb_w[i],
				   &cpu->tlb_x[i] };

	for (int k = 0; k < 3; k++)
		if ((t[k]->tag & ~0xfffull) == (lin & ~0xfffull))
			t[k]->tag = 0;
}

void emu_tlb_code_page(struct emu_cpu *cpu, const void *page)
{
	if (!page) {
		memset(cpu->tlb_w, 0, sizeof(cpu->tlb_w));
		return;
	}
	for (unsigned i = 0; i < TLB_SIZE; i++)
		if (cpu->tlb_w[i].tag && cpu->tlb_w[i].host == page)
			cpu->tlb_w[i].tag |= TLB_CODE;
}

static uint8_t *lin_slow(struct emu_cpu *cpu, uint64_t lin, int acc,
			 bool sys, unsigned size)
{
	bool user = !sys && cpu->cpl == 3, ok;
	uint64_t gpa;
	uint8_t *p = emu_translate(cpu, lin, acc, sys, false, &gpa, &ok);
	uint64_t page = gpa & ~0xfffull;
	struct tlb_entry *t = &tlb_table(cpu, acc)[tlb_idx(lin)];

	uint64_t code = 0;

	/* Writes to pages with decoded code are reported to the decode
	 * cache, through TLB_CODE entries on later hits. */
	if (acc == ACC_WRITE) {
		emu_decode_write(cpu, p, size);
		code = emu_decode_code_page(cpu, p) ? TLB_CODE : 0;
	}
	/* Every access to the APIC-access page is checked (vapic.c). */
	if (page == sys_of(cpu)->apic_page)
		ok = false;
	if (ok) {
		t->tag = tlb_tag(lin, user) | code;
		t->host = p - (lin & 0xfff);
		t->gpa = page;
	}
	return p;
}

/* Host pointer of the byte at linear lin for one access kind; the access
 * must not cross the page. */
static inline uint8_t *lin_ptr(struct emu_cpu *cpu, uint64_t lin, int acc,
			       bool sys, unsigned size)
{
	bool user = !sys && cpu->cpl == 3;
	struct tlb_entry *t = &tlb_table(cpu, acc)[tlb_idx(lin)];

	if (t->tag == tlb_tag(lin, user))
		return t->host + (lin & 0xfff);
	if (t->tag == (tlb_tag(lin, user) | TLB_CODE)) {
		emu_decode_write(cpu, t->host + (lin & 0xfff), size);
		return t->host + (lin & 0xfff);
	}
	return lin_slow(cpu, lin, acc, sys, size);
}

/* ------------------------------------------------------------------ */
/* Linear and virtual accesses                                         */

uint64_t emu_read_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		      bool sys)
{
	unsigned in_page = 0x1000 - (unsigned)(lin & 0xfff);
	uint64_t v = 0;

	if (size <= in_page) {
		memcpy(&v, lin_ptr(cpu, lin, ACC_READ, sys, size), size);
		return v;
	}
	uint8_t *a = lin_ptr(cpu, lin, ACC_READ, sys, in_page);
	uint8_t *b = lin_ptr(cpu, lin_wrap(cpu, lin + in_page), ACC_READ, sys,
			     size - in_page);

	memcpy(&v, a, in_page);
	memcpy((uint8_t *)&v + in_page, b, size - in_page);
	return v;
}

void emu_write_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		   uint64_t v, bool sys)
{
	unsigned in_page = 0x1000 - (unsigned)(lin & 0xfff);

	if (size <= in_page) {
		memcpy(lin_ptr(cpu, lin, ACC_WRITE, sys, size), &v, size);
		return;
	}
	/* Both pages are checked before either is written. */
	uint8_t *a = lin_ptr(cpu, lin, ACC_WRITE, sys, in_page);
	uint8_t *b = lin_ptr(cpu, lin_wrap(cpu, lin + in_page), ACC_WRITE,
			     sys, size - in_page);

	memcpy(a, &v, in_page);
	memcpy(b, (uint8_t *)&v + in_page, size - in_page);
}

/* Alignment check (SDM Vol. 3A, 6.15 "Interrupt 17"): CR0.AM, RFLAGS.AC,
 * CPL 3 and a misaligned operand. */
static void align_check(struct emu_cpu *cpu, uint64_t off, unsigned size)
{
	if ((off & (size - 1)) && cpu->cpl == 3 && (cpu->cr0 & CR0_AM) &&
	    (cpu->rflags & RF_AC) && (size & (size - 1)) == 0)
		emu_raise(cpu, EXC_AC, 0);
}

uint64_t emu_read(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size)
{
	uint64_t lin = emu_seg_lin(cpu, seg, off, size, ACC_READ);

	align_check(cpu, off, size);
	return emu_read_lin(cpu, lin, size, false);
}

void emu_write(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size,
	       uint64_t v)
{
	uint64_t lin = emu_seg_lin(cpu, seg, off, size, ACC_WRITE);

	align_check(cpu, off, size);
	emu_write_lin(cpu, lin, size, v, false);
}

void *emu_host_ptr(struct emu_cpu *cpu, int seg, uint64_t off,
		   unsigned size, int acc)
{
	uint64_t lin = emu_seg_lin(cpu, seg, off, size, acc);
	uint8_t *p = NULL;

	if ((lin & 0xfff) + size > 0x1000)
		return NULL;
	align_check(cpu, off, size);
	if (acc & ACC_READ)
		p = lin_ptr(cpu, lin, ACC_READ, false, size);
	if (acc & ACC_WRITE)
		p = lin_ptr(cpu, lin, ACC_WRITE, false, size);
	return p;
}

/* ------------------------------------------------------------------ */
/* Instruction fetch                                                   */

/* Bytes after the first page: never faults, stops where a fetch would. */
static unsigned fetch_more(struct emu_cpu *cpu, uint64_t lin, uint8_t *buf,
			   unsigned n)
{
	bool user = cpu->cpl == 3, ok;
	struct tlb_entry *t = &cpu->tlb_x[tlb_idx(lin)];
	uint64_t gpa;
	uint8_t *p;

	if (t->tag == tlb_tag(lin, user))
		p = t->host;
	else
		p = emu_translate(cpu, lin, ACC_FETCH, false, true, &gpa, &ok);
	if (!p)
		return 0;
	memcpy(buf, p, n);
	return n;
}

unsigned emu_fetch(struct emu_cpu *cpu, uint64_t lin, uint8_t *buf,
		   unsigned n)
{
	if (cpu->mode != MODE_LONG) {
		/* CS limit (SDM Vol. 3A, 5.3). */
		const struct seg *cs = &cpu->seg[SEG_CS];
		uint64_t off = (lin - cs->base) & 0xffffffffull;

		if (off > cs->limit)
			emu_raise(cpu, EXC_GP, 0);
		if (n > cs->limit - off + 1)
			n = (unsigned)(cs->limit - off + 1);
		lin &= 0xffffffffull;
	} else if (!emu_canonical(lin)) {
		emu_raise(cpu, EXC_GP, 0);
	}
	unsigned in_page = 0x1000 - (unsigned)(lin & 0xfff);
	unsigned c = n < in_page ? n : in_page;

	memcpy(buf, lin_ptr(cpu, lin, ACC_FETCH, false, c), c);
	if (c < n)
		c += fetch_more(cpu, lin_wrap(cpu, lin + c), buf + c, n - c);
	return c;
}
