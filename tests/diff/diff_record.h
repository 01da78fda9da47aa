/* SPDX-License-Identifier: MIT */
/* The host as oracle, by vendor (tests/lib/host_cpu.h). On an Intel host
 * every case is compared with the host bit for bit, as always, and the
 * host's results are digested per form and checked against the Intel
 * record (so a stale record fails there). On any other host the parts
 * diff_undef.h lists as SDM-undefined are left out of the host
 * comparison case by case, and a form holding an instruction of
 * diff_intel_only is not run on the host at all; the engine's results
 * are digested and checked against the record instead, the only check of
 * those parts there. A table the host cannot run at all (the 32-bit forms
 * on a kernel without a 32-bit code segment) runs in the engine alone:
 * every form's digest is checked against the record, and with a second
 * oracle (diff_unicorn.h) the SDM-defined parts of every case are
 * compared with it, the same parts as with a non-Intel host. The record
 * holds the digests of the default fixed-seed cases only; with DIFF_FORM,
 * DIFF_CASES or a changed case order it is not checked (a "# record not
 * checked" line says so).
 *
 * A form's digest covers, case by case in order, what the host comparison
 * requires to be bit-identical: every GPR (for 32-bit forms the low 32
 * bits of the eight GPRs), the RFLAGS bits of DIFF_FLAGS_CMP, and for a
 * form whose memory destination can be undefined that operand's bytes
 * (the rest of the data buffer is never excluded from the host
 * comparison). Its key is the form's text (newlines as ';'), its setup
 * unless S_NONE, and "32: " before the forms of diff_forms32. */
#ifndef OPENHVF_TEST_DIFF_RECORD_H
#define OPENHVF_TEST_DIFF_RECORD_H

#include "diff_undef.h"
#include "host_cpu.h"

/* One table (64-bit or 32-bit forms) being run. */
struct diff_table_run {
	const struct intel_record *rec;
	size_t nrec;
	bool is32;
	bool intel;            /* compare exactly, digest the host's results */
	bool host_runs;        /* the host can run this table's code */
	const char *oracle;    /* the second oracle's name (!host_runs), or NULL */
	/* Adds the parts the second oracle gets wrong (diff_unicorn.h). */
	void (*oracle_excl)(const struct form *f, const struct xstate *in,
			    struct diff_excl *x);
	const char *no_record; /* why the record is not checked, or NULL */
	unsigned long oracle_cases; /* cases compared with the second oracle */
	unsigned long rule_cases[DIFF_NRULES];
	unsigned rule_forms[DIFF_NRULES];
};

/* One form being run. */
struct diff_form_run {
	const struct form *f;
	struct form_undef fu;
	bool mem_dest;
	bool native;      /* run on the host too (diff_intel_only) */
	unsigned long engine_only; /* cases checked by the record only */
	unsigned long oracle_cases; /* cases compared with the second oracle */
	uint64_t digest;
	uint64_t rules_hit;
};

/* The 64-bit table ran with its recorded cases; the 32-bit table draws
 * its cases after it, so only then are its cases the recorded ones. */
static bool diff_seq64_recorded;

static inline const char *diff_no_record(bool is32, unsigned ncases,
					 unsigned dflt)
{
	if (getenv("DIFF_FORM"))
		return "DIFF_FORM selects forms, so the forms draw other cases";
	if (ncases != dflt)
		return "DIFF_CASES changes the number of cases";
	if (!is32 && diff_rng != DIFF_RNG_SEED)
		return "the cases do not start at the seed";
	if (is32 && !diff_seq64_recorded)
		return "the 64-bit forms did not run first with their recorded cases";
	return NULL;
}

/* Starts a table. host_runs false: the host cannot run the table's code
 * (no 32-bit code segment), so every form runs in the engine only and its
 * digest is checked against the record; diff_table_oracle
 * (diff_unicorn.h) then sets the second oracle, if any, that the
 * SDM-defined parts of each case are compared with. */
static inline void diff_table_begin(struct diff_table_run *t,
				    const struct intel_record *rec, size_t nrec,
				    bool is32, unsigned ncases, unsigned dflt,
				    bool host_runs)
{
	memset(t, 0, sizeof(*t));
	t->rec = rec;
	t->nrec = nrec;
	t->is32 = is32;
	t->intel = host_is_intel();
	t->host_runs = host_runs;
	t->no_record = diff_no_record(is32, ncases, dflt);
	if (t->no_record)
		printf("# record not checked (%d-bit forms): %s\n",
		       is32 ? 32 : 64, t->no_record);
	if (!is32)
		diff_seq64_recorded = false;
}

