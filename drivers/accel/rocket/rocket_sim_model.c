// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Software model of one RK3588 NPU core executing a matrix multiply or an
 * INT8 convolution as Mesa programs it.
 * See rocket_sim_model.h for the interface and
 * Documentation/accel/rocket/sim.rst for what the model checks and why.
 */

#include <linux/array_size.h>
#include <linux/bitfield.h>
#include <linux/bitops.h>
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/math.h>
#include <linux/minmax.h>
#include <linux/sprintf.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/unaligned.h>

#include "rocket_registers.h"
#include "rocket_sim_model.h"

/* Fields of a 64-bit little-endian register command entry. */
#define RC_TARGET		GENMASK_ULL(63, 48)
#define RC_VALUE		GENMASK_ULL(47, 16)
#define RC_OFFSET		GENMASK_ULL(15, 0)

/* Register command targets. */
#define TGT_PC			0x0101
#define TGT_CNA			0x0201
#define TGT_CORE		0x0801
#define TGT_DPU			0x1001
#define TGT_DPU_RDMA		0x2001
#define TGT_PPU			0x4001
#define TGT_PPU_RDMA		0x8001
#define TGT_OP_ENABLE		0x0081
#define TGT_MARKER		0x0041
#define MARKER_ENTRY		FIELD_PREP(RC_TARGET, TGT_MARKER)

/* Block windows inside the core, after PC at 0x0000. */
#define BLK_CNA			0x1000
#define BLK_HOLE		0x2000	/* no register file */
#define BLK_CORE		0x3000
#define BLK_DPU			0x4000
#define BLK_DPU_RDMA		0x5000
#define BLK_PPU			0x6000
#define BLK_PPU_RDMA		0x7000
#define BLK_END			0x8000
#define BLK_MASK		(RKT_MODEL_BLOCK_SIZE - 1)

/* Precision codes (TRM): CNA, CORE and DPU inputs; DPU output adds INT32/FP32. */
#define PREC_INT8		0
#define PREC_FP16		2
#define PREC_INT32		4
#define PREC_FP32		5

#define CBUF_BANK		RKT_MODEL_CBUF_BANK_SIZE
#define ATOM			16	/* bytes per feature/output pixel block */

/* PC_OPERATION_ENABLE values of the 0x0081 tail entry seen in working code. */
static const u32 known_op_enable[] = { 0x0d, 0x1d, 0x7f, 0x18 };

/* The DPU-only value (DPU and DPU_RDMA): rknpu2_matmul_open's add tasks. */
#define OP_ENABLE_DPU_ONLY	0x18

/* The register at byte offset @off (below BLK_END) of the core's window, as an lvalue. */
#define REG(m, off)		((m)->regs[(off) / 4])

struct mm_cfg {
	u32 prec;		/* PREC_INT8 or PREC_FP16 */
	u32 out;		/* PREC_INT32, PREC_FP32 or PREC_FP16 */
	u32 bpe;		/* input bytes per element */
	u32 obpe;		/* output bytes per element */
	u32 c2in;		/* input elements per 16-byte atom */
	u32 c2out;		/* output elements per 16-byte atom */
	u32 group;		/* kernels per B group: 32 INT8, 16 FP16 */
	u32 m;			/* rows of this task */
	u32 m_full;		/* rows the surface strides were computed from */
	u32 k;
	u32 n;
	u32 a;			/* NPU address of A */
	u32 b;			/* NPU address of B */
	u32 c;			/* NPU address of C */
	u32 data_bank;
	u32 weight_bank;
	bool reuse;
};

/* ---------------------------------------------------------------------- */
/* Register names                                                           */

struct reg_name {
	u32 off;
	const char *name;
};

#define RN(x) { REG_##x, #x }
static const struct reg_name reg_names[] = {
	RN(PC_VERSION),
	RN(PC_VERSION_NUM),
	RN(PC_OPERATION_ENABLE),
	RN(PC_BASE_ADDRESS),
	RN(PC_REGISTER_AMOUNTS),
	RN(PC_INTERRUPT_MASK),
	RN(PC_INTERRUPT_CLEAR),
	RN(PC_INTERRUPT_STATUS),
	RN(PC_INTERRUPT_RAW_STATUS),
	RN(PC_TASK_CON),
	RN(PC_TASK_DMA_BASE_ADDR),
	RN(PC_TASK_STATUS),
	RN(CNA_S_STATUS),
	RN(CNA_S_POINTER),
	RN(CNA_OPERATION_ENABLE),
	RN(CNA_CONV_CON1),
	RN(CNA_CONV_CON2),
	RN(CNA_CONV_CON3),
	RN(CNA_DATA_SIZE0),
	RN(CNA_DATA_SIZE1),
	RN(CNA_DATA_SIZE2),
	RN(CNA_DATA_SIZE3),
	RN(CNA_WEIGHT_SIZE0),
	RN(CNA_WEIGHT_SIZE1),
	RN(CNA_WEIGHT_SIZE2),
	RN(CNA_CBUF_CON0),
	RN(CNA_CBUF_CON1),
	RN(CNA_CVT_CON0),
	RN(CNA_CVT_CON1),
	RN(CNA_CVT_CON2),
	RN(CNA_CVT_CON3),
	RN(CNA_CVT_CON4),
	RN(CNA_FC_CON0),
	RN(CNA_FC_CON1),
	RN(CNA_PAD_CON0),
	RN(CNA_FEATURE_DATA_ADDR),
	RN(CNA_FC_CON2),
	RN(CNA_DMA_CON0),
	RN(CNA_DMA_CON1),
	RN(CNA_DMA_CON2),
	RN(CNA_FC_DATA_SIZE0),
	RN(CNA_FC_DATA_SIZE1),
	RN(CNA_CLK_GATE),
	RN(CNA_DCOMP_CTRL),
	RN(CNA_DCOMP_REGNUM),
	RN(CNA_DCOMP_ADDR0),
	RN(CNA_DCOMP_AMOUNT0),
	RN(CNA_DCOMP_AMOUNT1),
	RN(CNA_DCOMP_AMOUNT2),
	RN(CNA_DCOMP_AMOUNT3),
	RN(CNA_DCOMP_AMOUNT4),
	RN(CNA_DCOMP_AMOUNT5),
	RN(CNA_DCOMP_AMOUNT6),
	RN(CNA_DCOMP_AMOUNT7),
	RN(CNA_DCOMP_AMOUNT8),
	RN(CNA_DCOMP_AMOUNT9),
	RN(CNA_DCOMP_AMOUNT10),
	RN(CNA_DCOMP_AMOUNT11),
	RN(CNA_DCOMP_AMOUNT12),
	RN(CNA_DCOMP_AMOUNT13),
	RN(CNA_DCOMP_AMOUNT14),
	RN(CNA_DCOMP_AMOUNT15),
	RN(CNA_CVT_CON5),
	RN(CNA_PAD_CON1),
	RN(CORE_S_STATUS),
	RN(CORE_S_POINTER),
	RN(CORE_OPERATION_ENABLE),
	RN(CORE_MAC_GATING),
	RN(CORE_MISC_CFG),
	RN(CORE_DATAOUT_SIZE_0),
	RN(CORE_DATAOUT_SIZE_1),
	RN(CORE_CLIP_TRUNCATE),
	RN(DPU_S_STATUS),
	RN(DPU_S_POINTER),
	RN(DPU_OPERATION_ENABLE),
	RN(DPU_FEATURE_MODE_CFG),
	RN(DPU_DATA_FORMAT),
	RN(DPU_OFFSET_PEND),
	RN(DPU_DST_BASE_ADDR),
	RN(DPU_DST_SURF_STRIDE),
	RN(DPU_DATA_CUBE_WIDTH),
	RN(DPU_DATA_CUBE_HEIGHT),
	RN(DPU_DATA_CUBE_NOTCH_ADDR),
	RN(DPU_DATA_CUBE_CHANNEL),
	RN(DPU_BS_CFG),
	RN(DPU_BS_ALU_CFG),
	RN(DPU_BS_MUL_CFG),
	RN(DPU_BS_RELUX_CMP_VALUE),
	RN(DPU_BS_OW_CFG),
	RN(DPU_BS_OW_OP),
	RN(DPU_WDMA_SIZE_0),
	RN(DPU_WDMA_SIZE_1),
	RN(DPU_BN_CFG),
	RN(DPU_BN_ALU_CFG),
	RN(DPU_BN_MUL_CFG),
	RN(DPU_BN_RELUX_CMP_VALUE),
	RN(DPU_EW_CFG),
	RN(DPU_EW_CVT_OFFSET_VALUE),
	RN(DPU_EW_CVT_SCALE_VALUE),
	RN(DPU_EW_RELUX_CMP_VALUE),
	RN(DPU_OUT_CVT_OFFSET),
	RN(DPU_OUT_CVT_SCALE),
	RN(DPU_OUT_CVT_SHIFT),
	RN(DPU_EW_OP_VALUE_0),
	RN(DPU_EW_OP_VALUE_1),
	RN(DPU_EW_OP_VALUE_2),
	RN(DPU_EW_OP_VALUE_3),
	RN(DPU_EW_OP_VALUE_4),
	RN(DPU_EW_OP_VALUE_5),
	RN(DPU_EW_OP_VALUE_6),
	RN(DPU_EW_OP_VALUE_7),
	RN(DPU_SURFACE_ADD),
	RN(DPU_LUT_ACCESS_CFG),
	RN(DPU_LUT_ACCESS_DATA),
	RN(DPU_LUT_CFG),
	RN(DPU_LUT_INFO),
	RN(DPU_LUT_LE_START),
	RN(DPU_LUT_LE_END),
	RN(DPU_LUT_LO_START),
	RN(DPU_LUT_LO_END),
	RN(DPU_LUT_LE_SLOPE_SCALE),
	RN(DPU_LUT_LE_SLOPE_SHIFT),
	RN(DPU_LUT_LO_SLOPE_SCALE),
	RN(DPU_LUT_LO_SLOPE_SHIFT),
	RN(DPU_RDMA_RDMA_S_STATUS),
	RN(DPU_RDMA_RDMA_S_POINTER),
	RN(DPU_RDMA_RDMA_OPERATION_ENABLE),
	RN(DPU_RDMA_RDMA_DATA_CUBE_WIDTH),
	RN(DPU_RDMA_RDMA_DATA_CUBE_HEIGHT),
	RN(DPU_RDMA_RDMA_DATA_CUBE_CHANNEL),
	RN(DPU_RDMA_RDMA_SRC_BASE_ADDR),
	RN(DPU_RDMA_RDMA_BRDMA_CFG),
	RN(DPU_RDMA_RDMA_BS_BASE_ADDR),
	RN(DPU_RDMA_RDMA_NRDMA_CFG),
	RN(DPU_RDMA_RDMA_BN_BASE_ADDR),
	RN(DPU_RDMA_RDMA_ERDMA_CFG),
	RN(DPU_RDMA_RDMA_EW_BASE_ADDR),
	RN(DPU_RDMA_RDMA_EW_SURF_STRIDE),
	RN(DPU_RDMA_RDMA_FEATURE_MODE_CFG),
	RN(DPU_RDMA_RDMA_SRC_DMA_CFG),
	RN(DPU_RDMA_RDMA_SURF_NOTCH),
	RN(DPU_RDMA_RDMA_PAD_CFG),
	RN(DPU_RDMA_RDMA_WEIGHT),
	RN(DPU_RDMA_RDMA_EW_SURF_NOTCH),
	RN(PPU_S_STATUS),
	RN(PPU_S_POINTER),
	RN(PPU_OPERATION_ENABLE),
	RN(PPU_DATA_CUBE_IN_WIDTH),
	RN(PPU_DATA_CUBE_IN_HEIGHT),
	RN(PPU_DATA_CUBE_IN_CHANNEL),
	RN(PPU_DATA_CUBE_OUT_WIDTH),
	RN(PPU_DATA_CUBE_OUT_HEIGHT),
	RN(PPU_DATA_CUBE_OUT_CHANNEL),
	RN(PPU_OPERATION_MODE_CFG),
	RN(PPU_POOLING_KERNEL_CFG),
	RN(PPU_RECIP_KERNEL_WIDTH),
	RN(PPU_RECIP_KERNEL_HEIGHT),
	RN(PPU_POOLING_PADDING_CFG),
	RN(PPU_PADDING_VALUE_1_CFG),
	RN(PPU_PADDING_VALUE_2_CFG),
	RN(PPU_DST_BASE_ADDR),
	RN(PPU_DST_SURF_STRIDE),
	RN(PPU_DATA_FORMAT),
	RN(PPU_MISC_CTRL),
	RN(PPU_RDMA_RDMA_S_STATUS),
	RN(PPU_RDMA_RDMA_S_POINTER),
	RN(PPU_RDMA_RDMA_OPERATION_ENABLE),
	RN(PPU_RDMA_RDMA_CUBE_IN_WIDTH),
	RN(PPU_RDMA_RDMA_CUBE_IN_HEIGHT),
	RN(PPU_RDMA_RDMA_CUBE_IN_CHANNEL),
	RN(PPU_RDMA_RDMA_SRC_BASE_ADDR),
	RN(PPU_RDMA_RDMA_SRC_LINE_STRIDE),
	RN(PPU_RDMA_RDMA_SRC_SURF_STRIDE),
	RN(PPU_RDMA_RDMA_DATA_FORMAT),
};

#undef RN

const char *rkt_model_reg_name(u32 offset)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(reg_names); i++)
		if (reg_names[i].off == offset)
			return reg_names[i].name;
	return NULL;
}

static const char *prec_name(u32 code)
{
	static const char * const names[] = {
		"INT8", "INT16", "FP16", "BF16", "INT32", "FP32", "INT4", "TF32",
	};

	return code < ARRAY_SIZE(names) ? names[code] : "?";
}

const char *rkt_model_outcome_name(enum rkt_model_outcome o)
{
	switch (o) {
	case RKT_MODEL_IDLE:
		return "IDLE";
	case RKT_MODEL_DONE:
		return "DONE";
	case RKT_MODEL_DMA_FAULT:
		return "DMA_FAULT";
	case RKT_MODEL_HANG:
		return "HANG";
	case RKT_MODEL_REFUSED:
		return "REFUSED";
	}
	return "?";
}

/* ---------------------------------------------------------------------- */
/* Log                                                                      */

/*
 * The log is a fixed buffer of lines. Its last strlen(LOG_TRUNC) bytes are
 * kept for the marker written when a message does not fit. Later messages are
 * dropped rather than earlier ones: the first refusal of a task names the
 * cause, what follows is often a consequence.
 */
