/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host test harness for the NPU matmul model: a flat fake NPU memory with
 * unmapped ranges, a test-only regcmd encoder written from the reference
 * table (to be replaced by the kernel encoder), the A/B/C layouts and a
 * driver-like submit sequence.
 */

#ifndef __RKT_TEST_HARNESS_H__
#define __RKT_TEST_HARNESS_H__

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rocket_registers.h"
#include "rocket_sim_model.h"

/* ---------------------------------------------------------------------- */
/* Fake NPU memory                                                          */

#define MEM_BASE	0x10000000u
#define MAX_UNMAPPED	4

struct fake_mem {
	uint8_t *buf;
	uint32_t size;
	uint32_t next;			/* bump allocator, offset from MEM_BASE */
	uint32_t unmapped_lo[MAX_UNMAPPED];
	uint32_t unmapped_hi[MAX_UNMAPPED];	/* exclusive */
	int n_unmapped;
	uint64_t reads, writes;
};

static struct fake_mem mem;

static inline bool mem_mapped(uint32_t addr, uint32_t len)
{
	uint64_t lo = addr, hi = (uint64_t)addr + len;
	int i;

	if (lo < MEM_BASE || hi > (uint64_t)MEM_BASE + mem.size)
		return false;
	for (i = 0; i < mem.n_unmapped; i++)
		if (lo < mem.unmapped_hi[i] && hi > mem.unmapped_lo[i])
			return false;
	return true;
}

static inline int mem_read(void *ctx, uint32_t addr, void *dst, uint32_t len)
{
	(void)ctx;
	mem.reads++;
	if (!mem_mapped(addr, len))
		return -1;
	memcpy(dst, &mem.buf[addr - MEM_BASE], len);
	return 0;
}

static inline int mem_write(void *ctx, uint32_t addr, const void *src, uint32_t len)
{
	(void)ctx;
	mem.writes++;
	if (!mem_mapped(addr, len))
		return -1;
	memcpy(&mem.buf[addr - MEM_BASE], src, len);
	return 0;
}

static const struct rkt_model_mem_ops mem_ops = {
	.read = mem_read,
	.write = mem_write,
};

static inline void mem_init(uint32_t size)
{
	mem.buf = calloc(1, size);
	if (!mem.buf) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	mem.size = size;
}

static inline void mem_reset(void)
{
	mem.next = 0;
	mem.n_unmapped = 0;
	mem.reads = 0;
	mem.writes = 0;
}

/* Allocate @size bytes, 64-byte aligned, filled with @fill. */
static inline uint32_t mem_alloc(uint32_t size, uint8_t fill)
{
	uint32_t off = (mem.next + 63) & ~63u;

	if ((uint64_t)off + size > mem.size) {
		fprintf(stderr, "fake memory exhausted\n");
		exit(2);
	}
	memset(&mem.buf[off], fill, size);
	mem.next = off + size;
	return MEM_BASE + off;
}

static inline void mem_unmap(uint32_t lo, uint32_t len)
{
	mem.unmapped_lo[mem.n_unmapped] = lo;
	mem.unmapped_hi[mem.n_unmapped] = lo + len;
	mem.n_unmapped++;
}

static inline uint8_t *mem_ptr(uint32_t addr)
{
	return &mem.buf[addr - MEM_BASE];
}

/* ---------------------------------------------------------------------- */
/* Test-only regcmd encoder (reference section 2)                           */

enum tprec { I8_I32, F16_F32, F16_F16 };

struct job {
	enum tprec prec;
	uint32_t m;		/* rows of this task */
	uint32_t k;
	uint32_t n;
	uint32_t m_full;	/* rows of the whole A and C; 0: m */
	uint32_t a, b, c;	/* NPU addresses, already offset for slices */
	uint32_t data_bank;	/* 0: ceil(m * k * bpe / 32 KiB) */
	bool reuse;		/* CBUF_CON0.WEIGHT_REUSE */
	uint32_t op_enable;	/* 0: 0x1d */
	bool no_rdma;		/* leave DPU_RDMA unprogrammed */
	bool zero_tail;		/* all-zero entry in place of PC_BASE_ADDRESS */
	bool j_zeros;		/* also write the registers J writes as 0 */
};

