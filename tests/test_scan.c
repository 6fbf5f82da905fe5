/*
 * test_scan.c - unit tests of the bounded scanner (platform/scan.h).
 *
 * Every input is copied into a heap buffer of exactly its size, without a
 * terminating NUL, so that AddressSanitizer reports any read past the
 * span.  Many cases scan only a prefix of that buffer: the bytes after
 * the span are chosen so that reading them would change the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/expect.h"

#define EXPECT_DBL(name, got, want) EXPECT_DBL_TOL(name, got, want, 1e-12)

#include "platform/scan.h"

/* ---- unsigned decimal and hexadecimal ----------------------------------- */

struct unum_case {
	const char *in;
	int         len;     /* bytes of in that form the span, or WHOLE */
	bool        ok;
	uint64_t    v;
	size_t      used;    /* cursor advance on success */
};

static const struct unum_case u64_cases[] = {
	{ "0", WHOLE, true, 0, 1 },
	{ "42", WHOLE, true, 42, 2 },
	{ "  \t42", WHOLE, true, 42, 5 },
	{ "42 rest", WHOLE, true, 42, 2 },
	{ "42\n", WHOLE, true, 42, 2 },
	{ "42\r\n", WHOLE, true, 42, 2 },
	{ "007", WHOLE, true, 7, 3 },
	{ "18446744073709551615", WHOLE, true, UINT64_MAX, 20 },
	{ "000018446744073709551615", WHOLE, true, UINT64_MAX, 24 },
	{ "18446744073709551614 x", WHOLE, true, UINT64_MAX - 1, 20 },
	/* 64-bit overflow is an error, never a wrapped value */
	{ "18446744073709551616", WHOLE, false, 0, 0 },
	{ "18446744073709551620", WHOLE, false, 0, 0 },
	{ "99999999999999999999", WHOLE, false, 0, 0 },
	{ "184467440737095516150", WHOLE, false, 0, 0 },
	{ "100000000000000000000000000000", WHOLE, false, 0, 0 },
	/* separators that may end a number */
	{ "12/34", WHOLE, true, 12, 2 },
	{ "12,3", WHOLE, true, 12, 2 },
	{ "12:", WHOLE, true, 12, 2 },
	{ "12-13", WHOLE, true, 12, 2 },
	/* not numbers */
	{ "", WHOLE, false, 0, 0 },
	{ "   ", WHOLE, false, 0, 0 },
	{ "\t\n", WHOLE, false, 0, 0 },
	{ "abc", WHOLE, false, 0, 0 },
	{ "-1", WHOLE, false, 0, 0 },
	{ "+1", WHOLE, false, 0, 0 },
	{ "12abc", WHOLE, false, 0, 0 },
	{ "12.5", WHOLE, false, 0, 0 },
	{ "0x10", WHOLE, false, 0, 0 },
	{ "1e3", WHOLE, false, 0, 0 },
	{ "ff", WHOLE, false, 0, 0 },
	/* spans cut from a longer buffer: the rest must not be read */
	{ "12345", 3, true, 123, 3 },
	{ "12345", 1, true, 1, 1 },
	{ "12345", 0, false, 0, 0 },
	{ "  7x", 3, true, 7, 3 },
	{ "12abc", 2, true, 12, 2 },
	{ "12.5", 2, true, 12, 2 },
	{ "   9", 3, false, 0, 0 },
	{ "1844674407370955161500", 20, true, UINT64_MAX, 20 },
	{ "1844674407370955161", 18, true, 184467440737095516ULL, 18 },
};

