/* fault.c -- what each kind of page fault costs, on DAX, the page cache, shmem and anonymous memory,
 * with 4 KiB or 2 MiB pages, and the fault size actually obtained.
 *
 *   daxbench run fault --dir /mnt/pmem --set kind=read,read-hole,write-alloc,write --set page=4K,2M
 *   daxbench run fault --set map=anon,shmem --set kind=write --set threads=1,2
 *   daxbench run fault --device /dev/dax0.0 --set map=devdax --set page=2M
 *
 * Every repetition maps the range afresh (and re-creates the file state the kind needs: holes,
 * unwritten extents, written blocks, dropped page cache), then times each first touch: one per
 * 4 KiB page, or one per 2 MiB for page=2M. For page=2M an untimed pass then touches every 4 KiB
 * page inside the counted region, so the fault count says what was obtained: 1 fault per 2 MiB is
 * a PMD fault, 512 is a fallback to PTEs, reported loudly. Faults are counted per thread with
 * getrusage(RUSAGE_THREAD), independently of the perf page-faults counter in the same record;
 * /proc/self/smaps and, on DAX, the fs_dax:dax_pmd_fault_done tracepoint say the same from the
 * kernel's side. A fault may map more than the page it was taken on (read fault-around, or a whole
 * large folio of the page cache on newer kernels): the record says how many pages each fault
 * mapped instead of pretending one. Kinds with an untimed first
 * phase (read-then-write, hole-then-write: read every page; rewrite-after-sync: write and msync)
 * record that phase's faults too (first_phase_faults_per_4k_page).
 */
#include "daxbench/bench.h"
#include "daxbench/compat.h"
#include "daxbench/env.h"
#include "daxbench/kernels.h"
#include "daxbench/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>


#define SZ_4K 4096ul
#define SZ_2M (2ul << 20)

enum { M_FAULT, M_PER_FAULT, M_RATE, M_AGG_RATE };
enum map { FM_SHARED, FM_PRIVATE, FM_DEVDAX, FM_ANON, FM_SHMEM, FM_AUTO };
enum kind { K_READ, K_READ_HOLE, K_WRITE_ALLOC, K_WRITE_PREALLOC, K_WRITE, K_READ_THEN_WRITE, K_REWRITE_SYNC,
	    K_POPULATE, K_HOLE_THEN_WRITE };

static const char *const maps[] = { "shared", "private", "devdax", "anon", "shmem", "auto", NULL };
static const char *const kinds[] = { "read", "read-hole", "write-alloc", "write-prealloc", "write",
				     "read-then-write", "rewrite-after-sync", "populate", "hole-then-write", NULL };
static const char *const pages[] = { "4K", "2M", NULL };
static const char *const mms[] = { "one", "separate", NULL };
static const char *const caches[] = { "warm", "cold", NULL };

static const struct db_param fault_params[] = {
	{ .name = "map", .type = DB_PT_ENUM, .def = "auto", .choices = maps,
	  .help = "shared/private file in --dir (DAX on a DAX mount), --device devdax, anon, shmem (memfd); "
		  "auto: devdax with --device, else shared" },
	{ .name = "kind", .type = DB_PT_ENUM, .def = "write", .choices = kinds, .help = "what the first touch finds" },
	{ .name = "page", .type = DB_PT_ENUM, .def = "4K", .choices = pages,
	  .help = "fault size asked for; the size obtained is measured" },
	{ .name = "size", .type = DB_PT_SIZE, .def = "16M", .min = 2 << 20, .max = 1LL << 40,
	  .help = "mapping size per thread (a multiple of 2M)" },
	{ .name = "mm", .type = DB_PT_ENUM, .def = "one", .choices = mms,
	  .help = "threads fault disjoint ranges of one mapping, or each maps its own" },
	{ .name = "cache", .type = DB_PT_ENUM, .def = "warm", .choices = caches,
	  .help = "page cache kept (warm) or dropped before each repetition (cold: major faults)" },
	{ 0 },
};

static const struct db_metric_desc fault_metrics[] = {
	[M_FAULT] = { "fault_ns", "ns", DB_LOWER_BETTER, "each first touch timed (a 2M touch for page=2M)" },
	[M_PER_FAULT] = { "ns_per_fault", "ns", DB_LOWER_BETTER,
			  "sum of the touches' times (timer overhead off) / the faults they took, per repetition" },
	[M_RATE] = { "faults_per_sec", "per_sec", DB_HIGHER_BETTER, "faults of the timed touches / their time, per thread" },
	[M_AGG_RATE] = { "agg_faults_per_sec", "per_sec", DB_HIGHER_BETTER, "all threads, per repetition" },
	{ 0 },
};

