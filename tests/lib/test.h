/* SPDX-License-Identifier: MIT */
/* Minimal in-tree test framework: TEST() registers a case through a
 * constructor, EXPECT_* record failures with file:line and want/got, and
 * test_main() prints TAP ("ok N - name" / "not ok N - name"). */
#ifndef OPENHVF_TEST_H
#define OPENHVF_TEST_H

#include <stdint.h>
#include <stdio.h>

typedef void (*test_fn)(void);

void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *expr,
	       unsigned long long want, unsigned long long got);
void test_skip(const char *why);
int test_main(int argc, char **argv);

#define TEST(name)                                                   \
	static void name(void);                                      \
	__attribute__((constructor)) static void test_reg_##name(void) \
	{                                                            \
		test_register(#name, name);                          \
	}                                                            \
	static void name(void)

#define EXPECT_EQ(want, got)                                                  \
	do {                                                                  \
		unsigned long long w_ = (unsigned long long)(want);          \
		unsigned long long g_ = (unsigned long long)(got);           \
		if (w_ != g_)                                                 \
			test_fail(__FILE__, __LINE__, #got, w_, g_);         \
	} while (0)

#define EXPECT_NE(notwant, got)                                               \
	do {                                                                  \
		unsigned long long n_ = (unsigned long long)(notwant);       \
		unsigned long long g_ = (unsigned long long)(got);           \
		if (n_ == g_)                                                 \
			test_fail(__FILE__, __LINE__, "!= " #got, n_, g_);   \
	} while (0)

#define EXPECT_TRUE(cond)                                                     \
	do {                                                                  \
		if (!(cond))                                                  \
			test_fail(__FILE__, __LINE__, #cond, 1, 0);          \
	} while (0)

/* Stop the current test case after a failed precondition. */
#define ASSERT_EQ(want, got)                                                  \
	do {                                                                  \
		unsigned long long w_ = (unsigned long long)(want);          \
		unsigned long long g_ = (unsigned long long)(got);           \
		if (w_ != g_) {                                               \
			test_fail(__FILE__, __LINE__, #got, w_, g_);         \
			return;                                               \
		}                                                             \
	} while (0)

#define ASSERT_TRUE(cond)                                                     \
	do {                                                                  \
		if (!(cond)) {                                                \
			test_fail(__FILE__, __LINE__, #cond, 1, 0);          \
			return;                                               \
		}                                                             \
	} while (0)

#endif