/* Starts form f; returns whether its cases run on the host too. */
static inline bool diff_form_begin(const struct diff_table_run *t,
				   struct diff_form_run *fr,
				   const struct form *f)
{
	fr->f = f;
	diff_undef_parse(f, t->is32, &fr->fu);
	fr->mem_dest = diff_undef_mem_dest(&fr->fu);
	fr->native = t->host_runs && (t->intel || !fr->fu.intel_only);
	fr->engine_only = 0;
	fr->oracle_cases = 0;
	fr->digest = DIGEST_INIT;
	fr->rules_hit = 0;
	return fr->native;
}

static inline uint64_t diff_digest_case(uint64_t h,
					const struct diff_form_run *fr,
					const struct xstate *in,
					const struct xstate *out,
					const uint8_t *data, bool is32)
{
	uint64_t fl = out->rflags & DIFF_FLAGS_CMP;

	for (int i = 0; i < (is32 ? 8 : 16); i++) {
		uint32_t lo = (uint32_t)out->gpr[i];

		h = is32 ? digest_add(h, &lo, 4) : digest_add(h, &out->gpr[i], 8);
	}
	h = digest_add(h, &fl, 8);
	if (fr->mem_dest) {
		struct diff_excl x = { 0, -1, 0, 0, 0 };

		undef_dest(&fr->fu, in, is32, &x);
		if (x.mem_off >= 0 && x.mem_off + x.mem_len <= DIFF_DATA_SIZE)
			h = digest_add(h, data + x.mem_off, x.mem_len);
	}
	return h;
}

/* The SDM-undefined parts of one case (none on an Intel host compared
 * with itself), counted per row of diff_undef.h. */
static inline const struct diff_excl *
diff_case_excl(struct diff_table_run *t, struct diff_form_run *fr,
	       const struct xstate *in, const uint8_t *din, struct diff_excl *x)
{
	uint64_t hit;

	if (t->intel && fr->native)
		return NULL;
	hit = diff_undef_case(&fr->fu, in, din, t->is32, x);
	for (unsigned i = 0; i < DIFF_NRULES; i++)
		t->rule_cases[i] += (hit >> i) & 1;
	fr->rules_hit |= hit;
	if (!fr->native && t->oracle_excl)
		t->oracle_excl(fr->f, in, x);
	return x;
}

/* Compares one case (in, din: the inputs; nat, dnat: the host's results,
 * or for a form not run on the host the second oracle's, NULL if none
 * ran; emu, demu: the engine's) and adds it to the form's digest; true if
 * the compared parts agree. */
static inline bool diff_form_case(struct diff_table_run *t,
				  struct diff_form_run *fr,
				  const struct xstate *in, const uint8_t *din,
				  const struct xstate *nat, const uint8_t *dnat,
				  const struct xstate *emu, const uint8_t *demu,
				  bool verbose)
{
	struct diff_excl x;
	const struct diff_excl *xp;
	bool host_digest = t->intel && fr->native;

	fr->digest = host_digest
		? diff_digest_case(fr->digest, fr, in, nat, dnat, t->is32)
		: diff_digest_case(fr->digest, fr, in, emu, demu, t->is32);
	if (!fr->native)
		fr->engine_only++;
	if (!nat)
		return true;
	fr->oracle_cases += !fr->native;
	xp = diff_case_excl(t, fr, in, din, &x);
	return diff_compare_mode(fr->f, in, nat, emu, dnat, demu, verbose,
				 t->is32, xp);
}

static inline void diff_record_key(char *k, size_t n, const struct form *f,
				   bool is32)
{
	size_t at = (size_t)snprintf(k, n, "%s", is32 ? "32: " : "");

	for (const char *p = f->text; *p && at + 1 < n; p++)
		k[at++] = *p == '\n' ? ';' : *p;
	k[at] = 0;
	if (f->setup != S_NONE)
		snprintf(k + at, n - at, " [%s]", f->setup_name);
}

static inline uint64_t diff_recorded(const struct diff_table_run *t,
				     const char *key)
{
	for (size_t i = 0; i < t->nrec; i++)
		if (strcmp(t->rec[i].key, key) == 0)
			return t->rec[i].digest;
	return 0;
}

