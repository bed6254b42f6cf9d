/* SPDX-License-Identifier: GPL-2.0-only */
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#ifndef __ROCKET_DRV_H__
#define __ROCKET_DRV_H__

#include <drm/drm_mm.h>
#include <drm/gpu_scheduler.h>

#include "rocket_device.h"

extern const struct dev_pm_ops rocket_pm_ops;

/*
 * A file's NPU address space: the IOMMU domain and the allocator of its
 * addresses. Every BO of the file holds a reference, so the address space
 * outlives the file while a job or an importer still uses one of its BOs.
 */
struct rocket_iommu_domain {
	struct iommu_domain *domain;
	struct kref kref;
	struct drm_mm mm;
	/* protects mm */
	struct mutex mm_lock;
};

struct rocket_file_priv {
	struct rocket_device *rdev;

	struct rocket_iommu_domain *domain;

	struct drm_sched_entity sched_entity;
	/*
	 * The schedulers of sched_entity, owned here: the entity keeps the
	 * list only when it has more than one.
	 */
	struct drm_gpu_scheduler **scheds;

	/*
	 * One entity per core, for the jobs of a matrix multiply: its slices
	 * run on the cores the plan spreads them over, in parallel.
	 */
	struct drm_sched_entity *core_entities;

	/*
	 * The cores that had probed when the file was opened: the entries of
	 * @scheds and @core_entities. Cores that probe later are the next
	 * files' only.
	 */
	u32 num_cores;
};

struct rocket_iommu_domain *rocket_iommu_domain_get(struct rocket_file_priv *rocket_priv);
void rocket_iommu_domain_put(struct rocket_iommu_domain *domain);

#endif
