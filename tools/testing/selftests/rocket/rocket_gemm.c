// SPDX-License-Identifier: GPL-2.0
/*
 * Matrix multiplies through DRM_IOCTL_ROCKET_MATMUL: the kernel plans,
 * encodes and runs them. Results are checked against a CPU reference for
 * INT8 -> INT32, FP16 -> FP32 and FP16 -> FP16 over shapes that take one
 * task, several tasks and several cores; every field of the descriptor is
 * bent in turn and must be refused with the documented error; several
 * processes multiply at once; BOs are closed while their product runs; a
 * completion interrupt handled only after its job timed out must not
 * complete the next job; and a product too long for one job runs as
 * several on its core.
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
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
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

/* Multiply on one core, through the core mask. */
static int matmul_on_core(struct gemm *g, unsigned int core)
{
	struct drm_rocket_matmul args;

	gemm_args(g, &args);
	args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
	args.core_mask = 1u << core;
	return ioctl(g->fd, DRM_IOCTL_ROCKET_MATMUL, &args);
}

/* Wait until C is written, or until @timeout_ns (CLOCK_MONOTONIC). */
static int prep_c(const struct gemm *g, int64_t timeout_ns)
{
	struct drm_rocket_prep_bo prep = {
		.handle = g->c.create.handle,
		.timeout_ns = timeout_ns,
	};

	return ioctl(g->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep);
}

static int gemm_run(struct gemm *g)
{
	struct drm_rocket_matmul args;

	gemm_args(g, &args);
	if (ioctl(g->fd, DRM_IOCTL_ROCKET_MATMUL, &args))
		return -1;
	return prep_c(g, abs_timeout_ns(20 * SECOND_NS));
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

/*
 * Unload rocket and load it again with the job timeout @timeout_ms of the
 * simulated cores (negative: as it was) and @extra parameters; 0 or an
 * errno.
 */
static int reload_rocket_timeout(long timeout_ms, const char *extra)
{
	long cores = rocket_param("sim_cores");
	char modprobe[160];

	if (timeout_ms < 0)
		timeout_ms = rocket_param("sim_job_timeout_ms");
	if (syscall(__NR_delete_module, "rocket", O_NONBLOCK))
		return errno;
	snprintf(modprobe, sizeof(modprobe),
		 "modprobe rocket sim_cores=%ld sim_job_timeout_ms=%ld %s",
		 cores, timeout_ms > 0 ? timeout_ms : 0, extra);
	return system(modprobe) ? EIO : 0;
}

FIXTURE(rocket_gemm)
{
	int fd;
	struct gemm g;
	/* rocket was reloaded with another job timeout: load it back with this */
	bool reloaded;
	long timeout_ms;
};

FIXTURE_SETUP(rocket_gemm)
{
	self->fd = rocket_open();
	ASSERT_GE(self->fd, 0);
	if (rocket_lacks(_metadata, self->fd, ROCKET_MINOR_MATMUL, "DRM_IOCTL_ROCKET_MATMUL"))
		return;
	srand(2);
}

FIXTURE_TEARDOWN(rocket_gemm)
{
	gemm_free(&self->g);
	close(self->fd);
	if (self->reloaded && reload_rocket_timeout(self->timeout_ms, ""))
		TH_LOG("could not load rocket back with sim_job_timeout_ms=%ld",
		       self->timeout_ms);
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

/*
 * K above 8192 (INT8): segments of B, partial sums in the kernel's scratch
 * and C, added by DPU-only tasks. down_proj of Qwen2.5-1.5B at decode (M 1,
 * K 8960, N 1536) and a few of its prefill rows (on 256 of its columns);
 * rows of two add tiles (132: the second tile's surfaces are read with a
 * notch); the bound, K 65536 (8 segments); K just above two segments
 * (16416). Exact. Each at most 40 M multiply-accumulates, so that one core
 * of the software model runs it well within the job timeout.
 */
static const struct {
	const char *name;
	uint32_t m, k, n;
} split_shapes[] = {
	{ "down_proj decode", 1, 8960, 1536 },
	{ "down_proj prefill rows", 4, 8960, 256 },
	{ "two add row tiles", 132, 8960, 32 },
	{ "K just above two segments", 12, 16416, 96 },
	{ "K at the bound", 1, 65536, 64 },
};

TEST_F_TIMEOUT(rocket_gemm, split_k_matches_cpu_reference, 300)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(split_shapes); i++) {
		ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd,
				      DRM_ROCKET_MATMUL_INT8_INT32, split_shapes[i].m,
				      split_shapes[i].k, split_shapes[i].n, false));
		ASSERT_EQ(0, gemm_run(&self->g))
			TH_LOG("%s: %s", split_shapes[i].name, strerror(errno));
		EXPECT_EQ(-1, gemm_check(&self->g)) TH_LOG("%s: C differs", split_shapes[i].name);
		gemm_free(&self->g);
	}
}

