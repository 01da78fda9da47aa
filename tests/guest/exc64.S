/* SPDX-License-Identifier: MIT */
/* Exceptions and interrupts through the guest's own 64-bit IDT: #DE, #GP
 * (non-canonical), #PF (not present, read and write, CR2, error code;
 * write-protect with CR0.WP), INT n through a DPL-3 gate, an IST stack,
 * and a #DF (IST 1) from a #GP whose gate is not present. No exits except
 * the boot stub's EFER pair and the final done. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

#define PD (PT_BASE + 0x2000)

	.code64
/* gate vector, handler, type/attr|IST */
.macro gate vec, handler, attr
	mov $\vec, %edi
	lea \handler(%rip), %rsi
	mov $\attr, %edx
	call set_gate64
.endm

main64:
	call load_idt64
	gate 0, h_de, 0x8e00
	gate 8, h_df, 0x8e01
	gate 13, h_gp, 0x8e00
	gate 14, h_pf, 0x8e00
	gate 0x80, h_int, 0xee00
	gate 0x81, h_ist, 0x8e01

	/* #DE: fault-like, RIP of the DIV pushed. */
	movq $2, skip(%rip)
	xor %ecx, %ecx
de_at:	div %ecx
	ASSERTQ($0, vec(%rip))
	lea de_at(%rip), %rax
	ASSERT_EQ(%rax, frip(%rip))

	/* #GP(0) for a non-canonical address. */
	movq $3, skip(%rip)
	mov $0x8000000000000000, %rax
gp_at:	mov (%rax), %rbx
	ASSERTQ($13, vec(%rip))
	ASSERTQ($0, err(%rip))
	lea gp_at(%rip), %rax
	ASSERT_EQ(%rax, frip(%rip))

	/* #PF on a not-present 2 MiB page: read (error 0), write (2). */
	movq $0, PD + 511 * 8
	mov $0x3fe00123, %rax
	invlpg (%rax)
pf_at:	mov (%rax), %rbx
	ASSERTQ($14, vec(%rip))
	ASSERTQ($0, err(%rip))
	mov $0x3fe00123, %rax
	ASSERT_EQ(%rax, cr2v(%rip))
	lea pf_at(%rip), %rbx
	ASSERT_EQ(%rbx, frip(%rip))
	movq $0, err(%rip)
	mov %rbx, (%rax)
	ASSERTQ($2, err(%rip))

	/* Read-only page, CR0.WP = 1: supervisor write is P|W = 3. */
	mov $(SCRATCH + 0x85), %rax
	mov %rax, PD + 8
	mov $SCRATCH + 0x10, %rax
	invlpg (%rax)
	mov %cr0, %rbx
	bts $16, %rbx
	mov %rbx, %cr0
	mov (%rax), %rbx
	movq $0, vec(%rip)
	mov %rbx, (%rax)
	ASSERTQ($14, vec(%rip))
	ASSERTQ($3, err(%rip))
	movq $(SCRATCH + 0x87), PD + 8
	invlpg (%rax)

	/* INT n through a DPL-3 interrupt gate returns after the INT. */
	movq $0, vec(%rip)
	int $0x80
	ASSERTQ($0x80, vec(%rip))

	/* IST 1: five 8-byte pushes below the 16-aligned IST top. */
	int $0x81
	ASSERTQ($(IST_TOP - 40), istsp(%rip))

	/* #GP whose gate is not present -> #NP -> #DF on IST 1. */
	gate 13, h_gp, 0x0e00
	mov $0x8000000000000000, %rax
	mov (%rax), %rbx
	FAIL
after_df:
	ASSERTQ($8, vec(%rip))
	ASSERTQ($0, err(%rip))
	DONE

/* Handlers record the vector, error code, faulting RIP and CR2, and
 * resume skip bytes after the faulting instruction. */
h_de:	movq $0, vec(%rip)
	jmp resume
h_gp:	movq $13, vec(%rip)
	popq err(%rip)
	jmp resume
h_pf:	movq $14, vec(%rip)
	popq err(%rip)
	push %rax
	mov %cr2, %rax
	mov %rax, cr2v(%rip)
	pop %rax
resume:	push %rax
	mov 8(%rsp), %rax
	mov %rax, frip(%rip)
	add skip(%rip), %rax
	mov %rax, 8(%rsp)
	pop %rax
	iretq
h_int:	movq $0x80, vec(%rip)
	iretq
h_ist:	mov %rsp, istsp(%rip)
	iretq
h_df:	movq $8, vec(%rip)
	popq err(%rip)
	mov %rsp, istsp(%rip)
	mov $STACK_TOP, %rsp
	jmp after_df

	.data
	.p2align 3
vec:	.quad -1
err:	.quad -1
frip:	.quad 0
cr2v:	.quad 0
skip:	.quad 3
istsp:	.quad 0
