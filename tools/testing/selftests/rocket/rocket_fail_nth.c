// SPDX-License-Identifier: GPL-2.0
/*
 * Every error path of the rocket ioctls, reached with fail-nth fault
 * injection (Documentation/fault-injection/fault-injection.rst): each
 * sequence of calls runs again and again with the n-th slab or page
 * allocation of the thread failing, n = 1, 2, ..., until it runs without an
 * injected failure. After each run the calls either failed with ENOMEM or
 * made objects that work, and the file still runs a job to the right
 * result. What a failure leaves behind in the kernel (leaks, use after
 * free, lock misuse, warnings) shows in the kernel log, which the test run
 * checks with KASAN, kmemleak and lockdep; a BO left with a handle shows in
 * the memory the file's fdinfo reports.
 *
 * Each sequence prints how many injection points it went through;
 * ROCKET_FAIL_NTH_VERBOSE=1 also prints each one as it is armed.
 *
 * Needs CONFIG_FAULT_INJECTION, CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and
 * CONFIG_FAULT_INJECTION_DEBUG_FS, and a mounted debugfs; skips without.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "rocket_matmul_job.h"
#include "rocket_matmul_layout.h"

/* Sequences with more points than this are taken to loop forever. */
#define MAX_POINTS	10000u

static int write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	ssize_t len = strlen(value);
	int ret = 0;

	if (fd < 0)
		return -1;
	if (write(fd, value, len) != len)
		ret = -1;
	close(fd);
	return ret;
}

/*
 * By default failslab and fail_page_alloc leave alone the allocations that
 * may sleep, which are nearly all of the driver's, and log each failure
 * they inject with a stack trace.
 */
static int fail_nth_setup(void)
{
	static const char * const knobs[][2] = {
		{ "/sys/kernel/debug/failslab/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/failslab/verbose", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "/sys/kernel/debug/fail_page_alloc/min-order", "0" },
		{ "/sys/kernel/debug/fail_page_alloc/verbose", "0" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (write_file(knobs[i][0], knobs[i][1]))
			return -1;
	return 0;
}

static int fail_nth_fd = -1;

/*
 * ROCKET_FAIL_NTH_VERBOSE=1: say which allocation is about to fail, so that
 * the one after which the kernel oopses shows on the console.
 */
static bool verbose;

static int fail_nth_open(void)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/fail-nth", gettid());
	fail_nth_fd = open(path, O_RDWR);
	return fail_nth_fd < 0 ? -1 : 0;
}

/* Fail the @n-th allocation of this thread from now on. */
static void fail_nth_arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (pwrite(fail_nth_fd, buf, len, 0) != len)
		ksft_exit_fail_msg("writing fail-nth: %s\n", strerror(errno));
}

/* Stop injecting; whether the n-th allocation was reached and failed. */
static bool fail_nth_disarm(void)
{
	int saved_errno = errno;
	char buf[16] = "";
	bool fired;

	if (pread(fail_nth_fd, buf, sizeof(buf) - 1, 0) <= 0)
		ksft_exit_fail_msg("reading fail-nth: %s\n", strerror(errno));
	fired = atoi(buf) == 0;
	if (pwrite(fail_nth_fd, "0", 1, 0) != 1)
		ksft_exit_fail_msg("clearing fail-nth: %s\n", strerror(errno));
	errno = saved_errno;
	return fired;
}

FIXTURE(rocket_fail_nth)
{
	struct matmul t;
	char node[PATH_MAX];
	/* The sequence's own objects, made under injection. */
	struct matmul other;
	struct bo bo;
	int fd;
};

FIXTURE_SETUP(rocket_fail_nth)
{
	char link[64];
	ssize_t len;

	if (fail_nth_setup() || fail_nth_open())
		SKIP(return, "no fail-nth fault injection in this kernel");

	matmul_setup(_metadata, &self->t);
	/* Rocket 0.0's error paths oops (a NULL scheduler list, a leaked domain). */
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "the fixes of its error paths"))
		return;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", self->t.fd);
	len = readlink(link, self->node, sizeof(self->node) - 1);
	ASSERT_GT(len, 0);
	self->node[len] = '\0';
	self->other.fd = -1;
	self->fd = -1;
}

