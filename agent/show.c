/*
 * show.c - JSON lines and a vmstat-like table for "headroom sample".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "indicators.h"
#include "json.h"
#include "show.h"

static void
cpu_fields(struct jw *j, const struct hr_cpu_split *c)
{
	jw_num(j, "util", c->util);
	jw_num(j, "user", c->user);
	jw_num(j, "system", c->system);
	jw_num(j, "iowait", c->iowait);
	jw_num(j, "irq", c->irq);
	jw_num(j, "softirq", c->softirq);
	jw_num(j, "steal", c->steal);
	jw_num(j, "idle", c->idle);
}

static void
psi_obj(struct jw *j, const char *k, const struct hr_psi_m *p)
{
	jw_obj(j, k);
	jw_num(j, "some", p->some);
	jw_num(j, "full", p->full);
	jw_num(j, "some_avg10", p->some_avg10);
	jw_num(j, "some_avg60", p->some_avg60);
	jw_num(j, "some_avg300", p->some_avg300);
	jw_end_obj(j);
}

static void
fill_obj(struct jw *j, const char *k, double used, double max, double fill)
{
	jw_obj(j, k);
	jw_num(j, "used", used);
	jw_num(j, "max", max);
	jw_num(j, "fill", fill);
	jw_end_obj(j);
}

/* The resource's name (ind_name). */
static void
jw_resource(struct jw *j, const char *k, const char *group)
{
	char name[HR_GROUP_LEN];

	ind_name(name, sizeof(name), group);
	jw_str(j, k, name);
}

/* "indicators": one object per resource; "bottleneck": the least
 * headroom, or null. */
static void
indicators_json(struct jw *j, const struct ind_set *s)
{
	uint32_t i;

	jw_arr(j, "indicators");
	for (i = 0; s != NULL && i < s->n; i++) {
		const struct ind_res *r = &s->r[i];

		jw_obj(j, NULL);
		jw_resource(j, "resource", r->group);
		jw_num(j, "util", r->util);
		jw_num(j, "sat", r->sat);
		jw_num(j, "errors_per_s", r->errors);
		jw_num(j, "headroom", r->headroom);
		jw_num(j, "tte_s", r->tte);
		jw_str(j, "why", r->why);
		jw_end_obj(j);
	}
	jw_end_arr(j);
	if (s == NULL || s->bottleneck < 0) {
		jw_num(j, "bottleneck", HR_NAN);
		return;
	}
	jw_obj(j, "bottleneck");
	jw_resource(j, "resource", s->r[s->bottleneck].group);
	jw_num(j, "headroom", s->r[s->bottleneck].headroom);
	jw_str(j, "why", s->r[s->bottleneck].why);
	jw_end_obj(j);
}

