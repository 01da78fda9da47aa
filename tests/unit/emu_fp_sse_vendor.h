/* SPDX-License-Identifier: MIT */
/* emu_fp_sse_test on non-Intel hosts (emu_fp_harness.h, struct
 * fp_vendor): the parts of the SSE results the SDM leaves to the
 * implementation, checked against the Intel record, and what the SDM
 * does define of them, checked against the SDM or the host. */
#ifndef OPENHVF_TEST_EMU_FP_SSE_VENDOR_H
#define OPENHVF_TEST_EMU_FP_SSE_VENDOR_H

#include "emu_fp_harness.h"

#include <stdlib.h>

static const struct intel_record sse_records[] = {
#define RECORD(key, digest) { key, digest },
#include "emu_fp_sse_intel.def"
#undef RECORD
};

/* ---- RCPPS/RCPSS/RSQRTPS/RSQRTSS (SDM Vol. 2B) ----
 * The SDM defines the special cases exactly and, for the others, only
 * |relative error| <= 1.5 * 2^-12; the bits are Intel's tables. */

enum rcp_kind {
	RCP_EXACT, /* zero, denormal, infinity, NaN, negative (RSQRT), or
		    * an RCP result sure to be tiny: compared with the host */
	RCP_BOUND, /* normal result within the bound */
	RCP_BAND,  /* RCP of an input that may or may not give a tiny
		    * result, flushed to 0 (SDM Vol. 2B, RCPPS) */
};

/* The RCPPS band: from 1.11111111110100000000000B * 2^125 up to
 * 1.00000000000110000000001B * 2^126 whether the result is tiny (and
 * flushed to 0.0 with the operand's sign) depends on the
 * implementation (SDM Vol. 2B, RCPPS). */
#define RCP_BAND_LO 0x7e7fe800u
#define RCP_BAND_HI 0x7e800c01u

static inline enum rcp_kind rcp_kind(uint32_t x, bool rsqrt)
{
	uint32_t e = x >> 23 & 0xff, mag = x & 0x7fffffffu;

	if (e == 0 || e == 0xff)
		return RCP_EXACT;
	if (rsqrt)
		return x >> 31 ? RCP_EXACT : RCP_BOUND;
	if (mag > RCP_BAND_HI)
		return RCP_EXACT;
	return mag >= RCP_BAND_LO ? RCP_BAND : RCP_BOUND;
}

/* Is r a normal float within 1.5 * 2^-12 = 3 * 2^-13 of 1/x (rcp) or
 * 1/sqrt(x) (rsqrt), x a normal float? Exact integer arithmetic on the
 * 24-bit significands X, R: for rcp |R*X*2^-k - 1| <= 3 * 2^-13, for
 * rsqrt R^2*X*2^-k within [(1 - 3*2^-13)^2, (1 + 3*2^-13)^2]. */
static inline bool rcp_within(uint32_t x, uint32_t r, bool rsqrt)
{
	int ex = (int)(x >> 23 & 0xff), er = (int)(r >> 23 & 0xff), k;
	unsigned __int128 X = (x & 0x7fffffu) | 0x800000u;
	unsigned __int128 R = (r & 0x7fffffu) | 0x800000u, one, p;
	const unsigned __int128 lo = (8192 - 3) * (8192 - 3),
				hi = (8192 + 3) * (8192 + 3);

	if (er == 0 || er == 0xff || (rsqrt ? r >> 31 : (r ^ x) >> 31))
		return false;
	k = rsqrt ? 450 - 2 * er - ex : 300 - er - ex;
	if (k < 40 || k > 90)
		return false;
	one = (unsigned __int128)1 << k;
	if (rsqrt) {
		p = R * R * X << 26;
		return lo * one <= p && p <= hi * one;
	}
	p = R * X;
	return ((p > one ? p - one : one - p) << 13) <= 3 * one;
}

/* The engine's approximation r of x, by what the SDM defines (the
 * RCP_EXACT cases are the host's to judge). */
static inline bool rcp_sdm_ok(uint32_t x, uint32_t r, bool rsqrt)
{
	if (rcp_kind(x, rsqrt) == RCP_BAND && r == (x & 0x80000000u))
		return true;
	return rcp_within(x, r, rsqrt);
}

/* A form's operands, from its text: "op src,dst" with src %xmmN,
 * %ymmN or OFF(%rbx), and for the VEX scalars "op src,src1,dst". */
struct rcp_form {
	bool rsqrt;
	unsigned lanes, dst, off;
	int src; /* -1: memory at (%rbx) + off */
};

static inline bool rcp_form_of(const char *text, struct rcp_form *r)
{
	size_t n = strcspn(text, " ");
	const char *a = text + n + 1;

	if (!memmem(text, n, "rcp", 3) && !memmem(text, n, "rsqrt", 5))
		return false;
	r->rsqrt = memmem(text, n, "rsqrt", 5) != NULL;
	r->lanes = text[n - 1] == 's' && text[n - 2] == 's' ? 1 :
		   strstr(text, "%ymm") ? 8 : 4;
	r->src = *a == '%' ? atoi(a + 4) : -1;
	r->off = *a == '%' ? 0 : (unsigned)atoi(a);
	r->dst = (unsigned)atoi(strrchr(text, '%') + 4);
	return true;
}

/* The computed lanes outside RCP_EXACT take the engine's bits if they
 * pass rcp_sdm_ok (a failing one stays the host's, for the dump); the
 * rest is compared with the host. */
