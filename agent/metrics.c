/*
 * metrics.c - rates, ratios and fills from two samples (see metrics.h).
 */
#include <math.h>
#include <string.h>

#include "err.h"
#include "metrics.h"
#include "rate.h"

#define WORD(s) ((s)->kernel_bits ? (s)->kernel_bits : 64u)

struct rctx {
	uint64_t dt_us;
	bool     have;       /* a previous sample to diff against */
	unsigned word;       /* width of "word" counters */
	struct hr_metrics *m;
};

/* Rate of one counter; HR_NAN when there is none.  Counts wraps/resets. */
static double
rate(struct rctx *r, uint64_t prev, uint64_t cur, unsigned bits)
{
	enum hr_delta k;
	double v;

	if (!r->have)
		return HR_NAN;
	if (rate_per_s(prev, cur, bits, r->dt_us, &v, &k) != 0) {
		if (k == HR_DELTA_RESET)
			r->m->resets++;
		return HR_NAN;
	}
	if (k == HR_DELTA_WRAP)
		r->m->wraps++;
	return v;
}

/* Delta of a counter over the interval; HR_NAN when there is none.  Wraps
 * and resets are counted by rate() only, so a counter used for both a
 * rate and a delta is not counted twice. */
static double
delta(struct rctx *r, uint64_t prev, uint64_t cur, unsigned bits)
{
	uint64_t d;

	if (!r->have || r->dt_us == 0 ||
	    rate_delta(prev, cur, bits, &d) == HR_DELTA_RESET)
		return HR_NAN;
	return (double)d;
}

static double
ratio(double num, double den)
{
	if (isnan(num) || isnan(den) || den <= 0)
		return HR_NAN;
	num /= den;
	return num < 0 ? 0 : (num > 1 ? 1 : num);
}

static void
cpu_split_nan(struct hr_cpu_split *c)
{
	c->util = c->user = c->system = c->iowait = c->irq = HR_NAN;
	c->softirq = c->steal = c->idle = HR_NAN;
}

/*
 * Shares of each state over the interval.  Any counter going backwards
 * (CPU hot-unplug and replug resets a row) voids the whole row.
 */
static void
cpu_split(struct rctx *r, const struct hr_cpu_ticks *a,
    const struct hr_cpu_ticks *b, struct hr_cpu_split *c)
{
	const uint64_t *pa = &a->user, *pb = &b->user;
	double d[8], tot = 0;
	unsigned i;

	cpu_split_nan(c);
	if (!r->have || r->dt_us == 0)
		return;
	for (i = 0; i < 8; i++) {
		if (pb[i] < pa[i]) {
			r->m->resets++;
			return;
		}
		d[i] = (double)(pb[i] - pa[i]);
		tot += d[i];
	}
	if (tot <= 0)
		return;
	c->user = (d[0] + d[1]) / tot;      /* user + nice */
	c->system = d[2] / tot;
	c->idle = d[3] / tot;
	c->iowait = d[4] / tot;
	c->irq = d[5] / tot;
	c->softirq = d[6] / tot;
	c->steal = d[7] / tot;
	c->util = 1.0 - (d[3] + d[4]) / tot;
}

static const struct hr_disk *
find_disk(const struct hr_sample *p, uint32_t hint, const char *name)
{
	uint32_t i;

	if (hint < p->ndisks && strcmp(p->disk[hint].name, name) == 0)
		return &p->disk[hint];
	for (i = 0; i < p->ndisks; i++)
		if (strcmp(p->disk[i].name, name) == 0)
			return &p->disk[i];
	return NULL;
}

static const struct hr_iface *
find_iface(const struct hr_sample *p, uint32_t hint, const char *name)
{
	uint32_t i;

	if (hint < p->nifaces && strcmp(p->iface[hint].name, name) == 0)
		return &p->iface[hint];
	for (i = 0; i < p->nifaces; i++)
		if (strcmp(p->iface[i].name, name) == 0)
			return &p->iface[i];
	return NULL;
}

