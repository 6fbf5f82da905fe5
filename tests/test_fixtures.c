/*
 * test_fixtures.c - pf_collect() against the recorded host trees in
 * tests/fixtures/ (see tests/fixtures/README.md for what each tree holds
 * and how every expected figure below follows from its files).
 *
 * Each test points the platform at one tree with pf_root_set(), runs a
 * fresh collector with a zeroed configuration and checks the sample field
 * by field.  The tree directory is "tests/fixtures" relative to the
 * project top (where make runs the tests), or $HR_FIXTURES.
 *
 * Only raw sample values are checked here; rates over the smallboard
 * pair (counter wrap) are the business of test_metrics/test_rate.
 */
#define _POSIX_C_SOURCE 200809L   /* strnlen */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/err.h"
#include "agent/metrics.h"
#include "agent/sample.h"
#include "platform/collect.h"
#include "platform/log.h"
#include "platform/platform.h"
#include "tests/fixture.h"

#define KB(x) ((uint64_t)(x) * 1024u)

static struct pf_collector col;
static struct hr_sample    s0, s1;
static struct hr_metrics   met;

/* Point the platform at tests/fixtures/<name> and start a fresh collector. */
static void
use_fixture(const char *name, bool init)
{
	fixture_root(name);
	if (init)
		fixture_collector(&col);
}

static int
collect(struct hr_sample *s)
{
	return fixture_collect(&col, s);
}

/* ---- helpers ------------------------------------------------------------ */

static void
check_double(const char *what, double got, double want)
{
	double d = got - want;

	if (d < 0)
		d = -d;
	if (d > 1e-9)
		fail_msg("%s: got %.6f, want %.6f", what, got, want);
}

static void
check_ticks(const struct hr_cpu_ticks *t, uint64_t user, uint64_t nice,
    uint64_t system, uint64_t idle, uint64_t iowait, uint64_t irq,
    uint64_t softirq, uint64_t steal)
{
	assert_int_equal(t->user, user);
	assert_int_equal(t->nice, nice);
	assert_int_equal(t->system, system);
	assert_int_equal(t->idle, idle);
	assert_int_equal(t->iowait, iowait);
	assert_int_equal(t->irq, irq);
	assert_int_equal(t->softirq, softirq);
	assert_int_equal(t->steal, steal);
}

static void
check_psi_some(const struct hr_psi *p, double a10, double a60, double a300,
    uint64_t total)
{
	check_double("psi some avg10", p->some_avg10, a10);
	check_double("psi some avg60", p->some_avg60, a60);
	check_double("psi some avg300", p->some_avg300, a300);
	assert_int_equal(p->some_total_us, total);
}

static void
check_psi_full(const struct hr_psi *p, double a10, double a60, double a300,
    uint64_t total)
{
	assert_true(p->has_full);
	check_double("psi full avg10", p->full_avg10, a10);
	check_double("psi full avg60", p->full_avg60, a60);
	check_double("psi full avg300", p->full_avg300, a300);
	assert_int_equal(p->full_total_us, total);
}

static void
check_psi_zero(const struct hr_psi *p)
{
	struct hr_psi z;

	memset(&z, 0, sizeof(z));
	assert_false(p->has_full);
	assert_int_equal(p->some_total_us, 0);
	assert_int_equal(p->full_total_us, 0);
	assert_memory_equal(p, &z, sizeof(z));
}

/* v: rd_ios rd_merges rd_sectors rd_ms wr_ios wr_merges wr_sectors wr_ms
 *    in_flight io_ms weighted_ms */
static void
check_disk(const struct hr_disk *d, const char *name, const uint64_t v[11])
{
	assert_string_equal(d->name, name);
	assert_int_equal(d->rd_ios, v[0]);
	assert_int_equal(d->rd_merges, v[1]);
	assert_int_equal(d->rd_sectors, v[2]);
	assert_int_equal(d->rd_ms, v[3]);
	assert_int_equal(d->wr_ios, v[4]);
	assert_int_equal(d->wr_merges, v[5]);
	assert_int_equal(d->wr_sectors, v[6]);
	assert_int_equal(d->wr_ms, v[7]);
	assert_int_equal(d->in_flight, v[8]);
	assert_int_equal(d->io_ms, v[9]);
	assert_int_equal(d->weighted_ms, v[10]);
}

/* v: rx_bytes rx_packets rx_errs rx_drop tx_bytes tx_packets tx_errs
 *    tx_drop */
static void
check_iface(const struct hr_iface *f, const char *name, const uint64_t v[8],
    int64_t speed, enum hr_operstate oper)
{
	assert_string_equal(f->name, name);
	assert_int_equal(f->rx_bytes, v[0]);
	assert_int_equal(f->rx_packets, v[1]);
	assert_int_equal(f->rx_errs, v[2]);
	assert_int_equal(f->rx_drop, v[3]);
	assert_int_equal(f->tx_bytes, v[4]);
	assert_int_equal(f->tx_packets, v[5]);
	assert_int_equal(f->tx_errs, v[6]);
	assert_int_equal(f->tx_drop, v[7]);
	if (f->speed_mbps != speed)
		fail_msg("%s: speed_mbps %lld, want %lld", name,
		    (long long)f->speed_mbps, (long long)speed);
	if (f->oper != oper)
		fail_msg("%s: oper %d, want %d", name, (int)f->oper, (int)oper);
}

static void
check_mount(const struct hr_mount *m, const char *path, uint64_t frsize,
    uint64_t blocks, uint64_t bfree, uint64_t bavail, uint64_t files,
    uint64_t ffree)
{
	assert_string_equal(m->path, path);
	assert_true(m->ok);
	assert_int_equal(m->size_bytes, blocks * frsize);
	assert_int_equal(m->free_bytes, bfree * frsize);
	assert_int_equal(m->avail_bytes, bavail * frsize);
	assert_int_equal(m->inodes, files);
	assert_int_equal(m->inodes_free, ffree);
}

/* present[] of every signal, in enum order. */
static void
check_present(const struct hr_sample *s, const bool want[HR_SIG_COUNT])
{
	int i;

	for (i = 0; i < HR_SIG_COUNT; i++)
		if (s->health.present[i] != want[i])
			fail_msg("present[%s] is %d, want %d",
			    hr_signal_names[i], (int)s->health.present[i],
			    (int)want[i]);
}

