/* SPDX-License-Identifier: MIT */
/* The decode cache and the instruction loop: decoded blocks (straight-
 * line runs of up to BLOCK_MAX instructions ending at a control transfer
 * or system instruction), looked up by linear address and executed by
 * emu_step (one instruction) and emu_run (many). Code pages are tracked
 * by guest-physical address so that writes to decoded bytes (self- and
 * cross-modifying code) invalidate them. */
#include "engine/emu/exec.h"

#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX 16
#define DC_BLOCKS 1024
#define DC_PAGES 512
#define GRANULE_SHIFT 6     /* code tracked in 64-byte granules */

struct dblock {
	uint64_t lin;        /* linear address of the first instruction */
	uint32_t gen;        /* cache generation it was decoded in */
	uint8_t n;           /* instructions */
	uint8_t stop;        /* the last one is a system instruction */
	struct insn in[BLOCK_MAX];
};

struct dpage {
	uint64_t gpa;        /* page address | 1, or 0 if free */
	uint64_t code;       /* granules holding decoded bytes */
};

/* Valid for one (CR3, mode, CS size) context and one generation; a
 * write to a code granule, a flush or a context change starts a new
 * generation, which drops every block at once. */
struct dcache {
	uint32_t gen;
	unsigned npages;
	uint64_t cr3;
	int mode;
	unsigned csz;
	struct dpage pages[DC_PAGES];
	struct dblock blk[DC_BLOCKS];
};

_Static_assert(BLOCK_MAX <= 255, "block length fits dblock.n");

/* ---------------------------------------------------------------- */
/* Code pages. */

static unsigned page_hash(uint64_t gpa)
{
	return (unsigned)((gpa >> 12) * 0x9e3779b1u) & (DC_PAGES - 1);
}

static struct dpage *page_find(struct dcache *dc, uint64_t gpa)
{
	uint64_t key = (gpa & ~0xfffull) | 1;

	for (unsigned i = page_hash(gpa), n = 0; n < DC_PAGES;
	     i = (i + 1) & (DC_PAGES - 1), n++) {
		if (dc->pages[i].gpa == key)
			return &dc->pages[i];
		if (!dc->pages[i].gpa)
			return NULL;
	}
	return NULL;
}

static struct dpage *page_add(struct dcache *dc, uint64_t gpa)
{
	uint64_t key = (gpa & ~0xfffull) | 1;
	unsigned i = page_hash(gpa);

	while (dc->pages[i].gpa && dc->pages[i].gpa != key)
		i = (i + 1) & (DC_PAGES - 1);
	if (!dc->pages[i].gpa) {
		dc->pages[i].gpa = key;
		dc->pages[i].code = 0;
		dc->npages++;
	}
	return &dc->pages[i];
}

/* Granule bits covering [off, off + n) within one page (n >= 1). */
static uint64_t granules(uint64_t off, uint64_t n)
{
	unsigned first = (unsigned)(off & 0xfff) >> GRANULE_SHIFT;
	unsigned last = (unsigned)((off & 0xfff) + n - 1) >> GRANULE_SHIFT;
	uint64_t hi = last >= 63 ? ~0ull : (2ull << last) - 1;

	return hi & ~((1ull << first) - 1);
}

static void invalidate_all(struct dcache *dc)
{
	if (++dc->gen == 0) {
		for (unsigned i = 0; i < DC_BLOCKS; i++)
			dc->blk[i].lin = ~0ull;
		dc->gen = 1;
	}
}

/* Forget every block and every code page. */
static void clear_all(struct dcache *dc)
{
	memset(dc->pages, 0, sizeof(dc->pages));
	dc->npages = 0;
	invalidate_all(dc);
}

/* Record the bytes of an instruction of len bytes at lin, whose first
 * byte is at guest-physical g0. */
static void mark_code(struct emu_cpu *cpu, struct dcache *dc, uint64_t lin,
		      uint64_t g0, unsigned len)
{
	uint64_t last = lin + len - 1;
	unsigned n0 = len;

	if ((last ^ lin) >> 12) {
		uint64_t g1 = emu_fetch_gpa(cpu, last);

		n0 = 0x1000 - (unsigned)(lin & 0xfff);
		page_add(dc, g1)->code |= granules(g1 & ~0xfffull, len - n0);
	}
	page_add(dc, g0)->code |= granules(g0, n0);
}

