/* SPDX-License-Identifier: MIT */
/* The detector (detect.h): each observation's ratio to the fleet's
 * reference for its case (the median over hosts of each host's median
 * in the case), a host's score the median ratio of its pairs, suspects
 * by a robust z on the log scores, then the switches whose crossings are
 * slow while their hosts are good within them, then the slow pairs of
 * good hosts: links. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "detect.h"

static void swap(double *v, size_t i, size_t j)
{
	double t = v[i];

	v[i] = v[j];
	v[j] = t;
}

/* Quickselect, three ways (the many equal values of a quiet fleet):
 * V[K] as if V were sorted, the values before it no greater. */
static double select_k(double *v, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double p = v[lo + (hi - lo) / 2];
		size_t lt = lo, gt = hi, x = lo;

		while (x <= gt) { /* [lo, lt) < p, [lt, x) == p, (gt, hi] > p */
			if (v[x] < p)
				swap(v, lt++, x++);
			else if (v[x] > p)
				swap(v, x, gt--);
			else
				x++;
		}
		if (k < lt)
			hi = lt - 1;
		else if (k > gt)
			lo = gt + 1;
		else
			return p;
	}
	return v[k];
}

double msh_median(double *v, size_t n)
{
	size_t i;
	double hi, lo;

	if (!n)
		return NAN;
	hi = select_k(v, n, n / 2);
	if (n & 1)
		return hi;
	for (lo = v[0], i = 1; i < n / 2; i++)
		lo = v[i] > lo ? v[i] : lo;
	return (lo + hi) / 2;
}

struct work {
	const struct msh_obs *o;
	size_t n;
	const struct msh_detect_cfg *cfg;
	double *lr;    /* by observation: log ratio; NAN: not measured */
	uint32_t *off; /* host h's observations: idx[off[h] .. off[h+1]) */
	uint32_t *idx;
	double *tmp;	 /* room for n values */
	double *within;	 /* by host: median log ratio within its leaf */
	double pair_thr; /* log */
};

static bool measured(const struct msh_obs *o)
{
	return !(o->flags & MSH_OBS_ERROR) && o->value > 0;
}

/* Case C's reference: the median over hosts of each host's median value
 * in it. The median of the case's values would break down in a small
 * fleet: with 4 hosts, one slow host is in half the pairs, and the
 * reference then fell between the slow and the good values (a good
 * pair's ratio 0.03, the slow host's 2, whatever its delay). Each host's
 * median takes at most one of its values from a slow partner. HM: room
 * for nhosts values. */
static double reference(struct work *w, uint32_t nhosts, uint32_t c, double *hm)
{
	uint32_t h, k, nh = 0;

	for (h = 0; h < nhosts; h++) {
		size_t m = 0;

		for (k = w->off[h]; k < w->off[h + 1]; k++) {
			const struct msh_obs *o = &w->o[w->idx[k]];

			if (o->kase == c && measured(o))
				w->tmp[m++] = o->value;
		}
		if (m)
			hm[nh++] = msh_median(w->tmp, m);
	}
	return msh_median(hm, nh);
}

/* The log ratio of every observation to its case's reference. */
static int ratios(struct work *w, uint32_t nhosts, uint32_t ncases)
{
	size_t i;
	uint32_t c;
	double *hm = malloc((nhosts + 1) * sizeof(*hm));

	if (!hm)
		return -ENOMEM;
	for (c = 0; c < ncases; c++) {
		double ref = reference(w, nhosts, c, hm);
		for (i = 0; i < w->n; i++) {
			const struct msh_obs *o = &w->o[i];

			if (o->kase != c)
				continue;
			w->lr[i] = measured(o) ? log(o->value / ref) : NAN;
			if (o->flags & MSH_OBS_LOWER_WORSE)
				w->lr[i] = -w->lr[i];
		}
	}
	free(hm);
	return 0;
}

