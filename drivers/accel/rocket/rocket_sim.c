// SPDX-License-Identifier: GPL-2.0-only
/*
 * Simulated RK3588 NPU cores: a test double below the rocket driver.
 *
 * Each simulated core is a platform device named "rocket" that the driver
 * probes like a core described in the device tree. What the driver reaches
 * through standard interfaces is provided through them:
 *
 *  - the interrupt line: an irq_sim interrupt given as the device's
 *    IORESOURCE_IRQ;
 *  - the IOMMU: a mock IOMMU with software page tables that accepts only
 *    the simulated cores, so that rocket allocates, maps and attaches real
 *    IOMMU domains;
 *  - the clocks: fixed-rate clocks with clkdev lookups;
 *  - the resets: a reset controller found through the device's software
 *    node ("resets", "reset-names"), resetting the model.
 *
 * The register windows are plain memory; the driver calls
 * rocket_sim_kick() after it has written PC_OPERATION_ENABLE, and the
 * registers it wrote are then replayed into the software model of the core
 * (rocket_sim_model.c), which runs in a workqueue, reads and writes NPU
 * memory through the IOMMU domain attached to the core, and raises the
 * interrupt when the task completes.
 *
 * This is part of rocket.ko because the kick hook needs the driver's core
 * structure and the double is useless without the driver; a separate module
 * would need symbols exported from rocket.ko only for testing.
 */

#include <linux/cleanup.h>
#include <linux/clk-provider.h>
#include <linux/clkdev.h>
#include <linux/completion.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/highmem.h>
#include <linux/interrupt.h>
#include <linux/iommu.h>
#include <linux/irq.h>
#include <linux/irq_sim.h>
#include <linux/irqdomain.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/platform_device.h>
#include <linux/property.h>
#include <linux/reset-controller.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include "rocket_core.h"
#include "rocket_registers.h"
#include "rocket_sim.h"
#include "rocket_sim_model.h"

#define ROCKET_SIM_MAX_CORES	16
#define ROCKET_SIM_DEFAULT_CORES	3
#define ROCKET_SIM_NUM_CLKS	4
#define ROCKET_SIM_NUM_RESETS	2	/* srst_a, srst_h */
#define ROCKET_SIM_PAGE_SHIFT	12
#define ROCKET_SIM_PAGE_SIZE	BIT(ROCKET_SIM_PAGE_SHIFT)

/*
 * -1 until rocket_sim_init() has decided, then the number of simulated
 * cores created: what userspace reads back.
 */
static int sim_cores = -1;
module_param(sim_cores, int, 0444);
MODULE_PARM_DESC(sim_cores,
		 "Number of simulated NPU cores to create (testing only; default: 3, or none when the device tree has NPU cores)");

static unsigned int sim_probe_delay_ms;
module_param(sim_probe_delay_ms, uint, 0444);
MODULE_PARM_DESC(sim_probe_delay_ms,
		 "Add the simulated cores after the first one at a time, this many ms apart (testing only, default 0: all at once)");

static unsigned int sim_core_init_delay_ms;
module_param(sim_core_init_delay_ms, uint, 0444);
MODULE_PARM_DESC(sim_core_init_delay_ms,
		 "Keep each simulated core after the first this many ms in its probe, before its registers are mapped (testing only, default 0)");

static unsigned int sim_job_timeout_ms;
module_param(sim_job_timeout_ms, uint, 0444);
MODULE_PARM_DESC(sim_job_timeout_ms,
		 "Job timeout of the simulated cores in ms, 0 for the driver's (testing only)");

static unsigned int sim_base_uapi;
module_param(sim_base_uapi, uint, 0444);
MODULE_PARM_DESC(sim_base_uapi,
		 "Present an earlier uAPI, without DRM_IOCTL_ROCKET_MATMUL: 1 that of rocket 0.0, 2 that of rocket 0.1 (testing only, for the selftests' feature checks; default 0, the driver's own)");

enum rocket_sim_window {
	ROCKET_SIM_PC,
	ROCKET_SIM_CNA,
	ROCKET_SIM_CORE,
	ROCKET_SIM_NUM_WINDOWS,
};

static const char * const rocket_sim_window_names[ROCKET_SIM_NUM_WINDOWS] = {
	[ROCKET_SIM_PC] = "pc",
	[ROCKET_SIM_CNA] = "cna",
	[ROCKET_SIM_CORE] = "core",
};

/* Offset of each window in the model's register space. */
static const u32 rocket_sim_window_base[ROCKET_SIM_NUM_WINDOWS] = {
	[ROCKET_SIM_PC] = 0,
	[ROCKET_SIM_CNA] = REG_CNA_S_STATUS,
	[ROCKET_SIM_CORE] = REG_CORE_S_STATUS,
};

/*
 * The registers rocket_job_hw_submit() writes, in its order. Their last
 * values are replayed into the model at a kick.
 */
static const struct {
	enum rocket_sim_window window;
	u32 reg;
} rocket_sim_replay[] = {
	{ ROCKET_SIM_CNA, REG_CNA_S_POINTER },
	{ ROCKET_SIM_CORE, REG_CORE_S_POINTER },
	{ ROCKET_SIM_PC, REG_PC_BASE_ADDRESS },
	{ ROCKET_SIM_PC, REG_PC_REGISTER_AMOUNTS },
	{ ROCKET_SIM_PC, REG_PC_INTERRUPT_MASK },
	{ ROCKET_SIM_PC, REG_PC_INTERRUPT_CLEAR },
	{ ROCKET_SIM_PC, REG_PC_TASK_CON },
	{ ROCKET_SIM_PC, REG_PC_TASK_DMA_BASE_ADDR },
	{ ROCKET_SIM_PC, REG_PC_OPERATION_ENABLE },
};

