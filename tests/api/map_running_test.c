/* SPDX-License-Identifier: MIT */
/* Map changes while a vCPU runs (docs/design.md, "Threads"): another
 * thread maps and unmaps a page the guest reads in a tight loop, freeing
 * the host page right after each hv_vm_unmap. Once hv_vm_unmap returns the
 * engine must never touch the old host page (a stale access would fault
 * the process); the guest sees EPT violations while the page is absent. */
#include <Hypervisor/Hypervisor.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "test.h"

#define PAGE 4096ull
#define WIN 0x20000ull   /* the page that comes and goes */
#define ROUNDS 300

/* Real mode, CS base 0x1000:
 *   mov bx, 0x2000; mov es, bx
 * l: mov ax, es:[0]; inc word [0x500]; jmp l */
static const uint8_t code[] = { 0xbb, 0x00, 0x20, 0x8e, 0xc3, 0x26, 0xa1,
				0x00, 0x00, 0xff, 0x06, 0x00, 0x05, 0xeb,
				0xf6 };

static uint8_t *ram;
static hv_vcpuid_t vcpu_id;
static atomic_int ready, stop, vcpu_fail;
static atomic_uint violations;

static uint64_t rvmcs(uint32_t f)
{
	uint64_t v = 0;

	hv_vmx_vcpu_read_vmcs(vcpu_id, f, &v);
	return v;
}

static void *vcpu_thread(void *arg)
{
	(void)arg;
	if (hv_vcpu_create(&vcpu_id, HV_VCPU_DEFAULT) != HV_SUCCESS ||
	    hv_vmx_vcpu_write_vmcs(vcpu_id, VMCS_GUEST_CS, 0x100) ||
	    hv_vmx_vcpu_write_vmcs(vcpu_id, VMCS_GUEST_CS_BASE, 0x1000) ||
	    hv_vcpu_write_register(vcpu_id, HV_X86_RIP, 0)) {
		atomic_store(&vcpu_fail, 1);
		atomic_store(&ready, 1);
		return NULL;
	}
	atomic_store(&ready, 1);
	while (!atomic_load(&stop)) {
		uint64_t reason;

		if (hv_vcpu_run(vcpu_id) != HV_SUCCESS) {
			atomic_store(&vcpu_fail, 2);
			break;
		}
		reason = rvmcs(VMCS_RO_EXIT_REASON) & 0xffff;
		if (reason == VMX_REASON_EPT_VIOLATION &&
		    rvmcs(VMCS_GUEST_PHYSICAL_ADDRESS) == WIN)
			atomic_fetch_add(&violations, 1);
		else if (reason != VMX_REASON_IRQ)
			atomic_store(&vcpu_fail, 3);
	}
	hv_vcpu_destroy(vcpu_id);
	return NULL;
}

static void pause_us(long us)
{
	struct timespec ts = { 0, us * 1000 };

	nanosleep(&ts, NULL);
}

TEST(unmap_while_guest_reads)
{
	uint16_t *counter;
	pthread_t t;

	ram = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(ram != MAP_FAILED);
	memcpy(ram + 0x1000, code, sizeof(code));
	counter = (uint16_t *)(ram + 0x500);
	ASSERT_EQ(HV_SUCCESS, hv_vm_create(HV_VM_DEFAULT));
	ASSERT_EQ(HV_SUCCESS, hv_vm_map(ram, 0, 0x10000, HV_MEMORY_READ |
					HV_MEMORY_WRITE | HV_MEMORY_EXEC));
	ASSERT_EQ(0, pthread_create(&t, NULL, vcpu_thread, NULL));
	while (!atomic_load(&ready))
		pause_us(100);
	for (int i = 0; i < ROUNDS && !atomic_load(&vcpu_fail); i++) {
		uint8_t *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ASSERT_TRUE(p != MAP_FAILED);
		memset(p, i, PAGE);
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(p, WIN, PAGE, HV_MEMORY_READ));
		pause_us(50);
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(WIN, PAGE));
		/* From here on no vCPU may use p: free it for real. */
		munmap(p, PAGE);
		pause_us(50);
	}
	atomic_store(&stop, 1);
	hv_vcpu_interrupt(&vcpu_id, 1);
	pthread_join(t, NULL);
	EXPECT_EQ(0, atomic_load(&vcpu_fail));
	EXPECT_TRUE(atomic_load(&violations) > 0);
	EXPECT_TRUE(*counter != 0);
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(0, 0x10000));
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
	munmap(ram, 0x10000);
}
