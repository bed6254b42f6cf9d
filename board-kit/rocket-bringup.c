// SPDX-License-Identifier: GPL-2.0-only OR MIT
/*
 * rocket-bringup: the first run of the rocket NPU driver on a board.
 *
 * Climbs one step at a time and stops at the first step that fails:
 *
 *   1 node           an accel node driven by rocket, its version, its cores,
 *                    the MATMUL ioctl
 *   2 bo             buffer objects: create, mmap, CPU access, close
 *   3 first-product  one 4x32x32 INT8 product on core 0, short wait
 *   4 each-core      the same product on every core
 *   5 types          each element type of the matmul ioctl, and the FP16
 *                    rounding probe
 *   6 shapes         a matrix of shapes: one row, many rows, row slices with
 *                    reused weights, full CBUF, all cores, the largest K
 *   7 qwen           the GEMMs of Qwen2.5-1.5B at M = 1 and M = 512
 *   8 split-k        K above 8192: INT8 products split in segments of K,
 *                    added by DPU-only INT32 tasks; FP16 ones refused;
 *                    then the DPU-only FP32 add probe (one SUBMIT)
 *   9 throughput     rocket_gemm --bench, the largest task, many small tasks
 *
 * Every product is checked against a CPU reference, and goes to the NPU
 * only through DRM_IOCTL_ROCKET_MATMUL: the kernel validates it and writes
 * the command lists with its own encoder. The program carries a copy of
 * that encoder (drivers/accel/rocket/rocket_matmul.c) to show, in the
 * report, the command list the kernel wrote for a task that failed, and
 * for the one command list it sends itself, through DRM_IOCTL_ROCKET_SUBMIT:
 * the DPU-only FP32 add probe of step split-k (one task, the kernel's INT32
 * add with FP32 precision fields, reading and writing only BOs the kit
 * created, checked before it is sent).
 *
 * Everything goes to ONE report file (-o), rewritten and synced before each
 * product, so that a board that locks up still leaves the steps up to the
 * one that was running.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fenv.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/rocket_accel.h>

#include "rocket_matmul_layout.h"
#include "rocket/rocket_registers.h"
#include "kit_encoder.h"
#include "kit_regnames.h"

#ifndef KIT_VERSION
#define KIT_VERSION "unknown"
#endif

#define MS		1000000ll
#define SECOND_NS	1000000000ll

/* ---------------------------------------------------------------------- */
/* Text buffers                                                             */

struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_vadd(struct sbuf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p) {
			fprintf(stderr, "rocket-bringup: out of memory\n");
			exit(2);
		}
		b->cap = cap;
	}
	vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	b->len += n;
}

static __attribute__((format(printf, 2, 3))) void sb_add(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(b, fmt, ap);
	va_end(ap);
}

static void sb_clear(struct sbuf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = 0;
}

/* ---------------------------------------------------------------------- */
/* The report                                                               */

/* The sections, in the order the report has them; every one is always there. */
enum section {
	S_KIT, S_SUMMARY, S_SYSTEM, S_CONFIG, S_DT, S_CLOCKS, S_STEPS, S_FAILURE, S_FACTS,
	S_THROUGHPUT, S_IOMMU, S_KLOG, S_COUNT
};

static const char *const section_names[S_COUNT] = {
	"kit", "summary", "system", "kernel config", "device tree", "clocks", "steps",
	"failure", "open facts", "throughput", "iommu faults", "kernel log",
};

enum step_id {
	ST_NODE, ST_BO, ST_FIRST, ST_CORES, ST_TYPES, ST_SHAPES, ST_QWEN, ST_SPLITK,
	ST_THROUGHPUT, ST_COUNT
};

static const struct {
	const char *name, *what;
} steps[ST_COUNT] = {
	{ "node", "accel node, driver, cores, MATMUL ioctl" },
	{ "bo", "buffer objects: create, mmap, CPU access" },
	{ "first-product", "one 4x32x32 INT8 product on core 0, short wait" },
	{ "each-core", "the 4x32x32 INT8 product on every core" },
	{ "types", "every element type, and the FP16 rounding probe" },
	{ "shapes", "a matrix of shapes over all cores" },
	{ "qwen", "the Qwen2.5-1.5B GEMMs at M = 1 and 512" },
	{ "split-k", "K above 8192: segments, DPU-only INT32 adds, the FP32 add probe" },
	{ "throughput", "rocket_gemm --bench, the largest task, many small tasks" },
};

enum step_state { NOT_RUN, RUNNING, PASSED, FAILED, SKIPPED };

static const char *const state_names[] = { "NOT RUN", "RUNNING", "PASS", "FAIL", "SKIPPED" };

/* What the run found out about each open fact (see facts_write()). */
struct evidence {
	bool first_completed;
	double first_ms;
	unsigned int core_ok[32];	/* products completed and right, per core */
	unsigned int core_bad[32];
	uint32_t min_rows, max_rows;	/* rows of tasks of right products */
	unsigned int reuse_tasks;	/* tasks with WEIGHT_REUSE of right products */
	uint32_t max_data_banks;
	unsigned int m1_ok;		/* right one-row products */
	unsigned int fp16_out_ok, fp32_out_ok, int32_out_ok;
	unsigned int tasks_ok;
	/* FP16 rounding: elements compared with the exact sum rounded once */
	unsigned long long rnd_elems[2], rnd_equal[2], rnd_ulp1[2];
	unsigned long long rnd_max_ulp[2];
	unsigned long long exact_rounded_diff;	/* integer data, 1 ulp off where rounding */
	bool bw_measured, bw_skipped;
	double bw_mbps, bw_ms, bw_predicted_ms;
	bool gap_measured;
	double gap_us, gap_pred_us;
	uint32_t gap_tasks;
	bool bench_ran, bench_skipped;
	/* split K: right products whose K was split, their add tasks */
	unsigned int split_ok, split_bad, add_tasks_ok, notched_adds_ok;
	uint32_t split_max_k;
	bool split_extreme_ok;
};

static struct {
	const char *path;
	char kselftest_dir[PATH_MAX];
	unsigned long seed;
	int up_to;
	unsigned int skip;	/* steps not run (--skip), a bit each */
	int sim_hang_at;
	int hang_armed;

	struct sbuf sec[S_COUNT];
	struct sbuf steps_text[ST_COUNT];
	enum step_state state[ST_COUNT];
	double step_s[ST_COUNT];
	char fail_reason[512];
	int failed_step;
	char running[256];
	bool finished;
	time_t started;
	double t0;

	/* the NPU */
	int fd;
	char node[64];
	char drv_version[64];
	bool sim;
	long sim_cores;
	long job_timeout_ms;
	int cores;
	char core_dev[32][64];	/* device of core i, in probe order */
	bool core_dev_from_log;

	/* the kernel log */
	int kmsg;
	struct sbuf klog;
	unsigned long klog_lines;

	struct evidence ev;
} kit = { .fd = -1, .kmsg = -1, .up_to = ST_COUNT - 1, .sim_hang_at = -1, .failed_step = -1 };

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int64_t abs_timeout_ns(int64_t from_now_ns)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * SECOND_NS + ts.tv_nsec + from_now_ns;
}

static void facts_write(struct sbuf *b);
static void klog_poll(void);

/* The summary and the parts that are only known at the end. */
static void summary_write(void)
{
	struct sbuf *b = &kit.sec[S_SUMMARY];
	int i, passed = 0;

	sb_clear(b);
	for (i = 0; i < ST_COUNT; i++)
		passed += kit.state[i] == PASSED;
	if (!kit.finished)
		sb_add(b, "result: INCOMPLETE (the run was still going when this was written: %s)\n",
		       kit.running[0] ? kit.running : "starting");
	else if (kit.failed_step >= 0)
		sb_add(b, "result: FAIL at step %d %s: %s\n", kit.failed_step + 1,
		       steps[kit.failed_step].name, kit.fail_reason);
	else if (kit.skip)
		sb_add(b, "result: PASS of the %d steps run (the others skipped by --skip%s)\n",
		       passed, kit.up_to < ST_COUNT - 1 ? " or after --up-to" : "");
	else if (kit.up_to < ST_COUNT - 1)
		sb_add(b, "result: PASS up to step %d %s (stopped there by --up-to)\n",
		       kit.up_to + 1, steps[kit.up_to].name);
	else
		sb_add(b, "result: PASS (all %d steps passed)\n", ST_COUNT);
	sb_add(b, "npu: %s\n", kit.sim ?
	       "SIMULATED (rocket's software NPU: no result here says anything about silicon)" :
	       kit.fd < 0 ? "none found (no accel node driven by rocket)" :
	       "silicon (no simulated core)");
	sb_add(b, "elapsed: %.1f s\n", now_s() - kit.t0);
	for (i = 0; i < ST_COUNT; i++)
		sb_add(b, "step %d %-14s %s\n", i + 1, steps[i].name, state_names[kit.state[i]]);
}

/* Write the whole report to kit.path (through a temporary file) and sync it. */
static void report_write(void)
{
	char tmp[PATH_MAX + 8];
	struct sbuf *b;
	FILE *f;
	int i;

	klog_poll();
	summary_write();
	b = &kit.sec[S_STEPS];
	sb_clear(b);
	for (i = 0; i < ST_COUNT; i++) {
		sb_add(b, "step %d %s: %s (%s)", i + 1, steps[i].name, state_names[kit.state[i]],
		       steps[i].what);
		if (kit.state[i] == PASSED || kit.state[i] == FAILED)
			sb_add(b, " in %.3f s", kit.step_s[i]);
		sb_add(b, "\n");
		if (kit.steps_text[i].len)
			sb_add(b, "%s", kit.steps_text[i].p);
	}
	sb_clear(&kit.sec[S_FACTS]);
	facts_write(&kit.sec[S_FACTS]);
	sb_clear(&kit.sec[S_KLOG]);
	sb_add(&kit.sec[S_KLOG], "records since the kit started: %lu\n", kit.klog_lines);
	if (kit.klog.len)
		sb_add(&kit.sec[S_KLOG], "%s", kit.klog.p);

	snprintf(tmp, sizeof(tmp), "%s.tmp", kit.path);
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "rocket-bringup: cannot write %s: %s\n", tmp, strerror(errno));
		exit(2);
	}
	fprintf(f, "# rocket bring-up report\n");
	for (i = 0; i < S_COUNT; i++) {
		fprintf(f, "\n== %s ==\n", section_names[i]);
		if (kit.sec[i].len)
			fputs(kit.sec[i].p, f);
		else
			fputs("(nothing)\n", f);
	}
	fprintf(f, "\n== end ==\n");
	fflush(f);
	fsync(fileno(f));
	fclose(f);
	if (rename(tmp, kit.path)) {
		fprintf(stderr, "rocket-bringup: cannot rename %s: %s\n", tmp, strerror(errno));
		exit(2);
	}
}

/* A line of the current step, on the terminal and in the report. */
static __attribute__((format(printf, 2, 3))) void step_say(int step, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vadd(&kit.steps_text[step], fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fflush(stdout);
}

/* ---------------------------------------------------------------------- */
/* Files                                                                    */

/* The contents of a small file, trailing newlines dropped; NULL if unreadable. */
static char *read_text(const char *path, size_t *len_out)
{
	struct sbuf b = { 0 };
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (b.len + n + 1 > b.cap) {
			b.cap = (b.len + n + 1) * 2;
			b.p = realloc(b.p, b.cap);
			if (!b.p)
				exit(2);
		}
		memcpy(b.p + b.len, chunk, n);
		b.len += n;
	}
	close(fd);
	if (!b.p) {
		b.p = calloc(1, 1);
		if (!b.p)
			exit(2);
	}
	b.p[b.len] = 0;
	if (len_out)
		*len_out = b.len;
	return b.p;
}

static char *read_line(const char *path)
{
	char *s = read_text(path, NULL);
	size_t n;

	if (!s)
		return NULL;
	n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = 0;
	return s;
}

static long read_long(const char *path, long fallback)
{
	char *s = read_line(path);
	long v = fallback;

	if (s && *s)
		v = strtol(s, NULL, 0);
	free(s);
	return v;
}

/* ---------------------------------------------------------------------- */
/* The kernel log since the kit started                                     */

#define KLOG_MAX_LINES	20000

/* Records of /dev/kmsg, from where it is: "[  12.345678] text". */
static void kmsg_read(struct sbuf *out, unsigned long *lines)
{
	char rec[8192];
	ssize_t n;

	if (kit.kmsg < 0)
		return;
	for (;;) {
		unsigned long long usec = 0;
		char *text, *nl;

		n = read(kit.kmsg, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)	/* overwritten records: go on */
			continue;
		if (n <= 0)
			break;
		rec[n] = 0;
		text = strchr(rec, ';');
		if (!text)
			continue;
		*text++ = 0;
		sscanf(rec, "%*u,%*u,%llu", &usec);
		nl = strchr(text, '\n');	/* continuation lines follow: drop them */
		if (nl)
			*nl = 0;
		/* a kernel that floods its log: keep the first records, count the rest */
		if (out && (!lines || *lines < KLOG_MAX_LINES))
			sb_add(out, "[%5llu.%06llu] %s\n", usec / 1000000, usec % 1000000, text);
		else if (out && *lines == KLOG_MAX_LINES)
			sb_add(out, "(more than %d records: the rest are counted, not kept)\n",
			       KLOG_MAX_LINES);
		if (lines)
			(*lines)++;
	}
}

static void klog_poll(void)
{
	kmsg_read(&kit.klog, &kit.klog_lines);
}

/*
 * Open /dev/kmsg and read what is already there: the cores' probe lines
 * tell which device is which core index ("Rockchip NPU core N version").
 */
static void klog_start(void)
{
	struct sbuf old = { 0 };
	char *line, *save = NULL;

	kit.kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (kit.kmsg < 0) {
		sb_add(&kit.klog, "(cannot read /dev/kmsg: %s; run as root for the kernel log)\n",
		       strerror(errno));
		return;
	}
	kmsg_read(&old, NULL);
	for (line = old.p ? strtok_r(old.p, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char dev[64];
		unsigned int core;
		const char *p = strstr(line, "] rocket ");

		if (!p || !strstr(p, "Rockchip NPU core "))
			continue;
		if (sscanf(p, "] rocket %63[^:]: Rockchip NPU core %u", dev, &core) == 2 &&
		    core < 32) {
			snprintf(kit.core_dev[core], sizeof(kit.core_dev[core]), "%s", dev);
			kit.core_dev_from_log = true;
		}
	}
	free(old.p);
}

/* ---------------------------------------------------------------------- */
/* System: kernel, config, device tree, clocks                              */

static void system_collect(void)
{
	struct sbuf *b = &kit.sec[S_SYSTEM];
	struct utsname u;
	char *s;
	DIR *d;
	struct dirent *e;

	if (!uname(&u))
		sb_add(b, "kernel: %s %s %s %s\n", u.sysname, u.release, u.version, u.machine);
	s = read_line("/proc/cmdline");
	sb_add(b, "cmdline: %s\n", s ? s : "(unreadable)");
	free(s);
	s = read_line("/proc/device-tree/model");
	sb_add(b, "machine: %s\n", s ? s : "(no device tree model)");
	free(s);
	s = read_line("/etc/os-release");
	if (s) {
		char *p = strstr(s, "PRETTY_NAME=");

		if (p) {
			char *q = strchr(p, '\n');

			if (q)
				*q = 0;
			sb_add(b, "userspace: %s\n", p + 12);
		}
		free(s);
	}
	s = read_line("/sys/module/rocket/srcversion");
	sb_add(b, "rocket: %s%s%s\n", access("/sys/module/rocket", F_OK) ? "no /sys/module/rocket" :
	       access("/sys/module/rocket/initstate", F_OK) ? "built in" : "a loaded module",
	       s ? ", srcversion " : "", s ? s : "");
	free(s);
	d = opendir("/sys/module/rocket/parameters");
	if (d) {
		while ((e = readdir(d))) {
			char path[300];

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/module/rocket/parameters/%s", e->d_name);
			s = read_line(path);
			sb_add(b, "rocket parameter %s: %s\n", e->d_name, s ? s : "?");
			free(s);
		}
		closedir(d);
	}
}

/*
 * The options the NPU needs or that change what the run means. Not KASAN:
 * make vmtest prints the report on the console, whose check takes the word
 * for a kernel report.
 */
static bool config_wanted(const char *line)
{
	static const char *const names[] = {
		"DRM", "DRM_ACCEL", "DRM_SCHED", "DRM_GEM_SHMEM_HELPER", "ARCH_ROCKCHIP",
		"IOMMU_SUPPORT", "IOMMU_DMA", "PM", "PM_DEVFREQ", "ROCKCHIP_PM_DOMAINS",
		"COMMON_CLK_SCMI", "ARM_SCMI_PROTOCOL", "REGULATOR_SCMI", "DEBUG_FS",
		"DEBUG_KERNEL", "PROVE_LOCKING", "IKCONFIG_PROC", "MODULES",
	};
	static const char *const prefixes[] = {
		"DRM_ACCEL_ROCKET", "ROCKCHIP_IOMMU", "IOMMU_DEFAULT", "REGULATOR_RK8",
	};
	const char *p = strstr(line, "CONFIG_");
	char name[128];
	size_t i, n;

	if (!p)
		return false;
	p += 7;
	for (n = 0; n < sizeof(name) - 1 && (isalnum((unsigned char)p[n]) || p[n] == '_'); n++)
		name[n] = p[n];
	name[n] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return true;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return true;
	return false;
}

static void config_collect(void)
{
	struct sbuf *b = &kit.sec[S_CONFIG];
	struct utsname u;
	char path[PATH_MAX], line[512];
	const char *source = NULL;
	FILE *f = NULL;
	bool piped = false;
	unsigned int count = 0;

	uname(&u);
	if (!access("/proc/config.gz", R_OK)) {
		f = popen("zcat /proc/config.gz 2>/dev/null || gzip -dc /proc/config.gz", "r");
		piped = true;
		source = "/proc/config.gz";
	}
	if (!f) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = fopen(path, "r");
		source = path;
	}
	if (!f) {
		sb_add(b, "source: none (no /proc/config.gz: CONFIG_IKCONFIG_PROC is off; "
		       "no /boot/config-%s)\n", u.release);
		return;
	}
	sb_add(b, "source: %s\n", source);
	while (fgets(line, sizeof(line), f))
		if (config_wanted(line)) {
			sb_add(b, "%s", line);
			count++;
		}
	if (piped)
		pclose(f);
	else
		fclose(f);
	if (!count)
		sb_add(b, "(no NPU option found in it)\n");
}

/* Device tree nodes, from /proc/device-tree. */
struct dt_node {
	char path[256];
	char compatible[256];	/* strings joined by ", " */
	char status[32];
	uint32_t phandle;
	uint32_t iommu;		/* phandle of the first `iommus` entry */
	char props[512];	/* the other properties that matter to the NPU */
};

#define DT_MAX_NODES	4096

