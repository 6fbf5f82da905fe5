/*
 * show.h - human and machine views of one struct hr_metrics, as printed
 * by "headroom sample".  Both write into a caller buffer (no allocation)
 * and return the length, or HR_ETRUNC when the buffer is too small.
 * The JSON keys and their units are documented in docs/metrics.md.
 */
#ifndef HR_SHOW_H
#define HR_SHOW_H

#include <stddef.h>

#include "metrics.h"
#include "sample.h"

/* One JSON object on one line (no newline).  seq is the sample number. */
long show_json(const struct hr_metrics *m, const struct hr_sample *s,
    unsigned long seq, char *buf, size_t cap);
/* The table header (two lines, with newline). */
long show_table_header(char *buf, size_t cap);
/* One table row (with newline). */
long show_table_row(const struct hr_metrics *m, char *buf, size_t cap);

#endif
