/* SPDX-License-Identifier: MIT */
/* I/O APIC model (MMIO at 0xfec00000): IOREGSEL/IOWIN indirect access, ID,
 * version and arbitration registers, 24 redirection entries with edge and
 * level triggering and remote IRR, after the Intel 82093AA I/O APIC
 * datasheet (order 290566), sections 3.1-3.2. Input levels are active
 * high (the board presents an asserted line as 1 whatever the pin's
 * polarity bit says). Delivery hands (destination, mode, vector) to the
 * board, which routes it to local APICs. */
#include "devices.h"

#include <string.h>

#define REG_ID 0x00
#define REG_VER 0x01
#define REG_ARB 0x02
#define REG_REDIR 0x10

/* Writable bits of a redirection entry (datasheet 3.2.4): vector,
 * delivery mode, destination mode, polarity, trigger mode, mask and the
 * destination field; delivery status and remote IRR are read-only. */
#define REDIR_RW 0xff0000000001afffull

void ioapic_init(struct ioapic *io, uint8_t id,
		 void (*deliver)(void *, uint8_t, bool, uint8_t, uint8_t, bool),
		 void *opaque)
{
	memset(io, 0, sizeof(*io));
	io->id = id;
	for (unsigned i = 0; i < IOAPIC_PINS; i++)
		io->redir[i] = IOAPIC_MASKED;  /* reset: all masked */
	io->deliver = deliver;
	io->opaque = opaque;
}

/* Send pin's interrupt if it is asserted and allowed to go. A level
 * interrupt sets remote IRR and is not resent until the EOI. */
static void ioapic_service(struct ioapic *io, unsigned pin)
{
	uint64_t e = io->redir[pin];
	bool level = (e & IOAPIC_LEVEL) != 0;

	if (!((io->lines >> pin) & 1) || (e & IOAPIC_MASKED))
		return;
	if (level) {
		if (e & IOAPIC_REMOTE_IRR)
			return;
		io->redir[pin] |= IOAPIC_REMOTE_IRR;
	}
	if (io->deliver)
		io->deliver(io->opaque, (uint8_t)(e >> 56), (e >> 11) & 1,
			    (e >> 8) & 7, (uint8_t)e, level);
}

void ioapic_set_irq(struct ioapic *io, unsigned pin, int level)
{
	uint32_t bit;
	bool was;

	if (pin >= IOAPIC_PINS)
		return;
	bit = 1u << pin;
	was = (io->lines & bit) != 0;
	if (level)
		io->lines |= bit;
	else
		io->lines &= ~bit;
	/* Edge: deliver on the rising edge only. Level: whenever high. */
	if (level && (!was || (io->redir[pin] & IOAPIC_LEVEL)))
		ioapic_service(io, pin);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t e = io->redir[pin];

		if ((uint8_t)e != vector || !(e & IOAPIC_REMOTE_IRR))
			continue;
		io->redir[pin] &= ~IOAPIC_REMOTE_IRR;
		ioapic_service(io, pin);  /* still asserted: send again */
	}
}

static uint32_t ioapic_reg_read(const struct ioapic *io)
{
	unsigned sel = io->sel, pin;

	switch (sel) {
	case REG_ID:
		return (uint32_t)(io->id & 0xf) << 24;
	case REG_VER:
		/* Version 0x11, maximum redirection entry 23 (3.2.2). */
		return 0x11 | ((IOAPIC_PINS - 1u) << 16);
	case REG_ARB:
		return (uint32_t)(io->id & 0xf) << 24;
	default:
		if (sel < REG_REDIR || sel >= REG_REDIR + 2 * IOAPIC_PINS)
			return 0;
		pin = (sel - REG_REDIR) / 2;
		return (uint32_t)(io->redir[pin] >> ((sel & 1) ? 32 : 0));
	}
}

static void ioapic_reg_write(struct ioapic *io, uint32_t val)
{
	unsigned sel = io->sel, pin;
	uint64_t e;

	if (sel == REG_ID) {
		io->id = (val >> 24) & 0xf;
		return;
	}
	if (sel < REG_REDIR || sel >= REG_REDIR + 2 * IOAPIC_PINS)
		return;
	pin = (sel - REG_REDIR) / 2;
	e = io->redir[pin];
	if (sel & 1)
		e = (e & 0xffffffffull) | ((uint64_t)val << 32);
	else
		e = (e & ~0xffffffffull) | val;
	io->redir[pin] = (e & REDIR_RW) | (io->redir[pin] & ~REDIR_RW);
	/* An edge entry never holds remote IRR. */
	if (!(io->redir[pin] & IOAPIC_LEVEL))
		io->redir[pin] &= ~IOAPIC_REMOTE_IRR;
	/* Unmasking a level pin that is asserted delivers it now. */
	if (io->redir[pin] & IOAPIC_LEVEL)
		ioapic_service(io, pin);
}

/* MMIO: IOREGSEL at 0x00, IOWIN at 0x10, EOI register at 0x40 (version
 * 0x20 parts; harmless to offer). */
uint32_t ioapic_read(struct ioapic *io, unsigned off)
{
	switch (off & 0xff) {
	case 0x00:
		return io->sel;
	case 0x10:
		return ioapic_reg_read(io);
	default:
		return 0;
	}
}

void ioapic_write(struct ioapic *io, unsigned off, uint32_t val)
{
	switch (off & 0xff) {
	case 0x00:
		io->sel = (uint8_t)val;
		break;
	case 0x10:
		ioapic_reg_write(io, val);
		break;
	case 0x40:
		ioapic_eoi(io, (uint8_t)val);
		break;
	}
}
