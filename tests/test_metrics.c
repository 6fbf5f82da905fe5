/*
 * test_metrics.c - rates, ratios and fills from two hand-made samples:
 * first sample, time not advancing, wraps and resets per counter width,
 * devices appearing and vanishing, unknown link speed, reboot.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "agent/err.h"
#include "agent/metrics.h"

static struct hr_sample   A, B;
static struct hr_metrics  M;

#define NEAR(a, b) \
	assert_true(fabs((a) - (double)(b)) < 1e-9 * (1 + fabs((double)(b))))
#define ISNAN(a)   assert_true(isnan(a))

static void
all_present(struct hr_sample *s)
{
	int i;

	for (i = 0; i < HR_SIG_COUNT; i++)
		s->health.present[i] = true;
}

static void
add_disk(struct hr_sample *s, const char *name, uint64_t ios,
    uint64_t sectors, uint64_t ms, uint64_t io_ms, uint64_t weighted)
{
	struct hr_disk *d = &s->disk[s->ndisks++];

	memset(d, 0, sizeof(*d));
	strcpy(d->name, name);
	d->rd_ios = ios;
	d->wr_ios = ios / 2;
	d->rd_sectors = sectors;
	d->wr_sectors = sectors / 4;
	d->rd_ms = ms;
	d->wr_ms = ms / 2;
	d->io_ms = io_ms;
	d->weighted_ms = weighted;
	d->in_flight = 3;
}

static void
add_iface(struct hr_sample *s, const char *name, uint64_t rx, uint64_t tx,
    int64_t speed)
{
	struct hr_iface *f = &s->iface[s->nifaces++];

	memset(f, 0, sizeof(*f));
	strcpy(f->name, name);
	f->rx_bytes = rx;
	f->tx_bytes = tx;
	f->rx_packets = rx / 100;
	f->tx_packets = tx / 100;
	f->speed_mbps = speed;
	f->oper = HR_OPER_UP;
}

/* A pair of samples two seconds apart on a 64-bit host. */
static int
setup(void **state)
{
	(void)state;
	memset(&A, 0, sizeof(A));
	memset(&B, 0, sizeof(B));
	memset(&M, 0, sizeof(M));
	all_present(&A);
	all_present(&B);
	A.kernel_bits = B.kernel_bits = 64;
	A.mono_us = 10000000;
	B.mono_us = 12000000;
	A.btime = B.btime = 1700000000;
	/* cpu: 100 ticks elapse: 30 user, 10 nice, 20 system, 25 idle,
	 * 5 iowait, 2 irq, 3 softirq, 5 steal */
	A.cpu_total = (struct hr_cpu_ticks){ 1000, 100, 500, 5000, 50, 10, 20,
	    0 };
	B.cpu_total = (struct hr_cpu_ticks){ 1030, 110, 520, 5025, 55, 12, 23,
	    5 };
	A.ncpu = B.ncpu = 1;
	A.cpu[0].t = A.cpu_total;
	B.cpu[0].t = B.cpu_total;
	A.ctxt = 1000;
	B.ctxt = 3000;
	A.stat_have = B.stat_have = HR_STAT_CTXT | HR_STAT_FORKS |
	    HR_STAT_RUNNING | HR_STAT_BLOCKED | HR_STAT_BTIME;
	A.mem_total = B.mem_total = 1000;
	B.mem_available = 250;
	B.mem_has_available = true;
	B.swap_total = 0;
	A.pgmajfault = 10;
	B.pgmajfault = 30;
	A.has_oom_kill = B.has_oom_kill = true;
	A.oom_kill = 1;
	B.oom_kill = 3;
	A.psi_cpu.some_total_us = 1000000;
	B.psi_cpu.some_total_us = 1500000;      /* 0.5 s of 2 s stalled */
	B.psi_cpu.some_avg10 = 12.5;
	A.psi_cpu.has_full = B.psi_cpu.has_full = false;
	add_disk(&A, "sda", 100, 1000, 50, 500, 800);
	add_disk(&B, "sda", 300, 3000, 250, 1500, 2800);
	add_iface(&A, "eth0", 1000, 2000, 1000);
	add_iface(&B, "eth0", 1000 + 250000000, 2000 + 125000000, 1000);
	add_iface(&A, "wlan0", 0, 0, -1);
	add_iface(&B, "wlan0", 2000, 0, -1);
	B.fd_allocated = 1100;
	B.fd_unused = 100;
	B.fd_max = 4000;
	B.sched_threads = 500;
	B.pid_max = 32768;
	B.threads_max = 1000;
	B.conntrack_count = 50;
	B.conntrack_max = 200;
	A.tcp_out_segs = 1000;
	B.tcp_out_segs = 3000;
	A.tcp_retrans_segs = 10;
	B.tcp_retrans_segs = 30;
	B.nmounts = 1;
	strcpy(B.mount[0].path, "/");
	B.mount[0].ok = true;
	B.mount[0].size_bytes = 1000;
	B.mount[0].free_bytes = 300;
	B.mount[0].avail_bytes = 200;
	B.mount[0].inodes = 100;
	B.mount[0].inodes_free = 75;
	return 0;
}

