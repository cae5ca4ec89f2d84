/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

/* xorshift64*: small, fast, and the same everywhere for a seed. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static size_t rnd_below(uint64_t *s, size_t n)
{
	return (size_t)(rnd(s) % n);
}

static void swap(double *a, double *b)
{
	double t = *a;

	*a = *b;
	*b = t;
}

/* The K-th smallest of X[0..N) (X is reordered): selection with a
 * three-way partition, linear on average even with many equal values. */
static double select_kth(double *x, size_t n, size_t k)
{
	ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;

	while (lo < hi) {
		double pivot = x[lo + (hi - lo) / 2];
		ptrdiff_t lt = lo, i = lo, gt = hi;

		while (i <= gt) {
			if (x[i] < pivot)
				swap(&x[lt++], &x[i++]);
			else if (x[i] > pivot)
				swap(&x[i], &x[gt--]);
			else
				i++;
		}
		if (kk < lt)
			hi = lt - 1;
		else if (kk > gt)
			lo = gt + 1;
		else
			return pivot;
	}
	return x[kk];
}

/* S of X, reordering X (the scratch copy). */
static double stat_inplace(double *x, size_t n, enum vfb_stat s)
{
	double sum = 0;
	size_t i;

	if (!n)
		return NAN;
	switch (s) {
	case VFB_STAT_MEDIAN:
		return select_kth(x, n, vfb_rank(n, 0.5));
	case VFB_STAT_P99:
		return select_kth(x, n, vfb_rank(n, 0.99));
	case VFB_STAT_MEAN:
		for (i = 0; i < n; i++)
			sum += x[i];
		return sum / (double)n;
	}
	return NAN;
}

double vfb_stat_of(const double *x, size_t n, enum vfb_stat s)
{
	double *t, v;

	if (!n)
		return NAN;
	t = malloc(n * sizeof(*t));
	if (!t)
		return NAN;
	memcpy(t, x, n * sizeof(*t));
	v = stat_inplace(t, n, s);
	free(t);
	return v;
}

/* Resample X into T: N values, in blocks of L consecutive ones (L = 1:
 * value by value). */
static void resample(const double *x, size_t n, size_t l, double *t,
		     uint64_t *rs)
{
	size_t k = 0, start, j;

	if (l > n)
		l = n;
	while (k < n) {
		start = rnd_below(rs, n - l + 1);
		for (j = 0; j < l && k < n; j++)
			t[k++] = x[start + j];
	}
}

void vfb_cmp_decide(struct vfb_cmp *c, double p_adj, double threshold)
{
	c->p = p_adj;
	c->significant = (c->lo > 1 || c->hi < 1) &&
			 fabs(c->est - 1) >= threshold &&
			 (isnan(c->p) || c->p < 0.05);
	c->verdict = !c->significant ? 0 : c->est > 1 ? 1 : -1;
}

/* The bootstrap both comparisons share: blocks of LA and LB. */
static int bootstrap(const double *a, size_t na, size_t la, const double *b,
		     size_t nb, size_t lb, enum vfb_stat s, uint64_t seed,
		     struct vfb_cmp *out)
{
	double *ta = malloc(na * sizeof(double));
	double *tb = malloc(nb * sizeof(double));
	double *r = malloc(VFB_CMP_RESAMPLES * sizeof(double));
	double sa = vfb_stat_of(a, na, s), sb = vfb_stat_of(b, nb, s), x;
	uint64_t rs = seed * 2654435761ULL + 0x9e3779b97f4a7c15ULL;
	size_t k, nr = 0;
	int ret = 0;

	if (!ta || !tb || !r) {
		ret = -ENOMEM;
		goto out;
	}
	if (!(sa > 0)) {
		ret = -EINVAL;
		goto out;
	}
	for (k = 0; k < VFB_CMP_RESAMPLES; k++) {
		resample(a, na, la, ta, &rs);
		resample(b, nb, lb, tb, &rs);
		x = stat_inplace(ta, na, s);
		if (x > 0)
			r[nr++] = stat_inplace(tb, nb, s) / x;
	}
	if (nr < VFB_CMP_RESAMPLES / 2) {
		ret = -EINVAL;
		goto out;
	}
	qsort(r, nr, sizeof(*r), vfb_cmp_double);
	out->est = sb / sa;
	out->lo = r[(size_t)(0.025 * (double)(nr - 1))];
	out->hi = r[(size_t)ceil(0.975 * (double)(nr - 1))];
out:
	free(ta);
	free(tb);
	free(r);
	return ret;
}

int vfb_cmp_reps(const double *a, size_t na, const double *b, size_t nb,
		 enum vfb_stat s, double threshold, uint64_t seed,
		 struct vfb_cmp *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	if (na < 2 || nb < 2)
		return -EINVAL;
	ret = bootstrap(a, na, 1, b, nb, 1, s, seed, out);
	if (ret)
		return ret;
	out->block = 1;
	/* a rank test only where it can come out below 0.05 at all */
	vfb_cmp_decide(out,
		       na >= 4 && nb >= 4 ? vfb_mann_whitney_p(a, na, b, nb) :
					    NAN,
		       threshold);
	return 0;
}

