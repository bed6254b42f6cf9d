/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Matrix multiplies planned and encoded by the kernel (DRM_IOCTL_ROCKET_MATMUL):
 * validation of the descriptor, the tiling plan and the register command
 * lists of its tasks.
 *
 * Pure C over plain data: no allocation, locks, I/O or other kernel services,
 * so that the same file builds into the driver and into host tests. The
 * caller (the ioctl) looks up the three BOs, fills struct rocket_matmul_bos,
 * and then calls, in this order:
 *
 *   rocket_matmul_validate()     descriptor -> struct rocket_matmul_shape
 *   rocket_matmul_plan()         shape -> struct rocket_matmul_plan
 *   for each job j < plan.job_count, each task t < plan.jobs[j].task_count:
 *     rocket_matmul_get_task()   -> struct rocket_matmul_task
 *     rocket_matmul_encode_task() -> ROCKET_MATMUL_TASK_ENTRIES entries
 *
 * and queues the tasks of each job as plan.jobs[j].runs scheduler jobs of
 * plan.jobs[j].run_tasks consecutive tasks (the last one may hold fewer),
 * so that none runs longer than ROCKET_MATMUL_JOB_BUDGET_NS.
 *
 * The hardware facts used here, and which of them are open, are those of the
 * NPU matmul reference the series works from; each limit below says where it
 * comes from.
 */

#ifndef __ROCKET_MATMUL_H__
#define __ROCKET_MATMUL_H__

#include <linux/bits.h>
#include <linux/types.h>

#include <drm/rocket_accel.h>

/* NPU cores on RK3588, so jobs (one per core used) per plan. */
#define ROCKET_MATMUL_MAX_JOBS		3

/* Convolution buffer of one core: 12 banks of 32 KiB, split data | weights. */
#define ROCKET_MATMUL_CBUF_BANKS	12
#define ROCKET_MATMUL_CBUF_BANK_SIZE	32768

/*
 * Rows per task: CNA_CONV_CON2.FEATURE_GRAINS (10 bits) holds M + 1, so
 * M <= 1022; row slices must stay multiples of 4 (the surface stride
 * formula), so 1020.
 */
#define ROCKET_MATMUL_MAX_TASK_M	1020u

/* Columns per task: the DPU channel fields (13 bits) hold N - 1. */
#define ROCKET_MATMUL_MAX_TASK_N	8192u

/*
 * K of one task: the largest K run on silicon in one task, and where the
 * vendor runtime starts splitting K (B in segments of 8192 on RK3588).
 */
#define ROCKET_MATMUL_MAX_TASK_K	8192u

/*
 * K of a product. Above ROCKET_MATMUL_MAX_TASK_K, K is split into
 * DIV_ROUND_UP(K, 8192) segments, B is laid out segment by segment (see
 * &struct drm_rocket_matmul), each segment's partial product goes to memory
 * as INT32 and DPU-only add tasks sum the partials on the same core, in
 * ascending K. 65536 keeps a product at 8 segments; INT8 stays exact up to
 * 131071 (no partial sum or total can saturate INT32 below it).
 */
#define ROCKET_MATMUL_MAX_K		65536u
#define ROCKET_MATMUL_MAX_SEGMENTS	(ROCKET_MATMUL_MAX_K / ROCKET_MATMUL_MAX_TASK_K)

/*
 * Add tasks: at most 128 rows and 1024 columns, the largest DPU-only INT32
 * add geometry in public code (rknpu2_matmul_open's DPU chain); the fields
 * would allow 8192 x 8192.
 */
#define ROCKET_MATMUL_ADD_MAX_M		128u
#define ROCKET_MATMUL_ADD_MAX_N		1024u

/*
 * Kernel scratch of a split product: two planes of M x N INT32 partials in
 * the layout of C. Bounded to 64 MiB (M * N <= 2^23).
 */
#define ROCKET_MATMUL_MAX_SCRATCH	(64ull << 20)

/*
 * M and N of the whole product. M: DPU_SURFACE_ADD holds 8 * M for INT32
 * output in 28 bits. N has no field of its own (it is sliced per task);
 * the same bound keeps every size computation far from overflow.
 */
#define ROCKET_MATMUL_MAX_M		BIT(24)
#define ROCKET_MATMUL_MAX_N		BIT(24)

/*
 * Tasks of one ioctl: bounds the kernel's command buffer to
 * ROCKET_MATMUL_MAX_TASKS * ROCKET_MATMUL_TASK_STRIDE bytes (4 MiB).
 */
