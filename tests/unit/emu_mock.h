/* SPDX-License-Identifier: MIT */
/* Test-only stand-in for the software engine's MMU, fault delivery and
 * run loop: flat guest memory (linear = physical = segment base +
 * offset, no paging), exceptions recorded and unwound, HLT stops. */
#ifndef OPENHVF_TEST_EMU_MOCK_H
#define OPENHVF_TEST_EMU_MOCK_H

#include "engine/emu/cpu.h"

#define MOCK_MEM_SIZE (4u << 20)

extern uint8_t mock_mem[MOCK_MEM_SIZE];
/* Vector of the last exception raised (-1 if none) and its error code. */
extern int mock_exc;
extern uint32_t mock_exc_err;
/* Last OUT port/value seen by exec_sys_out. */
extern int mock_out_port;
extern uint64_t mock_out_val;
/* Number of emu_decode_write_gpa calls that reached a cached page. */
extern unsigned mock_smc_writes;

/* A 64-bit flat long-mode CPU at rip, stack at rsp. */
void mock_cpu_init(struct emu_cpu *cpu, enum emu_mode mode, uint64_t rip,
		   uint64_t rsp);
/* Execute until HLT, an exception or max_steps; returns steps run. */
unsigned long mock_run(struct emu_cpu *cpu, unsigned long max_steps);
/* The same through emu_run (decoded blocks); about max_steps. */
unsigned long mock_run_blocks(struct emu_cpu *cpu, unsigned long max_steps);

#endif
