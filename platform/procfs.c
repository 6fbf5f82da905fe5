/*
 * procfs.c - pure parsers for procfs files (see procfs.h).
 *
 * Every parser works on one line at a time, never trusts column counts
 * and never writes outside the fixed tables of struct hr_sample.
 */
#include <stddef.h>
#include <string.h>

#include "procfs.h"
#include "scan.h"

#define CTX(v) ((struct pp_ctx *)(v))

int
pp_parse_buf(const struct pp_parser *p, const char *buf, size_t len,
    struct pp_ctx *c)
{
	int rc;

	c->malformed = 0;
	c->ents_overflow = 0;
	p->begin(c);
	if ((rc = scan_lines(buf, len, p->line, c)) != 0)
		return rc;
	return p->end(c);
}

/*
 * Copy a word into a fixed name buffer; false if it does not fit.  The
 * whole buffer is written (zero padded), so a sample holds no leftover
 * bytes and two samples of the same host compare equal byte for byte.
 */
static bool
copy_name(char *dst, size_t cap, const char *w, size_t wlen)
{
	if (wlen == 0 || wlen >= cap)
		return false;
	memcpy(dst, w, wlen);
	memset(dst + wlen, 0, cap - wlen);
	return true;
}

static bool
blank_line(const char *line, size_t len)
{
	struct scan sc;

	scan_init(&sc, line, len);
	return scan_eof(&sc);
}

/* ---- /proc/stat ------------------------------------------------------ */

#define STAT_SEEN_TOTAL 1u

static void
stat_begin(struct pp_ctx *c)
{
	struct hr_sample *s = c->s;

	memset(&s->cpu_total, 0, sizeof(s->cpu_total));
	s->ncpu = 0;
	s->ctxt = s->forks = s->btime = 0;
	s->stat_have = 0;
	s->procs_running = s->procs_blocked = 0;
	c->seen = 0;
}

/* Parse up to 8 tick columns; at least 4 (user nice system idle). */
static bool
stat_ticks(struct scan *sc, struct hr_cpu_ticks *t)
{
	uint64_t v[8] = { 0 };
	unsigned n = 0;

	while (n < 8 && !scan_eof(sc)) {
		if (!scan_u64(sc, &v[n]))
			return false;
		n++;
	}
	if (n < 4)
		return false;
	/* Further columns (guest, guest_nice) are already part of user/nice. */
	t->user = v[0];
	t->nice = v[1];
	t->system = v[2];
	t->idle = v[3];
	t->iowait = v[4];
	t->irq = v[5];
	t->softirq = v[6];
	t->steal = v[7];
	return true;
}

