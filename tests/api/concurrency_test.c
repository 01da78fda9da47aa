/* SPDX-License-Identifier: MIT */
/* Races: map/unmap/protect from many threads on disjoint and overlapping
 * ranges, hv_vcpu_interrupt from many threads while vCPUs come and go,
 * hv_vm_create/destroy against VM and vCPU calls. Results must stay
 * consistent (every successful map is unmapped exactly once, only
 * documented codes come back) and everything is freed at the end (CI
 * runs this under ASan/LSan). Threads never call EXPECT_*: they count
 * anomalies in atomics that the test thread checks. */
#include <Hypervisor/Hypervisor.h>

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "helpers.h"

#define NTHREADS 8

static _Atomic int anomalies;
static _Atomic long n_map_ok, n_unmap_ok;

static void anomaly(void)
{
	atomic_fetch_add(&anomalies, 1);
}

static pthread_barrier_t start;

/* --- disjoint ranges ---------------------------------------------------- */

struct disjoint_arg {
	int idx;
	uint8_t *mem;   /* 16 pages */
};

#define DISJOINT_ITERS 1500

static void *disjoint_fn(void *p)
{
	struct disjoint_arg *a = p;
	uint64_t base = 0x10000000ull + (uint64_t)a->idx * 0x100000;
	unsigned seed = (unsigned)a->idx * 7919u + 1;

	pthread_barrier_wait(&start);
	for (int i = 0; i < DISJOINT_ITERS; i++) {
		uint64_t n = 1 + (unsigned)rand_r(&seed) % 8;
		hv_memory_flags_t f = (unsigned)rand_r(&seed) % 8;

		if (hv_vm_map(a->mem, base, n * PAGE, f) != HV_SUCCESS) {
			anomaly();
			continue;
		}
		if (hv_vm_protect(base, n * PAGE, f ^ 7) != HV_SUCCESS)
			anomaly();
		if (n >= 3) {
			/* Split, then remove the pieces. */
			if (hv_vm_unmap(base + PAGE, PAGE) != HV_SUCCESS)
				anomaly();
			if (hv_vm_protect(base, PAGE, f) != HV_SUCCESS)
				anomaly();
			if (hv_vm_unmap(base, PAGE) != HV_SUCCESS)
				anomaly();
			if (hv_vm_unmap(base + 2 * PAGE, (n - 2) * PAGE) !=
			    HV_SUCCESS)
				anomaly();
		} else if (hv_vm_unmap(base, n * PAGE) != HV_SUCCESS) {
			anomaly();
		}
		/* Now empty. */
		if (hv_vm_unmap(base, PAGE) != HV_BAD_ARGUMENT)
			anomaly();
	}
	return NULL;
}

