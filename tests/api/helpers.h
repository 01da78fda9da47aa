/* SPDX-License-Identifier: MIT */
/* Shared by the API conformance tests (tests/api/NAME_test.c): VM setup
 * and teardown around a test body, and worker threads that own vCPUs (a vCPU
 * belongs to the thread that created it, so tests that need several
 * vCPUs, or calls from a foreign thread, run code on workers).
 * Only the public API is used. */
#ifndef OPENHVF_TESTS_API_HELPERS_H
#define OPENHVF_TESTS_API_HELPERS_H

#include <Hypervisor/Hypervisor.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include "../lib/test.h"

#define PAGE 4096ull
#define GPA_LIMIT (1ull << 39)

/* A null pointer the compiler cannot see: for the NULL-argument tests of
 * parameters the headers declare _Nonnull (clang's -Wnonnull). */
static void *volatile null_ptr __attribute__((unused));
#define NOPTR ((void *)null_ptr)

/* The vCPU of the test thread, when vm_setup(1) created one. */
static hv_vcpuid_t g_vcpu __attribute__((unused));
static int g_have_vcpu __attribute__((unused));

/* Create the VM (and a vCPU on the calling thread if with_vcpu). On
 * failure the test is marked failed and 0 returned. */
static inline int vm_setup(int with_vcpu)
{
	hv_return_t r = hv_vm_create(HV_VM_DEFAULT);

	if (r != HV_SUCCESS) {
		test_fail(__FILE__, __LINE__, "hv_vm_create", HV_SUCCESS,
			  (unsigned)r);
		return 0;
	}
	g_have_vcpu = 0;
	if (with_vcpu) {
		r = hv_vcpu_create(&g_vcpu, HV_VCPU_DEFAULT);
		if (r != HV_SUCCESS) {
			test_fail(__FILE__, __LINE__, "hv_vcpu_create",
				  HV_SUCCESS, (unsigned)r);
			hv_vm_destroy();
			return 0;
		}
		g_have_vcpu = 1;
	}
	return 1;
}

static inline void vm_teardown(void)
{
	if (g_have_vcpu)
		EXPECT_EQ(HV_SUCCESS, hv_vcpu_destroy(g_vcpu));
	g_have_vcpu = 0;
	EXPECT_EQ(HV_SUCCESS, hv_vm_destroy());
}

/* A test whose body runs between vm_setup(with_vcpu) and vm_teardown(),
 * so that an ASSERT in the body still cleans up. */
#define VM_TEST(name, with_vcpu)                     \
	static void name##_body(void);               \
	TEST(name)                                   \
	{                                            \
		if (vm_setup(with_vcpu)) {           \
			name##_body();               \
			vm_teardown();               \
		}                                    \
	}                                            \
	static void name##_body(void)

/* Anonymous read/write memory, n pages; NULL on failure. */
static inline void *pages(size_t n)
{
	void *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* A worker thread that runs functions on request, one at a time, so a
 * vCPU it creates stays owned by it across calls. */
struct worker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	void (*fn)(void *);
	void *arg;
	int busy;
	int quit;
};

static inline void *worker_main(void *p)
{
	struct worker *w = p;

	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->busy && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		if (w->busy) {
			pthread_mutex_unlock(&w->mu);
			w->fn(w->arg);
			pthread_mutex_lock(&w->mu);
			w->busy = 0;
			pthread_cond_broadcast(&w->cv);
			continue;
		}
		break;
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

static inline int worker_start(struct worker *w)
{
	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	return pthread_create(&w->th, NULL, worker_main, w) == 0;
}

/* Run fn(arg) on the worker and wait for it to finish. */
static inline void worker_call(struct worker *w, void (*fn)(void *),
			       void *arg)
{
	pthread_mutex_lock(&w->mu);
	w->fn = fn;
	w->arg = arg;
	w->busy = 1;
	pthread_cond_broadcast(&w->cv);
	while (w->busy)
		pthread_cond_wait(&w->cv, &w->mu);
	pthread_mutex_unlock(&w->mu);
}

static inline void worker_stop(struct worker *w)
{
	pthread_mutex_lock(&w->mu);
	w->quit = 1;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->cv);
}

/* Worker requests for vCPU lifetime: create stores the result and id. */
struct vcpu_req {
	hv_vcpu_options_t flags;
	hv_vcpuid_t id;
	hv_return_t ret;
};

static inline void vcpu_create_fn(void *p)
{
	struct vcpu_req *r = p;

	r->ret = hv_vcpu_create(&r->id, r->flags);
}

static inline void vcpu_destroy_fn(void *p)
{
	struct vcpu_req *r = p;

	r->ret = hv_vcpu_destroy(r->id);
}

#endif
