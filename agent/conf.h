/*
 * conf.h - the agent's configuration: one INI file (libinih), every key
 * declared in one table (conf.c; the keys of the repeatable [queue.NAME]
 * sections in a second one) with its type, range and default, so that
 * parsing, validation, defaults, "check-config" output and the annotated
 * example config/headroom.conf cannot drift apart.
 *
 * Errors name file, line and key: "FILE:LINE: [section] key: problem".
 * Unknown sections and keys are errors.  Loading happens at start-up and
 * on SIGHUP (into a second struct, so a bad new file leaves the running
 * configuration untouched).
 */
#ifndef HR_CONF_H
#define HR_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../platform/queue.h"
#include "limits.h"
#include "sample.h"

#define HR_CONF_DEFAULT  "/etc/headroom/headroom.conf"
#define HR_EXIT_CONFIG   78           /* EX_CONFIG (sysexits.h) */
#define HR_MAX_BROKERS   8
#define HR_HOST_LEN      256
#define HR_STR_LEN       128
#define HR_CONF_ERR_MAX  8            /* errors reported per load */

enum hr_mqtt_version { HR_MQTT_V5 = 5, HR_MQTT_V311 = 4 };
enum hr_log_target { HR_LOG_STDERR, HR_LOG_SYSLOG };

struct hr_broker {
	char     host[HR_HOST_LEN];
	uint16_t port;
};

/* One [queue.NAME] section (docs/indicators.md, "Application queues"). */
struct hr_queue_conf {
	char     name[PF_QUEUE_NAME_LEN];    /* NAME: letters, digits, - _ */
	int      type;                       /* enum pf_queue_type */
	char     path[PF_QUEUE_PATH_LEN];    /* dir, file, mqueue */
	char     command[PF_QUEUE_ARGS_LEN]; /* exec: as written in the file */
	uint64_t capacity;                   /* >= 1, in the queue's unit */
	uint64_t timeout_us;                 /* exec: kill after this */
	int      line;                       /* line of the section header */
};

struct hr_conf {
	/* [agent] */
	char     id[HR_ID_LEN];
	uint64_t sample_period_us;
	uint64_t report_interval_us;
	char     root[HR_PATH_LEN];
	char     user[HR_STR_LEN];           /* drop to this user if root */

	/* [mqtt] */
	struct hr_broker broker[HR_MAX_BROKERS];
	uint32_t nbrokers;
	char     topic_prefix[HR_STR_LEN];
	char     client_id[HR_STR_LEN];
	uint64_t keepalive_us;
	uint32_t qos;
	uint32_t version;                    /* enum hr_mqtt_version */
	char     username[HR_STR_LEN];
	char     password_file[HR_PATH_LEN];
	uint32_t max_inflight;
	uint64_t max_message;
	uint64_t message_expiry_us;          /* MQTT 5 expiry of reports */
	uint64_t reconnect_min_us;           /* backoff: first cap */
	uint64_t reconnect_max_us;           /* backoff: largest cap */

	/* [tls] */
	bool     tls_enabled;
	char     ca_file[HR_PATH_LEN];
	char     cert_file[HR_PATH_LEN];
	char     key_file[HR_PATH_LEN];
	char     psk_identity[HR_STR_LEN];
	char     psk_file[HR_PATH_LEN];
	char     pin_sha256[65];             /* 64 hex digits, or "" */
	bool     verify_hostname;
	char     server_name[HR_HOST_LEN];   /* "" = the broker's host */
	uint64_t handshake_timeout_us;

	/* [collect] */
	bool     off[HR_SIG_COUNT];          /* disable = names */
	char     mounts[HR_MAX_MOUNTS][HR_PATH_LEN];
	uint32_t nmounts;                    /* 0 = every disk fs */

	/* [spool] */
	uint64_t spool_memory;               /* RAM ring budget, bytes */
	char     spool_dir[HR_PATH_LEN];     /* "" = RAM only */
	uint64_t spool_max_disk;             /* file spool budget, bytes */
	uint64_t spool_fsync_us;             /* 0 = every record */
	uint32_t replay_rate;                /* backfill messages per second */

	/* [queue.NAME], in the order of the file */
	struct hr_queue_conf queue[HR_MAX_QUEUES];
	uint32_t nqueues;

	/* [forecast] */
	uint64_t forecast_horizon_us;        /* trend window */

	/* [events] */
	bool     events_enabled;
	double   headroom_below;             /* raise below this headroom */
	double   headroom_clear;             /* clear at or above (> below) */
	uint64_t events_hold_us;             /* a condition must last this
						long to raise or to clear */
	uint64_t exhaustion_within_us;       /* raise when full sooner; 0 off */
	bool     events_anomaly;             /* anomaly flags raise events */

	/* [log] */
	int      log_level;                  /* enum hr_log_level */
	int      log_target;                 /* enum hr_log_target */
};

/*
 * Load path into *c: defaults first, then the file, then cross-key
 * checks.  Returns 0, or the number of errors found (each already
 * written to err as one line "FILE:LINE: [section] key: problem"; at
 * most HR_CONF_ERR_MAX are reported).  *c is only meaningful on 0.
 */
int conf_load(struct hr_conf *c, const char *path, FILE *err);
/* The same for "headroom sample -c": every key is parsed and checked,
 * but the cross-checks of the transport ([mqtt], [tls], [spool]) are
 * left out, so a file without a broker set up yet is accepted. */
int conf_load_local(struct hr_conf *c, const char *path, FILE *err);
/* Defaults only (what an empty file gives). */
void conf_defaults(struct hr_conf *c);
/* Write the effective configuration as an INI file that conf_load
 * accepts (secrets are files: only their paths are printed). */
void conf_print(const struct hr_conf *c, FILE *out);

#endif
