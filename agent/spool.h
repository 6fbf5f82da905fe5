/*
 * spool.h - the store of messages not yet delivered: a RAM ring with a
 * byte budget and an optional crash-safe file spool (docs/spool.md).
 *
 * This module only stores; agent/outbox.c decides what is sent when.
 *
 * RAM ring: messages in the order they were put, each UNSENT, IN FLIGHT
 * (published, no PUBACK yet) or done.  A message that needs room evicts
 * the oldest unsent ones (counted in dropped_ram); an in-flight message
 * is never evicted.  When the ring empties its offsets go back to the
 * start, so a connected agent touches only the first pages of its
 * budget.
 *
 * File spool: segment files "<16 hex digits>.spool" in one directory,
 * each a run of records
 *
 *     "HRS1"  len:u32  seq:u64  made_ms:i64  part:u16  kind:u8  0:u8
 *     crc:u32  payload[len]                         (little endian)
 *
 * with crc = CRC-32 (IEEE 802.3, zlib's) of bytes 4..27 and the
 * payload.  Records are only appended, never rewritten; a segment is
 * deleted whole once every record in it was acknowledged (or evicted
 * to keep max_disk).  Every agent start writes to a new segment.  A
 * reader takes a record only when its magic, length and CRC hold; a
 * torn or damaged stretch is skipped up to the next valid record and
 * counted in damaged (one per stretch).
 *
 * Nothing here allocates after spool_init.
 */
#ifndef HR_SPOOL_H
#define HR_SPOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPOOL_REC_HDR 32       /* bytes of a file record's header */

enum spool_kind { SPOOL_REPORT, SPOOL_EVENT };

struct spool_msg {
	uint64_t       seq;
	int64_t        made_ms;   /* wall clock when it was encoded */
	uint16_t       part;      /* 0: a whole report; else part k */
	uint8_t        kind;      /* enum spool_kind */
	bool           backlog;   /* missed its live turn: goes on backfill */
	const uint8_t *data;      /* valid until the next spool call */
	uint32_t       len;
};

/* Where a message is, to mark it sent or done. */
struct spool_ref {
	bool     disk;
	uint64_t seg;             /* disk: segment id */
	uint64_t off;             /* RAM: ring offset; disk: file offset */
	uint32_t size;            /* disk: record size with its header */
};

struct spool_params {
	size_t      memory;       /* RAM ring budget, bytes */
	const char *dir;          /* "" = RAM only */
	uint64_t    max_disk;     /* file spool budget, bytes */
	uint64_t    fsync_us;     /* 0: sync every record */
	size_t      max_message;  /* largest payload */
	long        uid;          /* owner of a created directory, -1 */
};

struct spool_stats {
	uint64_t dropped_ram;     /* evicted from the RAM ring, or no room */
	uint64_t dropped_disk;    /* evicted with an oldest segment */
	uint64_t damaged;         /* torn or damaged stretches skipped */
	uint64_t loaded;          /* records found on disk at start-up */
	uint64_t disk_writes;     /* records appended to files */
	uint64_t disk_syncs;      /* fdatasync calls */
	uint64_t segments;        /* segment files created */
	uint32_t ram_waiting;     /* unsent messages in RAM */
	uint32_t ram_inflight;
	uint64_t disk_waiting;    /* unsent records on disk */
	uint64_t disk_bytes;      /* size of the segment files */
	size_t   ram_used;        /* bytes of the ring in use */
	bool     disk_configured;
	bool     disk_ok;         /* false: fallen back to RAM */
};

/*
 * Start-up: allocate the ring, open (or create, 0700) the directory and
 * scan the segments left by earlier runs.  A directory that cannot be
 * used is not an error: the spool warns once and keeps messages in RAM
 * (and tries the directory again later).  0, or HR_EINVAL (no memory).
 */
int spool_init(const struct spool_params *p);
/* Sync what is written and free everything. */
void spool_free(void);

/* Put m in the RAM ring; 0, or HR_ENOSPC (it was dropped and counted). */
int spool_ram_put(const struct spool_msg *m);
/* The oldest unsent RAM message with this backlog flag; HR_ENOENT. */
int spool_ram_next(bool backlog, struct spool_ref *ref, struct spool_msg *m);
/* Unsent live messages made before cutoff_ms join the backlog; returns
 * how many did. */
unsigned spool_ram_age(int64_t cutoff_ms);

/* Whether the file spool takes records now. */
bool spool_disk_usable(void);
/* Append m to the file spool; 0, or HR_EIO (the directory failed: the
 * spool warned once and falls back to RAM) or HR_ENOSPC (max_disk is
 * reached and the oldest segment has a record in flight): either way
 * the caller keeps m. */
int spool_disk_put(const struct spool_msg *m);
/* The oldest unsent record on disk (damaged stretches before it are
 * skipped and counted); HR_ENOENT when there is none. */
int spool_disk_next(struct spool_ref *ref, struct spool_msg *m);
/* Unsent messages waiting on disk. */
uint64_t spool_disk_waiting(void);

/* m (from a _next call just before) was published: it is in flight. */
void spool_sent(const struct spool_ref *ref);
/* It was acknowledged (or refused for good): forget it. */
void spool_done(const struct spool_ref *ref);
/* The session is gone: every message in flight is unsent again, and
 * every unsent RAM message joins the backlog.  Returns how many live
 * messages (in flight or not) joined it. */
unsigned spool_requeue(void);
/* Move the unsent RAM messages to the file spool in their order while
 * it takes them (call with nothing in flight).  Returns how many moved. */
unsigned spool_flush(void);

/* Periodic work: a due fsync; after a fall-back, another try of the
 * directory (once a minute). */
void spool_tick(uint64_t now_us);

const struct spool_stats *spool_stats(void);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32), for the record
 * format; crc = 0 to start. */
uint32_t spool_crc32(uint32_t crc, const void *buf, size_t len);

#endif
