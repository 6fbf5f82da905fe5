/*
 * units.c - durations and sizes (see units.h).
 */
#include <string.h>

#include "err.h"
#include "units.h"

/* Leading decimal with optional fraction: "1.5" -> 15, scale 10. */
static int
number(const char **sp, uint64_t *mant, uint64_t *scale)
{
	const char *s = *sp;
	uint64_t m = 0, sc = 1;
	int any = 0, frac = 0;

	for (; *s; s++) {
		if (*s == '.' && !frac) {
			frac = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		if (m > (UINT64_MAX - 9) / 10 || (frac && sc > UINT64_MAX / 10))
			return HR_ERANGE;
		m = m * 10 + (uint64_t)(*s - '0');
		if (frac)
			sc *= 10;
		any = 1;
	}
	if (!any)
		return HR_EINVAL;
	*sp = s;
	*mant = m;
	*scale = sc;
	return 0;
}

static int
scaled(uint64_t mant, uint64_t scale, uint64_t mul, uint64_t *out)
{
	if (mant != 0 && mul > UINT64_MAX / mant)
		return HR_ERANGE;
	*out = mant * mul / scale;
	return 0;
}

struct unit {
	const char *name;
	uint64_t    mul;
};

/* A number followed by one of the units of tab (exact match). */
static int
with_unit(const char *s, const struct unit *tab, size_t n, uint64_t *out)
{
	uint64_t mant, scale;
	size_t i;
	int rc;

	if ((rc = number(&s, &mant, &scale)) != 0)
		return rc;
	for (i = 0; i < n; i++)
		if (strcmp(s, tab[i].name) == 0)
			return scaled(mant, scale, tab[i].mul, out);
	return HR_EINVAL;
}

int
units_duration_us(const char *s, uint64_t *us)
{
	static const struct unit tab[] = {
		{ "us", 1 }, { "ms", 1000 }, { "s", 1000000 }, { "", 1000000 },
		{ "m", 60000000 }, { "h", 3600000000ull },
		{ "d", 86400000000ull },
	};

	return with_unit(s, tab, sizeof(tab) / sizeof(tab[0]), us);
}

int
units_size_bytes(const char *s, uint64_t *bytes)
{
	static const struct unit tab[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1024 }, { "KiB", 1024 },
		{ "M", 1048576 }, { "MiB", 1048576 },
		{ "G", 1073741824 }, { "GiB", 1073741824 },
	};

	return with_unit(s, tab, sizeof(tab) / sizeof(tab[0]), bytes);
}

int
units_uint(const char *s, uint64_t max, uint64_t *v)
{
	uint64_t mant, scale;
	int rc;

	if ((rc = number(&s, &mant, &scale)) != 0)
		return rc;
	if (*s != '\0' || scale != 1)
		return HR_EINVAL;
	if (mant > max)
		return HR_ERANGE;
	*v = mant;
	return 0;
}
