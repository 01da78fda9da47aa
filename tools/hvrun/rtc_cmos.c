/* SPDX-License-Identifier: MIT */
/* MC146818 real-time clock and CMOS RAM (ports 0x70 index / 0x71 data),
 * after the Motorola MC146818A datasheet: time registers 0-9 in BCD or
 * binary, 12/24-hour mode, registers A-D, and the PC/AT CMOS map
 * (IBM PC/AT Technical Reference, "CMOS RAM address map") with the memory
 * size bytes. Time comes from the host clock (UTC); a guest that sets the
 * clock keeps an offset. Periodic/alarm/update interrupts (IRQ 8) are not
 * generated; register C reports the update-ended flag when polled. */
#include "devices.h"

#include <string.h>

/* Register numbers (datasheet, "Address Map"). */
enum { SEC = 0, SEC_ALARM = 1, MIN = 2, MIN_ALARM = 3, HOUR = 4,
       HOUR_ALARM = 5, WDAY = 6, MDAY = 7, MONTH = 8, YEAR = 9,
       REG_A = 0x0a, REG_B = 0x0b, REG_C = 0x0c, REG_D = 0x0d,
       CENTURY = 0x32 };

#define B_SET 0x80   /* updates inhibited while the guest sets the clock */
#define B_DM 0x04    /* binary (1) or BCD (0) data mode */
#define B_24H 0x02
#define C_UF 0x10
#define C_IRQF 0x80
#define D_VRT 0x80   /* valid RAM and time */

static uint8_t to_bcd(unsigned v)
{
	return (uint8_t)(((v / 10) << 4) | (v % 10));
}

static unsigned from_bcd(uint8_t v)
{
	return (v >> 4) * 10 + (v & 15);
}

static uint8_t enc(const struct rtc *r, unsigned v)
{
	return (r->ram[REG_B] & B_DM) ? (uint8_t)v : to_bcd(v);
}

static unsigned dec(const struct rtc *r, uint8_t v)
{
	return (r->ram[REG_B] & B_DM) ? v : from_bcd(v);
}

static void guest_tm(const struct rtc *r, time_t now, struct tm *tm)
{
	time_t t = now + (time_t)r->offset;

	gmtime_r(&t, tm);
}

/* Hour register: bit 7 = PM in 12-hour mode (datasheet, Table 3). */
static uint8_t enc_hour(const struct rtc *r, int hour)
{
	unsigned h;

	if (r->ram[REG_B] & B_24H)
		return enc(r, (unsigned)hour);
	h = (unsigned)hour % 12;
	return (uint8_t)(enc(r, h ? h : 12) | (hour >= 12 ? 0x80 : 0));
}

static int dec_hour(const struct rtc *r, uint8_t v)
{
	int h;

	if (r->ram[REG_B] & B_24H)
		return (int)dec(r, v);
	h = (int)dec(r, v & 0x7f) % 12;
	return (v & 0x80) ? h + 12 : h;
}

/* The memory-size bytes the BIOS leaves in CMOS (AT map, plus the
 * 64 KiB-unit counts above 16 MiB and 4 GiB that later BIOSes use). */
static void set_memory_size(struct rtc *r, uint64_t mem)
{
	uint64_t ext_kb = mem > 0x100000 ? (mem - 0x100000) >> 10 : 0;
	uint64_t above16 = mem > 0x1000000 ? (mem - 0x1000000) >> 16 : 0;
	uint64_t above4g = mem > 0x100000000ull ? (mem - 0x100000000ull) >> 16 : 0;

	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	if (above16 > 0xffff)
		above16 = 0xffff;
	r->ram[0x15] = 0x80;  /* base memory 640 KiB = 0x0280 */
	r->ram[0x16] = 0x02;
	r->ram[0x17] = r->ram[0x30] = (uint8_t)ext_kb;
	r->ram[0x18] = r->ram[0x31] = (uint8_t)(ext_kb >> 8);
	r->ram[0x34] = (uint8_t)above16;
	r->ram[0x35] = (uint8_t)(above16 >> 8);
	r->ram[0x5b] = (uint8_t)above4g;
	r->ram[0x5c] = (uint8_t)(above4g >> 8);
	r->ram[0x5d] = (uint8_t)(above4g >> 16);
}

