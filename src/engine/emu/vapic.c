/* SPDX-License-Identifier: MIT */
/* APIC virtualization of the software engine (SDM Vol. 3C, chapter 30):
 * the TPR shadow in the framework's virtual-APIC page (CR8 and VTPR, TPR
 * virtualization with the TPR-below-threshold exit) and the APIC-access
 * page (APIC-access exits, virtualized VTPR reads and writes). */
#include "sys.h"

#define VTPR 0x80

uint64_t emu_vtpr_cr8(struct emu_cpu *cpu)
{
	return cpu->vcpu->vapic[VTPR] >> 4;
}

/* TPR virtualization (30.1.2): with use TPR shadow (and no virtual-interrupt
 * delivery), VTPR[7:4] below TPR threshold[3:0] is a trap-like VM exit,
 * reason 43: RIP already points after the instruction. */
static void tpr_virtualize(struct emu_cpu *cpu)
{
	struct emu_sys *s = sys_of(cpu);

	if (!(s->proc & CPU_BASED_TPR_SHADOW) ||
	    emu_vtpr_cr8(cpu) >= s->tpr_threshold)
		return;
	s->in_insn = false;
	emu_vmexit(cpu, VMX_REASON_TPR_THRESHOLD, 0);
}

/* MOV to CR8 stores VTPR[7:4] and clears VTPR[3:0] and bytes 81H-83H
 * (30.1.2, 30.3). Without the TPR shadow the page holds the TPR too, so
 * HV_X86_TPR always reads byte 80H. */
void emu_vtpr_write_cr8(struct emu_cpu *cpu, uint64_t v)
{
	uint8_t *p = cpu->vcpu->vapic;

	p[VTPR] = (uint8_t)(v << 4);
	p[VTPR + 1] = p[VTPR + 2] = p[VTPR + 3] = 0;
	cpu->cr8 = v;
	tpr_virtualize(cpu);
}

void emu_vtpr_written(struct emu_cpu *cpu)
{
	uint8_t *p = cpu->vcpu->vapic;

	sys_of(cpu)->vtpr_written = false;
	p[VTPR + 1] = p[VTPR + 2] = p[VTPR + 3] = 0;
	cpu->cr8 = p[VTPR] >> 4;
	tpr_virtualize(cpu);
}

/* Access type, bits 15:12 of the APIC-access qualification (28.2.1 table
 * "Exit Qualification for APIC-Access VM Exits"): 0 linear read, 1 linear
 * write, 2 linear fetch, 3 linear access during event delivery, 10
 * guest-physical access during event delivery, 15 guest-physical access
 * during instruction execution (e.g. a paging-structure entry). */
static uint64_t access_type(const struct emu_sys *s, int acc, unsigned flags)
{
	if (!(flags & GPA_FINAL))
		return s->delivering ? 10 : 15;
	if (s->delivering)
		return 3;
	return (acc & ACC_FETCH) ? 2 : (acc & ACC_WRITE) ? 1 : 0;
}

/* Virtualized accesses (30.4.1-30.4.3): with use TPR shadow (and no
 * APIC-register virtualization, not advertised) only a linear data read
 * or write within VTPR (offsets 80H-83H) is virtualized; every other
 * access is an APIC-access exit. */
uint8_t *emu_apic_access(struct emu_cpu *cpu, uint64_t gpa, int acc,
			 unsigned flags)
{
	struct emu_sys *s = sys_of(cpu);
	unsigned off = (unsigned)(gpa & 0xfff);

	if ((s->proc & CPU_BASED_TPR_SHADOW) && (flags & GPA_FINAL) &&
	    !(acc & ACC_FETCH) && !s->delivering && off >= VTPR &&
	    off < VTPR + 4) {
		if (acc & ACC_WRITE) {
			s->vtpr_written = true;
			s->brk = true;
		}
		return &cpu->vcpu->vapic[off];
	}
	if (cpu->cur && !s->delivering && (flags & GPA_FINAL)) {
		s->exit_len = cpu->cur->len;
		s->has_len = true;
	}
	emu_vmexit(cpu, VMX_REASON_APIC_ACCESS,
		   (uint64_t)off | (access_type(s, acc, flags) << 12));
}