#define MAX_ENTRIES	256

static inline uint32_t bpe_of(enum tprec p)
{
	return p == I8_I32 ? 1 : 2;
}

static inline uint32_t obpe_of(enum tprec p)
{
	return p == F16_F16 ? 2 : 4;
}

static inline uint32_t group_of(enum tprec p)
{
	return p == I8_I32 ? 32 : 16;
}

static inline uint16_t target_of(uint32_t reg)
{
	switch (reg & 0xf000) {
	case 0x0000: return 0x0101;
	case 0x1000: return 0x0201;
	case 0x3000: return 0x0801;
	case 0x4000: return 0x1001;
	case 0x5000: return 0x2001;
	case 0x6000: return 0x4001;
	case 0x7000: return 0x8001;
	}
	return 0;
}

static inline uint64_t entry(uint32_t target, uint32_t reg, uint32_t value)
{
	return (uint64_t)target << 48 | (uint64_t)value << 16 | (reg & 0xffff);
}

static inline void emit(uint64_t *e, uint32_t *n, uint32_t reg, uint32_t value)
{
	e[(*n)++] = entry(target_of(reg), reg, value);
}

static inline uint32_t encode(const struct job *j, uint64_t *e)
{
	uint32_t bpe = bpe_of(j->prec);
	uint32_t obpe = obpe_of(j->prec);
	uint32_t g = group_of(j->prec);
	uint32_t c2out = 16 / obpe;
	uint32_t mf = j->m_full ? j->m_full : j->m;
	uint32_t prec = j->prec == I8_I32 ? 0 : 2;
	uint32_t out = j->prec == I8_I32 ? 4 : j->prec == F16_F32 ? 5 : 2;
	uint32_t size_e = g / c2out - 1;
	uint32_t dbank = j->data_bank ? j->data_bank :
			 (j->m * j->k * bpe + 32767) / 32768;
	uint32_t n = 0, i;

	emit(e, &n, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	     DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1));
	emit(e, &n, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(prec) |
	     CNA_CONV_CON1_IN_PRECISION(prec));
	emit(e, &n, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(j->m + 1));
	emit(e, &n, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
	     CNA_CONV_CON3_CONV_Y_STRIDE(1));
	emit(e, &n, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
	     CNA_DATA_SIZE0_DATAIN_HEIGHT(j->m));
	emit(e, &n, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(j->k - 1) |
	     CNA_DATA_SIZE1_DATAIN_CHANNEL(j->k));
	emit(e, &n, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1));
	emit(e, &n, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(j->m));
	emit(e, &n, REG_CNA_WEIGHT_SIZE0, j->k * j->n * bpe);
	emit(e, &n, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(j->k * bpe));
	emit(e, &n, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
	     CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(j->n));
	emit(e, &n, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_WEIGHT_REUSE(j->reuse) |
	     CNA_CBUF_CON0_WEIGHT_BANK(12 - dbank) | CNA_CBUF_CON0_DATA_BANK(dbank));
	emit(e, &n, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES((j->k * bpe + 63) / 64));
	emit(e, &n, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	     CNA_CVT_CON0_CVT_BYPASS(1));
	emit(e, &n, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1));
	emit(e, &n, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1));
	emit(e, &n, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1));
	emit(e, &n, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1));
	emit(e, &n, REG_CNA_FEATURE_DATA_ADDR, j->a);
	emit(e, &n, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
	     CNA_DMA_CON0_DATA_BURST_LEN(15));
	emit(e, &n, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4));
	emit(e, &n, REG_CNA_DMA_CON2, CNA_DMA_CON2_SURF_STRIDE(mf == 1 ? (uint32_t)-3 : mf - 4));
	emit(e, &n, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
	     CNA_FC_DATA_SIZE0_DMA_HEIGHT(j->m));
	emit(e, &n, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(j->k));
	emit(e, &n, REG_CNA_DCOMP_ADDR0, j->b);
	emit(e, &n, REG_CORE_MISC_CFG, prec ? CORE_MISC_CFG_PROC_PRECISION(2) |
	     CORE_MISC_CFG_QD_EN(1) : 0);
	emit(e, &n, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(j->m - 1));
	emit(e, &n, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(j->n - 1));
	emit(e, &n, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	     DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2));
	emit(e, &n, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(out) |
	     DPU_DATA_FORMAT_IN_PRECISION(prec) | DPU_DATA_FORMAT_PROC_PRECISION(prec));
	emit(e, &n, REG_DPU_DST_BASE_ADDR, j->c);
	emit(e, &n, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(mf));
	emit(e, &n, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(j->m - 1));
	emit(e, &n, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(j->n - 1) |
	     DPU_DATA_CUBE_CHANNEL_CHANNEL(j->n - 1));
	emit(e, &n, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
	     DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1));
	emit(e, &n, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_SIZE_E_2(size_e) |
	     DPU_BS_OW_CFG_SIZE_E_1(size_e) | DPU_BS_OW_CFG_SIZE_E_0(size_e) |
	     DPU_BS_OW_CFG_OD_BYPASS(1));
	emit(e, &n, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(j->n - 1));
	emit(e, &n, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(j->m - 1));
	emit(e, &n, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	     DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1));
	emit(e, &n, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
	     DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1));
	emit(e, &n, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) |
	     DPU_OUT_CVT_SCALE_FP32TOFP16_EN(j->prec == F16_F16));
	emit(e, &n, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(g / c2out * mf));
	if (!j->no_rdma) {
		emit(e, &n, REG_DPU_RDMA_RDMA_S_POINTER,
		     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
		     DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
		     DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1));
		emit(e, &n, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1));
		emit(e, &n, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		     DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1));
	}
	if (j->j_zeros) {
		static const uint32_t zeros[] = {
			REG_CNA_FC_CON0, REG_CNA_FC_CON1, REG_CNA_PAD_CON0, REG_CNA_FC_CON2,
			REG_CNA_DCOMP_CTRL, REG_CNA_DCOMP_REGNUM, REG_CNA_CVT_CON5,
			REG_CNA_PAD_CON1, REG_CORE_CLIP_TRUNCATE, 0x3030,
			REG_DPU_OFFSET_PEND, REG_DPU_DATA_CUBE_WIDTH,
			REG_DPU_DATA_CUBE_NOTCH_ADDR, REG_DPU_BS_ALU_CFG, REG_DPU_BS_MUL_CFG,
			REG_DPU_BS_RELUX_CMP_VALUE, REG_DPU_BS_OW_OP, REG_DPU_BN_ALU_CFG,
			REG_DPU_BN_MUL_CFG, REG_DPU_BN_RELUX_CMP_VALUE,
			REG_DPU_EW_CVT_OFFSET_VALUE, REG_DPU_EW_RELUX_CMP_VALUE,
			REG_DPU_OUT_CVT_OFFSET, REG_DPU_OUT_CVT_SHIFT, 0x40c4,
			REG_DPU_LUT_ACCESS_CFG, REG_DPU_LUT_ACCESS_DATA, REG_DPU_LUT_CFG,
			REG_DPU_LUT_INFO, REG_DPU_LUT_LE_START, REG_DPU_LUT_LE_END,
			REG_DPU_LUT_LO_START, REG_DPU_LUT_LO_END,
			REG_DPU_LUT_LE_SLOPE_SCALE, REG_DPU_LUT_LE_SLOPE_SHIFT,
			REG_DPU_LUT_LO_SLOPE_SCALE, REG_DPU_LUT_LO_SLOPE_SHIFT,
		};

		for (i = 0; i < sizeof(zeros) / sizeof(zeros[0]); i++)
			emit(e, &n, zeros[i], 0);
		for (i = 0; i < 16; i++)
			emit(e, &n, REG_CNA_DCOMP_AMOUNT0 + 4 * i, 0);
		for (i = 0; i < 8; i++)
			emit(e, &n, REG_DPU_EW_OP_VALUE_0 + 4 * i, 0);
		emit(e, &n, REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1));
	}
	/* tail */
	if (j->zero_tail)
		e[n++] = 0;
	else
		e[n++] = entry(0x0101, REG_PC_BASE_ADDRESS, 0);
	e[n++] = entry(0x0101, REG_PC_REGISTER_AMOUNTS, 0);
	e[n++] = entry(0x0041, 0, 0);
	e[n++] = entry(0x0081, REG_PC_OPERATION_ENABLE, j->op_enable ? j->op_enable : 0x1d);
	return n;
}

