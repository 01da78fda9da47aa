/* SPDX-License-Identifier: MIT */
/* Loaders for raw images: a flat binary at an address, started in real
 * mode there (-flat FILE@ADDR [-entry ADDR]); a reset-vector ROM
 * (-bios FILE) mapped so that it ends at 4 GiB, with its last 64 KiB also
 * at 0xf0000-0xfffff as on a PC, the CPU starting at the architectural
 * reset vector 0xfffffff0 (SDM Vol. 3A 10.1.4); and extra ROM images
 * (-rom FILE@ADDR). */
#include "hvrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "FILE@ADDR" -> path (static copy) and address. */
static bool split_spec(const char *spec, char *path, size_t max,
		       uint64_t *addr)
{
	const char *at = strrchr(spec, '@');
	char *end;

	if (!at || (size_t)(at - spec) >= max) {
		fprintf(stderr, "hvrun: expected FILE@ADDR, got %s\n", spec);
		return false;
	}
	memcpy(path, spec, (size_t)(at - spec));
	path[at - spec] = 0;
	*addr = strtoull(at + 1, &end, 0);
	if (*end || end == at + 1) {
		fprintf(stderr, "hvrun: bad address in %s\n", spec);
		return false;
	}
	return true;
}

/* Copy into RAM if [gpa, gpa+size) is RAM, else false. */
static bool copy_to_ram(uint64_t gpa, const uint8_t *data, size_t size)
{
	const struct mem_region *m = gpa_region(gpa);
	uint8_t *p = gpa_host(gpa, size);

	if (!m || m->rom || !p)
		return false;
	memcpy(p, data, size);
	return true;
}

bool load_flat(const char *spec, uint64_t entry, bool have_entry)
{
	char path[4096];
	uint64_t addr;
	uint8_t *data;
	size_t size;
	bool ok;

	if (!split_spec(spec, path, sizeof(path), &addr) ||
	    !read_file(path, &data, &size))
		return false;
	ok = copy_to_ram(addr, data, size);
	free(data);
	if (!ok) {
		fprintf(stderr, "hvrun: %s does not fit in RAM at %#llx\n",
			path, (unsigned long long)addr);
		return false;
	}
	if (!have_entry)
		entry = addr;
	/* Real mode with CS:IP = (entry >> 4):(entry & 15); VMX lets the
	 * CS base be set directly, so entry may lie above 1 MiB. */
	vm.boot.mode = BOOT_REAL;
	vm.boot.cs_base = entry & ~0xfull;
	vm.boot.rip = entry & 0xf;
	vm.boot.rsp = 0;
	return true;
}

bool load_bios(const char *file)
{
	uint8_t *data;
	size_t size, low;
	bool ok;

	if (!read_file(file, &data, &size))
		return false;
	if (size == 0 || size > (16u << 20) || (size & 0xfff)) {
		fprintf(stderr, "hvrun: %s: a ROM must be a multiple of 4 KiB "
			"up to 16 MiB\n", file);
		free(data);
		return false;
	}
	low = size < 0x10000 ? size : 0x10000;
	ok = map_rom(0x100000000ull - size, data, size) &&
	     copy_to_ram(0x100000 - low, data + size - low, low);
	free(data);
	vm.boot.mode = BOOT_RESET;  /* CS.base 0xffff0000, IP 0xfff0 */
	return ok;
}

bool load_rom(const char *spec)
{
	char path[4096];
	uint64_t addr;
	uint8_t *data;
	size_t size;
	bool ok;

	if (!split_spec(spec, path, sizeof(path), &addr) ||
	    !read_file(path, &data, &size))
		return false;
	if (addr & 0xfff) {
		fprintf(stderr, "hvrun: ROM address %#llx is not page "
			"aligned\n", (unsigned long long)addr);
		free(data);
		return false;
	}
	ok = copy_to_ram(addr, data, size) || map_rom(addr, data, size);
	free(data);
	return ok;
}
