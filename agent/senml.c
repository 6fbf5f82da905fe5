/*
 * senml.c - SenML-CBOR pack writer (see senml.h, docs/schema.md).
 */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include <cbor.h>

#include "err.h"
#include "senml.h"

/* ---- quantisation ---------------------------------------------------------- */

/* Nearest binary16 value; values beyond its range are returned as is. */
static double
to_half(double v)
{
	double a = fabs(v), q;
	int e;

	if (a == 0 || !isfinite(a) || a > 65504.0)
		return v;
	if (a < 0x1p-14) {
		q = 0x1p-24;                 /* subnormal step */
	} else {
		(void)frexp(a, &e);          /* a = m * 2^e, m in [0.5, 1) */
		q = ldexp(1.0, e - 11);      /* 11 significant bits */
	}
	a = nearbyint(a / q) * q;
	return v < 0 ? -a : a;
}

static int
unit_is(const char *unit, const char *u)
{
	return strcmp(unit, u) == 0;
}

double
senml_quantise(const char *unit, double v)
{
	if (!isfinite(v))
		return v;
	/* bytes and bits: whole units */
	if (unit_is(unit, "B") || unit_is(unit, "B/s") ||
	    unit_is(unit, "bit/s"))
		return nearbyint(v);
	/* whole counts stay exact, whatever their size */
	if (v == floor(v) && !unit_is(unit, "/"))
		return v;
	/* ratios, rates, seconds, mean counts: 11 significant bits (the
	 * precision of a half float) while that is finer than 1, whole
	 * numbers beyond */
	if (fabs(v) <= 2048.0)
		return to_half(v);
	return nearbyint(v);
}

/* ---- output with size accounting ---------------------------------------------- */

/*
 * Writes go through struct out: when the buffer is full, writing stops
 * but the length keeps counting, so a failed encode knows the size it
 * needed.
 */
struct out {
	uint8_t *buf;
	size_t   cap;
	size_t   len;
};

static void
o_raw(struct out *o, const void *p, size_t n)
{
	if (o->len <= o->cap && n <= o->cap - o->len)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

/* Run one libcbor primitive into a 9-byte scratch, then append. */
#define O_PRIM(o, call) do {						\
	unsigned char t_[9];						\
	size_t n_ = (call);						\
	o_raw((o), t_, n_);						\
} while (0)

static void
o_uint(struct out *o, uint64_t v)
{
	O_PRIM(o, cbor_encode_uint(v, t_, sizeof(t_)));
}

static void
o_int(struct out *o, int64_t v)
{
	if (v >= 0)
		o_uint(o, (uint64_t)v);
	else
		O_PRIM(o, cbor_encode_negint((uint64_t)(-1 - v), t_, sizeof(t_)));
}

static void
o_text(struct out *o, const char *s, size_t n)
{
	O_PRIM(o, cbor_encode_string_start(n, t_, sizeof(t_)));
	o_raw(o, s, n);
}

static void
o_str(struct out *o, const char *s)
{
	o_text(o, s, strlen(s));
}

static void
o_map(struct out *o, size_t n)
{
	O_PRIM(o, cbor_encode_map_start(n, t_, sizeof(t_)));
}

static void
o_array(struct out *o, size_t n)
{
	O_PRIM(o, cbor_encode_array_start(n, t_, sizeof(t_)));
}

/* The shortest CBOR number that keeps v exactly. */
static void
o_number(struct out *o, double v)
{
	if (v == floor(v) && fabs(v) <= 9007199254740992.0) {
		o_int(o, (int64_t)v);
	} else if (to_half(v) == v && fabs(v) <= 65504.0) {
		O_PRIM(o, cbor_encode_half((float)v, t_, sizeof(t_)));
	} else if ((double)(float)v == v) {
		O_PRIM(o, cbor_encode_single((float)v, t_, sizeof(t_)));
	} else {
		O_PRIM(o, cbor_encode_double(v, t_, sizeof(t_)));
	}
}

/* ---- records ------------------------------------------------------------------- */

static void
o_basename(struct out *o, const struct senml_head *h, const char *group)
{
	size_t il = strlen(h->agent_id), gl = strlen(group);

	O_PRIM(o, cbor_encode_string_start(il + 1 + gl, t_, sizeof(t_)));
	o_raw(o, h->agent_id, il);
	o_raw(o, "/", 1);
	o_raw(o, group, gl);
}

