/*
 * conf.c - configuration table, INI loading (libinih) and validation.
 *
 * Every key is one row of keys[] below: section, name, type, where it
 * goes, its range and its default as text.  Defaults are applied by
 * parsing that text with the same code as the file, so a default can
 * never be a value the parser would refuse.
 *
 * [queue.NAME] sections may appear any number of times (up to
 * HR_MAX_QUEUES), so their keys have a table of their own, qkeys[]:
 * which queue types take a key and which need it.  A queue section is
 * checked as a whole when it ends (at the next section header or at the
 * end of the file), since its type may come after its other keys.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "../platform/log.h"
#include "../platform/platform.h"
#include "../platform/queue.h"
#include "conf.h"
#include "err.h"
#include "ident.h"
#include "units.h"

enum ktype {
	K_ID, K_STR, K_HOST, K_DUR, K_SIZE, K_UINT, K_BOOL, K_PATH, K_FILE,
	K_SECRET, K_BROKERS, K_VERSION, K_LEVEL, K_TARGET, K_PIN, K_SIGNALS,
	K_MOUNTS, K_OPTDIR, K_FSYNC, K_FRAC, K_OFFDUR
};

struct key {
	const char *section;
	const char *name;
	enum ktype  type;
	size_t      off;
	size_t      size;        /* strings: buffer size */
	uint64_t    min, max;    /* numbers, durations (us), sizes (B) */
	const char *def;         /* default, as it would be written */
};

#define O(f) offsetof(struct hr_conf, f), sizeof(((struct hr_conf *)0)->f)
#define US(s) ((uint64_t)(s) * 1000000u)

