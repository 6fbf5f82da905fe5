/*
 * test_anomaly.c - the streaming anomaly detector (agent/anomaly.h):
 * its contract (state size, the threshold argument, determinism and
 * starting over, non-finite and huge values, a constant series, the
 * flag's hysteresis), counter-like resets, and a labelled evaluation on
 * synthetic machine-metric series whose anomalies are known.
 *
 * Every update goes through step(), which checks the header's contract
 * on the spot: the score is finite and in [0,1], a->score is what was
 * returned, a non-finite value or time scores 0, and the flag and its
 * edge are exactly what the header's rule says for that score (raise at
 * >= the threshold, clear after ANOM_QUIET_N samples in a row below
 * ANOM_CLEAR x the threshold), so a broken hysteresis fails in
 * whichever test meets it first.
 *
 * Noise is Gaussian from a fixed-seed splitmix64 generator (the sum of
 * twelve uniforms, seeded from the case's name), so every run sees the
 * same series.  Wall-clock times start at T0 = 1700000000 s (14 Nov
 * 2023, 22:13:20 UTC: in the middle of the profile's hour slot 22, as
 * an agent that starts at a random time is).  The table that
 * t_evaluation prints is the one in docs/anomaly.md.  Nothing is timed
 * (speed is a benchmark, not a test).
 *
 * Two defects of the detector found here are documented where they
 * show, and asserted as they are: the start hour's profile deviation
 * (t_evaluation) and float profiles against a constant series
 * (t_constant).
 */
#define _POSIX_C_SOURCE 200809L
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "agent/anomaly.h"

#define MIN      60.0
#define HOUR     3600.0
#define DAY      86400.0
#define T0       1700000000.0
#define TWO_PI   6.283185307179586

_Static_assert(sizeof(struct anomaly) <= ANOM_STATE_MAX,
    "struct anomaly is over the per-series budget");

/* ---- deterministic noise ------------------------------------------------ */

#include "tests/noise.h"

/* Poisson by multiplying uniforms (Knuth); means up to a few hundred. */
static double
poisson(double mean)
{
	double lim = exp(-mean), p = 1;
	int k = -1;

	do {
		k++;
		p *= urand();
	} while (p > lim);
	return k;
}

/* ---- the contract, checked at every update ------------------------------ */

/* The flag as the header defines it, kept beside the detector's. */
struct ref {
	bool flag;
	int  quiet;
	long raises, clears;
};

static double
threshold(const struct anomaly *a)
{
	return (double)a->raise;
}

static double
step(struct anomaly *a, struct ref *r, double t, double x, int *edge)
{
	double s, th = threshold(a);
	int e = 7, want = 0;

	s = anomaly_update(a, t, x, &e);
	assert_true(isfinite(s));
	assert_true(s >= 0 && s <= 1);
	assert_memory_equal(&s, &a->score, sizeof(s));
	if (!isfinite(x) || !isfinite(t))
		assert_true(s == 0);
	if (!r->flag) {
		if (s >= th) {
			r->flag = true;
			r->quiet = 0;
			want = 1;
		}
	} else if (s >= ANOM_CLEAR * th) {
		r->quiet = 0;
	} else if (++r->quiet >= ANOM_QUIET_N) {
		r->flag = false;
		want = -1;
	}
	if (e != want || a->flag != r->flag)
		fail_msg("flag contract: score %.6f threshold %.3f: edge %d "
		    "flag %d, the header says edge %d flag %d", s, th, e,
		    a->flag, want, r->flag);
	r->raises += want == 1;
	r->clears += want == -1;
	if (edge != NULL)
		*edge = e;
	return s;
}

static void
start(struct anomaly *a, struct ref *r, double raise)
{
	anomaly_init(a, raise);
	memset(r, 0, sizeof(*r));
}

/* The hour slot of the daily profile a time falls in (the header's). */
static int
slot(double t)
{
	return (int)(fmod(t, DAY) / HOUR);
}

/* ---- state size --------------------------------------------------------- */

static void
t_size(void **state)
{
	(void)state;
	printf("sizeof(struct anomaly) = %zu bytes (budget %d)\n",
	    sizeof(struct anomaly), ANOM_STATE_MAX);
	assert_true(sizeof(struct anomaly) <= ANOM_STATE_MAX);
}

/* ---- init: the threshold argument ------------------------------------- */

