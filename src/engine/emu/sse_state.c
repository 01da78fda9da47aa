/* SPDX-License-Identifier: MIT */
/* Saving and restoring the x87/SSE/AVX state: FXSAVE/FXRSTOR (32- and
 * 64-bit formats), XSAVE/XSAVEOPT/XSAVEC/XRSTOR (standard and compacted
 * formats), LDMXCSR/STMXCSR, the rest of group 15 (fences, cache-line
 * flushes, RD/WR FS/GS BASE), the XSAVE layout for CPUID leaf 0DH, and
 * the conversion to and from the core's XSAVE image (SDM Vol. 1, 10.5
 * and chapter 13). */
#include "engine/emu/sse.h"

#include <string.h>

#define CR0_EM (1ull << 2)
#define CR0_TS (1ull << 3)
#define CR4_OSFXSR (1ull << 9)
#define CR4_FSGSBASE (1ull << 16)
#define CR4_OSXSAVE (1ull << 18)

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }

static unsigned top_of(const struct emu_fpu *f)
{
	return (f->fsw >> 11) & 7;
}

/* ---------------------------------------------------------------- */
/* The legacy region (SDM Vol. 1, 10.5.1 Tables 10-2 and 10-3). */

static void x87_to_image(const struct emu_fpu *f, uint8_t *x, bool w64)
{
	put16(x + 0, f->fcw);
	put16(x + 2, f->fsw);
	x[4] = f->ftw;
	x[5] = 0;
	put16(x + 6, f->fop);
	if (w64) {
		put64(x + 8, f->fip);
		put64(x + 16, f->fdp);
	} else {
		put32(x + 8, (uint32_t)f->fip);
		/* FCS and FDS deprecated: saved as 0 (CPUID.(EAX=07H,
		 * ECX=0):EBX[13]; SDM Vol. 1, 10.5.1.1). */
		put32(x + 12, 0);
		put32(x + 16, (uint32_t)f->fdp);
		put32(x + 20, 0);
	}
	/* ST(i) in stack order, not physical order. */
	for (unsigned i = 0; i < 8; i++) {
		const struct fx80 *r = &f->st[(top_of(f) + i) & 7];
		uint8_t *p = x + 32 + 16 * i;

		memset(p, 0, 16);
		put64(p, r->m);
		put16(p + 8, r->se);
	}
}

/* What FXRSTOR/XRSTOR keep of FCW and FSW, measured on Intel hosts:
 * the reserved FCW bits 7 and 15:13 read 0 and bit 6 reads 1 (SDM Vol.
 * 1, 8.1.5, Figure 8-6); FSW.ES and FSW.B are not loaded but follow the
 * exception flags 5:0 not masked in FCW (SDM Vol. 1, 8.1.3.1). */
static uint16_t fcw_loaded(uint16_t v)
{
	return (v & 0x1f3f) | 0x40;
}

static uint16_t fsw_loaded(uint16_t v, uint16_t fcw)
{
	bool es = v & ~fcw & 0x3f;

	return (v & 0x7f7f) | (es ? 0x8080 : 0);
}

/* The 64-bit FIP comes back canonical for the engine's 48-bit linear
 * addresses (bits 63:48 copy bit 47), FDP whole, as measured on an Intel
 * Xeon with 48-bit linear addresses (docs/compat.md). */
static uint64_t canonical(uint64_t v)
{
	return (uint64_t)((int64_t)(v << 16) >> 16);
}

static void x87_from_image(struct emu_fpu *f, const uint8_t *x, bool w64)
{
	f->fcw = fcw_loaded(get16(x + 0));
	f->fsw = fsw_loaded(get16(x + 2), f->fcw);
	f->ftw = x[4];
	f->fop = get16(x + 6) & 0x7ff;
	if (w64) {
		f->fip = canonical(get64(x + 8));
		f->fdp = get64(x + 16);
	} else {
		f->fip = get32(x + 8);
		f->fdp = get32(x + 16);
	}
	for (unsigned i = 0; i < 8; i++) {
		struct fx80 *r = &f->st[(top_of(f) + i) & 7];
		const uint8_t *p = x + 32 + 16 * i;

		r->m = get64(p);
		r->se = get16(p + 8);
	}
}

