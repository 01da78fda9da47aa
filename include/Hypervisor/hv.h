/* SPDX-License-Identifier: MIT */
/* VM, guest memory, vCPU, MSR, TSC, port-I/O notifier and in-kernel
 * interrupt-controller functions; mirrors Apple's hv.h (fact sheet §5). */

#ifndef __HYPERVISOR_HV__
#define __HYPERVISOR_HV__

#include <Hypervisor/hv_base.h>
#include <Hypervisor/hv_arch_x86.h>
#include <Hypervisor/hv_error.h>
#include <Hypervisor/hv_intr.h>
#include <Hypervisor/hv_types.h>
#include <Hypervisor/hv_vm_allocate.h>
#include <stddef.h>

OS_ASSUME_NONNULL_BEGIN

__BEGIN_DECLS

#define __HV_10_10 __API_AVAILABLE(macos(10.10))
#define __HV_10_15 __API_AVAILABLE(macos(10.15))
#define __HV_11_0 __API_AVAILABLE(macos(11.0))
#define __HV_12_0 __API_AVAILABLE(macos(12.0))

/* hv_vcpu_run_until() deadline meaning "no deadline" (11.0+) */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#endif
enum {
	HV_DEADLINE_FOREVER = (~0ull),
};
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

/* The nullability qualifiers below are a clang extension (-Wpedantic); the
 * rest of the pointers are unannotated if a client turned off
 * OS_ASSUME_NONNULL_BEGIN. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnullability-extension"
#pragma clang diagnostic ignored "-Wnullability-completeness"
#endif

/*
 * Conventions (§5, §9.4): functions return HV_SUCCESS or an HV_* error
 * unless stated. A function taking a vcpu must be called on the thread that
 * created that vCPU, except hv_vcpu_interrupt() and hv_vm_lapic_set_intr().
 * The VM is per process; hv_vm_* functions act on it.
 */

/* §5.1 VM lifetime and capabilities */

/* Store the value of a system capability (HV_CAP_*) in *value. */
__HV_10_15
hv_return_t hv_capability(hv_capability_t capability, uint64_t *value);

/* Create the process's VM; flags is HV_VM_DEFAULT or HV_VM_* options. */
__HV_10_10
hv_return_t hv_vm_create(hv_vm_options_t flags);

/* Destroy the process's VM (destroy its vCPUs first). */
__HV_10_10
hv_return_t hv_vm_destroy(void);

/* §5.2 Guest physical memory and address spaces. Addresses are 4 KiB
 * aligned and sizes multiples of 4 KiB. */

/* Map [uva, uva+size) into the default address space at gpa with the
 * HV_MEMORY_* permissions in flags. */
__HV_10_10
hv_return_t hv_vm_map(hv_uvaddr_t uva, hv_gpaddr_t gpa, size_t size,
	hv_memory_flags_t flags);

/* Remove [gpa, gpa+size) from the default address space. */
__HV_10_10
hv_return_t hv_vm_unmap(hv_gpaddr_t gpa, size_t size);

/* Change the permissions of [gpa, gpa+size) in the default address space. */
__HV_10_10
hv_return_t hv_vm_protect(hv_gpaddr_t gpa, size_t size,
	hv_memory_flags_t flags);

/* Create an additional guest-physical address space; its id goes to *asid. */
__HV_10_15
hv_return_t hv_vm_space_create(hv_vm_space_t *asid);

/* Destroy an additional address space. */
__HV_10_15
hv_return_t hv_vm_space_destroy(hv_vm_space_t asid);

/* hv_vm_map(), hv_vm_unmap(), hv_vm_protect() for address space asid. */
__HV_10_15
hv_return_t hv_vm_map_space(hv_vm_space_t asid, hv_uvaddr_t uva,
	hv_gpaddr_t gpa, size_t size, hv_memory_flags_t flags);

__HV_10_15
hv_return_t hv_vm_unmap_space(hv_vm_space_t asid, hv_gpaddr_t gpa,
	size_t size);

__HV_10_15
hv_return_t hv_vm_protect_space(hv_vm_space_t asid, hv_gpaddr_t gpa,
	size_t size, hv_memory_flags_t flags);

/* Run the vCPU on address space asid (initially HV_VM_SPACE_DEFAULT). */
__HV_10_15
hv_return_t hv_vcpu_set_space(hv_vcpuid_t vcpu, hv_vm_space_t asid);

