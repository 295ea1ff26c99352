/* persist.c -- store+flush and non-temporal store kernels, CPUID-dispatched.
 *
 * Each loop does only the measured work: the stores, the flush or the non-temporal store, the
 * SFENCE every fence_bytes. Plain stores are inline asm so the compiler cannot turn them into a
 * vectorized or memset loop. Every function carries the target attribute of the instruction it
 * uses, so the file builds for baseline x86-64 and the CPU is asked at run time.
 */
#include "daxbench/bench.h"
#include "daxbench/kernels.h"

#include <cpuid.h>
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE 64

unsigned db_cpu_features(void)
{
	unsigned a = 0, b = 0, c = 0, d = 0, f = 0;
	if (__get_cpuid(1, &a, &b, &c, &d)) {
		if (d & (1u << 19))	/* CLFSH */
			f |= DB_CPU_CLFLUSH;
		if (d & bit_SSE2)
			f |= DB_CPU_SSE2;
	}
	bool osxsave = c & bit_OSXSAVE;
	unsigned long long xcr0 = 0;
	if (osxsave) {
		unsigned lo, hi;
		__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((unsigned long long)hi << 32) | lo;
	}
	if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
		if (b & bit_CLFLUSHOPT)
			f |= DB_CPU_CLFLUSHOPT;
		if (b & bit_CLWB)
			f |= DB_CPU_CLWB;
		/* AVX needs the OS to save YMM (XCR0 bits 1,2), AVX-512 also opmask and ZMM (5,6,7) */
		if ((b & bit_AVX2) && (xcr0 & 0x6) == 0x6)
			f |= DB_CPU_AVX2;
		if ((b & bit_AVX512F) && (xcr0 & 0xe6) == 0xe6)
			f |= DB_CPU_AVX512F;
		if (c & (1u << 28))
			f |= DB_CPU_MOVDIR64B;
	}
	return f;
}

static const char *const feature_names[] = { "clflush", "clflushopt", "clwb", "sse2", "avx2", "avx512f",
					     "movdir64b" };
#define NFEATURES (sizeof(feature_names) / sizeof(feature_names[0]))

const char *db_cpu_missing(unsigned need, unsigned have)
{
	for (unsigned i = 0; i < NFEATURES; i++)
		if ((need & (1u << i)) && !(have & (1u << i)))
			return feature_names[i];
	return NULL;
}

/* DAXBENCH_CPU_DISABLE=avx512f,clwb: features to treat as absent (to test fallbacks) */
static unsigned disabled_features(void)
{
	const char *e = getenv("DAXBENCH_CPU_DISABLE");
	unsigned mask = 0;
	for (unsigned i = 0; e && i < NFEATURES; i++) {
		size_t n = strlen(feature_names[i]);
		for (const char *p = e; (p = strstr(p, feature_names[i])); p += n)
			if ((p == e || p[-1] == ',') && (p[n] == ',' || p[n] == '\0'))
				mask |= 1u << i;
	}
	return mask;
}

const char *db_cpu_refuse(unsigned need, char *buf, size_t len)
{
	unsigned have = db_cpu_features();
	const char *m = db_cpu_missing(need, have);
	if (m) {
		snprintf(buf, len, "this CPU lacks %s (CPUID)", m);
		return buf;
	}
	if ((m = db_cpu_missing(need, have & ~disabled_features()))) {
		snprintf(buf, len, "%s is disabled by DAXBENCH_CPU_DISABLE", m);
		return buf;
	}
	return NULL;
}

/* eight 8-byte stores to one line */
static inline __attribute__((always_inline)) void store_line(char *p, uint64_t v)
{
	__asm__ volatile("movq %1, 0(%0)\n\tmovq %1, 8(%0)\n\tmovq %1, 16(%0)\n\tmovq %1, 24(%0)\n\t"
			 "movq %1, 32(%0)\n\tmovq %1, 40(%0)\n\tmovq %1, 48(%0)\n\tmovq %1, 56(%0)"
			 : : "r"(p), "r"(v) : "memory");
}

/*
 * Every kernel is the same loop around a different line body: tight, unrolled runs of lines between
 * fences, SFENCE after every fb bytes and after the last line (fb 0: no fence at all). Keeping the
 * fence test out of the per-line path is what lets the non-temporal loops keep up with libpmem2.
 */
#define PERSIST_KERNEL(fname, attr, setup, ...)                                               \
	DB_KERNEL attr static uint64_t fname(char *dst, size_t len, uint64_t v, size_t fb)     \
	{                                                                                      \
		setup;                                                                         \
		for (size_t off = 0; off < len;) {                                             \
			size_t end = fb && off + fb < len ? off + fb : len;                    \
			_Pragma("GCC unroll 4") for (; off < end; off += LINE)                 \
			{                                                                      \
				char *p = dst + off;                                           \
				__VA_ARGS__;                                                   \
			}                                                                      \
			if (fb)                                                                \
				_mm_sfence();                                                  \
		}                                                                              \
		return len;                                                                    \
	}

#define NOATTR

/* plain stores, no flush: the baseline */
PERSIST_KERNEL(k_store, NOATTR, (void)0, store_line(p, v))

/* stores, then CLFLUSH of the line (ordered, invalidates) */
PERSIST_KERNEL(k_store_clflush, NOATTR, (void)0, store_line(p, v); _mm_clflush(p))

/* stores, then CLFLUSHOPT (weakly ordered, invalidates) */
PERSIST_KERNEL(k_store_clflushopt, __attribute__((target("clflushopt"))), (void)0,
	       store_line(p, v); _mm_clflushopt(p))

