#!/bin/sh
# SPDX-License-Identifier: MIT
# Time one Linux boot to the initramfs shell (make bench, boot_linux.sh):
#   boot-time.sh LIMIT LOG VMM [ARGS...]
# Runs VMM ARGS with stdin from /dev/null and its output (serial console
# and stderr) going to LOG, killed after LIMIT seconds, and prints one
# line "BOOT TOTAL STATUS CPU":
#   BOOT   seconds from just before the VMM process is started until the
#          line OPENHVF-BOOT-OK reaches this script through the pipe (the
#          initramfs of mkinitrd.sh prints it right before it starts the
#          shell or the command); "-" if it never came;
#   TOTAL  seconds until the VMM exited;
#   STATUS its exit status (124 when LIMIT ran out);
#   CPU    user + system seconds the VMM used, all its threads, through
#          its exit (less sensitive than BOOT to other load on the host).
# The output is read as it arrives, so BOOT is the wall-clock moment the
# marker left the guest's UART, within a few milliseconds.
set -u
limit=${1:?usage: boot-time.sh LIMIT LOG VMM [ARGS...]}
log=${2:?usage: boot-time.sh LIMIT LOG VMM [ARGS...]}
shift 2
[ $# -gt 0 ] || { echo "usage: boot-time.sh LIMIT LOG VMM [ARGS...]" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
now() { date +%s.%N; }
start=$(now)
# grep -q stops at the first match; cat drains the rest so that the VMM
# never writes into a closed pipe.
{
	timeout -k 10 "$limit" "$@" </dev/null 2>&1
	echo $? >"$dir/status"
	# Second line: the children's (timeout and the VMM's) user and
	# system times, as "XmY.Zs XmY.Zs".
	times >"$dir/times"
} | tee "$log" | {
	if grep -q -F OPENHVF-BOOT-OK; then
		now >"$dir/mark"
	fi
	cat >/dev/null
}
end=$(now)
boot=-
if [ -s "$dir/mark" ]; then
	boot=$(awk -v a="$start" -v b="$(cat "$dir/mark")" \
		'BEGIN { printf "%.2f", b - a }')
fi
total=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
cpu=$(awk 'NR == 2 {
	t = 0
	for (i = 1; i <= 2; i++) { split($i, f, "m"); t += f[1] * 60 + f[2] }
	printf "%.2f", t
}' "$dir/times" 2>/dev/null)
echo "$boot $total $(cat "$dir/status" 2>/dev/null || echo 125) ${cpu:--}"
