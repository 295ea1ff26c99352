/* bench.h -- the benchmark descriptor and what a benchmark may call.
 *
 * A benchmark is a designated-initializer struct registered in src/benches.def:
 *
 *   const struct db_bench db_bench_timer = {
 *           .name = "timer", .summary = "...", .params = timer_params,
 *           .metrics = timer_metrics, .setup = ..., .run = ..., .teardown = ...,
 *   };
 *
 * For each point of the parameter sweep the harness calls setup() once, then run() on every
 * worker thread for --warmup + --repeat repetitions (warm-up samples are dropped and counted),
 * then teardown(). Only what lies between db_measure_begin() and db_measure_end() is counted
 * by the perf counters; run() adds timed samples with db_sample()/db_sample_ticks().
 *
 * Return values: 0 ok; DB_SKIP (from db_skip()) when the environment cannot run this point;
 * negative (from db_fail()) on error. Either way the reason ends up in the record.
 */
#ifndef DAXBENCH_BENCH_H
#define DAXBENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "daxbench/param.h"
#include "daxbench/timing.h"

#define DB_SKIP 1

/* A measured loop: never inlined into its caller, never instrumented by the sanitizers (ASan's shadow
 * writes would add page faults and cache misses that the loop does not make). */
#define DB_KERNEL __attribute__((noinline, no_sanitize_address, no_sanitize_undefined))

/* flags */
#define DB_NEEDS_DIR	(1u << 0)	/* makes scratch files under the target directory */
#define DB_THREADED	(1u << 1)	/* gets a 'threads' parameter; run() is called on each worker */

enum db_better { DB_LOWER_BETTER, DB_HIGHER_BETTER, DB_NO_BETTER };

struct db_metric_desc {
	const char *name;	/* with its unit in the name: latency_ns, bw_bytes_per_sec */
	const char *unit;	/* ns, bytes_per_sec, hz, count ... */
	enum db_better better;
	const char *help;
};

/* A derived record the harness adds after a job's points: for each group of records that differ only
 * in parameter x, the growth exponent b of metric's stat ~ x^b (least squares on log-log, with R^2). */
struct db_fit_desc {
	const char *x;		/* a numeric parameter swept in powers: "pages" */
	const char *metric;	/* "latency_ns" */
	const char *stat;	/* "median" */
};

struct db_ctx;
struct json_t;	/* jansson, for the derive hook */
struct db_worker;

struct db_bench {
	const char *name;
	const char *summary;
	const struct db_param *params;		/* terminated by { .name = NULL } */
	const struct db_metric_desc *metrics;	/* terminated by { .name = NULL } */
	unsigned flags;
	int (*setup)(struct db_ctx *ctx);			/* optional */
	int (*run)(struct db_worker *w, int rep);
	void (*teardown)(struct db_ctx *ctx);			/* optional */
	const struct db_fit_desc *fits;	/* optional, terminated by { NULL } */
	/* optional: append derived records (jansson) computed from records[first..]; called once per run
	 * with every record of the run, other benchmarks' included */
	void (*derive)(struct json_t *records, size_t first);
};

/* One point of the sweep: parameter values, scratch directory, bench-private state. */
struct db_ctx {
	const struct db_bench *bench;
	const char *scratch;	/* per-run scratch directory; everything written goes below it */
	const char *target;	/* the directory the user named (or the default target) */
	const char *device;	/* --device (devdax or block), or NULL: only then may a bench open one */
	int nthreads;
	bool quick;		/* --quick: benches may shorten their minimum run time */
	void *priv;		/* the bench's own state, set in setup */
	struct db_point *point;	/* harness-private */
	struct db_record *rec;	/* harness-private */
};

/* One worker thread of a point. */
struct db_worker {
	struct db_ctx *ctx;
	int id;
	void *priv;		/* per-thread state, the bench's own */
	struct db_wstate *st;	/* harness-private */
};

/* parameter values of the current point; the name must be one of the bench's parameters */
int64_t db_int(const struct db_ctx *ctx, const char *name);
const char *db_str(const struct db_ctx *ctx, const char *name);

/* the record's status: return these from setup()/run() */
int db_skip(struct db_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int db_fail(struct db_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* samples */
void db_sample(struct db_worker *w, int metric, double value);
/* (t1 - t0) in ns with the timer overhead subtracted, divided by ops; a sample that falls
 * below the overhead is recorded as 0 and counted in the metric's n_below_overhead */
void db_sample_ticks(struct db_worker *w, int metric, uint64_t t0, uint64_t t1, uint64_t ops);
/* the same for a span that ended with db_ts_stop_fenced(): the empty MFENCE's cost comes off too */
void db_sample_fenced(struct db_worker *w, int metric, uint64_t t0, uint64_t t1, uint64_t ops);

/* the counted region: perf counters run between these; ops is the work done inside */
void db_measure_begin(struct db_worker *w);
void db_measure_end(struct db_worker *w, uint64_t ops);

/* this repetition is a warm-up: its samples and counts will be dropped */
bool db_in_warmup(const struct db_worker *w);

/* Ctrl-C or SIGTERM arrived: long loops should return early */
bool db_stop_requested(void);

/* a fact observed while measuring, written under the record's "observed" object */
void db_observe_str(struct db_ctx *ctx, const char *key, const char *value);
void db_observe_num(struct db_ctx *ctx, const char *key, double value);
/* append to the array observed[key]: a series in the order it was measured */
void db_observe_append(struct db_ctx *ctx, const char *key, double value);

/* bytes free on the filesystem of the scratch directory (statvfs), or ULLONG_MAX when unknown: a
 * benchmark refuses a point that does not fit rather than fill the user's filesystem */
unsigned long long db_scratch_free(const struct db_ctx *ctx);

/* write len bytes of `byte` to fd from offset 0, in pwrites of `chunk` bytes (the chunk decides the
 * page-cache folios the file starts with); 0 or -errno */
int db_fill_file(int fd, size_t len, int byte, size_t chunk);

/* a xorshift64 step: cheap, deterministic placement for random patterns (not for statistics) */
static inline uint64_t db_xorshift64(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/* Wait for all workers of this point (a pthread barrier). */
void db_barrier(struct db_worker *w);

#endif
