// SPDX-License-Identifier: GPL-2.0
/*
 * Matrix multiplies through DRM_IOCTL_ROCKET_MATMUL: the kernel plans,
 * encodes and runs them. Results are checked against a CPU reference for
 * INT8 -> INT32, FP16 -> FP32 and FP16 -> FP16 over shapes that take one
 * task, several tasks and several cores; every field of the descriptor is
 * bent in turn and must be refused with the documented error; several
 * processes multiply at once; and BOs are closed while their product runs.
 *
 * The inputs are small integers, so that every product and sum is exact in
 * FP16 and FP32 as well: results must match the reference exactly.
 *
 * With --bench, measures instead of testing: GOP/s and the CPU time of each
 * ioctl for the GEMM shapes of Qwen2.5-1.5B, labelled "simulated" on the
 * simulated NPU, whose figures say nothing about silicon.
 *
 * Skips as a whole when no node is driven by rocket.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "rocket_matmul_job.h"
#include "rocket_matmul_layout.h"

#define SECOND_NS	1000000000ll

struct gemm {
	int fd;
	uint32_t type, m, k, n;
	struct bo a, b, c;
	/* row-major host copies: inputs as INT8 or FP16 bits, reference as double */
	void *ha, *hb;
	double *ref;
};

static uint32_t in_bytes(uint32_t type)
{
	return type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2;
}

static double double_of_fp16(uint16_t h)
{
	int exp = (h >> 10) & 0x1f;
	double mant = h & 0x3ff;
	double v = exp ? (1024 + mant) * ldexp(1.0, exp - 25) : mant * ldexp(1.0, -24);

	return h & 0x8000 ? -v : v;
}

/* Random INT8, or small integers in FP16 so that every sum stays exact. */
static void fill_random(void *x, size_t count, uint32_t type)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (type == DRM_ROCKET_MATMUL_INT8_INT32)
			((int8_t *)x)[i] = rand() % 256 - 128;
		else
			((uint16_t *)x)[i] = fp16_of_int(rand() % 9 - 4);
	}
}

/*
 * BOs for C[m,n] = A[m,k] x B[k,n] of @type, A and B random and packed, and
 * the CPU reference unless @no_reference (the benchmark's shapes would take
 * the CPU minutes).
 */
static int gemm_new(struct __test_metadata *_metadata, struct gemm *g, int fd, uint32_t type,
		    uint32_t m, uint32_t k, uint32_t n, bool no_reference)
{
	uint32_t i, j, l;

	memset(g, 0, sizeof(*g));
	g->fd = fd;
	g->type = type;
	g->m = m;
	g->k = k;
	g->n = n;
	bo_new(_metadata, fd, &g->a, rocket_matmul_a_size(m, k, type));
	bo_new(_metadata, fd, &g->b, rocket_matmul_b_size(k, n, type));
	bo_new(_metadata, fd, &g->c, rocket_matmul_c_size(m, n, type));
	g->ha = malloc((size_t)m * k * in_bytes(type));
	g->hb = malloc((size_t)k * n * in_bytes(type));
	g->ref = calloc((size_t)m * n, sizeof(double));
	if (!g->ha || !g->hb || !g->ref)
		return -1;

	fill_random(g->ha, (size_t)m * k, type);
	fill_random(g->hb, (size_t)k * n, type);

	for (i = 0; i < m && !no_reference; i++)
		for (l = 0; l < k; l++) {
			double a = type == DRM_ROCKET_MATMUL_INT8_INT32 ?
				   ((int8_t *)g->ha)[i * k + l] :
				   double_of_fp16(((uint16_t *)g->ha)[i * k + l]);

			for (j = 0; j < n; j++) {
				double b = type == DRM_ROCKET_MATMUL_INT8_INT32 ?
					   ((int8_t *)g->hb)[l * n + j] :
					   double_of_fp16(((uint16_t *)g->hb)[l * n + j]);

				g->ref[i * n + j] += a * b;
			}
		}

	if (type == DRM_ROCKET_MATMUL_INT8_INT32) {
		rocket_matmul_pack_a_int8(g->a.map, g->ha, m, k);
		rocket_matmul_pack_b_int8(g->b.map, g->hb, k, n);
	} else {
		rocket_matmul_pack_a_fp16(g->a.map, g->ha, m, k);
		rocket_matmul_pack_b_fp16(g->b.map, g->hb, k, n);
	}
	memset(g->c.map, 0xa5, g->c.create.size);
	return 0;
}

