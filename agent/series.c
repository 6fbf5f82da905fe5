/*
 * series.c - the series of a report, enumerated from struct hr_metrics.
 *
 * This file is the single place that names what a report carries; the
 * table in docs/schema.md is its description.  Within each group the
 * series are ordered by unit so that the encoder changes the SenML base
 * unit as rarely as possible.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "ident.h"
#include "indicators.h"
#include "report.h"

#define MP  HR_AGG_MEAN_PEAK
#define SUM HR_AGG_SUM
#define CAP HR_AGG_CAPACITY
#define MIN HR_AGG_MIN
#define MAX HR_AGG_MAX

/* ---- descriptors --------------------------------------------------------- */

enum {
	CPU_UTIL, CPU_USER, CPU_SYS, CPU_IOWAIT, CPU_STEAL, CPU_RUN,
	CPU_BLOCKED, CPU_LOAD1, CPU_ONLINE, CPU_CTXT, CPU_N
};
static const struct hr_series_desc cpu_d[CPU_N] = {
	[CPU_UTIL] = { "util", "/", MP },
	[CPU_USER] = { "user", "/", MP },
	[CPU_SYS] = { "sys", "/", MP },         /* system + irq + softirq */
	[CPU_IOWAIT] = { "iowait", "/", MP },
	[CPU_STEAL] = { "steal", "/", MP },
	[CPU_RUN] = { "run", "count", MP },
	[CPU_BLOCKED] = { "blocked", "count", MP },
	[CPU_LOAD1] = { "load1", "count", MP },
	[CPU_ONLINE] = { "online", "count", CAP },
	[CPU_CTXT] = { "ctxt", "1/s", MP },
};
/* Per-core utilisation: descriptors built at first use (names "0.util",
 * "1.util", ...), so that the name is static like every other. */
static struct hr_series_desc core_util_d[HR_MAX_CPUS];
static char core_names[HR_MAX_CPUS][12];

enum {
	MEM_UTIL, MEM_SWAP, MEM_TOTAL, MEM_SWAP_TOTAL, MEM_MAJFLT,
	MEM_SWAPIN, MEM_SWAPOUT, MEM_OOM, MEM_N
};
static const struct hr_series_desc mem_d[MEM_N] = {
	[MEM_UTIL] = { "util", "/", MP },
	[MEM_SWAP] = { "swap", "/", MP },
	[MEM_TOTAL] = { "total", "B", CAP },
	[MEM_SWAP_TOTAL] = { "swap.total", "B", CAP },
	[MEM_MAJFLT] = { "majflt", "1/s", MP },
	[MEM_SWAPIN] = { "swapin", "1/s", MP },
	[MEM_SWAPOUT] = { "swapout", "1/s", MP },
	[MEM_OOM] = { "oom", "count", SUM },
};

static const struct hr_series_desc psi_d[2] = {
	{ "some", "/", MP }, { "full", "/", MP },
};

enum {
	DISK_UTIL, DISK_AWAIT, DISK_QUEUE, DISK_RD, DISK_WR, DISK_RDB,
	DISK_WRB, DISK_N
};
static const struct hr_series_desc disk_d[DISK_N] = {
	[DISK_UTIL] = { "util", "/", MP },
	[DISK_AWAIT] = { "await", "s", MP },
	[DISK_QUEUE] = { "queue", "count", MP },
	[DISK_RD] = { "rd", "1/s", MP },
	[DISK_WR] = { "wr", "1/s", MP },
	[DISK_RDB] = { "rdB", "B/s", MP },
	[DISK_WRB] = { "wrB", "B/s", MP },
};

enum {
	NET_RXU, NET_TXU, NET_UP, NET_RXP, NET_TXP, NET_ERR, NET_DROP,
	NET_RXB, NET_TXB, NET_SPEED, NET_N
};
static const struct hr_series_desc net_d[NET_N] = {
	[NET_RXU] = { "rx.util", "/", MP },
	[NET_TXU] = { "tx.util", "/", MP },
	[NET_UP] = { "up", "count", CAP },
	[NET_RXP] = { "rxp", "1/s", MP },
	[NET_TXP] = { "txp", "1/s", MP },
	[NET_ERR] = { "err", "1/s", MP },        /* rx + tx */
	[NET_DROP] = { "drop", "1/s", MP },      /* rx + tx */
	[NET_RXB] = { "rxB", "B/s", MP },
	[NET_TXB] = { "txB", "B/s", MP },
	[NET_SPEED] = { "speed", "bit/s", CAP },
};

