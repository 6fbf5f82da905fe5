/*
 * linux.c - the Linux implementation of platform.h: root-relative file
 * reads with fixed buffers, statvfs, clocks and sleeping.
 *
 * Files are opened with openat() relative to a directory descriptor of
 * the root, so no path is ever assembled in a buffer that could overflow,
 * and nothing (unlike stdio or opendir) allocates.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/random.h>
#include <sys/statvfs.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "../agent/limits.h"
#include "platform.h"
#include "procfs.h"
#include "scan.h"

static char        root_path[PATH_MAX] = "/";
static int         recorded_statvfs;   /* root has .headroom/statvfs */
static int         root_fd = -1;
static pf_trace_fn trace_fn;

static void fd_cache_flush(void);

void
pf_trace_set(pf_trace_fn fn)
{
	trace_fn = fn;
}

int
pf_root_set(const char *dir)
{
	int fd;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(root_path))
		return HR_EINVAL;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return HR_EINVAL;
	fd_cache_flush();
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
	memcpy(root_path, dir, n + 1);
	recorded_statvfs = strcmp(dir, "/") != 0 &&
	    faccessat(fd, ".headroom/statvfs", F_OK, 0) == 0;
	return 0;
}

const char *
pf_root(void)
{
	return root_path;
}

static int
root_dirfd(void)
{
	if (root_fd < 0)
		root_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return root_fd;
}

/*
 * Descriptor cache.  procfs, sysfs and regular files all give fresh
 * content when read again from offset 0, so a file read every sample is
 * opened once and re-read with pread(): that saves the open and close
 * system calls, which are most of the cost of sampling.  The cache has
 * HR_FD_CACHE slots, is emptied when the root changes, and an entry whose
 * read fails (e.g. ENODEV: the interface behind a sysfs file was removed)
 * is closed and the file opened afresh once.  Files beyond the cache are
 * opened and closed per read, as before.
 */
struct fd_slot {
	char     rel[HR_PATH_LEN];
	int      fd;
	uint64_t used;        /* last use, for replacing the oldest slot */
};

static struct fd_slot fd_cache[HR_FD_CACHE];
static uint32_t       fd_ncache;
static uint64_t       fd_clock;

static void
fd_cache_flush(void)
{
	uint32_t i;

	for (i = 0; i < fd_ncache; i++)
		close(fd_cache[i].fd);
	fd_ncache = 0;
}

static int
open_rel(const char *rel)
{
	int fd;

	if (trace_fn != NULL)
		trace_fn(rel);
	do
		fd = openat(root_dirfd(), rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	return fd;
}

/*
 * A descriptor for rel: from the cache, or newly opened (and cached when
 * the path fits a slot).  *cached tells the caller whether to close it.
 */
static int
fd_get(const char *rel, bool *cached)
{
	struct fd_slot *victim = NULL;
	size_t n = strlen(rel);
	uint32_t i;
	int fd;

	fd_clock++;
	for (i = 0; i < fd_ncache; i++) {
		if (strcmp(fd_cache[i].rel, rel) == 0) {
			fd_cache[i].used = fd_clock;
			*cached = true;
			return fd_cache[i].fd;
		}
	}
	*cached = false;
	if ((fd = open_rel(rel)) < 0 || n >= HR_PATH_LEN)
		return fd;
	if (fd_ncache < HR_FD_CACHE) {
		victim = &fd_cache[fd_ncache++];
	} else {
		victim = &fd_cache[0];
		for (i = 1; i < HR_FD_CACHE; i++)
			if (fd_cache[i].used < victim->used)
				victim = &fd_cache[i];
		close(victim->fd);
	}
	memcpy(victim->rel, rel, n + 1);
	victim->fd = fd;
	victim->used = fd_clock;
	*cached = true;
	return fd;
}

/* Forget a cached descriptor after a failed read. */
static void
fd_drop(int fd)
{
	uint32_t i;

	for (i = 0; i < fd_ncache; i++) {
		if (fd_cache[i].fd == fd) {
			close(fd);
			fd_cache[i] = fd_cache[--fd_ncache];
			return;
		}
	}
	close(fd);
}

static void
fd_put(int fd, bool cached)
{
	if (!cached)
		close(fd);
}

static int
errno_to_hr(int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: case EACCES: case EPERM: case ENODEV:
	case ENXIO: case EOPNOTSUPP: case EINVAL:
		/* EINVAL: e.g. .../speed of a link without a speed */
		return HR_ENOENT;
	default:
		return HR_EIO;
	}
}

static ssize_t
pread_retry(int fd, char *buf, size_t n, off_t off)
{
	ssize_t r;

	do
		r = pread(fd, buf, n, off);
	while (r < 0 && errno == EINTR);
	return r;
}

static const char *
strip_root(const char *rel)
{
	while (*rel == '/')
		rel++;
	return rel;
}

