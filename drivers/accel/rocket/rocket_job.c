// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2019 Linaro, Ltd, Rob Herring <robh@kernel.org> */
/* Copyright 2019 Collabora ltd. */
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#include <drm/drm_print.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/rocket_accel.h>
#include <linux/iosys-map.h>
#include <linux/interrupt.h>
#include <linux/overflow.h>
#include <linux/iommu.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

#include "rocket_core.h"
#include "rocket_device.h"
#include "rocket_drv.h"
#include "rocket_gem.h"
#include "rocket_job.h"
#include "rocket_matmul.h"
#include "rocket_registers.h"
#include "rocket_sim.h"

#define JOB_TIMEOUT_MS 500

static struct rocket_job *
to_rocket_job(struct drm_sched_job *sched_job)
{
	return container_of(sched_job, struct rocket_job, base);
}

static const char *rocket_fence_get_driver_name(struct dma_fence *fence)
{
	return "rocket";
}

static const char *rocket_fence_get_timeline_name(struct dma_fence *fence)
{
	return "rockchip-npu";
}

static const struct dma_fence_ops rocket_fence_ops = {
	.get_driver_name = rocket_fence_get_driver_name,
	.get_timeline_name = rocket_fence_get_timeline_name,
};

static struct dma_fence *rocket_fence_create(struct rocket_core *core)
{
	struct dma_fence *fence;

	fence = kzalloc_obj(*fence);
	if (!fence)
		return ERR_PTR(-ENOMEM);

	dma_fence_init(fence, &rocket_fence_ops, &core->fence_lock,
		       core->fence_context, ++core->emit_seqno);

	return fence;
}

/*
 * The NPU fetches a command list in 16-byte units from an address that must
 * be 16-byte aligned. Check that all of it lies in one BO of the file and
 * keep that BO for the job: a stray address would send the NPU reading
 * memory the client never gave it, or the file's memory after it was freed.
 */
static int rocket_get_regcmd_bo(struct drm_device *dev, struct rocket_job *rjob,
				struct rocket_task *task)
{
	u64 size = round_up((u64)task->regcmd_count, 2) * sizeof(u64);

	if (!IS_ALIGNED(task->regcmd, 16)) {
		drm_dbg(dev, "regcmd 0x%llx is not 16-byte aligned\n", task->regcmd);
		return -EINVAL;
	}

	task->regcmd_bo = rocket_gem_get_bo_at(rjob->domain, task->regcmd, size);
	if (!task->regcmd_bo) {
		drm_dbg(dev, "regcmd 0x%llx + %llu bytes is not inside one BO of the file\n",
			task->regcmd, size);
		return -EINVAL;
	}

	return 0;
}

static void rocket_put_regcmd_bos(struct rocket_task *tasks, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		drm_gem_object_put(tasks[i].regcmd_bo);
}

static int
rocket_copy_tasks(struct drm_device *dev,
		  struct drm_file *file_priv,
		  struct drm_rocket_job *job,
		  struct rocket_job *rjob)
{
	u32 i;
	int ret = 0;

	if (job->task_struct_size < sizeof(struct drm_rocket_task)) {
		drm_dbg(dev, "task_struct_size %u is too small\n", job->task_struct_size);
		return -EINVAL;
	}

	rjob->task_count = job->task_count;

	if (!rjob->task_count)
		return 0;

	rjob->tasks = kvmalloc_objs(*rjob->tasks, job->task_count);
	if (!rjob->tasks) {
		drm_dbg(dev, "Failed to allocate task array\n");
		return -ENOMEM;
	}

	for (i = 0; i < rjob->task_count; i++) {
		struct drm_rocket_task task = {0};

		if (copy_from_user(&task,
				   u64_to_user_ptr(job->tasks) + (u64)i * job->task_struct_size,
				   sizeof(task))) {
			drm_dbg(dev, "Failed to copy incoming tasks\n");
			ret = -EFAULT;
			goto fail;
		}

		if (task.regcmd_count == 0) {
			drm_dbg(dev, "regcmd_count field in drm_rocket_task should be > 0.\n");
			ret = -EINVAL;
			goto fail;
		}

		if (task.regcmd_count > DRM_ROCKET_MAX_REGCMD_COUNT) {
			drm_dbg(dev, "regcmd_count %u is above %u\n", task.regcmd_count,
				DRM_ROCKET_MAX_REGCMD_COUNT);
			ret = -E2BIG;
			goto fail;
		}

		rjob->tasks[i].regcmd = task.regcmd;
		rjob->tasks[i].regcmd_count = task.regcmd_count;
		ret = rocket_get_regcmd_bo(dev, rjob, &rjob->tasks[i]);
		if (ret)
			goto fail;
	}