static const struct unum_case hex_cases[] = {
	{ "0", WHOLE, true, 0, 1 },
	{ "ff", WHOLE, true, 255, 2 },
	{ "FF", WHOLE, true, 255, 2 },
	{ "DeadBeef", WHOLE, true, 0xdeadbeefULL, 8 },
	{ "0001e240 00000002", WHOLE, true, 0x1e240, 8 },
	{ " \t0a\n", WHOLE, true, 10, 4 },
	{ "ffffffffffffffff", WHOLE, true, UINT64_MAX, 16 },
	{ "0000ffffffffffffffff", WHOLE, true, UINT64_MAX, 20 },
	{ "10000000000000000", WHOLE, false, 0, 0 },
	{ "fffffffffffffffff", WHOLE, false, 0, 0 },
	{ "0x1f", WHOLE, false, 0, 0 },
	{ "g", WHOLE, false, 0, 0 },
	{ "fg", WHOLE, false, 0, 0 },
	{ "-1", WHOLE, false, 0, 0 },
	{ "", WHOLE, false, 0, 0 },
	{ " ", WHOLE, false, 0, 0 },
	{ "abcdef", 2, true, 0xab, 2 },
	{ "1fz", 2, true, 0x1f, 2 },
	{ "ffffffffffffffff0", 16, true, UINT64_MAX, 16 },
};

static void
run_unum(const char *what, const struct unum_case *tc, size_t n,
    bool (*fn)(struct scan *, uint64_t *))
{
	char name[128];
	struct scan sc;
	uint64_t v;
	size_t i, full, len;
	char *buf;
	bool ok;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s[%zu] \"%s\"/%d", what, i,
		    tc[i].in, tc[i].len);
		full = strlen(tc[i].in);
		len = span_len(tc[i].in, tc[i].len);
		buf = heap_copy(tc[i].in, full);
		scan_init(&sc, buf, len);
		v = 0xa5a5a5a5a5a5a5a5ULL;
		ok = fn(&sc, &v);
		EXPECT_U64(name, ok, tc[i].ok);
		if (ok) {
			EXPECT_U64(name, v, tc[i].v);
			EXPECT_U64(name, sc.p - buf, tc[i].used);
		} else {
			/* the cursor moves only on success */
			EXPECT(name, sc.p == buf);
		}
		EXPECT(name, sc.end == buf + len);
		free(buf);
	}
}

static void
test_scan_u64(void **state)
{
	(void)state;
	run_unum("u64", u64_cases, sizeof(u64_cases) / sizeof(u64_cases[0]),
	    scan_u64);
}

static void
test_scan_hex64(void **state)
{
	(void)state;
	run_unum("hex", hex_cases, sizeof(hex_cases) / sizeof(hex_cases[0]),
	    scan_hex64);
}

/* ---- signed decimal ----------------------------------------------------- */

struct inum_case {
	const char *in;
	int         len;
	bool        ok;
	int64_t     v;
	size_t      used;
};

static const struct inum_case i64_cases[] = {
	{ "0", WHOLE, true, 0, 1 },
	{ "-0", WHOLE, true, 0, 2 },
	{ "123", WHOLE, true, 123, 3 },
	{ "-123", WHOLE, true, -123, 4 },
	{ "-1\n", WHOLE, true, -1, 2 },
	{ "  -17 x", WHOLE, true, -17, 5 },
	{ "\t4294967295", WHOLE, true, 4294967295LL, 11 },
	{ "9223372036854775807", WHOLE, true, INT64_MAX, 19 },
	{ "-9223372036854775808", WHOLE, true, INT64_MIN, 20 },
	{ "-9223372036854775807", WHOLE, true, -INT64_MAX, 20 },
	{ "9223372036854775808", WHOLE, false, 0, 0 },
	{ "-9223372036854775809", WHOLE, false, 0, 0 },
	{ "18446744073709551615", WHOLE, false, 0, 0 },
	{ "-18446744073709551616", WHOLE, false, 0, 0 },
	{ "99999999999999999999", WHOLE, false, 0, 0 },
	{ "-", WHOLE, false, 0, 0 },
	{ "  -", WHOLE, false, 0, 0 },
	{ "--1", WHOLE, false, 0, 0 },
	{ "- 5", WHOLE, false, 0, 0 },
	{ "-\t5", WHOLE, false, 0, 0 },
	{ "+5", WHOLE, false, 0, 0 },
	{ "-1x", WHOLE, false, 0, 0 },
	{ "abc", WHOLE, false, 0, 0 },
	{ "", WHOLE, false, 0, 0 },
	{ "   ", WHOLE, false, 0, 0 },
	{ "-12345", 3, true, -12, 3 },
	{ "-5", 1, false, 0, 0 },
	{ " -5", 2, false, 0, 0 },
	{ "-1x", 2, true, -1, 2 },
};

