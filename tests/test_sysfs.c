/*
 * test_sysfs.c - unit tests of the single-value file parsers
 * (platform/sysfs.h).
 *
 * Each input is handed over in a heap buffer of exactly its size with no
 * NUL, as read(2) would leave it, so AddressSanitizer sees any read past
 * the content.  Cases with a span shorter than the text check that the
 * bytes after the span are not looked at.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tests/expect.h"

#include "agent/err.h"
#include "platform/sysfs.h"

/* ---- one number --------------------------------------------------------- */

struct u64_case {
	const char *in;
	int         len;
	int         rc;
	uint64_t    v;
};

static const struct u64_case u64_cases[] = {
	{ "0", WHOLE, 0, 0 },
	{ "0\n", WHOLE, 0, 0 },
	{ "42\n", WHOLE, 0, 42 },
	{ "  42  \n", WHOLE, 0, 42 },
	{ "42\r\n", WHOLE, 0, 42 },
	{ "4194304\n", WHOLE, 0, 4194304 },              /* pid_max */
	{ "262144\n", WHOLE, 0, 262144 },                /* nf_conntrack_max */
	{ "18446744073709551615\n", WHOLE, 0, UINT64_MAX },
	{ "18446744073709551616\n", WHOLE, HR_EINVAL, 0 },
	{ "99999999999999999999999", WHOLE, HR_EINVAL, 0 },
	{ "", WHOLE, HR_EINVAL, 0 },
	{ "\n", WHOLE, HR_EINVAL, 0 },
	{ "abc\n", WHOLE, HR_EINVAL, 0 },
	{ "-1\n", WHOLE, HR_EINVAL, 0 },
	{ "42 43\n", WHOLE, HR_EINVAL, 0 },
	{ "42x\n", WHOLE, HR_EINVAL, 0 },
	{ "4.2\n", WHOLE, HR_EINVAL, 0 },
	{ "0x10\n", WHOLE, HR_EINVAL, 0 },
	{ "max\n", WHOLE, HR_EINVAL, 0 },
	{ "12345", 2, 0, 12 },
	{ "7 junk", 2, 0, 7 },
	{ "7x", 1, 0, 7 },
};

static void
test_sysfs_u64(void **state)
{
	char name[128];
	uint64_t v;
	size_t i;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(u64_cases); i++) {
		const struct u64_case *tc = &u64_cases[i];

		snprintf(name, sizeof(name), "u64[%zu] \"%s\"/%d", i, tc->in,
		    tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		v = 0xdeadbeef;
		rc = sysfs_parse_u64(buf, span_len(tc->in, tc->len), &v);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0)
			EXPECT_U64(name, v, tc->v);
		free(buf);
	}
}

/* ---- several numbers ---------------------------------------------------- */

struct u64s_case {
	const char *in;
	unsigned    n;
	int         rc;
	uint64_t    v[4];
};

static const struct u64s_case u64s_cases[] = {
	/* /proc/sys/fs/file-nr: allocated, unused (always 0 since 2.6), max */
	{ "1824\t0\t9223372036854775807\n", 3, 0,
	    { 1824, 0, 9223372036854775807ULL } },
	{ "4096 0 808472\n", 3, 0, { 4096, 0, 808472 } },
	{ "1 2 3", 3, 0, { 1, 2, 3 } },
	{ "  1   2   3  \r\n", 3, 0, { 1, 2, 3 } },
	{ "5\n", 1, 0, { 5 } },
	{ "1 2", 2, 0, { 1, 2 } },
	{ "1 2\n", 3, HR_EINVAL, { 0 } },              /* too few */
	{ "1 2 3 4\n", 3, HR_EINVAL, { 0 } },          /* too many */
	{ "1 x 3\n", 3, HR_EINVAL, { 0 } },
	{ "1 2 18446744073709551616\n", 3, HR_EINVAL, { 0 } },
	{ "1,2,3\n", 3, HR_EINVAL, { 0 } },
	{ "", 3, HR_EINVAL, { 0 } },
};

