/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host stand-in for the uAPI <drm/drm.h> that rocket_accel.h includes: its
 * integer types and ioctl number macros.
 */
#ifndef __KSHIM_DRM_H
#define __KSHIM_DRM_H

#include <stdint.h>
#include <asm-generic/ioctl.h>

typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef int32_t __s32;
typedef unsigned long long __u64;
typedef long long __s64;

#define DRM_IOCTL_BASE			'd'
#define DRM_COMMAND_BASE		0x40
#define DRM_IOW(nr, type)		_IOW(DRM_IOCTL_BASE, nr, type)
#define DRM_IOWR(nr, type)		_IOWR(DRM_IOCTL_BASE, nr, type)

#endif
