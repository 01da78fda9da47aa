/* SPDX-License-Identifier: MIT */
/* The PC board: wires the device models to I/O ports, MMIO pages and
 * interrupt lines, routes interrupts (8259 pair -> BSP LINT0 in virtual
 * wire mode, ISA IRQs -> I/O APIC pins as in the MP table, I/O APIC and
 * IPIs -> local APICs), and runs the device timers on the main thread.
 * Everything here runs under vm.lock. */
#include "hvrun.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_EN (1ull << 11)

static __thread struct vcpu *self;  /* the vCPU of this thread, if any */

/* ------------------------------------------------------------------ */
/* Interrupt routing                                                  */

void board_kick(struct vcpu *v)
{
	pthread_cond_signal(&v->wake);
	/* Force a running vCPU out of the guest so it sees the new state
	 * (fact sheet §9.8). Not needed for the caller's own vCPU, nor for
	 * one asleep in HLT or waiting for SIPI. */
	if (v->created && v != self && !v->in_hlt && v->state == VCPU_RUNNING)
		hv_vcpu_interrupt(&v->id, 1);
}

void board_set_irq(unsigned irq, int level)
{
	pic_set_irq(&vm.pic, irq, level);
	/* MP table: ISA IRQ 0 is I/O APIC INTIN2, others identity. */
	ioapic_set_irq(&vm.ioapic, irq == 0 ? 2 : irq, level);
}

static void isa_irq(void *opaque, unsigned line, int level)
{
	(void)opaque;
	board_set_irq(line, level);
}

static void pic_output(void *opaque, int level)
{
	(void)opaque;
	if (level)
		board_kick(&vm.cpu[0]);  /* the 8259 is wired to the BSP */
}

/* Start an AP: INIT puts it in wait-for-SIPI (it already is), SIPI
 * gives the start page (SDM 11.6.1, MP spec B.4). */
static void deliver_one(struct vcpu *v, uint8_t mode, uint8_t vector,
			bool level)
{
	switch (mode) {
	case 0: /* fixed */
	case 1: /* lowest priority (the caller picked one target) */
		lapic_accept(&v->lapic, vector, level);
		break;
	case 4: /* NMI */
		v->nmi_pending = true;
		break;
	case 5: /* INIT */
		if (v->state != VCPU_WAIT_SIPI)
			trace("INIT to running vCPU %u ignored", v->index);
		break;
	case 6: /* startup */
		if (v->state == VCPU_WAIT_SIPI && v->sipi_vector < 0)
			v->sipi_vector = vector;
		break;
	default: /* SMI, ExtINT through the I/O APIC: not modelled */
		trace("delivery mode %u to vCPU %u ignored", mode, v->index);
		return;
	}
	board_kick(v);
}

static bool apic_on(const struct vcpu *v)
{
	return (v->apic_base & APIC_BASE_EN) != 0;
}

static void ioapic_deliver(void *opaque, uint8_t dest, bool logical,
			   uint8_t mode, uint8_t vector, bool level)
{
	(void)opaque;
	for (unsigned i = 0; i < vm.ncpus; i++) {
		struct vcpu *v = &vm.cpu[i];

		if (!apic_on(v) || !lapic_match(&v->lapic, dest, logical))
			continue;
		deliver_one(v, mode, vector, level);
		if (mode == 1)
			break;  /* lowest priority: the first match */
	}
}

/* ICR write of the vCPU whose LAPIC is opaque (SDM 11.6.1). */
static void lapic_ipi(void *opaque, const struct lapic_ipi *ipi)
{
	struct vcpu *src = opaque;

	/* INIT level de-assert only synchronises arbitration IDs. */
	if (ipi->mode == 5 && ipi->level_trigger && !ipi->level_assert)
		return;
	for (unsigned i = 0; i < vm.ncpus; i++) {
		struct vcpu *v = &vm.cpu[i];
		bool hit;

		switch (ipi->shorthand) {
		case 1: hit = v == src; break;
		case 2: hit = true; break;
		case 3: hit = v != src; break;
		default: hit = lapic_match(&v->lapic, ipi->dest, ipi->logical);
		}
		if (hit)
			deliver_one(v, ipi->mode, ipi->vector, false);
	}
}

