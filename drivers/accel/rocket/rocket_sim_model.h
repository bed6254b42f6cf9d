/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Software model of one RK3588 NPU core executing a matrix multiply.
 *
 * The model implements two kinds of task: C[M,N] = A[M,K] x B[K,N]
 * programmed as a 1x1 convolution (INT8 x INT8 -> INT32, FP16 x FP16 -> FP32,
 * FP16 x FP16 -> FP16), and the quantized INT8 convolution (1x1 and 3x3,
 * strides 1 and 2, padding, depthwise, bias, requantization to INT8, a fused
 * element-wise add) as Mesa's Rocket driver programs it, with the register
 * values, memory layouts and limits described in
 * Documentation/accel/rocket/sim.rst. Anything it does not know
 * is refused: the task ends with RKT_MODEL_REFUSED, a model-only error bit and
 * a log line naming the register and its value. It never guesses a result.
 *
 * Arithmetic. INT8 products are summed exactly in 32 bits. FP16 products are
 * formed exactly and accumulated exactly in a wide integer (least significant
 * bit 2^-48, the smallest product of two halves); the exact sum is rounded once
 * to FP32 or FP16, round-to-nearest-even, with FP16 subnormals and overflow to
 * infinity. An exact zero sum gives +0. Silicon's internal accumulation
 * precision and rounding points are not documented: results of silicon may
 * differ from the model in the last place. Infinity or NaN in A or B is refused.
 *
 * Pure C: no allocation, locks, I/O or floating point, so that the same file
 * builds into the kernel and on the host. Memory is reached only through the
 * caller's callbacks.
 */

#ifndef __ROCKET_SIM_MODEL_H__
#define __ROCKET_SIM_MODEL_H__

#include <linux/bits.h>
#include <linux/types.h>

/* Register windows inside one core, as offsets from the PC block. */
#define RKT_MODEL_BLOCK_SIZE		0x1000
/* PC, CNA, (hole at 0x2000), CORE, DPU, DPU_RDMA, PPU, PPU_RDMA */
#define RKT_MODEL_NUM_BLOCKS		8
#define RKT_MODEL_BLOCK_WORDS		(RKT_MODEL_BLOCK_SIZE / 4)

/* Convolution buffer: 12 banks of 32 KiB per core. */
#define RKT_MODEL_CBUF_BANKS		12
#define RKT_MODEL_CBUF_BANK_SIZE	32768
#define RKT_MODEL_CBUF_SIZE		(RKT_MODEL_CBUF_BANKS * RKT_MODEL_CBUF_BANK_SIZE)

/* CNA_CONV_CON2.FEATURE_GRAINS is 10 bits wide and must hold M + 1. */
#define RKT_MODEL_MAX_M			1022
/* One kernel (K * bpe bytes) must fit one bank: K <= 16384 (FP16), 32768 (INT8). */
#define RKT_MODEL_MAX_K			32768

#define RKT_MODEL_LOG_SIZE		2048	/* bytes of rkt_model_log() text */
#define RKT_MODEL_CMD_CHUNK		64	/* regcmd entries fetched per memory read */
#define RKT_MODEL_LINE_BUF		((RKT_MODEL_MAX_M + 2) * 16)

/**
 * enum rkt_model_outcome - what rkt_model_run() did with a kicked task
 * @RKT_MODEL_IDLE: no kick was pending; nothing ran.
 * @RKT_MODEL_DONE: the task completed; C is written and
 *	PC_INTERRUPT_RAW_STATUS_DPU_0 is set.
 * @RKT_MODEL_DMA_FAULT: an NPU address the task needed was not mapped (the
 *	read or write callback failed, or the access crossed 4 GiB).
 *	PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR or _DMA_WRITE_ERROR is set, no
 *	completion bit: the driver times out. C may be partly written.
 * @RKT_MODEL_HANG: the task never completes and sets no status bit. Given when
 *	the task's regcmd does not program DPU_RDMA (documented silicon
 *	behaviour), and for a kick while the core is wedged.
 * @RKT_MODEL_REFUSED: the programmed state is outside what the model knows.
 *	No completion bit; RKT_MODEL_ERR_REFUSED is set and the log names the
 *	register and value. C may be partly written.
 *
 * Every outcome other than DONE wedges the model until rkt_model_reset().
 */
enum rkt_model_outcome {
	RKT_MODEL_IDLE,
	RKT_MODEL_DONE,
	RKT_MODEL_DMA_FAULT,
	RKT_MODEL_HANG,
	RKT_MODEL_REFUSED,
};