static const struct key keys[] = {
	{ "agent", "id", K_ID, O(id), 0, 0, "" },
	{ "agent", "sample_period", K_DUR, O(sample_period_us), 100000,
	    US(3600), "1s" },
	{ "agent", "report_interval", K_DUR, O(report_interval_us), 100000,
	    US(86400), "10s" },
	{ "agent", "root", K_PATH, O(root), 0, 0, "/" },
	{ "agent", "user", K_STR, O(user), 0, 0, "" },

	{ "mqtt", "brokers", K_BROKERS, O(broker), 0, 0, "localhost:8883" },
	{ "mqtt", "topic_prefix", K_STR, O(topic_prefix), 0, 0, "headroom" },
	{ "mqtt", "client_id", K_STR, O(client_id), 0, 0, "" },
	{ "mqtt", "keepalive", K_DUR, O(keepalive_us), US(5), US(3600),
	    "30s" },
	{ "mqtt", "qos", K_UINT, O(qos), 0, 1, "1" },
	{ "mqtt", "version", K_VERSION, O(version), 0, 0, "5" },
	{ "mqtt", "username", K_STR, O(username), 0, 0, "" },
	{ "mqtt", "password_file", K_SECRET, O(password_file), 0, 0, "" },
	{ "mqtt", "max_inflight", K_UINT, O(max_inflight), 1, 1000, "20" },
	{ "mqtt", "max_message", K_SIZE, O(max_message), 512, 256 * 1024,
	    "64KiB" },
	{ "mqtt", "message_expiry", K_DUR, O(message_expiry_us), US(1),
	    US(30 * 86400), "1d" },
	{ "mqtt", "reconnect_min", K_DUR, O(reconnect_min_us), 100000,
	    US(60), "1s" },
	{ "mqtt", "reconnect_max", K_DUR, O(reconnect_max_us), US(1),
	    US(3600), "1m" },

	{ "tls", "enabled", K_BOOL, O(tls_enabled), 0, 0, "yes" },
	{ "tls", "ca_file", K_FILE, O(ca_file), 0, 0, "" },
	{ "tls", "cert_file", K_FILE, O(cert_file), 0, 0, "" },
	{ "tls", "key_file", K_SECRET, O(key_file), 0, 0, "" },
	{ "tls", "psk_identity", K_STR, O(psk_identity), 0, 0, "" },
	{ "tls", "psk_file", K_SECRET, O(psk_file), 0, 0, "" },
	{ "tls", "pin_sha256", K_PIN, O(pin_sha256), 0, 0, "" },
	{ "tls", "verify_hostname", K_BOOL, O(verify_hostname), 0, 0, "yes" },
	{ "tls", "server_name", K_HOST, O(server_name), 0, 0, "" },
	{ "tls", "handshake_timeout", K_DUR, O(handshake_timeout_us),
	    US(1), US(300), "10s" },

	{ "collect", "disable", K_SIGNALS, O(off), 0, 0, "" },
	{ "collect", "mounts", K_MOUNTS, O(mounts), 0, 0, "" },

	{ "spool", "memory", K_SIZE, O(spool_memory), 16 * 1024,
	    (uint64_t)1 << 30, "512KiB" },
	{ "spool", "dir", K_OPTDIR, O(spool_dir), 0, 0, "" },
	{ "spool", "max_disk", K_SIZE, O(spool_max_disk), 64 * 1024,
	    (uint64_t)1 << 40, "64MiB" },
	{ "spool", "fsync", K_FSYNC, O(spool_fsync_us), 100000, US(3600),
	    "10s" },
	{ "spool", "replay_rate", K_UINT, O(replay_rate), 1, 10000, "10" },

	{ "forecast", "horizon", K_DUR, O(forecast_horizon_us), US(60),
	    US(30 * 86400), "6h" },

	{ "events", "enabled", K_BOOL, O(events_enabled), 0, 0, "yes" },
	{ "events", "headroom_below", K_FRAC, O(headroom_below), 0, 0,
	    "10%" },
	{ "events", "headroom_clear", K_FRAC, O(headroom_clear), 0, 0,
	    "15%" },
	{ "events", "hold", K_DUR, O(events_hold_us), 0, US(3600), "30s" },
	{ "events", "exhaustion_within", K_OFFDUR, O(exhaustion_within_us),
	    US(60), US(30 * 86400), "24h" },
	{ "events", "anomaly", K_BOOL, O(events_anomaly), 0, 0, "no" },

	{ "log", "level", K_LEVEL, O(log_level), 0, 0, "info" },
	{ "log", "target", K_TARGET, O(log_target), 0, 0, "stderr" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

/* Fixed sections, in the order printed; [queue.NAME] sections besides. */
static const char *const sections[] = { "agent", "mqtt", "tls", "collect",
	"spool", "forecast", "events", "log" };
#define QUEUE_PREFIX "queue."

/* ---- [queue.NAME] keys --------------------------------------------------- */

enum { QK_TYPE, QK_PATH, QK_COMMAND, QK_CAPACITY, QK_TIMEOUT, QK_COUNT };

#define QT(t)    (1u << (t))
#define QT_PATH  (QT(PF_QUEUE_DIR) | QT(PF_QUEUE_FILE) | QT(PF_QUEUE_MQUEUE))
#define QT_EXEC  QT(PF_QUEUE_EXEC)
#define QT_ALL   (QT_PATH | QT_EXEC)

struct qkey {
	const char *name;
	unsigned    types;       /* QT() of the types that take it */
	unsigned    required;    /* QT() of the types that need it */
	const char *def;         /* default as written, or NULL */
};

static const struct qkey qkeys[QK_COUNT] = {
	[QK_TYPE]     = { "type", QT_ALL, QT_ALL, NULL },
	[QK_PATH]     = { "path", QT_PATH, QT_PATH, NULL },
	[QK_COMMAND]  = { "command", QT_EXEC, QT_EXEC, NULL },
	[QK_CAPACITY] = { "capacity", QT_ALL, QT_ALL, NULL },
	[QK_TIMEOUT]  = { "timeout", QT_EXEC, 0, "5s" },
};

#define QTIMEOUT_MIN_US 1000u            /* 1ms */

static const char *const qtype_names[] = {
	[PF_QUEUE_DIR] = "dir", [PF_QUEUE_FILE] = "file",
	[PF_QUEUE_MQUEUE] = "mqueue", [PF_QUEUE_EXEC] = "exec",
};
#define NQTYPES (sizeof(qtype_names) / sizeof(qtype_names[0]))

/* ---- load state --------------------------------------------------------- */

struct load {
	struct hr_conf *c;
	const char     *path;
	FILE           *f;
	FILE           *err;
	int             line;       /* line being parsed */
	int             nerr;
	int             set_line[NKEYS];   /* 0: default */
	int             qi;         /* queue section being read, -1: none */
	int             qset[HR_MAX_QUEUES][QK_COUNT];  /* lines, 0: unset */
	unsigned        qbad[HR_MAX_QUEUES];  /* 1 << QK_*: refused value */
	bool            local;      /* sampling only: no transport checks */
};

static void
error_at(struct load *l, int line, const char *section, const char *name,
    const char *fmt, ...)
{
	va_list ap;

	l->nerr++;
	if (l->nerr > HR_CONF_ERR_MAX || l->err == NULL)
		return;
	if (line > 0)
		fprintf(l->err, "%s:%d: ", l->path, line);
	else
		fprintf(l->err, "%s: ", l->path);
	if (name != NULL)
		fprintf(l->err, "[%s] %s: ", section, name);
	else if (section != NULL)
		fprintf(l->err, "[%s]: ", section);
	va_start(ap, fmt);
	vfprintf(l->err, fmt, ap);
	va_end(ap);
	fputc('\n', l->err);
}

/* ---- value parsers: 0 or a reason in why -------------------------------------- */

static int
set_str(char *dst, size_t cap, const char *v, char *why, size_t wcap)
{
	size_t n = strlen(v);

	if (n >= cap) {
		snprintf(why, wcap, "longer than %zu characters", cap - 1);
		return -1;
	}
	memcpy(dst, v, n + 1);
	return 0;
}

static int
parse_bool(const char *v, bool *b)
{
	if (!strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "on") ||
	    !strcmp(v, "1"))
		*b = true;
	else if (!strcmp(v, "no") || !strcmp(v, "false") ||
	    !strcmp(v, "off") || !strcmp(v, "0"))
		*b = false;
	else
		return -1;
	return 0;
}

/*
 * A fraction: a decimal from 0 to 1 ("0.1") or a percentage from 0% to
 * 100% ("10%", "12.5%").  Digits and one '.' only: no sign, no
 * exponent, no blanks, so that "1e-1", "-0" or "10 %" are refused.
 */
static int
parse_frac(const char *v, double *d)
{
	const char *p = v;
	size_t digits = 0;
	bool pct;
	double x;

	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	pct = *p == '%';
	if (pct)
		p++;
	if (digits == 0 || *p != '\0')
		return -1;
	x = strtod(v, NULL);             /* stops at the '%' */
	if (pct)
		x /= 100;
	if (!(x >= 0 && x <= 1))
		return -1;
	*d = x;
	return 0;
}

/* Host names: DNS characters only (no scheme, no port). */
static bool
host_ok(const char *h, size_t n)
{
	size_t i;

	if (n == 0 || n >= HR_HOST_LEN)
		return false;
	for (i = 0; i < n; i++)
		if (!((h[i] >= 'a' && h[i] <= 'z') ||
		    (h[i] >= 'A' && h[i] <= 'Z') ||
		    (h[i] >= '0' && h[i] <= '9') || h[i] == '-' ||
		    h[i] == '.' || h[i] == ':' || h[i] == '_'))
			return false;
	return true;
}

/*
 * Next item of a list separated by commas and/or blanks: *p advances past
 * it; returns its start (length in *n), or NULL at the end.
 */
static const char *
list_next(const char **p, size_t *n)
{
	const char *s = *p, *e;

	while (*s == ' ' || *s == ',')
		s++;
	if (*s == '\0')
		return NULL;
	for (e = s; *e && *e != ',' && *e != ' '; e++)
		;
	*n = (size_t)(e - s);
	*p = e;
	return s;
}

/* "host:port, host:port, [v6]:port" */
static int
parse_brokers(struct hr_conf *c, const char *v, char *why, size_t wcap)
{
	const char *rest = v, *p, *e, *colon, *h;
	size_t hl, n;
	uint64_t port;
	char num[8];

	c->nbrokers = 0;
	while ((p = list_next(&rest, &n)) != NULL) {
		e = p + n;
		if (*p == '[') {                 /* [::1]:8883 */
			h = p + 1;
			colon = memchr(p, ']', (size_t)(e - p));
			if (colon == NULL || colon + 1 >= e || colon[1] != ':')
				goto bad;
			hl = (size_t)(colon - h);
			colon++;
		} else {
			colon = NULL;
			for (h = p; h < e; h++)
				if (*h == ':')
					colon = h;
			h = p;
			if (colon == NULL)
				goto bad;
			hl = (size_t)(colon - p);
		}
		if (!host_ok(h, hl) || (size_t)(e - colon - 1) >= sizeof(num) ||
		    e - colon - 1 == 0)
			goto bad;
		memcpy(num, colon + 1, (size_t)(e - colon - 1));
		num[e - colon - 1] = '\0';
		if (units_uint(num, 65535, &port) != 0 || port == 0)
			goto bad;
		if (c->nbrokers >= HR_MAX_BROKERS) {
			snprintf(why, wcap, "more than %d brokers",
			    HR_MAX_BROKERS);
			return -1;
		}
		memcpy(c->broker[c->nbrokers].host, h, hl);
		c->broker[c->nbrokers].host[hl] = '\0';
		c->broker[c->nbrokers].port = (uint16_t)port;
		c->nbrokers++;
	}
	return 0;
bad:
	snprintf(why, wcap, "'%.*s' is not host:port (port 1-65535; IPv6 "
	    "as [addr]:port)", (int)(e - p), p);
	return -1;
}

static int
parse_signals(struct hr_conf *c, const char *v, char *why, size_t wcap)
{
	const char *rest = v, *p;
	size_t n;
	int i;

	memset(c->off, 0, sizeof(c->off));
	while ((p = list_next(&rest, &n)) != NULL) {
		for (i = 0; i < HR_SIG_COUNT; i++)
			if (strlen(hr_signal_names[i]) == n &&
			    memcmp(hr_signal_names[i], p, n) == 0)
				break;
		if (i == HR_SIG_COUNT) {
			snprintf(why, wcap, "unknown signal '%.*s' (see "
			    "docs/metrics.md)", (int)n, p);
			return -1;
		}
		c->off[i] = true;
	}
	return 0;
}

static int
parse_mounts(struct hr_conf *c, const char *v, char *why, size_t wcap)
{
	const char *rest = v, *p;
	size_t n;

	c->nmounts = 0;
	while ((p = list_next(&rest, &n)) != NULL) {
		if (*p != '/' || n >= HR_PATH_LEN) {
			snprintf(why, wcap, "'%.*s' is not an absolute path",
			    (int)n, p);
			return -1;
		}
		if (c->nmounts >= HR_MAX_MOUNTS) {
			snprintf(why, wcap, "more than %d mounts",
			    HR_MAX_MOUNTS);
			return -1;
		}
		memcpy(c->mounts[c->nmounts], p, n);
		c->mounts[c->nmounts++][n] = '\0';
	}
	return 0;
}

static const char *const level_names[] = { "error", "warning", "info",
	"debug" };

/* Parse v for key k into c; 0 or -1 with why. */
static int
set_value(struct hr_conf *c, const struct key *k, const char *v, char *why,
    size_t wcap)
{
	char *dst = (char *)c + k->off;
	uint64_t u;
	double d;
	bool b;
	size_t i;

	switch (k->type) {
	case K_ID:
		if (*v != '\0' && !hr_id_valid(v)) {
			snprintf(why, wcap, "'%s': use letters, digits and "
			    "- : . _ (a letter or digit first), at most %d",
			    v, HR_ID_LEN - 1);
			return -1;
		}
		return set_str(dst, k->size, v, why, wcap);
	case K_STR:
		return set_str(dst, k->size, v, why, wcap);
	case K_HOST:
		if (*v != '\0' && !host_ok(v, strlen(v))) {
			snprintf(why, wcap, "'%s' is not a host name", v);
			return -1;
		}
		return set_str(dst, k->size, v, why, wcap);
	case K_OPTDIR:
		if (*v == '\0')
			return set_str(dst, k->size, v, why, wcap);
		/* fall through */
	case K_PATH:
		if (*v != '/') {
			snprintf(why, wcap, "'%s' is not an absolute path", v);
			return -1;
		}
		return set_str(dst, k->size, v, why, wcap);
	case K_FILE:
	case K_SECRET:
		if (*v == '\0')
			return set_str(dst, k->size, v, why, wcap);
		if (*v != '/') {
			snprintf(why, wcap, "'%s' is not an absolute path", v);
			return -1;
		}
		if (pf_file_check(v, k->type == K_SECRET, why, wcap) != 0)
			return -1;
		return set_str(dst, k->size, v, why, wcap);
	case K_FSYNC:
		if (strcmp(v, "always") == 0) {
			u = 0;
			memcpy(dst, &u, sizeof(u));
			return 0;
		}
		if (units_duration_us(v, &u) != 0 || u < k->min ||
		    u > k->max) {
			snprintf(why, wcap, "'%s': use always, or a duration "
			    "from 100ms to 1h", v);
			return -1;
		}
		memcpy(dst, &u, sizeof(u));
		return 0;
	case K_FRAC:
		if (parse_frac(v, &d) != 0) {
			snprintf(why, wcap, "'%s': use a fraction from 0 to 1 "
			    "(0.1) or a percentage (10%%, 12.5%%)", v);
			return -1;
		}
		memcpy(dst, &d, sizeof(d));
		return 0;
	case K_OFFDUR:
		/* off, 0 (any zero duration), or min .. max */
		if (strcmp(v, "off") == 0)
			u = 0;
		else if (units_duration_us(v, &u) != 0 ||
		    (u != 0 && (u < k->min || u > k->max))) {
			snprintf(why, wcap, "'%s': use off (or 0), or a "
			    "duration from 1m to 30d", v);
			return -1;
		}
		memcpy(dst, &u, sizeof(u));
		return 0;
	case K_DUR:
	case K_SIZE:
	case K_UINT:
		if ((k->type == K_DUR ? units_duration_us(v, &u) :
		    k->type == K_SIZE ? units_size_bytes(v, &u) :
		    units_uint(v, UINT32_MAX, &u)) != 0) {
			snprintf(why, wcap, "'%s' is not a %s", v,
			    k->type == K_DUR ? "duration (e.g. 500ms, 10s, 5m)" :
			    k->type == K_SIZE ? "size (e.g. 512, 64KiB, 4MiB)" :
			    "whole number");
			return -1;
		}
		if (u < k->min || u > k->max) {
			snprintf(why, wcap, "'%s' is out of range", v);
			return -1;
		}
		if (k->type == K_UINT) {
			uint32_t w = (uint32_t)u;

			memcpy(dst, &w, sizeof(w));
		} else {
			memcpy(dst, &u, sizeof(u));
		}
		return 0;
	case K_BOOL:
		if (parse_bool(v, &b) != 0) {
			snprintf(why, wcap, "'%s' is not yes or no", v);
			return -1;
		}
		memcpy(dst, &b, sizeof(b));
		return 0;
	case K_BROKERS:
		return parse_brokers(c, v, why, wcap);
	case K_VERSION:
		if (strcmp(v, "5") == 0)
			c->version = HR_MQTT_V5;
		else if (strcmp(v, "3.1.1") == 0)
			c->version = HR_MQTT_V311;
		else {
			snprintf(why, wcap, "'%s': use 5 (falls back to 3.1.1) "
			    "or 3.1.1", v);
			return -1;
		}
		return 0;
	case K_LEVEL:
		for (i = 0; i < 4; i++)
			if (strcmp(v, level_names[i]) == 0) {
				c->log_level = (int)i;
				return 0;
			}
		snprintf(why, wcap, "'%s': use error, warning, info or debug",
		    v);
		return -1;
	case K_TARGET:
		if (strcmp(v, "stderr") == 0)
			c->log_target = HR_LOG_STDERR;
		else if (strcmp(v, "syslog") == 0)
			c->log_target = HR_LOG_SYSLOG;
		else {
			snprintf(why, wcap, "'%s': use stderr or syslog", v);
			return -1;
		}
		return 0;
	case K_PIN:
		if (*v != '\0') {
			for (i = 0; v[i]; i++)
				if (!((v[i] >= '0' && v[i] <= '9') ||
				    (v[i] >= 'a' && v[i] <= 'f')))
					break;
			if (i != 64 || v[i] != '\0') {
				snprintf(why, wcap, "must be 64 lowercase hex "
				    "digits (SHA-256 of the broker's public "
				    "key)");
				return -1;
			}
		}
		return set_str(dst, k->size, v, why, wcap);
	case K_SIGNALS:
		return parse_signals(c, v, why, wcap);
	case K_MOUNTS:
		return parse_mounts(c, v, why, wcap);
	}
	return -1;
}

/* ---- [queue.NAME] sections ---------------------------------------------- */

/* Parse v for queue key k into q; 0 or -1 with why.  Only what needs no
 * other key: the rest is checked when the section ends (queue_end). */
static int
set_queue_value(struct hr_queue_conf *q, int k, const char *v, char *why,
    size_t wcap)
{
	uint64_t u;
	size_t i;

	switch (k) {
	case QK_TYPE:
		for (i = 1; i < NQTYPES; i++)
			if (strcmp(v, qtype_names[i]) == 0) {
				q->type = (int)i;
				return 0;
			}
		snprintf(why, wcap, "'%s': use dir, file, mqueue or exec", v);
		return -1;
	case QK_PATH:
		return set_str(q->path, sizeof(q->path), v, why, wcap);
	case QK_COMMAND:
		return set_str(q->command, sizeof(q->command), v, why, wcap);
	case QK_CAPACITY:
		/* a count: "1.5" would be cut to 1 (1.5KiB is a whole 1536) */
		if (units_size_bytes(v, &u) != 0 ||
		    (strchr(v, '.') != NULL && strpbrk(v, "KMG") == NULL)) {
			snprintf(why, wcap, "'%s' is not a whole number (or a "
			    "size such as 64KiB)", v);
			return -1;
		}
		if (u < 1) {
			snprintf(why, wcap, "'%s': must be at least 1", v);
			return -1;
		}
		q->capacity = u;
		return 0;
	case QK_TIMEOUT:
		if (units_duration_us(v, &u) != 0) {
			snprintf(why, wcap, "'%s' is not a duration (e.g. "
			    "500ms, 10s, 5m)", v);
			return -1;
		}
		if (u < QTIMEOUT_MIN_US || u > PF_QUEUE_TIMEOUT_MAX_US) {
			snprintf(why, wcap, "'%s' is out of range (1ms .. "
			    "%llus)", v, (unsigned long long)
			    (PF_QUEUE_TIMEOUT_MAX_US / 1000000));
			return -1;
		}
		q->timeout_us = u;
		return 0;
	}
	return -1;
}

/* The NAME of [queue.NAME]: it becomes the report group "queue.NAME.",
 * so no '.'. */
static bool
queue_name_ok(const char *n)
{
	size_t i, len = strlen(n);

	if (len == 0 || len >= PF_QUEUE_NAME_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (!((n[i] >= 'a' && n[i] <= 'z') ||
		    (n[i] >= 'A' && n[i] <= 'Z') ||
		    (n[i] >= '0' && n[i] <= '9') || n[i] == '-' ||
		    n[i] == '_'))
			return false;
	return true;
}

/* A [queue.NAME] header at the current line: open its entry, or report
 * why not (the keys of a refused section are then ignored). */
static void
queue_begin(struct load *l, const char *section)
{
	struct hr_conf *c = l->c;
	struct hr_queue_conf *q;
	const char *name = section + strlen(QUEUE_PREFIX);
	char why[128];
	uint32_t i;

	if (*name == '\0') {
		error_at(l, l->line, section, NULL, "no queue name: write "
		    "[queue.NAME]");
		return;
	}
	if (!queue_name_ok(name)) {
		error_at(l, l->line, section, NULL, "queue name: use 1 to %d "
		    "letters, digits, - and _ (no '.')", PF_QUEUE_NAME_LEN - 1);
		return;
	}
	for (i = 0; i < c->nqueues; i++)
		if (strcmp(c->queue[i].name, name) == 0) {
			error_at(l, l->line, section, NULL, "repeated (first "
			    "on line %d)", c->queue[i].line);
			return;
		}
	if (c->nqueues >= HR_MAX_QUEUES) {
		error_at(l, l->line, section, NULL, "more than %d queue "
		    "sections", HR_MAX_QUEUES);
		return;
	}
	q = &c->queue[c->nqueues];
	memset(q, 0, sizeof(*q));
	memcpy(q->name, name, strlen(name) + 1);
	q->line = l->line;
	/* defaults, parsed from their text like those of keys[] */
	for (i = 0; i < QK_COUNT; i++)
		if (qkeys[i].def != NULL &&
		    set_queue_value(q, (int)i, qkeys[i].def, why,
		    sizeof(why)) != 0)
			error_at(l, 0, section, qkeys[i].name, "bad built-in "
			    "default: %s", why);
	l->qi = (int)c->nqueues++;
}

/* A key of the queue section being read. */
static void
queue_key(struct load *l, const char *section, const char *name,
    const char *value)
{
	struct hr_queue_conf *q;
	int *set;
	char why[512];
	int k;

	if (l->qi < 0)
		return;                  /* its header was refused */
	q = &l->c->queue[l->qi];
	set = l->qset[l->qi];
	for (k = 0; k < QK_COUNT; k++)
		if (strcmp(qkeys[k].name, name) == 0)
			break;
	if (k == QK_COUNT) {
		error_at(l, l->line, section, name, "unknown key (queues take "
		    "type, path, command, capacity, timeout)");
		return;
	}
	if (set[k] != 0)
		error_at(l, l->line, section, name, "set twice (first on line "
		    "%d)", set[k]);
	set[k] = l->line;
	l->qbad[l->qi] &= ~(1u << k);
	if (set_queue_value(q, k, value, why, sizeof(why)) != 0) {
		error_at(l, l->line, section, name, "%s", why);
		l->qbad[l->qi] |= 1u << k;
	}
}

/*
 * The queue section being read has ended: the keys its type takes and
 * needs, then the path or command through pf_queue_init, so that the
 * rules of the probe itself apply.
 */
static void
queue_end(struct load *l)
{
	static struct pf_queue scratch;  /* big: not on the stack */
	struct hr_queue_conf *q;
	const int *set;
	unsigned bad, bit;
	char sec[sizeof(QUEUE_PREFIX) + PF_QUEUE_NAME_LEN], why[256];
	const char *tname;
	int k;

	if (l->qi < 0)
		return;
	q = &l->c->queue[l->qi];
	set = l->qset[l->qi];
	bad = l->qbad[l->qi];
	l->qi = -1;
	snprintf(sec, sizeof(sec), QUEUE_PREFIX "%s", q->name);
	if (set[QK_TYPE] == 0)
		error_at(l, q->line, sec, "type", "missing (dir, file, mqueue "
		    "or exec)");
	if (q->type == 0) {
		/* no type (or a refused one): what every type needs */
		if (set[QK_CAPACITY] == 0)
			error_at(l, q->line, sec, "capacity", "missing");
		return;
	}
	tname = qtype_names[q->type];
	bit = QT(q->type);
	for (k = 0; k < QK_COUNT; k++) {
		if (set[k] != 0 && !(qkeys[k].types & bit)) {
			if (qkeys[k].types == QT_EXEC)
				error_at(l, set[k], sec, qkeys[k].name, "only "
				    "for type = exec, not %s", tname);
			else
				error_at(l, set[k], sec, qkeys[k].name, "not "
				    "for type = %s (it runs command)", tname);
		} else if (set[k] == 0 && (qkeys[k].required & bit)) {
			error_at(l, q->line, sec, qkeys[k].name, "missing "
			    "(type = %s needs it)", tname);
		}
	}
	if (q->type == PF_QUEUE_EXEC) {
		if (set[QK_COMMAND] == 0 || (bad & (1u << QK_COMMAND)))
			return;
		if (pf_queue_init(&scratch, q->name, q->type, q->command,
		    q->timeout_us, why, sizeof(why)) != 0)
			error_at(l, set[QK_COMMAND], sec, "command", "%s", why);
		else if (pf_queue_word(&scratch.argv, 0)[0] != '/')
			error_at(l, set[QK_COMMAND], sec, "command", "'%s' is "
			    "not an absolute path: commands run without a "
			    "shell and without a PATH search",
			    pf_queue_word(&scratch.argv, 0));
		return;
	}
	if (set[QK_PATH] == 0 || (bad & (1u << QK_PATH)))
		return;
	if (pf_queue_init(&scratch, q->name, q->type, q->path, q->timeout_us,
	    why, sizeof(why)) != 0)
		error_at(l, set[QK_PATH], sec, "path", "%s", why);
}

/* ---- inih glue ------------------------------------------------------------- */

static bool
known_section(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (strcmp(s, sections[i]) == 0)
			return true;
	return false;
}

static bool
queue_section(const char *s)
{
	return strncmp(s, QUEUE_PREFIX, strlen(QUEUE_PREFIX)) == 0;
}

/* "agent, mqtt, ..., queue.NAME" for the unknown-section message. */
static const char *
known_list(void)
{
	static char buf[128];
	size_t i, n = 0;

	if (buf[0] != '\0')
		return buf;
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s, ",
		    sections[i]);
	snprintf(buf + n, sizeof(buf) - n, QUEUE_PREFIX "NAME");
	return buf;
}

/*
 * inih reads through this function one line at a time, so it counts the
 * lines (the Debian build of inih does not pass line numbers to the
 * handler) and checks section headers itself: inih says nothing about
 * an empty section.
 */
static char *
reader(char *str, int num, void *stream)
{
	struct load *l = stream;
	size_t n;
	char *s, *e;
	int ch;

	if (fgets(str, num, l->f) == NULL)
		return NULL;
	l->line++;
	n = strlen(str);
	if (n > 0 && str[n - 1] != '\n' && !feof(l->f)) {
		error_at(l, l->line, NULL, NULL, "line longer than %d "
		    "characters", num - 2);
		while ((ch = fgetc(l->f)) != EOF && ch != '\n')
			;
		str[0] = '\0';
		return str;
	}
	for (s = str; *s == ' ' || *s == '\t'; s++)
		;
	if (*s == '[' && (e = strchr(s, ']')) != NULL) {
		*e = '\0';
		/* a header ends the queue section before it */
		queue_end(l);
		if (queue_section(s + 1))
			queue_begin(l, s + 1);
		else if (!known_section(s + 1))
			error_at(l, l->line, s + 1, NULL, "unknown section "
			    "(known: %s)", known_list());
		*e = ']';
	}
	return str;
}

static int
handler(void *user, const char *section, const char *name,
    const char *value)
{
	struct load *l = user;
	char why[512];
	size_t i;

	if (queue_section(section)) {
		queue_key(l, section, name, value);
		return 1;
	}
	if (!known_section(section))
		return 1;                /* reported once, at its header */
	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].name, name))
			break;
	if (i == NKEYS) {
		error_at(l, l->line, section, name, "unknown key");
		return 1;
	}
	if (l->set_line[i] != 0)
		error_at(l, l->line, section, name, "set twice (first on line "
		    "%d)", l->set_line[i]);
	l->set_line[i] = l->line;
	if (set_value(l->c, &keys[i], value, why, sizeof(why)) != 0)
		error_at(l, l->line, section, name, "%s", why);
	return 1;
}

