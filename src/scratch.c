/* scratch.c -- the per-run scratch directory, and signals that must not leave it behind */
#include "harness.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statvfs.h>
#include <unistd.h>

volatile int db_signal_seen;
static char scratch_dir[4096];

static void on_signal(int sig)
{
	if (db_signal_seen) {
		/* a second Ctrl-C: the run ignored the first; stop now, leaving the scratch path on stderr */
		static const char msg[] = "daxbench: second signal, exiting without cleanup\n";
		if (write(2, msg, sizeof(msg) - 1) < 0) {
		}
		_exit(128 + sig);
	}
	db_signal_seen = sig;
}

void db_signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	if (ftw->level == 0)
		return 0;	/* keep the top: db_scratch_empty reuses it */
	if (remove(path) && errno != ENOENT)
		fprintf(stderr, "daxbench: cannot remove %s: %s\n", path, strerror(errno));
	return 0;
}

void db_scratch_empty(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

void db_scratch_remove(void)
{
	if (!scratch_dir[0])
		return;
	db_scratch_empty(scratch_dir);
	if (rmdir(scratch_dir) && errno != ENOENT)
		fprintf(stderr, "daxbench: cannot remove %s: %s\n", scratch_dir, strerror(errno));
	scratch_dir[0] = '\0';
}

unsigned long long db_scratch_free(const struct db_ctx *ctx)
{
	struct statvfs sv;
	if (statvfs(ctx->scratch, &sv))
		return ULLONG_MAX;
	return (unsigned long long)sv.f_bavail * sv.f_frsize;
}

int db_fill_file(int fd, size_t len, int byte, size_t chunk)
{
	char *buf = malloc(chunk);
	if (!buf)
		return -ENOMEM;
	memset(buf, byte, chunk);
	int rc = 0;
	for (size_t off = 0; off < len && !rc; off += chunk) {
		size_t n = len - off < chunk ? len - off : chunk;
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			rc = errno ? -errno : -EIO;
	}
	free(buf);
	return rc;
}

int db_scratch_create(const char *dir, char *out, size_t len, char *err, size_t errlen)
{
	snprintf(scratch_dir, sizeof(scratch_dir), "%s/daxbench-%d-XXXXXX", dir, (int)getpid());
	if (!mkdtemp(scratch_dir)) {
		int e = errno;
		snprintf(err, errlen, "cannot create a scratch directory in %s: %s%s", dir, strerror(e),
			 e == ENOSPC ? " (the filesystem has no room)" : "");
		scratch_dir[0] = '\0';
		return -1;
	}
	atexit(db_scratch_remove);
	snprintf(out, len, "%s", scratch_dir);
	return 0;
}
