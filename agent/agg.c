/*
 * agg.c - interval aggregation (see agg.h).
 */
#include <string.h>

#include "agg.h"
#include "senml.h"

/* FNV-1a over group and the descriptor's address (names are static). */
static uint32_t
hash(const char *group, const struct hr_series_desc *d)
{
	uint32_t h = 2166136261u;
	uintptr_t p = (uintptr_t)d;
	size_t i;

	for (; *group; group++)
		h = (h ^ (uint8_t)*group) * 16777619u;
	for (i = 0; i < sizeof(p); i++, p >>= 8)
		h = (h ^ (uint8_t)(p & 0xff)) * 16777619u;
	return h;
}

/* Groups are built by series_group() within HR_GROUP_LEN; truncate
 * anyway rather than trust it. */
static void
copy_group(char *dst, const char *src)
{
	size_t n = 0;

	while (n < HR_GROUP_LEN - 1 && src[n] != '\0')
		n++;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void
agg_init(struct hr_agg *a)
{
	/* only the indexes: slots are written when they are taken */
	memset(a->index, 0, sizeof(a->index));
	memset(a->cindex, 0, sizeof(a->cindex));
	a->norder = a->nsamples = a->ncap = 0;
	a->overflow = 0;
}

void
agg_caps_reset(struct hr_agg *a)
{
	uint32_t i;

	for (i = 0; i < a->ncap; i++)
		a->cindex[a->cap[i].hidx] = 0;
	a->ncap = 0;
}

void
agg_add_value(void *ctx, const char *group, const struct hr_series_desc *d,
    double v)
{
	struct hr_agg *a = ctx;
	struct agg_slot *s = NULL;
	uint32_t h, i, probe;

	h = hash(group, d);
	for (probe = 0; probe < HR_MAX_SERIES; probe++) {
		i = (h + probe) & (HR_MAX_SERIES - 1);
		if (a->index[i] == 0) {
			/* keep a quarter free: probing stays short */
			if (a->norder >= HR_MAX_SERIES - HR_MAX_SERIES / 4) {
				a->overflow++;
				return;
			}
			s = &a->slot[a->norder];
			s->d = d;
			s->n = 0;
			s->sum = 0;
			s->hidx = (uint16_t)i;
			copy_group(s->group, group);
			a->index[i] = (uint16_t)++a->norder;
			break;
		}
		s = &a->slot[a->index[i] - 1];
		if (s->d == d && strcmp(s->group, group) == 0)
			break;
	}
	if (probe == HR_MAX_SERIES) {
		a->overflow++;
		return;
	}
	if (s->n == 0 || v > s->max)
		s->max = v;
	if (s->n == 0 || v < s->min)
		s->min = v;
	s->sum += v;
	s->last = v;
	s->n++;
}

void
agg_add(struct hr_agg *a, const struct hr_metrics *m)
{
	series_each(m, agg_add_value, a);
	a->nsamples++;
}

/* Capacity changed since last sent (or never sent)?  Remembers it. */
static bool
cap_changed(struct hr_agg *a, const struct agg_slot *s, double v)
{
	uint32_t h = hash(s->group, s->d), i, probe;
	struct agg_cap *c;

	for (probe = 0; probe < HR_MAX_CAPS; probe++) {
		i = (h + probe) & (HR_MAX_CAPS - 1);
		if (a->cindex[i] == 0) {
			if (a->ncap >= HR_MAX_CAPS - HR_MAX_CAPS / 4) {
				/* Devices came and went until the table
				 * filled: start over (everything is sent
				 * once more, nothing is lost). */
				agg_caps_reset(a);
				return cap_changed(a, s, v);
			}
			c = &a->cap[a->ncap];
			c->d = s->d;
			memcpy(c->group, s->group, sizeof(c->group));
			c->sent = v;
			c->hidx = (uint16_t)i;
			a->cindex[i] = (uint16_t)++a->ncap;
			return true;
		}
		c = &a->cap[a->cindex[i] - 1];
		if (c->d == s->d && strcmp(c->group, s->group) == 0) {
			if (c->sent == v)
				return false;
			c->sent = v;
			return true;
		}
	}
	return true;
}

static bool
push(struct hr_agg *a, struct hr_rec *rec, uint32_t cap, uint32_t *n,
    const struct agg_slot *s, bool peak, double v)
{
	if (*n >= cap) {
		a->overflow++;
		return false;
	}
	rec[*n].group = s->group;
	rec[*n].name = s->d->name;
	rec[*n].peak = peak;
	rec[*n].unit = s->d->unit;
	rec[*n].v = v;
	rec[*n].vs = NULL;
	(*n)++;
	return true;
}

uint32_t
agg_finish(struct hr_agg *a, struct hr_rec *rec, uint32_t cap)
{
	struct agg_slot *s;
	uint32_t i, n = 0;
	double mean, peak;

	for (i = 0; i < a->norder; i++) {
		s = &a->slot[i];
		if (s->n == 0)
			continue;
		switch (s->d->kind) {
		case HR_AGG_SUM:
			push(a, rec, cap, &n, s, false,
			    senml_quantise(s->d->unit, s->sum));
			break;
		case HR_AGG_MIN:
			push(a, rec, cap, &n, s, false,
			    senml_quantise(s->d->unit, s->min));
			break;
		case HR_AGG_MAX:
			if (s->max >= HR_AGG_NOTE)
				push(a, rec, cap, &n, s, false,
				    senml_quantise(s->d->unit, s->max));
			break;
		case HR_AGG_CAPACITY:
			/* the latest value is the capacity now */
			mean = senml_quantise(s->d->unit, s->last);
			if (cap_changed(a, s, mean))
				push(a, rec, cap, &n, s, false, mean);
			break;
		default:
			mean = senml_quantise(s->d->unit, s->sum / s->n);
			peak = senml_quantise(s->d->unit, s->max);
			push(a, rec, cap, &n, s, false, mean);
			if (peak != mean)
				push(a, rec, cap, &n, s, true, peak);
			break;
		}
	}
	/* new interval: free the slots used (the group strings stay readable
	 * for the caller until the next agg_add) */
	for (i = 0; i < a->norder; i++)
		a->index[a->slot[i].hidx] = 0;
	a->norder = 0;
	a->nsamples = 0;
	return n;
}
