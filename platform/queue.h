/*
 * queue.h - probes of application queues declared in the configuration
 * ([queue.NAME] sections): how many items wait in a spool directory, a
 * number read from a file, the depth of a POSIX message queue, or a
 * number printed by a command.
 *
 * A struct pf_queue is owned by the caller, fixed in size, and set up
 * once at start-up by pf_queue_init(); probing it never allocates.
 * Paths are absolute paths of the host, not relative to the platform
 * root (pf_root_set): the queues belong to live applications, which a
 * recorded host tree cannot replay.
 *
 * dir, file and mqueue probes are single, short system calls and run
 * inline (pf_queue_probe).  An exec probe runs a command, which may take
 * any time or hang: it is asynchronous (pf_queue_exec_start, then
 * pf_queue_exec_step whenever its descriptor is readable or its wake-up
 * time has come), never blocks the poll loop, and has at most one
 * process per queue.  The command runs without a shell, in a process
 * group of its own, with stdin and stderr on /dev/null, as the agent's
 * user with the agent's environment and working directory.
 *
 * Return values are 0 or a negative HR_E* code (agent/err.h); a short
 * reason for the log is left in q->why.
 */
#ifndef HR_QUEUE_H
#define HR_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "../agent/err.h"

#define PF_QUEUE_NAME_LEN   32   /* queue name incl. NUL */
#define PF_QUEUE_PATH_LEN  256   /* dir / file / mqueue path incl. NUL */
#define PF_QUEUE_ARGC_MAX   16   /* words of an exec command */
#define PF_QUEUE_ARGS_LEN 1024   /* those words, each with its NUL */
#define PF_QUEUE_OUT_MAX   256   /* bytes of output read; more is killed */
#define PF_QUEUE_WHY_LEN    96   /* reason of the last failure incl. NUL */
#define PF_QUEUE_TIMEOUT_MAX_US (600ULL * 1000000)  /* longest timeout */
/*
 * A spool directory is counted up to this many entries; past it the
 * count stops (depth is then a lower bound, val.at_least = 1) so that a
 * runaway spool of millions of files cannot make every sample expensive.
 */
#define PF_QUEUE_DIR_MAX   (1u << 20)

enum pf_queue_type {
	PF_QUEUE_DIR = 1,        /* entries of a spool directory */
	PF_QUEUE_FILE,           /* a number read from a file */
	PF_QUEUE_MQUEUE,         /* a POSIX message queue */
	PF_QUEUE_EXEC            /* a number printed by a command */
};

/* What a depth counts. */
enum pf_queue_unit {
	PF_QUEUE_ITEMS = 1,      /* entries, messages, or the number itself */
	PF_QUEUE_BYTES           /* mqueue read through its QSIZE field */
};

/* The result of one probe. */
struct pf_queue_val {
	double  depth;           /* >= 0, finite */
	double  limit;           /* the queue's own capacity, 0 if unknown
	                            (mqueue: mq_maxmsg) */
	int     unit;            /* enum pf_queue_unit */
	int     at_least;        /* dir only: stopped at PF_QUEUE_DIR_MAX */
};

/* A command split into words (pf_queue_split): NUL-terminated words one
 * after the other in buf. */
struct pf_queue_argv {
	char     buf[PF_QUEUE_ARGS_LEN];
	unsigned argc;
};

struct pf_queue {
	char     name[PF_QUEUE_NAME_LEN];
	int      type;                     /* enum pf_queue_type */
	char     path[PF_QUEUE_PATH_LEN];  /* dir, file, mqueue */
	struct pf_queue_argv argv;         /* exec */
	uint64_t timeout_us;               /* exec */

	/* exec: the running command (pid > 0 while it is not reaped) */
	int      state;                    /* private (queue.c) */
	int      pid;                      /* also its process group */
	int      fd;                       /* its stdout, -1 when closed */
	uint64_t deadline_us;              /* killed at this time */
	uint64_t wake_us;                  /* step again at this time */
	uint64_t killed_us;                /* when SIGKILL was sent */
	int      result;                   /* decided outcome, while dying */
	size_t   outlen;
	char     out[PF_QUEUE_OUT_MAX + 1];

	/* exec: counters since start-up, for the agent's health figures */
	uint64_t runs;                     /* commands started */
	uint64_t failures;                 /* runs with no value, any cause */
	uint64_t kills;                    /* timed out or too much output */

	char     why[PF_QUEUE_WHY_LEN];    /* reason of the last failure,
	                                      empty after a success */
};

/*
 * Split a command line into words, without a shell, at configuration
 * time.  Blanks (space, tab, CR, LF) separate words; double quotes group
 * (a quoted part may be empty and may touch unquoted text: a"b c"d is
 * one word); inside double quotes a backslash escapes '"' and '\' and is
 * kept as it is before any other character.  Outside double quotes,
 * characters that only mean something to a shell (' \ | & ; < > ` $) are
 * refused, so that a command written for a shell fails at start-up
 * instead of running with surprising arguments.  At most
 * PF_QUEUE_ARGC_MAX words and PF_QUEUE_ARGS_LEN bytes (words and their
 * NULs).  Returns 0, or HR_EINVAL with the reason in why.
 */
