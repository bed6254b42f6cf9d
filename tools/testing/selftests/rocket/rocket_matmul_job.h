/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small INT8 matrix multiply C[M,N] = A[M,K] x B[K,N] as userspace hands it
 * to the NPU: a hand-built register command list (regcmd) programming a 1x1
 * convolution, the operands in the NPU's layouts, and a CPU reference.
 * Shared by the rocket selftests that submit jobs.
 *
 * The register values and memory layouts are those documented in
 * Documentation/accel/rocket/sim.rst; the field helpers come from the
 * driver's register header, which is generated from Mesa's register
 * description. On the simulated NPU, anything else is refused and logged.
 */
#ifndef __SELFTESTS_ROCKET_MATMUL_JOB_H__
#define __SELFTESTS_ROCKET_MATMUL_JOB_H__

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "rocket_util.h"
#include "rocket_npu_regs.h"

#define M		4
#define K		32
#define N		32
#define MAX_ENTRIES	64

/* INT8 x INT8 -> INT32: 16 input or 4 output elements per 16-byte atom */
#define C2_IN		16
#define C2_OUT		4
#define KGROUP		32	/* kernels per weight group */

/* regcmd targets: which block an entry writes */
#define TGT_PC		0x0101
#define TGT_CNA		0x0201
#define TGT_CORE	0x0801
#define TGT_DPU		0x1001
#define TGT_DPU_RDMA	0x2001
#define TGT_PC_MARKER	0x0041
#define TGT_PC_OP_EN	0x0081

struct bo {
	struct drm_rocket_create_bo create;
	void *map;
};

static inline void bo_new(struct __test_metadata *_metadata, int fd, struct bo *bo, uint32_t size)
{
	memset(bo, 0, sizeof(*bo));
	bo->create.size = size;
	ASSERT_EQ(0, ioctl(fd, DRM_IOCTL_ROCKET_CREATE_BO, &bo->create));
	bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, bo->create.offset);
	ASSERT_NE(MAP_FAILED, bo->map);
}

static inline void bo_free(int fd, struct bo *bo)
{
	struct drm_gem_close gem_close = { .handle = bo->create.handle };

	if (bo->map && bo->map != MAP_FAILED)
		munmap(bo->map, bo->create.size);
	if (bo->create.handle)
		ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gem_close);
}

static inline uint16_t target_of(uint32_t reg)
{
	switch (reg & 0xf000) {
	case 0x1000:
		return TGT_CNA;
	case 0x3000:
		return TGT_CORE;
	case 0x4000:
		return TGT_DPU;
	case 0x5000:
		return TGT_DPU_RDMA;
	}
	return 0;
}

static inline uint64_t entry(uint16_t target, uint32_t reg, uint32_t value)
{
	return (uint64_t)target << 48 | (uint64_t)value << 16 | (reg & 0xffff);
}

static inline void emit(uint64_t *e, uint32_t *n, uint32_t reg, uint32_t value)
{
	e[(*n)++] = entry(target_of(reg), reg, value);
}

/*
 * The regcmd of one matmul task, INT8 -> INT32 or, with @fp16, FP16 -> FP32:
 * A, B and C at NPU addresses a, b, c.
 */
