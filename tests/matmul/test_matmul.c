// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host tests of the matmul validation, planner and encoder
 * (drivers/accel/rocket/rocket_matmul.c), with the plans run on the software
 * NPU model (rocket_sim_model.c). One line per test, "PASS name" or
 * "FAIL name: why", then "N passed, N failed".
 *
 * Results are compared exactly: INT8 sums are exact, and the FP16 data are
 * chosen so that a double sums them exactly, so the reference is the exact
 * sum rounded once to FP32 or FP16 (to nearest, ties to even) - which is
 * what the model computes (it accumulates FP16 products exactly in a wide
 * integer and rounds once). The bound is therefore 0 ulp against the model;
 * silicon's accumulation precision is undocumented and may differ in the
 * last place.
 *
 * Shapes whose M * N * K is at most FULL_MACS run on the model and C is
 * compared element by element; larger ones are validated, planned, and every
 * task's command list is checked, but not executed (the model runs at a few
 * hundred million MACs a second). The Qwen2.5-1.5B GEMMs run in full at
 * M = 1 (lm_head in INT8 only, to bound memory) and, at M = 512, the K/V
 * projections; the others are checked as plans.
 */

#include "mm_host.h"
#include "../../tools/testing/selftests/rocket/rocket_matmul_layout.h"

#define FULL_MACS	(1ull << 25)

static uint64_t elements_compared, tasks_run, full_shapes, plan_shapes;

/* ---------------------------------------------------------------------- */
/* Validation                                                               */

struct vcase {
	const char *name;
	struct drm_rocket_matmul args;
	struct rocket_matmul_bos bos;
	uint32_t cores;
	int err;
	const char *reason;	/* substring of the reason */
};

/* INT8 4 x 32 x 32 in three BOs of exactly the right size. */
static struct vcase base_case(const char *name)
{
	struct vcase v = {
		.name = name,
		.args = {
			.a_handle = 1, .b_handle = 2, .c_handle = 3,
			.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = 4, .k = 32, .n = 32,
		},
		.bos = {
			.a = { .size = 128, .npu_addr = 0x10000000 },
			.b = { .size = 1024, .npu_addr = 0x10001000 },
			.c = { .size = 512, .npu_addr = 0x10002000 },
		},
		.cores = 3,
		.err = 0,
		.reason = "ok",
	};
	return v;
}

static const char *run_vcase(const struct vcase *v)
{
	struct rocket_matmul_shape shape;
	const char *reason = NULL;
	int err = rocket_matmul_validate(&v->args, &v->bos, v->cores, &shape, &reason);

	if (!reason)
		return pc_fail("no reason given (errno %d)", err);
	if (err != v->err)
		return pc_fail("errno %d (%s), want %d", err, reason, v->err);
	if (!strstr(reason, v->reason))
		return pc_fail("reason \"%s\", want \"%s\"", reason, v->reason);
	return NULL;
}