static int
stat_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_sample *s = c->s;
	struct scan sc;
	const char *w;
	size_t wl;
	uint64_t v;

	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl))
		return 0;
	if (scan_weq(w, wl, "cpu")) {
		if (!stat_ticks(&sc, &s->cpu_total))
			goto bad;
		c->seen |= STAT_SEEN_TOTAL;
	} else if (wl > 3 && memcmp(w, "cpu", 3) == 0) {
		struct scan id;
		struct hr_cpu_ticks t;

		scan_init(&id, w + 3, wl - 3);
		if (!scan_u64(&id, &v) || !scan_eof(&id) || v > UINT32_MAX ||
		    !stat_ticks(&sc, &t))
			goto bad;
		if (s->ncpu >= HR_MAX_CPUS) {
			s->health.overflow_cpus++;
			return 0;
		}
		s->cpu[s->ncpu].id = (uint32_t)v;
		s->cpu[s->ncpu].t = t;
		s->ncpu++;
	} else if (scan_weq(w, wl, "ctxt")) {
		if (!scan_u64(&sc, &s->ctxt))
			goto bad;
		s->stat_have |= HR_STAT_CTXT;
	} else if (scan_weq(w, wl, "btime")) {
		if (!scan_u64(&sc, &s->btime))
			goto bad;
		s->stat_have |= HR_STAT_BTIME;
	} else if (scan_weq(w, wl, "processes")) {
		if (!scan_u64(&sc, &s->forks))
			goto bad;
		s->stat_have |= HR_STAT_FORKS;
	} else if (scan_weq(w, wl, "procs_running")) {
		if (!scan_u64(&sc, &v) || v > UINT32_MAX)
			goto bad;
		s->procs_running = (uint32_t)v;
		s->stat_have |= HR_STAT_RUNNING;
	} else if (scan_weq(w, wl, "procs_blocked")) {
		if (!scan_u64(&sc, &v) || v > UINT32_MAX)
			goto bad;
		s->procs_blocked = (uint32_t)v;
		s->stat_have |= HR_STAT_BLOCKED;
	}
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
stat_end(struct pp_ctx *c)
{
	return (c->seen & STAT_SEEN_TOTAL) ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_stat = {
	"stat", stat_begin, stat_line, stat_end
};

/* ---- /proc/meminfo --------------------------------------------------- */

enum {
	MI_TOTAL = 1u << 0, MI_FREE = 1u << 1, MI_AVAIL = 1u << 2,
};

static void
meminfo_begin(struct pp_ctx *c)
{
	struct hr_sample *s = c->s;

	s->mem_total = s->mem_free = s->mem_available = 0;
	s->mem_buffers = s->mem_cached = s->mem_sreclaimable = 0;
	s->mem_shmem = s->swap_total = s->swap_free = 0;
	s->mem_has_available = false;
	c->seen = 0;
}

static int
meminfo_line(void *vc, const char *line, size_t len)
{
	static const struct {
		const char *key;
		size_t      off;
		uint32_t    bit;
	} keys[] = {
		{ "MemTotal:", offsetof(struct hr_sample, mem_total), MI_TOTAL },
		{ "MemFree:", offsetof(struct hr_sample, mem_free), MI_FREE },
		{ "MemAvailable:", offsetof(struct hr_sample, mem_available),
		    MI_AVAIL },
		{ "Buffers:", offsetof(struct hr_sample, mem_buffers), 0 },
		{ "Cached:", offsetof(struct hr_sample, mem_cached), 0 },
		{ "SReclaimable:", offsetof(struct hr_sample, mem_sreclaimable),
		    0 },
		{ "Shmem:", offsetof(struct hr_sample, mem_shmem), 0 },
		{ "SwapTotal:", offsetof(struct hr_sample, swap_total), 0 },
		{ "SwapFree:", offsetof(struct hr_sample, swap_free), 0 },
	};
	struct pp_ctx *c = CTX(vc);
	struct scan sc;
	const char *w, *unit;
	size_t wl, ul, i;
	uint64_t v;

	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl))
		return 0;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!scan_weq(w, wl, keys[i].key))
			continue;
		if (!scan_u64(&sc, &v))
			goto bad;
		if (scan_word(&sc, &unit, &ul)) {
			if (!scan_weq(unit, ul, "kB") || !scan_eof(&sc))
				goto bad;
			if (v > UINT64_MAX / 1024)
				goto bad;
			v *= 1024;
		}
		memcpy((char *)c->s + keys[i].off, &v, sizeof(v));
		c->seen |= keys[i].bit;
		return 0;
	}
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
meminfo_end(struct pp_ctx *c)
{
	struct hr_sample *s = c->s;
	uint64_t est;

	if ((c->seen & (MI_TOTAL | MI_FREE)) != (MI_TOTAL | MI_FREE) ||
	    s->mem_total == 0)
		return HR_EINVAL;
	if (c->seen & MI_AVAIL) {
		s->mem_has_available = true;
	} else {
		/* Pre-3.14 kernels: the estimate free(1) used before. */
		est = s->mem_free + s->mem_buffers + s->mem_cached +
		    s->mem_sreclaimable;
		est = est > s->mem_shmem ? est - s->mem_shmem : 0;
		s->mem_available = est < s->mem_free ? s->mem_free : est;
	}
	if (s->mem_available > s->mem_total)
		s->mem_available = s->mem_total;
	return 0;
}

const struct pp_parser procfs_meminfo = {
	"meminfo", meminfo_begin, meminfo_line, meminfo_end
};

/* ---- /proc/vmstat ---------------------------------------------------- */

static void
vmstat_begin(struct pp_ctx *c)
{
	c->s->pgmajfault = c->s->pswpin = c->s->pswpout = 0;
	c->s->oom_kill = 0;
	c->s->has_oom_kill = false;
	c->seen = 0;
}

