/* SPDX-License-Identifier: MIT */
/* The decode cache and the instruction loop: decoded blocks (straight-
 * line runs of up to BLOCK_MAX instructions ending at a control transfer
 * or system instruction), keyed by the host address of their first byte
 * and the decoding mode, executed by emu_step (one instruction) and
 * emu_run (many). The VM's code map, shared by its vCPUs, records which
 * 64-byte granules of which host pages hold decoded bytes and a
 * generation per page that writes to those granules bump (self- and
 * cross-modifying code, SDM Vol. 3A, 9.1.3). See docs/design.md,
 * "Decode cache". */
#include "engine/emu/exec.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX 16
#define DC_BLOCKS 16384
#define CM_PAGES (1u << 18)  /* code-map buckets (host page number mod) */
#define GRANULE_SHIFT 6      /* code tracked in 64-byte granules */

struct codemap {
	_Atomic uint64_t code[CM_PAGES]; /* granules holding decoded bytes */
	_Atomic uint32_t gen[CM_PAGES];  /* bumped when one is written */
	_Atomic uint32_t epoch;          /* bumped when a page gains code */
};

struct dblock {
	const uint8_t *host;  /* host address of the first byte, or NULL */
	const uint8_t *host1; /* next page when the instruction crosses */
	uint64_t sum;         /* checksum of the bytes */
	uint32_t key;         /* decoding mode (mode_key) */
	uint32_t epoch;       /* entry epoch of the last content check */
	uint32_t i0, i1;      /* code-map buckets of both pages */
	uint32_t g0, g1;      /* their generations before decoding */
	uint16_t len0, len1;  /* bytes in each page */
	uint8_t n;            /* instructions */
	uint8_t stop;         /* the last one returns to the run loop */
	struct insn in[BLOCK_MAX];
};

struct dcache {
	struct codemap *cm;
	bool own_cm;          /* no VM map (engine unit tests) */
	uint32_t epoch;       /* VM entries */
	uint32_t cm_epoch;    /* code-map epoch this vCPU has caught up to */
	uint32_t inval;       /* bumped when this vCPU drops code */
	struct dblock blk[DC_BLOCKS];
};

_Static_assert(BLOCK_MAX <= 255, "block length fits dblock.n");

/* ---------------------------------------------------------------- */
/* The code map. */

void *emu_codemap_create(void)
{
	return calloc(1, sizeof(struct codemap));
}

void emu_codemap_free(void *cm)
{
	free(cm);
}

static inline unsigned cm_idx(const void *p)
{
	return (unsigned)((uintptr_t)p >> 12) & (CM_PAGES - 1);
}

/* Granule bits covering [off, off + n) within one page (n >= 1). */
static uint64_t granules(uint64_t off, uint64_t n)
{
	unsigned first = (unsigned)(off & 0xfff) >> GRANULE_SHIFT;
	unsigned last = (unsigned)((off & 0xfff) + n - 1) >> GRANULE_SHIFT;
	uint64_t hi = last >= 63 ? ~0ull : (2ull << last) - 1;

	return hi & ~((1ull << first) - 1);
}

/* Records n decoded bytes at host address p. A page that had none
 * becomes a code page: this vCPU's write-TLB entries for it get
 * TLB_CODE now, the other vCPUs' at their next poll (epoch). */
static void mark_code(struct emu_cpu *cpu, struct dcache *dc,
		      const uint8_t *p, unsigned n)
{
	struct codemap *cm = dc->cm;
	uint64_t bits = granules((uintptr_t)p, n);
	unsigned i = cm_idx(p);
	uint64_t old = atomic_load_explicit(&cm->code[i],
					    memory_order_relaxed);

	if ((old & bits) == bits)
		return;
	old = atomic_fetch_or(&cm->code[i], bits);
	if (old)
		return;
	emu_tlb_code_page(cpu, (const void *)((uintptr_t)p & ~(uintptr_t)0xfff));
	if (atomic_fetch_add(&cm->epoch, 1) == dc->cm_epoch)
		dc->cm_epoch++;
}

bool emu_decode_code_page(struct emu_cpu *cpu, const void *p)
{
	struct codemap *cm = cpu->codemap;

	return cm && atomic_load_explicit(&cm->code[cm_idx(p)],
					  memory_order_relaxed) != 0;
}

void emu_decode_write(struct emu_cpu *cpu, const void *p, unsigned size)
{
	struct codemap *cm = cpu->codemap;
	struct dcache *dc = cpu->decode_cache;
	unsigned i = cm_idx(p);
	uint64_t bits, hit;

	if (!cm || !size)
		return;
	bits = granules((uintptr_t)p, size);
	hit = atomic_load_explicit(&cm->code[i], memory_order_relaxed) & bits;
	if (!hit)
		return;
	atomic_fetch_and(&cm->code[i], ~hit);
	atomic_fetch_add(&cm->gen[i], 1);
	if (dc)
		dc->inval++;
}

