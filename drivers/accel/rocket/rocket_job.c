// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2019 Linaro, Ltd, Rob Herring <robh@kernel.org> */
/* Copyright 2019 Collabora ltd. */
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#include <drm/drm_exec.h>
#include <drm/drm_print.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/rocket_accel.h>
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

/* MATMUL's jobs are planned to take at most half the timeout on silicon. */
static_assert(ROCKET_MATMUL_JOB_BUDGET_NS * 2 <= JOB_TIMEOUT_MS * NSEC_PER_MSEC);

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

/* Copy the tasks of @job into @rjob, which has room for job->task_count. */
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

	for (i = 0; i < rjob->task_count; i++) {
		struct drm_rocket_task task = {0};

		if (copy_from_user(&task,
				   u64_to_user_ptr(job->tasks) + (u64)i * job->task_struct_size,
				   sizeof(task))) {
			drm_dbg(dev, "Failed to copy incoming tasks\n");
			return -EFAULT;
		}

		if (task.regcmd_count == 0) {
			drm_dbg(dev, "regcmd_count field in drm_rocket_task should be > 0.\n");
			return -EINVAL;
		}

		if (task.regcmd_count > DRM_ROCKET_MAX_REGCMD_COUNT) {
			drm_dbg(dev, "regcmd_count %u is above %u\n", task.regcmd_count,
				DRM_ROCKET_MAX_REGCMD_COUNT);
			return -E2BIG;
		}

		rjob->tasks[i].regcmd = task.regcmd;
		rjob->tasks[i].regcmd_count = task.regcmd_count;
		ret = rocket_get_regcmd_bo(dev, rjob, &rjob->tasks[i]);
		if (ret)
			return ret;
	}

	return 0;
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

/* The number of BOs @job names, reads and writes. */
static u32 rocket_job_bo_count(const struct rocket_job *job)
{
	return job->in_bo_count + job->out_bo_count;
}

/* The @i-th BO @job names: its reads, then its writes. */
static struct drm_gem_object *rocket_job_bo(const struct rocket_job *job, u32 i, bool *write)
{
	*write = i >= job->in_bo_count;

	return *write ? job->out_bos[i - job->in_bo_count] : job->in_bos[i];
}

/*
 * Lock the reservation of every BO the jobs name, once each however many
 * jobs name it, and reserve a fence slot in it for each time one does.
 */
static int rocket_jobs_lock_bos(struct drm_exec *exec, struct rocket_job **jobs, u32 count)
{
	struct drm_gem_object *obj;
	bool write;
	u32 i, j;
	int ret;

	drm_exec_until_all_locked(exec) {
		for (i = 0; i < count; i++) {
			for (j = 0; j < rocket_job_bo_count(jobs[i]); j++) {
				ret = drm_exec_lock_obj(exec, rocket_job_bo(jobs[i], j, &write));
				drm_exec_retry_on_contention(exec);
				if (ret)
					return ret;
			}
		}
	}

	drm_exec_for_each_locked_object(exec, obj) {
		to_rocket_bo(obj)->push_fences = 0;
		to_rocket_bo(obj)->push_writes = 0;
	}

	for (i = 0; i < count; i++) {
		for (j = 0; j < rocket_job_bo_count(jobs[i]); j++) {
			struct rocket_gem_object *bo;

			bo = to_rocket_bo(rocket_job_bo(jobs[i], j, &write));
			bo->push_fences++;
			bo->push_writes += write;
		}
	}

	drm_exec_for_each_locked_object(exec, obj) {
		struct rocket_gem_object *bo = to_rocket_bo(obj);

		ret = dma_resv_reserve_fences(obj->resv, bo->push_fences);
		if (ret)
			return ret;

		if (!bo->push_writes)
			continue;
		bo->push_writers = kzalloc_flex(*bo->push_writers, fences, bo->push_writes);
		if (!bo->push_writers)
			return -ENOMEM;
	}

	return 0;
}

