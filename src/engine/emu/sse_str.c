/* SPDX-License-Identifier: MIT */
/* SSE4.2 packed string compares PCMPESTRI/PCMPESTRM/PCMPISTRI/PCMPISTRM
 * (66 0F3A 60-63), legacy and VEX.128 (SDM Vol. 2B, 4.1 "Imm8 Control
 * Byte Operation for PCMPESTRI / PCMPESTRM / PCMPISTRI / PCMPISTRM"). */
#include "engine/emu/sse.h"

/* imm8 fields (SDM Vol. 2B, 4.1.1-4.1.6). */
enum { AGG_ANY, AGG_RANGES, AGG_EACH, AGG_ORDERED };

struct strcmp_ctx {
	unsigned n;          /* elements: 16 bytes or 8 words */
	bool sign;           /* imm8 bit 1: signed elements */
	int32_t a[16], b[16];
	unsigned la, lb;     /* valid lengths */
};

static void elements(struct strcmp_ctx *c, const union emu_vec *v,
		     int32_t *out)
{
	for (unsigned i = 0; i < c->n; i++) {
		if (c->n == 16)
			out[i] = c->sign ? v->sb[i] : v->b[i];
		else
			out[i] = c->sign ? v->sw[i] : v->w[i];
	}
}

/* Implicit length: index of the first zero element, or n. */
static unsigned implicit_len(const struct strcmp_ctx *c, const int32_t *v)
{
	for (unsigned i = 0; i < c->n; i++)
		if (!v[i])
			return i;
	return c->n;
}

/* Explicit length: |RAX| / |RDX| (EAX/EDX without REX.W or VEX.W),
 * saturated to n (SDM Vol. 2B, 4.1.2). */
static unsigned explicit_len(const struct simd *s, unsigned reg, unsigned n)
{
	uint64_t v = s->cpu->gpr[reg];
	uint64_t mag;

	if (s->in->opsize == 8 || (s->vex && s->in->vex_w))
		mag = v >> 63 ? 0 - v : v;
	else
		mag = (uint32_t)v >> 31 ? 0u - (uint32_t)v : (uint32_t)v;
	return mag > n ? n : (unsigned)mag;
}

/* BoolRes(i, j) for element a[i] of the first operand against b[j] of
 * the second, with the validity overrides of Table 4-7. */
static bool cmp_elem(const struct strcmp_ctx *c, unsigned agg, unsigned i,
		     unsigned j)
{
	bool av = i < c->la, bv = j < c->lb;

	switch (agg) {
	case AGG_ANY:
		return av && bv && c->a[i] == c->b[j];
	case AGG_RANGES:
		if (!av || !bv)
			return false;
		return i & 1 ? c->b[j] <= c->a[i] : c->b[j] >= c->a[i];
	case AGG_EACH:
		if (!av && !bv)
			return true;
		return av && bv && c->a[i] == c->b[j];
	default:
		if (!av)
			return true;
		return bv && c->a[i] == c->b[j];
	}
}

/* IntRes1 (SDM Vol. 2B, 4.1.5). */
static unsigned aggregate(const struct strcmp_ctx *c, unsigned agg)
{
	unsigned res = 0, n = c->n;

	for (unsigned j = 0; j < n; j++) {
		bool bit = false;

		switch (agg) {
		case AGG_ANY:
			for (unsigned i = 0; i < n; i++)
				bit |= cmp_elem(c, agg, i, j);
			break;
		case AGG_RANGES:
			for (unsigned i = 0; i + 1 < n; i += 2)
				bit |= cmp_elem(c, agg, i, j) &&
				       cmp_elem(c, agg, i + 1, j);
			break;
		case AGG_EACH:
			bit = cmp_elem(c, agg, j, j);
			break;
		default:
			bit = true;
			for (unsigned i = 0; i < n - j; i++)
				bit &= cmp_elem(c, agg, i, j + i);
			break;
		}
		res |= (unsigned)bit << j;
	}
	return res;
}

/* IntRes2: imm8 bits 5:4 = 01 negate all, 11 negate only the valid
 * elements of the second operand (SDM Vol. 2B, 4.1.6). */
static unsigned polarity(const struct strcmp_ctx *c, unsigned r, unsigned imm)
{
	unsigned all = (1u << c->n) - 1;

	switch ((imm >> 4) & 3) {
	case 1: return ~r & all;
	case 3: return r ^ ((1u << c->lb) - 1);
	default: return r;
	}
}

static void write_index(struct simd *s, unsigned r, unsigned n)
{
	unsigned idx = n;

	if (r)
		idx = s->imm & 0x40 ? 31 - (unsigned)__builtin_clz(r) :
				      (unsigned)__builtin_ctz(r);
	s->cpu->gpr[1] = idx;
}

/* PCMPxSTRM: XMM0 = IntRes2 as a bit mask, or (imm8 bit 6) expanded to
 * byte/word masks; VEX.128 zeroes bits 255:128 of YMM0. */
static void write_mask(struct simd *s, unsigned r, unsigned n)
{
	union emu_vec v = { .q = { 0 } };

	if (!(s->imm & 0x40)) {
		v.q[0] = r;
	} else {
		for (unsigned i = 0; i < n; i++) {
			bool set = (r >> i) & 1;

			if (n == 16)
				v.b[i] = set ? 0xff : 0;
			else
				v.w[i] = set ? 0xffff : 0;
		}
	}
	simd_put(s, 0, &v);
}

/* 66 0F3A 60 PCMPESTRM, 61 PCMPESTRI, 62 PCMPISTRM, 63 PCMPISTRI. */
SIMD(st_pcmpstr)
{
	struct strcmp_ctx c = { .n = s->imm & 1 ? 8 : 16,
				.sign = (s->imm >> 1) & 1 };
	bool implicit = s->in->op & 2, index = s->in->op & 1;
	unsigned r;

	elements(&c, &s->a, c.a);
	elements(&c, &s->b, c.b);
	if (implicit) {
		c.la = implicit_len(&c, c.a);
		c.lb = implicit_len(&c, c.b);
	} else {
		c.la = explicit_len(s, 0, c.n);
		c.lb = explicit_len(s, 2, c.n);
	}
	r = polarity(&c, aggregate(&c, (s->imm >> 2) & 3), s->imm);
	if (index)
		write_index(s, r, c.n);
	else
		write_mask(s, r, c.n);
	/* CF = IntRes2 != 0, ZF/SF = the second/first operand is shorter
	 * than n, OF = IntRes2[0]; AF = PF = 0. */
	emu_set_arith(s->cpu, RF_ARITH,
		      (r ? RF_CF : 0) | (c.lb < c.n ? RF_ZF : 0) |
		      (c.la < c.n ? RF_SF : 0) | (r & 1 ? RF_OF : 0));
}
