// SPDX-License-Identifier: GPL-2.0
/*
 * Random and boundary values in every field of every rocket ioctl: CREATE_BO,
 * SUBMIT, PREP_BO, FINI_BO, MATMUL and the DRM core's GEM_CLOSE, with odd
 * argument sizes and directions, bad argument pointers, bad array pointers
 * (NULL, unmapped, straddling the end of a mapping, kernel addresses,
 * misaligned), the limits of rocket_accel.h at 0, 1, max - 1, max and
 * max + 1, reserved fields set, handles that are valid, invalid, closed or
 * of another file, and command lists in, across and out of BOs.
 *
 * Each call must return 0 or fail cleanly: -1 with an errno the ioctl may
 * return (see allowed_errnos[]). The test also carries a model of what the
 * driver checks: a call the model says must fail must not succeed, and a call
 * it says must succeed must not fail. A call that fails with another allowed
 * error than the model's (which of several faults the kernel reports first,
 * or an errno the model takes for wrong) is printed, once for each pair of
 * errors, not failed. What the calls do to the kernel (KASAN, kmemleak,
 * lockdep, WARN) shows in the kernel log, which the test run checks. At the
 * end the file and a fresh file must still run a job to the right result.
 *
 * Jobs the NPU runs are few and short: a SUBMIT the model accepts is either
 * rewritten to run the 4x32x32 matmul of rocket_matmul_job.h (GOOD_SUBMITS
 * times per run), or, BAD_SUBMITS times, a list the simulated NPU refuses,
 * which times out after 500 ms; any other acceptable SUBMIT is made to fail
 * by setting the task count of its last job to 0. Each accepted job writes C
 * and the test waits for it, and checks C, before going on, so that no job
 * holds a BO the model thinks is gone.
 *
 * The pseudo-random sequence is printed as a seed and replayed with
 * ROCKET_FUZZ_SEED=<seed>; ROCKET_FUZZ_CALLS sets the number of calls
 * (default 16000), ROCKET_FUZZ_VERBOSE=1 prints every call, its outcome
 * and the model's, and
 * ROCKET_FUZZ_HUGE_BOS=1 adds BO sizes above 2 GiB (slow, see below).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../kselftest_harness.h"
#include "rocket_matmul_job.h"

#define DEFAULT_CALLS		16000

/* BOs the fuzzer keeps in the file, besides the four of the matmul job */
#define POOL_MAX		24
/* BOs of another file, whose handles and NPU addresses are used here */
#define OTHER_BOS		3

/* SUBMITs accepted per run: running the matmul list, and one refused */
#define GOOD_SUBMITS		24
#define BAD_SUBMITS		2
#define ACCEPTED_TASKS_MAX	4
/* MATMULs that may be accepted per run (the rules of rocket_accel.h) */
#define MATMUL_ACCEPTS		16
/* Tasks the kernel checks in one SUBMIT: bounds the time of one call */
#define TASK_WORK_MAX		8192

/* Array entries written at most: one past each limit */
#define MAX_TASKS		DRM_ROCKET_MAX_TASKS_PER_JOB
#define MAX_JOBS		DRM_ROCKET_MAX_JOBS_PER_SUBMIT

#define WAIT_NS			5000000000ll
#define NPU_SPACE		0x100000000ull

/* The kernel's ioctl argument size field: _IOC_SIZEBITS is 14 bits */
#define IOC_SIZE_MAX		((1u << _IOC_SIZEBITS) - 1)

enum fuzz_ioctl {
	IOC_CREATE_BO,
	IOC_SUBMIT,
	IOC_PREP_BO,
	IOC_FINI_BO,
	IOC_MATMUL,
	IOC_GEM_CLOSE,
	NR_IOCS,
};

static const char * const ioc_names[NR_IOCS] = {
	"CREATE_BO", "SUBMIT", "PREP_BO", "FINI_BO", "MATMUL", "GEM_CLOSE",
};

static const unsigned long ioc_cmds[NR_IOCS] = {
	DRM_IOCTL_ROCKET_CREATE_BO, DRM_IOCTL_ROCKET_SUBMIT, DRM_IOCTL_ROCKET_PREP_BO,
	DRM_IOCTL_ROCKET_FINI_BO, DRM_IOCTL_ROCKET_MATMUL, DRM_IOCTL_GEM_CLOSE,
};

/*
 * The errors each ioctl may return, whatever its argument; anything else
 * fails the test. None may return ENOMEM or ENOSPC for the bounded
 * allocations the limits of rocket_accel.h allow, except where said.
 *
 * Every ioctl: EFAULT, when the argument, or an array it points to, is not
 * readable user memory.
 * CREATE_BO: EINVAL for a size of 0; ENOMEM when the pages of a large BO
 * cannot be had, ENOSPC when the NPU's 4 GiB address space has no hole that
 * large.
 * SUBMIT: EINVAL for a count, size or reserved field out of its rules or a
 * command list outside the file's BOs; E2BIG for a count above a limit;
 * ENOENT for a BO handle the file does not have. A job may name a BO twice.
 * PREP_BO: EINVAL (reserved), ENOENT (handle), EBUSY when the BO is busy and
 * the timeout is already over, ETIMEDOUT when the wait timed out, EIO when
 * the last job that wrote the BO failed.
 * FINI_BO: EINVAL (reserved), ENOENT (handle).
 * MATMUL: EINVAL, E2BIG and ENOENT as rocket_accel.h documents; ENOMEM and
 * ENOSPC because the kernel makes the command lists in a BO of its own, in
 * the file's NPU address space. Until the driver has the ioctl, the DRM core
 * refuses its number with EINVAL.
 * GEM_CLOSE: EINVAL for a handle the file does not have.
 */
static const int allowed_errnos[NR_IOCS][8] = {
	[IOC_CREATE_BO] = { EINVAL, EFAULT, ENOMEM, ENOSPC },
	[IOC_SUBMIT] = { EINVAL, E2BIG, ENOENT, EFAULT },
	[IOC_PREP_BO] = { EINVAL, ENOENT, EFAULT, EBUSY, ETIMEDOUT, EIO },
	[IOC_FINI_BO] = { EINVAL, ENOENT, EFAULT },
	[IOC_MATMUL] = { EINVAL, E2BIG, ENOENT, EFAULT, ENOMEM, ENOSPC },
	[IOC_GEM_CLOSE] = { EINVAL, EFAULT },
};

/* The outcomes counted: success, each errno of allowed_errnos[], other. */
static const int outcome_errnos[] = {
	0, EINVAL, E2BIG, ENOENT, EFAULT, ENOMEM, ENOSPC, EBUSY, ETIMEDOUT, EALREADY, EIO,
};

#define NR_OUTCOMES	(ARRAY_SIZE(outcome_errnos) + 1)

/* What the model expects of a call: 0, an errno, any error, or anything */
#define PRED_ANY	(-1)
#define PRED_FAIL	(-2)

/* User memory the arguments and their arrays live in, each after a guard */
enum region {
	R_ARG,
	R_JOBS,
	R_TASKS,
	R_IN,
	R_OUT,
	R_SPARE,
	NR_REGIONS,
};

static const size_t region_sizes[NR_REGIONS] = {
	[R_ARG] = 64 << 10,
	[R_JOBS] = 512 << 10,
	[R_TASKS] = 512 << 10,
	[R_IN] = 16 << 10,
	[R_OUT] = 16 << 10,
	[R_SPARE] = 16 << 10,
};