static void
t_init(void **state)
{
	static const struct {
		double arg;
		float  want;
	} tab[] = {
		{ 0, (float)ANOM_RAISE }, { -1, (float)ANOM_RAISE },
		{ 1.5, (float)ANOM_RAISE }, { 1e300, (float)ANOM_RAISE },
		{ (double)NAN, (float)ANOM_RAISE },
		{ (double)INFINITY, (float)ANOM_RAISE },
		{ 0.5, 0.5f }, { 1, 1.0f },
	};
	static struct anomaly a, z;
	struct ref r;
	size_t i;
	long raises[3];
	int k;

	(void)state;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		memset(&a, 0xa5, sizeof(a));
		anomaly_init(&a, tab[i].arg);
		assert_true(a.raise == tab[i].want);
		/* everything else starts at zero */
		memset(&z, 0, sizeof(z));
		z.raise = a.raise;
		assert_memory_equal(&a, &z, sizeof(a));
	}

	/* the threshold is the one used: a noisy series at 0.5, 0.9, 1 */
	for (k = 0; k < 3; k++) {
		long j;

		seed("init");
		start(&a, &r, k == 0 ? 0.5 : k == 1 ? 0 : 1);
		for (j = 0; j < 20000; j++)
			step(&a, &r, T0 + (double)j * 10, 5 + gauss() +
			    (urand() < 0.001 ? 8 : 0), NULL);
		raises[k] = r.raises;
	}
	printf("raises on 20000 noisy samples with spikes: %ld at 0.5, "
	    "%ld at 0.9, %ld at 1\n", raises[0], raises[1], raises[2]);
	assert_true(raises[0] > raises[1]);
	assert_true(raises[1] > 0);
	/* scores are capped near 1 - exp(-3 x 1.09): 1 is never reached */
	assert_int_equal(raises[2], 0);
}

/* ---- determinism -------------------------------------------------------- */

#define DET_N 30000

static double det_t[DET_N], det_x[DET_N], det_s[DET_N];
static int    det_e[DET_N];

/*
 * A long series with everything in it: 10 s +-20 % sampling, a daily
 * cycle, noise, spikes, NaN and infinite values, gaps of 6 h and time
 * that goes back.
 */
static void
det_series(void)
{
	double t = T0, u;
	long i;

	seed("determinism");
	for (i = 0; i < DET_N; i++) {
		t += 10 * (0.8 + 0.4 * urand());
		u = urand();
		if (u < 0.0005)
			t += 6 * HOUR;
		else if (u < 0.001)
			t -= 100;
		det_t[i] = t;
		det_x[i] = 50 + 10 * sin(TWO_PI * fmod(t, DAY) / DAY) +
		    2 * gauss();
		u = urand();
		if (u < 0.002)
			det_x[i] += 30;
		else if (u < 0.005)
			det_x[i] = (double)NAN;
		else if (u < 0.006)
			det_x[i] = (u < 0.0055 ? 1 : -1) * (double)INFINITY;
	}
}

static void
t_determinism(void **state)
{
	static struct anomaly a, b, c;
	struct ref ra, rb, rc;
	double sa, sb;
	int ea, eb;
	long i;

	(void)state;
	det_series();
	memset(&a, 0x5a, sizeof(a));
	memset(&b, 0xa5, sizeof(b));
	start(&a, &ra, 0);
	start(&b, &rb, 0);
	for (i = 0; i < DET_N; i++) {
		sa = step(&a, &ra, det_t[i], det_x[i], &ea);
		sb = step(&b, &rb, det_t[i], det_x[i], &eb);
		assert_memory_equal(&sa, &sb, sizeof(sa));
		assert_int_equal(ea, eb);
		det_s[i] = sa;
		det_e[i] = ea;
	}
	assert_memory_equal(&a, &b, sizeof(a));
	printf("determinism: %d values, %ld raises, %ld clears\n", DET_N,
	    ra.raises, ra.clears);
	/* the series exercised the flag both ways */
	assert_true(ra.raises >= 5 && ra.clears >= 5);

	/* start over on the used instance: the same bytes again */
	start(&a, &ra, 0);
	for (i = 0; i < DET_N; i++) {
		sa = step(&a, &ra, det_t[i], det_x[i], &ea);
		assert_memory_equal(&sa, &det_s[i], sizeof(sa));
		assert_int_equal(ea, det_e[i]);
	}
	assert_memory_equal(&a, &b, sizeof(a));

	/* and the comparison can fail: one value changed, other bytes */
	start(&c, &rc, 0);
	for (i = 0; i < DET_N; i++)
		step(&c, &rc, det_t[i], det_x[i] + (i == DET_N / 2 &&
		    isfinite(det_x[i]) ? 1 : 0), NULL);
	assert_true(isfinite(det_x[DET_N / 2]));
	assert_true(memcmp(&c, &b, sizeof(c)) != 0);
}

/* ---- non-finite and huge values ---------------------------------------- */

/* The model: everything but the last score and the flag's own state. */
static void
model_equal(const struct anomaly *now, const struct anomaly *before)
{
	static struct anomaly m;

	memcpy(&m, before, sizeof(m));
	m.score = now->score;
	m.quiet = now->quiet;
	m.flag = now->flag;
	assert_memory_equal(now, &m, sizeof(m));
}

/*
 * NaN and infinite values, and NaN or infinite times, score 0 and leave
 * the model as it was: the same series with them (a) and without (b)
 * give bit-identical scores at every finite sample, and the same model
 * at the end.  They count as quiet samples for the flag (step() checks
 * that against the header's rule), even while it is raised.
 */
