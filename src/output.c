/* output.c -- result files (atomic), the stdout table, CSV export, loading results back */
#include "harness.h"
#include "daxbench/stats.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *db_stats_json(double *v, size_t n)
{
	struct db_stats s;
	db_stats_compute(v, n, &s);
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "n", (json_int_t)s.n,
			 "min", num(s.min), "median", num(s.median), "mean", num(s.mean), "stddev", num(s.stddev),
			 "p90", num(s.p90), "p99", num(s.p99), "p999", num(s.p999), "max", num(s.max), "cv",
			 num(s.cv));
}

int db_mkdir_p(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -1 : 0;
}

/* temp file beside path, fsync, then link (refuses to replace) or rename (with force) */
int db_write_text_atomic(const char *text, size_t len, const char *path, bool force, char *err, size_t errlen)
{
	char dirbuf[4096], tmp[4200];
	snprintf(dirbuf, sizeof(dirbuf), "%s", path);
	const char *dir = dirname(dirbuf);
	snprintf(tmp, sizeof(tmp), "%s/.daxbench-out-XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a file in %s: %s", path, dir, strerror(errno));
		return -1;
	}
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, text + off, len - off);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "%s: write: %s", path, strerror(errno));
			goto fail;
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) || fsync(fd)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	close(fd);
	fd = -1;
	if (force ? rename(tmp, path) : link(tmp, path)) {
		snprintf(err, errlen, "%s: %s%s", path, strerror(errno),
			 errno == EEXIST ? " (use --force to replace it)" : "");
		goto fail;
	}
	if (!force)
		unlink(tmp);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

int db_write_json_atomic(json_t *doc, const char *path, bool force, char *err, size_t errlen)
{
	char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	if (!text) {
		snprintf(err, errlen, "%s: cannot encode JSON", path);
		return -1;
	}
	size_t len = strlen(text);
	char *withnl = realloc(text, len + 2);
	if (withnl) {
		text = withnl;
		text[len++] = '\n';
		text[len] = '\0';
	}
	int rc = db_write_text_atomic(text, len, path, force, err, errlen);
	free(text);
	return rc;
}

/* "4096" rather than "4096.000000": sizes read better in powers of two */
static void fmt_param(json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i >= 1024 && (i & (i - 1)) == 0)
			db_format_size(i, buf, len);
		else
			snprintf(buf, len, "%" JSON_INTEGER_FORMAT, i);
	} else if (json_is_string(v)) {
		snprintf(buf, len, "%s", json_string_value(v));
	} else {
		snprintf(buf, len, "?");
	}
}

static void fmt_num(double v, char *buf, size_t len)
{
	double a = fabs(v);
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (a != 0 && (a >= 1e7 || a < 1e-2))
		snprintf(buf, len, "%.3e", v);
	else
		snprintf(buf, len, "%.4g", v);
}

