/* timing.h -- the two clocks: an rdtscp-fenced TSC and CLOCK_MONOTONIC_RAW.
 *
 * TSC reads are fenced so that work cannot drift across them:
 *   start: lfence; rdtsc           (earlier work done, later work not started)
 *   stop:  rdtscp; lfence          (measured work done, later work not started)
 * db_timing_init() calibrates the TSC against CLOCK_MONOTONIC_RAW and measures what an empty
 * start/stop pair costs on each clock; that overhead is subtracted from every timed sample.
 */
#ifndef DAXBENCH_TIMING_H
#define DAXBENCH_TIMING_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#define DB_HAVE_TSC 1
#endif

struct db_timing {
	bool tsc_usable;		/* invariant TSC present and calibrated */
	const char *tsc_reason;		/* why not, when !tsc_usable */
	double tsc_hz;
	double tsc_overhead_ns;		/* median empty start/stop pair */
	double tsc_granularity_ns;	/* smallest nonzero step seen */
	double clock_overhead_ns;
	double clock_granularity_ns;
	double fence_overhead_ns;	/* an empty MFENCE before the stop, beyond the pair's own cost */
};

extern struct db_timing db_timing;

int db_timing_init(void);

static inline uint64_t db_clock_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A timestamp in the best clock's ticks: TSC when usable, else nanoseconds. */
static inline uint64_t db_ts_start(void)
{
#ifdef DB_HAVE_TSC
	if (db_timing.tsc_usable) {
		_mm_lfence();
		return __rdtsc();
	}
#endif
	return db_clock_ns();
}

static inline uint64_t db_ts_stop(void)
{
#ifdef DB_HAVE_TSC
	if (db_timing.tsc_usable) {
		unsigned aux;
		uint64_t t = __rdtscp(&aux);
		_mm_lfence();
		return t;
	}
#endif
	return db_clock_ns();
}

/* raw ticks to ns, no overhead subtracted */
static inline double db_ticks_ns(uint64_t ticks)
{
	return db_timing.tsc_usable ? (double)ticks * 1e9 / db_timing.tsc_hz : (double)ticks;
}

/* the overhead of one start/stop pair on the clock db_ts_* use */
static inline double db_ts_overhead_ns(void)
{
	return db_timing.tsc_usable ? db_timing.tsc_overhead_ns : db_timing.clock_overhead_ns;
}

const char *db_ts_clock_name(void);

/* The end of a timed region that wrote memory: rdtscp waits for earlier loads, not for stores, so
 * stores, flushes and an SFENCE still draining would fall outside the timing. An MFENCE first makes
 * them globally visible (LATTester's "op; mfence; rdtscp"). db_timing.fence_overhead_ns is what an
 * empty MFENCE adds, measured at start; db_sample_fenced subtracts it with the timer's overhead. */
static inline uint64_t db_ts_stop_fenced(void)
{
#ifdef DB_HAVE_TSC
	_mm_mfence();
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
	return db_ts_stop();
}

#endif
