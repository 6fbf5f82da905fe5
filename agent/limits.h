/*
 * limits.h - every capacity constant of the agent, in one place.
 *
 * Tables are fixed at these sizes and never grow.  When a host has more
 * entries than a table holds, the extra entries are dropped and counted
 * (struct hr_sample.overflow), never a crash and never a realloc.
 */
#ifndef HR_LIMITS_H
#define HR_LIMITS_H

#define HR_MAX_CPUS        256   /* per-core rows of /proc/stat */
#define HR_MAX_DISKS        64   /* whole disks kept after filtering */
#define HR_MAX_IFACES      128   /* interfaces kept after filtering */
#define HR_MAX_MOUNTS       32   /* mounts watched with statvfs */
#define HR_DISK_SKIP_CACHE 128   /* remembered names of filtered devices */

#define HR_NAME_LEN         32   /* device / interface name incl. NUL */
#define HR_PATH_LEN        256   /* mount point / cgroup path incl. NUL */
#define HR_LINE_MAX       8192   /* longest procfs line parsed; longer lines
                                    (e.g. the intr line) are skipped whole */
#define HR_FILE_MAX       4096   /* small single-value files (sysfs, sysctl) */

#define HR_MOUNT_RESCAN_S   30   /* re-read the mount table this often */
#define HR_FD_CACHE         64   /* procfs/sysfs files kept open between
                                    samples (re-read with pread at 0) */


#define HR_MAX_SERIES     4096   /* distinct series in one report interval */
#define HR_MAX_RECORDS    8192   /* records of one report (mean + peak) */
#define HR_GROUP_LEN        72   /* "disk.<name>." / "fs<path>." incl. NUL */
#define HR_ID_LEN           64   /* agent id incl. NUL */
#define HR_MAX_CAPS       1024   /* capacities remembered to send on change */
#define HR_MAX_QUEUES       16   /* [queue.NAME] sections */

#endif
