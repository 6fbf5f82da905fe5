/*
 * ident.h - who the agent is in its reports.
 */
#ifndef HR_IDENT_H
#define HR_IDENT_H

#include <stddef.h>

#define HR_BOOT_ID_LEN 17   /* 16 hex digits + NUL */

/*
 * 1 if id can start SenML names: a letter or digit, then letters, digits
 * and "-:._", shorter than HR_ID_LEN.  ('/' is not allowed: it separates
 * the id from the record names.)
 */
int hr_id_valid(const char *id);
/* A new random boot id (64 bits as 16 hex digits): 0 or HR_EIO. */
int hr_boot_id(char *dst, size_t cap);

#endif
