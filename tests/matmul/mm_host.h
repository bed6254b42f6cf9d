/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host harness of the matmul tests: a fake NPU address space of BOs with
 * access rules (the NPU may read A, B and the command lists, and write only
 * C), the native layouts, test data with exact references, and a run of a
 * whole plan on software NPU cores kicked as rocket_job_hw_submit() does.
 */

#ifndef __MM_HOST_H__
#define __MM_HOST_H__

#include <math.h>

#include "plan_check.h"
#include "rocket_sim_model.h"

/* One PASS or FAIL line per check; main() prints and returns the totals. */
static unsigned int n_pass, n_fail;

static void report(const char *name, const char *why)
{
	if (!why) {
		printf("PASS %s\n", name);
		n_pass++;
	} else {
		printf("FAIL %s: %s\n", name, why);
		n_fail++;
	}
}

/* ---------------------------------------------------------------------- */
/* Fake NPU address space                                                   */

#define NPU_BASE	0x10000000u
#define MAX_BOS		8

enum bo_use { BO_READ, BO_WRITE };

struct fake_bo {
	uint32_t addr;
	uint32_t size;
	uint8_t *data;
	enum bo_use use;
};

static struct {
	struct fake_bo bo[MAX_BOS];
	int count;
	uint32_t next;
	const char *fault;
	char why[160];
} npu;

/* The element types of the matmul ioctl, and their short names in test output. */
static const uint32_t mm_types[] = {
	DRM_ROCKET_MATMUL_INT8_INT32, DRM_ROCKET_MATMUL_FP16_FP32, DRM_ROCKET_MATMUL_FP16_FP16,
};

static inline const char *mm_type_name(uint32_t type)
{
	switch (type) {
	case DRM_ROCKET_MATMUL_INT8_INT32:
		return "i8i32";
	case DRM_ROCKET_MATMUL_FP16_FP32:
		return "f16f32";
	default:
		return "f16f16";
	}
}

static inline void npu_reset(void)
{
	int i;

	for (i = 0; i < npu.count; i++)
		free(npu.bo[i].data);
	memset(&npu, 0, sizeof(npu));
	npu.next = NPU_BASE;
}

/* A BO of @size bytes, page aligned, with a guard page after it. */
static inline struct fake_bo *npu_bo(uint32_t size, enum bo_use use)
{
	struct fake_bo *bo = &npu.bo[npu.count++];

	bo->addr = npu.next;
	bo->size = size;
	bo->use = use;
	bo->data = malloc(size ? size : 1);
	if (!bo->data) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	npu.next += ((size + 4095) & ~4095u) + 4096;
	return bo;
}

static inline struct fake_bo *npu_find(uint32_t addr, uint32_t len)
{
	int i;

	for (i = 0; i < npu.count; i++) {
		struct fake_bo *bo = &npu.bo[i];

		if (addr >= bo->addr && (uint64_t)addr + len <= (uint64_t)bo->addr + bo->size)
			return bo;
	}
	return NULL;
}

static int npu_read(void *ctx, uint32_t addr, void *dst, uint32_t len)
{
	struct fake_bo *bo = npu_find(addr, len);

	(void)ctx;
	if (!bo) {
		snprintf(npu.why, sizeof(npu.why), "read of %u bytes at 0x%08x outside every BO",
			 len, addr);
		npu.fault = npu.why;
		return -1;
	}
	memcpy(dst, bo->data + (addr - bo->addr), len);
	return 0;
}

static int npu_write(void *ctx, uint32_t addr, const void *src, uint32_t len)
{
	struct fake_bo *bo = npu_find(addr, len);

	(void)ctx;
	if (!bo || bo->use != BO_WRITE) {
		snprintf(npu.why, sizeof(npu.why), "write of %u bytes at 0x%08x outside C",
			 len, addr);
		npu.fault = npu.why;
		return -1;
	}
	memcpy(bo->data + (addr - bo->addr), src, len);
	return 0;
}

static const struct rkt_model_mem_ops npu_ops = {
	.read = npu_read,
	.write = npu_write,
};

/* ---------------------------------------------------------------------- */
/* Layouts and data                                                         */

static inline uint64_t a_index(uint32_t bpe, uint32_t mf, uint32_t m, uint32_t k)
{
	uint32_t c2 = 16 / bpe;

	return ((uint64_t)(k / c2) * mf * c2 + (uint64_t)m * c2 + k % c2) * bpe;
}

static inline uint64_t b_index(uint32_t bpe, uint32_t group, uint32_t kk, uint32_t k, uint32_t n)
{
	return (((uint64_t)(n / group) * (kk / 32) + k / 32) * group * 32 +
		(uint64_t)(n % group) * 32 + k % 32) * bpe;
}

