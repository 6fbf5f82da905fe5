/*
 * forecast.c - time to exhaustion (see forecast.h and docs/indicators.md).
 *
 * A sample goes through three stages:
 *
 *   1. jump filter: a sample further than the jump threshold from the
 *      recent level (accepted samples averaged over confirm_s / 4) opens
 *      a pending jump and is held back.  The jump is confirmed when the
 *      fill stays on that side for confirm_s; it is a spike (or a dip)
 *      and forgotten when the fill comes back first.  Held-back samples
 *      never reach the trend, so spikes cannot bend it.
 *   2. buckets: accepted samples, minus the sum of confirmed upward
 *      jumps, are averaged into time buckets of horizon / NBUCKETS; the
 *      last NBUCKETS buckets are kept.
 *   3. fit: when a bucket closes, a Mann-Kendall test on the bucket
 *      means says whether the fill rises at all, a least-squares line
 *      says how fast, and the window's halves and its slope of one to
 *      1.5 horizons ago say whether it is slowing down (damping) or
 *      speeding up.
 *
 * forecast_get() turns the cached fit, the jumps and the cycle peaks into
 * an answer for "now" (the last sample's time) without changing state.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "forecast.h"

#define NB        FORECAST_NBUCKETS
#define NOISE_K   6.0      /* jump threshold in units of sample noise */
#define NOISE_N   32.0     /* samples in the noise average */
#define MIN_HALF  4        /* buckets each half needs for a change test */
#define CHANGE    0.05     /* slope change that matters: 5 % */
#define Z_CHANGE  3.0      /* damping: standard errors given to the fill */
#define MAX_ITER  1024     /* bound on the damped model's steps */

#if (NB & (NB - 1)) != 0 || NB > 64
#error "FORECAST_NBUCKETS must be a power of two, at most 64"
#endif

void
forecast_params_default(struct forecast_params *p)
{
	p->horizon_s = 6 * 3600.0;
	p->max_factor = 10.0;
	p->min_jump = 0.05;
	p->confirm_s = 300.0;
	p->full_peak = 0.95;
	p->z = 4.0;
}

/* A parameter outside its range falls back to the default (NAN too). */
static double
param(double v, double lo, double hi, double def)
{
	return v >= lo && v <= hi ? v : def;
}

static void
seg_start(struct forecast *f, double t)
{
	f->epoch = t;
	f->offset = 0;
	f->cur = 0;
	f->cur_n = 0;
	f->cur_sy = 0;
	f->cur_st = 0;
	f->valid = 0;
	/* Upward jumps belong to the process that was just reset. */
	f->nsteps = 0;
	f->istep = 0;
	memset(&f->fit, 0, sizeof(f->fit));
	f->fit.why = FORECAST_WARMING;
	memset(f->past, 0, sizeof(f->past));
}

void
forecast_init(struct forecast *f, const struct forecast_params *p)
{
	struct forecast_params d;

	forecast_params_default(&d);
	/* memset, not assignment: padding must compare equal (memcmp). */
	memset(f, 0, sizeof(*f));
	if (p == NULL)
		p = &d;
	f->p.horizon_s = param(p->horizon_s, 60, 1e8, d.horizon_s);
	f->p.max_factor = param(p->max_factor, 1, 1000, d.max_factor);
	f->p.min_jump = param(p->min_jump, 1e-6, 1, d.min_jump);
	f->p.confirm_s = param(p->confirm_s, 0, 1e6, d.confirm_s);
	f->p.full_peak = param(p->full_peak, 0, 1, d.full_peak);
	f->p.z = param(p->z, 0.5, 100, d.z);
	f->w = f->p.horizon_s / NB;
	seg_start(f, 0);
}

static double
threshold(const struct forecast *f)
{
	double k = NOISE_K * f->noise;

	return k > f->p.min_jump ? k : f->p.min_jump;
}

/* ---- least squares --------------------------------------------------- */

struct lsq {
	double xm, ym;   /* centre of mass */
	double b;        /* slope */
	double se;       /* standard error of the slope */
	double z;        /* b / se */
};

