// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host tests of the userspace layout helper
 * (tools/testing/selftests/rocket/rocket_matmul_layout.h) against the kernel's
 * matmul code (drivers/accel/rocket/rocket_matmul.c) and the NPU model:
 *
 * - sizes: the helper's byte counts are exactly what rocket_matmul_validate()
 *   requires of each BO (one byte less is refused), and its padded
 *   dimensions are the smallest the validation accepts;
 * - layouts: every element packed or unpacked by the helper is where the
 *   formulas of the uAPI kernel-doc put it (mm_host.h implements them
 *   independently, for the matmul tests);
 * - end to end: host matrices padded and packed by the helper, planned and
 *   encoded by the kernel, run on the software NPU cores, C unpacked by the
 *   helper and compared bit for bit with a CPU reference.
 *
 * One line per test, "PASS name" or "FAIL name: why", then "N passed, N failed".
 */

#include <time.h>

#include "mm_host.h"
#include "rocket_matmul_layout.h"

static void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

/* ---------------------------------------------------------------------- */
/* Sizes and padding against rocket_matmul_validate()                       */

/*
 * Validate an (m, k, n) product whose BOs are the helper's sizes, less
 * @short_by bytes for the operand @which ('a', 'b', 'c'; 0 for none). The
 * BOs lie one after the other from 16 MiB, page aligned.
 */
static int validate_sized(uint32_t type, uint32_t m, uint32_t k, uint32_t n, char which,
			  uint64_t short_by, const char **reason)
{
	struct drm_rocket_matmul args = {
		.a_handle = 1, .b_handle = 2, .c_handle = 3,
		.type = type, .m = m, .k = k, .n = n,
	};
	uint64_t a = rocket_matmul_a_size(m, k, type), b = rocket_matmul_b_size(k, n, type);
	uint64_t c = rocket_matmul_c_size(m, n, type);
	struct rocket_matmul_bos bos = {
		.a = { .size = a - (which == 'a' ? short_by : 0), .npu_addr = 1u << 24 },
	};
	struct rocket_matmul_shape shape;

	bos.b.npu_addr = bos.a.npu_addr + ((a + 4095) & ~4095ull);
	bos.b.size = b - (which == 'b' ? short_by : 0);
	bos.c.npu_addr = bos.b.npu_addr + ((b + 4095) & ~4095ull);
	bos.c.size = c - (which == 'c' ? short_by : 0);
	return rocket_matmul_validate(&args, &bos, 3, &shape, reason);
}

static const char *size_case(uint32_t type, uint32_t m, uint32_t k, uint32_t n)
{
	static const char *const fits[] = {
		"A does not fit its BO", "B does not fit its BO", "C does not fit its BO",
	};
	uint32_t bpe = rocket_matmul_in_bytes(type), obpe = rocket_matmul_out_bytes(type);
	const char *reason;
	int err, i;

	/* the formulas of the uAPI kernel-doc, in 64 bits */
	if (rocket_matmul_a_size(m, k, type) != (uint64_t)m * k * bpe ||
	    rocket_matmul_b_size(k, n, type) != (uint64_t)k * n * bpe ||
	    rocket_matmul_c_size(m, n, type) != (uint64_t)m * n * obpe)
		return pc_fail("sizes %zu %zu %zu, want M*K*bpe, K*N*bpe, M*N*obpe",
			       rocket_matmul_a_size(m, k, type), rocket_matmul_b_size(k, n, type),
			       rocket_matmul_c_size(m, n, type));
	err = validate_sized(type, m, k, n, 0, 0, &reason);
	if (err)
		return pc_fail("exact sizes refused: %d (%s)", err, reason);
	for (i = 0; i < 3; i++) {
		err = validate_sized(type, m, k, n, (char)('a' + i), 1, &reason);
		if (err != -EINVAL || strcmp(reason, fits[i]))
			return pc_fail("%c one byte short: %d (%s), want \"%s\"", 'A' + i, err,
				       reason, fits[i]);
	}
	return NULL;
}

