// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host tests of the NPU matmul model. Plain C, no framework: one line per
 * test, "PASS name" or "FAIL name: why", then "N passed, N failed".
 */

#include <stdarg.h>

#include "harness.h"
#include "check.h"

static unsigned int n_pass, n_fail;
static uint64_t fp_compared, fp_exact;

static void setup(void)
{
	mem_reset();
	rkt_model_init(&model, &mem_ops, NULL);
}

static void run(const char *name, bool (*fn)(void))
{
	why[0] = '\0';
	setup();
	if (fn()) {
		printf("PASS %s\n", name);
		n_pass++;
	} else {
		printf("FAIL %s: %s\n", name, why);
		n_fail++;
	}
}

static const char *outcome(enum rkt_model_outcome o)
{
	return rkt_model_outcome_name(o);
}

static uint32_t raw_status(void)
{
	return rkt_model_reg_read(&model, REG_PC_INTERRUPT_RAW_STATUS);
}

#define DPU_BITS (PC_INTERRUPT_RAW_STATUS_DPU_0 | PC_INTERRUPT_RAW_STATUS_DPU_1)

/* ---------------------------------------------------------------------- */
/* Matmul set-up and checking                                               */

enum gen {
	GEN_RANDOM,	/* INT8 full range; FP16 normal and subnormal, moderate range */
	GEN_WIDE,	/* FP16 every finite exponent */
	GEN_MIN,	/* INT8 all -128 */
	GEN_SMALL,	/* FP16 tiny values: subnormal results */
};

struct mm {
	enum tprec p;
	uint32_t mf, k, n;
	int8_t *a8, *b8;	/* A[mf][k], B[k][n] */
	uint16_t *ah, *bh;
	uint32_t a, b, c;	/* NPU base addresses of the full A, B, C */
};

static void mm_free(struct mm *t)
{
	free(t->a8);
	free(t->b8);
	free(t->ah);
	free(t->bh);
	memset(t, 0, sizeof(*t));
}

static uint16_t gen_half(enum gen g)
{
	switch (g) {
	case GEN_WIDE:
		return rnd_half(0, 30);
	case GEN_SMALL:
		return rnd_half(0, 3);
	default:
		return rnd_half(0, 17);
	}
}

/* Host data and its memory image. C is filled with 0xa5 to catch holes. */
static void mm_setup(struct mm *t, enum tprec p, uint32_t mf, uint32_t k, uint32_t n,
		     enum gen g)
{
	uint32_t i, j;

	memset(t, 0, sizeof(*t));
	t->p = p;
	t->mf = mf;
	t->k = k;
	t->n = n;
	t->a = mem_alloc(mf * k * bpe_of(p), 0);
	t->b = mem_alloc(k * n * bpe_of(p), 0);
	t->c = mem_alloc(mf * n * obpe_of(p), 0xa5);
	if (p == I8_I32) {
		t->a8 = malloc(mf * k);
		t->b8 = malloc(k * n);
		for (i = 0; i < mf * k; i++)
			t->a8[i] = g == GEN_MIN ? -128 : (int8_t)rnd();
		for (i = 0; i < k * n; i++)
			t->b8[i] = g == GEN_MIN ? -128 : (int8_t)rnd();
		for (i = 0; i < mf; i++)
			for (j = 0; j < k; j++)
				*mem_ptr(t->a + a_off(p, mf, i, j)) = (uint8_t)t->a8[i * k + j];
		for (i = 0; i < k; i++)
			for (j = 0; j < n; j++)
				*mem_ptr(t->b + b_off(p, k, i, j)) = (uint8_t)t->b8[i * n + j];
	} else {
		t->ah = malloc(mf * k * 2);
		t->bh = malloc(k * n * 2);
		for (i = 0; i < mf * k; i++)
			t->ah[i] = gen_half(g);
		for (i = 0; i < k * n; i++)
			t->bh[i] = gen_half(g == GEN_SMALL ? GEN_RANDOM : g);
		for (i = 0; i < mf; i++)
			for (j = 0; j < k; j++)
				memcpy(mem_ptr(t->a + a_off(p, mf, i, j)), &t->ah[i * k + j], 2);
		for (i = 0; i < k; i++)
			for (j = 0; j < n; j++)
				memcpy(mem_ptr(t->b + b_off(p, k, i, j)), &t->bh[i * n + j], 2);
	}
}

/* The job for rows [row0, row0 + rows) and kernels [n0, n0 + cols). */
static struct job mm_job(const struct mm *t, uint32_t row0, uint32_t rows, uint32_t n0,
			 uint32_t cols)
{
	struct job j = {
		.prec = t->p, .m = rows, .k = t->k, .n = cols, .m_full = t->mf,
		.a = t->a + row0 * 16,
		.b = t->b + n0 * t->k * bpe_of(t->p),
		.c = t->c + (n0 / (16 / obpe_of(t->p))) * t->mf * 16 + row0 * 16,
	};

	return j;
}

/*
 * Compare C[row0 .. row0 + rows)[n0 .. n0 + cols) with the reference.
 * INT8: exact. FP16: the reference sums the exact products in double (error
 * at most gamma = K * 2^-52 * sum |p|, twice the classic (K - 1) * 2^-53
 * bound); the model's result must lie between the rounding of ref - gamma and
 * of ref + gamma, i.e. be a correct rounding of a value the exact sum can
 * have. @perturb adds one unit (INT8) or one part in 2^10 (FP) to the first
 * reference value, to show that a wrong expectation is caught.
 * Returns the number of mismatches; the first is described in why.
 */
static uint32_t mm_compare(const struct mm *t, uint32_t row0, uint32_t rows, uint32_t n0,
			   uint32_t cols, bool perturb)
{
	uint32_t i, j, kk, bad = 0;

	for (i = row0; i < row0 + rows; i++) {
		for (j = n0; j < n0 + cols; j++) {
			const uint8_t *cp = mem_ptr(t->c + c_off(t->p, t->mf, i, j));
			bool first = perturb && i == row0 && j == n0;

			if (t->p == I8_I32) {
				int64_t ref = 0;
				int32_t got;

				for (kk = 0; kk < t->k; kk++)
					ref += t->a8[i * t->k + kk] * t->b8[kk * t->n + j];
				ref += first;
				memcpy(&got, cp, 4);
				if (got != ref && !bad++)
					snprintf(why, sizeof(why), "C[%u][%u] = %d, expected %lld",
						 i, j, got, (long long)ref);
			} else {
				double ref = 0, sabs = 0, gamma, lo, hi, got, p;
				uint32_t bits = 0;

				for (kk = 0; kk < t->k; kk++) {
					p = half_to_double(t->ah[i * t->k + kk]) *
					    half_to_double(t->bh[kk * t->n + j]);
					ref += p;
					sabs += fabs(p);
				}
				if (first)
					ref += ref != 0 ? fabs(ref) / 1024 : 1;
				gamma = t->k * ldexp(sabs, -52);
				if (t->p == F16_F16) {
					memcpy(&bits, cp, 2);
					got = half_to_double((uint16_t)bits);
					lo = round_half(ref - gamma);
					hi = round_half(ref + gamma);
					fp_exact += got == round_half(ref);
				} else {
					memcpy(&bits, cp, 4);
					got = float_bits_to_double(bits);
					lo = round_float(ref - gamma);
					hi = round_float(ref + gamma);
					fp_exact += got == round_float(ref);
				}
				fp_compared++;
				if (!(got >= lo && got <= hi) && !bad++)
					snprintf(why, sizeof(why),
						 "C[%u][%u] = %.9g (0x%x), reference %.17g, allowed [%.9g, %.9g]",
						 i, j, got, bits, ref, lo, hi);
			}
		}
	}
	return bad;
}

/* Run the whole matrix as one task and compare. */
static bool mm_full(enum tprec p, uint32_t m, uint32_t k, uint32_t n, enum gen g)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	uint32_t bad;

	mm_setup(&t, p, m, k, n, g);
	j = mm_job(&t, 0, m, 0, n);
	j.j_zeros = true;
	o = submit(&j);
	if (o != RKT_MODEL_DONE) {
		mm_free(&t);
		return fail("outcome %s, log: %s", outcome(o), rkt_model_log(&model));
	}
	CHECK(raw_status() & PC_INTERRUPT_RAW_STATUS_DPU_0, "no DPU_0 completion bit");
	bad = mm_compare(&t, 0, m, 0, n, false);
	mm_free(&t);
	return bad == 0;	/* why already set */
}

/* ---------------------------------------------------------------------- */
/* Shapes and layouts                                                       */

#define SHAPE_TEST(name, p, m, k, n, g) \
	static bool name(void) { return mm_full(p, m, k, n, g); }

SHAPE_TEST(i8_m1_k32_n32, I8_I32, 1, 32, 32, GEN_RANDOM)
SHAPE_TEST(i8_m4_k32_n32, I8_I32, 4, 32, 32, GEN_RANDOM)
SHAPE_TEST(i8_m4_k64_n64, I8_I32, 4, 64, 64, GEN_RANDOM)
SHAPE_TEST(i8_m100_k96_n64, I8_I32, 100, 96, 64, GEN_RANDOM)
SHAPE_TEST(i8_m16_k128_n256, I8_I32, 16, 128, 256, GEN_RANDOM)
SHAPE_TEST(i8_m4_k8192_n32, I8_I32, 4, 8192, 32, GEN_RANDOM)
SHAPE_TEST(i8_m1_k8192_n32, I8_I32, 1, 8192, 32, GEN_RANDOM)
SHAPE_TEST(i8_m1020_k32_n32, I8_I32, 1020, 32, 32, GEN_RANDOM)
SHAPE_TEST(i8_all_min_k8192, I8_I32, 4, 8192, 32, GEN_MIN)
SHAPE_TEST(i8_k32768_one_bank_kernel, I8_I32, 4, 32768, 32, GEN_RANDOM)
SHAPE_TEST(f16f32_m1_k32_n16, F16_F32, 1, 32, 16, GEN_RANDOM)
SHAPE_TEST(f16f32_m4_k64_n32, F16_F32, 4, 64, 32, GEN_RANDOM)
SHAPE_TEST(f16f32_m100_k96_n32, F16_F32, 100, 96, 32, GEN_RANDOM)
SHAPE_TEST(f16f32_m16_k128_n256, F16_F32, 16, 128, 256, GEN_RANDOM)
SHAPE_TEST(f16f32_m4_k8192_n16, F16_F32, 4, 8192, 16, GEN_RANDOM)
SHAPE_TEST(f16f32_wide_exponents, F16_F32, 8, 256, 32, GEN_WIDE)
SHAPE_TEST(f16f16_m1_k32_n16, F16_F16, 1, 32, 16, GEN_RANDOM)
SHAPE_TEST(f16f16_m4_k64_n32, F16_F16, 4, 64, 32, GEN_RANDOM)
SHAPE_TEST(f16f16_m100_k96_n32, F16_F16, 100, 96, 32, GEN_RANDOM)
SHAPE_TEST(f16f16_m16_k128_n256, F16_F16, 16, 128, 256, GEN_RANDOM)
SHAPE_TEST(f16f16_m4_k8192_n16, F16_F16, 4, 8192, 16, GEN_RANDOM)
SHAPE_TEST(f16f16_subnormal_results, F16_F16, 8, 64, 16, GEN_SMALL)
SHAPE_TEST(f16f16_overflow_results, F16_F16, 8, 256, 16, GEN_WIDE)
/* weights larger than the weight banks: streamed through the CBUF */
SHAPE_TEST(i8_streamed_weights_k4096_n256, I8_I32, 32, 4096, 256, GEN_RANDOM)
SHAPE_TEST(f16f32_streamed_weights_k8192_n64, F16_F32, 8, 8192, 64, GEN_RANDOM)
SHAPE_TEST(f16f16_one_kernel_per_bank_k16384, F16_F16, 4, 16384, 32, GEN_RANDOM)

