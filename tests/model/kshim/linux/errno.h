/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <linux/errno.h>. The error numbers are the kernel's UAPI
 * ones from the host's own <linux/errno.h>, which the C library also reaches
 * through this name: pass the include on.
 */
#ifndef __KSHIM_LINUX_ERRNO_H
#define __KSHIM_LINUX_ERRNO_H

#include_next <linux/errno.h>

#endif
