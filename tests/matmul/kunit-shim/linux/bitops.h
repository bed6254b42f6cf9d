/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/bitops.h> for the KUnit suite: the model's and hweight32(). */
#ifndef __KUNIT_SHIM_LINUX_BITOPS_H
#define __KUNIT_SHIM_LINUX_BITOPS_H

#include_next <linux/bitops.h>

#define hweight32(x)	((unsigned int)__builtin_popcount(x))

#endif
