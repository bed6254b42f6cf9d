/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/build_bug.h>: C11's static_assert. */
#ifndef __KSHIM_LINUX_BUILD_BUG_H
#define __KSHIM_LINUX_BUILD_BUG_H

#include <assert.h>

#endif
