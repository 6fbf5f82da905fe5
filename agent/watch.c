/*
 * watch.c - queues, indicators, forecasts and events (watch.h).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../platform/log.h"
#include "../platform/platform.h"
#include "../platform/queue.h"
#include "anomaly.h"
#include "forecast.h"
#include "senml.h"
#include "watch.h"

/* A resource not seen for this long is forgotten (its forecast too); a
 * raised condition on it is cleared as "vanished".  Long enough that a
 * statvfs failing for a few samples costs no history. */
#define GRACE_US        (60ULL * 1000000)
/* An exhaustion event clears once the forecast is gone or this many
 * times the horizon away: the estimate wobbles around the threshold. */
#define TTE_CLEAR       1.5
/* At most one warning per queue this often while its probe fails with
 * a changing reason. */
#define QLOG_US         (60ULL * 1000000)

struct cond {
	bool     raised;
	uint64_t since;        /* the pending change began; 0: none */
	uint64_t began;        /* the raised condition began */
};

struct slot {
	char        group[HR_GROUP_LEN];
	bool        used;
	uint8_t     kind;      /* enum ind_kind */
	int16_t     fc[2];     /* forecasts: fill (space), inodes; -1 */
	int16_t     an[IND_NQ];   /* detectors of util, sat, errors; -1 */
	uint8_t     a_q;       /* enum ind_q: the series whose flag raised
	                          WATCH_ANOMALY */
	double      a_score;   /* its score at the last anomaly event */
	uint64_t    seen;      /* last sample it had indicators */
	struct cond c[WATCH_CONDS];
	double      headroom, tte;
	const char *why;
	const char *tte_why;   /* which fill the forecast is of: for a
	                          mount "space" or "inodes" */
};

struct qstate {
	struct pf_queue q;
	bool     ok;           /* set up (pf_queue_init succeeded) */
	bool     running;      /* exec: started, outcome not yet taken (a
	                          process that would not die is given up by
	                          queue.c while its pid is still set) */
	uint64_t capacity;
	double   depth;        /* last value */
	uint64_t at;           /* when it was taken; 0: none yet */
	double   growth;       /* NAN until two values */
	uint64_t fails;        /* since the previous sample */
	bool     failing;
	uint64_t logged;       /* last warning */
	char     logwhy[PF_QUEUE_WHY_LEN];
};

static struct {
	struct watch_params p;
	uint64_t      fresh_us;        /* an exec value is current this long */
	struct slot   slot[IND_MAX];
	uint32_t      nslots;          /* high-water mark of slot[] */
	uint32_t      cur;             /* where the last lookup ended */
	struct forecast fc[WATCH_FORECASTS];
	bool          fc_used[WATCH_FORECASTS];
	struct anomaly an[WATCH_ANOMS];
	bool          an_used[WATCH_ANOMS];
	uint32_t      an_hi;           /* high-water mark of an[] */
	/* the interval's anomaly figures (watch_records) */
	uint64_t      a_n, a_up;       /* series-samples, with a flag up */
	double        a_max;           /* greatest score */
	struct qstate q[HR_MAX_QUEUES];
	uint32_t      nq;
	struct ind_set ind;
	/* the interval's least headroom */
	bool          b_have;
	double        b_head;
	char          b_res[HR_GROUP_LEN];
	const char   *b_why;
	/* what the last records point at */
	char          r_res[HR_GROUP_LEN];
	struct watch_stats st;
} W;

/* ---- queues ------------------------------------------------------------------ */

static void
queue_setup(struct qstate *s, const struct hr_queue_conf *c)
{
	char why[PF_QUEUE_WHY_LEN];

	s->capacity = c->capacity;
	s->ok = pf_queue_init(&s->q, c->name, c->type,
	    c->type == PF_QUEUE_EXEC ? c->command : c->path, c->timeout_us,
	    why, sizeof(why)) == 0;
	if (!s->ok)
		log_warnx("queue %s: %s: not probed", c->name, why);
}