struct rocket_sim_core {
	unsigned int index;
	struct platform_device *pdev;
	struct irq_domain *irq_domain;
	int irq;
	/* irq_sim's chip, able to take an affinity */
	struct irq_chip irqchip;

	/* the device's software node: its "resets" and "reset-names" */
	struct software_node_ref_args reset_refs[ROCKET_SIM_NUM_RESETS];
	struct property_entry props[3];
	struct software_node swnode;
	char name[24];

	/* memory standing in for the register windows, one page each */
	void *window[ROCKET_SIM_NUM_WINDOWS];

	/* protects @kicked and @snapshot */
	spinlock_t kick_lock;
	bool kicked;
	u32 snapshot[ARRAY_SIZE(rocket_sim_replay)];

	/*
	 * Serialises the model: a task's run (and its DMA through the
	 * attached domain), resets, and IOMMU domain changes, which wait for
	 * a running task as the IOMMU's stall does on silicon.
	 */
	struct mutex lock;
	struct rkt_model *model;
	struct work_struct work;
	/* the running task's memory accesses fail (fault injection) */
	bool inject_fault;
	/*
	 * A task hangs in its DMA until the core is reset. Changing the
	 * core's IOMMU domain meanwhile is what makes the rk_iommu stall
	 * request time out on RK3588 boards: counted in @stall_timeouts.
	 */
	bool dma_stuck;
	u64 stall_timeouts;
	/* resets of the core, so that tests can see a timeout was handled */
	u64 resets;

	/*
	 * The core's IOMMU shares its interrupt line, as on RK3588. Its
	 * handler completes @mmu_irq_done when @mmu_irq_raised; @mmu_irqs
	 * and @mmu_irqs_late count the interrupts it raised during a reset
	 * that were handled in time and those that were not.
	 */
	atomic_t mmu_irq_raised;
	struct completion mmu_irq_done;
	bool mmu_irq_requested;
	u64 mmu_irqs;
	u64 mmu_irqs_late;

	/*
	 * Attaches of a client's address space (a paging domain): rocket
	 * attaches the job's at the start of each job, so that tests can
	 * count the jobs a core started.
	 */
	u64 attaches;
};

struct rocket_sim {
	unsigned int num_cores;
	struct rocket_sim_core *cores;

	struct fwnode_handle *fwnode;	/* the provider of resets */
	struct workqueue_struct *wq;

	struct iommu_device iommu;
	struct iommu_ops *iommu_ops;
	bool iommu_registered;

	struct reset_controller_dev rcdev;
	bool rcdev_registered;

	struct clk_hw *clks[ROCKET_SIM_NUM_CLKS];
	struct clk_lookup **lookups;
	unsigned int num_lookups;

	/* with sim_probe_delay_ms, adds the cores after the first one by one */
	struct delayed_work add_work;
	unsigned int num_added;
};

static struct rocket_sim *sim;

/*
 * Fault injection, set through debugfs (rocket_sim/ at the debugfs root)
 * and shared by all simulated cores: the next @hang_tasks tasks never
 * complete, the next @fault_tasks tasks see no NPU memory (a DMA fault),
 * every task completes @delay_us microseconds after its kick, and during
 * the next @mmu_irq_in_reset core resets the core's IOMMU raises the
 * shared interrupt line. They let tests reach the driver's timeout, reset
 * and teardown paths on purpose.
 */
static struct {
	struct dentry *dir;
	atomic_t hang_tasks;
	atomic_t fault_tasks;
	atomic_t mmu_irq_in_reset;
	u32 delay_us;
} rocket_sim_inject;

static struct rocket_sim_core *rocket_sim_core_for_dev(struct device *dev)
{
	unsigned int i;

	if (!sim)
		return NULL;

	for (i = 0; i < sim->num_cores; i++)
		if (sim->cores[i].pdev && &sim->cores[i].pdev->dev == dev)
			return &sim->cores[i];

	return NULL;
}

static void __iomem *rocket_sim_reg(struct rocket_sim_core *sc,
				    enum rocket_sim_window w, u32 reg)
{
	return (void __force __iomem *)sc->window[w] + reg - rocket_sim_window_base[w];
}

/* Mock IOMMU */

struct rocket_sim_domain {
	struct iommu_domain domain;
	struct xarray ptes;	/* IOVA page -> xa_mk_value(physical page) */
};

static struct rocket_sim_domain *to_sim_domain(struct iommu_domain *domain)
{
	return container_of(domain, struct rocket_sim_domain, domain);
}

static int rocket_sim_iommu_attach(struct iommu_domain *domain, struct device *dev,
				   struct iommu_domain *old)
{
	struct rocket_sim_core *sc = dev_iommu_priv_get(dev);

	/* Like the IOMMU's stall: let a running task finish its DMA first. */
	guard(mutex)(&sc->lock);

	if (domain->type & __IOMMU_DOMAIN_PAGING)
		sc->attaches++;

	/* A core stuck in a DMA never lets the stall complete. */
	if (sc->dma_stuck) {
		sc->stall_timeouts++;
		dev_err(dev, "IOMMU domain changed while the core is stuck in a DMA: on silicon the stall request times out\n");
	}

	return 0;
}

