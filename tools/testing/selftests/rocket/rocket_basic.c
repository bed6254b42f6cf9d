// SPDX-License-Identifier: GPL-2.0
/*
 * Basic checks of the rocket NPU's accel node: it is found by driver name,
 * and a buffer object can be created, mapped, written, read back and closed.
 *
 * Skips as a whole when no node is driven by rocket, so that it can run in
 * any kernel's selftests.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "../kselftest_harness.h"
#include "rocket_util.h"

#define BO_SIZE		(64 * 1024)

FIXTURE(rocket)
{
	int fd;
};

FIXTURE_SETUP(rocket)
{
	self->fd = rocket_open();
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(rocket)
{
	close(self->fd);
}

TEST_F(rocket, node_is_rocket)
{
	char name[32];

	ASSERT_EQ(0, rocket_driver_name(self->fd, name, sizeof(name)));
	ASSERT_STREQ(ROCKET_DRIVER_NAME, name);
}

TEST_F(rocket, bo_create_mmap_close)
{
	struct drm_rocket_create_bo create = { .size = BO_SIZE };
	struct drm_gem_close gem_close = {};
	uint32_t *map;
	size_t i;

	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_ROCKET_CREATE_BO, &create));
	ASSERT_NE(0u, create.handle);
	/*
	 * The NPU reaches every buffer through 32-bit addresses, mapped in
	 * 4 KiB pages. 0 is a valid address: the NPU's IOMMU aperture
	 * starts there.
	 */
	ASSERT_EQ(0ull, create.dma_address & 0xfff);
	ASSERT_GE(1ull << 32, create.dma_address + BO_SIZE);

	map = mmap(NULL, BO_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
		   self->fd, create.offset);
	ASSERT_NE(MAP_FAILED, map);
	for (i = 0; i < BO_SIZE / sizeof(*map); i++)
		map[i] = i * 2654435761u;
	for (i = 0; i < BO_SIZE / sizeof(*map); i++)
		ASSERT_EQ((uint32_t)(i * 2654435761u), map[i]);
	ASSERT_EQ(0, munmap(map, BO_SIZE));

	gem_close.handle = create.handle;
	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_GEM_CLOSE, &gem_close));
	/* The handle is gone: closing it again must fail. */
	ASSERT_NE(0, ioctl(self->fd, DRM_IOCTL_GEM_CLOSE, &gem_close));
}

/* A BO of no bytes is refused as malformed. */
TEST_F(rocket, bo_of_size_zero_is_refused)
{
	struct drm_rocket_create_bo create = { .size = 0 };

	if (rocket_lacks(_metadata, self->fd, ROCKET_MINOR_CHECKED, "refusing a BO of size 0"))
		return;
	ASSERT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_CREATE_BO, &create));
	ASSERT_EQ(EINVAL, errno);
}

/* Pages allocated in the whole system so far, from /proc/vmstat. */
static long long pages_allocated(void)
{
	unsigned long long value;
	long long total = 0;
	char name[64];
	FILE *f;

	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %llu", name, &value) == 2)
		if (!strncmp(name, "pgalloc_", 8))
			total += value;
	fclose(f);
	return total;
}

/*
 * A BO that cannot fit the file's 4 GiB NPU address space is refused with
 * ENOSPC before its pages are allocated: not gigabytes of them for nothing.
 */
TEST_F(rocket, bo_beyond_the_address_space_allocates_nothing)
{
	struct drm_rocket_create_bo first = { .size = 4096 };
	struct drm_rocket_create_bo huge = { .size = 0xffffffff };
	long long before;

	if (rocket_lacks(_metadata, self->fd, ROCKET_MINOR_CHECKED,
			 "checking room before allocating"))
		return;
	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_ROCKET_CREATE_BO, &first));
	before = pages_allocated();
	ASSERT_GE(before, 0);
	ASSERT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_CREATE_BO, &huge));
	ASSERT_EQ(ENOSPC, errno);
	/* 64 MiB of slack for the rest of the system; the BO is 1M pages. */
	ASSERT_LT(pages_allocated() - before, 16384);
}

int main(int argc, char **argv)
{
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
