/*
 * bench.h - shared by the benchmark programs in tools/.
 */
#ifndef HR_BENCH_H
#define HR_BENCH_H

#include <sys/resource.h>

/* CPU time (user + system) of this process so far, in microseconds. */
static inline double
bench_cpu_us(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e6 +
	    (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec);
}

#endif
