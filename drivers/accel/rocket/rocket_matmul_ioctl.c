// SPDX-License-Identifier: GPL-2.0-only

/*
 * DRM_IOCTL_ROCKET_MATMUL: look the BOs up, validate and plan the product
 * (rocket_matmul.c, plain C), create the scratch of a split K's partial
 * sums, write the command lists into a BO of the kernel's, and queue the
 * tasks of each core as the planner's runs, one job a run, through the job
 * API of rocket_job.c, as SUBMIT does.
 */

#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_print.h>
#include <drm/rocket_accel.h>
#include <linux/dma-mapping.h>
#include <linux/iommu.h>
#include <linux/iosys-map.h>

#include "rocket_device.h"
#include "rocket_drv.h"
#include "rocket_gem.h"
#include "rocket_job.h"
#include "rocket_matmul.h"

/* The BOs of a matrix multiply, in the order of &struct rocket_matmul_bos. */
enum { ROCKET_MATMUL_A, ROCKET_MATMUL_B, ROCKET_MATMUL_C, ROCKET_MATMUL_BOS };

static void rocket_matmul_put_bos(struct drm_gem_object **objs)
{
	int i;

	for (i = 0; i < ROCKET_MATMUL_BOS; i++)
		drm_gem_object_put(objs[i]);
}

/*
 * Look the three handles up. A BO shared from another file is mapped only
 * in that file's address space, at an address that means nothing here.
 */
static int rocket_matmul_get_bos(struct drm_device *dev, struct drm_file *file,
				 const struct drm_rocket_matmul *args,
				 struct drm_gem_object **objs, struct rocket_matmul_bos *bos)
{
	const u32 handles[ROCKET_MATMUL_BOS] = { args->a_handle, args->b_handle, args->c_handle };
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct rocket_matmul_bo *info[ROCKET_MATMUL_BOS] = { &bos->a, &bos->b, &bos->c };
	int i, ret;

	for (i = 0; i < ROCKET_MATMUL_BOS; i++) {
		struct rocket_gem_object *bo;

		objs[i] = drm_gem_object_lookup(file, handles[i]);
		if (!objs[i]) {
			drm_dbg(dev, "matmul: no BO with handle %u\n", handles[i]);
			ret = -ENOENT;
			goto err_put;
		}

		bo = to_rocket_bo(objs[i]);
		if (bo->domain != rocket_priv->domain) {
			drm_dbg(dev, "matmul: BO %u is not mapped in this file\n", handles[i]);
			ret = -EINVAL;
			i++;
			goto err_put;
		}
		info[i]->size = objs[i]->size;
		info[i]->npu_addr = bo->mm.start;
	}

	return 0;

err_put:
	while (i--)
		drm_gem_object_put(objs[i]);
	return ret;
}

/*
 * Write the command list of every task of @plan into a new BO that only the
 * NPU reads: userspace has no handle to it, so cannot change the lists the
 * kernel validated.
 */
static struct rocket_gem_object *
rocket_matmul_write_regcmd(struct drm_device *dev, struct rocket_file_priv *rocket_priv,
			   const struct rocket_matmul_plan *plan)
{
	size_t size = (size_t)plan->task_count * ROCKET_MATMUL_TASK_STRIDE;
	struct rocket_gem_object *cmd;
	struct iosys_map map;
	u32 job, index, at = 0;
	int ret = 0;

	cmd = rocket_gem_create_mapped(dev, rocket_priv, size, IOMMU_READ);
	if (IS_ERR(cmd))
		return cmd;

	ret = drm_gem_vmap(&cmd->base.base, &map);
	if (ret)
		goto err_put;

	for (job = 0; job < plan->job_count && ret >= 0; job++) {
		for (index = 0; index < plan->jobs[job].task_count && ret >= 0; index++, at++) {
			struct rocket_matmul_task task;
			u64 *regcmd = map.vaddr + at * ROCKET_MATMUL_TASK_STRIDE;

			rocket_matmul_get_task(plan, job, index, &task);
			ret = rocket_matmul_encode_task(&plan->shape, &task, regcmd,
							ROCKET_MATMUL_TASK_STRIDE / sizeof(u64));
		}
	}

	drm_gem_vunmap(&cmd->base.base, &map);
	if (ret < 0)
		goto err_put;

	/* As FINI_BO does for the BOs userspace writes. */
	dma_sync_sgtable_for_device(dev->dev, cmd->base.sgt, DMA_TO_DEVICE);

	return cmd;

err_put:
	drm_gem_object_put(&cmd->base.base);
	return ERR_PTR(ret);
}

