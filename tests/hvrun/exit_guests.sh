#!/bin/sh
# SPDX-License-Identifier: MIT
# Guests that check, under hvrun, instructions whose effect depends on
# how hvrun and the engine share the work. cr3_reload: a MOV to CR3 must
# flush the guest's TLB (SDM Vol. 3A, 4.10.4.1) even when the value is
# unchanged. hvrun now takes its controls from the TRUE capabilities, so
# the engine runs the MOV itself; with CR3-load exiting (non-TRUE
# capabilities) hvrun emulates it and must call hv_vcpu_invalidate_tlb,
# since writing VMCS_GUEST_CR3 alone does not flush. Linux without PTI
# flushes its TLB that way, and fork children then read stale stack
# pages. Passing guests end in HLT with IF=0 (status 0); failing ones in
# a triple fault. Usage: exit_guests.sh [BUILD_DIR]. TAP.
set -u
O=${1:-build/debug}
hvrun=$O/tools/hvrun/hvrun
echo "1..1"
if [ ! -x "$hvrun" ]; then
	echo "ok 1 # SKIP hvrun not built"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

. "$(dirname "$0")/../lib/flat_guest.sh"

# check N NAME: the guest halts with status 0.
check() {
	timeout 60 "$hvrun" -flat "$tmp/$2.bin@0x7c00" -m 4 \
		</dev/null >"$tmp/$2.out" 2>&1
	got=$?
	if [ $got -eq 0 ]; then
		echo "ok $1 - $2"
	else
		echo "not ok $1 - $2: status $got"
		sed 's/^/# /' "$tmp/$2.out"
	fi
}

# 32-bit paging; linear 0x20000 read through page A, remapped to page B,
# then the same CR3 reloaded: the next read must see page B.
guest cr3_reload <<'S'
	.code16
	cli
	lidtl %cs:idtr - 0x7c00
	lgdtl %cs:gdtr - 0x7c00
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $8, $pm
	.code32
pm:	movw $16, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	/* Page directory at 0x10000, one identity-mapping page table at
	 * 0x11000; linear 0x20000 maps page A (0x30000) at first. */
	movl $0x11003, 0x10000
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	orl $3, %eax
	movl %eax, 0x11000(,%ecx,4)
	incl %ecx
	cmpl $1024, %ecx
	jne 1b
	movl $0x11111111, 0x30000
	movl $0x22222222, 0x31000
	movl $0x30003, 0x11000 + 0x20 * 4
	movl $0x10000, %eax
	movl %eax, %cr3
	movl %cr0, %eax
	orl $0x80000000, %eax
	movl %eax, %cr0
	/* A read through linear 0x20000 caches its translation. */
	cmpl $0x11111111, 0x20000
	jne fail
	/* Remap it to page B, then reload the same CR3: the load exits
	 * (CR3-load exiting) and must still flush the TLB. */
	movl $0x31003, 0x11000 + 0x20 * 4
	movl %cr3, %eax
	movl %eax, %cr3
	cmpl $0x22222222, 0x20000
	jne fail
	hlt
fail:	int3
	.balign 8
gdt:	.quad 0
	.quad 0x00cf9b000000ffff
	.quad 0x00cf93000000ffff
gdtr:	.word 23
	.long gdt
idtr:	.word 0
	.long 0
S
check 1 cr3_reload