static int rocket_sim_iommu_map(struct iommu_domain *domain, unsigned long iova,
				phys_addr_t paddr, size_t pgsize, size_t pgcount,
				int prot, gfp_t gfp, size_t *mapped)
{
	struct rocket_sim_domain *sd = to_sim_domain(domain);
	size_t i;
	int err;

	if (iova + pgsize * pgcount - 1 > domain->geometry.aperture_end)
		return -EINVAL;

	for (i = 0; i < pgcount; i++) {
		unsigned long idx = (iova >> ROCKET_SIM_PAGE_SHIFT) + i;
		void *entry = xa_mk_value((paddr >> ROCKET_SIM_PAGE_SHIFT) + i);

		err = xa_insert(&sd->ptes, idx, entry, gfp);
		if (err) {
			while (i--)
				xa_erase(&sd->ptes, (iova >> ROCKET_SIM_PAGE_SHIFT) + i);
			return err == -EBUSY ? -EADDRINUSE : err;
		}
		*mapped += pgsize;
	}

	return 0;
}

static size_t rocket_sim_iommu_unmap(struct iommu_domain *domain, unsigned long iova,
				     size_t pgsize, size_t pgcount,
				     struct iommu_iotlb_gather *gather)
{
	struct rocket_sim_domain *sd = to_sim_domain(domain);
	size_t i;

	for (i = 0; i < pgcount; i++)
		xa_erase(&sd->ptes, (iova >> ROCKET_SIM_PAGE_SHIFT) + i);

	return pgsize * pgcount;
}

static phys_addr_t rocket_sim_iommu_iova_to_phys(struct iommu_domain *domain, dma_addr_t iova)
{
	struct rocket_sim_domain *sd = to_sim_domain(domain);
	void *entry = xa_load(&sd->ptes, iova >> ROCKET_SIM_PAGE_SHIFT);

	if (!entry)
		return 0;

	return ((phys_addr_t)xa_to_value(entry) << ROCKET_SIM_PAGE_SHIFT) |
	       (iova & (ROCKET_SIM_PAGE_SIZE - 1));
}

static void rocket_sim_iommu_free(struct iommu_domain *domain)
{
	struct rocket_sim_domain *sd = to_sim_domain(domain);

	xa_destroy(&sd->ptes);
	kfree(sd);
}

static const struct iommu_domain_ops rocket_sim_paging_ops = {
	.attach_dev = rocket_sim_iommu_attach,
	.map_pages = rocket_sim_iommu_map,
	.unmap_pages = rocket_sim_iommu_unmap,
	.iova_to_phys = rocket_sim_iommu_iova_to_phys,
	.free = rocket_sim_iommu_free,
};

static struct iommu_domain *rocket_sim_iommu_alloc_paging(struct device *dev)
{
	struct rocket_sim_domain *sd;

	sd = kzalloc_obj(*sd);
	if (!sd)
		return ERR_PTR(-ENOMEM);

	xa_init(&sd->ptes);
	sd->domain.ops = &rocket_sim_paging_ops;
	sd->domain.pgsize_bitmap = ROCKET_SIM_PAGE_SIZE;
	/* The NPU's addresses are 32 bits wide, as rk_iommu's aperture. */
	sd->domain.geometry.aperture_start = 0;
	sd->domain.geometry.aperture_end = DMA_BIT_MASK(32);
	sd->domain.geometry.force_aperture = true;

	return &sd->domain;
}

static const struct iommu_domain_ops rocket_sim_static_ops = {
	.attach_dev = rocket_sim_iommu_attach,
};

/* The default domain: the DMA API goes direct, as rocket expects. */
static struct iommu_domain rocket_sim_identity_domain = {
	.type = IOMMU_DOMAIN_IDENTITY,
	.ops = &rocket_sim_static_ops,
};

static struct iommu_domain rocket_sim_blocked_domain = {
	.type = IOMMU_DOMAIN_BLOCKED,
	.ops = &rocket_sim_static_ops,
};

static struct iommu_device *rocket_sim_iommu_probe_device(struct device *dev)
{
	struct rocket_sim_core *sc = rocket_sim_core_for_dev(dev);

	if (!sc)
		return ERR_PTR(-ENODEV);

	dev_iommu_priv_set(dev, sc);

	return &sim->iommu;
}

static int rocket_sim_iommu_def_domain_type(struct device *dev)
{
	return IOMMU_DOMAIN_IDENTITY;
}

static const struct iommu_ops rocket_sim_iommu_ops = {
	.identity_domain = &rocket_sim_identity_domain,
	.blocked_domain = &rocket_sim_blocked_domain,
	.domain_alloc_paging = rocket_sim_iommu_alloc_paging,
	.probe_device = rocket_sim_iommu_probe_device,
	.device_group = generic_device_group,
	.def_domain_type = rocket_sim_iommu_def_domain_type,
	.default_domain_ops = &rocket_sim_paging_ops,
};

/* NPU memory as the model sees it: through the domain attached to the core */

typedef void (*rocket_sim_copy_fn)(void *vaddr, void *buf, size_t len);

static void rocket_sim_copy_from(void *vaddr, void *buf, size_t len)
{
	memcpy(buf, vaddr, len);
}

static void rocket_sim_copy_to(void *vaddr, void *buf, size_t len)
{
	memcpy(vaddr, buf, len);
}

