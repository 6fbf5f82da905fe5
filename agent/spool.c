/*
 * spool.c - RAM ring and file spool of undelivered messages (spool.h,
 * docs/spool.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../platform/files.h"
#include "../platform/log.h"
#include "../platform/platform.h"
#include "err.h"
#include "spool.h"

/* ---- RAM ring ----------------------------------------------------------------------- */

enum { R_UNSENT = 1, R_INFLIGHT, R_DONE, R_WRAP };

/* A ring record's header; the payload follows, padded to 8 bytes. */
struct rhdr {
	uint32_t len;
	uint8_t  state;
	uint8_t  backlog;
	uint8_t  kind;
	uint8_t  pad;
	uint64_t seq;
	int64_t  made_ms;
	uint16_t part;
	uint16_t pad2;
	uint32_t pad3;
};

#define RH sizeof(struct rhdr)

/* ---- file spool ----------------------------------------------------------------------- */

#define SEG_MAX     64           /* segment files at most */
#define SEG_MIN     4096u        /* segment size bounds */
#define SEG_TOP     (4u << 20)
#define FL_MAX      1024         /* records in flight from disk (window) */
#define RETRY_US    60000000u    /* another try of a failed directory */
#define LEN_MAX     (16u << 20)  /* a larger length field is damage */
#define SEG_SUFFIX  ".spool"

struct seg {
	uint64_t id;
	int      fd;
	uint64_t size;
	uint32_t nrec;            /* valid records */
	uint32_t nread;           /* of them, passed by the read cursor */
	uint64_t dmg_upto;        /* damage before this offset is counted */
	bool     ours;            /* created by this run: appended to */
};

struct fl {                   /* a disk record sent, in send order */
	uint64_t seg, off;
	bool     acked;
};

/* Outside the state (which is cleared at start-up) so that their pages
 * are touched only as far as they are used. */
static char      dir_path[4096];
static struct fl fl_tab[FL_MAX];

static struct {
	struct spool_params p;
	struct spool_stats  st;
	char               *dir;

	/* ring */
	uint8_t  *ram;
	size_t    cap, tail, head;
	uint32_t  count;          /* records (not wrap marks) */
	uint32_t  unsent[2];      /* by backlog flag */

	/* disk */
	int       dfd;
	struct seg seg[SEG_MAX];
	unsigned  nseg;
	unsigned  rseg;           /* read cursor: segment index ... */
	uint64_t  roff;           /* ... and offset */
	struct fl *fl;            /* fl_tab */
	unsigned  nfl;
	uint64_t  seg_size;
	uint64_t  next_id;
	bool      dirty;
	bool      warned;         /* the fall-back warning was given */
	uint64_t  last_sync, retry_at, now;
	uint8_t  *rbuf;           /* one record read from disk */
	size_t    rcap;
} S = { .dfd = -1 };

/* ---- CRC-32 ----------------------------------------------------------------------------- */

static uint32_t crc_tab[256];

static void
crc_init(void)
{
	uint32_t c, i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_tab[i] = c;
	}
}

