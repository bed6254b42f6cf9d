// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the page tables of the Rockchip IOMMU driver: where the page
 * directory and the page tables of a domain are allocated, how page table
 * entries encode physical addresses, and that a table out of the reach of an
 * IOMMU is refused rather than installed.
 *
 * rockchip-iommu.c includes this file, so that the tests can call its static
 * functions. They run on fake devices and never touch MMU registers: the
 * domains they build are attached to no MMU, so no Rockchip hardware is
 * needed. The placement checks only prove something on a machine with memory
 * above 4 GiB, such as QEMU's arm64 "virt" machine with more than 3 GiB.
 */

#include <kunit/device.h>
#include <kunit/static_stub.h>
#include <kunit/test.h>
#include <linux/memblock.h>
#include <linux/swiotlb.h>

#define RK_TEST_4G		BIT_ULL(32)
#define RK_TEST_PT_SPAN		(SZ_4K * NUM_PT_ENTRIES)
#define RK_TEST_PROT		(IOMMU_READ | IOMMU_WRITE)
/* Bits 11:4 of a v2 DTE or DTE_ADDR value: address bits 39:32. */
#define RK_TEST_DTE_HIGH	0xff0
/* Allocations the test seam makes to find a page above 4 GiB. */
#define RK_TEST_HIGH_TRIES	16

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
};

struct rk_iommu_test {
	struct rk_iommu_test_ctx *v1;
	struct rk_iommu_test_ctx *v2;
	/* What the test seam saw: tables it allocated and tables given back. */
	unsigned int allocs;
	unsigned int frees;
	unsigned int bounced_frees;
	bool no_high_memory;
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

static struct rk_iommu_test_ctx *rk_test_v1(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;

	t->v1 = rk_test_ctx(test, &iommu_data_ops_rk3568_v1, "rk-test-v1-iommu",
			    "rk-test-v1-master");
	return t->v1;
}

static struct rk_iommu_test_ctx *rk_test_v2(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;

	t->v2 = rk_test_ctx(test, &iommu_data_ops_v2, "rk-test-v2-iommu",
			    "rk-test-v2-master");
	return t->v2;
}

static struct rk_iommu_domain *rk_test_alloc_domain(struct kunit *test,
						    struct rk_iommu_test_ctx *ctx)
{
	struct iommu_domain *domain;

	domain = rk_iommu_domain_alloc_paging(ctx->master);
	KUNIT_ASSERT_NOT_NULL_MSG(test, domain, "%s: no domain",
				  dev_name(ctx->iommu.dev));
	ctx->dom = to_rk_domain(domain);
	return ctx->dom;
}

static bool rk_test_bounced(struct rk_iommu_domain *dom, dma_addr_t dma)
{
	return swiotlb_find_pool(dom->dma_dev, dma);
}

/*
 * A domain that holds a bounce buffer as a table cannot be freed:
 * rk_iommu_domain_free() would give the bounce buffer to the page allocator.
 * That happens only when the driver failed a test; leak such a domain.
 */
static void rk_test_put_ctx(struct rk_iommu_test_ctx *ctx)
{
	struct rk_iommu_domain *dom;
	bool bounced;
	int i;

	if (!ctx)
		return;
	dom = ctx->dom;
	if (dom) {
		bounced = rk_test_bounced(dom, dom->dt_dma);
		for (i = 0; i < NUM_DT_ENTRIES; i++)
			if (rk_dte_is_pt_valid(dom->dt[i]))
				bounced |= rk_test_bounced(dom,
							   dom->rk_ops->pt_address(dom->dt[i]));
		if (!bounced)
			rk_iommu_domain_free(&dom->domain);
	}
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

	rk_test_put_ctx(t->v1);
	rk_test_put_ctx(t->v2);
}

/*
 * The test seam. rk_test_alloc_high() stands for rk_iommu_alloc_table_page()
 * on a kernel without ZONE_DMA32, where GFP_DMA32 allocates from anywhere: it
 * returns a page above 4 GiB. rk_test_free_table() stands for
 * rk_iommu_free_table() and counts the tables given back, and those given
 * back from a bounce buffer, before it unmaps and frees them as the driver
 * does.
 */
static void *rk_test_alloc_high(struct rk_iommu_domain *rk_domain, gfp_t gfp)
{
	struct rk_iommu_test *t = kunit_get_current_test()->priv;
	void *low[RK_TEST_HIGH_TRIES];
	void *table = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < RK_TEST_HIGH_TRIES; i++) {
		table = iommu_alloc_pages_sz(gfp, SPAGE_SIZE);
		if (!table || virt_to_phys(table) >= RK_TEST_4G)
			break;
		low[n++] = table;
		table = NULL;
	}
	while (n)
		iommu_free_pages(low[--n]);

