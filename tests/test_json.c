/*
 * test_json.c - the bounded JSON writer: exact output, escaping, null for
 * unknown numbers, and overflow at every buffer size.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "agent/json.h"

static long
write_doc(char *buf, size_t cap)
{
	struct jw j;

	jw_init(&j, buf, cap);
	jw_obj(&j, NULL);
	jw_num(&j, "int", 42);
	jw_num(&j, "big", 25276026880.0);
	jw_num(&j, "ratio", 0.143564123);
	jw_num(&j, "time", 1795430611.25);
	jw_num(&j, "unknown", (double)NAN);
	jw_num(&j, "inf", (double)INFINITY);
	jw_bool(&j, "t", true);
	jw_str(&j, "s", "a\"b\\c\n\x01");
	jw_arr(&j, "list");
	jw_num(&j, NULL, 1);
	jw_obj(&j, NULL);
	jw_end_obj(&j);
	jw_end_arr(&j);
	jw_end_obj(&j);
	return jw_finish(&j);
}

static const char expect[] =
    "{\"int\":42,\"big\":25276026880,\"ratio\":0.143564,"
    "\"time\":1795430611.25,\"unknown\":null,\"inf\":null,\"t\":true,"
    "\"s\":\"a\\\"b\\\\c\\n\\u0001\",\"list\":[1,{}]}";

static void
t_exact_output(void **state)
{
	char buf[512];
	long n;

	(void)state;
	n = write_doc(buf, sizeof(buf));
	assert_int_equal(n, (long)strlen(expect));
	assert_string_equal(buf, expect);
}

/* Every buffer too small by any amount fails cleanly, never overruns. */
static void
t_overflow_every_size(void **state)
{
	char buf[sizeof(expect) + 8];
	size_t cap;

	(void)state;
	for (cap = 0; cap <= strlen(expect); cap++) {
		memset(buf, 'X', sizeof(buf));
		assert_int_equal(write_doc(buf, cap), -1);
		assert_int_equal(buf[cap], 'X');   /* nothing past cap */
	}
	/* exactly big enough: text plus NUL */
	assert_int_equal(write_doc(buf, strlen(expect) + 1),
	    (long)strlen(expect));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_exact_output),
		cmocka_unit_test(t_overflow_every_size),
	};

	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