static void
check_malformed(const struct hr_sample *s, const uint64_t want[HR_SIG_COUNT])
{
	int i;

	for (i = 0; i < HR_SIG_COUNT; i++)
		if (s->health.malformed[i] != want[i])
			fail_msg("malformed[%s] is %llu, want %llu",
			    hr_signal_names[i],
			    (unsigned long long)s->health.malformed[i],
			    (unsigned long long)want[i]);
}

static void
check_no_overflow(const struct hr_sample *s)
{
	assert_int_equal(s->health.overflow_cpus, 0);
	assert_int_equal(s->health.overflow_disks, 0);
	assert_int_equal(s->health.overflow_ifaces, 0);
	assert_int_equal(s->health.overflow_mounts, 0);
}

static void
check_no_cgroup(const struct hr_sample *s)
{
	struct hr_cgroup z;

	memset(&z, 0, sizeof(z));
	assert_memory_equal(&s->cgroup, &z, sizeof(z));
}

static const uint64_t no_malformed[HR_SIG_COUNT];

/* ---- reference: x86_64, 8 CPUs, everything present ------------------------ */

static void
t_reference(void **state)
{
	static const bool present[HR_SIG_COUNT] = {
		[HR_SIG_CPU] = true, [HR_SIG_CPU_ONLINE] = true,
		[HR_SIG_LOAD] = true, [HR_SIG_MEM] = true,
		[HR_SIG_VMSTAT] = true, [HR_SIG_PSI_CPU] = true,
		[HR_SIG_PSI_MEM] = true, [HR_SIG_PSI_IO] = true,
		[HR_SIG_DISK] = true, [HR_SIG_NET] = true,
		[HR_SIG_SOFTNET] = true, [HR_SIG_SNMP] = true,
		[HR_SIG_NETSTAT] = true, [HR_SIG_CONNTRACK] = true,
		[HR_SIG_FD] = true, [HR_SIG_PID] = true,
		[HR_SIG_CGROUP] = false, [HR_SIG_MOUNTS] = true,
	};
	static const uint64_t sda[11] = { 1234567, 23456, 98765432, 456789,
	    2345678, 345678, 187654321, 3456789, 2, 1987654, 3912345 };
	static const uint64_t sdb[11] = { 456789, 5678, 34567890, 123456,
	    789012, 67890, 56789012, 987654, 0, 654321, 1111110 };
	static const uint64_t nvme0[11] = { 9876543, 12345, 876543210,
	    2345678, 8765432, 234567, 765432109, 3456789, 5, 4567890, 5802467 };
	static const uint64_t nvme1[11] = { 5432109, 6789, 432109876, 1234567,
	    4321098, 123456, 321098765, 1987654, 1, 2345678, 3222221 };
	static const uint64_t eth0[8] = { 987654321098ull, 876543210, 12, 345,
	    876543210987ull, 765432109, 3, 21 };
	static const uint64_t eth1[8] = { 123456789012ull, 98765432, 1, 23,
	    23456789012ull, 87654321, 0, 4 };
	static const uint64_t eth2[8] = { 1048576, 2048, 0, 0, 524288, 1024,
	    0, 0 };
	static const uint64_t wlan0[8] = { 3456789012ull, 2345678, 34, 567,
	    456789012, 1234567, 5, 6 };
	struct hr_sample *s = &s0;

	(void)state;
	use_fixture("reference", true);
	assert_int_equal(collect(s), HR_SIG_COUNT - 1);
	check_present(s, present);
	check_malformed(s, no_malformed);
	check_no_overflow(s);
	assert_int_equal(col.long_lines, 0);
	assert_int_equal(s->kernel_bits, 64);

	/* proc/stat */
	check_ticks(&s->cpu_total, 12051452, 24312, 3198626, 230324088, 95362,
	    9480, 79970, 2791);
	assert_int_equal(s->ncpu, 8);
	assert_int_equal(s->cpu[0].id, 0);
	check_ticks(&s->cpu[0].t, 1523401, 3120, 402311, 28765012, 12044,
	    1201, 18233, 345);
	assert_int_equal(s->cpu[7].id, 7);
	check_ticks(&s->cpu[7].t, 1502341, 2954, 399876, 28795643, 11902,
	    1189, 8890, 350);
	assert_int_equal(s->ctxt, 9876543210ull);
	assert_int_equal(s->forks, 4567890);
	assert_int_equal(s->btime, 1732350000);
	assert_int_equal(s->procs_running, 3);
	assert_int_equal(s->procs_blocked, 1);
	assert_int_equal(s->cpus_online, 8);

	/* proc/loadavg */
	check_double("load1", s->load1, 2.47);
	check_double("load5", s->load5, 1.98);
	check_double("load15", s->load15, 1.75);
	assert_int_equal(s->sched_runnable, 4);
	assert_int_equal(s->sched_threads, 1287);

	/* proc/meminfo */
	assert_true(s->mem_has_available);
	assert_int_equal(s->mem_total, KB(32594232));
	assert_int_equal(s->mem_free, KB(8123456));
	assert_int_equal(s->mem_available, KB(21987654));
	assert_int_equal(s->mem_buffers, KB(456789));
	assert_int_equal(s->mem_cached, KB(12345678));
	assert_int_equal(s->mem_sreclaimable, KB(987654));
	assert_int_equal(s->mem_shmem, KB(345678));
	assert_int_equal(s->swap_total, KB(8388604));
	assert_int_equal(s->swap_free, KB(8290300));

	/* proc/vmstat */
	assert_int_equal(s->pgmajfault, 123456);
	assert_int_equal(s->pswpin, 2345);
	assert_int_equal(s->pswpout, 6789);
	assert_true(s->has_oom_kill);
	assert_int_equal(s->oom_kill, 3);

	/* proc/pressure */
	check_psi_some(&s->psi_cpu, 1.52, 1.23, 0.98, 123456789);
	check_psi_full(&s->psi_cpu, 0.0, 0.0, 0.0, 0);
	check_psi_some(&s->psi_mem, 0.25, 0.12, 0.05, 2345678);
	check_psi_full(&s->psi_mem, 0.10, 0.04, 0.01, 1234567);
	check_psi_some(&s->psi_io, 3.40, 2.75, 1.90, 345678901);
	check_psi_full(&s->psi_io, 2.10, 1.60, 1.05, 234567890);

	/* proc/diskstats: loop0/1, zram0 and sda1/sda2/nvme0n1p1 dropped */
	assert_int_equal(s->ndisks, 4);
	check_disk(&s->disk[0], "sda", sda);
	check_disk(&s->disk[1], "sdb", sdb);
	check_disk(&s->disk[2], "nvme0n1", nvme0);
	check_disk(&s->disk[3], "nvme1n1", nvme1);

	/* proc/net/dev + sysfs: lo skipped */
	assert_int_equal(s->nifaces, 4);
	check_iface(&s->iface[0], "eth0", eth0, 10000, HR_OPER_UP);
	check_iface(&s->iface[1], "eth1", eth1, 1000, HR_OPER_UP);
	check_iface(&s->iface[2], "eth2", eth2, 1000, HR_OPER_DOWN);
	check_iface(&s->iface[3], "wlan0", wlan0, -1, HR_OPER_UP);

	/* softnet: sums of the first three hex columns over 8 rows */
	assert_int_equal(s->softnet_processed, 1672168136ull);
	assert_int_equal(s->softnet_dropped, 29);
	assert_int_equal(s->softnet_squeezed, 4092);

	/* snmp / netstat */
	assert_int_equal(s->tcp_in_segs, 987654321);
	assert_int_equal(s->tcp_out_segs, 876543210);
	assert_int_equal(s->tcp_retrans_segs, 123456);
	assert_int_equal(s->tcp_listen_overflows, 42);
	assert_int_equal(s->tcp_listen_drops, 57);

	assert_int_equal(s->conntrack_count, 2345);
	assert_int_equal(s->conntrack_max, 262144);
	assert_int_equal(s->fd_allocated, 12288);
	assert_int_equal(s->fd_unused, 0);
	assert_int_equal(s->fd_max, 9223372036854775807ull);
	assert_int_equal(s->pid_max, 4194304);
	assert_int_equal(s->threads_max, 255476);

	/* root cgroup: it has cpu.stat but no limit files, so the cgroup
	 * signal is absent and its fields stay zero */
	check_no_cgroup(s);

	/* mounts: the 4 disk file systems, in mount-table order */
	assert_int_equal(s->nmounts, 4);
	check_mount(&s->mount[0], "/", 4096, 122046464, 80123456, 73876543,
	    30507008, 28765432);
	check_mount(&s->mount[1], "/home", 4096, 244140625, 150000000,
	    150000000, 488281216, 487000000);
	check_mount(&s->mount[2], "/var", 4096, 61049600, 40000000, 36888888,
	    15269888, 15000000);
	check_mount(&s->mount[3], "/boot/efi", 512, 1048576, 1000000, 1000000,
	    0, 0);
	assert_int_equal(s->mount[0].size_bytes, 499902316544ull);
	assert_int_equal(s->mount[3].size_bytes, 536870912ull);
}

