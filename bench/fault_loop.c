/* fault_loop.c -- the will-it-scale way to price a fault: map, write every page, unmap, repeat.
 *
 *   daxbench run fault-loop --set map=anon,shared
 *
 * The peer daxbench's `fault` benchmark is checked against (page_fault1 is map=anon, page_fault3
 * map=shared): no per-touch timer, the mmap/munmap cost amortized over the pages, faults counted
 * with getrusage. ns_per_page is will-it-scale's number (unmapping, which frees the pages, included);
 * touch_ns_per_fault times only the touch loops and is what `fault` kind=write should match. If
 * `fault` reports more per fault than that on the same machine, the harness is adding overhead.
 * The shared file is written in 2 MiB chunks first, as `fault` kind=write does, so that both find
 * the same page-cache folios.
 */
#include "daxbench/bench.h"
#include "daxbench/env.h"
#include "daxbench/kernels.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

enum { M_NS_PAGE, M_NS_FAULT, M_TOUCH_FAULT };

static const char *const maps[] = { "anon", "shared", NULL };

static const struct db_param loop_params[] = {
	{ .name = "map", .type = DB_PT_ENUM, .def = "anon", .choices = maps,
	  .help = "anon (page_fault1) or a shared file in --dir (page_fault3)" },
	{ .name = "size", .type = DB_PT_SIZE, .def = "128M", .min = 1 << 20, .max = 1LL << 40,
	  .help = "bytes mapped per iteration (will-it-scale uses 128M)" },
	{ .name = "duration_ms", .type = DB_PT_INT, .def = "500", .min = 10, .max = 3600000,
	  .help = "iterations run until this much time has passed" },
	{ 0 },
};

static const struct db_metric_desc loop_metrics[] = {
	[M_NS_PAGE] = { "ns_per_page", "ns", DB_LOWER_BETTER, "elapsed / pages written, per repetition" },
	[M_NS_FAULT] = { "ns_per_fault", "ns", DB_LOWER_BETTER, "elapsed / faults counted, per repetition" },
	[M_TOUCH_FAULT] = { "touch_ns_per_fault", "ns", DB_LOWER_BETTER,
			    "the touch loops alone (no mmap/munmap) / faults counted: what `fault` times" },
	{ 0 },
};

struct loop {
	int fd;
};

static int loop_setup(struct db_ctx *ctx)
{
	struct loop *l = calloc(1, sizeof(*l));
	if (!l)
		return db_fail(ctx, "out of memory");
	ctx->priv = l;
	l->fd = -1;
	if (!strcmp(db_str(ctx, "map"), "shared")) {
		char path[4200];
		snprintf(path, sizeof(path), "%s/fault-loop.dat", ctx->scratch);
		l->fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		size_t total = (size_t)db_int(ctx, "size") * (size_t)ctx->nthreads;
		if (l->fd < 0 || ftruncate(l->fd, (off_t)total))
			return db_fail(ctx, "%s: %s", path, strerror(errno));
		int e = db_fill_file(l->fd, total, 0xab, 2u << 20);	/* the folios `fault` kind=write finds */
		if (e)
			return db_fail(ctx, "writing %s: %s", path, strerror(-e));
		fdatasync(l->fd);
	}
	return 0;
}

static int loop_run(struct db_worker *w, int rep)
{
	(void)rep;
	struct loop *l = w->ctx->priv;
	size_t size = (size_t)db_int(w->ctx, "size");
	uint64_t dur = (uint64_t)db_int(w->ctx, "duration_ms") * 1000000ull, pages = 0, touch = 0;
	long psz = sysconf(_SC_PAGESIZE);
	struct rusage a, b;
	int flags = l->fd < 0 ? MAP_PRIVATE | MAP_ANONYMOUS : MAP_SHARED;
	off_t off = l->fd < 0 ? 0 : (off_t)((size_t)w->id * size);

	getrusage(RUSAGE_THREAD, &a);
	db_measure_begin(w);
	uint64_t t0 = db_clock_ns(), t1;
	do {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, l->fd, off);
		if (p == MAP_FAILED)
			return db_fail(w->ctx, "mmap %zu bytes: %s", size, strerror(errno));
		uint64_t a0 = db_clock_ns();
		db_touch_write(p, size / (size_t)psz, (size_t)psz, NULL);
		touch += db_clock_ns() - a0;
		munmap(p, size);
		pages += size / (size_t)psz;
		t1 = db_clock_ns();
	} while (t1 - t0 < dur && !db_stop_requested());
	db_measure_end(w, pages);
	getrusage(RUSAGE_THREAD, &b);
	long faults = (b.ru_minflt + b.ru_majflt) - (a.ru_minflt + a.ru_majflt);
	db_sample(w, M_NS_PAGE, (double)(t1 - t0) / (double)pages);
	if (faults > 0) {
		db_sample(w, M_NS_FAULT, (double)(t1 - t0) / (double)faults);
		db_sample(w, M_TOUCH_FAULT, (double)touch / (double)faults);
	}
	return 0;
}

static void loop_teardown(struct db_ctx *ctx)
{
	struct loop *l = ctx->priv;
	if (l && l->fd >= 0)
		close(l->fd);
	free(l);
	ctx->priv = NULL;
}

const struct db_bench db_bench_fault_loop = {
	.name = "fault-loop",
	.summary = "will-it-scale-style fault loop (map, write every page, unmap): the peer for `fault`",
	.params = loop_params,
	.metrics = loop_metrics,
	.flags = DB_NEEDS_DIR | DB_THREADED,
	.setup = loop_setup,
	.run = loop_run,
	.teardown = loop_teardown,
};
