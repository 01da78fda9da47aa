/* SPDX-License-Identifier: MIT */
/* The software engine's CPUID model (hv_openhvf_cpuid): identification,
 * the feature flags of cpuid.def, the XSAVE layout and address sizes. */
#include "cpuid.h"

#include <string.h>

#include "vcpu.h"

struct feat {
	uint32_t leaf, subleaf;
	uint8_t reg, bit, on;
};

static const struct feat feats[] = {
#define FEAT(n, l, s, r, b, on) { l, s, r, b, on },
#include "cpuid.def"
#undef FEAT
};

#define MAX_BASIC 0xdu
#define MAX_EXT 0x80000008u

/* Family 6, model 0x55-class signature; stepping 4. */
#define SIGNATURE 0x00050654u

static void put_str(uint32_t *r, const char *s)
{
	memcpy(r, s, 16);
}

static void add_features(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	for (size_t i = 0; i < sizeof(feats) / sizeof(feats[0]); i++)
		if (feats[i].leaf == leaf && feats[i].subleaf == subleaf &&
		    feats[i].on)
			r[feats[i].reg] |= 1u << feats[i].bit;
}

bool cpuid_feature(uint32_t leaf, uint32_t subleaf, unsigned reg,
		   unsigned bit)
{
	uint32_t r[4] = { 0 };

	add_features(leaf, subleaf, r);
	return reg < 4 && bit < 32 && ((r[reg] >> bit) & 1);
}

/* Leaf 0xD: XSAVE components x87 (0), SSE (1), AVX (2 at 576, 256 bytes)
 * (SDM Vol. 1, 13.2 and 13.4). */
static void leaf_xsave(uint32_t subleaf, uint32_t r[4])
{
	if (!cpuid_feature(1, 0, 2, 26))
		return;
	switch (subleaf) {
	case 0:
		/* EBX: size for the XCR0 the VMM sets (reported here for all
		 * supported components); ECX: size for all of them. */
		r[0] = (uint32_t)XCR0_SUPPORTED;
		r[1] = (XCR0_SUPPORTED & 4) ? 832 : 576;
		r[2] = r[1];
		break;
	case 1:
		/* EBX: compacted (XSAVEC) size for XCR0 | IA32_XSS (SDM Vol.
		 * 2A, CPUID leaf 0DH sub-leaf 1): no supervisor components,
		 * and AVX (alignment bit clear) follows the header at 576. */
		r[1] = (XCR0_SUPPORTED & 4) ? 832 : 576;
		break;
	case 2:
		if (XCR0_SUPPORTED & 4) {
			r[0] = 256;
			r[1] = 576;
		}
		break;
	default:
		break;
	}
}

static void leaf_basic(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	switch (leaf) {
	case 0:
		r[0] = MAX_BASIC;
		memcpy(&r[1], "Genu", 4);
		memcpy(&r[3], "ineI", 4);
		memcpy(&r[2], "ntel", 4);
		return;
	case 1:
		r[0] = SIGNATURE;
		/* CLFLUSH line 8 x 8 bytes, one logical processor. */
		r[1] = (8u << 8) | (1u << 16);
		break;
	case 7:
		if (subleaf != 0)
			return;
		break;
	case 0xd:
		leaf_xsave(subleaf, r);
		break;
	default:
		break;
	}
	add_features(leaf, leaf == 7 || leaf == 0xd ? subleaf : 0, r);
}

static void leaf_ext(uint32_t leaf, uint32_t r[4])
{
	static const char brand[48] = "OpenHVF software x86-64 CPU";

	switch (leaf) {
	case 0x80000000:
		r[0] = MAX_EXT;
		return;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
		put_str(r, brand + 16 * (leaf - 0x80000002));
		return;
	case 0x80000008:
		/* 39 physical, 48 linear address bits (memmap.h). */
		r[0] = 39 | (48 << 8);
		return;
	default:
		add_features(leaf, 0, r);
		return;
	}
}

void cpuid_model(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(r[0]));
	if (leaf >= 0x80000000u && leaf <= MAX_EXT) {
		leaf_ext(leaf, r);
		return;
	}
	/* Out-of-range leaves return the highest basic leaf (SDM Vol. 2A,
	 * CPUID, "invalid input"). */
	if (leaf > MAX_BASIC)
		leaf = MAX_BASIC, subleaf = 0;
	leaf_basic(leaf, subleaf, r);
}
