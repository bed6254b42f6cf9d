// SPDX-License-Identifier: GPL-2.0
/*
 * teflon-run: run one TensorFlow Lite model on the CPU and then through
 * Mesa's Teflon delegate, on the same input, and compare the outputs.
 *
 *   teflon-run [-r] [-d DELEGATE] [-t TOLERANCE] [-s SEED] [-i INVOKES] MODEL
 *
 * DELEGATE is libteflon.so (default /usr/lib/teflon/libteflon.so), loaded
 * with dlopen and created through its plugin entry,
 * tflite_plugin_create_delegate(), as Mesa's own test runner does.
 * TOLERANCE (default 2) is the largest difference allowed per element, in
 * quantized units of an integer output (TOLERANCE / 33 for a float one:
 * Mesa's test_teflon.cpp).
 *
 * Besides the outputs it checks what a user would not see:
 *  - whether every operation of the model went to the delegate (it wraps
 *    the delegate's Prepare and reads the execution plan after it);
 *  - which DRM driver the delegate opened (DRM_IOCTL_VERSION) and every
 *    rocket ioctl it made, with its result: the program defines ioctl()
 *    itself, so that the calls of libdrm and Mesa come here first.
 *
 * With -i N (default 1) the delegate's interpreter is invoked N times on
 * the same input and the last outputs are compared (an experiment: Mesa's
 * fused ADD reads a tensor written by a later job of the same invoke).
 *
 * With -r, it also prints every task's register command list as the
 * SUBMIT ioctl hands it to the kernel ("teflon-regcmd: ..." lines: the
 * job, the task, then one 64-bit entry a line), read back from the BO
 * that holds it through a mapping of its own.
 *
 * Prints "teflon-run: ..." lines and, last, "teflon-run: RESULT PASS" or
 * "teflon-run: RESULT FAIL <reasons>". Exit status 0 on PASS, 1 on FAIL,
 * 2 when the model could not be run at all.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/rocket_accel.h>

#include "tensorflow/lite/builtin_ops.h"
#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/common.h"

#define P "teflon-run: "

/* --- rocket ioctls, counted as libdrm and Mesa make them -------------- */

static const char *const rocket_names[] = {
	[DRM_ROCKET_CREATE_BO] = "CREATE_BO",
	[DRM_ROCKET_SUBMIT] = "SUBMIT",
	[DRM_ROCKET_PREP_BO] = "PREP_BO",
	[DRM_ROCKET_FINI_BO] = "FINI_BO",
	[DRM_ROCKET_MATMUL] = "MATMUL",
};
#define N_ROCKET (sizeof(rocket_names) / sizeof(rocket_names[0]))

static unsigned int rocket_calls[N_ROCKET + 1];	/* last: unknown numbers */
static unsigned int rocket_failed[N_ROCKET + 1];
static unsigned int rocket_failed_total;
static char drm_driver[64];

static void note_rocket_ioctl(unsigned long req, long ret, int err)
{
	unsigned int nr = _IOC_NR(req) - DRM_COMMAND_BASE;
	unsigned int i = nr < N_ROCKET && rocket_names[nr] ? nr : N_ROCKET;

	__atomic_fetch_add(&rocket_calls[i], 1, __ATOMIC_RELAXED);
	if (ret >= 0)
		return;
	__atomic_fetch_add(&rocket_failed[i], 1, __ATOMIC_RELAXED);
	/* The first few, as they happen: with the kernel log they tell why. */
	if (__atomic_fetch_add(&rocket_failed_total, 1, __ATOMIC_RELAXED) < 8)
		fprintf(stderr, P "ioctl %s (0x%lx) failed: %s\n",
			i < N_ROCKET ? rocket_names[i] : "unknown", req, strerror(err));
}

/* The BOs the delegate created, to find a task's command list by address. */
static struct bo {
	int fd;
	__u32 handle, size;
	__u64 dma, offset;
	void *map;
} bos[1024];
static unsigned int n_bos;
static unsigned int invokes = 1;	/* -i */
static int dump_regcmd;

