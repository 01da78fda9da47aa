/* SPDX-License-Identifier: MIT */
/* Monotonic clock, TSC model and entropy for the engines. */
#include "clock.h"

#include <sys/random.h>
#include <time.h>

#include "caps.h"
#include "vcpu.h"

static uint64_t clock_origin;

__attribute__((constructor)) static void clock_init(void)
{
	clock_origin = core_clock_ns();
}

uint64_t core_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t core_ns_to_tsc(uint64_t ns)
{
	uint64_t d = ns - clock_origin;

	/* CAPS_TSC_HZ is a whole number of GHz: no overflow for 290 years. */
	return d * (CAPS_TSC_HZ / 1000000000ull);
}

uint64_t core_tsc_clock(void)
{
	return core_ns_to_tsc(core_clock_ns());
}

void core_set_tsc_offset(struct vcpu *v, uint64_t offset)
{
	__atomic_store_n(&VMCS(&v->vmcs, VMCS_CTRL_TSC_OFFSET), offset,
			 __ATOMIC_RELAXED);
}

uint64_t core_tsc_offset(struct vcpu *v)
{
	return __atomic_load_n(&VMCS(&v->vmcs, VMCS_CTRL_TSC_OFFSET),
			       __ATOMIC_RELAXED);
}

uint64_t core_guest_tsc(struct vcpu *v)
{
	return core_tsc_clock() + core_tsc_offset(v);
}

void core_set_guest_tsc(struct vcpu *v, uint64_t value)
{
	core_set_tsc_offset(v, value - core_tsc_clock());
}

bool core_random(uint64_t *out)
{
	return getrandom(out, sizeof(*out), GRND_NONBLOCK) == sizeof(*out);
}