#define LOG_TRUNC		"...\n"
#define LOG_ROOM		(RKT_MODEL_LOG_SIZE - (sizeof(LOG_TRUNC) - 1))

static __printf(2, 0) void log_vappend(struct rkt_model *m, const char *fmt, va_list ap)
{
	u32 room = LOG_ROOM - m->log_len;
	int n;

	if (m->log_full)
		return;
	n = vsnprintf(&m->log[m->log_len], room, fmt, ap);
	if (n >= 0 && (u32)n < room) {
		m->log_len += n;
		return;
	}
	/* keep what fit of the message, then the marker */
	m->log_len = LOG_ROOM - 1;
	memcpy(&m->log[m->log_len], LOG_TRUNC, sizeof(LOG_TRUNC));
	m->log_len += sizeof(LOG_TRUNC) - 1;
	m->log_full = true;
}

static __printf(2, 3) void log_append(struct rkt_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vappend(m, fmt, ap);
	va_end(ap);
}

/* One log line; @fmt has no trailing newline. */
static __printf(2, 3) void model_log(struct rkt_model *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vappend(m, fmt, ap);
	va_end(ap);
	log_append(m, "\n");
}

/* Record a refusal: the task will end with RKT_MODEL_REFUSED. */
static __printf(2, 3) void refuse(struct rkt_model *m, const char *fmt, ...)
{
	va_list ap;

	m->refused = true;
	log_append(m, "refused: ");
	va_start(ap, fmt);
	log_vappend(m, fmt, ap);
	va_end(ap);
	log_append(m, "\n");
}

/*
 * Refuse because of the register at @off: the line starts with its name and
 * current value, "refused: NAME=0xVALUE: ", then the formatted reason.
 */
static __printf(3, 4) void refuse_reg(struct rkt_model *m, u32 off, const char *fmt, ...)
{
	const char *name = rkt_model_reg_name(off);
	va_list ap;

	m->refused = true;
	if (name)
		log_append(m, "refused: %s=0x%08x: ", name, REG(m, off));
	else
		log_append(m, "refused: REG_0x%08x=0x%08x: ", off, REG(m, off));
	va_start(ap, fmt);
	log_vappend(m, fmt, ap);
	va_end(ap);
	log_append(m, "\n");
}

/* Refuse unless the register holds exactly @want. */
static bool expect(struct rkt_model *m, u32 off, u32 want, const char *what)
{
	if (REG(m, off) == want)
		return true;
	refuse_reg(m, off, "expected 0x%08x (%s)", want, what);
	return false;
}

const char *rkt_model_log(const struct rkt_model *m)
{
	return m->log;
}

void rkt_model_log_clear(struct rkt_model *m)
{
	m->log_len = 0;
	m->log_full = false;
	m->log[0] = '\0';
}

/* ---------------------------------------------------------------------- */
/* Memory                                                                   */

/* The NPU addresses 4 GiB; an access crossing the top would wrap on the bus. */
#define NPU_ADDR_LIMIT		BIT_ULL(32)

static int dma_read(struct rkt_model *m, u64 addr, void *dst, u32 len, const char *what)
{
	m->stats.reads++;
	m->stats.bytes_read += len;
	if (addr + len > NPU_ADDR_LIMIT || m->ops->read(m->ctx, addr, dst, len)) {
		REG(m, REG_PC_INTERRUPT_RAW_STATUS) |= PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR;
		m->errors |= RKT_MODEL_ERR_DMA_READ;
		model_log(m, "dma read fault: %s at 0x%016llx, %u bytes", what, addr, len);
		return -EFAULT;
	}
	return 0;
}

static int dma_write(struct rkt_model *m, u64 addr, const void *src, u32 len, const char *what)
{
	m->stats.writes++;
	m->stats.bytes_written += len;
	if (addr + len > NPU_ADDR_LIMIT || m->ops->write(m->ctx, addr, src, len)) {
		REG(m, REG_PC_INTERRUPT_RAW_STATUS) |= PC_INTERRUPT_RAW_STATUS_DMA_WRITE_ERROR;
		m->errors |= RKT_MODEL_ERR_DMA_WRITE;
		model_log(m, "dma write fault: %s at 0x%016llx, %u bytes", what, addr, len);
		return -EFAULT;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Init, reset, MMIO                                                        */

void rkt_model_reset(struct rkt_model *m)
{
	memset(m->regs, 0, sizeof(m->regs));
	memset(m->cbuf, 0, sizeof(m->cbuf));
	m->kick_pending = false;
	m->wedged = false;
	m->refused = false;
	m->last = RKT_MODEL_IDLE;
	m->errors = 0;
	m->task_rdma_written = false;
	m->task_rdma_pointer_written = false;
	m->chain_base = 0;
	m->chain_amount = 0;
	m->op_enable = 0;
	m->wres_valid = false;
	m->wchunk_first = 0;
	m->wchunk_end = 0;
}

void rkt_model_init(struct rkt_model *m, const struct rkt_model_mem_ops *ops, void *ctx)
{
	memset(&m->stats, 0, sizeof(m->stats));
	m->ops = ops;
	m->ctx = ctx;
	rkt_model_log_clear(m);
	rkt_model_reset(m);
}

/* Offsets that have a register file: PC, CNA, CORE, DPU, DPU_RDMA, PPU, PPU_RDMA. */
static bool mmio_modelled(u32 off)
{
	return !(off & 3) && off < BLK_END && (off & ~BLK_MASK) != BLK_HOLE;
}

void rkt_model_reg_write(struct rkt_model *m, u32 offset, u32 value)
{
	if (!mmio_modelled(offset)) {
		m->errors |= RKT_MODEL_ERR_MMIO;
		model_log(m, "mmio: write of 0x%08x to offset 0x%08x ignored: not modelled",
			  value, offset);
		return;
	}

	switch (offset) {
	case REG_PC_INTERRUPT_CLEAR:
		REG(m, REG_PC_INTERRUPT_RAW_STATUS) &=
			~(value & ~PC_INTERRUPT_CLEAR_RESERVED_0__MASK);
		return;
	case REG_PC_INTERRUPT_STATUS:
	case REG_PC_INTERRUPT_RAW_STATUS:
	case REG_PC_TASK_STATUS:
		m->errors |= RKT_MODEL_ERR_MMIO;
		model_log(m, "mmio: write of 0x%08x to read-only %s ignored", value,
			  rkt_model_reg_name(offset));
		return;
	case REG_PC_OPERATION_ENABLE:
		REG(m, offset) = value;
		if (value & PC_OPERATION_ENABLE_OP_EN__MASK) {
			if (m->kick_pending)
				model_log(m, "mmio: kick while a kick is pending: one task runs");
			m->kick_pending = true;
		}
		return;
	default:
		REG(m, offset) = value;
		return;
	}
}

u32 rkt_model_reg_read(struct rkt_model *m, u32 offset)
{
	if (!mmio_modelled(offset)) {
		m->errors |= RKT_MODEL_ERR_MMIO;
		model_log(m, "mmio: read of offset 0x%08x returns 0: not modelled", offset);
		return 0;
	}

	switch (offset) {
	case REG_PC_INTERRUPT_STATUS:
		return REG(m, REG_PC_INTERRUPT_RAW_STATUS) & REG(m, REG_PC_INTERRUPT_MASK) &
		       ~PC_INTERRUPT_STATUS_RESERVED_0__MASK;
	case REG_PC_INTERRUPT_CLEAR:
		return 0;
	default:
		return REG(m, offset);
	}
}

bool rkt_model_kick_pending(const struct rkt_model *m)
{
	return m->kick_pending;
}

bool rkt_model_irq_pending(const struct rkt_model *m)
{
	return (REG(m, REG_PC_INTERRUPT_RAW_STATUS) & REG(m, REG_PC_INTERRUPT_MASK) &
		~PC_INTERRUPT_STATUS_RESERVED_0__MASK) != 0;
}

u32 rkt_model_errors(const struct rkt_model *m)
{
	return m->errors;
}

enum rkt_model_outcome rkt_model_last_outcome(const struct rkt_model *m)
{
	return m->last;
}

const struct rkt_model_stats *rkt_model_stats(const struct rkt_model *m)
{
	return &m->stats;
}

/* ---------------------------------------------------------------------- */
/* Register command list                                                    */

/* Block window written by a body entry's target, or -1 for other targets. */
static s32 target_block(u32 target)
{
	switch (target) {
	case TGT_CNA:
		return BLK_CNA;
	case TGT_CORE:
		return BLK_CORE;
	case TGT_DPU:
		return BLK_DPU;
	case TGT_DPU_RDMA:
		return BLK_DPU_RDMA;
	case TGT_PPU:
		return BLK_PPU;
	case TGT_PPU_RDMA:
		return BLK_PPU_RDMA;
	default:
		return -1;
	}
}

enum tail_state {
	ST_BODY,	/* body entries, or the first tail entry */
	ST_AMOUNTS,	/* expect PC_REGISTER_AMOUNTS */
	ST_MARKER,	/* expect the 0x0041 marker */
	ST_ENABLE,	/* expect the 0x0081 PC_OPERATION_ENABLE entry */
	ST_END,		/* tail seen */
};

static void refuse_entry(struct rkt_model *m, u32 idx, u64 e, const char *why)
{
	refuse(m, "regcmd entry %u = 0x%016llx (target 0x%04x, offset 0x%04x, value 0x%08x): %s",
	       idx, e, (u32)FIELD_GET(RC_TARGET, e), (u32)FIELD_GET(RC_OFFSET, e),
	       (u32)FIELD_GET(RC_VALUE, e), why);
}

/* Apply one entry. Returns false when the task is refused. */
static bool apply_entry(struct rkt_model *m, u32 idx, u64 e, enum tail_state *st)
{
	u32 target = FIELD_GET(RC_TARGET, e);
	u32 value = FIELD_GET(RC_VALUE, e);
	u32 off = FIELD_GET(RC_OFFSET, e);
	s32 blk;
	size_t i;

	switch (*st) {
	case ST_BODY:
		blk = target_block(target);
		if (blk >= 0) {
			if ((off & ~BLK_MASK) != (u32)blk) {
				refuse_entry(m, idx, e, "offset outside the target's block");
				return false;
			}
			if (off & 3) {
				refuse_entry(m, idx, e, "offset not 4-byte aligned");
				return false;
			}
			REG(m, off) = value;
			if (blk == BLK_DPU_RDMA) {
				m->task_rdma_written = true;
				if (off == REG_DPU_RDMA_RDMA_S_POINTER)
					m->task_rdma_pointer_written = true;
			}
			return true;
		}
		if (e == 0) {
			/* PC_BASE_ADDRESS "or 0": an all-zero first tail entry */
			m->chain_base = 0;
			*st = ST_AMOUNTS;
			return true;
		}
		if (target == TGT_PC && off == REG_PC_BASE_ADDRESS) {
			m->chain_base = value;
			*st = ST_AMOUNTS;
			return true;
		}
		if (target == TGT_PC)
			refuse_entry(m, idx, e, "PC entries are allowed only as the task tail");
		else if (target == TGT_MARKER || target == TGT_OP_ENABLE)
			refuse_entry(m, idx, e,
				     "tail must be PC_BASE_ADDRESS, PC_REGISTER_AMOUNTS, marker, enable");
		else
			refuse_entry(m, idx, e, "unknown target");
		return false;

	case ST_AMOUNTS:
		if (target != TGT_PC || off != REG_PC_REGISTER_AMOUNTS) {
			refuse_entry(m, idx, e,
				     "tail: expected PC_REGISTER_AMOUNTS (target 0x0101)");
			return false;
		}
		m->chain_amount = value;
		*st = ST_MARKER;
		return true;

	case ST_MARKER:
		if (e != MARKER_ENTRY) {
			refuse_entry(m, idx, e, "tail: expected the 0x0041 marker with value 0");
			return false;
		}
		*st = ST_ENABLE;
		return true;

	case ST_ENABLE:
		if (target != TGT_OP_ENABLE || off != REG_PC_OPERATION_ENABLE) {
			refuse_entry(m, idx, e,
				     "tail: expected target 0x0081 PC_OPERATION_ENABLE after the marker");
			return false;
		}
		for (i = 0; i < ARRAY_SIZE(known_op_enable); i++)
			if (value == known_op_enable[i])
				break;
		if (i == ARRAY_SIZE(known_op_enable)) {
			refuse_entry(m, idx, e,
				     "enable value not one of 0x0d, 0x1d, 0x7f (bit meanings undocumented)");
			return false;
		}
		m->op_enable = value;
		*st = ST_END;
		return true;

	case ST_END:
		break;
	}
	return false;
}

/*
 * Fetch and apply the list at PC_BASE_ADDRESS. Returns RKT_MODEL_DONE when the
 * whole list was applied and ends with a valid tail.
 */
static enum rkt_model_outcome fetch_regcmd(struct rkt_model *m)
{
	u32 base = REG(m, REG_PC_BASE_ADDRESS);
	u32 amount = FIELD_GET(PC_REGISTER_AMOUNTS_PC_DATA_AMOUNT__MASK,
			       REG(m, REG_PC_REGISTER_AMOUNTS));
	u32 total = (amount + 1) * 2;
	enum tail_state st = ST_BODY;
	u32 i, j, n, after = 0, enable_idx = 0;

	for (i = 0; i < total; i += n) {
		n = min(total - i, RKT_MODEL_CMD_CHUNK);
		if (dma_read(m, (u64)base + (u64)i * 8, m->cmd, n * 8, "regcmd (PC_BASE_ADDRESS)"))
			return RKT_MODEL_DMA_FAULT;
		for (j = 0; j < n; j++) {
			if (st == ST_END) {
				after++;
				continue;
			}
			if (!apply_entry(m, i + j, get_unaligned_le64(&m->cmd[j * 8]), &st))
				return RKT_MODEL_REFUSED;
			if (st == ST_END)
				enable_idx = i + j;
		}
	}

	if (st != ST_END) {
		refuse_reg(m, REG_PC_REGISTER_AMOUNTS,
			   "%u entries fetched, no complete tail (PC_BASE_ADDRESS, PC_REGISTER_AMOUNTS, 0x0041 marker, 0x0081 enable) at the end of the list",
			   total);
		return RKT_MODEL_REFUSED;
	}
	/* (entries + 1) / 2 - 1 fetches one entry past an odd-length list */
	if (after > 1) {
		refuse_reg(m, REG_PC_REGISTER_AMOUNTS,
			   "%u entries fetched but the list ends at entry %u: amount does not match the list",
			   total, enable_idx + 1);
		return RKT_MODEL_REFUSED;
	}
	return RKT_MODEL_DONE;
}

/* ---------------------------------------------------------------------- */
/* State checks                                                             */

/*
 * Registers whose value the model checks field by field. Every other
 * register of CNA, CORE, DPU, DPU_RDMA, PPU and PPU_RDMA must be zero, except
 * CNA_S_POINTER and CORE_S_POINTER, which the driver writes over MMIO.
 */
static const u32 checked_regs[] = {
	REG_CNA_S_POINTER, REG_CORE_S_POINTER,
	REG_CNA_CONV_CON1, REG_CNA_CONV_CON2, REG_CNA_CONV_CON3,
	REG_CNA_DATA_SIZE0, REG_CNA_DATA_SIZE1, REG_CNA_DATA_SIZE2, REG_CNA_DATA_SIZE3,
	REG_CNA_WEIGHT_SIZE0, REG_CNA_WEIGHT_SIZE1, REG_CNA_WEIGHT_SIZE2,
	REG_CNA_CBUF_CON0, REG_CNA_CBUF_CON1,
	REG_CNA_CVT_CON0, REG_CNA_CVT_CON1, REG_CNA_CVT_CON2, REG_CNA_CVT_CON3,
	REG_CNA_CVT_CON4,
	REG_CNA_FEATURE_DATA_ADDR, REG_CNA_DCOMP_ADDR0,
	REG_CNA_DMA_CON0, REG_CNA_DMA_CON1, REG_CNA_DMA_CON2,
	REG_CNA_FC_DATA_SIZE0, REG_CNA_FC_DATA_SIZE1,
	REG_CORE_MISC_CFG, REG_CORE_DATAOUT_SIZE_0, REG_CORE_DATAOUT_SIZE_1,
	REG_DPU_S_POINTER, REG_DPU_FEATURE_MODE_CFG, REG_DPU_DATA_FORMAT,
	REG_DPU_DST_BASE_ADDR, REG_DPU_DST_SURF_STRIDE,
	REG_DPU_DATA_CUBE_HEIGHT, REG_DPU_DATA_CUBE_CHANNEL,
	REG_DPU_BS_CFG, REG_DPU_BN_CFG, REG_DPU_EW_CFG, REG_DPU_EW_CVT_SCALE_VALUE,
	REG_DPU_BS_OW_CFG, REG_DPU_WDMA_SIZE_0, REG_DPU_WDMA_SIZE_1,
	REG_DPU_OUT_CVT_SCALE, REG_DPU_SURFACE_ADD,
	REG_DPU_RDMA_RDMA_S_POINTER, REG_DPU_RDMA_RDMA_ERDMA_CFG,
	REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
};

/* Whether @off is one of the @n registers of @list. */
static bool in_list(const u32 *list, size_t n, u32 off)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == off)
			return true;
	return false;
}

