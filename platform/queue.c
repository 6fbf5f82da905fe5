/*
 * queue.c - Linux implementation of queue.h: application-queue probes.
 *
 * Nothing here allocates: directories are read with getdents64 into a
 * stack buffer (opendir allocates), files with one pread into a stack
 * buffer, a command's output into the queue's own fixed buffer.
 */
#define _GNU_SOURCE            /* pipe2, SYS_getdents64, DT_*, waitid */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "queue.h"
#include "scan.h"

#define FILE_READ       256        /* bytes of a file looked at */
#define QSIZE_READ      256        /* a /dev/mqueue file is one short line */
#define DIRBUF          4096       /* getdents64 buffer */
/* How often an exiting command is checked for: it has closed its output,
 * so it is normally gone at once. */
#define REAP_POLL_US    2000ULL
/* How often a running command is checked for having exited while its
 * output stays open (something it started in the background holds it). */
#define EXITED_POLL_US  50000ULL
/* A killed process not gone by then is left to a later call. */
#define DYING_MAX_US    1000000ULL
#define CANCEL_WAIT_US  100000ULL
#define MQUEUE_DIR      "/dev/mqueue"
#define DEFAULT_PATH    "/usr/local/bin:/usr/bin:/bin"

enum run_state {
	RUN_IDLE = 0,
	RUN_READING,            /* output open, process alive */
	RUN_REAPING,            /* output closed, waiting for the exit */
	RUN_DYING               /* killed, outcome decided, waiting to reap */
};

/*
 * What the child writes to its output when it cannot execute the
 * command: a NUL first, so it cannot be mistaken for a number, then a
 * tag and errno.  Less than PIPE_BUF bytes: written and read whole.
 */
struct exec_fail {
	char tag[4];            /* "\0hrE" (exec) or "\0hrN" (/dev/null) */
	int  err;
};

