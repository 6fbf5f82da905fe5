/*
 * test_senml.c - the report path below the CLI: quantisation, the
 * shortest number encoding, golden bytes of a small pack, the exact and
 * one-byte-short buffers, splitting into parts, and aggregation (mean,
 * peak, sums, capacities on change, table overflow).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "agent/agg.h"
#include "agent/decode.h"
#include "agent/err.h"
#include "agent/senml.h"

static struct hr_agg agg;
static struct hr_rec recs[HR_MAX_RECORDS];
static uint8_t       buf[65536];

static const struct senml_head head = {
	"a", 1700000000.0, 10, 1, "0123456789abcdef"
};

/* ---- quantisation ------------------------------------------------------- */

static void
t_quantise(void **state)
{
	static const struct {
		const char *unit;
		double      in, out;
	} tab[] = {
		{ "/", 0.5, 0.5 },
		{ "/", 0.1, 0.0999755859375 },        /* nearest half */
		{ "/", 1.0, 1.0 },
		{ "/", 0.0, 0.0 },
		{ "/", 0.00001, 168.0 / 16777216.0 },  /* subnormal step 2^-24 */
		{ "B", 1.6, 2.0 },
		{ "B/s", 1e12 + 0.4, 1e12 },
		{ "bit/s", 1e9, 1e9 },
		{ "count", 7.0, 7.0 },
		{ "count", 9223372036854775807.0, 9223372036854775807.0 },
		{ "count", 7.3, 7.30078125 },
		{ "1/s", 422.881, 423.0 },             /* 11 bits: step 0.25 */
		{ "1/s", 100000.4, 100000.0 },         /* whole above 2048 */
		{ "s", 0.00234, 0.0023403167724609375 },
	};
	size_t i;
	double q;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		q = senml_quantise(tab[i].unit, tab[i].in);
		if (q != tab[i].out)
			fail_msg("quantise %s %.17g: got %.17g, want %.17g",
			    tab[i].unit, tab[i].in, q, tab[i].out);
	}
}

/* ---- golden bytes --------------------------------------------------------- */

static const struct hr_rec golden_recs[] = {
	{ "cpu.", "util", false, "/", 0.5, NULL },
	{ "cpu.", "util", true, "/", 0.75, NULL },
	{ "mem.", "total", false, "B", 1024, NULL },
};

/* Written out by hand from RFC 8949 and RFC 8428 table 4. */
static const uint8_t golden[] = {
	0x87,                                   /* array(7) */
	0xa4, 0x21, 0x62, 'a', '/',             /* {bn: "a/", */
	0x22, 0x1a, 0x65, 0x53, 0xf1, 0x00,     /*  bt: 1700000000, */
	0x00, 0x66, 's', 'c', 'h', 'e', 'm', 'a', /* n: "schema", */
	0x02, 0x01,                             /*  v: 1} */
	0xa2, 0x00, 0x64, 'b', 'o', 'o', 't',   /* {n: "boot", */
	0x03, 0x70, '0', '1', '2', '3', '4', '5', '6', '7', '8', '9',
	'a', 'b', 'c', 'd', 'e', 'f',           /*  vs: "0123...f"} */
	0xa2, 0x00, 0x63, 's', 'e', 'q', 0x02, 0x01,  /* {n: "seq", v: 1} */
	0xa3, 0x00, 0x68, 'i', 'n', 't', 'e', 'r', 'v', 'a', 'l',
	0x01, 0x61, 's', 0x02, 0x0a,            /* {n: "interval", u: "s", v: 10} */
	0xa4, 0x21, 0x66, 'a', '/', 'c', 'p', 'u', '.',  /* {bn: "a/cpu.", */
	0x23, 0x61, '/',                        /*  bu: "/", */
	0x00, 0x64, 'u', 't', 'i', 'l',         /*  n: "util", */
	0x02, 0xf9, 0x38, 0x00,                 /*  v: 0.5 (half)} */
	0xa2, 0x00, 0x69, 'u', 't', 'i', 'l', '.', 'p', 'e', 'a', 'k',
	0x02, 0xf9, 0x3a, 0x00,                 /* {n: "util.peak", v: 0.75} */
	0xa4, 0x21, 0x66, 'a', '/', 'm', 'e', 'm', '.',  /* {bn: "a/mem.", */
	0x23, 0x61, 'B',                        /*  bu: "B", */
	0x00, 0x65, 't', 'o', 't', 'a', 'l',    /*  n: "total", */
	0x02, 0x19, 0x04, 0x00,                 /*  v: 1024} */
};

