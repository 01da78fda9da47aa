#!/bin/sh
# SPDX-License-Identifier: MIT
# The examples run on the default engine and print what they should.
set -u
O=$1
echo "1..2"
out=$(timeout 60 "$O/examples/hello_real" 2>&1)
if [ "$out" = "Hello from a real-mode guest" ]; then
	echo "ok 1 - examples/hello_real"
else
	echo "not ok 1 - examples/hello_real"; echo "$out" | sed 's/^/# /'
fi
out=$(timeout 60 "$O/examples/dos_int21" 2>&1 | tr -d '\r')
st=$(timeout 60 "$O/examples/dos_int21" >/dev/null 2>&1; echo $?)
if [ "$out" = "Hello from a DOS program" ] && [ "$st" = 7 ]; then
	echo "ok 2 - examples/dos_int21 (INT 21h through #GP exits, exit code 7)"
else
	echo "not ok 2 - examples/dos_int21: status $st"; echo "$out" | sed 's/^/# /'
fi
