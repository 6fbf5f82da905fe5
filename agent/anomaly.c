/*
 * anomaly.c - the streaming anomaly detector (anomaly.h, docs/anomaly.md).
 *
 * The constants below were chosen on the NAB development series and then
 * checked for flatness: each one moved by a factor of two changes the
 * standard score by a few points, not tens (docs/anomaly.md lists them).
 */
#include <math.h>
#include <string.h>

#include "anomaly.h"

#define A_LVL    0.05     /* short-term level, per sample */
#define A_DEV    0.02     /* its mean absolute residual, per sample */
#define A_DENS   0.05     /* density: average of z, per sample */
#define DENS_ZMAX 10.0    /* z clipped before averaging */
#define A_SEAS   0.1      /* daily profile, per visit of a slot */
#define CLIP     4.0      /* learn residuals clipped at CLIP deviations */
#define CAL_DECAY 0.9995  /* calibration memory ~2000 samples */
#define CAL_MIN  500.0    /* u is normalised by ln(max(CAL_MIN, seen)) */
#define SHARP    3.0      /* score = 1 - exp(-SHARP u) */
#define PEAK_DECAY 0.99   /* per sample */
#define DAMP     0.5      /* factor on a score within the recent peak */
#define WARMUP   8        /* values learnt before anything is scored */
#define DAY      86400.0

#define SS_FLOOR 0.25
#define Z_SIGMA  1.25     /* mean |residual| -> standard deviation */

void
anomaly_init(struct anomaly *a, double raise)
{
	memset(a, 0, sizeof *a);
	a->raise = (float)(raise > 0 && raise <= 1 ? raise : ANOM_RAISE);
}

static double
clampd(double v, double lim)
{
	return v > lim ? lim : v < -lim ? -lim : v;
}

/*
 * u for z under the calibrator's history, then z joins the history.
 * Whole bins, no interpolation: z's of one episode land in the same bin
 * and tie, which the peak damping then turns into a single detection
 * (interpolating within the bin cost 6 points of standard score).
 */
static double
cal_rarity(struct anom_cal *c, double z)
{
	int b = 0;

	if (z >= 0.5) {
		double fb = 2 * log2(z) + 2;
		b = fb >= ANOM_CBINS - 1 ? ANOM_CBINS - 1 : (int)fb;
	}
	double tail = (double)c->c[b];   /* P(Z >= z): the bin counts whole */
	for (int j = b + 1; j < ANOM_CBINS; j++)
		tail += (double)c->c[j];
	double p = (tail + 0.5) / ((double)c->tot + 1);
	double norm = log((double)c->tot + 1);
	if (norm < log(CAL_MIN))
		norm = log(CAL_MIN);
	if (norm > -log(1 - CAL_DECAY))
		norm = -log(1 - CAL_DECAY);

	for (int j = 0; j < ANOM_CBINS; j++)
		c->c[j] *= (float)CAL_DECAY;
	c->tot = (float)((double)c->tot * CAL_DECAY + 1);
	c->c[b] += 1;
	return -log(p) / norm;
}

static int
slot_of(double t_s)
{
	double tod = fmod(t_s, DAY);

	if (!(tod >= 0))
		tod = tod < 0 ? tod + DAY : 0;
	int s = (int)(tod / (DAY / ANOM_SLOTS));
	return s >= ANOM_SLOTS ? ANOM_SLOTS - 1 : s < 0 ? 0 : s;
}

/* Raise at the threshold; clear after ANOM_QUIET_N quiet samples. */
static int
flag_step(struct anomaly *a, double s)
{
	if (!a->flag) {
		if (s < (double)a->raise)
			return 0;
		a->flag = true;
		a->quiet = 0;
		return 1;
	}
	if (s >= ANOM_CLEAR * (double)a->raise) {
		a->quiet = 0;
		return 0;
	}
	if (++a->quiet < ANOM_QUIET_N)
		return 0;
	a->flag = false;
	return -1;
}

