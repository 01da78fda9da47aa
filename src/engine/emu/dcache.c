/* SPDX-License-Identifier: MIT */
/* The decode cache and the instruction loop: decoded blocks (straight-
 * line runs of up to BLOCK_MAX instructions ending at a control transfer
 * or system instruction), keyed by the host address of their first byte
 * and the decoding mode, executed by emu_step (one instruction) and
 * emu_run (many). The VM's code map, shared by its vCPUs, records which
 * 64-byte granules of which host pages hold decoded bytes and a
 * generation per page that writes to those granules bump (self- and
 * cross-modifying code, SDM Vol. 3A, 9.1.3). Blocks link to the blocks
 * that followed them (chaining), so the loop mostly skips the lookup.
 * See docs/design.md, "Decode cache". */
#include "engine/emu/exec.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_MAX 16
#define DC_BLOCKS 16384
#define CM_PAGES (1u << 18)  /* code-map buckets (host page number mod) */
#define GRANULE_SHIFT 6      /* code tracked in 64-byte granules */
#define JC_SIZE 4096         /* links by RIP, for targets that vary */

struct codemap {
	_Atomic uint64_t code[CM_PAGES]; /* granules holding decoded bytes */
	_Atomic uint32_t gen[CM_PAGES];  /* bumped when one is written */
	_Atomic uint32_t epoch;          /* bumped when a page gains code */
	_Atomic uint32_t wgen;           /* bumped with any gen[] */
};

/* A block's link to a successor: the RIP it started at, its slot and the
 * link clock when the link was made. */
struct link {
	uint64_t rip;
	uint32_t blk;
	uint32_t t;
};

/* The header of a block: what the lookup and the loop read, one cache
 * line; the instructions and what only a miss reads are in the body. */
struct dblock {
	const uint8_t *host;  /* host address of the first byte, or NULL */
	uint32_t key;         /* decoding mode (mode_key) */
	uint32_t epoch;       /* entry epoch of the last content check */
	uint32_t i0, g0;      /* code-map bucket of the first page, its
			       * generation before decoding */
	uint32_t built;       /* link clock when decoded */
	uint8_t n;            /* instructions */
	uint8_t stop;         /* the last one returns to the run loop */
	uint8_t pad;
	uint8_t cross;        /* the first instruction crosses a page */
	struct link link[2];
};

struct dbody {
	const uint8_t *host1; /* next page when the instruction crosses */
	uint64_t sum;         /* checksum of the bytes */
	uint32_t i1, g1;      /* code-map bucket and generation of host1 */
	uint16_t len0, len1;  /* bytes in each page */
	struct insn in[BLOCK_MAX];
};

/* Slot DC_BLOCKS holds code that cannot be cached (decoded each time). */
#define DC_SPARE DC_BLOCKS

struct dcache {
	_Alignas(64) struct dblock blk[DC_BLOCKS + 1];
	struct dbody body[DC_BLOCKS + 1];
	/* Links by RIP alone: the successors of returns and indirect
	 * branches vary more than a block's two links hold. */
	struct link jc[JC_SIZE];
	void *raw;            /* the allocation (aligned by hand) */
	struct codemap *cm;
	bool own_cm;          /* no VM map (engine unit tests) */
	bool chain;           /* links survive into the next emu_run */
	uint32_t epoch;       /* VM entries */
	uint32_t cm_epoch;    /* code-map epoch this vCPU has caught up to */
	/* The last instruction the running block executes: a write to
	 * decoded code moves it to the current one. */
	const struct insn *end;
	uint32_t wgen;        /* code-map wgen the links were made under */
	uint32_t clock;       /* link clock: ticks at builds, invalidations */
	uint32_t valid_from;  /* links made before this tick are stale */
};

_Static_assert(sizeof(struct dblock) == 64, "a block header is one line");
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
	atomic_fetch_add(&cm->wgen, 1);
	if (dc)
		dc->end = cpu->cur;
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
/* Keys, translation and contents. */

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

static inline struct dbody *body_of(struct dcache *dc, const struct dblock *b)
{
	return &dc->body[b - dc->blk];
}

