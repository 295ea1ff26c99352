/* runner.c -- one point of a sweep: setup, pinned workers, warm-up and repetitions, the record */
#include "harness.h"
#include "daxbench/pmu.h"
#include "daxbench/stats.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_METRICS 32

struct samples {
	double *v;
	size_t n, cap;
	size_t *ends;		/* n at the end of each measured repetition */
	size_t nends;
	size_t below_overhead;
	bool timed;	/* came through db_sample_ticks: the timer overhead was subtracted */
	bool fenced;	/* db_sample_fenced: an MFENCE ended the span, its empty cost subtracted too */
};

/* per worker */
struct db_wstate {
	struct samples m[MAX_METRICS];
	int nmetrics;
	struct db_pmu pmu;
	bool warm;		/* in a warm-up repetition */
	bool oom;
	uint64_t ops;
	int cpu_req, cpu_start, cpu_end, pin_err;
	pthread_t tid;
};

/* per point */
struct db_record {
	int status;		/* 0 ok, DB_SKIP, <0 error */
	char reason[512];
	json_t *observed;
	pthread_barrier_t barrier;
	pthread_mutex_t lock;
	volatile int failed;
	const struct db_options *opt;
};

static int param_index(const struct db_ctx *ctx, const char *name)
{
	const struct db_job *j = ctx->point->job;
	for (int i = 0; i < j->nparams; i++)
		if (!strcmp(j->params[i]->name, name))
			return i;
	fprintf(stderr, "daxbench: internal error: %s has no parameter '%s'\n", ctx->bench->name, name);
	abort();
}

int64_t db_int(const struct db_ctx *ctx, const char *name)
{
	int i = param_index(ctx, name);
	return ctx->point->job->sweep[i].num[ctx->point->idx[i]];
}

const char *db_str(const struct db_ctx *ctx, const char *name)
{
	int i = param_index(ctx, name);
	return ctx->point->job->sweep[i].text[ctx->point->idx[i]];
}

static int set_status(struct db_ctx *ctx, int status, const char *fmt, va_list ap)
{
	struct db_record *r = ctx->rec;
	pthread_mutex_lock(&r->lock);
	if (r->status == 0) {	/* the first reason is the one that matters */
		r->status = status;
		vsnprintf(r->reason, sizeof(r->reason), fmt, ap);
	}
	pthread_mutex_unlock(&r->lock);
	return status;
}

int db_skip(struct db_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_status(ctx, DB_SKIP, fmt, ap);
	va_end(ap);
	return DB_SKIP;
}

int db_fail(struct db_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_status(ctx, -1, fmt, ap);
	va_end(ap);
	return -1;
}

static void add_sample(struct db_worker *w, int metric, double v, bool timed, bool below)
{
	struct db_wstate *st = w->st;
	if (st->warm || metric < 0 || metric >= st->nmetrics)
		return;
	struct samples *s = &st->m[metric];
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		double *nv = realloc(s->v, cap * sizeof(*nv));
		if (!nv) {
			st->oom = true;
			return;
		}
		s->v = nv;
		s->cap = cap;
	}
	s->v[s->n++] = v;
	s->timed |= timed;
	s->below_overhead += below;
}

void db_sample(struct db_worker *w, int metric, double value)
{
	add_sample(w, metric, value, false, false);
}

void db_sample_ticks(struct db_worker *w, int metric, uint64_t t0, uint64_t t1, uint64_t ops)
{
	double ns = db_ticks_ns(t1 - t0) - db_ts_overhead_ns();
	bool below = ns < 0;
	if (below)
		ns = 0;
	add_sample(w, metric, ns / (double)(ops ? ops : 1), true, below);
}

void db_sample_fenced(struct db_worker *w, int metric, uint64_t t0, uint64_t t1, uint64_t ops)
{
	double ns = db_ticks_ns(t1 - t0) - db_ts_overhead_ns() - db_timing.fence_overhead_ns;
	bool below = ns < 0;
	if (below)
		ns = 0;
	add_sample(w, metric, ns / (double)(ops ? ops : 1), true, below);
	w->st->m[metric < 0 || metric >= w->st->nmetrics ? 0 : metric].fenced = true;
}

void db_measure_begin(struct db_worker *w)
{
	db_pmu_start(&w->st->pmu);
}