/* No register offset: refuse_unlisted() skips none. */
#define NO_REG	(~0u)

/*
 * Refuse every register of the @nblocks @blocks that holds a value other
 * than its reset value 0 and that the @nlist registers of @list (those a
 * task kind reads and checks) do not name; @skip (or NO_REG) is never
 * refused. @what names the task kind in the refusal.
 */
static void refuse_unlisted(struct rkt_model *m, const u32 *blocks, size_t nblocks,
			    const u32 *list, size_t nlist, u32 skip, const char *what)
{
	size_t b;
	u32 w, off;

	for (b = 0; b < nblocks; b++) {
		for (w = 0; w < RKT_MODEL_BLOCK_WORDS; w++) {
			off = blocks[b] + w * 4;
			if (REG(m, off) && off != skip && !in_list(list, nlist, off))
				refuse_reg(m, off, "%sthe model knows only 0 for this register",
					   what);
		}
	}
}

/* Every register the model does not read must hold zero (reset value). */
static void check_rest_zero(struct rkt_model *m)
{
	static const u32 blocks[] = {
		BLK_CNA, BLK_CORE, BLK_DPU, BLK_DPU_RDMA, BLK_PPU, BLK_PPU_RDMA,
	};

	refuse_unlisted(m, blocks, ARRAY_SIZE(blocks), checked_regs, ARRAY_SIZE(checked_regs),
			NO_REG, "");
}

static bool check_pc(struct rkt_model *m)
{
	u32 v;

	v = REG(m, REG_PC_BASE_ADDRESS);
	if (v & ~PC_BASE_ADDRESS_PC_SOURCE_ADDR__MASK)
		refuse_reg(m, REG_PC_BASE_ADDRESS,
			   "regcmd address must be 16-byte aligned, PC_SEL 0");
	v = REG(m, REG_PC_REGISTER_AMOUNTS);
	if (v & PC_REGISTER_AMOUNTS_RESERVED_0__MASK)
		refuse_reg(m, REG_PC_REGISTER_AMOUNTS, "reserved bits set");
	v = REG(m, REG_PC_TASK_CON);
	if (FIELD_GET(PC_TASK_CON_TASK_NUMBER__MASK, v) != 1)
		refuse_reg(m, REG_PC_TASK_CON,
			   "TASK_NUMBER %u, the model knows only 1 (chained tasks undocumented)",
			   FIELD_GET(PC_TASK_CON_TASK_NUMBER__MASK, v));
	if (REG(m, REG_PC_TASK_DMA_BASE_ADDR))
		refuse_reg(m, REG_PC_TASK_DMA_BASE_ADDR, "the model knows only 0");
	return !m->refused;
}

/* Precisions and the shape. Returns false if nothing further can be checked. */
static bool check_shape(struct rkt_model *m, struct mm_cfg *c)
{
	u32 con1 = REG(m, REG_CNA_CONV_CON1);
	u32 fmt = REG(m, REG_DPU_DATA_FORMAT);
	u32 in = FIELD_GET(CNA_CONV_CON1_IN_PRECISION__MASK, con1);
	u32 proc = FIELD_GET(CNA_CONV_CON1_PROC_PRECISION__MASK, con1);
	u32 out = FIELD_GET(DPU_DATA_FORMAT_OUT_PRECISION__MASK, fmt);
	u32 s, max_k;
	bool ok = true, one_row;

	if (in != PREC_INT8 && in != PREC_FP16) {
		refuse_reg(m, REG_CNA_CONV_CON1,
			   "IN_PRECISION %u (%s) not modelled (INT8 0, FP16 2)", in, prec_name(in));
		return false;
	}
	if (proc != in) {
		refuse_reg(m, REG_CNA_CONV_CON1,
			   "PROC_PRECISION %u (%s) differs from IN_PRECISION %u", proc,
			   prec_name(proc), in);
		return false;
	}
	c->prec = in;
	if (in == PREC_INT8 && out != PREC_INT32) {
		refuse_reg(m, REG_DPU_DATA_FORMAT,
			   "OUT_PRECISION %u (%s): INT8 input is modelled only to INT32 (4)", out,
			   prec_name(out));
		return false;
	}
	if (in == PREC_FP16 && out != PREC_FP32 && out != PREC_FP16) {
		refuse_reg(m, REG_DPU_DATA_FORMAT,
			   "OUT_PRECISION %u (%s): FP16 input is modelled only to FP32 (5) or FP16 (2)",
			   out, prec_name(out));
		return false;
	}
	c->out = out;
	c->bpe = in == PREC_INT8 ? 1 : 2;
	c->obpe = out == PREC_FP16 ? 2 : 4;
	c->c2in = ATOM / c->bpe;
	c->c2out = ATOM / c->obpe;
	c->group = in == PREC_INT8 ? 32 : 16;

	c->m = FIELD_GET(CNA_DATA_SIZE0_DATAIN_HEIGHT__MASK, REG(m, REG_CNA_DATA_SIZE0));
	c->k = FIELD_GET(CNA_DATA_SIZE1_DATAIN_CHANNEL__MASK, REG(m, REG_CNA_DATA_SIZE1));
	c->n = FIELD_GET(CNA_WEIGHT_SIZE2_WEIGHT_KERNELS__MASK, REG(m, REG_CNA_WEIGHT_SIZE2));

	if (c->m == 0 || (c->m % 4 && c->m != 1)) {
		refuse_reg(m, REG_CNA_DATA_SIZE0,
			   "DATAIN_HEIGHT (M) %u: M %% 4 == 0 or M == 1 required", c->m);
		ok = false;
	} else if (c->m > RKT_MODEL_MAX_M) {
		refuse_reg(m, REG_CNA_DATA_SIZE0,
			   "DATAIN_HEIGHT (M) %u > %u: FEATURE_GRAINS (10 bits) cannot hold M + 1",
			   c->m, (u32)RKT_MODEL_MAX_M);
		ok = false;
	}
	max_k = CBUF_BANK / c->bpe;
	if (c->k == 0 || c->k % 32 || c->k > max_k) {
		refuse_reg(m, REG_CNA_DATA_SIZE1,
			   "DATAIN_CHANNEL (K) %u: K %% 32 == 0 and one kernel (K * %u bytes) within one %u-byte bank required",
			   c->k, c->bpe, (u32)CBUF_BANK);
		ok = false;
	}
	if (c->n == 0 || c->n % c->group || c->n > 8192) {
		refuse_reg(m, REG_CNA_WEIGHT_SIZE2,
			   "WEIGHT_KERNELS (N) %u: N %% %u == 0 and N <= 8192 required for %s",
			   c->n, c->group, prec_name(in));
		ok = false;
	}

	/* full M from the CNA surface stride: W * (H - 4), -3 for M == 1 */
	s = REG(m, REG_CNA_DMA_CON2);
	if (s == CNA_DMA_CON2_SURF_STRIDE((u32)-3)) {
		c->m_full = 1;
	} else {
		if (s & CNA_DMA_CON2_RESERVED_0__MASK ||
		    s > CNA_DMA_CON2_SURF_STRIDE__MASK - 4 || (s + 4) % 4) {
			refuse_reg(m, REG_CNA_DMA_CON2,
				   "SURF_STRIDE must be M - 4 for the full M (M %% 4 == 0), or -3 for M == 1");
			return false;
		}
		c->m_full = s + 4;
	}
	/* a 1-row task is documented only as the whole of a 1-row matrix */
	one_row = c->m == 1 || c->m_full == 1;
	if (ok && (c->m_full < c->m || (one_row && c->m_full != c->m))) {
		refuse_reg(m, REG_CNA_DMA_CON2,
			   "full M %u and task M %u: need M <= full M, M == 1 only with full M 1",
			   c->m_full, c->m);
		ok = false;
	}
	return ok;
}

static void check_cna(struct rkt_model *m, struct mm_cfg *c)
{
	u32 v, d, w;

	expect(m, REG_CNA_CONV_CON1, CNA_CONV_CON1_PROC_PRECISION(c->prec) |
	       CNA_CONV_CON1_IN_PRECISION(c->prec), "precisions only, direct convolution");
	expect(m, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(c->m + 1),
	       "FEATURE_GRAINS = M + 1, KERNEL_GROUP 0");
	expect(m, REG_CNA_CONV_CON3, CNA_CONV_CON3_CONV_X_STRIDE(1) |
	       CNA_CONV_CON3_CONV_Y_STRIDE(1), "x and y stride 1");
	expect(m, REG_CNA_DATA_SIZE0, CNA_DATA_SIZE0_DATAIN_WIDTH(1) |
	       CNA_DATA_SIZE0_DATAIN_HEIGHT(c->m), "width 1, height M");
	expect(m, REG_CNA_DATA_SIZE1, CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(c->k - 1) |
	       CNA_DATA_SIZE1_DATAIN_CHANNEL(c->k), "channel-real K - 1, channel K");
	expect(m, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(1), "out width 1");
	expect(m, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(c->m), "out atomics M");
	expect(m, REG_CNA_WEIGHT_SIZE0, c->k * c->n * c->bpe, "K * N * bpe bytes");
	expect(m, REG_CNA_WEIGHT_SIZE1, CNA_WEIGHT_SIZE1_WEIGHT_BYTES_PER_KERNEL(c->k * c->bpe),
	       "K * bpe bytes per kernel");
	expect(m, REG_CNA_WEIGHT_SIZE2, CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(1) |
	       CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(1) | CNA_WEIGHT_SIZE2_WEIGHT_KERNELS(c->n),
	       "width 1, height 1, N kernels");

	v = REG(m, REG_CNA_CBUF_CON0);
	d = FIELD_GET(CNA_CBUF_CON0_DATA_BANK__MASK, v);
	w = FIELD_GET(CNA_CBUF_CON0_WEIGHT_BANK__MASK, v);
	c->data_bank = d;
	c->weight_bank = w;
	c->reuse = FIELD_GET(CNA_CBUF_CON0_WEIGHT_REUSE__MASK, v);
	if (v & (CNA_CBUF_CON0_RESERVED_0__MASK | CNA_CBUF_CON0_RESERVED_1__MASK |
		 CNA_CBUF_CON0_FC_DATA_BANK__MASK | CNA_CBUF_CON0_DATA_REUSE__MASK))
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "only DATA_BANK, WEIGHT_BANK and WEIGHT_REUSE are modelled");
	if (d < 1 || d > RKT_MODEL_CBUF_BANKS - 1 || d + w != RKT_MODEL_CBUF_BANKS)
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "DATA_BANK %u + WEIGHT_BANK %u: need 1..11 data banks, sum 12", d, w);
	else if (c->m * c->k * c->bpe > d * CBUF_BANK)
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "A tile M * K * bpe = %u bytes does not fit DATA_BANK %u banks",
			   c->m * c->k * c->bpe, d);

	expect(m, REG_CNA_CBUF_CON1, CNA_CBUF_CON1_DATA_ENTRIES(DIV_ROUND_UP(c->k * c->bpe, 64)),
	       "DATA_ENTRIES = ceil(K * bpe / 64)");
	expect(m, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	       CNA_CVT_CON0_CVT_BYPASS(1), "signed data, converter bypassed");
	expect(m, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1), "scale 1, offset 0");

	c->a = REG(m, REG_CNA_FEATURE_DATA_ADDR);
	if (c->a % ATOM)
		refuse_reg(m, REG_CNA_FEATURE_DATA_ADDR,
			   "A address not 16-byte aligned (alignment undocumented)");
	c->b = REG(m, REG_CNA_DCOMP_ADDR0);
	if (c->b % ATOM)
		refuse_reg(m, REG_CNA_DCOMP_ADDR0,
			   "B address not 16-byte aligned (alignment undocumented)");

	expect(m, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
	       CNA_DMA_CON0_DATA_BURST_LEN(15), "burst 15/15");
	expect(m, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(4), "line stride 4");
	expect(m, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(1) |
	       CNA_FC_DATA_SIZE0_DMA_HEIGHT(c->m), "width 1, height M");
	expect(m, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(c->k), "channel K");
}

