/*
 * test_forecast.c - time to exhaustion (agent/forecast.c) evaluated on
 * synthetic series whose answer is known, plus the estimator's contract
 * (state size, ignored samples, determinism, reasons, jumps, cost).
 *
 * Every case of the evaluation feeds one estimator sample by sample and
 * asks for the forecast after every sample.  Each step is classed by the
 * truth alone, never by the estimator's state:
 *
 *   ETA   a forecast is required and eta / truth must lie in [lo, hi]
 *         (0.8 and 1.2 unless the case says otherwise);
 *   LATE  a forecast is optional; when made, eta / truth >= lo;
 *   NONE  any forecast is a false forecast;
 *   ANY   not evaluated.
 *
 * Rules common to all cases (H = horizon, 6 h unless the case says;
 * w = H / 32, one bucket):
 *
 *   - NONE before H / 2: the warm-up (16 buckets spanning H / 2);
 *     ANY from H / 2 to H / 2 + w, where a bucket boundary decides;
 *   - ANY when the true fill is above 0.95, when the truth is below the
 *     case's e_min, or beyond 0.8 x the forecast range (10 H), where
 *     "no forecast" is right too;
 *   - a jump (step or drop) is believed confirm_s (300 s) after it:
 *     ANY (steps) or NONE (drops: the estimator answers "dropping")
 *     in between.
 *
 * Per mode (see expect()): M_ETA, the truth is when the noise-free
 * series reaches 1.0; M_RESTART, until the drop the truth is the line
 * continued (the drop cannot be known), then NONE while the fill is
 * below the level it fell from (a ramp that could be the next cycle of a
 * sawtooth), ANY until the trend is warm again and 0.1 above that level,
 * then ETA; M_SAW, ETA of the ramp continued during the first cycle,
 * NONE at every step after the first drop; M_SAW_GROW, NONE until the
 * third drop, then ETA to the first time the series reaches 1.0;
 * M_SAW_FULL, each ramp forecast to its own hit of 1.0 once warm;
 * M_SAW_STOP, NONE while the ramp after the last drop is within half a
 * cycle's amplitude of the peaks, ETA once beyond; M_KNEE, NONE while
 * flat, ETA from half a horizon into the fill; M_NONE, NONE everywhere,
 * or, for slowing fills, wherever the slowdown is evident (evident());
 * M_INFO, measured like ETA, printed, not asserted: a documented limit.
 *
 * Noise is Gaussian from a fixed-seed splitmix64 generator (the sum of
 * twelve uniforms), so every run sees the same series.  The table that
 * t_evaluation prints is the one in docs/indicators.md.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "agent/forecast.h"

#define MIN      60.0
#define HOUR     3600.0
#define DAY      86400.0

/* ---- deterministic noise ------------------------------------------------ */

#include "tests/noise.h"

/* ---- the cases ---------------------------------------------------------- */

enum shape {
	SH_LINEAR,    /* a0 + a1 t */
	SH_STEPS,     /* a0 + a1 t + a2 per step; steps every a3 from a4 */
	SH_RESTART,   /* a0 + a1 t, minus a3 from t = a2 on */
	SH_SAW,       /* a0 -> a1 over a2, then back; both grow a3 a cycle;
			 after a4 cycles (when a4 > 0) no more drops */
	SH_KNEE,      /* a0 until a2, then rising by a1 per second */
	SH_EXP,       /* a0 + a1 (1 - exp(-t / a2)) */
	SH_SQRT       /* a0 + a1 sqrt(t / a2) */
};

enum mode {
	M_ETA,        /* forecast within [lo, hi] of truth after warm-up */
	M_LATE,       /* forecast optional; never earlier than lo x truth */
	M_NONE,       /* never a forecast from t_none on */
	M_RESTART,    /* ETA before the drop, NONE below the old peak, ETA */
	M_SAW,        /* ETA of the ramp in cycle 1, NONE after the drop */
	M_SAW_GROW,   /* NONE after the first drop, ETA after the third */
	M_SAW_FULL,   /* each ramp forecast to its hit of 1.0 */
	M_SAW_STOP,   /* NONE while a cycle, ETA once it clears the peaks */
	M_KNEE,       /* NONE while flat, ETA half a horizon into the fill */
	M_INFO        /* as M_ETA, printed but not asserted: a limit */
};