static void say(char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
say(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why == NULL || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
}

static uint64_t
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* ---- numbers ------------------------------------------------------------- */

enum { NUM_OK = 0, NUM_EMPTY, NUM_BAD, NUM_RANGE };

/*
 * The first blank-separated word must be a non-negative decimal number
 * ending at a blank or at the end.  cut: the text was cut at the size
 * of the buffer, so a number running up to its end may go on (refused).
 */
static int
parse_number(const char *p, size_t len, int cut, double *out)
{
	struct scan sc;
	double d;

	scan_init(&sc, p, len);
	if (scan_eof(&sc))
		return NUM_EMPTY;
	if (!scan_udouble(&sc, &d) || (cut && sc.p >= sc.end))
		return NUM_BAD;
	/* 400 digits overflow a double to infinity: not a queue depth */
	if (!isfinite(d))
		return NUM_RANGE;
	*out = d;
	return NUM_OK;
}

static int
number_result(struct pf_queue *q, int num, const char *empty)
{
	switch (num) {
	case NUM_OK:
		return 0;
	case NUM_EMPTY:
		say(q->why, sizeof(q->why), "%s", empty);
		return HR_EINVAL;
	case NUM_RANGE:
		say(q->why, sizeof(q->why), "number out of range");
		return HR_ERANGE;
	}
	say(q->why, sizeof(q->why), "not a number");
	return HR_EINVAL;
}

static void
val_set(struct pf_queue_val *v, double depth, double limit, int unit)
{
	v->depth = depth;
	v->limit = limit;
	v->unit = unit;
	v->at_least = 0;
}

/* ---- command splitting --------------------------------------------------- */

static int
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int
pf_queue_split(const char *cmd, struct pf_queue_argv *av, char *why,
    size_t cap)
{
	const char *p;
	size_t n = 0;
	int inword = 0, quoted = 0;
	char c;

	av->argc = 0;
	for (p = cmd;; p++) {
		c = *p;
		if (quoted) {
			if (c == '\0') {
				say(why, cap, "unterminated quote");
				goto fail;
			}
			if (c == '"') {
				quoted = 0;
				continue;
			}
			/* \" and \\ only: "\d" stays as written, as in sh */
			if (c == '\\' && (p[1] == '"' || p[1] == '\\'))
				c = *++p;
		} else if (c == '\0' || is_blank(c)) {
			if (inword) {
				av->buf[n++] = '\0';   /* room kept below */
				av->argc++;
				inword = 0;
			}
			if (c == '\0')
				break;
			continue;
		} else if (strchr("'\\|&;<>`$", c) != NULL) {
			say(why, cap, "'%c' outside double quotes: commands "
			    "run without a shell", c);
			goto fail;
		}
		if (!inword) {
			if (av->argc == PF_QUEUE_ARGC_MAX) {
				say(why, cap, "more than %d words",
				    PF_QUEUE_ARGC_MAX);
				goto fail;
			}
			inword = 1;
		}
		if (c == '"' && !quoted) {
			quoted = 1;
			continue;
		}
		/* keep one byte for the word's NUL */
		if (n + 1 >= sizeof(av->buf)) {
			say(why, cap, "longer than %zu bytes",
			    sizeof(av->buf) - 1);
			goto fail;
		}
		av->buf[n++] = c;
	}
	if (av->argc == 0) {
		say(why, cap, "empty command");
		goto fail;
	}
	if (av->buf[0] == '\0') {
		say(why, cap, "empty command name");
		goto fail;
	}
	return 0;
fail:
	av->argc = 0;
	return HR_EINVAL;
}

const char *
pf_queue_word(const struct pf_queue_argv *av, unsigned i)
{
	const char *w = av->buf;

	while (i-- > 0)
		w += strlen(w) + 1;
	return w;
}

/* ---- set-up -------------------------------------------------------------- */

/* "/NAME" for mq_open, from "/NAME" or "/dev/mqueue/NAME"; NULL when the
 * path points into another directory (another mqueue mount). */
static const char *
mq_name(const char *path)
{
	const char *d = MQUEUE_DIR "/";

	if (strchr(path + 1, '/') == NULL)
		return path;
	if (strncmp(path, d, strlen(d)) == 0 &&
	    strchr(path + strlen(d), '/') == NULL)
		return path + strlen(MQUEUE_DIR);
	return NULL;
}

int
pf_queue_init(struct pf_queue *q, const char *name, int type,
    const char *arg, uint64_t timeout_us, char *why, size_t cap)
{
	size_t len = strlen(arg);

	memset(q, 0, sizeof(*q));
	q->pid = -1;
	q->fd = -1;
	if (name[0] == '\0' || strlen(name) >= sizeof(q->name)) {
		say(why, cap, "queue name must have 1 to %zu characters",
		    sizeof(q->name) - 1);
		return HR_EINVAL;
	}
	memcpy(q->name, name, strlen(name) + 1);
	q->type = type;
	switch (type) {
	case PF_QUEUE_DIR:
	case PF_QUEUE_FILE:
	case PF_QUEUE_MQUEUE:
		if (arg[0] != '/') {
			say(why, cap, "path must be absolute");
			return HR_EINVAL;
		}
		if (len >= sizeof(q->path)) {
			say(why, cap, "path longer than %zu bytes",
			    sizeof(q->path) - 1);
			return HR_EINVAL;
		}
		if (type == PF_QUEUE_MQUEUE && (arg[len - 1] == '/' ||
		    len == 1 || (mq_name(arg) != NULL &&
		    strlen(mq_name(arg)) < 2))) {
			say(why, cap, "not a message queue name");
			return HR_EINVAL;
		}
		memcpy(q->path, arg, len + 1);
		return 0;
	case PF_QUEUE_EXEC:
		if (timeout_us == 0 || timeout_us > PF_QUEUE_TIMEOUT_MAX_US) {
			say(why, cap, "timeout must be 1us .. %llus",
			    (unsigned long long)(PF_QUEUE_TIMEOUT_MAX_US /
			    1000000));
			return HR_EINVAL;
		}
		q->timeout_us = timeout_us;
		return pf_queue_split(arg, &q->argv, why, cap);
	}
	say(why, cap, "unknown queue type");
	return HR_EINVAL;
}

/* ---- dir, file, mqueue --------------------------------------------------- */

static int
open_err(struct pf_queue *q, const char *what)
{
	say(q->why, sizeof(q->why), "%s: %s", what, strerror(errno));
	return errno == ENOENT || errno == ENOTDIR ? HR_ENOENT : HR_EIO;
}

/* The kernel's struct linux_dirent64, read by offsets (no aliasing). */
struct kdirent {
	uint64_t       ino;
	int64_t        off;
	unsigned short reclen;
	unsigned char  type;
	char           name[];
};

static int
probe_dir(struct pf_queue *q, struct pf_queue_val *v)
{
	union {
		char     b[DIRBUF];
		uint64_t align;         /* records are 8-byte aligned */
	} u;
	struct stat st;
	uint64_t count = 0;
	unsigned short reclen;
	unsigned char type;
	const char *name;
	long got, off;
	int fd, rc = 0, full = 0;

	fd = open(q->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return open_err(q, "cannot open directory");
	while (!full) {
		got = syscall(SYS_getdents64, fd, u.b, sizeof(u.b));
		if (got < 0) {
			rc = open_err(q, "cannot read directory");
			break;
		}
		if (got == 0)
			break;
		for (off = 0; off < got; off += reclen) {
			memcpy(&reclen, u.b + off +
			    offsetof(struct kdirent, reclen), sizeof(reclen));
			memcpy(&type, u.b + off +
			    offsetof(struct kdirent, type), sizeof(type));
			name = u.b + off + offsetof(struct kdirent, name);
			if (reclen == 0)
				break;
			/* ".", ".." and files still being written */
			if (name[0] == '.')
				continue;
			/* some file systems do not fill in the type */
			if (type == DT_UNKNOWN) {
				if (fstatat(fd, name, &st,
				    AT_SYMLINK_NOFOLLOW) != 0)
					continue;       /* gone meanwhile */
				type = S_ISDIR(st.st_mode) ? DT_DIR : DT_REG;
			}
			if (type == DT_DIR)
				continue;
			if (++count >= PF_QUEUE_DIR_MAX) {
				full = 1;
				break;
			}
		}
	}
	close(fd);
	if (rc != 0)
		return rc;
	val_set(v, (double)count, 0, PF_QUEUE_ITEMS);
	v->at_least = full;
	return 0;
}

/*
 * Read the start of a file without blocking (a FIFO would block open
 * and read): at most cap bytes, several reads for procfs-like files.
 */
static int
read_start(struct pf_queue *q, const char *path, char *buf, size_t cap,
    size_t *len)
{
	struct stat st;
	ssize_t k;
	int fd;

	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return open_err(q, "cannot open");
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		say(q->why, sizeof(q->why), "not a regular file");
		return HR_EINVAL;
	}
	while (*len < cap) {
		k = pread(fd, buf + *len, cap - *len, (off_t)*len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int rc = open_err(q, "cannot read");
			close(fd);
			return rc;
		}
		if (k == 0)
			break;
		*len += (size_t)k;
	}
	close(fd);
	return 0;
}

static int
probe_file(struct pf_queue *q, struct pf_queue_val *v)
{
	char buf[FILE_READ];
	size_t len;
	double d = 0;
	int rc;

	if ((rc = read_start(q, q->path, buf, sizeof(buf), &len)) != 0)
		return rc;
	rc = number_result(q, parse_number(buf, len, len == sizeof(buf), &d),
	    "empty");
	if (rc == 0)
		val_set(v, d, 0, PF_QUEUE_ITEMS);
	return rc;
}

/* "QSIZE:129   NOTIFY:0 ..." of a file of an mqueue file system. */
static int
read_qsize(struct pf_queue *q, const char *path, struct pf_queue_val *v)
{
	char buf[QSIZE_READ];
	struct scan sc;
	uint64_t bytes;
	size_t len;
	int rc;

	if ((rc = read_start(q, path, buf, sizeof(buf), &len)) != 0)
		return rc;
	scan_init(&sc, buf, len);
	if (!scan_lit(&sc, "QSIZE:") || !scan_u64(&sc, &bytes)) {
		say(q->why, sizeof(q->why), "no QSIZE field: not a message "
		    "queue file");
		return HR_EINVAL;
	}
	val_set(v, (double)bytes, 0, PF_QUEUE_BYTES);
	return 0;
}

static int
probe_mqueue(struct pf_queue *q, struct pf_queue_val *v)
{
	char file[sizeof(MQUEUE_DIR) + PF_QUEUE_PATH_LEN];
	const char *name = mq_name(q->path);
	struct mq_attr at;
	mqd_t mq;
	int e, rc;

	if (name == NULL)
		return read_qsize(q, q->path, v);
	mq = mq_open(name, O_RDONLY | O_NONBLOCK);
	if (mq != (mqd_t)-1) {
		rc = mq_getattr(mq, &at);
		e = errno;
		mq_close(mq);
		if (rc != 0) {
			say(q->why, sizeof(q->why), "mq_getattr: %s",
			    strerror(e));
			return HR_EIO;
		}
		val_set(v, (double)at.mq_curmsgs, (double)at.mq_maxmsg,
		    PF_QUEUE_ITEMS);
		return 0;
	}
	e = errno;
	if (e == EINVAL || e == ENAMETOOLONG) {
		say(q->why, sizeof(q->why), "mq_open: %s", strerror(e));
		return HR_EINVAL;
	}
	/* not permitted, or another IPC namespace: the file system view */
	snprintf(file, sizeof(file), "%s%s", MQUEUE_DIR, name);
	rc = read_qsize(q, file, v);
	if (rc == HR_ENOENT || (rc != 0 && e != ENOENT)) {
		/* the first failure says more than "no /dev/mqueue" */
		say(q->why, sizeof(q->why), "mq_open: %s", strerror(e));
		return e == ENOENT ? HR_ENOENT : HR_EIO;
	}
	return rc;
}

int
pf_queue_probe(struct pf_queue *q, struct pf_queue_val *v)
{
	int rc;

	q->why[0] = '\0';
	switch (q->type) {
	case PF_QUEUE_DIR:
		rc = probe_dir(q, v);
		break;
	case PF_QUEUE_FILE:
		rc = probe_file(q, v);
		break;
	case PF_QUEUE_MQUEUE:
		rc = probe_mqueue(q, v);
		break;
	default:
		say(q->why, sizeof(q->why), "not a probe type");
		rc = HR_EINVAL;
	}
	return rc;
}

/* ---- exec: the child ----------------------------------------------------- */

static void
child_fail(int fd, char stage, int err)
{
	struct exec_fail m;

	memset(&m, 0, sizeof(m));
	m.tag[1] = 'h';
	m.tag[2] = 'r';
	m.tag[3] = stage;
	m.err = err;
	(void)!write(fd, &m, sizeof(m));
	_exit(127);
}

static void
close_from(int lo)
{
	long max, fd;

#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lo, ~0U, 0) == 0)
		return;
#endif
	/* kernels before 5.9: one close per possible descriptor */
	max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (fd = lo; fd < max; fd++)
		(void)close((int)fd);
}

/*
 * execv along PATH, as execvp does, but without execvp's retry of a
 * file without a "#!" line through /bin/sh: no shell, ever.
 */
static void
exec_path(char **argv)
{
	char cand[4096];
	const char *path, *p, *e;
	size_t dl, nl = strlen(argv[0]);
	int eacces = 0;

	if (strchr(argv[0], '/') != NULL) {
		execv(argv[0], argv);
		return;
	}
	if ((path = getenv("PATH")) == NULL)
		path = DEFAULT_PATH;
	for (p = path;; p = e + 1) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		dl = (size_t)(e - p);
		if (dl == 0) {
			p = ".";        /* an empty element is "." */
			dl = 1;
		}
		if (dl + 1 + nl < sizeof(cand)) {
			memcpy(cand, p, dl);
			cand[dl] = '/';
			memcpy(cand + dl + 1, argv[0], nl + 1);
			execv(cand, argv);
			if (errno == EACCES)
				eacces = 1;
			else if (errno != ENOENT && errno != ENOTDIR &&
			    errno != ELOOP && errno != ENAMETOOLONG)
				return;         /* found, but it cannot run */
		}
		if (*e == '\0')
			break;
	}
	errno = eacces ? EACCES : ENOENT;
}

