// SPDX-License-Identifier: GPL-2.0
/*
 * Job submission through DRM_IOCTL_ROCKET_SUBMIT with a hand-built register
 * command list (regcmd), as userspace builds them: small INT8 and FP16
 * matrix multiplies (rocket_matmul_job.h) whose results are checked against
 * a CPU reference; tasks that never complete, which must time out and leave the
 * NPU usable; submits the driver must refuse; and, on the simulated NPU, an
 * unload of rocket while a job of a closed file runs.
 *
 * Skips as a whole when no node is driven by rocket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "rocket_matmul_job.h"

FIXTURE(rocket_submit)
{
	struct matmul t;
};

FIXTURE_SETUP(rocket_submit)
{
	matmul_setup(_metadata, &self->t);
}

FIXTURE_TEARDOWN(rocket_submit)
{
	matmul_teardown(&self->t);
}

TEST_F(rocket_submit, matmul_int8)
{
	struct matmul *t = &self->t;

	ASSERT_EQ(0, submit_and_wait(t, 5000000000ll));
	ASSERT_EQ(0, check_c(t));
}

/*
 * FP16 A and B, FP32 C, from a hand-built command list: small integers, so
 * that every product and sum is exact and C must equal the reference.
 */
TEST_F(rocket_submit, matmul_fp16_to_fp32)
{
	struct matmul *t = &self->t;
	uint16_t *a = t->a.map, *b = t->b.map;
	const float *c = t->c.map;
	uint32_t m, k, n;
	int failed = 0;

	for (m = 0; m < M; m++)
		for (k = 0; k < K; k++)
			t->ha[m][k] = rand() % 9 - 4;
	for (k = 0; k < K; k++)
		for (n = 0; n < N; n++)
			t->hb[k][n] = rand() % 9 - 4;
	/* A: 16-byte blocks of 8 halves; B: groups of 16 kernels of 32 halves */
	for (m = 0; m < M; m++)
		for (k = 0; k < K; k++)
			a[(k / 8) * M * 8 + m * 8 + k % 8] = fp16_of_int(t->ha[m][k]);
	for (k = 0; k < K; k++)
		for (n = 0; n < N; n++)
			b[((n / 16) * (K / 32) + k / 32) * 16 * 32 + (n % 16) * 32 + k % 32] =
				fp16_of_int(t->hb[k][n]);
	matmul_reference(t);
	t->count = encode_matmul_type(t->e, t->a.create.dma_address, t->b.create.dma_address,
				      t->c.create.dma_address, true);

	ASSERT_EQ(0, submit_and_wait(t, 5000000000ll));
	/* C: 16-byte pixels of four FP32 */
	for (m = 0; m < M && !failed; m++)
		for (n = 0; n < N && !failed; n++)
			if (c[c_off(m, n)] != (float)t->ref[m][n]) {
				TH_LOG("C[%u][%u] = %g, expected %d", m, n, c[c_off(m, n)],
				       t->ref[m][n]);
				failed = 1;
			}
	ASSERT_EQ(0, failed);
}

/* Jobs run one after the other, on whichever core, with the same result. */
TEST_F(rocket_submit, matmul_int8_repeated)
{
	ASSERT_EQ(0, run_checked(&self->t, 8));
}

/*
 * A task that never completes: without DPU_RDMA programmed, the NPU waits
 * forever on its read DMA. The job times out, the core is reset, and the
 * next job runs. The core leaves its job's IOMMU domain only once reset:
 * before, its stuck DMA would make the IOMMU's stall time out.
 */