static const struct hr_cpu_row *
find_cpu(const struct hr_sample *p, uint32_t hint, uint32_t id)
{
	uint32_t i;

	if (hint < p->ncpu && p->cpu[hint].id == id)
		return &p->cpu[hint];
	for (i = 0; i < p->ncpu; i++)
		if (p->cpu[i].id == id)
			return &p->cpu[i];
	return NULL;
}

static void
do_cpu(struct rctx *r, const struct hr_sample *p, const struct hr_sample *s,
    struct hr_metrics *m)
{
	const struct hr_cpu_row *pr;
	struct rctx one;
	uint32_t i;

	m->ncpu = 0;
	cpu_split_nan(&m->cpu);
	m->ctxt = m->forks = HR_NAN;
	m->procs_running = m->procs_blocked = HR_NAN;
	if (!s->health.present[HR_SIG_CPU])
		return;
	if (r->have && !p->health.present[HR_SIG_CPU]) {
		one = *r;
		one.have = false;
		r = &one;
	}
	if (r->have)
		cpu_split(r, &p->cpu_total, &s->cpu_total, &m->cpu);
	for (i = 0; i < s->ncpu; i++) {
		m->percpu[i].id = s->cpu[i].id;
		pr = r->have ? find_cpu(p, i, s->cpu[i].id) : NULL;
		if (pr == NULL)
			cpu_split_nan(&m->percpu[i].s);
		else
			cpu_split(r, &pr->t, &s->cpu[i].t, &m->percpu[i].s);
	}
	m->ncpu = s->ncpu;
	/* optional lines of proc/stat: a missing line is unknown, not 0 */
	if (r->have && (p->stat_have & s->stat_have & HR_STAT_CTXT))
		m->ctxt = rate(r, p->ctxt, s->ctxt, 64);
	if (r->have && (p->stat_have & s->stat_have & HR_STAT_FORKS))
		m->forks = rate(r, p->forks, s->forks, 64);
	if (s->stat_have & HR_STAT_RUNNING)
		m->procs_running = s->procs_running;
	if (s->stat_have & HR_STAT_BLOCKED)
		m->procs_blocked = s->procs_blocked;
}

static void
do_psi(struct rctx *r, bool pp, bool sp, const struct hr_psi *a,
    const struct hr_psi *b, struct hr_psi_m *o)
{
	double d;

	o->some = o->full = HR_NAN;
	o->some_avg10 = o->some_avg60 = o->some_avg300 = HR_NAN;
	if (!sp)
		return;
	o->some_avg10 = b->some_avg10 / 100.0;
	o->some_avg60 = b->some_avg60 / 100.0;
	o->some_avg300 = b->some_avg300 / 100.0;
	if (!r->have || !pp)
		return;
	/* total is stall time in µs: its rate per µs is the stall share */
	d = rate(r, a->some_total_us, b->some_total_us, 64);
	o->some = ratio(d, 1e6);
	if (a->has_full && b->has_full) {
		d = rate(r, a->full_total_us, b->full_total_us, 64);
		o->full = ratio(d, 1e6);
	}
}

static void
do_disks(struct rctx *r, const struct hr_sample *p, const struct hr_sample *s,
    struct hr_metrics *m)
{
	const struct hr_disk *a, *b;
	struct hr_disk_m *o;
	double ios, ms;
	uint32_t i;
	unsigned w = r->word;