/* The same job with every §2 "0" register written explicitly, or not. */
static bool without_explicit_zeros(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, I8_I32, 8, 64, 32, GEN_RANDOM);
	j = mm_job(&t, 0, 8, 0, 32);
	o = submit(&j);
	ok = o == RKT_MODEL_DONE && mm_compare(&t, 0, 8, 0, 32, false) == 0;
	if (o != RKT_MODEL_DONE)
		fail("outcome %s: %s", outcome(o), rkt_model_log(&model));
	mm_free(&t);
	return ok;
}

/* A larger DATA_BANK than needed still fits the tile: accepted. */
static bool data_bank_more_than_needed(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, F16_F32, 4, 64, 16, GEN_RANDOM);
	j = mm_job(&t, 0, 4, 0, 16);
	j.data_bank = 11;
	o = submit(&j);
	ok = o == RKT_MODEL_DONE && mm_compare(&t, 0, 4, 0, 16, false) == 0;
	if (o != RKT_MODEL_DONE)
		fail("outcome %s: %s", outcome(o), rkt_model_log(&model));
	mm_free(&t);
	return ok;
}

/* Only C is written: bytes around C keep their fill. */
static bool c_writes_stay_inside(void)
{
	struct mm t;
	struct job j;
	uint32_t guard_lo, guard_hi, i;
	enum rkt_model_outcome o;

	guard_lo = mem_alloc(256, 0x5a);
	mm_setup(&t, F16_F16, 4, 32, 16, GEN_RANDOM);
	guard_hi = mem_alloc(256, 0x5a);
	j = mm_job(&t, 0, 4, 0, 16);
	o = submit(&j);
	for (i = 0; i < 256; i++)
		CHECK(*mem_ptr(guard_lo + i) == 0x5a && *mem_ptr(guard_hi + i) == 0x5a,
		      "byte outside A/B/C written");
	CHECK(o == RKT_MODEL_DONE, "outcome %s", outcome(o));
	CHECK(mm_compare(&t, 0, 4, 0, 16, false) == 0, "%s", why);
	mm_free(&t);
	return true;
}

/* ---------------------------------------------------------------------- */
/* Row slices with WEIGHT_REUSE, and N slices                               */

static bool row_slices(enum tprec p, uint32_t mf, const uint32_t *rows, uint32_t nslices,
		       uint32_t k, uint32_t n, bool unmap_b)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	uint32_t s, row0 = 0, dbank = 0;
	uint64_t wbytes;

	mm_setup(&t, p, mf, k, n, GEN_RANDOM);
	for (s = 0; s < nslices; s++) {
		j = mm_job(&t, row0, rows[s], 0, n);
		if (s == 0)
			dbank = (rows[0] * k * bpe_of(p) + 32767) / 32768;
		j.data_bank = dbank;	/* keep the weight banks where they are */
		j.reuse = s > 0;
		if (s == 1 && unmap_b)
			mem_unmap(t.b, k * n * bpe_of(p));
		wbytes = rkt_model_stats(&model)->weight_bytes_read;
		o = submit(&j);
		if (o != RKT_MODEL_DONE) {
			mm_free(&t);
			return fail("slice %u: outcome %s: %s", s, outcome(o),
				    rkt_model_log(&model));
		}
		if (s > 0 && rkt_model_stats(&model)->weight_bytes_read != wbytes) {
			mm_free(&t);
			return fail("slice %u re-read B despite WEIGHT_REUSE", s);
		}
		irq_handle();
		row0 += rows[s];
	}
	s = mm_compare(&t, 0, mf, 0, n, false);
	mm_free(&t);
	return s == 0;
}

static bool i8_row_slices_reuse(void)
{
	static const uint32_t rows[] = { 52, 48 };

	return row_slices(I8_I32, 100, rows, 2, 96, 64, true);
}

static bool f16f32_row_slices_reuse(void)
{
	static const uint32_t rows[] = { 4, 4, 4 };

	return row_slices(F16_F32, 12, rows, 3, 64, 32, true);
}

static bool f16f16_row_slices_reuse(void)
{
	static const uint32_t rows[] = { 40, 60 };

	return row_slices(F16_F16, 100, rows, 2, 128, 48, true);
}

static bool i8_row_slices_large_m(void)
{
	static const uint32_t rows[] = { 1020, 1020, 8 };

	return row_slices(I8_I32, 2048, rows, 3, 32, 32, true);
}

static bool n_slices(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	uint32_t s;

	mm_setup(&t, F16_F16, 8, 64, 64, GEN_RANDOM);
	for (s = 0; s < 2; s++) {
		j = mm_job(&t, 0, 8, s * 32, 32);
		o = submit(&j);
		CHECK(o == RKT_MODEL_DONE, "slice %u: %s: %s", s, outcome(o),
		      rkt_model_log(&model));
		irq_handle();
	}
	CHECK(mm_compare(&t, 0, 8, 0, 64, false) == 0, "%s", why);
	mm_free(&t);
	return true;
}

/* Expect REFUSED, with @needle in the log. */
static bool expect_refused(enum rkt_model_outcome o, const char *needle)
{
	CHECK(o == RKT_MODEL_REFUSED, "outcome %s, expected REFUSED; log: %s", outcome(o),
	      rkt_model_log(&model));
	CHECK(strstr(rkt_model_log(&model), needle), "log lacks \"%s\": %s", needle,
	      rkt_model_log(&model));
	CHECK(rkt_model_errors(&model) & RKT_MODEL_ERR_REFUSED, "ERR_REFUSED not set");
	CHECK(!(raw_status() & DPU_BITS), "completion bit set on a refused task");
	CHECK(!rkt_model_irq_pending(&model), "interrupt pending on a refused task");
	return true;
}

static bool reuse_first_task(void)
{
	struct mm t;
	struct job j;
	bool ok;

	mm_setup(&t, I8_I32, 8, 64, 32, GEN_RANDOM);
	j = mm_job(&t, 0, 8, 0, 32);
	j.reuse = true;
	ok = expect_refused(submit(&j), "WEIGHT_REUSE set but no complete weight set");
	mm_free(&t);
	return ok;
}

static bool reuse_after_streamed_weights(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, I8_I32, 8, 4096, 256, GEN_RANDOM);	/* 1 MiB of weights */
	j = mm_job(&t, 0, 4, 0, 256);
	j.m_full = 8;
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "first slice: %s", outcome(o));
	irq_handle();
	j = mm_job(&t, 4, 4, 0, 256);
	j.reuse = true;
	ok = expect_refused(submit(&j), "no complete weight set");
	mm_free(&t);
	return ok;
}

static bool reuse_other_b(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, I8_I32, 8, 64, 64, GEN_RANDOM);
	j = mm_job(&t, 0, 8, 0, 32);
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "first: %s", outcome(o));
	irq_handle();
	j = mm_job(&t, 0, 8, 32, 32);
	j.reuse = true;
	ok = expect_refused(submit(&j), "CNA_DCOMP_ADDR0");
	mm_free(&t);
	return ok;
}

static bool reuse_other_data_bank(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, I8_I32, 8, 64, 32, GEN_RANDOM);
	j = mm_job(&t, 0, 4, 0, 32);
	j.m_full = 8;
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "first: %s", outcome(o));
	irq_handle();
	j = mm_job(&t, 4, 4, 0, 32);
	j.reuse = true;
	j.data_bank = 2;
	ok = expect_refused(submit(&j), "resident weights were loaded with 1");
	mm_free(&t);
	return ok;
}

static bool reuse_after_reset(void)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	bool ok;

	mm_setup(&t, I8_I32, 8, 64, 32, GEN_RANDOM);
	j = mm_job(&t, 0, 4, 0, 32);
	j.m_full = 8;
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "first: %s", outcome(o));
	irq_handle();
	rkt_model_reset(&model);
	j = mm_job(&t, 4, 4, 0, 32);
	j.reuse = true;
	ok = expect_refused(submit(&j), "no complete weight set");
	mm_free(&t);
	return ok;
}

/* ---------------------------------------------------------------------- */
/* FP16 rounding with exact expected bits                                   */

/*
 * One row, K = 32, N = 16; column 0 of B gets b[], the rest 0. Returns the
 * bits of C[0][0] and checks that the other columns are +0.
 */
static bool f16_case(enum tprec p, const uint16_t *a, const uint16_t *b, uint32_t na,
		     uint32_t want)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	uint32_t i, got = 0, other;

	mm_setup(&t, p, 1, 32, 16, GEN_RANDOM);
	memset(mem_ptr(t.a), 0, 64);
	memset(mem_ptr(t.b), 0, 32 * 16 * 2);
	for (i = 0; i < na; i++) {
		memcpy(mem_ptr(t.a + a_off(p, 1, 0, i)), &a[i], 2);
		memcpy(mem_ptr(t.b + b_off(p, 32, i, 0)), &b[i], 2);
	}
	j = mm_job(&t, 0, 1, 0, 16);
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "outcome %s: %s", outcome(o), rkt_model_log(&model));
	memcpy(&got, mem_ptr(t.c), obpe_of(p));
	for (i = 1; i < 16; i++) {
		other = 0;
		memcpy(&other, mem_ptr(t.c + c_off(p, 1, 0, i)), obpe_of(p));
		CHECK(other == 0, "column %u = 0x%x, expected +0", i, other);
	}
	mm_free(&t);
	CHECK(got == want, "got 0x%x, expected 0x%x", got, want);
	return true;
}

#define H_ONE	0x3c00
#define H_2048	0x6800
#define H_2050	0x6801
#define H_M1	0xbc00

#define F16_CASE(name, p, want, ...) \
	static bool name(void) \
	{ \
		static const uint16_t ab[][2] = { __VA_ARGS__ }; \
		uint16_t a[32], b[32]; \
		uint32_t i, n = sizeof(ab) / sizeof(ab[0]); \
		for (i = 0; i < n; i++) { \
			a[i] = ab[i][0]; \
			b[i] = ab[i][1]; \
		} \
		return f16_case(p, a, b, n, want); \
	}

/* 2048 + 1 is a tie between 2048 and 2050: even 2048 */
F16_CASE(round_f16_tie_to_even_down, F16_F16, H_2048, { H_2048, H_ONE }, { H_ONE, H_ONE })
/* 2050 + 1 is a tie between 2050 and 2052: even 2052 */
F16_CASE(round_f16_tie_to_even_up, F16_F16, 0x6802, { H_2050, H_ONE }, { H_ONE, H_ONE })
/* 2048 + 1 + 2^-24 is above the tie: 2050, visible only with one rounding */
F16_CASE(round_f16_single_rounding, F16_F16, H_2050, { H_2048, H_ONE }, { H_ONE, H_ONE },
	 { 0x0001, H_ONE })
