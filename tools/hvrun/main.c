/* SPDX-License-Identifier: MIT */
/* hvrun: options, guest memory, one thread per vCPU and the run loop that
 * dispatches VM exits through a table indexed by basic exit reason (Intel
 * SDM Vol. 3C, Appendix C). Written only against the public
 * Hypervisor.framework API; see tools/hvrun/README.md for the machine. */
#include "hvrun.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct vm vm;

static pthread_cond_t created_cond = PTHREAD_COND_INITIALIZER;
static bool go;

/* ------------------------------------------------------------------ */
/* Utilities                                                          */

uint64_t clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* Messages go to stderr; while the terminal is raw a newline needs \r. */
static void vmsg(const char *prefix, const char *fmt, va_list ap)
{
	char buf[512];
	int n = snprintf(buf, sizeof(buf), "%s", prefix);

	if (n < 0)
		return;
	vsnprintf(buf + n, sizeof(buf) - (size_t)n, fmt, ap);
	fprintf(stderr, "%s\r\n", buf);
}

void trace(const char *fmt, ...)
{
	va_list ap;

	if (!vm.trace)
		return;
	va_start(ap, fmt);
	vmsg("hvrun: trace: ", fmt, ap);
	va_end(ap);
}

void vm_stop(bool locked, int status, const char *fmt, ...)
{
	va_list ap;

	if (!locked)
		pthread_mutex_lock(&vm.lock);
	if (!vm.stop) {
		vm.stop = true;
		vm.exit_status = status;
		va_start(ap, fmt);
		vmsg("hvrun: ", fmt, ap);
		va_end(ap);
		for (unsigned i = 0; i < vm.ncpus; i++)
			board_kick(&vm.cpu[i]);
		pthread_cond_broadcast(&vm.timer_cond);
	}
	if (!locked)
		pthread_mutex_unlock(&vm.lock);
}

bool hv_check(hv_return_t r, const char *what, const char *file, int line)
{
	if (r == HV_SUCCESS)
		return true;
	vm_stop(false, 1, "%s:%d: %s failed: %#x", file, line, what,
		(unsigned)r);
	return false;
}

const struct mem_region *gpa_region(uint64_t gpa)
{
	for (unsigned i = 0; i < vm.nmem; i++) {
		const struct mem_region *m = &vm.mem[i];

		if (gpa >= m->gpa && gpa - m->gpa < m->size)
			return m;
	}
	return NULL;
}

void *gpa_host(uint64_t gpa, uint64_t len)
{
	const struct mem_region *m = gpa_region(gpa);

	if (!m || len > m->size - (gpa - m->gpa))
		return NULL;
	return m->host + (gpa - m->gpa);
}

bool read_file(const char *path, uint8_t **data, size_t *size)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	size_t done = 0;

	if (fd < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "hvrun: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	*size = (size_t)st.st_size;
	*data = malloc(*size ? *size : 1);
	while (*data && done < *size) {
		ssize_t n = read(fd, *data + done, *size - done);

		if (n <= 0) {
			fprintf(stderr, "hvrun: %s: short read\n", path);
			free(*data);
			*data = NULL;
			break;
		}
		done += (size_t)n;
	}
	close(fd);
	return *data != NULL;
}

/* ------------------------------------------------------------------ */
/* Guest memory: RAM below 3 GiB at 0, the rest above 4 GiB (the hole  */
/* holds the I/O APIC, local APIC and the reset-vector ROM).           */

#define LOW_RAM_MAX 0xc0000000ull

static bool map_region(uint64_t gpa, uint64_t size, bool rom)
{
	struct mem_region *m = &vm.mem[vm.nmem];
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	hv_memory_flags_t fl = HV_MEMORY_READ | HV_MEMORY_EXEC;
	hv_return_t r;

	if (vm.nmem == MAX_MEM_REGIONS || p == MAP_FAILED) {
		fprintf(stderr, "hvrun: cannot allocate %llu bytes of guest memory\n",
			(unsigned long long)size);
		return false;
	}
	if (!rom)
		fl |= HV_MEMORY_WRITE;
	r = hv_vm_map(p, gpa, size, fl);
	if (r != HV_SUCCESS) {
		fprintf(stderr, "hvrun: hv_vm_map(%#llx, %#llx) failed: %#x\n",
			(unsigned long long)gpa, (unsigned long long)size,
			(unsigned)r);
		munmap(p, size);
		return false;
	}
	*m = (struct mem_region){ .gpa = gpa, .size = size, .host = p,
				  .rom = rom };
	vm.nmem++;
	return true;
}

