/*
 * outbox.c - what is published when (outbox.h, docs/spool.md).
 */
#include <string.h>

#include "../platform/log.h"
#include "err.h"
#include "mqtt.h"
#include "outbox.h"

#define FLIGHT_MAX 1000       /* [mqtt] max_inflight's upper bound */

struct flight {
	int              mid;
	unsigned         session;
	bool             backfill;
	struct spool_ref ref;
};

/* Written only as far as the window goes: its pages stay untouched
 * (and cost no memory) beyond that. */
static struct flight flights[FLIGHT_MAX];

static struct {
	struct outbox_params p;
	struct outbox_stats  st;
	struct flight       *f;
	unsigned             nf;        /* in flight */
	unsigned             nbf;       /* of them, backfill */
	bool                 up;        /* in a session */
	unsigned             session;
	double               tokens;    /* backfill allowance */
	uint64_t             refill_us;
} O;

void
outbox_init(const struct outbox_params *p)
{
	memset(&O, 0, sizeof(O));
	O.f = flights;
	outbox_reconfigure(p);
}

void
outbox_reconfigure(const struct outbox_params *p)
{
	O.p = *p;
	if (O.p.max_inflight > FLIGHT_MAX)
		O.p.max_inflight = FLIGHT_MAX;
	if (O.p.max_inflight == 0)
		O.p.max_inflight = 1;
	if (O.p.replay_rate == 0)
		O.p.replay_rate = 1;
}

/* Into the backlog: the file spool when it takes it (after what waits in
 * RAM, so that the order holds), else the RAM ring. */
static void
backlog_put(const struct spool_msg *m)
{
	if (spool_disk_usable()) {
		if (spool_stats()->ram_waiting > 0)
			(void)spool_flush();
		if (spool_stats()->ram_waiting == 0 && spool_disk_put(m) == 0)
			return;
	}
	(void)spool_ram_put(m);
}

void
outbox_put(const uint8_t *buf, size_t len, uint64_t seq, uint32_t part,
    enum spool_kind kind, int64_t now_ms)
{
	struct spool_msg m;

	memset(&m, 0, sizeof(m));
	m.seq = seq;
	m.made_ms = now_ms;
	m.part = (uint16_t)part;
	m.kind = (uint8_t)kind;
	m.data = buf;
	m.len = (uint32_t)len;
	O.st.put++;
	if (O.up) {
		/* published by the next pump, in this turn of the loop */
		(void)spool_ram_put(&m);
		return;
	}
	m.backlog = true;
	O.st.spooled++;
	backlog_put(&m);
}

void
outbox_count_encode(void)
{
	O.st.dropped_encode++;
}

/* The session ended: nothing in flight will be acknowledged now. */
static void
lost(void)
{
	if (O.nf > 0)
		O.st.sessions_lost++;
	O.st.spooled += spool_requeue();
	O.nf = O.nbf = 0;
	O.up = false;
	if (spool_disk_usable())
		(void)spool_flush();
}

static bool
publish(const struct spool_ref *ref, const struct spool_msg *m, bool backfill)
{
	enum mqtt_topic t = m->kind == SPOOL_EVENT ? MQTT_EVENT :
	    backfill ? MQTT_BACKFILL : MQTT_REPORT;
	struct flight *f;
	int mid = 0;

	if (mqtt_publish(t, m->data, m->len, false, &mid) != 0)
		return false;
	if (!backfill)
		O.st.live++;
	spool_sent(ref);
	if (O.p.qos == 0) {
		/* written is all QoS 0 can tell */
		spool_done(ref);
		O.st.delivered++;
		if (backfill)
			O.st.replayed++;
		return true;
	}
	f = &O.f[O.nf++];
	if (O.nf > O.st.inflight_max)
		O.st.inflight_max = O.nf;
	f->mid = mid;
	f->session = O.session;
	f->backfill = backfill;
	f->ref = *ref;
	if (backfill)
		O.nbf++;
	return true;
}

static bool
window_open(void)
{
	return O.nf < O.p.max_inflight && mqtt_inflight() < O.p.max_inflight;
}

uint64_t
outbox_pump(uint64_t now_us, int64_t now_ms)
{
	unsigned bf_cap = O.p.max_inflight / 2 ? O.p.max_inflight / 2 : 1;
	struct spool_ref ref;
	struct spool_msg m;
	bool up = mqtt_state() == MQTT_UP;
	double burst;

	if (O.up && (!up || mqtt_session() != O.session))
		lost();
	if (!up)
		return UINT64_MAX;
	if (!O.up) {
		O.up = true;
		O.session = mqtt_session();
		O.tokens = 1;
		O.refill_us = now_us;
	}
	O.st.spooled += spool_ram_age(now_ms - (int64_t)(O.p.live_us / 1000));

	/* live first */
	while (window_open() && spool_ram_next(false, &ref, &m) == 0)
		if (!publish(&ref, &m, false))
			break;

	/* then the backlog, oldest (disk) first, at the replay pace */
	burst = O.p.replay_rate > 1 ? O.p.replay_rate : 1;
	O.tokens += (double)(now_us - O.refill_us) * O.p.replay_rate / 1e6;
	if (O.tokens > burst)
		O.tokens = burst;
	O.refill_us = now_us;
	while (O.tokens >= 1 && O.nbf < bf_cap && window_open()) {
		if (spool_disk_next(&ref, &m) != 0 &&
		    spool_ram_next(true, &ref, &m) != 0)
			return UINT64_MAX;
		if (!publish(&ref, &m, true))
			return UINT64_MAX;
		O.tokens -= 1;
	}
	if (O.tokens < 1 && outbox_backlog() > 0)
		return now_us + (uint64_t)((1 - O.tokens) * 1e6 /
		    O.p.replay_rate) + 1;
	return UINT64_MAX;
}

void
outbox_ack(int mid, int reason)
{
	struct flight *f;
	unsigned i;

	for (i = 0; i < O.nf; i++)
		if (O.f[i].mid == mid && O.f[i].session == mqtt_session())
			break;
	if (i == O.nf)
		return;                   /* a status message */
	f = &O.f[i];
	spool_done(&f->ref);
	if (reason >= 0x80) {
		/* refused for good (not authorised, too large): resending
		 * would be refused again */
		O.st.refused++;
	} else {
		O.st.delivered++;
		if (f->backfill)
			O.st.replayed++;
	}
	if (f->backfill)
		O.nbf--;
	*f = O.f[--O.nf];
}

uint64_t
outbox_stop(void)
{
	/* as a lost session: nothing in flight is acknowledged now, and
	 * what waits in RAM goes to the file spool if it takes it */
	lost();
	return spool_stats()->ram_waiting;
}

uint64_t
outbox_backlog(void)
{
	const struct spool_stats *s = spool_stats();

	return s->ram_waiting + s->disk_waiting;
}

unsigned
outbox_inflight(void)
{
	return O.nf;
}

const struct outbox_stats *
outbox_stats(void)
{
	return &O.st;
}
