/* SPDX-License-Identifier: MIT */
/* Differential ISA testing, host side: every form of isa_forms.h is run
 * natively on this CPU (an executable page holding prologue, the form's
 * bytes and epilogue; the prologue loads all GPRs and RFLAGS
 * from a struct, the epilogue stores them back) and on an engine backend
 * with the same random operands, flags and data buffer; all GPRs, the
 * arithmetic flags (including the SDM-undefined ones), DF and the data
 * buffer (which also holds the stack) must match. On a host that is not
 * an Intel CPU the parts the SDM leaves undefined are excluded from that
 * comparison and checked against a record of Intel's results instead
 * (diff_undef.h, diff_record.h). Header-only so that each backend is one
 * test file. */
#ifndef OPENHVF_TEST_DIFF_NATIVE_H
#define OPENHVF_TEST_DIFF_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* The data buffer lives at the same address natively and in the guest,
 * so pointer registers compare equal. */
#define DIFF_DATA 0x200000ull
#define DIFF_DATA_SIZE 8192u
#define DIFF_FLAGS_CMP 0xcd5ull /* CF PF AF ZF SF DF OF */

struct xstate {
	uint64_t gpr[16];
	uint64_t rflags;
};

enum diff_setup {
	S_NONE, S_MEM, S_ZERO, S_XLAT, S_MEM16, S_MEMEQ, S_LOOP, S_STR,
	S_BTMEM, S_DIVb, S_DIVw, S_DIVl, S_DIVq, S_IDIVb, S_IDIVw, S_IDIVl,
	S_IDIVq, S_FRAME, S_POPF, S_BOUND, S_BOUNDW, S_STROV, S_STRBIG,
};

struct form {
	const uint8_t *s, *e;
	enum diff_setup setup;
	const char *text;
	const char *setup_name;
};

/* Parts of one case left out of the comparison with the host: RFLAGS
 * bits, bits of one GPR (reg -1: none) and a byte range of the data
 * buffer (mem_len 0: none). */
struct diff_excl {
	unsigned flags;
	int reg;
	uint64_t reg_mask;
	long mem_off;
	unsigned mem_len;
};

