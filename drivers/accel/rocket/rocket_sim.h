/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Simulated RK3588 NPU cores for testing rocket without the hardware.
 *
 * With CONFIG_DRM_ACCEL_ROCKET_SIM the driver creates, at module init, a
 * number of platform devices that it then probes as NPU cores. Only what lies
 * below the driver is simulated (see Documentation/accel/rocket/sim.rst); the
 * driver reaches it through the seven hooks below (module init and exit, the
 * number of simulated cores, the register windows, the kick of a task, the
 * job timeout and the uAPI the driver presents) and otherwise through the
 * standard clock, reset, IRQ and IOMMU interfaces.
 */

#ifndef __ROCKET_SIM_H__
#define __ROCKET_SIM_H__

#include <linux/io.h>
#include <linux/platform_device.h>

struct rocket_core;

#if IS_ENABLED(CONFIG_DRM_ACCEL_ROCKET_SIM)

int rocket_sim_init(void);
void rocket_sim_exit(void);
int rocket_sim_cores_wanted(int param);
unsigned int rocket_sim_num_cores(void);
void __iomem *rocket_sim_ioremap_byname(struct platform_device *pdev, const char *name);
void rocket_sim_kick(struct rocket_core *core);
unsigned int rocket_sim_job_timeout_ms(struct rocket_core *core, unsigned int timeout_ms);
unsigned int rocket_sim_base_uapi(void);

#else

static inline int rocket_sim_init(void)
{
	return 0;
}

static inline void rocket_sim_exit(void)
{
}

static inline unsigned int rocket_sim_num_cores(void)
{
	return 0;
}

static inline void __iomem *rocket_sim_ioremap_byname(struct platform_device *pdev,
						      const char *name)
{
	return devm_platform_ioremap_resource_byname(pdev, name);
}

static inline void rocket_sim_kick(struct rocket_core *core)
{
}

static inline unsigned int rocket_sim_job_timeout_ms(struct rocket_core *core,
						     unsigned int timeout_ms)
{
	return timeout_ms;
}

static inline unsigned int rocket_sim_base_uapi(void)
{
	return 0;
}

#endif /* CONFIG_DRM_ACCEL_ROCKET_SIM */

#endif /* __ROCKET_SIM_H__ */
