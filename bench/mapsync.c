/* mapsync.c -- the price of durability on every store: MAP_SYNC synchronous faults against plain
 * faults with a deferred fsync, and pwrite with O_DSYNC as the non-mmap reference.
 *
 *   daxbench run mapsync --dir /mnt/pmem --set file=sparse,prealloc,written --set mode=map-sync,deferred
 *   daxbench run mapsync.suite
 *
 * Each repetition resets the file (sparse: all holes; prealloc: unwritten extents; written: data)
 * and makes `writes` writes of write_size bytes, each timed:
 *   map-sync     MAP_SHARED_VALIDATE|MAP_SYNC; store+CLWB (persist=clwb) or non-temporal stores
 *                (persist=nt), SFENCE: durable when it returns. A write fault on an extent whose
 *                metadata is not committed commits the journal before the PTE is installed.
 *   deferred     MAP_SHARED, plain stores, `sync` (fsync, fdatasync or msync) after every `batch`
 *                writes: the write that ends a batch carries the sync.
 *   write-dsync  pwrite on an O_DSYNC descriptor.
 *   write-batch  pwrite, fdatasync every `batch` writes.
 * Reported: per-write latency (the first write to a page includes its fault), cost per durable
 * write and durable writes/s (per repetition), faults and journal commits per write. The derived
 * record per (file, write_size, pattern) is the break-even batch: the smallest batch at which
 * deferred costs less per durable write than map-sync. Every write's bytes are read back through a
 * second descriptor afterwards. On a target that is not DAX, map-sync is skipped (EOPNOTSUPP).
 */
#include "daxbench/bench.h"
#include "daxbench/compat.h"
#include "daxbench/env.h"
#include "daxbench/kernels.h"
#include "daxbench/procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <linux/falloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>


enum { M_WRITE, M_PER_DURABLE, M_RATE };
enum mode { MODE_MAPSYNC, MODE_DEFERRED, MODE_DSYNC, MODE_BATCH };
enum file { F_SPARSE, F_PREALLOC, F_WRITTEN };

static const char *const files[] = { "sparse", "prealloc", "written", NULL };
static const char *const modes[] = { "map-sync", "deferred", "write-dsync", "write-batch", NULL };
static const char *const syncs[] = { "fsync", "fdatasync", "msync", NULL };
static const char *const persists[] = { "clwb", "nt", NULL };
static const char *const patterns[] = { "seq", "random", NULL };
static const char *const backgrounds[] = { "none", "metadata", NULL };

static const struct db_param mapsync_params[] = {
	{ .name = "file", .type = DB_PT_ENUM, .def = "sparse", .choices = files,
	  .help = "the file's state before each repetition" },
	{ .name = "mode", .type = DB_PT_ENUM, .def = "map-sync", .choices = modes, .help = "how writes become durable" },
	{ .name = "sync", .type = DB_PT_ENUM, .def = "fdatasync", .choices = syncs, .help = "mode=deferred: the sync call" },
	{ .name = "batch", .type = DB_PT_INT, .def = "1", .min = 1, .max = 1 << 30,
	  .help = "writes per sync (deferred, write-batch); >= writes: one sync at the end" },
	{ .name = "persist", .type = DB_PT_ENUM, .def = "clwb", .choices = persists,
	  .help = "mode=map-sync: store+CLWB or non-temporal stores" },
	{ .name = "write_size", .type = DB_PT_SIZE, .def = "4K", .min = 64, .max = 2 << 20,
	  .help = "bytes per write (a multiple of 64)" },
	{ .name = "pattern", .type = DB_PT_ENUM, .def = "seq", .choices = patterns, .help = "write order" },
	{ .name = "writes", .type = DB_PT_INT, .def = "1024", .min = 1, .max = 1 << 24,
	  .help = "writes per repetition; the file is writes x write_size" },
	{ .name = "background", .type = DB_PT_ENUM, .def = "none", .choices = backgrounds,
	  .help = "metadata: a thread creating, appending and fsyncing files on the same filesystem" },
	{ 0 },
};

