#!/bin/sh
# SPDX-License-Identifier: MIT
# Compile-only conformance of the public headers: Hypervisor.h and each header
# on its own (self-contained, include-guarded) under every compiler and
# language standard below with -Wall -Wextra -Wpedantic -Werror (plus the
# project's -Wshadow, -Wstrict-prototypes, -Wmissing-prototypes), an assembler
# file using the __ASSEMBLER__-safe macros, a scan for Linux-specific
# includes, and factsheet_check.py. Prints TAP; exits non-zero if anything
# fails. A missing compiler (or fact sheet) is a skip.
# Usage: tests/headers/check.sh [srcdir]
set -u

srcdir=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
inc=$srcdir/include
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hv-headers.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

headers="Hypervisor.h hv.h hv_base.h hv_error.h hv_types.h hv_vmx.h
	hv_arch_x86.h hv_arch_vmx.h hv_intr.h hv_vm_allocate.h hv_shims.h
	hv_openhvf.h"
# compiler:language:standard
combos="gcc:c:c99 gcc:c:c11 gcc:c:c17 clang:c:c99 clang:c:c11 clang:c:c17
	g++:c++:c++11 g++:c++:c++17 clang++:c++:c++11 clang++:c++:c++17"
asms="gcc clang"

warn="-Wall -Wextra -Wpedantic -Werror -Wshadow"
cwarn="-Wstrict-prototypes -Wmissing-prototypes"

n=0
failed=0

# shellcheck disable=SC2086 # word splitting of the lists is intended
count() {
	set -- $headers
	nh=$#
	set -- $combos
	nc=$#
	set -- $asms
	echo $((nh * nc + $# + 2))
}

report() {	# $1 status, $2 description, $3 log file
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		sed 's/^/# /' "$3"
		failed=$((failed + 1))
	fi
}

skip() {	# $1 description, $2 reason
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}

# A translation unit for header $1: include it twice (guard), then the C
# library (no clash with the shims), and use a declaration from it.
write_tu() {
	{
		echo "#include <Hypervisor/$1>"
		echo "#include <Hypervisor/$1>"
		echo "#include <stdio.h>"
		echo "#include <stdlib.h>"
		case $1 in
		Hypervisor.h)
			echo "hv_return_t (*check_fn)(hv_vcpuid_t, uint32_t,"
			echo "	uint64_t *) = hv_vmx_vcpu_read_vmcs;"
			echo "unsigned long long check_c[] = { HV_DEADLINE_FOREVER,"
			echo "	VMX_BASIC_TRUE_CTLS, CPU_BASED_SECONDARY_CTLS };"
			echo "hv_return_t check_r = HV_ERROR;" ;;
		hv_openhvf.h)
			echo "const char *(*check_fn)(hv_vcpuid_t) ="
			echo "	hv_openhvf_entry_failure_reason;" ;;
		esac
		echo "int check_nonempty;"
	} >"$2"
}

echo "1..$(count)"

for combo in $combos; do
	cc=${combo%%:*}
	rest=${combo#*:}
	lang=${rest%%:*}
	std=${rest#*:}
	for h in $headers; do
		desc="$cc $std $h"
		if ! command -v "$cc" >/dev/null 2>&1; then
			skip "$desc" "$cc not found"
			continue
		fi
		if [ "$lang" = c ]; then
			src=$tmp/tu.c
			flags="$warn $cwarn"
		else
			src=$tmp/tu.cc
			flags=$warn
		fi
		write_tu "$h" "$src"
		# shellcheck disable=SC2086
		"$cc" -std="$std" -I "$inc" $flags -c -o /dev/null "$src" \
			>"$tmp/log" 2>&1
		report $? "$desc" "$tmp/log"
	done
done

cat >"$tmp/x.S" <<'EOF'
#include <Hypervisor/hv_arch_x86.h>
#include <Hypervisor/hv_arch_vmx.h>
	.data
	.long __HV_X86_RAX, __VMCS_HOST_RSP, __HV_X86_REGISTERS_MAX
	.if __HV_X86_RAX != 2 || __VMCS_HOST_RSP != 0x6c14
	.error "wrong register id or VMCS encoding"
	.endif
EOF
for cc in $asms; do
	desc="$cc asm hv_arch_x86.h hv_arch_vmx.h"
	if ! command -v "$cc" >/dev/null 2>&1; then
		skip "$desc" "$cc not found"
		continue
	fi
	"$cc" -D__ASSEMBLER__ -I "$inc" -Wall -Werror -c -o /dev/null \
		"$tmp/x.S" >"$tmp/log" 2>&1
	report $? "$desc" "$tmp/log"
done

# Nothing Linux- or glibc-specific in the public headers.
grep -nE '#[[:space:]]*include[[:space:]]*<(linux|asm|bits|gnu|features\.h|sys/(syscall|ioctl|prctl)\.h)|__linux__|__GLIBC__|_GNU_SOURCE' \
	"$inc"/Hypervisor/*.h >"$tmp/log" 2>&1
if [ $? -eq 1 ]; then
	report 0 "headers are free of Linux-specific includes" "$tmp/log"
else
	report 1 "headers are free of Linux-specific includes" "$tmp/log"
fi

# Values, prototypes and layouts against the fact sheet, when it is present.
desc="factsheet_check.py (values against hvf-api.md)"
if ! command -v python3 >/dev/null 2>&1; then
	skip "$desc" "python3 not found"
else
	python3 "$srcdir/tests/headers/factsheet_check.py" >"$tmp/log" 2>&1
	st=$?
	if [ $st -eq 0 ] && grep -q '^1\.\.0 # SKIP' "$tmp/log"; then
		skip "$desc" "$(sed -n 's/^1\.\.0 # SKIP //p' "$tmp/log")"
	else
		report $st "$desc" "$tmp/log"
	fi
fi

[ "$failed" -eq 0 ]