/* A split K for the FP16 types, past the bound, or with too much scratch: -E2BIG. */
TEST_F(rocket_gemm, split_k_limits_are_refused)
{
	const struct {
		const char *what;
		uint32_t type, m, k, n;
	} cases[] = {
		{ "FP16 to FP32, K 8224", DRM_ROCKET_MATMUL_FP16_FP32, 4, 8224, 16 },
		{ "FP16 to FP16, K 8960", DRM_ROCKET_MATMUL_FP16_FP16, 1, 8960, 16 },
		{ "INT8, K 65568", DRM_ROCKET_MATMUL_INT8_INT32, 1, 65568, 32 },
		{ "INT8, K 8224, M * N 2^23 + 4 * 2048", DRM_ROCKET_MATMUL_INT8_INT32, 4100, 8224,
		  2048 },
	};
	struct drm_rocket_matmul args;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		/* BOs of the right size: only the limit can refuse it */
		ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, cases[i].type, cases[i].m,
				      cases[i].k, cases[i].n, true));
		gemm_args(&self->g, &args);
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, DRM_IOCTL_ROCKET_MATMUL, &args))
			TH_LOG("%s was accepted", cases[i].what);
		EXPECT_EQ(E2BIG, errno) TH_LOG("%s: %s", cases[i].what, strerror(errno));
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
		{ "K 65568", offsetof(struct drm_rocket_matmul, k), 65568, E2BIG },
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
	unsigned int core;

	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));
	for (core = 0; core < 3; core++) {
		memset(self->g.c.map, 0xa5, self->g.c.create.size);
		if (matmul_on_core(&self->g, core)) {
			/* A device with fewer cores refuses the mask. */
			ASSERT_EQ(EINVAL, errno);
			ASSERT_NE(0u, core);
			break;
		}
		ASSERT_EQ(0, prep_c(&self->g, abs_timeout_ns(20 * SECOND_NS)));
		EXPECT_EQ(-1, gemm_check(&self->g)) TH_LOG("on core %u", core);
	}
}

/*
 * A product whose job fails is reported failed, not handed over as a
 * result: a task on core 0 hangs, or its memory accesses fault; the job
 * times out and PREP_BO on C returns EIO. The next product on the same
 * core reports success, with the right C.
 */
TEST_F(rocket_gemm, failed_job_fails_prep_bo)
{
	static const char * const knobs[] = { "hang_tasks", "fault_tasks" };
	unsigned int i;

	if (rocket_no_sim(_metadata, "a product made to fail"))
		return;
	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));
	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		if (sim_inject(knobs[i], 1))
			SKIP(return, "needs the simulated NPU's fault injection");
		ASSERT_EQ(0, matmul_on_core(&self->g, 0));
		EXPECT_EQ(-1, prep_c(&self->g, abs_timeout_ns(20 * SECOND_NS)))
			TH_LOG("%s: PREP_BO reported the failed product as a result", knobs[i]);
		EXPECT_EQ(EIO, errno) TH_LOG("%s", knobs[i]);
		ASSERT_EQ(0, sim_inject(knobs[i], 0));

		memset(self->g.c.map, 0xa5, self->g.c.create.size);
		ASSERT_EQ(0, matmul_on_core(&self->g, 0));
		ASSERT_EQ(0, prep_c(&self->g, abs_timeout_ns(20 * SECOND_NS)))
			TH_LOG("%s: the next product: %s", knobs[i], strerror(errno));
		EXPECT_EQ(-1, gemm_check(&self->g)) TH_LOG("%s: the next product", knobs[i]);
	}
}

