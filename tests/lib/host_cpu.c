/* SPDX-License-Identifier: MIT */
/* Host vendor and Intel records for the differential tests. */
#include "host_cpu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

const char *host_vendor(void)
{
	static char v[13];

#if defined(__x86_64__) || defined(__i386__)
	if (!v[0]) {
		unsigned a, b, c, d;

		__cpuid(0, a, b, c, d);
		memcpy(v, &b, 4);
		memcpy(v + 4, &d, 4);
		memcpy(v + 8, &c, 4);
	}
#else
	if (!v[0])
		strcpy(v, "not-x86");
#endif
	return v;
}

bool host_is_intel(void)
{
	const char *force = getenv("HVF_HOST_VENDOR");

	/* HVF_HOST_VENDOR=other runs an Intel host's tests the way any
	 * other host runs them (the record path), to check that path. */
	if (force && strcmp(force, "other") == 0)
		return false;
	return strcmp(host_vendor(), "GenuineIntel") == 0;
}

enum record_verdict intel_record_check(const struct intel_record *t,
				       size_t n, const char *key, uint64_t d)
{
	if (getenv("HVF_RECORD"))
		printf("RECORD(\"%s\", 0x%016llx)\n", key,
		       (unsigned long long)d);
	for (size_t i = 0; i < n; i++)
		if (strcmp(t[i].key, key) == 0)
			return t[i].digest == d ? RECORD_MATCH : RECORD_DIFFERS;
	return RECORD_MISSING;
}
