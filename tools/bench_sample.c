/*
 * bench_sample.c - CPU cost of one sampling cycle (collect + metrics),
 * measured with getrusage over many cycles, on a recorded host or the
 * live host.  A benchmark, not a test: it prints figures, asserts nothing.
 *
 * usage: bench_sample [ROOT] [CYCLES] [once]
 *   default ROOT tests/fixtures/reference, CYCLES 20000.  With "once", only
 *   CYCLES collect+metrics cycles run and nothing is timed: for
 *   valgrind --tool=callgrind, whose instruction counts are repeatable
 *   (two runs with different CYCLES give the cost of one cycle).
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/metrics.h"
#include "agent/show.h"
#include "platform/collect.h"
#include "platform/platform.h"
#include "tools/bench.h"

static struct pf_collector col;
static struct hr_sample    samp[2];
static struct hr_metrics   met;
static char                out[256 * 1024];

static double
run(int n, int with_metrics, int with_json)
{
	double t0;
	int i, cur = 0;

	t0 = bench_cpu_us();
	for (i = 0; i < n; i++) {
		cur ^= 1;
		pf_collect(&col, &samp[cur]);
		if (with_metrics)
			metrics_compute(&samp[cur ^ 1], &samp[cur], &met);
		if (with_json)
			(void)show_json(&met, &samp[cur], (unsigned long)i, out,
			    sizeof(out));
	}
	return (bench_cpu_us() - t0) / n;
}

int
main(int argc, char **argv)
{
	const char *root = argc > 1 ? argv[1] : "tests/fixtures/reference";
	int n = argc > 2 ? atoi(argv[2]) : 20000;

	if (n <= 0 || pf_root_set(root) != 0) {
		fprintf(stderr, "usage: bench_sample [ROOT] [CYCLES]\n");
		return 2;
	}
	pf_collect_init(&col, NULL);
	pf_collect(&col, &samp[0]);
	if (argc > 3 && strcmp(argv[3], "once") == 0) {
		run(n, 1, 0);
		return 0;
	}
	run(n / 10, 1, 0);                       /* warm caches */
	printf("root=%s cycles=%d\n", root, n);
	printf("collect only:            %8.1f us CPU per sample\n",
	    run(n, 0, 0));
	printf("collect + metrics:       %8.1f us CPU per sample\n",
	    run(n, 1, 0));
	printf("collect + metrics + json:%8.1f us CPU per sample\n",
	    run(n, 1, 1));
	printf("signals present: %d of %d; cpus %u disks %u ifaces %u "
	    "mounts %u\n", pf_collect(&col, &samp[0]), HR_SIG_COUNT,
	    samp[0].ncpu, samp[0].ndisks, samp[0].nifaces, samp[0].nmounts);
	return 0;
}
