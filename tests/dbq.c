/* dbq.c -- test helper: read a value out of a JSON file, or check one file against a golden subset.
 *
 *   dbq FILE PATH             print the value at PATH (a.b.0.c; array indexes are numbers)
 *   dbq --len FILE PATH       print the length of the array or object at PATH
 *   dbq --subset GOLDEN FILE  every key and value in GOLDEN must be in FILE (numbers to 1e-9 relative)
 * Exit 0 on success, 1 on a missing path or a difference (said on stderr), 2 on a bad file.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *load(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, JSON_DECODE_ANY, &e);
	if (!j) {
		fprintf(stderr, "dbq: %s: %s (line %d)\n", path, e.text, e.line);
		exit(2);
	}
	return j;
}

static json_t *walk(json_t *j, const char *path)
{
	char *copy = strdup(path), *save = NULL;
	for (char *k = strtok_r(copy, ".", &save); j && k; k = strtok_r(NULL, ".", &save))
		j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
	free(copy);
	return j;
}

static int subset(json_t *g, json_t *a, const char *where)
{
	char sub[1024];
	if (json_is_object(g)) {
		const char *k;
		json_t *v;
		int bad = 0;
		if (!json_is_object(a)) {
			fprintf(stderr, "dbq: %s: expected an object\n", where);
			return 1;
		}
		json_object_foreach(g, k, v) {
			snprintf(sub, sizeof(sub), "%s.%s", where, k);
			json_t *av = json_object_get(a, k);
			if (!av) {
				fprintf(stderr, "dbq: %s: missing\n", sub);
				bad = 1;
			} else {
				bad |= subset(v, av, sub);
			}
		}
		return bad;
	}
	if (json_is_array(g)) {
		size_t i;
		json_t *v;
		int bad = 0;
		if (!json_is_array(a) || json_array_size(a) != json_array_size(g)) {
			fprintf(stderr, "dbq: %s: expected an array of %zu\n", where, json_array_size(g));
			return 1;
		}
		json_array_foreach(g, i, v) {
			snprintf(sub, sizeof(sub), "%s.%zu", where, i);
			bad |= subset(v, json_array_get(a, i), sub);
		}
		return bad;
	}
	if (json_is_number(g) && json_is_number(a)) {
		double x = json_number_value(g), y = json_number_value(a);
		if (fabs(x - y) <= 1e-9 * fmax(1.0, fabs(x)))
			return 0;
		fprintf(stderr, "dbq: %s: expected %.17g, got %.17g\n", where, x, y);
		return 1;
	}
	if (json_equal(g, a))
		return 0;
	char *gs = json_dumps(g, JSON_ENCODE_ANY), *as = json_dumps(a, JSON_ENCODE_ANY);
	fprintf(stderr, "dbq: %s: expected %s, got %s\n", where, gs, as);
	free(gs);
	free(as);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--subset")) {
		json_t *g = load(argv[2]), *a = load(argv[3]);
		int rc = subset(g, a, "$");
		json_decref(g);
		json_decref(a);
		return rc;
	}
	int len = argc == 4 && !strcmp(argv[1], "--len");
	if (argc != 3 + len) {
		fprintf(stderr, "usage: dbq [--len] FILE PATH | dbq --subset GOLDEN FILE\n");
		return 2;
	}
	json_t *j = load(argv[1 + len]), *v = walk(j, argv[2 + len]);
	if (!v) {
		fprintf(stderr, "dbq: %s: no %s\n", argv[1 + len], argv[2 + len]);
		return 1;
	}
	if (len)
		printf("%zu\n", json_is_array(v) ? json_array_size(v) : json_object_size(v));
	else if (json_is_string(v))
		printf("%s\n", json_string_value(v));
	else if (json_is_integer(v))
		printf("%" JSON_INTEGER_FORMAT "\n", json_integer_value(v));
	else if (json_is_real(v))
		printf("%.17g\n", json_real_value(v));
	else {
		char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		printf("%s\n", s);
		free(s);
	}
	json_decref(j);
	return 0;
}