enum { SN_DROP, SN_SQUEEZE, SN_N };
static const struct hr_series_desc softnet_d[SN_N] = {
	[SN_DROP] = { "drop", "1/s", MP },
	[SN_SQUEEZE] = { "squeeze", "1/s", MP },
};

enum { TCP_RETRANS, TCP_LOVF, TCP_LDROP, TCP_N };
static const struct hr_series_desc tcp_d[TCP_N] = {
	[TCP_RETRANS] = { "retrans", "1/s", MP },
	[TCP_LOVF] = { "lovf", "1/s", MP },
	[TCP_LDROP] = { "ldrop", "1/s", MP },
};

/* conntrack, fd, pid: the count is exact; util = used / max. */
enum { FILL_UTIL, FILL_USED, FILL_MAX, FILL_N };
static const struct hr_series_desc fill_d[FILL_N] = {
	[FILL_UTIL] = { "util", "/", MP },
	[FILL_USED] = { "used", "count", MP },
	[FILL_MAX] = { "max", "count", CAP },
};

/* Application queues ([queue.NAME]). */
enum { Q_UTIL, Q_DEPTH, Q_FAIL, Q_CAP, Q_GROWTH, Q_N };
static const struct hr_series_desc queue_d[Q_N] = {
	[Q_UTIL] = { "util", "/", MP },
	[Q_DEPTH] = { "depth", "count", MP },
	[Q_FAIL] = { "fail", "count", SUM },
	[Q_CAP] = { "capacity", "count", CAP },
	[Q_GROWTH] = { "growth", "1/s", MP },
};

/*
 * Indicators (agent/indicators.h), after the records of their resource:
 * headroom and time to exhaustion are the interval's least value (its
 * worst moment).  The cgroup's resources live in the group "cg.", so
 * their records carry the "cpu." / "mem." prefix in the name.
 */
enum { IND_HEADROOM, IND_SAT, IND_TTE, IND_A_UTIL, IND_A_SAT, IND_A_ERR,
	IND_D_N };
static const struct hr_series_desc ind_d[IND_D_N] = {
	[IND_HEADROOM] = { "headroom", "/", MIN },
	[IND_SAT] = { "sat", "count", MP },
	[IND_TTE] = { "tte", "s", MIN },
	[IND_A_UTIL] = { "util.anom", "/", MAX },
	[IND_A_SAT] = { "sat.anom", "/", MAX },
	[IND_A_ERR] = { "errors.anom", "/", MAX },
};
static const struct hr_series_desc cg_ind_d[2][IND_D_N] = {
	{ [IND_HEADROOM] = { "cpu.headroom", "/", MIN },
	  [IND_A_UTIL] = { "cpu.util.anom", "/", MAX } },
	{ [IND_HEADROOM] = { "mem.headroom", "/", MIN },
	  [IND_TTE] = { "mem.tte", "s", MIN },
	  [IND_A_UTIL] = { "mem.util.anom", "/", MAX } },
};

enum {
	CG_CPU_UTIL, CG_THROTTLED, CG_MEM_UTIL, CG_CPU_LIMIT, CG_MEM_LIMIT,
	CG_N
};
static const struct hr_series_desc cg_d[CG_N] = {
	[CG_CPU_UTIL] = { "cpu.util", "/", MP },
	[CG_THROTTLED] = { "throttled", "/", MP },
	[CG_MEM_UTIL] = { "mem.util", "/", MP },
	[CG_CPU_LIMIT] = { "cpu.limit", "count", CAP },
	[CG_MEM_LIMIT] = { "mem.limit", "B", CAP },
};

enum { FS_UTIL, FS_INODES, FS_AVAIL, FS_SIZE, FS_N };
static const struct hr_series_desc fs_d[FS_N] = {
	[FS_UTIL] = { "util", "/", MP },
	[FS_INODES] = { "inodes", "/", MP },
	[FS_AVAIL] = { "avail", "B", MP },
	[FS_SIZE] = { "size", "B", CAP },
};

enum { AG_WRAPS, AG_RESETS, AG_APPEARED, AG_VANISHED, AG_N };
static const struct hr_series_desc agent_d[AG_N] = {
	[AG_WRAPS] = { "wraps", "count", SUM },
	[AG_RESETS] = { "resets", "count", SUM },
	[AG_APPEARED] = { "appeared", "count", SUM },
	[AG_VANISHED] = { "vanished", "count", SUM },
};

