/* pmu.c -- perf_event_open groups, libpfm4 event encoding */
#include "daxbench/pmu.h"

#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define HW_GROUP_SIZE 4	/* a group must fit the PMU's counters at once, or it never runs */

static const struct {
	const char *name;
	uint64_t config;
} sw_events[] = {
	{ "page-faults", PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_COUNT_SW_CONTEXT_SWITCHES },
};

static pthread_once_t pfm_once = PTHREAD_ONCE_INIT;
static int pfm_status;

static void pfm_init_once(void)
{
	pfm_status = pfm_initialize();
}

static int encode(const char *name, int plm, struct perf_event_attr *attr, char *fstr_out, size_t len)
{
	pfm_perf_encode_arg_t arg;
	char *fstr = NULL;

	pthread_once(&pfm_once, pfm_init_once);
	if (pfm_status != PFM_SUCCESS)
		return pfm_status;
	memset(attr, 0, sizeof(*attr));
	memset(&arg, 0, sizeof(arg));
	arg.attr = attr;
	arg.size = sizeof(arg);
	arg.fstr = &fstr;
	int rc = pfm_get_os_event_encoding(name, plm, PFM_OS_PERF_EVENT_EXT, &arg);
	if (rc == PFM_SUCCESS && fstr_out)
		snprintf(fstr_out, len, "%s", fstr ? fstr : name);
	free(fstr);
	return rc;
}

static bool is_software_name(const char *name)
{
	for (size_t i = 0; i < sizeof(sw_events) / sizeof(sw_events[0]); i++)
		if (!strcmp(sw_events[i].name, name))
			return true;
	return false;
}

int db_pmu_check_events(const char *list, char *err, size_t errlen)
{
	if (!list || !*list)
		return 0;
	char *copy = strdup(list), *save = NULL;
	int n = 0, rc = 0;
	if (!copy)
		return -1;
	for (char *e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		struct perf_event_attr attr;
		int r = encode(e, PFM_PLM0 | PFM_PLM3, &attr, NULL, 0);
		if (r != PFM_SUCCESS) {
			snprintf(err, errlen, "unknown event '%s' (libpfm4: %s)", e, pfm_strerror(r));
			rc = -1;
			break;
		}
		if (++n > DB_PMU_MAX - 4) {
			snprintf(err, errlen, "too many events (at most %d)", DB_PMU_MAX - 4);
			rc = -1;
			break;
		}
	}
	free(copy);
	return rc;
}

static long perf_open(struct perf_event_attr *attr, int group_fd)
{
	return syscall(SYS_perf_event_open, attr, 0 /* this thread */, -1, group_fd, 0);
}

static void explain(struct db_counter *c, int err, const struct perf_event_attr *attr)
{
	/* uncore PMUs (memory controller, e.g. CAS write counts) have their own dynamic type and count
	 * per socket only: a per-thread event is refused */
	if (err == EINVAL && attr->type >= PERF_TYPE_MAX) {
		snprintf(c->reason, sizeof(c->reason), "this PMU (type %u) does not count per thread, as uncore "
			 "PMUs do not; daxbench counts per thread only (%s)", attr->type, strerror(err));
		return;
	}
	switch (err) {
	case EACCES:
	case EPERM:
		snprintf(c->reason, sizeof(c->reason), "not permitted (perf_event_paranoid; %s)", strerror(err));
		break;
	case ENOENT:
	case EOPNOTSUPP:
		snprintf(c->reason, sizeof(c->reason), "not supported here: no PMU for this event (%s)", strerror(err));
		break;
	case ENODEV:
		snprintf(c->reason, sizeof(c->reason), "no such PMU (%s)", strerror(err));
		break;
	default:
		snprintf(c->reason, sizeof(c->reason), "perf_event_open: %s", strerror(err));
	}
}

