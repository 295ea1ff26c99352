/* harness.h -- what the parts of the harness share; benchmarks see only daxbench/bench.h */
#ifndef DAXBENCH_HARNESS_H
#define DAXBENCH_HARNESS_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "daxbench/bench.h"
#include "daxbench/pin.h"

/* exit codes */
#define DB_EXIT_OK	0
#define DB_EXIT_BENCH	1	/* a benchmark reported an error */
#define DB_EXIT_USAGE	2
#define DB_EXIT_INTR	130

#define DB_SCHEMA_VERSION 1

/* registry (src/registry.c) */
extern const struct db_bench *const db_benches[];
const struct db_bench *db_bench_find(const char *name);
extern const struct db_param db_threads_param;

/* a benchmark with its parameter assignments, from a suite line or the command line */
struct db_job {
	const struct db_bench *bench;
	int nparams;
	const struct db_param **params;	/* bench params, plus 'threads' for DB_THREADED */
	char **spec;			/* value or sweep for each */
	struct db_sweep *sweep;		/* parsed */
	long npoints;
};

/* one combination: index into each param's sweep */
struct db_point {
	const struct db_job *job;
	int *idx;
};

struct db_options {
	const char *dir;	/* target directory */
	const char *events;
	const char *device;	/* --device, probed and checked for signatures before any run */
	const char *cpus;
	int repeat, warmup;
	bool quick;
	bool verbose;
};

/* suite.c: resolve NAME (benchmark, suite name, or path to a .suite file) into jobs */
int db_jobs_add_name(const char *name, struct db_job **jobs, int *njobs, char *err, size_t errlen);
/* apply --set KEY=VALUE to every job that has KEY; -1 if none has it or the value is bad */
int db_jobs_set(struct db_job *jobs, int njobs, const char *kv, char *err, size_t errlen);
/* parse every job's sweeps; -1 with a message naming the bad value */
int db_jobs_expand(struct db_job *jobs, int njobs, long *total, char *err, size_t errlen);
void db_jobs_free(struct db_job *jobs, int njobs);
int db_suite_path(const char *name, char *out, size_t len);
void db_suite_list(FILE *out);

/* runner.c: run one point, return its record */
json_t *db_run_point(const struct db_point *pt, const struct db_options *o, const char *scratch,
		     const char *target, const struct db_pinplan *plan, int *status);
json_t *db_point_params(const struct db_point *pt);
/* append to records the derived fit records of b over records[first..] */
void db_derive_fits(const struct db_bench *b, json_t *records, size_t first);

/* scratch.c: per-run scratch directory, signals */
int db_scratch_create(const char *dir, char *out, size_t len, char *err, size_t errlen);
void db_scratch_empty(const char *path);	/* remove what a point left */
void db_scratch_remove(void);			/* the whole per-run directory */
void db_signals_install(void);
extern volatile int db_signal_seen;

/* output.c */
json_t *db_stats_json(double *v, size_t n);
int db_write_json_atomic(json_t *doc, const char *path, bool force, char *err, size_t errlen);
int db_write_text_atomic(const char *text, size_t len, const char *path, bool force, char *err, size_t errlen);
void db_print_record(FILE *out, json_t *rec);
int db_export_csv(json_t *doc, FILE *out);
json_t *db_load_results(const char *path, char *err, size_t errlen);
int db_mkdir_p(const char *path);

/* compare.c, report.c */
int db_compare(const char *base, const char *new, double threshold, const char *format, FILE *out);
int db_report(int nin, char **inputs, const char *outdir);

#endif
