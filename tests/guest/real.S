/* SPDX-License-Identifier: MIT */
/* Real-address mode (unrestricted guest): INT n and #DE through the IVT,
 * IRET, far CALL/RET to another segment. */
#define BOOT_REAL
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code16
main16:
	movw $h_int, 0x21 * 4
	movw $0, 0x21 * 4 + 2
	movw $h_de, 0
	movw $0, 2
	movw $0, flag
	int $0x21
	cmpw $0x21, flag
	je 1f
	FAIL
1:	xor %cx, %cx
	mov $1, %ax
	xor %dx, %dx
	div %cx                         /* F7 F1: #DE, handler skips it */
	cmpw $0, flag
	je 1f
	FAIL
1:	/* Far call into segment 0x0800 (base 0x8000): offset = addr - 0x8000. */
	lcall $0x0800, $(far_fn - 0x8000)
	cmp $0x77, %bx
	je 1f
	FAIL
1:	mov %cs, %ax
	test %ax, %ax
	je 1f
	FAIL
1:	done

far_fn:	mov %cs, %ax
	cmp $0x0800, %ax
	jne 2f
	mov $0x77, %bx
2:	lret

h_int:	movw $0x21, %cs:flag
	iret
h_de:	movw $0, %cs:flag
	push %bp
	mov %sp, %bp
	addw $2, 2(%bp)                 /* skip the 2-byte DIV */
	pop %bp
	iret

flag:	.word 0
