/*
 * net.c - Linux implementation of net.h.
 */
#define _GNU_SOURCE            /* SO_PEERCRED, struct ucred, accept4 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net.h"

int
pf_poll(struct pf_pollfd *p, unsigned n, int timeout_ms)
{
	struct pollfd pfd[PF_POLL_MAX];
	unsigned i;
	int r;

	if (n > PF_POLL_MAX)
		return HR_EINVAL;
	for (i = 0; i < n; i++) {
		pfd[i].fd = p[i].fd;
		pfd[i].events = (short)((p[i].events & PF_IN ? POLLIN : 0) |
		    (p[i].events & PF_OUT ? POLLOUT : 0));
		pfd[i].revents = 0;
	}
	r = poll(pfd, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? HR_EINTR : HR_EIO;
	for (i = 0; i < n; i++)
		p[i].revents = (short)((pfd[i].revents & POLLIN ? PF_IN : 0) |
		    (pfd[i].revents & POLLOUT ? PF_OUT : 0) |
		    (pfd[i].revents & (POLLERR | POLLNVAL) ? PF_ERR : 0) |
		    (pfd[i].revents & POLLHUP ? PF_HUP : 0));
	return r;
}

/* ---- addresses ------------------------------------------------------------ */

void
pf_addr_text(const struct pf_addr *a, char *buf, size_t cap)
{
	const struct sockaddr *sa = (const void *)a->sa;
	char host[INET6_ADDRSTRLEN];
	unsigned port = 0;
	const void *src;

	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)a->sa;
		src = &s6->sin6_addr;
		port = ntohs(s6->sin6_port);
	} else {
		const struct sockaddr_in *s4 = (const void *)a->sa;
		src = &s4->sin_addr;
		port = ntohs(s4->sin_port);
	}
	if (inet_ntop(sa->sa_family, src, host, sizeof(host)) == NULL)
		snprintf(host, sizeof(host), "?");
	snprintf(buf, cap, sa->sa_family == AF_INET6 ? "[%s]:%u" : "%s:%u",
	    host, port);
}

static unsigned
addrs_from(const struct addrinfo *res, struct pf_addr *out)
{
	unsigned n = 0;

	for (; res != NULL && n < PF_ADDR_MAX; res = res->ai_next) {
		if ((res->ai_family != AF_INET && res->ai_family != AF_INET6) ||
		    res->ai_addrlen > sizeof(out[n].sa))
			continue;
		memset(&out[n], 0, sizeof(out[n]));
		memcpy(out[n].sa, res->ai_addr, res->ai_addrlen);
		out[n].len = (uint32_t)res->ai_addrlen;
		n++;
	}
	return n;
}

static int
lookup(const char *host, uint16_t port, int numeric, struct addrinfo **res)
{
	struct addrinfo hints;
	char serv[8];

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = numeric ? AI_NUMERICHOST : AI_ADDRCONFIG;
	snprintf(serv, sizeof(serv), "%u", port);
	return getaddrinfo(host, serv, &hints, res);
}

/*
 * The resolver child writes: one byte count n, then n struct pf_addr,
 * or 0 followed by the resolver's message.  getaddrinfo may block for
 * as long as the system resolver likes; in a child, that never stalls
 * the agent's loop, and a child past its deadline is killed.
 */
int
pf_resolve_start(struct pf_resolver *r, const char *host, uint16_t port,
    struct pf_addr *out, unsigned *n)
{
	struct addrinfo *res;
	int p[2];
	pid_t pid;

	r->fd = -1;
	r->pid = -1;
	*n = 0;
	if (lookup(host, port, 1, &res) == 0) {
		*n = addrs_from(res, out);
		freeaddrinfo(res);
		return *n > 0 ? 0 : HR_ENOENT;
	}
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) != 0)
		return HR_EIO;
	pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return HR_EIO;
	}
	if (pid == 0) {
		/* one write of less than PIPE_BUF bytes: atomic, so the
		 * parent reads the whole answer or nothing */
		uint8_t msg[1 + PF_ADDR_MAX * sizeof(struct pf_addr)];
		size_t len = 1;
		unsigned k;
		int e;

		close(p[0]);
		e = lookup(host, port, 0, &res);
		if (e == 0) {
			struct pf_addr a[PF_ADDR_MAX];
			k = addrs_from(res, a);
			msg[0] = (uint8_t)k;
			memcpy(msg + 1, a, k * sizeof(a[0]));
			len += k * sizeof(a[0]);
		} else {
			const char *m = gai_strerror(e);
			size_t ml = strlen(m);
			if (ml > sizeof(msg) - 1)
				ml = sizeof(msg) - 1;
			msg[0] = 0;
			memcpy(msg + 1, m, ml);
			len += ml;
		}
		if (write(p[1], msg, len) != (ssize_t)len)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	r->fd = p[0];
	r->pid = pid;
	return HR_EAGAIN;
}