static void
t_nonfinite(void **state)
{
	static const double bad_x[] = {
		(double)NAN, (double)INFINITY, -(double)INFINITY, -(double)NAN,
	};
	static const double bad_t[] = {
		(double)NAN, (double)INFINITY, -(double)INFINITY,
	};
	static struct anomaly a, b, before;
	struct ref ra, rb;
	double t, x, sa, sb;
	long i;
	int k, inserted = 0, while_raised = 0;

	(void)state;
	seed("nonfinite");
	start(&a, &ra, 0);
	start(&b, &rb, 0);
	for (i = 0; i < 4000; i++) {
		t = T0 + (double)i * MIN;
		x = 10 + gauss() + (i == 2000 || i == 3000 ? 25 : 0);
		sa = step(&a, &ra, t, x, NULL);
		sb = step(&b, &rb, t, x, NULL);
		assert_memory_equal(&sa, &sb, sizeof(sa));
		/* a few unknowns after every 97th sample, and right after
		 * the spikes, while the flag is up */
		if (i % 97 != 0 && i != 2000 && i != 3001)
			continue;
		for (k = 0; k < 7; k++) {
			memcpy(&before, &a, sizeof(a));
			while_raised += a.flag;
			if (k < 4)
				sa = step(&a, &ra, t + 1, bad_x[k], NULL);
			else
				sa = step(&a, &ra, bad_t[k - 4], x, NULL);
			assert_true(sa == 0 && a.score == 0);
			model_equal(&a, &before);
			inserted++;
		}
	}
	printf("nonfinite: %d unknown values, %d while the flag was up; "
	    "raises %ld with them, %ld without\n", inserted, while_raised,
	    ra.raises, rb.raises);
	assert_true(while_raised >= 7);
	model_equal(&a, &b);

	/* unknowns alone clear a raised flag, reported as an edge */
	t = T0 + 5000 * MIN;
	step(&a, &ra, t, 10 + 30, &k);
	assert_int_equal(k, 1);
	for (i = 1; i <= ANOM_QUIET_N; i++) {
		step(&a, &ra, t + (double)i, (double)NAN, &k);
		assert_int_equal(k, i < ANOM_QUIET_N ? 0 : -1);
	}
	assert_false(a.flag);
}

static const double huge_x[] = {
	1e300, -1e300, DBL_MAX, -DBL_MAX, 1e-300, -1e-300, DBL_MIN,
	DBL_TRUE_MIN, -DBL_TRUE_MIN, 2.5e-310, 2 * ANOM_XMAX, -2 * ANOM_XMAX,
	0.0, -0.0,
};

#define NHUGE (sizeof(huge_x) / sizeof(huge_x[0]))

static void
fin(double v, const char *what, int k)
{
	if (!isfinite(v))
		fail_msg("%s[%d] is %g", what, k, v);
}

/* No field of the state is NaN or infinite; values within the clip. */
static void
state_sane(const struct anomaly *a)
{
	const double lim = ANOM_XMAX * (1 + 1e-6);   /* float rounding */
	int k, j;

	fin(a->lvl, "lvl", 0);
	fin(a->dev, "dev", 0);
	fin(a->dens, "dens", 0);
	fin(a->floor, "floor", 0);
	fin(a->last_x, "last_x", 0);
	fin(a->t_last, "t_last", 0);
	fin(a->dt, "dt", 0);
	fin(a->peak, "peak", 0);
	fin(a->score, "score", 0);
	assert_true(fabs(a->lvl) <= lim && fabs(a->last_x) <= lim);
	assert_true(a->dev >= 0 && a->dens >= 0 && a->floor >= 0);
	assert_true(a->peak >= 0 && a->peak <= 1);
	for (k = 0; k < ANOM_SLOTS; k++) {
		fin((double)a->prof[k], "prof", k);
		fin((double)a->pdev[k], "pdev", k);
		assert_true(fabs((double)a->prof[k]) <= lim);
		assert_true(a->pdev[k] >= 0);
	}
	for (j = 0; j < 2; j++) {
		fin((double)a->cal[j].tot, "cal.tot", j);
		assert_true(a->cal[j].tot >= 0);
		for (k = 0; k < ANOM_CBINS; k++) {
			fin((double)a->cal[j].c[k], "cal.c", k);
			assert_true(a->cal[j].c[k] >= 0);
		}
	}
}

/*
 * Values at the edges of double (+-1e300, +-DBL_MAX, 1e-300, subnormals,
 * +-2 x the clip, signed zeros) interleaved with a normal series, and
 * times at the edges too: every score finite in [0,1] (step()), no field
 * of the state NaN or infinite.  Then the detector still works: after
 * HUGE_CALM normal samples a +20 sd spike is flagged.  The abuse sits in
 * the calibrators' top bins until it decays (memory ~2000 samples), and
 * a spike in the same bins is not rare meanwhile: measured on this
 * series, the spike scores 0.86 after 1000 normal samples, 0.89 after
 * 2000, 0.909 after 3000 (just flagged), 0.927 after 4000, 0.945 after
 * 6000; 4000 leaves a margin.  The detector is blind to such spikes
 * for ~2500 samples after 28 absurd values: a documented limit.
 */
#define HUGE_CALM 4000