static void
test_scan_i64(void **state)
{
	char name[128];
	struct scan sc;
	int64_t v;
	size_t i, full, len;
	char *buf;
	bool ok;

	(void)state;
	for (i = 0; i < sizeof(i64_cases) / sizeof(i64_cases[0]); i++) {
		const struct inum_case *tc = &i64_cases[i];

		snprintf(name, sizeof(name), "i64[%zu] \"%s\"/%d", i, tc->in,
		    tc->len);
		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		scan_init(&sc, buf, len);
		v = 0x5a5a5a5a;
		ok = scan_i64(&sc, &v);
		EXPECT_U64(name, ok, tc->ok);
		if (ok) {
			EXPECT_I64(name, v, tc->v);
			EXPECT_U64(name, sc.p - buf, tc->used);
		} else {
			EXPECT(name, sc.p == buf);
		}
		free(buf);
	}
}

/* ---- decimal fractions -------------------------------------------------- */

struct dbl_case {
	const char *in;
	int         len;
	bool        ok;
	double      v;
	size_t      used;
};

static const struct dbl_case dbl_cases[] = {
	{ "0", WHOLE, true, 0.0, 1 },
	{ "12", WHOLE, true, 12.0, 2 },
	{ "12.5", WHOLE, true, 12.5, 4 },
	{ "0.52", WHOLE, true, 0.52, 4 },
	{ "0.00", WHOLE, true, 0.0, 4 },
	{ "100.00", WHOLE, true, 100.0, 6 },
	{ "1.23", WHOLE, true, 1.23, 4 },
	{ "99.99", WHOLE, true, 99.99, 5 },
	{ ".5", WHOLE, true, 0.5, 2 },
	{ "5.", WHOLE, true, 5.0, 2 },
	{ " 3.25 x", WHOLE, true, 3.25, 5 },
	{ "\t0.10\n", WHOLE, true, 0.1, 5 },
	{ "0.125\r", WHOLE, true, 0.125, 5 },
	{ "123456.789", WHOLE, true, 123456.789, 10 },
	{ ".", WHOLE, false, 0, 0 },
	{ "", WHOLE, false, 0, 0 },
	{ "  ", WHOLE, false, 0, 0 },
	{ "-1", WHOLE, false, 0, 0 },
	{ "-0.5", WHOLE, false, 0, 0 },
	{ "+1", WHOLE, false, 0, 0 },
	{ "1e3", WHOLE, false, 0, 0 },
	{ "1.5e3", WHOLE, false, 0, 0 },
	{ "1.2.3", WHOLE, false, 0, 0 },
	{ "abc", WHOLE, false, 0, 0 },
	{ "12.5%", WHOLE, false, 0, 0 },
	{ "nan", WHOLE, false, 0, 0 },
	{ "inf", WHOLE, false, 0, 0 },
	{ "1,5", WHOLE, false, 0, 0 },
	{ "1.2345", 3, true, 1.2, 3 },
	{ "12.5", 2, true, 12.0, 2 },
	{ "12.5", 3, true, 12.0, 3 },
	{ ".5", 1, false, 0, 0 },
	{ "7e", 1, true, 7.0, 1 },
};

