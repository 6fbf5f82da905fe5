/*
 * sample.h - one raw sample of the host: counters and gauges exactly as the
 * kernel reports them, in fixed tables.  No rates, no ratios: those are
 * computed by metrics.c from two samples.
 *
 * Owned by the caller; filled by pf_sample() (platform/collect.c).  The
 * struct is plain data: it may be copied with '=' or memcpy.
 *
 * Counter widths: fields marked "word" are 'unsigned long' in the kernel
 * and wrap at 2^kernel_bits; fields marked "u32" always wrap at 2^32;
 * every other counter is 64-bit.
 */
#ifndef HR_SAMPLE_H
#define HR_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

/*
 * Signals that can be present or absent independently.  A signal whose
 * source file is missing is disabled with one log line; malformed lines
 * in its source are skipped and counted per signal.
 */
enum hr_signal {
	HR_SIG_CPU,         /* /proc/stat */
	HR_SIG_CPU_ONLINE,  /* /sys/devices/system/cpu/online */
	HR_SIG_LOAD,        /* /proc/loadavg */
	HR_SIG_MEM,         /* /proc/meminfo */
	HR_SIG_VMSTAT,      /* /proc/vmstat */
	HR_SIG_PSI_CPU,     /* /proc/pressure/cpu */
	HR_SIG_PSI_MEM,     /* /proc/pressure/memory */
	HR_SIG_PSI_IO,      /* /proc/pressure/io */
	HR_SIG_DISK,        /* /proc/diskstats */
	HR_SIG_NET,         /* /proc/net/dev (+ /sys/class/net/<if>/) */
	HR_SIG_SOFTNET,     /* /proc/net/softnet_stat */
	HR_SIG_SNMP,        /* /proc/net/snmp (Tcp:) */
	HR_SIG_NETSTAT,     /* /proc/net/netstat (TcpExt:) */
	HR_SIG_CONNTRACK,   /* /proc/sys/net/netfilter/nf_conntrack_{count,max} */
	HR_SIG_FD,          /* /proc/sys/fs/file-nr */
	HR_SIG_PID,         /* /proc/sys/kernel/{pid_max,threads-max} */
	HR_SIG_CGROUP,      /* /proc/self/cgroup + /sys/fs/cgroup/<path>/ */
	HR_SIG_MOUNTS,      /* /proc/self/mounts + statvfs */
	HR_SIG_COUNT
};

/* Stable short names of the signals, as used in logs and JSON. */
extern const char *const hr_signal_names[HR_SIG_COUNT];

/* Optional lines of /proc/stat, for struct hr_sample.stat_have. */
#define HR_STAT_CTXT     0x01
#define HR_STAT_FORKS    0x02
#define HR_STAT_RUNNING  0x04
#define HR_STAT_BLOCKED  0x08
#define HR_STAT_BTIME    0x10

/* Jiffies per CPU state, as in /proc/stat (64-bit). */
struct hr_cpu_ticks {
	uint64_t user;      /* includes nice and guest time */
	uint64_t nice;
	uint64_t system;
	uint64_t idle;
	uint64_t iowait;
	uint64_t irq;
	uint64_t softirq;
	uint64_t steal;
};

struct hr_cpu_row {
	uint32_t            id;     /* N of "cpuN" */
	struct hr_cpu_ticks t;
};

/* One PSI file: "some" and (where the kernel has it) "full". */
struct hr_psi {
	bool     has_full;
	double   some_avg10, some_avg60, some_avg300;  /* percent, 0..100 */
	uint64_t some_total_us;
	double   full_avg10, full_avg60, full_avg300;
	uint64_t full_total_us;
};

/* One row of /proc/diskstats for a disk that passed the filter. */
struct hr_disk {
	char     name[HR_NAME_LEN];
	uint64_t rd_ios, rd_merges, rd_sectors, rd_ms;     /* word */
	uint64_t wr_ios, wr_merges, wr_sectors, wr_ms;     /* word */
	uint64_t in_flight;                                 /* gauge */
	uint64_t io_ms;        /* time with I/O in flight (word) */
	uint64_t weighted_ms;  /* sum of request time in queue (word) */
};

enum hr_operstate {
	HR_OPER_UNKNOWN = 0, HR_OPER_NOTPRESENT, HR_OPER_DOWN,
	HR_OPER_LOWERLAYERDOWN, HR_OPER_TESTING, HR_OPER_DORMANT, HR_OPER_UP,
	HR_OPER_COUNT
};

/* The kernel's word for an operstate ("up", "down", ...); "unknown" for
 * values out of range.  Shared by the sysfs parser and the outputs. */
const char *hr_operstate_name(enum hr_operstate o);

