/* SPDX-License-Identifier: MIT */
/* emu_fp_trans_test on a host that is not Intel's: the engine models an
 * Intel CPU, whose transcendentals round in their own way, so there the
 * host is compared only in what the SDM defines (sdm_compare), and
 * Intel's exact results are checked against a record: digests of them
 * (digest_x87) kept in emu_fp_trans_intel.def (check_record; see
 * tests/lib/host_cpu.h). On an Intel host the host's results are
 * digested and checked against the same record. Form numbers f are the
 * test's: 0 FSIN, 1 FCOS, 2 FPTAN, 3 FSINCOS, 4 FPATAN, 5 FYL2X,
 * 6 FYL2XP1, 7 F2XM1. */
#ifndef OPENHVF_TEST_EMU_FP_TRANS_HOST_H
#define OPENHVF_TEST_EMU_FP_TRANS_HOST_H

#include "emu_fp_harness.h"
#include "../lib/host_cpu.h"
#include "../lib/test.h"

/* What one case gave: both result images, the largest difference in ulp
 * between the registers, whether FSW matched, the host's FSW, and
 * whether registers differ where the SDM leaves the result undefined
 * (not compared on a non-Intel host). */
struct outcome {
	struct fp_image h, e;
	uint64_t d;
	bool same_fsw;
	uint16_t host_fsw;
	bool unjudged;
};

/* FSW exception flags (SDM Vol. 1, 8.1.3.3). */
enum { X87_IE = 1, X87_DE = 2, X87_ZE = 4, X87_OE = 8, X87_UE = 16,
       X87_PE = 32 };

/* Whether the host is the oracle for every bit (an Intel host), or only
 * for what the SDM defines. */
static bool on_intel(void)
{
	static int intel = -1;

	if (intel < 0)
		intel = host_is_intel();
	return intel;
}

/* Distance in units in the last place between two finite extended
 * values of the same sign (~0 when not comparable). */
static uint64_t ulps(const uint8_t *a, const uint8_t *b)
{
	uint64_t ma, mb;
	uint16_t ea, eb;
	__int128 oa, ob, d;

	memcpy(&ma, a, 8);
	memcpy(&mb, b, 8);
	memcpy(&ea, a + 8, 2);
	memcpy(&eb, b + 8, 2);
	if ((ea ^ eb) & 0x8000 || (ea & 0x7fff) == 0x7fff ||
	    (eb & 0x7fff) == 0x7fff)
		return ~0ull;
	oa = (__int128)(ea & 0x7fff) << 63 | (ma & ~(1ull << 63));
	ob = (__int128)(eb & 0x7fff) << 63 | (mb & ~(1ull << 63));
	d = oa > ob ? oa - ob : ob - oa;
	return d > 1000 ? ~0ull : (uint64_t)d;
}

/* Zero, infinity or NaN (any operand of such a form is exact). */
static bool special(const uint8_t *p)
{
	uint64_t m;
	uint16_t se;

	memcpy(&m, p, 8);
	memcpy(&se, p + 8, 2);
	return !m || (se & 0x7fff) == 0x7fff;
}

/* ---- what the SDM defines ---- */

/* Cases whose every result bit the SDM defines: an exception that
 * leaves no rounded result (IE or ZE: a NaN or infinity if masked;
 * unmasked IE, ZE or DE: no result at all; Vol. 1, 8.5.1 to 8.5.3), a
 * trigonometric operand out of range (C2 = 1, ST0 unchanged; Vol. 2A
 * FCOS, FPTAN, FSIN, FSINCOS), and NaN, infinite or zero operands (the
 * table of results on each instruction's page, Vol. 2A). */
static bool sdm_exact(unsigned f, const struct fp_image *in, uint16_t fsw)
{
	const uint8_t *x = in->x87 + 32, *y = in->x87 + 48;
	uint16_t fcw;

	memcpy(&fcw, in->x87, 2);
	if (fsw & (X87_IE | X87_ZE) || fsw & ~fcw & X87_DE)
		return true;
	if (f < 4 && (fsw & FSW_C2))
		return true;
	return special(x) || (f >= 4 && f <= 6 && special(y));
}

/* Finite operands for which the SDM leaves the result undefined:
 * F2XM1 with |x| > 1 (Vol. 2A F2XM1: the source must lie in -1.0 to
 * +1.0) and FYL2XP1 with |x| > 1 - sqrt(2)/2 (Vol. 2A FYL2XP1); that
 * bound, 0.29289..., lies between the extended values with exponent
 * 0x3ffd and significands 0x95f619980c4336f7 and ...f8. */
static bool sdm_undefined(unsigned f, const uint8_t *x)
{
	uint64_t m;
	uint16_t e;

	memcpy(&m, x, 8);
	memcpy(&e, x + 8, 2);
	e &= 0x7fff;
	if (special(x))
		return false;
	if (f == 7)
		return e > 0x3fff || (e == 0x3fff && m != 1ull << 63);
	if (f == 6)
		return e > 0x3ffd || (e == 0x3ffd && m > 0x95f619980c4336f7ull);
	return false;
}

