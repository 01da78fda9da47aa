#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot Debian's Linux kernel under hvrun to a busybox shell (or run one
# command):  run-linux.sh [-smp N] [-m MIB] [-timeout SEC] [-vmlinux]
#             [COMMAND...]
# Installs linux-image-amd64 and busybox-static with apt-get when
# missing. HVRUN (default build/debug/tools/hvrun/hvrun) picks the
# binary; HVRUN_OPTS adds hvrun options; KERNEL picks the bzImage.
# -vmlinux boots the kernel without its decompressor: the ELF is
# extracted from the bzImage (extract-vmlinux.sh) into a temporary file.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
hvrun=${HVRUN:-$root/build/debug/tools/hvrun/hvrun}
smp=1
mem=512
timeout=
elf=0
while [ $# -gt 0 ]; do
	case "$1" in
	-smp) smp=$2; shift 2 ;;
	-m) mem=$2; shift 2 ;;
	-timeout) timeout="-timeout $2"; shift 2 ;;
	-vmlinux) elf=1; shift ;;
	*) break ;;
	esac
done

need=
ls /boot/vmlinuz-* >/dev/null 2>&1 || need="$need linux-image-amd64"
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	need="$need busybox-static"
if [ -n "$need" ] && [ -z "${KERNEL:-}" ]; then
	echo "run-linux.sh: installing$need" >&2
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $need cpio
fi
kernel=${KERNEL:-$(ls /boot/vmlinuz-* | sort -V | tail -n 1)}
[ -x "$hvrun" ] || { echo "run-linux.sh: build hvrun first ($hvrun)" >&2; exit 1; }

initrd=$(mktemp --suffix=.cpio.gz)
vmlinux=$(mktemp --suffix=.vmlinux)
trap 'rm -f "$initrd" "$vmlinux"' EXIT
"$root/tools/hvrun/mkinitrd.sh" "$initrd" >/dev/null
if [ "$elf" = 1 ]; then
	"$root/tools/hvrun/extract-vmlinux.sh" "$kernel" "$vmlinux"
	kernel=$vmlinux
fi
# console on COM1; panic ends the VM (reboot -> keyboard-controller
# reset -> hvrun exits). Mitigations stay on: without page-table
# isolation a forked child can still read a stale stack page (issue 6).
append="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 \
8250.nr_uarts=1 tsc=reliable"
if [ $# -gt 0 ]; then
	append="$append hvrun.cmd=\"$*\""
fi
# shellcheck disable=SC2086
"$hvrun" -kernel "$kernel" -initrd "$initrd" -m "$mem" -smp "$smp" \
	$timeout ${HVRUN_OPTS:-} -append "$append"
