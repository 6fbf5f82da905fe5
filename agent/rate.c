/*
 * rate.c - counter deltas and rates (see rate.h for the wrap/reset rule).
 */
#include <stddef.h>

#include "err.h"
#include "rate.h"

enum hr_delta
rate_delta(uint64_t prev, uint64_t cur, unsigned bits, uint64_t *delta)
{
	uint64_t mask, mod;

	if (cur >= prev) {
		*delta = cur - prev;
		return HR_DELTA_OK;
	}
	mask = bits >= 64 ? UINT64_MAX : (((uint64_t)1 << bits) - 1);
	/* A value above the width cannot come from a wrap of that width. */
	if (prev > mask || cur > mask) {
		*delta = 0;
		return HR_DELTA_RESET;
	}
	mod = (mask - prev) + cur + 1;        /* cannot overflow: prev > cur */
	if (mod <= (mask >> 2) + 1) {     /* at most a quarter of the range */
		*delta = mod;
		return HR_DELTA_WRAP;
	}
	*delta = 0;
	return HR_DELTA_RESET;
}

int
rate_per_s(uint64_t prev, uint64_t cur, unsigned bits, uint64_t dt_us,
    double *rate, enum hr_delta *kind)
{
	uint64_t d;
	enum hr_delta k;

	k = rate_delta(prev, cur, bits, &d);
	if (kind != NULL)
		*kind = k;
	if (dt_us == 0 || k == HR_DELTA_RESET)
		return HR_EAGAIN;
	*rate = (double)d * 1e6 / (double)dt_us;
	return 0;
}
