/*
 * units.h - parsing of durations ("500ms", "10s", "5m", "1h") and sizes
 * ("512", "64KiB", "4MiB", "1GiB"), shared by the CLI and the config.
 */
#ifndef HR_UNITS_H
#define HR_UNITS_H

#include <stdint.h>

/* Duration to microseconds.  A bare number means seconds.  Returns 0 or
 * HR_EINVAL (syntax, unknown unit) / HR_ERANGE (overflow). */
int units_duration_us(const char *s, uint64_t *us);
/* Size to bytes (binary units KiB, MiB, GiB; also K, M, G as binary). */
int units_size_bytes(const char *s, uint64_t *bytes);
/* Non-negative decimal integer, whole string. */
int units_uint(const char *s, uint64_t max, uint64_t *v);

#endif
