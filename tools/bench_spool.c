/*
 * bench_spool.c - cost of the spool (agent/spool.c) per message.
 * A benchmark, not a test: it prints figures and asserts nothing.
 *
 *   ram      put + next + sent + done through the RAM ring (the path of
 *            every live report while connected)
 *   append   spool_disk_put (an outage), fsync every 10 s (none here)
 *   replay   spool_disk_next + sent + done (after the outage)
 *   restart  spool_init on a full spool: the scan of every segment
 *
 * usage: bench_spool DIR [MESSAGES] [SIZE] [FSYNC_US]
 *   (DIR is emptied and reused; FSYNC_US 0 = fdatasync every record,
 *   default 10 s as the agent's default)
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/spool.h"
#include "platform/platform.h"
#include "tools/bench.h"

static uint8_t payload[256 * 1024];

static uint64_t fsync_us = 10000000;

static void
params(struct spool_params *p, const char *dir)
{
	memset(p, 0, sizeof(*p));
	p->memory = 512 * 1024;
	p->dir = dir;
	p->max_disk = 64u << 20;
	p->fsync_us = fsync_us;
	p->max_message = sizeof(payload);
	p->uid = -1;
}

static void
line(const char *what, unsigned n, double us, uint64_t t0)
{
	printf("  %-8s %7u messages  %8.3f us/message CPU  %8.3f us/message "
	    "wall\n", what, n, us / n,
	    (double)(pf_mono_us() - t0) / n);
}

int
main(int argc, char **argv)
{
	struct spool_params p;
	struct spool_msg m;
	struct spool_ref ref;
	unsigned n = argc > 2 ? (unsigned)atoi(argv[2]) : 20000;
	unsigned size = argc > 3 ? (unsigned)atoi(argv[3]) : 1500, i, got;
	uint64_t t0;
	double c0;
	char cmd[4200];

	if (argc > 4)
		fsync_us = strtoull(argv[4], NULL, 10);
	if (argc < 2 || size > sizeof(payload)) {
		fprintf(stderr, "usage: bench_spool DIR [MESSAGES] [SIZE] "
		    "[FSYNC_US]\n");
		return 2;
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", argv[1]);
	if (system(cmd) != 0)
		return 1;
	for (i = 0; i < size; i++)
		payload[i] = (uint8_t)(i * 7);
	memset(&m, 0, sizeof(m));
	m.data = payload;
	m.len = size;
	params(&p, argv[1]);
	if (spool_init(&p) != 0)
		return 1;
	printf("spool, %u-byte messages (%s, fsync %s):\n", size, argv[1],
	    fsync_us == 0 ? "every record" : "every 10 s or as given");

	c0 = bench_cpu_us();
	t0 = pf_mono_us();
	for (i = 0; i < n; i++) {
		m.seq = i + 1;
		spool_ram_put(&m);
		if (spool_ram_next(false, &ref, &m) == 0) {
			spool_sent(&ref);
			spool_done(&ref);
		}
		m.data = payload;
	}
	line("ram", n, bench_cpu_us() - c0, t0);

	c0 = bench_cpu_us();
	t0 = pf_mono_us();
	for (i = 0; i < n; i++) {
		m.seq = i + 1;
		if (spool_disk_put(&m) != 0)
			break;
	}
	line("append", i, bench_cpu_us() - c0, t0);
	printf("  append: %llu writes, %llu syncs, %llu segment files\n",
	    (unsigned long long)spool_stats()->disk_writes,
	    (unsigned long long)spool_stats()->disk_syncs,
	    (unsigned long long)spool_stats()->segments);
	spool_free();

	c0 = bench_cpu_us();
	t0 = pf_mono_us();
	if (spool_init(&p) != 0)
		return 1;
	printf("  restart  %7llu records   %8.1f ms CPU  %8.1f ms wall "
	    "(%.1f MiB scanned)\n",
	    (unsigned long long)spool_stats()->loaded,
	    (bench_cpu_us() - c0) / 1e3, (double)(pf_mono_us() - t0) / 1e3,
	    (double)spool_stats()->disk_bytes / (1 << 20));

	c0 = bench_cpu_us();
	t0 = pf_mono_us();
	for (got = 0; spool_disk_next(&ref, &m) == 0; got++) {
		spool_sent(&ref);
		spool_done(&ref);
	}
	line("replay", got, bench_cpu_us() - c0, t0);
	printf("  replay: %llu damaged, %.1f MiB left\n",
	    (unsigned long long)spool_stats()->damaged,
	    (double)spool_stats()->disk_bytes / (1 << 20));
	spool_free();
	if (system(cmd) != 0)
		return 1;
	return 0;
}
