#!/bin/sh
# SPDX-License-Identifier: MIT
# The examples run on the default engine and print what they should.
set -u
O=$1
echo "1..1"
out=$(timeout 60 "$O/examples/hello_real" 2>&1)
if [ "$out" = "Hello from a real-mode guest" ]; then
	echo "ok 1 - examples/hello_real"
else
	echo "not ok 1 - examples/hello_real"; echo "$out" | sed 's/^/# /'
fi
