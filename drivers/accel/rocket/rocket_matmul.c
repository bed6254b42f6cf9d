// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Matrix multiplies planned and encoded by the kernel: validation, tiling and
 * register command lists. See rocket_matmul.h for the interface.
 *
 * One task computes C[m0.., n0..] (m x n) = A[m0.., :] x B[:, n0..] as a 1x1
 * convolution: A is the input cube (width 1, height m, K channels), B holds
 * n kernels of 1x1xK, C is the output cube. The CNA reads the A tile into
 * the data banks of the convolution buffer (CBUF) and the kernels into the
 * weight banks; when all n kernels fit the weight banks, later tasks with the
 * same kernels set WEIGHT_REUSE and read no weights, otherwise the kernels
 * stream through the weight banks during the task.
 */

#include <linux/array_size.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/types.h>

#include "rocket_matmul.h"
#include "rocket_registers.h"

/* Register command entry: target in bits 63..48, value 47..16, offset 15..0. */
#define RC_TARGET_SHIFT		48
#define RC_VALUE_SHIFT		16
#define RC_OFFSET_MASK		0xffff

/* Register command targets, one a block, and the two of the tail. */
#define TGT_PC			0x0101
#define TGT_CNA			0x0201
#define TGT_CORE		0x0801
#define TGT_DPU			0x1001
#define TGT_DPU_RDMA		0x2001
#define TGT_MARKER		0x0041
#define TGT_OP_ENABLE		0x0081

/* Precision codes of CNA, CORE and DPU; the DPU output adds INT32 and FP32. */
#define PREC_INT8		0
#define PREC_FP16		2
#define PREC_INT32		4
#define PREC_FP32		5

/* Bytes of a feature, weight or output atom: the unit of every layout. */
#define ATOM			16

/* Depth of a block of K in the layout of B. */
#define K_BLOCK			32

#define BANK			ROCKET_MATMUL_CBUF_BANK_SIZE
#define BANKS			ROCKET_MATMUL_CBUF_BANKS

#define MATMUL_FLAGS		DRM_ROCKET_MATMUL_CORE_MASK

/* ---------------------------------------------------------------------- */
/* Element types                                                            */

static bool type_known(u32 type)
{
	return type == DRM_ROCKET_MATMUL_INT8_INT32 || type == DRM_ROCKET_MATMUL_FP16_FP32 ||
	       type == DRM_ROCKET_MATMUL_FP16_FP16;
}

u32 rocket_matmul_in_bytes(u32 type)
{
	return type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2;
}

u32 rocket_matmul_out_bytes(u32 type)
{
	return type == DRM_ROCKET_MATMUL_FP16_FP16 ? 2 : 4;
}

u32 rocket_matmul_kernel_group(u32 type)
{
	return type == DRM_ROCKET_MATMUL_INT8_INT32 ? 32 : 16;
}

static u32 in_precision(u32 type)
{
	return type == DRM_ROCKET_MATMUL_INT8_INT32 ? PREC_INT8 : PREC_FP16;
}

static u32 out_precision(u32 type)
{
	switch (type) {
	case DRM_ROCKET_MATMUL_INT8_INT32:
		return PREC_INT32;
	case DRM_ROCKET_MATMUL_FP16_FP32:
		return PREC_FP32;
	default:
		return PREC_FP16;
	}
}

/* K split in segments (a shape from before the split has 0 segments). */
static bool split(const struct rocket_matmul_shape *shape)
{
	return shape->segments > 1;
}

/* ---------------------------------------------------------------------- */
/* Validation                                                               */

static int refuse(const char **reason, int err, const char *why)
{
	*reason = why;
	return err;
}

static u32 cores_in(u32 mask)
{
	u32 count = 0;

	for (; mask; mask &= mask - 1)
		count++;
	return count;
}

static int check_fields(const struct drm_rocket_matmul *args, u32 num_cores,
			const char **reason)
{
	u32 all_cores;

	if (args->pad || args->reserved[0] || args->reserved[1])
		return refuse(reason, -EINVAL, "reserved field not zero");
	if (args->flags & ~MATMUL_FLAGS)
		return refuse(reason, -EINVAL, "unknown flag");
	if (!type_known(args->type))
		return refuse(reason, -EINVAL, "unknown type");
	if (!num_cores || num_cores > ROCKET_MATMUL_MAX_JOBS)
		return refuse(reason, -EINVAL, "device core count out of range");

	all_cores = (1u << num_cores) - 1;
	if (!(args->flags & DRM_ROCKET_MATMUL_CORE_MASK)) {
		if (args->core_mask)
			return refuse(reason, -EINVAL,
				      "core_mask set without DRM_ROCKET_MATMUL_CORE_MASK");
		return 0;
	}
	if (!args->core_mask)
		return refuse(reason, -EINVAL, "core_mask names no core");
	if (args->core_mask & ~all_cores)
		return refuse(reason, -EINVAL, "core_mask names a core the device does not have");
	return 0;
}

static int check_dims(const struct drm_rocket_matmul *args, const char **reason)
{
	u32 group = rocket_matmul_kernel_group(args->type);

	if (!args->m || !args->k || !args->n)
		return refuse(reason, -EINVAL, "M, K and N must be non-zero");
	if (args->k % K_BLOCK)
		return refuse(reason, -EINVAL, "K must be a multiple of 32");
	if (args->n % group)
		return refuse(reason, -EINVAL,
			      "N must be a multiple of 32 (INT8) or 16 (FP16)");
	if (args->m % 4 && args->m != 1)
		return refuse(reason, -EINVAL, "M must be a multiple of 4, or 1");
	if (args->k > ROCKET_MATMUL_MAX_K)
		return refuse(reason, -E2BIG, "K above 65536");
	if (args->m > ROCKET_MATMUL_MAX_M)
		return refuse(reason, -E2BIG, "M above 16777216");
	if (args->n > ROCKET_MATMUL_MAX_N)
		return refuse(reason, -E2BIG, "N above 16777216");
	if (args->k <= ROCKET_MATMUL_MAX_TASK_K)
		return 0;
	/*
	 * A split K adds partials on the NPU. Only the INT32 add has a
	 * public silicon-tested DPU-only register set; the FP32 one does not
	 * (matmul.rst, "K above 8192").
	 */
	if (args->type != DRM_ROCKET_MATMUL_INT8_INT32)
		return refuse(reason, -E2BIG,
			      "K above 8192 is split only for INT8 (no silicon-tested FP32 add)");
	if (2ull * args->m * args->n * sizeof(u32) > ROCKET_MATMUL_MAX_SCRATCH)
		return refuse(reason, -E2BIG,
			      "K above 8192 with M * N above 2^23 (partial sums above 64 MiB)");
	return 0;
}