	m->ndisks = 0;
	if (!s->health.present[HR_SIG_DISK])
		return;
	for (i = 0; i < s->ndisks; i++) {
		b = &s->disk[i];
		o = &m->disk[m->ndisks++];
		memcpy(o->name, b->name, sizeof(o->name));
		o->in_flight = (double)b->in_flight;
		a = r->have && p->health.present[HR_SIG_DISK] ?
		    find_disk(p, i, b->name) : NULL;
		if (a == NULL) {
			if (r->have)
				m->appeared++;
			o->rd_iops = o->wr_iops = o->rd_Bps = o->wr_Bps = HR_NAN;
			o->util = o->await_ms = o->queue = HR_NAN;
			continue;
		}
		o->rd_iops = rate(r, a->rd_ios, b->rd_ios, w);
		o->wr_iops = rate(r, a->wr_ios, b->wr_ios, w);
		o->rd_Bps = rate(r, a->rd_sectors, b->rd_sectors, w) * 512.0;
		o->wr_Bps = rate(r, a->wr_sectors, b->wr_sectors, w) * 512.0;
		/* io_ms grows by at most 1000 per second of wall time */
		o->util = ratio(rate(r, a->io_ms, b->io_ms, w), 1000.0);
		o->queue = rate(r, a->weighted_ms, b->weighted_ms, w) / 1000.0;
		ios = delta(r, a->rd_ios, b->rd_ios, w) +
		    delta(r, a->wr_ios, b->wr_ios, w);
		ms = delta(r, a->rd_ms, b->rd_ms, w) +
		    delta(r, a->wr_ms, b->wr_ms, w);
		o->await_ms = ios > 0 ? ms / ios : (ios == 0 ? 0 : HR_NAN);
	}
	if (r->have && p->health.present[HR_SIG_DISK])
		for (i = 0; i < p->ndisks; i++)
			if (find_disk(s, i, p->disk[i].name) == NULL)
				m->vanished++;
}

static void
do_ifaces(struct rctx *r, const struct hr_sample *p,
    const struct hr_sample *s, struct hr_metrics *m)
{
	const struct hr_iface *a, *b;
	struct hr_iface_m *o;
	uint32_t i;
	unsigned w = r->word;

	m->nifaces = 0;
	if (!s->health.present[HR_SIG_NET])
		return;
	for (i = 0; i < s->nifaces; i++) {
		b = &s->iface[i];
		o = &m->iface[m->nifaces++];
		memcpy(o->name, b->name, sizeof(o->name));
		o->oper = b->oper;
		o->speed_bps = b->speed_mbps > 0 ?
		    (double)b->speed_mbps * 1e6 : HR_NAN;
		a = r->have && p->health.present[HR_SIG_NET] ?
		    find_iface(p, i, b->name) : NULL;
		if (a == NULL) {
			if (r->have)
				m->appeared++;
			o->rx_Bps = o->tx_Bps = o->rx_pps = o->tx_pps = HR_NAN;
			o->rx_errs = o->tx_errs = o->rx_drop = o->tx_drop = HR_NAN;
			o->rx_util = o->tx_util = HR_NAN;
			continue;
		}
		o->rx_Bps = rate(r, a->rx_bytes, b->rx_bytes, w);
		o->tx_Bps = rate(r, a->tx_bytes, b->tx_bytes, w);
		o->rx_pps = rate(r, a->rx_packets, b->rx_packets, w);
		o->tx_pps = rate(r, a->tx_packets, b->tx_packets, w);
		o->rx_errs = rate(r, a->rx_errs, b->rx_errs, w);
		o->tx_errs = rate(r, a->tx_errs, b->tx_errs, w);
		o->rx_drop = rate(r, a->rx_drop, b->rx_drop, w);
		o->tx_drop = rate(r, a->tx_drop, b->tx_drop, w);
		/* full duplex: each direction against the whole link speed */
		o->rx_util = ratio(o->rx_Bps * 8.0, o->speed_bps);
		o->tx_util = ratio(o->tx_Bps * 8.0, o->speed_bps);
	}
	if (r->have && p->health.present[HR_SIG_NET])
		for (i = 0; i < p->nifaces; i++)
			if (find_iface(s, i, p->iface[i].name) == NULL)
				m->vanished++;
}