static inline uint32_t encode_matmul_type(uint64_t *e, uint32_t a, uint32_t b, uint32_t c,
					  bool fp16)
{
	const uint32_t data_bank = 1;	/* A is M * K * bpe bytes: one 32 KiB bank */
	const uint32_t prec = fp16 ? 2 : 0, bpe = fp16 ? 2 : 1;
	/* output atoms per kernel group (32 INT8, 16 FP16), of C2_OUT elements */
	const uint32_t atoms = (fp16 ? 16 : KGROUP) / C2_OUT;
	uint32_t n = 0;

	emit(e, &n, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1));
	emit(e, &n, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(prec) |
	     CNA_CONV_CON1_IN_PRECISION(prec));
	emit(e, &n, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(M + 1));
	emit(e, &n, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
	     CNA_CONV_CON3_CONV_Y_STRIDE(1));
	emit(e, &n, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
	     CNA_DATA_SIZE0_DATAIN_HEIGHT(M));
	emit(e, &n, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(K - 1) |
	     CNA_DATA_SIZE1_DATAIN_CHANNEL(K));
	emit(e, &n, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1));
	emit(e, &n, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(M));
	emit(e, &n, REG_CNA_WEIGHT_SIZE0, K * N * bpe);
	emit(e, &n, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(K * bpe));
	emit(e, &n, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
	     CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(N));
	emit(e, &n, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_BANK(12 - data_bank) |
	     CNA_CBUF_CON0_DATA_BANK(data_bank));
	emit(e, &n, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES((K * bpe + 63) / 64));
	emit(e, &n, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	     CNA_CVT_CON0_CVT_BYPASS(1));
	emit(e, &n, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1));
	emit(e, &n, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1));
	emit(e, &n, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1));
	emit(e, &n, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1));
	emit(e, &n, REG_CNA_FEATURE_DATA_ADDR, a);
	emit(e, &n, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
	     CNA_DMA_CON0_DATA_BURST_LEN(15));
	emit(e, &n, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4));
	emit(e, &n, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(M - 4));
	emit(e, &n, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
	     CNA_FC_DATA_SIZE0_DMA_HEIGHT(M));
	emit(e, &n, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(K));
	emit(e, &n, REG_CNA_DCOMP_ADDR0, b);
	emit(e, &n, REG_CORE_MISC_CFG, fp16 ? CORE_MISC_CFG_PROC_PRECISION(2) |
	     CORE_MISC_CFG_QD_EN(1) : 0);
	emit(e, &n, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(M - 1));
	emit(e, &n, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(N - 1));
	emit(e, &n, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2));
	/* INT8 in, INT32 (4) out; FP16 in, FP32 (5) out */
	emit(e, &n, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(fp16 ? 5 : 4) |
	     DPU_DATA_FORMAT_IN_PRECISION(prec) | DPU_DATA_FORMAT_PROC_PRECISION(prec));
	emit(e, &n, REG_DPU_DST_BASE_ADDR, c);
	emit(e, &n, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(M));
	emit(e, &n, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(M - 1));
	emit(e, &n, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(N - 1) |
	     DPU_DATA_CUBE_CHANNEL_CHANNEL(N - 1));
	emit(e, &n, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
	     DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1));
	emit(e, &n, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(atoms - 1) |
	     DPU_BS_OW_CFG_SIZE_E_1(atoms - 1) | DPU_BS_OW_CFG_SIZE_E_0(atoms - 1) |
	     DPU_BS_OW_CFG_OD_BYPASS(1));
	emit(e, &n, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(N - 1));
	emit(e, &n, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(M - 1));
	emit(e, &n, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	     DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	emit(e, &n, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1));
	emit(e, &n, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1));
	emit(e, &n, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(atoms * M));
	emit(e, &n, REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1));
	emit(e, &n, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
	emit(e, &n, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	     DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1));

	/* The tail: no next task, then start. */
	e[n++] = entry(TGT_PC, REG_PC_BASE_ADDRESS, 0);
	e[n++] = entry(TGT_PC, REG_PC_REGISTER_AMOUNTS, 0);
	e[n++] = entry(TGT_PC_MARKER, 0, 0);
	e[n++] = entry(TGT_PC_OP_EN, REG_PC_OPERATION_ENABLE, 0x1d);

	return n;
}

/* The regcmd of one INT8 matmul task: A, B and C at NPU addresses a, b, c. */
static inline uint32_t encode_matmul(uint64_t *e, uint32_t a, uint32_t b, uint32_t c)
{
	return encode_matmul_type(e, a, b, c, false);
}

/* Drop the entries that write to one block. */
static inline uint32_t drop_target(uint64_t *e, uint32_t n, uint16_t target)
{
	uint32_t i, kept = 0;

	for (i = 0; i < n; i++)
		if (e[i] >> 48 != target)
			e[kept++] = e[i];
	return kept;
}

/* A: channel-blocked in 16-byte atoms */
static inline uint32_t a_off(uint32_t m, uint32_t k)
{
	return (k / C2_IN) * M * C2_IN + m * C2_IN + k % C2_IN;
}

/* B: [N/32][K/32][32 n][32 k] */
static inline uint32_t b_off(uint32_t k, uint32_t n)
{
	return ((n / KGROUP) * (K / 32) + k / 32) * KGROUP * 32 + (n % KGROUP) * 32 + k % 32;
}

/* C: 16-byte output pixels of four INT32 */
static inline uint32_t c_off(uint32_t m, uint32_t n)
{
	return (n / C2_OUT) * M * C2_OUT + m * C2_OUT + n % C2_OUT;
}

static inline int64_t abs_timeout_ns(int64_t from_now_ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ll + ts.tv_nsec + from_now_ns;
}

struct matmul {
	int fd;
	struct bo regcmd, a, b, c;
	int8_t ha[M][K], hb[K][N];
	int32_t ref[M][N];
	uint64_t e[MAX_ENTRIES];
	uint32_t count;
};