/* Each host's observations, both ends. */
static void index_hosts(struct work *w, uint32_t nhosts)
{
	size_t i;
	uint32_t h;

	for (i = 0; i < w->n; i++) {
		w->off[w->o[i].a + 1]++;
		w->off[w->o[i].b + 1]++;
	}
	for (h = 0; h < nhosts; h++)
		w->off[h + 1] += w->off[h];
	for (i = 0; i < w->n; i++) {
		w->idx[w->off[w->o[i].a]++] = (uint32_t)i;
		w->idx[w->off[w->o[i].b]++] = (uint32_t)i;
	}
	for (h = nhosts; h > 0; h--)
		w->off[h] = w->off[h - 1];
	w->off[0] = 0;
}

/* The median and the robust deviation (1.4826 MAD, MIN at least) of
 * V[0 .. n). */
static void robust(double *v, size_t n, double min, double *center,
		   double *scale)
{
	size_t i;

	*center = msh_median(v, n);
	for (i = 0; i < n; i++)
		v[i] = fabs(v[i] - *center);
	*scale = 1.4826 * msh_median(v, n);
	if (!(*scale >= min))
		*scale = min;
}

/* Z robust deviations above the center, and MIN_RATIO times it at
 * least (the floor follows the fleet, not the reference). */
static double threshold(const struct msh_detect_cfg *c, double center,
			double scale)
{
	double t = c->z * scale;

	return center + (t > log(c->min_ratio) ? t : log(c->min_ratio));
}

/* Host H's score over its pairs (WITHIN: only those inside its leaf). */
static double host_score(struct work *w, uint32_t h, bool within,
			 struct msh_host_verdict *hv)
{
	uint32_t k;
	size_t m = 0;
	const uint32_t *leaf = w->cfg->leaves ? w->cfg->leaves->leaf : NULL;

	for (k = w->off[h]; k < w->off[h + 1]; k++) {
		const struct msh_obs *o = &w->o[w->idx[k]];

		if (within && (!leaf || leaf[o->a] == MSH_NO_LEAF ||
			       leaf[o->a] != leaf[o->b]))
			continue;
		if (isnan(w->lr[w->idx[k]])) {
			if (hv)
				hv->errors++;
			continue;
		}
		w->tmp[m++] = w->lr[w->idx[k]];
	}
	if (hv)
		hv->pairs = (uint32_t)m + hv->errors;
	return m >= (within ? 1 : w->cfg->min_pairs) ? msh_median(w->tmp, m) :
						       NAN;
}

/* Scores, the fleet's center and scale, the suspects. */
static int judge_hosts(struct work *w, struct msh_verdicts *v)
{
	uint32_t h;
	size_t m = 0;
	const struct msh_detect_cfg *c = w->cfg;
	double *ls = malloc(v->nhosts * sizeof(*ls)), thr;

	if (!ls)
		return -ENOMEM;
	for (h = 0; h < v->nhosts; h++) {
		ls[h] = host_score(w, h, false, &v->host[h]);
		w->within[h] = host_score(w, h, true, NULL);
		v->host[h].score = exp(ls[h]);
	}
	for (h = 0; h < v->nhosts; h++)
		if (!isnan(ls[h]))
			w->tmp[m++] = ls[h];
	robust(w->tmp, m, c->min_scale, &v->center, &v->scale);
	thr = threshold(c, v->center, v->scale);
	v->host_threshold = exp(thr);
	for (h = 0; h < v->nhosts; h++) {
		struct msh_host_verdict *hv = &v->host[h];

		hv->state = MSH_HOST_GOOD;
		if (hv->errors >= 2 && 2 * hv->errors > hv->pairs)
			hv->why = MSH_WHY_ERRORS;
		else if (isnan(ls[h]))
			hv->state = MSH_HOST_UNJUDGED;
		else if (ls[h] > thr)
			hv->why = MSH_WHY_SLOW;
		if (hv->why)
			hv->state = MSH_HOST_SUSPECT;
	}
	free(ls);
	return 0;
}

