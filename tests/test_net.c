/*
 * test_net.c - the OS side of the transport (platform/net.c) and the
 * TLS module's own rules (agent/tls.c), on real sockets of this machine:
 * name resolution in a child, the private Unix socket and its peer
 * check, the runtime directory and stale-directory cleaning, TCP connect
 * failures, the same-length rule for retried TLS writes.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/err.h"
#include "agent/tls.h"
#include "platform/net.h"
#include "platform/platform.h"

static char tmpdir[256];

static int
setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/hr-net-XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	setenv("XDG_RUNTIME_DIR", tmpdir, 1);
	unsetenv("RUNTIME_DIRECTORY");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Wait (bounded) for the resolver pipe and collect the answer. */
static int
resolve(const char *host, uint16_t port, struct pf_addr *a, unsigned *n,
    char *why, size_t cap)
{
	struct pf_resolver r;
	struct pf_pollfd p;
	int rc, i;

	rc = pf_resolve_start(&r, host, port, a, n);
	for (i = 0; rc == HR_EAGAIN && i < 100; i++) {
		p.fd = r.fd;
		p.events = PF_IN;
		if (pf_poll(&p, 1, 100) > 0)
			rc = pf_resolve_finish(&r, a, n, why, cap);
	}
	if (rc == HR_EAGAIN)
		pf_resolve_cancel(&r);
	return rc;
}

static void
t_resolve_numeric(void **state)
{
	struct pf_addr a[PF_ADDR_MAX];
	unsigned n = 0;
	char why[64], txt[64];
	struct pf_resolver r;

	(void)state;
	/* a numeric address is answered at once, without a child */
	assert_int_equal(pf_resolve_start(&r, "127.0.0.1", 8883, a, &n), 0);
	assert_int_equal(r.pid, -1);
	assert_int_equal(n, 1);
	pf_addr_text(&a[0], txt, sizeof(txt));
	assert_string_equal(txt, "127.0.0.1:8883");
	assert_int_equal(pf_resolve_start(&r, "::1", 1883, a, &n), 0);
	pf_addr_text(&a[0], txt, sizeof(txt));
	assert_string_equal(txt, "[::1]:1883");
	(void)why;
}

static void
t_resolve_name_in_child(void **state)
{
	struct pf_addr a[PF_ADDR_MAX];
	unsigned n = 0, i;
	char why[128], txt[64];
	int found = 0;

	(void)state;
	/* "localhost" comes from /etc/hosts through the child process */
	assert_int_equal(resolve("localhost", 1883, a, &n, why, sizeof(why)),
	    0);
	assert_true(n >= 1);
	for (i = 0; i < n; i++) {
		pf_addr_text(&a[i], txt, sizeof(txt));
		if (strcmp(txt, "127.0.0.1:1883") == 0 ||
		    strcmp(txt, "[::1]:1883") == 0)
			found = 1;
	}
	assert_true(found);
	/* a name that cannot exist (RFC 6761 .invalid) fails with words */
	assert_int_equal(resolve("no-such-host.invalid", 1883, a, &n, why,
	    sizeof(why)), HR_ENOENT);
	assert_true(strlen(why) > 0);
}

static void
t_tcp_refused(void **state)
{
	struct pf_addr a[PF_ADDR_MAX];
	struct pf_pollfd p;
	unsigned n;
	int fd, rc, lfd;
	struct pf_resolver r;

	(void)state;
	/* find a closed port: bind one, close it, connect there */
	assert_int_equal(pf_unix_listen("/nonexistent-dir/x", &lfd), HR_EIO);
	assert_int_equal(pf_resolve_start(&r, "127.0.0.1", 1, a, &n), 0);
	rc = pf_tcp_connect(&a[0], 1000, 0, &fd);
	if (rc == HR_EAGAIN) {
		p.fd = fd;
		p.events = PF_OUT;
		assert_true(pf_poll(&p, 1, 2000) == 1);
		assert_int_equal(pf_tcp_connected(fd), HR_EIO);
		assert_int_equal(errno, ECONNREFUSED);
		pf_sock_close(fd);
	} else {
		assert_int_equal(rc, HR_EIO);
	}
}