/*
 * Read up to cap bytes from offset 0 of rel into buf (*len bytes).
 * Retries once with a fresh descriptor when a cached one fails.  Returns
 * 0 or an HR_E* code; *more is set when the file has data beyond cap.
 */
static int
read_whole(const char *rel, char *buf, size_t cap, size_t *len, bool *more)
{
	bool cached;
	int fd, attempt, rc = 0;
	size_t off;
	ssize_t r;
	char extra;

	rel = strip_root(rel);
	for (attempt = 0; attempt < 2; attempt++) {
		if ((fd = fd_get(rel, &cached)) < 0)
			return errno_to_hr(errno);
		off = 0;
		rc = 0;
		while (off < cap) {
			r = pread_retry(fd, buf + off, cap - off, (off_t)off);
			if (r < 0) {
				rc = errno_to_hr(errno);
				break;
			}
			if (r == 0)
				break;
			off += (size_t)r;
		}
		if (rc != 0 && cached) {
			fd_drop(fd);      /* stale: device gone or re-created */
			continue;
		}
		*more = rc == 0 && off == cap &&
		    pread_retry(fd, &extra, 1, (off_t)off) > 0;
		fd_put(fd, cached);
		*len = off;
		return rc;
	}
	*len = 0;
	return rc;
}

int
pf_read_file(const char *rel, char *buf, size_t cap, size_t *len)
{
	bool more = false;
	int rc;

	*len = 0;
	if (cap == 0)
		return HR_ETRUNC;
	rc = read_whole(rel, buf, cap - 1, len, &more);
	buf[*len] = '\0';
	if (rc == 0 && more)
		rc = HR_ETRUNC;
	return rc;
}

/*
 * Line reader: one fixed buffer of HR_LINE_MAX bytes, filled with pread
 * at increasing offsets; a line that does not fit is skipped up to its
 * newline and counted.  Not reentrant (one static buffer): parsers never
 * read files themselves.
 */
int
pf_read_lines(const char *rel, pf_line_fn fn, void *ctx,
    uint64_t *long_lines)
{
	static char buf[HR_LINE_MAX + 1];
	size_t have = 0, start, i;
	char *nl;
	bool skipping = false, cached;
	off_t pos = 0;
	ssize_t r;
	int fd, rc = 0;

	rel = strip_root(rel);
	if ((fd = fd_get(rel, &cached)) < 0)
		return errno_to_hr(errno);
	for (;;) {
		r = pread_retry(fd, buf + have, HR_LINE_MAX - have, pos);
		if (r < 0 && cached && pos == 0) {
			/* stale cached descriptor: reopen once */
			fd_drop(fd);
			if ((fd = fd_get(rel, &cached)) < 0)
				return errno_to_hr(errno);
			continue;
		}
		if (r < 0) {
			rc = errno_to_hr(errno);
			break;
		}
		if (r == 0) {
			/* last line without a newline */
			if (have > 0 && !skipping) {
				buf[have] = '\0';
				rc = fn(ctx, buf, have);
			}
			break;
		}
		pos += r;
		have += (size_t)r;
		start = 0;
		while ((nl = memchr(buf + start, '\n', have - start)) != NULL) {
			i = (size_t)(nl - buf);
			if (skipping) {
				skipping = false;
			} else {
				buf[i] = '\0';
				if ((rc = fn(ctx, buf + start, i - start)) != 0)
					goto out;
			}
			start = i + 1;
		}
		if (start > 0) {
			memmove(buf, buf + start, have - start);
			have -= start;
		} else if (have == HR_LINE_MAX) {
			/* no newline in a full buffer: drop the line */
			if (!skipping && long_lines != NULL)
				(*long_lines)++;
			skipping = true;
			have = 0;
		}
	}
out:
	fd_put(fd, cached);
	return rc;
}

int
pf_exists(const char *rel)
{
	while (*rel == '/')
		rel++;
	if (trace_fn != NULL)
		trace_fn(rel);
	return faccessat(root_dirfd(), rel, F_OK, 0) == 0;
}

/* Recorded statvfs figures: ".headroom/statvfs" under the root. */
struct rec_find {
	const char       *path;
	struct pf_fsstat *out;
	bool              found;
};

static int
rec_line(void *vctx, const char *line, size_t len)
{
	struct rec_find *f = vctx;
	char path[HR_PATH_LEN];
	struct scan sc;
	const char *w;
	size_t wl;
	struct pf_fsstat st;

	scan_init(&sc, line, len);
	if (!scan_word(&sc, &w, &wl) ||
	    pp_unescape(w, wl, path, sizeof(path)) != 0 ||
	    strcmp(path, f->path) != 0)
		return 0;
	if (!scan_u64(&sc, &st.frsize) || !scan_u64(&sc, &st.blocks) ||
	    !scan_u64(&sc, &st.bfree) || !scan_u64(&sc, &st.bavail) ||
	    !scan_u64(&sc, &st.files) || !scan_u64(&sc, &st.ffree))
		return HR_EINVAL;
	*f->out = st;
	f->found = true;
	return 1;
}