	return 0;

fail:
	rocket_put_regcmd_bos(rjob->tasks, i);
	kvfree(rjob->tasks);
	rjob->tasks = NULL;
	return ret;
}

static void rocket_job_hw_submit(struct rocket_core *core, struct rocket_job *job)
{
	struct rocket_task *task;
	unsigned int extra_bit;

	/* Don't queue the job if a reset is in progress */
	if (atomic_read(&core->reset.pending))
		return;

	/* GO ! */

	task = &job->tasks[job->next_task_idx];
	job->next_task_idx++;

	rocket_pc_writel(core, BASE_ADDRESS, 0x1);

	 /* From rknpu, in the TRM this bit is marked as reserved */
	extra_bit = 0x10000000 * core->index;
	rocket_cna_writel(core, S_POINTER, CNA_S_POINTER_POINTER_PP_EN(1) |
					   CNA_S_POINTER_EXECUTER_PP_EN(1) |
					   CNA_S_POINTER_POINTER_PP_MODE(1) |
					   extra_bit);

	rocket_core_writel(core, S_POINTER, CORE_S_POINTER_POINTER_PP_EN(1) |
					    CORE_S_POINTER_EXECUTER_PP_EN(1) |
					    CORE_S_POINTER_POINTER_PP_MODE(1) |
					    extra_bit);

	rocket_pc_writel(core, BASE_ADDRESS, task->regcmd);
	rocket_pc_writel(core, REGISTER_AMOUNTS,
			 PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT((task->regcmd_count + 1) / 2 - 1));

	rocket_pc_writel(core, INTERRUPT_MASK, PC_INTERRUPT_MASK_DPU_0 | PC_INTERRUPT_MASK_DPU_1);
	rocket_pc_writel(core, INTERRUPT_CLEAR, PC_INTERRUPT_CLEAR_DPU_0 | PC_INTERRUPT_CLEAR_DPU_1);

	rocket_pc_writel(core, TASK_CON, PC_TASK_CON_RESERVED_0(1) |
					 PC_TASK_CON_TASK_COUNT_CLEAR(1) |
					 PC_TASK_CON_TASK_NUMBER(1) |
					 PC_TASK_CON_TASK_PP_EN(1));

	rocket_pc_writel(core, TASK_DMA_BASE_ADDR, PC_TASK_DMA_BASE_ADDR_DMA_BASE_ADDR(0x0));

	rocket_pc_writel(core, OPERATION_ENABLE, PC_OPERATION_ENABLE_OP_EN(1));
	rocket_sim_kick(core);

	dev_dbg(core->dev, "Submitted regcmd at 0x%llx to core %d", task->regcmd, core->index);
}

static int rocket_acquire_object_fences(struct drm_gem_object **bos,
					int bo_count,
					struct drm_sched_job *job,
					bool is_write)
{
	int i, ret;

	for (i = 0; i < bo_count; i++) {
		ret = dma_resv_reserve_fences(bos[i]->resv, 1);
		if (ret)
			return ret;

		ret = drm_sched_job_add_implicit_dependencies(job, bos[i],
							      is_write);
		if (ret)
			return ret;
	}

	return 0;
}

static void rocket_attach_object_fences(struct drm_gem_object **bos,
					int bo_count,
					struct dma_fence *fence)
{
	int i;

	for (i = 0; i < bo_count; i++)
		dma_resv_add_fence(bos[i]->resv, fence, DMA_RESV_USAGE_WRITE);
}

/*
 * Drop repeats from @bos, keeping the first of each: a job may name a BO in
 * both of its lists, or twice in one, but a reservation is locked once.
 */
static u32 rocket_unique_bos(struct drm_gem_object **bos, u32 count)
{
	u32 unique = 0, i, j;

	for (i = 0; i < count; i++) {
		for (j = 0; j < unique && bos[j] != bos[i]; j++)
			;
		if (j == unique)
			bos[unique++] = bos[i];
	}

	return unique;
}

