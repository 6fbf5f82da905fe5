/*
 * agg.h - aggregation of per-sample metrics into one report interval.
 *
 * Every sample period the caller adds one struct hr_metrics; at the end of
 * the interval agg_finish() turns the accumulated series into the flat
 * record list of a report (struct hr_rec) and starts a new interval.
 *
 * Fixed capacity: HR_MAX_SERIES series per interval.  A small hash index
 * (open addressing on group + name) points into a dense slot array that
 * fills in first-seen order, so the memory a host touches grows with
 * the series it has, not with the table's capacity (the struct is large
 * and meant to be static: untouched pages of it cost no RAM).  A series
 * that does not fit is dropped and counted in agg->overflow, never a
 * crash.  Capacities are remembered across intervals (HR_MAX_CAPS), in
 * the same way, so that each is sent only when it changes.
 */
#ifndef HR_AGG_H
#define HR_AGG_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"
#include "report.h"

struct agg_slot {
	char     group[HR_GROUP_LEN];
	const struct hr_series_desc *d;
	double   sum, max, min, last;
	uint32_t n;
	uint16_t hidx;                          /* its entry in the index */
};

struct agg_cap {
	char     group[HR_GROUP_LEN];
	const struct hr_series_desc *d;
	double   sent;
	uint16_t hidx;
};

struct hr_agg {
	uint16_t        index[HR_MAX_SERIES];   /* slot + 1; 0 = empty */
	struct agg_slot slot[HR_MAX_SERIES];    /* first-seen order */
	uint32_t        norder;                 /* slots in use */
	uint32_t        nsamples;               /* samples in this interval */
	uint64_t        overflow;               /* series dropped (since start) */
	uint16_t        cindex[HR_MAX_CAPS];    /* cap + 1; 0 = empty */
	struct agg_cap  cap[HR_MAX_CAPS];
	uint32_t        ncap;
};

/* Empty aggregator; cannot fail. */
void agg_init(struct hr_agg *a);
/* Add one sample's metrics to the current interval. */
void agg_add(struct hr_agg *a, const struct hr_metrics *m);
/* Add one value of one series (agg_add calls this for every series; a
 * series_fn, so benchmarks and tests can feed synthetic values). */
void agg_add_value(void *a, const char *group,
    const struct hr_series_desc *d, double v);
/*
 * Close the interval: write its records into rec (at most cap), in the
 * order series were first seen, and start a new interval.  Values are
 * quantised for encoding (senml_quantise).  A peak equal to its mean is
 * not written (docs/schema.md: an absent "<name>.peak" equals the mean).
 * Returns the number of records; records beyond cap are counted in
 * a->overflow.  The records point into a: valid until the next agg_add.
 */
uint32_t agg_finish(struct hr_agg *a, struct hr_rec *rec, uint32_t cap);
/* Forget the capacities sent, so the next report carries all of them
 * again (e.g. after a reconnect, for a new subscriber). */
void agg_caps_reset(struct hr_agg *a);

#endif
