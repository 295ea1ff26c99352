/* fsync_tree.c -- how fsync/msync latency grows with the mapping's entry count N and dirty count k.
 *
 *   daxbench run fsync-tree --dir /mnt/pmem --set pages=256:*4:262144 --set dirty=0,1,64,sqrt,n
 *   daxbench run fsync.suite
 *
 * Setup writes a file of `pages` 4 KiB pages, maps it shared and populates the mapping's entries:
 * populate=read (read faults: clean entries), write (written, then synced once: clean), none.
 * Each of `syncs` iterations per repetition dirties k pages through the mapping (pattern seq,
 * random, or one page per 2 MiB) and times one sync `op`. After every sync the dirtied pages are
 * checked: on the page cache, where /proc/kpageflags is readable (root), each must be neither dirty
 * nor under writeback any more (this proves the timed call wrote it); then all are read back
 * through a second descriptor (O_DIRECT where the filesystem takes it: from the device, not the
 * page cache; note that Linux writes back dirty cache in the range before a direct read, which is
 * why the page-flag check comes first) and compared. A sync that did not write is an error.
 * The harness fits the growth exponent of the median latency against `pages` for every curve
 * (a derived record): ~0 means the cost does not depend on the mapping's size, ~1 that it walks
 * the whole tree. Memory: radix_tree_node slab and PageTables before and after populating.
 */
#include "daxbench/bench.h"
#include "daxbench/env.h"
#include "daxbench/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/magic.h>
#include <sys/mman.h>
#include <sys/statfs.h>
#include <unistd.h>

#define PAGE 4096ul
#define VERIFY_MAX 64	/* pages read back after each sync */

enum { M_LAT, M_PER_DIRTY };
enum op { OP_FSYNC, OP_FDATASYNC, OP_MSYNC, OP_MSYNC_RANGE, OP_SFR, OP_FSYNC_AGAIN };

static const char *const ops[] = { "fsync", "fdatasync", "msync", "msync-range", "sync_file_range", "fsync-again",
				   NULL };
static const char *const populates[] = { "read", "write", "none", NULL };
static const char *const dirties[] = { "0", "1", "64", "sqrt", "n/8", "n", NULL };
static const char *const patterns[] = { "seq", "random", "per-2m", NULL };

static const struct db_param fsync_params[] = {
	{ .name = "pages", .type = DB_PT_INT, .def = "4096", .min = 256, .max = 1 << 28,
	  .help = "N: the file and the mapping, in 4 KiB pages" },
	{ .name = "populate", .type = DB_PT_ENUM, .def = "write", .choices = populates,
	  .help = "how the mapping's entries are made before timing" },
	{ .name = "dirty", .type = DB_PT_ENUM, .def = "64", .choices = dirties,
	  .help = "k: pages dirtied before each sync (sqrt: sqrt(N), n/8, n: all)" },
	{ .name = "pattern", .type = DB_PT_ENUM, .def = "random", .choices = patterns,
	  .help = "which pages are dirtied" },
	{ .name = "op", .type = DB_PT_ENUM, .def = "fsync", .choices = ops,
	  .help = "the timed sync; fsync-again times a second fsync with nothing dirtied since the first" },
	{ .name = "syncs", .type = DB_PT_INT, .def = "10", .min = 1, .max = 1000000,
	  .help = "timed syncs per repetition" },
	{ 0 },
};

static const struct db_metric_desc fsync_metrics[] = {
	[M_LAT] = { "latency_ns", "ns", DB_LOWER_BETTER, "one sync operation" },
	[M_PER_DIRTY] = { "ns_per_dirty_page", "ns", DB_LOWER_BETTER, "sync latency / k (k > 0)" },
	{ 0 },
};

static const struct db_fit_desc fsync_fits[] = {
	{ "pages", "latency_ns", "median" },
	{ NULL, NULL, NULL },
};

