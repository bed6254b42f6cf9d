/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * Host matrices to and from the NPU-native layouts of DRM_IOCTL_ROCKET_MATMUL.
 *
 * Header-only, plain C99 that also compiles as C++, for userspace that
 * drives the ioctl: fill A and B with rocket_matmul_pack_*(), read C back
 * with rocket_matmul_unpack_c_*(). The layouts are those of the kernel-doc
 * of struct drm_rocket_matmul in <drm/rocket_accel.h>, where bpe is the size
 * of an input element (1 INT8, 2 FP16) and obpe of an output element (4
 * INT32 and FP32, 2 FP16):
 *
 *   A, C2 = 16 / bpe:   (m, k) at ((k / C2) * M * C2 + m * C2 + k % C2) * bpe
 *   B, G = 32 (INT8) or 16 (FP16):
 *     (k, n) at (((n / G) * (K / 32) + k / 32) * G * 32 + (n % G) * 32 + k % 32) * bpe
 *   C, C2 = 16 / obpe:  (m, n) at ((n / C2) * M * C2 + m * C2 + n % C2) * obpe
 *
 * The kernel refuses a product unless K is a multiple of 32, N a multiple
 * of 32 (INT8) or 16 (FP16), and M a multiple of 4 or 1. A caller with other
 * dimensions pads the host matrices with zeros to rocket_matmul_pad_m(),
 * rocket_matmul_pad_k() and rocket_matmul_pad_n() first (zero rows of A and
 * zero columns of B give zero rows and columns of C, which it then ignores);
 * the pack functions expect padded dimensions.
 *
 * Elements are stored little-endian, as the NPU reads and writes them; FP16
 * elements are the raw bits of IEEE 754 half precision values in uint16_t,
 * FP32 results are IEEE 754 single precision. The functions copy elements
 * in host byte order, so they are for little-endian hosts, which is what
 * the NPU's SoCs run.
 *
 * The uAPI header gives the element type values (&enum
 * drm_rocket_matmul_type). It is found as <drm/rocket_accel.h> through the
 * kernel's installed uAPI headers. A project without them defines
 * ROCKET_MATMUL_LAYOUT_NO_UAPI before including this file and passes the
 * type values of the uAPI (1 INT8 -> INT32, 2 FP16 -> FP32, 3 FP16 ->
 * FP16), which are ABI and never change.
 */

#ifndef __ROCKET_MATMUL_LAYOUT_H__
#define __ROCKET_MATMUL_LAYOUT_H__

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef ROCKET_MATMUL_LAYOUT_NO_UAPI
#include <drm/rocket_accel.h>
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
	__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "rocket_matmul_layout.h copies elements in host byte order: little-endian hosts only"
#endif

