/*
 * json.c - bounded JSON writer (see json.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void
jw_init(struct jw *j, char *buf, size_t cap)
{
	j->buf = buf;
	j->cap = cap;
	j->len = 0;
	j->overflow = cap == 0;
	j->comma = false;
}

static void
put(struct jw *j, const char *s, size_t n)
{
	if (j->overflow || n >= j->cap - j->len) {
		j->overflow = true;
		return;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void
putc1(struct jw *j, char c)
{
	put(j, &c, 1);
}

static void
put_string(struct jw *j, const char *s)
{
	char esc[8];

	putc1(j, '"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\' || c == '\n' || c == '\t' ||
		    c == '\r') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\t' ? 't' :
			    c == '\r' ? 'r' : (char)c;
			put(j, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", c);
			put(j, esc, 6);
		} else {
			putc1(j, (char)c);
		}
	}
	putc1(j, '"');
}

static void
key(struct jw *j, const char *k)
{
	if (j->comma)
		putc1(j, ',');
	j->comma = true;
	if (k != NULL) {
		put_string(j, k);
		putc1(j, ':');
	}
}

void
jw_obj(struct jw *j, const char *k)
{
	key(j, k);
	putc1(j, '{');
	j->comma = false;
}

void
jw_end_obj(struct jw *j)
{
	putc1(j, '}');
	j->comma = true;
}

void
jw_arr(struct jw *j, const char *k)
{
	key(j, k);
	putc1(j, '[');
	j->comma = false;
}

void
jw_end_arr(struct jw *j)
{
	putc1(j, ']');
	j->comma = true;
}

void
jw_num(struct jw *j, const char *k, double v)
{
	char tmp[40];
	int n;

	key(j, k);
	if (!isfinite(v)) {
		put(j, "null", 4);
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		n = snprintf(tmp, sizeof(tmp), "%.0f", v);
	} else if (fabs(v) >= 1e5 && fabs(v) < 1e15) {
		/* large non-integers (timestamps, byte rates): keep the
		 * integer part whole, three decimals, no trailing zeros */
		n = snprintf(tmp, sizeof(tmp), "%.3f", v);
		while (n > 0 && tmp[n - 1] == '0')
			n--;
		if (n > 0 && tmp[n - 1] == '.')
			n--;
	} else {
		n = snprintf(tmp, sizeof(tmp), "%.6g", v);
	}
	if (n > 0)
		put(j, tmp, (size_t)n);
}

void
jw_num_exact(struct jw *j, const char *k, double v)
{
	char tmp[40];
	int n = 0, prec;

	key(j, k);
	if (!isfinite(v)) {
		put(j, "null", 4);
		return;
	}
	if (v == floor(v) && fabs(v) < 9007199254740992.0) {
		n = snprintf(tmp, sizeof(tmp), "%.0f", v);   /* 10, not 1e+01 */
		put(j, tmp, (size_t)n);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		n = snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, NULL) == v)
			break;
	}
	if (n > 0)
		put(j, tmp, (size_t)n);
}

void
jw_bool(struct jw *j, const char *k, bool v)
{
	key(j, k);
	if (v)
		put(j, "true", 4);
	else
		put(j, "false", 5);
}

void
jw_str(struct jw *j, const char *k, const char *s)
{
	key(j, k);
	put_string(j, s);
}

long
jw_finish(struct jw *j)
{
	if (j->overflow)
		return -1;
	j->buf[j->len] = '\0';
	return (long)j->len;
}