/*
 * B of a product of depth @kk and width @nn, element (k, n): for K above
 * 8192, the segmented layout of the uAPI, written out here independently of
 * the kernel's code: T = ceil(K / 8192) segments of S = 32 * ceil(K / (32 * T))
 * rows of B (the last holds the rest), segment t at t * S * N * bpe in the
 * kernel-grouped layout of its own depth.
 */
static inline uint64_t b_seg_index(uint32_t bpe, uint32_t group, uint32_t kk, uint32_t nn,
				   uint32_t k, uint32_t n)
{
	uint32_t t = (kk + 8191) / 8192, seg = 32 * ((kk + 32 * t - 1) / (32 * t));
	uint32_t k0, depth;

	if (kk <= 8192)
		return b_index(bpe, group, kk, k, n);
	k0 = k / seg * seg;
	depth = kk - k0 < seg ? kk - k0 : seg;
	return (uint64_t)k0 * nn * bpe + b_index(bpe, group, depth, k - k0, n);
}

static inline uint64_t c_index(uint32_t obpe, uint32_t mf, uint32_t m, uint32_t n)
{
	uint32_t c2 = 16 / obpe;

	return ((uint64_t)(n / c2) * mf * c2 + (uint64_t)m * c2 + n % c2) * obpe;
}

static uint64_t rng = 0x2545f4914f6cdd1dull;

static inline uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

/*
 * A half with exponent field 10..16 (magnitudes 2^-5 .. 4): every product is
 * a multiple of 2^-30 below 2^4, so a sum of 8192 of them is exact in a
 * double. The reference is then the exact sum rounded once, which is what
 * the model computes.
 */
static inline uint16_t rnd_half(void)
{
	uint32_t e = 10 + rnd() % 7;

	return (uint16_t)((rnd() & 1) << 15 | e << 10 | (rnd() & 0x3ff));
}

static inline double half_value(uint16_t h)
{
	uint32_t e = (h >> 10) & 0x1f, f = h & 0x3ff;
	double v = e ? ldexp((double)(f | 0x400), (int)e - 25) : ldexp((double)f, -24);

	return (h & 0x8000) ? -v : v;
}

/* Round a double to the nearest half, ties to even; bits of the half. */
static inline uint16_t double_to_half(double x)
{
	uint16_t sign = x < 0 ? 0x8000 : 0;
	double ax = fabs(x), q;
	int e;

	if (ax == 0)
		return 0;
	if (ax >= 65520.0)
		return sign | 0x7c00;
	frexp(ax, &e);			/* ax = f * 2^e, f in [0.5, 1) */
	if (e - 1 < -14) {		/* subnormal: multiple of 2^-24 */
		q = nearbyint(ldexp(ax, 24));
		return sign | (uint16_t)q;
	}
	q = nearbyint(ldexp(ax, 11 - e));	/* 11 significant bits */
	if (q >= 2048) {
		q /= 2;
		e++;
	}
	if (e - 1 + 15 >= 31)
		return sign | 0x7c00;
	return sign | (uint16_t)((e - 1 + 15) << 10) | ((uint16_t)q & 0x3ff);
}

static inline uint32_t float_bits(float f)
{
	uint32_t b;

	memcpy(&b, &f, 4);
	return b;
}

/* ---------------------------------------------------------------------- */
/* One product on the software NPU                                          */

struct mm_case {
	struct rocket_matmul_shape shape;
	struct rocket_matmul_plan plan;
	struct fake_bo *a, *b, *c, *cmd, *scratch;
	int8_t *ai8, *bi8;		/* A row-major, B column-major (B^T) */
	double *af, *bf;
	uint64_t kicks;
};

static struct rkt_model *models[ROCKET_MATMUL_MAX_JOBS];

static inline void models_init(void)
{
	int i;

	for (i = 0; i < ROCKET_MATMUL_MAX_JOBS; i++) {
		models[i] = calloc(1, sizeof(*models[i]));
		if (!models[i]) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
	}
}

static inline void models_free(void)
{
	int i;

	for (i = 0; i < ROCKET_MATMUL_MAX_JOBS; i++)
		free(models[i]);
}

