/* SPDX-License-Identifier: MIT */
/* Segmentation state: mode and CPL tracking, descriptor-table reads,
 * segment-register loads with the protected-mode checks, TSS stack
 * pointers. */
#include "sys.h"

#define AR_D (1u << 14)
#define AR_L (1u << 13)

/* SDM Vol. 3A, 2.2 and 10.8.5: the mode follows CR0.PE, RFLAGS.VM, EFER.LMA
 * and CS.L/D. In VMX non-root operation the CPL is SS.DPL (SDM Vol. 3C,
 * 25.4.1). */
void emu_update_mode(struct emu_cpu *cpu)
{
	const struct seg *cs = &cpu->seg[SEG_CS];

	if (!(cpu->cr0 & CR0_PE)) {
		cpu->mode = MODE_REAL;
		cpu->cpl = 0;
		cpu->code_size = (cs->ar & AR_D) ? 4 : 2;
	} else if (cpu->rflags & RF_VM) {
		cpu->mode = MODE_V86;
		cpu->cpl = 3;
		cpu->code_size = 2;
	} else {
		cpu->cpl = (int)ar_dpl(cpu->seg[SEG_SS].ar);
		if ((cpu->efer & EFER_LMA) && (cs->ar & AR_L)) {
			cpu->mode = MODE_LONG;
			cpu->code_size = 8;
		} else {
			cpu->mode = (cpu->efer & EFER_LMA) ? MODE_COMPAT :
				    (cs->ar & AR_D) ? MODE_PROT32 : MODE_PROT16;
			cpu->code_size = (cs->ar & AR_D) ? 4 : 2;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Descriptors                                                         */

bool seg_read_desc(struct emu_cpu *cpu, uint16_t sel, uint64_t d[2],
		   bool wide)
{
	uint64_t base = cpu->gdtr_base, limit = cpu->gdtr_limit;
	uint64_t idx = sel & ~7u;

	if (sel & 4) {
		if (cpu->seg[SEG_LDTR].ar & AR_UNUSABLE)
			return false;
		base = cpu->seg[SEG_LDTR].base;
		limit = cpu->seg[SEG_LDTR].limit;
	}
	if (idx + (wide ? 15 : 7) > limit)
		return false;
	d[0] = emu_read_lin(cpu, base + idx, 8, true);
	d[1] = wide ? emu_read_lin(cpu, base + idx + 8, 8, true) : 0;
	return true;
}

void seg_set_accessed(struct emu_cpu *cpu, uint16_t sel, uint64_t d)
{
	uint64_t base = (sel & 4) ? cpu->seg[SEG_LDTR].base : cpu->gdtr_base;

	if (desc_s(d) && !(desc_type(d) & 1))
		emu_write_lin(cpu, base + (sel & ~7u) + 5, 1,
			      ((d >> 40) & 0xff) | 1, true);
}

/* Descriptor layout: SDM Vol. 3A, 3.4.5; 16-byte system descriptors in
 * IA-32e mode: 8.2.3. */
void seg_from_desc(struct seg *s, uint16_t sel, uint64_t d0, uint64_t d1)
{
	uint32_t limit = (uint32_t)((d0 & 0xffff) | ((d0 >> 32) & 0xf0000));

	s->sel = sel;
	s->base = ((d0 >> 16) & 0xffffff) | (((d0 >> 56) & 0xff) << 24);
	if (!desc_s(d0))
		s->base |= (d1 & 0xffffffffull) << 32;
	if (d0 & (1ull << 55))
		limit = (limit << 12) | 0xfff;
	s->limit = limit;
	s->ar = (uint32_t)(((d0 >> 40) & 0xff) | (((d0 >> 52) & 0xf) << 12));
}

void seg_load_real(struct emu_cpu *cpu, int seg, uint16_t sel)
{
	struct seg *s = &cpu->seg[seg];

	s->sel = sel;
	s->base = (uint64_t)sel << 4;
	if (cpu->mode == MODE_V86) {
		/* SDM Vol. 3A, 20.2.1: 64-KByte limit, DPL 3 data. */
		s->limit = 0xffff;
		s->ar = seg == SEG_CS ? 0xfb : 0xf3;
	} else if (s->ar & AR_UNUSABLE) {
		/* Real mode keeps limit and attributes (SDM Vol. 3A, 21.1.1);
		 * a segment the VMM left unusable becomes a usable one. */
		s->ar = seg == SEG_CS ? 0x9b : 0x93;
	}
}

void seg_load_null(struct emu_cpu *cpu, int seg, uint16_t sel)
{
	struct seg *s = &cpu->seg[seg];

	s->sel = sel;
	s->base = 0;
	s->limit = 0;
	s->ar = AR_UNUSABLE | (seg == SEG_SS ? (uint32_t)cpu->cpl << 5 : 0);
}

/* Error code of a selector fault: index/TI/ and EXT for events not caused
 * by software (SDM Vol. 3A, 6.13). */
static uint32_t sel_err(struct emu_cpu *cpu, uint16_t sel)
{
	struct emu_sys *s = sys_of(cpu);
	bool ext = s->delivering && s->deliv.type != EV_SWINT &&
		   s->deliv.type != EV_SWEXC && s->deliv.type != EV_PRIV_SW;

	return (sel & 0xfffcu) | (ext ? 1u : 0u);
}

/* MOV/POP SS checks (SDM Vol. 3A, MOV instruction reference). */
static void load_ss(struct emu_cpu *cpu, uint16_t sel)
{
	uint64_t d[2];

	if ((sel & 0xfffc) == 0) {
		if (cpu->mode == MODE_LONG && cpu->cpl != 3 &&
		    (sel & 3) == (unsigned)cpu->cpl) {
			seg_load_null(cpu, SEG_SS, sel);
			return;
		}
		emu_raise(cpu, EXC_GP, 0);
	}
	if (!seg_read_desc(cpu, sel, d, false))
		emu_raise(cpu, EXC_GP, sel_err(cpu, sel));
	if ((sel & 3) != (unsigned)cpu->cpl || desc_dpl(d[0]) != (unsigned)cpu->cpl ||
	    !desc_s(d[0]) || (desc_type(d[0]) & 0xa) != 2)
		emu_raise(cpu, EXC_GP, sel_err(cpu, sel));
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_SS, sel_err(cpu, sel));
	seg_set_accessed(cpu, sel, d[0]);
	seg_from_desc(&cpu->seg[SEG_SS], sel, d[0] | (1ull << 40), 0);
}

/* MOV/POP DS, ES, FS, GS checks. */
static void load_data(struct emu_cpu *cpu, int seg, uint16_t sel)
{
	uint64_t d[2];
	unsigned type;

	if ((sel & 0xfffc) == 0) {
		seg_load_null(cpu, seg, sel);
		return;
	}
	if (!seg_read_desc(cpu, sel, d, false))
		emu_raise(cpu, EXC_GP, sel_err(cpu, sel));
	type = desc_type(d[0]);
	if (!desc_s(d[0]) || (type & 0xa) == 0x8)
		emu_raise(cpu, EXC_GP, sel_err(cpu, sel));
	/* Data and non-conforming code: RPL and CPL must not exceed DPL. */
	if ((type & 0xc) != 0xc &&
	    ((sel & 3) > desc_dpl(d[0]) || (unsigned)cpu->cpl > desc_dpl(d[0])))
		emu_raise(cpu, EXC_GP, sel_err(cpu, sel));
	if (!desc_p(d[0]))
		emu_raise(cpu, EXC_NP, sel_err(cpu, sel));
	seg_set_accessed(cpu, sel, d[0]);
	seg_from_desc(&cpu->seg[seg], sel, d[0] | (1ull << 40), 0);
}

void emu_load_seg(struct emu_cpu *cpu, int seg, uint16_t sel)
{
	if (cpu->mode == MODE_REAL || cpu->mode == MODE_V86) {
		seg_load_real(cpu, seg, sel);
		if (seg == SEG_CS)
			emu_update_mode(cpu);
		return;
	}
	if (seg == SEG_SS)
		load_ss(cpu, sel);
	else if (seg != SEG_CS)
		load_data(cpu, seg, sel);
	else
		emu_raise(cpu, EXC_UD, 0);
}

/* ------------------------------------------------------------------ */
/* Privilege-change helpers                                            */

/* New stack for an inner-privilege transfer (SDM Vol. 3A, 6.12.1 and the
 * CALL pseudocode): #TS for a bad selector, #SS if not present. */
void seg_check_stack(struct emu_cpu *cpu, uint16_t sel, uint64_t d, int cpl)
{
	if ((sel & 0xfffc) == 0 || (sel & 3) != (unsigned)cpl ||
	    desc_dpl(d) != (unsigned)cpl || !desc_s(d) ||
	    (desc_type(d) & 0xa) != 2)
		emu_raise(cpu, EXC_TS, sel_err(cpu, sel));
	if (!desc_p(d))
		emu_raise(cpu, EXC_SS, sel_err(cpu, sel));
}

/* SDM Vol. 3A, RET/IRET pseudocode: data segments the new, less
 * privileged code may not use are nulled. */
void seg_fix_data(struct emu_cpu *cpu)
{
	static const int segs[] = { SEG_ES, SEG_DS, SEG_FS, SEG_GS };

	for (unsigned i = 0; i < 4; i++) {
		struct seg *s = &cpu->seg[segs[i]];
		unsigned type = s->ar & 0xf;

		if (s->ar & AR_UNUSABLE)
			continue;
		if (((type & 8) == 0 || (type & 4) == 0) &&
		    ar_dpl(s->ar) < (unsigned)cpu->cpl)
			seg_load_null(cpu, segs[i], 0);
	}
}

static uint64_t tss_read(struct emu_cpu *cpu, uint64_t off, unsigned size)
{
	const struct seg *tr = &cpu->seg[SEG_TR];

	if (off + size - 1 > tr->limit)
		emu_raise(cpu, EXC_TS, sel_err(cpu, tr->sel));
	return emu_read_lin(cpu, tr->base + off, size, true);
}

/* Stack pointers of the TSS: 64-bit (SDM Vol. 3A, 8.7), 32-bit (8.2.1) and
 * 16-bit (8.6). */
void seg_tss_stack(struct emu_cpu *cpu, int cpl, uint16_t *ss, uint64_t *sp)
{
	unsigned type = cpu->seg[SEG_TR].ar & 0xf;

	if (cpu->efer & EFER_LMA) {
		*sp = tss_read(cpu, 4 + 8 * (uint64_t)cpl, 8);
		*ss = (uint16_t)cpl;
	} else if (type == 0x9 || type == 0xb) {
		*sp = tss_read(cpu, 4 + 8 * (uint64_t)cpl, 4);
		*ss = (uint16_t)tss_read(cpu, 8 + 8 * (uint64_t)cpl, 2);
	} else {
		*sp = tss_read(cpu, 2 + 4 * (uint64_t)cpl, 2);
		*ss = (uint16_t)tss_read(cpu, 4 + 4 * (uint64_t)cpl, 2);
	}
}

uint64_t seg_tss_ist(struct emu_cpu *cpu, int ist)
{
	return tss_read(cpu, 0x24 + 8 * (uint64_t)(ist - 1), 8);
}
