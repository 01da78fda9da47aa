/* SPDX-License-Identifier: MIT */
/* The CPUID model of the software engine (cpuid.def). */
#ifndef OPENHVF_CORE_CPUID_H
#define OPENHVF_CORE_CPUID_H

#include <stdbool.h>
#include <stdint.h>

/* EAX, EBX, ECX, EDX of CPUID(leaf, subleaf) for APIC id 0. */
void cpuid_model(uint32_t leaf, uint32_t subleaf, uint32_t r[4]);

/* True if the model advertises the feature bit (reg 0..3 = EAX..EDX);
 * engines use it to #UD what is not advertised. */
bool cpuid_feature(uint32_t leaf, uint32_t subleaf, unsigned reg,
		   unsigned bit);

#endif