/* Allocate the BOs, fill A and B with random data in the native layouts. */
static inline void mm_setup(struct mm_case *t, uint32_t type, uint32_t m, uint32_t k, uint32_t n)
{
	uint32_t bpe = rocket_matmul_in_bytes(type), obpe = rocket_matmul_out_bytes(type);
	uint32_t group = rocket_matmul_kernel_group(type);
	uint32_t i, j;

	memset(t, 0, sizeof(*t));
	npu_reset();
	t->a = npu_bo(m * k * bpe, BO_READ);
	t->b = npu_bo(k * n * bpe, BO_READ);
	t->c = npu_bo(m * n * obpe, BO_WRITE);
	memset(t->c->data, 0xa5, t->c->size);	/* unwritten elements show */
	t->shape = (struct rocket_matmul_shape){
		.type = type, .m = m, .k = k, .n = n,
		.a_addr = t->a->addr, .b_addr = t->b->addr, .c_addr = t->c->addr,
		.core_mask = 7, .segments = (k + 8191) / 8192,
	};
	t->shape.seg_k = 32 * ((k + 32 * t->shape.segments - 1) / (32 * t->shape.segments));
	if (t->shape.segments > 1) {
		/* the kernel's scratch: written by the NPU, never zeroed */
		t->scratch = npu_bo(2 * 4 * m * n, BO_WRITE);
		memset(t->scratch->data, 0x5a, t->scratch->size);
		t->shape.scratch_addr = t->scratch->addr;
	}

	if (type == DRM_ROCKET_MATMUL_INT8_INT32) {
		t->ai8 = malloc((size_t)m * k);
		t->bi8 = malloc((size_t)n * k);
		for (i = 0; i < m; i++)
			for (j = 0; j < k; j++) {
				int8_t v = (int8_t)rnd();

				t->ai8[(size_t)i * k + j] = v;
				t->a->data[a_index(1, m, i, j)] = (uint8_t)v;
			}
		for (j = 0; j < n; j++)
			for (i = 0; i < k; i++) {
				int8_t v = (int8_t)rnd();

				t->bi8[(size_t)j * k + i] = v;
				t->b->data[b_seg_index(1, group, k, n, i, j)] = (uint8_t)v;
			}
		return;
	}
	t->af = malloc((size_t)m * k * sizeof(double));
	t->bf = malloc((size_t)n * k * sizeof(double));
	for (i = 0; i < m; i++)
		for (j = 0; j < k; j++) {
			uint16_t h = rnd_half();

			t->af[(size_t)i * k + j] = half_value(h);
			memcpy(&t->a->data[a_index(2, m, i, j)], &h, 2);
		}
	for (j = 0; j < n; j++)
		for (i = 0; i < k; i++) {
			uint16_t h = rnd_half();

			t->bf[(size_t)j * k + i] = half_value(h);
			memcpy(&t->b->data[b_seg_index(2, group, k, n, i, j)], &h, 2);
		}
	(void)obpe;
}

static inline void mm_free(struct mm_case *t)
{
	free(t->ai8);
	free(t->bi8);
	free(t->af);
	free(t->bf);
	npu_reset();
}

/* The kick of rocket_job_hw_submit(), then the interrupt handler's writes. */
static inline enum rkt_model_outcome kick_task(struct rkt_model *md, uint32_t regcmd,
					       uint32_t entries)
{
	enum rkt_model_outcome o;

	rkt_model_reg_write(md, REG_PC_BASE_ADDRESS, 0x1);
	rkt_model_reg_write(md, REG_CNA_S_POINTER, CNA_S_POINTER_POINTER_PP_EN(1) |
			    CNA_S_POINTER_EXECUTER_PP_EN(1) | CNA_S_POINTER_POINTER_PP_MODE(1));
	rkt_model_reg_write(md, REG_CORE_S_POINTER, CORE_S_POINTER_POINTER_PP_EN(1) |
			    CORE_S_POINTER_EXECUTER_PP_EN(1) | CORE_S_POINTER_POINTER_PP_MODE(1));
	rkt_model_reg_write(md, REG_PC_BASE_ADDRESS, regcmd);
	rkt_model_reg_write(md, REG_PC_REGISTER_AMOUNTS,
			    PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT((entries + 1) / 2 - 1));
	rkt_model_reg_write(md, REG_PC_INTERRUPT_MASK,
			    PC_INTERRUPT_MASK_DPU_0 | PC_INTERRUPT_MASK_DPU_1);
	rkt_model_reg_write(md, REG_PC_INTERRUPT_CLEAR,
			    PC_INTERRUPT_CLEAR_DPU_0 | PC_INTERRUPT_CLEAR_DPU_1);
	rkt_model_reg_write(md, REG_PC_TASK_CON, PC_TASK_CON_RESERVED_0(1) |
			    PC_TASK_CON_TASK_COUNT_CLEAR(1) | PC_TASK_CON_TASK_NUMBER(1) |
			    PC_TASK_CON_TASK_PP_EN(1));
	rkt_model_reg_write(md, REG_PC_TASK_DMA_BASE_ADDR, 0);
	rkt_model_reg_write(md, REG_PC_OPERATION_ENABLE, PC_OPERATION_ENABLE_OP_EN(1));
	o = rkt_model_run(md);
	if (o == RKT_MODEL_DONE && rkt_model_irq_pending(md)) {
		rkt_model_reg_write(md, REG_PC_OPERATION_ENABLE, 0);
		rkt_model_reg_write(md, REG_PC_INTERRUPT_CLEAR, 0x1ffff);
	}
	return o;
}