static void
t_rundir_and_stale(void **state)
{
	char dir[256], stale[300], live[300], f[320];
	struct stat st;
	pid_t dead;
	int fd;

	(void)state;
	/* a directory of a process that has exited, with a socket file */
	dead = fork();
	if (dead == 0)
		_exit(0);
	waitpid(dead, NULL, 0);
	snprintf(stale, sizeof(stale), "%s/headroom.%d", tmpdir, (int)dead);
	assert_int_equal(mkdir(stale, 0700), 0);
	snprintf(f, sizeof(f), "%s/mqtt.sock", stale);
	fd = creat(f, 0600);
	assert_true(fd >= 0);
	close(fd);
	/* one of a live process (pid 1) is left alone */
	snprintf(live, sizeof(live), "%s/headroom.1", tmpdir);
	assert_int_equal(mkdir(live, 0700), 0);

	assert_int_equal(pf_rundir_create(dir, sizeof(dir), -1), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_true(strstr(dir, tmpdir) == dir);
	assert_int_equal(stat(stale, &st), -1);         /* cleaned */
	assert_int_equal(stat(live, &st), 0);           /* kept */
	pf_rundir_remove(dir);
	assert_int_equal(stat(dir, &st), -1);
	rmdir(live);
}

static void
t_unix_peer_check(void **state)
{
	char dir[256], path[300];
	struct sockaddr_un sun;
	int lfd, cfd, sfd, st;
	pid_t child;

	(void)state;
	assert_int_equal(pf_rundir_create(dir, sizeof(dir), -1), 0);
	snprintf(path, sizeof(path), "%s/mqtt.sock", dir);
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	assert_true(strlen(path) < sizeof(sun.sun_path));
	memcpy(sun.sun_path, path, strlen(path) + 1);

	/* our own connection is accepted */
	assert_int_equal(pf_unix_listen(path, &lfd), 0);
	assert_int_equal(pf_unix_accept_own(lfd, &sfd), HR_EAGAIN);
	cfd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(connect(cfd, (struct sockaddr *)&sun, sizeof(sun)), 0);
	assert_int_equal(pf_unix_accept_own(lfd, &sfd), 0);
	pf_sock_close(sfd);
	close(cfd);

	/* another process (same user, other pid) is refused */
	child = fork();
	if (child == 0) {
		int c = socket(AF_UNIX, SOCK_STREAM, 0);
		char b;
		if (connect(c, (struct sockaddr *)&sun, sizeof(sun)) != 0)
			_exit(2);
		/* wait until the parent has closed us */
		_exit(read(c, &b, 1) == 0 ? 0 : 3);
	}
	{
		struct pf_pollfd p = { lfd, PF_IN, 0 };
		assert_int_equal(pf_poll(&p, 1, 5000), 1);
	}
	assert_int_equal(pf_unix_accept_own(lfd, &sfd), HR_EINVAL);
	assert_int_equal(sfd, -1);
	assert_int_equal(waitpid(child, &st, 0), child);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	pf_sock_close(lfd);
	pf_unlink(path);
	pf_rundir_remove(dir);
}

static void
t_sock_eof(void **state)
{
	int sv[2];
	size_t k;
	char b[8];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	assert_int_equal(pf_sock_recv(sv[0], b, sizeof(b), &k), HR_EAGAIN);
	assert_int_equal(pf_sock_send(sv[1], "abc", 3, &k), 0);
	assert_int_equal(k, 3);
	assert_int_equal(pf_sock_recv(sv[0], b, sizeof(b), &k), 0);
	assert_int_equal(k, 3);
	close(sv[1]);
	assert_int_equal(pf_sock_recv(sv[0], b, sizeof(b), &k), HR_ENOENT);
	/* writing to a closed peer is "closed", not a SIGPIPE */
	assert_int_equal(pf_sock_send(sv[0], "x", 1, &k), HR_ENOENT);
	close(sv[0]);
}

/*
 * mbed TLS needs a WANT_WRITE retry with the same length.  The module
 * refuses a retry with another length instead of corrupting the stream.
 */
static void
t_tls_same_length_rule(void **state)
{
	char psk[300], why[256];
	struct tls_params tp;
	struct tls_ctx *t = NULL;
	uint8_t buf[256];
	size_t done;
	int sv[2], rc;
	FILE *f;

	(void)state;
	snprintf(psk, sizeof(psk), "%s/psk.hex", tmpdir);
	f = fopen(psk, "w");
	assert_non_null(f);
	fputs("00112233445566778899aabbccddeeff\n", f);
	fclose(f);
	memset(&tp, 0, sizeof(tp));
	tp.ca_file = tp.cert_file = tp.key_file = tp.pin_sha256 = "";
	tp.psk_identity = "test";
	tp.psk_file = psk;
	tp.trickle = 1;           /* the first send always reports "full" */
	assert_int_equal(tls_ctx_new(&tp, &t, why, sizeof(why)), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0,
	    sv), 0);
	assert_int_equal(tls_start(t, sv[0], "broker"), 0);
	memset(buf, 'x', sizeof(buf));
	rc = tls_write(t, buf, 100, &done);
	assert_int_equal(rc, HR_EAGAIN);
	assert_int_equal(tls_write_wants(t), PF_OUT);
	/* a longer retry would skip bytes in mbed TLS 2.28: refused */
	assert_int_equal(tls_write(t, buf, 200, &done), HR_EINVAL);
	assert_non_null(strstr(tls_error(t), "retried with 200 bytes"));
	tls_end(t, false);
	tls_ctx_free(t);
	close(sv[0]);
	close(sv[1]);
}

static void
t_tls_bad_files(void **state)
{
	char why[256], bad[300];
	struct tls_params tp;
	struct tls_ctx *t = NULL;
	FILE *f;

	(void)state;
	memset(&tp, 0, sizeof(tp));
	tp.cert_file = tp.key_file = tp.pin_sha256 = tp.psk_identity = "";
	tp.psk_file = "";
	tp.ca_file = "/nonexistent/ca.crt";
	assert_int_equal(tls_ctx_new(&tp, &t, why, sizeof(why)), HR_EINVAL);
	assert_non_null(strstr(why, "/nonexistent/ca.crt"));
	/* a file that is not PEM names itself */
	snprintf(bad, sizeof(bad), "%s/bad.crt", tmpdir);
	f = fopen(bad, "w");
	assert_non_null(f);
	fputs("not a certificate\n", f);
	fclose(f);
	tp.ca_file = bad;
	assert_int_equal(tls_ctx_new(&tp, &t, why, sizeof(why)), HR_EINVAL);
	assert_non_null(strstr(why, bad));
	/* a PSK that is not hex */
	tp.ca_file = "";
	tp.psk_identity = "id";
	tp.psk_file = bad;
	assert_int_equal(tls_ctx_new(&tp, &t, why, sizeof(why)), HR_EINVAL);
	assert_non_null(strstr(why, "hex"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_resolve_numeric),
		cmocka_unit_test(t_resolve_name_in_child),
		cmocka_unit_test(t_tcp_refused),
		cmocka_unit_test(t_rundir_and_stale),
		cmocka_unit_test(t_unix_peer_check),
		cmocka_unit_test(t_sock_eof),
		cmocka_unit_test(t_tls_same_length_rule),
		cmocka_unit_test(t_tls_bad_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
