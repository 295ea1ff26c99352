/* test_pmu.c -- counters against known work: instructions of a loop of known length (or an
 * 'unavailable' with its reason where there is no PMU), page faults of pages touched */
#include "check.h"
#include "daxbench/bench.h"
#include "daxbench/pmu.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define LOOP 10000000L

static void known_loop(void)
{
#if defined(__x86_64__)
	/* exactly 2 instructions per iteration: dec, jnz */
	long n = LOOP;
	__asm__ volatile("1: dec %0\n\tjnz 1b" : "+r"(n));
#else
	for (volatile long i = 0; i < LOOP; i++)
		;
#endif
}

DB_KERNEL static void touch(char *m, int pages, long psz, char v)
{
	for (int i = 0; i < pages; i++)
		((volatile char *)m)[i * psz] = v;
}

static struct db_counter *find(struct db_pmu *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if (!strcmp(p->c[i].name, name))
			return &p->c[i];
	return NULL;
}

int main(void)
{
	char err[256];
	CHECK(db_pmu_check_events("cycles,instructions", err, sizeof(err)) == 0);
	CHECK(db_pmu_check_events("no-such-event-xyz", err, sizeof(err)) == -1 && strstr(err, "no-such-event-xyz"));

	struct db_pmu p;
	db_pmu_open(&p, "instructions");
	struct db_counter *ins = find(&p, "instructions");
	CHECK(ins != NULL);
	db_pmu_start(&p);
	known_loop();
	db_pmu_stop(&p, true);
	if (ins && ins->available && ins->running > 0) {
		/* user+kernel counting adds interrupts and the ioctl tails: allow 2% above */
		printf("instructions: %llu for %ld loop iterations (mode %s)\n", (unsigned long long)ins->total, LOOP,
		       ins->kernel ? "user+kernel" : "user");
		CHECK(ins->total >= 2 * LOOP);
		CHECK(ins->total <= 2 * LOOP * 102 / 100);
	} else if (ins) {
		printf("instructions unavailable: %s\n", ins->reason);
		CHECK(ins->reason[0] != '\0');
	}

	/* software counter: one fault per fresh 4 KiB page */
	long psz = sysconf(_SC_PAGESIZE);
	const int pages = 512;
	char *m = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(m != MAP_FAILED);
	madvise(m, pages * psz, MADV_NOHUGEPAGE);
	struct db_counter *pf = find(&p, "page-faults");
	uint64_t before = pf ? pf->total : 0;
	db_pmu_start(&p);
	touch(m, pages, psz, 1);
	db_pmu_stop(&p, true);
	CHECK(pf && pf->available);
	if (pf) {
		printf("page-faults: %llu for %d pages\n", (unsigned long long)(pf->total - before), pages);
		CHECK(pf->total - before >= (uint64_t)pages);
		CHECK(pf->total - before <= (uint64_t)pages + 4);
	}
	/* warm-up reads are dropped: keep=false adds nothing */
	uint64_t kept = pf ? pf->total : 0;
	db_pmu_start(&p);
	touch(m, pages, psz, 2);	/* already mapped: no faults, but keep=false anyway */
	db_pmu_stop(&p, false);
	CHECK(!pf || pf->total == kept);
	munmap(m, pages * psz);
	db_pmu_close(&p);
	CHECK_DONE();
}
