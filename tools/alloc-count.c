/*
 * alloc-count.c - an LD_PRELOAD shim for benchmarks: counts heap
 * allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc)
 * by the shared object that called them, and prints the counts when the
 * process exits:
 *
 *   alloc-count: headroom N libmosquitto N libmbed N libc N other N
 *
 * "libc" are allocations made inside libc on someone's behalf (strdup,
 * getaddrinfo, stdio).  Used by tools/bench-agent to measure what each
 * library allocates per report; never linked into the agent.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { O_AGENT, O_MOSQ, O_MBED, O_LIBC, O_OTHER, O_N };
static const char *const oname[O_N] = {
	"headroom", "libmosquitto", "libmbed", "libc", "other"
};
static unsigned long count[O_N];

static void *(*real_malloc)(size_t);
static void *(*real_calloc)(size_t, size_t);
static void *(*real_realloc)(void *, size_t);
static int (*real_memalign)(void **, size_t, size_t);
static void *(*real_aligned)(size_t, size_t);

/* dlsym may calloc before real_calloc is known: serve it from here */
static char boot[4096];
static size_t boot_used;

static void
init(void)
{
	real_malloc = dlsym(RTLD_NEXT, "malloc");
	real_calloc = dlsym(RTLD_NEXT, "calloc");
	real_realloc = dlsym(RTLD_NEXT, "realloc");
	real_memalign = dlsym(RTLD_NEXT, "posix_memalign");
	real_aligned = dlsym(RTLD_NEXT, "aligned_alloc");
}

static void
note(void *ra)
{
	Dl_info di;
	const char *f;
	int o = O_OTHER;

	if (dladdr(ra, &di) != 0 && di.dli_fname != NULL) {
		f = strrchr(di.dli_fname, '/');
		f = f != NULL ? f + 1 : di.dli_fname;
		if (strncmp(f, "libmosquitto", 12) == 0)
			o = O_MOSQ;
		else if (strncmp(f, "libmbed", 7) == 0)
			o = O_MBED;
		else if (strncmp(f, "libc.so", 7) == 0)
			o = O_LIBC;
		else if (strstr(f, "headroom") != NULL)
			o = O_AGENT;
	}
	__atomic_add_fetch(&count[o], 1, __ATOMIC_RELAXED);
}

void *
malloc(size_t n)
{
	if (real_malloc == NULL)
		init();
	note(__builtin_return_address(0));
	return real_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
	if (real_calloc == NULL) {
		static int busy;
		if (busy) {
			size_t n = (a * b + 15) & ~(size_t)15;
			void *p;
			if (boot_used + n > sizeof(boot))
				return NULL;
			p = boot + boot_used;
			boot_used += n;
			return p;       /* zeroed: static storage */
		}
		busy = 1;
		init();
		busy = 0;
	}
	note(__builtin_return_address(0));
	return real_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
	if (real_realloc == NULL)
		init();
	note(__builtin_return_address(0));
	return real_realloc(p, n);
}

void
free(void *p)
{
	static void (*real_free)(void *);

	if ((char *)p >= boot && (char *)p < boot + sizeof(boot))
		return;
	if (real_free == NULL)
		real_free = dlsym(RTLD_NEXT, "free");
	real_free(p);
}

int
posix_memalign(void **p, size_t a, size_t n)
{
	if (real_memalign == NULL)
		init();
	note(__builtin_return_address(0));
	return real_memalign(p, a, n);
}

void *
aligned_alloc(size_t a, size_t n)
{
	if (real_aligned == NULL)
		init();
	note(__builtin_return_address(0));
	return real_aligned(a, n);
}

__attribute__((destructor)) static void
report(void)
{
	char buf[256];
	int i, n = snprintf(buf, sizeof(buf), "alloc-count:");

	for (i = 0; i < O_N && n > 0 && (size_t)n < sizeof(buf); i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, " %s %lu",
		    oname[i], count[i]);
	if (n > 0 && (size_t)n < sizeof(buf) - 1) {
		buf[n++] = '\n';
		(void)!write(2, buf, (size_t)n);
	}
}
