/* SPDX-License-Identifier: MIT */
/* 8042 keyboard controller at ports 0x60/0x64 with no keyboard or mouse
 * attached beyond what Linux's i8042 probe needs, plus the two ways a PC
 * resets itself through it: command 0xfe (pulse output port bit 0) and
 * writing the output port with bit 0 clear (IBM PC/AT Technical Reference,
 * "Keyboard controller commands"), and system control port A at 0x92
 * (bit 0 fast reset, bit 1 A20; PS/2 reference). */
#include "devices.h"

#include <string.h>

#define ST_OBF 0x01   /* output buffer full */
#define ST_SYS 0x04   /* system flag (self-test passed) */
#define ST_CMD 0x08   /* last write was a command */
#define ST_UNLOCK 0x10
#define ST_AUXOBF 0x20

#define CTR_KBDINT 0x01
#define CTR_AUXINT 0x02
#define CTR_SYS 0x04
#define CTR_KBDDIS 0x10
#define CTR_AUXDIS 0x20
#define CTR_XLATE 0x40

static void kbc_update(struct i8042 *k)
{
	bool aux = false, full = k->q_count > 0;

	k->status &= (uint8_t)~(ST_OBF | ST_AUXOBF);
	if (full) {
		aux = k->queue_aux[k->q_head];
		k->status |= ST_OBF | (aux ? ST_AUXOBF : 0);
	}
	if (!k->irq)
		return;
	k->irq(k->opaque, 1, full && !aux && (k->ctr & CTR_KBDINT));
	k->irq(k->opaque, 12, full && aux && (k->ctr & CTR_AUXINT));
}

static void kbc_push(struct i8042 *k, uint8_t byte, bool aux)
{
	unsigned i;

	if (k->q_count == sizeof(k->queue))
		return;
	i = (k->q_head + k->q_count) % sizeof(k->queue);
	k->queue[i] = byte;
	k->queue_aux[i] = aux;
	k->q_count++;
}

void i8042_init(struct i8042 *k, void (*reset)(void *), irq_set_fn irq,
		void *opaque)
{
	memset(k, 0, sizeof(*k));
	k->status = ST_SYS | ST_UNLOCK;
	k->ctr = CTR_KBDINT | CTR_SYS | CTR_XLATE;
	k->outport = 0x03;  /* reset line inactive (bit 0), A20 on (bit 1) */
	k->reset = reset;
	k->irq = irq;
	k->opaque = opaque;
}

static void kbc_reset_cpu(struct i8042 *k)
{
	if (k->reset)
		k->reset(k->opaque);
}

/* A byte for the keyboard itself (no device attached beyond answering
 * the commands Linux's atkbd probe sends: ACK 0xfa, reset -> 0xaa, get
 * ID -> 0xab 0x83; PS/2 keyboard command set). */
static void kbd_command(struct i8042 *k, uint8_t val)
{
	kbc_push(k, 0xfa, false);
	if (val == 0xff)
		kbc_push(k, 0xaa, false);
	else if (val == 0xf2) {
		kbc_push(k, 0xab, false);
		kbc_push(k, 0x83, false);
	}
}

static void kbc_data(struct i8042 *k, uint8_t val)
{
	uint8_t cmd = k->cmd;

	k->cmd = 0;
	switch (cmd) {
	case 0x60: /* write controller configuration byte */
		k->ctr = val;
		break;
	case 0xd1: /* write output port: bit 0 low asserts CPU reset */
		k->outport = val;
		if (!(val & 1))
			kbc_reset_cpu(k);
		break;
	case 0xd2: /* write keyboard output buffer (loopback) */
		kbc_push(k, val, false);
		break;
	case 0xd3: /* write aux output buffer (loopback) */
		kbc_push(k, val, true);
		break;
	case 0xd4: /* write to aux device: no mouse, nothing answers */
		break;
	default:
		kbd_command(k, val);
		break;
	}
}

static void kbc_command(struct i8042 *k, uint8_t val)
{
	switch (val) {
	case 0x20: /* read controller configuration byte */
		kbc_push(k, k->ctr, false);
		break;
	case 0x60: case 0xd1: case 0xd2: case 0xd3: case 0xd4:
		k->cmd = val;  /* the next data byte is the argument */
		break;
	case 0xa7: /* disable aux */
		k->ctr |= CTR_AUXDIS;
		break;
	case 0xa8: /* enable aux */
		k->ctr &= (uint8_t)~CTR_AUXDIS;
		break;
	case 0xa9: /* aux interface test: 0 = OK */
	case 0xab: /* keyboard interface test: 0 = OK */
		kbc_push(k, 0x00, false);
		break;
	case 0xaa: /* controller self-test: 0x55 = OK */
		kbc_push(k, 0x55, false);
		break;
	case 0xad: /* disable keyboard */
		k->ctr |= CTR_KBDDIS;
		break;
	case 0xae: /* enable keyboard */
		k->ctr &= (uint8_t)~CTR_KBDDIS;
		break;
	case 0xd0: /* read output port */
		kbc_push(k, k->outport, false);
		break;
	default:
		/* 0xf0-0xff: pulse output port bits 3:0 low for 6 us; bit 0
		 * is the reset line (0xfe resets, 0xff is a no-op). */
		if (val >= 0xf0 && !(val & 1))
			kbc_reset_cpu(k);
		break;
	}
}

uint8_t i8042_read(struct i8042 *k, uint16_t port)
{
	uint8_t v;

	if (port == 0x92)
		return k->port92;
	if (port == 0x64)
		return k->status;
	/* 0x60: data; an empty buffer reads the last byte again. */
	v = k->queue[k->q_head];
	if (k->q_count) {
		k->q_head = (k->q_head + 1) % sizeof(k->queue);
		k->q_count--;
	}
	kbc_update(k);
	return v;
}

void i8042_write(struct i8042 *k, uint16_t port, uint8_t val)
{
	if (port == 0x92) {
		/* A 0->1 transition of bit 0 resets the CPU. */
		bool reset = (val & 1) && !(k->port92 & 1);

		k->port92 = val & 0x02;
		if (reset)
			kbc_reset_cpu(k);
		return;
	}
	if (port == 0x64) {
		k->status |= ST_CMD;
		kbc_command(k, val);
	} else {
		k->status &= (uint8_t)~ST_CMD;
		kbc_data(k, val);
	}
	kbc_update(k);
}
