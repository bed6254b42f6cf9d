/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <linux/minmax.h>. Both arguments are converted to their
 * common type; the kernel's min() and max() also refuse signed/unsigned
 * mixes at compile time, which the kernel build checks.
 */
#ifndef __KSHIM_LINUX_MINMAX_H
#define __KSHIM_LINUX_MINMAX_H

#define __kshim_cmp(x, y, op) ({				\
	__typeof__((x) + (y)) __x = (x), __y = (y);		\
	__x op __y ? __x : __y; })

#define min(x, y)		__kshim_cmp(x, y, <)
#define max(x, y)		__kshim_cmp(x, y, >)

#endif