static inline bool rcp_accept(const struct rcp_form *r,
			      const struct fp_case *c)
{
	const uint8_t *src = r->src < 0 ? c->inmem + r->off :
					  c->in->ymm[r->src];
	bool ok = true;

	for (unsigned i = 0; i < r->lanes; i++) {
		uint32_t x, e;

		memcpy(&x, src + 4 * i, 4);
		memcpy(&e, c->e->ymm[r->dst] + 4 * i, 4);
		if (rcp_kind(x, r->rsqrt) == RCP_EXACT)
			continue;
		if (rcp_sdm_ok(x, e, r->rsqrt))
			memcpy(c->h->ymm[r->dst] + 4 * i, &e, 4);
		else
			ok = false;
	}
	return ok;
}

/* ---- DPPS/DPPD (SDM Vol. 2A) ----
 * "Horizontal propagation of NaNs to the destination and the
 * positioning of those NaNs in the destination is implementation
 * dependent": a lane that is a NaN on both sides takes the engine's
 * NaN; whether a lane is a NaN is compared. */
static inline bool dp_nan(const uint8_t *p, unsigned w)
{
	uint64_t v = 0;

	memcpy(&v, p, w);
	return w == 4 ? (v & 0x7fffffffu) > 0x7f800000u :
			(v & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

static inline unsigned dp_width(const char *text)
{
	if (!strncmp(text, "dpps", 4) || !strncmp(text, "vdpps", 5))
		return 4;
	if (!strncmp(text, "dppd", 4) || !strncmp(text, "vdppd", 5))
		return 8;
	return 0;
}

static inline void dp_accept(unsigned w, const struct fp_case *c)
{
	for (unsigned r = 0; r < 16; r++)
		for (unsigned i = 0; i < 32; i += w)
			if (dp_nan(c->h->ymm[r] + i, w) &&
			    dp_nan(c->e->ymm[r] + i, w))
				memcpy(c->h->ymm[r] + i, c->e->ymm[r] + i, w);
}

static inline const char *sse_intel_part(const struct fp_form *f)
{
	struct rcp_form r;

	if (rcp_form_of(f->text, &r))
		return "the bits of each approximation (SDM Vol. 2B "
		       "RCPPS/RSQRTPS define |relative error| <= 1.5*2^-12 "
		       "only, checked here exactly) and the flush to 0 in "
		       "RCP's tiny band";
	if (dp_width(f->text))
		return "which NaN lands in which lane (SDM Vol. 2A DPPS/DPPD: "
		       "horizontal NaN propagation is implementation "
		       "dependent)";
	return NULL;
}

static inline bool sse_accept(const struct fp_form *f,
			      const struct fp_case *c)
{
	struct rcp_form r;

	if (rcp_form_of(f->text, &r))
		return rcp_accept(&r, c);
	dp_accept(dp_width(f->text), c);
	return true;
}

static const struct fp_vendor sse_vendor = {
	sse_intel_part, sse_accept, sse_records,
	sizeof(sse_records) / sizeof(sse_records[0]), 200
};

/* One lane of the table sweep: the host's result h and the engine's e
 * of x; on a non-Intel host only the RCP_EXACT cases against the host.
 * Returns 1 on a mismatch (the first five printed). */
static inline unsigned rcp_sweep_lane(const char *what, uint32_t x,
				      uint32_t h, uint32_t e, bool rsqrt,
				      unsigned bad)
{
	bool ok = host_is_intel() || rcp_kind(x, rsqrt) == RCP_EXACT ?
		  h == e : rcp_sdm_ok(x, e, rsqrt);

	if (!ok && bad < 5)
		printf("# %s %08x host %08x emu %08x\n", what, x, h, e);
	return !ok;
}

/* ---- FXSAVE/XSAVE and FXRSTOR/XRSTOR (emu_fp_save_restore) ---- */

/* On a non-Intel host, bytes of a saved legacy area that are not
 * compared with the host: MXCSR_MASK (28..31), the supported MXCSR bits
 * (SDM Vol. 1, 11.6.6); with FSW.ES = 0 FOP, FIP and FDP (6..23): FOP
 * is defined after an unmasked exception only (Vol. 1, 8.1.9.1), FDP
 * may be so too and FCS/FDS may be deprecated (8.1.8, CPUID-
 * enumerated), and an AMD CPU saves none of the three then (AMD APM,
 * FXSAVE); in the 64-bit format (wide) byte 23, FDP bits 63:56: the
 * SDM does not say what FXRSTOR keeps of a non-canonical FDP (the
 * recorded Intel host all of it, an AMD Zen 5 bits 56:0, extended).
 * The Intel record holds them. */
static inline bool save_open(unsigned i, const uint8_t *buf, bool wide)
{
	if (host_is_intel() || i >= 32 || i < 6)
		return false;
	return i >= 28 || (i < 24 && !(buf[2] & 0x80)) || (wide && i == 23);
}

/* The compared state after a restore, digested. */
static inline uint64_t state_digest(uint64_t d, const struct fp_image *r)
{
	d = digest_add(d, r->ymm, sizeof(r->ymm));
	d = digest_add(d, &r->mxcsr, 4);
	d = digest_add(d, r->x87, 5);
	d = digest_add(d, r->x87 + 6, 2);
	for (unsigned i = 0; i < 8; i++)
		d = digest_add(d, r->x87 + 32 + 16 * i, 10);
	return d;
}

#endif
