/* persist.c -- what it costs to make data durable: CLWB vs CLFLUSHOPT vs CLFLUSH vs non-temporal
 * stores, with libpmem2 and glibc as baselines in the same run.
 *
 *   daxbench run persist --dir /mnt/pmem --set op=store+clwb,nt-ymm --set size=64:*4:64K
 *   daxbench run persist --device /dev/dax0.0 --set target=devdax
 *   daxbench run persist --set target=anon --set threads=1,2    (DRAM)
 *
 * Each repetition has three phases on each worker's own slice (`region` bytes) of one mapping:
 *   latency    lat_ops operations, each timed with the fenced TSC and ended by MFENCE before the
 *              stop (rdtscp alone does not wait for stores and flushes to drain; the empty
 *              MFENCE's cost is measured and subtracted); the line(s) are loaded (hot) or evicted
 *              (cold) before each op, outside the timing. Operations shorter than 20 timer
 *              overheads are timed in batches; the batch size is recorded (observed.latency_batch).
 *   bandwidth  operations back to back for duration_ms, one sample per 100 ms window per thread, and
 *              the aggregate over threads per repetition (observed.agg_bw_series keeps the order).
 *              Perf counters cover this phase only. `state` does not apply here: the region does.
 *   reload     for flushing ops: a load right after store+flush+sfence of a line, against a load of
 *              a cached line and of an evicted one: does this CPU keep the line after the flush?
 * On a target that is neither a DAX file nor devdax the data is not durable (observed.durable) and
 * libpmem2 is made to flush with CPU instructions anyway (PMEM2_FORCE_GRANULARITY=CACHE_LINE) so
 * that the instructions are what is compared.
 */
#include "daxbench/bench.h"
#include "daxbench/env.h"
#include "daxbench/kernels.h"
#include "daxbench/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <immintrin.h>
#include <libpmem2.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { M_LAT, M_BW, M_AGG_BW, M_RELOAD, M_HOT, M_COLD };

static const char *const ops[] = {
	"store", "store+clflush", "store+clflushopt", "store+clwb", "movnti32", "movnti", "movntdq", "nt-ymm", "nt-zmm",
	"movdir64b", "memset", "memset+clwb", "memset+pmem2-persist", "pmem2-memset-nt", "pmem2-memset-t",
	"pmem2-memcpy-nt", "pmem2-memcpy-t", NULL,
};
static const char *const patterns[] = { "seq", "random", "stride", NULL };
static const char *const states[] = { "hot", "cold", NULL };
static const char *const fences[] = { "line", "op", "bytes", "none", NULL };
static const char *const targets[] = { "auto", "file", "devdax", "anon", NULL };

static const struct db_param persist_params[] = {
	{ .name = "op", .type = DB_PT_ENUM, .def = "store+clwb", .choices = ops,
	  .help = "kernel, or a libpmem2/glibc baseline" },
	{ .name = "size", .type = DB_PT_SIZE, .def = "256", .min = 64, .max = 64 << 20,
	  .help = "bytes per operation (a multiple of 64)" },
	{ .name = "region", .type = DB_PT_SIZE, .def = "64M", .min = 4096, .max = 1LL << 40,
	  .help = "working set per thread" },
	{ .name = "pattern", .type = DB_PT_ENUM, .def = "seq", .choices = patterns,
	  .help = "where successive operations land" },
	{ .name = "stride", .type = DB_PT_SIZE, .def = "4K", .min = 64, .max = 1LL << 40,
	  .help = "distance between operations for pattern=stride" },
	{ .name = "state", .type = DB_PT_ENUM, .def = "hot", .choices = states,
	  .help = "latency: lines loaded (hot) or evicted (cold) before each op" },
	{ .name = "fence", .type = DB_PT_ENUM, .def = "op", .choices = fences,
	  .help = "SFENCE after every line, every op, every fence_bytes, or never" },
	{ .name = "fence_bytes", .type = DB_PT_SIZE, .def = "256", .min = 64, .max = 64 << 20,
	  .help = "fence interval for fence=bytes" },
	{ .name = "target", .type = DB_PT_ENUM, .def = "auto", .choices = targets,
	  .help = "file in --dir, the --device devdax, DRAM (anon: a memfd); auto: devdax if --device" },
	{ .name = "duration_ms", .type = DB_PT_INT, .def = "100", .min = 10, .max = 3600000,
	  .help = "bandwidth phase length per repetition" },
	{ .name = "lat_ops", .type = DB_PT_INT, .def = "1000", .min = 0, .max = 10000000,
	  .help = "timed operations per repetition in the latency phase" },
	{ 0 },
};