static void check_core(struct rkt_model *m, const struct mm_cfg *c)
{
	u32 misc = c->prec == PREC_FP16 ?
		CORE_MISC_CFG_PROC_PRECISION(PREC_FP16) | CORE_MISC_CFG_QD_EN(1) : 0;

	expect(m, REG_CORE_MISC_CFG, misc, "INT8 0; FP16 PROC_PRECISION 2, QD_EN 1");
	expect(m, REG_CORE_DATAOUT_SIZE_0, CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(c->m - 1) |
	       CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH(0), "height M - 1, width 1 - 1");
	expect(m, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(c->n - 1),
	       "channel N - 1");
}

static void check_dpu(struct rkt_model *m, struct mm_cfg *c)
{
	u32 size_e = c->group / c->c2out - 1;	/* 7 INT32, 3 FP32, 1 FP16 */
	u32 v;

	expect(m, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1),
	       "PP_EN, EXECUTER_PP_EN, PP_MODE");
	expect(m, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	       DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2), "burst 15, output mode 2");
	expect(m, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(c->out) |
	       DPU_DATA_FORMAT_IN_PRECISION(c->prec) | DPU_DATA_FORMAT_PROC_PRECISION(c->prec),
	       "output, input and processing precision codes only");

	c->c = REG(m, REG_DPU_DST_BASE_ADDR);
	if (c->c % ATOM)
		refuse_reg(m, REG_DPU_DST_BASE_ADDR, "C address must be 16-byte aligned");
	expect(m, REG_DPU_DST_SURF_STRIDE, DPU_DST_SURF_STRIDE_DST_SURF_STRIDE(c->m_full),
	       "full M * 16 bytes, the same full M as CNA_DMA_CON2");
	expect(m, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(c->m - 1), "M - 1");
	expect(m, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(c->n - 1) |
	       DPU_DATA_CUBE_CHANNEL_CHANNEL(c->n - 1), "N - 1 in both halves");
	expect(m, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
	       DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1),
	       "BS stage bypassed: every BS bypass bit set, nothing else");
	expect(m, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	       DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1),
	       "BN stage bypassed: every BN bypass bit set, nothing else");
	expect(m, REG_DPU_EW_CFG, DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
	       DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_BYPASS(1) | DPU_EW_CFG_EW_BYPASS(1),
	       "EW stage bypassed: every EW bypass bit set, nothing else");
	v = REG(m, REG_DPU_EW_CVT_SCALE_VALUE);
	if (v && v != DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1))
		refuse_reg(m, REG_DPU_EW_CVT_SCALE_VALUE,
			   "the model knows 0 or EW_OP_CVT_SCALE 1 (EW bypassed)");

	/*
	 * OD_BYPASS 1 is what the board-tested matmul encoder sets for these
	 * outputs; what 0 does to them is not documented (Mesa's convolutions
	 * leave it 0, for requantized INT8 output only), so it is refused.
	 */
	if (REG(m, REG_DPU_BS_OW_CFG) !=
	    (DPU_BS_OW_CFG_SIZE_E_2(size_e) | DPU_BS_OW_CFG_SIZE_E_1(size_e) |
	     DPU_BS_OW_CFG_SIZE_E_0(size_e) | DPU_BS_OW_CFG_OD_BYPASS(1)))
		refuse_reg(m, REG_DPU_BS_OW_CFG,
			   "SIZE_E_0/1/2 must all be %u for %s output, OD_BYPASS 1, other fields 0",
			   size_e, prec_name(c->out));

	expect(m, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(c->n - 1), "N - 1");
	expect(m, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(c->m - 1) |
	       DPU_WDMA_SIZE_1_WIDTH_WDMA(0), "height M - 1, width 1 - 1");
	expect(m, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1) |
	       DPU_OUT_CVT_SCALE_FP32TOFP16_EN(c->out == PREC_FP16),
	       "scale 1; FP32TOFP16_EN exactly for FP16 output");
	if ((u64)c->group / c->c2out * c->m_full >
	    DPU_SURFACE_ADD_SURF_ADD__MASK >> DPU_SURFACE_ADD_SURF_ADD__SHIFT)
		refuse_reg(m, REG_DPU_SURFACE_ADD, "full M %u too large for SURF_ADD", c->m_full);
	else
		expect(m, REG_DPU_SURFACE_ADD,
		       DPU_SURFACE_ADD_SURF_ADD(c->group / c->c2out * c->m_full),
		       "(kernel group / output elements per atom) * full M, in 16-byte units");
}

static void check_dpu_rdma(struct rkt_model *m)
{
	u32 v, burst;

	if (!m->task_rdma_pointer_written)
		refuse_reg(m, REG_DPU_RDMA_RDMA_S_POINTER,
			   "DPU_RDMA programmed without RDMA_S_POINTER in this task's regcmd");
	expect(m, REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	       DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1), "PP_EN, EXECUTER_PP_EN, PP_MODE");
	expect(m, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1),
	       "ERDMA disabled, nothing else");
	v = REG(m, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG);
	burst = FIELD_GET(DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN__MASK, v);
	v &= ~DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN__MASK;
	if (v != DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1) || (burst != 0 && burst != 15))
		refuse_reg(m, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
			   "MRDMA_DISABLE must be set, BURST_LEN 0 or 15, nothing else");
}

/* WEIGHT_REUSE: the previous task left exactly these weights in these banks. */
static void check_reuse(struct rkt_model *m, const struct mm_cfg *c)
{
	if (!c->reuse)
		return;
	if (!m->wres_valid) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "WEIGHT_REUSE set but no complete weight set is resident in the CBUF (no previous completed task, weights streamed, or reset)");
		return;
	}
	if (m->wres_addr != c->b)
		refuse_reg(m, REG_CNA_DCOMP_ADDR0,
			   "WEIGHT_REUSE with another B address than the resident weights (0x%08x)",
			   m->wres_addr);
	if (m->wres_size0 != REG(m, REG_CNA_WEIGHT_SIZE0) ||
	    m->wres_size1 != REG(m, REG_CNA_WEIGHT_SIZE1) ||
	    m->wres_size2 != REG(m, REG_CNA_WEIGHT_SIZE2))
		refuse_reg(m, REG_CNA_WEIGHT_SIZE2,
			   "WEIGHT_REUSE with other weight sizes than the resident weights");
	if (m->wres_con1 != REG(m, REG_CNA_CONV_CON1))
		refuse_reg(m, REG_CNA_CONV_CON1,
			   "WEIGHT_REUSE with another precision than the resident weights");
	if (m->wres_data_bank != c->data_bank)
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "WEIGHT_REUSE with DATA_BANK %u, resident weights were loaded with %u",
			   c->data_bank, m->wres_data_bank);
}

static bool validate(struct rkt_model *m, struct mm_cfg *c)
{
	if (!check_shape(m, c))
		return false;
	check_cna(m, c);
	check_core(m, c);
	check_dpu(m, c);
	check_dpu_rdma(m);
	check_rest_zero(m);
	if (!m->refused)
		check_reuse(m, c);
	return !m->refused;
}

/* ---------------------------------------------------------------------- */
/* Arithmetic                                                               */

/*
 * An FP16 value is mant * 2^(idx - 24) with mant the 11-bit significand
 * (hidden bit included, 0 for subnormals) and idx = max(exponent field, 1) - 1
 * in 0..29. A product of two halves is mant_a * mant_b * 2^(idx_a + idx_b - 48):
 * summing it at bit idx_a + idx_b of an integer whose unit is 2^-48 is exact.
 */
#define F16_IDX_RANGE		30
#define F16_BINS		(2 * F16_IDX_RANGE - 1)
#define F16_LSB_EXP		(-48)

#define F16_SIGN		BIT(15)
#define F16_EXP			GENMASK(14, 10)
#define F16_FRAC		GENMASK(9, 0)
#define F16_HIDDEN		BIT(10)

/* Infinity or NaN: all exponent bits set. */
static bool f16_special(u16 h)
{
	return (h & F16_EXP) == F16_EXP;
}

static void f16_decode(u16 h, s16 *mant, u8 *idx)
{
	u32 e = FIELD_GET(F16_EXP, h);
	s32 v = (h & F16_FRAC) | (e ? F16_HIDDEN : 0);

	*mant = h & F16_SIGN ? -v : v;
	*idx = e ? e - 1 : 0;
}

/* Index of the most significant set bit; @v is not 0. */
static u32 msb128(u128 v)
{
	u64 hi = v >> 64;

	if (hi)
		return 63 + fls64(hi);
	return fls64((u64)v) - 1;
}

/*
 * Round mag * 2^F16_LSB_EXP (mag != 0) to a binary format with @mbits fraction
 * bits and exponent bias @bias, to nearest, ties to even. Returns the bits
 * without the sign: subnormals, and infinity on overflow.
 */
