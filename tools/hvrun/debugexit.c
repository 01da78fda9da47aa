/* SPDX-License-Identifier: MIT */
/* Debug-exit port: the simplest way for a test guest to end the VM with a
 * verdict. Default port 0xf4 (hvrun -debug-exit PORT changes it); any
 * OUT of value v (8, 16 or 32 bits) ends hvrun with exit status v & 0xff.
 * Unlike QEMU's isa-debug-exit ((v << 1) | 1), the status is v itself, so
 * "outb 0" means success. Reads are not decoded (open bus). */
#include "devices.h"

void debugexit_init(struct debugexit *d, uint16_t port,
		    void (*exit_fn)(void *, int), void *opaque)
{
	d->port = port;
	d->exit = exit_fn;
	d->opaque = opaque;
}

bool debugexit_write(struct debugexit *d, uint16_t port, uint32_t val)
{
	if (port != d->port)
		return false;
	if (d->exit)
		d->exit(d->opaque, (int)(val & 0xff));
	return true;
}
