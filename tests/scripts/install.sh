#!/bin/sh
# SPDX-License-Identifier: MIT
# `make install PREFIX=...` installs headers, both libraries and hvf.pc;
# a client then builds with pkg-config against the shared and the static
# library and runs.
set -u
O=$1
mode=$(basename "$O")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "1..3"
if make -s -C "$root" MODE="$mode" install PREFIX="$tmp/prefix" >"$tmp/log" 2>&1 &&
	[ -f "$tmp/prefix/include/Hypervisor/Hypervisor.h" ] &&
	[ -f "$tmp/prefix/lib/libhvf.a" ] && [ -f "$tmp/prefix/lib/libhvf.so" ] &&
	[ -f "$tmp/prefix/lib/pkgconfig/hvf.pc" ]; then
	echo "ok 1 - make install"
else
	echo "not ok 1 - make install"; sed 's/^/# /' "$tmp/log"
fi
cat >"$tmp/client.c" <<'C'
#include <Hypervisor/Hypervisor.h>
#include <stdio.h>
int main(void)
{
	uint64_t v = 0;
	if (hv_vm_create(HV_VM_DEFAULT) != HV_SUCCESS)
		return 1;
	if (hv_vmx_read_capability(HV_VMX_CAP_PROCBASED2, &v) != HV_SUCCESS ||
	    !((v >> 32) & CPU_BASED2_UNRESTRICTED))
		return 2;
	return hv_vm_destroy() == HV_SUCCESS ? 0 : 3;
}
C
export PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig"
san=""
[ "$mode" = asan ] && san="-fsanitize=address,undefined"
if cc $san -o "$tmp/client" "$tmp/client.c" $(pkg-config --cflags --libs hvf) \
	>"$tmp/log" 2>&1 && LD_LIBRARY_PATH="$tmp/prefix/lib" "$tmp/client"; then
	echo "ok 2 - pkg-config client (shared)"
else
	echo "not ok 2 - pkg-config client (shared)"; sed 's/^/# /' "$tmp/log"
fi
if cc $san -o "$tmp/client_s" "$tmp/client.c" $(pkg-config --cflags hvf) \
	"$tmp/prefix/lib/libhvf.a" -lpthread >"$tmp/log" 2>&1 && "$tmp/client_s"; then
	echo "ok 3 - static client"
else
	echo "not ok 3 - static client"; sed 's/^/# /' "$tmp/log"
fi
