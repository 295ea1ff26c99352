/* procfs.c -- /proc/self/smaps, /proc/meminfo, /proc/slabinfo, THP modes, tracefs events */
#include "daxbench/procfs.h"
#include "daxbench/env.h"

#include <glob.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

long db_smaps_kb(const void *addr, const char *field)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	if (!f)
		return -1;
	char line[512];
	size_t flen = strlen(field);
	bool inside = false;
	long v = -1;
	uintptr_t a = (uintptr_t)addr;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		/* a VMA header: "7f..-7f.. rw-s 00000000 fd:00 12 /path" */
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 && strchr(line, '-') < strchr(line, ' ')) {
			if (inside)
				break;
			inside = a >= lo && a < hi;
			continue;
		}
		if (inside && !strncmp(line, field, flen) && line[flen] == ':') {
			v = strtol(line + flen + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

long db_meminfo_kb(const char *field)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[256];
	size_t n = strlen(field);
	long v = -1;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':') {
			v = strtol(line + n + 1, NULL, 10);
			break;
		}
	if (f)
		fclose(f);
	return v;
}

int db_slab_objects(const char *cache, long *active, long *objsize)
{
	FILE *f = fopen("/proc/slabinfo", "r");
	char line[512], name[128];
	int rc = -1;
	while (f && fgets(line, sizeof(line), f)) {
		long act, num, sz;
		if (sscanf(line, "%127s %ld %ld %ld", name, &act, &num, &sz) == 4 && !strcmp(name, cache)) {
			*active = act;
			*objsize = sz;
			rc = 0;
			break;
		}
	}
	if (f)
		fclose(f);
	return rc;
}

void db_thp_mode(const char *file, char *out, size_t len)
{
	char path[256], buf[256];
	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/%s", file);
	snprintf(out, len, "unavailable");
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fgets(buf, sizeof(buf), f)) {
		char *l = strchr(buf, '['), *r = l ? strchr(l, ']') : NULL;
		if (l && r)
			snprintf(out, len, "%.*s", (int)(r - l - 1), l + 1);
	}
	fclose(f);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

int db_trace_begin(struct db_trace *t, const char *event, char *why, size_t len)
{
	static const char *const dirs[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing", NULL };
	char path[512];
	memset(t, 0, sizeof(*t));
	snprintf(t->event, sizeof(t->event), "%s", event);
	for (int i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/events/%s/enable", dirs[i], event);
		if (!access(path, F_OK)) {
			snprintf(t->dir, sizeof(t->dir), "%s", dirs[i]);
			break;
		}
	}
	if (!t->dir[0]) {
		snprintf(why, len, "tracepoint %s not found (no tracefs, or the kernel lacks it)", event);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/trace", t->dir);
	if (write_file(path, "")) {	/* clearing the buffer needs write access to tracefs */
		snprintf(why, len, "tracefs %s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/events/%s/enable", t->dir, event);
	if (write_file(path, "1")) {
		snprintf(why, len, "cannot enable %s: %s", event, strerror(errno));
		return -1;
	}
	t->on = true;
	return 0;
}

void db_trace_count(struct db_trace *t, const char *const *match, long *counts)
{
	char path[512], line[1024];
	const char *name = strrchr(t->event, '/') ? strrchr(t->event, '/') + 1 : t->event;
	for (int i = 0; match[i]; i++)
		counts[i] = 0;
	snprintf(path, sizeof(path), "%s/trace", t->dir);
	FILE *f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || !strstr(line, name))
			continue;
		for (int i = 0; match[i]; i++)
			if (strstr(line, match[i]))
				counts[i]++;
	}
	if (f)
		fclose(f);
}

void db_trace_end(struct db_trace *t)
{
	char path[512];
	if (!t->on)
		return;
	snprintf(path, sizeof(path), "%s/events/%s/enable", t->dir, t->event);
	write_file(path, "0");
	t->on = false;
}

int db_pageflags_open(struct db_pageflags *pf)
{
	pf->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	pf->kpageflags = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	if (pf->pagemap < 0 || pf->kpageflags < 0) {
		db_pageflags_close(pf);
		return -1;
	}
	return 0;
}

int db_page_dirty(struct db_pageflags *pf, const void *addr)
{
	uint64_t ent, flags;
	long psz = sysconf(_SC_PAGESIZE);
	if (pf->pagemap < 0 ||
	    pread(pf->pagemap, &ent, 8, (off_t)((uintptr_t)addr / (uintptr_t)psz * 8)) != 8)
		return -1;
	uint64_t pfn = ent & ((1ull << 55) - 1);
	if (!(ent >> 63) || !pfn)	/* not present, or the PFN is hidden from this process */
		return -1;
	if (pread(pf->kpageflags, &flags, 8, (off_t)(pfn * 8)) != 8)
		return -1;
	return (flags & ((1ull << 4) | (1ull << 8))) ? 1 : 0;	/* KPF_DIRTY, KPF_WRITEBACK */
}

void db_pageflags_close(struct db_pageflags *pf)
{
	if (pf->pagemap >= 0)
		close(pf->pagemap);
	if (pf->kpageflags >= 0)
		close(pf->kpageflags);
	pf->pagemap = pf->kpageflags = -1;
}

long db_journal_commits(const char *dir, char *how, size_t len)
{
	struct db_target t;
	char err[256], pat[512], line[256];
	if (db_target_probe(dir, &t, err, sizeof(err))) {
		snprintf(how, len, "unavailable: %s", err);
		return -1;
	}
	if (!strcmp(t.fstype, "ext4")) {
		const char *dev = strrchr(t.device, '/') ? strrchr(t.device, '/') + 1 : t.device;
		glob_t g;
		long v = -1;
		snprintf(pat, sizeof(pat), "/proc/fs/jbd2/%s-*/info", dev);
		if (!glob(pat, 0, NULL, &g) && g.gl_pathc) {
			FILE *f = fopen(g.gl_pathv[0], "r");
			/* "1234 transactions (1230 requested), each up to 8192 blocks" */
			if (f && fgets(line, sizeof(line), f))
				v = strtol(line, NULL, 10);
			if (f)
				fclose(f);
			snprintf(how, len, "ext4 jbd2 transactions (%s)", g.gl_pathv[0]);
			globfree(&g);
			return v;
		}
		snprintf(how, len, "unavailable: no %s", pat);
		return -1;
	}
	if (!strcmp(t.fstype, "xfs")) {
		FILE *f = fopen("/proc/fs/xfs/stat", "r");
		long v = -1;
		while (f && fgets(line, sizeof(line), f))
			if (!strncmp(line, "log ", 4)) {
				v = strtol(line + 4, NULL, 10);	/* the first field: log writes */
				break;
			}
		if (f)
			fclose(f);
		snprintf(how, len, v >= 0 ? "xfs log writes (/proc/fs/xfs/stat, all xfs filesystems)"
					  : "unavailable: /proc/fs/xfs/stat unreadable");
		return v;
	}
	snprintf(how, len, "unavailable: %s keeps no journal counters daxbench reads", t.fstype);
	return -1;
}
