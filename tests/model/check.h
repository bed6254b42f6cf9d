/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * What the model's host test programs share: a failing test returns false
 * with its reason in why[] (fail(), CHECK()).
 */

#ifndef __RKT_TEST_CHECK_H__
#define __RKT_TEST_CHECK_H__

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static char why[1024];

static bool __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return false;
}

#define CHECK(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)

#endif
