/* SPDX-License-Identifier: MIT */
/* Guest-physical memory: hv_vm_map/unmap/protect and the _space variants,
 * address spaces, hv_vm_allocate/deallocate (docs/compat.md "Memory").
 * The map is observed only through later map/unmap results: mapping a
 * page succeeds iff it is unmapped, unmapping a range succeeds iff every
 * page of it is mapped. */
#include <Hypervisor/Hypervisor.h>

#include <unistd.h>

#include "helpers.h"

#define G 0x100000ull   /* a GPA used by most tests */

/* Host memory for the tests: 16 pages. */
static uint8_t *mem16(void)
{
	return pages(16);
}

/* Page at gpa is mapped in space s (probe: unmap then map back). Only
 * for single pages mapped RWX from host page hva. */
static int mapped(hv_vm_space_t s, void *hva, uint64_t gpa)
{
	hv_return_t r = hv_vm_map_space(s, hva, gpa, PAGE, HV_MEMORY_READ);

	if (r == HV_SUCCESS) {
		hv_vm_unmap_space(s, gpa, PAGE);
		return 0;
	}
	return 1;
}

VM_TEST(map_unmap_basic, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G, 4 * PAGE,
					HV_MEMORY_READ | HV_MEMORY_WRITE |
						HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 4 * PAGE));
	/* Unmapping twice: nothing is mapped any more. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G, 4 * PAGE));
	/* Never mapped. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(0x7000000, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_protect(0x7000000, PAGE, HV_MEMORY_READ));
	munmap(m, 16 * PAGE);
}

/* Every combination of R/W/X, including none. */
VM_TEST(map_flag_combinations, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	for (hv_memory_flags_t f = 0; f < 8; f++) {
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G, PAGE, f));
		for (hv_memory_flags_t g = 0; g < 8; g++)
			EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G, PAGE, g));
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	}
	munmap(m, 16 * PAGE);
}

VM_TEST(map_unknown_flags_refused, 0)
{
	static const hv_memory_flags_t bad[] = {
		HV_MEMORY_UEXEC, HV_MEMORY_MAXPROT, HV_MEMORY_MAXPROT_READ,
		HV_MEMORY_MAXPROT_WRITE, HV_MEMORY_MAXPROT_EXEC,
		HV_MEMORY_MAXPROT_UEXEC, 1ull << 9, 1ull << 31, 1ull << 32,
		1ull << 63,
		HV_MEMORY_READ | HV_MEMORY_UEXEC,
		HV_MEMORY_READ | HV_MEMORY_MAXPROT | HV_MEMORY_MAXPROT_READ,
	};
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, PAGE, bad[i]));
		/* Nothing was mapped. */
		EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G));
	}
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, PAGE, HV_MEMORY_READ));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(G, PAGE, bad[i]));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	munmap(m, 16 * PAGE);
}

VM_TEST(map_alignment_and_size, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m + 1, G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m + 2048, G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G + 1, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m, G + 0x800, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, PAGE + 1, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, PAGE - 1, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, 0x800, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, 0, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(NOPTR, G, PAGE, HV_MEMORY_READ));
	/* None of these mapped anything. */
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G));

	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 2 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G + 1, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G, PAGE + 1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(G + 8, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_protect(G, PAGE + 8, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(G, 0, HV_MEMORY_READ));
	/* Still exactly the two pages. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 2 * PAGE));
	munmap(m, 16 * PAGE);
}

VM_TEST(map_gpa_limits, 0)
{
	uint8_t *m = mem16();
	static const struct {
		uint64_t gpa;
		uint64_t size;
	} bad[] = {
		{ GPA_LIMIT, PAGE },                /* at 2^39 */
		{ GPA_LIMIT - PAGE, 2 * PAGE },     /* crosses 2^39 */
		{ 1ull << 40, PAGE },
		{ 1ull << 52, PAGE },
		{ 0xfffffffffffff000ull, PAGE },
		{ 0xfffffffffffff000ull, 2 * PAGE }, /* wraps to 0 */
		{ 0, 0xfffffffffffff000ull },        /* size wraps */
		{ G, ~0ull - PAGE + 1 },
	};

	ASSERT_TRUE(m != NULL);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, bad[i].gpa,
						     (size_t)bad[i].size,
						     HV_MEMORY_READ));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_unmap(bad[i].gpa, (size_t)bad[i].size));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_protect(bad[i].gpa, (size_t)bad[i].size,
					HV_MEMORY_READ));
	}
	/* The last page below 2^39 and the first page are fine. */
	EXPECT_EQ(HV_SUCCESS,
		  hv_vm_map(m, GPA_LIMIT - PAGE, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(GPA_LIMIT - PAGE, PAGE,
					    HV_MEMORY_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(GPA_LIMIT - PAGE, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, 0, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(0, PAGE));
	munmap(m, 16 * PAGE);
}

/* The host range must be mapped in the process (checked with mincore). */
VM_TEST(map_unmapped_host_memory_refused, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	/* Punch a hole into the middle: pages 4..7 are unmapped. */
	ASSERT_EQ(0, munmap(m + 4 * PAGE, 4 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m + 4 * PAGE, G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m + 7 * PAGE, G, PAGE, HV_MEMORY_READ));
	/* Partly mapped host ranges. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, 8 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m + 3 * PAGE, G, 2 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m + 7 * PAGE, G, 2 * PAGE, HV_MEMORY_READ));
	/* Nothing got mapped. */
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G));
	/* The mapped parts around the hole are fine. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G, 4 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m + 8 * PAGE, G + 4 * PAGE, 8 * PAGE,
					HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 12 * PAGE));
	munmap(m, 4 * PAGE);
	munmap(m + 8 * PAGE, 8 * PAGE);
}

/* A host range that wraps the address space is refused. */
VM_TEST(map_host_range_wrap_refused, 0)
{
	uintptr_t top = (uintptr_t)0 - PAGE;

	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map((void *)top, G, 2 * PAGE, HV_MEMORY_READ));
}