static int rocket_job_push(struct rocket_job *job)
{
	struct rocket_device *rdev = job->rdev;
	struct drm_gem_object **bos;
	struct ww_acquire_ctx acquire_ctx;
	u32 bo_count;
	int ret = 0;

	if (check_add_overflow(job->in_bo_count, job->out_bo_count, &bo_count))
		return -EINVAL;

	bos = kvmalloc_objs(*bos, bo_count);
	if (!bos)
		return -ENOMEM;
	memcpy(bos, job->in_bos, job->in_bo_count * sizeof(void *));
	memcpy(&bos[job->in_bo_count], job->out_bos, job->out_bo_count * sizeof(void *));
	bo_count = rocket_unique_bos(bos, bo_count);

	ret = drm_gem_lock_reservations(bos, bo_count, &acquire_ctx);
	if (ret)
		goto err;

	scoped_guard(mutex, &rdev->sched_lock) {
		drm_sched_job_arm(&job->base);

		job->inference_done_fence = dma_fence_get(&job->base.s_fence->finished);

		ret = rocket_acquire_object_fences(job->in_bos, job->in_bo_count, &job->base, false);
		if (ret)
			goto err_unlock;

		ret = rocket_acquire_object_fences(job->out_bos, job->out_bo_count, &job->base, true);
		if (ret)
			goto err_unlock;

		kref_get(&job->refcount); /* put by scheduler job completion */

		drm_sched_entity_push_job(&job->base);
	}

	rocket_attach_object_fences(job->out_bos, job->out_bo_count, job->inference_done_fence);

err_unlock:
	drm_gem_unlock_reservations(bos, bo_count, &acquire_ctx);
err:
	kvfree(bos);

	return ret;
}

static void rocket_job_cleanup(struct kref *ref)
{
	struct rocket_job *job = container_of(ref, struct rocket_job,
						refcount);
	unsigned int i;

	rocket_iommu_domain_put(job->domain);

	dma_fence_put(job->done_fence);
	dma_fence_put(job->inference_done_fence);

	if (job->in_bos) {
		for (i = 0; i < job->in_bo_count; i++)
			drm_gem_object_put(job->in_bos[i]);

		kvfree(job->in_bos);
	}

	if (job->out_bos) {
		for (i = 0; i < job->out_bo_count; i++)
			drm_gem_object_put(job->out_bos[i]);

		kvfree(job->out_bos);
	}

	if (job->tasks) {
		rocket_put_regcmd_bos(job->tasks, job->task_count);
		kvfree(job->tasks);
	}

	kfree(job);
}

static void rocket_job_put(struct rocket_job *job)
{
	kref_put(&job->refcount, rocket_job_cleanup);
}

static void rocket_job_free(struct drm_sched_job *sched_job)
{
	struct rocket_job *job = to_rocket_job(sched_job);

	drm_sched_job_cleanup(sched_job);

	rocket_job_put(job);
}

static struct rocket_core *sched_to_core(struct rocket_device *rdev,
					 struct drm_gpu_scheduler *sched)
{
	unsigned int core;

	for (core = 0; core < rdev->max_cores; core++) {
		if (&rdev->cores[core].sched == sched)
			return &rdev->cores[core];
	}

	return NULL;
}

static struct dma_fence *rocket_job_run(struct drm_sched_job *sched_job)
{
	struct rocket_job *job = to_rocket_job(sched_job);
	struct rocket_device *rdev = job->rdev;
	struct rocket_core *core = sched_to_core(rdev, sched_job->sched);
	struct dma_fence *fence = NULL;
	int ret;

	if (unlikely(job->base.s_fence->finished.error))
		return NULL;

	/*
	 * Nothing to execute: can happen if the job has finished while
	 * we were resetting the NPU.
	 */
	if (job->next_task_idx == job->task_count)
		return NULL;

	fence = rocket_fence_create(core);
	if (IS_ERR(fence))
		return fence;

	if (job->done_fence)
		dma_fence_put(job->done_fence);
	job->done_fence = dma_fence_get(fence);

	ret = pm_runtime_resume_and_get(core->dev);
	if (ret < 0)
		goto err_put_fences;

	ret = iommu_attach_group(job->domain->domain, core->iommu_group);
	if (ret < 0)
		goto err_put_pm;

	scoped_guard(mutex, &core->job_lock) {
		core->in_flight_job = job;
		rocket_job_hw_submit(core, job);
	}

	return fence;

err_put_pm:
	pm_runtime_put(core->dev);
err_put_fences:
	dma_fence_put(job->done_fence);
	job->done_fence = NULL;
	dma_fence_put(fence);
	return ERR_PTR(ret);
}

