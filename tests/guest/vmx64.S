/* SPDX-License-Identifier: MIT */
/* VMX non-root probes in 64-bit mode for tests/guest/vmx_test.c: the
 * runner writes a case number at CASE_SEL and sets the controls; the case
 * runs its instructions, each exiting one preceded by "lea 1f(%rip), %r15"
 * so that the runner can check RIP + instruction length against the
 * address after it; then DONE. */
#define BOOT64
#include "lib/guest.inc"
#include "lib/boot.inc"

#define CASE_SEL SCRATCH
#define APIC_PAGE 0x300000

/* Mark the next instruction: %r15 = the address after it. */
#define NEXT lea 1f(%rip), %r15

	.code64
.macro gate vec, handler
	mov $\vec, %edi
	lea \handler(%rip), %rsi
	mov $0x8e00, %edx
	call set_gate64
.endm

main64:
	call load_idt64
	gate 1, h_db
	gate 2, h_nmi
	gate 3, h_bp
	gate 6, h_ud
	gate 13, h_gp
	gate 0x30, h_ext
	gate 0x41, h_soft
	mov $0x42, %edi                 /* vector 0x42: not present */
	lea h_ext(%rip), %rsi
	mov $0x0e00, %edx
	call set_gate64
	mov CASE_SEL, %eax
	lea cases(%rip), %rdx
	jmp *(%rdx,%rax,8)

	.p2align 3
cases:
	.quad t_hlt_exit, t_hlt_idle, t_hlt_window, t_invlpg, t_rdpmc
	.quad t_rdtsc, t_cr3_load, t_cr3_store, t_cr8, t_tpr_shadow
	.quad t_cr0_shadow, t_cr4_shadow, t_mov_dr, t_monitor_mwait, t_pause
	.quad t_ple, t_wbinvd, t_rdrand, t_desc, t_invpcid_ud
	.quad t_invpcid, t_vmx_insns, t_vmcs_shadow, t_mtf, t_nmi_window
	.quad t_apic_access, t_inject, t_idt_vectoring, t_dbg_ctl, t_invd
	.quad t_ins, t_vmx_insns2, t_invvpid, t_tsc, t_msr_cpl3
	.quad t_nmi_iret_fault, t_mtf_tf

t_hlt_exit:
	NEXT
	hlt
1:	DONE

/* HLT without HLT exiting: the vCPU idles until the preemption timer
 * (or a kick) ends the run with activity state HLT. */
t_hlt_idle:
	NEXT
	hlt
1:	DONE

t_hlt_window:
	NEXT
	sti
	hlt
1:	ASSERTQ($0x30, lastvec(%rip))
	cli
	DONE

t_invlpg:
	mov $0x123000, %rax
	NEXT
	invlpg (%rax)
1:	DONE

t_rdpmc:
	xor %ecx, %ecx
	NEXT
	rdpmc
1:	DONE

t_rdtsc:
	NEXT
	rdtsc
1:	NEXT
	rdtscp
1:	DONE

t_cr3_load:
	mov %cr3, %rax
	mov %rax, %cr3                  /* a CR3-target value: no exit */
	lea 0x1000(%rax), %rbx
	NEXT
	mov %rbx, %cr3
1:	DONE

t_cr3_store:
	NEXT
	mov %cr3, %rcx
1:	DONE

t_cr8:
	mov $5, %eax
	NEXT
	mov %rax, %cr8
1:	NEXT
	mov %cr8, %rdx
1:	DONE

t_tpr_shadow:
	mov %cr8, %rax
	ASSERT_EQ($4, %rax)
	mov $2, %ecx
	NEXT
	mov %rcx, %cr8                  /* below threshold 3: trap-like */
1:	mov %cr8, %rax
	ASSERT_EQ($2, %rax)
	DONE

t_cr0_shadow:
	mov %cr0, %rax
	and $0xa, %eax
	ASSERT_EQ($2, %eax)             /* MP from the shadow, TS 0 */
	clts                            /* shadow TS = 0: no exit */
	mov %cr0, %rax
	or $8, %rax
	NEXT
	mov %rax, %cr0
1:	xor %ecx, %ecx
	NEXT
	lmsw %cx                        /* clears shadowed MP: exit */
1:	NEXT
	clts                            /* the runner set shadow TS = 1 */
1:	DONE

t_cr4_shadow:
	mov %cr4, %rax
	test $0x80, %eax                /* PGE from the shadow */
	jnz 2f
	FAIL
2:	and $~0x80, %eax
	NEXT
	mov %rax, %cr4
