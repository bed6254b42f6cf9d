/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Invariants of a matmul plan, checked by the host tests, the fuzzer and the
 * plan report: every element of C computed by exactly one task, every task
 * within the register field and CBUF limits, every address a task reaches
 * inside its operand, and every command list well formed.
 */

#ifndef __MM_PLAN_CHECK_H__
#define __MM_PLAN_CHECK_H__

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rocket_registers.h"
#include "rocket_matmul.h"

#define CBUF_BANK	32768u
#define CBUF_BANKS	12u

/* Coverage is checked cell by cell up to this many (row unit, group) cells. */
#define MAX_COVER_CELLS	(1u << 22)

static char pc_why[256];

static __attribute__((format(printf, 1, 2))) const char *pc_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pc_why, sizeof(pc_why), fmt, ap);
	va_end(ap);
	return pc_why;
}

static inline uint32_t pc_popcount(uint32_t v)
{
	return (uint32_t)__builtin_popcount(v);
}

/* Value of the last entry writing (target, reg), or -1 if none. */
static inline int64_t pc_entry_value(const u64 *e, int n, uint32_t target, uint32_t reg)
{
	int i;

	for (i = n - 1; i >= 0; i--)
		if ((e[i] >> 48) == target && (e[i] & 0xffff) == reg)
			return (int64_t)((e[i] >> 16) & 0xffffffffu);
	return -1;
}

/* The command list of @t: tail, targets, and the fields that carry the task. */
static inline const char *pc_check_regcmd(const struct rocket_matmul_shape *s,
					  const struct rocket_matmul_task *t,
					  uint32_t a, uint32_t b, uint32_t c)
{
	u64 e[ROCKET_MATMUL_TASK_ENTRIES + 8];
	int n = rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_TASK_ENTRIES + 8);
	uint32_t bpe = rocket_matmul_in_bytes(s->type);
	int i;

	if (n != ROCKET_MATMUL_TASK_ENTRIES || rocket_matmul_task_entries(t) != (uint32_t)n)
		return pc_fail("encoder wrote %d entries, want %u", n, ROCKET_MATMUL_TASK_ENTRIES);
	if (rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_TASK_ENTRIES - 1) != -ENOSPC)
		return pc_fail("encoder ignores a short buffer");
	for (i = 0; i < n - 4; i++) {
		uint32_t tgt = (uint32_t)(e[i] >> 48), off = (uint32_t)(e[i] & 0xffff);
		uint32_t want = off < 0x2000 ? 0x0201 : off < 0x4000 ? 0x0801 :
				off < 0x5000 ? 0x1001 : 0x2001;

		if (off < 0x1000 || off >= 0x6000 || off == 0x2000 || tgt != want || off & 3)
			return pc_fail("entry %d: target 0x%04x offset 0x%04x", i, tgt, off);
	}
	if (e[n - 4] != ((uint64_t)0x0101 << 48 | REG_PC_BASE_ADDRESS) ||
	    e[n - 3] != ((uint64_t)0x0101 << 48 | REG_PC_REGISTER_AMOUNTS) ||
	    e[n - 2] != (uint64_t)0x0041 << 48 ||
	    e[n - 1] != ((uint64_t)0x0081 << 48 | (uint64_t)ROCKET_MATMUL_OP_ENABLE << 16 |
			 REG_PC_OPERATION_ENABLE))
		return pc_fail("tail is not PC_BASE_ADDRESS 0, AMOUNTS 0, marker, enable");
	if (pc_entry_value(e, n, 0x0201, REG_CNA_FEATURE_DATA_ADDR) != a ||
	    pc_entry_value(e, n, 0x0201, REG_CNA_DCOMP_ADDR0) != b ||
	    pc_entry_value(e, n, 0x1001, REG_DPU_DST_BASE_ADDR) != c)
		return pc_fail("operand addresses in the list differ from the task's");
	if (pc_entry_value(e, n, 0x0201, REG_CNA_DATA_SIZE0) !=
	    (CNA_DATA_SIZE0_DATAIN_WIDTH(1) | CNA_DATA_SIZE0_DATAIN_HEIGHT(t->m)) ||
	    pc_entry_value(e, n, 0x0201, REG_CNA_CONV_CON2) !=
	    CNA_CONV_CON2_FEATURE_GRAINS(t->m + 1) ||
	    pc_entry_value(e, n, 0x0201, REG_CNA_WEIGHT_SIZE2) !=
	    (CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) | CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) |
	     CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(t->n)) ||
	    pc_entry_value(e, n, 0x0201, REG_CNA_WEIGHT_SIZE0) != (int64_t)s->k * bpe * t->n ||
	    pc_entry_value(e, n, 0x1001, REG_DPU_DATA_CUBE_CHANNEL) !=
	    (DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(t->n - 1) | DPU_DATA_CUBE_CHANNEL_CHANNEL(t->n - 1)) ||
	    pc_entry_value(e, n, 0x0201, REG_CNA_CBUF_CON0) !=
	    (CNA_CBUF_CON0_WEIGHT_REUSE(t->weight_reuse) |
	     CNA_CBUF_CON0_WEIGHT_BANK(CBUF_BANKS - t->data_banks) |
	     CNA_CBUF_CON0_DATA_BANK(t->data_banks)))
		return pc_fail("a task field is encoded wrongly (m %u n %u)", t->m, t->n);
	return NULL;
}

