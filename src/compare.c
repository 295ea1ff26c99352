/* compare.c -- daxbench compare BASE NEW: regressions and improvements that are real.
 *
 * BASE and NEW are result files or directories of them; the files on each side pool. Records
 * match on benchmark and their full parameter set. For each metric the replication unit is a run
 * (one matched record of one file), never a sample:
 *   - each side with >= 3 runs: Welch's t-test on the runs' means (t distribution from GSL), with
 *     the Benjamini-Hochberg correction over all the metrics tested at once (false discovery rate 1%);
 *   - otherwise lkp's range-separation rule on the per-repetition medians of every run: the two
 *     sides' [min, max] do not overlap.
 * A change is flagged only when it is significant AND |%change| >= threshold, in the direction the
 * metric declares worse (better: lower/higher); metrics with no direction are shown, never flagged.
 * Derived records (fits, break-even) are listed by value, not tested.
 */
#include "harness.h"
#include "daxbench/stats.h"

#include <dirent.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ALPHA 0.01

struct side {
	json_t *files;	/* array of loaded documents */
	json_t *index;	/* key -> array of records */
	const char *label;
};

static int load_path(const char *path, json_t *files, char *err, size_t errlen, int depth)
{
	struct stat st;
	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		struct dirent **list;
		closedir(d);
		int n = scandir(path, &list, NULL, alphasort);
		int rc = 0;
		for (int i = 0; i < n; i++) {
			const char *nm = list[i]->d_name;
			size_t l = strlen(nm);
			char sub[4200];
			snprintf(sub, sizeof(sub), "%s/%s", path, nm);
			struct stat s2;
			if (!rc && nm[0] != '.' && !stat(sub, &s2)) {
				if (S_ISDIR(s2.st_mode) && depth < 8)
					rc = load_path(sub, files, err, errlen, depth + 1);
				else if (S_ISREG(s2.st_mode) && l > 5 && !strcmp(nm + l - 5, ".json") &&
					 !strstr(nm, "-env.json"))
					rc = load_path(sub, files, err, errlen, depth + 1);
			}
			free(list[i]);
		}
		free(list);
		return rc;
	}
	json_t *doc = db_load_results(path, err, errlen);
	if (!doc)
		return -1;
	json_object_set_new(doc, "_path", json_string(path));
	json_array_append_new(files, doc);
	return 0;
}

static char *record_key(json_t *rec)
{
	json_t *k = json_pack("{s:O, s:O, s:O}", "bench", json_object_get(rec, "bench"), "derived",
			      json_object_get(rec, "derived") ? json_object_get(rec, "derived") : json_null(),
			      "params", json_object_get(rec, "params"));
	char *s = json_dumps(k, JSON_SORT_KEYS | JSON_COMPACT);
	json_decref(k);
	return s;
}

static int side_load(struct side *s, const char *path, char *err, size_t errlen)
{
	s->files = json_array();
	s->index = json_object();
	s->label = path;
	if (load_path(path, s->files, err, errlen, 0))
		return -1;
	if (!json_array_size(s->files)) {
		snprintf(err, errlen, "%s: no result files there", path);
		return -1;
	}
	size_t i, j;
	json_t *doc, *rec;
	json_array_foreach(s->files, i, doc) {
		json_array_foreach(json_object_get(doc, "records"), j, rec) {
			if (strcmp(json_string_value(json_object_get(rec, "status")), "ok"))
				continue;
			char *key = record_key(rec);
			json_t *a = json_object_get(s->index, key);
			if (!a) {
				a = json_array();
				json_object_set_new(s->index, key, a);
			}
			json_array_append(a, rec);
			free(key);
		}
	}
	return 0;
}

