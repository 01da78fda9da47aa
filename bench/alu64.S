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

#include "boot.inc"

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