static void validation_tests(void)
{
	struct vcase v;
	char name[96];

#define VCASE(nm, edit, e, why) do {					\
		v = base_case(nm);					\
		edit;							\
		v.err = e;						\
		v.reason = why;						\
		snprintf(name, sizeof(name), "validate_%s", v.name);	\
		report(name, run_vcase(&v));				\
	} while (0)

	VCASE("ok", (void)0, 0, "ok");
	VCASE("pad", v.args.pad = 1, -EINVAL, "reserved");
	VCASE("reserved0", v.args.reserved[0] = 1, -EINVAL, "reserved");
	VCASE("reserved1", v.args.reserved[1] = 1ull << 63, -EINVAL, "reserved");
	VCASE("flag_unknown", v.args.flags = 2, -EINVAL, "unknown flag");
	VCASE("flag_high", v.args.flags = 1u << 31, -EINVAL, "unknown flag");
	VCASE("type_zero", v.args.type = 0, -EINVAL, "unknown type");
	VCASE("type_4", v.args.type = 4, -EINVAL, "unknown type");
	VCASE("mask_without_flag", v.args.core_mask = 1, -EINVAL, "without");
	VCASE("mask_empty", v.args.flags = DRM_ROCKET_MATMUL_CORE_MASK, -EINVAL, "no core");
	VCASE("mask_core3", (v.args.flags = DRM_ROCKET_MATMUL_CORE_MASK, v.args.core_mask = 8),
	      -EINVAL, "does not have");
	VCASE("mask_core2_of_2", (v.args.flags = DRM_ROCKET_MATMUL_CORE_MASK,
				  v.args.core_mask = 4, v.cores = 2), -EINVAL, "does not have");
	VCASE("mask_core2", (v.args.flags = DRM_ROCKET_MATMUL_CORE_MASK, v.args.core_mask = 4),
	      0, "ok");
	VCASE("cores_zero", v.cores = 0, -EINVAL, "core count");
	VCASE("cores_four", v.cores = 4, -EINVAL, "core count");
	VCASE("m_zero", v.args.m = 0, -EINVAL, "non-zero");
	VCASE("k_zero", v.args.k = 0, -EINVAL, "non-zero");
	VCASE("n_zero", v.args.n = 0, -EINVAL, "non-zero");
	VCASE("k_16", v.args.k = 16, -EINVAL, "K must be");
	VCASE("k_48", v.args.k = 48, -EINVAL, "K must be");
	VCASE("n_16_int8", v.args.n = 16, -EINVAL, "N must be");
	VCASE("n_16_fp16", (v.args.n = 16, v.args.type = DRM_ROCKET_MATMUL_FP16_FP32,
			    v.bos.a.size = 256), 0, "ok");
	VCASE("n_8_fp16", (v.args.n = 8, v.args.type = DRM_ROCKET_MATMUL_FP16_FP16), -EINVAL,
	      "N must be");
	VCASE("m_2", v.args.m = 2, -EINVAL, "M must be");
	VCASE("m_6", v.args.m = 6, -EINVAL, "M must be");
	VCASE("m_1", v.args.m = 1, 0, "ok");
	VCASE("k_8192", (v.args.k = 8192, v.bos.a.size = 4 * 8192, v.bos.b.size = 32 * 8192,
			 v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000), 0, "ok");
	VCASE("k_8224_int8_split", (v.args.k = 8224, v.bos.a.size = 1 << 20,
				    v.bos.b.size = 1 << 20, v.bos.b.npu_addr = 0x20000000,
				    v.bos.c.npu_addr = 0x30000000), 0, "ok");
	VCASE("k_8224_fp16_fp32", (v.args.k = 8224, v.args.type = DRM_ROCKET_MATMUL_FP16_FP32,
				   v.bos.a.size = 1 << 20, v.bos.b.size = 1 << 20,
				   v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000,
				   v.bos.c.size = 1024), -E2BIG, "only for INT8");
	VCASE("k_8224_fp16_fp16", (v.args.k = 8224, v.args.type = DRM_ROCKET_MATMUL_FP16_FP16,
				   v.bos.a.size = 1 << 20, v.bos.b.size = 1 << 20,
				   v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000),
	      -E2BIG, "only for INT8");
	VCASE("k_65536", (v.args.k = 65536, v.bos.a.size = 1 << 20, v.bos.b.size = 1 << 22,
			  v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000), 0, "ok");
	VCASE("k_65568", (v.args.k = 65568, v.bos.a.size = 1 << 20, v.bos.b.size = 1 << 22,
			  v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000),
	      -E2BIG, "K above 65536");
	VCASE("k_split_scratch_max", (v.args.k = 8224, v.args.m = 2048, v.args.n = 4096,
				      v.bos.a.size = 64 << 20, v.bos.b.size = 64 << 20,
				      v.bos.c.size = 32 << 20, v.bos.a.npu_addr = 0x10000000,
				      v.bos.b.npu_addr = 0x20000000, v.bos.c.npu_addr = 0x30000000),
	      0, "ok");
	VCASE("k_split_scratch_above", (v.args.k = 8224, v.args.m = 2052, v.args.n = 4096,
					v.bos.a.size = 64 << 20, v.bos.b.size = 64 << 20,
					v.bos.c.size = 64 << 20, v.bos.a.npu_addr = 0x10000000,
					v.bos.b.npu_addr = 0x20000000,
					v.bos.c.npu_addr = 0x30000000), -E2BIG, "64 MiB");
	VCASE("k_huge", v.args.k = 0xffffffe0u, -E2BIG, "K above 65536");
	VCASE("m_max", (v.args.m = 1u << 24, v.bos.a.size = 32ull << 24,
			v.bos.b.size = 1024, v.bos.c.size = 128ull << 24,
			v.bos.c.npu_addr = 0x40000000), 0, "ok");
	VCASE("m_above_max", v.args.m = (1u << 24) + 4, -E2BIG, "M above");
	VCASE("n_above_max", v.args.n = (1u << 24) + 32, -E2BIG, "N above");
	VCASE("m_huge", v.args.m = 0xfffffffcu, -E2BIG, "M above");
	VCASE("a_fits_exactly", (v.args.a_offset = 64, v.bos.a.size = 192), 0, "ok");
	VCASE("a_one_byte_short", (v.args.a_offset = 64, v.bos.a.size = 191), -EINVAL,
	      "A does not fit");
	VCASE("b_short", v.bos.b.size = 1008, -EINVAL, "B does not fit");
	VCASE("c_short", v.bos.c.size = 496, -EINVAL, "C does not fit");
	VCASE("a_offset_overflow", v.args.a_offset = ~0ull - 15, -EINVAL, "A does not fit");
	VCASE("b_offset_overflow", v.args.b_offset = ~0ull - 1023, -EINVAL, "B does not fit");
	VCASE("c_offset_overflow", v.args.c_offset = ~0ull, -EINVAL, "C does not fit");
	VCASE("a_misaligned", (v.args.a_offset = 8, v.bos.a.size = 256), -EINVAL,
	      "A not 16-byte");
	VCASE("b_misaligned", (v.args.b_offset = 4, v.bos.b.size = 2048), -EINVAL,
	      "B not 16-byte");
	VCASE("c_misaligned", (v.args.c_offset = 1, v.bos.c.size = 1024), -EINVAL,
	      "C not 16-byte");
	VCASE("c_bo_misaligned", v.bos.c.npu_addr = 0x10002008, -EINVAL, "C not 16-byte");
	VCASE("a_ends_at_4g", v.bos.a.npu_addr = 0xffffff80ull, 0, "ok");
	VCASE("a_crosses_4g", v.bos.a.npu_addr = 0xffffff90ull, -EINVAL, "A not below 4 GiB");
	VCASE("b_above_4g", v.bos.b.npu_addr = 0x100000000ull, -EINVAL, "B not below 4 GiB");
	VCASE("c_addr_overflow", (v.bos.c.npu_addr = ~0ull - 255, v.bos.c.size = 1024),
	      -EINVAL, "C not below 4 GiB");
	VCASE("c_is_a", (v.args.c_handle = 1, v.bos.a.size = 512, v.bos.c = v.bos.a), -EINVAL,
	      "C overlaps A");
	VCASE("c_after_a_same_bo", (v.args.c_handle = 1, v.bos.a.size = 640,
				    v.bos.c = v.bos.a, v.args.c_offset = 128), 0, "ok");
	VCASE("c_last_byte_on_a", (v.args.c_handle = 1, v.bos.a.size = 640,
				   v.bos.c = v.bos.a, v.args.c_offset = 112), -EINVAL,
	      "C overlaps A");
	VCASE("c_before_b_same_bo", (v.args.c_handle = 2, v.bos.b.size = 2048,
				     v.bos.c = v.bos.b, v.args.b_offset = 512), 0, "ok");
	VCASE("c_on_b_same_bo", (v.args.c_handle = 2, v.bos.b.size = 2048,
				 v.bos.c = v.bos.b, v.args.b_offset = 496), -EINVAL,
	      "C overlaps B");
	VCASE("a_is_b", (v.args.b_handle = 1, v.bos.b = v.bos.a, v.bos.b.size = 1024), 0, "ok");
	VCASE("adjacent_bos", v.bos.c.npu_addr = 0x10001400, 0, "ok");
	VCASE("aliased_bos", v.bos.c.npu_addr = 0x100013f0, -EINVAL, "C overlaps B");
