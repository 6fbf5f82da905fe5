/*
 * test_procfs.c - unit tests of the procfs parsers (platform/procfs.h).
 *
 * Inputs are real-looking file contents from modern and old kernels, and
 * damaged ones.  Every buffer is handed to pp_parse_buf() in a heap copy
 * of exactly its size without a NUL, as pf_read_lines would, so that
 * AddressSanitizer reports any read past the content.  Expected values
 * are written out from the input text; malformed counts are exact.
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

#define EXPECT_DBL(name, got, want) EXPECT_DBL_TOL(name, got, want, 1e-9)

#include "agent/err.h"
#include "agent/sample.h"
#include "platform/procfs.h"

#define KB(x)     ((uint64_t)(x) * 1024)

/* struct hr_sample is large: never on the stack. */
static struct hr_sample *
sample_new(void)
{
	struct hr_sample *s;

	s = calloc(1, sizeof(*s));
	assert_non_null(s);
	return s;
}

static void
ctx_init(struct pp_ctx *c, struct hr_sample *s)
{
	memset(c, 0, sizeof(*c));
	c->s = s;
}

/* Parse len bytes of text from an exactly sized heap copy (no NUL). */
static int
parse_len(const struct pp_parser *p, const char *text, size_t len,
    struct pp_ctx *c)
{
	char *buf;
	int rc;

	buf = malloc(len > 0 ? len : 1);
	assert_non_null(buf);
	if (len > 0)
		memcpy(buf, text, len);
	rc = pp_parse_buf(p, buf, len, c);
	free(buf);
	return rc;
}

static int
parse_text(const struct pp_parser *p, const char *text, struct pp_ctx *c)
{
	return parse_len(p, text, strlen(text), c);
}

/* A growing text buffer for generated inputs (tables that overflow). */
struct gen {
	char  *p;
	size_t len, cap;
};

static void
gen_add(struct gen *g, const char *str)
{
	size_t n = strlen(str);

	if (g->len + n + 1 > g->cap) {
		g->cap = (g->len + n + 1) * 2;
		g->p = realloc(g->p, g->cap);
		assert_non_null(g->p);
	}
	memcpy(g->p + g->len, str, n + 1);
	g->len += n;
}

static void
gen_init(struct gen *g)
{
	g->cap = 256;
	g->len = 0;
	g->p = malloc(g->cap);
	assert_non_null(g->p);
	g->p[0] = '\0';
}

static void
check_ticks(const char *name, const struct hr_cpu_ticks *t,
    const uint64_t w[8])
{
	EXPECT_U64(name, t->user, w[0]);
	EXPECT_U64(name, t->nice, w[1]);
	EXPECT_U64(name, t->system, w[2]);
	EXPECT_U64(name, t->idle, w[3]);
	EXPECT_U64(name, t->iowait, w[4]);
	EXPECT_U64(name, t->irq, w[5]);
	EXPECT_U64(name, t->softirq, w[6]);
	EXPECT_U64(name, t->steal, w[7]);
}

/* ==== /proc/stat ========================================================= */

struct stat_row {
	uint32_t id;
	uint64_t t[8];
};

struct stat_case {
	const char     *name;
	const char     *in;
	int             rc;
	uint64_t        malformed;
	uint64_t        total[8];
	uint32_t        ncpu;
	struct stat_row cpu[3];      /* the first min(ncpu, 3) rows */
	uint64_t        ctxt, forks;
	uint32_t        running, blocked;
};

static const struct stat_case stat_cases[] = {
	{ "linux 6.x, 10 columns",
	    "cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0\n"
	    "cpu0 1393280 32966 572056 13343292 6130 0 17875 0 23933 0\n"
	    "cpu1 1335559 38032 489234 13443939 3627 0 2340 11 25634 0\n"
	    "intr 199292 33 9 0 0 0 0 0 0 1 0 0 0 0 0 0 0 0 0 0\n"
	    "ctxt 1990473\n"
	    "btime 1062191376\n"
	    "processes 2915\n"
	    "procs_running 1\n"
	    "procs_blocked 0\n"
	    "softirq 183433 0 21755 12 39 0 0 0 0 0 109627\n",
	    0, 0,
	    { 10132153, 290696, 3084719, 46828483, 16683, 0, 25195, 0 },
	    2,
	    { { 0, { 1393280, 32966, 572056, 13343292, 6130, 0, 17875, 0 } },
	      { 1, { 1335559, 38032, 489234, 13443939, 3627, 0, 2340, 11 } } },
	    1990473, 2915, 1, 0 },
	{ "linux 2.4, 4 columns",
	    "cpu  1000 20 300 40000\n"
	    "cpu0 500 10 150 20000\n"
	    "cpu1 500 10 150 20000\n"
	    "page 5741 1808\n"
	    "swap 1 0\n"
	    "intr 1462898 1208 2 0 0\n"
	    "disk_io: (3,0):(1,1,2,0,0) (3,1):(4,4,8,0,0)\n"
	    "ctxt 115315\n"
	    "btime 769041601\n"
	    "processes 86031\n",
	    0, 0,
	    { 1000, 20, 300, 40000, 0, 0, 0, 0 },
	    2,
	    { { 0, { 500, 10, 150, 20000, 0, 0, 0, 0 } },
	      { 1, { 500, 10, 150, 20000, 0, 0, 0, 0 } } },
	    115315, 86031, 0, 0 },
	{ "linux 2.6.0, 7 columns",
	    "cpu  2255 34 2290 22625563 6290 127 456\n"
	    "cpu0 1132 34 1441 11311718 3675 127 438\n"
	    "cpu1 1123 0 849 11313845 2614 0 18\n"
	    "intr 114930548 113199788 3 0 5 263 0 4 0 0 0 0 0 0 0\n"
	    "ctxt 1990473\n"
	    "btime 1062191376\n"
	    "processes 2915\n"
	    "procs_running 3\n"
	    "procs_blocked 2\n",
	    0, 0,
	    { 2255, 34, 2290, 22625563, 6290, 127, 456, 0 },
	    2,
	    { { 0, { 1132, 34, 1441, 11311718, 3675, 127, 438, 0 } },
	      { 1, { 1123, 0, 849, 11313845, 2614, 0, 18, 0 } } },
	    1990473, 2915, 3, 2 },
	{ "linux 2.6.11, 8 columns (steal)",
	    "cpu  100 1 50 1000 10 2 3 4\n"
	    "cpu0 100 1 50 1000 10 2 3 4\n",
	    0, 0, { 100, 1, 50, 1000, 10, 2, 3, 4 },
	    1, { { 0, { 100, 1, 50, 1000, 10, 2, 3, 4 } } },
	    0, 0, 0, 0 },
	{ "linux 2.6.24, 9 columns (guest)",
	    "cpu  100 1 50 1000 10 2 3 4 7\n",
	    0, 0, { 100, 1, 50, 1000, 10, 2, 3, 4 }, 0, { { 0, { 0 } } },
	    0, 0, 0, 0 },
	{ "offline CPUs absent: ids kept",
	    "cpu  10 0 10 100\n"
	    "cpu0 1 0 1 10\n"
	    "cpu2 2 0 2 20\n"
	    "cpu5 3 0 3 30\n",
	    0, 0, { 10, 0, 10, 100, 0, 0, 0, 0 },
	    3,
	    { { 0, { 1, 0, 1, 10, 0, 0, 0, 0 } },
	      { 2, { 2, 0, 2, 20, 0, 0, 0, 0 } },
	      { 5, { 3, 0, 3, 30, 0, 0, 0, 0 } } },
	    0, 0, 0, 0 },
	{ "maximum 64-bit values",
	    "cpu  18446744073709551615 1 2 3\n"
	    "ctxt 18446744073709551615\n"
	    "procs_running 4294967295\n",
	    0, 0, { UINT64_MAX, 1, 2, 3, 0, 0, 0, 0 }, 0, { { 0, { 0 } } },
	    UINT64_MAX, 0, 4294967295U, 0 },
	{ "total only 3 columns",
	    "cpu  1 2 3\nctxt 5\n",
	    HR_EINVAL, 1, { 0 }, 0, { { 0, { 0 } } }, 5, 0, 0, 0 },
	{ "empty buffer",
	    "", HR_EINVAL, 0, { 0 }, 0, { { 0, { 0 } } }, 0, 0, 0, 0 },
	{ "no cpu total line",
	    "cpu0 1 2 3 4\ncpu1 5 6 7 8\nctxt 10\n",
	    HR_EINVAL, 0, { 0 },
	    2,
	    { { 0, { 1, 2, 3, 4, 0, 0, 0, 0 } },
	      { 1, { 5, 6, 7, 8, 0, 0, 0, 0 } } },
	    10, 0, 0, 0 },
	{ "no trailing newline",
	    "cpu  1 2 3 4 5 6 7 8\nprocs_blocked 3",
	    0, 0, { 1, 2, 3, 4, 5, 6, 7, 8 }, 0, { { 0, { 0 } } },
	    0, 0, 0, 3 },
	{ "CRLF line ends",
	    "cpu  1 2 3 4 5 6 7 8\r\n"
	    "cpu0 1 2 3 4 5 6 7 8\r\n"
	    "ctxt 99\r\n"
	    "processes 7\r\n"
	    "procs_running 2\r\n"
	    "procs_blocked 1\r\n",
	    0, 0, { 1, 2, 3, 4, 5, 6, 7, 8 },
	    1, { { 0, { 1, 2, 3, 4, 5, 6, 7, 8 } } },
	    99, 7, 2, 1 },
	{ "total > 2^64",
	    "cpu  18446744073709551616 0 0 0\n"
	    "cpu0 1 2 3 4\n",
	    HR_EINVAL, 1, { 0 },
	    1, { { 0, { 1, 2, 3, 4, 0, 0, 0, 0 } } },
	    0, 0, 0, 0 },
	{ "cpu row > 2^64 skipped",
	    "cpu  1 2 3 4\n"
	    "cpu0 1 2 99999999999999999999 4\n"
	    "cpu1 5 6 7 8\n",
	    0, 1, { 1, 2, 3, 4, 0, 0, 0, 0 },
	    1, { { 1, { 5, 6, 7, 8, 0, 0, 0, 0 } } },
	    0, 0, 0, 0 },
	{ "truncated inside a cpu row",
	    "cpu  100 200 300 400 500\n"
	    "cpu0 50 10",
	    0, 1, { 100, 200, 300, 400, 500, 0, 0, 0 }, 0, { { 0, { 0 } } },
	    0, 0, 0, 0 },
	{ "truncated inside a key",
	    "cpu  1 2 3 4\nctx",
	    0, 0, { 1, 2, 3, 4, 0, 0, 0, 0 }, 0, { { 0, { 0 } } },
	    0, 0, 0, 0 },
	{ "garbage lines",
	    "garbage\n"
	    "\x01\x02\x03\n"
	    "xyz 1 2\n"
	    "cpu  1 2 3 4 abc\n"          /* malformed 1 */
	    "cpu  1 2 3 4\n"
	    "cpuX 1 2 3 4\n"              /* 2 */
	    "cpu-1 1 2 3 4\n"             /* 3 */
	    "cpu4294967296 1 2 3 4\n"     /* 4: id beyond u32 */
	    "ctxt abc\n"                  /* 5 */
	    "processes 12x\n"             /* 6 */
	    "procs_running 4294967296\n"  /* 7 */
	    "procs_blocked -1\n",         /* 8 */
	    0, 8, { 1, 2, 3, 4, 0, 0, 0, 0 }, 0, { { 0, { 0 } } },
	    0, 0, 0, 0 },
	{ "blank lines and indentation",
	    "\n   \n\t\ncpu  1 2 3 4\n\n  ctxt 12\n",
	    0, 0, { 1, 2, 3, 4, 0, 0, 0, 0 }, 0, { { 0, { 0 } } },
	    12, 0, 0, 0 },
};

