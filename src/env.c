/* env.c -- environment capture: what was measured, on what, under which conditions */
#include "daxbench/compat.h"
#include "daxbench/env.h"
#include "daxbench/pin.h"
#include "daxbench/timing.h"
#include "version.h"

#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <hwloc.h>
#include <libpmem2.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

static void chomp(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/* first line of a small file, or NULL */
static char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *r = fgets(buf, (int)len, f);
	fclose(f);
	if (r)
		chomp(buf);
	return r;
}

static bool has_opt(const char *opts, const char *want)
{
	size_t n = strlen(want);
	for (const char *p = opts; p && *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		if (len == n && !strncmp(p, want, n))
			return true;
		p = comma ? comma + 1 : NULL;
	}
	return false;
}

/* Walk /proc/self/mountinfo; cb returns nonzero to stop. Fields as mountinfo(5) names them. */
struct mnt {
	unsigned maj, min;
	char mountpoint[4096], opts[512], fstype[64], source[256], super[512];
};

static int each_mount(int (*cb)(const struct mnt *, void *), void *arg)
{
	FILE *f = fopen("/proc/self/mountinfo", "r");
	if (!f)
		return -1;
	char *line = NULL;
	size_t cap = 0;
	int rc = 0;
	struct mnt *m = malloc(sizeof(*m));
	while (m && !rc && getline(&line, &cap, f) > 0) {
		char root[4096];
		int id, parent;
		/* 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue */
		if (sscanf(line, "%d %d %u:%u %4095s %4095s %511s", &id, &parent, &m->maj, &m->min,
			   root, m->mountpoint, m->opts) != 7)
			continue;
		char *dash = strstr(line, " - ");
		if (!dash || sscanf(dash + 3, "%63s %255s %511s", m->fstype, m->source, m->super) < 2)
			continue;
		rc = cb(m, arg);
	}
	free(m);
	free(line);
	fclose(f);
	return rc;
}

struct find_dax {
	char *out;
	size_t len;
};

static int find_dax_cb(const struct mnt *m, void *arg)
{
	struct find_dax *fd = arg;
	bool dax = has_opt(m->opts, "dax") || has_opt(m->opts, "dax=always") ||
		   has_opt(m->super, "dax") || has_opt(m->super, "dax=always");
	if (!dax || has_opt(m->opts, "ro") || access(m->mountpoint, W_OK))
		return 0;
	snprintf(fd->out, fd->len, "%s", m->mountpoint);
	return 1;
}

int db_find_dax_mount(char *out, size_t len)
{
	struct find_dax fd = { out, len };
	return each_mount(find_dax_cb, &fd) == 1 ? 0 : -1;
}

struct find_dev {
	dev_t dev;
	struct db_target *t;
};

static int find_dev_cb(const struct mnt *m, void *arg)
{
	struct find_dev *fd = arg;
	if (makedev(m->maj, m->min) != fd->dev)
		return 0;
	/* the last match wins: a later mount on the same device is the visible one */
	snprintf(fd->t->fstype, sizeof(fd->t->fstype), "%s", m->fstype);
	snprintf(fd->t->device, sizeof(fd->t->device), "%s", m->source);
	snprintf(fd->t->mountpoint, sizeof(fd->t->mountpoint), "%s", m->mountpoint);
	snprintf(fd->t->mount_opts, sizeof(fd->t->mount_opts), "%s", m->opts);
	snprintf(fd->t->super_opts, sizeof(fd->t->super_opts), "%s", m->super);
	return 0;
}

static void probe_granularity(int fd, struct db_target *t)
{
	struct pmem2_config *cfg = NULL;
	struct pmem2_source *src = NULL;
	struct pmem2_map *map = NULL;

	snprintf(t->granularity, sizeof(t->granularity), "unknown");
	if (pmem2_config_new(&cfg))
		return;
	if (pmem2_config_set_required_store_granularity(cfg, PMEM2_GRANULARITY_PAGE) ||
	    pmem2_source_from_fd(&src, fd) || pmem2_map_new(&map, cfg, src))
		goto out;
	switch (pmem2_map_get_store_granularity(map)) {
	case PMEM2_GRANULARITY_BYTE:
		snprintf(t->granularity, sizeof(t->granularity), "byte");
		break;
	case PMEM2_GRANULARITY_CACHE_LINE:
		snprintf(t->granularity, sizeof(t->granularity), "cache_line");
		break;
	case PMEM2_GRANULARITY_PAGE:
		snprintf(t->granularity, sizeof(t->granularity), "page");
		break;
	}
	pmem2_map_delete(&map);
out:
	if (src)
		pmem2_source_delete(&src);
	pmem2_config_delete(&cfg);
}

