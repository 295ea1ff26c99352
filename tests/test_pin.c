/* test_pin.c -- the CPU a thread is bound to is the CPU it runs on; bad lists are refused */
#include "check.h"
#include "daxbench/pin.h"

#include <sched.h>
#include <string.h>

int main(void)
{
	struct db_pinplan plan;
	char err[256];

	CHECK(db_pin_plan("compact", 1, &plan, err, sizeof(err)) == 0);
	CHECK(plan.ncpus == db_pin_online_cpus());
	for (int i = 0; i < plan.ncpus; i++) {
		int cpu = plan.cpus[i];
		CHECK(db_pin_self(cpu) == 0);
		for (int k = 0; k < 1000; k++)
			if (sched_getcpu() != cpu) {
				CHECK(sched_getcpu() == cpu);
				break;
			}
		printf("bound to %d, running on %d\n", cpu, sched_getcpu());
	}
	db_pin_plan_free(&plan);

	CHECK(db_pin_plan("scatter", 2, &plan, err, sizeof(err)) == 0);
	CHECK(plan.ncpus == 2);
	if (db_pin_online_cpus() >= 2 && plan.ncpus == 2)
		CHECK(plan.cpus[0] != plan.cpus[1]);	/* scatter spreads */
	db_pin_plan_free(&plan);

	CHECK(db_pin_plan("0", 1, &plan, err, sizeof(err)) == 0 && plan.ncpus == 1 && plan.cpus[0] == 0);
	db_pin_plan_free(&plan);
	CHECK(db_pin_plan("9999", 1, &plan, err, sizeof(err)) == -1 && strstr(err, "CPU 9999"));
	CHECK(db_pin_plan("0-", 1, &plan, err, sizeof(err)) == -1 && strstr(err, "malformed"));
	CHECK(db_pin_plan("abc", 1, &plan, err, sizeof(err)) == -1);
	CHECK(db_pin_plan("3-1", 1, &plan, err, sizeof(err)) == -1);
	CHECK_DONE();
}