static void size_tests(void)
{
	/* M = 1, small, one task's worth, above a task, the limits of K */
	static const uint32_t ms[] = { 1, 4, 12, 1020, 1024, 4100 };
	static const uint32_t ks[] = { 32, 96, 1536, 8192 };
	static const uint32_t ns[] = { 32, 96, 8960 };
	unsigned int ti, mi, ki, ni, cases = 0;
	const char *why = NULL;
	char name[96];

	for (ti = 0; ti < 3; ti++) {
		for (mi = 0; mi < 6; mi++)
			for (ki = 0; ki < 4; ki++)
				for (ni = 0; ni < 3 && !why; ni++, cases++)
					why = size_case(mm_types[ti], ms[mi], ks[ki], ns[ni]);
		/* FP16 allows N in 16s */
		if (!why && mm_types[ti] != DRM_ROCKET_MATMUL_INT8_INT32) {
			why = size_case(mm_types[ti], 4, 32, 16);
			cases++;
		}
		snprintf(name, sizeof(name), "sizes_match_validate_%s (%u shapes)",
			 mm_type_name(mm_types[ti]), cases);
		report(name, why);
		why = NULL;
		cases = 0;
	}

	why = NULL;
	if (rocket_matmul_a_size(4, 32, 0) || rocket_matmul_b_size(32, 32, 4) ||
	    rocket_matmul_c_size(4, 32, UINT32_MAX))
		why = "a size for an unknown type";
	else if (rocket_matmul_a_size(0, 32, 1) || rocket_matmul_c_size(4, 0, 3))
		why = "a size for a zero dimension";
	else if (SIZE_MAX == UINT64_MAX &&
		 (rocket_matmul_c_size(UINT32_MAX, UINT32_MAX, 1) ||
		  rocket_matmul_a_size(UINT32_MAX, UINT32_MAX, 2) ||
		  rocket_matmul_b_size(UINT32_MAX, UINT32_MAX, 1) != (size_t)UINT32_MAX * UINT32_MAX))
		why = "64-bit overflow not reported, or reported where there is none";
	else if (SIZE_MAX == UINT32_MAX && rocket_matmul_a_size(65536, 65536, 1))
		why = "32-bit overflow not reported";
	report("sizes_unknown_type_zero_overflow", why);
}

/* -EINVAL for the dimension rules, 0 when accepted. */
static int dims_ok(uint32_t type, uint32_t m, uint32_t k, uint32_t n)
{
	const char *reason;

	return validate_sized(type, m, k, n, 0, 0, &reason);
}

/*
 * For every dimension from 1 to 300 (and about the limits), the padded
 * dimension is accepted and every value from the dimension up to it is
 * refused: the padding is the least the kernel needs.
 */
static void pad_tests(void)
{
	unsigned int ti;
	uint32_t v, x, p;
	const char *why;
	char name[96];

	for (ti = 0; ti < 3; ti++) {
		uint32_t t = mm_types[ti], group = rocket_matmul_kernel_group(t);

		why = NULL;
		for (v = 1; v <= 300 && !why; v++) {
			p = rocket_matmul_pad_m(v);
			if (dims_ok(t, p, 32, group))
				why = pc_fail("pad_m(%u) = %u refused", v, p);
			for (x = v; x < p && !why; x++)
				if (!dims_ok(t, x, 32, group))
					why = pc_fail("pad_m(%u) = %u, but %u is accepted", v, p, x);
			p = rocket_matmul_pad_k(v);
			if (!why && dims_ok(t, 4, p, group))
				why = pc_fail("pad_k(%u) = %u refused", v, p);
			for (x = v; x < p && !why; x++)
				if (!dims_ok(t, 4, x, group))
					why = pc_fail("pad_k(%u) = %u, but %u is accepted", v, p, x);
			p = rocket_matmul_pad_n(v, t);
			if (!why && dims_ok(t, 4, 32, p))
				why = pc_fail("pad_n(%u) = %u refused", v, p);
			for (x = v; x < p && !why; x++)
				if (!dims_ok(t, 4, 32, x))
					why = pc_fail("pad_n(%u) = %u, but %u is accepted", v, p, x);
		}
		/* the largest K the kernel takes is its own padding */
		if (!why && (rocket_matmul_pad_k(8192) != 8192 || rocket_matmul_pad_k(8161) != 8192 ||
			     dims_ok(t, 4, rocket_matmul_pad_k(8161), group)))
			why = "K 8161 does not pad to an accepted 8192";
		snprintf(name, sizeof(name), "pad_least_accepted_%s (M, K, N 1..300)", mm_type_name(t));
		report(name, why);
	}

	why = NULL;
	if (rocket_matmul_pad_m(0) || rocket_matmul_pad_k(0) || rocket_matmul_pad_n(0, 1))
		why = "0 not padded to 0";
	else if (rocket_matmul_pad_m(1) != 1 || rocket_matmul_pad_m(2) != 4 ||
		 rocket_matmul_pad_m(5) != 8)
		why = "M 1, 2, 5 not padded to 1, 4, 8";
	else if (rocket_matmul_pad_n(17, 1) != 32 || rocket_matmul_pad_n(17, 2) != 32 ||
		 rocket_matmul_pad_n(15, 3) != 16)
		why = "N 17 (INT8, FP16), 15 (FP16) not padded to 32, 32, 16";
	else if (rocket_matmul_pad_n(16, 0) || rocket_matmul_pad_n(16, 4))
		why = "an unknown type padded";
	else if (rocket_matmul_pad_m(UINT32_MAX) || rocket_matmul_pad_k(UINT32_MAX - 30) ||
		 rocket_matmul_pad_n(UINT32_MAX - 14, 2) ||
		 rocket_matmul_pad_k(UINT32_MAX - 31) != UINT32_MAX - 31)
		why = "padding past 32 bits not reported as 0";
	report("pad_zero_one_unknown_overflow", why);
}

