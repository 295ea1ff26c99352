/* timing.c -- TSC calibration and timer overhead */
#include "daxbench/timing.h"
#include "daxbench/stats.h"

#include <cpuid.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct db_timing db_timing;

#define PAIRS 20001

const char *db_ts_clock_name(void)
{
	return db_timing.tsc_usable ? "tsc" : "clock_monotonic_raw";
}

static double median_of(double *v, size_t n)
{
	struct db_stats s;
	db_stats_compute(v, n, &s);
	return s.median;
}

static void measure_clock(double *pairs)
{
	double gran = INFINITY;
	uint64_t prev = db_clock_ns();
	for (int i = 0; i < PAIRS; i++) {
		uint64_t a = db_clock_ns(), b = db_clock_ns();
		pairs[i] = (double)(b - a);
		if (a > prev && (double)(a - prev) < gran)
			gran = (double)(a - prev);
		if (b > a && (double)(b - a) < gran)
			gran = (double)(b - a);
		prev = b;
	}
	db_timing.clock_overhead_ns = median_of(pairs, PAIRS);
	db_timing.clock_granularity_ns = gran;
}

#ifdef DB_HAVE_TSC
static bool cpu_has_invariant_tsc(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid_max(0x80000000, NULL) < 0x80000007)
		return false;
	__cpuid(0x80000007, a, b, c, d);
	return d & (1u << 8);
}

static bool cpu_has_rdtscp(void)
{
	unsigned a, b, c, d;
	if (__get_cpuid_max(0x80000000, NULL) < 0x80000001)
		return false;
	__cpuid(0x80000001, a, b, c, d);
	return d & (1u << 27);
}

/* TSC ticks per second against CLOCK_MONOTONIC_RAW over ~window_ns, best of 3 */
static double calibrate_tsc(uint64_t window_ns)
{
	double best = 0, best_err = INFINITY;
	for (int k = 0; k < 3; k++) {
		uint64_t c0 = db_clock_ns(), t0 = __rdtsc(), c0b = db_clock_ns();
		uint64_t c1, t1, c1b;
		do {
			c1 = db_clock_ns();
			t1 = __rdtsc();
			c1b = db_clock_ns();
		} while (c1 - c0 < window_ns);
		/* the uncertainty of each end is the clock read that brackets the TSC read */
		double err = (double)(c0b - c0) + (double)(c1b - c1);
		double hz = (double)(t1 - t0) * 1e9 / ((double)(c1 + c1b) / 2 - (double)(c0 + c0b) / 2);
		if (err < best_err) {
			best_err = err;
			best = hz;
		}
	}
	return best;
}
#endif

int db_timing_init(void)
{
	double *pairs = malloc(PAIRS * sizeof(*pairs));
	if (!pairs)
		return -1;
	memset(&db_timing, 0, sizeof(db_timing));
	measure_clock(pairs);
#ifdef DB_HAVE_TSC
	if (!cpu_has_rdtscp()) {
		db_timing.tsc_reason = "CPU lacks rdtscp";
	} else if (!cpu_has_invariant_tsc()) {
		db_timing.tsc_reason = "TSC is not invariant (CPUID 0x80000007 EDX bit 8 clear)";
	} else {
		db_timing.tsc_hz = calibrate_tsc(20 * 1000 * 1000);
		db_timing.tsc_usable = db_timing.tsc_hz > 1e6;
		if (!db_timing.tsc_usable)
			db_timing.tsc_reason = "TSC calibration failed";
	}
	if (db_timing.tsc_usable) {
		double gran = INFINITY;
		for (int i = 0; i < PAIRS; i++) {
			uint64_t a = db_ts_start(), b = db_ts_stop();
			pairs[i] = db_ticks_ns(b - a);
			if (b > a && pairs[i] < gran)
				gran = pairs[i];
		}
		db_timing.tsc_overhead_ns = median_of(pairs, PAIRS);
		db_timing.tsc_granularity_ns = gran;
	}
	for (int i = 0; i < PAIRS; i++) {
		uint64_t a = db_ts_start(), b = db_ts_stop_fenced();
		pairs[i] = db_ticks_ns(b - a);
	}
	db_timing.fence_overhead_ns = median_of(pairs, PAIRS) - db_ts_overhead_ns();
	if (db_timing.fence_overhead_ns < 0)
		db_timing.fence_overhead_ns = 0;
#else
	db_timing.tsc_reason = "not an x86 CPU";
#endif
	free(pairs);
	return 0;
}
