// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#include <drm/drm_device.h>
#include <drm/drm_print.h>
#include <drm/drm_utils.h>
#include <drm/rocket_accel.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/overflow.h>

#include "rocket_drv.h"
#include "rocket_gem.h"

/**
 * rocket_gem_put_writers() - Free a record of the jobs that wrote a BO
 * @writers: the record, or NULL
 */
void rocket_gem_put_writers(struct rocket_bo_writers *writers)
{
	u32 i;

	if (!writers)
		return;

	for (i = 0; i < writers->count; i++)
		dma_fence_put(writers->fences[i]);
	kfree(writers);
}

static void rocket_gem_bo_free(struct drm_gem_object *obj)
{
	struct rocket_gem_object *bo = to_rocket_bo(obj);
	size_t unmapped;

	rocket_gem_put_writers(bo->last_writers);

	drm_WARN_ON(obj->dev, refcount_read(&bo->base.pages_use_count) > 1);

	unmapped = iommu_unmap(bo->domain->domain, bo->mm.start, bo->size);
	drm_WARN_ON(obj->dev, unmapped != bo->size);

	mutex_lock(&bo->domain->mm_lock);
	drm_mm_remove_node(&bo->mm);
	mutex_unlock(&bo->domain->mm_lock);

	rocket_iommu_domain_put(bo->domain);
	bo->domain = NULL;

	drm_gem_shmem_free(&bo->base);
}

/*
 * The file's handle to the BO is gone: userspace no longer has the BO, even
 * if a job still holds it, and a later command list may not point into it.
 */
static void rocket_gem_bo_close(struct drm_gem_object *obj, struct drm_file *file)
{
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct rocket_gem_object *bo = to_rocket_bo(obj);

	/* A handle to the BO in another file closes nothing here. */
	if (!bo->domain || bo->domain != rocket_priv->domain)
		return;

	mutex_lock(&bo->domain->mm_lock);
	bo->published = false;
	mutex_unlock(&bo->domain->mm_lock);
}

static const struct drm_gem_object_funcs rocket_gem_funcs = {
	.free = rocket_gem_bo_free,
	.close = rocket_gem_bo_close,
	.print_info = drm_gem_shmem_object_print_info,
	.pin = drm_gem_shmem_object_pin,
	.unpin = drm_gem_shmem_object_unpin,
	.get_sg_table = drm_gem_shmem_object_get_sg_table,
	.vmap = drm_gem_shmem_object_vmap,
	.vunmap = drm_gem_shmem_object_vunmap,
	.mmap = drm_gem_shmem_object_mmap,
	.vm_ops = &drm_gem_shmem_vm_ops,
};

struct drm_gem_object *rocket_gem_create_object(struct drm_device *dev, size_t size)
{
	struct rocket_gem_object *obj;

	obj = kzalloc_obj(*obj);
	if (!obj)
		return ERR_PTR(-ENOMEM);

	obj->base.base.funcs = &rocket_gem_funcs;

	return &obj->base.base;
}

/**
 * rocket_gem_create_mapped() - Create a BO mapped in a file's NPU address space
 * @dev: the DRM device
 * @rocket_priv: the file whose address space maps the BO
 * @size: size in bytes
 * @prot: IOMMU_READ and/or IOMMU_WRITE: what the NPU may do with it
 *
 * The BO is not published: no job can find it by address until the caller
 * publishes it. Its last reference unmaps and frees it.
 *
 * Return: the BO with one reference, or an ERR_PTR().
 */
struct rocket_gem_object *rocket_gem_create_mapped(struct drm_device *dev,
						   struct rocket_file_priv *rocket_priv,
						   size_t size, int prot)
{
	struct drm_gem_shmem_object *shmem_obj;
	struct rocket_gem_object *rkt_obj;
	struct sg_table *sgt;
	ssize_t mapped;
	int ret;

	shmem_obj = drm_gem_shmem_create(dev, size);
	if (IS_ERR(shmem_obj))
		return ERR_CAST(shmem_obj);

	rkt_obj = to_rocket_bo(&shmem_obj->base);
	rkt_obj->domain = rocket_iommu_domain_get(rocket_priv);
	rkt_obj->size = size;
	rkt_obj->offset = 0;

	/*
	 * Find room in the NPU address space first: allocating the pages of
	 * a BO that cannot be mapped takes long for nothing.
	 */
	mutex_lock(&rkt_obj->domain->mm_lock);
	ret = drm_mm_insert_node_generic(&rkt_obj->domain->mm, &rkt_obj->mm,
					 rkt_obj->size, PAGE_SIZE,
					 0, 0);
	mutex_unlock(&rkt_obj->domain->mm_lock);
	if (ret)
		goto err;

	sgt = drm_gem_shmem_get_pages_sgt(shmem_obj);
	if (IS_ERR(sgt)) {
		ret = PTR_ERR(sgt);
		goto err_remove_node;
	}

	mapped = iommu_map_sgtable(rkt_obj->domain->domain, rkt_obj->mm.start,
				   shmem_obj->sgt, prot);
	if (mapped < (ssize_t)size) {
		drm_dbg(dev, "failed to map buffer: size=%zd request_size=%zu\n",
			mapped, size);
		ret = -ENOMEM;
		goto err_remove_node;
	}

	/* iommu_map_sgtable might have aligned the size */
	rkt_obj->size = mapped;

	return rkt_obj;

err_remove_node:
	mutex_lock(&rkt_obj->domain->mm_lock);
	drm_mm_remove_node(&rkt_obj->mm);
	mutex_unlock(&rkt_obj->domain->mm_lock);

err:
	rocket_iommu_domain_put(rkt_obj->domain);
	drm_gem_shmem_object_free(&shmem_obj->base);

	return ERR_PTR(ret);
}

