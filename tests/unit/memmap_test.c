/* SPDX-License-Identifier: MIT */
/* Guest-physical map snapshots: insertion order, overlap refusal,
 * splitting by unmap and protect, lookups at range edges. */
#include <Hypervisor/hv_types.h>
#include <stdlib.h>

#include "core/memmap.h"
#include "../lib/test.h"

#define PG MEMMAP_PAGE

static uint8_t host[16 * 4096];

static struct memmap_snap *add(struct memmap_snap *s, uint64_t gpa,
			       uint64_t size, unsigned off, uint32_t prot,
			       hv_return_t want)
{
	struct memmap_snap *n = NULL;
	hv_return_t r = memmap_add(s, gpa, size, host + off * PG, prot, &n);

	EXPECT_EQ(want, r);
	if (r != HV_SUCCESS)
		return s;
	free(s);
	return n;
}

static struct memmap_snap *change(struct memmap_snap *s, uint64_t gpa,
				  uint64_t size, int set, uint32_t prot,
				  hv_return_t want)
{
	struct memmap_snap *n = NULL;
	hv_return_t r = memmap_change(s, gpa, size, set, prot, &n);

	EXPECT_EQ(want, r);
	if (r != HV_SUCCESS)
		return s;
	free(s);
	return n;
}

TEST(memmap_sorted_and_found)
{
	struct memmap_snap *s = memmap_empty();
	const struct memmap_range *r;

	s = add(s, 8 * PG, 2 * PG, 0, HV_MEMORY_READ, HV_SUCCESS);
	s = add(s, 0, PG, 2, HV_MEMORY_WRITE, HV_SUCCESS);
	s = add(s, 4 * PG, PG, 3, HV_MEMORY_EXEC, HV_SUCCESS);
	ASSERT_EQ(3, s->n);
	EXPECT_EQ(0, s->r[0].gpa);
	EXPECT_EQ(4 * PG, s->r[1].gpa);
	EXPECT_EQ(8 * PG, s->r[2].gpa);
	r = memmap_find(s, 10 * PG - 1);
	ASSERT_TRUE(r != NULL);
	EXPECT_EQ((uintptr_t)host, (uintptr_t)r->hva);
	EXPECT_TRUE(memmap_find(s, 10 * PG) == NULL);
	EXPECT_TRUE(memmap_find(s, PG) == NULL);
	EXPECT_EQ(HV_MEMORY_EXEC, memmap_find(s, 4 * PG + 5)->prot);
	free(s);
}

TEST(memmap_overlap_refused)
{
	struct memmap_snap *s = memmap_empty();

	s = add(s, 4 * PG, 4 * PG, 0, 7, HV_SUCCESS);
	s = add(s, 4 * PG, PG, 0, 7, HV_BAD_ARGUMENT);
	s = add(s, 2 * PG, 3 * PG, 0, 7, HV_BAD_ARGUMENT);
	s = add(s, 7 * PG, 2 * PG, 0, 7, HV_BAD_ARGUMENT);
	s = add(s, 0, 16 * PG, 0, 7, HV_BAD_ARGUMENT);
	s = add(s, 8 * PG, PG, 0, 7, HV_SUCCESS);
	s = add(s, 3 * PG, PG, 0, 7, HV_SUCCESS);
	EXPECT_EQ(3, s->n);
	free(s);
}

TEST(memmap_unmap_splits)
{
	struct memmap_snap *s = memmap_empty();
	const struct memmap_range *r;

	s = add(s, 0, 8 * PG, 0, 7, HV_SUCCESS);
	s = change(s, 3 * PG, 2 * PG, 0, 0, HV_SUCCESS);
	ASSERT_EQ(2, s->n);
	EXPECT_TRUE(memmap_find(s, 3 * PG) == NULL);
	EXPECT_TRUE(memmap_find(s, 5 * PG - 1) == NULL);
	r = memmap_find(s, 5 * PG);
	ASSERT_TRUE(r != NULL);
	EXPECT_EQ((uintptr_t)(host + 5 * PG), (uintptr_t)r->hva);
	/* The hole is unmapped: unmapping across it fails, nothing changes. */
	s = change(s, 2 * PG, 2 * PG, 0, 0, HV_BAD_ARGUMENT);
	EXPECT_EQ(2, s->n);
	free(s);
}

TEST(memmap_protect_splits)
{
	struct memmap_snap *s = memmap_empty();
	const struct memmap_range *r;

	s = add(s, 0, 4 * PG, 0, 7, HV_SUCCESS);
	s = add(s, 4 * PG, 4 * PG, 4, 7, HV_SUCCESS);
	s = change(s, 2 * PG, 4 * PG, 1, HV_MEMORY_READ, HV_SUCCESS);
	ASSERT_EQ(4, s->n);
	EXPECT_EQ(7, memmap_find(s, PG)->prot);
	EXPECT_EQ(HV_MEMORY_READ, memmap_find(s, 2 * PG)->prot);
	EXPECT_EQ(HV_MEMORY_READ, memmap_find(s, 5 * PG)->prot);
	EXPECT_EQ(7, memmap_find(s, 6 * PG)->prot);
	r = memmap_find(s, 5 * PG);
	EXPECT_EQ((uintptr_t)(host + 5 * PG),
		  (uintptr_t)(r->hva + (5 * PG - r->gpa)));
	free(s);
}
