/* SPDX-License-Identifier: MIT */
/* hv_vcpu_read/write_fpstate: the standard XSAVE layout of x87, SSE and
 * AVX (832 bytes), its initial values and the XRSTOR checks on written
 * images (docs/compat.md "FP state"). */
#include <Hypervisor/Hypervisor.h>

#include "helpers.h"

#define XSAVE_SIZE 832
#define OFF_FCW 0
#define OFF_MXCSR 24
#define OFF_MXCSR_MASK 28
#define OFF_XMM0 160
#define OFF_XSTATE_BV 512
#define OFF_XCOMP_BV 520
#define OFF_YMM_HI 576

static uint8_t img[4096] __attribute__((aligned(64)));
static uint8_t cur[4096] __attribute__((aligned(64)));

static void put(uint8_t *b, unsigned off, uint64_t v, unsigned n)
{
	memcpy(b + off, &v, n);
}

static uint64_t get(const uint8_t *b, unsigned off, unsigned n)
{
	uint64_t v = 0;

	memcpy(&v, b + off, n);
	return v;
}

VM_TEST(read_sizes, 1)
{
	memset(img, 0xa5, sizeof(img));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, XSAVE_SIZE));
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, 4096));
	/* Only the first 832 bytes are written. */
	for (unsigned i = XSAVE_SIZE; i < 4096; i++)
		if (img[i] != 0xa5) {
			EXPECT_EQ(0xa5, img[i]);
			break;
		}
	memset(cur, 0x5a, sizeof(cur));
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_read_fpstate(g_vcpu, cur, XSAVE_SIZE - 1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_read_fpstate(g_vcpu, cur, 512));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_read_fpstate(g_vcpu, cur, 0));
	EXPECT_EQ(0x5a, cur[0]);
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_read_fpstate(g_vcpu, NOPTR, 4096));
}

VM_TEST(initial_image, 1)
{
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, 4096));
	EXPECT_EQ(0x37f, get(img, OFF_FCW, 2));
	EXPECT_EQ(0x1f80, get(img, OFF_MXCSR, 4));
	/* A standard-format image: XCOMP_BV 0, no state beyond AVX. */
	EXPECT_EQ(0, get(img, OFF_XCOMP_BV, 8));
	EXPECT_EQ(0, get(img, OFF_XSTATE_BV, 8) & ~7ull);
	/* Registers start at 0. */
	for (unsigned i = 0; i < 16; i++)
		EXPECT_EQ(0, get(img, OFF_XMM0 + 16 * i, 8));
	/* It is itself a valid image. */
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_fpstate(g_vcpu, img, XSAVE_SIZE));
}

VM_TEST(round_trip, 1)
{
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, 4096));
	put(img, OFF_FCW, 0x27f, 2);
	put(img, OFF_MXCSR, 0x9fc0, 4);            /* FZ, DAZ, RC, masks */
	for (unsigned i = 0; i < 16; i++) {
		put(img, OFF_XMM0 + 16 * i, 0x1111111111111111ull * i, 8);
		put(img, OFF_XMM0 + 16 * i + 8, ~0ull - i, 8);
		put(img, OFF_YMM_HI + 16 * i, 0xabcdef0000000000ull + i, 8);
	}
	put(img, 32, 0x3ff0000000000000ull, 8);    /* ST0 mantissa bits */
	put(img, OFF_XSTATE_BV, 7, 8);
	/* Bytes past 832 are not read: garbage there is fine. */
	memset(img + XSAVE_SIZE, 0xee, sizeof(img) - XSAVE_SIZE);
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_write_fpstate(g_vcpu, img, 4096));
	memset(cur, 0, sizeof(cur));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, cur, XSAVE_SIZE));
	EXPECT_EQ(0, memcmp(img, cur, OFF_MXCSR_MASK));
	EXPECT_EQ(0, memcmp(img + 32, cur + 32, XSAVE_SIZE - 32));
	EXPECT_EQ(0x27f, get(cur, OFF_FCW, 2));
	EXPECT_EQ(0x9fc0, get(cur, OFF_MXCSR, 4));
	/* Exactly 832 bytes also works. */
	put(img, OFF_FCW, 0x37f, 2);
	EXPECT_EQ(HV_SUCCESS, hv_vcpu_write_fpstate(g_vcpu, img, XSAVE_SIZE));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, cur, XSAVE_SIZE));
	EXPECT_EQ(0x37f, get(cur, OFF_FCW, 2));
}