/* Clear the bytes after the NUL of the name buffers: only the string is
 * specified, not what follows it. */
static void
scrub_names(struct hr_sample *s)
{
	size_t n;
	uint32_t i;

	for (i = 0; i < HR_MAX_DISKS; i++) {
		n = strnlen(s->disk[i].name, HR_NAME_LEN);
		memset(s->disk[i].name + n, 0, HR_NAME_LEN - n);
	}
	for (i = 0; i < HR_MAX_IFACES; i++) {
		n = strnlen(s->iface[i].name, HR_NAME_LEN);
		memset(s->iface[i].name + n, 0, HR_NAME_LEN - n);
	}
	for (i = 0; i < HR_MAX_MOUNTS; i++) {
		n = strnlen(s->mount[i].path, HR_PATH_LEN);
		memset(s->mount[i].path + n, 0, HR_PATH_LEN - n);
	}
}

/* Same tree sampled twice by one collector: identical figures. */
static void
t_reference_repeat(void **state)
{
	(void)state;
	use_fixture("reference", true);
	assert_int_equal(collect(&s0), HR_SIG_COUNT - 1);   /* no cgroup */
	assert_int_equal(collect(&s1), HR_SIG_COUNT - 1);
	s1.mono_us = s0.mono_us;
	s1.wall_ns = s0.wall_ns;
	scrub_names(&s0);
	scrub_names(&s1);
	assert_memory_equal(&s0, &s1, sizeof(s0));
}

/* ---- smallboard: armv7l, 32-bit counters wrapping between t0 and t1 ------- */

static const bool sb_present[HR_SIG_COUNT] = {
	[HR_SIG_CPU] = true, [HR_SIG_CPU_ONLINE] = true,
	[HR_SIG_LOAD] = true, [HR_SIG_MEM] = true,
	[HR_SIG_VMSTAT] = true, [HR_SIG_PSI_CPU] = false,
	[HR_SIG_PSI_MEM] = false, [HR_SIG_PSI_IO] = false,
	[HR_SIG_DISK] = true, [HR_SIG_NET] = true,
	[HR_SIG_SOFTNET] = true, [HR_SIG_SNMP] = true,
	[HR_SIG_NETSTAT] = true, [HR_SIG_CONNTRACK] = false,
	[HR_SIG_FD] = true, [HR_SIG_PID] = true,
	[HR_SIG_CGROUP] = false, [HR_SIG_MOUNTS] = true,
};
#define SB_NPRESENT 13

/* What both samples share: absent signals, static figures. */
static void
check_smallboard_common(const struct hr_sample *s)
{
	check_present(s, sb_present);
	check_malformed(s, no_malformed);
	check_no_overflow(s);
	assert_int_equal(s->kernel_bits, 32);
	assert_int_equal(s->ncpu, 4);
	assert_int_equal(s->cpu[3].id, 3);
	assert_int_equal(s->cpus_online, 4);
	assert_int_equal(s->procs_blocked, 0);
	assert_false(s->mem_has_available);
	assert_int_equal(s->mem_total, KB(1021808));
	assert_int_equal(s->swap_total, 0);
	assert_int_equal(s->swap_free, 0);
	assert_int_equal(s->pswpin, 0);
	assert_int_equal(s->pswpout, 0);
	assert_false(s->has_oom_kill);
	assert_int_equal(s->oom_kill, 0);
	check_psi_zero(&s->psi_cpu);
	check_psi_zero(&s->psi_mem);
	check_psi_zero(&s->psi_io);
	assert_int_equal(s->ndisks, 1);
	assert_int_equal(s->nifaces, 2);
	assert_int_equal(s->softnet_dropped, 1);
	assert_int_equal(s->softnet_squeezed, 22);
	assert_int_equal(s->tcp_listen_overflows, 3);
	assert_int_equal(s->conntrack_count, 0);
	assert_int_equal(s->conntrack_max, 0);
	assert_int_equal(s->fd_unused, 0);
	assert_int_equal(s->fd_max, 100593);
	assert_int_equal(s->pid_max, 32768);
	assert_int_equal(s->threads_max, 15957);
	check_no_cgroup(s);
	assert_int_equal(s->nmounts, 1);
}