static u32 round_fixed(u128 mag, u32 mbits, s32 bias)
{
	u128 q, rem, half;
	s32 p = (s32)msb128(mag);
	s32 e = p + F16_LSB_EXP;		/* exponent of the leading bit */
	s32 emin = 1 - bias;
	u32 emax_field = (u32)(2 * bias + 1);
	bool normal = e >= emin;
	s32 shift = normal ? p - (s32)mbits : emin - (s32)mbits - F16_LSB_EXP;

	if (shift > 0) {
		q = mag >> shift;
		rem = mag - (q << shift);
		half = (u128)1 << (shift - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
	} else {
		q = mag << -shift;
	}

	if (!normal)
		return (u32)q;	/* q == 1 << mbits is the smallest normal */

	if (q >> (mbits + 1)) {
		q >>= 1;
		e++;
	}
	if ((u32)(e + bias) >= emax_field)
		return emax_field << mbits;
	return ((u32)(e + bias) << mbits) | ((u32)q & ((1u << mbits) - 1));
}

/* Exact FP16 dot product of a CBUF row with a decoded kernel, rounded once. */
static u32 dot_f16(const u8 *a, const s16 *wm, const u8 *we, u32 k, bool out_fp16)
{
	s64 bins[2][F16_BINS];
	u128 acc = 0;
	u32 i, bits, sign;
	s16 am;
	u8 ai;

	memset(bins, 0, sizeof(bins));
	/* two bin sets so that neighbouring products do not wait on each other */
	for (i = 0; i < k; i += 2) {
		f16_decode(get_unaligned_le16(&a[2 * i]), &am, &ai);
		bins[0][ai + we[i]] += (s32)am * wm[i];
		f16_decode(get_unaligned_le16(&a[2 * i + 2]), &am, &ai);
		bins[1][ai + we[i + 1]] += (s32)am * wm[i + 1];
	}
	/* each bin is below 2^14 * 2^22; the sum is below 2^95: no wrap */
	for (i = 0; i < F16_BINS; i++)
		acc += (u128)(bins[0][i] + bins[1][i]) << i;

	sign = (u32)(acc >> 127);
	if (sign)
		acc = -acc;
	if (!acc)
		return 0;	/* exact zero: +0 */
	if (out_fp16)
		bits = round_fixed(acc, 10, 15) | sign << 15;
	else
		bits = round_fixed(acc, 23, 127) | sign << 31;
	return bits;
}

static s32 dot_i8(const s8 *a, const s8 *w, u32 k)
{
	s32 acc = 0;
	u32 i;

	for (i = 0; i < k; i++)
		acc += a[i] * w[i];
	return acc;
}

/* ---------------------------------------------------------------------- */
/* Execution                                                                */

/*
 * CBUF use: data banks [0, DATA_BANK) hold the A tile, row m at m * K * bpe
 * (channels in order); weight banks [DATA_BANK, 12) hold consecutive kernels,
 * K * bpe bytes each. The arrangement inside the banks is the model's own.
 */
static enum rkt_model_outcome load_a(struct rkt_model *m, const struct mm_cfg *c)
{
	u32 row = c->k * c->bpe;
	u32 s, r, i;
	u64 addr;

	for (s = 0; s < c->k / c->c2in; s++) {
		addr = (u64)c->a + (u64)s * c->m_full * ATOM;
		if (dma_read(m, addr, m->in_buf, c->m * ATOM, "A (CNA_FEATURE_DATA_ADDR)"))
			return RKT_MODEL_DMA_FAULT;
		for (r = 0; r < c->m; r++) {
			memcpy(&m->cbuf[r * row + s * ATOM], &m->in_buf[r * ATOM], ATOM);
			if (c->prec != PREC_FP16)
				continue;
			for (i = 0; i < ATOM; i += 2) {
				if (!f16_special(get_unaligned_le16(&m->in_buf[r * ATOM + i])))
					continue;
				refuse(m,
				       "A[m=%u][k=%u] at 0x%08x is 0x%08x: infinity/NaN input, silicon behaviour undocumented",
				       r, s * c->c2in + i / 2, (u32)(addr + r * ATOM + i),
				       get_unaligned_le16(&m->in_buf[r * ATOM + i]));
				return RKT_MODEL_REFUSED;
			}
		}
	}
	return RKT_MODEL_DONE;
}

/* Load kernels [first, first + as many as fit) into the weight banks. */
static enum rkt_model_outcome load_weights(struct rkt_model *m, const struct mm_cfg *c,
					   u32 first)
{
	u32 row = c->k * c->bpe;
	u32 line = 32 * c->bpe;		/* 32 k of one kernel */
	u32 kblocks = c->k / 32;
	u8 *wbase = &m->cbuf[c->data_bank * CBUF_BANK];
	u32 end = min(first + c->weight_bank * CBUF_BANK / row, c->n);
	u32 g, kb, lo, hi, n, i;
	u64 addr;

	m->wchunk_first = first;
	m->wchunk_end = first;
	for (g = first / c->group; g * c->group < end; g++) {
		lo = max(g * c->group, first);
		hi = min((g + 1) * c->group, end);
		for (kb = 0; kb < kblocks; kb++) {
			addr = (u64)c->b +
			       ((u64)g * kblocks + kb) * c->group * line +
			       (u64)(lo - g * c->group) * line;
			m->stats.weight_bytes_read += (hi - lo) * line;
			if (dma_read(m, addr, m->in_buf, (hi - lo) * line, "B (CNA_DCOMP_ADDR0)"))
				return RKT_MODEL_DMA_FAULT;
			for (n = lo; n < hi; n++) {
				const u8 *src = &m->in_buf[(n - lo) * line];

				memcpy(&wbase[(n - first) * row + kb * line], src, line);
				if (c->prec != PREC_FP16)
					continue;
				for (i = 0; i < line; i += 2) {
					if (!f16_special(get_unaligned_le16(&src[i])))
						continue;
					refuse(m,
					       "B[k=%u][n=%u] at 0x%08x is 0x%08x: infinity/NaN input, silicon behaviour undocumented",
					       kb * 32 + i / 2, n,
					       (u32)(addr + (n - lo) * line + i),
					       get_unaligned_le16(&src[i]));
					return RKT_MODEL_REFUSED;
				}
			}
		}
	}
	m->wchunk_end = end;
	return RKT_MODEL_DONE;
}

static enum rkt_model_outcome execute(struct rkt_model *m, const struct mm_cfg *c)
{
	u32 row = c->k * c->bpe;
	const u8 *wbase = &m->cbuf[c->data_bank * CBUF_BANK];
	enum rkt_model_outcome o;
	u32 s, j, n, r, i;
	const u8 *kern;

	o = load_a(m, c);
	if (o != RKT_MODEL_DONE)
		return o;

	if (c->reuse) {
		m->wchunk_first = 0;	/* checked: all N kernels resident */
		m->wchunk_end = c->n;
	} else {
		m->wchunk_first = 0;
		m->wchunk_end = 0;
	}

	for (s = 0; s < c->n / c->c2out; s++) {
		for (j = 0; j < c->c2out; j++) {
			n = s * c->c2out + j;
			if (n >= m->wchunk_end) {
				o = load_weights(m, c, n);
				if (o != RKT_MODEL_DONE)
					return o;
			}
			kern = &wbase[(n - m->wchunk_first) * row];
			if (c->prec == PREC_INT8) {
				for (r = 0; r < c->m; r++)
					put_unaligned_le32(dot_i8((const s8 *)&m->cbuf[r * row],
								  (const s8 *)kern, c->k),
							   &m->out_buf[r * ATOM + j * 4]);
				continue;
			}
			for (i = 0; i < c->k; i++)
				f16_decode(get_unaligned_le16(&kern[2 * i]), &m->wmant[i],
					   &m->wexp[i]);
			for (r = 0; r < c->m; r++) {
				u32 bits = dot_f16(&m->cbuf[r * row], m->wmant, m->wexp, c->k,
						   c->out == PREC_FP16);

				if (c->out == PREC_FP16)
					put_unaligned_le16(bits, &m->out_buf[r * ATOM + j * 2]);
				else
					put_unaligned_le32(bits, &m->out_buf[r * ATOM + j * 4]);
			}
		}
		if (dma_write(m, (u64)c->c + (u64)s * c->m_full * ATOM, m->out_buf,
			      c->m * ATOM, "C (DPU_DST_BASE_ADDR)"))
			return RKT_MODEL_DMA_FAULT;
	}
	m->stats.macs += (u64)c->m * c->n * c->k;

	/* what WEIGHT_REUSE of a later task may use */
	m->wres_valid = m->wchunk_first == 0 && m->wchunk_end == c->n;
	m->wres_conv = false;
	m->wres_addr = c->b;
	m->wres_size0 = REG(m, REG_CNA_WEIGHT_SIZE0);
	m->wres_size1 = REG(m, REG_CNA_WEIGHT_SIZE1);
	m->wres_size2 = REG(m, REG_CNA_WEIGHT_SIZE2);
	m->wres_con1 = REG(m, REG_CNA_CONV_CON1);
	m->wres_data_bank = c->data_bank;
	return RKT_MODEL_DONE;
}

/* ---------------------------------------------------------------------- */
/* Quantized convolution as Mesa's Rocket driver programs it                */

/*
 * An INT8 convolution with INT8 output: CNA (feature cube, weights, padding,
 * strides, depthwise), CORE, then in the DPU the BS stage (per-channel bias
 * from BRDMA plus the weight offset BS_OW_OP), optionally the EW stage (a
 * second INT8 cube converted and added: Mesa's fused ADD), then the output
 * converter (scale, shift, offset) and saturation to INT8. Every register and
 * layout rule here, with its public source, is in
 * Documentation/accel/rocket/sim.rst, "Quantized convolution (Mesa)". What
 * Mesa never programs is refused.
 */

#define CONV_MAX_KERNEL		3	/* 1x1 and 3x3: what Mesa ran */
#define CONV_MAX_STRIDE		2
#define CONV_KGROUP		32	/* kernels per weight group (WEIGHT_ATOMIC_SIZE) */
#define CONV_CBLOCK		32	/* channels per weight block, 64 depthwise */
#define CONV_W_NONE		0xffffffffu	/* no weight group loaded */
#define CONV_W_ALL		0xfffffffeu	/* every kernel resident */

struct conv_cfg {
	bool dw;		/* depthwise: CONV_MODE 3 */
	bool ew;		/* element-wise add stage on */
	bool reuse;
	u32 w, h, c;		/* input cube of this task: DATAIN_WIDTH/HEIGHT/CHANNEL */
	u32 kw, kh, kernels;	/* WEIGHT_WIDTH/HEIGHT/KERNELS */
	u32 sx, sy;
	u32 pl, pt;
	u32 ow, oh;		/* output width, height */
	u32 oc;			/* output channels written: ORIG_CHANNEL + 1 */
	u32 line;		/* input line, bytes */
	u32 surf;		/* input surface, bytes */
	u32 dst_surf;		/* output surface, bytes */
	s8 pad;			/* CNA_PAD_CON1 low byte */
	s32 ow_op;		/* DPU_BS_OW_OP, sign-extended 16 bits */
	u32 scale, shift;	/* DPU_OUT_CVT_SCALE/SHIFT */
	s32 offset;		/* DPU_OUT_CVT_OFFSET */
	u32 ew_scale, ew_shift;
	s32 ew_offset;
	u32 a, b, c_addr, bias, ew_src;
	u32 data_bank, weight_bank;
	u32 kbytes;		/* bytes of one kernel: kh * kw * c (dw: all weights) */
	u32 wbytes;		/* WEIGHT_SIZE0 */
	bool resident;		/* all weights fit the weight banks */
};

/*
 * The task is a Mesa-style convolution when the DPU writes INT8 from INT8
 * input: the matmul path writes INT32, FP32 or FP16.
 */
static bool is_conv_task(struct rkt_model *m)
{
	u32 con1 = REG(m, REG_CNA_CONV_CON1);

	return REG(m, REG_DPU_DATA_FORMAT) == 0 &&
	       FIELD_GET(CNA_CONV_CON1_IN_PRECISION__MASK, con1) == PREC_INT8 &&
	       FIELD_GET(CNA_CONV_CON1_PROC_PRECISION__MASK, con1) == PREC_INT8;
}

static const u32 conv_checked_regs[] = {
	REG_CNA_S_POINTER, REG_CORE_S_POINTER,
	REG_CNA_CONV_CON1, REG_CNA_CONV_CON2, REG_CNA_CONV_CON3,
	REG_CNA_DATA_SIZE0, REG_CNA_DATA_SIZE1, REG_CNA_DATA_SIZE2, REG_CNA_DATA_SIZE3,
	REG_CNA_WEIGHT_SIZE0, REG_CNA_WEIGHT_SIZE1, REG_CNA_WEIGHT_SIZE2,
	REG_CNA_CBUF_CON0, REG_CNA_CBUF_CON1,
	REG_CNA_CVT_CON0, REG_CNA_CVT_CON1, REG_CNA_CVT_CON2, REG_CNA_CVT_CON3,
	REG_CNA_CVT_CON4, REG_CNA_PAD_CON0, REG_CNA_PAD_CON1,
	REG_CNA_FEATURE_DATA_ADDR, REG_CNA_DCOMP_ADDR0,
	REG_CNA_DMA_CON0, REG_CNA_DMA_CON1, REG_CNA_DMA_CON2,
	REG_CNA_FC_DATA_SIZE0, REG_CNA_FC_DATA_SIZE1,
	REG_CORE_MISC_CFG, REG_CORE_DATAOUT_SIZE_0, REG_CORE_DATAOUT_SIZE_1,
	REG_DPU_S_POINTER, REG_DPU_FEATURE_MODE_CFG,
	REG_DPU_DST_BASE_ADDR, REG_DPU_DST_SURF_STRIDE,
	REG_DPU_DATA_CUBE_WIDTH, REG_DPU_DATA_CUBE_HEIGHT, REG_DPU_DATA_CUBE_CHANNEL,
	REG_DPU_BS_CFG, REG_DPU_BS_OW_CFG, REG_DPU_BS_OW_OP,
	REG_DPU_WDMA_SIZE_0, REG_DPU_WDMA_SIZE_1, REG_DPU_BN_CFG,
	REG_DPU_EW_CFG, REG_DPU_EW_CVT_OFFSET_VALUE, REG_DPU_EW_CVT_SCALE_VALUE,
	REG_DPU_OUT_CVT_OFFSET, REG_DPU_OUT_CVT_SCALE, REG_DPU_OUT_CVT_SHIFT,
	REG_DPU_SURFACE_ADD,
	REG_DPU_RDMA_RDMA_S_POINTER, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH,
	REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, REG_DPU_RDMA_RDMA_BRDMA_CFG,
	REG_DPU_RDMA_RDMA_BS_BASE_ADDR, REG_DPU_RDMA_RDMA_ERDMA_CFG,
	REG_DPU_RDMA_RDMA_EW_BASE_ADDR, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, REG_DPU_RDMA_RDMA_SURF_NOTCH,
	REG_DPU_RDMA_RDMA_WEIGHT, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH,
};

static void conv_check_rest_zero(struct rkt_model *m)
{
	static const u32 blocks[] = {
		BLK_CNA, BLK_CORE, BLK_DPU, BLK_DPU_RDMA, BLK_PPU, BLK_PPU_RDMA,
	};

	refuse_unlisted(m, blocks, ARRAY_SIZE(blocks), conv_checked_regs,
			ARRAY_SIZE(conv_checked_regs), NO_REG,
			"INT8 convolution: Mesa programs 0 here, ");
}

/* Shape, strides, padding, precision: the CNA and CORE side. */
static bool conv_check_cna(struct rkt_model *m, struct conv_cfg *c)
{
	u32 con1 = REG(m, REG_CNA_CONV_CON1);
	u32 v, mode, ls, ss, cblock, creal;

	mode = FIELD_GET(CNA_CONV_CON1_CONV_MODE__MASK, con1);
	if ((con1 & ~CNA_CONV_CON1_CONV_MODE__MASK) || (mode != 0 && mode != 3)) {
		refuse_reg(m, REG_CNA_CONV_CON1,
			   "INT8 convolution: CONV_MODE 0 (direct) or 3 (depthwise), every other field 0 (INT8)");
		return false;
	}
	c->dw = mode == 3;

	v = REG(m, REG_CNA_DATA_SIZE0);
	c->w = FIELD_GET(CNA_DATA_SIZE0_DATAIN_WIDTH__MASK, v);
	c->h = FIELD_GET(CNA_DATA_SIZE0_DATAIN_HEIGHT__MASK, v);
	v = REG(m, REG_CNA_DATA_SIZE1);
	c->c = FIELD_GET(CNA_DATA_SIZE1_DATAIN_CHANNEL__MASK, v);
	creal = FIELD_GET(CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL__MASK, v) + 1;
	v = REG(m, REG_CNA_WEIGHT_SIZE2);
	c->kw = FIELD_GET(CNA_WEIGHT_SIZE2_WEIGHT_WIDTH__MASK, v);
	c->kh = FIELD_GET(CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT__MASK, v);
	c->kernels = FIELD_GET(CNA_WEIGHT_SIZE2_WEIGHT_KERNELS__MASK, v);
	v = REG(m, REG_CNA_CONV_CON3);
	c->sx = FIELD_GET(CNA_CONV_CON3_CONV_X_STRIDE__MASK, v);
	c->sy = FIELD_GET(CNA_CONV_CON3_CONV_Y_STRIDE__MASK, v);
	v = REG(m, REG_CNA_PAD_CON0);
	c->pl = FIELD_GET(CNA_PAD_CON0_PAD_LEFT__MASK, v);
	c->pt = FIELD_GET(CNA_PAD_CON0_PAD_TOP__MASK, v);
	v = REG(m, REG_CORE_DATAOUT_SIZE_0);
	c->ow = FIELD_GET(CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH__MASK, v) + 1;
	c->oh = FIELD_GET(CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT__MASK, v) + 1;

	if (!c->w || !c->h || !c->c || c->c % 16 || c->w * ATOM > RKT_MODEL_LINE_BUF) {
		refuse_reg(m, REG_CNA_DATA_SIZE0,
			   "input %ux%u, %u channels: need width * 16 <= %u and channels a multiple of 16 (the feature layout Mesa uses)",
			   c->w, c->h, c->c, (u32)RKT_MODEL_LINE_BUF);
		return false;
	}
	if (creal > c->c || (creal != c->c && c->c != 16)) {
		refuse_reg(m, REG_CNA_DATA_SIZE1,
			   "DATAIN_CHANNEL_REAL + 1 = %u with DATAIN_CHANNEL %u: the model knows equal values, or fewer than 16 real channels padded to 16",
			   creal, c->c);
		return false;
	}
	if (c->kw != c->kh || (c->kw != 1 && c->kw != CONV_MAX_KERNEL)) {
		refuse_reg(m, REG_CNA_WEIGHT_SIZE2,
			   "kernel %ux%u: Mesa-programmed kernels seen on silicon are 1x1 and 3x3 only",
			   c->kw, c->kh);
		return false;
	}
	if (c->sx != c->sy || !c->sx || c->sx > CONV_MAX_STRIDE) {
		refuse_reg(m, REG_CNA_CONV_CON3,
			   "strides %u/%u: the model knows equal strides 1 or 2, no dilation, no deconvolution",
			   c->sx, c->sy);
		return false;
	}
	if (REG(m, REG_CNA_CONV_CON3) & ~(CNA_CONV_CON3_CONV_X_STRIDE__MASK |
					 CNA_CONV_CON3_CONV_Y_STRIDE__MASK)) {
		refuse_reg(m, REG_CNA_CONV_CON3,
			   "only CONV_X_STRIDE and CONV_Y_STRIDE are modelled");
		return false;
	}
	if (c->pl >= c->kw || c->pt >= c->kh) {
		refuse_reg(m, REG_CNA_PAD_CON0, "padding %u/%u not below the kernel size %u",
			   c->pl, c->pt, c->kw);
		return false;
	}
	/* the last output reads at most kernel - 1 - pad columns/lines of padding past the end */
	if (!c->ow || !c->oh ||
	    (c->ow - 1) * c->sx + c->kw > c->w + c->pl + (c->kw - 1 - c->pl) ||
	    (c->oh - 1) * c->sy + c->kh > c->h + c->pt + (c->kh - 1 - c->pt)) {
		refuse_reg(m, REG_CORE_DATAOUT_SIZE_0,
			   "output %ux%u needs more padding on the right/bottom than kernel - 1 - left/top padding",
			   c->ow, c->oh);
		return false;
	}
	if (c->ow * ATOM > RKT_MODEL_LINE_BUF) {
		refuse_reg(m, REG_CORE_DATAOUT_SIZE_0, "output width %u over %u pixels", c->ow,
			   (u32)RKT_MODEL_LINE_BUF / ATOM);
		return false;
	}

	if (c->dw) {
		if (c->kernels != 1) {
			refuse_reg(m, REG_CNA_WEIGHT_SIZE2, "depthwise: WEIGHT_KERNELS must be 1");
			return false;
		}
		c->kbytes = c->kw * c->kh * c->c;
	} else {
		if (!c->kernels || c->kernels % 2) {
			refuse_reg(m, REG_CNA_WEIGHT_SIZE2,
				   "WEIGHT_KERNELS %u: Mesa programs an even count", c->kernels);
			return false;
		}
		c->kbytes = c->kw * c->kh * c->c;
	}
	c->wbytes = REG(m, REG_CNA_WEIGHT_SIZE0);
	expect(m, REG_CNA_WEIGHT_SIZE0, c->kbytes * c->kernels,
	       "WEIGHT_WIDTH * WEIGHT_HEIGHT * DATAIN_CHANNEL * WEIGHT_KERNELS bytes");
	expect(m, REG_CNA_WEIGHT_SIZE1, c->kbytes,
	       "WEIGHT_WIDTH * WEIGHT_HEIGHT * DATAIN_CHANNEL bytes per kernel");

	expect(m, REG_CNA_CONV_CON2, CNA_CONV_CON2_FEATURE_GRAINS(50 + c->sy + 1),
	       "FEATURE_GRAINS = 50 + stride + 1 (Mesa's value), nothing else");
	expect(m, REG_CNA_DATA_SIZE2, CNA_DATA_SIZE2_DATAOUT_WIDTH(c->ow), "output width");
	expect(m, REG_CNA_DATA_SIZE3, CNA_DATA_SIZE3_DATAOUT_ATOMICS(c->ow * c->oh),
	       "output width * height");
	cblock = DIV_ROUND_UP(creal, 16);
	expect(m, REG_CNA_CBUF_CON1,
	       CNA_CBUF_CON1_DATA_ENTRIES(DIV_ROUND_UP(c->w * 2 * cblock, 8)),
	       "DATA_ENTRIES = ceil(width * 2 * ceil(real channels / 16) / 8) (Mesa)");
	expect(m, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1) | CNA_CVT_CON0_CVT_TYPE(1) |
	       CNA_CVT_CON0_CVT_BYPASS(1), "signed data, input converter bypassed");
	expect(m, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_SCALE1(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON3, CNA_CVT_CON3_CVT_SCALE2(1), "scale 1, offset 0");
	expect(m, REG_CNA_CVT_CON4, CNA_CVT_CON4_CVT_SCALE3(1), "scale 1, offset 0");
	expect(m, REG_CNA_DMA_CON0, CNA_DMA_CON0_WEIGHT_BURST_LEN(15) |
	       CNA_DMA_CON0_DATA_BURST_LEN(15), "burst 15/15");
	expect(m, REG_CNA_FC_DATA_SIZE0, CNA_FC_DATA_SIZE0_DMA_WIDTH(c->w) |
	       CNA_FC_DATA_SIZE0_DMA_HEIGHT(c->h),
	       "DMA width and height = DATAIN width and height");
	expect(m, REG_CNA_FC_DATA_SIZE1, CNA_FC_DATA_SIZE1_DMA_CHANNEL(c->c),
	       "DMA channel = DATAIN_CHANNEL");
	expect(m, REG_CORE_MISC_CFG, CORE_MISC_CFG_QD_EN(1) | CORE_MISC_CFG_DW_EN(c->dw),
	       "QD_EN 1, DW_EN for depthwise (Mesa), INT8");
	v = FIELD_GET(DPU_DATA_CUBE_CHANNEL_CHANNEL__MASK, REG(m, REG_DPU_DATA_CUBE_CHANNEL));
	expect(m, REG_CORE_DATAOUT_SIZE_1, CORE_DATAOUT_SIZE_1_DATAOUT_CHANNEL(v),
	       "DATAOUT_CHANNEL = DPU_DATA_CUBE_CHANNEL.CHANNEL");

	/* feature layout: 16-channel surfaces of lines of width * 16 bytes */
	ls = REG(m, REG_CNA_DMA_CON1);
	ss = REG(m, REG_CNA_DMA_CON2);
	if (ls != CNA_DMA_CON1_LINE_STRIDE(4 * c->w)) {
		refuse_reg(m, REG_CNA_DMA_CON1,
			   "LINE_STRIDE must be 4 * DATAIN_WIDTH (a line of width * 16 bytes: Mesa's layout)");
		return false;
	}
	if (ss & CNA_DMA_CON2_RESERVED_0__MASK || (ss + ls) % c->w ||
	    (ss + ls) / c->w < c->h) {
		refuse_reg(m, REG_CNA_DMA_CON2,
			   "SURF_STRIDE must be width * (lines - 4) for a surface of at least DATAIN_HEIGHT lines (Mesa's layout)");
		return false;
	}
	c->line = c->w * ATOM;
	c->surf = (ss + ls) * ATOM;

	v = REG(m, REG_CNA_PAD_CON1);
	c->pad = (s8)(v & 0xff);

	v = REG(m, REG_CNA_CBUF_CON0);
	c->data_bank = FIELD_GET(CNA_CBUF_CON0_DATA_BANK__MASK, v);
	c->weight_bank = FIELD_GET(CNA_CBUF_CON0_WEIGHT_BANK__MASK, v);
	c->reuse = FIELD_GET(CNA_CBUF_CON0_WEIGHT_REUSE__MASK, v);
	if (v & (CNA_CBUF_CON0_RESERVED_0__MASK | CNA_CBUF_CON0_RESERVED_1__MASK |
		 CNA_CBUF_CON0_FC_DATA_BANK__MASK | CNA_CBUF_CON0_DATA_REUSE__MASK)) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "only DATA_BANK, WEIGHT_BANK and WEIGHT_REUSE are modelled");
		return false;
	}
	if (c->data_bank < 1 || c->data_bank + c->weight_bank != RKT_MODEL_CBUF_BANKS) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "DATA_BANK %u + WEIGHT_BANK %u: need at least one data bank, sum 12",
			   c->data_bank, c->weight_bank);
		return false;
	}
	if ((u64)c->w * c->h * c->c > (u64)c->data_bank * CBUF_BANK) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "input %ux%ux%u = %u bytes over DATA_BANK %u banks (what silicon does then is undocumented)",
			   c->w, c->h, c->c, c->w * c->h * c->c, c->data_bank);
		return false;
	}
	c->resident = c->wbytes <= c->weight_bank * CBUF_BANK;
	if (!c->resident && (c->dw || (u64)CONV_KGROUP * c->kbytes > c->weight_bank * CBUF_BANK)) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "weights (%u bytes) over WEIGHT_BANK %u banks and not streamable by 32-kernel groups",
			   c->wbytes, c->weight_bank);
		return false;
	}

	c->a = REG(m, REG_CNA_FEATURE_DATA_ADDR);
	c->b = REG(m, REG_CNA_DCOMP_ADDR0);
	if (c->a % ATOM)
		refuse_reg(m, REG_CNA_FEATURE_DATA_ADDR, "input address not 16-byte aligned");
	return !m->refused;
}