/* Map a ROM image (its own copy, so guest writes cannot change it). */
bool map_rom(uint64_t gpa, const uint8_t *data, size_t size)
{
	uint64_t len = (size + 0xfff) & ~0xfffull;

	if (!map_region(gpa, len, true))
		return false;
	memcpy(vm.mem[vm.nmem - 1].host, data, size);
	return true;
}

static bool setup_ram(void)
{
	uint64_t low = vm.ram_size < LOW_RAM_MAX ? vm.ram_size : LOW_RAM_MAX;

	if (!map_region(0, low, false))
		return false;
	if (vm.ram_size > low)
		return map_region(0x100000000ull, vm.ram_size - low, false);
	return true;
}

/* ------------------------------------------------------------------ */
/* The run loop                                                       */

static int exit_irq(struct vcpu *v, const struct exit_info *e)
{
	(void)e;
	(void)v;
	/* A host interrupt or hv_vcpu_interrupt(): just re-enter (fact
	 * sheet §9.7-8); pending work is picked up before the next entry. */
	return 0;
}

static int exit_preemption(struct vcpu *v, const struct exit_info *e)
{
	(void)e;
	(void)v;
	return 0;
}

/* One handler per basic exit reason; NULL = unexpected. */
static const exit_fn exit_table[] = {
	[VMX_REASON_EXC_NMI] = exit_exception,
	[VMX_REASON_IRQ] = exit_irq,
	[VMX_REASON_TRIPLE_FAULT] = exit_triple_fault,
	[VMX_REASON_IRQ_WND] = exit_irq_window,
	[VMX_REASON_CPUID] = exit_cpuid,
	[VMX_REASON_HLT] = exit_hlt,
	[VMX_REASON_VMCALL] = exit_vmcall,
	[VMX_REASON_MOV_CR] = exit_mov_cr,
	[VMX_REASON_IO] = exit_io,
	[VMX_REASON_RDMSR] = exit_rdmsr,
	[VMX_REASON_WRMSR] = exit_wrmsr,
	[VMX_REASON_VMENTRY_GUEST] = exit_entry_failure,
	[VMX_REASON_VMENTRY_MSR] = exit_entry_failure,
	[VMX_REASON_EPT_VIOLATION] = exit_ept_violation,
	[VMX_REASON_VMX_TIMER_EXPIRED] = exit_preemption,
	[VMX_REASON_XSETBV] = exit_xsetbv,
};

static int dispatch(struct vcpu *v)
{
	struct exit_info e;
	uint64_t raw = vmcs_get(v, VMCS_RO_EXIT_REASON);
	exit_fn fn;

	e.reason = (uint32_t)(raw & 0xffff);
	e.qual = vmcs_get(v, VMCS_RO_EXIT_QUALIFIC);
	e.len = vmcs_get(v, VMCS_RO_VMEXIT_INSTR_LEN);
	v->exits++;
	if (raw & (1u << 31))  /* VM-entry failure (SDM 28.8) */
		return exit_entry_failure(v, &e);
	cpu_reinject(v);
	fn = e.reason < sizeof(exit_table) / sizeof(exit_table[0])
		     ? exit_table[e.reason] : NULL;
	if (fn)
		return fn(v, &e);
	cpu_dump(v, "unexpected VM exit");
	vm_stop(false, 1, "vCPU %u: unhandled exit reason %u, qualification "
		"%#llx", v->index, e.reason, (unsigned long long)e.qual);
	return -1;
}

/* Wait until an AP gets its startup IPI (MP spec B.4); false: stop. */
static bool wait_for_sipi(struct vcpu *v)
{
	int vector;

	pthread_mutex_lock(&vm.lock);
	while (!vm.stop && v->sipi_vector < 0)
		pthread_cond_wait(&v->wake, &vm.lock);
	vector = v->sipi_vector;
	v->sipi_vector = -1;
	if (!vm.stop)
		v->state = VCPU_RUNNING;
	pthread_mutex_unlock(&vm.lock);
	if (vm.stop)
		return false;
	cpu_start_ap(v, (unsigned)vector);
	return true;
}