static void
do_mounts(const struct hr_sample *s, struct hr_metrics *m)
{
	const struct hr_mount *b;
	struct hr_mount_m *o;
	uint32_t i;

	m->nmounts = 0;
	if (!s->health.present[HR_SIG_MOUNTS])
		return;
	for (i = 0; i < s->nmounts; i++) {
		b = &s->mount[i];
		o = &m->mount[m->nmounts++];
		memcpy(o->path, b->path, sizeof(o->path));
		if (!b->ok) {
			o->size = o->used = o->avail = o->util = HR_NAN;
			o->inodes_util = HR_NAN;
			continue;
		}
		o->size = (double)b->size_bytes;
		o->used = b->size_bytes >= b->free_bytes ?
		    (double)(b->size_bytes - b->free_bytes) : 0;
		o->avail = (double)b->avail_bytes;
		o->util = o->used + o->avail > 0 ?
		    ratio(o->used, o->used + o->avail) : HR_NAN;
		o->inodes_util = b->inodes > 0 ?
		    ratio((double)(b->inodes - (b->inodes_free < b->inodes ?
		    b->inodes_free : b->inodes)), (double)b->inodes) : HR_NAN;
	}
}

static double
gauge(bool present, double v)
{
	return present ? v : HR_NAN;
}

/* Rate only when the signal is present in both samples. */
#define RATE2(sig, field, bits) \
	(r.have && p->health.present[sig] && s->health.present[sig] ? \
	    rate(&r, p->field, s->field, bits) : HR_NAN)

int
metrics_compute(const struct hr_sample *p, const struct hr_sample *s,
    struct hr_metrics *m)
{
	const bool *pr = s->health.present;
	struct rctx r;
	double used, d;
	int rc = 0;

	m->wraps = m->resets = m->appeared = m->vanished = 0;
	m->rebooted = false;
	m->wall_ns = s->wall_ns;
	r.m = m;
	r.word = WORD(s);
	r.have = p != NULL;
	r.dt_us = 0;
	if (p != NULL) {
		if (s->mono_us <= p->mono_us) {
			r.have = false;     /* time did not advance: no rates */
			rc = HR_EAGAIN;
		} else {
			r.dt_us = s->mono_us - p->mono_us;
		}
		if (p->btime != 0 && s->btime != 0 && p->btime != s->btime) {
			/* a recorded host replayed across a reboot */
			m->rebooted = true;
			r.have = false;
		}
	}
	m->dt_s = (double)r.dt_us / 1e6;

	do_cpu(&r, p, s, m);
	m->cpus_online = pr[HR_SIG_CPU_ONLINE] && s->cpus_online ?
	    s->cpus_online : HR_NAN;
	m->load1 = gauge(pr[HR_SIG_LOAD], s->load1);
	m->load5 = gauge(pr[HR_SIG_LOAD], s->load5);
	m->load15 = gauge(pr[HR_SIG_LOAD], s->load15);
	m->runnable = gauge(pr[HR_SIG_LOAD], s->sched_runnable);

	m->mem_total = gauge(pr[HR_SIG_MEM], (double)s->mem_total);
	m->mem_available = gauge(pr[HR_SIG_MEM], (double)s->mem_available);
	m->mem_util = pr[HR_SIG_MEM] ?
	    1.0 - ratio((double)s->mem_available, (double)s->mem_total) : HR_NAN;
	m->mem_estimated = pr[HR_SIG_MEM] && !s->mem_has_available;
	m->swap_total = gauge(pr[HR_SIG_MEM], (double)s->swap_total);
	m->swap_util = pr[HR_SIG_MEM] && s->swap_total > 0 ?
	    ratio((double)(s->swap_total - (s->swap_free < s->swap_total ?
	    s->swap_free : s->swap_total)), (double)s->swap_total) : HR_NAN;
	m->swap_in = RATE2(HR_SIG_VMSTAT, pswpin, r.word);
	m->swap_out = RATE2(HR_SIG_VMSTAT, pswpout, r.word);
	m->majfault = RATE2(HR_SIG_VMSTAT, pgmajfault, r.word);
	m->oom_kills = HR_NAN;
	if (p != NULL && s->has_oom_kill && p->has_oom_kill)
		m->oom_kills = delta(&r, p->oom_kill, s->oom_kill, r.word);

