/* test_kernels.c -- every persist kernel writes exactly the pattern asked, over exactly the range
 * asked, for every fence schedule; one that skips work or strays fails. Dispatch refuses what the
 * CPU lacks or what DAXBENCH_CPU_DISABLE turns off. */
#include "check.h"
#include "daxbench/kernels.h"

#include <stdlib.h>
#include <string.h>

#define BUF (64 * 1024)
#define GUARD 4096

int main(void)
{
	unsigned have = db_cpu_features();
	char *buf = aligned_alloc(64, BUF + 2 * GUARD), *want = malloc(BUF);
	CHECK(buf && want);
	static const size_t lens[] = { 64, 128, 192, 4096, 4160, 65536 };
	static const size_t fences[] = { 0, 64, 256, 4096 };
	int ran = 0, refused = 0;

	for (const struct db_persist_kernel *k = db_persist_kernels; k->name; k++) {
		if (db_cpu_missing(k->need, have)) {
			char why[128];
			CHECK(db_cpu_refuse(k->need, why, sizeof(why)) != NULL);
			CHECK(strstr(why, "lacks") != NULL);
			printf("%-18s refused: %s\n", k->name, why);
			refused++;
			continue;
		}
		for (size_t li = 0; li < sizeof(lens) / sizeof(lens[0]); li++)
			for (size_t fi = 0; fi < sizeof(fences) / sizeof(fences[0]); fi++) {
				size_t len = lens[li];
				uint64_t v = 0x0102030405060708ull * (li + 1) ^ (fi << 40);
				memset(buf, 0xee, BUF + 2 * GUARD);
				uint64_t r = k->fn(buf + GUARD, len, v, fences[fi]);
				CHECK(r == len);
				for (size_t i = 0; i < len; i += 8)
					memcpy(want + i, &v, 8);
				if (memcmp(buf + GUARD, want, len)) {
					CHECK(!"kernel wrote the wrong bytes");
					printf("  %s len=%zu fence=%zu\n", k->name, len, fences[fi]);
				}
				/* nothing before or after the range */
				int stray = 0;
				for (size_t i = 0; i < GUARD; i++)
					stray |= buf[i] != (char)0xee || buf[GUARD + len + i] != (char)0xee;
				CHECK(!stray);
			}
		printf("%-18s ok\n", k->name);
		ran++;
	}
	CHECK(ran >= 2);	/* store and movnti run on any x86-64 */

	/* the flush-only loop leaves data as it was */
	if (!db_cpu_missing(DB_CPU_CLWB, have)) {
		memset(buf, 0x5a, 4096);
		CHECK(db_flush_clwb(buf, 4096, 0, 256) == 4096);
		CHECK(buf[0] == 0x5a && buf[4095] == 0x5a);
	}

	/* dispatch: a fake CPU without AVX-512 refuses nt-zmm by name */
	const struct db_persist_kernel *z = db_persist_kernel_find("nt-zmm");
	CHECK(z && db_cpu_missing(z->need, have & ~DB_CPU_AVX512F) != NULL);
	CHECK(z && !strcmp(db_cpu_missing(z->need, have & ~DB_CPU_AVX512F), "avx512f"));
	CHECK(db_persist_kernel_find("no-such-op") == NULL);
	setenv("DAXBENCH_CPU_DISABLE", "sse2,clwb", 1);
	char why[128];
	CHECK(db_cpu_refuse(DB_CPU_CLWB, why, sizeof(why)) != NULL);
	CHECK(strstr(why, "clwb") != NULL);
	CHECK(db_cpu_refuse(DB_CPU_CLFLUSH, why, sizeof(why)) == NULL || !(have & DB_CPU_CLFLUSH));
	setenv("DAXBENCH_CPU_DISABLE", "clwbx", 1);	/* not a feature name: disables nothing */
	CHECK(db_cpu_refuse(DB_CPU_CLWB, why, sizeof(why)) == NULL || !(have & DB_CPU_CLWB));
	unsetenv("DAXBENCH_CPU_DISABLE");
	printf("%d kernels ran, %d refused\n", ran, refused);
	free(buf);
	free(want);
	CHECK_DONE();
}
