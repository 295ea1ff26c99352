/* test_param.c -- sizes, sweeps and their errors */
#include "check.h"
#include "daxbench/param.h"

#include <string.h>

static const char *const colours[] = { "red", "green", NULL };
static const struct db_param p_size = { .name = "size", .type = DB_PT_SIZE, .def = "4K", .min = 1, .max = (int64_t)1 << 40 };
static const struct db_param p_int = { .name = "threads", .type = DB_PT_INT, .def = "1", .min = 1, .max = 64 };
static const struct db_param p_enum = { .name = "colour", .type = DB_PT_ENUM, .def = "red", .choices = colours };

static int sweep_n(const struct db_param *p, const char *spec, char *err)
{
	struct db_sweep s;
	if (db_sweep_parse(p, spec, &s, err, 256))
		return -1;
	int n = s.n;
	db_sweep_free(&s);
	return n;
}

int main(void)
{
	int64_t v;
	const char *e;
	char err[256];

	CHECK(db_parse_size("4096", &v, &e) == 0 && v == 4096);
	CHECK(db_parse_size("4K", &v, &e) == 0 && v == 4096);
	CHECK(db_parse_size("4k", &v, &e) == 0 && v == 4096);
	CHECK(db_parse_size("2M", &v, &e) == 0 && v == 2 << 20);
	CHECK(db_parse_size("1G", &v, &e) == 0 && v == 1 << 30);
	CHECK(db_parse_size("3T", &v, &e) == 0 && v == 3LL << 40);
	CHECK(db_parse_size("4KiB", &v, &e) == 0 && v == 4096);
	CHECK(db_parse_size("4KB", &v, &e) == 0 && v == 4096);
	CHECK(db_parse_size("4X", &v, &e) == -1);
	CHECK(db_parse_size("-1", &v, &e) == -1);
	CHECK(db_parse_size("", &v, &e) == -1);
	CHECK(db_parse_size("4K4", &v, &e) == -1);
	CHECK(db_parse_size("99999999999999999999", &v, &e) == -1);
	CHECK(db_parse_size("9000000000T", &v, &e) == -1);
	CHECK(db_parse_int("12", &v, &e) == 0 && v == 12);
	CHECK(db_parse_int("12x", &v, &e) == -1);
	CHECK(db_parse_int(" 1", &v, &e) == -1);

	char buf[32];
	db_format_size(4096, buf, sizeof(buf));
	CHECK(!strcmp(buf, "4K"));
	db_format_size(3 << 20, buf, sizeof(buf));
	CHECK(!strcmp(buf, "3M"));
	db_format_size(3000, buf, sizeof(buf));
	CHECK(!strcmp(buf, "3000"));

	struct db_sweep s;
	CHECK(db_sweep_parse(&p_size, "64:*2:1M", &s, err, sizeof(err)) == 0);
	CHECK(s.n == 15 && s.num[0] == 64 && s.num[14] == 1 << 20);
	CHECK(s.n == 15 && !strcmp(s.text[4], "1K") && !strcmp(s.text[14], "1M"));
	db_sweep_free(&s);
	CHECK(db_sweep_parse(&p_size, "0:+16:64", &s, err, sizeof(err)) == -1);	/* 0 is below min */
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(db_sweep_parse(&p_size, "16:+16:64", &s, err, sizeof(err)) == 0);
	CHECK(s.n == 4 && s.num[3] == 64);
	db_sweep_free(&s);
	CHECK(db_sweep_parse(&p_size, "4K:+4K:16K", &s, err, sizeof(err)) == 0);
	CHECK(s.n == 4 && s.num[3] == 16384);
	db_sweep_free(&s);
	CHECK(sweep_n(&p_int, "1,2,4", err) == 3);
	CHECK(sweep_n(&p_int, "1,2:*2:16", err) == 5);	/* 1, 2, 4, 8, 16 */
	CHECK(sweep_n(&p_size, "100:*3:1000", err) == 3);	/* 100, 300, 900: end need not be hit */

	/* errors: each with a message naming the parameter */
	CHECK(sweep_n(&p_size, "1M:*2:64", err) == -1 && strstr(err, "zero points"));
	CHECK(sweep_n(&p_size, "64:*1:1M", err) == -1 && strstr(err, "factor"));
	CHECK(sweep_n(&p_size, "64:+0:1M", err) == -1 && strstr(err, "step"));
	CHECK(sweep_n(&p_size, "64:2:1M", err) == -1 && strstr(err, "malformed"));
	CHECK(sweep_n(&p_size, "64:*2", err) == -1 && strstr(err, "malformed"));
	CHECK(sweep_n(&p_size, "", err) == -1 && strstr(err, "empty"));
	CHECK(sweep_n(&p_int, "1,,2", err) == -1 && strstr(err, "empty item"));
	CHECK(sweep_n(&p_int, "1,", err) == -1);
	CHECK(sweep_n(&p_int, "65", err) == -1 && strstr(err, "threads=65 is out of range"));
	CHECK(sweep_n(&p_int, "1:*2:1000000", err) == -1);	/* walks out of range */
	CHECK(sweep_n(&p_int, "two", err) == -1 && strstr(err, "threads"));
	CHECK(sweep_n(&p_size, "1:+1:5000", err) == -1 && strstr(err, "more than"));

	CHECK(db_sweep_parse(&p_enum, "green,red", &s, err, sizeof(err)) == 0);
	CHECK(s.n == 2 && s.num[0] == 1 && !strcmp(s.text[1], "red"));
	db_sweep_free(&s);
	CHECK(sweep_n(&p_enum, "blue", err) == -1 && strstr(err, "unknown value 'blue'") && strstr(err, "red green"));
	CHECK_DONE();
}
