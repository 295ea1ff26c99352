/* procfs.h -- facts the kernel publishes: smaps of a mapping, meminfo, slabinfo, tracepoints */
#ifndef DAXBENCH_PROCFS_H
#define DAXBENCH_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

/* kB value of FIELD ("FilePmdMapped", "AnonHugePages", "Rss", ...) in /proc/self/smaps for the
 * mapping that contains addr; -1 when absent or unreadable */
long db_smaps_kb(const void *addr, const char *field);

/* kB value of a /proc/meminfo line ("PageTables"); -1 when absent */
long db_meminfo_kb(const char *field);

/* active objects and object size of a slab cache in /proc/slabinfo ("radix_tree_node"); -1 when
 * unreadable (it needs root) */
int db_slab_objects(const char *cache, long *active, long *objsize);

/* the THP mode in brackets of /sys/kernel/mm/transparent_hugepage/FILE ("enabled", "shmem_enabled") */
void db_thp_mode(const char *file, char *out, size_t len);

/* A tracepoint counter: enable SUBSYS/EVENT and clear the trace buffer; later count the lines of
 * that event whose text contains each of match[] (NULL-terminated), then disable it again.
 * db_trace_begin returns 0, or -1 with a reason (no tracefs, not permitted). */
struct db_trace {
	char dir[256];		/* tracefs mount */
	char event[128];	/* "fs_dax/dax_pmd_fault_done" */
	bool on;
};
int db_trace_begin(struct db_trace *t, const char *event, char *why, size_t len);
void db_trace_count(struct db_trace *t, const char *const *match, long *counts);
void db_trace_end(struct db_trace *t);

/* Journal commits so far on the filesystem holding `dir`: ext4 from /proc/fs/jbd2/<dev>-8/info
 * (transactions), xfs from /proc/fs/xfs/stat (log writes, system-wide). -1 with a reason when
 * neither is readable. */
long db_journal_commits(const char *dir, char *how, size_t len);

/* Page flags of a mapped page through /proc/self/pagemap and /proc/kpageflags (root only). */
struct db_pageflags {
	int pagemap, kpageflags;
};
int db_pageflags_open(struct db_pageflags *pf);	/* 0, or -1 when either cannot be read */
/* 1 when the page at addr is dirty or under writeback, 0 when clean, -1 when it cannot tell */
int db_page_dirty(struct db_pageflags *pf, const void *addr);
void db_pageflags_close(struct db_pageflags *pf);

#endif
