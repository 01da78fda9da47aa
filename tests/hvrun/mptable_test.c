/* SPDX-License-Identifier: MIT */
/* MP tables: signatures, checksums, entry counts and the IRQ 0 -> INTIN2
 * routing (MP spec 1.4, chapter 4). */
#include "devices.h"
#include "test.h"

#include <string.h>

static uint8_t mem[0xa0000];

static unsigned sum(const uint8_t *p, unsigned n)
{
	unsigned s = 0;

	while (n--)
		s += *p++;
	return s & 0xff;
}

TEST(mptable_structure)
{
	uint8_t *fp = mem + 0x9fc00, *hdr;
	unsigned len = mptable_build(mem, 0x9fc00, 2, 0x306a9, 0x331);
	uint16_t tlen, count;
	uint32_t ptr;
	bool found_irq0 = false;
	unsigned extint_pins = 0;

	EXPECT_TRUE(len <= 1024);           /* fits the EBDA KiB */
	EXPECT_EQ(0, memcmp(fp, "_MP_", 4));
	EXPECT_EQ(0, sum(fp, 16));
	EXPECT_EQ(4, fp[9]);
	memcpy(&ptr, fp + 4, 4);
	EXPECT_EQ(0x9fc10, ptr);
	hdr = mem + ptr;
	EXPECT_EQ(0, memcmp(hdr, "PCMP", 4));
	memcpy(&tlen, hdr + 4, 2);
	memcpy(&count, hdr + 34, 2);
	EXPECT_EQ(0, sum(hdr, tlen));
	/* 2 CPUs, bus, I/O APIC, 15 ISA IRQs, 2 local. */
	EXPECT_EQ(2 + 1 + 1 + 15 + 2, count);
	EXPECT_EQ(44 + 2 * 20 + (count - 2) * 8, tlen);
	EXPECT_EQ(0x03, hdr[44 + 3]);       /* CPU 0: enabled, BSP */
	EXPECT_EQ(0x01, hdr[64 + 3]);       /* CPU 1: enabled */
	for (uint8_t *e = hdr + 44 + 40; e < hdr + tlen; e += 8) {
		if (e[0] == 3 && e[1] == 0 && e[5] == 0)
			found_irq0 = e[7] == 2;
		/* The 8259 reaches LINT0 only: no I/O APIC pin is ExtINT. */
		if (e[0] == 3)
			extint_pins += e[1] == 3;
	}
	EXPECT_TRUE(found_irq0);
	EXPECT_EQ(0, extint_pins);
}
