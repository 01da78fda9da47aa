#!/bin/sh
# SPDX-License-Identifier: MIT
# Run every test program under $1 (build/<mode>) and the header checks;
# count TAP results; end with "N passed, N failed".
set -u
O=${1:-build/debug}
root=$(cd "$(dirname "$0")/.." && pwd)
pass=0
fail=0
tmp=$(mktemp)
count() {
	# $1: name of the program, output in $tmp, $2: its exit status
	p=$(grep -c '^ok ' "$tmp")
	f=$(grep -c '^not ok ' "$tmp")
	grep -E '^(not ok|#)' "$tmp" | sed "s|^|$1: |"
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$1: exited with status $2"
		f=$((f + 1))
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	echo "$1: $p passed, $f failed"
}
for t in $(find "$O/tests" -type f -perm -u+x -name '*_test*' | sort); do
	name=${t#"$O"/}
	timeout 600 "$t" >"$tmp" 2>&1
	count "$name" $?
done
for s in "$root"/tests/scripts/*.sh "$root"/tests/hvrun/*.sh; do
	[ -x "$s" ] || continue
	timeout 900 "$s" "$O" >"$tmp" 2>&1
	count "${s#"$root"/}" $?
done
if [ -x "$root/tests/headers/check.sh" ]; then
	"$root/tests/headers/check.sh" "$root" >"$tmp" 2>&1
	count tests/headers/check.sh $?
fi
rm -f "$tmp"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