1:	DONE

t_mov_dr:
	mov $0x400, %eax
	NEXT
	mov %rax, %dr7
1:	NEXT
	mov %dr1, %rbx
1:	DONE

t_monitor_mwait:
	mov $SCRATCH, %rax
	xor %ecx, %ecx
	xor %edx, %edx
	NEXT
	monitor
1:	NEXT
	mwait
1:	DONE

t_pause:
	NEXT
	pause
1:	DONE

t_ple:
	lea 2f(%rip), %rbx
1:	pause
	jmp 1b
2:	DONE

t_wbinvd:
	NEXT
	wbinvd
1:	DONE

t_rdrand:
	NEXT
	rdrand %rax
1:	NEXT
	rdseed %ecx
1:	DONE

t_desc:
	NEXT
	cpuid                           /* the runner turns the control on */
1:	mov $SCRATCH + 0x100, %rax
	NEXT
	sgdt (%rax)
1:	NEXT
	sldt %ax
1:	DONE

t_invpcid_ud:
	movq $5, udskip(%rip)
	mov $SCRATCH + 0x100, %rax
	xor %ebx, %ebx
	invpcid (%rax), %rbx            /* 66 0F 38 82 18: 5 bytes */
	ASSERTQ($6, lastvec(%rip))
	DONE

t_invpcid:
	mov $SCRATCH + 0x100, %rax
	xor %ebx, %ebx
	NEXT
	invpcid 0x10(%rax), %rbx
1:	DONE

t_vmx_insns:
	NEXT
	vmcall
1:	xor %eax, %eax
	NEXT
	vmptrld 8(%rax)
1:	mov $0x681c, %eax
	NEXT
	vmread %rax, %rbx
1:	NEXT
	vmwrite %rbx, %rax
1:	DONE

t_vmx_insns2:
	xor %eax, %eax
	NEXT
	vmclear (%rax)
1:	NEXT
	vmptrst (%rax)
1:	NEXT
	vmxon (%rax)
1:	NEXT
	vmlaunch
1:	NEXT
	vmresume
1:	NEXT
	vmxoff
1:	mov $1, %ebx
	NEXT
	invept 0x20(%rax), %rbx
1:	DONE

t_invvpid:
	xor %eax, %eax
	mov $1, %ebx
	NEXT
	invvpid 0x30(%rax), %rbx
1:	DONE

/* With VMCS shadowing, VMREAD/VMWRITE of VMCS_GUEST_RIP (681E) use the
 * shadow VMCS; VMCS_GUEST_RSP (681C) has no access and exits. */
t_vmcs_shadow:
	mov $0x681e, %eax
	vmread %rax, %rbx
	ASSERT_EQ($0x1234, %rbx)
	mov $0x5678, %ecx
	vmwrite %rcx, %rax
	mov $0x681c, %eax
	NEXT
	vmread %rax, %rbx
1:	DONE

t_mtf:
	NEXT
	cpuid                           /* the runner sets MTF here */
1:	nop                             /* MTF exit after this one */
	nop
	DONE

/* The runner injects an NMI at the CPUID exit with NMI-window exiting:
 * the handler runs blocked, its IRET unblocks, then the window exit. */
t_nmi_window:
	NEXT
	cpuid
1:	lea 3f(%rip), %r15
3:	ASSERTQ($1, nmis(%rip))
	DONE

t_apic_access:
	NEXT
	movl APIC_PAGE + 0x20, %eax
1:	NEXT
	movl $1, APIC_PAGE + 0xb0
1:	movl APIC_PAGE + 0x80, %eax     /* VTPR: virtualized, no exit */
	ASSERT_EQ($0x50, %eax)
	NEXT
	movl $0x10, APIC_PAGE + 0x80    /* below threshold 2: trap-like */
1:	DONE

/* Injection of every event type at successive CPUID exits. */
t_inject:
	sti
	NEXT
	cpuid                           /* external interrupt 0x30 */
1:	ASSERTQ($0x30, lastvec(%rip))
	lea 1b(%rip), %rax
	ASSERT_EQ(%rax, lastrip(%rip))
	NEXT
	cpuid                           /* NMI */
1:	ASSERTQ($1, nmis(%rip))
	NEXT
	cpuid                           /* #GP(0x1234) */
1:	ASSERTQ($13, lastvec(%rip))
	ASSERTQ($0x1234, lasterr(%rip))
	NEXT
	cpuid                           /* INT 0x41, length 2 */
1:	nop
	nop
