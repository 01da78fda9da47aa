/* SPDX-License-Identifier: MIT */
/* Floating-point state exchange in XSAVE layout. */
#ifndef OPENHVF_CORE_FPSTATE_H
#define OPENHVF_CORE_FPSTATE_H

#include <Hypervisor/hv_error.h>
#include <stddef.h>

struct vcpu;

/* Copy XSAVE_SIZE bytes out; size must be at least XSAVE_SIZE. */
hv_return_t fpstate_read(struct vcpu *v, void *buf, size_t size);
/* Validate and load an image; nothing changes on error. */
hv_return_t fpstate_write(struct vcpu *v, const void *buf, size_t size);

#endif