static void note_bo(int fd, const struct drm_rocket_create_bo *c)
{
	unsigned int i;

	for (i = 0; i < n_bos; i++)
		if (bos[i].fd == fd && bos[i].handle == c->handle)
			break;
	if (i == n_bos) {
		if (n_bos == sizeof(bos) / sizeof(bos[0]))
			return;
		n_bos++;
	}
	if (bos[i].map)
		munmap(bos[i].map, bos[i].size);
	bos[i] = (struct bo){ fd, c->handle, c->size, c->dma_address, c->offset, NULL };
}

static void forget_bo(int fd, __u32 handle)
{
	unsigned int i;

	for (i = 0; i < n_bos; i++) {
		if (bos[i].fd == fd && bos[i].handle == handle) {
			if (bos[i].map)
				munmap(bos[i].map, bos[i].size);
			bos[i] = bos[--n_bos];
			return;
		}
	}
}

static void print_regcmd(int fd, unsigned int job, unsigned int task,
			 const struct drm_rocket_task *t)
{
	unsigned int i;

	printf("teflon-regcmd: job %u task %u regcmd 0x%08x count %u\n", job, task,
	       t->regcmd, t->regcmd_count);
	for (i = 0; i < n_bos; i++) {
		struct bo *b = &bos[i];
		const __u64 *e;
		__u32 k;

		if (b->fd != fd || t->regcmd < b->dma ||
		    t->regcmd + (__u64)t->regcmd_count * 8 > b->dma + b->size)
			continue;
		if (!b->map) {
			b->map = mmap(NULL, b->size, PROT_READ, MAP_SHARED, fd, b->offset);
			if (b->map == MAP_FAILED) {
				b->map = NULL;
				printf("teflon-regcmd: mmap of BO %u failed: %s\n", b->handle,
				       strerror(errno));
				return;
			}
		}
		e = (const __u64 *)((const char *)b->map + (t->regcmd - b->dma));
		for (k = 0; k < t->regcmd_count; k++)
			printf("teflon-regcmd: %016llx\n", (unsigned long long)e[k]);
		return;
	}
	printf("teflon-regcmd: no BO holds it\n");
}

static void print_submit(int fd, const struct drm_rocket_submit *s)
{
	unsigned int j, t;

	for (j = 0; j < s->job_count; j++) {
		const struct drm_rocket_job *job = (const void *)(uintptr_t)
			(s->jobs + (__u64)j * s->job_struct_size);

		for (t = 0; t < job->task_count; t++)
			print_regcmd(fd, j, t, (const void *)(uintptr_t)
				     (job->tasks + (__u64)t * job->task_struct_size));
	}
}

/*
 * Every ioctl of the process, libteflon's and libdrm's included, comes
 * here first: the executable's definition precedes libc's in symbol lookup
 * (the program is linked with --export-dynamic-symbol=ioctl).
 */
int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;
	long ret;
	int err;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (dump_regcmd && req == DRM_IOCTL_ROCKET_SUBMIT)
		print_submit(fd, arg);
	ret = syscall(SYS_ioctl, fd, req, arg);
	err = errno;

	if (_IOC_TYPE(req) == DRM_IOCTL_BASE) {
		if (_IOC_NR(req) >= DRM_COMMAND_BASE && _IOC_NR(req) < DRM_COMMAND_END)
			note_rocket_ioctl(req, ret, err);
		if (req == DRM_IOCTL_ROCKET_CREATE_BO && ret == 0)
			note_bo(fd, arg);
		else if (req == DRM_IOCTL_GEM_CLOSE && ret == 0)
			forget_bo(fd, ((struct drm_gem_close *)arg)->handle);
		else if (req == DRM_IOCTL_VERSION && ret == 0) {
			struct drm_version *v = arg;

			if (v->name && v->name_len) {
				size_t n = v->name_len < sizeof(drm_driver) - 1 ?
					   v->name_len : sizeof(drm_driver) - 1;

				memcpy(drm_driver, v->name, n);
				drm_driver[n] = 0;
			}
		}
	}
	errno = err;
	return ret;
}

