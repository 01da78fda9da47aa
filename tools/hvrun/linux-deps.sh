#!/bin/sh
# SPDX-License-Identifier: MIT
# Make sure what the boots of hvrun and make bench need is installed:
#   linux-deps.sh [linux] [qemu]     (no argument: linux)
# linux: a kernel (linux-image-amd64, unless $KERNEL names one), a static
# busybox (busybox-static) and cpio for mkinitrd.sh, xz (xz-utils) for
# extract-vmlinux.sh; then prints the kernel to boot, $KERNEL if set,
# else the newest /boot/vmlinuz-*. qemu: qemu-system-x86 (make bench).
# Missing packages are installed with apt-get, through sudo when not
# root: the one place the boot scripts install anything.
set -eu
linux=0
qemu=0
[ $# -gt 0 ] || set -- linux
for want in "$@"; do
	case "$want" in
	linux) linux=1 ;;
	qemu) qemu=1 ;;
	*) echo "usage: linux-deps.sh [linux] [qemu]" >&2; exit 2 ;;
	esac
done
need=
if [ $linux = 1 ]; then
	if [ -z "${KERNEL:-}" ] && ! ls /boot/vmlinuz-* >/dev/null 2>&1; then
		need="$need linux-image-amd64"
	fi
	# ldd fails on a static executable.
	if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
		need="$need busybox-static"
	fi
	command -v cpio >/dev/null 2>&1 || need="$need cpio"
	command -v xz >/dev/null 2>&1 || need="$need xz-utils"
fi
if [ $qemu = 1 ] && ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	need="$need qemu-system-x86"
fi
if [ -n "$need" ]; then
	sudo=
	if [ "$(id -u)" != 0 ]; then
		if ! command -v sudo >/dev/null 2>&1; then
			echo "linux-deps.sh: as root: apt-get install$need" >&2
			exit 1
		fi
		sudo=sudo
	fi
	echo "linux-deps.sh: installing$need with apt-get" >&2
	if ! { $sudo apt-get update -qq &&
	       $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			--no-install-recommends $need; } >&2; then
		echo "linux-deps.sh: apt-get install$need failed" >&2
		exit 1
	fi
fi
[ $linux = 1 ] || exit 0
kernel=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	echo "linux-deps.sh: cannot read the kernel '$kernel'" >&2
	exit 1
fi
echo "$kernel"