/* ---------------------------------------------------------------------- */
/* Layouts against the uAPI formulas                                        */

static void fill_random(void *p, size_t size)
{
	uint8_t *b = (uint8_t *)p;
	size_t i;

	for (i = 0; i < size; i++)
		b[i] = (uint8_t)rnd();
}

/*
 * Pack an @m x @k A and a @k x @n B of @type, and check that each host
 * element is at the formula's offset. Every offset is reached once (the
 * formulas are one-to-one onto [0, size)), so every byte of dst is written;
 * dst is allocated with exactly the helper's size, so ASan sees a write past
 * it.
 */
static const char *pack_case(uint32_t type, uint32_t m, uint32_t k, uint32_t n)
{
	uint32_t bpe = rocket_matmul_in_bytes(type), group = rocket_matmul_kernel_group(type);
	size_t asz = rocket_matmul_a_size(m, k, type), bsz = rocket_matmul_b_size(k, n, type);
	uint8_t *a = (uint8_t *)xmalloc(asz), *b = (uint8_t *)xmalloc(bsz);
	uint8_t *pa = (uint8_t *)xmalloc(asz), *pb = (uint8_t *)xmalloc(bsz);
	uint8_t *seen = (uint8_t *)xmalloc(asz > bsz ? asz : bsz);
	const char *why = NULL;
	uint32_t i, j;

	fill_random(a, asz);
	fill_random(b, bsz);
	memset(pa, 0xa5, asz);
	memset(pb, 0xa5, bsz);
	if (type == DRM_ROCKET_MATMUL_INT8_INT32) {
		rocket_matmul_pack_a_int8(pa, (const int8_t *)a, m, k);
		rocket_matmul_pack_b_int8(pb, (const int8_t *)b, k, n);
	} else {
		rocket_matmul_pack_a_fp16(pa, (const uint16_t *)(const void *)a, m, k);
		rocket_matmul_pack_b_fp16(pb, (const uint16_t *)(const void *)b, k, n);
	}

	memset(seen, 0, asz);
	for (i = 0; i < m && !why; i++)
		for (j = 0; j < k && !why; j++) {
			uint64_t at = a_index(bpe, m, i, j);

			if (at + bpe > asz || seen[at]++)
				why = pc_fail("A(%u, %u) at %llu: twice or outside", i, j,
					      (unsigned long long)at);
			else if (memcmp(pa + at, a + ((size_t)i * k + j) * bpe, bpe))
				why = pc_fail("A(%u, %u) not at %llu", i, j,
					      (unsigned long long)at);
		}
	memset(seen, 0, bsz);
	for (i = 0; i < k && !why; i++)
		for (j = 0; j < n && !why; j++) {
			uint64_t at = b_index(bpe, group, k, i, j);

			if (at + bpe > bsz || seen[at]++)
				why = pc_fail("B(%u, %u) at %llu: twice or outside", i, j,
					      (unsigned long long)at);
			else if (memcmp(pb + at, b + ((size_t)i * n + j) * bpe, bpe))
				why = pc_fail("B(%u, %u) not at %llu", i, j,
					      (unsigned long long)at);
		}
	free(a);
	free(b);
	free(pa);
	free(pb);
	free(seen);
	return why;
}

