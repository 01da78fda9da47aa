/* SPDX-License-Identifier: MIT */
/* Test-only implementation of the mmu.c/fault.c/run.c/sys*.c functions
 * the ISA part of the software engine calls, over a flat buffer. */
#include "emu_mock.h"

#include "engine/emu/exec.h"

#include <string.h>

uint8_t mock_mem[MOCK_MEM_SIZE];
int mock_exc = -1;
uint32_t mock_exc_err;
int mock_out_port = -1;
uint64_t mock_out_val;
unsigned mock_smc_writes;

static uint64_t lin_of(struct emu_cpu *cpu, int seg, uint64_t off)
{
	uint64_t lin = cpu->seg[seg].base + off;

	return cpu->mode == MODE_LONG ? lin : (uint32_t)lin;
}

static void check(struct emu_cpu *cpu, uint64_t lin, unsigned size)
{
	if (lin >= MOCK_MEM_SIZE || MOCK_MEM_SIZE - lin < size)
		emu_raise(cpu, EXC_PF, 0);
}

/* Every write is reported to the decode cache, page by page. */
static void mock_note_write(struct emu_cpu *cpu, uint64_t lin,
			    unsigned size)
{
	unsigned n0 = 0x1000 - (unsigned)(lin & 0xfff);

	if (n0 > size)
		n0 = size;
	if (emu_decode_code_page(cpu, mock_mem + lin) ||
	    emu_decode_code_page(cpu, mock_mem + lin + size - 1))
		mock_smc_writes++;
	emu_decode_write(cpu, mock_mem + lin, n0);
	if (n0 < size)
		emu_decode_write(cpu, mock_mem + lin + n0, size - n0);
}

uint64_t emu_read_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		      bool sys)
{
	uint64_t v = 0;

	(void)sys;
	check(cpu, lin, size);
	memcpy(&v, mock_mem + lin, size);
	return v;
}

void emu_write_lin(struct emu_cpu *cpu, uint64_t lin, unsigned size,
		   uint64_t v, bool sys)
{
	(void)sys;
	check(cpu, lin, size);
	mock_note_write(cpu, lin, size);
	memcpy(mock_mem + lin, &v, size);
}

uint64_t emu_read(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size)
{
	return emu_read_lin(cpu, lin_of(cpu, seg, off), size, false);
}

void emu_write(struct emu_cpu *cpu, int seg, uint64_t off, unsigned size,
	       uint64_t v)
{
	emu_write_lin(cpu, lin_of(cpu, seg, off), size, v, false);
}

void *emu_host_ptr(struct emu_cpu *cpu, int seg, uint64_t off,
		   unsigned size, int acc)
{
	uint64_t lin = lin_of(cpu, seg, off);

	(void)acc;
	check(cpu, lin, size);
	if ((lin ^ (lin + size - 1)) >> 12)
		return NULL;
	if (acc & ACC_WRITE)
		mock_note_write(cpu, lin, size);
	return mock_mem + lin;
}

unsigned emu_fetch(struct emu_cpu *cpu, uint64_t lin, uint8_t *buf,
		   unsigned n)
{
	unsigned in_page = 4096 - (unsigned)(lin & 0xfff);

	struct tlb_entry *t = &cpu->tlb_x[emu_tlb_idx(lin)];

	check(cpu, lin, 1);
	/* The decode cache finds code through the fetch TLB. */
	t->tag = emu_tlb_tag(lin, cpu->cpl == 3);
	t->host = mock_mem + (lin & ~0xfffull);
	if (n > in_page)
		n = in_page;
	if (lin + n > MOCK_MEM_SIZE)
		n = (unsigned)(MOCK_MEM_SIZE - lin);
	memcpy(buf, mock_mem + lin, n);
	return n;
}

void emu_tlb_code_page(struct emu_cpu *cpu, const void *page)
{
	(void)cpu;
	(void)page;
}

void emu_tlb_flush(struct emu_cpu *cpu)
{
	memset(cpu->tlb_x, 0, sizeof(cpu->tlb_x));
}

void emu_tlb_flush_page(struct emu_cpu *cpu, uint64_t lin)
{
	(void)lin;
	emu_tlb_flush(cpu);
}

_Noreturn void emu_raise(struct emu_cpu *cpu, int vec, uint32_t err)
{
	mock_exc = vec;
	mock_exc_err = err;
	cpu->rip = cpu->insn_rip;
	cpu->gpr[4] = cpu->insn_rsp;
	longjmp(cpu->unwind, 1);
}

_Noreturn void emu_soft_int(struct emu_cpu *cpu, int vec, int kind)
{
	(void)kind;
	emu_raise(cpu, vec, 0);
}

void emu_update_mode(struct emu_cpu *cpu) { (void)cpu; }

void emu_load_seg(struct emu_cpu *cpu, int seg, uint16_t sel)
{
	cpu->seg[seg].sel = sel;
	if (cpu->mode == MODE_REAL || cpu->mode == MODE_V86)
		cpu->seg[seg].base = (uint64_t)sel << 4;
}

_Noreturn void emu_vmexit(struct emu_cpu *cpu, uint32_t reason,
			  uint64_t qual)
{
	(void)qual;
	emu_raise(cpu, 100 + (int)reason, 0);
}

void emu_io(struct emu_cpu *cpu, const struct insn *in, uint16_t port,
	    unsigned size, bool in_dir, bool string)
{
	(void)cpu; (void)in; (void)port; (void)size; (void)in_dir;
	(void)string;
}

__attribute__((weak)) void emu_pause(struct emu_cpu *cpu) { (void)cpu; }

