/*
 * test_watch.c - the watch module (agent/watch.h): headroom events with
 * hysteresis and a minimum duration, unknown values, exhaustion events
 * from the forecasts, vanished resources, the interval's bottleneck as
 * report records, queues through the real probes (dir, file, exec, a
 * hung exec), watch_reconfigure, and the event counters.
 *
 * Hand-made metrics are fed at chosen monotonic times (no sleeping);
 * only the exec cases run real commands, in real time.
 */
#define _POSIX_C_SOURCE 200809L   /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "agent/conf.h"
#include "agent/indicators.h"
#include "agent/metrics.h"
#include "agent/report.h"
#include "agent/senml.h"
#include "agent/anomaly.h"
#include "agent/watch.h"
#include "platform/log.h"
#include "platform/net.h"
#include "platform/platform.h"
#include "platform/queue.h"
#include "platform/collect.h"
#include "tests/fixture.h"

#define NEAR(a, b) \
	assert_true(fabs((a) - (double)(b)) < 1e-9 * (1 + fabs((double)(b))))
#define ISNAN(a)   assert_true(isnan(a))

/* sample times: seconds after T0 (never 0: a monotonic clock is not) */
#define T0      (1000ULL * 1000000)
#define AT(t)   (T0 + (uint64_t)((t) * 1e6 + 0.5))

/* ---- event capture ------------------------------------------------------ */

#define MAXEV 64

struct evrec {
	int    cond;
	bool   raised;
	char   resource[HR_GROUP_LEN];
	char   why[64];
	double headroom, tte, level, held_s, score;
	double t;                      /* sample time (s after T0) */
};

static struct evrec EV[MAXEV];
static unsigned     NEV;           /* all events, even past MAXEV */
static double       NOW_S;         /* time of the sample being fed */

static void
capture(void *ctx, const struct watch_event *ev)
{
	struct evrec *e;

	assert_ptr_equal(ctx, &NEV);
	if (NEV < MAXEV) {
		e = &EV[NEV];
		e->cond = ev->cond;
		e->raised = ev->raised;
		snprintf(e->resource, sizeof(e->resource), "%s", ev->resource);
		snprintf(e->why, sizeof(e->why), "%s", ev->why);
		e->headroom = ev->headroom;
		e->tte = ev->tte;
		e->level = ev->level;
		e->held_s = ev->held_s;
		e->score = ev->score;
		e->t = NOW_S;
	}
	NEV++;
}

/* The events of one condition (and direction), counted. */
static unsigned
count(int cond, int raised)
{
	unsigned i, n = 0;

	for (i = 0; i < NEV && i < MAXEV; i++)
		if (EV[i].cond == cond && (raised < 0 ||
		    EV[i].raised == (raised != 0)))
			n++;
	return n;
}

/* The first event of one condition and direction, or fail. */
static const struct evrec *
first(int cond, bool raised)
{
	unsigned i;

	for (i = 0; i < NEV && i < MAXEV; i++)
		if (EV[i].cond == cond && EV[i].raised == raised)
			return &EV[i];
	fail_msg("no %s %s event", cond == WATCH_HEADROOM ? "headroom" :
	    "exhaustion", raised ? "raised" : "cleared");
	return &EV[0];
}

/* The counters say what the callback saw. */
static void
stats_match(void)
{
	const struct watch_stats *st = watch_stats();
	unsigned i, r = 0, c = 0;

	assert_true(NEV <= MAXEV);
	for (i = 0; i < NEV; i++) {
		if (EV[i].raised)
			r++;
		else
			c++;
	}
	assert_int_equal(st->raised, r);
	assert_int_equal(st->cleared, c);
	assert_int_equal(st->active, r - c);
}

/* ---- set-up ------------------------------------------------------------- */

static struct hr_metrics   M;
static struct watch_params P;

/* Everything unknown, as metrics_compute leaves an absent signal. */
static void
blank(struct hr_metrics *m)
{
	metrics_unknown(m, 1);
}

/* Start over: 1 s samples, horizon 640 s, the given event settings. */
static void
start(double below, double clear, double hold_s, double within_s)
{
	memset(&P, 0, sizeof(P));
	P.period_us = 1000000;
	P.horizon_s = 640;
	P.events = true;
	P.below = below;
	P.clear = clear;
	P.hold_us = (uint64_t)(hold_s * 1e6);
	P.within_s = within_s;
	P.on_event = capture;
	P.ctx = &NEV;
	watch_init(&P);
	NEV = 0;
	memset(EV, 0, sizeof(EV));
	blank(&M);
}

static void
sample_at(double t)
{
	NOW_S = t;
	watch_sample(&M, AT(t));
	assert_non_null(M.ind);
}

/* Samples every second from t0 to t1 (both included). */
static void
run(double t0, double t1)
{
	double t;

	for (t = t0; t <= t1 + 1e-9; t += 1)
		sample_at(t);
}

static const struct ind_res *
ind(const char *group)
{
	uint32_t i;

	for (i = 0; i < M.ind->n; i++)
		if (strcmp(M.ind->r[i].group, group) == 0)
			return &M.ind->r[i];
	fail_msg("no resource %s", group);
	return &M.ind->r[0];
}

static const struct hr_queue_m *
queue_m(const char *name)
{
	uint32_t i;

	for (i = 0; i < M.nqueues; i++)
		if (strcmp(M.queue[i].name, name) == 0)
			return &M.queue[i];
	fail_msg("no queue %s", name);
	return &M.queue[0];
}

static void
mount_set(uint32_t i, const char *path, double util, double inodes)
{
	snprintf(M.mount[i].path, sizeof(M.mount[i].path), "%s", path);
	M.mount[i].util = util;
	M.mount[i].inodes_util = inodes;
}

/* ---- 1. headroom: hysteresis and hold ----------------------------------- */

