/*
 * collect.c - one sample of the host (see collect.h).
 *
 * Each signal has a reader below.  A reader returns 0 (present),
 * HR_ENOENT (source missing: disable and re-probe later) or HR_EINVAL
 * (source present but its essential content was unusable this time).
 * State changes are logged once, never once per sample.
 */
#include <stdio.h>
#include <string.h>

#include "collect.h"
#include "log.h"
#include "platform.h"
#include "procfs.h"
#include "sysfs.h"

static const char *const sig_source[HR_SIG_COUNT] = {
	[HR_SIG_CPU] = "proc/stat",
	[HR_SIG_CPU_ONLINE] = "sys/devices/system/cpu/online",
	[HR_SIG_LOAD] = "proc/loadavg",
	[HR_SIG_MEM] = "proc/meminfo",
	[HR_SIG_VMSTAT] = "proc/vmstat",
	[HR_SIG_PSI_CPU] = "proc/pressure/cpu",
	[HR_SIG_PSI_MEM] = "proc/pressure/memory",
	[HR_SIG_PSI_IO] = "proc/pressure/io",
	[HR_SIG_DISK] = "proc/diskstats",
	[HR_SIG_NET] = "proc/net/dev",
	[HR_SIG_SOFTNET] = "proc/net/softnet_stat",
	[HR_SIG_SNMP] = "proc/net/snmp",
	[HR_SIG_NETSTAT] = "proc/net/netstat",
	[HR_SIG_CONNTRACK] = "proc/sys/net/netfilter/nf_conntrack_count",
	[HR_SIG_FD] = "proc/sys/fs/file-nr",
	[HR_SIG_PID] = "proc/sys/kernel/pid_max",
	[HR_SIG_CGROUP] = "proc/self/cgroup",
	[HR_SIG_MOUNTS] = "proc/self/mounts",
};

int
pf_fs_is_disk(const char *fstype)
{
	static const char *const disk_fs[] = {
		"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "vfat", "exfat",
		"ntfs", "ntfs3", "zfs", "jfs", "reiserfs", "ubifs", "jffs2",
		"overlay",
	};
	size_t i;

	for (i = 0; i < sizeof(disk_fs) / sizeof(disk_fs[0]); i++)
		if (strcmp(fstype, disk_fs[i]) == 0)
			return 1;
	return 0;
}

/*
 * Read a small file and parse it as n numbers.  Content that does not
 * parse is counted as malformed for the signal, like a bad procfs line.
 */
static int
read_u64s(struct pf_collector *c, enum hr_signal sig, const char *rel,
    uint64_t *v, unsigned n)
{
	char buf[HR_FILE_MAX];
	size_t len;
	int rc;

	rc = pf_read_file(rel, buf, sizeof(buf), &len);
	if (rc == 0)
		rc = sysfs_parse_u64s(buf, len, v, n);
	else if (rc == HR_ETRUNC)
		rc = HR_EINVAL;
	if (rc == HR_EINVAL)
		c->malformed[sig]++;
	return rc;
}

/* Stream a procfs file through a parser; count what it skipped. */
static int
run_parser(struct pf_collector *c, enum hr_signal sig,
    const struct pp_parser *p, const char *rel, struct pp_ctx *ctx)
{
	int rc;

	p->begin(ctx);
	rc = pf_read_lines(rel, p->line, ctx, &c->long_lines);
	c->malformed[sig] += ctx->malformed;
	if (rc != 0) {
		p->begin(ctx);          /* leave the fields zeroed */
		return rc;
	}
	rc = p->end(ctx);
	if (rc != 0)
		p->begin(ctx);
	return rc;
}

static void
ctx_init(struct pp_ctx *ctx, struct hr_sample *s)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->s = s;
}

/* ---- disk filter ------------------------------------------------------- */

static bool
name_in(char (*tab)[HR_NAME_LEN], uint32_t n, const char *name)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		if (strcmp(tab[i], name) == 0)
			return true;
	return false;
}

static void
name_add(char (*tab)[HR_NAME_LEN], uint32_t *n, uint32_t cap,
    const char *name)
{
	/* A full cache only costs a repeated sysfs check, never a wrong
	 * answer, so there is nothing to count here. */
	if (*n < cap) {
		snprintf(tab[*n], HR_NAME_LEN, "%s", name);
		(*n)++;
	}
}

/*
 * A disk is kept when it is not a virtual device and, where sysfs is
 * present, /sys/block/<name> exists (partitions live below their disk,
 * not in /sys/block).  Without sysfs, partition names are recognised by
 * the naming conventions of pp_disk_default_keep.
 */
