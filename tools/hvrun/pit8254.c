/* SPDX-License-Identifier: MIT */
/* 8254 programmable interval timer (ports 0x40-0x43) and the port 0x61
 * bits wired to it, after the Intel 82C54 datasheet (order 231244):
 * control word, counter latch, read-back, LSB/MSB access, modes 0-5 (1 and
 * 5 as 0 and 4: their hardware gate trigger only exists on channel 2).
 * Counters are computed from the time of loading, not ticked: the
 * caller passes "now" in nanoseconds. BCD counting is not modelled. */
#include "devices.h"

#include <string.h>

/* Input clock ticks in dt nanoseconds, and back (rounded up). */
static uint64_t ns_to_ticks(uint64_t dt)
{
	return (dt / NS_PER_SEC) * PIT_HZ + (dt % NS_PER_SEC) * PIT_HZ / NS_PER_SEC;
}

static uint64_t ticks_to_ns(uint64_t t)
{
	return (t / PIT_HZ) * NS_PER_SEC +
	       ((t % PIT_HZ) * NS_PER_SEC + PIT_HZ - 1) / PIT_HZ;
}

static uint32_t reload_of(const struct pit_channel *c)
{
	return c->reload ? c->reload : 0x10000;
}

/* Ticks counted since the count was loaded (0 while not counting). */
static uint64_t elapsed(const struct pit_channel *c, uint64_t now)
{
	if (!c->counting || now < c->start_ns)
		return 0;
	return ns_to_ticks(now - c->start_ns);
}

static uint32_t chan_count(const struct pit_channel *c, uint64_t now)
{
	uint64_t d = elapsed(c, now), n = reload_of(c), h;

	if (!c->counting)
		return c->frozen & 0xffff;
	switch (c->mode) {
	case 2: /* rate generator: N, N-1, ..., 1, N, ... */
		return (uint32_t)((n - d % n) & 0xffff);
	case 3: /* square wave: decrements by two, twice per period */
		h = d % n;
		if (h >= (n + 1) / 2)
			h -= (n + 1) / 2;
		return (uint32_t)((n - 2 * h) & 0xffff);
	default: /* 0, 1, 4, 5: count down, wrapping after terminal count */
		return (uint32_t)((n - d) & 0xffff);
	}
}

static bool chan_out(const struct pit_channel *c, uint64_t now)
{
	uint64_t d = elapsed(c, now), n = reload_of(c);

	switch (c->mode) {
	case 0:
	case 1: /* low from the count write until terminal count */
		return c->counting && d >= n;
	case 2: /* low for one clock when the count reaches 1 */
		return !c->counting || d % n != n - 1;
	case 3: /* high for the first half (rounded up) of each period */
		return !c->counting || d % n < (n + 1) / 2;
	default: /* 4, 5: one low clock at terminal count */
		return !c->counting || d != n;
	}
}

/* Number of rising edges of OUT since loading (what raises IRQ 0). */
static uint64_t chan_edges(const struct pit_channel *c, uint64_t now)
{
	uint64_t d = elapsed(c, now), n = reload_of(c);

	if (!c->counting)
		return 0;
	switch (c->mode) {
	case 2:
	case 3:
		return d / n;
	case 0:
	case 1:
		return d >= n;
	default:
		return d > n;
	}
}

void pit_init(struct pit *p, irq_set_fn irq, void *opaque)
{
	memset(p, 0, sizeof(*p));
	p->irq = irq;
	p->opaque = opaque;
	for (unsigned i = 0; i < 3; i++) {
		p->ch[i].gate = i != 2;  /* gates 0 and 1 are tied high */
		p->ch[i].rw = 3;
	}
}

uint32_t pit_count(const struct pit *p, unsigned c, uint64_t now)
{
	return chan_count(&p->ch[c], now);
}

bool pit_out(const struct pit *p, unsigned c, uint64_t now)
{
	return chan_out(&p->ch[c], now);
}

/* A new count takes effect: counting starts if the gate allows. */
static void chan_load(struct pit_channel *c, uint32_t val, uint64_t now)
{
	c->reload = val & 0xffff;
	c->start_ns = now;
	c->edges_seen = 0;
	c->counting = c->gate;
	c->frozen = c->reload;
}

static void chan_write(struct pit_channel *c, uint8_t val, uint64_t now)
{
	switch (c->rw) {
	case 1:
		chan_load(c, val, now);
		break;
	case 2:
		chan_load(c, (uint32_t)val << 8, now);
		break;
	default:
		/* Mode 0: writing the first byte stops the count (datasheet,
		 * "Mode 0"); the second byte loads it. */
		if (!c->write_msb) {
			c->write_lsb = val;
			c->write_msb = true;
			if (c->mode == 0) {
				c->frozen = chan_count(c, now);
				c->counting = false;
			}
		} else {
			c->write_msb = false;
			chan_load(c, c->write_lsb | ((uint32_t)val << 8), now);
		}
		break;
	}
}

static uint8_t status_byte(const struct pit_channel *c, uint64_t now)
{
	return (uint8_t)((chan_out(c, now) ? 0x80 : 0) | (c->rw << 4) |
			 (c->mode << 1) | (c->bcd ? 1 : 0));
}

