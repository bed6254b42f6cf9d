/* SPDX-License-Identifier: MIT */
/*
 * Copyright © 2024 Tomeu Vizoso
 */
#ifndef __DRM_UAPI_ROCKET_ACCEL_H__
#define __DRM_UAPI_ROCKET_ACCEL_H__

#include "drm.h"

#if defined(__cplusplus)
extern "C" {
#endif

#define DRM_ROCKET_CREATE_BO			0x00
#define DRM_ROCKET_SUBMIT			0x01
#define DRM_ROCKET_PREP_BO			0x02
#define DRM_ROCKET_FINI_BO			0x03
#define DRM_ROCKET_MATMUL			0x04

#define DRM_IOCTL_ROCKET_CREATE_BO		DRM_IOWR(DRM_COMMAND_BASE + DRM_ROCKET_CREATE_BO, struct drm_rocket_create_bo)
#define DRM_IOCTL_ROCKET_SUBMIT			DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_SUBMIT, struct drm_rocket_submit)
#define DRM_IOCTL_ROCKET_PREP_BO		DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_PREP_BO, struct drm_rocket_prep_bo)
#define DRM_IOCTL_ROCKET_FINI_BO		DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_FINI_BO, struct drm_rocket_fini_bo)
#define DRM_IOCTL_ROCKET_MATMUL			DRM_IOW(DRM_COMMAND_BASE + DRM_ROCKET_MATMUL, \
						struct drm_rocket_matmul)

/**
 * struct drm_rocket_create_bo - ioctl argument for creating Rocket BOs.
 *
 */
struct drm_rocket_create_bo {
	/**
	 * @size: Input: Size of the requested BO.
	 */
	__u32 size;

	/**
	 * @handle: Output: GEM handle for the BO.
	 */
	__u32 handle;

	/**
	 * @dma_address: Output: DMA address for the BO in the NPU address
	 * space.  This address is private to the DRM fd and is valid for
	 * the lifetime of the GEM handle.
	 */
	__u64 dma_address;

	/**
	 * @offset: Output: Offset into the drm node to use for subsequent
	 * mmap call.
	 */
	__u64 offset;
};

/**
 * struct drm_rocket_prep_bo - ioctl argument for starting CPU ownership of the BO.
 *
 * Takes care of waiting for any NPU jobs that might still use the NPU and performs cache
 * synchronization.
 *
 * Returns 0 once the jobs that write the BO are done, -ETIMEDOUT (-EBUSY for
 * a zero timeout) while they are not, and -EIO when a job of the last
 * SUBMIT or MATMUL that wrote the BO failed (it timed out, its core was
 * reset, or it could not be run): the BO then does not hold that job's
 * result. -EIO is returned until a later SUBMIT or MATMUL writes the BO.
 * The caches are synchronized in every case.
 */
struct drm_rocket_prep_bo {
	/**
	 * @handle: Input: GEM handle of the buffer object.
	 */
	__u32 handle;

	/**
	 * @reserved: Reserved, must be zero.
	 */
	__u32 reserved;

	/**
	 * @timeout_ns: Input: Amount of time to wait for NPU jobs.
	 */
	__s64 timeout_ns;
};

/**
 * struct drm_rocket_fini_bo - ioctl argument for finishing CPU ownership of the BO.
 *
 * Synchronize caches for NPU access.
 */
struct drm_rocket_fini_bo {
	/**
	 * @handle: Input: GEM handle of the buffer object.
	 */
	__u32 handle;

	/**
	 * @reserved: Reserved, must be zero.
	 */
	__u32 reserved;
};

/*
 * Limits of SUBMIT. A submit beyond one of them fails with -E2BIG and
 * changes nothing.
 *
 * DRM_ROCKET_MAX_REGCMD_COUNT: the NPU's command fetcher is told the length
 * of a command list in its 16-bit PC_DATA_AMOUNT field, in pairs of 64-bit
 * entries minus one, so a task cannot run more than 131072 entries.
 *
 * DRM_ROCKET_MAX_TASKS_PER_JOB: the tasks of a job run one after the other on
 * one core, one interrupt each, and the whole job must complete within the
 * driver's job timeout (500 ms).
 *
 * DRM_ROCKET_MAX_JOBS_PER_SUBMIT, DRM_ROCKET_MAX_BOS_PER_JOB: the kernel holds
 * a job's description and a reference to each BO it names until the job
 * completes. These bound what one call makes the kernel allocate and keep
 * to a few MiB, far above what a job needs.
 */
#define DRM_ROCKET_MAX_REGCMD_COUNT		131072
#define DRM_ROCKET_MAX_TASKS_PER_JOB		4096
#define DRM_ROCKET_MAX_JOBS_PER_SUBMIT		4096
#define DRM_ROCKET_MAX_BOS_PER_JOB		256

