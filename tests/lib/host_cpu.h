/* SPDX-License-Identifier: MIT */
/* The host CPU as a test oracle. The engine models an Intel CPU (the
 * Macs Hypervisor.framework ran on), so where the SDM leaves a result
 * undefined or implementation-specific (undefined arithmetic flags, the
 * RCPPS/RSQRTPS tables, the rounding of the x87 transcendentals, x87
 * underflow details) only an Intel host is an oracle. On any other host
 * the differential tests compare what the SDM defines against the host
 * and check the rest against a record: a digest of an Intel host's
 * results over the test's fixed-seed cases, kept in a .def file next to
 * the test (docs/compat.md, "Tests on non-Intel hosts"). On an Intel
 * host the same digest is taken of the host's results and checked
 * against the record too, so a stale record fails there. */
#ifndef OPENHVF_TEST_HOST_CPU_H
#define OPENHVF_TEST_HOST_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CPUID leaf 0's vendor string ("GenuineIntel", "AuthenticAMD", ...). */
const char *host_vendor(void);
bool host_is_intel(void);

/* FNV-1a, 64-bit: a digest of results, the same on every host and
 * compiler for the same bytes. */
#define DIGEST_INIT 0xcbf29ce484222325ull

static inline uint64_t digest_add(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* One recorded digest of an Intel host's results: key names the part of
 * the test (a form's text, say). */
struct intel_record {
	const char *key;
	uint64_t digest;
};

enum record_verdict { RECORD_MATCH, RECORD_DIFFERS, RECORD_MISSING };

/* Looks key up in the n records of t and compares. With HVF_RECORD set
 * in the environment it also prints the line that records d
 * ("RECORD(key, 0x...)"), for regenerating a .def file. */
enum record_verdict intel_record_check(const struct intel_record *t,
				       size_t n, const char *key, uint64_t d);

#endif