static void lapic_eoi(void *opaque, uint8_t vector)
{
	(void)opaque;
	ioapic_eoi(&vm.ioapic, vector);
}

int board_pending_irq(struct vcpu *v, bool ack)
{
	int vec = apic_on(v) ? lapic_pending(&v->lapic) : -1;

	if (vec >= 0)
		return ack ? lapic_ack(&v->lapic) : vec;
	/* The 8259 reaches the BSP through LINT0 in ExtINT mode, or
	 * directly when the local APIC is disabled (SDM 11.4.3). */
	if (v->index == 0 && pic_intr(&vm.pic) &&
	    (!apic_on(v) || lapic_extint_enabled(&v->lapic)))
		return ack ? pic_ack(&vm.pic) : 0;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Guest TSC <-> host time: all TSCs were 0 at vm.tsc_sync_ns.        */

static uint64_t muldiv(uint64_t a, uint64_t mul, uint64_t div)
{
	return (a / div) * mul + (a % div) * mul / div;
}

uint64_t guest_tsc_now(void)
{
	return muldiv(clock_ns() - vm.tsc_sync_ns, vm.tsc_hz, NS_PER_SEC);
}

uint64_t guest_tsc_to_ns(uint64_t tsc)
{
	/* Round up: an early timer interrupt would see the deadline unmet. */
	return vm.tsc_sync_ns + muldiv(tsc, NS_PER_SEC, vm.tsc_hz) + 1;
}

/* ------------------------------------------------------------------ */
/* Port I/O                                                           */

static void kbc_reset(void *opaque)
{
	(void)opaque;
	vm_stop(true, 0, "guest reset the machine (keyboard controller / "
		"port 0x92); stopping");
}

static void debug_exit(void *opaque, int status)
{
	(void)opaque;
	vm_stop(true, status, "guest wrote %d to the debug-exit port %#x",
		status, vm.debug_port);
}

/* Ports Linux and PC software probe where this machine has nothing:
 * they read as an empty ISA bus (all ones) and ignore writes. */
static const struct { uint16_t lo, hi; } open_bus[] = {
	{ 0x0000, 0x001f },  /* 8237 DMA controller 1 */
	{ 0x0022, 0x0023 },  /* IMCR (absent: MP table IMCRP = 0) */
	{ 0x002e, 0x002f },  /* Super I/O configuration (8250 probes) */
	{ 0x004e, 0x004f },  /* Super I/O configuration, second address */
	{ 0x0080, 0x008f },  /* POST code / DMA page registers */
	{ 0x00c0, 0x00df },  /* 8237 DMA controller 2 */
	{ 0x00ed, 0x00ed },  /* I/O delay port */
	{ 0x00f0, 0x00f1 },  /* FPU error latch */
	{ 0x0170, 0x0177 },  /* secondary ATA */
	{ 0x01f0, 0x01f7 },  /* primary ATA */
	{ 0x0278, 0x027f },  /* LPT2 */
	{ 0x02e8, 0x02ef },  /* COM4 */
	{ 0x02f8, 0x02ff },  /* COM2 */
	{ 0x0376, 0x0377 },  /* ATA control */
	{ 0x0378, 0x037f },  /* LPT1 */
	{ 0x03b0, 0x03df },  /* MDA/CGA/VGA */
	{ 0x03e8, 0x03ef },  /* COM3 */
	{ 0x03f0, 0x03f7 },  /* floppy controller, ATA control */
	{ 0x0cf8, 0x0cff },  /* PCI configuration mechanism (no PCI bus) */
};

static bool is_open_bus(uint16_t port)
{
	for (unsigned i = 0; i < sizeof(open_bus) / sizeof(open_bus[0]); i++)
		if (port >= open_bus[i].lo && port <= open_bus[i].hi)
			return true;
	return false;
}

/* Byte-wide devices: returns false if no device decodes port. */
static bool pio_byte(uint16_t port, bool in, uint8_t *val)
{
	uint64_t now = clock_ns();

	if (port >= 0x3f8 && port <= 0x3ff) {
		if (in)
			*val = uart_read(&vm.uart, port - 0x3f8);
		else
			uart_write(&vm.uart, port - 0x3f8, *val);
	} else if (port == 0x20 || port == 0x21 || port == 0xa0 ||
		   port == 0xa1 || port == 0x4d0 || port == 0x4d1) {
		if (in)
			*val = pic_read(&vm.pic, port);
		else
			pic_write(&vm.pic, port, *val);
	} else if (port >= 0x40 && port <= 0x43) {
		if (in)
			*val = pit_read(&vm.pit, port, now);
		else
			pit_write(&vm.pit, port, *val, now);
		pthread_cond_signal(&vm.timer_cond);
	} else if (port == 0x61) {
		if (in)
			*val = pit_read_port61(&vm.pit, now);
		else
			pit_write_port61(&vm.pit, *val, now);
	} else if (port == 0x60 || port == 0x64 || port == 0x92) {
		if (in)
			*val = i8042_read(&vm.kbc, port);
		else
			i8042_write(&vm.kbc, port, *val);
	} else if (port == 0x70 || port == 0x71) {
		if (in)
			*val = rtc_read(&vm.rtc, port, time(NULL));
		else
			rtc_write(&vm.rtc, port, *val, time(NULL));
	} else if (is_open_bus(port) || port == vm.debug_port) {
		if (in)
			*val = 0xff;
	} else {
		return false;
	}
	return true;
}

bool board_pio(struct vcpu *v, uint16_t port, unsigned size, bool in,
	       uint32_t *val)
{
	bool ok = true;

	self = v;
	pthread_mutex_lock(&vm.lock);
	if (!in && debugexit_write(&vm.debugexit, port, *val)) {
		pthread_mutex_unlock(&vm.lock);
		return true;
	}
	/* Wider accesses to byte devices touch consecutive ports, as on
	 * the ISA bus (8-bit devices see a 16-bit cycle split in two). */
	for (unsigned i = 0; i < size && ok; i++) {
		uint8_t b = (uint8_t)(*val >> (8 * i));

		ok = pio_byte((uint16_t)(port + i), in, &b);
		if (in)
			*val = (*val & ~(0xffu << (8 * i))) | ((uint32_t)b << (8 * i));
	}
	pthread_mutex_unlock(&vm.lock);
	return ok;
}

/* ------------------------------------------------------------------ */
/* MMIO                                                               */

bool board_mmio(struct vcpu *v, uint64_t gpa, unsigned size, bool write,
		uint64_t *val)
{
	unsigned off = (unsigned)(gpa & 0xfff), shift = 8 * (off & 3);
	uint32_t word;
	bool ok = true;

	self = v;
	pthread_mutex_lock(&vm.lock);
	if ((gpa & ~0xfffull) == (v->apic_base & ~0xfffull) && apic_on(v)) {
		/* Registers are 32 bits on 16-byte boundaries (SDM 11.4.1). */
		if (write) {
			lapic_write(&v->lapic, off, (uint32_t)*val << shift,
				    clock_ns());
			pthread_cond_signal(&vm.timer_cond);
		} else {
			word = lapic_read(&v->lapic, off, clock_ns());
			*val = word >> shift;
		}
	} else if ((gpa & ~0xfffull) == IOAPIC_GPA) {
		if (write)
			ioapic_write(&vm.ioapic, off, (uint32_t)*val);
		else
			*val = ioapic_read(&vm.ioapic, off) >> shift;
	} else {
		ok = false;
	}
	if (ok && !write && size < 8)
		*val &= (1ull << (8 * size)) - 1;
	pthread_mutex_unlock(&vm.lock);
	return ok;
}

/* ------------------------------------------------------------------ */
/* Setup and timers                                                   */

void board_init(void)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&vm.lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&vm.timer_cond, &ca);
	for (unsigned i = 0; i < vm.ncpus; i++) {
		struct vcpu *v = &vm.cpu[i];

		v->index = i;
		v->sipi_vector = -1;
		v->state = i == 0 ? VCPU_RUNNING : VCPU_WAIT_SIPI;
		pthread_cond_init(&v->wake, &ca);
		v->apic_base = LAPIC_GPA | APIC_BASE_EN | (i == 0 ? APIC_BASE_BSP : 0);
		lapic_init(&v->lapic, (uint8_t)i, LAPIC_BUS_HZ);
		v->lapic.send_ipi = lapic_ipi;
		v->lapic.eoi = lapic_eoi;
		v->lapic.opaque = v;
	}
	/* What firmware does before any OS runs (MP spec 3.6.2.2, virtual
	 * wire mode): BSP LINT0 = ExtINT, LINT1 = NMI, APIC enabled. */
	lapic_write(&vm.cpu[0].lapic, LAPIC_SVR, 0x1ff, 0);
	lapic_write(&vm.cpu[0].lapic, LAPIC_LVT_LINT0, 0x700, 0);
	lapic_write(&vm.cpu[0].lapic, LAPIC_LVT_LINT1, 0x400, 0);
	pthread_condattr_destroy(&ca);
	pic_init(&vm.pic, pic_output, NULL);
	pit_init(&vm.pit, isa_irq, NULL);
	rtc_init(&vm.rtc, vm.ram_size, time(NULL));
	uart_init(&vm.uart, 4, isa_irq, console_write, NULL);
	i8042_init(&vm.kbc, kbc_reset, isa_irq, NULL);
	ioapic_init(&vm.ioapic, (uint8_t)vm.ncpus, ioapic_deliver, NULL);
	debugexit_init(&vm.debugexit, vm.debug_port, debug_exit, NULL);
}

