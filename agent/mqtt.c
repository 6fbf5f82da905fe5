/*
 * mqtt.c - the MQTT session over libmosquitto (see mqtt.h).
 */
#include <stdio.h>
#include <string.h>

#include <mosquitto.h>
#include <mqtt_protocol.h>

#include "../platform/log.h"
#include "err.h"
#include "mqtt.h"

#define TOPIC_LEN 320
#define CONTENT_TYPE "application/senml+cbor"

static struct {
	struct mosquitto   *m;
	mosquitto_property *pub_props;     /* content type + expiry */
	mosquitto_property *status_props;  /* content type */
	enum mqtt_state     state;
	int                 version;
	int                 qos;
	unsigned            max_inflight;
	unsigned            inflight;
	unsigned            keepalive_s;
	bool                lib_init;
	struct mqtt_stats   st;
	char                topic[MQTT_NTOPICS][TOPIC_LEN];
	char                refusal[128];
	uint8_t             will[512];
	size_t              will_len;
	bool                have_will;
	bool                used;          /* connected once: reinitialise */
	char                cid[160];
	char                user[256];
	char                pw[256];
	void              (*on_ack)(int mid, int reason);
} S;

/* outlives mqtt_init/mqtt_free: message ids are per session */
static unsigned sessions;

static const char *const topic_names[MQTT_NTOPICS] = {
	"report", "event", "status", "backfill"
};

/* ---- callbacks (called from inside mosquitto_loop_*) ------------------------- */

static void
on_connect(struct mosquitto *m, void *ud, int rc, int flags,
    const mosquitto_property *props)
{
	(void)m;
	(void)ud;
	(void)flags;
	(void)props;
	if (rc == 0) {
		S.state = MQTT_UP;
		S.st.connects++;
		return;
	}
	/* v5 reason 132, or 3.1.1 return code 1, from a 3.1.1-only broker */
	if (S.version == 5 && (rc == MQTT_RC_UNSUPPORTED_PROTOCOL_VERSION ||
	    rc == 1)) {
		S.state = MQTT_RETRY_311;
		return;
	}
	snprintf(S.refusal, sizeof(S.refusal), "%s (%d)",
	    S.version == 5 ? mosquitto_reason_string(rc) :
	    mosquitto_connack_string(rc), rc);
	S.state = MQTT_REFUSED;
}

static void
on_disconnect(struct mosquitto *m, void *ud, int rc,
    const mosquitto_property *props)
{
	(void)m;
	(void)ud;
	(void)props;
	if (S.state == MQTT_UP || S.state == MQTT_WAITING)
		log_debug("mqtt: disconnected (%d)", rc);
	if (S.state != MQTT_REFUSED && S.state != MQTT_RETRY_311)
		S.state = MQTT_DOWN;
}

static void
on_publish(struct mosquitto *m, void *ud, int mid, int reason,
    const mosquitto_property *props)
{
	(void)m;
	(void)ud;
	(void)props;
	/* libmosquitto calls this on PUBACK for QoS 1 (and when a QoS 0
	 * message is written, which is not counted in flight) */
	if (S.on_ack != NULL)
		S.on_ack(mid, reason);
	if (S.qos == 0)
		return;
	if (S.inflight > 0)
		S.inflight--;
	S.st.acked++;
	if (reason >= 0x80) {
		S.st.rejected++;
		log_warnx("mqtt: the broker refused a message: %s (%d)",
		    mosquitto_reason_string(reason), reason);
	}
}

static void
on_log(struct mosquitto *m, void *ud, int level, const char *msg)
{
	(void)m;
	(void)ud;
	if (level & (MOSQ_LOG_ERR | MOSQ_LOG_WARNING))
		log_debug("mqtt: libmosquitto: %s", msg);
}

/* ---- set-up ------------------------------------------------------------------------ */

static int
read_password(const char *path, char *pw, size_t cap, char *why, size_t wcap)
{
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL) {
		snprintf(why, wcap, "%s: cannot open the password file", path);
		return HR_EINVAL;
	}
	if (fgets(pw, (int)cap, f) == NULL)
		pw[0] = '\0';
	fclose(f);
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	if (n == 0) {
		snprintf(why, wcap, "%s: the first line (the password) is "
		    "empty", path);
		return HR_EINVAL;
	}
	return 0;
}

static int
apply_credentials(char *why, size_t cap)
{
	int rc;

	if (S.user[0] == '\0')
		return 0;
	rc = mosquitto_username_pw_set(S.m, S.user, S.pw[0] != '\0' ? S.pw :
	    NULL);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(why, cap, "username: %s", mosquitto_strerror(rc));
		return HR_EINVAL;
	}
	return 0;
}