static void
reap(struct pf_resolver *r, int kill_it)
{
	if (r->pid > 0) {
		if (kill_it)
			kill(r->pid, SIGKILL);
		/* the child exits right after writing: this wait is short */
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->pid = -1;
}

int
pf_resolve_finish(struct pf_resolver *r, struct pf_addr *out, unsigned *n,
    char *why, size_t cap)
{
	uint8_t buf[1 + PF_ADDR_MAX * sizeof(struct pf_addr)];
	size_t got = 0;
	ssize_t k;

	/* the child writes less than PIPE_BUF bytes and exits: once the
	 * pipe reads end-of-file, the whole answer has been read */
	for (;;) {
		k = read(r->fd, buf + got, sizeof(buf) - got);
		if (k > 0) {
			got += (size_t)k;
			if (got < sizeof(buf))
				continue;
		} else if (k < 0 && errno == EINTR) {
			continue;
		} else if (k < 0 && errno == EAGAIN) {
			/* partial answer: come back when more arrives */
			if (got == 0)
				return HR_EAGAIN;
		}
		break;
	}
	reap(r, 1);
	*n = 0;
	if (got >= 1 && buf[0] > 0 && buf[0] <= PF_ADDR_MAX &&
	    got >= 1 + buf[0] * sizeof(struct pf_addr)) {
		*n = buf[0];
		memcpy(out, buf + 1, *n * sizeof(struct pf_addr));
		return 0;
	}
	if (got > 1 && buf[0] == 0)
		snprintf(why, cap, "%.*s", (int)(got - 1), (char *)buf + 1);
	else
		snprintf(why, cap, "no address");
	return HR_ENOENT;
}

void
pf_resolve_cancel(struct pf_resolver *r)
{
	reap(r, 1);
}

/* ---- TCP ------------------------------------------------------------------ */

int
pf_tcp_connect(const struct pf_addr *a, unsigned user_timeout_ms,
    int sndbuf, int *fd)
{
	const struct sockaddr *sa = (const void *)a->sa;
	int s, one = 1;

	*fd = -1;
	s = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s < 0)
		return HR_EIO;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	(void)setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
	if (user_timeout_ms > 0)
		(void)setsockopt(s, IPPROTO_TCP, TCP_USER_TIMEOUT,
		    &user_timeout_ms, sizeof(user_timeout_ms));
	if (sndbuf > 0)
		(void)setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf,
		    sizeof(sndbuf));
	*fd = s;
	if (connect(s, sa, a->len) == 0)
		return 0;
	if (errno == EINPROGRESS || errno == EINTR)
		return HR_EAGAIN;
	{
		int saved = errno;
		close(s);
		*fd = -1;
		errno = saved;
	}
	return HR_EIO;
}

int
pf_tcp_connected(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		return HR_EIO;
	if (err != 0) {
		errno = err;
		return HR_EIO;
	}
	return 0;
}

/* ---- stream I/O ------------------------------------------------------------- */

static int
io_err(void)
{
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
		return HR_EAGAIN;
	if (errno == EPIPE || errno == ECONNRESET)
		return HR_ENOENT;
	return HR_EIO;
}

int
pf_sock_send(int fd, const void *buf, size_t n, size_t *done)
{
	ssize_t k = send(fd, buf, n, MSG_NOSIGNAL);

	*done = 0;
	if (k < 0)
		return io_err();
	*done = (size_t)k;
	return 0;
}

int
pf_sock_recv(int fd, void *buf, size_t n, size_t *done)
{
	ssize_t k = recv(fd, buf, n, 0);

	*done = 0;
	if (k < 0)
		return io_err();
	if (k == 0)
		return HR_ENOENT;
	*done = (size_t)k;
	return 0;
}

void
pf_sock_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- runtime directory and Unix socket -------------------------------------- */