TEST_F(rocket_submit, hung_task_times_out_then_recovers)
{
	struct sim_core_stats before, after;
	bool simulated = !sim_totals(&before);
	struct matmul *t = &self->t;
	uint32_t good_count = t->count;
	uint64_t good[MAX_ENTRIES];

	if (rocket_no_sim(_metadata, "a task that hangs"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "the recovery of a hung core"))
		return;
	memcpy(good, t->e, sizeof(good));
	t->count = drop_target(t->e, t->count, TGT_DPU_RDMA);
	/* The wait ends when the scheduler gives up on the job. */
	submit_and_wait(t, 5000000000ll);

	memcpy(t->e, good, sizeof(good));
	t->count = good_count;
	ASSERT_EQ(0, run_checked(t, RECOVERY_JOBS));
	if (simulated) {
		ASSERT_EQ(0, sim_totals(&after));
		EXPECT_EQ(before.stall_timeouts, after.stall_timeouts)
			TH_LOG("the core left its IOMMU domain while stuck in a DMA");
		EXPECT_EQ(before.resets + 1, after.resets)
			TH_LOG("the hung job's core was not reset once");
	}
}

/* Whether every simulated core is runtime-suspended. */
static bool sim_cores_suspended(void)
{
	long i, cores = rocket_sim_cores();
	char path[96], status[32];
	bool all = true;
	FILE *f;

	for (i = 0; i < cores; i++) {
		snprintf(path, sizeof(path),
			 "/sys/bus/platform/devices/rocket.%ld/power/runtime_status", i);
		f = fopen(path, "r");
		if (!f)
			return false;
		if (!fgets(status, sizeof(status), f) || strcmp(status, "suspended\n"))
			all = false;
		fclose(f);
	}
	return all;
}

/*
 * A core whose job timed out powers down once idle, as after a job that
 * completed: the timeout must hand back the power the job held, not keep
 * the core powered until a next job comes.
 */
TEST_F(rocket_submit, hung_core_suspends_once_idle)
{
	struct matmul *t = &self->t;
	int i;

	if (rocket_no_sim(_metadata, "a task that hangs"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED, "the power of a hung core"))
		return;
	t->count = drop_target(t->e, t->count, TGT_DPU_RDMA);
	/* The wait ends when the scheduler gives up on the job. */
	ASSERT_EQ(-1, submit_and_wait(t, 5000000000ll));
	for (i = 0; i < 40 && !sim_cores_suspended(); i++)
		usleep(50000);
	ASSERT_TRUE(sim_cores_suspended())
		TH_LOG("a core stayed powered 2 s after its job timed out");
}

/*
 * A core shares its interrupt line with its IOMMU (on RK3588 one SPI for
 * both). While a timed-out core resets, the IOMMU's fault handler must
 * still run: the simulated IOMMU raises the shared line during the reset
 * and counts whether its handler ran before the reset went on. Needs the
 * simulated NPU.
 */
TEST_F(rocket_submit, shared_interrupt_is_handled_during_a_core_reset)
{
	struct sim_core_stats before, after;
	struct matmul *t = &self->t;
	uint32_t good_count = t->count;
	uint64_t good[MAX_ENTRIES];

	if (rocket_no_sim(_metadata, "a task that hangs"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "the interrupt mask of a stopping core"))
		return;
	if (sim_totals(&before))
		SKIP(return, "needs the simulated NPU");
	ASSERT_EQ(0, sim_inject("mmu_irq_in_reset", 1));
	memcpy(good, t->e, sizeof(good));
	t->count = drop_target(t->e, t->count, TGT_DPU_RDMA);
	submit_and_wait(t, 5000000000ll);
	memcpy(t->e, good, sizeof(good));
	t->count = good_count;
	EXPECT_EQ(0, sim_inject("mmu_irq_in_reset", 0));

	ASSERT_EQ(0, run_checked(t, 1));
	ASSERT_EQ(0, sim_totals(&after));
	ASSERT_EQ(before.resets + 1, after.resets) TH_LOG("the hung job's core was not reset once");
	EXPECT_EQ(before.mmu_irqs + 1, after.mmu_irqs)
		TH_LOG("the IOMMU's interrupt was not handled while its core reset");
	EXPECT_EQ(before.mmu_irqs_late, after.mmu_irqs_late)
		TH_LOG("the shared line was held off during the reset");
}