static void
lsq(const double *x, const double *y, int n, struct lsq *r)
{
	double sxx = 0, sxy = 0, syy = 0, sse, dx, dy;
	int i;

	r->xm = r->ym = r->b = r->se = r->z = 0;
	if (n < 1)
		return;
	for (i = 0; i < n; i++) {
		r->xm += x[i];
		r->ym += y[i];
	}
	r->xm /= n;
	r->ym /= n;
	for (i = 0; i < n; i++) {
		dx = x[i] - r->xm;
		dy = y[i] - r->ym;
		sxx += dx * dx;
		sxy += dx * dy;
		syy += dy * dy;
	}
	if (n < 3 || sxx <= 0)
		return;
	r->b = sxy / sxx;
	sse = syy - r->b * sxy;
	if (sse < 0)
		sse = 0;
	r->se = sqrt(sse / (n - 2) / sxx);
	/*
	 * A perfect line (no residual) is infinitely significant; keep z
	 * finite so that it prints and compares.
	 */
	if (r->se > 1e-12 * fabs(r->b))
		r->z = r->b / r->se;
	else
		r->z = r->b > 0 ? 1e12 : r->b < 0 ? -1e12 : 0;
}

/*
 * Mann-Kendall trend test: rising pairs minus falling pairs, as a z
 * score.  It only counts signs, so one spike that bends a least-squares
 * line (and shrinks its standard error) moves it by one bucket's pairs.
 */
static double
mk_z(const double *y, int n)
{
	int i, j, s = 0;

	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			s += (y[j] > y[i]) - (y[j] < y[i]);
	/* continuity correction */
	s -= s > 0 ? 1 : s < 0 ? -1 : 0;
	return n < 3 ? 0 : s / sqrt(n * (n - 1.0) * (2 * n + 5) / 18);
}

static enum forecast_why
sig(const struct forecast *f, double z)
{
	if (z >= f->p.z)
		return FORECAST_OK;
	return z <= -f->p.z ? FORECAST_FALLING : FORECAST_FLAT;
}

/*
 * Average over one step of a slope that decays geometrically by rho per
 * step, as a fraction of the slope at the step's start: (1 - rho) /
 * ln(1 / rho), by Simpson's rule (within 1 % for rho >= 0.1).
 */
static double
decay_avg(double rho)
{
	return (1 + 4 * sqrt(rho) + rho) / 6;
}

/* Seconds of the present slope still to come under damping rho/delta. */
static double
damped_reach(double rho, double delta)
{
	return rho < 1 ? delta * decay_avg(rho) / (1 - rho) : (double)INFINITY;
}

/*
 * Damping: the slope is taken to shrink by a factor rho every delta
 * seconds, a damped trend whose damping is measured, not assumed.  Two
 * measures, the stronger wins:
 *
 *   - the halves of the window: rho = newer slope / older slope, delta =
 *     the distance between their centres;
 *   - the window's slope now against its slope one to 1.5 horizons ago
 *     (disjoint windows): sees a slowdown too gradual for the halves,
 *     and late in a levelling-off, when the present slope is small and
 *     the old one was well measured.
 *
 * Each rho is the least damping its data allow: the newer slope is
 * raised by Z_CHANGE standard errors (of the difference) first.  Noise
 * in a straight fill rarely damps it, and then only a little; a fill
 * that levels off is damped as soon as the data show it.  Damping below
 * CHANGE is ignored.
 *
 * A fill that speeds up (the newer half steeper by z standard errors
 * and CHANGE) is forecast from the newer half, undamped.
 */
static void
damping(struct forecast *f, const double *x, const double *y, int n,
    double base, const struct lsq *a, struct forecast_fit *o)
{
	double mid = (x[0] + x[n - 1]) / 2, sd, rho, reach = (double)INFINITY;
	const struct forecast_past *p;
	struct lsq c, d;
	int m, i, faster = 0;

	for (m = 0; m < n && x[m] < mid; m++)
		;
	if (m >= MIN_HALF && n - m >= MIN_HALF) {
		lsq(x, y, m, &c);
		lsq(x + m, y + m, n - m, &d);
		sd = sqrt(c.se * c.se + d.se * d.se);
		if (c.b > 0) {
			rho = (d.b + Z_CHANGE * sd) / c.b;
			if (rho < 0)
				rho = 0;
			if (rho < 1 - CHANGE) {
				o->rho = rho;
				o->delta = d.xm - c.xm;
				reach = damped_reach(rho, o->delta);
			}
		}
		faster = d.b - c.b > f->p.z * sd &&
		    d.b > c.b + CHANGE * fabs(c.b);
	}
	for (i = 0; i < 3 && !faster; i++) {
		p = &f->past[i];
		if (p->idx == 0 || f->cur - p->idx < NB ||
		    f->cur - p->idx >= NB + NB / 2 ||
		    !((double)p->b > Z_CHANGE * (double)p->se))
			continue;
		sd = sqrt(a->se * a->se + (double)p->se * (double)p->se);
		rho = (a->b + Z_CHANGE * sd) / (double)p->b;
		if (rho < 0)
			rho = 0;
		if (rho < 1 - CHANGE &&
		    damped_reach(rho, (f->cur - p->idx) * f->w) < reach) {
			o->rho = rho;
			o->delta = (f->cur - p->idx) * f->w;
			reach = damped_reach(rho, o->delta);
		}
	}
	if (faster) {
		o->t0 = base + d.xm;
		o->y0 = d.ym;
		o->s0 = d.b;
		o->z = d.z;
	}
}

