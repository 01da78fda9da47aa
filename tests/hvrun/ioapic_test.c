/* SPDX-License-Identifier: MIT */
/* I/O APIC model: register window, version, redirection entries, edge
 * and level delivery with remote IRR and EOI (82093AA datasheet). */
#include "devices.h"
#include "test.h"

static int sent;
static uint8_t last_vec, last_dest, last_mode;
static bool last_level;

static void deliver(void *opaque, uint8_t dest, bool logical, uint8_t mode,
		    uint8_t vector, bool level)
{
	(void)opaque;
	(void)logical;
	sent++;
	last_dest = dest;
	last_mode = mode;
	last_vec = vector;
	last_level = level;
}

static void wr(struct ioapic *io, unsigned reg, uint32_t v)
{
	ioapic_write(io, 0x00, reg);
	ioapic_write(io, 0x10, v);
}

static uint32_t rd(struct ioapic *io, unsigned reg)
{
	ioapic_write(io, 0x00, reg);
	return ioapic_read(io, 0x10);
}

TEST(ioapic_identification)
{
	struct ioapic io;

	ioapic_init(&io, 2, deliver, NULL);
	EXPECT_EQ(2u << 24, rd(&io, 0));
	EXPECT_EQ(0x170011, rd(&io, 1));
	EXPECT_EQ(0x10000, rd(&io, 0x10));  /* masked at reset */
}

TEST(ioapic_edge_delivery)
{
	struct ioapic io;

	sent = 0;
	ioapic_init(&io, 2, deliver, NULL);
	ioapic_set_irq(&io, 2, 1);          /* masked: nothing */
	ioapic_set_irq(&io, 2, 0);
	EXPECT_EQ(0, sent);
	wr(&io, 0x10 + 2 * 2, 0x30);        /* pin 2: vector 0x30, edge */
	wr(&io, 0x11 + 2 * 2, 0x01000000);  /* destination APIC 1 */
	ioapic_set_irq(&io, 2, 1);
	EXPECT_EQ(1, sent);
	EXPECT_EQ(0x30, last_vec);
	EXPECT_EQ(1, last_dest);
	EXPECT_EQ(0, last_mode);
	ioapic_set_irq(&io, 2, 1);          /* no new edge */
	EXPECT_EQ(1, sent);
}

TEST(ioapic_level_remote_irr)
{
	struct ioapic io;

	sent = 0;
	ioapic_init(&io, 2, deliver, NULL);
	wr(&io, 0x10 + 2 * 10, 0x8041);     /* pin 10: level, vector 0x41 */
	ioapic_set_irq(&io, 10, 1);
	EXPECT_EQ(1, sent);
	EXPECT_TRUE(last_level);
	EXPECT_EQ(0x4000, rd(&io, 0x10 + 2 * 10) & 0x4000); /* remote IRR */
	ioapic_set_irq(&io, 10, 1);
	EXPECT_EQ(1, sent);                 /* held until EOI */
	ioapic_eoi(&io, 0x41);
	EXPECT_EQ(2, sent);                 /* still asserted: again */
	ioapic_set_irq(&io, 10, 0);
	ioapic_eoi(&io, 0x41);
	EXPECT_EQ(0, rd(&io, 0x10 + 2 * 10) & 0x4000);
	EXPECT_EQ(2, sent);
}
