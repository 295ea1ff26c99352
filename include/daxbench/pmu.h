/* pmu.h -- perf counters named by the user, encoded with libpfm4, opened with perf_event_open.
 *
 * Software counters (page-faults, minor-faults, major-faults, context-switches) are always
 * opened, in a group of their own; hardware events named with --events form a second group.
 * Kernel-mode counting is asked for first and dropped only where perf_event_paranoid refuses it;
 * the mode obtained is recorded per counter. Multiplexing is visible through
 * TOTAL_TIME_ENABLED/RUNNING. A counter that cannot be opened stays in the list as unavailable,
 * with the reason.
 */
#ifndef DAXBENCH_PMU_H
#define DAXBENCH_PMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DB_PMU_MAX 32

struct db_counter {
	char name[64];		/* as the user wrote it */
	char encoded[160];	/* libpfm4's canonical string */
	bool software;
	bool available;
	char reason[160];	/* why not available */
	bool kernel;		/* counts kernel mode too */
	int fd;
	uint64_t total;		/* accumulated over measured regions */
	uint64_t enabled, running;
};

struct db_pmu {
	int n;
	struct db_counter c[DB_PMU_MAX];
};

/* Check and encode an event list (comma separated) before any run: unknown names are a usage
 * error. Returns 0, or -1 with a one-line message in err. */
int db_pmu_check_events(const char *list, char *err, size_t errlen);

/* Open the software counters plus the events in list (may be NULL) for the calling thread. */
void db_pmu_open(struct db_pmu *p, const char *list);
void db_pmu_start(struct db_pmu *p);	/* reset + enable */
void db_pmu_stop(struct db_pmu *p, bool keep);	/* disable; add to totals when keep */
void db_pmu_close(struct db_pmu *p);

#endif
