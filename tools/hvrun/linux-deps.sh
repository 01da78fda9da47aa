#!/bin/sh
# SPDX-License-Identifier: MIT
# Make sure what booting Debian's kernel under hvrun needs is installed,
# then print the kernel to boot:  linux-deps.sh [qemu]
# Needs: a kernel (linux-image-amd64, unless $KERNEL names one), a static
# busybox (busybox-static) and cpio for mkinitrd.sh, xz (xz-utils) for
# extract-vmlinux.sh; "qemu" adds qemu-system-x86 (make bench). Missing
# packages are installed with apt-get, through sudo when not root.
# Prints $KERNEL if set, else the newest /boot/vmlinuz-*.
set -eu
need=
if [ -z "${KERNEL:-}" ] && ! ls /boot/vmlinuz-* >/dev/null 2>&1; then
	need="$need linux-image-amd64"
fi
# ldd fails on a static executable.
if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
	need="$need busybox-static"
fi
command -v cpio >/dev/null 2>&1 || need="$need cpio"
command -v xz >/dev/null 2>&1 || need="$need xz-utils"
if [ "${1:-}" = qemu ] && ! command -v qemu-system-x86_64 >/dev/null 2>&1
then
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
kernel=${KERNEL:-$(ls /boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$kernel" ] || [ ! -r "$kernel" ]; then
	echo "linux-deps.sh: cannot read the kernel '$kernel'" >&2
	exit 1
fi
echo "$kernel"
