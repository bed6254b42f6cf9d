/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/* Host stand-in for <linux/types.h>. */
#ifndef __KSHIM_LINUX_TYPES_H
#define __KSHIM_LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
/*
 * The kernel's 64-bit types are long long on every architecture, so that
 * "%llx" is right for them; <stdint.h> makes uint64_t a long on LP64 hosts.
 */
typedef unsigned long long u64;
typedef signed long long s64;

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;
typedef signed __int128 s128;
#endif

#endif