static void rocket_job_handle_irq(struct rocket_core *core)
{
	pm_runtime_mark_last_busy(core->dev);

	scoped_guard(mutex, &core->job_lock) {
		/* Under the lock, so as not to stop a task being submitted. */
		rocket_pc_writel(core, OPERATION_ENABLE, 0x0);
		rocket_pc_writel(core, INTERRUPT_CLEAR, 0x1ffff);

		if (core->in_flight_job) {
			if (core->in_flight_job->next_task_idx < core->in_flight_job->task_count) {
				rocket_job_hw_submit(core, core->in_flight_job);
				return;
			}

			iommu_detach_group(NULL, core->iommu_group);
			dma_fence_signal(core->in_flight_job->done_fence);
			pm_runtime_put_autosuspend(core->dev);
			core->in_flight_job = NULL;
		}
	}
}

/*
 * Stop the core whatever it runs: drop the job in flight, reset the core and
 * leave that job's address space. The scheduler must not run a job meanwhile.
 */
static void rocket_core_stop(struct rocket_core *core)
{
	/*
	 * The handler of a completion interrupt raised before the reset may
	 * not have run yet: wait for it, and hold back any later one until
	 * the core is reset. Run after the next job is submitted, it would
	 * stop that job's task and complete the job before its task ran.
	 */
	disable_irq(core->irq);

	/*
	 * Remaining interrupts have been handled, but we might still have
	 * stuck jobs. Let's make sure the PM counters stay balanced by
	 * manually calling pm_runtime_put_noidle().
	 */
	scoped_guard(mutex, &core->job_lock) {
		if (core->in_flight_job)
			pm_runtime_put_noidle(core->dev);

		core->in_flight_job = NULL;
	}

	/* Proceed with reset now. */
	rocket_core_reset(core);

	/*
	 * Only now that the core is reset has it no DMA in flight: detaching
	 * its IOMMU before would wait for a stall that never comes.
	 */
	scoped_guard(mutex, &core->job_lock)
		iommu_detach_group(NULL, core->iommu_group);

	/* The reset cleared the core's interrupt status: nothing is stale. */
	enable_irq(core->irq);
}

static void
rocket_reset(struct rocket_core *core, struct drm_sched_job *bad)
{
	if (!atomic_read(&core->reset.pending))
		return;

	drm_sched_stop(&core->sched, bad);

	rocket_core_stop(core);

	/* NPU has been reset, we can clear the reset pending bit. */
	atomic_set(&core->reset.pending, 0);

	/* Restart the scheduler */
	drm_sched_start(&core->sched, 0);
}

static enum drm_gpu_sched_stat rocket_job_timedout(struct drm_sched_job *sched_job)
{
	struct rocket_job *job = to_rocket_job(sched_job);
	struct rocket_device *rdev = job->rdev;
	struct rocket_core *core = sched_to_core(rdev, sched_job->sched);

	dev_err(core->dev, "NPU job timed out");

	atomic_set(&core->reset.pending, 1);
	rocket_reset(core, sched_job);

	return DRM_GPU_SCHED_STAT_RESET;
}

static void rocket_reset_work(struct work_struct *work)
{
	struct rocket_core *core;

	core = container_of(work, struct rocket_core, reset.work);
	rocket_reset(core, NULL);
}

/*
 * drm_sched_fini() cancels the jobs still pending when a core goes away, as
 * when rocket is unloaded while a job of a closed file runs: stop the core
 * first, or its task would go on reading and writing BOs about to be freed,
 * through an address space about to be torn down.
 */
static void rocket_job_cancel(struct drm_sched_job *sched_job)
{
	struct rocket_job *job = to_rocket_job(sched_job);
	struct rocket_core *core = sched_to_core(job->rdev, sched_job->sched);
	bool running;

	scoped_guard(mutex, &core->job_lock)
		running = core->in_flight_job == job;
	if (running)
		rocket_core_stop(core);

	if (job->done_fence && !dma_fence_is_signaled(job->done_fence)) {
		dma_fence_set_error(job->done_fence, -ECANCELED);
		dma_fence_signal(job->done_fence);
	}
}

static const struct drm_sched_backend_ops rocket_sched_ops = {
	.run_job = rocket_job_run,
	.timedout_job = rocket_job_timedout,
	.free_job = rocket_job_free,
	.cancel_job = rocket_job_cancel,
};

