/* SPDX-License-Identifier: MIT */
/* The CPUID the guest sees (exit reason 10; SDM Vol. 2A, CPUID). Base:
 * the library's CPU model (hv_openhvf_cpuid, when <Hypervisor/
 * hv_openhvf.h> offers it) or else the host CPUID masked down to an
 * x86-64 baseline. On top, the VMM states what it emulates itself: the
 * APIC id of each vCPU, the local APIC with TSC-deadline timer, MTRRs,
 * the hypervisor bit and leaves, the topology (every vCPU a core of one
 * package, one thread per core), and the TSC and crystal (= LAPIC timer)
 * clocks in leaves 15H/16H. */
#include "hvrun.h"

#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__has_include)
#if __has_include(<Hypervisor/hv_openhvf.h>)
#include <Hypervisor/hv_openhvf.h>
#endif
#endif

#define MAX_BASIC 0x16u
#define MAX_EXT 0x80000008u
#define HV_LEAF 0x40000000u

/* Leaf 1 EDX / ECX bits (SDM Vol. 2A, Tables 3-10 and 3-11). */
#define EDX_FPU (1u << 0)
#define EDX_VME (1u << 1)
#define EDX_DE (1u << 2)
#define EDX_PSE (1u << 3)
#define EDX_TSC (1u << 4)
#define EDX_MSR (1u << 5)
#define EDX_PAE (1u << 6)
#define EDX_MCE (1u << 7)
#define EDX_CX8 (1u << 8)
#define EDX_APIC (1u << 9)
#define EDX_SEP (1u << 11)
#define EDX_MTRR (1u << 12)
#define EDX_PGE (1u << 13)
#define EDX_MCA (1u << 14)
#define EDX_CMOV (1u << 15)
#define EDX_PAT (1u << 16)
#define EDX_PSE36 (1u << 17)
#define EDX_CLFSH (1u << 19)
#define EDX_DS (1u << 21)
#define EDX_ACPI (1u << 22)
#define EDX_MMX (1u << 23)
#define EDX_FXSR (1u << 24)
#define EDX_SSE (1u << 25)
#define EDX_SSE2 (1u << 26)
#define EDX_HTT (1u << 28)
#define EDX_TM (1u << 29)
#define EDX_PBE (1u << 31)
#define ECX_MONITOR (1u << 3)
#define ECX_VMX (1u << 5)
#define ECX_SMX (1u << 6)
#define ECX_EST (1u << 7)
#define ECX_TM2 (1u << 8)
#define ECX_CX16 (1u << 13)
#define ECX_PDCM (1u << 15)
#define ECX_X2APIC (1u << 21)
#define ECX_TSC_DEADLINE (1u << 24)
#define ECX_XSAVE (1u << 26)
#define ECX_OSXSAVE (1u << 27)
#define ECX_HYPERVISOR (1u << 31)

/* The baseline when there is no CPU model: what every x86-64 CPU has. */
#define BASE_EDX (EDX_FPU | EDX_DE | EDX_PSE | EDX_TSC | EDX_MSR | EDX_PAE | \
		  EDX_CX8 | EDX_SEP | EDX_PGE | EDX_CMOV | EDX_PAT | EDX_PSE36 | \
		  EDX_CLFSH | EDX_MMX | EDX_FXSR | EDX_SSE | EDX_SSE2)
#define EXT_EDX_BASE ((1u << 11) | (1u << 20) | (1u << 29)) /* SYSCALL NX LM */

static void put_str(uint32_t *r, const char *s)
{
	memcpy(r, s, 16);
}

static void host_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(r[0]));
#if defined(__x86_64__) || defined(__i386__)
	__cpuid_count(leaf, sub, r[0], r[1], r[2], r[3]);
#endif
}

