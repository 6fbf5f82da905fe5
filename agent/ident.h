/*
 * ident.h - who the agent is in its reports.
 */
#ifndef HR_IDENT_H
#define HR_IDENT_H

#include <stddef.h>

#define HR_BOOT_ID_LEN 17   /* 16 hex digits + NUL */

/* SenML's name alphabet (RFC 8428 section 4.5.1): a resolved name starts
 * with a letter or digit and uses letters, digits and "-:./_".  Inline,
 * so the decoder uses it without linking the agent's platform code. */
static inline int
hr_name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static inline int
hr_name_char(char c)
{
	return hr_name_start(c) || c == '-' || c == ':' || c == '.' ||
	    c == '/' || c == '_';
}

/*
 * 1 if id can start SenML names: a letter or digit, then letters, digits
 * and "-:._", shorter than HR_ID_LEN.  ('/' is not allowed: it separates
 * the id from the record names.)
 */
int hr_id_valid(const char *id);
/* A new random boot id (64 bits as 16 hex digits): 0 or HR_EIO. */
int hr_boot_id(char *dst, size_t cap);

#endif
