/* SPDX-License-Identifier: MIT */
/* The software engine's ops table and run loop: VM entry (state load,
 * event injection), the instruction loop with kick/deadline/map polling,
 * VM exits (exit information, state write-back) and the I/O exit. */
#include <Hypervisor/hv_types.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "core/caps.h"
#include "core/vm.h"
#include "core/vmentry.h"
#include "engine/engine.h"
#include "sys.h"

/* Instructions between polls of the kick flag, the deadline and the map
 * generation: small enough that hv_vcpu_interrupt takes effect well within
 * a millisecond, large enough that polling costs nothing measurable. */
#define POLL_INTERVAL 1024u

/* ------------------------------------------------------------------ */
/* VM exits                                                            */

static bool software_event(const struct emu_event *ev)
{
	return ev->type == EV_SWINT || ev->type == EV_PRIV_SW ||
	       ev->type == EV_SWEXC;
}

_Noreturn void emu_vmexit(struct emu_cpu *cpu, uint32_t reason, uint64_t qual)
{
	struct emu_sys *s = sys_of(cpu);

	s->exit_reason = reason;
	s->exit_qual = qual;
	/* An exit during event delivery reports the event in the
	 * IDT-vectoring information, and the length of a software event in
	 * the instruction-length field (SDM Vol. 3C, 28.2.4, 28.2.5). */
	if (s->delivering) {
		s->idt_info = emu_event_info(&s->deliv);
		s->idt_err = s->deliv.has_err ? s->deliv.err : 0;
		if (software_event(&s->deliv)) {
			s->exit_len = s->deliv.len;
			s->has_len = true;
		}
		s->delivering = false;
	}
	/* Fault-like: the guest state is that before the instruction (SDM
	 * Vol. 3C, 28.1). */
	if (s->in_insn) {
		cpu->rip = cpu->insn_rip;
		cpu->gpr[4] = cpu->insn_rsp;
		cpu->intr_shadow = cpu->shadow_saved;
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
	s->iret_unblocked = false;
	s->brk = false;
	s->vtpr_written = false;
	/* The first PAUSE after VM entry starts a loop (26.1.3). */
	s->ple_last = 0;
}

/* An instruction boundary: faults raised from here roll back to it. */
static void at_boundary(struct emu_cpu *cpu)
{
	cpu->insn_rip = cpu->rip;
	cpu->insn_rsp = cpu->gpr[4];
	cpu->cur = NULL;
	sys_of(cpu)->in_insn = false;
}

/* VM-entry event injection (SDM Vol. 3C, 27.6.1): delivered through the
 * IDT as if it occurred right after entry; software events push RIP plus
 * the VM-entry instruction length. Type 7 (other event, vector 0) is a
 * pending MTF VM exit (27.6.2). Returns true if an event was injected. */
static bool inject_event(struct emu_cpu *cpu)
{
	const struct vmcs_store *st = &cpu->vcpu->vmcs;
	uint32_t info = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_IRQ_INFO);
	struct emu_event ev;

	if (!(info & IRQ_INFO_VALID))
		return false;
	ev = (struct emu_event){
		.vec = (int)(info & 0xff), .type = (int)((info >> 8) & 7),
		.has_err = info & IRQ_INFO_ERROR_VALID,
		.err = (uint32_t)VMCS(st, VMCS_CTRL_VMENTRY_EXC_ERROR),
		.len = (uint8_t)VMCS(st, VMCS_CTRL_VMENTRY_INSTR_LEN),
		.inject = true };
	if (ev.type == 7)
		emu_vmexit(cpu, VMX_REASON_MTF, 0);
	emu_deliver(cpu, &ev);
	return true;
}

/* Pending debug exceptions in the VMCS (BS, B3:0, enabled breakpoint) are
 * delivered as a #DB trap right after a VM entry that injects nothing,
 * unless blocked by MOV SS (SDM Vol. 3C, 27.7.3). */
static void pending_debug(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	uint64_t d = s->pending_dbg;
	struct emu_event ev = { .vec = EXC_DB, .type = EV_HW };

	if (!(d & 0x500f) ||
	    (cpu->intr_shadow & GUEST_INTRBILITY_MOVSS_BLOCKING))
		return;
	s->pending_dbg = 0;
	cpu->dr[6] = (cpu->dr[6] & ~0x400full) | (d & 0x400f);
	emu_deliver(cpu, &ev);
}

/* The start of a run: injection, then an MTF exit pending after it
 * (26.5.2), or a pending #DB. */
static void entry_events(struct emu_cpu *cpu)
{
	at_boundary(cpu);
	if (inject_event(cpu)) {
		if (sys_of(cpu)->proc & CPU_BASED_MTF)
			emu_vmexit(cpu, VMX_REASON_MTF, 0);
	} else {
		pending_debug(cpu);
	}
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
	    !(s->exit_ctl & VMEXIT_SAVE_VMX_TIMER))
		return;
	VMCS(st, VMCS_GUEST_VMX_TIMER_VALUE) =
		now >= s->timer_ns ? 0 : (s->timer_ns - now) / TIMER_TICK_NS;
}

static uint64_t wake_time(const struct emu_sys *s)
{
	return s->deadline_ns < s->timer_ns ? s->deadline_ns : s->timer_ns;
}

/* Kicks (reason 1), the caller's deadline and the preemption timer
 * (reason 52), map changes; at block boundaries. */
static void poll(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	struct vcpu *v = cpu->vcpu;

	at_boundary(cpu);
	if (atomic_load_explicit(&v->kick, memory_order_acquire)) {
		atomic_store_explicit(&v->kick, 0, memory_order_relaxed);
		emu_vmexit(cpu, VMX_REASON_IRQ, 0);
	}
	if (wake_time(s) != UINT64_MAX && core_clock_ns() >= wake_time(s))
		emu_vmexit(cpu, VMX_REASON_VMX_TIMER_EXPIRED, 0);
	if (vcpu_map_sync(v)) {
		emu_tlb_flush(cpu);
		emu_decode_reset(cpu);
	}
	emu_decode_poll(cpu);
}

/* Events at an instruction boundary, highest priority first (SDM Vol.
 * 3A, 6.9 and Vol. 3C, 26.7.5-26.7.6): the NMI-window exit (no virtual-NMI
 * blocking, no STI or MOV-SS blocking: this model treats STI blocking as
 * blocking NMIs), then the interrupt-window exit (RFLAGS.IF = 1, no STI or
 * MOV-SS blocking). Both also end the HLT state. */
static void boundary_events(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	if ((s->proc & CPU_BASED_VIRTUAL_NMI_WND) && !s->nmi_blocked &&
	    !cpu->intr_shadow)
		emu_vmexit(cpu, VMX_REASON_VIRTUAL_NMI_WND, 0);
	if ((s->proc & CPU_BASED_IRQ_WND) && (cpu->rflags & RF_IF) &&
	    !cpu->intr_shadow)
		emu_vmexit(cpu, VMX_REASON_IRQ_WND, 0);
}

/* Instruction boundaries need checks only with window exiting, the
 * monitor trap flag or RFLAGS.TF; otherwise instructions run in chunks. */
static bool need_slow(struct emu_cpu *cpu)
{
	return (sys_of(cpu)->proc & (CPU_BASED_IRQ_WND | CPU_BASED_MTF |
				     CPU_BASED_VIRTUAL_NMI_WND)) ||
	       (cpu->rflags & RF_TF);
}

/* One instruction with the boundary events around it: the window exits
 * before it, then the MTF exit after it, which takes priority over a
 * single-step #DB trap: that trap stays pending in the pending debug
 * exceptions field (SDM Vol. 3C, 26.5.2; Vol. 3A, 18.3.1.4). */
static void step_slow(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);
	bool tf = cpu->rflags & RF_TF;

	boundary_events(cpu);
	s->in_insn = true;
	emu_step(cpu);
	at_boundary(cpu);
	if (s->vtpr_written)
		emu_vtpr_written(cpu);
	if (s->proc & CPU_BASED_MTF) {
		if (tf)
			s->pending_dbg |= 1u << 14;
		emu_vmexit(cpu, VMX_REASON_MTF, 0);
	}
	if (tf) {
		struct emu_event ev = { .vec = EXC_DB, .type = EV_HW };

		cpu->dr[6] |= 1u << 14;
		emu_deliver(cpu, &ev);
	}
}