long
show_json(const struct hr_metrics *m, const struct hr_sample *s,
    unsigned long seq, char *buf, size_t cap)
{
	struct jw j;
	uint32_t i;
	long n;

	jw_init(&j, buf, cap);
	jw_obj(&j, NULL);
	jw_num(&j, "seq", (double)seq);
	jw_num(&j, "time_s", floor((double)m->wall_ns / 1e6) / 1e3);
	jw_num(&j, "interval_s", m->dt_s > 0 ? m->dt_s : HR_NAN);

	jw_obj(&j, "cpu");
	cpu_fields(&j, &m->cpu);
	jw_num(&j, "online", m->cpus_online);
	jw_num(&j, "ctxt_per_s", m->ctxt);
	jw_num(&j, "forks_per_s", m->forks);
	jw_num(&j, "procs_running", m->procs_running);
	jw_num(&j, "procs_blocked", m->procs_blocked);
	jw_num(&j, "load1", m->load1);
	jw_num(&j, "load5", m->load5);
	jw_num(&j, "load15", m->load15);
	jw_num(&j, "runnable", m->runnable);
	jw_arr(&j, "per_cpu");
	for (i = 0; i < m->ncpu; i++) {
		jw_obj(&j, NULL);
		jw_num(&j, "id", m->percpu[i].id);
		cpu_fields(&j, &m->percpu[i].s);
		jw_end_obj(&j);
	}
	jw_end_arr(&j);
	jw_end_obj(&j);

	jw_obj(&j, "mem");
	jw_num(&j, "total_bytes", m->mem_total);
	jw_num(&j, "available_bytes", m->mem_available);
	jw_num(&j, "util", m->mem_util);
	jw_bool(&j, "available_estimated", m->mem_estimated);
	jw_num(&j, "swap_total_bytes", m->swap_total);
	jw_num(&j, "swap_util", m->swap_util);
	jw_num(&j, "swap_in_pages_per_s", m->swap_in);
	jw_num(&j, "swap_out_pages_per_s", m->swap_out);
	jw_num(&j, "major_faults_per_s", m->majfault);
	jw_num(&j, "oom_kills", m->oom_kills);
	jw_end_obj(&j);

	jw_obj(&j, "psi");
	psi_obj(&j, "cpu", &m->psi_cpu);
	psi_obj(&j, "memory", &m->psi_mem);
	psi_obj(&j, "io", &m->psi_io);
	jw_end_obj(&j);

	jw_arr(&j, "disks");
	for (i = 0; i < m->ndisks; i++) {
		const struct hr_disk_m *d = &m->disk[i];

		jw_obj(&j, NULL);
		jw_str(&j, "name", d->name);
		jw_num(&j, "util", d->util);
		jw_num(&j, "read_iops", d->rd_iops);
		jw_num(&j, "write_iops", d->wr_iops);
		jw_num(&j, "read_bytes_per_s", d->rd_Bps);
		jw_num(&j, "write_bytes_per_s", d->wr_Bps);
		jw_num(&j, "await_ms", d->await_ms);
		jw_num(&j, "queue", d->queue);
		jw_num(&j, "in_flight", d->in_flight);
		jw_end_obj(&j);
	}
	jw_end_arr(&j);

	jw_arr(&j, "net");
	for (i = 0; i < m->nifaces; i++) {
		const struct hr_iface_m *f = &m->iface[i];

		jw_obj(&j, NULL);
		jw_str(&j, "name", f->name);
		jw_str(&j, "oper", hr_operstate_name(f->oper));
		jw_num(&j, "speed_bits_per_s", f->speed_bps);
		jw_num(&j, "rx_util", f->rx_util);
		jw_num(&j, "tx_util", f->tx_util);
		jw_num(&j, "rx_bytes_per_s", f->rx_Bps);
		jw_num(&j, "tx_bytes_per_s", f->tx_Bps);
		jw_num(&j, "rx_packets_per_s", f->rx_pps);
		jw_num(&j, "tx_packets_per_s", f->tx_pps);
		jw_num(&j, "rx_errors_per_s", f->rx_errs);
		jw_num(&j, "tx_errors_per_s", f->tx_errs);
		jw_num(&j, "rx_drops_per_s", f->rx_drop);
		jw_num(&j, "tx_drops_per_s", f->tx_drop);
		jw_end_obj(&j);
	}
	jw_end_arr(&j);

	jw_obj(&j, "softnet");
	jw_num(&j, "processed_per_s", m->softnet_processed);
	jw_num(&j, "dropped_per_s", m->softnet_dropped);
	jw_num(&j, "squeezed_per_s", m->softnet_squeezed);
	jw_end_obj(&j);

	jw_obj(&j, "tcp");
	jw_num(&j, "retrans_segs_per_s", m->tcp_retrans);
	jw_num(&j, "retrans_ratio", m->tcp_retrans_ratio);
	jw_num(&j, "listen_overflows_per_s", m->tcp_listen_overflows);
	jw_num(&j, "listen_drops_per_s", m->tcp_listen_drops);
	jw_end_obj(&j);

	jw_obj(&j, "limits");
	fill_obj(&j, "conntrack", m->conntrack, m->conntrack_max,
	    m->conntrack_fill);
	fill_obj(&j, "fd", m->fd_used, m->fd_max, m->fd_fill);
	fill_obj(&j, "pid", m->threads, m->pid_limit, m->pid_fill);
	jw_end_obj(&j);

	jw_obj(&j, "cgroup");
	jw_num(&j, "cpu_limit_cpus", m->cg_cpu_limit);
	jw_num(&j, "cpu_util", m->cg_cpu_util);
	jw_num(&j, "throttled", m->cg_throttled);
	jw_num(&j, "memory_limit_bytes", m->cg_mem_limit);
	jw_num(&j, "memory_current_bytes", m->cg_mem_current);
	jw_num(&j, "memory_util", m->cg_mem_util);
	jw_end_obj(&j);

	jw_arr(&j, "mounts");
	for (i = 0; i < m->nmounts; i++) {
		const struct hr_mount_m *mt = &m->mount[i];

		jw_obj(&j, NULL);
		jw_str(&j, "path", mt->path);
		jw_num(&j, "util", mt->util);
		jw_num(&j, "size_bytes", mt->size);
		jw_num(&j, "used_bytes", mt->used);
		jw_num(&j, "avail_bytes", mt->avail);
		jw_num(&j, "inodes_util", mt->inodes_util);
		jw_end_obj(&j);
	}
	jw_end_arr(&j);

	jw_arr(&j, "queues");
	for (i = 0; i < m->nqueues; i++) {
		const struct hr_queue_m *q = &m->queue[i];

		jw_obj(&j, NULL);
		jw_str(&j, "name", q->name);
		jw_num(&j, "depth", q->depth);
		jw_num(&j, "capacity", q->capacity);
		jw_num(&j, "util", q->util);
		jw_num(&j, "growth_per_s", q->growth);
		jw_num(&j, "failures", q->fails);
		jw_end_obj(&j);
	}
	jw_end_arr(&j);

	indicators_json(&j, m->ind);

	jw_obj(&j, "health");
	jw_obj(&j, "present");
	for (i = 0; i < HR_SIG_COUNT; i++)
		jw_bool(&j, hr_signal_names[i], s->health.present[i]);
	jw_end_obj(&j);
	jw_obj(&j, "malformed");
	for (i = 0; i < HR_SIG_COUNT; i++)
		jw_num(&j, hr_signal_names[i], (double)s->health.malformed[i]);
	jw_end_obj(&j);
	jw_obj(&j, "overflow");
	jw_num(&j, "cpus", (double)s->health.overflow_cpus);
	jw_num(&j, "disks", (double)s->health.overflow_disks);
	jw_num(&j, "ifaces", (double)s->health.overflow_ifaces);
	jw_num(&j, "mounts", (double)s->health.overflow_mounts);
	jw_end_obj(&j);
	jw_num(&j, "wraps", m->wraps);
	jw_num(&j, "resets", m->resets);
	jw_num(&j, "appeared", m->appeared);
	jw_num(&j, "vanished", m->vanished);
	jw_bool(&j, "rebooted", m->rebooted);
	jw_end_obj(&j);
	jw_end_obj(&j);

	n = jw_finish(&j);
	return n < 0 ? HR_ETRUNC : n;
}

