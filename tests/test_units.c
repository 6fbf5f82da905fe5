/*
 * test_units.c - durations and sizes as the CLI and config accept them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "agent/err.h"
#include "agent/units.h"

struct ucase {
	const char *in;
	int         rc;
	uint64_t    out;
};

static const struct ucase dur[] = {
	{ "1s", 0, 1000000 }, { "500ms", 0, 500000 }, { "10", 0, 10000000 },
	{ "5m", 0, 300000000 }, { "1h", 0, 3600000000ull }, { "250us", 0, 250 },
	{ "1.5s", 0, 1500000 }, { "0.25m", 0, 15000000 }, { "0", 0, 0 },
	{ "", HR_EINVAL, 0 }, { "s", HR_EINVAL, 0 }, { "1x", HR_EINVAL, 0 },
	{ "1 s", HR_EINVAL, 0 }, { "-1s", HR_EINVAL, 0 }, { "1sec", HR_EINVAL, 0 },
	{ "99999999999999999999s", HR_ERANGE, 0 },
	{ "9999999999999h", HR_ERANGE, 0 },
};

static const struct ucase size[] = {
	{ "512", 0, 512 }, { "64KiB", 0, 65536 }, { "4MiB", 0, 4194304 },
	{ "1GiB", 0, 1073741824 }, { "2K", 0, 2048 }, { "10B", 0, 10 },
	{ "1.5KiB", 0, 1536 }, { "1kb", HR_EINVAL, 0 }, { "KiB", HR_EINVAL, 0 },
	{ "", HR_EINVAL, 0 }, { "99999999999GiB", HR_ERANGE, 0 },
};

static void
t_durations(void **state)
{
	size_t i;
	uint64_t v;

	(void)state;
	for (i = 0; i < sizeof(dur) / sizeof(dur[0]); i++) {
		v = 0;
		print_message("duration '%s'\n", dur[i].in);
		assert_int_equal(units_duration_us(dur[i].in, &v), dur[i].rc);
		if (dur[i].rc == 0)
			assert_true(v == dur[i].out);
	}
}

static void
t_sizes(void **state)
{
	size_t i;
	uint64_t v;

	(void)state;
	for (i = 0; i < sizeof(size) / sizeof(size[0]); i++) {
		v = 0;
		print_message("size '%s'\n", size[i].in);
		assert_int_equal(units_size_bytes(size[i].in, &v), size[i].rc);
		if (size[i].rc == 0)
			assert_true(v == size[i].out);
	}
}

static void
t_uint(void **state)
{
	uint64_t v;

	(void)state;
	assert_int_equal(units_uint("42", 100, &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(units_uint("101", 100, &v), HR_ERANGE);
	assert_int_equal(units_uint("4.2", 100, &v), HR_EINVAL);
	assert_int_equal(units_uint("4x", 100, &v), HR_EINVAL);
	assert_int_equal(units_uint("", 100, &v), HR_EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_durations),
		cmocka_unit_test(t_sizes),
		cmocka_unit_test(t_uint),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