static void
test_sysfs_u64s(void **state)
{
	char name[128];
	uint64_t v[4];
	size_t i;
	unsigned k;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(u64s_cases); i++) {
		const struct u64s_case *tc = &u64s_cases[i];

		snprintf(name, sizeof(name), "u64s[%zu] \"%s\" n=%u", i,
		    tc->in, tc->n);
		buf = heap_copy(tc->in, strlen(tc->in));
		memset(v, 0xee, sizeof(v));
		rc = sysfs_parse_u64s(buf, strlen(tc->in), v, tc->n);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0)
			for (k = 0; k < tc->n; k++)
				EXPECT_U64(name, v[k], tc->v[k]);
		/* never writes past the n values asked for */
		for (k = tc->n; k < 4; k++)
			EXPECT_U64(name, v[k], 0xeeeeeeeeeeeeeeeeULL);
		free(buf);
	}
}

/* ---- link speed --------------------------------------------------------- */

struct speed_case {
	const char *in;
	int         len;
	int         rc;
	int64_t     mbps;
};

static const struct speed_case speed_cases[] = {
	{ "10000\n", WHOLE, 0, 10000 },
	{ "10000", WHOLE, 0, 10000 },
	{ "1000\n", WHOLE, 0, 1000 },
	{ "100\n", WHOLE, 0, 100 },
	{ "10\n", WHOLE, 0, 10 },
	{ "25000\n", WHOLE, 0, 25000 },
	{ "400000\n", WHOLE, 0, 400000 },
	{ "  2500 \r\n", WHOLE, 0, 2500 },
	/* unknown speed is a value, not an error */
	{ "-1\n", WHOLE, 0, -1 },
	{ "-1", WHOLE, 0, -1 },
	{ "4294967295\n", WHOLE, 0, -1 },
	{ "0\n", WHOLE, 0, -1 },
	{ "0", WHOLE, 0, -1 },
	{ "", WHOLE, 0, -1 },
	{ "\n", WHOLE, 0, -1 },
	{ "  \n", WHOLE, 0, -1 },
	/* garbage */
	{ "abc\n", WHOLE, HR_EINVAL, 0 },
	{ "10G\n", WHOLE, HR_EINVAL, 0 },
	{ "1000Mb/s\n", WHOLE, HR_EINVAL, 0 },
	{ "1000 100\n", WHOLE, HR_EINVAL, 0 },
	{ "-\n", WHOLE, HR_EINVAL, 0 },
	{ "--1\n", WHOLE, HR_EINVAL, 0 },
	{ "1.5\n", WHOLE, HR_EINVAL, 0 },
	{ "unknown\n", WHOLE, HR_EINVAL, 0 },
	{ "99999999999999999999\n", WHOLE, HR_EINVAL, 0 },
	/* spans: the digits after the span are not part of the value */
	{ "10000", 3, 0, 100 },
	{ "-1000", 2, 0, -1 },
	{ "1000x", 4, 0, 1000 },
	{ "42949672950", 10, 0, -1 },
};

static void
test_sysfs_speed(void **state)
{
	char name[128];
	int64_t mbps;
	size_t i;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(speed_cases); i++) {
		const struct speed_case *tc = &speed_cases[i];

		snprintf(name, sizeof(name), "speed[%zu] \"%s\"/%d", i,
		    tc->in, tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		mbps = 12345;
		rc = sysfs_parse_speed(buf, span_len(tc->in, tc->len), &mbps);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0)
			EXPECT_I64(name, mbps, tc->mbps);
		free(buf);
	}
}

/* ---- operstate ---------------------------------------------------------- */

struct oper_case {
	const char       *in;
	int               len;
	enum hr_operstate o;
};

