/*
 * forecast.h - time to exhaustion: "when will this resource be full?"
 *
 * One streaming estimator per resource that fills (memory, mounts,
 * inodes, conntrack, descriptors, PIDs, queues).  The caller feeds the
 * used fraction of the capacity, fill in [0,1], with a monotonic time in
 * seconds; the estimator answers the seconds until the fill reaches 1.0,
 * or that there is no forecast and why.  docs/indicators.md describes the
 * method and its evaluation; in short:
 *
 *   - jumps are taken out first: a change of at least max(min_jump,
 *     6 x sample noise) that persists for confirm_s is a jump; a shorter
 *     excursion is a spike and is ignored;
 *   - an upward jump is kept out of the trend as an offset (the
 *     underlying rate is unchanged); two or more within the horizon are a
 *     fill process of their own and add their average rate;
 *   - a downward jump is a reset (log rotation, restart): the trend
 *     restarts and re-warms, and the level before the drop is remembered
 *     as a cycle peak.  While the fill stays below the remembered peaks
 *     the ramp is a cycle and gets no forecast; cycle peaks that grow get
 *     a forecast of when they reach 1.0;
 *   - the trend is fitted to the means of FORECAST_NBUCKETS time buckets
 *     that together span the horizon, so it reflects hours of history in
 *     fixed state: a Mann-Kendall test (z standard errors) says whether
 *     it rises at all, so noise and spikes create no forecast; a
 *     least-squares line says how fast;
 *   - when the fill slows down (the newer half of the window against the
 *     older, the window now against the window of one to 1.5 horizons
 *     ago), the slope is damped geometrically by the least slowdown the
 *     data allow (a damped trend whose damping is measured): a fill that
 *     levels off below 1.0 gets no forecast;
 *   - no forecast before warm-up (half the buckets filled, spanning half
 *     the horizon, after the start or a reset), and none beyond
 *     max_factor x horizon, where a straight line says little.
 *
 * Fixed size (sizeof(struct forecast): 720 bytes on LP64), no allocation,
 * deterministic; O(1) per sample plus one O(FORECAST_NBUCKETS^2) fit each
 * time a bucket closes (every horizon / 32 at most once per sample).
 * horizon_s should be at least 32 sample periods, or too few buckets hold
 * samples for the warm-up.
 */
#ifndef HR_FORECAST_H
#define HR_FORECAST_H

#include <stdint.h>

#define FORECAST_NBUCKETS 32   /* trend window = horizon_s; power of 2 */
#define FORECAST_NPEAKS   8    /* cycle peaks remembered */
#define FORECAST_NSTEPS   4    /* upward jumps remembered */

struct forecast_params {
	double horizon_s;    /* trend window (default 6 h) */
	double max_factor;   /* no forecast beyond max_factor x horizon (10) */
	double min_jump;     /* smallest fill change that is a jump (0.05) */
	double confirm_s;    /* a jump must persist this long (300 s) */
	double full_peak;    /* cycles peaking at or above this fill (0.95)
			        do not withhold the ramp's forecast */
	double z;            /* significance of a rise, in standard errors
			        of the Mann-Kendall statistic (4) */
};

/* Why there is (or is not) a forecast. */
enum forecast_why {
	FORECAST_OK = 0,     /* the trend reaches 1.0 within the range */
	FORECAST_OK_PEAKS,   /* growing cycle peaks reach 1.0 */
	FORECAST_WARMING,    /* not enough history since start or reset */
	FORECAST_FLAT,       /* no significant rise */
	FORECAST_FALLING,    /* significant fall */
	FORECAST_SLOWING,    /* rising, but levelling off below 1.0 */
	FORECAST_BEYOND,     /* later than max_factor x horizon */
	FORECAST_CYCLE,      /* a ramp below the peaks of earlier cycles */
	FORECAST_DROPPING    /* the fill just fell: a reset being confirmed */
};