struct fsync_tree {
	int fd, rfd;		/* the file, and a second descriptor to read it back */
	bool direct;
	char *map;
	size_t n, k;
	enum op op;
	int pattern;
	uint64_t rng, cursor;
	size_t *idx;		/* this iteration's dirtied pages */
	char *rbuf;		/* aligned read-back buffer */
	unsigned char gen;	/* the byte written this iteration */
	long verified, flags_checked;
	struct db_pageflags pf;
	bool check_flags;
};

static size_t dirty_count(const char *d, size_t n)
{
	if (!strcmp(d, "sqrt"))
		return (size_t)sqrt((double)n);
	if (!strcmp(d, "n/8"))
		return n / 8;
	if (!strcmp(d, "n"))
		return n;
	return (size_t)atol(d);
}

static int fsync_setup(struct db_ctx *ctx)
{
	struct fsync_tree *s = calloc(1, sizeof(*s));
	if (!s)
		return db_fail(ctx, "out of memory");
	ctx->priv = s;
	s->fd = s->rfd = -1;
	s->map = MAP_FAILED;
	s->pf.pagemap = s->pf.kpageflags = -1;
	s->n = (size_t)db_int(ctx, "pages");
	s->k = dirty_count(db_str(ctx, "dirty"), s->n);
	s->op = (enum op)db_int(ctx, "op");
	s->pattern = (int)db_int(ctx, "pattern");
	s->rng = 0x2545f4914f6cdd1dull;
	size_t bytes = s->n * PAGE;
	if (s->pattern == 2 && s->k > s->n / 512)
		return db_skip(ctx, "pattern=per-2m: k=%zu is more than the %zu 2 MiB ranges of N=%zu pages", s->k,
			       s->n / 512, s->n);
	if (s->k > s->n)
		return db_skip(ctx, "k=%zu is more than N=%zu", s->k, s->n);
	if (s->k == 0 && s->op == OP_MSYNC_RANGE)
		return db_skip(ctx, "op=msync-range with k=0: no dirtied range to sync");

	/* never fill the user's filesystem: refuse what does not fit with room to spare */
	unsigned long long avail = db_scratch_free(ctx);
	if (avail < bytes + bytes / 16 + (16u << 20))
		return db_skip(ctx, "N=%zu pages needs %zu bytes, %s has %llu free", s->n, bytes, ctx->target, avail);
	char path[4200];
	snprintf(path, sizeof(path), "%s/fsync-tree.dat", ctx->scratch);
	s->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (s->fd < 0)
		return db_fail(ctx, "%s: %s", path, strerror(errno));
	/* written blocks, so that no sync pays for allocation */
	int e = posix_fallocate(s->fd, 0, (off_t)bytes);
	if (e && e != EOPNOTSUPP)
		return db_fail(ctx, "fallocate %zu bytes: %s", bytes, strerror(e));
	if ((e = db_fill_file(s->fd, bytes, 0x5a, 1u << 20)))
		return db_fail(ctx, "writing the file: %s", strerror(-e));
	if (fsync(s->fd))
		return db_fail(ctx, "fsync: %s", strerror(errno));
	int dax = db_fd_is_dax(s->fd);
	db_observe_str(ctx, "backing", dax == 1 ? "DAX (cache-line flushes, no block I/O)" : "page cache (writeback I/O)");

	/* the second descriptor: O_DIRECT reads come from the device, not from the page cache */
	s->rfd = open(path, O_RDONLY | O_DIRECT | O_CLOEXEC);
	s->direct = s->rfd >= 0;
	if (!s->direct)
		s->rfd = open(path, O_RDONLY | O_CLOEXEC);
	db_observe_str(ctx, "verify", s->direct ? "O_DIRECT read-back of dirtied pages after each sync"
					       : "buffered read-back (O_DIRECT refused here): proves content, not writeback");
	/* page flags say whether the sync cleaned the page cache pages; DAX has none, and tmpfs pages
	 * stay dirty in memory because there is nothing to write them back to */
	struct statfs sf;
	bool shmem = !fstatfs(s->fd, &sf) && sf.f_type == TMPFS_MAGIC;
	s->check_flags = dax != 1 && !shmem && !db_pageflags_open(&s->pf);
	db_observe_str(ctx, "page_flags_check", s->check_flags ? "each dirtied page clean after the sync (kpageflags)"
				 : dax == 1 ? "not applicable: DAX has no page cache"
				 : shmem    ? "not applicable: tmpfs pages stay dirty, there is no writeback"
					    : "unavailable: /proc/kpageflags not readable");
	if (posix_memalign((void **)&s->rbuf, PAGE, PAGE) || !(s->idx = calloc(s->k ? s->k : 1, sizeof(size_t))))
		return db_fail(ctx, "out of memory");

	long slab0 = -1, slab1 = -1, objsz = 0, pt0 = db_meminfo_kb("PageTables");
	db_slab_objects("radix_tree_node", &slab0, &objsz);
	s->map = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, s->fd, 0);
	if (s->map == MAP_FAILED)
		return db_fail(ctx, "mmap %zu bytes: %s", bytes, strerror(errno));
	madvise(s->map, bytes, MADV_NOHUGEPAGE);	/* one entry per 4 KiB page: N means N */
	const char *pop = db_str(ctx, "populate");
	if (!strcmp(pop, "read")) {
		volatile char sink = 0;
		for (size_t i = 0; i < s->n; i++)
			sink += s->map[i * PAGE];
		(void)sink;
	} else if (!strcmp(pop, "write")) {
		for (size_t i = 0; i < s->n; i++)
			s->map[i * PAGE] = 0x5a;
		if (msync(s->map, bytes, MS_SYNC))
			return db_fail(ctx, "msync: %s", strerror(errno));
	} else if (dax != 1) {
		/* none: no page cache pages either, so the tree starts empty */
		posix_fadvise(s->fd, 0, 0, POSIX_FADV_DONTNEED);
	}
	long pt1 = db_meminfo_kb("PageTables");
	if (!db_slab_objects("radix_tree_node", &slab1, &objsz) && slab0 >= 0)
		db_observe_num(ctx, "radix_tree_node_delta_kb", (double)(slab1 - slab0) * (double)objsz / 1024.0);
	else
		db_observe_str(ctx, "radix_tree_node_delta_kb", "unavailable: /proc/slabinfo not readable");
	if (pt0 >= 0 && pt1 >= 0)
		db_observe_num(ctx, "pagetables_delta_kb", (double)(pt1 - pt0));
	db_observe_num(ctx, "dirty_pages_k", (double)s->k);
	return 0;
}

