/*
 * sysfs.h - pure parsers for single-value sysfs, sysctl and cgroup files.
 * Each takes the file's bytes (trailing newline allowed) and returns 0 or
 * HR_EINVAL for content it does not understand.
 */
#ifndef HR_SYSFS_H
#define HR_SYSFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../agent/sample.h"

/* One unsigned decimal number. */
int sysfs_parse_u64(const char *buf, size_t len, uint64_t *v);
/* Several blank-separated numbers (e.g. file-nr: 3). */
int sysfs_parse_u64s(const char *buf, size_t len, uint64_t *v, unsigned n);
/*
 * class/net/<if>/speed in Mbit/s.  Unknown speed is a value, not an error:
 * "-1", "4294967295" (u32 -1 on old kernels), 0 and empty content give -1
 * and return 0.  Garbage returns HR_EINVAL.
 */
int sysfs_parse_speed(const char *buf, size_t len, int64_t *mbps);
/* class/net/<if>/operstate; unknown words map to HR_OPER_UNKNOWN. */
enum hr_operstate sysfs_parse_operstate(const char *buf, size_t len);
/* CPU list ("0-3,5,7-8") -> number of CPUs in it. */
int sysfs_parse_cpulist(const char *buf, size_t len, uint32_t *count);
/* cgroup v2 cpu.max: "max 100000" -> has=false; "50000 100000" ->
 * has=true, quota 50000, period 100000. */
int sysfs_parse_cpu_max(const char *buf, size_t len, bool *has,
    uint64_t *quota, uint64_t *period);
/* cgroup v2 memory.max / memory.current: "max" -> has=false. */
int sysfs_parse_max_u64(const char *buf, size_t len, bool *has,
    uint64_t *v);
/* /proc/self/cgroup: the cgroup v2 path of the "0::<path>" line, without
 * its leading '/' ("" for the root). HR_ENOENT if no v2 line. */
int sysfs_parse_self_cgroup(const char *buf, size_t len, char *path,
    size_t cap);
/* /proc/sys/kernel/arch ("x86_64", "armv7l") -> 32 or 64. */
int sysfs_parse_arch_bits(const char *buf, size_t len, uint32_t *bits);

#endif