/* Whether ST(i) after the instruction holds a rounded result: FPTAN's
 * ST1 (its ST0 is 1.0 exactly, Vol. 2A FPTAN), FSINCOS's ST0 (cosine)
 * and ST1 (sine), else ST0. */
static bool sdm_result_reg(unsigned f, unsigned i)
{
	if (f == 2)
		return i == 1;
	if (f == 3)
		return i <= 1;
	return i == 0;
}

/* The largest distance between two results that each keep the SDM's
 * accuracy bound (Vol. 1, 8.3.10: an error below 1 ulp in round to
 * nearest and below 1.5 ulp in the other modes; FYL2X and FYL2XP1 with
 * y != 1 within 1.35 ulp in round to nearest and, no bound being given
 * for the other modes, the test's TRANS_ULP_TOL there): two results
 * below 1 ulp each lie at most 1 ulp apart, below 1.5 or 1.35 ulp
 * each at most 2 ulp apart. */
static uint64_t sdm_ulp_bound(unsigned f, uint16_t fcw, const uint8_t *y)
{
	static const uint8_t one[10] = { [7] = 0x80, [8] = 0xff, [9] = 0x3f };
	bool y_not_1 = (f == 5 || f == 6) && memcmp(y, one, 10);

	if (fcw & 0xc00 || y_not_1)
		return 2;
	return 1;
}

/* FSW bits compared with the host. Not compared: C0 and C3, undefined
 * for all eight instructions, and C2, undefined for FPATAN, FYL2X,
 * FYL2XP1 and F2XM1 (Vol. 2A, "FPU Flags Affected"); unless a stack
 * fault defines it (0 underflow, 1 overflow; Vol. 1, 8.1.3.4), C1, set
 * if the result was rounded up; PE and UE, which depend on the exact
 * result (inexact; tiny), and ES and B, their summary (Vol. 1, 8.1.3),
 * when they are unmasked. For an undefined result (sdm_undefined) also
 * OE. A case whose result the SDM defines exactly (sdm_exact) keeps
 * everything but C0, C2 and C3 as listed. */
static uint16_t sdm_fsw_mask(unsigned f, uint16_t fcw, uint16_t fsw,
			     bool exact, bool undefined)
{
	uint16_t m = (uint16_t)~(FSW_C0 | FSW_C3);
	uint16_t rounding = X87_PE | X87_UE | (undefined ? X87_OE : 0);

	if (f >= 4)
		m &= (uint16_t)~FSW_C2;
	if (exact)
		return m;
	if (!(fsw & FSW_SF))
		m &= (uint16_t)~FSW_C1;
	m &= (uint16_t)~rounding;
	if (~fcw & rounding)
		m &= (uint16_t)~(FSW_ES | FSW_B);
	return m;
}

/* The registers: those that keep no rounded result bit for bit, a
 * rounded result within sdm_ulp_bound of the host's (not compared where
 * undefined: o->unjudged); the largest distance goes to o->d. */
static bool sdm_registers(unsigned f, const struct fp_image *in,
			  struct outcome *o, bool exact, bool undefined)
{
	const uint8_t *hx = o->h.x87, *ex = o->e.x87;
	uint16_t fcw;
	uint64_t bound;

	memcpy(&fcw, in->x87, 2);
	bound = sdm_ulp_bound(f, fcw, in->x87 + 48);
	for (unsigned i = 0; i < 8; i++) {
		const uint8_t *a = hx + 32 + 16 * i, *b = ex + 32 + 16 * i;
		uint64_t u;

		if (!memcmp(a, b, 10))
			continue;
		if (exact || !sdm_result_reg(f, i))
			return false;
		o->unjudged |= undefined;
		if (undefined)
			continue;
		u = ulps(a, b);
		if (u > bound)
			return false;
		o->d = u > o->d ? u : o->d;
	}
	return true;
}

/* The comparison with a host that is not Intel's, of the case in and
 * its results o->h (host) and o->e (engine): FCW and FTW exactly, FSW
 * in the bits of sdm_fsw_mask, the registers as in sdm_registers. */
static bool sdm_compare(unsigned f, const struct fp_image *in,
			struct outcome *o)
{
	const struct fp_image *h = &o->h, *e = &o->e;
	uint16_t fcw, fh, fe;
	bool exact, undefined;

	memcpy(&fcw, in->x87, 2);
	memcpy(&fh, h->x87 + 2, 2);
	memcpy(&fe, e->x87 + 2, 2);
	exact = sdm_exact(f, in, fh);
	undefined = !exact && sdm_undefined(f, in->x87 + 32);
	if (memcmp(h->x87, e->x87, 2) || h->x87[4] != e->x87[4])
		return false;
	if ((fh ^ fe) & sdm_fsw_mask(f, fcw, fh, exact, undefined))
		return false;
	return sdm_registers(f, in, o, exact, undefined);
}

/* The lines that say, once per test, what a non-Intel host is not
 * compared in. */
static void sdm_note(const char *what)
{
	if (!on_intel())
		printf("# host %s: %s\n", host_vendor(), what);
}

