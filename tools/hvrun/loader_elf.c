/* SPDX-License-Identifier: MIT */
/* Uncompressed Linux kernel (vmlinux, an ELF64 executable) loader: what
 * the bzImage's decompressor would leave behind, without running it.
 * Each PT_LOAD segment goes to its physical address p_paddr (System V
 * ABI, "Program Header"); the kernel is entered at its physical
 * startup_64 through the 64-bit boot protocol, with a boot_params whose
 * setup header holds what a bzImage's would (boot.rst, "The Real-Mode
 * Kernel Header"; the kernel itself reads the loader type and flags,
 * the command line and initrd fields and cmdline_size). */
#include "hvrun.h"
#include "le.h"

#include <stdio.h>
#include <string.h>

#define PT_LOAD 1
#define KERNEL_MAP 0xffffffff80000000ull  /* __START_KERNEL_map */

/* A setup header as a protocol 2.15 bzImage carries it, at its image
 * offsets 0x1f1..0x26b. */
#define SETUP_HDR_END 0x26c

static void fake_setup_header(uint8_t *img, uint64_t kbase, uint64_t kend)
{
	memset(img, 0, 0x1000);
	img[0x1f1] = 4;                        /* setup_sects */
	put16(img + 0x1fe, 0xaa55);             /* boot_flag */
	img[0x200] = 0xeb;                     /* jump: short jmp ... */
	img[0x201] = SETUP_HDR_END - 0x202;    /* ... to the header end */
	memcpy(img + 0x202, "HdrS", 4);
	put16(img + 0x206, 0x20f);              /* version 2.15 */
	img[0x211] = 1;                        /* loadflags: LOADED_HIGH */
	put32(img + 0x214, (uint32_t)kbase);    /* code32_start */
	put32(img + 0x22c, 0x7fffffff);         /* initrd_addr_max */
	put32(img + 0x230, 0x200000);           /* kernel_alignment */
	img[0x234] = 1;                        /* relocatable_kernel */
	put16(img + 0x236, 1);                  /* xloadflags: KERNEL_64 */
	put32(img + 0x238, 2047);               /* cmdline_size */
	memcpy(img + 0x258, &kbase, 8);        /* pref_address */
	put32(img + 0x260, (uint32_t)(kend - kbase)); /* init_size */
}

/* ELF64 header: e_entry 0x18, e_phoff 0x20, e_phentsize 0x36, e_phnum
 * 0x38. Program header: p_type 0, p_offset 8, p_vaddr 0x10, p_paddr
 * 0x18, p_filesz 0x20, p_memsz 0x28. */
bool load_vmlinux(const uint8_t *img, size_t size, const char *initrd,
		  const char *cmdline)
{
	uint64_t phoff, entry, kbase = UINT64_MAX, kend = 0, pentry = 0;
	unsigned phsz, phnum;
	uint8_t hdr[0x1000];

	if (size < 0x40 || img[4] != 2 || img[5] != 1 ||
	    le16(img + 0x12) != 62) {
		fprintf(stderr, "hvrun: not an x86-64 ELF64 kernel\n");
		return false;
	}
	entry = le64(img + 0x18);
	phoff = le64(img + 0x20);
	phsz = le16(img + 0x36);
	phnum = le16(img + 0x38);
	if (phsz < 0x38 || phoff > size || (uint64_t)phnum * phsz > size - phoff) {
		fprintf(stderr, "hvrun: bad ELF program headers\n");
		return false;
	}
	for (unsigned i = 0; i < phnum; i++) {
		const uint8_t *ph = img + phoff + (uint64_t)i * phsz;
		uint64_t off = le64(ph + 8), vaddr = le64(ph + 0x10);
		uint64_t paddr = le64(ph + 0x18), filesz = le64(ph + 0x20);
		uint64_t memsz = le64(ph + 0x28);
		uint8_t *dst;

		if (le32(ph) != PT_LOAD)
			continue;
		dst = gpa_host(paddr, memsz);
		if (filesz > memsz || off > size || filesz > size - off || !dst) {
			fprintf(stderr, "hvrun: ELF segment at %#llx (%llu "
				"bytes) does not fit; give more memory with "
				"-m\n", (unsigned long long)paddr,
				(unsigned long long)memsz);
			return false;
		}
		memcpy(dst, img + off, filesz);
		memset(dst + filesz, 0, memsz - filesz);
		if (paddr < kbase)
			kbase = paddr;
		if (paddr + memsz > kend)
			kend = paddr + memsz;
		/* e_entry is physical (vmlinux.lds: ENTRY(phys_startup_64))
		 * or, in other links, virtual in a segment. */
		if (entry >= vaddr && entry - vaddr < memsz)
			pentry = entry - vaddr + paddr;
	}
	if (kend == 0) {
		fprintf(stderr, "hvrun: the ELF has no PT_LOAD segment\n");
		return false;
	}
	if (entry < KERNEL_MAP && !pentry)
		pentry = entry;
	if (!pentry || !gpa_host(pentry, 1)) {
		fprintf(stderr, "hvrun: ELF entry %#llx is not loaded\n",
			(unsigned long long)entry);
		return false;
	}
	fake_setup_header(hdr, kbase, kend);
	if (!linux_zero_page(hdr, SETUP_HDR_END, initrd, cmdline, kend))
		return false;
	linux_enter64(pentry);
	return true;
}