size_t vfb_block_length(const double *x, size_t n)
{
	double mean = 0, var = 0, c, bound;
	size_t i, k, maxlag = n / 4 < 1000 ? n / 4 : 1000;
	size_t l = (size_t)ceil(cbrt((double)n));

	if (n < 8)
		return 1;
	for (i = 0; i < n; i++)
		mean += x[i];
	mean /= (double)n;
	for (i = 0; i < n; i++)
		var += (x[i] - mean) * (x[i] - mean);
	if (var <= 0)
		return l;
	bound = 2 / sqrt((double)n); /* white noise stays within */
	for (k = 1; k <= maxlag; k++) {
		c = 0;
		for (i = 0; i + k < n; i++)
			c += (x[i] - mean) * (x[i + k] - mean);
		if (fabs(c / var) < bound)
			break;
	}
	if (2 * k > l)
		l = 2 * k;
	return l < n / 2 ? l : n / 2;
}

int vfb_cmp_series(const double *a, size_t na, const double *b, size_t nb,
		   enum vfb_stat s, double threshold, uint64_t seed,
		   struct vfb_cmp *out)
{
	size_t la, lb;
	int ret;

	memset(out, 0, sizeof(*out));
	if (na < 8 || nb < 8)
		return -EINVAL;
	la = vfb_block_length(a, na);
	lb = vfb_block_length(b, nb);
	ret = bootstrap(a, na, la, b, nb, lb, s, seed, out);
	if (ret)
		return ret;
	out->block = la > lb ? la : lb;
	/* consecutive samples are not independent: no rank test on them */
	vfb_cmp_decide(out, NAN, threshold);
	return 0;
}

struct ranked {
	double v;
	int side; /* 0: a, 1: b */
};

static int cmp_ranked(const void *x, const void *y)
{
	return vfb_cmp_double(&((const struct ranked *)x)->v,
			      &((const struct ranked *)y)->v);
}

double vfb_mann_whitney_p(const double *a, size_t na, const double *b,
			  size_t nb)
{
	size_t n = na + nb, i, j;
	struct ranked *all;
	double r1 = 0, ties = 0, u, mu, var, z, t;

	if (na < 3 || nb < 3)
		return NAN;
	all = malloc(n * sizeof(*all));
	if (!all)
		return NAN;
	for (i = 0; i < na; i++)
		all[i] = (struct ranked){ a[i], 0 };
	for (i = 0; i < nb; i++)
		all[na + i] = (struct ranked){ b[i], 1 };
	qsort(all, n, sizeof(*all), cmp_ranked);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && all[j].v == all[i].v; j++)
			;
		t = (double)(j - i);
		ties += t * t * t - t;
		for (size_t k = i; k < j; k++) /* average rank, 1-based */
			if (!all[k].side)
				r1 += ((double)i + (double)j + 1) / 2;
	}
	free(all);
	u = r1 - (double)na * ((double)na + 1) / 2;
	mu = (double)na * (double)nb / 2;
	var = (double)na * (double)nb / 12 *
	      ((double)n + 1 - ties / ((double)n * ((double)n - 1)));
	if (var <= 0)
		return 1;
	z = (fabs(u - mu) - 0.5) / sqrt(var);
	if (z < 0)
		z = 0;
	return erfc(z / sqrt(2));
}

void vfb_holm(double *p, size_t n)
{
	size_t *idx = malloc(n * sizeof(*idx)), i, j, m = 0, t;
	double run = 0, v;

	if (!idx)
		return;
	for (i = 0; i < n; i++)
		if (!isnan(p[i]))
			idx[m++] = i;
	/* ascending p: the smallest is multiplied by m, the next by m - 1 */
	for (i = 1; i < m; i++)
		for (j = i; j > 0 && p[idx[j - 1]] > p[idx[j]]; j--) {
			t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	for (i = 0; i < m; i++) {
		v = p[idx[i]] * (double)(m - i);
		if (v > 1)
			v = 1;
		if (v < run)
			v = run; /* adjusted p-values never decrease */
		run = v;
		p[idx[i]] = v;
	}
	free(idx);
}

void vfb_cmp_text(const struct vfb_cmp *c, char *buf, size_t len)
{
	double e = (c->est - 1) * 100, lo = (c->lo - 1) * 100,
	       hi = (c->hi - 1) * 100;

	if (c->significant)
		snprintf(buf, len, "%+.1f%% [%+.1f, %+.1f]", e, lo, hi);
	else
		snprintf(buf, len, "~ (%+.1f%% [%+.1f, %+.1f])", e, lo, hi);
}

double vfb_median_ci_rel_series(const double *x, size_t n, uint64_t seed)
{
	size_t l, k, b = VFB_CMP_RESAMPLES;
	uint64_t rs = seed * 2654435761ULL + 0x9e3779b97f4a7c15ULL;
	double *t, *m, med, lo, hi;

	if (n < 8)
		return 1;
	if ((double)b * (double)n > 2e8) /* about a second at most */
		b = (size_t)(2e8 / (double)n) < 200 ? 200 :
						      (size_t)(2e8 / (double)n);
	l = vfb_block_length(x, n);
	t = malloc(n * sizeof(*t));
	m = malloc(b * sizeof(*m));
	if (!t || !m) {
		free(t);
		free(m);
		return 1;
	}
	for (k = 0; k < b; k++) {
		resample(x, n, l, t, &rs);
		m[k] = stat_inplace(t, n, VFB_STAT_MEDIAN);
	}
	qsort(m, b, sizeof(*m), vfb_cmp_double);
	lo = m[(size_t)(0.025 * (double)(b - 1))];
	hi = m[(size_t)ceil(0.975 * (double)(b - 1))];
	memcpy(t, x, n * sizeof(*t));
	med = stat_inplace(t, n, VFB_STAT_MEDIAN);
	free(t);
	free(m);
	return med > 0 ? (hi - lo) / 2 / med : 1;
}
