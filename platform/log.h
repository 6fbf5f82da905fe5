/*
 * log.h - logging in the style of OpenBSD ntpd: printf-checked, one line
 * per message, "module: action: detail".  log_warn appends strerror(errno),
 * log_warnx does not.  fatal/fatalx never return and are for start-up only.
 *
 * Output goes to stderr by default; log_to_syslog() switches to syslog.
 * Repeated runtime errors are the caller's to rate-limit (the collector
 * logs each source once per change of state).
 */
#ifndef HR_LOG_H
#define HR_LOG_H

#include <stdarg.h>

enum hr_log_level {
	HR_LOG_ERR = 0, HR_LOG_WARN, HR_LOG_INFO, HR_LOG_DEBUG
};

void log_init(const char *progname, enum hr_log_level level);
void log_to_syslog(int on);
void log_set_level(enum hr_log_level level);
enum hr_log_level log_level(void);
/* Count of messages at warning level or worse (for tests and health). */
unsigned long log_warn_count(void);

void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
_Noreturn void fatalx(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif
