/* fuzz_load.c -- libFuzzer target: the result loader and everything that reads a loaded file
 * (CSV export, the table printer) must survive any bytes. Built by tests/fuzz.sh with clang. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/daxbench-fuzz-XXXXXX", err[1024];
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	json_t *doc = db_load_results(path, err, sizeof(err));
	unlink(path);
	if (!doc)
		return 0;
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		db_export_csv(doc, null);
		size_t i;
		json_t *rec;
		json_array_foreach(json_object_get(doc, "records"), i, rec)
			if (json_is_object(rec))
				db_print_record(null, rec);
		fclose(null);
	}
	json_decref(doc);
	return 0;
}