void db_measure_end(struct db_worker *w, uint64_t ops)
{
	db_pmu_stop(&w->st->pmu, !w->st->warm);
	if (!w->st->warm)
		w->st->ops += ops;
}

bool db_in_warmup(const struct db_worker *w)
{
	return w->st->warm;
}

bool db_stop_requested(void)
{
	return db_signal_seen != 0;
}

void db_barrier(struct db_worker *w)
{
	pthread_barrier_wait(&w->ctx->rec->barrier);
}

void db_observe_str(struct db_ctx *ctx, const char *key, const char *value)
{
	pthread_mutex_lock(&ctx->rec->lock);
	json_object_set_new(ctx->rec->observed, key, json_string(value));
	pthread_mutex_unlock(&ctx->rec->lock);
}

void db_observe_num(struct db_ctx *ctx, const char *key, double value)
{
	pthread_mutex_lock(&ctx->rec->lock);
	json_object_set_new(ctx->rec->observed, key, isfinite(value) ? json_real(value) : json_null());
	pthread_mutex_unlock(&ctx->rec->lock);
}

void db_observe_append(struct db_ctx *ctx, const char *key, double value)
{
	pthread_mutex_lock(&ctx->rec->lock);
	json_t *a = json_object_get(ctx->rec->observed, key);
	if (!json_is_array(a)) {
		a = json_array();
		json_object_set_new(ctx->rec->observed, key, a);
	}
	json_array_append_new(a, isfinite(value) ? json_real(value) : json_null());
	pthread_mutex_unlock(&ctx->rec->lock);
}

static void *worker_main(void *arg)
{
	struct db_worker *w = arg;
	struct db_wstate *st = w->st;
	struct db_ctx *ctx = w->ctx;
	struct db_record *r = ctx->rec;
	const struct db_options *o = r->opt;

	st->pin_err = db_pin_self(st->cpu_req);
	st->cpu_start = sched_getcpu();
	db_pmu_open(&st->pmu, o->events);
	for (int rep = 0; rep < o->warmup + o->repeat; rep++) {
		st->warm = rep < o->warmup;
		pthread_barrier_wait(&r->barrier);
		if (!r->failed && !db_signal_seen) {
			int rc = ctx->bench->run(w, rep);
			if (rc) {
				if (r->status == 0)
					db_fail(ctx, "run returned %d without a reason", rc);
				r->failed = 1;
			}
		}
		for (int k = 0; !st->warm && k < st->nmetrics; k++) {
			struct samples *sm = &st->m[k];
			size_t *e = realloc(sm->ends, (sm->nends + 1) * sizeof(*e));
			if (!e) {
				st->oom = true;
				break;
			}
			sm->ends = e;
			sm->ends[sm->nends++] = sm->n;
		}
		pthread_barrier_wait(&r->barrier);
	}
	st->cpu_end = sched_getcpu();
	db_pmu_stop(&st->pmu, false);
	db_pmu_close(&st->pmu);
	return NULL;
}

json_t *db_point_params(const struct db_point *pt)
{
	json_t *p = json_object();
	const struct db_job *j = pt->job;
	for (int i = 0; i < j->nparams; i++) {
		const struct db_sweep *s = &j->sweep[i];
		if (j->params[i]->type == DB_PT_ENUM)
			json_object_set_new(p, j->params[i]->name, json_string(s->text[pt->idx[i]]));
		else
			json_object_set_new(p, j->params[i]->name, json_integer(s->num[pt->idx[i]]));
	}
	return p;
}

static const char *better_name(enum db_better b)
{
	return b == DB_LOWER_BETTER ? "lower" : b == DB_HIGHER_BETTER ? "higher" : "none";
}

