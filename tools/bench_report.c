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
 * For each: bytes of the first report (with capacities) and of a
 * steady-state report, and CPU time per report encoding.  Writes the
 * steady-state busy report to FILE when given, for the JSON comparison.
 *
 * usage: bench_report [ROOT] [ID] [FILE]
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agg.h"
#include "agent/metrics.h"
#include "agent/senml.h"
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
		series_each(&met, noisy, &agg);
		agg.nsamples++;
	}
	*nrec = agg_finish(&agg, recs, HR_MAX_RECORDS);
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

	if (pf_root_set(root) != 0)
		return 2;
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
	return 0;
}