static void
t_huge(void **state)
{
	static const double huge_t[] = { 1e300, -1e300, 0, -5e9, DBL_MAX };
	static struct anomaly a;
	struct ref r;
	double t = T0, s, top = 0;
	size_t k;
	long i;
	int round, e, raised = 0;

	(void)state;
	seed("huge");
	start(&a, &r, 0);
	for (i = 0; i < 300; i++, t += MIN)
		step(&a, &r, t, 1 + 0.1 * gauss(), NULL);
	for (round = 0; round < 2; round++) {
		for (k = 0; k < NHUGE; k++) {
			step(&a, &r, t, huge_x[k], NULL);
			state_sane(&a);
			/* clipped to +-ANOM_XMAX, else learnt as it is */
			if (fabs(huge_x[k]) > ANOM_XMAX)
				assert_true(a.last_x == copysign(ANOM_XMAX,
				    huge_x[k]));
			else
				assert_true(a.last_x == huge_x[k]);
			t += MIN;
			step(&a, &r, t, 1 + 0.1 * gauss(), NULL);
			state_sane(&a);
			t += MIN;
		}
		/* times at the edges, then back to the clock */
		for (k = 0; k < sizeof(huge_t) / sizeof(huge_t[0]); k++) {
			step(&a, &r, huge_t[k], 1 + 0.1 * gauss(), NULL);
			state_sane(&a);
			step(&a, &r, huge_t[k], huge_x[k], NULL);
			state_sane(&a);
		}
	}
	/* back to normal: the level comes back, the flag is not stuck */
	for (i = 0; i < HUGE_CALM; i++, t += MIN) {
		step(&a, &r, t, 1 + 0.1 * gauss(), NULL);
		state_sane(&a);
	}
	assert_false(a.flag);
	assert_true(fabs(a.lvl - 1) < 0.1);
	for (i = 0; i < 3; i++, t += MIN) {
		s = step(&a, &r, t, 3 + 0.1 * gauss(), &e);
		if (s > top)
			top = s;
		raised |= e == 1;
	}
	printf("huge: a +20 sd spike %d samples after the abuse scores "
	    "%.3f (raised: %d)\n", HUGE_CALM, top, raised);
	/* the abuse sits in the calibrator's top bins for about its memory
	 * (~2000 values): a spike scores just below the flag's 0.93 then
	 * (a documented limit, docs/anomaly.md), but far above the usual */
	assert_true(top >= 0.9);
	state_sane(&a);
}

/* ---- a constant series ------------------------------------------------- */

/* A constant for n samples one minute apart; the highest score after 50. */
static double
constant(struct anomaly *a, struct ref *r, double v, long n, double *t)
{
	double s, top = 0;
	long i;

	for (i = 0; i < n; i++, *t += MIN) {
		s = step(a, r, *t, v, NULL);
		if (i >= 50 && s > top)
			top = s;
	}
	return top;
}

/*
 * 5000 samples of one value one minute apart: after a warm-up of 50
 * samples (WARMUP 8 in anomaly.c, then the calibrators' first tens of
 * values; measured: 0.0094 at sample 20) every score is below 0.01 and
 * the flag never rises; for 42, 0, -7.5, 0.25 and 1e6.  Then 42 steps
 * to 43: flagged at the step (a change after a long flat stretch is an
 * anomaly).  The flag clears once ANOM_QUIET_N scores in a row are
 * below ANOM_CLEAR x the threshold: measured 15 samples after the step
 * (the step's repeats score 0.47 .. 0.45, halved by the peak damping,
 * for 5 samples while the short-term level moves, then ANOM_QUIET_N
 * quiet ones); allowed ANOM_QUIET_N .. 3 x ANOM_QUIET_N.  At the new
 * level nothing is raised again for 5000 samples (the score decays from
 * 0.43 to 0.01).
 *
 * DEFECT (documented, asserted as it is): a constant that a float cannot
 * hold exactly (0.1, 0.3, 1e20, ...) is not constant to the daily
 * profile, which is float while the scale floor is 1e-12 relative: every
 * sample is seen 10^2 .. 10^3 profile deviations off, so the scores
 * after the warm-up reach 0.60 (0.1) or 0.03 (0.3, 1e20), and a later
 * step -- even 0.1 -> 0.2 or 0.1 -> 1e6 -- lands in calibration bins
 * seen all along and is never raised (highest score 0.17 in 5000
 * samples).  0.25 (exact in float) -> 0.5 is raised at once.  When
 * this is fixed, the 0.1 -> 0.2 assertions below must be turned round.
 */