struct forecast_out {
	double            eta_s;   /* seconds to 1.0 (when why is OK_*) */
	double            slope;   /* fill per second now (0 when unknown) */
	double            level;   /* estimated fill now (NAN when unknown) */
	double            z;       /* slope / its standard error: quality
				      (of the peaks' line for OK_PEAKS) */
	enum forecast_why why;
};

/* The trend of the window, refitted when a bucket closes. */
struct forecast_fit {
	double  t0;          /* time the model starts at (a centre of mass) */
	double  y0;          /* trend level at t0, jumps removed */
	double  s0;          /* slope per second at t0 */
	double  delta;       /* seconds per damping step: between the centres
			        of the halves or of the windows compared */
	double  rho;         /* slope ratio per delta; 1 = not damped */
	double  z;           /* s0 / its standard error */
	int32_t why;         /* enum forecast_why: OK, WARMING, FLAT, FALLING */
	int32_t n;           /* buckets in the fit */
};

/* The window's slope as it was, to see a slowdown over 1.5 horizons. */
struct forecast_past {
	uint32_t idx;        /* open bucket when it was fitted; 0 = none */
	float    b;          /* slope per second */
	float    se;         /* its standard error */
};

struct forecast_bucket {
	float   y;           /* mean fill, jumps removed */
	float   dt;          /* mean sample time from the bucket's start */
};

struct forecast_event {
	double  t;           /* when it began */
	float   v;           /* peak: fill before the drop; step: size */
	float   a;           /* peak: size of the drop */
};

struct forecast {
	struct forecast_params p;
	double   w;          /* bucket width: horizon_s / FORECAST_NBUCKETS */
	double   t_last;     /* time of the last sample taken */
	double   epoch;      /* start of the current trend segment */
	double   offset;     /* sum of upward jumps in the segment */
	double   noise;      /* mean |sample - reference level| */
	double   lvl;        /* recent level of accepted samples */
	double   jump_t;     /* when the pending jump began */
	double   jump_pre;   /* reference level before it */
	double   jump_sum;   /* sum of its samples */
	double   cur_sy;     /* open bucket: sum of fills */
	double   cur_st;     /* open bucket: sum of times from its start */
	uint64_t valid;      /* bit i: b[i] holds a closed bucket */
	uint32_t cur;        /* index of the open bucket since epoch */
	uint32_t cur_n;      /* samples in the open bucket */
	uint32_t nsamples;   /* samples taken (saturates) */
	uint32_t jump_n;     /* samples in the pending jump */
	int32_t  jump_dir;   /* pending jump: +1 up, -1 down, 0 none */
	uint16_t npeaks;     /* cycle peaks held (ring, newest at ipeak) */
	uint16_t ipeak;
	uint16_t nsteps;     /* upward jumps held (ring, newest at istep) */
	uint16_t istep;
	uint32_t resets;     /* downward jumps seen (counts, for reports) */
	struct forecast_fit    fit;
	struct forecast_past   past[3];   /* every half horizon */
	struct forecast_bucket b[FORECAST_NBUCKETS];
	struct forecast_event  peak[FORECAST_NPEAKS];
	struct forecast_event  step[FORECAST_NSTEPS];
};

/* The defaults above. */
void forecast_params_default(struct forecast_params *p);

/*
 * Start an estimator.  p NULL means the defaults; parameters out of range
 * are replaced by their defaults.
 */
void forecast_init(struct forecast *f, const struct forecast_params *p);

/*
 * Take one sample: t_s monotonic seconds, fill the used fraction.  A NAN
 * (or infinite) fill, and a time that does not advance, are ignored.
 */
void forecast_add(struct forecast *f, double t_s, double fill);

/* The full answer, as of the last sample taken. */
void forecast_get(const struct forecast *f, struct forecast_out *out);

/*
 * 1 and *eta_s when there is a forecast, else 0 (*eta_s untouched).
 * forecast_get() has the slope, the level and the quality too.
 */
int forecast_eta(const struct forecast *f, double *eta_s);

/* A short word for a reason ("ok", "warming", ...). */
const char *forecast_why_str(enum forecast_why why);

#endif