/* Refit the window; cur is the open bucket, the window is [cur-NB, cur). */
static void
refit(struct forecast *f)
{
	double x[NB], y[NB], base;
	struct forecast_fit *o = &f->fit;
	struct forecast_past *p;
	struct lsq a;
	uint32_t i, idx, slot;
	int n = 0;

	for (i = NB; i >= 1; i--) {
		if (i > f->cur)
			continue;
		idx = f->cur - i;
		slot = idx & (NB - 1);
		if (!(f->valid & ((uint64_t)1 << slot)))
			continue;
		/* seconds from the open bucket's start: small, negative */
		x[n] = -(double)i * f->w + (double)f->b[slot].dt;
		y[n] = (double)f->b[slot].y;
		n++;
	}
	memset(o, 0, sizeof(*o));
	o->n = n;
	o->rho = 1;
	o->why = FORECAST_WARMING;
	/*
	 * Warm-up: half the buckets hold samples and they span half the
	 * horizon.  Fewer would let the last minutes stand for the trend.
	 */
	if (n < NB / 2 || x[n - 1] - x[0] < (NB / 2 - 1) * f->w)
		return;
	base = f->epoch + (double)f->cur * f->w;
	lsq(x, y, n, &a);
	o->t0 = base + a.xm;
	o->y0 = a.ym;
	o->s0 = a.b;
	o->z = a.z;
	/*
	 * Whether it rises at all is the Mann-Kendall test's to say: a
	 * least-squares z believes a spike at the end of the window.  The
	 * line is still the better estimate of how fast.
	 */
	o->why = sig(f, mk_z(y, n));
	damping(f, x, y, n, base, &a, o);
	/* Every half horizon, keep the window's slope for later. */
	if (f->cur % (NB / 2) == 0) {
		p = &f->past[(f->cur / (NB / 2)) % 3];
		p->idx = f->cur;
		p->b = (float)a.b;
		p->se = (float)a.se;
	}
}

/* ---- samples ------------------------------------------------------------ */

static void
bucket_add(struct forecast *f, double t, double u)
{
	double x = (t - f->epoch) / f->w;
	uint32_t k, j, slot;

	/* After 2^31 buckets (decades), start a new segment. */
	if (x >= 2147483647.0) {
		seg_start(f, t);
		x = 0;
	}
	k = (uint32_t)x;
	if (k != f->cur) {
		if (f->cur_n > 0) {
			slot = f->cur & (NB - 1);
			f->b[slot].y = (float)(f->cur_sy / f->cur_n);
			f->b[slot].dt = (float)(f->cur_st / f->cur_n);
			f->valid |= (uint64_t)1 << slot;
		}
		/* Buckets skipped by a gap: their slots hold expired data. */
		if (k - f->cur > NB)
			f->valid = 0;
		else
			for (j = f->cur + 1; j < k; j++)
				f->valid &= ~((uint64_t)1 << (j & (NB - 1)));
		f->cur = k;
		f->cur_n = 0;
		f->cur_sy = 0;
		f->cur_st = 0;
		refit(f);
	}
	f->cur_n++;
	f->cur_sy += u;
	f->cur_st += (t - f->epoch) - (double)k * f->w;
}

static void
accept(struct forecast *f, double t, double dt, double y, double d,
    double thr)
{
	double a = fabs(d);

	/*
	 * Clipped at half the threshold, so that spikes below it do not
	 * inflate the noise (and the threshold with it).
	 */
	f->noise += ((a < thr / 2 ? a : thr / 2) - f->noise) / NOISE_N;
	/*
	 * The reference level: an average over about confirm_s / 4, so a
	 * jump's size is measured against a quiet level, not one sample.
	 */
	if (dt + f->p.confirm_s > 0)
		f->lvl += (y - f->lvl) * dt / (dt + f->p.confirm_s / 4);
	else
		f->lvl = y;
	bucket_add(f, t, y - f->offset);
}

