/*
 * decode.c - validate and resolve SenML-CBOR packs (see decode.h).
 *
 * Rules checked (RFC 8428 sections 4-6 unless noted):
 *  - a pack is a non-empty array of maps;
 *  - labels are the integers of table 4 or text (extensions); a text
 *    label ending in '_' must be understood, so it is rejected;
 *  - each label has its type: bn/n/bu/u/vs text, bt/t/bv/bs/v/s/ut
 *    numbers (finite), vb bool, vd bytes, bver unsigned;
 *  - text is definite-length and valid for its use; resolved names are
 *    non-empty, start with a letter or digit and use A-Z a-z 0-9 - : . / _;
 *  - every record has exactly one of v, vs, vb, vd, or has a sum;
 *  - within a pack, a (name, time) pair appears once (docs/schema.md).
 * The metadata records of our own layout (schema, boot, seq) are not
 * required here: this reads any SenML-CBOR pack.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cbor.h>

#include "decode.h"
#include "ident.h"
#include "senml.h"

struct base {
	char   bn[DEC_TEXT_MAX];
	char   bu[DEC_TEXT_MAX];
	double bt, bv, bs;
	bool   has_bv, has_bs;
};

/* Seen (name, time) pairs of the current pack, for the uniqueness rule:
 * a hash set grown as needed (decoding is not the agent's hot path). */
struct seen {
	uint64_t *h;
	size_t    n, cap;
};