VM_TEST(map_disjoint_ranges, 0)
{
	pthread_t th[NTHREADS];
	struct disjoint_arg a[NTHREADS];
	uint8_t *mem = pages(16);

	ASSERT_TRUE(mem != NULL);
	atomic_store(&anomalies, 0);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++) {
		a[i] = (struct disjoint_arg){ i, mem };
		pthread_create(&th[i], NULL, disjoint_fn, &a[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	EXPECT_EQ(0, atomic_load(&anomalies));
	/* Every region is empty: one map over all of them succeeds. */
	{
		size_t sz = NTHREADS * 0x100000ull;
		void *big = mmap(NULL, sz, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
				 -1, 0);

		ASSERT_TRUE(big != MAP_FAILED);
		EXPECT_EQ(HV_SUCCESS, hv_vm_map(big, 0x10000000ull, sz,
						HV_MEMORY_READ));
		EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(0x10000000ull, sz));
		munmap(big, sz);
	}
	munmap(mem, 16 * PAGE);
}

/* --- overlapping ranges ------------------------------------------------- */

#define WIN 0x40000000ull  /* a 4-page window everybody fights over */
#define OVERLAP_ITERS 3000
static _Atomic int page_owners[4];

/* Ranges in the window, by first page and count. */
static const struct {
	unsigned first, n;
} windows[] = { { 0, 2 }, { 1, 2 }, { 2, 2 }, { 0, 4 }, { 3, 1 },
		{ 1, 1 } };

static void *overlap_fn(void *p)
{
	uint8_t *mem = p;
	unsigned seed = (unsigned)(uintptr_t)pthread_self();

	pthread_barrier_wait(&start);
	for (int i = 0; i < OVERLAP_ITERS; i++) {
		unsigned w = (unsigned)rand_r(&seed) %
			     (sizeof(windows) / sizeof(windows[0]));
		uint64_t gpa = WIN + windows[w].first * PAGE;
		uint64_t size = windows[w].n * PAGE;
		hv_return_t r = hv_vm_map(mem, gpa, size, HV_MEMORY_READ);

		if (r == HV_SUCCESS) {
			atomic_fetch_add(&n_map_ok, 1);
			/* Nobody else may hold any of these pages. */
			for (unsigned k = 0; k < windows[w].n; k++)
				if (atomic_fetch_add(
					    &page_owners[windows[w].first + k],
					    1) != 0)
					anomaly();
			if (hv_vm_protect(gpa, size, HV_MEMORY_WRITE) !=
			    HV_SUCCESS)
				anomaly();
			for (unsigned k = 0; k < windows[w].n; k++)
				atomic_fetch_sub(
					&page_owners[windows[w].first + k], 1);
			if (hv_vm_unmap(gpa, size) == HV_SUCCESS)
				atomic_fetch_add(&n_unmap_ok, 1);
			else
				anomaly();
		} else if (r != HV_BAD_ARGUMENT) {
			anomaly();
		}
		/* A protect of some window: it may or may not be mapped. */
		w = (unsigned)rand_r(&seed) %
		    (sizeof(windows) / sizeof(windows[0]));
		r = hv_vm_protect(WIN + windows[w].first * PAGE,
				  windows[w].n * PAGE, HV_MEMORY_EXEC);
		if (r != HV_SUCCESS && r != HV_BAD_ARGUMENT)
			anomaly();
	}
	return NULL;
}

VM_TEST(map_overlapping_ranges, 0)
{
	pthread_t th[NTHREADS];
	uint8_t *mem = pages(4);

	ASSERT_TRUE(mem != NULL);
	atomic_store(&anomalies, 0);
	atomic_store(&n_map_ok, 0);
	atomic_store(&n_unmap_ok, 0);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, overlap_fn, mem);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	EXPECT_EQ(0, atomic_load(&anomalies));
	EXPECT_TRUE(atomic_load(&n_map_ok) > 0);
	EXPECT_EQ(atomic_load(&n_map_ok), atomic_load(&n_unmap_ok));
	/* The window is empty again. */
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(mem, WIN, 4 * PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(WIN, 4 * PAGE));
	munmap(mem, 4 * PAGE);
}

/* --- spaces created and destroyed while others map --------------------- */

static void *space_churn_fn(void *p)
{
	uint8_t *mem = p;

	pthread_barrier_wait(&start);
	for (int i = 0; i < 500; i++) {
		hv_vm_space_t s;
		hv_return_t r = hv_vm_space_create(&s);

		if (r == HV_NO_RESOURCES)
			continue;
		if (r != HV_SUCCESS) {
			anomaly();
			continue;
		}
		if (hv_vm_map_space(s, mem, 0, 2 * PAGE, HV_MEMORY_READ) !=
		    HV_SUCCESS)
			anomaly();
		if (hv_vm_unmap_space(s, PAGE, PAGE) != HV_SUCCESS)
			anomaly();
		/* Destroyed with a mapping left: the space frees it. */
		if (hv_vm_space_destroy(s) != HV_SUCCESS)
			anomaly();
	}
	return NULL;
}