static const char *
rundir_base(void)
{
	const char *b = getenv("RUNTIME_DIRECTORY");

	/* systemd may list several, colon-separated: take the first */
	if (b != NULL && b[0] == '/' && strchr(b, ':') == NULL)
		return b;
	b = getenv("XDG_RUNTIME_DIR");
	if (b != NULL && b[0] == '/')
		return b;
	return "/tmp";
}

/* Remove dir/name/ and the socket files in it (nothing else is made
 * there). */
static void
remove_tree(const char *path)
{
	char p[512];
	struct dirent *e;
	DIR *d = opendir(path);

	if (d != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			if ((size_t)snprintf(p, sizeof(p), "%s/%s", path,
			    e->d_name) < sizeof(p))
				(void)unlink(p);
		}
		closedir(d);
	}
	(void)rmdir(path);
}

/* A plain directory (not a link) owned by us: the only kind we remove. */
static int
own_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
	    st.st_uid == geteuid();
}

static void
clean_stale(const char *base)
{
	char p[512];
	struct dirent *e;
	DIR *d = opendir(base);
	char *end;
	long pid;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "headroom.", 9) != 0)
			continue;
		errno = 0;
		pid = strtol(e->d_name + 9, &end, 10);
		if (errno != 0 || *end != '\0' || pid <= 0)
			continue;
		/* another live agent keeps its directory */
		if (kill((pid_t)pid, 0) == 0 || errno == EPERM)
			continue;
		if ((size_t)snprintf(p, sizeof(p), "%s/%s", base, e->d_name) >=
		    sizeof(p))
			continue;
		/* only our own directories: never follow a planted link */
		if (!own_dir(p))
			continue;
		remove_tree(p);
	}
	closedir(d);
}

int
pf_rundir_create(char *dir, size_t cap, long uid)
{
	const char *base = rundir_base();
	struct stat st;

	clean_stale(base);
	if ((size_t)snprintf(dir, cap, "%s/headroom.%ld", base,
	    (long)getpid()) >= cap)
		return HR_ETRUNC;
	/* a leftover of a process that had our pid before: ours only, and
	 * never through a planted link */
	if (lstat(dir, &st) == 0) {
		if (!own_dir(dir)) {
			errno = EEXIST;
			return HR_EIO;
		}
		remove_tree(dir);
	}
	if (mkdir(dir, 0700) != 0)
		return HR_EIO;
	if (uid >= 0 && geteuid() == 0 && chown(dir, (uid_t)uid, (gid_t)-1) != 0) {
		int saved = errno;
		rmdir(dir);
		errno = saved;
		return HR_EIO;
	}
	return 0;
}

void
pf_rundir_remove(const char *dir)
{
	if (dir != NULL && dir[0] != '\0')
		remove_tree(dir);
}

int
pf_unix_listen(const char *path, int *fd)
{
	struct sockaddr_un sun;
	int s;

	*fd = -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return HR_ETRUNC;
	}
	strcpy(sun.sun_path, path);
	(void)unlink(path);
	s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0)
		return HR_EIO;
	if (bind(s, (struct sockaddr *)&sun, sizeof(sun)) != 0 ||
	    listen(s, 1) != 0) {
		int saved = errno;
		close(s);
		errno = saved;
		return HR_EIO;
	}
	*fd = s;
	return 0;
}

int
pf_unix_accept_own(int lfd, int *fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int s;

	*fd = -1;
	s = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (s < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ||
		    errno == EINTR ? HR_EAGAIN : HR_EIO;
	/* only our own libmosquitto may talk to the pump */
	if (getsockopt(s, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0 ||
	    cred.pid != getpid() || cred.uid != geteuid()) {
		close(s);
		return HR_EINVAL;
	}
	*fd = s;
	return 0;
}

void
pf_unlink(const char *path)
{
	(void)unlink(path);
}

/* ---- process ---------------------------------------------------------------- */

int
pf_is_root(void)
{
	return geteuid() == 0;
}

int
pf_user_uid(const char *user, long *uid)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL)
		return HR_ENOENT;
	*uid = (long)pw->pw_uid;
	return 0;
}

int
pf_drop_privileges(const char *user, char *why, size_t cap)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		snprintf(why, cap, "no such user '%s'", user);
		return HR_EIO;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 ||
	    setuid(pw->pw_uid) != 0) {
		snprintf(why, cap, "cannot switch to '%s': %s", user,
		    strerror(errno));
		return HR_EIO;
	}
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(why, cap, "could regain root after switching to "
		    "'%s'", user);
		return HR_EIO;
	}
	return 0;
}