void emu_halt(struct emu_cpu *cpu)
{
	cpu->halted = true;
	sys_of(cpu)->brk = true;
}

/* The HLT activity state without HLT exiting (SDM Vol. 3C, 26.1.3 and
 * 27.7.4): nothing runs until a window exit, a kick, the deadline or the
 * preemption timer. The thread sleeps meanwhile (vcpu_idle_wait); an
 * injected event at the next entry wakes the guest. */
static void halt_wait(struct emu_cpu *cpu)
{
	boundary_events(cpu);
	vcpu_idle_wait(cpu->vcpu, wake_time(sys_of(cpu)));
}

/* After a fault was delivered to the guest: the IRET that raised it has
 * done its unblocking, and an MTF exit is pending before the handler's
 * first instruction (26.5.2). */
static void fault_delivered(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	s->iret_unblocked = false;
	if (s->proc & CPU_BASED_MTF)
		emu_vmexit(cpu, VMX_REASON_MTF, 0);
}

/* Instructions in decoded blocks (emu_run stops after system
 * instructions, HLT and single steps). With an APIC-access page a
 * virtualized VTPR write by an ordinary MOV must reach the loop right
 * after its instruction (the trap-like exit of 30.4.3.2), so that case
 * steps one instruction at a time and stops on s->brk. */
static void run_chunk(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	s->in_insn = true;
	if (s->apic_page == ~0ull) {
		emu_run(cpu, POLL_INTERVAL);
	} else {
		for (unsigned n = 0; n < POLL_INTERVAL; n++) {
			emu_step(cpu);
			if (s->brk || (cpu->rflags & RF_TF))
				break;
		}
	}
	at_boundary(cpu);
	if (s->vtpr_written)
		emu_vtpr_written(cpu);
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
		fault_delivered(cpu);
		break;
	default:
		entry_events(cpu);
		break;
	}
	for (;;) {
		poll(cpu);
		s->brk = false;
		if (cpu->halted)
			halt_wait(cpu);
		else if (need_slow(cpu))
			step_slow(cpu);
		else
			run_chunk(cpu);
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
	vm->engine_data = emu_codemap_create();
	return vm->engine_data ? HV_SUCCESS : HV_NO_RESOURCES;
}

static void emu_vm_destroy(struct vm *vm)
{
	emu_codemap_free(vm->engine_data);
	vm->engine_data = NULL;
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
	cpu->codemap = v->vm->engine_data;
	s->live_dr7 = 0x400;
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
	uint64_t pg[4] = { cpu->cr0, cpu->cr3, cpu->cr4, cpu->efer };
	bool entered;
	hv_return_t r;

	(void)until;
	r = vmentry_check(v, &entered);
	if (r != HV_SUCCESS || !entered)
		return r;
	vcpu_run_begin(v);
	emu_state_load(cpu);
	exit_info_clear(s);
	s->deadline_ns = deadline_ns;
	timer_start(cpu, t0);
	/* The client may have changed the map, the paging registers or
	 * guest memory between runs; paging structures it rewrites need
	 * hv_vcpu_invalidate_tlb (docs/design.md, "Decode cache"). */
	if (cpu->map_gen != atomic_load(&v->seen_gen)) {
		emu_decode_reset(cpu);
		cpu->map_gen = atomic_load(&v->seen_gen);
		pg[0] = ~cpu->cr0;
	}
	/* Without "enable VPID", every VM entry invalidates the guest's
	 * linear mappings (SDM Vol. 3C, "Operations that Invalidate Cached
	 * Mappings": VM entry with the enable-VPID control 0):
	 * a VMM that emulates MOV CR3 by writing VMCS_GUEST_CR3 relies on
	 * it. With VPID, translations survive and the client uses
	 * hv_vcpu_invalidate_tlb, as with Apple's framework. */
	if (!(s->proc2 & CPU_BASED2_VPID) || pg[0] != cpu->cr0 ||
	    pg[1] != cpu->cr3 || pg[2] != cpu->cr4 || pg[3] != cpu->efer)
		emu_tlb_flush(cpu);
	emu_decode_enter(cpu);
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