/*
 * Encode every task into a command BO (one list each ROCKET_MATMUL_TASK_STRIDE
 * bytes), then run the jobs on one model core each, interleaved task by
 * task as three cores would.
 */
static inline const char *mm_run(struct mm_case *t)
{
	const struct rocket_matmul_plan *p = &t->plan;
	uint32_t base[ROCKET_MATMUL_MAX_JOBS], next[ROCKET_MATMUL_MAX_JOBS] = { 0 };
	uint32_t j, i, off = 0, left = p->task_count;
	struct rocket_matmul_task task;
	u64 e[ROCKET_MATMUL_TASK_ENTRIES];

	if (p->scratch_bytes && (!t->scratch || p->scratch_bytes > t->scratch->size))
		return pc_fail("plan needs %llu bytes of scratch",
			       (unsigned long long)p->scratch_bytes);
	t->cmd = npu_bo(p->task_count * ROCKET_MATMUL_TASK_STRIDE, BO_READ);
	memset(t->cmd->data, 0, t->cmd->size);
	for (j = 0; j < p->job_count; j++) {
		base[j] = t->cmd->addr + off;
		for (i = 0; i < p->jobs[j].task_count; i++) {
			uint8_t *dst = t->cmd->data + off;
			int n, b;

			rocket_matmul_get_task(p, j, i, &task);
			n = rocket_matmul_encode_task(&t->shape, &task, e, ROCKET_MATMUL_TASK_ENTRIES);
			if (n != (int)rocket_matmul_task_entries(&task))
				return pc_fail("encoder returned %d", n);
			while (n--)
				for (b = 0; b < 8; b++)
					dst[n * 8 + b] = (uint8_t)(e[n] >> (8 * b));
			off += ROCKET_MATMUL_TASK_STRIDE;
		}
	}
	for (j = 0; j < p->job_count; j++)
		rkt_model_init(models[j], &npu_ops, NULL);

	while (left) {
		for (j = 0; j < p->job_count; j++) {
			enum rkt_model_outcome o;

			if (next[j] == p->jobs[j].task_count)
				continue;
			/*
			 * A run is a job of its own: another client's job or a
			 * reset may come first. Reset the core: nothing it left
			 * in the CBUF may be relied on.
			 */
			if (next[j] && next[j] % p->jobs[j].run_tasks == 0)
				rkt_model_init(models[j], &npu_ops, NULL);
			rocket_matmul_get_task(p, j, next[j], &task);
			o = kick_task(models[j], base[j] + next[j] * ROCKET_MATMUL_TASK_STRIDE,
				      rocket_matmul_task_entries(&task));
			t->kicks++;
			if (o != RKT_MODEL_DONE)
				return pc_fail("job %u task %u: %s: %.150s", j, next[j],
					       rkt_model_outcome_name(o),
					       npu.fault ? npu.fault : rkt_model_log(models[j]));
			next[j]++;
			left--;
		}
	}
	return NULL;
}

/* Compare every element of C with the reference. */
static inline const char *mm_compare(const struct mm_case *t, uint64_t *compared)
{
	const struct rocket_matmul_shape *s = &t->shape;
	uint32_t obpe = rocket_matmul_out_bytes(s->type);
	uint32_t i, j, kk;

	for (i = 0; i < s->m; i++) {
		for (j = 0; j < s->n; j++) {
			const uint8_t *got = &t->c->data[c_index(obpe, s->m, i, j)];

			if (s->type == DRM_ROCKET_MATMUL_INT8_INT32) {
				const int8_t *a = &t->ai8[(size_t)i * s->k];
				const int8_t *b = &t->bi8[(size_t)j * s->k];
				int32_t want = 0, have;

				for (kk = 0; kk < s->k; kk++)
					want += a[kk] * b[kk];
				memcpy(&have, got, 4);
				if (have != want)
					return pc_fail("C[%u][%u] = %d, want %d", i, j, have, want);
			} else {
				const double *a = &t->af[(size_t)i * s->k];
				const double *b = &t->bf[(size_t)j * s->k];
				double sum = 0;

				for (kk = 0; kk < s->k; kk++)
					sum += a[kk] * b[kk];
				if (s->type == DRM_ROCKET_MATMUL_FP16_FP32) {
					uint32_t have, want = float_bits((float)sum);

					memcpy(&have, got, 4);
					if (have != want)
						return pc_fail("C[%u][%u] = 0x%08x, want 0x%08x",
							       i, j, have, want);
				} else {
					uint16_t have, want = double_to_half(sum);

					memcpy(&have, got, 2);
					if (have != want)
						return pc_fail("C[%u][%u] = 0x%04x, want 0x%04x",
							       i, j, have, want);
				}
			}
			(*compared)++;
		}
	}
	return NULL;
}

#endif /* __MM_HOST_H__ */
