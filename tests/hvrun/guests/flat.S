/* SPDX-License-Identifier: MIT */
/* A flat real-mode image for tests/hvrun/loaders.sh: hvrun -flat
 * FILE@0x1000 -entry 0x1010 starts it at 0x1010 in real mode (CS:IP
 * 0x0000:0x1010 or an equivalent split), and -rom ROM@0xd0000 puts a
 * NUL-terminated string at 0xd0000 that it prints on COM1 before it
 * exits through the debug-exit port with status 0. The first 16 bytes
 * are HLT instructions: a start at the image's first byte would halt
 * with interrupts off and end only on hvrun's -timeout. */
#define COM1 0x3f8
#define EXIT_PORT 0xf4

	.code16
	.text
	.globl _start
_start:
	.fill 16, 1, 0xf4
entry:
	cli
	movw $0xd000, %ax
	movw %ax, %ds
	xorw %si, %si
	movw $COM1, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	movb $'\n', %al
	outb %al, %dx
	xorb %al, %al
	movw $EXIT_PORT, %dx
	outb %al, %dx
	hlt