static void
queues_setup(const struct watch_params *p, bool keep)
{
	/* the old table, searched while the new one is written */
	static struct qstate prev[HR_MAX_QUEUES];
	struct qstate old;
	uint32_t i, j, nprev = W.nq;

	watch_stop();
	memcpy(prev, W.q, nprev * sizeof(prev[0]));
	for (i = 0; i < p->nqueues && i < HR_MAX_QUEUES; i++) {
		const struct hr_queue_conf *c = &p->queue[i];
		bool found = false;

		/* a queue that stays keeps its last value and growth */
		for (j = 0; keep && j < nprev; j++)
			if (strcmp(prev[j].q.name, c->name) == 0) {
				found = true;
				break;
			}
		if (found)
			old = prev[j];
		memset(&W.q[i], 0, sizeof(W.q[i]));
		W.q[i].q.fd = -1;
		W.q[i].growth = HR_NAN;
		if (found && old.q.type == c->type) {
			W.q[i].depth = old.depth;
			W.q[i].at = old.at;
			W.q[i].growth = old.growth;
		}
		queue_setup(&W.q[i], c);
	}
	W.nq = i;
}

static void
queue_value(struct qstate *s, double depth, uint64_t now)
{
	W.st.probes++;
	if (s->at != 0 && now > s->at)
		s->growth = (depth - s->depth) / ((double)(now - s->at) / 1e6);
	s->depth = depth;
	s->at = now;
	if (s->failing)
		log_info("queue %s: probing again: depth %g", s->q.name, depth);
	s->failing = false;
}

static void
queue_fail(struct qstate *s, uint64_t now)
{
	W.st.probes++;
	W.st.probe_failures++;
	s->fails++;
	if (!s->failing || (strcmp(s->logwhy, s->q.why) != 0 &&
	    now - s->logged >= QLOG_US)) {
		log_warnx("queue %s: %s%s%s%s", s->q.name, s->q.why,
		    s->failing ? "" : " (counted in queue.", s->failing ? "" :
		    s->q.name, s->failing ? "" : ".fail; not logged again "
		    "while it fails for the same reason; another reason at "
		    "most once a minute)");
		snprintf(s->logwhy, sizeof(s->logwhy), "%s", s->q.why);
		s->logged = now;
	}
	s->failing = true;
	/* a failed probe says nothing about the growth */
	s->at = 0;
	s->growth = HR_NAN;
}

static void
queues_probe(struct hr_metrics *m, uint64_t now)
{
	struct pf_queue_val v;
	uint32_t i;
	int r;

	m->nqueues = 0;
	for (i = 0; i < W.nq; i++) {
		struct qstate *s = &W.q[i];
		struct hr_queue_m *o = &m->queue[m->nqueues++];
		bool fresh;

		snprintf(o->name, sizeof(o->name), "%s", s->q.name);
		o->capacity = (double)s->capacity;
		if (!s->ok) {
			o->depth = o->util = o->growth = HR_NAN;
			o->fails = 0;
			continue;
		}
		if (s->q.type != PF_QUEUE_EXEC) {
			r = pf_queue_probe(&s->q, &v);
			if (r == 0)
				queue_value(s, v.depth, now);
			else
				queue_fail(s, now);
			fresh = r == 0;
		} else {
			/* the value of the last run (started a sample ago);
			 * then the next run, unless one is still going */
			fresh = s->at != 0 && now - s->at <= W.fresh_us;
			if (!s->running) {
				r = pf_queue_exec_start(&s->q, now);
				if (r == 0)
					s->running = true;
				else if (r == HR_EIO)
					queue_fail(s, now);
				/* HR_EAGAIN: a process that would not die
				 * is not reaped yet: no new one meanwhile */
			}
		}
		o->depth = fresh ? s->depth : HR_NAN;
		/* an overfull queue is full: its depth says by how much */
		o->util = !fresh ? HR_NAN : s->depth >= (double)s->capacity ?
		    1 : s->depth / (double)s->capacity;
		o->growth = fresh ? s->growth : HR_NAN;
		o->fails = (double)s->fails;
		s->fails = 0;
	}
}

unsigned
watch_pollfds(struct pf_pollfd *p, unsigned max, uint64_t *deadline)
{
	unsigned n = 0;
	uint32_t i;
	int fd;

	for (i = 0; i < W.nq; i++) {
		struct pf_queue *q = &W.q[i].q;

		if (!W.q[i].running)
			continue;
		if (pf_queue_exec_wake(q) < *deadline)
			*deadline = pf_queue_exec_wake(q);
		if ((fd = pf_queue_exec_fd(q)) >= 0 && n < max) {
			p[n].fd = fd;
			p[n].events = PF_IN;
			p[n].revents = 0;
			n++;
		}
	}
	return n;
}