void db_print_record(FILE *out, json_t *rec)
{
	const char *key;
	json_t *v;
	char line[1024];
	int off = snprintf(line, sizeof(line), "%s", json_string_value(json_object_get(rec, "bench")));
	json_object_foreach(json_object_get(rec, "params"), key, v) {
		char b[64];
		fmt_param(v, b, sizeof(b));
		if (off > 0 && (size_t)off < sizeof(line))
			off += snprintf(line + off, sizeof(line) - off, " %s=%s", key, b);
	}
	const char *status = json_string_value(json_object_get(rec, "status"));
	json_t *fit = json_object_get(rec, "fit");
	fprintf(out, "%s  [%s%s]\n", line, fit ? "derived, " : "", status);
	if (fit && !strcmp(status, "ok")) {
		fprintf(out, "    growth exponent of %s %s vs %s: %.3f (R^2 %.3f, %zu points)\n",
			json_string_value(json_object_get(fit, "metric")), json_string_value(json_object_get(fit, "stat")),
			json_string_value(json_object_get(fit, "x")), json_number_value(json_object_get(fit, "exponent")),
			json_number_value(json_object_get(fit, "r2")), json_array_size(json_object_get(fit, "x_values")));
		return;
	}
	json_t *be = json_object_get(rec, "break_even");
	if (be) {
		json_t *b = json_object_get(be, "batch");
		fprintf(out, "    map-sync %.0f ns per durable write; break-even batch for deferred: %s%s\n",
			json_number_value(json_object_get(be, "map_sync_ns_per_durable_write")),
			json_is_integer(b) ? "" : "none", json_is_integer(b) ? "" : " (deferred never cheaper)");
		if (json_is_integer(b))
			fprintf(out, "    deferred is cheaper from batch=%" JSON_INTEGER_FORMAT "\n", json_integer_value(b));
		return;
	}
	if (strcmp(status, "ok")) {
		fprintf(out, "    %s\n", json_string_value(json_object_get(rec, "reason")));
		return;
	}
	json_object_foreach(json_object_get(rec, "metrics"), key, v) {
		char med[32], p99[32], mn[32], cv[32];
		fmt_num(json_number_value(json_object_get(v, "median")), med, sizeof(med));
		fmt_num(json_number_value(json_object_get(v, "p99")), p99, sizeof(p99));
		fmt_num(json_number_value(json_object_get(v, "min")), mn, sizeof(mn));
		fmt_num(json_number_value(json_object_get(v, "cv")), cv, sizeof(cv));
		fprintf(out, "    %-28s median %-10s p99 %-10s min %-10s cv %-8s n=%" JSON_INTEGER_FORMAT "\n", key,
			med, p99, mn, cv, json_integer_value(json_object_get(v, "n")));
	}
	json_object_foreach(json_object_get(rec, "counters"), key, v) {
		json_t *po = json_object_get(v, "per_op");
		if (!json_is_true(json_object_get(v, "available")) || !json_is_number(po))
			continue;
		char b[32];
		fmt_num(json_number_value(po), b, sizeof(b));
		fprintf(out, "    %-28s %s per op%s\n", key, b,
			json_is_true(json_object_get(v, "multiplexed")) ? " (multiplexed)" : "");
	}
}

/* ---- CSV: one row per record x metric; one column per parameter seen anywhere in the file ---- */