FIXTURE_TEARDOWN(rocket_fail_nth)
{
	if (fail_nth_fd >= 0)
		fail_nth_disarm();
	matmul_teardown(&self->other);
	matmul_teardown(&self->t);
}

/*
 * The fixture's data, struct _test_data_rocket_fail_nth, is what the
 * sequences work on.
 *
 * A sequence: @call makes the calls under injection and returns 0 or -1
 * with errno set; @check, when the calls succeeded, uses what they made;
 * @undo releases it, whether they succeeded or not; @check_failed, when
 * they failed, checks that they left nothing behind.
 */
struct sequence {
	const char *name;
	int (*call)(struct _test_data_rocket_fail_nth *self);
	int (*check)(struct _test_data_rocket_fail_nth *self);
	void (*undo)(struct _test_data_rocket_fail_nth *self);
	int (*check_failed)(struct _test_data_rocket_fail_nth *self);
};

/*
 * The memory of the BOs a file has handles to, from its fdinfo, in bytes;
 * -1 where the driver does not report it.
 */
static long long fdinfo_memory(int fd)
{
	char path[64], line[128], unit[8];
	long long total = -1, value;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unit[0] = '\0';
		if (sscanf(line, "drm-total-memory: %lld %7s", &value, unit) < 1)
			continue;
		total = value << (!strcmp(unit, "KiB") ? 10 : !strcmp(unit, "MiB") ? 20 : 0);
		break;
	}
	fclose(f);
	return total;
}

static void run_sequence(struct __test_metadata *_metadata,
			 struct _test_data_rocket_fail_nth *self,
			 const struct sequence *seq)
{
	long long memory = fdinfo_memory(self->t.fd);
	unsigned int n;
	bool fired;
	int ret;

	/* The fixture's own BOs, where the driver reports them. */
	if (memory >= 0)
		ASSERT_GE(memory, 4 * 4096);

	for (n = 1; n <= MAX_POINTS; n++) {
		if (verbose)
			ksft_print_msg("%s: failing allocation %u\n", seq->name, n);
		fail_nth_arm(n);
		ret = seq->call(self);
		fired = fail_nth_disarm();

		if (ret) {
			/* shmem reports a failed inode allocation as ENOSPC. */
			ASSERT_TRUE(errno == ENOMEM || errno == ENOSPC)
				TH_LOG("%s, allocation %u failed: %s", seq->name, n,
				       strerror(errno));
			if (seq->check_failed)
				ASSERT_EQ(0, seq->check_failed(self))
					TH_LOG("%s, allocation %u failed: %s", seq->name, n,
					       "yet the calls left something behind");
		} else if (seq->check) {
			ASSERT_EQ(0, seq->check(self))
				TH_LOG("%s succeeded past failed allocation %u, %s",
				       seq->name, n, "but what it made does not work");
		}
		if (seq->undo)
			seq->undo(self);

		/* No BO left behind with a handle. */
		ASSERT_EQ(memory, fdinfo_memory(self->t.fd))
			TH_LOG("%s, allocation %u failed: the file's BOs changed", seq->name, n);

		/* The file runs a job to the right result. */
		ASSERT_EQ(0, run_checked(&self->t, 1))
			TH_LOG("%s, allocation %u failed: the file no longer runs jobs",
			       seq->name, n);

		if (!fired) {
			ASSERT_EQ(0, ret) TH_LOG("%s fails with no injected failure", seq->name);
			ksft_print_msg("%s: %u injection points; the file's BOs: %lld bytes\n",
				       seq->name, n - 1, memory);
			return;
		}
	}
	ASSERT_LT(n, MAX_POINTS) TH_LOG("%s never completed", seq->name);
}

