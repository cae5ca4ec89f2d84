/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "stats.h"

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

double vfb_stat_inplace(double *x, size_t n, enum vfb_stat s)
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
	v = vfb_stat_inplace(t, n, s);
	free(t);
	return v;
}

/*
 * The regularised incomplete beta function I_x(a, b), by its continued
 * fraction (modified Lentz), on the side of x where it converges fast.
 */
static double beta_cf(double a, double b, double x)
{
	const double tiny = 1e-300;
	double c = 1, d = 1 - (a + b) * x / (a + 1), h, num, del;
	int m;

	d = 1 / (fabs(d) < tiny ? tiny : d);
	h = d;
	for (m = 1; m <= 300; m++) {
		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		h *= d * c;
		num = -(a + m) * (a + b + m) * x /
		      ((a + 2 * m) * (a + 2 * m + 1));
		d = 1 + num * d;
		c = 1 + num / c;
		d = 1 / (fabs(d) < tiny ? tiny : d);
		c = fabs(c) < tiny ? tiny : c;
		del = d * c;
		h *= del;
		if (fabs(del - 1) < 1e-15)
			break;
	}
	return h;
}

static double beta_inc(double a, double b, double x)
{
	double lf;

	if (x <= 0)
		return 0;
	if (x >= 1)
		return 1;
	lf = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x);
	if (x < (a + 1) / (a + b + 2))
		return exp(lf) * beta_cf(a, b, x) / a;
	return 1 - exp(lf) * beta_cf(b, a, 1 - x) / b;
}

double vfb_t_p2(double t, double df)
{
	if (isnan(t) || !(df > 0))
		return NAN;
	if (isinf(t))
		return 0;
	return beta_inc(df / 2, 0.5, df / (df + t * t));
}

double vfb_t_quantile(double q, double df)
{
	double lo = 0, hi = 1e7, mid, want = 2 * (1 - q);
	int i;

	if (!(q > 0.5 && q < 1) || !(df > 0))
		return NAN;
	for (i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
		mid = (lo + hi) / 2;
		if (vfb_t_p2(mid, df) > want)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

void vfb_cmp_decide(struct vfb_cmp *c, double p_adj, double threshold)
{
	c->p = p_adj;
	c->significant = !isnan(c->lo) && (c->lo > 1 || c->hi < 1) &&
			 fabs(c->est - 1) >= threshold && !(c->p >= 0.05);
	c->verdict = !c->significant ? 0 : c->est > 1 ? 1 : -1;
}

/* Mean and variance of log X[0..N); -EINVAL when a value is not a
 * positive finite number. */
static int log_moments(const double *x, size_t n, double *mean, double *var)
{
	double m = 0, s = 0, d;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!(x[i] > 0) || !isfinite(x[i]))
			return -EINVAL;
		d = log(x[i]) - m; /* Welford */
		m += d / (double)(i + 1);
		s += d * (log(x[i]) - m);
	}
	*mean = m;
	*var = n > 1 ? s / (double)(n - 1) : NAN;
	return 0;
}

/*
 * Welch's interval of exp(D), D = mean log B - mean log A with the
 * variances of the means VA, VB (NA, NB values), around CENTER (log).
 * Its degrees of freedom are the conservative min(NA, NB) - 1 (Hsu's),
 * not Satterthwaite's estimate: with 3-10 repetitions that estimate is
 * itself noisy and made the test reject A against A a little over 5% of
 * the time (5.4% for p99 at 8 repetitions, tests/unit/test_compare.c).
 */
static void welch(double center, double va, double vb, size_t na, size_t nb,
		  double threshold, struct vfb_cmp *out)
{
	double se = sqrt(va + vb), t;

	out->est = exp(center);
	out->df = (double)((na < nb ? na : nb) - 1);
	if (se == 0) { /* every value equal on both sides */
		out->lo = out->hi = out->est;
		vfb_cmp_decide(out, center == 0 ? 1 : 0, threshold);
		return;
	}
	t = vfb_t_quantile(0.975, out->df);
	out->lo = exp(center - t * se);
	out->hi = exp(center + t * se);
	vfb_cmp_decide(out, vfb_t_p2(center / se, out->df), threshold);
}