int db_fd_is_dax(int fd)
{
	struct statx sx;
	if (statx(fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx) || !(sx.stx_attributes_mask & STATX_ATTR_DAX))
		return -1;
	return (sx.stx_attributes & STATX_ATTR_DAX) ? 1 : 0;
}

int db_target_probe(const char *dir, struct db_target *t, char *err, size_t errlen)
{
	struct stat st;
	struct statvfs sv;

	memset(t, 0, sizeof(*t));
	snprintf(t->dir, sizeof(t->dir), "%s", dir);
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: %s", dir, errno ? strerror(errno) : "not a directory");
		return -1;
	}
	struct find_dev fd = { st.st_dev, t };
	each_mount(find_dev_cb, &fd);
	if (!statvfs(dir, &sv))
		t->free_bytes = (unsigned long long)sv.f_bavail * sv.f_frsize;

	char path[4200];
	snprintf(path, sizeof(path), "%s/.daxbench-probe.%d", dir, (int)getpid());
	int f = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (f < 0) {
		snprintf(err, errlen, "%s: cannot create a file: %s", dir, strerror(errno));
		return -1;
	}
	unlink(path);	/* the fd keeps it alive; nothing stays behind */

	struct statx sx;
	if (statx(f, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx)) {
		snprintf(t->dax_reason, sizeof(t->dax_reason), "statx: %s", strerror(errno));
	} else if (!(sx.stx_attributes_mask & STATX_ATTR_DAX)) {
		snprintf(t->dax_reason, sizeof(t->dax_reason), "kernel does not report STATX_ATTR_DAX");
	} else {
		t->dax = sx.stx_attributes & STATX_ATTR_DAX;
		snprintf(t->dax_reason, sizeof(t->dax_reason), "statx STATX_ATTR_DAX %s", t->dax ? "set" : "clear");
	}

	if (ftruncate(f, 4096)) {
		snprintf(t->map_sync_reason, sizeof(t->map_sync_reason), "ftruncate: %s", strerror(errno));
	} else {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE | MAP_SYNC, f, 0);
		if (p == MAP_FAILED) {
			int e = errno;
			snprintf(t->map_sync_reason, sizeof(t->map_sync_reason), "%s: %s%s",
				 e == EOPNOTSUPP ? "EOPNOTSUPP" : "mmap", strerror(e),
				 e == EOPNOTSUPP ? ", not a DAX mapping" : "");
		} else {
			t->map_sync = true;
			snprintf(t->map_sync_reason, sizeof(t->map_sync_reason), "MAP_SHARED_VALIDATE|MAP_SYNC mapped");
			munmap(p, 4096);
		}
		probe_granularity(f, t);
	}
	close(f);
	return 0;
}

void db_hypervisor_vendor(char *buf, size_t len)
{
	buf[0] = '\0';
#if defined(__x86_64__) || defined(__i386__)
	unsigned a, b, c, d;
	__cpuid(1, a, b, c, d);
	if (!(c & (1u << 31)))
		return;
	__cpuid(0x40000000, a, b, c, d);
	char v[13];
	memcpy(v, &b, 4);
	memcpy(v + 4, &c, 4);
	memcpy(v + 8, &d, 4);
	v[12] = '\0';
	/* "KVMKVMKVM\0\0\0" -> "KVM" */
	if (!strncmp(v, "KVMKVMKVM", 9))
		snprintf(buf, len, "KVM");
	else if (!strncmp(v, "TCGTCGTCGTCG", 12))
		snprintf(buf, len, "TCG");
	else
		snprintf(buf, len, "%s", v[0] ? v : "unknown");
#endif
}

bool db_hw_pmu_works(char *reason, size_t len)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_HARDWARE;
	attr.config = PERF_COUNT_HW_INSTRUCTIONS;
	attr.exclude_kernel = 1;
	attr.exclude_hv = 1;
	long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
	if (fd < 0) {
		snprintf(reason, len, "perf_event_open(instructions): %s", strerror(errno));
		return false;
	}
	close((int)fd);
	snprintf(reason, len, "instructions counter opens");
	return true;
}