/**
 * struct drm_rocket_task - A task to be run on the NPU
 *
 * A task is the smallest unit of work that can be run on the NPU.
 */
struct drm_rocket_task {
	/**
	 * @regcmd: Input: DMA address to NPU mapping of register command buffer
	 */
	__u32 regcmd;

	/**
	 * @regcmd_count: Input: Number of commands in the register command
	 * buffer, 64-bit entries; 1 to %DRM_ROCKET_MAX_REGCMD_COUNT.
	 */
	__u32 regcmd_count;
};

/**
 * struct drm_rocket_job - A job to be run on the NPU
 *
 * The kernel will schedule the execution of this job taking into account its
 * dependencies with other jobs. All tasks in the same job will be executed
 * sequentially on the same core, to benefit from memory residency in SRAM.
 */
struct drm_rocket_job {
	/**
	 * @tasks: Input: Pointer to an array of struct drm_rocket_task.
	 */
	__u64 tasks;

	/**
	 * @in_bo_handles: Input: Pointer to a u32 array of the BOs that
	 * are read by the job.
	 */
	__u64 in_bo_handles;

	/**
	 * @out_bo_handles: Input: Pointer to a u32 array of the BOs that
	 * are written to by the job.
	 */
	__u64 out_bo_handles;

	/**
	 * @task_count: Input: Number of tasks passed in; 1 to
	 * %DRM_ROCKET_MAX_TASKS_PER_JOB.
	 */
	__u32 task_count;

	/**
	 * @task_struct_size: Input: Size in bytes of the structs in the
	 * @tasks field.
	 */
	__u32 task_struct_size;

	/**
	 * @in_bo_handle_count: Input: Number of input BO handles passed in
	 * (size is that times 4); at most %DRM_ROCKET_MAX_BOS_PER_JOB.
	 */
	__u32 in_bo_handle_count;

	/**
	 * @out_bo_handle_count: Input: Number of output BO handles passed in
	 * (size is that times 4); at most %DRM_ROCKET_MAX_BOS_PER_JOB.
	 */
	__u32 out_bo_handle_count;
};

/**
 * struct drm_rocket_submit - ioctl argument for submitting commands to the NPU.
 *
 * The kernel will schedule the execution of these jobs in dependency order.
 */
struct drm_rocket_submit {
	/**
	 * @jobs: Input: Pointer to an array of struct drm_rocket_job.
	 */
	__u64 jobs;

	/**
	 * @job_count: Input: Number of jobs passed in; at most
	 * %DRM_ROCKET_MAX_JOBS_PER_SUBMIT.
	 */
	__u32 job_count;

	/**
	 * @job_struct_size: Input: Size in bytes of the structs in the
	 * @jobs field.
	 */
	__u32 job_struct_size;

	/**
	 * @reserved: Reserved, must be zero.
	 */
	__u64 reserved;
};

/**
 * enum drm_rocket_matmul_type - element types of a matrix multiply
 * @DRM_ROCKET_MATMUL_INT8_INT32: A and B signed 8-bit integers, C signed
 *	32-bit integers, exact.
 * @DRM_ROCKET_MATMUL_FP16_FP32: A and B IEEE 754 half precision, C single
 *	precision.
 * @DRM_ROCKET_MATMUL_FP16_FP16: A and B half precision, C half precision.
 *
 * Zero is not a type, so that a zeroed descriptor is refused.
 */
enum drm_rocket_matmul_type {
	DRM_ROCKET_MATMUL_INT8_INT32 = 1,
	DRM_ROCKET_MATMUL_FP16_FP32 = 2,
	DRM_ROCKET_MATMUL_FP16_FP16 = 3,
};

/**
 * DRM_ROCKET_MATMUL_CORE_MASK - &drm_rocket_matmul.flags: run only on the
 * NPU cores named by &drm_rocket_matmul.core_mask. Without it the kernel
 * uses every core.
 */
#define DRM_ROCKET_MATMUL_CORE_MASK		(1 << 0)