/* ---- cross-key rules ----------------------------------------------------------- */

static int
line_of(const struct load *l, const char *section, const char *name)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) &&
		    !strcmp(keys[i].name, name))
			return l->set_line[i];
	return 0;
}

static bool
loopback(const char *host)
{
	return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) ||
	    !strcmp(host, "::1");
}

static bool
is_ip(const char *host)
{
	const char *p;
	bool digits_dots = true;

	if (strchr(host, ':') != NULL)
		return true;                    /* IPv6 */
	for (p = host; *p; p++)
		if (!((*p >= '0' && *p <= '9') || *p == '.'))
			digits_dots = false;
	return digits_dots;
}

static void
cross_checks(struct load *l)
{
	struct hr_conf *c = l->c;
	uint32_t i;

#define ERR(sec, key, ...) \
	error_at(l, line_of(l, sec, key), sec, key, __VA_ARGS__)

	if (c->id[0] == '\0') {
		if (pf_hostname(c->id, sizeof(c->id)) != 0 ||
		    !hr_id_valid(c->id))
			ERR("agent", "id", "not set, and the host name is not "
			    "a valid id: set it");
	}
	if (c->client_id[0] == '\0')
		snprintf(c->client_id, sizeof(c->client_id), "headroom-%s",
		    c->id);
	if (c->report_interval_us < c->sample_period_us ||
	    c->report_interval_us % c->sample_period_us != 0)
		ERR("agent", "report_interval", "must be a whole multiple of "
		    "sample_period");
	/* the trend is fitted to 32 buckets: each needs samples */
	if (c->forecast_horizon_us < 32 * c->sample_period_us)
		ERR("forecast", "horizon", "must be at least 32 sample periods "
		    "(%llu s): the trend is fitted to 32 time buckets",
		    (unsigned long long)(32 * c->sample_period_us / 1000000));
	/* "headroom sample -c": a file with no broker or TLS set up yet is
	 * fine for trying the sampling sections */
	if (l->local)
		return;
	if (c->nbrokers == 0)
		ERR("mqtt", "brokers", "no broker");
	/* the spool holds whole messages */
	if (c->spool_memory < c->max_message + 64)
		ERR("spool", "memory", "must hold a message of [mqtt] "
		    "max_message (%llu bytes) and its header",
		    (unsigned long long)c->max_message);
	if (c->spool_dir[0] != '\0' && c->spool_max_disk < c->max_message + 64)
		ERR("spool", "max_disk", "must hold a message of [mqtt] "
		    "max_message (%llu bytes) and its header",
		    (unsigned long long)c->max_message);
	if (c->password_file[0] != '\0' && c->username[0] == '\0')
		ERR("mqtt", "password_file", "set, but no username");
	/* hysteresis: an event clears only clearly above where it was
	 * raised; named on the key the file set (clear, if both) */
	if (!(c->headroom_clear > c->headroom_below)) {
		if (line_of(l, "events", "headroom_clear") != 0 ||
		    line_of(l, "events", "headroom_below") == 0)
			ERR("events", "headroom_clear", "must be above "
			    "headroom_below (%g%%)", c->headroom_below * 100);
		else
			ERR("events", "headroom_below", "must be below "
			    "headroom_clear (%g%%)", c->headroom_clear * 100);
	}
	if (!c->tls_enabled) {
		/* plain MQTT only to this machine: never across a network */
		for (i = 0; i < c->nbrokers; i++)
			if (!loopback(c->broker[i].host))
				ERR("tls", "enabled", "'no' is allowed only for "
				    "loopback brokers; %s is not one",
				    c->broker[i].host);
		return;
	}
	if ((c->cert_file[0] != '\0') != (c->key_file[0] != '\0'))
		ERR("tls", c->cert_file[0] ? "key_file" : "cert_file",
		    "cert_file and key_file go together");
	if ((c->psk_identity[0] != '\0') != (c->psk_file[0] != '\0'))
		ERR("tls", c->psk_identity[0] ? "psk_file" : "psk_identity",
		    "psk_identity and psk_file go together");
	if (c->psk_file[0] != '\0' && (c->ca_file[0] != '\0' ||
	    c->cert_file[0] != '\0' || c->pin_sha256[0] != '\0'))
		ERR("tls", "psk_identity", "TLS-PSK and certificates exclude "
		    "each other: set either psk_identity/psk_file or "
		    "ca_file (with cert_file/key_file, pin_sha256)");
	else if (c->psk_file[0] == '\0' && c->ca_file[0] == '\0')
		ERR("tls", "ca_file", "TLS needs a CA file (pin_sha256 is "
		    "checked in addition to it) or a PSK to know the broker");
	/* mbed TLS 2.28 does not check IP address SANs: the broker is
	 * verified by DNS name, so an IP broker needs server_name */
	if (c->verify_hostname && c->psk_file[0] == '\0' &&
	    c->server_name[0] == '\0')
		for (i = 0; i < c->nbrokers; i++)
			if (is_ip(c->broker[i].host))
				ERR("tls", "server_name", "broker %s is an IP "
				    "address: set the DNS name its certificate "
				    "carries", c->broker[i].host);
#undef ERR
}