/*
 * Record the jobs just queued as the last writers of each BO they write,
 * for PREP_BO to report their failure; or, with @queued false, drop the
 * records prepared for them.
 */
static void rocket_jobs_set_writers(struct drm_exec *exec, struct rocket_job **jobs,
				    u32 count, bool queued)
{
	struct drm_gem_object *obj;
	bool write;
	u32 i, j;

	for (i = 0; queued && i < count; i++) {
		struct dma_fence *fence = jobs[i]->inference_done_fence;

		for (j = 0; j < rocket_job_bo_count(jobs[i]); j++) {
			struct rocket_bo_writers *writers;

			obj = rocket_job_bo(jobs[i], j, &write);
			writers = to_rocket_bo(obj)->push_writers;
			/* A job may name a BO it writes more than once. */
			if (!write ||
			    (writers->count && writers->fences[writers->count - 1] == fence))
				continue;
			writers->fences[writers->count++] = dma_fence_get(fence);
		}
	}

	drm_exec_for_each_locked_object(exec, obj) {
		struct rocket_gem_object *bo = to_rocket_bo(obj);

		if (!bo->push_writers)
			continue;
		if (queued)
			swap(bo->last_writers, bo->push_writers);
		rocket_gem_put_writers(bo->push_writers);
		bo->push_writers = NULL;
	}
}

/**
 * rocket_jobs_push() - Queue jobs, all of them or none
 * @rdev: the device
 * @jobs: the jobs, from rocket_job_alloc()
 * @count: the number of jobs
 *
 * Queue @count jobs, all of them or none. What can fail is done for every
 * job before the first is armed: taking the reservations, which a signal
 * interrupts (userspace then restarts the ioctl with the same arguments,
 * and a job queued by the first call would run twice), reserving the
 * fence slots and adding the implicit dependencies, which allocate.
 * drm_sched_job_arm() is a point of no return: an armed job must be pushed.
 *
 * The caller keeps its reference to each job; the scheduler takes its own.
 *
 * Return: 0 or a negative errno, with no job queued.
 */