static void
test_scan_udouble(void **state)
{
	char name[128];
	struct scan sc;
	double v;
	size_t i, full, len;
	char *buf;
	bool ok;

	(void)state;
	for (i = 0; i < sizeof(dbl_cases) / sizeof(dbl_cases[0]); i++) {
		const struct dbl_case *tc = &dbl_cases[i];

		snprintf(name, sizeof(name), "udouble[%zu] \"%s\"/%d", i,
		    tc->in, tc->len);
		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		scan_init(&sc, buf, len);
		v = -42.0;
		ok = scan_udouble(&sc, &v);
		EXPECT_U64(name, ok, tc->ok);
		if (ok) {
			EXPECT_DBL(name, v, tc->v);
			EXPECT_U64(name, sc.p - buf, tc->used);
		} else {
			EXPECT(name, sc.p == buf);
		}
		free(buf);
	}
}

/* ---- words -------------------------------------------------------------- */

struct word_case {
	const char *in;
	int         len;
	const char *words[5];    /* expected words, NULL-terminated */
};

static const struct word_case word_cases[] = {
	{ "hello world", WHOLE, { "hello", "world", NULL } },
	{ "  \tfoo\t bar  ", WHOLE, { "foo", "bar", NULL } },
	{ "one", WHOLE, { "one", NULL } },
	{ "a b c d", WHOLE, { "a", "b", "c", "d", NULL } },
	{ "MemTotal:       16303428 kB\r\n", WHOLE,
	    { "MemTotal:", "16303428", "kB", NULL } },
	{ "", WHOLE, { NULL } },
	{ "   \t ", WHOLE, { NULL } },
	{ "\r\n", WHOLE, { NULL } },
	{ "foobar", 3, { "foo", NULL } },
	{ "ab cd", 4, { "ab", "c", NULL } },
	{ "ab cd", 3, { "ab", NULL } },
	{ "xyz", 0, { NULL } },
};

static void
test_scan_word(void **state)
{
	char name[128];
	struct scan sc;
	const char *w, *before;
	size_t i, k, wl, full, len;
	char *buf;

	(void)state;
	for (i = 0; i < sizeof(word_cases) / sizeof(word_cases[0]); i++) {
		const struct word_case *tc = &word_cases[i];

		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		scan_init(&sc, buf, len);
		for (k = 0; tc->words[k] != NULL; k++) {
			snprintf(name, sizeof(name), "word[%zu].%zu \"%s\"", i,
			    k, tc->words[k]);
			EXPECT(name, scan_word(&sc, &w, &wl));
			EXPECT(name, w >= buf && w + wl <= buf + len);
			EXPECT(name, scan_weq(w, wl, tc->words[k]));
			EXPECT(name, sc.p == w + wl);
		}
		snprintf(name, sizeof(name), "word[%zu].end", i);
		before = sc.p;
		EXPECT(name, !scan_word(&sc, &w, &wl));
		EXPECT_U64(name, wl, 0);
		/* a failed scan leaves the cursor where it was */
		EXPECT(name, sc.p == before);
		EXPECT(name, scan_eof(&sc));
		/* and keeps failing */
		EXPECT(name, !scan_word(&sc, &w, &wl));
		free(buf);
	}
}

/* ---- literals ----------------------------------------------------------- */

struct lit_case {
	const char *in;
	int         len;
	const char *lit;
	bool        ok;
	size_t      used;
};

static const struct lit_case lit_cases[] = {
	{ "avg10=1.00", WHOLE, "avg10=", true, 6 },
	{ "  avg10=1.00", WHOLE, "avg10=", true, 8 },
	{ "\tmax 100000", WHOLE, "max", true, 4 },
	{ "/1234", WHOLE, "/", true, 1 },
	{ "x", WHOLE, "x", true, 1 },
	{ "avg10=", WHOLE, "avg10=", true, 6 },
	{ "Avg10=", WHOLE, "avg10=", false, 0 },
	{ "avg60=", WHOLE, "avg10=", false, 0 },
	{ "avg1", WHOLE, "avg10=", false, 0 },
	{ "", WHOLE, "max", false, 0 },
	{ "   ", WHOLE, "max", false, 0 },
	{ "ma", WHOLE, "max", false, 0 },
	{ " m a x", WHOLE, "max", false, 0 },
	/* the literal continues past the span in memory: still no match */
	{ "avg10=", 4, "avg10=", false, 0 },
	{ "max", 2, "max", false, 0 },
	{ "  max", 4, "max", false, 0 },
	{ "total=5", 6, "total=", true, 6 },
};