/**
 * struct drm_rocket_matmul - ioctl argument for a matrix multiply the kernel
 * plans and encodes.
 *
 * Computes C[M,N] = A[M,K] x B[K,N] on the NPU. Unlike
 * &struct drm_rocket_submit, userspace passes no register command lists:
 * the kernel validates the descriptor, splits the product into tasks that
 * fit the NPU's convolution buffer and register fields, spreads them over
 * the NPU cores, writes the command lists itself and runs them, as jobs
 * each predicted to finish well within the driver's job timeout, so that a
 * large product is not taken for a hung one. The call returns once the work
 * is queued. Synchronisation is implicit, as for DRM_IOCTL_ROCKET_SUBMIT:
 * each job waits for the fences on the three BOs and adds its fence to them
 * (A and B read, C written); DRM_IOCTL_ROCKET_PREP_BO on C waits for all of
 * them, and returns -EIO if one of them failed.
 *
 * The matrices are in the NPU's native layouts; the kernel never repacks
 * them. bpe is the size of an input element (1 INT8, 2 FP16), obpe of an
 * output element (4 INT32 and FP32, 2 FP16). All offsets are in bytes from
 * @a_offset, @b_offset and @c_offset:
 *
 * - A, channel-blocked in 16-byte blocks of C2 = 16 / bpe elements:
 *   element (m, k) at ((k / C2) * M * C2 + m * C2 + k % C2) * bpe.
 *   Size M * K * bpe.
 * - B, in kernel groups of G = 32 (INT8) or 16 (FP16) columns and 32-deep
 *   blocks of K: element (k, n) at
 *   (((n / G) * (K / 32) + k / 32) * G * 32 + (n % G) * 32 + k % 32) * bpe.
 *   Size K * N * bpe.
 * - B for K above 8192, in T = ceil(K / 8192) segments of S = 32 *
 *   ceil(K / (32 * T)) rows of B, the last one the remaining K - (T - 1) * S:
 *   segment t, rows t * S.., starts at t * S * N * bpe and is in the layout
 *   above with its own depth in place of K. Size K * N * bpe. For K up to
 *   8192 this is the layout above.
 * - C, in 16-byte output pixels of C2 = 16 / obpe elements: element (m, n)
 *   at ((n / C2) * M * C2 + m * C2 + n % C2) * obpe. Size M * N * obpe.
 *
 * Rules, checked by the kernel (-EINVAL unless stated):
 *
 * - @type one of &enum drm_rocket_matmul_type; @flags only known bits;
 *   @core_mask zero unless DRM_ROCKET_MATMUL_CORE_MASK is set, then
 *   non-zero and naming only cores the device had when the file was
 *   opened; every reserved field 0.
 * - M, K and N non-zero; K a multiple of 32; N a multiple of 32 (INT8) or 16
 *   (FP16); M a multiple of 4, or 1. Pad with zeros to get there.
 * - M and N at most 16777216, K at most 65536 (-E2BIG). K above 8192 is
 *   split in the segments of B and the partial sums added on the NPU: for
 *   DRM_ROCKET_MATMUL_INT8_INT32 only (exact), with M * N at most 2^23
 *   (the partial sums take 8 * M * N bytes of kernel memory); the FP16
 *   types give -E2BIG. C holds partial sums until the product completes.
 *   A product that needs more than 4096 NPU tasks is refused with -E2BIG.
 * - Each matrix lies inside its BO and below 4 GiB of NPU address space;
 *   each starts 16-byte aligned (the NPU reads and writes 16-byte atoms).
 * - C overlaps neither A nor B. A and B may overlap (both are only read).
 *
 * A handle that names no BO gives -ENOENT.
 *
 * Later versions may append fields; the DRM core zero-extends a shorter
 * structure from older userspace, and zero must keep today's meaning.
 */
struct drm_rocket_matmul {
	/** @a_handle: Input: GEM handle of the BO holding A. */
	__u32 a_handle;

	/** @b_handle: Input: GEM handle of the BO holding B. */
	__u32 b_handle;

	/** @c_handle: Input: GEM handle of the BO C is written to. */
	__u32 c_handle;

	/** @type: Input: element types, an &enum drm_rocket_matmul_type. */
	__u32 type;

	/** @a_offset: Input: byte offset of A in its BO. */
	__u64 a_offset;

	/** @b_offset: Input: byte offset of B in its BO. */
	__u64 b_offset;

	/** @c_offset: Input: byte offset of C in its BO. */
	__u64 c_offset;

	/** @m: Input: rows of A and C. */
	__u32 m;

	/** @k: Input: columns of A, rows of B. */
	__u32 k;

	/** @n: Input: columns of B and C. */
	__u32 n;

	/** @flags: Input: DRM_ROCKET_MATMUL_* flags. */
	__u32 flags;

	/**
	 * @core_mask: Input: with DRM_ROCKET_MATMUL_CORE_MASK, bit i allows
	 * NPU core i. Must be zero without the flag.
	 */
	__u32 core_mask;

	/** @pad: Reserved, must be zero. */
	__u32 pad;

	/** @reserved: Reserved, must be zero. */
	__u64 reserved[2];
};

#if defined(__cplusplus)
}
#endif

#endif /* __DRM_UAPI_ROCKET_ACCEL_H__ */
