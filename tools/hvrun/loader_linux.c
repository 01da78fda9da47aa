/* SPDX-License-Identifier: MIT */
/* Linux bzImage loader for the 64-bit boot protocol (the kernel's
 * Documentation/arch/x86/boot.rst, "The Linux/x86 Boot Protocol", and
 * zero-page.rst): checks the setup header, loads the protected-mode
 * kernel at 1 MiB, fills boot_params (the zero page) with the header,
 * command line, initrd and e820 map, and enters at the 64-bit entry
 * point (load address + 0x200) in long mode with identity-mapped page
 * tables, a GDT with __BOOT_CS = 0x10 and __BOOT_DS = 0x18, interrupts
 * off and RSI = &boot_params. Also the low-memory data a PC BIOS would
 * leave (BIOS data area, MP tables). */
#include "hvrun.h"
#include "le.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Guest-physical layout of what the loader builds. */
#define GDT_ADDR 0x500u
#define STACK_TOP 0x7000u
#define ZERO_PAGE 0x7000u
#define PML4_ADDR 0x9000u     /* then PDPT, four PDs: 0x9000-0xefff */
#define CMDLINE_ADDR 0x20000u
#define CMDLINE_MAX 0x10000u
#define KERNEL_ADDR 0x100000u

/* Setup header offsets in the image and in boot_params (boot.rst). */
enum {
	HDR_SETUP_SECTS = 0x1f1, HDR_BOOT_FLAG = 0x1fe, HDR_JUMP = 0x200,
	HDR_MAGIC = 0x202, HDR_VERSION = 0x206, HDR_TYPE_OF_LOADER = 0x210,
	HDR_LOADFLAGS = 0x211, HDR_RAMDISK_IMAGE = 0x218,
	HDR_RAMDISK_SIZE = 0x21c, HDR_CMD_LINE_PTR = 0x228,
	HDR_INITRD_ADDR_MAX = 0x22c, HDR_XLOADFLAGS = 0x236,
	HDR_CMDLINE_SIZE = 0x238, HDR_INIT_SIZE = 0x260,
	BP_EXT_RAMDISK_IMAGE = 0x0c0, BP_EXT_RAMDISK_SIZE = 0x0c4,
	BP_EXT_CMD_LINE_PTR = 0x0c8, BP_E820_ENTRIES = 0x1e8,
	BP_E820_TABLE = 0x2d0,
};
#define E820_MAX 128
#define XLF_KERNEL_64 1
#define LOADED_HIGH 1

static uint64_t low_ram_end(void)
{
	return vm.mem[0].size;  /* region 0 is RAM from 0 */
}

/* e820 entries: 8-byte address, 8-byte size, 4-byte type (1 = RAM,
 * 2 = reserved); the EBDA and the BIOS area stay reserved. */
static uint8_t *e820_put(uint8_t *e, uint64_t addr, uint64_t size,
			 uint32_t type)
{
	memcpy(e, &addr, 8);
	memcpy(e + 8, &size, 8);
	memcpy(e + 16, &type, 4);
	return e + 20;
}

unsigned e820_build(uint8_t *table, unsigned max)
{
	uint8_t *e = table;

	if (max < 5)
		return 0;
	e = e820_put(e, 0, MPTABLE_GPA, 1);
	e = e820_put(e, MPTABLE_GPA, 0xa0000 - MPTABLE_GPA, 2);
	e = e820_put(e, 0xf0000, 0x10000, 2);
	e = e820_put(e, 0x100000, low_ram_end() - 0x100000, 1);
	if (vm.nmem > 1 && !vm.mem[1].rom && vm.mem[1].gpa == 0x100000000ull)
		e = e820_put(e, vm.mem[1].gpa, vm.mem[1].size, 1);
	return (unsigned)(e - table) / 20;
}

