/* SPDX-License-Identifier: MIT */
/* Host-memory checks for hv_vm_map: the whole host range must be mapped
 * in this process with at least the protection the guest mapping needs
 * (readable for any guest access, writable for HV_MEMORY_WRITE), so that
 * no guest access through the map can fault the host. Linux-specific:
 * reads /proc/self/maps (the core may be; engines may not). */
#include "hostmem.h"

#include <stdio.h>

bool hostmem_ok(uintptr_t start, uintptr_t end, uint32_t prot)
{
	FILE *f = fopen("/proc/self/maps", "re");
	uintptr_t cur = start;
	char line[512];

	if (!f)
		return false;
	while (cur < end && fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perm[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) != 3)
			continue;
		if (hi <= cur || lo > cur)
			continue;
		/* Any guest access reads or writes the host page; only
		 * writes need 'w'. */
		if (((prot & 7) && perm[0] != 'r') ||
		    ((prot & 2) && perm[1] != 'w'))
			break;
		cur = hi;
	}
	fclose(f);
	return cur >= end;
}