#undef VCASE
}

/* ---------------------------------------------------------------------- */
/* Planner                                                                  */

static const char *plan_of(uint32_t type, uint32_t m, uint32_t k, uint32_t n, uint32_t mask,
			   struct rocket_matmul_plan *p, int want_err)
{
	struct rocket_matmul_shape s = {
		.type = type, .m = m, .k = k, .n = n,
		.a_addr = 0x1000, .b_addr = 0x1000 + m * k * 2, .c_addr = 0x80000000u,
		.core_mask = mask,
	};
	const char *reason = NULL;
	int err = rocket_matmul_plan(&s, p, &reason);

	if (err != want_err)
		return pc_fail("plan errno %d (%s), want %d", err, reason, want_err);
	if (err)
		return NULL;
	return pc_check_plan(&s, p, true, NULL);
}

static void planner_tests(void)
{
	struct rocket_matmul_plan p;
	const char *why;
	uint32_t j;

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, 7, &p, 0);
	if (!why && (p.job_count != 1 || p.task_count != 1))
		why = pc_fail("%u jobs %u tasks, want one task", p.job_count, p.task_count);
	report("plan_smallest_one_task", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 1, 1536, 8960, 7, &p, 0);
	if (!why && (p.job_count != 3 || p.task_count != 3))
		why = pc_fail("%u jobs %u tasks, want 3 and 3", p.job_count, p.task_count);
	report("plan_decode_three_cores_one_task_each", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 1, 1536, 8960, 1, &p, 0);
	if (!why && (p.job_count != 1 || p.task_count != 2))
		why = pc_fail("%u jobs %u tasks, want 1 and 2 (N <= 8192 a task)",
			      p.job_count, p.task_count);
	report("plan_core_mask_one_core", why);

	why = plan_of(DRM_ROCKET_MATMUL_FP16_FP16, 512, 1536, 1536, 5, &p, 0);
	if (!why && p.job_count != 2)
		why = pc_fail("%u jobs for a two-core mask", p.job_count);
	report("plan_core_mask_two_cores", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 64, 7, &p, 0);
	if (!why && p.job_count != 2)
		why = pc_fail("%u jobs for two kernel groups", p.job_count);
	report("plan_fewer_parts_than_cores", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 8, 32, 32, 7, &p, 0);
	if (!why && p.job_count != 2)
		why = pc_fail("%u jobs for 2 x 1 parts on 3 cores", p.job_count);
	report("plan_no_grid_for_three", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 2048, 32, 3072, 7, &p, 0);
	for (j = 0; !why && j < p.job_count; j++)
		if (!p.jobs[j].weight_reuse && p.jobs[j].row_slices > 1)
			why = pc_fail("job %u streams its weights %u times", j,
				      p.jobs[j].row_slices);
	report("plan_prefill_reuses_weights", why);

	why = plan_of(DRM_ROCKET_MATMUL_FP16_FP32, 1020, 8192, 8192, 7, &p, 0);
	report("plan_large_k_small_tiles", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 1u << 24, 32, 32, 7, &p, -E2BIG);
	report("plan_too_many_tasks", why);

	why = plan_of(DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, 0, &p, -EINVAL);
	report("plan_no_core", why);

	why = plan_of(DRM_ROCKET_MATMUL_FP16_FP16, 4096, 8192, 1024, 7, &p, 0);
	if (!why && p.task_count > ROCKET_MATMUL_MAX_TASKS)
		why = pc_fail("%u tasks", p.task_count);
	report("plan_many_row_slices", why);
}