static void
t_headroom_hold(void **state)
{
	const struct evrec *e;

	(void)state;
	start(0.10, 0.15, 30, 0);
	M.mem_util = 0.95;                       /* headroom 0.05 */

	/* low from t = 0: 29 s is not enough */
	run(0, 29);
	assert_int_equal(NEV, 0);
	/* 30 s: raised once */
	sample_at(30);
	assert_int_equal(NEV, 1);
	e = &EV[0];
	assert_int_equal(e->cond, WATCH_HEADROOM);
	assert_true(e->raised);
	assert_string_equal(e->resource, "mem");
	assert_string_equal(e->why, "memory");
	NEAR(e->headroom, 1 - 0.95);
	NEAR(e->level, 0.10);
	NEAR(e->held_s, 30);
	ISNAN(e->tte);                           /* flat: no forecast */
	stats_match();

	/* staying low: nothing more */
	run(31, 200);
	assert_int_equal(NEV, 1);

	/* between below and clear: nothing, however long */
	M.mem_util = 0.88;                       /* headroom 0.12 */
	run(201, 600);
	assert_int_equal(NEV, 1);

	/* at or above clear for 30 s: cleared once */
	M.mem_util = 0.80;                       /* headroom 0.20 */
	run(601, 630);                           /* 29 s */
	assert_int_equal(NEV, 1);
	sample_at(631);
	assert_int_equal(NEV, 2);
	e = &EV[1];
	assert_int_equal(e->cond, WATCH_HEADROOM);
	assert_false(e->raised);
	assert_string_equal(e->resource, "mem");
	assert_string_equal(e->why, "memory");
	NEAR(e->headroom, 1 - 0.80);
	NEAR(e->level, 0.15);
	NEAR(e->held_s, 631);                    /* since t = 0 */
	run(632, 800);
	assert_int_equal(NEV, 2);
	stats_match();
	assert_int_equal(watch_stats()->active, 0);
}

/* The clear threshold is "at or above": a headroom of exactly clear
 * clears, one just below does not (0.5 and 0.25 are exact). */
static void
t_headroom_clear_at(void **state)
{
	(void)state;
	start(0.30, 0.50, 0, 0);
	M.mem_util = 0.75;                       /* headroom 0.25 */
	sample_at(0);
	assert_int_equal(NEV, 1);
	M.mem_util = nextafter(0.5, 1);          /* just below 0.5 */
	run(1, 50);
	assert_int_equal(NEV, 1);
	M.mem_util = 0.5;                        /* exactly 0.5 */
	sample_at(51);
	assert_int_equal(NEV, 2);
	assert_false(EV[1].raised);
	NEAR(EV[1].headroom, 0.5);
	/* and "below" is strict: exactly 0.25 with below 0.25 raises
	 * nothing */
	start(0.25, 0.50, 0, 0);
	M.mem_util = 0.75;
	run(0, 20);
	assert_int_equal(NEV, 0);
	stats_match();
}

static void
t_headroom_flapping(void **state)
{
	int k;

	(void)state;
	start(0.10, 0.15, 30, 0);
	/* crossing the threshold every 5 s for 20 minutes */
	for (k = 0; k < 1200; k++) {
		M.mem_util = (k / 5) % 2 == 0 ? 0.95 : 0.80;
		sample_at(k);
	}
	assert_int_equal(NEV, 0);
	/* low for 29 s, one good sample, low for 29 s, ...: never 30 s */
	for (k = 1200; k < 2400; k++) {
		M.mem_util = (k - 1200) % 30 == 29 ? 0.80 : 0.95;
		sample_at(k);
	}
	assert_int_equal(NEV, 0);
	/* low and in between (0.12) in turn: the in-between samples break
	 * the hold too */
	for (k = 2400; k < 3000; k++) {
		M.mem_util = (k / 7) % 2 == 0 ? 0.95 : 0.88;
		sample_at(k);
	}
	assert_int_equal(NEV, 0);

	/* raised; then flapping above clear never holds 30 s */
	M.mem_util = 0.95;
	run(3000, 3030);
	assert_int_equal(NEV, 1);
	assert_true(EV[0].raised);
	for (k = 3031; k < 4200; k++) {
		M.mem_util = (k / 5) % 2 == 0 ? 0.95 : 0.80;
		sample_at(k);
	}
	assert_int_equal(NEV, 1);
	stats_match();
}

static void
t_headroom_hold_zero(void **state)
{
	(void)state;
	start(0.10, 0.15, 0, 0);
	M.mem_util = 0.80;
	sample_at(0);
	assert_int_equal(NEV, 0);
	/* acts on the first sample */
	M.mem_util = 0.95;
	sample_at(1);
	assert_int_equal(NEV, 1);
	assert_true(EV[0].raised);
	NEAR(EV[0].held_s, 0);
	NEAR(EV[0].level, 0.10);
	sample_at(2);
	assert_int_equal(NEV, 1);
	/* in between: nothing */
	M.mem_util = 0.88;
	sample_at(3);
	assert_int_equal(NEV, 1);
	/* clears on the first good sample; held since t = 1 */
	M.mem_util = 0.80;
	sample_at(4);
	assert_int_equal(NEV, 2);
	assert_false(EV[1].raised);
	NEAR(EV[1].held_s, 3);
	NEAR(EV[1].level, 0.15);
	stats_match();
}

/* ---- 2. unknown values -------------------------------------------------- */