static void
child_exec(int wfd, char **argv)
{
	struct sigaction sa;
	sigset_t none;
	int s, null, out;

	/* its own group: one kill reaches everything it starts */
	(void)setpgid(0, 0);
	/* the agent ignores SIGPIPE, and exec keeps ignored signals */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	for (s = 1; s < NSIG; s++)
		(void)sigaction(s, &sa, NULL);
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);

	/* above 2 first: a daemon may have started with 0-2 closed, and
	 * then the pipe itself sits there */
	if ((out = fcntl(wfd, F_DUPFD, 3)) < 0)
		child_fail(wfd, 'E', errno);
	if ((null = open("/dev/null", O_RDWR)) < 0)
		child_fail(out, 'N', errno);
	if ((s = fcntl(null, F_DUPFD, 3)) < 0)
		child_fail(out, 'N', errno);
	null = s;
	if (dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(null, 2) < 0)
		child_fail(out, 'E', errno);
	/* nothing of the agent's (sockets, keys) reaches the command */
	close_from(3);
	exec_path(argv);
	child_fail(1, 'E', errno);
}

/* ---- exec: the parent ---------------------------------------------------- */

/* Reap pid if it has exited; 1 when reaped (or not ours any more). */
static int
reap_nohang(struct pf_queue *q)
{
	pid_t r;

	do
		r = waitpid(q->pid, NULL, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return 0;
	q->pid = -1;
	return 1;
}

static void
kill_group(const struct pf_queue *q)
{
	/*
	 * pid is our unreaped child, so its number and its group's cannot
	 * have been reused: the kill reaches nothing else.  The second
	 * kill covers a child that did not get to setpgid.  Never with a
	 * pid of -1 or 0: kill(-1) and kill(0) reach far more.
	 */
	if (q->pid <= 1)
		return;
	(void)kill(-q->pid, SIGKILL);
	(void)kill(q->pid, SIGKILL);
}

static void
close_out(struct pf_queue *q)
{
	if (q->fd >= 0)
		close(q->fd);
	q->fd = -1;
}

/* Kill the run with outcome rc; the process is reaped by step. */
static int
kill_run(struct pf_queue *q, uint64_t now, int rc, const char *why)
{
	kill_group(q);
	close_out(q);
	q->kills++;
	q->failures++;
	q->result = rc;
	say(q->why, sizeof(q->why), "%s", why);
	q->state = RUN_DYING;
	q->killed_us = now;
	if (reap_nohang(q)) {
		q->state = RUN_IDLE;
		return rc;
	}
	q->wake_us = now + REAP_POLL_US;
	return HR_EAGAIN;
}

int
pf_queue_exec_start(struct pf_queue *q, uint64_t now_us)
{
	char *argv[PF_QUEUE_ARGC_MAX + 1];
	unsigned i;
	pid_t pid;
	int p[2];

	if (q->type != PF_QUEUE_EXEC || q->argv.argc == 0) {
		say(q->why, sizeof(q->why), "not a command queue");
		return HR_EINVAL;
	}
	if (q->state != RUN_IDLE) {
		say(q->why, sizeof(q->why), "still running");
		return HR_EAGAIN;
	}
	if (q->pid > 0) {
		/* a run given up while dying: never two processes */
		kill_group(q);
		if (!reap_nohang(q)) {
			say(q->why, sizeof(q->why), "the previous run has "
			    "not exited yet");
			return HR_EAGAIN;
		}
	}
	for (i = 0; i < q->argv.argc; i++)
		argv[i] = q->argv.buf + (pf_queue_word(&q->argv, i) -
		    q->argv.buf);
	argv[i] = NULL;
	/* the child's end stays blocking: commands expect a normal stdout */
	if (pipe2(p, O_CLOEXEC) != 0) {
		say(q->why, sizeof(q->why), "pipe: %s", strerror(errno));
		return HR_EIO;
	}
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) != 0 || (pid = fork()) < 0) {
		say(q->why, sizeof(q->why), "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return HR_EIO;
	}
	if (pid == 0)
		child_exec(p[1], argv);
	close(p[1]);
	/* also here, so that a kill right after start reaches the group */
	(void)setpgid(pid, pid);
	q->pid = pid;
	q->fd = p[0];
	q->state = RUN_READING;
	q->deadline_us = now_us + q->timeout_us;
	q->wake_us = q->deadline_us;
	q->outlen = 0;
	q->why[0] = '\0';
	q->runs++;
	return 0;
}