static int
disk_keep(void *arg, const char *name)
{
	struct pf_collector *c = arg;
	char rel[HR_NAME_LEN + 16];

	if (pp_disk_is_virtual(name))
		return 0;
	if (!c->have_sys_block)
		return pp_disk_default_keep(NULL, name);
	if (name_in(c->disk_ok, c->ndisk_ok, name))
		return 1;
	if (name_in(c->disk_skip, c->ndisk_skip, name))
		return 0;
	snprintf(rel, sizeof(rel), "sys/block/%s", name);
	if (pf_exists(rel)) {
		name_add(c->disk_ok, &c->ndisk_ok, HR_MAX_DISKS, name);
		return 1;
	}
	name_add(c->disk_skip, &c->ndisk_skip, HR_DISK_SKIP_CACHE, name);
	return 0;
}

/* ---- readers ------------------------------------------------------------ */

static int
rd_cpu_online(struct pf_collector *c, struct hr_sample *s)
{
	char buf[HR_FILE_MAX];
	size_t len;
	int rc;

	s->cpus_online = 0;
	rc = pf_read_file(sig_source[HR_SIG_CPU_ONLINE], buf, sizeof(buf),
	    &len);
	if (rc == 0)
		rc = sysfs_parse_cpulist(buf, len, &s->cpus_online);
	else if (rc == HR_ETRUNC)
		rc = HR_EINVAL;
	if (rc == HR_EINVAL)
		c->malformed[HR_SIG_CPU_ONLINE]++;
	return rc;
}

static void
iface_attrs(struct pf_collector *c, struct hr_iface *f)
{
	char rel[HR_NAME_LEN + 32], buf[64];
	size_t len;

	snprintf(rel, sizeof(rel), "sys/class/net/%s/speed", f->name);
	f->speed_mbps = -1;
	/* A virtual link answers EINVAL: unknown speed, not an error; but
	 * content that is no number at all is malformed. */
	if (pf_read_file(rel, buf, sizeof(buf), &len) == 0 &&
	    sysfs_parse_speed(buf, len, &f->speed_mbps) != 0) {
		f->speed_mbps = -1;
		c->malformed[HR_SIG_NET]++;
	}
	snprintf(rel, sizeof(rel), "sys/class/net/%s/operstate", f->name);
	f->oper = HR_OPER_UNKNOWN;
	if (pf_read_file(rel, buf, sizeof(buf), &len) == 0)
		f->oper = sysfs_parse_operstate(buf, len);
}

static int
rd_net(struct pf_collector *c, struct hr_sample *s)
{
	struct pp_ctx ctx;
	uint32_t i;
	int rc;

	ctx_init(&ctx, s);
	rc = run_parser(c, HR_SIG_NET, &procfs_netdev,
	    sig_source[HR_SIG_NET], &ctx);
	if (rc != 0)
		return rc;
	for (i = 0; i < s->nifaces; i++)
		iface_attrs(c, &s->iface[i]);
	return 0;
}

static int
rd_conntrack(struct pf_collector *c, struct hr_sample *s)
{
	int rc;

	s->conntrack_count = s->conntrack_max = 0;
	if ((rc = read_u64s(c, HR_SIG_CONNTRACK, sig_source[HR_SIG_CONNTRACK],
	    &s->conntrack_count, 1)) != 0)
		return rc;
	if ((rc = read_u64s(c, HR_SIG_CONNTRACK,
	    "proc/sys/net/netfilter/nf_conntrack_max",
	    &s->conntrack_max, 1)) != 0)
		s->conntrack_count = 0;
	return rc;
}

static int
rd_fd(struct pf_collector *c, struct hr_sample *s)
{
	uint64_t v[3];
	int rc;

	s->fd_allocated = s->fd_unused = s->fd_max = 0;
	if ((rc = read_u64s(c, HR_SIG_FD, sig_source[HR_SIG_FD], v, 3)) != 0)
		return rc;
	s->fd_allocated = v[0];
	s->fd_unused = v[1];
	s->fd_max = v[2];
	return 0;
}

static int
rd_pid(struct pf_collector *c, struct hr_sample *s)
{
	int rc;

	s->pid_max = s->threads_max = 0;
	if ((rc = read_u64s(c, HR_SIG_PID, sig_source[HR_SIG_PID],
	    &s->pid_max, 1)) != 0)
		return rc;
	/* threads-max is optional: the PID limit alone still gives a fill */
	if (read_u64s(c, HR_SIG_PID, "proc/sys/kernel/threads-max",
	    &s->threads_max, 1) != 0)
		s->threads_max = 0;
	return 0;
}

