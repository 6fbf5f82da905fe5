/*
 * log.c - see log.h.  Formats into a fixed buffer: no allocation.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "log.h"

static const char        *prog = "headroom";
static enum hr_log_level  cur_level = HR_LOG_INFO;
static int                use_syslog;
static unsigned long      nwarn;

void
log_init(const char *progname, enum hr_log_level level)
{
	prog = progname;
	cur_level = level;
}

void
log_to_syslog(int on)
{
	if (on && !use_syslog)
		openlog(prog, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (!on && use_syslog)
		closelog();
	use_syslog = on;
}

void
log_set_level(enum hr_log_level level)
{
	cur_level = level;
}

enum hr_log_level
log_level(void)
{
	return cur_level;
}

unsigned long
log_warn_count(void)
{
	return nwarn;
}

static void
vlog(enum hr_log_level lvl, const char *emsg, const char *fmt, va_list ap)
{
	static const int prio[] = { LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG };
	char buf[1024];
	int n;

	if (lvl <= HR_LOG_WARN)
		nwarn++;
	if (lvl > cur_level)
		return;
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		return;
	if (emsg != NULL && (size_t)n < sizeof(buf))
		snprintf(buf + n, sizeof(buf) - (size_t)n, ": %s", emsg);
	if (use_syslog)
		syslog(prio[lvl], "%s", buf);
	else
		fprintf(stderr, "%s: %s\n", prog, buf);
}

#define LOGFN(name, lvl, witherr)					\
void									\
name(const char *fmt, ...)						\
{									\
	int saved = errno;						\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	vlog(lvl, witherr ? strerror(saved) : NULL, fmt, ap);		\
	va_end(ap);							\
	errno = saved;							\
}

LOGFN(log_warn, HR_LOG_WARN, 1)
LOGFN(log_warnx, HR_LOG_WARN, 0)
LOGFN(log_info, HR_LOG_INFO, 0)
LOGFN(log_debug, HR_LOG_DEBUG, 0)

void
fatal(const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	vlog(HR_LOG_ERR, strerror(saved), fmt, ap);
	va_end(ap);
	exit(1);
}

void
fatalx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(HR_LOG_ERR, NULL, fmt, ap);
	va_end(ap);
	exit(1);
}
