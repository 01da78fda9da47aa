/* SPDX-License-Identifier: MIT */
/* The software engine's ops table and run loop: VM entry (state load,
 * event injection), the instruction loop with kick/deadline/map polling,
 * VM exits (exit information, state write-back) and the I/O exit. */
#include <Hypervisor/hv_types.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/caps.h"
#include "engine/engine.h"
#include "sys.h"

/* Instructions between polls of the kick flag, the deadline and the map
 * generation: small enough that hv_vcpu_interrupt takes effect well within
 * a millisecond, large enough that polling costs nothing measurable. */
#define POLL_INTERVAL 1024u

/* ------------------------------------------------------------------ */
/* VM exits                                                            */

_Noreturn void emu_vmexit(struct emu_cpu *cpu, uint32_t reason, uint64_t qual)
{
	struct emu_sys *s = sys_of(cpu);

	s->exit_reason = reason;
	s->exit_qual = qual;
	/* An exit during event delivery reports the event in the
	 * IDT-vectoring information (SDM Vol. 3C, 28.2.4). */
	if (s->delivering) {
		s->idt_info = emu_event_info(&s->deliv);
		s->idt_err = s->deliv.has_err ? s->deliv.err : 0;
		s->delivering = false;
	}
	/* Fault-like: the guest state is that before the instruction (SDM
	 * Vol. 3C, 28.1). */
	if (s->in_insn) {
		cpu->rip = cpu->insn_rip;
		cpu->gpr[4] = cpu->insn_rsp;
	}
	longjmp(cpu->unwind, UNWIND_EXIT);
}

_Noreturn void emu_exit_insn(struct emu_cpu *cpu, uint32_t reason,
			     uint64_t qual)
{
	struct emu_sys *s = sys_of(cpu);

	s->exit_len = cpu->cur ? cpu->cur->len : 0;
	s->has_len = true;
	emu_vmexit(cpu, reason, qual);
}

/* I/O permission bitmap of the TSS (SDM Vol. 1, 19.5.2): every bit of the
 * accessed ports must be clear. */
static bool io_allowed(struct emu_cpu *cpu, uint16_t port, unsigned size)
{
	const struct seg *tr = &cpu->seg[SEG_TR];
	unsigned type = tr->ar & 0xf;
	uint64_t base, off;

	if ((type != 0x9 && type != 0xb) || tr->limit < 0x67)
		return false;
	base = emu_read_lin(cpu, tr->base + 0x66, 2, true);
	off = base + port / 8;
	if (off + 1 > tr->limit)
		return false;
	uint64_t bits = emu_read_lin(cpu, tr->base + off, 2, true);

	return ((bits >> (port & 7)) & ((1u << size) - 1)) == 0;
}

static unsigned adsize_code(unsigned adsize)
{
	return adsize == 2 ? 0 : adsize == 4 ? 1 : 2;
}

/* Every I/O instruction exits (unconditional I/O exiting); the
 * privilege checks come first (SDM Vol. 3C, 26.1.1). Qualification: SDM
 * Vol. 3C, 28.2.1 table "Exit Qualification for I/O Instructions"; INS/OUTS
 * also give the guest-linear address and the instruction information
 * (28.2.5). */
void emu_io(struct emu_cpu *cpu, const struct insn *in, uint16_t port,
	    unsigned size, bool in_dir, bool string)
{
	struct emu_sys *s = sys_of(cpu);
	unsigned iopl = (unsigned)(cpu->rflags & RF_IOPL) >> 12;
	bool imm = in->map == 0 && in->op >= 0xe4 && in->op <= 0xe7;
	uint64_t qual = (uint64_t)(size - 1) | ((uint64_t)in_dir << 3) |
			((uint64_t)string << 4) |
			((uint64_t)(string && in->rep) << 5) |
			((uint64_t)imm << 6) | ((uint64_t)port << 16);

	if (cpu->mode != MODE_REAL &&
	    (cpu->mode == MODE_V86 || (unsigned)cpu->cpl > iopl) &&
	    !io_allowed(cpu, port, size))
		emu_raise(cpu, EXC_GP, 0);
	if (string) {
		int seg = in_dir ? SEG_ES : (in->seg == SEG_NONE ? SEG_DS : in->seg);
		uint64_t m = in->adsize == 8 ? ~0ull :
			     in->adsize == 4 ? 0xffffffffull : 0xffffull;
		uint64_t off = cpu->gpr[in_dir ? GPR_RDI : GPR_RSI] & m;

		s->exit_gla = cpu->mode == MODE_LONG && seg != SEG_FS &&
			      seg != SEG_GS ? off : cpu->seg[seg].base + off;
		if (cpu->mode != MODE_LONG)
			s->exit_gla &= 0xffffffffull;
		s->has_gla = true;
		s->exit_instr_info = (adsize_code(in->adsize) << 7) |
				     ((unsigned)seg << 15);
		s->has_instr_info = true;
	}
	emu_exit_insn(cpu, VMX_REASON_IO, qual);
}