/* what differs between the two sides' contexts */
static json_t *context_diff(struct side *a, struct side *b)
{
	static const char *const paths[][3] = {
		{ "host", NULL, NULL }, { "kernel", "release", NULL }, { "cpu", "model_name", NULL },
		{ "cpu", "microcode", NULL }, { "target", "fs", NULL }, { "target", "mount_options", NULL },
		{ "target", "super_options", NULL }, { "target", "dax", NULL }, { "pmem", "kind", NULL },
		{ "vm", "accel", NULL }, { "vm", "target", NULL }, { "timing", "clock", NULL },
		{ "timing", "clocksource", NULL }, { "build", "git_revision", NULL },
	};
	json_t *diff = json_array();
	json_t *ca = json_object_get(json_array_get(a->files, 0), "context");
	json_t *cb = json_object_get(json_array_get(b->files, 0), "context");
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		json_t *va = json_object_get(ca, paths[i][0]), *vb = json_object_get(cb, paths[i][0]);
		char name[64];
		snprintf(name, sizeof(name), "%s", paths[i][0]);
		if (paths[i][1]) {
			va = json_object_get(va, paths[i][1]);
			vb = json_object_get(vb, paths[i][1]);
			snprintf(name, sizeof(name), "%s.%s", paths[i][0], paths[i][1]);
		}
		if (!json_equal(va ? va : json_null(), vb ? vb : json_null()))
			json_array_append_new(diff, json_pack("{s:s, s:O, s:O}", "field", name, "base", va ? va : json_null(),
							      "new", vb ? vb : json_null()));
	}
	return diff;
}

struct agg {
	double mean, sd, cv, vmin, vmax;
	size_t runs, values;
	double *run_means;
};

/* a metric over one side's matched records: per-run means, pooled per-repetition values */
static int aggregate(json_t *recs, const char *metric, struct agg *g)
{
	memset(g, 0, sizeof(*g));
	g->vmin = INFINITY;
	g->vmax = -INFINITY;
	g->run_means = calloc(json_array_size(recs) + 1, sizeof(double));
	double sum = 0, sum2 = 0;
	size_t i;
	json_t *rec;
	json_array_foreach(recs, i, rec) {
		json_t *m = json_object_get(json_object_get(rec, "metrics"), metric);
		json_t *reps = json_object_get(m, "rep_medians");
		double rs = 0;
		size_t rn = 0, j;
		json_t *v;
		if (json_array_size(reps)) {
			json_array_foreach(reps, j, v) {
				double x = json_number_value(v);
				rs += x, rn++;
				sum += x, sum2 += x * x, g->values++;
				g->vmin = fmin(g->vmin, x);
				g->vmax = fmax(g->vmax, x);
			}
		} else if (json_is_number(json_object_get(m, "median"))) {
			double x = json_number_value(json_object_get(m, "median"));
			rs = x, rn = 1;
			sum += x, sum2 += x * x, g->values++;
			g->vmin = fmin(g->vmin, x);
			g->vmax = fmax(g->vmax, x);
		}
		if (rn)
			g->run_means[g->runs++] = rs / (double)rn;
	}
	if (!g->values)
		return -1;
	g->mean = sum / (double)g->values;
	g->sd = g->values > 1 ? sqrt(fmax(0, (sum2 - sum * sum / (double)g->values) / (double)(g->values - 1))) : 0;
	g->cv = g->mean ? g->sd / fabs(g->mean) : 0;
	return 0;
}