/* -(2048 + 1): -2048 */
F16_CASE(round_f16_negative_tie, F16_F16, 0xe800, { H_2048, H_M1 }, { H_ONE, H_M1 })
/* 2^-14 * 2^-10 = 2^-24: smallest subnormal */
F16_CASE(round_f16_smallest_subnormal, F16_F16, 0x0001, { 0x0400, 0x1400 })
/* 2^-14 * 2^-11 = 2^-25: tie between 0 and 2^-24: +0 */
F16_CASE(round_f16_half_subnormal_to_zero, F16_F16, 0x0000, { 0x0400, 0x1000 })
/* 3 * 2^-26 = 0.75 * 2^-24: 2^-24 */
F16_CASE(round_f16_subnormal_up, F16_F16, 0x0001, { 0x0400, 0x1200 })
/* 1023 * 2^-24 + 2^-24 = 2^-14: smallest normal */
F16_CASE(round_f16_subnormal_to_normal, F16_F16, 0x0400, { 0x03ff, H_ONE }, { 0x0001, H_ONE })
/* 65504 exactly */
F16_CASE(round_f16_max, F16_F16, 0x7bff, { 0x7bff, H_ONE })
/* 65504 + 15 = 65519: 65504 */
F16_CASE(round_f16_below_overflow, F16_F16, 0x7bff, { 0x7bff, H_ONE }, { 0x4b80, H_ONE })
/* 65504 + 16 = 65520: tie, rounds to 65536: infinity */
F16_CASE(round_f16_overflow_tie, F16_F16, 0x7c00, { 0x7bff, H_ONE }, { 0x4c00, H_ONE })
/* 256 * 256 = 65536: infinity; negative: -infinity */
F16_CASE(round_f16_overflow, F16_F16, 0x7c00, { 0x5c00, 0x5c00 })
F16_CASE(round_f16_overflow_negative, F16_F16, 0xfc00, { 0x5c00, 0xdc00 })
/* 65504 - 65504 + 2^-24: exact cancellation keeps 2^-24 */
F16_CASE(round_f16_cancellation, F16_F16, 0x0001, { 0x7bff, H_ONE }, { 0xfbff, H_ONE },
	 { 0x0001, H_ONE })
/* 1 - 1 = +0 */
F16_CASE(round_f16_exact_zero, F16_F16, 0x0000, { H_ONE, H_ONE }, { H_ONE, H_M1 })
/* 4 * 2048 * 2048 + 1 = 2^24 + 1: tie, even 2^24 */
F16_CASE(round_f32_tie_to_even, F16_F32, 0x4b800000, { H_2048, H_2048 }, { H_2048, H_2048 },
	 { H_2048, H_2048 }, { H_2048, H_2048 }, { H_ONE, H_ONE })
/* 2^24 + 3: tie, even 2^24 + 4 */
F16_CASE(round_f32_tie_to_even_up, F16_F32, 0x4b800002, { H_2048, H_2048 },
	 { H_2048, H_2048 }, { H_2048, H_2048 }, { H_2048, H_2048 }, { H_ONE, H_ONE },
	 { H_ONE, 0x4000 })
/* 2^24 + 1 + 2^-24: above the tie: 2^24 + 2 */
F16_CASE(round_f32_single_rounding, F16_F32, 0x4b800001, { H_2048, H_2048 },
	 { H_2048, H_2048 }, { H_2048, H_2048 }, { H_2048, H_2048 }, { H_ONE, H_ONE },
	 { 0x0001, H_ONE })
/* 2^-24 * 2^-24 = 2^-48: smallest product, exact in FP32 */
F16_CASE(round_f32_smallest_product, F16_F32, 0x27800000, { 0x0001, 0x0001 })
/* 65504 * 65504 = 4290774016, exact in FP32 */
F16_CASE(round_f32_largest_product, F16_F32, 0x4f7fc004, { 0x7bff, 0x7bff })
/* 1 + 2^-48: FP32 keeps 1 */
F16_CASE(round_f32_tiny_addend, F16_F32, 0x3f800000, { H_ONE, H_ONE }, { 0x0001, 0x0001 })

/* ---------------------------------------------------------------------- */
/* Self-checks: the comparison catches wrong expectations                  */

static bool perturbed_reference_detected(enum tprec p)
{
	struct mm t;
	struct job j;
	enum rkt_model_outcome o;
	uint32_t good, bad;

	mm_setup(&t, p, 4, 64, 32, GEN_RANDOM);
	j = mm_job(&t, 0, 4, 0, 32);
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "outcome %s", outcome(o));
	good = mm_compare(&t, 0, 4, 0, 32, false);
	bad = mm_compare(&t, 0, 4, 0, 32, true);
	mm_free(&t);
	why[0] = '\0';
	CHECK(good == 0, "unperturbed comparison failed");
	CHECK(bad == 1, "perturbed reference gave %u mismatches, expected 1", bad);
	return true;
}

static bool selfcheck_perturbed_i8(void)
{
	return perturbed_reference_detected(I8_I32);
}

static bool selfcheck_perturbed_f16f32(void)
{
	return perturbed_reference_detected(F16_F32);
}

static bool selfcheck_perturbed_f16f16(void)
{
	return perturbed_reference_detected(F16_F16);
}

/* B written K-major instead of kernel-grouped must not match. */
static bool selfcheck_wrong_layout_detected(void)
{
	struct mm t;
	struct job j;
	uint32_t i, kk, bad;
	enum rkt_model_outcome o;

	mm_setup(&t, I8_I32, 4, 64, 32, GEN_RANDOM);
	for (kk = 0; kk < 64; kk++)
		for (i = 0; i < 32; i++)
			*mem_ptr(t.b + kk * 32 + i) = (uint8_t)t.b8[kk * 32 + i];
	j = mm_job(&t, 0, 4, 0, 32);
	o = submit(&j);
	CHECK(o == RKT_MODEL_DONE, "outcome %s", outcome(o));
	bad = mm_compare(&t, 0, 4, 0, 32, false);
	mm_free(&t);
	CHECK(bad > 0, "a transposed B gave the right result");
	return true;
}

/* ---------------------------------------------------------------------- */
/* Regcmd parsing and the PC                                                */

struct small {
	struct mm t;
	struct job j;
	uint64_t e[MAX_ENTRIES];
	uint32_t n;
};

static void small_setup(struct small *s, enum tprec p)
{
	uint32_t nn = p == I8_I32 ? 32 : 16;

	mm_setup(&s->t, p, 4, 64, nn, GEN_RANDOM);
	s->j = mm_job(&s->t, 0, 4, 0, nn);
	s->n = encode(&s->j, s->e);
}

static bool small_done(struct small *s, enum rkt_model_outcome o)
{
	uint32_t bad;

	CHECK(o == RKT_MODEL_DONE, "outcome %s: %s", outcome(o), rkt_model_log(&model));
	bad = mm_compare(&s->t, 0, s->j.m, 0, s->j.n, false);
	mm_free(&s->t);
	return bad == 0;
}

static bool entry_fields_applied(void)
{
	struct small s;
	enum rkt_model_outcome o;

	small_setup(&s, I8_I32);
	o = submit_list(s.e, s.n);
	CHECK(rkt_model_reg_read(&model, REG_CNA_CONV_CON2) ==
	      CNA_CONV_CON2_FEATURE_GRAINS(5), "CNA_CONV_CON2 not applied");
	CHECK(rkt_model_reg_read(&model, REG_DPU_DST_BASE_ADDR) == s.t.c,
	      "DPU_DST_BASE_ADDR 0x%x, expected 0x%x",
	      rkt_model_reg_read(&model, REG_DPU_DST_BASE_ADDR), s.t.c);
	CHECK(rkt_model_reg_read(&model, REG_DPU_RDMA_RDMA_ERDMA_CFG) == 1,
	      "DPU_RDMA_RDMA_ERDMA_CFG not applied");
	CHECK(rkt_model_reg_read(&model, REG_PC_BASE_ADDRESS) == last_regcmd,
	      "tail PC_BASE_ADDRESS overwrote the PC register");
	return small_done(&s, o);
}

static bool entry_order_free(void)
{
	struct small s;
	uint64_t tmp;
	uint32_t i;

	small_setup(&s, F16_F32);
	for (i = 0; i < (s.n - 4) / 2; i++) {	/* reverse the body */
		tmp = s.e[i];
		s.e[i] = s.e[s.n - 5 - i];
		s.e[s.n - 5 - i] = tmp;
	}
	return small_done(&s, submit_list(s.e, s.n));
}

static bool tail_zero_entry(void)
{
	struct small s;

	small_setup(&s, I8_I32);
	s.j.zero_tail = true;
	s.n = encode(&s.j, s.e);
	return small_done(&s, submit_list(s.e, s.n));
}

static bool tail_op_enable(uint32_t v)
{
	struct small s;

	small_setup(&s, I8_I32);
	s.j.op_enable = v;
	s.n = encode(&s.j, s.e);
	return small_done(&s, submit_list(s.e, s.n));
}

static bool tail_enable_0d(void) { return tail_op_enable(0x0d); }
static bool tail_enable_1d(void) { return tail_op_enable(0x1d); }
static bool tail_enable_7f(void) { return tail_op_enable(0x7f); }

/* Odd and even entry counts: (n + 1) / 2 - 1 may fetch one entry past the list. */
static bool odd_entry_count(void)
{
	struct small s;
	enum rkt_model_outcome o;
	uint32_t regcmd;

	small_setup(&s, I8_I32);
	if (!(s.n & 1))
		insert_entry(s.e, &s.n, entry(0x0201, REG_CNA_PAD_CON0, 0));
	regcmd = mem_alloc(s.n * 8 + 8, 0);
	write_regcmd(regcmd, s.e, s.n);
	memset(mem_ptr(regcmd + s.n * 8), 0xee, 8);	/* garbage after the list */
	kick(regcmd, s.n);
	o = rkt_model_run(&model);
	return small_done(&s, o);
}

static bool even_entry_count(void)
{
	struct small s;

	small_setup(&s, I8_I32);
	if (s.n & 1)
		insert_entry(s.e, &s.n, entry(0x0201, REG_CNA_PAD_CON0, 0));
	return small_done(&s, submit_list(s.e, s.n));
}

static bool amount_too_large(void)
{
	struct small s;
	uint32_t regcmd;

	small_setup(&s, I8_I32);
	regcmd = mem_alloc(s.n * 8 + 64, 0);
	write_regcmd(regcmd, s.e, s.n);
	kick(regcmd, s.n + 4);
	mm_free(&s.t);
	return expect_refused(rkt_model_run(&model), "amount does not match");
}

static bool amount_too_small(void)
{
	struct small s;
	uint32_t regcmd;

	small_setup(&s, I8_I32);
	regcmd = mem_alloc(s.n * 8, 0);
	write_regcmd(regcmd, s.e, s.n);
	kick(regcmd, s.n - 4);
	mm_free(&s.t);
	return expect_refused(rkt_model_run(&model), "no complete tail");
}