static void
t_golden_bytes(void **state)
{
	size_t len;

	(void)state;
	assert_int_equal(senml_pack(&head, golden_recs, 3, 0, 0, buf,
	    sizeof(buf), &len), 0);
	assert_int_equal(len, sizeof(golden));
	assert_memory_equal(buf, golden, sizeof(golden));
}

static void
t_exact_and_one_short(void **state)
{
	uint8_t exact[sizeof(golden) + 1];
	size_t len;

	(void)state;
	memset(exact, 0xee, sizeof(exact));
	assert_int_equal(senml_pack(&head, golden_recs, 3, 0, 0, exact,
	    sizeof(golden), &len), 0);
	assert_int_equal(len, sizeof(golden));
	assert_memory_equal(exact, golden, sizeof(golden));
	assert_int_equal(exact[sizeof(golden)], 0xee);

	memset(exact, 0xee, sizeof(exact));
	assert_int_equal(senml_pack(&head, golden_recs, 3, 0, 0, exact,
	    sizeof(golden) - 1, &len), HR_ETRUNC);
	assert_int_equal(len, sizeof(golden));     /* the size it needs */
	assert_int_equal(exact[sizeof(golden) - 1], 0xee);  /* untouched */
}

static void
t_shortest_numbers(void **state)
{
	static const struct {
		double  v;
		uint8_t bytes[9];
		size_t  n;
	} tab[] = {
		{ 0, { 0x00 }, 1 },
		{ 23, { 0x17 }, 1 },
		{ 24, { 0x18, 0x18 }, 2 },
		{ -3, { 0x22 }, 1 },
		{ 100000, { 0x1a, 0x00, 0x01, 0x86, 0xa0 }, 5 },
		{ 1.5, { 0xf9, 0x3e, 0x00 }, 3 },
		{ -0.25, { 0xf9, 0xb4, 0x00 }, 3 },
		{ 65504.5, { 0xfa, 0x47, 0x7f, 0xe0, 0x80 }, 5 },
		{ 0.1, { 0xfb, 0x3f, 0xb9, 0x99, 0x99, 0x99, 0x99, 0x99,
		    0x9a }, 9 },
	};
	struct hr_rec r = { "g.", "x", false, "count", 0, NULL };
	const uint8_t *p;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		/* a one-record pack ends with the record's v label (0x02)
		 * and then the value */
		r.v = tab[i].v;
		assert_int_equal(senml_pack(&head, &r, 1, 0, 0, buf,
		    sizeof(buf), &len), 0);
		p = buf + len - tab[i].n;
		if (memcmp(p, tab[i].bytes, tab[i].n) != 0 || p[-1] != 0x02)
			fail_msg("value %.17g: wrong encoding", tab[i].v);
	}
}

/* ---- parts ------------------------------------------------------------------- */

struct collect {
	size_t   nparts, nrec, max_len;
	uint32_t last_part, parts;
	char     names[512][64];
	double   values[512];
	size_t   nnames;
};

static int
on_rec(void *ctx, const struct dec_rec *r)
{
	struct collect *c = ctx;

	c->nrec++;
	/* data records only: metadata names have no group dot */
	if (strchr(r->name + 2, '.') != NULL && c->nnames < 512) {
		size_t l = strlen(r->name);

		assert_true(l < 64);
		memcpy(c->names[c->nnames], r->name, l + 1);
		c->values[c->nnames++] = r->v;
	}
	return 0;
}

static int
on_part(void *ctx, const uint8_t *p, size_t len, uint32_t part,
    uint32_t parts)
{
	struct collect *c = ctx;
	char err[256];
	size_t used;

	c->nparts++;
	if (len > c->max_len)
		c->max_len = len;
	/* a whole report is part 0 of 0; parts are numbered from 1 */
	assert_int_equal(part, parts ? c->last_part + 1 : 0);
	c->last_part = part;
	c->parts = parts;
	/* every part decodes on its own */
	if (senml_decode(p, len, &used, on_rec, c, err, sizeof(err)) != 0)
		fail_msg("part %u does not decode: %s", part, err);
	assert_int_equal(used, len);
	return 0;
}

