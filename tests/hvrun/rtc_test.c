/* SPDX-License-Identifier: MIT */
/* MC146818/CMOS model: time registers in BCD and binary, 12-hour mode,
 * setting the clock, status registers and the memory-size bytes. */
#include "devices.h"
#include "test.h"

#include <string.h>

static time_t when(void)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = 2024 - 1900;
	tm.tm_mon = 2;
	tm.tm_mday = 5;
	tm.tm_hour = 14;
	tm.tm_min = 7;
	tm.tm_sec = 9;
	return timegm(&tm);  /* Tuesday 2024-03-05 14:07:09 UTC */
}

static uint8_t rd(struct rtc *r, uint8_t reg, time_t t)
{
	rtc_write(r, 0x70, reg, t);
	return rtc_read(r, 0x71, t);
}

static void wr(struct rtc *r, uint8_t reg, uint8_t val, time_t t)
{
	rtc_write(r, 0x70, reg, t);
	rtc_write(r, 0x71, val, t);
}

TEST(rtc_bcd_time)
{
	struct rtc r;
	time_t t = when();

	rtc_init(&r, 64 << 20, t);
	EXPECT_EQ(0x09, rd(&r, 0, t));
	EXPECT_EQ(0x07, rd(&r, 2, t));
	EXPECT_EQ(0x14, rd(&r, 4, t));
	EXPECT_EQ(0x03, rd(&r, 6, t));  /* Tuesday: Sunday = 1 */
	EXPECT_EQ(0x05, rd(&r, 7, t));
	EXPECT_EQ(0x03, rd(&r, 8, t));
	EXPECT_EQ(0x24, rd(&r, 9, t));
	EXPECT_EQ(0x20, rd(&r, 0x32, t));
	EXPECT_EQ(0x80, rd(&r, 0x0d, t)); /* valid RAM and time */
	EXPECT_EQ(0, rd(&r, 0x0a, t) & 0x80); /* no update in progress */
}

TEST(rtc_binary_and_12_hour)
{
	struct rtc r;
	time_t t = when();

	rtc_init(&r, 64 << 20, t);
	wr(&r, 0x0b, 0x04, t);          /* binary, 12-hour */
	EXPECT_EQ(9, rd(&r, 0, t));
	EXPECT_EQ(0x82, rd(&r, 4, t));  /* 2 PM */
	EXPECT_EQ(24, rd(&r, 9, t));
}

TEST(rtc_set_clock_keeps_offset)
{
	struct rtc r;
	time_t t = when();

	rtc_init(&r, 64 << 20, t);
	wr(&r, 0x0b, 0x82, t);          /* SET, BCD, 24-hour */
	wr(&r, 2, 0x30, t);             /* minutes = 30 */
	wr(&r, 9, 0x25, t);             /* year 2025 */
	wr(&r, 0x0b, 0x02, t);
	EXPECT_EQ(0x30, rd(&r, 2, t + 60) - 1);  /* a minute later: 31 */
	EXPECT_EQ(0x25, rd(&r, 9, t));
}

TEST(rtc_memory_size_bytes)
{
	struct rtc r;

	rtc_init(&r, 256ull << 20, 0);
	/* Base memory 640 KiB. */
	EXPECT_EQ(0x80, rd(&r, 0x15, 0));
	EXPECT_EQ(0x02, rd(&r, 0x16, 0));
	/* Extended memory in KiB above 1 MiB, capped at 0xffff. */
	EXPECT_EQ(0xff, rd(&r, 0x17, 0));
	EXPECT_EQ(0xff, rd(&r, 0x18, 0));
	/* 64 KiB units above 16 MiB: 240 MiB = 3840 = 0x0f00. */
	EXPECT_EQ(0x00, rd(&r, 0x34, 0));
	EXPECT_EQ(0x0f, rd(&r, 0x35, 0));
	/* NVRAM is plain storage. */
	wr(&r, 0x40, 0xa5, 0);
	EXPECT_EQ(0xa5, rd(&r, 0x40, 0));
}