static const struct db_metric_desc mapsync_metrics[] = {
	[M_WRITE] = { "write_ns", "ns", DB_LOWER_BETTER, "one write made durable (with its fault or its batch's sync)" },
	[M_PER_DURABLE] = { "ns_per_durable_write", "ns", DB_LOWER_BETTER, "all writes' time / writes, per repetition" },
	[M_RATE] = { "durable_writes_per_sec", "per_sec", DB_HIGHER_BETTER, "per repetition" },
	{ 0 },
};

struct mapsync {
	enum mode mode;
	enum file file;
	int sync;
	size_t ws, nw, batch, bytes;
	int fd, dfd, rfd;
	size_t *order;
	char *buf;
	db_persist_fn persist, store;
	long faults, commits, writes_done;
	bool commits_known;
	char commits_how[200];
	/* background metadata load */
	pthread_t bg;
	bool bg_on;
	volatile bool bg_stop;
	long bg_ops;
	char bgdir[4200];
};

static void *background(void *arg)
{
	struct mapsync *s = arg;
	char path[4300], page[4096];
	memset(page, 0x42, sizeof(page));
	for (long i = 0; !s->bg_stop; i++) {
		snprintf(path, sizeof(path), "%s/bg-%ld", s->bgdir, i % 64);
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0)
			break;
		if (write(fd, page, sizeof(page)) < 0 || fsync(fd)) {
			close(fd);
			break;
		}
		close(fd);
		if (i % 64 == 63)	/* keep the files small: nothing piles up */
			for (int k = 0; k < 64; k++) {
				snprintf(path, sizeof(path), "%s/bg-%d", s->bgdir, k);
				unlink(path);
			}
		s->bg_ops++;
	}
	return NULL;
}

static int mapsync_setup(struct db_ctx *ctx)
{
	struct mapsync *s = calloc(1, sizeof(*s));
	if (!s)
		return db_fail(ctx, "out of memory");
	ctx->priv = s;
	s->fd = s->dfd = s->rfd = -1;
	s->mode = (enum mode)db_int(ctx, "mode");
	s->file = (enum file)db_int(ctx, "file");
	s->sync = (int)db_int(ctx, "sync");
	s->ws = (size_t)db_int(ctx, "write_size");
	s->nw = (size_t)db_int(ctx, "writes");
	s->batch = (size_t)db_int(ctx, "batch");
	s->bytes = s->ws * s->nw;
	if (s->ws % 64)
		return db_fail(ctx, "write_size=%zu is not a multiple of 64", s->ws);
	if ((s->mode == MODE_MAPSYNC || s->mode == MODE_DSYNC) && s->batch != 1)
		return db_skip(ctx, "mode=%s makes every write durable: only batch=1 applies", modes[s->mode]);
	if (s->mode != MODE_DEFERRED && s->sync != 1)
		return db_skip(ctx, "sync=%s applies to mode=deferred only", syncs[s->sync]);
	if (s->mode != MODE_MAPSYNC && strcmp(db_str(ctx, "persist"), "clwb"))
		return db_skip(ctx, "persist=%s applies to mode=map-sync only", db_str(ctx, "persist"));

	const char *pk = !strcmp(db_str(ctx, "persist"), "clwb") ? "store+clwb" : "movnti";
	const struct db_persist_kernel *k = db_persist_kernel_find(pk);
	char why[128];
	if (s->mode == MODE_MAPSYNC && db_cpu_refuse(k->need, why, sizeof(why)))
		return db_skip(ctx, "persist=%s: %s", db_str(ctx, "persist"), why);
	s->persist = k->fn;
	s->store = db_persist_kernel_find("store")->fn;

	unsigned long long avail = db_scratch_free(ctx);
	if (avail < s->bytes + (16u << 20))
		return db_skip(ctx, "needs %zu bytes in %s, %llu free", s->bytes, ctx->target, avail);
	char path[4200];
	snprintf(path, sizeof(path), "%s/mapsync.dat", ctx->scratch);
	s->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	s->rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (s->fd < 0 || s->rfd < 0 || ftruncate(s->fd, (off_t)s->bytes))
		return db_fail(ctx, "%s: %s", path, strerror(errno));
	if (s->mode == MODE_DSYNC && (s->dfd = open(path, O_WRONLY | O_DSYNC | O_CLOEXEC)) < 0)
		return db_fail(ctx, "%s with O_DSYNC: %s", path, strerror(errno));
	if (s->mode == MODE_MAPSYNC) {
		void *p = mmap(NULL, s->bytes, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, s->fd, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			return e == EOPNOTSUPP ? db_skip(ctx, "MAP_SYNC: EOPNOTSUPP, not a DAX mapping")
					       : db_fail(ctx, "mmap MAP_SYNC: %s", strerror(e));
		}
		munmap(p, s->bytes);
	}
	s->order = malloc(s->nw * sizeof(size_t));
	if (posix_memalign((void **)&s->buf, 4096, s->ws) || !s->order)
		return db_fail(ctx, "out of memory");
	for (size_t i = 0; i < s->nw; i++)
		s->order[i] = i;
	if (!strcmp(db_str(ctx, "pattern"), "random")) {
		uint64_t x = 0x9e3779b97f4a7c15ull;
		for (size_t i = s->nw - 1; i > 0; i--) {	/* Fisher-Yates: every slot once */
			size_t j = (size_t)(db_xorshift64(&x) % (i + 1)), t = s->order[i];
			s->order[i] = s->order[j];
			s->order[j] = t;
		}
	}
	long c = db_journal_commits(ctx->scratch, s->commits_how, sizeof(s->commits_how));
	s->commits_known = c >= 0;
	db_observe_str(ctx, "journal_commits_from", s->commits_how);
	db_observe_str(ctx, "backing", db_fd_is_dax(s->fd) == 1 ? "DAX file" : "page cache file");
	if (!strcmp(db_str(ctx, "background"), "metadata")) {
		snprintf(s->bgdir, sizeof(s->bgdir), "%s/bg", ctx->scratch);
		if (mkdir(s->bgdir, 0700) && errno != EEXIST)
			return db_fail(ctx, "%s: %s", s->bgdir, strerror(errno));
		if (pthread_create(&s->bg, NULL, background, s))
			return db_fail(ctx, "cannot start the background thread");
		s->bg_on = true;
	}
	return 0;
}