void
watch_io(const struct pf_pollfd *p, unsigned n, uint64_t now)
{
	struct pf_queue_val v;
	uint32_t i;
	unsigned k;
	int r, fd;

	for (i = 0; i < W.nq; i++) {
		struct qstate *s = &W.q[i];
		bool ready = false;

		if (!s->running)
			continue;
		fd = pf_queue_exec_fd(&s->q);
		for (k = 0; fd >= 0 && k < n; k++)
			if (p[k].fd == fd && p[k].revents != 0)
				ready = true;
		if (!ready && now < pf_queue_exec_wake(&s->q))
			continue;
		r = pf_queue_exec_step(&s->q, now, &v);
		if (r == HR_EAGAIN)
			continue;
		s->running = false;
		if (r == 0)
			queue_value(s, v.depth, now);
		else
			queue_fail(s, now);
	}
}

void
watch_stop(void)
{
	uint32_t i;

	for (i = 0; i < W.nq; i++) {
		if (W.q[i].q.type == PF_QUEUE_EXEC && W.q[i].q.pid > 0)
			pf_queue_exec_cancel(&W.q[i].q);
		W.q[i].running = false;
	}
}

/* ---- resources ---------------------------------------------------------------- */

/* Forecast i starts empty, over the configured horizon. */
static void
fc_start(uint32_t i)
{
	struct forecast_params fp;

	forecast_params_default(&fp);
	fp.horizon_s = W.p.horizon_s;
	forecast_init(&W.fc[i], &fp);
}

static int16_t
fc_new(void)
{
	uint32_t i;

	for (i = 0; i < WATCH_FORECASTS; i++)
		if (!W.fc_used[i]) {
			fc_start(i);
			W.fc_used[i] = true;
			return (int16_t)i;
		}
	W.st.overflow++;
	return -1;
}

static bool
fills(enum ind_kind k)
{
	return k == IND_MEM || k == IND_CG_MEM || k == IND_CONNTRACK ||
	    k == IND_FD || k == IND_PID || k == IND_FS || k == IND_QUEUE;
}

static int16_t
an_new(void)
{
	uint32_t i;

	for (i = 0; i < WATCH_ANOMS; i++)
		if (!W.an_used[i]) {
			anomaly_init(&W.an[i], 0);
			W.an_used[i] = true;
			W.st.detectors++;
			if (i >= W.an_hi)
				W.an_hi = i + 1;
			return (int16_t)i;
		}
	W.st.overflow++;
	return -1;
}

static void
slot_free(struct slot *s)
{
	int j;

	for (j = 0; j < 2; j++)
		if (s->fc[j] >= 0)
			W.fc_used[s->fc[j]] = false;
	for (j = 0; j < IND_NQ; j++)
		if (s->an[j] >= 0) {
			W.an_used[s->an[j]] = false;
			W.st.detectors--;
		}
	memset(s, 0, sizeof(*s));
}

/* The slot of resource r, made if new; NULL when the table is full. */
static struct slot *
slot_of(const struct ind_res *r)
{
	struct slot *s, *free_s = NULL;
	uint32_t k, i;

	for (k = 0; k < W.nslots; k++) {
		i = (W.cur + k) % W.nslots;
		s = &W.slot[i];
		if (s->used && strcmp(s->group, r->group) == 0) {
			W.cur = i + 1;
			return s;
		}
	}
	for (i = 0; i < W.nslots; i++)
		if (!W.slot[i].used) {
			free_s = &W.slot[i];
			break;
		}
	if (free_s == NULL) {
		if (W.nslots >= IND_MAX) {
			W.st.overflow++;
			return NULL;
		}
		free_s = &W.slot[W.nslots++];
	}
	s = free_s;
	memset(s, 0, sizeof(*s));
	s->used = true;
	s->kind = r->kind;
	memcpy(s->group, r->group, sizeof(s->group));
	s->fc[0] = s->fc[1] = -1;
	s->an[IND_Q_UTIL] = s->an[IND_Q_SAT] = s->an[IND_Q_ERR] = -1;
	if (fills((enum ind_kind)r->kind)) {
		s->fc[0] = fc_new();
		if (r->kind == IND_FS)
			s->fc[1] = fc_new();
	}
	return s;
}

