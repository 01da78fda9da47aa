# SPDX-License-Identifier: MIT
# hvrun, the model VMM (tools/hvrun), its demo guest and its unit tests.
# Include from mk/ (e.g. mk/hvrun.mk: "include tools/hvrun/hvrun.mk").
#   $(O)/tools/hvrun/hvrun           the VMM: every tools/hvrun/*.c
#   $(O)/tools/hvrun/guest/demo.bin  the bundled reset-vector ROM guest
#   $(O)/tests/hvrun/*_test          device-model unit tests (TAP)
HVRUN_SRC := $(wildcard tools/hvrun/*.c)
HVRUN_OBJ := $(HVRUN_SRC:%.c=$(O)/%.o)
HVRUN_BIN := $(O)/tools/hvrun/hvrun
HVRUN_DEMO := $(O)/tools/hvrun/guest/demo.bin

# The device models need nothing else (no main.c, no API calls): each
# unit test links them with the test framework.
HVRUN_DEV := uart16550 pic8259 pit8254 rtc_cmos i8042 lapic ioapic \
	mptable debugexit mmio_decode
HVRUN_DEV_OBJ := $(HVRUN_DEV:%=$(O)/tools/hvrun/%.o)
HVRUN_TEST_SRC := $(wildcard tests/hvrun/*_test.c)
HVRUN_TEST_BIN := $(HVRUN_TEST_SRC:%.c=$(O)/%)

EXTRA_BIN += $(HVRUN_BIN) $(HVRUN_DEMO) $(HVRUN_TEST_BIN)

$(HVRUN_BIN): $(HVRUN_OBJ) $(O)/libhvf.a
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $(HVRUN_OBJ) $(O)/libhvf.a $(LDSAN) $(LDLIBS)

# gcc -c demo.S && ld -Ttext=0 --oformat binary: a 64 KiB image whose
# last 16 bytes hold the reset vector.
$(HVRUN_DEMO): tools/hvrun/guest/demo.S
	$(call say,GUEST,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c -o $(@:.bin=.o) $<
	$(Q)ld -Ttext=0 --oformat binary -o $@ $(@:.bin=.o)

$(O)/tests/hvrun/%.o: CPPFLAGS += -Itools/hvrun -Itests/lib

$(O)/tests/hvrun/%_test: $(O)/tests/hvrun/%_test.o $(TEST_LIB) \
		$(HVRUN_DEV_OBJ) $(O)/libhvf.a
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $< $(TEST_LIB) $(HVRUN_DEV_OBJ) $(O)/libhvf.a \
		$(LDSAN) $(LDLIBS)

# Boot Linux on the release build, as make bench does:
#   make run [SMP=2] [BOOT=bzImage] [CMD='...']  boot, run CMD, power off
#   make shell [SMP=2] [BOOT=bzImage]            the busybox shell here
#   make demo                                    the bundled ROM guest
# run-linux.sh installs the kernel and busybox with apt-get if missing;
# KERNEL=FILE picks another bzImage. CMD must not contain double quotes
# (it travels on the kernel command line). BOOT=vmlinux (the default)
# boots the ELF extracted from the bzImage, skipping the kernel's XZ
# decompressor, which today takes hvrun about 3x the rest of the boot;
# BOOT=bzImage boots the file as installed (README.md, make bench).
RUN_O := build/release
RUN_HVRUN := $(RUN_O)/tools/hvrun/hvrun
SMP ?= 1
BOOT ?= vmlinux
CMD ?= uname -a; cat /proc/cpuinfo | head
RUN_LINUX = HVRUN=$(RUN_HVRUN) tools/hvrun/run-linux.sh -smp $(SMP) \
	$(if $(filter bzImage,$(BOOT)),,-vmlinux)

run: export HVRUN_CMD = $(CMD)
run:
	$(Q)$(MAKE) -s --no-print-directory MODE=release $(RUN_HVRUN)
	$(Q)$(RUN_LINUX) "$$HVRUN_CMD"

shell:
	$(Q)$(MAKE) -s --no-print-directory MODE=release $(RUN_HVRUN)
	$(Q)$(RUN_LINUX)

demo:
	$(Q)$(MAKE) -s --no-print-directory MODE=release $(RUN_HVRUN) \
		$(RUN_O)/tools/hvrun/guest/demo.bin
	$(Q)$(RUN_HVRUN) -bios $(RUN_O)/tools/hvrun/guest/demo.bin -m 16

.PHONY: run shell demo