/* ---------------------------------------------------------------------- */
/* Runs: the tasks of a core queued as several jobs within the budget        */

/* One core: tasks, tasks per run and runs of the plan of one product. */
static const char *runs_of(uint32_t type, uint32_t m, uint32_t k, uint32_t n,
			   uint32_t tasks, uint32_t run_tasks, uint32_t runs)
{
	static struct rocket_matmul_plan p;
	const char *why = plan_of(type, m, k, n, 1, &p, 0);

	if (!why && (p.job_count != 1 || p.task_count != tasks ||
		     p.jobs[0].run_tasks != run_tasks || p.jobs[0].runs != runs ||
		     p.run_count != runs))
		why = pc_fail("%u jobs, %u tasks, %u runs of %u; want %u tasks, %u runs of %u",
			      p.job_count, p.task_count, p.jobs[0].runs, p.jobs[0].run_tasks,
			      tasks, runs, run_tasks);
	return why;
}

/*
 * Unless @why already failed the case: check @t's plan, run it on the
 * model and compare C with the CPU's. Frees @t either way.
 */
static const char *run_and_compare(struct mm_case *t, const char *why)
{
	if (!why)
		why = pc_check_plan(&t->shape, &t->plan, true, NULL);
	if (!why)
		why = mm_run(t);
	if (!why)
		why = mm_compare(t, &elements_compared);
	tasks_run += t->kicks;
	full_shapes++;
	mm_free(t);
	return why;
}

/*
 * Run @type m x k x n on one model core, its core reset between two runs as
 * if another client's job ran there; with @run_tasks, runs of that many
 * tasks instead of the planner's. C must be exact.
 */
static const char *runs_on_model(uint32_t type, uint32_t m, uint32_t k, uint32_t n,
				 uint32_t run_tasks, uint32_t min_runs, bool want_reuse)
{
	static struct mm_case t;
	struct rocket_matmul_job *job;
	const char *reason, *why;
	int err;

	mm_setup(&t, type, m, k, n);
	t.shape.core_mask = 1;
	err = rocket_matmul_plan(&t.shape, &t.plan, &reason);
	why = err ? pc_fail("plan errno %d (%s)", err, reason) : NULL;
	job = &t.plan.jobs[0];
	if (!why && run_tasks) {
		job->run_tasks = run_tasks;
		job->runs = (job->task_count + run_tasks - 1) / run_tasks;
		t.plan.run_count = job->runs;
	}
	if (!why && job->runs < min_runs)
		why = pc_fail("%u runs, want at least %u", job->runs, min_runs);
	if (!why && job->weight_reuse != want_reuse)
		why = pc_fail("weight reuse %d, want %d", job->weight_reuse, want_reuse);
	return run_and_compare(&t, why);
}

static void run_tests(void)
{
	static const uint32_t lengths[] = { 1, 2, 5, 11 };
	char name[64];
	size_t i;

	/* two tasks streaming 8192 kernels each: 2 x 124.93 ms fit 250 ms */
	report("runs_two_tasks_just_under_budget",
	       runs_of(DRM_ROCKET_MATMUL_FP16_FP32, 1, 7616, 16384, 2, 2, 1));
	/* 2 x 125.45 ms do not */
	report("runs_two_tasks_just_over_budget",
	       runs_of(DRM_ROCKET_MATMUL_FP16_FP32, 1, 7648, 16384, 2, 1, 2));
	report("runs_small_product_one_run",
	       runs_of(DRM_ROCKET_MATMUL_INT8_INT32, 4096, 32, 32, 5, 5, 1));
	/* 4096 tasks of 729.232 us: 342 a run */
	report("runs_4096_tasks_on_one_core",
	       runs_of(DRM_ROCKET_MATMUL_INT8_INT32, 180224, 8192, 32, 4096, 342, 12));
	report("runs_largest_k_one_task_each",
	       runs_of(DRM_ROCKET_MATMUL_FP16_FP32, 1, 8192, 8192 * 5, 5, 1, 5));

	/* the planner's runs of a product that needs two, on the model */
	report("runs_model_fp16_m1_two_runs",
	       runs_on_model(DRM_ROCKET_MATMUL_FP16_FP32, 1, 8192, 16384, 0, 2, false));
	/*
	 * Resident weights (16 rows a task, 12 row slices) cut into runs of
	 * several lengths: each run loads its weights again.
	 */
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		snprintf(name, sizeof(name), "runs_model_reused_weights_runs_of_%u", lengths[i]);
		report(name, runs_on_model(DRM_ROCKET_MATMUL_INT8_INT32, 192, 8192, 32,
					   lengths[i], lengths[i] < 12 ? 2 : 1, true));
	}
}

