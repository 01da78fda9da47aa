/* SPDX-License-Identifier: MIT */
/* Local APIC model (xAPIC, MMIO page at 0xfee00000), one per vCPU, after
 * the Intel SDM Vol. 3A, chapter 11: register map (Table 11-1), IRR/ISR/
 * TMR and priority (11.8), EOI (11.8.5), spurious vector and software
 * enable (11.9, 11.4.7.2), LVT (11.5.1), the timer in one-shot, periodic
 * and TSC-deadline modes (11.5.4), and the ICR (11.6.1), which hands
 * IPIs to the board through send_ipi. The timer input clock is bus_hz.
 * Interrupt delivery is instantaneous: delivery status always reads idle. */
#include "devices.h"

#include <stddef.h>
#include <string.h>

#define SVR_ENABLE 0x100
#define LVT_TIMER 0
#define LVT_LINT0 3
#define TIMER_MODE(l) (((l)->lvt[LVT_TIMER] >> 17) & 3)
#define TIMER_ONESHOT 0
#define TIMER_PERIODIC 1
#define TIMER_TSC_DEADLINE 2

/* Writable bits of each LVT entry (SDM Figure 11-8): timer, thermal,
 * perf, LINT0, LINT1, error. */
static const uint32_t lvt_mask[LAPIC_NLVT] = {
	0x700ff, 0x107ff, 0x107ff, 0x1a7ff, 0x1a7ff, 0x100ff,
};

void lapic_init(struct lapic *l, uint8_t id, uint64_t bus_hz)
{
	/* Power-up / INIT state (SDM 11.4.7.1 and Table 10-1). */
	memset(l, 0, offsetof(struct lapic, send_ipi));
	l->id = id;
	l->dfr = 0xffffffff;
	l->svr = 0xff;
	for (unsigned i = 0; i < LAPIC_NLVT; i++)
		l->lvt[i] = LAPIC_LVT_MASKED;
	l->timer_deadline = NO_DEADLINE;
	l->bus_hz = bus_hz;
}

bool lapic_enabled(const struct lapic *l)
{
	return (l->svr & SVR_ENABLE) != 0;
}

static int highest(const uint32_t reg[8])
{
	for (int i = 7; i >= 0; i--)
		if (reg[i])
			return i * 32 + 31 - __builtin_clz(reg[i]);
	return -1;
}

static bool test_bit(const uint32_t reg[8], unsigned v)
{
	return (reg[v >> 5] >> (v & 31)) & 1;
}

static void set_bit(uint32_t reg[8], unsigned v, bool on)
{
	if (on)
		reg[v >> 5] |= 1u << (v & 31);
	else
		reg[v >> 5] &= ~(1u << (v & 31));
}

/* Processor priority (SDM 11.8.3.1): the higher of TPR and the class of
 * the highest in-service vector. */