/* The DPU side: output cube, BS (bias, weight offset), EW, output converter. */
static void conv_check_dpu(struct rkt_model *m, struct conv_cfg *c)
{
	u32 v, ch, orig, ewc, feat, rfeat;

	expect(m, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1),
	       "PP_EN, EXECUTER_PP_EN, PP_MODE");
	feat = DPU_FEATURE_MODE_CFG_BURST_LEN(15) | DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) |
	       DPU_FEATURE_MODE_CFG_CONV_MODE(c->dw ? 3 : 0);
	expect(m, REG_DPU_FEATURE_MODE_CFG, feat,
	       "burst 15, output mode 2, CONV_MODE 3 exactly for depthwise (Mesa)");

	v = REG(m, REG_DPU_DATA_CUBE_CHANNEL);
	ch = FIELD_GET(DPU_DATA_CUBE_CHANNEL_CHANNEL__MASK, v) + 1;
	orig = FIELD_GET(DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL__MASK, v) + 1;
	c->oc = orig;
	if (orig > ch || orig % 16 || orig > (c->dw ? c->c : c->kernels)) {
		refuse_reg(m, REG_DPU_DATA_CUBE_CHANNEL,
			   "ORIG_CHANNEL + 1 = %u: need a multiple of 16 (a partial output atom's other bytes are undocumented), <= CHANNEL + 1 (%u) and <= the %s (%u)",
			   orig, ch, c->dw ? "input channels" : "kernels",
			   c->dw ? c->c : c->kernels);
		return;
	}
	expect(m, REG_DPU_DATA_CUBE_WIDTH, DPU_DATA_CUBE_WIDTH_WIDTH(c->ow - 1),
	       "output width - 1");
	expect(m, REG_DPU_DATA_CUBE_HEIGHT, DPU_DATA_CUBE_HEIGHT_HEIGHT(c->oh - 1),
	       "output height - 1");
	expect(m, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(ch - 1), "CHANNEL");
	expect(m, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_HEIGHT_WDMA(c->oh - 1) |
	       DPU_WDMA_SIZE_1_WIDTH_WDMA(c->ow - 1), "output height - 1, width - 1");
	expect(m, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH,
	       DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(c->ow - 1), "output width - 1");
	expect(m, REG_DPU_RDMA_RDMA_DATA_CUBE_HEIGHT,
	       DPU_RDMA_RDMA_DATA_CUBE_HEIGHT_HEIGHT(c->oh - 1), "output height - 1");
	expect(m, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	       DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(ch - 1), "CHANNEL");

	c->c_addr = REG(m, REG_DPU_DST_BASE_ADDR);
	if (c->c_addr % ATOM)
		refuse_reg(m, REG_DPU_DST_BASE_ADDR, "output address not 16-byte aligned");
	c->dst_surf = REG(m, REG_DPU_DST_SURF_STRIDE);
	if (c->dst_surf % ATOM || c->dst_surf < c->ow * c->oh * ATOM)
		refuse_reg(m, REG_DPU_DST_SURF_STRIDE,
			   "output surface must hold at least width * height atoms of 16 bytes");
	expect(m, REG_DPU_SURFACE_ADD, (c->dw ? 4 : 2) * c->dst_surf,
	       "2 (depthwise 4) output surfaces, the only values Mesa programs (meaning undocumented)");

	/* BS: bias from BRDMA added by the BS ALU; weight offset BS_OW_OP */
	expect(m, REG_DPU_BS_CFG, DPU_BS_CFG_BS_ALU_ALGO(2) | DPU_BS_CFG_BS_ALU_SRC(1) |
	       DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1),
	       "BS ALU add (ALGO 2) of a per-channel operand from memory, multiplier and ReLU bypassed (Mesa)");
	expect(m, REG_DPU_BS_OW_CFG, c->dw ?
	       (DPU_BS_OW_CFG_SIZE_E_2(3) | DPU_BS_OW_CFG_SIZE_E_1(3) | DPU_BS_OW_CFG_SIZE_E_0(3)) :
	       (DPU_BS_OW_CFG_SIZE_E_2(1) | DPU_BS_OW_CFG_SIZE_E_1(1) | DPU_BS_OW_CFG_SIZE_E_0(1)),
	       "SIZE_E_0/1/2 1 (depthwise 3), OD_BYPASS 0 (Mesa)");
	c->ow_op = (s16)FIELD_GET(DPU_BS_OW_OP_OW_OP__MASK, REG(m, REG_DPU_BS_OW_OP));
	if (REG(m, REG_DPU_BS_OW_OP) & DPU_BS_OW_OP_RESERVED_0__MASK)
		refuse_reg(m, REG_DPU_BS_OW_OP, "reserved bits set");
	expect(m, REG_DPU_RDMA_RDMA_BRDMA_CFG, DPU_RDMA_RDMA_BRDMA_CFG_BRDMA_DATA_USE(1),
	       "BRDMA reads the BS ALU operand only");
	c->bias = REG(m, REG_DPU_RDMA_RDMA_BS_BASE_ADDR);
	if (c->bias % 4)
		refuse_reg(m, REG_DPU_RDMA_RDMA_BS_BASE_ADDR, "bias address not 4-byte aligned");
	expect(m, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	       DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1), "BN stage bypassed");
	expect(m, REG_DPU_RDMA_RDMA_WEIGHT, DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(1) |
	       DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(1) |
	       DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(1), "1/1/1/1 (Mesa)");

	/* EW: off, or Mesa's fused ADD of an INT8 cube laid out like the output */
	ewc = DPU_EW_CFG_EW_CVT_TYPE(1) | DPU_EW_CFG_EW_DATA_MODE(1) | DPU_EW_CFG_EDATA_SIZE(1) |
	      DPU_EW_CFG_EW_ALU_ALGO(2) | DPU_EW_CFG_EW_RELU_BYPASS(1) |
	      DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_SRC(1);
	v = REG(m, REG_DPU_EW_CFG);
	rfeat = DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15) |
		DPU_RDMA_RDMA_FEATURE_MODE_CFG_CONV_MODE(c->dw ? 3 : 0);
	if (v == ewc) {
		c->ew = true;
		expect(m, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE(1) |
		       DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE(1),
		       "ERDMA DATA_MODE 1, DATA_SIZE 1 (Mesa's ADD)");
		expect(m, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		       rfeat | DPU_RDMA_RDMA_FEATURE_MODE_CFG_COMB_USE(5),
		       "burst 15, COMB_USE 5 (Mesa's ADD), CONV_MODE 3 for depthwise");
		c->ew_src = REG(m, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR);
		if (c->ew_src % ATOM)
			refuse_reg(m, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, "not 16-byte aligned");
		expect(m, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, c->ew_src + c->dst_surf,
		       "SRC_BASE_ADDR + one output surface (Mesa's ADD operand layout)");
		expect(m, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, c->dst_surf,
		       "one output surface (DPU_DST_SURF_STRIDE)");
		expect(m, REG_DPU_RDMA_RDMA_SURF_NOTCH, c->dst_surf,
		       "one output surface (Mesa, single-task form)");
		expect(m, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, c->dst_surf,
		       "one output surface (Mesa, single-task form)");
		v = REG(m, REG_DPU_EW_CVT_SCALE_VALUE);
		c->ew_scale = FIELD_GET(DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE__MASK, v);
		c->ew_shift = FIELD_GET(DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SHIFT__MASK, v);
		if (v & DPU_EW_CVT_SCALE_VALUE_EW_TRUNCATE__MASK)
			refuse_reg(m, REG_DPU_EW_CVT_SCALE_VALUE, "EW_TRUNCATE not modelled");
		c->ew_offset = (s32)REG(m, REG_DPU_EW_CVT_OFFSET_VALUE);
	} else if (v == (DPU_EW_CFG_EW_RELU_BYPASS(1) | DPU_EW_CFG_EW_OP_CVT_BYPASS(1) |
			 DPU_EW_CFG_EW_LUT_BYPASS(1) | DPU_EW_CFG_EW_OP_BYPASS(1) |
			 DPU_EW_CFG_EW_BYPASS(1))) {
		c->ew = false;
		expect(m, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DISABLE(1),
		       "ERDMA disabled with EW bypassed");
		expect(m, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		       rfeat | DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_DISABLE(1),
		       "burst 15, MRDMA disabled, CONV_MODE 3 for depthwise (Mesa)");
		expect(m, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, 0, "0 with EW bypassed");
		expect(m, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, 0, "0 with EW bypassed");
		expect(m, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, 0, "0 with EW bypassed");
		expect(m, REG_DPU_RDMA_RDMA_SURF_NOTCH, 0, "0 with EW bypassed");
		expect(m, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 0, "0 with EW bypassed");
		expect(m, REG_DPU_EW_CVT_OFFSET_VALUE, 0, "0 with EW bypassed");
		v = REG(m, REG_DPU_EW_CVT_SCALE_VALUE);
		if (v && v != DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1))
			refuse_reg(m, REG_DPU_EW_CVT_SCALE_VALUE,
				   "the model knows 0 or EW_OP_CVT_SCALE 1 (EW bypassed)");
	} else {
		refuse_reg(m, REG_DPU_EW_CFG,
			   "the model knows EW bypassed (0x00000383) and Mesa's ADD (0x%08x) only",
			   ewc);
	}

	/* output converter */
	v = REG(m, REG_DPU_OUT_CVT_SCALE);
	c->scale = FIELD_GET(DPU_OUT_CVT_SCALE_OUT_CVT_SCALE__MASK, v);
	if (v & ~DPU_OUT_CVT_SCALE_OUT_CVT_SCALE__MASK)
		refuse_reg(m, REG_DPU_OUT_CVT_SCALE,
			   "FP32TOFP16_EN and reserved bits must be 0 for INT8 output");
	v = REG(m, REG_DPU_OUT_CVT_SHIFT);
	c->shift = FIELD_GET(DPU_OUT_CVT_SHIFT_OUT_CVT_SHIFT__MASK, v);
	if (v & ~DPU_OUT_CVT_SHIFT_OUT_CVT_SHIFT__MASK || c->shift < 1 || c->shift > 40)
		refuse_reg(m, REG_DPU_OUT_CVT_SHIFT,
			   "OUT_CVT_SHIFT 1..40 and no other field (CVT_TYPE, CVT_ROUND, MINUS_EXP undocumented)");
	c->offset = (s32)REG(m, REG_DPU_OUT_CVT_OFFSET);
	if (c->ew && c->ew_shift < 1)
		refuse_reg(m, REG_DPU_EW_CVT_SCALE_VALUE, "EW_OP_CVT_SHIFT 0 not modelled");
}

