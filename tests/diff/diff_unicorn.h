/* SPDX-License-Identifier: MIT */
/* A second oracle for the 32-bit forms of isa_forms.h where the host
 * cannot run 32-bit code (a kernel without an ia32 code segment):
 * unicorn (QEMU's TCG x86 in a library) in 32-bit protected mode with the
 * segments of a Linux process (GDT entries 4-6 as in isa_diff_test.c, CS
 * 23h, DS/ES/SS 2Bh), the form at the address the engine runs it from,
 * the data buffer (which holds the stack) at DIFF_DATA. Only the
 * SDM-defined parts are compared (diff_undef.h); where unicorn takes a
 * choice the SDM leaves to the implementation other than Intel's (or
 * would depart from the SDM), diff_uc_excl leaves that part out too and
 * says so (docs/compat.md). Compiled in only when the build found unicorn
 * (HVF_HAVE_UNICORN); test code only, never libhvf. */
#ifndef OPENHVF_TEST_DIFF_UNICORN_H
#define OPENHVF_TEST_DIFF_UNICORN_H

#include "diff_record.h"

#ifdef HVF_HAVE_UNICORN
#include <unicorn/unicorn.h>

#define DIFF_UC_GDT 0x100000ull

static uc_engine *diff_uc;
static uint64_t diff_uc_end; /* the address of the HLT after the form */

/* The GPRs in encoding order (EAX ... EDI). */
static const int diff_uc_gpr[8] = {
	UC_X86_REG_EAX, UC_X86_REG_ECX, UC_X86_REG_EDX, UC_X86_REG_EBX,
	UC_X86_REG_ESP, UC_X86_REG_EBP, UC_X86_REG_ESI, UC_X86_REG_EDI,
};

#define DIFF_UC_STUB (DIFF_CODE + 0xe00) /* past the longest form */
#define DIFF_UC_STUB_END (DIFF_UC_STUB + 0x100)

/* Linux's user segments, DPL 3 (SDM Vol. 3A, 3.4.5): 23h 32-bit code,
 * 2Bh flat data; entry 2 (10h) a flat DPL-0 data segment for the stack
 * unicorn starts with at CPL 0. */
static const uint64_t diff_uc_gdt[7] = {
	[2] = 0x00cf93000000ffffull, [4] = 0x00cffb000000ffffull,
	[5] = 0x00cff3000000ffffull, [6] = 0x00affb000000ffffull,
};

/* IRET from CPL 0 to CPL 3 (SDM Vol. 2A IRET, "RETURN-TO-OUTER-
 * PRIVILEGE-LEVEL": pops EIP, CS, EFLAGS, ESP, SS): push $0x2b;
 * push $DIFF_SCRATCH + 0xf00; pushfl; push $0x23; push $DIFF_UC_STUB_END;
 * iret. unicorn's register interface refuses SS 2Bh at CPL 0 (its RPL
 * and DPL must equal the CPL), so CPL 3 is entered the way an OS does. */
static const uint8_t diff_uc_to_cpl3[] = {
	0x6a, 0x2b, 0x68, 0x00, 0x2f, 0x20, 0x00, 0x9c, 0x6a, 0x23,
	0x68, 0x00, 0x0f, 0x30, 0x00, 0xcf,
};
_Static_assert(DIFF_SCRATCH + 0xf00 == 0x202f00 &&
	       DIFF_UC_STUB_END == 0x300f00, "diff_uc_to_cpl3 is in sync");

/* Protected mode (CR0.PE), the GDT, CPL 3 with CS 23h and SS 2Bh, then
 * DS and ES 2Bh. */
