/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/stdarg.h>. */
#ifndef __KSHIM_LINUX_STDARG_H
#define __KSHIM_LINUX_STDARG_H

#include <stdarg.h>

#endif