static void
t_smallboard_t0(void **state)
{
	static const uint64_t mmc[11] = { 123456, 2345, 4294966000ull, 98765,
	    65432, 12345, 4294967200ull, 876543, 1, 432109, 4294967290ull };
	static const uint64_t eth0[8] = { 4294967000ull, 3123456789ull, 2, 17,
	    4294960000ull, 2987654321ull, 0, 0 };
	static const uint64_t wlan0[8] = { 87654321, 123456, 0, 3, 12345678,
	    98765, 0, 0 };
	struct hr_sample *s = &s0;

	(void)state;
	use_fixture("smallboard-t0", true);
	assert_int_equal(collect(s), SB_NPRESENT);
	check_smallboard_common(s);

	check_ticks(&s->cpu_total, 1599998, 4208, 363085, 13991355, 13999, 0,
	    3974, 0);
	check_ticks(&s->cpu[0].t, 412345, 1234, 98765, 3456789, 4321, 0, 2345,
	    0);
	check_ticks(&s->cpu[3].t, 387654, 876, 85432, 3523456, 3012, 0, 432,
	    0);
	assert_int_equal(s->ctxt, 87654321);
	assert_int_equal(s->forks, 234567);
	assert_int_equal(s->btime, 1700000000);
	assert_int_equal(s->procs_running, 1);
	check_double("load1", s->load1, 0.42);
	check_double("load5", s->load5, 0.37);
	check_double("load15", s->load15, 0.31);
	assert_int_equal(s->sched_runnable, 1);
	assert_int_equal(s->sched_threads, 143);

	/* no MemAvailable: 123456 + 34567 + 456789 + 23456 - 12345 kB */
	assert_int_equal(s->mem_free, KB(123456));
	assert_int_equal(s->mem_buffers, KB(34567));
	assert_int_equal(s->mem_cached, KB(456789));
	assert_int_equal(s->mem_sreclaimable, KB(23456));
	assert_int_equal(s->mem_shmem, KB(12345));
	assert_int_equal(s->mem_available, KB(625923));

	assert_int_equal(s->pgmajfault, 4294967000ull);
	check_disk(&s->disk[0], "mmcblk0", mmc);
	check_iface(&s->iface[0], "eth0", eth0, 100, HR_OPER_UP);
	check_iface(&s->iface[1], "wlan0", wlan0, -1, HR_OPER_UP);
	assert_int_equal(s->softnet_processed, 18055928);
	assert_int_equal(s->tcp_in_segs, 3123456);
	assert_int_equal(s->tcp_out_segs, 2987654);
	assert_int_equal(s->tcp_retrans_segs, 4321);
	assert_int_equal(s->tcp_listen_drops, 3);
	assert_int_equal(s->fd_allocated, 1056);
	check_mount(&s->mount[0], "/", 4096, 3745408, 2500000, 2310000,
	    950272, 880000);
}

/* t0 then t1 with the same collector, as the agent would see them. */
static void
t_smallboard_pair(void **state)
{
	static const uint64_t mmc0[11] = { 123456, 2345, 4294966000ull, 98765,
	    65432, 12345, 4294967200ull, 876543, 1, 432109, 4294967290ull };
	static const uint64_t mmc1[11] = { 123478, 2347, 2000, 98801, 65443,
	    12349, 304, 876601, 0, 432511, 50 };
	static const uint64_t eth0_1[8] = { 1704, 3123456804ull, 2, 17, 2704,
	    2987654341ull, 0, 0 };
	static const uint64_t usb0[8] = { 5678, 45, 0, 0, 4321, 38, 0, 0 };

	(void)state;
	use_fixture("smallboard-t0", true);
	assert_int_equal(collect(&s0), SB_NPRESENT);
	use_fixture("smallboard-t1", false);
	assert_int_equal(collect(&s1), SB_NPRESENT);
	check_smallboard_common(&s0);
	check_smallboard_common(&s1);
	assert_true(s1.mono_us >= s0.mono_us);

	/* t0 as in t_smallboard_t0, spot checks */
	assert_int_equal(s0.pgmajfault, 4294967000ull);
	check_disk(&s0.disk[0], "mmcblk0", mmc0);
	assert_string_equal(s0.iface[1].name, "wlan0");

	/* t1: +100 ticks per core (user +20, system +5, idle +74, iowait +1) */
	check_ticks(&s1.cpu_total, 1600078, 4208, 363105, 13991651, 14003, 0,
	    3974, 0);
	check_ticks(&s1.cpu[0].t, 412365, 1234, 98770, 3456863, 4322, 0, 2345,
	    0);
	check_ticks(&s1.cpu[3].t, 387674, 876, 85437, 3523530, 3013, 0, 432,
	    0);
	assert_int_equal(s1.ctxt, 87655821);
	assert_int_equal(s1.forks, 234570);
	assert_int_equal(s1.procs_running, 2);
	check_double("load1", s1.load1, 0.47);
	check_double("load5", s1.load5, 0.38);
	check_double("load15", s1.load15, 0.31);
	assert_int_equal(s1.sched_runnable, 2);
	assert_int_equal(s1.sched_threads, 145);

	/* 122880 + 34571 + 456901 + 23460 - 12349 kB */
	assert_int_equal(s1.mem_free, KB(122880));
	assert_int_equal(s1.mem_buffers, KB(34571));
	assert_int_equal(s1.mem_cached, KB(456901));
	assert_int_equal(s1.mem_sreclaimable, KB(23460));
	assert_int_equal(s1.mem_shmem, KB(12349));
	assert_int_equal(s1.mem_available, KB(625463));

	/* wrapped word counters: raw small values */
	assert_int_equal(s1.pgmajfault, 1200);
	check_disk(&s1.disk[0], "mmcblk0", mmc1);
	/* wlan0 vanished, usb0 appeared (no speed file: unknown) */
	check_iface(&s1.iface[0], "eth0", eth0_1, 100, HR_OPER_UP);
	check_iface(&s1.iface[1], "usb0", usb0, -1, HR_OPER_UP);

	assert_int_equal(s1.softnet_processed, 18056025);
	assert_int_equal(s1.tcp_in_segs, 3123479);
	assert_int_equal(s1.tcp_out_segs, 2987679);
	assert_int_equal(s1.tcp_retrans_segs, 4322);
	assert_int_equal(s1.tcp_listen_drops, 5);
	assert_int_equal(s1.fd_allocated, 1088);
	check_mount(&s1.mount[0], "/", 4096, 3745408, 2499996, 2309996,
	    950272, 879998);
}

