// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * The layout helper as its users build it: this file is compiled as strict
 * C99 (with the uAPI header and, with ROCKET_MATMUL_LAYOUT_NO_UAPI, without
 * it) and as C++, with nothing but the helper and the C library. It runs a
 * small INT8 product through the NPU layouts: the helper packs A and B, a
 * loop that reads them and writes C only through the uAPI formulas stands
 * in for the NPU, and the helper unpacks C; the result must equal the
 * row-major product. FP16 packing and FP32/FP16 unpacking are checked
 * element by element against the same formulas.
 */

#include <stdio.h>
#include <stdlib.h>

#include "rocket_matmul_layout.h"

#ifdef __cplusplus
#define LANG "cxx"
#elif defined(ROCKET_MATMUL_LAYOUT_NO_UAPI)
#define LANG "c99_no_uapi"
#else
#define LANG "c99"
#endif

#define M	12
#define K	64
#define N	96

static size_t a_at(size_t bpe, size_t m, size_t k)
{
	size_t c2 = 16 / bpe;

	return ((k / c2) * M * c2 + m * c2 + k % c2) * bpe;
}

static size_t b_at(size_t bpe, size_t k, size_t n)
{
	size_t g = bpe == 1 ? 32 : 16;

	return (((n / g) * (K / 32) + k / 32) * g * 32 + (n % g) * 32 + k % 32) * bpe;
}

static size_t c_at(size_t obpe, size_t m, size_t n)
{
	size_t c2 = 16 / obpe;

	return ((n / c2) * M * c2 + m * c2 + n % c2) * obpe;
}

static int8_t a8[M * K], b8[K * N], pa8[M * K], pb8[K * N];
static uint16_t a16[M * K], b16[K * N], pa16[M * K], pb16[K * N];
static int32_t npu_c[M * N], c32[M * N];
static float f32[M * N];
static uint16_t f16[M * N], npu_c16[M * N];

int main(void)
{
	const char *why = NULL;
	size_t i, j, kk;

	if (rocket_matmul_a_size(M, K, ROCKET_MATMUL_LAYOUT_INT8_INT32) != sizeof(pa8) ||
	    rocket_matmul_b_size(K, N, ROCKET_MATMUL_LAYOUT_FP16_FP32) != sizeof(pb16) ||
	    rocket_matmul_c_size(M, N, ROCKET_MATMUL_LAYOUT_FP16_FP16) != sizeof(f16) ||
	    rocket_matmul_pad_n(N - 1, ROCKET_MATMUL_LAYOUT_INT8_INT32) != N)
		why = "sizes";

	for (i = 0; i < M * K; i++) {
		a8[i] = (int8_t)(i * 37 + 5);
		a16[i] = (uint16_t)(i * 40503u);
	}
	for (i = 0; i < K * N; i++) {
		b8[i] = (int8_t)(i * 101 + 7);
		b16[i] = (uint16_t)(i * 2654435761u >> 8);
	}
	rocket_matmul_pack_a_int8(pa8, a8, M, K);
	rocket_matmul_pack_b_int8(pb8, b8, K, N);
	rocket_matmul_pack_a_fp16(pa16, a16, M, K);
	rocket_matmul_pack_b_fp16(pb16, b16, K, N);

	/* the stand-in NPU: native layouts in, native layout out */
	for (i = 0; i < M; i++)
		for (j = 0; j < N; j++) {
			int32_t sum = 0;

			for (kk = 0; kk < K; kk++)
				sum += pa8[a_at(1, i, kk)] * pb8[b_at(1, kk, j)];
			npu_c[c_at(4, i, j) / 4] = sum;
			npu_c16[c_at(2, i, j) / 2] = (uint16_t)(i * N + j);
		}
	rocket_matmul_unpack_c_int32(c32, npu_c, M, N);
	rocket_matmul_unpack_c_fp32(f32, npu_c, M, N);
	rocket_matmul_unpack_c_fp16(f16, npu_c16, M, N);

	for (i = 0; i < M && !why; i++)
		for (j = 0; j < N && !why; j++) {
			int32_t want = 0;

			for (kk = 0; kk < K; kk++)
				want += a8[i * K + kk] * b8[kk * N + j];
			if (c32[i * N + j] != want)
				why = "INT8 product through the layouts";
			else if (memcmp(&f32[i * N + j], &c32[i * N + j], 4))
				why = "unpack_c_fp32";
			else if ((size_t)f16[i * N + j] != i * N + j)
				why = "unpack_c_fp16";
		}
	for (i = 0; i < M && !why; i++)
		for (kk = 0; kk < K && !why; kk++)
			if (pa16[a_at(2, i, kk) / 2] != a16[i * K + kk])
				why = "pack_a_fp16";
	for (kk = 0; kk < K && !why; kk++)
		for (j = 0; j < N && !why; j++)
			if (pb16[b_at(2, kk, j) / 2] != b16[kk * N + j])
				why = "pack_b_fp16";

	if (why)
		printf("FAIL layout_helper_" LANG ": %s\n", why);
	else
		printf("PASS layout_helper_" LANG " (%dx%dx%d INT8 through the layouts)\n", M, K, N);
	return why ? 1 : 0;
}