/* Metadata records; the first carries the base name and base time. */
static size_t
meta_count(uint32_t parts)
{
	return parts ? 6 : 4;
}

/* The two records every pack starts with: schema (carrying base name
 * and base time) and boot; reports and status packs alike. */
static void
o_head(struct out *o, const struct senml_head *h)
{
	o_map(o, 4);
	o_int(o, SENML_BN);
	o_basename(o, h, "");
	o_int(o, SENML_BT);
	o_number(o, h->time_s);
	o_int(o, SENML_N);
	o_str(o, "schema");
	o_int(o, SENML_V);
	o_uint(o, HR_SCHEMA_VERSION);

	o_map(o, 2);
	o_int(o, SENML_N);
	o_str(o, "boot");
	o_int(o, SENML_VS);
	o_str(o, h->boot_id);
}

static void
o_meta(struct out *o, const struct senml_head *h, uint32_t part,
    uint32_t parts)
{
	o_head(o, h);

	o_map(o, 2);
	o_int(o, SENML_N);
	o_str(o, "seq");
	o_int(o, SENML_V);
	o_uint(o, h->seq);

	o_map(o, 3);
	o_int(o, SENML_N);
	o_str(o, "interval");
	o_int(o, SENML_U);
	o_str(o, "s");
	o_int(o, SENML_V);
	o_number(o, h->interval_s);

	if (parts) {
		o_map(o, 2);
		o_int(o, SENML_N);
		o_str(o, "part");
		o_int(o, SENML_V);
		o_uint(o, part);
		o_map(o, 2);
		o_int(o, SENML_N);
		o_str(o, "parts");
		o_int(o, SENML_V);
		o_uint(o, parts);
	}
}

/*
 * One data record.  prev is the record before it in the same pack (NULL
 * for the first): base name and base unit are restated only on change.
 */
static void
o_rec(struct out *o, const struct senml_head *h, const struct hr_rec *r,
    const struct hr_rec *prev)
{
	bool new_bn = prev == NULL || strcmp(prev->group, r->group) != 0;
	/* a text record has no unit; one before a number leaves no base
	 * unit to rely on (text records come first: senml.h) */
	bool new_bu = r->vs == NULL && (prev == NULL || prev->unit == NULL ||
	    strcmp(prev->unit, r->unit) != 0);
	size_t nl = strlen(r->name);

	o_map(o, 2 + (new_bn ? 1 : 0) + (new_bu ? 1 : 0));
	if (new_bn) {
		o_int(o, SENML_BN);
		o_basename(o, h, r->group);
	}
	if (new_bu) {
		o_int(o, SENML_BU);
		o_str(o, r->unit);
	}
	o_int(o, SENML_N);
	if (r->peak) {
		O_PRIM(o, cbor_encode_string_start(nl + 5, t_, sizeof(t_)));
		o_raw(o, r->name, nl);
		o_raw(o, ".peak", 5);
	} else {
		o_text(o, r->name, nl);
	}
	if (r->vs != NULL) {
		o_int(o, SENML_VS);
		o_str(o, r->vs);
		return;
	}
	o_int(o, SENML_V);
	o_number(o, r->v);
}

int
senml_pack(const struct senml_head *h, const struct hr_rec *rec, size_t n,
    uint32_t part, uint32_t parts, uint8_t *buf, size_t cap, size_t *len)
{
	struct out o = { buf, cap, 0 };
	size_t i;

	o_array(&o, meta_count(parts) + n);
	o_meta(&o, h, part, parts);
	for (i = 0; i < n; i++)
		o_rec(&o, h, &rec[i], i ? &rec[i - 1] : NULL);
	*len = o.len;
	return o.len <= cap ? 0 : HR_ETRUNC;
}

/* Size of one record in its context (counting only, nothing written). */
static size_t
rec_size(const struct senml_head *h, const struct hr_rec *r,
    const struct hr_rec *prev)
{
	struct out o = { NULL, 0, 0 };

	o_rec(&o, h, r, prev);
	return o.len;
}

/*
 * End of the part that starts at rec[start]: as many records as fit in
 * limit with the part's fixed overhead.  *ok is false when even the first
 * record does not fit.
 */
