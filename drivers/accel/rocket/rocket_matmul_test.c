// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * KUnit tests of the matmul validation, planner and encoder
 * (rocket_matmul.c): every rejection with its errno, boundary shapes, plan
 * invariants, and single-task command lists checked field by field.
 */

#include <kunit/test.h>
#include <linux/array_size.h>
#include <linux/bitops.h>
#include <linux/errno.h>
#include <linux/math.h>
#include <linux/string.h>

#include "rocket_matmul.h"
#include "rocket_registers.h"

#define TGT_CNA			0x0201
#define TGT_CORE		0x0801
#define TGT_DPU			0x1001
#define TGT_DPU_RDMA		0x2001

/* ---------------------------------------------------------------------- */
/* Validation                                                               */

struct validate_input {
	struct drm_rocket_matmul args;
	struct rocket_matmul_bos bos;
	u32 cores;
};

struct validate_case {
	const char *name;
	void (*edit)(struct validate_input *in);
	int err;
	const char *reason;
};

/* INT8 4 x 32 x 32 in three BOs of exactly the operands' sizes. */
static void validate_base(struct validate_input *in)
{
	memset(in, 0, sizeof(*in));
	in->args.a_handle = 1;
	in->args.b_handle = 2;
	in->args.c_handle = 3;
	in->args.type = DRM_ROCKET_MATMUL_INT8_INT32;
	in->args.m = 4;
	in->args.k = 32;
	in->args.n = 32;
	in->bos.a.size = 128;
	in->bos.a.npu_addr = 0x10000000;
	in->bos.b.size = 1024;
	in->bos.b.npu_addr = 0x10001000;
	in->bos.c.size = 512;
	in->bos.c.npu_addr = 0x10002000;
	in->cores = 3;
}

static void ed_none(struct validate_input *in)
{
}

static void ed_pad(struct validate_input *in)
{
	in->args.pad = 1;
}

static void ed_reserved(struct validate_input *in)
{
	in->args.reserved[1] = 1;
}

static void ed_flag(struct validate_input *in)
{
	in->args.flags = 2;
}

static void ed_type0(struct validate_input *in)
{
	in->args.type = 0;
}

static void ed_type4(struct validate_input *in)
{
	in->args.type = 4;
}

static void ed_mask_no_flag(struct validate_input *in)
{
	in->args.core_mask = 1;
}

static void ed_mask_empty(struct validate_input *in)
{
	in->args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
}

static void ed_mask_core3(struct validate_input *in)
{
	in->args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
	in->args.core_mask = 8;
}

static void ed_mask_core2(struct validate_input *in)
{
	in->args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
	in->args.core_mask = 4;
}

static void ed_m0(struct validate_input *in)
{
	in->args.m = 0;
}

static void ed_k48(struct validate_input *in)
{
	in->args.k = 48;
}

static void ed_n16(struct validate_input *in)
{
	in->args.n = 16;
}

static void ed_m2(struct validate_input *in)
{
	in->args.m = 2;
}

static void ed_m1(struct validate_input *in)
{
	in->args.m = 1;
}

static void ed_n16_fp16(struct validate_input *in)
{
	in->args.type = DRM_ROCKET_MATMUL_FP16_FP16;
	in->args.n = 16;
	in->bos.a.size = 256;
}

static void ed_k8192(struct validate_input *in)
{
	in->args.k = 8192;
	in->bos.a.size = 4 * 8192;
	in->bos.b.size = 32 * 8192;
	in->bos.b.npu_addr = 0x20000000;
	in->bos.c.npu_addr = 0x30000000;
}

static void ed_k8224(struct validate_input *in)
{
	in->args.k = 8224;
	in->bos.a.size = 4 * 8224;
	in->bos.b.size = 32 * 8224;
	in->bos.b.npu_addr = 0x20000000;
	in->bos.c.npu_addr = 0x30000000;
}

static void ed_k8224_fp16(struct validate_input *in)
{
	ed_k8224(in);
	in->args.type = DRM_ROCKET_MATMUL_FP16_FP32;
	in->args.n = 16;
	in->bos.a.size = 2 * 4 * 8224;
	in->bos.c.size = 256;
}

static void ed_k65536(struct validate_input *in)
{
	ed_k8224(in);
	in->args.k = 65536;
	in->bos.a.size = 4 * 65536;
	in->bos.b.size = 32 * 65536;
}

static void ed_k65568(struct validate_input *in)
{
	ed_k65536(in);
	in->args.k = 65568;
}

static void ed_m_above(struct validate_input *in)
{
	in->args.m = ROCKET_MATMUL_MAX_M + 4;
}

static void ed_a_short(struct validate_input *in)
{
	in->bos.a.size = 127;
}

static void ed_c_short(struct validate_input *in)
{
	in->bos.c.size = 496;
}

static void ed_a_overflow(struct validate_input *in)
{
	in->args.a_offset = ~0ull - 15;
}

static void ed_c_overflow(struct validate_input *in)
{
	in->args.c_offset = ~0ull;
}

static void ed_b_misaligned(struct validate_input *in)
{
	in->args.b_offset = 4;
	in->bos.b.size = 2048;
}

static void ed_c_misaligned(struct validate_input *in)
{
	in->args.c_offset = 8;
	in->bos.c.size = 1024;
}

static void ed_a_top(struct validate_input *in)
{
	in->bos.a.npu_addr = 0xffffff80ull;
}

