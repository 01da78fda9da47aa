/* SPDX-License-Identifier: MIT */
/* Instruction sequences run through emu_step over the mock MMU: decoder
 * corner cases (prefix rules, modes, limits, #UD), control flow, stack,
 * strings, self-modifying code and legacy-mode-only instructions. The
 * guest code is assembled by the host toolchain into .rodata. */
#include "emu_mock.h"
#include "engine/emu/exec.h"
#include "test.h"

#include <string.h>
#include <time.h>

#define CODE 0x1000u
#define STACK 0x80000u
#define DATA 0x100000u

/* GUEST(name, "asm"): bytes name_s..name_e assembled in the given mode. */
#define GUEST(name, mode, text)                                            \
	__asm__(".pushsection .rodata\n" mode "\n"                          \
		".globl " #name "_s\n" #name "_s:\n" text "\n"              \
		".globl " #name "_e\n" #name "_e:\n.code64\n.popsection\n"); \
	extern const uint8_t name##_s[], name##_e[]

static struct emu_cpu cpu;

static void load(const uint8_t *s, const uint8_t *e, uint64_t at)
{
	memcpy(mock_mem + at, s, (size_t)(e - s));
}

static void run64(const uint8_t *s, const uint8_t *e)
{
	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(s, e, CODE);
	mock_run(&cpu, 1000000);
}

GUEST(g_loop, ".code64",
      "mov $1000, %ecx\n xor %eax, %eax\n"
      "1: add %rcx, %rax\n dec %ecx\n jnz 1b\n hlt");

TEST(isa_loop_sum)
{
	run64(g_loop_s, g_loop_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(500500, cpu.gpr[0]);
	EXPECT_EQ(0, cpu.gpr[1]);
	EXPECT_TRUE(cpu.halted);
}

GUEST(g_call, ".code64",
      "mov $7, %edi\n call 1f\n mov %rax, %rbx\n hlt\n"
      "1: lea 1(%rdi,%rdi,2), %eax\n push %rax\n pop %rdx\n ret");

TEST(isa_call_ret_lea)
{
	run64(g_call_s, g_call_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(22, cpu.gpr[3]);
	EXPECT_EQ(22, cpu.gpr[2]);
	EXPECT_EQ(STACK, cpu.gpr[4]);
}

GUEST(g_rep, ".code64",
      "lea src(%rip), %rsi\n mov $0x100000, %edi\n mov $11, %ecx\n"
      "cld\n rep movsb\n"
      "mov $0x100000, %edi\n mov $'o', %al\n mov $11, %ecx\n repne scasb\n"
      "hlt\n src: .ascii \"hello world\"");

TEST(isa_rep_movs_scas)
{
	run64(g_rep_s, g_rep_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0, memcmp(mock_mem + DATA, "hello world", 11));
	EXPECT_EQ(DATA + 5, cpu.gpr[7]);
	EXPECT_EQ(6, cpu.gpr[1]);
}

GUEST(g_repbig, ".code64",
      "mov $0x100000, %edi\n mov $10000, %ecx\n mov $0xab, %al\n"
      "rep stosb\n hlt");

/* A long REP runs in chunks: RIP stays at the instruction in between. */
TEST(isa_rep_restartable)
{
	unsigned long n;

	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(g_repbig_s, g_repbig_e, CODE);
	n = mock_run(&cpu, 4);
	EXPECT_EQ(4, n);
	EXPECT_EQ(CODE + 12, cpu.rip);
	EXPECT_TRUE(cpu.gpr[1] > 0 && cpu.gpr[1] < 10000);
	mock_run(&cpu, 100);
	EXPECT_EQ(0, cpu.gpr[1]);
	EXPECT_EQ(0xab, mock_mem[DATA + 9999]);
	EXPECT_TRUE(cpu.halted);
}

GUEST(g_smc, ".code64",
      "mov $2, %ecx\n"
      "1: lea 2f(%rip), %rdx\n movb $0x42, 1(%rdx)\n"
      "2: mov $1, %al\n dec %ecx\n jnz 1b\n hlt");

/* The first pass decodes "mov $1, %al"; the store rewrites its
 * immediate, and the second pass must see the new byte. */
TEST(isa_self_modifying)
{
	run64(g_smc_s, g_smc_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x42, cpu.gpr[0] & 0xff);
	EXPECT_TRUE(mock_smc_writes > 0);
}

GUEST(g_push_es, ".code64", ".byte 0x06");
GUEST(g_lock_mov, ".code64", ".byte 0xf0, 0x89, 0x03");
GUEST(g_lock_reg, ".code64", ".byte 0xf0, 0x01, 0xc0");
GUEST(g_long, ".code64",
      ".byte 0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66,0x66\n"
      "add $0x12345678, %rax");
GUEST(g_ud2, ".code64", "ud2");
GUEST(g_aaa64, ".code64", ".byte 0x37");

TEST(isa_decode_faults)
{
	run64(g_push_es_s, g_push_es_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	EXPECT_EQ(CODE, cpu.rip);
	run64(g_lock_mov_s, g_lock_mov_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_lock_reg_s, g_lock_reg_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_long_s, g_long_e);
	EXPECT_EQ(EXC_GP, mock_exc);
	run64(g_ud2_s, g_ud2_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_aaa64_s, g_aaa64_e);
	EXPECT_EQ(EXC_UD, mock_exc);
}

GUEST(g_prefix, ".code64",
      /* last segment override wins; REX before a legacy prefix is void */
      "mov $0x100000, %ebx\n movq $0x1122334455667788, %rax\n"
      "mov %rax, (%rbx)\n"
      ".byte 0x48, 0x66, 0x8b, 0x0b\n"   /* REX.W ignored: mov (%rbx),%cx */
      ".byte 0x66, 0x48, 0x8b, 0x13\n"   /* REX.W wins: mov (%rbx),%rdx */
      "hlt");

TEST(isa_prefix_rules)
{
	run64(g_prefix_s, g_prefix_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x7788, cpu.gpr[1] & 0xffffffff);
	EXPECT_EQ(0x1122334455667788ull, cpu.gpr[2]);
}

GUEST(g_div0, ".code64", "xor %ecx, %ecx\n mov $5, %eax\n div %ecx\n hlt");
GUEST(g_idivovf, ".code64",
      "mov $0x80000000, %eax\n cdq\n mov $-1, %ecx\n idiv %ecx\n hlt");
GUEST(g_cx16, ".code64", "mov $0x100008, %edi\n cmpxchg16b (%rdi)\n hlt");

TEST(isa_arith_faults)
{
	run64(g_div0_s, g_div0_e);
	EXPECT_EQ(EXC_DE, mock_exc);
	EXPECT_EQ(CODE + 7, cpu.rip);
	run64(g_idivovf_s, g_idivovf_e);
	EXPECT_EQ(EXC_DE, mock_exc);
	run64(g_cx16_s, g_cx16_e);
	EXPECT_EQ(EXC_GP, mock_exc);
}

GUEST(g_stack, ".code64",
      "mov $0x1234, %eax\n push %rax\n pushw $0x55\n popw %bx\n pop %rcx\n"
      "enter $16, $0\n mov %rbp, %rdx\n leave\n"
      "push %rsp\n pop %rsi\n"
      "hlt");

TEST(isa_stack)
{
	run64(g_stack_s, g_stack_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x55, cpu.gpr[3] & 0xffff);
	EXPECT_EQ(0x1234, cpu.gpr[1]);
	EXPECT_EQ(STACK - 8, cpu.gpr[2]);
	EXPECT_EQ(STACK, cpu.gpr[4]);
	EXPECT_EQ(STACK, cpu.gpr[6]);
}

GUEST(g_bmi, ".code64",
      "mov $0xff00, %eax\n mov $0x0f0f, %ecx\n andn %eax, %ecx, %edx\n"
      "mov $0x0804, %esi\n bextr %esi, %eax, %edi\n"
      "mov $12, %r8d\n blsr %r8d, %r9d\n"
      "mov $3, %edx\n mov $5, %r10d\n mulx %r10d, %r11d, %r12d\n"
      "hlt");

TEST(isa_bmi_vex)
{
	run64(g_bmi_s, g_bmi_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(15, cpu.gpr[11]);  /* low half */
	EXPECT_EQ(0, cpu.gpr[12]);   /* high half */
	EXPECT_EQ(0xf0, cpu.gpr[7]);
	EXPECT_EQ(8, cpu.gpr[9]);
}

/* ---- legacy modes ---- */

GUEST(g_bcd, ".code32",
      "mov $0x15, %al\n add $0x27, %al\n daa\n mov %eax, %ebx\n"
      "mov $0x0009, %ax\n add $0x05, %al\n aaa\n mov %eax, %ecx\n"
      "mov $75, %al\n aam\n mov %eax, %edx\n aad\n"
      "push %es\n pop %esi\n pusha\n popa\n"
      "hlt");

TEST(isa_bcd_32bit)
{
	mock_cpu_init(&cpu, MODE_PROT32, CODE, STACK);
	load(g_bcd_s, g_bcd_e, CODE);
	mock_run(&cpu, 1000);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x42, cpu.gpr[3] & 0xff);
	EXPECT_EQ(0x0104, cpu.gpr[1] & 0xffff);
	EXPECT_EQ(0x0705, cpu.gpr[2] & 0xffff);
	EXPECT_EQ(75, cpu.gpr[0] & 0xffff);
	EXPECT_EQ(STACK, cpu.gpr[4]);
}

GUEST(g_real, ".code16",
      "mov $0x2000, %bx\n movw $0x1234, (%bx)\n mov $2, %si\n"
      "mov -2(%bx,%si), %ax\n inc %ax\n"
      "mov $3, %cx\n 1: add %ax, %dx\n loop 1b\n"
      "hlt");

TEST(isa_real_mode_16bit_addressing)
{
	mock_cpu_init(&cpu, MODE_REAL, CODE, 0x8000);
	load(g_real_s, g_real_e, CODE);
	mock_run(&cpu, 1000);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x1235, cpu.gpr[0] & 0xffff);
	EXPECT_EQ(3 * 0x1235, cpu.gpr[2] & 0xffff);
}

GUEST(g_vex32, ".code32", "les (%eax), %ecx\n hlt");

/* C4 with ModRM.mod != 11b outside 64-bit mode is LES, not VEX. */
TEST(isa_les_vs_vex_32bit)
{
	mock_cpu_init(&cpu, MODE_PROT32, CODE, STACK);
	load(g_vex32_s, g_vex32_e, CODE);
	mock_run(&cpu, 10);
	EXPECT_EQ(EXC_UD, mock_exc);  /* the mock's exec_sys_lxs */
	EXPECT_EQ(CODE, cpu.rip);
}

GUEST(g_arpl, ".code32", "arpl %cx, %ax\n hlt");

/* 63 /r outside 64-bit mode is ARPL Ew,Gw with a ModRM byte (SDM Vol. 2A,
 * ARPL): two bytes, not one. */
TEST(isa_arpl_has_modrm)
{
	struct insn in;

	mock_cpu_init(&cpu, MODE_PROT32, CODE, STACK);
	load(g_arpl_s, g_arpl_e, CODE);
	emu_decode(&cpu, &in);
	EXPECT_EQ(2, in.len);
	EXPECT_EQ(1, in.has_modrm);
}

GUEST(g_hot, ".code64",
      "mov $2000000, %ecx\n xor %eax, %eax\n mov $0x100000, %ebx\n"
      "1: add %rcx, %rax\n xor $0x55, %eax\n mov %rax, (%rbx)\n"
      "cmp $7, %rax\n adc 8(%rbx), %rdx\n dec %rcx\n jnz 1b\n hlt");

/* Throughput of a hot 64-bit ALU/load/store/branch loop (reported, not
 * asserted: the number depends on the host). */
TEST(isa_speed_hot_loop)
{
	struct timespec t0, t1;
	unsigned long n;
	double s;

	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(g_hot_s, g_hot_e, CODE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = mock_run_blocks(&cpu, 100000000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("# hot loop: %lu instructions in %.3f s = %.1f M/s\n", n, s,
	       n / s / 1e6);
	EXPECT_TRUE(cpu.halted);
	EXPECT_EQ(0, cpu.gpr[1]);
}

GUEST(g_hotreg, ".code64",
      "mov $2000000, %ecx\n xor %eax, %eax\n xor %edx, %edx\n"
      "1: add %rcx, %rax\n xor %rax, %rdx\n sub $3, %rdx\n"
      "cmp %rdx, %rax\n dec %rcx\n jnz 1b\n hlt");

/* The same without memory operands: the decoder/handler cost alone. */
TEST(isa_speed_register_loop)
{
	struct timespec t0, t1;
	unsigned long n;
	double s;

	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(g_hotreg_s, g_hotreg_e, CODE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	n = mock_run_blocks(&cpu, 100000000);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
	printf("# register loop: %lu instructions in %.3f s = %.1f M/s\n", n,
	       s, n / s / 1e6);
	EXPECT_TRUE(cpu.halted);
}

GUEST(g_ud_lock_xchg, ".code64", ".byte 0xf0, 0x87, 0xc8");   /* reg form */
GUEST(g_ud_lock_inc, ".code64", ".byte 0xf0, 0xff, 0xc0");
GUEST(g_ud_lock_cmp, ".code64", ".byte 0xf0, 0x39, 0x03");    /* CMP m */
GUEST(g_ud_vexl, ".code64", ".byte 0xc4, 0xe2, 0x74, 0xf2, 0xc2"); /* ANDN L=1 */
GUEST(g_ud_lea_reg, ".code64", ".byte 0x8d, 0xc0");
GUEST(g_ud_cx8_reg, ".code64", ".byte 0x0f, 0xc7, 0xc8");
GUEST(g_ok_lock_add, ".code64",
      "mov $0x100000, %ebx\n movl $5, (%rbx)\n lock addl $3, (%rbx)\n"
      "mov $7, %eax\n lock xchg %eax, (%rbx)\n mov (%rbx), %ecx\n hlt");

/* LOCK only on read-modify-write forms with a memory destination (SDM
 * Vol. 2A, LOCK); VEX.L must be 0 for BMI; memory-only forms with a
 * register operand are #UD. */
TEST(isa_lock_and_form_faults)
{
	run64(g_ud_lock_xchg_s, g_ud_lock_xchg_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ud_lock_inc_s, g_ud_lock_inc_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ud_lock_cmp_s, g_ud_lock_cmp_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ud_vexl_s, g_ud_vexl_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ud_lea_reg_s, g_ud_lea_reg_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ud_cx8_reg_s, g_ud_cx8_reg_e);
	EXPECT_EQ(EXC_UD, mock_exc);
	run64(g_ok_lock_add_s, g_ok_lock_add_e);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(8, cpu.gpr[0]);
	EXPECT_EQ(7, cpu.gpr[1]);
}

GUEST(g_smc_block, ".code64",
      "lea 1f(%rip), %rdx\n movb $0x42, 1(%rdx)\n"
      "1: mov $1, %al\n hlt");

/* Through decoded blocks: the store rewrites an instruction later in the
 * same block, which must run with its new bytes. */
TEST(isa_self_modifying_block)
{
	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(g_smc_block_s, g_smc_block_e, CODE);
	mock_run_blocks(&cpu, 100);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x42, cpu.gpr[0] & 0xff);
}

GUEST(g_cross, ".code64",
      "movabs $0x1122334455667788, %rax\n add $1, %rax\n hlt");

/* An instruction that straddles a page boundary is fetched in two parts
 * (emu_fetch never crosses a page). */
TEST(isa_page_crossing_instruction)
{
	uint64_t at = 0x2000 - 4;

	mock_cpu_init(&cpu, MODE_LONG, at, STACK);
	load(g_cross_s, g_cross_e, at);
	mock_run(&cpu, 10);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0x1122334455667789ull, cpu.gpr[0]);
	mock_cpu_init(&cpu, MODE_LONG, at, STACK);
	mock_run_blocks(&cpu, 10);
	EXPECT_EQ(0x1122334455667789ull, cpu.gpr[0]);
}

GUEST(g_real_str, ".code16",
      "mov $0x3000, %si\n mov $0x3100, %di\n mov $5, %cx\n"
      "movl $0x64636261, (%si)\n movb $0x65, 4(%si)\n"
      "cld\n rep movsb\n"
      "mov $0x3100, %di\n mov $0x63, %al\n mov $5, %cx\n repne scasb\n"
      "hlt");

/* REP with 16-bit addressing: CX/SI/DI, ES:DI destination. */
TEST(isa_real_mode_rep_strings)
{
	mock_cpu_init(&cpu, MODE_REAL, CODE, 0x8000);
	load(g_real_str_s, g_real_str_e, CODE);
	mock_run(&cpu, 1000);
	EXPECT_EQ(-1, mock_exc);
	EXPECT_EQ(0, memcmp(mock_mem + 0x3100, "abcde", 5));
	EXPECT_EQ(2, cpu.gpr[1] & 0xffff);
	EXPECT_EQ(0x3103, cpu.gpr[7] & 0xffff);
}

GUEST(g_cr3, ".code64", "mov $1, %eax\n hlt");
GUEST(g_cr3b, ".code64", "mov $2, %eax\n hlt");

/* A new CR3 or mode starts a new decode context: the same linear address
 * decodes afresh. */
TEST(isa_decode_context_change)
{
	mock_cpu_init(&cpu, MODE_LONG, CODE, STACK);
	load(g_cr3_s, g_cr3_e, CODE);
	mock_run(&cpu, 10);
	EXPECT_EQ(1, cpu.gpr[0]);
	load(g_cr3b_s, g_cr3b_e, CODE);   /* host-side write: no SMC hook */
	cpu.rip = CODE;
	cpu.cr3 = 0x5000;
	mock_run(&cpu, 10);
	EXPECT_EQ(2, cpu.gpr[0]);
}

GUEST(g_aam0, ".code32", "mov $9, %al\n aam $0\n hlt");

TEST(isa_aam_zero_divides)
{
	mock_cpu_init(&cpu, MODE_PROT32, CODE, STACK);
	load(g_aam0_s, g_aam0_e, CODE);
	mock_run(&cpu, 10);
	EXPECT_EQ(EXC_DE, mock_exc);
	EXPECT_EQ(CODE + 2, cpu.rip);
}
