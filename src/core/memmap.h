/* SPDX-License-Identifier: MIT */
/* Guest-physical address spaces: ranges of host memory with R/W/X
 * permissions, published as immutable snapshots so that vCPU threads look
 * them up without locks while another thread changes the map. */
#ifndef OPENHVF_CORE_MEMMAP_H
#define OPENHVF_CORE_MEMMAP_H

#include <Hypervisor/hv_error.h>
#include <stddef.h>
#include <stdint.h>

#define MEMMAP_PAGE 4096ull
/* Guest-physical addresses are limited to what our EPT model can map
 * (MAXPHYADDR = 39 bits, see caps.c and CPUID 0x80000008). */
#define MEMMAP_GPA_LIMIT (1ull << 39)

/* prot bits are HV_MEMORY_READ/WRITE/EXEC. */
struct memmap_range {
	uint64_t gpa;   /* first byte */
	uint64_t end;   /* one past the last byte */
	uint8_t *hva;   /* host address of gpa */
	uint32_t prot;
};

struct memmap_snap {
	uint64_t gen;          /* vm map generation that published it */
	size_t n;              /* ranges, sorted by gpa, never overlapping */
	struct memmap_range r[];
};

/* Range containing gpa, or NULL. Lock-free; snap must stay acquired. */
const struct memmap_range *memmap_find(const struct memmap_snap *s,
				       uint64_t gpa);

/* Build a new snapshot from old with [gpa, gpa+size) mapped to hva with
 * prot. Fails with HV_BAD_ARGUMENT if any page is already mapped,
 * HV_NO_RESOURCES if memory runs out. */
hv_return_t memmap_add(const struct memmap_snap *old, uint64_t gpa,
		       uint64_t size, uint8_t *hva, uint32_t prot,
		       struct memmap_snap **out);

/* New snapshot with [gpa, gpa+size) removed (splitting ranges) or, when
 * set_prot is non-zero, with its permissions set to prot. Every page of the
 * range must be mapped, else HV_BAD_ARGUMENT. */
hv_return_t memmap_change(const struct memmap_snap *old, uint64_t gpa,
			  uint64_t size, int set_prot, uint32_t prot,
			  struct memmap_snap **out);

/* An empty snapshot. */
struct memmap_snap *memmap_empty(void);

#endif