static uint64_t next_deadline(uint64_t start)
{
	uint64_t next = pit_deadline(&vm.pit);

	for (unsigned i = 0; i < vm.ncpus; i++)
		if (vm.cpu[i].lapic.timer_deadline < next)
			next = vm.cpu[i].lapic.timer_deadline;
	if (vm.timeout_ns && start + vm.timeout_ns < next)
		next = start + vm.timeout_ns;
	return next;
}

void board_timer_loop(void)
{
	uint64_t start = clock_ns();

	pthread_mutex_lock(&vm.lock);
	while (!vm.stop) {
		uint64_t now = clock_ns(), next;
		struct timespec ts;

		pit_poll(&vm.pit, now);
		for (unsigned i = 0; i < vm.ncpus; i++)
			if (lapic_timer_poll(&vm.cpu[i].lapic, now))
				board_kick(&vm.cpu[i]);
		if (vm.timeout_ns && now - start >= vm.timeout_ns) {
			vm.dump_on_stop = true;
			vm_stop(true, 124, "timeout: the guest ran for %llu s "
				"without finishing",
				(unsigned long long)(vm.timeout_ns / NS_PER_SEC));
			break;
		}
		next = next_deadline(start);
		if (next == NO_DEADLINE) {
			pthread_cond_wait(&vm.timer_cond, &vm.lock);
			continue;
		}
		ts.tv_sec = (time_t)(next / NS_PER_SEC);
		ts.tv_nsec = (long)(next % NS_PER_SEC);
		pthread_cond_timedwait(&vm.timer_cond, &vm.lock, &ts);
	}
	pthread_mutex_unlock(&vm.lock);
}
