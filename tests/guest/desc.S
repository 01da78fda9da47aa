/* SPDX-License-Identifier: MIT */
/* Descriptor-table instructions and privilege transfers in 32-bit
 * protected mode: SGDT/STR/SLDT, LLDT with an LDT data segment,
 * SMSW/LMSW, LAR/LSL/VERR/VERW, a far CALL from ring 3 through a call gate
 * (stack switch, one parameter copied) with a RET far back to ring 3,
 * and SYSEXIT/SYSENTER (native SYSENTER MSRs). */
#include "lib/guest.inc"
#include "lib/boot.inc"

#define SEL_GATE 0x58
#define SEL_LDT  0x60
#define LDT_ADDR 0x6800

	.code32
main32:
	call load_idt32
	sgdt gdtr
	cmpw $(gdt_end - gdt - 1), gdtr
	je 1f
	FAIL
1:	str %ax
	ASSERT_EQ($SEL_TSS, %ax)

	/* LDT with one data segment (base 0x1000) at LDT_ADDR. */
	movl $0x1000ffff, LDT_ADDR + 8
	movl $0x00cf9200, LDT_ADDR + 12
	movl $(LDT_ADDR << 16) | 0x0f, gdt + SEL_LDT
	movl $0x00008200, gdt + SEL_LDT + 4
	mov $SEL_LDT, %ax
	lldt %ax
	sldt %bx
	ASSERT_EQ($SEL_LDT, %bx)
	movl $0xabcd, 0x1010
	mov $0x0c, %ax                  /* LDT index 1, TI = 1, RPL 0 */
	mov %ax, %fs
	ASSERTL($0xabcd, %fs:0x10)

	/* SMSW/LMSW: LMSW sets MP; it cannot clear PE. */
	smsw %eax
	ASSERT_EQ($0x31, %eax)
	mov $0x2, %ax
	lmsw %ax
	smsw %eax
	ASSERT_EQ($0x33, %eax)

	/* LAR/LSL/VERR/VERW. */
	mov $SEL_CODE32, %ax
	lar %ax, %ebx
	jz 1f
	FAIL
1:	and $0x00f0ff00, %ebx
	ASSERT_EQ($0x00c09b00, %ebx)
	mov $SEL_DATA, %ax
	lsl %ax, %ebx
	ASSERT_EQ($0xffffffff, %ebx)
	mov $SEL_CODE32, %ax
	verr %ax
	jz 1f
	FAIL
1:	verw %ax
	jnz 1f
	FAIL
1:

	/* Call gate (DPL 3, 1 parameter) to gate_fn in ring 0. */
	mov $gate_fn, %eax
	mov %ax, gdt + SEL_GATE
	movw $SEL_CODE32, gdt + SEL_GATE + 2
	movw $0xec01, gdt + SEL_GATE + 4
	shr $16, %eax
	mov %ax, gdt + SEL_GATE + 6
	mov $0x80, %edi                 /* INT 0x80 from ring 3: finish */
	mov $h_fin, %esi
	mov $0xee00, %edx
	call set_gate32
	push $SEL_UDATA | 3
	push $USER_STACK
	push $0x2
	push $SEL_UCODE32 | 3
	push $user
	iret

user:	push $0x5a5a
	lcall $SEL_GATE | 3, $0
	ASSERT_EQ($0x5a5a + 1, %eax)
	mov %cs, %ax
	ASSERT_EQ($SEL_UCODE32 | 3, %ax)
	mov %esp, %ebx
	ASSERT_EQ($USER_STACK, %ebx)    /* RET 4 released the parameter */
	int $0x80

/* Ring 0 through the gate: EIP, CS, param, ESP, SS on the TSS stack. */
gate_fn:
	mov %cs, %ax
	ASSERT_EQ($SEL_CODE32, %ax)
	ASSERTL($SEL_UCODE32 | 3, 4(%esp))
	ASSERTL($USER_STACK - 4, 12(%esp))
	ASSERTL($SEL_UDATA | 3, 16(%esp))
	mov 8(%esp), %eax
	inc %eax
	lret $4

h_fin:	mov $SEL_DATA, %ax
	mov %ax, %ds
	mov %ax, %es
	/* SYSENTER_CS = 0x28 (ring 0 CS 0x28, SS 0x30; ring 3 CS 0x3b, SS
	 * 0x43), ESP, EIP: native MSRs, no exits. */
	mov $0x174, %ecx
	mov $0x28, %eax
	xor %edx, %edx
	wrmsr
	mov $0x175, %ecx
	mov $STACK_TOP - 0x100, %eax
	wrmsr
	mov $0x176, %ecx
	mov $sysenter_fn, %eax
	wrmsr
	mov $user2, %edx
	mov $USER_STACK, %ecx
	sysexit
user2:	mov %cs, %ax
	cmp $0x3b, %ax
	jne 2f
	sysenter
2:	jmp 2b
sysenter_fn:
	mov %cs, %ax
	ASSERT_EQ($0x28, %ax)
	mov %ss, %ax
	ASSERT_EQ($0x30, %ax)
	ASSERT_EQ($STACK_TOP - 0x100, %esp)
	mov $SEL_DATA, %ax
	mov %ax, %ds
	DONE

	.data
gdtr:	.word 0
	.long 0
