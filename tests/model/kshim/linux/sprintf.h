/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <linux/sprintf.h>: the C library's vsnprintf() has the
 * kernel's semantics for the conversions the model uses.
 */
#ifndef __KSHIM_LINUX_SPRINTF_H
#define __KSHIM_LINUX_SPRINTF_H

#include <stdio.h>

#endif