static struct dt_node *dt_nodes;
static int dt_count;

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void dt_walk(const char *dir, const char *path, int depth)
{
	struct dt_node node = { 0 };
	char file[PATH_MAX];
	struct dirent *e;
	size_t len;
	DIR *d;
	char *v;

	if (depth > 8 || dt_count >= DT_MAX_NODES)
		return;
	snprintf(node.path, sizeof(node.path), "%s", *path ? path : "/");
	snprintf(file, sizeof(file), "%s/compatible", dir);
	v = read_text(file, &len);
	if (v) {
		size_t i;

		for (i = 0; i + 1 < len; i++)
			if (!v[i])
				v[i] = ',';
		snprintf(node.compatible, sizeof(node.compatible), "%s", v);
		free(v);
	}
	snprintf(file, sizeof(file), "%s/status", dir);
	v = read_line(file);
	snprintf(node.status, sizeof(node.status), "%s", v ? v : "okay (no status property)");
	if (v && !strcmp(v, "ok"))
		snprintf(node.status, sizeof(node.status), "ok");
	free(v);
	snprintf(file, sizeof(file), "%s/phandle", dir);
	v = read_text(file, &len);
	if (v && len == 4)
		node.phandle = be32((unsigned char *)v);
	free(v);
	snprintf(file, sizeof(file), "%s/iommus", dir);
	v = read_text(file, &len);
	if (v && len >= 4)
		node.iommu = be32((unsigned char *)v);
	free(v);

	d = opendir(dir);
	if (!d)
		return;
	while ((e = readdir(d))) {
		char sub[PATH_MAX], subpath[512];
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
		if (stat(sub, &st))
			continue;
		if (S_ISDIR(st.st_mode)) {
			snprintf(subpath, sizeof(subpath), "%s/%s", path, e->d_name);
			dt_walk(sub, subpath, depth + 1);
		} else if (strstr(e->d_name, "-supply") || !strcmp(e->d_name, "power-domains") ||
			   !strcmp(e->d_name, "assigned-clock-rates") ||
			   !strcmp(e->d_name, "clock-names") || !strcmp(e->d_name, "reg") ||
			   !strcmp(e->d_name, "interrupts")) {
			len = strlen(node.props);
			snprintf(node.props + len, sizeof(node.props) - len, "%s%s",
				 len ? " " : "", e->d_name);
		}
	}
	closedir(d);
	if (node.compatible[0])
		dt_nodes[dt_count++] = node;
}

static const struct dt_node *dt_by_phandle(uint32_t ph)
{
	int i;

	for (i = 0; ph && i < dt_count; i++)
		if (dt_nodes[i].phandle == ph)
			return &dt_nodes[i];
	return NULL;
}

static void dt_collect(void)
{
	struct sbuf *b = &kit.sec[S_DT];
	unsigned int cores = 0, mmus = 0;
	char *top;
	int i;

	top = read_text("/proc/device-tree/compatible", NULL);
	if (!top) {
		sb_add(b, "no /proc/device-tree (no device tree, or not mounted)\n");
		return;
	}
	free(top);
	dt_nodes = calloc(DT_MAX_NODES, sizeof(*dt_nodes));
	if (!dt_nodes)
		exit(2);
	dt_walk("/proc/device-tree", "", 0);
	for (i = 0; i < dt_count; i++) {
		const struct dt_node *n = &dt_nodes[i], *mmu;

		if (!strstr(n->compatible, "rknn") && !strstr(n->compatible, "rockchip,rk3588-npu"))
			continue;
		cores++;
		sb_add(b, "npu core %s\n  compatible: %s\n  status: %s\n  properties: %s\n",
		       n->path, n->compatible, n->status, n->props[0] ? n->props : "-");
		mmu = dt_by_phandle(n->iommu);
		if (mmu) {
			mmus++;
			sb_add(b, "  mmu %s\n    compatible: %s\n    status: %s\n", mmu->path,
			       mmu->compatible, mmu->status);
		} else {
			sb_add(b, "  mmu: none (no iommus property, or its node not found)\n");
		}
	}
	if (!cores)
		sb_add(b, "no NPU core node (compatible rockchip,rk3588-rknn-core) in the device "
		       "tree%s\n", kit.sim ? ": expected on the simulated NPU" : "");
	else
		sb_add(b, "npu cores in the device tree: %u, with an mmu: %u\n", cores, mmus);
}

static void clocks_collect(void)
{
	struct sbuf *b = &kit.sec[S_CLOCKS];
	char *s, *line, *save = NULL;
	unsigned int found = 0, header = 0;
	DIR *d;
	struct dirent *e;

	s = read_text("/sys/kernel/debug/clk/clk_summary", NULL);
	if (!s) {
		sb_add(b, "clk_summary: unreadable (%s): mount debugfs "
		       "(mount -t debugfs none /sys/kernel/debug) and run as root for the NPU clocks\n",
		       access("/sys/kernel/debug/clk", F_OK) ? "debugfs not mounted, or no access" :
		       "no access");
	} else {
		sb_add(b, "clk_summary lines naming the NPU:\n");
		for (line = strtok_r(s, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			char low[512];
			size_t i;

			for (i = 0; line[i] && i < sizeof(low) - 1; i++)
				low[i] = tolower((unsigned char)line[i]);
			low[i] = 0;
			if (header < 3 && !strstr(low, "npu")) {
				sb_add(b, "  %s\n", line);	/* the column headings */
				header++;
				continue;
			}
			if (strstr(low, "npu")) {
				sb_add(b, "  %s\n", line);
				found++;
			}
		}
		if (!found)
			sb_add(b, "  (none: no clock named *npu*%s)\n",
			       kit.sim ? "; the simulated cores' clocks are fixed and unnamed" : "");
		free(s);
	}
	d = opendir("/sys/class/devfreq");
	if (d) {
		while ((e = readdir(d))) {
			char path[300];
			char *gov, *cur;

			if (e->d_name[0] == '.' || !strcasestr(e->d_name, "npu"))
				continue;
			snprintf(path, sizeof(path), "/sys/class/devfreq/%s/cur_freq", e->d_name);
			cur = read_line(path);
			snprintf(path, sizeof(path), "/sys/class/devfreq/%s/governor", e->d_name);
			gov = read_line(path);
			sb_add(b, "devfreq %s: cur_freq %s, governor %s\n", e->d_name,
			       cur ? cur : "?", gov ? gov : "?");
			free(cur);
			free(gov);
		}
		closedir(d);
	}
}

/* ---------------------------------------------------------------------- */
/* The NPU: node, cores, BOs                                                */

static int open_rocket(char *path_out, size_t size, char *version, size_t vsize)
{
	char path[32], name[32], date[32], desc[64];
	int i, fd;

	for (i = 0; i < 64; i++) {
		struct drm_version v = {
			.name = name, .name_len = sizeof(name) - 1,
			.date = date, .date_len = sizeof(date) - 1,
			.desc = desc, .desc_len = sizeof(desc) - 1,
		};

		snprintf(path, sizeof(path), "/dev/accel/accel%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		memset(name, 0, sizeof(name));
		memset(date, 0, sizeof(date));
		memset(desc, 0, sizeof(desc));
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "rocket")) {
			snprintf(path_out, size, "%s", path);
			snprintf(version, vsize, "%d.%d.%d (%s)", v.version_major,
				 v.version_minor, v.version_patchlevel, desc);
			return fd;
		}
		close(fd);
	}
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The devices rocket drives, from sysfs; their core index from the log if it had it. */
static void find_cores(struct sbuf *out)
{
	char *names[32];
	int count = 0, i;
	struct dirent *e;
	DIR *d = opendir("/sys/bus/platform/drivers/rocket");

	if (d) {
		while ((e = readdir(d)) && count < 32) {
			if (e->d_type != DT_LNK || !strcmp(e->d_name, "module"))
				continue;
			names[count++] = strdup(e->d_name);
		}
		closedir(d);
	}
	qsort(names, count, sizeof(names[0]), cmp_str);
	kit.cores = count;
	if (!kit.core_dev_from_log)
		for (i = 0; i < count; i++)
			snprintf(kit.core_dev[i], sizeof(kit.core_dev[i]), "%s", names[i]);
	for (i = 0; i < count; i++) {
		sb_add(out, "  core %d: %s%s\n", i, kit.core_dev[i][0] ? kit.core_dev[i] : names[i],
		       kit.core_dev_from_log ? "" : " (index assumed from the name order)");
		free(names[i]);
	}
}

/* The core index of a device name, or -1. */
static int core_of_dev(const char *dev)
{
	int i;

	for (i = 0; i < 32; i++)
		if (kit.core_dev[i][0] && !strcmp(kit.core_dev[i], dev))
			return i;
	return -1;
}

struct bo {
	struct drm_rocket_create_bo create;
	void *map;
};

static int bo_new(struct bo *bo, uint64_t size)
{
	memset(bo, 0, sizeof(*bo));
	if (size > UINT32_MAX) {
		errno = E2BIG;
		return -1;
	}
	bo->create.size = (uint32_t)size;
	if (ioctl(kit.fd, DRM_IOCTL_ROCKET_CREATE_BO, &bo->create))
		return -1;
	bo->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, kit.fd, bo->create.offset);
	if (bo->map == MAP_FAILED) {
		bo->map = NULL;
		return -1;
	}
	return 0;
}

static void bo_free(struct bo *bo)
{
	struct drm_gem_close c = { .handle = bo->create.handle };

	if (bo->map)
		munmap(bo->map, bo->create.size);
	if (bo->create.handle)
		ioctl(kit.fd, DRM_IOCTL_GEM_CLOSE, &c);
	memset(bo, 0, sizeof(*bo));
}

static int bo_prep(struct bo *bo, int64_t abs_ns)
{
	struct drm_rocket_prep_bo p = { .handle = bo->create.handle, .timeout_ns = abs_ns };

	return ioctl(kit.fd, DRM_IOCTL_ROCKET_PREP_BO, &p) ? -errno : 0;
}

static int bo_fini(struct bo *bo)
{
	struct drm_rocket_fini_bo f = { .handle = bo->create.handle };

	return ioctl(kit.fd, DRM_IOCTL_ROCKET_FINI_BO, &f) ? -errno : 0;
}

/* ---------------------------------------------------------------------- */
/* Data and the CPU reference                                               */

static uint64_t rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dull;
}

/* FP16 bits as an exact integer in units of 2^-24. */
static int64_t fp16_units[65536];

static void fp16_table(void)
{
	uint32_t h;

	for (h = 0; h < 65536; h++) {
		uint32_t e = (h >> 10) & 0x1f, mant = h & 0x3ff;
		int64_t v;

		if (e == 0x1f)
			v = 0;	/* never generated */
		else if (e)
			v = (int64_t)(mant | 0x400) << (e - 1);
		else
			v = mant;
		fp16_units[h] = h & 0x8000 ? -v : v;
	}
}

static double fp16_double(uint16_t h)
{
	uint32_t e = (h >> 10) & 0x1f;

	if (e == 0x1f)
		return (h & 0x3ff) ? NAN : (h & 0x8000 ? -INFINITY : INFINITY);
	return ldexp((double)fp16_units[h], -24);
}

static uint16_t fp16_of_int(int v)
{
	uint32_t mag = v < 0 ? -v : v, exp = 15;

	if (!mag)
		return 0;
	while (mag >= 2u << (exp - 15))
		exp++;
	return (v < 0 ? 0x8000 : 0) | exp << 10 | ((mag << (10 - (exp - 15))) & 0x3ff);
}

/*
 * An exact value v * 2^-48 rounded once, to nearest with ties to even, to a
 * binary format of precision @p bits, minimum normal exponent @emin, maximum
 * @emax: FP32 (24, -126, 127) or FP16 (11, -14, 15). Returns its bits;
 * *@inexact says whether rounding changed the value.
 */
static uint32_t round_once(__int128 v, int p, int emin, int emax, bool *inexact)
{
	unsigned __int128 mag = v < 0 ? -(unsigned __int128)v : (unsigned __int128)v, q, rem;
	uint32_t sign = v < 0 ? 1u << (p + (p == 24 ? 7 : 4)) : 0;
	int msb = 127, e, shift;
	int ebits = p == 24 ? 8 : 5;

	*inexact = false;
	if (!mag)
		return 0;
	while (!((mag >> msb) & 1))
		msb--;
	e = msb - 48;
	shift = (e < emin ? emin : e) - (p - 1) + 48;
	if (shift > 0) {
		q = mag >> shift;
		rem = mag & (((unsigned __int128)1 << shift) - 1);
		if (rem) {
			unsigned __int128 half = (unsigned __int128)1 << (shift - 1);

			*inexact = true;
			if (rem > half || (rem == half && (q & 1)))
				q++;
		}
	} else {
		q = mag << -shift;
	}
	if (e < emin)		/* subnormal; q == 2^(p-1) is the smallest normal */
		return sign | (uint32_t)q;
	if (q >> p) {		/* rounded up to the next power of two */
		q >>= 1;
		e++;
	}
	if (e > emax) {
		*inexact = true;
		return sign | (((1u << ebits) - 1) << (p - 1));
	}
	return sign | (uint32_t)(e + (1 << (ebits - 1)) - 1) << (p - 1) |
	       ((uint32_t)q & ((1u << (p - 1)) - 1));
}

static double fp32_double(uint32_t bits)
{
	float f;

	memcpy(&f, &bits, 4);
	return f;
}

/* Distance in units in the last place of two values of one format. */
static uint64_t ulp_distance(uint32_t a, uint32_t b, int bits)
{
	uint32_t signbit = 1u << (bits - 1);
	int64_t ia = a & signbit ? -(int64_t)(a & (signbit - 1)) : (int64_t)a;
	int64_t ib = b & signbit ? -(int64_t)(b & (signbit - 1)) : (int64_t)b;

	return ia > ib ? ia - ib : ib - ia;
}

enum data_kind {
	DATA_INT,	/* INT8 random, or FP16 small integers: every product and sum exact */
	DATA_FRACTION,	/* FP16 with full mantissas: the result needs rounding */
	DATA_EXTREME,	/* INT8 -128 everywhere: the largest sums, 2^14 * K */
};

/* A product the kit runs: C[m,n] = A[m,k] x B[k,n]. */
struct product {
	char label[96];
	uint32_t type, m, k, n;
	int core;		/* -1: every core (no core mask) */
	enum data_kind data;
	int expect_err;		/* 0, or the errno the kernel must refuse it with */
};

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

struct run {
	const struct product *p;
	struct bo a, b, c;
	void *ha, *hb;		/* row-major host copies */
	struct kit_matmul mm;
	struct kit_plan plan;
	const char *plan_reason;
	int plan_ret;
	int matmul_ret, prep_ret, prep2_ret;
	double ioctl_s, wait_s, wait2_s, limit_s;
	/* the check */
	unsigned long long checked, total, bad, untouched, rounded_diff;
	struct sbuf diffs;
	unsigned int ndiffs;
	char sampled[160];
	unsigned long long rnd_equal, rnd_ulp1, rnd_max_ulp;
	double rnd_max_rel;
};

/* The reference of element (i, j): bits of the output type, and whether it was rounded. */
static uint32_t reference(const struct run *r, uint32_t i, uint32_t j, bool *inexact,
			  double *abs_sum)
{
	const struct product *p = r->p;
	uint32_t l;

	*inexact = false;
	*abs_sum = 0;
	if (p->type == DRM_ROCKET_MATMUL_INT8_INT32) {
		const int8_t *a = (const int8_t *)r->ha + (size_t)i * p->k;
		const int8_t *b = (const int8_t *)r->hb + j;
		int32_t sum = 0;

		for (l = 0; l < p->k; l++)
			sum += a[l] * b[(size_t)l * p->n];
		return (uint32_t)sum;
	} else {
		const uint16_t *a = (const uint16_t *)r->ha + (size_t)i * p->k;
		const uint16_t *b = (const uint16_t *)r->hb + j;
		__int128 sum = 0;
		double as = 0;

		for (l = 0; l < p->k; l++) {
			int64_t x = fp16_units[a[l]], y = fp16_units[b[(size_t)l * p->n]];
			__int128 prod = (__int128)x * y;

			sum += prod;
			as += fabs((double)x) * fabs((double)y);
		}
		*abs_sum = ldexp(as, -48);
		if (p->type == DRM_ROCKET_MATMUL_FP16_FP32)
			return round_once(sum, 24, -126, 127, inexact);
		return round_once(sum, 11, -14, 15, inexact);
	}
}

static uint32_t c_element(const struct run *r, uint32_t i, uint32_t j)
{
	const struct product *p = r->p;
	uint32_t obpe = p->type == DRM_ROCKET_MATMUL_FP16_FP16 ? 2 : 4, c2 = 16 / obpe;
	size_t off = ((size_t)(j / c2) * p->m * c2 + (size_t)i * c2 + j % c2) * obpe;
	const uint8_t *c = (const uint8_t *)r->c.map + off;

	return obpe == 2 ? (uint32_t)(c[0] | c[1] << 8) :
			   (uint32_t)c[0] | c[1] << 8 | c[2] << 16 | (uint32_t)c[3] << 24;
}

static void value_text(uint32_t type, uint32_t bits, char *s, size_t size)
{
	if (type == DRM_ROCKET_MATMUL_INT8_INT32)
		snprintf(s, size, "%d (0x%08x)", (int32_t)bits, bits);
	else if (type == DRM_ROCKET_MATMUL_FP16_FP32)
		snprintf(s, size, "%.9g (0x%08x)", fp32_double(bits), bits);
	else
		snprintf(s, size, "%.6g (0x%04x)", fp16_double((uint16_t)bits), bits);
}

static void check_element(struct run *r, uint32_t i, uint32_t j)
{
	const struct product *p = r->p;
	uint32_t fill = p->type == DRM_ROCKET_MATMUL_FP16_FP16 ? 0xa5a5 : 0xa5a5a5a5;
	int bits = p->type == DRM_ROCKET_MATMUL_FP16_FP16 ? 16 : 32;
	uint32_t got = c_element(r, i, j), want, zero_mask = 1u << (bits - 1);
	bool inexact, bad = false;
	double abs_sum;

	want = reference(r, i, j, &inexact, &abs_sum);
	r->checked++;
	if (p->type == DRM_ROCKET_MATMUL_INT8_INT32) {
		bad = got != want;
	} else if ((got & ~zero_mask) == 0 && (want & ~zero_mask) == 0) {
		bad = false;	/* +0 and -0 */
	} else if (p->data == DATA_INT) {
		/* exact sums: equal, or one ulp off where the output had to round */
		if (got != want) {
			if (inexact && ulp_distance(got, want, bits) == 1)
				r->rounded_diff++;
			else
				bad = true;
		}
	} else {
		double g = bits == 16 ? fp16_double((uint16_t)got) : fp32_double(got);
		double w = bits == 16 ? fp16_double((uint16_t)want) : fp32_double(want);
		uint64_t ulps = ulp_distance(got, want, bits);
		double rel = abs_sum > 0 ? fabs(g - w) / abs_sum : fabs(g - w);

		if (got == want)
			r->rnd_equal++;
		else if (ulps == 1)
			r->rnd_ulp1++;
		if (ulps > r->rnd_max_ulp)
			r->rnd_max_ulp = ulps;
		if (rel > r->rnd_max_rel)
			r->rnd_max_rel = rel;
		/* any sane accumulation stays far inside 2^-8 of the sum of |a*b| */
		bad = isnan(g) || isinf(g) || fabs(g - w) > ldexp(abs_sum, -8) + ldexp(1, -24);
	}
	if (!bad)
		return;
	r->bad++;
	if (got == fill)
		r->untouched++;
	if (r->ndiffs < 8) {
		char gs[64], ws[64];

		value_text(p->type, got, gs, sizeof(gs));
		value_text(p->type, want, ws, sizeof(ws));
		sb_add(&r->diffs, "  C[%u][%u] = %s, expected %s%s\n", i, j, gs, ws,
		       got == fill ? " (never written: still the fill 0xa5)" : "");
		r->ndiffs++;
	}
}