enum ex { EX_ANY, EX_NONE, EX_ETA, EX_LATE };

struct tcase {
	const char *name;
	enum shape  shape;
	enum mode   mode;
	double      a[5];
	double      horizon;     /* 0: the default */
	double      period;      /* sample period, s */
	double      jitter;      /* period varies by +- this fraction */
	double      dur;         /* seconds simulated */
	double      noise;       /* sd of the Gaussian noise */
	double      spikes_h;    /* spikes per hour */
	double      spike_max;   /* spike height: 0.3 to 1 x this */
	double      spike_s;     /* spike length: up to this */
	double      gap_t;       /* no samples in [gap_t, gap_t + gap_s) */
	double      gap_s;
	double      t_none;      /* M_NONE: from here on */
	double      e_min;       /* ETA: only while truth >= e_min */
	double      lo, hi;      /* eta / truth bounds (0: 0.8, 1.2) */
};

static const struct tcase cases[] = {
	/* 1. linear fill + noise: slopes, noise levels, sample periods */
	{ "linear 1s 48h", SH_LINEAR, M_ETA, { 0.2, 0.8 / (48 * HOUR) },
	    0, 1, 0, 48 * HOUR, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 1s 8h low noise", SH_LINEAR, M_ETA,
	    { 0.05, 0.95 / (8 * HOUR) },
	    0, 1, 0, 8 * HOUR, 0.002, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 10s 24h", SH_LINEAR, M_ETA, { 0.1, 0.9 / (24 * HOUR) },
	    0, 10, 0, 24 * HOUR, 0.02, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 60s+-50% 36h", SH_LINEAR, M_ETA,
	    { 0.3, 0.7 / (36 * HOUR) },
	    0, 60, 0.5, 36 * HOUR, 0.02, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 60s 40h noise 0.04", SH_LINEAR, M_INFO,
	    { 0.2, 0.8 / (40 * HOUR) },
	    0, 60, 0, 40 * HOUR, 0.04, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 1s H=10min", SH_LINEAR, M_ETA, { 0.0, 1.0 / (2 * HOUR) },
	    600, 1, 0, 2 * HOUR, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "linear 10s + spikes", SH_LINEAR, M_ETA, { 0.2, 0.7 / (30 * HOUR) },
	    0, 10, 0, 30 * HOUR, 0.01, 2, 0.3, 120, 0, 0, 0, 0, 0, 0 },
	{ "linear 10s gap 2h", SH_LINEAR, M_ETA, { 0.1, 0.9 / (30 * HOUR) },
	    0, 10, 0, 30 * HOUR, 0.01, 0, 0, 0, 10 * HOUR, 2 * HOUR,
	    0, 0, 0, 0 },
	{ "linear 10s gap 8h", SH_LINEAR, M_ETA, { 0.1, 0.9 / (30 * HOUR) },
	    0, 10, 0, 30 * HOUR, 0.01, 0, 0, 0, 6 * HOUR, 8 * HOUR,
	    0, 0, 0, 0 },
	/* 2. fill with steps; a restart that frees 30 % */
	{ "steps +6%/100min+-10% 10s", SH_STEPS, M_ETA,
	    { 0.1, 0.2 / (24 * HOUR), 0.06, 100 * MIN, 60 * MIN },
	    0, 10, 0, 30 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 5 * HOUR, 0, 0 },
	{ "restart -30% 10s", SH_RESTART, M_RESTART,
	    { 0.1, 0.9 / (30 * HOUR), 12 * HOUR, 0.3 },
	    0, 10, 0, 40 * HOUR, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	/* 3. sawtooth 30 % -> 60 %: periods below and above the horizon */
	{ "sawtooth 1h 1s", SH_SAW, M_SAW, { 0.3, 0.6, 1 * HOUR, 0 },
	    0, 1, 0, 48 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "sawtooth 4h 60s+-30%", SH_SAW, M_SAW, { 0.3, 0.6, 4 * HOUR, 0 },
	    0, 60, 0.3, 3 * DAY, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "sawtooth 12h 10s", SH_SAW, M_SAW, { 0.3, 0.6, 12 * HOUR, 0 },
	    0, 10, 0, 5 * DAY, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "sawtooth 30h 10s", SH_SAW, M_SAW, { 0.3, 0.6, 30 * HOUR, 0 },
	    0, 10, 0, 8 * DAY, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "sawtooth peaks +5%/2h", SH_SAW, M_SAW_GROW,
	    { 0.2, 0.5, 2 * HOUR, 0.05 },
	    0, 10, 0, 24 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 10 * HOUR, 0, 0 },
	{ "sawtooth to full 8h", SH_SAW, M_SAW_FULL, { 0.3, 1.0, 8 * HOUR, 0 },
	    0, 10, 0, 3 * DAY, 0.005, 0, 0, 0, 0, 0, 0, 20 * MIN, 0, 0 },
	{ "sawtooth 4h, rotation stops", SH_SAW, M_SAW_STOP,
	    { 0.3, 0.6, 4 * HOUR, 0, 5 },
	    0, 10, 0, 30 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	/* 4. flat with spikes */
	{ "flat 0.5 + spikes 1s", SH_LINEAR, M_NONE, { 0.5, 0 },
	    0, 1, 0, 48 * HOUR, 0.01, 2, 0.3, 120, 0, 0, 0, 0, 0, 0 },
	{ "flat 0.85 + spikes 60s", SH_LINEAR, M_NONE, { 0.85, 0 },
	    0, 60, 0, 5 * DAY, 0.02, 1, 0.15, 180, 0, 0, 0, 0, 0, 0 },
	{ "flat 0.3 noisy 10s", SH_LINEAR, M_NONE, { 0.3, 0 },
	    0, 10, 0, 3 * DAY, 0.05, 0.5, 0.3, 60, 0, 0, 0, 0, 0, 0 },
	/* 5. slowing fill */
	{ "slowing to 0.8 10s", SH_EXP, M_NONE, { 0.1, 0.7, 6 * HOUR },
	    0, 10, 0, 3 * DAY, 0.005, 0, 0, 0, 0, 0, -1, 0, 0, 0 },
	{ "slowing to 0.8 60s noisy", SH_EXP, M_NONE, { 0.1, 0.7, 6 * HOUR },
	    0, 60, 0, 3 * DAY, 0.02, 0, 0, 0, 0, 0, -1, 0, 0, 0 },
	{ "slowing to 0.8 slow 10s", SH_EXP, M_NONE, { 0.1, 0.7, 24 * HOUR },
	    0, 10, 0, 6 * DAY, 0.005, 0, 0, 0, 0, 0, -1, 0, 0, 0 },
	{ "slowing, reaches 1 10s", SH_EXP, M_ETA, { 0.0, 1.25, 12 * HOUR },
	    0, 10, 0, 20 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 0, 0.7, 1.2 },
	{ "sqrt, reaches 1 10s", SH_SQRT, M_LATE, { 0.1, 0.9, 40 * HOUR },
	    0, 10, 0, 40 * HOUR, 0.005, 0, 0, 0, 0, 0, 0, 0, 0.8, 0 },
	/* 6. falling; a fill that starts late (the newer half leads) */
	{ "flat 12h, then fills 24h", SH_KNEE, M_KNEE,
	    { 0.3, 0.7 / (24 * HOUR), 12 * HOUR },
	    0, 10, 0, 36 * HOUR, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "falling 10s", SH_LINEAR, M_NONE, { 0.9, -0.5 / (24 * HOUR) },
	    0, 10, 0, 36 * HOUR, 0.01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* Step k of SH_STEPS: every a3, moved by up to +-10 % of a3. */
static double
step_time(const struct tcase *c, int k)
{
	return c->a[4] + k * c->a[3] +
	    c->a[3] * 0.1 * (double)((k * 37) % 11 - 5) / 5;
}

/* The noise-free fill at t. */
static double
fill(const struct tcase *c, double t)
{
	double k, x;
	int n;

	switch (c->shape) {
	case SH_LINEAR:
		return c->a[0] + c->a[1] * t;
	case SH_STEPS:
		for (n = 0; step_time(c, n) <= t; n++)
			;
		return c->a[0] + c->a[1] * t + c->a[2] * n;
	case SH_RESTART:
		return c->a[0] + c->a[1] * t - (t >= c->a[2] ? c->a[3] : 0);
	case SH_SAW:
		k = floor(t / c->a[2]);
		if (c->a[4] > 0 && k > c->a[4])
			k = c->a[4];
		x = t / c->a[2] - k;
		return c->a[0] + (c->a[1] - c->a[0]) * x + c->a[3] * k;
	case SH_KNEE:
		return c->a[0] + (t > c->a[2] ? c->a[1] * (t - c->a[2]) : 0);
	case SH_EXP:
		return c->a[0] + c->a[1] * (1 - exp(-t / c->a[2]));
	case SH_SQRT:
		return c->a[0] + c->a[1] * sqrt(t / c->a[2]);
	}
	return NAN;
}

/* First time the noise-free fill reaches 1.0 (1 s resolution). */
static double
hit_time(const struct tcase *c)
{
	double t;

	for (t = 0; t < 60 * DAY; t += 60)
		if (fill(c, t) >= 1)
			break;
	for (t = t > 60 ? t - 60 : 0; t < 60 * DAY; t += 1)
		if (fill(c, t) >= 1)
			return t;
	return INFINITY;
}

/*
 * Whether a slowdown is evident at t, from the truth, the noise and the
 * sample period alone (not from the estimator's state): the fill has
 * been watched for 1.5 horizons, and with W = min(horizon, t / 2) the
 * true fill rate over [t - W, t] is at most 80 % of the rate over
 * [t - 2W, t - W], and the difference exceeds EVIDENT_K standard errors
 * of the difference of two least-squares slopes of n = W / period
 * samples with the case's noise, se = noise sqrt(2 x 12 / (n W^2)).
 */
#define EVIDENT_K 4.0

static int
evident(const struct tcase *c, double h, double t)
{
	double w = t / 2 < h ? t / 2 : h, n, se, s_old, s_new;

	if (t < 1.5 * h)
		return 0;
	n = w / c->period;
	se = c->noise * sqrt(2 * 12 / (n * w * w));
	s_old = (fill(c, t - w) - fill(c, t - 2 * w)) / w;
	s_new = (fill(c, t) - fill(c, t - w)) / w;
	return s_new <= 0.8 * s_old && s_old - s_new >= EVIDENT_K * se;
}

struct result {
	long   samples;
	long   evaluated;
	long   forecasts;   /* forecasts made, evaluated steps or not */
	long   wrong;       /* ETA/LATE steps outside the bounds */
	long   falsefc;     /* NONE steps with a forecast */
	long   missed;      /* ETA steps without a forecast */
	long   eta_steps;   /* ETA/LATE steps with a forecast */
	double max_err;     /* max |eta / truth - 1| over those */
	double first_bad;   /* time of the first failing step, or -1 */
};

/* What the truth says about the step at t; *truth for ETA and LATE. */
static enum ex
expect(const struct tcase *c, double h, double t, double t_hit,
    double *truth)
{
	double warm = h / 2 + h / 32, cap = 10 * h, y = fill(c, t);
	double slope, t0, p, k;
	enum ex ex = c->mode == M_LATE ? EX_LATE : EX_ETA;

	/* every series starts at 0: no forecast before the warm-up */
	if (t < h / 2)
		return EX_NONE;

	switch (c->mode) {
	case M_NONE:
		/* slowing: wherever the slowdown is evident */
		if (c->t_none < 0)
			return evident(c, h, t) ? EX_NONE : EX_ANY;
		return t >= c->t_none ? EX_NONE : EX_ANY;
	case M_ETA:
	case M_LATE:
	case M_INFO:
		/* a step is believed confirm_s (300 s) after it */
		for (k = 0; c->shape == SH_STEPS && step_time(c, (int)k) <= t;
		    k++)
			if (t < step_time(c, (int)k) + 300 + c->period)
				return EX_ANY;
		/* a gap longer than the horizon empties the window */
		if (c->gap_s >= h && t >= c->gap_t &&
		    t < c->gap_t + c->gap_s + warm)
			return t < c->gap_t + c->gap_s + h / 2 ? EX_NONE :
			    EX_ANY;
		*truth = t_hit - t;
		break;
	case M_RESTART:
		t0 = c->a[2];
		p = c->a[0] + c->a[1] * t0;   /* the level it fell from */
		if (t < t0)   /* until the drop, the drop is unknowable */
			*truth = (1 - y) / c->a[1];
		else if (y <= p)
			return EX_NONE;
		else if (y <= p + 0.1 || t < t0 + warm)
			return EX_ANY;
		else
			*truth = t_hit - t;
		break;
	case M_SAW:
		if (t >= c->a[2])
			return EX_NONE;
		slope = (c->a[1] - c->a[0]) / c->a[2];
		*truth = (1 - y) / slope;   /* the ramp, continued */
		break;
	case M_SAW_GROW:
		if (t < 3 * c->a[2])
			return EX_NONE;
		/* from the third reset's confirmation on */
		if (t < 3 * c->a[2] + 300 + c->period)
			return EX_ANY;
		*truth = t_hit - t;
		break;
	case M_SAW_STOP:
		/*
		 * After the last drop the ramp goes on: a cycle until it
		 * clears the peaks by half the cycle's amplitude (less 0.01
		 * for the measured peaks and amplitudes), a fill once it is
		 * 0.05 beyond that and the trend is warm again.
		 */
		if (t < c->a[2])
			return EX_ANY;
		p = c->a[1] + (c->a[1] - c->a[0]) / 2;
		if (y <= p - 0.01)
			return EX_NONE;
		if (y <= p + 0.05 || t < c->a[2] * c->a[4] + 300 + warm)
			return EX_ANY;
		*truth = t_hit - t;
		break;
	case M_KNEE:
		if (t < c->a[2])
			return EX_NONE;
		if (t < c->a[2] + warm)
			return EX_ANY;
		*truth = t_hit - t;
		break;
	case M_SAW_FULL:
		k = floor(t / c->a[2]);
		t0 = k * c->a[2];
		/*
		 * Each reset is confirmed confirm_s (300 s) after it; the
		 * new trend warms up from there.
		 */
		if (k > 0 && t - t0 < 300 + h / 2)
			return EX_NONE;
		if (t - t0 < warm + (k > 0 ? 300 + c->period : 0))
			return EX_ANY;
		*truth = t0 + c->a[2] - t;
		break;
	}
	if (t < warm || y > 0.95 || *truth < c->e_min || *truth > 0.8 * cap)
		return EX_ANY;
	return ex;
}

static void
run(const struct tcase *c, struct result *r)
{
	struct forecast_params p;
	struct forecast_out o;
	static struct forecast f;
	double t, y, truth = 0, dt, err, t_hit, h;
	double lo = c->lo > 0 ? c->lo : 0.8, hi = c->hi > 0 ? c->hi : 1.2;
	double spike = 0, spike_end = 0;
	int have;
	enum ex ex;

	memset(r, 0, sizeof(*r));
	r->first_bad = -1;
	forecast_params_default(&p);
	if (c->horizon > 0)
		p.horizon_s = c->horizon;
	h = p.horizon_s;
	forecast_init(&f, &p);
	seed(c->name);
	t_hit = hit_time(c);
	for (t = 0; t <= c->dur; t += dt) {
		dt = c->period * (1 + c->jitter * (2 * urand() - 1));
		y = fill(c, t) + c->noise * gauss();
		if (spike > 0 && t >= spike_end)
			spike = 0;
		if (spike == 0 && c->spikes_h > 0 &&
		    urand() < c->spikes_h * dt / HOUR) {
			spike = c->spike_max * (0.3 + 0.7 * urand());
			spike_end = t + 1 + (c->spike_s - 1) * urand();
		}
		if (t >= c->gap_t && t < c->gap_t + c->gap_s)
			continue;
		forecast_add(&f, t, y + spike);
		forecast_get(&f, &o);
		r->samples++;
		have = o.why == FORECAST_OK || o.why == FORECAST_OK_PEAKS;
		r->forecasts += have;
		ex = expect(c, h, t, t_hit, &truth);
		if (ex == EX_ANY)
			continue;
		r->evaluated++;
		if (ex == EX_NONE) {
			if (have) {
				r->falsefc++;
				if (r->first_bad < 0)
					r->first_bad = t;
			}
			continue;
		}
		if (!have) {
			if (ex == EX_ETA) {
				r->missed++;
				if (r->first_bad < 0)
					r->first_bad = t;
			}
			continue;
		}
		r->eta_steps++;
		err = o.eta_s / truth - 1;
		if (fabs(err) > r->max_err)
			r->max_err = fabs(err);
		if (err < lo - 1 || (ex == EX_ETA && err > hi - 1)) {
			r->wrong++;
			if (r->first_bad < 0)
				r->first_bad = t;
		}
	}
}

/* ---- the evaluation table ----------------------------------------------- */

/* What the case asserts, for the table ("none": no forecast allowed). */
static const char *
bound(const struct tcase *c)
{
	static char buf[64];
	double lo = c->lo > 0 ? c->lo : 0.8, hi = c->hi > 0 ? c->hi : 1.2;

	if (c->mode == M_LATE) {
		snprintf(buf, sizeof(buf), ">= %+.0f %%, or none",
		    100 * (lo - 1));
		return buf;
	}
	snprintf(buf, sizeof(buf), "%+.0f %% .. %+.0f %%", 100 * (lo - 1),
	    100 * (hi - 1));
	switch (c->mode) {
	case M_NONE:
		return c->t_none < 0 ? "none where evident" : "none";
	case M_INFO:
		return "(not asserted)";
	case M_SAW:
		return "ramp 1 +-20 %, then none";
	case M_SAW_GROW:
		return "none, +-20 % from drop 3";
	case M_SAW_STOP:
		return "none below peaks, then +-20 %";
	case M_RESTART:
		return "+-20 %, none below old level";
	case M_KNEE:
		return "none while flat, then +-20 %";
	default:
		return buf;
	}
}

static void
t_evaluation(void **state)
{
	struct result r[NCASES];
	size_t i;
	int bad = 0;

	(void)state;
	printf("| case | samples | evaluated | forecasts | max rel. error "
	    "| bound | false | missed | out of bounds |\n");
	printf("|---|--:|--:|--:|--:|---|--:|--:|--:|\n");
	for (i = 0; i < NCASES; i++) {
		const struct tcase *c = &cases[i];

		run(c, &r[i]);
		printf("| %s | %ld | %ld | %ld | ", c->name, r[i].samples,
		    r[i].evaluated, r[i].forecasts);
		if (r[i].eta_steps > 0)
			printf("%.1f %% | ", 100 * r[i].max_err);
		else
			printf("- | ");
		printf("%s |", bound(c));
		printf(" %ld | %ld | %ld |\n", r[i].falsefc, r[i].missed,
		    r[i].wrong);
	}
	fflush(stdout);
	for (i = 0; i < NCASES; i++) {
		if (cases[i].mode == M_INFO ||
		    (r[i].falsefc == 0 && r[i].missed == 0 &&
		    r[i].wrong == 0 && r[i].evaluated > 0))
			continue;
		print_message("FAIL %s: first failing step at t = %.0f s\n",
		    cases[i].name, r[i].first_bad);
		bad++;
	}
	assert_int_equal(bad, 0);
}

/* ---- properties --------------------------------------------------------- */

static void
t_size(void **state)
{
	(void)state;
	printf("sizeof(struct forecast) = %zu bytes\n",
	    sizeof(struct forecast));
	assert_true(sizeof(struct forecast) <= 1024);
}

static void
feed_linear(struct forecast *f, double t0, double t1, double dt)
{
	double t;

	for (t = t0; t < t1; t += dt)
		forecast_add(f, t, 0.2 + t / (40 * HOUR) + 0.01 * gauss());
}

/* NAN, infinities and time that does not advance leave no trace. */
static void
t_ignored(void **state)
{
	static struct forecast f, g;
	double eta;

	(void)state;
	seed("ignored");
	forecast_init(&f, NULL);
	feed_linear(&f, 0, 4 * HOUR, 10);
	assert_int_equal(forecast_eta(&f, &eta), 1);
	memcpy(&g, &f, sizeof(f));
	forecast_add(&f, 4 * HOUR, NAN);
	forecast_add(&f, f.t_last, 0.99);       /* time did not advance */
	forecast_add(&f, f.t_last - 1e-9, 0.0); /* nor here */
	forecast_add(&f, 3 * HOUR, 0.5);        /* time went back */
	forecast_add(&f, 5 * HOUR, INFINITY);
	forecast_add(&f, 5 * HOUR, -INFINITY);
	forecast_add(&f, NAN, 0.5);
	forecast_add(&f, INFINITY, 0.5);
	assert_memory_equal(&f, &g, sizeof(f));
}

/* The same input gives the same bytes, twice. */
static void
t_determinism(void **state)
{
	static struct forecast f, g;
	struct forecast_out a, b;
	double t, y;
	int pass;

	(void)state;
	for (pass = 0; pass < 2; pass++) {
		struct forecast *e = pass == 0 ? &f : &g;

		seed("determinism");
		forecast_init(e, NULL);
		for (t = 0; t < 3 * DAY; t += 7) {
			y = 0.2 + 0.3 * fmod(t, 5 * HOUR) / (5 * HOUR) +
			    0.01 * gauss() + (urand() < 0.001 ? 0.3 : 0);
			forecast_add(e, t, y);
		}
	}
	assert_memory_equal(&f, &g, sizeof(f));
	forecast_get(&f, &a);
	forecast_get(&g, &b);
	assert_true(a.why == b.why && a.eta_s == b.eta_s &&
	    a.slope == b.slope && a.z == b.z);
	assert_true(f.resets > 10);
}

/* Reasons for no forecast, in the order a series goes through them. */
static void
t_reasons(void **state)
{
	static struct forecast f;
	struct forecast_out o;
	struct forecast_params p;
	double t, eta = -1;

	(void)state;
	forecast_init(&f, NULL);
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_WARMING);
	assert_true(isnan(o.level));

	/* flat: warming, then flat */
	seed("reasons");
	for (t = 0; t < 3 * HOUR; t += 10)
		forecast_add(&f, t, 0.4 + 0.01 * gauss());
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_WARMING);
	for (; t < 8 * HOUR; t += 10)
		forecast_add(&f, t, 0.4 + 0.01 * gauss());
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_FLAT);
	assert_true(fabs(o.level - 0.4) < 0.01);
	assert_int_equal(forecast_eta(&f, &eta), 0);
	assert_true(eta == -1);

	/* a rise that would take 100 h: beyond 10 x 6 h */
	for (; t < 16 * HOUR; t += 10)
		forecast_add(&f, t, 0.4 + (t - 8 * HOUR) / (100 * HOUR / 0.6));
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_BEYOND);
	assert_true(o.slope > 0);

	/* a drop of 30 %: dropping while confirmed, then warming again */
	forecast_add(&f, t, 0.2);
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_DROPPING);
	for (t += 10; t < 16 * HOUR + 400; t += 10)
		forecast_add(&f, t, 0.2);
	forecast_get(&f, &o);
	assert_int_equal(o.why, FORECAST_WARMING);
	assert_int_equal(f.resets, 1);

	/* out-of-range parameters fall back to the defaults */
	memset(&p, 0xff, sizeof(p));   /* NANs */
	p.horizon_s = -1;
	forecast_init(&f, &p);
	assert_true(f.p.horizon_s == 6 * HOUR);
	assert_true(f.p.z == 4);
	assert_true(f.p.min_jump == 0.05);
	assert_string_equal(forecast_why_str(FORECAST_CYCLE), "cycle");
}

