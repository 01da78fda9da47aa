/* SPDX-License-Identifier: MIT */
/* hv_openhvf_cpuid: the engine's CPUID model is self-consistent. */
#include <Hypervisor/Hypervisor.h>
#include <Hypervisor/hv_openhvf.h>
#include <string.h>

#include "../lib/test.h"

static uint32_t r[4];

static void cpuid(uint32_t leaf, uint32_t sub)
{
	EXPECT_EQ(HV_SUCCESS, hv_openhvf_cpuid(leaf, sub, r));
}

static int bit(unsigned reg, unsigned b)
{
	return (r[reg] >> b) & 1;
}

TEST(cpuid_null_refused)
{
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_openhvf_cpuid(0, 0, NULL));
}

TEST(cpuid_vendor_and_max_leaves)
{
	char vendor[13] = { 0 };

	cpuid(0, 0);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	EXPECT_TRUE(strcmp(vendor, "GenuineIntel") == 0);
	EXPECT_TRUE(r[0] >= 7);
	cpuid(0x80000000, 0);
	EXPECT_TRUE(r[0] >= 0x80000008);
}

TEST(cpuid_long_mode_baseline)
{
	cpuid(0x80000001, 0);
	EXPECT_EQ(1, bit(3, 29)); /* LM */
	EXPECT_EQ(1, bit(3, 20)); /* NX */
	EXPECT_EQ(1, bit(3, 11)); /* SYSCALL */
	cpuid(1, 0);
	EXPECT_EQ(1, bit(3, 6));  /* PAE */
	EXPECT_EQ(1, bit(3, 5));  /* MSR */
	EXPECT_EQ(1, bit(3, 4));  /* TSC */
	EXPECT_EQ(1, bit(3, 8));  /* CX8 */
	EXPECT_EQ(1, bit(2, 31)); /* hypervisor */
	EXPECT_EQ(0, bit(2, 27)); /* OSXSAVE is the VMM's, from CR4 */
}

/* AVX needs XSAVE; leaf 0xD describes exactly x87|SSE|AVX when present
 * (SDM Vol. 1, 13.2). */
TEST(cpuid_xsave_consistent)
{
	int xsave, avx;

	cpuid(1, 0);
	xsave = bit(2, 26);
	avx = bit(2, 28);
	EXPECT_TRUE(!avx || xsave);
	cpuid(0xd, 0);
	if (xsave) {
		EXPECT_EQ(avx ? 7 : 3, r[0]);
		EXPECT_EQ(avx ? 832 : 576, r[2]);
		EXPECT_EQ(r[2], r[1]);
	} else {
		EXPECT_EQ(0, r[0]);
	}
	/* With XSAVEC, sub-leaf 1 EBX is the compacted size of every
	 * enabled component (Linux checks it against its own sum). */
	cpuid(0xd, 1);
	if (xsave && bit(0, 1))
		EXPECT_EQ(avx ? 832 : 576, r[1]);
}

TEST(cpuid_address_sizes_and_brand)
{
	char brand[49] = { 0 };

	cpuid(0x80000008, 0);
	EXPECT_EQ(39, r[0] & 0xff);
	EXPECT_EQ(48, (r[0] >> 8) & 0xff);
	for (uint32_t i = 0; i < 3; i++) {
		cpuid(0x80000002 + i, 0);
		memcpy(brand + 16 * i, r, 16);
	}
	EXPECT_TRUE(strncmp(brand, "OpenHVF", 7) == 0);
}

TEST(cpuid_out_of_range_is_highest_basic)
{
	uint32_t hi[4];

	cpuid(0, 0);
	cpuid(r[0], 0);
	memcpy(hi, r, sizeof(hi));
	cpuid(0x40000000, 0);
	EXPECT_EQ(hi[0], r[0]);
	EXPECT_EQ(hi[1], r[1]);
	EXPECT_EQ(hi[2], r[2]);
	EXPECT_EQ(hi[3], r[3]);
}