static void
jump_begin(struct forecast *f, double t, double y, int dir, double pre)
{
	f->jump_dir = dir;
	f->jump_t = t;
	f->jump_pre = pre;
	f->jump_sum = y;
	f->jump_n = 1;
}

static void
event_push(struct forecast_event *ring, uint16_t cap, uint16_t *n,
    uint16_t *i, double t, double v, double a)
{
	*i = (uint16_t)((*i + 1) % cap);
	ring[*i].t = t;
	ring[*i].v = (float)v;
	ring[*i].a = (float)a;
	if (*n < cap)
		(*n)++;
}

static void
jump_confirm(struct forecast *f, double t)
{
	double level = f->jump_sum / f->jump_n;

	if (f->jump_dir > 0) {
		/* Keep the trend; take the jump out of it as an offset. */
		f->offset += level - f->jump_pre;
		event_push(f->step, FORECAST_NSTEPS, &f->nsteps, &f->istep,
		    f->jump_t, level - f->jump_pre, 0);
	} else {
		/*
		 * A reset: the line before it says nothing about the fill
		 * after it (no falling-then-rising artefact).  Remember the
		 * level it fell from: the peak of a cycle.
		 */
		event_push(f->peak, FORECAST_NPEAKS, &f->npeaks, &f->ipeak,
		    f->jump_t, f->jump_pre, f->jump_pre - level);
		if (f->resets < UINT32_MAX)
			f->resets++;
		seg_start(f, t);
	}
	f->lvl = level;
	f->jump_dir = 0;
}

void
forecast_add(struct forecast *f, double t, double y)
{
	double dt, ref, thr, d;
	int dir;

	if (!isfinite(t) || !isfinite(y))
		return;
	if (f->nsamples == 0) {
		f->nsamples = 1;
		f->t_last = t;
		seg_start(f, t);
		f->lvl = y;
		accept(f, t, 0, y, 0, f->p.min_jump);
		return;
	}
	if (!(t > f->t_last))
		return;
	dt = t - f->t_last;
	f->t_last = t;
	if (f->nsamples < UINT32_MAX)
		f->nsamples++;
	thr = threshold(f);
	ref = f->lvl;
	if (f->jump_dir == 0) {
		d = y - ref;
		/*
		 * A rise across a gap longer than confirm_s happened while
		 * nobody looked: it is fill, not a jump.  A fall is a reset
		 * either way.
		 */
		if (d < -thr || (d > thr && dt <= f->p.confirm_s))
			jump_begin(f, t, y, d > 0 ? 1 : -1, ref);
		else {
			accept(f, t, dt, y, d, thr);
			/* the reference starts afresh after the gap */
			if (d > thr)
				f->lvl = y;
		}
	} else {
		d = y - f->jump_pre;
		dir = d > thr / 2 ? 1 : d < -thr / 2 ? -1 : 0;
		if (dir == 0) {
			/* back where it was: a spike or a dip */
			f->jump_dir = 0;
			accept(f, t, dt, y, y - ref, thr);
			return;
		}
		if (dir != f->jump_dir)
			jump_begin(f, t, y, dir, f->jump_pre);
		else {
			f->jump_sum += y;
			f->jump_n++;
		}
	}
	if (f->jump_dir != 0 && f->jump_n >= 2 &&
	    t - f->jump_t >= f->p.confirm_s)
		jump_confirm(f, t);
}

/* ---- the answer --------------------------------------------------------- */

/*
 * Rate of repeated upward jumps: two or more within the horizon are a
 * fill process (a batch job writing a file every hour).  The sizes of
 * all but the oldest over the time from the oldest to the newest; once
 * the time since the newest is more than twice the mean interval, over
 * half that time per interval instead, so the rate fades when the jumps
 * stop but not when one comes a little late.  One jump alone is a level
 * shift and adds nothing.
 */
