/*
 * cmd_sample.c - "headroom sample": sample the host (or a recorded host)
 * every period and print rates, utilisations and indicators as JSON
 * lines or as a table that scrolls like vmstat.  No broker, no config
 * file needed; with -c FILE, the file's [agent] root and sample_period,
 * [collect], [queue.NAME], [forecast] and [events] sections apply (an
 * operator tries a queue probe or an event level here first).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../platform/collect.h"
#include "../platform/log.h"
#include "../platform/platform.h"
#include "../platform/net.h"
#include "agg.h"
#include "cmd.h"
#include "conf.h"
#include "ident.h"
#include "metrics.h"
#include "senml.h"
#include "show.h"
#include "units.h"
#include "watch.h"

#define PERIOD_MIN_US   10000ull          /* 10 ms */
#define PERIOD_MAX_US   3600000000ull     /* 1 h */
#define TABLE_REPEAT    20                /* header every N rows */
#define OUT_MAX         (192 * 1024)      /* one JSON line, worst case */
#define MSG_MAX         (256 * 1024)      /* largest --max-message */
#define MSG_MIN         512               /* smallest --max-message */
#define MSG_DEFAULT     (64 * 1024)

/* Start-up storage: sized once, never grown. */
static struct pf_collector col;
static struct hr_sample    samp[2];
static struct hr_metrics   met;
static char                out[OUT_MAX];
static struct hr_agg       agg;
static struct hr_rec       recs[HR_MAX_RECORDS];
static uint8_t             msg[MSG_MAX];
static struct hr_conf      cf;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: headroom sample [-c FILE] [--root DIR] [--period DUR] "
	    "[--count N]\n"
	    "                       [--format table|json|cbor] [--mount PATH]...\n"
	    "                       [--id ID] [--report-every N] "
	    "[--max-message SIZE]\n"
	    "                       [--trace-reads]\n"
	    "  -c FILE         use this configuration file's [agent] root and\n"
	    "                  sample_period, [collect], [queue.NAME], "
	    "[forecast] and\n"
	    "                  [events] (options given here win); events are "
	    "logged\n"
	    "  --root DIR      read procfs/sysfs under DIR (default /)\n"
	    "  --period DUR    time between samples: 500ms, 1s, 5m "
	    "(default 1s)\n"
	    "  --count N       print N samples, then exit (default: until "
	    "interrupted)\n"
	    "  --format FMT    table (default, like vmstat), json "
	    "(one object per line)\n"
	    "                  or cbor (SenML-CBOR reports, a CBOR sequence; "
	    "see 'headroom decode')\n"
	    "  --mount PATH    watch this mount point (repeatable; default: "
	    "all disk file systems)\n"
	    "  --id ID         agent id in cbor reports (default: host name)\n"
	    "  --report-every N  samples per cbor report (mean and peak over "
	    "them; default 1)\n"
	    "  --max-message SIZE  split cbor reports larger than SIZE into "
	    "parts (default 64KiB)\n"
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

/* Events are logged: sample has no broker to send them to. */
static void
event_log(void *ctx, const struct watch_event *ev)
{
	(void)ctx;
	log_info("event: %s %s on %s (%s): headroom %.3g, full in %.0f s "
	    "(nan: no forecast), level %g, score %.3g (nan: none), held "
	    "%.0f s", watch_cond_name(ev->cond),
	    ev->raised ? "raised" : "cleared", ev->resource, ev->why,
	    ev->headroom, ev->tte, ev->level, ev->score, ev->held_s);
}

/* Sleep until next, running queue commands meanwhile (watch.h).
 * HR_EINTR when a stop was asked for. */