/* ---------------------------------------------------------------------- */
/* Encoder: one task, field by field against the reference table            */

struct field {
	uint32_t target;
	uint32_t reg;
	uint32_t value;
};

static const char *check_fields(const struct rocket_matmul_shape *s,
				const struct rocket_matmul_task *t, const struct field *f,
				size_t count)
{
	u64 e[ROCKET_MATMUL_TASK_ENTRIES];
	int n = rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_TASK_ENTRIES);
	size_t i;

	for (i = 0; i < count; i++) {
		int64_t v = pc_entry_value(e, n, f[i].target, f[i].reg);

		if (v != f[i].value)
			return pc_fail("register 0x%04x = 0x%llx, want 0x%08x", f[i].reg,
				       (long long)v, f[i].value);
	}
	return NULL;
}

static void encoder_tests(void)
{
	struct rocket_matmul_shape s = {
		.type = DRM_ROCKET_MATMUL_INT8_INT32, .m = 8, .k = 64, .n = 32,
		.a_addr = 0x100000, .b_addr = 0x200000, .c_addr = 0x300000, .core_mask = 1,
	};
	struct rocket_matmul_task t = { .m0 = 0, .m = 8, .n0 = 0, .n = 32, .data_banks = 1 };
	const struct field i8[] = {
		{ 0x1001, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
		  DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1) },
		{ 0x0201, REG_CNA_CONV_CON1, 0 },
		{ 0x0201, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(8 + 1) },
		{ 0x0201, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
		  CNA_CONV_CON3_CONV_Y_STRIDE(1) },
		{ 0x0201, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
		  CNA_DATA_SIZE0_DATAIN_HEIGHT(8) },
		{ 0x0201, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(63) |
		  CNA_DATA_SIZE1_DATAIN_CHANNEL(64) },
		{ 0x0201, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1) },
		{ 0x0201, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(8) },
		{ 0x0201, REG_CNA_WEIGHT_SIZE0, 64 * 32 },
		{ 0x0201, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(64) },
		{ 0x0201, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
		  CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(32) },
		/* ceil(8 * 64 / 32768) = 1 data bank, 11 weight banks */
		{ 0x0201, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_BANK(11) |
		  CNA_CBUF_CON0_DATA_BANK(1) },
		{ 0x0201, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(1) },
		{ 0x0201, REG_CNA_CVT_CON0, 0xb },
		{ 0x0201, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1) },
		{ 0x0201, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1) },
		{ 0x0201, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1) },
		{ 0x0201, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1) },
		{ 0x0201, REG_CNA_FEATURE_DATA_ADDR, 0x100000 },
		{ 0x0201, REG_CNA_DCOMP_ADDR0, 0x200000 },
		{ 0x0201, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
		  CNA_DMA_CON0_DATA_BURST_LEN(15) },
		{ 0x0201, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4) },
		/* 4 * (M / 4 - 1) */
		{ 0x0201, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(4) },
		{ 0x0201, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
		  CNA_FC_DATA_SIZE0_DMA_HEIGHT(8) },
		{ 0x0201, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(64) },
		{ 0x0801, REG_CORE_MISC_CFG, 0 },
		{ 0x0801, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(7) },
		{ 0x0801, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(31) },
		{ 0x1001, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
		  DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) },
		{ 0x1001, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(4) },
		{ 0x1001, REG_DPU_DST_BASE_ADDR, 0x300000 },
		{ 0x1001, REG_DPU_DST_SURF_STRIDE, 8 * 16 },
		{ 0x1001, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(7) },
		{ 0x1001, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(31) |
		  DPU_DATA_CUBE_CHANNEL_CHANNEL(31) },
		{ 0x1001, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) |
		  DPU_BS_CFG_BS_MUL_BYPASS(1) | DPU_BS_CFG_BS_ALU_BYPASS(1) |
		  DPU_BS_CFG_BS_BYPASS(1) },
		{ 0x1001, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) |
		  DPU_BN_CFG_BN_MUL_BYPASS(1) | DPU_BN_CFG_BN_ALU_BYPASS(1) |
		  DPU_BN_CFG_BN_BYPASS(1) },
		{ 0x1001, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) |
		  DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
		  DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1) },
		/* size_e 7 for INT32 output */
		{ 0x1001, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(7) |
		  DPU_BS_OW_CFG_SIZE_E_1(7) | DPU_BS_OW_CFG_SIZE_E_0(7) |
		  DPU_BS_OW_CFG_OD_BYPASS(1) },
		{ 0x0801, 0x3030, 0 },
		{ 0x1001, 0x40c4, 0 },
		{ 0x1001, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(31) },
		{ 0x1001, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(7) },
		{ 0x1001, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) },
		/* M * 8 for INT32 output, in 16-byte units */
		{ 0x1001, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(8 * 8) },
		{ 0x2001, REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
		  DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
		  DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1) },
		{ 0x2001, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1) },
		{ 0x2001, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		  DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1) },
		{ 0x2001, REG_DPU_RDMA_RDMA_BRDMA_CFG, 0 },
		{ 0x1001, REG_DPU_LUT_CFG, 0 },
	};
	const struct field f16[] = {
		{ 0x0201, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(2) |
		  CNA_CONV_CON1_IN_PRECISION(2) },
		{ 0x0801, REG_CORE_MISC_CFG, CORE_MISC_CFG_PROC_PRECISION(2) |
		  CORE_MISC_CFG_QD_EN(1) },
		{ 0x1001, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(2) |
		  DPU_DATA_FORMAT_IN_PRECISION(2) | DPU_DATA_FORMAT_PROC_PRECISION(2) },
		/* size_e 1 for FP16 output */
		{ 0x1001, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(1) |
		  DPU_BS_OW_CFG_SIZE_E_1(1) | DPU_BS_OW_CFG_SIZE_E_0(1) |
		  DPU_BS_OW_CFG_OD_BYPASS(1) },
		{ 0x0801, 0x3030, 0 },
		{ 0x1001, 0x40c4, 0 },
		{ 0x1001, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) |
		  DPU_OUT_CVT_SCALE_FP32TOFP16_EN(1) },
		/* M * 2 for FP16 output, M of the whole matrix */
		{ 0x1001, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(8 * 2) },
		{ 0x1001, REG_DPU_DST_SURF_STRIDE, 8 * 16 },
		{ 0x0201, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(4) },
		{ 0x0201, REG_CNA_WEIGHT_SIZE0, 64 * 16 * 2 },
		{ 0x0201, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(128) },
		{ 0x0201, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(2) },
		/* row slice 4.. and columns 16..: A + 4 * 16, B + 16 * 128, C + 2 * 8 * 16 + 64 */
		{ 0x0201, REG_CNA_FEATURE_DATA_ADDR, 0x100000 + 64 },
		{ 0x0201, REG_CNA_DCOMP_ADDR0, 0x200000 + 16 * 128 },
		{ 0x1001, REG_DPU_DST_BASE_ADDR, 0x300000 + 2 * 8 * 16 + 64 },
		{ 0x0201, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_REUSE(1) |
		  CNA_CBUF_CON0_WEIGHT_BANK(11) | CNA_CBUF_CON0_DATA_BANK(1) },
		{ 0x0201, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
		  CNA_DATA_SIZE0_DATAIN_HEIGHT(4) },
		{ 0x0201, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
		  CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(16) },
	};

	report("encode_fields_i8", check_fields(&s, &t, i8, sizeof(i8) / sizeof(i8[0])));
	s.type = DRM_ROCKET_MATMUL_FP16_FP16;
	t = (struct rocket_matmul_task){ .m0 = 4, .m = 4, .n0 = 16, .n = 16, .data_banks = 1,
					 .weight_reuse = true };
	report("encode_fields_f16_slice", check_fields(&s, &t, f16, sizeof(f16) / sizeof(f16[0])));
	s.m = 1;
	t = (struct rocket_matmul_task){ .m = 1, .n = 16, .data_banks = 1 };
	{
		const struct field one[] = {
			{ 0x0201, REG_CNA_DMA_CON2, 0x0ffffffd },	/* -3: W * (H - 4) */
			{ 0x1001, REG_DPU_DST_SURF_STRIDE, 1 << 4 },
		};

		report("encode_fields_one_row", check_fields(&s, &t, one, 2));
	}
	{
		u64 e[ROCKET_MATMUL_TASK_ENTRIES];

		report("encode_short_buffer",
		       rocket_matmul_encode_task(&s, &t, e, ROCKET_MATMUL_TASK_ENTRIES - 1) ==
		       -ENOSPC ? NULL : "no -ENOSPC");
	}
}