/* --- delegation: what the delegate's Prepare left on the CPU ---------- */

static TfLiteStatus (*teflon_prepare)(TfLiteContext *, struct TfLiteDelegate *);
static int ops_before = -1, delegate_nodes = -1, cpu_nodes = -1;

static TfLiteStatus prepare_and_count(TfLiteContext *ctx, struct TfLiteDelegate *d)
{
	TfLiteIntArray *plan;
	TfLiteStatus st;
	int i;

	if (ctx->GetExecutionPlan(ctx, &plan) == kTfLiteOk)
		ops_before = plan->size;
	st = teflon_prepare(ctx, d);
	if (st != kTfLiteOk)
		return st;
	if (ctx->GetExecutionPlan(ctx, &plan) != kTfLiteOk)
		return st;
	delegate_nodes = cpu_nodes = 0;
	for (i = 0; i < plan->size; i++) {
		TfLiteNode *node;
		TfLiteRegistration *reg;

		if (ctx->GetNodeAndRegistration(ctx, plan->data[i], &node, &reg) != kTfLiteOk)
			continue;
		if (reg->builtin_code == kTfLiteBuiltinDelegate) {
			delegate_nodes++;
		} else {
			cpu_nodes++;
			printf(P "left on the CPU: node %d, builtin %d%s%s\n", plan->data[i],
			       reg->builtin_code, reg->custom_name ? " " : "",
			       reg->custom_name ? reg->custom_name : "");
		}
	}
	return st;
}

/* --- running the model ------------------------------------------------ */

struct outputs {
	int n;
	TfLiteType type[16];
	size_t bytes[16];
	void *data[16];
	char shape[16][64];
};

static void tflite_error(void *user, const char *fmt, va_list args)
{
	(void)user;
	fputs(P "tflite: ", stdout);
	vprintf(fmt, args);
	fputc('\n', stdout);
}

static void teflon_error(const char *msg)
{
	printf(P "teflon: %s\n", msg);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A fixed pseudo-random input: the same on every run and machine. */
static void fill_input(TfLiteTensor *t, uint32_t seed)
{
	size_t n = TfLiteTensorByteSize(t), i;
	uint8_t *buf = malloc(n);
	uint32_t x = seed * 2654435761u + 1;

	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = x >> 24;
	}
	if (TfLiteTensorType(t) == kTfLiteFloat32) {
		float *f = (float *)buf;

		for (i = 0; i < n / 4; i++)
			f[i] = (float)(buf[i * 4] & 0xff) / 255.0f;
	}
	TfLiteTensorCopyFromBuffer(t, buf, n);
	free(buf);
}

/* Run MODEL once; with DELEGATE when non-NULL. Returns 0 on success. */
static int run(TfLiteModel *model, TfLiteDelegate *delegate, uint32_t seed,
	       struct outputs *out, double *ms)
{
	TfLiteInterpreterOptions *opts = TfLiteInterpreterOptionsCreate();
	TfLiteInterpreter *it;
	const char *what = delegate ? "teflon" : "cpu";
	TfLiteStatus st;
	double t0;
	int i, j;

	TfLiteInterpreterOptionsSetNumThreads(opts, 1);
	TfLiteInterpreterOptionsSetErrorReporter(opts, tflite_error, NULL);
	if (delegate)
		TfLiteInterpreterOptionsAddDelegate(opts, delegate);
	it = TfLiteInterpreterCreate(model, opts);
	TfLiteInterpreterOptionsDelete(opts);
	if (!it) {
		printf(P "%s: TfLiteInterpreterCreate failed\n", what);
		return -1;
	}
	if (TfLiteInterpreterAllocateTensors(it) != kTfLiteOk) {
		printf(P "%s: AllocateTensors failed\n", what);
		TfLiteInterpreterDelete(it);
		return -1;
	}
	for (i = 0; i < TfLiteInterpreterGetInputTensorCount(it); i++)
		fill_input(TfLiteInterpreterGetInputTensor(it, i), seed + i);