static int rocket_sim_dma(struct rocket_sim_core *sc, u32 npu_addr, void *buf, u32 len,
			  rocket_sim_copy_fn copy)
{
	struct iommu_domain *domain = iommu_get_domain_for_dev(&sc->pdev->dev);
	u64 addr = npu_addr;

	/* Without a translating domain attached the NPU has no memory. */
	if (!domain || !(domain->type & __IOMMU_DOMAIN_PAGING))
		return -EFAULT;

	while (len) {
		u32 chunk = min_t(u64, len, ROCKET_SIM_PAGE_SIZE - (addr % ROCKET_SIM_PAGE_SIZE));
		phys_addr_t phys = iommu_iova_to_phys(domain, addr);
		void *vaddr;

		if (!phys || !pfn_valid(PHYS_PFN(phys)))
			return -EFAULT;

		vaddr = kmap_local_page(pfn_to_page(PHYS_PFN(phys)));
		copy(vaddr + offset_in_page(phys), buf, chunk);
		kunmap_local(vaddr);

		addr += chunk;
		buf += chunk;
		len -= chunk;
	}

	return 0;
}

static int rocket_sim_mem_read(void *ctx, u32 npu_addr, void *dst, u32 len)
{
	struct rocket_sim_core *sc = ctx;

	if (sc->inject_fault)
		return -EFAULT;
	return rocket_sim_dma(sc, npu_addr, dst, len, rocket_sim_copy_from);
}

static int rocket_sim_mem_write(void *ctx, u32 npu_addr, const void *src, u32 len)
{
	struct rocket_sim_core *sc = ctx;

	if (sc->inject_fault)
		return -EFAULT;
	return rocket_sim_dma(sc, npu_addr, (void *)src, len, rocket_sim_copy_to);
}

static const struct rkt_model_mem_ops rocket_sim_mem_ops = {
	.read = rocket_sim_mem_read,
	.write = rocket_sim_mem_write,
};

/* Running tasks */

/* Make the PC window show the model's interrupt status. */
static void rocket_sim_sync_status(struct rocket_sim_core *sc)
{
	static const u32 regs[] = { REG_PC_INTERRUPT_STATUS, REG_PC_INTERRUPT_RAW_STATUS };
	unsigned int i;

	lockdep_assert_held(&sc->lock);

	for (i = 0; i < ARRAY_SIZE(regs); i++)
		writel(rkt_model_reg_read(sc->model, regs[i]),
		       rocket_sim_reg(sc, ROCKET_SIM_PC, regs[i]));
}

static void rocket_sim_work(struct work_struct *work)
{
	struct rocket_sim_core *sc = container_of(work, struct rocket_sim_core, work);
	u32 snapshot[ARRAY_SIZE(rocket_sim_replay)];
	enum rkt_model_outcome outcome;
	u32 delay_us = READ_ONCE(rocket_sim_inject.delay_us);
	bool fire = false;
	unsigned int i;

	/* Outside the lock: a slow task does not hold off resets. */
	if (delay_us)
		fsleep(delay_us);

	scoped_guard(mutex, &sc->lock) {
		scoped_guard(spinlock, &sc->kick_lock) {
			if (!sc->kicked)
				return;
			sc->kicked = false;
			memcpy(snapshot, sc->snapshot, sizeof(snapshot));
		}

		/*
		 * A hung task is one the core never finishes: no register
		 * reaches the model, no interrupt is raised.
		 */
		if (atomic_add_unless(&rocket_sim_inject.hang_tasks, -1, 0)) {
			dev_warn(&sc->pdev->dev, "simulated task hangs (fault injection)\n");
			sc->dma_stuck = true;
			return;
		}
		sc->inject_fault = atomic_add_unless(&rocket_sim_inject.fault_tasks, -1, 0);

		for (i = 0; i < ARRAY_SIZE(rocket_sim_replay); i++)
			rkt_model_reg_write(sc->model, rocket_sim_replay[i].reg, snapshot[i]);

		outcome = rkt_model_run(sc->model);
		sc->inject_fault = false;
		if (outcome == RKT_MODEL_HANG)
			sc->dma_stuck = true;
		rocket_sim_sync_status(sc);

		if (outcome != RKT_MODEL_DONE && outcome != RKT_MODEL_IDLE) {
			dev_warn(&sc->pdev->dev, "simulated task ended %s, errors 0x%x:\n%s",
				 rkt_model_outcome_name(outcome), rkt_model_errors(sc->model),
				 rkt_model_log(sc->model));
			rkt_model_log_clear(sc->model);
		}

		fire = rkt_model_irq_pending(sc->model);
	}

	if (fire)
		irq_set_irqchip_state(sc->irq, IRQCHIP_STATE_PENDING, true);
}

/**
 * rocket_sim_kick() - start the task the driver has programmed
 * @core: the core whose PC_OPERATION_ENABLE was just written
 *
 * Takes a snapshot of the registers rocket_job_hw_submit() wrote and lets
 * the model run it in a workqueue. Does nothing for cores that are not
 * simulated. Called in process context, with the core's job_lock held.
 */
void rocket_sim_kick(struct rocket_core *core)
{
	struct rocket_sim_core *sc = rocket_sim_core_for_dev(core->dev);
	unsigned int i;

	if (!sc)
		return;

	spin_lock(&sc->kick_lock);
	for (i = 0; i < ARRAY_SIZE(rocket_sim_replay); i++)
		sc->snapshot[i] = readl(rocket_sim_reg(sc, rocket_sim_replay[i].window,
						       rocket_sim_replay[i].reg));
	sc->kicked = true;
	spin_unlock(&sc->kick_lock);

	queue_work(sim->wq, &sc->work);
}

/**
 * rocket_sim_job_timeout_ms() - the job timeout of a core
 * @core: the core
 * @timeout_ms: the driver's timeout, for silicon
 *
 * The software model computes a large product orders of magnitude slower
 * than silicon: a benchmark on it can ask for a longer timeout.
 *
 * Return: sim_job_timeout_ms for a simulated core if set, else @timeout_ms.
 */