static irqreturn_t rocket_job_irq_handler_thread(int irq, void *data)
{
	struct rocket_core *core = data;

	rocket_job_handle_irq(core);

	return IRQ_HANDLED;
}

static irqreturn_t rocket_job_irq_handler(int irq, void *data)
{
	struct rocket_core *core = data;
	u32 raw_status = rocket_pc_readl(core, INTERRUPT_RAW_STATUS);

	WARN_ON(raw_status & PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR);
	WARN_ON(raw_status & PC_INTERRUPT_RAW_STATUS_DMA_WRITE_ERROR);

	if (!(raw_status & PC_INTERRUPT_RAW_STATUS_DPU_0 ||
	      raw_status & PC_INTERRUPT_RAW_STATUS_DPU_1))
		return IRQ_NONE;

	rocket_pc_writel(core, INTERRUPT_MASK, 0x0);

	return IRQ_WAKE_THREAD;
}

int rocket_job_init(struct rocket_core *core)
{
	struct drm_sched_init_args args = {
		.ops = &rocket_sched_ops,
		.num_rqs = DRM_SCHED_PRIORITY_COUNT,
		.credit_limit = 1,
		.timeout = msecs_to_jiffies(rocket_sim_job_timeout_ms(core, JOB_TIMEOUT_MS)),
		.name = dev_name(core->dev),
		.dev = core->dev,
	};
	int ret;

	INIT_WORK(&core->reset.work, rocket_reset_work);
	spin_lock_init(&core->fence_lock);
	mutex_init(&core->job_lock);

	core->irq = platform_get_irq(to_platform_device(core->dev), 0);
	if (core->irq < 0)
		return core->irq;

	ret = devm_request_threaded_irq(core->dev, core->irq,
					rocket_job_irq_handler,
					rocket_job_irq_handler_thread,
					IRQF_SHARED, dev_name(core->dev),
					core);
	if (ret) {
		dev_err(core->dev, "failed to request job irq");
		return ret;
	}

	core->reset.wq = alloc_ordered_workqueue("rocket-reset-%d", 0, core->index);
	if (!core->reset.wq)
		return -ENOMEM;

	core->fence_context = dma_fence_context_alloc(1);

	args.timeout_wq = core->reset.wq;
	ret = drm_sched_init(&core->sched, &args);
	if (ret) {
		dev_err(core->dev, "Failed to create scheduler: %d.", ret);
		goto err_sched;
	}

	return 0;

err_sched:
	drm_sched_fini(&core->sched);

	destroy_workqueue(core->reset.wq);
	return ret;
}

void rocket_job_fini(struct rocket_core *core)
{
	drm_sched_fini(&core->sched);

	cancel_work_sync(&core->reset.work);
	destroy_workqueue(core->reset.wq);
}

static void rocket_job_close_core_entities(struct rocket_file_priv *rocket_priv, u32 count)
{
	while (count--)
		drm_sched_entity_destroy(&rocket_priv->core_entities[count]);
	kfree(rocket_priv->core_entities);
	rocket_priv->core_entities = NULL;
}

/* An entity bound to each core, over the file's list of schedulers. */
static int rocket_job_open_core_entities(struct rocket_file_priv *rocket_priv)
{
	struct rocket_device *rdev = rocket_priv->rdev;
	u32 core;
	int ret;

	rocket_priv->core_entities = kzalloc_objs(*rocket_priv->core_entities, rdev->num_cores);
	if (!rocket_priv->core_entities)
		return -ENOMEM;

	for (core = 0; core < rdev->num_cores; core++) {
		ret = drm_sched_entity_init(&rocket_priv->core_entities[core],
					    DRM_SCHED_PRIORITY_NORMAL,
					    &rocket_priv->scheds[core], 1, NULL);
		if (ret) {
			rocket_job_close_core_entities(rocket_priv, core);
			return ret;
		}
	}

	return 0;
}

int rocket_job_open(struct rocket_file_priv *rocket_priv)
{
	struct rocket_device *rdev = rocket_priv->rdev;
	struct drm_gpu_scheduler **scheds = kmalloc_objs(*scheds,
							 rdev->num_cores);
	unsigned int core;
	int ret;

	if (!scheds)
		return -ENOMEM;

	for (core = 0; core < rdev->num_cores; core++)
		scheds[core] = &rdev->cores[core].sched;

	ret = drm_sched_entity_init(&rocket_priv->sched_entity,
				    DRM_SCHED_PRIORITY_NORMAL,
				    scheds,
				    rdev->num_cores, NULL);
	if (ret) {
		kfree(scheds);
		return ret;
	}
	rocket_priv->scheds = scheds;

	ret = rocket_job_open_core_entities(rocket_priv);
	if (ret) {
		drm_sched_entity_destroy(&rocket_priv->sched_entity);
		kfree(scheds);
		rocket_priv->scheds = NULL;
		return ret;
	}

	return 0;
}