/* The core that the @nth job of a plan over @core_mask runs on. */
static u32 rocket_matmul_core(u32 core_mask, u32 nth)
{
	u32 core;

	for (core = 0; core < 32; core++)
		if ((core_mask & BIT(core)) && nth-- == 0)
			break;

	return core;
}

/*
 * Kernel scratch for the partial sums of a split K: written and read only by
 * the NPU, never by the CPU or userspace (no handle). Its lines are cleaned
 * and invalidated once, so that nothing the CPU left in its caches (the
 * zeroing of the pages) is written back over what the NPU writes.
 */
static struct rocket_gem_object *
rocket_matmul_create_scratch(struct drm_device *dev, struct rocket_file_priv *rocket_priv,
			     struct rocket_matmul_plan *plan)
{
	struct rocket_gem_object *scratch;

	scratch = rocket_gem_create_mapped(dev, rocket_priv, plan->scratch_bytes,
					   IOMMU_READ | IOMMU_WRITE);
	if (IS_ERR(scratch))
		return scratch;

	/* every NPU address is 32 bits */
	if (scratch->mm.start + plan->scratch_bytes > BIT_ULL(32)) {
		drm_gem_object_put(&scratch->base.base);
		return ERR_PTR(-ENOMEM);
	}
	dma_sync_sgtable_for_device(dev->dev, scratch->base.sgt, DMA_BIDIRECTIONAL);
	plan->shape.scratch_addr = (u32)scratch->mm.start;
	return scratch;
}

/*
 * A job running tasks @first.. (task @index.. of planned job @pj) of @cmd on
 * one core, reading A and B and writing C and, for a split K, the scratch;
 * it holds its BOs until it is freed, so the scratch lives as long as any
 * job that uses it, and the job's fence covers it.
 */
static struct rocket_job *
rocket_matmul_job_create(struct drm_file *file, struct drm_sched_entity *entity,
			 const struct rocket_matmul_plan *plan, u32 pj, u32 index,
			 struct rocket_gem_object *cmd, u32 first, u32 count,
			 struct drm_gem_object **objs, struct rocket_gem_object *scratch)
{
	u32 outs = scratch ? 2 : 1;
	struct rocket_matmul_task task;
	struct rocket_job *rjob;
	u32 i;

	rjob = rocket_job_alloc(file, entity, count);
	if (IS_ERR(rjob))
		return rjob;

	rjob->in_bos = kvmalloc_objs(*rjob->in_bos, 2);
	rjob->out_bos = kvmalloc_objs(*rjob->out_bos, outs);
	if (!rjob->in_bos || !rjob->out_bos) {
		rocket_job_discard(rjob);
		return ERR_PTR(-ENOMEM);
	}

	for (i = 0; i < count; i++) {
		rocket_matmul_get_task(plan, pj, index + i, &task);
		rjob->tasks[i].regcmd = cmd->mm.start +
					(u64)(first + i) * ROCKET_MATMUL_TASK_STRIDE;
		rjob->tasks[i].regcmd_count = rocket_matmul_task_entries(&task);
		drm_gem_object_get(&cmd->base.base);
		rjob->tasks[i].regcmd_bo = &cmd->base.base;
	}

	for (i = 0; i < 2; i++) {
		drm_gem_object_get(objs[ROCKET_MATMUL_A + i]);
		rjob->in_bos[i] = objs[ROCKET_MATMUL_A + i];
	}
	rjob->in_bo_count = 2;
	drm_gem_object_get(objs[ROCKET_MATMUL_C]);
	rjob->out_bos[0] = objs[ROCKET_MATMUL_C];
	if (scratch) {
		drm_gem_object_get(&scratch->base.base);
		rjob->out_bos[1] = &scratch->base.base;
	}
	rjob->out_bo_count = outs;

	return rjob;
}