static bool list_edit_refused(void (*edit)(struct small *s), const char *needle)
{
	struct small s;
	bool ok;

	small_setup(&s, I8_I32);
	edit(&s);
	ok = expect_refused(submit_list(s.e, s.n), needle);
	mm_free(&s.t);
	return ok;
}

static void ed_unknown_target(struct small *s)
{
	insert_entry(s->e, &s->n, entry(0x0401, 0x2000, 0));
}

static void ed_offset_outside(struct small *s)
{
	insert_entry(s->e, &s->n, entry(0x0201, REG_DPU_BS_CFG, 0x53));
}

static void ed_offset_unaligned(struct small *s)
{
	insert_entry(s->e, &s->n, entry(0x0201, REG_CNA_PAD_CON0 + 2, 0));
}

static void ed_pc_in_body(struct small *s)
{
	insert_entry(s->e, &s->n, entry(0x0101, REG_PC_INTERRUPT_MASK, 0));
}

static void ed_marker_value(struct small *s)
{
	s->e[s->n - 2] = entry(0x0041, 0, 1);
}

static void ed_no_marker(struct small *s)
{
	s->e[s->n - 2] = s->e[s->n - 1];
	s->n--;
}

static void ed_enable_value(struct small *s)
{
	s->e[s->n - 1] = entry(0x0081, REG_PC_OPERATION_ENABLE, 0x0f);
}

static void ed_enable_offset(struct small *s)
{
	s->e[s->n - 1] = entry(0x0081, REG_PC_BASE_ADDRESS, 0x1d);
}

static void ed_no_amounts(struct small *s)
{
	s->e[s->n - 3] = s->e[s->n - 2];
	s->e[s->n - 2] = s->e[s->n - 1];
	s->n--;
}

static void ed_marker_in_body(struct small *s)
{
	insert_entry(s->e, &s->n, entry(0x0041, 0, 0));
}

#define EDIT_TEST(name, fn, needle) \
	static bool name(void) { return list_edit_refused(fn, needle); }

EDIT_TEST(parse_unknown_target, ed_unknown_target, "unknown target")
EDIT_TEST(parse_offset_outside_block, ed_offset_outside, "outside the target's block")
EDIT_TEST(parse_offset_unaligned, ed_offset_unaligned, "not 4-byte aligned")
EDIT_TEST(parse_pc_entry_in_body, ed_pc_in_body, "only as the task tail")
EDIT_TEST(parse_marker_nonzero, ed_marker_value, "0x0041 marker with value 0")
EDIT_TEST(parse_enable_without_marker, ed_no_marker, "0x0041 marker")
EDIT_TEST(parse_enable_value_unknown, ed_enable_value, "not one of 0x0d, 0x1d, 0x7f")
EDIT_TEST(parse_enable_wrong_register, ed_enable_offset, "0x0081 PC_OPERATION_ENABLE")
EDIT_TEST(parse_tail_without_amounts, ed_no_amounts, "expected PC_REGISTER_AMOUNTS")
EDIT_TEST(parse_marker_in_body, ed_marker_in_body, "tail must be")

static bool mmio_refused(uint32_t reg, uint32_t value, const char *needle)
{
	struct small s;
	uint32_t regcmd;
	bool ok;

	small_setup(&s, I8_I32);
	regcmd = mem_alloc(s.n * 8, 0);
	write_regcmd(regcmd, s.e, s.n);
	kick(regcmd, s.n);
	rkt_model_reg_write(&model, reg, value);
	ok = expect_refused(rkt_model_run(&model), needle);
	mm_free(&s.t);
	return ok;
}

static bool pc_base_unaligned(void)
{
	return mmio_refused(REG_PC_BASE_ADDRESS, MEM_BASE + 8, "16-byte aligned");
}

static bool pc_task_number_2(void)
{
	return mmio_refused(REG_PC_TASK_CON, PC_TASK_CON_TASK_NUMBER(2), "TASK_NUMBER 2");
}

static bool pc_task_dma_base_nonzero(void)
{
	return mmio_refused(REG_PC_TASK_DMA_BASE_ADDR, 0x1000, "PC_TASK_DMA_BASE_ADDR");
}

static bool pc_amounts_reserved(void)
{
	return mmio_refused(REG_PC_REGISTER_AMOUNTS, 0x10000 | 20, "reserved bits");
}

/* ---------------------------------------------------------------------- */
/* One refusal per register field the model reads                           */

struct field_case {
	const char *name;
	enum tprec p;
	uint32_t reg;
	uint32_t xor_mask;	/* value ^= xor_mask (if set == false) */
	bool set;		/* value = set_value */
	uint32_t set_value;
	const char *needle;
};

#define XOR(nm, p, reg, mask) { nm, p, reg, mask, false, 0, #reg }
#define SET(nm, p, reg, v) { nm, p, reg, 0, true, v, #reg }

static bool run_field_case(const struct field_case *fc)
{
	struct small s;
	uint32_t v;
	bool ok;

	small_setup(&s, fc->p);
	v = entry_value(s.e, s.n, fc->reg);
	v = fc->set ? fc->set_value : v ^ fc->xor_mask;
	if (!patch_entry(s.e, s.n, fc->reg, v))
		insert_entry(s.e, &s.n, entry(target_of(fc->reg), fc->reg, v));
	ok = expect_refused(submit_list(s.e, s.n), fc->needle + 4);	/* skip "REG_" */
	mm_free(&s.t);
	return ok;
}