static uint64_t checksum(const uint8_t *p, unsigned n, uint64_t h)
{
	for (unsigned i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t block_sum(const struct dblock *b, const struct dbody *d)
{
	uint64_t h = checksum(b->host, d->len0, 0xcbf29ce484222325ull);

	return d->host1 ? checksum(d->host1, d->len1, h) : h;
}

static inline bool gen_ok(const struct codemap *cm, uint32_t i, uint32_t g)
{
	return atomic_load_explicit(&cm->gen[i], memory_order_relaxed) == g;
}

/* ---------------------------------------------------------------- */
/* Links. A link records that, under the current translation, RIP r
 * starts the block in slot s. The translation (paging, the soft TLB, CS,
 * CPL, the mode) changes only in instructions that return to the run
 * loop, in faults and exits (which leave emu_run by longjmp), between
 * runs and in emu_decode_flush/reset: so links stay valid from one
 * emu_run to the next only when it ended on its instruction budget or
 * after one of the few stopping instructions that change none of it,
 * and every other case drops them all by advancing valid_from. A link
 * also goes stale when its slot is decoded again (built) or when any
 * vCPU writes decoded code (the code map's wgen). */

/* Once in 2^32 ticks every link and build time restarts (the blocks
 * themselves stay valid). */
__attribute__((noinline, cold)) static void clock_wrap(struct dcache *dc)
{
	for (unsigned i = 0; i <= DC_BLOCKS; i++) {
		dc->blk[i].built = 0;
		dc->blk[i].link[0].t = 0;
		dc->blk[i].link[1].t = 0;
	}
	for (unsigned i = 0; i < JC_SIZE; i++)
		dc->jc[i].t = 0;
	dc->clock = 1;
	dc->valid_from = 1;
}

static uint32_t clock_tick(struct dcache *dc)
{
	if (__builtin_expect(dc->clock == UINT32_MAX, 0))
		clock_wrap(dc);
	return ++dc->clock;
}

static void links_drop(struct dcache *dc)
{
	dc->valid_from = clock_tick(dc);
}

/* Link l leads from RIP rip to a block (the code map's wgen aside). */
static inline bool link_ok(const struct dcache *dc, const struct link *l,
			   uint64_t rip)
{
	return l->rip == rip && l->t >= dc->valid_from &&
	       dc->blk[l->blk].built <= l->t;
}

static inline unsigned jc_hash(uint64_t rip)
{
	return (unsigned)(rip ^ (rip >> 12) ^ (rip >> 24)) & (JC_SIZE - 1);
}

/* What the translation of RIP depends on besides the soft TLB (whose
 * flushes inside instructions come with emu_decode_flush): CS base, the
 * mode and CS size (the key), CPL (user fetch-TLB tags), and the paging
 * registers (SDM Vol. 3A, 4.1.1). */
struct xlat {
	uint64_t cs_base, cr0, cr3, cr4, efer;
	uint32_t key;
	int cpl;
};

static void xlat_get(const struct emu_cpu *cpu, struct xlat *x)
{
	x->cs_base = cpu->seg[SEG_CS].base;
	x->cr0 = cpu->cr0;
	x->cr3 = cpu->cr3;
	x->cr4 = cpu->cr4;
	x->efer = cpu->efer;
	x->key = mode_key(cpu);
	x->cpl = cpu->cpl;
}

static bool xlat_same(const struct xlat *a, const struct xlat *b)
{
	return a->cs_base == b->cs_base && a->cr0 == b->cr0 &&
	       a->cr3 == b->cr3 && a->cr4 == b->cr4 && a->efer == b->efer &&
	       a->key == b->key && a->cpl == b->cpl;
}

/* ---------------------------------------------------------------- */
/* Blocks. */

__attribute__((noinline, cold))
static struct dcache *dcache_create(struct emu_cpu *cpu)
{
	/* calloc, for the lazily zeroed pages of a large allocation;
	 * aligned by hand so that each block header is one cache line. */
	void *raw = calloc(1, sizeof(struct dcache) + 63);
	struct dcache *dc;

	if (!raw)
		return NULL;
	dc = (struct dcache *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
	dc->raw = raw;
	if (!cpu->codemap) {
		cpu->codemap = emu_codemap_create();
		if (!cpu->codemap) {
			free(raw);
			return NULL;
		}
		dc->own_cm = true;
	}
	dc->cm = cpu->codemap;
	dc->cm_epoch = atomic_load(&dc->cm->epoch);
	dc->wgen = atomic_load(&dc->cm->wgen);
	dc->clock = 1;
	dc->valid_from = 1;
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

/* A string instruction with REP: it goes back to itself (RIP unchanged)
 * after a chunk of elements, so it ends its block like a branch. */
static bool rep_string(const struct insn *in)
{
	return in->rep && in->map == 0 &&
	       ((in->op >= 0x6c && in->op <= 0x6f) ||
		(in->op >= 0xa4 && in->op <= 0xa7) ||
		(in->op >= 0xaa && in->op <= 0xaf));
}

/* Decodes the block at lin (host address host). The first instruction
 * may fault (it is the one about to execute); later ones are decoded
 * ahead only in 64-bit mode (no CS limit) and only while a 15-byte
 * instruction fits in the same page, so decoding ahead never faults and
 * only a block's first instruction can cross a page; an invalid encoding
 * there just ends the block. Within a block only the last instruction
 * may change RIP other than by its length (a branch, a REP string
 * restart), so the loop never compares RIP mid-block. Returns false if
 * the block cannot be cached (its second page is not in the fetch
 * TLB). */
static bool block_build(struct emu_cpu *cpu, struct dcache *dc,
			struct dblock *b, uint64_t lin, const uint8_t *host,
			unsigned max)
{
	uint64_t at = lin, page_end = (lin | 0xfff) + 1;
	struct codemap *cm = dc->cm;
	struct dbody *d = body_of(dc, b);
	bool end = false, stop = false;
	unsigned total;

	b->host = NULL;
	b->n = 0;
	b->built = clock_tick(dc);
	b->i0 = cm_idx(host);
	b->g0 = atomic_load(&cm->gen[b->i0]);
	emu_decode_at(cpu, &d->in[0], lin, false, &end, &stop);
	for (;;) {
		at += d->in[b->n].len;
		b->n++;
		if (end || rep_string(&d->in[b->n - 1]) || b->n == max || cpu->mode != MODE_LONG ||
		    at + 15 > page_end)
			break;
		if (!emu_decode_at(cpu, &d->in[b->n], at, true, &end, &stop))
			break;
	}
	total = (unsigned)(at - lin);
	d->len0 = (uint16_t)(total < page_end - lin ? total : page_end - lin);
	d->len1 = (uint16_t)(total - d->len0);
	d->host1 = NULL;
	if (d->len1) {
		d->host1 = code_ptr(cpu, cpu->mode == MODE_LONG ? page_end :
				    (uint32_t)page_end);
		if (!d->host1)
			return false;
		d->i1 = cm_idx(d->host1);
		d->g1 = atomic_load(&cm->gen[d->i1]);
		mark_code(cpu, dc, d->host1, d->len1);
	}
	mark_code(cpu, dc, host, d->len0);
	b->stop = stop;
	b->cross = d->host1 != NULL;
	b->key = mode_key(cpu);
	b->epoch = dc->epoch;
	b->host = host;
	d->sum = block_sum(b, d);
	return true;
}

/* A block found under its key decoded the same bytes if no write was
 * reported since (generations), the client wrote nothing there between
 * runs (checksum, once per entry) and, for a page-crossing instruction,
 * the next linear page still maps the same host page. */
static bool block_current(struct emu_cpu *cpu, struct dcache *dc,
			  struct dblock *b, uint64_t lin)
{
	const struct dbody *d = body_of(dc, b);

	if (!gen_ok(dc->cm, b->i0, b->g0) ||
	    (b->cross && !gen_ok(dc->cm, d->i1, d->g1)))
		return false;
	if (b->cross) {
		uint64_t next = (lin | 0xfff) + 1;

		if (code_ptr(cpu, cpu->mode == MODE_LONG ? next :
			     (uint32_t)next) != d->host1)
			return false;
	}
	if (b->epoch != dc->epoch) {
		if (block_sum(b, d) != d->sum)
			return false;
		b->epoch = dc->epoch;
	}
	return true;
}

static inline struct dblock *block_lookup(struct emu_cpu *cpu,
					  struct dcache *dc)
{
	const uint8_t *host = code_host(cpu, code_lin(cpu));
	struct dblock *b;

	if (!host)
		return NULL;
	b = &dc->blk[block_hash(host)];
	if (b->host != host || b->key != mode_key(cpu) ||
	    b->epoch != dc->epoch || b->cross || !gen_ok(dc->cm, b->i0, b->g0))
		return NULL;
	return b;
}

/* Miss: translate RIP, check or (re)decode the block of at most max
 * instructions. Code that cannot be cached (a page outside the fetch
 * TLB) runs from the spare slot, one instruction decoded each time. */
__attribute__((noinline, cold))
static struct dblock *block_lookup_slow(struct emu_cpu *cpu,
					struct dcache *dc, unsigned max)
{
	uint64_t lin = code_lin(cpu);
	const uint8_t *host;
	struct dblock *b;

	/* Set before decoding: a decode fault reports this instruction. */
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	host = code_ptr(cpu, lin);
	if (host) {
		b = &dc->blk[block_hash(host)];
		if (b->host == host && b->key == mode_key(cpu) &&
		    block_current(cpu, dc, b, lin))
			return b;
		if (block_build(cpu, dc, b, lin, host, max))
			return b;
	}
	b = &dc->blk[DC_SPARE];
	emu_decode(cpu, &dc->body[DC_SPARE].in[0]);
	b->n = 1;
	b->stop = 1;
	return b;
}

static inline struct dblock *block_at_rip(struct emu_cpu *cpu,
					  struct dcache *dc, unsigned max)
{
	struct dblock *b = block_lookup(cpu, dc);

	return __builtin_expect(b != NULL, 1) ? b
					       : block_lookup_slow(cpu, dc, max);
}

/* The block at RIP after block b when no link of b knows it: from the
 * links by RIP, else looked up (and linked there); then linked in b (any
 * block's link is right for its RIP, so a slot that b shares with the
 * block found is fine). */
__attribute__((noinline))
static struct dblock *block_link(struct emu_cpu *cpu, struct dcache *dc,
				 struct dblock *b)
{
	uint32_t w = atomic_load_explicit(&dc->cm->wgen, memory_order_relaxed);
	uint64_t rip = cpu->rip;
	struct link *j = &dc->jc[jc_hash(rip)];
	struct dblock *s;
	struct link *l;

	if (w != dc->wgen) {
		dc->wgen = w;
		links_drop(dc);
	}
	if (link_ok(dc, j, rip)) {
		s = &dc->blk[j->blk];
	} else {
		s = block_at_rip(cpu, dc, BLOCK_MAX);
		if (!s->host || s->cross)
			return s;
		j->rip = rip;
		j->blk = (uint32_t)(s - dc->blk);
		j->t = dc->clock;
	}
	l = &b->link[0];
	if (l->rip != rip && l->t >= dc->valid_from)
		l = &b->link[1];
	l->rip = rip;
	l->blk = (uint32_t)(s - dc->blk);
	l->t = dc->clock;
	return s;
}

/* The block at RIP after block b: through b's links when one is valid,
 * else looked up. */
static inline struct dblock *block_next(struct emu_cpu *cpu,
					struct dcache *dc, struct dblock *b)
{
	uint64_t rip = cpu->rip;
	const struct link *l = &b->link[b->link[0].rip != rip];

	if (__builtin_expect(link_ok(dc, l, rip) &&
			     atomic_load_explicit(&dc->cm->wgen,
						  memory_order_relaxed) ==
			     dc->wgen, 1))
		return &dc->blk[l->blk];
	return block_link(cpu, dc, b);
}

/* Executes one decoded instruction: RIP and RSP before it are kept for
 * faults (SDM Vol. 3C, 27.1), RIP moves past it, the handler runs.
 * Returns the sequential next RIP. */
static inline uint64_t exec_insn(struct emu_cpu *cpu, const struct insn *in,
				 uint64_t rip, uint64_t ipmask)
{
	uint64_t next = (rip + in->len) & ipmask;

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

/* No memory for a decode cache: one instruction decoded each time. */
__attribute__((noinline, cold)) static void step_uncached(struct emu_cpu *cpu)
{
	static _Thread_local struct insn single;

	emu_decode(cpu, &single);
	exec_insn(cpu, &single, cpu->rip, ip_mask(cpu));
}

/* The shadow of STI/MOV SS/POP SS covers only the boundary before the
 * next instruction (SDM Vol. 3A, 6.8.3), which the run loop has passed
 * when it calls in; those instructions end emu_run, so clearing it on
 * entry is enough. */
void emu_step(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;
	const struct dblock *b;

	cpu->shadow_saved = (uint8_t)cpu->intr_shadow;
	cpu->intr_shadow = 0;
	/* Set before decoding: a decode fault reports this instruction. */
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	if (!dc)
		dc = dcache_create(cpu);
	if (dc) {
		/* The instruction may change what links depend on. */
		dc->chain = false;
		/* A one-instruction block: stepping never pays for
		 * decoding ahead. */
		b = block_at_rip(cpu, dc, 1);
		exec_insn(cpu, &body_of(dc, b)->in[0], cpu->rip, ip_mask(cpu));
	} else {
		step_uncached(cpu);
	}
	cpu->shadow_saved = 0;
}

/* Runs the instructions of block b; returns how many ran. A write to
 * decoded code ends the block after the writing instruction (dc->end):
 * the next ones may have changed. */
static inline unsigned run_block(struct emu_cpu *cpu, struct dcache *dc,
				 const struct dblock *b, uint64_t ipmask)
{
	const struct insn *first = body_of(dc, b)->in, *in = first;
	const struct insn *last = first + b->n - 1;
	uint64_t rip = cpu->rip;

	dc->end = last;
	for (;; in++) {
		uint64_t next = exec_insn(cpu, in, rip, ipmask);

		if (in == dc->end)
			return in == last ? b->n : (unsigned)(in - first) + 1;
		/* Mid-block instructions fall through (block_build). */
		assert(cpu->rip == next);
		rip = next;
	}
}

/* A block whose last instruction returns to the run loop: links stay
 * valid into the next run if it left the translation as it was (CLI,
 * STI, PUSHF, POPF, IRET within the kernel, ...); out of line, as the
 * loop's rare case. */
__attribute__((noinline))
static unsigned run_stop(struct emu_cpu *cpu, struct dcache *dc,
			 const struct dblock *b, uint64_t ipmask)
{
	struct xlat before, after;
	unsigned n;

	xlat_get(cpu, &before);
	n = run_block(cpu, dc, b, ipmask);
	xlat_get(cpu, &after);
	dc->chain = xlat_same(&before, &after);
	return n;
}

/* Kept out of line so that emu_run's block loop stays compact. */
__attribute__((noinline)) static unsigned emu_run_one(struct emu_cpu *cpu)
{
	emu_step(cpu);
	return 1;
}

/* The start of a run after anything but a budget end or a stop that
 * kept the translation: the links made before are dropped. NULL without memory
 * for a decode cache. */
__attribute__((noinline)) static struct dcache *run_begin(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (!dc)
		dc = dcache_create(cpu);
	if (dc)
		links_drop(dc);
	return dc;
}

unsigned emu_run(struct emu_cpu *cpu, unsigned max)
{
	struct dcache *dc = cpu->decode_cache;
	uint64_t ipmask = ip_mask(cpu);
	struct dblock *b;
	unsigned n = 0;

	/* Single-step, and the one instruction under an STI/MOV-SS shadow,
	 * run alone. */
	if (__builtin_expect((cpu->rflags & RF_TF) || cpu->intr_shadow, 0))
		return emu_run_one(cpu);
	cpu->shadow_saved = 0;
	if (__builtin_expect(!dc || !dc->chain, 0)) {
		dc = run_begin(cpu);
		if (!dc)
			return emu_run_one(cpu);
	}
	/* Clear while running: a fault or exit leaves by longjmp. */
	dc->chain = false;
	b = block_at_rip(cpu, dc, BLOCK_MAX);
	for (;;) {
		/* HLT, like every instruction that changes the mode, stops. */
		if (__builtin_expect(b->stop, 0))
			return n + run_stop(cpu, dc, b, ipmask);
		n += run_block(cpu, dc, b, ipmask);
		if (n >= max) {
			dc->chain = true;
			return n;
		}
		b = block_next(cpu, dc, b);
	}
}

/* ---------------------------------------------------------------- */
/* Contract with the MMU and the run loop (cpu.h). */

void emu_decode_flush(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (dc)
		links_drop(dc);
}

void emu_decode_reset(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (!dc)
		return;
	for (unsigned i = 0; i < DC_BLOCKS; i++)
		dc->blk[i].host = NULL;
	links_drop(dc);
	dc->chain = false;
}

void emu_decode_enter(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (dc) {
		dc->epoch++;
		dc->chain = false;
	}
}

void emu_decode_free(struct emu_cpu *cpu)
{
	struct dcache *dc = cpu->decode_cache;

	if (dc && dc->own_cm) {
		emu_codemap_free(cpu->codemap);
		cpu->codemap = NULL;
	}
	free(dc ? dc->raw : NULL);
	cpu->decode_cache = NULL;
}