#define ROCKET_MATMUL_MAX_TASKS		4096u

/*
 * Entries of one task's register command list, the four-entry tail
 * included. Even, so that PC_REGISTER_AMOUNTS = (entries + 1) / 2 - 1
 * fetches exactly the list, no entry past it.
 */
#define ROCKET_MATMUL_TASK_ENTRIES	126

/*
 * Run time. The scheduler gives a job JOB_TIMEOUT_MS (rocket_job.c, 500 ms)
 * before it resets the core, and one core may have up to
 * ROCKET_MATMUL_MAX_TASKS tasks of a product: the tasks of a core are queued
 * as several jobs, each predicted to run at most ROCKET_MATMUL_JOB_BUDGET_NS,
 * half the timeout, so that the assumptions below have a margin of two.
 *
 * A task is predicted to take, at the slowest NPU clock, the longer of its
 * MACs at the peak rate and its DRAM bytes at a minimum bandwidth, plus the
 * CPU's work between two tasks (interrupt, threaded handler, next kick):
 *
 * - ROCKET_MATMUL_NPU_MIN_MHZ: mainline (rk3588-base.dtsi) assigns 200 MHz to
 *   SCMI_CLK_NPU and has no NPU OPP table, and rocket does no DVFS; the
 *   vendor kernel's lowest NPU OPP is 300 MHz. 200 MHz is 5 ns a cycle.
 * - Peak MACs per cycle and core (RK3588 TRM): 1024 INT8, 512 FP16.
 * - ROCKET_MATMUL_DMA_MIN_MBPS: an assumption, open. No silicon-tested
 *   figure of the NPU's DMA bandwidth is public; 1000 MB/s (1 ns a byte) is
 *   chosen far below what the SoC's DRAM delivers, while the largest single
 *   task still fits the budget (ROCKET_MATMUL_MAX_TASK_NS, 168 of 250 ms).
 * - ROCKET_MATMUL_TASK_GAP_NS: an assumption, open. 100 us between two
 *   tasks; it bounds a job of many small tasks, whose MACs and bytes alone
 *   would predict almost nothing.
 */
#define ROCKET_MATMUL_JOB_BUDGET_NS	250000000ull
#define ROCKET_MATMUL_NPU_MIN_MHZ	200u
#define ROCKET_MATMUL_NS_PER_CYCLE	(1000u / ROCKET_MATMUL_NPU_MIN_MHZ)
#define ROCKET_MATMUL_MACS_INT8		1024u
#define ROCKET_MATMUL_MACS_FP16		512u
#define ROCKET_MATMUL_DMA_MIN_MBPS	1000u
#define ROCKET_MATMUL_NS_PER_BYTE	(1000u / ROCKET_MATMUL_DMA_MIN_MBPS)
#define ROCKET_MATMUL_TASK_GAP_NS	100000u

/*
 * The most a single task can be predicted to take, from the limits above:
 * its A tile fits the data banks (at most 11 of the 12), so it holds at most
 * 11 * 32 KiB / bpe elements and issues that many MACs per column, for at
 * most ROCKET_MATMUL_MAX_TASK_N columns; it reads at most that A tile,
 * ROCKET_MATMUL_MAX_TASK_N kernels of ROCKET_MATMUL_MAX_TASK_K FP16 weights,
 * writes at most ROCKET_MATMUL_MAX_TASK_M x ROCKET_MATMUL_MAX_TASK_N 4-byte
 * outputs, and fetches its command list. INT8 and FP16 issue the same
 * cycles (half the elements at half the rate). About 168 ms: a task is
 * always small enough to be a job of its own.
 */
#define ROCKET_MATMUL_MAX_A_TILE	((ROCKET_MATMUL_CBUF_BANKS - 1ull) * \
					 ROCKET_MATMUL_CBUF_BANK_SIZE)
#define ROCKET_MATMUL_MAX_TASK_CYCLES \
	(ROCKET_MATMUL_MAX_A_TILE * ROCKET_MATMUL_MAX_TASK_N / ROCKET_MATMUL_MACS_INT8)
#define ROCKET_MATMUL_MAX_TASK_BYTES \
	(ROCKET_MATMUL_MAX_A_TILE + \
	 2ull * ROCKET_MATMUL_MAX_TASK_N * ROCKET_MATMUL_MAX_TASK_K + \
	 4ull * ROCKET_MATMUL_MAX_TASK_M * ROCKET_MATMUL_MAX_TASK_N + \
	 ROCKET_MATMUL_TASK_ENTRIES * 8ull)