static void
t_cpu_split(void **state)
{
	(void)state;
	assert_int_equal(metrics_compute(&A, &B, &M), 0);
	NEAR(M.dt_s, 2.0);
	NEAR(M.cpu.user, 0.40);          /* user + nice */
	NEAR(M.cpu.system, 0.20);
	NEAR(M.cpu.idle, 0.25);
	NEAR(M.cpu.iowait, 0.05);
	NEAR(M.cpu.irq, 0.02);
	NEAR(M.cpu.softirq, 0.03);
	NEAR(M.cpu.steal, 0.05);
	NEAR(M.cpu.util, 0.70);          /* 1 - (idle + iowait) */
	NEAR(M.percpu[0].s.util, 0.70);
	NEAR(M.ctxt, 1000.0);
}

static void
t_first_sample_has_gauges_not_rates(void **state)
{
	(void)state;
	assert_int_equal(metrics_compute(NULL, &B, &M), 0);
	ISNAN(M.cpu.util);
	ISNAN(M.ctxt);
	ISNAN(M.disk[0].rd_iops);
	ISNAN(M.iface[0].rx_Bps);
	ISNAN(M.oom_kills);
	NEAR(M.mem_util, 0.75);
	NEAR(M.disk[0].in_flight, 3);
	assert_int_equal(M.appeared, 0);
	assert_int_equal(M.resets, 0);
}

static void
t_time_not_advancing(void **state)
{
	(void)state;
	B.mono_us = A.mono_us;
	assert_int_equal(metrics_compute(&A, &B, &M), HR_EAGAIN);
	ISNAN(M.cpu.util);
	ISNAN(M.disk[0].util);
	ISNAN(M.iface[0].rx_util);
	NEAR(M.mem_util, 0.75);
	B.mono_us = A.mono_us - 5;       /* clock went backwards */
	assert_int_equal(metrics_compute(&A, &B, &M), HR_EAGAIN);
	ISNAN(M.ctxt);
}

static void
t_memory_and_faults(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	NEAR(M.mem_util, 0.75);
	assert_false(M.mem_estimated);
	ISNAN(M.swap_util);              /* no swap configured */
	NEAR(M.majfault, 10.0);
	NEAR(M.oom_kills, 2.0);
	B.mem_has_available = false;
	metrics_compute(&A, &B, &M);
	assert_true(M.mem_estimated);
}

static void
t_psi_stall_share(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	NEAR(M.psi_cpu.some, 0.25);
	ISNAN(M.psi_cpu.full);
	NEAR(M.psi_cpu.some_avg10, 0.125);
	B.health.present[HR_SIG_PSI_IO] = false;
	metrics_compute(&A, &B, &M);
	ISNAN(M.psi_io.some);
	ISNAN(M.psi_io.some_avg10);
}