static void
test_scan_lit(void **state)
{
	char name[128];
	struct scan sc;
	size_t i, full, len;
	char *buf;
	bool ok;

	(void)state;
	for (i = 0; i < sizeof(lit_cases) / sizeof(lit_cases[0]); i++) {
		const struct lit_case *tc = &lit_cases[i];

		snprintf(name, sizeof(name), "lit[%zu] \"%s\"/%d ~ \"%s\"", i,
		    tc->in, tc->len, tc->lit);
		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		scan_init(&sc, buf, len);
		ok = scan_lit(&sc, tc->lit);
		EXPECT_U64(name, ok, tc->ok);
		EXPECT_U64(name, sc.p - buf, ok ? tc->used : 0);
		free(buf);
	}
}

/* ---- word equality ------------------------------------------------------ */

struct weq_case {
	const char *w;
	size_t      wlen;
	const char *lit;
	bool        eq;
};

static const struct weq_case weq_cases[] = {
	{ "abc", 3, "abc", true },
	{ "abcdef", 3, "abc", true },
	{ "abc", 2, "ab", true },
	{ "abc", 2, "abc", false },
	{ "ab", 2, "abc", false },
	{ "abc", 3, "abd", false },
	{ "abc", 3, "ABC", false },
	{ "", 0, "", true },
	{ "x", 0, "", true },
	{ "x", 1, "", false },
	{ "cpu0", 3, "cpu", true },
	{ "cpu0", 4, "cpu", false },
};

static void
test_scan_weq(void **state)
{
	char name[128];
	size_t i;
	char *buf;

	(void)state;
	for (i = 0; i < sizeof(weq_cases) / sizeof(weq_cases[0]); i++) {
		const struct weq_case *tc = &weq_cases[i];

		snprintf(name, sizeof(name), "weq[%zu] \"%.*s\" == \"%s\"", i,
		    (int)tc->wlen, tc->w, tc->lit);
		buf = heap_copy(tc->w, tc->wlen);
		EXPECT_U64(name, scan_weq(buf, tc->wlen, tc->lit), tc->eq);
		free(buf);
	}
}

/* ---- blanks and end of span --------------------------------------------- */

struct space_case {
	const char *in;
	int         len;
	size_t      skipped;    /* bytes scan_space skips */
	bool        eof;
};

static const struct space_case space_cases[] = {
	{ "", WHOLE, 0, true },
	{ "x", WHOLE, 0, false },
	{ " x", WHOLE, 1, false },
	{ "  \t x", WHOLE, 4, false },
	{ "\t\t", WHOLE, 2, true },
	{ "  \t ", WHOLE, 4, true },
	/* sysfs files end in '\n', CRLF files in "\r\n": both are blank */
	{ "\n", WHOLE, 1, true },
	{ "\r\n", WHOLE, 2, true },
	{ " x", 1, 1, true },
	{ "   x", 2, 2, true },
	{ "x", 0, 0, true },
};

static void
test_scan_space_eof(void **state)
{
	char name[128];
	struct scan sc;
	size_t i, full, len;
	char *buf;

	(void)state;
	for (i = 0; i < sizeof(space_cases) / sizeof(space_cases[0]); i++) {
		const struct space_case *tc = &space_cases[i];

		snprintf(name, sizeof(name), "space[%zu]", i);
		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		scan_init(&sc, buf, len);
		scan_space(&sc);
		EXPECT_U64(name, sc.p - buf, tc->skipped);
		scan_init(&sc, buf, len);
		EXPECT_U64(name, scan_eof(&sc), tc->eof);
		EXPECT(name, sc.p <= sc.end);
		free(buf);
	}
}

