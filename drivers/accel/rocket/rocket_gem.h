/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#ifndef __ROCKET_GEM_H__
#define __ROCKET_GEM_H__

#include <drm/drm_gem_shmem_helper.h>

/**
 * struct rocket_bo_writers - the jobs of one submit that write a BO
 * @count: the number of jobs in @fences
 * @fences: the scheduler's finished fence of each of them
 */
struct rocket_bo_writers {
	u32 count;
	struct dma_fence *fences[] __counted_by(count);
};

struct rocket_gem_object {
	struct drm_gem_shmem_object base;

	struct rocket_iommu_domain *domain;
	struct drm_mm_node mm;
	size_t size;
	u32 offset;
	/*
	 * Set under the domain's mm_lock once the BO is mapped and has a
	 * handle, cleared when the handle is closed: while it is set, a job
	 * may take a reference to the BO by address.
	 */
	bool published;
	/*
	 * The jobs of the last submit that wrote the BO, under its
	 * reservation lock: PREP_BO reports their failure.
	 */
	struct rocket_bo_writers *last_writers;
	/*
	 * Scratch of rocket_jobs_push(), under the BO's reservation lock: the
	 * fences the jobs being queued will add to the reservation, how many
	 * of them write the BO, and the record of those that will replace
	 * @last_writers.
	 */
	u32 push_fences;
	u32 push_writes;
	struct rocket_bo_writers *push_writers;
};

void rocket_gem_put_writers(struct rocket_bo_writers *writers);

struct drm_gem_object *rocket_gem_create_object(struct drm_device *dev, size_t size);

struct rocket_file_priv;

struct rocket_gem_object *rocket_gem_create_mapped(struct drm_device *dev,
						   struct rocket_file_priv *rocket_priv,
						   size_t size, int prot);
struct drm_gem_object *rocket_gem_get_bo_at(struct rocket_iommu_domain *domain,
					    u64 addr, u64 size);
int rocket_ioctl_create_bo(struct drm_device *dev, void *data, struct drm_file *file);

int rocket_ioctl_prep_bo(struct drm_device *dev, void *data, struct drm_file *file);

int rocket_ioctl_fini_bo(struct drm_device *dev, void *data, struct drm_file *file);

static inline
struct  rocket_gem_object *to_rocket_bo(struct drm_gem_object *obj)
{
	return container_of(to_drm_gem_shmem_obj(obj), struct rocket_gem_object, base);
}

#endif