static void ed_a_4g(struct validate_input *in)
{
	in->bos.a.npu_addr = 0xffffff90ull;
}

static void ed_b_4g(struct validate_input *in)
{
	in->bos.b.npu_addr = 1ull << 32;
}

static void ed_c_on_a(struct validate_input *in)
{
	in->args.c_handle = 1;
	in->bos.a.size = 640;
	in->bos.c = in->bos.a;
	in->args.c_offset = 112;
}

static void ed_c_after_a(struct validate_input *in)
{
	ed_c_on_a(in);
	in->args.c_offset = 128;
}

static void ed_c_on_b(struct validate_input *in)
{
	in->bos.c.npu_addr = 0x100013f0;
}

static const struct validate_case validate_cases[] = {
	{ "valid", ed_none, 0, "ok" },
	{ "pad", ed_pad, -EINVAL, "reserved" },
	{ "reserved", ed_reserved, -EINVAL, "reserved" },
	{ "unknown flag", ed_flag, -EINVAL, "unknown flag" },
	{ "type 0", ed_type0, -EINVAL, "unknown type" },
	{ "type 4", ed_type4, -EINVAL, "unknown type" },
	{ "mask without flag", ed_mask_no_flag, -EINVAL, "without" },
	{ "empty mask", ed_mask_empty, -EINVAL, "no core" },
	{ "mask core 3", ed_mask_core3, -EINVAL, "does not have" },
	{ "mask core 2", ed_mask_core2, 0, "ok" },
	{ "M 0", ed_m0, -EINVAL, "non-zero" },
	{ "K 48", ed_k48, -EINVAL, "K must be" },
	{ "N 16 INT8", ed_n16, -EINVAL, "N must be" },
	{ "N 16 FP16", ed_n16_fp16, 0, "ok" },
	{ "M 2", ed_m2, -EINVAL, "M must be" },
	{ "M 1", ed_m1, 0, "ok" },
	{ "K 8192", ed_k8192, 0, "ok" },
	{ "K 8224 INT8 split", ed_k8224, 0, "ok" },
	{ "K 8224 FP16 refused", ed_k8224_fp16, -E2BIG, "only for INT8" },
	{ "K 65536", ed_k65536, 0, "ok" },
	{ "K 65568", ed_k65568, -E2BIG, "K above 65536" },
	{ "M above max", ed_m_above, -E2BIG, "M above" },
	{ "A one byte short", ed_a_short, -EINVAL, "A does not fit" },
	{ "C short", ed_c_short, -EINVAL, "C does not fit" },
	{ "A offset overflow", ed_a_overflow, -EINVAL, "A does not fit" },
	{ "C offset overflow", ed_c_overflow, -EINVAL, "C does not fit" },
	{ "B misaligned", ed_b_misaligned, -EINVAL, "B not 16-byte" },
	{ "C misaligned", ed_c_misaligned, -EINVAL, "C not 16-byte" },
	{ "A ends at 4 GiB", ed_a_top, 0, "ok" },
	{ "A crosses 4 GiB", ed_a_4g, -EINVAL, "A not below 4 GiB" },
	{ "B above 4 GiB", ed_b_4g, -EINVAL, "B not below 4 GiB" },
	{ "C on A, same BO", ed_c_on_a, -EINVAL, "C overlaps A" },
	{ "C after A, same BO", ed_c_after_a, 0, "ok" },
	{ "C aliasing B", ed_c_on_b, -EINVAL, "C overlaps B" },
};