static void
test_stat(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	uint32_t k;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(stat_cases); i++) {
		const struct stat_case *tc = &stat_cases[i];

		snprintf(name, sizeof(name), "stat[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_stat, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		check_ticks(name, &s->cpu_total, tc->total);
		EXPECT_U64(name, s->ncpu, tc->ncpu);
		for (k = 0; k < tc->ncpu && k < 3; k++) {
			EXPECT_U64(name, s->cpu[k].id, tc->cpu[k].id);
			check_ticks(name, &s->cpu[k].t, tc->cpu[k].t);
		}
		EXPECT_U64(name, s->ctxt, tc->ctxt);
		EXPECT_U64(name, s->forks, tc->forks);
		EXPECT_U64(name, s->procs_running, tc->running);
		EXPECT_U64(name, s->procs_blocked, tc->blocked);
		EXPECT_U64(name, s->health.overflow_cpus, 0);
		free(s);
	}
}

/* More cpuN rows than HR_MAX_CPUS: the table fills, the rest is counted,
 * and the lines after the rows are still parsed. */
static void
test_stat_cpu_overflow(void **state)
{
	const unsigned rows = HR_MAX_CPUS + 44;
	struct hr_sample *s;
	struct pp_ctx c;
	struct gen g;
	char line[128];
	unsigned k;
	int rc;

	(void)state;
	gen_init(&g);
	gen_add(&g, "cpu  1 2 3 4 5 6 7 8 0 0\n");
	for (k = 0; k < rows; k++) {
		snprintf(line, sizeof(line),
		    "cpu%u %u 0 %u 1000 0 0 0 0 0 0\n", k, k, 2 * k);
		gen_add(&g, line);
	}
	/* a long intr line, as on big machines, is just an unknown key */
	gen_add(&g, "intr 123456789");
	for (k = 0; k < 2000; k++) {
		snprintf(line, sizeof(line), " %u", k);
		gen_add(&g, line);
	}
	gen_add(&g, "\nctxt 5\nprocesses 6\nprocs_running 7\nprocs_blocked 8\n");

	s = sample_new();
	ctx_init(&c, s);
	rc = parse_len(&procfs_stat, g.p, g.len, &c);
	assert_int_equal(rc, 0);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(s->ncpu, HR_MAX_CPUS);
	assert_int_equal(s->health.overflow_cpus, 44);
	assert_int_equal(s->cpu[0].id, 0);
	assert_int_equal(s->cpu[HR_MAX_CPUS - 1].id, HR_MAX_CPUS - 1);
	assert_int_equal(s->cpu[HR_MAX_CPUS - 1].t.user, HR_MAX_CPUS - 1);
	assert_int_equal(s->cpu[HR_MAX_CPUS - 1].t.system,
	    2 * (HR_MAX_CPUS - 1));
	assert_int_equal(s->cpu[HR_MAX_CPUS - 1].t.idle, 1000);
	assert_int_equal(s->cpu_total.steal, 8);
	assert_int_equal(s->ctxt, 5);
	assert_int_equal(s->forks, 6);
	assert_int_equal(s->procs_running, 7);
	assert_int_equal(s->procs_blocked, 8);
	free(s);

	/* exactly HR_MAX_CPUS rows: full, nothing dropped */
	free(g.p);
	gen_init(&g);
	gen_add(&g, "cpu  1 2 3 4\n");
	for (k = 0; k < HR_MAX_CPUS; k++) {
		snprintf(line, sizeof(line), "cpu%u 1 2 3 4\n", k);
		gen_add(&g, line);
	}
	s = sample_new();
	ctx_init(&c, s);
	assert_int_equal(parse_len(&procfs_stat, g.p, g.len, &c), 0);
	assert_int_equal(s->ncpu, HR_MAX_CPUS);
	assert_int_equal(s->health.overflow_cpus, 0);
	free(s);
	free(g.p);
}

/* ==== /proc/meminfo ====================================================== */

struct mem_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	uint64_t    total, free, avail, buffers, cached, srecl, shmem;
	uint64_t    swap_total, swap_free;
	bool        has_avail;
};

static const struct mem_case mem_cases[] = {
	{ "linux 6.x",
	    "MemTotal:       16303428 kB\n"
	    "MemFree:          937852 kB\n"
	    "MemAvailable:   10544956 kB\n"
	    "Buffers:          526616 kB\n"
	    "Cached:          9132728 kB\n"
	    "SwapCached:         1520 kB\n"
	    "Active:          5413916 kB\n"
	    "Inactive:        8393412 kB\n"
	    "Active(anon):    3340044 kB\n"
	    "Inactive(anon):  1296648 kB\n"
	    "Active(file):    2073872 kB\n"
	    "Inactive(file):  7096764 kB\n"
	    "Unevictable:      150612 kB\n"
	    "Mlocked:              48 kB\n"
	    "SwapTotal:       2097148 kB\n"
	    "SwapFree:        2080252 kB\n"
	    "Zswap:                 0 kB\n"
	    "Zswapped:              0 kB\n"
	    "Dirty:              1032 kB\n"
	    "Writeback:             0 kB\n"
	    "AnonPages:       4255640 kB\n"
	    "Mapped:          1104648 kB\n"
	    "Shmem:            540620 kB\n"
	    "KReclaimable:     543640 kB\n"
	    "Slab:             890772 kB\n"
	    "SReclaimable:     543640 kB\n"
	    "SUnreclaim:       347132 kB\n"
	    "KernelStack:       20416 kB\n"
	    "PageTables:        47152 kB\n"
	    "SecPageTables:         0 kB\n"
	    "NFS_Unstable:          0 kB\n"
	    "Bounce:                0 kB\n"
	    "WritebackTmp:          0 kB\n"
	    "CommitLimit:    10248860 kB\n"
	    "Committed_AS:   15409316 kB\n"
	    "VmallocTotal:   34359738367 kB\n"
	    "VmallocUsed:       77284 kB\n"
	    "VmallocChunk:          0 kB\n"
	    "Percpu:             8768 kB\n"
	    "HardwareCorrupted:     0 kB\n"
	    "AnonHugePages:         0 kB\n"
	    "ShmemHugePages:        0 kB\n"
	    "ShmemPmdMapped:        0 kB\n"
	    "FileHugePages:         0 kB\n"
	    "FilePmdMapped:         0 kB\n"
	    "CmaTotal:              0 kB\n"
	    "CmaFree:               0 kB\n"
	    "Unaccepted:            0 kB\n"
	    "HugePages_Total:       0\n"
	    "HugePages_Free:        0\n"
	    "HugePages_Rsvd:        0\n"
	    "HugePages_Surp:        0\n"
	    "Hugepagesize:       2048 kB\n"
	    "Hugetlb:               0 kB\n"
	    "DirectMap4k:      689344 kB\n"
	    "DirectMap2M:    12838912 kB\n"
	    "DirectMap1G:     4194304 kB\n",
	    0, 0, KB(16303428), KB(937852), KB(10544956), KB(526616),
	    KB(9132728), KB(543640), KB(540620), KB(2097148), KB(2080252),
	    true },
	/* 3.10 has Shmem and SReclaimable but no MemAvailable:
	 * 1234568 + 200000 + 3000000 + 400000 - 100000 = 4734568 kB */
	{ "linux 3.10, no MemAvailable: estimate",
	    "MemTotal:        8009160 kB\n"
	    "MemFree:         1234568 kB\n"
	    "Buffers:          200000 kB\n"
	    "Cached:          3000000 kB\n"
	    "SwapCached:            0 kB\n"
	    "Active:          4000000 kB\n"
	    "Inactive:        2000000 kB\n"
	    "Shmem:            100000 kB\n"
	    "Slab:             500000 kB\n"
	    "SReclaimable:     400000 kB\n"
	    "SUnreclaim:       100000 kB\n"
	    "SwapTotal:       4194300 kB\n"
	    "SwapFree:        4194000 kB\n",
	    0, 0, KB(8009160), KB(1234568), KB(4734568), KB(200000),
	    KB(3000000), KB(400000), KB(100000), KB(4194300), KB(4194000),
	    false },
	/* 2.6.18: no Shmem, no SReclaimable:
	 * 101036 + 170124 + 1508508 = 1779668 kB */
	{ "linux 2.6.18, no Shmem/SReclaimable: estimate",
	    "MemTotal:      2074628 kB\n"
	    "MemFree:        101036 kB\n"
	    "Buffers:        170124 kB\n"
	    "Cached:        1508508 kB\n"
	    "SwapCached:          0 kB\n"
	    "Active:        1177176 kB\n"
	    "Inactive:       604440 kB\n"
	    "HighTotal:     1179584 kB\n"
	    "HighFree:         1696 kB\n"
	    "LowTotal:       895044 kB\n"
	    "LowFree:         99340 kB\n"
	    "SwapTotal:     4192956 kB\n"
	    "SwapFree:      4192956 kB\n"
	    "Dirty:              68 kB\n"
	    "Writeback:           0 kB\n"
	    "AnonPages:      103028 kB\n"
	    "Mapped:          49392 kB\n"
	    "Slab:           173608 kB\n"
	    "PageTables:       2840 kB\n"
	    "NFS_Unstable:        0 kB\n"
	    "Bounce:              0 kB\n"
	    "CommitLimit:   5230268 kB\n"
	    "Committed_AS:   335868 kB\n"
	    "VmallocTotal:   114680 kB\n"
	    "VmallocUsed:     10632 kB\n"
	    "VmallocChunk:   103792 kB\n"
	    "HugePages_Total:     0\n"
	    "HugePages_Free:      0\n"
	    "HugePages_Rsvd:      0\n"
	    "Hugepagesize:     4096 kB\n",
	    0, 0, KB(2074628), KB(101036), KB(1779668), KB(170124),
	    KB(1508508), 0, 0, KB(4192956), KB(4192956), false },
	/* 1000 + 0 + 500 + 0 - 2000 < 0: never below free */
	{ "estimate: Shmem exceeds cache",
	    "MemTotal: 4000000 kB\nMemFree: 1000 kB\nBuffers: 0 kB\n"
	    "Cached: 500 kB\nSReclaimable: 0 kB\nShmem: 2000 kB\n",
	    0, 0, KB(4000000), KB(1000), KB(1000), 0, KB(500), 0, KB(2000),
	    0, 0, false },
	/* 1000 + 500 - 800 = 700 < free */
	{ "estimate: below free",
	    "MemTotal: 4000000 kB\nMemFree: 1000 kB\nCached: 500 kB\n"
	    "Shmem: 800 kB\n",
	    0, 0, KB(4000000), KB(1000), KB(1000), 0, KB(500), 0, KB(800),
	    0, 0, false },
	{ "estimate: free only",
	    "MemTotal: 4000 kB\nMemFree: 1000 kB\n",
	    0, 0, KB(4000), KB(1000), KB(1000), 0, 0, 0, 0, 0, 0, false },
	{ "truncated before MemAvailable",
	    "MemTotal:       16303428 kB\nMemFree:          937852 kB\nMemAvail",
	    0, 0, KB(16303428), KB(937852), KB(937852), 0, 0, 0, 0, 0, 0,
	    false },
	{ "missing MemFree",
	    "MemTotal: 1000 kB\nMemAvailable: 500 kB\n",
	    HR_EINVAL, 0, KB(1000), 0, KB(500), 0, 0, 0, 0, 0, 0, false },
	{ "missing MemTotal",
	    "MemFree: 1000 kB\n",
	    HR_EINVAL, 0, 0, KB(1000), 0, 0, 0, 0, 0, 0, 0, false },
	{ "MemTotal 0",
	    "MemTotal: 0 kB\nMemFree: 0 kB\n",
	    HR_EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false },
	{ "MemTotal > 2^64",
	    "MemTotal: 18446744073709551616 kB\nMemFree: 10 kB\n",
	    HR_EINVAL, 1, 0, KB(10), 0, 0, 0, 0, 0, 0, 0, false },
	/* 18014398509481983 kB is the largest that fits in bytes */
	{ "kB to bytes overflow",
	    "MemTotal: 16000000 kB\nMemFree: 1000 kB\n"
	    "SwapTotal: 18014398509481984 kB\n"
	    "SwapFree: 18014398509481983 kB\n",
	    0, 1, KB(16000000), KB(1000), KB(1000), 0, 0, 0, 0,
	    0, 18446744073709550592ULL, false },
	{ "unit is not kB",
	    "MemTotal: 100 MB\nMemFree: 50 kB\n",
	    HR_EINVAL, 1, 0, KB(50), 0, 0, 0, 0, 0, 0, 0, false },
	{ "trailing junk",
	    "MemTotal: 100 kB junk\nMemFree: 50 kB\n",
	    HR_EINVAL, 1, 0, KB(50), 0, 0, 0, 0, 0, 0, 0, false },
	{ "no number",
	    "MemTotal: 2000 kB\nMemFree: kB\nBuffers: -5 kB\nCached: x\n",
	    HR_EINVAL, 3, KB(2000), 0, 0, 0, 0, 0, 0, 0, 0, false },
	{ "CRLF line ends",
	    "MemTotal:  2000 kB\r\nMemFree:  1000 kB\r\n"
	    "MemAvailable:  1500 kB\r\nSwapTotal: 0 kB\r\n",
	    0, 0, KB(2000), KB(1000), KB(1500), 0, 0, 0, 0, 0, 0, true },
	{ "no trailing newline",
	    "MemTotal: 2000 kB\nMemFree: 1000 kB\nMemAvailable: 1500 kB",
	    0, 0, KB(2000), KB(1000), KB(1500), 0, 0, 0, 0, 0, 0, true },
	{ "empty buffer",
	    "", HR_EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, false },
	{ "garbage and unknown keys ignored",
	    "garbage\n: 5\nMemTotal: 2000 kB\n:::\n\x7f\x01\n"
	    "NewKey2031: 77 kB\nMemFree: 1000 kB\nMemAvailable: 1200 kB\n",
	    0, 0, KB(2000), KB(1000), KB(1200), 0, 0, 0, 0, 0, 0, true },
};