struct fuzz_bo {
	uint32_t handle;
	uint32_t size;		/* as asked for: the bound of a command list */
	uint64_t dma;
	bool pinned;		/* used by an accepted MATMUL: never closed */
	bool write_failed;	/* its last writer failed: PREP_BO says EIO */
};

struct fuzz {
	unsigned long long seed;
	uint64_t rng;
	unsigned long calls, target_calls;
	bool verbose;
	bool huge_bos;
	int fd, other_fd;
	struct matmul *t;
	/* the matmul job's BOs, never closed */
	struct fuzz_bo fixed[4];
	struct fuzz_bo pool[POOL_MAX];
	unsigned int npool;
	struct fuzz_bo other[OTHER_BOS];
	uint32_t closed[8];	/* handles recently closed */
	uint8_t *map;
	size_t map_size;
	uint8_t *region[NR_REGIONS];
	uint8_t *guard;		/* a page nothing is mapped at */
	unsigned long count[NR_IOCS][NR_OUTCOMES];
	double seconds[NR_IOCS];
	unsigned long failures, disagreements;
	/* the differences from the model printed so far */
	bool noted[NR_IOCS][NR_OUTCOMES][NR_OUTCOMES];
	unsigned int good_left, bad_left, matmul_left;
	unsigned int accepted_submits, accepted_tasks, matmul_accepted;
	char desc[768];
	char submit_desc[768];
};

/* The argument of one call, as the DRM core sees it (drm_ioctl()) */
struct arg {
	unsigned long cmd;
	uint64_t ptr;
	uint32_t usize, in_size, out_size;
	bool fault;
	const char *variant;
};

static uint64_t rnd(struct fuzz *f)
{
	uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint32_t below(struct fuzz *f, uint32_t n)
{
	return n ? rnd(f) % n : 0;
}

static bool chance(struct fuzz *f, unsigned int percent)
{
	return below(f, 100) < percent;
}

/* 0, 1, limit - 1, limit, limit + 1 and the edges of the type */
static uint32_t edge_u32(struct fuzz *f, uint32_t limit)
{
	const uint32_t edges[] = {
		0, 1, limit - 1, limit, limit + 1, INT_MAX, (uint32_t)INT_MAX + 1,
		UINT32_MAX - 1, UINT32_MAX,
	};

	return edges[below(f, ARRAY_SIZE(edges))];
}

/* A value for a field that must be zero */
static uint64_t pick_reserved(struct fuzz *f)
{
	const uint64_t values[] = { 1, 0x80, 1ull << 32, UINT32_MAX, UINT64_MAX };

	if (chance(f, 90))
		return 0;
	return chance(f, 50) ? values[below(f, ARRAY_SIZE(values))] : rnd(f) | 1;
}

static bool readable(struct fuzz *f, uint64_t addr, uint64_t len)
{
	unsigned int r;

	if (!len)
		return true;
	for (r = 0; r < NR_REGIONS; r++) {
		uint64_t base = (uintptr_t)f->region[r];

		if (addr >= base && len <= region_sizes[r] &&
		    addr - base <= region_sizes[r] - len)
			return true;
	}
	return false;
}

/* Copy to user memory of ours, or nothing where the kernel would fault. */
static bool put(struct fuzz *f, uint64_t addr, const void *src, size_t len)
{
	if (!readable(f, addr, len))
		return false;
	memcpy((void *)(uintptr_t)addr, src, len);
	return true;
}

/* Read as the kernel would: false where copy_from_user() would fail. */
static bool get(struct fuzz *f, uint64_t addr, void *dst, size_t len)
{
	if (!readable(f, addr, len))
		return false;
	memcpy(dst, (void *)(uintptr_t)addr, len);
	return true;
}

/*
 * A pointer to an array of @len bytes in region @r: mostly at its start
 * (@slot of @slots), sometimes misaligned, NULL, unmapped, across the end
 * of the region, a kernel address or random.
 */
static uint64_t pick_ptr(struct fuzz *f, enum region r, unsigned int slot,
			 unsigned int slots, uint64_t len)
{
	uint64_t base = (uintptr_t)f->region[r];
	uint64_t start = base + region_sizes[r] / slots * slot;
	uint64_t tail = len < 64 ? len : 64;

	switch (below(f, 40)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)f->guard + below(f, 4096);
	case 2:
		/* the array ends past the region, in its guard page */
		return base + region_sizes[r] - (tail ? below(f, tail) : 0) - 1;
	case 3:
		return 0xffff800008000000ull + below(f, 4096);
	case 4:
		return rnd(f);
	case 5:
	case 6:
	case 7:
		return start + 1 + below(f, 15);
	default:
		return start;
	}
}

static struct fuzz_bo *find_handle(struct fuzz *f, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->fixed); i++)
		if (f->fixed[i].handle == handle)
			return &f->fixed[i];
	for (i = 0; i < f->npool; i++)
		if (f->pool[i].handle == handle)
			return &f->pool[i];
	return NULL;
}

static bool is_fixed(struct fuzz *f, const struct fuzz_bo *bo)
{
	return bo >= f->fixed && bo < f->fixed + ARRAY_SIZE(f->fixed);
}

/* The BO of the file that holds [addr, addr + len): rocket_gem_get_bo_at() */
static bool in_one_bo(struct fuzz *f, uint64_t addr, uint64_t len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(f->fixed) + f->npool; i++) {
		const struct fuzz_bo *bo = i < ARRAY_SIZE(f->fixed) ?
					   &f->fixed[i] : &f->pool[i - ARRAY_SIZE(f->fixed)];

		if (addr >= bo->dma && len && len <= bo->size && addr - bo->dma <= bo->size - len)
			return true;
	}
	return false;
}

/* A live BO of the file, any of them */
static struct fuzz_bo *any_bo(struct fuzz *f)
{
	uint32_t i = below(f, ARRAY_SIZE(f->fixed) + f->npool);

	return i < ARRAY_SIZE(f->fixed) ? &f->fixed[i] : &f->pool[i - ARRAY_SIZE(f->fixed)];
}

/* The handle the next BO of the file gets: idr_alloc()'s lowest free id */
static uint32_t next_handle(struct fuzz *f)
{
	uint32_t h = 1;

	while (find_handle(f, h))
		h++;
	return h;
}

static uint32_t pick_handle(struct fuzz *f)
{
	switch (below(f, 10)) {
	case 0:
		return f->other[below(f, OTHER_BOS)].handle;
	case 1:
		return f->closed[below(f, ARRAY_SIZE(f->closed))];
	case 2:
		return edge_u32(f, 4);
	case 3:
		return rnd(f);
	case 4:
		return below(f, 40);
	default:
		return any_bo(f)->handle;
	}
}

static const char * const outcome_names[] = {
	"ok", "EINVAL", "E2BIG", "ENOENT", "EFAULT", "ENOMEM", "ENOSPC", "EBUSY",
	"ETIMEDOUT", "EALREADY", "EIO", "other",
};

static unsigned int outcome_of(int e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(outcome_errnos); i++)
		if (outcome_errnos[i] == e)
			break;
	return i;
}

