/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/array_size.h>. */
#ifndef __KSHIM_LINUX_ARRAY_SIZE_H
#define __KSHIM_LINUX_ARRAY_SIZE_H

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))

#endif
