/*
 * link.h - the connection to the broker: name resolution, TCP connect,
 * the TLS handshake, the pump between libmosquitto's Unix socket and the
 * TLS session, and reconnection with backoff over a list of brokers.
 *
 *   libmosquitto ──Unix socket (0700 dir, SO_PEERCRED, unlinked)──> pump
 *   pump ──mbed TLS (agent/tls.c)──TCP──> broker
 *
 * Order of a connection: resolve (in a child process), TCP connect, TLS
 * handshake, then listen on the Unix socket, let libmosquitto connect to
 * it, accept, check the peer is this process and unlink the path; then
 * libmosquitto's CONNECT flows through the pump.  Resolution, connect,
 * handshake and CONNACK share one deadline (handshake_timeout).
 *
 * Any failure tears everything down (close_notify when TLS was up), logs
 * the cause in words (rate-limited) and schedules the next attempt:
 * the next broker of the list after a short pause; after a whole round,
 * exponential backoff with full jitter, capped.  Nothing here blocks.
 */
#ifndef HR_LINK_H
#define HR_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "../platform/net.h"
#include "conf.h"

struct tls_ctx;

struct link_params {
	const struct hr_broker *broker;
	unsigned        nbrokers;
	struct tls_ctx *tls;             /* NULL: plain MQTT (loopback only) */
	const char     *server_name;     /* "" = the broker's host */
	uint64_t        timeout_us;      /* resolve+connect+handshake+CONNACK */
	unsigned        user_timeout_ms; /* TCP_USER_TIMEOUT, 0 = kernel's */
	int             sndbuf;          /* SO_SNDBUF, 0 = kernel's */
	uint64_t        backoff_min_us, backoff_max_us;
	const char     *rundir;          /* private runtime directory */
};

struct link_stats {
	uint64_t attempts;          /* connection attempts */
	uint64_t failures;          /* attempts or sessions that failed */
	uint64_t bytes_out, bytes_in;   /* TCP payload (TLS records) */
};

void link_init(const struct link_params *p);
/* Replace the parameters (reload); takes effect at the next connect. */
void link_reconfigure(const struct link_params *p);

/* Add the link's descriptors to p (room for 3), lower *deadline_us to
 * the next time link_step must run.  Returns the count added. */
unsigned link_pollfds(struct pf_pollfd *p, uint64_t now, uint64_t *deadline);
/* Progress: after poll (p/n as filled by link_pollfds) or a deadline. */
void link_step(const struct pf_pollfd *p, unsigned n, uint64_t now);

/* True while an MQTT session is set up or being set up (bytes flow). */
bool link_active(void);
/* Stop: the session is ending (DISCONNECT written): flush what is left,
 * then close with close_notify; link_active() turns false. */
void link_finish(void);
/* Tear down now (stop or reload): close_notify, close, no retry until
 * link_resume.  */
void link_close(const char *why);
void link_resume(uint64_t now);

const struct link_stats *link_stats(void);
/* Name of the broker in use or being tried ("host:port"). */
const char *link_broker(void);

#endif