/* Unload rocket and load it again with @extra parameters; 0 or an errno. */
static int reload_rocket(const char *extra)
{
	return reload_rocket_timeout(-1, extra);
}

#define PROBE_DELAY_MS	1500	/* as passed to reload_rocket() below */

/* The number of simulated cores rocket has probed so far; -1 if unknown. */
static int sim_cores_probed(void)
{
	DIR *dir = opendir("/sys/bus/platform/drivers/rocket");
	struct dirent *entry;
	int n = 0;

	if (!dir)
		return -1;
	while ((entry = readdir(dir)))
		if (!strncmp(entry->d_name, "rocket.", strlen("rocket.")))
			n++;
	closedir(dir);
	return n;
}

/*
 * A file that counted only the cores up when it was opened: a product on
 * @core, which was not, is refused; one on core 0 runs right. Closes @fd.
 */
static void check_file_lacks_core(struct __test_metadata *_metadata, struct gemm *g, int fd,
				  unsigned int core)
{
	ASSERT_EQ(0, gemm_new(_metadata, g, fd, DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, false));
	EXPECT_EQ(-1, matmul_on_core(g, core))
		TH_LOG("a product ran on core %u, not up when the file was opened", core);
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, matmul_on_core(g, 0));
	ASSERT_EQ(0, prep_c(g, abs_timeout_ns(20 * SECOND_NS)));
	EXPECT_EQ(-1, gemm_check(g));
	gemm_free(g);
	close(fd);
}

/*
 * A file opened while the cores still probe, one at a time, uses the cores
 * that were up when it was opened: a product on a core that came later is
 * refused, one on core 0 runs, and the file closes cleanly once all the
 * cores are up (KASAN watches its per-core arrays). Needs root, two
 * simulated cores or more and rocket as a module; loads it back as it was.
 */
TEST_F(rocket_gemm, file_opened_between_core_probes)
{
	long cores = rocket_param("sim_cores");
	int fd, err, probed;

	if (cores < 2 || rocket_param("sim_probe_delay_ms") < 0)
		SKIP(return, "needs two simulated cores or more and a modular rocket");
	close(self->fd);
	self->fd = -1;
	err = reload_rocket("sim_probe_delay_ms=1500");
	if (err == EWOULDBLOCK)
		SKIP(return, "rocket is in use");
	ASSERT_EQ(0, err) TH_LOG("reloading rocket: %s", strerror(err));

	/* Only core 0 is up yet, unless loading rocket took that long. */
	fd = rocket_open();
	ASSERT_GE(fd, 0);
	probed = sim_cores_probed();
	ASSERT_LE(1, probed);
	if (probed == cores) {
		/* Its KUnit suites run at load, seconds on a loaded host. */
		close(fd);
		ASSERT_EQ(0, reload_rocket(""));
		self->fd = rocket_open();
		ASSERT_GE(self->fd, 0);
		SKIP(return, "every core was up before the node could be opened (a loaded host?)");
	}
	usleep((cores * PROBE_DELAY_MS + 500) * 1000);

	check_file_lacks_core(_metadata, &self->g, fd, cores - 1);

	ASSERT_EQ(0, reload_rocket(""));
	self->fd = rocket_open();
	ASSERT_GE(self->fd, 0);
}

/* Whether a simulated core's device has been added (it then probes). */
static bool sim_core_added(unsigned int core)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/rocket.%u", core);
	return !access(path, F_OK);
}

/*
 * Whether rocket is still probing a simulated core, before its scheduler
 * is up: the core has a driver (the link comes before the probe) and its
 * runtime PM, which rocket_core_init() enables after the scheduler, is not
 * enabled yet.
 */