static void
test_meminfo(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(mem_cases); i++) {
		const struct mem_case *tc = &mem_cases[i];

		snprintf(name, sizeof(name), "meminfo[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_meminfo, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, s->mem_total, tc->total);
		EXPECT_U64(name, s->mem_free, tc->free);
		EXPECT_U64(name, s->mem_buffers, tc->buffers);
		EXPECT_U64(name, s->mem_cached, tc->cached);
		EXPECT_U64(name, s->mem_sreclaimable, tc->srecl);
		EXPECT_U64(name, s->mem_shmem, tc->shmem);
		EXPECT_U64(name, s->swap_total, tc->swap_total);
		EXPECT_U64(name, s->swap_free, tc->swap_free);
		/* the derived fields are only defined for a usable file */
		if (rc == 0) {
			EXPECT_U64(name, s->mem_available, tc->avail);
			EXPECT_U64(name, s->mem_has_available, tc->has_avail);
		}
		free(s);
	}
}

/* ==== /proc/vmstat ======================================================= */

struct vm_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	uint64_t    pgmajfault, pswpin, pswpout;
	bool        has_oom;
	uint64_t    oom;
};

#define VMSTAT_HEAD							\
	"nr_free_pages 234463\n"					\
	"nr_zone_inactive_anon 324162\n"				\
	"nr_zone_active_anon 835011\n"					\
	"pgpgin 41370816\n"						\
	"pgpgout 93405084\n"						\
	"pswpin 1543\n"							\
	"pswpout 4879\n"						\
	"pgalloc_dma 0\n"						\
	"pgfault 987654321\n"						\
	"pgmajfault 123456\n"						\
	"pgrefill 10\n"

static const struct vm_case vm_cases[] = {
	{ "linux 6.x with oom_kill",
	    VMSTAT_HEAD
	    "oom_kill 2\n"
	    "numa_hit 1\n"
	    "workingset_refault_anon 0\n",
	    0, 0, 123456, 1543, 4879, true, 2 },
	{ "linux < 4.13, no oom_kill",
	    VMSTAT_HEAD "numa_hit 1\n",
	    0, 0, 123456, 1543, 4879, false, 0 },
	{ "oom_kill 0 is present",
	    "pgmajfault 1\noom_kill 0\n",
	    0, 0, 1, 0, 0, true, 0 },
	{ "no pgmajfault",
	    "pswpin 1\npswpout 2\noom_kill 3\n",
	    HR_EINVAL, 0, 0, 1, 2, true, 3 },
	{ "pgmajfault garbage",
	    "pgmajfault abc\npswpin 5\n",
	    HR_EINVAL, 1, 0, 5, 0, false, 0 },
	{ "pgmajfault two values",
	    "pgmajfault 5 6\n",
	    HR_EINVAL, 1, 0, 0, 0, false, 0 },
	{ "pswpin > 2^64",
	    "pgmajfault 7\npswpin 18446744073709551616\npswpout 9\n",
	    0, 1, 7, 0, 9, false, 0 },
	{ "oom_kill garbage",
	    "pgmajfault 7\noom_kill x\n",
	    0, 1, 7, 0, 0, false, 0 },
	{ "maximum value",
	    "pgmajfault 18446744073709551615\n",
	    0, 0, UINT64_MAX, 0, 0, false, 0 },
	{ "CRLF line ends",
	    "pgmajfault 11\r\npswpin 12\r\npswpout 13\r\noom_kill 14\r\n",
	    0, 0, 11, 12, 13, true, 14 },
	{ "no trailing newline",
	    "pswpin 12\npgmajfault 11",
	    0, 0, 11, 12, 0, false, 0 },
	{ "truncated value",
	    "pswpin 12\npgmajfault",
	    HR_EINVAL, 1, 0, 12, 0, false, 0 },
	{ "empty buffer",
	    "", HR_EINVAL, 0, 0, 0, 0, false, 0 },
	{ "look-alike keys ignored",
	    "pgmajfault_x 5\npgmajfaul 6\npgmajfault 7\nxpswpin 8\n",
	    0, 0, 7, 0, 0, false, 0 },
};

static void
test_vmstat(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(vm_cases); i++) {
		const struct vm_case *tc = &vm_cases[i];

		snprintf(name, sizeof(name), "vmstat[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_vmstat, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, s->pgmajfault, tc->pgmajfault);
		EXPECT_U64(name, s->pswpin, tc->pswpin);
		EXPECT_U64(name, s->pswpout, tc->pswpout);
		EXPECT_U64(name, s->has_oom_kill, tc->has_oom);
		EXPECT_U64(name, s->oom_kill, tc->oom);
		free(s);
	}
}

/* ==== /proc/loadavg ====================================================== */

struct load_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	double      l1, l5, l15;
	uint32_t    run, thr;
};

static const struct load_case load_cases[] = {
	{ "typical", "0.52 0.58 0.59 2/1234 56789\n",
	    0, 0, 0.52, 0.58, 0.59, 2, 1234 },
	{ "no trailing newline", "0.52 0.58 0.59 2/1234 56789",
	    0, 0, 0.52, 0.58, 0.59, 2, 1234 },
	{ "CRLF", "0.52 0.58 0.59 2/1234 56789\r\n",
	    0, 0, 0.52, 0.58, 0.59, 2, 1234 },
	{ "busy host", "12.34 100.00 0.00 128/65536 4194303\n",
	    0, 0, 12.34, 100.0, 0.0, 128, 65536 },
	{ "idle host", "0.00 0.00 0.00 1/1 1\n",
	    0, 0, 0.0, 0.0, 0.0, 1, 1 },
	{ "u32 limit", "1.00 2.00 3.00 4294967295/4294967295 1\n",
	    0, 0, 1.0, 2.0, 3.0, 4294967295U, 4294967295U },
	{ "blank lines around", "\n0.10 0.20 0.30 1/2 3\n\n",
	    0, 0, 0.1, 0.2, 0.3, 1, 2 },
	{ "second line is malformed",
	    "0.52 0.58 0.59 2/1234 56789\n1.00 1.00 1.00 1/1 1\n",
	    0, 1, 0.52, 0.58, 0.59, 2, 1234 },
	{ "truncated in the fourth field", "0.52 0.58 0.59 2/12",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "truncated after two fields", "0.52 0.58",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "garbage", "abc\n", HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "empty buffer", "", HR_EINVAL, 0, 0, 0, 0, 0, 0 },
	{ "newline only", "\n", HR_EINVAL, 0, 0, 0, 0, 0, 0 },
	{ "runnable > u32", "0.52 0.58 0.59 4294967296/1 1\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "threads > u32", "0.52 0.58 0.59 1/4294967296 1\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "negative load", "-0.5 0.58 0.59 2/3 4\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "no slash", "0.52 0.58 0.59 2-1234 56789\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "last pid > 2^64", "0.52 0.58 0.59 2/1234 99999999999999999999\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
	{ "exponent", "1e2 0.58 0.59 2/1234 5\n",
	    HR_EINVAL, 1, 0, 0, 0, 0, 0 },
};

static void
test_loadavg(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(load_cases); i++) {
		const struct load_case *tc = &load_cases[i];

		snprintf(name, sizeof(name), "loadavg[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_loadavg, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_DBL(name, s->load1, tc->l1);
		EXPECT_DBL(name, s->load5, tc->l5);
		EXPECT_DBL(name, s->load15, tc->l15);
		EXPECT_U64(name, s->sched_runnable, tc->run);
		EXPECT_U64(name, s->sched_threads, tc->thr);
		free(s);
	}
}

/* ==== /proc/pressure/<resource> ========================================== */

struct psi_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	bool        has_full;
	double      s10, s60, s300;
	uint64_t    stot;
	double      f10, f60, f300;
	uint64_t    ftot;
};

