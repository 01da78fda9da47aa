/* SPDX-License-Identifier: MIT */
/* 4-level paging details: 4 KiB pages, accessed/dirty bits written by the
 * walker, not-present and NX faults (error code I/D), SMEP and SMAP (with
 * STAC), a 1 GiB page, and INVLPG picking up a changed PTE. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

#define PD (PT_BASE + 0x2000)
#define PDPT (PT_BASE + 0x1000)
#define PT 0x300000
#define PAGE(i) (SCRATCH + (i) * 0x1000)
#define PTE(i) (PT + (i) * 8)

	.code64
main64:
	call load_idt64
	mov $14, %edi
	lea h_pf(%rip), %rsi
	mov $0x8e00, %edx
	call set_gate64

	/* EFER.NXE (RDMSR/WRMSR exits). */
	mov $0xc0000080, %ecx
	rdmsr
	or $0x800, %eax
	wrmsr

	/* 4 KiB identity pages for 2-4 MiB through one page table. */
	mov $PT, %rdi
	mov $SCRATCH | 7, %rax
	mov $512, %ecx
1:	mov %rax, (%rdi)
	add $0x1000, %rax
	add $8, %rdi
	loop 1b
	movq $PT | 7, PD + 8
	movq $0x83, PD                  /* 0-2 MiB supervisor-only (SMEP/SMAP) */
	mov %cr3, %rax
	mov %rax, %cr3

	/* Accessed on read, dirty on write. */
	mov PAGE(0x13), %rax
	ASSERTQ($(PAGE(0x13) | 0x27), PTE(0x13))
	movq $1, PAGE(0x13)
	ASSERTQ($(PAGE(0x13) | 0x67), PTE(0x13))

	/* Not present: read, error 0. */
	movq $0, PTE(0x12)
	invlpg PAGE(0x12)
	lea 1f(%rip), %rax
	mov %rax, recover(%rip)
	mov PAGE(0x12), %rax
	FAIL
1:	ASSERTQ($0, err(%rip))
	ASSERTQ($PAGE(0x12), cr2v(%rip))

	/* NX: a fetch is P | I/D = 0x11. */
	movb $0xc3, PAGE(0x10)
	mov $PAGE(0x10) | 7, %rax
	bts $63, %rax
	mov %rax, PTE(0x10)
	invlpg PAGE(0x10)
	lea 1f(%rip), %rax
	mov %rax, recover(%rip)
	mov $PAGE(0x10), %rax
	call *%rax
	FAIL
1:	ASSERTQ($0x11, err(%rip))
	ASSERTQ($PAGE(0x10), cr2v(%rip))

	/* SMEP: supervisor fetch from a user page. */
	movb $0xc3, PAGE(0x14)
	mov $PAGE(0x14), %rax
	call *%rax                      /* allowed without SMEP */
	mov %cr4, %rbx
	bts $20, %rbx
	mov %rbx, %cr4
	lea 1f(%rip), %rcx
	mov %rcx, recover(%rip)
	call *%rax
	FAIL
1:	ASSERTQ($0x11, err(%rip))
	btr $20, %rbx
	mov %rbx, %cr4

	/* SMAP: supervisor read of a user page faults unless RFLAGS.AC. */
	bts $21, %rbx
	mov %rbx, %cr4
	lea 1f(%rip), %rcx
	mov %rcx, recover(%rip)
	mov PAGE(0x15), %rax
	FAIL
1:	ASSERTQ($0x1, err(%rip))
	stac
	mov PAGE(0x15), %rax
	clac
	btr $21, %rbx
	mov %rbx, %cr4

	/* A 1 GiB page: linear 1 GiB + x -> physical x. */
	movq $0x87, PDPT + 8
	mov $0x40000000 + LOAD_ADDR, %rax
	invlpg (%rax)
	movzbl (%rax), %eax
	ASSERT_EQ($0xfa, %eax)          /* the CLI at _start */

	/* INVLPG makes a changed PTE visible. */
	movq $0x1111, PAGE(0x16)
	movq $0x2222, PAGE(0x17)
	mov PAGE(0x16), %rax
	movq $PAGE(0x17) | 7, PTE(0x16)
	invlpg PAGE(0x16)
	mov PAGE(0x16), %rax
	ASSERT_EQ($0x2222, %rax)
	DONE

h_pf:	popq err(%rip)
	push %rax
	mov %cr2, %rax
	mov %rax, cr2v(%rip)
	mov recover(%rip), %rax
	mov %rax, 8(%rsp)
	pop %rax
	iretq

	.data
	.p2align 3
err:	.quad -1
cr2v:	.quad 0
recover: .quad 0