/* ---- line splitting ----------------------------------------------------- */

#define MAXLINES 8

struct lines_rec {
	const char *base;
	size_t      n;
	size_t      off[MAXLINES];
	size_t      len[MAXLINES];
	size_t      stop_at;     /* return 7 from this line (1-based), 0: never */
};

static int
lines_cb(void *ctx, const char *line, size_t len)
{
	struct lines_rec *r = ctx;

	if (r->n >= MAXLINES)
		return -99;
	r->off[r->n] = (size_t)(line - r->base);
	r->len[r->n] = len;
	r->n++;
	if (r->stop_at != 0 && r->n == r->stop_at)
		return 7;
	return 0;
}

struct lines_case {
	const char *in;
	int         len;
	size_t      stop_at;
	int         rc;
	const char *lines[MAXLINES];    /* NULL-terminated */
};

static const struct lines_case lines_cases[] = {
	{ "", WHOLE, 0, 0, { NULL } },
	{ "a", WHOLE, 0, 0, { "a", NULL } },
	{ "a\n", WHOLE, 0, 0, { "a", NULL } },
	{ "a\nb", WHOLE, 0, 0, { "a", "b", NULL } },
	{ "a\nb\n", WHOLE, 0, 0, { "a", "b", NULL } },
	{ "a\n\nb\n", WHOLE, 0, 0, { "a", "", "b", NULL } },
	{ "\n", WHOLE, 0, 0, { "", NULL } },
	{ "\n\n", WHOLE, 0, 0, { "", "", NULL } },
	{ "a\r\nb\r\n", WHOLE, 0, 0, { "a\r", "b\r", NULL } },
	{ "cpu 1\nctxt 2\nbtime 3\n", WHOLE, 0, 0,
	    { "cpu 1", "ctxt 2", "btime 3", NULL } },
	/* spans cut from a longer buffer */
	{ "abc\ndef", 5, 0, 0, { "abc", "d", NULL } },
	{ "abc\ndef", 4, 0, 0, { "abc", NULL } },
	{ "abc\ndef", 3, 0, 0, { "abc", NULL } },
	{ "abc\ndef", 0, 0, 0, { NULL } },
	/* a non-zero return stops the walk and is returned */
	{ "1\n2\n3\n", WHOLE, 2, 7, { "1", "2", NULL } },
	{ "1\n2\n3\n", WHOLE, 1, 7, { "1", NULL } },
	{ "1\n2\n3", WHOLE, 3, 7, { "1", "2", "3", NULL } },
};

static void
test_scan_lines(void **state)
{
	char name[128];
	struct lines_rec r;
	size_t i, k, full, len;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < sizeof(lines_cases) / sizeof(lines_cases[0]); i++) {
		const struct lines_case *tc = &lines_cases[i];

		snprintf(name, sizeof(name), "lines[%zu]", i);
		full = strlen(tc->in);
		len = span_len(tc->in, tc->len);
		buf = heap_copy(tc->in, full);
		memset(&r, 0, sizeof(r));
		r.base = buf;
		r.stop_at = tc->stop_at;
		rc = scan_lines(buf, len, lines_cb, &r);
		EXPECT_I64(name, rc, tc->rc);
		for (k = 0; tc->lines[k] != NULL; k++) {
			snprintf(name, sizeof(name), "lines[%zu].%zu", i, k);
			EXPECT(name, k < r.n);
			EXPECT_U64(name, r.len[k], strlen(tc->lines[k]));
			EXPECT(name, r.off[k] + r.len[k] <= len);
			EXPECT(name, memcmp(buf + r.off[k], tc->lines[k],
			    r.len[k]) == 0);
		}
		snprintf(name, sizeof(name), "lines[%zu].count", i);
		EXPECT_U64(name, r.n, k);
		free(buf);
	}
}

/* ---- a real line, field by field ---------------------------------------- */