static void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_value(FILE *out, json_t *v)
{
	if (json_is_integer(v))
		fprintf(out, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
	else if (json_is_real(v))
		fprintf(out, "%.10g", json_real_value(v));
	else if (json_is_string(v))
		csv_field(out, json_string_value(v));
	else if (json_is_boolean(v))
		fputs(json_is_true(v) ? "true" : "false", out);
}

static const char *const stat_cols[] = { "n", "min", "median", "mean", "stddev", "p90", "p99", "p999", "max",
					 "cv", NULL };

int db_export_csv(json_t *doc, FILE *out)
{
	json_t *records = json_object_get(doc, "records"), *rec, *keys = json_object();
	size_t i;
	const char *key;
	json_t *v;
	json_array_foreach(records, i, rec)
		json_object_foreach(json_object_get(rec, "params"), key, v)
			json_object_set_new(keys, key, json_true());

	fputs("bench,status", out);
	json_object_foreach(keys, key, v)
		fprintf(out, ",%s", key);
	fputs(",metric,unit", out);
	for (int k = 0; stat_cols[k]; k++)
		fprintf(out, ",%s", stat_cols[k]);
	fputs(",reason\n", out);

	json_array_foreach(records, i, rec) {
		json_t *metrics = json_object_get(rec, "metrics");
		const char *mkey;
		json_t *m;
		/* a skipped or failed record still gets one row, so nothing silently disappears */
		json_t *placeholder = json_object();
		if (!json_object_size(metrics)) {
			json_object_set_new(placeholder, "", json_object());
			metrics = placeholder;
		}
		json_object_foreach(metrics, mkey, m) {
			csv_field(out, json_string_value(json_object_get(rec, "bench")));
			fputc(',', out);
			csv_field(out, json_string_value(json_object_get(rec, "status")));
			json_t *params = json_object_get(rec, "params");
			json_object_foreach(keys, key, v) {
				fputc(',', out);
				csv_value(out, json_object_get(params, key));
			}
			fputc(',', out);
			csv_field(out, mkey);
			fputc(',', out);
			csv_value(out, json_object_get(m, "unit"));
			for (int k = 0; stat_cols[k]; k++) {
				fputc(',', out);
				csv_value(out, json_object_get(m, stat_cols[k]));
			}
			fputc(',', out);
			csv_value(out, json_object_get(rec, "reason"));
			fputc('\n', out);
		}
		json_decref(placeholder);
	}
	json_decref(keys);
	return ferror(out) ? -1 : 0;
}

/* Every record has the shape the readers rely on; a file that does not is rejected whole. */
static int check_record(json_t *r, size_t i, const char *path, char *err, size_t errlen)
{
	const char *why = NULL;
	json_t *st = json_object_get(r, "status");
	if (!json_is_object(r))
		why = "is not an object";
	else if (!json_is_string(json_object_get(r, "bench")))
		why = "has no bench name";
	else if (!json_is_string(st) || (strcmp(json_string_value(st), "ok") && strcmp(json_string_value(st), "skipped") &&
					 strcmp(json_string_value(st), "error")))
		why = "has no status ok, skipped or error";
	else if (!json_is_object(json_object_get(r, "params")))
		why = "has no params object";
	else if (json_object_get(r, "reason") && !json_is_string(json_object_get(r, "reason")) &&
		 !json_is_null(json_object_get(r, "reason")))
		why = "has a reason that is not text";
	else if (json_object_get(r, "metrics") && !json_is_object(json_object_get(r, "metrics")))
		why = "has metrics that are not an object";
	else if (json_object_get(r, "counters") && !json_is_object(json_object_get(r, "counters")))
		why = "has counters that are not an object";
	else if (json_object_get(r, "observed") && !json_is_object(json_object_get(r, "observed")))
		why = "has observations that are not an object";
	if (!why) {
		const char *k;
		json_t *m, *v;
		json_object_foreach(json_object_get(r, "metrics"), k, m) {
			const char *sk;
			if (!json_is_object(m)) {
				why = "has a metric that is not an object";
				break;
			}
			json_object_foreach(m, sk, v) {
				if (!strcmp(sk, "unit") || !strcmp(sk, "better") || !strcmp(sk, "ended_by")) {
					if (!json_is_string(v))
						why = "has a metric unit or direction that is not text";
				} else if (!strcmp(sk, "rep_medians")) {
					size_t j;
					json_t *x;
					if (!json_is_array(v))
						why = "has rep_medians that are not an array";
					json_array_foreach(v, j, x)
						if (!json_is_number(x))
							why = "has a rep_medians value that is not a number";
				} else if (!json_is_number(v) && !json_is_null(v)) {
					why = "has a metric statistic that is not a number";
				}
			}
			if (why)
				break;
		}
		json_object_foreach(json_object_get(r, "params"), k, v)
			if (!json_is_string(v) && !json_is_number(v))
				why = "has a parameter that is neither text nor a number";
	}
	if (why) {
		snprintf(err, errlen, "%s: not a daxbench result file: records[%zu] %s", path, i, why);
		return -1;
	}
	return 0;
}

json_t *db_load_results(const char *path, char *err, size_t errlen)
{
	json_error_t je;
	json_t *doc = json_load_file(path, 0, &je);
	if (!doc) {
		snprintf(err, errlen, "%s: not a daxbench result file: %s (line %d)", path, je.text, je.line);
		return NULL;
	}
	json_t *ver = json_object_get(doc, "schema_version");
	if (!json_is_integer(ver) || !json_is_array(json_object_get(doc, "records"))) {
		snprintf(err, errlen, "%s: not a daxbench result file (no schema_version or records)", path);
		json_decref(doc);
		return NULL;
	}
	if (json_integer_value(ver) != DB_SCHEMA_VERSION) {
		snprintf(err, errlen, "%s: schema_version %" JSON_INTEGER_FORMAT " (this daxbench reads %d)", path,
			 json_integer_value(ver), DB_SCHEMA_VERSION);
		json_decref(doc);
		return NULL;
	}
	json_t *ctx = json_object_get(doc, "context");
	if (ctx && !json_is_object(ctx)) {
		snprintf(err, errlen, "%s: not a daxbench result file: context is not an object", path);
		json_decref(doc);
		return NULL;
	}
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(doc, "records"), i, r)
		if (check_record(r, i, path, err, errlen)) {
			json_decref(doc);
			return NULL;
		}
	return doc;
}
