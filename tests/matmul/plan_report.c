// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * Plan report: what the real planner (rocket_matmul_plan()) does with the
 * GEMMs of Qwen2.5-1.5B at decode (M = 1) and prefill (M = 512), and what a
 * roofline predicts for it. Every time and rate printed is a MODEL
 * PREDICTION; nothing here has run on silicon.
 *
 * DRAM bytes of a plan, walking its tasks: each task reads its A rows
 * (m x K), its n kernels unless it reuses them (WEIGHT_REUSE), its command
 * list, and writes its m x n of C. Two references:
 * - "once": A, B and C each moved exactly once;
 * - "opt": the least bytes an exhaustive search finds over plans with the
 *   same number of jobs (cores): every grid of jobs (rows x columns), the
 *   work split evenly, and in each job every task tile (rows a multiple of
 *   4 up to 1020, columns a multiple of the kernel group up to 8192) with
 *   kernels resident or streamed, wherever some split of the 12 CBUF banks
 *   holds the A tile and the kernels (all of them if resident, one if
 *   streamed). Same cost formula as the walk.
 *
 * Predicted time, per product:
 *   t = max(max over cores of MACs / (MACs per cycle * clock),
 *           all bytes / shared DRAM bandwidth)
 *       + (tasks of the busiest core) * per-task kick + one submit
 * with 1024 INT8 or 512 FP16 MACs per core per cycle (TRM peak), a clock of
 * 1 GHz (vendor kernel) or 200 MHz (mainline device tree), 20 GB/s of DRAM
 * shared by the cores, 10 us per task (interrupt, handler, next kick: an
 * assumption, not measured) and 50 us per ioctl (a submit measured on
 * mainline rocket: attaching the IOMMU domain, about 20 us, is 38 % of it).
 *
 * Targets, checked (exit status 1 if missed): plan bytes within 5 % of the
 * exhaustive optimum and MACs issued within 5 % of the useful MACs, for
 * every shape the interface accepts.
 *
 * down_proj (K = 8960) splits K (INT8 only; FP16 is refused, see
 * matmul.rst): two segments of 4480, each a product of its own, plus the
 * DPU-only add tasks. Its "opt" is the sum of each segment's exhaustive
 * optimum plus the adds, which every plan of the recipe moves (12 bytes an
 * element an add and their command lists). "acc" is the accumulation
 * traffic: the add tasks' bytes and the partials' extra writes, (T - 1) * M *
 * N * 16 bytes and the adds' command lists, and "acc us" its predicted time
 * (its bytes at the shared bandwidth, a kick an add on the busiest core).
 */

#include "plan_check.h"

#define BW_BYTES_PER_S	20e9
#define KICK_S		10e-6
#define SUBMIT_S	50e-6
#define CMD_BYTES	((uint64_t)ROCKET_MATMUL_TASK_ENTRIES * 8)

struct cost {
	uint64_t bytes;
	uint64_t macs;
	uint32_t tasks;
	uint32_t busiest;		/* tasks of the busiest core */
	uint64_t core_macs[ROCKET_MATMUL_MAX_JOBS];
	uint64_t add_bytes;		/* add tasks: partials read and sums written */
	uint32_t adds;
	uint32_t busiest_adds;		/* add tasks of the busiest core */
};

static void walk(const struct rocket_matmul_plan *p, struct cost *c)
{
	const struct rocket_matmul_shape *s = &p->shape;
	struct rocket_matmul_shape seg;
	struct rocket_matmul_task t;
	uint32_t j, i, adds;

	memset(c, 0, sizeof(*c));
	for (j = 0; j < p->job_count; j++) {
		adds = 0;
		for (i = 0; i < p->jobs[j].task_count; i++) {
			uint64_t kb;

			rocket_matmul_get_task(p, j, i, &t);
			if (t.kind == ROCKET_MATMUL_TASK_ADD) {
				uint64_t b = 12ull * t.m * t.n +
					     (uint64_t)ROCKET_MATMUL_ADD_ENTRIES * 8;

				c->bytes += b;
				c->add_bytes += b;
				adds++;
				continue;
			}
			rocket_matmul_segment(s, t.seg, &seg);
			kb = (uint64_t)seg.k * rocket_matmul_in_bytes(seg.type);
			c->bytes += t.m * kb + (t.weight_reuse ? 0 : t.n * kb) +
				    (uint64_t)t.m * t.n * rocket_matmul_out_bytes(seg.type) +
				    CMD_BYTES;
			c->core_macs[j] += (uint64_t)t.m * t.n * seg.k;
		}
		c->adds += adds;
		if (adds > c->busiest_adds)
			c->busiest_adds = adds;
		c->macs += c->core_macs[j];
		c->tasks += p->jobs[j].task_count;
		if (p->jobs[j].task_count > c->busiest)
			c->busiest = p->jobs[j].task_count;
	}
}

static uint32_t banks_for(uint64_t bytes)
{
	return (uint32_t)((bytes + CBUF_BANK - 1) / CBUF_BANK);
}