/* ---------------------------------------------------------------------- */
/* Shapes on the model                                                      */

/*
 * Validate with BOs of exactly the operands' sizes, plan, check the plan;
 * run it on the model when @full.
 */
static const char *shape_case(uint32_t type, uint32_t m, uint32_t k, uint32_t n, bool full,
			      int want_err)
{
	uint32_t bpe = rocket_matmul_in_bytes(type), obpe = rocket_matmul_out_bytes(type);
	struct drm_rocket_matmul args = {
		.a_handle = 1, .b_handle = 2, .c_handle = 3, .type = type, .m = m, .k = k, .n = n,
	};
	struct rocket_matmul_bos bos = {
		.a = { .size = (uint64_t)m * k * bpe, .npu_addr = 0x10000000 },
		.b = { .size = (uint64_t)k * n * bpe, .npu_addr = 0x40000000 },
		.c = { .size = (uint64_t)m * n * obpe, .npu_addr = 0x80000000u },
	};
	struct rocket_matmul_shape shape;
	static struct mm_case t;
	const char *reason = NULL, *why;
	int err = rocket_matmul_validate(&args, &bos, 3, &shape, &reason);

	if (err != want_err)
		return pc_fail("validate errno %d (%s), want %d", err, reason, want_err);
	if (err)
		return NULL;
	if (!full) {
		struct rocket_matmul_plan p;

		err = rocket_matmul_plan(&shape, &p, &reason);
		if (err)
			return pc_fail("plan errno %d (%s)", err, reason);
		/* where the ioctl would map the scratch */
		if (p.scratch_bytes)
			shape.scratch_addr = p.shape.scratch_addr = 0xc0000000u;
		plan_shapes++;
		return pc_check_plan(&shape, &p, true, NULL);
	}

	mm_setup(&t, type, m, k, n);
	err = rocket_matmul_plan(&t.shape, &t.plan, &reason);
	why = err ? pc_fail("plan errno %d (%s)", err, reason) : NULL;
	return run_and_compare(&t, why);
}

