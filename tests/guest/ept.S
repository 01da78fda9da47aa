/* SPDX-License-Identifier: MIT */
/* EPT violations: a load and a store to unmapped MMIO (the runner checks
 * qualification, guest-physical and guest-linear address, emulates the
 * access and skips the instruction), then a store to a page mapped
 * read-only, which the runner makes writable and re-enters so that the
 * store restarts and completes. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code64
main64:
	mov $MMIO_BASE + 0x10, %rbx
	mov $0x11223344, %ecx
	mov (%rbx), %eax                /* 8B 03: exit, runner loads 0xfeedbeef */
	ASSERT_EQ($0xfeedbeef, %eax)
	mov %ecx, 4(%rbx)               /* 89 4B 04: exit, runner stores */
	mov $RO_PAGE + 0x20, %rbx
	mov (%rbx), %eax                /* readable: no exit */
	movl $0x55, (%rbx)              /* exit; runner unprotects; restarts */
	ASSERTL($0x55, (%rbx))
	DONE