/* One interface of /proc/net/dev plus its sysfs attributes. */
struct hr_iface {
	char     name[HR_NAME_LEN];
	uint64_t rx_bytes, rx_packets, rx_errs, rx_drop;   /* word */
	uint64_t tx_bytes, tx_packets, tx_errs, tx_drop;   /* word */
	int64_t  speed_mbps;  /* link speed in Mbit/s; -1 = unknown */
	enum hr_operstate oper;
};

/* statvfs() of one watched mount, in bytes and inodes. */
struct hr_mount {
	char     path[HR_PATH_LEN];
	bool     ok;           /* false: statvfs failed this sample */
	uint64_t size_bytes;   /* f_blocks * f_frsize */
	uint64_t free_bytes;   /* f_bfree * f_frsize (incl. root reserve) */
	uint64_t avail_bytes;  /* f_bavail * f_frsize (unprivileged) */
	uint64_t inodes;       /* f_files; 0 = filesystem has no inode limit */
	uint64_t inodes_free;  /* f_ffree */
};

/* cgroup v2 limits of the cgroup the agent (or recorded host) runs in. */
struct hr_cgroup {
	bool     has_cpu_max;       /* cpu.max has a quota (not "max") */
	uint64_t cpu_quota_us;      /* cpu.max first field */
	uint64_t cpu_period_us;     /* cpu.max second field */
	bool     has_cpu_stat;
	uint64_t cpu_usage_us;      /* cpu.stat usage_usec */
	uint64_t nr_throttled;      /* cpu.stat nr_throttled */
	uint64_t throttled_us;      /* cpu.stat throttled_usec */
	bool     has_mem_max;       /* memory.max is a number (not "max") */
	uint64_t mem_max;           /* bytes */
	bool     has_mem_current;
	uint64_t mem_current;       /* bytes */
};

/*
 * Per-signal health, carried in every sample so that it reaches the JSON
 * and later the report: a consumer can tell "zero" from "not measured".
 */
struct hr_health {
	bool     present[HR_SIG_COUNT];     /* source read this sample */
	uint64_t malformed[HR_SIG_COUNT];   /* lines skipped since start */
	/* Rows that did not fit their fixed table in this sample (for mounts:
	 * at the last scan of the mount table).  A gauge, not a running sum:
	 * it says how much of the host is not being watched now. */
	uint64_t overflow_cpus;
	uint64_t overflow_disks;
	uint64_t overflow_ifaces;
	uint64_t overflow_mounts;
};

struct hr_sample {
	uint64_t mono_us;       /* monotonic time of the sample */
	int64_t  wall_ns;       /* wall-clock time, for timestamps only */
	uint32_t kernel_bits;   /* 32 or 64: width of "word" counters */

	/* CPU: /proc/stat */
	struct hr_cpu_ticks cpu_total;
	uint32_t           ncpu;           /* rows used in cpu[] */
	struct hr_cpu_row  cpu[HR_MAX_CPUS];
	uint64_t ctxt;                     /* context switches */
	uint64_t forks;                    /* "processes" line */
	uint64_t btime;                    /* boot time, s since epoch; a
					      change means a reboot */
	uint32_t procs_running, procs_blocked;
	uint8_t  stat_have;                /* HR_STAT_* lines seen in proc/stat:
					      a missing line is unknown, not 0 */
	uint32_t cpus_online;              /* from .../cpu/online; 0 = unknown */

	/* /proc/loadavg */
	double   load1, load5, load15;
	uint32_t sched_runnable;           /* 4th field, before '/' */
	uint32_t sched_threads;            /* 4th field, after '/' */

	/* /proc/meminfo, bytes */
	uint64_t mem_total, mem_free, mem_available, mem_buffers, mem_cached;
	uint64_t mem_sreclaimable, mem_shmem, swap_total, swap_free;
	bool     mem_has_available;        /* false: old kernel, estimated */

	/* /proc/vmstat */
	uint64_t pgmajfault, pswpin, pswpout;  /* word */
	bool     has_oom_kill;                  /* oom_kill appeared in 4.13 */
	uint64_t oom_kill;

	struct hr_psi psi_cpu, psi_mem, psi_io;

	uint32_t        ndisks;
	struct hr_disk  disk[HR_MAX_DISKS];

	uint32_t        nifaces;
	struct hr_iface iface[HR_MAX_IFACES];

	/* /proc/net/softnet_stat, summed over CPUs (u32 per CPU) */
	uint64_t softnet_processed, softnet_dropped, softnet_squeezed;

	/* /proc/net/snmp Tcp: and /proc/net/netstat TcpExt: */
	uint64_t tcp_in_segs, tcp_out_segs, tcp_retrans_segs;
	uint64_t tcp_listen_overflows, tcp_listen_drops;

	uint64_t conntrack_count, conntrack_max;
	uint64_t fd_allocated, fd_unused, fd_max;
	uint64_t pid_max, threads_max;

	struct hr_cgroup cgroup;

	uint32_t        nmounts;
	struct hr_mount mount[HR_MAX_MOUNTS];

	struct hr_health health;
};

#endif
