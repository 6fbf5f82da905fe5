/*
 * test_indicators.c - USE, headroom and bottleneck from hand-made
 * metrics, each value computed by hand from the table in indicators.h.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "agent/indicators.h"

static struct hr_metrics M;
static struct ind_set    S;

#define NEAR(a, b) \
	assert_true(fabs((a) - (double)(b)) < 1e-12 * (1 + fabs((double)(b))))
#define ISNAN(a)   assert_true(isnan(a))

/* Everything unknown, as metrics_compute leaves an absent signal. */
static void
blank(struct hr_metrics *m)
{
	uint32_t i;

	memset(m, 0, sizeof(*m));
	m->dt_s = 10;
	m->cpu.util = m->cpus_online = m->procs_running = HR_NAN;
	m->mem_util = m->oom_kills = HR_NAN;
	m->psi_mem.some = HR_NAN;
	m->conntrack_fill = m->fd_fill = m->pid_fill = HR_NAN;
	m->cg_cpu_util = m->cg_throttled = m->cg_mem_util = HR_NAN;
	for (i = 0; i < HR_MAX_MOUNTS; i++)
		m->mount[i].util = m->mount[i].inodes_util = HR_NAN;
}

static const struct ind_res *
find(const char *group)
{
	uint32_t i;

	for (i = 0; i < S.n; i++)
		if (strcmp(S.r[i].group, group) == 0)
			return &S.r[i];
	fail_msg("no resource %s", group);
	return &S.r[0];          /* not reached: fail_msg ends the test */
}

static void
host(struct hr_metrics *m)
{
	blank(m);
	m->ncpu = 4;
	m->cpu.util = 0.5;
	m->cpus_online = 4;
	m->procs_running = 10;
	m->mem_util = 0.7;
	m->psi_mem.some = 0.125;
	m->oom_kills = 2;
	m->conntrack_fill = 0.25;
	m->fd_fill = 0.01;
	m->pid_fill = 0.02;
	m->ndisks = 1;
	strcpy(m->disk[0].name, "sda");
	m->disk[0].util = 0.9;
	m->disk[0].queue = 3.5;
	m->nifaces = 2;
	strcpy(m->iface[0].name, "eth0");
	m->iface[0].rx_util = 0.3;
	m->iface[0].tx_util = 0.6;
	m->iface[0].rx_drop = 1;
	m->iface[0].tx_drop = 2;
	m->iface[0].rx_errs = 0.5;
	m->iface[0].tx_errs = HR_NAN;
	strcpy(m->iface[1].name, "wlan0");       /* speed unknown */
	m->iface[1].rx_util = m->iface[1].tx_util = HR_NAN;
	m->iface[1].rx_drop = m->iface[1].tx_drop = 0;
	m->iface[1].rx_errs = m->iface[1].tx_errs = 0;
	m->nmounts = 2;
	strcpy(m->mount[0].path, "/");
	m->mount[0].util = 0.5;
	m->mount[0].inodes_util = 0.1;
	strcpy(m->mount[1].path, "/var/spool");
	m->mount[1].util = 0.4;
	m->mount[1].inodes_util = 0.85;
}

static void
t_use(void **state)
{
	const struct ind_res *r;

	(void)state;
	host(&M);
	indicators_compute(&M, &S);

	r = find("cpu.");
	NEAR(r->util, 0.5);
	NEAR(r->sat, (10.0 - 4) / 4);            /* 6 waiting on 4 CPUs */
	ISNAN(r->errors);
	NEAR(r->headroom, 0.5);

	r = find("mem.");
	NEAR(r->util, 0.7);
	NEAR(r->sat, 0.125);
	NEAR(r->errors, 2.0 / 10);               /* 2 kills in 10 s */
	NEAR(r->headroom, 0.3);

	r = find("disk.sda.");
	NEAR(r->util, 0.9);
	NEAR(r->sat, 3.5);
	ISNAN(r->errors);
	NEAR(r->headroom, 0.1);

	r = find("net.eth0.");
	NEAR(r->util, 0.6);                      /* tx binds */
	assert_string_equal(r->why, "tx");
	NEAR(r->sat, 3);                         /* 1 + 2 drops/s */
	NEAR(r->errors, 0.5);                    /* tx errors unknown */

	r = find("net.wlan0.");
	ISNAN(r->util);                          /* unknown speed: no guess */
	ISNAN(r->headroom);
	NEAR(r->sat, 0);

	r = find("fs/var/spool.");
	NEAR(r->util, 0.85);                     /* inodes bind */
	assert_string_equal(r->why, "inodes");
	r = find("fs/.");
	NEAR(r->util, 0.5);
	assert_string_equal(r->why, "space");

	NEAR(find("conntrack.")->headroom, 0.75);
	NEAR(find("fd.")->util, 0.01);
	NEAR(find("pid.")->util, 0.02);
	/* not present: no cgroup resources */
	for (uint32_t i = 0; i < S.n; i++)
		assert_true(strncmp(S.r[i].group, "cg.", 3) != 0);
}

