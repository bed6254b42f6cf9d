// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the page tables of the Rockchip IOMMU driver: where the
 * directory and the page tables of a domain are allocated, and how page table
 * entries encode physical addresses.
 *
 * rockchip-iommu.c includes this file, so that the tests can call its static
 * functions. They run on fake devices and never touch MMU registers: the
 * domains they build are attached to no MMU, so no Rockchip hardware is
 * needed. The placement checks only prove something on a machine with memory
 * above 4 GiB, such as QEMU's arm64 "virt" machine with more than 3 GiB.
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/memblock.h>
#include <linux/swiotlb.h>

#define RK_TEST_4G		BIT_ULL(32)
#define RK_TEST_PT_SPAN		(SZ_4K * NUM_PT_ENTRIES)
#define RK_TEST_PROT		(IOMMU_READ | IOMMU_WRITE)
/* Bits 11:4 of a v2 DTE or DTE_ADDR value: address bits 39:32. */
#define RK_TEST_DTE_HIGH	0xff0

/*
 * Physical addresses the tests map: above 4 GiB, each with different bits
 * set in 39:32, up to the highest page of 40 bits. The IOMMU never runs, so
 * nothing needs to be there.
 */
static const u64 rk_test_high_pages[] = {
	0x0100000000ULL,
	0x0fedcba000ULL,
	0x1000000000ULL,
	0x5a5a5a5000ULL,
	0xa5a5a5a000ULL,
	0xfffffff000ULL,
};

/* A fake IOMMU and a fake master device that of_xlate() would have linked. */
struct rk_iommu_test_ctx {
	struct rk_iommu iommu;
	struct rk_iommudata data;
	struct dev_iommu dev_iommu;
	struct device *master;
	struct rk_iommu_domain *dom;
	bool bounced;
};

struct rk_iommu_test {
	struct rk_iommu_test_ctx *npu;
	struct rk_iommu_test_ctx *v2;
};

/*
 * The IOMMU device gets the DMA mask that rk_iommu_probe() sets, so that the
 * tables are mapped for the MMU as they would be on a board.
 */
static struct rk_iommu_test_ctx *rk_test_ctx(struct kunit *test,
					     const struct rk_iommu_ops *ops,
					     const char *iommu_name,
					     const char *master_name)
{
	struct rk_iommu_test_ctx *ctx;
	struct device *dev;

	ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ctx);

	dev = kunit_device_register(test, iommu_name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->dma_mask = &dev->coherent_dma_mask;
	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, ops->dma_bit_mask), 0);

	ctx->iommu.dev = dev;
	ctx->iommu.rk_ops = ops;
	ctx->iommu.domain = &rk_identity_domain;
	INIT_LIST_HEAD(&ctx->iommu.node);
	ctx->data.iommu = &ctx->iommu;
	ctx->dev_iommu.priv = &ctx->data;

	ctx->master = kunit_device_register(test, master_name);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, ctx->master);
	ctx->master->iommu = &ctx->dev_iommu;

	return ctx;
}

static struct rk_iommu_test_ctx *rk_test_npu(struct kunit *test)
{
	return rk_test_ctx(test, &iommu_data_ops_v2_dma32, "rk-test-npu-iommu",
			   "rk-test-npu-master");
}

static struct rk_iommu_test_ctx *rk_test_v2(struct kunit *test)
{
	return rk_test_ctx(test, &iommu_data_ops_v2, "rk-test-v2-iommu",
			   "rk-test-v2-master");
}

static void rk_test_alloc_domain(struct kunit *test,
				 struct rk_iommu_test_ctx *ctx)
{
	struct iommu_domain *domain;

	domain = rk_iommu_domain_alloc_paging(ctx->master);
	KUNIT_ASSERT_NOT_NULL(test, domain);
	ctx->dom = to_rk_domain(domain);
}

static void rk_test_put_ctx(struct rk_iommu_test_ctx *ctx)
{
	if (!ctx)
		return;
	/*
	 * rk_iommu_domain_free() would hand a bounce buffer to the page
	 * allocator: leak such a domain instead.
	 */
	if (ctx->dom && !ctx->bounced)
		rk_iommu_domain_free(&ctx->dom->domain);
	ctx->master->iommu = NULL;
}

static int rk_iommu_test_init(struct kunit *test)
{
	struct rk_iommu_test *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	test->priv = t;
	return 0;
}