/* ---- public ---------------------------------------------------------------------- */

static void
apply_defaults(struct hr_conf *c, struct load *l)
{
	char why[512];
	size_t i;

	/* the queue table is cleared entry by entry as sections appear
	 * (queue_begin): on a host without queues its pages stay untouched */
	memset(c, 0, offsetof(struct hr_conf, queue));
	memset((char *)c + offsetof(struct hr_conf, nqueues), 0,
	    sizeof(*c) - offsetof(struct hr_conf, nqueues));
	for (i = 0; i < NKEYS; i++)
		if (set_value(c, &keys[i], keys[i].def, why, sizeof(why)) != 0)
			error_at(l, 0, keys[i].section, keys[i].name,
			    "bad built-in default: %s", why);
}

void
conf_defaults(struct hr_conf *c)
{
	struct load l;

	memset(&l, 0, sizeof(l));
	l.path = "(defaults)";
	l.qi = -1;
	apply_defaults(c, &l);
}

static int
load(struct hr_conf *c, const char *path, FILE *err, bool local)
{
	struct load l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.local = local;
	l.c = c;
	l.path = path;
	l.err = err;
	l.qi = -1;
	apply_defaults(c, &l);
	if ((l.f = fopen(path, "r")) == NULL) {
		error_at(&l, 0, NULL, NULL, "%s", strerror(errno));
		return l.nerr;
	}
	rc = ini_parse_stream(reader, &l, handler, &l);
	fclose(l.f);
	queue_end(&l);                   /* the last section, if a queue */
	/* our handler never fails, so a positive result is the first line
	 * inih could not parse */
	if (rc > 0)
		error_at(&l, rc, NULL, NULL, "not a key = value line");
	else if (rc < 0)
		error_at(&l, 0, NULL, NULL, "cannot read the file");
	if (l.nerr == 0)
		cross_checks(&l);
	if (l.nerr > HR_CONF_ERR_MAX && err != NULL)
		fprintf(err, "%s: %d more errors not shown\n", path,
		    l.nerr - HR_CONF_ERR_MAX);
	return l.nerr;
}

