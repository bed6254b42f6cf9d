// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * libFuzzer target over rocket_matmul_validate() and rocket_matmul_plan().
 *
 * The input is read as a descriptor, three BOs and a core count, biased
 * towards shapes that pass validation so that the planner is exercised as
 * much as the checks. Asserted:
 *
 * - validation always gives a reason, and only 0, -EINVAL or -E2BIG;
 * - an accepted descriptor really is valid, checked here independently in
 *   128-bit arithmetic (operands inside their BOs and below 4 GiB, aligned,
 *   C apart from A and B, fields known, reserved fields zero);
 * - planning an accepted shape gives 0 or -E2BIG (too many tasks), and a
 *   plan meets every invariant of plan_check.h: each element of C computed
 *   by exactly one task (one a segment of a split K, and added once a later
 *   segment), tasks within the field and CBUF limits, every address a task
 *   reaches inside its operand or the scratch, command lists well formed;
 * - a split K (K above 8192, every fourth input or so) is accepted only
 *   for INT8 within its bounds, in the uAPI's segments.
 */

#include <stddef.h>
#include <stdint.h>

#include "plan_check.h"

struct input {
	const uint8_t *p;
	size_t left;
};

static uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	while (bytes--) {
		v = v << 8 | (in->left ? *in->p : 0);
		if (in->left) {
			in->p++;
			in->left--;
		}
	}
	return v;
}

/* Mostly a legal value from a small range, sometimes anything. */
static uint32_t dim(struct input *in, uint32_t unit, uint32_t range)
{
	uint8_t mode = (uint8_t)take(in, 1);
	uint32_t v = (uint32_t)take(in, 4);

	if (mode < 200)
		return (v % range + 1) * unit;
	if (mode < 230)
		return v % (range * unit + 64);
	return v;
}

static void fail(const char *what, const struct drm_rocket_matmul *a)
{
	fprintf(stderr, "invariant broken: %s\n  type %u m %u k %u n %u flags 0x%x mask 0x%x\n",
		what, a->type, a->m, a->k, a->n, a->flags, a->core_mask);
	__builtin_trap();
}

typedef unsigned __int128 u128;

/* [start, end) of an operand in NPU addresses, 128-bit so nothing wraps. */
static void extent(const struct rocket_matmul_bo *bo, uint64_t off, uint64_t bytes,
		   u128 *start, u128 *end)
{
	*start = (u128)bo->npu_addr + off;
	*end = *start + bytes;
}

static void check_accepted(const struct drm_rocket_matmul *a, const struct rocket_matmul_bos *b,
			   uint32_t cores, const struct rocket_matmul_shape *s)
{
	uint32_t bpe = a->type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2;
	uint32_t obpe = a->type == DRM_ROCKET_MATMUL_FP16_FP16 ? 2 : 4;
	uint64_t as = (uint64_t)a->m * a->k * bpe, bs = (uint64_t)a->k * a->n * bpe;
	uint64_t cs = (uint64_t)a->m * a->n * obpe;
	u128 a0, a1, b0, b1, c0, c1, top = (u128)1 << 32;

	if (a->type < 1 || a->type > 3 || a->flags & ~1u || a->pad || a->reserved[0] ||
	    a->reserved[1])
		fail("accepted an unknown type, flag or reserved field", a);
	if (!(a->flags & 1) && a->core_mask)
		fail("accepted a core mask without its flag", a);
	if (a->flags & 1 && (!a->core_mask || a->core_mask >> cores))
		fail("accepted a bad core mask", a);
	if (!a->m || !a->k || !a->n || a->k % 32 || a->n % (bpe == 1 ? 32 : 16) ||
	    (a->m % 4 && a->m != 1) || a->k > 65536)
		fail("accepted a bad shape", a);
	/* a split K: INT8 only, partial sums (two INT32 planes) within 64 MiB */
	if (a->k > 8192 && (a->type != DRM_ROCKET_MATMUL_INT8_INT32 ||
			    (u128)8 * a->m * a->n > (u128)64 << 20))
		fail("accepted a split K the recipe does not cover", a);
	if (s->segments != (a->k + 8191) / 8192 ||
	    s->seg_k != 32 * ((a->k + 32 * s->segments - 1) / (32 * s->segments)))
		fail("segments differ from the uAPI's rule", a);
	if ((u128)a->a_offset + as > b->a.size || (u128)a->b_offset + bs > b->b.size ||
	    (u128)a->c_offset + cs > b->c.size)
		fail("accepted an operand outside its BO", a);
	extent(&b->a, a->a_offset, as, &a0, &a1);
	extent(&b->b, a->b_offset, bs, &b0, &b1);
	extent(&b->c, a->c_offset, cs, &c0, &c1);
	if (a1 > top || b1 > top || c1 > top)
		fail("accepted an operand above 4 GiB", a);
	if ((uint64_t)a0 % 16 || (uint64_t)b0 % 16 || (uint64_t)c0 % 16)
		fail("accepted a misaligned operand", a);
	if ((c0 < a1 && a0 < c1) || (c0 < b1 && b0 < c1))
		fail("accepted C overlapping A or B", a);
	if (s->a_addr != (uint32_t)a0 || s->b_addr != (uint32_t)b0 || s->c_addr != (uint32_t)c0 ||
	    s->m != a->m || s->k != a->k || s->n != a->n || s->type != a->type ||
	    !s->core_mask || s->core_mask >> cores)
		fail("shape differs from the descriptor", a);
}

