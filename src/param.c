/* param.c -- parameter values, size suffixes and sweeps */
#include "daxbench/param.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int db_parse_int(const char *s, int64_t *out, const char **err)
{
	char *end;

	if (!s || !*s || isspace((unsigned char)*s)) {
		*err = "empty value";
		return -1;
	}
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno == ERANGE) {
		*err = "value out of range";
		return -1;
	}
	if (end == s || *end) {
		*err = "not an integer";
		return -1;
	}
	*out = v;
	return 0;
}

int db_parse_size(const char *s, int64_t *out, const char **err)
{
	char *end;

	if (!s || !*s || !isdigit((unsigned char)*s)) {
		*err = "not a size (expected e.g. 4096, 4K, 2M, 1G)";
		return -1;
	}
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno == ERANGE) {
		*err = "size out of range";
		return -1;
	}
	int shift = 0;
	switch (toupper((unsigned char)*end)) {
	case '\0': break;
	case 'K': shift = 10; break;
	case 'M': shift = 20; break;
	case 'G': shift = 30; break;
	case 'T': shift = 40; break;
	default:
		*err = "unknown size suffix (use K, M, G or T)";
		return -1;
	}
	if (shift) {
		end++;
		/* accept 4K, 4KB, 4KiB */
		if (!strcasecmp(end, "iB"))
			end += 2;
		else if (!strcasecmp(end, "B"))
			end += 1;
	}
	if (*end) {
		*err = "trailing characters after size";
		return -1;
	}
	if (v > (unsigned long long)(INT64_MAX >> shift)) {
		*err = "size out of range";
		return -1;
	}
	*out = (int64_t)(v << shift);
	return 0;
}

void db_format_size(int64_t v, char *buf, size_t len)
{
	static const char sfx[] = "KMGT";

	for (int i = 4; i >= 1; i--) {
		int64_t unit = (int64_t)1 << (10 * i);
		if (v >= unit && v % unit == 0) {
			snprintf(buf, len, "%" PRId64 "%c", v / unit, sfx[i - 1]);
			return;
		}
	}
	snprintf(buf, len, "%" PRId64, v);
}

