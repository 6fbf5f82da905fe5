/*
 * link.c - connection state machine and TLS pump (see link.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../platform/log.h"
#include "../platform/platform.h"
#include "err.h"
#include "link.h"
#include "mqtt.h"
#include "tls.h"

#define PUMP_BUF      16384     /* one TLS record of plaintext */
#define LOG_REPEAT_US (60u * 1000000u)

enum lstate { L_IDLE, L_RESOLVE, L_CONNECT, L_HANDSHAKE, L_SESSION,
	L_CLOSED };

static struct {
	struct link_params p;
	enum lstate  state;
	bool         finishing;      /* stop: let the session end cleanly */
	unsigned     bi;             /* broker in use */
	unsigned     tried;          /* brokers failed in this round */
	unsigned     attempt;        /* backoff exponent */
	uint64_t     retry_at, deadline;
	struct pf_resolver res;
	struct pf_addr addr[PF_ADDR_MAX];
	unsigned     naddr, ai;
	int          tcp, usock, lsock;
	bool         tls_up;
	bool         announced;      /* "connected" logged for this session */
	uint8_t      up[PUMP_BUF];   /* libmosquitto -> broker */
	size_t       up_len, up_off;
	bool         up_eof;
	uint8_t      down[PUMP_BUF]; /* broker -> libmosquitto */
	size_t       down_len, down_off;
	bool         down_eof;       /* the broker's side ended */
	char         down_why[200];
	int          plain_wants;
	char         path[HR_PATH_LEN + 16];
	char         name[HR_HOST_LEN + 8];
	char         lastlog[320];
	uint64_t     lastlog_at;
	unsigned long suppressed;
	struct link_stats stats;
} L = { .tcp = -1, .usock = -1, .lsock = -1 };

static const struct hr_broker *
broker(void)
{
	return &L.p.broker[L.bi % L.p.nbrokers];
}

/* A failure, logged in words; the same words again within a minute are
 * counted and folded into the next line that gets through. */
static void
say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
say(const char *fmt, ...)
{
	char msg[320];
	va_list ap;
	uint64_t now = pf_mono_us();

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (strcmp(msg, L.lastlog) == 0 && now - L.lastlog_at < LOG_REPEAT_US) {
		L.suppressed++;
		log_debug("%s", msg);
		return;
	}
	if (L.suppressed > 0 && strcmp(msg, L.lastlog) == 0)
		log_warnx("%s (and %lu times more in the last minute)", msg,
		    L.suppressed);
	else
		log_warnx("%s", msg);
	snprintf(L.lastlog, sizeof(L.lastlog), "%s", msg);
	L.lastlog_at = now;
	L.suppressed = 0;
}

void
link_init(const struct link_params *p)
{
	L.state = L_IDLE;
	L.retry_at = 0;
	L.tcp = L.usock = L.lsock = -1;
	L.res.fd = L.res.pid = -1;
	link_reconfigure(p);
}

void
link_reconfigure(const struct link_params *p)
{
	L.p = *p;
	L.bi = 0;
	L.tried = 0;
	L.attempt = 0;
	if ((size_t)snprintf(L.path, sizeof(L.path), "%s/mqtt.sock",
	    p->rundir) >= sizeof(L.path))
		L.path[0] = '\0';
}

/* ---- teardown and retry ------------------------------------------------------ */

static void
teardown(bool notify)
{
	if (L.res.fd >= 0)
		pf_resolve_cancel(&L.res);
	if (L.tls_up || (L.state == L_HANDSHAKE && L.p.tls != NULL))
		tls_end(L.p.tls, notify && L.tls_up);
	L.tls_up = false;
	pf_sock_close(L.tcp);
	pf_sock_close(L.usock);
	if (L.lsock >= 0) {
		pf_sock_close(L.lsock);
		pf_unlink(L.path);
	}
	L.tcp = L.usock = L.lsock = -1;
	L.up_len = L.up_off = L.down_len = L.down_off = 0;
	L.up_eof = L.down_eof = false;
	if (L.state == L_SESSION)
		mqtt_drop();
}