static const struct oper_case oper_cases[] = {
	{ "up\n", WHOLE, HR_OPER_UP },
	{ "up", WHOLE, HR_OPER_UP },
	{ "down\n", WHOLE, HR_OPER_DOWN },
	{ "unknown\n", WHOLE, HR_OPER_UNKNOWN },
	{ "notpresent\n", WHOLE, HR_OPER_NOTPRESENT },
	{ "lowerlayerdown\n", WHOLE, HR_OPER_LOWERLAYERDOWN },
	{ "testing\n", WHOLE, HR_OPER_TESTING },
	{ "dormant\n", WHOLE, HR_OPER_DORMANT },
	{ " up \r\n", WHOLE, HR_OPER_UP },
	{ "", WHOLE, HR_OPER_UNKNOWN },
	{ "\n", WHOLE, HR_OPER_UNKNOWN },
	{ "UP\n", WHOLE, HR_OPER_UNKNOWN },
	{ "Up\n", WHOLE, HR_OPER_UNKNOWN },
	{ "upx\n", WHOLE, HR_OPER_UNKNOWN },
	{ "u\n", WHOLE, HR_OPER_UNKNOWN },
	{ "dow\n", WHOLE, HR_OPER_UNKNOWN },
	{ "downstream\n", WHOLE, HR_OPER_UNKNOWN },
	{ "1\n", WHOLE, HR_OPER_UNKNOWN },
	{ "\x01\xff\n", WHOLE, HR_OPER_UNKNOWN },
	/* spans */
	{ "upper", 2, HR_OPER_UP },
	{ "down", 3, HR_OPER_UNKNOWN },
	{ "dormantx", 7, HR_OPER_DORMANT },
};