/*
 * Model-only error bits returned by rkt_model_errors(). No NPU register
 * documents a "refused" or "hung" state, so these live outside the register
 * file. DMA faults are also reported in the documented
 * PC_INTERRUPT_RAW_STATUS DMA_READ_ERROR / DMA_WRITE_ERROR bits.
 */
#define RKT_MODEL_ERR_REFUSED		BIT(0)
#define RKT_MODEL_ERR_HANG		BIT(1)
#define RKT_MODEL_ERR_DMA_READ		BIT(2)
#define RKT_MODEL_ERR_DMA_WRITE		BIT(3)
#define RKT_MODEL_ERR_MMIO		BIT(4)	/* MMIO access the model does not know */
#define RKT_MODEL_ERR_WEDGED		BIT(5)	/* a task ended without completion */

/**
 * struct rkt_model_mem_ops - NPU memory access supplied by the caller
 * @read: copy @len bytes at NPU address @npu_addr to @dst. Return 0 on
 *	success, non-zero if any byte is not mapped.
 * @write: copy @len bytes from @src to NPU address @npu_addr. Return 0 on
 *	success, non-zero if any byte is not mapped.
 *
 * The model never passes a range that crosses 4 GiB. Reads and writes are of
 * whole 16-byte atoms or longer contiguous runs (at most RKT_MODEL_LINE_BUF
 * bytes), never single bytes.
 */
struct rkt_model_mem_ops {
	int (*read)(void *ctx, u32 npu_addr, void *dst, u32 len);
	int (*write)(void *ctx, u32 npu_addr, const void *src, u32 len);
};

/**
 * struct rkt_model_stats - counters since rkt_model_init()
 * @tasks: kicks executed (any outcome)
 * @done: tasks that completed
 * @macs: multiply-accumulates performed
 * @reads: read callback calls
 * @writes: write callback calls
 * @bytes_read: bytes requested through @reads
 * @bytes_written: bytes passed through @writes
 * @weight_bytes_read: bytes of B (weights) read
 */
struct rkt_model_stats {
	u64 tasks;
	u64 done;
	u64 macs;
	u64 reads;
	u64 writes;
	u64 bytes_read;
	u64 bytes_written;
	u64 weight_bytes_read;
};

/**
 * struct rkt_model - one NPU core
 *
 * Allocated by the caller (about 500 KiB: vmalloc() it in the kernel); all
 * members are private to rocket_sim_model.c.
 */
struct rkt_model {
	/* private: */
	const struct rkt_model_mem_ops *ops;
	void *ctx;

	u32 regs[RKT_MODEL_NUM_BLOCKS * RKT_MODEL_BLOCK_WORDS];	/* by byte offset / 4 */
	u8 cbuf[RKT_MODEL_CBUF_SIZE];

	u8 cmd[RKT_MODEL_CMD_CHUNK * 8];
	u8 in_buf[RKT_MODEL_LINE_BUF];
	u8 out_buf[RKT_MODEL_LINE_BUF];
	s16 wmant[RKT_MODEL_MAX_K / 2];
	u8 wexp[RKT_MODEL_MAX_K / 2];

	bool kick_pending;
	bool wedged;
	bool refused;
	enum rkt_model_outcome last;
	u32 errors;

	/* set by the regcmd of the task being run */
	bool task_rdma_written;
	bool task_rdma_pointer_written;
	u32 chain_base;
	u32 chain_amount;
	u32 op_enable;

	/* weights left in the CBUF weight banks by the last completed task */
	bool wres_valid;
	bool wres_conv;		/* left by an INT8 convolution, not a matmul */
	u32 wres_addr;
	u32 wres_size0;
	u32 wres_size1;
	u32 wres_size2;
	u32 wres_con1;
	u32 wres_data_bank;

	/* kernels currently in the CBUF weight banks while a task runs */
	u32 wchunk_first;
	u32 wchunk_end;

	struct rkt_model_stats stats;

	bool log_full;
	u32 log_len;
	char log[RKT_MODEL_LOG_SIZE];
};

/**
 * rkt_model_init() - set up a model and reset it
 * @m: the model
 * @ops: memory callbacks, kept by reference
 * @ctx: passed to the callbacks
 */
void rkt_model_init(struct rkt_model *m, const struct rkt_model_mem_ops *ops, void *ctx);

/**
 * rkt_model_reset() - hardware reset of the core
 * @m: the model
 *
 * Clears every register, the CBUF, status, error bits, the wedged state and
 * any pending kick. Keeps the callbacks, statistics and the log.
 */