static uint64_t
jitter(uint64_t cap)
{
	uint32_t r = 0;

	(void)pf_random(&r, sizeof(r));
	/* full jitter: uniform in [0, cap] */
	return cap == 0 ? 0 : (uint64_t)((double)cap * ((double)r /
	    4294967295.0));
}

static void
schedule_retry(uint64_t now)
{
	uint64_t cap = L.p.backoff_min_us;
	unsigned i;

	L.tried++;
	L.bi = (L.bi + 1) % L.p.nbrokers;
	if (L.tried >= L.p.nbrokers) {
		/* a whole round failed: back off further */
		L.tried = 0;
		if (L.attempt < 30)
			L.attempt++;
	}
	for (i = 0; i < L.attempt && cap < L.p.backoff_max_us; i++)
		cap *= 2;
	if (cap > L.p.backoff_max_us)
		cap = L.p.backoff_max_us;
	L.retry_at = now + jitter(cap);
	L.state = L_IDLE;
	log_debug("link: next attempt in %.1f s (%s)",
	    (double)(L.retry_at - now) / 1e6, L.name);
}

static void
fail(uint64_t now, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void
fail(uint64_t now, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	teardown(L.tls_up);
	L.stats.failures++;
	say("link: %s: %s", L.name, why);
	schedule_retry(now);
}

/* ---- connection steps ---------------------------------------------------------- */

static const char *
server_name(void)
{
	return L.p.server_name[0] != '\0' ? L.p.server_name : broker()->host;
}

static bool connect_next(void);

static void
start_attempt(uint64_t now)
{
	const struct hr_broker *b = broker();
	char why[128];
	int r;

	snprintf(L.name, sizeof(L.name), strchr(b->host, ':') != NULL ?
	    "[%s]:%u" : "%s:%u", b->host, b->port);
	L.stats.attempts++;
	L.deadline = now + L.p.timeout_us;
	L.naddr = L.ai = 0;
	log_debug("link: connecting to %s", L.name);
	r = pf_resolve_start(&L.res, b->host, b->port, L.addr, &L.naddr);
	if (r == HR_EAGAIN) {
		L.state = L_RESOLVE;
		return;
	}
	if (r != 0) {
		snprintf(why, sizeof(why), "cannot resolve the name");
		fail(now, "%s", why);
		return;
	}
	L.ai = 0;
	if (!connect_next())
		fail(now, "TCP connect failed");
}

/* Start (or go on to) the next address; false when none is left. */
static bool
connect_next(void)
{
	char a[64];
	int r;

	while (L.ai < L.naddr) {
		pf_addr_text(&L.addr[L.ai], a, sizeof(a));
		r = pf_tcp_connect(&L.addr[L.ai], L.p.user_timeout_ms,
		    L.p.sndbuf, &L.tcp);
		L.ai++;
		if (r == 0 || r == HR_EAGAIN) {
			log_debug("link: TCP connect to %s", a);
			L.state = L_CONNECT;
			return true;
		}
		log_debug("link: TCP connect to %s failed", a);
	}
	return false;
}

/* TLS (or plain TCP) is up: give libmosquitto its Unix socket. */
static void
bridge(uint64_t now)
{
	char why[160];
	int r;

	if (L.path[0] == '\0') {
		fail(now, "runtime directory path too long");
		return;
	}
	if (pf_unix_listen(L.path, &L.lsock) != 0) {
		fail(now, "cannot listen on %s", L.path);
		return;
	}
	L.state = L_SESSION;
	if (mqtt_connect(L.path, why, sizeof(why)) != 0) {
		fail(now, "%s", why);
		return;
	}
	/* connect(2) on a Unix socket completes at once: the connection is
	 * in the backlog, ready to accept */
	r = pf_unix_accept_own(L.lsock, &L.usock);
	pf_sock_close(L.lsock);
	pf_unlink(L.path);        /* nobody else can reach the pump now */
	L.lsock = -1;
	if (r == HR_EINVAL) {
		fail(now, "a process other than this one connected to the "
		    "pump's socket: refused");
		return;
	}
	if (r != 0) {
		fail(now, "the MQTT client did not reach the pump's socket");
		return;
	}
	L.deadline = now + L.p.timeout_us;      /* for the CONNACK */
	L.announced = false;
	log_debug("link: %s: %s, MQTT CONNECT sent", L.name,
	    L.p.tls != NULL ? tls_info(L.p.tls) : "plain TCP");
}

static void
tcp_up(uint64_t now)
{
	if (L.p.tls == NULL) {
		bridge(now);
		return;
	}
	if (tls_start(L.p.tls, L.tcp, server_name()) != 0) {
		fail(now, "%s", tls_error(L.p.tls));
		return;
	}
	L.state = L_HANDSHAKE;
}

static void
handshake(uint64_t now)
{
	int r = tls_handshake(L.p.tls);

	if (r == HR_EAGAIN)
		return;
	if (r != 0) {
		fail(now, "%s", tls_error(L.p.tls));
		return;
	}
	L.tls_up = true;
	bridge(now);
}

/* ---- the pump ------------------------------------------------------------------ */

static int
wire_write(const void *buf, size_t n, size_t *done)
{
	int r;

	if (L.p.tls != NULL)
		r = tls_write(L.p.tls, buf, n, done);
	else {
		r = pf_sock_send(L.tcp, buf, n, done);
		L.plain_wants = r == HR_EAGAIN ? PF_OUT : 0;
		if (r == HR_ENOENT)
			r = HR_EIO;
	}
	if (r == 0)
		L.stats.bytes_out += *done;
	return r;
}

static int
wire_read(void *buf, size_t cap, size_t *got)
{
	int r;

	if (L.p.tls != NULL)
		return tls_read(L.p.tls, buf, cap, got);
	r = pf_sock_recv(L.tcp, buf, cap, got);
	if (r == 0)
		L.stats.bytes_in += *got;
	return r;
}

static const char *
wire_error(void)
{
	return L.p.tls != NULL ? tls_error(L.p.tls) :
	    "the broker closed the connection";
}

/* Move bytes both ways until nothing moves.  Returns false after a
 * failure (already handled). */
static bool
pump(uint64_t now)
{
	size_t k;
	int r, rounds, moved;

	for (rounds = 0; rounds < 16; rounds++) {
		moved = 0;
		/* libmosquitto -> broker: refill only when empty, so a write
		 * that must wait is retried with the same bytes and length */
		if (L.up_len == 0 && !L.up_eof) {
			r = pf_sock_recv(L.usock, L.up, sizeof(L.up), &k);
			if (r == 0) {
				L.up_len = k;
				L.up_off = 0;
				moved = 1;
			} else if (r == HR_ENOENT) {
				L.up_eof = true;
			} else if (r != HR_EAGAIN) {
				fail(now, "reading the MQTT client's socket");
				return false;
			}
		}
		if (L.up_len > L.up_off) {
			r = wire_write(L.up + L.up_off, L.up_len - L.up_off, &k);
			if (r == 0) {
				L.up_off += k;
				if (L.up_off == L.up_len)
					L.up_len = L.up_off = 0;
				moved = 1;
			} else if (r != HR_EAGAIN) {
				fail(now, "%s", wire_error());
				return false;
			}
		}
		/* broker -> libmosquitto */
		if (L.down_len == 0 && !L.down_eof) {
			r = wire_read(L.down, sizeof(L.down), &k);
			if (r == 0) {
				L.down_len = k;
				L.down_off = 0;
				moved = 1;
			} else if (r != HR_EAGAIN) {
				if (L.finishing) {
					teardown(false);
					L.state = L_CLOSED;
					return false;
				}
				/* the broker's last words (a refusing CONNACK)
				 * still go to libmosquitto before we fail */
				L.down_eof = true;
				snprintf(L.down_why, sizeof(L.down_why), "%s",
				    r == HR_ENOENT && L.p.tls == NULL ?
				    "the broker closed the connection" :
				    wire_error());
			}
		}
		if (L.down_len > L.down_off) {
			r = pf_sock_send(L.usock, L.down + L.down_off,
			    L.down_len - L.down_off, &k);
			if (r == 0) {
				L.down_off += k;
				if (L.down_off == L.down_len)
					L.down_len = L.down_off = 0;
				moved = 1;
			} else if (r == HR_ENOENT) {
				L.up_eof = true;
				L.down_len = L.down_off = 0;
			} else if (r != HR_EAGAIN) {
				fail(now, "writing the MQTT client's socket");
				return false;
			}
		}
		if (L.up_eof && L.up_len == 0) {
			/* libmosquitto closed its end: after a DISCONNECT on
			 * stop, or when it gave up on the session */
			if (L.finishing) {
				teardown(true);
				L.state = L_CLOSED;
			} else {
				fail(now, "the MQTT session ended");
			}
			return false;
		}
		if (!moved)
			break;
	}
	return true;
}

static void
session(uint64_t now)
{
	enum mqtt_state ms;

	if (!pump(now))
		return;
	if (L.down_eof && L.down_len == 0) {
		/* everything the broker sent is in libmosquitto's socket: let
		 * it read that now, so a refusal is reported as such */
		mqtt_io(true, false);
		if (mqtt_state() != MQTT_REFUSED &&
		    mqtt_state() != MQTT_RETRY_311) {
			fail(now, "%s", L.down_why);
			return;
		}
	}
	ms = mqtt_state();
	switch (ms) {
	case MQTT_UP:
		if (!L.announced) {
			L.announced = true;
			log_info("link: connected to %s (%s, MQTT %s)", L.name,
			    L.p.tls != NULL ? tls_info(L.p.tls) :
			    "plain TCP, not encrypted", mqtt_version() == 5 ?
			    "5" : "3.1.1");
			L.tried = 0;
			L.attempt = 0;
			L.deadline = 0;
			L.lastlog[0] = '\0';
		}
		break;
	case MQTT_WAITING:
		if (L.deadline != 0 && now >= L.deadline)
			fail(now, "no CONNACK within the handshake timeout");
		break;
	case MQTT_REFUSED:
		fail(now, "the broker refused the MQTT connection: %s",
		    mqtt_refusal());
		break;
	case MQTT_RETRY_311:
		log_info("link: %s does not speak MQTT 5: using 3.1.1", L.name);
		teardown(L.tls_up);
		mqtt_use_311();
		L.state = L_IDLE;
		L.retry_at = now;
		break;
	case MQTT_DOWN:
		if (L.finishing) {
			/* libmosquitto wrote its DISCONNECT and closed: flush */
			if (L.up_len == 0) {
				teardown(true);
				L.state = L_CLOSED;
			}
			break;
		}
		fail(now, "the MQTT session was lost");
		break;
	}
}

/* ---- poll integration ----------------------------------------------------------- */

static void
lower(uint64_t *deadline, uint64_t t)
{
	if (t < *deadline)
		*deadline = t;
}

unsigned
link_pollfds(struct pf_pollfd *p, uint64_t now, uint64_t *deadline)
{
	unsigned n = 0;
	short ev;

	switch (L.state) {
	case L_IDLE:
		lower(deadline, L.retry_at);
		break;
	case L_RESOLVE:
		p[n].fd = L.res.fd;
		p[n++].events = PF_IN;
		lower(deadline, L.deadline);
		break;
	case L_CONNECT:
		p[n].fd = L.tcp;
		p[n++].events = PF_OUT;
		lower(deadline, L.deadline);
		break;
	case L_HANDSHAKE:
		p[n].fd = L.tcp;
		p[n++].events = (short)(tls_wants(L.p.tls) != 0 ?
		    tls_wants(L.p.tls) : PF_IN);
		lower(deadline, L.deadline);
		break;
	case L_SESSION:
		ev = 0;
		if (L.up_len == 0 && !L.up_eof)
			ev |= PF_IN;
		if (L.down_len > 0)
			ev |= PF_OUT;
		p[n].fd = L.usock;
		p[n++].events = ev;
		ev = 0;
		if (L.up_len > 0)
			ev |= (short)(L.p.tls != NULL ?
			    tls_write_wants(L.p.tls) : L.plain_wants);
		if (L.down_len == 0 && !L.down_eof)
			ev |= PF_IN;
		p[n].fd = L.tcp;
		p[n++].events = ev;
		/* decrypted bytes inside mbed TLS are invisible to poll() */
		if (L.p.tls != NULL && L.down_len == 0 &&
		    tls_pending(L.p.tls))
			lower(deadline, now);
		if (L.deadline != 0)
			lower(deadline, L.deadline);
		break;
	case L_CLOSED:
		break;
	}
	return n;
}

static short
revents(const struct pf_pollfd *p, unsigned n, int fd)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (p[i].fd == fd && fd >= 0)
			return p[i].revents;
	return 0;
}