static void gemm_free(struct gemm *g)
{
	bo_free(g->fd, &g->a);
	bo_free(g->fd, &g->b);
	bo_free(g->fd, &g->c);
	free(g->ha);
	free(g->hb);
	free(g->ref);
	memset(g, 0, sizeof(*g));
}

static void gemm_args(const struct gemm *g, struct drm_rocket_matmul *args)
{
	memset(args, 0, sizeof(*args));
	args->a_handle = g->a.create.handle;
	args->b_handle = g->b.create.handle;
	args->c_handle = g->c.create.handle;
	args->type = g->type;
	args->m = g->m;
	args->k = g->k;
	args->n = g->n;
}

static int gemm_run(struct gemm *g)
{
	struct drm_rocket_matmul args;
	struct drm_rocket_prep_bo prep = {
		.handle = g->c.create.handle,
		.timeout_ns = abs_timeout_ns(20 * SECOND_NS),
	};

	gemm_args(g, &args);
	if (ioctl(g->fd, DRM_IOCTL_ROCKET_MATMUL, &args))
		return -1;
	return ioctl(g->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep);
}

/* The first element of C that differs from the reference, or -1. */
static long gemm_check(const struct gemm *g)
{
	size_t count = (size_t)g->m * g->n, i;
	double *c = malloc(count * sizeof(double));
	long bad = -1;

	if (!c)
		return 0;
	if (g->type == DRM_ROCKET_MATMUL_INT8_INT32) {
		int32_t *c32 = malloc(count * sizeof(*c32));

		rocket_matmul_unpack_c_int32(c32, g->c.map, g->m, g->n);
		for (i = 0; i < count; i++)
			c[i] = c32[i];
		free(c32);
	} else if (g->type == DRM_ROCKET_MATMUL_FP16_FP32) {
		float *cf = malloc(count * sizeof(*cf));

		rocket_matmul_unpack_c_fp32(cf, g->c.map, g->m, g->n);
		for (i = 0; i < count; i++)
			c[i] = cf[i];
		free(cf);
	} else {
		uint16_t *ch = malloc(count * sizeof(*ch));

		rocket_matmul_unpack_c_fp16(ch, g->c.map, g->m, g->n);
		for (i = 0; i < count; i++)
			c[i] = double_of_fp16(ch[i]);
		free(ch);
	}

	for (i = 0; i < count && bad < 0; i++)
		if (c[i] != g->ref[i]) {
			ksft_print_msg("C[%zu][%zu] = %g, expected %g\n", i / g->n, i % g->n,
				       c[i], g->ref[i]);
			bad = i;
		}
	free(c);
	return bad;
}

FIXTURE(rocket_gemm)
{
	int fd;
	struct gemm g;
};

FIXTURE_SETUP(rocket_gemm)
{
	self->fd = rocket_open();
	ASSERT_GE(self->fd, 0);
	srand(2);
}

FIXTURE_TEARDOWN(rocket_gemm)
{
	gemm_free(&self->g);
	close(self->fd);
}

static const struct {
	const char *name;
	uint32_t type, m, k, n;
} shapes[] = {
	{ "int8 one task", DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32 },
	{ "int8 decode row", DRM_ROCKET_MATMUL_INT8_INT32, 1, 1536, 256 },
	{ "int8 three cores", DRM_ROCKET_MATMUL_INT8_INT32, 100, 64, 96 },
	{ "int8 row slices", DRM_ROCKET_MATMUL_INT8_INT32, 1100, 64, 32 },
	{ "fp16 to fp32", DRM_ROCKET_MATMUL_FP16_FP32, 8, 64, 48 },
	{ "fp16 to fp16", DRM_ROCKET_MATMUL_FP16_FP16, 4, 32, 32 },
	{ "fp16 to fp16 three cores", DRM_ROCKET_MATMUL_FP16_FP16, 12, 96, 48 },
};

TEST_F(rocket_gemm, matches_cpu_reference)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(shapes); i++) {
		ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, shapes[i].type,
				      shapes[i].m, shapes[i].k, shapes[i].n, false));
		ASSERT_EQ(0, gemm_run(&self->g)) TH_LOG("%s: %s", shapes[i].name, strerror(errno));
		EXPECT_EQ(-1, gemm_check(&self->g)) TH_LOG("%s: C differs", shapes[i].name);
		gemm_free(&self->g);
	}
}