static void run_field_cases(void)
{
	char name[96];
	size_t i;
	const struct field_case field_cases[] = {
		SET("conv_con1_in_precision_bf16", F16_F32, REG_CNA_CONV_CON1,
		    CNA_CONV_CON1_PROC_PRECISION(3) | CNA_CONV_CON1_IN_PRECISION(3)),
		SET("conv_con1_in_precision_int16", I8_I32, REG_CNA_CONV_CON1,
		    CNA_CONV_CON1_PROC_PRECISION(1) | CNA_CONV_CON1_IN_PRECISION(1)),
		SET("conv_con1_proc_differs", F16_F32, REG_CNA_CONV_CON1,
		    CNA_CONV_CON1_PROC_PRECISION(0) | CNA_CONV_CON1_IN_PRECISION(2)),
		XOR("conv_con1_conv_mode", I8_I32, REG_CNA_CONV_CON1, CNA_CONV_CON1_CONV_MODE(3)),
		XOR("conv_con1_nonalign_dma", I8_I32, REG_CNA_CONV_CON1,
		    CNA_CONV_CON1_NONALIGN_DMA(1)),
		SET("conv_con2_grains_m50", I8_I32, REG_CNA_CONV_CON2,
		    CNA_CONV_CON2_FEATURE_GRAINS(52)),
		XOR("conv_con2_kernel_group", I8_I32, REG_CNA_CONV_CON2,
		    CNA_CONV_CON2_KERNEL_GROUP(1)),
		SET("conv_con3_stride2", I8_I32, REG_CNA_CONV_CON3,
		    CNA_CONV_CON3_CONV_X_STRIDE(2) | CNA_CONV_CON3_CONV_Y_STRIDE(2)),
		XOR("conv_con3_dilation", I8_I32, REG_CNA_CONV_CON3,
		    CNA_CONV_CON3_ATROUS_X_DILATION(1)),
		XOR("data_size0_width2", I8_I32, REG_CNA_DATA_SIZE0,
		    CNA_DATA_SIZE0_DATAIN_WIDTH(3)),
		XOR("data_size1_channel_real", I8_I32, REG_CNA_DATA_SIZE1,
		    CNA_DATA_SIZE1_DATAIN_CHANNEL_REAL(1)),
		XOR("data_size2_out_width", I8_I32, REG_CNA_DATA_SIZE2,
		    CNA_DATA_SIZE2_DATAOUT_WIDTH(3)),
		XOR("data_size3_atomics", I8_I32, REG_CNA_DATA_SIZE3,
		    CNA_DATA_SIZE3_DATAOUT_ATOMICS(8)),
		XOR("data_size3_surf_mode", I8_I32, REG_CNA_DATA_SIZE3,
		    CNA_DATA_SIZE3_SURF_MODE(1)),
		XOR("weight_size0_bytes", I8_I32, REG_CNA_WEIGHT_SIZE0, 0x20),
		XOR("weight_size1_per_kernel", F16_F32, REG_CNA_WEIGHT_SIZE1, 0x40),
		XOR("weight_size2_width", I8_I32, REG_CNA_WEIGHT_SIZE2,
		    CNA_WEIGHT_SIZE2_WEIGHT_WIDTH(2)),
		XOR("weight_size2_height", I8_I32, REG_CNA_WEIGHT_SIZE2,
		    CNA_WEIGHT_SIZE2_WEIGHT_HEIGHT(2)),
		SET("cbuf_con0_sum_not_12", I8_I32, REG_CNA_CBUF_CON0,
		    CNA_CBUF_CON0_WEIGHT_BANK(10) | CNA_CBUF_CON0_DATA_BANK(1)),
		SET("cbuf_con0_data_bank_0", I8_I32, REG_CNA_CBUF_CON0,
		    CNA_CBUF_CON0_WEIGHT_BANK(12) | CNA_CBUF_CON0_DATA_BANK(0)),
		SET("cbuf_con0_data_bank_12", I8_I32, REG_CNA_CBUF_CON0,
		    CNA_CBUF_CON0_DATA_BANK(12)),
		XOR("cbuf_con0_data_reuse", I8_I32, REG_CNA_CBUF_CON0, CNA_CBUF_CON0_DATA_REUSE(1)),
		XOR("cbuf_con0_fc_data_bank", I8_I32, REG_CNA_CBUF_CON0,
		    CNA_CBUF_CON0_FC_DATA_BANK(1)),
		XOR("cbuf_con1_data_entries", F16_F32, REG_CNA_CBUF_CON1, 1),
		SET("cvt_con0_not_bypassed", I8_I32, REG_CNA_CVT_CON0, CNA_CVT_CON0_DATA_SIGN(1)),
		SET("cvt_con0_unsigned", I8_I32, REG_CNA_CVT_CON0,
		    CNA_CVT_CON0_CVT_TYPE(1) | CNA_CVT_CON0_CVT_BYPASS(1)),
		SET("cvt_con1_scale2", I8_I32, REG_CNA_CVT_CON1, CNA_CVT_CON1_CVT_SCALE0(2)),
		XOR("cvt_con2_offset", I8_I32, REG_CNA_CVT_CON2, CNA_CVT_CON2_CVT_OFFSET1(1)),
		SET("cvt_con3_scale0", I8_I32, REG_CNA_CVT_CON3, 0),
		SET("cvt_con4_scale0", I8_I32, REG_CNA_CVT_CON4, 0),
		XOR("feature_addr_unaligned", I8_I32, REG_CNA_FEATURE_DATA_ADDR, 8),
		XOR("dcomp_addr_unaligned", I8_I32, REG_CNA_DCOMP_ADDR0, 4),
		XOR("dma_con0_burst", I8_I32, REG_CNA_DMA_CON0, CNA_DMA_CON0_DATA_BURST_LEN(8)),
		XOR("dma_con1_line_stride", I8_I32, REG_CNA_DMA_CON1, CNA_DMA_CON1_LINE_STRIDE(12)),
		SET("dma_con2_surf_stride_not_mult4", I8_I32, REG_CNA_DMA_CON2,
		    CNA_DMA_CON2_SURF_STRIDE(1)),
		SET("dma_con2_full_m_smaller", I8_I32, REG_CNA_DMA_CON2,
		    CNA_DMA_CON2_SURF_STRIDE(0xffffffd)),
		XOR("dma_con2_reserved", I8_I32, REG_CNA_DMA_CON2, 0x10000000),
		XOR("fc_data_size0_height", I8_I32, REG_CNA_FC_DATA_SIZE0,
		    CNA_FC_DATA_SIZE0_DMA_HEIGHT(8)),
		XOR("fc_data_size1_channel", I8_I32, REG_CNA_FC_DATA_SIZE1, 32),
		SET("core_misc_cfg_int8_qd_en", I8_I32, REG_CORE_MISC_CFG, CORE_MISC_CFG_QD_EN(1)),
		SET("core_misc_cfg_fp16_no_qd", F16_F32, REG_CORE_MISC_CFG,
		    CORE_MISC_CFG_PROC_PRECISION(2)),
		XOR("core_misc_cfg_dw_en", F16_F16, REG_CORE_MISC_CFG, CORE_MISC_CFG_DW_EN(1)),
		XOR("core_dataout_size0_height", I8_I32, REG_CORE_DATAOUT_SIZE_0,
		    CORE_DATAOUT_SIZE_0_DATAOUT_HEIGHT(4)),
		XOR("core_dataout_size0_width", I8_I32, REG_CORE_DATAOUT_SIZE_0,
		    CORE_DATAOUT_SIZE_0_DATAOUT_WIDTH(1)),
		XOR("core_dataout_size1_channel", I8_I32, REG_CORE_DATAOUT_SIZE_1, 32),
		SET("dpu_s_pointer", I8_I32, REG_DPU_S_POINTER, DPU_S_POINTER_POINTER_PP_EN(1)),
		XOR("dpu_feature_mode_output_mode", I8_I32, REG_DPU_FEATURE_MODE_CFG,
		    DPU_FEATURE_MODE_CFG_OUTPUT_MODE(3)),
		XOR("dpu_feature_mode_flying", I8_I32, REG_DPU_FEATURE_MODE_CFG,
		    DPU_FEATURE_MODE_CFG_FLYING_MODE(1)),
		SET("dpu_data_format_int8_to_fp32", I8_I32, REG_DPU_DATA_FORMAT,
		    DPU_DATA_FORMAT_OUT_PRECISION(5)),
		SET("dpu_data_format_fp16_to_int8", F16_F32, REG_DPU_DATA_FORMAT,
		    DPU_DATA_FORMAT_OUT_PRECISION(0) | DPU_DATA_FORMAT_IN_PRECISION(2) |
		    DPU_DATA_FORMAT_PROC_PRECISION(2)),
		SET("dpu_data_format_in_differs", F16_F32, REG_DPU_DATA_FORMAT,
		    DPU_DATA_FORMAT_OUT_PRECISION(5) | DPU_DATA_FORMAT_IN_PRECISION(0) |
		    DPU_DATA_FORMAT_PROC_PRECISION(2)),
		XOR("dpu_data_format_bs_shift", F16_F32, REG_DPU_DATA_FORMAT,
		    DPU_DATA_FORMAT_BS_MUL_SHIFT_VALUE_NEG(1)),
		XOR("dpu_dst_unaligned", I8_I32, REG_DPU_DST_BASE_ADDR, 4),
		XOR("dpu_dst_surf_stride", I8_I32, REG_DPU_DST_SURF_STRIDE, 0x40),
		XOR("dpu_cube_height", I8_I32, REG_DPU_DATA_CUBE_HEIGHT, 1),
		XOR("dpu_cube_channel_orig", I8_I32, REG_DPU_DATA_CUBE_CHANNEL,
		    DPU_DATA_CUBE_CHANNEL_ORIG_CHANNEL(1)),
		XOR("dpu_cube_channel", I8_I32, REG_DPU_DATA_CUBE_CHANNEL,
		    DPU_DATA_CUBE_CHANNEL_CHANNEL(1)),
		XOR("dpu_bs_not_bypassed", I8_I32, REG_DPU_BS_CFG, DPU_BS_CFG_BS_BYPASS(1)),
		XOR("dpu_bs_relux", I8_I32, REG_DPU_BS_CFG, DPU_BS_CFG_BS_RELUX_EN(1)),
		XOR("dpu_bn_enabled", F16_F32, REG_DPU_BN_CFG, DPU_BN_CFG_BN_BYPASS(1)),
		XOR("dpu_bn_alu_algo", F16_F32, REG_DPU_BN_CFG, DPU_BN_CFG_BN_ALU_ALGO(2)),
		XOR("dpu_ew_enabled", F16_F16, REG_DPU_EW_CFG, DPU_EW_CFG_EW_BYPASS(1)),
		XOR("dpu_ew_binary", F16_F16, REG_DPU_EW_CFG, DPU_EW_CFG_EW_BINARY_EN(1)),
		SET("dpu_bs_ow_size_e_fp32_for_int32", I8_I32, REG_DPU_BS_OW_CFG,
		    DPU_BS_OW_CFG_SIZE_E_2(3) | DPU_BS_OW_CFG_SIZE_E_1(3) |
		    DPU_BS_OW_CFG_SIZE_E_0(3)),
		XOR("dpu_bs_ow_size_e_mixed", F16_F16, REG_DPU_BS_OW_CFG,
		    DPU_BS_OW_CFG_SIZE_E_2(2)),
		XOR("dpu_bs_ow_ow_src", F16_F32, REG_DPU_BS_OW_CFG, DPU_BS_OW_CFG_OW_SRC(1)),
		XOR("dpu_bs_ow_od_bypass_0_int32", I8_I32, REG_DPU_BS_OW_CFG,
		    DPU_BS_OW_CFG_OD_BYPASS(1)),
		XOR("dpu_bs_ow_od_bypass_0_fp32", F16_F32, REG_DPU_BS_OW_CFG,
		    DPU_BS_OW_CFG_OD_BYPASS(1)),
		XOR("dpu_bs_ow_od_bypass_0_fp16", F16_F16, REG_DPU_BS_OW_CFG,
		    DPU_BS_OW_CFG_OD_BYPASS(1)),
		XOR("dpu_wdma_size0", I8_I32, REG_DPU_WDMA_SIZE_0, 1),
		XOR("dpu_wdma_size1_height", I8_I32, REG_DPU_WDMA_SIZE_1,
		    DPU_WDMA_SIZE_1_HEIGHT_WDMA(1)),
		XOR("dpu_wdma_size1_width", I8_I32, REG_DPU_WDMA_SIZE_1,
		    DPU_WDMA_SIZE_1_WIDTH_WDMA(1)),
		SET("dpu_out_cvt_no_fp16_enable", F16_F16, REG_DPU_OUT_CVT_SCALE,
		    DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(1)),
		XOR("dpu_out_cvt_fp16_enable_for_fp32", F16_F32, REG_DPU_OUT_CVT_SCALE,
		    DPU_OUT_CVT_SCALE_FP32TOFP16_EN(1)),
		SET("dpu_out_cvt_scale2", I8_I32, REG_DPU_OUT_CVT_SCALE,
		    DPU_OUT_CVT_SCALE_OUT_CVT_SCALE(2)),
		XOR("dpu_surface_add", F16_F32, REG_DPU_SURFACE_ADD, 0x10),
		SET("dpu_ew_cvt_scale2", I8_I32, REG_DPU_EW_CVT_SCALE_VALUE,
		    DPU_EW_CVT_SCALE_VALUE_EW_OP_CVT_SCALE(2)),
		SET("rdma_s_pointer", I8_I32, REG_DPU_RDMA_RDMA_S_POINTER, 0),
		SET("rdma_erdma_enabled", I8_I32, REG_DPU_RDMA_RDMA_ERDMA_CFG, 0),
		SET("rdma_mrdma_enabled", I8_I32, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, 0),
		XOR("rdma_feature_mode_fp16tofp32", I8_I32, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		    DPU_RDMA_RDMA_FEATURE_MODE_CFG_MRDMA_FP16TOFP32_EN(1)),
		XOR("rdma_feature_mode_burst7", I8_I32, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
		    DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(7)),
	};

	for (i = 0; i < sizeof(field_cases) / sizeof(field_cases[0]); i++) {
		why[0] = '\0';
		setup();
		snprintf(name, sizeof(name), "field_%s", field_cases[i].name);
		if (run_field_case(&field_cases[i])) {
			printf("PASS %s\n", name);
			n_pass++;
		} else {
			printf("FAIL %s: %s\n", name, why);
			n_fail++;
		}
	}
}

/* Registers the model does not read: any non-zero value is refused. */
static const uint32_t zero_regs[] = {
	REG_CNA_FC_CON0, REG_CNA_FC_CON1, REG_CNA_FC_CON2, REG_CNA_PAD_CON0, REG_CNA_PAD_CON1,
	REG_CNA_DCOMP_CTRL, REG_CNA_DCOMP_REGNUM, REG_CNA_DCOMP_AMOUNT3, REG_CNA_CVT_CON5,
	REG_CNA_CLK_GATE, REG_CNA_OPERATION_ENABLE, REG_CORE_CLIP_TRUNCATE, REG_CORE_MAC_GATING,
	REG_CORE_OPERATION_ENABLE, 0x3030, REG_DPU_OFFSET_PEND, REG_DPU_DATA_CUBE_WIDTH,
	REG_DPU_DATA_CUBE_NOTCH_ADDR, REG_DPU_BS_ALU_CFG, REG_DPU_BS_OW_OP, REG_DPU_BN_MUL_CFG,
	REG_DPU_EW_CVT_OFFSET_VALUE, REG_DPU_OUT_CVT_OFFSET, REG_DPU_OUT_CVT_SHIFT,
	REG_DPU_EW_OP_VALUE_5, 0x40c4, REG_DPU_LUT_CFG, REG_DPU_OPERATION_ENABLE,
	REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, REG_DPU_RDMA_RDMA_BRDMA_CFG,
	REG_DPU_RDMA_RDMA_BS_BASE_ADDR, REG_DPU_RDMA_RDMA_WEIGHT,
	REG_DPU_RDMA_RDMA_OPERATION_ENABLE, REG_PPU_S_POINTER, REG_PPU_DATA_CUBE_IN_WIDTH,
	REG_PPU_RDMA_RDMA_S_POINTER,
};

static bool run_zero_case(uint32_t reg)
{
	struct small s;
	char needle[64];
	const char *name = rkt_model_reg_name(reg);
	bool ok;

	small_setup(&s, F16_F32);
	insert_entry(s.e, &s.n, entry(target_of(reg), reg, 0x10));
	if (name)
		snprintf(needle, sizeof(needle), "%s=0x00000010: the model knows only 0", name);
	else
		snprintf(needle, sizeof(needle), "REG_0x%08x=0x00000010", reg);
	ok = expect_refused(submit_list(s.e, s.n), needle);
	mm_free(&s.t);
	return ok;
}

