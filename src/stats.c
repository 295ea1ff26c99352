/* stats.c -- order statistics, moments and a least-squares line */
#include "daxbench/stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

void db_sort_doubles(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
}

double db_quantile_sorted(const double *v, size_t n, double q)
{
	if (n == 0)
		return NAN;
	double h = (double)(n - 1) * q;
	size_t lo = (size_t)floor(h);
	if (lo + 1 >= n)
		return v[n - 1];
	return v[lo] + (h - (double)lo) * (v[lo + 1] - v[lo]);
}

void db_stats_compute(double *v, size_t n, struct db_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n == 0) {
		s->min = s->median = s->mean = s->stddev = NAN;
		s->p90 = s->p99 = s->p999 = s->max = s->cv = NAN;
		return;
	}
	db_sort_doubles(v, n);
	/* Welford: stable for the large, tightly clustered samples timers give */
	double mean = 0, m2 = 0;
	for (size_t i = 0; i < n; i++) {
		double d = v[i] - mean;
		mean += d / (double)(i + 1);
		m2 += d * (v[i] - mean);
	}
	s->min = v[0];
	s->max = v[n - 1];
	s->mean = mean;
	s->stddev = n > 1 ? sqrt(m2 / (double)(n - 1)) : 0.0;
	s->median = db_quantile_sorted(v, n, 0.5);
	s->p90 = db_quantile_sorted(v, n, 0.90);
	s->p99 = db_quantile_sorted(v, n, 0.99);
	s->p999 = db_quantile_sorted(v, n, 0.999);
	s->cv = mean != 0 ? s->stddev / fabs(mean) : 0.0;
}

int db_linfit(const double *x, const double *y, size_t n, double *a, double *b, double *r2)
{
	double sx = 0, sy = 0;
	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
	}
	if (n < 2)
		return -1;
	double mx = sx / (double)n, my = sy / (double)n, sxx = 0, sxy = 0, syy = 0;
	for (size_t i = 0; i < n; i++) {
		sxx += (x[i] - mx) * (x[i] - mx);
		sxy += (x[i] - mx) * (y[i] - my);
		syy += (y[i] - my) * (y[i] - my);
	}
	if (sxx == 0)
		return -1;
	*b = sxy / sxx;
	*a = my - *b * mx;
	*r2 = syy == 0 ? 1.0 : (sxy * sxy) / (sxx * syy);
	return 0;
}

int db_loglog_fit(const double *x, const double *y, size_t n, double *b, double *r2)
{
	double *lx = malloc(n * sizeof(*lx)), *ly = malloc(n * sizeof(*ly)), a;
	int rc = -1;
	if (!lx || !ly)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!(x[i] > 0) || !(y[i] > 0))
			goto out;
		lx[i] = log(x[i]);
		ly[i] = log(y[i]);
	}
	rc = db_linfit(lx, ly, n, &a, b, r2);
out:
	free(lx);
	free(ly);
	return rc;
}
