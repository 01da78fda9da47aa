/* SPDX-License-Identifier: MIT */
/* hv_vcpu_read/write_fpstate: the x87/SSE/AVX state in the standard
 * (non-compacted) XSAVE layout (SDM Vol. 1, 13.4). */
#include "fpstate.h"

#include <string.h>

#include "vcpu.h"

hv_return_t fpstate_read(struct vcpu *v, void *buf, size_t size)
{
	if (size < XSAVE_SIZE)
		return HV_BAD_ARGUMENT;
	memcpy(buf, v->xsave, XSAVE_SIZE);
	return HV_SUCCESS;
}

/* The checks XRSTOR makes on a standard-format image (SDM Vol. 1, 13.8):
 * MXCSR reserved bits, XSTATE_BV beyond the image's components, XCOMP_BV
 * zero and the rest of the header reserved. */
hv_return_t fpstate_write(struct vcpu *v, const void *buf, size_t size)
{
	const uint8_t *x = buf;
	uint32_t mxcsr;
	uint64_t xstate_bv, xcomp_bv;

	if (size < XSAVE_SIZE)
		return HV_BAD_ARGUMENT;
	memcpy(&mxcsr, x + 24, 4);
	memcpy(&xstate_bv, x + 512, 8);
	memcpy(&xcomp_bv, x + 520, 8);
	if (mxcsr & ~0xffffu)
		return HV_BAD_ARGUMENT;
	if ((xstate_bv & ~XSAVE_COMPONENTS) || xcomp_bv)
		return HV_BAD_ARGUMENT;
	for (unsigned i = 528; i < 576; i++)
		if (x[i])
			return HV_BAD_ARGUMENT;
	memcpy(v->xsave, buf, XSAVE_SIZE);
	/* MXCSR_MASK is the CPU's, not the image's (SDM Vol. 1, 11.6.6). */
	{
		uint32_t mask = 0xffff;

		memcpy(v->xsave + 28, &mask, 4);
	}
	return HV_SUCCESS;
}
