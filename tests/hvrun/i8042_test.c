/* SPDX-License-Identifier: MIT */
/* 8042 model: self-test, configuration byte, keyboard ACK/ID, IRQ 1, and
 * the reset line (command 0xfe, output port bit 0, port 0x92 bit 0). */
#include "devices.h"
#include "test.h"

static int resets, irq1;

static void reset(void *opaque)
{
	(void)opaque;
	resets++;
}

static void irq(void *opaque, unsigned line, int level)
{
	(void)opaque;
	if (line == 1)
		irq1 = level;
}

static void setup(struct i8042 *k)
{
	resets = irq1 = 0;
	i8042_init(k, reset, irq, NULL);
}

TEST(i8042_self_test_and_ctr)
{
	struct i8042 k;

	setup(&k);
	EXPECT_EQ(0, i8042_read(&k, 0x64) & 1);
	i8042_write(&k, 0x64, 0xaa);
	EXPECT_EQ(1, i8042_read(&k, 0x64) & 1);
	EXPECT_EQ(0x55, i8042_read(&k, 0x60));
	EXPECT_EQ(0, i8042_read(&k, 0x64) & 1);
	i8042_write(&k, 0x64, 0x60);    /* write CTR */
	i8042_write(&k, 0x60, 0x47);
	i8042_write(&k, 0x64, 0x20);    /* read CTR */
	EXPECT_EQ(0x47, i8042_read(&k, 0x60));
}

TEST(i8042_keyboard_id_with_irq)
{
	struct i8042 k;

	setup(&k);
	i8042_write(&k, 0x60, 0xf2);    /* identify */
	EXPECT_EQ(1, irq1);             /* CTR bit 0 is set at reset */
	EXPECT_EQ(0xfa, i8042_read(&k, 0x60));
	EXPECT_EQ(0xab, i8042_read(&k, 0x60));
	EXPECT_EQ(0x83, i8042_read(&k, 0x60));
	EXPECT_EQ(0, irq1);
}

TEST(i8042_reset_line)
{
	struct i8042 k;

	setup(&k);
	i8042_write(&k, 0x64, 0xff);    /* pulse nothing */
	EXPECT_EQ(0, resets);
	i8042_write(&k, 0x64, 0xfe);    /* pulse reset */
	EXPECT_EQ(1, resets);
	i8042_write(&k, 0x64, 0xd1);    /* write output port, bit 0 low */
	i8042_write(&k, 0x60, 0x02);
	EXPECT_EQ(2, resets);
	i8042_write(&k, 0x92, 0x01);    /* fast reset */
	EXPECT_EQ(3, resets);
}
