#!/bin/sh
# SPDX-License-Identifier: MIT
# Extract the uncompressed vmlinux ELF from an XZ-compressed bzImage (as
# Debian ships them), for hvrun -vmlinux:  extract-vmlinux.sh BZIMAGE OUT
# The compressed payload starts at the XZ stream magic FD 37 7A 58 5A 00
# (the .xz file format, section 2.1.1.1); xz stops at the end of the
# stream, -q tolerates the bytes that follow it (the setup trailer).
set -eu
in=${1:?usage: extract-vmlinux.sh BZIMAGE OUT}
out=${2:?usage: extract-vmlinux.sh BZIMAGE OUT}
command -v xz >/dev/null || { echo "extract-vmlinux.sh: needs xz" >&2; exit 1; }
# Byte offset of the first magic: od prints one byte per line with its
# offset; awk looks for the six-byte sequence.
off=$(od -An -v -tu1 -w1 -Ad "$in" 2>/dev/null | awk '
	{ b[NR % 6] = $2; o[NR % 6] = $1 }
	NR >= 6 {
		s = ""
		for (i = 5; i >= 0; i--)
			s = s " " b[(NR - i) % 6]
		if (s == " 253 55 122 88 90 0") { print o[(NR - 5) % 6] + 0; exit }
	}')
if [ -z "$off" ]; then
	echo "extract-vmlinux.sh: no XZ stream in $in" >&2
	exit 1
fi
tmp=$out.tmp.$$
trap 'rm -f "$tmp"' EXIT
tail -c +"$((off + 1))" "$in" | xz -dcq >"$tmp" 2>/dev/null || [ -s "$tmp" ]
# An ELF header: 7F 'E' 'L' 'F'.
if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" != 7f454c46 ]; then
	echo "extract-vmlinux.sh: $in did not decompress to an ELF" >&2
	exit 1
fi
mv "$tmp" "$out"
trap - EXIT