static void
t_parts(void **state)
{
	static struct hr_rec many[300];
	static char groups[30][16];
	static struct collect c;
	size_t i;
	int n;

	(void)state;
	for (i = 0; i < 30; i++)
		snprintf(groups[i], sizeof(groups[i]), "disk.d%zu.", i);
	static const char *const names[5] = { "util", "rdB", "wrB", "rd",
	    "wr" };
	static const char *const units[5] = { "/", "B/s", "B/s", "1/s",
	    "1/s" };

	/* 30 groups of 5 series, each with its mean then its peak */
	for (i = 0; i < 300; i++) {
		many[i].group = groups[i / 10];
		many[i].name = names[(i % 10) / 2];
		many[i].unit = units[(i % 10) / 2];
		many[i].peak = i % 2;
		many[i].v = (i % 10) < 2 ? 0.25 : (double)(i * 1000);
	}
	memset(&c, 0, sizeof(c));
	n = senml_encode(&head, many, 300, 512, buf, sizeof(buf), on_part, &c);
	assert_true(n > 1);
	assert_int_equal((size_t)n, c.nparts);
	assert_int_equal(c.parts, (uint32_t)n);
	assert_true(c.max_len <= 512);
	/* every data record arrived once, in order, under its full name */
	assert_int_equal(c.nnames, 300);
	for (i = 0; i < 300; i++) {
		char want[64];

		snprintf(want, sizeof(want), "a/%s%s%s", many[i].group,
		    many[i].name, many[i].peak ? ".peak" : "");
		assert_string_equal(c.names[i], want);
		assert_true(c.values[i] == many[i].v);
	}

	/* one message is enough: no part records */
	memset(&c, 0, sizeof(c));
	n = senml_encode(&head, many, 300, sizeof(buf), buf, sizeof(buf),
	    on_part, &c);
	assert_int_equal(n, 1);
	assert_int_equal(c.parts, 0);
}

static void
t_record_too_big_for_any_part(void **state)
{
	static struct collect c;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(senml_encode(&head, golden_recs, 3, 60, buf,
	    sizeof(buf), on_part, &c), HR_ETRUNC);
	assert_int_equal(c.nparts, 0);
}

/* ---- aggregation ------------------------------------------------------------ */

static const struct hr_series_desc d_util = { "util", "/", HR_AGG_MEAN_PEAK };
static const struct hr_series_desc d_oom = { "oom", "count", HR_AGG_SUM };
static const struct hr_series_desc d_total = { "total", "B",
	HR_AGG_CAPACITY };

static const struct hr_rec *
find(uint32_t n, const char *group, const char *name, bool peak)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(recs[i].group, group) == 0 &&
		    strcmp(recs[i].name, name) == 0 && recs[i].peak == peak)
			return &recs[i];
	return NULL;
}

/* Records as our decoder resolves them, for the tests below. */
struct seen {
	unsigned        n;
	struct dec_rec  r[16];
};

static int
keep_rec(void *ctx, const struct dec_rec *r)
{
	struct seen *s = ctx;

	if (s->n < 16)
		s->r[s->n] = *r;
	s->n++;
	return 0;
}

static void
decode_all(const uint8_t *b, size_t len, struct seen *s)
{
	char err[256];
	size_t used;

	memset(s, 0, sizeof(*s));
	if (senml_decode(b, len, &used, keep_rec, s, err, sizeof(err)) != 0)
		fail_msg("does not decode: %s", err);
	assert_int_equal(used, len);
}

/*
 * A report's text records (the bottleneck) come first, carry vs and no
 * unit, and leave no base unit behind: the first number states its own.
 */