VM_TEST(map_overlap, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	/* [G+4p, G+8p) */
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G + 4 * PAGE, 4 * PAGE,
					HV_MEMORY_READ));
	static const struct {
		uint64_t page, n;
	} over[] = {
		{ 4, 4 },  /* exact */
		{ 4, 1 },  /* first page */
		{ 7, 1 },  /* last page */
		{ 5, 2 },  /* inside */
		{ 2, 3 },  /* overlaps the start */
		{ 7, 3 },  /* overlaps the end */
		{ 0, 12 }, /* contains */
	};
	for (size_t i = 0; i < sizeof(over) / sizeof(over[0]); i++)
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_map(m + 8 * PAGE, G + over[i].page * PAGE,
				    over[i].n * PAGE, HV_MEMORY_READ));
	/* Adjacent on both sides is fine; the same host memory twice too. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G + 3 * PAGE, PAGE,
					HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G + 8 * PAGE, PAGE,
					HV_MEMORY_READ));
	/* The three ranges are exactly [G+3p, G+9p). */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G + 2 * PAGE, 7 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G + 3 * PAGE, 7 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + 3 * PAGE, 6 * PAGE));
	munmap(m, 16 * PAGE);
}

/* unmap/protect of a partly mapped range: refused, nothing changes. */
VM_TEST(unmap_protect_partial_range_refused, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	/* Mapped: [G, G+2p) and [G+3p, G+4p); hole at G+2p. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 2 * PAGE, HV_MEMORY_READ));
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G + 3 * PAGE, PAGE,
					HV_MEMORY_READ));
	static const struct {
		uint64_t page, n;
	} part[] = {
		{ 0, 4 },  /* across the hole */
		{ 1, 2 },  /* ends in the hole */
		{ 2, 2 },  /* starts in the hole */
		{ 0, 3 },
		{ 3, 2 },  /* runs past the end */
		{ 15, 2 }, /* wholly unmapped */
	};
	for (size_t i = 0; i < sizeof(part) / sizeof(part[0]); i++) {
		uint64_t gpa = G + part[i].page * PAGE;

		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(gpa, part[i].n * PAGE));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_protect(gpa, part[i].n * PAGE,
					HV_MEMORY_WRITE));
	}
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G - PAGE, 2 * PAGE));
	/* Nothing changed: the hole is still free, the rest still mapped. */
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G));
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G + PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + 2 * PAGE));
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G + 3 * PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + 4 * PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G - PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 2 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + 3 * PAGE, PAGE));
	munmap(m, 16 * PAGE);
}