/*
 * The command list of an add task: DPU and DPU_RDMA entries only, the
 * DPU-only tail, and the tile's offset in the three buffers it names.
 */
static inline const char *pc_check_add_regcmd(const struct rocket_matmul_shape *s,
					      const struct rocket_matmul_task *t)
{
	u64 e[ROCKET_MATMUL_ADD_ENTRIES];
	int n = rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_ADD_ENTRIES);
	uint32_t sum, part, out, at = t->n0 / 4 * s->m * 16 + t->m0 * 16;
	int i;

	if (n != ROCKET_MATMUL_ADD_ENTRIES || rocket_matmul_task_entries(t) != (uint32_t)n)
		return pc_fail("add encoder wrote %d entries, want %u", n,
			       ROCKET_MATMUL_ADD_ENTRIES);
	if (rocket_matmul_encode_task(s, t, e, ROCKET_MATMUL_ADD_ENTRIES - 1) != -ENOSPC)
		return pc_fail("add encoder ignores a short buffer");
	for (i = 0; i < n - 4; i++) {
		uint32_t tgt = (uint32_t)(e[i] >> 48), off = (uint32_t)(e[i] & 0xffff);

		if (!((tgt == 0x1001 && off >= 0x4000 && off < 0x5000) ||
		      (tgt == 0x2001 && off >= 0x5000 && off < 0x6000)) || off & 3)
			return pc_fail("add entry %d: target 0x%04x offset 0x%04x", i, tgt, off);
	}
	if (e[n - 1] != ((uint64_t)0x0081 << 48 | (uint64_t)ROCKET_MATMUL_ADD_OP_ENABLE << 16 |
			 REG_PC_OPERATION_ENABLE))
		return pc_fail("add tail is not the DPU-only enable");
	rocket_matmul_add_addrs(s, t->seg, &sum, &part, &out);
	if (sum == part || sum == out || part == out)
		return pc_fail("add %u reads or writes one buffer twice", t->seg);
	if (t->seg == s->segments - 1 && out != s->c_addr)
		return pc_fail("last add does not write C");
	if (pc_entry_value(e, n, 0x2001, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR) != sum + at ||
	    pc_entry_value(e, n, 0x2001, REG_DPU_RDMA_RDMA_EW_BASE_ADDR) != part + at ||
	    pc_entry_value(e, n, 0x1001, REG_DPU_DST_BASE_ADDR) != out + at)
		return pc_fail("add operand addresses differ from the tile's");
	if (!t->m || t->m > ROCKET_MATMUL_ADD_MAX_M || !t->n || t->n > ROCKET_MATMUL_ADD_MAX_N ||
	    t->n % 4 || t->n0 % 4)
		return pc_fail("add tile %u x %u at column %u", t->m, t->n, t->n0);
	return NULL;
}