/* ------------------------------------------------------------------ */
/* Entry and the loop                                                  */

static void exit_info_clear(struct emu_sys *s)
{
	s->exit_reason = 0;
	s->exit_qual = 0;
	s->exit_irq_info = s->exit_irq_err = 0;
	s->idt_info = s->idt_err = 0;
	s->has_len = s->has_instr_info = s->has_gpa = s->has_gla = false;
	s->delivering = false;
	s->in_insn = false;
}

/* VM-entry event injection (SDM Vol. 3C, 27.6.1): delivered through the
 * IDT as if it occurred right after entry; software events push RIP plus
 * the VM-entry instruction length. */
static void inject_event(struct emu_cpu *cpu)
{
	const struct vmcs_store *st = &cpu->vcpu->vmcs;
	uint32_t info = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_IRQ_INFO);
	struct emu_event ev;

	if (!(info & IRQ_INFO_VALID))
		return;
	ev = (struct emu_event){
		.vec = (int)(info & 0xff), .type = (int)((info >> 8) & 7),
		.has_err = info & IRQ_INFO_ERROR_VALID,
		.err = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_EXC_ERROR),
		.len = (uint8_t)VMCS(st, VMCS_CTRL_VMENTRY_INSTR_LEN),
		.inject = true };
	if (ev.type == 7 || ev.type == 1)
		return;
	emu_deliver(cpu, &ev);
}

/* The VMX-preemption timer counts down once every 2^CAPS_TIMER_SHIFT TSC
 * ticks from VM entry (SDM Vol. 3C, 26.5.1); it is kept as an absolute
 * expiry time. */
#define TIMER_TICK_NS ((1000000000ull << CAPS_TIMER_SHIFT) / CAPS_TSC_HZ)

static void timer_start(struct emu_cpu *cpu, uint64_t now)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t v = VMCS(&cpu->vcpu->vmcs, VMCS_GUEST_VMX_TIMER_VALUE);

	s->timer_ns = UINT64_MAX;
	if (s->pin & PIN_BASED_PREEMPTION_TIMER)
		s->timer_ns = now + (uint32_t)v * TIMER_TICK_NS;
}

/* "Save VMX-preemption timer value" (SDM Vol. 3C, 28.3.4). */
static void timer_save(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	struct vmcs_store *st = &cpu->vcpu->vmcs;
	uint64_t now = core_clock_ns();

	if (s->timer_ns == UINT64_MAX ||
	    !(VMCS(st, VMCS_CTRL_VMEXIT_CONTROLS) & VMEXIT_SAVE_VMX_TIMER))
		return;
	VMCS(st, VMCS_GUEST_VMX_TIMER_VALUE) =
		now >= s->timer_ns ? 0 : (s->timer_ns - now) / TIMER_TICK_NS;
}

static void poll(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	struct vcpu *v = cpu->vcpu;

	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	s->in_insn = false;
	if (atomic_load_explicit(&v->kick, memory_order_acquire)) {
		atomic_store_explicit(&v->kick, 0, memory_order_relaxed);
		emu_vmexit(cpu, VMX_REASON_IRQ, 0);
	}
	if ((s->deadline_ns != UINT64_MAX || s->timer_ns != UINT64_MAX) &&
	    core_clock_ns() >= (s->deadline_ns < s->timer_ns ? s->deadline_ns :
							      s->timer_ns))
		emu_vmexit(cpu, VMX_REASON_VMX_TIMER_EXPIRED, 0);
	if (vcpu_map_sync(v)) {
		emu_tlb_flush(cpu);
		emu_decode_flush(cpu);
	}
}

/* Instruction boundaries need checks only with interrupt-window exiting,
 * the monitor trap flag or RFLAGS.TF; otherwise instructions run in
 * chunks. */
static bool need_slow(struct emu_cpu *cpu)
{
	return (sys_of(cpu)->proc & (CPU_BASED_IRQ_WND | CPU_BASED_MTF)) ||
	       (cpu->rflags & RF_TF);
}