/* Check every element, or, for a large product, a sample that touches every row and column. */
static void check_result(struct run *r)
{
	const struct product *p = r->p;
	uint64_t macs = (uint64_t)p->m * p->n * p->k, s = 0x9e3779b97f4a7c15ull ^ p->m;
	uint32_t i, j, t;

	r->total = (unsigned long long)p->m * p->n;
	if (macs <= (1ull << 24)) {
		for (i = 0; i < p->m; i++)
			for (j = 0; j < p->n; j++)
				check_element(r, i, j);
		snprintf(r->sampled, sizeof(r->sampled), "every element");
		return;
	}
	for (j = 0; j < p->n; j++) {
		check_element(r, 0, j);
		if (p->m > 1)
			check_element(r, p->m - 1, j);
		for (t = 0; t < 2 && p->m > 2; t++)
			check_element(r, 1 + rng_next(&s) % (p->m - 2), j);
	}
	for (i = 1; i + 1 < p->m; i++)
		for (t = 0; t < 2; t++)
			check_element(r, i, rng_next(&s) % p->n);
	snprintf(r->sampled, sizeof(r->sampled),
		 "a sample: rows 0 and %u whole, 2 random rows a column, 2 random columns a row",
		 p->m - 1);
}

static void fill_data(struct run *r, uint64_t seed)
{
	const struct product *p = r->p;
	size_t na = (size_t)p->m * p->k, nb = (size_t)p->k * p->n, i;
	uint64_t s = seed | 1;

	if (p->type == DRM_ROCKET_MATMUL_INT8_INT32) {
		int8_t *a = r->ha, *b = r->hb;

		for (i = 0; i < na; i++)
			a[i] = p->data == DATA_EXTREME ? -128 : (int8_t)(rng_next(&s) >> 56);
		for (i = 0; i < nb; i++)
			b[i] = p->data == DATA_EXTREME ? -128 : (int8_t)(rng_next(&s) >> 56);
		rocket_matmul_pack_a_int8(r->a.map, a, p->m, p->k);
		rocket_matmul_pack_b_int8(r->b.map, b, p->k, p->n);
		return;
	}
	for (i = 0; i < na + nb; i++) {
		uint16_t *x = i < na ? (uint16_t *)r->ha + i : (uint16_t *)r->hb + (i - na);
		uint64_t v = rng_next(&s);

		if (p->data == DATA_INT)
			*x = fp16_of_int((int)(v % 9) - 4);
		else	/* +-[2^-6, 2): every mantissa bit used */
			*x = (uint16_t)((v >> 63) << 15 | (9 + (v >> 8) % 7) << 10 | (v & 0x3ff));
	}
	rocket_matmul_pack_a_fp16(r->a.map, r->ha, p->m, p->k);
	rocket_matmul_pack_b_fp16(r->b.map, r->hb, p->k, p->n);
}

/* ---------------------------------------------------------------------- */
/* One product                                                              */

static void run_free(struct run *r)
{
	bo_free(&r->a);
	bo_free(&r->b);
	bo_free(&r->c);
	free(r->ha);
	free(r->hb);
	free(r->diffs.p);
	memset(r, 0, sizeof(*r));
}

static const char *errname(int err)
{
	switch (err) {
	case 0:
		return "0";
	case EIO:
		return "-EIO";
	case ETIMEDOUT:
		return "-ETIMEDOUT";
	case EBUSY:
		return "-EBUSY";
	case EINVAL:
		return "-EINVAL";
	case E2BIG:
		return "-E2BIG";
	case ENOENT:
		return "-ENOENT";
	case ENOMEM:
		return "-ENOMEM";
	case ENOTTY:
		return "-ENOTTY";
	case EFAULT:
		return "-EFAULT";
	default:
		return strerror(err);
	}
}

static void plan_text(struct sbuf *b, const struct kit_plan *plan)
{
	uint32_t j;

	sb_add(b, "plan (the kit's copy of the planner): %u job(s), %u task(s), %u run(s)\n",
	       plan->job_count, plan->task_count, plan->run_count);
	for (j = 0; j < plan->job_count; j++) {
		const struct kit_job *x = &plan->jobs[j];

		sb_add(b, "  job %u on core %u: rows %u+%u, columns %u+%u; tasks of %ux%u, "
		       "%u row x %u column slices", j, x->core, x->m0, x->m, x->n0, x->n,
		       x->task_m, x->task_n, x->row_slices, x->col_slices);
		if (x->segments > 1)
			sb_add(b, " in each of %u segments of K (%u deep, the last the rest), "
			       "%u DPU-only add tasks after each but the first", x->segments,
			       x->seg_k, x->add_tasks);
		sb_add(b, " = %u tasks; DATA_BANK %u; WEIGHT_REUSE %s; %u run(s) of up to %u "
		       "tasks\n", x->task_count, x->data_banks, x->weight_reuse ? "yes" : "no",
		       x->runs, x->run_tasks);
	}
}

static void regcmd_text(struct sbuf *b, uint32_t job, uint32_t index)
{
	uint64_t e[KIT_TASK_ENTRIES + 2];
	struct kit_task t;
	int n = kit_task(job, index, &t, e, KIT_TASK_ENTRIES + 2), i;

	if (n < 0) {
		sb_add(b, "  (the kit's encoder failed: %d)\n", n);
		return;
	}
	sb_add(b, "command list of job %u task %u%s: rows %u+%u, columns %u+%u, DATA_BANK %u, "
	       "WEIGHT_REUSE %u, predicted %.3f ms; %d entries (raw entry: target<<48 | "
	       "value<<16 | register)%s:\n", job, index,
	       t.add ? " (DPU-only add)" : "", t.m0, t.m, t.n0, t.n, t.data_banks,
	       t.weight_reuse, t.predicted_ns / 1e6, n,
	       t.add || t.seg ? "; scratch addresses relative to 0" : "");
	for (i = 0; i < n; i++) {
		uint32_t target = (uint32_t)(e[i] >> 48), value = (uint32_t)(e[i] >> 16);
		uint32_t reg = (uint32_t)(e[i] & 0xffff);
		const char *name = kit_regname(reg);

		if (target == 0x0041)
			name = "(marker)";
		sb_add(b, "  [%3d] 0x%016llx  %04x %-36s = 0x%08x\n", i, (unsigned long long)e[i],
		       target, name ? name : "?", value);
	}
}

/* What the log says about the cores since @from (a position in kit.klog). */
static void log_cores(struct sbuf *b, size_t from, bool failing[32])
{
	char *s = kit.klog.p ? strndup(kit.klog.p + from, kit.klog.len - from) : NULL;
	char *line, *save = NULL;
	unsigned int n = 0;

	for (line = s ? strtok_r(s, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		char dev[64];
		const char *p = strstr(line, "] rocket ");
		int core;

		if (!p || sscanf(p, "] rocket %63[^:]:", dev) != 1)
			continue;
		core = core_of_dev(dev);
		n++;
		sb_add(b, "  %s%s\n", line, core >= 0 ? "" : " (device not among the cores)");
		if (core >= 0 && (strstr(p, "timed out") || strstr(p, "hang") ||
				  strstr(p, "fault") || strstr(p, "ended")))
			failing[core] = true;
	}
	if (!n)
		sb_add(b, "  (none%s)\n", kit.kmsg < 0 ? ": the kernel log was not readable" : "");
	free(s);
}

/* The failure section for a product that failed. */
static void failure_write(int step, struct run *r, const char *what, size_t klog_from)
{
	struct sbuf *b = &kit.sec[S_FAILURE];
	bool failing[32] = { false };
	uint32_t j, shown = 0;

	sb_clear(b);
	sb_add(b, "step: %d %s\n", step + 1, steps[step].name);
	sb_add(b, "product: %s\n", r->p->label);
	sb_add(b, "what failed: %s\n", what);
	sb_add(b, "BOs: A handle %u at NPU 0x%08llx (%u bytes), B handle %u at NPU 0x%08llx "
	       "(%u bytes), C handle %u at NPU 0x%08llx (%u bytes)\n",
	       r->a.create.handle, (unsigned long long)r->a.create.dma_address, r->a.create.size,
	       r->b.create.handle, (unsigned long long)r->b.create.dma_address, r->b.create.size,
	       r->c.create.handle, (unsigned long long)r->c.create.dma_address, r->c.create.size);
	sb_add(b, "MATMUL ioctl: %s in %.6f s\n", errname(r->matmul_ret), r->ioctl_s);
	if (!r->matmul_ret) {
		sb_add(b, "PREP_BO on C: %s after %.3f s (the kit waits at most %.3f s: the "
		       "kernel's job timeout %ld ms per run of the busiest core, plus one, plus 1 s)\n",
		       errname(-r->prep_ret), r->wait_s, r->limit_s, kit.job_timeout_ms);
		if (r->prep_ret == -EIO)
			sb_add(b, "  -EIO: a job of the product failed: the kernel's job timeout "
			       "(%ld ms) expired, or the core was reset, before it completed\n",
			       kit.job_timeout_ms);
		if (r->prep_ret == -ETIMEDOUT)
			sb_add(b, "  -ETIMEDOUT: not even the kernel's job timeout ended the job in "
			       "that time; a second wait gave %s after %.3f s more\n",
			       errname(-r->prep2_ret), r->wait2_s);
	}
	if (r->plan_ret)
		sb_add(b, "the kit's copy of the planner: %s (%s)\n", errname(-r->plan_ret),
		       r->plan_reason);
	else
		plan_text(b, &r->plan);

	sb_add(b, "kernel log lines of the cores since the product started:\n");
	log_cores(b, klog_from, failing);

	if (r->bad) {
		sb_add(b, "result: %llu of %llu checked elements differ (%s); %llu of them never "
		       "written (still the fill 0xa5); first ones:\n%s", r->bad, r->checked,
		       r->sampled, r->untouched, r->diffs.p ? r->diffs.p : "");
	} else if (!r->matmul_ret) {
		sb_add(b, "result: not read (the product did not complete)\n");
	}

	if (r->plan_ret)
		return;
	sb_add(b, "command lists the kernel wrote (re-encoded by the kit's copy of the encoder "
	       "for the same BO addresses; the same as the kernel's if it runs this series)%s:\n",
	       r->plan.task_count > 1 ? "; for each job on a core the log names (every job if "
	       "it names none): the first task of each of its runs, at most 4" : "");
	for (j = 0; j < r->plan.job_count; j++) {
		const struct kit_job *x = &r->plan.jobs[j];
		bool any = false;
		uint32_t c, run;

		for (c = 0; c < 32; c++)
			any |= failing[c];
		if (any && !failing[x->core])
			continue;
		for (run = 0; run < x->runs && run < 4; run++) {
			regcmd_text(b, j, run * x->run_tasks);
			shown++;
		}
	}
	if (!shown)
		sb_add(b, "  (none)\n");
}

/* The IOMMU lines of the kernel log since the kit started. */
static void iommu_write(void)
{
	struct sbuf *b = &kit.sec[S_IOMMU];
	char *s = kit.klog.p ? strdup(kit.klog.p) : NULL;
	char *line, *save = NULL;
	unsigned int n = 0;

	sb_clear(b);
	for (line = s ? strtok_r(s, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save))
		if (strcasestr(line, "iommu") || strcasestr(line, "page fault") ||
		    strcasestr(line, "rk_iommu")) {
			sb_add(b, "%s\n", line);
			n++;
		}
	if (!n)
		sb_add(b, "none: no IOMMU line in the kernel log since the kit started%s\n",
		       kit.kmsg < 0 ? " (the log was not readable)" : "");
	free(s);
}

/* Evidence from a product that completed and was right. */
static void evidence_add(const struct run *r)
{
	const struct product *p = r->p;
	struct evidence *ev = &kit.ev;
	uint32_t j, t;

	for (j = 0; j < r->plan.job_count; j++) {
		const struct kit_job *x = &r->plan.jobs[j];

		if (x->core < 32)
			ev->core_ok[x->core]++;
		for (t = 0; t < x->task_count; t++) {
			struct kit_task task;

			if (kit_task(j, t, &task, NULL, 0))
				continue;
			if (task.add) {
				ev->add_tasks_ok++;
				ev->notched_adds_ok += task.m < p->m;
				ev->tasks_ok++;
				continue;
			}
			if (!ev->min_rows || task.m < ev->min_rows)
				ev->min_rows = task.m;
			if (task.m > ev->max_rows)
				ev->max_rows = task.m;
			ev->reuse_tasks += task.weight_reuse;
			if (task.data_banks > ev->max_data_banks)
				ev->max_data_banks = task.data_banks;
			ev->tasks_ok++;
		}
	}
	if (p->k > 8192) {
		ev->split_ok++;
		if (p->k > ev->split_max_k)
			ev->split_max_k = p->k;
		ev->split_extreme_ok |= p->data == DATA_EXTREME;
	}
	if (p->m == 1)
		ev->m1_ok++;
	if (p->type == DRM_ROCKET_MATMUL_FP16_FP16)
		ev->fp16_out_ok++;
	else if (p->type == DRM_ROCKET_MATMUL_FP16_FP32)
		ev->fp32_out_ok++;
	else
		ev->int32_out_ok++;
	ev->exact_rounded_diff += r->rounded_diff;
	if (p->data == DATA_FRACTION) {
		int o = p->type == DRM_ROCKET_MATMUL_FP16_FP16;

		ev->rnd_elems[o] += r->checked;
		ev->rnd_equal[o] += r->rnd_equal;
		ev->rnd_ulp1[o] += r->rnd_ulp1;
		if (r->rnd_max_ulp > ev->rnd_max_ulp[o])
			ev->rnd_max_ulp[o] = r->rnd_max_ulp;
	}
}

static void sim_inject_hang(int step)
{
	FILE *f;

	if (kit.sim_hang_at != step || kit.hang_armed)
		return;
	kit.hang_armed = 1;
	f = fopen("/sys/kernel/debug/rocket_sim/hang_tasks", "w");
	if (!f || fprintf(f, "1\n") < 0 || fclose(f)) {
		step_say(step, "  (could not arm the simulator's hang_tasks)\n");
		return;
	}
	step_say(step, "  fault injection: the simulated NPU's next task hangs (hang_tasks = 1)\n");
}

/*
 * Run product @p of @step: BOs, data, MATMUL, wait, check. Returns 0 if it
 * did what it must (completed and right, or refused as expected); on
 * failure writes the failure section and returns -1. @r is left for the
 * caller (timings) and freed by it.
 */
static int run_product(int step, const struct product *p, uint64_t seed, struct run *r)
{
	uint32_t in_b = p->type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2;
	size_t a_size = rocket_matmul_a_size(p->m, p->k, p->type);
	size_t b_size = rocket_matmul_b_size(p->k, p->n, p->type);
	size_t c_size = rocket_matmul_c_size(p->m, p->n, p->type);
	struct drm_rocket_matmul args = { 0 };
	uint32_t busiest = 0, j;
	size_t klog_from;
	char what[512];
	double t;

	memset(r, 0, sizeof(*r));
	r->p = p;
	snprintf(kit.running, sizeof(kit.running), "step %d %s, product %s", step + 1,
		 steps[step].name, p->label);
	report_write();
	klog_from = kit.klog.len;

	if (bo_new(&r->a, a_size) || bo_new(&r->b, b_size) || bo_new(&r->c, c_size)) {
		snprintf(what, sizeof(what), "BO of %zu bytes for A, B or C: %s",
			 r->a.map ? r->b.map ? c_size : b_size : a_size, strerror(errno));
		goto fail;
	}
	r->ha = malloc((size_t)p->m * p->k * in_b);
	r->hb = malloc((size_t)p->k * p->n * in_b);
	if (!r->ha || !r->hb) {
		snprintf(what, sizeof(what), "host memory for the inputs");
		goto fail;
	}
	if (bo_prep(&r->a, 0) || bo_prep(&r->b, 0) || bo_prep(&r->c, 0)) {
		snprintf(what, sizeof(what), "PREP_BO of a new BO: %s", strerror(errno));
		goto fail;
	}
	fill_data(r, seed);
	memset(r->c.map, 0xa5, c_size);
	if (bo_fini(&r->a) || bo_fini(&r->b) || bo_fini(&r->c)) {
		snprintf(what, sizeof(what), "FINI_BO: %s", strerror(errno));
		goto fail;
	}

	args.a_handle = r->a.create.handle;
	args.b_handle = r->b.create.handle;
	args.c_handle = r->c.create.handle;
	args.type = p->type;
	args.m = p->m;
	args.k = p->k;
	args.n = p->n;
	if (p->core >= 0) {
		args.flags = DRM_ROCKET_MATMUL_CORE_MASK;
		args.core_mask = 1u << p->core;
	}
	r->mm = (struct kit_matmul){
		.type = p->type, .m = p->m, .k = p->k, .n = p->n,
		.flags = args.flags, .core_mask = args.core_mask,
		.a_size = r->a.create.size, .a_addr = r->a.create.dma_address,
		.b_size = r->b.create.size, .b_addr = r->b.create.dma_address,
		.c_size = r->c.create.size, .c_addr = r->c.create.dma_address,
	};
	r->plan_ret = kit_plan(&r->mm, kit.cores, &r->plan, &r->plan_reason);
	for (j = 0; j < r->plan.job_count; j++)
		if (r->plan.jobs[j].runs > busiest)
			busiest = r->plan.jobs[j].runs;
	r->limit_s = (kit.job_timeout_ms * (busiest + 1) + 1000) / 1e3;

	sim_inject_hang(step);
	report_write();		/* on disk before the NPU sees the product */
	t = now_s();
	r->matmul_ret = ioctl(kit.fd, DRM_IOCTL_ROCKET_MATMUL, &args) ? errno : 0;
	r->ioctl_s = now_s() - t;
	if (p->expect_err) {
		if (r->matmul_ret == p->expect_err && r->plan_ret == -p->expect_err)
			return 0;
		snprintf(what, sizeof(what), "MATMUL gave %s where the kernel must refuse the "
			 "product with %s (the kit's planner: %s, %s)", errname(r->matmul_ret),
			 errname(p->expect_err), errname(-r->plan_ret), r->plan_reason);
		goto fail;
	}
	if (r->matmul_ret) {
		snprintf(what, sizeof(what), "MATMUL refused the product: %s (the kit's copy of "
			 "the planner says %s: %s)", errname(r->matmul_ret), errname(-r->plan_ret),
			 r->plan_reason);
		goto fail;
	}
	r->prep_ret = bo_prep(&r->c, abs_timeout_ns((int64_t)(r->limit_s * SECOND_NS)));
	r->wait_s = now_s() - t;
	if (r->prep_ret == -ETIMEDOUT) {
		double t2 = now_s();

		/* let the kernel's own timeout end it, so that the log says what it did */
		r->prep2_ret = bo_prep(&r->c, abs_timeout_ns((kit.job_timeout_ms * 2 + 5000) * MS));
		r->wait2_s = now_s() - t2;
	}
	if (r->prep_ret) {
		snprintf(what, sizeof(what), "the product did not complete: PREP_BO on C gave %s "
			 "after %.3f s%s", errname(-r->prep_ret), r->wait_s,
			 r->prep_ret == -EIO ? " (the kernel failed the job: timeout or reset)" :
			 r->prep_ret == -ETIMEDOUT ? " (the kit's wait ran out)" : "");
		goto fail;
	}
	check_result(r);
	bo_fini(&r->c);
	if (r->bad) {
		snprintf(what, sizeof(what), "wrong result: %llu of %llu checked elements differ "
			 "from the CPU reference", r->bad, r->checked);
		goto fail;
	}
	evidence_add(r);
	return 0;

fail:
	usleep(100000);	/* the log lines of a reset */
	klog_poll();
	failure_write(step, r, what, klog_from);
	snprintf(kit.fail_reason, sizeof(kit.fail_reason), "%s: %s", p->label, what);
	return -1;
}

/* MemAvailable of /proc/meminfo in bytes, 0 if unknown. */
static uint64_t mem_available(void)
{
	char *s = read_text("/proc/meminfo", NULL), *p;
	unsigned long long kb = 0;

	if (s && (p = strstr(s, "MemAvailable:")))
		sscanf(p, "MemAvailable: %llu kB", &kb);
	free(s);
	return kb * 1024;
}

/*
 * The software NPU computes some 0.02 (FP16) to 0.4 (INT8) GMAC/s in QEMU,
 * where the CPU reference is slow too: on it, the kit skips the products
 * beyond this many MACs or bytes of operands, which exist for silicon's
 * sizes and speed, not for the kit's own workings.
 */
#define SIM_MAX_MACS	(1ull << 30)
#define SIM_MAX_BYTES	(64ull << 20)

/* A product, reported as one line of its step; 1 if skipped on the simulated NPU. */
static int product_step(int step, struct product *p, uint64_t seed, struct run *keep)
{
	uint64_t macs = (uint64_t)p->m * p->k * p->n;
	uint64_t bytes = rocket_matmul_a_size(p->m, p->k, p->type) +
			 rocket_matmul_b_size(p->k, p->n, p->type) +
			 rocket_matmul_c_size(p->m, p->n, p->type);
	uint64_t avail, need;
	struct run r;
	int ret;

	if (kit.sim && !p->expect_err && (macs > SIM_MAX_MACS || bytes > SIM_MAX_BYTES)) {
		step_say(step, "  skip %-44s %.2f GMAC, %.0f MiB: beyond what the software NPU "
			 "computes in reasonable time (runs on silicon)\n", p->label, macs / 1e9,
			 bytes / 1048576.0);
		if (keep)
			memset(keep, 0, sizeof(*keep));
		return 1;
	}
	avail = mem_available();
	need = bytes + rocket_matmul_a_size(p->m, p->k, p->type) +
	       rocket_matmul_b_size(p->k, p->n, p->type);
	if (!p->expect_err && avail && need > avail / 10 * 7) {
		step_say(step, "  skip %-44s needs %.0f MiB of memory (its BOs and host copies), "
			 "%.0f MiB available\n", p->label, need / 1048576.0, avail / 1048576.0);
		if (keep)
			memset(keep, 0, sizeof(*keep));
		return 1;
	}
	ret = run_product(step, p, seed, &r);

	if (!ret && p->expect_err) {
		step_say(step, "  ok   %-44s refused with %s, as it must be (%s)\n", p->label,
			 errname(p->expect_err), r.plan_reason);
	} else if (!ret) {
		step_say(step, "  ok   %-44s %u task(s) %u run(s); queued in %.1f us, done in "
			 "%.3f ms; checked %llu of %llu (%s)%s\n", p->label, r.plan.task_count,
			 r.plan.run_count, r.ioctl_s * 1e6, r.wait_s * 1e3, r.checked, r.total,
			 r.checked == r.total ? "all" : "sample",
			 r.rounded_diff ? "; some sums rounded 1 ulp away from nearest-even" : "");
		if (p->data == DATA_FRACTION)
			step_say(step, "       rounding: %llu of %llu equal the exact sum rounded once, "
				 "%llu one ulp away, at most %llu ulp, at most %.3g of sum |a*b|\n",
				 r.rnd_equal, r.checked, r.rnd_ulp1, r.rnd_max_ulp, r.rnd_max_rel);
	} else {
		step_say(step, "  FAIL %-44s %s\n", p->label, kit.fail_reason + strlen(p->label) + 2);
	}
	if (keep)
		*keep = r;
	else
		run_free(&r);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The steps                                                                */

static int step_node(int step)
{
	struct drm_rocket_matmul zero = { 0 };
	struct sbuf cores = { 0 };
	int err;

	kit.fd = open_rocket(kit.node, sizeof(kit.node), kit.drv_version, sizeof(kit.drv_version));
	if (kit.fd < 0) {
		snprintf(kit.fail_reason, sizeof(kit.fail_reason),
			 "no /dev/accel/accel* node driven by rocket (%s; rocket module %s)",
			 access("/dev/accel", F_OK) ? "no /dev/accel: DRM_ACCEL off, or no driver" :
			 "accel nodes exist but none is rocket's, or no permission: run as root",
			 access("/sys/module/rocket", F_OK) ? "not loaded: modprobe rocket" :
			 "loaded");
		step_say(step, "  FAIL %s\n", kit.fail_reason);
		return -1;
	}
	step_say(step, "  node %s: driver rocket %s\n", kit.node, kit.drv_version);
	find_cores(&cores);
	step_say(step, "  cores: %d%s\n%s", kit.cores, kit.sim ? " (simulated)" : "",
		 cores.p ? cores.p : "");
	free(cores.p);
	if (kit.cores < 1) {
		snprintf(kit.fail_reason, sizeof(kit.fail_reason),
			 "no device bound to rocket in /sys/bus/platform/drivers/rocket");
		step_say(step, "  FAIL %s\n", kit.fail_reason);
		return -1;
	}
	/* A descriptor naming no BO: refused before anything reaches the NPU. */
	err = ioctl(kit.fd, DRM_IOCTL_ROCKET_MATMUL, &zero) ? errno : 0;
	if (err != ENOENT) {
		snprintf(kit.fail_reason, sizeof(kit.fail_reason),
			 "no MATMUL ioctl: a descriptor naming no BO gave %s, not -ENOENT: this "
			 "kernel's rocket (version %s) lacks the series; the kit needs it",
			 errname(err), kit.drv_version);
		step_say(step, "  FAIL %s\n", kit.fail_reason);
		return -1;
	}
	step_say(step, "  MATMUL ioctl: present (a descriptor naming no BO is refused with -ENOENT)\n");
	step_say(step, "  job timeout: %ld ms%s\n", kit.job_timeout_ms,
		 kit.sim ? " (rocket.sim_job_timeout_ms, or the driver's 500)" :
		 " (the driver's JOB_TIMEOUT_MS)");
	return 0;
}

static int step_bo(int step)
{
	static const uint32_t sizes[] = { 4096, 1 << 20, 16 << 20 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct bo bo;
		uint32_t w, *map;
		const char *why = NULL;

		if (bo_new(&bo, sizes[i])) {
			snprintf(kit.fail_reason, sizeof(kit.fail_reason),
				 "CREATE_BO or mmap of %u bytes: %s", sizes[i], strerror(errno));
			step_say(step, "  FAIL %s\n", kit.fail_reason);
			bo_free(&bo);
			return -1;
		}
		map = bo.map;
		if (bo_prep(&bo, 0))
			why = "PREP_BO of a new BO";
		for (w = 0; !why && w < sizes[i] / 4; w++)
			if (map[w])
				why = "a new BO is not zeroed";
		for (w = 0; !why && w < sizes[i] / 4; w++)
			map[w] = w * 2654435761u;
		if (!why && bo_fini(&bo))
			why = "FINI_BO";
		if (!why && bo_prep(&bo, 0))
			why = "PREP_BO after FINI_BO";
		for (w = 0; !why && w < sizes[i] / 4; w++)
			if (map[w] != w * 2654435761u)
				why = "the BO does not read back what was written";
		if (!why && (bo.create.dma_address & 15))
			why = "NPU address not 16-byte aligned";
		if (!why && bo.create.dma_address + sizes[i] > (1ull << 32))
			why = "NPU address above 4 GiB";
		if (why) {
			snprintf(kit.fail_reason, sizeof(kit.fail_reason), "BO of %u bytes: %s (%s)",
				 sizes[i], why, strerror(errno));
			step_say(step, "  FAIL %s\n", kit.fail_reason);
			bo_free(&bo);
			return -1;
		}
		step_say(step, "  ok   BO of %u bytes: handle %u, NPU address 0x%08llx, mmap, "
			 "write, read back\n", sizes[i], bo.create.handle,
			 (unsigned long long)bo.create.dma_address);
		bo_free(&bo);
	}
	return 0;
}

static void product_init(struct product *p, uint32_t type, uint32_t m, uint32_t k, uint32_t n,
			 int core, enum data_kind data, const char *note)
{
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->m = m;
	p->k = k;
	p->n = n;
	p->core = core;
	p->data = data;
	if (core >= 0)
		snprintf(p->label, sizeof(p->label), "%s %ux%ux%u core %d%s%s", type_name(type),
			 m, k, n, core, note ? " " : "", note ? note : "");
	else
		snprintf(p->label, sizeof(p->label), "%s %ux%ux%u all cores%s%s", type_name(type),
			 m, k, n, note ? " " : "", note ? note : "");
}

static int step_first(int step)
{
	struct product p;
	struct run r;
	int ret;

	product_init(&p, DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, 0, DATA_INT, NULL);
	ret = product_step(step, &p, kit.seed, &r);	/* 4096 MACs: never skipped */
	if (!ret) {
		kit.ev.first_completed = true;
		kit.ev.first_ms = r.wait_s * 1e3;
	}
	run_free(&r);
	return ret;
}

static int step_cores(int step)
{
	struct sbuf first_failure = { 0 };
	int core, failed = 0;
	char first[512] = "";

	/*
	 * Every core, even after one fails: the report then says which ones
	 * work. The matmul ioctl uses at most KIT_MAX_JOBS cores (RK3588's).
	 */
	if (kit.cores > KIT_MAX_JOBS)
		step_say(step, "  note: %d cores; the matmul ioctl uses the first %d\n", kit.cores,
			 KIT_MAX_JOBS);
	for (core = 0; core < kit.cores && core < KIT_MAX_JOBS; core++) {
		struct product p;

		product_init(&p, DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, core, DATA_INT, NULL);
		if (product_step(step, &p, kit.seed + core, NULL) < 0) {
			kit.ev.core_bad[core]++;
			if (!failed++) {
				snprintf(first, sizeof(first), "%s", kit.fail_reason);
				sb_add(&first_failure, "%s", kit.sec[S_FAILURE].p);
			}
		}
	}
	if (failed) {
		/* the failure section is the first failing core's */
		sb_clear(&kit.sec[S_FAILURE]);
		sb_add(&kit.sec[S_FAILURE], "%s", first_failure.p);
		snprintf(kit.fail_reason, sizeof(kit.fail_reason), "%d of %d cores failed; first: %s",
			 failed, kit.cores, first);
		free(first_failure.p);
		return -1;
	}
	return 0;
}

static int step_types(int step)
{
	static const uint32_t types[] = {
		DRM_ROCKET_MATMUL_INT8_INT32, DRM_ROCKET_MATMUL_FP16_FP32,
		DRM_ROCKET_MATMUL_FP16_FP16,
	};
	struct product p;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		product_init(&p, types[i], 4, 64, 64, 0, DATA_INT, NULL);
		if (product_step(step, &p, kit.seed + 100 + i, NULL) < 0)
			return -1;
	}
	/* FP16 with full mantissas: how the NPU rounds (the exact sum rounded once?) */
	for (i = 1; i < 3; i++) {
		product_init(&p, types[i], 16, 256, 64, 0, DATA_FRACTION, "(rounding probe)");
		if (product_step(step, &p, kit.seed + 200 + i, NULL) < 0)
			return -1;
	}
	return 0;
}

/*
 * The shape matrix, each shape for what it exercises (the plans are those
 * of the kernel's planner over three cores; over fewer the same shapes
 * run with other grids).
 */
static const struct {
	uint32_t type, m, k, n;
	int core;		/* -1: every core */
	const char *why;
} shapes[] = {
	{ DRM_ROCKET_MATMUL_INT8_INT32, 1, 32, 32, 0, "one row: the M = 1 surface stride" },
	{ DRM_ROCKET_MATMUL_FP16_FP16, 1, 1536, 256, -1, "one row, FP16 out, 3 cores" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 12, 96, 160, -1, "3 K blocks, 5 kernel groups" },
	{ DRM_ROCKET_MATMUL_FP16_FP32, 36, 160, 48, -1, "FP16, 3 kernel groups" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 1020, 64, 64, 0, "1020 rows: FEATURE_GRAINS 1021" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 4096, 64, 64, -1, "row slices, WEIGHT_REUSE" },
	{ DRM_ROCKET_MATMUL_FP16_FP16, 4096, 96, 32, 0, "5 row slices, WEIGHT_REUSE" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 680, 512, 64, 0, "A tile in 11 CBUF banks" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 4, 8192, 64, -1, "the largest K" },
	{ DRM_ROCKET_MATMUL_FP16_FP32, 4, 8192, 32, -1, "the largest K in FP16" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 64, 256, 3072, -1, "columns over the cores" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 3072, 128, 96, -1, "rows over the cores" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 8, 64, 8448, 0, "2 column slices" },
};

static int step_shapes(int step)
{
	unsigned int i;

	for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct product p;
		char note[80];

		snprintf(note, sizeof(note), "(%s)", shapes[i].why);
		product_init(&p, shapes[i].type, shapes[i].m, shapes[i].k, shapes[i].n,
			     shapes[i].core, DATA_INT, note);
		if (product_step(step, &p, kit.seed + 300 + i, NULL) < 0)
			return -1;
	}
	return 0;
}

