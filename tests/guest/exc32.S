/* SPDX-License-Identifier: MIT */
/* 32-bit protected mode with the guest's own IDT: #DE, #GP with a selector
 * error code, #PF under 32-bit paging with 4 MiB pages (CR2, error code),
 * INT n, and a ring-3 round trip: IRET to CPL 3 (data segments nulled)
 * and an interrupt back through a DPL-3 gate with the TSS stack switch. */
#include "lib/guest.inc"
#include "lib/boot.inc"

#define PD32 SCRATCH

	.code32
.macro gate vec, handler, attr
	mov $\vec, %edi
	mov $\handler, %esi
	mov $\attr, %edx
	call set_gate32
.endm

main32:
	call load_idt32
	gate 0, h_de, 0x8e00
	gate 13, h_gp, 0x8e00
	gate 14, h_pf, 0x8e00
	gate 0x40, h_int, 0x8e00
	gate 0x41, h_user, 0xee00

	movl $2, skip
	xor %ecx, %ecx
de_at:	div %ecx
	ASSERTL($0, vec)
	ASSERTL($de_at, frip)

	movl $2, skip
	mov $0x1234, %ax
	mov %ax, %ds                    /* 8E D8 */
	ASSERTL($13, vec)
	ASSERTL($0x1234, err)          /* TI = 1: an LDT selector */

	/* 32-bit paging, CR4.PSE: 0-4 MiB present, 4-8 MiB not. */
	movl $0x87, PD32
	movl $0, PD32 + 4
	mov %cr4, %eax
	or $0x10, %eax
	mov %eax, %cr4
	mov $PD32, %eax
	mov %eax, %cr3
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0
	movl $10, skip
pf_at:	movl $1, 0x400100               /* C7 05 disp32 imm32: 10 bytes */
	ASSERTL($14, vec)
	ASSERTL($2, err)
	ASSERTL($0x400100, cr2v)
	ASSERTL($pf_at, frip)

	movl $0, vec
	int $0x40
	ASSERTL($0x40, vec)

	/* To ring 3 and back. */
	push $SEL_UDATA | 3
	push $USER_STACK
	push $0x2
	push $SEL_UCODE32 | 3
	push $user
	iret
user:	mov %ds, %ax
	test %ax, %ax                   /* nulled by the return to CPL 3 */
	jnz 1f
	mov $SEL_UDATA | 3, %ax
	mov %ax, %ds
	int $0x41
1:	jmp 1b
after_user:
	ASSERTL($SEL_UCODE32 | 3, ucs)
	ASSERTL($USER_STACK, uesp)
	ASSERTL($STACK_TOP - 0x8000 - 20, kesp)
	DONE

h_de:	movl $0, vec
	jmp resume
h_gp:	movl $13, vec
	popl err
	jmp resume
h_pf:	movl $14, vec
	popl err
	push %eax
	mov %cr2, %eax
	mov %eax, cr2v
	pop %eax
resume:	push %eax
	mov 4(%esp), %eax
	mov %eax, frip
	add skip, %eax
	mov %eax, 4(%esp)
	pop %eax
	iret
h_int:	movl $0x40, vec
	iret
h_user:	mov %esp, kesp
	mov 4(%esp), %eax
	mov %eax, ucs
	mov 12(%esp), %eax
	mov %eax, uesp
	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	mov $STACK_TOP, %esp
	jmp after_user

	.data
	.p2align 2
vec:	.long -1
err:	.long -1
frip:	.long 0
cr2v:	.long 0
skip:	.long 0
ucs:	.long 0
uesp:	.long 0
kesp:	.long 0