/* open() and close() of the accel node. */
static int open_call(struct _test_data_rocket_fail_nth *self)
{
	self->fd = open(self->node, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		return -1;
	if (close(self->fd))
		return -1;
	self->fd = -1;
	return 0;
}

static void open_undo(struct _test_data_rocket_fail_nth *self)
{
	if (self->fd >= 0)
		close(self->fd);
	self->fd = -1;
}

TEST_F(rocket_fail_nth, open_close)
{
	const struct sequence seq = { "open_close", open_call, NULL, open_undo, NULL };

	run_sequence(_metadata, self, &seq);
}

/* CREATE_BO and mmap() of the new BO. */
static int create_bo_call(struct _test_data_rocket_fail_nth *self)
{
	struct bo *bo = &self->bo;

	memset(bo, 0, sizeof(*bo));
	bo->create.size = 4096;
	if (ioctl(self->t.fd, DRM_IOCTL_ROCKET_CREATE_BO, &bo->create))
		return -1;
	bo->map = mmap(NULL, bo->create.size, PROT_READ | PROT_WRITE, MAP_SHARED,
		       self->t.fd, bo->create.offset);
	return bo->map == MAP_FAILED ? -1 : 0;
}

/* The new BO, as seen by the CPU and by the NPU, holds a command list. */
static int create_bo_check(struct _test_data_rocket_fail_nth *self)
{
	struct matmul *t = &self->t;
	struct raw_submit r;

	raw_submit_init(t, &r);
	memcpy(self->bo.map, t->regcmd.map, t->count * sizeof(uint64_t));
	r.in[0] = self->bo.create.handle;
	r.task.regcmd = self->bo.create.dma_address;
	memset(t->c.map, 0xa5, t->c.create.size);
	if (ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit) ||
	    wait_c(t, 5000000000ll))
		return -1;
	return check_c(t);
}

static void bo_undo(struct _test_data_rocket_fail_nth *self)
{
	bo_free(self->t.fd, &self->bo);
	memset(&self->bo, 0, sizeof(self->bo));
}

TEST_F(rocket_fail_nth, create_bo_mmap)
{
	const struct sequence seq = {
		"create_bo_mmap", create_bo_call, create_bo_check, bo_undo, NULL
	};

	run_sequence(_metadata, self, &seq);
}

/* PREP_BO and FINI_BO of C. */
static int prep_fini_call(struct _test_data_rocket_fail_nth *self)
{
	return wait_c(&self->t, 1000000000ll);
}

TEST_F(rocket_fail_nth, prep_fini)
{
	const struct sequence seq = { "prep_fini", prep_fini_call, NULL, NULL, NULL };

	run_sequence(_metadata, self, &seq);
}

/* SUBMIT of one job of one task. */
static int submit_one_call(struct _test_data_rocket_fail_nth *self)
{
	struct raw_submit r;

	raw_submit_init(&self->t, &r);
	memset(self->t.c.map, 0xa5, self->t.c.create.size);
	return ioctl(self->t.fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit);
}

static int submit_check(struct _test_data_rocket_fail_nth *self)
{
	if (wait_c(&self->t, 5000000000ll))
		return -1;
	return check_c(&self->t);
}

/* A failed submit runs nothing; let what may run finish all the same. */
static void submit_undo(struct _test_data_rocket_fail_nth *self)
{
	wait_c(&self->t, 5000000000ll);
}

/*
 * A failed submit ran none of its jobs: C is as the call left it. Jobs of
 * it left queued would run again when userspace restarts the ioctl.
 */
static int submit_check_failed(struct _test_data_rocket_fail_nth *self)
{
	const uint8_t *c = self->t.c.map;
	uint32_t i;

	if (wait_c(&self->t, 5000000000ll))
		return -1;
	for (i = 0; i < self->t.c.create.size; i++) {
		if (c[i] != 0xa5) {
			ksft_print_msg("C was written at byte %u\n", i);
			return -1;
		}
	}
	return 0;
}

