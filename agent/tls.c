/*
 * tls.c - mbed TLS client sessions (see tls.h).  Written against mbed
 * TLS 2.28; the calls that differ in 3.x are marked "2.28".
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>     /* MBEDTLS_ERR_NET_* only */
#include <mbedtls/pk.h>
#include <mbedtls/sha256.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "../platform/net.h"
#include "../platform/scan.h"
#include "err.h"
#include "tls.h"

#define PSK_MAX      64          /* bytes of a PSK */
#define FLAG_PIN     0x80000000u /* our own verify flag: pin mismatch */

struct tls_ctx {
	bool                     used;
	bool                     psk;
	bool                     have_cert;
	bool                     verify_hostname;
	bool                     have_pin;
	uint8_t                  pin[32];
	unsigned                 trickle, trickle_n;
	mbedtls_entropy_context  entropy;
	mbedtls_ctr_drbg_context drbg;
	mbedtls_ssl_config       conf;
	mbedtls_ssl_context      ssl;
	mbedtls_x509_crt         ca, cert;
	mbedtls_pk_context       key;
	uint8_t                  pskbuf[PSK_MAX];
	int                      fd;
	int                      wants;        /* handshake and reads */
	int                      wwants;       /* a write that waits */
	size_t                   wpend;        /* length of a write that must
	                                          be retried, 0 = none */
	uint32_t                 vflags;       /* verify result of the
	                                          last handshake */
	unsigned long            want_writes;
	char                     server[160];
	char                     err[320];
	char                     info[96];
};

static struct tls_ctx pool[2];

/* Ciphersuites for PSK: ECDHE (forward secrecy) first, AEAD first. */
static const int psk_suites[] = {
	MBEDTLS_TLS_ECDHE_PSK_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_ECDHE_PSK_WITH_AES_128_CBC_SHA256,
	MBEDTLS_TLS_PSK_WITH_CHACHA20_POLY1305_SHA256,
	MBEDTLS_TLS_PSK_WITH_AES_128_GCM_SHA256,
	MBEDTLS_TLS_PSK_WITH_AES_256_GCM_SHA384,
	MBEDTLS_TLS_PSK_WITH_AES_128_CBC_SHA256,
	0
};

static void
mbed_words(int rc, char *buf, size_t cap)
{
	mbedtls_strerror(rc, buf, cap);
}

/* ---- I/O callbacks: the TCP descriptor through platform/net ---------------- */