/* Every field bent in turn: the documented error, and the device unharmed. */
TEST_F(rocket_gemm, invalid_descriptors_are_refused)
{
	struct drm_rocket_matmul args;
	struct bo other;
	int other_fd;
	unsigned int i;
	const struct {
		const char *what;
		size_t offset;
		uint32_t value;
		int err;
	} cases[] = {
		{ "unknown A handle", offsetof(struct drm_rocket_matmul, a_handle), 0xdead,
		  ENOENT },
		{ "unknown C handle", offsetof(struct drm_rocket_matmul, c_handle), 0xdead,
		  ENOENT },
		{ "type 0", offsetof(struct drm_rocket_matmul, type), 0, EINVAL },
		{ "type 4", offsetof(struct drm_rocket_matmul, type), 4, EINVAL },
		{ "M 0", offsetof(struct drm_rocket_matmul, m), 0, EINVAL },
		{ "M 6", offsetof(struct drm_rocket_matmul, m), 6, EINVAL },
		{ "K 0", offsetof(struct drm_rocket_matmul, k), 0, EINVAL },
		{ "K 48", offsetof(struct drm_rocket_matmul, k), 48, EINVAL },
		{ "K 8224", offsetof(struct drm_rocket_matmul, k), 8224, E2BIG },
		{ "N 0", offsetof(struct drm_rocket_matmul, n), 0, EINVAL },
		{ "N 16 for INT8", offsetof(struct drm_rocket_matmul, n), 16, EINVAL },
		{ "N beyond B", offsetof(struct drm_rocket_matmul, n), 4096, EINVAL },
		{ "unknown flag", offsetof(struct drm_rocket_matmul, flags), 0x80, EINVAL },
		{ "core mask without its flag", offsetof(struct drm_rocket_matmul, core_mask), 1,
		  EINVAL },
		{ "pad", offsetof(struct drm_rocket_matmul, pad), 1, EINVAL },
		{ "reserved", offsetof(struct drm_rocket_matmul, reserved), 1, EINVAL },
		{ "A offset misaligned", offsetof(struct drm_rocket_matmul, a_offset), 8, EINVAL },
		{ "A offset past its BO", offsetof(struct drm_rocket_matmul, a_offset), 4096,
		  EINVAL },
		{ "C offset huge", offsetof(struct drm_rocket_matmul, c_offset), 0xfffffff0u,
		  EINVAL },
	};

	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		gemm_args(&self->g, &args);
		memcpy((char *)&args + cases[i].offset, &cases[i].value, sizeof(uint32_t));
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args))
			TH_LOG("%s was accepted", cases[i].what);
		EXPECT_EQ(cases[i].err, errno) TH_LOG("%s: %s", cases[i].what, strerror(errno));
	}

	/* C over A, and a core the device does not have. */
	gemm_args(&self->g, &args);
	args.c_handle = args.a_handle;
	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args));
	EXPECT_EQ(EINVAL, errno);
	gemm_args(&self->g, &args);
	args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
	args.core_mask = 1u << 31;
	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args));
	EXPECT_EQ(EINVAL, errno);

	/* A BO of another file, shared by handle number only. */
	other_fd = rocket_open();
	ASSERT_GE(other_fd, 0);
	bo_new(_metadata, other_fd, &other, 4096);
	gemm_args(&self->g, &args);
	args.a_handle = other.create.handle + 100;
	EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args));
	EXPECT_EQ(ENOENT, errno);
	bo_free(other_fd, &other);
	close(other_fd);

	/* Nothing ran, and a valid product still does. */
	ASSERT_EQ(0, gemm_run(&self->g));
	EXPECT_EQ(-1, gemm_check(&self->g));
}

/* Each core at a time, through the core mask. */
TEST_F(rocket_gemm, core_mask_selects_the_core)
{
	struct drm_rocket_matmul args;
	unsigned int core;

	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));
	for (core = 0; core < 3; core++) {
		struct drm_rocket_prep_bo prep = {
			.handle = self->g.c.create.handle,
			.timeout_ns = abs_timeout_ns(20 * SECOND_NS),
		};

		gemm_args(&self->g, &args);
		args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
		args.core_mask = 1u << core;
		memset(self->g.c.map, 0xa5, self->g.c.create.size);
		if (ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args)) {
			/* A device with fewer cores refuses the mask. */
			ASSERT_EQ(EINVAL, errno);
			ASSERT_NE(0u, core);
			break;
		}
		ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep));
		EXPECT_EQ(-1, gemm_check(&self->g)) TH_LOG("on core %u", core);
	}
}

#define PROCS		3
#define GEMMS_PER_PROC	10