static bool sim_core_probing(unsigned int core)
{
	char path[96], status[32] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/platform/devices/rocket.%u/driver", core);
	if (access(path, F_OK))
		return false;
	snprintf(path, sizeof(path), "/sys/bus/platform/devices/rocket.%u/power/runtime_status",
		 core);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(status, sizeof(status), f))
		status[0] = '\0';
	fclose(f);
	return !strcmp(status, "unsupported\n");
}

/*
 * How long each simulated core after the first stays in its probe: longer
 * than loading rocket takes with its KUnit suites on a loaded host, so
 * that core 1 is still probing when the test opens the node.
 */
#define CORE_PROBE_MS	15000

/*
 * A file opened while a core is half-way through its probe, with a slot
 * among the device's cores but no scheduler yet, uses the cores that were
 * up: a product on the half-probed core is refused, one on core 0 runs,
 * and the file closes cleanly. Needs root, two simulated cores or more and
 * rocket as a module; loads it back as it was.
 */
TEST_F_TIMEOUT(rocket_gemm, file_opened_during_a_core_probe, 120)
{
	long cores = rocket_param("sim_cores");
	char params[64];
	int fd, err, i;

	if (cores < 2 || rocket_param("sim_core_init_delay_ms") < 0)
		SKIP(return, "needs two simulated cores or more and a modular rocket");
	close(self->fd);
	self->fd = -1;
	snprintf(params, sizeof(params), "sim_probe_delay_ms=500 sim_core_init_delay_ms=%d",
		 CORE_PROBE_MS);
	err = reload_rocket(params);
	if (err == EWOULDBLOCK)
		SKIP(return, "rocket is in use");
	ASSERT_EQ(0, err) TH_LOG("reloading rocket: %s", strerror(err));

	/* Core 1's device is added 500 ms after core 0; it then probes. */
	for (i = 0; i < 100 && !sim_core_added(1); i++)
		usleep(100000);
	ASSERT_TRUE(sim_core_added(1));
	usleep(200000);
	fd = rocket_open();
	ASSERT_GE(fd, 0);
	if (!sim_core_probing(1)) {
		close(fd);
		ASSERT_EQ(0, reload_rocket(""));
		self->fd = rocket_open();
		ASSERT_GE(self->fd, 0);
		SKIP(return, "core 1 was not probing when the node was opened (a loaded host?)");
	}

	check_file_lacks_core(_metadata, &self->g, fd, 1);

	/* Every core up: rocket is loaded back once none is probing. */
	for (i = 0; i < cores * CORE_PROBE_MS / 100 + 50 && sim_cores_probed() < cores; i++)
		usleep(100000);
	ASSERT_EQ(cores, sim_cores_probed());
	ASSERT_EQ(0, reload_rocket(""));
	self->fd = rocket_open();
	ASSERT_GE(self->fd, 0);
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

	EXPECT_EQ(0, prep_c(&self->g, abs_timeout_ns(20 * SECOND_NS)));
	if (slowed)
		ASSERT_EQ(0, sim_inject("delay_us", 0));
	EXPECT_EQ(-1, gemm_check(&self->g));
}

