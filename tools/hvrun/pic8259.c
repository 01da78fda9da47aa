/* SPDX-License-Identifier: MIT */
/* 8259A interrupt controller pair (master at 0x20, slave at 0xa0 on IR2),
 * after the Intel 8259A datasheet (order 231468): ICW1-4 initialisation,
 * OCW1-3, fully nested priority with rotation, specific/non-specific EOI,
 * auto-EOI, special mask, poll, and the PIIX edge/level control registers
 * (ELCR, ports 0x4d0/0x4d1) that PCs use instead of ICW1.LTIM. */
#include "devices.h"

#include <string.h>

/* The highest-priority set bit of mask with IR "lowest" having the lowest
 * priority (datasheet, "Rotation"); 8 if none. Returns a priority rank:
 * 0 is the highest. */
static unsigned rank(const struct pic_chip *c, uint8_t mask)
{
	for (unsigned r = 0; r < 8; r++) {
		unsigned ir = (c->lowest + 1 + r) & 7;

		if (mask & (1u << ir))
			return r;
	}
	return 8;
}

static unsigned ir_of_rank(const struct pic_chip *c, unsigned r)
{
	return (c->lowest + 1 + r) & 7;
}

/* The IR the chip would signal now, or -1. A request interrupts only a
 * lower-priority service in progress (fully nested mode). In special mask
 * mode masked in-service levels do not block; in special fully nested
 * mode (master) the cascade input may nest on itself. */
static int chip_pending(const struct pic_chip *c, bool is_master)
{
	uint8_t req = c->irr & ~c->imr;
	uint8_t serv = c->isr;
	unsigned r;

	if (!req)
		return -1;
	if (c->special_mask)
		serv &= (uint8_t)~c->imr;
	if (is_master && c->sfnm)
		serv &= (uint8_t)~(1u << 2);
	r = rank(c, req);
	if (r < rank(c, serv))
		return (int)ir_of_rank(c, r);
	return -1;
}

static void pic_update(struct pic *p)
{
	struct pic_chip *m = &p->chip[0];
	int level;

	/* The slave's INT output drives master IR2 as a level. */
	if (chip_pending(&p->chip[1], false) >= 0)
		m->irr |= 1u << 2;
	else
		m->irr &= (uint8_t)~(1u << 2);
	level = chip_pending(m, true) >= 0;
	if (level != p->intr_level) {
		p->intr_level = level;
		if (p->intr)
			p->intr(p->opaque, level);
	}
}

static void chip_reset(struct pic_chip *c)
{
	uint8_t elcr = c->elcr, lines = c->lines;

	memset(c, 0, sizeof(*c));
	c->elcr = elcr;
	c->lines = lines;
	c->lowest = 7;
}

void pic_init(struct pic *p, void (*intr)(void *, int), void *opaque)
{
	memset(p, 0, sizeof(*p));
	chip_reset(&p->chip[0]);
	chip_reset(&p->chip[1]);
	p->intr = intr;
	p->opaque = opaque;
}

/* An input changes level. Edge mode latches IRR on a rising edge; level
 * mode makes IRR follow the line (datasheet, "Edge and level triggered
 * modes"; PIIX ELCR selects per IR). */
static void chip_set_irq(struct pic_chip *c, unsigned ir, int level)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (c->elcr & bit) {
		if (level)
			c->irr |= bit;
		else
			c->irr &= (uint8_t)~bit;
	} else if (level && !(c->lines & bit)) {
		c->irr |= bit;
	}
	if (level)
		c->lines |= bit;
	else
		c->lines &= (uint8_t)~bit;
}

void pic_set_irq(struct pic *p, unsigned irq, int level)
{
	if (irq >= 16 || irq == 2)
		return;  /* IR2 of the master is the cascade */
	chip_set_irq(&p->chip[irq >> 3], irq & 7, level);
	pic_update(p);
}

bool pic_intr(const struct pic *p)
{
	return p->intr_level != 0;
}

/* Acknowledge ir: set ISR (unless auto-EOI), clear an edge request. A
 * level request stays in IRR while the line is high. */
static void chip_ack(struct pic_chip *c, unsigned ir)
{
	uint8_t bit = (uint8_t)(1u << ir);

	if (!c->auto_eoi)
		c->isr |= bit;
	if (!(c->elcr & bit) || !(c->lines & bit))
		c->irr &= (uint8_t)~bit;
}

