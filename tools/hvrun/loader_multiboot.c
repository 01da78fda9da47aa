/* SPDX-License-Identifier: MIT */
/* Multiboot (version 0.6.96) loader: finds the header in the first
 * 8 KiB, loads an ELF32 image by its PT_LOAD program headers or, with
 * header flag 16, by the a.out-kludge addresses, builds the multiboot
 * information structure (memory sizes, command line, memory map) and
 * enters in 32-bit protected mode with EAX = 0x2badb002, EBX = &info,
 * paging and interrupts off (Multiboot Specification, section 3). */
#include "hvrun.h"
#include "le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB_MAGIC 0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_AOUT_KLUDGE (1u << 16)
#define INFO_ADDR 0x6000u
#define MMAP_ADDR 0x6100u
#define CMDLINE_ADDR 0x20000u
#define GDT_ADDR 0x500u

static bool put(uint64_t gpa, const void *src, size_t n, size_t zero)
{
	uint8_t *p = gpa_host(gpa, n + zero);

	if (!p) {
		fprintf(stderr, "hvrun: multiboot: segment at %#llx is not in "
			"RAM\n", (unsigned long long)gpa);
		return false;
	}
	memcpy(p, src, n);
	memset(p + n, 0, zero);
	return true;
}

/* ELF32 (System V ABI): e_entry 0x18, e_phoff 0x1c, e_phentsize 0x2a,
 * e_phnum 0x2c; program header p_type, p_offset, p_vaddr, p_paddr,
 * p_filesz, p_memsz. */
static bool load_elf32(const uint8_t *img, size_t size, uint32_t *entry)
{
	uint32_t phoff = le32(img + 0x1c);
	unsigned phsz = le16(img + 0x2a), phnum = le16(img + 0x2c);

	if (img[4] != 1 || le16(img + 0x12) != 3) {
		fprintf(stderr, "hvrun: multiboot: only 32-bit x86 ELF\n");
		return false;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (size_t)i * phsz;
		uint32_t off, pa, fsz, msz;

		if ((size_t)(ph - img) + 32 > size)
			return false;
		if (le32(ph) != 1)  /* PT_LOAD */
			continue;
		off = le32(ph + 4);
		pa = le32(ph + 12);
		fsz = le32(ph + 16);
		msz = le32(ph + 20);
		if ((size_t)off + fsz > size || msz < fsz ||
		    !put(pa, img + off, fsz, msz - fsz))
			return false;
	}
	*entry = le32(img + 0x18);
	return true;
}

/* a.out kludge: header_addr, load_addr, load_end_addr, bss_end_addr,
 * entry_addr at header offsets 12-28 (section 3.1.3). */
static bool load_kludge(const uint8_t *img, size_t size, size_t hoff,
			uint32_t *entry)
{
	const uint8_t *h = img + hoff;
	uint32_t haddr = le32(h + 12), load = le32(h + 16);
	uint32_t load_end = le32(h + 20), bss_end = le32(h + 24);
	size_t start = hoff - (haddr - load), len;

	if (haddr < load || hoff < haddr - load)
		return false;
	len = load_end ? load_end - load : size - start;
	if (start + len > size)
		return false;
	*entry = le32(h + 28);
	return put(load, img + start, len,
		   bss_end > load + len ? bss_end - load - len : 0);
}

static void build_info(const char *cmdline)
{
	uint8_t info[88] = { 0 }, mmap[5 * 24];
	uint8_t e820[5 * 20];
	unsigned n = e820_build(e820, 5);
	uint32_t v;

	/* flags: mem_* (bit 0), cmdline (bit 2), mmap (bit 6). */
	v = 1 | 4 | 64;
	memcpy(info, &v, 4);
	v = 639;
	memcpy(info + 4, &v, 4);
	v = (uint32_t)((vm.mem[0].size - 0x100000) >> 10);
	memcpy(info + 8, &v, 4);
	v = CMDLINE_ADDR;
	memcpy(info + 16, &v, 4);
	/* mmap entries: size (20, excluding itself), then the e820 entry. */
	for (unsigned i = 0; i < n; i++) {
		v = 20;
		memcpy(mmap + 24 * i, &v, 4);
		memcpy(mmap + 24 * i + 4, e820 + 20 * i, 20);
	}
	v = 24 * n;
	memcpy(info + 44, &v, 4);
	v = MMAP_ADDR;
	memcpy(info + 48, &v, 4);
	put(INFO_ADDR, info, sizeof(info), 0);
	put(MMAP_ADDR, mmap, 24 * n, 0);
	put(CMDLINE_ADDR, cmdline, strlen(cmdline) + 1, 0);
}

bool load_multiboot(const char *kernel, const char *cmdline)
{
	static const uint64_t gdt[3] = {
		0, 0x00cf9b000000ffffull, 0x00cf93000000ffffull,
	};
	uint8_t *img;
	size_t size, hoff;
	uint32_t entry = 0, flags = 0;
	bool ok = false;

	if (!read_file(kernel, &img, &size))
		return false;
	for (hoff = 0; hoff + 12 <= size && hoff < 8192; hoff += 4) {
		flags = le32(img + hoff + 4);
		if (le32(img + hoff) == MB_MAGIC &&
		    le32(img + hoff) + flags + le32(img + hoff + 8) == 0)
			break;
	}
	if (hoff + 12 > size || hoff >= 8192)
		fprintf(stderr, "hvrun: %s: no multiboot header\n", kernel);
	else if (flags & MB_AOUT_KLUDGE)
		ok = hoff + 32 <= size && load_kludge(img, size, hoff, &entry);
	else if (size > 0x34 && !memcmp(img, "\177ELF", 4))
		ok = load_elf32(img, size, &entry);
	else
		fprintf(stderr, "hvrun: %s: neither ELF nor a.out kludge\n",
			kernel);
	free(img);
	if (!ok)
		return false;
	build_info(cmdline);
	put(GDT_ADDR, gdt, sizeof(gdt), 0);
	vm.boot = (struct boot_state){
		.mode = BOOT_PROTECTED32, .rip = entry, .rax = MB_BOOT_MAGIC,
		.rbx = INFO_ADDR, .cr0 = 0x11, .gdt_base = GDT_ADDR,
		.gdt_limit = sizeof(gdt) - 1, .cs = 0x08, .ds = 0x10,
	};
	return true;
}