/* Replace the value of the last entry that writes @reg. Returns false if none. */
static inline bool patch_entry(uint64_t *e, uint32_t n, uint32_t reg, uint32_t value)
{
	uint32_t i;

	for (i = n; i-- > 0;) {
		if ((e[i] & 0xffff) == reg && (e[i] >> 48) == target_of(reg)) {
			e[i] = entry(target_of(reg), reg, value);
			return true;
		}
	}
	return false;
}

static inline uint32_t entry_value(const uint64_t *e, uint32_t n, uint32_t reg)
{
	uint32_t i;

	for (i = n; i-- > 0;)
		if ((e[i] & 0xffff) == reg && (e[i] >> 48) == target_of(reg))
			return (uint32_t)(e[i] >> 16);
	return 0;
}

/* Insert @ent before the four tail entries. */
static inline void insert_entry(uint64_t *e, uint32_t *n, uint64_t ent)
{
	memmove(&e[*n - 3], &e[*n - 4], 4 * sizeof(*e));
	e[*n - 4] = ent;
	(*n)++;
}

/* ---------------------------------------------------------------------- */
/* Driver-like submit (rocket_job_hw_submit) and interrupt handling         */

static struct rkt_model model;
static uint32_t last_regcmd;

static inline void write_regcmd(uint32_t addr, const uint64_t *e, uint32_t n)
{
	uint8_t *p = mem_ptr(addr);
	uint32_t i, b;

	for (i = 0; i < n; i++)
		for (b = 0; b < 8; b++)
			p[i * 8 + b] = (uint8_t)(e[i] >> (8 * b));
}

