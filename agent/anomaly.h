/*
 * anomaly.h - a streaming anomaly detector, one instance per series
 * (docs/anomaly.md has the method, its evaluation and what failed).
 *
 * Values arrive one at a time with their time in seconds; the detector
 * knows nothing of the series' range or length and never looks ahead.
 * Each update answers a score in [0,1]: how rare the present behaviour is
 * in the series' own recent history, with repeats of an episode damped.
 *
 *   - two views of "normal":
 *       seasonal: a profile of ANOM_SLOTS hourly slots of the day, each
 *         with its mean and mean absolute deviation, learnt at
 *         ANOM_A_SEAS per day (per visit of the slot, whatever the
 *         sampling period) -- for a series without a daily cycle every
 *         slot learns the same level, and the view is a slow baseline;
 *       density: how far the recent values sit from a short-term level,
 *         in deviations, averaged over the last ~20 samples (a burst of
 *         small surprises, a changed variance);
 *   - each view's deviation z is made a probability by the series' own
 *     history of that z (a decaying histogram of ANOM_CBINS half-octave
 *     bins, memory ~2000 samples): u = -ln P(Z >= z) / ln(memory), so a
 *     z never seen in that memory gives u ~ 1 on any series;
 *   - score = 1 - exp(-3 max(u)), and a score not above the decaying
 *     peak of the recent scores is halved (one episode, one detection);
 *   - every update learns with residuals clipped at 4 deviations, so a
 *     spike barely moves the model, a level shift is learnt in a few
 *     dozen samples (density) to a few days (profile).
 *
 * The flag is raised when the score reaches the threshold (ANOM_RAISE
 * unless anomaly_init was given another) and cleared after
 * ANOM_QUIET_N samples in a row below ANOM_CLEAR x the threshold.
 *
 * Fixed size (sizeof(struct anomaly) <= ANOM_STATE_MAX, asserted in
 * tests), no allocation, no randomness: the same values in the same
 * order give the same bytes.  A value that is NaN or infinite is not
 * learnt and scores 0; finite values beyond +-ANOM_XMAX are clipped to
 * it (float state).
 */
#ifndef HR_ANOMALY_H
#define HR_ANOMALY_H

#include <stdbool.h>
#include <stdint.h>

#define ANOM_SLOTS     24       /* hourly slots of the daily profile */
#define ANOM_CBINS     24       /* calibration bins: z 0.5 .. 2^11.5 */
#define ANOM_RAISE     0.93     /* default flag threshold */
#define ANOM_CLEAR     0.5      /* clear below this fraction of it */
#define ANOM_QUIET_N   10       /* ... for this many samples in a row */
#define ANOM_XMAX      1e30     /* |values| clipped to this */
#define ANOM_STATE_MAX 1024     /* the budget per series */

/* A probability calibrator: decayed counts of z per half-octave. */
struct anom_cal {
	float c[ANOM_CBINS];
	float tot;
};

struct anomaly {
	double   lvl, dev;      /* short-term level, mean |residual| */
	double   dens;          /* average clipped z around lvl */
	double   floor;         /* smallest nonzero change seen */
	double   last_x;
	double   t_last, dt;    /* last time, typical sampling period */
	double   peak;          /* decaying peak of recent scores */
	double   score;         /* last score */
	float    raise;         /* flag threshold */
	uint32_t n;             /* values learnt (saturates) */
	uint16_t quiet;         /* samples below the clear level */
	bool     flag;
	float    prof[ANOM_SLOTS], pdev[ANOM_SLOTS];
	uint32_t pn[ANOM_SLOTS];   /* values learnt per slot (saturates) */
	struct anom_cal cal[2];    /* seasonal, density */
};

/* Start (or start over); raise <= 0 or > 1 means ANOM_RAISE. */
void anomaly_init(struct anomaly *a, double raise);

/*
 * One value x at time t_s (seconds; wall-clock time, so the daily
 * profile's hours are UTC hours).  Returns the score in [0,1]; the flag
 * is a->flag after the call, and anomaly_update reports a raise or a
 * clear through *edge (+1, -1, 0) when edge is not NULL.
 */
double anomaly_update(struct anomaly *a, double t_s, double x, int *edge);

#endif
