/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the rocket selftests.
 */
#ifndef __SELFTESTS_ROCKET_UTIL_H__
#define __SELFTESTS_ROCKET_UTIL_H__

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/rocket_accel.h>

#include "../kselftest.h"

#define ROCKET_DRIVER_NAME	"rocket"
/* DRM_ACCEL_MAX_MINORS in drivers/accel/drm_accel.c */
#define ROCKET_MAX_ACCEL_NODES	64

/*
 * Ask the node which driver is behind it: accel minors are numbered in probe
 * order, so the NPU need not be accel0.
 */
static inline int rocket_driver_name(int fd, char *name, size_t size)
{
	struct drm_version version = {
		.name = name,
		.name_len = size - 1,
	};

	memset(name, 0, size);
	return ioctl(fd, DRM_IOCTL_VERSION, &version);
}

/* Open the first accel node that rocket drives; -1 if there is none. */
static inline int rocket_open(void)
{
	char path[32], name[32];
	int i, fd;

	for (i = 0; i < ROCKET_MAX_ACCEL_NODES; i++) {
		snprintf(path, sizeof(path), "/dev/accel/accel%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (!rocket_driver_name(fd, name, sizeof(name)) &&
		    !strcmp(name, ROCKET_DRIVER_NAME))
			return fd;
		close(fd);
	}
	return -1;
}

/*
 * Skip the whole binary when no node is driven by rocket: the harness
 * reports a run whose tests all skip as a pass.
 */
static inline void rocket_exit_skip_unless_present(void)
{
	int fd = rocket_open();

	if (fd < 0)
		ksft_exit_skip("no accel node driven by rocket\n");
	close(fd);
}

/* A parameter of the rocket module, or -1 where rocket has none such. */
static inline long rocket_param(const char *name)
{
	char path[96];
	long value;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/module/rocket/parameters/%s", name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &value) != 1)
		value = -1;
	fclose(f);
	return value;
}

#endif /* __SELFTESTS_ROCKET_UTIL_H__ */