int pf_queue_split(const char *cmd, struct pf_queue_argv *av, char *why,
    size_t cap);
/* The i-th word of av (i < av->argc). */
const char *pf_queue_word(const struct pf_queue_argv *av, unsigned i);

/*
 * Set up q at start-up: arg is the path (dir, file, mqueue) or the
 * command (exec, split with pf_queue_split); timeout_us is used by exec
 * only (1 us .. PF_QUEUE_TIMEOUT_MAX_US).  An mqueue is "/NAME" or a
 * path "/dev/mqueue/NAME" (both mean the same queue), or a path into
 * another mount of an mqueue file system (read through QSIZE only).
 * Returns 0, or HR_EINVAL with the reason in why.  q must not be running
 * a command (pf_queue_exec_cancel first): its process would be lost.
 */
int pf_queue_init(struct pf_queue *q, const char *name, int type,
    const char *arg, uint64_t timeout_us, char *why, size_t cap);

/*
 * Probe a dir, file or mqueue queue (HR_EINVAL for exec).
 *
 * dir: entries of the directory that are not directories themselves
 *   and whose names do not start with '.': spool writers keep files in
 *   progress as dot-files, and subdirectories (maildir's tmp/new/cur,
 *   hashed spools) are structure, not items.  Symbolic links count,
 *   without being followed.  Missing directory: HR_ENOENT.
 * file: the first blank-separated word of the file's first 256 bytes
 *   must be a non-negative decimal number ("42", "17.5"), optionally
 *   after blanks; whatever follows it is ignored ("42 jobs" is 42).
 *   Empty, "abc", "12abc", "-3": HR_EINVAL.  Not a regular file (a FIFO
 *   would block): HR_EINVAL.  Missing: HR_ENOENT.
 * mqueue: mq_open(O_RDONLY | O_NONBLOCK) and mq_getattr: depth is
 *   mq_curmsgs messages, limit mq_maxmsg.  When mq_open fails (not
 *   permitted by a sandbox, or the queue lives in another IPC
 *   namespace), the QSIZE field of /dev/mqueue/NAME is read instead:
 *   depth is then the bytes of all queued messages (unit
 *   PF_QUEUE_BYTES) and limit is unknown.  No such queue: HR_ENOENT.
 */
int pf_queue_probe(struct pf_queue *q, struct pf_queue_val *v);

/*
 * exec: start the command at monotonic time now_us.  HR_EAGAIN if the
 * previous run is still going or its process could not be reaped yet
 * (one process per queue, never more); HR_EIO if fork or pipe failed.
 * A command that cannot be executed is reported by exec_step.
 */
int pf_queue_exec_start(struct pf_queue *q, uint64_t now_us);

/* The descriptor to poll for PF_IN, or -1 (then only the wake-up time
 * matters). */
int pf_queue_exec_fd(const struct pf_queue *q);

/* The monotonic time by which exec_step must be called again even if
 * the descriptor stays quiet (deadline, or a short reap interval). */
uint64_t pf_queue_exec_wake(const struct pf_queue *q);

/*
 * Advance the run: read what output is available, check the deadline,
 * reap the process.  Returns HR_EAGAIN while not finished (call again
 * on PF_IN or at the wake-up time), then once the outcome, with no
 * process and no descriptor left:
 *   0          *v holds the number printed (the rule of file probes)
 *   HR_EINVAL  "no output" or "not a number"
 *   HR_ETRUNC  "too much output" (more than PF_QUEUE_OUT_MAX bytes:
 *              killed at once)
 *   HR_EIO     "timed out" (killed), "exit N", "killed by signal N"
 *   HR_ENOENT  "cannot run ARGV0: No such file or directory"
 * Anything the command left in its process group is killed when it
 * ends: when it exits, what it printed by then is its answer, even if
 * something it started in the background still holds its output open
 * (looked for every 50 ms while it runs).  A process that will not die (uninterruptible sleep) is given
 * up after a second: the outcome is returned, and the process is reaped
 * by a later call (start refuses to run another one before).
 */
int pf_queue_exec_step(struct pf_queue *q, uint64_t now_us,
    struct pf_queue_val *v);

/*
 * Run the command and wait for its outcome (poll + step, bounded by the
 * timeout): for "headroom sample" and tests, never in the agent's loop.
 * A signal interrupting the wait ends the run (killed and reaped) with
 * HR_EINTR.  Returns as pf_queue_exec_step.
 */
int pf_queue_exec_run(struct pf_queue *q, struct pf_queue_val *v);

/* Kill a running command and reap it, waiting at most 100 ms (shutdown,
 * reload). */
void pf_queue_exec_cancel(struct pf_queue *q);

#endif
