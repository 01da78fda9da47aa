/* SPDX-License-Identifier: MIT */
/* CPUID and port-I/O exits in 32-bit protected mode: the runner checks
 * exit reasons, qualifications and instruction lengths and emulates the
 * instructions (CPUID values, IN data, a REP OUTSB string). */
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code32
main32:
	mov $1, %eax
	xor %ecx, %ecx
	cpuid                           /* 0F A2 */
	ASSERT_EQ($0x12345678, %eax)
	ASSERT_EQ($0x9abcdef0, %ebx)
	in $0x71, %al                   /* E4 71 */
	ASSERT_EQ($0x5a, %al)
	mov $0x1234, %dx
	mov $0xbeef, %ax
	out %ax, %dx                    /* 66 EF */
	mov $str, %esi
	mov $3, %ecx
	mov $0x80, %dx
	rep outsb                       /* F3 6E */
	ASSERT_EQ($0, %ecx)
	ASSERT_EQ($str + 3, %esi)
	DONE
str:	.ascii "abc"
