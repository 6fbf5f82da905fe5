/*
 * test_rate.c - counter deltas: first sample, 32/64-bit wraps, resets,
 * time not advancing.  Table-driven: one row per case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "agent/err.h"
#include "agent/rate.h"

#define U32MAX 4294967295ull

struct delta_case {
	const char   *what;
	uint64_t      prev, cur;
	unsigned      bits;
	enum hr_delta kind;
	uint64_t      delta;
};

static const struct delta_case delta_cases[] = {
	{ "steady 64", 100, 250, 64, HR_DELTA_OK, 150 },
	{ "no change", 7, 7, 32, HR_DELTA_OK, 0 },
	{ "32-bit wrap by 0x20", 0xFFFFFFF0ull, 0x10, 32, HR_DELTA_WRAP, 0x20 },
	{ "32-bit wrap to zero", U32MAX, 0, 32, HR_DELTA_WRAP, 1 },
	{ "32-bit wrap, eth0 fixture", 4294967000ull, 1000, 32, HR_DELTA_WRAP,
	    296 + 1000 },
	{ "32-bit wrap, quarter range", 0xC0000000ull, 0, 32, HR_DELTA_WRAP,
	    0x40000000ull },
	{ "32-bit reset, small values", 1000, 5, 32, HR_DELTA_RESET, 0 },
	{ "32-bit reset, mid range", 0x80000000ull, 0x100, 32, HR_DELTA_RESET,
	    0 },
	{ "32-bit: prev above 2^32 is no wrap", 0x100000000ull, 5, 32,
	    HR_DELTA_RESET, 0 },
	{ "64-bit wrap", UINT64_MAX - 9, 5, 64, HR_DELTA_WRAP, 15 },
	{ "64-bit reset (reboot)", 5000000000ull, 100, 64, HR_DELTA_RESET, 0 },
	{ "64-bit: 32-bit-looking drop is a reset", 0xFFFFFFF0ull, 0x10, 64,
	    HR_DELTA_RESET, 0 },
	{ "64-bit big step", 0, UINT64_MAX, 64, HR_DELTA_OK, UINT64_MAX },
};

static void
t_delta_table(void **state)
{
	size_t i;
	uint64_t d;

	(void)state;
	for (i = 0; i < sizeof(delta_cases) / sizeof(delta_cases[0]); i++) {
		const struct delta_case *c = &delta_cases[i];

		d = 12345;
		print_message("case: %s\n", c->what);
		assert_int_equal(rate_delta(c->prev, c->cur, c->bits, &d),
		    c->kind);
		assert_true(d == c->delta);
	}
}

struct rate_case {
	const char   *what;
	uint64_t      prev, cur, dt_us;
	unsigned      bits;
	int           rc;
	double        rate;
};

static const struct rate_case rate_cases[] = {
	{ "1000 in 1 s", 0, 1000, 1000000, 64, 0, 1000.0 },
	{ "1000 in 0.5 s", 0, 1000, 500000, 64, 0, 2000.0 },
	{ "wrap over 2 s", 0xFFFFFF00ull, 0x100, 2000000, 32, 0, 256.0 },
	{ "time did not advance", 0, 1000, 0, 64, HR_EAGAIN, 0 },
	{ "reset gives no rate", 1000, 10, 1000000, 64, HR_EAGAIN, 0 },
	{ "zero rate", 42, 42, 1000000, 32, 0, 0.0 },
};

static void
t_rate_table(void **state)
{
	size_t i;
	double r;
	enum hr_delta k;

	(void)state;
	for (i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++) {
		const struct rate_case *c = &rate_cases[i];

		r = -1;
		print_message("case: %s\n", c->what);
		assert_int_equal(rate_per_s(c->prev, c->cur, c->bits, c->dt_us,
		    &r, &k), c->rc);
		if (c->rc == 0)
			assert_true(r > c->rate - 1e-9 && r < c->rate + 1e-9);
	}
}

static void
t_kind_reported_on_no_time(void **state)
{
	double r;
	enum hr_delta k = HR_DELTA_OK;

	(void)state;
	assert_int_equal(rate_per_s(U32MAX, 3, 32, 0, &r, &k), HR_EAGAIN);
	assert_int_equal(k, HR_DELTA_WRAP);
	assert_int_equal(rate_per_s(3, 1, 32, 1000000, &r, NULL), HR_EAGAIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_delta_table),
		cmocka_unit_test(t_rate_table),
		cmocka_unit_test(t_kind_reported_on_no_time),
	};

	return cmocka_run_group_tests_name("rate", tests, NULL, NULL);
}
