/* SPDX-License-Identifier: MIT */
/* Intel MultiProcessor Specification 1.4 (order 242016-006) tables that
 * tell a guest where its CPUs, the I/O APIC and the ISA interrupts are:
 * the floating pointer structure (section 4.1) and the configuration
 * table (4.2-4.3) with processor, bus, I/O APIC, I/O interrupt and local
 * interrupt entries. IRQ routing is the PC-AT one (chapter 5): ISA IRQ 0
 * (PIT) on I/O APIC pin 2, every other ISA IRQ n on pin n. The system runs
 * in virtual wire mode through the local APIC (no IMCR, 3.6.2.2): the
 * 8259's ExtINT output reaches LINT0 only. No I/O APIC pin is listed as
 * ExtINT, because firmware leaves every pin masked and Linux trusts the
 * redirection entries over the table ("ExtINT not setup in hardware but
 * reported by MP table"). */
#include "devices.h"
#include "le.h"

#include <string.h>

#define LAPIC_ADDR 0xfee00000u
#define IOAPIC_ADDR 0xfec00000u
#define LAPIC_VERSION 0x14
#define IOAPIC_VERSION 0x11

/* Every structure sums to zero modulo 256 (4.1, 4.2). */
static uint8_t checksum(const uint8_t *p, unsigned n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return (uint8_t)-s;
}

/* An I/O (type 3) or local (type 4) interrupt assignment entry (4.3.4,
 * 4.3.5); flags 0 = "conforms to the bus" (ISA: edge, active high). */
static uint8_t *intr_entry(uint8_t *e, uint8_t type, uint8_t itype,
			   uint8_t src_irq, uint8_t dest_id, uint8_t pin)
{
	e[0] = type;
	e[1] = itype;
	put16(e + 2, 0);
	e[4] = 0;        /* source bus: ISA, id 0 */
	e[5] = src_irq;
	e[6] = dest_id;
	e[7] = pin;
	return e + 8;
}

unsigned mptable_build(uint8_t *mem, uint32_t gpa, unsigned ncpus,
		       uint32_t cpu_signature, uint32_t cpu_features)
{
	uint8_t *fp = mem + gpa, *hdr = fp + 16, *e = hdr + 44;
	uint8_t ioapic_id = (uint8_t)ncpus;  /* after the local APIC ids */
	uint16_t count = 0;

	/* Processor entries (4.3.1): CPU 0 is the bootstrap processor. */
	for (unsigned i = 0; i < ncpus; i++, count++, e += 20) {
		memset(e, 0, 20);
		e[0] = 0;
		e[1] = (uint8_t)i;
		e[2] = LAPIC_VERSION;
		e[3] = (uint8_t)(0x01 | (i == 0 ? 0x02 : 0));  /* EN, BP */
		put32(e + 4, cpu_signature);
		put32(e + 8, cpu_features);
	}
	/* Bus entry (4.3.2). */
	e[0] = 1;
	e[1] = 0;
	memcpy(e + 2, "ISA   ", 6);
	e += 8;
	count++;
	/* I/O APIC entry (4.3.3). */
	e[0] = 2;
	e[1] = ioapic_id;
	e[2] = IOAPIC_VERSION;
	e[3] = 0x01;  /* enabled */
	put32(e + 4, IOAPIC_ADDR);
	e += 8;
	count++;
	/* I/O interrupts: the ISA IRQs (5.1, Table 5-1 shows the PIT on
	 * INTIN2). IRQ 2 is the cascade: no entry. */
	for (uint8_t irq = 0; irq < 16; irq++) {
		if (irq == 2)
			continue;
		e = intr_entry(e, 3, 0, irq, ioapic_id, irq == 0 ? 2 : irq);
		count++;
	}
	/* Local interrupts: ExtINT on LINT0, NMI on LINT1 of every CPU. */
	e = intr_entry(e, 4, 3, 0, 0xff, 0);
	e = intr_entry(e, 4, 1, 0, 0xff, 1);
	count += 2;

	/* Configuration table header (4.2, Table 4-2). */
	memcpy(hdr, "PCMP", 4);
	put16(hdr + 4, (uint16_t)(e - hdr));
	hdr[6] = 4;  /* spec revision 1.4 */
	hdr[7] = 0;
	memcpy(hdr + 8, "OPENHVF ", 8);
	memcpy(hdr + 16, "HVRUN       ", 12);
	put32(hdr + 28, 0);
	put16(hdr + 32, 0);
	put16(hdr + 34, count);
	put32(hdr + 36, LAPIC_ADDR);
	put16(hdr + 40, 0);
	hdr[42] = 0;
	hdr[43] = 0;
	hdr[7] = checksum(hdr, (unsigned)(e - hdr));

	/* Floating pointer (4.1, Table 4-1): length in 16-byte units;
	 * feature byte 1 = 0 (a table is present), byte 2 bit 7 (IMCRP)
	 * = 0: virtual wire mode. */
	memset(fp, 0, 16);
	memcpy(fp, "_MP_", 4);
	put32(fp + 4, gpa + 16);
	fp[8] = 1;
	fp[9] = 4;
	fp[10] = checksum(fp, 16);
	return (unsigned)(e - fp);
}
