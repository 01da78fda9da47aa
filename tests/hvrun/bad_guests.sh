#!/bin/sh
# SPDX-License-Identifier: MIT
# Guests that misbehave must end hvrun with a clear message and a
# non-zero status, never a hang: triple fault, a silent tight loop
# (-timeout), an unknown I/O port, an access to unassigned memory.
# Usage: bad_guests.sh [BUILD_DIR]. TAP output.
set -u
O=${1:-build/debug}
hvrun=$O/tools/hvrun/hvrun
echo "1..4"
if [ ! -x "$hvrun" ]; then
	for i in 1 2 3 4; do echo "ok $i # SKIP hvrun not built"; done
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../lib/flat_guest.sh"

# check N NAME STATUS PATTERN [hvrun options]
check() {
	n=$1 name=$2 want=$3 pat=$4
	shift 4
	timeout 60 "$hvrun" -flat "$tmp/$name.bin@0x7c00" -m 4 "$@" \
		</dev/null >"$tmp/$name.out" 2>&1
	got=$?
	if [ $got -eq "$want" ] && grep -q "$pat" "$tmp/$name.out"; then
		echo "ok $n - $name: status $got"
	else
		echo "not ok $n - $name: status $got, want $want and /$pat/"
		sed 's/^/# /' "$tmp/$name.out"
	fi
}

# Empty IDT: INT3 -> #GP -> #DF -> triple fault.
guest triple <<'S'
	.code16
	lidt %cs:idt - 0x7c00
	int3
	hlt
idt:	.word 0
	.long 0
S
check 1 triple 2 "triple fault"

guest loop <<'S'
	.code16
1:	jmp 1b
S
check 2 loop 124 "timeout" -timeout 2

guest port <<'S'
	.code16
	outb %al, $0x55
	hlt
S
check 3 port 1 "unknown I/O port 0x55"

# Unreal mode (a 4 GiB DS limit) to read far above RAM.
guest mmio <<'S'
	.code16
	cli
	lgdtl %cs:gdtr - 0x7c00
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	movw $8, %bx
	movw %bx, %ds
	andl $~1, %eax
	movl %eax, %cr0
	xorw %bx, %bx
	movw %bx, %ds
	movl $0x40000000, %ebx
	movl (%ebx), %eax
	hlt
	.balign 8
gdt:	.quad 0
	.quad 0x00cf93000000ffff
gdtr:	.word 15
	.long gdt
S
check 4 mmio 1 "no memory or device" 