/* The fill(s) of a filling resource, for its forecasts. */
static void
fill_of(const struct hr_metrics *m, const struct ind_res *r, double f[2])
{
	f[0] = f[1] = HR_NAN;
	switch (r->kind) {
	case IND_MEM:       f[0] = m->mem_util; break;
	case IND_CG_MEM:    f[0] = m->cg_mem_util; break;
	case IND_CONNTRACK: f[0] = m->conntrack_fill; break;
	case IND_FD:        f[0] = m->fd_fill; break;
	case IND_PID:       f[0] = m->pid_fill; break;
	case IND_FS:
		f[0] = m->mount[r->idx].util;
		f[1] = m->mount[r->idx].inodes_util;
		break;
	case IND_QUEUE:     f[0] = m->queue[r->idx].util; break;
	default:            break;
	}
}

static void
forecast_step(const struct hr_metrics *m, struct slot *s,
    struct ind_res *r, double t_s)
{
	double f[2], eta, best = HR_NAN;
	int j;

	fill_of(m, r, f);
	for (j = 0; j < 2; j++) {
		if (s->fc[j] < 0)
			continue;
		forecast_add(&W.fc[s->fc[j]], t_s, f[j]);
		if (forecast_eta(&W.fc[s->fc[j]], &eta) &&
		    (isnan(best) || eta < best)) {
			best = eta;
			/* the sooner side is what will run out */
			s->tte_why = r->kind != IND_FS ? r->why :
			    j == 0 ? "space" : "inodes";
		}
	}
	r->tte = best;
}

/* ---- events ------------------------------------------------------------------- */

const char *
watch_cond_name(int cond)
{
	static const char *const name[WATCH_CONDS] = {
		[WATCH_HEADROOM] = "headroom",
		[WATCH_EXHAUSTION] = "exhaustion",
		[WATCH_ANOMALY] = "anomaly",
	};

	return cond >= 0 && cond < WATCH_CONDS ? name[cond] : "?";
}

static void
emit(struct slot *s, int cond, bool raised, const char *why,
    uint64_t held_us)
{
	char res[HR_GROUP_LEN];
	struct watch_event ev;

	ind_name(res, sizeof(res), s->group);
	ev.cond = cond;
	ev.raised = raised;
	ev.resource = res;
	ev.why = why != NULL ? why : "utilisation";
	ev.headroom = s->headroom;
	ev.tte = s->tte;
	ev.level = cond == WATCH_HEADROOM ? (raised ? W.p.below : W.p.clear) :
	    cond == WATCH_ANOMALY ? ANOM_RAISE :
	    (raised ? W.p.within_s : W.p.within_s * TTE_CLEAR);
	ev.score = cond == WATCH_ANOMALY ? s->a_score : HR_NAN;
	ev.held_s = (double)held_us / 1e6;
	if (raised) {
		W.st.raised++;
		W.st.active++;
	} else {
		W.st.cleared++;
		W.st.active--;
	}
	if (W.p.on_event != NULL)
		W.p.on_event(W.p.ctx, &ev);
}

/*
 * One condition, one sample: bad/good say whether the value is past
 * the raise or the clear threshold (neither: between them, or unknown,
 * and nothing changes).  A change must hold for hold_us.
 */
static void
decide(struct slot *s, int cond, bool bad, bool good, uint64_t now)
{
	struct cond *c = &s->c[cond];
	bool toward = c->raised ? good : bad;
	/* an exhaustion is of the side forecast to fill first */
	const char *why = cond == WATCH_EXHAUSTION && s->tte_why != NULL ?
	    s->tte_why : s->why;

	if (!toward) {
		c->since = 0;
		return;
	}
	if (c->since == 0)
		c->since = now;
	if (now - c->since < W.p.hold_us)
		return;
	c->raised = !c->raised;
	if (c->raised) {
		c->began = c->since;
		emit(s, cond, true, why, now - c->since);
	} else {
		emit(s, cond, false, why, now - c->began);
	}
	c->since = 0;
}

static void
events_step(struct slot *s, uint64_t now)
{
	double h = s->headroom, t = s->tte;

	if (!W.p.events)
		return;
	decide(s, WATCH_HEADROOM, !isnan(h) && h < W.p.below,
	    !isnan(h) && h >= W.p.clear, now);
	if (W.p.within_s > 0 && s->fc[0] >= 0)
		decide(s, WATCH_EXHAUSTION, !isnan(t) && t < W.p.within_s,
		    isnan(t) || t >= W.p.within_s * TTE_CLEAR, now);
}

