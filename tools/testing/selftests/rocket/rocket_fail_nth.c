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
 * checks with KASAN, kmemleak and lockdep.
 *
 * Each sequence prints how many injection points it went through.
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
 * @undo releases it, whether they succeeded or not.
 */
struct sequence {
	const char *name;
	int (*call)(struct _test_data_rocket_fail_nth *self);
	int (*check)(struct _test_data_rocket_fail_nth *self);
	void (*undo)(struct _test_data_rocket_fail_nth *self);
};

static void run_sequence(struct __test_metadata *_metadata,
			 struct _test_data_rocket_fail_nth *self,
			 const struct sequence *seq)
{
	unsigned int n;
	bool fired;
	int ret;

	for (n = 1; n <= MAX_POINTS; n++) {
		fail_nth_arm(n);
		ret = seq->call(self);
		fired = fail_nth_disarm();

		if (ret) {
			/* shmem reports a failed inode allocation as ENOSPC. */
			ASSERT_TRUE(errno == ENOMEM || errno == ENOSPC)
				TH_LOG("%s, allocation %u failed: %s", seq->name, n,
				       strerror(errno));
		} else if (seq->check) {
			ASSERT_EQ(0, seq->check(self))
				TH_LOG("%s succeeded past failed allocation %u, %s",
				       seq->name, n, "but what it made does not work");
		}
		if (seq->undo)
			seq->undo(self);

		/* The file runs a job to the right result. */
		ASSERT_EQ(0, run_checked(&self->t, 1))
			TH_LOG("%s, allocation %u failed: the file no longer runs jobs",
			       seq->name, n);

		if (!fired) {
			ASSERT_EQ(0, ret) TH_LOG("%s fails with no injected failure", seq->name);
			ksft_print_msg("%s: %u injection points\n", seq->name, n - 1);
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
	const struct sequence seq = { "open_close", open_call, NULL, open_undo };

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
		"create_bo_mmap", create_bo_call, create_bo_check, bo_undo
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
	const struct sequence seq = { "prep_fini", prep_fini_call, NULL, NULL };

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

TEST_F(rocket_fail_nth, submit_one_job)
{
	const struct sequence seq = {
		"submit_one_job", submit_one_call, submit_check, submit_undo
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
		"submit_several_jobs", submit_several_call, submit_check, submit_undo
	};

	run_sequence(_metadata, self, &seq);
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
		"close_with_job_in_flight", close_in_flight_call, NULL, close_in_flight_undo
	};
	unsigned int n;
	bool fired;

	/*
	 * run_sequence() cannot set the file up again between runs: loop here,
	 * each time with a new file and a job submitted without injection.
	 */
	for (n = 1; n <= MAX_POINTS; n++) {
		bool slowed;

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
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