static void
t_unknown(void **state)
{
	(void)state;
	start(0.10, 0.15, 10, 0);
	/* an interface stays in the table when its speed is unknown: its
	 * headroom is then NAN */
	M.nifaces = 1;
	strcpy(M.iface[0].name, "eth0");
	M.iface[0].rx_util = 0.95;
	M.iface[0].tx_util = 0.20;
	M.iface[0].speed_bps = 1e9;

	/* low for 5 s, then unknown for long: no raise */
	run(0, 5);
	M.iface[0].rx_util = M.iface[0].tx_util = HR_NAN;
	run(6, 200);
	ISNAN(ind("net.eth0.")->headroom);
	assert_int_equal(NEV, 0);
	/* known and low again: the hold counts from there, not from t = 0 */
	M.iface[0].rx_util = 0.95;
	run(201, 210);
	assert_int_equal(NEV, 0);
	sample_at(211);
	assert_int_equal(NEV, 1);
	assert_true(EV[0].raised);
	assert_string_equal(EV[0].resource, "net.eth0");
	assert_string_equal(EV[0].why, "rx");
	NEAR(EV[0].held_s, 10);

	/* unknown while raised, past the grace period: no clear (the
	 * resource is still there) */
	M.iface[0].rx_util = M.iface[0].tx_util = HR_NAN;
	run(212, 400);
	assert_int_equal(NEV, 1);
	/* an unknown sample in a good run restarts the clear hold */
	M.iface[0].rx_util = 0.5;
	run(401, 405);
	M.iface[0].rx_util = HR_NAN;
	sample_at(406);
	M.iface[0].rx_util = 0.5;
	run(407, 416);
	assert_int_equal(NEV, 1);
	sample_at(417);
	assert_int_equal(NEV, 2);
	assert_false(EV[1].raised);
	NEAR(EV[1].held_s, 417 - 201);

	/* a fill that is unknown for less than the grace period: the
	 * resource leaves the table for a while, nothing happens */
	start(0.10, 0.15, 0, 0);
	M.mem_util = 0.95;
	sample_at(0);
	assert_int_equal(NEV, 1);
	M.mem_util = HR_NAN;
	run(1, 59);
	assert_int_equal(NEV, 1);
	M.mem_util = 0.95;
	run(60, 70);
	assert_int_equal(NEV, 1);
	stats_match();
}

/* ---- 3. exhaustion ------------------------------------------------------ */

static void
t_exhaustion(void **state)
{
	const struct evrec *e;
	double t, truth;

	(void)state;
	/* conntrack fills at 0.001/s from 0.1: full at t = 900 s; raise
	 * when full within 300 s, held 10 s */
	start(0.10, 0.15, 10, 300);
	for (t = 0; t <= 700; t += 1) {
		M.conntrack_fill = 0.1 + 0.001 * t;
		sample_at(t);
	}
	assert_int_equal(count(WATCH_EXHAUSTION, 1), 1);
	assert_int_equal(count(WATCH_EXHAUSTION, 0), 0);
	assert_int_equal(count(WATCH_HEADROOM, -1), 0);     /* fill <= 0.8 */
	e = first(WATCH_EXHAUSTION, true);
	assert_string_equal(e->resource, "conntrack");
	assert_string_equal(e->why, "conntrack table");
	NEAR(e->level, 300);
	NEAR(e->headroom, 1 - (0.1 + 0.001 * e->t));
	truth = 900 - e->t;
	print_message("exhaustion raised at t=%g s: tte %.1f s, true %.1f s,"
	    " held %g s\n", e->t, e->tte, truth, e->held_s);
	assert_true(fabs(e->tte - truth) <= 0.2 * truth);
	/* raised once the forecast said "within 300 s" for 10 s: not
	 * before 610 s (by the truth, minus 20 %), nor long after */
	assert_true(e->t >= 900 - 300 * 1.2 + 10);
	assert_true(e->t <= 700);
	NEAR(e->held_s, 10);
	assert_true(e->tte < 300);
	/* the indicator carries the same estimate */
	assert_true(fabs(ind("conntrack.")->tte - 200) <= 0.2 * 200);

	/* reset: the fill drops to 0.1 and stays there */
	M.conntrack_fill = 0.1;
	for (t = 701; t <= 2000; t += 1)
		sample_at(t);
	assert_int_equal(count(WATCH_EXHAUSTION, 1), 1);
	assert_int_equal(count(WATCH_EXHAUSTION, 0), 1);
	e = first(WATCH_EXHAUSTION, false);
	assert_string_equal(e->resource, "conntrack");
	NEAR(e->level, 300 * 1.5);
	ISNAN(e->tte);
	print_message("exhaustion cleared at t=%g s, held %g s\n", e->t,
	    e->held_s);
	assert_true(e->t >= 711 && e->t <= 711 + 30);
	assert_int_equal(count(WATCH_HEADROOM, -1), 0);
	stats_match();
}

/* A flat fill with noise never raises one. */
static void
t_exhaustion_flat(void **state)
{
	uint32_t x = 12345;
	double t, noise;

	(void)state;
	start(0.10, 0.15, 0, 3600);              /* hold 0: the first
						    forecast would raise */
	M.nmounts = 1;
	for (t = 0; t <= 4000; t += 1) {
		x = x * 1103515245u + 12345u;
		noise = ((double)(x >> 8 & 0xffff) / 65535.0 - 0.5) * 0.04;
		M.fd_fill = 0.5 + noise;
		M.mem_util = 0.6 + noise / 2;
		mount_set(0, "/data", 0.7 + noise, 0.3 - noise);
		sample_at(t);
	}
	assert_int_equal(NEV, 0);
	ISNAN(ind("fd.")->tte);
	ISNAN(ind("fs/data.")->tte);
	stats_match();
}

/* A mount's inodes fill faster than its space: the sooner of the two
 * forecasts counts. */
