#!/bin/sh
# SPDX-License-Identifier: MIT
# Boot hvrun's bundled demo guest (reset-vector ROM) and check its
# output and exit status. Usage: boot_demo.sh [BUILD_DIR]. TAP output.
set -u
O=${1:-build/debug}
hvrun=$O/tools/hvrun/hvrun
demo=$O/tools/hvrun/guest/demo.bin
echo "1..2"
if [ ! -x "$hvrun" ] || [ ! -f "$demo" ]; then
	echo "ok 1 # SKIP hvrun or demo.bin not built"
	echo "ok 2 # SKIP hvrun or demo.bin not built"
	exit 0
fi
out=$(mktemp)
timeout 120 "$hvrun" -bios "$demo" -m 16 -timeout 60 </dev/null >"$out" 2>&1
status=$?
if [ $status -eq 0 ]; then echo "ok 1 - demo exits with status 0"
else echo "not ok 1 - demo exit status $status"; fi
missing=
for want in "OpenHVF hvrun demo guest" "fibonacci: 1 1 2 3 5 8 13 21" \
	"primes < 100: 2 3 5 7 11 13" " 89 97" "20! = 2432902008176640000" \
	"sum 1..1000000 = 500000500000" "8254/8259 timer interrupts: 10" \
	"local APIC timer interrupts: 10, APIC version 20" "demo done"; do
	grep -qF "$want" "$out" || missing="$missing [$want]"
done
if [ -z "$missing" ]; then echo "ok 2 - demo output"
else
	echo "not ok 2 - demo output lacks:$missing"
	sed 's/^/# /' "$out"
fi
rm -f "$out"
