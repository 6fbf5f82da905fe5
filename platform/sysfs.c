/*
 * sysfs.c - pure parsers for single-value sysfs, sysctl and cgroup files.
 */
#include <string.h>

#include "../agent/err.h"
#include "scan.h"
#include "sysfs.h"

int
sysfs_parse_u64s(const char *buf, size_t len, uint64_t *v, unsigned n)
{
	struct scan sc;
	unsigned i;

	scan_init(&sc, buf, len);
	for (i = 0; i < n; i++)
		if (!scan_u64(&sc, &v[i]))
			return HR_EINVAL;
	return scan_eof(&sc) ? 0 : HR_EINVAL;
}

int
sysfs_parse_u64(const char *buf, size_t len, uint64_t *v)
{
	return sysfs_parse_u64s(buf, len, v, 1);
}

int
sysfs_parse_speed(const char *buf, size_t len, int64_t *mbps)
{
	struct scan sc;
	int64_t v;

	scan_init(&sc, buf, len);
	if (scan_eof(&sc)) {
		*mbps = -1;
		return 0;
	}
	if (!scan_i64(&sc, &v) || !scan_eof(&sc))
		return HR_EINVAL;
	/* SPEED_UNKNOWN is -1; kernels before 4.x printed it as u32. */
	if (v <= 0 || v == 4294967295LL || v == 65535)
		v = -1;
	*mbps = v;
	return 0;
}


enum hr_operstate
sysfs_parse_operstate(const char *buf, size_t len)
{
	struct scan sc;
	const char *w;
	size_t wl, i;

	scan_init(&sc, buf, len);
	if (!scan_word(&sc, &w, &wl))
		return HR_OPER_UNKNOWN;
	for (i = 0; i < HR_OPER_COUNT; i++)
		if (scan_weq(w, wl, hr_operstate_name((enum hr_operstate)i)))
			return (enum hr_operstate)i;
	return HR_OPER_UNKNOWN;
}

int
sysfs_parse_cpulist(const char *buf, size_t len, uint32_t *count)
{
	struct scan sc;
	uint64_t a, b, n = 0;

	scan_init(&sc, buf, len);
	if (scan_eof(&sc))
		return HR_EINVAL;
	for (;;) {
		if (!scan_u64(&sc, &a))
			return HR_EINVAL;
		b = a;
		if (sc.p < sc.end && *sc.p == '-') {
			sc.p++;
			if (!scan_u64(&sc, &b) || b < a)
				return HR_EINVAL;
		}
		/* b - a + 1 wraps to 0 for a range of 2^64: check first. */
		if (b - a >= UINT32_MAX)
			return HR_EINVAL;
		n += b - a + 1;
		if (n > UINT32_MAX)
			return HR_EINVAL;
		if (scan_eof(&sc))
			break;
		if (*sc.p != ',')
			return HR_EINVAL;
		sc.p++;
	}
	*count = (uint32_t)n;
	return 0;
}

int
sysfs_parse_cpu_max(const char *buf, size_t len, bool *has,
    uint64_t *quota, uint64_t *period)
{
	struct scan sc;
	uint64_t q = 0, p;
	bool unlimited;

	scan_init(&sc, buf, len);
	unlimited = scan_lit(&sc, "max");
	if (!unlimited && !scan_u64(&sc, &q))
		return HR_EINVAL;
	if (!scan_u64(&sc, &p) || p == 0 || !scan_eof(&sc))
		return HR_EINVAL;
	*has = !unlimited;
	*quota = q;
	*period = p;
	return 0;
}

int
sysfs_parse_max_u64(const char *buf, size_t len, bool *has, uint64_t *v)
{
	struct scan sc;

	scan_init(&sc, buf, len);
	if (scan_lit(&sc, "max")) {
		if (!scan_eof(&sc))
			return HR_EINVAL;
		*has = false;
		*v = 0;
		return 0;
	}
	if (!scan_u64(&sc, v) || !scan_eof(&sc))
		return HR_EINVAL;
	*has = true;
	return 0;
}

/* 1 if the path has a component that is exactly "..". */
static int
has_dotdot(const char *path)
{
	const char *p = path;

	while (*p) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0'))
			return 1;
		p = strchr(p, '/');
		if (p == NULL)
			break;
		p++;
	}
	return 0;
}

int
sysfs_parse_self_cgroup(const char *buf, size_t len, char *path, size_t cap)
{
	const char *p = buf, *end = buf + len, *nl, *q;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if (nl - p >= 3 && memcmp(p, "0::", 3) == 0) {
			q = p + 3;
			while (q < nl && *q == '/')
				q++;
			n = (size_t)(nl - q);
			if (n >= cap)
				return HR_ETRUNC;
			memcpy(path, q, n);
			path[n] = '\0';
			/* A ".." component would leave the cgroup mount:
			 * refuse it (a name such as "my..app" is fine). */
			if (has_dotdot(path))
				return HR_EINVAL;
			while (n > 0 && path[n - 1] == '/')
				path[--n] = '\0';
			return 0;
		}
		p = nl + 1;
	}
	return HR_ENOENT;
}

int
sysfs_parse_arch_bits(const char *buf, size_t len, uint32_t *bits)
{
	static const char *const arch64[] = {
		"x86_64", "aarch64", "arm64", "ppc64", "ppc64le", "s390x",
		"riscv64", "mips64", "loongarch64", "sparc64", "alpha", "ia64",
	};
	struct scan sc;
	const char *w;
	size_t wl, i;

	scan_init(&sc, buf, len);
	if (!scan_word(&sc, &w, &wl))
		return HR_EINVAL;
	for (i = 0; i < sizeof(arch64) / sizeof(arch64[0]); i++) {
		if (scan_weq(w, wl, arch64[i])) {
			*bits = 64;
			return 0;
		}
	}
	*bits = 32;
	return 0;
}