/* Plans of a split K the run checked, reported at exit (fuzz.log). */
static unsigned long split_plans, split_refused;

static void __attribute__((destructor)) report_splits(void)
{
	fprintf(stderr, "split-K plans checked: %lu; split-K descriptors refused: %lu\n",
		split_plans, split_refused);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct drm_rocket_matmul a = { 0 };
	struct rocket_matmul_bos b;
	struct rocket_matmul_shape s;
	struct rocket_matmul_plan p;
	const char *reason = NULL, *why;
	uint8_t mode = (uint8_t)take(&in, 1);
	uint32_t cores = 1 + (uint32_t)take(&in, 1) % 3, bpe, obpe, group;
	uint64_t base = 0x1000;
	int err;

	a.type = 1 + (uint32_t)take(&in, 1) % 3;
	if (mode & 1)
		a.type = (uint32_t)take(&in, 4);
	bpe = a.type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2;
	obpe = a.type == DRM_ROCKET_MATMUL_FP16_FP16 ? 2 : 4;
	group = bpe == 1 ? 32 : 16;
	a.m = take(&in, 1) < 40 ? 1 : dim(&in, 4, 700);
	a.k = dim(&in, 32, 260);
	if (mode & 128)		/* beyond one task: a split K, up to its bound and past it */
		a.k = dim(&in, 32, 2060);
	a.n = dim(&in, group, 700);
	if (mode & 2) {
		a.flags = (uint32_t)take(&in, 1) % 3;
		a.core_mask = (uint32_t)take(&in, 1) % 9;
	}
	if (mode & 4) {
		a.pad = (uint32_t)take(&in, 1) / 250;
		a.reserved[take(&in, 1) & 1] = take(&in, 1) / 250;
	}
	a.a_offset = take(&in, 1) * 16;
	a.b_offset = take(&in, 1) * 16;
	a.c_offset = take(&in, 1) * 16;
	if (mode & 8)
		a.c_offset = take(&in, 8);

	/* BOs of the operands' size, a little more or less, or anything */
	b.a.size = a.a_offset + (uint64_t)a.m * a.k * bpe + (int8_t)take(&in, 1);
	b.b.size = a.b_offset + (uint64_t)a.k * a.n * bpe + (int8_t)take(&in, 1);
	b.c.size = a.c_offset + (uint64_t)a.m * a.n * obpe + (int8_t)take(&in, 1);
	if (mode & 16)
		b.c.size = take(&in, 8);
	b.a.npu_addr = base;
	b.b.npu_addr = (b.a.npu_addr + b.a.size + 4095) & ~4095ull;
	b.c.npu_addr = (b.b.npu_addr + b.b.size + 4095) & ~4095ull;
	if (mode & 32)		/* the same BO, or any address */
		b.c = take(&in, 1) & 1 ? b.a : (struct rocket_matmul_bo){
			.size = b.c.size, .npu_addr = take(&in, 8) };
	if (mode & 64)
		b.b.npu_addr += take(&in, 1);

	err = rocket_matmul_validate(&a, &b, cores, &s, &reason);
	if (!reason)
		fail("no reason", &a);
	split_refused += err && a.k > 8192;
	if (err && err != -EINVAL && err != -E2BIG)
		fail("unexpected errno", &a);
	if (err)
		return 0;
	check_accepted(&a, &b, cores, &s);

	reason = NULL;
	err = rocket_matmul_plan(&s, &p, &reason);
	if (!reason || (err && err != -E2BIG))
		fail("planner errno or reason", &a);
	if (err)
		return 0;
	/* where the ioctl would map the scratch of a split K */
	if (p.scratch_bytes)
		s.scratch_addr = p.shape.scratch_addr = 0xc0000000u;
	/* command lists of small plans: the host tests check every list of larger ones */
	why = pc_check_plan(&s, &p, p.task_count <= 64, NULL);
	if (why)
		fail(why, &a);
	split_plans += s.segments > 1;
	return 0;
}