static void conv_check_dpu_rdma(struct rkt_model *m)
{
	if (!m->task_rdma_pointer_written)
		refuse_reg(m, REG_DPU_RDMA_RDMA_S_POINTER,
			   "DPU_RDMA programmed without RDMA_S_POINTER in this task's regcmd");
	expect(m, REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	       DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1), "PP_EN, EXECUTER_PP_EN, PP_MODE");
}

static bool conv_validate(struct rkt_model *m, struct conv_cfg *c)
{
	struct mm_cfg mc;

	if (!conv_check_cna(m, c))
		return false;
	conv_check_dpu(m, c);
	conv_check_dpu_rdma(m);
	conv_check_rest_zero(m);
	if (m->refused || !c->reuse)
		return !m->refused;
	if (m->wres_valid && !m->wres_conv) {
		refuse_reg(m, REG_CNA_CBUF_CON0,
			   "WEIGHT_REUSE after a matmul task: the resident weights are not a convolution's");
		return false;
	}
	memset(&mc, 0, sizeof(mc));
	mc.reuse = true;
	mc.b = c->b;
	mc.data_bank = c->data_bank;
	check_reuse(m, &mc);
	return !m->refused;
}

/*
 * CBUF use (the model's own arrangement): the input cube at [line][pixel]
 * [channel] in the data banks; in the weight banks kernel n's taps at
 * [n][ky][kx][channel] (depthwise: [ky][kx][channel]).
 */
static enum rkt_model_outcome conv_load_input(struct rkt_model *m, const struct conv_cfg *c)
{
	u32 s, y, x;
	u64 addr;

	for (s = 0; s < c->c / 16; s++) {
		for (y = 0; y < c->h; y++) {
			addr = (u64)c->a + (u64)s * c->surf + (u64)y * c->line;
			if (dma_read(m, addr, m->in_buf, c->line, "input (CNA_FEATURE_DATA_ADDR)"))
				return RKT_MODEL_DMA_FAULT;
			for (x = 0; x < c->w; x++)
				memcpy(&m->cbuf[((y * c->w + x) * c->c) + s * 16],
				       &m->in_buf[x * ATOM], ATOM);
		}
	}
	return RKT_MODEL_DONE;
}

/*
 * Weights in memory (Mesa's rkt_fill_weights()): groups of 32 kernels; in a
 * group, blocks of 32 channels (depthwise: one kernel, blocks of 64); in a
 * block, for each kernel row and column, each kernel of the group with the
 * block's channels (32, or what is left of DATAIN_CHANNEL).
 */
static enum rkt_model_outcome conv_load_weights(struct rkt_model *m, const struct conv_cfg *c,
						u32 g)
{
	u8 *wb = &m->cbuf[c->data_bank * CBUF_BANK];
	u32 cblk = c->dw ? 2 * CONV_CBLOCK : CONV_CBLOCK;
	u32 k0 = g * CONV_KGROUP;
	u32 gk = c->dw ? 1 : min(CONV_KGROUP, c->kernels - k0);
	u32 first = c->resident ? 0 : k0;	/* streamed: the group alone */
	u32 cb, cc, ky, kx, k;
	u64 addr = (u64)c->b + (u64)k0 * c->kbytes;

	for (cb = 0; cb * cblk < c->c; cb++) {
		cc = min(cblk, c->c - cb * cblk);
		for (ky = 0; ky < c->kh; ky++) {
			for (kx = 0; kx < c->kw; kx++) {
				m->stats.weight_bytes_read += gk * cc;
				if (dma_read(m, addr, m->in_buf, gk * cc,
					     "weights (CNA_DCOMP_ADDR0)"))
					return RKT_MODEL_DMA_FAULT;
				for (k = 0; k < gk; k++)
					memcpy(&wb[(u64)(k0 - first + k) * c->kbytes +
						   (ky * c->kw + kx) * c->c + cb * cblk],
					       &m->in_buf[k * cc], cc);
				addr += gk * cc;
			}
		}
	}
	return RKT_MODEL_DONE;
}

/* Round-half-up arithmetic shift right by @shift >= 1. */
static s64 conv_shift_round(s64 v, u32 shift)
{
	return (v + ((s64)1 << (shift - 1))) >> shift;
}

/* Accumulator of output channel @n at (@ox, @oy): sum of x * (w + OW_OP). */
static s64 conv_acc(struct rkt_model *m, const struct conv_cfg *c, const s8 *wk, u32 n,
		    u32 ox, u32 oy)
{
	s64 acc = 0;
	u32 ky, kx, i;
	s32 iy, ix;
	const s8 *x, *w;

	for (ky = 0; ky < c->kh; ky++) {
		iy = (s32)(oy * c->sy + ky) - (s32)c->pt;
		for (kx = 0; kx < c->kw; kx++) {
			ix = (s32)(ox * c->sx + kx) - (s32)c->pl;
			w = &wk[(ky * c->kw + kx) * c->c];
			if (iy < 0 || ix < 0 || iy >= (s32)c->h || ix >= (s32)c->w) {
				/* padding: every channel holds CNA_PAD_CON1's value */
				if (c->dw)
					acc += (s64)c->pad * (w[n] + c->ow_op);
				else
					for (i = 0; i < c->c; i++)
						acc += (s64)c->pad * (w[i] + c->ow_op);
				continue;
			}
			x = (const s8 *)&m->cbuf[((u32)iy * c->w + (u32)ix) * c->c];
			if (c->dw) {
				acc += (s64)x[n] * (w[n] + c->ow_op);
			} else {
				s32 dot = 0, sx = 0;

				for (i = 0; i < c->c; i++) {
					dot += x[i] * w[i];
					sx += x[i];
				}
				acc += dot + (s64)c->ow_op * sx;
			}
		}
	}
	return acc;
}

/* Output channel n of surface row y, pixel x: the DPU's BS, EW and output stages. */
static u8 conv_out(struct rkt_model *m, const struct conv_cfg *c, const s8 *wk, u32 n, u32 x,
		   u32 y, s32 bias, const u8 *ew)
{
	s64 acc = conv_acc(m, c, wk, c->dw ? n : 0, x, y) + bias;
	s64 v;

	if (c->ew)
		acc += conv_shift_round(((s64)(s8)*ew + c->ew_offset) * (s64)c->ew_scale,
					c->ew_shift);
	v = conv_shift_round(acc * (s64)c->scale, c->shift) + c->offset;
	v = v < -128 ? -128 : v > 127 ? 127 : v;	/* saturate to INT8 */
	return (u8)(s8)v;
}

static enum rkt_model_outcome conv_execute(struct rkt_model *m, const struct conv_cfg *c)
{
	const u8 *wb = &m->cbuf[c->data_bank * CBUF_BANK];
	u32 g, s, j, n, x, y, first, loaded = CONV_W_NONE;
	enum rkt_model_outcome o;
	u8 bbuf[16 * 4];
	s32 bias[16];
	const s8 *wk;
	u64 addr;

	o = conv_load_input(m, c);
	if (o != RKT_MODEL_DONE)
		return o;
	if (c->reuse) {
		loaded = CONV_W_ALL;	/* checked: all kernels resident */
	} else if (c->resident) {
		for (g = 0; g * CONV_KGROUP < (c->dw ? 1 : c->kernels); g++) {
			o = conv_load_weights(m, c, g);
			if (o != RKT_MODEL_DONE)
				return o;
		}
		loaded = CONV_W_ALL;
	}

	for (s = 0; s < c->oc / 16; s++) {
		g = s * 16 / CONV_KGROUP;
		if (!c->dw && loaded != CONV_W_ALL && loaded != g) {
			o = conv_load_weights(m, c, g);
			if (o != RKT_MODEL_DONE)
				return o;
			loaded = g;
		}
		first = c->resident ? 0 : g * CONV_KGROUP;
		if (dma_read(m, (u64)c->bias + s * sizeof(bbuf), bbuf, sizeof(bbuf),
			     "bias (DPU_RDMA_RDMA_BS_BASE_ADDR)"))
			return RKT_MODEL_DMA_FAULT;
		for (j = 0; j < 16; j++)
			bias[j] = (s32)((u32)bbuf[j * 4] | (u32)bbuf[j * 4 + 1] << 8 |
					(u32)bbuf[j * 4 + 2] << 16 | (u32)bbuf[j * 4 + 3] << 24);
		for (y = 0; y < c->oh; y++) {
			addr = (u64)y * c->ow * ATOM;
			if (c->ew && dma_read(m, (u64)c->ew_src + (u64)s * c->dst_surf + addr,
					      m->in_buf, c->ow * ATOM,
					      "element-wise operand (DPU_RDMA_RDMA_SRC_BASE_ADDR)"))
				return RKT_MODEL_DMA_FAULT;
			for (x = 0; x < c->ow; x++) {
				for (j = 0; j < 16; j++) {
					n = s * 16 + j;
					wk = (const s8 *)(c->dw ? wb :
							  &wb[(u64)(n - first) * c->kbytes]);
					m->out_buf[x * ATOM + j] =
						conv_out(m, c, wk, n, x, y, bias[j],
							 &m->in_buf[x * ATOM + j]);
				}
			}
			if (dma_write(m, (u64)c->c_addr + (u64)s * c->dst_surf + addr, m->out_buf,
				      c->ow * ATOM, "output (DPU_DST_BASE_ADDR)"))
				return RKT_MODEL_DMA_FAULT;
		}
	}
	m->stats.macs += (u64)c->ow * c->oh * c->oc * c->kw * c->kh * (c->dw ? 1 : c->c);

	m->wres_valid = c->resident;
	m->wres_conv = true;
	m->wres_addr = c->b;
	m->wres_size0 = REG(m, REG_CNA_WEIGHT_SIZE0);
	m->wres_size1 = REG(m, REG_CNA_WEIGHT_SIZE1);
	m->wres_size2 = REG(m, REG_CNA_WEIGHT_SIZE2);
	m->wres_con1 = REG(m, REG_CNA_CONV_CON1);
	m->wres_data_bank = c->data_bank;
	return RKT_MODEL_DONE;
}

/* ---------------------------------------------------------------------- */
/* DPU-only add                                                             */

/*
 * A DPU-only task (PC_OPERATION_ENABLE 0x18): MRDMA reads the main operand
 * from memory (FEATURE_MODE_CFG.FLYING_MODE), ERDMA a second one element
 * by element, the EW ALU adds them and WDMA writes the result; CNA and CORE
 * do not run. Modelled for exactly one register set, the INT32 add of
 * rknpu2_matmul_open's DPU chain (src/rk_npu_i8_dpu_chain.cpp,
 * rk_npu_moe_regs.h @601269c) with every precision field INT32, which
 * rockchip-npu-notes (encodings/sdp-stage-precision.md @224b139) and
 * allbilly/rk3588 (examples/expt/trm_register_findings.md @135303c) measured
 * exact and saturating on silicon. Cube: width W (rows of the C tile),
 * height 1, C channels in surfaces of 4 INT32; every surface of all three
 * operands S * 16 bytes apart (S = DST_SURF_STRIDE), the reads skipping
 * (S - W) * 16 bytes through their notches. Refused: FP32 and every other
 * precision, other ALU ops, a cube taller than one row, more than 128 x
 * 1024 or channels not a multiple of 32 (the public geometry), any other
 * field.
 */
