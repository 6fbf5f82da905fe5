/*
 * cmd_decode.c - "headroom decode": SenML-CBOR reports (one pack, or a
 * CBOR sequence of packs as "headroom sample --format cbor" writes) to
 * JSON lines, one resolved record per line:
 *
 *   {"n":"edge-042/cpu.util","u":"/","t":1795430610,"v":0.25}
 *
 * or, with --pack, one SenML JSON array of resolved records per pack.
 * Packs are printed as they arrive (a pipe from a live agent works); a
 * pack is printed only when all of it is valid; the first invalid pack
 * stops the run with a message naming it and exit status 1.
 *
 * With --dedupe, a pack whose key (agent id, boot, seq, part) was seen
 * before is dropped, and a summary per (agent, boot) on standard error
 * at the end says which reports never arrived (docs/consuming.md).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/platform.h"
#include "cmd.h"
#include "decode.h"
#include "json.h"

#define INPUT_MAX (64u * 1024 * 1024)   /* refuse larger packs */
#define EXIT_LOST 3                     /* --dedupe: a report is missing */

/* ---- a pack's key: its metadata records (docs/schema.md section 2) ---- */

enum { M_BOOT, M_SEQ, M_PART, M_PARTS, M_N };
static const char *const meta_name[M_N] = { "boot", "seq", "part", "parts" };

struct meta {
	char          id[2 * DEC_TEXT_MAX];  /* agent id: first name to '/' */
	size_t        idlen;                 /* 0: that name has no '/' */
	unsigned      seen, twice;           /* bit per M_*: present, again */
	enum dec_kind kind[M_N];
	double        v[M_N];
	char          boot[DEC_TEXT_MAX];    /* vs of <id>/boot */
};

struct outbuf {
	char        *p;
	size_t       len, cap;
	bool         pack;   /* --pack: one array per pack */
	size_t       nrec;
	struct meta *meta;   /* --dedupe: filled from the pack, else NULL */
};