/* The answer after feeding the named case (with its noise) until t_stop. */
static void
answer_at(const char *name, double t_stop, struct forecast_out *o)
{
	static struct forecast f;
	struct forecast_params p;
	const struct tcase *c = NULL;
	size_t i;
	double t;

	for (i = 0; i < NCASES; i++)
		if (strcmp(cases[i].name, name) == 0)
			c = &cases[i];
	assert_non_null(c);
	seed(name);
	forecast_params_default(&p);
	if (c->horizon > 0)
		p.horizon_s = c->horizon;
	forecast_init(&f, &p);
	for (t = 0; t <= t_stop; t += c->period)
		forecast_add(&f, t, fill(c, t) + c->noise * gauss());
	forecast_get(&f, o);
}

/* Each reason, from a case that must end up there. */
static void
t_reasons_cases(void **state)
{
	static const struct {
		const char       *name;
		double            t;
		enum forecast_why why;
	} tab[] = {
		{ "linear 10s 24h", 2 * HOUR, FORECAST_WARMING },
		{ "linear 10s 24h", 12 * HOUR, FORECAST_OK },
		{ "falling 10s", 12 * HOUR, FORECAST_FALLING },
		{ "flat 0.3 noisy 10s", 12 * HOUR, FORECAST_FLAT },
		{ "slowing to 0.8 10s", 12 * HOUR, FORECAST_SLOWING },
		{ "sawtooth 12h 10s", 30 * HOUR, FORECAST_CYCLE },
		{ "sawtooth 12h 10s", 24 * HOUR + 60, FORECAST_DROPPING },
		{ "sawtooth peaks +5%/2h", 12 * HOUR, FORECAST_OK_PEAKS },
		/* 1.8 h to full, more than 10 x 10 min */
		{ "linear 1s H=10min", 10 * MIN, FORECAST_BEYOND },
		{ "linear 1s H=10min", 40 * MIN, FORECAST_OK },
	};
	struct forecast_out o;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		answer_at(tab[i].name, tab[i].t, &o);
		print_message("%s at %.0f s: %s\n", tab[i].name, tab[i].t,
		    forecast_why_str(o.why));
		assert_int_equal(o.why, tab[i].why);
	}
}

