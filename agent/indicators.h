/*
 * indicators.h - USE per resource (utilisation, saturation, errors),
 * headroom, and the host's bottleneck, from one set of metrics
 * (docs/indicators.md, "USE and headroom").
 *
 * Pure: no I/O, no allocation; the caller owns the output table.  A
 * value that cannot be known is NAN, never a guess: an interface of
 * unknown link speed has no utilisation (so no headroom), a kernel
 * without PSI gives memory no saturation.
 *
 * Per resource (name = its report group):
 *
 *   resource      utilisation                   saturation                errors/s
 *   cpu.          1 - (idle+iowait)/total       runnable tasks beyond the  -
 *                                               CPUs, per CPU (count)
 *   cg.cpu.       usage / cpu.max quota         throttled fraction (/)    -
 *   mem.          1 - MemAvailable/MemTotal     PSI memory "some" (/)     OOM kills
 *   cg.mem.       memory.current / memory.max   -                         -
 *   disk.<d>.     time busy (/)                 average queue (count)     -
 *   net.<if>.     max(rx, tx) bits / speed      drops/s (rx + tx)         rx + tx errors
 *   conntrack.    entries / nf_conntrack_max    -                         -
 *   fd.           allocated / file-max          -                         -
 *   pid.          threads / min(pid_max, threads-max)  -                  -
 *   fs<path>.     max(space, inodes) used       -                         -
 *   queue.<name>. depth / declared capacity     growth/s when positive    probe failures
 *
 * Headroom = 1 - utilisation, in [0,1].  The bottleneck is the
 * resource with the least headroom; on a tie the first in the table's
 * order binds: cpu, cg.cpu, cg.mem, mem, conntrack, fd, pid, disks,
 * interfaces, mounts, queues (a cgroup limit before the host's, which
 * it sits under).  why says which side binds ("rx", "inodes", "cpu
 * quota", ...).
 */
#ifndef HR_INDICATORS_H
#define HR_INDICATORS_H

#include <stddef.h>
#include <stdint.h>

#include "limits.h"
#include "metrics.h"

enum ind_kind {
	IND_CPU, IND_CG_CPU, IND_MEM, IND_CG_MEM, IND_DISK, IND_NET,
	IND_CONNTRACK, IND_FD, IND_PID, IND_FS, IND_QUEUE, IND_KINDS
};

/* cpu, cg.cpu, cg.mem, mem, conntrack, fd, pid, then devices, queues */
#define IND_MAX (7 + HR_MAX_DISKS + HR_MAX_IFACES + HR_MAX_MOUNTS + \
    HR_MAX_QUEUES)

/* The key series of a resource watched by the anomaly detector
 * (agent/watch.c, docs/anomaly.md). */
enum ind_q { IND_Q_UTIL, IND_Q_SAT, IND_Q_ERR, IND_NQ };

struct ind_res {
	uint8_t     kind;                 /* enum ind_kind */
	char        group[HR_GROUP_LEN];  /* as in reports: "disk.sda." */
	double      util;                 /* [0,1]; NAN: unknown */
	double      sat;                  /* unit per kind (above); NAN */
	double      errors;               /* per second; NAN: not counted */
	double      headroom;             /* 1 - util; NAN when util is */
	double      tte;                  /* seconds to exhaustion; NAN: no
					     forecast (set by agent/watch.c) */
	const char *why;                  /* what the utilisation measures */
	uint16_t    idx;                  /* its row in the metrics' table
					     (disk, iface, mount, queue) */
	double      anom[IND_NQ];         /* anomaly score of util, sat,
					     errors this sample; NAN: none
					     (set by agent/watch.c) */
};

struct ind_set {
	uint32_t       n;
	struct ind_res r[IND_MAX];
	int            bottleneck;        /* index into r, -1: none known */
};

void indicators_compute(const struct hr_metrics *m, struct ind_set *out);

/* The name of a resource, as events, JSON and the bottleneck give it:
 * its group without the final '.' ("disk.sda", "fs/", "queue.mail"). */
void ind_name(char *dst, size_t cap, const char *group);

#endif