static uint32_t lapic_ppr(const struct lapic *l)
{
	int isrv = highest(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	if ((l->tpr & 0xf0) >= isr_class)
		return l->tpr & 0xff;
	return isr_class;
}

void lapic_accept(struct lapic *l, uint8_t vector, bool level)
{
	/* Vectors 0-15 are illegal: "received illegal vector" (SDM 11.5.3). */
	if (vector < 16) {
		l->esr |= 0x40;
		return;
	}
	set_bit(l->irr, vector, true);
	set_bit(l->tmr, vector, level);
}

int lapic_pending(const struct lapic *l)
{
	int v = highest(l->irr);

	/* Deliverable if its class beats the processor priority (11.8.3). */
	if (v < 0 || ((uint32_t)v & 0xf0) <= (lapic_ppr(l) & 0xf0))
		return -1;
	return v;
}

uint8_t lapic_ack(struct lapic *l)
{
	int v = lapic_pending(l);

	if (v < 0)
		return (uint8_t)(l->svr & 0xff);  /* spurious (11.9) */
	set_bit(l->irr, (unsigned)v, false);
	set_bit(l->isr, (unsigned)v, true);
	return (uint8_t)v;
}

static void lapic_eoi(struct lapic *l)
{
	int v = highest(l->isr);

	if (v < 0)
		return;
	set_bit(l->isr, (unsigned)v, false);
	/* A level-triggered vector's EOI goes on to the I/O APIC (11.8.5). */
	if (test_bit(l->tmr, (unsigned)v) && l->eoi)
		l->eoi(l->opaque, (uint8_t)v);
}

bool lapic_extint_enabled(const struct lapic *l)
{
	uint32_t lint0 = l->lvt[LVT_LINT0];

	return !(lint0 & LAPIC_LVT_MASKED) && ((lint0 >> 8) & 7) == 7;
}

/* Destination matching (SDM 11.6.2): physical by APIC ID (0xff is a
 * broadcast); logical by the flat or cluster model chosen in DFR. */
bool lapic_match(const struct lapic *l, uint8_t dest, bool logical)
{
	uint8_t ldr = (uint8_t)(l->ldr >> 24);

	if (!logical)
		return dest == 0xff || dest == l->id;
	if (dest == 0xff)
		return true;
	if ((l->dfr >> 28) == 0xf)  /* flat */
		return (ldr & dest) != 0;
	return (ldr >> 4) == (dest >> 4) && (ldr & dest & 0xf) != 0;
}

/* Timer (SDM 11.5.4): the divide configuration register encodes 1..128
 * in bits 3, 1:0 (Figure 11-10). */
static uint64_t timer_divisor(const struct lapic *l)
{
	unsigned v = (l->timer_dcr & 3) | ((l->timer_dcr >> 1) & 4);

	return v == 7 ? 1 : 2u << v;
}

static uint64_t ticks_to_ns(const struct lapic *l, uint64_t ticks)
{
	uint64_t hz = l->bus_hz / timer_divisor(l);

	return (ticks / hz) * NS_PER_SEC + ((ticks % hz) * NS_PER_SEC + hz - 1) / hz;
}

uint64_t lapic_timer_period_ns(const struct lapic *l)
{
	return ticks_to_ns(l, l->timer_icr);
}

static void timer_start(struct lapic *l, uint64_t now)
{
	l->timer_start = now;
	if (l->timer_icr == 0 || TIMER_MODE(l) == TIMER_TSC_DEADLINE)
		l->timer_deadline = NO_DEADLINE;
	else
		l->timer_deadline = now + lapic_timer_period_ns(l);
}

static uint32_t timer_current(const struct lapic *l, uint64_t now)
{
	uint64_t hz = l->bus_hz / timer_divisor(l), dt, ticks;

	if (l->timer_icr == 0 || TIMER_MODE(l) == TIMER_TSC_DEADLINE ||
	    (TIMER_MODE(l) == TIMER_ONESHOT && l->timer_deadline == NO_DEADLINE))
		return 0;
	dt = now > l->timer_start ? now - l->timer_start : 0;
	ticks = (dt / NS_PER_SEC) * hz + (dt % NS_PER_SEC) * hz / NS_PER_SEC;
	if (TIMER_MODE(l) == TIMER_PERIODIC)
		return (uint32_t)(l->timer_icr - ticks % l->timer_icr);
	return ticks >= l->timer_icr ? 0 : (uint32_t)(l->timer_icr - ticks);
}

bool lapic_tsc_deadline_mode(const struct lapic *l)
{
	return TIMER_MODE(l) == TIMER_TSC_DEADLINE;
}

/* IA32_TSC_DEADLINE write (SDM 11.5.4.1): 0 disarms; ignored unless the
 * timer is in TSC-deadline mode. The caller converts tsc to ns. */
void lapic_set_tsc_deadline(struct lapic *l, uint64_t tsc, uint64_t ns)
{
	if (!lapic_tsc_deadline_mode(l))
		return;
	l->tsc_deadline = tsc;
	l->timer_deadline = tsc ? ns : NO_DEADLINE;
}

bool lapic_timer_poll(struct lapic *l, uint64_t now)
{
	uint32_t lvt = l->lvt[LVT_TIMER];
	uint64_t period;

	if (l->timer_deadline > now)
		return false;
	if (TIMER_MODE(l) == TIMER_PERIODIC && l->timer_icr) {
		/* Re-arm; missed periods coalesce into this interrupt. */
		period = lapic_timer_period_ns(l);
		while (l->timer_deadline <= now)
			l->timer_deadline += period;
	} else {
		l->timer_deadline = NO_DEADLINE;
		l->tsc_deadline = 0;
	}
	if (lvt & LAPIC_LVT_MASKED)
		return false;
	lapic_accept(l, (uint8_t)lvt, false);
	return true;
}

static void send_icr(struct lapic *l, uint32_t lo)
{
	struct lapic_ipi ipi = {
		.vector = (uint8_t)lo,
		.mode = (lo >> 8) & 7,
		.logical = (lo >> 11) & 1,
		.level_assert = (lo >> 14) & 1,
		.level_trigger = (lo >> 15) & 1,
		.shorthand = (lo >> 18) & 3,
		.dest = (uint8_t)(l->icr_hi >> 24),
	};

	if (l->send_ipi)
		l->send_ipi(l->opaque, &ipi);
}

uint32_t lapic_read(struct lapic *l, unsigned off, uint64_t now)
{
	off &= 0xff0;
	if (off >= LAPIC_ISR && off < LAPIC_ISR + 0x80)
		return l->isr[(off - LAPIC_ISR) >> 4];
	if (off >= LAPIC_TMR && off < LAPIC_TMR + 0x80)
		return l->tmr[(off - LAPIC_TMR) >> 4];
	if (off >= LAPIC_IRR && off < LAPIC_IRR + 0x80)
		return l->irr[(off - LAPIC_IRR) >> 4];
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_LVT_ERROR)
		return l->lvt[(off - LAPIC_LVT_TIMER) >> 4];
	switch (off) {
	case LAPIC_ID:
		return (uint32_t)l->id << 24;
	case LAPIC_VER:
		/* Version 0x14 (integrated APIC), max LVT entry 5. */
		return 0x14 | ((LAPIC_NLVT - 1u) << 16);
	case LAPIC_TPR:
		return l->tpr;
	case LAPIC_PPR:
		return lapic_ppr(l);
	case LAPIC_LDR:
		return l->ldr;
	case LAPIC_DFR:
		return l->dfr;
	case LAPIC_SVR:
		return l->svr;
	case LAPIC_ESR:
		return l->esr;
	case LAPIC_ICR_HI:
		return l->icr_hi;
	case LAPIC_TIMER_ICR:
		return l->timer_icr;
	case LAPIC_TIMER_CCR:
		return timer_current(l, now);
	case LAPIC_TIMER_DCR:
		return l->timer_dcr;
	default: /* APR, RRD, EOI, ICR_LO (idle), CMCI, reserved */
		return 0;
	}
}

