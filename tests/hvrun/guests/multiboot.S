/* SPDX-License-Identifier: MIT */
/* A multiboot (v1) kernel for tests/hvrun/loaders.sh, built two ways:
 * as a 32-bit ELF, and with -DKLUDGE as a flat image whose header
 * carries the a.out-kludge load addresses (Multiboot Specification
 * 0.6.96, 3.1.1-3.1.3). At the entry it checks the machine state of 3.2
 * (EAX magic, EBX info, flat 32-bit protected mode without paging) and
 * the boot information of 3.3 (flags, mem_lower, the command line, the
 * memory map), prints the command line on COM1 and exits through the
 * debug-exit port: 0 when every check passed, else the failed check's
 * number. */
#define MB_MAGIC 0x1badb002
#ifdef KLUDGE
#define MB_FLAGS 0x00010002   /* a.out kludge, memory information */
#else
#define MB_FLAGS 0x00000002
#endif
#define COM1 0x3f8
#define EXIT_PORT 0xf4

	.code32
	.text
	.globl _start
_start:
	jmp entry
	.p2align 2
mb_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)
#ifdef KLUDGE
	.long mb_header            /* header_addr */
	.long _start               /* load_addr */
	.long data_end             /* load_end_addr */
	.long bss_end              /* bss_end_addr */
	.long entry                /* entry_addr */
#endif

entry:
	movl $stack_top, %esp      /* 3.2: ESP is undefined */
	movl $1, %edi
	cmpl $0x2badb002, %eax     /* 3.2: EAX holds the boot magic */
	jne fail
	incl %edi
	movl %cr0, %ecx            /* PE on, PG off */
	andl $0x80000001, %ecx
	cmpl $1, %ecx
	jne fail
	incl %edi
	movl (%ebx), %ecx          /* flags: mem_* (0), cmdline (2), mmap (6) */
	andl $0x45, %ecx
	cmpl $0x45, %ecx
	jne fail
	incl %edi
	cmpl $639, 4(%ebx)         /* mem_lower in KiB */
	jne fail
	incl %edi
	cmpl $0, 8(%ebx)           /* mem_upper: RAM above 1 MiB */
	je fail
	incl %edi
	cmpl $20, 44(%ebx)         /* mmap_length: at least one entry */
	jb fail
	movl 48(%ebx), %esi        /* first entry: size 20, base 0, type 1 */
	cmpl $20, (%esi)
	jne fail
	cmpl $0, 4(%esi)
	jne fail
	cmpl $1, 20(%esi)
	jne fail
	incl %edi
	movl bss_word, %ecx        /* the loader zeroed the bss */
	testl %ecx, %ecx
	jnz fail
	movl $msg, %esi
	call puts
	movl 16(%ebx), %esi        /* the command line */
	call puts
	movl $nl, %esi
	call puts
	xorl %edi, %edi
fail:
	movl %edi, %eax
	movw $EXIT_PORT, %dx
	outb %al, %dx
	hlt
	jmp fail

/* Prints the NUL-terminated string at ESI on COM1. */
puts:
	movw $COM1, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	ret

msg:	.asciz "multiboot: cmdline="
nl:	.asciz "\n"
	.p2align 2
data_end:
	.bss
bss_word:
	.long 0
	.space 252
stack_top:
bss_end:
