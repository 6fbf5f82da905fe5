/*
 * cmd_run.c - "headroom run": the agent.  One thread, one poll() loop:
 *
 *   - sampling deadlines (every sample_period) and reports (every
 *     report_interval: mean and peak of each series, SenML-CBOR);
 *   - the MQTT session (libmosquitto driven by hand, agent/mqtt.c);
 *   - the connection and TLS pump (agent/link.c, agent/tls.c).
 *
 * Signal handlers only set flags (platform/linux.c).  SIGTERM/SIGINT:
 * publish the offline status, wait briefly for its PUBACK, DISCONNECT,
 * close_notify, exit, all within 2 s.  SIGHUP: reload the configuration;
 * a file with errors leaves the running configuration in place.
 *
 * Everything is allocated at start-up (static storage here, one-time
 * set-up in libmosquitto and mbed TLS); the sampling and reporting path
 * allocates nothing.
 */
#define _POSIX_C_SOURCE 200809L      /* fmemopen */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/collect.h"
#include "../platform/log.h"
#include "../platform/net.h"
#include "../platform/platform.h"
#include "agg.h"
#include "cmd.h"
#include "conf.h"
#include "ident.h"
#include "link.h"
#include "metrics.h"
#include "mqtt.h"
#include "outbox.h"
#include "senml.h"
#include "spool.h"
#include "tls.h"
#include "watch.h"

#ifndef HR_VERSION
#define HR_VERSION "0.1.0-dev"
#endif

#define MSG_MAX        (256 * 1024)
#define STATUS_MAX     8192
#define STOP_ACK_US    1500000u      /* wait for the offline PUBACK */
#define STOP_TOTAL_US  2000000u      /* whole stop sequence */
#define MISC_US        1000000u      /* libmosquitto keepalive checks */
#define NAMES_MAX      1024
#define EVENT_MAX      1024          /* one event pack */

/* Start-up storage: sized once, never grown. */
static struct hr_conf       confs[2];
static struct hr_conf      *conf = &confs[0];
static struct pf_collector  col;
static struct hr_sample     samp[2];
static struct hr_metrics    met;
static struct hr_agg        agg;
static struct hr_rec        recs[HR_MAX_RECORDS];
#define BIRTH_CAPS 256
static struct hr_rec        caps[BIRTH_CAPS];
static char                 cap_group[BIRTH_CAPS][HR_GROUP_LEN];
static uint8_t              msg[MSG_MAX];
static uint8_t              status[STATUS_MAX];
static uint8_t              evbuf[EVENT_MAX];
static char                 conf_path[HR_PATH_LEN];
static char                 rundir[HR_PATH_LEN];
static char                 boot[HR_BOOT_ID_LEN];
static char                 agent_id[HR_ID_LEN];

static struct {
	uint64_t reports;          /* reports made */
	uint64_t births;
	uint64_t events;           /* event sequence: events made */
} stats;

static struct tls_ctx *tls;   /* NULL: plain MQTT */

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: headroom run [-c FILE]\n"
	    "  -c FILE   configuration file (default %s)\n"
	    "Runs the agent in the foreground: samples the host, publishes "
	    "reports to the\nbroker.  SIGTERM/SIGINT stop it cleanly, SIGHUP "
	    "reloads the configuration.\n", HR_CONF_DEFAULT);
}

/* ---- configuration ------------------------------------------------------------- */

static void
collect_conf(const struct hr_conf *c, struct pf_collect_conf *cc)
{
	uint32_t i;

	memset(cc, 0, sizeof(*cc));
	for (i = 0; i < c->nmounts; i++)
		cc->mounts[i] = c->mounts[i];
	cc->nmounts = c->nmounts;
	memcpy(cc->off, c->off, sizeof(cc->off));
}

static unsigned
env_uint(const char *name)
{
	const char *v = getenv(name);

	return v != NULL ? (unsigned)strtoul(v, NULL, 10) : 0;
}

static void
tls_params_of(const struct hr_conf *c, struct tls_params *tp)
{
	memset(tp, 0, sizeof(*tp));
	tp->ca_file = c->ca_file;
	tp->cert_file = c->cert_file;
	tp->key_file = c->key_file;
	tp->psk_identity = c->psk_identity;
	tp->psk_file = c->psk_file;
	tp->pin_sha256 = c->pin_sha256;
	tp->verify_hostname = c->verify_hostname;
	/* fault injection for the WANT_WRITE tests (docs/transport.md) */
	tp->trickle = env_uint("HEADROOM_TEST_TRICKLE");
}

static void
link_params_of(const struct hr_conf *c, struct link_params *lp)
{
	uint64_t ut = c->keepalive_us > c->handshake_timeout_us ?
	    c->keepalive_us : c->handshake_timeout_us;

	memset(lp, 0, sizeof(*lp));
	lp->broker = c->broker;
	lp->nbrokers = c->nbrokers;
	lp->tls = c->tls_enabled ? tls : NULL;
	lp->server_name = c->server_name;
	lp->timeout_us = c->handshake_timeout_us;
	/* unacknowledged data to a frozen broker fails the connection after
	 * about one and a half keepalives */
	lp->user_timeout_ms = (unsigned)(ut * 3 / 2 / 1000);
	lp->sndbuf = (int)env_uint("HEADROOM_TEST_SNDBUF");
	lp->backoff_min_us = c->reconnect_min_us;
	lp->backoff_max_us = c->reconnect_max_us < c->reconnect_min_us ?
	    c->reconnect_min_us : c->reconnect_max_us;
	lp->rundir = rundir;
}

static int
mqtt_start(const struct hr_conf *c, char *why, size_t cap)
{
	struct mqtt_params mp;

	memset(&mp, 0, sizeof(mp));
	mp.agent_id = agent_id;
	mp.client_id = c->client_id;
	mp.topic_prefix = c->topic_prefix;
	mp.keepalive_s = (unsigned)(c->keepalive_us / 1000000);
	mp.qos = (int)c->qos;
	mp.version = (int)c->version;
	mp.username = c->username;
	mp.password_file = c->password_file;
	mp.max_inflight = c->max_inflight;
	mp.expiry_s = (unsigned)(c->message_expiry_us / 1000000);
	mp.on_ack = outbox_ack;
	return mqtt_init(&mp, why, cap);
}

static void
outbox_params_of(const struct hr_conf *c, struct outbox_params *op)
{
	memset(op, 0, sizeof(*op));
	op->max_inflight = c->max_inflight;
	op->qos = (int)c->qos;
	op->replay_rate = c->replay_rate;
	op->live_us = c->report_interval_us;
}

static void
spool_params_of(const struct hr_conf *c, long uid, struct spool_params *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->memory = (size_t)c->spool_memory;
	sp->dir = c->spool_dir;
	sp->max_disk = c->spool_max_disk;
	sp->fsync_us = c->spool_fsync_us;
	/* the largest max_message a reload may set: records read back
	 * from disk always fit */
	sp->max_message = MSG_MAX;
	sp->uid = uid;
}

static void event_out(void *ctx, const struct watch_event *ev);

static void
watch_params_of(const struct hr_conf *c, struct watch_params *wp)
{
	watch_params_conf(c, wp);
	wp->on_event = event_out;
}

static void
log_setup(const struct hr_conf *c)
{
	log_set_level((enum hr_log_level)c->log_level);
	log_to_syslog(c->log_target == HR_LOG_SYSLOG);
}

/* ---- status messages ---------------------------------------------------------------- */

static void
head_now(struct senml_head *h)
{
	memset(h, 0, sizeof(*h));
	h->agent_id = agent_id;
	h->boot_id = boot;
	h->time_s = floor((double)pf_wall_ns() / 1e6) / 1e3;
}

/* The offline status: the MQTT will ("lost") or a clean stop. */
static int
offline_pack(const char *reason, size_t *len)
{
	struct senml_head h;
	struct senml_text t[2] = {
		{ "status", "offline" }, { "reason", reason }
	};

	head_now(&h);
	return senml_status(&h, t, 2, NULL, 0, status, sizeof(status), len);
}

static void
kernel_file(const char *rel, char *buf, size_t cap)
{
	size_t n = 0;

	if (pf_read_file(rel, buf, cap, &n) != 0)
		n = 0;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, cap, "unknown");
}

struct capture {
	uint32_t n;
};

static void
cap_series(void *ctx, const char *group, const struct hr_series_desc *d,
    double v)
{
	struct capture *c = ctx;

	if (d->kind != HR_AGG_CAPACITY || c->n >= BIRTH_CAPS)
		return;
	/* the group is the enumerator's scratch: keep a copy */
	snprintf(cap_group[c->n], HR_GROUP_LEN, "%s", group);
	caps[c->n].group = cap_group[c->n];
	caps[c->n].name = d->name;
	caps[c->n].peak = false;
	caps[c->n].unit = d->unit;
	caps[c->n].v = senml_quantise(d->unit, v);
	caps[c->n].vs = NULL;
	c->n++;
}

/* A figure of the spool, sent as the record "spool.<name>". */
struct spool_fig {
	const char *name;
	const char *unit;
	double      v;
};

/* Records for f[0..n) into r, at most cap of them; returns how many. */
static uint32_t
spool_fill(struct hr_rec *r, uint32_t cap, const struct spool_fig *f,
    uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n && i < cap; i++) {
		r[i].group = "spool.";
		r[i].name = f[i].name;
		r[i].peak = false;
		r[i].unit = f[i].unit;
		r[i].v = senml_quantise(f[i].unit, f[i].v);
		r[i].vs = NULL;
	}
	return i;
}

/* What the spool can hold: a central team sees how long an outage this
 * agent rides out. */
static void
spool_caps(struct capture *c)
{
	const struct spool_fig v[] = {
		{ "memory", "B", (double)conf->spool_memory },
		{ "max_disk", "B", conf->spool_dir[0] != '\0' ?
		    (double)conf->spool_max_disk : 0 },
		{ "replay_rate", "1/s", (double)conf->replay_rate },
		{ "backlog", "count", (double)outbox_backlog() },
	};

	c->n += spool_fill(caps + c->n, BIRTH_CAPS - c->n, v,
	    (uint32_t)(sizeof(v) / sizeof(v[0])));
}

/* Comma-separated names into buf (cut, never overflowed). */
static void
name_list(char *buf, size_t cap, const char *name, size_t stride,
    uint32_t n)
{
	size_t len = 0;
	uint32_t i;
	int k;

	buf[0] = '\0';
	for (i = 0; i < n && len < cap; i++) {
		k = snprintf(buf + len, cap - len, "%s%s", i ? "," : "",
		    name + i * stride);
		if (k < 0 || (size_t)k >= cap - len)
			break;
		len += (size_t)k;
	}
}

/* The retained birth message: who this agent is and what it watches. */
static int
birth_pack(size_t *len)
{
	static char host[HR_HOST_LEN], kern[128], arch[64], ver[32];
	static char disks[NAMES_MAX], ifaces[NAMES_MAX], mounts[NAMES_MAX];
	static char sp[32], ri[32], ncpu[16];
	const struct hr_sample *s = samp[1].mono_us > samp[0].mono_us ?
	    &samp[1] : &samp[0];
	struct senml_head h;
	struct capture c = { 0 };
	struct senml_text t[11];
	size_t nt = 0;

	kernel_file("proc/sys/kernel/hostname", host, sizeof(host));
	if (strcmp(host, "unknown") == 0 && strcmp(pf_root(), "/") == 0 &&
	    pf_hostname(host, sizeof(host)) != 0)
		snprintf(host, sizeof(host), "unknown");
	kernel_file("proc/sys/kernel/osrelease", kern, sizeof(kern));
	kernel_file("proc/sys/kernel/arch", arch, sizeof(arch));
	snprintf(ver, sizeof(ver), "%s", HR_VERSION);
	name_list(disks, sizeof(disks), s->disk[0].name, sizeof(s->disk[0]),
	    s->ndisks);
	name_list(ifaces, sizeof(ifaces), s->iface[0].name,
	    sizeof(s->iface[0]), s->nifaces);
	name_list(mounts, sizeof(mounts), s->mount[0].path,
	    sizeof(s->mount[0]), s->nmounts);
	snprintf(sp, sizeof(sp), "%g", (double)conf->sample_period_us / 1e6);
	snprintf(ri, sizeof(ri), "%g", (double)conf->report_interval_us / 1e6);
	snprintf(ncpu, sizeof(ncpu), "%u", s->ncpu);
	t[nt++] = (struct senml_text){ "status", "online" };
	t[nt++] = (struct senml_text){ "version", ver };
	t[nt++] = (struct senml_text){ "host", host };
	t[nt++] = (struct senml_text){ "kernel", kern };
	t[nt++] = (struct senml_text){ "arch", arch };
	t[nt++] = (struct senml_text){ "cpus", ncpu };
	t[nt++] = (struct senml_text){ "sample_period", sp };
	t[nt++] = (struct senml_text){ "report_interval", ri };
	t[nt++] = (struct senml_text){ "disks", disks };
	t[nt++] = (struct senml_text){ "interfaces", ifaces };
	t[nt++] = (struct senml_text){ "mounts", mounts };
	/* capacities (memory, link speeds, sizes, limits), as in reports */
	series_each(&met, cap_series, &c);
	spool_caps(&c);
	head_now(&h);
	return senml_status(&h, t, nt, caps, c.n, status, sizeof(status), len);
}

static void
publish_birth(void)
{
	size_t len;

	if (birth_pack(&len) != 0) {
		log_warnx("run: the birth message does not fit %d bytes",
		    STATUS_MAX);
		return;
	}
	if (mqtt_publish(MQTT_STATUS, status, len, true, NULL) == 0)
		stats.births++;
	/* a new session may have new subscribers: restate capacities */
	agg_caps_reset(&agg);
}

static void
set_will(void)
{
	size_t len;

	if (offline_pack("lost", &len) == 0)
		(void)mqtt_set_will(status, len);
}

/* ---- reports -------------------------------------------------------------------------- */

static int64_t
wall_ms(void)
{
	return pf_wall_ns() / 1000000;
}

static int
emit_report(void *ctx, const uint8_t *buf, size_t len, uint32_t part,
    uint32_t parts)
{
	const uint64_t *seq = ctx;

	(void)parts;
	/* into the spool: delivered only when acknowledged */
	outbox_put(buf, len, *seq, part, SPOOL_REPORT, wall_ms());
	return 0;
}

/*
 * An event (docs/schema.md, "Events"): encoded at once and put into the
 * spool like a report, so that it is delivered (on the event topic)
 * even through an outage.
 */
static void
event_out(void *ctx, const struct watch_event *ev)
{
	struct senml_head h;
	struct senml_text t[4];
	struct senml_num v[5];
	size_t nv = 0, len;
	const char *unit = ev->cond == WATCH_EXHAUSTION ? "s" : "/";

	(void)ctx;
	t[0] = (struct senml_text){ "event", watch_cond_name(ev->cond) };
	t[1] = (struct senml_text){ "state", ev->raised ? "raised" :
	    "cleared" };
	t[2] = (struct senml_text){ "resource", ev->resource };
	t[3] = (struct senml_text){ "why", ev->why };
	if (!isnan(ev->headroom))
		v[nv++] = (struct senml_num){ "headroom", "/", ev->headroom };
	v[nv++] = (struct senml_num){ "level", unit, ev->level };
	if (!isnan(ev->score))
		v[nv++] = (struct senml_num){ "score", "/", ev->score };
	if (!isnan(ev->tte))
		v[nv++] = (struct senml_num){ "tte", "s", ev->tte };
	v[nv++] = (struct senml_num){ "held", "s", ev->held_s };
	head_now(&h);
	h.seq = ++stats.events;
	if (isnan(ev->tte))
		log_info("event %llu: %s %s on %s (%s): headroom %.3g",
		    (unsigned long long)h.seq, t[0].value, t[1].value,
		    ev->resource, ev->why, ev->headroom);
	else
		log_info("event %llu: %s %s on %s (%s): headroom %.3g, full "
		    "in %.0f s", (unsigned long long)h.seq, t[0].value,
		    t[1].value, ev->resource, ev->why, ev->headroom, ev->tte);
	if (senml_event(&h, t, 4, v, nv, evbuf, sizeof(evbuf), &len) != 0) {
		outbox_count_encode();
		return;
	}
	outbox_put(evbuf, len, h.seq, 0, SPOOL_EVENT, wall_ms());
}

/* Delivery accounting, in every report (docs/spool.md): counts since
 * the agent started, and what waits now. */
