/*
 * indicators.c - USE, headroom and bottleneck (indicators.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "indicators.h"
#include "report.h"

static double
clamp01(double v)
{
	if (isnan(v))
		return v;
	return v < 0 ? 0 : v > 1 ? 1 : v;
}

static struct ind_res *
add(struct ind_set *s, enum ind_kind k, const char *prefix, const char *name)
{
	struct ind_res *r;

	if (s->n >= IND_MAX)
		return NULL;
	r = &s->r[s->n];
	memset(r, 0, sizeof(*r));
	if (name == NULL) {
		size_t l = strlen(prefix);
		if (l >= sizeof(r->group))
			return NULL;
		memcpy(r->group, prefix, l + 1);
	} else if (series_group(r->group, sizeof(r->group), prefix, name) != 0) {
		return NULL;
	}
	r->kind = (uint8_t)k;
	r->util = r->sat = r->errors = r->tte = HR_NAN;
	r->anom[IND_Q_UTIL] = r->anom[IND_Q_SAT] = r->anom[IND_Q_ERR] = HR_NAN;
	r->why = "utilisation";
	s->n++;
	return r;
}

/* A fill (used / limit): a utilisation with nothing else known. */
static void
fill(struct ind_set *s, enum ind_kind k, const char *group, double v,
    const char *why)
{
	struct ind_res *r;

	if (isnan(v) || (r = add(s, k, group, NULL)) == NULL)
		return;
	r->util = clamp01(v);
	r->why = why;
}

static double
sum2(double a, double b)
{
	/* one side unknown: the other is still a lower bound worth showing */
	if (isnan(a))
		return b;
	if (isnan(b))
		return a;
	return a + b;
}

static void
cpu(struct ind_set *s, const struct hr_metrics *m)
{
	double online = !isnan(m->cpus_online) && m->cpus_online > 0 ?
	    m->cpus_online : (double)m->ncpu;
	struct ind_res *r;

	if (isnan(m->cpu.util) || (r = add(s, IND_CPU, "cpu.", NULL)) == NULL)
		return;
	r->util = clamp01(m->cpu.util);
	r->why = "cpu time";
	/* tasks that want a CPU and have none, per CPU */
	if (!isnan(m->procs_running) && online > 0)
		r->sat = m->procs_running > online ?
		    (m->procs_running - online) / online : 0;
}

static void
cgroup(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;

	if (!isnan(m->cg_cpu_util) &&
	    (r = add(s, IND_CG_CPU, "cg.cpu.", NULL)) != NULL) {
		r->util = clamp01(m->cg_cpu_util);
		r->sat = m->cg_throttled;
		r->why = "cpu quota";
	}
	fill(s, IND_CG_MEM, "cg.mem.", m->cg_mem_util, "memory.max");
}

static void
mem(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;

	if (isnan(m->mem_util) || (r = add(s, IND_MEM, "mem.", NULL)) == NULL)
		return;
	r->util = clamp01(m->mem_util);
	r->sat = m->psi_mem.some;
	r->why = "memory";
	/* kills between two samples, as a rate */
	if (!isnan(m->oom_kills) && m->dt_s > 0)
		r->errors = m->oom_kills / m->dt_s;
}

static void
disks(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;
	uint32_t i;

	for (i = 0; i < m->ndisks; i++) {
		const struct hr_disk_m *d = &m->disk[i];

		if (isnan(d->util) ||
		    (r = add(s, IND_DISK, "disk.", d->name)) == NULL)
			continue;
		r->idx = (uint16_t)i;
		r->util = clamp01(d->util);
		r->sat = d->queue;
		r->why = "busy time";
	}
}

static void
nets(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;
	uint32_t i;

	for (i = 0; i < m->nifaces; i++) {
		const struct hr_iface_m *f = &m->iface[i];

		if ((r = add(s, IND_NET, "net.", f->name)) == NULL)
			continue;
		r->idx = (uint16_t)i;
		/* unknown speed: no utilisation, and no headroom either */
		if (!isnan(f->rx_util) || !isnan(f->tx_util)) {
			bool tx = !isnan(f->tx_util) && (isnan(f->rx_util) ||
			    f->tx_util > f->rx_util);
			r->util = clamp01(tx ? f->tx_util : f->rx_util);
			r->why = tx ? "tx" : "rx";
		}
		r->sat = sum2(f->rx_drop, f->tx_drop);
		r->errors = sum2(f->rx_errs, f->tx_errs);
	}
}

static void
mounts(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;
	uint32_t i;

	for (i = 0; i < m->nmounts; i++) {
		const struct hr_mount_m *f = &m->mount[i];
		bool ino;

		if (isnan(f->util) && isnan(f->inodes_util))
			continue;
		if ((r = add(s, IND_FS, "fs", f->path)) == NULL)
			continue;
		r->idx = (uint16_t)i;
		ino = !isnan(f->inodes_util) && (isnan(f->util) ||
		    f->inodes_util > f->util);
		r->util = clamp01(ino ? f->inodes_util : f->util);
		r->why = ino ? "inodes" : "space";
	}
}

static void
queues(struct ind_set *s, const struct hr_metrics *m)
{
	struct ind_res *r;
	uint32_t i;

	for (i = 0; i < m->nqueues; i++) {
		const struct hr_queue_m *q = &m->queue[i];

		if ((r = add(s, IND_QUEUE, "queue.", q->name)) == NULL)
			continue;
		r->idx = (uint16_t)i;
		r->util = clamp01(q->util);
		r->why = "depth";
		/* arrivals outpacing service; a draining queue is not
		 * saturated */
		if (!isnan(q->growth))
			r->sat = q->growth > 0 ? q->growth : 0;
		if (!isnan(q->fails) && m->dt_s > 0)
			r->errors = q->fails / m->dt_s;
	}
}

void
ind_name(char *dst, size_t cap, const char *group)
{
	size_t n = strlen(group);

	if (n > 0 && group[n - 1] == '.')
		n--;
	snprintf(dst, cap, "%.*s", (int)n, group);
}

void
indicators_compute(const struct hr_metrics *m, struct ind_set *out)
{
	double best = HR_NAN;
	uint32_t i;

	out->n = 0;
	out->bottleneck = -1;
	cpu(out, m);
	cgroup(out, m);
	mem(out, m);
	fill(out, IND_CONNTRACK, "conntrack.", m->conntrack_fill,
	    "conntrack table");
	fill(out, IND_FD, "fd.", m->fd_fill, "file handles");
	fill(out, IND_PID, "pid.", m->pid_fill, "pids");
	disks(out, m);
	nets(out, m);
	mounts(out, m);
	queues(out, m);
	for (i = 0; i < out->n; i++) {
		struct ind_res *r = &out->r[i];

		r->headroom = isnan(r->util) ? HR_NAN : 1 - r->util;
		/* strictly less: on a tie the first (host-wide) one binds */
		if (!isnan(r->headroom) && (isnan(best) || r->headroom < best)) {
			best = r->headroom;
			out->bottleneck = (int)i;
		}
	}
}