unsigned int rocket_sim_job_timeout_ms(struct rocket_core *core, unsigned int timeout_ms)
{
	if (sim_job_timeout_ms && rocket_sim_core_for_dev(core->dev))
		return sim_job_timeout_ms;
	return timeout_ms;
}

/**
 * rocket_sim_ioremap_byname() - map a register window of a core
 * @pdev: the core's platform device
 * @name: "pc", "cna" or "core"
 *
 * Return: the memory standing in for the window of a simulated core, else
 * devm_platform_ioremap_resource_byname().
 */
void __iomem *rocket_sim_ioremap_byname(struct platform_device *pdev, const char *name)
{
	struct rocket_sim_core *sc = rocket_sim_core_for_dev(&pdev->dev);
	unsigned int i;

	if (!sc)
		return devm_platform_ioremap_resource_byname(pdev, name);

	/* A core half-way through its probe, for a file opened meanwhile. */
	if (sim_core_init_delay_ms && sc->index && !strcmp(name, "pc"))
		msleep(sim_core_init_delay_ms);

	for (i = 0; i < ROCKET_SIM_NUM_WINDOWS; i++)
		if (!strcmp(name, rocket_sim_window_names[i]))
			return (void __force __iomem *)sc->window[i];

	return IOMEM_ERR_PTR(-EINVAL);
}

/**
 * rocket_sim_num_cores() - number of simulated cores
 *
 * Return: how many simulated cores rocket_sim_init() created.
 */
unsigned int rocket_sim_num_cores(void)
{
	return sim ? sim->num_cores : 0;
}

/*
 * Which earlier rocket the driver is to present itself as: 0 none, 1
 * rocket 0.0, 2 rocket 0.1 (their versions, and their ioctls before
 * MATMUL). Only with simulated cores, so that the parameter never changes
 * a real NPU's driver.
 */
unsigned int rocket_sim_base_uapi(void)
{
	return rocket_sim_num_cores() ? min(sim_base_uapi, 2U) : 0;
}

/* Resets */

/* How long a reset waits for the IOMMU interrupt it raised to be handled. */
#define ROCKET_SIM_MMU_IRQ_WAIT_MS	200

/*
 * The simulated IOMMU's handler on the line it shares with its core: it
 * takes only the interrupts its IOMMU raised.
 */
static irqreturn_t rocket_sim_mmu_irq(int irq, void *data)
{
	struct rocket_sim_core *sc = data;

	if (!atomic_xchg(&sc->mmu_irq_raised, 0))
		return IRQ_NONE;
	complete(&sc->mmu_irq_done);
	return IRQ_HANDLED;
}

/*
 * Raise the IOMMU's interrupt during a reset, as a fault of the stuck DMA
 * would on silicon, and count whether its handler ran while the core was
 * still resetting: the driver must not hold the shared line off meanwhile.
 */
static void rocket_sim_mmu_irq_in_reset(struct rocket_sim_core *sc)
{
	reinit_completion(&sc->mmu_irq_done);
	atomic_set(&sc->mmu_irq_raised, 1);
	irq_set_irqchip_state(sc->irq, IRQCHIP_STATE_PENDING, true);
	if (wait_for_completion_timeout(&sc->mmu_irq_done,
					msecs_to_jiffies(ROCKET_SIM_MMU_IRQ_WAIT_MS)))
		sc->mmu_irqs++;
	else
		sc->mmu_irqs_late++;
}

static int rocket_sim_reset_assert(struct reset_controller_dev *rcdev, unsigned long id)
{
	struct rocket_sim_core *sc = &sim->cores[id / ROCKET_SIM_NUM_RESETS];
	unsigned int i;

	guard(mutex)(&sc->lock);

	scoped_guard(spinlock, &sc->kick_lock)
		sc->kicked = false;

	rkt_model_reset(sc->model);
	sc->dma_stuck = false;
	/* The driver asserts every reset line of the core: count the first. */
	if (id % ROCKET_SIM_NUM_RESETS == 0)
		sc->resets++;
	for (i = 0; i < ROCKET_SIM_NUM_WINDOWS; i++)
		memset(sc->window[i], 0, PAGE_SIZE);

	if (id % ROCKET_SIM_NUM_RESETS == 0 &&
	    atomic_add_unless(&rocket_sim_inject.mmu_irq_in_reset, -1, 0))
		rocket_sim_mmu_irq_in_reset(sc);

	return 0;
}

static int rocket_sim_reset_deassert(struct reset_controller_dev *rcdev, unsigned long id)
{
	return 0;
}

static const struct reset_control_ops rocket_sim_reset_ops = {
	.assert = rocket_sim_reset_assert,
	.deassert = rocket_sim_reset_deassert,
};

/* Clocks: the names of the DT binding, nominal rates nothing depends on */

static const struct {
	const char *con_id;
	const char *name;
	unsigned long rate;
} rocket_sim_clks[ROCKET_SIM_NUM_CLKS] = {
	{ "aclk", "rocket-sim-aclk", 800000000 },
	{ "hclk", "rocket-sim-hclk", 200000000 },
	{ "npu", "rocket-sim-npu", 200000000 },
	{ "pclk", "rocket-sim-pclk", 100000000 },
};

static int rocket_sim_add_lookup(struct clk_hw *hw, const char *con_id, const char *dev_id)
{
	struct clk_lookup *cl = clkdev_hw_create(hw, con_id, "%s", dev_id);

	if (!cl)
		return -ENOMEM;

	sim->lookups[sim->num_lookups++] = cl;

	return 0;
}