/* Several processes multiply at once, each on its own file. */
TEST_F(rocket_gemm, several_processes)
{
	pid_t pids[PROCS];
	int i, status;

	for (i = 0; i < PROCS; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (!pids[i]) {
			int fd = rocket_open(), j, failed = 0;

			srand(10 + i);
			for (j = 0; j < GEMMS_PER_PROC && fd >= 0; j++) {
				struct gemm g;

				if (gemm_new(_metadata, &g, fd, DRM_ROCKET_MATMUL_INT8_INT32,
					     100, 64, 96, false) ||
				    gemm_run(&g) || gemm_check(&g) >= 0)
					failed = 1;
				gemm_free(&g);
			}
			_exit(fd < 0 || failed);
		}
	}
	for (i = 0; i < PROCS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
			TH_LOG("process %d failed", i);
	}
}

/*
 * A and B closed and unmapped while the product runs: the jobs keep them.
 * On the simulated NPU the tasks are slowed down so that the close surely
 * comes first.
 */
TEST_F(rocket_gemm, bos_closed_while_it_runs)
{
	struct drm_rocket_matmul args;
	struct drm_rocket_prep_bo prep;
	bool slowed;

	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      100, 64, 96, false));
	gemm_args(&self->g, &args);
	slowed = !sim_inject("delay_us", 200000);
	ASSERT_EQ(0, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args));
	bo_free(self->fd, &self->g.a);
	bo_free(self->fd, &self->g.b);
	memset(&self->g.a, 0, sizeof(self->g.a));
	memset(&self->g.b, 0, sizeof(self->g.b));

	prep.handle = self->g.c.create.handle;
	prep.reserved = 0;
	prep.timeout_ns = abs_timeout_ns(20 * SECOND_NS);
	EXPECT_EQ(0, ioctl(self->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep));
	if (slowed)
		ASSERT_EQ(0, sim_inject("delay_us", 0));
	EXPECT_EQ(-1, gemm_check(&self->g));
}

/* --bench: the GEMMs of Qwen2.5-1.5B (hidden 1536, FFN 8960, KV 256). */
static const struct {
	const char *name;
	uint32_t k, n;
} qwen[] = {
	{ "q_proj/o_proj", 1536, 1536 },
	{ "k_proj/v_proj", 1536, 256 },
	{ "gate_proj/up_proj", 1536, 8960 },
};

static double now_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int bench(void)
{
	static const uint32_t ms[] = { 1, 512 };
	static const uint32_t types[] = { DRM_ROCKET_MATMUL_INT8_INT32,
					  DRM_ROCKET_MATMUL_FP16_FP16 };
	const char *label = access("/sys/kernel/debug/rocket_sim", F_OK) ?
			    "NPU" : "simulated NPU (not a silicon figure)";
	struct __test_metadata meta = {};
	unsigned int s, t, i;
	int fd = rocket_open();

	if (fd < 0)
		ksft_exit_skip("no accel node driven by rocket\n");
	printf("# GEMM throughput on the %s\n", label);
	printf("# %-18s %-5s %5s %5s %5s %10s %14s\n", "gemm", "type", "M", "K", "N",
	       "GOP/s", "CPU us/ioctl");
	for (s = 0; s < ARRAY_SIZE(qwen); s++)
		for (t = 0; t < ARRAY_SIZE(types); t++)
			for (i = 0; i < ARRAY_SIZE(ms); i++) {
				struct drm_rocket_matmul args;
				struct drm_rocket_prep_bo prep;
				double wall, cpu, t0, c0;
				struct gemm g;
				int reps = ms[i] > 1 ? 1 : 3, r;

				if (gemm_new(&meta, &g, fd, types[t], ms[i], qwen[s].k, qwen[s].n,
					     true))
					return 1;
				gemm_args(&g, &args);
				cpu = 0;
				t0 = now_s(CLOCK_MONOTONIC);
				for (r = 0; r < reps; r++) {
					c0 = now_s(CLOCK_PROCESS_CPUTIME_ID);
					if (ioctl(fd, DRM_IOCTL_ROCKET_MATMUL, &args))
						return 1;
					cpu += now_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
					prep.handle = g.c.create.handle;
					prep.reserved = 0;
					prep.timeout_ns = abs_timeout_ns(120 * SECOND_NS);
					if (ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &prep))
						return 1;
				}
				wall = now_s(CLOCK_MONOTONIC) - t0;
				printf("# %-18s %-5s %5u %5u %5u %10.3f %14.1f\n", qwen[s].name,
				       types[t] == DRM_ROCKET_MATMUL_INT8_INT32 ? "int8" : "fp16",
				       ms[i], qwen[s].k, qwen[s].n,
				       2.0 * ms[i] * qwen[s].k * qwen[s].n * reps / wall / 1e9,
				       cpu / reps * 1e6);
				gemm_free(&g);
			}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--bench"))
		return bench();
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