/*
 * The anomaly detectors of one resource, one sample: util, sat and
 * errors each have their own (made at the series' first value; an
 * unknown value afterwards is still given to it, so that a flag can
 * clear).  The resource's WATCH_ANOMALY condition is raised when one
 * of its flags rises, naming that series, and cleared when none is up;
 * the flag's own hysteresis (anomaly.h) is the hold.
 */
static const char *const q_name[IND_NQ] = { "util", "sat", "errors" };

static void
anomaly_step(struct slot *s, struct ind_res *r, double t_s, uint64_t now)
{
	const double v[IND_NQ] = { r->util, r->sat, r->errors };
	struct cond *c = &s->c[WATCH_ANOMALY];
	int j, rose = -1;
	bool up = false;

	for (j = 0; j < IND_NQ; j++) {
		int edge;

		if (s->an[j] < 0 && !isnan(v[j]))
			s->an[j] = an_new();
		if (s->an[j] < 0)
			continue;
		struct anomaly *a = &W.an[s->an[j]];
		double sc = anomaly_update(a, t_s, v[j], &edge);
		if (isnan(v[j]))
			continue;
		r->anom[j] = sc;
		W.a_n++;
		W.a_up += a->flag;
		if (sc > W.a_max)
			W.a_max = sc;
		if (edge > 0 && rose < 0)
			rose = j;
		up = up || a->flag;
	}
	if (!W.p.events || !W.p.anomaly)
		return;
	if (!c->raised && rose >= 0) {
		c->raised = true;
		c->began = now;
		s->a_q = (uint8_t)rose;
		s->a_score = r->anom[rose];
		emit(s, WATCH_ANOMALY, true, q_name[rose], 0);
	} else if (c->raised && !up) {
		c->raised = false;
		s->a_score = r->anom[s->a_q];
		emit(s, WATCH_ANOMALY, false, q_name[s->a_q], now - c->began);
	}
}

/* Resources gone for GRACE_US: raised conditions cleared, forgotten. */
static void
sweep(uint64_t now)
{
	uint32_t i;
	int c;

	for (i = 0; i < W.nslots; i++) {
		struct slot *s = &W.slot[i];

		if (!s->used || now - s->seen < GRACE_US)
			continue;
		s->headroom = s->tte = HR_NAN;
		for (c = 0; c < WATCH_CONDS; c++)
			if (s->c[c].raised)
				emit(s, c, false, "vanished",
				    now - s->c[c].began);
		slot_free(s);
	}
	while (W.nslots > 0 && !W.slot[W.nslots - 1].used)
		W.nslots--;
}

/* ---- per sample ----------------------------------------------------------------- */

void
watch_sample(struct hr_metrics *m, uint64_t now)
{
	double t_s = (double)now / 1e6;
	/* the detectors' daily profile wants the time of day */
	double t_wall = m->wall_ns > 0 ? (double)m->wall_ns / 1e9 : t_s;
	struct ind_set *set = &W.ind;
	uint32_t i;

	queues_probe(m, now);
	indicators_compute(m, set);
	for (i = 0; i < set->n; i++) {
		struct ind_res *r = &set->r[i];
		struct slot *s = slot_of(r);

		if (s == NULL)
			continue;
		s->seen = now;
		forecast_step(m, s, r, t_s);
		s->headroom = r->headroom;
		s->tte = r->tte;
		s->why = r->why;
		events_step(s, now);
		anomaly_step(s, r, t_wall, now);
	}
	sweep(now);
	if (set->bottleneck >= 0) {
		const struct ind_res *b = &set->r[set->bottleneck];

		if (!W.b_have || b->headroom < W.b_head) {
			W.b_have = true;
			W.b_head = b->headroom;
			W.b_why = b->why;
			ind_name(W.b_res, sizeof(W.b_res), b->group);
		}
	}
	m->ind = set;
}

/* The interval's bottleneck, three records (r has room for them). */
static uint32_t
bottleneck_records(struct hr_rec *r)
{
	W.b_have = false;
	memcpy(W.r_res, W.b_res, sizeof(W.r_res));
	memset(r, 0, 3 * sizeof(*r));
	r[0].group = r[1].group = r[2].group = "bottleneck.";
	r[0].name = "res";
	r[0].vs = W.r_res;
	r[1].name = "why";
	r[1].vs = W.b_why;
	r[2].name = "headroom";
	r[2].unit = "/";
	r[2].v = senml_quantise("/", W.b_head);
	return 3;
}

