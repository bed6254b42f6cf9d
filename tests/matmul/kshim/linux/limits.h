/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/limits.h>. */
#ifndef __KSHIM_LINUX_LIMITS_H
#define __KSHIM_LINUX_LIMITS_H

#include <stdint.h>

#define U32_MAX		UINT32_MAX
#define U64_MAX		UINT64_MAX

#endif