static void
t_text_records(void **state)
{
	static const struct hr_rec rec[] = {
		{ "bottleneck.", "res", false, NULL, 0, "disk.sda" },
		{ "bottleneck.", "why", false, NULL, 0, "busy time" },
		{ "bottleneck.", "headroom", false, "/", 0.25, NULL },
		{ "disk.sda.", "util", false, "/", 0.75, NULL },
	};
	struct senml_head h = { "edge-1", 1795430610.0, 10, 3,
	    "0123456789abcdef" };
	uint8_t b[512];
	struct seen s;
	size_t len;

	(void)state;
	assert_int_equal(senml_pack(&h, rec, 4, 0, 0, b, sizeof(b), &len), 0);
	decode_all(b, len, &s);
	assert_int_equal(s.n, 8);                 /* 4 metadata + 4 */
	assert_string_equal(s.r[4].name, "edge-1/bottleneck.res");
	assert_int_equal(s.r[4].kind, DEC_VS);
	assert_string_equal(s.r[4].vs, "disk.sda");
	assert_string_equal(s.r[4].unit, "");
	assert_string_equal(s.r[5].name, "edge-1/bottleneck.why");
	assert_string_equal(s.r[5].vs, "busy time");
	assert_string_equal(s.r[5].unit, "");
	assert_string_equal(s.r[6].name, "edge-1/bottleneck.headroom");
	assert_int_equal(s.r[6].kind, DEC_V);
	assert_string_equal(s.r[6].unit, "/");
	assert_true(s.r[6].v == 0.25);
	assert_string_equal(s.r[7].name, "edge-1/disk.sda.util");
	assert_string_equal(s.r[7].unit, "/");
}

/* The event pack: metadata with its own seq, texts, then numbers with
 * their units, quantised. */
static void
t_event_pack(void **state)
{
	static const struct senml_text t[] = {
		{ "event", "headroom" }, { "state", "raised" },
		{ "resource", "queue.mail" }, { "why", "depth" },
	};
	static const struct senml_num v[] = {
		{ "headroom", "/", 0.1 }, { "level", "/", 0.1 },
		{ "tte", "s", 1234.56 }, { "held", "s", 30 },
	};
	struct senml_head h = { "edge-1", 1795430610.5, 0, 7,
	    "0123456789abcdef" };
	uint8_t b[512];
	struct seen s;
	size_t len, need;

	(void)state;
	assert_int_equal(senml_event(&h, t, 4, v, 4, b, sizeof(b), &len), 0);
	decode_all(b, len, &s);
	assert_int_equal(s.n, 11);
	assert_string_equal(s.r[0].name, "edge-1/schema");
	assert_true(s.r[0].time == 1795430610.5);
	assert_string_equal(s.r[1].name, "edge-1/boot");
	assert_string_equal(s.r[2].name, "edge-1/seq");
	assert_true(s.r[2].v == 7);
	assert_string_equal(s.r[3].name, "edge-1/event");
	assert_string_equal(s.r[3].vs, "headroom");
	assert_string_equal(s.r[5].vs, "queue.mail");
	assert_string_equal(s.r[7].name, "edge-1/headroom");
	assert_string_equal(s.r[7].unit, "/");
	assert_true(s.r[7].v == senml_quantise("/", 0.1));
	assert_string_equal(s.r[8].unit, "/");     /* base unit carried */
	assert_string_equal(s.r[9].name, "edge-1/tte");
	assert_string_equal(s.r[9].unit, "s");
	assert_true(s.r[9].v == senml_quantise("s", 1234.56));
	assert_string_equal(s.r[10].name, "edge-1/held");
	assert_true(s.r[10].v == 30);
	for (unsigned i = 0; i < s.n; i++)
		assert_true(s.r[i].time == 1795430610.5);
	/* too small a buffer: the size needed, exactly */
	need = len;
	assert_int_equal(senml_event(&h, t, 4, v, 4, b, need - 1, &len),
	    HR_ETRUNC);
	assert_int_equal(len, need);
}