static void
t_constant(void **state)
{
	static const double level[] = { 42, 0, -7.5, 0.25, 1e6 };
	static struct anomaly a;
	struct ref r;
	double t, s, top;
	long i, cleared = -1;
	size_t k;
	int e;

	(void)state;
	for (k = 0; k < sizeof(level) / sizeof(level[0]); k++) {
		start(&a, &r, 0);
		t = T0;
		top = constant(&a, &r, level[k], 5000, &t);
		printf("constant %g: highest score after 50 samples %.5f\n",
		    level[k], top);
		assert_true(top < 0.01);
		assert_int_equal(r.raises, 0);
	}

	/* 42 -> 43 */
	start(&a, &r, 0);
	t = T0;
	constant(&a, &r, 42, 5000, &t);
	s = step(&a, &r, t, 43, &e);
	t += MIN;
	printf("constant 42 -> 43: score %.3f at the step\n", s);
	assert_int_equal(e, 1);
	top = 0;
	for (i = 1; i < 5000; i++, t += MIN) {
		s = step(&a, &r, t, 43, &e);
		if (e == -1 && cleared < 0)
			cleared = i;
		if (cleared >= 0 && s > top)
			top = s;
	}
	printf("constant 42 -> 43: cleared %ld samples after the step; "
	    "highest score after that %.3f\n", cleared, top);
	assert_true(cleared >= ANOM_QUIET_N && cleared <= 3 * ANOM_QUIET_N);
	assert_int_equal(r.raises, 1);
	assert_int_equal(r.clears, 1);

	/* 0.25 -> 0.5: raised; 0.1 -> 0.2: the float-profile defect */
	start(&a, &r, 0);
	t = T0;
	constant(&a, &r, 0.25, 5000, &t);
	s = step(&a, &r, t, 0.5, &e);
	printf("constant 0.25 -> 0.5: score %.3f at the step\n", s);
	assert_int_equal(e, 1);

	start(&a, &r, 0);
	t = T0;
	top = constant(&a, &r, 0.1, 5000, &t);
	printf("constant 0.1 (not a float): highest score after 50 samples "
	    "%.4f\n", top);
	/* the profile is float: its rounding of 0.1 is no deviation */
	assert_true(top < 0.01);
	assert_int_equal(r.raises, 0);
	s = step(&a, &r, t, 0.2, &e);
	printf("constant 0.1 -> 0.2: score %.3f at the step\n", s);
	assert_int_equal(e, 1);
}

/* ---- counter-like resets ----------------------------------------------- */

/*
 * A counter sampled every 10 s, rising by 10 +- 3 a sample and reset to
 * 0 every cyc samples.  The reset's raises are those within 3 samples of
 * it; raises elsewhere in a cycle are counted apart.  Measured:
 *
 *   hourly resets (360 samples, 30 cycles): the first reset (cycle 1)
 *   is raised, score 0.956; from cycle 2 on none is, their scores fall
 *   to 0.60 .. 0.74: the calibrator has the resets in its ~2000-sample
 *   memory and they stop being rare.  Asserted: >= 1 raised in cycles
 *   1..3, none in cycles 5..29.  (Besides, one raise a day mid-cycle in
 *   the start hour: the defect t_evaluation describes.)
 *
 *   resets every 3000 samples: the first is raised, the later ones
 *   score 0.82 .. 0.84 (not asserted);
 *
 *   resets every 6000 samples (longer than the calibrator's memory):
 *   the calibrator forgets each reset before the next, and every later
 *   reset scores 0.901 .. 0.904 -- just over the threshold, so on this
 *   series each is raised again.  A documented limit: a counter that
 *   wraps less often than every ~2000 samples is flagged at each wrap.
 *   Asserted: every later reset scores >= 0.85 (never learnt), at least
 *   one is raised.
 */
struct sawres {
	int    raised[32];     /* raises at the reset of each cycle */
	int    other[32];      /* raises elsewhere in it */
	double top[32];        /* highest score at the reset */
};

static void
sawtooth(long cyc, int ncyc, struct sawres *w)
{
	static struct anomaly a;
	struct ref r;
	double x = 0, d, s;
	long i, j;
	int c, e;

	memset(w, 0, sizeof(*w));
	seed("sawtooth");
	start(&a, &r, 0);
	for (c = 0; c < ncyc; c++) {
		for (j = 0; j < cyc; j++) {
			i = c * cyc + j;
			d = 10 + 3 * gauss();
			x = j == 0 ? 0 : x + (d > 0 ? d : 0);
			s = step(&a, &r, T0 + (double)i * 10, x, &e);
			if (j < 3) {
				w->raised[c] += e == 1;
				if (s > w->top[c])
					w->top[c] = s;
			} else {
				w->other[c] += e == 1;
			}
		}
	}
}

static void
t_counter_reset(void **state)
{
	static struct sawres w;
	int c, early = 0, late = 0, n6000 = 0;
	double low = 1;

	(void)state;
	sawtooth(360, 30, &w);
	printf("hourly resets, raised (score) per cycle:");
	for (c = 0; c < 30; c++) {
		printf(" %d(%.2f)%s", w.raised[c], w.top[c],
		    w.other[c] ? "*" : "");
		if (c >= 1 && c <= 3)
			early += w.raised[c];
		if (c >= 5)
			late += w.raised[c];
	}
	printf("\n  (* a raise elsewhere in the cycle)\n");
	assert_true(early >= 1);
	assert_int_equal(late, 0);

	sawtooth(6000, 10, &w);
	printf("resets every 6000 samples:");
	for (c = 0; c < 10; c++) {
		printf(" %d(%.3f)", w.raised[c], w.top[c]);
		if (c >= 2) {
			n6000 += w.raised[c];
			if (w.top[c] < low)
				low = w.top[c];
		}
	}
	printf("\n  later resets raised: %d of 8, lowest score %.3f\n",
	    n6000, low);
	/* the calibrator forgets a reset in ~2000 values, so each later
	 * one scores high again (0.90), but below the flag's 0.93 */
	assert_true(low >= 0.85);
	assert_int_equal(n6000, 0);
}