int vfb_cmp_reps(const double *a, size_t na, const double *b, size_t nb,
		 double threshold, struct vfb_cmp *out)
{
	double ma, va, mb, vb;

	memset(out, 0, sizeof(*out));
	out->lo = out->hi = out->p = out->df = NAN;
	if (!na || !nb || log_moments(a, na, &ma, &va) ||
	    log_moments(b, nb, &mb, &vb))
		return -EINVAL;
	out->na = na;
	out->nb = nb;
	out->est = exp(mb - ma);
	if (na < VFB_CMP_MIN_REPS || nb < VFB_CMP_MIN_REPS)
		return 0; /* no verdict: the variation between runs unknown */
	welch(mb - ma, va / (double)na, vb / (double)nb, na, nb, threshold,
	      out);
	return 0;
}

/* The statistic of each of K contiguous batches of X, into OUT (K >= 5). */
static int batch_stats(const double *x, size_t n, enum vfb_stat s, double *out,
		       size_t *k)
{
	size_t nb = n / VFB_CMP_BATCH_MIN, i, len;
	double *t;

	if (nb > VFB_CMP_BATCHES)
		nb = VFB_CMP_BATCHES;
	if (nb < 5)
		return -EINVAL;
	len = n / nb;
	t = malloc(len * sizeof(*t));
	if (!t)
		return -ENOMEM;
	for (i = 0; i < nb; i++) { /* the remainder goes to no batch */
		memcpy(t, x + i * len, len * sizeof(*t));
		out[i] = vfb_stat_inplace(t, len, s);
	}
	free(t);
	*k = nb;
	return 0;
}

int vfb_cmp_series(const double *a, size_t na, const double *b, size_t nb,
		   enum vfb_stat s, double threshold, struct vfb_cmp *out)
{
	double ba[VFB_CMP_BATCHES], bb[VFB_CMP_BATCHES];
	double sa = vfb_stat_of(a, na, s), sb = vfb_stat_of(b, nb, s);
	double ma, va, mb, vb;
	size_t ka, kb;

	memset(out, 0, sizeof(*out));
	out->lo = out->hi = out->p = out->df = NAN;
	if (!(sa > 0) || !(sb > 0) || batch_stats(a, na, s, ba, &ka) ||
	    batch_stats(b, nb, s, bb, &kb) || log_moments(ba, ka, &ma, &va) ||
	    log_moments(bb, kb, &mb, &vb))
		return -EINVAL;
	out->na = ka;
	out->nb = kb;
	out->series = true;
	/* the whole series' statistics, the batches' spread */
	welch(log(sb / sa), va / (double)ka, vb / (double)kb, ka, kb, threshold,
	      out);
	return 0;
}

double vfb_median_ci_rel_series(const double *x, size_t n)
{
	double bm[VFB_CMP_BATCHES], m, v;
	size_t k;

	if (batch_stats(x, n, VFB_STAT_MEDIAN, bm, &k) ||
	    log_moments(bm, k, &m, &v))
		return 1;
	return vfb_t_quantile(0.975, (double)(k - 1)) * sqrt(v / (double)k);
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

void vfb_cmp_why(const struct vfb_cmp *c, char *buf, size_t len)
{
	if (!isnan(c->lo) && c->series)
		snprintf(buf, len,
			 "within one run a side: run-to-run "
			 "variation not included");
	else if (!isnan(c->lo))
		snprintf(buf, len, "%s", "");
	else if (c->na == c->nb)
		snprintf(buf, len,
			 "%zu repetition%s a side: run-to-run variation "
			 "unknown (a verdict needs %d)",
			 c->na, c->na == 1 ? "" : "s", VFB_CMP_MIN_REPS);
	else
		snprintf(buf, len,
			 "%zu and %zu repetitions: run-to-run variation "
			 "unknown (a verdict needs %d a side)",
			 c->na, c->nb, VFB_CMP_MIN_REPS);
}

void vfb_cmp_text(const struct vfb_cmp *c, char *buf, size_t len)
{
	double e = (c->est - 1) * 100, lo = (c->lo - 1) * 100,
	       hi = (c->hi - 1) * 100;
	char why[128];

	if (isnan(c->lo)) {
		vfb_cmp_why(c, why, sizeof(why));
		snprintf(buf, len, "%+.1f%% (no verdict: %s)", e, why);
	} else if (c->significant) {
		snprintf(buf, len, "%+.1f%% [%+.1f, %+.1f]", e, lo, hi);
	} else {
		snprintf(buf, len, "~ (%+.1f%% [%+.1f, %+.1f])", e, lo, hi);
	}
}