static const struct psi_case psi_cases[] = {
	{ "memory, some and full",
	    "some avg10=1.23 avg60=0.45 avg300=0.10 total=123456789\n"
	    "full avg10=0.50 avg60=0.20 avg300=0.05 total=98765432\n",
	    0, 0, true, 1.23, 0.45, 0.10, 123456789,
	    0.50, 0.20, 0.05, 98765432 },
	{ "cpu before 5.13: no full line",
	    "some avg10=2.04 avg60=0.75 avg300=0.40 total=157656722\n",
	    0, 0, false, 2.04, 0.75, 0.40, 157656722, 0, 0, 0, 0 },
	{ "cpu since 5.13: zero full line",
	    "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	    "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
	    0, 0, true, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "100 percent stall",
	    "some avg10=100.00 avg60=99.99 avg300=98.50 total=18446744073709551615\n",
	    0, 0, false, 100.0, 99.99, 98.5, UINT64_MAX, 0, 0, 0, 0 },
	{ "full only",
	    "full avg10=0.50 avg60=0.20 avg300=0.05 total=98765432\n",
	    HR_EINVAL, 0, true, 0, 0, 0, 0, 0.50, 0.20, 0.05, 98765432 },
	{ "average above 100",
	    "some avg10=100.01 avg60=0.00 avg300=0.00 total=1\n",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "negative average",
	    "some avg10=-1.00 avg60=0.00 avg300=0.00 total=1\n",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "fields out of order",
	    "some avg60=1.00 avg10=2.00 avg300=3.00 total=4\n",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "no blank between fields",
	    "some avg10=1.00avg60=2.00 avg300=3.00 total=4\n",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "truncated some line",
	    "some avg10=1.00 avg60=",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "truncated full line",
	    "some avg10=1.00 avg60=2.00 avg300=3.00 total=4\n"
	    "full avg10=0.50 avg6",
	    0, 1, false, 1.0, 2.0, 3.0, 4, 0, 0, 0, 0 },
	{ "total > 2^64",
	    "some avg10=1.00 avg60=2.00 avg300=3.00 total=18446744073709551616\n",
	    HR_EINVAL, 1, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "empty buffer",
	    "", HR_EINVAL, 0, false, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "CRLF line ends",
	    "some avg10=1.50 avg60=2.50 avg300=3.50 total=45\r\n"
	    "full avg10=0.25 avg60=0.75 avg300=1.25 total=6\r\n",
	    0, 0, true, 1.5, 2.5, 3.5, 45, 0.25, 0.75, 1.25, 6 },
	{ "no trailing newline",
	    "some avg10=1.50 avg60=2.50 avg300=3.50 total=45\n"
	    "full avg10=0.25 avg60=0.75 avg300=1.25 total=6",
	    0, 0, true, 1.5, 2.5, 3.5, 45, 0.25, 0.75, 1.25, 6 },
	{ "extra column from a newer kernel",
	    "some avg10=1.00 avg60=2.00 avg300=3.00 total=4 future=5\n",
	    0, 0, false, 1.0, 2.0, 3.0, 4, 0, 0, 0, 0 },
	/* only "some" and "full" exist: any other line is malformed (the
	 * damaged fixture of test_fixtures.c relies on this too) */
	{ "line that is neither some nor full",
	    "some avg10=1.00 avg60=2.00 avg300=3.00 total=4\n"
	    "this line is garbage\n",
	    0, 1, false, 1.0, 2.0, 3.0, 4, 0, 0, 0, 0 },
	{ "blank lines ignored",
	    "\n  \nsome avg10=1.00 avg60=2.00 avg300=3.00 total=4\n\n",
	    0, 0, false, 1.0, 2.0, 3.0, 4, 0, 0, 0, 0 },
	{ "some line bad, full line good",
	    "some avg10=x avg60=2.00 avg300=3.00 total=4\n"
	    "full avg10=0.25 avg60=0.75 avg300=1.25 total=6\n",
	    HR_EINVAL, 1, true, 0, 0, 0, 0, 0.25, 0.75, 1.25, 6 },
};

static void
test_psi(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct hr_psi *p;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(psi_cases); i++) {
		const struct psi_case *tc = &psi_cases[i];

		snprintf(name, sizeof(name), "psi[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		/* fill the io struct; the other two must stay untouched */
		c.psi = p = &s->psi_io;
		s->psi_cpu.some_total_us = 11;
		s->psi_mem.some_total_us = 22;
		rc = parse_text(&procfs_psi, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, p->has_full, tc->has_full);
		EXPECT_DBL(name, p->some_avg10, tc->s10);
		EXPECT_DBL(name, p->some_avg60, tc->s60);
		EXPECT_DBL(name, p->some_avg300, tc->s300);
		EXPECT_U64(name, p->some_total_us, tc->stot);
		EXPECT_DBL(name, p->full_avg10, tc->f10);
		EXPECT_DBL(name, p->full_avg60, tc->f60);
		EXPECT_DBL(name, p->full_avg300, tc->f300);
		EXPECT_U64(name, p->full_total_us, tc->ftot);
		EXPECT_U64(name, s->psi_cpu.some_total_us, 11);
		EXPECT_U64(name, s->psi_mem.some_total_us, 22);
		free(s);
	}
}

/* ==== /proc/diskstats ==================================================== */

struct disk_want {
	const char *name;
	uint64_t    v[11];   /* rd_ios .. weighted_ms, in file order */
};

struct disk_case {
	const char             *name;
	const char             *in;
	int                     rc;
	uint64_t                malformed;
	uint32_t                ndisks;
	const struct disk_want *disks;
};

/* 5.5+ (20 fields), 4.18+ (18 fields) and 2.6.25+ (14 fields) rows mixed */
static const char diskstats_modern[] =
    " 259       0 nvme0n1 1234567 2345 98765432 456789 2345678 3456 87654321 567890 0 654321 1024679 100 0 200 3 12345 6789\n"
    " 259       1 nvme0n1p1 100 0 2048 10 0 0 0 0 0 20 10 0 0 0 0 0 0\n"
    " 259       2 nvme0n1p2 1234000 2345 98700000 456000 2345678 3456 87654321 567890 0 654000 1023890 0 0 0 0 0 0\n"
    "   7       0 loop0 50 0 200 5 0 0 0 0 0 8 5 0 0 0 0 0 0\n"
    "   7       1 loop1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    "   8       0 sda 5000 100 400000 3000 6000 200 500000 4000 2 7000 7500 0 0 0 0 0 0\n"
    "   8       1 sda1 4900 100 399000 2900 6000 200 500000 4000 2 6900 7400 0 0 0 0 0 0\n"
    "   8      15 sda15 1 0 8 0 0 0 0 0 0 1 0 0 0 0 0 0 0\n"
    "  11       0 sr0 10 0 80 1 0 0 0 0 0 1 1 0 0 0 0 0 0\n"
    "   1       0 ram0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    " 252       0 zram0 300 0 2400 3 900 0 7200 9 0 12 12 0 0 0 0 0 0\n"
    "  43       0 nbd0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    "   2       0 fd0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
    " 179       0 mmcblk0 700 1 5600 70 800 2 6400 80 0 150 150 0 0 0 0 0 0\n"
    " 179       1 mmcblk0p1 690 1 5500 69 800 2 6400 80 0 149 149 0 0 0 0 0 0\n"
    " 253       0 dm-0 1233000 0 98600000 460000 2349000 0 87650000 580000 1 655000 1040000 0 0 0 0 0 0\n"
    "   9       0 md0 11 12 13 14 15 16 17 18 19 20 21 0 0 0 0 0 0\n"
    " 202       0 xvda 31 32 33 34 35 36 37 38 39 40 41\n"
    " 202       1 xvda1 1 1 1 1 1 1 1 1 1 1 1\n"
    " 252      16 vdb 51 52 53 54 55 56 57 58 59 60 61 0 0 0 0\n"
    " 252      17 vdb1 1 1 1 1 1 1 1 1 1 1 1 0 0 0 0\n"
    "   3       0 hda 71 72 73 74 75 76 77 78 79 80 81\n"
    "   3       1 hda1 1 1 1 1 1 1 1 1 1 1 1\n";

static const struct disk_want diskstats_modern_want[] = {
	{ "nvme0n1", { 1234567, 2345, 98765432, 456789, 2345678, 3456,
	    87654321, 567890, 0, 654321, 1024679 } },
	{ "sda", { 5000, 100, 400000, 3000, 6000, 200, 500000, 4000, 2,
	    7000, 7500 } },
	{ "mmcblk0", { 700, 1, 5600, 70, 800, 2, 6400, 80, 0, 150, 150 } },
	{ "dm-0", { 1233000, 0, 98600000, 460000, 2349000, 0, 87650000,
	    580000, 1, 655000, 1040000 } },
	{ "md0", { 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21 } },
	{ "xvda", { 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41 } },
	{ "vdb", { 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61 } },
	{ "hda", { 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81 } },
};

static const struct disk_want disk_sda_1_11[] = {
	{ "sda", { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 } },
};