static void x87_init(struct emu_fpu *f)
{
	f->fcw = 0x37f;
	f->fsw = 0;
	f->ftw = 0;
	f->fop = 0;
	f->fip = f->fdp = 0;
	memset(f->st, 0, sizeof(f->st));
}

static void xmm_to_image(const struct emu_fpu *f, uint8_t *x, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		memcpy(x + 160 + 16 * i, f->ymm[i].b, 16);
}

static void xmm_from_image(struct emu_fpu *f, const uint8_t *x, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		memcpy(f->ymm[i].b, x + 160 + 16 * i, 16);
}

static void ymmh_to_image(const struct emu_fpu *f, uint8_t *x)
{
	for (unsigned i = 0; i < 16; i++)
		memcpy(x + 16 * i, f->ymm[i].b + 16, 16);
}

static void ymmh_from_image(struct emu_fpu *f, const uint8_t *x)
{
	for (unsigned i = 0; i < 16; i++)
		memcpy(f->ymm[i].b + 16, x + 16 * i, 16);
}

/* ---------------------------------------------------------------- */
/* The core's image and CPUID leaf 0DH. */

void emu_fpu_reset(struct emu_cpu *cpu)
{
	memset(&cpu->fpu, 0, sizeof(cpu->fpu));
	x87_init(&cpu->fpu);
	cpu->fpu.mxcsr = MXCSR_DEFAULT;
}

void emu_fpu_load(struct emu_cpu *cpu, const uint8_t *xsave)
{
	struct emu_fpu *f = &cpu->fpu;
	uint64_t bv = get64(xsave + XSAVE_HDR_OFF);

	if (bv & XFEATURE_X87)
		x87_from_image(f, xsave, true);
	else
		x87_init(f);
	f->mxcsr = get32(xsave + 24) & MXCSR_MASK;
	for (unsigned i = 0; i < 16; i++)
		memset(f->ymm[i].b, 0, 32);
	if (bv & XFEATURE_SSE)
		xmm_from_image(f, xsave, 16);
	if (bv & XFEATURE_AVX)
		ymmh_from_image(f, xsave + XSAVE_YMM_OFF);
}

void emu_fpu_store(struct emu_cpu *cpu, uint8_t *xsave)
{
	const struct emu_fpu *f = &cpu->fpu;

	memset(xsave, 0, XSAVE_STD_SIZE);
	x87_to_image(f, xsave, true);
	put32(xsave + 24, f->mxcsr);
	put32(xsave + 28, MXCSR_MASK);
	xmm_to_image(f, xsave, 16);
	put64(xsave + XSAVE_HDR_OFF, XFEATURE_ALL);
	ymmh_to_image(f, xsave + XSAVE_YMM_OFF);
}

uint32_t emu_xsave_comp_offset(unsigned i)
{
	return i == 0 ? 0 : i == 1 ? 160 : i == 2 ? XSAVE_YMM_OFF : 0;
}

uint32_t emu_xsave_comp_size(unsigned i)
{
	return i == 0 ? 160 : i == 1 ? 256 : i == 2 ? 256 : 0;
}

uint32_t emu_xsave_size(uint64_t xcr0, bool compacted)
{
	(void)compacted; /* components 0-2 sit at the same offsets */
	return (xcr0 & XFEATURE_AVX) ? XSAVE_STD_SIZE : XSAVE_YMM_OFF;
}

/* ---------------------------------------------------------------- */
/* FXSAVE / FXRSTOR (SDM Vol. 2A). */

static void fx_checks(struct simd *s, unsigned align)
{
	struct emu_cpu *cpu = s->cpu;

	if (cpu->cr0 & (CR0_TS | CR0_EM))
		emu_raise(cpu, EXC_NM, 0);
	simd_align(s, align);
}