static void
test_sysfs_operstate(void **state)
{
	char name[128];
	size_t i;
	char *buf;

	(void)state;
	for (i = 0; i < NCASES(oper_cases); i++) {
		const struct oper_case *tc = &oper_cases[i];

		snprintf(name, sizeof(name), "oper[%zu] \"%s\"/%d", i, tc->in,
		    tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		EXPECT_I64(name, sysfs_parse_operstate(buf,
		    span_len(tc->in, tc->len)), tc->o);
		free(buf);
	}
}

static void
test_operstate_name(void **state)
{
	static const struct {
		enum hr_operstate o;
		const char       *name;
	} names[] = {
		{ HR_OPER_UNKNOWN, "unknown" },
		{ HR_OPER_NOTPRESENT, "notpresent" },
		{ HR_OPER_DOWN, "down" },
		{ HR_OPER_LOWERLAYERDOWN, "lowerlayerdown" },
		{ HR_OPER_TESTING, "testing" },
		{ HR_OPER_DORMANT, "dormant" },
		{ HR_OPER_UP, "up" },
	};
	char name[64];
	const char *n;
	size_t i;
	char *buf;

	(void)state;
	for (i = 0; i < NCASES(names); i++) {
		snprintf(name, sizeof(name), "oper_name[%zu]", i);
		n = hr_operstate_name(names[i].o);
		assert_non_null(n);
		EXPECT_STR(name, n, names[i].name);
		/* the name parses back to the same state */
		buf = heap_copy(n, strlen(n));
		EXPECT_I64(name, sysfs_parse_operstate(buf, strlen(n)),
		    names[i].o);
		free(buf);
	}
	/* out-of-range values must not index past the name table */
	n = hr_operstate_name((enum hr_operstate)(HR_OPER_UP + 1));
	assert_non_null(n);
	assert_string_equal(n, "unknown");
	n = hr_operstate_name((enum hr_operstate)1000);
	assert_non_null(n);
	assert_string_equal(n, "unknown");
}

/* ---- CPU lists ---------------------------------------------------------- */

struct cpulist_case {
	const char *in;
	int         len;
	int         rc;
	uint32_t    count;
};

static const struct cpulist_case cpulist_cases[] = {
	{ "0\n", WHOLE, 0, 1 },
	{ "0", WHOLE, 0, 1 },
	{ "0-3\n", WHOLE, 0, 4 },
	{ "0-3,5,7-8\n", WHOLE, 0, 7 },
	{ "0-127\n", WHOLE, 0, 128 },
	{ "0,2,4,6\n", WHOLE, 0, 4 },
	{ "1-1\n", WHOLE, 0, 1 },
	{ "0-3,8-11\n", WHOLE, 0, 8 },
	{ "5\n", WHOLE, 0, 1 },
	{ "0-3\r\n", WHOLE, 0, 4 },
	{ "0-4294967294\n", WHOLE, 0, 4294967295U },
	/* bad lists */
	{ "", WHOLE, HR_EINVAL, 0 },
	{ "\n", WHOLE, HR_EINVAL, 0 },
	{ "3-1\n", WHOLE, HR_EINVAL, 0 },
	{ "a\n", WHOLE, HR_EINVAL, 0 },
	{ "0-\n", WHOLE, HR_EINVAL, 0 },
	{ "-3\n", WHOLE, HR_EINVAL, 0 },
	{ "0,\n", WHOLE, HR_EINVAL, 0 },
	{ ",0\n", WHOLE, HR_EINVAL, 0 },
	{ "0-3,,5\n", WHOLE, HR_EINVAL, 0 },
	{ "0--3\n", WHOLE, HR_EINVAL, 0 },
	{ "0-3-5\n", WHOLE, HR_EINVAL, 0 },
	{ "0-3 5\n", WHOLE, HR_EINVAL, 0 },
	{ "0-3x\n", WHOLE, HR_EINVAL, 0 },
	{ "0-3:5\n", WHOLE, HR_EINVAL, 0 },
	{ "0;1\n", WHOLE, HR_EINVAL, 0 },
	{ "ff\n", WHOLE, HR_EINVAL, 0 },
	{ "0-4294967295\n", WHOLE, HR_EINVAL, 0 },          /* 2^32 CPUs */
	{ "0-18446744073709551615\n", WHOLE, HR_EINVAL, 0 }, /* 2^64: wraps */
	{ "1,1-18446744073709551615\n", WHOLE, HR_EINVAL, 0 },
	{ "0-18446744073709551616\n", WHOLE, HR_EINVAL, 0 },
	{ "0-2147483647,0-2147483647,0-1\n", WHOLE, HR_EINVAL, 0 },
	/* spans */
	{ "0-3,5", 3, 0, 4 },
	{ "0-3,5", 4, HR_EINVAL, 0 },
	{ "0-31", 3, 0, 4 },
};

static void
test_sysfs_cpulist(void **state)
{
	char name[128];
	uint32_t count;
	size_t i;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(cpulist_cases); i++) {
		const struct cpulist_case *tc = &cpulist_cases[i];

		snprintf(name, sizeof(name), "cpulist[%zu] \"%s\"/%d", i,
		    tc->in, tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		count = 777;
		rc = sysfs_parse_cpulist(buf, span_len(tc->in, tc->len),
		    &count);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, count, rc == 0 ? tc->count : 777);
		free(buf);
	}
}

/* ---- cgroup v2 cpu.max -------------------------------------------------- */

struct cpumax_case {
	const char *in;
	int         rc;
	bool        has;
	uint64_t    quota;
	uint64_t    period;
};

