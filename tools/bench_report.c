/*
 * bench_report.c - size and cost of a report for a recorded host.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   static  the recorded host as it is: nothing moves between samples, so
 *           every peak equals its mean (and is omitted);
 *   busy    the same host's series with values that move every sample
 *           (each value scaled by a random factor in [0.5, 1.5), ratios
 *           kept in [0, 1]): every peak differs from its mean.
 *
 * The host has the design's two application queues (a spool directory:
 * the root's proc/, and a number in a file), and its indicators,
 * forecasts and bottleneck are in the report, as in the agent.
 *
 * For each: bytes of the first report (with capacities) and of a
 * steady-state report, and CPU time per report encoding; then the CPU
 * time of one sample's queue probes, indicators, forecasts and events
 * (watch_sample).  Writes the steady-state busy report to FILE when
 * given, for the JSON comparison.
 *
 * usage: bench_report [ROOT] [ID] [FILE]
 */
#define _DEFAULT_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agg.h"
#include "agent/metrics.h"
#include "agent/senml.h"
#include "agent/watch.h"
#include "platform/collect.h"
#include "platform/platform.h"
#include "tools/bench.h"

static struct pf_collector col;
static struct hr_sample    samp[2];
static struct hr_metrics   met;
static struct hr_agg       agg;
static struct hr_rec       recs[HR_MAX_RECORDS];
static uint8_t             buf[256 * 1024];
static size_t              last_len;
static int                 busy;
static unsigned            rnd = 12345;
static struct hr_queue_conf qc[2];
static char                qfile[64];

static double
frand(void)
{
	rnd = rnd * 1103515245u + 12345u;
	return (double)(rnd >> 8) / (double)(1u << 24);
}

static void
noisy(void *ctx, const char *group, const struct hr_series_desc *d,
    double v)
{
	if (busy && d->kind == HR_AGG_MEAN_PEAK) {
		if (v == 0)
			v = strcmp(d->unit, "/") == 0 ? 0.2 : 100;
		v *= 0.5 + frand();
		if (strcmp(d->unit, "/") == 0 && v > 1)
			v = 1;
	}
	agg_add_value(ctx, group, d, v);
}

static int
keep(void *ctx, const uint8_t *b, size_t len, uint32_t part, uint32_t parts)
{
	(void)ctx;
	(void)b;
	(void)part;
	(void)parts;
	last_len += len;
	return 0;
}

static size_t
report(const struct senml_head *h, uint32_t *nrec)
{
	int i;

	for (i = 0; i < 10; i++) {
		watch_sample(&met, pf_mono_us());
		series_each(&met, noisy, &agg);
		agg.nsamples++;
	}
	*nrec = watch_records(recs, HR_MAX_RECORDS);
	*nrec += agg_finish(&agg, recs + *nrec, HR_MAX_RECORDS - *nrec);
	last_len = 0;
	senml_encode(h, recs, *nrec, sizeof(buf), buf, sizeof(buf), keep,
	    NULL);
	return last_len;
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "tests/fixtures/reference";
	struct senml_head h = { argc > 2 ? argv[2] : "edge-042",
	    1795430610.0, 10, 1, "5f1c0e9a3b7d2468" };
	uint32_t n, i, rounds = 20000;
	size_t first, steady, len;
	double t0, t;
	FILE *f;

	struct watch_params wp;
	char dir[PATH_MAX];

	if (pf_root_set(root) != 0 || realpath(root, dir) == NULL ||
	    strlen(dir) + 6 > sizeof(qc[0].path))
		return 2;
	snprintf(qfile, sizeof(qfile), "/tmp/hr-bench-report-%d", (int)getpid());
	if ((f = fopen(qfile, "w")) == NULL)
		return 2;
	fputs("17\n", f);
	fclose(f);
	memset(&wp, 0, sizeof(wp));
	snprintf(qc[0].name, sizeof(qc[0].name), "spool");
	qc[0].type = PF_QUEUE_DIR;
	memcpy(qc[0].path, dir, strlen(dir));
	memcpy(qc[0].path + strlen(dir), "/proc", 6);
	qc[0].capacity = 1000;
	snprintf(qc[1].name, sizeof(qc[1].name), "jobs");
	qc[1].type = PF_QUEUE_FILE;
	snprintf(qc[1].path, sizeof(qc[1].path), "%s", qfile);
	qc[1].capacity = 100;
	wp.queue = qc;
	wp.nqueues = 2;
	wp.period_us = 1000000;
	wp.horizon_s = 6 * 3600;
	wp.events = true;
	wp.below = 0.1;
	wp.clear = 0.15;
	wp.hold_us = 30000000;
	wp.within_s = 86400;
	watch_init(&wp);
	pf_collect_init(&col, NULL);
	pf_collect(&col, &samp[0]);
	pf_collect(&col, &samp[1]);
	samp[1].mono_us = samp[0].mono_us + 1000000;
	metrics_compute(&samp[0], &samp[1], &met);
	for (busy = 0; busy < 2; busy++) {
		agg_init(&agg);
		first = report(&h, &n);
		h.seq++;
		steady = report(&h, &n);
		t0 = bench_cpu_us();
		for (i = 0; i < rounds; i++)
			senml_pack(&h, recs, n, 0, 0, buf, sizeof(buf), &len);
		t = (bench_cpu_us() - t0) / rounds;
		printf("%-6s first report %5zu B, steady %5zu B (%u records), "
		    "encode %.2f us\n", busy ? "busy" : "static", first, steady,
		    n, t);
		if (busy && argc > 3 && (f = fopen(argv[3], "wb")) != NULL) {
			fwrite(buf, 1, len, f);
			fclose(f);
		}
	}
	t0 = bench_cpu_us();
	for (i = 0; i < rounds; i++)
		watch_sample(&met, pf_mono_us());
	t = (bench_cpu_us() - t0) / rounds;
	printf("watch  %u resources (2 queues probed), %.2f us per sample "
	    "(queue probes, indicators, forecasts, events)\n",
	    ((const struct ind_set *)met.ind)->n, t);
	unlink(qfile);
	return 0;
}