/* What no test compares with a non-Intel host (sdm_compare). */
static void sdm_notes(void)
{
	sdm_note("rounded results compared only within 1 ulp in round to "
		 "nearest, 2 otherwise or for FYL2X/FYL2XP1 with y != 1 (SDM "
		 "Vol. 1 8.3.10 bounds each error by 1, 1.5, 1.35 ulp); C0 C3, "
		 "and C2 of FPATAN FYL2X FYL2XP1 F2XM1, not compared (Vol. 2A "
		 "FPU Flags Affected: undefined)");
	sdm_note("C1 (rounded up) unless a stack fault, PE and UE (inexact, "
		 "tiny: they depend on the exact result), ES and B if PE or UE "
		 "is unmasked, not compared but for NaN/infinite/zero operands "
		 "and exception results (exactly defined by the SDM)");
	sdm_note("F2XM1 |x| > 1 (Vol. 2A F2XM1) and FYL2XP1 |x| > 1 - "
		 "sqrt(2)/2 (Vol. 2A FYL2XP1): result, C1, PE, UE, OE not "
		 "compared (undefined)");
}

/* How many of a form's results were not compared (sdm_undefined). */
static void sdm_unjudged(const char *form, unsigned n)
{
	if (n)
		printf("# host %s: %s: %u results that the SDM leaves "
		       "undefined differ, not compared\n", host_vendor(), form,
		       n);
}

/* ---- Intel's results: the record ---- */

/* Digests of an Intel host's results. The engine matched an Intel Xeon
 * (family 6 model 207) on every case and bit the digests cover at
 * commit 389109a (make test 407 passed there; the engine and these
 * cases are unchanged since), so the .def was generated from the
 * engine's results (HVF_RECORD=1 on a non-Intel host). */
static const struct intel_record trans_records[] = {
#define RECORD(key, digest) { key, digest },
#include "emu_fp_trans_intel.def"
#undef RECORD
};

/* Adds a case's x87 outcome to digest d: FCW, FSW (without C1 unless
 * whole), FTW and, if whole, the eight registers. That is all that the
 * test compares bit for bit in a case required bit-exact (whole) and
 * in any other case (FSW but C1) on an Intel host. */
static uint64_t digest_x87(uint64_t d, const uint8_t *x87, bool whole)
{
	uint16_t fsw;

	memcpy(&fsw, x87 + 2, 2);
	if (!whole)
		fsw &= (uint16_t)~FSW_C1;
	d = digest_add(d, x87, 2);
	d = digest_add(d, &fsw, 2);
	d = digest_add(d, x87 + 4, 1);
	for (unsigned i = 0; whole && i < 8; i++)
		d = digest_add(d, x87 + 32 + 16 * i, 10);
	return d;
}

/* Intel's x87 outcome of a case: the host's on an Intel host, else the
 * engine's (Intel's in what digest_x87 covers, see trans_records). */
static const uint8_t *intel_x87(const struct fp_image *h,
				const struct fp_image *e)
{
	return on_intel() ? h->x87 : e->x87;
}

/* The engine's own whole results, every case of the random mix, as the
 * engine code of 389109a computes them (emu_fp_trans_engine.def). Not
 * Intel's: outside exact_domain the test allows Intel's results to
 * differ from the engine's by up to TRANS_ULP_TOL, and on a non-Intel
 * host nothing else judges those bits. The record pins them, so that a
 * change of the engine's rounding anywhere in the mix fails until it is
 * examined on an Intel host and the record regenerated on purpose. */
static const struct intel_record trans_engine_records[] = {
#define RECORD(key, digest) { key, digest },
#include "emu_fp_trans_engine.def"
#undef RECORD
};

/* Checks digest d of key against the n records of t, unless the case
 * set is not the recorded one (recorded false; why says which
 * override); who names whose results d digests. */
static void check_digest(const struct intel_record *t, size_t n,
			 const char *who, const char *key, uint64_t d,
			 bool recorded, const char *why)
{
	enum record_verdict v;

	if (!recorded) {
		printf("# record not checked: %s: %s\n", key, why);
		return;
	}
	v = intel_record_check(t, n, key, d);
	if (v == RECORD_MATCH)
		return;
	printf("# record %s: %s digest 0x%016llx, ", key, who,
	       (unsigned long long)d);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].key, key))
			printf("recorded 0x%016llx\n",
			       (unsigned long long)t[i].digest);
	if (v == RECORD_MISSING)
		printf("none recorded\n");
	EXPECT_EQ(RECORD_MATCH, v);
}

/* Checks digest d of Intel's results (intel_x87) against the Intel
 * record. */
static void check_record(const char *key, uint64_t d, bool recorded,
			 const char *why)
{
	check_digest(trans_records, sizeof(trans_records) /
		     sizeof(trans_records[0]), on_intel() ? "host" : "engine",
		     key, d, recorded, why);
}

/* Checks digest d of the engine's results against the engine record. */
static void check_engine_record(const char *key, uint64_t d, bool recorded,
				const char *why)
{
	check_digest(trans_engine_records, sizeof(trans_engine_records) /
		     sizeof(trans_engine_records[0]), "engine", key, d,
		     recorded, why);
}

#endif
