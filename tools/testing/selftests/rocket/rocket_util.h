/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the rocket selftests.
 */
#ifndef __SELFTESTS_ROCKET_UTIL_H__
#define __SELFTESTS_ROCKET_UTIL_H__

#include <fcntl.h>
#include <stdbool.h>
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

/*
 * What the running driver offers, by the minor of its DRM version (its
 * history is above rocket_drm_driver): rocket as it was merged reports 0.0;
 * 0.1 has the checks and error reports of its fixes (bounded counts, command
 * lists inside a BO of the file, all of a submit's jobs or none, no BO of
 * size 0, room found before pages are allocated, a failed job reported by
 * PREP_BO). On 0.0 a test of one of those fails for a known defect, or
 * oops the kernel, instead of telling anything new.
 */
#define ROCKET_MINOR_CHECKED	1

/*
 * 0.2 adds DRM_IOCTL_ROCKET_MATMUL. A driver without it answers it with
 * EINVAL, like any ioctl it does not have, so the version is what tells.
 */
#define ROCKET_MINOR_MATMUL	2

/* The DRM version of the driver behind @fd, or -1 where it cannot be read. */
static inline int rocket_version(int fd, int *major, int *minor)
{
	struct drm_version version = {};

	if (ioctl(fd, DRM_IOCTL_VERSION, &version))
		return -1;
	*major = version.version_major;
	*minor = version.version_minor;
	return 0;
}

/* Whether the driver behind @fd offers what rocket 0.@minor added. */
static inline bool rocket_offers(int fd, int minor)
{
	int major, have;

	if (rocket_version(fd, &major, &have))
		return false;
	return major > 0 || have >= minor;
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * Skip the running test, saying why, when the driver behind @fd predates
 * what rocket 0.@minor added (see ROCKET_MINOR_CHECKED): on such a kernel
 * the test would fail for a missing feature, not for a defect. True when
 * it skipped: the test then returns.
 */
static inline bool rocket_lacks(struct __test_metadata *_metadata, int fd, int minor,
				const char *what)
{
	int major = 0, have = 0;

	if (rocket_offers(fd, minor))
		return false;
	rocket_version(fd, &major, &have);
	SKIP(, "rocket %d.%d predates %s (rocket 0.%d)", major, have, what, minor);
	return true;
}
#endif

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

/*
 * The number of simulated NPU cores: 0 on a real NPU (the simulator stays
 * off on a machine whose device tree has NPU cores) and where rocket has no
 * simulator.
 */
static inline long rocket_sim_cores(void)
{
	long cores = rocket_param("sim_cores");

	return cores > 0 ? cores : 0;
}

#ifdef __KSELFTEST_HARNESS_H
/*
 * Skip the running test, saying why, when it relies on the simulated NPU:
 * on its fault injection, on its statistics, or on a command list made to
 * fail that real hardware must never be sent (it could hang or corrupt
 * memory). Called before anything is submitted. True when it skipped.
 */
static inline bool rocket_no_sim(struct __test_metadata *_metadata, const char *what)
{
	if (rocket_sim_cores())
		return false;
	SKIP(, "%s needs the simulated NPU", what);
	return true;
}
#endif

#endif /* __SELFTESTS_ROCKET_UTIL_H__ */
