/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * rocket-bringup's window on the kernel's matmul planner and encoder
 * (drivers/accel/rocket/rocket_matmul.c, built into the program as
 * tests/matmul builds it on the host). Plain C types only: this header is
 * included next to the real uAPI headers, kit_encoder.c next to the host
 * stand-ins of the kernel headers, and the two never meet.
 */
#ifndef KIT_ENCODER_H
#define KIT_ENCODER_H

#include <stdint.h>

#define KIT_MAX_JOBS		3	/* ROCKET_MATMUL_MAX_JOBS */
#define KIT_TASK_ENTRIES	126	/* ROCKET_MATMUL_TASK_ENTRIES, checked in kit_encoder.c */

/* One job of a plan: the tasks one core runs, queued as @runs scheduler jobs. */
struct kit_job {
	uint32_t core;
	uint32_t m0, m, n0, n;
	uint32_t task_m, task_n, row_slices, col_slices, task_count;
	uint32_t data_banks, weight_reuse, run_tasks, runs;
	/* a split K: segments of K, matmul tasks a segment, add tasks an added segment */
	uint32_t segments, seg_k, seg_tasks, add_tasks;
};

struct kit_plan {
	uint32_t job_count, task_count, run_count;
	struct kit_job jobs[KIT_MAX_JOBS];
};

struct kit_task {
	uint32_t m0, m, n0, n, data_banks, weight_reuse;
	uint32_t add;		/* a DPU-only add of a split K (no CNA, no CORE) */
	uint32_t seg;		/* segment of K (of a split K; 0 otherwise) */
	uint64_t predicted_ns;
};

/* The descriptor and the BOs as the kernel sees them (sizes, NPU addresses). */
struct kit_matmul {
	uint32_t type, m, k, n, flags, core_mask;
	uint64_t a_offset, b_offset, c_offset;
	uint64_t a_size, a_addr, b_size, b_addr, c_size, c_addr;
};

/*
 * rocket_matmul_validate() and rocket_matmul_plan() as the ioctl calls them
 * with @num_cores (the file's cores, at most KIT_MAX_JOBS). Keeps the plan
 * for kit_task(). Returns 0 or the kernel's negative errno, with *@reason.
 */
int kit_plan(const struct kit_matmul *mm, uint32_t num_cores, struct kit_plan *plan,
	     const char **reason);

/*
 * Task @index of job @job of the last plan: its slice and predicted time,
 * and, if @regcmd is not NULL, its command list as the kernel writes it
 * (KIT_TASK_ENTRIES entries, fewer for an add task; the scratch of a split
 * K at NPU address 0, the kernel's is not known here). Returns the entries
 * written, or negative.
 */
int kit_task(uint32_t job, uint32_t index, struct kit_task *task, uint64_t *regcmd,
	     uint32_t max_entries);

/*
 * The DPU-only add of the FP32 add probe (step split-k): one add task of a
 * split K as the kernel's encoder writes it (rocket_matmul_plan() of an INT8
 * product of K = 8224, @rows x @cols, on one core: its first add task), its
 * scratch at @in_addr: the running sum there, the partial right after it
 * (@rows * @cols * 4 bytes each, C's layout), the result at @out_addr. With
 * @fp32, every precision field of DPU_DATA_FORMAT (out, in, proc) and of
 * DPU_RDMA_RDMA_FEATURE_MODE_CFG (in, proc) is FP32 (5) instead of INT32
 * (4); everything else is the kernel's INT32 add. Writes at most
 * @max_entries entries. Returns the entries written (the kernel's
 * ROCKET_MATMUL_ADD_ENTRIES), or negative with *@reason.
 */
int kit_add_probe_encode(uint32_t rows, uint32_t cols, uint32_t in_addr, uint32_t out_addr,
			 int fp32, uint64_t *regcmd, uint32_t max_entries, const char **reason);

#define KIT_ADD_K		8224	/* the smallest K the kernel splits: two segments */
#define KIT_PREC_INT32		4	/* precision codes of the register description */
#define KIT_PREC_FP32		5

/* The budget and assumptions the planner uses, for the report. */
uint64_t kit_job_budget_ns(void);
uint32_t kit_op_enable(void);
uint32_t kit_npu_min_mhz(void);
uint32_t kit_dma_min_mbps(void);
uint32_t kit_task_gap_ns(void);

#endif
