/* SPDX-License-Identifier: MIT */
/* SYSCALL/SYSRET round trips between 64-bit ring 0 and ring 3. The runner
 * makes STAR, LSTAR, FMASK, GS_BASE and KERNEL_GS_BASE native (no exits
 * for them; SWAPGS is checked through them); EFER (SCE) is written
 * through an exit. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code64
main64:
	mov $0xc0000080, %ecx           /* EFER.SCE: exits */
	rdmsr
	or $1, %eax
	wrmsr
	mov $0xc0000081, %ecx           /* STAR: user base 0x38, kernel 0x18 */
	xor %eax, %eax
	mov $(SEL_UCODE32 << 16) | SEL_CODE64, %edx
	wrmsr
	mov $0xc0000082, %ecx           /* LSTAR */
	lea entry(%rip), %rax
	mov %rax, %rdx
	shr $32, %rdx
	wrmsr
	mov $0xc0000084, %ecx           /* FMASK: clear IF and DF */
	mov $0x600, %eax
	xor %edx, %edx
	wrmsr
	mov $0xc0000082, %ecx           /* native read back */
	rdmsr
	lea entry(%rip), %rbx
	ASSERT_EQ(%ebx, %eax)

	/* SWAPGS exchanges GS.base and IA32_KERNEL_GS_BASE (both native). */
	mov $0xc0000102, %ecx
	mov $0x1234000, %eax
	xor %edx, %edx
	wrmsr
	swapgs
	mov $0xc0000101, %ecx
	rdmsr
	ASSERT_EQ($0x1234000, %eax)
	swapgs

	lea user(%rip), %rcx
	mov $0x202, %r11
	sysretq

user:	mov %cs, %ax
	cmp $SEL_UCODE64 | 3, %ax
	jne 1f
	mov %ss, %ax
	cmp $SEL_UDATA | 3, %ax
	jne 1f
	mov $42, %eax
	syscall
ret1:	cmp $43, %eax
	jne 1f
	xor %eax, %eax
	syscall
1:	jmp 1b

entry:	mov %cs, %bx
	ASSERT_EQ($SEL_CODE64, %bx)
	mov %ss, %bx
	ASSERT_EQ($SEL_DATA64, %bx)
	pushf
	pop %rbx
	test $0x200, %ebx
	jz 1f
	FAIL
1:	test $0x200, %r11d
	jnz 1f
	FAIL
1:	test %eax, %eax
	jz finish
	lea ret1(%rip), %rbx
	ASSERT_EQ(%rbx, %rcx)
	inc %eax
	sysretq
finish:	DONE