/* ---- enumeration ----------------------------------------------------------- */

int
series_group(char *dst, size_t cap, const char *prefix, const char *name)
{
	size_t pl = strlen(prefix), nl = strlen(name), i;

	if (pl + nl + 2 > cap)
		return HR_ETRUNC;
	memcpy(dst, prefix, pl);
	for (i = 0; i < nl; i++)
		dst[pl + i] = hr_name_char(name[i]) ? name[i] : '_';
	dst[pl + nl] = '.';
	dst[pl + nl + 1] = '\0';
	return 0;
}

struct emit {
	series_fn   fn;
	void       *ctx;
	const char *group;
	const struct ind_set *ind;   /* NULL: no indicators */
	uint32_t    icur;            /* where the last one was found */
};

static void
put(struct emit *e, const struct hr_series_desc *d, double v)
{
	if (!isnan(v))
		e->fn(e->ctx, e->group, d, v);
}

static void
put_nonzero(struct emit *e, const struct hr_series_desc *d, double v)
{
	if (v != 0)
		put(e, d, v);
}

/* The indicators of the resource named group ("disk.sda."), or NULL.
 * Resources are mostly met in the indicators' own order, and each is
 * asked for several times in a row (headroom, tte, anomaly scores): the
 * search starts at the last one found and wraps. */
static const struct ind_res *
ind_of(struct emit *e, const char *group)
{
	const struct ind_set *s = e->ind;
	uint32_t k, i;

	if (s == NULL)
		return NULL;
	for (k = 0; k < s->n; k++) {
		i = (e->icur + k) % s->n;
		if (strcmp(s->r[i].group, group) == 0) {
			e->icur = i;
			return &s->r[i];
		}
	}
	return NULL;
}

/* One indicator of the resource named group, under the names of d
 * (ind_d, or cg_ind_d for the cgroup's): placed next to the records of
 * the same unit in each group. */
static void
put_ind(struct emit *e, const char *group, const struct hr_series_desc *d,
    int which)
{
	const struct ind_res *r = ind_of(e, group);

	if (r == NULL)
		return;
	if (which >= IND_A_UTIL) {
		/* a cgroup resource has only a utilisation */
		if (d[which].name != NULL)
			put(e, &d[which], r->anom[which - IND_A_UTIL]);
		return;
	}
	put(e, &d[which], which == IND_HEADROOM ? r->headroom :
	    which == IND_TTE ? r->tte : r->sat);
}

/* The interval's greatest anomaly score of the resource's util, sat and
 * errors (docs/anomaly.md), after its other records. */
static void
put_anom(struct emit *e, const char *group, const struct hr_series_desc *d)
{
	put_ind(e, group, d, IND_A_UTIL);
	put_ind(e, group, d, IND_A_SAT);
	put_ind(e, group, d, IND_A_ERR);
}

static void
put_cpu(struct emit *e, const struct hr_metrics *m)
{
	uint32_t i;

	e->group = "cpu.";
	put(e, &cpu_d[CPU_UTIL], m->cpu.util);
	put(e, &cpu_d[CPU_USER], m->cpu.user);
	put(e, &cpu_d[CPU_SYS], m->cpu.system + m->cpu.irq + m->cpu.softirq);
	put(e, &cpu_d[CPU_IOWAIT], m->cpu.iowait);
	put(e, &cpu_d[CPU_STEAL], m->cpu.steal);
	put_ind(e, "cpu.", ind_d, IND_HEADROOM);
	put(e, &cpu_d[CPU_RUN], m->procs_running);
	put(e, &cpu_d[CPU_BLOCKED], m->procs_blocked);
	put(e, &cpu_d[CPU_LOAD1], m->load1);
	put(e, &cpu_d[CPU_ONLINE], m->cpus_online);
	put_ind(e, "cpu.", ind_d, IND_SAT);
	put(e, &cpu_d[CPU_CTXT], m->ctxt);
	put_anom(e, "cpu.", ind_d);
	/* Cores stay in the "cpu." group (record "<N>.util"): a base name
	 * per core would cost more than the core number in each name. */
	for (i = 0; i < m->ncpu; i++)
		if (m->percpu[i].id < HR_MAX_CPUS)   /* named by CPU number */
			put(e, &core_util_d[m->percpu[i].id],
			    m->percpu[i].s.util);
}

