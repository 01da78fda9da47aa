# SPDX-License-Identifier: MIT
# The -march=x86-64-v3 guest program of tests/diff/v3_prog_test.c: a
# freestanding C file linked flat at 0x100000 and embedded with .incbin.
V3_DIR := $(O)/tests/fpprog
V3_BIN := $(V3_DIR)/v3.bin
V3_CFLAGS := -O2 -march=x86-64-v3 -ffreestanding -nostdlib -fno-pic \
	-fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-mno-red-zone -fno-builtin

$(V3_DIR)/v3.o: tests/fpprog/v3_kernels.c
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(V3_CFLAGS) -c -o $@ $<

$(V3_BIN): $(V3_DIR)/v3.o tests/fpprog/v3.lds
	$(call say,FLAT,$@)
	$(Q)ld -static -nostdlib --no-warn-rwx-segments -T tests/fpprog/v3.lds \
		-o $(V3_DIR)/v3.elf $<
	$(Q)objcopy -O binary $(V3_DIR)/v3.elf $@

$(O)/tests/diff/v3_prog_test.o: $(V3_BIN)
$(O)/tests/diff/v3_prog_test.o: CPPFLAGS += -DV3_BIN='"$(V3_BIN)"'
