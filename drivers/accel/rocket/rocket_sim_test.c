// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests of the simulated NPU's safety rules: no simulated core on a
 * machine whose device tree has a real one.
 */

#include <kunit/test.h>
#include <linux/of.h>

#include "rocket_sim.h"

#if IS_ENABLED(CONFIG_OF_DYNAMIC)

/*
 * Adds /rocket-sim-test/npu with the NPU core's compatible and @status to
 * the live tree. The parent has no compatible and is no bus, so nothing is
 * populated below it: no device appears for the driver to probe.
 */
static void add_npu_node(struct kunit *test, struct of_changeset *ocs, const char *status)
{
	struct device_node *parent, *np;

	of_changeset_init(ocs);
	parent = of_changeset_create_node(ocs, of_root, "rocket-sim-test");
	KUNIT_ASSERT_NOT_NULL(test, parent);
	np = of_changeset_create_node(ocs, parent, "npu");
	KUNIT_ASSERT_NOT_NULL(test, np);
	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_string(ocs, np, "compatible",
							   "rockchip,rk3588-rknn-core"), 0);
	KUNIT_ASSERT_EQ(test, of_changeset_add_prop_string(ocs, np, "status", status), 0);
	KUNIT_ASSERT_EQ(test, of_changeset_apply(ocs), 0);
	of_node_put(np);
	of_node_put(parent);
}

static void remove_npu_node(struct kunit *test, struct of_changeset *ocs)
{
	KUNIT_EXPECT_EQ(test, of_changeset_revert(ocs), 0);
	of_changeset_destroy(ocs);
}

/* Every case starts from a device tree without an enabled NPU core. */
static int rocket_sim_test_init(struct kunit *test)
{
	if (!of_root)
		kunit_skip(test, "no device tree");
	if (!rocket_sim_cores_wanted(1))
		kunit_skip(test, "this machine's device tree has NPU cores");
	return 0;
}

/* Without an NPU core in the tree: the parameter, or 3 by default. */
static void rocket_sim_cores_without_dt_cores_test(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(-1), 3);
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(0), 0);
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(2), 2);
}

/* An NPU core in the tree: none, whatever the parameter says. */
static void rocket_sim_cores_with_a_dt_core_test(struct kunit *test)
{
	struct of_changeset ocs;

	add_npu_node(test, &ocs, "okay");
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(-1), 0);
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(3), 0);
	remove_npu_node(test, &ocs);

	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(-1), 3);
}

/* A disabled NPU core, as a board's tree before its overlay: cores as asked. */
static void rocket_sim_cores_with_a_disabled_dt_core_test(struct kunit *test)
{
	struct of_changeset ocs;

	add_npu_node(test, &ocs, "disabled");
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(-1), 3);
	KUNIT_EXPECT_EQ(test, rocket_sim_cores_wanted(1), 1);
	remove_npu_node(test, &ocs);
}

#else

static int rocket_sim_test_init(struct kunit *test)
{
	return 0;
}

static void rocket_sim_cores_without_dt_cores_test(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_OF_DYNAMIC");
}

static void rocket_sim_cores_with_a_dt_core_test(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_OF_DYNAMIC");
}

static void rocket_sim_cores_with_a_disabled_dt_core_test(struct kunit *test)
{
	kunit_skip(test, "needs CONFIG_OF_DYNAMIC");
}

#endif

static struct kunit_case rocket_sim_test_cases[] = {
	KUNIT_CASE(rocket_sim_cores_without_dt_cores_test),
	KUNIT_CASE(rocket_sim_cores_with_a_dt_core_test),
	KUNIT_CASE(rocket_sim_cores_with_a_disabled_dt_core_test),
	{ }
};

static struct kunit_suite rocket_sim_test_suite = {
	.name = "rocket_sim",
	.init = rocket_sim_test_init,
	.test_cases = rocket_sim_test_cases,
};

kunit_test_suite(rocket_sim_test_suite);