static void shape_matrix(void)
{
	static const uint32_t ms[] = { 1, 4, 100, 512, 1020, 1024, 2048 };
	static const uint32_t ks[] = { 32, 64, 1536, 4096, 8192 };
	static const uint32_t ns[] = { 16, 32, 256, 1536, 8192, 8960 };
	size_t ti, mi, ki, ni;
	char name[96];

	for (ti = 0; ti < 3; ti++)
		for (mi = 0; mi < 7; mi++)
			for (ki = 0; ki < 5; ki++)
				for (ni = 0; ni < 6; ni++) {
					uint32_t m = ms[mi], k = ks[ki], n = ns[ni];
					bool i8 = mm_types[ti] == DRM_ROCKET_MATMUL_INT8_INT32;
					bool full = (uint64_t)m * n * k <= FULL_MACS;
					int want = i8 && n % 32 ? -EINVAL : 0;

					snprintf(name, sizeof(name), "shape_%s_%ux%ux%u_%s",
						 mm_type_name(mm_types[ti]), m, k, n,
						 want ? "rejected" : full ? "model" : "plan");
					report(name, shape_case(mm_types[ti], m, k, n, full, want));
				}
}

/* Qwen2.5-1.5B: hidden 1536, FFN 8960, K/V 256, vocabulary 151936. */
static void qwen(void)
{
	static const struct { const char *name; uint32_t k, n; } gemms[] = {
		{ "q_proj", 1536, 1536 }, { "k_proj", 1536, 256 }, { "v_proj", 1536, 256 },
		{ "o_proj", 1536, 1536 }, { "gate_proj", 1536, 8960 },
		{ "up_proj", 1536, 8960 }, { "down_proj", 8960, 1536 },
		{ "lm_head", 1536, 151936 },
	};
	static const uint32_t ms[] = { 1, 512 };
	size_t ti, gi, mi;
	char name[96];

	for (ti = 0; ti < 3; ti++)
		for (mi = 0; mi < 2; mi++)
			for (gi = 0; gi < sizeof(gemms) / sizeof(gemms[0]); gi++) {
				uint32_t m = ms[mi], k = gemms[gi].k, n = gemms[gi].n;
				bool lm = !strcmp(gemms[gi].name, "lm_head");
				bool full = m == 1 ? !lm || ti == 0 : n == 256;
				/* a split K is done for INT8 only (no sourced FP32 add) */
				int want = k > ROCKET_MATMUL_MAX_TASK_K && ti ? -E2BIG : 0;

				snprintf(name, sizeof(name), "qwen_%s_%s_m%u_%s", gemms[gi].name,
					 mm_type_name(mm_types[ti]), m,
					 want ? "refused_fp16_k_split" : full ? "model" : "plan");
				report(name, shape_case(mm_types[ti], m, k, n, full && !want, want));
			}
}

/*
 * The userspace helper packs B segment by segment for K above 8192: every
 * element where b_seg_index() (written from the uAPI text) puts it, for
 * INT8 and FP16, K of one and of several segments.
 */