static int rocket_sim_clocks_init(void)
{
	unsigned int i, c;
	int err;

	for (i = 0; i < ROCKET_SIM_NUM_CLKS; i++) {
		sim->clks[i] = clk_hw_register_fixed_rate(NULL, rocket_sim_clks[i].name,
							  NULL, 0, rocket_sim_clks[i].rate);
		if (IS_ERR(sim->clks[i])) {
			err = PTR_ERR(sim->clks[i]);
			sim->clks[i] = NULL;
			return err;
		}
	}

	/* Per core: one lookup per name, and the unnamed first clock. */
	sim->lookups = kcalloc(sim->num_cores * (ROCKET_SIM_NUM_CLKS + 1),
			       sizeof(*sim->lookups), GFP_KERNEL);
	if (!sim->lookups)
		return -ENOMEM;

	for (c = 0; c < sim->num_cores; c++) {
		const char *dev_id = sim->cores[c].name;

		for (i = 0; i < ROCKET_SIM_NUM_CLKS; i++) {
			err = rocket_sim_add_lookup(sim->clks[i], rocket_sim_clks[i].con_id,
						    dev_id);
			if (err)
				return err;
		}
		err = rocket_sim_add_lookup(sim->clks[0], NULL, dev_id);
		if (err)
			return err;
	}

	return 0;
}

static void rocket_sim_clocks_fini(void)
{
	unsigned int i;

	for (i = 0; i < sim->num_lookups; i++)
		clkdev_drop(sim->lookups[i]);
	kfree(sim->lookups);

	for (i = 0; i < ROCKET_SIM_NUM_CLKS; i++)
		if (sim->clks[i])
			clk_hw_unregister_fixed_rate(sim->clks[i]);
}

/* Cores */

/*
 * The simulated line is raised by irq_work on the CPU that completes a
 * task, so any set of CPUs can take it; what the affinity moves is the
 * interrupt's thread.
 */
static int rocket_sim_irq_set_affinity(struct irq_data *data, const struct cpumask *mask,
				       bool force)
{
	irq_data_update_effective_affinity(data, mask);
	return IRQ_SET_MASK_OK;
}

static int rocket_sim_core_init(struct rocket_sim_core *sc, unsigned int index)
{
	static const char * const reset_names[ROCKET_SIM_NUM_RESETS] = { "srst_a", "srst_h" };
	unsigned int i;
	int err;

	sc->index = index;
	snprintf(sc->name, sizeof(sc->name), "rocket.%u", index);
	spin_lock_init(&sc->kick_lock);
	mutex_init(&sc->lock);
	INIT_WORK(&sc->work, rocket_sim_work);

	for (i = 0; i < ROCKET_SIM_NUM_WINDOWS; i++) {
		sc->window[i] = (void *)get_zeroed_page(GFP_KERNEL);
		if (!sc->window[i])
			return -ENOMEM;
	}

	sc->model = vzalloc(sizeof(*sc->model));
	if (!sc->model)
		return -ENOMEM;
	rkt_model_init(sc->model, &rocket_sim_mem_ops, sc);

	for (i = 0; i < ROCKET_SIM_NUM_RESETS; i++)
		sc->reset_refs[i] = SOFTWARE_NODE_REFERENCE(sim->fwnode,
							    index * ROCKET_SIM_NUM_RESETS + i);
	sc->props[0] = PROPERTY_ENTRY_REF_ARRAY("resets", sc->reset_refs);
	sc->props[1] = PROPERTY_ENTRY_STRING_ARRAY("reset-names", reset_names);
	sc->swnode.name = sc->name;
	sc->swnode.properties = sc->props;

	/*
	 * One interrupt simulator per core: irq_sim_handle_irq() resumes its
	 * scan of the pending bits where it left off, so when a lower
	 * interrupt becomes pending while it handles a higher one it indexes
	 * past its bitmap and hands a NULL descriptor to handle_simple_irq().
	 * Cores completing at once do that; with a single interrupt per
	 * domain the scan always starts at the only bit.
	 */
	sc->irq_domain = irq_domain_create_sim(NULL, 1);
	if (IS_ERR(sc->irq_domain)) {
		err = PTR_ERR(sc->irq_domain);
		sc->irq_domain = NULL;
		return err;
	}

	sc->irq = irq_create_mapping(sc->irq_domain, 0);
	if (!sc->irq)
		return -ENXIO;

	/*
	 * irq_sim's chip takes no affinity, so its interrupt thread would run
	 * anywhere: with a copy that does, /proc/irq/<n>/smp_affinity binds
	 * the thread to CPUs as on the GIC of a board, and tests can hold the
	 * thread off by keeping those CPUs busy.
	 */
	sc->irqchip = *irq_get_chip(sc->irq);
	sc->irqchip.irq_set_affinity = rocket_sim_irq_set_affinity;
	err = irq_set_chip(sc->irq, &sc->irqchip);
	if (err)
		return err;

	/* The IOMMU's handler, on the line rocket will share. */
	init_completion(&sc->mmu_irq_done);
	err = request_irq(sc->irq, rocket_sim_mmu_irq, IRQF_SHARED, "rocket-sim-mmu", sc);
	if (err)
		return err;
	sc->mmu_irq_requested = true;
	return 0;
}