int
pf_statvfs(const char *path, struct pf_fsstat *out)
{
	struct rec_find f = { path, out, false };
	struct statvfs sv;
	char full[PATH_MAX];
	size_t rl = strlen(root_path), pl = strlen(path);
	int rc;

	if (recorded_statvfs) {
		rc = pf_read_lines(".headroom/statvfs", rec_line, &f, NULL);
		if (rc < 0)
			return rc == HR_ENOENT ? HR_ENOENT : HR_EIO;
		return f.found ? 0 : HR_ENOENT;
	}
	if (rl + pl + 2 > sizeof(full))
		return HR_EINVAL;
	memcpy(full, root_path, rl);
	if (rl > 0 && full[rl - 1] == '/')
		rl--;
	full[rl] = '\0';
	if (path[0] != '/')
		full[rl++] = '/';
	memcpy(full + rl, path, pl + 1);
	if (trace_fn != NULL) {
		char tag[HR_PATH_LEN + 16];
		size_t tl = pl < HR_PATH_LEN ? pl : HR_PATH_LEN - 1;

		memcpy(tag, "statvfs:", 8);
		memcpy(tag + 8, path, tl);
		tag[8 + tl] = '\0';
		trace_fn(tag);
	}
	if (statvfs(full, &sv) != 0)
		return errno_to_hr(errno);
	out->frsize = sv.f_frsize ? sv.f_frsize : sv.f_bsize;
	out->blocks = sv.f_blocks;
	out->bfree = sv.f_bfree;
	out->bavail = sv.f_bavail;
	out->files = sv.f_files;
	out->ffree = sv.f_ffree;
	return 0;
}

uint64_t
pf_mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

int64_t
pf_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + (int64_t)ts.tv_nsec;
}

int
pf_sleep_until(uint64_t mono_us)
{
	struct timespec ts;
	int rc;

	ts.tv_sec = (time_t)(mono_us / 1000000u);
	ts.tv_nsec = (long)(mono_us % 1000000u) * 1000;
	rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	return rc == 0 ? 0 : (rc == EINTR ? HR_EINTR : HR_EIO);
}

static volatile sig_atomic_t stop_flag, reload_flag;

/* Handlers set flags and nothing else: the poll loop acts on them. */
static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void
on_reload(int sig)
{
	(void)sig;
	reload_flag = 1;
}

void
pf_signals_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_reload;
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
pf_stop_requested(void)
{
	return stop_flag != 0;
}

int
pf_reload_requested(void)
{
	if (!reload_flag)
		return 0;
	reload_flag = 0;
	return 1;
}

int
pf_random(void *buf, size_t n)
{
	uint8_t *p = buf;
	ssize_t r;

	while (n > 0) {
		r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return HR_EIO;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
pf_hostname(char *buf, size_t cap)
{
	struct utsname u;
	size_t n;

	if (cap == 0 || uname(&u) != 0)
		return HR_EIO;
	n = strlen(u.nodename);
	if (n >= cap)
		return HR_ETRUNC;     /* a cut name could be another host's */
	memcpy(buf, u.nodename, n);
	buf[n] = '\0';
	return 0;
}

int
pf_open_read(const char *path, int *fd)
{
	if (strcmp(path, "-") == 0) {
		*fd = STDIN_FILENO;
		return 0;
	}
	do
		*fd = open(path, O_RDONLY | O_CLOEXEC);
	while (*fd < 0 && errno == EINTR);
	return *fd < 0 ? errno_to_hr(errno) : 0;
}

int
pf_read_some(int fd, void *buf, size_t cap, size_t *got)
{
	ssize_t r;

	do
		r = read(fd, buf, cap);
	while (r < 0 && errno == EINTR);
	*got = r > 0 ? (size_t)r : 0;
	return r < 0 ? HR_EIO : 0;
}

void
pf_close(int fd)
{
	if (fd != STDIN_FILENO)
		close(fd);
}

int
pf_file_check(const char *path, int secret, char *why, size_t cap)
{
	struct stat st;

	if (stat(path, &st) != 0) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return HR_EINVAL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, cap, "%s: not a regular file", path);
		return HR_EINVAL;
	}
	if (access(path, R_OK) != 0) {
		snprintf(why, cap, "%s: %s", path, strerror(errno));
		return HR_EINVAL;
	}
	if (secret && (st.st_mode & 077) != 0) {
		snprintf(why, cap, "%s: mode %04o lets group or others read "
		    "or write a secret; chmod 600 it", path,
		    (unsigned)(st.st_mode & 07777));
		return HR_EINVAL;
	}
	return 0;
}
