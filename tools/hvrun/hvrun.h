/* SPDX-License-Identifier: MIT */
/* hvrun: a small PC-compatible VMM on Hypervisor.framework's public API.
 * Shared declarations of the VMM side: the one VM (guest memory, devices,
 * vCPUs), the board glue (board.c), the CPU exits (cpu.c), MMIO
 * instruction decoding (mmio.c), loaders and the console.
 *
 * Threads: one per vCPU (it creates, runs and destroys its vCPU: every
 * hv_vcpu_* call happens on the owning thread), the main thread runs the
 * device timers, and the console thread reads stdin. One mutex, vm.lock,
 * guards every device and the interrupt state of every vCPU. */
#ifndef HVRUN_H
#define HVRUN_H

#include <Hypervisor/Hypervisor.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "devices.h"

#define MAX_VCPUS 2
#define LAPIC_GPA 0xfee00000ull
#define IOAPIC_GPA 0xfec00000ull
#define MPTABLE_GPA 0x9fc00u   /* EBDA: MP spec 4: "first KiB of EBDA" */
#define LAPIC_BUS_HZ 25000000ull /* LAPIC timer clock = CPUID.15H crystal */
#define MAX_MEM_REGIONS 6

/* A piece of guest-physical memory backed by host memory. */
struct mem_region {
	uint64_t gpa, size;
	uint8_t *host;
	bool rom;   /* mapped read+execute; guest writes are dropped */
};

/* Initial register state of the boot vCPU, filled in by a loader and
 * applied by the vCPU's own thread (cpu_apply_boot). */
enum boot_mode { BOOT_RESET, BOOT_REAL, BOOT_PROTECTED32, BOOT_LONG64 };

struct boot_state {
	enum boot_mode mode;
	uint64_t rip, rsp, rsi, rbx, rax;
	uint64_t cs_base;     /* BOOT_REAL: CS base; selector = base >> 4 */
	uint64_t cr0, cr3, cr4, efer;
	uint64_t gdt_base;
	uint16_t gdt_limit;
	uint16_t cs, ds;      /* selectors in protected/long mode */
};

enum vcpu_run_state { VCPU_WAIT_SIPI, VCPU_RUNNING };

struct vcpu {
	unsigned index;
	hv_vcpuid_t id;
	pthread_t thread;
	pthread_cond_t wake;       /* HLT and wait-for-SIPI sleep here */
	enum vcpu_run_state state;
	bool created;
	bool in_hlt;               /* sleeping in HLT (IF=1) */
	bool stopped_cli;          /* HLT with IF=0: stopped for good */
	int sipi_vector;           /* -1: none pending */
	bool nmi_pending;
	bool irq_window;           /* interrupt-window exiting is on */
	uint64_t cpu_based;        /* primary processor-based controls */
	uint64_t apic_base;        /* IA32_APIC_BASE */
	struct lapic lapic;
	/* MTRR state (SDM Vol. 3A 12.11): default type, 8 variable pairs,
	 * 11 fixed-range MSRs. */
	uint64_t mtrr_def, mtrr_var[16], mtrr_fix[11];
	uint64_t misc_enable;
	uint64_t exits;            /* exit count, for -trace statistics */
};

struct vm {
	/* Configuration. */
	uint64_t ram_size;
	unsigned ncpus;
	uint16_t debug_port;
	bool trace, lax_io;
	uint64_t timeout_ns;
	/* Guest memory. */
	struct mem_region mem[MAX_MEM_REGIONS];
	unsigned nmem;
	struct boot_state boot;
	uint64_t tsc_hz;           /* guest TSC rate */
	uint64_t tsc_sync_ns;      /* clock_ns() when guest TSCs were 0 */
	/* Devices and vCPUs, under lock. */
	pthread_mutex_t lock;
	pthread_cond_t timer_cond; /* wakes the timer thread */
	struct pic pic;
	struct pit pit;
	struct rtc rtc;
	struct uart uart;
	struct i8042 kbc;
	struct ioapic ioapic;
	struct debugexit debugexit;
	struct vcpu cpu[MAX_VCPUS];
	/* Stopping: the first vm_stop wins. */
	bool stop;
	bool dump_on_stop;         /* vCPUs print their state (timeout) */
	int exit_status;
};

extern struct vm vm;

/* main.c */
uint64_t clock_ns(void);
/* Host pointer for [gpa, gpa+len) inside one RAM/ROM region, or NULL. */
void *gpa_host(uint64_t gpa, uint64_t len);
const struct mem_region *gpa_region(uint64_t gpa);
/* Ask every thread to stop; the process exits with status. Any thread;
 * takes vm.lock if locked is false. */
void vm_stop(bool locked, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Fatal check of an API call made by a vCPU thread. */
#define HV(call) hv_check((call), #call, __FILE__, __LINE__)
bool hv_check(hv_return_t r, const char *what, const char *file, int line);

/* board.c: device wiring, port and MMIO buses, interrupt routing. */
void board_init(void);
void board_timer_loop(void);           /* main thread, until vm.stop */
void board_kick(struct vcpu *v);       /* under lock */
void board_set_irq(unsigned isa_irq, int level); /* under lock */
/* Port I/O from a vCPU; false: nobody decodes the port. */
bool board_pio(struct vcpu *v, uint16_t port, unsigned size, bool in,
	       uint32_t *val);
/* MMIO from a vCPU; false: no device at gpa. */
bool board_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write,
		uint64_t *val);
