// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Host speed of the NPU matmul model, in GMAC/s (multiply-accumulates per
 * second of model time, regcmd parsing and memory callbacks included). A
 * benchmark, not a test: it checks only that every task completes.
 */

#include <time.h>

#include "harness.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static const char *prec_name(enum tprec p)
{
	return p == I8_I32 ? "INT8->INT32" : p == F16_F32 ? "FP16->FP32" : "FP16->FP16";
}

/* INT8: any byte; FP16: finite halves, normal and subnormal */
static void fill(uint8_t *p, enum tprec prec)
{
	uint16_t h;

	if (prec == I8_I32) {
		*p = (uint8_t)rnd();
		return;
	}
	h = rnd_half(0, 20);
	memcpy(p, &h, 2);
}

static int bench(enum tprec p, uint32_t m, uint32_t k, uint32_t n)
{
	uint32_t bpe = bpe_of(p), i, reps = 0;
	uint64_t e[MAX_ENTRIES];
	struct job j = { .prec = p, .m = m, .k = k, .n = n };
	double t0, t;
	uint32_t cnt;
	uint8_t *a;

	mem_reset();
	rkt_model_init(&model, &mem_ops, NULL);
	j.a = mem_alloc(m * k * bpe, 0);
	j.b = mem_alloc(k * n * bpe, 0);
	j.c = mem_alloc(m * n * obpe_of(p), 0);
	a = mem_ptr(j.a);
	for (i = 0; i < m * k * bpe; i += bpe)
		fill(&a[i], p);
	a = mem_ptr(j.b);
	for (i = 0; i < k * n * bpe; i += bpe)
		fill(&a[i], p);
	cnt = encode(&j, e);
	t0 = now();
	do {
		if (submit_list(e, cnt) != RKT_MODEL_DONE) {
			printf("task failed: %s\n", rkt_model_log(&model));
			return 1;
		}
		irq_handle();
		reps++;
		mem.next -= cnt * 8 + 8 + 64;	/* reuse the regcmd slot */
		t = now() - t0;
	} while (t < 0.5);
	printf("%-12s M=%4u K=%5u N=%5u  %7.3f GMAC/s  (%u runs, %.1f ms each)\n",
	       prec_name(p), m, k, n, (double)m * n * k * reps / t / 1e9, reps, t * 1e3 / reps);
	return 0;
}

int main(void)
{
	static const struct {
		enum tprec p;
		uint32_t m, k, n;
	} shapes[] = {
		{ I8_I32, 256, 256, 256 }, { I8_I32, 64, 1024, 256 }, { I8_I32, 512, 512, 512 },
		{ I8_I32, 1, 8192, 1024 }, { I8_I32, 4, 8192, 1024 },
		{ F16_F32, 256, 256, 256 }, { F16_F32, 64, 1024, 256 }, { F16_F32, 256, 512, 512 },
		{ F16_F32, 1, 8192, 1024 },
		{ F16_F16, 256, 256, 256 }, { F16_F16, 64, 1024, 256 },
	};
	size_t i;
	int rc = 0;

	mem_init(64u << 20);
	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
		rc |= bench(shapes[i].p, shapes[i].m, shapes[i].k, shapes[i].n);
	free(mem.buf);
	return rc;
}