static void
t_exhaustion_inodes(void **state)
{
	const struct evrec *e;
	double t;

	(void)state;
	start(0.10, 0.15, 0, 300);
	M.nmounts = 1;
	for (t = 0; t <= 700; t += 1) {
		/* space fuller (0.8 up) but full only at 4000 s, inodes
		 * full at 900 s */
		mount_set(0, "/var/spool", 0.8 + 0.00005 * t,
		    0.1 + 0.001 * t);
		sample_at(t);
	}
	assert_int_equal(count(WATCH_EXHAUSTION, 1), 1);
	e = first(WATCH_EXHAUSTION, true);
	assert_string_equal(e->resource, "fs/var/spool");
	/* what will run out is the inodes, though space is fuller (and
	 * binds the headroom) */
	assert_string_equal(e->why, "inodes");
	assert_string_equal(ind("fs/var/spool.")->why, "space");
	assert_true(fabs(e->tte - (900 - e->t)) <= 0.2 * (900 - e->t));
	assert_true(fabs(ind("fs/var/spool.")->tte - 200) <= 0.2 * 200);
	stats_match();
}

/* ---- 4. vanished -------------------------------------------------------- */

static void
t_vanished(void **state)
{
	const struct evrec *e;

	(void)state;
	start(0.10, 0.15, 0, 0);
	M.mem_util = 0.5;
	M.nmounts = 1;
	mount_set(0, "/data", 0.95, HR_NAN);
	sample_at(0);
	assert_int_equal(NEV, 1);
	assert_string_equal(EV[0].resource, "fs/data");
	assert_string_equal(EV[0].why, "space");

	/* gone for less than the grace period, then back: nothing */
	M.nmounts = 0;
	run(1, 59);
	assert_int_equal(NEV, 1);
	M.nmounts = 1;
	sample_at(60);
	assert_int_equal(NEV, 1);

	/* gone: last seen at 60, cleared at 120 (GRACE_US), not before */
	M.nmounts = 0;
	run(61, 119);
	assert_int_equal(NEV, 1);
	assert_int_equal(watch_stats()->active, 1);
	sample_at(120);
	assert_int_equal(NEV, 2);
	e = &EV[1];
	assert_int_equal(e->cond, WATCH_HEADROOM);
	assert_false(e->raised);
	assert_string_equal(e->resource, "fs/data");
	assert_string_equal(e->why, "vanished");
	ISNAN(e->headroom);
	ISNAN(e->tte);
	NEAR(e->held_s, 120);
	run(121, 300);
	assert_int_equal(NEV, 2);
	stats_match();
	assert_int_equal(watch_stats()->active, 0);

	/* back later: a new resource, raised anew */
	M.nmounts = 1;
	sample_at(301);
	assert_int_equal(NEV, 3);
	assert_true(EV[2].raised);
	NEAR(EV[2].held_s, 0);
	stats_match();
}

/* ---- 5. bottleneck records ---------------------------------------------- */

static const struct hr_rec *
rec(const struct hr_rec *r, uint32_t n, const char *name)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(r[i].name, name) == 0)
			return &r[i];
	fail_msg("no record %s", name);
	return &r[0];
}

static void
t_bottleneck(void **state)
{
	struct hr_rec r[8];
	uint32_t n;

	(void)state;
	start(0.10, 0.15, 0, 0);
	P.events = false;
	watch_init(&P);
	assert_int_equal(watch_records(r, 8), 0);     /* nothing yet */

	/* t0: conntrack binds (0.3); t1: /var binds (0.08); t2: the cpu
	 * (0.15), /var gone */
	M.mem_util = 0.5;
	M.conntrack_fill = 0.7;
	sample_at(0);
	assert_int_equal(M.ind->bottleneck >= 0, 1);
	assert_string_equal(M.ind->r[M.ind->bottleneck].group, "conntrack.");
	M.nmounts = 1;
	mount_set(0, "/var", 0.92, 0.5);
	sample_at(1);
	M.nmounts = 0;
	M.cpu.util = 0.85;
	sample_at(2);
	assert_string_equal(M.ind->r[M.ind->bottleneck].group, "cpu.");

	n = watch_records(r, 8);
	/* the bottleneck, then the interval's anomaly figures */
	assert_int_equal(n, 5);
	assert_string_equal(r[3].group, "anomaly.");
	assert_string_equal(r[3].name, "rate");
	assert_string_equal(r[4].name, "max");
	assert_true(r[3].v >= 0 && r[3].v <= 1);
	assert_true(r[4].v >= 0 && r[4].v <= 1);
	/* text records first */
	assert_string_equal(r[0].group, "bottleneck.");
	assert_string_equal(r[0].name, "res");
	assert_null(r[0].unit);
	assert_string_equal(r[0].vs, "fs/var");
	assert_string_equal(r[1].group, "bottleneck.");
	assert_string_equal(r[1].name, "why");
	assert_null(r[1].unit);
	assert_string_equal(r[1].vs, "space");
	assert_string_equal(r[2].group, "bottleneck.");
	assert_string_equal(r[2].name, "headroom");
	assert_null(r[2].vs);
	assert_string_equal(r[2].unit, "/");
	assert_true(r[2].v == senml_quantise("/", 1 - 0.92));
	assert_true(fabs(r[2].v - 0.08) < 1e-3);
	assert_false(r[2].peak);

	/* the records stay valid over later samples */
	M.cpu.util = 0.99;
	sample_at(3);
	assert_string_equal(rec(r, n, "res")->vs, "fs/var");
	assert_string_equal(rec(r, n, "why")->vs, "space");

	/* a new interval: just t3 */
	n = watch_records(r, 8);
	assert_int_equal(n, 5);
	assert_string_equal(r[0].vs, "cpu");
	assert_string_equal(r[1].vs, "cpu time");
	assert_true(r[2].v == senml_quantise("/", 1 - 0.99));

	/* nothing sampled since: nothing */
	assert_int_equal(watch_records(r, 8), 0);

	/* too little room for the bottleneck: the anomaly figures only,
	 * the bottleneck waits for the next call */
	sample_at(4);
	assert_int_equal(watch_records(r, 2), 2);
	assert_string_equal(r[0].group, "anomaly.");
	assert_int_equal(watch_records(r, 0), 0);
	assert_int_equal(watch_records(r, 3), 3);
	assert_string_equal(r[0].group, "bottleneck.");

	/* no known headroom at all: nothing (an interface of unknown
	 * speed) */
	blank(&M);
	M.nifaces = 1;
	strcpy(M.iface[0].name, "eth0");
	M.iface[0].rx_util = M.iface[0].tx_util = HR_NAN;
	(void)watch_records(r, 8);
	sample_at(5);
	sample_at(6);
	assert_int_equal(M.ind->bottleneck, -1);
	/* no bottleneck record; the interface's error rate has a detector */
	n = watch_records(r, 8);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].group, "anomaly.");

	/* a tie over the interval: the first one seen stays */
	blank(&M);
	M.mem_util = 0.75;
	sample_at(7);
	M.mem_util = 0.5;
	M.fd_fill = 0.75;
	sample_at(8);
	assert_int_equal(watch_records(r, 8), 5);
	assert_string_equal(r[0].vs, "mem");
	assert_string_equal(r[1].vs, "memory");
	assert_true(r[2].v == 0.25);
	assert_int_equal(NEV, 0);                    /* events off */
	stats_match();
}

