/* param.h -- benchmark parameters as data: name, type, default, help, range.
 *
 * Values accept size suffixes (4K, 2M, 1G: powers of 1024) and sweeps:
 *   64:*2:1M    geometric, start:*factor:end (inclusive)
 *   0:+16:128   arithmetic, start:+step:end (inclusive)
 *   1,2,4       a list (items may themselves be sweeps)
 * Every point of every parameter's sweep combines with every other: one record each.
 */
#ifndef DAXBENCH_PARAM_H
#define DAXBENCH_PARAM_H

#include <stddef.h>
#include <stdint.h>

enum db_ptype {
	DB_PT_INT,	/* plain integer, no suffix */
	DB_PT_SIZE,	/* bytes, suffixes K/M/G/T */
	DB_PT_ENUM,	/* one of .choices */
};

struct db_param {
	const char *name;
	enum db_ptype type;
	const char *def;		/* default, written as a user would type it */
	const char *help;
	int64_t min, max;		/* inclusive range for INT and SIZE */
	const char *const *choices;	/* NULL-terminated, for ENUM */
};

/* One parameter's points after parsing a value or sweep. */
struct db_sweep {
	int n;
	int64_t *num;	/* numeric value (INT, SIZE); choice index for ENUM */
	char **text;	/* canonical text of each point */
};

#define DB_SWEEP_MAX_POINTS 4096

/* parse "4K", "2M", "123": 0 on success, -1 with *err set */
int db_parse_size(const char *s, int64_t *out, const char **err);
int db_parse_int(const char *s, int64_t *out, const char **err);
/* canonical text for a size: 4096 -> "4K", 3000 -> "3000" */
void db_format_size(int64_t v, char *buf, size_t len);

/* expand spec for param p; on error returns -1 and writes a one-line message to err */
int db_sweep_parse(const struct db_param *p, const char *spec, struct db_sweep *out,
		   char *err, size_t errlen);
void db_sweep_free(struct db_sweep *s);

const struct db_param *db_param_find(const struct db_param *params, const char *name);

#endif