void
link_step(const struct pf_pollfd *p, unsigned n, uint64_t now)
{
	char why[160];
	short ev;
	int r;

	switch (L.state) {
	case L_IDLE:
		if (now >= L.retry_at)
			start_attempt(now);
		break;
	case L_RESOLVE:
		if (revents(p, n, L.res.fd) != 0) {
			r = pf_resolve_finish(&L.res, L.addr, &L.naddr, why,
			    sizeof(why));
			if (r == HR_EAGAIN)
				break;
			if (r != 0) {
				fail(now, "cannot resolve '%s': %s",
				    broker()->host, why);
				break;
			}
			L.ai = 0;
			if (!connect_next())
				fail(now, "cannot connect");
		} else if (now >= L.deadline) {
			fail(now, "name resolution timed out");
		}
		break;
	case L_CONNECT:
		ev = revents(p, n, L.tcp);
		if (L.tcp >= 0 && ev != 0) {
			if (pf_tcp_connected(L.tcp) == 0) {
				tcp_up(now);
				if (L.state == L_HANDSHAKE)
					handshake(now);
				break;
			}
			log_debug("link: %s: TCP connect failed", L.name);
			pf_sock_close(L.tcp);
			L.tcp = -1;
			if (!connect_next())
				fail(now, "TCP connect failed (connection "
				    "refused or unreachable)");
		} else if (now >= L.deadline) {
			fail(now, "TCP connect timed out");
		}
		break;
	case L_HANDSHAKE:
		if (revents(p, n, L.tcp) != 0)
			handshake(now);
		else if (now >= L.deadline)
			fail(now, "TLS handshake timed out (broker frozen or "
			    "not speaking TLS?)");
		break;
	case L_SESSION:
		session(now);
		break;
	case L_CLOSED:
		break;
	}
}

/* ---- control ---------------------------------------------------------------------- */

bool
link_active(void)
{
	return L.state == L_SESSION;
}

void
link_finish(void)
{
	L.finishing = true;
}

void
link_close(const char *why)
{
	if (L.state != L_CLOSED && L.state != L_IDLE)
		log_debug("link: closing: %s", why);
	teardown(L.tls_up);
	L.state = L_CLOSED;
	L.finishing = false;
}

void
link_resume(uint64_t now)
{
	L.state = L_IDLE;
	L.finishing = false;
	L.retry_at = now;
}

const struct link_stats *
link_stats(void)
{
	return &L.stats;
}

const char *
link_broker(void)
{
	return L.name;
}
