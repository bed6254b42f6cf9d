// SPDX-License-Identifier: GPL-2.0-only
/* Copyright 2024-2025 Tomeu Vizoso <tomeu@tomeuvizoso.net> */

#include <drm/drm_accel.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/drm_print.h>
#include <drm/rocket_accel.h>
#include <linux/clk.h>
#include <linux/err.h>
#include <linux/iommu.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/pm_runtime.h>

#include "rocket_device.h"
#include "rocket_drv.h"
#include "rocket_gem.h"
#include "rocket_job.h"
#include "rocket_sim.h"

/*
 * Facade device, used to expose a single DRM device to userspace, that
 * schedules jobs to any RKNN cores in the system.
 */
static struct platform_device *drm_dev;
static struct rocket_device *rdev;

static void
rocket_iommu_domain_destroy(struct kref *kref)
{
	struct rocket_iommu_domain *domain = container_of(kref, struct rocket_iommu_domain, kref);

	mutex_destroy(&domain->mm_lock);
	drm_mm_takedown(&domain->mm);
	iommu_domain_free(domain->domain);
	domain->domain = NULL;
	kfree(domain);
}

static struct rocket_iommu_domain*
rocket_iommu_domain_create(struct device *dev)
{
	struct rocket_iommu_domain *domain = kmalloc_obj(*domain);
	struct iommu_domain_geometry *geometry;
	void *err;

	if (!domain)
		return ERR_PTR(-ENOMEM);

	domain->domain = iommu_paging_domain_alloc(dev);
	if (IS_ERR(domain->domain)) {
		err = ERR_CAST(domain->domain);
		kfree(domain);
		return err;
	}
	kref_init(&domain->kref);

	geometry = &domain->domain->geometry;
	drm_mm_init(&domain->mm, geometry->aperture_start,
		    geometry->aperture_end - geometry->aperture_start + 1);
	mutex_init(&domain->mm_lock);

	return domain;
}

struct rocket_iommu_domain *
rocket_iommu_domain_get(struct rocket_file_priv *rocket_priv)
{
	kref_get(&rocket_priv->domain->kref);
	return rocket_priv->domain;
}

void
rocket_iommu_domain_put(struct rocket_iommu_domain *domain)
{
	kref_put(&domain->kref, rocket_iommu_domain_destroy);
}

static int
rocket_open(struct drm_device *dev, struct drm_file *file)
{
	struct rocket_device *rdev = to_rocket_device(dev);
	struct rocket_file_priv *rocket_priv;
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -EINVAL;

	/* The node is live before the first core is up (rocket_probe()). */
	if (!smp_load_acquire(&rdev->num_cores)) {
		drm_dbg(dev, "no NPU core is up yet\n");
		ret = -ENODEV;
		goto err_put_mod;
	}

	rocket_priv = kzalloc_obj(*rocket_priv);
	if (!rocket_priv) {
		ret = -ENOMEM;
		goto err_put_mod;
	}

	rocket_priv->rdev = rdev;
	rocket_priv->domain = rocket_iommu_domain_create(rdev->cores[0].dev);
	if (IS_ERR(rocket_priv->domain)) {
		ret = PTR_ERR(rocket_priv->domain);
		goto err_free;
	}

	file->driver_priv = rocket_priv;

	ret = rocket_job_open(rocket_priv);
	if (ret)
		goto err_put_domain;

	return 0;

err_put_domain:
	rocket_iommu_domain_put(rocket_priv->domain);
err_free:
	kfree(rocket_priv);
err_put_mod:
	module_put(THIS_MODULE);
	return ret;
}

static void
rocket_postclose(struct drm_device *dev, struct drm_file *file)
{
	struct rocket_file_priv *rocket_priv = file->driver_priv;

	rocket_job_close(rocket_priv);
	rocket_iommu_domain_put(rocket_priv->domain);
	kfree(rocket_priv);
	module_put(THIS_MODULE);
}

