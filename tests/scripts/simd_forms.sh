#!/bin/sh
# SPDX-License-Identifier: MIT
# Every form of the SIMD decode table (src/engine/emu/sse_table.c) is in
# a differential test: tools/simd-forms.py decodes the test rows and
# compares them with the table built in BUILD_DIR (issue 5). The table is
# the same in every build mode, so only the debug build runs it. Skips
# without python3, gcc, clang or objdump. Usage: simd_forms.sh BUILD_DIR
set -u
O=${1:-build/debug}
root=$(cd "$(dirname "$0")/../.." && pwd)
echo "1..1"
case "$O" in
*debug) ;;
*) echo "ok 1 # SKIP the audit runs with the debug build"; exit 0 ;;
esac
for t in python3 gcc clang objdump objcopy; do
	if ! command -v "$t" >/dev/null; then
		echo "ok 1 # SKIP $t missing"
		exit 0
	fi
done
out=$(python3 "$root/tools/simd-forms.py" "$O" 2>&1)
status=$?
line=$(echo "$out" | grep '^forms in the table:')
if [ $status -eq 0 ] && echo "$line" | grep -q 'not covered: 0$'; then
	echo "ok 1 - SIMD forms covered by differential tests ($line)"
else
	echo "not ok 1 - SIMD forms not all covered (status $status)"
	echo "$out" | tail -n 30 | sed 's/^/# /'
fi
