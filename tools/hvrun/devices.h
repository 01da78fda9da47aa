/* SPDX-License-Identifier: MIT */
/* hvrun device models: state and entry points of every emulated PC device.
 * The models are plain C with no Hypervisor.framework, thread or clock
 * dependency: callers pass the current time in and receive interrupt and
 * side effects through callbacks, so each device builds and is unit-tested
 * on its own (tests/hvrun/<device>_test.c + tools/hvrun/<device>.c).
 * Locking is the caller's business (hvrun holds one board lock). */
#ifndef HVRUN_DEVICES_H
#define HVRUN_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/* An interrupt line: set(opaque, line, level). Level 1 = asserted. */
typedef void (*irq_set_fn)(void *opaque, unsigned line, int level);

#define NS_PER_SEC 1000000000ull
#define NO_DEADLINE UINT64_MAX

/* ------------------------------------------------------------------ */
/* 16550A UART (National Semiconductor PC16550D datasheet).            */

#define UART_FIFO_SIZE 16

struct uart {
	uint8_t ier, lcr, mcr, lsr, msr, scr, dll, dlm, fcr;
	bool thre_pending;          /* THR-empty interrupt armed */
	uint8_t rx[UART_FIFO_SIZE]; /* receive FIFO (ring) */
	unsigned rx_head, rx_count;
	void (*tx)(void *opaque, uint8_t byte); /* transmitter output */
	irq_set_fn irq;
	void *opaque;
	unsigned irq_line;
	int irq_level;              /* last level reported */
};

void uart_init(struct uart *u, unsigned irq_line, irq_set_fn irq,
	       void (*tx)(void *, uint8_t), void *opaque);
uint8_t uart_read(struct uart *u, unsigned reg);
void uart_write(struct uart *u, unsigned reg, uint8_t val);
/* Offer a received byte; false if the FIFO is full (try again later). */
bool uart_receive(struct uart *u, uint8_t byte);
bool uart_rx_full(const struct uart *u);

/* ------------------------------------------------------------------ */
/* 8259A programmable interrupt controller pair (Intel 8259A datasheet) */

struct pic_chip {
	uint8_t irr, isr, imr;
	uint8_t vector_base;   /* ICW2 & 0xf8 */
	uint8_t elcr;          /* edge/level control (1 = level), PIIX ELCR */
	uint8_t lines;         /* current input levels */
	uint8_t lowest;        /* lowest-priority IR (rotation), reset 7 */
	uint8_t init_step;     /* 0 = operational, 2..4 = expecting ICWn */
	bool icw4_needed, single, auto_eoi, sfnm;
	bool read_isr, poll, special_mask;
};

struct pic {
	struct pic_chip chip[2];  /* [0] master (0x20), [1] slave (0xa0) */
	void (*intr)(void *opaque, int level); /* INTR output to the CPU */
	void *opaque;
	int intr_level;
};

void pic_init(struct pic *p, void (*intr)(void *, int), void *opaque);
void pic_set_irq(struct pic *p, unsigned irq, int level);
uint8_t pic_read(struct pic *p, uint16_t port);
void pic_write(struct pic *p, uint16_t port, uint8_t val);
bool pic_intr(const struct pic *p);
/* INTA cycle: the vector the pair puts on the bus (SDM 6.3; 8259A "INTA
 * sequence"); a spurious request returns base+7. */
uint8_t pic_ack(struct pic *p);

/* ------------------------------------------------------------------ */
/* 8254 programmable interval timer (Intel 82C54 datasheet).          */

#define PIT_HZ 1193182ull

struct pit_channel {
	uint8_t mode;        /* 0..5 */
	uint8_t rw;          /* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	uint32_t reload;     /* count register; 0 means 0x10000 */
	uint64_t start_ns;   /* time the count was loaded (or gate rose) */
	bool counting;       /* count loaded and gate allows counting */
	bool gate;
	uint32_t frozen;     /* count while the gate holds it (modes 0/4) */
	bool write_msb;      /* next write is the MSB (rw == 3) */
	uint8_t write_lsb;
	bool read_msb;       /* next read is the MSB (rw == 3) */
	bool latched;        /* counter latch command pending */
	uint16_t latch;
	uint8_t latch_bytes; /* bytes of the latched count left to read */
	bool status_latched;
	uint8_t status;
	uint64_t edges_seen; /* output rising edges already reported */
};