void emu_decode_poll(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;
	uint32_t e;

	if (!dc)
		return;
	e = atomic_load_explicit(&dc->cm->epoch, memory_order_relaxed);
	if (e != dc->cm_epoch) {
		dc->cm_epoch = e;
		emu_tlb_code_page(cpu, NULL);
	}
}

/* ---------------------------------------------------------------- */
/* Blocks. */

static inline uint32_t mode_key(const struct emu_cpu *cpu)
{
	return (uint32_t)cpu->mode << 4 | cpu->code_size;
}

static inline unsigned block_hash(const uint8_t *host)
{
	uintptr_t h = (uintptr_t)host;

	return (unsigned)(h ^ (h >> 11) ^ (h >> 22)) & (DC_BLOCKS - 1);
}

static inline uint64_t code_lin(const struct emu_cpu *cpu)
{
	uint64_t lin = cpu->seg[SEG_CS].base + cpu->rip;

	return cpu->mode == MODE_LONG ? lin : (uint32_t)lin;
}

/* Host address of the code byte at lin from the fetch TLB, or NULL. */
static inline const uint8_t *code_host(const struct emu_cpu *cpu,
				       uint64_t lin)
{
	const struct tlb_entry *t = &cpu->tlb_x[emu_tlb_idx(lin)];

	if (t->tag == emu_tlb_tag(lin, cpu->cpl == 3))
		return t->host + (lin & 0xfff);
	return NULL;
}

