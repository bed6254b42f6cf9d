/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/math.h>. */
#ifndef __KSHIM_LINUX_MATH_H
#define __KSHIM_LINUX_MATH_H

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#endif