/* Options and callbacks of a new (or reinitialised) client. */
static void
client_setup(void)
{
	mosquitto_int_option(S.m, MOSQ_OPT_PROTOCOL_VERSION,
	    S.version == 5 ? MQTT_PROTOCOL_V5 : MQTT_PROTOCOL_V311);
	mosquitto_int_option(S.m, MOSQ_OPT_SEND_MAXIMUM, (int)S.max_inflight);
	mosquitto_connect_v5_callback_set(S.m, on_connect);
	mosquitto_disconnect_v5_callback_set(S.m, on_disconnect);
	mosquitto_publish_v5_callback_set(S.m, on_publish);
	mosquitto_log_callback_set(S.m, on_log);
}

int
mqtt_credentials(const char *username, const char *password_file,
    char *why, size_t cap)
{
	char pw[256];

	if (username[0] == '\0')
		return 0;
	pw[0] = '\0';
	if (password_file[0] != '\0' &&
	    read_password(password_file, pw, sizeof(pw), why, cap) != 0)
		return HR_EINVAL;
	/* kept (as libmosquitto keeps its copy) for the next sessions */
	snprintf(S.user, sizeof(S.user), "%s", username);
	memcpy(S.pw, pw, sizeof(S.pw));
	memset(pw, 0, sizeof(pw));
	return apply_credentials(why, cap);
}

int
mqtt_init(const struct mqtt_params *p, char *why, size_t cap)
{
	int i;

	memset(&S, 0, sizeof(S));
	S.on_ack = p->on_ack;
	S.version = p->version;
	S.qos = p->qos;
	S.max_inflight = p->max_inflight;
	S.keepalive_s = p->keepalive_s;
	for (i = 0; i < MQTT_NTOPICS; i++)
		if ((size_t)snprintf(S.topic[i], TOPIC_LEN, "%s/%s/%s",
		    p->topic_prefix, p->agent_id, topic_names[i]) >= TOPIC_LEN) {
			snprintf(why, cap, "topic prefix too long");
			return HR_EINVAL;
		}
	if (p->client_id[0] != '\0')
		snprintf(S.cid, sizeof(S.cid), "%s", p->client_id);
	else
		snprintf(S.cid, sizeof(S.cid), "headroom-%s", p->agent_id);

	mosquitto_lib_init();
	S.lib_init = true;
	/* clean start: the agent's own spool, not the broker's session,
	 * keeps undelivered reports */
	S.m = mosquitto_new(S.cid, true, NULL);
	if (S.m == NULL) {
		snprintf(why, cap, "cannot create the MQTT client");
		goto fail;
	}
	client_setup();
	if (mqtt_credentials(p->username, p->password_file, why, cap) != 0)
		goto fail;
	/* properties are built once; libmosquitto copies them per publish */
	if (mosquitto_property_add_string(&S.pub_props, MQTT_PROP_CONTENT_TYPE,
	    CONTENT_TYPE) != MOSQ_ERR_SUCCESS ||
	    mosquitto_property_add_int32(&S.pub_props,
	    MQTT_PROP_MESSAGE_EXPIRY_INTERVAL, p->expiry_s) !=
	    MOSQ_ERR_SUCCESS ||
	    mosquitto_property_add_string(&S.status_props,
	    MQTT_PROP_CONTENT_TYPE, CONTENT_TYPE) != MOSQ_ERR_SUCCESS) {
		snprintf(why, cap, "cannot build MQTT properties");
		goto fail;
	}
	S.state = MQTT_DOWN;
	return 0;
fail:
	mqtt_free();
	return HR_EINVAL;
}

void
mqtt_free(void)
{
	if (S.m != NULL)
		mosquitto_destroy(S.m);
	mosquitto_property_free_all(&S.pub_props);
	mosquitto_property_free_all(&S.status_props);
	if (S.lib_init)
		mosquitto_lib_cleanup();
	memset(&S, 0, sizeof(S));     /* the password too */
}

int
mqtt_set_will(const uint8_t *payload, size_t len)
{
	if (len > sizeof(S.will))
		return HR_ETRUNC;
	memcpy(S.will, payload, len);
	S.will_len = len;
	S.have_will = true;
	return 0;
}

/* ---- connection ------------------------------------------------------------------ */

