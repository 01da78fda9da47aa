/* SPDX-License-Identifier: MIT */
/* 16550A UART model (COM1 in hvrun): registers, 16-byte receive FIFO,
 * interrupt identification and loopback, per the National Semiconductor
 * PC16550D datasheet (June 1995), "Registers" and Table II/IV. The
 * transmitter is infinitely fast: a byte written to THR goes straight to
 * the tx callback and THR/TSR are always empty. */
#include "devices.h"

#include <string.h>

/* Register offsets from the base port (datasheet Table II). */
enum { RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5,
       MSR = 6, SCR = 7 };

#define LCR_DLAB 0x80
#define MCR_DTR 0x01
#define MCR_RTS 0x02
#define MCR_OUT1 0x04
#define MCR_OUT2 0x08
#define MCR_LOOP 0x10
#define LSR_DR 0x01
#define LSR_OE 0x02
#define LSR_THRE 0x20
#define LSR_TEMT 0x40
#define IER_RDA 0x01
#define IER_THRE 0x02
#define IER_RLS 0x04
#define IER_MS 0x08

/* Interrupt identification codes in priority order (datasheet Table IV). */
#define IIR_NONE 0x01
#define IIR_RLS 0x06
#define IIR_RDA 0x04
#define IIR_THRE 0x02
#define IIR_MS 0x00

static uint8_t uart_iir(const struct uart *u)
{
	uint8_t fifo = (u->fcr & 1) ? 0xc0 : 0;

	if ((u->ier & IER_RLS) && (u->lsr & LSR_OE))
		return fifo | IIR_RLS;
	if ((u->ier & IER_RDA) && u->rx_count)
		return fifo | IIR_RDA;
	if ((u->ier & IER_THRE) && u->thre_pending)
		return fifo | IIR_THRE;
	if ((u->ier & IER_MS) && (u->msr & 0x0f))
		return fifo | IIR_MS;
	return fifo | IIR_NONE;
}

/* On the PC the INTR pin reaches the 8259 only through a driver enabled
 * by OUT2 (IBM PC/AT Technical Reference, serial adapter): Linux sets OUT2
 * before it expects interrupts. */
static void uart_update_irq(struct uart *u)
{
	int level = !(uart_iir(u) & IIR_NONE) && (u->mcr & MCR_OUT2);

	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->irq)
			u->irq(u->opaque, u->irq_line, level);
	}
}

void uart_init(struct uart *u, unsigned irq_line, irq_set_fn irq,
	       void (*tx)(void *, uint8_t), void *opaque)
{
	memset(u, 0, sizeof(*u));
	u->irq_line = irq_line;
	u->irq = irq;
	u->tx = tx;
	u->opaque = opaque;
	/* Master reset values (datasheet Table VI): LSR = THRE|TEMT. */
	u->lsr = LSR_THRE | LSR_TEMT;
	u->msr = 0xb0;  /* the terminal is "connected": DCD, DSR, CTS */
}

static bool fifo_push(struct uart *u, uint8_t byte)
{
	if (u->rx_count == UART_FIFO_SIZE) {
		u->lsr |= LSR_OE;  /* overrun: the new byte is lost */
		return false;
	}
	u->rx[(u->rx_head + u->rx_count) % UART_FIFO_SIZE] = byte;
	u->rx_count++;
	return true;
}

bool uart_rx_full(const struct uart *u)
{
	/* Without FIFOs (16450 mode) the receiver holds one byte. */
	return u->rx_count >= ((u->fcr & 1) ? UART_FIFO_SIZE : 1);
}

bool uart_receive(struct uart *u, uint8_t byte)
{
	bool ok;

	if ((u->mcr & MCR_LOOP) || uart_rx_full(u))
		return false;
	ok = fifo_push(u, byte);
	uart_update_irq(u);
	return ok;
}

/* Modem status in loopback mode: outputs are wired to inputs
 * (datasheet, MCR bit 4): RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD. */
static uint8_t uart_msr(const struct uart *u)
{
	if (u->mcr & MCR_LOOP)
		return (uint8_t)(((u->mcr & MCR_RTS) ? 0x10 : 0) |
				 ((u->mcr & MCR_DTR) ? 0x20 : 0) |
				 ((u->mcr & MCR_OUT1) ? 0x40 : 0) |
				 ((u->mcr & MCR_OUT2) ? 0x80 : 0));
	return u->msr;
}

uint8_t uart_read(struct uart *u, unsigned reg)
{
	uint8_t v = 0xff;

	switch (reg & 7) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB) {
			v = u->dll;
			break;
		}
		v = 0;
		if (u->rx_count) {
			v = u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
			u->rx_count--;
		}
		break;
	case IER:
		v = (u->lcr & LCR_DLAB) ? u->dlm : u->ier;
		break;
	case IIR_FCR:
		v = uart_iir(u);
		/* Reading IIR clears a THRE interrupt it reports. */
		if ((v & 0x0f) == IIR_THRE)
			u->thre_pending = false;
		break;
	case LCR:
		v = u->lcr;
		break;
	case MCR:
		v = u->mcr;
		break;
	case LSR:
		v = (uint8_t)(u->lsr | (u->rx_count ? LSR_DR : 0));
		u->lsr &= (uint8_t)~LSR_OE;  /* error bits clear on read */
		break;
	case MSR:
		v = uart_msr(u);
		u->msr &= 0xf0;  /* delta bits clear on read */
		break;
	case SCR:
		v = u->scr;
		break;
	}
	uart_update_irq(u);
	return v;
}

static void uart_transmit(struct uart *u, uint8_t byte)
{
	if (u->mcr & MCR_LOOP)
		fifo_push(u, byte);
	else if (u->tx)
		u->tx(u->opaque, byte);
	/* THR empties at once, which raises a THRE interrupt. */
	u->thre_pending = true;
}

void uart_write(struct uart *u, unsigned reg, uint8_t val)
{
	switch (reg & 7) {
	case RBR_THR:
		if (u->lcr & LCR_DLAB)
			u->dll = val;
		else
			uart_transmit(u, val);
		break;
	case IER:
		if (u->lcr & LCR_DLAB) {
			u->dlm = val;
			break;
		}
		/* Enabling ETBEI while THR is empty raises THRE at once
		 * (datasheet, IER bit 1; Linux's 8250 THRE test relies on it). */
		if ((val & IER_THRE) && !(u->ier & IER_THRE))
			u->thre_pending = true;
		u->ier = val & 0x0f;
		break;
	case IIR_FCR:
		if (val & 0x02) {  /* clear receive FIFO */
			u->rx_count = 0;
			u->rx_head = 0;
		}
		if ((val ^ u->fcr) & 1) {  /* FIFO mode change resets FIFOs */
			u->rx_count = 0;
			u->rx_head = 0;
		}
		u->fcr = val & 0xc9;
		break;
	case LCR:
		u->lcr = val;
		break;
	case MCR:
		u->mcr = val & 0x1f;
		break;
	case LSR:
	case MSR:
		break;  /* read-only in this model (factory test registers) */
	case SCR:
		u->scr = val;
		break;
	}
	uart_update_irq(u);
}