/* Byte extent of the task's A rows, kernels and C tile, relative to each operand. */
static inline const char *pc_check_extents(const struct rocket_matmul_shape *s,
					   const struct rocket_matmul_task *t)
{
	uint32_t bpe = rocket_matmul_in_bytes(s->type), obpe = rocket_matmul_out_bytes(s->type);
	uint64_t kb = (uint64_t)s->k * bpe;
	uint64_t a_size = (uint64_t)s->m * kb, b_size = (uint64_t)s->n * kb;
	uint64_t c_size = (uint64_t)s->m * s->n * obpe;
	uint64_t c2in = 16 / bpe, c2out = 16 / obpe;
	uint64_t a_last = (s->k / c2in - 1) * (uint64_t)s->m * 16 + (uint64_t)(t->m0 + t->m) * 16;
	uint64_t b_last = (uint64_t)(t->n0 + t->n) * kb;
	uint64_t c_first = t->n0 / c2out * (uint64_t)s->m * 16 + (uint64_t)t->m0 * 16;
	uint64_t c_last = ((t->n0 + t->n) / c2out - 1) * (uint64_t)s->m * 16 +
			  (uint64_t)(t->m0 + t->m) * 16;

	if (a_last > a_size || b_last > b_size || c_last > c_size || c_first >= c_size)
		return pc_fail("task rows %u+%u cols %u+%u reach outside an operand",
			       t->m0, t->m, t->n0, t->n);
	return NULL;
}

static inline const char *pc_check_task(const struct rocket_matmul_shape *s,
					const struct rocket_matmul_task *t,
					const struct rocket_matmul_task *prev)
{
	uint32_t kb = s->k * rocket_matmul_in_bytes(s->type);
	uint32_t group = rocket_matmul_kernel_group(s->type);
	uint32_t wbanks = CBUF_BANKS - t->data_banks;

	if (!t->m || t->m > 1020 || (t->m % 4 && !(t->m == 1 && s->m == 1)))
		return pc_fail("task rows %u", t->m);
	if (t->m + 1 > 1023)
		return pc_fail("FEATURE_GRAINS %u", t->m + 1);
	if (!t->n || t->n > 8192 || t->n % group)
		return pc_fail("task columns %u", t->n);
	if (t->data_banks < 1 || t->data_banks > 11)
		return pc_fail("data banks %u", t->data_banks);
	if ((uint64_t)t->m * kb > (uint64_t)t->data_banks * CBUF_BANK)
		return pc_fail("A tile %u x %u B does not fit %u banks", t->m, kb, t->data_banks);
	if (kb > wbanks * CBUF_BANK)
		return pc_fail("a kernel of %u B does not fit %u weight banks", kb, wbanks);
	if (t->weight_reuse) {
		if (!prev || prev->n0 != t->n0 || prev->n != t->n ||
		    prev->data_banks != t->data_banks)
			return pc_fail("WEIGHT_REUSE without the same kernels just before");
		if ((uint64_t)t->n * kb > (uint64_t)wbanks * CBUF_BANK)
			return pc_fail("WEIGHT_REUSE of %u kernels that do not fit", t->n);
	}
	if (t->m0 % 4 && s->m != 1)
		return pc_fail("row slice starts at %u", t->m0);
	if (t->n0 % group)
		return pc_fail("column slice starts at %u", t->n0);
	return pc_check_extents(s, t);
}

/*
 * The shape a segment's tasks see: its K, A from surface k0 / C2, B from
 * segment t of the segmented layout, C the partial's buffer (C or a scratch
 * plane), all inside the product's operands and the scratch.
 */