#define ROCKET_MATMUL_MAX_TASK_NS \
	(ROCKET_MATMUL_TASK_GAP_NS + \
	 (ROCKET_MATMUL_MAX_TASK_CYCLES * ROCKET_MATMUL_NS_PER_CYCLE > \
	  ROCKET_MATMUL_MAX_TASK_BYTES * ROCKET_MATMUL_NS_PER_BYTE ? \
	  ROCKET_MATMUL_MAX_TASK_CYCLES * ROCKET_MATMUL_NS_PER_CYCLE : \
	  ROCKET_MATMUL_MAX_TASK_BYTES * ROCKET_MATMUL_NS_PER_BYTE))

/*
 * Entries of an add task's command list (DPU and DPU_RDMA only), the tail
 * included; even, as ROCKET_MATMUL_TASK_ENTRIES.
 */
#define ROCKET_MATMUL_ADD_ENTRIES	72

/* Bytes between two task lists in the command BO: 64-byte aligned lists. */
#define ROCKET_MATMUL_TASK_STRIDE	1024

/*
 * PC_OPERATION_ENABLE value of the tail. Open: its bits are undocumented;
 * 0x0d is what the silicon-tested matmul code uses (convolutions use 0x1d).
 */
#define ROCKET_MATMUL_OP_ENABLE		0x0d

/*
 * PC_OPERATION_ENABLE of a DPU-only task (add of two operands read from
 * memory): 0x18, the enable value rknpu2_matmul_open gives its DPU-only
 * INT32 add tasks. Open as 0x0d: read as DPU and DPU_RDMA (0x0d enabling
 * CNA, CORE and DPU), but undocumented.
 */
#define ROCKET_MATMUL_ADD_OP_ENABLE	0x18

/**
 * struct rocket_matmul_bo - what the ioctl knows about one operand's BO
 * @size: bytes of the BO
 * @npu_addr: NPU address of the BO's first byte
 */
struct rocket_matmul_bo {
	u64 size;
	u64 npu_addr;
};

/**
 * struct rocket_matmul_bos - the BOs named by the descriptor's handles
 * @a: BO of A
 * @b: BO of B
 * @c: BO of C
 *
 * The same BO may appear more than once; overlap is checked on NPU
 * addresses, which are unique per BO.
 */
struct rocket_matmul_bos {
	struct rocket_matmul_bo a;
	struct rocket_matmul_bo b;
	struct rocket_matmul_bo c;
};

/**
 * struct rocket_matmul_shape - a validated matrix multiply
 * @type: &enum drm_rocket_matmul_type
 * @m: rows of A and C
 * @k: columns of A, rows of B
 * @n: columns of B and C
 * @a_addr: NPU address of A
 * @b_addr: NPU address of B
 * @c_addr: NPU address of C
 * @core_mask: cores the plan may use, non-zero
 * @segments: segments of K, 1 unless K > ROCKET_MATMUL_MAX_TASK_K
 * @seg_k: K of every segment but the last, which holds the rest (at most
 *	@seg_k); @k if @segments is 1
 * @scratch_addr: NPU address of the kernel's scratch for partial sums,
 *	rocket_matmul_plan.scratch_bytes long, set by the caller after planning
 *	and before encoding; unused if @segments is 1
 */
struct rocket_matmul_shape {
	u32 type;
	u32 m;
	u32 k;
	u32 n;
	u32 a_addr;
	u32 b_addr;
	u32 c_addr;
	u32 core_mask;
	u32 segments;
	u32 seg_k;
	u32 scratch_addr;
};

/**
 * struct rocket_matmul_job - the tasks one core runs in order
 * @m0: first row of A and C of the job
 * @m: rows of the job
 * @n0: first column of B and C of the job
 * @n: columns of the job
 * @task_m: rows per task; the last row slice may be shorter
 * @task_n: columns per task; the last column slice may be narrower
 * @row_slices: tasks per column slice
 * @col_slices: column slices
 * @task_count: @seg_tasks * segments + @add_tasks * (segments - 1)
 * @data_banks: CBUF banks holding A rows; the other banks hold weights
 * @weight_reuse: the weights of a column slice stay in the CBUF: every task
 *	but the first of a column slice, and but the first of a run, sets
 *	WEIGHT_REUSE
 * @seg_tasks: matmul tasks per segment of K, @row_slices * @col_slices
 * @add_m: rows per add task (split K); the last row tile may be shorter
 * @add_n: columns per add task; the last column tile may be narrower
 * @add_row_tiles: add tasks per column tile
 * @add_tasks: add tasks per added segment; 0 if K is not split
 * @run_tasks: tasks per run, 1..@task_count: the consecutive tasks queued
 *	as one scheduler job, whose predicted time is at most
 *	ROCKET_MATMUL_JOB_BUDGET_NS; the last run may hold fewer
 * @runs: runs of the job, DIV_ROUND_UP(@task_count, @run_tasks)
 *
 * Tasks run segment by segment of K; each segment's tasks column slice by
 * column slice, each row slice by row slice; after every segment but the
 * first, the add tasks that sum its partial into the running sum. The
 * runs of a job are queued in order on its core, so run after each other;
 * another client's job may run between two of them, so the first task of a
 * run never relies on weights left in the CBUF.
 */
