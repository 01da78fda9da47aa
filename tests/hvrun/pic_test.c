/* SPDX-License-Identifier: MIT */
/* 8259A pair: initialisation, priority, nesting, EOI, masking, cascade,
 * spurious IR7, level mode through ELCR, poll and register reads. */
#include "devices.h"
#include "test.h"

static int intr;

static void out(void *opaque, int level)
{
	(void)opaque;
	intr = level;
}

/* The PC BIOS/Linux sequence: ICW1 0x11, ICW2 0x20/0x28, ICW3, ICW4. */
static void setup(struct pic *p)
{
	intr = 0;
	pic_init(p, out, NULL);
	pic_write(p, 0x20, 0x11);
	pic_write(p, 0x21, 0x20);
	pic_write(p, 0x21, 0x04);
	pic_write(p, 0x21, 0x01);
	pic_write(p, 0xa0, 0x11);
	pic_write(p, 0xa1, 0x28);
	pic_write(p, 0xa1, 0x02);
	pic_write(p, 0xa1, 0x01);
}

static void pulse(struct pic *p, unsigned irq)
{
	pic_set_irq(p, irq, 1);
	pic_set_irq(p, irq, 0);
}

TEST(pic_irq0_vector_and_eoi)
{
	struct pic p;

	setup(&p);
	EXPECT_EQ(0, intr);
	pulse(&p, 0);
	EXPECT_EQ(1, intr);
	EXPECT_EQ(0x20, pic_ack(&p));
	EXPECT_EQ(0, intr);
	pic_write(&p, 0x20, 0x0b);          /* OCW3: read ISR */
	EXPECT_EQ(0x01, pic_read(&p, 0x20));
	pic_write(&p, 0x20, 0x20);          /* non-specific EOI */
	EXPECT_EQ(0x00, pic_read(&p, 0x20));
}

TEST(pic_priority_and_nesting)
{
	struct pic p;

	setup(&p);
	pulse(&p, 3);
	pulse(&p, 1);
	EXPECT_EQ(0x21, pic_ack(&p));       /* IR1 beats IR3 */
	EXPECT_EQ(0, intr);                 /* IR3 waits for IR1's EOI */
	pulse(&p, 0);
	EXPECT_EQ(1, intr);                 /* IR0 may nest over IR1 */
	EXPECT_EQ(0x20, pic_ack(&p));
	pic_write(&p, 0x20, 0x20);          /* EOI IR0 */
	EXPECT_EQ(0, intr);
	pic_write(&p, 0x20, 0x20);          /* EOI IR1 */
	EXPECT_EQ(1, intr);
	EXPECT_EQ(0x23, pic_ack(&p));
}

TEST(pic_mask_and_specific_eoi)
{
	struct pic p;

	setup(&p);
	pic_write(&p, 0x21, 0xfe);
	EXPECT_EQ(0xfe, pic_read(&p, 0x21));
	pulse(&p, 4);
	EXPECT_EQ(0, intr);
	pic_write(&p, 0x20, 0x0a);          /* OCW3: read IRR */
	EXPECT_EQ(0x10, pic_read(&p, 0x20));
	pic_write(&p, 0x21, 0x00);
	EXPECT_EQ(1, intr);
	EXPECT_EQ(0x24, pic_ack(&p));
	pic_write(&p, 0x20, 0x64);          /* specific EOI IR4 */
	pic_write(&p, 0x20, 0x0b);
	EXPECT_EQ(0, pic_read(&p, 0x20));
}

TEST(pic_cascade_slave_irq)
{
	struct pic p;

	setup(&p);
	pulse(&p, 9);
	EXPECT_EQ(1, intr);
	EXPECT_EQ(0x29, pic_ack(&p));
	pic_write(&p, 0x20, 0x0b);
	EXPECT_EQ(0x04, pic_read(&p, 0x20)); /* master IR2 in service */
	pic_write(&p, 0xa0, 0x0b);
	EXPECT_EQ(0x02, pic_read(&p, 0xa0));
}

TEST(pic_spurious_ir7)
{
	struct pic p;

	setup(&p);
	EXPECT_EQ(0x27, pic_ack(&p));
}

TEST(pic_level_mode_via_elcr)
{
	struct pic p;

	setup(&p);
	pic_write(&p, 0x4d1, 0x08);         /* IRQ 11 level */
	EXPECT_EQ(0x08, pic_read(&p, 0x4d1));
	pic_set_irq(&p, 11, 1);
	EXPECT_EQ(0x2b, pic_ack(&p));
	pic_write(&p, 0xa0, 0x20);
	pic_write(&p, 0x20, 0x20);
	EXPECT_EQ(1, intr);                 /* still asserted: again */
	pic_set_irq(&p, 11, 0);
	EXPECT_EQ(0, intr);
	/* ELCR bits of IRQ 0, 1, 2 are read-only 0 (edge). */
	pic_write(&p, 0x4d0, 0xff);
	EXPECT_EQ(0xf8, pic_read(&p, 0x4d0));
}

TEST(pic_poll_command)
{
	struct pic p;

	setup(&p);
	pulse(&p, 5);
	pic_write(&p, 0x20, 0x0c);          /* OCW3: poll */
	EXPECT_EQ(0x85, pic_read(&p, 0x20));
	pic_write(&p, 0x20, 0x0c);
	EXPECT_EQ(0x00, pic_read(&p, 0x20));
}