static const char *pack_b_segments(uint32_t k, uint32_t n)
{
	size_t size = (size_t)k * n * 2;
	uint8_t *host = malloc(size), *p8 = malloc(size), *p16 = malloc(size);
	const char *why = NULL;
	uint32_t i, j;

	if (!host || !p8 || !p16) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (i = 0; i < size; i++)
		host[i] = (uint8_t)rnd();
	rocket_matmul_pack_b_int8(p8, (const int8_t *)host, k, n);
	rocket_matmul_pack_b_fp16(p16, (const uint16_t *)(const void *)host, k, n);
	for (i = 0; i < k && !why; i++)
		for (j = 0; j < n && !why; j++) {
			uint64_t at8 = b_seg_index(1, 32, k, n, i, j);
			uint64_t at16 = b_seg_index(2, 16, k, n, i, j);

			if (p8[at8] != host[(size_t)i * n + j] ||
			    memcmp(&p16[at16], &host[((size_t)i * n + j) * 2], 2))
				why = pc_fail("B(%u, %u) misplaced", i, j);
		}
	free(host);
	free(p8);
	free(p16);
	return why;
}

/*
 * The largest sums a split K makes at its bound: A and B all -128, K 65536:
 * every product 2^14, eight partials of 2^27, C = 2^30 everywhere, exact
 * (no saturation, no wrap). With B all +127 instead, C = -127 * 128 * K.
 */
static const char *extreme_sums(int8_t bval)
{
	static struct mm_case t;
	const char *reason = NULL, *why;
	uint32_t m = 4, k = 65536, n = 32, i, j;
	int err;

	mm_setup(&t, DRM_ROCKET_MATMUL_INT8_INT32, m, k, n);
	for (i = 0; i < m; i++)
		for (j = 0; j < k; j++) {
			t.ai8[(size_t)i * k + j] = -128;
			t.a->data[a_index(1, m, i, j)] = (uint8_t)-128;
		}
	for (j = 0; j < n; j++)
		for (i = 0; i < k; i++) {
			t.bi8[(size_t)j * k + i] = bval;
			t.b->data[b_seg_index(1, 32, k, n, i, j)] = (uint8_t)bval;
		}
	err = rocket_matmul_plan(&t.shape, &t.plan, &reason);
	why = err ? pc_fail("plan errno %d (%s)", err, reason) : NULL;
	if (!why && t.shape.segments != 8)
		why = pc_fail("%u segments, want 8", t.shape.segments);
	return run_and_compare(&t, why);
}

/*
 * K above 8192 (INT8): segments and DPU-only adds, run on the model and
 * compared exactly. K just above one, two and three segment boundaries, K
 * with an odd number of 32-blocks, the bound; M = 1, M of one add tile and
 * of two (notched add surfaces); N a single group, N not a multiple of the
 * task width and wider than an add tile. Larger products are checked as
 * plans only.
 */
static void k_split_matrix(void)
{
	static const uint32_t ks[] = { 8224, 8960, 10016, 16416, 24608, 65536 };
	static const uint32_t ms[] = { 1, 12, 132 };
	static const uint32_t ns[] = { 32, 96, 1056 };
	size_t mi, ki, ni;
	char name[96];

	for (ki = 0; ki < sizeof(ks) / sizeof(ks[0]); ki++)
		for (mi = 0; mi < 3; mi++)
			for (ni = 0; ni < 3; ni++) {
				uint32_t m = ms[mi], k = ks[ki], n = ns[ni];
				bool full = (uint64_t)m * n * k <= 8 * FULL_MACS;

				snprintf(name, sizeof(name), "ksplit_i8i32_%ux%ux%u_%s", m, k, n,
					 full ? "model" : "plan");
				report(name, shape_case(DRM_ROCKET_MATMUL_INT8_INT32, m, k, n, full,
							0));
			}
	report("ksplit_sums_2_30_exact", extreme_sums(-128));
	report("ksplit_sums_minus_2_30_exact", extreme_sums(127));
	report("ksplit_pack_b_k8192", pack_b_segments(8192, 64));
	report("ksplit_pack_b_k8960", pack_b_segments(8960, 64));
	report("ksplit_pack_b_k16416", pack_b_segments(16416, 32));
	report("ksplit_f16f32_refused",
	       shape_case(DRM_ROCKET_MATMUL_FP16_FP32, 4, 8224, 16, false, -E2BIG));
	report("ksplit_f16f16_refused",
	       shape_case(DRM_ROCKET_MATMUL_FP16_FP16, 1, 16384, 16, false, -E2BIG));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	models_init();
	npu_reset();

	validation_tests();
	planner_tests();
	run_tests();
	encoder_tests();
	shape_matrix();
	k_split_matrix();
	qwen();

	printf("shapes run on the model: %llu (%llu tasks, %llu elements of C compared exactly); "
	       "checked as plans only: %llu\n", (unsigned long long)full_shapes,
	       (unsigned long long)tasks_run, (unsigned long long)elements_compared,
	       (unsigned long long)plan_shapes);
	printf("%u passed, %u failed\n", n_pass, n_fail);
	models_free();
	return n_fail ? 1 : 0;
}