/* Least bytes of one job of mj x nj over every legal tile. */
static uint64_t best_job(uint32_t mj, uint32_t nj, uint32_t unit, uint32_t group, uint64_t kb,
			 uint32_t obpe)
{
	uint64_t best = UINT64_MAX, a = mj * kb, b = nj * kb, c = (uint64_t)mj * nj * obpe;
	uint32_t tm, tn, resident;

	for (tn = group; tn <= nj && tn <= 8192; tn += group) {
		uint32_t cols = (nj + tn - 1) / tn;

		for (tm = unit; tm <= mj && tm <= 1020; tm += unit) {
			uint32_t rows = (mj + tm - 1) / tm;
			uint32_t data = banks_for(tm * kb);

			for (resident = 0; resident < 2; resident++) {
				uint32_t weights = banks_for((resident ? tn : 1) * kb);
				uint64_t bytes;

				if (data + weights > CBUF_BANKS)
					continue;
				bytes = a * cols + b * (resident ? 1 : rows) + c +
					(uint64_t)rows * cols * CMD_BYTES;
				if (bytes < best)
					best = bytes;
			}
		}
	}
	return best;
}

static uint64_t exhaustive(const struct rocket_matmul_shape *s, uint32_t jobs);

/*
 * A split K: each segment's own exhaustive optimum, plus the adds every
 * plan of the recipe moves (12 bytes an element an add, and the command
 * lists of as few add tasks as the add tile bound allows on @jobs cores).
 */
static uint64_t exhaustive_split(const struct rocket_matmul_shape *s, uint32_t jobs)
{
	uint64_t total = 0, tiles;
	struct rocket_matmul_shape seg;
	uint32_t t;

	for (t = 0; t < s->segments; t++) {
		rocket_matmul_segment(s, t, &seg);
		seg.segments = 1;
		total += exhaustive(&seg, jobs);
	}
	tiles = (uint64_t)((s->m + ROCKET_MATMUL_ADD_MAX_M - 1) / ROCKET_MATMUL_ADD_MAX_M) *
		((s->n + ROCKET_MATMUL_ADD_MAX_N - 1) / ROCKET_MATMUL_ADD_MAX_N);
	if (tiles < jobs)
		tiles = jobs;
	return total + (s->segments - 1) *
	       (12ull * s->m * s->n + tiles * ROCKET_MATMUL_ADD_ENTRIES * 8);
}

/* Least bytes over grids of @jobs jobs with even splits. */
static uint64_t exhaustive(const struct rocket_matmul_shape *s, uint32_t jobs)
{
	uint32_t unit = s->m == 1 ? 1 : 4, group = rocket_matmul_kernel_group(s->type);
	uint64_t kb = (uint64_t)s->k * rocket_matmul_in_bytes(s->type), best = UINT64_MAX;
	uint32_t obpe = rocket_matmul_out_bytes(s->type);
	uint32_t rows = s->m / unit, cols = s->n / group, gm, gn, i, j;

	for (gm = 1; gm <= jobs; gm++) {
		uint64_t total = 0;

		if (jobs % gm)
			continue;
		gn = jobs / gm;
		if (gm > rows || gn > cols)
			continue;
		for (i = 0; i < gm && total != UINT64_MAX; i++) {
			for (j = 0; j < gn; j++) {
				uint32_t mj = (uint32_t)((uint64_t)rows * (i + 1) / gm -
							 (uint64_t)rows * i / gm) * unit;
				uint32_t nj = (uint32_t)((uint64_t)cols * (j + 1) / gn -
							 (uint64_t)cols * j / gn) * group;
				uint64_t b = best_job(mj, nj, unit, group, kb, obpe);

				if (b == UINT64_MAX) {
					total = UINT64_MAX;
					break;
				}
				total += b;
			}
		}
		if (total < best)
			best = total;
	}
	return best;
}

static double predict_s(const struct rocket_matmul_shape *s, const struct cost *c,
			uint32_t jobs, double clock_hz)
{
	double rate = (s->type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1024.0 : 512.0) * clock_hz;
	double compute = 0, dram = (double)c->bytes / BW_BYTES_PER_S;
	uint32_t j;

	for (j = 0; j < jobs; j++)
		if (c->core_macs[j] / rate > compute)
			compute = c->core_macs[j] / rate;
	return (compute > dram ? compute : dram) + c->busiest * KICK_S + SUBMIT_S;
}

static const char *type_name(uint32_t type)
{
	switch (type) {
	case DRM_ROCKET_MATMUL_INT8_INT32:
		return "i8>i32";
	case DRM_ROCKET_MATMUL_FP16_FP32:
		return "f16>f32";
	default:
		return "f16>f16";
	}
}

