/* pin.h -- thread placement with hwloc: compact, scatter, or an explicit CPU list */
#ifndef DAXBENCH_PIN_H
#define DAXBENCH_PIN_H

#include <stddef.h>

struct db_pinplan {
	char policy[16];	/* "compact", "scatter", "list" */
	int ncpus;
	int *cpus;		/* the OS CPU index for worker i is cpus[i % ncpus] */
};

/* Parse --cpus (compact | scatter | 0,2-3) against the machine's topology.
 * An offline or unknown CPU is an error: -1 with a message. */
int db_pin_plan(const char *spec, int nthreads, struct db_pinplan *plan, char *err, size_t errlen);
void db_pin_plan_free(struct db_pinplan *plan);

/* Bind the calling thread to one OS CPU. 0 or -errno. */
int db_pin_self(int cpu);

int db_pin_online_cpus(void);

#endif
