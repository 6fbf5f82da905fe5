/*
 * collect.h - fills a struct hr_sample from the host (or a recorded host
 * under pf_root()).  Owns the list of source files, the per-signal
 * enable/disable state, the disk/mount filters and the caches that keep
 * the hot path free of allocation.
 *
 * Files read, relative to the root (each missing file disables its signal
 * with one log line; it is re-probed every HR_REPROBE_S seconds):
 *   proc/stat proc/loadavg proc/meminfo proc/vmstat
 *   proc/pressure/{cpu,memory,io}
 *   proc/diskstats, sys/block/<disk> (whole-disk check, if sys/block exists)
 *   proc/net/dev, sys/class/net/<if>/{speed,operstate}
 *   proc/net/softnet_stat proc/net/snmp proc/net/netstat
 *   proc/sys/net/netfilter/nf_conntrack_{count,max}
 *   proc/sys/fs/file-nr proc/sys/kernel/{pid_max,threads-max,arch}
 *   sys/devices/system/cpu/online
 *   proc/self/cgroup, sys/fs/cgroup/<path>/{cpu.max,cpu.stat,memory.max,
 *   memory.current} (cgroup v2; also under sys/fs/cgroup/unified/)
 *   proc/self/mounts + statvfs (or .headroom/statvfs on a recorded host)
 */
#ifndef HR_COLLECT_H
#define HR_COLLECT_H

#include <stdbool.h>
#include <stdint.h>

#include "../agent/sample.h"
#include "procfs.h"

#define HR_REPROBE_S 60   /* retry a disabled signal this often */

struct pf_collect_conf {
	/* Mount points to watch.  nmounts == 0: every mount of a disk file
	 * system in proc/self/mounts (see pf_fs_is_disk), first mount of each
	 * source only, at most HR_MAX_MOUNTS. */
	const char *mounts[HR_MAX_MOUNTS];
	uint32_t    nmounts;
	/* Signals switched off by configuration. */
	bool        off[HR_SIG_COUNT];
};

struct pf_signal_state {
	bool     disabled;       /* source missing: skipped until reprobe */
	uint64_t next_probe_us;  /* monotonic time of the next retry */
	int      last_err;       /* last error logged (log once per change) */
};

struct pf_collector {
	struct pf_collect_conf conf;
	struct pf_signal_state sig[HR_SIG_COUNT];
	uint64_t malformed[HR_SIG_COUNT];   /* cumulative */
	uint64_t long_lines;                /* lines over HR_LINE_MAX skipped */
	uint64_t overflow_mounts;           /* at the last mount scan */
	uint32_t kernel_bits;               /* from proc/sys/kernel/arch */
	bool     have_sys_block;
	/* names rejected by the whole-disk check, so it is not redone */
	char     disk_skip[HR_DISK_SKIP_CACHE][HR_NAME_LEN];
	uint32_t ndisk_skip;
	char     disk_ok[HR_MAX_DISKS][HR_NAME_LEN];
	uint32_t ndisk_ok;
	/* resolved cgroup v2 directory, relative to the root */
	char     cgroup_dir[HR_PATH_LEN + 32];
	bool     have_cgroup_dir;
	/* watched mounts (resolved at start and every HR_MOUNT_RESCAN_S) */
	char     mount_path[HR_MAX_MOUNTS][HR_PATH_LEN];
	uint32_t nmount_path;
	uint64_t next_mount_scan_us;
	struct pp_mount_ent ents[HR_MAX_MOUNTS * 4];
};

/* Set up the collector; cannot fail.  conf is copied (its strings are
 * not: they must outlive the collector). */
void pf_collect_init(struct pf_collector *c, const struct pf_collect_conf *conf);

/*
 * Take one sample into *s.  Never fails as a whole: a signal that could
 * not be read has s->health.present[sig] == false and keeps its fields
 * zero.  Returns the number of signals present.
 */
int pf_collect(struct pf_collector *c, struct hr_sample *s);

/* 1 if fstype is a disk-backed file system watched by default
 * (ext2/3/4, xfs, btrfs, f2fs, vfat, exfat, ntfs, ntfs3, zfs, jfs,
 * reiserfs, ubifs, jffs2, overlay). */
int pf_fs_is_disk(const char *fstype);

#endif