/* Registers the model accepts in more than one state. */
static bool accepted_variant(uint32_t reg, uint32_t xor_mask)
{
	struct small s;

	small_setup(&s, F16_F32);
	CHECK(patch_entry(s.e, s.n, reg, entry_value(s.e, s.n, reg) ^ xor_mask), "no entry");
	return small_done(&s, submit_list(s.e, s.n));
}

static bool accept_rdma_burst15(void)
{
	return accepted_variant(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG,
				DPU_RDMA_RDMA_FEATURE_MODE_CFG_BURST_LEN(15));
}

static bool accept_ew_cvt_scale_1(void)
{
	struct small s;

	small_setup(&s, F16_F32);
	s.j.j_zeros = true;	/* writes EW_CVT_SCALE_VALUE = 1, as J and M do */
	s.n = encode(&s.j, s.e);
	return small_done(&s, submit_list(s.e, s.n));
}

/* ---------------------------------------------------------------------- */
/* Shape rules                                                              */

static bool shape_refused(enum tprec p, uint32_t m, uint32_t k, uint32_t n, const char *needle)
{
	struct job j = {
		.prec = p, .m = m, .k = k, .n = n,
		.a = mem_alloc(16, 0), .b = mem_alloc(16, 0), .c = mem_alloc(16, 0),
	};

	if (m * k * bpe_of(p) > 11 * 32768)
		j.data_bank = 11;
	return expect_refused(submit(&j), needle);
}

static bool shape_k48(void) { return shape_refused(I8_I32, 4, 48, 32, "K % 32 == 0"); }
static bool shape_k_over_bank(void)
{
	return shape_refused(F16_F32, 4, 16416, 16, "within one 32768-byte bank");
}
static bool shape_n16_int8(void) { return shape_refused(I8_I32, 4, 32, 16, "N % 32 == 0"); }
static bool shape_n8_fp16(void) { return shape_refused(F16_F16, 4, 32, 8, "N % 16 == 0"); }
static bool shape_n8224(void) { return shape_refused(I8_I32, 4, 32, 8224, "N <= 8192"); }
static bool shape_m2(void) { return shape_refused(I8_I32, 2, 32, 32, "M % 4 == 0 or M == 1"); }
static bool shape_m6(void) { return shape_refused(F16_F32, 6, 32, 16, "M % 4 == 0 or M == 1"); }
static bool shape_m1024(void) { return shape_refused(I8_I32, 1024, 32, 32, "FEATURE_GRAINS"); }
static bool shape_tile_too_big(void)
{
	return shape_refused(F16_F32, 256, 1024, 16, "does not fit DATA_BANK 11");
}

static bool shape_slice_of_one_row(void)
{
	struct job j = {
		.prec = I8_I32, .m = 1, .k = 32, .n = 32, .m_full = 8,
		.a = mem_alloc(8 * 32, 0), .b = mem_alloc(32 * 32, 0), .c = mem_alloc(8 * 128, 0),
	};

	return expect_refused(submit(&j), "M == 1 only with full M 1");
}

/* Surface strides computed from a full M smaller than the task's M. */
static bool shape_full_m_smaller_than_task(void)
{
	struct job j = {
		.prec = F16_F32, .m = 8, .k = 32, .n = 16, .m_full = 4,
		.a = mem_alloc(8 * 64, 0), .b = mem_alloc(32 * 32, 0), .c = mem_alloc(8 * 64, 0),
	};

	return expect_refused(submit(&j), "full M 4 and task M 8");
}

/* A full M whose SURFACE_ADD would not fit its field is not wrapped. */
static bool shape_full_m_too_large(void)
{
	struct job j = {
		.prec = I8_I32, .m = 4, .k = 32, .n = 32, .m_full = 1u << 27,
		.a = mem_alloc(16, 0), .b = mem_alloc(16, 0), .c = mem_alloc(16, 0),
	};

	return expect_refused(submit(&j), "too large for SURF_ADD");
}

/* ---------------------------------------------------------------------- */
/* Outcomes                                                                 */

static bool expect_fault(enum rkt_model_outcome o, uint32_t raw_bit, uint32_t err_bit,
			 const char *needle)
{
	CHECK(o == RKT_MODEL_DMA_FAULT, "outcome %s, expected DMA_FAULT; log: %s", outcome(o),
	      rkt_model_log(&model));
	CHECK(raw_status() & raw_bit, "raw status 0x%x lacks 0x%x", raw_status(), raw_bit);
	CHECK(!(raw_status() & DPU_BITS), "completion bit set on a fault");
	CHECK(!rkt_model_irq_pending(&model), "interrupt pending (DPU-only mask)");
	CHECK(rkt_model_errors(&model) & err_bit, "model error bit 0x%x missing", err_bit);
	CHECK(strstr(rkt_model_log(&model), needle), "log lacks \"%s\": %s", needle,
	      rkt_model_log(&model));
	return true;
}

static bool fault_case(int which)
{
	struct small s;
	uint32_t regcmd;
	bool ok;

	small_setup(&s, F16_F32);
	regcmd = mem_alloc(s.n * 8, 0);
	write_regcmd(regcmd, s.e, s.n);
	switch (which) {
	case 0:
		mem_unmap(s.t.a + 16, 16);
		break;
	case 1:
		mem_unmap(s.t.b + 1024, 16);
		break;
	case 2:
		mem_unmap(s.t.c + 64, 16);
		break;
	case 3:
		mem_unmap(regcmd + 8 * 20, 8);
		break;
	}
	kick(regcmd, s.n);
	switch (which) {
	case 0:
		ok = expect_fault(rkt_model_run(&model), PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR,
				  RKT_MODEL_ERR_DMA_READ, "A (CNA_FEATURE_DATA_ADDR)");
		break;
	case 1:
		ok = expect_fault(rkt_model_run(&model), PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR,
				  RKT_MODEL_ERR_DMA_READ, "B (CNA_DCOMP_ADDR0)");
		break;
	case 2:
		ok = expect_fault(rkt_model_run(&model), PC_INTERRUPT_RAW_STATUS_DMA_WRITE_ERROR,
				  RKT_MODEL_ERR_DMA_WRITE, "C (DPU_DST_BASE_ADDR)");
		break;
	default:
		ok = expect_fault(rkt_model_run(&model), PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR,
				  RKT_MODEL_ERR_DMA_READ, "regcmd (PC_BASE_ADDRESS)");
		break;
	}
	mm_free(&s.t);
	return ok;
}

static bool fault_a(void) { return fault_case(0); }
static bool fault_b(void) { return fault_case(1); }
static bool fault_c(void) { return fault_case(2); }
static bool fault_regcmd(void) { return fault_case(3); }

/* A surface that would cross 4 GiB is a fault, not a wrapped access. */
static bool fault_above_4g(void)
{
	struct job j = {
		.prec = I8_I32, .m = 4, .k = 64, .n = 32,
		.a = 0xffffffe0u, .b = mem_alloc(64 * 32, 0), .c = mem_alloc(4 * 128, 0),
	};

	return expect_fault(submit(&j), PC_INTERRUPT_RAW_STATUS_DMA_READ_ERROR,
			    RKT_MODEL_ERR_DMA_READ, "at 0x00000000ffffffe0");
}

static bool hang_without_dpu_rdma(void)
{
	struct small s;
	enum rkt_model_outcome o;

	small_setup(&s, I8_I32);
	s.j.no_rdma = true;
	s.n = encode(&s.j, s.e);
	o = submit_list(s.e, s.n);
	mm_free(&s.t);
	CHECK(o == RKT_MODEL_HANG, "outcome %s, expected HANG", outcome(o));
	CHECK(raw_status() == 0, "raw status 0x%x on a hang", raw_status());
	CHECK(!rkt_model_irq_pending(&model), "interrupt pending on a hang");
	CHECK(rkt_model_errors(&model) & RKT_MODEL_ERR_HANG, "ERR_HANG missing");
	CHECK(strstr(rkt_model_log(&model), "does not program DPU_RDMA"), "log: %s",
	      rkt_model_log(&model));
	return true;
}

static bool refused_rdma_without_pointer(void)
{
	struct small s;
	bool ok;

	small_setup(&s, I8_I32);
	s.j.no_rdma = true;
	s.n = encode(&s.j, s.e);
	insert_entry(s.e, &s.n, entry(0x2001, REG_DPU_RDMA_RDMA_ERDMA_CFG, 1));
	ok = expect_refused(submit_list(s.e, s.n), "without RDMA_S_POINTER");
	mm_free(&s.t);
	return ok;
}

static bool wedged_until_reset(void)
{
	struct small s;
	enum rkt_model_outcome o;

	small_setup(&s, I8_I32);
	s.j.no_rdma = true;
	s.n = encode(&s.j, s.e);
	o = submit_list(s.e, s.n);
	CHECK(o == RKT_MODEL_HANG, "first outcome %s", outcome(o));
	s.j.no_rdma = false;
	s.n = encode(&s.j, s.e);
	o = submit_list(s.e, s.n);
	CHECK(o == RKT_MODEL_HANG, "kick while wedged: %s", outcome(o));
	CHECK(strstr(rkt_model_log(&model), "wedged"), "log: %s", rkt_model_log(&model));
	rkt_model_reset(&model);
	CHECK(rkt_model_errors(&model) == 0, "errors survive reset");
	return small_done(&s, submit_list(s.e, s.n));
}

static bool idle_without_kick(void)
{
	CHECK(rkt_model_run(&model) == RKT_MODEL_IDLE, "ran without a kick");
	CHECK(rkt_model_stats(&model)->tasks == 0, "task counted");
	return true;
}

static bool inf_nan_case(bool in_a, uint16_t h, const char *needle)
{
	struct small s;
	bool ok;

	small_setup(&s, F16_F16);
	if (in_a)
		memcpy(mem_ptr(s.t.a + a_off(F16_F16, 4, 3, 37)), &h, 2);
	else
		memcpy(mem_ptr(s.t.b + b_off(F16_F16, 64, 40, 9)), &h, 2);
	ok = expect_refused(submit_list(s.e, s.n), needle);
	mm_free(&s.t);
	return ok;
}

static bool inf_in_a(void) { return inf_nan_case(true, 0x7c00, "A[m=3][k=37]"); }
static bool neg_inf_in_a(void) { return inf_nan_case(true, 0xfc00, "is 0x0000fc00"); }
static bool nan_in_b(void) { return inf_nan_case(false, 0x7e01, "B[k=40][n=9]"); }

/* The same bytes are ordinary INT8 values. */
static bool int8_bytes_like_inf(void)
{
	struct small s;
	uint32_t i;

	small_setup(&s, I8_I32);
	/* 0x7c00 / 0x7c7e pairs: infinity and NaN if these were halves */
	for (i = 0; i < 4 * 64; i++) {
		s.t.a8[i] = (int8_t)(i & 1 ? 0x7c : (i & 2 ? 0x00 : 0x7e));
		*mem_ptr(s.t.a + a_off(I8_I32, 4, i / 64, i % 64)) = (uint8_t)s.t.a8[i];
	}
	return small_done(&s, submit_list(s.e, s.n));
}