double
anomaly_update(struct anomaly *a, double t_s, double x, int *edge)
{
	int e;

	if (edge)
		*edge = 0;
	if (!isfinite(x) || !isfinite(t_s)) {
		/* nothing learnt; an unknown value is no evidence */
		e = flag_step(a, 0);
		if (edge)
			*edge = e;
		return a->score = 0;
	}
	x = clampd(x, ANOM_XMAX);
	if (a->n == 0) {
		a->lvl = a->last_x = x;
		a->t_last = t_s;
		a->n = 1;
		return a->score = 0;
	}

	/* the scale: the residual deviation, never below half the
	 * smallest step the series has taken (a flat series has none) */
	double step = fabs(x - a->last_x);
	if (step > 0 && (a->floor == 0 || step < a->floor))
		a->floor = step;
	/* the state is partly float: a scale below float precision would
	 * make its rounding look like a deviation */
	double tiny = 1e-12 + 1e-6 * fabs(a->lvl);
	double scale = a->dev;
	if (scale < 0.5 * a->floor)
		scale = 0.5 * a->floor;
	if (scale < tiny)
		scale = tiny;

	/* density: recent z around the short-term level */
	double r = x - a->lvl;
	double z0 = fabs(r) / (Z_SIGMA * scale);
	double dens = a->dens + A_DENS * ((z0 < DENS_ZMAX ? z0 : DENS_ZMAX) -
	    a->dens);
	if (a->n < WARMUP)
		dens = z0 < DENS_ZMAX ? z0 : DENS_ZMAX;

	/* seasonal: distance from this hour's profile */
	int k = slot_of(t_s);
	double ss = (double)a->pdev[k];
	if (ss < 0.5 * a->floor)
		ss = 0.5 * a->floor;
	if (ss < SS_FLOOR * scale)
		ss = SS_FLOOR * scale;
	if (ss < tiny)
		ss = tiny;
	double rs = x - (double)a->prof[k];
	double zs = a->pn[k] >= 3 ? fabs(rs) / (Z_SIGMA * ss) : 0;

	double u = 0;
	if (a->n >= WARMUP) {
		double us = cal_rarity(&a->cal[0], zs);
		double ud = cal_rarity(&a->cal[1], dens);
		u = us > ud ? us : ud;
	}

	/* learn, clipped */
	double w = 1.0 / (a->n + 1);       /* plain averages while young */
	double rc = a->n < WARMUP ? r : clampd(r, CLIP * scale);
	a->lvl += (w > A_LVL ? w : A_LVL) * rc;
	a->dev += (w > A_DEV ? w : A_DEV) * (fabs(rc) - a->dev);
	a->dens = dens;

	double per_visit = a->dt > 0 ? DAY / ANOM_SLOTS / a->dt : 1;
	if (per_visit < 1)
		per_visit = 1;
	if (a->pn[k] == 0) {
		a->prof[k] = (float)x;
		a->pdev[k] = (float)scale;
	} else {
		double as = A_SEAS / per_visit;
		double rsc = clampd(rs, CLIP * ss);
		double am = as;
		/* the first visit's values are averaged: the slot starts
		 * from its mean, not from its first sample */
		if (a->pn[k] + 1 <= per_visit && am < 1.0 / (a->pn[k] + 1))
			am = 1.0 / (a->pn[k] + 1);
		a->prof[k] += (float)(am * rsc);
		a->pdev[k] += (float)(as * (fabs(rsc) - (double)a->pdev[k]));
	}
	if (a->pn[k] < UINT32_MAX)
		a->pn[k]++;

	double d = t_s - a->t_last;
	if (d > 0) {
		if (a->dt <= 0)
			a->dt = d;
		else    /* robust to gaps: a long one counts as 4 periods */
			a->dt += 0.05 * ((d > 4 * a->dt ? 4 * a->dt : d) - a->dt);
	}
	a->t_last = t_s;
	a->last_x = x;
	if (a->n < UINT32_MAX)
		a->n++;

	/* score, with an episode's repeats damped */
	double s = 1 - exp(-SHARP * u);
	double out = s > a->peak ? s : DAMP * s;
	a->peak *= PEAK_DECAY;
	if (s > a->peak)
		a->peak = s;
	e = flag_step(a, out);
	if (edge)
		*edge = e;
	return a->score = out;
}
