/*
 * scan.h - bounded scanning of procfs/sysfs text.
 *
 * A cursor walks a (pointer, end) span that need not be NUL-terminated.
 * Every function advances the cursor only on success and never reads past
 * end.  Numbers that overflow 64 bits are errors, not wrapped values.
 */
#ifndef HR_SCAN_H
#define HR_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct scan {
	const char *p;
	const char *end;
};

/* Value of one digit in base 10 or 16 (either case), or -1. */
static inline int
scan_digit(char c, unsigned base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void scan_init(struct scan *sc, const char *p, size_t len);
/* Skip blanks: spaces, tabs, CR and LF (so CRLF files and trailing
 * newlines of single-value files need no special case). */
void scan_space(struct scan *sc);
bool scan_eof(struct scan *sc);           /* only blanks remain */
/* Next blank-separated word; returns false at end of span. */
bool scan_word(struct scan *sc, const char **w, size_t *wlen);
/* Unsigned decimal after optional blanks; false on no digits/overflow. */
bool scan_u64(struct scan *sc, uint64_t *v);
/* Unsigned hexadecimal (no 0x) after optional blanks. */
bool scan_hex64(struct scan *sc, uint64_t *v);
/* Signed decimal. */
bool scan_i64(struct scan *sc, int64_t *v);
/* Non-negative decimal fraction "12", "12.5" (no exponent). */
bool scan_udouble(struct scan *sc, double *v);
/* Consume the literal if it comes next (after optional blanks). */
bool scan_lit(struct scan *sc, const char *lit);
/* Word equality: w[0..wlen) equals the literal.  Inline so that the
 * literal's length folds to a constant in the parsers' key tables. */
static inline bool
scan_weq(const char *w, size_t wlen, const char *lit)
{
	return strlen(lit) == wlen && memcmp(w, lit, wlen) == 0;
}
/* Split buf into lines; call fn for each (without '\n').  A non-zero
 * return of fn stops and is returned. */
int scan_lines(const char *buf, size_t len,
    int (*fn)(void *ctx, const char *line, size_t len), void *ctx);

#endif
