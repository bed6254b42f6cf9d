/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <linux/compiler_types.h>, which the kernel build
 * force-includes into every file; the test Makefile does the same with this
 * file. Only what the model uses.
 */
#ifndef __KSHIM_LINUX_COMPILER_TYPES_H
#define __KSHIM_LINUX_COMPILER_TYPES_H

#define __printf(a, b)		__attribute__((__format__(printf, a, b)))

#endif