void rocket_job_close(struct rocket_file_priv *rocket_priv)
{
	rocket_job_close_core_entities(rocket_priv, rocket_priv->rdev->num_cores);
	drm_sched_entity_destroy(&rocket_priv->sched_entity);
	kfree(rocket_priv->scheds);
}

int rocket_job_is_idle(struct rocket_core *core)
{
	/* If there are any jobs in this HW queue, we're not idle */
	if (atomic_read(&core->sched.credit_count))
		return false;

	return true;
}

/*
 * Build a job from its description: everything that can fail because of
 * what userspace passed happens here, before anything is queued.
 */
static struct rocket_job *rocket_job_create(struct drm_device *dev, struct drm_file *file,
					    struct drm_rocket_job *job)
{
	struct rocket_device *rdev = to_rocket_device(dev);
	struct rocket_file_priv *file_priv = file->driver_priv;
	struct rocket_job *rjob = NULL;
	int ret = 0;

	if (job->task_count == 0) {
		drm_dbg(dev, "a job needs at least one task\n");
		return ERR_PTR(-EINVAL);
	}

	if (job->task_count > DRM_ROCKET_MAX_TASKS_PER_JOB ||
	    job->in_bo_handle_count > DRM_ROCKET_MAX_BOS_PER_JOB ||
	    job->out_bo_handle_count > DRM_ROCKET_MAX_BOS_PER_JOB) {
		drm_dbg(dev, "job of %u tasks, %u + %u BOs is above the limits\n",
			job->task_count, job->in_bo_handle_count, job->out_bo_handle_count);
		return ERR_PTR(-E2BIG);
	}

	rjob = kzalloc_obj(*rjob);
	if (!rjob)
		return ERR_PTR(-ENOMEM);

	kref_init(&rjob->refcount);

	rjob->rdev = rdev;
	rjob->domain = rocket_iommu_domain_get(file_priv);

	ret = drm_sched_job_init(&rjob->base,
				 &file_priv->sched_entity,
				 1, NULL, file->client_id);
	if (ret)
		goto out_put_job;

	ret = rocket_copy_tasks(dev, file, job, rjob);
	if (ret)
		goto out_cleanup_job;

	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(job->in_bo_handles),
				     job->in_bo_handle_count, &rjob->in_bos);
	if (ret)
		goto out_cleanup_job;

	rjob->in_bo_count = job->in_bo_handle_count;

	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(job->out_bo_handles),
				     job->out_bo_handle_count, &rjob->out_bos);
	if (ret)
		goto out_cleanup_job;

	rjob->out_bo_count = job->out_bo_handle_count;

	return rjob;

out_cleanup_job:
	drm_sched_job_cleanup(&rjob->base);
out_put_job:
	rocket_job_put(rjob);

	return ERR_PTR(ret);
}

/* Drop a job that was created but not queued. */
static void rocket_job_discard(struct rocket_job *rjob)
{
	drm_sched_job_cleanup(&rjob->base);
	rocket_job_put(rjob);
}

/*
 * Create every job of the submit, then queue them: a job that userspace
 * described wrongly fails the whole submit with nothing run.
 */
static int rocket_submit_jobs(struct drm_device *dev, struct drm_file *file,
			      struct drm_rocket_job *jobs, u32 job_count)
{
	struct rocket_job **rjobs;
	u32 created, queued = 0, i;
	int ret = 0;

	rjobs = kvmalloc_objs(*rjobs, job_count);
	if (!rjobs)
		return -ENOMEM;

	for (created = 0; created < job_count; created++) {
		rjobs[created] = rocket_job_create(dev, file, &jobs[created]);
		if (IS_ERR(rjobs[created])) {
			ret = PTR_ERR(rjobs[created]);
			drm_dbg(dev, "Failed to create job %u of %u: %d\n",
				created, job_count, ret);
			goto out_discard;
		}
	}