static inline const char *pc_check_segment(const struct rocket_matmul_shape *s,
					   const struct rocket_matmul_shape *seg, uint32_t t,
					   uint64_t scratch)
{
	uint32_t bpe = rocket_matmul_in_bytes(s->type);
	uint64_t k0 = (uint64_t)t * s->seg_k, plane = 4ull * s->m * s->n;
	uint64_t kt = t == s->segments - 1 ? s->k - k0 : s->seg_k;

	if (seg->k != kt || seg->type != DRM_ROCKET_MATMUL_INT8_INT32 || seg->m != s->m ||
	    seg->n != s->n)
		return pc_fail("segment %u: K %u type %u, want K %llu", t, seg->k, seg->type,
			       (unsigned long long)kt);
	if (seg->a_addr != s->a_addr + k0 * bpe / 16 * s->m * 16 ||
	    seg->a_addr + (uint64_t)s->m * kt * bpe > s->a_addr + (uint64_t)s->m * s->k * bpe)
		return pc_fail("segment %u: A at 0x%x", t, seg->a_addr);
	if (seg->b_addr != s->b_addr + k0 * s->n * bpe ||
	    seg->b_addr + (uint64_t)s->n * kt * bpe > s->b_addr + (uint64_t)s->n * s->k * bpe)
		return pc_fail("segment %u: B at 0x%x", t, seg->b_addr);
	if (seg->c_addr != s->c_addr && seg->c_addr != s->scratch_addr &&
	    seg->c_addr != s->scratch_addr + plane)
		return pc_fail("segment %u: partial at 0x%x, neither C nor scratch", t,
			       seg->c_addr);
	if (seg->c_addr != s->c_addr && seg->c_addr + plane > s->scratch_addr + scratch)
		return pc_fail("segment %u: partial beyond the scratch", t);
	return NULL;
}

/*
 * The runs of @p: each job's tasks cut into runs of run_tasks (the last
 * shorter), each predicted within the job budget, the first task of each
 * loading its weights (another client's job or a reset may come between two
 * runs on a core), and the plan's count their sum.
 */
static inline const char *pc_check_runs(const struct rocket_matmul_plan *p)
{
	uint32_t j, i, runs = 0;

	for (j = 0; j < p->job_count; j++) {
		const struct rocket_matmul_job *job = &p->jobs[j];
		struct rocket_matmul_task t;
		uint64_t sum = 0;

		if (!job->run_tasks || job->run_tasks > job->task_count ||
		    job->runs != (job->task_count + job->run_tasks - 1) / job->run_tasks)
			return pc_fail("job %u: %u runs of %u tasks for %u tasks", j, job->runs,
				       job->run_tasks, job->task_count);
		runs += job->runs;
		for (i = 0; i < job->task_count; i++) {
			rocket_matmul_get_task(p, j, i, &t);
			if (i % job->run_tasks == 0) {
				if (t.weight_reuse)
					return pc_fail("job %u: run at task %u reuses weights", j, i);
				sum = 0;
			}
			sum += rocket_matmul_task_ns(&p->shape, &t);
			if (sum > ROCKET_MATMUL_JOB_BUDGET_NS)
				return pc_fail("job %u: run at task %u predicted %llu ns", j,
					       i - i % job->run_tasks, (unsigned long long)sum);
			if (rocket_matmul_task_ns(&p->shape, &t) > ROCKET_MATMUL_MAX_TASK_NS)
				return pc_fail("job %u task %u above the largest task", j, i);
		}
	}
	if (runs != p->run_count)
		return pc_fail("plan says %u runs, jobs hold %u", p->run_count, runs);
	return NULL;
}

/*
 * Every invariant of @p for @s. Returns NULL or what failed. If @tasks is
 * not NULL it receives the total task count, @issued the MACs the tasks
 * issue.
 */
