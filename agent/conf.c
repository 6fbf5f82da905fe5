/*
 * conf.c - configuration table, INI loading (libinih) and validation.
 *
 * Every key is one row of keys[] below: section, name, type, where it
 * goes, its range and its default as text.  Defaults are applied by
 * parsing that text with the same code as the file, so a default can
 * never be a value the parser would refuse.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "../platform/log.h"
#include "../platform/platform.h"
#include "conf.h"
#include "err.h"
#include "ident.h"
#include "units.h"

enum ktype {
	K_ID, K_STR, K_HOST, K_DUR, K_SIZE, K_UINT, K_BOOL, K_PATH, K_FILE,
	K_SECRET, K_BROKERS, K_VERSION, K_LEVEL, K_TARGET, K_PIN, K_SIGNALS,
	K_MOUNTS, K_OPTDIR, K_FSYNC
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

	{ "log", "level", K_LEVEL, O(log_level), 0, 0, "info" },
	{ "log", "target", K_TARGET, O(log_target), 0, 0, "stderr" },
};
#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static const char *const sections[] = { "agent", "mqtt", "tls", "collect",
	"spool", "log" };

/* ---- load state --------------------------------------------------------- */

struct load {
	struct hr_conf *c;
	const char     *path;
	FILE           *f;
	FILE           *err;
	int             line;       /* line being parsed */
	int             nerr;
	int             set_line[NKEYS];   /* 0: default */
	char            section[64];
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
		if (!known_section(s + 1))
			error_at(l, l->line, s + 1, NULL, "unknown section "
			    "(known: agent, mqtt, tls, collect, log)");
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

	memset(c, 0, sizeof(*c));
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
	apply_defaults(c, &l);
}

int
conf_load(struct hr_conf *c, const char *path, FILE *err)
{
	struct load l;
	int rc;

	memset(&l, 0, sizeof(l));
	l.c = c;
	l.path = path;
	l.err = err;
	apply_defaults(c, &l);
	if ((l.f = fopen(path, "r")) == NULL) {
		error_at(&l, 0, NULL, NULL, "%s", strerror(errno));
		return l.nerr;
	}
	rc = ini_parse_stream(reader, &l, handler, &l);
	fclose(l.f);
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

static void
print_value(const struct hr_conf *c, const struct key *k, FILE *out)
{
	const char *src = (const char *)c + k->off;
	uint64_t u;
	uint32_t w, i;
	bool b, first = true;

	switch (k->type) {
	case K_FSYNC:
		memcpy(&u, src, sizeof(u));
		if (u == 0) {
			fputs("always", out);
			break;
		}
		/* fall through */
	case K_DUR:
		memcpy(&u, src, sizeof(u));
		if (u % 1000000 == 0)
			fprintf(out, "%llus", (unsigned long long)(u / 1000000));
		else
			fprintf(out, "%llums", (unsigned long long)(u / 1000));
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
}