static json_t *metrics_json(const struct db_bench *b, struct db_worker *w, int nthreads)
{
	json_t *m = json_object();
	for (int k = 0; k < w[0].st->nmetrics; k++) {
		size_t n = 0, below = 0;
		bool timed = false;
		for (int t = 0; t < nthreads; t++) {
			n += w[t].st->m[k].n;
			below += w[t].st->m[k].below_overhead;
			timed |= w[t].st->m[k].timed;
		}
		if (!n)
			continue;
		double *all = malloc(n * sizeof(*all));
		if (!all)
			continue;
		size_t off = 0;
		for (int t = 0; t < nthreads; t++) {
			if (w[t].st->m[k].n)	/* a thread with no samples has no array at all */
				memcpy(all + off, w[t].st->m[k].v, w[t].st->m[k].n * sizeof(*all));
			off += w[t].st->m[k].n;
		}
		json_t *s = db_stats_json(all, n);
		/* the median of each repetition, over all threads: the unit `daxbench compare` replicates on */
		json_t *reps = json_array();
		size_t nreps = w[0].st->m[k].nends;
		for (size_t r = 0; r < nreps; r++) {
			size_t cnt = 0;
			for (int t = 0; t < nthreads; t++) {
				struct samples *sm = &w[t].st->m[k];
				if (r < sm->nends)
					cnt += sm->ends[r] - (r ? sm->ends[r - 1] : 0);
			}
			if (!cnt)
				continue;
			size_t off = 0;
			for (int t = 0; t < nthreads; t++) {
				struct samples *sm = &w[t].st->m[k];
				if (r >= sm->nends)
					continue;
				size_t b = r ? sm->ends[r - 1] : 0;
				if (sm->ends[r] > b)
					memcpy(all + off, sm->v + b, (sm->ends[r] - b) * sizeof(*all));
				off += sm->ends[r] - b;
			}
			struct db_stats rs;
			db_stats_compute(all, cnt, &rs);
			json_array_append_new(reps, json_real(rs.median));
		}
		json_object_set_new(s, "rep_medians", reps);
		free(all);
		json_object_set_new(s, "unit", json_string(b->metrics[k].unit));
		json_object_set_new(s, "better", json_string(better_name(b->metrics[k].better)));
		bool fenced = false;
		for (int t = 0; t < nthreads; t++)
			fenced |= w[t].st->m[k].fenced;
		if (timed) {
			json_object_set_new(s, "overhead_subtracted_ns",
					    json_real(db_ts_overhead_ns() + (fenced ? db_timing.fence_overhead_ns : 0)));
			if (fenced)
				json_object_set_new(s, "ended_by", json_string("mfence; rdtscp"));
			json_object_set_new(s, "n_below_overhead", json_integer((json_int_t)below));
		}
		json_object_set_new(m, b->metrics[k].name, s);
	}
	return m;
}

static json_t *counters_json(struct db_worker *w, int nthreads)
{
	json_t *c = json_object();
	uint64_t ops = 0;
	for (int t = 0; t < nthreads; t++)
		ops += w[t].st->ops;
	struct db_pmu *p0 = &w[0].st->pmu;
	for (int i = 0; i < p0->n; i++) {
		struct db_counter *c0 = &p0->c[i];
		json_t *j = json_object();
		json_object_set_new(j, "encoding", json_string(c0->encoded));
		if (!c0->available && c0->reason[0]) {
			json_object_set_new(j, "available", json_false());
			json_object_set_new(j, "reason", json_string(c0->reason));
			json_object_set_new(c, c0->name, j);
			continue;
		}
		uint64_t total = 0, en = 0, run = 0;
		for (int t = 0; t < nthreads; t++) {
			total += w[t].st->pmu.c[i].total;
			en += w[t].st->pmu.c[i].enabled;
			run += w[t].st->pmu.c[i].running;
		}
		if (en > 0 && run == 0) {
			json_object_set_new(j, "available", json_false());
			json_object_set_new(j, "reason", json_string("opened but never scheduled on the PMU "
								    "(running time 0)"));
			json_object_set_new(c, c0->name, j);
			continue;
		}
		json_object_set_new(j, "available", json_true());
		json_object_set_new(j, "mode", json_string(c0->kernel ? "user+kernel" : "user"));
		json_object_set_new(j, "total", json_integer((json_int_t)total));
		json_object_set_new(j, "per_op", ops ? json_real((double)total / (double)ops) : json_null());
		json_object_set_new(j, "time_enabled_ns", json_integer((json_int_t)en));
		json_object_set_new(j, "time_running_ns", json_integer((json_int_t)run));
		bool mux = run < en;
		json_object_set_new(j, "multiplexed", json_boolean(mux));
		if (mux && ops && run)	/* an estimate, labelled as one; total and per_op stay raw */
			json_object_set_new(j, "per_op_scaled_estimate",
					    json_real((double)total * (double)en / (double)run / (double)ops));
		json_object_set_new(c, c0->name, j);
	}
	return c;
}

