/* suite.c -- the registry, suite files, and --set overrides into jobs.
 *
 * A suite file lists one benchmark per line with its parameter values:
 *     # comment
 *     timer
 *     persist op=clwb,clflushopt size=64:*4:64K
 */
#include "harness.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DB_BENCH(x) extern const struct db_bench db_bench_##x;
#include "benches.def"
#undef DB_BENCH

#define DB_BENCH(x) &db_bench_##x,
const struct db_bench *const db_benches[] = {
#include "benches.def"
	NULL,
};
#undef DB_BENCH

const struct db_param db_threads_param = {
	.name = "threads", .type = DB_PT_INT, .def = "1", .min = 1, .max = 1024,
	.help = "worker threads, each pinned by --cpus",
};

const struct db_bench *db_bench_find(const char *name)
{
	for (int i = 0; db_benches[i]; i++)
		if (!strcmp(db_benches[i]->name, name))
			return db_benches[i];
	return NULL;
}

/* where suites live: $DAXBENCH_SUITES, the source tree this binary was built from, the install dir */
static const char *suite_dirs(int i)
{
	switch (i) {
	case 0: return getenv("DAXBENCH_SUITES");
	case 1: return DAXBENCH_SOURCE_DIR "/suites";
	case 2: return DAXBENCH_DATA_DIR "/suites";
	default: return NULL;
	}
}

int db_suite_path(const char *name, char *out, size_t len)
{
	if (strchr(name, '/')) {
		snprintf(out, len, "%s", name);
		return access(out, R_OK);
	}
	/* "persist.suite" names the suite where "persist" would be the benchmark */
	char base[256];
	size_t n = strlen(name);
	if (n > 6 && !strcmp(name + n - 6, ".suite")) {
		if (!access(name, R_OK)) {
			snprintf(out, len, "%s", name);
			return 0;
		}
		snprintf(base, sizeof(base), "%.*s", (int)(n - 6), name);
		name = base;
	}
	for (int i = 0; i < 3; i++) {
		const char *d = suite_dirs(i);
		if (!d)
			continue;
		snprintf(out, len, "%s/%s.suite", d, name);
		if (!access(out, R_OK))
			return 0;
	}
	return -1;
}

void db_suite_list(FILE *out)
{
	for (int i = 0; i < 3; i++) {
		const char *d = suite_dirs(i);
		DIR *dir = d ? opendir(d) : NULL;
		if (!dir)
			continue;
		struct dirent *e;
		while ((e = readdir(dir))) {
			size_t n = strlen(e->d_name);
			if (n > 6 && !strcmp(e->d_name + n - 6, ".suite"))
				fprintf(out, "  %-.*s%*s %s/%s\n", (int)(n - 6), e->d_name, (int)(22 - (n - 6) > 0 ? 22 - (n - 6) : 1),
					"", d, e->d_name);
		}
		closedir(dir);
		return;	/* the first directory found is the one used */
	}
}

static int job_init(struct db_job *j, const struct db_bench *b)
{
	memset(j, 0, sizeof(*j));
	j->bench = b;
	int n = 0;
	while (b->params && b->params[n].name)
		n++;
	int extra = (b->flags & DB_THREADED) ? 1 : 0;
	j->params = calloc(n + extra, sizeof(*j->params));
	j->spec = calloc(n + extra, sizeof(*j->spec));
	if (!j->params || !j->spec)
		return -1;
	for (int i = 0; i < n; i++)
		j->params[i] = &b->params[i];
	if (extra)
		j->params[n] = &db_threads_param;
	j->nparams = n + extra;
	for (int i = 0; i < j->nparams; i++)
		if (!(j->spec[i] = strdup(j->params[i]->def)))
			return -1;
	return 0;
}

static int job_param(const struct db_job *j, const char *name)
{
	for (int i = 0; i < j->nparams; i++)
		if (!strcmp(j->params[i]->name, name))
			return i;
	return -1;
}

static int job_assign(struct db_job *j, int i, const char *value)
{
	char *v = strdup(value);
	if (!v)
		return -1;
	free(j->spec[i]);
	j->spec[i] = v;
	return 0;
}

