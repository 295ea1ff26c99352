/* check.h -- the unit tests' assertions: print where and what, count failures, never abort early */
#ifndef DAXBENCH_CHECK_H
#define DAXBENCH_CHECK_H

#include <math.h>
#include <stdio.h>

static int check_failures, check_count;

#define CHECK(cond)                                                                        \
	do {                                                                               \
		check_count++;                                                             \
		if (!(cond)) {                                                             \
			check_failures++;                                                  \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
		}                                                                          \
	} while (0)

#define CHECK_NEAR(got, want, tol)                                                                \
	do {                                                                                      \
		double g_ = (got), w_ = (want);                                                   \
		check_count++;                                                                    \
		if (!(fabs(g_ - w_) <= (tol))) {                                                  \
			check_failures++;                                                         \
			fprintf(stderr, "%s:%d: %s = %.12g, want %.12g +- %g\n", __FILE__, __LINE__, \
				#got, g_, w_, (double)(tol));                                     \
		}                                                                                 \
	} while (0)

#define CHECK_DONE()                                                                        \
	do {                                                                                \
		printf("%d checks, %d failed\n", check_count, check_failures);             \
		return check_failures ? 1 : 0;                                             \
	} while (0)

#endif