static unsigned xmm_count(const struct emu_cpu *cpu)
{
	return cpu->mode == MODE_LONG ? 16 : 8;
}

static void fxsave(struct simd *s)
{
	uint8_t img[512];
	bool w64 = s->in->rex & 8;
	unsigned n = xmm_count(s->cpu);

	fx_checks(s, 16);
	memset(img, 0, sizeof(img));
	x87_to_image(&s->cpu->fpu, img, w64);
	put32(img + 24, s->cpu->fpu.mxcsr);
	put32(img + 28, MXCSR_MASK);
	xmm_to_image(&s->cpu->fpu, img, n);
	simd_write(s, 0, img, 160 + 16 * n);
}

static void fxrstor(struct simd *s)
{
	uint8_t img[512];
	bool w64 = s->in->rex & 8;
	unsigned n = xmm_count(s->cpu);

	fx_checks(s, 16);
	simd_read(s, 0, img, 160 + 16 * n);
	if (get32(img + 24) & ~MXCSR_MASK)
		emu_raise(s->cpu, EXC_GP, 0);
	x87_from_image(&s->cpu->fpu, img, w64);
	s->cpu->fpu.mxcsr = get32(img + 24);
	xmm_from_image(&s->cpu->fpu, img, n);
}

/* LDMXCSR/STMXCSR and VLDMXCSR/VSTMXCSR: #GP for reserved bits. */
static void ldmxcsr(struct simd *s, bool store)
{
	struct emu_cpu *cpu = s->cpu;
	uint32_t v;

	if (s->vex) {
		if (s->in->vex_l || s->in->vex_v || !(cpu->cr4 & CR4_OSXSAVE) ||
		    (cpu->xcr0 & 6) != 6)
			emu_raise(cpu, EXC_UD, 0);
	} else if ((cpu->cr0 & CR0_EM) || !(cpu->cr4 & CR4_OSFXSR)) {
		emu_raise(cpu, EXC_UD, 0);
	}
	if (cpu->cr0 & CR0_TS)
		emu_raise(cpu, EXC_NM, 0);
	if (store) {
		v = cpu->fpu.mxcsr;
		simd_write(s, 0, &v, 4);
		return;
	}
	simd_read(s, 0, &v, 4);
	if (v & ~MXCSR_MASK)
		emu_raise(cpu, EXC_GP, 0);
	cpu->fpu.mxcsr = v;
}

/* ---------------------------------------------------------------- */
/* XSAVE family (SDM Vol. 1, 13.7-13.12; Vol. 2C XSAVE, XRSTOR). */

static uint64_t rfbm(const struct emu_cpu *cpu)
{
	return cpu->xcr0 & ((cpu->gpr[2] << 32) | (uint32_t)cpu->gpr[0]);
}

static void xsave_checks(struct simd *s)
{
	struct emu_cpu *cpu = s->cpu;

	if (!(cpu->cr4 & CR4_OSXSAVE))
		emu_raise(cpu, EXC_UD, 0);
	if (cpu->cr0 & CR0_TS)
		emu_raise(cpu, EXC_NM, 0);
	simd_align(s, 64);
}

/* Components not in their initial configuration (13.6). */
static uint64_t xinuse(const struct emu_fpu *f)
{
	uint64_t u = 0;
	static const uint8_t zero[32];

	if (f->fcw != 0x37f || f->fsw || f->ftw || f->fop || f->fip ||
	    f->fdp)
		u |= XFEATURE_X87;
	for (unsigned i = 0; i < 8; i++)
		if (f->st[i].m || f->st[i].se)
			u |= XFEATURE_X87;
	for (unsigned i = 0; i < 16; i++) {
		if (memcmp(f->ymm[i].b, zero, 16))
			u |= XFEATURE_SSE;
		if (memcmp(f->ymm[i].b + 16, zero, 16))
			u |= XFEATURE_AVX;
	}
	if (f->mxcsr != MXCSR_DEFAULT)
		u |= XFEATURE_SSE;
	return u;
}