/* §5.3 vCPU lifetime, registers and state */

/* Create a vCPU bound to the calling thread; its id goes to *vcpu. flags is
 * HV_VCPU_DEFAULT or HV_VCPU_* options. */
__HV_10_10
hv_return_t hv_vcpu_create(hv_vcpuid_t *vcpu, hv_vcpu_options_t flags);

/* Destroy the vCPU. */
__HV_10_10
hv_return_t hv_vcpu_destroy(hv_vcpuid_t vcpu);

/* Read / write an architectural register (hv_x86_reg_t). */
__HV_10_10
hv_return_t hv_vcpu_read_register(hv_vcpuid_t vcpu, hv_x86_reg_t reg,
	uint64_t *value);

__HV_10_10
hv_return_t hv_vcpu_write_register(hv_vcpuid_t vcpu, hv_x86_reg_t reg,
	uint64_t value);

/* Copy the x87/SSE/AVX state out of / into buffer, in the XSAVE layout of
 * the host CPU. */
__HV_10_10
hv_return_t hv_vcpu_read_fpstate(hv_vcpuid_t vcpu, void *buffer, size_t size);

__HV_10_10
hv_return_t hv_vcpu_write_fpstate(hv_vcpuid_t vcpu, void *buffer, size_t size);

/* Let the guest access msr without RDMSR/WRMSR exits (or stop). */
__HV_10_10
hv_return_t hv_vcpu_enable_native_msr(hv_vcpuid_t vcpu, uint32_t msr,
	bool enable);

/* Bind (or unbind) a managed MSR, one of HV_MSR_* (§8.6). */
__HV_11_0
hv_return_t hv_vcpu_enable_managed_msr(hv_vcpuid_t vcpu, uint32_t msr,
	bool enable);

/* Grant native HV_MSR_READ / HV_MSR_WRITE access to a bound managed MSR. */
__HV_11_0
hv_return_t hv_vcpu_set_msr_access(hv_vcpuid_t vcpu, uint32_t msr,
	hv_msr_flags_t flags);

/* Read / write the guest value of an MSR. */
__HV_10_10
hv_return_t hv_vcpu_read_msr(hv_vcpuid_t vcpu, uint32_t msr, uint64_t *value);

__HV_10_10
hv_return_t hv_vcpu_write_msr(hv_vcpuid_t vcpu, uint32_t msr, uint64_t value);

/* Does nothing; returns HV_UNSUPPORTED (since 11.0). */
__API_DEPRECATED("This function is a no-op", macos(10.10, 11.0))
hv_return_t hv_vcpu_flush(hv_vcpuid_t vcpu);

/* Flush the vCPU's guest TLB. */
__HV_10_10
hv_return_t hv_vcpu_invalidate_tlb(hv_vcpuid_t vcpu);

/* Cumulative guest execution time, in nanoseconds. */
__HV_10_10
hv_return_t hv_vcpu_get_exec_time(hv_vcpuid_t vcpu, uint64_t *time);

/* Cumulative time spent idling the vCPU (e.g. HLT under HV_VM_ACCEL_APIC),
 * in nanoseconds. */
__HV_12_0
hv_return_t hv_vcpu_get_idle_time(hv_vcpuid_t vcpu, uint64_t *time);

/* Host RFLAGS ZF/CF status of the last failed VM entry; HV_ERROR if there
 * is none to report. */
__HV_12_0
hv_return_t hv_vcpu_vmx_status(hv_vcpuid_t vcpu, uint32_t *status);

/* §5.4 Running */

/* Run the guest until the next VM exit, including exits handled internally;
 * read the reason from VMCS_RO_EXIT_REASON. */
hv_return_t hv_vcpu_run(hv_vcpuid_t vcpu);

/* Like hv_vcpu_run() but returns only for exits the caller must handle, or
 * when deadline (mach absolute time) passes; HV_DEADLINE_FOREVER for none. */
__HV_10_15
hv_return_t hv_vcpu_run_until(hv_vcpuid_t vcpu, uint64_t deadline);

/* Force an immediate VM exit of each listed vCPU; any thread may call it. */
__HV_10_10
hv_return_t hv_vcpu_interrupt(hv_vcpuid_t *vcpus, unsigned int vcpu_count);