uint32_t
watch_records(struct hr_rec *r, uint32_t cap)
{
	uint32_t n = 0;

	if (W.b_have && cap >= 3)
		n = bottleneck_records(r);
	if (W.a_n > 0 && cap - n >= 2) {
		memset(r + n, 0, 2 * sizeof(*r));
		r[n].group = r[n + 1].group = "anomaly.";
		r[n].name = "rate";
		r[n].unit = "/";
		r[n].v = senml_quantise("/", (double)W.a_up / (double)W.a_n);
		r[n + 1].name = "max";
		r[n + 1].unit = "/";
		r[n + 1].v = senml_quantise("/", W.a_max);
		n += 2;
	}
	W.a_n = W.a_up = 0;
	W.a_max = 0;
	return n;
}


/* ---- set-up ---------------------------------------------------------------------- */

void
watch_params_conf(const struct hr_conf *c, struct watch_params *wp)
{
	memset(wp, 0, sizeof(*wp));
	wp->queue = c->queue;
	wp->nqueues = c->nqueues;
	wp->period_us = c->sample_period_us;
	wp->horizon_s = (double)c->forecast_horizon_us / 1e6;
	wp->events = c->events_enabled;
	wp->below = c->headroom_below;
	wp->clear = c->headroom_clear;
	wp->hold_us = c->events_hold_us;
	wp->within_s = (double)c->exhaustion_within_us / 1e6;
	wp->anomaly = c->events_anomaly;
}

static void
params_set(const struct watch_params *p)
{
	uint64_t t = 0;
	uint32_t i;

	W.p = *p;
	/* an exec value counts until two periods have passed, or the
	 * longest timeout and a period: a slow command still reports */
	for (i = 0; i < p->nqueues; i++)
		if (p->queue[i].type == PF_QUEUE_EXEC &&
		    p->queue[i].timeout_us > t)
			t = p->queue[i].timeout_us;
	W.fresh_us = 2 * p->period_us > t + p->period_us ?
	    2 * p->period_us : t + p->period_us;
}

/*
 * Start over.  Only what was used is cleared (the storage is static, so
 * zero at first): the tables are sized for the largest host, and pages
 * a host never uses are never touched.
 */
void
watch_init(const struct watch_params *p)
{
	uint32_t i;

	watch_stop();
	memset(W.slot, 0, W.nslots * sizeof(W.slot[0]));
	W.nslots = 0;
	W.cur = 0;
	for (i = 0; i < WATCH_FORECASTS; i++)
		W.fc_used[i] = false;
	memset(W.an_used, 0, W.an_hi * sizeof(W.an_used[0]));
	W.an_hi = 0;
	W.a_n = W.a_up = 0;
	W.a_max = 0;
	W.nq = 0;
	W.ind.n = 0;
	W.ind.bottleneck = -1;
	W.b_have = false;
	memset(&W.st, 0, sizeof(W.st));
	params_set(p);
	queues_setup(p, false);
}

void
watch_reconfigure(const struct watch_params *p)
{
	bool horizon = p->horizon_s != W.p.horizon_s;
	uint32_t i;

	params_set(p);
	queues_setup(p, true);
	/* a condition no longer decided cannot stay raised for ever */
	for (i = 0; i < W.nslots; i++) {
		struct slot *s = &W.slot[i];
		int c;

		for (c = 0; c < WATCH_CONDS; c++)
			if (s->used && s->c[c].raised && (!W.p.events ||
			    (c == WATCH_EXHAUSTION && W.p.within_s <= 0) ||
			    (c == WATCH_ANOMALY && !W.p.anomaly))) {
				s->c[c].raised = false;
				s->c[c].since = 0;
				emit(s, c, false, "events off",
				    pf_mono_us() - s->c[c].began);
			}
	}
	if (!horizon)
		return;
	/* a new bucket width: the history does not fit it */
	log_info("watch: forecast horizon changed: forecasts start over");
	for (i = 0; i < WATCH_FORECASTS; i++)
		if (W.fc_used[i])
			fc_start(i);
}

const struct watch_stats *
watch_stats(void)
{
	uint32_t i;

	/* kills are counted by queue.c, per queue */
	W.st.exec_kills = 0;
	for (i = 0; i < W.nq; i++)
		W.st.exec_kills += W.q[i].q.kills;
	return &W.st;
}