int
conf_load(struct hr_conf *c, const char *path, FILE *err)
{
	return load(c, path, err, false);
}

int
conf_load_local(struct hr_conf *c, const char *path, FILE *err)
{
	return load(c, path, err, true);
}

/* A duration in the largest unit that keeps it exact. */
static void
print_dur(uint64_t u, FILE *out)
{
	if (u % 1000000 == 0)
		fprintf(out, "%llus", (unsigned long long)(u / 1000000));
	else if (u % 1000 == 0)
		fprintf(out, "%llums", (unsigned long long)(u / 1000));
	else
		fprintf(out, "%lluus", (unsigned long long)u);
}

/*
 * A fraction as the shortest percentage that reads back as the same
 * double ("10%"), else as the shortest decimal that does: the printed
 * file loads into the same configuration.
 */
static void
print_frac(double d, FILE *out)
{
	char buf[160];
	double back;
	int prec;

	for (prec = 0; prec <= 17; prec++) {
		snprintf(buf, sizeof(buf), "%.*f%%", prec, d * 100);
		if (parse_frac(buf, &back) == 0 && back == d) {
			fputs(buf, out);
			return;
		}
	}
	for (prec = 1; prec < (int)sizeof(buf) - 8; prec++) {
		snprintf(buf, sizeof(buf), "%.*f", prec, d);
		if (parse_frac(buf, &back) == 0 && back == d)
			break;
	}
	fputs(buf, out);
}