static void rk_iommu_test_exit(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;

	rk_test_put_ctx(t->npu);
	rk_test_put_ctx(t->v2);
}

/*
 * The v2 page table entry, written out here rather than taken from the
 * driver: address bits 31:12 in 31:12, 35:32 in 11:8, 39:36 in 7:4.
 */
static u32 rk_test_v2_pte(u64 phys, int prot)
{
	u32 pte = lower_32_bits(phys) & GENMASK(31, 12);

	pte |= ((phys >> 32) & 0xf) << 8;
	pte |= ((phys >> 36) & 0xf) << 4;
	if (prot & IOMMU_READ)
		pte |= RK_PTE_PAGE_READABLE;
	if (prot & IOMMU_WRITE)
		pte |= RK_PTE_PAGE_WRITABLE;
	return pte | RK_PTE_PAGE_VALID;
}

static void rk_test_map(struct kunit *test, struct rk_iommu_domain *dom,
			dma_addr_t iova, u64 phys, size_t size)
{
	size_t mapped = 0;

	KUNIT_ASSERT_EQ_MSG(test, rk_iommu_map(&dom->domain, iova, phys, size,
					       1, RK_TEST_PROT, GFP_KERNEL,
					       &mapped), 0,
			    "map %pad -> %llx (%zu bytes)", &iova, phys, size);
	KUNIT_ASSERT_EQ(test, mapped, size);
}

/* Physical address of the page table that maps @iova, 0 if there is none. */
static phys_addr_t rk_test_pt_phys(struct rk_iommu_domain *dom,
				   dma_addr_t iova)
{
	u32 dte = dom->dt[rk_iova_dte_index(iova)];

	if (!rk_dte_is_pt_valid(dte))
		return 0;
	return dom->rk_ops->pt_address(dte);
}

/* The page table entry for @iova, 0 if there is no page table. */
static u32 rk_test_pte(struct rk_iommu_domain *dom, dma_addr_t iova)
{
	phys_addr_t pt = rk_test_pt_phys(dom, iova);

	if (!pt)
		return 0;
	return ((u32 *)phys_to_virt(pt))[rk_iova_pte_index(iova)];
}

/*
 * The entry for @iova is the v2 entry of @phys, and translating @iova gives
 * @phys back. Fails the test, once, when it is not so.
 */
static bool rk_test_check_page(struct kunit *test, struct rk_iommu_domain *dom,
			       dma_addr_t iova, u64 phys)
{
	u32 pte = rk_test_pte(dom, iova);
	u32 want = rk_test_v2_pte(phys, RK_TEST_PROT);
	phys_addr_t got = rk_iommu_iova_to_phys(&dom->domain, iova + 0x123);

	if (pte == want && got == phys + 0x123)
		return true;
	KUNIT_FAIL(test, "iova %pad: pte %#x, expected %#x for page %#llx; translates to %pa",
		   &iova, pte, want, phys, &got);
	return false;
}

/*
 * A table the MMU is given must be the table the driver writes: a bounce
 * buffer would lose the driver's writes at the next sync.
 */
static void rk_test_expect_not_bounced(struct kunit *test,
				       struct rk_iommu_test_ctx *ctx,
				       phys_addr_t phys, const char *what)
{
	bool bounced = swiotlb_find_pool(ctx->iommu.dev, phys);

	ctx->bounced |= bounced;
	KUNIT_EXPECT_FALSE_MSG(test, bounced, "%s at %pa is a bounce buffer",
			       what, &phys);
}

static bool rk_test_expect_low_table(struct kunit *test,
				     struct rk_iommu_test_ctx *ctx,
				     phys_addr_t phys, const char *what)
{
	u64 end = (u64)phys + SPAGE_SIZE;

	KUNIT_EXPECT_LE_MSG(test, end, RK_TEST_4G,
			    "%s at %pa is not below 4 GiB", what, &phys);
	rk_test_expect_not_bounced(test, ctx, phys, what);
	return end <= RK_TEST_4G && !ctx->bounced;
}

