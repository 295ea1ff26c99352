/* device.c -- devdax and block devices named with --device: size, alignment, signatures, mapping.
 *
 * A device is only ever opened when the user names it. What it holds is checked with libblkid
 * (for devdax, whose contents can only be mapped, the first MiB is copied into a memfd and probed
 * there) so that a filesystem is never overwritten without --destroy-data.
 */
#include "daxbench/env.h"

#include <blkid.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define PROBE_BYTES (1u << 20)

static unsigned long long sysfs_ull(const char *dir, const char *name)
{
	char path[4200], buf[64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	unsigned long long v = fgets(buf, sizeof(buf), f) ? strtoull(buf, NULL, 0) : 0;
	fclose(f);
	return v;
}

/* libblkid on fd: the first signature it names, or "" */
static void probe_signature(int fd, char *out, size_t len)
{
	const char *type = NULL;
	out[0] = '\0';
	blkid_probe pr = blkid_new_probe();
	if (!pr)
		return;
	if (!blkid_probe_set_device(pr, fd, 0, 0)) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE);
		blkid_probe_enable_partitions(pr, 1);
		if (!blkid_do_safeprobe(pr)) {
			if (!blkid_probe_lookup_value(pr, "TYPE", &type, NULL) ||
			    !blkid_probe_lookup_value(pr, "PTTYPE", &type, NULL))
				snprintf(out, len, "%s", type);
		}
	}
	blkid_free_probe(pr);
}

int db_device_probe(const char *path, struct db_device *d, char *err, size_t errlen)
{
	struct stat st;
	memset(d, 0, sizeof(*d));
	snprintf(d->path, sizeof(d->path), "%s", path);
	if (stat(path, &st)) {
		snprintf(err, errlen, "--device %s: %s", path, strerror(errno));
		return -1;
	}
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "--device %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISCHR(st.st_mode)) {
		char sys[256], link[4096];
		snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u/subsystem", major(st.st_rdev), minor(st.st_rdev));
		ssize_t n = readlink(sys, link, sizeof(link) - 1);
		link[n > 0 ? n : 0] = '\0';
		if (n <= 0 || !strstr(link, "dax")) {
			snprintf(err, errlen, "--device %s: a character device that is not devdax", path);
			close(fd);
			return -1;
		}
		snprintf(d->kind, sizeof(d->kind), "devdax");
		snprintf(sys, sizeof(sys), "/sys/dev/char/%u:%u", major(st.st_rdev), minor(st.st_rdev));
		d->size = sysfs_ull(sys, "size");
		d->align = sysfs_ull(sys, "align");
		if (!d->align)
			d->align = 2u << 20;	/* kernels before 5.10 have no 'align': 2 MiB is the default */
	} else if (S_ISBLK(st.st_mode)) {
		snprintf(d->kind, sizeof(d->kind), "block");
		uint64_t sz = 0;
		ioctl(fd, BLKGETSIZE64, &sz);
		d->size = sz;
		d->align = 4096;
		probe_signature(fd, d->signature, sizeof(d->signature));
	} else {
		snprintf(err, errlen, "--device %s: not a devdax or block device", path);
		close(fd);
		return -1;
	}

	size_t len = d->align ? d->align : 4096;
	if (len > d->size) {
		snprintf(d->mmap_reason, sizeof(d->mmap_reason), "device smaller than its alignment");
	} else {
		void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED) {
			snprintf(d->mmap_reason, sizeof(d->mmap_reason), "mmap %zu bytes: %s", len, strerror(errno));
		} else {
			d->mmap_ok = ((uintptr_t)p % len) == 0;
			snprintf(d->mmap_reason, sizeof(d->mmap_reason), "mapped %zu bytes at %p (%s)", len, p,
				 d->mmap_ok ? "aligned" : "NOT aligned");
			if (!strcmp(d->kind, "devdax")) {
				/* devdax cannot be read(): probe a copy of its first MiB */
				size_t plen = d->size < PROBE_BYTES ? d->size : PROBE_BYTES;
				void *q = plen > len ? mmap(NULL, plen, PROT_READ, MAP_SHARED, fd, 0) : p;
				int mfd = memfd_create("daxbench-probe", MFD_CLOEXEC);
				if (q != MAP_FAILED && mfd >= 0 && write(mfd, q, plen) == (ssize_t)plen)
					probe_signature(mfd, d->signature, sizeof(d->signature));
				if (mfd >= 0)
					close(mfd);
				if (q != MAP_FAILED && q != p)
					munmap(q, plen);
			}
			munmap(p, len);
		}
	}
	close(fd);
	return 0;
}

json_t *db_device_json(const struct db_device *d)
{
	return json_pack("{s:s, s:s, s:I, s:I, s:s?, s:b, s:s}", "path", d->path, "kind", d->kind,
			 "bytes", (json_int_t)d->size, "align", (json_int_t)d->align,
			 "signature", d->signature[0] ? d->signature : NULL, "mmap_ok", d->mmap_ok,
			 "mmap_reason", d->mmap_reason);
}
