/* SPDX-License-Identifier: MIT */
/* The exception bitmap and VM-entry event injection: INT3 and #PF are
 * intercepted (exit reason 0) and the runner re-injects them; CPUID exits
 * and the runner injects an external interrupt on the way back in. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

#define PD (PT_BASE + 0x2000)

	.code64
.macro gate vec, handler, attr
	mov $\vec, %edi
	lea \handler(%rip), %rsi
	mov $\attr, %edx
	call set_gate64
.endm

main64:
	call load_idt64
	gate 3, h_bp, 0x8e00
	gate 14, h_pf, 0x8e00
	gate 0x30, h_ext, 0x8e00

	int3                            /* exit 0, re-injected with length 1 */
bp_ret:	lea bp_ret(%rip), %rax
	ASSERT_EQ(%rax, retrip(%rip))

	movq $0, PD + 511 * 8
	mov $0x3fe00008, %rax
	invlpg (%rax)
	movl $1, (%rax)                 /* C7 00 imm32: 6 bytes; exit 0 */
	ASSERTQ($2, err(%rip))
	mov $0x3fe00008, %rax
	ASSERT_EQ(%rax, cr2v(%rip))

	sti
	cpuid                           /* exit; runner injects vector 0x30 */
ext_ret:
	lea ext_ret(%rip), %rax
	ASSERT_EQ(%rax, retrip(%rip))
	ASSERTQ($0x30, vec(%rip))
	DONE

h_bp:	push %rax
	mov 8(%rsp), %rax
	mov %rax, retrip(%rip)
	pop %rax
	iretq
h_pf:	popq err(%rip)
	push %rax
	mov %cr2, %rax
	mov %rax, cr2v(%rip)
	addq $6, 8(%rsp)
	pop %rax
	iretq
h_ext:	movq $0x30, vec(%rip)
	push %rax
	mov 8(%rsp), %rax
	mov %rax, retrip(%rip)
	pop %rax
	iretq

	.data
	.p2align 3
vec:	.quad 0
err:	.quad 0
cr2v:	.quad 0
retrip:	.quad 0