VM_TEST(spaces_churn, 0)
{
	pthread_t th[NTHREADS];
	uint8_t *mem = pages(2);

	ASSERT_TRUE(mem != NULL);
	atomic_store(&anomalies, 0);
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, space_churn_fn, mem);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	EXPECT_EQ(0, atomic_load(&anomalies));
	/* All eight spaces are free again. */
	{
		hv_vm_space_t s[8];

		for (int i = 0; i < 8; i++)
			EXPECT_EQ(HV_SUCCESS, hv_vm_space_create(&s[i]));
		for (int i = 0; i < 8; i++)
			EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s[i]));
	}
	munmap(mem, 2 * PAGE);
}

/* --- hv_vcpu_interrupt from many threads --------------------------------- */

static hv_vcpuid_t stable_ids[4];
static _Atomic int churn_done;

static void *interrupt_fn(void *p)
{
	int churn_target = p != NULL;
	hv_vcpuid_t churn_id = 4;

	pthread_barrier_wait(&start);
	for (int i = 0; i < 20000 && !atomic_load(&churn_done); i++) {
		if (hv_vcpu_interrupt(stable_ids, 4) != HV_SUCCESS)
			anomaly();
		if (churn_target) {
			hv_return_t r = hv_vcpu_interrupt(&churn_id, 1);

			if (r != HV_SUCCESS && r != HV_BAD_ARGUMENT)
				anomaly();
		}
	}
	return NULL;
}

static void *vcpu_churn_fn(void *p)
{
	(void)p;
	pthread_barrier_wait(&start);
	for (int i = 0; i < 2000; i++) {
		hv_vcpuid_t id;

		if (hv_vcpu_create(&id, HV_VCPU_DEFAULT) != HV_SUCCESS) {
			anomaly();
			continue;
		}
		if (id != 4) /* 0..3 are taken: the lowest free id */
			anomaly();
		if (hv_vcpu_destroy(id) != HV_SUCCESS)
			anomaly();
	}
	atomic_store(&churn_done, 1);
	return NULL;
}

VM_TEST(interrupt_many_threads, 0)
{
	struct worker w[4];
	struct vcpu_req r[4];
	pthread_t th[NTHREADS + 1];

	atomic_store(&anomalies, 0);
	atomic_store(&churn_done, 0);
	for (int i = 0; i < 4; i++) {
		ASSERT_TRUE(worker_start(&w[i]));
		r[i] = (struct vcpu_req){ .flags = HV_VCPU_DEFAULT };
		worker_call(&w[i], vcpu_create_fn, &r[i]);
		EXPECT_EQ(HV_SUCCESS, r[i].ret);
		stable_ids[i] = r[i].id;
	}
	pthread_barrier_init(&start, NULL, NTHREADS + 1);
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, interrupt_fn,
			       (i & 1) ? (void *)1 : NULL);
	pthread_create(&th[NTHREADS], NULL, vcpu_churn_fn, NULL);
	for (int i = 0; i <= NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	EXPECT_EQ(0, atomic_load(&anomalies));
	for (int i = 0; i < 4; i++) {
		worker_call(&w[i], vcpu_destroy_fn, &r[i]);
		EXPECT_EQ(HV_SUCCESS, r[i].ret);
		worker_stop(&w[i]);
	}
}

/* --- hv_vm_create / hv_vm_destroy races ---------------------------------- */

static _Atomic int vm_alive;
static _Atomic long n_create_ok, n_destroy_ok;
static _Atomic int race_stop;

/* Creators: create; on success own the VM, use it, then destroy it
 * (retrying while churning vCPUs keep it busy). */