static const char *errno_name(int e)
{
	if (e == PRED_ANY)
		return "anything allowed";
	if (e == PRED_FAIL)
		return "an allowed error";
	return outcome_names[outcome_of(e)];
}

static bool errno_allowed(enum fuzz_ioctl ioc, int e)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(allowed_errnos[ioc]) && allowed_errnos[ioc][i]; i++)
		if (allowed_errnos[ioc][i] == e)
			return true;
	return false;
}

static void note_failure(struct fuzz *f, enum fuzz_ioctl ioc, const struct arg *a,
			 const char *what, int e, int pred)
{
	f->failures++;
	if (f->failures > 20)
		return;
	ksft_print_msg("FAIL call %lu (seed %llu): %s %s: %s, expected %s\n",
		       f->calls, f->seed, ioc_names[ioc], a->variant, errno_name(e),
		       errno_name(pred));
	ksft_print_msg("  %s (errno %d); %s\n", what, e, f->desc);
}

/*
 * Choose how the argument reaches the kernel: mostly as it should, or with
 * an odd size, an odd direction or a pointer the kernel cannot read. Then
 * make @s what the DRM core hands the driver: the bytes it copied in,
 * zero-extended to the driver's size.
 */
static struct arg pick_arg(struct fuzz *f, enum fuzz_ioctl ioc, void *s, uint32_t ksize)
{
	const uint32_t sizes[] = { 0, 1, ksize - 1, ksize + 1, ksize + 8, 4096, IOC_SIZE_MAX };
	unsigned long cmd = ioc_cmds[ioc];
	uint32_t dir = _IOC_DIR(cmd), kdir = dir;
	struct arg a = { .usize = ksize, .variant = "" };
	uint64_t base = (uintptr_t)f->region[R_ARG];

	a.ptr = base;
	switch (below(f, 30)) {
	case 0:
		a.usize = sizes[below(f, ARRAY_SIZE(sizes))];
		a.variant = "(odd size)";
		break;
	case 1:
		dir = below(f, 4);
		a.variant = "(odd direction)";
		break;
	case 2:
		a.ptr = 0;
		a.variant = "(NULL argument)";
		break;
	case 3:
		a.ptr = (uintptr_t)f->guard;
		a.variant = "(unmapped argument)";
		break;
	case 4:
		a.ptr = base + region_sizes[R_ARG] - 1 - below(f, ksize - 1);
		a.variant = "(argument across the end of a mapping)";
		break;
	case 5:
		a.ptr = 0xffff800008000000ull;
		a.variant = "(kernel argument)";
		break;
	case 6:
	case 7:
		a.ptr = base + 1 + below(f, 7);
		a.variant = "(misaligned argument)";
		break;
	}
	a.cmd = _IOC(dir, _IOC_TYPE(cmd), _IOC_NR(cmd), a.usize);
	a.in_size = dir & kdir & _IOC_WRITE ? a.usize : 0;
	a.out_size = dir & kdir & _IOC_READ ? a.usize : 0;
	a.fault = !readable(f, a.ptr, a.in_size);

	if (a.in_size < ksize)
		memset((uint8_t *)s + a.in_size, 0, ksize - a.in_size);
	return a;
}

/*
 * Make the call and check it: 0, or -1 with an errno @ioc may return; and
 * the outcome the model predicts (@pred: 0, an errno or PRED_ANY). Returns
 * 0 or the errno; @s gets what the kernel wrote back.
 */
static int issue(struct fuzz *f, enum fuzz_ioctl ioc, const struct arg *a, void *s,
		 uint32_t ksize, int pred)
{
	uint8_t *p = (uint8_t *)(uintptr_t)a->ptr;
	struct timespec start, end;
	int ret, e;

	if (pred >= 0 && a->fault)
		pred = EFAULT;

	/* What is past the driver's structure is junk the kernel ignores. */
	if (readable(f, a->ptr, a->usize)) {
		memcpy(p, s, a->usize < ksize ? a->usize : ksize);
		if (a->usize > ksize)
			memset(p + ksize, 0x5a, a->usize - ksize);
	} else if (readable(f, a->ptr, ksize)) {
		memcpy(p, s, ksize);
	}

	if (f->verbose)
		ksft_print_msg("call %lu: %s %s %s\n", f->calls, ioc_names[ioc], a->variant,
			       f->desc);
	clock_gettime(CLOCK_MONOTONIC, &start);
	ret = ioctl(f->fd, a->cmd, (void *)(uintptr_t)a->ptr);
	e = ret ? errno : 0;
	clock_gettime(CLOCK_MONOTONIC, &end);
	f->seconds[ioc] += end.tv_sec - start.tv_sec + (end.tv_nsec - start.tv_nsec) / 1e9;
	f->calls++;
	f->count[ioc][outcome_of(e)]++;
	if (f->verbose)
		ksft_print_msg("  -> %s, model %s\n", errno_name(e), errno_name(pred));

	if (ret && (ret != -1 || !errno_allowed(ioc, e))) {
		note_failure(f, ioc, a, "an error this ioctl must not return", e, pred);
	} else if (pred == PRED_FAIL && !e) {
		note_failure(f, ioc, a, "a call that must fail succeeded", e, pred);
	} else if (pred >= 0 && !pred != !e) {
		note_failure(f, ioc, a, e ? "a call that must succeed failed" :
			     "a call that must fail succeeded", e, pred);
	} else if (pred >= 0 && pred != e) {
		bool *noted = &f->noted[ioc][outcome_of(e)][outcome_of(pred)];

		f->disagreements++;
		if (!*noted)
			ksft_print_msg("note: call %lu (seed %llu) %s %s: %s, model %s; %s\n",
				       f->calls, f->seed, ioc_names[ioc], a->variant,
				       errno_name(e), errno_name(pred), f->desc);
		*noted = true;
	}

	if (a->out_size && readable(f, a->ptr, a->out_size))
		memcpy(s, p, a->out_size < ksize ? a->out_size : ksize);
	return e;
}

/* A call with the argument as it should be */
static int issue_plain(struct fuzz *f, enum fuzz_ioctl ioc, void *s, uint32_t ksize, int pred)
{
	struct arg a = {
		.cmd = ioc_cmds[ioc],
		.ptr = (uintptr_t)f->region[R_ARG],
		.usize = ksize,
		.in_size = _IOC_DIR(ioc_cmds[ioc]) & _IOC_WRITE ? ksize : 0,
		.out_size = _IOC_DIR(ioc_cmds[ioc]) & _IOC_READ ? ksize : 0,
		.variant = "",
	};

	return issue(f, ioc, &a, s, ksize, pred);
}

static void forget_handle(struct fuzz *f, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < f->npool; i++)
		if (f->pool[i].handle == handle) {
			f->pool[i] = f->pool[--f->npool];
			break;
		}
	memmove(&f->closed[1], &f->closed[0], sizeof(f->closed) - sizeof(f->closed[0]));
	f->closed[0] = handle;
}

static void close_handle(struct fuzz *f, uint32_t handle)
{
	struct drm_gem_close c = { .handle = handle };

	snprintf(f->desc, sizeof(f->desc), "close handle %u", handle);
	if (!issue_plain(f, IOC_GEM_CLOSE, &c, sizeof(c), 0))
		forget_handle(f, handle);
}