struct fault {
	enum map map;
	enum kind kind;
	bool huge, separate, cold, dax;
	size_t size;		/* per thread */
	size_t unit;		/* the timed touch: 4K or 2M */
	size_t touches;		/* timed touches per thread per repetition */
	int fd;
	char *one;		/* mm=one: the shared mapping of this repetition */
	uint64_t **ticks;	/* per thread, prefaulted */
	double *rate;
	long *faults, *majflt;	/* per thread, measured repetitions */
	long *pre_faults;	/* faults of the untimed first phase (read-then-write, hole-then-write) */
	uint64_t *touched4k;	/* 4K pages touched in counted regions, per thread */
	struct db_trace trace;
	bool tracing;
	long trace_nopage, trace_fallback;
	long smaps_pmd_kb;
	const char *smaps_field;
};

static bool is_write_kind(enum kind k)
{
	return k != K_READ && k != K_READ_HOLE;
}

static int fault_check(struct db_ctx *ctx, struct fault *f)
{
	const char *k = db_str(ctx, "kind"), *m = maps[f->map];
	if (f->map == FM_ANON && f->kind != K_READ && f->kind != K_WRITE && f->kind != K_READ_THEN_WRITE &&
	    f->kind != K_POPULATE && f->kind != K_HOLE_THEN_WRITE)
		return db_skip(ctx, "kind=%s needs a file: anonymous memory has no holes, extents or writeback", k);
	if (f->map == FM_DEVDAX && f->kind != K_READ && f->kind != K_WRITE && f->kind != K_READ_THEN_WRITE &&
	    f->kind != K_POPULATE)
		return db_skip(ctx, "kind=%s: devdax has no holes, extents or writeback", k);
	if (f->kind == K_REWRITE_SYNC && (f->map == FM_PRIVATE || f->map == FM_SHMEM))
		return db_skip(ctx, "kind=rewrite-after-sync: msync write-protects nothing on a %s mapping", m);
	if (f->cold && (f->map == FM_ANON || f->map == FM_SHMEM || f->map == FM_DEVDAX))
		return db_skip(ctx, "cache=cold: %s memory has no page cache to drop", m);
	return 0;
}

/* the file (or memfd, or devdax) the mappings come from; written as the kind needs */
static int fault_open(struct db_ctx *ctx, struct fault *f, size_t total)
{
	f->fd = -1;
	if (f->map == FM_ANON)
		return 0;
	if (f->map == FM_DEVDAX) {
		struct db_device d;
		char err[256];
		if (!ctx->device)
			return db_skip(ctx, "map=devdax needs --device /dev/daxX.Y");
		if (db_device_probe(ctx->device, &d, err, sizeof(err)))
			return db_fail(ctx, "%s", err);
		if (strcmp(d.kind, "devdax"))
			return db_skip(ctx, "map=devdax: %s is a %s device", ctx->device, d.kind);
		if (!f->huge && d.align > SZ_4K)
			return db_skip(ctx, "page=4K: %s has %llu-byte alignment, so it only takes faults of that size "
				       "(4K faults would be SIGBUS)", ctx->device, d.align);
		if (f->huge && d.align > SZ_2M)
			return db_skip(ctx, "page=2M: %s has %llu-byte alignment", ctx->device, d.align);
		if (total > d.size)
			return db_skip(ctx, "map=devdax: needs %zu bytes, %s has %llu", total, ctx->device, d.size);
		f->fd = open(ctx->device, O_RDWR | O_CLOEXEC);
		if (f->fd < 0)
			return db_fail(ctx, "%s: %s", ctx->device, strerror(errno));
		f->dax = true;
		db_observe_str(ctx, "backing", "devdax");
		return 0;
	}
	if (f->map == FM_SHMEM) {
		f->fd = memfd_create("daxbench-fault", MFD_CLOEXEC);
		if (f->fd < 0 || ftruncate(f->fd, (off_t)total))
			return db_fail(ctx, "memfd of %zu bytes: %s", total, strerror(errno));
		db_observe_str(ctx, "backing", "shmem (memfd)");
	} else {
		char path[4200];
		unsigned long long avail = db_scratch_free(ctx);
		if (avail < total + (16u << 20))
			return db_skip(ctx, "needs %zu bytes in %s, %llu free", total, ctx->target, avail);
		snprintf(path, sizeof(path), "%s/fault.dat", ctx->scratch);
		f->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (f->fd < 0 || ftruncate(f->fd, (off_t)total))
			return db_fail(ctx, "%s: %s", path, strerror(errno));
		f->dax = db_fd_is_dax(f->fd) == 1;
		db_observe_str(ctx, "backing", f->dax ? "DAX file" : "page cache file");
	}
	/* kinds that find written blocks: allocate (2 MiB-aligned where the fs can) and write them once */
	if (f->kind == K_READ || f->kind == K_WRITE || f->kind == K_READ_THEN_WRITE || f->kind == K_REWRITE_SYNC ||
	    f->kind == K_POPULATE) {
		if (fallocate(f->fd, 0, 0, (off_t)total) && errno != EOPNOTSUPP)
			return db_fail(ctx, "fallocate %zu bytes: %s", total, strerror(errno));
		int e = db_fill_file(f->fd, total, 0xab, SZ_2M);
		if (e)
			return db_fail(ctx, "writing the file: %s", strerror(-e));
		if (fdatasync(f->fd))
			return db_fail(ctx, "fdatasync: %s", strerror(errno));
	}
	return 0;
}