	if (table)
		t->allocs++;
	else
		t->no_high_memory = true;
	return table;
}

static void rk_test_free_table(struct rk_iommu_domain *rk_domain, void *table,
			       dma_addr_t dma)
{
	struct rk_iommu_test *t = kunit_get_current_test()->priv;

	t->frees++;
	t->bounced_frees += rk_test_bounced(rk_domain, dma);
	dma_unmap_single(rk_domain->dma_dev, dma, SPAGE_SIZE, DMA_TO_DEVICE);
	iommu_free_pages(table);
}

static void rk_test_seam_on(struct kunit *test)
{
	kunit_activate_static_stub(test, rk_iommu_alloc_table_page,
				   rk_test_alloc_high);
	kunit_activate_static_stub(test, rk_iommu_free_table,
				   rk_test_free_table);
}

static void rk_test_seam_off(struct kunit *test)
{
	kunit_deactivate_static_stub(test, rk_iommu_alloc_table_page);
	kunit_deactivate_static_stub(test, rk_iommu_free_table);
}

/* Gives a fake IOMMU the 32-bit DMA mask under which a high table bounces. */
static void rk_test_narrow_mask(struct kunit *test,
				struct rk_iommu_test_ctx *ctx)
{
	struct device *dev = ctx->iommu.dev;