static int
wait_until(uint64_t next)
{
	struct pf_pollfd p[HR_MAX_QUEUES];
	uint64_t now = pf_mono_us(), dl, d;
	unsigned n;

	while (now < next) {
		dl = next;
		n = watch_pollfds(p, HR_MAX_QUEUES, &dl);
		d = dl > now ? (dl - now + 999) / 1000 : 0;
		if (pf_poll(p, n, (int)(d > 60000 ? 60000 : d)) < 0)
			for (unsigned i = 0; i < n; i++)
				p[i].revents = 0;
		now = pf_mono_us();
		watch_io(p, n, now);
		if (pf_stop_requested())
			return HR_EINTR;
	}
	return 0;
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

static int
emit_stdout(void *ctx, const uint8_t *buf, size_t len, uint32_t part,
    uint32_t parts)
{
	int r;

	(void)ctx;
	(void)part;
	(void)parts;
	r = write_out((const char *)buf, (long)len);
	return r == 0 ? 0 : (r > 0 ? HR_EINTR : HR_EIO);
}

int
cmd_sample(int argc, char **argv)
{
	struct pf_collect_conf conf;
	struct watch_params wp;
	const char *root = NULL, *val, *id = NULL, *cfile = NULL;
	bool have_period = false;
	uint64_t period = 1000000, count = 0, next, every = 1;
	uint64_t max_msg = MSG_DEFAULT, rseq = 0;
	unsigned long seq = 0;
	int i, r, cur = 0, json = 0, cbor = 0, rows = 0;
	char host[HR_ID_LEN], boot[HR_BOOT_ID_LEN];
	struct senml_head head;
	uint64_t t_start = 0;
	long n;

	memset(&conf, 0, sizeof(conf));
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		}
		if (strcmp(argv[i], "--trace-reads") == 0) {
			pf_trace_set(trace_read);
			continue;
		}
		if ((r = opt_value(argc, argv, &i, "-c", &val)) != 0 ||
		    (r = opt_value(argc, argv, &i, "--config", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			cfile = val;
		} else if ((r = opt_value(argc, argv, &i, "--root", &val)) != 0) {
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
			have_period = true;
		} else if ((r = opt_value(argc, argv, &i, "--count", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (units_uint(val, 1000000000, &count) != 0 || count == 0)
				return bad_value("--count", val,
				    "must be a whole number from 1 to 1000000000");
		} else if ((r = opt_value(argc, argv, &i, "--format", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			json = strcmp(val, "json") == 0;
			cbor = strcmp(val, "cbor") == 0;
			if (!json && !cbor && strcmp(val, "table") != 0)
				return bad_value("--format", val,
				    "must be table, json or cbor");
		} else if ((r = opt_value(argc, argv, &i, "--id", &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (!hr_id_valid(val))
				return bad_value("--id", val, "use letters, digits "
				    "and - : . _ (first a letter or digit), "
				    "at most 63");
			id = val;
		} else if ((r = opt_value(argc, argv, &i, "--report-every",
		    &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (units_uint(val, 3600, &every) != 0 || every == 0)
				return bad_value("--report-every", val,
				    "must be a whole number from 1 to 3600");
		} else if ((r = opt_value(argc, argv, &i, "--max-message",
		    &val)) != 0) {
			if (r < 0)
				return HR_EXIT_USAGE;
			if (units_size_bytes(val, &max_msg) != 0 ||
			    max_msg < MSG_MIN || max_msg > MSG_MAX)
				return bad_value("--max-message", val,
				    "must be a size from 512 to 256KiB");
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
	/* without a file: the defaults, and no events */
	conf_defaults(&cf);
	cf.events_enabled = false;
	if (cfile != NULL) {
		if ((r = conf_load_local(&cf, cfile, stderr)) != 0) {
			fprintf(stderr, "headroom sample: %s: %d error%s\n", cfile,
			    r, r == 1 ? "" : "s");
			return HR_EXIT_CONFIG;
		}
		log_set_level((enum hr_log_level)cf.log_level);
		if (root == NULL)
			root = cf.root;
		if (!have_period)
			period = cf.sample_period_us;
		memcpy(conf.off, cf.off, sizeof(conf.off));
		if (conf.nmounts == 0) {
			for (i = 0; i < (int)cf.nmounts; i++)
				conf.mounts[i] = cf.mounts[i];
			conf.nmounts = cf.nmounts;
		}
	}
	watch_params_conf(&cf, &wp);
	wp.period_us = period;
	wp.on_event = event_log;
	if (root == NULL)
		root = "/";
	if (pf_root_set(root) != 0) {
		fprintf(stderr, "headroom sample: --root: '%s' is not a "
		    "readable directory\n", root);
		return HR_EXIT_USAGE;
	}
	pf_signals_init();
	pf_collect_init(&col, &conf);
	watch_init(&wp);
	if (cbor) {
		if (id == NULL) {
			if (pf_hostname(host, sizeof(host)) != 0 ||
			    !hr_id_valid(host)) {
				fprintf(stderr, "headroom sample: the host name "
				    "is not a valid agent id: give --id\n");
				return HR_EXIT_USAGE;
			}
			id = host;
		}
		if (hr_boot_id(boot, sizeof(boot)) != 0) {
			log_warnx("sample: no random source for the boot id");
			return HR_EXIT_FAIL;
		}
		agg_init(&agg);
		head.agent_id = id;
		head.boot_id = boot;
	}

	/* The first sample is the baseline: rates need two. */
	pf_collect(&col, &samp[cur]);
	next = samp[cur].mono_us + period;
	t_start = samp[cur].mono_us;
	while (!pf_stop_requested() && (count == 0 || seq < count)) {
		if (wait_until(next) == HR_EINTR)
			break;
		cur ^= 1;
		pf_collect(&col, &samp[cur]);
		metrics_compute(&samp[cur ^ 1], &samp[cur], &met);
		watch_sample(&met, samp[cur].mono_us);
		seq++;
		if (cbor) {
			agg_add(&agg, &met);
			if (seq % every != 0 && (count == 0 || seq < count))
				goto next_sample;
			head.seq = ++rseq;
			head.time_s = floor((double)samp[cur].wall_ns / 1e6) /
			    1e3;
			/* whole milliseconds: finer is noise */
			head.interval_s = floor((double)(samp[cur].mono_us -
			    t_start) / 1e3 + 0.5) / 1e3;
			t_start = samp[cur].mono_us;
			/* text records (the bottleneck) first: senml.h */
			n = watch_records(recs, HR_MAX_RECORDS);
			n += agg_finish(&agg, recs + n, HR_MAX_RECORDS -
			    (uint32_t)n);
			r = senml_encode(&head, recs, (size_t)n, (size_t)max_msg,
			    msg, sizeof(msg), emit_stdout, NULL);
			if (r == HR_ETRUNC)
				log_warnx("sample: a record does not fit "
				    "--max-message %llu; report %llu dropped",
				    (unsigned long long)max_msg,
				    (unsigned long long)rseq);
			else if (r == HR_EINTR || r < 0) {
				watch_stop();
				/* EINTR: the reader went away */
				return r == HR_EINTR ? HR_EXIT_OK : HR_EXIT_FAIL;
			}
			goto next_sample;
		}
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
		if ((r = write_out(out, n)) != 0) {
			watch_stop();
			return r > 0 ? HR_EXIT_OK : HR_EXIT_FAIL;
		}
next_sample:
		/* Fixed schedule; if we fell a period behind, resynchronise. */
		next += period;
		if (samp[cur].mono_us > next)
			next = samp[cur].mono_us + period;
	}
	watch_stop();
	return HR_EXIT_OK;
}
