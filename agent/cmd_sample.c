/*
 * cmd_sample.c - "headroom sample": sample the host (or a recorded host)
 * every period and print rates and utilisations as JSON lines or as a
 * table that scrolls like vmstat.  No broker, no config file needed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../platform/collect.h"
#include "../platform/log.h"
#include "../platform/platform.h"
#include "cmd.h"
#include "metrics.h"
#include "show.h"
#include "units.h"

#define PERIOD_MIN_US   10000ull          /* 10 ms */
#define PERIOD_MAX_US   3600000000ull     /* 1 h */
#define TABLE_REPEAT    20                /* header every N rows */
#define OUT_MAX         (192 * 1024)      /* one JSON line, worst case */

/* Start-up storage: sized once, never grown. */
static struct pf_collector col;
static struct hr_sample    samp[2];
static struct hr_metrics   met;
static char                out[OUT_MAX];

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: headroom sample [--root DIR] [--period DUR] [--count N]\n"
	    "                       [--format table|json] [--mount PATH]...\n"
	    "                       [--trace-reads]\n"
	    "  --root DIR      read procfs/sysfs under DIR (default /)\n"
	    "  --period DUR    time between samples: 500ms, 1s, 5m "
	    "(default 1s)\n"
	    "  --count N       print N samples, then exit (default: until "
	    "interrupted)\n"
	    "  --format FMT    table (default, like vmstat) or json "
	    "(one object per line)\n"
	    "  --mount PATH    watch this mount point (repeatable; default: "
	    "all disk file systems)\n"
	    "  --trace-reads   print every file the sampler opens to stderr\n");
}

static void
trace_read(const char *rel)
{
	fprintf(stderr, "read %s\n", rel);
}

/* Split "--key=value" or take the next argument as the value. */
static int
opt_value(int argc, char **argv, int *i, const char *name, const char **val)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0)
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (a[n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "headroom sample: %s needs a value\n", name);
		return -1;
	}
	*val = argv[++*i];
	return 1;
}

static int
bad_value(const char *opt, const char *val, const char *why)
{
	fprintf(stderr, "headroom sample: %s: invalid value '%s': %s\n", opt,
	    val, why);
	return HR_EXIT_USAGE;
}

static int
write_out(const char *buf, long n)
{
	if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n ||
	    fflush(stdout) != 0) {
		if (errno == EPIPE)
			return 1;     /* reader went away: a normal end */
		log_warn("sample: write");
		return -1;
	}
	return 0;
}

int
cmd_sample(int argc, char **argv)
{
	struct pf_collect_conf conf;
	const char *root = "/", *val;
	uint64_t period = 1000000, count = 0, next;
	unsigned long seq = 0;
	int i, r, cur = 0, json = 0, rows = 0;
	long n;

	memset(&conf, 0, sizeof(conf));
	json = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		}
		if (strcmp(argv[i], "--trace-reads") == 0) {
			pf_trace_set(trace_read);
			continue;
		}
		if ((r = opt_value(argc, argv, &i, "--root", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			root = val;
		} else if ((r = opt_value(argc, argv, &i, "--period", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (units_duration_us(val, &period) != 0)
				return bad_value("--period", val,
				    "use a duration such as 500ms, 1s or 5m");
			if (period < PERIOD_MIN_US || period > PERIOD_MAX_US)
				return bad_value("--period", val,
				    "must be between 10ms and 1h");
		} else if ((r = opt_value(argc, argv, &i, "--count", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (units_uint(val, 1000000000, &count) != 0 || count == 0)
				return bad_value("--count", val,
				    "must be a whole number from 1 to 1000000000");
		} else if ((r = opt_value(argc, argv, &i, "--format", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (strcmp(val, "json") == 0)
				json = 1;
			else if (strcmp(val, "table") == 0)
				json = 0;
			else
				return bad_value("--format", val,
				    "must be table or json");
		} else if ((r = opt_value(argc, argv, &i, "--mount", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (val[0] != '/' || strlen(val) >= HR_PATH_LEN)
				return bad_value("--mount", val,
				    "must be an absolute path");
			if (conf.nmounts >= HR_MAX_MOUNTS)
				return bad_value("--mount", val,
				    "too many mounts (at most 32)");
			conf.mounts[conf.nmounts++] = val;
		} else {
			fprintf(stderr, "headroom sample: unknown option '%s'\n",
			    argv[i]);
			usage(stderr);
			return HR_EXIT_USAGE;
		}
	}
	if (pf_root_set(root) != 0) {
		fprintf(stderr, "headroom sample: --root: '%s' is not a "
		    "readable directory\n", root);
		return HR_EXIT_USAGE;
	}
	pf_signals_init();
	pf_collect_init(&col, &conf);

	/* The first sample is the baseline: rates need two. */
	pf_collect(&col, &samp[cur]);
	next = samp[cur].mono_us + period;
	while (!pf_stop_requested() && (count == 0 || seq < count)) {
		if (pf_sleep_until(next) == HR_EINTR && pf_stop_requested())
			break;
		cur ^= 1;
		pf_collect(&col, &samp[cur]);
		metrics_compute(&samp[cur ^ 1], &samp[cur], &met);
		seq++;
		if (json) {
			n = show_json(&met, &samp[cur], seq, out, sizeof(out) - 1);
			if (n >= 0)
				out[n++] = '\n';
		} else {
			n = 0;
			if (rows++ % TABLE_REPEAT == 0)
				n = show_table_header(out, sizeof(out));
			if (n >= 0) {
				long m = show_table_row(&met, out + n,
				    sizeof(out) - (size_t)n);
				n = m < 0 ? m : n + m;
			}
		}
		if (n < 0) {
			log_warnx("sample: output line too long; sample %lu "
			    "skipped", seq);
			continue;
		}
		if ((r = write_out(out, n)) != 0)
			return r > 0 ? HR_EXIT_OK : HR_EXIT_FAIL;
		/* Fixed schedule; if we fell a period behind, resynchronise. */
		next += period;
		if (samp[cur].mono_us > next)
			next = samp[cur].mono_us + period;
	}
	return HR_EXIT_OK;
}