static const struct db_metric_desc persist_metrics[] = {
	[M_LAT] = { "latency_ns", "ns", DB_LOWER_BETTER, "per operation, timer overhead subtracted" },
	[M_BW] = { "bw_bytes_per_sec", "bytes_per_sec", DB_HIGHER_BETTER, "per thread, per 100 ms window" },
	[M_AGG_BW] = { "agg_bw_bytes_per_sec", "bytes_per_sec", DB_HIGHER_BETTER, "all threads, per repetition" },
	[M_RELOAD] = { "reload_ns", "ns", DB_NO_BETTER, "load right after store+flush+sfence of the line" },
	[M_HOT] = { "hot_load_ns", "ns", DB_NO_BETTER, "load of a cached line (reference)" },
	[M_COLD] = { "cold_load_ns", "ns", DB_NO_BETTER, "load of an evicted line (reference)" },
	{ 0 },
};

enum kind { K_KERNEL, K_MEMSET, K_MEMSET_CLWB, K_MEMSET_PMEM2, K_PMEM2_MEMSET, K_PMEM2_MEMCPY };

#define RELOAD_SAMPLES 200
#define LAT_MIN_OVERHEADS 20	/* a timed span should be at least this many timer overheads */

struct persist {
	enum kind kind;
	db_persist_fn fn;	/* K_KERNEL */
	unsigned pmem2_flags;
	pmem2_memset_fn memset_fn;
	pmem2_memcpy_fn memcpy_fn;
	pmem2_persist_fn persist_fn;
	size_t size, region, stride, fence_bytes, nslots;
	int pattern, state;
	struct pmem2_config *cfg;
	struct pmem2_source *src;
	struct pmem2_map *map;
	int fd;
	char *base;
	char **srcbuf;		/* per thread, for memcpy */
	double *thread_bw;
	int batch;
	double reload[RELOAD_SAMPLES], hot[RELOAD_SAMPLES], cold[RELOAD_SAMPLES];
	int nreload;
};

static inline uint64_t do_op(struct persist *s, char *dst, uint64_t v, int tid)
{
	switch (s->kind) {
	case K_KERNEL:
		return s->fn(dst, s->size, v, s->fence_bytes);
	case K_MEMSET:
		memset(dst, (int)(v & 0xff), s->size);
		if (s->fence_bytes)
			_mm_sfence();	/* glibc may use non-temporal stores for large sizes */
		return s->size;
	case K_MEMSET_CLWB:
		memset(dst, (int)(v & 0xff), s->size);
		return db_flush_clwb(dst, s->size, 0, s->fence_bytes);
	case K_MEMSET_PMEM2:
		memset(dst, (int)(v & 0xff), s->size);
		s->persist_fn(dst, s->size);
		return s->size;
	case K_PMEM2_MEMSET:
		s->memset_fn(dst, (int)(v & 0xff), s->size, s->pmem2_flags);
		return s->size;
	case K_PMEM2_MEMCPY:
		s->memcpy_fn(dst, s->srcbuf[tid], s->size, s->pmem2_flags);
		return s->size;
	}
	return 0;
}

/* offset of the i-th operation in a slice */
static inline size_t op_offset(const struct persist *s, uint64_t i, uint64_t *rng)
{
	switch (s->pattern) {
	case 1:
		return (size_t)(db_xorshift64(rng) % s->nslots) * s->size;
	case 2: {
		size_t off = (size_t)((i * s->stride) % (s->region - s->size + 1));
		return off & ~(size_t)63;
	}
	default:
		return (size_t)(i % s->nslots) * s->size;
	}
}