/* Qwen2.5-1.5B: hidden 1536, FFN 8960, 2 KV heads of 128, vocabulary 151936. */
static const struct {
	const char *names;
	uint32_t k, n;
	int expect_err;
} qwen[] = {
	{ "q_proj/o_proj", 1536, 1536, 0 },
	{ "k_proj/v_proj", 1536, 256, 0 },
	{ "gate_proj/up_proj", 1536, 8960, 0 },
	{ "down_proj", 8960, 1536, 0 },	/* K split: INT8 only, FP16 refused (-E2BIG) */
	{ "lm_head", 1536, 151936, 0 },
};

static int step_qwen(int step)
{
	static const uint32_t types[] = {
		DRM_ROCKET_MATMUL_INT8_INT32, DRM_ROCKET_MATMUL_FP16_FP16,
	};
	static const uint32_t ms[] = { 1, 512 };
	unsigned int s, t, i;

	for (i = 0; i < 2; i++)
		for (s = 0; s < sizeof(qwen) / sizeof(qwen[0]); s++)
			for (t = 0; t < 2; t++) {
				struct product p;
				char note[64];

				snprintf(note, sizeof(note), "(%s)", qwen[s].names);
				product_init(&p, types[t], ms[i], qwen[s].k, qwen[s].n, -1, DATA_INT,
					     note);
				p.expect_err = qwen[s].expect_err;
				if (qwen[s].k > 8192 && types[t] != DRM_ROCKET_MATMUL_INT8_INT32)
					p.expect_err = E2BIG;
				if (product_step(step, &p, kit.seed + 400 + s * 4 + t * 2 + i,
						 NULL) < 0)
					return -1;
			}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The DPU-only FP32 add probe (step split-k)                               */

/*
 * The kernel refuses FP16 products with K above 8192: no public
 * silicon-tested source gives the register set of a DPU-only FP32 add, nor
 * how it rounds (matmul.rst, "K above 8192"). This probe sends ONE such add
 * through DRM_IOCTL_ROCKET_SUBMIT: the kernel's INT32 add task (the kit's
 * copy of its encoder) with the FP32 precision codes in place of INT32's,
 * over FP32 operands chosen to tell the roundings apart, and compares the
 * result bit by bit with three CPU references. It is the only command list
 * the kit writes itself; it reads and writes only the three BOs it creates
 * (checked before it is sent).
 */
enum fp_round { RND_NE, RND_TZ, RND_HA, RND_COUNT };

static const char *const rnd_names[RND_COUNT] = {
	"round to nearest, ties to even", "round toward zero",
	"round to nearest, ties away from zero",
};

static const char *const rnd_short[RND_COUNT] = { "RNE", "RTZ", "RHA" };

#define FP32_QNAN	0x7fc00000u
#define FP32_INF	0x7f800000u
#define FP32_MAX	0x7f7fffffu
#define FP32_SIGN	0x80000000u

static bool fp32_isnan(uint32_t x)
{
	return (x & ~FP32_SIGN) > FP32_INF;
}

/* sign | mag * 2^e rounded to FP32 with @mode (mag non-zero). */
static uint32_t fp32_round(uint32_t sign, unsigned __int128 mag, int e, enum fp_round mode)
{
	unsigned __int128 q, rem, half;
	int msb = 127, shift;

	while (!((mag >> msb) & 1))
		msb--;
	/* the quantum: 24 significant bits, and never below 2^-149 */
	shift = msb - 23;
	if (e + shift < -149)
		shift = -149 - e;
	if (shift > 0) {
		q = mag >> shift;
		rem = mag & (((unsigned __int128)1 << shift) - 1);
		half = (unsigned __int128)1 << (shift - 1);
		if ((mode == RND_NE && (rem > half || (rem == half && (q & 1)))) ||
		    (mode == RND_HA && rem >= half))
			q++;
	} else {
		q = mag << -shift;
	}
	e += shift;			/* the value is q * 2^e */
	if (q >> 24) {			/* rounded up to 2^24: exact */
		q >>= 1;
		e++;
	}
	if (q >= 1u << 23) {		/* normal */
		int biased = e + 23 + 127;

		if (biased >= 255)
			return sign | (mode == RND_TZ ? FP32_MAX : FP32_INF);
		return sign | (uint32_t)biased << 23 | ((uint32_t)q & 0x7fffff);
	}
	return sign | (uint32_t)q;	/* subnormal (e is -149), or 2^-126 */
}

/* A finite x as m * 2^e. */
static void fp32_parts(uint32_t x, uint32_t *m, int *e)
{
	uint32_t ex = (x >> 23) & 0xff;

	*m = x & 0x7fffff;
	if (ex) {
		*m |= 0x800000;
		*e = (int)ex - 150;
	} else {
		*e = -149;
	}
}

/*
 * a + b, computed exactly and rounded once to FP32 with @mode: the CPU
 * reference of the probe. Subnormals are kept (no flush to zero); a NaN
 * result is the quiet NaN 0x7fc00000 (the probe compares NaNs as NaNs); an
 * exact zero sum of non-zero operands is +0, -0 + -0 is -0.
 */
static uint32_t fp32_add_ref(uint32_t a, uint32_t b, enum fp_round mode)
{
	uint32_t sa = a & FP32_SIGN, sb = b & FP32_SIGN, ma, mb, ts;
	__int128 va, vb, sum;
	int ea, eb, d, te;

	if (fp32_isnan(a) || fp32_isnan(b))
		return FP32_QNAN;
	if ((a & ~FP32_SIGN) == FP32_INF || (b & ~FP32_SIGN) == FP32_INF) {
		if ((a & ~FP32_SIGN) == FP32_INF && (b & ~FP32_SIGN) == FP32_INF && sa != sb)
			return FP32_QNAN;
		return (a & ~FP32_SIGN) == FP32_INF ? a : b;
	}
	fp32_parts(a, &ma, &ea);
	fp32_parts(b, &mb, &eb);
	if (!ma && !mb)
		return sa & sb;
	if (!ma)
		return b;
	if (!mb)
		return a;
	if (ea < eb) {
		ts = sa, sa = sb, sb = ts;
		ts = ma, ma = mb, mb = ts;
		te = ea, ea = eb, eb = te;
	}
	/*
	 * Exact in 128 bits with b at most 64 bits below a: further down, b
	 * (below 2^-40 of a's ulp) rounds as any other value of its sign that
	 * small would, 2^-64 of a's ulp here.
	 */
	d = ea - eb;
	if (d > 64) {
		mb = 1;
		eb = ea - 64;
		d = 64;
	}
	va = (__int128)ma << d;
	vb = mb;
	sum = (sa ? -va : va) + (sb ? -vb : vb);
	if (!sum)
		return 0;
	return fp32_round(sum < 0 ? FP32_SIGN : 0,
			  sum < 0 ? -(unsigned __int128)sum : (unsigned __int128)sum, eb, mode);
}

/* Equal as the probe compares: bit for bit, any NaN equal to any NaN. */
static bool fp32_same(uint32_t got, uint32_t want)
{
	return got == want || (fp32_isnan(got) && fp32_isnan(want));
}

/*
 * The probe's chosen operands and, for each rounding, their sum, worked
 * out by hand (the references are checked against them before the probe
 * runs). The other elements are random pairs a few binades apart.
 */
static const struct fp32_case {
	const char *what;
	uint32_t a, b, want[RND_COUNT];
} fp32_cases[] = {
	{ "exact 1 + 2", 0x3f800000, 0x40000000, { 0x40400000, 0x40400000, 0x40400000 } },
	{ "exact 0.5 + 0.25", 0x3f000000, 0x3e800000, { 0x3f400000, 0x3f400000, 0x3f400000 } },
	{ "exact -3 + 1", 0xc0400000, 0x3f800000, { 0xc0000000, 0xc0000000, 0xc0000000 } },
	{ "exact 2^20 + 1", 0x49800000, 0x3f800000, { 0x49800008, 0x49800008, 0x49800008 } },
	{ "exact cancellation 1+ulp - 1", 0x3f800001, 0xbf800000,
	  { 0x34000000, 0x34000000, 0x34000000 } },
	{ "tie, even below: 1 + 2^-24", 0x3f800000, 0x33800000,
	  { 0x3f800000, 0x3f800000, 0x3f800001 } },
	{ "tie, odd below: 1+2^-23 + 2^-24", 0x3f800001, 0x33800000,
	  { 0x3f800002, 0x3f800001, 0x3f800002 } },
	{ "tie, negative: -1 - 2^-24", 0xbf800000, 0xb3800000,
	  { 0xbf800000, 0xbf800000, 0xbf800001 } },
	{ "tie, negative odd: -(1+2^-23) - 2^-24", 0xbf800001, 0xb3800000,
	  { 0xbf800002, 0xbf800001, 0xbf800002 } },
	{ "tie by cancellation: 1 - 2^-25", 0x3f800000, 0xb3000000,
	  { 0x3f800000, 0x3f7fffff, 0x3f800000 } },
	{ "tie of integers: 2^24 + 1", 0x4b800000, 0x3f800000,
	  { 0x4b800000, 0x4b800000, 0x4b800001 } },
	{ "tie of integers: 2^24 + 3", 0x4b800000, 0x40400000,
	  { 0x4b800002, 0x4b800001, 0x4b800002 } },
	{ "tie: 3 + 2^-23", 0x40400000, 0x34000000, { 0x40400000, 0x40400000, 0x40400001 } },
	{ "above half: 1 + 1.5 * 2^-24", 0x3f800000, 0x33c00000,
	  { 0x3f800001, 0x3f800000, 0x3f800001 } },
	{ "just above half: 1 + 2^-24 (1 + 2^-23)", 0x3f800000, 0x33800001,
	  { 0x3f800001, 0x3f800000, 0x3f800001 } },
	{ "below half: 1 + 2^-25", 0x3f800000, 0x33000000,
	  { 0x3f800000, 0x3f800000, 0x3f800000 } },
	{ "sticky: -1 + 2^-149", 0xbf800000, 0x00000001, { 0xbf800000, 0xbf7fffff, 0xbf800000 } },
	{ "sticky: 2^31 - 2^-24", 0x4f000000, 0xb3800000, { 0x4f000000, 0x4effffff, 0x4f000000 } },
	{ "sticky: 1 + 2^-149", 0x3f800000, 0x00000001, { 0x3f800000, 0x3f800000, 0x3f800000 } },
	{ "overflow: max + max", 0x7f7fffff, 0x7f7fffff, { 0x7f800000, 0x7f7fffff, 0x7f800000 } },
	{ "overflow at a tie: max + 2^103", 0x7f7fffff, 0x73000000,
	  { 0x7f800000, 0x7f7fffff, 0x7f800000 } },
	{ "no overflow: max + 2^102", 0x7f7fffff, 0x72800000,
	  { 0x7f7fffff, 0x7f7fffff, 0x7f7fffff } },
	{ "overflow: -max - max", 0xff7fffff, 0xff7fffff, { 0xff800000, 0xff7fffff, 0xff800000 } },
	{ "inf + 1", 0x7f800000, 0x3f800000, { 0x7f800000, 0x7f800000, 0x7f800000 } },
	{ "-inf - 1", 0xff800000, 0xbf800000, { 0xff800000, 0xff800000, 0xff800000 } },
	{ "inf + inf", 0x7f800000, 0x7f800000, { 0x7f800000, 0x7f800000, 0x7f800000 } },
	{ "inf - inf: NaN", 0x7f800000, 0xff800000, { FP32_QNAN, FP32_QNAN, FP32_QNAN } },
	{ "quiet NaN + 1", 0x7fc00000, 0x3f800000, { FP32_QNAN, FP32_QNAN, FP32_QNAN } },
	{ "1 + NaN with a payload", 0x3f800000, 0x7fc12345, { FP32_QNAN, FP32_QNAN, FP32_QNAN } },
	{ "signalling NaN + 0", 0x7f800001, 0x00000000, { FP32_QNAN, FP32_QNAN, FP32_QNAN } },
	{ "subnormals: 2^-149 + 2^-149", 0x00000001, 0x00000001,
	  { 0x00000002, 0x00000002, 0x00000002 } },
	{ "subnormal sum: 2^-126 - 2^-149", 0x00800000, 0x80000001,
	  { 0x007fffff, 0x007fffff, 0x007fffff } },
	{ "subnormals to a normal", 0x00400000, 0x00400000, { 0x00800000, 0x00800000, 0x00800000 } },
	{ "normal to a subnormal", 0x00c00000, 0x80800000, { 0x00400000, 0x00400000, 0x00400000 } },
	{ "subnormal cancellation", 0x00000003, 0x80000003, { 0x00000000, 0x00000000, 0x00000000 } },
	{ "-0 + -0", 0x80000000, 0x80000000, { 0x80000000, 0x80000000, 0x80000000 } },
	{ "-0 + +0", 0x80000000, 0x00000000, { 0x00000000, 0x00000000, 0x00000000 } },
	{ "+0 + -0", 0x00000000, 0x80000000, { 0x00000000, 0x00000000, 0x00000000 } },
	{ "1 - 1", 0x3f800000, 0xbf800000, { 0x00000000, 0x00000000, 0x00000000 } },
	{ "-0 + 1", 0x80000000, 0x3f800000, { 0x3f800000, 0x3f800000, 0x3f800000 } },
	{ "-0 - 2^-149", 0x80000000, 0x80000001, { 0x80000001, 0x80000001, 0x80000001 } },
	{ "1e30 - 1e30", 0x7149f2ca, 0xf149f2ca, { 0x00000000, 0x00000000, 0x00000000 } },
};

#define N_FP32_CASES	(sizeof(fp32_cases) / sizeof(fp32_cases[0]))

/* A random finite FP32 and a second one 0 to 26 binades below it, either sign. */
static void fp32_random_pair(uint64_t *s, uint32_t *a, uint32_t *b)
{
	uint64_t v = rng_next(s), w = rng_next(s);
	uint32_t ea = 100 + v % 54, eb = ea - (uint32_t)(w % 27);

	*a = (uint32_t)(v >> 63) << 31 | ea << 23 | ((uint32_t)(v >> 8) & 0x7fffff);
	*b = (uint32_t)(w >> 63) << 31 | eb << 23 | ((uint32_t)(w >> 8) & 0x7fffff);
}

/*
 * The references against the hand-worked cases, and round to nearest even
 * and toward zero against this CPU's own FP32 additions (IEEE 754 in
 * hardware) over @n random pairs and every case. Returns 0, or -1 with
 * @why.
 */
static int fp32_ref_selftest(unsigned int n, char *why, size_t len)
{
	static const int modes[2] = { FE_TONEAREST, FE_TOWARDZERO };
	uint64_t s = 0x5eed5eedull;
	unsigned int i, r, m;

	for (i = 0; i < N_FP32_CASES; i++)
		for (r = 0; r < RND_COUNT; r++) {
			uint32_t got = fp32_add_ref(fp32_cases[i].a, fp32_cases[i].b, r);

			if (got != fp32_cases[i].want[r]) {
				snprintf(why, len, "case '%s', %s: the reference gives 0x%08x, the "
					 "worked-out sum is 0x%08x", fp32_cases[i].what,
					 rnd_short[r], got, fp32_cases[i].want[r]);
				return -1;
			}
		}
	for (m = 0; m < 2; m++) {
		int old = fegetround(), bad = 0;
		uint32_t a = 0, b = 0, want = 0, got = 0;

		if (fesetround(modes[m])) {
			snprintf(why, len, "fesetround(%s) failed", rnd_short[m ? RND_TZ : RND_NE]);
			return -1;
		}
		for (i = 0; i < n + N_FP32_CASES && !bad; i++) {
			volatile float x, y, z;
			float fz;

			if (i < N_FP32_CASES) {
				a = fp32_cases[i].a;
				b = fp32_cases[i].b;
			} else if (i % 4 == 0) {	/* any bits: NaNs, infinities, subnormals */
				uint64_t v = rng_next(&s);

				a = (uint32_t)v;
				b = (uint32_t)(v >> 32);
			} else {
				fp32_random_pair(&s, &a, &b);
				if (i % 4 == 1) {	/* tiny ones: subnormal sums */
					a = (a & 0x807fffffu) | (a >> 23 & 3) << 23;
					b = (b & 0x807fffffu) | (b >> 23 & 1) << 23;
				}
			}
			memcpy((float *)&fz, &a, 4);
			x = fz;
			memcpy((float *)&fz, &b, 4);
			y = fz;
			z = x + y;
			fz = z;
			memcpy(&got, &fz, 4);
			want = fp32_add_ref(a, b, m ? RND_TZ : RND_NE);
			bad = !fp32_same(got, want);
		}
		fesetround(old);
		if (bad) {
			snprintf(why, len, "0x%08x + 0x%08x: the reference's %s gives 0x%08x, this "
				 "CPU's FP32 addition 0x%08x", a, b, rnd_short[m ? RND_TZ : RND_NE],
				 want, got);
			return -1;
		}
	}
	/* ties away differs from ties to even only at ties, by one step away from 0 */
	for (i = 0; i < n; i++) {
		uint32_t a, b, ne, ha;

		fp32_random_pair(&s, &a, &b);
		ne = fp32_add_ref(a, b, RND_NE);
		ha = fp32_add_ref(a, b, RND_HA);
		if (ha != ne && (ha != ne + 1 || (ne & 1))) {
			snprintf(why, len, "0x%08x + 0x%08x: ties away gives 0x%08x, ties to even "
				 "0x%08x: not one step away from an even result", a, b, ha, ne);
			return -1;
		}
	}
	return 0;
}

/* The probe's data: n elements a + b, their names, the references. */
#define PROBE_ROWS	4
#define PROBE_COLS	32
#define PROBE_ELEMS	(PROBE_ROWS * PROBE_COLS)
#define PROBE_WAIT_MS	2000
/* On the simulated NPU a refused task holds its core until the job timeout. */
#define PROBE_SIM_MAX_TIMEOUT_MS	5000

struct probe_data {
	uint32_t a[PROBE_ELEMS], b[PROBE_ELEMS], got[PROBE_ELEMS];
	const char *what[PROBE_ELEMS];
};

static void probe_fill(struct probe_data *d, uint64_t seed)
{
	uint64_t s = seed | 1;
	unsigned int i;

	for (i = 0; i < PROBE_ELEMS; i++) {
		if (i < N_FP32_CASES) {
			d->a[i] = fp32_cases[i].a;
			d->b[i] = fp32_cases[i].b;
			d->what[i] = fp32_cases[i].what;
		} else {
			fp32_random_pair(&s, &d->a[i], &d->b[i]);
			d->what[i] = "random pair";
		}
	}
}

/* Byte offset of element i (row i / cols, column i % cols) in C's INT32/FP32 layout. */
static size_t probe_offset(unsigned int i)
{
	uint32_t m = i / PROBE_COLS, n = i % PROBE_COLS;

	return ((size_t)(n / 4) * PROBE_ROWS * 4 + m * 4 + n % 4) * 4;
}

static uint32_t le32(const void *p)
{
	const uint8_t *c = p;

	return (uint32_t)c[0] | c[1] << 8 | c[2] << 16 | (uint32_t)c[3] << 24;
}

static void put_le32(void *p, uint32_t v)
{
	uint8_t *c = p;

	c[0] = (uint8_t)v;
	c[1] = (uint8_t)(v >> 8);
	c[2] = (uint8_t)(v >> 16);
	c[3] = (uint8_t)(v >> 24);
}

/* What the comparison found: which references every element matches. */
struct probe_verdict {
	unsigned int equal[RND_COUNT];
	unsigned int untouched, nans;
	int matches;			/* references matching every element */
	enum fp_round match;		/* the first of them */
	uint32_t nan_bits[4];
	struct sbuf text;		/* per reference: its count and first differences */
};

/* Compare @got with the three references. */
static void probe_compare(const struct probe_data *d, struct probe_verdict *v)
{
	unsigned int i, r, shown;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < PROBE_ELEMS; i++) {
		v->untouched += d->got[i] == 0xa5a5a5a5u;
		if (fp32_isnan(d->got[i]) && v->nans < 4)
			v->nan_bits[v->nans++] = d->got[i];
		for (r = 0; r < RND_COUNT; r++)
			v->equal[r] += fp32_same(d->got[i], fp32_add_ref(d->a[i], d->b[i], r));
	}
	for (r = 0; r < RND_COUNT; r++) {
		if (v->equal[r] == PROBE_ELEMS && !v->matches++)
			v->match = r;
		sb_add(&v->text, "       %s (%s): %u of %u elements equal", rnd_short[r],
		       rnd_names[r], v->equal[r], PROBE_ELEMS);
		for (i = 0, shown = 0; i < PROBE_ELEMS && shown < 4; i++) {
			uint32_t want = fp32_add_ref(d->a[i], d->b[i], r);

			if (fp32_same(d->got[i], want))
				continue;
			sb_add(&v->text, "%s C[%u][%u] %s: 0x%08x + 0x%08x = 0x%08x, expected 0x%08x",
			       shown++ ? ";" : "; first differing:", i / PROBE_COLS, i % PROBE_COLS,
			       d->what[i], d->a[i], d->b[i], d->got[i], want);
		}
		sb_add(&v->text, "\n");
	}
}