2:	ASSERTQ($0x41, lastvec(%rip))
	lea 2b(%rip), %rax
	ASSERT_EQ(%rax, lastrip(%rip))
	NEXT
	cpuid                           /* INT1 (type 5), length 1 */
1:	nop
2:	ASSERTQ($1, lastvec(%rip))
	lea 2b(%rip), %rax
	ASSERT_EQ(%rax, lastrip(%rip))
	NEXT
	cpuid                           /* INT3 (type 6), length 1 */
1:	nop
2:	ASSERTQ($3, lastvec(%rip))
	lea 2b(%rip), %rax
	ASSERT_EQ(%rax, lastrip(%rip))
	cli
	DONE

/* Vector 0x42 is not present: its delivery raises #NP, which exits. */
t_idt_vectoring:
	NEXT
	cpuid
1:	NEXT
	cpuid
1:	DONE

t_dbg_ctl:
	mov %dr7, %rax
	mov %rax, SCRATCH + 0x300
	mov $0x403, %eax
	mov %rax, %dr7
	DONE

t_invd:
	NEXT
	invd
1:	DONE

t_ins:
	mov $SCRATCH + 0x200, %rdi
	mov $2, %ecx
	mov $0x60, %edx
	NEXT
	rep insb
1:	DONE

t_tsc:
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, SCRATCH + 0x308
	DONE

/* RDMSR at CPL 3: the privilege #GP comes before the exit decision
 * (SDM Vol. 3C, 26.1.1); the #GP handler ends the case in ring 0. */
t_msr_cpl3:
	movq $STACK_TOP - 0x8000, TSS_ADDR + 4  /* 64-bit RSP0 */
	lea 2f(%rip), %rax
	mov %rax, gp_finish(%rip)
	mov %rsp, %rbx
	push $SEL_UDATA | 3
	push $USER_STACK
	pushf
	push $SEL_UCODE64 | 3
	lea 1f(%rip), %rax
	push %rax
	iretq
1:	mov $0x10, %ecx
	rdmsr                           /* #GP(0), no exit */
	jmp 1b
2:	mov %rbx, %rsp
	mov $SEL_DATA64, %ax
	mov %ax, %ds
	mov %ax, %es
	ASSERTQ($13, lastvec(%rip))
	ASSERTQ($0, lasterr(%rip))
	DONE

/* The NMI handler's IRET pops from a page the EPT lacks: the EPT
 * violation reports "NMI unblocking due to IRET" (qualification bit 12);
 * the runner resumes at %r14 with RSP = %r13. */
t_nmi_iret_fault:
	movq $1, nmi_bad(%rip)
	lea 2f(%rip), %r14
	mov %rsp, %r13
	NEXT
	cpuid                           /* the runner injects an NMI */
1:	FAIL
2:	ASSERTQ($1, nmis(%rip))
	DONE

/* MTF and a single-step trap after the same instruction: the MTF exit
 * comes first and leaves the trap pending (BS); the next entry delivers
 * it. */
t_mtf_tf:
	NEXT
	cpuid                           /* the runner sets MTF and TF */
1:	nop
2:	ASSERTQ($1, lastvec(%rip))
	lea 2b(%rip), %rax
	ASSERT_EQ(%rax, lastrip(%rip))
	DONE

/* Handlers: record the vector, return RIP and error code. */
h_ext:	movq $0x30, lastvec(%rip)
	jmp rec_rip
h_soft:	movq $0x41, lastvec(%rip)
	jmp rec_rip
h_db:	movq $1, lastvec(%rip)
	jmp rec_rip
h_bp:	movq $3, lastvec(%rip)
rec_rip:
	push %rax
	mov 8(%rsp), %rax
	mov %rax, lastrip(%rip)
	pop %rax
	iretq
h_nmi:	incq nmis(%rip)
	cmpq $0, nmi_bad(%rip)
	je 1f
	mov $MMIO_BASE, %rsp
1:	iretq
h_ud:	movq $6, lastvec(%rip)
	push %rax
	mov udskip(%rip), %rax
	add %rax, 8(%rsp)
	pop %rax
	iretq
h_gp:	popq lasterr(%rip)
	movq $13, lastvec(%rip)
	cmpq $0, gp_finish(%rip)
	je 1f
	jmp *gp_finish(%rip)
1:	iretq

	.data
	.p2align 3
lastvec:	.quad 0
lastrip:	.quad 0
lasterr:	.quad 0
nmis:		.quad 0
udskip:		.quad 0
gp_finish:	.quad 0
nmi_bad:	.quad 0
