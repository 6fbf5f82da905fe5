/*
 * cmd_detect.c - "headroom detect [--threshold T] [FILE.csv]": the
 * agent's anomaly detector (anomaly.c, the same code) over a CSV file of
 * timestamp,value rows, written back as
 *
 *   timestamp,value,anomaly_score,flag
 *
 * one row per input row, in order (docs/anomaly.md).  flag is 1 while
 * the detector's flag is raised.  The output has its own header; the
 * input's first non-blank line is skipped as a header when its first
 * field is not a time.  Any other line that cannot be read stops the
 * run with FILE:LINE and exit status 1, having written the rows before
 * it.  Lines hold at most LINE_MAX_ bytes (without the line end).
 *
 * Timestamps: "YYYY-MM-DD HH:MM:SS[.frac]" (or with a T; taken as UTC),
 * "YYYY-MM-DD", or seconds since the epoch.  They only place values on
 * the daily profile: rows may repeat or go back in time.
 */
#include <errno.h>
#include <stdbool.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "anomaly.h"
#include "cmd.h"

#define LINE_MAX_ 4096

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: headroom detect [--threshold T] [FILE.csv | -]\n"
	    "  reads timestamp,value rows (FILE or standard input) and writes\n"
	    "  timestamp,value,anomaly_score,flag with the agent's detector;\n"
	    "  the flag is raised at score >= T (default %.2f)\n", ANOM_RAISE);
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
digits(const char *s, int n, int *v)
{
	*v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
days_in_month(int y, int m)
{
	static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : d[m - 1];
}

/* A timestamp (see the top) to seconds since the epoch; -1 if not.
 * Seconds may be 60 (a leap second). */
static int
parse_time(const char *s, double *t)
{
	int Y, M, D, h = 0, mi = 0, sec = 0;
	char *end;

	if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
		if (digits(s, 4, &Y) || digits(s + 5, 2, &M) ||
		    digits(s + 8, 2, &D) || M < 1 || M > 12 || D < 1 ||
		    D > days_in_month(Y, M))
			return -1;
		const char *q = s + 10;
		double frac = 0;
		if (*q == ' ' || *q == 'T') {
			if (strlen(q) < 9 || q[3] != ':' || q[6] != ':' ||
			    digits(q + 1, 2, &h) || digits(q + 4, 2, &mi) ||
			    digits(q + 7, 2, &sec) || h > 23 || mi > 59 ||
			    sec > 60)
				return -1;
			q += 9;
			if (*q == '.') {
				double w = 0.1;
				if (q[1] < '0' || q[1] > '9')
					return -1;
				for (q++; *q >= '0' && *q <= '9'; q++, w /= 10)
					frac += (*q - '0') * w;
			}
			if (*q == 'Z')
				q++;
		}
		if (*q)
			return -1;
		*t = (double)days_from_civil(Y, M, D) * 86400.0 + h * 3600.0 +
		    mi * 60.0 + sec + frac;
		return 0;
	}
	errno = 0;
	*t = strtod(s, &end);
	if (end == s || *end || errno || !isfinite(*t))
		return -1;
	return 0;
}

int
cmd_detect(int argc, char **argv)
{
	static struct anomaly a;  /* static: no stack or heap per file */
	const char *path = NULL;
	double raise = ANOM_RAISE;
	char line[LINE_MAX_ + 3];   /* CR, LF, NUL */

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--threshold") == 0 && i + 1 < argc) {
			char *end;
			errno = 0;
			raise = strtod(argv[++i], &end);
			if (*end || errno || !(raise > 0 && raise <= 1)) {
				fprintf(stderr, "headroom detect: --threshold "
				    "'%s': a number in (0,1]\n", argv[i]);
				return HR_EXIT_USAGE;
			}
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1] && !path) {
			fprintf(stderr, "headroom detect: unknown option "
			    "'%s'\n", argv[i]);
			usage(stderr);
			return HR_EXIT_USAGE;
		} else if (!path) {
			path = argv[i];
		} else {
			usage(stderr);
			return HR_EXIT_USAGE;
		}
	}
	const char *name = path && strcmp(path, "-") ? path : "<stdin>";
	FILE *f = path && strcmp(path, "-") ? fopen(path, "r") : stdin;
	if (!f) {
		fprintf(stderr, "headroom detect: %s: %s\n", name,
		    strerror(errno));
		return HR_EXIT_FAIL;
	}
	anomaly_init(&a, raise);
	printf("timestamp,value,anomaly_score,flag\n");
	unsigned long ln = 0;
	int rc = HR_EXIT_OK;
	const char *why = NULL;
	bool first = true;
	while (fgets(line, sizeof line, f)) {
		ln++;
		size_t len = strcspn(line, "\r\n");
		if (len > LINE_MAX_ || (line[len] == 0 && !feof(f))) {
			why = "line too long";
			break;
		}
		line[len] = 0;
		if (len == 0)
			continue;
		char *p = line;
		if (first && (unsigned char)p[0] == 0xef &&
		    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
			p += 3;                /* a UTF-8 byte order mark */
		char *c1 = strchr(p, ',');
		if (!c1) {
			why = "not timestamp,value";
			break;
		}
		*c1 = 0;
		char *val = c1 + 1;
		char *c2 = strchr(val, ',');   /* more columns: ignored */
		if (c2)
			*c2 = 0;
		double t, x;
		if (parse_time(p, &t) < 0) {
			if (first) {
				first = false;
				continue;      /* the header */
			}
			why = "bad timestamp";
			break;
		}
		first = false;
		char *end;
		x = strtod(val, &end);
		if (end == val || *end) {
			why = "bad value";
			break;
		}
		double s = anomaly_update(&a, t, x, NULL);
		printf("%s,%s,%.6f,%d\n", p, val, s, a.flag);
	}
	if (!why && ferror(f))
		why = strerror(errno);
	if (why) {
		fprintf(stderr, "headroom detect: %s:%lu: %s\n", name, ln, why);
		rc = HR_EXIT_FAIL;
	}
	if (f != stdin)
		fclose(f);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "headroom detect: writing the output: %s\n",
		    strerror(errno));
		rc = HR_EXIT_FAIL;
	}
	return rc;
}