/* A job naming a BO handle the file does not have is refused. */
TEST_F(rocket_submit, unknown_bo_handle_is_refused)
{
	struct matmul *t = &self->t;
	uint32_t a_handle = t->a.create.handle;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "refusing a job with an unknown BO"))
		return;
	t->a.create.handle = 0xdeadbeef;
	ASSERT_EQ(-1, submit_and_wait(t, 0));
	ASSERT_EQ(ENOENT, errno);
	t->a.create.handle = a_handle;

	ASSERT_EQ(0, run_checked(t, 1));
}

/* A task with an empty register command list is refused. */
TEST_F(rocket_submit, empty_command_list_is_refused)
{
	struct matmul *t = &self->t;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "refusing an empty command list"))
		return;
	t->count = 0;
	ASSERT_EQ(-1, submit_and_wait(t, 0));
	ASSERT_EQ(EINVAL, errno);
}

/*
 * Counts beyond the limits of the uAPI are refused with E2BIG before the
 * kernel allocates anything for them, and the file keeps working. The huge
 * ones would ask for arrays of gigabytes.
 */
TEST_F(rocket_submit, oversized_counts_are_refused)
{
	static const struct {
		const char *name;
		size_t offset;	/* of a __u32 count in struct raw_submit */
		uint32_t value;
	} cases[] = {
		{ "job_count", offsetof(struct raw_submit, submit.job_count), 0x10000000 },
		{ "task_count", offsetof(struct raw_submit, job.task_count), 0x10000000 },
		{ "in_bo_handle_count",
		  offsetof(struct raw_submit, job.in_bo_handle_count), 0x40000000 },
		{ "out_bo_handle_count",
		  offsetof(struct raw_submit, job.out_bo_handle_count), 0x40000000 },
		{ "regcmd_count", offsetof(struct raw_submit, task.regcmd_count),
		  DRM_ROCKET_MAX_REGCMD_COUNT + 1 },
	};
	struct matmul *t = &self->t;
	struct raw_submit r;
	unsigned int i;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED, "the limits of SUBMIT"))
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		raw_submit_init(t, &r);
		memcpy((char *)&r + cases[i].offset, &cases[i].value, sizeof(uint32_t));
		errno = 0;
		EXPECT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit))
			TH_LOG("%s = %u was accepted", cases[i].name, cases[i].value);
		EXPECT_EQ(E2BIG, errno)
			TH_LOG("%s = %u: %s", cases[i].name, cases[i].value, strerror(errno));
	}

	ASSERT_EQ(0, run_checked(t, 1));
}

/*
 * A command list must lie, 16-byte aligned, inside one BO of the file: the
 * NPU would otherwise fetch commands from memory the client does not own.
 */
TEST_F(rocket_submit, command_list_outside_bos_is_refused)
{
	struct matmul *t = &self->t;
	uint32_t base = t->regcmd.create.dma_address;
	const struct {
		const char *what;
		uint32_t regcmd, count;
	} cases[] = {
		{ "misaligned", base + 8, t->count },
		{ "crossing the end of its BO", base + t->regcmd.create.size - 16, 4 },
		{ "in no BO", t->c.create.dma_address + 0x100000, t->count },
	};
	struct raw_submit r;
	unsigned int i;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "checking where command lists lie"))
		return;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		raw_submit_init(t, &r);
		r.task.regcmd = cases[i].regcmd;
		r.task.regcmd_count = cases[i].count;
		errno = 0;
		EXPECT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit))
			TH_LOG("a command list %s was accepted", cases[i].what);
		EXPECT_EQ(EINVAL, errno)
			TH_LOG("a command list %s: %s", cases[i].what, strerror(errno));
	}

	ASSERT_EQ(0, run_checked(t, RECOVERY_JOBS));
}

/*
 * Mesa does not name the BO of a command list among a job's BOs, and may
 * free it as soon as SUBMIT returns: the job keeps it until it has run. On
 * the simulated NPU the task is slowed down so that the BO is surely closed
 * before the NPU fetches from it.
 */