/* Find the cgroup v2 directory of proc/self/cgroup under the root. */
static int
cgroup_resolve(struct pf_collector *c)
{
	char buf[HR_FILE_MAX], path[HR_PATH_LEN], rel[HR_PATH_LEN + 64];
	size_t len;
	int rc;

	c->have_cgroup_dir = false;
	rc = pf_read_file(sig_source[HR_SIG_CGROUP], buf, sizeof(buf), &len);
	if (rc != 0)
		return rc == HR_ETRUNC ? HR_EINVAL : rc;
	if ((rc = sysfs_parse_self_cgroup(buf, len, path, sizeof(path))) != 0)
		return rc == HR_ETRUNC ? HR_EINVAL : rc;
	/* Pure v2 mounts at sys/fs/cgroup; hybrid hosts at .../unified. */
	snprintf(rel, sizeof(rel), "sys/fs/cgroup%s%s/cgroup.controllers",
	    path[0] ? "/" : "", path);
	if (pf_exists(rel)) {
		snprintf(c->cgroup_dir, sizeof(c->cgroup_dir), "sys/fs/cgroup%s%s",
		    path[0] ? "/" : "", path);
	} else {
		snprintf(c->cgroup_dir, sizeof(c->cgroup_dir),
		    "sys/fs/cgroup/unified%s%s", path[0] ? "/" : "", path);
	}
	c->have_cgroup_dir = true;
	return 0;
}

static int
cg_read(struct pf_collector *c, const char *file, char *buf, size_t cap,
    size_t *len)
{
	char rel[HR_PATH_LEN + 64];
	int rc;

	snprintf(rel, sizeof(rel), "%s/%s", c->cgroup_dir, file);
	rc = pf_read_file(rel, buf, cap, len);
	return rc == HR_ETRUNC ? HR_EINVAL : rc;
}

static int
rd_cgroup(struct pf_collector *c, struct hr_sample *s)
{
	struct hr_cgroup *g = &s->cgroup;
	char buf[HR_FILE_MAX], rel[HR_PATH_LEN + 64];
	struct pp_ctx ctx;
	size_t len;
	int rc, found = 0;

	memset(g, 0, sizeof(*g));
	if (!c->have_cgroup_dir && (rc = cgroup_resolve(c)) != 0)
		return rc;
	if (cg_read(c, "cpu.max", buf, sizeof(buf), &len) == 0) {
		found++;
		if (sysfs_parse_cpu_max(buf, len, &g->has_cpu_max,
		    &g->cpu_quota_us, &g->cpu_period_us) != 0) {
			g->has_cpu_max = false;
			c->malformed[HR_SIG_CGROUP]++;
		}
	}
	snprintf(rel, sizeof(rel), "%s/cpu.stat", c->cgroup_dir);
	ctx_init(&ctx, s);
	(void)run_parser(c, HR_SIG_CGROUP, &procfs_cgroup_cpustat, rel, &ctx);
	g->has_cpu_stat = ctx.seen != 0;
	if (cg_read(c, "memory.max", buf, sizeof(buf), &len) == 0) {
		found++;
		if (sysfs_parse_max_u64(buf, len, &g->has_mem_max,
		    &g->mem_max) != 0) {
			g->has_mem_max = false;
			c->malformed[HR_SIG_CGROUP]++;
		}
	}
	if (cg_read(c, "memory.current", buf, sizeof(buf), &len) == 0) {
		found++;
		if (sysfs_parse_u64(buf, len, &g->mem_current) == 0)
			g->has_mem_current = true;
		else
			c->malformed[HR_SIG_CGROUP]++;
	}
	/*
	 * The root cgroup has no cpu.max, memory.max or memory.current (its
	 * cpu.stat only repeats /proc/stat): there is no limit to watch, so
	 * the signal is absent, not present-and-empty.
	 */
	if (!found)
		memset(g, 0, sizeof(*g));
	return found ? 0 : HR_ENOENT;
}