/* ---------------------------------------------------------------------- */
/* Interrupts and MMIO                                                      */

static bool irq_semantics(void)
{
	struct small s;
	enum rkt_model_outcome o;

	small_setup(&s, I8_I32);
	o = submit_list(s.e, s.n);
	CHECK(o == RKT_MODEL_DONE, "outcome %s", outcome(o));
	CHECK(raw_status() == PC_INTERRUPT_RAW_STATUS_DPU_0, "raw 0x%x", raw_status());
	CHECK(rkt_model_irq_pending(&model), "no interrupt with DPU bits unmasked");
	CHECK(rkt_model_reg_read(&model, REG_PC_INTERRUPT_STATUS) == PC_INTERRUPT_STATUS_DPU_0,
	      "status 0x%x", rkt_model_reg_read(&model, REG_PC_INTERRUPT_STATUS));
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_MASK, 0);
	CHECK(!rkt_model_irq_pending(&model), "interrupt with mask 0");
	CHECK(raw_status() == PC_INTERRUPT_RAW_STATUS_DPU_0, "mask changed raw status");
	CHECK(rkt_model_reg_read(&model, REG_PC_INTERRUPT_STATUS) == 0, "status with mask 0");
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_CLEAR, PC_INTERRUPT_CLEAR_DPU_1);
	CHECK(raw_status() == PC_INTERRUPT_RAW_STATUS_DPU_0, "clearing DPU_1 cleared DPU_0");
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_CLEAR, 0x1ffff);
	CHECK(raw_status() == 0, "raw 0x%x after clear", raw_status());
	CHECK(rkt_model_reg_read(&model, REG_PC_INTERRUPT_CLEAR) == 0, "clear reads non-zero");
	return small_done(&s, o);
}

static bool masked_completion_no_irq(void)
{
	struct small s;
	enum rkt_model_outcome o;
	uint32_t regcmd;

	small_setup(&s, I8_I32);
	regcmd = mem_alloc(s.n * 8, 0);
	write_regcmd(regcmd, s.e, s.n);
	kick(regcmd, s.n);
	rkt_model_reg_write(&model, REG_PC_INTERRUPT_MASK, PC_INTERRUPT_MASK_CORE_0);
	o = rkt_model_run(&model);
	CHECK(raw_status() & PC_INTERRUPT_RAW_STATUS_DPU_0, "raw bit must be set when masked");
	CHECK(!rkt_model_irq_pending(&model), "interrupt despite mask");
	return small_done(&s, o);
}

static bool back_to_back_tasks(void)
{
	struct small s;
	enum rkt_model_outcome o;
	int i;

	small_setup(&s, F16_F16);
	for (i = 0; i < 3; i++) {
		o = submit_list(s.e, s.n);
		CHECK(o == RKT_MODEL_DONE, "task %d: %s", i, outcome(o));
		CHECK(rkt_model_irq_pending(&model), "task %d: no interrupt", i);
		irq_handle();
		CHECK(!rkt_model_irq_pending(&model), "task %d: interrupt after handler", i);
	}
	CHECK(rkt_model_stats(&model)->done == 3, "done count");
	return small_done(&s, RKT_MODEL_DONE);
}

static bool mmio_unmodelled(void)
{
	rkt_model_reg_write(&model, 0x2000, 1);
	rkt_model_reg_write(&model, 0x8000, 1);
	CHECK(rkt_model_reg_read(&model, 0xf008) == 0, "unmodelled read non-zero");
	CHECK(rkt_model_errors(&model) & RKT_MODEL_ERR_MMIO, "ERR_MMIO missing");
	CHECK(strstr(rkt_model_log(&model), "offset 0x00002000"), "log: %s",
	      rkt_model_log(&model));
	rkt_model_reg_write(&model, REG_CNA_S_POINTER, 0x1000000e);
	CHECK(rkt_model_reg_read(&model, REG_CNA_S_POINTER) == 0x1000000e, "CNA readback");
	return true;
}

static bool log_overflow_marked(void)
{
	int i;
	size_t len;

	for (i = 0; i < 200; i++)
		rkt_model_reg_write(&model, 0x8000, (uint32_t)i);
	len = strlen(rkt_model_log(&model));
	CHECK(len < RKT_MODEL_LOG_SIZE, "log length %zu", len);
	CHECK(len >= 4 && !strcmp(rkt_model_log(&model) + len - 4, "...\n"),
	      "full log does not end with ...");
	rkt_model_log_clear(&model);
	CHECK(rkt_model_log(&model)[0] == '\0', "log not cleared");
	return true;
}

static bool reset_clears_state(void)
{
	rkt_model_reg_write(&model, REG_CNA_CONV_CON1, 0x120);
	rkt_model_reg_write(&model, REG_PC_OPERATION_ENABLE, 1);
	CHECK(rkt_model_kick_pending(&model), "kick not pending");
	rkt_model_reset(&model);
	CHECK(!rkt_model_kick_pending(&model), "kick survives reset");
	CHECK(rkt_model_reg_read(&model, REG_CNA_CONV_CON1) == 0, "register survives reset");
	return true;
}

/* ---------------------------------------------------------------------- */

struct test {
	const char *name;
	bool (*fn)(void);
};

#define T(x) { #x, x }

static const struct test tests[] = {
	/* regcmd parsing and the PC */
	T(entry_fields_applied), T(entry_order_free), T(tail_zero_entry),
	T(tail_enable_0d), T(tail_enable_1d), T(tail_enable_7f),
	T(odd_entry_count), T(even_entry_count), T(amount_too_large), T(amount_too_small),
	T(parse_unknown_target), T(parse_offset_outside_block), T(parse_offset_unaligned),
	T(parse_pc_entry_in_body), T(parse_marker_nonzero), T(parse_enable_without_marker),
	T(parse_enable_value_unknown), T(parse_enable_wrong_register),
	T(parse_tail_without_amounts), T(parse_marker_in_body),
	T(pc_base_unaligned), T(pc_task_number_2), T(pc_task_dma_base_nonzero),
	T(pc_amounts_reserved),
	/* accepted variants */
	T(without_explicit_zeros), T(data_bank_more_than_needed),
	T(accept_rdma_burst15), T(accept_ew_cvt_scale_1),
	/* shape rules */
	T(shape_k48), T(shape_k_over_bank), T(shape_n16_int8), T(shape_n8_fp16),
	T(shape_n8224), T(shape_m2), T(shape_m6), T(shape_m1024), T(shape_tile_too_big),
	T(shape_slice_of_one_row), T(shape_full_m_smaller_than_task),
	T(shape_full_m_too_large),
	/* shapes and layouts */
	T(i8_m1_k32_n32), T(i8_m4_k32_n32), T(i8_m4_k64_n64), T(i8_m100_k96_n64),
	T(i8_m16_k128_n256), T(i8_m4_k8192_n32), T(i8_m1_k8192_n32), T(i8_m1020_k32_n32),
	T(i8_all_min_k8192), T(i8_k32768_one_bank_kernel),
	T(f16f32_m1_k32_n16), T(f16f32_m4_k64_n32), T(f16f32_m100_k96_n32),
	T(f16f32_m16_k128_n256), T(f16f32_m4_k8192_n16), T(f16f32_wide_exponents),
	T(f16f16_m1_k32_n16), T(f16f16_m4_k64_n32), T(f16f16_m100_k96_n32),
	T(f16f16_m16_k128_n256), T(f16f16_m4_k8192_n16), T(f16f16_subnormal_results),
	T(f16f16_overflow_results),
	T(i8_streamed_weights_k4096_n256), T(f16f32_streamed_weights_k8192_n64),
	T(f16f16_one_kernel_per_bank_k16384), T(c_writes_stay_inside),
	/* slices */
	T(i8_row_slices_reuse), T(f16f32_row_slices_reuse), T(f16f16_row_slices_reuse),
	T(i8_row_slices_large_m), T(n_slices),
	T(reuse_first_task), T(reuse_after_streamed_weights), T(reuse_other_b),
	T(reuse_other_data_bank), T(reuse_after_reset),
	/* rounding */
	T(round_f16_tie_to_even_down), T(round_f16_tie_to_even_up), T(round_f16_single_rounding),
	T(round_f16_negative_tie), T(round_f16_smallest_subnormal),
	T(round_f16_half_subnormal_to_zero), T(round_f16_subnormal_up),
	T(round_f16_subnormal_to_normal), T(round_f16_max), T(round_f16_below_overflow),
	T(round_f16_overflow_tie), T(round_f16_overflow), T(round_f16_overflow_negative),
	T(round_f16_cancellation), T(round_f16_exact_zero),
	T(round_f32_tie_to_even), T(round_f32_tie_to_even_up), T(round_f32_single_rounding),
	T(round_f32_smallest_product), T(round_f32_largest_product), T(round_f32_tiny_addend),
	/* outcomes */
	T(fault_a), T(fault_b), T(fault_c), T(fault_regcmd), T(fault_above_4g),
	T(hang_without_dpu_rdma), T(refused_rdma_without_pointer), T(wedged_until_reset),
	T(idle_without_kick), T(inf_in_a), T(neg_inf_in_a), T(nan_in_b), T(int8_bytes_like_inf),
	/* interrupts and MMIO */
	T(irq_semantics), T(masked_completion_no_irq), T(back_to_back_tasks),
	T(mmio_unmodelled), T(log_overflow_marked), T(reset_clears_state),
	/* self-checks */
	T(selfcheck_perturbed_i8), T(selfcheck_perturbed_f16f32), T(selfcheck_perturbed_f16f16),
	T(selfcheck_wrong_layout_detected),
};

/* ---------------------------------------------------------------------- */
/* DPU-only INT32 add (split K)                                             */

/*
 * A DPU-only add list written here from the sources' register set, not
 * from the kernel encoder: MRDMA reads @src, ERDMA @ew, the result goes to
 * @dst; a cube of @w rows (as its width), height 1, @c channels, surfaces
 * @s rows apart (the reads skip (s - w) * 16 bytes through the notches).
 */
struct add_list {
	uint64_t e[MAX_ENTRIES];
	uint32_t n;
};