static int
vmstat_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_sample *s = c->s;
	struct scan sc;
	const char *w;
	size_t wl;
	uint64_t *dst = NULL;

	/* All wanted keys start with 'p' or 'o': most of the ~180 lines
	 * are dismissed on their first byte. */
	if (len == 0 || (line[0] != 'p' && line[0] != 'o'))
		return 0;
	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl))
		return 0;
	if (scan_weq(w, wl, "pgmajfault")) {
		dst = &s->pgmajfault;
		c->seen |= 1;
	} else if (scan_weq(w, wl, "pswpin")) {
		dst = &s->pswpin;
	} else if (scan_weq(w, wl, "pswpout")) {
		dst = &s->pswpout;
	} else if (scan_weq(w, wl, "oom_kill")) {
		dst = &s->oom_kill;
	} else {
		return 0;
	}
	if (!scan_u64(&sc, dst) || !scan_eof(&sc)) {
		*dst = 0;
		if (dst == &s->pgmajfault)
			c->seen &= ~1u;
		c->malformed++;
		return 0;
	}
	if (dst == &s->oom_kill)
		s->has_oom_kill = true;
	return 0;
}

static int
vmstat_end(struct pp_ctx *c)
{
	return (c->seen & 1) ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_vmstat = {
	"vmstat", vmstat_begin, vmstat_line, vmstat_end
};

/* ---- /proc/loadavg --------------------------------------------------- */

static void
loadavg_begin(struct pp_ctx *c)
{
	c->s->load1 = c->s->load5 = c->s->load15 = 0;
	c->s->sched_runnable = c->s->sched_threads = 0;
	c->seen = 0;
}

static int
loadavg_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_sample *s = c->s;
	struct scan sc;
	uint64_t run, thr, last;
	double l1, l5, l15;

	if (blank_line(line, len))
		return 0;
	scan_init(&sc, line, len);
	if (c->seen || !scan_udouble(&sc, &l1) || !scan_udouble(&sc, &l5) ||
	    !scan_udouble(&sc, &l15) || !scan_u64(&sc, &run) ||
	    !scan_lit(&sc, "/") || !scan_u64(&sc, &thr) ||
	    !scan_u64(&sc, &last) || run > UINT32_MAX || thr > UINT32_MAX) {
		c->malformed++;
		return 0;
	}
	s->load1 = l1;
	s->load5 = l5;
	s->load15 = l15;
	s->sched_runnable = (uint32_t)run;
	s->sched_threads = (uint32_t)thr;
	c->seen = 1;
	return 0;
}