/* The new compatible selects the new ops; the older ones keep theirs. */
static void rk_iommu_test_compatibles(struct kunit *test)
{
	static const struct {
		const char *compatible;
		const struct rk_iommu_ops *ops;
	} want[] = {
		{ "rockchip,iommu", &iommu_data_ops_v1 },
		{ "rockchip,rk3568-iommu", &iommu_data_ops_v2 },
		{ "rockchip,rk3588-npu-iommu", &iommu_data_ops_v2_dma32 },
	};
	const struct of_device_id *id;
	int i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		for (id = rk_iommu_dt_ids; id->compatible[0]; id++)
			if (!strcmp(id->compatible, want[i].compatible))
				break;
		KUNIT_EXPECT_PTR_EQ_MSG(test, id->data, (const void *)want[i].ops,
					"%s", want[i].compatible);
	}
}

/* The NPU ops map their tables with a 32-bit mask, v2 keeps 40 bits. */
static void rk_iommu_test_npu_dma_mask(struct kunit *test)
{
	const u64 mask32 = DMA_BIT_MASK(32), mask40 = DMA_BIT_MASK(40);

	KUNIT_EXPECT_EQ(test, iommu_data_ops_v2_dma32.dma_bit_mask, mask32);
	KUNIT_EXPECT_EQ(test, iommu_data_ops_v2.dma_bit_mask, mask40);
}

/* The directory, and the DTE_ADDR value made from it, stay below 4 GiB. */
static void rk_iommu_test_npu_directory_low(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;
	struct rk_iommu_domain *dom;
	phys_addr_t dt_phys;
	u32 dte_addr, dte_addr_high;

	t->npu = rk_test_npu(test);
	rk_test_alloc_domain(test, t->npu);
	dom = t->npu->dom;

	dt_phys = virt_to_phys(dom->dt);
	kunit_info(test, "directory at %pa\n", &dt_phys);
	if (PFN_PHYS(max_pfn) <= RK_TEST_4G)
		kunit_info(test, "no memory above 4 GiB: placement cannot go wrong here\n");
	KUNIT_EXPECT_LE_MSG(test, (u64)dt_phys + SPAGE_SIZE, RK_TEST_4G,
			    "directory at %pa is not below 4 GiB", &dt_phys);
	rk_test_expect_not_bounced(test, t->npu, dom->dt_dma, "directory");
	KUNIT_EXPECT_EQ(test, (u64)dom->dt_dma, (u64)dt_phys);

	/* What rk_iommu_enable() writes to RK_MMU_DTE_ADDR. */
	dte_addr = dom->rk_ops->mk_dtentries(dom->dt_dma);
	dte_addr_high = dte_addr & RK_TEST_DTE_HIGH;
	KUNIT_EXPECT_EQ(test, dte_addr_high, 0);
	KUNIT_EXPECT_EQ(test, (u64)dom->rk_ops->pt_address(dte_addr), (u64)dt_phys);
}

/*
 * Map pages above 4 GiB through many page tables, the first and the last of
 * the directory among them: every table is below 4 GiB and holds the 40-bit
 * entries of its pages.
 */
static void rk_iommu_test_npu_tables_low_pages_high(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;
	const unsigned int n = ARRAY_SIZE(rk_test_high_pages);
	struct rk_iommu_domain *dom;
	unsigned int i, dte, tables = 0;
	dma_addr_t iova;

	t->npu = rk_test_npu(test);
	rk_test_alloc_domain(test, t->npu);
	dom = t->npu->dom;

	/* Every 31st directory entry, from the first to the last (1023). */
	for (dte = 0; dte < NUM_DT_ENTRIES; dte += 31) {
		for (i = 0; i < n; i++) {
			iova = (dma_addr_t)dte * RK_TEST_PT_SPAN +
			       (dte + i) % NUM_PT_ENTRIES * SPAGE_SIZE;
			rk_test_map(test, dom, iova, rk_test_high_pages[i],
				    SPAGE_SIZE);
		}
		if (!rk_test_expect_low_table(test, t->npu,
					      rk_test_pt_phys(dom, iova),
					      "page table"))
			return;
		/* The DTE holds no address bits above 31. */
		KUNIT_EXPECT_EQ(test, dom->dt[dte] & RK_TEST_DTE_HIGH, 0);
		for (i = 0; i < n; i++) {
			iova = (dma_addr_t)dte * RK_TEST_PT_SPAN +
			       (dte + i) % NUM_PT_ENTRIES * SPAGE_SIZE;
			if (!rk_test_check_page(test, dom, iova,
						rk_test_high_pages[i]))
				return;
		}
	}
	for (dte = 0; dte < NUM_DT_ENTRIES; dte++)
		tables += rk_dte_is_pt_valid(dom->dt[dte]);
	KUNIT_EXPECT_EQ(test, tables, NUM_DT_ENTRIES / 31 + 1);
	kunit_info(test, "%u page tables, all below 4 GiB\n", tables);
}