/* Exact FP16 bits of a small integer (|v| < 2048). */
static inline uint16_t fp16_of_int(int v)
{
	uint32_t mag = v < 0 ? -v : v, exp = 15;

	if (!mag)
		return 0;
	while (mag >= 2u << (exp - 15))
		exp++;
	return (v < 0 ? 0x8000 : 0) | exp << 10 | ((mag << (10 - (exp - 15))) & 0x3ff);
}

/* C = A x B on the CPU, from the host copies of A and B. */
static inline void matmul_reference(struct matmul *t)
{
	uint32_t m, k, n;

	for (m = 0; m < M; m++)
		for (n = 0; n < N; n++) {
			t->ref[m][n] = 0;
			for (k = 0; k < K; k++)
				t->ref[m][n] += t->ha[m][k] * t->hb[k][n];
		}
}

/* Open the NPU, make the BOs and fill A, B and the regcmd for C = A x B. */
static inline void matmul_setup(struct __test_metadata *_metadata, struct matmul *t)
{
	uint32_t m, k, n;

	t->fd = rocket_open();
	ASSERT_GE(t->fd, 0);

	bo_new(_metadata, t->fd, &t->regcmd, 4096);
	bo_new(_metadata, t->fd, &t->a, 4096);
	bo_new(_metadata, t->fd, &t->b, 4096);
	bo_new(_metadata, t->fd, &t->c, 4096);

	srand(1);
	for (m = 0; m < M; m++)
		for (k = 0; k < K; k++)
			t->ha[m][k] = rand() % 256 - 128;
	for (k = 0; k < K; k++)
		for (n = 0; n < N; n++)
			t->hb[k][n] = rand() % 256 - 128;
	matmul_reference(t);

	for (m = 0; m < M; m++)
		for (k = 0; k < K; k++)
			((int8_t *)t->a.map)[a_off(m, k)] = t->ha[m][k];
	for (k = 0; k < K; k++)
		for (n = 0; n < N; n++)
			((int8_t *)t->b.map)[b_off(k, n)] = t->hb[k][n];
	memset(t->c.map, 0xa5, t->c.create.size);

	t->count = encode_matmul(t->e, t->a.create.dma_address,
				 t->b.create.dma_address, t->c.create.dma_address);
}

static inline void matmul_teardown(struct matmul *t)
{
	if (t->fd < 0)
		return;
	bo_free(t->fd, &t->regcmd);
	bo_free(t->fd, &t->a);
	bo_free(t->fd, &t->b);
	bo_free(t->fd, &t->c);
	close(t->fd);
	t->fd = -1;
}

/* Put command list entries in a BO as little-endian 64-bit words. */
static inline void write_entries(void *map, const uint64_t *e, uint32_t count)
{
	uint32_t i;

	for (i = 0; i < count; i++) {
		uint64_t v = e[i];
		uint8_t *p = (uint8_t *)map + 8 * i;
		int byte;

		for (byte = 0; byte < 8; byte++)
			p[byte] = v >> (8 * byte);
	}
}

/* Put t's regcmd in its BO. */
static inline void write_regcmd(struct matmul *t)
{
	write_entries(t->regcmd.map, t->e, t->count);
}

/* SUBMIT of one job of one task running t's command list: C = A x B. */
struct raw_submit {
	uint32_t in[3], out[1];
	struct drm_rocket_task task;
	struct drm_rocket_job job;
	struct drm_rocket_submit submit;
};

static inline void raw_submit_init(struct matmul *t, struct raw_submit *r)
{
	memset(r, 0, sizeof(*r));
	r->in[0] = t->regcmd.create.handle;
	r->in[1] = t->a.create.handle;
	r->in[2] = t->b.create.handle;
	r->out[0] = t->c.create.handle;
	r->task.regcmd = t->regcmd.create.dma_address;
	r->task.regcmd_count = t->count;
	r->job.tasks = (uintptr_t)&r->task;
	r->job.in_bo_handles = (uintptr_t)r->in;
	r->job.out_bo_handles = (uintptr_t)r->out;
	r->job.task_count = 1;
	r->job.task_struct_size = sizeof(r->task);
	r->job.in_bo_handle_count = 3;
	r->job.out_bo_handle_count = 1;
	r->submit.jobs = (uintptr_t)&r->job;
	r->submit.job_count = 1;
	r->submit.job_struct_size = sizeof(r->job);
	write_regcmd(t);
}