static size_t
part_end(const struct senml_head *h, const struct hr_rec *rec, size_t n,
    size_t start, size_t limit, size_t fixed, bool *ok)
{
	size_t used, sz, i;

	used = fixed + rec_size(h, &rec[start], NULL);
	*ok = used <= limit;
	for (i = start + 1; i < n; i++) {
		sz = rec_size(h, &rec[i], &rec[i - 1]);
		if (used + sz > limit)
			break;
		used += sz;
	}
	return i;
}

int
senml_encode(const struct senml_head *h, const struct hr_rec *rec,
    size_t n, size_t max_msg, uint8_t *buf, size_t cap,
    senml_emit_fn emit, void *ctx)
{
	struct out meta = { NULL, 0, 0 };
	size_t len, i, start, fixed, limit = max_msg < cap ? max_msg : cap;
	uint32_t parts, k;
	bool ok;
	int rc;

	if (senml_pack(h, rec, n, 0, 0, buf, limit, &len) == 0)
		return (rc = emit(ctx, buf, len, 0, 0)) != 0 ? rc : 1;

	/*
	 * Too big for one message: split greedily.  Every part restates its
	 * metadata (sized here with the largest part numbers) and its first
	 * record's base name and unit.  A first pass counts the parts, a
	 * second writes them with "parts" known.
	 */
	if (n == 0)
		return HR_ETRUNC;             /* the metadata alone is too big */
	o_meta(&meta, h, UINT32_MAX, UINT32_MAX);
	fixed = meta.len + 9;                 /* + array header, worst case */
	for (parts = 0, start = 0; start < n; start = i, parts++) {
		i = part_end(h, rec, n, start, limit, fixed, &ok);
		if (!ok)
			return HR_ETRUNC;
	}
	for (k = 1, start = 0; start < n; k++, start = i) {
		i = part_end(h, rec, n, start, limit, fixed, &ok);
		if (senml_pack(h, &rec[start], i - start, k, parts, buf, limit,
		    &len) != 0)
			return HR_ETRUNC;     /* cannot happen: sized above */
		if ((rc = emit(ctx, buf, len, k, parts)) != 0)
			return rc;
	}
	return (int)parts;
}

/* ---- status packs (birth and offline) ------------------------------------------ */

/* Text records {n, vs}, directly below the agent's base name. */
static void
o_texts(struct out *o, const struct senml_text *txt, size_t nt)
{
	size_t i;

	for (i = 0; i < nt; i++) {
		o_map(o, 2);
		o_int(o, SENML_N);
		o_str(o, txt[i].name);
		o_int(o, SENML_VS);
		o_str(o, txt[i].value);
	}
}

int
senml_status(const struct senml_head *h, const struct senml_text *txt,
    size_t nt, const struct hr_rec *rec, size_t n, uint8_t *buf, size_t cap,
    size_t *len)
{
	struct out o = { buf, cap, 0 };
	size_t i;

	o_array(&o, 2 + nt + n);
	o_head(&o, h);
	o_texts(&o, txt, nt);
	for (i = 0; i < n; i++)
		o_rec(&o, h, &rec[i], i ? &rec[i - 1] : NULL);
	*len = o.len;
	return o.len <= cap ? 0 : HR_ETRUNC;
}

/* ---- event packs ------------------------------------------------------------------- */

int
senml_event(const struct senml_head *h, const struct senml_text *txt,
    size_t nt, const struct senml_num *num, size_t nn, uint8_t *buf,
    size_t cap, size_t *len)
{
	struct out o = { buf, cap, 0 };
	const char *unit = NULL;
	size_t i;

	o_array(&o, 3 + nt + nn);
	o_head(&o, h);
	o_map(&o, 2);
	o_int(&o, SENML_N);
	o_str(&o, "seq");
	o_int(&o, SENML_V);
	o_uint(&o, h->seq);
	o_texts(&o, txt, nt);
	/* a unit in each record that changes it: an event has few */
	for (i = 0; i < nn; i++) {
		bool u = unit == NULL || strcmp(unit, num[i].unit) != 0;

		o_map(&o, u ? 3 : 2);
		if (u) {
			o_int(&o, SENML_BU);
			o_str(&o, num[i].unit);
			unit = num[i].unit;
		}
		o_int(&o, SENML_N);
		o_str(&o, num[i].name);
		o_int(&o, SENML_V);
		o_number(&o, senml_quantise(num[i].unit, num[i].v));
	}
	*len = o.len;
	return o.len <= cap ? 0 : HR_ETRUNC;
}
