/* SPDX-License-Identifier: MIT */
/* Test registry and TAP output; the binary's exit status is the verdict. */
#include "test.h"

#include <stdlib.h>
#include <string.h>

#define TEST_MAX 1024

static struct {
	const char *name;
	test_fn fn;
} tests[TEST_MAX];
static int ntests;
static int cur_failed;
static int cur_skipped;
static const char *skip_why;

void test_register(const char *name, test_fn fn)
{
	if (ntests < TEST_MAX) {
		tests[ntests].name = name;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void test_fail(const char *file, int line, const char *expr,
	       unsigned long long want, unsigned long long got)
{
	printf("# %s:%d: %s: want 0x%llx got 0x%llx\n", file, line, expr,
	       want, got);
	cur_failed++;
}

void test_skip(const char *why)
{
	cur_skipped = 1;
	skip_why = why;
}

int test_main(int argc, char **argv)
{
	int failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	printf("1..%d\n", ntests);
	for (int i = 0; i < ntests; i++) {
		if (only && strcmp(only, tests[i].name) != 0) {
			printf("ok %d - %s # SKIP filtered\n", i + 1,
			       tests[i].name);
			continue;
		}
		cur_failed = 0;
		cur_skipped = 0;
		tests[i].fn();
		if (cur_skipped && !cur_failed)
			printf("ok %d - %s # SKIP %s\n", i + 1, tests[i].name,
			       skip_why);
		else
			printf("%s %d - %s\n", cur_failed ? "not ok" : "ok",
			       i + 1, tests[i].name);
		fflush(stdout);
		failed += cur_failed != 0;
	}
	return failed ? 1 : 0;
}

#ifndef TEST_NO_MAIN
int main(int argc, char **argv)
{
	return test_main(argc, argv);
}
#endif