/*
 * The small board's pair through metrics_compute: every 32-bit "word"
 * counter that wrapped between t0 and t1 gives the README's delta as a
 * rate over exactly 1 s, wlan0 vanished and usb0 appeared.
 */
static void
t_smallboard_rates(void **state)
{
	const struct hr_iface_m *eth0;
	const struct hr_disk_m *mmc;

	(void)state;
	use_fixture("smallboard-t0", true);
	collect(&s0);
	use_fixture("smallboard-t1", false);
	collect(&s1);
	s1.mono_us = s0.mono_us + 1000000;
	assert_int_equal(metrics_compute(&s0, &s1, &met), 0);

	assert_int_equal(met.nifaces, 2);
	eth0 = &met.iface[0];
	assert_string_equal(eth0->name, "eth0");
	check_double("eth0 rx", eth0->rx_Bps, 2000);
	check_double("eth0 tx", eth0->tx_Bps, 10000);
	check_double("eth0 rx_util", eth0->rx_util, 2000 * 8 / 100e6);
	check_double("eth0 rx_pps", eth0->rx_pps, 15);
	assert_string_equal(met.iface[1].name, "usb0");
	assert_true(isnan(met.iface[1].rx_Bps));      /* first sight */
	assert_int_equal(met.appeared, 1);
	assert_int_equal(met.vanished, 1);

	assert_int_equal(met.ndisks, 1);
	mmc = &met.disk[0];
	check_double("rd_Bps", mmc->rd_Bps, 3296.0 * 512);
	check_double("wr_Bps", mmc->wr_Bps, 400.0 * 512);
	check_double("rd_iops", mmc->rd_iops, 22);
	check_double("wr_iops", mmc->wr_iops, 11);
	check_double("util", mmc->util, 0.402);
	check_double("queue", mmc->queue, 0.056);
	check_double("await", mmc->await_ms, 94.0 / 33.0);
	check_double("majfault", met.majfault, 1496);
	check_double("cpu util", met.cpu.util, 0.25);
	check_double("listen drops", met.tcp_listen_drops, 2);
	/* rx, tx, rd_sectors, wr_sectors, weighted_ms, pgmajfault */
	assert_int_equal(met.wraps, 6);
	assert_int_equal(met.resets, 0);
	assert_false(met.rebooted);
}

/* ---- container: cgroup v2 limits on a 16-CPU host -------------------------- */

static void
t_container(void **state)
{
	static const bool present[HR_SIG_COUNT] = {
		[HR_SIG_CPU] = true, [HR_SIG_CPU_ONLINE] = true,
		[HR_SIG_LOAD] = true, [HR_SIG_MEM] = true,
		[HR_SIG_VMSTAT] = true, [HR_SIG_PSI_CPU] = true,
		[HR_SIG_PSI_MEM] = true, [HR_SIG_PSI_IO] = true,
		[HR_SIG_DISK] = true, [HR_SIG_NET] = true,
		[HR_SIG_SOFTNET] = true, [HR_SIG_SNMP] = true,
		[HR_SIG_NETSTAT] = true, [HR_SIG_CONNTRACK] = true,
		[HR_SIG_FD] = true, [HR_SIG_PID] = true,
		[HR_SIG_CGROUP] = true, [HR_SIG_MOUNTS] = true,
	};
	static const uint64_t eth0[8] = { 45678901234ull, 34567890, 0, 12,
	    23456789012ull, 23456789, 0, 0 };
	struct hr_sample *s = &s0;

	(void)state;
	use_fixture("container", true);
	assert_int_equal(collect(s), HR_SIG_COUNT);
	check_present(s, present);
	check_malformed(s, no_malformed);
	check_no_overflow(s);
	assert_int_equal(s->kernel_bits, 64);

	check_ticks(&s->cpu_total, 38731688, 21304, 9446360, 728461096,
	    387416, 0, 578392, 0);
	assert_int_equal(s->ncpu, 16);
	assert_int_equal(s->cpu[0].id, 0);
	check_ticks(&s->cpu[0].t, 2345678, 1234, 567890, 45678901, 23456, 0,
	    34567, 0);
	assert_int_equal(s->cpu[15].id, 15);
	check_ticks(&s->cpu[15].t, 2495783, 1429, 612905, 45378736, 24971, 0,
	    37732, 0);
	assert_int_equal(s->ctxt, 123456789012ull);
	assert_int_equal(s->forks, 87654321);
	assert_int_equal(s->btime, 1732000000);
	assert_int_equal(s->procs_running, 9);
	assert_int_equal(s->procs_blocked, 2);
	assert_int_equal(s->cpus_online, 16);

	check_double("load1", s->load1, 5.12);
	check_double("load5", s->load5, 4.87);
	check_double("load15", s->load15, 4.50);
	assert_int_equal(s->sched_runnable, 9);
	assert_int_equal(s->sched_threads, 2345);

	assert_true(s->mem_has_available);
	assert_int_equal(s->mem_total, KB(65843212));
	assert_int_equal(s->mem_free, KB(12345678));
	assert_int_equal(s->mem_available, KB(43210987));
	assert_int_equal(s->mem_buffers, KB(1234567));
	assert_int_equal(s->mem_cached, KB(28765432));
	assert_int_equal(s->mem_sreclaimable, KB(2345678));
	assert_int_equal(s->mem_shmem, KB(567890));
	assert_int_equal(s->swap_total, 0);
	assert_int_equal(s->swap_free, 0);

	assert_int_equal(s->pgmajfault, 7654321);
	assert_int_equal(s->pswpin, 0);
	assert_int_equal(s->pswpout, 0);
	assert_true(s->has_oom_kill);    /* present, value 0 */
	assert_int_equal(s->oom_kill, 0);

	check_psi_some(&s->psi_cpu, 12.34, 10.01, 8.76, 9876543210ull);
	check_psi_full(&s->psi_cpu, 0.0, 0.0, 0.0, 0);
	check_psi_some(&s->psi_mem, 0.00, 0.02, 0.01, 456789);
	check_psi_full(&s->psi_mem, 0.00, 0.01, 0.00, 345678);
	check_psi_some(&s->psi_io, 0.56, 0.43, 0.38, 87654321);
	check_psi_full(&s->psi_io, 0.31, 0.25, 0.20, 65432109);

	/* only loop devices: present, empty table */
	assert_int_equal(s->ndisks, 0);

	assert_int_equal(s->nifaces, 1);
	check_iface(&s->iface[0], "eth0", eth0, 10000, HR_OPER_UP);

	assert_int_equal(s->softnet_processed, 34078712);
	assert_int_equal(s->softnet_dropped, 2);
	assert_int_equal(s->softnet_squeezed, 376);
	assert_int_equal(s->tcp_in_segs, 34500000);
	assert_int_equal(s->tcp_out_segs, 23400000);
	assert_int_equal(s->tcp_retrans_segs, 5678);
	assert_int_equal(s->tcp_listen_overflows, 0);
	assert_int_equal(s->tcp_listen_drops, 0);
	assert_int_equal(s->conntrack_count, 17);
	assert_int_equal(s->conntrack_max, 262144);
	assert_int_equal(s->fd_allocated, 4096);
	assert_int_equal(s->fd_unused, 0);
	assert_int_equal(s->fd_max, 9223372036854775807ull);
	assert_int_equal(s->pid_max, 4194304);
	assert_int_equal(s->threads_max, 514862);

	/* cgroup v2: 1.5 CPUs, 512 MiB */
	assert_true(s->cgroup.has_cpu_max);
	assert_int_equal(s->cgroup.cpu_quota_us, 150000);
	assert_int_equal(s->cgroup.cpu_period_us, 100000);
	assert_true(s->cgroup.has_cpu_stat);
	assert_int_equal(s->cgroup.cpu_usage_us, 98765432109ull);
	assert_int_equal(s->cgroup.nr_throttled, 23456);
	assert_int_equal(s->cgroup.throttled_us, 3456789012ull);
	assert_true(s->cgroup.has_mem_max);
	assert_int_equal(s->cgroup.mem_max, 536870912);
	assert_true(s->cgroup.has_mem_current);
	assert_int_equal(s->cgroup.mem_current, 312459264);

	/* overlay "/" plus the first of the three /dev/sda2 bind mounts */
	assert_int_equal(s->nmounts, 2);
	check_mount(&s->mount[0], "/", 4096, 257998848, 98765432, 85678901,
	    64487424, 60123456);
	check_mount(&s->mount[1], "/etc/resolv.conf", 4096, 257998848,
	    98765432, 85678901, 64487424, 60123456);
}