static void validate_case_desc(const struct validate_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(validate, validate_cases, validate_case_desc);

static void rocket_matmul_validate_test(struct kunit *test)
{
	const struct validate_case *c = test->param_value;
	struct rocket_matmul_shape shape;
	struct validate_input in;
	const char *reason = NULL;
	int err;

	validate_base(&in);
	c->edit(&in);
	err = rocket_matmul_validate(&in.args, &in.bos, in.cores, &shape, &reason);
	KUNIT_EXPECT_EQ(test, err, c->err);
	KUNIT_ASSERT_NOT_NULL(test, reason);
	KUNIT_EXPECT_NOT_NULL_MSG(test, strstr(reason, c->reason), "reason \"%s\"", reason);
}

/* ---------------------------------------------------------------------- */
/* Planner                                                                  */

struct plan_case {
	const char *name;
	u32 type, m, k, n, core_mask;
	int err;
	u32 jobs;		/* expected jobs, 0: any */
	u32 tasks;		/* expected tasks, 0: any */
};

static const struct plan_case plan_cases[] = {
	{ "smallest", DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, 7, 0, 1, 1 },
	{ "decode gate", DRM_ROCKET_MATMUL_INT8_INT32, 1, 1536, 8960, 7, 0, 3, 3 },
	{ "decode gate one core", DRM_ROCKET_MATMUL_INT8_INT32, 1, 1536, 8960, 1, 0, 1, 2 },
	{ "two kernel groups", DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 64, 7, 0, 2, 2 },
	{ "prefill q FP16", DRM_ROCKET_MATMUL_FP16_FP16, 512, 1536, 1536, 7, 0, 3, 0 },
	{ "K 8192 FP32", DRM_ROCKET_MATMUL_FP16_FP32, 1020, 8192, 8192, 7, 0, 3, 0 },
	{ "M 1024 N 8960", DRM_ROCKET_MATMUL_FP16_FP16, 1024, 4096, 8960, 5, 0, 2, 0 },
	{ "too many tasks", DRM_ROCKET_MATMUL_INT8_INT32, 1u << 24, 32, 32, 7, -E2BIG, 0, 0 },
	/* split K: 2 segments of 4480; 3 of 5472 */
	{ "down_proj decode", DRM_ROCKET_MATMUL_INT8_INT32, 1, 8960, 1536, 7, 0, 3, 0 },
	{ "down_proj prefill", DRM_ROCKET_MATMUL_INT8_INT32, 512, 8960, 1536, 7, 0, 3, 0 },
	{ "K 16416 one core", DRM_ROCKET_MATMUL_INT8_INT32, 132, 16416, 96, 1, 0, 1, 0 },
	{ "K 65536 decode", DRM_ROCKET_MATMUL_INT8_INT32, 1, 65536, 1056, 7, 0, 3, 0 },
};

static void plan_case_desc(const struct plan_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(plan, plan_cases, plan_case_desc);

/* Every task within the limits, and the tasks tile C exactly. */
static void check_plan(struct kunit *test, const struct rocket_matmul_plan *plan)
{
	const struct rocket_matmul_shape *s = &plan->shape;
	u32 segs = s->segments > 1 ? s->segments : 1;
	u32 kbytes = (segs > 1 ? s->seg_k : s->k) * rocket_matmul_in_bytes(s->type);
	u32 group = rocket_matmul_kernel_group(s->type);
	struct rocket_matmul_task t;
	u64 area = 0, adds = 0;
	u32 j, i, tasks = 0;

	KUNIT_ASSERT_GE(test, plan->job_count, 1);
	KUNIT_ASSERT_LE(test, plan->job_count, hweight32(s->core_mask));
	for (j = 0; j < plan->job_count; j++) {
		const struct rocket_matmul_job *job = &plan->jobs[j];

		tasks += job->task_count;
		for (i = 0; i < job->task_count; i++) {
			rocket_matmul_get_task(plan, j, i, &t);
			if (t.kind == ROCKET_MATMUL_TASK_ADD) {
				KUNIT_EXPECT_LE(test, t.m, ROCKET_MATMUL_ADD_MAX_M);
				KUNIT_EXPECT_LE(test, t.n, ROCKET_MATMUL_ADD_MAX_N);
				KUNIT_EXPECT_GE(test, t.seg, 1);
				KUNIT_EXPECT_LT(test, t.seg, segs);
				adds += (u64)t.m * t.n;
				continue;
			}
			KUNIT_EXPECT_LT(test, t.seg, segs);
			KUNIT_EXPECT_LE(test, t.m, ROCKET_MATMUL_MAX_TASK_M);
			KUNIT_EXPECT_LE(test, t.n, ROCKET_MATMUL_MAX_TASK_N);
			KUNIT_EXPECT_EQ(test, t.n % group, 0);
			KUNIT_EXPECT_TRUE(test, t.m % 4 == 0 || s->m == 1);
			KUNIT_EXPECT_LE(test, (u64)t.m * kbytes,
					(u64)t.data_banks * ROCKET_MATMUL_CBUF_BANK_SIZE);
			KUNIT_EXPECT_LT(test, t.data_banks, ROCKET_MATMUL_CBUF_BANKS);
			if (t.weight_reuse)
				KUNIT_EXPECT_LE(test, (u64)t.n * kbytes,
						(u64)(ROCKET_MATMUL_CBUF_BANKS - t.data_banks) *
						ROCKET_MATMUL_CBUF_BANK_SIZE);
			KUNIT_EXPECT_LE(test, t.m0 + t.m, job->m0 + job->m);
			KUNIT_EXPECT_LE(test, t.n0 + t.n, job->n0 + job->n);
			area += (u64)t.m * t.n;
		}
	}
	KUNIT_EXPECT_EQ(test, tasks, plan->task_count);
	KUNIT_EXPECT_LE(test, tasks, ROCKET_MATMUL_MAX_TASKS);
	KUNIT_EXPECT_EQ(test, area, (u64)s->m * s->n * segs);
	KUNIT_EXPECT_EQ(test, adds, (u64)s->m * s->n * (segs - 1));
	KUNIT_EXPECT_EQ(test, plan->scratch_bytes, segs > 1 ? 8ull * s->m * s->n : 0);
}

/*
 * The runs of every job: each within the budget, the first task of each
 * loading its own weights, and together all the tasks of the job.
 */
static void check_runs(struct kunit *test, const struct rocket_matmul_plan *plan)
{
	struct rocket_matmul_task t;
	u32 j, i, runs = 0;

	for (j = 0; j < plan->job_count; j++) {
		const struct rocket_matmul_job *job = &plan->jobs[j];
		u64 sum = 0;

		KUNIT_ASSERT_GE(test, job->run_tasks, 1);
		KUNIT_EXPECT_LE(test, job->run_tasks, job->task_count);
		KUNIT_EXPECT_EQ(test, job->runs, DIV_ROUND_UP(job->task_count, job->run_tasks));
		runs += job->runs;
		for (i = 0; i < job->task_count; i++) {
			rocket_matmul_get_task(plan, j, i, &t);
			if (i % job->run_tasks == 0) {
				KUNIT_EXPECT_FALSE(test, t.weight_reuse);
				sum = 0;
			}
			sum += rocket_matmul_task_ns(&plan->shape, &t);
			KUNIT_EXPECT_LE(test, sum, ROCKET_MATMUL_JOB_BUDGET_NS);
		}
	}
	KUNIT_EXPECT_EQ(test, runs, plan->run_count);
}

static void rocket_matmul_plan_test(struct kunit *test)
{
	const struct plan_case *c = test->param_value;
	struct rocket_matmul_shape shape = {
		.type = c->type, .m = c->m, .k = c->k, .n = c->n,
		.a_addr = 0x1000, .b_addr = 0x40000000, .c_addr = 0x80000000,
		.core_mask = c->core_mask,
	};
	struct rocket_matmul_plan *plan;
	const char *reason = NULL;
	int err;

	/* the uAPI's segments: ceil(K / 8192), equal in 32-blocks, the last the rest */
	shape.segments = DIV_ROUND_UP(c->k, 8192);
	shape.seg_k = DIV_ROUND_UP(c->k, 32 * shape.segments) * 32;
	plan = kunit_kzalloc(test, sizeof(*plan), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, plan);
	err = rocket_matmul_plan(&shape, plan, &reason);
	KUNIT_EXPECT_EQ(test, err, c->err);
	KUNIT_EXPECT_NOT_NULL(test, reason);
	if (err)
		return;
	if (c->jobs)
		KUNIT_EXPECT_EQ(test, plan->job_count, c->jobs);
	if (c->tasks)
		KUNIT_EXPECT_EQ(test, plan->task_count, c->tasks);
	check_plan(test, plan);
	check_runs(test, plan);
}

/* ---------------------------------------------------------------------- */
/* Run time: the tasks of a core cut into runs within the job budget        */

/*
 * The largest tasks: A tiles that fill the 11 data banks, 8192 columns,
 * weights loaded, the widest outputs. None is predicted to take more than
 * ROCKET_MATMUL_MAX_TASK_NS, which fits the budget: every task can be a run.
 */
static void rocket_matmul_largest_task_test(struct kunit *test)
{
	static const struct {
		u32 type, k, m;
	} big[] = {
		/* FP16 K 8192: 22 rows fit, 20 in 4s; 128 MiB of weights */
		{ DRM_ROCKET_MATMUL_FP16_FP32, 8192, 20 },
		/* INT8 1020 rows of K 352: 351 KiB of A, 32 MiB of C */
		{ DRM_ROCKET_MATMUL_INT8_INT32, 352, 1020 },
		/* FP16 1020 rows of K 176 (rounded to 160): the most FP16 rows */
		{ DRM_ROCKET_MATMUL_FP16_FP32, 160, 1020 },
		/* INT8 K 8192: 44 rows: the most MACs a task issues */
		{ DRM_ROCKET_MATMUL_INT8_INT32, 8192, 44 },
	};
	u64 max_ns = ROCKET_MATMUL_MAX_TASK_NS, budget = ROCKET_MATMUL_JOB_BUDGET_NS;
	unsigned int i;

	KUNIT_EXPECT_LE(test, max_ns, budget);
	for (i = 0; i < ARRAY_SIZE(big); i++) {
		struct rocket_matmul_shape s = {
			.type = big[i].type, .m = big[i].m, .k = big[i].k,
			.n = ROCKET_MATMUL_MAX_TASK_N, .core_mask = 1,
		};
		struct rocket_matmul_task t = {
			.m = big[i].m, .n = ROCKET_MATMUL_MAX_TASK_N, .data_banks = 11,
		};
		u64 ns = rocket_matmul_task_ns(&s, &t);

		KUNIT_EXPECT_LE(test, (u64)t.m * s.k * rocket_matmul_in_bytes(s.type),
				(u64)(ROCKET_MATMUL_CBUF_BANKS - 1) * ROCKET_MATMUL_CBUF_BANK_SIZE);
		KUNIT_EXPECT_LE(test, ns, max_ns);
		/* the bound is not loose: the largest task reaches 4/5 of it */
		if (i == 0)
			KUNIT_EXPECT_GT(test, ns * 5, max_ns * 4);
	}
}

struct run_case {
	const char *name;
	u32 type, m, k, n;
	u32 tasks;		/* expected tasks on the core */
	u32 run_tasks;		/* expected tasks per run */
	u32 runs;		/* expected runs */
};

/*
 * One core. M = 1 FP16 to FP32 with N = 16384 is two tasks of 8192 columns
 * that each stream their kernels: 16386 * K + 33776 bytes, 1 ns a byte,
 * plus the 100 us gap. Two fit 250 ms up to K = 7616 (249.86 ms); at
 * K = 7648 they take 250.91 ms and become two runs.
 *
 * INT8 4096 x 32 x 32 is 5 tasks of 820 rows; 180224 x 8192 x 32 needs all
 * 4096 tasks (44 rows of K 8192 each, kernels streamed: 629232 bytes and
 * the gap, 729232 ns), 342 to a run: 12 runs.
 */
static const struct run_case run_cases[] = {
	{ "two tasks just under the budget", DRM_ROCKET_MATMUL_FP16_FP32, 1, 7616, 16384,
	  2, 2, 1 },
	{ "two tasks just over the budget", DRM_ROCKET_MATMUL_FP16_FP32, 1, 7648, 16384,
	  2, 1, 2 },
	{ "largest K, one task a run", DRM_ROCKET_MATMUL_FP16_FP32, 1, 8192, 8192 * 5,
	  5, 1, 5 },
	{ "small product, one run", DRM_ROCKET_MATMUL_INT8_INT32, 4096, 32, 32, 5, 5, 1 },
	{ "4096 tasks on one core", DRM_ROCKET_MATMUL_INT8_INT32, 180224, 8192, 32,
	  4096, 342, 12 },
};

static void run_case_desc(const struct run_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(run, run_cases, run_case_desc);

static void rocket_matmul_runs_test(struct kunit *test)
{
	const struct run_case *c = test->param_value;
	struct rocket_matmul_shape shape = {
		.type = c->type, .m = c->m, .k = c->k, .n = c->n,
		.a_addr = 0x1000, .b_addr = 0x40000000, .c_addr = 0x80000000,
		.core_mask = 1,
	};
	struct rocket_matmul_plan *plan;
	const char *reason = NULL;

	plan = kunit_kzalloc(test, sizeof(*plan), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, plan);
	KUNIT_ASSERT_EQ(test, rocket_matmul_plan(&shape, plan, &reason), 0);
	KUNIT_ASSERT_EQ(test, plan->job_count, 1);
	KUNIT_EXPECT_EQ(test, plan->task_count, c->tasks);
	KUNIT_EXPECT_EQ(test, plan->jobs[0].run_tasks, c->run_tasks);
	KUNIT_EXPECT_EQ(test, plan->jobs[0].runs, c->runs);
	KUNIT_EXPECT_EQ(test, plan->run_count, c->runs);
	check_plan(test, plan);
	check_runs(test, plan);
}

/*
 * Resident weights cut by a run: the first task of every run loads the
 * weights again (another client's job may have run on the core between two
 * runs), the others of the column slice reuse them.
 */
static void rocket_matmul_run_reloads_weights_test(struct kunit *test)
{
	/* INT8 K 8192, 8 kernels resident: 16 rows a task, 2048 row slices */
	struct rocket_matmul_shape shape = {
		.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = 16 * 2048, .k = 8192, .n = 32,
		.a_addr = 0x1000, .b_addr = 0x40000000, .c_addr = 0x80000000,
		.core_mask = 1,
	};
	struct rocket_matmul_plan *plan;
	struct rocket_matmul_task t;
	const char *reason = NULL;
	u32 i, loads = 0;

	plan = kunit_kzalloc(test, sizeof(*plan), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, plan);
	KUNIT_ASSERT_EQ(test, rocket_matmul_plan(&shape, plan, &reason), 0);
	KUNIT_ASSERT_TRUE(test, plan->jobs[0].weight_reuse);
	KUNIT_ASSERT_GT(test, plan->jobs[0].runs, 1);
	for (i = 0; i < plan->jobs[0].task_count; i++) {
		rocket_matmul_get_task(plan, 0, i, &t);
		loads += !t.weight_reuse;
	}
	/* one load a column slice and a run: here one column slice */
	KUNIT_EXPECT_EQ(test, plan->jobs[0].col_slices, 1);
	KUNIT_EXPECT_EQ(test, loads, plan->jobs[0].runs);
	check_runs(test, plan);
}

/* ---------------------------------------------------------------------- */
/* Encoder: one task against the reference register table                   */

struct field {
	u32 target;
	u32 reg;
	u32 value;
};

static s64 entry_value(const u64 *e, int count, u32 target, u32 reg)
{
	int i;

	for (i = count - 1; i >= 0; i--)
		if ((e[i] >> 48) == target && (e[i] & 0xffff) == reg)
			return (e[i] >> 16) & 0xffffffff;
	return -1;
}

static void check_fields(struct kunit *test, const struct rocket_matmul_shape *s,
			 const struct rocket_matmul_task *t, const struct field *f, int count)
{
	u64 *e = kunit_kcalloc(test, ROCKET_MATMUL_TASK_ENTRIES, sizeof(*e), GFP_KERNEL);
	int n, i;

	KUNIT_ASSERT_NOT_NULL(test, e);
	n = rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_TASK_ENTRIES);
	KUNIT_ASSERT_EQ(test, n, ROCKET_MATMUL_TASK_ENTRIES);
	for (i = 0; i < count; i++)
		KUNIT_EXPECT_EQ_MSG(test, entry_value(e, n, f[i].target, f[i].reg),
				    (s64)f[i].value, "register 0x%04x", f[i].reg);

	/* the tail: PC_BASE_ADDRESS 0, PC_REGISTER_AMOUNTS 0, marker, enable */
	KUNIT_EXPECT_EQ(test, e[n - 4], (u64)0x0101 << 48 | REG_PC_BASE_ADDRESS);
	KUNIT_EXPECT_EQ(test, e[n - 3], (u64)0x0101 << 48 | REG_PC_REGISTER_AMOUNTS);
	KUNIT_EXPECT_EQ(test, e[n - 2], (u64)0x0041 << 48);
	KUNIT_EXPECT_EQ(test, e[n - 1], (u64)0x0081 << 48 |
			(u64)ROCKET_MATMUL_OP_ENABLE << 16 | REG_PC_OPERATION_ENABLE);
	KUNIT_EXPECT_EQ(test, rocket_matmul_encode_task(s, t, e, n - 1), -ENOSPC);
}

/* INT8 8 x 64 x 32, one task: every register of the reference table. */
static void rocket_matmul_encode_int8_test(struct kunit *test)
{
	const struct rocket_matmul_shape s = {
		.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = 8, .k = 64, .n = 32,
		.a_addr = 0x100000, .b_addr = 0x200000, .c_addr = 0x300000, .core_mask = 1,
	};
	const struct rocket_matmul_task t = { .m = 8, .n = 32, .data_banks = 1 };
	const struct field f[] = {
		{ TGT_DPU, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
		  DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1) },
		{ TGT_CNA, REG_CNA_CONV_CON1, 0 },
		{ TGT_CNA, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(8 + 1) },
		{ TGT_CNA, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
		  CNA_CONV_CON3_CONV_Y_STRIDE(1) },
		{ TGT_CNA, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
		  CNA_DATA_SIZE0_DATAIN_HEIGHT(8) },
		{ TGT_CNA, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(63) |
		  CNA_DATA_SIZE1_DATAIN_CHANNEL(64) },
		{ TGT_CNA, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1) },
		{ TGT_CNA, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(8) },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE0, 64 * 32 },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(64) },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
		  CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(32) },
		{ TGT_CNA, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_BANK(11) |
		  CNA_CBUF_CON0_DATA_BANK(1) },
		{ TGT_CNA, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(1) },
		{ TGT_CNA, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) |
		  CNA_CVT_CON0_CVT_TYPE(1) | CNA_CVT_CON0_CVT_BYPASS(1) },
		{ TGT_CNA, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1) },
		{ TGT_CNA, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1) },
		{ TGT_CNA, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1) },
		{ TGT_CNA, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1) },
		{ TGT_CNA, REG_CNA_FEATURE_DATA_ADDR, 0x100000 },
		{ TGT_CNA, REG_CNA_DCOMP_ADDR0, 0x200000 },
		{ TGT_CNA, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
		  CNA_DMA_CON0_DATA_BURST_LEN(15) },
		{ TGT_CNA, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4) },
		{ TGT_CNA, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(4 * (8 / 4 - 1)) },
		{ TGT_CNA, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
		  CNA_FC_DATA_SIZE0_DMA_HEIGHT(8) },
		{ TGT_CNA, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(64) },
		{ TGT_CORE, REG_CORE_MISC_CFG, 0 },
		{ TGT_CORE, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(7) },
		{ TGT_CORE, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(31) },
		{ TGT_DPU, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
		  DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) },
		{ TGT_DPU, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(4) },
		{ TGT_DPU, REG_DPU_DST_BASE_ADDR, 0x300000 },
		{ TGT_DPU, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(8) },
		{ TGT_DPU, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(7) },
		{ TGT_DPU, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(31) |
		  DPU_DATA_CUBE_CHANNEL_CHANNEL(31) },
		{ TGT_DPU, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) |
		  DPU_BS_CFG_BS_MUL_BYPASS(1) | DPU_BS_CFG_BS_ALU_BYPASS(1) |
		  DPU_BS_CFG_BS_BYPASS(1) },
		{ TGT_DPU, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) |
		  DPU_BN_CFG_BN_MUL_BYPASS(1) | DPU_BN_CFG_BN_ALU_BYPASS(1) |
		  DPU_BN_CFG_BN_BYPASS(1) },
		{ TGT_DPU, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) |
		  DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
		  DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1) },
		{ TGT_DPU, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(7) |
		  DPU_BS_OW_CFG_SIZE_E_1(7) | DPU_BS_OW_CFG_SIZE_E_0(7) |
		  DPU_BS_OW_CFG_OD_BYPASS(1) },
		{ TGT_CORE, 0x3030, 0 },
		{ TGT_DPU, 0x40c4, 0 },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(31) },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(7) },
		{ TGT_DPU, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) },
		{ TGT_DPU, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(8 * 8) },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_S_POINTER,
		  DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
		  DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
		  DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1) },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_ERDMA_CFG,
		  DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1) },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		  DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1) },
	};

	check_fields(test, &s, &t, f, ARRAY_SIZE(f));
}

