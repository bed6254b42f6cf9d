/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/string.h>. */
#ifndef __KSHIM_LINUX_STRING_H
#define __KSHIM_LINUX_STRING_H

#include <string.h>

#endif
