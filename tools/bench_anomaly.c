/*
 * bench_anomaly.c - CPU cost of one anomaly detector update
 * (agent/anomaly.c), and its state size.  A benchmark, not a test: it
 * prints figures, asserts nothing (the budget, 2 us per update and
 * 1 KiB per series, is in docs/anomaly.md).
 *
 * usage: bench_anomaly [UPDATES] [SERIES]
 *   default 2000000 updates spread over 64 series (so that the states
 *   do not all sit in L1, as in the agent), values from a fixed-seed
 *   generator: a daily cycle, noise and a spike every 5000 values.
 */
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "agent/anomaly.h"
#include "tools/bench.h"

#define MAXS 1024

static struct anomaly det[MAXS];

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static double
uniform(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (double)((z ^ (z >> 31)) >> 11) / 9007199254740992.0;
}

int
main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 2000000;
	int ns = argc > 2 ? atoi(argv[2]) : 64;
	static double xs[4096];
	double sum = 0, t0, us;
	long i;
	int k;

	if (ns < 1 || ns > MAXS || n < ns)
		return 2;
	for (k = 0; k < 4096; k++)
		xs[k] = 0.5 + 0.3 * sin(k * 0.01) + 0.05 * (uniform() - 0.5) +
		    (k % 5000 == 4000 ? 0.4 : 0);
	for (k = 0; k < ns; k++)
		anomaly_init(&det[k], 0);
	t0 = bench_cpu_us();
	for (i = 0; i < n; i++) {
		int s = (int)(i % ns);
		double t = 1.7e9 + (double)(i / ns) * 10.0;
		sum += anomaly_update(&det[s], t, xs[(i / ns) & 4095], NULL);
	}
	us = bench_cpu_us() - t0;
	printf("anomaly: %zu bytes of state per series (budget 1024)\n",
	    sizeof(struct anomaly));
	printf("anomaly: %ld updates over %d series: %.3f us per update "
	    "(budget 2 us, ratio %.2f)  [checksum %.3f]\n", n, ns,
	    us / (double)n, us / (double)n / 2.0, sum);
	return 0;
}