static struct db_job *jobs_grow(struct db_job **jobs, int *njobs)
{
	struct db_job *n = realloc(*jobs, (*njobs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	*jobs = n;
	return &n[(*njobs)++];
}

static int add_suite(const char *path, struct db_job **jobs, int *njobs, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot read suite %s", path);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	int lineno = 0, rc = 0, added = 0;
	while (!rc && getline(&line, &cap, f) > 0) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL, *tok = strtok_r(line, " \t\r\n", &save);
		if (!tok)
			continue;
		const struct db_bench *b = db_bench_find(tok);
		if (!b) {
			snprintf(err, errlen, "%s:%d: unknown benchmark '%s'", path, lineno, tok);
			rc = -1;
			break;
		}
		struct db_job *j = jobs_grow(jobs, njobs);
		if (!j || job_init(j, b)) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		added++;
		while (!rc && (tok = strtok_r(NULL, " \t\r\n", &save))) {
			char *eq = strchr(tok, '=');
			if (!eq) {
				snprintf(err, errlen, "%s:%d: expected KEY=VALUE, got '%s'", path, lineno, tok);
				rc = -1;
				break;
			}
			*eq = '\0';
			int i = job_param(j, tok);
			if (i < 0) {
				snprintf(err, errlen, "%s:%d: %s has no parameter '%s'", path, lineno, b->name, tok);
				rc = -1;
			} else if (job_assign(j, i, eq + 1)) {
				snprintf(err, errlen, "out of memory");
				rc = -1;
			}
		}
	}
	free(line);
	fclose(f);
	if (!rc && !added) {
		snprintf(err, errlen, "suite %s lists no benchmark", path);
		rc = -1;
	}
	return rc;
}

int db_jobs_add_name(const char *name, struct db_job **jobs, int *njobs, char *err, size_t errlen)
{
	const struct db_bench *b = db_bench_find(name);
	char path[PATH_MAX];
	if (b) {
		if (!db_suite_path(name, path, sizeof(path)))
			fprintf(stderr, "daxbench: note: '%s' is the benchmark; the suite is '%s.suite'\n", name, name);
		struct db_job *j = jobs_grow(jobs, njobs);
		if (!j || job_init(j, b)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		return 0;
	}
	if (db_suite_path(name, path, sizeof(path))) {
		snprintf(err, errlen, "unknown benchmark or suite '%s' (see 'daxbench list')", name);
		return -1;
	}
	return add_suite(path, jobs, njobs, err, errlen);
}

int db_jobs_set(struct db_job *jobs, int njobs, const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	if (!eq || eq == kv) {
		snprintf(err, errlen, "--set: expected KEY=VALUE, got '%s'", kv);
		return -1;
	}
	char key[128];
	snprintf(key, sizeof(key), "%.*s", (int)(eq - kv), kv);
	int hits = 0;
	for (int k = 0; k < njobs; k++) {
		int i = job_param(&jobs[k], key);
		if (i < 0)
			continue;
		if (job_assign(&jobs[k], i, eq + 1)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		hits++;
	}
	if (!hits) {
		snprintf(err, errlen, "--set: unknown parameter '%s' (no benchmark in this run has it)", key);
		return -1;
	}
	return 0;
}

#define DB_MAX_POINTS 1000000L

int db_jobs_expand(struct db_job *jobs, int njobs, long *total, char *err, size_t errlen)
{
	*total = 0;
	for (int k = 0; k < njobs; k++) {
		struct db_job *j = &jobs[k];
		j->sweep = calloc(j->nparams ? j->nparams : 1, sizeof(*j->sweep));
		if (!j->sweep) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		j->npoints = 1;
		for (int i = 0; i < j->nparams; i++) {
			char e[400];
			if (db_sweep_parse(j->params[i], j->spec[i], &j->sweep[i], e, sizeof(e))) {
				snprintf(err, errlen, "%s: %s", j->bench->name, e);
				return -1;
			}
			j->npoints *= j->sweep[i].n;
			if (j->npoints > DB_MAX_POINTS) {
				snprintf(err, errlen, "%s: the sweep has more than %ld points", j->bench->name,
					 DB_MAX_POINTS);
				return -1;
			}
		}
		*total += j->npoints;
	}
	return 0;
}

void db_jobs_free(struct db_job *jobs, int njobs)
{
	for (int k = 0; k < njobs; k++) {
		struct db_job *j = &jobs[k];
		for (int i = 0; i < j->nparams; i++) {
			free(j->spec[i]);
			if (j->sweep)
				db_sweep_free(&j->sweep[i]);
		}
		free(j->spec);
		free(j->sweep);
		free(j->params);
	}
	free(jobs);
}
