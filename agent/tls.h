/*
 * tls.h - the TLS side of the pump: one mbed TLS client session over a
 * non-blocking TCP descriptor.  tls.c is the only file that includes mbed
 * TLS, so moving to mbed TLS 3.x changes that file only.
 *
 * A context holds the configuration (CA chain, client certificate and
 * key, or PSK; the optional public-key pin) loaded once, and one session
 * at a time.  Contexts come from a fixed pool of two: the running one and
 * the candidate built on a configuration reload.
 *
 * Failures are described in words by tls_error(): "the broker's
 * certificate is not signed by a CA in ca_file", "name mismatch", "the
 * broker rejected the PSK", ...  Secrets never appear in them.
 */
#ifndef HR_TLS_H
#define HR_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct tls_params {
	const char *ca_file;        /* "" for PSK */
	const char *cert_file;      /* "" = no client certificate */
	const char *key_file;
	const char *psk_identity;   /* "" = certificates */
	const char *psk_file;       /* hex key */
	const char *pin_sha256;     /* "" or 64 hex digits: SHA-256 of SPKI */
	bool        verify_hostname;
	unsigned    trickle;        /* tests: >0 makes every other send
	                               report WANT_WRITE and the others send
	                               at most this many bytes */
};

struct tls_ctx;

/* Load a configuration.  0, or HR_EINVAL with the reason in why (which
 * file, what is wrong with it). */
int tls_ctx_new(const struct tls_params *p, struct tls_ctx **out, char *why,
    size_t cap);
void tls_ctx_free(struct tls_ctx *t);

/* Start a session on connected TCP descriptor fd, expecting server_name
 * in the broker's certificate (also sent as SNI). */
int tls_start(struct tls_ctx *t, int fd, const char *server_name);
/* Drive the handshake: 0 done; HR_EAGAIN call again when tls_wants()
 * is ready; HR_EIO failed (tls_error). */
int tls_handshake(struct tls_ctx *t);
/*
 * Write n bytes: 0 with *done > 0 bytes taken; HR_EAGAIN not now.  After
 * HR_EAGAIN the next call MUST pass the same buf contents and the same n
 * (mbed TLS has already framed part of them; a different length would
 * skip or repeat bytes).  A call that breaks the rule gets HR_EINVAL.
 */
int tls_write(struct tls_ctx *t, const void *buf, size_t n, size_t *done);
/* Read decrypted bytes: 0 with *got > 0; HR_EAGAIN; HR_ENOENT the broker
 * closed the session; HR_EIO failed (tls_error). */
int tls_read(struct tls_ctx *t, void *buf, size_t cap, size_t *got);
/* Decrypted bytes (or a whole record) buffered inside mbed TLS that
 * poll() cannot see: read them before sleeping. */
bool tls_pending(struct tls_ctx *t);
/* PF_IN or PF_OUT: what the last HR_EAGAIN of the handshake or of a
 * read waits for; tls_write_wants: the same for a waiting write (kept
 * apart, as the pump reads while a write waits). */
int tls_wants(const struct tls_ctx *t);
int tls_write_wants(const struct tls_ctx *t);
/* End the session: with notify, one best-effort close_notify. */
void tls_end(struct tls_ctx *t, bool notify);

/* Words for the last failure, and "TLS1.2 <suite>" of the session. */
const char *tls_error(const struct tls_ctx *t);
const char *tls_info(const struct tls_ctx *t);
/* Times a write had to wait (WANT_WRITE), since the context was made. */
unsigned long tls_want_writes(const struct tls_ctx *t);

#endif
