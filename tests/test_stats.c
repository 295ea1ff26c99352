/* test_stats.c -- known inputs, known aggregates (values checked against numpy's defaults) */
#include "check.h"
#include "daxbench/stats.h"

int main(void)
{
	struct db_stats s;
	double v[10] = { 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 };	/* unsorted on purpose */
	db_stats_compute(v, 10, &s);
	CHECK(s.n == 10);
	CHECK_NEAR(s.min, 1, 0);
	CHECK_NEAR(s.max, 10, 0);
	CHECK_NEAR(s.mean, 5.5, 1e-12);
	CHECK_NEAR(s.median, 5.5, 1e-12);
	CHECK_NEAR(s.stddev, 3.0276503540974917, 1e-12);	/* numpy.std(ddof=1) */
	CHECK_NEAR(s.p90, 9.1, 1e-12);				/* numpy.percentile(.., 90) */
	CHECK_NEAR(s.p99, 9.91, 1e-12);
	CHECK_NEAR(s.p999, 9.991, 1e-12);
	CHECK_NEAR(s.cv, 3.0276503540974917 / 5.5, 1e-12);

	double one[1] = { 42 };
	db_stats_compute(one, 1, &s);
	CHECK(s.n == 1);
	CHECK_NEAR(s.median, 42, 0);
	CHECK_NEAR(s.p99, 42, 0);
	CHECK_NEAR(s.stddev, 0, 0);
	CHECK_NEAR(s.cv, 0, 0);

	db_stats_compute(NULL, 0, &s);
	CHECK(s.n == 0 && isnan(s.mean) && isnan(s.median));

	/* large offset, small spread: a naive sum-of-squares would lose the variance */
	double big[4] = { 1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16 };
	db_stats_compute(big, 4, &s);
	CHECK_NEAR(s.mean, 1e9 + 10, 1e-6);
	CHECK_NEAR(s.stddev, 5.477225575051661, 1e-6);

	/* 1000 values 1..1000: p99.9 interpolates between 999 and 1000 */
	static double k[1000];
	for (int i = 0; i < 1000; i++)
		k[i] = 1000 - i;
	db_stats_compute(k, 1000, &s);
	CHECK_NEAR(s.p999, 999.001, 1e-9);
	CHECK_NEAR(s.p90, 900.1, 1e-9);

	/* least squares: y = 2 + 0.5x exactly */
	double x[5] = { 1, 2, 3, 4, 5 }, y[5];
	for (int i = 0; i < 5; i++)
		y[i] = 2 + 0.5 * x[i];
	double a, b, r2;
	CHECK(db_linfit(x, y, 5, &a, &b, &r2) == 0);
	CHECK_NEAR(a, 2, 1e-12);
	CHECK_NEAR(b, 0.5, 1e-12);
	CHECK_NEAR(r2, 1, 1e-12);
	double flat[3] = { 7, 7, 7 };
	CHECK(db_linfit(flat, y, 3, &a, &b, &r2) == -1);	/* no spread in x: no line */

	/* growth exponents on synthetic curves: y = c x^b recovers b exactly, with r2 = 1 */
	double nx[13], ny[13];
	static const double slopes[] = { 0, 0.5, 1 };
	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 13; i++) {
			nx[i] = 256.0 * pow(2, i);
			ny[i] = 3000.0 * pow(nx[i], slopes[k]);
		}
		CHECK(db_loglog_fit(nx, ny, 13, &b, &r2) == 0);
		CHECK_NEAR(b, slopes[k], 1e-9);
		CHECK_NEAR(r2, 1, 1e-9);
	}
	/* with multiplicative noise of +-5% alternating, the slope is still close and r2 below 1 */
	for (int i = 0; i < 13; i++)
		ny[i] = 50.0 * nx[i] * (i % 2 ? 1.05 : 0.95);
	CHECK(db_loglog_fit(nx, ny, 13, &b, &r2) == 0);
	CHECK_NEAR(b, 1, 0.02);
	CHECK(r2 < 1 && r2 > 0.99);
	ny[3] = 0;	/* a zero latency has no logarithm */
	CHECK(db_loglog_fit(nx, ny, 13, &b, &r2) == -1);
	CHECK_DONE();
}