static const struct disk_want disk_sda_max[] = {
	{ "sda", { UINT64_MAX, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
};

static const struct disk_want disk_name31[] = {
	{ "abcdefghijklmnopqrstuvwxyz01234", { 1, 1, 1, 1, 1, 1, 1, 1, 1,
	    1, 1 } },
};

static const struct disk_case disk_cases[] = {
	{ "modern mix, default filter", diskstats_modern, 0, 0,
	    (uint32_t)NCASES(diskstats_modern_want), diskstats_modern_want },
	{ "2.6.25 14 fields",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n",
	    0, 0, 1, disk_sda_1_11 },
	{ "2.6 short partition row",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
	    "   8       1 sda1 35486 38030 38030 38030\n",
	    0, 1, 1, disk_sda_1_11 },
	{ "13 fields",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10\n",
	    0, 1, 0, NULL },
	{ "value > 2^64",
	    "   8      16 sdb 18446744073709551616 2 3 4 5 6 7 8 9 10 11\n"
	    "   8       0 sda 18446744073709551615 0 0 0 0 0 0 0 0 0 0\n",
	    0, 1, 1, disk_sda_max },
	{ "name of 31 bytes fits",
	    "   8       0 abcdefghijklmnopqrstuvwxyz01234 1 1 1 1 1 1 1 1 1 1 1\n",
	    0, 0, 1, disk_name31 },
	{ "name of 32 bytes does not",
	    "   8       0 abcdefghijklmnopqrstuvwxyz012345 1 1 1 1 1 1 1 1 1 1 1\n",
	    0, 1, 0, NULL },
	{ "garbage",
	    "garbage\n8 0\n8\n   8       0 sda x 2 3 4 5 6 7 8 9 10 11\n"
	    "major minor name\n",
	    0, 5, 0, NULL },
	{ "empty buffer", "", 0, 0, 0, NULL },
	{ "blank lines", "\n  \n\n", 0, 0, 0, NULL },
	{ "CRLF line ends",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11 0 0 0 0\r\n"
	    "   8       1 sda1 1 2 3 4 5 6 7 8 9 10 11 0 0 0 0\r\n",
	    0, 0, 1, disk_sda_1_11 },
	{ "no trailing newline",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11",
	    0, 0, 1, disk_sda_1_11 },
	{ "truncated inside a row",
	    "   8       0 sda 1 2 3 4 5 6 7 8 9 10 11\n"
	    "   8      16 sdb 1 2 3",
	    0, 1, 1, disk_sda_1_11 },
	{ "negative value",
	    "   8       0 sda 1 2 3 4 5 6 7 8 -1 10 11\n",
	    0, 1, 0, NULL },
};

static void
check_disks(const char *name, const struct hr_sample *s,
    const struct disk_want *w, uint32_t n)
{
	const struct hr_disk *d;
	uint32_t k;

	EXPECT_U64(name, s->ndisks, n);
	for (k = 0; k < n && k < s->ndisks; k++) {
		d = &s->disk[k];
		EXPECT_STR(name, d->name, w[k].name);
		EXPECT_U64(name, d->rd_ios, w[k].v[0]);
		EXPECT_U64(name, d->rd_merges, w[k].v[1]);
		EXPECT_U64(name, d->rd_sectors, w[k].v[2]);
		EXPECT_U64(name, d->rd_ms, w[k].v[3]);
		EXPECT_U64(name, d->wr_ios, w[k].v[4]);
		EXPECT_U64(name, d->wr_merges, w[k].v[5]);
		EXPECT_U64(name, d->wr_sectors, w[k].v[6]);
		EXPECT_U64(name, d->wr_ms, w[k].v[7]);
		EXPECT_U64(name, d->in_flight, w[k].v[8]);
		EXPECT_U64(name, d->io_ms, w[k].v[9]);
		EXPECT_U64(name, d->weighted_ms, w[k].v[10]);
	}
}

static void
test_diskstats(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(disk_cases); i++) {
		const struct disk_case *tc = &disk_cases[i];

		snprintf(name, sizeof(name), "diskstats[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_diskstats, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		check_disks(name, s, tc->disks, tc->ndisks);
		EXPECT_U64(name, s->health.overflow_disks, 0);
		free(s);
	}
}

struct keep_case {
	const char *name;
	int         keep;
	int         virt;
};

static const struct keep_case keep_cases[] = {
	{ "sda", 1, 0 }, { "sda1", 0, 0 }, { "sdb", 1, 0 },
	{ "sdz9", 0, 0 }, { "sdaa", 1, 0 }, { "sdaa1", 0, 0 },
	{ "sda15", 0, 0 },
	{ "vda", 1, 0 }, { "vda1", 0, 0 }, { "hda", 1, 0 }, { "hda3", 0, 0 },
	{ "xvda", 1, 0 }, { "xvda1", 0, 0 },
	{ "nvme0n1", 1, 0 }, { "nvme0n1p1", 0, 0 }, { "nvme10n2", 1, 0 },
	{ "nvme10n2p15", 0, 0 }, { "nvme1n12", 1, 0 },
	{ "mmcblk0", 1, 0 }, { "mmcblk0p1", 0, 0 }, { "mmcblk1p12", 0, 0 },
	{ "mmcblk10", 1, 0 },
	{ "dm-0", 1, 0 }, { "dm-12", 1, 0 },
	{ "md0", 1, 0 }, { "md127", 1, 0 },
	{ "loop0", 0, 1 }, { "loop12", 0, 1 }, { "ram0", 0, 1 },
	{ "ram15", 0, 1 }, { "zram0", 0, 1 }, { "zram3", 0, 1 },
	{ "sr0", 0, 1 }, { "sr1", 0, 1 }, { "nbd0", 0, 1 }, { "nbd15", 0, 1 },
	{ "fd0", 0, 1 },
	/* look-alikes of the virtual families are not virtual */
	{ "loopy", 1, 0 }, { "ramdisk", 1, 0 }, { "srv", 1, 0 },
};

static void
test_disk_default_keep(void **state)
{
	char name[64];
	size_t i;

	(void)state;
	for (i = 0; i < NCASES(keep_cases); i++) {
		snprintf(name, sizeof(name), "keep \"%s\"", keep_cases[i].name);
		EXPECT_I64(name, pp_disk_default_keep(NULL,
		    keep_cases[i].name), keep_cases[i].keep);
		EXPECT_I64(name, pp_disk_is_virtual(keep_cases[i].name),
		    keep_cases[i].virt);
	}
}

struct keep_rec {
	unsigned calls;
	char     last[HR_NAME_LEN];
};

/* Keep only the loop devices (the default filter's opposite). */
static int
keep_loops(void *arg, const char *name)
{
	struct keep_rec *r = arg;

	r->calls++;
	snprintf(r->last, sizeof(r->last), "%s", name);
	return strncmp(name, "loop", 4) == 0;
}

static void
test_diskstats_custom_filter(void **state)
{
	struct hr_sample *s;
	struct keep_rec r;
	struct pp_ctx c;

	(void)state;
	memset(&r, 0, sizeof(r));
	s = sample_new();
	ctx_init(&c, s);
	c.disk_keep = keep_loops;
	c.disk_arg = &r;
	assert_int_equal(parse_text(&procfs_diskstats, diskstats_modern, &c),
	    0);
	assert_int_equal(c.malformed, 0);
	/* asked once per well-formed row, with the NUL-terminated name */
	assert_int_equal(r.calls, 23);
	assert_string_equal(r.last, "hda1");
	assert_int_equal(s->ndisks, 2);
	assert_string_equal(s->disk[0].name, "loop0");
	assert_int_equal(s->disk[0].rd_ios, 50);
	assert_int_equal(s->disk[0].rd_sectors, 200);
	assert_int_equal(s->disk[0].io_ms, 8);
	assert_string_equal(s->disk[1].name, "loop1");
	free(s);
}

/* More whole disks than HR_MAX_DISKS; filtered rows never count. */
static void
test_diskstats_overflow(void **state)
{
	const unsigned ndm = HR_MAX_DISKS + 6;
	struct hr_sample *s;
	struct pp_ctx c;
	struct gen g;
	char line[128];
	unsigned k;

	(void)state;
	gen_init(&g);
	for (k = 0; k < ndm; k++) {
		snprintf(line, sizeof(line),
		    " 253 %u dm-%u %u 0 0 0 0 0 0 0 0 0 %u\n", k, k, k + 1, k);
		gen_add(&g, line);
		snprintf(line, sizeof(line),
		    "   7 %u loop%u 1 1 1 1 1 1 1 1 1 1 1\n", k, k);
		gen_add(&g, line);
	}
	s = sample_new();
	ctx_init(&c, s);
	assert_int_equal(parse_len(&procfs_diskstats, g.p, g.len, &c), 0);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(s->ndisks, HR_MAX_DISKS);
	assert_int_equal(s->health.overflow_disks, 6);
	assert_string_equal(s->disk[0].name, "dm-0");
	assert_string_equal(s->disk[HR_MAX_DISKS - 1].name, "dm-63");
	assert_int_equal(s->disk[HR_MAX_DISKS - 1].rd_ios, HR_MAX_DISKS);
	assert_int_equal(s->disk[HR_MAX_DISKS - 1].weighted_ms,
	    HR_MAX_DISKS - 1);
	free(s);
	free(g.p);
}

/* ==== /proc/net/dev ====================================================== */

struct iface_want {
	const char *name;
	uint64_t    rx_bytes, rx_packets, rx_errs, rx_drop;
	uint64_t    tx_bytes, tx_packets, tx_errs, tx_drop;
};

struct netdev_case {
	const char              *name;
	const char              *in;
	uint64_t                 malformed;
	uint32_t                 nifaces;
	const struct iface_want *ifaces;
};

#define NETDEV_HEADER							\
	"Inter-|   Receive                                                |  Transmit\n" \
	" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed\n"

static const struct iface_want netdev_modern_want[] = {
	{ "eth0", 9876543210ULL, 7654321, 1, 2, 1234567890, 2345678, 3, 4 },
	{ "docker0", 0, 0, 0, 0, 0, 0, 0, 5 },
	{ "wlan0", 1, 2, 3, 4, 9, 10, 11, 12 },
	{ "eth0.100", 100, 1, 0, 0, 200, 2, 0, 0 },
	{ "br-1a2b3c4d5e6f", 7, 7, 7, 7, 8, 8, 8, 8 },
};

static const struct iface_want netdev_old_want[] = {
	{ "eth0", 4294967295ULL, 123, 0, 0, 4294967295ULL, 456, 0, 0 },
	{ "eth1", 12345678901ULL, 5, 6, 7, 98765432109ULL, 10, 11, 12 },
};

static const struct iface_want netdev_one_want[] = {
	{ "eth0", 1, 2, 3, 4, 9, 10, 11, 12 },
};

static const struct iface_want netdev_lo0_want[] = {
	{ "lo0", 1, 2, 3, 4, 9, 10, 11, 12 },
};

static const struct iface_want netdev_max_want[] = {
	{ "eth0", UINT64_MAX, 0, 0, 0, 0, 0, 0, 0 },
};

static const struct netdev_case netdev_cases[] = {
	{ "linux 6.x",
	    NETDEV_HEADER
	    "    lo: 123456789  654321    0    0    0     0          0         0 123456789  654321    0    0    0     0       0          0\n"
	    "  eth0: 9876543210 7654321    1    2    0     0          0      1234 1234567890 2345678    3    4    0     0       0          0\n"
	    "docker0:       0       0    0    0    0     0          0         0        0       0    0    5    0     0       0          0\n"
	    "wlan0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "eth0.100: 100 1 0 0 0 0 0 0 200 2 0 0 0 0 0 0\n"
	    "br-1a2b3c4d5e6f: 7 7 7 7 0 0 0 0 8 8 8 8 0 0 0 0\n",
	    0, 5, netdev_modern_want },
	{ "old kernel, no blank after the colon",
	    NETDEV_HEADER
	    "    lo:   12345     100    0    0    0     0          0         0    12345     100    0    0    0     0       0          0\n"
	    "  eth0:4294967295 123 0 0 0 0 0 0 4294967295 456 0 0 0 0 0 0\n"
	    "  eth1:12345678901 5 6 7 8 0 0 0 98765432109 10 11 12 13 0 0 0\n",
	    0, 2, netdev_old_want },
	{ "lo skipped, lo0 kept",
	    NETDEV_HEADER
	    "lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "lo0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    0, 1, netdev_lo0_want },
	{ "malformed lo still counted",
	    NETDEV_HEADER "lo: 1 2 3\n",
	    1, 0, NULL },
	{ "too few counters",
	    NETDEV_HEADER
	    "eth1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15\n"
	    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    1, 1, netdev_one_want },
	{ "no colon",
	    NETDEV_HEADER "eth0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    1, 0, NULL },
	{ "empty name",
	    NETDEV_HEADER ": 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    1, 0, NULL },
	{ "two words before the colon",
	    NETDEV_HEADER "eth 0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    1, 0, NULL },
	{ "counter > 2^64",
	    NETDEV_HEADER
	    "eth1: 18446744073709551616 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "eth0: 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n",
	    1, 1, netdev_max_want },
	{ "negative counter",
	    NETDEV_HEADER "eth0: 1 2 3 4 5 6 7 8 -9 10 11 12 13 14 15 16\n",
	    1, 0, NULL },
	{ "name of 32 bytes",
	    NETDEV_HEADER
	    "abcdefghijklmnopqrstuvwxyz012345: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    1, 0, NULL },
	{ "garbage line",
	    NETDEV_HEADER "garbage\n\x01\x02\n"
	    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n",
	    2, 1, netdev_one_want },
	{ "header only", NETDEV_HEADER, 0, 0, NULL },
	{ "empty buffer", "", 0, 0, NULL },
	{ "CRLF line ends",
	    "Inter-|   Receive |  Transmit\r\n"
	    " face |bytes packets|bytes packets\r\n"
	    "    lo: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\r\n"
	    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\r\n",
	    0, 1, netdev_one_want },
	{ "no trailing newline",
	    NETDEV_HEADER "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
	    0, 1, netdev_one_want },
	{ "truncated inside a row",
	    NETDEV_HEADER
	    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n"
	    "  eth1: 1 2 3 4 5",
	    1, 1, netdev_one_want },
	{ "extra columns ignored",
	    NETDEV_HEADER
	    "  eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18\n",
	    0, 1, netdev_one_want },
};

static void
test_netdev(void **state)
{
	char name[160];
	const struct hr_iface *f;
	struct hr_sample *s;
	struct pp_ctx c;
	uint32_t k;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(netdev_cases); i++) {
		const struct netdev_case *tc = &netdev_cases[i];

		snprintf(name, sizeof(name), "netdev[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_netdev, tc->in, &c);
		EXPECT_I64(name, rc, 0);      /* no essential field */
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, s->nifaces, tc->nifaces);
		for (k = 0; k < tc->nifaces && k < s->nifaces; k++) {
			const struct iface_want *w = &tc->ifaces[k];

			f = &s->iface[k];
			EXPECT_STR(name, f->name, w->name);
			EXPECT_U64(name, f->rx_bytes, w->rx_bytes);
			EXPECT_U64(name, f->rx_packets, w->rx_packets);
			EXPECT_U64(name, f->rx_errs, w->rx_errs);
			EXPECT_U64(name, f->rx_drop, w->rx_drop);
			EXPECT_U64(name, f->tx_bytes, w->tx_bytes);
			EXPECT_U64(name, f->tx_packets, w->tx_packets);
			EXPECT_U64(name, f->tx_errs, w->tx_errs);
			EXPECT_U64(name, f->tx_drop, w->tx_drop);
			/* sysfs fills these later */
			EXPECT_I64(name, f->speed_mbps, -1);
			EXPECT_I64(name, f->oper, HR_OPER_UNKNOWN);
		}
		EXPECT_U64(name, s->health.overflow_ifaces, 0);
		free(s);
	}
}

static void
test_netdev_overflow(void **state)
{
	const unsigned n = HR_MAX_IFACES + 2;
	struct hr_sample *s;
	struct pp_ctx c;
	struct gen g;
	char line[128];
	unsigned k;

	(void)state;
	gen_init(&g);
	gen_add(&g, NETDEV_HEADER);
	gen_add(&g, "lo: 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n");
	for (k = 0; k < n; k++) {
		snprintf(line, sizeof(line),
		    "veth%u: %u 0 0 0 0 0 0 0 %u 0 0 0 0 0 0 0\n", k, k, 2 * k);
		gen_add(&g, line);
	}
	s = sample_new();
	ctx_init(&c, s);
	assert_int_equal(parse_len(&procfs_netdev, g.p, g.len, &c), 0);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(s->nifaces, HR_MAX_IFACES);
	assert_int_equal(s->health.overflow_ifaces, 2);
	assert_string_equal(s->iface[0].name, "veth0");
	assert_string_equal(s->iface[HR_MAX_IFACES - 1].name, "veth127");
	assert_int_equal(s->iface[HR_MAX_IFACES - 1].rx_bytes, 127);
	assert_int_equal(s->iface[HR_MAX_IFACES - 1].tx_bytes, 254);
	free(s);
	free(g.p);
}

/* ==== /proc/net/softnet_stat ============================================= */

struct softnet_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	uint64_t    processed, dropped, squeezed;
};

static const struct softnet_case softnet_cases[] = {
	/* 0x1e240 + 0xf4240 = 123456 + 1000000 */
	{ "linux 6.x, 13 columns, 2 CPUs",
	    "0001e240 00000002 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n"
	    "000f4240 00000000 0000000a 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000001 00000001\n",
	    0, 0, 1123456, 2, 13 },
	{ "linux 2.6, 9 columns",
	    "00000010 00000001 00000002 00000000 00000000 00000000 00000000 00000000 00000000\n",
	    0, 0, 16, 1, 2 },
	{ "upper-case hex", "0000000A 0000000B 0000000C\n", 0, 0, 10, 11, 12 },
	{ "u32 maxima summed beyond u32",
	    "ffffffff ffffffff ffffffff\nffffffff 00000000 00000000\n",
	    0, 0, 8589934590ULL, 4294967295ULL, 4294967295ULL },
	{ "column > u32",
	    "100000000 0 0\n00000001 00000001 00000001\n",
	    0, 1, 1, 1, 1 },
	{ "column > 2^64",
	    "10000000000000000 0 0\n", HR_EINVAL, 1, 0, 0, 0 },
	{ "only two columns",
	    "00000001 00000002\n", HR_EINVAL, 1, 0, 0, 0 },
	{ "garbage", "zz 00 00\n", HR_EINVAL, 1, 0, 0, 0 },
	{ "0x prefix", "0x1 0x2 0x3\n", HR_EINVAL, 1, 0, 0, 0 },
	{ "empty buffer", "", HR_EINVAL, 0, 0, 0, 0 },
	{ "CRLF line ends",
	    "00000001 00000002 00000003\r\n00000004 00000005 00000006\r\n",
	    0, 0, 5, 7, 9 },
	{ "no trailing newline",
	    "00000001 00000002 00000003\n00000004 00000005 00000006",
	    0, 0, 5, 7, 9 },
	{ "truncated row",
	    "00000001 00000002 00000003\n00000004 000000",
	    0, 1, 1, 2, 3 },
};

static void
test_softnet(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(softnet_cases); i++) {
		const struct softnet_case *tc = &softnet_cases[i];

		snprintf(name, sizeof(name), "softnet[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(&procfs_softnet, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, s->softnet_processed, tc->processed);
		EXPECT_U64(name, s->softnet_dropped, tc->dropped);
		EXPECT_U64(name, s->softnet_squeezed, tc->squeezed);
		free(s);
	}
}

/* ==== /proc/net/snmp ===================================================== */

struct kv_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	uint64_t    a, b, c;    /* snmp: in/out/retrans; netstat: ovf/drops */
};

#define SNMP_IP								\
	"Ip: Forwarding DefaultTTL InReceives InHdrErrors InAddrErrors ForwDatagrams InUnknownProtos InDiscards InDelivers OutRequests OutDiscards OutNoRoutes ReasmTimeout ReasmReqds ReasmOKs ReasmFails FragOKs FragFails FragCreates\n" \
	"Ip: 1 64 1234567 0 0 0 0 0 1234500 1100000 20 0 0 0 0 0 0 0 0\n" \
	"Icmp: InMsgs InErrors InCsumErrors InDestUnreachs InTimeExcds InParmProbs InSrcQuenchs InRedirects InEchos InEchoReps InTimestamps InTimestampReps InAddrMasks InAddrMaskReps OutMsgs OutErrors OutDestUnreachs OutTimeExcds OutParmProbs OutSrcQuenchs OutRedirects OutEchos OutEchoReps OutTimestamps OutTimestampReps OutAddrMasks OutAddrMaskReps\n" \
	"Icmp: 45 0 0 40 0 0 0 0 5 0 0 0 0 0 45 0 40 0 0 0 0 0 5 0 0 0 0\n" \
	"IcmpMsg: InType3 InType8 OutType0 OutType3\n"			\
	"IcmpMsg: 40 5 5 40\n"

#define SNMP_TCP_HDR							\
	"Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts InCsumErrors\n"

#define SNMP_UDP							\
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n" \
	"Udp: 1000 10 0 1010 0 0 0 0 0\n"				\
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n" \
	"UdpLite: 0 0 0 0 0 0 0 0 0\n"

static const struct kv_case snmp_cases[] = {
	{ "linux 6.x",
	    SNMP_IP SNMP_TCP_HDR
	    "Tcp: 1 200 120000 -1 5000 3000 10 20 7 987654 876543 321 0 45 0\n"
	    SNMP_UDP,
	    0, 0, 987654, 876543, 321 },
	{ "linux 2.6.32, no InCsumErrors",
	    "Tcp: RtoAlgorithm RtoMin RtoMax MaxConn ActiveOpens PassiveOpens AttemptFails EstabResets CurrEstab InSegs OutSegs RetransSegs InErrs OutRsts\n"
	    "Tcp: 1 200 120000 -1 100 50 1 2 3 4000 3500 12 0 5\n",
	    0, 0, 4000, 3500, 12 },
	{ "maximum values",
	    "Tcp: InSegs OutSegs RetransSegs\n"
	    "Tcp: 18446744073709551615 18446744073709551615 0\n",
	    0, 0, UINT64_MAX, UINT64_MAX, 0 },
	{ "value line one column short",
	    SNMP_TCP_HDR
	    "Tcp: 1 200 120000 -1 5000 3000 10 20 7 987654 876543 321 0 45\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "value line one column long",
	    SNMP_TCP_HDR
	    "Tcp: 1 200 120000 -1 5000 3000 10 20 7 987654 876543 321 0 45 0 9\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "value line truncated",
	    SNMP_IP SNMP_TCP_HDR
	    "Tcp: 1 200 120000 -1 5000 3000 10 20 7 987",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "file ends after the header",
	    SNMP_IP SNMP_TCP_HDR, HR_EINVAL, 0, 0, 0, 0 },
	{ "InSegs not a number",
	    "Tcp: InSegs OutSegs RetransSegs\nTcp: x 2 3\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "RetransSegs > 2^64",
	    "Tcp: InSegs OutSegs RetransSegs\n"
	    "Tcp: 1 2 18446744073709551616\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "no Tcp lines", SNMP_IP SNMP_UDP, HR_EINVAL, 0, 0, 0, 0 },
	{ "no RetransSegs column",
	    "Tcp: RtoAlgorithm InSegs OutSegs\nTcp: 1 2 3\n",
	    HR_EINVAL, 0, 0, 0, 0 },
	{ "CRLF line ends",
	    "Ip: Forwarding DefaultTTL\r\nIp: 1 64\r\n"
	    "Tcp: InSegs OutSegs RetransSegs InCsumErrors\r\n"
	    "Tcp: 10 20 30 0\r\n",
	    0, 0, 10, 20, 30 },
	{ "no trailing newline",
	    "Tcp: InSegs OutSegs RetransSegs\nTcp: 10 20 30",
	    0, 0, 10, 20, 30 },
	{ "empty buffer", "", HR_EINVAL, 0, 0, 0, 0 },
	{ "unwanted columns may be anything",
	    "Tcp: MaxConn InSegs Foo OutSegs RetransSegs\n"
	    "Tcp: -1 5 bar 6 7\n",
	    0, 0, 5, 6, 7 },
};

static void
run_kv(const char *what, const struct pp_parser *p,
    const struct kv_case *cases, size_t n, bool snmp)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const struct kv_case *tc = &cases[i];

		snprintf(name, sizeof(name), "%s[%zu] %s", what, i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		rc = parse_text(p, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		/* values are only defined when the pair was usable */
		if (rc != 0)
			goto next;
		if (snmp) {
			EXPECT_U64(name, s->tcp_in_segs, tc->a);
			EXPECT_U64(name, s->tcp_out_segs, tc->b);
			EXPECT_U64(name, s->tcp_retrans_segs, tc->c);
		} else {
			EXPECT_U64(name, s->tcp_listen_overflows, tc->a);
			EXPECT_U64(name, s->tcp_listen_drops, tc->b);
		}
	next:
		free(s);
	}
}

static void
test_snmp(void **state)
{
	(void)state;
	run_kv("snmp", &procfs_snmp, snmp_cases, NCASES(snmp_cases), true);
}

/* A file that ended after its header must not pair that header with the
 * value line of the next parse. */
static void
test_snmp_state_reset(void **state)
{
	struct hr_sample *s;
	struct pp_ctx c;

	(void)state;
	s = sample_new();
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_snmp,
	    "Tcp: InSegs OutSegs RetransSegs Extra\n", &c), HR_EINVAL);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_snmp,
	    "Tcp: InSegs OutSegs RetransSegs\nTcp: 1 2 3\n", &c), 0);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(s->tcp_in_segs, 1);
	assert_int_equal(s->tcp_out_segs, 2);
	assert_int_equal(s->tcp_retrans_segs, 3);

	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netstat,
	    "TcpExt: ListenOverflows ListenDrops Extra\n", &c), HR_EINVAL);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netstat,
	    "TcpExt: ListenOverflows ListenDrops\nTcpExt: 4 5\n", &c), 0);
	assert_int_equal(c.malformed, 0);
	assert_int_equal(s->tcp_listen_overflows, 4);
	assert_int_equal(s->tcp_listen_drops, 5);
	free(s);
}