/* Rebuild the list of watched mount points. */
static void
mounts_rescan(struct pf_collector *c)
{
	struct hr_sample *dummy = NULL;
	struct pp_ctx ctx;
	uint32_t i, j;
	bool dup;

	c->nmount_path = 0;
	c->overflow_mounts = 0;
	if (c->conf.nmounts > 0) {
		for (i = 0; i < c->conf.nmounts && i < HR_MAX_MOUNTS; i++)
			snprintf(c->mount_path[c->nmount_path++], HR_PATH_LEN,
			    "%s", c->conf.mounts[i]);
		return;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.s = dummy;
	ctx.ents = c->ents;
	ctx.ents_cap = sizeof(c->ents) / sizeof(c->ents[0]);
	procfs_mounts.begin(&ctx);
	if (pf_read_lines(sig_source[HR_SIG_MOUNTS], procfs_mounts.line, &ctx,
	    &c->long_lines) != 0)
		return;
	c->malformed[HR_SIG_MOUNTS] += ctx.malformed;
	for (i = 0; i < ctx.nents; i++) {
		if (!pf_fs_is_disk(c->ents[i].fstype))
			continue;
		/* bind mounts and btrfs subvolumes: first mount per source */
		for (dup = false, j = 0; j < i && !dup; j++)
			dup = pf_fs_is_disk(c->ents[j].fstype) &&
			    strcmp(c->ents[j].source, c->ents[i].source) == 0;
		if (dup)
			continue;
		if (c->nmount_path >= HR_MAX_MOUNTS) {
			c->overflow_mounts++;
			continue;
		}
		/* both buffers are HR_PATH_LEN and NUL-terminated */
		memcpy(c->mount_path[c->nmount_path++], c->ents[i].path,
		    HR_PATH_LEN);
	}
	c->overflow_mounts += ctx.ents_overflow;
}

static int
rd_mounts(struct pf_collector *c, struct hr_sample *s)
{
	struct pf_fsstat st;
	struct hr_mount *m;
	uint64_t now = s->mono_us;
	uint32_t i;

	if (now >= c->next_mount_scan_us || c->nmount_path == 0) {
		if (c->conf.nmounts == 0 &&
		    !pf_exists(sig_source[HR_SIG_MOUNTS])) {
			s->nmounts = 0;
			return HR_ENOENT;
		}
		mounts_rescan(c);
		c->next_mount_scan_us = now + HR_MOUNT_RESCAN_S * 1000000ull;
	}
	s->nmounts = 0;
	for (i = 0; i < c->nmount_path; i++) {
		m = &s->mount[s->nmounts++];
		memset(m, 0, sizeof(*m));
		snprintf(m->path, sizeof(m->path), "%s", c->mount_path[i]);
		if (pf_statvfs(m->path, &st) != 0)
			continue;    /* m->ok stays false: unmounted or gone */
		m->ok = true;
		m->size_bytes = st.blocks * st.frsize;
		m->free_bytes = st.bfree * st.frsize;
		m->avail_bytes = st.bavail * st.frsize;
		m->inodes = st.files;
		m->inodes_free = st.ffree;
	}
	return 0;
}

static int
rd_parser(struct pf_collector *c, struct hr_sample *s, enum hr_signal sig)
{
	struct pp_ctx ctx;
	const struct pp_parser *p;

	ctx_init(&ctx, s);
	switch (sig) {
	case HR_SIG_CPU:     p = &procfs_stat; break;
	case HR_SIG_LOAD:    p = &procfs_loadavg; break;
	case HR_SIG_MEM:     p = &procfs_meminfo; break;
	case HR_SIG_VMSTAT:  p = &procfs_vmstat; break;
	case HR_SIG_PSI_CPU: p = &procfs_psi; ctx.psi = &s->psi_cpu; break;
	case HR_SIG_PSI_MEM: p = &procfs_psi; ctx.psi = &s->psi_mem; break;
	case HR_SIG_PSI_IO:  p = &procfs_psi; ctx.psi = &s->psi_io; break;
	case HR_SIG_DISK:
		p = &procfs_diskstats;
		ctx.disk_keep = disk_keep;
		ctx.disk_arg = c;
		break;
	case HR_SIG_SOFTNET: p = &procfs_softnet; break;
	case HR_SIG_SNMP:    p = &procfs_snmp; break;
	case HR_SIG_NETSTAT: p = &procfs_netstat; break;
	default:
		return HR_EINVAL;
	}
	return run_parser(c, sig, p, sig_source[sig], &ctx);
}

static int
read_signal(struct pf_collector *c, struct hr_sample *s, enum hr_signal sig)
{
	switch (sig) {
	case HR_SIG_CPU_ONLINE: return rd_cpu_online(c, s);
	case HR_SIG_NET:        return rd_net(c, s);
	case HR_SIG_CONNTRACK:  return rd_conntrack(c, s);
	case HR_SIG_FD:         return rd_fd(c, s);
	case HR_SIG_PID:        return rd_pid(c, s);
	case HR_SIG_CGROUP:     return rd_cgroup(c, s);
	case HR_SIG_MOUNTS:     return rd_mounts(c, s);
	default:                return rd_parser(c, s, sig);
	}
}

/* Zero the fields of a signal that was not read this sample. */
static void
clear_signal(struct hr_sample *s, enum hr_signal sig)
{
	switch (sig) {
	case HR_SIG_NET:     s->nifaces = 0; break;
	case HR_SIG_DISK:    s->ndisks = 0; break;
	case HR_SIG_MOUNTS:  s->nmounts = 0; break;
	case HR_SIG_CPU:     s->ncpu = 0; break;
	case HR_SIG_CGROUP:  memset(&s->cgroup, 0, sizeof(s->cgroup)); break;
	case HR_SIG_PSI_CPU: memset(&s->psi_cpu, 0, sizeof(s->psi_cpu)); break;
	case HR_SIG_PSI_MEM: memset(&s->psi_mem, 0, sizeof(s->psi_mem)); break;
	case HR_SIG_PSI_IO:  memset(&s->psi_io, 0, sizeof(s->psi_io)); break;
	default:
		break;      /* scalar fields: readers zero them on failure */
	}
}

/* Log a signal's state change once. */
static void
note_state(struct pf_collector *c, enum hr_signal sig, int rc)
{
	struct pf_signal_state *st = &c->sig[sig];

	if (rc == st->last_err)
		return;
	if (rc == 0)
		log_info("collect: %s: available again", hr_signal_names[sig]);
	else if (rc == HR_ENOENT && sig == HR_SIG_CGROUP)
		log_info("collect: cgroup: no cgroup v2 limits to watch (root "
		    "cgroup or cgroup v1 only); signal disabled (re-checked "
		    "every %d s)", HR_REPROBE_S);
	else if (rc == HR_ENOENT)
		log_info("collect: %s: %s: not available; signal disabled "
		    "(re-checked every %d s)", hr_signal_names[sig],
		    sig_source[sig], HR_REPROBE_S);
	else
		log_warnx("collect: %s: %s: %s; signal skipped until it "
		    "recovers", hr_signal_names[sig], sig_source[sig],
		    hr_strerror(rc));
	st->last_err = rc;
}

void
pf_collect_init(struct pf_collector *c, const struct pf_collect_conf *conf)
{
	char buf[64];
	size_t len;

	memset(c, 0, sizeof(*c));
	if (conf != NULL)
		c->conf = *conf;
	c->kernel_bits = (uint32_t)(sizeof(long) * 8);
	if (pf_read_file("proc/sys/kernel/arch", buf, sizeof(buf), &len) == 0)
		(void)sysfs_parse_arch_bits(buf, len, &c->kernel_bits);
	c->have_sys_block = pf_exists("sys/block") != 0;
}

int
pf_collect(struct pf_collector *c, struct hr_sample *s)
{
	struct pf_signal_state *st;
	uint64_t now = pf_mono_us();
	int sig, rc, present = 0;

	s->mono_us = now;
	s->wall_ns = pf_wall_ns();
	s->kernel_bits = c->kernel_bits;
	s->health.overflow_cpus = 0;
	s->health.overflow_disks = 0;
	s->health.overflow_ifaces = 0;
	for (sig = 0; sig < HR_SIG_COUNT; sig++) {
		st = &c->sig[sig];
		s->health.present[sig] = false;
		if (c->conf.off[sig] || (st->disabled && now < st->next_probe_us)) {
			clear_signal(s, (enum hr_signal)sig);
			continue;
		}
		rc = read_signal(c, s, (enum hr_signal)sig);
		note_state(c, (enum hr_signal)sig, rc);
		if (rc == 0) {
			st->disabled = false;
			s->health.present[sig] = true;
			present++;
			continue;
		}
		clear_signal(s, (enum hr_signal)sig);
		if (rc == HR_ENOENT) {
			st->disabled = true;
			st->next_probe_us = now + HR_REPROBE_S * 1000000ull;
			if (sig == HR_SIG_CGROUP)
				c->have_cgroup_dir = false;
		}
	}
	s->health.overflow_mounts = c->overflow_mounts;
	memcpy(s->health.malformed, c->malformed, sizeof(c->malformed));
	return present;
}
