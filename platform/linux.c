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
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "../agent/limits.h"
#include "platform.h"
#include "procfs.h"
#include "scan.h"

static char        root_path[PATH_MAX] = "/";
static int         root_fd = -1;
static pf_trace_fn trace_fn;

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
	if (root_fd >= 0)
		close(root_fd);
	root_fd = fd;
	memcpy(root_path, dir, n + 1);
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

static int
open_rel(const char *rel)
{
	int fd;

	while (*rel == '/')
		rel++;
	if (trace_fn != NULL)
		trace_fn(rel);
	do
		fd = openat(root_dirfd(), rel, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	while (fd < 0 && errno == EINTR);
	return fd;
}

static int
errno_to_hr(int e)
{
	switch (e) {
	case ENOENT: case ENOTDIR: case EACCES: case EPERM: case ENODEV:
	case ENXIO: case EOPNOTSUPP:
		return HR_ENOENT;
	default:
		return HR_EIO;
	}
}

static ssize_t
read_retry(int fd, char *buf, size_t n)
{
	ssize_t r;

	do
		r = read(fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r;
}

int
pf_read_file(const char *rel, char *buf, size_t cap, size_t *len)
{
	size_t off = 0;
	ssize_t r;
	int fd, rc = 0;
	char extra;

	*len = 0;
	if (cap == 0)
		return HR_ETRUNC;
	if ((fd = open_rel(rel)) < 0)
		return errno_to_hr(errno);
	while (off < cap - 1) {
		r = read_retry(fd, buf + off, cap - 1 - off);
		if (r < 0) {
			/* e.g. EINVAL reading .../speed of a virtual link */
			rc = errno == EINVAL ? HR_ENOENT : errno_to_hr(errno);
			break;
		}
		if (r == 0)
			break;
		off += (size_t)r;
	}
	if (rc == 0 && off == cap - 1 && read_retry(fd, &extra, 1) > 0)
		rc = HR_ETRUNC;
	close(fd);
	buf[off] = '\0';
	*len = off;
	return rc;
}

/*
 * Line reader: one fixed buffer of HR_LINE_MAX bytes; a line that does not
 * fit is skipped up to its newline and counted.
 */
int
pf_read_lines(const char *rel, pf_line_fn fn, void *ctx,
    uint64_t *long_lines)
{
	static char buf[HR_LINE_MAX + 1];
	size_t have = 0, start, i;
	bool skipping = false;
	ssize_t r;
	int fd, rc = 0;

	if ((fd = open_rel(rel)) < 0)
		return errno_to_hr(errno);
	for (;;) {
		r = read_retry(fd, buf + have, HR_LINE_MAX - have);
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
		have += (size_t)r;
		start = 0;
		for (i = 0; i < have; i++) {
			if (buf[i] != '\n')
				continue;
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
	close(fd);
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

	if (strcmp(root_path, "/") != 0 &&
	    faccessat(root_dirfd(), ".headroom/statvfs", F_OK, 0) == 0) {
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

static volatile sig_atomic_t stop_flag;

static void
on_stop(int sig)
{
	(void)sig;
	stop_flag = 1;
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
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

int
pf_stop_requested(void)
{
	return stop_flag != 0;
}