static uint32_t
spool_records(struct hr_rec *r, uint32_t cap)
{
	const struct spool_stats *s = spool_stats();
	const struct outbox_stats *o = outbox_stats();
	const struct spool_fig v[] = {
		{ "backlog", "count", (double)outbox_backlog() },
		{ "spooled", "count", (double)o->spooled },
		{ "replayed", "count", (double)o->replayed },
		{ "loaded", "count", (double)s->loaded },
		{ "dropped.ram", "count", (double)s->dropped_ram },
		{ "dropped.disk", "count", (double)s->dropped_disk },
		{ "dropped.encode", "count", (double)o->dropped_encode },
		{ "dropped.refused", "count", (double)o->refused },
		{ "damaged", "count", (double)s->damaged },
		{ "disk", "count", spool_disk_usable() ? 1 : 0 },
		{ "ram_bytes", "B", (double)s->ram_used },
		{ "disk_bytes", "B", (double)s->disk_bytes },
	};
	uint32_t n = (uint32_t)(sizeof(v) / sizeof(v[0]));

	/* all of them or none */
	if (n > cap)
		return 0;
	return spool_fill(r, cap, v, n);
}

static void
report(uint64_t seq, uint64_t interval_us)
{
	struct senml_head h;
	uint32_t n;
	int r;

	head_now(&h);
	h.seq = seq;
	h.interval_s = floor((double)interval_us / 1e3 + 0.5) / 1e3;
	/* text records first (senml.h) */
	n = watch_records(recs, HR_MAX_RECORDS);
	n += agg_finish(&agg, recs + n, HR_MAX_RECORDS - n);
	n += spool_records(recs + n, HR_MAX_RECORDS - n);
	stats.reports++;
	r = senml_encode(&h, recs, n, (size_t)conf->max_message, msg,
	    sizeof(msg), emit_report, &seq);
	if (r < 0) {
		outbox_count_encode();
		log_warnx("run: report %llu cannot be encoded within "
		    "max_message", (unsigned long long)seq);
	}
}

/* ---- reload ---------------------------------------------------------------------------- */

static void
log_lines(char *text)
{
	char *line, *save = NULL;

	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		log_warnx("reload: %s", line);
}

static void
reload(uint64_t now)
{
	struct hr_conf *next = conf == &confs[0] ? &confs[1] : &confs[0];
	struct pf_collect_conf cc;
	struct tls_params tp;
	struct link_params lp;
	struct tls_ctx *nt = NULL;
	struct outbox_params op;
	struct watch_params wp;
	static char errs[4096];
	char why[256];
	FILE *f;
	int n;

	memset(errs, 0, sizeof(errs));
	f = fmemopen(errs, sizeof(errs) - 1, "w");
	n = conf_load(next, conf_path, f);
	if (f != NULL)
		fclose(f);
	if (n != 0) {
		log_lines(errs);
		log_warnx("reload: %s has %d error%s: keeping the running "
		    "configuration", conf_path, n, n == 1 ? "" : "s");
		return;
	}
	if (next->id[0] == '\0')
		snprintf(next->id, sizeof(next->id), "%s", agent_id);
	if (strcmp(next->id, agent_id) != 0 ||
	    strcmp(next->root, conf->root) != 0) {
		log_warnx("reload: [agent] id and root change only with a "
		    "restart: keeping the running configuration");
		return;
	}
	if (next->tls_enabled) {
		tls_params_of(next, &tp);
		if (tls_ctx_new(&tp, &nt, why, sizeof(why)) != 0) {
			log_warnx("reload: %s: keeping the running "
			    "configuration", why);
			return;
		}
	}
	/* the new configuration is good: switch over */
	link_close("reload");
	if (outbox_inflight() > 0)
		log_info("reload: %u unacknowledged messages are sent again "
		    "after reconnecting", outbox_inflight());
	if (memcmp(next->broker, conf->broker, sizeof(conf->broker)) != 0 ||
	    strcmp(next->topic_prefix, conf->topic_prefix) != 0 ||
	    strcmp(next->client_id, conf->client_id) != 0 ||
	    strcmp(next->username, conf->username) != 0 ||
	    strcmp(next->password_file, conf->password_file) != 0 ||
	    next->qos != conf->qos || next->version != conf->version ||
	    next->keepalive_us != conf->keepalive_us ||
	    next->max_inflight != conf->max_inflight ||
	    next->message_expiry_us != conf->message_expiry_us) {
		/* what was in flight stays in the spool: the outbox sees
		 * the session end and sends it again */
		mqtt_free();
		if (mqtt_start(next, why, sizeof(why)) != 0) {
			/* cannot happen with a checked file; be loud */
			log_warnx("reload: MQTT client: %s", why);
		}
	} else if (mqtt_credentials(next->username, next->password_file, why,
	    sizeof(why)) != 0) {
		/* the password file is read again: a rotated password */
		log_warnx("reload: %s: the old password stays in use", why);
	}
	if (next->spool_memory != conf->spool_memory ||
	    strcmp(next->spool_dir, conf->spool_dir) != 0 ||
	    next->spool_max_disk != conf->spool_max_disk ||
	    next->spool_fsync_us != conf->spool_fsync_us)
		log_warnx("reload: [spool] memory, dir, max_disk and fsync "
		    "change only with a restart: the spool keeps its settings");
	if (tls != NULL)
		tls_ctx_free(tls);
	tls = nt;
	conf = next;
	log_setup(conf);
	collect_conf(conf, &cc);
	pf_collect_init(&col, &cc);
	link_params_of(conf, &lp);
	link_reconfigure(&lp);
	outbox_params_of(conf, &op);
	outbox_reconfigure(&op);
	watch_params_of(conf, &wp);
	watch_reconfigure(&wp);
	set_will();
	link_resume(now);
	log_info("reload: %s loaded", conf_path);
}

