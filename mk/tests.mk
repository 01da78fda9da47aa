# SPDX-License-Identifier: MIT
# Extra test programs: the C++ header/function-pointer test.
EXTRA_BIN += $(if $(wildcard tests/api/headers_test_cxx.cc),$(CXX_TEST),)

$(CXX_TEST): tests/api/headers_test_cxx.cc $(O)/libhvf.a
	$(call say,CXX,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CXX) -std=c++17 -Wall -Wextra -Wpedantic -Werror $(OPT) -Iinclude \
		-o $@ $< $(O)/libhvf.a $(LDSAN) $(LDLIBS)

# make bench: release build of hvbench and hvrun, and the side-by-side
# runs (MIPS, then Linux boot to the shell).
BENCH_O := build/release
bench:
	$(MAKE) MODE=release $(BENCH_O)/bench/hvbench $(BENCH_O)/tools/hvrun/hvrun
	tools/bench.sh $(BENCH_O)

$(O)/bench/hvbench: bench/hvbench.c $(O)/libhvf.a
	$(call say,LINK,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) -std=c11 $(WARN) $(OPT) -o $@ $< $(O)/libhvf.a $(LDSAN) $(LDLIBS)

.PHONY: bench

# Examples: public API only; built with every `make` so they stay valid.
EXAMPLE_BIN := $(patsubst examples/%.c,$(O)/examples/%,$(wildcard examples/*.c))
EXTRA_BIN += $(EXAMPLE_BIN)

$(O)/examples/%: examples/%.c $(O)/libhvf.a
	$(call say,LINK,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=c11 -D_GNU_SOURCE $(WARN) $(OPT) -Iinclude -o $@ $< \
		$(O)/libhvf.a $(LDSAN) $(LDLIBS)