/*
 * Anomaly events: memory steady (a fixed wobble) for 300 s, one sample
 * at 0.9, steady again.  One raise on "mem" naming its utilisation, at
 * the spike, with the flag's score; one clear after the flag's quiet
 * samples (ANOM_QUIET_N); the records of the interval say so.
 */
static void
t_anomaly(void **state)
{
	struct hr_rec r[8];
	const struct evrec *e;
	double t;

	(void)state;
	start(0.01, 0.02, 0, 0);
	P.anomaly = true;
	watch_init(&P);
	for (t = 0; t < 300; t++) {
		M.mem_util = 0.40 + 0.002 * ((int)t % 5 - 2);
		sample_at(t);
	}
	assert_int_equal(count(WATCH_ANOMALY, -1), 0);
	assert_true(ind("mem.")->anom[IND_Q_UTIL] < ANOM_RAISE);
	assert_true(isnan(ind("mem.")->anom[IND_Q_SAT]));   /* no value */
	(void)watch_records(r, 8);                         /* new interval */
	assert_true(watch_stats()->detectors >= 1);

	M.mem_util = 0.90;
	sample_at(300);
	assert_int_equal(count(WATCH_ANOMALY, 1), 1);
	e = first(WATCH_ANOMALY, true);
	assert_string_equal(e->resource, "mem");
	assert_string_equal(e->why, "util");
	assert_true(e->t == 300);
	assert_true(e->level == ANOM_RAISE);
	assert_true(e->score >= ANOM_RAISE && e->score <= 1);
	assert_true(fabs(e->headroom - 0.10) < 1e-9);
	assert_true(isnan(e->tte) || e->tte > 0);

	for (t = 301; t <= 340; t++) {
		M.mem_util = 0.40 + 0.002 * ((int)t % 5 - 2);
		sample_at(t);
	}
	assert_int_equal(count(WATCH_ANOMALY, 1), 1);
	assert_int_equal(count(WATCH_ANOMALY, 0), 1);
	e = first(WATCH_ANOMALY, false);
	assert_string_equal(e->why, "util");
	/* ANOM_QUIET_N samples in a row below the clear level: at the
	 * earliest 10 s after the spike */
	assert_true(e->t >= 300 + ANOM_QUIET_N && e->t <= 330);
	assert_true(e->held_s == e->t - 300);
	assert_true(e->score < ANOM_CLEAR * ANOM_RAISE);

	/* the interval's figures: the spike's score, some flagged samples */
	assert_int_equal(watch_records(r, 8), 5);
	assert_string_equal(r[3].name, "rate");
	assert_true(r[3].v > 0 && r[3].v < 1);
	assert_string_equal(r[4].name, "max");
	assert_true(r[4].v >= ANOM_RAISE);
	stats_match();

	/* off by a reload: nothing raised any more, on the same spike */
	P.anomaly = false;
	watch_reconfigure(&P);
	M.mem_util = 0.95;
	sample_at(341);
	assert_int_equal(count(WATCH_ANOMALY, 1), 1);
	stats_match();
}

/* ---- 6. queues ---------------------------------------------------------- */

static char TMP[128];

static void
tmp_path(char *dst, size_t cap, const char *name)
{
	snprintf(dst, cap, "%s/%s", TMP, name);
}

static void
touch(const char *dir, int i)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/item%03d", dir, i);
	f = fopen(p, "w");
	assert_non_null(f);
	fclose(f);
}

static void
write_num(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void
rm_tree(const char *dir)
{
	char p[512];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((d = readdir(dp)) != NULL) {
		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, d->d_name);
		if (unlink(p) != 0)
			rm_tree(p);
	}
	closedir(dp);
	(void)rmdir(dir);
}

static int
tmp_setup(void **state)
{
	(void)state;
	snprintf(TMP, sizeof(TMP), "/tmp/hr-test-watch-XXXXXX");
	return mkdtemp(TMP) == NULL ? -1 : 0;
}

static int
tmp_teardown(void **state)
{
	(void)state;
	watch_stop();
	rm_tree(TMP);
	return 0;
}

static void
qconf(struct hr_queue_conf *c, const char *name, int type,
    const char *arg, uint64_t capacity, uint64_t timeout_us)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->name, sizeof(c->name), "%s", name);
	c->type = type;
	if (type == PF_QUEUE_EXEC)
		snprintf(c->command, sizeof(c->command), "%s", arg);
	else
		snprintf(c->path, sizeof(c->path), "%s", arg);
	c->capacity = capacity;
	c->timeout_us = timeout_us;
}