/* ---- start-up --------------------------------------------------------------------------- */

static int
start(void)
{
	struct pf_collect_conf cc;
	struct tls_params tp;
	struct link_params lp;
	struct spool_params sp;
	struct outbox_params op;
	struct watch_params wp;
	char why[256];
	long uid = -1;
	int n;

	n = conf_load(conf, conf_path, stderr);
	if (n != 0) {
		fprintf(stderr, "headroom: %s: %d error%s: not starting\n",
		    conf_path, n, n == 1 ? "" : "s");
		return HR_EXIT_CONFIG;
	}
	log_setup(conf);
	if (conf->id[0] != '\0') {
		snprintf(agent_id, sizeof(agent_id), "%s", conf->id);
	} else if (pf_hostname(agent_id, sizeof(agent_id)) != 0 ||
	    !hr_id_valid(agent_id)) {
		fprintf(stderr, "headroom: %s: [agent] id: the host name is not "
		    "a valid agent id: set one\n", conf_path);
		return HR_EXIT_CONFIG;
	}
	if (pf_root_set(conf->root) != 0) {
		fprintf(stderr, "headroom: %s: [agent] root: '%s' is not a "
		    "readable directory\n", conf_path, conf->root);
		return HR_EXIT_CONFIG;
	}
	if (hr_boot_id(boot, sizeof(boot)) != 0) {
		log_warnx("run: no random source for the boot id");
		return HR_EXIT_FAIL;
	}
	if (pf_is_root() && conf->user[0] != '\0' &&
	    pf_user_uid(conf->user, &uid) != 0) {
		fprintf(stderr, "headroom: %s: [agent] user: no user '%s'\n",
		    conf_path, conf->user);
		return HR_EXIT_CONFIG;
	}

	/* what may need root is opened before the drop: the credentials,
	 * the runtime directory, and the sampled files the collector keeps
	 * open (its descriptor cache; others are reopened unprivileged) */
	if (conf->tls_enabled) {
		tls_params_of(conf, &tp);
		if (tls_ctx_new(&tp, &tls, why, sizeof(why)) != 0) {
			fprintf(stderr, "headroom: %s: [tls] %s\n", conf_path,
			    why);
			return HR_EXIT_CONFIG;
		}
	} else {
		log_warnx("run: TLS is off ([tls] enabled = no): plain MQTT to "
		    "a loopback broker, INSECURE, for demos and tests only");
	}
	if (mqtt_start(conf, why, sizeof(why)) != 0) {
		fprintf(stderr, "headroom: %s: [mqtt] %s\n", conf_path, why);
		return HR_EXIT_CONFIG;
	}
	if (pf_rundir_create(rundir, sizeof(rundir), uid) != 0) {
		log_warn("run: cannot create the runtime directory %s", rundir);
		return HR_EXIT_FAIL;
	}
	/* the spool directory may need root to create (then it is given to
	 * the user); its segments are opened now, new ones made later */
	spool_params_of(conf, uid, &sp);
	if (spool_init(&sp) != 0) {
		log_warnx("run: no memory for the spool ([spool] memory)");
		pf_rundir_remove(rundir);
		return HR_EXIT_FAIL;
	}
	outbox_params_of(conf, &op);
	outbox_init(&op);
	collect_conf(conf, &cc);
	pf_collect_init(&col, &cc);
	pf_collect(&col, &samp[0]);

	if (pf_is_root()) {
		if (conf->user[0] != '\0') {
			if (pf_drop_privileges(conf->user, why, sizeof(why)) !=
			    0) {
				log_warnx("run: %s: not going on as root", why);
				pf_rundir_remove(rundir);
				return HR_EXIT_FAIL;
			}
			log_info("run: now running as user %s", conf->user);
		} else {
			log_warnx("run: running as root: set [agent] user to an "
			    "unprivileged account");
		}
	}
	link_params_of(conf, &lp);
	link_init(&lp);
	set_will();
	agg_init(&agg);
	/* queue commands run as the user the agent now is */
	watch_params_of(conf, &wp);
	watch_init(&wp);
	return 0;
}

