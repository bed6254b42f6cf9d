/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <kunit/test.h>: just enough of KUnit to run
 * drivers/accel/rocket/rocket_matmul_test.c on the host. Each case (each
 * parameter of a parameterised case) prints "PASS rocket_matmul.<case>"
 * or "FAIL ...: <first failed expectation>".
 */
#ifndef __KUNIT_SHIM_TEST_H
#define __KUNIT_SHIM_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KUNIT_PARAM_DESC_SIZE	128
#define GFP_KERNEL		0

struct kunit {
	const void *param_value;
	int failed;
	char why[256];
	void *allocs[8];
	int nallocs;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
	const void *(*generate_params)(const void *prev, char *desc);
};

struct kunit_suite {
	const char *name;
	struct kunit_case *test_cases;
};

static inline void *kunit_kzalloc(struct kunit *test, size_t size, int gfp)
{
	void *p = calloc(1, size);

	(void)gfp;
	test->allocs[test->nallocs++] = p;
	return p;
}

static inline void *kunit_kcalloc(struct kunit *test, size_t n, size_t size, int gfp)
{
	return kunit_kzalloc(test, n * size, gfp);
}

static inline size_t strscpy(char *dst, const char *src, size_t size)
{
	snprintf(dst, size, "%s", src);
	return strlen(dst);
}

#define KUNIT_FAIL_AT(test, fmt, ...) do {					\
		if (!(test)->failed)						\
			snprintf((test)->why, sizeof((test)->why), "line %d: " fmt, \
				 __LINE__, ##__VA_ARGS__);			\
		(test)->failed = 1;						\
	} while (0)

#define KUNIT_EXPECT_TRUE(test, c) do { if (!(c)) KUNIT_FAIL_AT(test, "%s", #c); } while (0)
#define KUNIT_EXPECT_OP(test, a, op, b) do {					\
		long long __a = (long long)(a), __b = (long long)(b);		\
		if (!(__a op __b))						\
			KUNIT_FAIL_AT(test, "%s (%lld) " #op " %s (%lld)", #a, __a, #b, __b); \
	} while (0)
#define KUNIT_EXPECT_EQ(test, a, b)	KUNIT_EXPECT_OP(test, a, ==, b)
#define KUNIT_EXPECT_LE(test, a, b)	KUNIT_EXPECT_OP(test, a, <=, b)
#define KUNIT_EXPECT_LT(test, a, b)	KUNIT_EXPECT_OP(test, a, <, b)
#define KUNIT_EXPECT_GE(test, a, b)	KUNIT_EXPECT_OP(test, a, >=, b)
#define KUNIT_EXPECT_GT(test, a, b)	KUNIT_EXPECT_OP(test, a, >, b)
#define KUNIT_EXPECT_FALSE(test, c)	KUNIT_EXPECT_TRUE(test, !(c))
#define KUNIT_EXPECT_EQ_MSG(test, a, b, fmt, ...) do {				\
		long long __a = (long long)(a), __b = (long long)(b);		\
		if (__a != __b)							\
			KUNIT_FAIL_AT(test, "%lld != %lld: " fmt, __a, __b, ##__VA_ARGS__); \
	} while (0)
#define KUNIT_EXPECT_NOT_NULL(test, p)	KUNIT_EXPECT_TRUE(test, (p) != NULL)
#define KUNIT_EXPECT_NOT_NULL_MSG(test, p, fmt, ...) do {			\
		if (!(p))							\
			KUNIT_FAIL_AT(test, fmt, ##__VA_ARGS__);		\
	} while (0)
#define KUNIT_ASSERT_NOT_NULL(test, p) do { if (!(p)) { KUNIT_FAIL_AT(test, "%s NULL", #p); return; } } while (0)
#define KUNIT_ASSERT_OP(test, a, op, b) do {					\
		long long __a = (long long)(a), __b = (long long)(b);		\
		if (!(__a op __b)) {						\
			KUNIT_FAIL_AT(test, "%s (%lld) " #op " %s (%lld)", #a, __a, #b, __b); \
			return;							\
		}								\
	} while (0)
#define KUNIT_ASSERT_EQ(test, a, b)	KUNIT_ASSERT_OP(test, a, ==, b)
#define KUNIT_ASSERT_GE(test, a, b)	KUNIT_ASSERT_OP(test, a, >=, b)
#define KUNIT_ASSERT_LE(test, a, b)	KUNIT_ASSERT_OP(test, a, <=, b)
#define KUNIT_ASSERT_GT(test, a, b)	KUNIT_ASSERT_OP(test, a, >, b)
#define KUNIT_ASSERT_TRUE(test, c)	KUNIT_ASSERT_OP(test, !!(c), ==, 1)

#define KUNIT_CASE(fn)			{ .run_case = fn, .name = #fn }
#define KUNIT_CASE_PARAM(fn, gen)	{ .run_case = fn, .name = #fn, .generate_params = gen }

#define KUNIT_ARRAY_PARAM(name, array, get_desc)				\
	static const void *name##_gen_params(const void *prev, char *desc)	\
	{									\
		__typeof__((array)[0]) *__next = prev ? ((__typeof__(__next))prev) + 1 : (array); \
		if (__next - (array) < (long)(sizeof(array) / sizeof((array)[0]))) { \
			get_desc(__next, desc);					\
			return __next;						\
		}								\
		return NULL;							\
	}

static const struct kunit_suite *kunit_shim_suite;

#define kunit_test_suite(suite)							\
	__attribute__((constructor)) static void kunit_shim_register(void)	\
	{									\
		kunit_shim_suite = &(suite);					\
	}

#endif
