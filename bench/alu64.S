/* SPDX-License-Identifier: MIT */
/* Benchmark guest: a 64 KiB reset-vector ROM (loaded at 0xF0000 and
 * 0xFFFF0000, as a PC BIOS is) that goes from real mode through protected
 * mode into 64-bit mode with identity paging, runs a fixed CPU-bound
 * ALU/load/store loop of BENCH_ITERS iterations of BENCH_BODY
 * instructions, and reports completion by writing to I/O port 0xF4
 * (QEMU's isa-debug-exit; hvbench ends there too). */

#ifndef BENCH_ITERS
#define BENCH_ITERS 100000000
#endif

	.set	PML4, 0x1000
	.set	PDPT, 0x2000
	.set	PD, 0x3000
	.set	DATA, 0x8000
	.set	ROM, 0xf0000

	.code16
	.text
	.globl	_start
_start:
	cli
	mov	%cs, %ax
	mov	%ax, %ds
	lgdtl	gdt_desc - ROM
	mov	%cr0, %eax
	or	$1, %eax		/* CR0.PE */
	mov	%eax, %cr0
	ljmpl	$0x08, $pm32

	.code32
pm32:
	mov	$0x10, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	/* Identity-map 1 GiB with 2 MiB pages (SDM Vol. 3A, 4.5). */
	mov	$PD, %edi
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$0x83, %eax		/* P | RW | PS */
	mov	%eax, (%edi,%ecx,8)
	movl	$0, 4(%edi,%ecx,8)
	inc	%ecx
	cmp	$512, %ecx
	jne	1b
	movl	$(PDPT | 3), PML4
	movl	$0, PML4 + 4
	movl	$(PD | 3), PDPT
	movl	$0, PDPT + 4
	mov	$PML4, %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$0x20, %eax		/* CR4.PAE */
	mov	%eax, %cr4
	mov	$0xc0000080, %ecx	/* IA32_EFER.LME */
	mov	$0x100, %eax
	xor	%edx, %edx
	wrmsr
	mov	%cr0, %eax
	or	$0x80000000, %eax	/* CR0.PG: IA-32e mode (SDM 10.8.5) */
	mov	%eax, %cr0
	ljmpl	$0x18, $lm64

	.code64
lm64:
	mov	$DATA, %rdi
	mov	$BENCH_ITERS, %rcx
	xor	%eax, %eax
	mov	$0x12345678, %ebx
	xor	%edx, %edx
	.p2align 4
	/* The measured loop: BENCH_BODY = 8 instructions. */
2:	add	%rax, %rbx
	xor	%rbx, %rdx
	mov	%rdx, (%rdi)
	mov	8(%rdi), %rax
	lea	1(%rax,%rbx), %rax
	rol	$7, %rbx
	dec	%rcx
	jnz	2b
	mov	%rbx, 16(%rdi)
	xor	%eax, %eax
	out	%al, $0xf4
3:	hlt
	jmp	3b

	.p2align 3
gdt:
	.quad	0
	.quad	0x00cf9b000000ffff	/* 0x08: 32-bit code */
	.quad	0x00cf93000000ffff	/* 0x10: data */
	.quad	0x00af9b000000ffff	/* 0x18: 64-bit code */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	gdt

	.org	0xfff0
	.code16
reset:
	ljmp	$0xf000, $(_start - ROM)
	/* GNU as pads code alignment with NOPs of the mode in force at the end
	 * of the file: end in 64-bit mode, where the padded loop runs. */
	.code64
	.org	0x10000