/* ---- the loop --------------------------------------------------------------------------- */

static int
timeout_ms(uint64_t now, uint64_t deadline)
{
	uint64_t d;

	if (deadline <= now)
		return 0;
	d = (deadline - now + 999) / 1000;
	return d > 60000 ? 60000 : (int)d;
}

/* One pass: poll, then let every part act.  Returns the time after. */
static uint64_t
turn(uint64_t deadline)
{
	struct pf_pollfd p[4 + HR_MAX_QUEUES];
	unsigned n, mi = 0;
	uint64_t now = pf_mono_us();
	int fd;

	n = link_pollfds(p, now, &deadline);
	if ((fd = mqtt_fd()) >= 0) {
		mi = n;
		p[n].fd = fd;
		p[n++].events = (short)(PF_IN | (mqtt_want_write() ? PF_OUT :
		    0));
	}
	n += watch_pollfds(p + n, (unsigned)(sizeof(p) / sizeof(p[0])) - n,
	    &deadline);
	if (pf_poll(p, n, timeout_ms(now, deadline)) < 0) {
		for (unsigned i = 0; i < n; i++)
			p[i].revents = 0;
	}
	now = pf_mono_us();
	if (fd >= 0 && mqtt_fd() == fd)
		mqtt_io((p[mi].revents & (PF_IN | PF_HUP | PF_ERR)) != 0,
		    (p[mi].revents & PF_OUT) != 0);
	link_step(p, n, now);
	watch_io(p, n, now);
	/* libmosquitto writes as soon as it can; move it along */
	if (mqtt_fd() >= 0 && mqtt_want_write())
		mqtt_io(false, true);
	return now;
}

static void
stop_sequence(void)
{
	uint64_t t0 = pf_mono_us(), now = t0;
	size_t len;

	if (mqtt_state() == MQTT_UP &&
	    offline_pack("stopped", &len) == 0 &&
	    mqtt_publish(MQTT_STATUS, status, len, true, NULL) == 0) {
		/* until the offline status (and what was before it) is
		 * acknowledged, or time is up */
		while (mqtt_inflight() > 0 && mqtt_state() == MQTT_UP &&
		    now - t0 < STOP_ACK_US)
			now = turn(t0 + STOP_ACK_US);
	}
	if (mqtt_state() == MQTT_UP) {
		mqtt_disconnect();
		link_finish();
		while (link_active() && now - t0 < STOP_TOTAL_US)
			now = turn(t0 + STOP_TOTAL_US);
	}
	link_close("stop");
}

