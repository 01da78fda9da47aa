# SPDX-License-Identifier: MIT
# Extra test programs: the C++ header/function-pointer test.
EXTRA_BIN += $(if $(wildcard tests/api/headers_test_cxx.cc),$(CXX_TEST),)

$(CXX_TEST): tests/api/headers_test_cxx.cc $(O)/libhvf.a
	$(call say,CXX,$@)
	@mkdir -p $(dir $@)
	$(Q)$(CXX) -std=c++17 -Wall -Wextra -Wpedantic -Werror $(OPT) -Iinclude \
		-o $@ $< $(O)/libhvf.a $(LDSAN) $(LDLIBS)
