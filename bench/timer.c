/* timer.c -- what the timers cost and how finely they tick: the calibration every other benchmark uses.
 *
 *   daxbench run timer [--set pairs=100000]
 *
 * Each repetition times `pairs` empty start/stop pairs on the fenced TSC and on CLOCK_MONOTONIC_RAW,
 * records the smallest nonzero step each clock took, and recalibrates the TSC frequency over 10 ms.
 * The pair costs are raw: they are the overhead that other benchmarks subtract.
 */
#include "daxbench/bench.h"

#include <math.h>

enum { M_TSC_PAIR, M_CLOCK_PAIR, M_TSC_GRAN, M_CLOCK_GRAN, M_TSC_HZ };

static const struct db_param timer_params[] = {
	{ .name = "pairs", .type = DB_PT_INT, .def = "10000", .min = 100, .max = 10000000,
	  .help = "back-to-back timer pairs per repetition" },
	{ 0 },
};

static const struct db_metric_desc timer_metrics[] = {
	[M_TSC_PAIR] = { "tsc_pair_ns", "ns", DB_LOWER_BETTER, "cost of an empty lfence;rdtsc .. rdtscp;lfence pair" },
	[M_CLOCK_PAIR] = { "clock_pair_ns", "ns", DB_LOWER_BETTER, "cost of two CLOCK_MONOTONIC_RAW reads" },
	[M_TSC_GRAN] = { "tsc_granularity_ns", "ns", DB_LOWER_BETTER, "smallest nonzero TSC step seen" },
	[M_CLOCK_GRAN] = { "clock_granularity_ns", "ns", DB_LOWER_BETTER, "smallest nonzero clock step seen" },
	[M_TSC_HZ] = { "tsc_hz", "hz", DB_NO_BETTER, "TSC frequency against CLOCK_MONOTONIC_RAW over 10 ms" },
	{ 0 },
};

static int timer_run(struct db_worker *w, int rep)
{
	(void)rep;
	int64_t pairs = db_int(w->ctx, "pairs");

	db_measure_begin(w);
	if (db_timing.tsc_usable) {
		double gran = INFINITY;
		for (int64_t i = 0; i < pairs; i++) {
			uint64_t a = db_ts_start(), b = db_ts_stop();
			double ns = db_ticks_ns(b - a);
			db_sample(w, M_TSC_PAIR, ns);
			if (b > a && ns < gran)
				gran = ns;
		}
		db_sample(w, M_TSC_GRAN, gran);
	}
	double gran = INFINITY;
	for (int64_t i = 0; i < pairs; i++) {
		uint64_t a = db_clock_ns(), b = db_clock_ns();
		db_sample(w, M_CLOCK_PAIR, (double)(b - a));
		if (b > a && (double)(b - a) < gran)
			gran = (double)(b - a);
	}
	db_sample(w, M_CLOCK_GRAN, gran);
	db_measure_end(w, (uint64_t)pairs * (db_timing.tsc_usable ? 2 : 1));

#ifdef DB_HAVE_TSC
	if (db_timing.tsc_usable) {
		uint64_t c0 = db_clock_ns(), t0 = __rdtsc(), c1, t1;
		do {
			c1 = db_clock_ns();
			t1 = __rdtsc();
		} while (c1 - c0 < 10 * 1000 * 1000);
		db_sample(w, M_TSC_HZ, (double)(t1 - t0) * 1e9 / (double)(c1 - c0));
	}
#endif
	if (!db_timing.tsc_usable)
		db_observe_str(w->ctx, "tsc", db_timing.tsc_reason);
	return 0;
}

const struct db_bench db_bench_timer = {
	.name = "timer",
	.summary = "timer overhead and granularity of the TSC and CLOCK_MONOTONIC_RAW; TSC frequency",
	.params = timer_params,
	.metrics = timer_metrics,
	.run = timer_run,
};