/* Whether observation I is slow (both ends measured it). */
static bool slow(const struct work *w, size_t i)
{
	return !isnan(w->lr[i]) && w->lr[i] > w->pair_thr;
}

/* A suspect whose pairs inside its leaf are slow too: a host, whatever
 * the switch does. */
static bool really_suspect(const struct work *w, const struct msh_verdicts *v,
			   uint32_t h)
{
	return v->host[h].state == MSH_HOST_SUSPECT &&
	       (v->host[h].why == MSH_WHY_ERRORS || isnan(w->within[h]) ||
		w->within[h] > log(v->host_threshold));
}

/* The log ratios of the measured pairs into TMP, those with a suspect
 * end left out unless ALL; their count. */
static size_t pair_ratios(struct work *w, const struct msh_verdicts *v,
			  bool all)
{
	size_t i, m = 0;

	for (i = 0; i < w->n; i++)
		if (!isnan(w->lr[i]) &&
		    (all || (v->host[w->o[i].a].state != MSH_HOST_SUSPECT &&
			     v->host[w->o[i].b].state != MSH_HOST_SUSPECT)))
			w->tmp[m++] = w->lr[i];
	return m;
}

/* The pair threshold over the pairs whose ends are not suspects (all
 * pairs where no pair is such): a slow host's pairs, half of a small
 * fleet's, would otherwise set it. Then each host's slow pairs. */
static void pair_threshold(struct work *w, struct msh_verdicts *v)
{
	size_t m = pair_ratios(w, v, false);
	uint32_t h, k;
	double center, scale;

	if (!m)
		m = pair_ratios(w, v, true);
	robust(w->tmp, m, w->cfg->min_scale, &center, &scale);
	w->pair_thr = threshold(w->cfg, center, scale);
	v->pair_threshold = exp(w->pair_thr);
	for (h = 0; h < v->nhosts; h++)
		for (k = w->off[h]; k < w->off[h + 1]; k++)
			v->host[h].slow += slow(w, w->idx[k]);
}

/* P(X >= X) for X Poisson with mean LAM. */
static double poisson_tail(uint32_t x, double lam)
{
	double s = 0, t;
	uint32_t j;

	if (!x)
		return 1;
	for (j = x; j < x + 1000; j++) {
		t = exp((double)j * log(lam) - lam - lgamma(j + 1.0));
		s += t;
		if ((double)j > lam && t < s * 1e-12)
			break;
	}
	return s;
}

/* The crossings of each leaf, neither end a host slow within its leaf:
 * counted, the slow ones, their median ratio. */
static int crossings(struct work *w, const struct msh_verdicts *v,
		     uint32_t *cross, uint32_t *nslow, uint64_t *c, uint64_t *s)
{
	size_t i;
	const uint32_t *leaf = w->cfg->leaves->leaf;

	for (i = 0; i < w->n; i++) {
		uint32_t la = leaf[w->o[i].a], lb = leaf[w->o[i].b];

		if (la == MSH_NO_LEAF || lb == MSH_NO_LEAF || la == lb ||
		    isnan(w->lr[i]) || really_suspect(w, v, w->o[i].a) ||
		    really_suspect(w, v, w->o[i].b))
			continue;
		cross[la]++;
		cross[lb]++;
		(*c)++;
		if (slow(w, i)) {
			nslow[la]++;
			nslow[lb]++;
			(*s)++;
		}
	}
	return 0;
}

/* Leaf L's median log ratio within it (WITHIN) or across it. */
static double leaf_median(struct work *w, const struct msh_verdicts *v,
			  uint32_t l, bool within)
{
	size_t i, m = 0;
	const uint32_t *leaf = w->cfg->leaves->leaf;

	for (i = 0; i < w->n; i++) {
		uint32_t la = leaf[w->o[i].a], lb = leaf[w->o[i].b];

		if ((la != l && lb != l) || (within != (la == lb)) ||
		    isnan(w->lr[i]) || really_suspect(w, v, w->o[i].a) ||
		    really_suspect(w, v, w->o[i].b))
			continue;
		w->tmp[m++] = w->lr[i];
	}
	return msh_median(w->tmp, m);
}