static int setup_kind(struct db_ctx *ctx, struct persist *s, const char *op, const char *fence)
{
	const struct db_persist_kernel *k = db_persist_kernel_find(op);
	char why[128];
	bool lib = !strncmp(op, "pmem2-", 6) || !strcmp(op, "memset+pmem2-persist");

	if (k) {
		if (db_cpu_refuse(k->need, why, sizeof(why)))
			return db_skip(ctx, "%s: %s", op, why);
		s->kind = K_KERNEL;
		s->fn = k->fn;
	} else if (!strcmp(op, "memset")) {
		s->kind = K_MEMSET;
	} else if (!strcmp(op, "memset+clwb")) {
		if (db_cpu_refuse(DB_CPU_CLWB, why, sizeof(why)))
			return db_skip(ctx, "%s: %s", op, why);
		s->kind = K_MEMSET_CLWB;
	} else if (!strcmp(op, "memset+pmem2-persist")) {
		s->kind = K_MEMSET_PMEM2;
	} else if (!strncmp(op, "pmem2-memset", 12)) {
		s->kind = K_PMEM2_MEMSET;
	} else {
		s->kind = K_PMEM2_MEMCPY;
	}
	if (strstr(op, "-nt"))
		s->pmem2_flags = PMEM2_F_MEM_NONTEMPORAL;
	else if (!strcmp(op + strlen(op) - 2, "-t"))
		s->pmem2_flags = PMEM2_F_MEM_TEMPORAL;

	if ((lib || s->kind == K_MEMSET) && strcmp(fence, "op") && !(s->kind == K_MEMSET && !strcmp(fence, "none")))
		return db_skip(ctx, "%s: a library call fences once, at its end: only fence=op applies%s", op,
			       s->kind == K_MEMSET ? " (or none)" : "");
	return 0;
}

/* the mapping every worker slices: a file in the scratch dir, the devdax, or anonymous memory */
static int setup_map(struct db_ctx *ctx, struct persist *s, const char *target, size_t total)
{
	bool durable = false;
	char why[160] = "";
	size_t map_len = total;
	s->fd = -1;
	if (!strcmp(target, "anon")) {
		/* a memfd, not pmem2_source_from_anon: libpmem2 treats anonymous memory as byte-granular and
		 * would not flush at all, which is no baseline for instructions that do */
		s->fd = memfd_create("daxbench-persist", MFD_CLOEXEC);
		if (s->fd < 0 || ftruncate(s->fd, (off_t)total))
			return db_fail(ctx, "memfd of %zu bytes: %s", total, strerror(errno));
		if (pmem2_source_from_fd(&s->src, s->fd))
			return db_fail(ctx, "pmem2_source_from_fd(memfd): %s", pmem2_errormsg());
		snprintf(why, sizeof(why), "DRAM (memfd)");
	} else if (!strcmp(target, "devdax")) {
		struct db_device d;
		char err[256];
		if (!ctx->device)
			return db_skip(ctx, "target=devdax needs --device /dev/daxX.Y");
		if (db_device_probe(ctx->device, &d, err, sizeof(err)))
			return db_fail(ctx, "%s", err);
		if (strcmp(d.kind, "devdax"))
			return db_skip(ctx, "target=devdax: %s is a %s device, not devdax", ctx->device, d.kind);
		/* a devdax mapping is a whole number of its alignment (2 MiB, 1 GiB) */
		map_len = (total + d.align - 1) / d.align * d.align;
		if (map_len > d.size)
			return db_skip(ctx, "target=devdax: needs %zu bytes, %s has %llu", map_len, ctx->device, d.size);
		s->fd = open(ctx->device, O_RDWR | O_CLOEXEC);
		if (s->fd < 0 || pmem2_source_from_fd(&s->src, s->fd))
			return db_fail(ctx, "%s: %s", ctx->device, s->fd < 0 ? strerror(errno) : pmem2_errormsg());
		durable = true;
		snprintf(why, sizeof(why), "devdax %s", ctx->device);
	} else {
		char path[4200];
		unsigned long long avail = db_scratch_free(ctx);
		if (avail < total + (16u << 20))
			return db_skip(ctx, "needs %zu bytes in %s, %llu free", total, ctx->target, avail);
		snprintf(path, sizeof(path), "%s/persist.dat", ctx->scratch);
		s->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (s->fd < 0)
			return db_fail(ctx, "%s: %s", path, strerror(errno));
		int e = posix_fallocate(s->fd, 0, (off_t)total);
		if (e)
			return db_fail(ctx, "fallocate %zu bytes: %s", total, strerror(e));
		if (pmem2_source_from_fd(&s->src, s->fd))
			return db_fail(ctx, "pmem2_source_from_fd: %s", pmem2_errormsg());
		durable = db_fd_is_dax(s->fd) == 1;
		snprintf(why, sizeof(why), "%s file", durable ? "DAX" : "page-cache (not DAX)");
	}
	if (pmem2_config_new(&s->cfg) ||
	    pmem2_config_set_required_store_granularity(s->cfg, PMEM2_GRANULARITY_PAGE))
		return db_fail(ctx, "pmem2_config: %s", pmem2_errormsg());
	pmem2_config_set_length(s->cfg, map_len);
	/* off pmem, make libpmem2 flush with instructions rather than msync, as the kernels do */
	const char *old = getenv("PMEM2_FORCE_GRANULARITY");
	char *saved = old ? strdup(old) : NULL;
	if (!durable)
		setenv("PMEM2_FORCE_GRANULARITY", "CACHE_LINE", 1);
	int rc = pmem2_map_new(&s->map, s->cfg, s->src);
	if (!durable) {
		if (saved)
			setenv("PMEM2_FORCE_GRANULARITY", saved, 1);
		else
			unsetenv("PMEM2_FORCE_GRANULARITY");
	}
	free(saved);
	if (rc)
		return db_fail(ctx, "pmem2_map_new: %s", pmem2_errormsg());
	s->base = pmem2_map_get_address(s->map);
	s->memset_fn = pmem2_get_memset_fn(s->map);
	s->memcpy_fn = pmem2_get_memcpy_fn(s->map);
	s->persist_fn = pmem2_get_persist_fn(s->map);
	enum pmem2_granularity g = pmem2_map_get_store_granularity(s->map);
	db_observe_str(ctx, "pmem2_granularity", g == PMEM2_GRANULARITY_BYTE ? "byte" :
				 g == PMEM2_GRANULARITY_CACHE_LINE ? "cache_line" : "page");
	db_observe_str(ctx, "pmem2_granularity_forced", durable ? "no" : "CACHE_LINE (target is not pmem)");
	db_observe_str(ctx, "durable", durable ? "yes" : "no");
	db_observe_str(ctx, "mapping", why);
	/* allocate and fault in every page now, outside any timing */
	memset(s->base, 0, total);
	return 0;
}