/* put a thread's range [off, off+len) of the file into the state the kind starts from */
static int fault_reset(struct fault *f, off_t off, size_t len)
{
	if (f->fd < 0 || f->map == FM_DEVDAX)
		return 0;
	if (f->kind == K_READ_HOLE || f->kind == K_WRITE_ALLOC || f->kind == K_WRITE_PREALLOC ||
	    f->kind == K_HOLE_THEN_WRITE) {
		if (fallocate(f->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off, (off_t)len))
			return -errno;
		if (f->kind == K_WRITE_PREALLOC && fallocate(f->fd, FALLOC_FL_KEEP_SIZE, off, (off_t)len))
			return -errno;
	}
	if (f->cold && posix_fadvise(f->fd, off, (off_t)len, POSIX_FADV_DONTNEED))
		return -errno;
	return 0;
}

/* map len bytes at file offset off; 2 MiB-aligned virtual address for page=2M */
static char *fault_map(struct fault *f, size_t len, off_t off)
{
	int flags = f->map == FM_ANON ? MAP_PRIVATE | MAP_ANONYMOUS : f->map == FM_PRIVATE ? MAP_PRIVATE : MAP_SHARED;
	char *p;
	if (f->huge) {
		char *r = mmap(NULL, len + SZ_2M, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (r == MAP_FAILED)
			return NULL;
		char *a = (char *)(((uintptr_t)r + SZ_2M - 1) & ~(uintptr_t)(SZ_2M - 1));
		p = mmap(a, len, PROT_READ | PROT_WRITE, flags | MAP_FIXED, f->fd, off);
		if (a > r)
			munmap(r, (size_t)(a - r));
		munmap(a + len, (size_t)(r + len + SZ_2M - (a + len)));
		if (p == MAP_FAILED)
			return NULL;
	} else {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, f->fd, off);
		if (p == MAP_FAILED)
			return NULL;
	}
	if (f->map != FM_DEVDAX)
		madvise(p, len, f->huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
	return p;
}

static int fault_setup(struct db_ctx *ctx)
{
	struct fault *f = calloc(1, sizeof(*f));
	if (!f)
		return db_fail(ctx, "out of memory");
	ctx->priv = f;
	f->fd = -1;
	f->map = (enum map)db_int(ctx, "map");
	if (f->map == FM_AUTO)
		f->map = ctx->device ? FM_DEVDAX : FM_SHARED;
	db_observe_str(ctx, "map", maps[f->map]);
	f->kind = (enum kind)db_int(ctx, "kind");
	f->huge = !strcmp(db_str(ctx, "page"), "2M");
	f->separate = !strcmp(db_str(ctx, "mm"), "separate");
	f->cold = !strcmp(db_str(ctx, "cache"), "cold");
	f->size = (size_t)db_int(ctx, "size");
	if (f->size % SZ_2M)
		return db_fail(ctx, "size=%zu is not a multiple of 2M", f->size);
	f->unit = f->huge ? SZ_2M : SZ_4K;
	f->touches = f->size / f->unit;
	int rc = fault_check(ctx, f);
	if (rc || (rc = fault_open(ctx, f, f->size * (size_t)ctx->nthreads)))
		return rc;
	if (f->huge && f->dax && f->map != FM_DEVDAX) {
		char why[200];
		f->tracing = !db_trace_begin(&f->trace, "fs_dax/dax_pmd_fault_done", why, sizeof(why));
		db_trace_end(&f->trace);
		db_observe_str(ctx, "tracepoint", f->tracing ? "fs_dax:dax_pmd_fault_done" : why);
	}
	f->smaps_field = f->map == FM_ANON ? "AnonHugePages" : f->map == FM_SHMEM ? "ShmemPmdMapped" : "FilePmdMapped";
	f->smaps_pmd_kb = -1;
	if (f->huge) {
		char mode[64];
		db_thp_mode(f->map == FM_SHMEM ? "shmem_enabled" : "enabled", mode, sizeof(mode));
		db_observe_str(ctx, f->map == FM_SHMEM ? "thp_shmem_enabled" : "thp_enabled", mode);
	}
	int n = ctx->nthreads;
	f->ticks = calloc(n, sizeof(*f->ticks));
	f->rate = calloc(n, sizeof(double));
	f->faults = calloc(n, sizeof(long));
	f->majflt = calloc(n, sizeof(long));
	f->pre_faults = calloc(n, sizeof(long));
	f->touched4k = calloc(n, sizeof(uint64_t));
	if (!f->ticks || !f->rate || !f->faults || !f->majflt || !f->pre_faults || !f->touched4k)
		return db_fail(ctx, "out of memory");
	for (int t = 0; t < n; t++) {
		/* the per-touch timestamps are written inside the timed loop: fault them in now */
		f->ticks[t] = malloc(f->touches * sizeof(uint64_t));
		if (!f->ticks[t])
			return db_fail(ctx, "out of memory");
		memset(f->ticks[t], 0, f->touches * sizeof(uint64_t));
	}
	return 0;
}

static long thread_faults(long *maj)
{
	struct rusage ru;
	getrusage(RUSAGE_THREAD, &ru);
	*maj = ru.ru_majflt;
	return ru.ru_minflt + ru.ru_majflt;
}

/* the 4 KiB pages of each 2 MiB after its first byte: faults here mean the PMD did not happen */
DB_KERNEL static void touch_rest(char *p, size_t len, bool write)
{
	for (size_t off = 0; off < len; off += SZ_4K)
		if (off % SZ_2M) {
			if (write)
				*(volatile char *)(p + off) = 1;
			else
				(void)*(volatile char *)(p + off);
		}
}

static int fault_run(struct db_worker *w, int rep)
{
	(void)rep;
	struct db_ctx *ctx = w->ctx;
	struct fault *f = ctx->priv;
	int id = w->id;
	off_t off = (off_t)((size_t)id * f->size);
	char *p = NULL;
	int err = 0;

	/* fresh state and a fresh mapping, outside the counted region */
	if (f->separate || id == 0) {
		size_t len = f->separate ? f->size : f->size * (size_t)ctx->nthreads;
		off_t o = f->separate ? off : 0;
		if ((err = fault_reset(f, o, len)) == 0) {
			p = fault_map(f, len, o);
			if (!p)
				err = -errno;
		}
		if (!f->separate)
			f->one = p;
		if (id == 0 && f->tracing && !db_in_warmup(w)) {
			char why[200];
			db_trace_begin(&f->trace, "fs_dax/dax_pmd_fault_done", why, sizeof(why));
		}
	}
	db_barrier(w);
	if (!f->separate)
		p = f->one ? f->one + (size_t)id * f->size : NULL;
	if (err || !p) {
		if (f->separate || id == 0)
			db_fail(ctx, "preparing the mapping: %s", strerror(err ? -err : EINVAL));
		db_barrier(w);
		return -1;
	}
	bool write = is_write_kind(f->kind);
	long pmaj, pre = thread_faults(&pmaj);
	if (f->kind == K_READ_THEN_WRITE || f->kind == K_HOLE_THEN_WRITE)
		db_touch_read(p, f->size / SZ_4K, SZ_4K, NULL);	/* map every page read-only first */
	if (f->kind == K_REWRITE_SYNC) {
		db_touch_write(p, f->size / SZ_4K, SZ_4K, NULL);
		if (msync(p, f->size, MS_SYNC))	/* writeback write-protects the PTEs */
			err = errno;
	}

	long maj0, maj1, before = thread_faults(&maj0);
	pre = before - pre;
	db_measure_begin(w);
	uint64_t t0 = db_clock_ns();
	if (f->kind == K_POPULATE) {
		uint64_t a = db_ts_start();
		int r = madvise(p, f->size, MADV_POPULATE_WRITE);
		uint64_t b = db_ts_stop();
		if (r && errno == EINVAL && !db_in_warmup(w))
			db_skip(ctx, "MADV_POPULATE_WRITE: EINVAL (the kernel predates 5.14)");
		if (r)
			err = errno;
		else
			db_sample_ticks(w, M_FAULT, a, b, f->touches);
	} else if (write) {
		db_touch_write(p, f->touches, f->unit, f->ticks[id]);
	} else {
		db_touch_read(p, f->touches, f->unit, f->ticks[id]);
	}
	uint64_t t1 = db_clock_ns();
	long tmaj, timed = thread_faults(&tmaj) - before;	/* the faults the timed touches took */
	if (f->huge && f->kind != K_POPULATE)
		touch_rest(p, f->size, write);
	db_measure_end(w, f->touches);
	long faults = thread_faults(&maj1) - before;

	if (err) {
		db_fail(ctx, "%s: %s", f->kind == K_POPULATE ? "madvise(MADV_POPULATE_WRITE)" : "msync", strerror(err));
	} else if (!db_in_warmup(w)) {
		/* the touches' own time, each with the timer's cost taken off: dividing the loop's wall time
		 * instead would charge every fault with the timer pairs of the touches it made free (512 per
		 * fault when a fault maps a 2 MiB folio) */
		double touch_ns = 0;
		for (size_t i = 0; f->kind != K_POPULATE && i < f->touches; i++) {
			db_sample_ticks(w, M_FAULT, 0, f->ticks[id][i], 1);
			double ns = db_ticks_ns(f->ticks[id][i]) - db_ts_overhead_ns();
			touch_ns += ns > 0 ? ns : 0;
		}
		if (f->kind == K_POPULATE)
			touch_ns = (double)(t1 - t0);
		f->faults[id] += faults;
		f->pre_faults[id] += pre;
		f->majflt[id] += maj1 - maj0;
		f->touched4k[id] += f->size / SZ_4K;
		if (timed > 0)
			db_sample(w, M_PER_FAULT, touch_ns / (double)timed);
		f->rate[id] = touch_ns > 0 ? (double)timed * 1e9 / touch_ns : 0;
		db_sample(w, M_RATE, f->rate[id]);
		if (id == 0)
			f->smaps_pmd_kb = db_smaps_kb(p, f->smaps_field);
	}
	db_barrier(w);
	if (id == 0 && !db_in_warmup(w)) {
		double sum = 0;
		for (int t = 0; t < ctx->nthreads; t++)
			sum += f->rate[t];
		db_sample(w, M_AGG_RATE, sum);
		if (f->tracing && f->trace.on) {
			static const char *const match[] = { "NOPAGE", "FALLBACK", NULL };
			long c[2];
			db_trace_count(&f->trace, match, c);
			db_trace_end(&f->trace);
			f->trace_nopage += c[0];
			f->trace_fallback += c[1];
		}
	}
	if (f->separate)
		munmap(p, f->size);
	else if (id == 0) {
		/* every worker has passed the barrier: the shared mapping can go */
		munmap(f->one, f->size * (size_t)ctx->nthreads);
		f->one = NULL;
	}
	return err ? -1 : 0;
}

/* a 2M run's extents: are they 2 MiB-aligned on the device? (what PMD faults on a file need) */
static void observe_extents(struct db_ctx *ctx, struct fault *f)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[64];
	} x;
	memset(&x, 0, sizeof(x));
	x.fm.fm_length = ~0ull;
	x.fm.fm_extent_count = 64;
	if (ioctl(f->fd, FS_IOC_FIEMAP, &x.fm)) {
		db_observe_str(ctx, "extents_2m_aligned", strerror(errno));
		return;
	}
	unsigned aligned = 0;
	for (unsigned i = 0; i < x.fm.fm_mapped_extents; i++)
		aligned += (x.fe[i].fe_physical % SZ_2M == 0) && (x.fe[i].fe_logical % SZ_2M == 0);
	char buf[96];
	snprintf(buf, sizeof(buf), "%u of %u extents", aligned, x.fm.fm_mapped_extents);
	db_observe_str(ctx, "extents_2m_aligned", buf);
}