static void
t_disk_rates(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	assert_int_equal(M.ndisks, 1);
	NEAR(M.disk[0].rd_iops, 100.0);
	NEAR(M.disk[0].wr_iops, 50.0);
	NEAR(M.disk[0].rd_Bps, 1000.0 * 512);
	NEAR(M.disk[0].wr_Bps, 250.0 * 512);
	NEAR(M.disk[0].util, 0.5);       /* 1000 ms busy in 2000 ms */
	NEAR(M.disk[0].queue, 1.0);      /* 2000 ms weighted in 2 s */
	/* (200 + 100) ms over (200 + 100) requests */
	NEAR(M.disk[0].await_ms, 1.0);
}

static void
t_disk_util_capped(void **state)
{
	(void)state;
	B.disk[0].io_ms = A.disk[0].io_ms + 2500;   /* > wall time */
	metrics_compute(&A, &B, &M);
	NEAR(M.disk[0].util, 1.0);
}

static void
t_wrap_on_32bit_kernel(void **state)
{
	(void)state;
	A.kernel_bits = B.kernel_bits = 32;
	A.disk[0].rd_sectors = 4294967000ull;
	B.disk[0].rd_sectors = 704;                 /* +1000 through 2^32 */
	metrics_compute(&A, &B, &M);
	NEAR(M.disk[0].rd_Bps, 500.0 * 512);
	assert_int_equal(M.wraps, 1);
	assert_int_equal(M.resets, 0);
}

static void
t_same_drop_is_reset_on_64bit_kernel(void **state)
{
	(void)state;
	A.disk[0].rd_sectors = 4294967000ull;
	B.disk[0].rd_sectors = 704;
	metrics_compute(&A, &B, &M);
	ISNAN(M.disk[0].rd_Bps);
	assert_int_equal(M.resets, 1);
	assert_int_equal(M.wraps, 0);
	NEAR(M.disk[0].rd_iops, 100.0);   /* other counters unaffected */
}

static void
t_iface_util_and_unknown_speed(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	assert_int_equal(M.nifaces, 2);
	NEAR(M.iface[0].rx_Bps, 125000000.0);
	NEAR(M.iface[0].rx_util, 1.0);     /* 1 Gbit/s on a 1000 Mb/s link */
	NEAR(M.iface[0].tx_util, 0.5);
	NEAR(M.iface[0].speed_bps, 1e9);
	NEAR(M.iface[1].rx_Bps, 1000.0);
	ISNAN(M.iface[1].rx_util);         /* unknown speed: no guess */
	ISNAN(M.iface[1].speed_bps);
}

static void
t_devices_appear_and_vanish(void **state)
{
	(void)state;
	/* B: wlan0 gone, usb0 new, and the order changed */
	B.nifaces = 0;
	add_iface(&B, "usb0", 5000, 5000, 100);
	add_iface(&B, "eth0", 1000 + 2000, 2000, 1000);
	metrics_compute(&A, &B, &M);
	assert_int_equal(M.nifaces, 2);
	assert_string_equal(M.iface[0].name, "usb0");
	ISNAN(M.iface[0].rx_Bps);
	assert_string_equal(M.iface[1].name, "eth0");
	NEAR(M.iface[1].rx_Bps, 1000.0);
	assert_int_equal(M.appeared, 1);
	assert_int_equal(M.vanished, 1);
}

static void
t_signal_absent_in_previous(void **state)
{
	(void)state;
	A.health.present[HR_SIG_DISK] = false;
	A.health.present[HR_SIG_VMSTAT] = false;
	metrics_compute(&A, &B, &M);
	ISNAN(M.disk[0].rd_iops);
	ISNAN(M.majfault);
	NEAR(M.disk[0].in_flight, 3);
}

static void
t_cpu_row_reset_voids_row(void **state)
{
	(void)state;
	B.cpu[0].t.idle = 10;           /* hot-unplugged and back */
	metrics_compute(&A, &B, &M);
	ISNAN(M.percpu[0].s.util);
	NEAR(M.cpu.util, 0.70);
	assert_int_equal(M.resets, 1);
}

