/* SPDX-License-Identifier: MIT */
/* 16550A model: reset values, divisor latch, transmit, receive FIFO,
 * interrupt identification, OUT2 gating and loopback (PC16550D). */
#include "devices.h"
#include "test.h"

static uint8_t sent[64];
static unsigned nsent;
static int irq_level;

static void tx(void *opaque, uint8_t b)
{
	(void)opaque;
	sent[nsent++ % 64] = b;
}

static void irq(void *opaque, unsigned line, int level)
{
	(void)opaque;
	(void)line;
	irq_level = level;
}

static void setup(struct uart *u)
{
	nsent = 0;
	irq_level = 0;
	uart_init(u, 4, irq, tx, NULL);
}

TEST(uart_reset_values)
{
	struct uart u;

	setup(&u);
	EXPECT_EQ(0x60, uart_read(&u, 5));  /* LSR: THRE | TEMT */
	EXPECT_EQ(0x01, uart_read(&u, 2));  /* IIR: no interrupt */
	EXPECT_EQ(0, uart_read(&u, 1));
}

TEST(uart_divisor_latch_and_scratch)
{
	struct uart u;

	setup(&u);
	uart_write(&u, 3, 0x80);
	uart_write(&u, 0, 0x0c);
	uart_write(&u, 1, 0x00);
	EXPECT_EQ(0x0c, uart_read(&u, 0));
	uart_write(&u, 3, 0x03);
	EXPECT_EQ(0, nsent);  /* DLL writes do not transmit */
	uart_write(&u, 7, 0x5a);
	EXPECT_EQ(0x5a, uart_read(&u, 7));
}

TEST(uart_transmit)
{
	struct uart u;

	setup(&u);
	uart_write(&u, 0, 'h');
	uart_write(&u, 0, 'i');
	EXPECT_EQ(2, nsent);
	EXPECT_EQ('h', sent[0]);
	EXPECT_EQ('i', sent[1]);
}

TEST(uart_receive_interrupt_gated_by_out2)
{
	struct uart u;

	setup(&u);
	uart_write(&u, 1, 0x01);            /* IER: received data */
	EXPECT_TRUE(uart_receive(&u, 'x'));
	EXPECT_EQ(0x04, uart_read(&u, 2) & 0x0f);
	EXPECT_EQ(0, irq_level);            /* OUT2 off: line held low */
	uart_write(&u, 4, 0x08);            /* MCR: OUT2 */
	EXPECT_EQ(1, irq_level);
	EXPECT_EQ(0x61, uart_read(&u, 5));  /* DR set */
	EXPECT_EQ('x', uart_read(&u, 0));
	EXPECT_EQ(0, irq_level);
	EXPECT_EQ(0x60, uart_read(&u, 5));
}

TEST(uart_thre_interrupt_and_iir_clear)
{
	struct uart u;

	setup(&u);
	uart_write(&u, 4, 0x08);
	uart_write(&u, 1, 0x02);            /* enabling ETBEI raises THRE */
	EXPECT_EQ(1, irq_level);
	EXPECT_EQ(0x02, uart_read(&u, 2));  /* reading IIR clears it */
	EXPECT_EQ(0x01, uart_read(&u, 2));
	EXPECT_EQ(0, irq_level);
	uart_write(&u, 0, 'a');             /* THR empties again */
	EXPECT_EQ(1, irq_level);
}

TEST(uart_fifo_and_overrun)
{
	struct uart u;

	setup(&u);
	uart_write(&u, 2, 0xc7);
	EXPECT_EQ(0xc1, uart_read(&u, 2));  /* FIFOs enabled bits */
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		EXPECT_TRUE(uart_receive(&u, (uint8_t)i));
	EXPECT_TRUE(uart_rx_full(&u));
	EXPECT_TRUE(!uart_receive(&u, 99));
	EXPECT_EQ(0, uart_read(&u, 0));
	EXPECT_EQ(1, uart_read(&u, 0));
}

TEST(uart_loopback_as_linux_probes_it)
{
	struct uart u;

	setup(&u);
	/* 8250 autoconfig: MCR = LOOP | OUT2 | RTS, expect MSR 0x90. */
	uart_write(&u, 4, 0x1a);
	EXPECT_EQ(0x90, uart_read(&u, 6) & 0xf0);
	uart_write(&u, 0, 0x42);
	EXPECT_EQ(0, nsent);
	EXPECT_EQ(0x42, uart_read(&u, 0));
}