static inline bool diff_uc_segments(void)
{
	uc_x86_mmr gdtr = { 0, DIFF_UC_GDT, sizeof(diff_uc_gdt) - 1, 0 };
	uint32_t cr0 = 0x11, ss0 = 0x10, ds = 0x2b, esp = DIFF_SCRATCH + 0xf80;
	uint32_t cs = 0, ss = 0;
	static const uint8_t hlt = 0xf4;

	if (uc_mem_write(diff_uc, DIFF_UC_GDT, diff_uc_gdt,
			 sizeof(diff_uc_gdt)) != UC_ERR_OK ||
	    uc_reg_write(diff_uc, UC_X86_REG_GDTR, &gdtr) != UC_ERR_OK ||
	    uc_reg_write(diff_uc, UC_X86_REG_CR0, &cr0) != UC_ERR_OK ||
	    uc_reg_write(diff_uc, UC_X86_REG_SS, &ss0) != UC_ERR_OK ||
	    uc_reg_write(diff_uc, UC_X86_REG_ESP, &esp) != UC_ERR_OK)
		return false;
	uc_mem_write(diff_uc, DIFF_UC_STUB, diff_uc_to_cpl3,
		     sizeof(diff_uc_to_cpl3));
	uc_mem_write(diff_uc, DIFF_UC_STUB_END, &hlt, 1);
	if (uc_emu_start(diff_uc, DIFF_UC_STUB, DIFF_UC_STUB_END, 0, 10) !=
	    UC_ERR_OK)
		return false;
	uc_reg_read(diff_uc, UC_X86_REG_CS, &cs);
	uc_reg_read(diff_uc, UC_X86_REG_SS, &ss);
	return cs == 0x23 && ss == 0x2b &&
	       uc_reg_write(diff_uc, UC_X86_REG_DS, &ds) == UC_ERR_OK &&
	       uc_reg_write(diff_uc, UC_X86_REG_ES, &ds) == UC_ERR_OK;
}

/* Opens unicorn and maps the GDT, code and data pages; false (and a '#'
 * line) if that fails. */
static inline bool diff_uc_init(void)
{
	if (diff_uc)
		return true;
	if (uc_open(UC_ARCH_X86, UC_MODE_32, &diff_uc) != UC_ERR_OK) {
		diff_uc = NULL;
		return false;
	}
	if (uc_mem_map(diff_uc, DIFF_UC_GDT, 4096, UC_PROT_READ) == UC_ERR_OK &&
	    uc_mem_map(diff_uc, DIFF_DATA, DIFF_DATA_SIZE + 4096,
		       UC_PROT_READ | UC_PROT_WRITE) == UC_ERR_OK &&
	    uc_mem_map(diff_uc, DIFF_CODE, 4096, UC_PROT_ALL) == UC_ERR_OK &&
	    diff_uc_segments())
		return true;
	printf("# unicorn: cannot set up the 32-bit environment\n");
	uc_close(diff_uc);
	diff_uc = NULL;
	return false;
}

/* Puts form f at the engine's address of a 32-bit form, HLT after it. */
static inline void diff_uc_load(const struct form *f)
{
	size_t n = (size_t)(f->e - f->s);
	static const uint8_t hlt = 0xf4;

	uc_mem_write(diff_uc, diff_form32_addr(), f->s, n);
	uc_mem_write(diff_uc, diff_form32_addr() + n, &hlt, 1);
	/* unicorn 2.0.1 keeps running the translation of the previous form
	 * written there (measured: adcl ran as the addw before it). */
	uc_ctl_remove_cache(diff_uc, DIFF_CODE, DIFF_CODE + 4096);
	diff_uc_end = diff_form32_addr() + n;
}

/* Runs one case from st and data up to the HLT; false if unicorn stopped
 * elsewhere (a fault, say). */
static inline bool diff_uc_run(struct xstate *st, uint8_t *data)
{
	uint32_t v, eip = 0;

	for (int i = 0; i < 8; i++) {
		v = (uint32_t)st->gpr[i];
		uc_reg_write(diff_uc, diff_uc_gpr[i], &v);
	}
	v = (uint32_t)st->rflags;
	uc_reg_write(diff_uc, UC_X86_REG_EFLAGS, &v);
	uc_mem_write(diff_uc, DIFF_DATA, data, DIFF_DATA_SIZE);
	if (uc_emu_start(diff_uc, diff_form32_addr(), diff_uc_end, 0, 1000) !=
	    UC_ERR_OK)
		return false;
	uc_reg_read(diff_uc, UC_X86_REG_EIP, &eip);
	for (int i = 0; i < 8; i++) {
		uc_reg_read(diff_uc, diff_uc_gpr[i], &v);
		st->gpr[i] = v;
	}
	uc_reg_read(diff_uc, UC_X86_REG_EFLAGS, &v);
	st->rflags = v;
	uc_mem_read(diff_uc, DIFF_DATA, data, DIFF_DATA_SIZE);
	return eip == diff_uc_end;
}