/*
 * Segments of a split K: as few as fit ROCKET_MATMUL_MAX_TASK_K, equal in
 * blocks of 32 but the last, which holds the rest.
 */
static void segment_k(u32 k, u32 *segments, u32 *seg_k)
{
	*segments = DIV_ROUND_UP(k, ROCKET_MATMUL_MAX_TASK_K);
	*seg_k = DIV_ROUND_UP(k, K_BLOCK * *segments) * K_BLOCK;
}

/* What check_operand() refuses, one set of reasons per operand. */
struct operand_reasons {
	const char *size;
	const char *align;
	const char *fit;
	const char *addr;
};

static const struct operand_reasons reasons_a = {
	.size = "size of A overflows",
	.align = "A not 16-byte aligned",
	.fit = "A does not fit its BO",
	.addr = "A not below 4 GiB of NPU address space",
};

static const struct operand_reasons reasons_b = {
	.size = "size of B overflows",
	.align = "B not 16-byte aligned",
	.fit = "B does not fit its BO",
	.addr = "B not below 4 GiB of NPU address space",
};

static const struct operand_reasons reasons_c = {
	.size = "size of C overflows",
	.align = "C not 16-byte aligned",
	.fit = "C does not fit its BO",
	.addr = "C not below 4 GiB of NPU address space",
};

/*
 * An operand of @rows x @cols elements of @bpe bytes at @offset in @bo: it
 * must lie inside the BO and below 4 GiB of NPU address space (every NPU
 * address is 32 bits), 16-byte aligned (the NPU moves 16-byte atoms; the
 * output base address is documented to need it). Sets [*start, *end).
 */
static int check_operand(const struct rocket_matmul_bo *bo, u64 offset, u32 rows, u32 cols,
			 u32 bpe, const struct operand_reasons *why, u64 *start, u64 *end,
			 const char **reason)
{
	u64 size, in_bo;

	if (check_mul_overflow((u64)rows, (u64)cols, &size) ||
	    check_mul_overflow(size, (u64)bpe, &size))
		return refuse(reason, -EINVAL, why->size);
	if (check_add_overflow(offset, size, &in_bo) || in_bo > bo->size)
		return refuse(reason, -EINVAL, why->fit);
	if (check_add_overflow(bo->npu_addr, offset, start) ||
	    check_add_overflow(*start, size, end) || *end > BIT_ULL(32))
		return refuse(reason, -EINVAL, why->addr);
	if (*start % ATOM)
		return refuse(reason, -EINVAL, why->align);
	return 0;
}

static bool ranges_overlap(u64 start0, u64 end0, u64 start1, u64 end1)
{
	return start0 < end1 && start1 < end0;
}

int rocket_matmul_validate(const struct drm_rocket_matmul *args,
			   const struct rocket_matmul_bos *bos, u32 num_cores,
			   struct rocket_matmul_shape *shape, const char **reason)
{
	u64 a_start, a_end, b_start, b_end, c_start, c_end;
	u32 bpe, obpe;
	int ret;

	ret = check_fields(args, num_cores, reason);
	if (ret)
		return ret;
	ret = check_dims(args, reason);
	if (ret)
		return ret;

	bpe = rocket_matmul_in_bytes(args->type);
	obpe = rocket_matmul_out_bytes(args->type);
	ret = check_operand(&bos->a, args->a_offset, args->m, args->k, bpe, &reasons_a,
			    &a_start, &a_end, reason);
	if (ret)
		return ret;
	ret = check_operand(&bos->b, args->b_offset, args->k, args->n, bpe, &reasons_b,
			    &b_start, &b_end, reason);
	if (ret)
		return ret;
	ret = check_operand(&bos->c, args->c_offset, args->m, args->n, obpe, &reasons_c,
			    &c_start, &c_end, reason);
	if (ret)
		return ret;

	/* NPU addresses are unique per BO: this also catches one BO named twice. */
	if (ranges_overlap(c_start, c_end, a_start, a_end))
		return refuse(reason, -EINVAL, "C overlaps A");
	if (ranges_overlap(c_start, c_end, b_start, b_end))
		return refuse(reason, -EINVAL, "C overlaps B");

