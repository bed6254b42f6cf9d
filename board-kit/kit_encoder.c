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
#include "rocket_registers.h"
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

/* Entry fields: target in bits 63..48, value 47..16, register 15..0 (rocket_matmul.c). */
#define KIT_TGT_DPU		0x1001
#define KIT_TGT_DPU_RDMA	0x2001

static int refuse(const char **reason, const char *why)
{
	*reason = why;
	return -EINVAL;
}

int kit_add_probe_encode(uint32_t rows, uint32_t cols, uint32_t in_addr, uint32_t out_addr,
			 int fp32, uint64_t *regcmd, uint32_t max_entries, const char **reason)
{
	static struct rocket_matmul_plan plan;
	uint64_t c_size = (uint64_t)rows * cols * 4, a_size = (uint64_t)rows * KIT_ADD_K;
	uint64_t b_size = (uint64_t)KIT_ADD_K * cols;
	/* A and B are never read by an add task: any addresses apart from C's */
	uint32_t a_addr = out_addr >= 0x01000000u ? 0x00100000u : 0x02000000u;
	struct drm_rocket_matmul args = {
		.a_handle = 1, .b_handle = 2, .c_handle = 3,
		.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = rows, .k = KIT_ADD_K, .n = cols,
	};
	struct rocket_matmul_bos bos = {
		.a = { a_size, a_addr },
		.b = { b_size, a_addr + 0x00100000u },
		.c = { c_size, out_addr },
	};
	struct rocket_matmul_task t;
	u32 sum, part, out, i, dfmt = 0, rfmt = 0;
	int n, ret;

	*reason = "ok";
	ret = rocket_matmul_validate(&args, &bos, 1, &plan.shape, reason);
	if (!ret)
		ret = rocket_matmul_plan(&plan.shape, &plan, reason);
	if (ret)
		return ret;
	if (plan.shape.segments != 2 || plan.job_count != 1)
		return refuse(reason, "the planner did not split K in two segments on one core");
	for (i = 0; i < plan.jobs[0].task_count; i++) {
		rocket_matmul_get_task(&plan, 0, i, &t);
		if (t.kind == ROCKET_MATMUL_TASK_ADD)
			break;
	}
	if (i == plan.jobs[0].task_count)
		return refuse(reason, "the plan has no add task");
	if (t.m0 || t.m != rows || t.n0 || t.n != cols || t.seg != 1)
		return refuse(reason, "the plan's add task is not one tile of the whole product");
	plan.shape.scratch_addr = in_addr;
	rocket_matmul_add_addrs(&plan.shape, t.seg, &sum, &part, &out);
	if (sum != in_addr || part != in_addr + c_size || out != out_addr)
		return refuse(reason, "the add task's buffers are not the probe's");
	n = rocket_matmul_encode_task(&plan.shape, &t, (u64 *)regcmd, max_entries);
	if (n < 0)
		return refuse(reason, "the kernel's encoder failed");
	if (!fp32)
		return n;

	for (i = 0; i < (u32)n; i++) {
		u32 target = (u32)(regcmd[i] >> 48), reg = (u32)(regcmd[i] & 0xffff);
		u32 value = (u32)(regcmd[i] >> 16);

		if (target == KIT_TGT_DPU && reg == REG_DPU_DATA_FORMAT) {
			value &= ~(DPU_DATA_FORMAT_OUT_PRECISION__MASK |
				   DPU_DATA_FORMAT_IN_PRECISION__MASK |
				   DPU_DATA_FORMAT_PROC_PRECISION__MASK);
			value |= DPU_DATA_FORMAT_OUT_PRECISION(KIT_PREC_FP32) |
				 DPU_DATA_FORMAT_IN_PRECISION(KIT_PREC_FP32) |
				 DPU_DATA_FORMAT_PROC_PRECISION(KIT_PREC_FP32);
			dfmt++;
		} else if (target == KIT_TGT_DPU_RDMA &&
			   reg == REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG) {
			value &= ~(DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION__MASK |
				   DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION__MASK);
			value |= DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION(KIT_PREC_FP32) |
				 DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION(KIT_PREC_FP32);
			rfmt++;
		} else {
			continue;
		}
		regcmd[i] = (regcmd[i] & ~(0xffffffffull << 16)) | (u64)value << 16;
	}
	if (dfmt != 1 || rfmt != 1)
		return refuse(reason, "the add task does not write DPU_DATA_FORMAT and "
			      "DPU_RDMA_RDMA_FEATURE_MODE_CFG once each");
	return n;
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