/* FP16 -> FP16 8 x 64 x 32, the task of rows 4.. and columns 16.., reusing weights. */
static void rocket_matmul_encode_fp16_test(struct kunit *test)
{
	const struct rocket_matmul_shape s = {
		.type = DRM_ROCKET_MATMUL_FP16_FP16, .m = 8, .k = 64, .n = 32,
		.a_addr = 0x100000, .b_addr = 0x200000, .c_addr = 0x300000, .core_mask = 1,
	};
	const struct rocket_matmul_task t = {
		.m0 = 4, .m = 4, .n0 = 16, .n = 16, .data_banks = 1, .weight_reuse = true,
	};
	const struct field f[] = {
		{ TGT_CNA, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(2) |
		  CNA_CONV_CON1_IN_PRECISION(2) },
		{ TGT_CNA, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(4 + 1) },
		{ TGT_CNA, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
		  CNA_DATA_SIZE0_DATAIN_HEIGHT(4) },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE0, 64 * 16 * 2 },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(128) },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
		  CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(16) },
		{ TGT_CNA, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_REUSE(1) |
		  CNA_CBUF_CON0_WEIGHT_BANK(11) | CNA_CBUF_CON0_DATA_BANK(1) },
		{ TGT_CNA, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(2) },
		/* A + row 4 * 16 bytes; B + 16 kernels * 128 bytes; C + surface 2 + row 4 */
		{ TGT_CNA, REG_CNA_FEATURE_DATA_ADDR, 0x100000 + 4 * 16 },
		{ TGT_CNA, REG_CNA_DCOMP_ADDR0, 0x200000 + 16 * 128 },
		{ TGT_DPU, REG_DPU_DST_BASE_ADDR, 0x300000 + 2 * 8 * 16 + 4 * 16 },
		/* strides from the whole M */
		{ TGT_CNA, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(4) },
		{ TGT_DPU, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(8) },
		{ TGT_CORE, REG_CORE_MISC_CFG, CORE_MISC_CFG_PROC_PRECISION(2) |
		  CORE_MISC_CFG_QD_EN(1) },
		{ TGT_CORE, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(3) },
		{ TGT_CORE, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(15) },
		{ TGT_DPU, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(2) |
		  DPU_DATA_FORMAT_IN_PRECISION(2) | DPU_DATA_FORMAT_PROC_PRECISION(2) },
		{ TGT_DPU, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(1) |
		  DPU_BS_OW_CFG_SIZE_E_1(1) | DPU_BS_OW_CFG_SIZE_E_0(1) |
		  DPU_BS_OW_CFG_OD_BYPASS(1) },
		{ TGT_CORE, 0x3030, 0 },
		{ TGT_DPU, 0x40c4, 0 },
		{ TGT_DPU, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) |
		  DPU_OUT_CVT_SCALE_FP32TOFP16_EN(1) },
		{ TGT_DPU, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(8 * 2) },
		{ TGT_DPU, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(3) },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(15) },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(3) },
	};

	check_fields(test, &s, &t, f, ARRAY_SIZE(f));
}