static double
step_rate(const struct forecast *f, double now)
{
	double t_old = 0, t_new = 0, sum = 0, span;
	int n = 0, k, i;

	for (k = 0; k < f->nsteps; k++) {
		i = (f->istep + FORECAST_NSTEPS - k) % FORECAST_NSTEPS;
		if (now - f->step[i].t > f->p.horizon_s)
			break;
		n++;
	}
	if (n < 2)
		return 0;
	/* The oldest opens the first interval; the newest n-1 fill them. */
	for (k = 0; k < n; k++) {
		i = (f->istep + FORECAST_NSTEPS - k) % FORECAST_NSTEPS;
		if (k == 0)
			t_new = f->step[i].t;
		if (k == n - 1)
			t_old = f->step[i].t;
		else
			sum += (double)f->step[i].v;
	}
	span = t_new - t_old;
	if ((n - 1) * (now - t_new) / 2 > span)
		span = (n - 1) * (now - t_new) / 2;
	return span > 0 ? sum / span : 0;
}

/*
 * Walk the model forward from t0: the slope starts at s0 and shrinks by
 * rho every delta seconds (walked in quarter steps, each at its average
 * slope, decay_avg); after `now`, rs (repeated jumps) adds to it.  Finds
 * when the fill reaches 1.0, and the level and slope now.  Stops early
 * once the damped rise still to come cannot reach 1.0.
 */
static enum forecast_why
walk(double t0, double y0, double s0, double rho, double delta, double rs,
    double now, double t_end, double *t_hit, double *level, double *slope)
{
	double t = t0, u = y0, r = s0, chunk_end, next, rate;
	int iter, seen_now = 0;

	*level = NAN;
	*slope = 0;
	if (rho >= 1 || delta <= 0) {
		rho = 1;
		delta = t_end - t0 + 1;
	} else {
		rho = sqrt(sqrt(rho));
		delta /= 4;
	}
	chunk_end = t0 + delta;
	for (iter = 0; iter < MAX_ITER && t < t_end; iter++) {
		rate = r * decay_avg(rho) + (t >= now ? rs : 0);
		if (t >= now && !seen_now) {
			seen_now = 1;
			*level = u;
			*slope = rate;
			if (rho < 1 && rs <= 0 && u < 1 &&
			    u + r * damped_reach(rho, delta) < 1)
				return FORECAST_SLOWING;
		}
		if (u >= 1) {
			*t_hit = t;
			break;
		}
		next = t < now && chunk_end > now ? now : chunk_end;
		if (rate > 0 && u + rate * (next - t) >= 1) {
			*t_hit = t + (1 - u) / rate;
			break;
		}
		u += rate * (next - t);
		t = next;
		if (t >= chunk_end) {
			r *= rho;
			chunk_end += delta;
		}
	}
	if (iter == MAX_ITER || t >= t_end) {
		if (!seen_now) {
			*level = u;
			*slope = r * decay_avg(rho) + rs;
		}
		return *slope > 0 ? FORECAST_BEYOND : FORECAST_FLAT;
	}
	if (!seen_now) {
		/* full before now: the model is past 1.0 */
		*level = 1;
		*slope = rate;
	}
	return *t_hit <= t_end ? FORECAST_OK : FORECAST_BEYOND;
}

/* Forecast from the growth of cycle peaks: OK_PEAKS, BEYOND or FLAT. */
static enum forecast_why
peaks_eta(const struct forecast *f, double now, double t_end, double thr,
    double *eta, double *z)
{
	double x[FORECAST_NPEAKS], y[FORECAST_NPEAKS], t_hit;
	struct lsq a;
	int n = 0, k, i;

	for (k = 0; k < f->npeaks; k++) {
		i = (f->ipeak + FORECAST_NPEAKS - k) % FORECAST_NPEAKS;
		if (now - f->peak[i].t > t_end - now)
			break;
		x[n] = f->peak[i].t - now;   /* newest first: x falls */
		y[n] = (double)f->peak[i].v;
		n++;
	}
	if (n < 3)
		return FORECAST_FLAT;
	lsq(x, y, n, &a);
	*z = a.z;
	/* Peaks must grow by more than a jump over the cycles held. */
	if (a.b <= 0 || a.z < f->p.z || a.b * (x[0] - x[n - 1]) <= thr)
		return FORECAST_FLAT;
	t_hit = now + a.xm + (1 - a.ym) / a.b;
	if (t_hit > t_end)
		return FORECAST_BEYOND;
	*eta = t_hit > now ? t_hit - now : 0;
	return FORECAST_OK_PEAKS;
}