/* Unpack a random C and check each host element against the formula. */
static const char *unpack_case(uint32_t type, uint32_t m, uint32_t n)
{
	uint32_t obpe = rocket_matmul_out_bytes(type);
	size_t csz = rocket_matmul_c_size(m, n, type);
	uint8_t *src = (uint8_t *)xmalloc(csz), *c = (uint8_t *)xmalloc(csz);
	const char *why = NULL;
	uint32_t i, j;

	fill_random(src, csz);
	memset(c, 0xa5, csz);
	if (type == DRM_ROCKET_MATMUL_INT8_INT32)
		rocket_matmul_unpack_c_int32((int32_t *)(void *)c, src, m, n);
	else if (type == DRM_ROCKET_MATMUL_FP16_FP32)
		rocket_matmul_unpack_c_fp32((float *)(void *)c, src, m, n);
	else
		rocket_matmul_unpack_c_fp16((uint16_t *)(void *)c, src, m, n);
	for (i = 0; i < m && !why; i++)
		for (j = 0; j < n && !why; j++)
			if (memcmp(c + ((size_t)i * n + j) * obpe,
				   src + c_index(obpe, m, i, j), obpe))
				why = pc_fail("C(%u, %u) not from %llu", i, j,
					      (unsigned long long)c_index(obpe, m, i, j));
	free(src);
	free(c);
	return why;
}

static void layout_tests(void)
{
	static const uint32_t shapes[][3] = {
		{ 1, 32, 32 }, { 4, 32, 32 }, { 1, 96, 64 }, { 8, 64, 96 },
		{ 12, 160, 48 * 2 }, { 100, 256, 160 }, { 1020, 32, 32 }, { 4, 1536, 32 },
	};
	unsigned int ti, si;
	char name[96];

	for (ti = 0; ti < 3; ti++) {
		uint32_t t = mm_types[ti];

		for (si = 0; si < sizeof(shapes) / sizeof(shapes[0]); si++) {
			uint32_t m = shapes[si][0], k = shapes[si][1], n = shapes[si][2];

			if (t != DRM_ROCKET_MATMUL_FP16_FP16) {
				snprintf(name, sizeof(name), "pack_ab_%s_%ux%ux%u",
					 t == DRM_ROCKET_MATMUL_INT8_INT32 ? "int8" : "fp16", m, k, n);
				report(name, pack_case(t, m, k, n));
			}
			snprintf(name, sizeof(name), "unpack_c_%s_%ux%u", t ==
				 DRM_ROCKET_MATMUL_INT8_INT32 ? "int32" : t ==
				 DRM_ROCKET_MATMUL_FP16_FP32 ? "fp32" : "fp16", m, n);
			report(name, unpack_case(t, m, n));
		}
	}
	/* FP16 B in groups of 16 kernels: an N that is not a multiple of 32 */
	report("pack_ab_fp16_4x64x48", pack_case(DRM_ROCKET_MATMUL_FP16_FP32, 4, 64, 48));
	report("unpack_c_fp16_4x48", unpack_case(DRM_ROCKET_MATMUL_FP16_FP16, 4, 48));
}

/* ---------------------------------------------------------------------- */
/* End to end on the software NPU                                           */

/* What the plans of the end-to-end cases covered, per type. */
struct coverage {
	bool m1;		/* M = 1 */
	bool ragged;		/* a job whose rows are not a multiple of its task rows */
	bool cores;		/* N split over more than one core */
};

static struct coverage covered[4];

static void note_plan(uint32_t type, const struct rocket_matmul_plan *p)
{
	struct coverage *cv = &covered[type];
	uint32_t j;

	if (p->shape.m == 1)
		cv->m1 = true;
	for (j = 0; j < p->job_count; j++) {
		if (p->jobs[j].m % p->jobs[j].task_m)
			cv->ragged = true;
		if (p->jobs[j].n0 != p->jobs[0].n0)
			cv->cores = true;
	}
}

/*
 * C = A x B for host matrices of @hm x @hk and @hk x @hn: padded with zeros
 * to what the kernel takes, packed by the helper, validated, planned and
 * encoded by the kernel, run on three model cores, unpacked by the helper,
 * and compared with the reference bit for bit, the padding (zero) included.
 */