/*
 * One job for each run of each core's tasks, in the order of the command
 * lists: the runs of a core go to its entity one after the other, so run in
 * that order. Returns the jobs made, all of them unless *@ret is set.
 */
static u32 rocket_matmul_jobs_create(struct drm_file *file, const struct rocket_matmul_plan *plan,
				     struct rocket_gem_object *cmd, struct drm_gem_object **objs,
				     struct rocket_gem_object *scratch, struct rocket_job **jobs,
				     int *ret)
{
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	u32 job, run, tasks, first = 0, count = 0;

	*ret = 0;
	for (job = 0; job < plan->job_count; job++) {
		const struct rocket_matmul_job *pj = &plan->jobs[job];
		u32 core = rocket_matmul_core(plan->shape.core_mask, job);

		/* Validation keeps the mask within the file's cores. */
		if (core >= rocket_priv->num_cores) {
			*ret = -EINVAL;
			return count;
		}
		for (run = 0; run < pj->runs; run++) {
			tasks = min(pj->run_tasks, pj->task_count - run * pj->run_tasks);
			jobs[count] = rocket_matmul_job_create(file,
							       &rocket_priv->core_entities[core],
							       plan, job, run * pj->run_tasks,
							       cmd, first, tasks, objs, scratch);
			if (IS_ERR(jobs[count])) {
				*ret = PTR_ERR(jobs[count]);
				return count;
			}
			count++;
			first += tasks;
		}
	}

	return count;
}

int rocket_ioctl_matmul(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct rocket_device *rdev = to_rocket_device(dev);
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct drm_gem_object *objs[ROCKET_MATMUL_BOS];
	struct drm_rocket_matmul *args = data;
	struct rocket_matmul_plan plan;
	struct rocket_matmul_bos bos;
	struct rocket_gem_object *cmd, *scratch = NULL;
	struct rocket_job **jobs;
	const char *reason;
	u32 count, i;
	int ret;

	ret = rocket_matmul_get_bos(dev, file, args, objs, &bos);
	if (ret)
		return ret;

	ret = rocket_matmul_validate(args, &bos,
				     min_t(u32, rocket_priv->num_cores, ROCKET_MATMUL_MAX_JOBS),
				     &plan.shape, &reason);
	if (!ret)
		ret = rocket_matmul_plan(&plan.shape, &plan, &reason);
	if (ret) {
		drm_dbg(dev, "matmul refused: %s\n", reason);
		goto out_put_bos;
	}

	jobs = kvmalloc_objs(*jobs, plan.run_count);
	if (!jobs) {
		ret = -ENOMEM;
		goto out_put_bos;
	}

	/* before the command lists: they hold the scratch's address */
	if (plan.scratch_bytes) {
		scratch = rocket_matmul_create_scratch(dev, rocket_priv, &plan);
		if (IS_ERR(scratch)) {
			ret = PTR_ERR(scratch);
			scratch = NULL;
			goto out_free_jobs;
		}
	}

	cmd = rocket_matmul_write_regcmd(dev, rocket_priv, &plan);
	if (IS_ERR(cmd)) {
		ret = PTR_ERR(cmd);
		goto out_put_scratch;
	}

	count = rocket_matmul_jobs_create(file, &plan, cmd, objs, scratch, jobs, &ret);

	/*
	 * Queued as SUBMIT's jobs are, all or none. Each adds its fence to A
	 * and B (read) and C (write), and is recorded as a writer of C for
	 * PREP_BO to report its failure. The jobs of one core signal in
	 * order, the last one's fence replacing the earlier ones in C's
	 * reservation, so waiting for C waits for the whole product.
	 */
	if (!ret)
		ret = rocket_jobs_push(rdev, jobs, count);

	for (i = 0; i < count; i++) {
		if (ret)
			rocket_job_discard(jobs[i]);
		else
			rocket_job_put(jobs[i]);
	}
	drm_gem_object_put(&cmd->base.base);
out_put_scratch:
	/* the jobs hold their own references; the last one frees it */
	if (scratch)
		drm_gem_object_put(&scratch->base.base);
out_free_jobs:
	kvfree(jobs);
out_put_bos:
	rocket_matmul_put_bos(objs);
	return ret;
}