TEST_F(rocket_fail_nth, submit_one_job)
{
	const struct sequence seq = {
		"submit_one_job", submit_one_call, submit_check, submit_undo,
		submit_check_failed
	};

	run_sequence(_metadata, self, &seq);
}

/*
 * SUBMIT of three jobs of two tasks each, all computing C = A x B, the
 * later ones waiting for the earlier through C.
 */
#define SEVERAL_JOBS	3
#define SEVERAL_TASKS	2

static int submit_several_call(struct _test_data_rocket_fail_nth *self)
{
	struct drm_rocket_task tasks[SEVERAL_TASKS];
	struct drm_rocket_job jobs[SEVERAL_JOBS];
	struct raw_submit r;
	unsigned int i;

	raw_submit_init(&self->t, &r);
	for (i = 0; i < SEVERAL_TASKS; i++)
		tasks[i] = r.task;
	r.job.tasks = (uintptr_t)tasks;
	r.job.task_count = SEVERAL_TASKS;
	/* Each job waits for the one before, which writes C too. */
	for (i = 0; i < SEVERAL_JOBS; i++)
		jobs[i] = r.job;
	r.submit.jobs = (uintptr_t)jobs;
	r.submit.job_count = SEVERAL_JOBS;
	memset(self->t.c.map, 0xa5, self->t.c.create.size);
	return ioctl(self->t.fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit);
}

TEST_F(rocket_fail_nth, submit_several_jobs)
{
	const struct sequence seq = {
		"submit_several_jobs", submit_several_call, submit_check, submit_undo,
		submit_check_failed
	};

	run_sequence(_metadata, self, &seq);
}

/*
 * MATMUL of C[100,96] = A[100,64] x B[64,96] in INT8: three slices of N, so
 * a job on each of three cores, checked against a CPU reference.
 */
#define GEMM_M	100
#define GEMM_K	64
#define GEMM_N	96

struct gemm_bos {
	struct bo a, b, c;
	int32_t ref[GEMM_M * GEMM_N];
};

static struct gemm_bos gemm;

static void gemm_setup(struct __test_metadata *_metadata, int fd)
{
	static int8_t a[GEMM_M * GEMM_K], b[GEMM_K * GEMM_N];
	const uint32_t type = DRM_ROCKET_MATMUL_INT8_INT32;
	unsigned int i, j, l;

	bo_new(_metadata, fd, &gemm.a, rocket_matmul_a_size(GEMM_M, GEMM_K, type));
	bo_new(_metadata, fd, &gemm.b, rocket_matmul_b_size(GEMM_K, GEMM_N, type));
	bo_new(_metadata, fd, &gemm.c, rocket_matmul_c_size(GEMM_M, GEMM_N, type));
	for (i = 0; i < ARRAY_SIZE(a); i++)
		a[i] = rand() % 256 - 128;
	for (i = 0; i < ARRAY_SIZE(b); i++)
		b[i] = rand() % 256 - 128;
	for (i = 0; i < GEMM_M; i++)
		for (j = 0; j < GEMM_N; j++) {
			gemm.ref[i * GEMM_N + j] = 0;
			for (l = 0; l < GEMM_K; l++)
				gemm.ref[i * GEMM_N + j] += a[i * GEMM_K + l] * b[l * GEMM_N + j];
		}
	rocket_matmul_pack_a_int8(gemm.a.map, a, GEMM_M, GEMM_K);
	rocket_matmul_pack_b_int8(gemm.b.map, b, GEMM_K, GEMM_N);
}

static int matmul_call(struct _test_data_rocket_fail_nth *self)
{
	struct drm_rocket_matmul args = {
		.a_handle = gemm.a.create.handle,
		.b_handle = gemm.b.create.handle,
		.c_handle = gemm.c.create.handle,
		.type = DRM_ROCKET_MATMUL_INT8_INT32,
		.m = GEMM_M,
		.k = GEMM_K,
		.n = GEMM_N,
	};

	memset(gemm.c.map, 0xa5, gemm.c.create.size);
	return ioctl(self->t.fd, DRM_IOCTL_ROCKET_MATMUL, &args);
}

