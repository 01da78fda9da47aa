/* SPDX-License-Identifier: MIT */
/* PAE paging in 32-bit protected mode: PDPTEs loaded at the CR0.PG write,
 * 2 MiB pages, a #PF on a not-present PDE, and the PDPTEs visible in the
 * VMCS at the exit. */
#include "lib/guest.inc"
#include "lib/boot.inc"

#define PDPT 0x300000
#define PD 0x301000

	.code32
main32:
	call load_idt32
	mov $14, %edi
	mov $h_pf, %esi
	mov $0x8e00, %edx
	call set_gate32

	mov $PDPT, %edi
	mov $0x2000 / 4, %ecx
	xor %eax, %eax
	rep stosl
	movl $PD | 1, PDPT
	movl $0x83, PD
	movl $0x200083, PD + 8
	mov %cr4, %eax
	or $0x20, %eax
	mov %eax, %cr4
	mov $PDPT, %eax
	mov %eax, %cr3
	mov %cr0, %eax
	or $0x80000000, %eax
	mov %eax, %cr0

	movl $0x12345678, SCRATCH + 0x100
	ASSERTL($0x12345678, SCRATCH + 0x100)
	mov $1f, %eax
	mov %eax, recover
	mov 0x400010, %eax
	FAIL
1:	ASSERTL($0, err)
	ASSERTL($0x400010, cr2v)
	DONE

h_pf:	popl err
	push %eax
	mov %cr2, %eax
	mov %eax, cr2v
	mov recover, %eax
	mov %eax, 4(%esp)
	pop %eax
	iret

	.data
err:	.long -1
cr2v:	.long 0
recover: .long 0