static void
print_value(const struct hr_conf *c, const struct key *k, FILE *out)
{
	const char *src = (const char *)c + k->off;
	uint64_t u;
	uint32_t w, i;
	double d;
	bool b, first = true;

	switch (k->type) {
	case K_FSYNC:
		memcpy(&u, src, sizeof(u));
		if (u == 0) {
			fputs("always", out);
			break;
		}
		print_dur(u, out);
		break;
	case K_OFFDUR:
		memcpy(&u, src, sizeof(u));
		if (u == 0) {
			fputs("0", out);
			break;
		}
		print_dur(u, out);
		break;
	case K_DUR:
		memcpy(&u, src, sizeof(u));
		print_dur(u, out);
		break;
	case K_FRAC:
		memcpy(&d, src, sizeof(d));
		print_frac(d, out);
		break;
	case K_SIZE:
		memcpy(&u, src, sizeof(u));
		fprintf(out, "%llu", (unsigned long long)u);
		break;
	case K_UINT:
		memcpy(&w, src, sizeof(w));
		fprintf(out, "%u", w);
		break;
	case K_BOOL:
		memcpy(&b, src, sizeof(b));
		fputs(b ? "yes" : "no", out);
		break;
	case K_BROKERS:
		for (i = 0; i < c->nbrokers; i++)
			fprintf(out, strchr(c->broker[i].host, ':') ?
			    "%s[%s]:%u" : "%s%s:%u", i ? ", " : "",
			    c->broker[i].host, c->broker[i].port);
		break;
	case K_VERSION:
		fputs(c->version == HR_MQTT_V5 ? "5" : "3.1.1", out);
		break;
	case K_LEVEL:
		fputs(level_names[c->log_level], out);
		break;
	case K_TARGET:
		fputs(c->log_target == HR_LOG_SYSLOG ? "syslog" : "stderr",
		    out);
		break;
	case K_SIGNALS:
		for (i = 0; i < HR_SIG_COUNT; i++)
			if (c->off[i]) {
				fprintf(out, "%s%s", first ? "" : ", ",
				    hr_signal_names[i]);
				first = false;
			}
		break;
	case K_MOUNTS:
		for (i = 0; i < c->nmounts; i++)
			fprintf(out, "%s%s", i ? ", " : "", c->mounts[i]);
		break;
	default:
		fputs(src, out);
		break;
	}
}

