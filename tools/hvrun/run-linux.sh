#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot Debian's Linux kernel under hvrun to a busybox shell (or run one
# command):  run-linux.sh [-smp N] [-m MIB] [-timeout SEC] [-vmlinux]
#             [COMMAND...]
# With COMMAND the initramfs types it into a busybox shell, prints
# OPENHVF-CMD-EXIT=<status> and powers off; hvrun exits with that
# status. Without, the shell is on this terminal (raw mode, restored on
# exit); `exit` powers off, Ctrl-A x quits.
# Installs what is missing with apt-get (linux-deps.sh). HVRUN (default
# build/debug/tools/hvrun/hvrun) picks the binary; HVRUN_OPTS adds hvrun
# options; KERNEL picks the bzImage.
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

kernel=$("$root/tools/hvrun/linux-deps.sh")
[ -x "$hvrun" ] || { echo "run-linux.sh: build hvrun first ($hvrun)" >&2; exit 1; }

initrd=$(mktemp --suffix=.cpio.gz)
vmlinux=$(mktemp --suffix=.vmlinux)
trap 'rm -f "$initrd" "$vmlinux"' EXIT
"$root/tools/hvrun/mkinitrd.sh" "$initrd" >/dev/null
if [ "$elf" = 1 ]; then
	"$root/tools/hvrun/extract-vmlinux.sh" "$kernel" "$vmlinux"
	echo "run-linux.sh: booting $kernel as an uncompressed vmlinux," \
		"$smp vCPU(s), $mem MiB" >&2
	kernel=$vmlinux
else
	# The decompressor prints nothing: say why the screen stays empty.
	echo "run-linux.sh: booting $kernel (bzImage), $smp vCPU(s)," \
		"$mem MiB; its XZ decompressor runs first and prints" \
		"nothing for ~40 s (-vmlinux skips it)" >&2
fi
# console on COM1; panic ends the VM (reboot -> keyboard-controller
# reset -> hvrun exits).
append="console=ttyS0 earlyprintk=serial,ttyS0,115200 panic=-1 \
8250.nr_uarts=1 tsc=reliable"
if [ $# -gt 0 ]; then
	append="$append hvrun.cmd=\"$*\""
fi
# No exec: the trap removes the temporary files after hvrun exits.
# shellcheck disable=SC2086
"$hvrun" -kernel "$kernel" -initrd "$initrd" -m "$mem" -smp "$smp" \
	$timeout ${HVRUN_OPTS:-} -append "$append"