/* A whole page table at once, a 4 MiB block at the top of 40 bits. */
static void rk_iommu_test_npu_block_high(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;
	const u64 phys = BIT_ULL(40) - RK_TEST_PT_SPAN;
	const dma_addr_t iova = 0x40000000;
	struct rk_iommu_domain *dom;
	unsigned int i;

	t->npu = rk_test_npu(test);
	rk_test_alloc_domain(test, t->npu);
	dom = t->npu->dom;

	rk_test_map(test, dom, iova, phys, RK_TEST_PT_SPAN);
	rk_test_expect_low_table(test, t->npu, rk_test_pt_phys(dom, iova),
				 "page table");
	for (i = 0; i < NUM_PT_ENTRIES; i++)
		if (!rk_test_check_page(test, dom, iova + i * SPAGE_SIZE,
					phys + i * SPAGE_SIZE))
			return;

	KUNIT_EXPECT_EQ(test, rk_iommu_unmap(&dom->domain, iova, RK_TEST_PT_SPAN,
					     1, NULL), (size_t)RK_TEST_PT_SPAN);
	KUNIT_EXPECT_EQ(test, (u64)rk_iommu_iova_to_phys(&dom->domain, iova), 0);
}

/*
 * The v2 ops are left as they are: tables may be anywhere the 40-bit mask
 * reaches, and pages above 4 GiB map as before.
 */
static void rk_iommu_test_v2_unchanged(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;
	struct rk_iommu_domain *dom;
	unsigned int i, high = 0;

	t->v2 = rk_test_v2(test);
	rk_test_alloc_domain(test, t->v2);
	dom = t->v2->dom;

	high += virt_to_phys(dom->dt) >= RK_TEST_4G;
	for (i = 0; i < ARRAY_SIZE(rk_test_high_pages); i++) {
		dma_addr_t iova = i * RK_TEST_PT_SPAN;
		u64 phys = rk_test_high_pages[i];

		rk_test_map(test, dom, iova, phys, SPAGE_SIZE);
		rk_test_check_page(test, dom, iova, phys);
		high += rk_test_pt_phys(dom, iova) >= RK_TEST_4G;
	}
	kunit_info(test, "v2: %u of %zu tables above 4 GiB\n", high,
		   ARRAY_SIZE(rk_test_high_pages) + 1);
}

/* A device cannot be attached to a domain whose tables its MMU cannot use. */
static void rk_iommu_test_attach_other_ops(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;

	t->npu = rk_test_npu(test);
	t->v2 = rk_test_v2(test);
	rk_test_alloc_domain(test, t->npu);
	rk_test_alloc_domain(test, t->v2);

	KUNIT_EXPECT_EQ(test, rk_iommu_attach_device(&t->v2->dom->domain,
						     t->npu->master, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rk_iommu_attach_device(&t->npu->dom->domain,
						     t->v2->master, NULL),
			-EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, t->npu->iommu.domain, &rk_identity_domain);
	KUNIT_EXPECT_PTR_EQ(test, t->v2->iommu.domain, &rk_identity_domain);
	KUNIT_EXPECT_TRUE(test, list_empty(&t->npu->dom->iommus));
	KUNIT_EXPECT_TRUE(test, list_empty(&t->v2->dom->iommus));
}

static struct kunit_case rk_iommu_test_cases[] = {
	KUNIT_CASE(rk_iommu_test_compatibles),
	KUNIT_CASE(rk_iommu_test_npu_dma_mask),
	KUNIT_CASE(rk_iommu_test_npu_directory_low),
	KUNIT_CASE(rk_iommu_test_npu_tables_low_pages_high),
	KUNIT_CASE(rk_iommu_test_npu_block_high),
	KUNIT_CASE(rk_iommu_test_v2_unchanged),
	KUNIT_CASE(rk_iommu_test_attach_other_ops),
	{}
};

static struct kunit_suite rk_iommu_test_suite = {
	.name = "rockchip-iommu",
	.init = rk_iommu_test_init,
	.exit = rk_iommu_test_exit,
	.test_cases = rk_iommu_test_cases,
};

kunit_test_suite(rk_iommu_test_suite);