static int matmul_wait(struct _test_data_rocket_fail_nth *self)
{
	struct drm_rocket_prep_bo prep = {
		.handle = gemm.c.create.handle,
		.timeout_ns = abs_timeout_ns(10000000000ll),
	};

	return ioctl(self->t.fd, DRM_IOCTL_ROCKET_PREP_BO, &prep);
}

static int matmul_check(struct _test_data_rocket_fail_nth *self)
{
	static int32_t c[GEMM_M * GEMM_N];

	if (matmul_wait(self))
		return -1;
	rocket_matmul_unpack_c_int32(c, gemm.c.map, GEMM_M, GEMM_N);
	return memcmp(c, gemm.ref, sizeof(c)) ? -1 : 0;
}

static void matmul_undo(struct _test_data_rocket_fail_nth *self)
{
	matmul_wait(self);
}

/* A failed MATMUL queued none of its jobs: C is as the call left it. */
static int matmul_check_failed(struct _test_data_rocket_fail_nth *self)
{
	const uint8_t *c = gemm.c.map;
	uint32_t i;

	if (matmul_wait(self))
		return -1;
	for (i = 0; i < gemm.c.create.size; i++) {
		if (c[i] != 0xa5) {
			ksft_print_msg("C was written at byte %u\n", i);
			return -1;
		}
	}
	return 0;
}

TEST_F(rocket_fail_nth, matmul)
{
	const struct sequence seq = {
		"matmul", matmul_call, matmul_check, matmul_undo, matmul_check_failed
	};

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_MATMUL, "DRM_IOCTL_ROCKET_MATMUL"))
		return;
	gemm_setup(_metadata, self->t.fd);
	run_sequence(_metadata, self, &seq);
	bo_free(self->t.fd, &gemm.a);
	bo_free(self->t.fd, &gemm.b);
	bo_free(self->t.fd, &gemm.c);
}

/*
 * A SUBMIT whose job cannot record what it waits for. A job waits for the
 * fences of the BOs it names; drm_sched_job_add_dependency() keeps one per
 * fence context and stores the first without allocating, and the XArray
 * retries a failed node allocation once with GFP_KERNEL, so fail-nth, which
 * fails one allocation, never makes it fail. The stack trace filter of
 * failslab does: every allocation of this thread made from within that
 * function fails, and no other.
 *
 * The job must wait for two queues for the function to allocate at all.
 * Before the call, a MATMUL writing gemm.c (the per-core queues) and a
 * SUBMIT writing side.c (the file's queue) are queued, slowed by the
 * simulated NPU so that they still run. The SUBMIT has two jobs that
 * compute C = A x B, the second also naming gemm.c and side.c among the BOs
 * it reads. It must fail with ENOMEM and queue neither job (a driver that
 * armed and queued the first before it added the second's dependencies
 * would have C written), and the file must go on running jobs.
 */
static struct {
	struct bo regcmd, c;
	uint64_t e[MAX_ENTRIES];
	uint32_t count;
} side;

/* The slowed jobs stay in flight this long, in microseconds a task. */
#define BEHIND_DELAY_US	100000

#define FAILSLAB	"/sys/kernel/debug/failslab/"

/*
 * The address range of a kernel function, from /proc/kallsyms: from its
 * address to the next symbol's. 0 when it is not found, or when addresses
 * are hidden (kptr_restrict).
 */
static int function_range(const char *name, unsigned long long *start,
			  unsigned long long *end)
{
	unsigned long long addr, at = 0, next = ~0ull;
	char line[512], sym[256], *rest;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %*s %255s", &addr, sym) == 2 && !strcmp(sym, name))
			at = addr;
	rewind(f);
	while (at && fgets(line, sizeof(line), f)) {
		addr = strtoull(line, &rest, 16);
		if (rest != line && addr > at && addr < next)
			next = addr;
	}
	fclose(f);
	if (!at || next == ~0ull)
		return -1;
	*start = at;
	*end = next;
	return 0;
}

