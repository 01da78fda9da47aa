#!/bin/sh
# SPDX-License-Identifier: MIT
# Build a tiny initramfs (newc cpio, gzip) around a static busybox, for
# booting Linux under hvrun:  mkinitrd.sh OUT.cpio.gz [BUSYBOX]
# Its /init mounts proc/sys/dev, prints OPENHVF-BOOT-OK, then runs the
# command from the kernel command line (hvrun.cmd=CMD or hvrun.cmd="A B")
# in an interactive busybox shell (prompt shown, input from a pipe) and
# reports "OPENHVF-CMD-EXIT=<status>", or starts a shell on the console;
# at the end it writes the status to hvrun's debug-exit port
# (hvrun.exitport=N, default 244 = 0xf4) through /dev/port, falling back
# to "poweroff -f".
set -eu
out=${1:?usage: mkinitrd.sh OUT.cpio.gz [BUSYBOX]}
busybox=${2:-/bin/busybox}
if ! "$busybox" --list >/dev/null 2>&1; then
	echo "mkinitrd.sh: $busybox is not a busybox (apt-get install busybox-static)" >&2
	exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
	echo "mkinitrd.sh: $busybox is dynamically linked; use busybox-static" >&2
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/sbin" "$tmp/dev" "$tmp/proc" "$tmp/sys" \
	"$tmp/tmp" "$tmp/root" "$tmp/etc"
cp "$busybox" "$tmp/bin/busybox"
# The kernel's built-in initramfs has /dev/console; add it if we can.
mknod "$tmp/dev/console" c 5 1 2>/dev/null || true
cat > "$tmp/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mdev -s
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts 2>/dev/null
echo "OPENHVF-BOOT-OK $(uname -r) on $(grep -c ^processor /proc/cpuinfo) CPU(s)"

# hvrun.cmd=WORD or hvrun.cmd="SEVERAL WORDS" from /proc/cmdline.
cmdline=$(cat /proc/cmdline)
cmd=
case "$cmdline" in
*'hvrun.cmd="'*)
	cmd=${cmdline#*hvrun.cmd=\"}
	cmd=${cmd%%\"*} ;;
*hvrun.cmd=*)
	cmd=${cmdline#*hvrun.cmd=}
	cmd=${cmd%% *} ;;
esac
port=244
case "$cmdline" in
*hvrun.exitport=*)
	port=${cmdline#*hvrun.exitport=}
	port=${port%% *} ;;
esac

status=0
cd /root
export HOME=/root
if [ -n "$cmd" ]; then
	# The command goes through an interactive shell, so the console
	# shows its prompt and (-v) the command line as typed; +m: no job
	# control (stdin is a pipe, not the terminal). The shell exits at
	# end of input with the command's status.
	printf '%s\n' "$cmd" | sh -i +m -v
	status=$?
	echo
	echo "OPENHVF-CMD-EXIT=$status"
else
	echo "No hvrun.cmd= given: starting a shell; exit it to power off."
	setsid cttyhack sh
fi
sync
# Status byte -> debug-exit port (offset = port number in /dev/port).
printf "\\$(printf %o "$status")" | dd of=/dev/port bs=1 seek="$port" count=1 2>/dev/null
poweroff -f
INIT
chmod 755 "$tmp/init"
(cd "$tmp" && find . | cpio -o -H newc --quiet) | gzip -9 > "$out"
echo "mkinitrd.sh: wrote $out ($(wc -c < "$out") bytes)"