/* cpuinfo field of the first processor */
static void cpuinfo_field(const char *key, char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[8192];
	size_t klen = strlen(key);
	buf[0] = '\0';
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && (line[klen] == ' ' || line[klen] == '\t' || line[klen] == ':')) {
			char *colon = strchr(line, ':');
			if (colon) {
				colon++;
				while (*colon == ' ')
					colon++;
				chomp(colon);
				snprintf(buf, len, "%s", colon);
			}
			break;
		}
	}
	fclose(f);
}

static json_t *cpu_json(json_t *warnings)
{
	static const char *const wanted[] = { "clwb", "clflushopt", "clflush", "sse2", "avx2", "avx512f",
					      "movdir64b", "movdiri", "rdtscp", "constant_tsc", "nonstop_tsc",
					      "hypervisor", NULL };
	char buf[256], flags[8192];
	json_t *cpu = json_object();

	cpuinfo_field("vendor_id", buf, sizeof(buf));
	json_object_set_new(cpu, "vendor", json_string(buf));
	cpuinfo_field("model name", buf, sizeof(buf));
	json_object_set_new(cpu, "model_name", json_string(buf));
	cpuinfo_field("cpu family", buf, sizeof(buf));
	json_object_set_new(cpu, "family", json_integer(atoi(buf)));
	cpuinfo_field("model", buf, sizeof(buf));
	json_object_set_new(cpu, "model", json_integer(atoi(buf)));
	cpuinfo_field("stepping", buf, sizeof(buf));
	json_object_set_new(cpu, "stepping", json_integer(atoi(buf)));
	cpuinfo_field("microcode", buf, sizeof(buf));
	json_object_set_new(cpu, "microcode", json_string(buf));
	json_object_set_new(cpu, "online_cpus", json_integer(db_pin_online_cpus()));

	cpuinfo_field("flags", flags, sizeof(flags));
	json_t *fl = json_object();
	for (int i = 0; wanted[i]; i++) {
		char pat[64];
		snprintf(pat, sizeof(pat), " %s ", wanted[i]);
		char padded[8200];
		snprintf(padded, sizeof(padded), " %s ", flags);
		json_object_set_new(fl, wanted[i], json_boolean(strstr(padded, pat) != NULL));
	}
	json_object_set_new(cpu, "flags", fl);

	char hv[32];
	db_hypervisor_vendor(hv, sizeof(hv));
	json_t *virt = json_object();
	json_object_set_new(virt, "hypervisor", json_boolean(hv[0] != '\0'));
	json_object_set_new(virt, "vendor", hv[0] ? json_string(hv) : json_null());
	json_object_set_new(cpu, "virtualization", virt);
	if (hv[0])
		json_array_append_new(warnings, json_sprintf("running under a hypervisor (%s): timings include "
							     "virtualization effects", hv));

	if (read_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor", buf, sizeof(buf))) {
		json_object_set_new(cpu, "governor", json_string(buf));
		if (strcmp(buf, "performance"))
			json_array_append_new(warnings, json_sprintf("CPU frequency governor is '%s', not "
								     "'performance'", buf));
	} else {
		json_object_set_new(cpu, "governor", json_null());
	}
	if (read_line("/sys/devices/system/cpu/smt/active", buf, sizeof(buf))) {
		json_object_set_new(cpu, "smt_active", json_boolean(atoi(buf) == 1));
		if (atoi(buf) == 1)
			json_array_append_new(warnings, json_string("SMT is active: threads on sibling CPUs share a core"));
	} else {
		json_object_set_new(cpu, "smt_active", json_null());
	}
	if (read_line("/sys/devices/system/cpu/intel_pstate/no_turbo", buf, sizeof(buf)))
		json_object_set_new(cpu, "turbo", json_boolean(atoi(buf) == 0));
	else if (read_line("/sys/devices/system/cpu/cpufreq/boost", buf, sizeof(buf)))
		json_object_set_new(cpu, "turbo", json_boolean(atoi(buf) == 1));
	else
		json_object_set_new(cpu, "turbo", json_null());
	return cpu;
}