uint8_t pic_ack(struct pic *p)
{
	struct pic_chip *m = &p->chip[0], *s = &p->chip[1];
	int ir = chip_pending(m, true);
	uint8_t vector;

	if (ir < 0) {
		/* No request any more: the 8259A answers IR7 (spurious). */
		vector = m->vector_base | 7;
	} else if (ir == 2) {
		int sir = chip_pending(s, false);

		chip_ack(m, 2);
		if (sir < 0) {
			vector = s->vector_base | 7;
		} else {
			chip_ack(s, (unsigned)sir);
			vector = (uint8_t)(s->vector_base | sir);
		}
	} else {
		chip_ack(m, (unsigned)ir);
		vector = (uint8_t)(m->vector_base | ir);
	}
	pic_update(p);
	return vector;
}

/* Poll command (OCW3 P=1): the next read returns 0x80|IR and acts as an
 * INTA, or 0 if nothing is requested. */
static uint8_t chip_poll(struct pic *p, struct pic_chip *c)
{
	int ir = chip_pending(c, c == &p->chip[0]);

	c->poll = false;
	if (ir < 0)
		return 0;
	chip_ack(c, (unsigned)ir);
	if (c == &p->chip[1])
		p->chip[0].isr &= (uint8_t)~(1u << 2);
	pic_update(p);
	return (uint8_t)(0x80 | ir);
}

uint8_t pic_read(struct pic *p, uint16_t port)
{
	struct pic_chip *c;

	if (port == 0x4d0 || port == 0x4d1)
		return p->chip[port & 1].elcr;
	c = &p->chip[(port & 0x80) ? 1 : 0];
	if (c->poll)
		return chip_poll(p, c);
	if (port & 1)
		return c->imr;                     /* OCW1 */
	return c->read_isr ? c->isr : c->irr;  /* OCW3 RR/RIS */
}

/* OCW2 (datasheet, "Operation Command Words", Table 3): R SL EOI bits in
 * 7:5, level in 2:0. */
static void chip_ocw2(struct pic_chip *c, uint8_t val)
{
	unsigned cmd = val >> 5, ir = val & 7;
	unsigned r;

	switch (cmd) {
	case 1: /* non-specific EOI */
	case 5: /* rotate on non-specific EOI */
		r = rank(c, c->isr);
		if (r == 8)
			break;
		ir = ir_of_rank(c, r);
		c->isr &= (uint8_t)~(1u << ir);
		if (cmd == 5)
			c->lowest = (uint8_t)ir;
		break;
	case 3: /* specific EOI */
		c->isr &= (uint8_t)~(1u << ir);
		break;
	case 7: /* rotate on specific EOI */
		c->isr &= (uint8_t)~(1u << ir);
		c->lowest = (uint8_t)ir;
		break;
	case 6: /* set priority */
		c->lowest = (uint8_t)ir;
		break;
	default: /* 0, 4: rotate in auto-EOI mode clear/set; 2: no-op */
		break;
	}
}

static void chip_write_cmd(struct pic_chip *c, uint8_t val)
{
	if (val & 0x10) {  /* ICW1 */
		chip_reset(c);
		c->icw4_needed = val & 1;
		c->single = val & 2;
		c->init_step = 2;
		/* ICW1 also clears the IMR and selects IRR reads. */
		return;
	}
	if (val & 0x08) {  /* OCW3 */
		if (val & 0x04)
			c->poll = true;
		if (val & 0x02)
			c->read_isr = val & 1;
		if (val & 0x40)
			c->special_mask = (val & 0x20) != 0;
		return;
	}
	chip_ocw2(c, val);
}

static void chip_write_data(struct pic_chip *c, uint8_t val)
{
	switch (c->init_step) {
	case 2:  /* ICW2: vector base, bits 7:3 on an 8086 system */
		c->vector_base = val & 0xf8;
		c->init_step = c->single ? (c->icw4_needed ? 4 : 0) : 3;
		return;
	case 3:  /* ICW3: cascade wiring; fixed on the PC */
		c->init_step = c->icw4_needed ? 4 : 0;
		return;
	case 4:  /* ICW4: AEOI bit 1, SFNM bit 4 */
		c->auto_eoi = (val & 0x02) != 0;
		c->sfnm = (val & 0x10) != 0;
		c->init_step = 0;
		return;
	default: /* OCW1 */
		c->imr = val;
		return;
	}
}

void pic_write(struct pic *p, uint16_t port, uint8_t val)
{
	struct pic_chip *c;

	if (port == 0x4d0 || port == 0x4d1) {
		/* ELCR: IRQ 0, 1, 2, 8 and 13 are always edge (PIIX4 spec). */
		uint8_t fixed = (port & 1) ? 0x21 : 0x07;

		p->chip[port & 1].elcr = val & (uint8_t)~fixed;
		pic_update(p);
		return;
	}
	c = &p->chip[(port & 0x80) ? 1 : 0];
	if (port & 1)
		chip_write_data(c, val);
	else
		chip_write_cmd(c, val);
	pic_update(p);
}