/* Unmapping the middle of a mapping splits it. */
VM_TEST(unmap_middle_splits, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 3 * PAGE, HV_MEMORY_READ |
					HV_MEMORY_WRITE));
	ASSERT_EQ(HV_SUCCESS, hv_vm_unmap(G + PAGE, PAGE));
	/* The middle page maps again; its neighbours do not. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map(m, G + 2 * PAGE, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m + 8 * PAGE, G + PAGE, PAGE,
					HV_MEMORY_READ));
	/* All three pages are mapped again: unmap them in one call. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 3 * PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + 2 * PAGE));

	/* Unmapping the head and the tail. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 4 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + 3 * PAGE, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G, 2 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + PAGE, 2 * PAGE));
	munmap(m, 16 * PAGE);
}

/* Unmapping across two adjacent mappings removes parts of both. */
VM_TEST(unmap_across_mappings, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 2 * PAGE, HV_MEMORY_READ));
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m + 4 * PAGE, G + 2 * PAGE, 2 * PAGE,
					HV_MEMORY_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + PAGE, 2 * PAGE));
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + PAGE));
	EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + 2 * PAGE));
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G + 3 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + 3 * PAGE, PAGE));
	munmap(m, 16 * PAGE);
}

/* Protecting part of a mapping splits it; the pieces stay mapped. */
VM_TEST(protect_partial_splits, 0)
{
	uint8_t *m = mem16();

	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(m, G, 4 * PAGE, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G + PAGE, 2 * PAGE,
					    HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G + 2 * PAGE, PAGE, 0));
	/* Every page is still mapped. */
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G + i * PAGE));
	/* Protect across the pieces works; unmap pieces one at a time. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G, 4 * PAGE, HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G + PAGE, PAGE, HV_MEMORY_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + PAGE, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_protect(G, 2 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + 2 * PAGE, 2 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	for (int i = 0; i < 4; i++)
		EXPECT_EQ(0, mapped(HV_VM_SPACE_DEFAULT, m, G + i * PAGE));
	munmap(m, 16 * PAGE);
}

/* Many small mappings, then unmapping every other page. */
VM_TEST(map_many_pieces, 0)
{
	uint8_t *m = pages(64);

	ASSERT_TRUE(m != NULL);
	for (int i = 0; i < 64; i++)
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(m + i * PAGE, G + i * PAGE,
						PAGE, HV_MEMORY_READ));
	for (int i = 0; i < 64; i += 2)
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + i * PAGE, PAGE));
	for (int i = 0; i < 64; i++)
		EXPECT_EQ(i % 2, mapped(HV_VM_SPACE_DEFAULT, m, G + i * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap(G + PAGE, 2 * PAGE));
	for (int i = 1; i < 64; i += 2)
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G + i * PAGE, PAGE));
	munmap(m, 64 * PAGE);
}

/* A large sparse host reservation maps as one range. */
VM_TEST(map_large, 0)
{
	size_t size = 1ull << 30;
	void *m = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	ASSERT_TRUE(m != MAP_FAILED);
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, 1ull << 32, size, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap((1ull << 32) + (size >> 1), PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(1ull << 32, size >> 1));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap((1ull << 32) + (size >> 1) + PAGE,
					  (size >> 1) - PAGE));
	munmap(m, size);
}