static void fault_teardown(struct db_ctx *ctx)
{
	struct fault *f = ctx->priv;
	if (!f)
		return;
	long faults = 0, maj = 0, pre = 0;
	uint64_t pages = 0;
	for (int t = 0; f->faults && t < ctx->nthreads; t++) {
		faults += f->faults[t];
		pre += f->pre_faults[t];
		maj += f->majflt[t];
		pages += f->touched4k[t];
	}
	if (pages) {
		/* the fault size obtained, from the count: faults per 4 KiB page touched */
		double per2m = (double)faults / ((double)pages / 512.0), per4k = (double)faults / (double)pages;
		char v[256];
		db_observe_num(ctx, "faults_counted", (double)faults);
		db_observe_num(ctx, "major_faults_counted", (double)maj);
		db_observe_num(ctx, "pages_4k_touched", (double)pages);
		db_observe_num(ctx, "faults_per_4k_page", per4k);
		if (f->kind == K_READ_THEN_WRITE || f->kind == K_HOLE_THEN_WRITE || f->kind == K_REWRITE_SYNC)
			db_observe_num(ctx, "first_phase_faults_per_4k_page", (double)pre / (double)pages);
		if (f->kind == K_POPULATE)
			snprintf(v, sizeof(v), "populate: %.3f faults per 4 KiB page (getrusage)", per4k);
		else if (faults == 0)
			snprintf(v, sizeof(v), "no faults: the pages were already mapped");
		else if (f->huge && per2m <= 1.5)
			snprintf(v, sizeof(v), "2M (PMD): %.2f faults per 2 MiB", per2m);
		else if (f->huge)
			snprintf(v, sizeof(v), "FALLBACK to 4K: %.1f faults per 2 MiB, not 1", per2m);
		else if (per4k > 0.9)
			snprintf(v, sizeof(v), "4K: %.3f faults per 4 KiB page", per4k);
		else
			snprintf(v, sizeof(v), "%s: %.1f pages mapped per fault (fault-around or a large folio)",
				 f->smaps_pmd_kb > 0 ? "PMD-mapped folios" : "4K PTEs", 1.0 / per4k);
		db_observe_str(ctx, "fault_size_obtained", v);
		if (f->huge && f->kind != K_POPULATE && faults > 0 && per2m > 1.5) {
			db_observe_str(ctx, "fallback", "yes");
			fprintf(stderr, "daxbench: WARNING: fault map=%s kind=%s page=2M got 4 KiB faults: %s\n",
				maps[f->map], db_str(ctx, "kind"), v);
		}
		db_observe_num(ctx, "smaps_pmd_mapped_kb", (double)f->smaps_pmd_kb);
		db_observe_str(ctx, "smaps_field", f->smaps_field);
		if (f->tracing) {
			db_observe_num(ctx, "dax_pmd_fault_nopage", (double)f->trace_nopage);
			db_observe_num(ctx, "dax_pmd_fault_fallback", (double)f->trace_fallback);
		}
		if (f->huge && f->fd >= 0 && f->map != FM_DEVDAX && f->map != FM_SHMEM)
			observe_extents(ctx, f);
	}
	if (f->tracing)
		db_trace_end(&f->trace);
	if (f->fd >= 0)
		close(f->fd);
	for (int t = 0; f->ticks && t < ctx->nthreads; t++)
		free(f->ticks[t]);
	free(f->ticks);
	free(f->rate);
	free(f->faults);
	free(f->majflt);
	free(f->pre_faults);
	free(f->touched4k);
	free(f);
	ctx->priv = NULL;
}

const struct db_bench db_bench_fault = {
	.name = "fault",
	.summary = "page-fault cost by kind, mapping and page size, with the fault size obtained verified",
	.params = fault_params,
	.metrics = fault_metrics,
	.flags = DB_NEEDS_DIR | DB_THREADED,
	.setup = fault_setup,
	.run = fault_run,
	.teardown = fault_teardown,
};
