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

#include "rom_end.inc"
