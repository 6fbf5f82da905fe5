/*
 * platform.h - the only interface between the portable agent and the OS.
 *
 * Every procfs/sysfs read goes through one root directory (default "/"),
 * so the agent and its tests can be pointed at a recorded host tree.
 * Paths given to these functions are relative to that root ("proc/stat").
 *
 * Nothing here allocates: callers pass fixed buffers.  Return values are
 * 0 on success or a negative HR_E* code (agent/err.h).
 */
#ifndef HR_PLATFORM_H
#define HR_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

#include "../agent/err.h"

/*
 * Set the root directory all reads are relative to.  Must be called
 * before the first read (start-up only).  Returns HR_EINVAL if the path
 * is too long or is not a directory.
 */
int pf_root_set(const char *dir);
const char *pf_root(void);

/*
 * Read a whole small file into buf (NUL-terminated).  *len receives the
 * byte count without the NUL.
 * Returns 0; HR_ENOENT when the file does not exist (or is not readable:
 * both mean "this signal is not available here"); HR_ETRUNC when the file
 * did not fit (buf holds the first cap-1 bytes); HR_EIO on other errors.
 */
int pf_read_file(const char *rel, char *buf, size_t cap, size_t *len);

/*
 * Read a file line by line through a fixed HR_LINE_MAX buffer and call
 * fn(ctx, line, len) for each line (without the newline, NUL-terminated).
 * A line longer than HR_LINE_MAX is skipped whole and counted in
 * *long_lines (may be NULL).  A non-zero return of fn stops the read and
 * is returned.  Returns 0, HR_ENOENT or HR_EIO as pf_read_file.
 */
typedef int (*pf_line_fn)(void *ctx, const char *line, size_t len);
int pf_read_lines(const char *rel, pf_line_fn fn, void *ctx,
    uint64_t *long_lines);

/* 1 if rel exists under the root, 0 if not. */
int pf_exists(const char *rel);

/*
 * File system figures of a mount point, in bytes and inodes.
 * Under the real root this is statvfs(2) on root+path.  A recorded host
 * (see tools/capture-fixture) cannot record a syscall, so when the root
 * holds a file ".headroom/statvfs", the figures are read from it instead:
 * one line per mount, "<path> <frsize> <blocks> <bfree> <bavail> <files>
 * <ffree>", path with octal escapes as in /proc/mounts.
 * Returns 0, HR_ENOENT (no such mount / not recorded) or HR_EIO.
 */
struct pf_fsstat {
	uint64_t frsize, blocks, bfree, bavail, files, ffree;
};
int pf_statvfs(const char *path, struct pf_fsstat *out);

/* Monotonic clock in microseconds (rates and intervals only). */
uint64_t pf_mono_us(void);
/* Wall clock in nanoseconds since the epoch (timestamps only). */
int64_t pf_wall_ns(void);
/* Sleep until the monotonic deadline; returns early (HR_EINTR) on a signal. */
int pf_sleep_until(uint64_t mono_us);

/*
 * Plain file access for tools (not root-relative, not for sampling):
 * open a path for reading ("-" is standard input), read what is available
 * (at most cap, at least 1 byte unless end of file: *got == 0), close.
 * Return 0 or HR_ENOENT / HR_EIO (errno kept for the message).
 */
int pf_open_read(const char *path, int *fd);
int pf_read_some(int fd, void *buf, size_t cap, size_t *got);
void pf_close(int fd);

/*
 * Check a file named in the configuration: it must exist and be readable
 * by this process; with secret set (private keys, PSK and password
 * files) it must also not be readable or writable by group or others.
 * Returns 0, or HR_EINVAL with the reason in why.
 */
int pf_file_check(const char *path, int secret, char *why, size_t cap);

/* n random bytes from the kernel (getrandom); HR_EIO if unavailable. */
int pf_random(void *buf, size_t n);
/* The host name (uname nodename), NUL-terminated; HR_ETRUNC when it does
 * not fit cap (never cut: a cut name could be another host's). */
int pf_hostname(char *buf, size_t cap);

/*
 * Install the process's signal dispositions: SIGINT and SIGTERM set the
 * stop flag, SIGHUP the reload flag (the handlers do nothing else);
 * SIGPIPE is ignored so a closed pipe is an EPIPE write error, not a kill.
 */
void pf_signals_init(void);
/* 1 once SIGINT or SIGTERM arrived. */
int pf_stop_requested(void);
/* 1 if SIGHUP arrived since the last call (the flag is cleared). */
int pf_reload_requested(void);

/*
 * Optional observer called with every relative path the platform opens
 * (used by "headroom sample --trace-reads" and tools/capture-fixture, so
 * a capture copies exactly the files the agent reads).  NULL to clear.
 */
typedef void (*pf_trace_fn)(const char *rel);
void pf_trace_set(pf_trace_fn fn);

#endif
