#!/bin/sh
# SPDX-License-Identifier: MIT
# hvrun's loaders other than Linux and -bios (boot_linux.sh, boot_demo.sh
# test those): a multiboot ELF kernel, a multiboot a.out-kludge image,
# and a flat real-mode binary with -entry reading an extra -rom image.
# The guests (tests/hvrun/guests/) check their entry state themselves
# and exit through the debug-exit port. Needs gcc and GNU ld (skips
# without). Usage: loaders.sh [BUILD_DIR]. TAP output.
set -u
O=${1:-build/debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
hvrun=$O/tools/hvrun/hvrun
src=$root/tests/hvrun/guests
echo "1..3"
if [ ! -x "$hvrun" ] || ! command -v gcc >/dev/null || ! command -v ld >/dev/null; then
	for i in 1 2 3; do echo "ok $i # SKIP hvrun, gcc or ld missing"; done
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run N NAME WANT HVRUN-ARGS...: one hvrun run, one TAP line; the guest
# must exit with status 0 and print WANT.
run() {
	n=$1 name=$2 want=$3
	shift 3
	timeout 60 "$hvrun" -m 16 -timeout 30 "$@" </dev/null \
		>"$tmp/out" 2>&1
	status=$?
	if [ $status -eq 0 ] && grep -qF "$want" "$tmp/out"; then
		echo "ok $n - $name"
	else
		echo "not ok $n - $name (hvrun status $status)"
		sed 's/^/# /' "$tmp/out"
	fi
}

# build N NAME COMMANDS...: a build step; a failure is a failed case.
build() {
	n=$1 name=$2
	shift 2
	if ! "$@" >"$tmp/build" 2>&1; then
		echo "not ok $n - $name: build failed"
		sed 's/^/# /' "$tmp/build"
		return 1
	fi
}

if build 1 "multiboot ELF" gcc -m32 -c -o "$tmp/mb.o" "$src/multiboot.S" &&
   build 1 "multiboot ELF" ld -m elf_i386 -Ttext=0x100000 -o "$tmp/mb.elf" \
	"$tmp/mb.o"; then
	run 1 "multiboot ELF kernel: magic, info, mmap, cmdline" \
		"multiboot: cmdline=elf test" \
		-multiboot "$tmp/mb.elf" -append "elf test"
fi
if build 2 "multiboot kludge" gcc -m32 -DKLUDGE -c -o "$tmp/mbk.o" \
	"$src/multiboot.S" &&
   build 2 "multiboot kludge" ld -m elf_i386 -Ttext=0x200000 \
	--oformat binary -o "$tmp/mbk.bin" "$tmp/mbk.o"; then
	run 2 "multiboot a.out-kludge image: load, bss, entry" \
		"multiboot: cmdline=kludge test" \
		-multiboot "$tmp/mbk.bin" -append "kludge test"
fi
if build 3 "flat" gcc -c -o "$tmp/flat.o" "$src/flat.S" &&
   build 3 "flat" ld -Ttext=0x1000 --oformat binary -o "$tmp/flat.bin" \
	"$tmp/flat.o"; then
	printf 'extra ROM at 0xd0000\0' >"$tmp/rom.bin"
	run 3 "flat real-mode binary with -entry and an extra -rom" \
		"extra ROM at 0xd0000" \
		-flat "$tmp/flat.bin@0x1000" -entry 0x1010 \
		-rom "$tmp/rom.bin@0xd0000"
fi