static const struct cpumax_case cpumax_cases[] = {
	{ "max 100000\n", 0, false, 0, 100000 },
	{ "max 100000", 0, false, 0, 100000 },
	{ "50000 100000\n", 0, true, 50000, 100000 },
	{ "200000 1000000\n", 0, true, 200000, 1000000 },
	{ "1000 1000\n", 0, true, 1000, 1000 },
	{ "150000 100000\r\n", 0, true, 150000, 100000 },
	{ "  max\t100000  \n", 0, false, 0, 100000 },
	{ "max\n", HR_EINVAL, false, 0, 0 },
	{ "50000\n", HR_EINVAL, false, 0, 0 },
	{ "", HR_EINVAL, false, 0, 0 },
	{ "\n", HR_EINVAL, false, 0, 0 },
	{ "50000 0\n", HR_EINVAL, false, 0, 0 },
	{ "max 0\n", HR_EINVAL, false, 0, 0 },
	{ "abc 100000\n", HR_EINVAL, false, 0, 0 },
	{ "MAX 100000\n", HR_EINVAL, false, 0, 0 },
	{ "maxx 100000\n", HR_EINVAL, false, 0, 0 },
	{ "50000 100000 7\n", HR_EINVAL, false, 0, 0 },
	{ "-1 100000\n", HR_EINVAL, false, 0, 0 },
	{ "50000 max\n", HR_EINVAL, false, 0, 0 },
	{ "50000 100000x\n", HR_EINVAL, false, 0, 0 },
	{ "18446744073709551616 100000\n", HR_EINVAL, false, 0, 0 },
	{ "50000 18446744073709551616\n", HR_EINVAL, false, 0, 0 },
};

static void
test_sysfs_cpu_max(void **state)
{
	char name[128];
	uint64_t quota, period;
	size_t i;
	bool has;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(cpumax_cases); i++) {
		const struct cpumax_case *tc = &cpumax_cases[i];

		snprintf(name, sizeof(name), "cpu.max[%zu] \"%s\"", i, tc->in);
		buf = heap_copy(tc->in, strlen(tc->in));
		has = !tc->has;
		quota = period = 4242;
		rc = sysfs_parse_cpu_max(buf, strlen(tc->in), &has, &quota,
		    &period);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0) {
			EXPECT_U64(name, has, tc->has);
			EXPECT_U64(name, quota, tc->quota);
			EXPECT_U64(name, period, tc->period);
		}
		free(buf);
	}
}

/* ---- memory.max / memory.current ---------------------------------------- */

struct maxu64_case {
	const char *in;
	int         len;
	int         rc;
	bool        has;
	uint64_t    v;
};

static const struct maxu64_case maxu64_cases[] = {
	{ "max\n", WHOLE, 0, false, 0 },
	{ "max", WHOLE, 0, false, 0 },
	{ " max \r\n", WHOLE, 0, false, 0 },
	{ "1073741824\n", WHOLE, 0, true, 1073741824 },
	{ "0\n", WHOLE, 0, true, 0 },
	{ "536870912", WHOLE, 0, true, 536870912 },
	{ "18446744073709551615\n", WHOLE, 0, true, UINT64_MAX },
	{ "9223372036854771712\n", WHOLE, 0, true, 9223372036854771712ULL },
	{ "", WHOLE, HR_EINVAL, false, 0 },
	{ "\n", WHOLE, HR_EINVAL, false, 0 },
	{ "max 1\n", WHOLE, HR_EINVAL, false, 0 },
	{ "maxx\n", WHOLE, HR_EINVAL, false, 0 },
	{ "MAX\n", WHOLE, HR_EINVAL, false, 0 },
	{ "-1\n", WHOLE, HR_EINVAL, false, 0 },
	{ "1k\n", WHOLE, HR_EINVAL, false, 0 },
	{ "1 2\n", WHOLE, HR_EINVAL, false, 0 },
	{ "18446744073709551616\n", WHOLE, HR_EINVAL, false, 0 },
	/* spans */
	{ "maximum", 3, 0, false, 0 },
	{ "4096000", 4, 0, true, 4096 },
	{ "max", 2, HR_EINVAL, false, 0 },
};

static void
test_sysfs_max_u64(void **state)
{
	char name[128];
	uint64_t v;
	size_t i;
	bool has;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(maxu64_cases); i++) {
		const struct maxu64_case *tc = &maxu64_cases[i];

		snprintf(name, sizeof(name), "max_u64[%zu] \"%s\"/%d", i,
		    tc->in, tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		has = !tc->has;
		v = 4242;
		rc = sysfs_parse_max_u64(buf, span_len(tc->in, tc->len), &has,
		    &v);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0) {
			EXPECT_U64(name, has, tc->has);
			EXPECT_U64(name, v, tc->v);
		}
		free(buf);
	}
}