/* The record verdict of a form without one: on an Intel host a note
 * with the line to add; elsewhere a failure if the form has SDM-undefined
 * parts (nothing else checks them), else a note. */
static inline bool diff_record_missing(const struct diff_table_run *t,
				       const struct diff_form_run *fr,
				       const char *key)
{
	if (t->intel) {
		printf("# no Intel record, add: RECORD(\"%s\", 0x%016llx)\n",
		       key, (unsigned long long)fr->digest);
		return true;
	}
	if (fr->fu.nrules || !fr->native) {
		printf("# no Intel record for \"%s\": its Intel-specific parts "
		       "are checked nowhere on this host\n", key);
		return false;
	}
	printf("# no Intel record for \"%s\" (nothing SDM-undefined: fully "
	       "compared with the host)\n", key);
	return true;
}

/* Ends a form: the record check; true if it passes. */
static inline bool diff_form_end(struct diff_table_run *t,
				 const struct diff_form_run *fr)
{
	char key[256];

	for (unsigned i = 0; i < DIFF_NRULES; i++)
		t->rule_forms[i] += (fr->rules_hit >> i) & 1;
	t->oracle_cases += fr->oracle_cases;
	diff_record_key(key, sizeof(key), fr->f, t->is32);
	if (!fr->native && t->host_runs)
		printf("# host %s: \"%s\" not run on the host (SDM %s): its %lu "
		       "engine results %s\n", host_vendor(), key,
		       fr->fu.intel_only, fr->engine_only,
		       t->no_record ? "are not checked in this run"
				    : "checked against the Intel record only");
	if (fr->fu.later) {
		printf("# \"%s\": a later instruction has SDM-undefined parts, "
		       "which diff_undef.h does not model\n", key);
		return false;
	}
	if (t->no_record)
		return true;
	switch (intel_record_check(t->rec, t->nrec, key, fr->digest)) {
	case RECORD_MATCH:
		return true;
	case RECORD_DIFFERS:
		printf("# record differs: \"%s\": %s digest 0x%016llx, Intel "
		       "record 0x%016llx\n", key, t->intel ? "host" : "engine",
		       (unsigned long long)fr->digest,
		       (unsigned long long)diff_recorded(t, key));
		return false;
	case RECORD_MISSING:
		break;
	}
	return diff_record_missing(t, fr, key);
}

static inline void diff_flag_names(char *b, size_t n, unsigned flags)
{
	static const struct { unsigned bit; const char *name; } fl[] = {
		{ UF_CF, "CF" }, { UF_PF, "PF" }, { UF_AF, "AF" },
		{ UF_ZF, "ZF" }, { UF_SF, "SF" }, { UF_OF, "OF" },
	};
	size_t at = 0;

	b[0] = 0;
	for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]) && at < n; i++)
		if (flags & fl[i].bit)
			at += (size_t)snprintf(b + at, n - at, "%s%s",
					       at ? " " : "", fl[i].name);
}

/* Ends a table: on a host that is not Intel, one line per row of
 * diff_undef.h that excluded something, saying what was not compared. */
static inline void diff_table_end(struct diff_table_run *t)
{
	const char *forced = getenv("HVF_HOST_VENDOR");
	char what[64];

	if (!t->is32)
		diff_seq64_recorded = !t->no_record;
	if (t->oracle)
		printf("# %lu cases of %d-bit forms compared with %s (the "
		       "SDM-defined parts)\n", t->oracle_cases, t->is32 ? 32 : 64,
		       t->oracle);
	for (unsigned i = 0; (!t->intel || !t->host_runs) && i < DIFF_NRULES;
	     i++) {
		const struct undef_rule *r = &diff_undef_rules[i];

		if (!t->rule_cases[i])
			continue;
		diff_flag_names(what, sizeof(what), r->flags);
		printf("# host %s%s: %s%s%s of %s %s (SDM %s: undefined) not "
		       "compared with %s in %lu cases of %u %d-bit forms; "
		       "%s\n", host_vendor(),
		       forced ? " (HVF_HOST_VENDOR set)" : "", what,
		       what[0] && r->dest ? " and " : "",
		       r->dest ? "the destination" : "", r->mnem,
		       undef_when_text(r->when), r->sdm,
		       t->host_runs ? "the host" : t->oracle,
		       t->rule_cases[i],
		       t->rule_forms[i], t->is32 ? 32 : 64,
		       t->no_record ? "the record is not checked in this run: "
				      "not checked at all"
				    : "checked against the Intel record only");
	}
}

#endif