static void add_encode(struct add_list *l, uint32_t w, uint32_t c, uint32_t s, uint32_t src,
		       uint32_t ew, uint32_t dst)
{
	uint32_t *n = &l->n;

	*n = 0;
	emit(l->e, n, REG_DPU_S_POINTER, 0xe);
	emit(l->e, n, REG_DPU_FEATURE_MODE_CFG, 0x1e5);
	emit(l->e, n, REG_DPU_DATA_FORMAT, 4u << 29 | 4u << 26 | 4);
	emit(l->e, n, REG_DPU_DST_BASE_ADDR, dst);
	emit(l->e, n, REG_DPU_DST_SURF_STRIDE, s * 16);
	emit(l->e, n, REG_DPU_DATA_CUBE_WIDTH, w - 1);
	emit(l->e, n, REG_DPU_DATA_CUBE_HEIGHT, 0);
	emit(l->e, n, REG_DPU_DATA_CUBE_CHANNEL, (c - 1) << 16 | (c - 1));
	emit(l->e, n, REG_DPU_BS_CFG, 0x53);
	emit(l->e, n, REG_DPU_BS_OW_CFG, 0x2);
	emit(l->e, n, REG_DPU_WDMA_SIZE_0, c - 1);
	emit(l->e, n, REG_DPU_WDMA_SIZE_1, w - 1);
	emit(l->e, n, REG_DPU_BN_CFG, 0x53);
	emit(l->e, n, REG_DPU_EW_CFG, 0x10c203c0);
	emit(l->e, n, REG_DPU_EW_CVT_SCALE_VALUE, 1);
	emit(l->e, n, REG_DPU_OUT_CVT_SCALE, 1);
	emit(l->e, n, REG_DPU_SURFACE_ADD, s * 16);
	emit(l->e, n, REG_DPU_RDMA_RDMA_S_POINTER, 0xe);
	emit(l->e, n, REG_DPU_RDMA_RDMA_DATA_CUBE_WIDTH, w - 1);
	emit(l->e, n, REG_DPU_RDMA_RDMA_DATA_CUBE_CHANNEL, c - 1);
	emit(l->e, n, REG_DPU_RDMA_RDMA_SRC_BASE_ADDR, src);
	emit(l->e, n, REG_DPU_RDMA_RDMA_SURF_NOTCH, (s - w) * 16);
	emit(l->e, n, REG_DPU_RDMA_RDMA_ERDMA_CFG, 0x4000000c);
	emit(l->e, n, REG_DPU_RDMA_RDMA_EW_BASE_ADDR, ew);
	emit(l->e, n, REG_DPU_RDMA_RDMA_EW_SURF_STRIDE, w * 16);
	emit(l->e, n, REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, (s - w) * 16);
	emit(l->e, n, REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, 0x27881);
	emit(l->e, n, REG_DPU_RDMA_RDMA_WEIGHT, 0x01010101);
	l->e[(*n)++] = entry(0x0101, REG_PC_BASE_ADDRESS, 0);
	l->e[(*n)++] = entry(0x0101, REG_PC_REGISTER_AMOUNTS, 0);
	l->e[(*n)++] = entry(0x0041, 0, 0);
	l->e[(*n)++] = entry(0x0081, REG_PC_OPERATION_ENABLE, 0x18);
}

/* Replace the value of @reg in the list (it must be there). */
static void add_set(struct add_list *l, uint32_t reg, uint32_t value)
{
	uint32_t i;

	for (i = 0; i < l->n - 4; i++)
		if ((l->e[i] & 0xffff) == reg)
			l->e[i] = entry(target_of(reg), reg, value);
}

static int32_t add_val(uint32_t i, uint32_t salt)
{
	/* past 2^24 with odd low bits: an FP32 datapath would show */
	uint32_t x = (i + 1) * 2654435761u ^ salt;

	return (int32_t)(x & 0x7fffffff) - 0x40000000 + (int32_t)(x >> 31);
}

/*
 * Add a tile of @w rows at row @r0 of @s-row surfaces, @c channels, from
 * two operands of random INT32 (or @sat: pairs that overflow) and check
 * every element of the result, and that nothing outside the tile changed.
 */
static bool add_case(uint32_t w, uint32_t c, uint32_t s, uint32_t r0, bool sat)
{
	uint32_t bytes = c / 4 * s * 16, src, ew, dst, surf, row, lane, off;
	struct add_list l;
	enum rkt_model_outcome o;

	src = mem_alloc(bytes, 0);
	ew = mem_alloc(bytes, 0);
	dst = mem_alloc(bytes, 0x5a);
	for (off = 0; off < bytes; off += 4) {
		int32_t a = add_val(off / 4, 0x1234), b = add_val(off / 4, 0xabcd00);

		if (sat) {
			a = off % 8 ? INT32_MIN + 5 : INT32_MAX - 5;
			b = off % 8 ? -6 - (int32_t)(off % 64) : 6 + (int32_t)(off % 64);
		}
		memcpy(mem_ptr(src + off), &a, 4);
		memcpy(mem_ptr(ew + off), &b, 4);
	}
	add_encode(&l, w, c, s, src + r0 * 16, ew + r0 * 16, dst + r0 * 16);
	o = submit_list(l.e, l.n);
	CHECK(o == RKT_MODEL_DONE, "outcome %s: %s", outcome(o), rkt_model_log(&model));
	for (surf = 0; surf < c / 4; surf++)
		for (row = 0; row < s; row++)
			for (lane = 0; lane < 4; lane++) {
				int64_t want;
				int32_t a, b, got;

				off = (surf * s + row) * 16 + lane * 4;
				memcpy(&a, mem_ptr(src + off), 4);
				memcpy(&b, mem_ptr(ew + off), 4);
				memcpy(&got, mem_ptr(dst + off), 4);
				if (row < r0 || row >= r0 + w) {
					CHECK(*mem_ptr(dst + off) == 0x5a,
					      "row %u outside the tile written", row);
					continue;
				}
				want = (int64_t)a + b;
				want = want > INT32_MAX ? INT32_MAX :
				       want < INT32_MIN ? INT32_MIN : want;
				CHECK(got == want, "surface %u row %u lane %u: %d + %d = %d, want %lld",
				      surf, row, lane, a, b, got, (long long)want);
			}
	return true;
}

static bool dpu_add_exact(void) { return add_case(8, 32, 8, 0, false); }
static bool dpu_add_one_row(void) { return add_case(1, 1024, 1, 0, false); }
static bool dpu_add_largest(void) { return add_case(128, 1024, 128, 0, false); }
static bool dpu_add_notched_tile(void) { return add_case(68, 32, 132, 64, false); }
static bool dpu_add_saturates(void) { return add_case(4, 64, 4, 0, true); }

/* The add list of add_case() with one edit, refused with @needle in the log. */
static bool add_refused(uint32_t reg, uint32_t value, uint32_t w, const char *needle)
{
	uint32_t src = mem_alloc(32 * 256 * 16, 0), ew = mem_alloc(32 * 256 * 16, 0);
	uint32_t dst = mem_alloc(32 * 256 * 16, 0);
	struct add_list l;

	add_encode(&l, w, 32, w, src, ew, dst);
	if (reg)
		add_set(&l, reg, value);
	/* not in the list: in place of DATA_CUBE_HEIGHT's 0 (the reset value) */
	if (reg == REG_DPU_RDMA_RDMA_BRDMA_CFG)
		l.e[6] = entry(0x2001, reg, value);
	return expect_refused(submit_list(l.e, l.n), needle);
}

static bool dpu_add_fp32_refused(void)
{
	return add_refused(REG_DPU_DATA_FORMAT, 5u << 29 | 5u << 26 | 5, 8, "FP32 add not modelled");
}

static bool dpu_add_fp16_refused(void)
{
	return add_refused(REG_DPU_DATA_FORMAT, 2u << 29 | 2u << 26 | 2, 8, "all INT32");
}

static bool dpu_add_too_wide_refused(void)
{
	return add_refused(0, 0, 129, "at most 128 rows");
}

static bool dpu_add_taller_cube_refused(void)
{
	return add_refused(REG_DPU_DATA_CUBE_HEIGHT, 1, 8, "knows only 0");
}

static bool dpu_add_cvt_live_refused(void)
{
	return add_refused(REG_DPU_EW_CFG, 0x10c202c0, 8, "ALU ADD");
}

static bool dpu_add_erdma_16bit_refused(void)
{
	return add_refused(REG_DPU_RDMA_RDMA_ERDMA_CFG, 0x40000008, 8, "32-bit");
}

static bool dpu_add_comb_use_refused(void)
{
	return add_refused(REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG, 0x27981, 8, "COMB_USE 0");
}

static bool dpu_add_orig_channel_refused(void)
{
	return add_refused(REG_DPU_DATA_CUBE_CHANNEL, 31, 8, "ORIG_CHANNEL");
}

static bool dpu_add_mul_refused(void)
{
	return add_refused(REG_DPU_EW_CFG, 0x10c003c4, 8, "ALU ADD");
}

static bool dpu_add_brdma_refused(void)
{
	return add_refused(REG_DPU_RDMA_RDMA_BRDMA_CFG, 2, 8, "knows only 0");
}

static bool dpu_add_channels_16_refused(void)
{
	return add_refused(REG_DPU_DATA_CUBE_CHANNEL, 15 << 16 | 15, 8, "multiple of 32");
}

static bool dpu_add_wrong_notch_refused(void)
{
	return add_refused(REG_DPU_RDMA_RDMA_EW_SURF_NOTCH, 16, 8, "surface stride - width");
}

static const struct {
	const char *name;
	bool (*fn)(void);
} add_tests[] = {
	{ "dpu_add_int32_exact", dpu_add_exact },
	{ "dpu_add_int32_one_row_1024_channels", dpu_add_one_row },
	{ "dpu_add_int32_128x1024", dpu_add_largest },
	{ "dpu_add_int32_notched_tile", dpu_add_notched_tile },
	{ "dpu_add_int32_saturates", dpu_add_saturates },
	{ "dpu_add_fp32_refused", dpu_add_fp32_refused },
	{ "dpu_add_fp16_refused", dpu_add_fp16_refused },
	{ "dpu_add_129_rows_refused", dpu_add_too_wide_refused },
	{ "dpu_add_taller_cube_refused", dpu_add_taller_cube_refused },
	{ "dpu_add_converter_live_refused", dpu_add_cvt_live_refused },
	{ "dpu_add_erdma_16bit_refused", dpu_add_erdma_16bit_refused },
	{ "dpu_add_comb_use_refused", dpu_add_comb_use_refused },
	{ "dpu_add_orig_channel_0_refused", dpu_add_orig_channel_refused },
	{ "dpu_add_mul_refused", dpu_add_mul_refused },
	{ "dpu_add_brdma_refused", dpu_add_brdma_refused },
	{ "dpu_add_wrong_notch_refused", dpu_add_wrong_notch_refused },
	{ "dpu_add_16_channels_refused", dpu_add_channels_16_refused },
};

int main(void)
{
	char name[96];
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mem_init(64u << 20);

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		run(tests[i].name, tests[i].fn);

	run_field_cases();

	for (i = 0; i < sizeof(add_tests) / sizeof(add_tests[0]); i++)
		run(add_tests[i].name, add_tests[i].fn);

	for (i = 0; i < sizeof(zero_regs) / sizeof(zero_regs[0]); i++) {
		const char *rn = rkt_model_reg_name(zero_regs[i]);

		why[0] = '\0';
		setup();
		if (rn)
			snprintf(name, sizeof(name), "zero_only_%s", rn);
		else
			snprintf(name, sizeof(name), "zero_only_0x%04x", zero_regs[i]);
		if (run_zero_case(zero_regs[i])) {
			printf("PASS %s\n", name);
			n_pass++;
		} else {
			printf("FAIL %s: %s\n", name, why);
			n_fail++;
		}
	}

	printf("fp results compared: %llu, equal to the rounded double reference: %llu\n",
	       (unsigned long long)fp_compared, (unsigned long long)fp_exact);
	printf("%u passed, %u failed\n", n_pass, n_fail);
	free(mem.buf);
	return n_fail ? 1 : 0;
}
