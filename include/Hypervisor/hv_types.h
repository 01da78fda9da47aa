/* SPDX-License-Identifier: MIT */
/* Scalar types, option flags and notifier/APIC enumerations of the Hypervisor
 * API; mirrors Apple's hv_types.h (fact sheet §3). */

#ifndef __HYPERVISOR_HV_TYPES__
#define __HYPERVISOR_HV_TYPES__

#include <Hypervisor/hv_shims.h>
#include <stdint.h>

OS_ASSUME_NONNULL_BEGIN

__BEGIN_DECLS

/* vCPU id, chosen by the framework (§3.1, §9.5) */
typedef unsigned hv_vcpuid_t;

/* Host (user) virtual address of memory to map into the guest */
typedef const void *hv_uvaddr_t;

/* Guest-physical address */
typedef uint64_t hv_gpaddr_t;

/* Guest-physical address space id (10.15+) */
typedef unsigned hv_vm_space_t;

/* hv_capability() ids (10.15+) */
typedef uint64_t hv_capability_t;

enum {
	HV_CAP_VCPUMAX		= 0,
	HV_CAP_ADDRSPACEMAX	= 1,
};

enum {
	HV_VM_SPACE_DEFAULT	= 0,
};

/* hv_vm_create() flags */
typedef uint64_t hv_vm_options_t;

enum {
	HV_VM_DEFAULT			= 0ull << 0,
	HV_VM_SPECIFY_MITIGATIONS	= 1ull << 0,
	HV_VM_MITIGATION_A_ENABLE	= 1ull << 1,
	HV_VM_MITIGATION_B_ENABLE	= 1ull << 2,
	HV_VM_MITIGATION_C_ENABLE	= 1ull << 3,
	HV_VM_MITIGATION_D_ENABLE	= 1ull << 4,
	HV_VM_MITIGATION_E_ENABLE	= 1ull << 6,	/* bit 5 unused */
	HV_VM_ACCEL_APIC		= 1ull << 10,	/* 12.0+, §5.7 */
};

/* hv_vcpu_create() flags */
typedef uint64_t hv_vcpu_options_t;

enum {
	HV_VCPU_DEFAULT		= 0ull,
	HV_VCPU_ACCEL_RDPMC	= 1ull << 0,
	HV_VCPU_TSC_RELATIVE	= 1ull << 1,
};

/* Guest memory permissions for hv_vm_map() / hv_vm_protect() */
typedef uint64_t hv_memory_flags_t;

enum {
	HV_MEMORY_READ		= 1ull << 0,
	HV_MEMORY_WRITE		= 1ull << 1,
	HV_MEMORY_EXEC		= 1ull << 2,
	HV_MEMORY_UEXEC		= 1ull << 3,
	HV_MEMORY_MAXPROT	= 1ull << 4,
	HV_MEMORY_MAXPROT_READ	= 1ull << 5,
	HV_MEMORY_MAXPROT_WRITE	= 1ull << 6,
	HV_MEMORY_MAXPROT_EXEC	= 1ull << 7,
	HV_MEMORY_MAXPROT_UEXEC	= 1ull << 8,
};

/* Native access to a managed MSR, hv_vcpu_set_msr_access() (11.0+) */
typedef uint32_t hv_msr_flags_t;

enum {
	HV_MSR_NONE		= 0,
	HV_MSR_READ		= 1u << 0,
	HV_MSR_WRITE		= 1u << 1,
};

/* Port-I/O notifier flags (11.0+, §5.6) */
typedef uint32_t hv_ion_flags_t;

enum {
	HV_ION_NONE		= kHV_ION_NONE,
	HV_ION_ANY_VALUE	= kHV_ION_ANY_VALUE,	/* match any value */
	HV_ION_ANY_SIZE		= kHV_ION_ANY_SIZE,	/* match any size */
	HV_ION_EXIT_FULL	= kHV_ION_EXIT_FULL,	/* exit if queue full */
};

/* Message sent to the notifier's port for a matching guest write (§3.3);
 * 56 bytes. */
typedef struct {
	mach_msg_header_t header;
	uint64_t addr;			/* port address */
	uint64_t size;			/* access size */
	uint64_t value;			/* value written */
	mach_msg_trailer_t trailer;
} hv_ion_message_t;

/* Kind of extra exit information, hv_vcpu_exit_info() (12.0+) */
OS_ENUM(hv_vm_exitinfo, uint32_t,
	HV_VM_EXITINFO_VMX		= 1,
	HV_VM_EXITINFO_INIT_AP		= 2,
	HV_VM_EXITINFO_STARTUP_AP	= 3,
	HV_VM_EXITINFO_IOAPIC_EOI	= 4,
	HV_VM_EXITINFO_INJECT_EXCP	= 5,
	HV_VM_EXITINFO_SMI		= 6,
	HV_VM_EXITINFO_APIC_ACCESS_READ	= 7,
);

/* hv_vcpu_apic_ctrl() flags (12.0+) */
OS_ENUM(hv_apic_ctrl, uint64_t,
	HV_APIC_CTRL_DEFAULT		= 0,
	HV_APIC_CTRL_EOI_ICR_TPR	= 1 << 0,
	HV_APIC_CTRL_GUEST_IDLE		= 1 << 1,
	HV_APIC_CTRL_NO_TIMER		= 1 << 2,
	HV_APIC_CTRL_IOAPIC_EOI		= 1 << 3,
);

/* LVT entries hv_vcpu_apic_trigger_lvt() can fire (12.0+) */
OS_ENUM(hv_apic_lvt_flavor, uint32_t,
	HV_APIC_LVT_FLAVOR_TIMER	= 1,
);

/* Trigger mode for hv_vm_lapic_set_intr() (12.0+) */
OS_ENUM(hv_apic_intr_trigger, uint32_t,
	HV_APIC_EDGE_TRIGGER		= 0,
	HV_APIC_EDGE_TRIGGER_AEOI	= 1,
	HV_APIC_LEVEL_TRIGGER		= 2,
);

__END_DECLS

OS_ASSUME_NONNULL_END

#endif /* __HYPERVISOR_HV_TYPES__ */