static void
t_fills(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	NEAR(M.fd_used, 1000);
	NEAR(M.fd_fill, 0.25);
	NEAR(M.pid_limit, 1000);          /* threads-max binds before pid_max */
	NEAR(M.pid_fill, 0.5);
	NEAR(M.conntrack_fill, 0.25);
	NEAR(M.tcp_retrans, 10.0);
	NEAR(M.tcp_retrans_ratio, 0.01);
	B.health.present[HR_SIG_CONNTRACK] = false;
	metrics_compute(&A, &B, &M);
	ISNAN(M.conntrack_fill);
}

static void
t_mount_like_df(void **state)
{
	(void)state;
	metrics_compute(&A, &B, &M);
	NEAR(M.mount[0].used, 700);
	NEAR(M.mount[0].util, 700.0 / 900.0);
	NEAR(M.mount[0].inodes_util, 0.25);
	B.mount[0].inodes = 0;            /* e.g. btrfs: no inode limit */
	B.mount[0].ok = true;
	metrics_compute(&A, &B, &M);
	ISNAN(M.mount[0].inodes_util);
	B.mount[0].ok = false;            /* statvfs failed */
	metrics_compute(&A, &B, &M);
	ISNAN(M.mount[0].util);
}

static void
t_cgroup_quota(void **state)
{
	(void)state;
	A.cgroup.has_cpu_stat = B.cgroup.has_cpu_stat = true;
	B.cgroup.has_cpu_max = true;
	B.cgroup.cpu_quota_us = 150000;
	B.cgroup.cpu_period_us = 100000;
	A.cgroup.cpu_usage_us = 0;
	B.cgroup.cpu_usage_us = 1500000;  /* 0.75 CPU over 2 s */
	A.cgroup.throttled_us = 0;
	B.cgroup.throttled_us = 200000;
	B.cgroup.has_mem_max = B.cgroup.has_mem_current = true;
	B.cgroup.mem_max = 1000;
	B.cgroup.mem_current = 900;
	metrics_compute(&A, &B, &M);
	NEAR(M.cg_cpu_limit, 1.5);
	NEAR(M.cg_cpu_util, 0.5);
	NEAR(M.cg_throttled, 0.1);
	NEAR(M.cg_mem_util, 0.9);
}

/* proc/stat lines that a kernel does not print are unknown, not zero */
static void
t_missing_stat_lines_are_unknown(void **state)
{
	(void)state;
	B.stat_have = HR_STAT_BTIME;
	metrics_compute(&A, &B, &M);
	ISNAN(M.ctxt);
	ISNAN(M.forks);
	ISNAN(M.procs_running);
	ISNAN(M.procs_blocked);
	NEAR(M.cpu.util, 0.70);           /* the cpu lines are still used */
}

static void
t_reboot_means_new_baselines(void **state)
{
	(void)state;
	B.btime = A.btime + 3600;
	metrics_compute(&A, &B, &M);
	assert_true(M.rebooted);
	ISNAN(M.cpu.util);
	ISNAN(M.disk[0].rd_iops);
	assert_int_equal(M.resets, 0);
	NEAR(M.mem_util, 0.75);
}

#define T(f) cmocka_unit_test_setup(f, setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(t_cpu_split),
		T(t_first_sample_has_gauges_not_rates),
		T(t_time_not_advancing),
		T(t_memory_and_faults),
		T(t_psi_stall_share),
		T(t_disk_rates),
		T(t_disk_util_capped),
		T(t_wrap_on_32bit_kernel),
		T(t_same_drop_is_reset_on_64bit_kernel),
		T(t_iface_util_and_unknown_speed),
		T(t_devices_appear_and_vanish),
		T(t_signal_absent_in_previous),
		T(t_cpu_row_reset_voids_row),
		T(t_fills),
		T(t_mount_like_df),
		T(t_cgroup_quota),
		T(t_missing_stat_lines_are_unknown),
		T(t_reboot_means_new_baselines),
	};

	return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