static int
append(struct outbuf *o, const char *s, size_t n)
{
	char *p;
	size_t cap;

	if (o->len + n + 1 > o->cap) {
		cap = o->cap ? o->cap : 4096;
		while (cap < o->len + n + 1)
			cap *= 2;
		if ((p = realloc(o->p, cap)) == NULL)
			return -1;
		o->p = p;
		o->cap = cap;
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	return 0;
}

/*
 * Note the metadata records "<id>/boot", "<id>/seq", "<id>/part" and
 * "<id>/parts", where <id> comes from the first record's name: they make
 * the pack's key.  They are checked after the whole pack has decoded, so
 * that a SenML error is reported as such.
 */
static void
note_meta(struct meta *m, size_t nrec, const struct dec_rec *r)
{
	const char *slash;
	int i;

	if (nrec == 0) {
		slash = strchr(r->name, '/');
		m->idlen = slash ? (size_t)(slash - r->name) : 0;
		memcpy(m->id, r->name, m->idlen);
		m->id[m->idlen] = '\0';
	}
	if (m->idlen == 0 || strncmp(r->name, m->id, m->idlen) != 0 ||
	    r->name[m->idlen] != '/')
		return;
	for (i = 0; i < M_N; i++) {
		if (strcmp(r->name + m->idlen + 1, meta_name[i]) != 0)
			continue;
		if (m->seen & (1u << i))
			m->twice |= 1u << i;
		m->seen |= 1u << i;
		m->kind[i] = r->kind;
		m->v[i] = r->v;
		if (i == M_BOOT && r->kind == DEC_VS)
			memcpy(m->boot, r->vs, strlen(r->vs) + 1);
		return;
	}
}

static int
on_record(void *ctx, const struct dec_rec *r)
{
	struct outbuf *o = ctx;
	char line[3 * DEC_TEXT_MAX * 6];
	struct jw j;
	long n;

	if (o->meta != NULL)
		note_meta(o->meta, o->nrec, r);
	jw_init(&j, line, sizeof(line));
	jw_obj(&j, NULL);
	jw_str(&j, "n", r->name);
	if (r->unit[0] != '\0')
		jw_str(&j, "u", r->unit);
	jw_num_exact(&j, "t", r->time);
	switch (r->kind) {
	case DEC_V:
		jw_num_exact(&j, "v", r->v);
		break;
	case DEC_VS:
		jw_str(&j, "vs", r->vs);
		break;
	case DEC_VD:
		jw_str(&j, "vd", r->vs);
		break;
	case DEC_VB:
		jw_bool(&j, "vb", r->vb);
		break;
	case DEC_S:
		break;
	}
	if (r->has_sum)
		jw_num_exact(&j, "s", r->sum);
	jw_end_obj(&j);
	if ((n = jw_finish(&j)) < 0)
		return -1;
	if (o->pack && append(o, o->nrec ? "," : "[", 1) != 0)
		return -1;
	o->nrec++;
	if (append(o, line, (size_t)n) != 0)
		return -1;
	return o->pack ? 0 : append(o, "\n", 1);
}

struct key {
	const char *id;
	uint64_t    boot, seq;
	uint32_t    part, parts;   /* 0 and 1 for a report sent whole */
};

/* v is a whole number in [lo, hi] (hi at most 2^53: exact in a double). */
static bool
whole(enum dec_kind kind, double v, double lo, double hi)
{
	return kind == DEC_V && v >= lo && v <= hi &&
	    (double)(uint64_t)v == v;
}

/*
 * The key of a pack that has a seq, from its metadata.  Returns -1 with
 * a message when the metadata break docs/schema.md: dedupe cannot tell
 * what such a pack is, and guessing would make the summary wrong.
 */
static int
pack_key(const struct meta *m, struct key *k, char *err, size_t errcap)
{
	const char *b = m->boot;
	int i;

	for (i = 0; i < M_N; i++) {
		if (m->twice & (1u << i)) {
			snprintf(err, errcap, "dedupe: %.80s/%s: twice in the "
			    "pack", m->id, meta_name[i]);
			return -1;
		}
	}
	if (!whole(m->kind[M_SEQ], m->v[M_SEQ], 1, 9007199254740992.0)) {
		snprintf(err, errcap, "dedupe: %.80s/seq: not a whole number "
		    "from 1 to 2^53", m->id);
		return -1;
	}
	if (!(m->seen & (1u << M_BOOT)) || m->kind[M_BOOT] != DEC_VS ||
	    strlen(b) != 16 || strspn(b, "0123456789abcdef") != 16) {
		snprintf(err, errcap, "dedupe: %.80s/boot: missing or not 16 "
		    "lowercase hex digits", m->id);
		return -1;
	}
	k->id = m->id;
	k->boot = strtoull(b, NULL, 16);
	k->seq = (uint64_t)m->v[M_SEQ];
	k->part = 0;
	k->parts = 1;
	if (!(m->seen & (1u << M_PART)) && !(m->seen & (1u << M_PARTS)))
		return 0;
	if (!(m->seen & (1u << M_PART)) || !(m->seen & (1u << M_PARTS)) ||
	    !whole(m->kind[M_PARTS], m->v[M_PARTS], 2, UINT32_MAX) ||
	    !whole(m->kind[M_PART], m->v[M_PART], 1, m->v[M_PARTS])) {
		snprintf(err, errcap, "dedupe: %.80s/part, %.80s/parts: not "
		    "both there with 1 <= part <= parts, 2 <= parts < 2^32",
		    m->id, m->id);
		return -1;
	}
	k->part = (uint32_t)m->v[M_PART];
	k->parts = (uint32_t)m->v[M_PARTS];
	return 0;
}

/* ---- dedupe state ----------------------------------------------------- */

/*
 * Everything seen is kept in hash tables, so one pack costs O(1) on
 * average whatever the number of agents and reports:
 *
 *   agents   agent id -> index
 *   streams  (agent, boot) -> first/last seq and counters, in order of
 *            first appearance (the order of the summary)
 *   chunks   (stream, seq / 512) -> 512 bits "seq seen": a bit per report,
 *            so ten million reports of a boot take a few MB, while a
 *            stray huge seq costs one chunk, not a bitmap up to it
 *   splits   (stream, seq) -> parts K and parts seen, for split reports
 *   parts    (split, part) -> seen
 *
 * The tables hold indices into growable arrays; entry i is in slot
 * idx = i + 1 (0 = free).  Linear probing, at most half full.
 */
#define CHUNK_WORDS 8
#define CHUNK_SEQS  (CHUNK_WORDS * 64)
#define LIST_MAX    20     /* ranges listed in a summary line */

/* dd_pack() results (apart from DEC_MORE, which senml_decode() returns) */
#define DD_NEW      0      /* print the pack */
#define DD_DUP      1      /* drop it */
#define DD_BAD      (-1)   /* wrong metadata: a message in err */
#define DD_NOMEM    (-3)

struct slot {
	uint32_t hash, idx;
};

struct table {
	struct slot *s;
	size_t       mask, n;
};

/* The key of a numeric entry, the first member of each entry type. */
struct pair {
	uint64_t b;
	uint32_t a;
};

struct stream {
	struct pair k;               /* agent, boot */
	uint64_t    first, last;     /* lowest and highest seq seen */
	uint64_t    nrep, ndup;      /* distinct reports, packs dropped */
};

struct chunk {
	struct pair k;               /* stream, seq / CHUNK_SEQS */
	uint64_t    bit[CHUNK_WORDS];
};

struct split {
	struct pair k;               /* stream, seq */
	uint32_t    parts, nseen;
};

struct part {
	struct pair k;               /* split, part */
};

struct dedupe {
	char         **agent;
	struct stream *st;
	struct chunk  *ch;
	struct split  *sp;
	struct part   *pt;
	size_t         nagent, nst, nch, nsp, npt;
	size_t         capagent, capst, capch, capsp, cappt;
	struct table   tagent, tst, tch, tsp, tpt;
};

static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= UINT64_C(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64_C(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return x;
}

static uint32_t
hash_pair(struct pair k)
{
	return (uint32_t)mix64(mix64(k.a + UINT64_C(1)) ^ k.b);
}

static uint32_t
hash_str(const char *s)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);   /* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * UINT64_C(0x100000001b3);
	return (uint32_t)mix64(h);
}

static int
tinit(struct table *t)
{
	t->mask = 63;
	t->n = 0;
	return (t->s = calloc(t->mask + 1, sizeof(*t->s))) ? 0 : -1;
}

/* Fill the free slot s with entry i; grow when half full. */
static int
tadd(struct table *t, struct slot *s, uint32_t hash, size_t i)
{
	struct slot *ns;
	size_t j, k, cap = (t->mask + 1) * 2;

	s->hash = hash;
	s->idx = (uint32_t)(i + 1);
	if (++t->n * 2 <= t->mask + 1)
		return 0;
	if ((ns = calloc(cap, sizeof(*ns))) == NULL)
		return -1;
	for (j = 0; j <= t->mask; j++) {
		if (t->s[j].idx == 0)
			continue;
		for (k = t->s[j].hash & (cap - 1); ns[k].idx != 0;
		    k = (k + 1) & (cap - 1))
			;
		ns[k] = t->s[j];
	}
	free(t->s);
	t->s = ns;
	t->mask = cap - 1;
	return 0;
}

/*
 * The slot of the entry with key k among the entries at base (stride
 * bytes apart, each starting with its struct pair), or the free slot
 * where it goes.
 */
static struct slot *
tfind(const struct table *t, const void *base, size_t stride, struct pair k,
    uint32_t hash)
{
	const struct pair *e;
	size_t i;

	for (i = hash & t->mask;; i = (i + 1) & t->mask) {
		if (t->s[i].idx == 0)
			return &t->s[i];
		e = (const void *)((const char *)base +
		    (t->s[i].idx - 1) * stride);
		if (t->s[i].hash == hash && e->a == k.a && e->b == k.b)
			return &t->s[i];
	}
}

/* p with room for item n of size sz (capacity *cap), or NULL. */
static void *
room(void *p, size_t n, size_t *cap, size_t sz)
{
	size_t c;

	if (n < *cap)
		return p;
	c = *cap ? *cap * 2 : 64;
	/* indices must fit the tables' uint32 slots */
	if (n >= UINT32_MAX || c > SIZE_MAX / sz)
		return NULL;
	if ((p = realloc(p, c * sz)) != NULL)
		*cap = c;
	return p;
}

static void
dd_free(struct dedupe *d)
{
	size_t i;

	for (i = 0; i < d->nagent; i++)
		free(d->agent[i]);
	free(d->agent);
	free(d->st);
	free(d->ch);
	free(d->sp);
	free(d->pt);
	free(d->tagent.s);
	free(d->tst.s);
	free(d->tch.s);
	free(d->tsp.s);
	free(d->tpt.s);
}

static int
dd_init(struct dedupe *d)
{
	memset(d, 0, sizeof(*d));
	if (tinit(&d->tagent) != 0 || tinit(&d->tst) != 0 ||
	    tinit(&d->tch) != 0 || tinit(&d->tsp) != 0 ||
	    tinit(&d->tpt) != 0) {
		dd_free(d);
		return -1;
	}
	return 0;
}

/* The index of agent id, added if new; -1 when out of memory. */
static long
dd_agent(struct dedupe *d, const char *id)
{
	uint32_t h = hash_str(id);
	struct slot *s;
	size_t i;
	void *p;

	for (i = h & d->tagent.mask;; i = (i + 1) & d->tagent.mask) {
		s = &d->tagent.s[i];
		if (s->idx == 0)
			break;
		if (s->hash == h && strcmp(d->agent[s->idx - 1], id) == 0)
			return (long)(s->idx - 1);
	}
	if ((p = room(d->agent, d->nagent, &d->capagent,
	    sizeof(*d->agent))) == NULL)
		return -1;
	d->agent = p;
	if ((d->agent[d->nagent] = malloc(strlen(id) + 1)) == NULL)
		return -1;
	memcpy(d->agent[d->nagent], id, strlen(id) + 1);
	if (tadd(&d->tagent, s, h, d->nagent) != 0)
		return -1;
	return (long)d->nagent++;
}

/* The index of stream k, added if new; -1 when out of memory. */
static long
dd_stream(struct dedupe *d, struct pair k)
{
	uint32_t h = hash_pair(k);
	struct slot *s = tfind(&d->tst, d->st, sizeof(*d->st), k, h);
	struct stream *e;
	void *p;

	if (s->idx != 0)
		return (long)(s->idx - 1);
	if ((p = room(d->st, d->nst, &d->capst, sizeof(*d->st))) == NULL)
		return -1;
	d->st = p;
	e = &d->st[d->nst];
	memset(e, 0, sizeof(*e));
	e->k = k;
	e->first = UINT64_MAX;
	if (tadd(&d->tst, s, h, d->nst) != 0)
		return -1;
	return (long)d->nst++;
}

/* Whether seq of stream si was seen (a whole report or any part). */
static bool
dd_seen(const struct dedupe *d, uint32_t si, uint64_t seq)
{
	struct pair k = { seq / CHUNK_SEQS, si };
	struct slot *s = tfind(&d->tch, d->ch, sizeof(*d->ch), k,
	    hash_pair(k));
	uint64_t off = seq % CHUNK_SEQS;

	return s->idx != 0 &&
	    (d->ch[s->idx - 1].bit[off / 64] >> (off % 64) & 1) != 0;
}

/* Count seq as a new report of stream si. */
static int
dd_mark(struct dedupe *d, uint32_t si, uint64_t seq)
{
	struct pair k = { seq / CHUNK_SEQS, si };
	uint32_t h = hash_pair(k);
	struct slot *s = tfind(&d->tch, d->ch, sizeof(*d->ch), k, h);
	struct stream *st = &d->st[si];
	uint64_t off = seq % CHUNK_SEQS;
	struct chunk *c;
	void *p;

	if (s->idx == 0) {
		if ((p = room(d->ch, d->nch, &d->capch,
		    sizeof(*d->ch))) == NULL)
			return -1;
		d->ch = p;
		c = &d->ch[d->nch];
		memset(c, 0, sizeof(*c));
		c->k = k;
		if (tadd(&d->tch, s, h, d->nch++) != 0)
			return -1;
	} else {
		c = &d->ch[s->idx - 1];
	}
	c->bit[off / 64] |= UINT64_C(1) << (off % 64);
	st->nrep++;
	if (seq < st->first)
		st->first = seq;
	if (seq > st->last)
		st->last = seq;
	return 0;
}

/*
 * Account for one valid pack: DD_NEW, DD_DUP, DD_BAD or DD_NOMEM.
 * A pack refused with DD_BAD has changed no count (only a new agent or
 * boot is added before the checks, and those cannot fail them), so the
 * summary of the packs before it stays right.
 */
static int
dd_pack(struct dedupe *d, const struct meta *m, char *err, size_t errcap)
{
	struct key k;
	struct pair pk;
	struct slot *s;
	struct part *pt;
	uint32_t si, h;
	size_t spi;
	long ai, r;
	bool seen;
	void *p;

	if (!(m->seen & (1u << M_SEQ)))
		return DD_NEW;  /* not a report (status, birth): pass it on */
	if (pack_key(m, &k, err, errcap) != 0)
		return DD_BAD;
	if ((ai = dd_agent(d, k.id)) < 0)
		return DD_NOMEM;
	pk.a = (uint32_t)ai;
	pk.b = k.boot;
	if ((r = dd_stream(d, pk)) < 0)
		return DD_NOMEM;
	si = (uint32_t)r;
	seen = dd_seen(d, si, k.seq);
	pk.a = si;
	pk.b = k.seq;
	h = hash_pair(pk);
	s = tfind(&d->tsp, d->sp, sizeof(*d->sp), pk, h);
	/*
	 * The agent sends a seq either whole or in parts, always the same
	 * K parts.  Anything else is no duplicate and no report we could
	 * count: refuse it rather than guess.
	 */
	if (seen && (s->idx != 0) != (k.parts > 1)) {
		snprintf(err, errcap, "dedupe: %.80s boot %016" PRIx64 " seq %"
		    PRIu64 ": sent %s before", k.id, k.boot, k.seq,
		    k.parts > 1 ? "whole" : "in parts");
		return DD_BAD;
	}
	if (s->idx != 0 && d->sp[s->idx - 1].parts != k.parts) {
		snprintf(err, errcap, "dedupe: %.80s boot %016" PRIx64 " seq %"
		    PRIu64 ": %" PRIu32 " parts, before %" PRIu32, k.id,
		    k.boot, k.seq, k.parts, d->sp[s->idx - 1].parts);
		return DD_BAD;
	}
	if (k.parts == 1) {
		if (seen) {
			d->st[si].ndup++;
			return DD_DUP;
		}
		return dd_mark(d, si, k.seq) != 0 ? DD_NOMEM : DD_NEW;
	}
	if (s->idx == 0) {      /* the first part of this seq */
		if ((p = room(d->sp, d->nsp, &d->capsp,
		    sizeof(*d->sp))) == NULL)
			return DD_NOMEM;
		d->sp = p;
		spi = d->nsp++;
		d->sp[spi].k = pk;
		d->sp[spi].parts = k.parts;
		d->sp[spi].nseen = 0;
		if (tadd(&d->tsp, s, h, spi) != 0 ||
		    dd_mark(d, si, k.seq) != 0)
			return DD_NOMEM;
	} else {
		spi = s->idx - 1;
	}
	pk.a = (uint32_t)spi;
	pk.b = k.part;
	h = hash_pair(pk);
	s = tfind(&d->tpt, d->pt, sizeof(*d->pt), pk, h);
	if (s->idx != 0) {
		d->st[si].ndup++;
		return DD_DUP;
	}
	if ((p = room(d->pt, d->npt, &d->cappt, sizeof(*d->pt))) == NULL)
		return DD_NOMEM;
	d->pt = p;
	pt = &d->pt[d->npt];
	pt->k = pk;
	if (tadd(&d->tpt, s, h, d->npt++) != 0)
		return DD_NOMEM;
	d->sp[spi].nseen++;
	return DD_NEW;
}

/* ---- the summary ------------------------------------------------------ */

/* A list of seq ranges, "5,9-12", cut after LIST_MAX ranges with ",...". */
struct list {
	char     buf[LIST_MAX * 42 + 8];
	size_t   len;
	unsigned n;
	bool     more, open;
	uint64_t lo, hi;          /* the range being extended */
};

static void
list_put(struct list *l)
{
	int w;

	if (l->n == LIST_MAX) {
		l->more = true;
		return;
	}
	if (l->lo == l->hi)
		w = snprintf(l->buf + l->len, sizeof(l->buf) - l->len,
		    "%s%" PRIu64, l->n ? "," : "", l->lo);
	else
		w = snprintf(l->buf + l->len, sizeof(l->buf) - l->len,
		    "%s%" PRIu64 "-%" PRIu64, l->n ? "," : "", l->lo, l->hi);
	if (w > 0)
		l->len += (size_t)w;
	l->n++;
}

static void
list_add(struct list *l, uint64_t lo, uint64_t hi)
{
	if (l->open && lo == l->hi + 1) {
		l->hi = hi;
		return;
	}
	if (l->open)
		list_put(l);
	l->lo = lo;
	l->hi = hi;
	l->open = true;
}

static const char *
list_end(struct list *l)
{
	if (l->open)
		list_put(l);
	l->open = false;
	if (l->more)
		snprintf(l->buf + l->len, sizeof(l->buf) - l->len, ",...");
	return l->buf;
}

static int
cmp_pair(const void *x, const void *y)
{
	const struct pair *a = x, *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	return a->b < b->b ? -1 : a->b > b->b;
}

/*
 * Add the seqs in [st->first, st->last] that no chunk marks to l; the
 * chunks are those of the stream, sorted by number.  Whole words are
 * skipped, so a clean stream costs a pass over its bits' words.
 */
static void
list_missing(struct list *l, const struct stream *st, const struct chunk *c,
    size_t n)
{
	uint64_t next = st->first, base, w;
	size_t i, j;
	unsigned b;

	for (i = 0; i < n; i++) {
		for (j = 0; j < CHUNK_WORDS; j++) {
			base = c[i].k.b * CHUNK_SEQS + j * 64;
			w = c[i].bit[j];
			if (w == 0 || (w == UINT64_MAX && base == next)) {
				if (w != 0)
					next = base + 64;
				continue;
			}
			for (b = 0; b < 64; b++) {
				if ((w >> b & 1) == 0)
					continue;
				if (base + b > next)
					list_add(l, next, base + b - 1);
				next = base + b + 1;
			}
		}
	}
}

/*
 * Print the summary (docs/consuming.md) to f.  Returns whether a report
 * is missing or incomplete.  The state is sorted, so this is the end.
 */
static bool
dd_summary(struct dedupe *d, FILE *f)
{
	uint64_t nrep = 0, ndup = 0, nmiss = 0, ninc = 0, miss, inc;
	size_t i, c = 0, sp = 0, c0;
	struct stream *st;
	struct list l;

	if (d->nch > 0)         /* qsort() must not get NULL */
		qsort(d->ch, d->nch, sizeof(*d->ch), cmp_pair);
	if (d->nsp > 0)
		qsort(d->sp, d->nsp, sizeof(*d->sp), cmp_pair);
	for (i = 0; i < d->nst; i++) {
		st = &d->st[i];
		miss = st->last - st->first + 1 - st->nrep;
		fprintf(f, "dedupe: %s boot %016" PRIx64 ": seq %" PRIu64
		    "..%" PRIu64, d->agent[st->k.a], st->k.b, st->first,
		    st->last);
		if (st->first > 1)
			fprintf(f, " (seq 1..%" PRIu64 " before the capture)",
			    st->first - 1);
		fprintf(f, ": %" PRIu64 " reports, %" PRIu64 " duplicates, %"
		    PRIu64 " missing", st->nrep, st->ndup, miss);
		for (c0 = c; c < d->nch && d->ch[c].k.a == i; c++)
			;
		if (miss > 0) {
			memset(&l, 0, sizeof(l));
			list_missing(&l, st, d->ch + c0, c - c0);
			fprintf(f, ": %s", list_end(&l));
		}
		memset(&l, 0, sizeof(l));
		for (inc = 0; sp < d->nsp && d->sp[sp].k.a == i; sp++) {
			if (d->sp[sp].nseen < d->sp[sp].parts) {
				list_add(&l, d->sp[sp].k.b, d->sp[sp].k.b);
				inc++;
			}
		}
		if (inc > 0)
			fprintf(f, ", %" PRIu64 " incomplete: %s", inc,
			    list_end(&l));
		fputc('\n', f);
		nrep += st->nrep;
		ndup += st->ndup;
		nmiss += miss;
		ninc += inc;
	}
	fprintf(f, "dedupe: total: %zu agents, %zu boots, %" PRIu64
	    " reports, %" PRIu64 " duplicates, %" PRIu64 " missing, %"
	    PRIu64 " incomplete\n", d->nagent, d->nst, nrep, ndup, nmiss,
	    ninc);
	return nmiss > 0 || ninc > 0;
}

/* ---- the command -------------------------------------------------------- */

static void
usage(FILE *f)
{
	fprintf(f, "usage: headroom decode [--pack] [--dedupe] [FILE|-]\n"
	    "  SenML-CBOR reports (a CBOR sequence) to JSON lines, one "
	    "resolved record per line\n"
	    "  --pack     one SenML JSON array per pack instead\n"
	    "  --dedupe   drop packs seen before (same agent, boot, seq, "
	    "part); at the end,\n"
	    "             print missing and incomplete reports per agent "
	    "and boot to stderr;\n"
	    "             exit 3 if a report is missing or incomplete\n"
	    "exit: 0 ok, 1 invalid or unreadable input, 2 usage, "
	    "3 reports lost (--dedupe)\n");
}

/* Grow buf to hold at least need bytes (inputs stop at INPUT_MAX). */
static int
reserve(uint8_t **buf, size_t *cap, size_t need)
{
	uint8_t *p;
	size_t c = *cap ? *cap : 65536;

	if (need > INPUT_MAX)
		return -1;
	while (c < need)
		c *= 2;
	if (c == *cap)
		return 0;
	if ((p = realloc(*buf, c)) == NULL)
		return -1;
	*buf = p;
	*cap = c;
	return 0;
}

int
cmd_decode(int argc, char **argv)
{
	const char *path = "-";
	struct outbuf o = { NULL, 0, 0, false, 0, NULL };
	struct dedupe dd;
	struct meta *meta = NULL;
	char err[2 * DEC_TEXT_MAX + 512];
	uint8_t *buf = NULL;
	size_t cap = 0, off = 0, len = 0, got, used;
	unsigned long npack = 0;
	bool eof = false, dedupe = false, oom = false;
	int i, fd, rc = HR_EXIT_OK, r;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--pack") == 0) {
			o.pack = true;
		} else if (strcmp(argv[i], "--dedupe") == 0) {
			dedupe = true;
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return HR_EXIT_OK;
		} else if (argv[i][0] == '-' && argv[i][1] != '\0') {
			fprintf(stderr, "headroom decode: unknown option '%s'\n",
			    argv[i]);
			usage(stderr);
			return HR_EXIT_USAGE;
		} else if (i == argc - 1) {
			path = argv[i];
		} else {
			usage(stderr);
			return HR_EXIT_USAGE;
		}
	}
	if (dedupe && ((meta = malloc(sizeof(*meta))) == NULL ||
	    dd_init(&dd) != 0)) {
		fprintf(stderr, "headroom decode: out of memory\n");
		free(meta);
		return HR_EXIT_FAIL;
	}
	o.meta = meta;
	if (pf_open_read(path, &fd) != 0) {
		fprintf(stderr, "headroom decode: %s: %s\n", path,
		    strerror(errno));
		if (dedupe)
			dd_free(&dd);
		free(meta);
		return HR_EXIT_FAIL;
	}
	/*
	 * Stream: print each pack as soon as it is complete, so that
	 * "headroom sample --format cbor | headroom decode" shows reports
	 * as they come.  A pack is printed only when all of it is valid
	 * and, with --dedupe, new.
	 */
	for (;;) {
		if (len > 0) {
			o.len = 0;
			o.nrec = 0;
			if (meta != NULL)
				meta->seen = meta->twice = 0;
			r = senml_decode(buf + off, len, &used, on_record,
			    &o, err, sizeof(err));
			if (r == 0 && meta != NULL) {
				r = dd_pack(&dd, meta, err, sizeof(err));
				if (r == DD_NOMEM) {
					fprintf(stderr, "headroom decode: out "
					    "of memory\n");
					rc = HR_EXIT_FAIL;
					oom = true;
					break;
				}
				if (r == DD_DUP) {
					o.len = 0;      /* drop it */
					r = 0;
				}
			}
			if (r == 0) {
				npack++;
				if (o.len > 0 && ((o.pack &&
				    append(&o, "]\n", 2) != 0) ||
				    fwrite(o.p, 1, o.len, stdout) != o.len ||
				    fflush(stdout) != 0)) {
					rc = HR_EXIT_FAIL;
					break;
				}
				off += used;
				len -= used;
				continue;
			}
			if (r != DEC_MORE || eof) {
				fprintf(stderr, "headroom decode: %s: pack %lu: "
				    "%s\n", path, npack + 1, err);
				rc = HR_EXIT_FAIL;
				break;
			}
		} else if (eof) {
			if (npack == 0) {
				fprintf(stderr, "headroom decode: %s: no "
				    "input\n", path);
				rc = HR_EXIT_FAIL;
			}
			break;
		}
		/*
		 * buf[off..off+len) is the start of the next pack: move it
		 * to the front only now, once per read rather than once per
		 * pack (a read holds hundreds of small packs).
		 */
		if (off > 0) {
			memmove(buf, buf + off, len);
			off = 0;
		}
		if (reserve(&buf, &cap, len + 4096) != 0) {
			fprintf(stderr, "headroom decode: %s: a pack larger "
			    "than %u bytes\n", path, INPUT_MAX);
			rc = HR_EXIT_FAIL;
			break;
		}
		if (pf_read_some(fd, buf + len, cap - len, &got) != 0) {
			fprintf(stderr, "headroom decode: %s: %s\n", path,
			    strerror(errno));
			rc = HR_EXIT_FAIL;
			break;
		}
		eof = got == 0;
		len += got;
	}
	pf_close(fd);
	/*
	 * The summary also follows an invalid pack (for the packs before
	 * it), but not a failed allocation: the state may be half updated.
	 */
	if (dedupe) {
		if (!oom && dd_summary(&dd, stderr) && rc == HR_EXIT_OK)
			rc = EXIT_LOST;
		dd_free(&dd);
	}
	free(meta);
	free(o.p);
	free(buf);
	return rc;
}