	do_psi(&r, p && p->health.present[HR_SIG_PSI_CPU], pr[HR_SIG_PSI_CPU],
	    p ? &p->psi_cpu : NULL, &s->psi_cpu, &m->psi_cpu);
	do_psi(&r, p && p->health.present[HR_SIG_PSI_MEM], pr[HR_SIG_PSI_MEM],
	    p ? &p->psi_mem : NULL, &s->psi_mem, &m->psi_mem);
	do_psi(&r, p && p->health.present[HR_SIG_PSI_IO], pr[HR_SIG_PSI_IO],
	    p ? &p->psi_io : NULL, &s->psi_io, &m->psi_io);

	do_disks(&r, p, s, m);
	do_ifaces(&r, p, s, m);

	/* softnet columns are u32 per CPU, summed: a 64-bit sum */
	m->softnet_processed = RATE2(HR_SIG_SOFTNET, softnet_processed, 64);
	m->softnet_dropped = RATE2(HR_SIG_SOFTNET, softnet_dropped, 64);
	m->softnet_squeezed = RATE2(HR_SIG_SOFTNET, softnet_squeezed, 64);
	/* SNMP MIB counters are unsigned long in the kernel */
	m->tcp_retrans = RATE2(HR_SIG_SNMP, tcp_retrans_segs, r.word);
	d = RATE2(HR_SIG_SNMP, tcp_out_segs, r.word);
	m->tcp_retrans_ratio = d > 0 ? ratio(m->tcp_retrans, d) :
	    (d == 0 ? 0 : HR_NAN);
	m->tcp_listen_overflows = RATE2(HR_SIG_NETSTAT, tcp_listen_overflows,
	    r.word);
	m->tcp_listen_drops = RATE2(HR_SIG_NETSTAT, tcp_listen_drops, r.word);

	m->conntrack = gauge(pr[HR_SIG_CONNTRACK], (double)s->conntrack_count);
	m->conntrack_max = gauge(pr[HR_SIG_CONNTRACK],
	    (double)s->conntrack_max);
	m->conntrack_fill = ratio(m->conntrack, m->conntrack_max);
	used = s->fd_allocated >= s->fd_unused ?
	    (double)(s->fd_allocated - s->fd_unused) : 0;
	m->fd_used = gauge(pr[HR_SIG_FD], used);
	m->fd_max = gauge(pr[HR_SIG_FD], (double)s->fd_max);
	m->fd_fill = ratio(m->fd_used, m->fd_max);
	/* Threads take PIDs too: the binding limit is the smaller one. */
	m->threads = pr[HR_SIG_LOAD] ? (double)s->sched_threads : HR_NAN;
	d = (double)s->pid_max;
	if (s->threads_max > 0 && s->threads_max < s->pid_max)
		d = (double)s->threads_max;
	m->pid_limit = gauge(pr[HR_SIG_PID], d);
	m->pid_fill = ratio(m->threads, m->pid_limit);

	m->cg_cpu_limit = m->cg_cpu_util = m->cg_throttled = HR_NAN;
	m->cg_mem_limit = m->cg_mem_current = m->cg_mem_util = HR_NAN;
	if (pr[HR_SIG_CGROUP]) {
		const struct hr_cgroup *g = &s->cgroup;

		if (g->has_cpu_max && g->cpu_period_us > 0)
			m->cg_cpu_limit = (double)g->cpu_quota_us /
			    (double)g->cpu_period_us;
		if (r.have && p->health.present[HR_SIG_CGROUP] &&
		    g->has_cpu_stat && p->cgroup.has_cpu_stat) {
			d = rate(&r, p->cgroup.cpu_usage_us, g->cpu_usage_us, 64);
			/* usage in CPU-µs per µs = CPUs busy */
			m->cg_cpu_util = ratio(d / 1e6, m->cg_cpu_limit);
			d = rate(&r, p->cgroup.throttled_us, g->throttled_us, 64);
			m->cg_throttled = ratio(d, 1e6);
		}
		if (g->has_mem_max)
			m->cg_mem_limit = (double)g->mem_max;
		if (g->has_mem_current)
			m->cg_mem_current = (double)g->mem_current;
		m->cg_mem_util = ratio(m->cg_mem_current, m->cg_mem_limit);
	}
	do_mounts(s, m);
	return rc;
}