struct pit {
	struct pit_channel ch[3];
	uint8_t port61;      /* bit 0 gate 2, bit 1 speaker data */
	irq_set_fn irq;      /* channel 0 output -> IRQ 0 */
	void *opaque;
};

void pit_init(struct pit *p, irq_set_fn irq, void *opaque);
uint8_t pit_read(struct pit *p, uint16_t port, uint64_t now);
void pit_write(struct pit *p, uint16_t port, uint8_t val, uint64_t now);
uint8_t pit_read_port61(struct pit *p, uint64_t now);
void pit_write_port61(struct pit *p, uint8_t val, uint64_t now);
uint32_t pit_count(const struct pit *p, unsigned c, uint64_t now);
bool pit_out(const struct pit *p, unsigned c, uint64_t now);
/* Time of the next channel-0 interrupt, NO_DEADLINE if none. */
uint64_t pit_deadline(const struct pit *p);
/* Deliver the channel-0 interrupt (an IRQ 0 pulse) if one is due. */
void pit_poll(struct pit *p, uint64_t now);

/* ------------------------------------------------------------------ */
/* MC146818 real-time clock and CMOS RAM (Motorola MC146818A datasheet) */

struct rtc {
	uint8_t index;
	uint8_t ram[128];    /* registers 0x0a-0x7f; time regs are computed */
	int64_t offset;      /* guest time - host time, seconds */
	time_t last_read;    /* for the update-ended flag */
};

/* mem_bytes: guest RAM size, for the CMOS memory-size bytes. */
void rtc_init(struct rtc *r, uint64_t mem_bytes, time_t now);
uint8_t rtc_read(struct rtc *r, uint16_t port, time_t now);
void rtc_write(struct rtc *r, uint16_t port, uint8_t val, time_t now);

/* ------------------------------------------------------------------ */
/* 8042 keyboard controller: enough for Linux's probe and the reset line
 * (IBM PC/AT Technical Reference, keyboard controller commands).       */

struct i8042 {
	uint8_t status, ctr, outport;
	uint8_t cmd;         /* command waiting for a data byte, 0 if none */
	uint8_t queue[8];    /* output buffer queue */
	bool queue_aux[8];
	unsigned q_head, q_count;
	uint8_t port92;
	void (*reset)(void *opaque);
	irq_set_fn irq;      /* IRQ 1 (keyboard), IRQ 12 (aux) */
	void *opaque;
};

void i8042_init(struct i8042 *k, void (*reset)(void *), irq_set_fn irq,
		void *opaque);
uint8_t i8042_read(struct i8042 *k, uint16_t port);
void i8042_write(struct i8042 *k, uint16_t port, uint8_t val);

/* ------------------------------------------------------------------ */
/* Local APIC (Intel SDM Vol. 3A, chapter 11 "Advanced Programmable
 * Interrupt Controller").                                              */

enum {
	LAPIC_ID = 0x20, LAPIC_VER = 0x30, LAPIC_TPR = 0x80, LAPIC_APR = 0x90,
	LAPIC_PPR = 0xa0, LAPIC_EOI = 0xb0, LAPIC_RRD = 0xc0, LAPIC_LDR = 0xd0,
	LAPIC_DFR = 0xe0, LAPIC_SVR = 0xf0, LAPIC_ISR = 0x100,
	LAPIC_TMR = 0x180, LAPIC_IRR = 0x200, LAPIC_ESR = 0x280,
	LAPIC_LVT_CMCI = 0x2f0, LAPIC_ICR_LO = 0x300, LAPIC_ICR_HI = 0x310,
	LAPIC_LVT_TIMER = 0x320, LAPIC_LVT_THERMAL = 0x330,
	LAPIC_LVT_PERF = 0x340, LAPIC_LVT_LINT0 = 0x350,
	LAPIC_LVT_LINT1 = 0x360, LAPIC_LVT_ERROR = 0x370,
	LAPIC_TIMER_ICR = 0x380, LAPIC_TIMER_CCR = 0x390,
	LAPIC_TIMER_DCR = 0x3e0,
};

#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_NLVT 6   /* timer, thermal, perf, LINT0, LINT1, error */

/* An interprocessor interrupt as written to the ICR (SDM 11.6.1). */
struct lapic_ipi {
	uint8_t vector, mode, shorthand;
	bool logical, level_assert, level_trigger;
	uint8_t dest;
};