/* ==== /proc/net/netstat ================================================== */

#define NETSTAT_TCPEXT_HDR						\
	"TcpExt: SyncookiesSent SyncookiesRecv SyncookiesFailed EmbryonicRsts PruneCalled RcvPruned OfoPruned OutOfWindowIcmps LockDroppedIcmps ArpFilter TW TWRecycled TWKilled PAWSActive PAWSEstab DelayedACKs DelayedACKLocked DelayedACKLost ListenOverflows ListenDrops TCPHPHits\n"

#define NETSTAT_TAIL							\
	"IpExt: InNoRoutes InTruncatedPkts InMcastPkts OutMcastPkts InBcastPkts OutBcastPkts\n" \
	"IpExt: 0 0 10 20 30 40\n"					\
	"MPTcpExt: MPCapableSYNRX MPCapableSYNTX\n"			\
	"MPTcpExt: 0 0\n"

static const struct kv_case netstat_cases[] = {
	{ "linux 6.x",
	    NETSTAT_TCPEXT_HDR
	    "TcpExt: 0 0 0 1 0 0 0 0 0 0 100 0 0 0 0 500 1 2 17 19 1000\n"
	    NETSTAT_TAIL,
	    0, 0, 17, 19, 0 },
	{ "other Ext pairs first",
	    NETSTAT_TAIL NETSTAT_TCPEXT_HDR
	    "TcpExt: 0 0 0 1 0 0 0 0 0 0 100 0 0 0 0 500 1 2 3 4 1000",
	    0, 0, 3, 4, 0 },
	{ "value line one column short",
	    NETSTAT_TCPEXT_HDR
	    "TcpExt: 0 0 0 1 0 0 0 0 0 0 100 0 0 0 0 500 1 2 17 19\n"
	    NETSTAT_TAIL,
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "value line one column long",
	    NETSTAT_TCPEXT_HDR
	    "TcpExt: 0 0 0 1 0 0 0 0 0 0 100 0 0 0 0 500 1 2 17 19 1000 7\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "old kernel without the listen counters",
	    "TcpExt: SyncookiesSent SyncookiesRecv TW\nTcpExt: 0 0 5\n",
	    HR_EINVAL, 0, 0, 0, 0 },
	{ "file ends after the header",
	    NETSTAT_TCPEXT_HDR, HR_EINVAL, 0, 0, 0, 0 },
	{ "ListenDrops > 2^64",
	    "TcpExt: ListenOverflows ListenDrops\n"
	    "TcpExt: 1 18446744073709551616\n",
	    HR_EINVAL, 1, 0, 0, 0 },
	{ "CRLF line ends",
	    "TcpExt: ListenOverflows ListenDrops\r\nTcpExt: 8 9\r\n",
	    0, 0, 8, 9, 0 },
	{ "empty buffer", "", HR_EINVAL, 0, 0, 0, 0 },
	{ "only other pairs", NETSTAT_TAIL, HR_EINVAL, 0, 0, 0, 0 },
};