#if defined(__cplusplus)
extern "C" {
#endif

/* The values of enum drm_rocket_matmul_type, usable without the uAPI header. */
#define ROCKET_MATMUL_LAYOUT_INT8_INT32		1
#define ROCKET_MATMUL_LAYOUT_FP16_FP32		2
#define ROCKET_MATMUL_LAYOUT_FP16_FP16		3

#ifdef DRM_ROCKET_MATMUL
/* A negative array size, so no build, if the uAPI ever disagreed. */
extern char rocket_matmul_layout_types_match[1 - 2 *
	!!((DRM_ROCKET_MATMUL_INT8_INT32 ^ ROCKET_MATMUL_LAYOUT_INT8_INT32) |
	   (DRM_ROCKET_MATMUL_FP16_FP32 ^ ROCKET_MATMUL_LAYOUT_FP16_FP32) |
	   (DRM_ROCKET_MATMUL_FP16_FP16 ^ ROCKET_MATMUL_LAYOUT_FP16_FP16))];
#endif

/* Every layout moves 16-byte atoms; B comes in 32-deep blocks of K. */
#define ROCKET_MATMUL_LAYOUT_ATOM		16u
#define ROCKET_MATMUL_LAYOUT_K_BLOCK		32u

/* Bytes of an input element of @type, 0 if @type is unknown. */
static inline size_t rocket_matmul_layout_in_bytes(uint32_t type)
{
	switch (type) {
	case ROCKET_MATMUL_LAYOUT_INT8_INT32:
		return 1;
	case ROCKET_MATMUL_LAYOUT_FP16_FP32:
	case ROCKET_MATMUL_LAYOUT_FP16_FP16:
		return 2;
	default:
		return 0;
	}
}

/* Bytes of an output element of @type, 0 if @type is unknown. */
static inline size_t rocket_matmul_layout_out_bytes(uint32_t type)
{
	switch (type) {
	case ROCKET_MATMUL_LAYOUT_INT8_INT32:
	case ROCKET_MATMUL_LAYOUT_FP16_FP32:
		return 4;
	case ROCKET_MATMUL_LAYOUT_FP16_FP16:
		return 2;
	default:
		return 0;
	}
}

/* @rows * @cols * @bytes, or 0 if it overflows size_t (or @bytes is 0). */
static inline size_t rocket_matmul_layout_bytes(uint32_t rows, uint32_t cols, size_t bytes)
{
	size_t elems;

	if (!bytes)
		return 0;
	if (cols && rows > SIZE_MAX / cols)
		return 0;
	elems = (size_t)rows * cols;
	if (elems > SIZE_MAX / bytes)
		return 0;
	return elems * bytes;
}

/* Round @v up to a multiple of @unit (a power of two); 0 if that overflows. */
static inline uint32_t rocket_matmul_layout_round_up(uint32_t v, uint32_t unit)
{
	if (v > UINT32_MAX - (unit - 1))
		return 0;
	return (v + unit - 1) & ~(unit - 1);
}

/*
 * Bytes of A (M x K), B (K x N) and C (M x N) of a product of these
 * dimensions and @type: what the kernel requires of the operand's BO past
 * its offset. 0 if @type is unknown or the size overflows size_t.
 */
static inline size_t rocket_matmul_a_size(uint32_t m, uint32_t k, uint32_t type)
{
	return rocket_matmul_layout_bytes(m, k, rocket_matmul_layout_in_bytes(type));
}

static inline size_t rocket_matmul_b_size(uint32_t k, uint32_t n, uint32_t type)
{
	return rocket_matmul_layout_bytes(k, n, rocket_matmul_layout_in_bytes(type));
}

static inline size_t rocket_matmul_c_size(uint32_t m, uint32_t n, uint32_t type)
{
	return rocket_matmul_layout_bytes(m, n, rocket_matmul_layout_out_bytes(type));
}

/*
 * Dimensions padded to what the kernel accepts: M to a multiple of 4 unless
 * it is 1 (a single row is a case of its own, not padded to 4), K to a
 * multiple of 32, N to a multiple of 32 (INT8) or 16 (FP16). 0 stays 0; 0
 * also if the result does not fit in 32 bits, or for an unknown @type.
 * The padded dimensions may still be above the kernel's limits (K 65536,
 * 8192 for the FP16 types).
 */
static inline uint32_t rocket_matmul_pad_m(uint32_t m)
{
	return m == 1 ? 1 : rocket_matmul_layout_round_up(m, 4);
}

static inline uint32_t rocket_matmul_pad_k(uint32_t k)
{
	return rocket_matmul_layout_round_up(k, ROCKET_MATMUL_LAYOUT_K_BLOCK);
}

static inline uint32_t rocket_matmul_pad_n(uint32_t n, uint32_t type)
{
	switch (type) {
	case ROCKET_MATMUL_LAYOUT_INT8_INT32:
		return rocket_matmul_layout_round_up(n, 32);
	case ROCKET_MATMUL_LAYOUT_FP16_FP32:
	case ROCKET_MATMUL_LAYOUT_FP16_FP16:
		return rocket_matmul_layout_round_up(n, 16);
	default:
		return 0;
	}
}

/*
 * A: surfaces of C2 = 16 / bpe channels (columns of A), each holding one
 * 16-byte atom per row. Written in order, surface by surface and row by
 * row: each atom is the next 16 bytes of one host row, so the copy is 16
 * bytes at a time and needs no division. K must be a multiple of C2 (it
 * is, being a multiple of 32).
 */
static inline void rocket_matmul_layout_pack_a(uint8_t *dst, const uint8_t *a, uint32_t m,
					       uint32_t k, size_t bpe)
{
	const size_t row = (size_t)k * bpe;
	size_t col, r;

	for (col = 0; col < row; col += ROCKET_MATMUL_LAYOUT_ATOM) {
		const uint8_t *src = a + col;

		for (r = 0; r < m; r++) {
			memcpy(dst, src, ROCKET_MATMUL_LAYOUT_ATOM);
			dst += ROCKET_MATMUL_LAYOUT_ATOM;
			src += row;
		}
	}
}

/* Row-major A[m][k] (m x k int8) to the NPU layout; dst holds rocket_matmul_a_size(). */
static inline void rocket_matmul_pack_a_int8(void *dst, const int8_t *a, uint32_t m, uint32_t k)
{
	rocket_matmul_layout_pack_a((uint8_t *)dst, (const uint8_t *)a, m, k, 1);
}

/* Row-major A[m][k] of FP16 bits to the NPU layout; dst holds rocket_matmul_a_size(). */
static inline void rocket_matmul_pack_a_fp16(void *dst, const uint16_t *a, uint32_t m,
					     uint32_t k)
{
	rocket_matmul_layout_pack_a((uint8_t *)dst, (const uint8_t *)a, m, k, 2);
}

/*
 * B: kernel groups of G columns, each a run of 32-deep blocks of K, each
 * block G kernels of 32 elements: a G x 32 tile that is the transpose of
 * the 32 x G tile of the row-major host B at (k0, n0). Tiles are written in
 * order and each one row by row, so dst is written sequentially; the reads
 * of a tile touch 32 host rows of G elements (32 bytes each), which stay in
 * cache while the tile is written.
 */
static inline void rocket_matmul_layout_pack_b_int8(void *dst, const int8_t *b, uint32_t k,
						    uint32_t n)
{
	const uint32_t group = 32;
	int8_t *d = (int8_t *)dst;
	uint32_t n0, k0, j, i;

	for (n0 = 0; n0 < n; n0 += group) {
		for (k0 = 0; k0 < k; k0 += ROCKET_MATMUL_LAYOUT_K_BLOCK) {
			const int8_t *tile = b + (size_t)k0 * n + n0;

			for (j = 0; j < group; j++) {
				const int8_t *s = tile + j;

				for (i = 0; i < ROCKET_MATMUL_LAYOUT_K_BLOCK; i++, s += n)
					*d++ = *s;
			}
		}
	}
}

static inline void rocket_matmul_layout_pack_b_fp16(void *dst, const uint16_t *b, uint32_t k,
						    uint32_t n)
{
	const uint32_t group = 16;
	uint8_t *d = (uint8_t *)dst;
	uint32_t n0, k0, j, i;

	for (n0 = 0; n0 < n; n0 += group) {
		for (k0 = 0; k0 < k; k0 += ROCKET_MATMUL_LAYOUT_K_BLOCK) {
			const uint16_t *tile = b + (size_t)k0 * n + n0;

			for (j = 0; j < group; j++) {
				const uint16_t *s = tile + j;

				/* memcpy: dst need not be 2-byte aligned */
				for (i = 0; i < ROCKET_MATMUL_LAYOUT_K_BLOCK; i++, s += n) {
					memcpy(d, s, 2);
					d += 2;
				}
			}
		}
	}
}

/*
 * Rows of B in each segment of a K above 8192 but the last (which holds the
 * rest): T = ceil(K / 8192) segments of 32 * ceil(K / (32 * T)). @k itself
 * for K up to 8192 (one segment) and for 0.
 */
static inline uint32_t rocket_matmul_b_segment_k(uint32_t k)
{
	uint32_t t = k / 8192 + (k % 8192 != 0);

	if (t <= 1)
		return k;
	return ((k - 1) / (32 * t) + 1) * 32;
}

/*
 * Row-major B[k][n] to the NPU layout, segment by segment for K above 8192:
 * segment t (rows t * S.. of the host matrix, contiguous) at t * S * n
 * elements, in the layout of its own depth. dst holds rocket_matmul_b_size().
 */
static inline void rocket_matmul_pack_b_int8(void *dst, const int8_t *b, uint32_t k,
					     uint32_t n)
{
	uint32_t seg = rocket_matmul_b_segment_k(k), k0;

	for (k0 = 0; k0 < k; k0 += seg)
		rocket_matmul_layout_pack_b_int8((int8_t *)dst + (size_t)k0 * n,
						 b + (size_t)k0 * n,
						 k - k0 < seg ? k - k0 : seg, n);
}

static inline void rocket_matmul_pack_b_fp16(void *dst, const uint16_t *b, uint32_t k,
					     uint32_t n)
{
	uint32_t seg = rocket_matmul_b_segment_k(k), k0;

	for (k0 = 0; k0 < k; k0 += seg)
		rocket_matmul_layout_pack_b_fp16((uint8_t *)dst + (size_t)k0 * n * 2,
						 b + (size_t)k0 * n,
						 k - k0 < seg ? k - k0 : seg, n);
}

/*
 * C: surfaces of C2 = 16 / obpe columns, one 16-byte atom per row. Read
 * four rows at a time, so that each 64-byte line of a surface is read
 * once, and written to those four host rows in order, 16 bytes at a time;
 * one row at a time would read the surfaces with a stride of M * 16 bytes,
 * often a power of two that thrashes the cache. N must be a multiple of C2
 * (it is, being a multiple of 16).
 */
static inline void rocket_matmul_layout_unpack_c(uint8_t *c, const uint8_t *src, uint32_t m,
						 uint32_t n, size_t obpe)
{
	const size_t row = (size_t)n * obpe;
	const size_t surface = (size_t)m * ROCKET_MATMUL_LAYOUT_ATOM;
	size_t r0, rows, r, col;

	for (r0 = 0; r0 < m; r0 += rows) {
		const uint8_t *s = src + r0 * ROCKET_MATMUL_LAYOUT_ATOM;
		uint8_t *d = c + r0 * row;

		rows = m - r0 < 4 ? m - r0 : 4;
		for (col = 0; col < row; col += ROCKET_MATMUL_LAYOUT_ATOM) {
			for (r = 0; r < rows; r++)
				memcpy(d + r * row + col, s + r * ROCKET_MATMUL_LAYOUT_ATOM,
				       ROCKET_MATMUL_LAYOUT_ATOM);
			s += surface;
		}
	}
}

/* C of DRM_ROCKET_MATMUL_INT8_INT32 to row-major c[m][n]. */
static inline void rocket_matmul_unpack_c_int32(int32_t *c, const void *src, uint32_t m,
						uint32_t n)
{
	rocket_matmul_layout_unpack_c((uint8_t *)c, (const uint8_t *)src, m, n, 4);
}

/* C of DRM_ROCKET_MATMUL_FP16_FP32 to row-major c[m][n]. */
static inline void rocket_matmul_unpack_c_fp32(float *c, const void *src, uint32_t m,
					       uint32_t n)
{
	rocket_matmul_layout_unpack_c((uint8_t *)c, (const uint8_t *)src, m, n, 4);
}

/* C of DRM_ROCKET_MATMUL_FP16_FP16 to row-major c[m][n] of FP16 bits. */
static inline void rocket_matmul_unpack_c_fp16(uint16_t *c, const void *src, uint32_t m,
					       uint32_t n)
{
	rocket_matmul_layout_unpack_c((uint8_t *)c, (const uint8_t *)src, m, n, 2);
}

#if defined(__cplusplus)
}
#endif

#endif /* __ROCKET_MATMUL_LAYOUT_H__ */