/*
 * Split K, INT8 132 x 16416 x 64: three segments of 5472 (16416 / 3 is a
 * multiple of 32), C at 0x300000, scratch planes of 132 * 64 * 4 = 33792
 * bytes at 0x400000 and 0x408400. Buffers in turn (C 0, planes 1 and 2):
 * partial 0 to plane 2, 1 to C, add 1 plane 2 + C -> plane 1, partial 2 to
 * plane 2, add 2 plane 1 + plane 2 -> C.
 */
static const struct rocket_matmul_shape split_shape = {
	.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = 132, .k = 16416, .n = 64,
	.a_addr = 0x100000, .b_addr = 0x200000, .c_addr = 0x300000, .core_mask = 1,
	.segments = 3, .seg_k = 5472, .scratch_addr = 0x400000,
};

/* The last segment's matmul task of rows 128.., columns 32..: A, B, C moved. */
static void rocket_matmul_encode_segment_test(struct kunit *test)
{
	const struct rocket_matmul_task t = {
		.m0 = 128, .m = 4, .n0 = 32, .n = 32, .data_banks = 1, .seg = 2,
	};
	const struct field f[] = {
		{ TGT_CNA, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(5471) |
		  CNA_DATA_SIZE1_DATAIN_CHANNEL(5472) },
		{ TGT_CNA, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(5472) },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE0, 5472 * 32 },
		{ TGT_CNA, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(5472) },
		{ TGT_CNA, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(86) },
		/* A: k0 10944 is surface 684 of 132 rows of 16 bytes, then row 128 */
		{ TGT_CNA, REG_CNA_FEATURE_DATA_ADDR, 0x100000 + 684 * 132 * 16 + 128 * 16 },
		/* B: segments 0 and 1 (10944 x 64 bytes), then 32 kernels of 5472 */
		{ TGT_CNA, REG_CNA_DCOMP_ADDR0, 0x200000 + 10944 * 64 + 32 * 5472 },
		/* C: plane 2, surface 8 (columns 32..35) of 132 rows, row 128 */
		{ TGT_DPU, REG_DPU_DST_BASE_ADDR, 0x408400 + 8 * 132 * 16 + 128 * 16 },
		{ TGT_CNA, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(132 - 4) },
		{ TGT_DPU, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(132) },
		{ TGT_DPU, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(4) },
	};

	check_fields(test, &split_shape, &t, f, ARRAY_SIZE(f));
}