/* One instruction with the boundary events around it: the
 * interrupt-window exit before it (IF = 1, no STI/MOV-SS blocking; SDM
 * Vol. 3C, 26.7.5), then a single-step #DB trap (Vol. 3A, 18.3.1.4) and
 * the MTF exit after it (Vol. 3C, 26.5.2). */
static void step_slow(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	bool tf = cpu->rflags & RF_TF;

	if ((s->proc & CPU_BASED_IRQ_WND) && (cpu->rflags & RF_IF) &&
	    !cpu->intr_shadow) {
		s->in_insn = false;
		emu_vmexit(cpu, VMX_REASON_IRQ_WND, 0);
	}
	s->in_insn = true;
	emu_step(cpu);
	s->in_insn = false;
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	if (tf) {
		struct emu_event ev = { .vec = EXC_DB, .type = EV_HW };

		cpu->dr[6] |= 1u << 14;
		emu_deliver(cpu, &ev);
	}
	if (s->proc & CPU_BASED_MTF)
		emu_vmexit(cpu, VMX_REASON_MTF, 0);
}

static void run_guest(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	switch (setjmp(cpu->unwind)) {
	case UNWIND_EXIT:
		return;
	case UNWIND_FAULT:
		s->in_insn = false;
		cpu->cur = NULL;
		emu_fault_dispatch(cpu);
		break;
	default:
		poll(cpu);
		inject_event(cpu);
		/* XXX: an activity state of HLT without an event to wake the
		 * guest is reported as an external-interrupt exit so that a
		 * caller never blocks. */
		if (cpu->halted)
			emu_vmexit(cpu, VMX_REASON_IRQ, 0);
		break;
	}
	for (;;) {
		poll(cpu);
		if (need_slow(cpu)) {
			step_slow(cpu);
			continue;
		}
		s->in_insn = true;
		for (unsigned n = 0; n < POLL_INTERVAL; n++) {
			emu_step(cpu);
			if (__builtin_expect((cpu->rflags & RF_TF) != 0, 0))
				break;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Ops                                                                 */

static hv_return_t emu_probe(void)
{
	return HV_SUCCESS;
}

static hv_return_t emu_vm_create(struct vm *vm)
{
	(void)vm;
	return HV_SUCCESS;
}

static void emu_vm_destroy(struct vm *vm)
{
	(void)vm;
}

static hv_return_t emu_vcpu_create(struct vcpu *v)
{
	struct emu_cpu *cpu = calloc(1, sizeof(*cpu));
	struct emu_sys *s = calloc(1, sizeof(*s));

	if (!cpu || !s) {
		free(cpu);
		free(s);
		return HV_NO_RESOURCES;
	}
	cpu->vcpu = v;
	cpu->sys = s;
	v->engine_data = cpu;
	return HV_SUCCESS;
}

static void emu_vcpu_destroy(struct vcpu *v)
{
	struct emu_cpu *cpu = v->engine_data;

	if (!cpu)
		return;
	emu_decode_free(cpu);
	free(cpu->sys);
	free(cpu);
	v->engine_data = NULL;
}

static hv_return_t emu_vcpu_run(struct vcpu *v, uint64_t deadline_ns,
				int until)
{
	struct emu_cpu *cpu = v->engine_data;
	struct emu_sys *s = sys_of(cpu);
	uint64_t t0 = core_clock_ns();

	(void)until;
	vcpu_run_begin(v);
	emu_state_load(cpu);
	exit_info_clear(s);
	s->deadline_ns = deadline_ns;
	timer_start(cpu, t0);
	/* The client may have changed memory, mappings or paging state
	 * between runs. */
	emu_tlb_flush(cpu);
	emu_decode_flush(cpu);
	run_guest(cpu);
	timer_save(cpu);
	emu_state_store(cpu);
	vcpu_run_end(v);
	v->exec_ns += core_clock_ns() - t0;
	return HV_SUCCESS;
}

static void emu_vcpu_kick(struct vcpu *v)
{
	atomic_store_explicit(&v->kick, 1, memory_order_release);
}

static void emu_tlb_invalidate(struct vcpu *v)
{
	struct emu_cpu *cpu = v->engine_data;

	emu_tlb_flush(cpu);
	emu_decode_flush(cpu);
}

const struct engine_ops engine_emu_ops = {
	.name = "emu",
	.probe = emu_probe,
	.vm_create = emu_vm_create,
	.vm_destroy = emu_vm_destroy,
	.vcpu_create = emu_vcpu_create,
	.vcpu_destroy = emu_vcpu_destroy,
	.vcpu_run = emu_vcpu_run,
	.vcpu_kick = emu_vcpu_kick,
	.tlb_invalidate = emu_tlb_invalidate,
};