static void
t_queue_dir_file(void **state)
{
	struct hr_queue_conf qc[3];
	char spool[256], depth[256], missing[256];
	const struct hr_queue_m *q;
	const struct ind_res *r;
	int i;

	(void)state;
	tmp_path(spool, sizeof(spool), "spool");
	tmp_path(depth, sizeof(depth), "depth");
	tmp_path(missing, sizeof(missing), "missing");
	assert_int_equal(mkdir(spool, 0700), 0);
	for (i = 0; i < 5; i++)
		touch(spool, i);
	write_num(depth, "42\n");
	qconf(&qc[0], "spool", PF_QUEUE_DIR, spool, 10, 0);
	qconf(&qc[1], "backlog", PF_QUEUE_FILE, depth, 40, 0);
	qconf(&qc[2], "gone", PF_QUEUE_DIR, missing, 5, 0);

	start(0.10, 0.15, 0, 0);
	P.events = false;
	P.queue = qc;
	P.nqueues = 3;
	watch_init(&P);

	sample_at(0);
	assert_int_equal(M.nqueues, 3);
	q = queue_m("spool");
	NEAR(q->depth, 5);
	NEAR(q->capacity, 10);
	NEAR(q->util, 0.5);
	ISNAN(q->growth);                        /* one value only */
	NEAR(q->fails, 0);
	r = ind("queue.spool.");
	assert_int_equal(r->kind, IND_QUEUE);
	NEAR(r->headroom, 0.5);
	assert_string_equal(r->why, "depth");
	q = queue_m("backlog");
	NEAR(q->depth, 42);
	NEAR(q->capacity, 40);
	NEAR(q->util, 1);                        /* overfull is full */
	NEAR(ind("queue.backlog.")->headroom, 0);
	q = queue_m("gone");
	ISNAN(q->depth);
	ISNAN(q->util);
	ISNAN(q->growth);
	NEAR(q->fails, 1);
	ISNAN(ind("queue.gone.")->headroom);
	NEAR(ind("queue.gone.")->errors, 1);     /* 1 failure in dt_s 1 */
	/* the bottleneck: the overfull queue */
	assert_string_equal(M.ind->r[M.ind->bottleneck].group,
	    "queue.backlog.");

	/* 2 s later: 3 more items, the number fell to 30 */
	for (i = 5; i < 8; i++)
		touch(spool, i);
	write_num(depth, "30 jobs\n");
	sample_at(2);
	q = queue_m("spool");
	NEAR(q->depth, 8);
	NEAR(q->util, 0.8);
	NEAR(q->growth, 1.5);                    /* 3 items in 2 s */
	r = ind("queue.spool.");
	NEAR(r->headroom, 0.2);
	NEAR(r->sat, 1.5);
	q = queue_m("backlog");
	NEAR(q->depth, 30);
	NEAR(q->util, 0.75);
	NEAR(q->growth, -6);                     /* 12 fewer in 2 s */
	NEAR(ind("queue.backlog.")->sat, 0);     /* draining */
	NEAR(ind("queue.backlog.")->headroom, 0.25);
	NEAR(queue_m("gone")->fails, 1);         /* this sample's failure */

	/* 0.5 s later: the spool is gone */
	rm_tree(spool);
	sample_at(2.5);
	q = queue_m("spool");
	ISNAN(q->depth);
	ISNAN(q->util);
	ISNAN(q->growth);
	NEAR(q->fails, 1);
	/* back with 2 items: a value, but no growth across the failure */
	assert_int_equal(mkdir(spool, 0700), 0);
	touch(spool, 0);
	touch(spool, 1);
	sample_at(3.5);
	q = queue_m("spool");
	NEAR(q->depth, 2);
	NEAR(q->fails, 0);
	ISNAN(q->growth);
	sample_at(4);
	NEAR(queue_m("spool")->growth, 0);
	/* 5 samples of 3 queues; failures: "gone" 5 times, "spool" once */
	assert_int_equal(watch_stats()->probes, 15);
	assert_int_equal(watch_stats()->probe_failures, 6);
	assert_int_equal(watch_stats()->exec_kills, 0);
}

/* Processes whose parent is this one, zombies included. */
static int
children(void)
{
	char p[300], buf[512], *rp;
	struct dirent *d;
	DIR *dp = opendir("/proc");
	int n = 0, fd;
	long ppid;
	ssize_t k;

	assert_non_null(dp);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] < '0' || d->d_name[0] > '9')
			continue;
		snprintf(p, sizeof(p), "/proc/%s/stat", d->d_name);
		if ((fd = open(p, O_RDONLY)) < 0)
			continue;
		k = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (k <= 0)
			continue;
		buf[k] = '\0';
		/* pid (comm) state ppid ... */
		if ((rp = strrchr(buf, ')')) == NULL)
			continue;
		if (sscanf(rp + 1, " %*c %ld", &ppid) == 1 &&
		    ppid == (long)getpid())
			n++;
	}
	closedir(dp);
	return n;
}

/*
 * The agent's loop: poll the commands' descriptors until none runs (or,
 * with until_failure, until one more probe failure has been counted),
 * for at most limit_ms.  Returns the milliseconds it took.
 */
static double
drive(int limit_ms, bool until_failure)
{
	struct pf_pollfd pfd[PF_POLL_MAX];
	uint64_t t0 = pf_mono_us(), now, deadline;
	uint64_t fails0 = watch_stats()->probe_failures;
	unsigned n;
	int ms;

	for (;;) {
		now = pf_mono_us();
		assert_true(now - t0 < (uint64_t)limit_ms * 1000);
		if (until_failure && watch_stats()->probe_failures > fails0)
			break;
		deadline = UINT64_MAX;
		n = watch_pollfds(pfd, PF_POLL_MAX, &deadline);
		if (n == 0 && deadline == UINT64_MAX)
			break;                   /* nothing runs */
		ms = deadline == UINT64_MAX ? 50 : deadline <= now ? 0 :
		    (int)((deadline - now + 999) / 1000);
		if (ms > 50)
			ms = 50;
		assert_true(pf_poll(pfd, n, ms) >= 0);
		watch_io(pfd, n, pf_mono_us());
	}
	return (double)(pf_mono_us() - t0) / 1e3;
}

