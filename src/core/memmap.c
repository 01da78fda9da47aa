/* SPDX-License-Identifier: MIT */
/* Guest-physical map snapshots: sorted, non-overlapping ranges. Every
 * change builds a new snapshot (copy-on-write); vm.c publishes it and waits
 * for running vCPUs to move to it before freeing the old one. */
#include "memmap.h"

#include <stdlib.h>
#include <string.h>

static struct memmap_snap *snap_alloc(size_t n)
{
	struct memmap_snap *s;

	s = calloc(1, sizeof(*s) + n * sizeof(s->r[0]));
	return s;
}

struct memmap_snap *memmap_empty(void)
{
	return snap_alloc(0);
}

const struct memmap_range *memmap_find(const struct memmap_snap *s,
				       uint64_t gpa)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct memmap_range *r = &s->r[mid];

		if (gpa < r->gpa)
			hi = mid;
		else if (gpa >= r->end)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

/* Bytes of [gpa, end) covered by ranges of s. */
static uint64_t covered(const struct memmap_snap *s, uint64_t gpa,
			uint64_t end)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < s->n; i++) {
		uint64_t a = s->r[i].gpa > gpa ? s->r[i].gpa : gpa;
		uint64_t b = s->r[i].end < end ? s->r[i].end : end;

		if (a < b)
			sum += b - a;
	}
	return sum;
}

hv_return_t memmap_add(const struct memmap_snap *old, uint64_t gpa,
		       uint64_t size, uint8_t *hva, uint32_t prot,
		       struct memmap_snap **out)
{
	struct memmap_snap *s;
	size_t i, j = 0;

	if (covered(old, gpa, gpa + size) != 0)
		return HV_BAD_ARGUMENT;
	s = snap_alloc(old->n + 1);
	if (!s)
		return HV_NO_RESOURCES;
	for (i = 0; i < old->n && old->r[i].gpa < gpa; i++)
		s->r[j++] = old->r[i];
	s->r[j++] = (struct memmap_range){ gpa, gpa + size, hva, prot };
	for (; i < old->n; i++)
		s->r[j++] = old->r[i];
	s->n = j;
	*out = s;
	return HV_SUCCESS;
}

hv_return_t memmap_change(const struct memmap_snap *old, uint64_t gpa,
			  uint64_t size, int set_prot, uint32_t prot,
			  struct memmap_snap **out)
{
	uint64_t end = gpa + size;
	struct memmap_snap *s;
	size_t j = 0;

	if (covered(old, gpa, end) != size)
		return HV_BAD_ARGUMENT;
	/* Each old range yields at most three pieces. */
	s = snap_alloc(old->n * 3);
	if (!s)
		return HV_NO_RESOURCES;
	for (size_t i = 0; i < old->n; i++) {
		struct memmap_range r = old->r[i];

		if (r.end <= gpa || r.gpa >= end) {
			s->r[j++] = r;
			continue;
		}
		if (r.gpa < gpa)
			s->r[j++] = (struct memmap_range){ r.gpa, gpa, r.hva,
							   r.prot };
		if (set_prot) {
			uint64_t a = r.gpa > gpa ? r.gpa : gpa;
			uint64_t b = r.end < end ? r.end : end;

			s->r[j++] = (struct memmap_range){
				a, b, r.hva + (a - r.gpa), prot };
		}
		if (r.end > end)
			s->r[j++] = (struct memmap_range){
				end, r.end, r.hva + (end - r.gpa), r.prot };
	}
	s->n = j;
	*out = s;
	return HV_SUCCESS;
}