/* time ops one by one, or in batches when one op is too short for the timer */
static void calibrate_batch(struct db_ctx *ctx, struct persist *s)
{
	double t[51];
	for (int i = 0; i < 51; i++) {
		char *dst = s->base + (size_t)(i % (int)s->nslots) * s->size;
		uint64_t t0 = db_ts_start();
		do_op(s, dst, 0x1111, 0);
		uint64_t t1 = db_ts_stop_fenced();
		t[i] = db_ticks_ns(t1 - t0) - db_ts_overhead_ns() - db_timing.fence_overhead_ns;
	}
	db_sort_doubles(t, 51);
	double med = t[25] > 0.5 ? t[25] : 0.5, want = LAT_MIN_OVERHEADS * db_ts_overhead_ns();
	s->batch = med >= want ? 1 : (int)ceil(want / med);
	if (s->batch > 1024)
		s->batch = 1024;
	if ((size_t)s->batch > s->nslots)
		s->batch = (int)s->nslots;
	db_observe_num(ctx, "latency_batch", s->batch);
	db_observe_num(ctx, "latency_calibration_median_ns", t[25]);
}

static int persist_setup(struct db_ctx *ctx)
{
	struct persist *s = calloc(1, sizeof(*s));
	if (!s)
		return db_fail(ctx, "out of memory");
	ctx->priv = s;
	s->fd = -1;
	const char *op = db_str(ctx, "op"), *fence = db_str(ctx, "fence");
	s->size = (size_t)db_int(ctx, "size");
	s->region = (size_t)db_int(ctx, "region");
	s->stride = (size_t)db_int(ctx, "stride");
	s->pattern = !strcmp(db_str(ctx, "pattern"), "random") ? 1 : !strcmp(db_str(ctx, "pattern"), "stride") ? 2 : 0;
	s->state = !strcmp(db_str(ctx, "state"), "cold");
	s->fence_bytes = !strcmp(fence, "line") ? 64 : !strcmp(fence, "op") ? s->size :
			 !strcmp(fence, "bytes") ? (size_t)db_int(ctx, "fence_bytes") : 0;
	if (s->size % 64)
		return db_fail(ctx, "size=%zu is not a multiple of 64", s->size);
	if (s->region < s->size)
		return db_skip(ctx, "region=%zu is smaller than size=%zu", s->region, s->size);
	if (s->region % 64)
		return db_fail(ctx, "region=%zu is not a multiple of 64", s->region);
	s->nslots = s->region / s->size;
	int rc = setup_kind(ctx, s, op, fence);
	if (rc)
		return rc;

	size_t per_thread = (s->region + 4095) & ~(size_t)4095;
	size_t total = per_thread * (size_t)ctx->nthreads;
	const char *target = db_str(ctx, "target");
	if (!strcmp(target, "auto"))
		target = ctx->device ? "devdax" : "file";
	db_observe_str(ctx, "target", target);
	if ((rc = setup_map(ctx, s, target, total)))
		return rc;
	s->thread_bw = calloc(ctx->nthreads, sizeof(double));
	s->srcbuf = calloc(ctx->nthreads, sizeof(char *));
	if (!s->thread_bw || !s->srcbuf)
		return db_fail(ctx, "out of memory");
	for (int t = 0; s->kind == K_PMEM2_MEMCPY && t < ctx->nthreads; t++) {
		s->srcbuf[t] = aligned_alloc(64, s->size);
		if (!s->srcbuf[t])
			return db_fail(ctx, "out of memory");
		memset(s->srcbuf[t], 0xa5, s->size);
	}
	calibrate_batch(ctx, s);
	db_observe_num(ctx, "fence_every_bytes", (double)s->fence_bytes);
	return 0;
}