/* ---- /proc/self/cgroup -------------------------------------------------- */

struct selfcg_case {
	const char *name;
	const char *in;
	int         len;
	size_t      cap;
	int         rc;
	const char *path;     /* expected when rc == 0 */
};

static const struct selfcg_case selfcg_cases[] = {
	{ "v2 root", "0::/\n", WHOLE, HR_PATH_LEN, 0, "" },
	{ "v2 root no newline", "0::/", WHOLE, HR_PATH_LEN, 0, "" },
	{ "v2 service", "0::/system.slice/headroom.service\n", WHOLE,
	    HR_PATH_LEN, 0, "system.slice/headroom.service" },
	{ "v2 nested no newline",
	    "0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-1.scope",
	    WHOLE, HR_PATH_LEN, 0,
	    "kubepods.slice/kubepods-burstable.slice/cri-containerd-1.scope" },
	{ "v2 trailing slash", "0::/a/b/\n", WHOLE, HR_PATH_LEN, 0, "a/b" },
	{ "hybrid v1+v2",
	    "12:cpuset:/\n"
	    "11:memory:/user.slice/user-1000.slice/session-2.scope\n"
	    "10:cpu,cpuacct:/user.slice\n"
	    "9:pids:/user.slice/user-1000.slice/session-2.scope\n"
	    "1:name=systemd:/user.slice/user-1000.slice/session-2.scope\n"
	    "0::/user.slice/user-1000.slice/session-2.scope\n",
	    WHOLE, HR_PATH_LEN, 0, "user.slice/user-1000.slice/session-2.scope" },
	{ "v2 line first",
	    "0::/init.scope\n1:name=systemd:/init.scope\n", WHOLE,
	    HR_PATH_LEN, 0, "init.scope" },
	{ "10:: is not 0::",
	    "10::/wrong\n0::/right\n", WHOLE, HR_PATH_LEN, 0, "right" },
	{ "v1 only",
	    "12:cpuset:/\n11:memory:/docker/abc\n1:name=systemd:/docker/abc\n",
	    WHOLE, HR_PATH_LEN, HR_ENOENT, NULL },
	{ "v1 hierarchy 0 with controller",
	    "0:cpu:/x\n", WHOLE, HR_PATH_LEN, HR_ENOENT, NULL },
	{ "empty", "", WHOLE, HR_PATH_LEN, HR_ENOENT, NULL },
	{ "blank lines", "\n\n", WHOLE, HR_PATH_LEN, HR_ENOENT, NULL },
	{ "garbage", "garbage\n::\n0:\n", WHOLE, HR_PATH_LEN, HR_ENOENT,
	    NULL },
	{ "dotdot leading", "0::/../../etc\n", WHOLE, HR_PATH_LEN, HR_EINVAL,
	    NULL },
	{ "dotdot inside", "0::/a/../b\n", WHOLE, HR_PATH_LEN, HR_EINVAL,
	    NULL },
	{ "dotdot last", "0::/a/..\n", WHOLE, HR_PATH_LEN, HR_EINVAL, NULL },
	{ "dots inside a name are fine", "0::/my..app/x..\n", WHOLE,
	    HR_PATH_LEN, 0, "my..app/x.." },
	{ "exact fit", "0::/abcdef\n", WHOLE, 7, 0, "abcdef" },
	{ "one short", "0::/abcdef\n", WHOLE, 6, HR_ETRUNC, NULL },
	{ "cap 0", "0::/\n", WHOLE, 0, HR_ETRUNC, NULL },
	{ "span cut", "0::/abc\n", 5, HR_PATH_LEN, 0, "a" },
	{ "span cuts the v2 line", "1:cpu:/x\n0::/y\n", 10, HR_PATH_LEN,
	    HR_ENOENT, NULL },
	{ "span ends in 0:", "0::/x\n", 2, HR_PATH_LEN, HR_ENOENT, NULL },
};

