/*
 * mqtt.h - the MQTT session: stock libmosquitto, driven by the agent's
 * own poll loop (mosquitto_socket, mosquitto_loop_read/write/misc,
 * mosquitto_want_write; never a library thread) and connected through
 * the TLS pump's private Unix socket (agent/link.c).
 *
 * Rules learnt from the prototype (DESIGN.md, "Transport"):
 *   - with QoS 1, mosquitto_publish queues the message before it tries
 *     to send, so MOSQ_ERR_NO_CONN and a broken-pipe error both mean
 *     "queued": a message is never published twice;
 *   - libmosquitto's queue is unbounded, so this module caps the
 *     messages in flight (published, not yet acknowledged) itself; a
 *     publish beyond the cap is refused (HR_ENOSPC) and the caller
 *     keeps or counts the report;
 *   - libmosquitto would resend unacknowledged QoS 1 messages after the
 *     next CONNACK, but the agent's spool owns every undelivered
 *     message (agent/outbox.c): each connect starts libmosquitto's
 *     client afresh (mosquitto_reinitialise), its queue empty, and the
 *     outbox publishes again what was not acknowledged.
 * One session per process (libmosquitto's client is a single object).
 */
#ifndef HR_MQTT_H
#define HR_MQTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mqtt_topic { MQTT_REPORT, MQTT_EVENT, MQTT_STATUS, MQTT_BACKFILL,
	MQTT_NTOPICS };

enum mqtt_state {
	MQTT_DOWN,         /* no connection */
	MQTT_WAITING,      /* CONNECT sent, no CONNACK yet */
	MQTT_UP,           /* CONNACK accepted */
	MQTT_REFUSED,      /* CONNACK refused (mqtt_refusal says why) */
	MQTT_RETRY_311     /* the broker does not speak MQTT 5: reconnect
	                      at once with 3.1.1 */
};

struct mqtt_params {
	const char *agent_id;
	const char *client_id;       /* "" = "headroom-<agent id>" */
	const char *topic_prefix;
	unsigned    keepalive_s;
	int         qos;             /* reports and events */
	int         version;         /* 5 or 4 (3.1.1) */
	const char *username;        /* "" = none */
	const char *password_file;   /* "" = none */
	unsigned    max_inflight;
	unsigned    expiry_s;        /* MQTT 5 message expiry of reports */
	/* PUBACK of a QoS 1 message (or a QoS 0 message written): its
	 * message id and the reason code (>= 0x80: refused) */
	void      (*on_ack)(int mid, int reason);
};

struct mqtt_stats {
	uint64_t published;          /* messages handed to libmosquitto */
	uint64_t acked;              /* PUBACK received (QoS 1) */
	uint64_t rejected;           /* PUBACK with a failure reason */
	uint64_t refused_full;       /* publish refused: in-flight cap */
	uint64_t failed;             /* publish failed in libmosquitto */
	uint64_t connects;           /* CONNACKs accepted */
};

/* Start-up: create the client.  0 or HR_EINVAL with why. */
int mqtt_init(const struct mqtt_params *p, char *why, size_t cap);
void mqtt_free(void);
/* (Re)read the password file and set the credentials used by the next
 * connect (a reload picks up a rotated password this way). */
int mqtt_credentials(const char *username, const char *password_file,
    char *why, size_t cap);

/* Set the will (retained, on the status topic) used by later connects. */
int mqtt_set_will(const uint8_t *payload, size_t len);
/* Connect through the Unix socket at path; the CONNECT is written into
 * the socket at once.  Every connect starts a new session: message ids
 * start again and nothing of the last session is resent.  0 or HR_EIO
 * (words in why). */
int mqtt_connect(const char *path, char *why, size_t cap);
/* Counts sessions (connects) over the process's life, across mqtt_init:
 * a message id belongs to the session it was published in. */
unsigned mqtt_session(void);
/* The connection broke or was torn down below us: forget it. */
void mqtt_drop(void);
/* Send DISCONNECT (a clean end: the broker does not publish the will). */
void mqtt_disconnect(void);

/* poll() support: the descriptor (-1 when down), and whether libmosquitto
 * has bytes to write. */
int mqtt_fd(void);
bool mqtt_want_write(void);
/* After poll: read and/or write; then mqtt_misc at least once a second
 * (keepalive, retries). */
void mqtt_io(bool readable, bool writable);
void mqtt_misc(void);

enum mqtt_state mqtt_state(void);
const char *mqtt_refusal(void);
/* The protocol level in use (5 or 4); the fallback to 3.1.1 sticks for
 * the rest of the process's life with that broker list. */
int mqtt_version(void);
/* Switch to MQTT 3.1.1 for the following connects (after MQTT_RETRY_311). */
void mqtt_use_311(void);

/*
 * Publish on <prefix>/<agent id>/<topic>; *mid (may be NULL) gets the
 * message id.  QoS 1 messages count in the in-flight window until
 * acknowledged or until the session ends.  Returns 0 (sent or queued in
 * this session), HR_ENOSPC (window full: nothing queued) or HR_EIO
 * (nothing queued).
 */
int mqtt_publish(enum mqtt_topic t, const void *payload, size_t len,
    bool retain, int *mid);
unsigned mqtt_inflight(void);
const char *mqtt_topic(enum mqtt_topic t);
const struct mqtt_stats *mqtt_stats(void);

#endif