static int write_u64(const char *path, unsigned long long value)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", value);
	return write_file(path, buf);
}

static long long read_ll(const char *path)
{
	long long value = -1;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%lld", &value) != 1)
			value = -1;
		fclose(f);
	}
	return value;
}

#define INJECTIONS	1000

/*
 * Fail every allocation of this thread made from within [start, end), at
 * most INJECTIONS of them; with @on false, none.
 */
static int failslab_within(unsigned long long start, unsigned long long end, bool on)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/self/task/%d/make-it-fail", gettid());
	if (!on)
		return write_file(FAILSLAB "probability", "0") |
		       write_file(path, "0") |
		       write_u64(FAILSLAB "require-start", 0) |
		       write_u64(FAILSLAB "require-end", 0);
	return write_u64(FAILSLAB "require-start", start) ||
	       write_u64(FAILSLAB "require-end", end) ||
	       write_u64(FAILSLAB "times", INJECTIONS) ||
	       write_file(FAILSLAB "task-filter", "Y") ||
	       write_file(FAILSLAB "interval", "1") ||
	       write_file(FAILSLAB "space", "0") ||
	       write_file(FAILSLAB "probability", "100") ||
	       write_file(path, "1");
}

static int queue_other_jobs(struct _test_data_rocket_fail_nth *self)
{
	struct matmul *t = &self->t;
	uint32_t in[3] = { side.regcmd.create.handle, t->a.create.handle, t->b.create.handle };
	uint32_t out[1] = { side.c.create.handle };
	struct raw_submit r;

	if (matmul_call(self))
		return -1;
	raw_submit_init(t, &r);
	r.task.regcmd = side.regcmd.create.dma_address;
	r.task.regcmd_count = side.count;
	r.job.in_bo_handles = (uintptr_t)in;
	r.job.out_bo_handles = (uintptr_t)out;
	return ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit);
}

/* Whether a BO still has a job writing it, without waiting. */
static bool bo_busy(int fd, const struct bo *bo)
{
	struct drm_rocket_prep_bo prep = { .handle = bo->create.handle };

	return ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &prep) && errno == EBUSY;
}

static int wait_bo(int fd, const struct bo *bo)
{
	struct drm_rocket_prep_bo prep = {
		.handle = bo->create.handle,
		.timeout_ns = abs_timeout_ns(10000000000ll),
	};

	return ioctl(fd, DRM_IOCTL_ROCKET_PREP_BO, &prep);
}

