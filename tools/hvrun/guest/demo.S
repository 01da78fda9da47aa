/* SPDX-License-Identifier: MIT */
/* hvrun's bundled demo guest: a 64 KiB reset-vector ROM (hvrun -bios).
 * From the reset vector it goes real mode -> protected mode -> long
 * mode (SDM Vol. 3A 10.8.5), prints a banner and computed lines on COM1,
 * takes 8254 interrupts through the 8259 and local APIC timer interrupts
 * (MMIO at 0xfee00000), and exits through the debug-exit port 0xf4 with
 * status 0.
 * Build: gcc -c demo.S -o demo.o && ld -Ttext=0 --oformat binary -o demo.bin demo.o */

#define ROM_BASE 0xffff0000   /* where the ROM lives below 4 GiB */
#define COM1 0x3f8
#define PML4 0x1000           /* page tables in RAM: 0x1000-0x6fff */
#define IDT 0x8000
#define STACK 0x80000
#define TICKS 0x9000          /* interrupt counter (RAM) */
#define VENDOR 0x9010         /* CPUID vendor string (RAM) */
#define LAPIC_VER 0x9020
#define LAPIC 0xfee00000

	.text
	.code16
	.globl _start
_start:
rom_start:
	cli
	cld
	/* GDTR with a 32-bit base (operand-size prefix, SDM Vol. 2A LGDT). */
	lgdtl %cs:gdt_desc
	movl %cr0, %eax
	orl $1, %eax              /* PE */
	movl %eax, %cr0
	ljmpl $0x08, $(ROM_BASE + pm32)

	.code32
pm32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $STACK, %esp
	/* Identity-map 4 GiB with 2 MiB pages: PML4 -> PDPT -> 4 PDs. */
	movl $PML4, %edi
	xorl %eax, %eax
	movl $(0x6000 / 4), %ecx
	rep stosl
	movl $(PML4 + 0x1003), PML4
	movl $(PML4 + 0x2003), PML4 + 0x1000
	movl $(PML4 + 0x3003), PML4 + 0x1008
	movl $(PML4 + 0x4003), PML4 + 0x1010
	movl $(PML4 + 0x5003), PML4 + 0x1018
	movl $(PML4 + 0x2000), %edi
	movl $0x83, %eax          /* present, writable, 2 MiB page */
	movl $2048, %ecx
1:	movl %eax, (%edi)
	addl $0x200000, %eax
	addl $8, %edi
	loop 1b
	/* CR4.PAE, CR3, EFER.LME, then CR0.PG activates IA-32e mode. */
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl $PML4, %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000000, %eax
	movl %eax, %cr0
	ljmpl $0x18, $(ROM_BASE + lm64)

	.code64
lm64:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movq $STACK, %rsp
	call uart_init
	leaq banner(%rip), %rsi
	call puts

	/* CPUID vendor string. */
	leaq s_cpu(%rip), %rsi
	call puts
	xorl %eax, %eax
	cpuid
	movl %ebx, VENDOR
	movl %edx, VENDOR + 4
	movl %ecx, VENDOR + 8
	movl $0, VENDOR + 12
	movl $VENDOR, %esi
	call puts
	call newline

	/* Fibonacci numbers 1..20. */
	leaq s_fib(%rip), %rsi
	call puts
	movq $1, %r12
	movq $1, %r13
	movl $20, %r14d
2:	movq %r12, %rax
	call putdec
	call space
	movq %r12, %rax
	addq %r13, %rax
	movq %r13, %r12
	movq %rax, %r13
	decl %r14d
	jnz 2b
	call newline

	/* Primes below 100 by trial division. */
	leaq s_primes(%rip), %rsi
	call puts
	movq $2, %r12
3:	movq $2, %rbx
4:	movq %rbx, %rax
	mulq %rbx
	cmpq %r12, %rax
	ja 5f                     /* divisor^2 > n: prime */
	movq %r12, %rax
	xorl %edx, %edx
	divq %rbx
	testq %rdx, %rdx
	jz 6f                     /* divisible: not prime */
	incq %rbx
	jmp 4b
