/* SPDX-License-Identifier: MIT */
/* LAPIC, 8259 (ATPIC) and IOAPIC state snapshots for the in-kernel interrupt
 * controllers (12.0+); mirrors Apple's hv_intr.h (fact sheet §4). */

#ifndef __HYPERVISOR_HV_INTR__
#define __HYPERVISOR_HV_INTR__

#include <Hypervisor/hv_shims.h>
#include <stdbool.h>
#include <stdint.h>

OS_ASSUME_NONNULL_BEGIN

__BEGIN_DECLS

/* vCPU start-up state. Apple's header fixes the type to uint32_t; where the
 * language has no fixed-type enums a plain enum has the same 4-byte size. */
#ifdef __HV_HAS_FIXED_ENUM
enum hv_boot_state : uint32_t {
#else
enum hv_boot_state {
#endif
	HV_BS_INIT	= 0,
	HV_BS_SIPI	= 1,
	HV_BS_RUNNING	= 2,
} __OS_ENUM_ATTR_CLOSED;

/* Local APIC; 240 bytes */
struct hv_apic_state {
	uint64_t apic_gpa;
	uint64_t apic_controls;
	uint64_t tsc_deadline;
	uint32_t apic_id;
	uint32_t ver;
	uint32_t tpr;
	uint32_t apr;
	uint32_t ldr;
	uint32_t dfr;
	uint32_t svr;
	uint32_t isr[8];
	uint32_t tmr[8];
	uint32_t irr[8];
	uint32_t esr;
	uint32_t lvt[7];
	uint32_t icr[2];
	uint32_t icr_timer;
	uint32_t dcr_timer;
	uint32_t ccr_timer;
	uint32_t esr_pending;
	enum hv_boot_state boot_state;
	uint32_t aeoi[8];
};

/* Set .version before hv_vcpu_apic_get_state() */
#define HV_APIC_STATE_EXT_VER	(100)

typedef struct {			/* 248 bytes */
	uint32_t version;
	struct hv_apic_state state;
} hv_apic_state_ext_t;

/* One 8259 PIC; 16 one-byte members */
struct hv_atpic_state {
	bool ready;
	uint8_t icw_num;
	uint8_t rd_cmd_reg;
	bool aeoi;
	bool poll;
	bool rotate;
	bool sfn;
	uint8_t irq_base;
	uint8_t request;		/* IRR */
	uint8_t service;		/* ISR */
	uint8_t mask;			/* IMR */
	bool smm;
	uint8_t last_request;
	uint8_t lowprio;
	bool intr_raised;
	uint8_t elc;
};

/* Set .version before hv_vm_atpic_get_state() */
#define HV_ATPIC_STATE_EXT_VER	(100)

typedef struct {			/* 20 bytes */
	uint32_t version;
	struct hv_atpic_state state;
} hv_atpic_state_ext_t;

/* IOAPIC; 272 bytes */
struct hv_ioapic_state {
	uint64_t rtbl[32];
	uint32_t irr;
	uint32_t ioa_id;
	uint32_t ioregsel;
};

/* Set .version before hv_vm_ioapic_get_state() */
#define HV_IOAPIC_STATE_EXT_VER	(100)

typedef struct {			/* 280 bytes */
	uint32_t version;
	struct hv_ioapic_state state;
} hv_ioapic_state_ext_t;

__END_DECLS

OS_ASSUME_NONNULL_END

#endif /* __HYPERVISOR_HV_INTR__ */