void
forecast_get(const struct forecast *f, struct forecast_out *o)
{
	const struct forecast_fit *fit = &f->fit;
	double now = f->t_last, t_end, thr, rs, t_hit = 0, level, slope;
	double pmax = 0, amp = 0, margin, eta_p = 0, zp = 0;
	enum forecast_why seg, pw = FORECAST_FLAT;
	int np = 0, k, i;

	o->eta_s = 0;
	o->slope = 0;
	o->level = NAN;
	o->z = 0;
	o->why = FORECAST_WARMING;
	if (f->nsamples == 0)
		return;
	t_end = now + f->p.max_factor * f->p.horizon_s;
	thr = threshold(f);
	rs = step_rate(f, now);

	seg = (enum forecast_why)fit->why;
	if (seg != FORECAST_WARMING) {
		double s0 = fit->s0;

		/* Repeated jumps fill on their own, even on a flat trend. */
		if (seg == FORECAST_FLAT && rs > 0)
			s0 = 0;
		if (seg == FORECAST_OK || rs > 0) {
			enum forecast_why w = walk(fit->t0,
			    fit->y0 + f->offset, s0,
			    seg == FORECAST_OK ? fit->rho : 1, fit->delta, rs,
			    now, t_end, &t_hit, &level, &slope);

			if (seg == FORECAST_OK || w == FORECAST_OK)
				seg = w;
		} else {
			level = fit->y0 + f->offset + s0 * (now - fit->t0);
			slope = s0;
		}
		o->level = level;
		o->slope = slope;
		o->z = fit->z;
	}

	/* Cycles: peaks of the resets within the forecast range. */
	for (k = 0; k < f->npeaks; k++) {
		i = (f->ipeak + FORECAST_NPEAKS - k) % FORECAST_NPEAKS;
		if (now - f->peak[i].t > t_end - now)
			break;
		if ((double)f->peak[i].v > pmax)
			pmax = (double)f->peak[i].v;
		amp += (double)f->peak[i].a;
		np++;
	}
	if (np > 0) {
		amp /= np;
		/*
		 * One reset may be a one-off level shift: the ramp counts
		 * as a new trend once it passes the old level by a jump.
		 * After two, it is a cycle: the ramp must clear the peaks
		 * by half a cycle's amplitude to be more than the next
		 * cycle.  Cycles that peak near full (a leak killed by the
		 * OOM killer) withhold nothing: each ramp does fill up.
		 */
		margin = np == 1 || amp / 2 < thr ? thr : amp / 2;
		if (seg == FORECAST_OK && pmax < f->p.full_peak &&
		    !(o->level > pmax + margin))
			seg = FORECAST_CYCLE;
		pw = peaks_eta(f, now, t_end, thr, &eta_p, &zp);
	}

	/*
	 * While a fall is being confirmed the trend is in doubt: a forecast
	 * now would be the one a reset is about to discard.  Growing peaks
	 * are not in doubt: a fall is what ends each of their cycles.
	 */
	if (f->jump_dir < 0)
		seg = FORECAST_DROPPING;
	if (seg == FORECAST_OK) {
		o->eta_s = t_hit > now ? t_hit - now : 0;
		o->why = FORECAST_OK;
	}
	if (pw == FORECAST_OK_PEAKS &&
	    (o->why != FORECAST_OK || eta_p < o->eta_s)) {
		o->eta_s = eta_p;
		o->z = zp;
		o->why = FORECAST_OK_PEAKS;
	}
	if (o->why != FORECAST_OK && o->why != FORECAST_OK_PEAKS) {
		o->eta_s = 0;
		o->why = seg;
	}
}

int
forecast_eta(const struct forecast *f, double *eta_s)
{
	struct forecast_out o;

	forecast_get(f, &o);
	if (o.why != FORECAST_OK && o.why != FORECAST_OK_PEAKS)
		return 0;
	*eta_s = o.eta_s;
	return 1;
}

const char *
forecast_why_str(enum forecast_why why)
{
	switch (why) {
	case FORECAST_OK:
		return "ok";
	case FORECAST_OK_PEAKS:
		return "ok-peaks";
	case FORECAST_WARMING:
		return "warming";
	case FORECAST_FLAT:
		return "flat";
	case FORECAST_FALLING:
		return "falling";
	case FORECAST_SLOWING:
		return "slowing";
	case FORECAST_BEYOND:
		return "beyond";
	case FORECAST_CYCLE:
		return "cycle";
	case FORECAST_DROPPING:
		return "dropping";
	}
	return "?";
}
