/* SPDX-License-Identifier: MIT */
/* Floating-point and vector benchmark guest: the reset-vector ROM of
 * alu64.S (real -> protected -> 64-bit mode with identity paging), which
 * then enables SSE and AVX (CR4.OSFXSR/OSXMMEXCPT/OSXSAVE, XCR0 =
 * x87|SSE|AVX through XSETBV) and runs BENCH_ITERS iterations of a loop of
 * 8 instructions mixing packed and scalar SSE2 with 256-bit AVX, before
 * writing to I/O port 0xF4. The values converge (x = x * 0.5 + 1), so no
 * NaN, infinity or denormal slows either engine down. */

#ifndef BENCH_ITERS
#define BENCH_ITERS 100000000
#endif

#include "boot.inc"

	.code64
lm64:
	/* CR0: MP, no EM/TS; CR4: OSFXSR | OSXMMEXCPT | OSXSAVE
	 * (SDM Vol. 3A, 14.3 and Vol. 1, 13.3). */
	mov	%cr0, %rax
	and	$~0xc, %eax
	or	$0x2, %eax
	mov	%rax, %cr0
	mov	%cr4, %rax
	or	$0x40600, %eax
	mov	%rax, %cr4
	xor	%ecx, %ecx
	mov	$7, %eax
	xor	%edx, %edx
	xsetbv
	movapd	half(%rip), %xmm1
	movapd	one(%rip), %xmm2
	movapd	one(%rip), %xmm0
	vmovapd	half4(%rip), %ymm4
	vmovapd	one4(%rip), %ymm5
	vmovapd	one4(%rip), %ymm3
	movsd	two(%rip), %xmm6
	mov	$BENCH_ITERS, %rcx
	.p2align 4
	/* The measured loop: BENCH_BODY = 8 instructions. */
2:	mulpd	%xmm1, %xmm0
	addpd	%xmm2, %xmm0
	vmulpd	%ymm4, %ymm3, %ymm3
	vaddpd	%ymm5, %ymm3, %ymm3
	sqrtsd	%xmm6, %xmm7
	cvtsi2sd %rcx, %xmm8
	dec	%rcx
	jnz	2b
	movapd	%xmm0, DATA
	xor	%eax, %eax
	out	%al, $0xf4
3:	hlt
	jmp	3b

	.p2align 5
half4:	.double	0.5, 0.5, 0.5, 0.5
one4:	.double	1.0, 1.0, 1.0, 1.0
half:	.double	0.5, 0.5
one:	.double	1.0, 1.0
two:	.double	2.0, 2.0

#include "rom_end.inc"