static json_t *pin_json(const struct db_pinplan *plan, struct db_worker *w, int nthreads)
{
	json_t *req = json_array(), *s = json_array(), *e = json_array();
	bool migrated = false, failed = false;
	for (int t = 0; t < nthreads; t++) {
		json_array_append_new(req, json_integer(w[t].st->cpu_req));
		json_array_append_new(s, json_integer(w[t].st->cpu_start));
		json_array_append_new(e, json_integer(w[t].st->cpu_end));
		migrated |= w[t].st->cpu_start != w[t].st->cpu_end || w[t].st->cpu_start != w[t].st->cpu_req;
		failed |= w[t].st->pin_err != 0;
	}
	json_t *p = json_pack("{s:s, s:o, s:o, s:o, s:b}", "policy", plan->policy, "requested", req,
			      "observed_start", s, "observed_end", e, "migrated", migrated);
	if (failed)
		json_object_set_new(p, "bind_error", json_string(strerror(-w[0].st->pin_err)));
	return p;
}

json_t *db_run_point(const struct db_point *pt, const struct db_options *o, const char *scratch,
		     const char *target, const struct db_pinplan *plan, int *status)
{
	const struct db_bench *b = pt->job->bench;
	struct db_record r;
	struct db_ctx ctx;
	memset(&r, 0, sizeof(r));
	memset(&ctx, 0, sizeof(ctx));
	r.observed = json_object();
	r.opt = o;
	pthread_mutex_init(&r.lock, NULL);
	ctx.bench = b;
	ctx.scratch = scratch;
	ctx.target = target;
	ctx.device = o->device;
	ctx.quick = o->quick;
	ctx.point = (struct db_point *)pt;
	ctx.rec = &r;
	ctx.nthreads = (b->flags & DB_THREADED) ? (int)db_int(&ctx, "threads") : 1;

	int nm = 0;
	while (b->metrics[nm].name)
		nm++;
	if (nm > MAX_METRICS)
		nm = MAX_METRICS;

	struct db_worker *w = calloc(ctx.nthreads, sizeof(*w));
	struct db_wstate *st = calloc(ctx.nthreads, sizeof(*st));
	uint64_t t0 = db_clock_ns();
	int rc = (!w || !st) ? db_fail(&ctx, "out of memory") : 0;
	if (!rc && b->setup)
		rc = b->setup(&ctx);
	bool ran = false;
	if (!rc && r.status == 0) {
		ran = true;
		pthread_barrier_init(&r.barrier, NULL, (unsigned)ctx.nthreads);
		int started = 0;
		for (int t = 0; t < ctx.nthreads; t++) {
			w[t].ctx = &ctx;
			w[t].id = t;
			w[t].st = &st[t];
			st[t].nmetrics = nm;
			st[t].cpu_req = plan->cpus[t % plan->ncpus];
			st[t].cpu_start = st[t].cpu_end = -1;
		}
		for (int t = 0; t < ctx.nthreads; t++) {
			int e = pthread_create(&st[t].tid, NULL, worker_main, &w[t]);
			if (e) {
				/* the barrier counts every worker: without all of them none can proceed */
				fprintf(stderr, "daxbench: cannot start worker %d: %s\n", t, strerror(e));
				abort();
			}
			started++;
		}
		for (int t = 0; t < started; t++)
			pthread_join(st[t].tid, NULL);
		pthread_barrier_destroy(&r.barrier);
		for (int t = 0; t < ctx.nthreads; t++)
			if (st[t].oom)
				db_fail(&ctx, "out of memory storing samples");
	}
	if (b->teardown)
		b->teardown(&ctx);
	double elapsed = (double)(db_clock_ns() - t0) / 1e9;

	json_t *rec = json_object();
	json_object_set_new(rec, "bench", json_string(b->name));
	json_object_set_new(rec, "params", db_point_params(pt));
	const char *sname = r.status == 0 ? "ok" : r.status == DB_SKIP ? "skipped" : "error";
	json_object_set_new(rec, "status", json_string(sname));
	json_object_set_new(rec, "reason", r.status ? json_string(r.reason) : json_null());
	json_object_set_new(rec, "threads", json_integer(ctx.nthreads));
	json_object_set_new(rec, "repeat", json_integer(o->repeat));
	json_object_set_new(rec, "warmup_reps_excluded", json_integer(o->warmup));
	if (ran && r.status != DB_SKIP) {
		uint64_t ops = 0;
		for (int t = 0; t < ctx.nthreads; t++)
			ops += st[t].ops;
		json_object_set_new(rec, "measured_ops", json_integer((json_int_t)ops));
		json_object_set_new(rec, "metrics", metrics_json(b, w, ctx.nthreads));
		json_object_set_new(rec, "counters", counters_json(w, ctx.nthreads));
		json_object_set_new(rec, "pin", pin_json(plan, w, ctx.nthreads));
	}
	json_object_set_new(rec, "observed", r.observed);
	json_object_set_new(rec, "elapsed_s", json_real(elapsed));

	for (int t = 0; st && t < ctx.nthreads; t++)
		for (int k = 0; k < MAX_METRICS; k++) {
			free(st[t].m[k].v);
			free(st[t].m[k].ends);
		}
	free(st);
	free(w);
	pthread_mutex_destroy(&r.lock);
	*status = r.status;
	return rec;
}

