#!/bin/sh
# SPDX-License-Identifier: MIT
# libhvf.so exports exactly the 81 hv_* functions of the x86_64 API plus
# the documented hv_openhvf_* extensions, and nothing else.
set -u
O=$1
so=$O/libhvf.so
syms=$(nm -D --defined-only "$so" | awk '$2 ~ /[TtDdBbRrWwVv]/ {print $3}' | sort)
echo "1..3"
bad=$(echo "$syms" | grep -v '^hv_' || true)
if [ -z "$bad" ]; then echo "ok 1 - only hv_* exported"; else
	echo "not ok 1 - only hv_* exported"; echo "$bad" | sed 's/^/# extra: /'; fi
n=$(echo "$syms" | grep '^hv_' | grep -vc '^hv_openhvf_')
if [ "$n" -eq 81 ]; then echo "ok 2 - 81 API functions exported"; else
	echo "not ok 2 - 81 API functions exported"; echo "# found $n"; fi
ext=$(echo "$syms" | grep -c '^hv_openhvf_')
if [ "$ext" -ge 1 ]; then echo "ok 3 - extensions exported"; else
	echo "not ok 3 - extensions exported"; fi