static void
put_mem(struct emit *e, const struct hr_metrics *m)
{
	e->group = "mem.";
	put(e, &mem_d[MEM_UTIL], m->mem_util);
	put(e, &mem_d[MEM_SWAP], m->swap_util);
	put_ind(e, "mem.", ind_d, IND_HEADROOM);
	put(e, &mem_d[MEM_TOTAL], m->mem_total);
	put(e, &mem_d[MEM_SWAP_TOTAL], m->swap_total);
	put(e, &mem_d[MEM_MAJFLT], m->majfault);
	put(e, &mem_d[MEM_SWAPIN], m->swap_in);
	put(e, &mem_d[MEM_SWAPOUT], m->swap_out);
	put(e, &mem_d[MEM_OOM], m->oom_kills);
	put_ind(e, "mem.", ind_d, IND_TTE);
	put_anom(e, "mem.", ind_d);
}

static void
put_psi(struct emit *e, const char *group, const struct hr_psi_m *p)
{
	e->group = group;
	put(e, &psi_d[0], p->some);
	put(e, &psi_d[1], p->full);
}

static void
put_disks(struct emit *e, const struct hr_metrics *m)
{
	char grp[HR_GROUP_LEN];
	uint32_t i;

	for (i = 0; i < m->ndisks; i++) {
		const struct hr_disk_m *d = &m->disk[i];

		if (series_group(grp, sizeof(grp), "disk.", d->name) != 0)
			continue;
		e->group = grp;
		put(e, &disk_d[DISK_UTIL], d->util);
		put_ind(e, grp, ind_d, IND_HEADROOM);
		put(e, &disk_d[DISK_AWAIT], d->await_ms / 1000.0);
		put(e, &disk_d[DISK_QUEUE], d->queue);
		put(e, &disk_d[DISK_RD], d->rd_iops);
		put(e, &disk_d[DISK_WR], d->wr_iops);
		put(e, &disk_d[DISK_RDB], d->rd_Bps);
		put(e, &disk_d[DISK_WRB], d->wr_Bps);
		put_anom(e, grp, ind_d);
	}
}

static void
put_ifaces(struct emit *e, const struct hr_metrics *m)
{
	char grp[HR_GROUP_LEN];
	uint32_t i;

	for (i = 0; i < m->nifaces; i++) {
		const struct hr_iface_m *f = &m->iface[i];

		if (series_group(grp, sizeof(grp), "net.", f->name) != 0)
			continue;
		e->group = grp;
		put(e, &net_d[NET_RXU], f->rx_util);
		put(e, &net_d[NET_TXU], f->tx_util);
		put_ind(e, grp, ind_d, IND_HEADROOM);
		/* "unknown" is what drivers without operstate support (tun,
		 * many VPNs) report while working: only a state the kernel
		 * knows to be down counts as down */
		put(e, &net_d[NET_UP], f->oper == HR_OPER_UP ||
		    f->oper == HR_OPER_UNKNOWN ? 1 : 0);
		put(e, &net_d[NET_RXP], f->rx_pps);
		put(e, &net_d[NET_TXP], f->tx_pps);
		put(e, &net_d[NET_ERR], f->rx_errs + f->tx_errs);
		put(e, &net_d[NET_DROP], f->rx_drop + f->tx_drop);
		put(e, &net_d[NET_RXB], f->rx_Bps);
		put(e, &net_d[NET_TXB], f->tx_Bps);
		put(e, &net_d[NET_SPEED], f->speed_bps);
		put_anom(e, grp, ind_d);
	}
}

static void
put_fill(struct emit *e, const char *group, double used, double max,
    double fill)
{
	e->group = group;
	put(e, &fill_d[FILL_UTIL], fill);
	put_ind(e, group, ind_d, IND_HEADROOM);
	put(e, &fill_d[FILL_USED], used);
	put(e, &fill_d[FILL_MAX], max);
	put_ind(e, group, ind_d, IND_TTE);
	put_anom(e, group, ind_d);
}

static void
put_mounts(struct emit *e, const struct hr_metrics *m)
{
	char grp[HR_GROUP_LEN];
	uint32_t i;

	for (i = 0; i < m->nmounts; i++) {
		const struct hr_mount_m *f = &m->mount[i];
		/* "/" -> "fs/.", "/home" -> "fs/home." */
		if (series_group(grp, sizeof(grp), "fs", f->path) != 0)
			continue;
		e->group = grp;
		put(e, &fs_d[FS_UTIL], f->util);
		put(e, &fs_d[FS_INODES], f->inodes_util);
		put_ind(e, grp, ind_d, IND_HEADROOM);
		put(e, &fs_d[FS_AVAIL], f->avail);
		put(e, &fs_d[FS_SIZE], f->size);
		put_ind(e, grp, ind_d, IND_TTE);
		put_anom(e, grp, ind_d);
	}
}