void mock_cpu_init(struct emu_cpu *cpu, enum emu_mode mode, uint64_t rip,
		   uint64_t rsp)
{
	void *dc = cpu->decode_cache, *cm = cpu->codemap;

	memset(cpu, 0, sizeof(*cpu));
	cpu->decode_cache = dc;
	cpu->codemap = cm;
	emu_decode_reset(cpu);
	cpu->mode = mode;
	cpu->code_size = mode == MODE_LONG ? 8 :
			 (mode == MODE_PROT32 || mode == MODE_COMPAT) ? 4 : 2;
	for (int s = 0; s < 6; s++) {
		cpu->seg[s].limit = mode == MODE_REAL ? 0xffff : 0xffffffff;
		cpu->seg[s].ar = 0x93 | (cpu->code_size == 4 ? 1u << 14 : 0);
	}
	cpu->seg[SEG_CS].ar = 0x9b | (mode == MODE_LONG ? 1u << 13 : 0) |
			      (cpu->code_size == 4 ? 1u << 14 : 0);
	cpu->rip = rip;
	cpu->gpr[4] = rsp;
	cpu->rflags = 2;
	cpu->cr0 = mode == MODE_REAL ? 0x10 : 0x80000011;
	cpu->efer = mode == MODE_LONG ? 0x500 : 0;
}

unsigned long mock_run(struct emu_cpu *cpu, unsigned long max_steps)
{
	volatile unsigned long n = 0;

	mock_exc = -1;
	cpu->halted = false;
	/* Like a VM entry: the test may have rewritten guest memory. */
	emu_decode_enter(cpu);
	if (setjmp(cpu->unwind))
		return n;
	while (!cpu->halted && n < max_steps) {
		emu_step(cpu);
		n++;
	}
	return n;
}

unsigned long mock_run_blocks(struct emu_cpu *cpu, unsigned long max_steps)
{
	volatile unsigned long n = 0;

	mock_exc = -1;
	cpu->halted = false;
	/* Like a VM entry: the test may have rewritten guest memory. */
	emu_decode_enter(cpu);
	if (setjmp(cpu->unwind))
		return n;
	while (!cpu->halted && n < max_steps)
		n += emu_run(cpu, 1024);
	return n;
}

/* ---- system handlers: the few the tests need, the rest #UD ----
 * Weak, so that a test that links a real implementation gets it. The
 * x87/SSE/AVX handlers are not stubbed: tests take them from libhvf.a
 * (sse.c, fpu*.c), which need nothing beyond this mock. */
#define MOCK __attribute__((weak))

MOCK EXEC(exec_sys_hlt)
{
	(void)in;
	cpu->halted = true;
}

MOCK EXEC(exec_sys_out)
{
	mock_out_port = in->op >= 0xee ? (int)(cpu->gpr[2] & 0xffff)
				       : (int)in->imm;
	mock_out_val = cpu->gpr[0] & emu_mask(in->opsize > 4 ? 4 : in->opsize);
	if (mock_out_port == 0xe9)
		cpu->halted = true;
}

MOCK EXEC(exec_sys_pushf)
{
	emu_push(cpu, in->opsize, emu_get_rflags(cpu) & 0xfcffff);
}

MOCK EXEC(exec_sys_popf)
{
	uint64_t v = emu_pop(cpu, in->opsize);
	uint64_t keep = emu_get_rflags(cpu) & ~(uint64_t)0x244dd5;

	emu_set_rflags(cpu, keep | (v & 0x244dd5));
}

#define MOCK_UD(name) \
	MOCK EXEC(name) { (void)in; emu_raise(cpu, EXC_UD, 0); }
MOCK_UD(exec_sys_cpuid) MOCK_UD(exec_sys_in) MOCK_UD(exec_sys_int)
MOCK_UD(exec_sys_int3) MOCK_UD(exec_sys_into) MOCK_UD(exec_sys_int1)
MOCK_UD(exec_sys_iret) MOCK_UD(exec_sys_jmp_far) MOCK_UD(exec_sys_call_far)
MOCK_UD(exec_sys_ret_far) MOCK_UD(exec_sys_mov_to_sreg)
MOCK_UD(exec_sys_mov_from_sreg) MOCK_UD(exec_sys_lxs)
MOCK_UD(exec_sys_grp6) MOCK_UD(exec_sys_grp7) MOCK_UD(exec_sys_mov_cr)
MOCK_UD(exec_sys_mov_dr) MOCK_UD(exec_sys_clts) MOCK_UD(exec_sys_rdmsr)
MOCK_UD(exec_sys_wrmsr) MOCK_UD(exec_sys_rdtsc) MOCK_UD(exec_sys_rdpmc)
MOCK_UD(exec_sys_cli) MOCK_UD(exec_sys_sti) MOCK_UD(exec_sys_syscall)
MOCK_UD(exec_sys_sysret) MOCK_UD(exec_sys_sysenter)
MOCK_UD(exec_sys_sysexit) MOCK_UD(exec_sys_invd) MOCK_UD(exec_sys_wbinvd)
MOCK_UD(exec_sys_lar) MOCK_UD(exec_sys_lsl) MOCK_UD(exec_sys_arpl)
MOCK_UD(exec_sys_rdrand) MOCK_UD(exec_sys_rdseed) MOCK_UD(exec_sys_rdpid)
MOCK_UD(exec_sys_vmx) MOCK_UD(exec_sys_invpcid) MOCK_UD(exec_sys_getsec)
MOCK_UD(exec_sys_rsm) MOCK_UD(exec_sys_ud)