/* No CPU model from the library: host CPUID, masked to the baseline. */
static void fallback_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	static const char brand[49] = "hvrun virtual x86-64 CPU";
	uint32_t h[4];

	(void)sub;
	memset(r, 0, 4 * sizeof(r[0]));
	switch (leaf) {
	case 0:
		r[0] = MAX_BASIC;
		memcpy(&r[1], "Genu", 4);
		memcpy(&r[3], "ineI", 4);
		memcpy(&r[2], "ntel", 4);
		break;
	case 1:
		host_cpuid(1, 0, h);
		r[0] = 0x000306a9;  /* family 6, model 0x3a, stepping 9 */
		r[1] = 8u << 8;     /* CLFLUSH line 64 bytes */
		r[2] = h[2] & ECX_CX16;
		r[3] = h[3] & BASE_EDX;
		break;
	case 0x80000000:
		r[0] = MAX_EXT;
		break;
	case 0x80000001:
		host_cpuid(0x80000001, 0, h);
		r[2] = h[2] & 1u;  /* LAHF/SAHF in 64-bit mode */
		r[3] = h[3] & EXT_EDX_BASE;
		break;
	case 0x80000002:
	case 0x80000003:
	case 0x80000004:
		put_str(r, brand + 16 * (leaf - 0x80000002));
		break;
	case 0x80000008:
		r[0] = 39 | (48 << 8);
		break;
	}
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Bits of the APIC id that number the cores: the package holds every
 * vCPU, so ceil(log2(ncpus)) (SDM Vol. 3A, 10.9.1). */
static unsigned core_bits(void)
{
	unsigned b = 0;

	while ((1u << b) < vm.ncpus)
		b++;
	return b;
}

/* Leaf 0BH, extended topology (SDM Vol. 2A, CPUID, Table 3-8 leaf 0BH):
 * level 0 is SMT (one thread per core, shift 0), level 1 the cores of
 * the package; EDX is the x2APIC id at every level. */
static void topology_leaf(const struct vcpu *v, uint32_t sub, uint32_t r[4])
{
	memset(r, 0, 4 * sizeof(r[0]));
	r[2] = sub & 0xff;
	r[3] = v->index;
	if (sub == 0) {
		r[1] = 1;
		r[2] |= 1u << 8;   /* SMT */
	} else if (sub == 1) {
		r[0] = core_bits();
		r[1] = vm.ncpus;
		r[2] |= 2u << 8;   /* core */
	}
}

static void base_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
#ifdef HV_OPENHVF_H
	if (hv_openhvf_cpuid(leaf, sub, r) == HV_SUCCESS)
		return;
#endif
	fallback_cpuid(leaf, sub, r);
}

