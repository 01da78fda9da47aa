#!/bin/sh
# SPDX-License-Identifier: MIT
# Build every libFuzzer target (tests/fuzz/*_fuzz.c) with clang, ASan and
# UBSan, and run each for a bounded time (FUZZ_SECONDS, default 60).
set -eu
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-60}
out=build/fuzz
mkdir -p "$out"
src=$(find src -name '*.c' | sort)
status=0
for t in tests/fuzz/*_fuzz.c; do
	name=$(basename "$t" .c)
	clang -std=c11 -D_GNU_SOURCE -O1 -g -Iinclude -Isrc \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
		-o "$out/$name" "$t" $src -lpthread
	mkdir -p "$out/$name.corpus"
	if "$out/$name" -max_total_time="$secs" -rss_limit_mb=2048 \
		"$out/$name.corpus" >"$out/$name.log" 2>&1; then
		echo "ok - $name ($(grep -c . "$out/$name.log") log lines, ${secs}s)"
	else
		echo "not ok - $name"; tail -40 "$out/$name.log"; status=1
	fi
done
exit $status
