/*
 * watch.h - what the agent makes of each sample beyond the raw metrics:
 * application-queue probes, indicators (USE, headroom, bottleneck),
 * time to exhaustion of everything that fills, and the events raised
 * and cleared when a resource runs short (docs/indicators.md).
 *
 * One instance per process (like the outbox), all of it fixed-size
 * static storage: IND_MAX resources, one forecast per filling quantity
 * (WATCH_FORECASTS), HR_MAX_QUEUES queues.  A resource that finds no
 * room is counted in watch_stats()->overflow.  Nothing is allocated
 * after watch_init().
 *
 * Order of calls, every sample period:
 *
 *   pf_collect, metrics_compute(prev, cur, &m)
 *   watch_sample(&m, cur.mono_us)   queues into m, indicators into
 *                                   m.ind, forecasts, events
 *   agg_add(&agg, &m)               reports carry them (series.c)
 *
 * and at each report, watch_records() for the interval's bottleneck.
 * An exec queue's command runs asynchronously: its descriptor joins the
 * caller's poll (watch_pollfds / watch_io), so a hung command never
 * blocks the loop; it is killed at its timeout.
 */
#ifndef HR_WATCH_H
#define HR_WATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "../platform/net.h"
#include "conf.h"
#include "indicators.h"
#include "metrics.h"
#include "report.h"

/* mem, cg.mem, conntrack, fd, pid; space and inodes per mount; queues */
#define WATCH_FORECASTS (5 + 2 * HR_MAX_MOUNTS + HR_MAX_QUEUES)
/* anomaly detectors: util, sat, errors of every resource (made when the
 * series first has a value: a host never touches most of them) */
#define WATCH_ANOMS     (IND_NQ * IND_MAX)

enum watch_cond {
	WATCH_HEADROOM,        /* headroom below [events] headroom_below */
	WATCH_EXHAUSTION,      /* full within [events] exhaustion_within */
	WATCH_ANOMALY,         /* a key series' anomaly flag is up
	                          ([events] anomaly; docs/anomaly.md) */
	WATCH_CONDS
};

/* One event, as handed to the caller (valid during the call only). */
struct watch_event {
	int         cond;      /* enum watch_cond */
	bool        raised;    /* false: cleared */
	const char *resource;  /* its report group without the final '.' */
	const char *why;       /* what binds ("rx", "inodes", ...); for an
	                          exhaustion, the side forecast to fill
	                          first; "vanished" for a resource that
	                          went away, "events off" after a reload */
	double      headroom;  /* now, NAN if unknown */
	double      tte;       /* seconds to exhaustion now, NAN if none */
	double      level;     /* the threshold: a headroom fraction,
	                          seconds for WATCH_EXHAUSTION, the flag's
	                          score for WATCH_ANOMALY */
	double      score;     /* WATCH_ANOMALY: the series' score now
	                          (why names the series); NAN otherwise */
	double      held_s;    /* raised: how long the condition had
	                          lasted; cleared: how long it lasted in
	                          all, from its start to the clear */
};

typedef void (*watch_event_fn)(void *ctx, const struct watch_event *ev);

struct watch_params {
	const struct hr_queue_conf *queue;   /* [queue.NAME] sections */
	uint32_t nqueues;
	uint64_t period_us;                  /* sample period */
	double   horizon_s;                  /* forecast trend window */
	bool     events;                     /* decide events at all */
	double   below;                      /* raise below this headroom */
	double   clear;                      /* clear at or above it */
	uint64_t hold_us;                    /* minimum duration, both ways */
	double   within_s;                   /* exhaustion horizon; 0: off */
	bool     anomaly;                    /* anomaly events */
	watch_event_fn on_event;             /* may be NULL */
	void    *ctx;
};

struct watch_stats {
	uint64_t raised, cleared;            /* events since start */
	uint32_t active;                     /* conditions raised now */
	uint64_t probes, probe_failures;     /* queue probes, and failed */
	uint64_t exec_kills;                 /* commands killed */
	uint64_t overflow;                   /* resources, forecasts or
	                                        detectors that found no room */
	uint32_t detectors;                  /* anomaly detectors in use */
};

/* "headroom", "exhaustion", "anomaly": the event's name. */
const char *watch_cond_name(int cond);

/* The parameters a configuration gives ([queue.NAME], [agent]
 * sample_period, [forecast], [events]); no event callback. */
void watch_params_conf(const struct hr_conf *c, struct watch_params *wp);

/* Start (or start over): queues set up, no history.  Queue settings
 * were checked by conf_load; one that still fails is logged and
 * reports no depth. */
void watch_init(const struct watch_params *p);
/* New settings (SIGHUP): running commands are cancelled, queues set up
 * again; forecasts keep their history unless the horizon changed;
 * raised conditions stay raised. */
void watch_reconfigure(const struct watch_params *p);
/* Kill and reap every running command (stop). */
void watch_stop(void);

/* Descriptors of running commands into p (at most max), and their
 * wake-up times into *deadline.  Returns how many were added. */
unsigned watch_pollfds(struct pf_pollfd *p, unsigned max,
    uint64_t *deadline);
/* After poll: advance the commands whose descriptor is ready or whose
 * wake-up time has come.  p/n is the whole poll set. */
void watch_io(const struct pf_pollfd *p, unsigned n, uint64_t now_us);

/* One sample (see above); m->ind points into the watch until the next
 * call.  now_us is the sample's monotonic time. */
void watch_sample(struct hr_metrics *m, uint64_t now_us);

/*
 * The interval's bottleneck as report records (text records first, as
 * senml.h asks): "bottleneck.res" (vs: the resource, e.g. "disk.sda"),
 * "bottleneck.why" (vs), "bottleneck.headroom" (/): the least headroom
 * of any resource at any sample of the interval.  Starts a new
 * interval.  Returns the number of records (0 when no resource had a
 * known headroom, or cap < 3); they stay valid until the next call.
 */
uint32_t watch_records(struct hr_rec *r, uint32_t cap);

const struct watch_stats *watch_stats(void);

#endif