	/*
	 * Queueing fails only for want of memory or on a signal while taking
	 * the BOs' reservations; the jobs queued before then stay queued.
	 */
	for (queued = 0; queued < job_count; queued++) {
		ret = rocket_job_push(rjobs[queued]);
		if (ret) {
			drm_dbg(dev, "Failed to queue job %u of %u: %d\n",
				queued, job_count, ret);
			break;
		}
		rocket_job_put(rjobs[queued]);
	}

out_discard:
	/* The jobs created but not queued: all of them if one was refused. */
	for (i = queued; i < created; i++)
		rocket_job_discard(rjobs[i]);
	kvfree(rjobs);

	return ret;
}

int rocket_ioctl_submit(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct drm_rocket_submit *args = data;
	struct drm_rocket_job *jobs;
	int ret = 0;
	unsigned int i = 0;

	if (args->job_count > DRM_ROCKET_MAX_JOBS_PER_SUBMIT) {
		drm_dbg(dev, "job_count %u is above %u\n", args->job_count,
			DRM_ROCKET_MAX_JOBS_PER_SUBMIT);
		return -E2BIG;
	}

	if (args->job_struct_size < sizeof(struct drm_rocket_job)) {
		drm_dbg(dev, "job_struct_size field in drm_rocket_submit struct is too small.\n");
		return -EINVAL;
	}

	if (args->reserved != 0) {
		drm_dbg(dev, "Reserved field in drm_rocket_submit struct should be 0.\n");
		return -EINVAL;
	}

	/* Checked like any other: a field that must be zero must be, always. */
	if (args->job_count == 0)
		return 0;

	jobs = kvmalloc_objs(*jobs, args->job_count);
	if (!jobs) {
		drm_dbg(dev, "Failed to allocate incoming job array\n");
		return -ENOMEM;
	}

	for (i = 0; i < args->job_count; i++) {
		if (copy_from_user(&jobs[i],
				   u64_to_user_ptr(args->jobs) + (u64)i * args->job_struct_size,
				   sizeof(*jobs))) {
			ret = -EFAULT;
			drm_dbg(dev, "Failed to copy incoming job array\n");
			goto exit;
		}
	}

	ret = rocket_submit_jobs(dev, file, jobs, args->job_count);

exit:
	kvfree(jobs);

	return ret;
}

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
 * A job running tasks @first.. of @cmd on one core, reading A and B and
 * writing C; it holds its BOs until it is freed.
 */
static struct rocket_job *
rocket_matmul_job_create(struct drm_file *file, struct drm_sched_entity *entity,
			 struct rocket_gem_object *cmd, u32 first, u32 count,
			 struct drm_gem_object **objs)
{
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct rocket_job *rjob;
	u32 i;
	int ret;

	rjob = kzalloc_obj(*rjob);
	if (!rjob)
		return ERR_PTR(-ENOMEM);

	kref_init(&rjob->refcount);
	rjob->rdev = rocket_priv->rdev;
	rjob->domain = rocket_iommu_domain_get(rocket_priv);

	ret = drm_sched_job_init(&rjob->base, entity, 1, NULL, file->client_id);
	if (ret)
		goto err_put_job;

	ret = -ENOMEM;
	rjob->tasks = kvmalloc_objs(*rjob->tasks, count);
	rjob->in_bos = kvmalloc_objs(*rjob->in_bos, 2);
	rjob->out_bos = kvmalloc_objs(*rjob->out_bos, 1);
	if (!rjob->tasks || !rjob->in_bos || !rjob->out_bos)
		goto err_cleanup_job;