/* Make room in the pool: close a BO no accepted MATMUL used. */
static bool evict(struct fuzz *f)
{
	unsigned int i, start = below(f, f->npool);

	for (i = 0; i < f->npool; i++) {
		struct fuzz_bo *bo = &f->pool[(start + i) % f->npool];

		if (!bo->pinned) {
			close_handle(f, bo->handle);
			return true;
		}
	}
	return false;
}

static uint32_t pick_bo_size(struct fuzz *f)
{
	const uint32_t edges[] = {
		0, 1, 8, 15, 16, 17, 4095, 4096, 4097, 8191, 8192, 8193, 65535, 65536, 65537,
	};
	const uint32_t large[] = { 1 << 20, (1 << 20) + 1, 4 << 20 };
	const uint32_t huge[] = {
		INT_MAX, (uint32_t)INT_MAX + 1, UINT32_MAX - 4096, UINT32_MAX - 1, UINT32_MAX,
	};

	switch (below(f, 40)) {
	case 0:
		/*
		 * A huge BO that fits is allocated page by page, at about
		 * 15 s a GiB in the test VM; a run with these sizes lasts far
		 * longer than a kselftest should. ROCKET_FUZZ_HUGE_BOS=1 adds
		 * them.
		 */
		if (f->huge_bos)
			return huge[below(f, ARRAY_SIZE(huge))];
		return large[below(f, ARRAY_SIZE(large))];
	case 1:
		return large[below(f, ARRAY_SIZE(large))];
	case 2:
	case 3:
	case 4:
	case 5:
	case 6:
	case 7:
	case 8:
	case 9:
	case 10:
	case 11:
	case 12:
	case 13:
		return edges[below(f, ARRAY_SIZE(edges))];
	default:
		return 1 + below(f, 65536);
	}
}

static void fuzz_create_bo(struct fuzz *f)
{
	struct drm_rocket_create_bo c = {
		.size = pick_bo_size(f),
		.handle = chance(f, 80) ? 0 : rnd(f),
		.dma_address = chance(f, 80) ? 0 : rnd(f),
		.offset = chance(f, 80) ? 0 : rnd(f),
	};
	struct arg a = pick_arg(f, IOC_CREATE_BO, &c, sizeof(c));
	uint32_t size = c.size, handle;
	int pred = size ? 0 : EINVAL;
	unsigned int i;

	/* A BO larger than 16 MiB may not find the memory or NPU space. */
	if (size > (16 << 20))
		pred = PRED_ANY;
	if (f->npool == POOL_MAX && !evict(f))
		return;
	handle = next_handle(f);

	snprintf(f->desc, sizeof(f->desc), "size %u handle %u dma 0x%llx offset 0x%llx",
		 c.size, c.handle, (unsigned long long)c.dma_address,
		 (unsigned long long)c.offset);
	if (issue(f, IOC_CREATE_BO, &a, &c, sizeof(c), a.fault ? EFAULT : pred))
		return;

	/* Without the handle and NPU address back, close what was made. */
	if (a.out_size < offsetof(struct drm_rocket_create_bo, offset) ||
	    !readable(f, a.ptr, a.out_size)) {
		close_handle(f, handle);
		return;
	}

	if (!size || c.handle != handle || c.dma_address % 4096 ||
	    c.dma_address + size > NPU_SPACE || in_one_bo(f, c.dma_address, 1) ||
	    in_one_bo(f, c.dma_address + size - 1, 1)) {
		snprintf(f->desc, sizeof(f->desc),
			 "size %u: handle %u (expected %u) at NPU address 0x%llx", size,
			 c.handle, handle, (unsigned long long)c.dma_address);
		note_failure(f, IOC_CREATE_BO, &a, "a new BO is not where it should be", 0, 0);
	}
	for (i = 0; i < ARRAY_SIZE(f->closed); i++)
		if (f->closed[i] == c.handle)
			f->closed[i] = 0;

	f->pool[f->npool++] = (struct fuzz_bo) {
		.handle = c.handle, .size = size, .dma = c.dma_address,
	};
	/* Large BOs go again at once: they are there for their size only. */
	if (size > (1 << 20))
		close_handle(f, c.handle);
}

static void fuzz_gem_close(struct fuzz *f)
{
	struct drm_gem_close c = {
		.handle = pick_handle(f),
		.pad = pick_reserved(f),
	};
	struct fuzz_bo *bo = find_handle(f, c.handle);
	struct arg a;
	int pred;

	/*
	 * The matmul job's BOs and those an accepted MATMUL used stay: the
	 * end of the test runs the job, and the model cannot tell when the
	 * kernel lets go of a BO a finished job held.
	 */
	if (bo && (is_fixed(f, bo) || bo->pinned))
		c.handle = UINT32_MAX;
	a = pick_arg(f, IOC_GEM_CLOSE, &c, sizeof(c));
	/*
	 * A short argument cuts the handle to its first bytes, which may
	 * name one of them after all: then make no call.
	 */
	bo = find_handle(f, c.handle);
	if (bo && (is_fixed(f, bo) || bo->pinned))
		return;
	pred = bo ? 0 : EINVAL;
	snprintf(f->desc, sizeof(f->desc), "handle %u pad %u", c.handle, c.pad);
	if (!issue(f, IOC_GEM_CLOSE, &a, &c, sizeof(c), pred) && !a.fault)
		forget_handle(f, c.handle);
}

static int64_t now_ns(void)
{
	return abs_timeout_ns(0);
}

static void fuzz_prep_fini(struct fuzz *f, bool prep)
{
	const int64_t timeouts[] = {
		0, 1, -1, INT64_MIN, INT64_MAX, now_ns() - 1000000000ll,
		now_ns() + 1000000, now_ns() + 100000000,
	};
	struct drm_rocket_prep_bo p = {
		.handle = pick_handle(f),
		.reserved = pick_reserved(f),
		.timeout_ns = chance(f, 20) ? (int64_t)rnd(f) :
			      timeouts[below(f, ARRAY_SIZE(timeouts))],
	};
	struct drm_rocket_fini_bo q = { .handle = p.handle, .reserved = p.reserved };
	enum fuzz_ioctl ioc = prep ? IOC_PREP_BO : IOC_FINI_BO;
	void *s = prep ? (void *)&p : (void *)&q;
	uint32_t ksize = prep ? sizeof(p) : sizeof(q);
	struct arg a = pick_arg(f, ioc, s, ksize);
	int pred;

	/* No job runs here: the test waits for each one it lets run. */
	if (prep ? p.reserved : q.reserved)
		pred = EINVAL;
	else if (!find_handle(f, prep ? p.handle : q.handle))
		pred = ENOENT;
	else
		pred = prep && find_handle(f, p.handle)->write_failed ? EIO : 0;
	snprintf(f->desc, sizeof(f->desc), "handle %u reserved %u timeout_ns %lld",
		 prep ? p.handle : q.handle, prep ? p.reserved : q.reserved,
		 prep ? (long long)p.timeout_ns : 0ll);
	issue(f, ioc, &a, s, ksize, pred);
}

/* Wait for the jobs that write BO @handle; the errno of PREP_BO, or 0. */
static int wait_bo(struct fuzz *f, uint32_t handle, int64_t timeout_ns, int pred)
{
	struct drm_rocket_prep_bo p = {
		.handle = handle,
		.timeout_ns = timeout_ns,
	};

	snprintf(f->desc, sizeof(f->desc), "wait for handle %u, timeout_ns %lld", handle,
		 (long long)timeout_ns);
	return issue_plain(f, IOC_PREP_BO, &p, sizeof(p), pred);
}

