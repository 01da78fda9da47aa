/* SPDX-License-Identifier: MIT */
/* Real -> protected -> IA-32e mode with identity paging (lib/boot.inc),
 * then a long computation in 64-bit mode checked against closed forms and
 * a self-modifying call.
 * Expect: RDMSR and WRMSR exits for EFER, console "long mode ok", done. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

	.code64
main64:
	/* We are in 64-bit mode: CS.L, EFER.LMA, CR0.PG, CR4.PAE. */
	mov %cr0, %rax
	bt $31, %rax
	jc 1f
	FAIL
1:	mov %cr4, %rax
	bt $5, %rax
	jc 1f
	FAIL
1:
	/* sum of i*i for i = 1 .. 1000000 = n(n+1)(2n+1)/6 */
	xor %rbx, %rbx
	mov $1, %rcx
2:	mov %rcx, %rax
	imul %rcx, %rax
	add %rax, %rbx
	inc %rcx
	cmp $1000000, %rcx
	jbe 2b
	mov $333333833333500000, %rax
	ASSERT_EQ(%rax, %rbx)

	/* Fill 512 KiB above 2 MiB with 3*i, then sum it back. */
	mov $SCRATCH, %rdi
	xor %rcx, %rcx
3:	lea (%rcx,%rcx,2), %rax
	mov %rax, (%rdi,%rcx,8)
	inc %rcx
	cmp $65536, %rcx
	jb 3b
	xor %rbx, %rbx
	xor %rcx, %rcx
4:	add (%rdi,%rcx,8), %rbx
	inc %rcx
	cmp $65536, %rcx
	jb 4b
	mov $3 * 65535 * 65536 / 2, %rax
	ASSERT_EQ(%rax, %rbx)
	/* Self-modifying code: the second call must see the new immediate. */
	call patchme
	ASSERT_EQ($1, %eax)
	movl $2, patchme + 1(%rip)
	call patchme
	ASSERT_EQ($2, %eax)
	puts msg
	DONE
patchme:
	mov $1, %eax
	ret
msg:	.asciz "long mode ok\n"