static void
exec_start(const struct hr_queue_conf *qc, uint32_t n)
{
	start(0.10, 0.15, 0, 0);
	P.events = false;
	P.queue = qc;
	P.nqueues = n;
	watch_init(&P);
}

static void
t_queue_exec(void **state)
{
	struct hr_queue_conf qc;
	const struct hr_queue_m *q;
	int kids = children();

	(void)state;
	qconf(&qc, "ex", PF_QUEUE_EXEC, "/bin/echo 7", 10, 2000000);
	exec_start(&qc, 1);

	/* the first sample starts the command: no value yet */
	watch_sample(&M, pf_mono_us());
	q = queue_m("ex");
	ISNAN(q->depth);
	NEAR(q->fails, 0);
	NEAR(q->capacity, 10);
	assert_int_equal(children(), kids + 1);
	drive(3000, false);
	assert_int_equal(children(), kids);
	/* its value, in the next sample (which starts the next run) */
	watch_sample(&M, pf_mono_us());
	q = queue_m("ex");
	NEAR(q->depth, 7);
	NEAR(q->util, 0.7);
	NEAR(q->fails, 0);
	ISNAN(q->growth);
	NEAR(ind("queue.ex.")->headroom, 0.3);
	drive(3000, false);
	watch_sample(&M, pf_mono_us());
	q = queue_m("ex");
	NEAR(q->depth, 7);
	NEAR(q->growth, 0);
	assert_int_equal(watch_stats()->probes, 2);
	assert_int_equal(watch_stats()->probe_failures, 0);
	/* a run is going: watch_reconfigure cancels it, and the queue
	 * keeps its value and growth (still fresh) */
	assert_int_equal(children(), kids + 1);
	watch_reconfigure(&P);
	assert_int_equal(children(), kids);
	watch_sample(&M, pf_mono_us());
	q = queue_m("ex");
	NEAR(q->depth, 7);
	NEAR(q->growth, 0);
	NEAR(q->fails, 0);
	/* a run is going: watch_stop kills and reaps it */
	assert_int_equal(children(), kids + 1);
	watch_stop();
	assert_int_equal(children(), kids);
	{
		struct pf_pollfd pfd[4];
		uint64_t dl = UINT64_MAX;

		assert_int_equal(watch_pollfds(pfd, 4, &dl), 0);
		assert_true(dl == UINT64_MAX);
	}
}

static void
t_queue_exec_hang(void **state)
{
	struct hr_queue_conf qc;
	const struct hr_queue_m *q;
	uint64_t t0;
	double ms;
	int kids = children();

	(void)state;
	qconf(&qc, "hang", PF_QUEUE_EXEC, "/bin/sleep 30", 10, 200000);
	exec_start(&qc, 1);

	t0 = pf_mono_us();
	watch_sample(&M, t0);
	/* returns at once, the command running */
	assert_true(pf_mono_us() - t0 < 100000);
	assert_int_equal(children(), kids + 1);
	ISNAN(queue_m("hang")->depth);

	/* the failure comes at the timeout, not before, not much after */
	ms = drive(3000, true);
	print_message("hung command failed after %.0f ms\n", ms);
	assert_true(pf_mono_us() - t0 >= 200000);
	assert_true(ms < 1500);
	assert_int_equal(watch_stats()->probe_failures, 1);
	assert_int_equal(watch_stats()->exec_kills, 1);
	/* killed and reaped: no process left */
	drive(1500, false);
	assert_int_equal(children(), kids);

	/* counted at the next sample (which starts another run) */
	watch_sample(&M, pf_mono_us());
	q = queue_m("hang");
	NEAR(q->fails, 1);
	ISNAN(q->depth);
	ISNAN(q->util);
	NEAR(ind("queue.hang.")->errors, 1);
	assert_int_equal(children(), kids + 1);
	/* watch_stop kills the running command */
	t0 = pf_mono_us();
	watch_stop();
	assert_true(pf_mono_us() - t0 < 200000);
	assert_int_equal(children(), kids);
	/* the sample after: the stopped run counted nothing */
	watch_sample(&M, pf_mono_us());
	NEAR(queue_m("hang")->fails, 0);
	watch_stop();
	assert_int_equal(children(), kids);
}

/* ---- 7. reconfigure ----------------------------------------------------- */

static void
t_reconfigure(void **state)
{
	struct hr_queue_conf qc[3];
	char fa[256], fb[256], fc[256];

	(void)state;
	tmp_path(fa, sizeof(fa), "a");
	tmp_path(fb, sizeof(fb), "b");
	tmp_path(fc, sizeof(fc), "c");
	write_num(fa, "10");
	write_num(fb, "1");
	write_num(fc, "3");
	qconf(&qc[0], "a", PF_QUEUE_FILE, fa, 100, 0);
	qconf(&qc[1], "b", PF_QUEUE_FILE, fb, 100, 0);

	start(0.10, 0.15, 0, 0);
	P.queue = qc;
	P.nqueues = 2;
	watch_init(&P);
	M.mem_util = 0.95;
	sample_at(0);
	assert_int_equal(NEV, 1);                 /* mem raised */
	write_num(fa, "12");
	sample_at(1);
	NEAR(queue_m("a")->growth, 2);
	assert_int_equal(M.nqueues, 2);

	/* b removed, c added after a */
	qconf(&qc[1], "c", PF_QUEUE_FILE, fc, 100, 0);
	watch_reconfigure(&P);
	write_num(fa, "15");
	sample_at(2);
	assert_int_equal(M.nqueues, 2);
	assert_string_equal(M.queue[0].name, "a");
	assert_string_equal(M.queue[1].name, "c");
	NEAR(queue_m("a")->depth, 15);
	NEAR(queue_m("a")->growth, 3);           /* continues */
	NEAR(queue_m("c")->depth, 3);
	ISNAN(queue_m("c")->growth);             /* new */
	/* the raised condition stays raised: no new raise while low ... */
	assert_int_equal(NEV, 1);
	assert_int_equal(watch_stats()->active, 1);
	/* ... and it clears when the memory is back */
	M.mem_util = 0.5;
	sample_at(3);
	assert_int_equal(NEV, 2);
	assert_false(EV[1].raised);
	assert_string_equal(EV[1].resource, "mem");
	NEAR(EV[1].held_s, 3);
	stats_match();

	/* a new horizon: the queue keeps its value all the same */
	P.horizon_s = 1280;
	P.nqueues = 1;
	watch_reconfigure(&P);
	write_num(fa, "11");
	sample_at(5);
	assert_int_equal(M.nqueues, 1);
	NEAR(queue_m("a")->growth, -2);
}