/* ---- derived records: growth exponents over a swept parameter ---- */

static json_t *fit_record(const struct db_bench *b, const struct db_fit_desc *f, json_t *params, json_t *xs,
			  json_t *ys)
{
	size_t n = json_array_size(xs);
	double *x = calloc(n ? n : 1, sizeof(double)), *y = calloc(n ? n : 1, sizeof(double)), e = 0, r2 = 0;
	for (size_t i = 0; x && y && i < n; i++) {
		x[i] = json_number_value(json_array_get(xs, i));
		y[i] = json_number_value(json_array_get(ys, i));
	}
	int rc = x && y ? db_loglog_fit(x, y, n, &e, &r2) : -1;
	free(x);
	free(y);
	json_t *rec = json_object();
	json_object_set_new(rec, "bench", json_string(b->name));
	json_object_set_new(rec, "derived", json_string("growth_exponent"));
	json_object_set(rec, "params", params);
	json_object_set_new(json_object_get(rec, "params"), f->x, json_string("fit"));
	json_object_set_new(rec, "status", json_string(rc ? "skipped" : "ok"));
	json_object_set_new(rec, "reason", rc ? json_string("cannot fit: fewer than two points, or a value <= 0")
					      : json_null());
	json_object_set_new(rec, "fit", json_pack("{s:s, s:s, s:s, s:o, s:o, s:O, s:O}", "x", f->x, "metric",
						  f->metric, "stat", f->stat, "exponent", rc ? json_null() : json_real(e),
						  "r2", rc ? json_null() : json_real(r2), "x_values", xs, "y_values", ys));
	if (!rc)
		json_object_set_new(rec, "metrics", json_pack("{s:{s:s, s:s, s:I, s:f, s:f}}", "growth_exponent", "unit",
							      "exponent", "better", "lower", "n", (json_int_t)n,
							      "median", e, "r2", r2));
	return rec;
}

void db_derive_fits(const struct db_bench *b, json_t *records, size_t first)
{
	for (const struct db_fit_desc *f = b->fits; f && f->x; f++) {
		json_t *groups = json_object();	/* key: the other parameters, as JSON text */
		size_t total = json_array_size(records);
		for (size_t i = first; i < total; i++) {
			json_t *r = json_array_get(records, i);
			if (json_object_get(r, "derived") || strcmp(json_string_value(json_object_get(r, "status")), "ok"))
				continue;
			json_t *m = json_object_get(json_object_get(json_object_get(r, "metrics"), f->metric), f->stat);
			json_t *xv = json_object_get(json_object_get(r, "params"), f->x);
			if (!json_is_number(m) || !json_is_number(xv))
				continue;
			json_t *others = json_deep_copy(json_object_get(r, "params"));
			json_object_del(others, f->x);
			char *key = json_dumps(others, JSON_SORT_KEYS | JSON_COMPACT);
			json_t *g = json_object_get(groups, key);
			if (!g) {
				g = json_pack("{s:o, s:[], s:[]}", "params", others, "x", "y");
				json_object_set_new(groups, key, g);
			} else {
				json_decref(others);
			}
			json_array_append(json_object_get(g, "x"), xv);
			json_array_append(json_object_get(g, "y"), m);
			free(key);
		}
		const char *key;
		json_t *g;
		json_object_foreach(groups, key, g)
			if (json_array_size(json_object_get(g, "x")) >= 2)
				json_array_append_new(records, fit_record(b, f, json_object_get(g, "params"),
									  json_object_get(g, "x"), json_object_get(g, "y")));
		json_decref(groups);
	}
}
