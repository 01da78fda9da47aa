/* SPDX-License-Identifier: MIT */
/* Services the software engine needs from the core: the monotonic clock,
 * the guest TSC and a random source. The core provides them in
 * src/core/clock.h (core_clock_ns, core_guest_tsc, core_set_guest_tsc,
 * core_random); the engine itself stays free of Linux-specific calls. */
#ifndef OPENHVF_EMU_HOST_H
#define OPENHVF_EMU_HOST_H

#include "core/clock.h"

#endif
