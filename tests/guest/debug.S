/* SPDX-License-Identifier: MIT */
/* Instruction-boundary events and misc system instructions: single-step
 * #DB traps with RFLAGS.TF, an interrupt-window exit after STI's
 * one-instruction shadow (the runner then injects vector 0x30), XSETBV
 * exiting with XGETBV reading the new XCR0, RDRAND. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code64
.macro gate vec, handler, attr
	mov $\vec, %edi
	lea \handler(%rip), %rsi
	mov $\attr, %edx
	call set_gate64
.endm

main64:
	call load_idt64
	gate 1, h_db, 0x8e00
	gate 0x30, h_ext, 0x8e00

	/* Three single-step traps, then the handler clears TF. */
	pushf
	orq $0x100, (%rsp)
	popf
	nop
	nop
	nop
	nop
	ASSERTQ($3, steps(%rip))

	/* Interrupt window: the runner turns it on at this CPUID. */
	cpuid
	sti
	nop                             /* exit 7 after this one */
win_ret:
	ASSERTQ($1, ext(%rip))
	lea win_ret(%rip), %rax
	ASSERT_EQ(%rax, extrip(%rip))
	cli

	/* SSE state: CR4.OSFXSR | OSXSAVE, XCR0 = x87|SSE (XSETBV exits). */
	mov %cr4, %rax
	or $(1 << 9) | (1 << 18), %rax
	mov %rax, %cr4
	xor %ecx, %ecx
	xor %edx, %edx
	mov $3, %eax
	xsetbv
	xor %ecx, %ecx
	xgetbv
	ASSERT_EQ($3, %eax)
	/* RDRAND: CF = 1 with a value from the core's random source. */
	rdrand %rax
	jc 1f
	FAIL
1:
	DONE

h_db:	incq steps(%rip)
	cmpq $3, steps(%rip)
	jb 1f
	andq $~0x100, 16(%rsp)
1:	iretq
h_ext:	incq ext(%rip)
	push %rax
	mov 8(%rsp), %rax
	mov %rax, extrip(%rip)
	pop %rax
	iretq

	.data
	.p2align 6
steps:	.quad 0
ext:	.quad 0
extrip:	.quad 0