static uint64_t checksum(const uint8_t *p, unsigned n, uint64_t h)
{
	for (unsigned i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t block_sum(const struct dblock *b)
{
	uint64_t h = checksum(b->host, b->len0, 0xcbf29ce484222325ull);

	return b->host1 ? checksum(b->host1, b->len1, h) : h;
}

static inline bool gens_ok(const struct codemap *cm, const struct dblock *b)
{
	return atomic_load_explicit(&cm->gen[b->i0], memory_order_relaxed) ==
	       b->g0 &&
	       atomic_load_explicit(&cm->gen[b->i1], memory_order_relaxed) ==
	       b->g1;
}

__attribute__((noinline, cold))
static struct dcache *dcache_create(struct emu_cpu *cpu)
{
	struct dcache *dc = calloc(1, sizeof(*dc));

	if (!dc)
		return NULL;
	if (!cpu->codemap) {
		cpu->codemap = emu_codemap_create();
		if (!cpu->codemap) {
			free(dc);
			return NULL;
		}
		dc->own_cm = true;
	}
	dc->cm = cpu->codemap;
	dc->cm_epoch = atomic_load(&dc->cm->epoch);
	cpu->decode_cache = dc;
	return dc;
}

/* The host address of the code byte at lin: a fetch of one byte first
 * raises what fetching there raises (CS limit, #PF, EPT) and fills the
 * fetch TLB; NULL if the page is not cached there (APIC-access page). */
static const uint8_t *code_ptr(struct emu_cpu *cpu, uint64_t lin)
{
	const uint8_t *p = code_host(cpu, lin);
	uint8_t byte;

	if (p)
		return p;
	emu_fetch(cpu, lin, &byte, 1);
	return code_host(cpu, lin);
}

/* Decodes the block at lin (host address host). The first instruction
 * may fault (it is the one about to execute); later ones are decoded
 * ahead only in 64-bit mode (no CS limit) and only while a 15-byte
 * instruction fits in the same page, so decoding ahead never faults and
 * only a block's first instruction can cross a page; an invalid encoding
 * there just ends the block. Returns false if the block cannot be
 * cached (its second page is not in the fetch TLB). */
static bool block_build(struct emu_cpu *cpu, struct dcache *dc,
			struct dblock *b, uint64_t lin, const uint8_t *host,
			unsigned max)
{
	uint64_t at = lin, page_end = (lin | 0xfff) + 1;
	struct codemap *cm = dc->cm;
	bool end = false, stop = false;
	unsigned total;

	b->host = NULL;
	b->n = 0;
	b->i0 = b->i1 = cm_idx(host);
	b->g0 = b->g1 = atomic_load(&cm->gen[b->i0]);
	emu_decode_at(cpu, &b->in[0], lin, false, &end, &stop);
	for (;;) {
		at += b->in[b->n].len;
		b->n++;
		if (end || b->n == max || cpu->mode != MODE_LONG ||
		    at + 15 > page_end)
			break;
		if (!emu_decode_at(cpu, &b->in[b->n], at, true, &end, &stop))
			break;
	}
	total = (unsigned)(at - lin);
	b->len0 = (uint16_t)(total < page_end - lin ? total : page_end - lin);
	b->len1 = (uint16_t)(total - b->len0);
	b->host1 = NULL;
	if (b->len1) {
		b->host1 = code_ptr(cpu, cpu->mode == MODE_LONG ? page_end :
				    (uint32_t)page_end);
		if (!b->host1)
			return false;
		b->i1 = cm_idx(b->host1);
		b->g1 = atomic_load(&cm->gen[b->i1]);
		mark_code(cpu, dc, b->host1, b->len1);
	}
	mark_code(cpu, dc, host, b->len0);
	b->stop = stop;
	b->key = mode_key(cpu);
	b->epoch = dc->epoch;
	b->host = host;
	b->sum = block_sum(b);
	return true;
}

/* A block found under its key decoded the same bytes if no write was
 * reported since (generations), the client wrote nothing there between
 * runs (checksum, once per entry) and, for a page-crossing instruction,
 * the next linear page still maps the same host page. */
static bool block_current(struct emu_cpu *cpu, struct dcache *dc,
			  struct dblock *b, uint64_t lin)
{
	if (!gens_ok(dc->cm, b))
		return false;
	if (b->host1) {
		uint64_t next = (lin | 0xfff) + 1;

		if (code_ptr(cpu, cpu->mode == MODE_LONG ? next :
			     (uint32_t)next) != b->host1)
			return false;
	}
	if (b->epoch != dc->epoch) {
		if (block_sum(b) != b->sum)
			return false;
		b->epoch = dc->epoch;
	}
	return true;
}

static inline const struct dblock *block_lookup(struct emu_cpu *cpu)
{
	const struct dcache *dc = cpu->decode_cache;
	const uint8_t *host;
	const struct dblock *b;

	if (!dc)
		return NULL;
	host = code_host(cpu, code_lin(cpu));
	if (!host)
		return NULL;
	b = &dc->blk[block_hash(host)];
	if (b->host != host || b->key != mode_key(cpu) ||
	    b->epoch != dc->epoch || b->host1 || !gens_ok(dc->cm, b))
		return NULL;
	return b;
}

/* Miss: create the cache, translate RIP, check or (re)decode the block
 * of at most max instructions. Code that cannot be cached (no memory for
 * the cache, a page outside the fetch TLB) runs from a one-instruction
 * block decoded each time. */
__attribute__((noinline, cold))
static const struct dblock *block_lookup_slow(struct emu_cpu *cpu,
					      unsigned max)
{
	static _Thread_local struct dblock single;
	struct dcache *dc = cpu->decode_cache;
	uint64_t lin = code_lin(cpu);
	const uint8_t *host;
	struct dblock *b;

	if (!dc)
		dc = dcache_create(cpu);
	host = dc ? code_ptr(cpu, lin) : NULL;
	if (host) {
		b = &dc->blk[block_hash(host)];
		if (b->host == host && b->key == mode_key(cpu) &&
		    block_current(cpu, dc, b, lin))
			return b;
		if (block_build(cpu, dc, b, lin, host, max))
			return b;
	}
	emu_decode(cpu, &single.in[0]);
	single.n = 1;
	single.stop = 1;
	return &single;
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

	cpu->shadow_saved = (uint8_t)cpu->intr_shadow;
	cpu->intr_shadow = 0;
	/* Set before decoding: a decode fault reports this instruction. */
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	/* A one-instruction block: stepping never pays for decoding ahead. */
	b = block_at_rip(cpu, 1);
	exec_insn(cpu, &b->in[0], ip_mask(cpu));
	cpu->shadow_saved = 0;
}

/* Runs the instructions of block b; returns how many ran. A taken
 * branch, a restarting REP or a write to decoded code ends the block
 * early. */
static inline unsigned run_block(struct emu_cpu *cpu, const struct dblock *b,
				 uint64_t ipmask)
{
	const struct dcache *dc = cpu->decode_cache;
	const struct insn *in = b->in, *last = b->in + b->n - 1;
	uint32_t inval = dc->inval;

	for (;; in++) {
		uint64_t next = exec_insn(cpu, in, ipmask);

		if (in == last || cpu->rip != next || dc->inval != inval)
			return (unsigned)(in - b->in) + 1;
	}
}

/* Kept out of line so that emu_run's block loop stays as compact as
 * before the shadow case existed. */
__attribute__((noinline)) static unsigned emu_run_one(struct emu_cpu *cpu)
{
	emu_step(cpu);
	return 1;
}

unsigned emu_run(struct emu_cpu *cpu, unsigned max)
{
	uint64_t ipmask = ip_mask(cpu);
	unsigned n = 0;

	/* Single-step, and the one instruction under an STI/MOV-SS shadow,
	 * run alone. */
	if (__builtin_expect((cpu->rflags & RF_TF) || cpu->intr_shadow, 0))
		return emu_run_one(cpu);
	cpu->shadow_saved = 0;
	while (n < max) {
		const struct dblock *b;

		cpu->insn_rip = cpu->rip;
		cpu->insn_rsp = cpu->gpr[4];
		cpu->cur = NULL;
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
	(void)cpu;
}

void emu_decode_reset(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (!dc)
		return;
	for (unsigned i = 0; i < DC_BLOCKS; i++)
		dc->blk[i].host = NULL;
}

void emu_decode_enter(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (dc)
		dc->epoch++;
}

void emu_decode_free(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (dc && dc->own_cm) {
		emu_codemap_free(cpu->codemap);
		cpu->codemap = NULL;
	}
	free(dc);
	cpu->decode_cache = NULL;
}