/* load (hot) or evict (cold) every line of [p, p+len) */
static void prepare_lines(const struct persist *s, char *p)
{
	for (size_t off = 0; off < s->size; off += 64) {
		if (s->state)
			_mm_clflush(p + off);
		else
			(void)db_load64(p + off);
	}
	_mm_mfence();
}

static void phase_latency(struct db_worker *w, struct persist *s, char *base, uint64_t v, uint64_t *rng, int64_t nops)
{
	size_t off[1024];
	for (int64_t i = 0; i < nops && !db_stop_requested(); i += s->batch) {
		for (int b = 0; b < s->batch; b++) {
			off[b] = op_offset(s, (uint64_t)(i + b), rng);
			prepare_lines(s, base + off[b]);
		}
		uint64_t t0 = db_ts_start();
		for (int b = 0; b < s->batch; b++)
			do_op(s, base + off[b], v, w->id);
		uint64_t t1 = db_ts_stop_fenced();	/* the stores and flushes drained, not just issued */
		db_sample_fenced(w, M_LAT, t0, t1, (uint64_t)s->batch);
	}
}

static void phase_bandwidth(struct db_worker *w, struct persist *s, char *base, uint64_t v, uint64_t *rng)
{
	uint64_t duration = (uint64_t)db_int(w->ctx, "duration_ms") * 1000000ull;
	uint64_t window = duration < 100000000ull ? duration : 100000000ull;
	/* look at the clock every ~64 KiB of work, not every op */
	uint64_t check = s->size >= 65536 ? 1 : 65536 / s->size;
	uint64_t i = 0, bytes = 0, wbytes = 0;

	db_measure_begin(w);
	uint64_t start = db_clock_ns(), wstart = start, now = start;
	for (;;) {
		for (uint64_t k = 0; k < check; k++, i++)
			wbytes += do_op(s, base + op_offset(s, i, rng), v, w->id);
		now = db_clock_ns();
		if (now - wstart >= window) {
			db_sample(w, M_BW, (double)wbytes * 1e9 / (double)(now - wstart));
			bytes += wbytes;
			wbytes = 0;
			wstart = now;
			if (now - start >= duration || db_stop_requested())
				break;
		}
	}
	db_measure_end(w, i);
	s->thread_bw[w->id] = (double)bytes * 1e9 / (double)(now - start);
}