TEST_F(rocket_submit, command_list_bo_closed_after_submit)
{
	struct matmul *t = &self->t;
	struct raw_submit r;
	bool slowed;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "keeping the command list BO"))
		return;
	raw_submit_init(t, &r);
	/* Only A and B: leave the command list's BO out, as Mesa does. */
	r.job.in_bo_handles = (uintptr_t)&r.in[1];
	r.job.in_bo_handle_count = 2;

	slowed = !sim_inject("delay_us", 200000);
	ASSERT_EQ(0, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit));
	bo_free(t->fd, &t->regcmd);
	memset(&t->regcmd, 0, sizeof(t->regcmd));

	EXPECT_EQ(0, wait_c(t, 5000000000ll));
	if (slowed)
		ASSERT_EQ(0, sim_inject("delay_us", 0));
	ASSERT_EQ(0, check_c(t));
}

/*
 * A BO whose handle is closed is gone for userspace, even while a job still
 * holds it: a later command list may not point into it.
 */
TEST_F(rocket_submit, command_list_in_a_closed_bo_is_refused)
{
	struct matmul *t = &self->t;
	struct raw_submit r;

	if (rocket_no_sim(_metadata, "keeping a job running"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "refusing a command list in a closed BO"))
		return;
	if (sim_inject("delay_us", 200000))
		SKIP(return, "needs the simulated NPU to keep the job running");
	raw_submit_init(t, &r);
	/* Only A and B: leave the command list's BO out, as Mesa does. */
	r.job.in_bo_handles = (uintptr_t)&r.in[1];
	r.job.in_bo_handle_count = 2;
	ASSERT_EQ(0, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit));
	bo_free(t->fd, &t->regcmd);
	memset(&t->regcmd, 0, sizeof(t->regcmd));

	/* The job holds the BO still; its address is what r names. */
	errno = 0;
	EXPECT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit))
		TH_LOG("a command list in a closed BO was accepted");
	EXPECT_EQ(EINVAL, errno);

	EXPECT_EQ(0, wait_c(t, 5000000000ll));
	ASSERT_EQ(0, sim_inject("delay_us", 0));
	ASSERT_EQ(0, check_c(t));
}

/*
 * A submit is all or nothing as far as userspace's description goes: when
 * one of its jobs is refused, none of them runs.
 */
TEST_F(rocket_submit, refused_job_runs_no_job_of_its_submit)
{
	struct matmul *t = &self->t;
	struct drm_rocket_job jobs[2];
	uint32_t bad_out = 0xdeadbeef;
	const uint8_t *c = t->c.map;
	struct raw_submit r;
	uint32_t i;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED, "all-or-nothing SUBMIT"))
		return;
	raw_submit_init(t, &r);
	jobs[0] = r.job;
	jobs[1] = r.job;
	jobs[1].out_bo_handles = (uintptr_t)&bad_out;
	r.submit.jobs = (uintptr_t)jobs;
	r.submit.job_count = 2;

	errno = 0;
	ASSERT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit));
	ASSERT_EQ(ENOENT, errno);

	/* Had the first job been queued, this would wait for it. */
	ASSERT_EQ(0, wait_c(t, 5000000000ll));
	for (i = 0; i < t->c.create.size && c[i] == 0xa5; i++)
		;
	ASSERT_EQ(t->c.create.size, i) TH_LOG("C was written at byte %u", i);

	ASSERT_EQ(0, run_checked(t, 1));
}