int rocket_ioctl_create_bo(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct drm_rocket_create_bo *args = data;
	struct rocket_gem_object *rkt_obj;
	struct drm_gem_object *gem_obj;
	int ret;

	if (!args->size) {
		drm_dbg(dev, "a BO of size 0\n");
		return -EINVAL;
	}

	rkt_obj = rocket_gem_create_mapped(dev, rocket_priv, args->size,
					   IOMMU_READ | IOMMU_WRITE);
	if (IS_ERR(rkt_obj))
		return PTR_ERR(rkt_obj);

	gem_obj = &rkt_obj->base.base;
	args->offset = drm_vma_node_offset_addr(&gem_obj->vma_node);
	args->dma_address = rkt_obj->mm.start;

	ret = drm_gem_handle_create(file, gem_obj, &args->handle);
	if (!ret) {
		mutex_lock(&rkt_obj->domain->mm_lock);
		rkt_obj->published = true;
		mutex_unlock(&rkt_obj->domain->mm_lock);
	}

	/* Without a handle, this last reference unmaps and frees the BO. */
	drm_gem_object_put(gem_obj);

	return ret;
}

/**
 * rocket_gem_get_bo_at() - Find the BO of a file that holds an NPU address range
 * @domain: the file's NPU address space
 * @addr: NPU address of the range
 * @size: size of the range in bytes
 *
 * Return: the BO that holds all of [@addr, @addr + @size), with a reference
 * taken, or NULL if no single BO of the file does.
 */
struct drm_gem_object *rocket_gem_get_bo_at(struct rocket_iommu_domain *domain,
					    u64 addr, u64 size)
{
	struct drm_gem_object *found = NULL;
	struct drm_mm_node *node;
	u64 end;

	if (!size || check_add_overflow(addr, size, &end))
		return NULL;

	mutex_lock(&domain->mm_lock);
	drm_mm_for_each_node_in_range(node, &domain->mm, addr, addr + 1) {
		struct rocket_gem_object *bo = container_of(node, struct rocket_gem_object, mm);
		struct drm_gem_object *obj = &bo->base.base;

		/* A BO whose last reference is gone is on its way out. */
		if (bo->published && node->start <= addr &&
		    end <= node->start + node->size &&
		    kref_get_unless_zero(&obj->refcount))
			found = obj;
		break;
	}
	mutex_unlock(&domain->mm_lock);

	return found;
}

/*
 * -EIO if a job of the last submit that wrote @obj failed: it timed out, its
 * core was reset, or it could not be run. What the NPU left in the BO then
 * is not the job's result.
 */
static int rocket_gem_writers_status(struct drm_gem_object *obj)
{
	struct rocket_bo_writers *writers;
	int ret;
	u32 i;

	ret = dma_resv_lock_interruptible(obj->resv, NULL);
	if (ret)
		return ret;

	writers = to_rocket_bo(obj)->last_writers;
	for (i = 0; writers && i < writers->count; i++)
		if (dma_fence_get_status(writers->fences[i]) < 0)
			ret = -EIO;

	dma_resv_unlock(obj->resv);

	return ret;
}

int rocket_ioctl_prep_bo(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_rocket_prep_bo *args = data;
	unsigned long timeout = drm_timeout_abs_to_jiffies(args->timeout_ns);
	struct drm_gem_object *gem_obj;
	struct drm_gem_shmem_object *shmem_obj;
	long ret = 0;

	if (args->reserved != 0) {
		drm_dbg(dev, "Reserved field in drm_rocket_prep_bo struct should be 0.\n");
		return -EINVAL;
	}

	gem_obj = drm_gem_object_lookup(file, args->handle);
	if (!gem_obj)
		return -ENOENT;

	ret = dma_resv_wait_timeout(gem_obj->resv, DMA_RESV_USAGE_WRITE, true, timeout);
	if (!ret)
		ret = timeout ? -ETIMEDOUT : -EBUSY;
	else if (ret > 0)
		ret = rocket_gem_writers_status(gem_obj);

	shmem_obj = &to_rocket_bo(gem_obj)->base;

	dma_sync_sgtable_for_cpu(dev->dev, shmem_obj->sgt, DMA_BIDIRECTIONAL);

	drm_gem_object_put(gem_obj);

	return ret;
}

int rocket_ioctl_fini_bo(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_rocket_fini_bo *args = data;
	struct drm_gem_shmem_object *shmem_obj;
	struct rocket_gem_object *rkt_obj;
	struct drm_gem_object *gem_obj;

	if (args->reserved != 0) {
		drm_dbg(dev, "Reserved field in drm_rocket_fini_bo struct should be 0.\n");
		return -EINVAL;
	}

	gem_obj = drm_gem_object_lookup(file, args->handle);
	if (!gem_obj)
		return -ENOENT;

	rkt_obj = to_rocket_bo(gem_obj);
	shmem_obj = &rkt_obj->base;

	dma_sync_sgtable_for_device(dev->dev, shmem_obj->sgt, DMA_BIDIRECTIONAL);

	drm_gem_object_put(gem_obj);

	return 0;
}