static json_t *timing_json(json_t *warnings)
{
	json_t *t = json_object();
	json_object_set_new(t, "clock", json_string(db_ts_clock_name()));
	char cs[64];
	/* what clock_gettime reads: a slow clocksource (hpet, acpi_pm) makes every clock-timed sample slow */
	json_object_set_new(t, "clocksource",
			    read_line("/sys/devices/system/clocksource/clocksource0/current_clocksource", cs, sizeof(cs))
				    ? json_string(cs) : json_null());
	json_object_set_new(t, "tsc_usable", json_boolean(db_timing.tsc_usable));
	if (!db_timing.tsc_usable) {
		json_object_set_new(t, "tsc_reason", json_string(db_timing.tsc_reason));
		json_array_append_new(warnings, json_sprintf("TSC not used (%s): timing with clock_gettime",
							     db_timing.tsc_reason));
	}
	json_object_set_new(t, "tsc_hz", json_real(db_timing.tsc_hz));
	json_object_set_new(t, "tsc_overhead_ns", json_real(db_timing.tsc_overhead_ns));
	json_object_set_new(t, "tsc_granularity_ns", json_real(db_timing.tsc_granularity_ns));
	json_object_set_new(t, "clock_overhead_ns", json_real(db_timing.clock_overhead_ns));
	json_object_set_new(t, "clock_granularity_ns", json_real(db_timing.clock_granularity_ns));
	json_object_set_new(t, "overhead_subtracted_ns", json_real(db_ts_overhead_ns()));
	json_object_set_new(t, "fence_overhead_ns", json_real(db_timing.fence_overhead_ns));
	json_object_set_new(t, "subtraction",
			    json_string("the median cost of an empty start/stop pair is subtracted from every "
					"timed sample before dividing by its operation count"));
	return t;
}

static json_t *memory_json(void)
{
	json_t *m = json_object();
	long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
	json_object_set_new(m, "total_bytes", json_integer((json_int_t)pages * psz));
	json_object_set_new(m, "page_size", json_integer(psz));

	hwloc_topology_t topo;
	json_t *nodes = json_array();
	if (!hwloc_topology_init(&topo) && !hwloc_topology_load(topo)) {
		int n = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE);
		for (int i = 0; i < n; i++) {
			hwloc_obj_t o = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, i);
			char cpus[256];
			hwloc_bitmap_list_snprintf(cpus, sizeof(cpus), o->cpuset);
			json_array_append_new(nodes, json_pack("{s:i, s:I, s:s, s:s?}", "os_index", (int)o->os_index,
							       "bytes", (json_int_t)o->attr->numanode.local_memory,
							       "cpus", cpus, "subtype", o->subtype));
		}
		hwloc_topology_destroy(topo);
	}
	json_object_set_new(m, "numa_nodes", nodes);

	char buf[128];
	if (read_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)))
		json_object_set_new(m, "thp_enabled", json_string(buf));
	if (read_line("/sys/kernel/mm/transparent_hugepage/shmem_enabled", buf, sizeof(buf)))
		json_object_set_new(m, "thp_shmem_enabled", json_string(buf));
	return m;
}

/* nd regions and their persistence domain; whether pmem is emulated */
static json_t *pmem_json(json_t *warnings, bool hypervisor)
{
	json_t *p = json_object(), *regions = json_array();
	glob_t g;
	if (!glob("/sys/bus/nd/devices/region*", 0, NULL, &g)) {
		for (size_t i = 0; i < g.gl_pathc; i++) {
			char path[4200], dom[64] = "", sz[64] = "";
			snprintf(path, sizeof(path), "%s/persistence_domain", g.gl_pathv[i]);
			read_line(path, dom, sizeof(dom));
			snprintf(path, sizeof(path), "%s/size", g.gl_pathv[i]);
			read_line(path, sz, sizeof(sz));
			const char *name = strrchr(g.gl_pathv[i], '/') + 1;
			json_array_append_new(regions, json_pack("{s:s, s:s, s:I}", "region", name,
								 "persistence_domain", dom[0] ? dom : "none reported",
								 "bytes", (json_int_t)strtoull(sz, NULL, 0)));
		}
		globfree(&g);
	}
	json_object_set_new(p, "nd_regions", regions);

	/* "Persistent Memory (legacy)" is the e820 type-12 range memmap=X!Y makes */
	const char *kind = "none";
	FILE *f = fopen("/proc/iomem", "r");
	char line[256];
	while (f && fgets(line, sizeof(line), f)) {
		if (strstr(line, "Persistent Memory (legacy)")) {
			kind = "emulated: memmap";
			break;
		}
		if (strstr(line, "Persistent Memory"))
			kind = hypervisor ? "virtual NVDIMM (hypervisor)" : "nvdimm";
	}
	if (f)
		fclose(f);
	json_object_set_new(p, "kind", json_string(kind));
	json_object_set_new(p, "emulated", json_boolean(strcmp(kind, "none") && strcmp(kind, "nvdimm")));
	if (strncmp(kind, "emulated", 8) == 0 || strncmp(kind, "virtual", 7) == 0)
		json_array_append_new(warnings, json_sprintf("pmem is %s: flushes are cheap and media effects "
							     "invisible", kind));
	return p;
}