	shape->type = args->type;
	shape->m = args->m;
	shape->k = args->k;
	shape->n = args->n;
	shape->a_addr = (u32)a_start;
	shape->b_addr = (u32)b_start;
	shape->c_addr = (u32)c_start;
	shape->core_mask = args->flags & DRM_ROCKET_MATMUL_CORE_MASK ?
			   args->core_mask : (1u << num_cores) - 1;
	segment_k(args->k, &shape->segments, &shape->seg_k);
	shape->scratch_addr = 0;
	*reason = "ok";
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Planner                                                                  */

/*
 * The planner minimises the bytes the NPU moves to and from DRAM, then the
 * number of tasks (each costs a kick and an interrupt), over:
 *
 * - how the cores share the product: a grid of gm x gn jobs, rows split in
 *   gm parts, columns in gn parts, using as many cores as the mask allows
 *   and the product has parts for. Splitting columns makes every core read
 *   all of A, splitting rows makes every core read all of B: which is
 *   cheaper depends on the shape;
 * - per job, whether the kernels of a column slice stay resident in the
 *   weight banks (read once, but the column slice is at most what the
 *   weight banks hold, and each column slice reads the A rows again) or
 *   stream (column slices up to 8192, but every row slice reads them again).
 *
 * Costs are closed forms: a task reads its A tile (m x K) and, unless it
 * reuses them, its n kernels, writes its m x n of C, and its command list
 * is fetched.
 */

struct dims {
	u32 type;
	u32 m;
	u32 k;
	u32 n;
	u32 kbytes;		/* bytes of one row of A, and of one kernel */
	u32 obpe;
	u32 group;
	u32 row_unit;		/* rows of a row slice come in 4s, or M is 1 */
	u32 segments;		/* segments of K; k is the K of one segment */
};

/* Largest rows of A that @data_banks hold, for a task. */
static u32 rows_fitting(const struct dims *d, u32 data_banks)
{
	u32 rows = data_banks * BANK / d->kbytes;

	if (d->row_unit == 1)
		return rows ? 1 : 0;
	rows = min(rows, ROCKET_MATMUL_MAX_TASK_M);
	return rows - rows % d->row_unit;
}

/*
 * Cut @total (a multiple of @unit) in as few slices of at most @max as
 * possible, as even as possible in units of @unit.
 */
static void cut(u32 total, u32 unit, u32 max, u32 *per_slice, u32 *slices)
{
	u32 count = DIV_ROUND_UP(total, max);
	u32 per = DIV_ROUND_UP(total, count);

	per = DIV_ROUND_UP(per, unit) * unit;
	*per_slice = per;
	*slices = DIV_ROUND_UP(total, per);
}

/* DRAM bytes of a job (see above). */
static u64 job_bytes(const struct dims *d, const struct rocket_matmul_job *job)
{
	u64 a = (u64)job->m * d->kbytes;
	u64 b = (u64)job->n * d->kbytes;
	u64 c = (u64)job->m * job->n * d->obpe;
	u64 cmd = (u64)job->task_count * ROCKET_MATMUL_TASK_ENTRIES * sizeof(u64);

	return a * job->col_slices + b * (job->weight_reuse ? 1 : job->row_slices) + c + cmd;
}

/*
 * Tile @job (m0, m, n0, n set) with column slices of at most @max_n
 * columns; @resident keeps each column slice's kernels in the weight banks.
 * Returns false if no such tiling fits the CBUF.
 */
static bool tile_job(const struct dims *d, struct rocket_matmul_job *job, u32 max_n,
		     bool resident)
{
	u32 weight_banks, rows;

	cut(job->n, d->group, max_n, &job->task_n, &job->col_slices);
	/* streamed kernels need room for one kernel at a time */
	weight_banks = DIV_ROUND_UP((resident ? job->task_n : 1) * d->kbytes, BANK);
	if (weight_banks >= BANKS)
		return false;
	rows = rows_fitting(d, BANKS - weight_banks);
	if (!rows)
		return false;
	cut(job->m, d->row_unit, rows, &job->task_m, &job->row_slices);
	/* the A tile takes what it needs, as in the reference; weights get the rest */
	job->data_banks = DIV_ROUND_UP(job->task_m * d->kbytes, BANK);
	job->weight_reuse = resident && job->row_slices > 1;
	job->task_count = job->row_slices * job->col_slices;
	return true;
}

static bool better(u64 bytes, u32 tasks, u64 best_bytes, u32 best_tasks)
{
	return bytes < best_bytes || (bytes == best_bytes && tasks < best_tasks);
}

/*
 * Best tiling of one job: streaming with the widest column slices, or
 * resident kernels for each number of weight banks. Returns its bytes, or
 * U64_MAX if nothing fits.
 */
static u64 plan_job(const struct dims *d, struct rocket_matmul_job *job)
{
	struct rocket_matmul_job best = *job, try = *job;
	u64 best_bytes = U64_MAX, bytes;
	u32 banks, max_n;

	if (tile_job(d, &try, ROCKET_MATMUL_MAX_TASK_N, false) &&
	    try.task_count <= ROCKET_MATMUL_MAX_TASKS) {
		best = try;
		best_bytes = job_bytes(d, &try);
	}
	for (banks = 1; banks < BANKS; banks++) {
		max_n = banks * BANK / d->kbytes;
		max_n = min(max_n - max_n % d->group, ROCKET_MATMUL_MAX_TASK_N);
		if (!max_n)
			continue;
		try = *job;
		if (!tile_job(d, &try, max_n, true) || try.task_count > ROCKET_MATMUL_MAX_TASKS)
			continue;
		bytes = job_bytes(d, &try);
		if (better(bytes, try.task_count, best_bytes, best.task_count)) {
			best = try;
			best_bytes = bytes;
		}
	}
	*job = best;
	return best_bytes;
}

/*
 * The add tasks of a job whose K is split: tiles of at most
 * ROCKET_MATMUL_ADD_MAX_M x ROCKET_MATMUL_ADD_MAX_N, and the job's task
 * count over all segments. Returns the DRAM bytes of all its adds: each
 * reads two INT32 planes of its tile and writes one.
 */
static u64 plan_adds(const struct dims *d, struct rocket_matmul_job *job)
{
	u32 cols;

	job->seg_tasks = job->task_count;
	if (d->segments == 1) {
		job->add_tasks = 0;
		return 0;
	}
	cut(job->m, d->row_unit, ROCKET_MATMUL_ADD_MAX_M, &job->add_m, &job->add_row_tiles);
	cut(job->n, d->group, ROCKET_MATMUL_ADD_MAX_N, &job->add_n, &cols);
	job->add_tasks = job->add_row_tiles * cols;
	job->task_count = job->seg_tasks * d->segments + job->add_tasks * (d->segments - 1);
	return (d->segments - 1) *
	       (3ull * sizeof(u32) * job->m * job->n +
		(u64)job->add_tasks * ROCKET_MATMUL_ADD_ENTRIES * sizeof(u64));
}

/* Part @i of @parts of @units units of @unit elements: [*first, +*count). */
static void share(u32 units, u32 unit, u32 parts, u32 i, u32 *first, u32 *count)
{
	u32 lo = (u32)((u64)units * i / parts);
	u32 hi = (u32)((u64)units * (i + 1) / parts);

	*first = lo * unit;
	*count = (hi - lo) * unit;
}

/* Jobs of a gm x gn grid into @plan. Returns the bytes, U64_MAX if it fails. */
static u64 plan_grid(const struct dims *d, u32 gm, u32 gn, struct rocket_matmul_plan *plan)
{
	u32 row_units = d->m / d->row_unit, col_units = d->n / d->group;
	u64 total = 0, bytes;
	u32 i, j, tasks = 0;

	plan->job_count = gm * gn;
	for (i = 0; i < gm; i++) {
		for (j = 0; j < gn; j++) {
			struct rocket_matmul_job *job = &plan->jobs[i * gn + j];

			*job = (struct rocket_matmul_job){ 0 };
			share(row_units, d->row_unit, gm, i, &job->m0, &job->m);
			share(col_units, d->group, gn, j, &job->n0, &job->n);
			bytes = plan_job(d, job);
			if (bytes == U64_MAX)
				return U64_MAX;
			/* every segment tiled alike; the last, shorter one fits too */
			total += bytes * d->segments + plan_adds(d, job);
			tasks += job->task_count;
		}
	}
	if (tasks > ROCKET_MATMUL_MAX_TASKS)
		return U64_MAX;
	plan->task_count = tasks;
	return total;
}

static u32 max_job_tasks(const struct rocket_matmul_plan *plan)
{
	u32 i, most = 0;

	for (i = 0; i < plan->job_count; i++)
		most = max(most, plan->jobs[i].task_count);
	return most;
}

/* Best grid of exactly @jobs jobs into @plan; false if none fits. */
static bool plan_jobs(const struct dims *d, u32 jobs, struct rocket_matmul_plan *plan)
{
	struct rocket_matmul_plan try = *plan;
	u64 best_bytes = U64_MAX, bytes;
	u32 gm, gn;

	for (gm = 1; gm <= jobs; gm++) {
		if (jobs % gm)
			continue;
		gn = jobs / gm;
		if (gm > d->m / d->row_unit || gn > d->n / d->group)
			continue;
		bytes = plan_grid(d, gm, gn, &try);
		if (bytes == U64_MAX)
			continue;
		/* ties: the fewest tasks on the busiest core, then overall */
		if (bytes < best_bytes ||
		    (bytes == best_bytes &&
		     (max_job_tasks(&try) < max_job_tasks(plan) ||
		      (max_job_tasks(&try) == max_job_tasks(plan) &&
		       try.task_count < plan->task_count)))) {
			*plan = try;
			best_bytes = bytes;
		}
	}
	return best_bytes != U64_MAX;
}

/* ---------------------------------------------------------------------- */
/* Run time                                                                 */

/* Peak MACs a cycle are powers of two: cycles come from a shift. */
#define MACS_SHIFT_INT8		10
#define MACS_SHIFT_FP16		9

static_assert(BIT(MACS_SHIFT_INT8) == ROCKET_MATMUL_MACS_INT8, "INT8 MACs a cycle");
static_assert(BIT(MACS_SHIFT_FP16) == ROCKET_MATMUL_MACS_FP16, "FP16 MACs a cycle");
static_assert(1000 % ROCKET_MATMUL_NPU_MIN_MHZ == 0, "a whole number of ns a cycle");
static_assert(1000 % ROCKET_MATMUL_DMA_MIN_MBPS == 0, "a whole number of ns a byte");
static_assert(ROCKET_MATMUL_MAX_TASK_NS <= ROCKET_MATMUL_JOB_BUDGET_NS,
	      "a single task must fit the job budget");
static_assert(ROCKET_MATMUL_JOB_BUDGET_NS <= U32_MAX, "runs are counted in 32 bits");

/* An add task moves 12 bytes an element: two INT32 read, one written. */
#define ADD_TASK_MAX_NS \
	(ROCKET_MATMUL_TASK_GAP_NS + ROCKET_MATMUL_NS_PER_BYTE * \
	 (3ull * sizeof(u32) * ROCKET_MATMUL_ADD_MAX_M * ROCKET_MATMUL_ADD_MAX_N + \
	  ROCKET_MATMUL_ADD_ENTRIES * sizeof(u64)))
static_assert(ADD_TASK_MAX_NS <= ROCKET_MATMUL_MAX_TASK_NS, "an add task is a small task");

u64 rocket_matmul_task_ns(const struct rocket_matmul_shape *shape,
			  const struct rocket_matmul_task *task)
{
	u64 kbytes = (u64)(split(shape) ? shape->seg_k : shape->k) *
		     rocket_matmul_in_bytes(shape->type);
	u32 shift = shape->type == DRM_ROCKET_MATMUL_INT8_INT32 ? MACS_SHIFT_INT8 :
		    MACS_SHIFT_FP16;
	u64 macs = (u64)task->m * (kbytes / rocket_matmul_in_bytes(shape->type)) * task->n;
	u64 cycles = (macs + BIT_ULL(shift) - 1) >> shift;
	u64 bytes = task->m * kbytes + (task->weight_reuse ? 0 : task->n * kbytes) +
		    (u64)task->m * task->n * rocket_matmul_out_bytes(shape->type) +
		    ROCKET_MATMUL_TASK_ENTRIES * sizeof(u64);

	/* a segment's task is costed at the longest segment's K */
	if (task->kind == ROCKET_MATMUL_TASK_ADD)
		return (3ull * sizeof(u32) * task->m * task->n +
			ROCKET_MATMUL_ADD_ENTRIES * sizeof(u64)) * ROCKET_MATMUL_NS_PER_BYTE +
		       ROCKET_MATMUL_TASK_GAP_NS;

	return max(cycles * ROCKET_MATMUL_NS_PER_CYCLE, bytes * ROCKET_MATMUL_NS_PER_BYTE) +
	       ROCKET_MATMUL_TASK_GAP_NS;
}

/*
 * Cut the tasks of each job into runs of equal length (the last may be
 * shorter), each predicted to take at most the budget. The task predicted
 * to take longest is a full one (task_m x task_n rows and columns) that
 * loads its weights, as the first task of a run does: a run of
 * budget / that many tasks fits, whichever tasks of the job it holds.
 */
static void plan_runs(struct rocket_matmul_plan *plan)
{
	u32 j;

	plan->run_count = 0;
	for (j = 0; j < plan->job_count; j++) {
		struct rocket_matmul_job *job = &plan->jobs[j];
		struct rocket_matmul_task full = {
			.m = job->task_m,
			.n = job->task_n,
			.data_banks = job->data_banks,
		};
		struct rocket_matmul_task add = {
			.m = job->add_m,
			.n = job->add_n,
			.kind = ROCKET_MATMUL_TASK_ADD,
		};
		u64 ns = rocket_matmul_task_ns(&plan->shape, &full);

		if (job->add_tasks)
			ns = max(ns, rocket_matmul_task_ns(&plan->shape, &add));

		job->run_tasks = ns >= ROCKET_MATMUL_JOB_BUDGET_NS ? 1 :
				 (u32)ROCKET_MATMUL_JOB_BUDGET_NS / (u32)ns;
		job->run_tasks = min(job->run_tasks, job->task_count);
		job->runs = DIV_ROUND_UP(job->task_count, job->run_tasks);
		plan->run_count += job->runs;
	}
}

int rocket_matmul_plan(const struct rocket_matmul_shape *shape,
		       struct rocket_matmul_plan *plan, const char **reason)
{
	struct dims d = {
		.type = shape->type,
		.m = shape->m,
		.k = shape->k,
		.n = shape->n,
		.kbytes = (split(shape) ? shape->seg_k : shape->k) *
			  rocket_matmul_in_bytes(shape->type),
		.obpe = rocket_matmul_out_bytes(shape->type),
		.group = rocket_matmul_kernel_group(shape->type),
		.row_unit = shape->m == 1 ? 1 : 4,
		.segments = split(shape) ? shape->segments : 1,
	};
	u64 parts = (u64)(d.m / d.row_unit) * (d.n / d.group);
	u32 jobs = cores_in(shape->core_mask & GENMASK(ROCKET_MATMUL_MAX_JOBS - 1, 0));

	*plan = (struct rocket_matmul_plan){ .shape = *shape };
	if (!jobs)
		return refuse(reason, -EINVAL, "no core allowed");
	if (shape->k > ROCKET_MATMUL_MAX_TASK_K &&
	    (!split(shape) || shape->segments > ROCKET_MATMUL_MAX_SEGMENTS ||
	     !shape->seg_k || shape->seg_k > ROCKET_MATMUL_MAX_TASK_K ||
	     (u64)shape->seg_k * (shape->segments - 1) >= shape->k ||
	     shape->k - shape->seg_k * (shape->segments - 1) > shape->seg_k))
		return refuse(reason, -EINVAL, "K above 8192 without valid segments");
	if (parts < jobs)
		jobs = (u32)parts;
	/* a grid may not exist for every count (3 jobs of 2 x 1 parts): try fewer */
	for (; jobs; jobs--) {
		if (plan_jobs(&d, jobs, plan)) {
			plan_runs(plan);
			if (split(shape))
				plan->scratch_bytes = 2ull * sizeof(u32) * shape->m * shape->n;
			*reason = "ok";
			return 0;
		}
	}
	plan->job_count = 0;
	return refuse(reason, -E2BIG, "product needs more tasks than the limit");
}

void rocket_matmul_get_task(const struct rocket_matmul_plan *plan, u32 job, u32 index,
			    struct rocket_matmul_task *task)
{
	const struct rocket_matmul_job *j = &plan->jobs[job];
	u32 at = index, col, row;

	/* segment 0's tasks, then per later segment its tasks and its adds */
	task->kind = ROCKET_MATMUL_TASK_MATMUL;
	task->seg = 0;
	if (j->add_tasks && at >= j->seg_tasks) {
		at -= j->seg_tasks;
		task->seg = 1 + at / (j->seg_tasks + j->add_tasks);
		at %= j->seg_tasks + j->add_tasks;
		if (at >= j->seg_tasks) {
			at -= j->seg_tasks;
			col = at / j->add_row_tiles;
			row = at % j->add_row_tiles;
			task->kind = ROCKET_MATMUL_TASK_ADD;
			task->n0 = j->n0 + col * j->add_n;
			task->n = min(j->add_n, j->n0 + j->n - task->n0);
			task->m0 = j->m0 + row * j->add_m;
			task->m = min(j->add_m, j->m0 + j->m - task->m0);
			task->data_banks = 0;
			task->weight_reuse = false;
			return;
		}
	}
	col = at / j->row_slices;
	row = at % j->row_slices;
	task->n0 = j->n0 + col * j->task_n;
	task->n = min(j->task_n, j->n0 + j->n - task->n0);
	task->m0 = j->m0 + row * j->task_m;
	task->m = min(j->task_m, j->m0 + j->m - task->m0);
	task->data_banks = j->data_banks;
	/* a run may follow another client's job: its first task loads weights */
	task->weight_reuse = j->weight_reuse && row > 0 && index % j->run_tasks;
}

/* ---------------------------------------------------------------------- */
/* Register command list                                                    */

struct regcmd {
	u64 *entries;
	u32 count;
};

static void emit(struct regcmd *rc, u32 target, u32 reg, u32 value)
{
	rc->entries[rc->count++] = (u64)target << RC_TARGET_SHIFT |
				   (u64)value << RC_VALUE_SHIFT | (reg & RC_OFFSET_MASK);
}

/*
 * Registers a matmul leaves at 0 but a convolution on the same core may
 * have set: written as 0 so that a task does not depend on what ran before.
 * The CNA, CORE and DPU ones are those the silicon-tested matmul writes as
 * 0; the DPU_RDMA ones are the read paths (bias, batch-norm, element-wise)
 * a convolution programs.
 */
static const u32 zero_cna[] = {
	REG_CNA_FC_CON0, REG_CNA_FC_CON1, REG_CNA_PAD_CON0, REG_CNA_FC_CON2,
	REG_CNA_DCOMP_CTRL, REG_CNA_DCOMP_REGNUM,
	REG_CNA_DCOMP_AMOUNT0, REG_CNA_DCOMP_AMOUNT1, REG_CNA_DCOMP_AMOUNT2,
	REG_CNA_DCOMP_AMOUNT3, REG_CNA_DCOMP_AMOUNT4, REG_CNA_DCOMP_AMOUNT5,
	REG_CNA_DCOMP_AMOUNT6, REG_CNA_DCOMP_AMOUNT7, REG_CNA_DCOMP_AMOUNT8,
	REG_CNA_DCOMP_AMOUNT9, REG_CNA_DCOMP_AMOUNT10, REG_CNA_DCOMP_AMOUNT11,
	REG_CNA_DCOMP_AMOUNT12, REG_CNA_DCOMP_AMOUNT13, REG_CNA_DCOMP_AMOUNT14,
	REG_CNA_DCOMP_AMOUNT15, REG_CNA_CVT_CON5, REG_CNA_PAD_CON1,
};

/*
 * CORE 0x3030 and DPU 0x40c4 have no name in the register description, yet
 * every public sequence that ran on silicon (Mesa's convolutions, the
 * board-tested matmul encoder) writes 0 to both on every task. Registers
 * keep their values from task to task and from job to job on a core, and
 * other clients of the core write them too; clearing them here keeps each
 * task independent of whatever ran before, for two entries a task.
 */
#define REG_CORE_UNNAMED_3030	0x3030
#define REG_DPU_UNNAMED_40C4	0x40c4

static const u32 zero_core[] = {
	REG_CORE_CLIP_TRUNCATE, REG_CORE_UNNAMED_3030,
};

static const u32 zero_dpu[] = {
	REG_DPU_OFFSET_PEND, REG_DPU_DATA_CUBE_WIDTH, REG_DPU_DATA_CUBE_NOTCH_ADDR,
	REG_DPU_BS_ALU_CFG, REG_DPU_BS_MUL_CFG, REG_DPU_BS_RELUX_CMP_VALUE, REG_DPU_BS_OW_OP,
	REG_DPU_BN_ALU_CFG, REG_DPU_BN_MUL_CFG, REG_DPU_BN_RELUX_CMP_VALUE,
	REG_DPU_EW_CVT_OFFSET_VALUE, REG_DPU_EW_RELUX_CMP_VALUE,
	REG_DPU_EW_OP_VALUE_0, REG_DPU_EW_OP_VALUE_1, REG_DPU_EW_OP_VALUE_2,
	REG_DPU_EW_OP_VALUE_3, REG_DPU_EW_OP_VALUE_4, REG_DPU_EW_OP_VALUE_5,
	REG_DPU_EW_OP_VALUE_6, REG_DPU_EW_OP_VALUE_7,
	REG_DPU_OUT_CVT_OFFSET, REG_DPU_OUT_CVT_SHIFT,
	REG_DPU_LUT_ACCESS_CFG, REG_DPU_LUT_ACCESS_DATA, REG_DPU_LUT_CFG, REG_DPU_LUT_INFO,
	REG_DPU_LUT_LE_START, REG_DPU_LUT_LE_END, REG_DPU_LUT_LO_START, REG_DPU_LUT_LO_END,
	REG_DPU_LUT_LE_SLOPE_SCALE, REG_DPU_LUT_LE_SLOPE_SHIFT,
	REG_DPU_LUT_LO_SLOPE_SCALE, REG_DPU_LUT_LO_SLOPE_SHIFT, REG_DPU_UNNAMED_40C4,
};

static const u32 zero_dpu_rdma[] = {
	REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT,
	REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR,
	REG_DPU_RDMA_RDMA_BRDMA_CFG, REG_DPU_RDMA_RDMA_BS_BASE_ADDR,
	REG_DPU_RDMA_RDMA_NRDMA_CFG, REG_DPU_RDMA_RDMA_BN_BASE_ADDR,
	REG_DPU_RDMA_RDMA_EW_BASE_ADDR, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	REG_DPU_RDMA_RDMA_SRC_DMA_CFG, REG_DPU_RDMA_RDMA_SURF_NOTCH,
	REG_DPU_RDMA_RDMA_PAD_CFG, REG_DPU_RDMA_RDMA_WEIGHT,
	REG_DPU_RDMA_RDMA_EW_SURF_NOTCH,
};

static void emit_zeros(struct regcmd *rc, u32 target, const u32 *regs, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++)
		emit(rc, target, regs[i], 0);
}

/* Operand addresses of a task: row and column offsets into A, B and C. */
struct task_addrs {
	u32 a;
	u32 b;
	u32 c;
};

static void task_addrs(const struct rocket_matmul_shape *shape,
		       const struct rocket_matmul_task *task, struct task_addrs *addrs)
{
	u32 c2out = ATOM / rocket_matmul_out_bytes(shape->type);

	/* row m0 is atom m0 of every A surface and of every C surface */
	addrs->a = shape->a_addr + task->m0 * ATOM;
	/* kernel groups are contiguous, K * bpe bytes a kernel */
	addrs->b = shape->b_addr + task->n0 * shape->k * rocket_matmul_in_bytes(shape->type);
	/* a C surface holds c2out columns of all M rows */
	addrs->c = shape->c_addr + (task->n0 / c2out) * shape->m * ATOM + task->m0 * ATOM;
}

static void emit_cna(struct regcmd *rc, const struct rocket_matmul_shape *shape,
		     const struct rocket_matmul_task *task, const struct task_addrs *addrs)
{
	u32 prec = in_precision(shape->type);
	u32 bpe = rocket_matmul_in_bytes(shape->type);
	u32 kbytes = shape->k * bpe;
	/* surface stride W * (H - 4) of the whole A: -3 wraps for a 1-row A */
	u32 surf_stride = shape->m - 4;

	emit(rc, TGT_CNA, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(prec) |
	     CNA_CONV_CON1_IN_PRECISION(prec));
	/* open: M + 1 works on silicon for matmul; convolutions use other values */
	emit(rc, TGT_CNA, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(task->m + 1));
	emit(rc, TGT_CNA, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
	     CNA_CONV_CON3_CONV_Y_STRIDE(1));
	emit(rc, TGT_CNA, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
	     CNA_DATA_SIZE0_DATAIN_HEIGHT(task->m));
	emit(rc, TGT_CNA, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(shape->k - 1) |
	     CNA_DATA_SIZE1_DATAIN_CHANNEL(shape->k));
	emit(rc, TGT_CNA, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1));
	emit(rc, TGT_CNA, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(task->m));
	emit(rc, TGT_CNA, REG_CNA_WEIGHT_SIZE0, CNA_WEIGHT_SIZE0_WEIGHT_BYTES(kbytes * task->n));
	emit(rc, TGT_CNA, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(kbytes));
	emit(rc, TGT_CNA, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
	     CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(task->n));
	emit(rc, TGT_CNA, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_REUSE(task->weight_reuse) |
	     CNA_CBUF_CON0_WEIGHT_BANK(BANKS - task->data_banks) |
	     CNA_CBUF_CON0_DATA_BANK(task->data_banks));
	emit(rc, TGT_CNA, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(DIV_ROUND_UP(kbytes, 64)));
	emit(rc, TGT_CNA, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	     CNA_CVT_CON0_CVT_BYPASS(1));
	emit(rc, TGT_CNA, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1));
	emit(rc, TGT_CNA, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1));
	emit(rc, TGT_CNA, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1));
	emit(rc, TGT_CNA, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1));
	emit(rc, TGT_CNA, REG_CNA_FEATURE_DATA_ADDR, addrs->a);
	emit(rc, TGT_CNA, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
	     CNA_DMA_CON0_DATA_BURST_LEN(15));
	emit(rc, TGT_CNA, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4));
	emit(rc, TGT_CNA, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(surf_stride));
	emit(rc, TGT_CNA, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
	     CNA_FC_DATA_SIZE0_DMA_HEIGHT(task->m));
	emit(rc, TGT_CNA, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(shape->k));
	emit(rc, TGT_CNA, REG_CNA_DCOMP_ADDR0, addrs->b);
	emit_zeros(rc, TGT_CNA, zero_cna, ARRAY_SIZE(zero_cna));
}

static void emit_core(struct regcmd *rc, const struct rocket_matmul_shape *shape,
		      const struct rocket_matmul_task *task)
{
	u32 misc = 0;

	if (in_precision(shape->type) == PREC_FP16)
		misc = CORE_MISC_CFG_PROC_PRECISION(PREC_FP16) | CORE_MISC_CFG_QD_EN(1);
	emit(rc, TGT_CORE, REG_CORE_MISC_CFG, misc);
	emit(rc, TGT_CORE, REG_CORE_DATAOUT_SIZE_0,
	     CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(task->m - 1) |
	     CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH(0));
	emit(rc, TGT_CORE, REG_CORE_DATAOUT_SIZE_1,
	     CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(task->n - 1));
	emit_zeros(rc, TGT_CORE, zero_core, ARRAY_SIZE(zero_core));
}

