/* SPDX-License-Identifier: MIT */
/* Local APIC model: timer arithmetic (divider, one-shot, periodic,
 * TSC deadline), priority and EOI, TPR, ICR and logical destinations
 * (SDM Vol. 3A chapter 11). */
#include "devices.h"
#include "test.h"

#define BUS 25000000ull
#define T0 5000000000ull

static struct lapic_ipi last_ipi;
static int ipis, eois;

static void send_ipi(void *opaque, const struct lapic_ipi *ipi)
{
	(void)opaque;
	last_ipi = *ipi;
	ipis++;
}

static void eoi(void *opaque, uint8_t vector)
{
	(void)opaque;
	(void)vector;
	eois++;
}

static void setup(struct lapic *l)
{
	ipis = eois = 0;
	lapic_init(l, 1, BUS);
	l->send_ipi = send_ipi;
	l->eoi = eoi;
	lapic_write(l, LAPIC_SVR, 0x1ff, 0);
}

TEST(lapic_reset_state)
{
	struct lapic l;

	lapic_init(&l, 3, BUS);
	EXPECT_EQ(3u << 24, lapic_read(&l, LAPIC_ID, 0));
	EXPECT_EQ(0x50014, lapic_read(&l, LAPIC_VER, 0));
	EXPECT_EQ(0xff, lapic_read(&l, LAPIC_SVR, 0));
	EXPECT_EQ(LAPIC_LVT_MASKED, lapic_read(&l, LAPIC_LVT_TIMER, 0));
	EXPECT_TRUE(!lapic_enabled(&l));
}

TEST(lapic_oneshot_timer)
{
	struct lapic l;

	setup(&l);
	lapic_write(&l, LAPIC_TIMER_DCR, 0x3, T0);      /* divide by 16 */
	lapic_write(&l, LAPIC_LVT_TIMER, 0x40, T0);
	lapic_write(&l, LAPIC_TIMER_ICR, 1000, T0);
	/* 1000 ticks at 25 MHz / 16 = 640 us. */
	EXPECT_EQ(640000, lapic_timer_period_ns(&l));
	EXPECT_EQ(T0 + 640000, l.timer_deadline);
	EXPECT_EQ(500, lapic_read(&l, LAPIC_TIMER_CCR, T0 + 320000));
	EXPECT_TRUE(!lapic_timer_poll(&l, T0 + 639999));
	EXPECT_TRUE(lapic_timer_poll(&l, T0 + 640000));
	EXPECT_EQ(0x40, lapic_pending(&l));
	EXPECT_EQ(NO_DEADLINE, l.timer_deadline);
	EXPECT_EQ(0, lapic_read(&l, LAPIC_TIMER_CCR, T0 + 700000));
}

TEST(lapic_periodic_timer_and_divide_by_one)
{
	struct lapic l;

	setup(&l);
	lapic_write(&l, LAPIC_TIMER_DCR, 0xb, T0);      /* divide by 1 */
	lapic_write(&l, LAPIC_LVT_TIMER, 0x20041, T0);  /* periodic */
	lapic_write(&l, LAPIC_TIMER_ICR, 25000, T0);    /* 1 ms */
	EXPECT_TRUE(lapic_timer_poll(&l, T0 + 1000000));
	EXPECT_EQ(T0 + 2000000, l.timer_deadline);
	EXPECT_EQ(25000 - 12500, lapic_read(&l, LAPIC_TIMER_CCR,
					    T0 + 1500000));
	EXPECT_EQ(0x41, lapic_ack(&l));
	/* Masked: keeps counting but raises nothing. */
	lapic_write(&l, LAPIC_LVT_TIMER, 0x30041, T0);
	EXPECT_TRUE(!lapic_timer_poll(&l, T0 + 2000000));
	EXPECT_EQ(T0 + 3000000, l.timer_deadline);
	EXPECT_EQ(-1, lapic_pending(&l));
}

