/* SPDX-License-Identifier: MIT */
/* ISA differential test against the host CPU, engine side through the
 * mock MMU (no VM): every form of tests/diff/isa_forms.h (64-bit mode,
 * and 32-bit forms in compatibility mode) with thousands of random cases
 * each (DIFF_CASES overrides, DIFF_FORM selects forms by text; fixed
 * seed). The same forms run through the public API in
 * tests/diff/isa_diff_test.c. On a host that is not an Intel CPU the
 * SDM-undefined parts are checked against emu_diff_intel.def instead of
 * the host (tests/diff/diff_record.h). Where the host cannot run 32-bit
 * code the 32-bit forms run in the engine alone: their digests are
 * checked against the record and, if the build found unicorn, their
 * SDM-defined parts are compared with unicorn (diff_unicorn.h). */
#include "../diff/diff_unicorn.h"
#include "emu_mock.h"
#include "engine/emu/exec.h"
#include "test.h"

static struct emu_cpu cpu;

/* Digests of an Intel host's results over the default cases (2000 per
 * form, fixed seed), one per form: see the file's head comment. */
static const struct intel_record emu_diff_records[] = {
#define RECORD(key, digest) { key, digest },
#include "emu_diff_intel.def"
#undef RECORD
};

#define EMU_DIFF_CASES 2000

static void engine_load(const struct form *f, uint64_t at)
{
	size_t n = (size_t)(f->e - f->s);

	memcpy(mock_mem + at, f->s, n);
	mock_mem[at + n] = 0xf4; /* HLT */
}

/* Runs one case, alternately through emu_step and emu_run (decoded
 * blocks); false if the engine raised an exception or did not reach the
 * HLT. */
static bool engine_run(struct xstate *st, uint8_t *data, bool is32)
{
	static unsigned turn;

	mock_cpu_init(&cpu, is32 ? MODE_COMPAT : MODE_LONG,
		      is32 ? diff_form32_addr() : diff_form_addr(), 0);
	memcpy(cpu.gpr, st->gpr, sizeof(cpu.gpr));
	emu_set_rflags(&cpu, st->rflags);
	/* The selectors of a Linux process, for PUSH/POP Sreg forms. */
	for (int s = 0; s < 6; s++)
		cpu.seg[s].sel = s == SEG_CS ? (is32 ? 0x23 : 0x33) : 0x2b;
	memcpy(mock_mem + DIFF_DATA, data, DIFF_DATA_SIZE);
	if (turn++ & 1)
		mock_run_blocks(&cpu, 1000);
	else
		mock_run(&cpu, 1000);
	memcpy(st->gpr, cpu.gpr, sizeof(cpu.gpr));
	st->rflags = emu_get_rflags(&cpu);
	memcpy(data, mock_mem + DIFF_DATA, DIFF_DATA_SIZE);
	return mock_exc == -1 && cpu.halted;
}

static uint8_t d_in[DIFF_DATA_SIZE], d_nat[DIFF_DATA_SIZE],
	d_emu[DIFF_DATA_SIZE];

/* Returns the number of failing cases of form f (a failing record check
 * counts as one). */
static unsigned run_form(struct diff_table_run *t, const struct form *f,
			 unsigned ncases, bool is32)
{
	struct diff_form_run fr;
	unsigned bad = 0;
	bool native;

	if (is32) {
		diff_native_load32(f);
		engine_load(f, diff_form32_addr());
	} else {
		diff_native_load(f);
		engine_load(f, diff_form_addr());
	}
	native = diff_form_begin(t, &fr, f);
	diff_oracle_load(t, native, f);
	for (unsigned c = 0; c < ncases; c++) {
		struct xstate in, nat, emu;
		const struct xstate *ran;
		bool failed;

		diff_make_case(f, &in, d_in);
		nat = emu = in;
		memcpy(d_nat, d_in, sizeof(d_in));
		memcpy(d_emu, d_in, sizeof(d_in));
		ran = diff_oracle_run(t, native, &nat, d_nat, &failed);
		if (failed && bad++ < 2)
			printf("# %s: unicorn stopped before the HLT\n", f->text);
		if (!engine_run(&emu, d_emu, is32)) {
			if (bad++ < 2)
				printf("# %s: engine exception %d\n", f->text,
				       mock_exc);
			continue;
		}
		if (!diff_form_case(t, &fr, &in, d_in, ran, d_nat, &emu, d_emu,
				    bad < 2))
			bad++;
	}
	return bad + !diff_form_end(t, &fr);
}

static unsigned run_table(const struct form *t, size_t n, bool is32,
			  bool host_runs, unsigned ncases)
{
	const char *only = getenv("DIFF_FORM");
	struct diff_table_run tr;
	unsigned bad_forms = 0;

	diff_table_begin(&tr, emu_diff_records,
			 sizeof(emu_diff_records) / sizeof(emu_diff_records[0]),
			 is32, ncases, EMU_DIFF_CASES, host_runs);
	diff_table_oracle(&tr);
	for (size_t i = 0; i < n; i++) {
		if (only && !strstr(t[i].text, only))
			continue;
		if (run_form(&tr, &t[i], ncases, is32)) {
			printf("# FAIL form %zu: %s\n", i, t[i].text);
			bad_forms++;
		}
	}
	diff_table_end(&tr);
	printf("# %zu forms x %u cases, %u forms failing\n", n, ncases,
	       bad_forms);
	return bad_forms;
}

TEST(emu_diff_64bit_forms)
{
	if (!diff_native_init()) {
		test_skip("cannot map the native test pages");
		return;
	}
	EXPECT_EQ(0, run_table(diff_forms, DIFF_NFORMS, false, true,
			       diff_cases(EMU_DIFF_CASES)));
}

TEST(emu_diff_32bit_forms)
{
	if (!diff_native_init()) {
		test_skip("cannot map the native test pages");
		return;
	}
	EXPECT_EQ(0, run_table(diff_forms32, DIFF_NFORMS32, true,
			       diff_native_has32(), diff_cases(EMU_DIFF_CASES)));
}
