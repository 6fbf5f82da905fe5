/*
 * ident.c - agent identity: id validation and the per-start boot id.
 */
#include <string.h>

#include "../platform/platform.h"
#include "err.h"
#include "ident.h"
#include "limits.h"

int
hr_id_valid(const char *id)
{
	const char *p;

	if (!hr_name_start(id[0]) || strlen(id) >= HR_ID_LEN)
		return 0;
	/* '/' separates the id from the record names */
	for (p = id; *p; p++)
		if (!hr_name_char(*p) || *p == '/')
			return 0;
	return 1;
}

int
hr_boot_id(char *dst, size_t cap)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t r[8];
	size_t i;

	if (cap < HR_BOOT_ID_LEN || pf_random(r, sizeof(r)) != 0)
		return HR_EIO;
	for (i = 0; i < 8; i++) {
		dst[2 * i] = hex[r[i] >> 4];
		dst[2 * i + 1] = hex[r[i] & 15];
	}
	dst[16] = '\0';
	return 0;
}
