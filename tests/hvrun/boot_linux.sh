#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot Debian's kernel with a busybox initramfs under hvrun, run one
# command and check for the marker lines. Skips (TAP) when the kernel,
# a static busybox or hvrun is missing. Usage: boot_linux.sh [BUILD_DIR]
# HVRUN_BOOT_TIMEOUT (seconds, default 600) bounds the run; HVRUN_SMP
# (default 1) the vCPU count. Runs only with OPENHVF_LINUX_BOOT=1 for now.
set -u
O=${1:-build/debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
hvrun=$O/tools/hvrun/hvrun
limit=${HVRUN_BOOT_TIMEOUT:-600}
echo "1..1"
# Opt-in until the engine boots Linux (issue 6): it needs the x87/SSE unit
# of issue 5 and faster code-cache invalidation.
if [ "${OPENHVF_LINUX_BOOT:-0}" != 1 ]; then
	echo "ok 1 # SKIP Linux boot is opt-in for now: OPENHVF_LINUX_BOOT=1"
	exit 0
fi
kernel=$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	echo "ok 1 # SKIP no /boot/vmlinuz-* (apt-get install linux-image-amd64)"
	exit 0
fi
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	echo "ok 1 # SKIP no static /bin/busybox (apt-get install busybox-static)"
	exit 0
fi
if [ ! -x "$hvrun" ]; then
	echo "ok 1 # SKIP $hvrun not built"
	exit 0
fi
initrd=$(mktemp --suffix=.cpio.gz)
out=$(mktemp)
trap 'rm -f "$initrd" "$out"' EXIT
"$root/tools/hvrun/mkinitrd.sh" "$initrd" >/dev/null || exit 1
timeout $((limit + 30)) "$hvrun" -kernel "$kernel" -initrd "$initrd" \
	-m 512 -smp "${HVRUN_SMP:-1}" -timeout "$limit" -append \
	"console=ttyS0 panic=-1 mitigations=off 8250.nr_uarts=1 hvrun.cmd=\"uname -a\"" \
	</dev/null >"$out" 2>&1
status=$?
if [ $status -eq 0 ] && grep -q "OPENHVF-BOOT-OK" "$out" &&
   grep -q "OPENHVF-CMD-EXIT=0" "$out"; then
	echo "ok 1 - Linux boots to the initramfs and runs a command"
else
	echo "not ok 1 - Linux boot (hvrun status $status)"
	tail -n 40 "$out" | sed 's/^/# /'
fi