/* Welch's t-test on the runs' means: two-sided p */
static double welch_p(const struct agg *a, const struct agg *b)
{
	double ma = 0, mb = 0, va = 0, vb = 0;
	for (size_t i = 0; i < a->runs; i++)
		ma += a->run_means[i] / (double)a->runs;
	for (size_t i = 0; i < b->runs; i++)
		mb += b->run_means[i] / (double)b->runs;
	for (size_t i = 0; i < a->runs; i++)
		va += (a->run_means[i] - ma) * (a->run_means[i] - ma) / (double)(a->runs - 1);
	for (size_t i = 0; i < b->runs; i++)
		vb += (b->run_means[i] - mb) * (b->run_means[i] - mb) / (double)(b->runs - 1);
	double sa = va / (double)a->runs, sb = vb / (double)b->runs;
	if (sa + sb == 0)
		return ma == mb ? 1.0 : 0.0;
	double t = (mb - ma) / sqrt(sa + sb);
	double df = (sa + sb) * (sa + sb) / (sa * sa / (double)(a->runs - 1) + sb * sb / (double)(b->runs - 1));
	return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

static const char *family(const char *bench)
{
	return bench;
}

int db_compare(const char *base, const char *new, double threshold, const char *format, FILE *out)
{
	struct side a = { 0 }, b = { 0 };
	char err[1024];
	if (side_load(&a, base, err, sizeof(err)) || side_load(&b, new, err, sizeof(err))) {
		fprintf(stderr, "daxbench: compare: %s\n", err);
		json_decref(a.files);
		json_decref(a.index);
		json_decref(b.files);
		json_decref(b.index);
		return DB_EXIT_USAGE;
	}
	json_t *rows = json_array(), *only_base = json_array(), *only_new = json_array(), *derived = json_array();
	json_t *fam = json_object();	/* family -> {log_sum, n} */
	int regress = 0, improve = 0, same = 0, common = 0;
	const char *key;
	json_t *ra;
	json_object_foreach(a.index, key, ra) {
		json_t *rb = json_object_get(b.index, key);
		json_t *r0 = json_array_get(ra, 0);
		if (!rb) {
			json_array_append_new(only_base, json_pack("{s:O, s:O}", "bench", json_object_get(r0, "bench"),
								   "params", json_object_get(r0, "params")));
			continue;
		}
		common++;
		const char *bench = json_string_value(json_object_get(r0, "bench"));
		if (json_object_get(r0, "derived")) {
			json_t *mb = json_object_get(json_array_get(rb, 0), "metrics");
			json_array_append_new(derived, json_pack("{s:s, s:O, s:O, s:O, s:O}", "bench", bench, "derived",
								 json_object_get(r0, "derived"), "params",
								 json_object_get(r0, "params"), "base",
								 json_object_get(r0, "metrics") ? json_object_get(r0, "metrics")
												: json_object_get(r0, "break_even"),
								 "new", mb ? mb : json_object_get(json_array_get(rb, 0), "break_even")));
			continue;
		}
		const char *mname;
		json_t *mdesc;
		json_object_foreach(json_object_get(r0, "metrics"), mname, mdesc) {
			struct agg ga, gb;
			if (aggregate(ra, mname, &ga) || aggregate(rb, mname, &gb)) {
				free(ga.run_means);
				free(gb.run_means);
				continue;
			}
			const char *better = json_string_value(json_object_get(mdesc, "better"));
			double p = NAN;
			bool sep = ga.vmax < gb.vmin || gb.vmax < ga.vmin;
			if (ga.runs >= 3 && gb.runs >= 3)
				p = welch_p(&ga, &gb);
			json_array_append_new(rows, json_pack("{s:s, s:O, s:s, s:s?, s:f, s:f, s:f, s:f, s:f, s:f, s:i, s:i, s:s, s:o, s:b}",
							      "bench", bench, "params", json_object_get(r0, "params"), "metric", mname,
							      "better", better, "base_mean", ga.mean, "base_sd", ga.sd, "base_cv", ga.cv,
							      "new_mean", gb.mean, "new_sd", gb.sd, "new_cv", gb.cv,
							      "base_runs", (int)ga.runs, "new_runs", (int)gb.runs,
							      "test", isfinite(p) ? "welch" : "range",
							      "p", isfinite(p) ? json_real(p) : json_null(), "ranges_separate", sep));
			free(ga.run_means);
			free(gb.run_means);
		}
	}
	/* Benjamini-Hochberg over every Welch test at once (q = ALPHA): a hundred metrics tested at
	 * p < 0.01 each would otherwise flag one by chance */
	size_t nrows = json_array_size(rows), m = 0, i;
	double *ps = calloc(nrows + 1, sizeof(double)), cut = -1;
	json_t *row;
	json_array_foreach(rows, i, row)
		if (json_is_number(json_object_get(row, "p")))
			ps[m++] = json_number_value(json_object_get(row, "p"));
	db_sort_doubles(ps, m);
	for (size_t k = 0; k < m; k++)
		if (ps[k] <= (double)(k + 1) / (double)m * ALPHA)
			cut = ps[k];
	free(ps);
	json_array_foreach(rows, i, row) {
		const char *better = json_string_value(json_object_get(row, "better"));
		const char *bench = json_string_value(json_object_get(row, "bench"));
		double bm = json_number_value(json_object_get(row, "base_mean"));
		double nm = json_number_value(json_object_get(row, "new_mean"));
		double change = bm ? (nm - bm) / fabs(bm) * 100.0 : 0;
		json_t *p = json_object_get(row, "p");
		bool sig = json_is_number(p) ? json_number_value(p) <= cut : json_is_true(json_object_get(row, "ranges_separate"));
		bool dir = better && strcmp(better, "none");
		bool worse = dir && ((!strcmp(better, "lower") && change > 0) || (!strcmp(better, "higher") && change < 0));
		const char *verdict = "";
		if (sig && dir && fabs(change) >= threshold) {
			verdict = worse ? "REGRESSION" : "improvement";
			worse ? regress++ : improve++;
		} else {
			same++;
		}
		json_object_set_new(row, "change_pct", json_real(change));
		json_object_set_new(row, "significant", json_boolean(sig));
		json_object_set_new(row, "verdict", json_string(verdict));
		if (dir && bm > 0 && nm > 0) {
			/* geometric mean of new/base, oriented so that > 1 is better */
			double ratio = !strcmp(better, "lower") ? bm / nm : nm / bm;
			json_t *f = json_object_get(fam, family(bench));
			if (!f) {
				f = json_pack("{s:f, s:i}", "log_sum", 0.0, "n", 0);
				json_object_set_new(fam, family(bench), f);
			}
			json_object_set_new(f, "log_sum", json_real(json_number_value(json_object_get(f, "log_sum")) + log(ratio)));
			json_object_set_new(f, "n", json_integer(json_integer_value(json_object_get(f, "n")) + 1));
		}
	}
	int single = 0;
	json_array_foreach(rows, i, row)
		single += !json_is_number(json_object_get(row, "p"));

	json_t *rb;
	json_object_foreach(b.index, key, rb)
		if (!json_object_get(a.index, key)) {
			json_t *r0 = json_array_get(rb, 0);
			json_array_append_new(only_new, json_pack("{s:O, s:O}", "bench", json_object_get(r0, "bench"), "params",
								  json_object_get(r0, "params")));
		}
	int rc = DB_EXIT_OK;
	if (!common) {
		fprintf(stderr, "daxbench: compare: %s and %s have no records in common\n", base, new);
		rc = DB_EXIT_USAGE;
		goto out;
	}
	json_t *ctxdiff = context_diff(&a, &b);
	json_t *geo = json_object();
	json_t *f;
	json_object_foreach(fam, key, f)
		json_object_set_new(geo, key, json_real(exp(json_number_value(json_object_get(f, "log_sum")) /
							   (double)json_integer_value(json_object_get(f, "n")))));

	if (!strcmp(format, "json")) {
		json_t *doc = json_pack("{s:s, s:s, s:f, s:o, s:O, s:O, s:O, s:O, s:{s:i, s:i, s:i}, s:O}", "base", base,
					"new", new, "threshold_pct", threshold, "context_differences", ctxdiff, "rows", rows,
					"derived", derived, "only_in_base", only_base, "only_in_new", only_new, "summary",
					"regressions", regress, "improvements", improve, "unchanged", same,
					"geomean_ratio_by_family", geo);
		json_dumpf(doc, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(doc);
	} else {
		bool md = !strcmp(format, "markdown");
		size_t i;
		json_t *r;
		fprintf(out, md ? "# daxbench compare\n\nbase: `%s`  \nnew: `%s`  \nthreshold: %.1f%%\n\n" :
				  "base: %s\nnew:  %s\nthreshold: %.1f%%, significance: Welch (Benjamini-Hochberg, q = %.2f) with >= 3 runs "
				  "a side, else range separation of per-repetition medians\n",
			base, new, threshold, ALPHA);
		if (md)
			fprintf(out, "significance: Welch (Benjamini-Hochberg, q = %.2f) with >= 3 runs a side, else range "
				     "separation of per-repetition medians\n\n", ALPHA);
		if (json_array_size(ctxdiff)) {
			fprintf(out, md ? "## What differs\n\n| field | base | new |\n|---|---|---|\n" : "\ncontext differences:\n");
			json_array_foreach(ctxdiff, i, r) {
				char *vb = json_dumps(json_object_get(r, "base"), JSON_ENCODE_ANY),
				     *vn = json_dumps(json_object_get(r, "new"), JSON_ENCODE_ANY);
				fprintf(out, md ? "| %s | %s | %s |\n" : "  %-22s %s -> %s\n",
					json_string_value(json_object_get(r, "field")), vb, vn);
				free(vb);
				free(vn);
			}
		} else {
			fprintf(out, md ? "Contexts agree on kernel, CPU, microcode, fs, mount options, pmem and VM.\n" :
					  "\ncontexts agree on kernel, CPU, microcode, fs, mount options, pmem and VM\n");
		}
		fprintf(out, md ? "\n## Metrics\n\n| benchmark | parameters | metric | base mean ± sd | new mean ± sd | change | "
				  "cv base/new | test | verdict |\n|---|---|---|---|---|---|---|---|---|\n" : "\n");
		json_array_foreach(rows, i, r) {
			char *params = json_dumps(json_object_get(r, "params"), JSON_COMPACT | JSON_PRESERVE_ORDER);
			double bm = json_number_value(json_object_get(r, "base_mean")), nm = json_number_value(json_object_get(r, "new_mean"));
			double ch = bm ? (nm - bm) / fabs(bm) * 100 : 0;
			char test[64];
			json_t *p = json_object_get(r, "p");
			if (json_is_number(p))
				snprintf(test, sizeof(test), "welch p=%.3g", json_number_value(p));
			else
				snprintf(test, sizeof(test), "range %s", json_is_true(json_object_get(r, "significant")) ? "separate" : "overlap");
			const char *v = json_string_value(json_object_get(r, "verdict"));
			if (md)
				fprintf(out, "| %s | `%s` | %s | %.4g ± %.2g | %.4g ± %.2g | %+.1f%% | %.3f/%.3f | %s | %s |\n",
					json_string_value(json_object_get(r, "bench")), params,
					json_string_value(json_object_get(r, "metric")), bm,
					json_number_value(json_object_get(r, "base_sd")), nm,
					json_number_value(json_object_get(r, "new_sd")), ch,
					json_number_value(json_object_get(r, "base_cv")),
					json_number_value(json_object_get(r, "new_cv")), test, *v ? v : "");
			else
				fprintf(out, "%-11s %-22s %12.4g ±%-9.2g %12.4g ±%-9.2g %+7.1f%%  %-16s %s  %s %s\n",
					json_string_value(json_object_get(r, "bench")),
					json_string_value(json_object_get(r, "metric")), bm,
					json_number_value(json_object_get(r, "base_sd")), nm,
					json_number_value(json_object_get(r, "new_sd")), ch, test, *v ? v : "-", params, "");
			free(params);
		}
		json_array_foreach(derived, i, r) {
			char *params = json_dumps(json_object_get(r, "params"), JSON_COMPACT | JSON_PRESERVE_ORDER);
			char *vb = json_dumps(json_object_get(r, "base"), JSON_COMPACT), *vn = json_dumps(json_object_get(r, "new"), JSON_COMPACT);
			fprintf(out, md ? "| %s | `%s` | %s (derived) | %s | %s | | | | |\n" : "%s %s (derived, not tested): base %s new %s\n",
				json_string_value(json_object_get(r, "bench")), params,
				json_string_value(json_object_get(r, "derived")), vb, vn);
			free(params);
			free(vb);
			free(vn);
		}
		json_t *lists[2] = { only_base, only_new };
		for (int l = 0; l < 2; l++)
			json_array_foreach(lists[l], i, r) {
				char *params = json_dumps(json_object_get(r, "params"), JSON_COMPACT | JSON_PRESERVE_ORDER);
				fprintf(out, md ? "\n- only in %s: %s `%s`" : "only in %s: %s %s\n", l ? "new" : "base",
					json_string_value(json_object_get(r, "bench")), params);
				free(params);
			}
		if (single)
			fprintf(out, md ? "\n\n> %d metrics had fewer than 3 runs a side: their significance is range separation "
					  "of per-repetition medians, which cannot tell drift between runs from a change. Run each "
					  "side 3 or more times (interleaved) for Welch's test.\n" :
					  "\nnote: %d metrics had fewer than 3 runs a side: their significance is range separation of "
					  "per-repetition medians, which cannot tell drift between runs from a change; run each side "
					  "3+ times (interleaved) for Welch's test\n", single);
		fprintf(out, md ? "\n\n## Summary\n\n" : "\n");
		fprintf(out, "summary: %d regressions, %d improvements, %d unchanged", regress, improve, same);
		json_object_foreach(geo, key, f)
			fprintf(out, "; %s geomean %.3f", key, json_number_value(f));
		fprintf(out, " (geomean: new vs base, > 1 better)\n");
		json_decref(ctxdiff);
	}
	rc = regress ? 3 : DB_EXIT_OK;
	json_decref(geo);
out:
	json_decref(rows);
	json_decref(only_base);
	json_decref(only_new);
	json_decref(derived);
	json_decref(fam);
	json_decref(a.files);
	json_decref(a.index);
	json_decref(b.files);
	json_decref(b.index);
	return rc;
}
