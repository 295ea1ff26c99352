/* main.c -- the daxbench command line: list, env, run, export */
#include "harness.h"
#include "daxbench/env.h"
#include "daxbench/pmu.h"
#include "version.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define MIN_FREE_BYTES (1024 * 1024)

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("daxbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return DB_EXIT_USAGE;
}

static const char main_help[] =
	"usage: daxbench <command> [options]\n"
	"\n"
	"Measures Linux DAX (fsdax, devdax) and the page cache it replaces: page faults, fsync/msync,\n"
	"persist instructions, MAP_SYNC. Results are JSON with the full machine context.\n"
	"\n"
	"commands:\n"
	"  list                 benchmarks, their parameters, and suites\n"
	"  env [--dir DIR]      the context a result would record, for a target directory\n"
	"  run NAME...          run benchmarks or suites (e.g. 'daxbench run quick')\n"
	"  export --csv FILE    flatten a result file to CSV\n"
	"  compare BASE NEW     regressions and improvements between results (files or directories)\n"
	"  report RESULTS...    Markdown/HTML pages with tables and figures, side by side\n"
	"\n"
	"'daxbench <command> --help' describes each command. Exit status: 0 ok, 1 a benchmark\n"
	"failed, 2 bad usage, 3 compare found regressions, 130 interrupted.\n";

static const char compare_help[] =
	"usage: daxbench compare BASE NEW [--threshold PCT] [--format text|markdown|json]\n"
	"\nBASE and NEW are result files or directories of them (searched recursively; the files of a side\n"
	"pool as runs). Records match on benchmark and full parameter set. Per metric: mean +- stddev of\n"
	"the per-repetition medians, %change, coefficient of variation, and significance: Welch's t-test\n"
	"on the runs' means (Benjamini-Hochberg over all metrics, q = 0.01) when both sides have >= 3\n"
	"runs, else lkp's range separation of the"
	"per-repetition medians. A change is flagged only when significant and beyond the threshold\n"
	"(default 5%), in the direction the metric declares worse. Exit 0: nothing flagged; 3: regressions.\n"
	"\n  -t, --threshold PCT   smallest change worth flagging (default 5)\n"
	"  -F, --format FMT      text (default), markdown or json\n";

static const char report_help[] =
	"usage: daxbench report RESULTS... --out DIR\n"
	"\nFor each benchmark family in the result files: DIR/<family>.md and .html with the key metric per\n"
	"parameter set and input side by side, and the family's gnuplot figures (PNG and SVG) for each\n"
	"input; DIR/index.md lists the inputs and their labels (host, CPU, kernel, VM target).\n";

static const char run_help[] =
	"usage: daxbench run NAME... [options]\n"
	"\n"
	"NAME is a benchmark (see 'daxbench list') or a suite: a name in suites/ or a path to a .suite file.\n"
	"Every combination of the parameters' values is one record.\n"
	"\n"
	"  -d, --dir DIR         target directory (default: the first mounted DAX filesystem, else /tmp,\n"
	"                        which measures the page cache and says so)\n"
	"  -s, --set KEY=VALUE   parameter value for every benchmark that has KEY; values take size\n"
	"                        suffixes (4K, 2M, 1G) and sweeps (64:*2:1M, 0:+4K:64K, 1,2,4)\n"
	"  -r, --repeat N        measured repetitions per point (default 5; 3 with --quick)\n"
	"  -w, --warmup N        warm-up repetitions, run and discarded (default 1)\n"
	"  -c, --cpus SPEC       compact (default), scatter, or a CPU list such as 0,2-3\n"
	"  -e, --events LIST     perf events by name, e.g. cycles,instructions,LLC-load-misses or any\n"
	"                        name libpfm4 knows; page-faults, minor-faults, major-faults and\n"
	"                        context-switches are always counted\n"
	"  -D, --device DEV      a devdax (/dev/daxX.Y) or block device for the benchmarks that take one;\n"
	"                        never opened unless named here\n"
	"      --destroy-data    allow writing to a --device that holds a filesystem signature\n"
	"  -o, --out FILE        result file (default results/<host>/<kernel>/<date>-<names>.json)\n"
	"  -f, --force           replace an existing --out file\n"
	"  -q, --quick           fewer repetitions and shorter minimum times\n"
	"  -h, --help            this text\n";