struct lapic {
	uint8_t id;
	uint32_t tpr, ldr, dfr, svr, esr, icr_hi;
	uint32_t isr[8], irr[8], tmr[8];
	uint32_t lvt[LAPIC_NLVT];     /* index (offset - 0x320) / 16 */
	uint32_t timer_icr, timer_dcr;
	uint64_t timer_start;         /* ns; one-shot/periodic base */
	uint64_t timer_deadline;      /* ns of the next expiry or NO_DEADLINE */
	uint64_t tsc_deadline;        /* IA32_TSC_DEADLINE value */
	uint64_t bus_hz;              /* timer input clock */
	void (*send_ipi)(void *opaque, const struct lapic_ipi *ipi);
	void (*eoi)(void *opaque, uint8_t vector);  /* level EOI -> IOAPIC */
	void *opaque;
};

void lapic_init(struct lapic *l, uint8_t id, uint64_t bus_hz);
uint32_t lapic_read(struct lapic *l, unsigned off, uint64_t now);
void lapic_write(struct lapic *l, unsigned off, uint32_t val, uint64_t now);
bool lapic_enabled(const struct lapic *l); /* SVR software enable */
void lapic_accept(struct lapic *l, uint8_t vector, bool level);
int lapic_pending(const struct lapic *l);  /* vector or -1 */
uint8_t lapic_ack(struct lapic *l);        /* IRR -> ISR of lapic_pending */
bool lapic_extint_enabled(const struct lapic *l); /* LINT0 = ExtINT */
bool lapic_match(const struct lapic *l, uint8_t dest, bool logical);
/* TSC-deadline mode (SDM 11.5.4.1); deadline_ns converted by the caller. */
bool lapic_tsc_deadline_mode(const struct lapic *l);
void lapic_set_tsc_deadline(struct lapic *l, uint64_t tsc, uint64_t ns);
/* Fire the timer if due; true if an interrupt was raised. */
bool lapic_timer_poll(struct lapic *l, uint64_t now);
uint64_t lapic_timer_period_ns(const struct lapic *l);

/* ------------------------------------------------------------------ */
/* I/O APIC (Intel 82093AA datasheet).                                 */

#define IOAPIC_PINS 24

struct ioapic {
	uint8_t id, sel;
	uint64_t redir[IOAPIC_PINS];
	uint32_t lines;      /* input levels */
	/* deliver(opaque, dest, logical, mode, vector, level) */
	void (*deliver)(void *opaque, uint8_t dest, bool logical, uint8_t mode,
			uint8_t vector, bool level);
	void *opaque;
};

#define IOAPIC_MASKED (1ull << 16)
#define IOAPIC_LEVEL (1ull << 15)
#define IOAPIC_REMOTE_IRR (1ull << 14)

void ioapic_init(struct ioapic *io, uint8_t id,
		 void (*deliver)(void *, uint8_t, bool, uint8_t, uint8_t, bool),
		 void *opaque);
uint32_t ioapic_read(struct ioapic *io, unsigned off);
void ioapic_write(struct ioapic *io, unsigned off, uint32_t val);
void ioapic_set_irq(struct ioapic *io, unsigned pin, int level);
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/* ------------------------------------------------------------------ */
/* Debug-exit port (after QEMU's isa-debug-exit idea, but the status is
 * the value itself): an OUT of v to the port ends hvrun with status v. */

struct debugexit {
	uint16_t port;
	void (*exit)(void *opaque, int status);
	void *opaque;
};

void debugexit_init(struct debugexit *d, uint16_t port,
		    void (*exit_fn)(void *, int), void *opaque);
/* true if port is the debug-exit port (the write was consumed). */
bool debugexit_write(struct debugexit *d, uint16_t port, uint32_t val);

/* ------------------------------------------------------------------ */
/* Intel MultiProcessor Specification 1.4 tables.                      */

/* Write the floating pointer and configuration table at gpa (inside
 * mem, which is guest memory starting at guest-physical 0); returns the
 * bytes used. cpu_signature/features: CPUID.1 EAX/EDX for the entries. */
unsigned mptable_build(uint8_t *mem, uint32_t gpa, unsigned ncpus,
		       uint32_t cpu_signature, uint32_t cpu_features);

#endif
