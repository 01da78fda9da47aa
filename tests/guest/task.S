/* SPDX-License-Identifier: MIT */
/* Task switches exit (reason 9): a far JMP to a TSS selector and an IRET
 * with NT = 1 (source "IRET", selector = the TSS back link). The runner
 * checks the qualification, skips the instruction and clears NT. */
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code32
main32:
	/* An available 32-bit TSS at 0x6100 in GDT slot 0x58 (the loaded TSS
	 * at 0x50 is busy: a JMP to it would be #GP). */
	movl $0x61000067, gdt + 0x58
	movl $0x00008900, gdt + 0x5c
	ljmp $0x58, $0                  /* EA ptr16:32: 7 bytes */
	movw $0x48, TSS_ADDR            /* back link */
	pushf
	orl $0x4000, (%esp)
	popf
	iret
	DONE
