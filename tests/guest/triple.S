/* SPDX-License-Identifier: MIT */
/* Triple fault: with an empty IDT, INT3 faults (#GP), the #GP's delivery
 * faults again (#DF), and the #DF's delivery faults: shutdown, which is a
 * VM exit with reason 2. */
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code32
main32:
	lidt empty_idt
	int3
	FAIL
empty_idt:
	.word 0
	.long 0