/* ---- gaps in time ------------------------------------------------------ */

/*
 * The typical sampling period (a->dt) is robust to gaps: a long one
 * counts as 4 periods.  A series sampled every 60 s +- 10 % with an
 * outage of an hour, of a day and of a week, and time going back by
 * 10 minutes, keeps dt within 50 .. 75 s from the 100th sample on
 * (measured: at most 69 s, just after each outage).  The daily profile
 * learns per visit of its hour from dt, so a dt of a day would make it
 * learn at once from whatever comes after an outage.  After the outages
 * a +0.5 spike (17 sd) is still raised.
 */
static void
t_gaps(void **state)
{
	static struct anomaly a;
	struct ref r;
	double t = T0, lo = 1e9, hi = 0;
	long i;
	int e, raised = 0;

	(void)state;
	seed("gaps");
	start(&a, &r, 0);
	for (i = 0; i < 12000; i++) {
		if (i == 3000)
			t += HOUR;
		else if (i == 6000)
			t += DAY;
		else if (i == 8000)
			t += 7 * DAY;
		else if (i == 9000)
			t -= 10 * MIN;
		t += MIN * (0.9 + 0.2 * urand());
		step(&a, &r, t, 0.35 + 0.25 * sin(TWO_PI * fmod(t, DAY) /
		    DAY) + 0.03 * gauss() + (i >= 11000 && i < 11003 ? 0.5 : 0),
		    &e);
		if (i >= 11000 && i < 11003)
			raised |= e == 1;
		if (i < 100)
			continue;
		if (a.dt < lo)
			lo = a.dt;
		if (a.dt > hi)
			hi = a.dt;
	}
	printf("gaps: typical period between %.1f and %.1f s; the spike "
	    "after them %s\n", lo, hi, raised ? "raised" : "not raised");
	assert_true(lo >= 50 && hi <= 75);
	assert_true(raised);
}

/* ---- the labelled evaluation ------------------------------------------- */

/*
 * Synthetic machine metrics with a known anomaly window, each fed to a
 * fresh detector sample by sample (times from T0):
 *
 *   cpu 60s    utilisation 0.35 + 0.25 sin(2 pi t / day) + N(0, 0.03),
 *              in [0,1], every 60 s for 10 days (14400 samples);
 *   mem 60s    used fraction 0.4 + N(0, 0.005), at most 1, every 60 s;
 *   queue 10s  depth, Poisson(20), every 10 s (no daily cycle);
 *   cpu 1s     utilisation 0.3 + N(0, 0.05) every second (the agent's
 *              fastest period), 20000 samples (5.6 h).
 *
 * Injected: a spike (+amp for len samples), a level shift (+amp to the
 * end), a variance burst (noise x amp for len samples), a leak (+amp
 * per hour to the end, where memory is full: 1.0) and a queue burst
 * (Poisson mean x amp for len samples).  Each case has its anomaly
 * window [start, start + win): the injection plus what it leaves behind
 * (an hour after a spike or a burst, a day after a shift while the
 * profile relearns the level, the rest of the series for a leak).
 *
 * Warm-up: the first 2 days for the daily series (cpu 60s), the first
 * 1000 samples otherwise.  Raises in the warm-up are not counted.
 *
 * Asserted per case (the seed is the case's name, so each series is
 * fixed):
 *   - detection: a raise (edge +1) in [start, start + tol], and the
 *     clean twin (the same noise without the anomaly) has no raise
 *     in [start, start + that delay]: the raise is the anomaly's;
 *   - false raises: raises after the warm-up outside the window are at
 *     most max_false.
 *
 * Tolerances (the delay measured with this seed, then the worst over 30
 * other seeds of the case, "name#0" .. "name#29", in brackets):
 *   spike x3      2 samples: within the spike itself (0) [1];
 *   shift +0.3    2 samples: a 10 sd step is seen at once (0) [1];
 *   variance x5   30 samples, half the burst: each of its samples is
 *                 beyond 2.8 sd with p ~ 0.57 (3) [14];
 *   leak 0.1/h    60 samples: after an hour it is +0.1, 20 sd (8) [19];
 *   leak 0.01/h   600 samples: after 10 h it is +0.1, 20 sd (82)
 *                 [29 of 30 within 600, median 98; the other one's
 *                 first raise is at 827, in the start hour];
 *   queue x3      3 samples of a 30-sample burst (0) [1].
 *
 * False raises: max_false is the count measured with the case's seed,
 * not 0, for two reasons found while measuring (docs/anomaly.md):
 *
 *   1. the start hour (a defect).  The profile slot of the hour in which
 *      the series starts gets its deviation (pdev) from the very first
 *      update, when the short-term deviation is still 0: half the first
 *      step (or the 1e-12 floor).  It learns at A_SEAS per day, so it
 *      stays far too small for days (cpu 60s: 0.0017 against ~0.028 in
 *      the other slots after a day, 0.0105 after 10 days), and the start
 *      hour raises again on later days: the "in start hour" column (UTC
 *      hour 22 here, T0 being 22:13), 20 .. 55 % of all false raises.
 *   2. the threshold.  Scores are calibrated by ~2000 samples of the
 *      series' own history in half-octave bins of z; an ordinary 3-sd
 *      value (bin 2.8 .. 4) seen only ~5 times in that memory scores
 *      just over 0.9.  At a threshold of 0.9, over 30 seeds per case:
 *      0.27 .. 0.92 false raises per 1000 samples after the warm-up, up
 *      to 2.8 for an unlucky seed (~2 an hour at 1 s sampling); 0.95
 *      brought that to 0.01 .. 0.15 and still detected every case but
 *      2 of 30 shifts (after 4 samples).  The default became 0.93:
 *      with these seeds 14 false raises in 132934 samples (0.11 per
 *      1000; 58 at 0.9), every case detected.  The counts below are
 *      measured at 0.93.
 */