static void
test_scan_sequence(void **state)
{
	static const char line[] =
	    "cpu0 1393280 32966 572056 -5 0a 0.52 2/1234 tail";
	struct scan sc;
	const char *w;
	size_t wl;
	uint64_t u;
	int64_t i;
	double d;
	char *buf;

	(void)state;
	buf = heap_copy(line, sizeof(line) - 1);
	scan_init(&sc, buf, sizeof(line) - 1);
	assert_true(scan_word(&sc, &w, &wl));
	assert_true(scan_weq(w, wl, "cpu0"));
	assert_true(scan_u64(&sc, &u));
	assert_int_equal(u, 1393280);
	assert_true(scan_u64(&sc, &u));
	assert_int_equal(u, 32966);
	assert_true(scan_u64(&sc, &u));
	assert_int_equal(u, 572056);
	/* a failed unsigned scan leaves "-5" for the signed one */
	assert_false(scan_u64(&sc, &u));
	assert_true(scan_i64(&sc, &i));
	assert_int_equal(i, -5);
	assert_true(scan_hex64(&sc, &u));
	assert_int_equal(u, 10);
	assert_false(scan_u64(&sc, &u));       /* "0.52" is not an integer */
	assert_true(scan_udouble(&sc, &d));
	EXPECT_DBL("seq", d, 0.52);
	assert_true(scan_u64(&sc, &u));
	assert_int_equal(u, 2);
	assert_false(scan_lit(&sc, "//"));
	assert_true(scan_lit(&sc, "/"));
	assert_true(scan_u64(&sc, &u));
	assert_int_equal(u, 1234);
	assert_false(scan_eof(&sc));
	assert_false(scan_u64(&sc, &u));
	assert_true(scan_word(&sc, &w, &wl));
	assert_true(scan_weq(w, wl, "tail"));
	assert_true(scan_eof(&sc));
	assert_ptr_equal(sc.p, buf + sizeof(line) - 1);
	free(buf);
}

/*
 * Every scanner, from every offset, over every prefix of a line that
 * mixes all token kinds: the cursor stays inside the span and, under
 * AddressSanitizer, no byte past the (exactly sized) buffer is read.
 */
static void
test_scan_never_past_end(void **state)
{
	static const char text[] =
	    "  cpu0 18446744073709551615 -12 ff 3.25 avg10=0.00\t/7,8:9-\r\n";
	struct scan sc;
	const char *w;
	size_t n, off, wl;
	uint64_t u;
	int64_t i;
	double d;
	char *buf;
	unsigned k;

	(void)state;
	for (n = 0; n < sizeof(text); n++) {
		buf = heap_copy(text, n);
		for (off = 0; off <= n; off++) {
			for (k = 0; k < 8; k++) {
				scan_init(&sc, buf + off, n - off);
				switch (k) {
				case 0: (void)scan_u64(&sc, &u); break;
				case 1: (void)scan_hex64(&sc, &u); break;
				case 2: (void)scan_i64(&sc, &i); break;
				case 3: (void)scan_udouble(&sc, &d); break;
				case 4: (void)scan_word(&sc, &w, &wl); break;
				case 5: (void)scan_lit(&sc, "avg10="); break;
				case 6: (void)scan_eof(&sc); break;
				default: scan_space(&sc); break;
				}
				assert_true(sc.p >= buf + off);
				assert_true(sc.p <= buf + n);
				assert_ptr_equal(sc.end, buf + n);
			}
		}
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_u64),
		cmocka_unit_test(test_scan_hex64),
		cmocka_unit_test(test_scan_i64),
		cmocka_unit_test(test_scan_udouble),
		cmocka_unit_test(test_scan_word),
		cmocka_unit_test(test_scan_lit),
		cmocka_unit_test(test_scan_weq),
		cmocka_unit_test(test_scan_space_eof),
		cmocka_unit_test(test_scan_lines),
		cmocka_unit_test(test_scan_sequence),
		cmocka_unit_test(test_scan_never_past_end),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