5:	movq %r12, %rax
	call putdec
	call space
6:	incq %r12
	cmpq $100, %r12
	jb 3b
	call newline

	/* 20! */
	leaq s_fact(%rip), %rsi
	call puts
	movl $1, %eax
	movl $1, %ecx
7:	mulq %rcx
	incq %rcx
	cmpq $20, %rcx
	jbe 7b
	call putdec
	call newline

	/* A million-iteration loop: sum of 1..1000000. */
	leaq s_sum(%rip), %rsi
	call puts
	xorl %eax, %eax
	movl $1000000, %ecx
8:	addq %rcx, %rax
	loop 8b
	call putdec
	call newline

	call pit_test
	call lapic_test

	leaq s_bye(%rip), %rsi
	call puts
	/* Exit status 0 through the debug-exit port. */
	xorl %eax, %eax
	outb %al, $0xf4
9:	cli
	hlt
	jmp 9b

/* ---- interrupts ------------------------------------------------------ */

/* set_gate: vector in %edi, handler (absolute) in %rsi. 64-bit
 * interrupt gate, selector 0x18, DPL 0 (SDM Vol. 3A 7.14.1). */
set_gate:
	shlq $4, %rdi
	addq $IDT, %rdi
	movq %rsi, %rax
	movw %ax, (%rdi)
	movw $0x18, 2(%rdi)
	movw $0x8e00, 4(%rdi)
	shrq $16, %rax
	movw %ax, 6(%rdi)
	shrq $16, %rax
	movl %eax, 8(%rdi)
	movl $0, 12(%rdi)
	ret

load_idt:
	leaq idt_desc(%rip), %rax
	lidt (%rax)
	ret

/* 8254 channel 0 at 1 kHz through 8259 IRQ 0 (vector 0x20). */
pit_test:
	movl $0x20, %edi
	leaq pit_isr(%rip), %rsi
	call set_gate
	call load_idt
	movl $0, TICKS
	/* 8259: ICW1 edge+ICW4, ICW2 base 0x20/0x28, ICW3, ICW4 8086. */
	movb $0x11, %al
	outb %al, $0x20
	outb %al, $0xa0
	movb $0x20, %al
	outb %al, $0x21
	movb $0x28, %al
	outb %al, $0xa1
	movb $0x04, %al
	outb %al, $0x21
	movb $0x02, %al
	outb %al, $0xa1
	movb $0x01, %al
	outb %al, $0x21
	outb %al, $0xa1
	movb $0xfe, %al           /* OCW1: only IRQ 0 */
	outb %al, $0x21
	movb $0xff, %al
	outb %al, $0xa1
	/* 8254: channel 0, LSB/MSB, mode 2, count 1193 (~1 kHz). */
	movb $0x34, %al
	outb %al, $0x43
	movb $(1193 & 0xff), %al
	outb %al, $0x40
	movb $(1193 >> 8), %al
	outb %al, $0x40
	sti
1:	hlt
	cmpl $10, TICKS
	jb 1b
	cli
	movb $0xff, %al           /* mask the 8259 again */
	outb %al, $0x21
	leaq s_pit(%rip), %rsi
	call puts
	movl TICKS, %eax
	call putdec
	call newline
	ret

pit_isr:
	pushq %rax
	incl TICKS
	movb $0x20, %al           /* OCW2: non-specific EOI */
	outb %al, $0x20
	popq %rax
	iretq

/* Local APIC timer, periodic, vector 0x30 (SDM Vol. 3A 11.5.4). */
lapic_test:
	movl $0x30, %edi
	leaq lapic_isr(%rip), %rsi
	call set_gate
	movl $0, TICKS
	movl $LAPIC, %ebx
	movl 0x30(%rbx), %eax     /* version: an MMIO read */
	movl %eax, LAPIC_VER
	movl $0x1ff, 0xf0(%rbx)   /* SVR: enable, spurious 0xff */
	movl $0x3, 0x3e0(%rbx)    /* divide by 16 */
	movl $0x20030, 0x320(%rbx) /* periodic, vector 0x30 */
	movl $1000, 0x380(%rbx)   /* initial count */
	sti
