/* pin.c -- hwloc placement policies and thread binding */
#include "daxbench/pin.h"

#include <errno.h>
#include <limits.h>
#include <hwloc.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static hwloc_topology_t topo;

static int topo_load(void)
{
	if (topo)
		return 0;
	if (hwloc_topology_init(&topo) || hwloc_topology_load(topo)) {
		topo = NULL;
		return -1;
	}
	return 0;
}

int db_pin_online_cpus(void)
{
	if (topo_load())
		return 1;
	return hwloc_bitmap_weight(hwloc_topology_get_allowed_cpuset(topo));
}

static int cpu_allowed(int cpu)
{
	return hwloc_bitmap_isset(hwloc_topology_get_allowed_cpuset(topo), (unsigned)cpu);
}

/* "0,2-3" into plan->cpus */
static int parse_list(const char *spec, struct db_pinplan *plan, char *err, size_t errlen)
{
	const char *s = spec;
	int cap = 0;
	while (*s) {
		char *end;
		long a = strtol(s, &end, 10), b;
		if (end == s || a < 0)
			goto bad;
		b = a;
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a)
				goto bad;
		}
		for (long c = a; c <= b; c++) {
			if (c > 65535 || !cpu_allowed((int)c)) {
				snprintf(err, errlen, "--cpus: CPU %ld is offline, absent or not allowed for this process", c);
				return -1;
			}
			if (plan->ncpus == cap) {
				cap = cap ? cap * 2 : 16;
				int *n = realloc(plan->cpus, cap * sizeof(*n));
				if (!n) {
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				plan->cpus = n;
			}
			plan->cpus[plan->ncpus++] = (int)c;
		}
		if (*end == ',')
			end++;
		else if (*end)
			goto bad;
		s = end;
	}
	if (plan->ncpus)
		return 0;
bad:
	snprintf(err, errlen, "--cpus: malformed '%s' (expected compact, scatter, or a list like 0,2-3)", spec);
	return -1;
}

int db_pin_plan(const char *spec, int nthreads, struct db_pinplan *plan, char *err, size_t errlen)
{
	memset(plan, 0, sizeof(*plan));
	if (topo_load()) {
		snprintf(err, errlen, "hwloc: cannot load the topology");
		return -1;
	}
	if (!spec || !*spec)
		spec = "compact";
	hwloc_const_cpuset_t allowed = hwloc_topology_get_allowed_cpuset(topo);
	int npu = hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_PU);
	if (npu < 1)
		npu = 1;

	if (!strcmp(spec, "compact")) {
		/* PUs in logical order: fills the SMT siblings of a core, then the next core */
		snprintf(plan->policy, sizeof(plan->policy), "compact");
		plan->cpus = calloc(npu, sizeof(int));
		for (int i = 0; plan->cpus && i < npu; i++) {
			hwloc_obj_t pu = hwloc_get_obj_by_type(topo, HWLOC_OBJ_PU, i);
			if (hwloc_bitmap_isset(allowed, pu->os_index))
				plan->cpus[plan->ncpus++] = (int)pu->os_index;
		}
	} else if (!strcmp(spec, "scatter")) {
		/* hwloc_distrib spreads n sets as far apart as the tree allows */
		snprintf(plan->policy, sizeof(plan->policy), "scatter");
		int n = nthreads > 0 ? nthreads : 1;
		hwloc_cpuset_t *sets = calloc(n, sizeof(*sets));
		hwloc_obj_t root = hwloc_get_root_obj(topo);
		plan->cpus = calloc(n, sizeof(int));
		if (sets && plan->cpus && !hwloc_distrib(topo, &root, 1, sets, n, INT_MAX, 0)) {
			for (int i = 0; i < n; i++) {
				hwloc_bitmap_and(sets[i], sets[i], allowed);
				hwloc_bitmap_singlify(sets[i]);
				int c = hwloc_bitmap_first(sets[i]);
				plan->cpus[plan->ncpus++] = c < 0 ? hwloc_bitmap_first(allowed) : c;
			}
		}
		for (int i = 0; sets && i < n; i++)
			hwloc_bitmap_free(sets[i]);
		free(sets);
	} else {
		snprintf(plan->policy, sizeof(plan->policy), "list");
		if (parse_list(spec, plan, err, errlen)) {
			db_pin_plan_free(plan);
			return -1;
		}
	}
	if (!plan->ncpus) {
		snprintf(err, errlen, "--cpus: no usable CPU");
		db_pin_plan_free(plan);
		return -1;
	}
	return 0;
}

void db_pin_plan_free(struct db_pinplan *plan)
{
	free(plan->cpus);
	memset(plan, 0, sizeof(*plan));
}

int db_pin_self(int cpu)
{
	if (topo_load())
		return -ENOSYS;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	if (!set)
		return -ENOMEM;
	hwloc_bitmap_only(set, (unsigned)cpu);
	int rc = hwloc_set_cpubind(topo, set, HWLOC_CPUBIND_THREAD | HWLOC_CPUBIND_STRICT);
	int e = errno;
	hwloc_bitmap_free(set);
	return rc ? -e : 0;
}
