// SPDX-License-Identifier: GPL-2.0
/*
 * A job that fails reaches userspace: a task the NPU never finishes, one
 * whose memory accesses fault and one the (simulated) core refuses each
 * time out, and DRM_IOCTL_ROCKET_PREP_BO on the BO the job writes returns
 * EIO instead of handing a garbage result over as a success. The next
 * good job that writes the BO runs on the reset core and PREP_BO reports
 * success again.
 *
 * Skips as a whole when no node is driven by rocket; the faulting and the
 * refused job need the simulated NPU.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "rocket_matmul_job.h"

FIXTURE(rocket_failed_job)
{
	struct matmul t;
	uint64_t good[MAX_ENTRIES];
	uint32_t good_count;
};

/*
 * Every case sends a command list made to fail, or has the simulated NPU
 * fail one: only on the simulator.
 */
FIXTURE_SETUP(rocket_failed_job)
{
	if (rocket_no_sim(_metadata, "a job made to fail"))
		return;
	matmul_setup(_metadata, &self->t);
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_CHECKED,
			 "PREP_BO reporting a failed job"))
		return;
	memcpy(self->good, self->t.e, sizeof(self->good));
	self->good_count = self->t.count;
}

FIXTURE_TEARDOWN(rocket_failed_job)
{
	matmul_teardown(&self->t);
}

static int prep_bo(struct matmul *t, struct bo *bo)
{
	struct drm_rocket_prep_bo prep = {
		.handle = bo->create.handle,
		.timeout_ns = abs_timeout_ns(5000000000ll),
	};

	return ioctl(t->fd, DRM_IOCTL_ROCKET_PREP_BO, &prep) ? errno : 0;
}

/*
 * Submit t's command list, which fails, and check what PREP_BO says of C,
 * which the job writes, and of A, which it only reads; then run good jobs.
 */
static void fail_then_recover(struct __test_metadata *_metadata, struct matmul *t,
			      const uint64_t *good, uint32_t good_count)
{
	memset(t->c.map, 0xa5, t->c.create.size);
	ASSERT_EQ(-1, submit_and_wait(t, 5000000000ll))
		TH_LOG("PREP_BO reported the failed job's C as a result");
	ASSERT_EQ(EIO, errno);
	/* Until C is written again, whoever asks is told. */
	EXPECT_EQ(EIO, prep_bo(t, &t->c));
	EXPECT_EQ(0, prep_bo(t, &t->a)) TH_LOG("A, only read, was reported failed");

	memcpy(t->e, good, sizeof(t->e));
	t->count = good_count;
	ASSERT_EQ(0, run_checked(t, RECOVERY_JOBS))
		TH_LOG("a good job after the failed one did not report success");
}

/* Without DPU_RDMA programmed, the NPU waits forever on its read DMA. */
TEST_F(rocket_failed_job, hung_job_fails_prep_bo)
{
	struct matmul *t = &self->t;

	t->count = drop_target(t->e, t->count, TGT_DPU_RDMA);
	fail_then_recover(_metadata, &self->t, self->good, self->good_count);
}

TEST_F(rocket_failed_job, faulting_job_fails_prep_bo)
{
	if (sim_inject("fault_tasks", 1))
		SKIP(return, "needs the simulated NPU's fault injection");
	fail_then_recover(_metadata, &self->t, self->good, self->good_count);
	/* Whichever core took it, no faulting task may be left over. */
	ASSERT_EQ(0, sim_inject("fault_tasks", 0));
}

/*
 * CBUF_CON0.DATA_REUSE asks the core to reuse data it never loaded: the
 * simulated core refuses the task and stops, as a core does on a command
 * it cannot run. What silicon does with it is not known.
 */
TEST_F(rocket_failed_job, refused_job_fails_prep_bo)
{
	struct matmul *t = &self->t;
	uint32_t i;

	for (i = 0; i < t->count; i++)
		if ((t->e[i] & 0xffff) == REG_CNA_CBUF_CON0)
			t->e[i] |= (uint64_t)CNA_CBUF_CON0_DATA_REUSE(1) << 16;
	fail_then_recover(_metadata, &self->t, self->good, self->good_count);
}

int main(int argc, char **argv)
{
	rocket_exit_skip_unless_present();
	return test_harness_run(argc, argv);
}