/* this iteration's pages, by pattern */
static void choose(struct fsync_tree *s)
{
	for (size_t i = 0; i < s->k; i++) {
		switch (s->pattern) {
		case 1:
			s->idx[i] = (size_t)(db_xorshift64(&s->rng) % s->n);
			break;
		case 2:
			s->idx[i] = ((s->cursor + i) % (s->n / 512)) * 512;
			break;
		default:
			s->idx[i] = (s->cursor + i) % s->n;
		}
	}
	s->cursor += s->k;
}

static int do_sync(struct fsync_tree *s, size_t lo, size_t hi)
{
	switch (s->op) {
	case OP_FDATASYNC:
		return fdatasync(s->fd);
	case OP_MSYNC:
		return msync(s->map, s->n * PAGE, MS_SYNC);
	case OP_MSYNC_RANGE:
		return msync(s->map + lo * PAGE, (hi - lo + 1) * PAGE, MS_SYNC);
	case OP_SFR:
		return sync_file_range(s->fd, 0, 0, SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
							    SYNC_FILE_RANGE_WAIT_AFTER);
	default:
		return fsync(s->fd);
	}
}

/* the dirtied pages: clean now (page cache), and the new bytes read back through the second fd */
static int verify(struct db_ctx *ctx, struct fsync_tree *s)
{
	size_t step = s->k > VERIFY_MAX ? s->k / VERIFY_MAX : 1;
	/* sync_file_range and a range msync write data only; fsync-again's first fsync did the work */
	for (size_t i = 0; s->check_flags && i < s->k; i += step) {
		int d = db_page_dirty(&s->pf, s->map + s->idx[i] * PAGE);
		if (d == 1)
			return db_fail(ctx, "page %zu is still dirty or under writeback after %s", s->idx[i], ops[s->op]);
		s->flags_checked += d == 0;
	}
	for (size_t i = 0; i < s->k; i += step) {
		off_t off = (off_t)(s->idx[i] * PAGE);
		if (pread(s->rfd, s->rbuf, PAGE, off) != (ssize_t)PAGE)
			return db_fail(ctx, "read-back of page %zu: %s", s->idx[i], strerror(errno));
		if ((unsigned char)s->rbuf[0] != s->gen)
			return db_fail(ctx, "page %zu is not on the device after %s: read 0x%02x, wrote 0x%02x",
				       s->idx[i], ops[s->op], (unsigned char)s->rbuf[0], s->gen);
		s->verified++;
	}
	return 0;
}