	rjob->task_count = count;
	for (i = 0; i < count; i++) {
		rjob->tasks[i].regcmd = cmd->mm.start +
					(u64)(first + i) * ROCKET_MATMUL_TASK_STRIDE;
		rjob->tasks[i].regcmd_count = ROCKET_MATMUL_TASK_ENTRIES;
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
	rjob->out_bo_count = 1;

	return rjob;

err_cleanup_job:
	drm_sched_job_cleanup(&rjob->base);
err_put_job:
	rocket_job_put(rjob);
	return ERR_PTR(ret);
}

/*
 * Queue the jobs of one matrix multiply together, each on its core, and add
 * the fence of each to A, B and C: waiting for C waits for the whole
 * product. The reservation objects take each job's fence on its own, as
 * they must (no fence containers), one slot per job.
 */
static int rocket_matmul_push(struct rocket_device *rdev, struct rocket_job **jobs,
			      u32 job_count, struct drm_gem_object **objs)
{
	struct drm_gem_object *unique[ROCKET_MATMUL_BOS];
	struct ww_acquire_ctx acquire_ctx;
	u32 bo_count, i, j;
	int ret;

	/* A, B and C may share BOs. */
	memcpy(unique, objs, sizeof(unique));
	bo_count = rocket_unique_bos(unique, ROCKET_MATMUL_BOS);
	ret = drm_gem_lock_reservations(unique, bo_count, &acquire_ctx);
	if (ret)
		return ret;

	/* Reserved up front: once a job is armed, nothing may fail. */
	for (i = 0; i < bo_count; i++) {
		ret = dma_resv_reserve_fences(unique[i]->resv, job_count);
		if (ret)
			goto out_unlock;
	}

	scoped_guard(mutex, &rdev->sched_lock) {
		for (i = 0; i < job_count; i++) {
			struct rocket_job *job = jobs[i];

			drm_sched_job_arm(&job->base);
			job->inference_done_fence = dma_fence_get(&job->base.s_fence->finished);

			ret = rocket_acquire_object_fences(job->in_bos, job->in_bo_count,
							   &job->base, false);
			if (!ret)
				ret = rocket_acquire_object_fences(job->out_bos, job->out_bo_count,
								   &job->base, true);
			if (ret)
				goto out_unlock;
		}

		for (i = 0; i < job_count; i++) {
			kref_get(&jobs[i]->refcount); /* put by scheduler job completion */
			drm_sched_entity_push_job(&jobs[i]->base);
		}
	}

	for (i = 0; i < job_count; i++)
		for (j = 0; j < bo_count; j++)
			dma_resv_add_fence(unique[j]->resv, jobs[i]->inference_done_fence,
					   unique[j] == objs[ROCKET_MATMUL_C] ?
					   DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);

out_unlock:
	drm_gem_unlock_reservations(unique, bo_count, &acquire_ctx);
	return ret;
}

int rocket_ioctl_matmul(struct drm_device *dev, void *data, struct drm_file *file)
{
	struct rocket_device *rdev = to_rocket_device(dev);
	struct rocket_file_priv *rocket_priv = file->driver_priv;
	struct rocket_job *jobs[ROCKET_MATMUL_MAX_JOBS] = {};
	struct drm_gem_object *objs[ROCKET_MATMUL_BOS];
	struct drm_rocket_matmul *args = data;
	struct rocket_matmul_plan plan;
	struct rocket_matmul_bos bos;
	struct rocket_gem_object *cmd;
	u32 job, first = 0;
	const char *reason;
	int ret;

	ret = rocket_matmul_get_bos(dev, file, args, objs, &bos);
	if (ret)
		return ret;

	ret = rocket_matmul_validate(args, &bos,
				     min_t(u32, rdev->num_cores, ROCKET_MATMUL_MAX_JOBS),
				     &plan.shape, &reason);
	if (!ret)
		ret = rocket_matmul_plan(&plan.shape, &plan, &reason);
	if (ret) {
		drm_dbg(dev, "matmul refused: %s\n", reason);
		goto out_put_bos;
	}

	cmd = rocket_matmul_write_regcmd(dev, rocket_priv, &plan);
	if (IS_ERR(cmd)) {
		ret = PTR_ERR(cmd);
		goto out_put_bos;
	}

	for (job = 0; job < plan.job_count; job++) {
		u32 core = rocket_matmul_core(plan.shape.core_mask, job);

		/* Validation keeps the mask within the device's cores. */
		if (core >= rdev->num_cores) {
			ret = -EINVAL;
			goto out_discard;
		}
		jobs[job] = rocket_matmul_job_create(file, &rocket_priv->core_entities[core], cmd,
						     first, plan.jobs[job].task_count, objs);
		if (IS_ERR(jobs[job])) {
			ret = PTR_ERR(jobs[job]);
			jobs[job] = NULL;
			goto out_discard;
		}
		first += plan.jobs[job].task_count;
	}

	ret = rocket_matmul_push(rdev, jobs, plan.job_count, objs);

out_discard:
	for (job = 0; job < plan.job_count && jobs[job]; job++) {
		if (ret)
			rocket_job_discard(jobs[job]);
		else
			rocket_job_put(jobs[job]);
	}
	drm_gem_object_put(&cmd->base.base);
out_put_bos:
	rocket_matmul_put_bos(objs);
	return ret;
}