/* the file state this repetition starts from */
static int reset(struct mapsync *s)
{
	if (fallocate(s->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, (off_t)s->bytes))
		return -errno;
	if (s->file == F_PREALLOC && fallocate(s->fd, FALLOC_FL_KEEP_SIZE, 0, (off_t)s->bytes))
		return -errno;
	if (s->file == F_WRITTEN) {
		memset(s->buf, 0x11, s->ws);
		for (size_t off = 0; off < s->bytes; off += s->ws)
			if (pwrite(s->fd, s->buf, s->ws, (off_t)off) != (ssize_t)s->ws)
				return -errno;
	}
	return fsync(s->fd) ? -errno : 0;
}

static int do_sync(struct mapsync *s, char *map)
{
	if (s->mode == MODE_BATCH)
		return fdatasync(s->fd);
	switch (s->sync) {
	case 0: return fsync(s->fd);
	case 2: return msync(map, s->bytes, MS_SYNC);
	default: return fdatasync(s->fd);
	}
}

static int mapsync_run(struct db_worker *w, int rep)
{
	struct db_ctx *ctx = w->ctx;
	struct mapsync *s = ctx->priv;
	int e = reset(s);
	if (e)
		return db_fail(ctx, "resetting the file: %s", strerror(-e));
	char *map = NULL;
	if (s->mode == MODE_MAPSYNC || s->mode == MODE_DEFERRED) {
		int flags = s->mode == MODE_MAPSYNC ? MAP_SHARED_VALIDATE | MAP_SYNC : MAP_SHARED;
		map = mmap(NULL, s->bytes, PROT_READ | PROT_WRITE, flags, s->fd, 0);
		if (map == MAP_FAILED)
			return db_fail(ctx, "mmap: %s", strerror(errno));
		madvise(map, s->bytes, MADV_NOHUGEPAGE);	/* a fault per 4 KiB page, as the 2017 numbers had */
	}
	uint64_t v = 0xd00dfeed00000000ull | (uint64_t)rep;
	for (size_t i = 0; i < s->ws; i += 8)
		memcpy(s->buf + i, &v, 8);

	struct rusage ru0, ru1;
	char how[200];
	long c0 = s->commits_known ? db_journal_commits(ctx->scratch, how, sizeof(how)) : -1;
	getrusage(RUSAGE_THREAD, &ru0);
	db_measure_begin(w);
	uint64_t start = db_clock_ns();
	int err = 0;
	for (size_t i = 0; i < s->nw && !err; i++) {
		size_t off = s->order[i] * s->ws;
		uint64_t t0 = db_ts_start();
		switch (s->mode) {
		case MODE_MAPSYNC:
			s->persist(map + off, s->ws, v, s->ws);	/* the stores, the flush, one SFENCE */
			break;
		case MODE_DEFERRED:
			s->store(map + off, s->ws, v, 0);
			if ((i + 1) % s->batch == 0 || i + 1 == s->nw)
				err = do_sync(s, map) ? errno : 0;
			break;
		case MODE_DSYNC:
			err = pwrite(s->dfd, s->buf, s->ws, (off_t)off) == (ssize_t)s->ws ? 0 : errno;
			break;
		case MODE_BATCH:
			err = pwrite(s->fd, s->buf, s->ws, (off_t)off) == (ssize_t)s->ws ? 0 : errno;
			if (!err && ((i + 1) % s->batch == 0 || i + 1 == s->nw))
				err = do_sync(s, map) ? errno : 0;
			break;
		}
		/* map-sync's stores and flushes must have drained before the clock stops */
		uint64_t t1 = s->mode == MODE_MAPSYNC ? db_ts_stop_fenced() : db_ts_stop();
		if (s->mode == MODE_MAPSYNC)
			db_sample_fenced(w, M_WRITE, t0, t1, 1);
		else
			db_sample_ticks(w, M_WRITE, t0, t1, 1);
	}
	uint64_t end = db_clock_ns();
	db_measure_end(w, s->nw);
	getrusage(RUSAGE_THREAD, &ru1);
	long c1 = s->commits_known ? db_journal_commits(ctx->scratch, how, sizeof(how)) : -1;
	if (map)
		munmap(map, s->bytes);
	if (err)
		return db_fail(ctx, "%s: %s", modes[s->mode], strerror(err));

	/* every write's bytes, read back through the second descriptor */
	for (size_t i = 0; i < s->nw; i++) {
		uint64_t got[2];
		size_t off = i * s->ws;
		if (pread(s->rfd, got, 16, (off_t)off) != 16 || got[0] != v || got[1] != v)
			return db_fail(ctx, "write %zu (offset %zu) is not in the file afterwards", i, off);
	}
	if (!db_in_warmup(w)) {
		db_sample(w, M_PER_DURABLE, (double)(end - start) / (double)s->nw);
		db_sample(w, M_RATE, (double)s->nw * 1e9 / (double)(end - start));
		s->faults += (ru1.ru_minflt + ru1.ru_majflt) - (ru0.ru_minflt + ru0.ru_majflt);
		if (c0 >= 0 && c1 >= 0)
			s->commits += c1 - c0;
		s->writes_done += (long)s->nw;
	}
	return 0;
}