static int
bio_send(void *ctx, const unsigned char *buf, size_t len)
{
	struct tls_ctx *t = ctx;
	size_t done;
	int r;

	if (t->trickle > 0) {
		/* fault injection for tests: a socket that is full every
		 * other time and takes few bytes when it is not */
		if (t->trickle_n++ % 2 == 0)
			return MBEDTLS_ERR_SSL_WANT_WRITE;
		if (len > t->trickle)
			len = t->trickle;
	}
	r = pf_sock_send(t->fd, buf, len, &done);
	if (r == 0)
		return (int)done;
	if (r == HR_EAGAIN)
		return MBEDTLS_ERR_SSL_WANT_WRITE;
	if (r == HR_ENOENT)
		return MBEDTLS_ERR_NET_CONN_RESET;
	return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int
bio_recv(void *ctx, unsigned char *buf, size_t len)
{
	struct tls_ctx *t = ctx;
	size_t got;
	int r = pf_sock_recv(t->fd, buf, len, &got);

	if (r == 0)
		return (int)got;
	if (r == HR_EAGAIN)
		return MBEDTLS_ERR_SSL_WANT_READ;
	if (r == HR_ENOENT)
		return 0;                     /* end of stream */
	return MBEDTLS_ERR_NET_RECV_FAILED;
}

/* ---- configuration ------------------------------------------------------------- */

/* Hex digits (blanks around them allowed) into out; length or -1. */
static int
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi, lo;

	while (*s == ' ' || *s == '\t')
		s++;
	while (*s != '\0' && *s != '\n' && *s != '\r' && *s != ' ') {
		if ((hi = scan_digit(s[0], 16)) < 0 ||
		    (lo = scan_digit(s[1], 16)) < 0 ||
		    n >= cap)
			return -1;
		out[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (int)n;
}

static int
load_psk(struct tls_ctx *t, const struct tls_params *p, char *why, size_t cap)
{
	char line[2 * PSK_MAX + 8];
	FILE *f = fopen(p->psk_file, "r");
	int n;

	if (f == NULL) {
		snprintf(why, cap, "%s: cannot open the PSK file", p->psk_file);
		return HR_EINVAL;
	}
	if (fgets(line, sizeof(line), f) == NULL)
		line[0] = '\0';
	fclose(f);
	n = unhex(line, t->pskbuf, sizeof(t->pskbuf));
	memset(line, 0, sizeof(line));
	if (n < 16) {
		snprintf(why, cap, "%s: the PSK must be 16 to %d bytes "
		    "written as hex digits on the first line", p->psk_file,
		    PSK_MAX);
		return HR_EINVAL;
	}
	if (mbedtls_ssl_conf_psk(&t->conf, t->pskbuf, (size_t)n,
	    (const unsigned char *)p->psk_identity,
	    strlen(p->psk_identity)) != 0) {
		snprintf(why, cap, "cannot use the PSK of %s", p->psk_file);
		return HR_EINVAL;
	}
	mbedtls_ssl_conf_ciphersuites(&t->conf, psk_suites);
	return 0;
}

/*
 * Certificate checks beyond the chain: the optional pin of the broker's
 * public key, and verify_hostname = no.  Called for every certificate
 * of the chain, leaf last (depth 0).
 */
static int
verify_cb(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
	struct tls_ctx *t = ctx;
	unsigned char der[1024], sum[32];
	int n;

	if (depth != 0)
		return 0;
	if (!t->verify_hostname)
		*flags &= ~(uint32_t)MBEDTLS_X509_BADCERT_CN_MISMATCH;
	if (t->have_pin) {
		/* the DER is written at the end of the buffer */
		n = mbedtls_pk_write_pubkey_der(&crt->pk, der, sizeof(der));
		if (n <= 0 ||
		    mbedtls_sha256_ret(der + sizeof(der) - n, (size_t)n, sum,
		    0) != 0 ||                              /* 2.28 */
		    memcmp(sum, t->pin, sizeof(sum)) != 0)
			*flags |= FLAG_PIN;
	}
	return 0;
}

static void
ctx_clear(struct tls_ctx *t)
{
	mbedtls_ssl_free(&t->ssl);
	mbedtls_ssl_config_free(&t->conf);
	mbedtls_x509_crt_free(&t->ca);
	mbedtls_x509_crt_free(&t->cert);
	mbedtls_pk_free(&t->key);
	mbedtls_ctr_drbg_free(&t->drbg);
	mbedtls_entropy_free(&t->entropy);
	memset(t, 0, sizeof(*t));
}

int
tls_ctx_new(const struct tls_params *p, struct tls_ctx **out, char *why,
    size_t cap)
{
	static const char pers[] = "headroom";
	struct tls_ctx *t = NULL;
	char m[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(pool) / sizeof(pool[0]); i++)
		if (!pool[i].used) {
			t = &pool[i];
			break;
		}
	if (t == NULL) {
		snprintf(why, cap, "no free TLS context");
		return HR_ENOSPC;
	}
	memset(t, 0, sizeof(*t));
	t->used = true;
	t->fd = -1;
	t->verify_hostname = p->verify_hostname;
	t->trickle = p->trickle;
	mbedtls_entropy_init(&t->entropy);
	mbedtls_ctr_drbg_init(&t->drbg);
	mbedtls_ssl_config_init(&t->conf);
	mbedtls_ssl_init(&t->ssl);
	mbedtls_x509_crt_init(&t->ca);
	mbedtls_x509_crt_init(&t->cert);
	mbedtls_pk_init(&t->key);

	if ((rc = mbedtls_ctr_drbg_seed(&t->drbg, mbedtls_entropy_func,
	    &t->entropy, (const unsigned char *)pers, sizeof(pers) - 1)) != 0) {
		mbed_words(rc, m, sizeof(m));
		snprintf(why, cap, "random generator: %s", m);
		goto fail;
	}
	if (mbedtls_ssl_config_defaults(&t->conf, MBEDTLS_SSL_IS_CLIENT,
	    MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT) != 0) {
		snprintf(why, cap, "TLS defaults");
		goto fail;
	}
	/* TLS 1.2 or later only (2.28: 1.2 is also the latest it speaks) */
	mbedtls_ssl_conf_min_version(&t->conf, MBEDTLS_SSL_MAJOR_VERSION_3,
	    MBEDTLS_SSL_MINOR_VERSION_3);                    /* 2.28 */
	mbedtls_ssl_conf_rng(&t->conf, mbedtls_ctr_drbg_random, &t->drbg);
	mbedtls_ssl_conf_renegotiation(&t->conf,
	    MBEDTLS_SSL_RENEGOTIATION_DISABLED);

	if (p->psk_identity[0] != '\0') {
		t->psk = true;
		if (load_psk(t, p, why, cap) != 0)
			goto fail;
		mbedtls_ssl_conf_authmode(&t->conf, MBEDTLS_SSL_VERIFY_NONE);
	} else {
		if (p->ca_file[0] == '\0') {
			snprintf(why, cap, "ca_file is needed to verify the "
			    "broker");
			goto fail;
		}
		if ((rc = mbedtls_x509_crt_parse_file(&t->ca, p->ca_file)) !=
		    0) {
			mbed_words(rc, m, sizeof(m));
			snprintf(why, cap, "%s: %s", p->ca_file, rc > 0 ?
			    "some certificates could not be parsed" : m);
			goto fail;
		}
		mbedtls_ssl_conf_ca_chain(&t->conf, &t->ca, NULL);
		mbedtls_ssl_conf_authmode(&t->conf,
		    MBEDTLS_SSL_VERIFY_REQUIRED);
		mbedtls_ssl_conf_verify(&t->conf, verify_cb, t);
		if (p->cert_file[0] != '\0') {
			if ((rc = mbedtls_x509_crt_parse_file(&t->cert,
			    p->cert_file)) != 0) {
				mbed_words(rc, m, sizeof(m));
				snprintf(why, cap, "%s: %s", p->cert_file, m);
				goto fail;
			}
			/* 2.28: no RNG argument (3.x takes one) */
			if ((rc = mbedtls_pk_parse_keyfile(&t->key, p->key_file,
			    NULL)) != 0) {
				mbed_words(rc, m, sizeof(m));
				snprintf(why, cap, "%s: %s", p->key_file, m);
				goto fail;
			}
			if (mbedtls_pk_check_pair(&t->cert.pk, &t->key) != 0) {
				snprintf(why, cap, "%s does not hold the key of "
				    "%s", p->key_file, p->cert_file);
				goto fail;
			}
			if (mbedtls_ssl_conf_own_cert(&t->conf, &t->cert,
			    &t->key) != 0) {
				snprintf(why, cap, "cannot use %s",
				    p->cert_file);
				goto fail;
			}
			t->have_cert = true;
		}
		if (p->pin_sha256[0] != '\0') {
			if (unhex(p->pin_sha256, t->pin, sizeof(t->pin)) != 32) {
				snprintf(why, cap, "pin_sha256: not 64 hex "
				    "digits");
				goto fail;
			}
			t->have_pin = true;
		}
	}
	/* one-time allocation of the record buffers: sessions reuse them */
	if ((rc = mbedtls_ssl_setup(&t->ssl, &t->conf)) != 0) {
		mbed_words(rc, m, sizeof(m));
		snprintf(why, cap, "TLS set-up: %s", m);
		goto fail;
	}
	*out = t;
	return 0;
fail:
	ctx_clear(t);
	return HR_EINVAL;
}

void
tls_ctx_free(struct tls_ctx *t)
{
	if (t != NULL && t->used)
		ctx_clear(t);
}

/* ---- sessions -------------------------------------------------------------------- */

int
tls_start(struct tls_ctx *t, int fd, const char *server_name)
{
	t->fd = fd;
	t->wants = 0;
	t->wwants = 0;
	t->wpend = 0;
	t->vflags = 0;
	t->err[0] = '\0';
	t->info[0] = '\0';
	snprintf(t->server, sizeof(t->server), "%s", server_name);
	if (mbedtls_ssl_session_reset(&t->ssl) != 0) {
		snprintf(t->err, sizeof(t->err), "TLS session reset failed");
		return HR_EIO;
	}
	/* SNI, and the name the certificate must carry */
	if (!t->psk && mbedtls_ssl_set_hostname(&t->ssl, server_name) != 0) {
		snprintf(t->err, sizeof(t->err), "server name '%s' is not "
		    "usable", server_name);
		return HR_EIO;
	}
	mbedtls_ssl_set_bio(&t->ssl, t, bio_send, bio_recv, NULL);
	return 0;
}

static const char *
alert_name(int a)
{
	switch (a) {
	case 10: return "unexpected_message";
	case 20: return "bad_record_mac";
	case 40: return "handshake_failure";
	case 42: return "bad_certificate";
	case 43: return "unsupported_certificate";
	case 44: return "certificate_revoked";
	case 45: return "certificate_expired";
	case 46: return "certificate_unknown";
	case 47: return "illegal_parameter";
	case 48: return "unknown_ca";
	case 49: return "access_denied";
	case 50: return "decode_error";
	case 51: return "decrypt_error";
	case 70: return "protocol_version";
	case 71: return "insufficient_security";
	case 80: return "internal_error";
	case 112: return "unrecognized_name";
	case 115: return "unknown_psk_identity";
	case 116: return "certificate_required";
	default: return "alert";
	}
}

/* Turn a failed handshake into words an operator can act on. */
static void
explain(struct tls_ctx *t, int rc)
{
	char m[128];
	uint32_t f = t->vflags;

	if (rc == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
		if (f & FLAG_PIN)
			snprintf(t->err, sizeof(t->err), "the broker's public "
			    "key does not match pin_sha256");
		else if (f & MBEDTLS_X509_BADCERT_NOT_TRUSTED)
			snprintf(t->err, sizeof(t->err), "the broker's "
			    "certificate is not signed by a CA in ca_file "
			    "(wrong CA)");
		else if (f & MBEDTLS_X509_BADCERT_EXPIRED)
			snprintf(t->err, sizeof(t->err), "the broker's "
			    "certificate has expired");
		else if (f & MBEDTLS_X509_BADCERT_FUTURE)
			snprintf(t->err, sizeof(t->err), "the broker's "
			    "certificate is not valid yet (check the clock)");
		else if (f & MBEDTLS_X509_BADCERT_CN_MISMATCH)
			snprintf(t->err, sizeof(t->err), "the broker's "
			    "certificate does not carry the name '%s' (name "
			    "mismatch; see server_name)", t->server);
		else {
			char info[200];
			int n = mbedtls_x509_crt_verify_info(info, sizeof(info),
			    "", f);
			/* one line: the info is newline-separated */
			for (int i = 0; i < n && info[i] != '\0'; i++)
				if (info[i] == '\n')
					info[i] = i + 1 < n ? ';' : '\0';
			snprintf(t->err, sizeof(t->err), "the broker's "
			    "certificate failed verification: %s", info);
		}
		return;
	}
	if (rc == MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE) {
		int a = t->ssl.in_msg != NULL ? t->ssl.in_msg[1] : 0; /* 2.28 */
		if (t->psk && (a == 20 || a == 40 || a == 51 || a == 115))
			snprintf(t->err, sizeof(t->err), "the broker rejected "
			    "the PSK (alert %s)", alert_name(a));
		else if (!t->psk && !t->have_cert &&
		    (a == 40 || a == 42 || a == 116 || a == 46))
			snprintf(t->err, sizeof(t->err), "the broker requires "
			    "a client certificate (alert %s): set cert_file "
			    "and key_file", alert_name(a));
		else if (t->have_cert && (a == 42 || a == 46 || a == 48 ||
		    a == 45 || a == 44 || a == 43))
			snprintf(t->err, sizeof(t->err), "the broker rejected "
			    "our client certificate (alert %s)", alert_name(a));
		else
			snprintf(t->err, sizeof(t->err), "the broker refused "
			    "the handshake (alert %s, %d)", alert_name(a), a);
		return;
	}
	if (rc == MBEDTLS_ERR_SSL_CONN_EOF || rc == MBEDTLS_ERR_NET_CONN_RESET) {
		/* the alert may be lost when the broker resets the
		 * connection: say what the handshake itself showed */
		if (!t->psk && !t->have_cert && t->ssl.client_auth) /* 2.28 */
			snprintf(t->err, sizeof(t->err), "the broker requires "
			    "a client certificate (it asked for one, then "
			    "closed the connection): set cert_file and "
			    "key_file");
		else
			snprintf(t->err, sizeof(t->err), "the broker closed "
			    "the connection during the handshake%s", t->psk ?
			    " (PSK or identity rejected?)" : "");
		return;
	}
	if (rc == MBEDTLS_ERR_SSL_BAD_HS_PROTOCOL_VERSION) {
		snprintf(t->err, sizeof(t->err), "the broker does not speak "
		    "TLS 1.2 or later");
		return;
	}
	mbed_words(rc, m, sizeof(m));
	snprintf(t->err, sizeof(t->err), "TLS handshake failed: %s", m);
}

static int
want(struct tls_ctx *t, int rc)
{
	if (rc == MBEDTLS_ERR_SSL_WANT_READ) {
		t->wants = PF_IN;
		return 1;
	}
	if (rc == MBEDTLS_ERR_SSL_WANT_WRITE) {
		t->wants = PF_OUT;
		return 1;
	}
	return 0;
}

int
tls_handshake(struct tls_ctx *t)
{
	int rc = mbedtls_ssl_handshake(&t->ssl);

	if (rc == 0) {
		t->wants = 0;
		snprintf(t->info, sizeof(t->info), "%s %s",
		    mbedtls_ssl_get_version(&t->ssl),
		    mbedtls_ssl_get_ciphersuite(&t->ssl));
		return 0;
	}
	if (want(t, rc))
		return HR_EAGAIN;
	t->vflags = mbedtls_ssl_get_verify_result(&t->ssl);
	explain(t, rc);
	return HR_EIO;
}

int
tls_write(struct tls_ctx *t, const void *buf, size_t n, size_t *done)
{
	char m[128];
	int rc;

	*done = 0;
	if (t->wpend != 0 && n != t->wpend) {
		snprintf(t->err, sizeof(t->err), "internal error: a TLS write "
		    "was retried with %zu bytes instead of %zu", n, t->wpend);
		return HR_EINVAL;
	}
	rc = mbedtls_ssl_write(&t->ssl, buf, n);
	if (rc > 0) {
		t->wpend = 0;
		t->wwants = 0;
		*done = (size_t)rc;
		return 0;
	}
	if (rc == MBEDTLS_ERR_SSL_WANT_WRITE ||
	    rc == MBEDTLS_ERR_SSL_WANT_READ) {
		/* kept apart from reads: a read in between must not make
		 * the loop wait for input while this write waits for room */
		if (rc == MBEDTLS_ERR_SSL_WANT_WRITE)
			t->want_writes++;
		t->wwants = rc == MBEDTLS_ERR_SSL_WANT_WRITE ? PF_OUT : PF_IN;
		t->wpend = n;
		return HR_EAGAIN;
	}
	mbed_words(rc, m, sizeof(m));
	snprintf(t->err, sizeof(t->err), "TLS write: %s", m);
	return HR_EIO;
}

int
tls_read(struct tls_ctx *t, void *buf, size_t cap, size_t *got)
{
	char m[128];
	int rc = mbedtls_ssl_read(&t->ssl, buf, cap);

	*got = 0;
	if (rc > 0) {
		t->wants = 0;
		*got = (size_t)rc;
		return 0;
	}
	if (want(t, rc))
		return HR_EAGAIN;
	if (rc == 0 || rc == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
		snprintf(t->err, sizeof(t->err), "the broker closed the TLS "
		    "session");
		return HR_ENOENT;
	}
	if (rc == MBEDTLS_ERR_SSL_CONN_EOF || rc == MBEDTLS_ERR_NET_CONN_RESET) {
		snprintf(t->err, sizeof(t->err), "the broker closed the "
		    "connection without close_notify");
		return HR_ENOENT;
	}
	mbed_words(rc, m, sizeof(m));
	snprintf(t->err, sizeof(t->err), "TLS read: %s", m);
	return HR_EIO;
}

bool
tls_pending(struct tls_ctx *t)
{
	return mbedtls_ssl_get_bytes_avail(&t->ssl) > 0 ||
	    mbedtls_ssl_check_pending(&t->ssl) != 0;
}

int
tls_wants(const struct tls_ctx *t)
{
	return t->wants;
}

int
tls_write_wants(const struct tls_ctx *t)
{
	return t->wwants;
}

void
tls_end(struct tls_ctx *t, bool notify)
{
	unsigned saved = t->trickle;

	if (notify && t->fd >= 0) {
		/* one attempt: the socket is non-blocking and we are leaving */
		t->trickle = 0;
		(void)mbedtls_ssl_close_notify(&t->ssl);
		t->trickle = saved;
	}
	t->fd = -1;
	t->wpend = 0;
	t->wants = 0;
	t->wwants = 0;
}

const char *
tls_error(const struct tls_ctx *t)
{
	return t->err[0] != '\0' ? t->err : "no error";
}

const char *
tls_info(const struct tls_ctx *t)
{
	return t->info;
}

unsigned long
tls_want_writes(const struct tls_ctx *t)
{
	return t->want_writes;
}