static void
put_queues(struct emit *e, const struct hr_metrics *m)
{
	char grp[HR_GROUP_LEN];
	uint32_t i;

	for (i = 0; i < m->nqueues; i++) {
		const struct hr_queue_m *q = &m->queue[i];

		if (series_group(grp, sizeof(grp), "queue.", q->name) != 0)
			continue;
		e->group = grp;
		put(e, &queue_d[Q_UTIL], q->util);
		put_ind(e, grp, ind_d, IND_HEADROOM);
		put(e, &queue_d[Q_DEPTH], q->depth);
		put_nonzero(e, &queue_d[Q_FAIL], q->fails);
		put(e, &queue_d[Q_CAP], q->capacity);
		put(e, &queue_d[Q_GROWTH], q->growth);
		put_ind(e, grp, ind_d, IND_TTE);
		put_anom(e, grp, ind_d);
	}
}

static void
core_names_init(void)
{
	uint32_t i;

	if (core_util_d[0].name != NULL)
		return;
	for (i = 0; i < HR_MAX_CPUS; i++) {
		snprintf(core_names[i], sizeof(core_names[i]), "%u.util", i);
		core_util_d[i].name = core_names[i];
		core_util_d[i].unit = "/";
		core_util_d[i].kind = MP;
	}
}

void
series_each(const struct hr_metrics *m, series_fn fn, void *ctx)
{
	struct emit e = { fn, ctx, NULL, m->ind, 0 };

	core_names_init();

	put_cpu(&e, m);
	put_mem(&e, m);
	put_psi(&e, "psi.cpu.", &m->psi_cpu);
	put_psi(&e, "psi.mem.", &m->psi_mem);
	put_psi(&e, "psi.io.", &m->psi_io);
	put_disks(&e, m);
	put_ifaces(&e, m);
	e.group = "softnet.";
	put(&e, &softnet_d[SN_DROP], m->softnet_dropped);
	put(&e, &softnet_d[SN_SQUEEZE], m->softnet_squeezed);
	e.group = "tcp.";
	put(&e, &tcp_d[TCP_RETRANS], m->tcp_retrans);
	put(&e, &tcp_d[TCP_LOVF], m->tcp_listen_overflows);
	put(&e, &tcp_d[TCP_LDROP], m->tcp_listen_drops);
	put_fill(&e, "conntrack.", m->conntrack, m->conntrack_max,
	    m->conntrack_fill);
	put_fill(&e, "fd.", m->fd_used, m->fd_max, m->fd_fill);
	put_fill(&e, "pid.", m->threads, m->pid_limit, m->pid_fill);
	e.group = "cg.";
	put(&e, &cg_d[CG_CPU_UTIL], m->cg_cpu_util);
	put(&e, &cg_d[CG_THROTTLED], m->cg_throttled);
	put(&e, &cg_d[CG_MEM_UTIL], m->cg_mem_util);
	put_ind(&e, "cg.cpu.", cg_ind_d[0], IND_HEADROOM);
	put_ind(&e, "cg.mem.", cg_ind_d[1], IND_HEADROOM);
	put(&e, &cg_d[CG_CPU_LIMIT], m->cg_cpu_limit);
	put(&e, &cg_d[CG_MEM_LIMIT], m->cg_mem_limit);
	put_ind(&e, "cg.mem.", cg_ind_d[1], IND_TTE);
	put_anom(&e, "cg.cpu.", cg_ind_d[0]);
	put_anom(&e, "cg.mem.", cg_ind_d[1]);
	put_mounts(&e, m);
	put_queues(&e, m);
	/* Counter events are rare: a sample adds them only when non-zero, so
	 * a report carries agent.* records only for intervals that had any
	 * (docs/schema.md). */
	e.group = "agent.";
	put_nonzero(&e, &agent_d[AG_WRAPS], m->wraps);
	put_nonzero(&e, &agent_d[AG_RESETS], m->resets);
	put_nonzero(&e, &agent_d[AG_APPEARED], m->appeared);
	put_nonzero(&e, &agent_d[AG_VANISHED], m->vanished);
}