static double now_s(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* JOB_TIMEOUT_MS of rocket_job.c, unless the simulated cores take another. */
static unsigned int job_timeout_ms(void)
{
	long ms = rocket_param("sim_job_timeout_ms");

	return ms > 0 ? ms : 500;
}

/* Was @irq requested by a core bound to rocket? Its action bears the core's name. */
static bool irq_of_rocket(unsigned int irq)
{
	char path[128], actions[128], *action, *rest;
	bool named;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/kernel/irq/%u/actions", irq);
	f = fopen(path, "r");
	if (!f)
		return false;
	named = fgets(actions, sizeof(actions), f);
	fclose(f);
	if (!named)
		return false;
	/* The line is shared (with the core's IOMMU): any of its actions. */
	for (rest = actions; (action = strsep(&rest, ",\n"));) {
		if (!*action)
			continue;
		snprintf(path, sizeof(path), "/sys/bus/platform/drivers/rocket/%s", action);
		if (!access(path, F_OK))
			return true;
	}
	return false;
}

#define MAX_CORE_IRQS	16

struct core_irq {
	unsigned int irq;
	pid_t thread;
	char cpus[64];		/* its smp_affinity_list before the test */
};

/* The interrupts of rocket's cores, found through their threads: how many. */
static int rocket_core_irqs(struct core_irq irqs[MAX_CORE_IRQS])
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int count = 0;

	while (proc && count < MAX_CORE_IRQS && (d = readdir(proc))) {
		char path[300], comm[32];
		unsigned int irq;
		FILE *f;

		if (!isdigit(d->d_name[0]))
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(comm, sizeof(comm), f) && sscanf(comm, "irq/%u-", &irq) == 1 &&
		    irq_of_rocket(irq)) {
			irqs[count].irq = irq;
			irqs[count++].thread = atoi(d->d_name);
		}
		fclose(f);
	}
	if (proc)
		closedir(proc);
	return count;
}

/* Read or write /proc/irq/<irq>/smp_affinity_list. */
static int irq_cpus(unsigned int irq, char *cpus, size_t size, bool write)
{
	char path[64];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/proc/irq/%u/smp_affinity_list", irq);
	f = fopen(path, write ? "w" : "r");
	if (!f)
		return -1;
	if (write)
		ret = fputs(cpus, f) < 0 ? -1 : 0;
	else
		ret = fgets(cpus, size, f) ? 0 : -1;
	if (fclose(f))
		ret = -1;
	return ret;
}

/*
 * Keep @cpu busy for @ms with a real-time task of the highest priority, as
 * a loaded system may: threads of lower priority that may only run there,
 * interrupt threads among them, wait. Returns the task once it runs, or -1.
 */
