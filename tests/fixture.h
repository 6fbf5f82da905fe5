/*
 * fixture.h - shared set-up of the tests that sample the recorded host
 * trees (tests/fixtures) or make metrics by hand.  Include after
 * <cmocka.h>, "platform/collect.h" and "agent/metrics.h".
 */
#ifndef HR_TEST_FIXTURE_H
#define HR_TEST_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Point the platform at tests/fixtures/<name> (or $HR_FIXTURES/<name>). */
static inline void
fixture_root(const char *name)
{
	const char *dir = getenv("HR_FIXTURES");
	char root[1024];
	int n;

	n = snprintf(root, sizeof(root), "%s/%s",
	    dir != NULL && dir[0] != '\0' ? dir : "tests/fixtures", name);
	assert_true(n > 0 && (size_t)n < sizeof(root));
	if (pf_root_set(root) != 0)
		fail_msg("fixture %s: cannot use it as the root (run the test "
		    "from the project top or set HR_FIXTURES)", root);
}

/* A fresh collector with a zeroed configuration. */
static inline void
fixture_collector(struct pf_collector *col)
{
	struct pf_collect_conf conf;

	memset(&conf, 0, sizeof(conf));
	memset(col, 0, sizeof(*col));
	pf_collect_init(col, &conf);
}

static inline int
fixture_collect(struct pf_collector *col, struct hr_sample *s)
{
	memset(s, 0, sizeof(*s));
	return pf_collect(col, s);
}

/* Metrics with everything the indicators read unknown, as
 * metrics_compute leaves an absent signal; dt_s between the samples. */
static inline void
metrics_unknown(struct hr_metrics *m, double dt_s)
{
	uint32_t i;

	memset(m, 0, sizeof(*m));
	m->dt_s = dt_s;
	m->cpu.util = m->cpus_online = m->procs_running = HR_NAN;
	m->mem_util = m->oom_kills = HR_NAN;
	m->psi_mem.some = HR_NAN;
	m->conntrack_fill = m->fd_fill = m->pid_fill = HR_NAN;
	m->cg_cpu_util = m->cg_throttled = m->cg_mem_util = HR_NAN;
	for (i = 0; i < HR_MAX_MOUNTS; i++)
		m->mount[i].util = m->mount[i].inodes_util = HR_NAN;
}

#endif