TEST(lapic_timer_tsc_deadline)
{
	struct lapic l;

	setup(&l);
	lapic_write(&l, LAPIC_LVT_TIMER, 0x40050, T0);  /* TSC deadline */
	lapic_write(&l, LAPIC_TIMER_ICR, 1000, T0);     /* ignored */
	EXPECT_EQ(0, lapic_read(&l, LAPIC_TIMER_ICR, T0));
	lapic_set_tsc_deadline(&l, 12345, T0 + 777);
	EXPECT_EQ(T0 + 777, l.timer_deadline);
	EXPECT_TRUE(lapic_timer_poll(&l, T0 + 800));
	EXPECT_EQ(0, l.tsc_deadline);
	EXPECT_EQ(0x50, lapic_pending(&l));
}

TEST(lapic_priority_eoi_tpr)
{
	struct lapic l;

	setup(&l);
	lapic_accept(&l, 0x31, false);
	lapic_accept(&l, 0x41, true);
	EXPECT_EQ(0x41, lapic_pending(&l));
	EXPECT_EQ(0x41, lapic_ack(&l));
	EXPECT_EQ(-1, lapic_pending(&l));   /* class 3 < in-service 4 */
	EXPECT_EQ(0x40, lapic_read(&l, LAPIC_PPR, 0));
	lapic_write(&l, LAPIC_EOI, 0, 0);
	EXPECT_EQ(1, eois);                 /* level: goes to the I/O APIC */
	EXPECT_EQ(0x31, lapic_pending(&l));
	lapic_write(&l, LAPIC_TPR, 0x30, 0);
	EXPECT_EQ(-1, lapic_pending(&l));   /* TPR class 3 blocks 0x31 */
	lapic_write(&l, LAPIC_TPR, 0x20, 0);
	EXPECT_EQ(0x31, lapic_ack(&l));
	lapic_write(&l, LAPIC_EOI, 0, 0);
	EXPECT_EQ(1, eois);                 /* edge: no I/O APIC EOI */
	EXPECT_EQ(0xff, lapic_ack(&l));     /* nothing: spurious vector */
}

TEST(lapic_icr_sends_ipi)
{
	struct lapic l;

	setup(&l);
	lapic_write(&l, LAPIC_ICR_HI, 0x01000000, 0);
	lapic_write(&l, LAPIC_ICR_LO, 0x000c4500, 0);  /* INIT, all-but-self */
	EXPECT_EQ(1, ipis);
	EXPECT_EQ(5, last_ipi.mode);
	EXPECT_EQ(3, last_ipi.shorthand);
	EXPECT_TRUE(last_ipi.level_assert);
	lapic_write(&l, LAPIC_ICR_LO, 0x00000608, 0);  /* SIPI page 8 */
	EXPECT_EQ(6, last_ipi.mode);
	EXPECT_EQ(8, last_ipi.vector);
	EXPECT_EQ(1, last_ipi.dest);
	EXPECT_EQ(0, lapic_read(&l, LAPIC_ICR_LO, 0) & 0x1000); /* idle */
}

TEST(lapic_destinations)
{
	struct lapic l;

	setup(&l);
	EXPECT_TRUE(lapic_match(&l, 1, false));
	EXPECT_TRUE(lapic_match(&l, 0xff, false));
	EXPECT_TRUE(!lapic_match(&l, 0, false));
	lapic_write(&l, LAPIC_LDR, 0x02000000, 0);    /* flat, bit 1 */
	EXPECT_TRUE(lapic_match(&l, 0x03, true));
	EXPECT_TRUE(!lapic_match(&l, 0x01, true));
	lapic_write(&l, LAPIC_DFR, 0x0fffffff, 0);    /* cluster */
	lapic_write(&l, LAPIC_LDR, 0x21000000, 0);    /* cluster 2, bit 0 */
	EXPECT_TRUE(lapic_match(&l, 0x21, true));
	EXPECT_TRUE(!lapic_match(&l, 0x11, true));
}

TEST(lapic_software_disable_masks_lvt)
{
	struct lapic l;

	setup(&l);
	lapic_write(&l, LAPIC_LVT_LINT0, 0x700, 0);
	EXPECT_TRUE(lapic_extint_enabled(&l));
	lapic_write(&l, LAPIC_SVR, 0xff, 0);
	EXPECT_TRUE(!lapic_extint_enabled(&l));
	lapic_write(&l, LAPIC_LVT_LINT0, 0x700, 0);
	EXPECT_EQ(0x10700, lapic_read(&l, LAPIC_LVT_LINT0, 0));
}