static const u32 add_checked_regs[] = {
	REG_DPU_S_POINTER, REG_DPU_FEATURE_MODE_CFG, REG_DPU_DATA_FORMAT,
	REG_DPU_DST_BASE_ADDR, REG_DPU_DST_SURF_STRIDE, REG_DPU_DATA_CUBE_WIDTH,
	REG_DPU_DATA_CUBE_CHANNEL, REG_DPU_BS_CFG, REG_DPU_BS_OW_CFG,
	REG_DPU_WDMA_SIZE_0, REG_DPU_WDMA_SIZE_1, REG_DPU_BN_CFG, REG_DPU_EW_CFG,
	REG_DPU_EW_CVT_SCALE_VALUE, REG_DPU_OUT_CVT_SCALE, REG_DPU_SURFACE_ADD,
	REG_DPU_RDMA_RDMA_S_POINTER, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH,
	REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR,
	REG_DPU_RDMA_RDMA_SURF_NOTCH, REG_DPU_RDMA_RDMA_ERDMA_CFG,
	REG_DPU_RDMA_RDMA_EW_BASE_ADDR, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	REG_DPU_RDMA_RDMA_WEIGHT,
};

#define ADD_MAX_W		128
#define ADD_MAX_C		1024

struct add_cfg {
	u32 w;			/* cube width: rows of the tile */
	u32 c;			/* channels */
	u32 s;			/* surface stride, in 16-byte atoms */
	u32 src;		/* MRDMA: main operand */
	u32 ew;			/* ERDMA: second operand */
	u32 dst;
};

static void add_check_rest_zero(struct rkt_model *m)
{
	static const u32 blocks[] = { BLK_DPU, BLK_DPU_RDMA, BLK_PPU, BLK_PPU_RDMA };

	refuse_unlisted(m, blocks, ARRAY_SIZE(blocks), add_checked_regs,
			ARRAY_SIZE(add_checked_regs), REG_DPU_LUT_ACCESS_DATA, "DPU-only add: ");
}

static bool add_validate(struct rkt_model *m, struct add_cfg *a)
{
	u32 fmt = REG(m, REG_DPU_DATA_FORMAT), v, notch;

	if (fmt == (DPU_DATA_FORMAT_OUT_PRECISION(PREC_FP32) |
		    DPU_DATA_FORMAT_IN_PRECISION(PREC_FP32) |
		    DPU_DATA_FORMAT_PROC_PRECISION(PREC_FP32))) {
		refuse_reg(m, REG_DPU_DATA_FORMAT,
			   "DPU-only FP32 add not modelled: no public silicon-tested register set or rounding (board kit step split-k)");
		return false;
	}
	if (!expect(m, REG_DPU_DATA_FORMAT, DPU_DATA_FORMAT_OUT_PRECISION(PREC_INT32) |
		    DPU_DATA_FORMAT_IN_PRECISION(PREC_INT32) |
		    DPU_DATA_FORMAT_PROC_PRECISION(PREC_INT32),
		    "DPU-only add: out, in and proc precision all INT32 (4)"))
		return false;

	v = REG(m, REG_DPU_DATA_CUBE_WIDTH);
	a->w = FIELD_GET(DPU_DATA_CUBE_WIDTH_WIDTH__MASK, v) + 1;
	v = REG(m, REG_DPU_DATA_CUBE_CHANNEL);
	a->c = FIELD_GET(DPU_DATA_CUBE_CHANNEL_CHANNEL__MASK, v) + 1;
	a->s = FIELD_GET(DPU_DST_SURF_STRIDE_DST_SURF_STRIDE__MASK,
			 REG(m, REG_DPU_DST_SURF_STRIDE));
	if (a->w > ADD_MAX_W || a->c > ADD_MAX_C || a->c % 32) {
		refuse_reg(m, REG_DPU_DATA_CUBE_CHANNEL,
			   "DPU-only add of %u x %u: at most %u rows x %u channels, channels a multiple of 32 (the public geometry)",
			   a->w, a->c, ADD_MAX_W, ADD_MAX_C);
		return false;
	}
	if (a->s < a->w) {
		refuse_reg(m, REG_DPU_DST_SURF_STRIDE, "surface stride %u below the width %u",
			   a->s, a->w);
		return false;
	}
	notch = a->s - a->w;

	expect(m, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_S_POINTER_EXECUTER_PP_EN(1) | DPU_S_POINTER_POINTER_PP_EN(1),
	       "PP_EN, EXECUTER_PP_EN, PP_MODE");
	expect(m, REG_DPU_FEATURE_MODE_CFG, DPU_FEATURE_MODE_CFG_BURST_LEN(15) |
	       DPU_FEATURE_MODE_CFG_OUTPUT_MODE(2) | DPU_FEATURE_MODE_CFG_FLYING_MODE(1),
	       "burst 15, output mode 2, flying mode (main operand from MRDMA)");
	expect(m, REG_DPU_DATA_CUBE_CHANNEL, DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(a->c - 1) |
	       DPU_DATA_CUBE_CHANNEL_CHANNEL(a->c - 1),
	       "ORIG_CHANNEL = CHANNEL (else only lane 0 of an atom is right)");
	expect(m, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELU_BYPASS(1) | DPU_BS_CFG_BS_MUL_BYPASS(1) |
	       DPU_BS_CFG_BS_ALU_BYPASS(1) | DPU_BS_CFG_BS_BYPASS(1), "BS bypassed");
	expect(m, REG_DPU_BN_CFG, DPU_BN_CFG_BN_RELU_BYPASS(1) | DPU_BN_CFG_BN_MUL_BYPASS(1) |
	       DPU_BN_CFG_BN_ALU_BYPASS(1) | DPU_BN_CFG_BN_BYPASS(1), "BN bypassed");
	expect(m, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_OD_BYPASS(1), "OD_BYPASS only");
	expect(m, REG_DPU_WDMA_SIZE_0, DPU_WDMA_SIZE_0_CHANNEL_WDMA(a->c - 1), "channels - 1");
	expect(m, REG_DPU_WDMA_SIZE_1, DPU_WDMA_SIZE_1_WIDTH_WDMA(a->w - 1),
	       "width - 1, height 1 - 1 (a cube taller than one row is unproven)");
	expect(m, REG_DPU_EW_CFG, DPU_EW_CFG_EW_DATA_MODE(1) | DPU_EW_CFG_EDATA_SIZE(3) |
	       DPU_EW_CFG_EW_ALU_ALGO(2) | DPU_EW_CFG_EW_RELU_BYPASS(1) |
	       DPU_EW_CFG_EW_OP_CVT_BYPASS(1) | DPU_EW_CFG_EW_LUT_BYPASS(1) |
	       DPU_EW_CFG_EW_OP_SRC(1),
	       "per-element 32-bit operand, ALU ADD, converter, LUT and ReLU bypassed");
	expect(m, REG_DPU_EW_CVT_SCALE_VALUE, DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(1),
	       "operand converter scale 1");
	expect(m, REG_DPU_OUT_CVT_SCALE, DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1),
	       "scale 1, no FP32TOFP16");
	expect(m, REG_DPU_SURFACE_ADD, DPU_SURFACE_ADD_SURF_ADD(a->s),
	       "SURF_ADD = DST_SURF_STRIDE for a DPU-only INT32 output");

	if (!m->task_rdma_pointer_written)
		refuse_reg(m, REG_DPU_RDMA_RDMA_S_POINTER,
			   "DPU_RDMA programmed without RDMA_S_POINTER in this task's regcmd");
	expect(m, REG_DPU_RDMA_RDMA_S_POINTER, DPU_RDMA_RDMA_S_POINTER_POINTER_PP_MODE(1) |
	       DPU_RDMA_RDMA_S_POINTER_EXECUTER_PP_EN(1) |
	       DPU_RDMA_RDMA_S_POINTER_POINTER_PP_EN(1), "PP_EN, EXECUTER_PP_EN, PP_MODE");
	expect(m, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH,
	       DPU_RDMA_RDMA_DATA_CUBE_WIDTH_WIDTH(a->w - 1), "the DPU's width");
	expect(m, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL,
	       DPU_RDMA_RDMA_DATA_CUBE_CHANNEL_CHANNEL(a->c - 1), "the DPU's channels");
	expect(m, REG_DPU_RDMA_RDMA_ERDMA_CFG, DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_MODE(1) |
	       DPU_RDMA_RDMA_ERDMA_CFG_ERDMA_DATA_SIZE(3),
	       "ERDMA per element (mode 1), 32-bit");
	expect(m, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
	       DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION(PREC_INT32) |
	       DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15) |
	       DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION(PREC_INT32) |
	       DPU_RDMA_RDMA_FEATURE_MODE_CFG_FLYING_MODE(1),
	       "MRDMA on, INT32 in and proc, burst 15, flying, COMB_USE 0");
	expect(m, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE,
	       DPU_RDMA_RDMA_EW_SURF_STRIDE_EW_SURF_STRIDE(a->w), "width * 16 bytes");
	expect(m, REG_DPU_RDMA_RDMA_SURF_NOTCH,
	       DPU_RDMA_RDMA_SURF_NOTCH_SURF_NOTCH_ADDR(notch),
	       "(surface stride - width) * 16 bytes");
	expect(m, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH,
	       DPU_RDMA_RDMA_EW_SURF_NOTCH_EW_SURF_NOTCH(notch),
	       "(surface stride - width) * 16 bytes");
	expect(m, REG_DPU_RDMA_RDMA_WEIGHT, DPU_RDMA_RDMA_WEIGHT_E_WEIGHT(1) |
	       DPU_RDMA_RDMA_WEIGHT_N_WEIGHT(1) | DPU_RDMA_RDMA_WEIGHT_B_WEIGHT(1) |
	       DPU_RDMA_RDMA_WEIGHT_M_WEIGHT(1), "0x01010101 as in the source");

	a->src = REG(m, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR);
	a->ew = REG(m, REG_DPU_RDMA_RDMA_EW_BASE_ADDR);
	a->dst = REG(m, REG_DPU_DST_BASE_ADDR);
	if ((a->src | a->ew | a->dst) % ATOM)
		refuse_reg(m, REG_DPU_DST_BASE_ADDR, "operand addresses must be 16-byte aligned");
	add_check_rest_zero(m);
	return !m->refused;
}

/* INT32 ADD saturates on silicon (both sources above). */
static s32 add_sat_s32(s32 x, s32 y)
{
	s64 r = (s64)x + y;

	if (r > 0x7fffffffLL)
		return 0x7fffffff;
	if (r < -0x80000000LL)
		return -0x7fffffff - 1;
	return (s32)r;
}

static enum rkt_model_outcome run_dpu_add(struct rkt_model *m)
{
	struct add_cfg a;
	u32 surf, i, len;
	u64 off;

	if (!add_validate(m, &a))
		return RKT_MODEL_REFUSED;
	len = a.w * ATOM;
	for (surf = 0; surf < a.c / 4; surf++) {
		off = (u64)surf * a.s * ATOM;
		if (dma_read(m, a.src + off, m->in_buf, len, "sum (RDMA_SRC_BASE_ADDR)") ||
		    dma_read(m, a.ew + off, m->out_buf, len, "operand (RDMA_EW_BASE_ADDR)"))
			return RKT_MODEL_DMA_FAULT;
		for (i = 0; i < len; i += 4)
			put_unaligned_le32(add_sat_s32(get_unaligned_le32(&m->in_buf[i]),
						       get_unaligned_le32(&m->out_buf[i])),
					   &m->out_buf[i]);
		if (dma_write(m, a.dst + off, m->out_buf, len, "sum (DPU_DST_BASE_ADDR)"))
			return RKT_MODEL_DMA_FAULT;
	}
	/* the CBUF is not modelled across a DPU-only task: no reuse after it */
	m->wres_valid = false;
	return RKT_MODEL_DONE;
}

/* ---------------------------------------------------------------------- */
/* Task                                                                     */

static enum rkt_model_outcome run_task(struct rkt_model *m)
{
	struct mm_cfg c;
	enum rkt_model_outcome o;

	memset(&c, 0, sizeof(c));
	m->refused = false;
	m->task_rdma_written = false;
	m->task_rdma_pointer_written = false;

	if (!check_pc(m))
		return RKT_MODEL_REFUSED;
	o = fetch_regcmd(m);
	if (o != RKT_MODEL_DONE)
		return o;
	if (!m->task_rdma_written) {
		model_log(m,
			  "hang: this task's regcmd does not program DPU_RDMA; silicon waits forever on its read DMA");
		return RKT_MODEL_HANG;
	}
	if (m->op_enable == OP_ENABLE_DPU_ONLY)
		return run_dpu_add(m);
	if (is_conv_task(m)) {
		struct conv_cfg cc;

		memset(&cc, 0, sizeof(cc));
		if (!conv_validate(m, &cc))
			return RKT_MODEL_REFUSED;
		return conv_execute(m, &cc);
	}
	if (!validate(m, &c))
		return RKT_MODEL_REFUSED;
	return execute(m, &c);
}

enum rkt_model_outcome rkt_model_run(struct rkt_model *m)
{
	enum rkt_model_outcome o;

	if (!m->kick_pending)
		return RKT_MODEL_IDLE;
	m->kick_pending = false;
	m->stats.tasks++;

	if (m->wedged) {
		model_log(m,
			  "hang: kick ignored, the core is wedged by an earlier task; reset required");
		o = RKT_MODEL_HANG;
	} else {
		o = run_task(m);
	}

	switch (o) {
	case RKT_MODEL_DONE:
		REG(m, REG_PC_INTERRUPT_RAW_STATUS) |= PC_INTERRUPT_RAW_STATUS_DPU_0;
		m->stats.done++;
		break;
	case RKT_MODEL_REFUSED:
		m->errors |= RKT_MODEL_ERR_REFUSED;
		break;
	case RKT_MODEL_HANG:
		m->errors |= RKT_MODEL_ERR_HANG;
		break;
	default:
		break;
	}
	if (o != RKT_MODEL_DONE) {
		m->wedged = true;
		m->wres_valid = false;
		m->errors |= RKT_MODEL_ERR_WEDGED;
	}
	m->last = o;
	return o;
}