void setup_bios_data(void)
{
	uint8_t *low = vm.mem[0].host;
	uint16_t ebda_seg = MPTABLE_GPA >> 4, base_kb = MPTABLE_GPA >> 10;

	/* BIOS data area: EBDA segment at 0x40e, base memory KiB at 0x413
	 * (IBM PC/AT Technical Reference, BIOS data area). */
	memcpy(low + 0x40e, &ebda_seg, 2);
	memcpy(low + 0x413, &base_kb, 2);
	/* Family 6 model 0x3a signature and FPU|TSC|MSR|CX8|APIC flags. */
	mptable_build(low, MPTABLE_GPA, vm.ncpus, 0x306a9, 0x331);
}

/* Identity map of the low 4 GiB with 2 MiB pages (P, RW, PS). */
static void build_page_tables(uint8_t *low)
{
	uint64_t *pml4 = (uint64_t *)(low + PML4_ADDR);
	uint64_t *pdpt = (uint64_t *)(low + PML4_ADDR + 0x1000);
	uint64_t *pd = (uint64_t *)(low + PML4_ADDR + 0x2000);

	memset(pml4, 0, 0x6000);
	pml4[0] = (PML4_ADDR + 0x1000) | 3;
	for (unsigned i = 0; i < 4; i++)
		pdpt[i] = (PML4_ADDR + 0x2000 + 0x1000 * i) | 3;
	for (unsigned i = 0; i < 4 * 512; i++)
		pd[i] = ((uint64_t)i << 21) | 0x83;
}

static void build_gdt(uint8_t *low)
{
	static const uint64_t gdt[4] = {
		0, 0,
		0x00af9b000000ffffull,  /* 0x10: 64-bit code, DPL 0 */
		0x00cf93000000ffffull,  /* 0x18: flat data */
	};

	memcpy(low + GDT_ADDR, gdt, sizeof(gdt));
}

static bool load_initrd(uint8_t *bp, const char *path, uint64_t kernel_end)
{
	uint8_t *data;
	size_t size;
	uint64_t max = le32(bp + HDR_INITRD_ADDR_MAX), top, addr;

	if (!read_file(path, &data, &size))
		return false;
	/* As high as allowed: below initrd_addr_max and the end of low
	 * RAM, page aligned (boot.rst, "initrd_addr_max"). */
	top = low_ram_end();
	if (max && max + 1 < top)
		top = max + 1;
	addr = (top - size) & ~0xfffull;
	if (size > top || addr < kernel_end) {
		fprintf(stderr, "hvrun: initrd of %zu bytes does not fit; "
			"give more memory with -m\n", size);
		free(data);
		return false;
	}
	memcpy(vm.mem[0].host + addr, data, size);
	free(data);
	put32(bp + HDR_RAMDISK_IMAGE, (uint32_t)addr);
	put32(bp + HDR_RAMDISK_SIZE, (uint32_t)size);
	put32(bp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(addr >> 32));
	put32(bp + BP_EXT_RAMDISK_SIZE, (uint32_t)((uint64_t)size >> 32));
	return true;
}

static bool check_header(const uint8_t *img, size_t size)
{
	if (size < 0x1000 || le16(img + HDR_BOOT_FLAG) != 0xaa55 ||
	    memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		fprintf(stderr, "hvrun: not a bzImage (no setup header)\n");
		return false;
	}
	/* 64-bit entry: protocol 2.12 or later with XLF_KERNEL_64. */
	if (le16(img + HDR_VERSION) < 0x20c ||
	    !(le16(img + HDR_XLOADFLAGS) & XLF_KERNEL_64)) {
		fprintf(stderr, "hvrun: the kernel has no 64-bit entry point "
			"(boot protocol %#x)\n", le16(img + HDR_VERSION));
		return false;
	}
	if (!(img[HDR_LOADFLAGS] & LOADED_HIGH)) {
		fprintf(stderr, "hvrun: zImage kernels are not supported\n");
		return false;
	}
	return true;
}

/* boot_params at ZERO_PAGE from a setup header (hdr: the image's bytes
 * 0x1f1 up to hdr_end), the command line, the initrd (placed above
 * kernel_end) and the e820 map; shared by the bzImage and ELF loaders. */
