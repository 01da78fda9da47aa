# SPDX-License-Identifier: MIT
# OpenHVF: plain GNU make. `make` builds the library and the tests,
# `make test` runs them all, `make MODE=asan test` under ASan+UBSan.

MODE ?= debug
CC ?= cc
CXX ?= c++
PREFIX ?= /usr/local
V ?= 0
WERROR ?= 1

O := build/$(MODE)

WARN := -Wall -Wextra -Wshadow -Wvla -Wstrict-prototypes \
	-Wmissing-prototypes -Wno-unused-parameter
ifeq ($(WERROR),1)
WARN += -Werror
endif

OPT_debug := -O2 -g
OPT_release := -O3 -g -DNDEBUG
OPT_asan := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
OPT := $(OPT_$(MODE))
comma := ,
LDSAN := $(if $(filter asan,$(MODE)),-fsanitize=address$(comma)undefined,)

CPPFLAGS := -Iinclude -Isrc -D_GNU_SOURCE
CFLAGS := -std=c11 $(WARN) $(OPT) -fPIC -fvisibility=hidden -MMD -MP
LDLIBS := -lpthread

ifeq ($(V),0)
Q := @
say = @printf '  %-6s %s\n' $(1) $(2);
else
Q :=
say :=
endif

LIB_SRC := $(shell find src -name '*.c' | sort)
LIB_OBJ := $(LIB_SRC:%.c=$(O)/%.o)

TEST_LIB := $(O)/tests/lib/test.o $(O)/tests/lib/host_cpu.o
UNIT_SRC := $(wildcard tests/unit/*_test.c tests/api/*_test.c \
	tests/diff/*_test.c tests/guest/*_test.c)
TEST_BIN := $(UNIT_SRC:%.c=$(O)/%)
CXX_TEST := $(O)/tests/api/headers_test_cxx

.DEFAULT_GOAL := all
include mk/*.mk

all: $(O)/libhvf.a $(O)/libhvf.so $(TEST_BIN) $(EXTRA_BIN)

$(O)/%.o: %.c
	$(call say,CC,$<)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# Tests pass NULL on purpose; clang's assume_nonnull (as in Apple's
# headers) would warn.
$(O)/tests/%.o: CFLAGS += -Wno-nonnull
$(O)/tests/%.o: CPPFLAGS += -Itests/lib -Itests/unit

# Engine unit tests run the interpreter alone over a flat mock memory:
# the mock's definitions of the MMU/fault/run functions come before the
# library, so those library members are never linked.
EMU_MOCK := $(O)/tests/unit/emu_mock_mmu.o
$(O)/tests/unit/emu_%_test: $(O)/tests/unit/emu_%_test.o $(EMU_MOCK) \
		$(TEST_LIB) $(O)/libhvf.a
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $< $(EMU_MOCK) $(TEST_LIB) $(O)/libhvf.a $(LDSAN) \
		$(LDLIBS)

# The 32-bit differential tests use unicorn as a second oracle where the
# host cannot run 32-bit code (tests/diff/diff_unicorn.h); test code only,
# libhvf never links it. Without it those tests say the oracle is absent.
UNICORN_LIBS := $(shell pkg-config --libs unicorn 2>/dev/null)
ifneq ($(UNICORN_LIBS),)
UC_TESTS := $(O)/tests/unit/emu_diff_test $(O)/tests/diff/isa_diff_test
$(UC_TESTS:%=%.o): CPPFLAGS += -DHVF_HAVE_UNICORN \
	$(shell pkg-config --cflags unicorn)
$(UC_TESTS): LDLIBS += $(UNICORN_LIBS)
endif

$(O)/libhvf.a: $(LIB_OBJ)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/libhvf.so: $(LIB_OBJ) src/api/libhvf.map
	$(call say,LD,$@)
	$(Q)$(CC) -shared -o $@ $(LIB_OBJ) -Wl,--version-script=src/api/libhvf.map \
		-Wl,-soname,libhvf.so.0 -Wl,-z,defs $(LDSAN) $(LDLIBS)

$(O)/tests/%: $(O)/tests/%.o $(TEST_LIB) $(O)/libhvf.a
	$(call say,LINK,$@)
	$(Q)$(CC) -o $@ $< $(TEST_LIB) $(O)/libhvf.a $(LDSAN) $(LDLIBS)

test: all
	$(Q)tools/run-tests.sh $(O)

check: test

clean:
	rm -rf build

install: $(O)/libhvf.a $(O)/libhvf.so
	install -d $(DESTDIR)$(PREFIX)/include/Hypervisor $(DESTDIR)$(PREFIX)/lib/pkgconfig
	install -m 644 include/Hypervisor/*.h $(DESTDIR)$(PREFIX)/include/Hypervisor/
	install -m 644 $(O)/libhvf.a $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(O)/libhvf.so $(DESTDIR)$(PREFIX)/lib/libhvf.so.0
	ln -sf libhvf.so.0 $(DESTDIR)$(PREFIX)/lib/libhvf.so
	sed -e 's|@PREFIX@|$(PREFIX)|' tools/hvf.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/hvf.pc

.PHONY: all test check clean install
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