static void write_lvt(struct lapic *l, unsigned i, uint32_t val)
{
	uint32_t old_mode = TIMER_MODE(l);

	/* While software-disabled the mask bits stay set (11.4.7.2). */
	if (!lapic_enabled(l))
		val |= LAPIC_LVT_MASKED;
	l->lvt[i] = val & lvt_mask[i];
	/* Changing the timer mode disarms the timer (11.5.4.1). */
	if (i == LVT_TIMER && TIMER_MODE(l) != old_mode) {
		l->timer_deadline = NO_DEADLINE;
		l->tsc_deadline = 0;
		l->timer_icr = 0;
	}
}

void lapic_write(struct lapic *l, unsigned off, uint32_t val, uint64_t now)
{
	off &= 0xff0;
	if (off >= LAPIC_LVT_TIMER && off <= LAPIC_LVT_ERROR) {
		write_lvt(l, (off - LAPIC_LVT_TIMER) >> 4, val);
		return;
	}
	switch (off) {
	case LAPIC_ID:
		l->id = (uint8_t)(val >> 24);
		break;
	case LAPIC_TPR:
		l->tpr = val & 0xff;
		break;
	case LAPIC_EOI:
		lapic_eoi(l);
		break;
	case LAPIC_LDR:
		l->ldr = val & 0xff000000;
		break;
	case LAPIC_DFR:
		l->dfr = val | 0x0fffffff;
		break;
	case LAPIC_SVR:
		l->svr = val & 0x3ff;
		if (!lapic_enabled(l))
			for (unsigned i = 0; i < LAPIC_NLVT; i++)
				l->lvt[i] |= LAPIC_LVT_MASKED;
		break;
	case LAPIC_ESR:
		/* A write latches the errors for reading (11.5.3); this
		 * model reports them directly, so a write clears. */
		l->esr = 0;
		break;
	case LAPIC_ICR_LO:
		send_icr(l, val);
		break;
	case LAPIC_ICR_HI:
		l->icr_hi = val & 0xff000000;
		break;
	case LAPIC_TIMER_ICR:
		if (TIMER_MODE(l) == TIMER_TSC_DEADLINE)
			break;  /* ignored in TSC-deadline mode */
		l->timer_icr = val;
		timer_start(l, now);
		break;
	case LAPIC_TIMER_DCR:
		l->timer_dcr = val & 0xb;
		break;
	default: /* read-only or reserved: ignored */
		break;
	}
}