bool linux_zero_page(const uint8_t *hdr, size_t hdr_end, const char *initrd,
		     const char *cmdline, uint64_t kernel_end)
{
	uint8_t *bp = vm.mem[0].host + ZERO_PAGE;
	size_t cmax;

	/* boot_params: zero, then the setup header (zero-page.rst: the
	 * header sits at 0x1f1 as in the image). */
	memset(bp, 0, 0x1000);
	memcpy(bp + HDR_SETUP_SECTS, hdr + HDR_SETUP_SECTS,
	       hdr_end - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = 0xff;  /* undefined boot loader */
	bp[HDR_LOADFLAGS] |= LOADED_HIGH;
	cmax = le32(hdr + HDR_CMDLINE_SIZE);
	if (!cmax || cmax >= CMDLINE_MAX)
		cmax = CMDLINE_MAX - 1;
	if (strlen(cmdline) > cmax) {
		fprintf(stderr, "hvrun: command line longer than %zu bytes\n",
			cmax);
		return false;
	}
	strcpy((char *)vm.mem[0].host + CMDLINE_ADDR, cmdline);
	put32(bp + HDR_CMD_LINE_PTR, CMDLINE_ADDR);
	put32(bp + BP_EXT_CMD_LINE_PTR, 0);
	bp[BP_E820_ENTRIES] = (uint8_t)e820_build(bp + BP_E820_TABLE, E820_MAX);
	return !initrd || load_initrd(bp, initrd, kernel_end);
}

/* Enter at a 64-bit entry point as the 64-bit boot protocol says
 * (boot.rst, "64-bit Boot Protocol"): long mode, identity-mapped
 * paging, __BOOT_CS/__BOOT_DS, interrupts off, RSI = &boot_params. */
void linux_enter64(uint64_t entry)
{
	uint8_t *low = vm.mem[0].host;

	build_page_tables(low);
	build_gdt(low);
	vm.boot = (struct boot_state){
		.mode = BOOT_LONG64,
		.rip = entry,
		.rsp = STACK_TOP,
		.rsi = ZERO_PAGE,
		.cr0 = 0x80000011,           /* PG, ET, PE */
		.cr3 = PML4_ADDR,
		.cr4 = 0x20,                 /* PAE */
		.efer = 0x500,               /* LME, LMA */
		.gdt_base = GDT_ADDR,
		.gdt_limit = 0x1f,
		.cs = 0x10,
		.ds = 0x18,
	};
}

bool load_linux(const char *kernel, const char *initrd, const char *cmdline)
{
	uint8_t *img, *low = vm.mem[0].host;
	size_t size, setup, ksize;
	uint64_t init_size;

	if (!read_file(kernel, &img, &size))
		return false;
	if (size >= 4 && !memcmp(img, "\x7f" "ELF", 4)) {
		bool ok = load_vmlinux(img, size, initrd, cmdline);

		free(img);
		return ok;
	}
	if (!check_header(img, size))
		goto fail;
	setup = (size_t)(img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4) + 1;
	setup *= 512;
	ksize = size - setup;
	init_size = le32(img + HDR_INIT_SIZE);
	if (init_size < ksize)
		init_size = ksize;
	if (setup >= size || KERNEL_ADDR + init_size > low_ram_end()) {
		fprintf(stderr, "hvrun: the kernel needs %llu MiB; give more "
			"memory with -m\n",
			(unsigned long long)((KERNEL_ADDR + init_size) >> 20) + 1);
		goto fail;
	}
	memcpy(low + KERNEL_ADDR, img + setup, ksize);
	if (!linux_zero_page(img, 0x202 + (size_t)img[0x201], initrd, cmdline,
			     KERNEL_ADDR + init_size))
		goto fail;
	free(img);
	linux_enter64(KERNEL_ADDR + 0x200);  /* 64-bit entry (boot.rst) */
	return true;
fail:
	free(img);
	return false;
}