	t0 = now_ms();
	st = TfLiteInterpreterInvoke(it);
	/* -i N: invoke N times on the same input, keep the last outputs */
	for (i = 1; delegate && st == kTfLiteOk && (unsigned int)i < invokes; i++)
		st = TfLiteInterpreterInvoke(it);
	*ms = now_ms() - t0;
	if (st != kTfLiteOk) {
		printf(P "%s: Invoke failed (status %d)\n", what, st);
		TfLiteInterpreterDelete(it);
		return -1;
	}

	out->n = TfLiteInterpreterGetOutputTensorCount(it);
	if (out->n > 16)
		out->n = 16;
	for (i = 0; i < out->n; i++) {
		const TfLiteTensor *t = TfLiteInterpreterGetOutputTensor(it, i);
		int len = 0;

		out->type[i] = TfLiteTensorType(t);
		out->bytes[i] = TfLiteTensorByteSize(t);
		out->data[i] = malloc(out->bytes[i]);
		TfLiteTensorCopyToBuffer(t, out->data[i], out->bytes[i]);
		for (j = 0; j < TfLiteTensorNumDims(t) && len < 56; j++)
			len += snprintf(out->shape[i] + len, sizeof(out->shape[i]) - len,
					"%s%d", j ? "x" : "", TfLiteTensorDim(t, j));
	}
	TfLiteInterpreterDelete(it);
	return 0;
}

/* Compare output I; returns 1 when some element is beyond the tolerance. */
static int compare(const struct outputs *cpu, const struct outputs *npu, int i,
		   unsigned int tolerance)
{
	size_t n, j, over = 0, first = 0;
	double maxdiff = 0, limit = tolerance;
	const char *tname;
	double c0 = 0, n0 = 0;

	switch (cpu->type[i]) {
	case kTfLiteUInt8: tname = "uint8"; n = cpu->bytes[i]; break;
	case kTfLiteInt8: tname = "int8"; n = cpu->bytes[i]; break;
	case kTfLiteFloat32: tname = "float32"; n = cpu->bytes[i] / 4; limit = tolerance / 33.0; break;
	default:
		printf(P "output %d: type %d not compared\n", i, cpu->type[i]);
		return 1;
	}
	for (j = 0; j < n; j++) {
		double c, v, d;

		if (cpu->type[i] == kTfLiteUInt8) {
			c = ((uint8_t *)cpu->data[i])[j];
			v = ((uint8_t *)npu->data[i])[j];
		} else if (cpu->type[i] == kTfLiteInt8) {
			c = ((int8_t *)cpu->data[i])[j];
			v = ((int8_t *)npu->data[i])[j];
		} else {
			c = ((float *)cpu->data[i])[j];
			v = ((float *)npu->data[i])[j];
		}
		d = c > v ? c - v : v - c;
		if (d > maxdiff)
			maxdiff = d;
		if (d > limit && over++ == 0) {
			first = j;
			c0 = c;
			n0 = v;
		}
	}
	printf(P "output %d: %s %s, max abs diff %g, %zu of %zu elements over %g",
	       i, tname, cpu->shape[i], maxdiff, over, n, limit);
	if (over)
		printf(" (first at %zu: cpu %g, teflon %g)", first, c0, n0);
	printf("\n");
	return over != 0;
}

