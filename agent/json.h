/*
 * json.h - a bounded JSON writer into a caller buffer: no allocation.
 * Overflow is sticky: once the buffer is full, j->overflow is set and
 * further output is dropped, so callers check once at the end.
 */
#ifndef HR_JSON_H
#define HR_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct jw {
	char  *buf;
	size_t cap;
	size_t len;
	bool   overflow;
	bool   comma;       /* a value was written at this nesting level */
};

void jw_init(struct jw *j, char *buf, size_t cap);
void jw_obj(struct jw *j, const char *key);    /* key NULL in arrays */
void jw_end_obj(struct jw *j);
void jw_arr(struct jw *j, const char *key);
void jw_end_arr(struct jw *j);
/* Numbers: NAN and infinities become null; integral values below 2^53
 * are printed exactly, others with 6 significant digits. */
void jw_num(struct jw *j, const char *key, double v);
/* A number printed with the fewest digits that read back as exactly v
 * (for decoders: no precision lost); NAN and infinities become null. */
void jw_num_exact(struct jw *j, const char *key, double v);
void jw_bool(struct jw *j, const char *key, bool v);
void jw_str(struct jw *j, const char *key, const char *s);
/* Finish: NUL-terminate; returns the length or -1 on overflow. */
long jw_finish(struct jw *j);

#endif