static void emit_dpu(struct regcmd *rc, const struct rocket_matmul_shape *shape,
		     const struct rocket_matmul_task *task, const struct task_addrs *addrs)
{
	u32 prec = in_precision(shape->type), out = out_precision(shape->type);
	u32 c2out = ATOM / rocket_matmul_out_bytes(shape->type);
	/* output atoms of one kernel group: SIZE_E is one less, SURFACE_ADD per row */
	u32 atoms = rocket_matmul_kernel_group(shape->type) / c2out;

	emit(rc, TGT_DPU, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1));
	emit(rc, TGT_DPU, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2));
	emit(rc, TGT_DPU, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(out) |
	     DPU_DATA_FORMAT_IN_PRECISION(prec) | DPU_DATA_FORMAT_PROC_PRECISION(prec));
	emit(rc, TGT_DPU, REG_DPU_DST_BASE_ADDR, addrs->c);
	/* M * 16 bytes of the whole C: the field is in 16-byte units */
	emit(rc, TGT_DPU, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(shape->m));
	emit(rc, TGT_DPU, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(task->m - 1));
	emit(rc, TGT_DPU, REG_DPU_DATA_CUBE_CHANNEL,
	     DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(task->n - 1) |
	     DPU_DATA_CUBE_CHANNEL_CHANNEL(task->n - 1));
	emit(rc, TGT_DPU, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) |
	     DPU_BS_CFG_BS_MUL_BYPASS(1) | DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1));
	/* OD_BYPASS set, as the board-tested matmul encoder does for these outputs */
	emit(rc, TGT_DPU, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(atoms - 1) |
	     DPU_BS_OW_CFG_SIZE_E_1(atoms - 1) | DPU_BS_OW_CFG_SIZE_E_0(atoms - 1) |
	     DPU_BS_OW_CFG_OD_BYPASS(1));
	emit(rc, TGT_DPU, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(task->n - 1));
	emit(rc, TGT_DPU, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(task->m - 1) |
	     DPU_WDMA_SIZE_1_WIDTH_WDMA(0));
	emit(rc, TGT_DPU, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) |
	     DPU_BN_CFG_BN_MUL_BYPASS(1) | DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	emit(rc, TGT_DPU, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1));
	emit(rc, TGT_DPU, REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
	emit(rc, TGT_DPU, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) |
	     DPU_OUT_CVT_SCALE_FP32TOFP16_EN(out == PREC_FP16));
	emit(rc, TGT_DPU, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(atoms * shape->m));
	emit_zeros(rc, TGT_DPU, zero_dpu, ARRAY_SIZE(zero_dpu));
}

/* Without DPU_RDMA programmed the core hangs (its read DMA waits forever). */
static void emit_dpu_rdma(struct regcmd *rc)
{
	emit(rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_S_POINTER,
	     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1));
	emit(rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_ERDMA_CFG,
	     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
	emit(rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1));
	emit_zeros(rc, TGT_DPU_RDMA, zero_dpu_rdma, ARRAY_SIZE(zero_dpu_rdma));
}

/* Every task is kicked on its own: no next list to chain to. */
static void emit_tail(struct regcmd *rc)
{
	emit(rc, TGT_PC, REG_PC_BASE_ADDRESS, 0);
	emit(rc, TGT_PC, REG_PC_REGISTER_AMOUNTS, 0);
	emit(rc, TGT_MARKER, 0, 0);
	emit(rc, TGT_OP_ENABLE, REG_PC_OPERATION_ENABLE, ROCKET_MATMUL_OP_ENABLE);
}

/* ---------------------------------------------------------------------- */
/* Split K: segments and add tasks                                          */

/*
 * Buffers of the partial sums: 0 is C, 1 and 2 the scratch planes, all in
 * C's layout with 4-byte elements. Segment @t's partial goes to
 * part_buf(t); add t (t >= 1) reads the sum in (T - t) % 3 and the
 * partial in (T + 1 - t) % 3 and writes (T - 1 - t) % 3, so that the last
 * add writes C, no add writes a buffer it reads, and a partial never
 * overwrites a sum still to be read.
 */
static u32 part_buf(u32 segments, u32 t)
{
	return t ? (segments + 1 - t) % 3 : (segments - 1) % 3;
}

static u32 buf_addr(const struct rocket_matmul_shape *shape, u32 buf)
{
	u32 plane = shape->m * shape->n * sizeof(u32);

	return buf ? shape->scratch_addr + (buf - 1) * plane : shape->c_addr;
}

void rocket_matmul_segment(const struct rocket_matmul_shape *shape, u32 seg,
			   struct rocket_matmul_shape *out)
{
	u32 bpe = rocket_matmul_in_bytes(shape->type), k0;

	*out = *shape;
	if (!split(shape))
		return;
	k0 = seg * shape->seg_k;
	out->k = min(shape->seg_k, shape->k - k0);
	out->segments = 1;
	out->seg_k = out->k;
	/* A: k0 / C2 whole surfaces of M rows; B: the segments before it */
	out->a_addr = shape->a_addr + k0 * bpe / ATOM * shape->m * ATOM;
	out->b_addr = shape->b_addr + k0 * shape->n * bpe;
	out->c_addr = buf_addr(shape, part_buf(shape->segments, seg));
}

void rocket_matmul_add_addrs(const struct rocket_matmul_shape *shape, u32 seg,
			     u32 *sum, u32 *part, u32 *out)
{
	u32 t = shape->segments;

	*sum = buf_addr(shape, (t - seg) % 3);
	*part = buf_addr(shape, (t + 1 - seg) % 3);
	*out = buf_addr(shape, (t - 1 - seg) % 3);
}

u32 rocket_matmul_task_entries(const struct rocket_matmul_task *task)
{
	return task->kind == ROCKET_MATMUL_TASK_ADD ? ROCKET_MATMUL_ADD_ENTRIES :
	       ROCKET_MATMUL_TASK_ENTRIES;
}

/*
 * DPU registers an add leaves at 0. Written, as the matmul task does, so
 * that the task depends on nothing that ran before; the matmul task in
 * turn clears what the add sets. LUT_ACCESS_DATA is left alone: writing it
 * feeds the LUT's access port.
 */
static const u32 add_zero_dpu[] = {
	REG_DPU_OFFSET_PEND, REG_DPU_DATA_CUBE_HEIGHT, REG_DPU_DATA_CUBE_NOTCH_ADDR,
	REG_DPU_BS_ALU_CFG, REG_DPU_BS_MUL_CFG, REG_DPU_BS_RELUX_CMP_VALUE, REG_DPU_BS_OW_OP,
	REG_DPU_BN_ALU_CFG, REG_DPU_BN_MUL_CFG, REG_DPU_BN_RELUX_CMP_VALUE,
	REG_DPU_EW_CVT_OFFSET_VALUE, REG_DPU_EW_RELUX_CMP_VALUE,
	REG_DPU_EW_OP_VALUE_0, REG_DPU_EW_OP_VALUE_1, REG_DPU_EW_OP_VALUE_2,
	REG_DPU_EW_OP_VALUE_3, REG_DPU_EW_OP_VALUE_4, REG_DPU_EW_OP_VALUE_5,
	REG_DPU_EW_OP_VALUE_6, REG_DPU_EW_OP_VALUE_7,
	REG_DPU_OUT_CVT_OFFSET, REG_DPU_OUT_CVT_SHIFT,
	REG_DPU_LUT_ACCESS_CFG, REG_DPU_LUT_CFG, REG_DPU_LUT_INFO,
	REG_DPU_LUT_LE_START, REG_DPU_LUT_LE_END, REG_DPU_LUT_LO_START, REG_DPU_LUT_LO_END,
	REG_DPU_LUT_LE_SLOPE_SCALE, REG_DPU_LUT_LE_SLOPE_SHIFT,
	REG_DPU_LUT_LO_SLOPE_SCALE, REG_DPU_LUT_LO_SLOPE_SHIFT, REG_DPU_UNNAMED_40C4,
};

