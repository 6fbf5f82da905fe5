/*
 * senml.h - SenML-CBOR packs (RFC 8428) written with libcbor's primitive
 * encoders into a caller buffer: no item trees, no allocation.
 *
 * A pack is a CBOR array of maps with integer labels.  It starts with
 * the report's metadata records, then the data records grouped by base
 * name ("<agent-id>/disk.sda.") and base unit.  The layout is specified
 * in docs/schema.md; this file is its only writer.
 */
#ifndef HR_SENML_H
#define HR_SENML_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* SenML CBOR labels (RFC 8428, table 4). */
enum senml_label {
	SENML_BS = -6, SENML_BV = -5, SENML_BU = -4, SENML_BT = -3,
	SENML_BN = -2, SENML_BVER = -1, SENML_N = 0, SENML_U = 1,
	SENML_V = 2, SENML_VS = 3, SENML_VB = 4, SENML_S = 5, SENML_T = 6,
	SENML_UT = 7, SENML_VD = 8
};

struct senml_head {
	const char *agent_id;    /* base name is "<agent_id>/" */
	double      time_s;      /* base time: end of the interval, s */
	double      interval_s;  /* length of the interval, s */
	uint64_t    seq;         /* report sequence number, from 1 */
	const char *boot_id;     /* random per agent start, hex */
};

/*
 * The value a record will carry for unit: bytes and bits ("B", "B/s",
 * "bit/s") rounded to whole units; whole numbers of any other unit kept
 * exact; other values rounded to 11 significant bits (the precision of
 * an IEEE half float: relative error <= 2^-11) from 2^-14 up to 2048,
 * to multiples of 2^-24 below 2^-14 (half-float subnormals: values under
 * 2^-25 become 0), and to whole numbers above 2048.  Encoding then picks
 * the shortest CBOR form that keeps the quantised value exactly, which
 * for most values is a 3-byte half float.
 */
double senml_quantise(const char *unit, double v);

/*
 * Encode records rec[0..n) as one pack.  parts == 0: a whole report (no
 * part records); otherwise this is part "part" of "parts".
 * Returns 0 with *len bytes in buf, or HR_ETRUNC when cap is too small,
 * with *len = the size needed (so cap == *len succeeds).
 */
int senml_pack(const struct senml_head *h, const struct hr_rec *rec,
    size_t n, uint32_t part, uint32_t parts, uint8_t *buf, size_t cap,
    size_t *len);

/* Called once per pack; a non-zero return stops the encoding. */
typedef int (*senml_emit_fn)(void *ctx, const uint8_t *buf, size_t len,
    uint32_t part, uint32_t parts);

/*
 * Encode a whole report: one pack when it fits in max_msg bytes,
 * otherwise numbered parts, each a complete pack that decodes on its own
 * (own metadata, base name and unit restated), each at most max_msg.
 * buf/cap is the working buffer (cap >= max_msg is enough).  Returns the
 * number of packs emitted, HR_ETRUNC when a single record cannot fit
 * max_msg with its metadata, or the emitter's non-zero return.
 */
int senml_encode(const struct senml_head *h, const struct hr_rec *rec,
    size_t n, size_t max_msg, uint8_t *buf, size_t cap,
    senml_emit_fn emit, void *ctx);

/*
 * A status pack (docs/schema.md, "Status"): the metadata records
 * "schema" and "boot", then text records (name, vs) in the order given,
 * then numeric records (capacities) as in a report.  Used for the
 * retained birth message and for the offline message / MQTT will.
 * 0, or HR_ETRUNC with *len the size needed.
 */
struct senml_text {
	const char *name;
	const char *value;
};
int senml_status(const struct senml_head *h, const struct senml_text *txt,
    size_t nt, const struct hr_rec *rec, size_t n, uint8_t *buf, size_t cap,
    size_t *len);

/*
 * An event pack (docs/schema.md, "Events"): the metadata records
 * "schema", "boot" and "seq" (the event's number, its own sequence per
 * boot), then text records in the order given, then numeric records
 * named directly below the agent ("<id>/headroom"), each value
 * quantised for its unit, with a base unit restated when it changes.
 * 0, or HR_ETRUNC with *len the size needed.
 */
struct senml_num {
	const char *name;
	const char *unit;
	double      v;
};
int senml_event(const struct senml_head *h, const struct senml_text *txt,
    size_t nt, const struct senml_num *num, size_t nn, uint8_t *buf,
    size_t cap, size_t *len);

#endif