/*
 * Add 1 of the split product, rows 64..131 (68: a second add row tile),
 * columns 32..63: every field of the DPU-only INT32 add.
 */
static void rocket_matmul_encode_add_test(struct kunit *test)
{
	const struct rocket_matmul_task t = {
		.m0 = 64, .m = 68, .n0 = 32, .n = 32, .kind = ROCKET_MATMUL_TASK_ADD, .seg = 1,
	};
	/* surface 8 of 132 rows, row 64 */
	const u32 at = 8 * 132 * 16 + 64 * 16;
	const struct field f[] = {
		{ TGT_DPU, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
		  DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1) },
		{ TGT_DPU, REG_DPU_FEATURE_MODE_CFG, 0x1e5 },
		{ TGT_DPU, REG_DPU_DATA_FORMAT, 4u << 29 | 4u << 26 | 4 },
		{ TGT_DPU, REG_DPU_OFFSET_PEND, 0 },
		{ TGT_DPU, REG_DPU_DST_BASE_ADDR, 0x400000 + at },
		{ TGT_DPU, REG_DPU_DST_SURF_STRIDE, 132 * 16 },
		{ TGT_DPU, REG_DPU_DATA_CUBE_WIDTH, 67 },
		{ TGT_DPU, REG_DPU_DATA_CUBE_HEIGHT, 0 },
		{ TGT_DPU, REG_DPU_DATA_CUBE_NOTCH_ADDR, 0 },
		{ TGT_DPU, REG_DPU_DATA_CUBE_CHANNEL, 31 << 16 | 31 },
		{ TGT_DPU, REG_DPU_BS_CFG, 0x53 },
		{ TGT_DPU, REG_DPU_BS_ALU_CFG, 0 },
		{ TGT_DPU, REG_DPU_BS_MUL_CFG, 0 },
		{ TGT_DPU, REG_DPU_BS_OW_CFG, 0x2 },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_0, 31 },
		{ TGT_DPU, REG_DPU_WDMA_SIZE_1, 67 },
		{ TGT_DPU, REG_DPU_BN_CFG, 0x53 },
		{ TGT_DPU, REG_DPU_EW_CFG, 0x10c203c0 },
		{ TGT_DPU, REG_DPU_EW_CVT_OFFSET_VALUE, 0 },
		{ TGT_DPU, REG_DPU_EW_CVT_SCALE_VALUE, 1 },
		{ TGT_DPU, REG_DPU_OUT_CVT_OFFSET, 0 },
		{ TGT_DPU, REG_DPU_OUT_CVT_SCALE, 1 },
		{ TGT_DPU, REG_DPU_OUT_CVT_SHIFT, 0 },
		{ TGT_DPU, REG_DPU_EW_OP_VALUE_0, 0 },
		{ TGT_DPU, REG_DPU_SURFACE_ADD, 132 * 16 },
		{ TGT_DPU, 0x40c4, 0 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_S_POINTER, 0xe },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, 67 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, 0 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, 31 },
		/* sum in plane 2, partial in C */
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, 0x408400 + at },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_BRDMA_CFG, 0 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_NRDMA_CFG, 0 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_ERDMA_CFG, 0x4000000c },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0x300000 + at },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, 68 * 16 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, 0x27881 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_SRC_DMA_CFG, 0 },
		/* 132 - 68 rows skipped between two surfaces of the tile */
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_SURF_NOTCH, 64 * 16 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 64 * 16 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_PAD_CFG, 0 },
		{ TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_WEIGHT, 0x01010101 },
	};
	u64 *e = kunit_kcalloc(test, ROCKET_MATMUL_ADD_ENTRIES, sizeof(*e), GFP_KERNEL);
	int n, i, other = 0;

	KUNIT_ASSERT_NOT_NULL(test, e);
	KUNIT_EXPECT_EQ(test, rocket_matmul_task_entries(&t), ROCKET_MATMUL_ADD_ENTRIES);
	n = rocket_matmul_encode_task(&split_shape, &t, e, ROCKET_MATMUL_ADD_ENTRIES);
	KUNIT_ASSERT_EQ(test, n, ROCKET_MATMUL_ADD_ENTRIES);
	for (i = 0; i < (int)ARRAY_SIZE(f); i++)
		KUNIT_EXPECT_EQ_MSG(test, entry_value(e, n, f[i].target, f[i].reg),
				    (s64)f[i].value, "register 0x%04x", f[i].reg);
	/* DPU and DPU_RDMA only: CNA and CORE are not enabled */
	for (i = 0; i < n - 4; i++)
		if ((e[i] >> 48) != TGT_DPU && (e[i] >> 48) != TGT_DPU_RDMA)
			other++;
	KUNIT_EXPECT_EQ(test, other, 0);
	KUNIT_EXPECT_EQ(test, e[n - 4], (u64)0x0101 << 48 | REG_PC_BASE_ADDRESS);
	KUNIT_EXPECT_EQ(test, e[n - 3], (u64)0x0101 << 48 | REG_PC_REGISTER_AMOUNTS);
	KUNIT_EXPECT_EQ(test, e[n - 2], (u64)0x0041 << 48);
	KUNIT_EXPECT_EQ(test, e[n - 1], (u64)0x0081 << 48 | (u64)0x18 << 16 |
			REG_PC_OPERATION_ENABLE);
	KUNIT_EXPECT_EQ(test, rocket_matmul_encode_task(&split_shape, &t, e, n - 1), -ENOSPC);
}