/* Open c as a member of group leader *leader (-1: c becomes the leader). Kernel mode first. */
static void open_counter(struct db_counter *c, struct perf_event_attr *attr, int *leader)
{
	attr->size = sizeof(*attr);
	attr->read_format = PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	attr->disabled = *leader < 0;
	attr->exclude_hv = 1;
	attr->exclude_kernel = 0;
	attr->exclude_user = 0;
	attr->inherit = 0;
	long fd = perf_open(attr, *leader);
	c->kernel = true;
	if (fd < 0 && (errno == EACCES || errno == EPERM)) {
		attr->exclude_kernel = 1;
		c->kernel = false;
		fd = perf_open(attr, *leader);
	}
	if (fd < 0) {
		explain(c, errno, attr);
		c->available = false;
		c->fd = -1;
		return;
	}
	c->fd = (int)fd;
	c->available = true;
	if (*leader < 0)
		*leader = c->fd;
}

void db_pmu_open(struct db_pmu *p, const char *list)
{
	memset(p, 0, sizeof(*p));
	int leader = -1;
	for (size_t i = 0; i < sizeof(sw_events) / sizeof(sw_events[0]); i++) {
		struct db_counter *c = &p->c[p->n++];
		struct perf_event_attr attr;
		memset(&attr, 0, sizeof(attr));
		attr.type = PERF_TYPE_SOFTWARE;
		attr.config = sw_events[i].config;
		snprintf(c->name, sizeof(c->name), "%s", sw_events[i].name);
		snprintf(c->encoded, sizeof(c->encoded), "software:%s", sw_events[i].name);
		c->software = true;
		open_counter(c, &attr, &leader);
	}
	if (!list || !*list)
		return;
	char *copy = strdup(list), *save = NULL;
	if (!copy)
		return;
	leader = -1;
	int in_group = 0;
	for (char *e = strtok_r(copy, ",", &save); e && p->n < DB_PMU_MAX; e = strtok_r(NULL, ",", &save)) {
		if (is_software_name(e))
			continue;	/* always counted already */
		struct db_counter *c = &p->c[p->n++];
		struct perf_event_attr attr;
		snprintf(c->name, sizeof(c->name), "%s", e);
		int r = encode(e, PFM_PLM0 | PFM_PLM3, &attr, c->encoded, sizeof(c->encoded));
		if (r != PFM_SUCCESS) {
			snprintf(c->reason, sizeof(c->reason), "libpfm4: %s", pfm_strerror(r));
			c->fd = -1;
			continue;
		}
		if (in_group == HW_GROUP_SIZE) {
			leader = -1;
			in_group = 0;
		}
		open_counter(c, &attr, &leader);
		if (c->available)
			in_group++;
	}
	free(copy);
}

static void group_ioctl(struct db_pmu *p, unsigned long req)
{
	for (int i = 0; i < p->n; i++)
		if (p->c[i].fd >= 0)
			ioctl(p->c[i].fd, req, 0);
}

void db_pmu_start(struct db_pmu *p)
{
	group_ioctl(p, PERF_EVENT_IOC_RESET);
	group_ioctl(p, PERF_EVENT_IOC_ENABLE);
}

void db_pmu_stop(struct db_pmu *p, bool keep)
{
	group_ioctl(p, PERF_EVENT_IOC_DISABLE);
	for (int i = 0; i < p->n; i++) {
		struct db_counter *c = &p->c[i];
		uint64_t v[3];
		if (c->fd < 0)
			continue;
		if (read(c->fd, v, sizeof(v)) != sizeof(v)) {
			snprintf(c->reason, sizeof(c->reason), "read failed: %s", strerror(errno));
			c->available = false;
			close(c->fd);
			c->fd = -1;
			continue;
		}
		if (!keep)
			continue;	/* warm-up: counted, then dropped */
		c->total += v[0];
		c->enabled += v[1];
		c->running += v[2];
	}
}

void db_pmu_close(struct db_pmu *p)
{
	/* members before leaders does not matter: closing a leader detaches its members */
	for (int i = 0; i < p->n; i++)
		if (p->c[i].fd >= 0) {
			close(p->c[i].fd);
			p->c[i].fd = -1;
		}
}
