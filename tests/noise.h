/*
 * noise.h - deterministic noise for the tests that generate series
 * (test_forecast.c, test_anomaly.c): a splitmix64 generator seeded by
 * the FNV-1a hash of the case's name, so every run and every compiler
 * sees the same series, and Gaussian noise as the sum of twelve
 * uniforms (mean 0, standard deviation 1).
 */
#ifndef HR_TEST_NOISE_H
#define HR_TEST_NOISE_H

#include <stdint.h>

static uint64_t rng;

static inline void
seed(const char *s)
{
	rng = 1469598103934665603ull;   /* FNV-1a of the case name */
	while (*s != '\0')
		rng = (rng ^ (uint8_t)*s++) * 1099511628211ull;
}

/* Uniform in [0, 1). */
static inline double
urand(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	return (double)(z >> 11) / 9007199254740992.0;
}

static inline double
gauss(void)
{
	double s = 0;
	int i;

	for (i = 0; i < 12; i++)
		s += urand();
	return s - 6;
}

#endif