static pid_t hog_cpu(int cpu, unsigned int ms)
{
	int ready[2];
	char ok = 0;
	pid_t pid;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (!pid) {
		struct sched_param param = {
			.sched_priority = sched_get_priority_max(SCHED_FIFO),
		};
		cpu_set_t set;
		double end;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		ok = !sched_setaffinity(0, sizeof(set), &set) &&
		     !sched_setscheduler(0, SCHED_FIFO, &param);
		end = now_s(CLOCK_MONOTONIC) + ms / 1e3;
		if (write(ready[1], &ok, 1) != 1)
			_exit(1);
		while (ok && now_s(CLOCK_MONOTONIC) < end)
			;
		_exit(!ok);
	}
	close(ready[1]);
	if (pid > 0 && (read(ready[0], &ok, 1) != 1 || !ok)) {
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

/* The highest CPU this process may run on, or -1 if it has only one. */
static int last_of_several_cpus(cpu_set_t *mine)
{
	int cpu;

	if (sched_getaffinity(0, sizeof(*mine), mine) || CPU_COUNT(mine) < 2)
		return -1;
	for (cpu = CPU_SETSIZE - 1; !CPU_ISSET(cpu, mine); cpu--)
		;
	return cpu;
}

/*
 * A completion interrupt handled only after its job timed out, here because
 * its threaded handler is held off by a busy CPU: the job completes on core
 * 0 but its thread cannot run, the job times out, the core is reset and
 * the next job starts before the thread runs. That late handler must not
 * stop or complete the next job: C of the next job is whole when its fence
 * signals. With tasks that take 3/5 of the job timeout on the simulated NPU:
 *
 *   0    first job runs      0.6  it completes, its thread waits
 *   1.0  it times out, the core is reset, the next job runs
 *   1.3  the CPU is free: the late thread runs   1.6  the next job completes
 *
 * Needs the simulated NPU, two CPUs and the right to run a real-time task.
 */
TEST_F(rocket_gemm, late_interrupt_completes_no_job_after_a_reset)
{
	struct sim_core_stats before[SIM_MAX_CORES], during[SIM_MAX_CORES];
	struct sim_core_stats after[SIM_MAX_CORES];
	unsigned int timeout_ms = job_timeout_ms(), core;
	struct core_irq irqs[MAX_CORE_IRQS];
	cpu_set_t mine, others, bound;
	int cpu = last_of_several_cpus(&mine);
	int count, i, status, err;
	bool ran, held_off, whole;
	char cpu_list[16];
	struct gemm next;
	pid_t hog;

	if (sim_stats(before) < 1)
		SKIP(return, "needs the simulated NPU");
	if (cpu < 0)
		SKIP(return, "needs two CPUs");
	if (timeout_ms > 5000)
		SKIP(return, "a job timeout of %u ms is too long for this test", timeout_ms);
	count = rocket_core_irqs(irqs);
	ASSERT_LT(0, count) TH_LOG("no interrupt thread of a rocket core found");

	ASSERT_EQ(0, gemm_new(_metadata, &self->g, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));
	ASSERT_EQ(0, gemm_new(_metadata, &next, self->fd, DRM_ROCKET_MATMUL_INT8_INT32,
			      4, 32, 32, false));

	/*
	 * The interrupts go to @cpu; their threads follow when they next run,
	 * after a job on each core. This test runs anywhere else.
	 */
	snprintf(cpu_list, sizeof(cpu_list), "%d\n", cpu);
	for (i = 0; i < count; i++) {
		ASSERT_EQ(0, irq_cpus(irqs[i].irq, irqs[i].cpus, sizeof(irqs[i].cpus), false));
		ASSERT_EQ(0, irq_cpus(irqs[i].irq, cpu_list, 0, true));
	}
	for (core = 0; !matmul_on_core(&next, core); core++) {
		if (!prep_c(&next, abs_timeout_ns(20 * SECOND_NS)))
			continue;
		/*
		 * A warm-up product failed before anything was set up: on a
		 * loaded host a small product can outlast the job timeout.
		 */
		err = errno;
		for (i = 0; i < count; i++)
			irq_cpus(irqs[i].irq, irqs[i].cpus, 0, true);
		ASSERT_EQ(EIO, err) TH_LOG("a warm-up product: %s", strerror(err));
		SKIP(return, "a warm-up product timed out (a loaded host?)");
	}
	for (i = 0; i < count; i++) {
		ASSERT_EQ(0, sched_getaffinity(irqs[i].thread, sizeof(bound), &bound));
		ASSERT_TRUE(CPU_COUNT(&bound) == 1 && CPU_ISSET(cpu, &bound))
			TH_LOG("the thread of interrupt %u did not follow it to CPU %d",
			       irqs[i].irq, cpu);
	}
	others = mine;
	CPU_CLR(cpu, &others);
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(others), &others));
	memset(next.c.map, 0xa5, next.c.create.size);
	ASSERT_LT(0, sim_stats(before));

	ASSERT_EQ(0, sim_inject("delay_us", timeout_ms * 600));
	hog = hog_cpu(cpu, timeout_ms * 13 / 10);
	if (hog < 0) {
		sim_inject("delay_us", 0);
		SKIP(return, "cannot run a real-time task on CPU %d", cpu);
	}
	/* Until the hog is gone and the knobs restored, nothing returns early. */
	EXPECT_EQ(0, matmul_on_core(&self->g, 0));
	EXPECT_EQ(0, matmul_on_core(&next, 0));

	/* The first job's task has completed; its fence waits for the thread. */
	usleep(timeout_ms * 800);
	ran = sim_stats(during) > 0 && during[0].done == before[0].done + 1;
	held_off = prep_c(&self->g, 0) && errno == EBUSY;

	/* The next job's C must be whole when its fence signals. */
	EXPECT_EQ(0, prep_c(&next, abs_timeout_ns(20 * SECOND_NS)));
	whole = gemm_check(&next) == -1;
	EXPECT_TRUE(whole) TH_LOG("the next job completed before its task did");

	EXPECT_EQ(hog, waitpid(hog, &status, 0));
	EXPECT_EQ(0, sim_inject("delay_us", 0));
	for (i = 0; i < count; i++)
		EXPECT_EQ(0, irq_cpus(irqs[i].irq, irqs[i].cpus, 0, true));
	ASSERT_EQ(0, sched_setaffinity(0, sizeof(mine), &mine));

	/*
	 * On a loaded host the simulated core or the hog may run late: then
	 * the race was not set up and a whole C proves nothing. A torn C
	 * fails above either way.
	 */
	if (whole && !ran)
		SKIP(return, "race not set up: the first task was late (a loaded host?)");
	if (whole && !held_off)
		SKIP(return, "race not set up: the completion thread was not held off");
	ASSERT_TRUE(ran && held_off);
	ASSERT_LT(0, sim_stats(after));
	EXPECT_EQ(before[0].resets + 1, after[0].resets) TH_LOG("core 0 was not reset once");
	EXPECT_EQ(-1, gemm_check(&self->g));

	/* Core 0 still runs jobs. */
	memset(next.c.map, 0xa5, next.c.create.size);
	EXPECT_EQ(0, matmul_on_core(&next, 0));
	EXPECT_EQ(0, prep_c(&next, abs_timeout_ns(20 * SECOND_NS)));
	EXPECT_EQ(-1, gemm_check(&next));
	gemm_free(&next);
}