static int fsync_run(struct db_worker *w, int rep)
{
	(void)rep;
	struct db_ctx *ctx = w->ctx;
	struct fsync_tree *s = ctx->priv;
	int64_t syncs = db_int(ctx, "syncs");

	for (int64_t it = 0; it < syncs && !db_stop_requested(); it++) {
		choose(s);
		/* a value no page holds yet, so a stale read-back cannot pass */
		s->gen = (unsigned char)(s->gen == 0xfe ? 1 : s->gen + 1);
		if (s->gen == 0x5a)
			s->gen++;
		size_t lo = s->n, hi = 0;
		for (size_t i = 0; i < s->k; i++) {
			s->map[s->idx[i] * PAGE] = (char)s->gen;
			lo = s->idx[i] < lo ? s->idx[i] : lo;
			hi = s->idx[i] > hi ? s->idx[i] : hi;
		}
		if (s->op == OP_FSYNC_AGAIN && fsync(s->fd))
			return db_fail(ctx, "first fsync: %s", strerror(errno));
		db_measure_begin(w);
		uint64_t t0 = db_ts_start();
		int r = do_sync(s, lo, hi);
		uint64_t t1 = db_ts_stop();
		db_measure_end(w, 1);
		if (r)
			return db_fail(ctx, "%s: %s", ops[s->op], strerror(errno));
		db_sample_ticks(w, M_LAT, t0, t1, 1);
		if (s->k)
			db_sample_ticks(w, M_PER_DIRTY, t0, t1, s->k);
		/* msync over a range and sync_file_range leave metadata to later: data is what is checked */
		if (verify(ctx, s))
			return -1;
	}
	return 0;
}

static void fsync_teardown(struct db_ctx *ctx)
{
	struct fsync_tree *s = ctx->priv;
	if (!s)
		return;
	if (s->verified)
		db_observe_num(ctx, "pages_verified", (double)s->verified);
	if (s->flags_checked)
		db_observe_num(ctx, "pages_checked_clean", (double)s->flags_checked);
	db_pageflags_close(&s->pf);
	if (s->map != MAP_FAILED)
		munmap(s->map, s->n * PAGE);
	if (s->fd >= 0)
		close(s->fd);
	if (s->rfd >= 0)
		close(s->rfd);
	free(s->rbuf);
	free(s->idx);
	free(s);
	ctx->priv = NULL;
}

const struct db_bench db_bench_fsync_tree = {
	.name = "fsync-tree",
	.summary = "fsync/msync latency as the mapping's entries N and dirty pages k grow; fitted growth",
	.params = fsync_params,
	.metrics = fsync_metrics,
	.flags = DB_NEEDS_DIR,
	.setup = fsync_setup,
	.run = fsync_run,
	.teardown = fsync_teardown,
	.fits = fsync_fits,
};
