/*
 * outbox.h - delivery of the agent's messages (reports, later events):
 * what is published when, and what counts as delivered.
 *
 *   - Every message goes into the spool (agent/spool.c) first and
 *     leaves it only on its PUBACK: "published" is not "delivered".
 *   - Connected, a new message is published at once on its live topic
 *     (report) while the in-flight window has room.
 *   - Disconnected, messages join the backlog: the file spool when
 *     configured and usable (the RAM ring's unsent messages are moved
 *     there first, so order holds), else the RAM ring.  A live message
 *     not published within one report interval joins it too.
 *   - After a connect, the backlog is published oldest first on the
 *     backfill topic, at most replay_rate messages per second and in at
 *     most half the window, so live reports always find room.
 *   - When a session ends, everything in flight is unsent again and
 *     goes out once more in the next session (at least once: consumers
 *     drop duplicates by (boot, seq, part)).
 */
#ifndef HR_OUTBOX_H
#define HR_OUTBOX_H

#include <stdint.h>

#include "spool.h"

struct outbox_params {
	unsigned max_inflight;       /* the MQTT window */
	int      qos;                /* 0: written counts as delivered */
	unsigned replay_rate;        /* backfill messages per second */
	uint64_t live_us;            /* a live message older joins the
	                                backlog (one report interval) */
};

struct outbox_stats {
	uint64_t put;                /* messages made */
	uint64_t live;               /* published live (first attempt) */
	uint64_t delivered;          /* acknowledged, live or backfill */
	uint64_t spooled;            /* joined the backlog */
	uint64_t replayed;           /* acknowledged on backfill */
	uint64_t refused;            /* refused by the broker (PUBACK >= 0x80) */
	uint64_t dropped_encode;     /* could not be encoded (counted by the
	                                caller through outbox_count_encode) */
	uint64_t sessions_lost;      /* sessions that ended with messages
	                                in flight */
	unsigned inflight_max;       /* most messages in flight at once */
};

void outbox_init(const struct outbox_params *p);
/* A reload: new window or pace (the spool is left as it is). */
void outbox_reconfigure(const struct outbox_params *p);

/* A new message made now (wall clock ms). */
void outbox_put(const uint8_t *buf, size_t len, uint64_t seq, uint32_t part,
    enum spool_kind kind, int64_t now_ms);
/* A report that could not be encoded: counted with the drops. */
void outbox_count_encode(void);

/*
 * Publish what is due and notice session changes; call after every
 * turn of the loop.  Returns the next time (monotonic us) it has work
 * without any event (the next backfill token), or UINT64_MAX.
 */
uint64_t outbox_pump(uint64_t now_us, int64_t now_ms);

/* libmosquitto's PUBACK callback (mqtt_params.on_ack). */
void outbox_ack(int mid, int reason);

/* Stopping: what is in flight is unsent again and the RAM backlog goes
 * to the file spool.  Returns the messages that stay undelivered in RAM
 * (lost at exit: there is no file spool, or it failed). */
uint64_t outbox_stop(void);

/* Messages waiting (not yet delivered), RAM and disk. */
uint64_t outbox_backlog(void);
unsigned outbox_inflight(void);
const struct outbox_stats *outbox_stats(void);

#endif