struct rocket_matmul_job {
	u32 m0;
	u32 m;
	u32 n0;
	u32 n;
	u32 task_m;
	u32 task_n;
	u32 row_slices;
	u32 col_slices;
	u32 task_count;
	u32 data_banks;
	bool weight_reuse;
	u32 seg_tasks;
	u32 add_m;
	u32 add_n;
	u32 add_row_tiles;
	u32 add_tasks;
	u32 run_tasks;
	u32 runs;
};

/**
 * struct rocket_matmul_plan - jobs and tasks of one matrix multiply
 * @shape: the product planned
 * @job_count: jobs used, 1..ROCKET_MATMUL_MAX_JOBS; at most one per core of
 *	@shape.core_mask. Jobs are independent: they write disjoint parts of C.
 * @task_count: tasks over all jobs, at most ROCKET_MATMUL_MAX_TASKS
 * @run_count: runs over all jobs, the scheduler jobs queued; at most
 *	@task_count
 * @scratch_bytes: kernel scratch the caller allocates for partial sums
 *	(0 unless K is split), mapped for the NPU for as long as any job of the
 *	product may run; its address goes to @shape.scratch_addr
 * @jobs: the jobs
 */
struct rocket_matmul_plan {
	struct rocket_matmul_shape shape;
	u32 job_count;
	u32 task_count;
	u32 run_count;
	u64 scratch_bytes;
	struct rocket_matmul_job jobs[ROCKET_MATMUL_MAX_JOBS];
};

/* What a task does: a matrix multiply of one segment of K, or an add. */
enum rocket_matmul_task_kind {
	ROCKET_MATMUL_TASK_MATMUL,
	ROCKET_MATMUL_TASK_ADD,
};

/**
 * struct rocket_matmul_task - one NPU task: C[m0.., n0..] of m x n
 * @m0: first row
 * @m: rows, <= ROCKET_MATMUL_MAX_TASK_M (<= ROCKET_MATMUL_ADD_MAX_M for an add)
 * @n0: first column
 * @n: columns, <= ROCKET_MATMUL_MAX_TASK_N (<= ROCKET_MATMUL_ADD_MAX_N for an add)
 * @data_banks: CBUF_CON0.DATA_BANK (matmul)
 * @weight_reuse: CBUF_CON0.WEIGHT_REUSE (matmul)
 * @kind: &enum rocket_matmul_task_kind
 * @seg: segment of K a matmul task multiplies; for an add, the segment
 *	whose partial it adds to the sum of the segments before it (1..)
 */
struct rocket_matmul_task {
	u32 m0;
	u32 m;
	u32 n0;
	u32 n;
	u32 data_banks;
	bool weight_reuse;
	u32 kind;
	u32 seg;
};

/**
 * rocket_matmul_validate() - check a descriptor against its BOs
 * @args: the descriptor as copied from userspace
 * @bos: sizes and NPU addresses of the BOs of @args' three handles
 * @num_cores: NPU cores of the device, 1..ROCKET_MATMUL_MAX_JOBS
 * @shape: filled on success
 * @reason: set to a static string saying what was refused (or "ok")
 *
 * Return: 0, -EINVAL for a malformed descriptor, -E2BIG for one beyond the
 * limits.
 */
int rocket_matmul_validate(const struct drm_rocket_matmul *args,
			   const struct rocket_matmul_bos *bos, u32 num_cores,
			   struct rocket_matmul_shape *shape, const char **reason);

/**
 * rocket_matmul_plan() - split a validated product into jobs and tasks
 * @shape: from rocket_matmul_validate()
 * @plan: filled on success
 * @reason: set to a static string saying why planning failed (or "ok")
 *
 * Return: 0, -E2BIG if the product needs more than ROCKET_MATMUL_MAX_TASKS
 * tasks, -EINVAL if @shape allows no core.
 */