static void
t_agg_mean_peak_sum(void **state)
{
	const struct hr_rec *r;
	uint32_t n;

	(void)state;
	agg_init(&agg);
	agg_add_value(&agg, "cpu.", &d_util, 0.25);
	agg_add_value(&agg, "cpu.", &d_util, 0.75);
	agg_add_value(&agg, "cpu.", &d_util, 0.5);
	agg_add_value(&agg, "mem.", &d_oom, 1);
	agg_add_value(&agg, "mem.", &d_oom, 2);
	agg_add_value(&agg, "disk.sda.", &d_util, 0.125);
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, 4);
	assert_non_null(r = find(n, "cpu.", "util", false));
	assert_true(r->v == 0.5);
	assert_non_null(r = find(n, "cpu.", "util", true));
	assert_true(r->v == 0.75);
	assert_non_null(r = find(n, "mem.", "oom", false));
	assert_true(r->v == 3);
	/* one value: the peak equals the mean and is not written */
	assert_non_null(find(n, "disk.sda.", "util", false));
	assert_null(find(n, "disk.sda.", "util", true));
	/* first-seen order */
	assert_string_equal(recs[0].group, "cpu.");
	assert_string_equal(recs[3].group, "disk.sda.");

	/* a new interval starts empty */
	agg_add_value(&agg, "cpu.", &d_util, 1);
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, 1);
	assert_true(recs[0].v == 1);
}

/* Headroom and time to exhaustion: the least value, one record. */
static void
t_agg_least(void **state)
{
	static const struct hr_series_desc d_room = { "headroom", "/",
	    HR_AGG_MIN };
	const struct hr_rec *r;
	uint32_t n;

	(void)state;
	agg_init(&agg);
	agg_add_value(&agg, "mem.", &d_room, 0.5);
	agg_add_value(&agg, "mem.", &d_room, 0.125);
	agg_add_value(&agg, "mem.", &d_room, 0.75);
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, 1);
	assert_non_null(r = find(n, "mem.", "headroom", false));
	assert_true(r->v == 0.125);
	assert_null(find(n, "mem.", "headroom", true));
	assert_null(r->vs);
}

static void
t_agg_capacity_on_change(void **state)
{
	uint32_t n;

	(void)state;
	agg_init(&agg);
	agg_add_value(&agg, "mem.", &d_total, 4096);
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, 1);                 /* first report: sent */
	assert_true(recs[0].v == 4096);
	agg_add_value(&agg, "mem.", &d_total, 4096);
	assert_int_equal(agg_finish(&agg, recs, HR_MAX_RECORDS), 0);
	agg_add_value(&agg, "mem.", &d_total, 4096);
	agg_add_value(&agg, "mem.", &d_total, 8192);   /* hot-added RAM */
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, 1);
	assert_true(recs[0].v == 8192);         /* the latest value */
	agg_caps_reset(&agg);                   /* e.g. a new connection */
	agg_add_value(&agg, "mem.", &d_total, 8192);
	assert_int_equal(agg_finish(&agg, recs, HR_MAX_RECORDS), 1);
}

static void
t_agg_overflow_counted(void **state)
{
	char g[32];
	uint32_t i, n;

	(void)state;
	agg_init(&agg);
	for (i = 0; i < HR_MAX_SERIES; i++) {
		snprintf(g, sizeof(g), "disk.d%u.", i);
		agg_add_value(&agg, g, &d_util, 0.5);
	}
	/* three quarters of the table are usable; the rest is counted */
	assert_int_equal(agg.overflow, HR_MAX_SERIES / 4);
	n = agg_finish(&agg, recs, HR_MAX_RECORDS);
	assert_int_equal(n, HR_MAX_SERIES - HR_MAX_SERIES / 4);
	/* too few records for the report: counted too */
	for (i = 0; i < 10; i++) {
		snprintf(g, sizeof(g), "disk.d%u.", i);
		agg_add_value(&agg, g, &d_util, 0.5);
	}
	n = agg_finish(&agg, recs, 4);
	assert_int_equal(n, 4);
	assert_int_equal(agg.overflow, HR_MAX_SERIES / 4 + 6);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_quantise),
		cmocka_unit_test(t_golden_bytes),
		cmocka_unit_test(t_exact_and_one_short),
		cmocka_unit_test(t_shortest_numbers),
		cmocka_unit_test(t_parts),
		cmocka_unit_test(t_record_too_big_for_any_part),
		cmocka_unit_test(t_text_records),
		cmocka_unit_test(t_event_pack),
		cmocka_unit_test(t_agg_mean_peak_sum),
		cmocka_unit_test(t_agg_least),
		cmocka_unit_test(t_agg_capacity_on_change),
		cmocka_unit_test(t_agg_overflow_counted),
	};

	return cmocka_run_group_tests_name("senml", tests, NULL, NULL);
}