long
show_table_header(char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "%s\n%s\n",
	    "----cpu%----- --load-- --mem%-- ---psi%-some-- "
	    "---------disk--------- -------net------- --fill%-- "
	    "---bottleneck---",
	    " use  sys  iow  load1 run  mem swp  cpu  mem  io "
	    " util  r/s   w/s  MB/s  rxMb/s txMb/s util  fd pid "
	    "room resource");
	return n < 0 || (size_t)n >= cap ? HR_ETRUNC : n;
}

/* Percent with one decimal or "-" when unknown, in a fixed width. */
static void
pct(char *dst, size_t cap, int w, double v)
{
	if (isnan(v))
		snprintf(dst, cap, "%*s", w, "-");
	else
		snprintf(dst, cap, "%*.0f", w, v * 100.0);
}

static void
num(char *dst, size_t cap, int w, int prec, double v)
{
	if (isnan(v))
		snprintf(dst, cap, "%*s", w, "-");
	else
		snprintf(dst, cap, "%*.*f", w, prec, v);
}

/* Sum ignoring unknowns; HR_NAN when nothing was known. */
static void
acc(double *sum, double v)
{
	if (isnan(v))
		return;
	*sum = isnan(*sum) ? v : *sum + v;
}

static void
amax(double *mx, double v)
{
	if (!isnan(v) && (isnan(*mx) || v > *mx))
		*mx = v;
}