/* A command list address: in a BO, near its end, past it, or anywhere. */
static uint32_t pick_regcmd(struct fuzz *f, uint32_t *count_hint)
{
	const uint32_t edges[] = { 0, 1, 8, 15, 16, 4096, INT_MAX, 0xfffffff0, UINT32_MAX };
	struct fuzz_bo *bo;
	uint32_t off;

	*count_hint = 0;
	switch (below(f, 10)) {
	case 0:
		return f->other[below(f, OTHER_BOS)].dma + 16 * below(f, 4);
	case 1:
		return edges[below(f, ARRAY_SIZE(edges))];
	case 2:
		return rnd(f) & (chance(f, 50) ? ~15u : ~0u);
	}
	bo = any_bo(f);
	switch (below(f, 6)) {
	case 0:
		off = 0;
		break;
	case 1:
		off = bo->size & ~15u;			/* at or just past the end */
		break;
	case 2:
		off = (bo->size - 16) & ~15u;		/* the last 16 bytes */
		break;
	case 3:
		off = bo->size + 16 * below(f, 4);	/* past the end */
		break;
	case 4:
		off = 1 + below(f, 15);			/* misaligned */
		break;
	default:
		off = 16 * below(f, bo->size / 16 + 1);
		break;
	}
	/* the number of entries that reach the end of the BO */
	if (off < bo->size)
		*count_hint = (bo->size - off) / 8;
	return bo->dma + off;
}

static uint32_t pick_regcmd_count(struct fuzz *f, uint32_t hint)
{
	switch (below(f, 8)) {
	case 0:
		return edge_u32(f, DRM_ROCKET_MAX_REGCMD_COUNT);
	case 1:
		return rnd(f);
	case 2:
	case 3:
		if (hint)
			return hint + below(f, 4) - 1;
		break;
	}
	return 1 + below(f, 64);
}

static uint32_t pick_count(struct fuzz *f, uint32_t limit, uint32_t small)
{
	if (chance(f, 15))
		return edge_u32(f, limit);
	return below(f, small + 1);
}

static uint32_t pick_stride(struct fuzz *f, uint32_t size)
{
	const uint32_t strides[] = {
		0, 1, size - 1, size + 1, size + 4, size + 8, 2 * size, 4096, 65536,
		INT_MAX, UINT32_MAX,
	};

	if (chance(f, 80))
		return size;
	return chance(f, 80) ? strides[below(f, ARRAY_SIZE(strides))] : rnd(f);
}

/* Fill the BO handle array at @ptr with @count handles, mostly valid. */
static void fill_handles(struct fuzz *f, uint64_t ptr, uint32_t count)
{
	uint32_t i, h = 0;

	for (i = 0; i < count && i < 512; i++) {
		h = chance(f, 90) ? any_bo(f)->handle : pick_handle(f);
		if (!put(f, ptr + 4ull * i, &h, sizeof(h)))
			break;
	}
}

/* Whether the @count handles at @ptr are all BOs of the file: -ENOENT if not */
static int check_handles(struct fuzz *f, uint64_t ptr, uint32_t count)
{
	uint32_t i, h = 0;

	if (!count)
		return 0;
	if (!readable(f, ptr, 4ull * count))
		return -EFAULT;
	for (i = 0; i < count; i++) {
		get(f, ptr + 4ull * i, &h, sizeof(h));
		if (!find_handle(f, h))
			return -ENOENT;
	}
	return 0;
}

struct submit_model {
	int err;		/* of the call */
	uint32_t queued;	/* jobs queued: all on success, none on an error */
	uint32_t tasks;		/* tasks the kernel checked */
	uint32_t queued_tasks;
	uint32_t first_bad_job;
};

/* rocket_ioctl_submit() on what the user memory holds now */
static struct submit_model model_submit(struct fuzz *f, const struct drm_rocket_submit *s)
{
	struct submit_model m = { 0 };
	struct drm_rocket_job job;
	struct drm_rocket_task task;
	uint32_t i, j;

	if (s->job_count > DRM_ROCKET_MAX_JOBS_PER_SUBMIT) {
		m.err = E2BIG;
		return m;
	}
	if (s->job_struct_size < sizeof(job) || s->reserved) {
		m.err = EINVAL;
		return m;
	}
	if (!s->job_count)
		return m;
	for (i = 0; i < s->job_count; i++)
		if (!readable(f, s->jobs + (uint64_t)i * s->job_struct_size, sizeof(job))) {
			m.err = EFAULT;
			return m;
		}

	/* rocket_job_create() of each job, in order */
	for (i = 0; i < s->job_count; i++) {
		m.first_bad_job = i;
		get(f, s->jobs + (uint64_t)i * s->job_struct_size, &job, sizeof(job));
		if (!job.task_count) {
			m.err = EINVAL;
			return m;
		}
		if (job.task_count > DRM_ROCKET_MAX_TASKS_PER_JOB ||
		    job.in_bo_handle_count > DRM_ROCKET_MAX_BOS_PER_JOB ||
		    job.out_bo_handle_count > DRM_ROCKET_MAX_BOS_PER_JOB) {
			m.err = E2BIG;
			return m;
		}
		if (job.task_struct_size < sizeof(task)) {
			m.err = EINVAL;
			return m;
		}
		for (j = 0; j < job.task_count; j++) {
			m.tasks++;
			if (!get(f, job.tasks + (uint64_t)j * job.task_struct_size, &task,
				 sizeof(task))) {
				m.err = EFAULT;
				return m;
			}
			if (!task.regcmd_count) {
				m.err = EINVAL;
				return m;
			}
			if (task.regcmd_count > DRM_ROCKET_MAX_REGCMD_COUNT) {
				m.err = E2BIG;
				return m;
			}
			if (task.regcmd % 16 ||
			    !in_one_bo(f, task.regcmd, ((task.regcmd_count + 1ull) & ~1ull) * 8)) {
				m.err = EINVAL;
				return m;
			}
		}
		m.err = -check_handles(f, job.in_bo_handles, job.in_bo_handle_count);
		if (!m.err)
			m.err = -check_handles(f, job.out_bo_handles, job.out_bo_handle_count);
		if (m.err)
			return m;
	}

	/* rocket_job_push() of each job */
	for (i = 0; i < s->job_count; i++) {
		get(f, s->jobs + (uint64_t)i * s->job_struct_size, &job, sizeof(job));
		m.queued++;
		m.queued_tasks += job.task_count;
	}
	return m;
}

/*
 * Make a submit the model accepts run something short: each job runs the
 * matmul list (or, @refused, a list the simulated NPU refuses), reads the
 * matmul's operands and writes its C, so that waiting for C waits for every
 * job. With @twice, the last job also reads C, naming it twice.
 */
