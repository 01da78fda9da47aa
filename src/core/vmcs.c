/* SPDX-License-Identifier: MIT */
/* VMCS field table and encoding helpers (SDM Vol. 3C, Appendix B). */
#include "vmcs.h"

#include <stddef.h>

const struct vmcs_field vmcs_fields[VI_COUNT] = {
#define X(name, acc) [VI_##name] = { #name, name, VMCS_ACC_##acc },
#include "vmcs_fields.def"
#undef X
};

int vmcs_index(uint32_t enc)
{
	switch (enc) {
#define X(name, acc) case name: return VI_##name;
#include "vmcs_fields.def"
#undef X
	default:
		return -1;
	}
}

unsigned vmcs_enc_width(uint32_t enc)
{
	static const unsigned w[4] = { 16, 64, 32, 64 };

	return w[(enc >> 13) & 3];
}

uint64_t vmcs_enc_mask(uint32_t enc)
{
	unsigned w = vmcs_enc_width(enc);

	return w == 64 ? ~0ull : (1ull << w) - 1;
}

unsigned vmcs_max_index(void)
{
	unsigned max = 0;

	for (size_t i = 0; i < VI_COUNT; i++) {
		unsigned idx = (vmcs_fields[i].enc >> 1) & 0x1ff;

		if (vmcs_fields[i].acc != VMCS_ACC_NA && idx > max)
			max = idx;
	}
	return max;
}
