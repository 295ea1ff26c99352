/* env.h -- the context every result carries: machine, kernel, CPU, target filesystem, DAX state */
#ifndef DAXBENCH_ENV_H
#define DAXBENCH_ENV_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct db_target {
	char dir[4096];
	char fstype[64];
	char device[256];
	char mountpoint[4096];
	char mount_opts[512];
	char super_opts[512];
	bool dax;		/* statx STATX_ATTR_DAX on a file made there */
	char dax_reason[160];	/* how that was decided, or why it could not be */
	bool map_sync;		/* MAP_SHARED_VALIDATE|MAP_SYNC succeeded */
	char map_sync_reason[160];
	char granularity[32];	/* libpmem2 store granularity, or "unknown" */
	unsigned long long free_bytes;
};

/* A device named with --device: devdax (/dev/daxX.Y) or a block device. Never opened unless named. */
struct db_device {
	char path[4096];
	char kind[16];		/* "devdax", "block" */
	unsigned long long size;
	unsigned long long align;	/* devdax mapping alignment (sysfs align), or 4096 */
	char signature[64];	/* a filesystem or other signature libblkid found, "" when none */
	bool mmap_ok;		/* a shared, align-sized mapping succeeded (and was aligned) */
	char mmap_reason[160];
};

/* 0, or -1 with a one-line reason (no such device, not devdax/block, unreadable) */
int db_device_probe(const char *path, struct db_device *d, char *err, size_t errlen);
json_t *db_device_json(const struct db_device *d);

/* Probe dir (writable; a probe file is made and removed there). 0, or -1 with a reason in err. */
int db_target_probe(const char *dir, struct db_target *t, char *err, size_t errlen);

/* First mounted, writable DAX filesystem in /proc/self/mountinfo; 0 and its path, or -1. */
int db_find_dax_mount(char *out, size_t len);

/* statx STATX_ATTR_DAX of an open file: 1 DAX, 0 not, -1 unknown (kernel does not say) */
int db_fd_is_dax(int fd);

/* Full context for a run. scratch is a writable directory on the target. */
json_t *db_env_context(const char *target, const char *scratch);

/* "KVM", "Microsoft Hv" ... from CPUID 0x40000000, or "" on bare metal */
void db_hypervisor_vendor(char *buf, size_t len);

/* whether a hardware PMU counts cycles for this process; reason when not */
bool db_hw_pmu_works(char *reason, size_t len);

#endif
