/* touch.c -- page-touch loops for the fault benchmarks: one access per page, each timed */
#include "daxbench/bench.h"
#include "daxbench/kernels.h"
#include "daxbench/timing.h"

/* read one byte of each page; ticks[i] is the fenced TSC (or ns) span of page i's access */
DB_KERNEL uint64_t db_touch_read(const char *p, size_t pages, size_t page, uint64_t *ticks)
{
	uint64_t sum = 0;
	for (size_t i = 0; i < pages; i++) {
		uint64_t t0 = db_ts_start();
		sum += *(const volatile char *)(p + i * page);
		uint64_t t1 = db_ts_stop();
		if (ticks)
			ticks[i] = t1 - t0;
	}
	return sum;
}

/* write one byte of each page */
DB_KERNEL uint64_t db_touch_write(char *p, size_t pages, size_t page, uint64_t *ticks)
{
	for (size_t i = 0; i < pages; i++) {
		uint64_t t0 = db_ts_start();
		*(volatile char *)(p + i * page) = (char)i;
		uint64_t t1 = db_ts_stop();
		if (ticks)
			ticks[i] = t1 - t0;
	}
	return pages;
}
