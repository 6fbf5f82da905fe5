/*
 * test_noalloc.c - the hot path makes no heap allocation after the first
 * sample: 1000 cycles of collect + metrics + queue probes, indicators,
 * forecasts and events (watch.c) + JSON + table + report aggregation
 * and SenML encoding (in parts) on the reference fixture and on the live
 * host, and 100 cycles with a queue command run every sample, with every
 * allocator entry point counted.
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
#define _DEFAULT_SOURCE             /* realpath */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/agg.h"
#include "agent/metrics.h"
#include "agent/senml.h"
#include "agent/show.h"
#include "agent/watch.h"
#include "platform/net.h"
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
static struct hr_queue_conf qc[3];

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

/*
 * The reference host's two queues (docs/performance.md) and a command:
 * a spool directory (the fixture's own proc/), a number in a file, and
 * /bin/echo run every sample through the poll loop's calls.
 */
static void
queues(struct watch_params *wp, const char *root, int exec)
{
	static char file[64];
	char dir[PATH_MAX];
	FILE *f;

	memset(wp, 0, sizeof(*wp));
	memset(qc, 0, sizeof(qc));
	snprintf(file, sizeof(file), "/tmp/hr-noalloc-%d", (int)getpid());
	f = fopen(file, "w");
	assert_non_null(f);
	fputs("17\n", f);
	fclose(f);
	snprintf(qc[0].name, sizeof(qc[0].name), "spool");
	qc[0].type = PF_QUEUE_DIR;
	assert_non_null(realpath(root, dir));
	assert_true(strlen(dir) + 6 <= sizeof(qc[0].path));
	memcpy(qc[0].path, dir, strlen(dir));
	memcpy(qc[0].path + strlen(dir), "/proc", 6);
	qc[0].capacity = 1000;
	snprintf(qc[1].name, sizeof(qc[1].name), "jobs");
	qc[1].type = PF_QUEUE_FILE;
	snprintf(qc[1].path, sizeof(qc[1].path), "%s", file);
	qc[1].capacity = 100;
	snprintf(qc[2].name, sizeof(qc[2].name), "cmd");
	qc[2].type = PF_QUEUE_EXEC;
	snprintf(qc[2].command, sizeof(qc[2].command), "/bin/echo 3");
	qc[2].capacity = 10;
	qc[2].timeout_us = 2000000;
	wp->queue = qc;
	wp->nqueues = exec ? 3 : 2;
	wp->period_us = 1000000;
	wp->horizon_s = 600;
	wp->events = true;
	wp->below = 0.5;              /* some resources cross it: events */
	wp->clear = 0.6;
	wp->within_s = 3600;
}

/* Let the command of the exec queue finish, as the poll loop would. */
static void
settle(void)
{
	struct pf_pollfd p[4];
	uint64_t dl = UINT64_MAX, now = pf_mono_us(), end = now + 2000000;
	unsigned n;

	while (now < end) {
		dl = UINT64_MAX;
		n = watch_pollfds(p, 4, &dl);
		if (n == 0 && dl == UINT64_MAX)
			return;
		(void)pf_poll(p, n, 10);
		now = pf_mono_us();
		watch_io(p, n, now);
	}
}

static unsigned long
cycles(const char *root, int n, int exec)
{
	struct watch_params wp;
	int i, cur = 0;
	long len;

	struct senml_head h = { "noalloc-1", 1795430610.0, 10, 0,
	    "0123456789abcdef" };

	assert_int_equal(pf_root_set(root), 0);
	pf_collect_init(&col, NULL);
	agg_init(&agg);
	queues(&wp, root, exec);
	watch_init(&wp);
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
		/* real time: a command's value is timed by the real clock */
		watch_sample(&met, pf_mono_us());
		if (exec)
			settle();
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
			uint32_t k;

			h.seq++;
			k = watch_records(recs, HR_MAX_RECORDS);
			k += agg_finish(&agg, recs + k, HR_MAX_RECORDS - k);
			if (senml_encode(&h, recs, k, 1024, (uint8_t *)out,
			    sizeof(out), count_bytes, NULL) < 1)
				break;
		}
	}
	counting = 0;
	watch_stop();
	unlink(qc[1].path);
	assert_int_equal(i, n);
	assert_true(report_bytes > 0);
	/* the queues were really probed, the command really ran */
	assert_true(watch_stats()->probes >= (uint64_t)(2 * n));
	assert_int_equal(watch_stats()->probe_failures, 0);
	assert_true(met.nqueues == wp.nqueues && met.queue[0].depth > 0 &&
	    met.queue[1].depth == 17);
	if (exec)
		assert_true(met.queue[2].depth == 3);
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
	assert_int_equal(cycles(root, 1000, 0), 0);
	/* and the fixture really produced data */
	assert_true(samp[0].ncpu == 8 && samp[0].ndisks == 4);
}

static void
t_live_host(void **state)
{
	(void)state;
	assert_int_equal(cycles("/", 1000, 0), 0);
	assert_true(samp[0].health.present[HR_SIG_CPU]);
}

/* A queue command run every sample: fork, pipe, read, reap, parse. */
static void
t_exec_queue(void **state)
{
	const char *dir = getenv("HR_FIXTURES");
	char root[512];

	(void)state;
	snprintf(root, sizeof(root), "%s/reference",
	    dir ? dir : "tests/fixtures");
	assert_int_equal(cycles(root, 100, 1), 0);
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
		cmocka_unit_test(t_exec_queue),
	};

	return cmocka_run_group_tests_name("noalloc", tests, NULL, NULL);
}