/* A fast generator for the large operands: rand() is slow in a VM. */
static uint64_t next_bytes(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/*
 * INT8 A[1, @k] and B[@k, @n], random and packed, C filled with a pattern,
 * and the reference: the generic gemm_new() would take minutes for B of
 * this size in a VM.
 */
static int gemm_new_m1_int8(struct __test_metadata *_metadata, struct gemm *g, int fd,
			    uint32_t k, uint32_t n)
{
	size_t count = (size_t)k * n, i;
	uint64_t state = 0x9e3779b97f4a7c15ull, r;
	int8_t *a, *b;
	int32_t *acc;
	uint32_t l, j;

	memset(g, 0, sizeof(*g));
	g->fd = fd;
	g->type = DRM_ROCKET_MATMUL_INT8_INT32;
	g->m = 1;
	g->k = k;
	g->n = n;
	bo_new(_metadata, fd, &g->a, rocket_matmul_a_size(1, k, g->type));
	bo_new(_metadata, fd, &g->b, rocket_matmul_b_size(k, n, g->type));
	bo_new(_metadata, fd, &g->c, rocket_matmul_c_size(1, n, g->type));
	g->ha = malloc(k);
	g->hb = malloc(count);
	g->ref = calloc(n, sizeof(double));
	acc = calloc(n, sizeof(*acc));
	if (!g->ha || !g->hb || !g->ref || !acc) {
		free(acc);
		return -1;
	}
	a = g->ha;
	b = g->hb;

	for (i = 0; i < count; i += 8) {
		r = next_bytes(&state);
		memcpy(&b[i], &r, 8);
	}
	for (l = 0; l < k; l++)
		a[l] = (int8_t)next_bytes(&state);
	/* at most 8192 * 128 * 128 in magnitude: exact in INT32 */
	for (l = 0; l < k; l++)
		for (j = 0; j < n; j++)
			acc[j] += a[l] * b[(size_t)l * n + j];
	for (j = 0; j < n; j++)
		g->ref[j] = acc[j];
	free(acc);

	rocket_matmul_pack_a_int8(g->a.map, g->ha, 1, k);
	rocket_matmul_pack_b_int8(g->b.map, g->hb, k, n);
	memset(g->c.map, 0xa5, g->c.create.size);
	/* the packed copy is all the test needs */
	free(g->hb);
	g->hb = NULL;
	return 0;
}

/* Long enough for any job of the product below on the simulated NPU. */
#define LONG_SIM_TIMEOUT_MS	300000

/*
 * A product too long for one job on silicon runs as several, in order, on
 * its core. INT8 M = 1, K = 8192, N = 32768 on core 0 is four tasks that
 * each stream 64 MiB of weights: 67.25 ms each at the planner's
 * pessimistic 1000 MB/s (and 100 us between tasks), 269 ms together, above
 * the 250 ms a job may be planned to take, while three fit. So core 0 must
 * start two jobs (it attaches the file's address space once a job) for the
 * four tasks, and C be exact.
 *
 * The check does not depend on timing: the simulated NPU computes orders
 * of magnitude slower than silicon, so its job timeout would cut off even
 * a well planned job. Rocket is reloaded with a long timeout for the
 * simulated cores unless it has one, and loaded back as it was. Needs the
 * simulated NPU, root and rocket as a module.
 */
TEST_F_TIMEOUT(rocket_gemm, long_product_runs_as_several_jobs, 300)
{
	struct sim_core_stats before[SIM_MAX_CORES], after[SIM_MAX_CORES];
	long timeout_ms = rocket_param("sim_job_timeout_ms");
	double t0, t1, t2;
	int err;

	if (sim_stats(before) < 1)
		SKIP(return, "needs the simulated NPU");
	if (timeout_ms < 0)
		SKIP(return, "needs rocket as a module");
	if (timeout_ms < LONG_SIM_TIMEOUT_MS) {
		close(self->fd);
		self->fd = -1;
		err = reload_rocket_timeout(LONG_SIM_TIMEOUT_MS, "");
		if (err == EWOULDBLOCK)
			SKIP(return, "rocket is in use");
		ASSERT_EQ(0, err) TH_LOG("reloading rocket: %s", strerror(err));
		/* the teardown loads it back as it was, whatever happens here */
		self->reloaded = true;
		self->timeout_ms = timeout_ms;
		self->fd = rocket_open();
		ASSERT_GE(self->fd, 0);
	}

	t0 = now_s(CLOCK_MONOTONIC);
	ASSERT_EQ(0, gemm_new_m1_int8(_metadata, &self->g, self->fd, 8192, 32768));
	ASSERT_LT(0, sim_stats(before));
	t1 = now_s(CLOCK_MONOTONIC);
	ASSERT_EQ(0, matmul_on_core(&self->g, 0)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, prep_c(&self->g, abs_timeout_ns(2ll * LONG_SIM_TIMEOUT_MS * 1000000)))
		TH_LOG("%s", strerror(errno));
	t2 = now_s(CLOCK_MONOTONIC);
	ASSERT_LT(0, sim_stats(after));
	ksft_print_msg("operands made in %.1f s, product run in %.1f s\n", t1 - t0, t2 - t1);

	EXPECT_EQ(4ull, after[0].tasks - before[0].tasks);
	EXPECT_EQ(2ull, after[0].attaches - before[0].attaches)
		TH_LOG("core 0 ran the product's 4 tasks as %llu jobs",
		       after[0].attaches - before[0].attaches);
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

static int bench(void)
{
	static const uint32_t ms[] = { 1, 512 };
	static const uint32_t types[] = { DRM_ROCKET_MATMUL_INT8_INT32,
					  DRM_ROCKET_MATMUL_FP16_FP16 };
	const char *label = rocket_sim_cores() ? "simulated NPU (not a silicon figure)" : "NPU";
	struct __test_metadata meta = {};
	unsigned int s, t, i;
	int fd = rocket_open();

	if (fd < 0)
		ksft_exit_skip("no accel node driven by rocket\n");
	if (!rocket_offers(fd, ROCKET_MINOR_MATMUL))
		ksft_exit_skip("rocket predates DRM_IOCTL_ROCKET_MATMUL\n");
	printf("# GEMM throughput on the %s\n", label);
	printf("# %-18s %-5s %5s %5s %5s %10s %14s\n", "gemm", "type", "M", "K", "N",
	       "GOP/s", "CPU us/ioctl");
	for (s = 0; s < ARRAY_SIZE(qwen); s++)
		for (t = 0; t < ARRAY_SIZE(types); t++)
			for (i = 0; i < ARRAY_SIZE(ms); i++) {
				struct drm_rocket_matmul args;
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
					if (prep_c(&g, abs_timeout_ns(120 * SECOND_NS)))
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
