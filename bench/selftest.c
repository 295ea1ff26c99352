/* selftest.c -- the harness checking itself: known samples, known page faults, a known outcome.
 *
 *   daxbench run selftest --set values=10 --set touch_pages=256
 *
 * Each repetition adds the samples 1..values to `value`, touches `touch_pages` fresh anonymous
 * pages inside the counted region (so page-faults per op must come out at 1.0), and can spin for
 * delay_ms (checking for Ctrl-C) or end as skipped or error. The tests compare its records with
 * golden files; it measures nothing about the machine.
 */
#include "daxbench/bench.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { M_VALUE, M_TOUCH };

static const char *const outcomes[] = { "ok", "skip", "error", NULL };

static const struct db_param selftest_params[] = {
	{ .name = "values", .type = DB_PT_INT, .def = "10", .min = 1, .max = 1000000,
	  .help = "samples 1..values added per repetition" },
	{ .name = "touch_pages", .type = DB_PT_INT, .def = "0", .min = 0, .max = 1 << 20,
	  .help = "fresh anonymous pages written in the counted region" },
	{ .name = "delay_ms", .type = DB_PT_INT, .def = "0", .min = 0, .max = 3600000,
	  .help = "spin this long per repetition (stops early on Ctrl-C)" },
	{ .name = "outcome", .type = DB_PT_ENUM, .def = "ok", .choices = outcomes,
	  .help = "end as ok, skipped or error" },
	{ 0 },
};

static const struct db_metric_desc selftest_metrics[] = {
	[M_VALUE] = { "value", "count", DB_NO_BETTER, "the samples 1..values" },
	[M_TOUCH] = { "touch_ns_per_page", "ns", DB_LOWER_BETTER, "first-touch time per page" },
	{ 0 },
};

/* write one byte to each of n pages */
DB_KERNEL static void touch_pages(volatile char *p, int64_t n, long psz)
{
	for (int64_t i = 0; i < n; i++)
		p[i * psz] = 1;
}

static int selftest_setup(struct db_ctx *ctx)
{
	const char *o = db_str(ctx, "outcome");
	if (!strcmp(o, "skip"))
		return db_skip(ctx, "selftest: skipped as asked");
	return 0;
}

static int selftest_run(struct db_worker *w, int rep)
{
	(void)rep;
	struct db_ctx *ctx = w->ctx;
	int64_t n = db_int(ctx, "values"), pages = db_int(ctx, "touch_pages"), delay = db_int(ctx, "delay_ms");

	if (!strcmp(db_str(ctx, "outcome"), "error"))
		return db_fail(ctx, "selftest: failed as asked");
	for (int64_t i = 1; i <= n; i++)
		db_sample(w, M_VALUE, (double)i);
	if (pages) {
		long psz = sysconf(_SC_PAGESIZE);
		size_t len = (size_t)pages * (size_t)psz;
		volatile char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return db_fail(ctx, "selftest: mmap %zu bytes failed", len);
		madvise((void *)p, len, MADV_NOHUGEPAGE);	/* one fault per 4 KiB page, not per 2 MiB */
		db_measure_begin(w);
		uint64_t t0 = db_ts_start();
		touch_pages(p, pages, psz);
		uint64_t t1 = db_ts_stop();
		db_measure_end(w, (uint64_t)pages);
		db_sample_ticks(w, M_TOUCH, t0, t1, (uint64_t)pages);
		munmap((void *)p, len);
	}
	uint64_t end = db_clock_ns() + (uint64_t)delay * 1000000ull;
	while (delay && db_clock_ns() < end && !db_stop_requested())
		usleep(1000);
	return 0;
}

const struct db_bench db_bench_selftest = {
	.name = "selftest",
	.summary = "harness self-check for the tests: known samples and page faults; measures nothing",
	.params = selftest_params,
	.metrics = selftest_metrics,
	.flags = DB_THREADED,
	.setup = selftest_setup,
	.run = selftest_run,
};