int
mqtt_connect(const char *path, char *why, size_t cap)
{
	mosquitto_property *wp = NULL;
	int rc;

	if (S.version != 5 && S.version != 4)
		S.version = 5;
	/* a new session: libmosquitto's queue of the last one (which it
	 * would resend) goes; the outbox publishes again what is unacked */
	if (S.used) {
		rc = mosquitto_reinitialise(S.m, S.cid, true, NULL);
		if (rc != MOSQ_ERR_SUCCESS) {
			snprintf(why, cap, "MQTT client: %s",
			    mosquitto_strerror(rc));
			return HR_EIO;
		}
		if (apply_credentials(why, cap) != 0)
			return HR_EIO;
	}
	S.used = true;
	S.inflight = 0;
	sessions++;
	client_setup();
	if (S.have_will) {
		/* the will's properties are owned by libmosquitto once set */
		if (S.version == 5 && mosquitto_property_add_string(&wp,
		    MQTT_PROP_CONTENT_TYPE, CONTENT_TYPE) != MOSQ_ERR_SUCCESS)
			wp = NULL;
		rc = mosquitto_will_set_v5(S.m, S.topic[MQTT_STATUS],
		    (int)S.will_len, S.will, 1, true, wp);
		if (rc != MOSQ_ERR_SUCCESS) {
			mosquitto_property_free_all(&wp);
			snprintf(why, cap, "will: %s", mosquitto_strerror(rc));
			return HR_EIO;
		}
	}
	S.refusal[0] = '\0';
	/* port 0: host is the path of a Unix socket (libmosquitto >= 2.0) */
	rc = mosquitto_connect(S.m, path, 0, (int)S.keepalive_s);
	if (rc != MOSQ_ERR_SUCCESS) {
		snprintf(why, cap, "MQTT connect through %s: %s", path,
		    rc == MOSQ_ERR_ERRNO ? "socket error" :
		    mosquitto_strerror(rc));
		S.state = MQTT_DOWN;
		return HR_EIO;
	}
	S.state = MQTT_WAITING;
	return 0;
}

void
mqtt_drop(void)
{
	/* the socket is closed by the next connect (libmosquitto keeps its
	 * queue of unacknowledged messages for it); until then we ignore it */
	if (S.state != MQTT_RETRY_311)
		S.state = MQTT_DOWN;
}

void
mqtt_disconnect(void)
{
	if (S.m != NULL && S.state == MQTT_UP)
		(void)mosquitto_disconnect(S.m);
	S.state = MQTT_DOWN;
}

int
mqtt_fd(void)
{
	if (S.m == NULL || (S.state != MQTT_WAITING && S.state != MQTT_UP))
		return -1;
	return mosquitto_socket(S.m);
}

bool
mqtt_want_write(void)
{
	return S.m != NULL && mosquitto_want_write(S.m);
}

static void
io_result(int rc, const char *what)
{
	if (rc == MOSQ_ERR_SUCCESS || rc == MOSQ_ERR_NO_CONN)
		return;
	if (S.state == MQTT_UP || S.state == MQTT_WAITING)
		log_debug("mqtt: %s: %s", what, rc == MOSQ_ERR_ERRNO ?
		    "socket error" : mosquitto_strerror(rc));
	if (S.state != MQTT_REFUSED && S.state != MQTT_RETRY_311)
		S.state = MQTT_DOWN;
}

void
mqtt_io(bool readable, bool writable)
{
	if (S.m == NULL || mqtt_fd() < 0)
		return;
	if (readable)
		io_result(mosquitto_loop_read(S.m, 1), "read");
	if (writable && mqtt_fd() >= 0)
		io_result(mosquitto_loop_write(S.m, 1), "write");
}

void
mqtt_misc(void)
{
	if (S.m != NULL && mqtt_fd() >= 0)
		io_result(mosquitto_loop_misc(S.m), "keepalive");
}

enum mqtt_state
mqtt_state(void)
{
	return S.state;
}

const char *
mqtt_refusal(void)
{
	return S.refusal;
}

int
mqtt_version(void)
{
	return S.version;
}

void
mqtt_use_311(void)
{
	S.version = 4;
	S.state = MQTT_DOWN;
}

/* ---- publishing ------------------------------------------------------------------ */

unsigned
mqtt_session(void)
{
	return sessions;
}

int
mqtt_publish(enum mqtt_topic t, const void *payload, size_t len, bool retain,
    int *mid)
{
	int qos = t == MQTT_STATUS ? 1 : S.qos;
	const mosquitto_property *pr = NULL;
	int rc;

	if (qos == 1 && S.inflight >= S.max_inflight) {
		S.st.refused_full++;
		return HR_ENOSPC;
	}
	if (qos == 0 && S.state != MQTT_UP) {
		S.st.failed++;
		return HR_EIO;
	}
	if (S.version == 5)
		pr = t == MQTT_STATUS ? S.status_props : S.pub_props;
	rc = mosquitto_publish_v5(S.m, mid, S.topic[t], (int)len, payload, qos,
	    retain, pr);
	/* QoS 1: queued before sending, so "no connection" and a broken
	 * socket both mean queued (resent after the next CONNACK) */
	if (rc == MOSQ_ERR_SUCCESS ||
	    (qos == 1 && (rc == MOSQ_ERR_NO_CONN || rc == MOSQ_ERR_ERRNO ||
	    rc == MOSQ_ERR_CONN_LOST))) {
		S.st.published++;
		if (qos == 1)
			S.inflight++;
		return 0;
	}
	S.st.failed++;
	log_debug("mqtt: publish on %s: %s", S.topic[t],
	    mosquitto_strerror(rc));
	return HR_EIO;
}

unsigned
mqtt_inflight(void)
{
	return S.inflight;
}

const char *
mqtt_topic(enum mqtt_topic t)
{
	return S.topic[t];
}

const struct mqtt_stats *
mqtt_stats(void)
{
	return &S.st;
}