int main(void)
{
	static const struct { const char *name; uint32_t k, n; } gemms[] = {
		{ "q_proj", 1536, 1536 }, { "k_proj", 1536, 256 }, { "v_proj", 1536, 256 },
		{ "o_proj", 1536, 1536 }, { "gate_proj", 1536, 8960 },
		{ "up_proj", 1536, 8960 }, { "down_proj", 8960, 1536 },
		{ "lm_head", 1536, 151936 },
	};
	static const uint32_t types[] = {
		DRM_ROCKET_MATMUL_INT8_INT32, DRM_ROCKET_MATMUL_FP16_FP32,
		DRM_ROCKET_MATMUL_FP16_FP16,
	};
	static const uint32_t ms[] = { 1, 512 };
	unsigned int missed = 0, rows = 0;
	double worst_bytes = 0, worst_pad = 0;
	size_t ti, mi, gi;

	printf("Qwen2.5-1.5B GEMMs, three cores. Times and GOP/s are MODEL PREDICTIONS\n"
	       "(roofline: 1024 INT8 / 512 FP16 MACs per core per cycle, 20 GB/s shared DRAM,\n"
	       "10 us per task, 50 us per ioctl), not measurements. MB = 10^6 bytes.\n\n");
	printf("%-9s %-7s %4s | %4s %5s %5s | %6s | %9s %9s %9s %6s | %8s %8s | %8s %7s\n",
	       "gemm", "type", "M", "jobs", "tasks", "kicks", "pad", "bytes MB", "once MB",
	       "opt MB", "/opt", "GOP/s@1G", "@200M", "acc MB", "acc us");

	for (mi = 0; mi < 2; mi++)
		for (ti = 0; ti < 3; ti++)
			for (gi = 0; gi < sizeof(gemms) / sizeof(gemms[0]); gi++) {
				uint32_t type = types[ti], m = ms[mi];
				uint32_t k = gemms[gi].k, n = gemms[gi].n;
				uint32_t bpe = rocket_matmul_in_bytes(type);
				uint32_t obpe = rocket_matmul_out_bytes(type);
				struct drm_rocket_matmul args = {
					.a_handle = 1, .b_handle = 2, .c_handle = 3,
					.type = type, .m = m, .k = k, .n = n,
				};
				struct rocket_matmul_bos bos = {
					.a = { (uint64_t)m * k * bpe, 0x01000000 },
					.b = { (uint64_t)k * n * bpe, 0x10000000 },
					.c = { (uint64_t)m * n * obpe, 0x80000000u },
				};
				struct rocket_matmul_shape s;
				struct rocket_matmul_plan p;
				const char *reason, *why;
				struct cost c;
				uint64_t once, opt, acc, useful = (uint64_t)m * n * k;
				double ratio, pad, ops = 2.0 * useful;
				int err;

				err = rocket_matmul_validate(&args, &bos, 3, &s, &reason);
				if (!err)
					err = rocket_matmul_plan(&s, &p, &reason);
				if (err) {
					printf("%-9s %-7s %4u | refused %d: %s\n", gemms[gi].name,
					       type_name(type), m, err, reason);
					/* an accepted shape must plan; FP16 K > 8192 is refused */
					if (k <= ROCKET_MATMUL_MAX_TASK_K ||
					    type == DRM_ROCKET_MATMUL_INT8_INT32)
						missed++;
					continue;
				}
				/* where the ioctl would map the scratch */
				if (p.scratch_bytes)
					s.scratch_addr = p.shape.scratch_addr = 0xc0000000u;
				why = pc_check_plan(&s, &p, false, NULL);
				if (why) {
					printf("FAIL plan of %s: %s\n", gemms[gi].name, why);
					missed++;
				}
				walk(&p, &c);
				once = (uint64_t)m * k * bpe + (uint64_t)k * n * bpe +
				       (uint64_t)m * n * obpe;
				opt = s.segments > 1 ? exhaustive_split(&s, p.job_count) :
				      exhaustive(&s, p.job_count);
				acc = c.add_bytes + (s.segments > 1 ?
						     (s.segments - 1) * 4ull * m * n : 0);
				ratio = (double)c.bytes / (double)opt;
				pad = (double)c.macs / (double)useful;
				rows++;
				if (ratio > worst_bytes)
					worst_bytes = ratio;
				if (pad > worst_pad)
					worst_pad = pad;
				if (ratio > 1.05 || pad > 1.05)
					missed++;
				printf("%-9s %-7s %4u | %4u %5u %5u | %6.3f | %9.2f %9.2f %9.2f %6.3f | %8.1f %8.1f | %8.3f %7.1f%s\n",
				       gemms[gi].name, type_name(type), m, p.job_count, c.tasks,
				       c.busiest, pad, c.bytes / 1e6, once / 1e6, opt / 1e6, ratio,
				       ops / predict_s(&s, &c, p.job_count, 1e9) / 1e9,
				       ops / predict_s(&s, &c, p.job_count, 200e6) / 1e9,
				       acc / 1e6, (acc / BW_BYTES_PER_S + c.busiest_adds * KICK_S) * 1e6,
				       ratio > 1.05 || pad > 1.05 ? "  <- target missed" : "");
			}

	printf("\n%u plans: worst bytes / exhaustive optimum %.4f (target <= 1.05), "
	       "worst MACs issued / useful %.4f (target <= 1.05)\n", rows, worst_bytes, worst_pad);
	if (missed) {
		printf("FAIL plan-report: %u targets missed\n", missed);
		return 1;
	}
	printf("PASS plan-report: every target met\n");
	return 0;
}