int rocket_jobs_push(struct rocket_device *rdev, struct rocket_job **jobs, u32 count)
{
	struct drm_gem_object *obj;
	struct drm_exec exec;
	bool write;
	u32 i, j;
	int ret;

	drm_exec_init(&exec, DRM_EXEC_INTERRUPTIBLE_WAIT | DRM_EXEC_IGNORE_DUPLICATES, 0);

	ret = rocket_jobs_lock_bos(&exec, jobs, count);
	if (ret)
		goto out_fini;

	for (i = 0; i < count; i++) {
		for (j = 0; j < rocket_job_bo_count(jobs[i]); j++) {
			obj = rocket_job_bo(jobs[i], j, &write);
			ret = drm_sched_job_add_implicit_dependencies(&jobs[i]->base, obj, write);
			if (ret)
				goto out_fini;
		}
	}

	/* Nothing fails from here on. */
	scoped_guard(mutex, &rdev->sched_lock) {
		for (i = 0; i < count; i++) {
			drm_sched_job_arm(&jobs[i]->base);
			jobs[i]->inference_done_fence =
				dma_fence_get(&jobs[i]->base.s_fence->finished);
			kref_get(&jobs[i]->refcount); /* put by scheduler job completion */
			drm_sched_entity_push_job(&jobs[i]->base);
		}
	}

	for (i = 0; i < count; i++) {
		for (j = 0; j < rocket_job_bo_count(jobs[i]); j++) {
			obj = rocket_job_bo(jobs[i], j, &write);
			dma_resv_add_fence(obj->resv, jobs[i]->inference_done_fence,
					   write ? DMA_RESV_USAGE_WRITE : DMA_RESV_USAGE_READ);
		}
	}

out_fini:
	rocket_jobs_set_writers(&exec, jobs, count, !ret);
	drm_exec_fini(&exec);

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

/**
 * rocket_job_put() - Drop a reference to a job
 * @job: the job
 */
void rocket_job_put(struct rocket_job *job)
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
	bool powered;

	/*
	 * Mask the core's interrupt in the core, not the line: the line is
	 * shared (on RK3588 each core shares its SPI with its IOMMU), and
	 * disable_irq() would hold off rockchip-iommu's fault handler for as
	 * long as the core takes to reset. The mask is written only while a
	 * job holds the core powered; an idle core has no interrupt to mask
	 * (the hard handler masks the one it takes). The next job's submit
	 * unmasks.
	 */
	scoped_guard(mutex, &core->job_lock) {
		powered = core->in_flight_job;
		if (powered)
			rocket_pc_writel(core, INTERRUPT_MASK, 0x0);
		core->in_flight_job = NULL;
	}

	/*
	 * The handler of a completion interrupt raised before the mask may not
	 * have run yet: wait for it. With no job in flight it completes
	 * nothing; run after the next job is submitted, it would stop that
	 * job's task and complete the job before its task ran.
	 */
	synchronize_irq(core->irq);

	/* Proceed with reset now. */
	rocket_core_reset(core);

	/*
	 * Only now that the core is reset has it no DMA in flight: detaching
	 * its IOMMU before would wait for a stall that never comes.
	 */
	scoped_guard(mutex, &core->job_lock)
		iommu_detach_group(NULL, core->iommu_group);

	/*
	 * Drop the power the stopped job held, now that the core is reset,
	 * as a completed job does: with nothing queued after it, the core
	 * suspends once idle instead of staying powered until a next job.
	 */
	if (powered) {
		pm_runtime_mark_last_busy(core->dev);
		pm_runtime_put_autosuspend(core->dev);
	}
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

	/*
	 * Restart the scheduler. The job that was running has lost its
	 * hardware fence: its finished fence signals with this error, which
	 * PREP_BO reports for the BOs it wrote.
	 */
	drm_sched_start(&core->sched, -ETIMEDOUT);
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
	u32 mask = rocket_pc_readl(core, INTERRUPT_MASK);

	WARN_ON(raw_status & PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR);
	WARN_ON(raw_status & PC_INTERRUPT_RAW_STATUS_DMA_WRITE_ERROR);

	/*
	 * A masked completion is not this core's interrupt: the line is
	 * shared, and the core is masked from its completion until its
	 * thread has run, and while it is stopped.
	 */
	if (!(raw_status & mask & PC_INTERRUPT_RAW_STATUS_DPU_0 ||
	      raw_status & mask & PC_INTERRUPT_RAW_STATUS_DPU_1))
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
	u32 core;
	int ret;

	rocket_priv->core_entities = kzalloc_objs(*rocket_priv->core_entities,
						  rocket_priv->num_cores);
	if (!rocket_priv->core_entities)
		return -ENOMEM;

	for (core = 0; core < rocket_priv->num_cores; core++) {
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
	struct drm_gpu_scheduler **scheds;
	unsigned int core;
	int ret;

	/*
	 * The node is live once the first core is up; the others may still be
	 * probing, and only the cores counted are initialized. Count them
	 * once, for every array of the file and for its close.
	 */
	rocket_priv->num_cores = smp_load_acquire(&rdev->num_cores); /* pairs with rocket_probe() */

	scheds = kmalloc_objs(*scheds, rocket_priv->num_cores);
	if (!scheds)
		return -ENOMEM;

	for (core = 0; core < rocket_priv->num_cores; core++)
		scheds[core] = &rdev->cores[core].sched;

	ret = drm_sched_entity_init(&rocket_priv->sched_entity,
				    DRM_SCHED_PRIORITY_NORMAL,
				    scheds,
				    rocket_priv->num_cores, NULL);
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
	rocket_job_close_core_entities(rocket_priv, rocket_priv->num_cores);
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

/**
 * rocket_job_alloc() - Start a job of a file, for SUBMIT and MATMUL alike
 * @file: the file the job runs for, in whose NPU address space
 * @entity: the scheduler entity to queue it on
 * @task_count: the number of tasks it runs, 1 to %DRM_ROCKET_MAX_TASKS_PER_JOB
 *
 * The caller fills the tasks and the BOs the job reads and writes, then
 * queues the job with rocket_jobs_push(), or drops it with
 * rocket_job_discard().
 *
 * Return: the job, with one reference for the caller, or an ERR_PTR().
 */
struct rocket_job *rocket_job_alloc(struct drm_file *file, struct drm_sched_entity *entity,
				    u32 task_count)
{
	struct rocket_file_priv *file_priv = file->driver_priv;
	struct rocket_job *rjob;
	int ret;

	rjob = kzalloc_obj(*rjob);
	if (!rjob)
		return ERR_PTR(-ENOMEM);

	kref_init(&rjob->refcount);
	rjob->rdev = file_priv->rdev;
	rjob->domain = rocket_iommu_domain_get(file_priv);

	rjob->tasks = kvzalloc_objs(*rjob->tasks, task_count);
	if (!rjob->tasks) {
		ret = -ENOMEM;
		goto err_put_job;
	}
	rjob->task_count = task_count;

	ret = drm_sched_job_init(&rjob->base, entity, 1, NULL, file->client_id);
	if (ret)
		goto err_put_job;

	return rjob;

err_put_job:
	rocket_job_put(rjob);
	return ERR_PTR(ret);
}

/**
 * rocket_job_discard() - Drop a job that was made but not queued
 * @rjob: the job, from rocket_job_alloc()
 */
void rocket_job_discard(struct rocket_job *rjob)
{
	drm_sched_job_cleanup(&rjob->base);
	rocket_job_put(rjob);
}

/*
 * Build a job from its description: everything that can fail because of
 * what userspace passed happens here, before anything is queued.
 */
static struct rocket_job *rocket_job_create(struct drm_device *dev, struct drm_file *file,
					    struct drm_rocket_job *job)
{
	struct rocket_file_priv *file_priv = file->driver_priv;
	struct rocket_job *rjob;
	int ret;

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

	rjob = rocket_job_alloc(file, &file_priv->sched_entity, job->task_count);
	if (IS_ERR(rjob))
		return rjob;

	ret = rocket_copy_tasks(dev, file, job, rjob);
	if (ret)
		goto err_discard;

	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(job->in_bo_handles),
				     job->in_bo_handle_count, &rjob->in_bos);
	if (ret)
		goto err_discard;

	rjob->in_bo_count = job->in_bo_handle_count;

	ret = drm_gem_objects_lookup(file, u64_to_user_ptr(job->out_bo_handles),
				     job->out_bo_handle_count, &rjob->out_bos);
	if (ret)
		goto err_discard;

	rjob->out_bo_count = job->out_bo_handle_count;

	return rjob;

err_discard:
	rocket_job_discard(rjob);
	return ERR_PTR(ret);
}

/*
 * Create every job of the submit, then queue them: a submit fails as a
 * whole with nothing run, whether userspace described a job wrongly or
 * queueing was interrupted.
 */
static int rocket_submit_jobs(struct drm_device *dev, struct drm_file *file,
			      struct drm_rocket_job *jobs, u32 job_count)
{
	struct rocket_job **rjobs;
	u32 created, i;
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

	ret = rocket_jobs_push(to_rocket_device(dev), rjobs, job_count);
	if (ret)
		drm_dbg(dev, "Failed to queue the %u jobs: %d\n", job_count, ret);

out_discard:
	/* The jobs created, queued or not: none is queued if one failed. */
	for (i = 0; i < created; i++) {
		if (ret)
			rocket_job_discard(rjobs[i]);
		else
			rocket_job_put(rjobs[i]);
	}
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