static const struct drm_ioctl_desc rocket_drm_driver_ioctls[] = {
#define ROCKET_IOCTL(n, func) \
	DRM_IOCTL_DEF_DRV(ROCKET_##n, rocket_ioctl_##func, 0)

	ROCKET_IOCTL(CREATE_BO, create_bo),
	ROCKET_IOCTL(SUBMIT, submit),
	ROCKET_IOCTL(PREP_BO, prep_bo),
	ROCKET_IOCTL(FINI_BO, fini_bo),
	ROCKET_IOCTL(MATMUL, matmul),
};

static const struct file_operations rocket_accel_driver_fops = {
	.owner		= THIS_MODULE,
	DRM_ACCEL_FOPS,
	.show_fdinfo	= drm_show_fdinfo,
};

/* The BOs a file has handles to, as every DRM driver reports them. */
static void rocket_show_fdinfo(struct drm_printer *p, struct drm_file *file)
{
	drm_show_memory_stats(p, file);
}

/*
 * Rocket driver version:
 * - 0.0 - initial interface (no version was set)
 * - 0.1 - SUBMIT bounds its counts, checks that command lists lie in a BO of
 *         the file and queues all of its jobs or none; CREATE_BO refuses a
 *         BO of size 0; PREP_BO reports a failed job
 * - 0.2 - DRM_IOCTL_ROCKET_MATMUL
 */
static const struct drm_driver rocket_drm_driver = {
	.driver_features	= DRIVER_COMPUTE_ACCEL | DRIVER_GEM,
	.open			= rocket_open,
	.postclose		= rocket_postclose,
	.gem_create_object	= rocket_gem_create_object,
	.ioctls			= rocket_drm_driver_ioctls,
	.num_ioctls		= ARRAY_SIZE(rocket_drm_driver_ioctls),
	.fops			= &rocket_accel_driver_fops,
	.show_fdinfo		= rocket_show_fdinfo,
	.name			= "rocket",
	.desc			= "rocket DRM",
	.major			= 0,
	.minor			= 2,
};

#if IS_ENABLED(CONFIG_DRM_ACCEL_ROCKET_SIM)
/*
 * The driver as an earlier rocket presented itself to userspace, for the
 * selftests' feature checks on the simulated NPU (its sim_base_uapi
 * parameter): 1 as rocket 0.0 (no version), 2 as rocket 0.1 (the fixes),
 * both without MATMUL, the last of its ioctls, which userspace then gets
 * EINVAL for as for any ioctl a driver lacks.
 */
static struct drm_driver rocket_drm_driver_base_uapi;

static const struct drm_driver *rocket_drm_driver_presented(void)
{
	unsigned int base = rocket_sim_base_uapi();

	BUILD_BUG_ON(ARRAY_SIZE(rocket_drm_driver_ioctls) != DRM_ROCKET_MATMUL + 1);

	if (!base)
		return &rocket_drm_driver;
	rocket_drm_driver_base_uapi = rocket_drm_driver;
	rocket_drm_driver_base_uapi.num_ioctls--;
	rocket_drm_driver_base_uapi.major = 0;
	rocket_drm_driver_base_uapi.minor = base - 1;
	return &rocket_drm_driver_base_uapi;
}
#else
static const struct drm_driver *rocket_drm_driver_presented(void)
{
	return &rocket_drm_driver;
}
#endif

static int rocket_probe(struct platform_device *pdev)
{
	int ret;

	if (rdev == NULL) {
		/* First core probing, initialize DRM device. */
		rdev = rocket_device_init(drm_dev, rocket_drm_driver_presented());
		if (IS_ERR(rdev)) {
			int err = PTR_ERR(rdev);

			dev_err(&pdev->dev, "failed to initialize rocket device\n");
			rdev = NULL;
			return err;
		}
	}

	unsigned int core = rdev->num_cores;

	dev_set_drvdata(&pdev->dev, rdev);

	rdev->cores[core].rdev = rdev;
	rdev->cores[core].dev = &pdev->dev;
	rdev->cores[core].index = core;

	ret = rocket_core_init(&rdev->cores[core]);
	if (ret) {
		if (core == 0) {
			rocket_device_fini(rdev);
			rdev = NULL;
		}
		return ret;
	}

	/*
	 * The accel node is open to userspace already: a file opened from now
	 * on uses this core, so count it only once its scheduler is up.
	 * Pairs with the read in rocket_job_open().
	 */
	smp_store_release(&rdev->num_cores, core + 1);

	return 0;
}

static int find_core_for_dev(struct device *dev);

static void rocket_remove(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	int core = find_core_for_dev(dev);

	if (core < 0)
		return;

	rocket_core_fini(&rdev->cores[core]);
	rdev->num_cores--;

	if (rdev->num_cores == 0) {
		/* Last core removed, deinitialize DRM device. */
		rocket_device_fini(rdev);
		rdev = NULL;
	}
}

static const struct of_device_id dt_match[] = {
	{ .compatible = "rockchip,rk3588-rknn-core" },
	{}
};
MODULE_DEVICE_TABLE(of, dt_match);

static int find_core_for_dev(struct device *dev)
{
	struct rocket_device *rdev = dev_get_drvdata(dev);

	for (unsigned int core = 0; core < rdev->max_cores; core++) {
		if (dev == rdev->cores[core].dev)
			return core;
	}

	return -1;
}

static int rocket_device_runtime_resume(struct device *dev)
{
	struct rocket_device *rdev = dev_get_drvdata(dev);
	int core = find_core_for_dev(dev);
	int err = 0;

	if (core < 0)
		return -ENODEV;

	err = clk_bulk_prepare_enable(ARRAY_SIZE(rdev->cores[core].clks), rdev->cores[core].clks);
	if (err) {
		dev_err(dev, "failed to enable (%d) clocks for core %d\n", err, core);
		return err;
	}

	return 0;
}

static int rocket_device_runtime_suspend(struct device *dev)
{
	struct rocket_device *rdev = dev_get_drvdata(dev);
	int core = find_core_for_dev(dev);

	if (core < 0)
		return -ENODEV;

	if (!rocket_job_is_idle(&rdev->cores[core]))
		return -EBUSY;

	clk_bulk_disable_unprepare(ARRAY_SIZE(rdev->cores[core].clks), rdev->cores[core].clks);

	return 0;
}

EXPORT_GPL_DEV_PM_OPS(rocket_pm_ops) = {
	RUNTIME_PM_OPS(rocket_device_runtime_suspend, rocket_device_runtime_resume, NULL)
	SYSTEM_SLEEP_PM_OPS(pm_runtime_force_suspend, pm_runtime_force_resume)
};

static struct platform_driver rocket_driver = {
	.probe = rocket_probe,
	.remove = rocket_remove,
	.driver	 = {
		.name = "rocket",
		.pm = pm_ptr(&rocket_pm_ops),
		.of_match_table = dt_match,
	},
};

static int __init rocket_register(void)
{
	int ret;

	drm_dev = platform_device_register_simple("rknn", -1, NULL, 0);
	if (IS_ERR(drm_dev))
		return PTR_ERR(drm_dev);

	ret = rocket_sim_init();
	if (ret)
		goto err_unregister_device;

	ret = platform_driver_register(&rocket_driver);
	if (ret)
		goto err_sim_exit;

	return 0;

err_sim_exit:
	rocket_sim_exit();
err_unregister_device:
	platform_device_unregister(drm_dev);
	return ret;
}

static void __exit rocket_unregister(void)
{
	platform_driver_unregister(&rocket_driver);
	rocket_sim_exit();

	platform_device_unregister(drm_dev);
}

module_init(rocket_register);
module_exit(rocket_unregister);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("DRM driver for the Rockchip NPU IP");
MODULE_AUTHOR("Tomeu Vizoso");