/* §5.5 TSC */

/* Set the guest TSC of all vCPUs to tsc. */
__HV_10_10
hv_return_t hv_vm_sync_tsc(uint64_t tsc);

/* Monotonic clock at host-TSC rate (valid after hv_vm_create()); returns the
 * value itself. */
__HV_11_0
uint64_t hv_tsc_clock(void);

/* Guest TSC = hv_tsc_clock() + offset (vCPU created HV_VCPU_TSC_RELATIVE). */
__HV_11_0
hv_return_t hv_vcpu_set_tsc_relative(hv_vcpuid_t vcpu, int64_t offset);

/* §5.6 Port-I/O notifiers: a matching guest OUT does not exit but sends an
 * hv_ion_message_t to mach_port. */

__HV_11_0
hv_return_t hv_vm_add_pio_notifier(uint16_t addr, size_t size, uint32_t value,
	mach_port_t mach_port, hv_ion_flags_t flags);

/* Remove a notifier; the arguments must equal those it was added with. */
__HV_11_0
hv_return_t hv_vm_remove_pio_notifier(uint16_t addr, size_t size,
	uint32_t value, mach_port_t mach_port, hv_ion_flags_t flags);

/* §5.7 In-kernel interrupt controllers (VM created with HV_VM_ACCEL_APIC) */

/* Deliver vector to the vCPU's local APIC; any thread may call it. */
__HV_12_0
hv_return_t hv_vm_lapic_set_intr(hv_vcpuid_t vcpu, uint8_t vector,
	hv_apic_intr_trigger_t trig);

/* Deliver an MSI (address/data pair). */
__HV_12_0
hv_return_t hv_vm_lapic_msi(uint64_t addr, uint64_t data);

/* Raise, lower, or raise then lower IOAPIC input pin intin. */
__HV_12_0
hv_return_t hv_vm_ioapic_assert_irq(int intin);

__HV_12_0
hv_return_t hv_vm_ioapic_deassert_irq(int intin);

__HV_12_0
hv_return_t hv_vm_ioapic_pulse_irq(int intin);

/* 32-bit MMIO read / write of the virtual IOAPIC at gpa. */
__HV_12_0
hv_return_t hv_vm_ioapic_read(hv_gpaddr_t gpa, uint32_t *datap);

__HV_12_0
hv_return_t hv_vm_ioapic_write(hv_gpaddr_t gpa, uint32_t data);

/* Snapshot / restore the IOAPIC; set state->version to
 * HV_IOAPIC_STATE_EXT_VER first. Restore only on a quiescent VM. */
__HV_12_0
hv_return_t hv_vm_ioapic_get_state(hv_ioapic_state_ext_t *state);

__HV_12_0
hv_return_t hv_vm_ioapic_put_state(const hv_ioapic_state_ext_t *state);

/* Inject an interrupt given in IOAPIC redirection-entry format. */
__HV_12_0
hv_return_t hv_vm_send_ioapic_intr(uint64_t data);

/* Raise / lower 8259 input irq. */
__HV_12_0
hv_return_t hv_vm_atpic_assert_irq(int irq);

__HV_12_0
hv_return_t hv_vm_atpic_deassert_irq(int irq);

/* Emulate a guest I/O-port read / write of the 8259 pair. */
hv_return_t hv_vm_atpic_port_read(int port, uint8_t *valuep);

hv_return_t hv_vm_atpic_port_write(int port, uint8_t value);

/* Snapshot / restore the primary (is_primary) or secondary 8259; set
 * state->version to HV_ATPIC_STATE_EXT_VER first. */
__HV_12_0
hv_return_t hv_vm_atpic_get_state(hv_atpic_state_ext_t *state,
	bool is_primary);

__HV_12_0
hv_return_t hv_vm_atpic_put_state(const hv_atpic_state_ext_t *state,
	bool is_primary);

/* APIC timer frequency in Hz (16 MHz to 2 GHz); only while no vCPU exists. */
__HV_12_0
hv_return_t hv_vm_set_apic_bus_freq(uint64_t freq);

/* Inject an external interrupt through the VMCS (at most one queued). */
__HV_12_0
hv_return_t hv_vcpu_inject_extint(hv_vcpuid_t vcpu);