/* Interrupt the vCPU can take now (LAPIC or PIC via LINT0): vector, or
 * -1; ack = true performs the INTA. Under lock. */
int board_pending_irq(struct vcpu *v, bool ack);
uint64_t guest_tsc_to_ns(uint64_t tsc);
uint64_t guest_tsc_now(void);

/* cpu.c: vCPU setup and the CPU-side exits. */
void cpu_setup(struct vcpu *v);
void cpu_apply_boot(struct vcpu *v, const struct boot_state *b);
void cpu_start_ap(struct vcpu *v, unsigned vector);
void cpu_inject(struct vcpu *v);       /* before each entry */
void cpu_reinject(struct vcpu *v);     /* after each exit */
void cpu_dump(struct vcpu *v, const char *why);
uint64_t vmcs_get(struct vcpu *v, uint32_t field);
void vmcs_set(struct vcpu *v, uint32_t field, uint64_t val);
uint64_t reg_get(struct vcpu *v, hv_x86_reg_t reg);
void reg_set(struct vcpu *v, hv_x86_reg_t reg, uint64_t val);
void cpu_skip(struct vcpu *v, uint64_t len);
void cpu_inject_exception(struct vcpu *v, uint8_t vector, bool has_error,
			  uint32_t error);
void cpu_cpuid(struct vcpu *v, uint32_t leaf, uint32_t sub, uint32_t r[4]);

/* Exit handlers (cpu.c, mmio.c): 0 = re-enter, -1 = stop. */
struct exit_info {
	uint32_t reason;
	uint64_t qual;
	uint64_t len;    /* VM-exit instruction length (instruction exits) */
};
typedef int (*exit_fn)(struct vcpu *v, const struct exit_info *e);
int exit_exception(struct vcpu *v, const struct exit_info *e);
int exit_triple_fault(struct vcpu *v, const struct exit_info *e);
int exit_irq_window(struct vcpu *v, const struct exit_info *e);
int exit_cpuid(struct vcpu *v, const struct exit_info *e);
int exit_hlt(struct vcpu *v, const struct exit_info *e);
int exit_vmcall(struct vcpu *v, const struct exit_info *e);
int exit_mov_cr(struct vcpu *v, const struct exit_info *e);
int exit_io(struct vcpu *v, const struct exit_info *e);
int exit_rdmsr(struct vcpu *v, const struct exit_info *e);
int exit_wrmsr(struct vcpu *v, const struct exit_info *e);
int exit_entry_failure(struct vcpu *v, const struct exit_info *e);
int exit_ept_violation(struct vcpu *v, const struct exit_info *e);
int exit_xsetbv(struct vcpu *v, const struct exit_info *e);

/* mmio.c: guest linear -> physical translation and MMIO decoding. */
struct mmio_insn {
	unsigned len;     /* instruction length */
	unsigned size;    /* access size in bytes */
	enum { MMIO_LOAD, MMIO_STORE, MMIO_STORE_IMM, MMIO_LOAD_ZX,
	       MMIO_LOAD_SX, MMIO_XCHG, MMIO_RMW_OR, MMIO_RMW_AND,
	       MMIO_TEST } op;
	unsigned reg;     /* GPR number 0-15 (ModRM.reg / REX.R) */
	bool high8;       /* AH/CH/DH/BH (no REX, reg 4-7, byte size) */
	unsigned dst_size;/* MOVZX/MOVSX destination size */
	uint64_t imm;
	bool reg_src;     /* RMW/TEST operand is a register */
};
/* Decode bytes[0..n) at a faulting RIP; cpu_mode 16, 32 or 64. Returns
 * false for forms this VMM does not emulate. */
bool mmio_decode(const uint8_t *bytes, unsigned n, unsigned cpu_mode,
		 struct mmio_insn *out);
/* Up to n code bytes at the vCPU's CS:RIP (vCPU thread); *mode = 16, 32
 * or 64. Returns how many could be read. */
unsigned fetch_insn(struct vcpu *v, uint8_t *buf, unsigned n, unsigned *mode);

/* Loaders: fill vm.boot and guest memory; false with a message on
 * error. */
bool load_linux(const char *kernel, const char *initrd, const char *cmdline);
bool load_flat(const char *spec, uint64_t entry, bool have_entry);
bool load_bios(const char *file);
bool load_rom(const char *spec);
bool load_multiboot(const char *kernel, const char *cmdline);
/* loader_elf.c: an uncompressed vmlinux already read into img. */
bool load_vmlinux(const uint8_t *img, size_t size, const char *initrd,
		  const char *cmdline);
/* loader_linux.c, shared with loader_elf.c: boot_params from a setup
 * header laid out as in a bzImage (bytes 0x1f1..hdr_end), and the
 * 64-bit boot protocol's entry state. */
bool linux_zero_page(const uint8_t *hdr, size_t hdr_end, const char *initrd,
		     const char *cmdline, uint64_t kernel_end);
void linux_enter64(uint64_t entry);
void setup_bios_data(void);
/* e820 map of the guest (Linux boot protocol, "zero page" 0x2d0). */
unsigned e820_build(uint8_t *table, unsigned max);
bool read_file(const char *path, uint8_t **data, size_t *size);
/* Map a copy of a ROM image read+execute at gpa (main.c). */
bool map_rom(uint64_t gpa, const uint8_t *data, size_t size);

/* console.c: the host terminal behind COM1. */
void console_start(void);
void console_restore(void);
void console_write(void *opaque, uint8_t byte);

#endif
