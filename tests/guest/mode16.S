/* SPDX-License-Identifier: MIT */
/* 16-bit code: a 16-bit protected-mode code segment entered and left by
 * far jumps, then virtual-8086 mode entered by IRET from CPL 0 (VM = 1,
 * IOPL = 3) and left by INT n through a DPL-3 gate, which switches to the
 * TSS ring-0 stack and pushes the v86 segment registers. */
#include "lib/guest.inc"
#include "lib/boot.inc"

#define V86_SP 0x4000

	.code32
main32:
	/* 16-bit protected mode: CS.D = 0, 16-bit stack. */
	mov $SEL_DATA16, %ax
	mov %ax, %ss
	mov $0x7000, %esp
	ljmp $SEL_CODE16, $pm16
	.code16
pm16:
	mov $0x1234, %ax
	add $0x1111, %ax
	push %ax                        /* 16-bit push: SP -= 2 */
	pop %bx
	call sub16
	cmp $0x2346, %bx
	je 1f
	FAIL
1:	cmp $0x7000, %sp
	je 1f
	FAIL
1:	ljmpl $SEL_CODE32, $back32
sub16:	inc %bx
	ret

	.code32
back32:
	mov $SEL_DATA, %ax
	mov %ax, %ss
	mov $STACK_TOP, %esp
	call load_idt32
	mov $0x42, %edi
	mov $h_v86, %esi
	mov $0xee00, %edx
	call set_gate32

	/* IRET to virtual-8086 mode: GS FS DS ES SS ESP EFLAGS CS EIP. */
	push $0x0300                    /* GS */
	push $0x0200                    /* FS */
	push $0x0100                    /* DS */
	push $0                         /* ES */
	push $0                         /* SS */
	push $V86_SP                    /* ESP */
	push $0x23002                   /* EFLAGS: VM, IOPL 3 */
	push $0                         /* CS */
	push $v86                       /* EIP */
	iret
	.code16
v86:
	mov %ds, %ax
	cmp $0x100, %ax
	jne 2f
	mov $0x1234, %ax
	add $0x1111, %ax
	push %ax
	pop %bx
	mov %cs, %cx
	int $0x42
2:	jmp 2b

	.code32
/* Ring 0 from v86: EIP CS EFLAGS ESP SS ES DS FS GS on the TSS stack, the
 * data segment registers nulled. */
h_v86:
	ASSERT_EQ($0x2345, %bx)
	ASSERT_EQ($0, %cx)
	mov %ds, %ax
	ASSERT_EQ($0, %ax)
	mov $SEL_DATA, %ax
	mov %ax, %ds
	ASSERT_EQ($STACK_TOP - 0x8000 - 36, %esp)
	ASSERTL($v86_int_ret, (%esp))
	testl $0x20000, 8(%esp)
	jnz 1f
	FAIL
1:	ASSERTL($V86_SP, 12(%esp))
	ASSERTL($0x100, 24(%esp))
	ASSERTL($0x300, 32(%esp))
	DONE
	.set v86_int_ret, 2b