/* ---- the forms, assembled by the host toolchain ---- */
#define FORM(i, s, t)                                                     \
	__asm__(".pushsection .rodata.isaforms,\"a\"\nform_" #i "_s:\n" t \
		"\nform_" #i "_e:\n.popsection\n");
#define FORM32(i, s, t)                                                   \
	__asm__(".pushsection .rodata.isaforms,\"a\"\n.code32\nform32_" #i  \
		"_s:\n" t "\nform32_" #i "_e:\n.code64\n.popsection\n");
#include "isa_forms.h"
#undef FORM

#define FORM(i, s, t)                                    \
	extern const uint8_t form_##i##_s[] __asm__("form_" #i "_s"); \
	extern const uint8_t form_##i##_e[] __asm__("form_" #i "_e");
#define FORM32(i, s, t)                                    \
	extern const uint8_t form32_##i##_s[] __asm__("form32_" #i "_s"); \
	extern const uint8_t form32_##i##_e[] __asm__("form32_" #i "_e");
#include "isa_forms.h"
#undef FORM

static const struct form diff_forms[] = {
#define FORM(i, s, t) { form_##i##_s, form_##i##_e, s, t, #s },
#define FORM32(i, s, t)
#include "isa_forms.h"
#undef FORM
};

static const struct form diff_forms32[] = {
#define FORM(i, s, t)
#define FORM32(i, s, t) { form32_##i##_s, form32_##i##_e, s, t, #s },
#include "isa_forms.h"
#undef FORM
};

#define DIFF_NFORMS (sizeof(diff_forms) / sizeof(diff_forms[0]))
#define DIFF_NFORMS32 (sizeof(diff_forms32) / sizeof(diff_forms32[0]))

/* ---- native trampoline: rdi = struct xstate * ----
 * The code page sits at DIFF_CODE natively and in the guest, so return
 * addresses and RIP-relative operands compare equal; the stack of the
 * form (RSP from the struct) lies inside the data buffer. The host RSP
 * and the struct pointer are kept in a scratch page after the buffer. */
#define DIFF_CODE 0x300000ull
#define DIFF_SCRATCH (DIFF_DATA + DIFF_DATA_SIZE)
#define DIFF_SCRATCH_ASM "0x202000"
#define DIFF_STACK (DIFF_DATA + 6144)
_Static_assert(DIFF_SCRATCH == 0x202000, "DIFF_SCRATCH_ASM is in sync");

__asm__(".pushsection .rodata.isaforms,\"a\"\n"
	"diff_pro_s:\n"
	" push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n"
	" push %r15\n"
	" mov %rdi, " DIFF_SCRATCH_ASM " + 8\n"
	" mov %rsp, " DIFF_SCRATCH_ASM "\n"
	" pushq 128(%rdi)\n popfq\n"
	" mov 0(%rdi),%rax\n mov 8(%rdi),%rcx\n mov 16(%rdi),%rdx\n"
	" mov 24(%rdi),%rbx\n mov 32(%rdi),%rsp\n mov 40(%rdi),%rbp\n"
	" mov 48(%rdi),%rsi\n"
	" mov 64(%rdi),%r8\n mov 72(%rdi),%r9\n mov 80(%rdi),%r10\n"
	" mov 88(%rdi),%r11\n mov 96(%rdi),%r12\n mov 104(%rdi),%r13\n"
	" mov 112(%rdi),%r14\n mov 120(%rdi),%r15\n mov 56(%rdi),%rdi\n"
	"diff_pro_e:\n"
	"diff_epi_s:\n"
	" mov %rdi, " DIFF_SCRATCH_ASM " + 16\n"
	" mov " DIFF_SCRATCH_ASM " + 8, %rdi\n"
	" mov %rax,0(%rdi)\n mov %rcx,8(%rdi)\n mov %rdx,16(%rdi)\n"
	" mov %rbx,24(%rdi)\n mov %rsp,32(%rdi)\n mov %rbp,40(%rdi)\n"
	" mov %rsi,48(%rdi)\n"
	" mov %r8,64(%rdi)\n mov %r9,72(%rdi)\n mov %r10,80(%rdi)\n"
	" mov %r11,88(%rdi)\n mov %r12,96(%rdi)\n mov %r13,104(%rdi)\n"
	" mov %r14,112(%rdi)\n mov %r15,120(%rdi)\n"
	" mov " DIFF_SCRATCH_ASM ", %rsp\n"
	" pushfq\n pop %rax\n mov %rax,128(%rdi)\n cld\n"
	" mov " DIFF_SCRATCH_ASM " + 16, %rax\n mov %rax,56(%rdi)\n"
	" pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n"
	" pop %rbx\n ret\n"
	"diff_epi_e:\n"
	".popsection\n");
/* 32-bit forms run in compatibility mode: a far return to the 32-bit
 * user code segment Linux provides (selector 23h), DS/ES loaded with the
 * flat data selector (64-bit processes run with null ones), a stack in
 * the scratch page, the state copied to scratch + 64, and a far return to
 * the 64-bit segment (33h) at the end. */
__asm__(".pushsection .rodata.isaforms,\"a\"\n"
	"diff32_pro_s:\n"
	" push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n"
	" push %r15\n"
	" mov %rsp, " DIFF_SCRATCH_ASM "\n"
	" lea 1f(%rip), %rax\n pushq $0x23\n push %rax\n lretq\n"
	".code32\n"
	"1: mov %ss, %eax\n mov %eax, %ds\n mov %eax, %es\n"
	" mov $" DIFF_SCRATCH_ASM " + 4000, %esp\n"
	" pushl " DIFF_SCRATCH_ASM " + 64 + 128\n popfl\n"
	" mov " DIFF_SCRATCH_ASM " + 64, %eax\n"
	" mov " DIFF_SCRATCH_ASM " + 72, %ecx\n"
	" mov " DIFF_SCRATCH_ASM " + 80, %edx\n"
	" mov " DIFF_SCRATCH_ASM " + 88, %ebx\n"
	" mov " DIFF_SCRATCH_ASM " + 96, %esp\n"
	" mov " DIFF_SCRATCH_ASM " + 104, %ebp\n"
	" mov " DIFF_SCRATCH_ASM " + 112, %esi\n"
	" mov " DIFF_SCRATCH_ASM " + 120, %edi\n"
	"diff32_pro_e:\n"
	"diff32_epi_s:\n"
	" mov %eax, " DIFF_SCRATCH_ASM " + 64\n"
	" mov %ecx, " DIFF_SCRATCH_ASM " + 72\n"
	" mov %edx, " DIFF_SCRATCH_ASM " + 80\n"
	" mov %ebx, " DIFF_SCRATCH_ASM " + 88\n"
	" mov %esp, " DIFF_SCRATCH_ASM " + 96\n"
	" mov %ebp, " DIFF_SCRATCH_ASM " + 104\n"
	" mov %esi, " DIFF_SCRATCH_ASM " + 112\n"
	" mov %edi, " DIFF_SCRATCH_ASM " + 120\n"
	" mov $" DIFF_SCRATCH_ASM " + 4000, %esp\n"
	" pushfl\n popl %eax\n mov %eax, " DIFF_SCRATCH_ASM " + 64 + 128\n"
	" cld\n call 2f\n2: pop %eax\n add $(3f - 2b), %eax\n"
	" push $0x33\n push %eax\n lret\n"
	".code64\n"
	"3: mov " DIFF_SCRATCH_ASM ", %rsp\n"
	" pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n"
	" pop %rbx\n ret\n"
	"diff32_epi_e:\n"
	".popsection\n");
extern const uint8_t diff32_pro_s[] __asm__("diff32_pro_s");
extern const uint8_t diff32_pro_e[] __asm__("diff32_pro_e");
extern const uint8_t diff32_epi_s[] __asm__("diff32_epi_s");
extern const uint8_t diff32_epi_e[] __asm__("diff32_epi_e");
extern const uint8_t diff_pro_s[] __asm__("diff_pro_s");
extern const uint8_t diff_pro_e[] __asm__("diff_pro_e");
extern const uint8_t diff_epi_s[] __asm__("diff_epi_s");
extern const uint8_t diff_epi_e[] __asm__("diff_epi_e");

static uint8_t *diff_page;
static uint8_t *diff_data;

/* Guest and native address of the first byte of a form. */
static inline uint64_t diff_form_addr(void)
{
	return DIFF_CODE + (uint64_t)(diff_pro_e - diff_pro_s);
}

/* Map the code page and the data buffer at their fixed addresses; false
 * if the host does not allow it (the test then skips). */
static inline bool diff_native_init(void)
{
	if (diff_page == (void *)DIFF_CODE && diff_data == (void *)DIFF_DATA)
		return true;
	diff_page = mmap((void *)DIFF_CODE, 4096,
			 PROT_READ | PROT_WRITE | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	diff_data = mmap((void *)DIFF_DATA, DIFF_DATA_SIZE + 4096,
			 PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	return diff_page == (void *)DIFF_CODE && diff_data == (void *)DIFF_DATA;
}

/* Guest and native address of the first byte of a 32-bit form. */
static inline uint64_t diff_form32_addr(void)
{
	return DIFF_CODE + (uint64_t)(diff32_pro_e - diff32_pro_s);
}

static inline void diff_native_load_with(const struct form *f,
					 const uint8_t *ps, const uint8_t *pe,
					 const uint8_t *es, const uint8_t *ee)
{
	size_t np = (size_t)(pe - ps), nf = (size_t)(f->e - f->s);

	memcpy(diff_page, ps, np);
	memcpy(diff_page + np, f->s, nf);
	memcpy(diff_page + np + nf, es, (size_t)(ee - es));
	__builtin___clear_cache((char *)diff_page, (char *)diff_page + 4096);
}

static inline void diff_native_load(const struct form *f)
{
	diff_native_load_with(f, diff_pro_s, diff_pro_e, diff_epi_s,
			      diff_epi_e);
}

static inline void diff_native_load32(const struct form *f)
{
	diff_native_load_with(f, diff32_pro_s, diff32_pro_e, diff32_epi_s,
			      diff32_epi_e);
}

static inline void diff_native_run(struct xstate *st, uint8_t *data)
{
	void (*fn)(struct xstate *);

	memcpy(diff_data, data, DIFF_DATA_SIZE);
	*(void **)&fn = diff_page;
	fn(st);
	memcpy(data, diff_data, DIFF_DATA_SIZE);
}

static inline void diff_native_run32(struct xstate *st, uint8_t *data)
{
	void (*fn)(void);
	uint8_t *shared = diff_data + DIFF_DATA_SIZE + 64;

	memcpy(diff_data, data, DIFF_DATA_SIZE);
	memcpy(shared, st, sizeof(*st));
	*(void **)&fn = diff_page;
	fn();
	memcpy(st, shared, sizeof(*st));
	memcpy(data, diff_data, DIFF_DATA_SIZE);
}

/* True if this host can run 32-bit code (tried in a child process). */
static inline bool diff_native_has32(void)
{
	static const struct form nop = { (const uint8_t *)"\x90",
					 (const uint8_t *)"\x90" + 1, S_NONE,
					 "nop", "S_NONE" };
	struct xstate st = { .rflags = 0x202 };
	static uint8_t buf[DIFF_DATA_SIZE];
	int status = 0;
	pid_t pid;

	st.gpr[4] = DIFF_STACK;
	diff_native_load32(&nop);
	pid = fork();
	if (pid == 0) {
		diff_native_run32(&st, buf);
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* ---- random cases (xorshift64*, fixed seed) ---- */

#define DIFF_RNG_SEED 0x9e3779b97f4a7c15ull

static uint64_t diff_rng = DIFF_RNG_SEED;

static inline uint64_t rnd(void)
{
	diff_rng ^= diff_rng >> 12;
	diff_rng ^= diff_rng << 25;
	diff_rng ^= diff_rng >> 27;
	return diff_rng * 0x2545f4914f6cdd1dull;
}

/* Operand values: edge values a quarter of the time, else random values
 * of a random width, sometimes sign-extended. */
static inline uint64_t rnd_value(void)
{
	static const uint64_t edge[] = {
		0, 1, 2, ~0ull, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
		0x7fffffff, 0x80000000, 0xffffffff, 0x7fffffffffffffffull,
		0x8000000000000000ull, 0x100, 0x10000, 0x100000000ull, 9, 0x99,
	};
	uint64_t r = rnd(), v = rnd();
	unsigned w = (unsigned)(r >> 8) & 3;

	if ((r & 3) == 0)
		return edge[(r >> 16) % (sizeof(edge) / sizeof(edge[0]))];
	if (w < 3) {
		unsigned bits = 8u << w;

		v &= (1ull << bits) - 1;
		if (r & 0x1000)
			v = (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
	}
	return v;
}

static inline void set_low(uint64_t *r, unsigned bytes, uint64_t v)
{
	uint64_t m = bytes == 8 ? ~0ull : (1ull << (bytes * 8)) - 1;

	*r = (*r & ~m) | (v & m);
}

static inline int64_t sext_n(uint64_t v, unsigned bytes)
{
	unsigned sh = 64 - bytes * 8;

	return (int64_t)(v << sh) >> sh;
}

/* Division operands that do not fault: divisor rCX nonzero, high half
 * of the dividend below the divisor (DIV) or the sign of the low half
 * (IDIV, divisor not -1). */
static inline void setup_div(struct xstate *st, unsigned n, bool sgn)
{
	uint64_t m = n == 8 ? ~0ull : (1ull << (n * 8)) - 1;
	uint64_t d = st->gpr[1] & m;

	if (d == 0 || (sgn && d == m))
		d = 3;
	set_low(&st->gpr[1], n, d);
	if (n == 1) {
		uint64_t ah = sgn ? ((st->gpr[0] & 0x80) ? 0xff : 0)
				  : ((st->gpr[0] >> 8) & 0xff) % d;

		st->gpr[0] = (st->gpr[0] & ~0xff00ull) | (ah << 8);
		return;
	}
	if (sgn)
		set_low(&st->gpr[2], n, sext_n(st->gpr[0], n) < 0 ? ~0ull : 0);
	else
		set_low(&st->gpr[2], n, (st->gpr[2] & m) % d);
}

static inline void setup_str(struct xstate *st, uint8_t *data)
{
	uint64_t k = rnd() % 64;

	st->gpr[6] = DIFF_DATA + 1024 + rnd() % 512;
	st->gpr[7] = DIFF_DATA + 4096 + rnd() % 512;
	st->gpr[1] = rnd() % 20;
	st->rflags |= (rnd() & 1) ? 0x400 : 0;
	if (rnd() & 1)
		memcpy(data + (st->gpr[7] - DIFF_DATA),
		       data + (st->gpr[6] - DIFF_DATA), k);
	if (rnd() & 1)
		memset(data + (st->gpr[7] - DIFF_DATA) - k,
		       (int)(st->gpr[0] & 0xff), 2 * k);
}

static inline void diff_make_case(const struct form *f, struct xstate *st,
			   uint8_t *data)
{
	for (int i = 0; i < 16; i++)
		st->gpr[i] = rnd_value();
	st->gpr[4] = DIFF_STACK - (rnd() % 32) * 8;
	st->rflags = 0x202 | (rnd() & 0x8d5);
		/* Fresh memory contents for every case (the stack lives there);
	 * edge values where the memory-operand forms point. */
	for (unsigned i = 0; i < DIFF_DATA_SIZE; i += 8) {
		uint64_t v = (i >= 256 && i < 1024) ? rnd_value() : rnd();

		memcpy(data + i, &v, 8);
	}
	switch (f->setup) {
	case S_MEM:
		st->gpr[3] = DIFF_DATA + 512 + rnd() % 256;
		st->gpr[11] &= 63;
		break;
	case S_ZERO: st->gpr[1] = 0; break;
	case S_XLAT: st->gpr[3] = DIFF_DATA + 512; break;
	case S_MEM16:
		st->gpr[3] = DIFF_DATA + 512;
		if (rnd() & 1) {
			memcpy(data + 512, &st->gpr[0], 8);
			memcpy(data + 520, &st->gpr[2], 8);
		}
		break;
	case S_MEMEQ: {
		uint64_t v = (uint32_t)st->gpr[0] | (st->gpr[2] << 32);

		st->gpr[3] = DIFF_DATA + 512;
		memcpy(data + 512, (rnd() & 1) ? &v : &st->gpr[0], 8);
		break;
	}
	case S_LOOP:
		st->gpr[1] = (rnd() % 4) | ((rnd() & 1) ? 1ull << 32 : 0);
		break;
	case S_STR: setup_str(st, data); break;
	case S_STROV:   /* overlapping forward copies */
		st->gpr[6] = DIFF_DATA + 1024 + rnd() % 512;
		st->gpr[7] = st->gpr[6] + rnd() % 24;
		st->gpr[1] = rnd() % 64;
		break;
	case S_STRBIG:  /* long runs across a page boundary */
		st->gpr[6] = DIFF_DATA + 2048 + rnd() % 512;
		st->gpr[7] = DIFF_DATA + 3584 + rnd() % 256;
		st->gpr[1] = rnd() % 1500 / 8;
		st->rflags |= (rnd() & 1) ? 0x400 : 0;
		break;
	case S_FRAME:
		st->gpr[5] = DIFF_STACK - 1024 + (rnd() % 64) * 8;
		break;
	case S_BOUND:
	case S_BOUNDW: {
		/* Bounds that hold (BOUND would raise #BR, a signal here). */
		int32_t lo = -1000, hi = 1000;

		st->gpr[3] = DIFF_DATA + 512;
		st->gpr[0] = (uint64_t)(int64_t)((int32_t)(rnd() % 2001) - 1000);
		if (rnd() & 1)
			lo = hi = (int32_t)st->gpr[0];
		if (f->setup == S_BOUNDW) {
			int16_t w[2] = { (int16_t)lo, (int16_t)hi };

			memcpy(data + 512, w, 4);
		} else {
			int32_t d[2] = { lo, hi };

			memcpy(data + 512, d, 8);
		}
		break;
	}
	case S_POPF: {
		/* Only flags a user-mode POPF can change alike natively. */
		uint64_t v = 0x202 | (rnd() & 0xcd5);

		memcpy(data + (st->gpr[4] - DIFF_DATA), &v, 8);
		break;
	}
	case S_BTMEM:
		st->gpr[3] = DIFF_DATA + 4096;
		st->gpr[0] = (uint64_t)((int64_t)(rnd() % 4096) - 2048);
		break;
	case S_DIVb: case S_DIVw: case S_DIVl: case S_DIVq:
		setup_div(st, 1u << (f->setup - S_DIVb), false);
		break;
	case S_IDIVb: case S_IDIVw: case S_IDIVl: case S_IDIVq:
		setup_div(st, 1u << (f->setup - S_IDIVb), true);
		break;
	default:
		break;
	}
}

static inline void diff_print(const char *what, const struct xstate *s)
{
	printf("#   %-6s", what);
	for (int i = 0; i < 16; i++)
		printf(" r%d=%llx", i, (unsigned long long)s->gpr[i]);
	printf(" fl=%llx\n", (unsigned long long)s->rflags);
}

/* The data buffers agree outside the excluded byte range of x. */
static inline bool diff_mem_equal(const uint8_t *dnat, const uint8_t *demu,
				  const struct diff_excl *x)
{
	size_t lo = DIFF_DATA_SIZE, hi = DIFF_DATA_SIZE;

	if (x && x->mem_len && x->mem_off >= 0 &&
	    (size_t)x->mem_off + x->mem_len <= DIFF_DATA_SIZE) {
		lo = (size_t)x->mem_off;
		hi = lo + x->mem_len;
	}
	return memcmp(dnat, demu, lo) == 0 &&
	       memcmp(dnat + hi, demu + hi, DIFF_DATA_SIZE - hi) == 0;
}

/* Returns true if native and engine results agree, except in the parts
 * x excludes (x NULL: everything compared). */
static inline bool diff_compare_mode(const struct form *f, const struct xstate *in,
			      const struct xstate *nat, const struct xstate *emu,
			      const uint8_t *dnat, const uint8_t *demu,
			      bool verbose, bool is32, const struct diff_excl *x)
{
	uint64_t fl = DIFF_FLAGS_CMP & ~(uint64_t)(x ? x->flags : 0);
	bool ok = ((nat->rflags ^ emu->rflags) & fl) == 0;

	for (int i = 0; i < (is32 ? 8 : 16); i++) {
		uint64_t m = is32 ? 0xffffffffull : ~0ull;

		if (x && x->reg == i)
			m &= ~x->reg_mask;
		ok = ok && ((nat->gpr[i] ^ emu->gpr[i]) & m) == 0;
	}
	ok = ok && diff_mem_equal(dnat, demu, x);
	if (!ok && verbose) {
		printf("# mismatch: %s\n", f->text);
		diff_print("in", in);
		diff_print("native", nat);
		diff_print("engine", emu);
		for (unsigned i = 0; i < DIFF_DATA_SIZE; i++)
			if (dnat[i] != demu[i]) {
				printf("#   mem +%u: native %02x engine %02x\n", i,
				       dnat[i], demu[i]);
				break;
			}
	}
	return ok;
}

static inline bool diff_compare(const struct form *f, const struct xstate *in,
			 const struct xstate *nat, const struct xstate *emu,
			 const uint8_t *dnat, const uint8_t *demu, bool verbose)
{
	return diff_compare_mode(f, in, nat, emu, dnat, demu, verbose, false,
				 NULL);
}

/* Cases per form: DIFF_CASES in the environment, else the default. */
static inline unsigned diff_cases(unsigned dflt)
{
	const char *e = getenv("DIFF_CASES");

	return e ? (unsigned)strtoul(e, NULL, 0) : dflt;
}

#endif
