/* kernels.h -- the measured hot loops, one signature each (kernels/).
 *
 * A persist kernel writes len bytes of the 64-bit pattern v at dst (64-byte aligned, len a multiple
 * of 64), makes them durable the way its name says, and issues SFENCE after every fence_bytes bytes
 * and at the end (fence_bytes 0: no fence at all). It returns the bytes written, so the call cannot
 * be dropped. Which kernels the CPU can run is decided at run time from CPUID, never at build time.
 */
#ifndef DAXBENCH_KERNELS_H
#define DAXBENCH_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/* CPU features, from CPUID and XGETBV (AVX state enabled by the OS) */
#define DB_CPU_CLFLUSH		(1u << 0)
#define DB_CPU_CLFLUSHOPT	(1u << 1)
#define DB_CPU_CLWB		(1u << 2)
#define DB_CPU_SSE2		(1u << 3)
#define DB_CPU_AVX2		(1u << 4)
#define DB_CPU_AVX512F		(1u << 5)
#define DB_CPU_MOVDIR64B	(1u << 6)

unsigned db_cpu_features(void);
/* the name of the first feature in need that have lacks, or NULL */
const char *db_cpu_missing(unsigned need, unsigned have);
/* NULL when this CPU can run what needs `need`; else a reason in buf: the CPU lacks a feature, or
 * DAXBENCH_CPU_DISABLE (a comma list such as avx512f,clwb) turned it off to test a fallback */
const char *db_cpu_refuse(unsigned need, char *buf, size_t len);

typedef uint64_t (*db_persist_fn)(char *dst, size_t len, uint64_t v, size_t fence_bytes);

struct db_persist_kernel {
	const char *name;
	db_persist_fn fn;
	unsigned need;		/* DB_CPU_* bits */
	const char *help;
};

/* terminated by { NULL } */
extern const struct db_persist_kernel db_persist_kernels[];
const struct db_persist_kernel *db_persist_kernel_find(const char *name);

/* flush an already written range line by line, SFENCE as above: the second half of memset+flush */
uint64_t db_flush_clwb(char *dst, size_t len, uint64_t unused, size_t fence_bytes);

/* one load, fenced by the caller's timer: the reload probe */
static inline uint64_t db_load64(const volatile void *p)
{
	return *(const volatile uint64_t *)p;
}

/* evict one line and wait for it: makes a line cold before a timed access */
void db_evict_line(const void *p);

/* Page-touch loops for the fault benchmarks: one access per page, timed per page with the
 * fenced TSC into ticks[i] (ticks may be NULL: untimed). Return a value derived from what was read. */
uint64_t db_touch_read(const char *p, size_t pages, size_t page, uint64_t *ticks);
uint64_t db_touch_write(char *p, size_t pages, size_t page, uint64_t *ticks);

#endif