void rtc_init(struct rtc *r, uint64_t mem_bytes, time_t now)
{
	memset(r, 0, sizeof(*r));
	r->ram[REG_A] = 0x26;          /* 32.768 kHz base, 1024 Hz rate */
	r->ram[REG_B] = B_24H;         /* BCD, 24-hour, no interrupts */
	r->ram[REG_D] = D_VRT;
	r->ram[0x10] = 0;              /* no floppy drives */
	r->ram[0x14] = 0x06;           /* equipment: FPU, no display/floppy */
	set_memory_size(r, mem_bytes);
	r->last_read = now;
}

static uint8_t time_reg(struct rtc *r, unsigned reg, time_t now)
{
	struct tm tm;

	guest_tm(r, now, &tm);
	switch (reg) {
	case SEC:
		return enc(r, (unsigned)tm.tm_sec);
	case MIN:
		return enc(r, (unsigned)tm.tm_min);
	case HOUR:
		return enc_hour(r, tm.tm_hour);
	case WDAY:
		return enc(r, (unsigned)tm.tm_wday + 1);  /* Sunday = 1 */
	case MDAY:
		return enc(r, (unsigned)tm.tm_mday);
	case MONTH:
		return enc(r, (unsigned)tm.tm_mon + 1);
	case YEAR:
		return enc(r, (unsigned)tm.tm_year % 100);
	default: /* CENTURY */
		return enc(r, (unsigned)(tm.tm_year + 1900) / 100);
	}
}

/* The guest sets one time field: recompute the offset to host time. */
static void set_time_reg(struct rtc *r, unsigned reg, uint8_t val, time_t now)
{
	struct tm tm;
	int year;

	guest_tm(r, now, &tm);
	switch (reg) {
	case SEC:
		tm.tm_sec = (int)dec(r, val);
		break;
	case MIN:
		tm.tm_min = (int)dec(r, val);
		break;
	case HOUR:
		tm.tm_hour = dec_hour(r, val);
		break;
	case MDAY:
		tm.tm_mday = (int)dec(r, val);
		break;
	case MONTH:
		tm.tm_mon = (int)dec(r, val) - 1;
		break;
	case YEAR:
		year = tm.tm_year + 1900;
		tm.tm_year = year / 100 * 100 + (int)dec(r, val) - 1900;
		break;
	case CENTURY:
		tm.tm_year = (int)dec(r, val) * 100 + tm.tm_year % 100 - 1900;
		break;
	default: /* WDAY is derived from the date */
		return;
	}
	r->offset = (int64_t)(timegm(&tm) - now);
}

static bool is_time_reg(unsigned reg)
{
	return reg <= YEAR ? (reg != SEC_ALARM && reg != MIN_ALARM &&
			      reg != HOUR_ALARM)
			   : reg == CENTURY;
}

uint8_t rtc_read(struct rtc *r, uint16_t port, time_t now)
{
	unsigned reg = r->index;
	uint8_t v;

	if (!(port & 1))
		return 0xff;  /* the index register is write-only */
	if (is_time_reg(reg))
		return time_reg(r, reg, now);
	switch (reg) {
	case REG_A:
		/* UIP is never set: updates are instantaneous here. */
		return r->ram[REG_A] & 0x7f;
	case REG_C:
		/* Flags clear on read; UF reports a second boundary since the
		 * last read when update interrupts would be enabled. */
		v = r->ram[REG_C];
		if (now != r->last_read)
			v |= C_UF;
		r->last_read = now;
		r->ram[REG_C] = 0;
		return v & (uint8_t)~C_IRQF;
	case REG_D:
		return D_VRT;
	default:
		return r->ram[reg & 0x7f];
	}
}

void rtc_write(struct rtc *r, uint16_t port, uint8_t val, time_t now)
{
	unsigned reg = r->index;

	if (!(port & 1)) {
		/* Bit 7 of port 0x70 is the NMI mask on the PC. */
		r->index = val & 0x7f;
		return;
	}
	if (is_time_reg(reg)) {
		set_time_reg(r, reg, val, now);
		return;
	}
	switch (reg) {
	case REG_A:
		r->ram[REG_A] = val & 0x7f;
		return;
	case REG_C:
	case REG_D:
		return;  /* read-only */
	default:
		r->ram[reg & 0x7f] = val;
		return;
	}
}
