/* SPDX-License-Identifier: MIT */
/* AES-NI (AESENC, AESENCLAST, AESDEC, AESDECLAST, AESIMC,
 * AESKEYGENASSIST) and PCLMULQDQ, legacy and VEX.128 forms (SDM Vol.
 * 2A, the AES* and PCLMULQDQ pages; FIPS-197 for the round steps). The
 * S-box is computed, not tabulated: the GF(2^8) inverse followed by
 * the affine map (FIPS-197, 5.1.1). */
#include "engine/emu/sse.h"

/* ---------------------------------------------------------------- */
/* GF(2^8) with the AES polynomial x^8 + x^4 + x^3 + x + 1. */

static uint8_t gf_mul(uint8_t a, uint8_t b)
{
	uint8_t p = 0;

	while (b) {
		if (b & 1)
			p ^= a;
		a = (uint8_t)((a << 1) ^ (a & 0x80 ? 0x1b : 0));
		b >>= 1;
	}
	return p;
}

/* a^254 = a^-1 (0 maps to 0). */
static uint8_t gf_inv(uint8_t a)
{
	uint8_t r = 1, sq = a;

	for (unsigned e = 254; e; e >>= 1) {
		if (e & 1)
			r = gf_mul(r, sq);
		sq = gf_mul(sq, sq);
	}
	return r;
}

static uint8_t rotl8(uint8_t v, unsigned n)
{
	return (uint8_t)(v << n | v >> (8 - n));
}

static uint8_t sbox(uint8_t a)
{
	uint8_t x = gf_inv(a);

	return x ^ rotl8(x, 1) ^ rotl8(x, 2) ^ rotl8(x, 3) ^ rotl8(x, 4) ^
	       0x63;
}

static uint8_t inv_sbox(uint8_t a)
{
	uint8_t x = rotl8(a, 1) ^ rotl8(a, 3) ^ rotl8(a, 6) ^ 0x05;

	return gf_inv(x);
}

/* ---------------------------------------------------------------- */
/* Round steps on the state as the SDM lays it out: byte 4c + r of the
 * xmm register is row r, column c. */

static void shift_rows(uint8_t *st, bool inv)
{
	uint8_t t[16];

	for (unsigned c = 0; c < 4; c++)
		for (unsigned r = 0; r < 4; r++) {
			unsigned from = inv ? (c + 4 - r) % 4 : (c + r) % 4;

			t[4 * c + r] = st[4 * from + r];
		}
	for (unsigned i = 0; i < 16; i++)
		st[i] = t[i];
}

static void sub_bytes(uint8_t *st, bool inv)
{
	for (unsigned i = 0; i < 16; i++)
		st[i] = inv ? inv_sbox(st[i]) : sbox(st[i]);
}

/* MixColumns multiplies each column by {03}x^3+{01}x^2+{01}x+{02};
 * InvMixColumns by {0b}x^3+{0d}x^2+{09}x+{0e} (FIPS-197, 5.1.3, 5.3.3). */
static void mix_columns(uint8_t *st, bool inv)
{
	static const uint8_t fwd[4] = { 2, 3, 1, 1 }, bwd[4] = { 14, 11, 13, 9 };
	const uint8_t *k = inv ? bwd : fwd;

	for (unsigned c = 0; c < 4; c++) {
		uint8_t col[4], *p = &st[4 * c];

		for (unsigned r = 0; r < 4; r++)
			col[r] = p[r];
		for (unsigned r = 0; r < 4; r++) {
			uint8_t v = 0;

			for (unsigned j = 0; j < 4; j++)
				v ^= gf_mul(col[j], k[(j + 4 - r) % 4]);
			p[r] = v;
		}
	}
}

static void add_key(struct simd *s)
{
	for (unsigned i = 0; i < 2; i++)
		s->r.q[i] ^= s->b.q[i];
}

/* AESENC: ShiftRows, SubBytes, MixColumns, AddRoundKey (the key is the
 * second operand); LAST omits MixColumns. AESDEC: the inverses. */
static void aes_round(struct simd *s, bool dec, bool last)
{
	s->r = s->a;
	shift_rows(s->r.b, dec);
	sub_bytes(s->r.b, dec);
	if (!last)
		mix_columns(s->r.b, dec);
	add_key(s);
}

SIMD(cr_aesenc) { aes_round(s, false, false); }
SIMD(cr_aesenclast) { aes_round(s, false, true); }
SIMD(cr_aesdec) { aes_round(s, true, false); }
SIMD(cr_aesdeclast) { aes_round(s, true, true); }

/* AESIMC: InvMixColumns of the source (for the decryption key
 * schedule). */
SIMD(cr_aesimc)
{
	s->r = s->b;
	mix_columns(s->r.b, true);
}

/* AESKEYGENASSIST: SubWord of dwords 1 and 3, and RotWord(SubWord) XOR
 * the zero-extended imm8 (RCON). */
static uint32_t sub_word(uint32_t w)
{
	uint32_t r = 0;

	for (unsigned i = 0; i < 4; i++)
		r |= (uint32_t)sbox((uint8_t)(w >> (8 * i))) << (8 * i);
	return r;
}

SIMD(cr_keygen)
{
	uint32_t x1 = sub_word(s->b.d[1]), x3 = sub_word(s->b.d[3]);

	s->r.d[0] = x1;
	s->r.d[1] = ((x1 >> 8) | (x1 << 24)) ^ s->imm;
	s->r.d[2] = x3;
	s->r.d[3] = ((x3 >> 8) | (x3 << 24)) ^ s->imm;
}

/* ---------------------------------------------------------------- */
/* PCLMULQDQ: carry-less product of the quadwords selected by imm8 bit
 * 0 (first source) and bit 4 (second source). */
SIMD(cr_pclmul)
{
	uint64_t x = s->a.q[s->imm & 1], y = s->b.q[(s->imm >> 4) & 1];
	uint64_t lo = 0, hi = 0;

	for (unsigned i = 0; i < 64; i++)
		if ((y >> i) & 1) {
			lo ^= x << i;
			if (i)
				hi ^= x >> (64 - i);
		}
	s->r.q[0] = lo;
	s->r.q[1] = hi;
}
