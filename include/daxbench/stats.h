/* stats.h -- the named aggregates every metric carries */
#ifndef DAXBENCH_STATS_H
#define DAXBENCH_STATS_H

#include <stddef.h>

struct db_stats {
	size_t n;
	double min, median, mean, stddev, p90, p99, p999, max;
	double cv;	/* stddev / mean; 0 when mean is 0 */
};

/* Sorts v in place. Percentiles interpolate linearly between closest ranks
 * (Hyndman & Fan type 7, numpy's default); stddev is the sample (n-1) one. */
void db_stats_compute(double *v, size_t n, struct db_stats *out);

/* ascending, in place: the one comparator the project sorts doubles with */
void db_sort_doubles(double *v, size_t n);

/* value at quantile q (0..1) of a sorted array */
double db_quantile_sorted(const double *v, size_t n, double q);

/* Least-squares fit y = a + b*x; returns 0, or -1 when fewer than two distinct x. */
int db_linfit(const double *x, const double *y, size_t n, double *a, double *b, double *r2);

/* Growth exponent: least squares of log(y) on log(x), so y ~ c * x^b. Points with x <= 0 or y <= 0
 * cannot be on a log-log line and make it fail (-1), as do fewer than two distinct x. */
int db_loglog_fit(const double *x, const double *y, size_t n, double *b, double *r2);

#endif