static int rocket_sim_core_add(struct rocket_sim_core *sc)
{
	struct resource irq_res = DEFINE_RES_IRQ_NAMED(sc->irq, "npu");
	struct platform_device *pdev;
	int err;

	pdev = platform_device_alloc("rocket", sc->index);
	if (!pdev)
		return -ENOMEM;

	err = platform_device_add_resources(pdev, &irq_res, 1);
	if (err)
		goto err_put;

	err = device_add_software_node(&pdev->dev, &sc->swnode);
	if (err)
		goto err_put;

	sc->pdev = pdev;
	err = platform_device_add(pdev);
	if (err) {
		sc->pdev = NULL;
		goto err_put;
	}

	return 0;

err_put:
	platform_device_put(pdev);
	return err;
}

/*
 * Unregister the core's device, which unbinds rocket from it. rocket must
 * have stopped the core by then: a task still to run is reported and
 * dropped, and the device is kept until the model is done with it.
 */
static void rocket_sim_core_del(struct rocket_sim_core *sc)
{
	struct platform_device *pdev = sc->pdev;
	bool kicked;

	if (!pdev)
		return;

	get_device(&pdev->dev);
	platform_device_unregister(pdev);

	scoped_guard(mutex, &sc->lock) {
		scoped_guard(spinlock, &sc->kick_lock) {
			kicked = sc->kicked;
			sc->kicked = false;
		}
		sc->pdev = NULL;
	}
	cancel_work_sync(&sc->work);
	WARN(kicked, "rocket_sim: core %u removed with a task still running\n", sc->index);

	put_device(&pdev->dev);
}

/*
 * Add the next simulated core, and schedule the one after: cores that probe
 * one at a time, as cores of the device tree do when some probe deferred.
 */
static void rocket_sim_add_work(struct work_struct *work)
{
	struct rocket_sim_core *sc = &sim->cores[sim->num_added];
	int err;

	err = rocket_sim_core_add(sc);
	if (err)
		pr_err("rocket: failed to add simulated core %u: %d\n", sc->index, err);

	if (++sim->num_added < sim->num_cores)
		schedule_delayed_work(&sim->add_work, msecs_to_jiffies(sim_probe_delay_ms));
}

static void rocket_sim_core_fini(struct rocket_sim_core *sc)
{
	unsigned int i;

	rocket_sim_core_del(sc);
	cancel_work_sync(&sc->work);

	if (sc->mmu_irq_requested)
		free_irq(sc->irq, sc);
	if (sc->irq)
		irq_dispose_mapping(sc->irq);
	if (sc->irq_domain)
		irq_domain_remove_sim(sc->irq_domain);
	vfree(sc->model);
	for (i = 0; i < ROCKET_SIM_NUM_WINDOWS; i++)
		free_page((unsigned long)sc->window[i]);
	mutex_destroy(&sc->lock);
}