static void
test_netstat(void **state)
{
	(void)state;
	run_kv("netstat", &procfs_netstat, netstat_cases,
	    NCASES(netstat_cases), false);
}

/* ==== /proc/self/mounts ================================================== */

struct ent_want {
	const char *source;
	const char *path;
	const char *fstype;
};

struct mounts_case {
	const char            *name;
	const char            *in;
	uint32_t               cap;
	uint64_t               malformed;
	uint32_t               nents;
	uint64_t               overflow;
	const struct ent_want *ents;
};

static const char mounts_real[] =
    "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n"
    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
    "/dev/nvme0n1p2 / ext4 rw,relatime,errors=remount-ro 0 0\n"
    "/dev/sdb1 /mnt/my\\040disk ext4 rw,relatime 0 0\n"
    "/dev/mapper/vg-data /srv/a\\134b xfs rw,relatime,attr2,inode64 0 0\n"
    "//server/share\\040name /mnt/tab\\011and\\012nl cifs rw 0 0\n"
    "tmpfs /run tmpfs rw,nosuid,nodev,size=1631876k,mode=755 0 0\n"
    "overlay /var/lib/docker/overlay2/abc/merged overlay rw,relatime,lowerdir=/x:/y 0 0\n";

static const struct ent_want mounts_real_want[] = {
	{ "sysfs", "/sys", "sysfs" },
	{ "proc", "/proc", "proc" },
	{ "/dev/nvme0n1p2", "/", "ext4" },
	{ "/dev/sdb1", "/mnt/my disk", "ext4" },
	{ "/dev/mapper/vg-data", "/srv/a\\b", "xfs" },
	{ "//server/share name", "/mnt/tab\tand\nnl", "cifs" },
	{ "tmpfs", "/run", "tmpfs" },
	{ "overlay", "/var/lib/docker/overlay2/abc/merged", "overlay" },
};

static const struct ent_want mounts_proc_want[] = {
	{ "proc", "/proc", "proc" },
};

static const struct ent_want mounts_badesc_want[] = {
	{ "/dev/sda1", "/mnt/a\\9b", "ext4" },
	{ "/dev/sda2", "/mnt/x\\04", "ext4" },
	{ "/dev/sda3", "/mnt/\\400", "ext4" },
	{ "/dev/sda4", "/mnt/end\\", "ext4" },
};

static const struct mounts_case mounts_cases[] = {
	{ "real table", mounts_real, 16, 0, 8, 0, mounts_real_want },
	{ "table full at 3", mounts_real, 3, 0, 3, 5, mounts_real_want },
	{ "table of 0", mounts_real, 0, 0, 0, 8, NULL },
	{ "two fields only",
	    "onlytwo words\nproc /proc proc rw 0 0\n", 4, 1, 1, 0,
	    mounts_proc_want },
	{ "three fields are enough",
	    "proc /proc proc\n", 4, 0, 1, 0, mounts_proc_want },
	{ "fstype of 32 bytes",
	    "x /x abcdefghijklmnopqrstuvwxyz012345 rw 0 0\n"
	    "proc /proc proc rw 0 0\n", 4, 1, 1, 0, mounts_proc_want },
	{ "CRLF line ends",
	    "proc /proc proc rw 0 0\r\n", 4, 0, 1, 0, mounts_proc_want },
	{ "no trailing newline",
	    "proc /proc proc rw 0 0", 4, 0, 1, 0, mounts_proc_want },
	{ "truncated row",
	    "proc /proc proc rw 0 0\nsysfs /sy", 4, 1, 1, 0,
	    mounts_proc_want },
	{ "empty buffer", "", 4, 0, 0, 0, NULL },
	{ "blank lines", "\n \n", 4, 0, 0, 0, NULL },
	{ "invalid escapes kept literally",
	    "/dev/sda1 /mnt/a\\9b ext4 rw 0 0\n"
	    "/dev/sda2 /mnt/x\\04 ext4 rw 0 0\n"
	    "/dev/sda3 /mnt/\\400 ext4 rw 0 0\n"
	    "/dev/sda4 /mnt/end\\ ext4 rw 0 0\n",
	    4, 0, 4, 0, mounts_badesc_want },
};

static void
test_mounts(void **state)
{
	struct pp_mount_ent ents[16];
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	uint32_t k;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(mounts_cases); i++) {
		const struct mounts_case *tc = &mounts_cases[i];

		snprintf(name, sizeof(name), "mounts[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		memset(ents, 0x5a, sizeof(ents));
		c.ents = ents;
		c.ents_cap = tc->cap;
		rc = parse_text(&procfs_mounts, tc->in, &c);
		EXPECT_I64(name, rc, 0);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, c.nents, tc->nents);
		EXPECT_U64(name, c.ents_overflow, tc->overflow);
		for (k = 0; k < tc->nents && k < c.nents; k++) {
			EXPECT_STR(name, ents[k].source, tc->ents[k].source);
			EXPECT_STR(name, ents[k].path, tc->ents[k].path);
			EXPECT_STR(name, ents[k].fstype, tc->ents[k].fstype);
		}
		/* entries past the capacity are never written */
		for (k = tc->cap; k < 16; k++)
			EXPECT(name, ents[k].path[0] == 0x5a);
		free(s);
	}
}

/* Paths and sources that do not fit HR_PATH_LEN are malformed rows. */
static void
test_mounts_long_path(void **state)
{
	struct pp_mount_ent ents[4];
	struct hr_sample *s;
	struct pp_ctx c;
	struct gen g;
	unsigned k;

	(void)state;
	gen_init(&g);
	/* path of HR_PATH_LEN - 1 bytes: fits */
	gen_add(&g, "/dev/sda1 /");
	for (k = 1; k < HR_PATH_LEN - 1; k++)
		gen_add(&g, "a");
	gen_add(&g, " ext4 rw 0 0\n");
	/* HR_PATH_LEN bytes: does not */
	gen_add(&g, "/dev/sda2 /");
	for (k = 1; k < HR_PATH_LEN; k++)
		gen_add(&g, "b");
	gen_add(&g, " ext4 rw 0 0\n");
	/* escapes shrink: 252 bytes of "\040" decode to 63 blanks */
	gen_add(&g, "/dev/sda3 /");
	for (k = 0; k < 63; k++)
		gen_add(&g, "\\040");
	gen_add(&g, " ext4 rw 0 0\n");
	/* a source that is too long */
	gen_add(&g, "/");
	for (k = 0; k < HR_PATH_LEN; k++)
		gen_add(&g, "c");
	gen_add(&g, " /mnt ext4 rw 0 0\n");

	s = sample_new();
	ctx_init(&c, s);
	c.ents = ents;
	c.ents_cap = 4;
	assert_int_equal(parse_len(&procfs_mounts, g.p, g.len, &c), 0);
	assert_int_equal(c.malformed, 2);
	assert_int_equal(c.nents, 2);
	assert_int_equal(c.ents_overflow, 0);
	assert_int_equal(strlen(ents[0].path), HR_PATH_LEN - 1);
	assert_string_equal(ents[0].source, "/dev/sda1");
	assert_int_equal(strlen(ents[1].path), 64);
	assert_int_equal(ents[1].path[0], '/');
	assert_int_equal(ents[1].path[63], ' ');
	assert_string_equal(ents[1].source, "/dev/sda3");
	free(s);
	free(g.p);
}

struct unesc_case {
	const char *in;
	int         len;       /* -1: whole string */
	size_t      cap;
	int         rc;
	const char *out;
};

static const struct unesc_case unesc_cases[] = {
	{ "abc", -1, 8, 0, "abc" },
	{ "a\\040b", -1, 8, 0, "a b" },
	{ "\\134", -1, 8, 0, "\\" },
	{ "\\011x", -1, 8, 0, "\tx" },
	{ "\\012", -1, 8, 0, "\n" },
	{ "\\040\\040", -1, 8, 0, "  " },
	{ "\\377", -1, 8, 0, "\377" },
	{ "\\400", -1, 8, 0, "\\400" },
	{ "\\08", -1, 8, 0, "\\08" },
	{ "\\04", -1, 8, 0, "\\04" },
	{ "end\\", -1, 8, 0, "end\\" },
	{ "\\\\040", -1, 8, 0, "\\ " },
	{ "", -1, 1, 0, "" },
	{ "", -1, 0, HR_ETRUNC, NULL },
	{ "abc", -1, 3, HR_ETRUNC, NULL },
	{ "abc", -1, 4, 0, "abc" },
	{ "a\\040b", -1, 4, 0, "a b" },
	{ "a\\040b", -1, 3, HR_ETRUNC, NULL },
	/* spans: an escape cut by the end of the span stays literal */
	{ "\\0401", 4, 8, 0, " " },
	{ "\\040", 3, 8, 0, "\\04" },
	{ "ab\\040", 2, 8, 0, "ab" },
};