int rocket_matmul_plan(const struct rocket_matmul_shape *shape,
		       struct rocket_matmul_plan *plan, const char **reason);

/**
 * rocket_matmul_get_task() - one task of a planned job
 * @plan: the plan
 * @job: job index, below @plan->job_count
 * @index: task index in the job, below the job's task_count
 * @task: filled with the task
 */
void rocket_matmul_get_task(const struct rocket_matmul_plan *plan, u32 job, u32 index,
			    struct rocket_matmul_task *task);

/**
 * rocket_matmul_task_ns() - predicted run time of one task
 * @shape: the product
 * @task: the task, from rocket_matmul_get_task()
 *
 * The longer of the task's MACs at the peak rate and its DRAM bytes (the A
 * rows, the kernels unless it reuses them, its part of C and its command
 * list) at the minimum bandwidth, at the slowest NPU clock, plus
 * ROCKET_MATMUL_TASK_GAP_NS; see ROCKET_MATMUL_JOB_BUDGET_NS.
 *
 * Return: nanoseconds, at most ROCKET_MATMUL_MAX_TASK_NS for a planned task.
 */
u64 rocket_matmul_task_ns(const struct rocket_matmul_shape *shape,
			  const struct rocket_matmul_task *task);

/**
 * rocket_matmul_encode_task() - the register command list of one task
 * @shape: the product
 * @task: the task, from rocket_matmul_get_task()
 * @regcmd: where to write the entries
 * @max_entries: room at @regcmd, at least rocket_matmul_task_entries()
 *
 * The list ends with PC_BASE_ADDRESS 0 and PC_REGISTER_AMOUNTS 0 (the task
 * is kicked on its own), the marker and PC_OPERATION_ENABLE. Kick it with
 * PC_REGISTER_AMOUNTS = (entries + 1) / 2 - 1, from a 64-byte aligned
 * address.
 *
 * Return: the number of entries written, rocket_matmul_task_entries(), or
 * -ENOSPC if @max_entries is below it.
 */
int rocket_matmul_encode_task(const struct rocket_matmul_shape *shape,
			      const struct rocket_matmul_task *task, u64 *regcmd,
			      u32 max_entries);

/**
 * rocket_matmul_task_entries() - entries of a task's command list
 * @task: the task
 *
 * Return: ROCKET_MATMUL_TASK_ENTRIES for a matmul task,
 * ROCKET_MATMUL_ADD_ENTRIES for an add task; what
 * rocket_matmul_encode_task() writes.
 */
u32 rocket_matmul_task_entries(const struct rocket_matmul_task *task);

/**
 * rocket_matmul_segment() - the shape one matmul task of a split K sees
 * @shape: the product, @shape->scratch_addr set
 * @seg: segment of K, below @shape->segments
 * @out: filled with a product of K = the segment's K, A and B at the
 *	segment, C the buffer that receives the segment's partial, element
 *	type INT8 to INT32; @shape itself if K is not split
 */
void rocket_matmul_segment(const struct rocket_matmul_shape *shape, u32 seg,
			   struct rocket_matmul_shape *out);

/**
 * rocket_matmul_add_addrs() - buffers of an add task (whole-product bases)
 * @shape: the product, @shape->scratch_addr set
 * @seg: the add's segment, 1..@shape->segments - 1
 * @sum: the running sum it reads (MRDMA)
 * @part: the partial it adds (ERDMA)
 * @out: where it writes the new sum: C for the last segment
 *
 * Every buffer has C's layout with 4-byte elements; they are C and two
 * scratch planes, used in turn so that an add never writes a buffer it
 * reads.
 */
void rocket_matmul_add_addrs(const struct rocket_matmul_shape *shape, u32 seg,
			     u32 *sum, u32 *part, u32 *out);

/**
 * rocket_matmul_in_bytes() - bytes of an input element
 * @type: &enum drm_rocket_matmul_type, valid
 *
 * Return: 1 or 2.
 */
u32 rocket_matmul_in_bytes(u32 type);

/**
 * rocket_matmul_out_bytes() - bytes of an output element
 * @type: &enum drm_rocket_matmul_type, valid
 *
 * Return: 2 or 4.
 */
u32 rocket_matmul_out_bytes(u32 type);

/**
 * rocket_matmul_kernel_group() - kernels per group of B
 * @type: &enum drm_rocket_matmul_type, valid
 *
 * Return: 32 (INT8) or 16 (FP16); N and every column slice are multiples.
 */
u32 rocket_matmul_kernel_group(u32 type);

#endif /* __ROCKET_MATMUL_H__ */