static const char *e2e_case(uint32_t type, uint32_t hm, uint32_t hk, uint32_t hn,
			    char *plan_desc, size_t desc_size)
{
	uint32_t m = rocket_matmul_pad_m(hm), k = rocket_matmul_pad_k(hk);
	uint32_t n = rocket_matmul_pad_n(hn, type);
	size_t asz = rocket_matmul_a_size(m, k, type), bsz = rocket_matmul_b_size(k, n, type);
	size_t csz = rocket_matmul_c_size(m, n, type);
	bool int8 = type == DRM_ROCKET_MATMUL_INT8_INT32;
	size_t esz = int8 ? 1 : 2, osz = rocket_matmul_out_bytes(type);
	uint8_t *a = (uint8_t *)xmalloc((size_t)m * k * esz);
	uint8_t *b = (uint8_t *)xmalloc((size_t)k * n * esz);
	uint8_t *c = (uint8_t *)xmalloc((size_t)m * n * osz);
	struct drm_rocket_matmul args = {
		.a_handle = 1, .b_handle = 2, .c_handle = 3,
		.type = type, .m = m, .k = k, .n = n,
	};
	struct rocket_matmul_bos bos;
	const char *why = NULL, *reason;
	struct mm_case t;
	uint32_t i, j, kk;
	int err;

	/* host matrices, row-major, zero outside hm x hk and hk x hn */
	memset(a, 0, (size_t)m * k * esz);
	memset(b, 0, (size_t)k * n * esz);
	for (i = 0; i < hm; i++)
		for (j = 0; j < hk; j++) {
			uint16_t h = int8 ? (uint16_t)(uint8_t)rnd() : rnd_half();

			memcpy(a + ((size_t)i * k + j) * esz, &h, esz);
		}
	for (i = 0; i < hk; i++)
		for (j = 0; j < hn; j++) {
			uint16_t h = int8 ? (uint16_t)(uint8_t)rnd() : rnd_half();

			memcpy(b + ((size_t)i * n + j) * esz, &h, esz);
		}

	memset(&t, 0, sizeof(t));
	npu_reset();
	t.a = npu_bo((uint32_t)asz, BO_READ);
	t.b = npu_bo((uint32_t)bsz, BO_READ);
	t.c = npu_bo((uint32_t)csz, BO_WRITE);
	memset(t.c->data, 0xa5, csz);	/* unwritten elements show */
	if (int8) {
		rocket_matmul_pack_a_int8(t.a->data, (const int8_t *)a, m, k);
		rocket_matmul_pack_b_int8(t.b->data, (const int8_t *)b, k, n);
	} else {
		rocket_matmul_pack_a_fp16(t.a->data, (const uint16_t *)(const void *)a, m, k);
		rocket_matmul_pack_b_fp16(t.b->data, (const uint16_t *)(const void *)b, k, n);
	}

	bos.a = (struct rocket_matmul_bo){ .size = asz, .npu_addr = t.a->addr };
	bos.b = (struct rocket_matmul_bo){ .size = bsz, .npu_addr = t.b->addr };
	bos.c = (struct rocket_matmul_bo){ .size = csz, .npu_addr = t.c->addr };
	err = rocket_matmul_validate(&args, &bos, ROCKET_MATMUL_MAX_JOBS, &t.shape, &reason);
	if (err) {
		why = pc_fail("validate: %d (%s)", err, reason);
		goto out;
	}
	err = rocket_matmul_plan(&t.shape, &t.plan, &reason);
	if (err) {
		why = pc_fail("plan: %d (%s)", err, reason);
		goto out;
	}
	snprintf(plan_desc, desc_size, "%u jobs, %u tasks", t.plan.job_count, t.plan.task_count);
	note_plan(type, &t.plan);
	why = mm_run(&t);
	if (why)
		goto out;

	if (type == DRM_ROCKET_MATMUL_INT8_INT32)
		rocket_matmul_unpack_c_int32((int32_t *)(void *)c, t.c->data, m, n);
	else if (type == DRM_ROCKET_MATMUL_FP16_FP32)
		rocket_matmul_unpack_c_fp32((float *)(void *)c, t.c->data, m, n);
	else
		rocket_matmul_unpack_c_fp16((uint16_t *)(void *)c, t.c->data, m, n);

	for (i = 0; i < m && !why; i++) {
		for (j = 0; j < n && !why; j++) {
			const uint8_t *got = c + ((size_t)i * n + j) * osz;

			if (int8) {
				int32_t want = 0, have;

				for (kk = 0; kk < k; kk++)
					want += (int8_t)a[(size_t)i * k + kk] *
						(int8_t)b[(size_t)kk * n + j];
				memcpy(&have, got, 4);
				if (have != want)
					why = pc_fail("C[%u][%u] = %d, want %d", i, j, have, want);
				continue;
			}

			double sum = 0;

			for (kk = 0; kk < k; kk++) {
				uint16_t x, y;

				memcpy(&x, a + ((size_t)i * k + kk) * 2, 2);
				memcpy(&y, b + ((size_t)kk * n + j) * 2, 2);
				sum += half_value(x) * half_value(y);
			}
			if (type == DRM_ROCKET_MATMUL_FP16_FP32) {
				float have;

				memcpy(&have, got, 4);
				if (float_bits(have) != float_bits((float)sum))
					why = pc_fail("C[%u][%u] = 0x%08x, want 0x%08x", i, j,
						      float_bits(have), float_bits((float)sum));
			} else {
				uint16_t have;

				memcpy(&have, got, 2);
				if (have != double_to_half(sum))
					why = pc_fail("C[%u][%u] = 0x%04x, want 0x%04x", i, j, have,
						      double_to_half(sum));
			}
		}
	}
out:
	free(a);
	free(b);
	free(c);
	mm_free(&t);
	return why;
}

