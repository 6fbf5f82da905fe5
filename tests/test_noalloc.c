/*
 * test_noalloc.c - the hot path makes no heap allocation after the first
 * sample: 1000 cycles of collect + metrics + JSON + table + report
 * aggregation and SenML encoding (in parts) on the reference fixture and
 * on the live host, with every allocator entry point counted.
 *
 * Two nets catch allocations:
 *  - -Wl,--wrap=malloc,... (Makefile) redirects our objects' own calls
 *    to the __wrap_ functions below;
 *  - outside sanitizer builds, malloc/calloc/realloc/free are also
 *    interposed for the whole process (glibc supports replacing them), so
 *    an allocation made inside libc on our behalf (stdio, opendir, ...)
 *    is counted too.  ASan owns the allocator, so that build keeps only
 *    the first net (HR_NOALLOC_WRAP_ONLY).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "agent/agg.h"
#include "agent/metrics.h"
#include "agent/senml.h"
#include "agent/show.h"
#include "platform/collect.h"
#include "platform/platform.h"

static volatile int      counting;
static volatile unsigned long nalloc;

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
void  __real_free(void *p);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);
void  __wrap_free(void *p);

void *
__wrap_malloc(size_t n)
{
	if (counting)
		nalloc++;
	return __real_malloc(n);
}

void *
__wrap_calloc(size_t n, size_t m)
{
	if (counting)
		nalloc++;
	return __real_calloc(n, m);
}

void *
__wrap_realloc(void *p, size_t n)
{
	if (counting)
		nalloc++;
	return __real_realloc(p, n);
}

void
__wrap_free(void *p)
{
	__real_free(p);
}

#ifndef HR_NOALLOC_WRAP_ONLY
void *__libc_malloc(size_t n);
void *__libc_calloc(size_t n, size_t m);
void *__libc_realloc(void *p, size_t n);
void  __libc_free(void *p);

void *
malloc(size_t n)
{
	if (counting)
		nalloc++;
	return __libc_malloc(n);
}

void *
calloc(size_t n, size_t m)
{
	if (counting)
		nalloc++;
	return __libc_calloc(n, m);
}

void *
realloc(void *p, size_t n)
{
	if (counting)
		nalloc++;
	return __libc_realloc(p, n);
}

void
free(void *p)
{
	__libc_free(p);
}
#endif

static struct pf_collector col;
static struct hr_sample    samp[2];
static struct hr_metrics   met;
static char                out[256 * 1024];
static struct hr_agg       agg;
static struct hr_rec       recs[HR_MAX_RECORDS];
static size_t              report_bytes;

static int
count_bytes(void *ctx, const uint8_t *b, size_t len, uint32_t part,
    uint32_t parts)
{
	(void)ctx;
	(void)b;
	(void)part;
	(void)parts;
	report_bytes += len;
	return 0;
}

static unsigned long
cycles(const char *root, int n)
{
	int i, cur = 0;
	long len;

	struct senml_head h = { "noalloc-1", 1795430610.0, 10, 0,
	    "0123456789abcdef" };

	assert_int_equal(pf_root_set(root), 0);
	pf_collect_init(&col, NULL);
	agg_init(&agg);
	report_bytes = 0;
	pf_collect(&col, &samp[cur]);        /* first sample: may log */
	nalloc = 0;
	counting = 1;
	for (i = 0; i < n; i++) {
		cur ^= 1;
		if (i % 100 == 0)
			col.next_mount_scan_us = 0;  /* include mount rescans */
		pf_collect(&col, &samp[cur]);
		samp[cur].mono_us = samp[cur ^ 1].mono_us + 1000000;
		metrics_compute(&samp[cur ^ 1], &samp[cur], &met);
		len = show_json(&met, &samp[cur], (unsigned long)i, out,
		    sizeof(out));
		if (len < 0)
			break;
		len = show_table_row(&met, out, sizeof(out));
		if (len < 0)
			break;
		/* a report every 10 samples, split in parts of 1 KiB */
		agg_add(&agg, &met);
		if (i % 10 == 9) {
			h.seq++;
			if (senml_encode(&h, recs, agg_finish(&agg, recs,
			    HR_MAX_RECORDS), 1024, (uint8_t *)out, sizeof(out),
			    count_bytes, NULL) < 1)
				break;
		}
	}
	counting = 0;
	assert_int_equal(i, n);
	assert_true(report_bytes > 0);
	return nalloc;
}

static void
t_reference_fixture(void **state)
{
	const char *dir = getenv("HR_FIXTURES");
	char root[512];

	(void)state;
	snprintf(root, sizeof(root), "%s/reference",
	    dir ? dir : "tests/fixtures");
	assert_int_equal(cycles(root, 1000), 0);
	/* and the fixture really produced data */
	assert_true(samp[0].ncpu == 8 && samp[0].ndisks == 4);
}

static void
t_live_host(void **state)
{
	(void)state;
	assert_int_equal(cycles("/", 1000), 0);
	assert_true(samp[0].health.present[HR_SIG_CPU]);
}

/*
 * The counter itself works: an allocation inside the window is seen,
 * whether our code calls malloc (through a volatile pointer, so the
 * compiler cannot elide the pair) or libc allocates internally (fopen).
 */
static void
t_counter_counts(void **state)
{
	void *(*volatile mallocp)(size_t) = malloc;
	void *p;
	FILE *f;

	(void)state;
	nalloc = 0;
	counting = 1;
	p = mallocp(16);
	counting = 0;
	free(p);
	assert_true(nalloc >= 1);
#ifndef HR_NOALLOC_WRAP_ONLY
	nalloc = 0;
	counting = 1;
	f = fopen("/proc/self/stat", "r");
	counting = 0;
	assert_non_null(f);
	fclose(f);
	assert_true(nalloc >= 1);
#else
	(void)f;
#endif
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_counter_counts),
		cmocka_unit_test(t_reference_fixture),
		cmocka_unit_test(t_live_host),
	};

	return cmocka_run_group_tests_name("noalloc", tests, NULL, NULL);
}