int
cmd_run(int argc, char **argv)
{
	uint64_t period, every, nsamp = 0, rseq = 0, next, next_misc, t_int;
	uint64_t connects = 0, now, next_out = UINT64_MAX, unsent, made;
	const struct link_stats *ls;
	const struct mqtt_stats *ms;
	const struct outbox_stats *os;
	const struct spool_stats *ss;
	int i, r, cur = 0;
	bool reported;

	snprintf(conf_path, sizeof(conf_path), "%s", HR_CONF_DEFAULT);
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		}
		if ((strcmp(argv[i], "-c") == 0 ||
		    strcmp(argv[i], "--config") == 0) && i + 1 < argc) {
			snprintf(conf_path, sizeof(conf_path), "%s", argv[++i]);
			continue;
		}
		fprintf(stderr, "headroom run: unknown option '%s'\n", argv[i]);
		usage(stderr);
		return HR_EXIT_USAGE;
	}
	/* flags only, and before anything else: a SIGHUP during start-up
	 * must not end the process */
	pf_signals_init();
	if ((r = start()) != 0)
		return r;
	log_info("run: agent %s (boot %s) started: sampling every %g s, "
	    "reporting every %g s to %s", agent_id, boot,
	    (double)conf->sample_period_us / 1e6,
	    (double)conf->report_interval_us / 1e6, mqtt_topic(MQTT_REPORT));

	period = conf->sample_period_us;
	every = conf->report_interval_us / period;
	next = samp[0].mono_us + period;
	t_int = samp[0].mono_us;
	next_misc = pf_mono_us() + MISC_US;
	while (!pf_stop_requested()) {
		uint64_t dl = next < next_misc ? next : next_misc;
		now = turn(dl < next_out ? dl : next_out);
		if (pf_stop_requested())
			break;
		spool_tick(now);
		if (pf_reload_requested()) {
			reload(now);
			period = conf->sample_period_us;
			every = conf->report_interval_us / period;
			next = now + period;
		}
		if (now >= next_misc) {
			mqtt_misc();
			next_misc = now + MISC_US;
		}
		ms = mqtt_stats();
		/* the birth carries capacities: wait for the first metrics */
		if (ms->connects != connects && mqtt_state() == MQTT_UP &&
		    nsamp > 0) {
			connects = ms->connects;
			publish_birth();
		}
		next_out = outbox_pump(now, wall_ms());
		if (now < next)
			continue;
		/* a sample is due */
		cur ^= 1;
		pf_collect(&col, &samp[cur]);
		metrics_compute(&samp[cur ^ 1], &samp[cur], &met);
		made = stats.events;
		watch_sample(&met, samp[cur].mono_us);
		agg_add(&agg, &met);
		reported = ++nsamp % every == 0;
		if (reported) {
			report(++rseq, samp[cur].mono_us - t_int);
			t_int = samp[cur].mono_us;
		}
		/* a report, or an event, goes out at once when connected
		 * (the pump above ran before this sample) */
		if (reported || stats.events != made)
			next_out = outbox_pump(pf_mono_us(), wall_ms());
		/* fixed schedule; after a stall, resynchronise */
		next += period;
		if (samp[cur].mono_us > next)
			next = samp[cur].mono_us + period;
	}

	log_info("run: stopping");
	watch_stop();
	stop_sequence();
	/* what is not acknowledged goes to the file spool, if there is one */
	unsent = outbox_stop();
	if (unsent > 0)
		log_warnx("run: %llu undelivered message%s in RAM %s lost (no "
		    "usable file spool: [spool] dir)", (unsigned long long)unsent,
		    unsent == 1 ? "" : "s", unsent == 1 ? "is" : "are");
	ms = mqtt_stats();
	ls = link_stats();
	os = outbox_stats();
	ss = spool_stats();
	log_info("run: stopped: reports %llu, published %llu, acknowledged "
	    "%llu, delivered %llu, spooled %llu, replayed %llu, waiting "
	    "%llu (disk %llu), dropped %llu (ram %llu, disk %llu, encode "
	    "%llu, refused %llu), damaged %llu, window max %u, events %llu "
	    "(raised %llu, cleared %llu), connects %llu, failures %llu, "
	    "want_write %lu",
	    (unsigned long long)stats.reports,
	    (unsigned long long)ms->published, (unsigned long long)ms->acked,
	    (unsigned long long)os->delivered,
	    (unsigned long long)os->spooled,
	    (unsigned long long)os->replayed,
	    (unsigned long long)(ss->ram_waiting + ss->disk_waiting),
	    (unsigned long long)ss->disk_waiting,
	    (unsigned long long)(ss->dropped_ram + ss->dropped_disk +
	    os->dropped_encode + os->refused),
	    (unsigned long long)ss->dropped_ram,
	    (unsigned long long)ss->dropped_disk,
	    (unsigned long long)os->dropped_encode,
	    (unsigned long long)os->refused,
	    (unsigned long long)ss->damaged,
	    os->inflight_max,
	    (unsigned long long)stats.events,
	    (unsigned long long)watch_stats()->raised,
	    (unsigned long long)watch_stats()->cleared,
	    (unsigned long long)ms->connects,
	    (unsigned long long)ls->failures,
	    tls != NULL ? tls_want_writes(tls) : 0ul);
	spool_free();
	mqtt_free();
	if (tls != NULL)
		tls_ctx_free(tls);
	pf_rundir_remove(rundir);
	return HR_EXIT_OK;
}
