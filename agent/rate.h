/*
 * rate.h - counter deltas and per-second rates.
 *
 * Counters are unsigned and wrap at 2^bits (32 or 64).  A counter that
 * goes down is either a wrap or a reset (reboot, driver reload, device
 * re-created).  The two cannot be told apart for certain; the rule is:
 *
 *   a decrease is a wrap when the modular delta (2^bits - prev + cur) is
 *   at most a quarter of the counter range, i.e. the counter was near the
 *   top and is now near the bottom; anything else is a reset.
 *
 * A reset gives no rate: the new value is the new baseline.  This is the
 * opposite of guessing a width after the fact (collectd's counter_diff),
 * which turns every reset into a huge rate.
 */
#ifndef HR_RATE_H
#define HR_RATE_H

#include <stdint.h>

enum hr_delta {
	HR_DELTA_OK = 0,   /* cur >= prev: delta = cur - prev */
	HR_DELTA_WRAP,     /* wrapped once: delta is the modular difference */
	HR_DELTA_RESET     /* reset: no delta; cur is the new baseline */
};

/* Delta of a counter of the given width (32 or 64). */
enum hr_delta rate_delta(uint64_t prev, uint64_t cur, unsigned bits,
    uint64_t *delta);

/*
 * Per-second rate of a counter between two samples dt_us apart.
 * Returns 0 and *rate; HR_EAGAIN when there is no rate: time did not
 * advance (dt_us == 0) or the counter was reset.  *kind (may be NULL)
 * receives the delta kind so callers can count wraps and resets.
 */
int rate_per_s(uint64_t prev, uint64_t cur, unsigned bits, uint64_t dt_us,
    double *rate, enum hr_delta *kind);

#endif