static void
t_bottleneck(void **state)
{
	(void)state;
	host(&M);
	indicators_compute(&M, &S);
	/* disk 0.1 < inodes of /var/spool 0.15 < mem 0.3 ... */
	assert_int_not_equal(S.bottleneck, -1);
	assert_string_equal(S.r[S.bottleneck].group, "disk.sda.");

	M.mount[1].inodes_util = 0.95;
	indicators_compute(&M, &S);
	assert_string_equal(S.r[S.bottleneck].group, "fs/var/spool.");
	assert_string_equal(S.r[S.bottleneck].why, "inodes");
	NEAR(S.r[S.bottleneck].headroom, 0.05);

	/* a tie: the first in the documented order (host-wide) binds */
	M.mount[1].inodes_util = 0.1;
	M.mount[1].util = 0.1;
	M.disk[0].util = 0.7;
	indicators_compute(&M, &S);
	assert_string_equal(S.r[S.bottleneck].group, "mem.");
}

static void
t_cgroup_and_clamp(void **state)
{
	const struct ind_res *r;

	(void)state;
	host(&M);
	M.cg_cpu_util = 1.25;                    /* a burst over the quota */
	M.cg_throttled = 0.4;
	M.cg_mem_util = 0.5;
	indicators_compute(&M, &S);
	r = find("cg.cpu.");
	NEAR(r->util, 1);
	NEAR(r->headroom, 0);
	NEAR(r->sat, 0.4);
	assert_string_equal(r->why, "cpu quota");
	NEAR(find("cg.mem.")->util, 0.5);
	assert_string_equal(S.r[S.bottleneck].group, "cg.cpu.");
}

static void
t_nothing_known(void **state)
{
	(void)state;
	blank(&M);
	indicators_compute(&M, &S);
	assert_int_equal(S.n, 0);
	assert_int_equal(S.bottleneck, -1);
	/* only an interface of unknown speed: listed, but no bottleneck */
	M.nifaces = 1;
	strcpy(M.iface[0].name, "eth0");
	M.iface[0].rx_util = M.iface[0].tx_util = HR_NAN;
	M.iface[0].rx_drop = M.iface[0].tx_drop = HR_NAN;
	M.iface[0].rx_errs = M.iface[0].tx_errs = HR_NAN;
	indicators_compute(&M, &S);
	assert_int_equal(S.n, 1);
	assert_int_equal(S.bottleneck, -1);
	ISNAN(S.r[0].sat);
	ISNAN(S.r[0].errors);
}

static void
t_full_tables(void **state)
{
	uint32_t i;

	(void)state;
	blank(&M);
	M.cpu.util = 0.1;
	M.mem_util = 0.1;
	M.conntrack_fill = M.fd_fill = M.pid_fill = 0.1;
	M.cg_cpu_util = M.cg_mem_util = 0.1;
	M.ndisks = HR_MAX_DISKS;
	for (i = 0; i < M.ndisks; i++) {
		snprintf(M.disk[i].name, sizeof(M.disk[i].name), "d%u", i);
		M.disk[i].util = 0.2;
	}
	M.nifaces = HR_MAX_IFACES;
	for (i = 0; i < M.nifaces; i++) {
		snprintf(M.iface[i].name, sizeof(M.iface[i].name), "e%u", i);
		M.iface[i].rx_util = M.iface[i].tx_util = 0.3;
	}
	M.nmounts = HR_MAX_MOUNTS;
	for (i = 0; i < M.nmounts; i++) {
		snprintf(M.mount[i].path, sizeof(M.mount[i].path), "/m%u", i);
		M.mount[i].util = 0.4;
	}
	indicators_compute(&M, &S);
	/* every resource of the largest host fits the table */
	assert_int_equal(S.n, IND_MAX);
	assert_string_equal(S.r[S.bottleneck].group, "fs/m0.");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_use),
		cmocka_unit_test(t_bottleneck),
		cmocka_unit_test(t_cgroup_and_clamp),
		cmocka_unit_test(t_nothing_known),
		cmocka_unit_test(t_full_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