static const char list_help[] =
	"usage: daxbench list [NAME]\n"
	"\nEvery benchmark with its parameters (type, default, range, help), and the suites found.\n"
	"With NAME, only that benchmark.\n";

static const char env_help[] =
	"usage: daxbench env [--dir DIR] [--json]\n"
	"\nPrints the context a result file records: kernel, CPU, microcode, timing calibration, memory,\n"
	"pmem regions, and for the target directory its filesystem, mount options, DAX state (statx),\n"
	"whether MAP_SYNC maps, and libpmem2's store granularity. A probe file is made and removed.\n"
	"\n  -d, --dir DIR      target directory (default as for 'run')\n"
	"  -D, --device DEV   also describe a devdax or block device: size, alignment, any filesystem\n"
	"                     signature (libblkid), whether an aligned shared mapping works\n"
	"  -j, --json         the context as JSON\n"
	"  -h, --help      this text\n";

static const char export_help[] =
	"usage: daxbench export --csv FILE.json [--out FILE.csv] [--force]\n"
	"\nOne row per record and metric, one column per parameter, the statistics as columns.\n"
	"Skipped and failed records get a row with their reason. Writes to stdout without --out.\n";

static const char *ptype_name(enum db_ptype t)
{
	return t == DB_PT_INT ? "int" : t == DB_PT_SIZE ? "size" : "enum";
}

static void list_bench(const struct db_bench *b)
{
	printf("%-14s %s\n", b->name, b->summary);
	for (int pass = 0; pass < 2; pass++) {
		const struct db_param *p = pass ? ((b->flags & DB_THREADED) ? &db_threads_param : NULL) : b->params;
		for (; p && p->name; p = pass ? NULL : p + 1) {
			char range[160] = "";
			if (p->type == DB_PT_ENUM) {
				int off = 0;
				for (int i = 0; p->choices[i] && off < (int)sizeof(range) - 1; i++)
					off += snprintf(range + off, sizeof(range) - off, "%s%s", i ? "|" : "",
							p->choices[i]);
			} else if (p->type == DB_PT_SIZE) {
				char lo[32], hi[32];
				db_format_size(p->min, lo, sizeof(lo));
				db_format_size(p->max, hi, sizeof(hi));
				snprintf(range, sizeof(range), "%s..%s", lo, hi);
			} else {
				snprintf(range, sizeof(range), "%lld..%lld", (long long)p->min, (long long)p->max);
			}
			printf("    %-14s %-5s default %-10s %s\n%-30s[%s]\n", p->name, ptype_name(p->type), p->def,
			       p->help, "", range);
			if (pass)
				break;
		}
	}
	for (const struct db_metric_desc *m = b->metrics; m && m->name; m++)
		printf("    metric %-22s %s\n", m->name, m->help ? m->help : "");
}

static int cmd_list(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(list_help, stdout);
		return 0;
	}
	if (argc > 2)
		return usage_error("list: too many arguments");
	if (argc == 2) {
		const struct db_bench *b = db_bench_find(argv[1]);
		if (!b)
			return usage_error("list: unknown benchmark '%s'", argv[1]);
		list_bench(b);
		return 0;
	}
	printf("benchmarks:\n");
	for (int i = 0; db_benches[i]; i++)
		list_bench(db_benches[i]);
	printf("\nsuites:\n");
	db_suite_list(stdout);
	return 0;
}

