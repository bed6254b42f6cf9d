/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/bitops.h>. */
#ifndef __KSHIM_LINUX_BITOPS_H
#define __KSHIM_LINUX_BITOPS_H

#include <linux/bits.h>
#include <linux/types.h>

/* Position of the most significant set bit, counting from 1; 0 for 0. */
static inline int fls64(u64 x)
{
	return x ? 64 - __builtin_clzll(x) : 0;
}

#endif