static const u32 add_zero_dpu_rdma[] = {
	REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, REG_DPU_RDMA_RDMA_BRDMA_CFG,
	REG_DPU_RDMA_RDMA_BS_BASE_ADDR, REG_DPU_RDMA_RDMA_NRDMA_CFG,
	REG_DPU_RDMA_RDMA_BN_BASE_ADDR, REG_DPU_RDMA_RDMA_SRC_DMA_CFG,
	REG_DPU_RDMA_RDMA_PAD_CFG,
};

/*
 * The DPU-only INT32 add: MRDMA reads the running sum, ERDMA the partial
 * (per element, 32-bit), the EW ALU adds them (saturating INT32, exact)
 * and WDMA writes the new sum, all in C's layout. The tile's m rows are
 * the cube's width, height 1, as in rknpu2_matmul_open's DPU chain; a
 * surface of the tile is m * 16 bytes of a surface of M * 16, the rest
 * skipped by the notches. Every precision field is INT32, the EW operand
 * converter bypassed, OUT_CVT scale 1: the whole set rockchip-npu-notes
 * measured exact (matmul.rst, "K above 8192", lists each field's source).
 */
static int encode_add(const struct rocket_matmul_shape *shape,
		      const struct rocket_matmul_task *task, u64 *regcmd)
{
	struct regcmd rc = { .entries = regcmd };
	u32 sum, part, out, at, notch = (shape->m - task->m) * ATOM;

	rocket_matmul_add_addrs(shape, task->seg, &sum, &part, &out);
	/* a 4-byte C surface holds 4 columns of all M rows */
	at = task->n0 / 4 * shape->m * ATOM + task->m0 * ATOM;

	emit(&rc, TGT_DPU, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1));
	/* FLYING_MODE: the main operand comes from memory (MRDMA), not the CORE */
	emit(&rc, TGT_DPU, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) | DPU_FEATURE_MODE_CFG_FLYING_MODE(1));
	emit(&rc, TGT_DPU, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(PREC_INT32) |
	     DPU_DATA_FORMAT_IN_PRECISION(PREC_INT32) |
	     DPU_DATA_FORMAT_PROC_PRECISION(PREC_INT32));
	emit(&rc, TGT_DPU, REG_DPU_DST_BASE_ADDR, out + at);
	emit(&rc, TGT_DPU, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(shape->m));
	emit(&rc, TGT_DPU, REG_DPU_DATA_CUBE_WIDTH, DPU_DATA_CUBE_WIDTH_WIDTH(task->m - 1));
	/* ORIG_CHANNEL equal to CHANNEL, or only lane 0 of an atom is right */
	emit(&rc, TGT_DPU, REG_DPU_DATA_CUBE_CHANNEL,
	     DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(task->n - 1) |
	     DPU_DATA_CUBE_CHANNEL_CHANNEL(task->n - 1));
	emit(&rc, TGT_DPU, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) |
	     DPU_BS_CFG_BS_MUL_BYPASS(1) | DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1));
	emit(&rc, TGT_DPU, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_OD_BYPASS(1));
	emit(&rc, TGT_DPU, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(task->n - 1));
	emit(&rc, TGT_DPU, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_WIDTH_WDMA(task->m - 1));
	emit(&rc, TGT_DPU, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) |
	     DPU_BN_CFG_BN_MUL_BYPASS(1) | DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	/* per-element 32-bit operand from ERDMA, ALU ADD, operand converter bypassed */
	emit(&rc, TGT_DPU, REG_DPU_EW_CFG, DPU_EW_CFG_EW_DATA_MODE(1) |
	     DPU_EW_CFG_EDATA_SIZE(3) | DPU_EW_CFG_EW_ALU_ALGO(2) |
	     DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
	     DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_SRC(1));
	emit(&rc, TGT_DPU, REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
	emit(&rc, TGT_DPU, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1));
	emit(&rc, TGT_DPU, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(shape->m));
	emit_zeros(&rc, TGT_DPU, add_zero_dpu, ARRAY_SIZE(add_zero_dpu));

	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_S_POINTER,
	     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH,
	     DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(task->m - 1));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	     DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(task->n - 1));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, sum + at);
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_SURF_NOTCH,
	     DPU_RDMA_RDMA_SURF_NOTCH_SURF_NOTCH_ADDR(notch / ATOM));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_ERDMA_CFG,
	     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE(1) |
	     DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE(3));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, part + at);
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	     DPU_RDMA_RDMA_EW_SURF_STRIDE_EW_SURF_STRIDE(task->m));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH,
	     DPU_RDMA_RDMA_EW_SURF_NOTCH_EW_SURF_NOTCH(notch / ATOM));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION(PREC_INT32) |
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION(PREC_INT32) |
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_FLYING_MODE(1));
	emit(&rc, TGT_DPU_RDMA, REG_DPU_RDMA_RDMA_WEIGHT,
	     DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(1) |
	     DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(1));
	emit_zeros(&rc, TGT_DPU_RDMA, add_zero_dpu_rdma, ARRAY_SIZE(add_zero_dpu_rdma));

	emit(&rc, TGT_PC, REG_PC_BASE_ADDRESS, 0);
	emit(&rc, TGT_PC, REG_PC_REGISTER_AMOUNTS, 0);
	emit(&rc, TGT_MARKER, 0, 0);
	emit(&rc, TGT_OP_ENABLE, REG_PC_OPERATION_ENABLE, ROCKET_MATMUL_ADD_OP_ENABLE);
	return rc.count;
}

int rocket_matmul_encode_task(const struct rocket_matmul_shape *shape,
			      const struct rocket_matmul_task *task, u64 *regcmd,
			      u32 max_entries)
{
	struct regcmd rc = { .entries = regcmd };
	struct rocket_matmul_shape seg;
	struct task_addrs addrs;

	if (max_entries < rocket_matmul_task_entries(task))
		return -ENOSPC;
	if (task->kind == ROCKET_MATMUL_TASK_ADD)
		return encode_add(shape, task, regcmd);

	rocket_matmul_segment(shape, task->seg, &seg);
	task_addrs(&seg, task, &addrs);
	emit_cna(&rc, &seg, task, &addrs);
	emit_core(&rc, &seg, task);
	emit_dpu(&rc, &seg, task, &addrs);
	emit_dpu_rdma(&rc);
	emit_tail(&rc);
	return rc.count;
}