static void tame_submit(struct fuzz *f, const struct drm_rocket_submit *s, bool refused,
			bool twice)
{
	uint64_t spare = (uintptr_t)f->region[R_SPARE];
	uint64_t in = spare + 256, out = spare + 512;
	uint32_t handles[4] = {
		f->t->regcmd.create.handle, f->t->a.create.handle, f->t->b.create.handle,
		f->t->c.create.handle,
	};
	struct drm_rocket_task task = {
		.regcmd = f->t->regcmd.create.dma_address,
		.regcmd_count = f->t->count,
	};
	struct drm_rocket_job job;
	uint32_t i, j;

	if (refused) {
		/* A's bytes as a command list: unknown targets */
		task.regcmd = f->t->a.create.dma_address;
		task.regcmd_count = 2 + below(f, 8);
	}
	put(f, in, handles, sizeof(handles));
	put(f, out, &handles[3], sizeof(handles[3]));
	for (i = 0; i < s->job_count; i++) {
		uint64_t at = s->jobs + (uint64_t)i * s->job_struct_size;

		get(f, at, &job, sizeof(job));
		job.tasks = spare + 1024 + 64 * i;
		job.task_struct_size = sizeof(task);
		for (j = 0; j < job.task_count; j++)
			put(f, job.tasks + j * sizeof(task), &task, sizeof(task));
		job.in_bo_handles = in;
		job.in_bo_handle_count = twice && i == s->job_count - 1 ? 4 : 3;
		job.out_bo_handles = out;
		job.out_bo_handle_count = 1;
		put(f, at, &job, sizeof(job));
	}
}

/* Make the submit fail before it queues anything: a job of no task. */
static void refuse_submit(struct fuzz *f, const struct drm_rocket_submit *s, uint32_t job_idx)
{
	uint64_t at = s->jobs + (uint64_t)job_idx * s->job_struct_size;
	struct drm_rocket_job job;

	get(f, at, &job, sizeof(job));
	job.task_count = 0;
	put(f, at, &job, sizeof(job));
}

/* Whether C holds the product, as the matmul job writes it */
static bool c_is_right(struct matmul *t)
{
	const int32_t *c = t->c.map;
	uint32_t m, n;

	for (m = 0; m < M; m++)
		for (n = 0; n < N; n++)
			if (c[c_off(m, n)] != t->ref[m][n])
				return false;
	return true;
}

static void fuzz_submit(struct fuzz *f)
{
	struct drm_rocket_submit s = { 0 };
	struct drm_rocket_job templ[3];
	struct submit_model m;
	unsigned int ntempl = 1 + below(f, 3), i;
	bool many, refused = false;
	struct arg a;
	int pred;

	s.job_count = chance(f, 95) ? below(f, 5) : edge_u32(f, DRM_ROCKET_MAX_JOBS_PER_SUBMIT);
	s.job_struct_size = pick_stride(f, sizeof(struct drm_rocket_job));
	s.jobs = pick_ptr(f, R_JOBS, 0, 1, (uint64_t)s.job_count * s.job_struct_size);
	s.reserved = pick_reserved(f);
	/* Many jobs get few tasks each: the kernel checks every one. */
	many = s.job_count > 4;

	for (i = 0; i < ntempl; i++) {
		struct drm_rocket_job *job = &templ[i];
		uint32_t stride = pick_stride(f, sizeof(struct drm_rocket_task));
		uint32_t j, hint;

		job->task_count = many ? 1 + below(f, 2) :
				  pick_count(f, DRM_ROCKET_MAX_TASKS_PER_JOB, 3);
		if (!job->task_count && chance(f, 70))
			job->task_count = 1;
		job->task_struct_size = stride;
		job->tasks = pick_ptr(f, R_TASKS, i, ntempl,
				      (uint64_t)job->task_count * stride);
		for (j = 0; j < job->task_count && j <= MAX_TASKS; j++) {
			struct drm_rocket_task task;

			task.regcmd = pick_regcmd(f, &hint);
			task.regcmd_count = pick_regcmd_count(f, hint);
			if (!put(f, job->tasks + (uint64_t)j * stride, &task, sizeof(task)))
				break;
			/* A long array repeats its first tasks. */
			if (j == 7 && job->task_count > 64 && chance(f, 90)) {
				for (; j < job->task_count && j <= MAX_TASKS; j++)
					if (!put(f, job->tasks + (uint64_t)j * stride,
						 &task, sizeof(task)))
						break;
				break;
			}
		}

		job->in_bo_handle_count = many ? below(f, 3) :
					  pick_count(f, DRM_ROCKET_MAX_BOS_PER_JOB, 3);
		job->out_bo_handle_count = many ? below(f, 2) :
					   pick_count(f, DRM_ROCKET_MAX_BOS_PER_JOB, 2);
		job->in_bo_handles = pick_ptr(f, R_IN, i, ntempl, 4ull * job->in_bo_handle_count);
		job->out_bo_handles = pick_ptr(f, R_OUT, i, ntempl,
					       4ull * job->out_bo_handle_count);
		fill_handles(f, job->in_bo_handles, job->in_bo_handle_count);
		fill_handles(f, job->out_bo_handles, job->out_bo_handle_count);
	}
	for (i = 0; i < s.job_count && i <= MAX_JOBS; i++) {
		struct drm_rocket_job job = templ[i % ntempl];

		/* now and then one field of one job from anywhere */
		if (i < 8 && chance(f, 10))
			((uint32_t *)&job)[below(f, sizeof(job) / 4)] = rnd(f);
		if (!put(f, s.jobs + (uint64_t)i * s.job_struct_size, &job, sizeof(job)))
			break;
	}

	a = pick_arg(f, IOC_SUBMIT, &s, sizeof(s));
	m = model_submit(f, &s);
	if (m.tasks > TASK_WORK_MAX) {
		/* too much to check in one call: refuse the first job */
		refuse_submit(f, &s, 0);
		m = model_submit(f, &s);
	}
	if (!a.fault && m.queued) {
		bool good = f->good_left && s.job_count <= ACCEPTED_TASKS_MAX &&
			    m.tasks <= ACCEPTED_TASKS_MAX;
		bool bad = !good && f->bad_left && s.job_count == 1 && m.tasks == 1;

		if (good || bad) {
			tame_submit(f, &s, bad, s.job_count > 1 && chance(f, 25));
			if (good)
				f->good_left--;
			else
				f->bad_left--;
			refused = bad;
			memset(f->t->c.map, 0xa5, f->t->c.create.size);
		} else {
			refuse_submit(f, &s, s.job_count - 1);
		}
		m = model_submit(f, &s);
	}
	pred = m.err;

	snprintf(f->desc, sizeof(f->desc),
		 "jobs 0x%llx job_count %u job_struct_size %u reserved 0x%llx; job0: tasks 0x%llx task_count %u task_struct_size %u in 0x%llx/%u out 0x%llx/%u; model: job %u, %u tasks checked, %u jobs queued",
		 (unsigned long long)s.jobs, s.job_count, s.job_struct_size,
		 (unsigned long long)s.reserved, (unsigned long long)templ[0].tasks,
		 templ[0].task_count, templ[0].task_struct_size,
		 (unsigned long long)templ[0].in_bo_handles, templ[0].in_bo_handle_count,
		 (unsigned long long)templ[0].out_bo_handles, templ[0].out_bo_handle_count,
		 m.first_bad_job, m.tasks, m.queued);
	issue(f, IOC_SUBMIT, &a, &s, sizeof(s), pred);

	if (!a.fault && m.queued) {
		uint32_t c = f->t->c.create.handle;

		memcpy(f->submit_desc, f->desc, sizeof(f->desc));
		f->accepted_submits++;
		f->accepted_tasks += m.queued_tasks;
		/* C busy: done, busy, or not done in time */
		find_handle(f, c)->write_failed = refused;
		wait_bo(f, c, 0, PRED_ANY);
		wait_bo(f, c, now_ns() + 1000000, PRED_ANY);
		wait_bo(f, c, now_ns() + WAIT_NS, refused ? EIO : 0);

		if (!m.err && !refused && !c_is_right(f->t)) {
			snprintf(f->desc, sizeof(f->desc), "C is wrong after an accepted submit");
			note_failure(f, IOC_SUBMIT, &a, "the jobs did not compute C", 0, 0);
		}
	}
}