/* stores, then CLWB (weakly ordered, may keep the line cached) */
PERSIST_KERNEL(k_store_clwb, __attribute__((target("clwb"))), (void)0, store_line(p, v); _mm_clwb(p))

/* CLWB over a range something else wrote (glibc memset, say) */
PERSIST_KERNEL(k_flush_clwb, __attribute__((target("clwb"))), (void)v, _mm_clwb(p))

uint64_t db_flush_clwb(char *dst, size_t len, uint64_t unused, size_t fb)
{
	return k_flush_clwb(dst, len, unused, fb);
}

/* MOVNTI: 8-byte non-temporal stores */
PERSIST_KERNEL(k_movnti, NOATTR, long long x = (long long)v,
	       long long *q = (long long *)p; _mm_stream_si64(q + 0, x); _mm_stream_si64(q + 1, x);
	       _mm_stream_si64(q + 2, x); _mm_stream_si64(q + 3, x); _mm_stream_si64(q + 4, x);
	       _mm_stream_si64(q + 5, x); _mm_stream_si64(q + 6, x); _mm_stream_si64(q + 7, x))

/* MOVNTI with a 32-bit register: sixteen 4-byte non-temporal stores per line, the same 8-byte
 * pattern (low half, high half); the narrow end of the store-width series */
PERSIST_KERNEL(k_movnti32, NOATTR, int lo = (int)(uint32_t)v; int hi = (int)(uint32_t)(v >> 32),
	       int *q = (int *)p; _mm_stream_si32(q + 0, lo); _mm_stream_si32(q + 1, hi);
	       _mm_stream_si32(q + 2, lo); _mm_stream_si32(q + 3, hi); _mm_stream_si32(q + 4, lo);
	       _mm_stream_si32(q + 5, hi); _mm_stream_si32(q + 6, lo); _mm_stream_si32(q + 7, hi);
	       _mm_stream_si32(q + 8, lo); _mm_stream_si32(q + 9, hi); _mm_stream_si32(q + 10, lo);
	       _mm_stream_si32(q + 11, hi); _mm_stream_si32(q + 12, lo); _mm_stream_si32(q + 13, hi);
	       _mm_stream_si32(q + 14, lo); _mm_stream_si32(q + 15, hi))

/* MOVNTDQ: 16-byte SSE2 non-temporal stores */
PERSIST_KERNEL(k_movntdq, NOATTR, __m128i x = _mm_set1_epi64x((long long)v),
	       __m128i *q = (__m128i *)p; _mm_stream_si128(q + 0, x); _mm_stream_si128(q + 1, x);
	       _mm_stream_si128(q + 2, x); _mm_stream_si128(q + 3, x))

/* VMOVNTDQ ymm: 32-byte AVX2 non-temporal stores */
PERSIST_KERNEL(k_nt_ymm, __attribute__((target("avx2"))), __m256i x = _mm256_set1_epi64x((long long)v),
	       __m256i *q = (__m256i *)p; _mm256_stream_si256(q + 0, x); _mm256_stream_si256(q + 1, x))

/* VMOVNTDQ zmm: one 64-byte AVX-512 non-temporal store per line */
PERSIST_KERNEL(k_nt_zmm, __attribute__((target("avx512f"))), __m512i x = _mm512_set1_epi64((long long)v),
	       _mm512_stream_si512((void *)p, x))

/* MOVDIR64B: a 64-byte direct store (write-combining, no RFO) from an aligned source line */
PERSIST_KERNEL(k_movdir64b, __attribute__((target("movdir64b"))),
	       uint64_t src[8] __attribute__((aligned(64))); for (int i = 0; i < 8; i++) src[i] = v,
	       _movdir64b(p, src))

void db_evict_line(const void *p)
{
	_mm_clflush(p);
	_mm_mfence();
}

const struct db_persist_kernel db_persist_kernels[] = {
	{ "store", k_store, 0, "plain 8-byte stores, no flush (baseline)" },
	{ "store+clflush", k_store_clflush, DB_CPU_CLFLUSH, "stores, CLFLUSH per line" },
	{ "store+clflushopt", k_store_clflushopt, DB_CPU_CLFLUSHOPT, "stores, CLFLUSHOPT per line" },
	{ "store+clwb", k_store_clwb, DB_CPU_CLWB, "stores, CLWB per line" },
	{ "movnti32", k_movnti32, DB_CPU_SSE2, "4-byte non-temporal stores (movnti, 32-bit register)" },
	{ "movnti", k_movnti, DB_CPU_SSE2, "8-byte non-temporal stores" },
	{ "movntdq", k_movntdq, DB_CPU_SSE2, "16-byte SSE2 non-temporal stores" },
	{ "nt-ymm", k_nt_ymm, DB_CPU_AVX2, "32-byte AVX2 non-temporal stores (vmovntdq ymm)" },
	{ "nt-zmm", k_nt_zmm, DB_CPU_AVX512F, "64-byte AVX-512 non-temporal stores (vmovntdq zmm)" },
	{ "movdir64b", k_movdir64b, DB_CPU_MOVDIR64B, "64-byte direct stores (movdir64b)" },
	{ NULL, NULL, 0, NULL },
};

const struct db_persist_kernel *db_persist_kernel_find(const char *name)
{
	for (const struct db_persist_kernel *k = db_persist_kernels; k->name; k++)
		if (!strcmp(k->name, name))
			return k;
	return NULL;
}