static inline void kick(uint32_t regcmd, uint32_t count)
{
	rkt_model_reg_write(&model, REG_PC_BASE_ADDRESS, 0x1);
	rkt_model_reg_write(&model, REG_CNA_S_POINTER, CNA_S_POINTER_POINTER_PP_EN(1) |
			    CNA_S_POINTER_EXECUTER_PP_EN(1) | CNA_S_POINTER_POINTER_PP_MODE(1));
	rkt_model_reg_write(&model, REG_CORE_S_POINTER, CORE_S_POINTER_POINTER_PP_EN(1) |
			    CORE_S_POINTER_EXECUTER_PP_EN(1) | CORE_S_POINTER_POINTER_PP_MODE(1));
	rkt_model_reg_write(&model, REG_PC_BASE_ADDRESS, regcmd);
	rkt_model_reg_write(&model, REG_PC_REGISTER_AMOUNTS,
			    PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT((count + 1) / 2 - 1));
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_MASK,
			    PC_INTERRUPT_MASK_DPU_0 | PC_INTERRUPT_MASK_DPU_1);
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_CLEAR,
			    PC_INTERRUPT_CLEAR_DPU_0 | PC_INTERRUPT_CLEAR_DPU_1);
	rkt_model_reg_write(&model, REG_PC_TASK_CON, PC_TASK_CON_RESERVED_0(1) |
			    PC_TASK_CON_TASK_COUNT_CLEAR(1) | PC_TASK_CON_TASK_NUMBER(1) |
			    PC_TASK_CON_TASK_PP_EN(1));
	rkt_model_reg_write(&model, REG_PC_TASK_DMA_BASE_ADDR, 0);
	rkt_model_reg_write(&model, REG_PC_OPERATION_ENABLE, PC_OPERATION_ENABLE_OP_EN(1));
}