static json_t *target_json(const char *target, const char *scratch, json_t *warnings)
{
	struct db_target t;
	char err[256];
	if (db_target_probe(scratch, &t, err, sizeof(err)))
		return json_pack("{s:s, s:s}", "dir", target, "error", err);
	json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:b, s:s, s:s, s:I}",
			      "dir", target, "fs", t.fstype, "device", t.device, "mountpoint", t.mountpoint,
			      "mount_options", t.mount_opts, "super_options", t.super_opts,
			      "dax", t.dax, "dax_reason", t.dax_reason,
			      "map_sync", t.map_sync, "map_sync_reason", t.map_sync_reason,
			      "pmem2_store_granularity", t.granularity, "free_bytes", (json_int_t)t.free_bytes);
	if (!t.dax)
		json_array_append_new(warnings, json_sprintf("%s is not DAX (%s, %s): the page cache is measured, "
							     "not persistent memory", target, t.fstype, t.dax_reason));
	/* the block device behind a page-cache target decides writeback cost */
	const char *dev = strrchr(t.device, '/');
	if (dev) {
		char path[512], rot[16];
		snprintf(path, sizeof(path), "/sys/class/block/%s/queue/rotational", dev + 1);
		if (read_line(path, rot, sizeof(rot)))
			json_object_set_new(j, "device_rotational", json_boolean(atoi(rot)));
	}
	return j;
}

json_t *db_env_context(const char *target, const char *scratch)
{
	struct utsname u;
	char buf[4096];
	json_t *ctx = json_object(), *warnings = json_array();

	uname(&u);
	json_object_set_new(ctx, "host", json_string(u.nodename));
	json_t *k = json_pack("{s:s, s:s, s:s}", "release", u.release, "version", u.version, "machine", u.machine);
	json_object_set_new(k, "cmdline", read_line("/proc/cmdline", buf, sizeof(buf)) ? json_string(buf) : json_null());
	if (read_line("/proc/sys/kernel/perf_event_paranoid", buf, sizeof(buf)))
		json_object_set_new(k, "perf_event_paranoid", json_integer(atoi(buf)));
	json_object_set_new(ctx, "kernel", k);

	json_t *cpu = cpu_json(warnings);
	bool hv = json_is_true(json_object_get(json_object_get(cpu, "virtualization"), "hypervisor"));
	char reason[256];
	bool pmu = db_hw_pmu_works(reason, sizeof(reason));
	json_object_set_new(cpu, "hw_pmu", json_pack("{s:b, s:s}", "available", pmu, "reason", reason));
	if (!pmu)
		json_array_append_new(warnings, json_sprintf("no hardware PMU (%s): hardware counters will be "
							     "unavailable", reason));
	json_object_set_new(ctx, "cpu", cpu);
	json_object_set_new(ctx, "timing", timing_json(warnings));
	json_object_set_new(ctx, "memory", memory_json());
	json_object_set_new(ctx, "pmem", pmem_json(warnings, hv));
	json_object_set_new(ctx, "target", target_json(target, scratch, warnings));

	json_t *vm = json_object();
	const char *v = getenv("DAXBENCH_VM");	/* set by scripts/vm/daxbench-vm inside its guest */
	json_object_set_new(vm, "vm", json_boolean(v != NULL));
	if (v) {
		const char *accel = getenv("DAXBENCH_VM_ACCEL");
		const char *tgt = getenv("DAXBENCH_VM_TARGET");
		json_object_set_new(vm, "accel", json_string(accel ? accel : "unknown"));
		json_object_set_new(vm, "target", json_string(tgt ? tgt : "unknown"));
		if (accel && !strcmp(accel, "tcg"))
			json_array_append_new(warnings, json_string("TCG emulation: every time in this file is emulated, "
								    "not the host's"));
	}
	json_object_set_new(ctx, "vm", vm);

	json_t *build = json_pack("{s:s, s:s, s:s}", "version", DAXBENCH_VERSION, "git_revision", DAXBENCH_GIT_REV,
				  "compiler", __VERSION__);
	json_object_set_new(build, "libpmem2", json_string(DAXBENCH_PMEM2_VERSION));
	json_object_set_new(build, "hwloc_api", json_sprintf("0x%x", HWLOC_API_VERSION));
	json_object_set_new(ctx, "build", build);
	json_object_set_new(ctx, "warnings", warnings);
	return ctx;
}