TEST_F(rocket_fail_nth, submit_fails_adding_a_dependency)
{
	unsigned long long start, end;
	struct matmul *t = &self->t;
	struct drm_rocket_job jobs[2];
	bool busy_gemm, busy_side;
	long long injected;
	uint32_t in[5];
	struct raw_submit r;
	int ret, err;

	if (access(FAILSLAB "require-start", W_OK))
		SKIP(return, "needs CONFIG_FAULT_INJECTION_STACKTRACE_FILTER");
	if (function_range("drm_sched_job_add_dependency", &start, &end))
		SKIP(return, "drm_sched_job_add_dependency not found in /proc/kallsyms");
	if (rocket_no_sim(_metadata, "keeping jobs in flight"))
		return;
	if (rocket_lacks(_metadata, t->fd, ROCKET_MINOR_MATMUL, "DRM_IOCTL_ROCKET_MATMUL"))
		return;
	ASSERT_EQ(0, sim_inject("delay_us", BEHIND_DELAY_US));

	gemm_setup(_metadata, t->fd);
	bo_new(_metadata, t->fd, &side.regcmd, 4096);
	bo_new(_metadata, t->fd, &side.c, 4096);
	side.count = encode_matmul(side.e, t->a.create.dma_address,
				   t->b.create.dma_address, side.c.create.dma_address);
	write_entries(side.regcmd.map, side.e, side.count);
	ASSERT_EQ(0, queue_other_jobs(self));

	raw_submit_init(t, &r);
	memcpy(in, r.in, sizeof(r.in));
	in[3] = gemm.c.create.handle;
	in[4] = side.c.create.handle;
	jobs[0] = r.job;
	jobs[1] = r.job;
	jobs[1].in_bo_handles = (uintptr_t)in;
	jobs[1].in_bo_handle_count = ARRAY_SIZE(in);
	r.submit.jobs = (uintptr_t)jobs;
	r.submit.job_count = ARRAY_SIZE(jobs);
	memset(t->c.map, 0xa5, t->c.create.size);

	ASSERT_EQ(0, failslab_within(start, end, true));
	ret = ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit);
	err = errno;
	failslab_within(0, 0, false);
	injected = INJECTIONS - read_ll(FAILSLAB "times");

	busy_gemm = bo_busy(t->fd, &gemm.c);
	busy_side = bo_busy(t->fd, &side.c);
	EXPECT_EQ(0, wait_bo(t->fd, &gemm.c));
	EXPECT_EQ(0, wait_bo(t->fd, &side.c));
	EXPECT_EQ(0, sim_inject("delay_us", 0));

	ASSERT_TRUE(busy_gemm && busy_side)
		TH_LOG("the jobs queued before the SUBMIT were done already: it waited for none");
	ASSERT_LT(0, injected) TH_LOG("no allocation within drm_sched_job_add_dependency");
	ASSERT_EQ(-1, ret) TH_LOG("the SUBMIT succeeded without its dependencies");
	ASSERT_EQ(ENOMEM, err);
	/* Nothing of it was queued: C is as the call left it. */
	ASSERT_EQ(0, submit_check_failed(self));
	ASSERT_EQ(0, run_checked(t, 1));

	bo_free(t->fd, &side.c);
	bo_free(t->fd, &side.regcmd);
	bo_free(t->fd, &gemm.a);
	bo_free(t->fd, &gemm.b);
	bo_free(t->fd, &gemm.c);
}

/*
 * A second file with a job in flight is closed, buffers first: what runs
 * under injection is the teardown of the file and of the job.
 */
static int close_in_flight_call(struct _test_data_rocket_fail_nth *self)
{
	matmul_teardown(&self->other);
	return 0;
}

static void close_in_flight_undo(struct _test_data_rocket_fail_nth *self)
{
	matmul_teardown(&self->other);
}

TEST_F(rocket_fail_nth, close_with_job_in_flight)
{
	const struct sequence seq = {
		"close_with_job_in_flight", close_in_flight_call, NULL, close_in_flight_undo,
		NULL
	};
	unsigned int n;
	bool fired;

	/*
	 * run_sequence() cannot set the file up again between runs: loop here,
	 * each time with a new file and a job submitted without injection.
	 */
	for (n = 1; n <= MAX_POINTS; n++) {
		bool slowed;

		if (verbose)
			ksft_print_msg("%s: failing allocation %u\n", seq.name, n);
		matmul_setup(_metadata, &self->other);
		slowed = !sim_inject("delay_us", 100000);
		ASSERT_EQ(0, submit_and_wait(&self->other, 0));

		fail_nth_arm(n);
		seq.call(self);
		fired = fail_nth_disarm();
		seq.undo(self);

		if (slowed) {
			usleep(200000);
			ASSERT_EQ(0, sim_inject("delay_us", 0));
		}
		ASSERT_EQ(0, run_checked(&self->t, 1))
			TH_LOG("%s, allocation %u failed: the device no longer runs jobs",
			       seq.name, n);
		if (!fired) {
			ksft_print_msg("%s: %u injection points\n", seq.name, n - 1);
			return;
		}
	}
	ASSERT_LT(n, MAX_POINTS) TH_LOG("%s never completed", seq.name);
}

int main(int argc, char **argv)
{
	const char *v = getenv("ROCKET_FAIL_NTH_VERBOSE");

	verbose = v && *v == '1';
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