/* ---------------------------------------------------------------- */
/* Blocks. */

static unsigned block_hash(uint64_t lin)
{
	return (unsigned)(lin ^ (lin >> 10)) & (DC_BLOCKS - 1);
}

static bool context_ok(const struct dcache *dc, const struct emu_cpu *cpu)
{
	return dc->cr3 == cpu->cr3 && dc->mode == (int)cpu->mode &&
	       dc->csz == cpu->code_size;
}

__attribute__((noinline, cold))
static struct dcache *dcache_create(struct emu_cpu *cpu)
{
	struct dcache *dc = calloc(1, sizeof(*dc));

	if (!dc)
		return NULL;
	for (unsigned i = 0; i < DC_BLOCKS; i++)
		dc->blk[i].lin = ~0ull;
	dc->gen = 1;
	cpu->decode_cache = dc;
	return dc;
}

/* Decodes the block at lin. The first instruction may fault (it is the
 * one about to execute); later ones are decoded ahead only in 64-bit
 * mode (no CS limit) and only while a 15-byte instruction fits in the
 * same page, so decoding ahead never faults; an invalid encoding there
 * just ends the block. */
static void block_build(struct emu_cpu *cpu, struct dcache *dc,
			struct dblock *b, uint64_t lin, unsigned max)
{
	uint64_t at = lin, g0, page_end = (lin | 0xfff) + 1;
	bool end = false;

	b->lin = ~0ull;
	b->n = 0;
	emu_decode_at(cpu, &b->in[0], lin, false, &end);
	g0 = emu_fetch_gpa(cpu, lin);
	if (dc->npages + 2 > DC_PAGES * 3 / 4)
		clear_all(dc);
	for (;;) {
		mark_code(cpu, dc, at, g0 + (at - lin), b->in[b->n].len);
		at += b->in[b->n].len;
		b->n++;
		if (end || b->n == max || cpu->mode != MODE_LONG ||
		    at + 15 > page_end || (at ^ lin) >> 12)
			break;
		if (!emu_decode_at(cpu, &b->in[b->n], at, true, &end))
			break;
	}
	b->stop = end;
	b->gen = dc->gen;
	b->lin = lin;
}

static inline const struct dblock *block_lookup(struct emu_cpu *cpu)
{
	const struct dcache *dc = cpu->decode_cache;
	uint64_t lin = cpu->seg[SEG_CS].base + cpu->rip;
	const struct dblock *b;

	if (!dc || !context_ok(dc, cpu))
		return NULL;
	b = &dc->blk[block_hash(lin)];
	if (b->lin != lin || b->gen != dc->gen)
		return NULL;
	return b;
}

/* Miss: create the cache or follow a context change, then decode a block
 * of at most max instructions. A host without memory for the cache
 * decodes into a one-instruction block. */
__attribute__((noinline, cold))
static const struct dblock *block_lookup_slow(struct emu_cpu *cpu,
					      unsigned max)
{
	static _Thread_local struct dblock single;
	struct dcache *dc = cpu->decode_cache;
	uint64_t lin = cpu->seg[SEG_CS].base + cpu->rip;
	struct dblock *b;

	if (!dc)
		dc = dcache_create(cpu);
	if (!dc) {
		emu_decode(cpu, &single.in[0]);
		single.n = 1;
		single.stop = 1;
		return &single;
	}
	if (!context_ok(dc, cpu)) {
		dc->cr3 = cpu->cr3;
		dc->mode = cpu->mode;
		dc->csz = cpu->code_size;
		invalidate_all(dc);
	}
	b = &dc->blk[block_hash(lin)];
	if (b->lin != lin || b->gen != dc->gen)
		block_build(cpu, dc, b, lin, max);
	return b;
}

static inline const struct dblock *block_at_rip(struct emu_cpu *cpu,
						unsigned max)
{
	const struct dblock *b = block_lookup(cpu);

	return __builtin_expect(b != NULL, 1) ? b
					       : block_lookup_slow(cpu, max);
}