/* Whether a rows x cols matrix at @offset lies in the pages of @bo */
static bool matrix_fits(const struct fuzz_bo *bo, uint64_t offset, uint32_t rows,
			uint32_t cols, uint32_t bpe)
{
	uint64_t pages = (bo->size + 4095ull) & ~4095ull;
	uint64_t bytes = (uint64_t)rows * cols;

	if (bytes > pages)
		return false;
	bytes *= bpe;
	return bytes <= pages && offset <= pages - bytes;
}

/* Whether MATMUL may accept @mm under the rules of rocket_accel.h */
static bool matmul_may_run(struct fuzz *f, const struct drm_rocket_matmul *mm)
{
	const struct fuzz_bo *a = find_handle(f, mm->a_handle);
	const struct fuzz_bo *b = find_handle(f, mm->b_handle);
	const struct fuzz_bo *c = find_handle(f, mm->c_handle);
	uint32_t bpe, obpe, ngroup;

	switch (mm->type) {
	case DRM_ROCKET_MATMUL_INT8_INT32:
		bpe = 1;
		obpe = 4;
		ngroup = 32;
		break;
	case DRM_ROCKET_MATMUL_FP16_FP32:
		bpe = 2;
		obpe = 4;
		ngroup = 16;
		break;
	case DRM_ROCKET_MATMUL_FP16_FP16:
		bpe = 2;
		obpe = 2;
		ngroup = 16;
		break;
	default:
		return false;
	}
	if (!a || !b || !c || mm->flags & ~DRM_ROCKET_MATMUL_CORE_MASK || mm->pad ||
	    mm->reserved[0] || mm->reserved[1])
		return false;
	if (!(mm->flags & DRM_ROCKET_MATMUL_CORE_MASK) != !mm->core_mask)
		return false;
	if (!mm->m || !mm->k || !mm->n || mm->k % 32 || mm->n % ngroup ||
	    (mm->m % 4 && mm->m != 1) || mm->k > 65536)
		return false;
	/* a split K: INT8 only, its partial sums (8 * M * N bytes) within 64 MiB */
	if (mm->k > 8192 && (mm->type != DRM_ROCKET_MATMUL_INT8_INT32 ||
			     8ull * mm->m * mm->n > 64ull << 20))
		return false;
	/* generous: a BO's pages, not the size asked for */
	return matrix_fits(a, mm->a_offset, mm->m, mm->k, bpe) &&
	       matrix_fits(b, mm->b_offset, mm->k, mm->n, bpe) &&
	       matrix_fits(c, mm->c_offset, mm->m, mm->n, obpe);
}

static uint32_t pick_dim(struct fuzz *f, uint32_t limit, uint32_t multiple)
{
	const uint32_t edges[] = {
		0, 1, 2, 3, 4, 5, multiple - 1, multiple, multiple + 1, 2 * multiple,
		limit - multiple, limit - 1, limit, limit + 1, limit + multiple,
		INT_MAX, UINT32_MAX,
	};

	switch (below(f, 4)) {
	case 0:
		return edges[below(f, ARRAY_SIZE(edges))];
	case 1:
		return rnd(f);
	default:
		return multiple * (1 + below(f, 4));
	}
}

static uint64_t pick_offset(struct fuzz *f, uint32_t handle)
{
	const struct fuzz_bo *bo = find_handle(f, handle);
	const uint64_t edges[] = { 1, 15, 16, 4096, 1ull << 32, UINT64_MAX - 15, UINT64_MAX };
	uint32_t size = bo ? bo->size : 4096;

	switch (below(f, 8)) {
	case 0:
		return edges[below(f, ARRAY_SIZE(edges))];
	case 1:
		return rnd(f);
	case 2:
		return size & ~15u;
	case 3:
		return (size - 16) & ~15u;
	default:
		return 0;
	}
}

static void fuzz_matmul(struct fuzz *f)
{
	const uint32_t masks[] = { 0, 1, 2, 4, 7, 8, 0xf, UINT32_MAX };
	const uint32_t rows[] = { 1, 4, 8, 16 };
	struct drm_rocket_matmul mm = {
		.a_handle = pick_handle(f),
		.b_handle = pick_handle(f),
		.c_handle = pick_handle(f),
		.type = chance(f, 85) ? 1 + below(f, 3) : edge_u32(f, 3),
		.flags = chance(f, 70) ? 0 : chance(f, 70) ? DRM_ROCKET_MATMUL_CORE_MASK : rnd(f),
		.pad = pick_reserved(f),
		.reserved = { pick_reserved(f), pick_reserved(f) },
	};
	bool may_run;
	struct arg a;
	int e;

	mm.m = chance(f, 50) ? rows[below(f, ARRAY_SIZE(rows))] : pick_dim(f, 16777216, 4);
	mm.k = pick_dim(f, chance(f, 10) ? 65536 : 8192, 32);
	mm.n = pick_dim(f, 16777216, mm.type == DRM_ROCKET_MATMUL_INT8_INT32 ? 32 : 16);
	mm.a_offset = pick_offset(f, mm.a_handle);
	mm.b_offset = pick_offset(f, mm.b_handle);
	mm.c_offset = pick_offset(f, mm.c_handle);
	mm.core_mask = (mm.flags & DRM_ROCKET_MATMUL_CORE_MASK) || chance(f, 10) ?
		       masks[below(f, ARRAY_SIZE(masks))] : 0;

	a = pick_arg(f, IOC_MATMUL, &mm, sizeof(mm));
	may_run = !a.fault && matmul_may_run(f, &mm);
	/*
	 * Few products run per run, each waited for; C must be none of the
	 * BOs of the submits' matmul job, which a product would overwrite.
	 */
	if (may_run && (!f->matmul_left || mm.c_handle == f->t->c.create.handle ||
			mm.c_handle == f->t->a.create.handle ||
			mm.c_handle == f->t->b.create.handle ||
			mm.c_handle == f->t->regcmd.create.handle)) {
		mm.pad = 1;
		may_run = false;
	}
	snprintf(f->desc, sizeof(f->desc),
		 "a %u+0x%llx b %u+0x%llx c %u+0x%llx type %u m %u k %u n %u flags 0x%x core_mask 0x%x pad %u reserved 0x%llx 0x%llx",
		 mm.a_handle, (unsigned long long)mm.a_offset, mm.b_handle,
		 (unsigned long long)mm.b_offset, mm.c_handle, (unsigned long long)mm.c_offset,
		 mm.type, mm.m, mm.k, mm.n, mm.flags, mm.core_mask, mm.pad,
		 (unsigned long long)mm.reserved[0], (unsigned long long)mm.reserved[1]);
	/* The kernel's handler is newer than this test's model of it. */
	e = issue(f, IOC_MATMUL, &a, &mm, sizeof(mm), may_run ? PRED_ANY : PRED_FAIL);
	if (!e) {
		struct fuzz_bo *bo;

		if (may_run)
			f->matmul_left--;
		f->matmul_accepted++;
		bo = find_handle(f, mm.a_handle);
		if (bo)
			bo->pinned = true;
		bo = find_handle(f, mm.b_handle);
		if (bo)
			bo->pinned = true;
		bo = find_handle(f, mm.c_handle);
		if (bo)
			bo->pinned = true;
		/*
		 * Random FP16 inputs may hold infinities or NaNs, which the
		 * simulated NPU refuses: the product then fails, and PREP_BO
		 * says so until C is written again.
		 */
		e = wait_bo(f, mm.c_handle, now_ns() + WAIT_NS, PRED_ANY);
		if (bo)
			bo->write_failed = e == EIO;
	}
}