/* A saturating INT32 add: the reference of the simulated NPU's INT32 task. */
static uint32_t int32_add_sat(uint32_t a, uint32_t b)
{
	int64_t s = (int64_t)(int32_t)a + (int32_t)b;

	return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? (uint32_t)INT32_MIN : (uint32_t)s;
}

/* The operand of one address register: its extent, and the BO it must lie in. */
struct probe_bo_range {
	uint64_t start, end;
};

/*
 * Check the command list before it goes to the NPU: only DPU and DPU_RDMA
 * registers and the tail (no CNA, no CORE, no PPU), PC_OPERATION_ENABLE
 * 0x18, no chained list, every NPU address a register holds either 0 or the
 * start of an operand in the kit's BOs, each operand's whole extent (its
 * surfaces, strides and notches) inside its BO. Returns 0, or -1 with @why.
 */
static int probe_check_list(const uint64_t *e, int n, const struct probe_bo_range *in,
			    const struct probe_bo_range *out, char *why, size_t len)
{
	uint32_t dst = 0, src = 0, ew = 0, width = 0, chan = 0, stride = 0, notch = 0;
	uint32_t ew_notch = 0, ew_stride = 0, op = 0;
	uint64_t surfs, end;
	int i, seen = 0;

	for (i = 0; i < n; i++) {
		uint32_t target = (uint32_t)(e[i] >> 48), value = (uint32_t)(e[i] >> 16);
		uint32_t reg = (uint32_t)(e[i] & 0xffff);
		const char *name = kit_regname(reg);

		if (target != 0x1001 && target != 0x2001 && target != 0x0101 &&
		    target != 0x0041 && target != 0x0081) {
			snprintf(why, len, "entry %d: target 0x%04x is not DPU, DPU_RDMA or the "
				 "tail", i, target);
			return -1;
		}
		if (target == 0x0101 && value) {
			snprintf(why, len, "entry %d: PC register 0x%04x = 0x%08x (a chained list)",
				 i, reg, value);
			return -1;
		}
		if (target == 0x0081)
			op = value;
		if (target == 0x0101 || target == 0x0041 || target == 0x0081)
			continue;
		switch (reg) {
		case REG_DPU_DST_BASE_ADDR:
			dst = value;
			seen |= 1;
			break;
		case REG_DPU_RDMA_RDMA_SRC_BASE_ADDR:
			src = value;
			seen |= 2;
			break;
		case REG_DPU_RDMA_RDMA_EW_BASE_ADDR:
			ew = value;
			seen |= 4;
			break;
		case REG_DPU_DST_SURF_STRIDE:
			stride = value >> DPU_DST_SURF_STRIDE_DST_SURF_STRIDE__SHIFT;
			break;
		case REG_DPU_DATA_CUBE_WIDTH:
			width = (value & DPU_DATA_CUBE_WIDTH_WIDTH__MASK) + 1;
			break;
		case REG_DPU_DATA_CUBE_CHANNEL:
			chan = (value & DPU_DATA_CUBE_CHANNEL_CHANNEL__MASK) + 1;
			break;
		case REG_DPU_RDMA_RDMA_SURF_NOTCH:
			notch = value >> DPU_RDMA_RDMA_SURF_NOTCH_SURF_NOTCH_ADDR__SHIFT;
			break;
		case REG_DPU_RDMA_RDMA_EW_SURF_STRIDE:
			ew_stride = value >> DPU_RDMA_RDMA_EW_SURF_STRIDE_EW_SURF_STRIDE__SHIFT;
			break;
		case REG_DPU_RDMA_RDMA_EW_SURF_NOTCH:
			ew_notch = value >> DPU_RDMA_RDMA_EW_SURF_NOTCH_EW_SURF_NOTCH__SHIFT;
			break;
		default:
			if (value && name && strstr(name, "ADDR") && !strstr(name, "NOTCH")) {
				snprintf(why, len, "entry %d: %s = 0x%08x, an address the probe does "
					 "not use", i, name, value);
				return -1;
			}
		}
	}
	if (op != 0x18) {
		snprintf(why, len, "PC_OPERATION_ENABLE 0x%02x, not 0x18 (DPU only)", op);
		return -1;
	}
	if (seen != 7 || !width || !chan || !stride) {
		snprintf(why, len, "the list lacks an operand address or the cube's size");
		return -1;
	}
	/* the probe's tile is the whole operand: no notch, one surface stride for all */
	if (notch || ew_notch || stride != width || ew_stride != width) {
		snprintf(why, len, "surface strides %u/%u and notches %u/%u for a width of %u: "
			 "not one whole tile", stride, ew_stride, notch, ew_notch, width);
		return -1;
	}
	surfs = (chan + 3) / 4;
	end = dst + (surfs - 1) * stride * 16ull + width * 16ull;
	if (dst < out->start || end > out->end) {
		snprintf(why, len, "the result 0x%08x..0x%08llx is not inside the output BO", dst,
			 (unsigned long long)end);
		return -1;
	}
	end = src + (surfs - 1) * (width + notch) * 16ull + width * 16ull;
	if (src < in->start || end > in->end) {
		snprintf(why, len, "the sum 0x%08x..0x%08llx is not inside the operand BO", src,
			 (unsigned long long)end);
		return -1;
	}
	end = ew + (surfs - 1) * (ew_stride + ew_notch) * 16ull + width * 16ull;
	if (ew < in->start || end > in->end) {
		snprintf(why, len, "the partial 0x%08x..0x%08llx is not inside the operand BO", ew,
			 (unsigned long long)end);
		return -1;
	}
	return 0;
}