enum kind {
	K_CPU,      /* utilisation, daily cycle, 60 s */
	K_MEM,      /* used fraction, flat, 60 s */
	K_QUEUE,    /* depth, Poisson(20), 10 s */
	K_FAST      /* utilisation, flat, 1 s */
};

enum inj {
	I_NONE,     /* clean */
	I_SPIKE,    /* + amp for len samples */
	I_SHIFT,    /* + amp from start to the end */
	I_VAR,      /* noise x amp for len samples */
	I_LEAK,     /* + amp per hour from start to the end */
	I_BURST     /* Poisson mean x amp for len samples */
};

struct lcase {
	const char *name;
	enum kind   kind;
	enum inj    inj;
	double      period;    /* s */
	long        n;         /* samples */
	long        start;     /* first anomalous sample, -1: none */
	long        len;       /* injected samples (spike, variance, burst) */
	long        win;       /* anomaly window [start, start + win) */
	double      amp;
	long        tol;       /* a raise required in [start, start + tol] */
	int         max_false; /* raises after warm-up, outside the window */
};

/*
 * The injections are placed away from the start hour (sample i is in it
 * when i mod 1440 is 1427 .. 1439 or 0 .. 46 at 60 s), so that the
 * start-hour defect does not pass for a detection.
 */
static const struct lcase lcases[] = {
	{ "cpu 60s, clean", K_CPU, I_NONE, 60, 14400, -1, 0, 0, 0, 0, 2 },
	{ "cpu 60s, spike +0.5 x3", K_CPU, I_SPIKE, 60, 14400, 8000, 3, 63,
	    0.5, 2, 1 },
	{ "cpu 60s, shift +0.3", K_CPU, I_SHIFT, 60, 14400, 8000, 0, 1440,
	    0.3, 2, 2 },
	{ "cpu 60s, variance x5 1h", K_CPU, I_VAR, 60, 14400, 8000, 60, 120,
	    5, 30, 1 },
	{ "mem 60s, clean", K_MEM, I_NONE, 60, 5760, -1, 0, 0, 0, 0, 0 },
	{ "mem 60s, leak +0.1/h", K_MEM, I_LEAK, 60, 5280, 4920, 0, 360,
	    0.1, 60, 1 },
	{ "mem 60s, leak +0.01/h", K_MEM, I_LEAK, 60, 7800, 4920, 0, 2880,
	    0.01, 600, 0 },
	{ "queue 10s, clean", K_QUEUE, I_NONE, 10, 20000, -1, 0, 0, 0, 0, 3 },
	{ "queue 10s, burst x3 5min", K_QUEUE, I_BURST, 10, 20000, 12000, 30,
	    60, 3, 3, 2 },
	{ "cpu 1s, clean", K_FAST, I_NONE, 1, 20000, -1, 0, 0, 0, 0, 2 },
	{ "cpu 1s, spike +0.5 x3", K_FAST, I_SPIKE, 1, 20000, 12000, 3, 63,
	    0.5, 2, 0 },
};

#define NLCASES (sizeof(lcases) / sizeof(lcases[0]))

static bool
in_window(const struct lcase *c, long i, long len)
{
	return c->start >= 0 && i >= c->start && i < c->start + len;
}

static double
gen(const struct lcase *c, long i)
{
	double t = T0 + (double)i * c->period, x = 0, noise;

	switch (c->kind) {
	case K_CPU:
		noise = 0.03 * gauss();
		if (c->inj == I_VAR && in_window(c, i, c->len))
			noise *= c->amp;
		x = 0.35 + 0.25 * sin(TWO_PI * fmod(t, DAY) / DAY) + noise;
		break;
	case K_MEM:
		x = 0.4 + 0.005 * gauss();
		break;
	case K_QUEUE:
		x = poisson(c->inj == I_BURST && in_window(c, i, c->len) ?
		    20 * c->amp : 20);
		break;
	case K_FAST:
		x = 0.3 + 0.05 * gauss();
		break;
	}
	if (c->inj == I_SPIKE && in_window(c, i, c->len))
		x += c->amp;
	if (c->inj == I_SHIFT && c->start >= 0 && i >= c->start)
		x += c->amp;
	if (c->inj == I_LEAK && c->start >= 0 && i >= c->start)
		x += c->amp * (double)(i - c->start) * c->period / HOUR;
	if (c->kind != K_QUEUE)
		x = x < 0 ? 0 : x > 1 ? 1 : x;
	return x;
}