/* ---- damaged: malformed content everywhere ------------------------------- */

static const bool dmg_present[HR_SIG_COUNT] = {
	[HR_SIG_CPU] = true, [HR_SIG_CPU_ONLINE] = false,
	[HR_SIG_LOAD] = false, [HR_SIG_MEM] = true,
	[HR_SIG_VMSTAT] = true, [HR_SIG_PSI_CPU] = true,
	[HR_SIG_PSI_MEM] = true, [HR_SIG_PSI_IO] = false,
	[HR_SIG_DISK] = true, [HR_SIG_NET] = true,
	[HR_SIG_SOFTNET] = true, [HR_SIG_SNMP] = false,
	[HR_SIG_NETSTAT] = false, [HR_SIG_CONNTRACK] = false,
	[HR_SIG_FD] = false, [HR_SIG_PID] = true,
	[HR_SIG_CGROUP] = true, [HR_SIG_MOUNTS] = true,
};
#define DMG_NPRESENT 11

/*
 * Malformed lines of the line-based sources, per sample (README.md lists
 * each one).  mounts: counted when the mount table is (re)scanned, i.e.
 * at the first sample and then every HR_MOUNT_RESCAN_S.
 */
static const uint64_t dmg_malformed_lines[HR_SIG_COUNT] = {
	[HR_SIG_CPU] = 5, [HR_SIG_LOAD] = 1, [HR_SIG_MEM] = 3,
	[HR_SIG_VMSTAT] = 3, [HR_SIG_PSI_CPU] = 1, [HR_SIG_DISK] = 3,
	[HR_SIG_NET] = 3, [HR_SIG_SOFTNET] = 3, [HR_SIG_SNMP] = 1,
	[HR_SIG_CGROUP] = 1, [HR_SIG_MOUNTS] = 1,
};