static void run_vcpu(struct vcpu *v)
{
	for (;;) {
		bool stop;

		pthread_mutex_lock(&vm.lock);
		stop = vm.stop;
		pthread_mutex_unlock(&vm.lock);
		if (stop)
			return;
		if (v->state == VCPU_WAIT_SIPI) {
			if (!wait_for_sipi(v))
				return;
			continue;
		}
		cpu_inject(v);
		if (!HV(hv_vcpu_run(v->id)))
			return;
		if (dispatch(v) < 0)
			return;
	}
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;

	if (!HV(hv_vcpu_create(&v->id, HV_VCPU_DEFAULT)))
		goto signal;
	cpu_setup(v);
signal:
	pthread_mutex_lock(&vm.lock);
	v->created = true;
	pthread_cond_broadcast(&created_cond);
	while (!go && !vm.stop)
		pthread_cond_wait(&created_cond, &vm.lock);
	pthread_mutex_unlock(&vm.lock);
	if (v->index == 0 && !vm.stop)
		cpu_apply_boot(v, &vm.boot);
	run_vcpu(v);
	if (vm.dump_on_stop)
		cpu_dump(v, "stopped");
	if (vm.trace)
		trace("vCPU %u: %llu exits", v->index,
		      (unsigned long long)v->exits);
	hv_vcpu_destroy(v->id);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Options                                                            */

struct options {
	const char *kernel, *initrd, *append, *bios, *flat, *multiboot;
	const char *roms[4];
	unsigned nroms;
	uint64_t entry;
	bool have_entry;
};

static void usage(void)
{
	fprintf(stderr,
"usage: hvrun [options]\n"
"  -kernel FILE      Linux bzImage (64-bit boot protocol) or vmlinux ELF\n"
"  -vmlinux FILE     same as -kernel (an uncompressed vmlinux, see\n"
"                    extract-vmlinux.sh)\n"
"  -initrd FILE      initial ramdisk for -kernel\n"
"  -append CMDLINE   kernel command line (default: console=ttyS0)\n"
"  -multiboot FILE   multiboot (v1) ELF or a.out-kludge kernel\n"
"  -bios FILE        reset-vector ROM, mapped below 4 GiB, its last\n"
"                    64 KiB copied to 0xF0000; the CPU starts at reset\n"
"  -rom FILE@ADDR    extra ROM image at a guest-physical address\n"
"  -flat FILE@ADDR   flat binary, started in real mode at ADDR\n"
"  -entry ADDR       start address for -flat (default ADDR)\n"
"  -m MIB            guest RAM (default 256)\n"
"  -smp N            vCPUs, 1 or 2 (default 1)\n"
"  -debug-exit PORT  OUT v to PORT exits with status v (default 0xf4)\n"
"  -timeout SEC      stop with status 124 after SEC seconds\n"
"  -lax-io           unknown I/O ports read all-ones instead of stopping\n"
"  -trace            log exits the VMM emulates to stderr\n"
"Keys: Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A.\n");
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 0);
	return errno == 0 && end != s && *end == 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	uint64_t n;

	vm.ram_size = 256ull << 20;
	vm.ncpus = 1;
	vm.debug_port = 0xf4;
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i], *arg = i + 1 < argc ? argv[i + 1] : NULL;
		bool flag = !strcmp(opt, "-trace") || !strcmp(opt, "-lax-io") ||
			    !strcmp(opt, "-h") || !strcmp(opt, "--help");

		if (!flag && !arg) {
			fprintf(stderr, "hvrun: %s needs an argument\n", opt);
			return -1;
		}
		if (!flag)
			i++;
		if (!strcmp(opt, "-trace")) {
			vm.trace = true;
		} else if (!strcmp(opt, "-lax-io")) {
			vm.lax_io = true;
		} else if (!strcmp(opt, "-h") || !strcmp(opt, "--help")) {
			usage();
			return 1;
		} else if (!strcmp(opt, "-kernel") || !strcmp(opt, "-vmlinux")) {
			o->kernel = arg;
		} else if (!strcmp(opt, "-initrd")) {
			o->initrd = arg;
		} else if (!strcmp(opt, "-append")) {
			o->append = arg;
		} else if (!strcmp(opt, "-multiboot")) {
			o->multiboot = arg;
		} else if (!strcmp(opt, "-bios")) {
			o->bios = arg;
		} else if (!strcmp(opt, "-flat")) {
			o->flat = arg;
		} else if (!strcmp(opt, "-rom") && o->nroms < 4) {
			o->roms[o->nroms++] = arg;
		} else if (!strcmp(opt, "-entry") && parse_u64(arg, &o->entry)) {
			o->have_entry = true;
		} else if (!strcmp(opt, "-m") && parse_u64(arg, &n) && n >= 2 &&
			   n <= 65536) {
			vm.ram_size = n << 20;
		} else if (!strcmp(opt, "-smp") && parse_u64(arg, &n) && n >= 1 &&
			   n <= MAX_VCPUS) {
			vm.ncpus = (unsigned)n;
		} else if (!strcmp(opt, "-debug-exit") && parse_u64(arg, &n) &&
			   n <= 0xffff) {
			vm.debug_port = (uint16_t)n;
		} else if (!strcmp(opt, "-timeout") && parse_u64(arg, &n)) {
			vm.timeout_ns = n * NS_PER_SEC;
		} else {
			fprintf(stderr, "hvrun: bad option or value: %s %s\n",
				opt, flag ? "" : arg);
			return -1;
		}
	}
	if (!o->kernel && !o->bios && !o->flat && !o->multiboot) {
		usage();
		return -1;
	}
	return 0;
}

