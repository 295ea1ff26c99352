/* scratch.c -- the per-run scratch directory, and signals that must not leave it behind */
#include "harness.h"

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