/* MXCSR goes with the SSE or AVX component in the standard format
 * (SDM Vol. 1, 13.7) but with the SSE component alone in the compacted
 * one (XSAVEC, XRSTOR of a compacted image), as measured on an Intel
 * host: with_mxcsr is the set of components that carry it. */
#define MXCSR_STD (XFEATURE_SSE | XFEATURE_AVX)
#define MXCSR_COMPACT XFEATURE_SSE

static void write_components(struct simd *s, uint64_t mask, uint32_t ymm_off,
			     uint64_t with_mxcsr)
{
	struct emu_fpu *f = &s->cpu->fpu;
	uint8_t img[XSAVE_STD_SIZE];
	unsigned n = xmm_count(s->cpu);

	memset(img, 0, sizeof(img));
	if (mask & XFEATURE_X87) {
		x87_to_image(f, img, s->in->rex & 8);
		simd_write(s, 0, img, 24);
		simd_write(s, 32, img + 32, 128);
	}
	if (mask & with_mxcsr) {
		put32(img + 24, f->mxcsr);
		put32(img + 28, MXCSR_MASK);
		simd_write(s, 24, img + 24, 8);
	}
	if (mask & XFEATURE_SSE) {
		xmm_to_image(f, img, n);
		simd_write(s, 160, img + 160, 16 * n);
	}
	if (mask & XFEATURE_AVX) {
		ymmh_to_image(f, img + XSAVE_YMM_OFF);
		simd_write(s, ymm_off, img + XSAVE_YMM_OFF, 16 * n);
	}
}

/* XSAVE and XSAVEOPT (standard format): XSTATE_BV[i] for requested
 * components says whether i is in use; other header bytes unchanged. */
static void xsave(struct simd *s)
{
	uint64_t m = rfbm(s->cpu), bv;

	xsave_checks(s);
	simd_read(s, XSAVE_HDR_OFF, &bv, 8);
	write_components(s, m, XSAVE_YMM_OFF, MXCSR_STD);
	bv = (bv & ~m) | (xinuse(&s->cpu->fpu) & m);
	simd_write(s, XSAVE_HDR_OFF, &bv, 8);
}

/* XSAVEC (0F C7 /4): compacted format, components in use only; with
 * components 0-2 the AVX area stays at 576. */
void emu_xsavec(struct emu_cpu *cpu, const struct insn *in)
{
	struct simd s = { .cpu = cpu, .in = in };
	uint64_t m = rfbm(cpu), hdr[2];

	xsave_checks(&s);
	hdr[0] = xinuse(&cpu->fpu) & m;
	hdr[1] = (1ull << 63) | m;  /* XCOMP_BV = RFBM (SDM Vol. 1, 13.10) */
	write_components(&s, hdr[0], XSAVE_YMM_OFF, MXCSR_COMPACT);
	simd_write(&s, XSAVE_HDR_OFF, hdr, 16);
}

static void xrstor_component(struct simd *s, unsigned i, bool load)
{
	struct emu_fpu *f = &s->cpu->fpu;
	uint8_t img[XSAVE_STD_SIZE];
	unsigned n = xmm_count(s->cpu);

	if (i == 0) {
		if (!load) {
			x87_init(f);
			return;
		}
		simd_read(s, 0, img, 160);
		x87_from_image(f, img, s->in->rex & 8);
	} else if (i == 1) {
		if (load)
			simd_read(s, 160, img + 160, 16 * n);
		else
			memset(img + 160, 0, 16 * n);
		xmm_from_image(f, img, n);
	} else {
		if (load)
			simd_read(s, XSAVE_YMM_OFF, img, 16 * n);
		else
			memset(img, 0, 16 * n);
		for (unsigned r = 0; r < n; r++)
			memcpy(f->ymm[r].b + 16, img + 16 * r, 16);
	}
}

/* XRSTOR: header checks (#GP for XSTATE_BV bits outside XCR0, reserved
 * header bytes, XCOMP_BV not covering XSTATE_BV), MXCSR (standard
 * format: from memory whenever SSE or AVX is requested; compacted: with
 * the SSE component, from memory or 1F80H), then each requested
 * component from memory or its initial state. */