static uint64_t env_u64(const char *name, uint64_t fallback)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : fallback;
}

static struct fuzz_bo bo_of(const struct drm_rocket_create_bo *c)
{
	return (struct fuzz_bo) {
		.handle = c->handle, .size = c->size, .dma = c->dma_address,
	};
}

FIXTURE(rocket_fuzz)
{
	struct matmul t;
	struct fuzz f;
};

FIXTURE_SETUP(rocket_fuzz)
{
	struct fuzz *f = &self->f;
	struct timespec ts;
	uint8_t *p;
	unsigned int r, i;
	int fd;

	self->t.fd = -1;
	memset(f, 0, sizeof(*f));
	f->other_fd = -1;
	fd = rocket_open();
	if (fd < 0)
		SKIP(return, "no accel node driven by rocket");
	close(fd);
	/* Random and deliberately bad command lists: never to real hardware. */
	if (rocket_no_sim(_metadata, "sending random command lists"))
		return;
	matmul_setup(_metadata, &self->t);
	if (rocket_lacks(_metadata, self->t.fd, ROCKET_MINOR_MATMUL,
			 "the matmul ioctl the fuzzer sends"))
		return;

	clock_gettime(CLOCK_REALTIME, &ts);
	f->seed = env_u64("ROCKET_FUZZ_SEED", ts.tv_sec * 1000000000ull + ts.tv_nsec + getpid());
	f->rng = f->seed;
	f->target_calls = env_u64("ROCKET_FUZZ_CALLS", DEFAULT_CALLS);
	f->verbose = env_u64("ROCKET_FUZZ_VERBOSE", 0);
	f->huge_bos = env_u64("ROCKET_FUZZ_HUGE_BOS", 0);
	f->t = &self->t;
	f->fd = self->t.fd;
	f->good_left = GOOD_SUBMITS;
	f->bad_left = BAD_SUBMITS;
	f->matmul_left = MATMUL_ACCEPTS;
	f->fixed[0] = bo_of(&self->t.regcmd.create);
	f->fixed[1] = bo_of(&self->t.a.create);
	f->fixed[2] = bo_of(&self->t.b.create);
	f->fixed[3] = bo_of(&self->t.c.create);
	/* The matmul list, in its BO for the jobs the fuzzer lets run */
	write_regcmd(&self->t);

	/* Each region follows a page that is not mapped. */
	f->map_size = 4096;
	for (r = 0; r < NR_REGIONS; r++)
		f->map_size += region_sizes[r] + 4096;
	f->map = mmap(NULL, f->map_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, f->map);
	f->guard = f->map;
	p = f->map;
	for (r = 0; r < NR_REGIONS; r++) {
		ASSERT_EQ(0, mprotect(p, 4096, PROT_NONE));
		f->region[r] = p + 4096;
		p += 4096 + region_sizes[r];
	}
	ASSERT_EQ(0, mprotect(p, 4096, PROT_NONE));

	/* Another file with BOs of its own */
	f->other_fd = rocket_open();
	ASSERT_GE(f->other_fd, 0);
	for (i = 0; i < OTHER_BOS; i++) {
		struct drm_rocket_create_bo c = { .size = 4096 << i };

		ASSERT_EQ(0, ioctl(f->other_fd, DRM_IOCTL_ROCKET_CREATE_BO, &c));
		f->other[i] = bo_of(&c);
	}
}

FIXTURE_TEARDOWN(rocket_fuzz)
{
	struct fuzz *f = &self->f;

	if (f->other_fd >= 0)
		close(f->other_fd);
	if (f->map && f->map != MAP_FAILED)
		munmap(f->map, f->map_size);
	matmul_teardown(&self->t);
}

static void print_counts(struct fuzz *f)
{
	char line[256];
	unsigned int ioc, o;
	int len;

	for (ioc = 0; ioc < NR_IOCS; ioc++) {
		unsigned long total = 0;

		for (o = 0; o < NR_OUTCOMES; o++)
			total += f->count[ioc][o];
		len = snprintf(line, sizeof(line), "%-9s %6lu calls, %5.1f s:", ioc_names[ioc],
			       total, f->seconds[ioc]);
		for (o = 0; o < NR_OUTCOMES; o++) {
			if (!f->count[ioc][o])
				continue;
			len += snprintf(line + len, sizeof(line) - len, " %s %lu",
					outcome_names[o], f->count[ioc][o]);
		}
		ksft_print_msg("%s\n", line);
	}
}

TEST_F_TIMEOUT(rocket_fuzz, every_ioctl, 600)
{
	struct fuzz *f = &self->f;
	struct matmul fresh = { .fd = -1 };
	struct timespec start, end;

	ksft_print_msg("seed %llu (replay with ROCKET_FUZZ_SEED=%llu), %lu calls\n",
		       f->seed, f->seed, f->target_calls);
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (f->calls < f->target_calls) {
		switch (below(f, 20)) {
		case 0:
		case 1:
		case 2:
			fuzz_create_bo(f);
			break;
		case 3:
		case 4:
			fuzz_gem_close(f);
			break;
		case 5:
		case 6:
		case 7:
			fuzz_prep_fini(f, true);
			break;
		case 8:
		case 9:
			fuzz_prep_fini(f, false);
			break;
		case 10:
		case 11:
		case 12:
			fuzz_matmul(f);
			break;
		default:
			fuzz_submit(f);
			break;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &end);

	ksft_print_msg("%lu calls in %.1f s\n", f->calls,
		       end.tv_sec - start.tv_sec + (end.tv_nsec - start.tv_nsec) / 1e9);
	ksft_print_msg("accepted: %u submits (%u tasks), %u matmuls\n",
		       f->accepted_submits, f->accepted_tasks, f->matmul_accepted);
	ksft_print_msg("errors other than the model's: %lu\n", f->disagreements);
	print_counts(f);
	EXPECT_EQ(0UL, f->failures);
	EXPECT_GE(f->calls, f->target_calls);

	/* The file still runs the job to the right result, as does a new one. */
	wait_c(&self->t, WAIT_NS);
	EXPECT_EQ(0, run_checked(&self->t, 3));
	matmul_setup(_metadata, &fresh);
	EXPECT_EQ(0, run_checked(&fresh, 1));
	matmul_teardown(&fresh);
}

TEST_HARNESS_MAIN
