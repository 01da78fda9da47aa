# SPDX-License-Identifier: MIT
# Guest programs (tests/guest/*.S): preprocessed and assembled with the C
# compiler, linked at 0x8000 with tests/guest/lib/guest.lds and flattened
# with objcopy next to the runners, which load <name>.bin from their own
# directory (or $OPENHVF_GUEST_DIR).
GUEST_S := $(wildcard tests/guest/*.S)
GUEST_BIN := $(GUEST_S:tests/guest/%.S=$(O)/tests/guest/%.bin)
GUEST_DEP := $(wildcard tests/guest/lib/*)

$(O)/tests/guest/%.bin: tests/guest/%.S $(GUEST_DEP)
	$(call say,GUEST,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c -Itests/guest -o $(@:.bin=.gobj) $<
	$(Q)ld -T tests/guest/lib/guest.lds -o $(@:.bin=.elf) $(@:.bin=.gobj)
	$(Q)objcopy -O binary $(@:.bin=.elf) $@

$(O)/tests/guest/guest_test: $(GUEST_BIN)
all: $(GUEST_BIN)
$(O)/tests/guest/vmx_test: $(GUEST_BIN)