static int
fail(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
get_number(const cbor_item_t *it, double *v)
{
	if (cbor_isa_uint(it)) {
		*v = (double)cbor_get_int(it);
	} else if (cbor_isa_negint(it)) {
		*v = -1.0 - (double)cbor_get_int(it);
	} else if (cbor_isa_float_ctrl(it) &&
	    cbor_float_get_width(it) != CBOR_FLOAT_0) {
		*v = cbor_float_get_float(it);
	} else {
		return false;
	}
	return isfinite(*v);
}

/* Definite text into dst (NUL-terminated); false if not text, chunked,
 * too long or holding a NUL byte. */
static bool
get_text(const cbor_item_t *it, char *dst, size_t cap)
{
	size_t n;

	if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
		return false;
	n = cbor_string_length(it);
	if (n >= cap)
		return false;
	if (n > 0)
		memcpy(dst, cbor_string_handle(it), n);
	dst[n] = '\0';
	return strlen(dst) == n;
}

static bool
name_ok(const char *s)
{
	const char *p;

	if (!hr_name_start(s[0]))
		return false;
	for (p = s; *p; p++)
		if (!hr_name_char(*p))
			return false;
	return true;
}

static uint64_t
key_hash(const char *name, double t)
{
	uint64_t h = 1469598103934665603ull, bits;

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 1099511628211ull;
	memcpy(&bits, &t, sizeof(bits));
	return (h ^ bits) * 1099511628211ull;
}

/*
 * Open-addressing set of 64-bit hashes (0 stands for "empty", so a hash
 * of 0 is stored as 1), kept at most half full: constant time per record.
 * A linear list made a pack of 400 000 records take 48 s (quadratic,
 * found while fuzzing).  Returns 1 if h was there, 0 if added, -1 if out
 * of memory.
 */
static int
seen_add(struct seen *s, uint64_t h)
{
	uint64_t *p;
	size_t i, cap, mask;

	if (h == 0)
		h = 1;
	if (2 * (s->n + 1) > s->cap) {
		cap = s->cap ? s->cap * 2 : 128;
		if ((p = calloc(cap, sizeof(*p))) == NULL)
			return -1;
		for (i = 0; i < s->cap; i++) {
			size_t j;

			if (s->h[i] == 0)
				continue;
			for (j = s->h[i] & (cap - 1); p[j] != 0;
			    j = (j + 1) & (cap - 1))
				;
			p[j] = s->h[i];
		}
		free(s->h);
		s->h = p;
		s->cap = cap;
	}
	mask = s->cap - 1;
	for (i = h & mask; s->h[i] != 0; i = (i + 1) & mask)
		if (s->h[i] == h)
			return 1;
	s->h[i] = h;
	s->n++;
	return 0;
}

static void
b64(const uint8_t *in, size_t n, char *out, size_t cap)
{
	static const char tab[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;
	uint32_t v;

	/* base64url without padding, as SenML JSON represents vd */
	for (i = 0; i < n && o + 5 < cap; i += 3) {
		v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = tab[(v >> 18) & 63];
		out[o++] = tab[(v >> 12) & 63];
		if (i + 1 < n)
			out[o++] = tab[(v >> 6) & 63];
		if (i + 2 < n)
			out[o++] = tab[v & 63];
	}
	out[o] = '\0';
}

/* Resolve one record map; base values persist across records. */
static int
record(const cbor_item_t *map, size_t idx, struct base *b, struct seen *seen,
    dec_rec_fn fn, void *ctx, char *err, size_t ecap)
{
	static struct dec_rec r;
	struct cbor_pair *kv = cbor_map_handle(map);
	size_t i, n = cbor_map_size(map), nvals = 0;
	char n_txt[DEC_TEXT_MAX] = "", label[64];
	double t = 0, num;
	bool has_n = false, has_u = false;
	uint64_t seen_labels = 0;
	int64_t key;
	int rc;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < n; i++) {
		const cbor_item_t *k = kv[i].key, *v = kv[i].value;

		if (cbor_isa_string(k)) {
			if (!get_text(k, label, sizeof(label)))
				return fail(err, ecap, "record %zu: bad text "
				    "label", idx);
			if (label[0] == '\0' || label[strlen(label) - 1] == '_')
				return fail(err, ecap, "record %zu: label "
				    "'%s' must be understood and is not", idx,
				    label);
			continue;              /* extension: ignored */
		}
		/* labels outside -6..8 are unknown; test the raw value
		 * before any cast, so 2^64-2 cannot wrap into bn (-2) */
		if ((cbor_isa_uint(k) || cbor_isa_negint(k)) &&
		    cbor_get_int(k) > 16)
			return fail(err, ecap, "record %zu: unknown label %s%llu",
			    idx, cbor_isa_negint(k) ? "-1-" : "",
			    (unsigned long long)cbor_get_int(k));
		if (cbor_isa_uint(k))
			key = (int64_t)cbor_get_int(k);
		else if (cbor_isa_negint(k))
			key = -1 - (int64_t)cbor_get_int(k);
		else
			return fail(err, ecap, "record %zu: a label must be an "
			    "integer or text", idx);
		/* a map with the same key twice is not valid CBOR for
		 * SenML (RFC 8949 section 5.6): refuse, never pick one */
		if (key >= -16 && key <= 16) {
			uint64_t bit = (uint64_t)1 << (key + 16);

			if (seen_labels & bit)
				return fail(err, ecap, "record %zu: label %lld "
				    "appears twice", idx, (long long)key);
			seen_labels |= bit;
		}
		switch (key) {
		case SENML_BN:
			if (!get_text(v, b->bn, sizeof(b->bn)))
				return fail(err, ecap, "record %zu: bn is not "
				    "a text string", idx);
			break;
		case SENML_BT:
			if (!get_number(v, &b->bt))
				return fail(err, ecap, "record %zu: bt is not "
				    "a finite number", idx);
			break;
		case SENML_BU:
			if (!get_text(v, b->bu, sizeof(b->bu)))
				return fail(err, ecap, "record %zu: bu is not "
				    "a text string", idx);
			break;
		case SENML_BV:
			if (!get_number(v, &b->bv))
				return fail(err, ecap, "record %zu: bv is not "
				    "a finite number", idx);
			b->has_bv = true;
			break;
		case SENML_BS:
			if (!get_number(v, &b->bs))
				return fail(err, ecap, "record %zu: bs is not "
				    "a finite number", idx);
			b->has_bs = true;
			break;
		case SENML_BVER:
			if (!cbor_isa_uint(v))
				return fail(err, ecap, "record %zu: bver is not "
				    "an unsigned integer", idx);
			break;
		case SENML_N:
			if (!get_text(v, n_txt, sizeof(n_txt)))
				return fail(err, ecap, "record %zu: n is not a "
				    "text string", idx);
			has_n = true;
			break;
		case SENML_U:
			if (!get_text(v, r.unit, sizeof(r.unit)))
				return fail(err, ecap, "record %zu: u is not a "
				    "text string", idx);
			has_u = true;
			break;
		case SENML_V:
			if (!get_number(v, &r.v))
				return fail(err, ecap, "record %zu: v is not a "
				    "finite number", idx);
			r.kind = DEC_V;
			nvals++;
			break;
		case SENML_VS:
			if (!get_text(v, r.vs, sizeof(r.vs)))
				return fail(err, ecap, "record %zu: vs is not a "
				    "text string", idx);
			r.kind = DEC_VS;
			nvals++;
			break;
		case SENML_VB:
			/* cbor_is_bool() asserts on a float: check the
			 * width first (found by fuzzing) */
			if (!cbor_isa_float_ctrl(v) ||
			    cbor_float_get_width(v) != CBOR_FLOAT_0 ||
			    !cbor_is_bool(v))
				return fail(err, ecap, "record %zu: vb is not "
				    "a boolean", idx);
			r.vb = cbor_get_bool(v);
			r.kind = DEC_VB;
			nvals++;
			break;
		case SENML_VD:
			if (!cbor_isa_bytestring(v) ||
			    !cbor_bytestring_is_definite(v))
				return fail(err, ecap, "record %zu: vd is not "
				    "a byte string", idx);
			b64(cbor_bytestring_handle(v),
			    cbor_bytestring_length(v), r.vs, sizeof(r.vs));
			r.kind = DEC_VD;
			nvals++;
			break;
		case SENML_S:
			if (!get_number(v, &r.sum))
				return fail(err, ecap, "record %zu: s is not a "
				    "finite number", idx);
			r.has_sum = true;
			break;
		case SENML_T:
			if (!get_number(v, &t))
				return fail(err, ecap, "record %zu: t is not a "
				    "finite number", idx);
			break;
		case SENML_UT:
			if (!get_number(v, &num))
				return fail(err, ecap, "record %zu: ut is not "
				    "a finite number", idx);
			break;
		default:
			return fail(err, ecap, "record %zu: unknown label %lld",
			    idx, (long long)key);
		}
	}
	if (nvals > 1)
		return fail(err, ecap, "record %zu: more than one value", idx);
	if (nvals == 0 && !r.has_sum)
		return fail(err, ecap, "record %zu: no value and no sum", idx);
	if (nvals == 0) {
		r.kind = DEC_S;
		r.v = r.sum;
	}
	if (r.kind == DEC_V && b->has_bv)
		r.v += b->bv;
	if (r.has_sum && b->has_bs)
		r.sum += b->bs;
	if (strlen(b->bn) + strlen(n_txt) >= sizeof(r.name))
		return fail(err, ecap, "record %zu: name too long", idx);
	snprintf(r.name, sizeof(r.name), "%s%s", b->bn, has_n ? n_txt : "");
	if (!name_ok(r.name))
		return fail(err, ecap, "record %zu: invalid name '%s'", idx,
		    r.name);
	if (!has_u)
		snprintf(r.unit, sizeof(r.unit), "%s", b->bu);
	r.time = b->bt + t;
	rc = seen_add(seen, key_hash(r.name, r.time));
	if (rc < 0)
		return fail(err, ecap, "out of memory");
	if (rc > 0)
		return fail(err, ecap, "record %zu: '%s' appears twice at the "
		    "same time", idx, r.name);
	return fn(ctx, &r);
}

/*
 * Walk the CBOR item at buf[0..len) without building it: its length, or
 * DEC_MORE when the input ends inside it, or -1 when it is malformed or
 * claims more elements than bytes remain.  libcbor (0.8) allocates an
 * array or map for its declared size before reading it, so five bytes
 * claiming 2^32 elements would make cbor_load() allocate 64 GiB; this
 * walk refuses such claims first (found by fuzzing).
 */
#define WALK_DEPTH 16

static int
head(const uint8_t *p, size_t len, size_t *hl, uint8_t *major,
    uint64_t *arg, bool *indef)
{
	uint8_t ai;
	size_t n, i;

	if (len < 1)
		return DEC_MORE;
	*major = p[0] >> 5;
	ai = p[0] & 31;
	*indef = false;
	if (ai < 24) {
		*arg = ai;
		*hl = 1;
		return 0;
	}
	if (ai == 31) {
		if (*major < 2 || *major == 6)
			return -1;
		*indef = *major != 7;
		*arg = 0;
		*hl = 1;
		return 0;
	}
	if (ai > 27)
		return -1;
	n = (size_t)1 << (ai - 24);
	if (len < 1 + n)
		return DEC_MORE;
	for (*arg = 0, i = 0; i < n; i++)
		*arg = (*arg << 8) | p[1 + i];
	*hl = 1 + n;
	return 0;
}

static int
walk(const uint8_t *buf, size_t len, size_t *out)
{
	uint64_t left[WALK_DEPTH];     /* items still to read per level;
	                                  UINT64_MAX: indefinite */
	size_t off = 0, hl;
	int depth = 0, rc;
	uint64_t arg, items;
	uint8_t major;
	bool indef;

	left[0] = 1;
	while (depth >= 0) {
		if (left[depth] == 0) {
			depth--;
			continue;
		}
		if ((rc = head(buf + off, len - off, &hl, &major, &arg,
		    &indef)) != 0)
			return rc;
		if (major == 7 && (buf[off] & 31) == 31) {
			/* "break": ends an indefinite container */
			if (left[depth] != UINT64_MAX)
				return -1;
			off += hl;
			depth--;
			continue;
		}
		off += hl;
		if (left[depth] != UINT64_MAX)
			left[depth]--;
		switch (major) {
		case 2:
		case 3:
			if (indef) {
				items = UINT64_MAX;    /* chunks until break */
				break;
			}
			if (arg > len - off)
				return DEC_MORE;
			off += (size_t)arg;
			continue;
		case 4:
		case 5:
			if (indef) {
				items = UINT64_MAX;
				break;
			}
			items = major == 5 ? arg * 2 : arg;
			if ((major == 5 && arg > UINT64_MAX / 2) ||
			    items > len - off)
				return items > (uint64_t)INT32_MAX ? -1 :
				    DEC_MORE;
			break;
		case 6:
			items = 1;                     /* the tagged item */
			break;
		default:
			continue;                      /* ints, simple, floats */
		}
		if (depth + 1 >= WALK_DEPTH)
			return -1;
		left[++depth] = items;
	}
	*out = off;
	return 0;
}

int
senml_decode(const uint8_t *buf, size_t len, size_t *used,
    dec_rec_fn fn, void *ctx, char *err, size_t errcap)
{
	struct cbor_load_result res;
	struct base b;
	struct seen seen = { NULL, 0, 0 };
	cbor_item_t *pack;
	size_t i, n;
	int rc = 0;

	*used = 0;
	if ((rc = walk(buf, len, &n)) == DEC_MORE) {
		fail(err, errcap, "truncated CBOR (input ends inside an item)");
		return DEC_MORE;
	}
	if (rc != 0)
		return fail(err, errcap, "malformed CBOR (or an array, map or "
		    "string longer than the input, or nested deeper than %d)",
		    WALK_DEPTH);
	pack = cbor_load(buf, n, &res);
	if (pack == NULL) {
		switch (res.error.code) {
		case CBOR_ERR_NOTENOUGHDATA:
			fail(err, errcap, "truncated CBOR (input ends inside "
			    "an item)");
			return DEC_MORE;
		case CBOR_ERR_NODATA:
			return fail(err, errcap, "no data");
		case CBOR_ERR_MEMERROR:
			return fail(err, errcap, "out of memory");
		default:
			return fail(err, errcap, "malformed CBOR at byte %zu",
			    res.error.position);
		}
	}
	*used = res.read;
	if (!cbor_isa_array(pack) || cbor_array_size(pack) == 0) {
		rc = fail(err, errcap, "a pack must be a non-empty array");
		goto out;
	}
	memset(&b, 0, sizeof(b));
	n = cbor_array_size(pack);
	for (i = 0; i < n && rc == 0; i++) {
		cbor_item_t *rec = cbor_array_handle(pack)[i];

		if (!cbor_isa_map(rec)) {
			rc = fail(err, errcap, "record %zu: not a map", i);
			break;
		}
		rc = record(rec, i, &b, &seen, fn, ctx, err, errcap);
	}
out:
	free(seen.h);
	cbor_decref(&pack);
	return rc;
}