/* Executes one decoded instruction: RIP and RSP before it are kept for
 * faults (SDM Vol. 3C, 27.1), RIP moves past it, the handler runs.
 * Returns the sequential next RIP. */
static inline uint64_t exec_insn(struct emu_cpu *cpu, const struct insn *in,
				 uint64_t ipmask)
{
	uint64_t rip = cpu->rip, next = (rip + in->len) & ipmask;

	cpu->insn_rip = rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = in;
	cpu->rip = next;
	in->fn(cpu, in);
	return next;
}

static inline uint64_t ip_mask(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_LONG ? ~0ull : 0xffffffffull;
}

/* The shadow of STI/MOV SS/POP SS covers only the boundary before the
 * next instruction (SDM Vol. 3A, 6.8.3), which the run loop has passed
 * when it calls in; those instructions end emu_run, so clearing it on
 * entry is enough. */
void emu_step(struct emu_cpu *cpu)
{
	const struct dblock *b;

	cpu->intr_shadow = 0;
	/* Set before decoding: a decode fault reports this instruction. */
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	/* A one-instruction block: stepping never pays for decoding ahead. */
	b = block_at_rip(cpu, 1);
	exec_insn(cpu, &b->in[0], ip_mask(cpu));
}

/* Runs the instructions of block b; returns how many ran. A taken
 * branch, a restarting REP or a write to decoded code (new generation)
 * ends the block early. */
static inline unsigned run_block(struct emu_cpu *cpu, const struct dblock *b,
				 uint64_t ipmask)
{
	const struct dcache *dc = cpu->decode_cache;
	const struct insn *in = b->in, *last = b->in + b->n - 1;
	uint32_t gen = dc->gen;

	for (;; in++) {
		uint64_t next = exec_insn(cpu, in, ipmask);

		if (in == last || cpu->rip != next || dc->gen != gen)
			return (unsigned)(in - b->in) + 1;
	}
}

unsigned emu_run(struct emu_cpu *cpu, unsigned max)
{
	uint64_t ipmask = ip_mask(cpu);
	unsigned n = 0;

	if (cpu->rflags & RF_TF) {
		emu_step(cpu);
		return 1;
	}
	cpu->intr_shadow = 0;
	while (n < max) {
		const struct dblock *b;

		cpu->insn_rip = cpu->rip;
		cpu->insn_rsp = cpu->gpr[4];
		b = block_at_rip(cpu, BLOCK_MAX);
		if (__builtin_expect(!cpu->decode_cache, 0)) {
			exec_insn(cpu, &b->in[0], ipmask);
			return n + 1;
		}
		n += run_block(cpu, b, ipmask);
		if (b->stop || cpu->halted)
			break;
	}
	return n;
}

/* ---------------------------------------------------------------- */
/* Contract with the MMU and the run loop (cpu.h). */

void emu_decode_flush(struct emu_cpu *cpu)
{
	if (cpu->decode_cache)
		clear_all(cpu->decode_cache);
}

bool emu_decode_has_page(struct emu_cpu *cpu, uint64_t gpa)
{
	return cpu->decode_cache && page_find(cpu->decode_cache, gpa);
}

void emu_decode_write_gpa(struct emu_cpu *cpu, uint64_t gpa, unsigned size)
{
	struct dcache *dc = cpu->decode_cache;
	uint64_t last = gpa + size - 1;
	struct dpage *pg;
	bool hit;

	if (!dc || !size)
		return;
	pg = page_find(dc, gpa);
	if ((last ^ gpa) >> 12) {
		struct dpage *pg1 = page_find(dc, last);
		unsigned n0 = 0x1000 - (unsigned)(gpa & 0xfff);

		hit = pg1 && (pg1->code & granules(0, size - n0));
		hit = hit || (pg && (pg->code & granules(gpa, n0)));
	} else {
		hit = pg && (pg->code & granules(gpa, size));
	}
	if (hit)
		clear_all(dc);
}

void emu_decode_free(struct emu_cpu *cpu)
{
	free(cpu->decode_cache);
	cpu->decode_cache = NULL;
}
