# SPDX-License-Identifier: MIT
# Sourced by the hvrun guest tests (tests/hvrun/bad_guests.sh,
# exit_guests.sh): guest NAME assembles GNU as source from stdin (16-bit
# code at 0x7c00) into $tmp/NAME.bin, a flat image for
# hvrun -flat $tmp/NAME.bin@0x7c00. The caller sets tmp.
guest() {
	cat > "$tmp/$1.S"
	${CC:-cc} -c -o "$tmp/$1.o" "$tmp/$1.S" &&
	ld -Ttext=0x7c00 -e 0x7c00 --oformat binary -o "$tmp/$1.bin" "$tmp/$1.o"
}