static void xrstor(struct simd *s)
{
	struct emu_cpu *cpu = s->cpu;
	uint64_t m = rfbm(cpu), hdr[8];
	uint32_t mxcsr;
	bool compact;

	xsave_checks(s);
	simd_read(s, XSAVE_HDR_OFF, hdr, sizeof(hdr));
	compact = hdr[1] >> 63;
	if ((hdr[0] & ~cpu->xcr0) || hdr[2] || hdr[3] || hdr[4] || hdr[5] ||
	    hdr[6] || hdr[7])
		emu_raise(cpu, EXC_GP, 0);
	if (compact ? (hdr[0] & ~hdr[1]) || (hdr[1] & ~(1ull << 63) &
					       ~cpu->xcr0) : hdr[1])
		emu_raise(cpu, EXC_GP, 0);
	if (m & (compact ? MXCSR_COMPACT : MXCSR_STD)) {
		mxcsr = MXCSR_DEFAULT;
		if (!compact || (hdr[0] & MXCSR_COMPACT))
			simd_read(s, 24, &mxcsr, 4);
		if (mxcsr & ~MXCSR_MASK)
			emu_raise(cpu, EXC_GP, 0);
		cpu->fpu.mxcsr = mxcsr;
	}
	for (unsigned i = 0; i < 3; i++)
		if ((m >> i) & 1)
			xrstor_component(s, i, (hdr[0] >> i) & 1);
}

/* ---------------------------------------------------------------- */
/* Group 15 (SDM Vol. 2D, Table A-6: 0F AE). */

static void fsgsbase(struct simd *s)
{
	struct emu_cpu *cpu = s->cpu;
	unsigned r = s->in->reg & 7, size = s->in->opsize == 8 ? 8 : 4;
	int seg = (r & 1) ? SEG_GS : SEG_FS;
	uint64_t v;

	if (cpu->mode != MODE_LONG || !(cpu->cr4 & CR4_FSGSBASE) || r > 3)
		emu_raise(cpu, EXC_UD, 0);
	if (r < 2) {
		simd_gpr_set(s, s->in->rm, size, cpu->seg[seg].base);
		return;
	}
	v = simd_gpr_get(s, s->in->rm, size);
	if (size == 8 && (uint64_t)((int64_t)(v << 16) >> 16) != v)
		emu_raise(cpu, EXC_GP, 0);
	cpu->seg[seg].base = v;
}

SIMD(st_grp15)
{
	unsigned r = s->in->reg & 7;

	if (s->vex) {
		if (s->pfx != PFX_NP || s->in->mod == 3 || (r != 2 && r != 3))
			emu_raise(s->cpu, EXC_UD, 0);
		ldmxcsr(s, r == 3);
		return;
	}
	if (s->in->mod == 3) {
		if (s->pfx == PFX_F3)
			fsgsbase(s);
		else if (s->pfx != PFX_NP || r < 5)
			emu_raise(s->cpu, EXC_UD, 0);
		return; /* LFENCE, MFENCE, SFENCE: ordering is kept */
	}
	if (s->pfx == PFX_F3 || (s->pfx == PFX_66 && r < 6))
		emu_raise(s->cpu, EXC_UD, 0);
	switch (r) {
	case 0: fxsave(s); break;
	case 1: fxrstor(s); break;
	case 2: ldmxcsr(s, false); break;
	case 3: ldmxcsr(s, true); break;
	case 4: xsave(s); break;
	case 5: xrstor(s); break;
	case 6:
		if (s->pfx == PFX_NP)
			xsave(s);
		else
			(void)emu_read(s->cpu, s->in->seg, simd_ea(s), 1);
		break;
	default:
		/* CLFLUSH / CLFLUSHOPT: checked like a byte read. */
		(void)emu_read(s->cpu, s->in->seg, simd_ea(s), 1);
		break;
	}
}