void cpu_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	uint32_t max_basic;
	uint32_t g, crystal = (uint32_t)LAPIC_BUS_HZ;

	base_cpuid(0, 0, r);
	max_basic = r[0];
	if ((leaf >= HV_LEAF && leaf < 0x80000000u) ||
	    (leaf > max_basic && leaf <= MAX_BASIC))
		memset(r, 0, 4 * sizeof(r[0]));  /* leaves the VMM defines */
	else
		base_cpuid(leaf, sub, r);
	switch (leaf) {
	case 0:
		if (r[0] < MAX_BASIC)
			r[0] = MAX_BASIC;
		break;
	case 1:
		/* APIC id = vCPU index; EBX[23:16] counts the addressable
		 * ids of the package, valid when HTT is set. */
		r[1] = (r[1] & 0xffff) | (1u << (16 + core_bits())) |
		       ((uint32_t)v->index << 24);
		r[2] &= ~(ECX_MONITOR | ECX_VMX | ECX_SMX | ECX_EST | ECX_TM2 |
			  ECX_PDCM | ECX_X2APIC | ECX_OSXSAVE);
		r[2] |= ECX_HYPERVISOR | ECX_TSC_DEADLINE;
		/* OSXSAVE mirrors the guest's CR4.OSXSAVE (bit 18). */
		if ((r[2] & ECX_XSAVE) &&
		    (vmcs_get(v, VMCS_CTRL_CR4_SHADOW) & (1u << 18)))
			r[2] |= ECX_OSXSAVE;
		r[3] &= ~(EDX_DS | EDX_ACPI | EDX_HTT | EDX_TM | EDX_PBE |
			  EDX_APIC);
		/* Machine-check exception and architecture (msr.c: no
		 * banks), MTRRs (msr.c). */
		r[3] |= EDX_MCE | EDX_MCA | EDX_MTRR |
			(vm.ncpus > 1 ? EDX_HTT : 0);
		if (v->apic_base & (1u << 11))
			r[3] |= EDX_APIC;
		break;
	case 4:
		/* Cache topology: EAX[31:26] = addressable core ids - 1;
		 * the L1 and L2 caches belong to one core, the L3 cache is
		 * shared by the package (EAX[25:14] = ids sharing - 1). */
		r[0] &= 0x3fff;
		if (r[0] & 0x1f) {
			r[0] |= ((1u << core_bits()) - 1) << 26;
			if (((r[0] >> 5) & 7) == 3)
				r[0] |= ((1u << core_bits()) - 1) << 14;
		}
		break;
	case 6:
		/* Only ARAT: the LAPIC timer runs in every C-state. */
		memset(r, 0, 4 * sizeof(r[0]));
		r[0] = 1u << 2;
		break;
	case 7:
		/* No TSC_ADJUST (EBX 1); no speculation-control MSRs,
		 * ARCH_CAPABILITIES or core capabilities (EDX). */
		r[1] &= ~(1u << 1);
		r[3] = 0;
		break;
	case 0xd:
		/* Subleaf 0 EBX: XSAVE area size for the current XCR0
		 * (legacy 512 + header 64, AVX state 256 at offset 576);
		 * subleaf 1 EBX: the compacted size for XCR0 | IA32_XSS
		 * (XSS is 0 here), the same with AVX right after the header
		 * (SDM Vol. 1, 13.4.3). */
		if ((sub == 0 && (r[0] & 4)) || (sub == 1 && r[1]))
			r[1] = (reg_get(v, HV_X86_XCR0) & 4) ? 832 : 576;
		break;
	case 0xa: /* no architectural PMU */
		memset(r, 0, 4 * sizeof(r[0]));
		break;
	case 0xb:
		topology_leaf(v, sub, r);
		break;
	case 0x15:
		/* TSC = crystal * EBX / EAX; the crystal clocks the LAPIC
		 * timer (Linux uses this to skip PIT calibration). */
		g = gcd((uint32_t)(vm.tsc_hz % 0xffffffffu), crystal);
		r[0] = crystal / g;
		r[1] = (uint32_t)(vm.tsc_hz / g);
		r[2] = crystal;
		r[3] = 0;
		break;
	case 0x16:
		r[0] = r[1] = (uint32_t)(vm.tsc_hz / 1000000);
		r[2] = crystal / 1000000;
		r[3] = 0;
		break;
	case HV_LEAF:
		r[0] = HV_LEAF + 1;
		memcpy(&r[1], "Open", 4);
		memcpy(&r[2], "HVFh", 4);
		memcpy(&r[3], "vrun", 4);
		break;
	case HV_LEAF + 1:
		memset(r, 0, 4 * sizeof(r[0]));
		break;
	case 0x80000007:
		r[3] |= 1u << 8;  /* invariant TSC: it runs at a fixed rate */
		break;
	}
}

int exit_cpuid(struct vcpu *v, const struct exit_info *e)
{
	uint32_t leaf = (uint32_t)reg_get(v, HV_X86_RAX);
	uint32_t sub = (uint32_t)reg_get(v, HV_X86_RCX);
	uint32_t r[4];

	cpu_cpuid(v, leaf, sub, r);
	reg_set(v, HV_X86_RAX, r[0]);
	reg_set(v, HV_X86_RBX, r[1]);
	reg_set(v, HV_X86_RCX, r[2]);
	reg_set(v, HV_X86_RDX, r[3]);
	cpu_skip(v, e->len);
	return 0;
}