/* Wait for C up to @timeout_ns and take it back for the CPU. */
static inline int wait_c(struct matmul *t, int64_t timeout_ns)
{
	struct drm_rocket_prep_bo prep = {
		.handle = t->c.create.handle,
		.timeout_ns = abs_timeout_ns(timeout_ns),
	};
	struct drm_rocket_fini_bo fini = { .handle = t->c.create.handle };

	if (ioctl(t->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep))
		return -1;
	return ioctl(t->fd, DRM_IOCTL_ROCKET_FINI_BO, &fini);
}

/*
 * Submit one job of one task running t's command list, and wait for C up
 * to @timeout_ns (not at all for 0).
 */
static inline int submit_and_wait(struct matmul *t, int64_t timeout_ns)
{
	struct raw_submit r;

	raw_submit_init(t, &r);
	if (ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit))
		return -1;
	if (!timeout_ns)
		return 0;
	return wait_c(t, timeout_ns);
}

/*
 * Fault injection of the simulated NPU (Documentation/accel/rocket/sim.rst):
 * -1 where there is none, as on a board.
 */
static inline int sim_inject(const char *knob, unsigned long value)
{
	char path[64];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/kernel/debug/rocket_sim/%s", knob);
	f = fopen(path, "w");
	if (!f)
		return -1;
	ret = fprintf(f, "%lu\n", value) > 0 ? 0 : -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

#define SIM_MAX_CORES	8

/* A line of rocket_sim/stats. */
#define SIM_STATS_LINE \
	"core %u tasks %llu done %llu stall_timeouts %llu resets %llu mmu_irqs %llu mmu_irqs_late %llu attaches %llu\n"

/* What a simulated core has run, from rocket_sim/stats. */
struct sim_core_stats {
	unsigned long long tasks, done, stall_timeouts, resets, mmu_irqs, mmu_irqs_late;
	unsigned long long attaches;
};

/*
 * The counts of each simulated core: the number of cores, or -1 where there
 * is no simulated NPU.
 */
static inline int sim_stats(struct sim_core_stats stats[SIM_MAX_CORES])
{
	unsigned int core;
	int cores = 0;
	FILE *f;

	f = fopen("/sys/kernel/debug/rocket_sim/stats", "r");
	if (!f)
		return -1;
	while (cores < SIM_MAX_CORES) {
		struct sim_core_stats *s = &stats[cores];

		if (fscanf(f, SIM_STATS_LINE, &core, &s->tasks, &s->done, &s->stall_timeouts,
			   &s->resets, &s->mmu_irqs, &s->mmu_irqs_late, &s->attaches) != 8)
			break;
		cores++;
	}
	fclose(f);
	return cores;
}

/*
 * The counts of rocket_sim/stats summed over the simulated cores; -1 where
 * there is no simulated NPU. Silicon's IOMMU stall request times out where
 * the simulated core counts a stall_timeout.
 */
static inline int sim_totals(struct sim_core_stats *total)
{
	struct sim_core_stats stats[SIM_MAX_CORES];
	int cores = sim_stats(stats), i;

	if (cores < 0)
		return -1;
	memset(total, 0, sizeof(*total));
	for (i = 0; i < cores; i++) {
		total->tasks += stats[i].tasks;
		total->done += stats[i].done;
		total->stall_timeouts += stats[i].stall_timeouts;
		total->resets += stats[i].resets;
		total->mmu_irqs += stats[i].mmu_irqs;
		total->mmu_irqs_late += stats[i].mmu_irqs_late;
		total->attaches += stats[i].attaches;
	}
	return 0;
}

static inline int check_c(struct matmul *t)
{
	const int32_t *c = t->c.map;
	uint32_t m, n;

	for (m = 0; m < M; m++)
		for (n = 0; n < N; n++)
			if (c[c_off(m, n)] != t->ref[m][n]) {
				ksft_print_msg("C[%u][%u] = %d, expected %d\n", m, n,
					       c[c_off(m, n)], t->ref[m][n]);
				return -1;
			}
	return 0;
}

/*
 * Run the job @times times, checking C each time. Jobs go to whichever core
 * the scheduler picks; after a failed job, enough of them that the core
 * which failed gets one again, so a core left broken shows.
 */
#define RECOVERY_JOBS	8

static inline int run_checked(struct matmul *t, int times)
{
	while (times--) {
		memset(t->c.map, 0xa5, t->c.create.size);
		if (submit_and_wait(t, 5000000000ll) || check_c(t))
			return -1;
	}
	return 0;
}

#endif /* __SELFTESTS_ROCKET_MATMUL_JOB_H__ */