static int add_switch(struct msh_verdicts *v,
		      const struct msh_switch_verdict *s)
{
	struct msh_switch_verdict *p =
		realloc(v->sw, (v->nsw + 1) * sizeof(*p));

	if (!p)
		return -ENOMEM;
	v->sw = p;
	v->sw[v->nsw++] = *s;
	return 0;
}

/* A leaf is named when its slow crossings are beyond chance (Poisson at
 * the rate of the other leaves' crossings, alpha over the leaves) while
 * its hosts are good within it; its hosts slow only across are then
 * explained by it. */
static int switches(struct work *w, struct msh_verdicts *v)
{
	const struct msh_leaves *lv = w->cfg->leaves;
	uint32_t l, h, *cross, *nslow;
	uint64_t c = 0, s = 0;
	int ret = 0;

	if (!lv || lv->nleaves < 2)
		return 0;
	cross = calloc(lv->nleaves, sizeof(*cross));
	nslow = calloc(lv->nleaves, sizeof(*nslow));
	if (!cross || !nslow)
		ret = -ENOMEM;
	if (!ret)
		crossings(w, v, cross, nslow, &c, &s);
	for (l = 0; !ret && l < lv->nleaves; l++) {
		struct msh_switch_verdict sv = { .leaf = l,
						 .cross = cross[l],
						 .slow = nslow[l] };

		sv.expected = (double)cross[l] * (double)(s - nslow[l] + 1) /
			      (double)(c - cross[l] + 1);
		if (nslow[l] < 3 || poisson_tail(nslow[l], sv.expected) >=
					    w->cfg->switch_alpha / lv->nleaves)
			continue;
		sv.within = exp(leaf_median(w, v, l, true));
		sv.across = exp(leaf_median(w, v, l, false));
		if (!(sv.within > v->host_threshold))
			ret = add_switch(v, &sv);
	}
	for (h = 0; !ret && h < v->nhosts; h++)
		for (l = 0; l < v->nsw; l++)
			if (lv->leaf[h] == v->sw[l].leaf &&
			    v->host[h].why == MSH_WHY_SLOW &&
			    !really_suspect(w, v, h)) {
				v->host[h].state = MSH_HOST_GOOD;
				v->host[h].why = MSH_WHY_SWITCH;
			}
	free(nslow);
	free(cross);
	return ret;
}

static bool named_leaf(const struct work *w, const struct msh_verdicts *v,
		       uint32_t h)
{
	size_t l;

	for (l = 0; w->cfg->leaves && l < v->nsw; l++)
		if (w->cfg->leaves->leaf[h] == v->sw[l].leaf)
			return true;
	return false;
}

