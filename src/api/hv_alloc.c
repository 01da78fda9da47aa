/* SPDX-License-Identifier: MIT */
/* hv_vm_allocate / hv_vm_deallocate: page-aligned anonymous memory for
 * guest RAM. Allocations are recorded so that hv_vm_deallocate frees only
 * what hv_vm_allocate returned (a bad pointer is an error, never an
 * munmap of someone else's memory). */
#include "api.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

struct alloc {
	void *uva;
	size_t size;
	struct alloc *next;
};

static struct alloc *allocs;
static pthread_mutex_t allocs_lock = PTHREAD_MUTEX_INITIALIZER;

HV_EXPORT hv_return_t hv_vm_allocate(void **uvap, size_t size,
				     hv_allocate_flags_t flags)
{
	struct alloc *a;
	void *p;

	if (!uvap || !size || (size & (MEMMAP_PAGE - 1)) ||
	    flags != HV_ALLOCATE_DEFAULT)
		return HV_BAD_ARGUMENT;
	a = malloc(sizeof(*a));
	if (!a)
		return HV_NO_RESOURCES;
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		free(a);
		return HV_NO_RESOURCES;
	}
	a->uva = p;
	a->size = size;
	pthread_mutex_lock(&allocs_lock);
	a->next = allocs;
	allocs = a;
	pthread_mutex_unlock(&allocs_lock);
	*uvap = p;
	return HV_SUCCESS;
}

HV_EXPORT hv_return_t hv_vm_deallocate(void *uva, size_t size)
{
	struct alloc **pp, *a = NULL;

	pthread_mutex_lock(&allocs_lock);
	for (pp = &allocs; *pp; pp = &(*pp)->next) {
		if ((*pp)->uva == uva && (*pp)->size == size) {
			a = *pp;
			*pp = a->next;
			break;
		}
	}
	pthread_mutex_unlock(&allocs_lock);
	if (!a)
		return HV_BAD_ARGUMENT;
	munmap(a->uva, a->size);
	free(a);
	return HV_SUCCESS;
}