	KUNIT_ASSERT_EQ(test, dma_set_mask_and_coherent(dev, DMA_BIT_MASK(32)), 0);
	if (!is_swiotlb_active(dev))
		kunit_skip(test, "no SWIOTLB: nothing is bounced here");
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

static int rk_test_try_map(struct rk_iommu_domain *dom, dma_addr_t iova,
			   u64 phys, size_t size, size_t *mapped)
{
	*mapped = 0;
	return rk_iommu_map(&dom->domain, iova, phys, size, 1, RK_TEST_PROT,
			    GFP_KERNEL, mapped);
}

static void rk_test_map(struct kunit *test, struct rk_iommu_domain *dom,
			dma_addr_t iova, u64 phys, size_t size)
{
	size_t mapped;

	KUNIT_ASSERT_EQ_MSG(test, rk_test_try_map(dom, iova, phys, size, &mapped),
			    0, "map %pad -> %llx (%zu bytes)", &iova, phys, size);
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
 * A table of a v1.0 block lies below 4 GiB and is the table the driver
 * writes, not a bounce buffer that would lose its entries at the next sync.
 */
static bool rk_test_expect_low_table(struct kunit *test,
				     struct rk_iommu_domain *dom,
				     phys_addr_t phys, const char *what)
{
	bool low = (u64)phys + SPAGE_SIZE <= RK_TEST_4G;
	bool bounced = rk_test_bounced(dom, phys);

	KUNIT_EXPECT_TRUE_MSG(test, low, "%s at %pa is not below 4 GiB", what,
			      &phys);
	KUNIT_EXPECT_FALSE_MSG(test, bounced, "%s at %pa is a bounce buffer",
			       what, &phys);
	return low && !bounced;
}

/* Each compatible selects its ops set. */
static void rk_iommu_test_compatibles(struct kunit *test)
{
	static const struct {
		const char *compatible;
		const struct rk_iommu_ops *ops;
	} want[] = {
		{ "rockchip,iommu", &iommu_data_ops_v1 },
		{ "rockchip,rk3568-iommu", &iommu_data_ops_v2 },
		{ "rockchip,rk3568-iommu-v1", &iommu_data_ops_rk3568_v1 },
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

/*
 * The v1.0 ops: v2 entries, tables from ZONE_DMA32 within 32 bits, mapped
 * under a 40-bit mask. The v2 ops keep 40 bits for everything.
 */
static void rk_iommu_test_ops(struct kunit *test)
{
	const struct rk_iommu_ops *v1 = &iommu_data_ops_rk3568_v1;
	const struct rk_iommu_ops *v2 = &iommu_data_ops_v2;

	KUNIT_EXPECT_PTR_EQ(test, v1->mk_ptentries, v2->mk_ptentries);
	KUNIT_EXPECT_PTR_EQ(test, v1->mk_dtentries, v2->mk_dtentries);
	KUNIT_EXPECT_PTR_EQ(test, v1->pt_address, v2->pt_address);
	KUNIT_EXPECT_EQ(test, v1->dma_bit_mask, DMA_BIT_MASK(40));
	KUNIT_EXPECT_TRUE(test, v1->gfp_flags == GFP_DMA32);
	KUNIT_EXPECT_EQ(test, v1->table_limit, DMA_BIT_MASK(32));

	KUNIT_EXPECT_EQ(test, v2->dma_bit_mask, DMA_BIT_MASK(40));
	KUNIT_EXPECT_TRUE(test, v2->gfp_flags == 0);
	KUNIT_EXPECT_EQ(test, v2->table_limit, DMA_BIT_MASK(40));
}

/* The directory, and the DTE_ADDR value made from it, stay below 4 GiB. */
static void rk_iommu_test_v1_directory_low(struct kunit *test)
{
	struct rk_iommu_domain *dom = rk_test_alloc_domain(test, rk_test_v1(test));
	phys_addr_t dt_phys = virt_to_phys(dom->dt);
	u32 dte_addr;

	kunit_info(test, "directory at %pa\n", &dt_phys);
	if (PFN_PHYS(max_pfn) <= RK_TEST_4G)
		kunit_info(test, "no memory above 4 GiB: placement cannot go wrong here\n");
	rk_test_expect_low_table(test, dom, dt_phys, "directory");
	KUNIT_EXPECT_EQ(test, (u64)dom->dt_dma, (u64)dt_phys);

	/* What rk_iommu_enable() writes to RK_MMU_DTE_ADDR. */
	dte_addr = dom->rk_ops->mk_dtentries(dom->dt_dma);
	KUNIT_EXPECT_EQ(test, dte_addr & RK_TEST_DTE_HIGH, 0);
	KUNIT_EXPECT_EQ(test, (u64)dom->rk_ops->pt_address(dte_addr), (u64)dt_phys);
}

/*
 * Map pages above 4 GiB through many page tables, the first and the last of
 * the directory among them: every table is below 4 GiB and holds the 40-bit
 * entries of its pages.
 */
static void rk_iommu_test_v1_tables_low_pages_high(struct kunit *test)
{
	struct rk_iommu_domain *dom = rk_test_alloc_domain(test, rk_test_v1(test));
	const unsigned int n = ARRAY_SIZE(rk_test_high_pages);
	unsigned int i, dte, tables = 0;
	dma_addr_t iova;

	/* Every 31st directory entry, from the first to the last (1023). */
	for (dte = 0; dte < NUM_DT_ENTRIES; dte += 31) {
		for (i = 0; i < n; i++) {
			iova = (dma_addr_t)dte * RK_TEST_PT_SPAN +
			       (dte + i) % NUM_PT_ENTRIES * SPAGE_SIZE;
			rk_test_map(test, dom, iova, rk_test_high_pages[i],
				    SPAGE_SIZE);
		}
		if (!rk_test_expect_low_table(test, dom, rk_test_pt_phys(dom, iova),
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
static void rk_iommu_test_v1_block_high(struct kunit *test)
{
	struct rk_iommu_domain *dom = rk_test_alloc_domain(test, rk_test_v1(test));
	const u64 phys = BIT_ULL(40) - RK_TEST_PT_SPAN;
	const dma_addr_t iova = 0x40000000;
	unsigned int i;

	rk_test_map(test, dom, iova, phys, RK_TEST_PT_SPAN);
	rk_test_expect_low_table(test, dom, rk_test_pt_phys(dom, iova),
				 "page table");
	for (i = 0; i < NUM_PT_ENTRIES; i++)
		if (!rk_test_check_page(test, dom, iova + i * SPAGE_SIZE,
					phys + i * SPAGE_SIZE))
			return;

	KUNIT_EXPECT_EQ(test, rk_iommu_unmap(&dom->domain, iova, RK_TEST_PT_SPAN,
					     1, NULL), (size_t)RK_TEST_PT_SPAN);
	KUNIT_EXPECT_EQ(test, (u64)rk_iommu_iova_to_phys(&dom->domain, iova), 0);
}

/* Every table the seam handed out came back to rk_iommu_free_table(). */
static void rk_test_expect_nothing_leaked(struct kunit *test)
{
	struct rk_iommu_test *t = test->priv;

	KUNIT_EXPECT_EQ_MSG(test, t->frees, t->allocs,
			    "%u tables allocated, %u given back", t->allocs,
			    t->frees);
}

/*
 * Without ZONE_DMA32, the directory of a v1.0 domain can come from above
 * 4 GiB: no domain is made, and the directory is unmapped and freed.
 */
static void rk_iommu_test_v1_refuse_high_directory(struct kunit *test)
{
	struct rk_iommu_test_ctx *ctx = rk_test_v1(test);
	struct rk_iommu_test *t = test->priv;
	struct iommu_domain *domain;

	rk_test_seam_on(test);
	domain = rk_iommu_domain_alloc_paging(ctx->master);
	rk_test_seam_off(test);
	if (t->no_high_memory)
		kunit_skip(test, "no memory above 4 GiB");
	if (domain)
		ctx->dom = to_rk_domain(domain);

	KUNIT_EXPECT_NULL_MSG(test, domain, "a directory above 4 GiB was accepted");
	KUNIT_EXPECT_EQ(test, t->allocs, 1U);
	rk_test_expect_nothing_leaked(test);
}

/*
 * Without ZONE_DMA32, a page table of a v1.0 domain can come from above
 * 4 GiB: the map fails, the DTE stays invalid, the table is unmapped and
 * freed, and the domain maps the same address once a low table can be had.
 */
static void rk_iommu_test_v1_refuse_high_table(struct kunit *test)
{
	struct rk_iommu_domain *dom = rk_test_alloc_domain(test, rk_test_v1(test));
	struct rk_iommu_test *t = test->priv;
	const dma_addr_t iova = 0x12345000;
	const u64 phys = rk_test_high_pages[1];
	size_t mapped;
	int ret;

	rk_test_seam_on(test);
	ret = rk_test_try_map(dom, iova, phys, SPAGE_SIZE, &mapped);
	rk_test_seam_off(test);
	if (t->no_high_memory)
		kunit_skip(test, "no memory above 4 GiB");

	KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "a page table above 4 GiB was accepted");
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_FALSE(test, rk_dte_is_pt_valid(dom->dt[rk_iova_dte_index(iova)]));
	KUNIT_EXPECT_EQ(test, (u64)rk_iommu_iova_to_phys(&dom->domain, iova), 0);
	KUNIT_EXPECT_EQ(test, t->allocs, 1U);
	rk_test_expect_nothing_leaked(test);

	rk_test_map(test, dom, iova, phys, SPAGE_SIZE);
	rk_test_expect_low_table(test, dom, rk_test_pt_phys(dom, iova), "page table");
	rk_test_check_page(test, dom, iova, phys);
}

/*
 * An IOMMU device whose DMA mask cannot reach a table gets a bounce buffer
 * for it. The directory is refused and its bounce buffer given back.
 */
static void rk_iommu_test_v1_refuse_bounced_directory(struct kunit *test)
{
	struct rk_iommu_test_ctx *ctx = rk_test_v1(test);
	struct rk_iommu_test *t = test->priv;
	struct iommu_domain *domain;

	rk_test_narrow_mask(test, ctx);
	rk_test_seam_on(test);
	domain = rk_iommu_domain_alloc_paging(ctx->master);
	rk_test_seam_off(test);
	if (t->no_high_memory)
		kunit_skip(test, "no memory above 4 GiB");
	if (domain)
		ctx->dom = to_rk_domain(domain);

	KUNIT_EXPECT_NULL_MSG(test, domain, "a bounced directory was accepted");
	KUNIT_EXPECT_EQ(test, t->allocs, 1U);
	KUNIT_EXPECT_EQ(test, t->bounced_frees, 1U);
	rk_test_expect_nothing_leaked(test);
}

/* The same for a page table: the map fails and nothing is left behind. */
static void rk_iommu_test_v1_refuse_bounced_table(struct kunit *test)
{
	struct rk_iommu_test_ctx *ctx = rk_test_v1(test);
	struct rk_iommu_test *t = test->priv;
	const dma_addr_t iova = 0x76543000;
	struct rk_iommu_domain *dom;
	size_t mapped;
	int ret;

	rk_test_narrow_mask(test, ctx);
	dom = rk_test_alloc_domain(test, ctx);
	rk_test_seam_on(test);
	ret = rk_test_try_map(dom, iova, rk_test_high_pages[2], SPAGE_SIZE, &mapped);
	rk_test_seam_off(test);
	if (t->no_high_memory)
		kunit_skip(test, "no memory above 4 GiB");

	KUNIT_EXPECT_EQ_MSG(test, ret, -ENOMEM, "a bounced page table was accepted");
	KUNIT_EXPECT_EQ(test, mapped, 0);
	KUNIT_EXPECT_FALSE(test, rk_dte_is_pt_valid(dom->dt[rk_iova_dte_index(iova)]));
	KUNIT_EXPECT_EQ(test, t->allocs, 1U);
	KUNIT_EXPECT_EQ(test, t->bounced_frees, 1U);
	rk_test_expect_nothing_leaked(test);
}

/*
 * The v2 ops are left as they are: pages above 4 GiB map as before, and a
 * page table above 4 GiB is taken, not refused.
 */
static void rk_iommu_test_v2_unchanged(struct kunit *test)
{
	struct rk_iommu_domain *dom = rk_test_alloc_domain(test, rk_test_v2(test));
	struct rk_iommu_test *t = test->priv;
	const dma_addr_t high_iova = 0x80000000;
	unsigned int i, high = 0;
	phys_addr_t pt;

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

	rk_test_seam_on(test);
	rk_test_map(test, dom, high_iova, rk_test_high_pages[3], SPAGE_SIZE);
	rk_test_seam_off(test);
	if (t->no_high_memory)
		kunit_skip(test, "no memory above 4 GiB");
	pt = rk_test_pt_phys(dom, high_iova);
	KUNIT_EXPECT_GE_MSG(test, (u64)pt, RK_TEST_4G, "page table at %pa", &pt);
	KUNIT_EXPECT_EQ(test, t->frees, 0U);
	rk_test_check_page(test, dom, high_iova, rk_test_high_pages[3]);
}

/* A device cannot be attached to a domain whose tables its MMU cannot use. */
static void rk_iommu_test_attach_other_ops(struct kunit *test)
{
	struct rk_iommu_test_ctx *v1 = rk_test_v1(test);
	struct rk_iommu_test_ctx *v2 = rk_test_v2(test);

	rk_test_alloc_domain(test, v1);
	rk_test_alloc_domain(test, v2);

	KUNIT_EXPECT_EQ(test, rk_iommu_attach_device(&v2->dom->domain,
						     v1->master, NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, rk_iommu_attach_device(&v1->dom->domain,
						     v2->master, NULL),
			-EINVAL);
	KUNIT_EXPECT_PTR_EQ(test, v1->iommu.domain, &rk_identity_domain);
	KUNIT_EXPECT_PTR_EQ(test, v2->iommu.domain, &rk_identity_domain);
	KUNIT_EXPECT_TRUE(test, list_empty(&v1->dom->iommus));
	KUNIT_EXPECT_TRUE(test, list_empty(&v2->dom->iommus));
}

static struct kunit_case rk_iommu_test_cases[] = {
	KUNIT_CASE(rk_iommu_test_compatibles),
	KUNIT_CASE(rk_iommu_test_ops),
	KUNIT_CASE(rk_iommu_test_v1_directory_low),
	KUNIT_CASE(rk_iommu_test_v1_tables_low_pages_high),
	KUNIT_CASE(rk_iommu_test_v1_block_high),
	KUNIT_CASE(rk_iommu_test_v1_refuse_high_directory),
	KUNIT_CASE(rk_iommu_test_v1_refuse_high_table),
	KUNIT_CASE(rk_iommu_test_v1_refuse_bounced_directory),
	KUNIT_CASE(rk_iommu_test_v1_refuse_bounced_table),
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
