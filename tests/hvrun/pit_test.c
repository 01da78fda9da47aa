/* SPDX-License-Identifier: MIT */
/* 8254 model: counting in modes 0, 2 and 3, counter latch, read-back
 * status, LSB/MSB sequences, the port 0x61 gate and OUT2, and IRQ 0
 * deadlines (82C54 datasheet). Time is passed in explicitly. */
#include "devices.h"
#include "test.h"

static unsigned pulses;

static void irq(void *opaque, unsigned line, int level)
{
	(void)opaque;
	if (line == 0 && level)
		pulses++;
}

#define T0 1000000000ull
#define US 1000ull

static void program(struct pit *p, uint8_t ctl, uint16_t count, uint64_t t)
{
	unsigned port = 0x40 + (ctl >> 6);

	pit_write(p, 0x43, ctl, t);
	pit_write(p, (uint16_t)port, (uint8_t)count, t);
	pit_write(p, (uint16_t)port, (uint8_t)(count >> 8), t);
}

TEST(pit_mode2_counts_and_interrupts)
{
	struct pit p;

	pulses = 0;
	pit_init(&p, irq, NULL);
	program(&p, 0x34, 1193, T0);        /* ch0, LSB/MSB, mode 2 */
	/* 500 us = 596.591 ticks. */
	EXPECT_EQ(1193 - 596, pit_count(&p, 0, T0 + 500 * US));
	/* The first edge comes after 1193 ticks = 999.85 us. */
	EXPECT_EQ(T0 + 999848, pit_deadline(&p));
	pit_poll(&p, T0 + 999 * US);
	EXPECT_EQ(0, pulses);
	pit_poll(&p, T0 + 1000 * US);
	EXPECT_EQ(1, pulses);
	/* Missed periods coalesce into one interrupt. */
	pit_poll(&p, T0 + 5000 * US);
	EXPECT_EQ(2, pulses);
	EXPECT_TRUE(pit_deadline(&p) > T0 + 5000 * US);
}

TEST(pit_latch_and_lsb_msb_reads)
{
	struct pit p;
	uint8_t lo, hi;

	pit_init(&p, irq, NULL);
	program(&p, 0x34, 0x1000, T0);
	pit_write(&p, 0x43, 0x00, T0 + 100 * US);  /* latch ch0 */
	/* Reads after the latch return the latched value. */
	lo = pit_read(&p, 0x40, T0 + 900 * US);
	hi = pit_read(&p, 0x40, T0 + 900 * US);
	EXPECT_EQ(0x1000 - 119, lo | hi << 8);
	/* Unlatched: live value, LSB then MSB. */
	lo = pit_read(&p, 0x40, T0);
	hi = pit_read(&p, 0x40, T0);
	EXPECT_EQ(0x1000, lo | hi << 8);
}

TEST(pit_readback_status)
{
	struct pit p;

	pit_init(&p, irq, NULL);
	program(&p, 0xb6, 100, T0);         /* ch2, LSB/MSB, mode 3 */
	pit_write(&p, 0x43, 0xe8, T0);      /* read-back status of ch2 */
	/* OUT high (gate low: not counting), RW 3, mode 3, binary. */
	EXPECT_EQ(0x80 | 0x30 | 0x06, pit_read(&p, 0x42, T0));
}

TEST(pit_channel2_gate_and_out2_mode0)
{
	struct pit p;

	pit_init(&p, irq, NULL);
	/* Linux's calibration: gate on, speaker off, mode 0, count. */
	pit_write_port61(&p, 0x01, T0);
	program(&p, 0xb0, 1193, T0);
	EXPECT_EQ(0x01, pit_read_port61(&p, T0 + 10 * US) & 0x23);
	EXPECT_EQ(0x21, pit_read_port61(&p, T0 + 1001 * US) & 0x23);
	/* Gate low holds the count. */
	pit_write_port61(&p, 0x00, T0 + 1100 * US);
	EXPECT_EQ(pit_count(&p, 2, T0 + 1100 * US),
		  pit_count(&p, 2, T0 + 9000 * US));
}

TEST(pit_mode3_square_wave)
{
	struct pit p;

	pit_init(&p, irq, NULL);
	program(&p, 0x36, 1000, T0);        /* ch0 mode 3 */
	EXPECT_TRUE(pit_out(&p, 0, T0 + 100 * US));   /* tick 119: high */
	EXPECT_TRUE(!pit_out(&p, 0, T0 + 600 * US));  /* tick 715: low */
	EXPECT_EQ(0, pit_count(&p, 0, T0) & 1);       /* counts by 2 */
}

TEST(pit_mode0_single_interrupt)
{
	struct pit p;

	pulses = 0;
	pit_init(&p, irq, NULL);
	program(&p, 0x30, 100, T0);         /* ch0 mode 0 */
	pit_poll(&p, T0 + 1000 * US);
	pit_poll(&p, T0 + 9000 * US);
	EXPECT_EQ(1, pulses);
	EXPECT_EQ(NO_DEADLINE, pit_deadline(&p));
}