/* An upward spike is not a jump; an upward step that stays is. */
static void
t_jumps(void **state)
{
	static struct forecast f;
	double t;

	(void)state;
	forecast_init(&f, NULL);
	for (t = 0; t < HOUR; t += 1)
		forecast_add(&f, t, 0.4 + (t >= 1000 && t < 1200 ? 0.3 : 0));
	assert_int_equal(f.nsteps, 0);
	assert_int_equal(f.resets, 0);
	assert_true(f.offset == 0);
	for (; t < 2 * HOUR; t += 1)
		forecast_add(&f, t, 0.5);
	assert_int_equal(f.nsteps, 1);
	assert_true(fabs(f.offset - 0.1) < 1e-9);
	assert_int_equal(f.resets, 0);
}

static double
ns_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1e9 + (b.tv_nsec - a->tv_nsec);
}

/*
 * Cost per sample and per answer: printed, never asserted (no timed
 * tests).  Three feeds: 1 s samples (a refit every 675 samples), one
 * sample per bucket (a refit every sample: the worst case), and the
 * answer on a damped trend (the longest walk).
 */
static void
t_speed(void **state)
{
	static struct forecast f;
	static double y[4096];
	struct forecast_out o;
	struct timespec a;
	double t = 0, sink = 0, ns;
	long i, n = 2000000;

	(void)state;
	seed("speed");
	for (i = 0; i < 4096; i++)
		y[i] = 0.01 * gauss();
	forecast_init(&f, NULL);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n; i++) {
		t += 1;
		forecast_add(&f, t, 0.3 + y[i & 4095] + t * 1e-7);
	}
	ns = ns_since(&a) / n;
	printf("forecast_add: %.1f ns per sample, 1 s apart\n", ns);

	forecast_init(&f, NULL);
	t = 0;
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n / 10; i++) {
		t += f.w;
		forecast_add(&f, t, 0.3 + y[i & 4095] + t * 1e-7);
	}
	ns = ns_since(&a) / (n / 10);
	printf("forecast_add: %.1f ns per sample, one per bucket (refit "
	    "each)\n", ns);

	forecast_init(&f, NULL);
	for (t = 0; t < 12 * HOUR; t += 10)
		forecast_add(&f, t, 0.1 + 0.7 * (1 - exp(-t / (6 * HOUR))));
	forecast_get(&f, &o);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (i = 0; i < n / 10; i++) {
		forecast_get(&f, &o);
		sink += o.eta_s;
	}
	ns = ns_since(&a) / (n / 10);
	printf("forecast_get: %.1f ns per answer, damped trend (%s)\n", ns,
	    forecast_why_str(o.why));
	assert_true(sink >= 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_size),
		cmocka_unit_test(t_ignored),
		cmocka_unit_test(t_determinism),
		cmocka_unit_test(t_reasons),
		cmocka_unit_test(t_reasons_cases),
		cmocka_unit_test(t_jumps),
		cmocka_unit_test(t_evaluation),
		cmocka_unit_test(t_speed),
	};

	return cmocka_run_group_tests_name("forecast", tests, NULL, NULL);
}