static void *vm_race_fn(void *p)
{
	uint8_t *mem = p;

	pthread_barrier_wait(&start);
	for (int i = 0; i < 400; i++) {
		hv_return_t r = hv_vm_create(HV_VM_DEFAULT);

		if (r == HV_BUSY) {
			/* Someone else's VM (or none by now): VM calls
			 * either work or report no VM. */
			r = hv_vm_map(mem, 0x200000, PAGE, HV_MEMORY_READ);
			if (r == HV_SUCCESS)
				r = hv_vm_unmap(0x200000, PAGE);
			if (r != HV_SUCCESS && r != HV_BAD_ARGUMENT)
				anomaly();
			continue;
		}
		if (r != HV_SUCCESS) {
			anomaly();
			continue;
		}
		atomic_fetch_add(&n_create_ok, 1);
		if (atomic_exchange(&vm_alive, 1) != 0)
			anomaly();
		r = hv_vm_map(mem, 0x100000, PAGE, HV_MEMORY_READ);
		if (r != HV_SUCCESS && r != HV_BAD_ARGUMENT)
			anomaly();
		atomic_store(&vm_alive, 0);
		while ((r = hv_vm_destroy()) == HV_BUSY)
			sched_yield();
		if (r == HV_SUCCESS)
			atomic_fetch_add(&n_destroy_ok, 1);
		else
			anomaly();
	}
	return NULL;
}

/* vCPU churners: a vCPU can only exist while some VM does. */
static void *vm_race_vcpu_fn(void *p)
{
	(void)p;
	pthread_barrier_wait(&start);
	while (!atomic_load(&race_stop)) {
		hv_vcpuid_t id;
		hv_return_t r = hv_vcpu_create(&id, HV_VCPU_DEFAULT);

		if (r == HV_SUCCESS) {
			uint64_t v;

			if (hv_vcpu_read_register(id, HV_X86_RIP, &v) !=
			    HV_SUCCESS)
				anomaly();
			if (hv_vcpu_destroy(id) != HV_SUCCESS)
				anomaly();
		} else if (r != HV_BAD_ARGUMENT) {
			anomaly();
		}
	}
	return NULL;
}

TEST(vm_create_destroy_race)
{
	enum { CREATORS = 6, VCPUS = 2 };
	pthread_t th[CREATORS + VCPUS];
	uint8_t *mem = pages(1);

	ASSERT_TRUE(mem != NULL);
	atomic_store(&anomalies, 0);
	atomic_store(&race_stop, 0);
	pthread_barrier_init(&start, NULL, CREATORS + VCPUS);
	for (int i = 0; i < CREATORS; i++)
		pthread_create(&th[i], NULL, vm_race_fn, mem);
	for (int i = 0; i < VCPUS; i++)
		pthread_create(&th[CREATORS + i], NULL, vm_race_vcpu_fn, NULL);
	for (int i = 0; i < CREATORS; i++)
		pthread_join(th[i], NULL);
	atomic_store(&race_stop, 1);
	for (int i = 0; i < VCPUS; i++)
		pthread_join(th[CREATORS + i], NULL);
	pthread_barrier_destroy(&start);
	EXPECT_EQ(0, atomic_load(&anomalies));
	EXPECT_TRUE(atomic_load(&n_create_ok) > 0);
	EXPECT_EQ(atomic_load(&n_create_ok), atomic_load(&n_destroy_ok));
	/* No VM is left. */
	EXPECT_EQ(HV_BAD_ARGUMENT, hv_vm_destroy());
	munmap(mem, PAGE);
}

/* After all the races, a VM still works normally. */
VM_TEST(clean_afterwards, 1)
{
	uint8_t *mem = pages(1);
	hv_vm_space_t s;

	ASSERT_TRUE(mem != NULL);
	EXPECT_EQ(0, g_vcpu);
	EXPECT_EQ(HV_SUCCESS, hv_vm_map(mem, 0, PAGE, HV_MEMORY_READ));
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_create(&s));
	EXPECT_EQ(1, s);
	EXPECT_EQ(HV_SUCCESS, hv_vm_space_destroy(s));
	EXPECT_EQ(HV_SUCCESS, hv_vm_unmap(0, PAGE));
	munmap(mem, PAGE);
}