const struct db_param *db_param_find(const struct db_param *params, const char *name)
{
	for (const struct db_param *p = params; p && p->name; p++)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

static int parse_one(const struct db_param *p, const char *s, int64_t *v, const char **err)
{
	if (p->type == DB_PT_SIZE)
		return db_parse_size(s, v, err);
	return db_parse_int(s, v, err);
}

static int push(struct db_sweep *sw, int64_t num, const char *text, char *err, size_t errlen)
{
	if (sw->n >= DB_SWEEP_MAX_POINTS) {
		snprintf(err, errlen, "sweep has more than %d points", DB_SWEEP_MAX_POINTS);
		return -1;
	}
	if (sw->n % 16 == 0) {
		int64_t *num2 = realloc(sw->num, (sw->n + 16) * sizeof(*num2));
		if (!num2)
			goto oom;
		sw->num = num2;
		char **text2 = realloc(sw->text, (sw->n + 16) * sizeof(*text2));
		if (!text2)
			goto oom;
		sw->text = text2;
	}
	sw->text[sw->n] = strdup(text);
	if (!sw->text[sw->n])
		goto oom;
	sw->num[sw->n++] = num;
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

static int push_num(const struct db_param *p, struct db_sweep *sw, int64_t v,
		    char *err, size_t errlen)
{
	char buf[32];

	if (v < p->min || v > p->max) {
		char lo[32], hi[32];
		if (p->type == DB_PT_SIZE) {
			db_format_size(p->min, lo, sizeof(lo));
			db_format_size(p->max, hi, sizeof(hi));
		} else {
			snprintf(lo, sizeof(lo), "%" PRId64, p->min);
			snprintf(hi, sizeof(hi), "%" PRId64, p->max);
		}
		snprintf(err, errlen, "%s=%" PRId64 " is out of range [%s, %s]", p->name, v, lo, hi);
		return -1;
	}
	if (p->type == DB_PT_SIZE)
		db_format_size(v, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%" PRId64, v);
	return push(sw, v, buf, err, errlen);
}

/* one comma-separated item: a value or start:*f:end / start:+s:end */
static int parse_item(const struct db_param *p, const char *item, struct db_sweep *sw,
		      char *err, size_t errlen)
{
	const char *e = NULL;

	if (p->type == DB_PT_ENUM) {
		for (int i = 0; p->choices[i]; i++)
			if (!strcmp(p->choices[i], item))
				return push(sw, i, item, err, errlen);
		int off = snprintf(err, errlen, "%s: unknown value '%s' (one of:", p->name, item);
		for (int i = 0; p->choices[i] && off > 0 && (size_t)off < errlen; i++)
			off += snprintf(err + off, errlen - off, " %s", p->choices[i]);
		if (off > 0 && (size_t)off < errlen)
			snprintf(err + off, errlen - off, ")");
		return -1;
	}

	char *copy = strdup(item);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = -1;
	char *c1 = strchr(copy, ':');
	if (!c1) {
		int64_t v;
		if (parse_one(p, copy, &v, &e)) {
			snprintf(err, errlen, "%s: '%s': %s", p->name, item, e);
			goto out;
		}
		rc = push_num(p, sw, v, err, errlen);
		goto out;
	}
	*c1 = '\0';
	char *mid = c1 + 1;
	char *c2 = strchr(mid, ':');
	if (!c2 || (mid[0] != '*' && mid[0] != '+')) {
		snprintf(err, errlen, "%s: malformed sweep '%s' (expected start:*factor:end or start:+step:end)",
			 p->name, item);
		goto out;
	}
	*c2 = '\0';
	int64_t start, step, end;
	if (parse_one(p, copy, &start, &e) || parse_one(p, c2 + 1, &end, &e)) {
		snprintf(err, errlen, "%s: '%s': %s", p->name, item, e);
		goto out;
	}
	/* the step is a plain multiplier for '*', a value of the parameter's type for '+' */
	if ((mid[0] == '*' ? db_parse_int(mid + 1, &step, &e) : parse_one(p, mid + 1, &step, &e))) {
		snprintf(err, errlen, "%s: '%s': step: %s", p->name, item, e);
		goto out;
	}
	if (start > end) {
		snprintf(err, errlen, "%s: sweep '%s' has zero points (start > end)", p->name, item);
		goto out;
	}
	if (mid[0] == '*' && (step < 2 || start <= 0)) {
		snprintf(err, errlen, "%s: sweep '%s' needs a factor >= 2 and a start > 0", p->name, item);
		goto out;
	}
	if (mid[0] == '+' && step < 1) {
		snprintf(err, errlen, "%s: sweep '%s' needs a step >= 1", p->name, item);
		goto out;
	}
	for (int64_t v = start; v <= end;) {
		if (push_num(p, sw, v, err, errlen))
			goto out;
		if (mid[0] == '*') {
			if (v > INT64_MAX / step)
				break;
			v *= step;
		} else {
			if (v > INT64_MAX - step)
				break;
			v += step;
		}
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

int db_sweep_parse(const struct db_param *p, const char *spec, struct db_sweep *out,
		   char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	if (!spec || !*spec) {
		snprintf(err, errlen, "%s: empty value", p->name);
		return -1;
	}
	char *copy = strdup(spec);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	char *save = NULL;
	int rc = 0;
	/* strtok_r would skip empty items silently; a trailing or doubled comma is an error */
	if (spec[0] == ',' || spec[strlen(spec) - 1] == ',' || strstr(spec, ",,")) {
		snprintf(err, errlen, "%s: empty item in list '%s'", p->name, spec);
		rc = -1;
	}
	for (char *item = strtok_r(copy, ",", &save); !rc && item; item = strtok_r(NULL, ",", &save))
		rc = parse_item(p, item, out, err, errlen);
	free(copy);
	if (!rc && out->n == 0) {
		snprintf(err, errlen, "%s: '%s' has zero points", p->name, spec);
		rc = -1;
	}
	if (rc)
		db_sweep_free(out);
	return rc;
}

void db_sweep_free(struct db_sweep *s)
{
	for (int i = 0; i < s->n; i++)
		free(s->text[i]);
	free(s->text);
	free(s->num);
	memset(s, 0, sizeof(*s));
}