/* One [queue.NAME] block: the keys its type takes. */
static void
print_queue(const struct hr_queue_conf *q, FILE *out)
{
	unsigned bit = QT(q->type);

	fprintf(out, "\n[" QUEUE_PREFIX "%s]\n", q->name);
	fprintf(out, "type = %s\n", q->type > 0 && (size_t)q->type < NQTYPES ?
	    qtype_names[q->type] : "?");
	if (qkeys[QK_PATH].types & bit)
		fprintf(out, "path = %s\n", q->path);
	if (qkeys[QK_COMMAND].types & bit)
		fprintf(out, "command = %s\n", q->command);
	fprintf(out, "capacity = %llu\n", (unsigned long long)q->capacity);
	if (qkeys[QK_TIMEOUT].types & bit) {
		fputs("timeout = ", out);
		print_dur(q->timeout_us, out);
		fputc('\n', out);
	}
}

void
conf_print(const struct hr_conf *c, FILE *out)
{
	const char *sec = "";
	size_t i;

	for (i = 0; i < NKEYS; i++) {
		if (strcmp(sec, keys[i].section) != 0) {
			sec = keys[i].section;
			fprintf(out, "%s[%s]\n", i ? "\n" : "", sec);
		}
		fprintf(out, "%s = ", keys[i].name);
		print_value(c, &keys[i], out);
		fputc('\n', out);
	}
	for (i = 0; i < c->nqueues; i++)
		print_queue(&c->queue[i], out);
}