/* The last add writes C, reading plane 1 (sum) and plane 2 (partial 2). */
static void rocket_matmul_last_add_test(struct kunit *test)
{
	u32 sum, part, out;

	rocket_matmul_add_addrs(&split_shape, 2, &sum, &part, &out);
	KUNIT_EXPECT_EQ(test, sum, 0x400000);
	KUNIT_EXPECT_EQ(test, part, 0x408400);
	KUNIT_EXPECT_EQ(test, out, 0x300000);
}

static struct kunit_case rocket_matmul_test_cases[] = {
	KUNIT_CASE_PARAM(rocket_matmul_validate_test, validate_gen_params),
	KUNIT_CASE_PARAM(rocket_matmul_plan_test, plan_gen_params),
	KUNIT_CASE(rocket_matmul_largest_task_test),
	KUNIT_CASE_PARAM(rocket_matmul_runs_test, run_gen_params),
	KUNIT_CASE(rocket_matmul_run_reloads_weights_test),
	KUNIT_CASE(rocket_matmul_encode_int8_test),
	KUNIT_CASE(rocket_matmul_encode_fp16_test),
	KUNIT_CASE(rocket_matmul_encode_segment_test),
	KUNIT_CASE(rocket_matmul_encode_add_test),
	KUNIT_CASE(rocket_matmul_last_add_test),
	{}
};

static struct kunit_suite rocket_matmul_test_suite = {
	.name = "rocket_matmul",
	.test_cases = rocket_matmul_test_cases,
};

kunit_test_suite(rocket_matmul_test_suite);