static int
loadavg_end(struct pp_ctx *c)
{
	return c->seen ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_loadavg = {
	"loadavg", loadavg_begin, loadavg_line, loadavg_end
};

/* ---- /proc/pressure/<res> ---------------------------------------------- */

static void
psi_begin(struct pp_ctx *c)
{
	memset(c->psi, 0, sizeof(*c->psi));
	c->seen = 0;
}

static int
psi_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_psi *p = c->psi;
	struct scan sc;
	const char *w;
	size_t wl;
	double a10, a60, a300;
	uint64_t tot;
	bool full;

	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl))
		return 0;
	if (scan_weq(w, wl, "some"))
		full = false;
	else if (scan_weq(w, wl, "full"))
		full = true;
	else
		goto bad;
	if (!scan_lit(&sc, "avg10=") || !scan_udouble(&sc, &a10) ||
	    !scan_lit(&sc, "avg60=") || !scan_udouble(&sc, &a60) ||
	    !scan_lit(&sc, "avg300=") || !scan_udouble(&sc, &a300) ||
	    !scan_lit(&sc, "total=") || !scan_u64(&sc, &tot) ||
	    a10 > 100.0 || a60 > 100.0 || a300 > 100.0)
		goto bad;
	if (full) {
		p->has_full = true;
		p->full_avg10 = a10;
		p->full_avg60 = a60;
		p->full_avg300 = a300;
		p->full_total_us = tot;
	} else {
		p->some_avg10 = a10;
		p->some_avg60 = a60;
		p->some_avg300 = a300;
		p->some_total_us = tot;
		c->seen = 1;
	}
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
psi_end(struct pp_ctx *c)
{
	return c->seen ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_psi = {
	"psi", psi_begin, psi_line, psi_end
};

/* ---- /proc/diskstats ---------------------------------------------------- */

static bool
prefix(const char *name, const char *pfx)
{
	return strncmp(name, pfx, strlen(pfx)) == 0;
}

static bool
all_digits(const char *p)
{
	if (*p == '\0')
		return false;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

int
pp_disk_is_virtual(const char *name)
{
	static const char *const virt[] = {
		"loop", "ram", "zram", "fd", "sr", "nbd",
	};
	size_t i, n;

	for (i = 0; i < sizeof(virt) / sizeof(virt[0]); i++) {
		n = strlen(virt[i]);
		if (strncmp(name, virt[i], n) == 0 && all_digits(name + n))
			return 1;
	}
	return 0;
}

/* Partition names by the conventions of the common block drivers. */
static int
disk_is_partition(const char *name)
{
	const char *p;

	if (prefix(name, "nvme") || prefix(name, "mmcblk")) {
		/* nvme0n1p2, mmcblk0p1: a 'p' followed by digits after a digit */
		p = strrchr(name, 'p');
		return p != NULL && p > name && p[-1] >= '0' &&
		    p[-1] <= '9' && all_digits(p + 1);
	}
	if (prefix(name, "sd") || prefix(name, "vd") || prefix(name, "hd") ||
	    prefix(name, "xvd")) {
		p = name + strlen(name);
		return p > name && p[-1] >= '0' && p[-1] <= '9';
	}
	return 0;
}

int
pp_disk_default_keep(void *arg, const char *name)
{
	(void)arg;
	return !pp_disk_is_virtual(name) && !disk_is_partition(name);
}

static void
diskstats_begin(struct pp_ctx *c)
{
	c->s->ndisks = 0;
}

static int
diskstats_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_sample *s = c->s;
	struct scan sc;
	const char *w;
	size_t wl;
	uint64_t v[11], major, minor;
	char name[HR_NAME_LEN];
	struct hr_disk *d;
	pp_disk_filter keep;
	unsigned i;

	if (blank_line(line, len))
		return 0;
	scan_init(&sc, line, len);
	if (!scan_u64(&sc, &major) || !scan_u64(&sc, &minor) ||
	    !scan_word(&sc, &w, &wl))
		goto bad;
	for (i = 0; i < 11; i++)
		if (!scan_u64(&sc, &v[i]))
			goto bad;
	/* Columns 15+ (discard, flush) exist on newer kernels: ignored. */
	if (!copy_name(name, sizeof(name), w, wl))
		goto bad;
	keep = c->disk_keep ? c->disk_keep : pp_disk_default_keep;
	if (!keep(c->disk_arg, name))
		return 0;
	if (s->ndisks >= HR_MAX_DISKS) {
		s->health.overflow_disks++;
		return 0;
	}
	d = &s->disk[s->ndisks++];
	memcpy(d->name, name, sizeof(name));
	d->rd_ios = v[0];
	d->rd_merges = v[1];
	d->rd_sectors = v[2];
	d->rd_ms = v[3];
	d->wr_ios = v[4];
	d->wr_merges = v[5];
	d->wr_sectors = v[6];
	d->wr_ms = v[7];
	d->in_flight = v[8];
	d->io_ms = v[9];
	d->weighted_ms = v[10];
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
diskstats_end(struct pp_ctx *c)
{
	(void)c;
	return 0;
}

const struct pp_parser procfs_diskstats = {
	"diskstats", diskstats_begin, diskstats_line, diskstats_end
};

/* ---- /proc/net/dev ------------------------------------------------------ */

static void
netdev_begin(struct pp_ctx *c)
{
	c->s->nifaces = 0;
	c->seen = 0;
}

static int
netdev_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_sample *s = c->s;
	const char *colon, *w;
	struct scan sc;
	struct hr_iface *f;
	uint64_t v[16];
	char name[HR_NAME_LEN];
	size_t wl;
	unsigned i;

	if (blank_line(line, len))
		return 0;
	/* Header lines contain '|'; data lines "name: counters", where old
	 * kernels print no space after the colon once numbers grow. */
	if (memchr(line, '|', len) != NULL)
		return 0;
	colon = memchr(line, ':', len);
	if (colon == NULL)
		goto bad;
	scan_init(&sc, line, (size_t)(colon - line));
	if (!scan_word(&sc, &w, &wl) || !scan_eof(&sc) ||
	    !copy_name(name, sizeof(name), w, wl))
		goto bad;
	scan_init(&sc, colon + 1, len - (size_t)(colon + 1 - line));
	for (i = 0; i < 16; i++)
		if (!scan_u64(&sc, &v[i]))
			goto bad;
	if (strcmp(name, "lo") == 0)
		return 0;
	if (s->nifaces >= HR_MAX_IFACES) {
		s->health.overflow_ifaces++;
		return 0;
	}
	f = &s->iface[s->nifaces++];
	memcpy(f->name, name, sizeof(name));
	f->rx_bytes = v[0];
	f->rx_packets = v[1];
	f->rx_errs = v[2];
	f->rx_drop = v[3];
	f->tx_bytes = v[8];
	f->tx_packets = v[9];
	f->tx_errs = v[10];
	f->tx_drop = v[11];
	f->speed_mbps = -1;
	f->oper = HR_OPER_UNKNOWN;
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
netdev_end(struct pp_ctx *c)
{
	(void)c;
	return 0;
}

const struct pp_parser procfs_netdev = {
	"net/dev", netdev_begin, netdev_line, netdev_end
};

/* ---- /proc/net/softnet_stat ---------------------------------------------- */

static void
softnet_begin(struct pp_ctx *c)
{
	c->s->softnet_processed = 0;
	c->s->softnet_dropped = 0;
	c->s->softnet_squeezed = 0;
	c->seen = 0;
}

static int
softnet_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct scan sc;
	uint64_t p, d, q;

	if (blank_line(line, len))
		return 0;
	scan_init(&sc, line, len);
	if (!scan_hex64(&sc, &p) || !scan_hex64(&sc, &d) ||
	    !scan_hex64(&sc, &q) || p > UINT32_MAX || d > UINT32_MAX ||
	    q > UINT32_MAX) {
		c->malformed++;
		return 0;
	}
	c->s->softnet_processed += p;
	c->s->softnet_dropped += d;
	c->s->softnet_squeezed += q;
	c->seen = 1;
	return 0;
}

static int
softnet_end(struct pp_ctx *c)
{
	return c->seen ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_softnet = {
	"softnet_stat", softnet_begin, softnet_line, softnet_end
};

/* ---- /proc/net/snmp and /proc/net/netstat -------------------------------- */

/*
 * Both files hold pairs of lines "Proto: Name1 Name2 ..." / "Proto: v1 v2".
 * The header line of the wanted protocol is remembered (it fits the line
 * buffer) and matched column by column against the value line.
 */
struct kv_want {
	const char *key;
	size_t      off;    /* offset in struct hr_sample */
};

#define KV_MAXHDR HR_LINE_MAX

struct kv_state {
	char   hdr[KV_MAXHDR];
	size_t hdrlen;
	bool   have_hdr;
};

/* One static header copy per file kind: parsers run one at a time in the
 * single agent thread. */
static struct kv_state kv_snmp, kv_netstat;

static int
kv_line(struct pp_ctx *c, struct kv_state *st, const char *proto,
    const struct kv_want *want, size_t nwant, const char *line, size_t len)
{
	size_t plen = strlen(proto), i, hl, vl;
	struct scan hs, vs;
	const char *h, *v;
	struct scan one;
	uint64_t val;
	unsigned found = 0;

	if (len < plen || memcmp(line, proto, plen) != 0)
		return 0;
	if (!st->have_hdr) {
		if (len > sizeof(st->hdr))
			goto bad;
		memcpy(st->hdr, line, len);
		st->hdrlen = len;
		st->have_hdr = true;
		return 0;
	}
	st->have_hdr = false;
	scan_init(&hs, st->hdr + plen, st->hdrlen - plen);
	scan_init(&vs, line + plen, len - plen);
	for (;;) {
		bool hv = scan_word(&hs, &h, &hl);
		bool vv = scan_word(&vs, &v, &vl);

		if (!hv && !vv)
			break;
		if (hv != vv)
			goto bad;        /* column counts differ */
		for (i = 0; i < nwant; i++) {
			if (!scan_weq(h, hl, want[i].key))
				continue;
			scan_init(&one, v, vl);
			if (!scan_u64(&one, &val))
				goto bad;
			memcpy((char *)c->s + want[i].off, &val, sizeof(val));
			found++;
		}
	}
	if (found == nwant)
		c->seen = 1;
	return 0;
bad:
	c->malformed++;
	return 0;
}

static const struct kv_want snmp_want[] = {
	{ "InSegs", offsetof(struct hr_sample, tcp_in_segs) },
	{ "OutSegs", offsetof(struct hr_sample, tcp_out_segs) },
	{ "RetransSegs", offsetof(struct hr_sample, tcp_retrans_segs) },
};

static void
snmp_begin(struct pp_ctx *c)
{
	c->s->tcp_in_segs = c->s->tcp_out_segs = c->s->tcp_retrans_segs = 0;
	kv_snmp.have_hdr = false;
	c->seen = 0;
}

static int
snmp_line(void *vc, const char *line, size_t len)
{
	return kv_line(CTX(vc), &kv_snmp, "Tcp:", snmp_want,
	    sizeof(snmp_want) / sizeof(snmp_want[0]), line, len);
}

static int
kv_end(struct pp_ctx *c)
{
	return c->seen ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_snmp = {
	"net/snmp", snmp_begin, snmp_line, kv_end
};

static const struct kv_want netstat_want[] = {
	{ "ListenOverflows", offsetof(struct hr_sample, tcp_listen_overflows) },
	{ "ListenDrops", offsetof(struct hr_sample, tcp_listen_drops) },
};

static void
netstat_begin(struct pp_ctx *c)
{
	c->s->tcp_listen_overflows = c->s->tcp_listen_drops = 0;
	kv_netstat.have_hdr = false;
	c->seen = 0;
}

static int
netstat_line(void *vc, const char *line, size_t len)
{
	return kv_line(CTX(vc), &kv_netstat, "TcpExt:", netstat_want,
	    sizeof(netstat_want) / sizeof(netstat_want[0]), line, len);
}

const struct pp_parser procfs_netstat = {
	"net/netstat", netstat_begin, netstat_line, kv_end
};

/* ---- /proc/self/mounts ---------------------------------------------------- */

int
pp_unescape(const char *src, size_t len, char *dst, size_t cap)
{
	size_t i = 0, o = 0;

	while (i < len) {
		char ch = src[i];

		if (ch == '\\' && i + 3 < len &&
		    src[i + 1] >= '0' && src[i + 1] <= '3' &&
		    src[i + 2] >= '0' && src[i + 2] <= '7' &&
		    src[i + 3] >= '0' && src[i + 3] <= '7') {
			ch = (char)((src[i + 1] - '0') * 64 +
			    (src[i + 2] - '0') * 8 + (src[i + 3] - '0'));
			i += 4;
		} else {
			i++;
		}
		if (o + 1 >= cap)
			return HR_ETRUNC;
		dst[o++] = ch;
	}
	if (cap == 0)
		return HR_ETRUNC;
	dst[o] = '\0';
	return 0;
}

static void
mounts_begin(struct pp_ctx *c)
{
	c->nents = 0;
}

static int
mounts_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct pp_mount_ent *e;
	struct scan sc;
	const char *src, *path, *fs;
	size_t sl, pl, fl;

	if (blank_line(line, len))
		return 0;
	scan_init(&sc, line, len);
	if (!scan_word(&sc, &src, &sl) || !scan_word(&sc, &path, &pl) ||
	    !scan_word(&sc, &fs, &fl))
		goto bad;
	if (c->nents >= c->ents_cap) {
		c->ents_overflow++;
		return 0;
	}
	e = &c->ents[c->nents];
	if (pp_unescape(path, pl, e->path, sizeof(e->path)) != 0 ||
	    pp_unescape(src, sl, e->source, sizeof(e->source)) != 0 ||
	    !copy_name(e->fstype, sizeof(e->fstype), fs, fl))
		goto bad;
	c->nents++;
	return 0;
bad:
	c->malformed++;
	return 0;
}

static int
mounts_end(struct pp_ctx *c)
{
	(void)c;
	return 0;
}

const struct pp_parser procfs_mounts = {
	"mounts", mounts_begin, mounts_line, mounts_end
};

/* ---- cgroup v2 cpu.stat --------------------------------------------------- */

static void
cpustat_begin(struct pp_ctx *c)
{
	c->s->cgroup.has_cpu_stat = false;
	c->s->cgroup.cpu_usage_us = 0;
	c->s->cgroup.nr_throttled = 0;
	c->s->cgroup.throttled_us = 0;
	c->seen = 0;
}

static int
cpustat_line(void *vc, const char *line, size_t len)
{
	struct pp_ctx *c = CTX(vc);
	struct hr_cgroup *g = &c->s->cgroup;
	struct scan sc;
	const char *w;
	size_t wl;
	uint64_t *dst;

	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl))
		return 0;
	if (scan_weq(w, wl, "usage_usec"))
		dst = &g->cpu_usage_us;
	else if (scan_weq(w, wl, "nr_throttled"))
		dst = &g->nr_throttled;
	else if (scan_weq(w, wl, "throttled_usec"))
		dst = &g->throttled_us;
	else
		return 0;
	if (!scan_u64(&sc, dst) || !scan_eof(&sc)) {
		*dst = 0;
		c->malformed++;
		return 0;
	}
	if (dst == &g->cpu_usage_us)
		c->seen = 1;
	return 0;
}

static int
cpustat_end(struct pp_ctx *c)
{
	c->s->cgroup.has_cpu_stat = c->seen != 0;
	return c->seen ? 0 : HR_EINVAL;
}

const struct pp_parser procfs_cgroup_cpustat = {
	"cpu.stat", cpustat_begin, cpustat_line, cpustat_end
};