/* What the probe found, for the open fact (facts_write()). */
static struct {
	const char *status;		/* NULL: not reached */
	char how[1536];
} fp32_fact;

static __attribute__((format(printf, 2, 3))) void fp32_fact_set(const char *status,
								const char *fmt, ...)
{
	va_list ap;

	fp32_fact.status = status;
	va_start(ap, fmt);
	vsnprintf(fp32_fact.how, sizeof(fp32_fact.how), fmt, ap);
	va_end(ap);
}

/* The first line of the kernel log since @from holding @needle, or NULL (free it). */
static char *klog_find(size_t from, const char *needle)
{
	const char *p, *start, *end;

	if (!kit.klog.p || from > kit.klog.len)
		return NULL;
	p = strstr(kit.klog.p + from, needle);
	if (!p)
		return NULL;
	for (start = p; start > kit.klog.p + from && start[-1] != '\n'; start--)
		;
	end = strchr(p, '\n');
	return strndup(start, end ? (size_t)(end - start) : strlen(start));
}

/* One DPU-only add task through SUBMIT: its outcome. */
struct probe_run {
	int encode_ret, submit_ret, prep_ret, prep2_ret;
	const char *encode_reason;
	char check[256];
	double wait_s, wait2_s;
	uint64_t e[KIT_TASK_ENTRIES];
	int n;
	uint32_t in_addr, out_addr, cmd_addr;
	size_t klog_from;
	/* bytes of the output BO past the result, and of the operand BO, that changed */
	uint32_t stray_out, stray_in;
};

/*
 * Send one DPU-only add of @d (a + b) with the FP32 candidate (@fp32) or
 * the kernel's INT32 add, wait at most @wait_ms (then the kernel's timeout
 * once more if the wait ran out), read the result into d->got. Returns 0 if
 * it completed, 1 if it was not sent (pr says why), -1 if the job failed.
 */
static int probe_send(bool fp32, struct probe_data *d, struct probe_run *pr,
		      long wait_ms)
{
	struct bo cmd, in, out;
	struct probe_bo_range rin, rout;
	struct drm_rocket_task task = { 0 };
	struct drm_rocket_job job = { 0 };
	struct drm_rocket_submit submit = { 0 };
	uint32_t in_handles[2], out_handles[1], plane = PROBE_ELEMS * 4;
	unsigned int i;
	double t;
	int ret = 1;

	memset(pr, 0, sizeof(*pr));
	memset(&cmd, 0, sizeof(cmd));
	memset(&in, 0, sizeof(in));
	memset(&out, 0, sizeof(out));
	pr->encode_reason = "";
	if (bo_new(&cmd, 4096) || bo_new(&in, 4096) || bo_new(&out, 4096)) {
		snprintf(pr->check, sizeof(pr->check), "a BO of 4 KiB: %s", strerror(errno));
		pr->encode_ret = -ENOMEM;
		goto out;
	}
	if (cmd.create.dma_address >> 32 || in.create.dma_address >> 32 ||
	    out.create.dma_address >> 32) {
		snprintf(pr->check, sizeof(pr->check), "a BO above 4 GiB of NPU address space");
		pr->encode_ret = -EINVAL;
		goto out;
	}
	pr->cmd_addr = (uint32_t)cmd.create.dma_address;
	pr->in_addr = (uint32_t)in.create.dma_address;
	pr->out_addr = (uint32_t)out.create.dma_address;
	pr->n = kit_add_probe_encode(PROBE_ROWS, PROBE_COLS, pr->in_addr, pr->out_addr, fp32,
				     pr->e, KIT_TASK_ENTRIES, &pr->encode_reason);
	if (pr->n < 0) {
		pr->encode_ret = pr->n;
		snprintf(pr->check, sizeof(pr->check), "the kit's encoder: %s (%s)",
			 errname(-pr->n), pr->encode_reason);
		goto out;
	}
	rin = (struct probe_bo_range){ in.create.dma_address,
				       in.create.dma_address + in.create.size };
	rout = (struct probe_bo_range){ out.create.dma_address,
					out.create.dma_address + out.create.size };
	if (probe_check_list(pr->e, pr->n, &rin, &rout, pr->check, sizeof(pr->check))) {
		pr->encode_ret = -EINVAL;
		goto out;
	}
	if ((size_t)pr->n * 8 > cmd.create.size || 2 * plane > in.create.size ||
	    plane > out.create.size) {
		snprintf(pr->check, sizeof(pr->check), "the BOs are too small");
		pr->encode_ret = -EINVAL;
		goto out;
	}

	if (bo_prep(&cmd, 0) || bo_prep(&in, 0) || bo_prep(&out, 0)) {
		snprintf(pr->check, sizeof(pr->check), "PREP_BO of a new BO: %s", strerror(errno));
		pr->encode_ret = -EIO;
		goto out;
	}
	memset(cmd.map, 0, cmd.create.size);
	for (i = 0; i < (unsigned int)pr->n; i++) {
		put_le32((uint8_t *)cmd.map + i * 8, (uint32_t)pr->e[i]);
		put_le32((uint8_t *)cmd.map + i * 8 + 4, (uint32_t)(pr->e[i] >> 32));
	}
	memset(in.map, 0, in.create.size);
	memset(out.map, 0xa5, out.create.size);
	for (i = 0; i < PROBE_ELEMS; i++) {
		put_le32((uint8_t *)in.map + probe_offset(i), d->a[i]);		/* the sum */
		put_le32((uint8_t *)in.map + plane + probe_offset(i), d->b[i]);	/* the partial */
	}
	if (bo_fini(&cmd) || bo_fini(&in) || bo_fini(&out)) {
		snprintf(pr->check, sizeof(pr->check), "FINI_BO: %s", strerror(errno));
		pr->encode_ret = -EIO;
		goto out;
	}

	task.regcmd = pr->cmd_addr;
	task.regcmd_count = (uint32_t)pr->n;
	in_handles[0] = in.create.handle;
	in_handles[1] = cmd.create.handle;
	out_handles[0] = out.create.handle;
	job.tasks = (uintptr_t)&task;
	job.task_count = 1;
	job.task_struct_size = sizeof(task);
	job.in_bo_handles = (uintptr_t)in_handles;
	job.in_bo_handle_count = 2;
	job.out_bo_handles = (uintptr_t)out_handles;
	job.out_bo_handle_count = 1;
	submit.jobs = (uintptr_t)&job;
	submit.job_count = 1;
	submit.job_struct_size = sizeof(job);

	report_write();		/* on disk before the NPU sees the list */
	pr->klog_from = kit.klog.len;
	t = now_s();
	pr->submit_ret = ioctl(kit.fd, DRM_IOCTL_ROCKET_SUBMIT, &submit) ? errno : 0;
	if (pr->submit_ret)
		goto out;
	pr->prep_ret = bo_prep(&out, abs_timeout_ns(wait_ms * MS));
	pr->wait_s = now_s() - t;
	if (pr->prep_ret == -ETIMEDOUT) {
		double t2 = now_s();

		/* let the kernel's own timeout end it, so that the log says what it did */
		pr->prep2_ret = bo_prep(&out, abs_timeout_ns((kit.job_timeout_ms * 2 + 5000) * MS));
		pr->wait2_s = now_s() - t2;
	}
	usleep(100000);		/* the log lines of a reset */
	klog_poll();
	if (pr->prep_ret) {
		ret = -1;
		goto out;
	}
	for (i = 0; i < PROBE_ELEMS; i++)
		d->got[i] = le32((uint8_t *)out.map + probe_offset(i));
	for (i = plane; i < out.create.size; i++)
		pr->stray_out += ((uint8_t *)out.map)[i] != 0xa5;
	if (!bo_prep(&in, 0))
		for (i = 0; i < in.create.size; i++) {
			uint32_t at = i < 2 * plane ? i % plane : 0;
			uint8_t want = 0;

			/* the operands as written: element bytes where probe_offset() put them */
			if (i < 2 * plane) {
				unsigned int el;

				for (el = 0; el < PROBE_ELEMS; el++)
					if (probe_offset(el) == (at & ~3u))
						break;
				want = (uint8_t)((i < plane ? d->a[el] : d->b[el]) >> (8 * (at & 3)));
			}
			pr->stray_in += ((uint8_t *)in.map)[i] != want;
		}
	bo_fini(&out);
	ret = 0;
out:
	bo_free(&cmd);
	bo_free(&in);
	bo_free(&out);
	return ret;
}

/* The entries of the FP32 candidate that differ from the kernel's INT32 add. */
static void probe_diff_text(int step, const struct probe_run *fp)
{
	uint64_t e[KIT_TASK_ENTRIES];
	const char *reason;
	int i, n;

	/* the INT32 add for the same BOs */
	n = kit_add_probe_encode(PROBE_ROWS, PROBE_COLS, fp->in_addr, fp->out_addr, 0, e,
				 KIT_TASK_ENTRIES, &reason);
	if (n != fp->n) {
		step_say(step, "       (the kit's encoder failed on the INT32 add: %s)\n", reason);
		return;
	}
	for (i = 0; i < n; i++) {
		uint32_t reg = (uint32_t)(fp->e[i] & 0xffff);
		const char *name = kit_regname(reg);

		if (fp->e[i] == e[i])
			continue;
		step_say(step, "       entry [%2d] %-36s = 0x%08x (the INT32 add: 0x%08x)\n", i,
			 name ? name : "?", (uint32_t)(fp->e[i] >> 16), (uint32_t)(e[i] >> 16));
	}
}

/* Every core still computes after a failed probe: the first product on each. */
static int probe_recovered(int step)
{
	int core;

	for (core = 0; core < kit.cores && core < KIT_MAX_JOBS; core++) {
		struct product p;

		product_init(&p, DRM_ROCKET_MATMUL_INT8_INT32, 4, 32, 32, core, DATA_INT,
			     "(after the FP32 add probe)");
		if (product_step(step, &p, kit.seed + 600 + core, NULL) < 0)
			return -1;
	}
	return 0;
}

/*
 * The candidate. No public silicon-tested source gives any of it for FP32:
 * the precision codes are the register description's, the rest is the INT32
 * add's (matmul.rst, "K above 8192"); rockchip-npu-notes found the EW
 * operand converter must be live for an FP16 ADD, which an FP32 one may
 * need too. The report says so wherever it names the candidate.
 */
#define PROBE_FIELDS "DPU_DATA_FORMAT out, in and proc precision FP32 (5) and " \
	"DPU_RDMA_RDMA_FEATURE_MODE_CFG in and proc precision FP32 (5) (guessed: the " \
	"register description's FP32 code); kept from the INT32 add, a guess for FP32: " \
	"the EW operand converter bypassed with scale 1, 32-bit ERDMA elements, EW ALU ADD, " \
	"OUT_CVT scale 1, PC_OPERATION_ENABLE 0x18"

/*
 * The DPU-only FP32 add probe: see the comment of enum fp_round. Returns -1
 * only if the NPU did not recover from it (the step fails); every outcome
 * of the add itself is a finding, in fp32_fact.
 */
static int probe_fp32_add(int step)
{
	struct probe_data d;
	struct probe_run ip, fp;
	struct probe_verdict v;
	char why[256];
	long wait_ms = kit.job_timeout_ms + 1000 > PROBE_WAIT_MS ? kit.job_timeout_ms + 1000 :
		       PROBE_WAIT_MS;
	unsigned int i, bad;
	int ret;

	snprintf(kit.running, sizeof(kit.running), "step %d %s, the DPU-only FP32 add probe",
		 step + 1, steps[step].name);
	if (fp32_ref_selftest(20000, why, sizeof(why))) {
		step_say(step, "  probe dpu-add fp32 (SUBMIT): not sent: the kit's CPU references "
			 "failed their self-test: %s\n", why);
		fp32_fact_set("OPEN", "not sent: the kit's FP32 references failed their "
			      "self-test on this CPU (%s)", why);
		return 0;
	}
	probe_fill(&d, kit.seed + 700);

	/*
	 * On the simulated NPU: the same task with the kernel's INT32 set (the
	 * one add its model implements), through the same SUBMIT path, so that
	 * the probe's plumbing runs there too. Never sent to silicon: there the
	 * kit sends only the FP32 candidate.
	 */
	if (kit.sim) {
		ret = probe_send(false, &d, &ip, kit.job_timeout_ms + 1000);
		if (ret) {
			snprintf(kit.fail_reason, sizeof(kit.fail_reason), "the FP32 add probe's "
				 "plumbing: the INT32 add through SUBMIT on the simulated NPU %s",
				 ret > 0 ? ip.check : ip.submit_ret ? errname(ip.submit_ret) :
				 errname(-ip.prep_ret));
			step_say(step, "  FAIL probe dpu-add int32 (SUBMIT, simulated NPU only): %s\n",
				 kit.fail_reason);
			sb_clear(&kit.sec[S_FAILURE]);
			sb_add(&kit.sec[S_FAILURE], "step: %d %s\nwhat failed: %s\n", step + 1,
			       steps[step].name, kit.fail_reason);
			fp32_fact_set("OPEN", "not sent: the probe's plumbing (the INT32 add through "
				      "SUBMIT) failed on the simulated NPU (failure section)");
			return -1;
		}
		for (i = 0, bad = 0; i < PROBE_ELEMS; i++)
			bad += d.got[i] != int32_add_sat(d.a[i], d.b[i]);
		if (bad || ip.stray_out || ip.stray_in) {
			snprintf(kit.fail_reason, sizeof(kit.fail_reason), "the FP32 add probe's "
				 "plumbing: the INT32 add through SUBMIT on the simulated NPU gave "
				 "%u of %u elements other than the saturating INT32 sums, and changed "
				 "%u bytes past the result and %u of the operands", bad, PROBE_ELEMS,
				 ip.stray_out, ip.stray_in);
			step_say(step, "  FAIL probe dpu-add int32 (SUBMIT, simulated NPU only): %s\n",
				 kit.fail_reason);
			sb_clear(&kit.sec[S_FAILURE]);
			sb_add(&kit.sec[S_FAILURE], "step: %d %s\nwhat failed: %s\n", step + 1,
			       steps[step].name, kit.fail_reason);
			fp32_fact_set("OPEN", "not sent: the probe's plumbing (the INT32 add through "
				      "SUBMIT) failed on the simulated NPU (failure section)");
			return -1;
		}
		step_say(step, "  probe dpu-add int32 (SUBMIT, simulated NPU only, the plumbing "
			 "of the FP32 probe): ok, %u of %u saturating INT32 sums right in %.3f ms\n",
			 PROBE_ELEMS, PROBE_ELEMS, ip.wait_s * 1e3);
	}

	if (kit.sim && kit.job_timeout_ms > PROBE_SIM_MAX_TIMEOUT_MS) {
		step_say(step, "  probe dpu-add fp32 (SUBMIT): skipped on the simulated NPU: its "
			 "model refuses a DPU-only FP32 add, and a refused task holds its core "
			 "until the job timeout, %ld ms here (it is sent when "
			 "rocket.sim_job_timeout_ms is at most %d)\n", kit.job_timeout_ms,
			 PROBE_SIM_MAX_TIMEOUT_MS);
		fp32_fact_set("OPEN", "skipped on the simulated NPU: its model refuses a DPU-only "
			      "FP32 add (no public register set or rounding), and a refused task "
			      "holds its core until the job timeout (%ld ms here); the probe's "
			      "SUBMIT path ran with the INT32 add instead, right",
			      kit.job_timeout_ms);
		return 0;
	}

	ret = probe_send(true, &d, &fp, wait_ms);
	if (ret > 0 && fp.encode_ret) {
		step_say(step, "  probe dpu-add fp32 (SUBMIT): not sent: %s\n", fp.check);
		fp32_fact_set("OPEN", "not sent: %s", fp.check);
		return 0;
	}
	step_say(step, "  probe dpu-add fp32 (SUBMIT, one DPU-only task of %ux%u FP32 at NPU "
		 "0x%08x + 0x%08x -> 0x%08x, command list at 0x%08x, %d entries; %u chosen "
		 "cases, %u random pairs): the kernel's INT32 add with these entries changed:\n",
		 PROBE_ROWS, PROBE_COLS, fp.in_addr, fp.in_addr + PROBE_ELEMS * 4, fp.out_addr,
		 fp.cmd_addr, fp.n, (unsigned int)N_FP32_CASES,
		 (unsigned int)(PROBE_ELEMS - N_FP32_CASES));
	probe_diff_text(step, &fp);
	step_say(step, "       the candidate: %s\n", PROBE_FIELDS);
	if (fp.submit_ret) {
		step_say(step, "       the kernel refused the SUBMIT: %s\n", errname(fp.submit_ret));
		fp32_fact_set("OPEN", "the kernel refused the SUBMIT of the probe: %s (nothing "
			      "reached the NPU)", errname(fp.submit_ret));
		return 0;
	}
	if (ret < 0) {
		char *model = kit.sim ? klog_find(fp.klog_from, "refused: ") : NULL;
		char *timed = klog_find(fp.klog_from, "timed out");

		/* the model's log is one record: its first refusal, up to an escaped newline */
		if (model && strstr(strstr(model, "refused: "), "\\x0a"))
			*strstr(strstr(model, "refused: "), "\\x0a") = 0;

		step_say(step, "       the job failed: PREP_BO on the result gave %s after %.3f s "
			 "(wait %ld ms)%s%s%s\n", errname(-fp.prep_ret), fp.wait_s, wait_ms,
			 fp.prep_ret == -ETIMEDOUT ? "; a second wait gave " : "",
			 fp.prep_ret == -ETIMEDOUT ? errname(-fp.prep2_ret) : "",
			 timed ? "; the kernel timed the job out and reset the core" : "");
		if (model)
			step_say(step, "       the simulated NPU: %s\n", model);
		if (kit.sim && model)
			fp32_fact_set("OPEN", "refused by the simulated NPU, whose model does not "
				      "implement a DPU-only FP32 add: PREP_BO %s after %.3f s; its "
				      "log: %s; silicon settles it", errname(-fp.prep_ret), fp.wait_s,
				      strstr(model, "refused: "));
		else if (kit.sim)
			fp32_fact_set("OPEN", "the job failed on the simulated NPU without a refusal "
				      "in its log: PREP_BO %s after %.3f s (see the kernel log)",
				      errname(-fp.prep_ret), fp.wait_s);
		else
			fp32_fact_set("AGAINST", "the candidate did not complete: PREP_BO %s after "
				      "%.3f s%s%s; the kernel %s; the candidate: " PROBE_FIELDS,
				      errname(-fp.prep_ret), fp.wait_s,
				      fp.prep_ret == -ETIMEDOUT ? ", then " : "",
				      fp.prep_ret == -ETIMEDOUT ? errname(-fp.prep2_ret) : "",
				      timed ? "timed the job out and reset the core" :
				      "logged no timeout (see the kernel log)");
		free(model);
		free(timed);
		if (probe_recovered(step)) {
			snprintf(kit.fail_reason + strlen(kit.fail_reason),
				 sizeof(kit.fail_reason) - strlen(kit.fail_reason),
				 " (after the DPU-only FP32 add probe failed: the core did not "
				 "recover)");
			return -1;
		}
		step_say(step, "       every core computed right after it: the NPU recovered\n");
		return 0;
	}

	probe_compare(&d, &v);
	step_say(step, "       completed in %.3f ms; %u bytes of the output BO past the result "
		 "and %u of the operand BO changed; %u elements never written, %u NaN results"
		 "%s", fp.wait_s * 1e3, fp.stray_out, fp.stray_in, v.untouched, v.nans,
		 v.nans ? " (bits" : "");
	for (i = 0; i < v.nans; i++)
		step_say(step, " 0x%08x", v.nan_bits[i]);
	step_say(step, "%s; NaNs compare equal to NaNs, every other element bit for bit:\n%s",
		 v.nans ? ")" : "", v.text.p ? v.text.p : "");
	if (fp.stray_out || fp.stray_in)
		fp32_fact_set("AGAINST", "the candidate completed%s%s, but changed %u bytes of "
			      "the output BO past its result and %u of its operands: it does not "
			      "write only its result; the candidate: " PROBE_FIELDS,
			      v.matches == 1 ? " and matches " : "",
			      v.matches == 1 ? rnd_names[v.match] : "", fp.stray_out, fp.stray_in);
	else if (v.matches == 1)
		fp32_fact_set("SETTLED", "the DPU-only FP32 add with every precision field FP32 "
			      "completed and matches %s on all %u elements (ties, overflow, "
			      "subnormals, -0, NaN; the other roundings differ); its register set "
			      "(step split-k lists the entries): " PROBE_FIELDS,
			      rnd_names[v.match], PROBE_ELEMS);
	else if (v.matches > 1)
		fp32_fact_set("OPEN", "the candidate completed and matched %u roundings at once: the "
			      "kit's cases do not tell them apart", v.matches);
	else
		fp32_fact_set("AGAINST", "the candidate completed but matches no rounding on every "
			      "element (RNE %u, RTZ %u, RHA %u of %u equal; %u never written; step "
			      "split-k lists the first differing elements); the candidate: "
			      PROBE_FIELDS, v.equal[RND_NE], v.equal[RND_TZ], v.equal[RND_HA],
			      PROBE_ELEMS, v.untouched);
	free(v.text.p);
	return 0;
}

