#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: the same CPU-bound 64-bit guest ROM on OpenHVF's software
# engine and on QEMU's TCG, in one run; prints guest MIPS for each and the
# ratio. Installs qemu-system-x86 with apt-get if it is missing.
set -eu
O=${1:-build/release}
# Each side runs long enough for a stable rate: the same loop, with its
# own iteration count.
ITERS=${BENCH_ITERS:-50000000}
QITERS=${BENCH_QEMU_ITERS:-500000000}
BODY=8
out=$O/bench
mkdir -p "$out"
if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "bench: installing qemu-system-x86"
	(apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq qemu-system-x86) >/dev/null
fi
rom() { # $1 workload, $2 iterations -> $out/$1-$2.rom
	gcc -c -DBENCH_ITERS="$2" -o "$out/$1-$2.o" "bench/$1.S"
	ld -m elf_x86_64 -Ttext=0xf0000 --oformat binary \
		-o "$out/$1-$2.rom" "$out/$1-$2.o"
}
qemu() { # $1 rom; prints wall seconds
	s=$(date +%s.%N)
	qemu-system-x86_64 -accel tcg -cpu max -nodefaults -display none \
		-m 64 -bios "$1" -device isa-debug-exit,iobase=0xf4,iosize=1 || true
	e=$(date +%s.%N)
	awk "BEGIN { print $e - $s }"
}
# The integer workload (bench/alu64.S) and the floating-point and vector
# one (bench/fp64.S), each on both engines.
for w in alu64 fp64; do
	rom "$w" "$ITERS"
	rom "$w" "$QITERS"
	rom "$w" 1
	ours=$("$O/bench/hvbench" "$out/$w-$ITERS.rom" "$ITERS" "$BODY")
	mips_ours=$(echo "$ours" | sed -n 's/.*: \([0-9.]*\) MIPS.*/\1/p')
	printf '%s openhvf:  %s instructions: %.1f MIPS\n' "$w" \
		"$((ITERS * BODY))" "$mips_ours"
	base=$(qemu "$out/$w-1.rom")
	full=$(qemu "$out/$w-$QITERS.rom")
	secs=$(awk "BEGIN { print $full - $base }")
	mips_qemu=$(awk "BEGIN { print $QITERS * $BODY / $secs / 1000000 }")
	printf '%s qemu-tcg: %s instructions in %.3f s (startup %.3f s removed): %.1f MIPS\n' \
		"$w" "$((QITERS * BODY))" "$secs" "$base" "$mips_qemu"
	printf '%s ratio openhvf/qemu-tcg: %.3f\n' "$w" \
		"$(awk "BEGIN { print $mips_ours / $mips_qemu }")"
done
