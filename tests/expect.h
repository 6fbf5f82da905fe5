/*
 * expect.h - shared helpers of the table-driven parser tests: assertions
 * that name the failing case, and exact-size input buffers (no NUL after
 * the span) so that ASan catches a parser reading past its input.
 * Include after <cmocka.h>.
 */
#ifndef HR_TEST_EXPECT_H
#define HR_TEST_EXPECT_H

#include <stdlib.h>
#include <string.h>

#define WHOLE (-1)   /* a case's span is the whole input string */
#define NCASES(t) (sizeof(t) / sizeof((t)[0]))

#define EXPECT(name, cond) do {						\
	if (!(cond))							\
		fail_msg("%s: expected %s", (name), #cond);		\
} while (0)

#define EXPECT_U64(name, got, want) do {				\
	unsigned long long g_ = (unsigned long long)(got);		\
	unsigned long long w_ = (unsigned long long)(want);		\
	if (g_ != w_)							\
		fail_msg("%s: %s = %llu, want %llu", (name), #got,	\
		    g_, w_);						\
} while (0)

#define EXPECT_I64(name, got, want) do {				\
	long long g_ = (long long)(got), w_ = (long long)(want);	\
	if (g_ != w_)							\
		fail_msg("%s: %s = %lld, want %lld", (name), #got,	\
		    g_, w_);						\
} while (0)

/* Doubles equal within tol (no libm needed). */
#define EXPECT_DBL_TOL(name, got, want, tol) do {			\
	double g_ = (got), w_ = (want), d_ = g_ - w_;			\
	if (d_ < 0)							\
		d_ = -d_;						\
	if (d_ > (tol))							\
		fail_msg("%s: %s = %.17g, want %.17g", (name), #got,	\
		    g_, w_);						\
} while (0)

#define EXPECT_STR(name, got, want) do {				\
	if (strcmp((got), (want)) != 0)					\
		fail_msg("%s: %s = \"%s\", want \"%s\"", (name), #got,	\
		    (got), (want));					\
} while (0)

/* Copy n bytes of s into a heap buffer of exactly n bytes, no NUL. */
static inline char *
heap_copy(const char *s, size_t n)
{
	char *p;

	p = malloc(n > 0 ? n : 1);
	assert_non_null(p);
	if (n > 0)
		memcpy(p, s, n);
	return p;
}

/* Length of a case's span: len bytes of in, or all of it (WHOLE). */
static inline size_t
span_len(const char *in, int len)
{
	return len == WHOLE ? strlen(in) : (size_t)len;
}

#endif
