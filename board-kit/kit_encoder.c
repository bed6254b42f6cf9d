// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The adapter between rocket-bringup and the kernel's planner and encoder:
 * built with the host stand-ins of <linux/...> (tests/model/kshim,
 * tests/matmul/kshim), as the host tests build rocket_matmul.c.
 */
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "rocket_matmul.h"
#include "kit_encoder.h"

_Static_assert(KIT_MAX_JOBS == ROCKET_MATMUL_MAX_JOBS, "jobs of a plan");
_Static_assert(KIT_TASK_ENTRIES == ROCKET_MATMUL_TASK_ENTRIES, "entries of a task");

static struct rocket_matmul_plan last;

int kit_plan(const struct kit_matmul *mm, uint32_t num_cores, struct kit_plan *plan,
	     const char **reason)
{
	struct drm_rocket_matmul args = {
		.a_handle = 1, .b_handle = 2, .c_handle = 3,
		.type = mm->type, .m = mm->m, .k = mm->k, .n = mm->n,
		.a_offset = mm->a_offset, .b_offset = mm->b_offset, .c_offset = mm->c_offset,
		.flags = mm->flags, .core_mask = mm->core_mask,
	};
	struct rocket_matmul_bos bos = {
		.a = { mm->a_size, mm->a_addr },
		.b = { mm->b_size, mm->b_addr },
		.c = { mm->c_size, mm->c_addr },
	};
	uint32_t j, nth, core;
	int ret;

	memset(plan, 0, sizeof(*plan));
	if (num_cores > ROCKET_MATMUL_MAX_JOBS)
		num_cores = ROCKET_MATMUL_MAX_JOBS;
	ret = rocket_matmul_validate(&args, &bos, num_cores, &last.shape, reason);
	if (!ret)
		ret = rocket_matmul_plan(&last.shape, &last, reason);
	if (ret)
		return ret;

	plan->job_count = last.job_count;
	plan->task_count = last.task_count;
	plan->run_count = last.run_count;
	for (j = 0; j < last.job_count; j++) {
		const struct rocket_matmul_job *src = &last.jobs[j];
		struct kit_job *dst = &plan->jobs[j];

		/* rocket_matmul_core(): job j runs on the j-th core of the mask */
		for (core = 0, nth = j; core < 32; core++)
			if ((last.shape.core_mask & (1u << core)) && nth-- == 0)
				break;
		dst->core = core;
		dst->m0 = src->m0;
		dst->m = src->m;
		dst->n0 = src->n0;
		dst->n = src->n;
		dst->task_m = src->task_m;
		dst->task_n = src->task_n;
		dst->row_slices = src->row_slices;
		dst->col_slices = src->col_slices;
		dst->task_count = src->task_count;
		dst->data_banks = src->data_banks;
		dst->weight_reuse = src->weight_reuse;
		dst->run_tasks = src->run_tasks;
		dst->runs = src->runs;
		dst->segments = last.shape.segments;
		dst->seg_k = last.shape.seg_k;
		dst->seg_tasks = src->seg_tasks;
		dst->add_tasks = src->add_tasks;
	}
	return 0;
}

int kit_task(uint32_t job, uint32_t index, struct kit_task *task, uint64_t *regcmd,
	     uint32_t max_entries)
{
	struct rocket_matmul_task t;

	if (job >= last.job_count || index >= last.jobs[job].task_count)
		return -EINVAL;
	rocket_matmul_get_task(&last, job, index, &t);
	task->m0 = t.m0;
	task->m = t.m;
	task->n0 = t.n0;
	task->n = t.n;
	task->data_banks = t.data_banks;
	task->weight_reuse = t.weight_reuse;
	task->add = t.kind == ROCKET_MATMUL_TASK_ADD;
	task->seg = t.seg;
	task->predicted_ns = rocket_matmul_task_ns(&last.shape, &t);
	if (!regcmd)
		return 0;
	return rocket_matmul_encode_task(&last.shape, &t, (u64 *)regcmd, max_entries);
}

uint64_t kit_job_budget_ns(void)
{
	return ROCKET_MATMUL_JOB_BUDGET_NS;
}

uint32_t kit_op_enable(void)
{
	return ROCKET_MATMUL_OP_ENABLE;
}

uint32_t kit_npu_min_mhz(void)
{
	return ROCKET_MATMUL_NPU_MIN_MHZ;
}

uint32_t kit_dma_min_mbps(void)
{
	return ROCKET_MATMUL_DMA_MIN_MBPS;
}

uint32_t kit_task_gap_ns(void)
{
	return ROCKET_MATMUL_TASK_GAP_NS;
}
