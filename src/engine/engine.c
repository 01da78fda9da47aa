/* SPDX-License-Identifier: MIT */
/* Engine selection, and the "none" engine that runs no guest. */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static hv_return_t none_probe(void)
{
	return HV_SUCCESS;
}

static hv_return_t none_vm_create(struct vm *vm)
{
	(void)vm;
	return HV_SUCCESS;
}

static void none_vm_destroy(struct vm *vm)
{
	(void)vm;
}

static hv_return_t none_vcpu_create(struct vcpu *vcpu)
{
	(void)vcpu;
	return HV_SUCCESS;
}

static void none_vcpu_destroy(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* No engine: running a guest is refused, never pretended. */
static hv_return_t none_vcpu_run(struct vcpu *vcpu, uint64_t deadline_ns,
				 int until)
{
	(void)vcpu;
	(void)deadline_ns;
	(void)until;
	return HV_UNSUPPORTED;
}

static void none_vcpu_kick(struct vcpu *vcpu)
{
	(void)vcpu;
}

static void none_tlb_invalidate(struct vcpu *vcpu)
{
	(void)vcpu;
}

const struct engine_ops engine_none_ops = {
	.name = "none",
	.probe = none_probe,
	.vm_create = none_vm_create,
	.vm_destroy = none_vm_destroy,
	.vcpu_create = none_vcpu_create,
	.vcpu_destroy = none_vcpu_destroy,
	.vcpu_run = none_vcpu_run,
	.vcpu_kick = none_vcpu_kick,
	.tlb_invalidate = none_tlb_invalidate,
};

/* Engines in order of preference. */
static const struct engine_ops *const engines[] = {
#if 1 /* the software engine */
	&engine_emu_ops,
#endif
	&engine_none_ops,
};

const struct engine_ops *engine_select(void)
{
	const char *want = getenv("HV_ENGINE");

	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++) {
		const struct engine_ops *e = engines[i];

		if (want && *want && strcmp(want, e->name) != 0)
			continue;
		if (e->probe() == HV_SUCCESS)
			return e;
	}
	return NULL;
}