/* Read / write the LAPIC register at byte offset of the APIC page. After a
 * write, *no_side_effect false means: query hv_vcpu_exit_info(). */
__HV_12_0
hv_return_t hv_vcpu_apic_read(hv_vcpuid_t vcpu, uint32_t offset,
	uint32_t *data);

__HV_12_0
hv_return_t hv_vcpu_apic_write(hv_vcpuid_t vcpu, uint32_t offset,
	uint32_t data, bool *no_side_effect);

/* Snapshot / restore the LAPIC; set state->version to HV_APIC_STATE_EXT_VER
 * first. Restore only on a quiescent VM. */
__HV_12_0
hv_return_t hv_vcpu_apic_get_state(hv_vcpuid_t vcpu,
	hv_apic_state_ext_t *state);

__HV_12_0
hv_return_t hv_vcpu_apic_put_state(hv_vcpuid_t vcpu,
	const hv_apic_state_ext_t *state);

/* After a run: which HV_VM_EXITINFO_* information is available. */
__HV_12_0
hv_return_t hv_vcpu_exit_info(hv_vcpuid_t vcpu, hv_vm_exitinfo_t *code);

/* HV_VM_EXITINFO_INIT_AP / _STARTUP_AP: is_actv[id] is set for each of the
 * count vCPUs targeted; *ap_rip is the start address. */
__HV_12_0
hv_return_t hv_vcpu_exit_init_ap(hv_vcpuid_t vcpu, bool is_actv[_Nonnull],
	unsigned count);

__HV_12_0
hv_return_t hv_vcpu_exit_startup_ap(hv_vcpuid_t vcpu, bool is_actv[_Nonnull],
	unsigned count, uint64_t *ap_rip);

/* HV_VM_EXITINFO_IOAPIC_EOI: the vector EOI'd. */
__HV_12_0
hv_return_t hv_vcpu_exit_ioapic_eoi(hv_vcpuid_t vcpu, uint8_t *vec);

/* HV_VM_EXITINFO_APIC_ACCESS_READ: the value the guest reads. */
__HV_12_0
hv_return_t hv_vcpu_exit_apic_access_read(hv_vcpuid_t vcpu, uint32_t *value);

/* HV_VM_EXITINFO_INJECT_EXCP: the exception to reflect into the guest. */
__HV_12_0
hv_return_t hv_vcpu_exit_inject_excp(hv_vcpuid_t vcpu, uint8_t *vec,
	bool *valid, uint32_t *code, bool *restart);

/* Add an APIC load-store cache entry: the 32-bit mov at (rip, ilen, cs)
 * between reg (or the constant imm32) and the APIC page is then emulated
 * in-kernel; uva[0..count) optionally names the page-aligned host addresses
 * of the code pages (0 to 2) for validation. */
__HV_12_0
hv_return_t hv_vcpu_apic_lsc_enter_r32(hv_vcpuid_t vcpu, bool is_load,
	uint64_t rip, unsigned ilen, uint16_t cs, hv_x86_reg_t reg,
	uint64_t uva[_Nullable], unsigned count);

__HV_12_0
hv_return_t hv_vcpu_apic_lsc_enter_imm32(hv_vcpuid_t vcpu, uint64_t rip,
	unsigned ilen, uint16_t cs, uint32_t imm32, uint64_t uva[_Nullable],
	unsigned count);

/* Drop all load-store cache entries. */
__HV_12_0
hv_return_t hv_vcpu_apic_lsc_invalidate(hv_vcpuid_t vcpu);

/* Set HV_APIC_CTRL_* behaviour flags. */
__HV_12_0
hv_return_t hv_vcpu_apic_ctrl(hv_vcpuid_t vcpu, hv_apic_ctrl_t ctrls);

/* Fire an LVT entry (HV_APIC_LVT_FLAVOR_TIMER only). */
__HV_12_0
hv_return_t hv_vcpu_apic_trigger_lvt(hv_vcpuid_t vcpu,
	hv_apic_lvt_flavor_t flavor);

#if defined(__clang__)
#pragma clang diagnostic pop
#endif

#undef __HV_10_10
#undef __HV_10_15
#undef __HV_11_0
#undef __HV_12_0

__END_DECLS

OS_ASSUME_NONNULL_END

#endif /* __HYPERVISOR_HV__ */
