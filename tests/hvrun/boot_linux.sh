#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot Debian's kernel with a busybox initramfs under hvrun, run one
# command and check for the marker lines, three ways: 1. the bzImage
# through its decompressor, 2. the vmlinux ELF extracted from it
# (loader_elf.c) entered at startup_64, 3. the same with 2 vCPUs. Each
# prints (a "#" line) its seconds to the shell and to power-off
# (tools/hvrun/boot-time.sh); a boot whose log shows a kernel WARN/BUG
# or a complaint about the machine's tables, MSRs or topology fails.
# Skips (TAP) when the kernel, a static
# busybox, xz or hvrun is missing. Usage: boot_linux.sh [BUILD_DIR]
# HVRUN_BOOT_TIMEOUT (seconds, default 600) bounds each run. The vmlinux
# boots (about 20 s each in a debug build) run by default; under
# build/asan (slower: see below) only the 1-vCPU one. The bzImage boot
# runs in release builds and with OPENHVF_LINUX_BOOT=1;
# OPENHVF_LINUX_BOOT=0 skips all.
set -u
O=${1:-build/debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
hvrun=$O/tools/hvrun/hvrun
limit=${HVRUN_BOOT_TIMEOUT:-600}
# The bzImage boot (the 64-bit boot protocol with the kernel's own XZ
# decompressor, a minute or more on the engine) runs in release builds,
# which CI runs too, or with OPENHVF_LINUX_BOOT=1.
case "$O" in
*release*) mode=${OPENHVF_LINUX_BOOT:-1} ;;
*) mode=${OPENHVF_LINUX_BOOT:-vmlinux} ;;
esac
echo "1..3"
skip() {
	for n in 1 2 3; do
		echo "ok $n # SKIP $1"
	done
	exit 0
}
case "$mode" in
1|vmlinux) ;;
*) skip "OPENHVF_LINUX_BOOT=$mode" ;;
esac
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	skip "no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
fi
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	skip "no static /bin/busybox (apt-get install busybox-static)"
fi
if [ ! -x "$hvrun" ]; then
	skip "$hvrun not built"
fi
initrd=$(mktemp --suffix=.cpio.gz)
vmlinux=$(mktemp --suffix=.vmlinux)
out=$(mktemp)
trap 'rm -f "$initrd" "$vmlinux" "$out"' EXIT
"$root/tools/hvrun/mkinitrd.sh" "$initrd" >/dev/null || exit 1

# boot N WHAT IMAGE VCPUS: one boot, one TAP line and one "#" line.
boot() {
	res=$("$root/tools/hvrun/boot-time.sh" $((limit + 30)) "$out" \
		"$hvrun" -kernel "$3" -initrd "$initrd" -m 512 -smp "$4" \
		-timeout "$limit" -append \
		"console=ttyS0 panic=-1 8250.nr_uarts=1 hvrun.cmd=\"uname -a\"")
	# res: seconds to the shell ("-" if never), to the exit; exit
	# status; CPU seconds.
	read -r shell total status cpu <<EOF
$res
EOF
	what="$2, $4 vCPU(s)"
	echo "# $what: $shell s to the shell, $total s to power-off" \
		"($cpu CPU s)"
	# Kernel warnings the machine must not cause: WARN/BUG/oops
	# reports, and complaints about hvrun's tables, MSRs or topology.
	bad=$(grep -E -e '-\[ cut here \]-|BUG:|Oops|Call Trace' \
		-e 'ExtINT not setup|Unable to init MCE|calibrate_delay_direct' \
		"$out" | head -n 5)
	if [ "$status" -eq 0 ] && [ "$shell" != - ] && [ -z "$bad" ] &&
	   grep -q "OPENHVF-BOOT-OK .* on $4 CPU(s)" "$out" &&
	   grep -q "OPENHVF-CMD-EXIT=0" "$out"; then
		echo "ok $1 - Linux ($what) boots to the initramfs and runs a command"
	else
		echo "not ok $1 - Linux boot ($what): hvrun status $status"
		[ -z "$bad" ] || echo "$bad" | sed 's/^/# kernel warned: /'
		tail -n 40 "$out" | sed 's/^/# /'
	fi
}

if [ "$mode" = vmlinux ]; then
	echo "ok 1 # SKIP bzImage boot: release builds or OPENHVF_LINUX_BOOT=1"
else
	boot 1 bzImage "$kernel" 1
fi
if ! command -v xz >/dev/null; then
	echo "ok 2 # SKIP no xz to extract the vmlinux"
	echo "ok 3 # SKIP no xz to extract the vmlinux"
	exit 0
fi
if ! "$root/tools/hvrun/extract-vmlinux.sh" "$kernel" "$vmlinux"; then
	echo "not ok 2 - extract-vmlinux.sh $kernel"
	echo "not ok 3 - extract-vmlinux.sh $kernel"
	exit 0
fi
boot 2 vmlinux "$vmlinux" 1
# Under ASan+UBSan a boot takes several minutes: one is enough there.
case "$O" in
*asan*) echo "ok 3 # SKIP 2-vCPU boot not run under $O (slow)" ;;
*) boot 3 vmlinux "$vmlinux" 2 ;;
esac
