/*
 * scan.c - bounded scanning of procfs/sysfs text (see scan.h).
 */
#include <string.h>

#include "scan.h"

void
scan_init(struct scan *sc, const char *p, size_t len)
{
	sc->p = p;
	sc->end = p + len;
}

/* Blank bytes, by table: the scanners spend most of their time here. */
static const bool blank_tab[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
};

static inline bool
is_blank(char c)
{
	return blank_tab[(unsigned char)c];
}

void
scan_space(struct scan *sc)
{
	while (sc->p < sc->end && is_blank(*sc->p))
		sc->p++;
}

bool
scan_eof(struct scan *sc)
{
	scan_space(sc);
	return sc->p >= sc->end;
}

bool
scan_word(struct scan *sc, const char **w, size_t *wlen)
{
	struct scan t = *sc;    /* the cursor moves only on success */
	const char *s;

	scan_space(&t);
	s = t.p;
	while (t.p < t.end && !is_blank(*t.p))
		t.p++;
	*w = s;
	*wlen = (size_t)(t.p - s);
	if (*wlen == 0)
		return false;
	*sc = t;
	return true;
}

static bool
scan_unsigned(struct scan *sc, uint64_t *v, unsigned base)
{
	struct scan t = *sc;    /* the cursor moves only on success */
	const char *q;
	uint64_t acc = 0;
	const uint64_t lim = UINT64_MAX / base, rem = UINT64_MAX % base;
	int d;

	scan_space(&t);
	q = t.p;
	if (q >= sc->end || scan_digit(*q, base) < 0)
		return false;
	while (q < sc->end && (d = scan_digit(*q, base)) >= 0) {
		/* overflow: reject, never wrap (one division per number,
		 * constant-folded for the two bases, not one per digit) */
		if (acc > lim || (acc == lim && (uint64_t)d > rem))
			return false;
		acc = acc * base + (uint64_t)d;
		q++;
	}
	/* A number must end at a blank or a separator, not inside a word. */
	if (q < sc->end && !is_blank(*q) && *q != '/' && *q != ',' &&
	    *q != ':' && *q != '-')
		return false;
	sc->p = q;
	*v = acc;
	return true;
}

bool
scan_u64(struct scan *sc, uint64_t *v)
{
	return scan_unsigned(sc, v, 10);
}

bool
scan_hex64(struct scan *sc, uint64_t *v)
{
	return scan_unsigned(sc, v, 16);
}

bool
scan_i64(struct scan *sc, int64_t *v)
{
	struct scan t = *sc;
	uint64_t u;
	bool neg = false;

	scan_space(&t);
	if (t.p < t.end && *t.p == '-') {
		neg = true;
		t.p++;
		/* "- 5" is not a number: the digits must follow the sign. */
		if (t.p >= t.end || *t.p < '0' || *t.p > '9')
			return false;
	}
	if (!scan_u64(&t, &u))
		return false;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return false;
		*v = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > (uint64_t)INT64_MAX)
			return false;
		*v = (int64_t)u;
	}
	*sc = t;
	return true;
}

bool
scan_udouble(struct scan *sc, double *v)
{
	struct scan t = *sc;    /* the cursor moves only on success */
	const char *q;
	double acc = 0.0, scale = 1.0;
	bool any = false;

	scan_space(&t);
	q = t.p;
	while (q < sc->end && *q >= '0' && *q <= '9') {
		acc = acc * 10.0 + (*q - '0');
		any = true;
		q++;
	}
	if (q < sc->end && *q == '.') {
		q++;
		while (q < sc->end && *q >= '0' && *q <= '9') {
			scale /= 10.0;
			acc += (*q - '0') * scale;
			any = true;
			q++;
		}
	}
	if (!any || (q < sc->end && !is_blank(*q)))
		return false;
	sc->p = q;
	*v = acc;
	return true;
}

bool
scan_lit(struct scan *sc, const char *lit)
{
	struct scan t = *sc;    /* the cursor moves only on success */
	size_t n = strlen(lit);

	scan_space(&t);
	if ((size_t)(t.end - t.p) < n || memcmp(t.p, lit, n) != 0)
		return false;
	sc->p = t.p + n;
	return true;
}

int
scan_lines(const char *buf, size_t len,
    int (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
	const char *p = buf, *end = buf + len, *nl;
	int rc;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((rc = fn(ctx, p, (size_t)(nl - p))) != 0)
			return rc;
		p = nl + 1;
	}
	return 0;
}