/*
 * --fp32-add-selftest: the probe's CPU side without the NPU, on any CPU:
 * the references against the worked-out cases and the CPU's own FP32
 * additions, and the comparison against results made to match each
 * rounding, or made wrong in one element. Prints PASS/FAIL lines.
 */
static int fp32_add_selftest(void)
{
	struct probe_data d;
	struct probe_verdict v;
	char why[256];
	unsigned int i, r, fails = 0;

#define ST_CHECK(cond, ...) do {					\
		printf((cond) ? "PASS " : "FAIL ");			\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		fails += !(cond);					\
	} while (0)

	ST_CHECK(!fp32_ref_selftest(2000000, why, sizeof(why)), "fp32 add references: %u worked-out "
		 "cases in 3 roundings, and 2000000 random pairs against this CPU's FP32 addition "
		 "(nearest even, toward zero)%s%s", (unsigned int)N_FP32_CASES,
		 *why ? ": " : "", why);
	probe_fill(&d, 20261204);
	for (r = 0; r < RND_COUNT; r++) {
		for (i = 0; i < PROBE_ELEMS; i++)
			d.got[i] = fp32_add_ref(d.a[i], d.b[i], r);
		probe_compare(&d, &v);
		ST_CHECK(v.matches == 1 && v.match == r, "fp32 add probe: a result rounded %s "
			 "matches %s only (%u reference(s) match)", rnd_short[r], rnd_short[r],
			 v.matches);
		free(v.text.p);
	}
	for (i = 0; i < PROBE_ELEMS; i++)
		d.got[i] = fp32_isnan(fp32_add_ref(d.a[i], d.b[i], RND_NE)) ? 0xffc01234u :
			   fp32_add_ref(d.a[i], d.b[i], RND_NE);
	probe_compare(&d, &v);
	ST_CHECK(v.matches == 1 && v.match == RND_NE && v.nans > 0, "fp32 add probe: NaNs of "
		 "another sign and payload still match (%u NaNs)", v.nans);
	free(v.text.p);
	d.got[50] ^= 1;
	probe_compare(&d, &v);
	ST_CHECK(!v.matches && v.equal[RND_NE] == PROBE_ELEMS - 1 &&
		 strstr(v.text.p, "first differing: C[1][18]"), "fp32 add probe: one bit off in "
		 "element 50 matches nothing, and the report names C[1][18] first");
	free(v.text.p);
	d.got[50] ^= 1;
	for (i = 0, r = 0; i < N_FP32_CASES; i++) {
		uint32_t keep = d.got[i], alt;

		/* -0 for +0 and back, subnormals flushed, the last bit of the others flipped */
		alt = (keep & ~FP32_SIGN) == 0 ? keep ^ FP32_SIGN :
		      !(keep & FP32_INF) ? keep & FP32_SIGN : keep ^ 1;
		if (fp32_isnan(keep))
			continue;
		d.got[i] = alt;
		probe_compare(&d, &v);
		if (v.matches) {
			printf("  case '%s' given 0x%08x for 0x%08x still matches %s\n",
			       fp32_cases[i].what, alt, keep, rnd_short[v.match]);
			r++;
		}
		free(v.text.p);
		d.got[i] = keep;
	}
	ST_CHECK(!r, "fp32 add probe: each worked-out case (but NaNs) with -0/+0 swapped, a "
		 "subnormal flushed or its last bit flipped matches nothing (%u missed)", r);
	memset(d.got, 0xa5, sizeof(d.got));
	probe_compare(&d, &v);
	ST_CHECK(!v.matches && v.untouched == PROBE_ELEMS, "fp32 add probe: a result never "
		 "written matches nothing (%u untouched)", v.untouched);
	free(v.text.p);

	/* the command list: the kernel's INT32 add, two entries changed, inside the BOs */
	{
		struct probe_run ip, fp;
		struct probe_bo_range in = { 0x00100000, 0x00101000 }, out = { 0x00200000, 0x00201000 };
		struct probe_bo_range small = { 0x00200000, 0x00200100 }, half = { 0x00100000, 0x00100200 };
		int diff = 0, dfmt = 0, rfmt = 0;

		ip.n = kit_add_probe_encode(PROBE_ROWS, PROBE_COLS, 0x00100000, 0x00200000, 0, ip.e,
					    KIT_TASK_ENTRIES, &ip.encode_reason);
		fp.n = kit_add_probe_encode(PROBE_ROWS, PROBE_COLS, 0x00100000, 0x00200000, 1, fp.e,
					    KIT_TASK_ENTRIES, &fp.encode_reason);
		for (i = 0; fp.n > 0 && i < (unsigned int)fp.n; i++) {
			uint32_t reg = (uint32_t)(fp.e[i] & 0xffff), val = (uint32_t)(fp.e[i] >> 16);

			if (fp.e[i] == ip.e[i])
				continue;
			diff++;
			dfmt += reg == REG_DPU_DATA_FORMAT && val ==
				(DPU_DATA_FORMAT_OUT_PRECISION(KIT_PREC_FP32) |
				 DPU_DATA_FORMAT_IN_PRECISION(KIT_PREC_FP32) |
				 DPU_DATA_FORMAT_PROC_PRECISION(KIT_PREC_FP32));
			rfmt += reg == REG_DPU_RDMA_RDMA_FEATURE_MODE_CFG &&
				DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION(KIT_PREC_FP32) ==
				(val & DPU_RDMA_RDMA_FEATURE_MODE_CFG_IN_PRECISION__MASK) &&
				DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION(KIT_PREC_FP32) ==
				(val & DPU_RDMA_RDMA_FEATURE_MODE_CFG_PROC_PRECISION__MASK);
			printf("  entry [%2u] %-36s = 0x%08x (the INT32 add: 0x%08x)\n", i,
			       kit_regname(reg) ? kit_regname(reg) : "?", val,
			       (uint32_t)(ip.e[i] >> 16));
		}
		ST_CHECK(ip.n == fp.n && fp.n > 0 && diff == 2 && dfmt == 1 && rfmt == 1,
			 "fp32 add probe: the candidate is the kernel's INT32 add (%d entries) with "
			 "DPU_DATA_FORMAT and DPU_RDMA_RDMA_FEATURE_MODE_CFG at FP32 (%d entries "
			 "differ)", ip.n, diff);
		ST_CHECK(fp.n > 0 && !probe_check_list(fp.e, fp.n, &in, &out, why, sizeof(why)),
			 "fp32 add probe: its list passes the checks for 4 KiB BOs%s%s",
			 fp.n > 0 && *why ? ": " : "", fp.n > 0 ? why : "");
		ST_CHECK(fp.n > 0 && probe_check_list(fp.e, fp.n, &in, &small, why, sizeof(why)),
			 "fp32 add probe: an output BO of 256 bytes is refused (%s)", why);
		ST_CHECK(fp.n > 0 && probe_check_list(fp.e, fp.n, &half, &out, why, sizeof(why)),
			 "fp32 add probe: an operand BO without the partial is refused (%s)", why);
		fp.e[3] = (fp.e[3] & ~(0xffffffffull << 16)) | 0x00300000ull << 16;
		ST_CHECK(fp.n > 0 && probe_check_list(fp.e, fp.n, &in, &out, why, sizeof(why)),
			 "fp32 add probe: a result address moved out of its BO is refused (%s)", why);
	}
#undef ST_CHECK
	return fails ? 1 : 0;
}

/*
 * K above 8192 (matmul.rst, "K above 8192"): INT8 products whose K the
 * kernel splits into segments, their partial sums added by DPU-only INT32
 * add tasks. Settles the open facts of that recipe on silicon: the add's
 * register set, PC_OPERATION_ENABLE 0x18, add tiles shorter than C (read
 * through the surface notches), an add right after matmul tasks, and the
 * sums near 2^30 (A and B all -128, K 65536: each element 2^30, from eight
 * partials of 2^27). The FP16 types must be refused with -E2BIG.
 */
static const struct {
	uint32_t type, m, k, n;
	int core;
	enum data_kind data;
	int expect_err;
	const char *why;
} splitk[] = {
	{ DRM_ROCKET_MATMUL_INT8_INT32, 1, 8224, 32, 0, DATA_INT, 0, "smallest split, core 0" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 4, 8960, 1536, -1, DATA_INT, 0, "down_proj rows" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 132, 8960, 64, -1, DATA_INT, 0,
	  "two add row tiles, notched" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 12, 16416, 96, -1, DATA_INT, 0, "three segments" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 1, 65536, 64, -1, DATA_INT, 0, "K at the bound" },
	{ DRM_ROCKET_MATMUL_INT8_INT32, 4, 65536, 32, 0, DATA_EXTREME, 0, "sums of 2^30" },
	{ DRM_ROCKET_MATMUL_FP16_FP32, 4, 8224, 16, 0, DATA_INT, E2BIG, "FP16 split refused" },
	{ DRM_ROCKET_MATMUL_FP16_FP16, 1, 8960, 16, 0, DATA_INT, E2BIG, "FP16 split refused" },
};

static int step_splitk(int step)
{
	unsigned int i;

	for (i = 0; i < sizeof(splitk) / sizeof(splitk[0]); i++) {
		struct product p;
		char note[80];

		snprintf(note, sizeof(note), "(%s)", splitk[i].why);
		product_init(&p, splitk[i].type, splitk[i].m, splitk[i].k, splitk[i].n,
			     splitk[i].core, splitk[i].data, note);
		p.expect_err = splitk[i].expect_err;
		if (product_step(step, &p, kit.seed + 500 + i, NULL) < 0) {
			if (splitk[i].type == DRM_ROCKET_MATMUL_INT8_INT32)
				kit.ev.split_bad++;
			return -1;
		}
	}
	return probe_fp32_add(step);
}

/*
 * rocket_gemm --bench from the kit, its output into the throughput section.
 * On the simulated NPU the bench takes many minutes and measures only the
 * model (make vm-bench runs it): there the kit runs `rocket_gemm -l`
 * instead, which lists the tests and runs nothing, so that finding and
 * running the kit's own rocket_gemm is still checked.
 */