/* Spaces: ids 1..8, then HV_NO_RESOURCES; destroy and reuse. */
VM_TEST(spaces_to_maximum, 0)
{
	hv_vm_space_t s[8], extra = 99;
	int seen[9] = { 0 };

	for (int i = 0; i < 8; i++) {
		ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s[i]));
		ASSERT_TRUE(s[i] >= 1 && s[i] <= 8);
		EXPECT_EQ(0, seen[s[i]]);
		seen[s[i]] = 1;
	}
	EXPECT_EQ(HV_NO_RESOURCES, hv_vm_space_create(&extra));
	EXPECT_EQ(99, extra);
	/* Destroy one, and its id comes back. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s[3]));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_destroy(s[3]));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_create(&extra));
	EXPECT_EQ(s[3], extra);
	EXPECT_EQ(HV_NO_RESOURCES, hv_vm_space_create(&extra));
	for (int i = 0; i < 8; i++)
		EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s[i]));
}

VM_TEST(space_bad_arguments, 0)
{
	uint8_t *m = mem16();
	static const hv_vm_space_t bad[] = { 1, 8, 9, 64, 0xffffffffu };

	ASSERT_TRUE(m != NULL);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_create(NOPTR));
	/* The default space cannot be destroyed. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_destroy(HV_VM_SPACE_DEFAULT));
	/* No space but the default exists yet. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_space_destroy(bad[i]));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(bad[i], m, G, PAGE,
							   HV_MEMORY_READ));
		EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap_space(bad[i], G, PAGE));
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_protect_space(bad[i], G, PAGE,
					      HV_MEMORY_READ));
	}
	/* The default space works through the _space calls. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_map_space(HV_VM_SPACE_DEFAULT, m, G, PAGE,
					      HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(m, G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect_space(HV_VM_SPACE_DEFAULT, G,
						  PAGE, HV_MEMORY_WRITE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, PAGE));
	munmap(m, 16 * PAGE);
}

/* Spaces are independent maps; the same checks apply in each. */
VM_TEST(space_maps_independent, 0)
{
	uint8_t *m = mem16();
	hv_vm_space_t s1, s2;

	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s1));
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s2));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(m, G, 2 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map_space(s1, m, G, 2 * PAGE,
					      HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map_space(s2, m, G + PAGE, PAGE,
					      HV_MEMORY_WRITE));
	/* Overlap, alignment, flags, limits in a space. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(s1, m, G + PAGE, PAGE,
						   HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(s1, m + 1, G + 4 * PAGE,
						   PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(s1, m, G + 4 * PAGE, 0,
						   HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(s1, m, G + 4 * PAGE, PAGE,
						   HV_MEMORY_UEXEC));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map_space(s1, m, GPA_LIMIT, PAGE,
						   HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect_space(s2, G, 2 * PAGE,
						       HV_MEMORY_READ));
	/* Splitting in a space. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap_space(s1, G + PAGE, PAGE));
	EXPECT_EQ(0, mapped(s1, m, G + PAGE));
	EXPECT_EQ(1, mapped(s1, m, G));
	/* The default space and s2 did not change. */
	EXPECT_EQ(1, mapped(HV_VM_SPACE_DEFAULT, m, G + PAGE));
	EXPECT_EQ(0, mapped(s2, m, G));
	EXPECT_EQ(1, mapped(s2, m, G + PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap_space(s2, G + PAGE, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap_space(s1, G, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 2 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s1));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s2));
	munmap(m, 16 * PAGE);
}

/* A destroyed space takes its map with it; a reused id starts empty. */
VM_TEST(space_destroy_with_mappings_and_reuse, 0)
{
	uint8_t *m = mem16();
	hv_vm_space_t s, s2;

	ASSERT_TRUE(m != NULL);
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	ASSERT_EQ(HV_SUCCESS, hv_vm_map_space(s, m, G, 4 * PAGE,
					      HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap_space(s, G, 4 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_map_space(s, m, G, PAGE, HV_MEMORY_READ));
	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s2));
	EXPECT_EQ(s, s2);
	/* Empty: the old mapping is gone. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_unmap_space(s2, G, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map_space(s2, m, G, 4 * PAGE,
					      HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s2));
	munmap(m, 16 * PAGE);
}

/* A space a vCPU uses cannot be destroyed. */
VM_TEST(space_destroy_in_use_busy, 1)
{
	hv_vm_space_t s;

	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, s));
	EXPECT_EQ(HV_BUSY, hv_vm_space_destroy(s));
	/* Still alive: usable. */
	{
		uint8_t *m = mem16();

		ASSERT_TRUE(m != NULL);
		EXPECT_EQ(HV_SUCCESS, hv_vm_map_space(s, m, G, PAGE,
						      HV_MEMORY_READ));
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap_space(s, G, PAGE));
		munmap(m, 16 * PAGE);
	}
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_space(g_vcpu, s + 1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_space(g_vcpu, 9));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_space(g_vcpu, ~0u));
	/* The refused calls left the vCPU on s. */
	EXPECT_EQ(HV_BUSY, hv_vm_space_destroy(s));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(g_vcpu, HV_VM_SPACE_DEFAULT));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_set_space(g_vcpu, s));
}

/* Destroying the vCPU that uses a space releases the space. */
VM_TEST(space_free_after_vcpu_destroy, 0)
{
	hv_vm_space_t s;
	hv_vcpuid_t id;

	ASSERT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_create(&id, HV_VCPU_DEFAULT));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_set_space(id, s));
	EXPECT_EQ(HV_BUSY, hv_vm_space_destroy(s));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(id));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
}