/* What each core has run, so that tests can see where jobs went. */
static int rocket_sim_stats_show(struct seq_file *m, void *data)
{
	unsigned int i;

	for (i = 0; i < sim->num_cores; i++) {
		struct rocket_sim_core *sc = &sim->cores[i];

		guard(mutex)(&sc->lock);
		seq_printf(m,
			   "core %u tasks %llu done %llu stall_timeouts %llu resets %llu mmu_irqs %llu mmu_irqs_late %llu attaches %llu\n",
			   i, rkt_model_stats(sc->model)->tasks,
			   rkt_model_stats(sc->model)->done, sc->stall_timeouts, sc->resets,
			   sc->mmu_irqs, sc->mmu_irqs_late, sc->attaches);
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(rocket_sim_stats);

/* debugfs: failures of debugfs are not errors, the knobs are then absent. */
static void rocket_sim_inject_init(void)
{
	struct dentry *dir = debugfs_create_dir("rocket_sim", NULL);

	debugfs_create_file("stats", 0400, dir, NULL, &rocket_sim_stats_fops);

	atomic_set(&rocket_sim_inject.hang_tasks, 0);
	atomic_set(&rocket_sim_inject.fault_tasks, 0);
	atomic_set(&rocket_sim_inject.mmu_irq_in_reset, 0);
	rocket_sim_inject.delay_us = 0;
	debugfs_create_atomic_t("hang_tasks", 0600, dir, &rocket_sim_inject.hang_tasks);
	debugfs_create_atomic_t("fault_tasks", 0600, dir, &rocket_sim_inject.fault_tasks);
	debugfs_create_atomic_t("mmu_irq_in_reset", 0600, dir,
				&rocket_sim_inject.mmu_irq_in_reset);
	debugfs_create_u32("delay_us", 0600, dir, &rocket_sim_inject.delay_us);
	rocket_sim_inject.dir = dir;
}

/**
 * rocket_sim_exit() - remove the simulated cores
 *
 * Called after the platform driver is unregistered.
 */
void rocket_sim_exit(void)
{
	unsigned int i;

	if (!sim)
		return;

	cancel_delayed_work_sync(&sim->add_work);
	for (i = 0; i < sim->num_cores; i++)
		rocket_sim_core_del(&sim->cores[i]);

	if (sim->iommu_registered) {
		iommu_device_unregister(&sim->iommu);
		iommu_device_sysfs_remove(&sim->iommu);
	}
	if (sim->rcdev_registered)
		reset_controller_unregister(&sim->rcdev);
	rocket_sim_clocks_fini();

	for (i = 0; i < sim->num_cores; i++)
		rocket_sim_core_fini(&sim->cores[i]);

	debugfs_remove(rocket_sim_inject.dir);
	rocket_sim_inject.dir = NULL;

	if (sim->wq)
		destroy_workqueue(sim->wq);
	if (!IS_ERR_OR_NULL(sim->fwnode))
		fwnode_remove_software_node(sim->fwnode);
	kfree(sim->iommu_ops);
	kfree(sim->cores);
	kfree(sim);
	sim = NULL;
}

/* Whether the device tree describes an NPU core that is not disabled. */
static bool rocket_sim_dt_has_cores(void)
{
	struct device_node *np;

	for_each_compatible_node(np, NULL, "rockchip,rk3588-rknn-core") {
		if (of_device_is_available(np)) {
			of_node_put(np);
			return true;
		}
	}
	return false;
}

/**
 * rocket_sim_cores_wanted() - how many simulated cores to create
 * @param: the sim_cores module parameter, negative for the default
 *
 * Simulated cores never join real ones: the driver would run jobs on both,
 * and the mock IOMMU would be offered the devices of a real machine. When
 * the device tree has an NPU core that is not disabled, none are created,
 * even when asked for.
 *
 * Return: the number of simulated cores to create.
 */
int rocket_sim_cores_wanted(int param)
{
	if (rocket_sim_dt_has_cores())
		return 0;
	return param < 0 ? ROCKET_SIM_DEFAULT_CORES : param;
}

/**
 * rocket_sim_init() - create the simulated cores
 *
 * Called at module init before the platform driver is registered, so that
 * the driver probes the simulated cores as it probes cores from the device
 * tree.
 *
 * Return: 0 or a negative errno.
 */
int rocket_sim_init(void)
{
	static const struct property_entry provider_props[] = {
		PROPERTY_ENTRY_U32("#reset-cells", 1),
		{ }
	};
	unsigned int i, n;
	int err;

	n = rocket_sim_cores_wanted(sim_cores);
	if (!n && sim_cores > 0)
		pr_warn("rocket: sim_cores=%d ignored: the device tree has NPU cores\n",
			sim_cores);
	sim_cores = n;
	if (!sim_cores)
		return 0;

	if (sim_cores > ROCKET_SIM_MAX_CORES) {
		pr_err("rocket: sim_cores=%d, at most %u\n", sim_cores, ROCKET_SIM_MAX_CORES);
		sim_cores = 0;
		return -EINVAL;
	}

	pr_warn("rocket: creating %d simulated NPU cores: for testing only\n", sim_cores);

	sim = kzalloc_obj(*sim);
	if (!sim)
		return -ENOMEM;
	INIT_DELAYED_WORK(&sim->add_work, rocket_sim_add_work);

	sim->cores = kzalloc_objs(*sim->cores, n);
	if (!sim->cores) {
		err = -ENOMEM;
		goto err;
	}

	sim->fwnode = fwnode_create_software_node(provider_props, NULL);
	if (IS_ERR(sim->fwnode)) {
		err = PTR_ERR(sim->fwnode);
		goto err;
	}

	sim->wq = alloc_workqueue("rocket-sim", WQ_UNBOUND, 0);
	if (!sim->wq) {
		err = -ENOMEM;
		goto err;
	}

	for (i = 0; i < n; i++) {
		sim->num_cores++;
		err = rocket_sim_core_init(&sim->cores[i], i);
		if (err)
			goto err;
	}

	err = rocket_sim_clocks_init();
	if (err)
		goto err;

	/*
	 * No owner: the reset core takes a reference on it for each reset
	 * control, and the only users are rocket.ko's own devices, removed
	 * in rocket_sim_exit(); a reference would pin the module forever.
	 */
	sim->rcdev.ops = &rocket_sim_reset_ops;
	sim->rcdev.fwnode = sim->fwnode;
	sim->rcdev.nr_resets = n * ROCKET_SIM_NUM_RESETS;
	err = reset_controller_register(&sim->rcdev);
	if (err)
		goto err;
	sim->rcdev_registered = true;
	/*
	 * The cores' "resets" reference this node: fw_devlink holds their
	 * probe until their supplier is ready, which a node without a device
	 * must say itself.
	 */
	fwnode_dev_initialized(sim->fwnode, true);

	/*
	 * The IOMMU core takes a reference on ops->owner for each device it
	 * probes. The devices are rocket.ko's own, created here and removed
	 * in rocket_sim_exit(), so such a reference would pin the module
	 * forever: the ops are a copy outside the module, without an owner.
	 */
	sim->iommu_ops = kmemdup(&rocket_sim_iommu_ops, sizeof(rocket_sim_iommu_ops), GFP_KERNEL);
	if (!sim->iommu_ops) {
		err = -ENOMEM;
		goto err;
	}

	/*
	 * Registered without a firmware node: the IOMMU core then offers it
	 * every device that has no fwspec, and probe_device accepts only the
	 * simulated cores. A fwspec naming it cannot be given to a platform
	 * device from a module: iommu_fwspec_init() must be called under
	 * iommu_probe_device_lock, which is not exported.
	 */
	err = iommu_device_sysfs_add(&sim->iommu, NULL, NULL, "rocket-sim-iommu");
	if (err)
		goto err;
	err = iommu_device_register(&sim->iommu, sim->iommu_ops, NULL);
	if (err) {
		iommu_device_sysfs_remove(&sim->iommu);
		goto err;
	}
	sim->iommu_registered = true;

	rocket_sim_inject_init();

	/* The first core probes with the driver; the others come later. */
	for (i = 0; i < n && (i == 0 || !sim_probe_delay_ms); i++) {
		err = rocket_sim_core_add(&sim->cores[i]);
		if (err)
			goto err;
	}
	sim->num_added = i;
	if (sim->num_added < sim->num_cores)
		schedule_delayed_work(&sim->add_work, msecs_to_jiffies(sim_probe_delay_ms));

	return 0;

err:
	pr_err("rocket: failed to create the simulated NPU: %d\n", err);
	rocket_sim_exit();
	return err;
}