/* The enable count of a clock of the simulated NPU; -1 without one. */
static int sim_clock_enable_count(const char *name)
{
	char path[96];
	FILE *f;
	int count;

	snprintf(path, sizeof(path), "/sys/kernel/debug/clk/rocket-sim-%s/clk_enable_count",
		 name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (fscanf(f, "%d", &count) != 1)
		count = -1;
	fclose(f);
	return count;
}

/*
 * A core runs with all four of its clocks (aclk, hclk, npu, pclk) enabled,
 * as its binding names them: checked during a slowed-down job on the
 * simulated NPU, whose clocks are those of every core.
 */
TEST_F(rocket_submit, every_clock_runs_during_a_job)
{
	static const char * const clocks[] = { "aclk", "hclk", "npu", "pclk" };
	struct matmul *t = &self->t;
	int counts[ARRAY_SIZE(clocks)];
	unsigned int i;
	int disabled = 0;

	if (rocket_no_sim(_metadata, "counting clock enables"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "enabling every clock of a core"))
		return;
	if (sim_clock_enable_count("aclk") < 0 || sim_inject("delay_us", 300000))
		SKIP(return, "needs the simulated NPU's clocks");

	ASSERT_EQ(0, submit_and_wait(t, 0));
	usleep(100000);
	for (i = 0; i < ARRAY_SIZE(clocks); i++)
		counts[i] = sim_clock_enable_count(clocks[i]);
	ASSERT_EQ(0, wait_c(t, 5000000000ll));
	ASSERT_EQ(0, sim_inject("delay_us", 0));
	ASSERT_EQ(0, check_c(t));

	for (i = 0; i < ARRAY_SIZE(clocks); i++) {
		if (counts[i] < 1) {
			TH_LOG("%s is not enabled while a job runs", clocks[i]);
			disabled++;
		}
	}
	ASSERT_EQ(0, disabled);
}

/* A submit of no job still has its fields checked. */
TEST_F(rocket_submit, empty_submit_checks_its_fields)
{
	struct drm_rocket_submit reserved = {
		.job_struct_size = sizeof(struct drm_rocket_job),
		.reserved = 1,
	};
	struct drm_rocket_submit no_size = { 0 };
	struct drm_rocket_submit empty = {
		.job_struct_size = sizeof(struct drm_rocket_job),
	};
	struct matmul *t = &self->t;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED, "checking an empty SUBMIT"))
		return;
	EXPECT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &reserved));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &no_size));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &empty));
}

/*
 * A job may name a BO it reads and writes in both lists, as C here, and
 * the job before it in the same submit runs as well.
 */
TEST_F(rocket_submit, job_may_name_a_bo_twice)
{
	struct matmul *t = &self->t;
	struct drm_rocket_job jobs[2];
	uint32_t in[4];
	struct raw_submit r;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED, "a job naming a BO twice"))
		return;
	raw_submit_init(t, &r);
	memcpy(in, r.in, sizeof(r.in));
	in[3] = t->c.create.handle;
	jobs[0] = r.job;
	jobs[1] = r.job;
	jobs[1].in_bo_handles = (uintptr_t)in;
	jobs[1].in_bo_handle_count = 4;
	r.submit.jobs = (uintptr_t)jobs;
	r.submit.job_count = 2;

	ASSERT_EQ(0, ioctl(t->fd, DRM_IOCTL_ROCKET_SUBMIT, &r.submit))
		TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, wait_c(t, 5000000000ll));
	ASSERT_EQ(0, check_c(t));
}

/*
 * A task whose memory accesses fault does not complete either: the job
 * times out, the core is reset, and the next job runs.
 */
TEST_F(rocket_submit, dma_fault_times_out_then_recovers)
{
	struct matmul *t = &self->t;

	if (rocket_no_sim(_metadata, "a task that faults"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "the reset of a faulting core"))
		return;
	if (sim_inject("fault_tasks", 1))
		SKIP(return, "needs the simulated NPU's fault injection");
	submit_and_wait(t, 5000000000ll);
	/* Whichever core took it, no faulting task may be left over. */
	ASSERT_EQ(0, sim_inject("fault_tasks", 0));

	ASSERT_EQ(0, run_checked(t, RECOVERY_JOBS));
}

/*
 * Userspace may close its buffers and its file while a job still runs: the
 * job keeps what it needs, and the device serves the next file as before.
 * On the simulated NPU the job is slowed down so that it surely outlives
 * the file.
 */