1:	hlt
	cmpl $10, TICKS
	jb 1b
	cli
	orl $0x10000, 0x320(%rbx) /* mask the timer (an MMIO OR) */
	movl $0, 0x380(%rbx)
	leaq s_lapic(%rip), %rsi
	call puts
	movl TICKS, %eax
	call putdec
	leaq s_ver(%rip), %rsi
	call puts
	movl LAPIC_VER, %eax
	andl $0xff, %eax
	call putdec
	call newline
	ret

lapic_isr:
	pushq %rax
	incl TICKS
	movl $LAPIC, %eax
	movl $0, 0xb0(%rax)       /* EOI */
	popq %rax
	iretq

/* ---- COM1 output ------------------------------------------------------ */

uart_init:
	movw $(COM1 + 1), %dx
	xorb %al, %al
	outb %al, %dx             /* IER = 0 */
	movw $(COM1 + 3), %dx
	movb $0x80, %al
	outb %al, %dx             /* DLAB */
	movw $COM1, %dx
	movb $1, %al
	outb %al, %dx             /* 115200 baud */
	movw $(COM1 + 1), %dx
	xorb %al, %al
	outb %al, %dx
	movw $(COM1 + 3), %dx
	movb $3, %al
	outb %al, %dx             /* 8N1 */
	movw $(COM1 + 2), %dx
	movb $0xc7, %al
	outb %al, %dx             /* FIFO on */
	ret

/* putc: %al; waits for THR empty (LSR bit 5). */
putc:
	pushq %rdx
	pushq %rax
	movw $(COM1 + 5), %dx
1:	inb %dx, %al
	testb $0x20, %al
	jz 1b
	popq %rax
	movw $COM1, %dx
	outb %al, %dx
	popq %rdx
	ret

/* puts: NUL-terminated string at %rsi. */
puts:
	lodsb
	testb %al, %al
	jz 1f
	call putc
	jmp puts
1:	ret

space:
	movb $' ', %al
	jmp putc

newline:
	movb $'\r', %al
	call putc
	movb $'\n', %al
	jmp putc

/* putdec: unsigned %rax in decimal. */
putdec:
	pushq %rbx
	pushq %rcx
	pushq %rdx
	movl $10, %ebx
	xorl %ecx, %ecx
1:	xorl %edx, %edx
	divq %rbx
	pushq %rdx
	incl %ecx
	testq %rax, %rax
	jnz 1b
2:	popq %rax
	addb $'0', %al
	call putc
	loop 2b
	popq %rdx
	popq %rcx
	popq %rbx
	ret

/* ---- data ---------------------------------------------------------- */

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff  /* 0x08: 32-bit code */
	.quad 0x00cf93000000ffff  /* 0x10: data */
	.quad 0x00af9b000000ffff  /* 0x18: 64-bit code */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long ROM_BASE + gdt
idt_desc:
	.word 256 * 16 - 1
	.quad IDT

banner:	.asciz "\r\nOpenHVF hvrun demo guest: reset vector -> real -> protected -> long mode\r\n"
s_cpu:	.asciz "cpu vendor: "
s_fib:	.asciz "fibonacci: "
s_primes: .asciz "primes < 100: "
s_fact:	.asciz "20! = "
s_sum:	.asciz "sum 1..1000000 = "
s_pit:	.asciz "8254/8259 timer interrupts: "
s_lapic: .asciz "local APIC timer interrupts: "
s_ver:	.asciz ", APIC version "
s_bye:	.asciz "demo done, exiting with status 0\r\n"

	.code16
	.org 0xfff0
reset_vector:
	/* CS.base = 0xffff0000, IP = 0xfff0 (SDM Vol. 3A 10.1.4). */
	/* Near JMP whose 16-bit displacement wraps within the segment (IP is
	 * 16 bits in real mode); spelled out so every assembler accepts it. */
	.byte	0xe9
	.word	(rom_start - (reset_vector + 3)) & 0xffff
	.org 0x10000