/* The interrupt handler and its thread (rocket_job_handle_irq). */
static inline void irq_handle(void)
{
	uint32_t raw = rkt_model_reg_read(&model, REG_PC_INTERRUPT_RAW_STATUS);

	if (!(raw & (PC_INTERRUPT_RAW_STATUS_DPU_0 | PC_INTERRUPT_RAW_STATUS_DPU_1)))
		return;
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_MASK, 0);
	rkt_model_reg_write(&model, REG_PC_OPERATION_ENABLE, 0);
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_CLEAR, 0x1ffff);
}

/* Put the list in memory, kick, run. */
static inline enum rkt_model_outcome submit_list(const uint64_t *e, uint32_t n)
{
	last_regcmd = mem_alloc(n * 8 + 8, 0);
	write_regcmd(last_regcmd, e, n);
	kick(last_regcmd, n);
	return rkt_model_run(&model);
}

static inline enum rkt_model_outcome submit(const struct job *j)
{
	uint64_t e[MAX_ENTRIES];

	return submit_list(e, encode(j, e));
}

/* ---------------------------------------------------------------------- */
/* Layouts (reference section 3) and data                                   */

/* A element (m, k), M = full rows: (k / C2) * M * C2 + m * C2 + k % C2 */
static inline uint32_t a_off(enum tprec p, uint32_t mf, uint32_t m, uint32_t k)
{
	uint32_t c2 = 16 / bpe_of(p);

	return ((k / c2) * mf * c2 + m * c2 + k % c2) * bpe_of(p);
}

/* B element (k, n): INT8 [N/32][K/32][32 n][32 k], FP16 [N/16][K/32][16 n][32 k] */
static inline uint32_t b_off(enum tprec p, uint32_t kk, uint32_t k, uint32_t n)
{
	uint32_t g = group_of(p);

	return (((n / g) * (kk / 32) + k / 32) * g * 32 + (n % g) * 32 + k % 32) * bpe_of(p);
}

/* C element (m, n): (n / C2) * M * C2 + m * C2 + n % C2 */
static inline uint32_t c_off(enum tprec p, uint32_t mf, uint32_t m, uint32_t n)
{
	uint32_t c2 = 16 / obpe_of(p);

	return ((n / c2) * mf * c2 + m * c2 + n % c2) * obpe_of(p);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static inline uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* A random finite half with exponent field in [emin, emax]; subnormals if emin == 0. */
static inline uint16_t rnd_half(uint32_t emin, uint32_t emax)
{
	uint32_t e = emin + rnd() % (emax - emin + 1);

	return (uint16_t)((rnd() & 1) << 15 | e << 10 | (rnd() & 0x3ff));
}

static inline double half_to_double(uint16_t h)
{
	uint32_t e = (h >> 10) & 0x1f, f = h & 0x3ff;
	double v;

	if (e == 0x1f)
		return f ? NAN : INFINITY * ((h & 0x8000) ? -1 : 1);
	v = e ? ldexp((double)(f | 0x400), (int)e - 25) : ldexp((double)f, -24);
	return (h & 0x8000) ? -v : v;
}

static inline double float_bits_to_double(uint32_t b)
{
	float f;

	memcpy(&f, &b, 4);
	return f;
}

/* Round a double to the nearest half (ties to even), returned as a double. */
static inline double round_half(double x)
{
	double ax = fabs(x), ulp, q;
	int e;

	if (ax >= 65520.0)
		return x < 0 ? -INFINITY : INFINITY;
	if (ax == 0)
		return x;
	frexp(ax, &e);			/* ax = f * 2^e, f in [0.5, 1) */
	ulp = ldexp(1.0, (e - 1 < -14 ? -14 : e - 1) - 10);
	q = nearbyint(ax / ulp) * ulp;
	return x < 0 ? -q : q;
}

static inline double round_float(double x)
{
	return (double)(float)x;
}

#endif /* __RKT_TEST_HARNESS_H__ */