TEST_F(rocket_submit, close_file_with_job_in_flight)
{
	struct matmul *t = &self->t;
	struct matmul *next;
	bool slowed;

	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "keeping BOs of a closed file"))
		return;
	slowed = !sim_inject("delay_us", 200000);
	ASSERT_EQ(0, submit_and_wait(t, 0));
	matmul_teardown(t);
	if (slowed) {
		/* Let the job finish after the file is gone. */
		usleep(400000);
		ASSERT_EQ(0, sim_inject("delay_us", 0));
	}

	next = calloc(1, sizeof(*next));
	ASSERT_NE(NULL, next);
	matmul_setup(_metadata, next);
	ASSERT_EQ(0, submit_and_wait(next, 5000000000ll));
	ASSERT_EQ(0, check_c(next));
	matmul_teardown(next);
	free(next);
}

/*
 * Once its last file is closed, rocket may be unloaded, though a job of
 * that file still runs: removal must not leave the job behind, and the
 * driver loads and runs jobs again. Needs root, the simulated NPU and
 * rocket as a module; loads it back with the same simulated cores (and
 * the same earlier uAPI, in a run against one).
 */
TEST_F(rocket_submit, unload_with_job_in_flight)
{
	long timeout_ms = rocket_param("sim_job_timeout_ms");
	long base_uapi = rocket_param("sim_base_uapi");
	long cores = rocket_param("sim_cores");
	char modprobe[128];
	int n;
	struct matmul *next;

	if (rocket_no_sim(_metadata, "reloading rocket with a job in flight"))
		return;
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "cancelling the jobs of a core that goes away"))
		return;
	if (cores < 1 || sim_inject("delay_us", 300000))
		SKIP(return, "needs the simulated NPU and a modular rocket");
	ASSERT_EQ(0, submit_and_wait(&self->t, 0));
	matmul_teardown(&self->t);

	if (syscall(__NR_delete_module, "rocket", O_NONBLOCK)) {
		/* Another process has the NPU open. */
		if (errno == EWOULDBLOCK) {
			sim_inject("delay_us", 0);
			SKIP(return, "rocket is in use");
		}
		ASSERT_EQ(0, errno) TH_LOG("rmmod rocket: %s", strerror(errno));
	}
	n = snprintf(modprobe, sizeof(modprobe),
		     "modprobe rocket sim_cores=%ld sim_job_timeout_ms=%ld",
		     cores, timeout_ms > 0 ? timeout_ms : 0);
	/* A run against an earlier uAPI goes on against that uAPI. */
	if (base_uapi > 0)
		snprintf(modprobe + n, sizeof(modprobe) - n, " sim_base_uapi=%ld", base_uapi);
	ASSERT_EQ(0, system(modprobe));

	next = calloc(1, sizeof(*next));
	ASSERT_NE(NULL, next);
	matmul_setup(_metadata, next);
	ASSERT_EQ(0, run_checked(next, RECOVERY_JOBS));
	matmul_teardown(next);
	free(next);
}

#define CONCURRENT_PROCS	3
#define JOBS_PER_PROC		100

/*
 * Several processes, each with its own file, submit at once: every result
 * is right and, on the simulated NPU, every core ran some of the jobs.
 */
TEST_F(rocket_submit, concurrent_processes)
{
	struct sim_core_stats before[SIM_MAX_CORES], after[SIM_MAX_CORES];
	int cores = sim_stats(before);
	pid_t pids[CONCURRENT_PROCS];
	int i, status;

	for (i = 0; i < CONCURRENT_PROCS; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			struct matmul *t = calloc(1, sizeof(*t));

			if (!t)
				_exit(1);
			matmul_setup(_metadata, t);
			_exit(run_checked(t, JOBS_PER_PROC) ? 1 : 0);
		}
	}
	for (i = 0; i < CONCURRENT_PROCS; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status));
	}

	if (cores > 1) {
		ASSERT_EQ(cores, sim_stats(after));
		for (i = 0; i < cores; i++) {
			ksft_print_msg("core %d completed %llu of the jobs\n", i,
				       after[i].done - before[i].done);
			EXPECT_LT(before[i].done, after[i].done);
		}
	}
}

int main(int argc, char **argv)
{
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
