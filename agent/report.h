/*
 * report.h - the series a report carries and the flat record list the
 * SenML encoder writes.
 *
 * A series is one quantity of one resource: group "disk.sda." + name
 * "util".  Its descriptor says its SenML unit and how it is aggregated
 * over a report interval (docs/schema.md has the full table):
 *
 *   HR_AGG_MEAN_PEAK  the interval mean, and the peak (max) as record
 *                     "<name>.peak" when it differs from the mean;
 *   HR_AGG_SUM        events counted over the interval (OOM kills);
 *   HR_AGG_CAPACITY   a limit that rarely changes (memory size, link
 *                     speed): sent in the first report and again only
 *                     when it changes;
 *   HR_AGG_MIN        the least value of the interval, one record
 *                     (headroom, time to exhaustion: the worst moment);
 *   HR_AGG_MAX        the greatest value of the interval, one record,
 *                     sent only when it reaches HR_AGG_NOTE (anomaly
 *                     scores: a quiet series costs nothing).
 */
#ifndef HR_REPORT_H
#define HR_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "metrics.h"

#define HR_SCHEMA_VERSION 1

enum hr_agg_kind {
	HR_AGG_MEAN_PEAK,
	HR_AGG_SUM,
	HR_AGG_CAPACITY,
	HR_AGG_MIN,
	HR_AGG_MAX
};

struct hr_series_desc {
	const char *name;      /* record name within its group */
	const char *unit;      /* SenML unit: "/", "B", "B/s", "bit/s",
	                          "1/s", "s", "count" */
	uint8_t     kind;      /* enum hr_agg_kind */
};

/* HR_AGG_MAX records are sent from this value up.  For anomaly scores
 * 0.8 is a value about 1 in 60 of a series' values reach (docs/anomaly.md);
 * the flag rises at 0.9. */
#define HR_AGG_NOTE 0.8

/* Called for every series with a known value (NAN values are skipped). */
typedef void (*series_fn)(void *ctx, const char *group,
    const struct hr_series_desc *d, double v);

/* Enumerate the series of one set of metrics, grouped by resource, in a
 * fixed order (within a group, records of the same unit are adjacent). */
void series_each(const struct hr_metrics *m, series_fn fn, void *ctx);

/* Write "<prefix><name>." into dst with characters outside SenML's name
 * alphabet (A-Z a-z 0-9 - : . / _) replaced by '_'.  Returns HR_ETRUNC
 * when it does not fit. */
int series_group(char *dst, size_t cap, const char *prefix,
    const char *name);

/* One record of a report, ready to encode. */
struct hr_rec {
	const char *group;     /* e.g. "disk.sda." (not owned) */
	const char *name;      /* e.g. "util" (not owned) */
	bool        peak;      /* the record is "<name>.peak" */
	const char *unit;      /* NULL for a text record */
	double      v;         /* already quantised (see senml_quantise) */
	const char *vs;        /* non-NULL: a text record (vs, no unit); text
	                          records come first in a pack, before any
	                          base unit is set (senml.c) */
};

#endif
