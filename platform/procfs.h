/*
 * procfs.h - pure parsers for the procfs files headroom reads.
 *
 * Each parser is a descriptor {begin, line, end} working on one line at a
 * time, so the same code parses a buffer in a test (pp_parse_buf) and a
 * file streamed through a fixed line buffer by the collector
 * (pf_read_lines).  Parsers never do I/O and never allocate.
 *
 * Contract common to all parsers:
 *  - begin() resets the fields the parser owns in ctx->s;
 *  - a line that cannot be parsed is skipped and counted in
 *    ctx->malformed; the rest of the file is still used;
 *  - end() returns 0 when the file gave the signal's essential fields,
 *    HR_EINVAL when it did not (signal absent this sample);
 *  - unknown keys and extra columns from newer kernels are ignored, in
 *    files made of keys (stat, meminfo, vmstat, snmp, cpu.stat); in
 *    files with a fixed line shape (psi: "some"/"full" only, loadavg,
 *    diskstats, net/dev, softnet) a line of another shape is malformed;
 *  - pp_parse_buf zeroes ctx->malformed and ctx->ents_overflow first;
 *    callers that drive begin/line/end themselves zero them.
 */
#ifndef HR_PROCFS_H
#define HR_PROCFS_H

#include <stddef.h>
#include <stdint.h>

#include "../agent/err.h"
#include "../agent/sample.h"

/* Filter deciding whether a diskstats device is kept (1) or not (0). */
typedef int (*pp_disk_filter)(void *arg, const char *name);

/* Candidate mount from /proc/self/mounts (before filtering/statvfs). */
struct pp_mount_ent {
	char path[HR_PATH_LEN];   /* octal escapes decoded */
	char fstype[HR_NAME_LEN];
	char source[HR_PATH_LEN];
};

struct pp_ctx {
	struct hr_sample *s;
	uint64_t malformed;       /* lines skipped by this parse */
	uint32_t seen;            /* parser-private bookkeeping */
	/* diskstats: keep-filter (NULL: default name filter) */
	pp_disk_filter disk_keep;
	void          *disk_arg;
	/* mounts: output table */
	struct pp_mount_ent *ents;
	uint32_t             ents_cap;
	uint32_t             nents;
	uint64_t             ents_overflow;
	/* psi: which struct to fill */
	struct hr_psi *psi;
};

struct pp_parser {
	const char *name;
	void (*begin)(struct pp_ctx *c);
	int  (*line)(void *c, const char *line, size_t len);
	int  (*end)(struct pp_ctx *c);
};

/*
 * /proc/stat: cpu (total), cpuN (per core, table of HR_MAX_CPUS, extra rows
 * counted in s->health.overflow_cpus), ctxt, btime, processes,
 * procs_running, procs_blocked.  Essential: the "cpu " total line.  Kernels before 2.6.11
 * have fewer columns: missing steal/irq/softirq read as 0.
 */
extern const struct pp_parser procfs_stat;
/* /proc/meminfo: kB values converted to bytes.  Essential: MemTotal and
 * MemFree.  Without MemAvailable (kernel < 3.14) mem_has_available is
 * false and mem_available is the estimate free + buffers + cached +
 * SReclaimable - Shmem (never below free). */
extern const struct pp_parser procfs_meminfo;
/* /proc/vmstat: pgmajfault, pswpin, pswpout, oom_kill.  Essential:
 * pgmajfault. */
extern const struct pp_parser procfs_vmstat;
/* /proc/loadavg (one line).  Essential: the whole line. */
extern const struct pp_parser procfs_loadavg;
/* /proc/pressure/{cpu,memory,io}: fills *ctx->psi.  Essential: "some".
 * "full" is optional (cpu has it only since 5.13). */
extern const struct pp_parser procfs_psi;
/* /proc/diskstats: rows kept by ctx->disk_keep (default
 * pp_disk_default_keep); 14+ columns required. Essential: none (an empty
 * table is valid). */
extern const struct pp_parser procfs_diskstats;
/* /proc/net/dev: two header lines, then "name: 16 counters".  Interface
 * "lo" is skipped.  speed/oper are set to unknown here (sysfs fills them). */
extern const struct pp_parser procfs_netdev;
/* /proc/net/softnet_stat: hex columns per CPU; sums processed (1st),
 * dropped (2nd) and time_squeeze (3rd). Essential: one row. */
extern const struct pp_parser procfs_softnet;
/* /proc/net/snmp: the "Tcp:" header/value line pair: InSegs, OutSegs,
 * RetransSegs.  Essential: the pair. */
extern const struct pp_parser procfs_snmp;
/* /proc/net/netstat: the "TcpExt:" pair: ListenOverflows, ListenDrops.
 * Essential: the pair. */
extern const struct pp_parser procfs_netstat;
/* /proc/self/mounts: fills ctx->ents (all mounts; filtering is the
 * collector's).  Extra entries counted in ctx->ents_overflow. */
extern const struct pp_parser procfs_mounts;
/* cgroup v2 cpu.stat: usage_usec, nr_throttled, throttled_usec into
 * s->cgroup. Essential: usage_usec. */
extern const struct pp_parser procfs_cgroup_cpustat;

/* Run parser p over a whole buffer: begin, every line, end. */
int pp_parse_buf(const struct pp_parser *p, const char *buf, size_t len,
    struct pp_ctx *c);

/*
 * Default disk filter, by name only: rejects loop*, ram*, zram*, fd*, sr*,
 * nbd* and partitions (sdXN, vdXN, hdXN, xvdXN, nvmeXnYpZ, mmcblkXpY).
 * The collector refines "partition" with sysfs (a whole disk has
 * /sys/block/<name>) when sysfs is present.
 */
int pp_disk_default_keep(void *arg, const char *name);
/* 1 if name is one of the virtual device families rejected above. */
int pp_disk_is_virtual(const char *name);

/* Decode /proc/mounts octal escapes (\040 etc.) from src[0..len) into dst.
 * Returns HR_ETRUNC if it does not fit. */
int pp_unescape(const char *src, size_t len, char *dst, size_t cap);

#endif
