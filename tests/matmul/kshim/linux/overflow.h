/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/overflow.h>: the checks rocket_matmul.c uses. */
#ifndef __KSHIM_LINUX_OVERFLOW_H
#define __KSHIM_LINUX_OVERFLOW_H

#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

#endif