long
show_table_row(const struct hr_metrics *m, char *buf, size_t cap)
{
	char c1[8], c2[8], c3[8], l1[10], rn[8], me[8], sw[8];
	char p1[8], p2[8], p3[8], du[8], dr[10], dw[10], db[10];
	char nr[10], nt[10], nu[8], fd[8], pd[8], rm[8];
	char bn[HR_GROUP_LEN] = "-";
	const struct ind_set *is = m->ind;
	double dutil = HR_NAN, riops = HR_NAN, wiops = HR_NAN, bytes = HR_NAN;
	double rx = HR_NAN, tx = HR_NAN, nutil = HR_NAN;
	uint32_t i;
	int n;

	for (i = 0; i < m->ndisks; i++) {
		amax(&dutil, m->disk[i].util);
		acc(&riops, m->disk[i].rd_iops);
		acc(&wiops, m->disk[i].wr_iops);
		acc(&bytes, m->disk[i].rd_Bps);
		acc(&bytes, m->disk[i].wr_Bps);
	}
	for (i = 0; i < m->nifaces; i++) {
		acc(&rx, m->iface[i].rx_Bps);
		acc(&tx, m->iface[i].tx_Bps);
		amax(&nutil, m->iface[i].rx_util);
		amax(&nutil, m->iface[i].tx_util);
	}
	pct(c1, sizeof(c1), 4, m->cpu.util);
	pct(c2, sizeof(c2), 4, m->cpu.system);
	pct(c3, sizeof(c3), 4, m->cpu.iowait);
	num(l1, sizeof(l1), 6, 2, m->load1);
	num(rn, sizeof(rn), 3, 0, m->procs_running);
	pct(me, sizeof(me), 4, m->mem_util);
	pct(sw, sizeof(sw), 3, m->swap_util);
	pct(p1, sizeof(p1), 4, m->psi_cpu.some);
	pct(p2, sizeof(p2), 4, m->psi_mem.some);
	pct(p3, sizeof(p3), 4, m->psi_io.some);
	pct(du, sizeof(du), 5, dutil);
	num(dr, sizeof(dr), 5, 0, riops);
	num(dw, sizeof(dw), 5, 0, wiops);
	num(db, sizeof(db), 5, 1, isnan(bytes) ? HR_NAN : bytes / 1e6);
	num(nr, sizeof(nr), 7, 2, isnan(rx) ? HR_NAN : rx * 8 / 1e6);
	num(nt, sizeof(nt), 6, 2, isnan(tx) ? HR_NAN : tx * 8 / 1e6);
	pct(nu, sizeof(nu), 4, nutil);
	pct(fd, sizeof(fd), 3, m->fd_fill);
	pct(pd, sizeof(pd), 3, m->pid_fill);
	/* the resource with the least headroom, and that headroom */
	pct(rm, sizeof(rm), 4, is != NULL && is->bottleneck >= 0 ?
	    is->r[is->bottleneck].headroom : HR_NAN);
	if (is != NULL && is->bottleneck >= 0)
		ind_name(bn, sizeof(bn), is->r[is->bottleneck].group);
	n = snprintf(buf, cap,
	    "%s %s %s %s %s %s %s %s %s %s %s %s %s %s  %s %s %s %s %s %s "
	    "%s\n", c1, c2, c3, l1, rn, me, sw, p1, p2, p3, du, dr, dw, db, nr,
	    nt, nu, fd, pd, rm, bn);
	return n < 0 || (size_t)n >= cap ? HR_ETRUNC : n;
}