TEST(allocate_deallocate)
{
	void *p = (void *)1;
	uint8_t *q;

	/* Without a VM. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_allocate(&p, 4 * PAGE,
					     HV_ALLOCATE_DEFAULT));
	ASSERT_TRUE(p != NULL);
	EXPECT_EQ(0, (uintptr_t)p & (PAGE - 1));
	/* Usable read/write memory. */
	q = p;
	for (size_t i = 0; i < 4 * PAGE; i += 512)
		q[i] = (uint8_t)i;
	for (size_t i = 0; i < 4 * PAGE; i += 512)
		EXPECT_EQ((uint8_t)i, q[i]);
	/* Usable as guest memory. */
	if (vm_setup(0)) {
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(p, G, 4 * PAGE,
						HV_MEMORY_READ |
							HV_MEMORY_WRITE));
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 4 * PAGE));
		vm_teardown();
	}
	/* Wrong size, wrong address: refused, memory stays. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(p, PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(p, 8 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(q + PAGE, 3 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(NOPTR, 4 * PAGE));
	q[4 * PAGE - 1] = 0x5a;
	EXPECT_EQ(0x5a, q[4 * PAGE - 1]);
	EXPECT_EQ(HV_SUCCESS, hv_vm_deallocate(p, 4 * PAGE));
	/* Twice: no longer an allocation. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(p, 4 * PAGE));
}

TEST(allocate_bad_arguments)
{
	static const struct {
		size_t size;
		hv_allocate_flags_t flags;
	} bad[] = {
		{ 0, HV_ALLOCATE_DEFAULT },
		{ 1, HV_ALLOCATE_DEFAULT },
		{ PAGE - 1, HV_ALLOCATE_DEFAULT },
		{ PAGE + 8, HV_ALLOCATE_DEFAULT },
		{ PAGE, 1 },
		{ PAGE, 1ull << 63 },
	};
	void *p;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		p = (void *)0x1234;
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vm_allocate(&p, bad[i].size, bad[i].flags));
		EXPECT_EQ(0x1234, (uintptr_t)p);
	}
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vm_allocate(NOPTR, PAGE, HV_ALLOCATE_DEFAULT));
}

/* Memory hv_vm_allocate did not hand out is never freed. */
TEST(deallocate_foreign_refused)
{
	uint8_t *m = mem16();
	void *a = NULL, *b = NULL;

	ASSERT_TRUE(m != NULL);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(m, 16 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(m, PAGE));
	/* Still mapped and writable. */
	m[0] = 1;
	m[16 * PAGE - 1] = 2;
	EXPECT_EQ(1, m[0]);
	EXPECT_EQ(2, m[16 * PAGE - 1]);
	munmap(m, 16 * PAGE);
	/* Two allocations: each is freed by its own pair only. */
	ASSERT_EQ(HV_SUCCESS, hv_vm_allocate(&a, PAGE, HV_ALLOCATE_DEFAULT));
	ASSERT_EQ(HV_SUCCESS, hv_vm_allocate(&b, 2 * PAGE,
					     HV_ALLOCATE_DEFAULT));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(a, 2 * PAGE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_deallocate(b, PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_deallocate(b, 2 * PAGE));
	EXPECT_EQ(HV_SUCCESS, hv_vm_deallocate(a, PAGE));
}

/* Host protection must cover the guest permissions (docs/compat.md,
 * "Memory"): a guest access through the map never faults the host. */
VM_TEST(host_protection_checked, 0)
{
	uint8_t *p = pages(4);
	const uint64_t rwx = HV_MEMORY_READ | HV_MEMORY_WRITE | HV_MEMORY_EXEC;

	ASSERT_TRUE(p != NULL);
	ASSERT_EQ(0, mprotect(p, PAGE, PROT_READ));
	ASSERT_EQ(0, mprotect(p + PAGE, PAGE, PROT_NONE));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(p, G, PAGE, rwx));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(p, G, PAGE,
					HV_MEMORY_READ | HV_MEMORY_EXEC));
	/* Upgrading to writable over read-only host memory is refused. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(G, PAGE, rwx));
	EXPECT_EQ(HV_SUCCESS, hv_vm_protect(G, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(p + PAGE, G + PAGE, PAGE,
					     HV_MEMORY_READ));
	/* No permission at all needs only mapped host memory. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(p + PAGE, G + PAGE, PAGE, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_protect(G + PAGE, PAGE,
						 HV_MEMORY_READ));
	/* A range spanning pages of different protection. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_map(p + PAGE, G + 2 * PAGE,
					     3 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(p + 2 * PAGE, G + 2 * PAGE, 2 * PAGE,
					rwx));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(G, 4 * PAGE));
	munmap(p, 4 * PAGE);
}