static uint64_t key(const struct msh_obs *o)
{
	uint32_t lo = o->a < o->b ? o->a : o->b, hi = o->a ^ o->b ^ lo;

	return (uint64_t)lo << 32 | hi;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Whether observation I is a link's: slow, both ends good, no named
 * switch between them. */
static bool link_obs(const struct work *w, const struct msh_verdicts *v,
		     size_t i)
{
	const struct msh_obs *o = &w->o[i];

	return slow(w, i) && v->host[o->a].state == MSH_HOST_GOOD &&
	       v->host[o->b].state == MSH_HOST_GOOD &&
	       !(named_leaf(w, v, o->a) || named_leaf(w, v, o->b));
}

/* Each link's observations (found by their key): seen, slow, the
 * median ratio; OFF has room for nlinks + 1. */
static void link_stats(struct work *w, struct msh_verdicts *v,
		       const uint64_t *keys, size_t *off)
{
	size_t i, l;
	uint64_t k;
	const uint64_t *at;

	for (i = 0; i < w->n; i++)
		if (!isnan(w->lr[i]) &&
		    (k = key(&w->o[i]),
		     at = bsearch(&k, keys, v->nlinks, sizeof(*keys), cmp_u64)))
			off[at - keys + 1]++;
	for (l = 0; l < v->nlinks; l++)
		off[l + 1] += off[l];
	for (i = 0; i < w->n; i++)
		if (!isnan(w->lr[i]) &&
		    (k = key(&w->o[i]), at = bsearch(&k, keys, v->nlinks,
						     sizeof(*keys), cmp_u64))) {
			l = (size_t)(at - keys);
			w->tmp[off[l] + v->link[l].seen++] = w->lr[i];
			v->link[l].slow += slow(w, i);
		}
	for (l = 0; l < v->nlinks; l++) {
		struct msh_link_verdict *lk = &v->link[l];

		lk->ratio = exp(msh_median(w->tmp + off[l], lk->seen));
		lk->a = (uint32_t)(keys[l] >> 32);
		lk->b = (uint32_t)keys[l];
		lk->confirmed = lk->slow >= 3 && 2 * lk->slow > lk->seen;
	}
}

/* The slow pairs whose ends are good, once each. */
static int links(struct work *w, struct msh_verdicts *v)
{
	size_t i, n = 0, u = 0, *off;
	uint64_t *keys = malloc((w->n + 1) * sizeof(*keys));

	if (!keys)
		return -ENOMEM;
	for (i = 0; i < w->n; i++)
		if (link_obs(w, v, i))
			keys[n++] = key(&w->o[i]);
	qsort(keys, n, sizeof(*keys), cmp_u64);
	for (i = 0; i < n; i++)
		if (!u || keys[u - 1] != keys[i])
			keys[u++] = keys[i];
	v->link = calloc(u + 1, sizeof(*v->link));
	off = calloc(u + 1, sizeof(*off));
	if (v->link && off) {
		v->nlinks = u;
		link_stats(w, v, keys, off);
	}
	free(off);
	free(keys);
	return v->link && off ? 0 : -ENOMEM;
}

int msh_detect(const struct msh_obs *o, size_t n, uint32_t nhosts,
	       uint32_t ncases, const struct msh_detect_cfg *cfg,
	       struct msh_verdicts *v)
{
	struct work w = { .o = o, .n = n, .cfg = cfg };
	size_t i;
	int ret = -ENOMEM;

	memset(v, 0, sizeof(*v));
	for (i = 0; i < n; i++)
		if (o[i].a >= nhosts || o[i].b >= nhosts ||
		    o[i].kase >= ncases || o[i].a == o[i].b)
			return -EINVAL;
	v->nhosts = nhosts;
	v->host = calloc(nhosts, sizeof(*v->host));
	w.lr = malloc((n + 1) * sizeof(*w.lr));
	w.tmp = malloc((2 * n + nhosts + 1) * sizeof(*w.tmp));
	w.off = calloc(nhosts + 1, sizeof(*w.off));
	w.idx = malloc((2 * n + 1) * sizeof(*w.idx));
	w.within = malloc(nhosts * sizeof(*w.within));
	if (v->host && w.lr && w.tmp && w.off && w.idx && w.within) {
		index_hosts(&w, nhosts);
		ret = ratios(&w, nhosts, ncases);
		if (!ret)
			ret = judge_hosts(&w, v);
		if (!ret) {
			pair_threshold(&w, v);
			ret = switches(&w, v);
		}
		if (!ret)
			ret = links(&w, v);
	}
	for (i = 0; i < nhosts && !ret; i++)
		v->nsuspects += v->host[i].state == MSH_HOST_SUSPECT;
	free(w.within);
	free(w.idx);
	free(w.off);
	free(w.tmp);
	free(w.lr);
	if (ret)
		msh_verdicts_free(v);
	return ret;
}

void msh_verdicts_free(struct msh_verdicts *v)
{
	free(v->host);
	free(v->link);
	free(v->sw);
	memset(v, 0, sizeof(*v));
}