static void
t_damaged(void **state)
{
	static const uint64_t sda[11] = { 1000, 10, 20000, 500, 2000, 20,
	    40000, 800, 0, 900, 1300 };
	static const uint64_t sdb[11] = { 5, 6, 7, 8, 9, 10, 11, 12, 1, 13,
	    14 };
	static const uint64_t md0[11] = { 300, 0, 2400, 30, 400, 0, 3200, 40,
	    0, 50, 70 };
	static const uint64_t nvme0[11] = { 100, 0, 800, 50, 200, 0, 1600, 70,
	    3, 120, 140 };
	static const uint64_t eth0[8] = { 1000, 10, 0, 0, 2000, 20, 0, 0 };
	static const uint64_t eth1[8] = { 3000, 30, 1, 2, 4000, 40, 3, 4 };
	struct hr_sample *s = &s0;
	int i;

	(void)state;
	use_fixture("damaged", true);
	assert_int_equal(collect(s), DMG_NPRESENT);
	check_present(s, dmg_present);
	check_no_overflow(s);
	/* line-based sources (single-value files: t_damaged_single_values) */
	for (i = 0; i < HR_SIG_COUNT; i++) {
		if (i == HR_SIG_NET || i == HR_SIG_CONNTRACK ||
		    i == HR_SIG_FD)
			continue;
		if (s->health.malformed[i] != dmg_malformed_lines[i])
			fail_msg("malformed[%s] is %llu, want %llu",
			    hr_signal_names[i],
			    (unsigned long long)s->health.malformed[i],
			    (unsigned long long)dmg_malformed_lines[i]);
	}
	assert_true(s->health.malformed[HR_SIG_NET] >= 3);
	/* the 9210-byte intr line is skipped as too long, not malformed */
	assert_int_equal(col.long_lines, 1);
	assert_int_equal(s->kernel_bits, 64);

	/* proc/stat: cpu1 (1x0), cpu2 (2 columns), cpuZ, ctxt (2^64) and the
	 * truncated "procs_blocked" are skipped */
	check_ticks(&s->cpu_total, 10000, 200, 3000, 500000, 400, 0, 100, 0);
	assert_int_equal(s->ncpu, 2);
	assert_int_equal(s->cpu[0].id, 0);
	check_ticks(&s->cpu[0].t, 5000, 100, 1500, 250000, 200, 0, 50, 0);
	assert_int_equal(s->cpu[1].id, 3);
	check_ticks(&s->cpu[1].t, 5001, 101, 1501, 250001, 201, 1, 51, 1);
	assert_int_equal(s->ctxt, 0);
	assert_int_equal(s->forks, 12345);
	assert_int_equal(s->btime, 1700000000);
	assert_int_equal(s->procs_running, 2);
	assert_int_equal(s->procs_blocked, 0);
	assert_int_equal(s->cpus_online, 0);

	/* loadavg truncated: absent, zero */
	check_double("load1", s->load1, 0.0);
	assert_int_equal(s->sched_threads, 0);

	/* meminfo: Buffers, SReclaimable and SwapTotal skipped; estimate
	 * 512000 + 0 + 1024000 + 0 - 2000000 < 0 -> floored at MemFree */
	assert_false(s->mem_has_available);
	assert_int_equal(s->mem_total, KB(4028440));
	assert_int_equal(s->mem_free, KB(512000));
	assert_int_equal(s->mem_buffers, 0);
	assert_int_equal(s->mem_cached, KB(1024000));
	assert_int_equal(s->mem_sreclaimable, 0);
	assert_int_equal(s->mem_shmem, KB(2000000));
	assert_int_equal(s->mem_available, KB(512000));
	assert_int_equal(s->swap_total, 0);
	assert_int_equal(s->swap_free, KB(2097148));

	/* vmstat: pswpin (> 2^64), pswpout (2 values), oom_kill (no value) */
	assert_int_equal(s->pgmajfault, 5555);
	assert_int_equal(s->pswpin, 0);
	assert_int_equal(s->pswpout, 0);
	assert_false(s->has_oom_kill);
	assert_int_equal(s->oom_kill, 0);

	/* psi cpu: the "full" line (total > 2^64) is skipped */
	check_psi_some(&s->psi_cpu, 0.50, 0.40, 0.30, 1000);
	assert_false(s->psi_cpu.has_full);
	check_double("psi cpu full avg10", s->psi_cpu.full_avg10, 0.0);
	assert_int_equal(s->psi_cpu.full_total_us, 0);
	check_psi_some(&s->psi_mem, 0.10, 0.20, 0.30, 4242);
	assert_false(s->psi_mem.has_full);
	check_psi_zero(&s->psi_io);

	/* diskstats: md0p1 has no sys/block entry; loop0 virtual */
	assert_int_equal(s->ndisks, 4);
	check_disk(&s->disk[0], "sda", sda);
	check_disk(&s->disk[1], "sdb", sdb);
	check_disk(&s->disk[2], "md0", md0);
	check_disk(&s->disk[3], "nvme0n1", nvme0);

	/* net/dev: eth2 (4 columns) and eth3 (2^64) skipped; eth0 speed
	 * "garbage" reads as unknown; eth1 operstate "bogus-state" */
	assert_int_equal(s->nifaces, 2);
	check_iface(&s->iface[0], "eth0", eth0, -1, HR_OPER_UP);
	check_iface(&s->iface[1], "eth1", eth1, 1000, HR_OPER_UNKNOWN);

	/* softnet: rows 1 and 3 only */
	assert_int_equal(s->softnet_processed, 0x100 + 0x200);
	assert_int_equal(s->softnet_dropped, 1);
	assert_int_equal(s->softnet_squeezed, 2 + 3);

	/* snmp Tcp: pair with 15 names / 14 values: absent, zero */
	assert_int_equal(s->tcp_in_segs, 0);
	assert_int_equal(s->tcp_out_segs, 0);
	assert_int_equal(s->tcp_retrans_segs, 0);
	assert_int_equal(s->tcp_listen_overflows, 0);
	assert_int_equal(s->tcp_listen_drops, 0);

	/* single-value files: count > 2^64, file-nr truncated */
	assert_int_equal(s->conntrack_count, 0);
	assert_int_equal(s->conntrack_max, 0);
	assert_int_equal(s->fd_allocated, 0);
	assert_int_equal(s->fd_unused, 0);
	assert_int_equal(s->fd_max, 0);
	assert_int_equal(s->pid_max, 32768);
	assert_int_equal(s->threads_max, 63234);

	/* cgroup user.slice/session-1.scope: cpu.max "max", memory.max
	 * "max", cpu.stat with a bad nr_throttled line */
	assert_false(s->cgroup.has_cpu_max);
	assert_int_equal(s->cgroup.cpu_quota_us, 0);
	assert_int_equal(s->cgroup.cpu_period_us, 100000);
	assert_true(s->cgroup.has_cpu_stat);
	assert_int_equal(s->cgroup.cpu_usage_us, 5000000);
	assert_int_equal(s->cgroup.nr_throttled, 0);
	assert_int_equal(s->cgroup.throttled_us, 0);
	assert_false(s->cgroup.has_mem_max);
	assert_int_equal(s->cgroup.mem_max, 0);
	assert_true(s->cgroup.has_mem_current);
	assert_int_equal(s->cgroup.mem_current, 123456789);

	/* mounts: "/", "/media/usb stick" (octal escape), "/data" (no
	 * statvfs record: ok false); "/srv" repeats /dev/sda2 */
	assert_int_equal(s->nmounts, 3);
	check_mount(&s->mount[0], "/", 4096, 1000000, 400000, 350000, 250000,
	    200000);
	check_mount(&s->mount[1], "/media/usb stick", 4096, 7654321, 1234567,
	    1234567, 0, 0);
	assert_string_equal(s->mount[2].path, "/data");
	assert_false(s->mount[2].ok);
	assert_int_equal(s->mount[2].size_bytes, 0);
	assert_int_equal(s->mount[2].free_bytes, 0);
	assert_int_equal(s->mount[2].avail_bytes, 0);
	assert_int_equal(s->mount[2].inodes, 0);
	assert_int_equal(s->mount[2].inodes_free, 0);
}