/* --dir, or the default target. Returns 0, or a usage error already printed. */
static int resolve_target(const char *dir, char *out, size_t len, bool *is_default)
{
	*is_default = !dir;
	if (!dir) {
		if (!db_find_dax_mount(out, len))
			return 0;
		const char *tmp = getenv("TMPDIR");
		snprintf(out, len, "%s", tmp && *tmp ? tmp : "/tmp");
		fprintf(stderr, "daxbench: WARNING: no DAX filesystem is mounted; measuring the page cache in %s\n",
			out);
		return 0;
	}
	struct stat st;
	if (stat(dir, &st))
		return usage_error("--dir %s: %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return usage_error("--dir %s: not a directory", dir);
	if (access(dir, W_OK | X_OK))
		return usage_error("--dir %s: not writable: %s", dir, strerror(errno));
	if (!realpath(dir, out))
		return usage_error("--dir %s: %s", dir, strerror(errno));
	(void)len;
	return 0;
}

static int check_room(const char *dir)
{
	struct statvfs sv;
	if (statvfs(dir, &sv))
		return usage_error("--dir %s: %s", dir, strerror(errno));
	unsigned long long avail = (unsigned long long)sv.f_bavail * sv.f_frsize;
	if (avail < MIN_FREE_BYTES)
		return usage_error("--dir %s: the filesystem has no room (%llu bytes free, at least %d needed)", dir,
				   avail, MIN_FREE_BYTES);
	return 0;
}

static void print_context(json_t *ctx)
{
	json_t *k = json_object_get(ctx, "kernel"), *cpu = json_object_get(ctx, "cpu");
	json_t *t = json_object_get(ctx, "target"), *tm = json_object_get(ctx, "timing");
	json_t *pm = json_object_get(ctx, "pmem");
	printf("host        %s\n", json_string_value(json_object_get(ctx, "host")));
	printf("kernel      %s\n", json_string_value(json_object_get(k, "release")));
	printf("cmdline     %s\n", json_string_value(json_object_get(k, "cmdline")));
	printf("cpu         %s (family %lld model %lld stepping %lld, microcode %s), %lld online\n",
	       json_string_value(json_object_get(cpu, "model_name")),
	       (long long)json_integer_value(json_object_get(cpu, "family")),
	       (long long)json_integer_value(json_object_get(cpu, "model")),
	       (long long)json_integer_value(json_object_get(cpu, "stepping")),
	       json_string_value(json_object_get(cpu, "microcode")),
	       (long long)json_integer_value(json_object_get(cpu, "online_cpus")));
	printf("flags      ");
	const char *key;
	json_t *v;
	json_object_foreach(json_object_get(cpu, "flags"), key, v)
		printf(" %s%s", json_is_true(v) ? "+" : "-", key);
	printf("\n");
	json_t *hv = json_object_get(cpu, "virtualization");
	printf("hypervisor  %s\n", json_is_true(json_object_get(hv, "hypervisor"))
				       ? json_string_value(json_object_get(hv, "vendor")) : "none");
	printf("hw pmu      %s\n", json_string_value(json_object_get(json_object_get(cpu, "hw_pmu"), "reason")));
	printf("timing      %s, TSC %.6g MHz, overhead %.1f ns (tsc) %.1f ns (clock)\n",
	       json_string_value(json_object_get(tm, "clock")),
	       json_number_value(json_object_get(tm, "tsc_hz")) / 1e6,
	       json_number_value(json_object_get(tm, "tsc_overhead_ns")),
	       json_number_value(json_object_get(tm, "clock_overhead_ns")));
	printf("pmem        %s\n", json_string_value(json_object_get(pm, "kind")));
	if (json_object_get(t, "error")) {
		printf("target      %s: %s\n", json_string_value(json_object_get(t, "dir")),
		       json_string_value(json_object_get(t, "error")));
	} else {
		printf("target      %s on %s (%s), mounted %s [%s]\n", json_string_value(json_object_get(t, "dir")),
		       json_string_value(json_object_get(t, "device")), json_string_value(json_object_get(t, "fs")),
		       json_string_value(json_object_get(t, "mountpoint")),
		       json_string_value(json_object_get(t, "mount_options")));
		printf("dax         %s (%s)\n", json_is_true(json_object_get(t, "dax")) ? "yes" : "no",
		       json_string_value(json_object_get(t, "dax_reason")));
		printf("map_sync    %s (%s)\n", json_is_true(json_object_get(t, "map_sync")) ? "yes" : "no",
		       json_string_value(json_object_get(t, "map_sync_reason")));
		printf("granularity %s (libpmem2)\n", json_string_value(json_object_get(t, "pmem2_store_granularity")));
	}
	json_t *d = json_object_get(ctx, "device");
	if (d)
		printf("device      %s: %s, %lld bytes, align %lld, signature %s, mmap %s (%s)\n",
		       json_string_value(json_object_get(d, "path")), json_string_value(json_object_get(d, "kind")),
		       (long long)json_integer_value(json_object_get(d, "bytes")),
		       (long long)json_integer_value(json_object_get(d, "align")),
		       json_is_string(json_object_get(d, "signature")) ? json_string_value(json_object_get(d, "signature"))
								       : "none",
		       json_is_true(json_object_get(d, "mmap_ok")) ? "ok" : "failed",
		       json_string_value(json_object_get(d, "mmap_reason")));
	size_t i;
	json_array_foreach(json_object_get(ctx, "warnings"), i, v)
		printf("WARNING     %s\n", json_string_value(v));
}

static int cmd_env(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "device", required_argument, NULL, 'D' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = NULL, *device = NULL;
	bool as_json = false;
	int c;
	while ((c = getopt_long(argc, argv, "d:D:jh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'D': device = optarg; break;
		case 'j': as_json = true; break;
		case 'h': fputs(env_help, stdout); return 0;
		default: return DB_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("env: unexpected argument '%s'", argv[optind]);
	char target[PATH_MAX], scratch[PATH_MAX], err[512];
	bool is_default;
	if (resolve_target(dir, target, sizeof(target), &is_default))
		return DB_EXIT_USAGE;
	db_timing_init();
	db_signals_install();
	if (db_scratch_create(target, scratch, sizeof(scratch), err, sizeof(err)))
		return usage_error("%s", err);
	json_t *ctx = db_env_context(target, scratch);
	db_scratch_remove();
	if (device) {
		struct db_device d;
		if (db_device_probe(device, &d, err, sizeof(err))) {
			json_decref(ctx);
			return usage_error("%s", err);
		}
		json_object_set_new(ctx, "device", db_device_json(&d));
	}
	if (as_json) {
		json_dumpf(ctx, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		putchar('\n');
	} else {
		print_context(ctx);
	}
	json_decref(ctx);
	return 0;
}

static int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "csv", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *in = NULL, *out = NULL;
	bool force = false;
	int c;
	while ((c = getopt_long(argc, argv, "c:o:fh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': in = optarg; break;
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'h': fputs(export_help, stdout); return 0;
		default: return DB_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("export: unexpected argument '%s'", argv[optind]);
	if (!in)
		return usage_error("export: --csv FILE.json is required");
	char err[512];
	json_t *doc = db_load_results(in, err, sizeof(err));
	if (!doc)
		return usage_error("%s", err);
	int rc = 0;
	if (!out) {
		rc = db_export_csv(doc, stdout);
	} else {
		char *buf = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&buf, &len);
		rc = !mem || db_export_csv(doc, mem);
		if (mem)
			fclose(mem);
		if (!rc && db_write_text_atomic(buf, len, out, force, err, sizeof(err)))
			rc = usage_error("%s", err);
		free(buf);
	}
	json_decref(doc);
	return rc ? DB_EXIT_USAGE : 0;
}

static int parse_count(const char *opt, const char *s, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return usage_error("%s: '%s' is not an integer in [%d, %d]", opt, s, lo, hi);
	*out = (int)v;
	return 0;
}

static void default_out(char *out, size_t len, int nnames, char **names)
{
	struct utsname u;
	char stamp[32], what[128] = "";
	time_t now = time(NULL);
	uname(&u);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", localtime(&now));
	for (int i = 0; i < nnames; i++) {
		const char *base = strrchr(names[i], '/') ? strrchr(names[i], '/') + 1 : names[i];
		size_t n = strcspn(base, ".");
		size_t off = strlen(what);
		snprintf(what + off, sizeof(what) - off, "%s%.*s", i ? "+" : "", (int)n, base);
	}
	snprintf(out, len, "results/%s/%s/%s-%s.json", u.nodename, u.release, stamp, what);
}

static void progress(long i, long total, double elapsed, const char *label)
{
	if (!isatty(2))
		return;
	char eta[32] = "";
	if (i > 0)
		snprintf(eta, sizeof(eta), " ETA %.0fs", elapsed / (double)i * (double)(total - i));
	fprintf(stderr, "\r\033[K[%ld/%ld]%s %s", i + 1, total, eta, label);
	fflush(stderr);
}

static int cmd_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dir", required_argument, NULL, 'd' }, { "set", required_argument, NULL, 's' },
		{ "repeat", required_argument, NULL, 'r' }, { "warmup", required_argument, NULL, 'w' },
		{ "cpus", required_argument, NULL, 'c' }, { "events", required_argument, NULL, 'e' },
		{ "out", required_argument, NULL, 'o' }, { "force", no_argument, NULL, 'f' },
		{ "quick", no_argument, NULL, 'q' }, { "help", no_argument, NULL, 'h' },
		{ "device", required_argument, NULL, 'D' }, { "destroy-data", no_argument, NULL, 'X' },
		{ NULL, 0, NULL, 0 },
	};
	struct db_options o = { .repeat = -1, .warmup = 1 };
	const char *out = NULL, *sets[256];
	int nsets = 0, c;
	bool force = false, destroy = false;
	while ((c = getopt_long(argc, argv, "d:s:r:w:c:e:o:fqhD:", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o.dir = optarg; break;
		case 's':
			if (nsets == 256)
				return usage_error("too many --set options");
			sets[nsets++] = optarg;
			break;
		case 'r': if (parse_count("--repeat", optarg, 1, 1000000, &o.repeat)) return DB_EXIT_USAGE; break;
		case 'w': if (parse_count("--warmup", optarg, 0, 1000000, &o.warmup)) return DB_EXIT_USAGE; break;
		case 'c': o.cpus = optarg; break;
		case 'e': o.events = optarg; break;
		case 'o': out = optarg; break;
		case 'f': force = true; break;
		case 'q': o.quick = true; break;
		case 'D': o.device = optarg; break;
		case 'X': destroy = true; break;
		case 'h': fputs(run_help, stdout); return 0;
		default: return DB_EXIT_USAGE;
		}
	}
	if (o.repeat < 0)
		o.repeat = o.quick ? 3 : 5;
	if (optind >= argc)
		return usage_error("run: name a benchmark or suite (see 'daxbench list')");

	char err[1024];
	struct db_job *jobs = NULL;
	int njobs = 0, rc = DB_EXIT_USAGE;
	long total = 0;
	struct db_pinplan plan = { 0 };
	json_t *doc = NULL, *records = NULL;
	for (int i = optind; i < argc; i++)
		if (db_jobs_add_name(argv[i], &jobs, &njobs, err, sizeof(err))) {
			usage_error("%s", err);
			goto out;
		}
	for (int i = 0; i < nsets; i++)
		if (db_jobs_set(jobs, njobs, sets[i], err, sizeof(err))) {
			usage_error("%s", err);
			goto out;
		}
	if (db_jobs_expand(jobs, njobs, &total, err, sizeof(err))) {
		usage_error("%s", err);
		goto out;
	}
	if (db_pmu_check_events(o.events, err, sizeof(err))) {
		usage_error("--events: %s", err);
		goto out;
	}
	int maxthreads = 1;
	for (int k = 0; k < njobs; k++)
		for (int i = 0; i < jobs[k].nparams; i++)
			if (jobs[k].params[i] == &db_threads_param)
				for (int p = 0; p < jobs[k].sweep[i].n; p++)
					if (jobs[k].sweep[i].num[p] > maxthreads)
						maxthreads = (int)jobs[k].sweep[i].num[p];
	if (db_pin_plan(o.cpus, maxthreads, &plan, err, sizeof(err))) {
		usage_error("%s", err);
		goto out;
	}

	struct db_device dev;
	if (o.device) {
		if (db_device_probe(o.device, &dev, err, sizeof(err))) {
			usage_error("%s", err);
			goto out;
		}
		if (dev.signature[0] && !destroy) {
			usage_error("--device %s holds a %s signature: refusing to write to it without --destroy-data",
				    o.device, dev.signature);
			goto out;
		}
	}

	char target[PATH_MAX], scratch[PATH_MAX], outpath[PATH_MAX];
	bool is_default;
	if (resolve_target(o.dir, target, sizeof(target), &is_default) || check_room(target))
		goto out;
	o.dir = target;
	if (out)
		snprintf(outpath, sizeof(outpath), "%s", out);
	else
		default_out(outpath, sizeof(outpath), argc - optind, argv + optind);
	if (!force && !access(outpath, F_OK)) {
		usage_error("--out %s: file exists (use --force to replace it)", outpath);
		goto out;
	}
	char outdir[PATH_MAX];
	snprintf(outdir, sizeof(outdir), "%s", outpath);
	char *slash = strrchr(outdir, '/');
	if (slash) {
		*slash = '\0';
		if (db_mkdir_p(outdir) || access(outdir, W_OK)) {
			usage_error("--out %s: cannot write in %s: %s", outpath, outdir, strerror(errno));
			goto out;
		}
	}

	db_timing_init();
	db_signals_install();
	if (db_scratch_create(target, scratch, sizeof(scratch), err, sizeof(err))) {
		usage_error("%s", err);
		goto out;
	}
	json_t *context = db_env_context(target, scratch);
	if (o.device)
		json_object_set_new(context, "device", db_device_json(&dev));
	size_t wi;
	json_t *w;
	json_array_foreach(json_object_get(context, "warnings"), wi, w)
		fprintf(stderr, "daxbench: WARNING: %s\n", json_string_value(w));

	doc = json_object();
	records = json_array();
	json_object_set_new(doc, "schema_version", json_integer(DB_SCHEMA_VERSION));
	json_object_set_new(doc, "tool", json_string("daxbench"));
	char stamp[64];
	time_t now = time(NULL);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S%z", localtime(&now));
	json_object_set_new(doc, "created", json_string(stamp));
	json_t *cmd = json_array();
	for (int i = 0; i < argc; i++)
		json_array_append_new(cmd, json_string(argv[i]));
	json_object_set_new(doc, "command", cmd);
	json_object_set_new(doc, "options", json_pack("{s:i, s:i, s:s, s:s?, s:b}", "repeat", o.repeat, "warmup",
						      o.warmup, "cpus", o.cpus ? o.cpus : "compact", "events",
						      o.events, "quick", o.quick));
	json_object_set_new(doc, "context", context);
	json_object_set_new(doc, "records", records);

	int nerr = 0;
	long done = 0;
	uint64_t t0 = db_clock_ns();
	for (int k = 0; k < njobs && !db_signal_seen; k++) {
		struct db_job *j = &jobs[k];
		int *idx = calloc(j->nparams ? j->nparams : 1, sizeof(int));
		struct db_point pt = { j, idx };
		size_t first = json_array_size(records);
		for (long p = 0; idx && p < j->npoints && !db_signal_seen; p++, done++) {
			/* odometer: the first parameter varies slowest */
			long rem = p;
			for (int i = j->nparams - 1; i >= 0; i--) {
				idx[i] = (int)(rem % j->sweep[i].n);
				rem /= j->sweep[i].n;
			}
			char label[256];
			int off = snprintf(label, sizeof(label), "%s", j->bench->name);
			for (int i = 0; i < j->nparams && off < (int)sizeof(label); i++)
				if (j->sweep[i].n > 1)
					off += snprintf(label + off, sizeof(label) - off, " %s=%s", j->params[i]->name,
							j->sweep[i].text[idx[i]]);
			progress(done, total, (double)(db_clock_ns() - t0) / 1e9, label);
			int status;
			json_t *rec = db_run_point(&pt, &o, scratch, target, &plan, &status);
			db_scratch_empty(scratch);
			if (db_signal_seen) {	/* an interrupted point is not a measurement */
				json_decref(rec);
				break;
			}
			if (isatty(2))
				fputs("\r\033[K", stderr);
			db_print_record(stdout, rec);
			fflush(stdout);
			nerr += status < 0;
			json_array_append_new(records, rec);
		}
		free(idx);
		if (j->bench->fits && !db_signal_seen) {
			size_t before = json_array_size(records);
			db_derive_fits(j->bench, records, first);
			for (size_t i = before; i < json_array_size(records); i++)
				db_print_record(stdout, json_array_get(records, i));
		}
	}
	if (isatty(2))
		fputs("\r\033[K", stderr);
	/* derivations across the whole run (a suite puts the points they compare on different lines),
	 * once per benchmark */
	for (int k = 0; k < njobs && !db_signal_seen; k++) {
		bool first_job = true;
		for (int q = 0; q < k; q++)
			first_job &= jobs[q].bench != jobs[k].bench;
		if (!jobs[k].bench->derive || !first_job)
			continue;
		size_t before = json_array_size(records);
		jobs[k].bench->derive(records, 0);
		for (size_t i = before; i < json_array_size(records); i++)
			db_print_record(stdout, json_array_get(records, i));
	}
	db_scratch_remove();
	json_object_set_new(doc, "complete", json_boolean(!db_signal_seen));
	if (db_signal_seen)
		json_object_set_new(doc, "interrupted_by_signal", json_integer(db_signal_seen));
	if (db_write_json_atomic(doc, outpath, force, err, sizeof(err))) {
		fprintf(stderr, "daxbench: %s\n", err);
		rc = DB_EXIT_BENCH;
		goto out;
	}
	fprintf(stderr, "daxbench: %zu records written to %s%s\n", json_array_size(records), outpath,
		db_signal_seen ? " (interrupted: the records finished so far)" : "");
	rc = db_signal_seen ? DB_EXIT_INTR : nerr ? DB_EXIT_BENCH : DB_EXIT_OK;
out:
	json_decref(doc);
	db_pin_plan_free(&plan);
	db_jobs_free(jobs, njobs);
	return rc;
}

static int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "threshold", required_argument, NULL, 't' },
		{ "format", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	double threshold = 5;
	const char *format = "text";
	int c;
	while ((c = getopt_long(argc, argv, "t:F:h", opts, NULL)) != -1) {
		switch (c) {
		case 't': {
			char *end;
			threshold = strtod(optarg, &end);
			if (end == optarg || *end || threshold < 0 || threshold > 1000)
				return usage_error("--threshold: '%s' is not a percentage in [0, 1000]", optarg);
			break;
		}
		case 'F':
			format = optarg;
			if (strcmp(format, "text") && strcmp(format, "markdown") && strcmp(format, "json"))
				return usage_error("--format: '%s' is not text, markdown or json", optarg);
			break;
		case 'h': fputs(compare_help, stdout); return 0;
		default: return DB_EXIT_USAGE;
		}
	}
	if (argc - optind != 2)
		return usage_error("compare: give BASE and NEW (files or directories of results)");
	return db_compare(argv[optind], argv[optind + 1], threshold, format, stdout);
}

static int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(report_help, stdout); return 0;
		default: return DB_EXIT_USAGE;
		}
	}
	if (!out)
		return usage_error("report: --out DIR is required");
	if (optind >= argc)
		return usage_error("report: name one or more result files");
	return db_report(argc - optind, argv + optind, out);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error("no command given (try 'daxbench --help')");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
		fputs(main_help, stdout);
		return 0;
	}
	if (!strcmp(cmd, "--version")) {
		printf("daxbench %s (%s)\n", DAXBENCH_VERSION, DAXBENCH_GIT_REV);
		return 0;
	}
	argv++;
	argc--;
	if (!strcmp(cmd, "list"))
		return cmd_list(argc, argv);
	if (!strcmp(cmd, "env"))
		return cmd_env(argc, argv);
	if (!strcmp(cmd, "run"))
		return cmd_run(argc, argv);
	if (!strcmp(cmd, "export"))
		return cmd_export(argc, argv);
	if (!strcmp(cmd, "compare"))
		return cmd_compare(argc, argv);
	if (!strcmp(cmd, "report"))
		return cmd_report(argc, argv);
	return usage_error("unknown command '%s' (try 'daxbench --help')", cmd);
}