static void
test_sysfs_self_cgroup(void **state)
{
	char name[128];
	char path[HR_PATH_LEN + 8];
	size_t i;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(selfcg_cases); i++) {
		const struct selfcg_case *tc = &selfcg_cases[i];

		snprintf(name, sizeof(name), "self_cgroup[%zu] %s", i,
		    tc->name);
		buf = heap_copy(tc->in, strlen(tc->in));
		memset(path, 'Z', sizeof(path));
		rc = sysfs_parse_self_cgroup(buf, span_len(tc->in, tc->len),
		    path, tc->cap);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0)
			EXPECT_STR(name, path, tc->path);
		/* nothing written past cap */
		EXPECT(name, path[tc->cap] == 'Z');
		free(buf);
	}
}

/* ---- kernel word size --------------------------------------------------- */

struct arch_case {
	const char *in;
	int         len;
	int         rc;
	uint32_t    bits;
};

static const struct arch_case arch_cases[] = {
	{ "x86_64\n", WHOLE, 0, 64 },
	{ "x86_64", WHOLE, 0, 64 },
	{ "aarch64\n", WHOLE, 0, 64 },
	{ "ppc64le\n", WHOLE, 0, 64 },
	{ "ppc64\n", WHOLE, 0, 64 },
	{ "s390x\n", WHOLE, 0, 64 },
	{ "riscv64\n", WHOLE, 0, 64 },
	{ "mips64\n", WHOLE, 0, 64 },
	{ "loongarch64\n", WHOLE, 0, 64 },
	{ "sparc64\n", WHOLE, 0, 64 },
	{ " x86_64 \r\n", WHOLE, 0, 64 },
	{ "armv7l\n", WHOLE, 0, 32 },
	{ "armv6l\n", WHOLE, 0, 32 },
	{ "i686\n", WHOLE, 0, 32 },
	{ "i386\n", WHOLE, 0, 32 },
	{ "mips\n", WHOLE, 0, 32 },
	{ "riscv32\n", WHOLE, 0, 32 },
	{ "ppc\n", WHOLE, 0, 32 },
	{ "", WHOLE, HR_EINVAL, 0 },
	{ "\n", WHOLE, HR_EINVAL, 0 },
	{ "  \t\n", WHOLE, HR_EINVAL, 0 },
	/* spans: "x86" is 32-bit even though "_64" follows in memory */
	{ "x86_64", 3, 0, 32 },
	{ "aarch64", 7, 0, 64 },
	{ "x86_64", 0, HR_EINVAL, 0 },
};

static void
test_sysfs_arch_bits(void **state)
{
	char name[128];
	uint32_t bits;
	size_t i;
	char *buf;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(arch_cases); i++) {
		const struct arch_case *tc = &arch_cases[i];

		snprintf(name, sizeof(name), "arch[%zu] \"%s\"/%d", i, tc->in,
		    tc->len);
		buf = heap_copy(tc->in, strlen(tc->in));
		bits = 7;
		rc = sysfs_parse_arch_bits(buf, span_len(tc->in, tc->len),
		    &bits);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, bits, rc == 0 ? tc->bits : 7);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysfs_u64),
		cmocka_unit_test(test_sysfs_u64s),
		cmocka_unit_test(test_sysfs_speed),
		cmocka_unit_test(test_sysfs_operstate),
		cmocka_unit_test(test_operstate_name),
		cmocka_unit_test(test_sysfs_cpulist),
		cmocka_unit_test(test_sysfs_cpu_max),
		cmocka_unit_test(test_sysfs_max_u64),
		cmocka_unit_test(test_sysfs_self_cgroup),
		cmocka_unit_test(test_sysfs_arch_bits),
	};

	return cmocka_run_group_tests_name("sysfs", tests, NULL, NULL);
}