/*
 * Single-value sources with bad content: the value is skipped (signal
 * absent, or speed unknown) and, as for every other source, counted as
 * one malformed line of its signal (sample.h: "malformed lines in its
 * source are skipped and counted per signal"; the cgroup reader already
 * counts a bad cpu.max/memory.max/memory.current this way).
 */
static void
t_damaged_single_values(void **state)
{
	struct hr_sample *s = &s0;

	(void)state;
	use_fixture("damaged", true);
	assert_int_equal(collect(s), DMG_NPRESENT);
	assert_false(s->health.present[HR_SIG_CONNTRACK]);
	assert_false(s->health.present[HR_SIG_FD]);
	assert_int_equal(s->iface[0].speed_mbps, -1);
	if (s->health.malformed[HR_SIG_CONNTRACK] != 1 ||
	    s->health.malformed[HR_SIG_FD] != 1 ||
	    s->health.malformed[HR_SIG_NET] != 4)
		fail_msg("malformed: conntrack %llu (want 1: nf_conntrack_count "
		    "> 2^64), fd %llu (want 1: file-nr with 2 of 3 numbers), "
		    "net %llu (want 4: 3 proc/net/dev lines + eth0/speed "
		    "\"garbage\")",
		    (unsigned long long)s->health.malformed[HR_SIG_CONNTRACK],
		    (unsigned long long)s->health.malformed[HR_SIG_FD],
		    (unsigned long long)s->health.malformed[HR_SIG_NET]);
}

/* Counts are cumulative: a second sample adds the same lines again, except
 * the mount table, which is only re-read every HR_MOUNT_RESCAN_S. */
static void
t_damaged_cumulative(void **state)
{
	int i;

	(void)state;
	use_fixture("damaged", true);
	assert_int_equal(collect(&s0), DMG_NPRESENT);
	assert_int_equal(collect(&s1), DMG_NPRESENT);
	check_present(&s1, dmg_present);
	for (i = 0; i < HR_SIG_COUNT; i++) {
		uint64_t want = dmg_malformed_lines[i] *
		    (i == HR_SIG_MOUNTS ? 1 : 2);

		if (i == HR_SIG_NET || i == HR_SIG_CONNTRACK ||
		    i == HR_SIG_FD)
			want = s0.health.malformed[i] * 2;
		if (s1.health.malformed[i] != want)
			fail_msg("malformed[%s] is %llu after 2 samples, want "
			    "%llu", hr_signal_names[i],
			    (unsigned long long)s1.health.malformed[i],
			    (unsigned long long)want);
	}
	assert_int_equal(col.long_lines, 2);
	/* the figures themselves do not change */
	assert_int_equal(s1.ncpu, 2);
	assert_int_equal(s1.ndisks, 4);
	assert_int_equal(s1.nifaces, 2);
	assert_int_equal(s1.nmounts, 3);
	assert_int_equal(s1.mem_available, KB(512000));
}

/* ---- sparse: only proc/stat and proc/meminfo ----------------------------- */

static void
t_sparse(void **state)
{
	static const bool present[HR_SIG_COUNT] = {
		[HR_SIG_CPU] = true, [HR_SIG_MEM] = true,
	};
	struct hr_sample *s = &s0;
	int i;

	(void)state;
	use_fixture("sparse", true);
	assert_int_equal(collect(s), 2);
	check_present(s, present);
	check_malformed(s, no_malformed);
	check_no_overflow(s);
	/* no proc/sys/kernel/arch: the agent's own word width */
	assert_int_equal(s->kernel_bits, (uint32_t)(sizeof(long) * 8));

	/* 4-column cpu lines: iowait..steal read as 0 */
	check_ticks(&s->cpu_total, 100, 0, 50, 1000, 0, 0, 0, 0);
	assert_int_equal(s->ncpu, 2);
	assert_int_equal(s->cpu[0].id, 0);
	check_ticks(&s->cpu[0].t, 50, 0, 25, 500, 0, 0, 0, 0);
	assert_int_equal(s->cpu[1].id, 1);
	check_ticks(&s->cpu[1].t, 50, 0, 25, 500, 0, 0, 0, 0);
	assert_int_equal(s->ctxt, 0);
	assert_int_equal(s->forks, 0);
	assert_int_equal(s->cpus_online, 0);

	/* 1500000 + 300000 + 400000 kB > MemTotal: capped at MemTotal */
	assert_false(s->mem_has_available);
	assert_int_equal(s->mem_total, KB(2000000));
	assert_int_equal(s->mem_free, KB(1500000));
	assert_int_equal(s->mem_buffers, KB(300000));
	assert_int_equal(s->mem_cached, KB(400000));
	assert_int_equal(s->mem_available, KB(2000000));

	/* every other signal absent and zero */
	check_double("load1", s->load1, 0.0);
	assert_int_equal(s->pgmajfault, 0);
	assert_false(s->has_oom_kill);
	check_psi_zero(&s->psi_cpu);
	check_psi_zero(&s->psi_mem);
	check_psi_zero(&s->psi_io);
	assert_int_equal(s->ndisks, 0);
	assert_int_equal(s->nifaces, 0);
	assert_int_equal(s->softnet_processed, 0);
	assert_int_equal(s->tcp_in_segs, 0);
	assert_int_equal(s->conntrack_max, 0);
	assert_int_equal(s->fd_max, 0);
	assert_int_equal(s->pid_max, 0);
	check_no_cgroup(s);
	assert_int_equal(s->nmounts, 0);

	/* and it keeps sampling */
	for (i = 0; i < 3; i++)
		assert_int_equal(collect(&s1), 2);
	assert_int_equal(s1.mem_available, KB(2000000));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_reference),
		cmocka_unit_test(t_reference_repeat),
		cmocka_unit_test(t_smallboard_t0),
		cmocka_unit_test(t_smallboard_pair),
		cmocka_unit_test(t_smallboard_rates),
		cmocka_unit_test(t_container),
		cmocka_unit_test(t_damaged),
		cmocka_unit_test(t_damaged_single_values),
		cmocka_unit_test(t_damaged_cumulative),
		cmocka_unit_test(t_sparse),
	};

	/* "signal disabled" notes are expected here: warnings only */
	log_set_level(HR_LOG_WARN);
	return cmocka_run_group_tests_name("fixtures", tests, NULL, NULL);
}
