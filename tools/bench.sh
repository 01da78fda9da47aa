#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: the same CPU-bound 64-bit guest ROM on OpenHVF's software
# engine and on QEMU's TCG, in one run; prints guest MIPS for each and the
# ratio. Then the same Linux kernel and initramfs booted by hvrun and by
# QEMU TCG: seconds to the shell for each and the ratio (see boot below).
# Installs qemu-system-x86, and what booting Linux needs, with apt-get if
# missing. BENCH_MIPS lists the ROMs ("alu64 fp64", empty for none),
# BENCH_BOOT the boots ("bzImage vmlinux", "none");
# BENCH_BOOT_TIMEOUT bounds each (seconds, default 600).
set -eu
O=${1:-build/release}
root=$(cd "$(dirname "$0")/.." && pwd)
# Each side runs long enough for a stable rate: the same loop, with its
# own iteration count.
ITERS=${BENCH_ITERS:-50000000}
QITERS=${BENCH_QEMU_ITERS:-500000000}
BODY=8
out=$O/bench
mkdir -p "$out"
"$root/tools/hvrun/linux-deps.sh" qemu
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
# one (bench/fp64.S), each on both engines; BENCH_MIPS lists the ones to
# run (empty: none).
for w in ${BENCH_MIPS-alu64 fp64}; do
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

# Linux boot to the shell, same kernel, initramfs (mkinitrd.sh), command
# line, 512 MiB and 1 vCPU on both sides. Boot-to-shell = from just
# before the VMM process starts until the initramfs' marker line
# OPENHVF-BOOT-OK (printed just before it runs the command) arrives on
# the serial console (tools/hvrun/boot-time.sh). The command is `true`;
# then /init writes its status to port 0xf4: hvrun's debug-exit (exit
# status 0) and QEMU's isa-debug-exit (exit status 2 * 0 + 1 = 1).
# bzImage: both run the kernel's own XZ decompressor (QEMU after
# SeaBIOS); vmlinux: the ELF extracted from it, entered by hvrun at
# startup_64 and by QEMU through its PVH entry point.
BOOTS=${BENCH_BOOT:-bzImage vmlinux}
LIMIT=${BENCH_BOOT_TIMEOUT:-600}
[ "$BOOTS" = none ] && exit 0
if ! kernel=$("$root/tools/hvrun/linux-deps.sh" linux); then
	echo "boot: cannot install the kernel/busybox; no boot benchmark" >&2
	exit 1
fi
initrd=$out/initrd.cpio.gz
"$root/tools/hvrun/mkinitrd.sh" "$initrd" >/dev/null
append='console=ttyS0 panic=-1 8250.nr_uarts=1 tsc=reliable hvrun.cmd=true'
failed=0
# side NAME LOG OKSTATUS VMM ARGS...: one timed boot; prints its line
# and sets $secs, or explains the failure and sets failed=1.
side() {
	name=$1 log=$2 okst=$3
	shift 3
	# shellcheck disable=SC2046
	set -- $("$root/tools/hvrun/boot-time.sh" "$LIMIT" "$log" "$@")
	secs=$1
	if [ "$1" != - ] && [ "$3" = "$okst" ] &&
	   grep -q OPENHVF-CMD-EXIT=0 "$log"; then
		printf 'boot %s %s s to the shell (exit after %s s, %s CPU s)\n' \
			"$name" "$1" "$2" "$4"
		return 0
	fi
	secs=-
	failed=1
	why="exit status $3 (expected $okst) after $2 s"
	[ "$3" = 124 ] && why="timed out after $LIMIT s (BENCH_BOOT_TIMEOUT)"
	[ "$1" = - ] && why="$why, never reached the shell"
	echo "boot $name FAILED: $why; last lines of $log:" >&2
	tail -n 15 "$log" | sed 's/^/  /' >&2
}
for kind in $BOOTS; do
	case $kind in
	bzImage) image=$kernel ;;
	vmlinux)
		image=$out/vmlinux
		"$root/tools/hvrun/extract-vmlinux.sh" "$kernel" "$image" ;;
	*) echo "boot: unknown BENCH_BOOT entry $kind" >&2; exit 1 ;;
	esac
	echo "boot $kind: $image (from $kernel), initramfs $initrd," \
		"512 MiB, 1 vCPU"
	side "$kind openhvf: " "$out/boot-$kind-openhvf.log" 0 \
		"$O/tools/hvrun/hvrun" -kernel "$image" -initrd "$initrd" \
		-m 512 -smp 1 -append "$append"
	ours=$secs
	side "$kind qemu-tcg:" "$out/boot-$kind-qemu.log" 1 \
		qemu-system-x86_64 -accel tcg -cpu max -nodefaults \
		-display none -serial stdio -no-reboot -m 512 -smp 1 \
		-device isa-debug-exit,iobase=0xf4,iosize=1 \
		-kernel "$image" -initrd "$initrd" -append "$append"
	if [ "$ours" != - ] && [ "$secs" != - ]; then
		printf 'boot %s ratio openhvf/qemu-tcg seconds: %.2f\n' "$kind" \
			"$(awk "BEGIN { print $ours / $secs }")"
	fi
done
exit $failed
