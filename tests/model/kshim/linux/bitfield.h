/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for <linux/bitfield.h>: same results, none of the kernel's
 * compile-time checks of the mask (the kernel build does those).
 */
#ifndef __KSHIM_LINUX_BITFIELD_H
#define __KSHIM_LINUX_BITFIELD_H

#define __bf_shf(x)		__builtin_ctzll(x)

#define FIELD_GET(mask, reg)	((__typeof__(mask))(((reg) & (mask)) >> __bf_shf(mask)))
#define FIELD_PREP(mask, val)	((((__typeof__(mask))(val)) << __bf_shf(mask)) & (mask))

#endif
