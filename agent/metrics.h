/*
 * metrics.h - rates, ratios and fills computed from two samples.
 *
 * Every value is a double; NAN means "not available" (signal absent,
 * first sample, counter reset, time not advancing, unknown link speed)
 * and is never printed as a number.  Ratios are fractions in [0,1]
 * (not percent); rates are per second; sizes are bytes.
 *
 * Devices are matched between samples by name.  A device present only in
 * the current sample has no rates yet (NAN) and is counted in appeared;
 * one present only in the previous sample is counted in vanished.
 */
#ifndef HR_METRICS_H
#define HR_METRICS_H

#include <stdbool.h>
#include <math.h>
#include <stdint.h>

#include "limits.h"
#include "sample.h"

/* NAN as a double (the C macro is a float). */
#define HR_NAN ((double)NAN)

struct hr_cpu_split {
	double util;       /* 1 - (idle + iowait) / total */
	double user, system, iowait, irq, softirq, steal, idle;
};

struct hr_psi_m {
	double some;       /* fraction of the interval with some task stalled */
	double full;       /* ... all non-idle tasks stalled (NAN if absent) */
	double some_avg10, some_avg60, some_avg300;   /* kernel's, as ratio */
};

struct hr_disk_m {
	char   name[HR_NAME_LEN];
	double rd_iops, wr_iops;      /* completed requests /s */
	double rd_Bps, wr_Bps;        /* bytes /s (512-byte sectors) */
	double util;                  /* fraction of time with I/O in flight */
	double await_ms;              /* mean time per completed request */
	double queue;                 /* average queue size (weighted time) */
	double in_flight;             /* requests in flight now */
};

struct hr_iface_m {
	char   name[HR_NAME_LEN];
	double rx_Bps, tx_Bps, rx_pps, tx_pps;
	double rx_errs, tx_errs, rx_drop, tx_drop;   /* per second */
	double speed_bps;             /* link speed bit/s, NAN if unknown */
	double rx_util, tx_util;      /* bits/s over link speed */
	enum hr_operstate oper;
};

struct hr_mount_m {
	char   path[HR_PATH_LEN];
	double size, used, avail;     /* bytes; used = size - free */
	double util;                  /* used / (used + avail), as df */
	double inodes_util;           /* NAN when the fs has no inode limit */
};

/* An application queue ([queue.NAME]), filled by agent/watch.c after
 * metrics_compute (which leaves nqueues alone). */
struct hr_queue_m {
	char   name[HR_NAME_LEN];
	double depth;                 /* items (bytes for an mqueue read
					 through QSIZE); NAN: no value */
	double capacity;              /* as declared */
	double util;                  /* depth / capacity, at most 1 */
	double growth;                /* depth change per second: arrivals
					 minus service; NAN until known */
	double fails;                 /* probes without a value since the
					 previous sample */
};

struct ind_set;                       /* agent/indicators.h */

struct hr_metrics {
	double dt_s;                  /* seconds between the samples */
	int64_t wall_ns;              /* wall-clock time of the current sample */

	struct hr_cpu_split cpu;
	uint32_t ncpu;
	struct { uint32_t id; struct hr_cpu_split s; } percpu[HR_MAX_CPUS];
	double cpus_online;
	double ctxt, forks;           /* per second */
	double procs_running, procs_blocked;
	double load1, load5, load15;
	double runnable;              /* loadavg's runnable entities */

	double mem_total, mem_available, mem_util;   /* util = 1 - avail/total */
	bool   mem_estimated;         /* MemAvailable missing: estimated */
	double swap_total, swap_util;
	double swap_in, swap_out;     /* pages /s */
	double majfault;              /* /s */
	double oom_kills;             /* kills between the samples */

	struct hr_psi_m psi_cpu, psi_mem, psi_io;

	uint32_t ndisks;
	struct hr_disk_m disk[HR_MAX_DISKS];
	uint32_t nifaces;
	struct hr_iface_m iface[HR_MAX_IFACES];

	double softnet_processed, softnet_dropped, softnet_squeezed; /* /s */
	double tcp_retrans;           /* segments /s */
	double tcp_retrans_ratio;     /* retransmitted / sent segments */
	double tcp_listen_overflows, tcp_listen_drops;   /* /s */

	double conntrack, conntrack_max, conntrack_fill;
	double fd_used, fd_max, fd_fill;
	double threads, pid_limit, pid_fill;

	double cg_cpu_limit;          /* CPUs allowed by cpu.max */
	double cg_cpu_util;           /* usage over the quota */
	double cg_throttled;          /* fraction of the interval throttled */
	double cg_mem_limit, cg_mem_current, cg_mem_util;

	uint32_t nmounts;
	struct hr_mount_m mount[HR_MAX_MOUNTS];

	uint32_t nqueues;
	struct hr_queue_m queue[HR_MAX_QUEUES];

	/* Indicators of these metrics (agent/watch.c), or NULL: reports
	 * then carry no headroom, time to exhaustion or saturation. */
	const struct ind_set *ind;

	/* Counter events seen in this interval. */
	uint32_t wraps, resets, appeared, vanished;
	bool     rebooted;            /* boot time changed: all new baselines */
};

/*
 * Compute m from the previous and current sample.  prev may be NULL
 * (first sample): gauges are filled and every rate is NAN.
 * Returns 0, or HR_EAGAIN when time did not advance (gauges filled,
 * rates NAN).
 */
int metrics_compute(const struct hr_sample *prev, const struct hr_sample *cur,
    struct hr_metrics *m);

#endif