/* What XRSTOR would fault on is refused; the state does not change. */
VM_TEST(invalid_images_refused, 1)
{
	static const struct {
		const char *what;
		unsigned off, n;
		uint64_t v;
	} bad[] = {
		{ "MXCSR bit 16", OFF_MXCSR, 4, 0x11f80 },
		{ "MXCSR bit 31", OFF_MXCSR, 4, 0x80001f80 },
		{ "XSTATE_BV bit 3", OFF_XSTATE_BV, 8, 0xf },
		{ "XSTATE_BV bit 9", OFF_XSTATE_BV, 8, 0x207 },
		{ "XSTATE_BV bit 63", OFF_XSTATE_BV, 8, 0x8000000000000003ull },
		{ "XCOMP_BV compacted", OFF_XCOMP_BV, 8,
		  0x8000000000000007ull },
		{ "XCOMP_BV bit 0", OFF_XCOMP_BV, 8, 1 },
		{ "header byte 528", 528, 1, 1 },
		{ "header byte 550", 550, 1, 0x80 },
		{ "header byte 575", 575, 1, 1 },
	};
	static uint8_t before[XSAVE_SIZE], after[XSAVE_SIZE];

	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, 4096));
	put(img, OFF_FCW, 0x7f, 2);
	put(img, OFF_XMM0, 0x1234, 8);
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_write_fpstate(g_vcpu, img, 4096));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, before,
						   XSAVE_SIZE));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(cur, before, XSAVE_SIZE);
		put(cur, bad[i].off, bad[i].v, bad[i].n);
		put(cur, OFF_FCW, 0x37f, 2); /* would change FCW */
		if (hv_vcpu_write_fpstate(g_vcpu, cur, 4096) !=
		    HV_BAD_ARGUMENT)
			printf("# %s accepted\n", bad[i].what);
		EXPECT_EQ(HV_BAD_ARGUMENT,
			  hv_vcpu_write_fpstate(g_vcpu, cur, XSAVE_SIZE));
		ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, after,
							   XSAVE_SIZE));
		EXPECT_EQ(0, memcmp(before, after, XSAVE_SIZE));
	}
	/* Too small, NULL. */
	memcpy(cur, before, XSAVE_SIZE);
	put(cur, OFF_FCW, 0x37f, 2);
	EXPECT_EQ(HV_BAD_ARGUMENT,
		  hv_vcpu_write_fpstate(g_vcpu, cur, XSAVE_SIZE - 1));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_write_fpstate(g_vcpu, cur, 0));
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vcpu_write_fpstate(g_vcpu, NOPTR, 4096));
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, after, XSAVE_SIZE));
	EXPECT_EQ(0x7f, get(after, OFF_FCW, 2));
}

/* Each vCPU has its own FP state. */
static uint8_t wimg[4096];
static hv_return_t wret;

static void worker_fp_fn(void *p)
{
	struct vcpu_req *r = p;

	wret = hv_vcpu_read_fpstate(r->id, wimg, sizeof(wimg));
}

VM_TEST(per_vcpu_state, 1)
{
	struct worker w;
	struct vcpu_req r = { .flags = HV_VCPU_DEFAULT };

	ASSERT_EQ(HV_SUCCESS, hv_vcpu_read_fpstate(g_vcpu, img, 4096));
	put(img, OFF_FCW, 0x27f, 2);
	ASSERT_EQ(HV_SUCCESS, hv_vcpu_write_fpstate(g_vcpu, img, 4096));
	ASSERT_TRUE(worker_start(&w));
	worker_call(&w, vcpu_create_fn, &r);
	EXPECT_EQ(HV_SUCCESS, r.ret);
	worker_call(&w, worker_fp_fn, &r);
	EXPECT_EQ(HV_SUCCESS, wret);
	EXPECT_EQ(0x37f, get(wimg, OFF_FCW, 2));
	worker_call(&w, vcpu_destroy_fn, &r);
	worker_stop(&w);
}