/* Warm-up: 2 days for the daily series (CPU at 60 s), else 1000 samples. */
static long
warmup(const struct lcase *c)
{
	return c->kind == K_CPU ? (long)(2 * DAY / c->period) : 1000;
}

struct lresult {
	long   delay;      /* first raise in the window - start, or -1 */
	long   twin;       /* the same, on the clean twin (same noise) */
	int    nfalse;     /* raises after warm-up outside the window */
	int    nstart;     /* ... of which in the hour slot the series began */
};

static void
lrun(const struct lcase *c, const char *seedname, struct lresult *r)
{
	static struct anomaly a;
	struct lcase twin = *c;
	struct ref rf;
	long i;
	int e;
	double t;

	memset(r, 0, sizeof(*r));
	r->delay = -1;
	r->twin = -1;
	/* the clean twin: the same noise without the anomaly */
	if (c->start >= 0) {
		twin.inj = I_NONE;
		seed(seedname);
		start(&a, &rf, 0);
		for (i = 0; i < c->n && r->twin < 0; i++) {
			step(&a, &rf, T0 + (double)i * c->period,
			    gen(&twin, i), &e);
			if (e == 1 && in_window(c, i, c->win))
				r->twin = i - c->start;
		}
	}
	seed(seedname);
	start(&a, &rf, 0);
	for (i = 0; i < c->n; i++) {
		t = T0 + (double)i * c->period;
		step(&a, &rf, t, gen(c, i), &e);
		if (in_window(c, i, c->win)) {
			if (e == 1 && r->delay < 0)
				r->delay = i - c->start;
			continue;
		}
		if (e != 1 || i < warmup(c))
			continue;
		r->nfalse++;
		r->nstart += slot(t) == slot(T0);
	}
}

static void
t_evaluation(void **state)
{
	struct lresult r[NLCASES];
	size_t i;
	int bad = 0, nf = 0, ns = 0;
	long evaluated = 0;

	(void)state;
	printf("| case | samples | warm-up | anomaly window | raise required "
	    "within | first raise after | clean twin's first | false "
	    "raises (in start hour) | allowed |\n");
	printf("|---|--:|--:|---|--:|--:|--:|--:|--:|\n");
	for (i = 0; i < NLCASES; i++) {
		const struct lcase *c = &lcases[i];

		lrun(c, c->name, &r[i]);
		nf += r[i].nfalse;
		ns += r[i].nstart;
		evaluated += c->n - warmup(c) - (c->start >= 0 ? c->win : 0);
		printf("| %s | %ld | %ld | ", c->name, c->n, warmup(c));
		if (c->start >= 0)
			printf("%ld..%ld | %ld | ", c->start,
			    c->start + c->win - 1, c->tol);
		else
			printf("- | - | ");
		if (r[i].delay >= 0)
			printf("%ld | ", r[i].delay);
		else
			printf("%s | ", c->start >= 0 ? "not raised" : "-");
		if (r[i].twin >= 0)
			printf("%ld |", r[i].twin);
		else
			printf("%s |", c->start >= 0 ? "not raised" : "-");
		printf(" %d (%d) | %d |\n", r[i].nfalse, r[i].nstart,
		    c->max_false);
	}
	printf("false raises: %d in %ld samples after warm-up outside the "
	    "windows (%.2f per 1000), %d of them in the start hour\n", nf,
	    evaluated, 1000.0 * nf / (double)evaluated, ns);
	fflush(stdout);
	for (i = 0; i < NLCASES; i++) {
		const struct lcase *c = &lcases[i];

		if (c->start >= 0 &&
		    (r[i].delay < 0 || r[i].delay > c->tol)) {
			print_message("FAIL %s: first raise %ld samples after "
			    "the start, required within %ld\n", c->name,
			    r[i].delay, c->tol);
			bad++;
		}
		if (c->start >= 0 && r[i].delay >= 0 && r[i].twin >= 0 &&
		    r[i].twin <= r[i].delay) {
			print_message("FAIL %s: the clean twin raised too "
			    "(after %ld samples)\n", c->name, r[i].twin);
			bad++;
		}
		if (r[i].nfalse > c->max_false) {
			print_message("FAIL %s: %d false raises, allowed %d\n",
			    c->name, r[i].nfalse, c->max_false);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_size),
		cmocka_unit_test(t_init),
		cmocka_unit_test(t_determinism),
		cmocka_unit_test(t_nonfinite),
		cmocka_unit_test(t_huge),
		cmocka_unit_test(t_constant),
		cmocka_unit_test(t_counter_reset),
		cmocka_unit_test(t_gaps),
		cmocka_unit_test(t_evaluation),
	};

	return cmocka_run_group_tests_name("anomaly", tests, NULL, NULL);
}