static void e2e_tests(void)
{
	/* host M, K, N before padding */
	static const uint32_t shapes[][3] = {
		{ 1, 64, 96 },		/* M = 1, N over three cores */
		{ 1, 1000, 300 },	/* M = 1, K and N padded */
		{ 3, 40, 50 },		/* every dimension padded */
		{ 64, 256, 96 },
		{ 1030, 128, 64 },	/* M above a task's 1020 rows, padded to 1032 */
		{ 300, 4096, 40 },	/* A rows beyond the data banks: several row slices */
	};
	unsigned int ti, si;
	char name[128], plan[64];

	for (ti = 0; ti < 3; ti++) {
		uint32_t t = mm_types[ti];

		for (si = 0; si < sizeof(shapes) / sizeof(shapes[0]); si++) {
			const char *why;

			plan[0] = 0;
			why = e2e_case(t, shapes[si][0], shapes[si][1], shapes[si][2], plan,
				       sizeof(plan));
			snprintf(name, sizeof(name), "e2e_%s_%ux%ux%u (%ux%ux%u padded; %s)",
				 mm_type_name(t), shapes[si][0], shapes[si][1], shapes[si][2],
				 rocket_matmul_pad_m(shapes[si][0]), rocket_matmul_pad_k(shapes[si][1]),
				 rocket_matmul_pad_n(shapes[si][2], t), plan);
			report(name, why);
		}
		snprintf(name, sizeof(name), "e2e_%s_covers_m1_ragged_rows_n_over_cores",
			 mm_type_name(t));
		report(name, covered[t].m1 && covered[t].ragged && covered[t].cores ? NULL :
		       pc_fail("M = 1 %d, ragged row slices %d, N over cores %d", covered[t].m1,
			       covered[t].ragged, covered[t].cores));
	}
}

/* ---------------------------------------------------------------------- */
/* Speed, for information: a Qwen2.5-1.5B FFN weight (K 1536, N 8960)        */

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void speed(void)
{
	const uint32_t k = 1536, n = 8960, m = 512;
	size_t bsz = rocket_matmul_b_size(k, n, DRM_ROCKET_MATMUL_FP16_FP16);
	size_t csz = rocket_matmul_c_size(m, n, DRM_ROCKET_MATMUL_FP16_FP32);
	uint8_t *src = (uint8_t *)xmalloc(bsz > csz ? bsz : csz);
	uint8_t *dst = (uint8_t *)xmalloc(bsz > csz ? bsz : csz);
	double t0, t1, t2;

	fill_random(src, bsz > csz ? bsz : csz);
	t0 = seconds();
	rocket_matmul_pack_b_fp16(dst, (const uint16_t *)(const void *)src, k, n);
	t1 = seconds();
	rocket_matmul_unpack_c_fp32((float *)(void *)dst, src, m, n);
	t2 = seconds();
	printf("speed (this build, for information): pack_b_fp16 %ux%u %.0f MB/s, "
	       "unpack_c_fp32 %ux%u %.0f MB/s\n", k, n, bsz / (t1 - t0) / 1e6, m, n,
	       csz / (t2 - t1) / 1e6);
	free(src);
	free(dst);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	models_init();
	npu_reset();

	size_tests();
	pad_tests();
	layout_tests();
	e2e_tests();
	speed();

	printf("%u passed, %u failed\n", n_pass, n_fail);
	npu_reset();
	models_free();
	return n_fail ? 1 : 0;
}