static int run_bench(int step)
{
	struct sbuf *b = &kit.sec[S_THROUGHPUT];
	const char *arg = kit.sim ? "-l" : "--bench";
	char path[PATH_MAX + 32], buf[4096];
	int pipefd[2], status = 0, timeout_s = 600;
	double t = now_s();
	pid_t pid;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/rocket_gemm", kit.kselftest_dir);
	if (kit.sim)
		sb_add(b, "rocket_gemm --bench: skipped on the simulated NPU (minutes of the "
		       "model's speed, not silicon's; make vm-bench runs it); rocket_gemm -l "
		       "instead (%s):\n", path);
	else
		sb_add(b, "rocket_gemm --bench (%s):\n", path);
	if (access(path, X_OK)) {
		snprintf(kit.fail_reason, sizeof(kit.fail_reason), "no %s (--kselftest-dir)", path);
		step_say(step, "  FAIL %s\n", kit.fail_reason);
		return -1;
	}
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		alarm(timeout_s);
		execl(path, path, arg, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while ((n = read(pipefd[0], buf, sizeof(buf) - 1)) > 0) {
		buf[n] = 0;
		sb_add(b, "%s", buf);
		fputs(buf, stdout);
	}
	close(pipefd[0]);
	waitpid(pid, &status, 0);
	/* the harness lists its tests and exits with KSFT_SKIP (4) */
	if (!WIFEXITED(status) || (WEXITSTATUS(status) && !(kit.sim && WEXITSTATUS(status) == 4))) {
		snprintf(kit.fail_reason, sizeof(kit.fail_reason),
			 "rocket_gemm %s %s %d after %.1f s (its output is in the throughput "
			 "section)", arg, WIFEXITED(status) ? "exited" : "was killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), now_s() - t);
		step_say(step, "  FAIL %s\n", kit.fail_reason);
		return -1;
	}
	if (kit.sim) {
		kit.ev.bench_skipped = true;
		step_say(step, "  skip rocket_gemm --bench on the simulated NPU; rocket_gemm -l "
			 "ran (%.1f s)\n", now_s() - t);
		return 0;
	}
	kit.ev.bench_ran = true;
	step_say(step, "  ok   rocket_gemm --bench in %.1f s (its table is in the throughput "
		 "section)\n", now_s() - t);
	return 0;
}

static int step_throughput(int step)
{
	struct sbuf *b = &kit.sec[S_THROUGHPUT];
	const char *label = kit.sim ? " [SIMULATED NPU: not a silicon figure]" : "";
	struct product p;
	struct kit_task task;
	struct run r;
	double bytes;
	uint32_t t;
	int ret;

	if (run_bench(step))
		return -1;

	/*
	 * The largest task the planner can predict: FP16, K 8192, 20 rows (a
	 * 320 KiB A tile), 8192 columns (128 MiB of B streamed), on one core.
	 * Its time measures the NPU's DMA rate against the planner's 1000 MB/s.
	 */
	product_init(&p, DRM_ROCKET_MATMUL_FP16_FP32, 20, 8192, 8192, 0, DATA_INT,
		     "(the largest task)");
	ret = product_step(step, &p, kit.seed + 500, &r);
	if (ret < 0) {
		run_free(&r);
		return -1;
	}
	if (ret > 0) {
		kit.ev.bw_skipped = true;
		sb_add(b, "\nlargest task: %s: skipped on the simulated NPU\n", p.label);
	} else if (r.plan.task_count == 1 && !kit_task(0, 0, &task, NULL, 0)) {
		bytes = (double)20 * 8192 * 2 + 8192.0 * 8192 * 2 + 20.0 * 8192 * 4 +
			KIT_TASK_ENTRIES * 8;
		kit.ev.bw_measured = true;
		kit.ev.bw_ms = r.wait_s * 1e3;
		kit.ev.bw_mbps = bytes / r.wait_s / 1e6;
		kit.ev.bw_predicted_ms = task.predicted_ns / 1e6;
		sb_add(b, "\nlargest task: %s: %.1f MB moved in %.3f ms from the ioctl to the end of "
		       "PREP_BO: at least %.0f MB/s; the planner predicts %.3f ms (%u MB/s, %u MHz)%s\n",
		       p.label, bytes / 1e6, kit.ev.bw_ms, kit.ev.bw_mbps, kit.ev.bw_predicted_ms,
		       kit_dma_min_mbps(), kit_npu_min_mhz(), label);
	}
	run_free(&r);

	/* Many small tasks on one core: the time a task costs beyond its work. */
	product_init(&p, DRM_ROCKET_MATMUL_INT8_INT32, 1020 * 64, 32, 32, 0, DATA_INT,
		     "(64 small tasks)");
	if (product_step(step, &p, kit.seed + 501, &r)) {	/* 67 M MACs: never skipped */
		run_free(&r);
		return -1;
	}
	kit.ev.gap_measured = true;
	kit.ev.gap_tasks = r.plan.task_count;
	kit.ev.gap_us = r.wait_s * 1e6 / r.plan.task_count;
	kit.ev.gap_pred_us = 0;
	for (t = 0; t < r.plan.jobs[0].task_count; t++)
		if (!kit_task(0, t, &task, NULL, 0))
			kit.ev.gap_pred_us += task.predicted_ns / 1e3 / r.plan.task_count;
	sb_add(b, "many small tasks: %s: %u tasks in %u run(s) in %.3f ms: %.1f us a task, its "
	       "work, interrupt and next kick included; the planner predicts %.1f us a task "
	       "(%u us of it between two tasks)%s\n", p.label, r.plan.task_count,
	       r.plan.run_count, r.wait_s * 1e3, kit.ev.gap_us, kit.ev.gap_pred_us,
	       kit_task_gap_ns() / 1000, label);
	run_free(&r);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* The open facts                                                           */

static bool reached(int step)
{
	return kit.state[step] == PASSED || kit.state[step] == FAILED;
}

static __attribute__((format(printf, 4, 5))) void fact(struct sbuf *b, const char *name,
							const char *status, const char *fmt, ...)
{
	va_list ap;

	sb_add(b, "fact: %s | %s | ", name, kit.sim && strcmp(status, "OPEN") ?
	       "SIMULATED" : status);
	va_start(ap, fmt);
	sb_vadd(b, fmt, ap);
	va_end(ap);
	sb_add(b, "%s\n", kit.sim && strcmp(status, "OPEN") ?
	       " [on the software NPU, which implements the documented recipe: not evidence "
	       "about silicon]" : "");
}

/*
 * Each open fact of Documentation/accel/rocket/matmul.rst and index.rst,
 * and what this run says about it. SETTLED: the run shows what the series
 * assumes; AGAINST: the run contradicts it; OPEN: the run did not get there,
 * or cannot tell. On the simulated NPU every result is SIMULATED.
 */
static void facts_write(struct sbuf *b)
{
	const struct evidence *ev = &kit.ev;
	char cores_ok[128] = "", cores_bad[128] = "";
	int c, ok = 0, bad = 0;
	size_t n;

	for (c = 0; c < kit.cores && c < 32; c++) {
		if (ev->core_ok[c]) {
			n = strlen(cores_ok);
			snprintf(cores_ok + n, sizeof(cores_ok) - n, "%s%d", ok++ ? "," : "", c);
		}
		if (ev->core_bad[c]) {
			n = strlen(cores_bad);
			snprintf(cores_bad + n, sizeof(cores_bad) - n, "%s%d", bad++ ? "," : "", c);
		}
	}
	sb_add(b, "statuses: SETTLED (what the series assumes holds), AGAINST (the run "
	       "contradicts it), OPEN (not reached, or the run cannot tell), SIMULATED (only the "
	       "software NPU ran it)\n");

	/* OP_ENABLE 0x0d */
	if (ok && ok == (kit.cores < KIT_MAX_JOBS ? kit.cores : KIT_MAX_JOBS) && !bad)
		fact(b, "OP_ENABLE 0x0d", "SETTLED", "completed on all %d cores (core(s) %s): every "
		     "task the kit ran ends with PC_OPERATION_ENABLE 0x%02x", kit.cores, cores_ok,
		     kit_op_enable());
	else if (ok)
		fact(b, "OP_ENABLE 0x0d", "SETTLED", "completed on core(s) %s of %d%s%s: every task "
		     "ends with PC_OPERATION_ENABLE 0x%02x", cores_ok, kit.cores,
		     bad ? "; failed on core(s) " : "", bad ? cores_bad : "", kit_op_enable());
	else if (reached(ST_FIRST))
		fact(b, "OP_ENABLE 0x0d", "OPEN", "no product completed: 0x0d is one candidate cause "
		     "(convolutions use 0x1d); see the failure section");
	else
		fact(b, "OP_ENABLE 0x0d", "OPEN", "no product ran");

	/* INTERRUPT_MASK read-back */
	if (ev->first_completed)
		fact(b, "INTERRUPT_MASK read-back", "SETTLED", "the first product completed in %.1f "
		     "ms, well inside the %ld ms job timeout: the handler took its completion, so "
		     "INTERRUPT_MASK reads back what the driver wrote", ev->first_ms,
		     kit.job_timeout_ms);
	else if (reached(ST_FIRST))
		fact(b, "INTERRUPT_MASK read-back", "OPEN", "the first product did not complete: "
		     "if its job timed out with the core's log showing no fault, a mask that reads "
		     "back wrong is one candidate (every job would time out)");
	else
		fact(b, "INTERRUPT_MASK read-back", "OPEN", "no product ran");

	/* FEATURE_GRAINS */
	if (ev->tasks_ok && ev->max_rows >= 1020 && ev->min_rows == 1)
		fact(b, "FEATURE_GRAINS = rows + 1", "SETTLED", "right results from tasks of 1 to "
		     "%u rows (%u tasks)", ev->max_rows, ev->tasks_ok);
	else if (ev->tasks_ok)
		fact(b, "FEATURE_GRAINS = rows + 1", "OPEN", "right results from tasks of %u to %u "
		     "rows only (the shapes step covers 1 to 1020)", ev->min_rows, ev->max_rows);
	else
		fact(b, "FEATURE_GRAINS = rows + 1", "OPEN", "no product completed");

	/* WEIGHT_REUSE */
	if (ev->reuse_tasks)
		fact(b, "WEIGHT_REUSE of row slices", "SETTLED", "%u tasks that reuse the weights "
		     "left in the CBUF gave right results", ev->reuse_tasks);
	else
		fact(b, "WEIGHT_REUSE of row slices", "OPEN", "no task with WEIGHT_REUSE completed%s",
		     reached(ST_SHAPES) ? " (see the shapes step)" : ": the shapes step was not reached");

	/* CBUF banks */
	if (ev->max_data_banks > 8)
		fact(b, "CBUF of 12 banks", "SETTLED", "a task with DATA_BANK %u (its A tile beyond "
		     "the TRM's 8 banks) gave right results, and every task splits 12 banks",
		     ev->max_data_banks);
	else
		fact(b, "CBUF of 12 banks", "OPEN", "no task with more than 8 data banks completed "
		     "(largest DATA_BANK %u)", ev->max_data_banks);

	/* FP16 rounding */
	if (ev->rnd_elems[0] && ev->rnd_elems[1]) {
		bool once = ev->rnd_equal[0] == ev->rnd_elems[0] &&
			    ev->rnd_equal[1] == ev->rnd_elems[1];

		fact(b, "FP16 rounding", once ? "SETTLED" : "AGAINST", "FP16>FP32: %llu of %llu "
		     "results equal the exact sum rounded once to nearest even (%llu one ulp away, "
		     "at most %llu ulp); FP16>FP16: %llu of %llu (%llu one ulp away, at most %llu "
		     "ulp); integer sums rounded 1 ulp the other way: %llu%s",
		     ev->rnd_equal[0], ev->rnd_elems[0], ev->rnd_ulp1[0], ev->rnd_max_ulp[0],
		     ev->rnd_equal[1], ev->rnd_elems[1], ev->rnd_ulp1[1], ev->rnd_max_ulp[1],
		     ev->exact_rounded_diff, once ? "" : ": the NPU rounds otherwise than the model "
		     "(within the kit's tolerance, so the climb went on)");
	} else {
		fact(b, "FP16 rounding", "OPEN", "the rounding probe of the types step did not "
		     "complete");
	}

	/* DPU_RDMA */
	if (ev->tasks_ok)
		fact(b, "DPU_RDMA hang", "SETTLED", "every task programs DPU_RDMA and %u completed: "
		     "programming it is enough (the kit never sends a list without it, so whether "
		     "silicon hangs without it stays untested)", ev->tasks_ok);
	else
		fact(b, "DPU_RDMA hang", "OPEN", "no task completed");

	/* M = 1 */
	if (ev->m1_ok)
		fact(b, "M = 1 surface stride", "SETTLED", "%u one-row products (surface stride -3, "
		     "wrapping) gave right results", ev->m1_ok);
	else
		fact(b, "M = 1 surface stride", "OPEN", "no one-row product completed%s",
		     reached(ST_SHAPES) ? "" : ": the shapes step was not reached");

	/* OD_BYPASS */
	if (ev->fp16_out_ok && ev->fp32_out_ok && ev->int32_out_ok)
		fact(b, "OD_BYPASS 1 for FP16 output", "SETTLED", "FP16>FP16 (%u products), "
		     "FP16>FP32 (%u) and INT8>INT32 (%u) right with OD_BYPASS 1; what 0 does stays "
		     "untested", ev->fp16_out_ok, ev->fp32_out_ok, ev->int32_out_ok);
	else
		fact(b, "OD_BYPASS 1 for FP16 output", "OPEN", "FP16>FP16 products right: %u%s",
		     ev->fp16_out_ok, reached(ST_TYPES) ? "" : ": the types step was not reached");

	/* Bandwidth */
	if (ev->bw_measured)
		fact(b, "1000 MB/s DMA bandwidth", ev->bw_ms <= ev->bw_predicted_ms ? "SETTLED" :
		     "AGAINST", "the largest task (FP16, K 8192, 20 rows, 8192 columns) moved its "
		     "bytes at %.0f MB/s at least: %.3f ms from the ioctl to the end of the wait, "
		     "against %.3f ms predicted", ev->bw_mbps, ev->bw_ms, ev->bw_predicted_ms);
	else if (ev->bw_skipped)
		fact(b, "1000 MB/s DMA bandwidth", "OPEN", "the largest task was skipped on the "
		     "simulated NPU, whose speed says nothing about silicon's anyway");
	else
		fact(b, "1000 MB/s DMA bandwidth", "OPEN", "the largest task did not run");

	/* Task gap */
	if (ev->gap_measured)
		fact(b, "100 us between two tasks", ev->gap_us <= ev->gap_pred_us ? "SETTLED" :
		     "AGAINST", "%u small tasks took %.1f us each, their work, interrupt and next "
		     "kick included, against %.1f us predicted (%u us of it for the gap)",
		     ev->gap_tasks, ev->gap_us, ev->gap_pred_us, kit_task_gap_ns() / 1000);
	else
		fact(b, "100 us between two tasks", "OPEN", "the many-small-tasks product did not "
		     "run");

	/* Split K: the DPU-only INT32 add, and the FP32 add it lacks */
	if (ev->split_bad)
		fact(b, "split K: DPU-only INT32 add", "AGAINST", "a product with a split K was "
		     "wrong or did not complete (failure section): the add tasks' register set, "
		     "PC_OPERATION_ENABLE 0x18 or the notched tiles do not hold");
	else if (ev->split_ok && ev->notched_adds_ok && ev->split_extreme_ok)
		fact(b, "split K: DPU-only INT32 add", "SETTLED", "%u products with a split K, K "
		     "up to %u, exact, %u add tasks (%u of tiles shorter than C, read through "
		     "the notches), sums of 2^30 exact", ev->split_ok, ev->split_max_k,
		     ev->add_tasks_ok, ev->notched_adds_ok);
	else
		fact(b, "split K: DPU-only INT32 add", "OPEN", "%u products with a split K ran "
		     "right (%u add tasks, %u notched)%s", ev->split_ok, ev->add_tasks_ok,
		     ev->notched_adds_ok, reached(ST_SPLITK) ? "" : "; the split-k step "
		     "was not reached");
	/* The FP32 add: only the SUBMIT probe of step split-k reaches it */
	if (fp32_fact.status)
		fact(b, "split K: DPU-only FP32 add", fp32_fact.status, "%s", fp32_fact.how);
	else
		fact(b, "split K: DPU-only FP32 add", "OPEN", "the probe (a DPU-only FP32 add "
		     "through SUBMIT, after the split-k step's products) was not reached%s",
		     reached(ST_SPLITK) ? ": a product of the split-k step failed" :
		     ": the split-k step was not reached");

	/* Speed */
	if (ev->bench_ran)
		fact(b, "speed", "SETTLED", "rocket_gemm --bench ran: its table is in the "
		     "throughput section");
	else if (ev->bench_skipped)
		fact(b, "speed", "OPEN", "rocket_gemm --bench was skipped on the simulated NPU, "
		     "whose speed says nothing about silicon's");
	else
		fact(b, "speed", "OPEN", "rocket_gemm --bench did not run");
}

/* ---------------------------------------------------------------------- */
/* Main                                                                     */

static int (*const step_fn[ST_COUNT])(int) = {
	step_node, step_bo, step_first, step_cores, step_types, step_shapes, step_qwen,
	step_splitk, step_throughput,
};

static int step_index(const char *name)
{
	int i;

	for (i = 0; i < ST_COUNT; i++)
		if (!strcmp(name, steps[i].name) || (isdigit((unsigned char)*name) &&
						    atoi(name) == i + 1))
			return i;
	return -1;
}

static void usage(FILE *f)
{
	int i;

	fprintf(f,
		"usage: rocket-bringup [-o REPORT] [--up-to STEP] [--skip STEP[,STEP...]] [--seed N]\n"
		"                      [--kselftest-dir DIR]\n"
		"       rocket-bringup --plan TYPE M K N [CORES]   (no NPU: the kernel's plan and\n"
		"                                                   command lists, for TYPE i8i32,\n"
		"                                                   f16f32 or f16f16)\n"
		"       rocket-bringup --list\n"
		"       rocket-bringup --fp32-add-selftest   (no NPU: the FP32 add probe's CPU\n"
		"                                             references and comparison)\n"
		"Runs the steps in order and stops at the first that fails; writes REPORT\n"
		"(default rocket-bringup-report.txt). Run it as root. Exit status: 0 every step\n"
		"passed, 1 a step failed, 2 the kit could not run. --skip leaves steps out (not\n"
		"node, which every other step needs).\n"
		"Test seam, refused unless the NPU is rocket's simulated one:\n"
		"  --sim-hang-at STEP   make the simulator hang the first task of STEP\n"
		"Steps:\n");
	for (i = 0; i < ST_COUNT; i++)
		fprintf(f, "  %d %-14s %s\n", i + 1, steps[i].name, steps[i].what);
}

/* --plan: what the kernel would make of a product, without the NPU. */
static int show_plan(int argc, char **argv)
{
	struct kit_matmul mm = { 0 };
	struct kit_plan plan;
	struct sbuf b = { 0 };
	const char *reason;
	uint32_t cores = argc > 5 ? atoi(argv[5]) : 3, obpe, j;
	int ret;

	if (argc < 5)
		return usage(stderr), 2;
	mm.type = !strcmp(argv[1], "i8i32") ? DRM_ROCKET_MATMUL_INT8_INT32 :
		  !strcmp(argv[1], "f16f32") ? DRM_ROCKET_MATMUL_FP16_FP32 :
		  !strcmp(argv[1], "f16f16") ? DRM_ROCKET_MATMUL_FP16_FP16 : 0;
	mm.m = atoi(argv[2]);
	mm.k = atoi(argv[3]);
	mm.n = atoi(argv[4]);
	obpe = mm.type == DRM_ROCKET_MATMUL_FP16_FP16 ? 2 : 4;
	mm.a_addr = 0x00100000;
	mm.a_size = (uint64_t)mm.m * mm.k * (mm.type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2);
	mm.b_addr = 0x10000000;
	mm.b_size = (uint64_t)mm.k * mm.n * (mm.type == DRM_ROCKET_MATMUL_INT8_INT32 ? 1 : 2);
	mm.c_addr = 0x80000000u;
	mm.c_size = (uint64_t)mm.m * mm.n * obpe;
	ret = kit_plan(&mm, cores, &plan, &reason);
	if (ret) {
		printf("refused: %s (%s)\n", errname(-ret), reason);
		return 1;
	}
	plan_text(&b, &plan);
	for (j = 0; j < plan.job_count; j++)
		regcmd_text(&b, j, 0);
	fputs(b.p, stdout);
	return 0;
}

static void on_signal(int sig)
{
	(void)sig;
	/* the report on disk holds every step so far: leave it as it is */
	_exit(3);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX];
	ssize_t n;
	int i, ret = 0;

	fp16_table();
	if (argc > 1 && !strcmp(argv[1], "--plan"))
		return show_plan(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "--fp32-add-selftest"))
		return fp32_add_selftest();

	kit.path = "rocket-bringup-report.txt";
	kit.seed = 20261204;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	self[n > 0 ? n : 0] = 0;
	if (n > 0 && strrchr(self, '/'))
		*strrchr(self, '/') = 0;
	snprintf(kit.kselftest_dir, sizeof(kit.kselftest_dir), "%s/kselftest/rocket",
		 n > 0 ? self : ".");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			kit.path = argv[++i];
		} else if (!strcmp(argv[i], "--up-to") && i + 1 < argc) {
			kit.up_to = step_index(argv[++i]);
			if (kit.up_to < 0)
				return usage(stderr), 2;
		} else if (!strcmp(argv[i], "--skip") && i + 1 < argc) {
			char *list = argv[++i], *name;

			for (name = strtok(list, ","); name; name = strtok(NULL, ",")) {
				int st = step_index(name);

				if (st <= 0) {
					fprintf(stderr, "rocket-bringup: --skip %s: %s\n", name,
						st ? "no such step" : "every step needs the node");
					return 2;
				}
				kit.skip |= 1u << st;
			}
		} else if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
			kit.seed = strtoul(argv[++i], NULL, 0);
		} else if (!strcmp(argv[i], "--kselftest-dir") && i + 1 < argc) {
			snprintf(kit.kselftest_dir, sizeof(kit.kselftest_dir), "%s", argv[++i]);
		} else if (!strcmp(argv[i], "--sim-hang-at") && i + 1 < argc) {
			kit.sim_hang_at = step_index(argv[++i]);
			if (kit.sim_hang_at < 0)
				return usage(stderr), 2;
		} else if (!strcmp(argv[i], "--list")) {
			usage(stdout);
			return 0;
		} else {
			usage(!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ? stdout : stderr);
			return strcmp(argv[i], "--help") && strcmp(argv[i], "-h") ? 2 : 0;
		}
	}

	kit.t0 = now_s();
	kit.started = time(NULL);
	kit.sim_cores = read_long("/sys/module/rocket/parameters/sim_cores", -1);
	kit.sim = kit.sim_cores > 0;
	kit.job_timeout_ms = 500;
	if (kit.sim && read_long("/sys/module/rocket/parameters/sim_job_timeout_ms", 0) > 0)
		kit.job_timeout_ms = read_long("/sys/module/rocket/parameters/sim_job_timeout_ms",
					       500);
	if (kit.sim_hang_at >= 0 && (!kit.sim || access("/sys/kernel/debug/rocket_sim/hang_tasks",
							 W_OK))) {
		fprintf(stderr, "rocket-bringup: --sim-hang-at needs rocket's simulated NPU and "
			"debugfs (rocket_sim/hang_tasks); refused\n");
		return 2;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);

	{
		struct sbuf *b = &kit.sec[S_KIT];
		char date[64];

		strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", gmtime(&kit.started));
		sb_add(b, "rocket-bringup %s\n", KIT_VERSION);
		sb_add(b, "started: %s\n", date);
		sb_add(b, "seed: %lu\n", kit.seed);
		sb_add(b, "kselftest dir: %s\n", kit.kselftest_dir);
		sb_add(b, "sends: DRM_IOCTL_ROCKET_MATMUL products, whose command lists the "
		       "kernel's encoder writes; and one command list of its own through "
		       "DRM_IOCTL_ROCKET_SUBMIT: the DPU-only FP32 add probe of step 8 split-k "
		       "(one task: the kernel's INT32 add with FP32 precision fields, over the "
		       "kit's own BOs)%s\n", kit.sim ? "; on the simulated NPU also that add "
		       "with its INT32 fields" : "");
		if (kit.sim_hang_at >= 0)
			sb_add(b, "fault injection: the simulator hangs the first task of step %d %s "
			       "(--sim-hang-at)\n", kit.sim_hang_at + 1, steps[kit.sim_hang_at].name);
		if (kit.up_to < ST_COUNT - 1)
			sb_add(b, "stops after step %d %s (--up-to)\n", kit.up_to + 1,
			       steps[kit.up_to].name);
		for (i = 0; i < ST_COUNT; i++)
			if (kit.skip & 1u << i)
				sb_add(b, "skips step %d %s (--skip)\n", i + 1, steps[i].name);
	}
	printf("rocket-bringup %s: report in %s\n", KIT_VERSION, kit.path);
	klog_start();
	system_collect();
	config_collect();
	dt_collect();
	clocks_collect();
	report_write();

	for (i = 0; i <= kit.up_to; i++) {
		double t = now_s();

		if (kit.skip & 1u << i) {
			kit.state[i] = SKIPPED;
			printf("step %d %s: skipped (--skip)\n", i + 1, steps[i].name);
			step_say(i, "  skipped (--skip)\n");
			continue;
		}

		kit.state[i] = RUNNING;
		snprintf(kit.running, sizeof(kit.running), "step %d %s", i + 1, steps[i].name);
		printf("step %d %s: %s\n", i + 1, steps[i].name, steps[i].what);
		report_write();
		ret = step_fn[i](i);
		kit.step_s[i] = now_s() - t;
		kit.state[i] = ret ? FAILED : PASSED;
		printf("step %d %s: %s in %.3f s\n", i + 1, steps[i].name, state_names[kit.state[i]],
		       kit.step_s[i]);
		if (ret) {
			kit.failed_step = i;
			break;
		}
	}
	if (kit.failed_step < 0) {
		sb_add(&kit.sec[S_FAILURE], "none: every step run passed\n");
	} else if (!kit.sec[S_FAILURE].len) {
		/* a failure that is not a product's: the node, a BO, the bench */
		sb_add(&kit.sec[S_FAILURE], "step: %d %s\nwhat failed: %s\n", kit.failed_step + 1,
		       steps[kit.failed_step].name, kit.fail_reason);
		sb_add(&kit.sec[S_FAILURE], "no product was running: no command list\n");
	}
	if (!kit.sec[S_THROUGHPUT].len)
		sb_add(&kit.sec[S_THROUGHPUT], "not measured: the throughput step did not run\n");
	usleep(200000);
	klog_poll();
	iommu_write();
	kit.finished = true;
	report_write();
	printf("%s: %s\n", kit.path, kit.failed_step < 0 ? "PASS" : "FAIL");
	return kit.failed_step < 0 ? 0 : 1;
}
