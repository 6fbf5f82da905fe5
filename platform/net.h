/*
 * net.h - sockets, poll, name resolution, the runtime directory and the
 * privilege drop: the OS side of the transport (agent/link.c drives it).
 *
 * Every descriptor made here is non-blocking and close-on-exec.  Nothing
 * here blocks the poll loop: TCP connects complete in the background
 * (pf_tcp_connected after POLLOUT) and host names are resolved by a
 * short-lived child process whose answer arrives on a pipe.
 *
 * Return values are 0 or a negative HR_E* code (agent/err.h); a failed
 * system call keeps errno for the caller's message.
 */
#ifndef HR_NET_H
#define HR_NET_H

#include <stddef.h>
#include <stdint.h>

#include "../agent/err.h"

/* poll(2) without <poll.h> in agent/. */
#define PF_IN   0x1
#define PF_OUT  0x4
#define PF_ERR  0x8     /* POLLERR */
#define PF_HUP  0x10    /* POLLHUP */
struct pf_pollfd {
	int   fd;
	short events, revents;
};
/* Wait at most timeout_ms (-1: no limit) on at most PF_POLL_MAX
 * descriptors (HR_EINVAL for more).  Returns the number of ready
 * descriptors, 0 on timeout, HR_EINTR when a signal arrived. */
#define PF_POLL_MAX 32
int pf_poll(struct pf_pollfd *p, unsigned n, int timeout_ms);

/* ---- addresses ------------------------------------------------------------ */

#define PF_ADDR_MAX 8           /* addresses tried per broker name */
struct pf_addr {
	uint8_t  sa[28];        /* struct sockaddr_in or sockaddr_in6 */
	uint32_t len;
};
/* "1.2.3.4" or "::1" as text into buf (for log messages). */
void pf_addr_text(const struct pf_addr *a, char *buf, size_t cap);

/*
 * Resolve host:port to at most PF_ADDR_MAX addresses.  A numeric
 * address is answered at once (returns 0, *n set, *fd = -1).  A name is
 * resolved by a child process: returns HR_EAGAIN with *fd a pipe to poll
 * for PF_IN, then pf_resolve_finish() collects the answer.  The child
 * is killed by pf_resolve_cancel() (e.g. on a timeout).
 */
struct pf_resolver {
	int fd;
	int pid;
};
int pf_resolve_start(struct pf_resolver *r, const char *host, uint16_t port,
    struct pf_addr *out, unsigned *n);
/* HR_EAGAIN: not complete yet; 0: *n addresses; HR_ENOENT: the name does
 * not resolve (why holds the resolver's words). */
int pf_resolve_finish(struct pf_resolver *r, struct pf_addr *out,
    unsigned *n, char *why, size_t cap);
void pf_resolve_cancel(struct pf_resolver *r);

/* ---- TCP ------------------------------------------------------------------ */

/*
 * Start a non-blocking connect.  0: connected already; HR_EAGAIN: wait
 * for PF_OUT then call pf_tcp_connected; HR_EIO: failed (errno).
 * user_timeout_ms > 0 sets TCP_USER_TIMEOUT, so data the peer never
 * acknowledges (a frozen broker) fails the connection in bounded time.
 * sndbuf > 0 sets SO_SNDBUF (tests use a tiny one).
 */
int pf_tcp_connect(const struct pf_addr *a, unsigned user_timeout_ms,
    int sndbuf, int *fd);
/* After PF_OUT: 0 when connected, HR_EIO with errno set otherwise. */
int pf_tcp_connected(int fd);

/* ---- stream I/O (TCP and Unix) --------------------------------------------- */

/* Send or receive at most n bytes: *done bytes moved.  0 ok; HR_EAGAIN
 * nothing possible now; HR_ENOENT the peer closed (recv of 0 bytes or
 * EPIPE / ECONNRESET); HR_EIO other errors (errno). */
int pf_sock_send(int fd, const void *buf, size_t n, size_t *done);
int pf_sock_recv(int fd, void *buf, size_t n, size_t *done);
void pf_sock_close(int fd);

/* ---- the private Unix socket between libmosquitto and the TLS pump -------- */

/*
 * Create the runtime directory "<base>/headroom.<pid>" with mode 0700,
 * owned by uid (if uid >= 0 and we are root).  base is $RUNTIME_DIRECTORY
 * (systemd), else $XDG_RUNTIME_DIR, else /tmp.  Stale "headroom.<pid>"
 * directories of processes that no longer exist are removed first.
 */
int pf_rundir_create(char *dir, size_t cap, long uid);
void pf_rundir_remove(const char *dir);
/* Listen on a new Unix socket path (an existing one is replaced). */
int pf_unix_listen(const char *path, int *fd);
/* Accept one connection; HR_EAGAIN if none is waiting; HR_EINVAL if the
 * peer is not this very process (SO_PEERCRED), which is closed again. */
int pf_unix_accept_own(int lfd, int *fd);
void pf_unlink(const char *path);

/* ---- process ---------------------------------------------------------------- */

/* 1 when running with effective uid 0. */
int pf_is_root(void);
/* The uid of a user name; HR_ENOENT if unknown. */
int pf_user_uid(const char *user, long *uid);
/*
 * Switch to user (uid, its primary gid, no supplementary groups) for
 * good: afterwards, regaining root must fail, which is checked.
 * HR_EIO on any failure (the caller must not go on as root).
 */
int pf_drop_privileges(const char *user, char *why, size_t cap);

#endif