/*
 * A queue that stays keeps its value even when the queues before it
 * change: here "a" is first, then second after a new queue "c".
 */
static void
t_reconfigure_reorder(void **state)
{
	struct hr_queue_conf qc[2], qn[2];
	char fa[256], fc[256];

	(void)state;
	tmp_path(fa, sizeof(fa), "a");
	tmp_path(fc, sizeof(fc), "c");
	write_num(fa, "10");
	write_num(fc, "3");
	qconf(&qc[0], "a", PF_QUEUE_FILE, fa, 100, 0);
	start(0.10, 0.15, 0, 0);
	P.queue = qc;
	P.nqueues = 1;
	watch_init(&P);
	sample_at(0);
	write_num(fa, "12");
	sample_at(1);
	NEAR(queue_m("a")->growth, 2);

	qconf(&qn[0], "c", PF_QUEUE_FILE, fc, 100, 0);
	qconf(&qn[1], "a", PF_QUEUE_FILE, fa, 100, 0);
	P.queue = qn;
	P.nqueues = 2;
	watch_reconfigure(&P);
	write_num(fa, "15");
	sample_at(2);
	assert_string_equal(M.queue[1].name, "a");
	NEAR(queue_m("a")->growth, 3);           /* fails: NAN */
}

/* ---- 8. counters -------------------------------------------------------- */

static void
t_stats(void **state)
{
	double t;

	(void)state;
	start(0.10, 0.15, 5, 300);
	assert_int_equal(watch_stats()->raised, 0);
	assert_int_equal(watch_stats()->active, 0);
	M.nmounts = 2;
	mount_set(0, "/", 0.5, 0.2);
	mount_set(1, "/srv", 0.2, 0.1);
	for (t = 0; t <= 800; t += 1) {
		/* mem low from 100 to 300; "/" inodes low from 200 on;
		 * conntrack filling to full at 900 s; "/srv" gone at 400 */
		M.mem_util = t >= 100 && t < 300 ? 0.95 : 0.5;
		M.mount[0].inodes_util = t >= 200 ? 0.97 : 0.2;
		M.conntrack_fill = 0.1 + 0.001 * t;
		M.nmounts = t >= 400 ? 1 : 2;
		sample_at(t);
		stats_match();
	}
	/* mem raised and cleared; "/" raised; conntrack's exhaustion
	 * raised */
	assert_int_equal(count(WATCH_HEADROOM, 1), 2);
	assert_int_equal(count(WATCH_HEADROOM, 0), 1);
	assert_int_equal(count(WATCH_EXHAUSTION, 1), 1);
	assert_int_equal(count(WATCH_EXHAUSTION, 0), 0);
	assert_int_equal(watch_stats()->raised, 3);
	assert_int_equal(watch_stats()->cleared, 1);
	assert_int_equal(watch_stats()->active, 2);
	assert_int_equal(watch_stats()->overflow, 0);

	/* "/" vanishes: cleared; conntrack resets: cleared */
	M.nmounts = 0;
	M.conntrack_fill = 0.1;
	for (t = 801; t <= 900; t += 1) {
		sample_at(t);
		stats_match();
	}
	assert_int_equal(watch_stats()->raised, 3);
	assert_int_equal(watch_stats()->cleared, 3);
	assert_int_equal(watch_stats()->active, 0);

	/* events off: nothing decided, nothing counted */
	start(0.10, 0.15, 0, 300);
	P.events = false;
	watch_init(&P);
	M.mem_util = 0.99;
	run(0, 100);
	assert_int_equal(NEV, 0);
	stats_match();
	/* and watch_init starts the counters over */
	start(0.10, 0.15, 0, 0);
	assert_int_equal(watch_stats()->raised, 0);
	assert_int_equal(watch_stats()->cleared, 0);
	assert_int_equal(watch_stats()->active, 0);
	assert_int_equal(watch_stats()->probes, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_headroom_hold),
		cmocka_unit_test(t_headroom_clear_at),
		cmocka_unit_test(t_headroom_flapping),
		cmocka_unit_test(t_headroom_hold_zero),
		cmocka_unit_test(t_unknown),
		cmocka_unit_test(t_exhaustion),
		cmocka_unit_test(t_exhaustion_flat),
		cmocka_unit_test(t_exhaustion_inodes),
		cmocka_unit_test(t_vanished),
		cmocka_unit_test(t_bottleneck),
		cmocka_unit_test(t_anomaly),
		cmocka_unit_test_setup_teardown(t_queue_dir_file, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(t_queue_exec, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(t_queue_exec_hang, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(t_reconfigure, tmp_setup,
		    tmp_teardown),
		cmocka_unit_test_setup_teardown(t_reconfigure_reorder,
		    tmp_setup, tmp_teardown),
		cmocka_unit_test(t_stats),
	};

	/* failing probes warn by design */
	log_set_level(HR_LOG_ERR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