static void
test_unescape(void **state)
{
	char name[96], dst[16];
	size_t i, len;
	char *src;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(unesc_cases); i++) {
		const struct unesc_case *tc = &unesc_cases[i];

		snprintf(name, sizeof(name), "unescape[%zu] \"%s\"/%d cap %zu",
		    i, tc->in, tc->len, tc->cap);
		len = tc->len < 0 ? strlen(tc->in) : (size_t)tc->len;
		/* exactly the text's bytes, no NUL: overreads are caught */
		src = malloc(strlen(tc->in) > 0 ? strlen(tc->in) : 1);
		assert_non_null(src);
		memcpy(src, tc->in, strlen(tc->in));
		memset(dst, 'Z', sizeof(dst));
		rc = pp_unescape(src, len, dst, tc->cap);
		EXPECT_I64(name, rc, tc->rc);
		if (rc == 0)
			EXPECT_STR(name, dst, tc->out);
		/* nothing written at or past cap */
		EXPECT(name, dst[tc->cap] == 'Z');
		free(src);
	}
}

/* ==== cgroup v2 cpu.stat ================================================= */

struct cpustat_case {
	const char *name;
	const char *in;
	int         rc;
	uint64_t    malformed;
	bool        has;
	uint64_t    usage, nr_throttled, throttled_us;
};

static const struct cpustat_case cpustat_cases[] = {
	{ "cpu controller enabled",
	    "usage_usec 123456789\n"
	    "user_usec 100000000\n"
	    "system_usec 23456789\n"
	    "nr_periods 5000\n"
	    "nr_throttled 12\n"
	    "throttled_usec 345678\n"
	    "nr_bursts 0\n"
	    "burst_usec 0\n",
	    0, 0, true, 123456789, 12, 345678 },
	{ "no cpu controller: usage only",
	    "usage_usec 987\nuser_usec 600\nsystem_usec 387\n",
	    0, 0, true, 987, 0, 0 },
	{ "no usage_usec",
	    "user_usec 1\nnr_throttled 2\nthrottled_usec 3\n",
	    HR_EINVAL, 0, false, 0, 2, 3 },
	{ "usage_usec garbage",
	    "usage_usec abc\nnr_throttled 2\n",
	    HR_EINVAL, 1, false, 0, 2, 0 },
	{ "usage_usec > 2^64",
	    "usage_usec 18446744073709551616\nnr_throttled 1\n",
	    HR_EINVAL, 1, false, 0, 1, 0 },
	{ "usage_usec two values",
	    "usage_usec 5 6\n", HR_EINVAL, 1, false, 0, 0, 0 },
	{ "nr_throttled negative",
	    "usage_usec 5\nnr_throttled -1\nthrottled_usec 7\n",
	    0, 1, true, 5, 0, 7 },
	{ "maximum values",
	    "usage_usec 18446744073709551615\nthrottled_usec 18446744073709551615\n",
	    0, 0, true, UINT64_MAX, 0, UINT64_MAX },
	{ "CRLF line ends",
	    "usage_usec 10\r\nnr_throttled 20\r\nthrottled_usec 30\r\n",
	    0, 0, true, 10, 20, 30 },
	{ "no trailing newline",
	    "nr_throttled 20\nusage_usec 10",
	    0, 0, true, 10, 20, 0 },
	{ "truncated value",
	    "usage_usec 10\nnr_throttled", 0, 1, true, 10, 0, 0 },
	{ "empty buffer", "", HR_EINVAL, 0, false, 0, 0, 0 },
	{ "unknown keys ignored",
	    "core_sched.force_idle_usec 0\nusage_usec 10\nfoo bar baz\n",
	    0, 0, true, 10, 0, 0 },
};

static void
test_cgroup_cpustat(void **state)
{
	char name[160];
	struct hr_sample *s;
	struct pp_ctx c;
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < NCASES(cpustat_cases); i++) {
		const struct cpustat_case *tc = &cpustat_cases[i];

		snprintf(name, sizeof(name), "cpu.stat[%zu] %s", i, tc->name);
		s = sample_new();
		ctx_init(&c, s);
		/* cpu.max fields belong to another parser: left alone */
		s->cgroup.has_cpu_max = true;
		s->cgroup.cpu_quota_us = 50000;
		rc = parse_text(&procfs_cgroup_cpustat, tc->in, &c);
		EXPECT_I64(name, rc, tc->rc);
		EXPECT_U64(name, c.malformed, tc->malformed);
		EXPECT_U64(name, s->cgroup.has_cpu_stat, tc->has);
		EXPECT_U64(name, s->cgroup.cpu_usage_us, tc->usage);
		EXPECT_U64(name, s->cgroup.nr_throttled, tc->nr_throttled);
		EXPECT_U64(name, s->cgroup.throttled_us, tc->throttled_us);
		EXPECT_U64(name, s->cgroup.has_cpu_max, true);
		EXPECT_U64(name, s->cgroup.cpu_quota_us, 50000);
		free(s);
	}
}

/* ==== begin() resets what the parser owns ================================ */

static void
test_begin_resets(void **state)
{
	struct pp_mount_ent ents[2];
	struct hr_sample *s;
	struct pp_ctx c;
	struct hr_psi *p;

	(void)state;
	s = sample_new();

	/* stat: a second parse of a smaller file leaves nothing behind */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_stat,
	    "cpu  1 2 3 4 5 6 7 8\ncpu0 1 2 3 4\ncpu1 1 2 3 4\nctxt 9\n"
	    "processes 9\nprocs_running 9\nprocs_blocked 9\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_stat, "cpu  1 2 3 4\n", &c), 0);
	assert_int_equal(s->ncpu, 0);
	assert_int_equal(s->cpu_total.iowait, 0);
	assert_int_equal(s->cpu_total.steal, 0);
	assert_int_equal(s->ctxt, 0);
	assert_int_equal(s->forks, 0);
	assert_int_equal(s->procs_running, 0);
	assert_int_equal(s->procs_blocked, 0);

	/* meminfo */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_meminfo,
	    "MemTotal: 9 kB\nMemFree: 1 kB\nMemAvailable: 5 kB\n"
	    "Buffers: 9 kB\nCached: 9 kB\nSReclaimable: 9 kB\nShmem: 9 kB\n"
	    "SwapTotal: 9 kB\nSwapFree: 9 kB\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_meminfo,
	    "MemTotal: 4 kB\nMemFree: 2 kB\n", &c), 0);
	assert_int_equal(s->mem_buffers, 0);
	assert_int_equal(s->mem_cached, 0);
	assert_int_equal(s->mem_sreclaimable, 0);
	assert_int_equal(s->mem_shmem, 0);
	assert_int_equal(s->swap_total, 0);
	assert_int_equal(s->swap_free, 0);
	assert_false(s->mem_has_available);
	assert_int_equal(s->mem_available, KB(2));

	/* vmstat */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_vmstat,
	    "pgmajfault 9\npswpin 9\npswpout 9\noom_kill 9\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_vmstat, "pgmajfault 1\n", &c), 0);
	assert_int_equal(s->pswpin, 0);
	assert_int_equal(s->pswpout, 0);
	assert_int_equal(s->oom_kill, 0);
	assert_false(s->has_oom_kill);

	/* loadavg: a failed parse leaves zeros, not the last values */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_loadavg, "1.00 2.00 3.00 4/5 6\n",
	    &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_loadavg, "", &c), HR_EINVAL);
	assert_true(s->load1 == 0.0 && s->load5 == 0.0 && s->load15 == 0.0);
	assert_int_equal(s->sched_runnable, 0);
	assert_int_equal(s->sched_threads, 0);

	/* psi */
	ctx_init(&c, s);
	c.psi = p = &s->psi_mem;
	assert_int_equal(parse_text(&procfs_psi,
	    "some avg10=1.00 avg60=1.00 avg300=1.00 total=1\n"
	    "full avg10=2.00 avg60=2.00 avg300=2.00 total=2\n", &c), 0);
	ctx_init(&c, s);
	c.psi = p;
	assert_int_equal(parse_text(&procfs_psi,
	    "some avg10=3.00 avg60=3.00 avg300=3.00 total=3\n", &c), 0);
	assert_false(p->has_full);
	assert_true(p->full_avg10 == 0.0 && p->full_avg300 == 0.0);
	assert_int_equal(p->full_total_us, 0);
	assert_int_equal(p->some_total_us, 3);

	/* diskstats, net/dev */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_diskstats,
	    "8 0 sda 1 2 3 4 5 6 7 8 9 10 11\n", &c), 0);
	assert_int_equal(s->ndisks, 1);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_diskstats, "", &c), 0);
	assert_int_equal(s->ndisks, 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netdev,
	    "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n", &c), 0);
	assert_int_equal(s->nifaces, 1);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netdev, "", &c), 0);
	assert_int_equal(s->nifaces, 0);

	/* softnet sums start from zero each parse */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_softnet, "1 2 3\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_softnet, "1 2 3\n", &c), 0);
	assert_int_equal(s->softnet_processed, 1);
	assert_int_equal(s->softnet_dropped, 2);
	assert_int_equal(s->softnet_squeezed, 3);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_softnet, "", &c), HR_EINVAL);
	assert_int_equal(s->softnet_processed, 0);

	/* snmp and netstat */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_snmp,
	    "Tcp: InSegs OutSegs RetransSegs\nTcp: 1 2 3\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_snmp, "", &c), HR_EINVAL);
	assert_int_equal(s->tcp_in_segs, 0);
	assert_int_equal(s->tcp_out_segs, 0);
	assert_int_equal(s->tcp_retrans_segs, 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netstat,
	    "TcpExt: ListenOverflows ListenDrops\nTcpExt: 1 2\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_netstat, "", &c), HR_EINVAL);
	assert_int_equal(s->tcp_listen_overflows, 0);
	assert_int_equal(s->tcp_listen_drops, 0);

	/* cpu.stat */
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_cgroup_cpustat,
	    "usage_usec 1\nnr_throttled 2\nthrottled_usec 3\n", &c), 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_cgroup_cpustat, "usage_usec 4\n",
	    &c), 0);
	assert_int_equal(s->cgroup.nr_throttled, 0);
	assert_int_equal(s->cgroup.throttled_us, 0);
	ctx_init(&c, s);
	assert_int_equal(parse_text(&procfs_cgroup_cpustat, "", &c),
	    HR_EINVAL);
	assert_false(s->cgroup.has_cpu_stat);
	assert_int_equal(s->cgroup.cpu_usage_us, 0);

	/* mounts: the entry count restarts */
	ctx_init(&c, s);
	c.ents = ents;
	c.ents_cap = 2;
	c.nents = 2;
	assert_int_equal(parse_text(&procfs_mounts, "a /b c\n", &c), 0);
	assert_int_equal(c.nents, 1);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stat),
		cmocka_unit_test(test_stat_cpu_overflow),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_vmstat),
		cmocka_unit_test(test_loadavg),
		cmocka_unit_test(test_psi),
		cmocka_unit_test(test_diskstats),
		cmocka_unit_test(test_disk_default_keep),
		cmocka_unit_test(test_diskstats_custom_filter),
		cmocka_unit_test(test_diskstats_overflow),
		cmocka_unit_test(test_netdev),
		cmocka_unit_test(test_netdev_overflow),
		cmocka_unit_test(test_softnet),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_snmp_state_reset),
		cmocka_unit_test(test_netstat),
		cmocka_unit_test(test_mounts),
		cmocka_unit_test(test_mounts_long_path),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_cgroup_cpustat),
		cmocka_unit_test(test_begin_resets),
	};

	return cmocka_run_group_tests_name("procfs", tests, NULL, NULL);
}
