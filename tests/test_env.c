/* test_env.c -- target detection: tmpfs is tmpfs and not DAX; MAP_SYNC is refused off DAX */
#include "check.h"
#include "daxbench/env.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *tmpfs = argc > 1 ? argv[1] : "/dev/shm";
	struct db_target t;
	char err[256];

	CHECK(db_target_probe(tmpfs, &t, err, sizeof(err)) == 0);
	CHECK(!strcmp(t.fstype, "tmpfs"));
	CHECK(!t.dax);
	CHECK(!t.map_sync);
	CHECK(strstr(t.map_sync_reason, "EOPNOTSUPP") != NULL);
	CHECK(!strcmp(t.granularity, "page"));
	CHECK(t.mountpoint[0] == '/');
	printf("%s: fs=%s dax=%d (%s) map_sync=%d (%s) granularity=%s\n", tmpfs, t.fstype, t.dax, t.dax_reason,
	       t.map_sync, t.map_sync_reason, t.granularity);

	CHECK(db_target_probe("/nonexistent-daxbench", &t, err, sizeof(err)) == -1);
	CHECK(strstr(err, "/nonexistent-daxbench") != NULL);

	/* the full context has the fields a result file promises */
	json_t *ctx = db_env_context(tmpfs, tmpfs);
	static const char *const keys[] = { "host", "kernel", "cpu", "timing", "memory", "pmem", "target", "vm",
					     "build", "warnings", NULL };
	for (int i = 0; keys[i]; i++)
		CHECK(json_object_get(ctx, keys[i]) != NULL);
	json_t *target = json_object_get(ctx, "target");
	CHECK(!strcmp(json_string_value(json_object_get(target, "fs")), "tmpfs"));
	CHECK(json_is_false(json_object_get(target, "dax")));
	json_t *cpu = json_object_get(ctx, "cpu");
	CHECK(json_is_string(json_object_get(cpu, "microcode")));
	CHECK(json_is_boolean(json_object_get(json_object_get(cpu, "flags"), "clwb")));
	CHECK(json_is_boolean(json_object_get(json_object_get(cpu, "hw_pmu"), "available")));
	/* a non-DAX target warns */
	int warned = 0;
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(ctx, "warnings"), i, w)
		warned |= strstr(json_string_value(w), "not DAX") != NULL;
	CHECK(warned);
	json_decref(ctx);
	CHECK_DONE();
}