/* The parts of a case where unicorn 2.0.1 takes a choice the SDM leaves
 * to the implementation, other than Intel's. SDM Vol. 2B PUSH: a segment
 * register pushed with a 32-bit operand size is either zero-extended or
 * written "using a 16-bit move", which "all recent Core and Atom
 * processors perform", leaving bytes 3:2 of the stack slot unmodified;
 * unicorn zero-extends. The forms of isa_forms.h that push a segment
 * register push it once at ESP - 4 (push %ss then pops that slot into
 * ESI, whose bits 31:16 follow). Intel's choice is checked by the
 * record. */
static inline bool diff_uc_pushes_sreg(const struct form *f)
{
	return strncmp(f->text, "push %es\n", 9) == 0 ||
	       strncmp(f->text, "push %ds\n", 9) == 0;
}

static inline void diff_uc_excl(const struct form *f, const struct xstate *in,
				struct diff_excl *x)
{
	uint32_t slot = (uint32_t)in->gpr[4] - 4;

	if (!diff_uc_pushes_sreg(f))
		return;
	x->mem_off = (long)(slot + 2 - DIFF_DATA);
	x->mem_len = 2;
	if (strstr(f->text, "pop %esi")) {
		x->reg = 6;
		x->reg_mask = 0xffff0000ull;
	}
}

/* The '#' line for each form diff_uc_excl applies to. */
static inline void diff_uc_excl_note(const struct form *f)
{
	if (diff_uc_pushes_sreg(f))
		printf("# unicorn: form \"%.8s ...\": bytes 3:2 of the pushed segment "
		       "selector's stack slot (and what pops it) not compared "
		       "with unicorn, which zero-extends where Intel does a "
		       "16-bit move (SDM Vol. 2B PUSH allows both); checked "
		       "against the Intel record\n", f->text);
}

#define DIFF_UC_NAME "unicorn"

#endif

/* ---- used by both differential tests, with or without unicorn ---- */

/* The second oracle for a table the host cannot run, or NULL (with a
 * '#' line saying why there is none). */
static inline const char *diff_second_oracle(void)
{
#ifdef HVF_HAVE_UNICORN
	if (diff_uc_init())
		return DIFF_UC_NAME;
	printf("# unicorn failed to start: no second oracle\n");
#else
	printf("# built without unicorn (libunicorn-dev): no second oracle "
	       "for the forms the host cannot run\n");
#endif
	return NULL;
}

/* For a table the host cannot run: the second oracle and the parts it
 * gets wrong, and a '#' line saying what checks the engine's results. */
static inline void diff_table_oracle(struct diff_table_run *t)
{
	if (t->host_runs)
		return;
	t->oracle = diff_second_oracle();
#ifdef HVF_HAVE_UNICORN
	if (t->oracle)
		t->oracle_excl = diff_uc_excl;
#endif
	printf("# %d-bit forms: the host cannot run them; engine results "
	       "%s%s%s\n", t->is32 ? 32 : 64,
	       t->no_record ? "not checked against the Intel record in "
			      "this run"
			    : "checked against the Intel record",
	       t->oracle ? ", SDM-defined parts compared with " : "",
	       t->oracle ? t->oracle : " only (no second oracle)");
}

/* Loads form f into the second oracle if the table uses one for it. */
static inline void diff_oracle_load(const struct diff_table_run *t,
				    bool native, const struct form *f)
{
#ifdef HVF_HAVE_UNICORN
	if (!native && t->oracle) {
		diff_uc_load(f);
		diff_uc_excl_note(f);
	}
#else
	(void)t;
	(void)native;
	(void)f;
#endif
}

/* Runs one case on the host, or for a table the host cannot run on the
 * second oracle if there is one; returns the results' state, or NULL if
 * neither ran (*failed: the second oracle did not reach the HLT). */
static inline const struct xstate *diff_oracle_run(const struct diff_table_run *t,
						   bool native, struct xstate *st,
						   uint8_t *data, bool *failed)
{
	*failed = false;
	if (native && t->is32)
		diff_native_run32(st, data);
	else if (native)
		diff_native_run(st, data);
#ifdef HVF_HAVE_UNICORN
	else if (t->oracle && diff_uc_run(st, data))
		return st;
	else if (t->oracle)
		*failed = true;
#endif
	return native ? st : NULL;
}

#endif