int main(int argc, char **argv)
{
	const char *delegate_path = "/usr/lib/teflon/libteflon.so";
	unsigned int tolerance = 2, i;
	uint32_t seed = 1;
	struct outputs cpu = {0}, npu = {0};
	TfLiteDelegate *(*create)(char **, char **, size_t, void (*)(const char *));
	void (*destroy)(TfLiteDelegate *);
	TfLiteDelegate *delegate;
	TfLiteModel *model;
	char reasons[512] = "";
	double cpu_ms, npu_ms;
	void *lib;
	int opt, o, bad;

	while ((opt = getopt(argc, argv, "rd:t:s:i:")) != -1) {
		switch (opt) {
		case 'r': dump_regcmd = 1; break;
		case 'd': delegate_path = optarg; break;
		case 't': tolerance = strtoul(optarg, NULL, 0); break;
		case 's': seed = strtoul(optarg, NULL, 0); break;
		case 'i': invokes = strtoul(optarg, NULL, 0); break;
		default: goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);

	printf(P "model %s, TensorFlow Lite %s, tolerance %u\n", argv[optind],
	       TfLiteVersion(), tolerance);
	model = TfLiteModelCreateFromFile(argv[optind]);
	if (!model) {
		printf(P "RESULT FAIL the model does not load\n");
		return 2;
	}
	if (run(model, NULL, seed, &cpu, &cpu_ms)) {
		printf(P "RESULT FAIL the model does not run on the CPU\n");
		return 2;
	}
	printf(P "cpu: %d outputs in %.1f ms\n", cpu.n, cpu_ms);

	lib = dlopen(delegate_path, RTLD_LAZY | RTLD_LOCAL);
	if (!lib) {
		printf(P "RESULT FAIL dlopen %s: %s\n", delegate_path, dlerror());
		return 2;
	}
	create = (TfLiteDelegate *(*)(char **, char **, size_t, void (*)(const char *)))
		dlsym(lib, "tflite_plugin_create_delegate");
	destroy = (void (*)(TfLiteDelegate *))dlsym(lib, "tflite_plugin_destroy_delegate");
	if (!create || !destroy) {
		printf(P "RESULT FAIL %s has no tflite_plugin_create/destroy_delegate\n",
		       delegate_path);
		return 2;
	}
	delegate = create(NULL, NULL, 0, teflon_error);
	if (!delegate) {
		printf(P "RESULT FAIL tflite_plugin_create_delegate returned NULL (device: %s)\n",
		       drm_driver[0] ? drm_driver : "none opened");
		return 2;
	}
	teflon_prepare = delegate->Prepare;
	delegate->Prepare = prepare_and_count;

	if (run(model, delegate, seed, &npu, &npu_ms)) {
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 " teflon-run-failed");
	} else {
		printf(P "teflon: %d outputs in %.1f ms\n", npu.n, npu_ms);
	}
	printf(P "device: %s\n", drm_driver[0] ? drm_driver : "none opened");
	printf(P "delegation: %d ops; after the delegate: %d delegate nodes, %d ops on the CPU\n",
	       ops_before, delegate_nodes, cpu_nodes);
	printf(P "rocket ioctls:");
	for (i = 0; i <= N_ROCKET; i++)
		if (rocket_calls[i])
			printf(" %s %u (%u failed)", i < N_ROCKET ? rocket_names[i] : "unknown",
			       rocket_calls[i], rocket_failed[i]);
	for (i = 0, o = 0; i <= N_ROCKET; i++)
		o += rocket_calls[i];
	printf("%s\n", o ? "" : " none");

	if (strcmp(drm_driver, "rocket"))
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 " device-not-rocket");
	if (delegate_nodes <= 0 || cpu_nodes != 0)
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 " not-all-delegated");
	if (rocket_failed_total)
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 " ioctl-failed");
	if (!npu.n || npu.n != cpu.n) {
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 " no-outputs");
	} else {
		for (o = 0, bad = 0; o < cpu.n; o++)
			bad |= compare(&cpu, &npu, o, tolerance);
		if (bad)
			snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
				 " outputs-differ");
	}

	destroy(delegate);
	TfLiteModelDelete(model);
	if (reasons[0]) {
		printf(P "RESULT FAIL%s\n", reasons);
		return 1;
	}
	printf(P "RESULT PASS\n");
	return 0;

usage:
	fprintf(stderr, "usage: %s [-r] [-d DELEGATE] [-t TOLERANCE] [-s SEED] [-i INVOKES] MODEL\n",
		argv[0]);
	return 2;
}