int
pf_queue_exec_fd(const struct pf_queue *q)
{
	return q->state == RUN_READING ? q->fd : -1;
}

uint64_t
pf_queue_exec_wake(const struct pf_queue *q)
{
	return q->wake_us;
}

/* Read what is there; 1 at end of output, 0 for more later, or the
 * outcome of a kill for too much output. */
static int
read_out(struct pf_queue *q, uint64_t now)
{
	ssize_t k;

	for (;;) {
		/* out has one byte more than allowed: reading it is the
		 * proof of too much output */
		k = read(q->fd, q->out + q->outlen,
		    sizeof(q->out) - q->outlen);
		if (k > 0) {
			q->outlen += (size_t)k;
			if (q->outlen > PF_QUEUE_OUT_MAX)
				return kill_run(q, now, HR_ETRUNC,
				    "too much output");
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		/* end of output, or a read error: the same for us */
		close_out(q);
		return 1;
	}
}

/* The outcome of a command that exited on its own (status as waitid). */
static int
outcome(struct pf_queue *q, const siginfo_t *si, struct pf_queue_val *v)
{
	struct exec_fail m;
	double d = 0;
	int rc;

	if (q->outlen >= sizeof(m) && q->out[0] == '\0' &&
	    q->out[1] == 'h' && q->out[2] == 'r') {
		memcpy(&m, q->out, sizeof(m));
		if (m.tag[3] == 'N')
			say(q->why, sizeof(q->why), "cannot open /dev/null: "
			    "%s", strerror(m.err));
		else
			say(q->why, sizeof(q->why), "cannot run %s: %s",
			    q->argv.buf, strerror(m.err));
		return m.err == ENOENT ? HR_ENOENT : HR_EIO;
	}
	if (si->si_code == CLD_KILLED || si->si_code == CLD_DUMPED) {
		say(q->why, sizeof(q->why), "killed by signal %d",
		    si->si_status);
		return HR_EIO;
	}
	if (si->si_status != 0) {
		say(q->why, sizeof(q->why), "exit %d", si->si_status);
		return HR_EIO;
	}
	rc = number_result(q, parse_number(q->out, q->outlen, 0, &d),
	    "no output");
	if (rc == 0) {
		val_set(v, d, 0, PF_QUEUE_ITEMS);
		q->why[0] = '\0';
	}
	return rc;
}

/* The command itself has exited (looked at without reaping it). */
static int
leader_exited(const struct pf_queue *q)
{
	siginfo_t si;
	int rc;

	memset(&si, 0, sizeof(si));
	while ((rc = waitid(P_PID, (id_t)q->pid, &si,
	    WEXITED | WNOHANG | WNOWAIT)) < 0 && errno == EINTR)
		;
	return rc < 0 || si.si_pid != 0;
}

/* Output closed: the outcome once the process has exited. */
static int
step_reaping(struct pf_queue *q, uint64_t now_us, struct pf_queue_val *v)
{
	siginfo_t si;
	int rc;

	/* look without reaping: while the child is a zombie, its pid and
	 * group cannot be reused, so kill_group is safe */
	memset(&si, 0, sizeof(si));
	while ((rc = waitid(P_PID, (id_t)q->pid, &si,
	    WEXITED | WNOHANG | WNOWAIT)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		/* SIGCHLD ignored by someone: reaped already */
		q->pid = -1;
		q->state = RUN_IDLE;
		q->failures++;
		say(q->why, sizeof(q->why), "exit status lost: %s",
		    strerror(errno));
		return HR_EIO;
	}
	if (si.si_pid == 0) {
		if (now_us >= q->deadline_us)
			return kill_run(q, now_us, HR_EIO, "timed out");
		q->wake_us = now_us + REAP_POLL_US;
		if (q->wake_us > q->deadline_us)
			q->wake_us = q->deadline_us;
		return HR_EAGAIN;
	}
	rc = outcome(q, &si, v);
	if (rc != 0)
		q->failures++;
	/* whatever it left running in its group goes with it */
	kill_group(q);
	(void)reap_nohang(q);           /* a zombie: reaped at once */
	q->state = RUN_IDLE;
	return rc;
}

int
pf_queue_exec_step(struct pf_queue *q, uint64_t now_us,
    struct pf_queue_val *v)
{
	int rc;

	switch (q->state) {
	case RUN_READING:
		rc = read_out(q, now_us);
		if (rc < 0)
			return rc;       /* killed: outcome, or reaping */
		if (rc == 0 && leader_exited(q)) {
			/* it printed and exited, but something it left in
			 * the background holds the output open: what was
			 * written by then is the answer (read it all, then
			 * its group is killed by step_reaping) */
			rc = read_out(q, now_us);
			if (rc < 0)
				return rc;
			if (q->fd >= 0)
				close_out(q);
			rc = 1;
		}
		if (rc == 0) {
			if (now_us >= q->deadline_us)
				return kill_run(q, now_us, HR_EIO,
				    "timed out");
			q->wake_us = now_us + EXITED_POLL_US;
			if (q->wake_us > q->deadline_us)
				q->wake_us = q->deadline_us;
			return HR_EAGAIN;
		}
		q->state = RUN_REAPING;
		return step_reaping(q, now_us, v);
	case RUN_REAPING:
		return step_reaping(q, now_us, v);
	case RUN_DYING:
		if (reap_nohang(q)) {
			q->state = RUN_IDLE;
			return q->result;
		}
		if (now_us >= q->killed_us + DYING_MAX_US) {
			/* stuck in the kernel: report now, reap later */
			q->state = RUN_IDLE;
			return q->result;
		}
		q->wake_us = now_us + REAP_POLL_US;
		return HR_EAGAIN;
	}
	say(q->why, sizeof(q->why), "not running");
	return HR_EINVAL;
}

int
pf_queue_exec_run(struct pf_queue *q, struct pf_queue_val *v)
{
	struct pollfd p;
	uint64_t now, wake, ms;
	int rc;

	if ((rc = pf_queue_exec_start(q, mono_us())) != 0)
		return rc;
	for (;;) {
		rc = pf_queue_exec_step(q, mono_us(), v);
		if (rc != HR_EAGAIN)
			return rc;
		now = mono_us();
		wake = pf_queue_exec_wake(q);
		ms = wake > now ? (wake - now + 999) / 1000 : 0;
		p.fd = pf_queue_exec_fd(q);
		p.events = POLLIN;
		p.revents = 0;
		/* fd -1 is ignored by poll: then this only sleeps */
		if (poll(&p, 1, (int)ms) < 0 && errno == EINTR) {
			pf_queue_exec_cancel(q);
			q->failures++;
			say(q->why, sizeof(q->why), "interrupted");
			return HR_EINTR;
		}
	}
}

void
pf_queue_exec_cancel(struct pf_queue *q)
{
	uint64_t until = mono_us() + CANCEL_WAIT_US;
	struct timespec ms = { 0, 1000000 };

	close_out(q);
	q->state = RUN_IDLE;
	if (q->pid <= 0)
		return;
	kill_group(q);
	while (!reap_nohang(q) && mono_us() < until)
		nanosleep(&ms, NULL);
}
