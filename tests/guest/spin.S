/* SPDX-License-Identifier: MIT */
/* A real-mode guest that spins forever: only hv_vcpu_interrupt from
 * another thread gets it out (exit reason 1). */
#define BOOT_REAL
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code16
main16:
1:	jmp 1b