static bool load_guest(const struct options *o)
{
	vm.boot.mode = BOOT_RESET;
	for (unsigned i = 0; i < o->nroms; i++)
		if (!load_rom(o->roms[i]))
			return false;
	if (o->kernel || o->multiboot)
		setup_bios_data();
	if (o->kernel)
		return load_linux(o->kernel, o->initrd,
				  o->append ? o->append : "console=ttyS0");
	if (o->multiboot)
		return load_multiboot(o->multiboot, o->append ? o->append : "");
	if (o->bios && !load_bios(o->bios))
		return false;
	if (o->flat)
		return load_flat(o->flat, o->entry, o->have_entry);
	return true;
}

/* The guest TSC rate: the VMX-preemption timer ticks at TSC >> rate,
 * rate in IA32_VMX_MISC bits 4:0 (SDM 26.5.1). */
static uint64_t tsc_rate(void)
{
	uint64_t timer = 0, misc = 0;

	if (hv_vmx_read_capability(HV_VMX_CAP_PREEMPTION_TIMER, &timer) ||
	    hv_vmx_read_capability(HV_VMX_CAP_MISC, &misc) || !timer)
		return 2000000000ull;
	return timer << (misc & 0x1f);
}

static void start_vcpus(void)
{
	pthread_mutex_lock(&vm.lock);
	for (unsigned i = 0; i < vm.ncpus; i++) {
		struct vcpu *v = &vm.cpu[i];

		if (pthread_create(&v->thread, NULL, vcpu_thread, v)) {
			vm.ncpus = i;
			vm_stop(true, 1, "cannot create vCPU threads");
			break;
		}
	}
	for (unsigned i = 0; i < vm.ncpus; i++)
		while (!vm.cpu[i].created)
			pthread_cond_wait(&created_cond, &vm.lock);
	/* All vCPUs exist: give them one TSC, then let them run. */
	if (!vm.stop && hv_vm_sync_tsc(0) != HV_SUCCESS)
		trace("hv_vm_sync_tsc failed; vCPU TSCs may differ");
	vm.tsc_sync_ns = clock_ns();
	go = true;
	pthread_cond_broadcast(&created_cond);
	pthread_mutex_unlock(&vm.lock);
}

/* A vCPU that does not leave the guest within 5 s of the stop request
 * (hv_vcpu_interrupt not honoured) cannot be destroyed: exit anyway. */
static void join_vcpu(struct vcpu *v)
{
#ifdef __linux__
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	if (pthread_timedjoin_np(v->thread, NULL, &ts) == 0)
		return;
	console_restore();
	fprintf(stderr, "hvrun: vCPU %u did not stop; exiting anyway\n",
		v->index);
	_exit(vm.exit_status ? vm.exit_status : 1);
#else
	pthread_join(v->thread, NULL);
#endif
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	int r = parse_options(argc, argv, &o);
	hv_return_t hr;

	if (r)
		return r < 0 ? 1 : 0;
	hr = hv_vm_create(HV_VM_DEFAULT);
	if (hr != HV_SUCCESS) {
		fprintf(stderr, "hvrun: hv_vm_create failed: %#x\n", (unsigned)hr);
		return 1;
	}
	vm.tsc_hz = tsc_rate();
	if (!setup_ram())
		return 1;
	board_init();
	if (!load_guest(&o))
		return 1;
	console_start();
	start_vcpus();
	board_timer_loop();
	for (unsigned i = 0; i < vm.ncpus; i++)
		join_vcpu(&vm.cpu[i]);
	console_restore();
	for (unsigned i = 0; i < vm.nmem; i++)
		hv_vm_unmap(vm.mem[i].gpa, vm.mem[i].size);
	hv_vm_destroy();
	return vm.exit_status;
}
