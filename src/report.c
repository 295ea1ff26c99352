/* report.c -- daxbench report RESULTS... --out DIR: machines or kernels side by side.
 *
 * For every family (benchmark) in the inputs: DIR/<family>.md and .html with a table of each
 * record's key metric (the benchmark's first metric, median) per input, and the figures of
 * plots/<family>.gp rendered by gnuplot, PNG and SVG, for each input. The data flows one way:
 * every input is exported to CSV by the same code as `daxbench export`, and the figure scripts read
 * that CSV by column name. Labels come from the contexts (host, CPU, kernel, VM target).
 */
#include "harness.h"

#include <dirent.h>
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *plots_dir(void)
{
	static char dir[4200];
	const char *e = getenv("DAXBENCH_PLOTS");
	const char *cands[] = { e, DAXBENCH_SOURCE_DIR "/plots", DAXBENCH_DATA_DIR "/plots", NULL };
	for (int i = 0; i < 3; i++) {
		if (!cands[i])
			continue;
		snprintf(dir, sizeof(dir), "%s/series.gp", cands[i]);
		if (!access(dir, R_OK)) {
			snprintf(dir, sizeof(dir), "%s", cands[i]);
			return dir;
		}
	}
	return NULL;
}

static int run_gnuplot(const char *expr, const char *script, char *err, size_t errlen)
{
	pid_t pid;
	char *argv[] = { "gnuplot", "-e", (char *)expr, (char *)script, NULL };
	int rc = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
	if (rc) {
		snprintf(err, errlen, "gnuplot: %s (apt-get install gnuplot-nox)", strerror(rc));
		return -1;
	}
	int st;
	waitpid(pid, &st, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		snprintf(err, errlen, "gnuplot %.900s failed (exit %d)", script, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		return -1;
	}
	return 0;
}

static void label_of(json_t *doc, char *buf, size_t len)
{
	json_t *c = json_object_get(doc, "context");
	json_t *vm = json_object_get(c, "vm");
	const char *accel = json_string_value(json_object_get(vm, "accel"));
	snprintf(buf, len, "%s: %s, Linux %s%s%s%s", json_string_value(json_object_get(c, "host")),
		 json_string_value(json_object_get(json_object_get(c, "cpu"), "model_name")),
		 json_string_value(json_object_get(json_object_get(c, "kernel"), "release")),
		 json_is_true(json_object_get(vm, "vm")) ? ", VM " : "",
		 json_is_true(json_object_get(vm, "vm")) ? json_string_value(json_object_get(vm, "target")) : "",
		 json_is_true(json_object_get(vm, "vm")) && accel && !strcmp(accel, "tcg")
			 ? " (TCG: emulated times)" : "");
	for (char *p = buf; *p; p++)
		if (*p == '\'' || *p == '"')
			*p = ' ';
}

static void html_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

int db_report(int nin, char **inputs, const char *outdir)
{
	char err[1024];
	json_t *docs = json_array();
	for (int i = 0; i < nin; i++) {
		json_t *doc = db_load_results(inputs[i], err, sizeof(err));
		if (!doc) {
			fprintf(stderr, "daxbench: report: %s\n", err);
			json_decref(docs);
			return DB_EXIT_USAGE;
		}
		json_array_append_new(docs, doc);
	}
	const char *pd = plots_dir();
	if (!pd) {
		fprintf(stderr, "daxbench: report: plots/ not found (set DAXBENCH_PLOTS)\n");
		json_decref(docs);
		return DB_EXIT_USAGE;
	}
	char path[4400];
	snprintf(path, sizeof(path), "%s/data", outdir);
	if (db_mkdir_p(path)) {
		fprintf(stderr, "daxbench: report: %s: %s\n", path, strerror(errno));
		json_decref(docs);
		return DB_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/fig", outdir);
	db_mkdir_p(path);

	/* families in input order; each input exported to CSV once */
	json_t *families = json_array(), *seen = json_object();
	size_t i, j;
	json_t *doc, *rec;
	json_array_foreach(docs, i, doc) {
		snprintf(path, sizeof(path), "%s/data/input%zu.csv", outdir, i);
		FILE *f = fopen(path, "w");
		if (!f || db_export_csv(doc, f)) {
			fprintf(stderr, "daxbench: report: %s: cannot write\n", path);
			if (f)
				fclose(f);
			json_decref(docs);
			return DB_EXIT_USAGE;
		}
		fclose(f);
		json_array_foreach(json_object_get(doc, "records"), j, rec) {
			const char *b = json_string_value(json_object_get(rec, "bench"));
			if (!json_object_get(seen, b)) {
				json_object_set_new(seen, b, json_true());
				json_array_append_new(families, json_string(b));
			}
		}
	}
	int rc = DB_EXIT_OK;
	FILE *index = NULL;
	snprintf(path, sizeof(path), "%s/index.md", outdir);
	index = fopen(path, "w");
	if (index) {
		fprintf(index, "# daxbench report\n\n| input | label |\n|---|---|\n");
		json_array_foreach(docs, i, doc) {
			char label[512];
			label_of(doc, label, sizeof(label));
			fprintf(index, "| `%s` | %s |\n", inputs[i], label);
		}
		fprintf(index, "\n");
	}
	json_t *fam;
	json_array_foreach(families, i, fam) {
		const char *name = json_string_value(fam);
		const struct db_bench *b = db_bench_find(name);
		const char *key = b && b->metrics[0].name ? b->metrics[0].name : NULL;
		char md[4400], html[4400];
		snprintf(md, sizeof(md), "%s/%s.md", outdir, name);
		snprintf(html, sizeof(html), "%s/%s.html", outdir, name);
		FILE *m = fopen(md, "w"), *h = fopen(html, "w");
		if (!m || !h) {
			fprintf(stderr, "daxbench: report: cannot write %s\n", md);
			rc = DB_EXIT_USAGE;
			if (m)
				fclose(m);
			if (h)
				fclose(h);
			break;
		}
		fprintf(m, "# %s\n\n%s\n\n", name, b ? b->summary : "");
		fprintf(h, "<!doctype html><meta charset=utf-8><title>daxbench: %s</title>\n"
			   "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
			   "td,th{border:1px solid #999;padding:2px 6px;font-size:90%%}img{max-width:48%%}</style>\n"
			   "<h1>%s</h1><p>", name, name);
		html_escape(h, b ? b->summary : "");
		fprintf(h, "</p>\n");

		/* the key metric table: one row per parameter set, one column per input */
		json_t *rows = json_object();
		json_array_foreach(docs, j, doc) {
			size_t k;
			json_array_foreach(json_object_get(doc, "records"), k, rec) {
				if (strcmp(json_string_value(json_object_get(rec, "bench")), name) || json_object_get(rec, "derived"))
					continue;
				char *p = json_dumps(json_object_get(rec, "params"), JSON_COMPACT | JSON_PRESERVE_ORDER);
				json_t *row = json_object_get(rows, p);
				if (!row) {
					row = json_object();
					json_object_set_new(rows, p, row);
				}
				char col[32];
				snprintf(col, sizeof(col), "%zu", j);
				json_t *v = key ? json_object_get(json_object_get(json_object_get(rec, "metrics"), key), "median") : NULL;
				json_object_set_new(row, col, json_is_number(v) ? json_real(json_number_value(v))
									: json_string(json_string_value(json_object_get(rec, "status"))));
				free(p);
			}
		}
		fprintf(m, "## %s (median) per input\n\n| parameters |", key ? key : "records");
		fprintf(h, "<h2>%s (median) per input</h2>\n<table><tr><th>parameters</th>", key ? key : "records");
		json_array_foreach(docs, j, doc) {
			char label[512];
			label_of(doc, label, sizeof(label));
			fprintf(m, " %s |", label);
			fprintf(h, "<th>");
			html_escape(h, label);
			fprintf(h, "</th>");
		}
		fprintf(m, "\n|---|");
		json_array_foreach(docs, j, doc)
			fprintf(m, "---|");
		fprintf(m, "\n");
		fprintf(h, "</tr>\n");
		const char *pk;
		json_t *row;
		json_object_foreach(rows, pk, row) {
			fprintf(m, "| `%s` |", pk);
			fprintf(h, "<tr><td><code>");
			html_escape(h, pk);
			fprintf(h, "</code></td>");
			json_array_foreach(docs, j, doc) {
				char col[32];
				snprintf(col, sizeof(col), "%zu", j);
				json_t *v = json_object_get(row, col);
				if (json_is_number(v)) {
					fprintf(m, " %.4g |", json_number_value(v));
					fprintf(h, "<td>%.4g</td>", json_number_value(v));
				} else {
					fprintf(m, " %s |", v ? json_string_value(v) : "-");
					fprintf(h, "<td>%s</td>", v ? json_string_value(v) : "-");
				}
			}
			fprintf(m, "\n");
			fprintf(h, "</tr>\n");
		}
		fprintf(h, "</table>\n");
		json_decref(rows);

		/* figures: plots/<family>.gp (fsync-tree -> fsync_tree.gp) over each input's CSV */
		char script[4400], fname[128];
		snprintf(fname, sizeof(fname), "%s", name);
		for (char *c = fname; *c; c++)
			if (*c == '-')
				*c = '_';
		snprintf(script, sizeof(script), "%s/%s.gp", pd, fname);
		if (!access(script, R_OK)) {
			fprintf(m, "\n## Figures\n\n");
			fprintf(h, "<h2>Figures</h2>\n");
			json_array_foreach(docs, j, doc) {
				char label[512], expr[9000];
				label_of(doc, label, sizeof(label));
				snprintf(expr, sizeof(expr), "csv='%s/data/input%zu.csv'; out='%s/fig/input%zu-%s'; label='%s'",
					 outdir, j, outdir, j, fname, label);
				if (run_gnuplot(expr, script, err, sizeof(err))) {
					fprintf(stderr, "daxbench: report: %s\n", err);
					rc = DB_EXIT_BENCH;
					continue;
				}
				char figdir[4400];
				snprintf(figdir, sizeof(figdir), "%s/fig", outdir);
				struct dirent **list;
				int n = scandir(figdir, &list, NULL, alphasort);
				char prefix[256];
				snprintf(prefix, sizeof(prefix), "input%zu-%s-", j, fname);
				for (int k = 0; k < n; k++) {
					const char *f = list[k]->d_name;
					size_t fl = strlen(f);
					if (!strncmp(f, prefix, strlen(prefix)) && fl > 4 && !strcmp(f + fl - 4, ".png")) {
						fprintf(m, "![%s](fig/%s)\n", label, f);
						fprintf(h, "<a href=\"fig/%.*s.svg\"><img src=\"fig/%s\" alt=\"", (int)(fl - 4), f, f);
						html_escape(h, label);
						fprintf(h, "\"></a>\n");
					}
					free(list[k]);
				}
				free(list);
			}
		}
		fclose(m);
		fclose(h);
		if (index)
			fprintf(index, "- [%s](%s.md) ([html](%s.html))\n", name, name, name);
		fprintf(stderr, "daxbench: report: wrote %s and %s\n", md, html);
	}
	if (index)
		fclose(index);
	json_decref(families);
	json_decref(seen);
	json_decref(docs);
	return rc;
}