static void mapsync_teardown(struct db_ctx *ctx)
{
	struct mapsync *s = ctx->priv;
	if (!s)
		return;
	if (s->bg_on) {
		s->bg_stop = true;
		pthread_join(s->bg, NULL);
		db_observe_num(ctx, "background_fsyncs", (double)s->bg_ops);
	}
	if (s->writes_done) {
		db_observe_num(ctx, "faults_per_write", (double)s->faults / (double)s->writes_done);
		if (s->commits_known)
			db_observe_num(ctx, "journal_commits_per_write", (double)s->commits / (double)s->writes_done);
		db_observe_num(ctx, "writes_verified", (double)s->writes_done);
	}
	if (s->fd >= 0)
		close(s->fd);
	if (s->dfd >= 0)
		close(s->dfd);
	if (s->rfd >= 0)
		close(s->rfd);
	free(s->order);
	free(s->buf);
	free(s);
	ctx->priv = NULL;
}

/* break-even: per (file, write_size, pattern, background), the smallest batch at which deferred
 * costs less per durable write than map-sync (median ns_per_durable_write of each record) */
static void mapsync_derive(json_t *records, size_t first)
{
	json_t *groups = json_object();
	size_t n = json_array_size(records);
	for (size_t i = first; i < n; i++) {
		json_t *r = json_array_get(records, i), *p = json_object_get(r, "params");
		/* the whole run's records come here: only this benchmark's measured points count */
		if (strcmp(json_string_value(json_object_get(r, "bench")), "mapsync") || json_object_get(r, "derived") ||
		    strcmp(json_string_value(json_object_get(r, "status")), "ok"))
			continue;
		const char *mode = json_string_value(json_object_get(p, "mode"));
		if (strcmp(mode, "map-sync") && strcmp(mode, "deferred"))
			continue;
		json_t *cost = json_object_get(json_object_get(json_object_get(r, "metrics"), "ns_per_durable_write"),
					       "median");
		if (!json_is_number(cost))
			continue;
		char key[256];
		snprintf(key, sizeof(key), "%s|%lld|%s|%s|%lld", json_string_value(json_object_get(p, "file")),
			 (long long)json_integer_value(json_object_get(p, "write_size")),
			 json_string_value(json_object_get(p, "pattern")),
			 json_string_value(json_object_get(p, "background")),
			 (long long)json_integer_value(json_object_get(p, "writes")));
		json_t *g = json_object_get(groups, key);
		if (!g) {
			g = json_pack("{s:O, s:n, s:[]}", "params", p, "map_sync", "deferred");
			json_object_set_new(groups, key, g);
		}
		if (!strcmp(mode, "map-sync")) {
			json_t *best = json_object_get(g, "map_sync");
			if (json_is_null(best) || json_number_value(cost) < json_number_value(best))
				json_object_set(g, "map_sync", cost);	/* the better of clwb and nt */
		} else {
			json_array_append_new(json_object_get(g, "deferred"),
					      json_pack("{s:O, s:O, s:O}", "batch", json_object_get(p, "batch"), "sync",
							json_object_get(p, "sync"), "ns", cost));
		}
	}
	const char *key;
	json_t *g;
	json_object_foreach(groups, key, g) {
		json_t *ms = json_object_get(g, "map_sync"), *def = json_object_get(g, "deferred");
		if (json_is_null(ms) || !json_array_size(def))
			continue;
		json_t *params = json_deep_copy(json_object_get(g, "params"));
		json_object_set_new(params, "mode", json_string("map-sync vs deferred"));
		json_object_set_new(params, "batch", json_string("fit"));
		json_int_t be = 0;
		size_t i;
		json_t *d;
		json_array_foreach(def, i, d)
			if (json_number_value(json_object_get(d, "ns")) < json_number_value(ms) &&
			    (!be || json_integer_value(json_object_get(d, "batch")) < be))
				be = json_integer_value(json_object_get(d, "batch"));
		json_t *rec = json_pack("{s:s, s:s, s:o, s:s, s:o, s:{s:O, s:O, s:o}}", "bench", "mapsync", "derived",
					"break_even_batch", "params", params, "status", "ok", "reason", json_null(), "break_even",
					"map_sync_ns_per_durable_write", ms, "deferred", def, "batch",
					be ? json_integer(be) : json_null());
		if (!be)
			json_object_set_new(rec, "reason", json_string("deferred never beat map-sync at the batches run"));
		json_array_append_new(records, rec);
	}
	json_decref(groups);
}

const struct db_bench db_bench_mapsync = {
	.name = "mapsync",
	.summary = "MAP_SYNC synchronous faults vs plain faults + deferred fsync vs O_DSYNC: cost per durable write",
	.params = mapsync_params,
	.metrics = mapsync_metrics,
	.flags = DB_NEEDS_DIR,
	.setup = mapsync_setup,
	.run = mapsync_run,
	.teardown = mapsync_teardown,
	.derive = mapsync_derive,
};