static inline const char *pc_check_plan(const struct rocket_matmul_shape *s,
					const struct rocket_matmul_plan *p, bool regcmd,
					uint64_t *issued)
{
	uint32_t group = rocket_matmul_kernel_group(s->type);
	uint32_t unit = s->m == 1 ? 1 : 4;
	uint64_t rows = s->m / unit, cols = s->n / group, cells = rows * cols;
	uint64_t area = 0, macs = 0, adds = 0;
	uint32_t j, i, tasks = 0, segs = s->segments > 1 ? s->segments : 1;
	uint8_t *cover = NULL;
	const char *why = NULL;

	if (p->job_count < 1 || p->job_count > 3 || p->job_count > pc_popcount(s->core_mask))
		return pc_fail("job count %u for core mask 0x%x", p->job_count, s->core_mask);
	if (cells <= MAX_COVER_CELLS)
		cover = calloc(cells, 1);

	if (segs > 1 && (s->seg_k % 32 || s->seg_k > ROCKET_MATMUL_MAX_TASK_K ||
			 (uint64_t)s->seg_k * (segs - 1) >= s->k ||
			 s->k - s->seg_k * (segs - 1) > s->seg_k ||
			 p->scratch_bytes != 2ull * 4 * s->m * s->n))
		return pc_fail("segments %u of %u for K %u, scratch %llu", segs, s->seg_k, s->k,
			       (unsigned long long)p->scratch_bytes);
	for (j = 0; j < p->job_count && !why; j++) {
		const struct rocket_matmul_job *job = &p->jobs[j];
		struct rocket_matmul_task t, prev;

		if (job->task_count != job->row_slices * job->col_slices * segs +
		    job->add_tasks * (segs - 1) || !job->task_count ||
		    (segs > 1) != (job->add_tasks > 0))
			why = pc_fail("job %u: %u tasks for %u x %u slices, %u segments", j,
				      job->task_count, job->row_slices, job->col_slices, segs);
		tasks += job->task_count;
		for (i = 0; i < job->task_count && !why; i++) {
			struct rocket_matmul_shape seg;
			uint64_t r, c;

			rocket_matmul_get_task(p, j, i, &t);
			if (t.m0 < job->m0 || t.m0 + t.m > job->m0 + job->m ||
			    t.n0 < job->n0 || t.n0 + t.n > job->n0 + job->n)
				why = pc_fail("job %u task %u outside its job", j, i);
			if (t.kind == ROCKET_MATMUL_TASK_ADD) {
				if (!why && (!t.seg || t.seg >= segs))
					why = pc_fail("job %u task %u: add of segment %u", j, i,
						      t.seg);
				if (!why && regcmd)
					why = pc_check_add_regcmd(s, &t);
				adds += (uint64_t)t.m * t.n;
				continue;
			}
			if (!why && t.seg >= segs)
				why = pc_fail("job %u task %u: segment %u", j, i, t.seg);
			rocket_matmul_segment(s, t.seg, &seg);
			if (!why && segs > 1)
				why = pc_check_segment(s, &seg, t.seg, p->scratch_bytes);
			if (!why)
				why = pc_check_task(&seg, &t, i ? &prev : NULL);
			if (!why && regcmd) {
				uint32_t c2out = 16 / rocket_matmul_out_bytes(seg.type);

				why = pc_check_regcmd(&seg, &t, seg.a_addr + t.m0 * 16,
						      seg.b_addr + t.n0 * seg.k *
						      rocket_matmul_in_bytes(seg.type),
						      seg.c_addr + t.n0 / c2out * s->m * 16 +
						      t.m0 * 16);
			}
			area += (uint64_t)t.m * t.n;
			macs += (uint64_t)t.m * t.n * seg.k;
			if (cover && !why) {
				for (r = t.m0 / unit; r < (t.m0 + t.m) / unit && !why; r++)
					for (c = t.n0 / group; c < (t.n0 + t.n) / group; c++)
						if (cover[r * cols + c]++ == segs) {
							why = pc_fail("C row %llu group %llu computed twice",
								      (unsigned long long)r * unit,
								      (unsigned long long)c);
							break;
						}
			}
			prev = t;
		}
	}
	if (!why && tasks != p->task_count)
		why = pc_fail("plan says %u tasks, jobs hold %u", p->task_count, tasks);
	if (!why && tasks > ROCKET_MATMUL_MAX_TASKS)
		why = pc_fail("%u tasks above the limit", tasks);
	if (!why && area != (uint64_t)s->m * s->n * segs)
		why = pc_fail("tasks cover %llu elements of %llu", (unsigned long long)area,
			      (unsigned long long)s->m * s->n * segs);
	if (!why && adds != (uint64_t)s->m * s->n * (segs - 1))
		why = pc_fail("adds cover %llu elements of %llu", (unsigned long long)adds,
			      (unsigned long long)s->m * s->n * (segs - 1));
	if (!why && cover) {
		for (i = 0; i < cells; i++)
			if (cover[i] != segs) {
				why = pc_fail("C cell %u covered %u times", i, cover[i]);
				break;
			}
	}
	free(cover);
	if (!why)
		why = pc_check_runs(p);
	if (issued)
		*issued = macs;
	return why;
}

#endif /* __MM_PLAN_CHECK_H__ */