void rkt_model_reset(struct rkt_model *m);

/**
 * rkt_model_reg_write() - MMIO write from the driver
 * @m: the model
 * @offset: byte offset in the core's window (PC 0x0000, CNA 0x1000, CORE
 *	0x3000, DPU 0x4000, DPU_RDMA 0x5000, PPU 0x6000, PPU_RDMA 0x7000)
 * @value: the value written
 *
 * A write of PC_OPERATION_ENABLE with OP_EN set kicks a task: it runs when
 * the caller calls rkt_model_run(). PC_INTERRUPT_CLEAR clears the written
 * bits of PC_INTERRUPT_RAW_STATUS. Offsets outside the modelled blocks are
 * ignored and logged (RKT_MODEL_ERR_MMIO).
 */
void rkt_model_reg_write(struct rkt_model *m, u32 offset, u32 value);

/**
 * rkt_model_reg_read() - MMIO read from the driver
 * @m: the model
 * @offset: byte offset in the core's window
 *
 * PC_INTERRUPT_STATUS reads as PC_INTERRUPT_RAW_STATUS & PC_INTERRUPT_MASK;
 * PC_INTERRUPT_CLEAR reads as 0; other registers read back their last value
 * (0 after reset, including PC_VERSION and PC_VERSION_NUM).
 *
 * Return: the register value, 0 for unmodelled offsets (logged).
 */
u32 rkt_model_reg_read(struct rkt_model *m, u32 offset);

/**
 * rkt_model_kick_pending() - whether a kick waits for rkt_model_run()
 * @m: the model
 *
 * Return: true if PC_OPERATION_ENABLE.OP_EN was written since the last run.
 */
bool rkt_model_kick_pending(const struct rkt_model *m);

/**
 * rkt_model_run() - execute the kicked task
 * @m: the model
 *
 * Fetches (PC_REGISTER_AMOUNTS + 1) * 2 regcmd entries at PC_BASE_ADDRESS,
 * applies them, and at the 0x0041 marker and 0x0081 PC_OPERATION_ENABLE tail
 * checks the CNA, CORE, DPU, DPU_RDMA (and PPU, PPU_RDMA) state and executes
 * the matmul it describes.
 *
 * Return: the outcome; RKT_MODEL_IDLE if no kick was pending.
 */
enum rkt_model_outcome rkt_model_run(struct rkt_model *m);

/**
 * rkt_model_irq_pending() - level of the core's interrupt line
 * @m: the model
 *
 * Return: true if PC_INTERRUPT_RAW_STATUS & PC_INTERRUPT_MASK is non-zero.
 */
bool rkt_model_irq_pending(const struct rkt_model *m);

/**
 * rkt_model_errors() - model-only error bits (RKT_MODEL_ERR_*)
 * @m: the model
 *
 * Return: the bits accumulated since the last reset.
 */
u32 rkt_model_errors(const struct rkt_model *m);

/**
 * rkt_model_last_outcome() - outcome of the last task run
 * @m: the model
 *
 * Return: RKT_MODEL_IDLE if no task ran since reset.
 */
enum rkt_model_outcome rkt_model_last_outcome(const struct rkt_model *m);

/**
 * rkt_model_stats() - statistics since rkt_model_init()
 * @m: the model
 *
 * Return: pointer to the counters, valid as long as @m.
 */
const struct rkt_model_stats *rkt_model_stats(const struct rkt_model *m);

/**
 * rkt_model_log() - refusal and fault messages
 * @m: the model
 *
 * One message per line, NUL-terminated. When full, later messages are
 * dropped and the log ends with "...\n".
 *
 * Return: the log text.
 */
const char *rkt_model_log(const struct rkt_model *m);

/**
 * rkt_model_log_clear() - empty the log
 * @m: the model
 */
void rkt_model_log_clear(struct rkt_model *m);

/**
 * rkt_model_outcome_name() - printable outcome
 * @o: the outcome
 *
 * Return: "IDLE", "DONE", "DMA_FAULT", "HANG", "REFUSED" or "?".
 */
const char *rkt_model_outcome_name(enum rkt_model_outcome o);

/**
 * rkt_model_reg_name() - name of a register from rocket_registers.h
 * @offset: byte offset in the core's window
 *
 * Return: the name (e.g. "CNA_CONV_CON2"), or NULL if the offset has none.
 */
const char *rkt_model_reg_name(u32 offset);

#endif /* __ROCKET_SIM_MODEL_H__ */