uint32_t
spool_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	if (crc_tab[1] == 0)
		crc_init();
	crc = ~crc;
	while (len-- > 0)
		crc = crc_tab[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

/* ---- ring ------------------------------------------------------------------------------- */

static size_t
rsize(uint32_t len)
{
	return RH + (((size_t)len + 7) & ~(size_t)7);
}

static struct rhdr *
rh(size_t off)
{
	return (struct rhdr *)(void *)(S.ram + off);
}

/* Where the record after a wrap point starts. */
static size_t
rnorm(size_t off)
{
	if (off + RH > S.cap || rh(off)->state == R_WRAP)
		return 0;
	return off;
}

static size_t
rnext(size_t off)
{
	return rnorm(off + rsize(rh(off)->len));
}

/* An offset where need bytes fit, or (size_t)-1. */
static size_t
rplace(size_t need)
{
	if (S.count == 0)
		S.tail = S.head = 0;
	if (S.count > 0 && S.head == S.tail)
		return (size_t)-1;
	if (S.head >= S.tail) {
		if (S.cap - S.head >= need)
			return S.head;
		if (S.tail >= need) {
			if (S.cap - S.head >= RH)
				rh(S.head)->state = R_WRAP;
			return 0;
		}
		return (size_t)-1;
	}
	return S.tail - S.head >= need ? S.head : (size_t)-1;
}

static void
rpop(void)
{
	struct rhdr *h = rh(S.tail);

	if (h->state == R_UNSENT && S.unsent[h->backlog] > 0)
		S.unsent[h->backlog]--;
	if (h->state == R_INFLIGHT && S.st.ram_inflight > 0)
		S.st.ram_inflight--;
	S.st.ram_used -= rsize(h->len);
	S.count--;
	if (S.count == 0)
		S.tail = S.head = 0;
	else
		S.tail = rnext(S.tail);
}

/* Drop finished records at the tail. */
static void
rcollect(void)
{
	while (S.count > 0 && rh(S.tail)->state == R_DONE)
		rpop();
}

int
spool_ram_put(const struct spool_msg *m)
{
	size_t need = rsize(m->len), at;
	struct rhdr *h;

	if (need > S.cap) {
		/* never fits: do not empty the ring for it */
		S.st.dropped_ram++;
		return HR_ENOSPC;
	}
	for (;;) {
		at = rplace(need);
		if (at != (size_t)-1)
			break;
		/* make room: the oldest unsent go; an in-flight one stays */
		if (S.count == 0 || rh(S.tail)->state == R_INFLIGHT) {
			S.st.dropped_ram++;
			return HR_ENOSPC;
		}
		if (rh(S.tail)->state == R_UNSENT)
			S.st.dropped_ram++;
		rpop();
	}
	h = rh(at);
	memset(h, 0, RH);
	h->len = m->len;
	h->state = R_UNSENT;
	h->backlog = m->backlog ? 1 : 0;
	h->kind = m->kind;
	h->seq = m->seq;
	h->made_ms = m->made_ms;
	h->part = m->part;
	memcpy(S.ram + at + RH, m->data, m->len);
	S.head = at + need;
	S.count++;
	S.unsent[h->backlog]++;
	S.st.ram_used += need;
	return 0;
}

static void
rmsg(size_t off, struct spool_ref *ref, struct spool_msg *m)
{
	struct rhdr *h = rh(off);

	memset(ref, 0, sizeof(*ref));
	ref->off = off;
	m->seq = h->seq;
	m->made_ms = h->made_ms;
	m->part = h->part;
	m->kind = h->kind;
	m->backlog = h->backlog != 0;
	m->data = S.ram + off + RH;
	m->len = h->len;
}

int
spool_ram_next(bool backlog, struct spool_ref *ref, struct spool_msg *m)
{
	size_t off = S.tail;
	uint32_t i;

	if (S.unsent[backlog ? 1 : 0] == 0)
		return HR_ENOENT;
	for (i = 0; i < S.count; i++, off = rnext(off)) {
		struct rhdr *h = rh(off);
		if (h->state == R_UNSENT && (h->backlog != 0) == backlog) {
			rmsg(off, ref, m);
			return 0;
		}
	}
	return HR_ENOENT;
}

unsigned
spool_ram_age(int64_t cutoff_ms)
{
	size_t off = S.tail;
	unsigned n = 0;
	uint32_t i;

	if (S.unsent[0] == 0)
		return 0;
	for (i = 0; i < S.count; i++, off = rnext(off)) {
		struct rhdr *h = rh(off);
		if (h->state == R_UNSENT && !h->backlog &&
		    h->made_ms < cutoff_ms) {
			h->backlog = 1;
			S.unsent[0]--;
			S.unsent[1]++;
			n++;
		}
	}
	return n;
}

/* ---- segments --------------------------------------------------------------------------- */

static void
seg_name(uint64_t id, char *buf, size_t cap)
{
	snprintf(buf, cap, "%016llx" SEG_SUFFIX, (unsigned long long)id);
}

static void
put_le(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t
get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
hdr_encode(uint8_t *h, const struct spool_msg *m)
{
	uint32_t crc;

	memcpy(h, "HRS1", 4);
	put_le(h + 4, m->len, 4);
	put_le(h + 8, m->seq, 8);
	put_le(h + 16, (uint64_t)m->made_ms, 8);
	put_le(h + 24, m->part, 2);
	h[26] = m->kind;
	h[27] = 0;
	crc = spool_crc32(0, h + 4, 24);
	crc = spool_crc32(crc, m->data, m->len);
	put_le(h + 28, crc, 4);
}

/*
 * Is there a valid record at off of segment s?  On success the payload
 * is in S.rbuf and m describes it.
 */
static bool
rec_valid(const struct seg *s, uint64_t off, struct spool_msg *m)
{
	uint8_t h[SPOOL_REC_HDR];
	uint32_t len, crc;
	size_t got;

	if (off + SPOOL_REC_HDR > s->size ||
	    pf_file_pread(s->fd, h, sizeof(h), off, &got) != 0 ||
	    got != sizeof(h) || memcmp(h, "HRS1", 4) != 0)
		return false;
	len = (uint32_t)get_le(h + 4, 4);
	if (len > LEN_MAX || len > S.rcap ||
	    off + SPOOL_REC_HDR + len > s->size ||
	    pf_file_pread(s->fd, S.rbuf, len, off + SPOOL_REC_HDR, &got) !=
	    0 || got != len)
		return false;
	crc = spool_crc32(0, h + 4, 24);
	crc = spool_crc32(crc, S.rbuf, len);
	if (crc != (uint32_t)get_le(h + 28, 4))
		return false;
	m->len = len;
	m->seq = get_le(h + 8, 8);
	m->made_ms = (int64_t)get_le(h + 16, 8);
	m->part = (uint16_t)get_le(h + 24, 2);
	m->kind = h[26];
	m->backlog = true;
	m->data = S.rbuf;
	return true;
}

/* The next offset after off where a valid record starts, else the end. */
static uint64_t
resync(const struct seg *s, uint64_t off)
{
	uint8_t win[4096];
	struct spool_msg m;
	size_t got, i;

	while (off < s->size) {
		if (pf_file_pread(s->fd, win, sizeof(win), off, &got) != 0 ||
		    got < 4)
			break;
		for (i = 0; i + 4 <= got; i++)
			if (memcmp(win + i, "HRS1", 4) == 0 &&
			    rec_valid(s, off + i, &m))
				return off + i;
		/* a magic may straddle the window's end */
		off += got - 3;
	}
	return s->size;
}

/* Count the valid records of a segment left by an earlier run. */
static uint32_t
seg_scan(struct seg *s, unsigned *damaged)
{
	struct spool_msg m;
	uint64_t off = 0;
	uint32_t n = 0;

	while (off < s->size) {
		if (rec_valid(s, off, &m)) {
			n++;
			off += SPOOL_REC_HDR + m.len;
		} else {
			(*damaged)++;
			off = resync(s, off + 1);
		}
	}
	return n;
}

static void
seg_close(struct seg *s)
{
	if (s->fd >= 0)
		pf_close(s->fd);
	s->fd = -1;
}

/* Remove segment i (its unread records are counted as dropped when
 * dropped is set). */
static void
seg_remove(unsigned i, bool dropped)
{
	char name[64];

	if (dropped)
		S.st.dropped_disk += S.seg[i].nrec - S.seg[i].nread;
	seg_name(S.seg[i].id, name, sizeof(name));
	seg_close(&S.seg[i]);
	(void)pf_file_unlink(S.dfd, name);
	S.st.disk_bytes -= S.seg[i].size;
	memmove(&S.seg[i], &S.seg[i + 1], (S.nseg - i - 1) * sizeof(S.seg[0]));
	S.nseg--;
	if (S.rseg > i) {
		S.rseg--;
	} else if (S.rseg == i) {
		/* the read cursor was in it: on to the next one's start */
		S.roff = 0;
	}
	if (S.rseg >= S.nseg)
		S.rseg = S.nseg > 0 ? S.nseg - 1 : 0;
	if (S.nseg == 0)
		S.roff = 0;
}

static int
seg_index(uint64_t id)
{
	unsigned i;

	for (i = 0; i < S.nseg; i++)
		if (S.seg[i].id == id)
			return (int)i;
	return -1;
}

/* Delete the segments every record of which is delivered. */
static void
seg_collect(void)
{
	uint64_t tseg;
	int ti;

	if (S.nseg == 0)
		return;
	/* the oldest undelivered position: the first record in flight (the
	 * list is in send order), else the read cursor */
	tseg = S.nfl > 0 ? S.fl[0].seg : S.seg[S.rseg].id;
	ti = seg_index(tseg);
	while (ti > 0) {
		seg_remove(0, false);
		ti--;
	}
	/* the last one too, once read to its end and nothing in flight */
	if (S.nseg == 1 && S.nfl == 0 && S.roff >= S.seg[0].size &&
	    S.seg[0].nread >= S.seg[0].nrec)
		seg_remove(0, false);
}

/* ---- disk errors -------------------------------------------------------------------------- */

static void
disk_failed(const char *what)
{
	/* one warning per episode: a retry that fails again is quiet */
	if (!S.warned)
		log_warnx("spool: %s: %s: keeping undelivered reports in RAM "
		    "(%zu KiB) until the directory works again", S.dir, what,
		    S.p.memory / 1024);
	S.warned = true;
	S.st.disk_ok = false;
	S.retry_at = S.now + RETRY_US;
}

struct scan_ctx {
	uint64_t ids[SEG_MAX * 4];
	unsigned n;
	bool     more;
};

static void
on_name(void *ctx, const char *name)
{
	struct scan_ctx *c = ctx;
	uint64_t id = 0;
	size_t i;

	if (strlen(name) != 16 + strlen(SEG_SUFFIX) ||
	    strcmp(name + 16, SEG_SUFFIX) != 0)
		return;
	for (i = 0; i < 16; i++) {
		int d = name[i] >= '0' && name[i] <= '9' ? name[i] - '0' :
		    name[i] >= 'a' && name[i] <= 'f' ? name[i] - 'a' + 10 : -1;
		if (d < 0)
			return;
		id = id << 4 | (uint64_t)d;
	}
	if (c->n < sizeof(c->ids) / sizeof(c->ids[0]))
		c->ids[c->n++] = id;
	else
		c->more = true;
}

static int
cmp_id(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Open the directory and take over the segments found in it. */
static int
disk_open(void)
{
	static struct scan_ctx c;
	char why[4200], name[64];
	unsigned i, damaged = 0;
	struct seg *s;

	if (S.dfd < 0 && pf_dir_open(S.dir, S.p.uid, &S.dfd, why,
	    sizeof(why)) != 0) {
		disk_failed(why);
		return HR_EIO;
	}
	memset(&c, 0, sizeof(c));
	if (pf_dir_list(S.dfd, on_name, &c) != 0) {
		disk_failed(strerror(errno));
		return HR_EIO;
	}
	qsort(c.ids, c.n, sizeof(c.ids[0]), cmp_id);
	for (i = 0; i < c.n; i++) {
		if (S.nseg == SEG_MAX - 1)
			seg_remove(0, true);   /* keep room to write */
		s = &S.seg[S.nseg];
		memset(s, 0, sizeof(*s));
		s->id = c.ids[i];
		seg_name(s->id, name, sizeof(name));
		if (pf_file_open(S.dfd, name, 0, &s->fd) != 0 ||
		    pf_file_size(s->fd, &s->size) != 0) {
			seg_close(s);
			log_warn("spool: %s/%s: cannot read it", S.dir, name);
			continue;
		}
		s->nrec = seg_scan(s, &damaged);
		S.st.loaded += s->nrec;
		S.st.disk_bytes += s->size;
		S.nseg++;
		S.next_id = s->id + 1;
	}
	/* over the budget (it may have been lowered): the oldest go */
	while (S.nseg > 1 && S.st.disk_bytes > S.p.max_disk)
		seg_remove(0, true);
	if (S.nseg > 0 || damaged > 0)
		log_info("spool: %s: %llu records in %u segment file%s to "
		    "replay%s", S.dir, (unsigned long long)S.st.loaded, S.nseg,
		    S.nseg == 1 ? "" : "s", damaged > 0 ?
		    " (damaged stretches are skipped when read)" : "");
	if (c.more)
		log_warnx("spool: %s: more segment files than %u: the newest "
		    "are left alone", S.dir, (unsigned)(SEG_MAX * 4));
	S.st.disk_ok = true;
	return 0;
}

/* ---- file spool ------------------------------------------------------------------------------ */

bool
spool_disk_usable(void)
{
	return S.st.disk_configured && S.st.disk_ok;
}

/* The oldest segment holds a record in flight: it must not be evicted
 * (a requeue would not find the record; fl is in send order). */
static bool
oldest_in_flight(void)
{
	return S.nfl > 0 && S.nseg > 0 && S.fl[0].seg == S.seg[0].id;
}

/* A new segment to append to. */
static int
seg_create(void)
{
	char name[64];
	struct seg *s;
	int rc;

	/* the oldest goes (its unread records counted) unless in flight */
	if (S.nseg == SEG_MAX && !oldest_in_flight())
		seg_remove(0, true);
	if (S.nseg == SEG_MAX)
		return HR_ENOSPC;
	if (S.nseg > 0 && S.seg[S.nseg - 1].ours)
		S.seg[S.nseg - 1].ours = false;
	s = &S.seg[S.nseg];
	memset(s, 0, sizeof(*s));
	s->id = S.next_id++;
	seg_name(s->id, name, sizeof(name));
	if ((rc = pf_file_open(S.dfd, name, 1, &s->fd)) != 0)
		return rc;
	s->ours = true;
	S.nseg++;
	S.st.segments++;
	/* the new name must survive a power cut with its records */
	(void)pf_dir_sync(S.dfd);
	return 0;
}

int
spool_disk_put(const struct spool_msg *m)
{
	uint8_t h[SPOOL_REC_HDR];
	uint64_t need = SPOOL_REC_HDR + (uint64_t)m->len;
	struct seg *s;
	int rc;

	if (!spool_disk_usable())
		return HR_EIO;
	/* keep max_disk: the oldest segments go (never one in flight) */
	while (S.nseg > 0 && S.st.disk_bytes + need > S.p.max_disk) {
		if (oldest_in_flight())
			return HR_ENOSPC;
		seg_remove(0, true);
	}
	s = S.nseg > 0 ? &S.seg[S.nseg - 1] : NULL;
	if (s == NULL || !s->ours || (s->size > 0 && s->size + need >
	    S.seg_size)) {
		if ((rc = seg_create()) != 0) {
			disk_failed(rc == HR_ENOSPC ? "too many segment files" :
			    strerror(errno));
			return HR_EIO;
		}
		s = &S.seg[S.nseg - 1];
	}
	hdr_encode(h, m);
	if ((rc = pf_file_append(s->fd, h, sizeof(h), m->data, m->len)) != 0) {
		disk_failed(strerror(errno));
		/* no empty file per retry on a full file system */
		if (s->size == 0)
			seg_remove(S.nseg - 1, false);
		return HR_EIO;
	}
	if (S.warned) {
		log_info("spool: %s: writing to the directory again", S.dir);
		S.warned = false;
	}
	s->size += need;
	s->nrec++;
	S.st.disk_bytes += need;
	S.st.disk_writes++;
	if (S.p.fsync_us == 0) {
		if (pf_file_sync(s->fd) == 0)
			S.st.disk_syncs++;
	} else {
		S.dirty = true;
	}
	return 0;
}

int
spool_disk_next(struct spool_ref *ref, struct spool_msg *m)
{
	struct seg *s;

	while (S.nseg > 0) {
		s = &S.seg[S.rseg];
		if (S.roff < s->size) {
			if (rec_valid(s, S.roff, m)) {
				ref->disk = true;
				ref->seg = s->id;
				ref->off = S.roff;
				ref->size = SPOOL_REC_HDR + m->len;
				return 0;
			}
			/* torn or damaged: skip to the next good record,
			 * counted once even when read again after a requeue */
			if (S.roff >= s->dmg_upto)
				S.st.damaged++;
			S.roff = resync(s, S.roff + 1);
			if (S.roff > s->dmg_upto)
				s->dmg_upto = S.roff;
			continue;
		}
		if (S.rseg + 1 >= S.nseg)
			break;
		S.rseg++;
		S.roff = 0;
	}
	seg_collect();
	return HR_ENOENT;
}

uint64_t
spool_disk_waiting(void)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < S.nseg; i++)
		n += S.seg[i].nrec - S.seg[i].nread;
	return n;
}

/* ---- both ---------------------------------------------------------------------------------- */

void
spool_sent(const struct spool_ref *ref)
{
	struct rhdr *h;
	int i;

	if (!ref->disk) {
		h = rh((size_t)ref->off);
		if (h->state == R_UNSENT) {
			S.unsent[h->backlog]--;
			h->state = R_INFLIGHT;
			S.st.ram_inflight++;
		}
		return;
	}
	i = seg_index(ref->seg);
	if (i < 0 || (unsigned)i != S.rseg || ref->off != S.roff ||
	    S.nfl == FL_MAX)
		return;
	S.fl[S.nfl].seg = ref->seg;
	S.fl[S.nfl].off = ref->off;
	S.fl[S.nfl++].acked = false;
	S.roff += ref->size;
	S.seg[i].nread++;
}

void
spool_done(const struct spool_ref *ref)
{
	struct rhdr *h;
	unsigned i;

	if (!ref->disk) {
		h = rh((size_t)ref->off);
		if (h->state == R_INFLIGHT && S.st.ram_inflight > 0)
			S.st.ram_inflight--;
		else if (h->state == R_UNSENT)
			S.unsent[h->backlog]--;
		h->state = R_DONE;
		rcollect();
		return;
	}
	for (i = 0; i < S.nfl; i++)
		if (S.fl[i].seg == ref->seg && S.fl[i].off == ref->off) {
			S.fl[i].acked = true;
			break;
		}
	/* acknowledged in order (almost always): drop the front */
	for (i = 0; i < S.nfl && S.fl[i].acked; i++)
		;
	if (i > 0) {
		memmove(S.fl, S.fl + i, (S.nfl - i) * sizeof(S.fl[0]));
		S.nfl -= i;
	}
	seg_collect();
}

unsigned
spool_requeue(void)
{
	size_t off = S.tail;
	unsigned live = 0, i;
	uint32_t k;
	int si;

	for (k = 0; k < S.count; k++, off = rnext(off)) {
		struct rhdr *h = rh(off);
		if (h->state == R_INFLIGHT) {
			h->state = R_UNSENT;
			S.unsent[h->backlog]++;
		}
		if (h->state != R_UNSENT || h->backlog)
			continue;
		live++;
		h->backlog = 1;
		S.unsent[0]--;
		S.unsent[1]++;
	}
	S.st.ram_inflight = 0;
	/* disk: read again from the oldest record in flight; everything
	 * sent after it is read again too (an acknowledged one among them
	 * is sent twice: consumers drop duplicates) */
	if (S.nfl > 0 && (si = seg_index(S.fl[0].seg)) >= 0) {
		S.rseg = (unsigned)si;
		S.roff = S.fl[0].off;
	}
	for (i = 0; i < S.nfl; i++)
		if ((si = seg_index(S.fl[i].seg)) >= 0 && S.seg[si].nread > 0)
			S.seg[si].nread--;
	S.nfl = 0;
	return live;
}

unsigned
spool_flush(void)
{
	size_t off = S.tail;
	struct spool_ref ref;
	struct spool_msg m;
	unsigned n = 0;
	uint32_t k;

	/* in ring order, whatever the class: the order of the reports */
	for (k = 0; k < S.count && spool_disk_usable(); k++, off = rnext(off)) {
		struct rhdr *h = rh(off);
		if (h->state != R_UNSENT)
			continue;
		rmsg(off, &ref, &m);
		if (spool_disk_put(&m) != 0)
			break;
		S.unsent[h->backlog]--;
		h->state = R_DONE;
		n++;
	}
	rcollect();
	return n;
}

void
spool_tick(uint64_t now_us)
{
	S.now = now_us;
	if (S.dirty && now_us - S.last_sync >= S.p.fsync_us) {
		if (S.nseg > 0 && S.seg[S.nseg - 1].fd >= 0 &&
		    pf_file_sync(S.seg[S.nseg - 1].fd) == 0)
			S.st.disk_syncs++;
		S.dirty = false;
		S.last_sync = now_us;
	}
	if (S.st.disk_configured && !S.st.disk_ok && now_us >= S.retry_at) {
		S.retry_at = now_us + RETRY_US;
		if (S.dfd < 0) {
			if (disk_open() == 0)
				log_info("spool: %s: usable again", S.dir);
		} else {
			/* the next write tells (quietly, if it fails again) */
			S.st.disk_ok = true;
		}
	}
}

const struct spool_stats *
spool_stats(void)
{
	S.st.ram_waiting = S.unsent[0] + S.unsent[1];
	S.st.disk_waiting = spool_disk_waiting();
	return &S.st;
}

/* ---- life cycle -------------------------------------------------------------------------------- */

int
spool_init(const struct spool_params *p)
{
	spool_free();
	S.p = *p;
	S.dfd = -1;
	S.dir = dir_path;
	S.fl = fl_tab;
	snprintf(dir_path, sizeof(dir_path), "%s", p->dir);
	S.p.dir = S.dir;
	S.cap = p->memory & ~(size_t)7;
	/* calloc: zero pages come untouched from the kernel, so the ring
	 * costs memory only as far as it is used */
	S.ram = calloc(1, S.cap);
	S.rcap = p->max_message;
	S.rbuf = malloc(S.rcap > 0 ? S.rcap : 1);
	if (S.ram == NULL || S.rbuf == NULL) {
		spool_free();
		return HR_EINVAL;
	}
	S.next_id = 1;
	S.seg_size = p->max_disk / 16;
	if (S.seg_size < SEG_MIN)
		S.seg_size = SEG_MIN;
	if (S.seg_size > SEG_TOP)
		S.seg_size = SEG_TOP;
	S.st.disk_configured = S.dir[0] != '\0';
	if (S.st.disk_configured)
		(void)disk_open();
	return 0;
}

void
spool_free(void)
{
	unsigned i;

	if (S.dirty && S.nseg > 0 && S.seg[S.nseg - 1].fd >= 0)
		(void)pf_file_sync(S.seg[S.nseg - 1].fd);
	for (i = 0; i < S.nseg; i++)
		seg_close(&S.seg[i]);
	pf_dir_close(S.dfd);
	free(S.ram);
	free(S.rbuf);
	memset(&S, 0, sizeof(S));
	S.dfd = -1;
}