static void chan_latch(struct pit_channel *c, uint64_t now)
{
	if (c->latched)
		return;  /* a second latch before reading is ignored */
	c->latched = true;
	c->latch = (uint16_t)chan_count(c, now);
	c->latch_bytes = c->rw == 3 ? 2 : 1;
}

/* Control word (datasheet, "Control Word Format" and "Read-Back
 * Command"): SC1 SC0 RW1 RW0 M2 M1 M0 BCD. */
static void pit_control(struct pit *p, uint8_t val, uint64_t now)
{
	unsigned sc = val >> 6, rw = (val >> 4) & 3;
	struct pit_channel *c;

	if (sc == 3) {  /* read-back: bit 5 = !COUNT, bit 4 = !STATUS */
		for (unsigned i = 0; i < 3; i++) {
			if (!(val & (2u << i)))
				continue;
			c = &p->ch[i];
			if (!(val & 0x20))
				chan_latch(c, now);
			if (!(val & 0x10) && !c->status_latched) {
				c->status_latched = true;
				c->status = status_byte(c, now);
			}
		}
		return;
	}
	c = &p->ch[sc];
	if (rw == 0) {  /* counter latch command */
		chan_latch(c, now);
		return;
	}
	c->rw = (uint8_t)rw;
	c->mode = (val >> 1) & 7;
	if (c->mode > 5)
		c->mode -= 4;  /* 6, 7 are aliases of 2, 3 */
	c->bcd = val & 1;
	c->write_msb = false;
	c->read_msb = false;
	c->latched = false;
	/* A control word stops the counter until a count is written; OUT
	 * goes low in mode 0 and high in the others. */
	c->frozen = chan_count(c, now);
	c->counting = false;
}

static uint8_t chan_read(struct pit_channel *c, uint64_t now)
{
	uint16_t v;
	bool msb;

	if (c->status_latched) {
		c->status_latched = false;
		return c->status;
	}
	if (c->latched) {
		v = c->latch;
		msb = c->rw == 2 || (c->rw == 3 && c->latch_bytes == 1);
		if (--c->latch_bytes == 0)
			c->latched = false;
		return (uint8_t)(msb ? v >> 8 : v);
	}
	v = (uint16_t)chan_count(c, now);
	if (c->rw == 1)
		return (uint8_t)v;
	if (c->rw == 2)
		return (uint8_t)(v >> 8);
	msb = c->read_msb;
	c->read_msb = !c->read_msb;
	return (uint8_t)(msb ? v >> 8 : v);
}

uint8_t pit_read(struct pit *p, uint16_t port, uint64_t now)
{
	if ((port & 3) == 3)
		return 0xff;  /* the control register is write-only */
	return chan_read(&p->ch[port & 3], now);
}

void pit_write(struct pit *p, uint16_t port, uint8_t val, uint64_t now)
{
	if ((port & 3) == 3)
		pit_control(p, val, now);
	else
		chan_write(&p->ch[port & 3], val, now);
}

/* Channel 2's gate is port 0x61 bit 0 (IBM PC/AT Technical Reference,
 * "System control port B"). */
static void set_gate(struct pit_channel *c, bool gate, uint64_t now)
{
	if (gate == c->gate)
		return;
	c->gate = gate;
	if (!gate) {  /* counting pauses (modes 0, 2, 3, 4) */
		c->frozen = chan_count(c, now);
		c->counting = false;
		return;
	}
	if (c->mode == 0 || c->mode == 4) {
		/* Resume from the held count. */
		uint32_t n = reload_of(c), f = c->frozen ? c->frozen : 0x10000;

		c->counting = true;
		c->start_ns = now - ticks_to_ns(n > f ? n - f : 0);
		if (c->start_ns > now)
			c->start_ns = now;
	} else {
		/* Modes 1, 2, 3, 5: a rising gate reloads the count. */
		c->start_ns = now;
		c->edges_seen = 0;
		c->counting = true;
	}
}

uint8_t pit_read_port61(struct pit *p, uint64_t now)
{
	/* Bit 4 toggles with the DRAM refresh request every 15.085 us. */
	uint8_t refresh = ((now / 15085) & 1) ? 0x10 : 0;

	return (uint8_t)((p->port61 & 3) | refresh |
			 (chan_out(&p->ch[2], now) ? 0x20 : 0));
}

void pit_write_port61(struct pit *p, uint8_t val, uint64_t now)
{
	p->port61 = val & 3;
	set_gate(&p->ch[2], val & 1, now);
}

uint64_t pit_deadline(const struct pit *p)
{
	const struct pit_channel *c = &p->ch[0];
	uint64_t n = reload_of(c), next;

	if (!c->counting)
		return NO_DEADLINE;
	if (c->mode == 2 || c->mode == 3)
		next = (c->edges_seen + 1) * n;
	else if (c->edges_seen == 0)
		next = c->mode >= 4 ? n + 1 : n;
	else
		return NO_DEADLINE;
	return c->start_ns + ticks_to_ns(next);
}

void pit_poll(struct pit *p, uint64_t now)
{
	struct pit_channel *c = &p->ch[0];
	uint64_t e = chan_edges(c, now);

	if (e <= c->edges_seen)
		return;
	/* Late ticks are coalesced into one interrupt, as a busy CPU with
	 * an edge-triggered IRQ would lose them. */
	c->edges_seen = e;
	if (p->irq) {
		p->irq(p->opaque, 0, 1);
		p->irq(p->opaque, 0, 0);
	}
}