/* a load right after this op's own store+flush+fence of one line, against hot and cold loads */
static void phase_reload(struct db_worker *w, struct persist *s, char *base, uint64_t v)
{
	struct persist one = *s;
	one.size = 64;
	one.fence_bytes = 64;
	for (int j = 0; j < RELOAD_SAMPLES; j++) {
		char *line = base + ((size_t)j * 4160) % (s->region - 63) / 64 * 64;
		do_op(&one, line, v, w->id);
		uint64_t t0 = db_ts_start();
		(void)db_load64(line);
		uint64_t t1 = db_ts_stop();
		db_sample_ticks(w, M_RELOAD, t0, t1, 1);
		double r = db_ticks_ns(t1 - t0) - db_ts_overhead_ns();

		(void)db_load64(line);
		t0 = db_ts_start();
		(void)db_load64(line);
		t1 = db_ts_stop();
		db_sample_ticks(w, M_HOT, t0, t1, 1);
		double h = db_ticks_ns(t1 - t0) - db_ts_overhead_ns();

		db_evict_line(line);
		t0 = db_ts_start();
		(void)db_load64(line);
		t1 = db_ts_stop();
		db_sample_ticks(w, M_COLD, t0, t1, 1);
		double c = db_ticks_ns(t1 - t0) - db_ts_overhead_ns();
		if (s->nreload < RELOAD_SAMPLES && !db_in_warmup(w)) {
			s->reload[s->nreload] = r;
			s->hot[s->nreload] = h;
			s->cold[s->nreload++] = c;
		}
	}
}

static int persist_run(struct db_worker *w, int rep)
{
	struct persist *s = w->ctx->priv;
	char *base = s->base + (size_t)w->id * ((s->region + 4095) & ~(size_t)4095);
	uint64_t v = 0x0123456789abcdefull ^ (uint64_t)rep ^ ((uint64_t)w->id << 56);
	uint64_t rng = 0x9e3779b97f4a7c15ull ^ ((uint64_t)rep << 32) ^ (uint64_t)(w->id + 1);

	phase_latency(w, s, base, v, &rng, db_int(w->ctx, "lat_ops"));
	phase_bandwidth(w, s, base, v, &rng);
	db_barrier(w);
	if (w->id == 0) {
		double sum = 0;
		for (int t = 0; t < w->ctx->nthreads; t++)
			sum += s->thread_bw[t];
		db_sample(w, M_AGG_BW, sum);
		db_observe_append(w->ctx, "agg_bw_series", sum);
		if (s->kind == K_KERNEL && strstr(db_str(w->ctx, "op"), "store+"))
			phase_reload(w, s, base, v);
	}
	return 0;
}

static void persist_teardown(struct db_ctx *ctx)
{
	struct persist *s = ctx->priv;
	if (!s)
		return;
	if (s->nreload) {
		db_sort_doubles(s->reload, (size_t)s->nreload);
		db_sort_doubles(s->hot, (size_t)s->nreload);
		db_sort_doubles(s->cold, (size_t)s->nreload);
		double r = s->reload[s->nreload / 2], h = s->hot[s->nreload / 2], c = s->cold[s->nreload / 2];
		char v[200];
		if (c - h < 2 * db_ts_overhead_ns() / LAT_MIN_OVERHEADS + 1)
			snprintf(v, sizeof(v), "undecided: cached and evicted loads differ too little (%.1f vs %.1f ns)", h, c);
		else
			snprintf(v, sizeof(v), "%s (reload %.1f ns, cached %.1f ns, evicted %.1f ns)",
				 r < (h + c) / 2 ? "line stays cached after the flush" : "line is evicted by the flush",
				 r, h, c);
		db_observe_str(ctx, "reload_verdict", v);
	}
	if (s->map)
		pmem2_map_delete(&s->map);
	if (s->src)
		pmem2_source_delete(&s->src);
	if (s->cfg)
		pmem2_config_delete(&s->cfg);
	if (s->fd >= 0)
		close(s->fd);
	for (int t = 0; s->srcbuf && t < ctx->nthreads; t++)
		free(s->srcbuf[t]);
	free(s->srcbuf);
	free(s->thread_bw);
	free(s);
	ctx->priv = NULL;
}

const struct db_bench db_bench_persist = {
	.name = "persist",
	.summary = "persist instructions: latency, bandwidth and reload of store+flush and non-temporal stores",
	.params = persist_params,
	.metrics = persist_metrics,
	.flags = DB_NEEDS_DIR | DB_THREADED,
	.setup = persist_setup,
	.run = persist_run,
	.teardown = persist_teardown,
};
