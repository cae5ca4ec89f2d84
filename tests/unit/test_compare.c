/* SPDX-License-Identifier: MIT */
/*
 * Comparisons on synthetic data whose answer is known: equal
 * distributions are "~", a 20% shift is found with its interval, a 1%
 * shift is below the practical threshold; A against A with runs 2% apart
 * is called significant at most 5% of the time at every repetition count
 * that gives a verdict, and the interval covers the true ratio at least
 * 90% of the time; for an autocorrelated series, batch means cover the
 * truth where treating samples as independent does not.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "suites.h"

static uint64_t st = 88172645463325252ULL;

static double uniform(void)
{
	st ^= st << 13;
	st ^= st >> 7;
	st ^= st << 17;
	return ((double)(st >> 11) + 0.5) / 9007199254740992.0;
}

/* Latency-like: a lognormal around BASE, spread SIGMA. */
static double lat_s(double base, double sigma)
{
	double z = sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());

	return base * exp(sigma * z);
}

/* AR(1) around BASE with coefficient PHI: slow stretches that last. */
static void ar1(double *x, size_t n, double base, double phi)
{
	double e = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		double z =
			sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());

		e = phi * e + 0.05 * base * z;
		x[i] = base + e;
	}
}

static double normal(void)
{
	return sqrt(-2 * log(uniform())) * cos(2 * M_PI * uniform());
}

static void test_reps(void)
{
	static const struct {
		double base_a, base_b, sigma, threshold;
		size_t n;
		int verdict;
	} cases[] = {
		{ 100, 100, 0.1, 0.02, 20, 0 },	   /* same */
		{ 100, 120, 0.1, 0.02, 20, 1 },	   /* +20% */
		{ 100, 80, 0.1, 0.02, 20, -1 },	   /* -20% */
		{ 100, 101, 0.01, 0.02, 200, 0 },  /* real, too small */
		{ 100, 101, 0.01, 0.005, 200, 1 }, /* ... unless asked */
		{ 100, 130, 0.02, 0.02, 3, 1 },	   /* 3 reps: enough */
		{ 100, 105, 0.1, 0.02, 3, 0 },	   /* 3 noisy reps: ~ */
	};
	double a[2000], b[2000];
	struct vfb_cmp c, d;
	char why[128];
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < cases[i].n; k++) {
			a[k] = lat_s(cases[i].base_a, cases[i].sigma);
			b[k] = lat_s(cases[i].base_b, cases[i].sigma);
		}
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_reps(a, cases[i].n, b, cases[i].n,
						   cases[i].threshold, &c),
				      0);
		CU_ASSERT_EQUAL(c.verdict, cases[i].verdict);
		if (c.verdict != cases[i].verdict)
			fprintf(stderr,
				"case %zu: est %.4f [%.4f, %.4f] p %g\n", i,
				c.est, c.lo, c.hi, c.p);
		CU_ASSERT(c.lo <= c.est && c.est <= c.hi);
		/* the truth is inside the interval */
		CU_ASSERT(c.lo <= cases[i].base_b / cases[i].base_a &&
			  c.hi >= cases[i].base_b / cases[i].base_a);
		CU_ASSERT(!isnan(c.p));
	}
	/* no resampling: the same values give the same answer */
	vfb_cmp_reps(a, 20, b, 20, 0.02, &c);
	vfb_cmp_reps(a, 20, b, 20, 0.02, &d);
	CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
	/* too few repetitions: the estimate, no interval, no verdict, and
	 * why, even for a difference of 30% */
	a[0] = 100, a[1] = 101, b[0] = 130, b[1] = 131;
	for (k = 1; k < VFB_CMP_MIN_REPS; k++) {
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_reps(a, k, b, k, 0.02, &c), 0);
		CU_ASSERT(c.est > 1.28 && c.est < 1.31);
		CU_ASSERT(isnan(c.lo) && isnan(c.hi) && isnan(c.p));
		CU_ASSERT_FALSE(c.significant);
		CU_ASSERT_EQUAL(c.verdict, 0);
		vfb_cmp_why(&c, why, sizeof(why));
		CU_ASSERT_PTR_NOT_NULL(strstr(why, "run-to-run variation "
						   "unknown"));
	}
	vfb_cmp_reps(a, 1, b, 1, 0.02, &c);
	vfb_cmp_why(&c, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "1 repetition a side"));
	vfb_cmp_text(&c, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "+30.0% (no verdict: "));
	/* bad input */
	CU_ASSERT_EQUAL(vfb_cmp_reps(a, 0, b, 5, 0.02, &c), -EINVAL);
	a[0] = -1;
	CU_ASSERT_EQUAL(vfb_cmp_reps(a, 3, b, 3, 0.02, &c), -EINVAL);
	a[0] = NAN;
	CU_ASSERT_EQUAL(vfb_cmp_reps(a, 3, b, 3, 0.02, &c), -EINVAL);
}

/*
 * One repetition of a case, as an engine measures it: the run's own
 * level (LEVEL, which differs from run to run) times heavy-tailed
 * per-sample noise (lognormal, 2% of the samples a spike of 3-10x), then
 * reduced to the figure a row carries: p50, p99 (latency) or the mean of
 * per-interval rates (bandwidth).
 */
enum { SAMPLES = 200 };

static double rep_figure(double level, enum vfb_stat s)
{
	double x[SAMPLES];
	size_t i;

	for (i = 0; i < SAMPLES; i++) {
		if (s == VFB_STAT_MEAN) /* an interval's rate: narrow */
			x[i] = level * (1 + 0.03 * normal());
		else
			x[i] = level * exp(0.15 * normal()) *
			       (uniform() < 0.02 ? 3 + 7 * uniform() : 1);
	}
	return vfb_stat_inplace(x, SAMPLES, s);
}

/*
 * 1,000 trials of R repetitions a side, runs 2% apart (SPREAD, lognormal
 * between runs): how often A against A is called significant (at the
 * default 2% threshold, and with none: the interval alone) and how often
 * the interval of A against 1.10 x A covers 1.10.
 */
static void trials(enum vfb_stat s, size_t r, double spread, int *fp,
		   int *fp_raw, int *covered)
{
	double a[16], b[16], c10[16];
	struct vfb_cmp c;
	size_t k;
	int t;

	*fp = *fp_raw = *covered = 0;
	for (t = 0; t < 1000; t++) {
		for (k = 0; k < r; k++) {
			a[k] = rep_figure(10 * exp(spread * normal()), s);
			b[k] = rep_figure(10 * exp(spread * normal()), s);
			c10[k] = rep_figure(11 * exp(spread * normal()), s);
		}
		vfb_cmp_reps(a, r, b, r, VFB_CMP_THRESHOLD, &c);
		*fp += c.significant;
		vfb_cmp_reps(a, r, b, r, 0, &c);
		*fp_raw += c.significant;
		vfb_cmp_reps(a, r, c10, r, VFB_CMP_THRESHOLD, &c);
		*covered += c.lo <= 1.1 && c.hi >= 1.1;
	}
}

static void test_a_vs_a(void)
{
	static const struct {
		const char *name;
		enum vfb_stat s;
	} stats[] = { { "p50", VFB_STAT_MEDIAN },
		      { "p99", VFB_STAT_P99 },
		      { "bw mean", VFB_STAT_MEAN } };
	static const size_t reps[] = { VFB_CMP_MIN_REPS, 4, 5, 8, 10 };
	int fp, raw, cov;
	size_t i, j;

	fprintf(stderr, "\n  A vs A, 1000 trials, runs 2%% apart: "
			"significant (no threshold) / coverage of 1.10\n");
	for (i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		for (j = 0; j < sizeof(reps) / sizeof(reps[0]); j++) {
			trials(stats[i].s, reps[j], 0.02, &fp, &raw, &cov);
			fprintf(stderr,
				"  %-8s %2zu reps: %4.1f%% (%4.1f%%) / %5.1f%%\n",
				stats[i].name, reps[j], fp / 10.0, raw / 10.0,
				cov / 10.0);
			CU_ASSERT(fp <= 50);  /* at most 5% */
			CU_ASSERT(raw <= 70); /* the test itself: near 5% */
			CU_ASSERT(cov >= 900);
		}
}

/*
 * An autocorrelated series (AR(1), phi 0.95) of 2000 samples against a
 * second one from the same process: over 25 pairs the batch-means 95%
 * interval covers 1 most of the time; treating the samples as
 * independent values covers it much less often.
 */
static void test_series(void)
{
	enum { N = 2000, PAIRS = 25 };
	static double a[N], b[N];
	int covered = 0, naive = 0, pair;
	struct vfb_cmp c;
	char why[128];

	for (pair = 0; pair < PAIRS; pair++) {
		ar1(a, N, 100, 0.95);
		ar1(b, N, 100, 0.95);
		CU_ASSERT_EQUAL_FATAL(
			vfb_cmp_series(a, N, b, N, VFB_STAT_MEDIAN, 0.02, &c),
			0);
		covered += c.lo <= 1 && c.hi >= 1;
		CU_ASSERT(c.series && c.na == VFB_CMP_BATCHES);
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_reps(a, N, b, N, 0.02, &c), 0);
		naive += c.lo <= 1 && c.hi >= 1;
	}
	fprintf(stderr,
		"(95%% intervals covering the truth: batch means %d/%d, "
		"samples as independent %d/%d) ",
		covered, PAIRS, naive, PAIRS);
	CU_ASSERT(covered >= PAIRS * 8 / 10);
	CU_ASSERT(naive <= PAIRS * 6 / 10);
	CU_ASSERT(covered > naive);
	vfb_cmp_series(a, N, b, N, VFB_STAT_P99, 0.02, &c);
	vfb_cmp_why(&c, why, sizeof(why));
	CU_ASSERT_PTR_NOT_NULL(strstr(why, "within one run"));
	CU_ASSERT_EQUAL(vfb_cmp_series(a, 49, b, N, VFB_STAT_MEDIAN, 0.02, &c),
			-EINVAL);
}

/* Student's t against R's qt() and pt(). */
static void test_t_and_holm(void)
{
	double p[] = { 0.01, 0.04, 0.03, NAN }, want[] = { 0.03, 0.06, 0.06 };
	size_t i;

	CU_ASSERT_DOUBLE_EQUAL(vfb_t_quantile(0.975, 1), 12.7062047, 1e-5);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_quantile(0.975, 2), 4.30265273, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_quantile(0.975, 10), 2.22813885, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_p2(vfb_t_quantile(0.975, 3.5), 3.5), 0.05,
			       1e-9);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_quantile(0.975, 1e6), 1.959966, 1e-5);
	/* 2 * pt(-2, 5) = 0.1019395; 2 * pt(-0.5, 30) = 0.6207230 */
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_p2(2, 5), 0.1019395, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_p2(0.5, 30), 0.6207230, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(vfb_t_p2(0, 7), 1, 1e-12);
	vfb_holm(p, 4);
	for (i = 0; i < 3; i++)
		CU_ASSERT_DOUBLE_EQUAL(p[i], want[i], 1e-12);
	CU_ASSERT(isnan(p[3]));
}

static void test_text(void)
{
	struct vfb_cmp c = { .est = 1.123, .lo = 1.081, .hi = 1.16 };
	char buf[64];

	vfb_cmp_decide(&c, NAN, 0.02);
	vfb_cmp_text(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "+12.3% [+8.1, +16.0]");
	c = (struct vfb_cmp){ .est = 1.012, .lo = 0.97, .hi = 1.055 };
	vfb_cmp_decide(&c, NAN, 0.02);
	vfb_cmp_text(&c, buf, sizeof(buf));
	CU_ASSERT_STRING_EQUAL(buf, "~ (+1.2% [-3.0, +5.5])");
	/* an interval that excludes 1, but a corrected p that says no */
	c = (struct vfb_cmp){ .est = 1.2, .lo = 1.1, .hi = 1.3 };
	vfb_cmp_decide(&c, 0.2, 0.02);
	CU_ASSERT_EQUAL(c.verdict, 0);
	CU_ASSERT_DOUBLE_EQUAL(
		vfb_stat_of((double[]){ 3, 1, 2, 4 }, 4, VFB_STAT_MEDIAN), 2,
		0);
}

int test_compare_register(void)
{
	CU_pSuite s = CU_add_suite("common/compare", NULL, NULL);

	if (!s ||
	    !CU_add_test(s,
			 "repetitions: same, +20%, -20%, below the threshold, "
			 "too few",
			 test_reps) ||
	    !CU_add_test(s,
			 "A vs A at 2% between runs: <= 5% significant, "
			 ">= 90% coverage, every repetition count",
			 test_a_vs_a) ||
	    !CU_add_test(
		    s,
		    "autocorrelated series: batch means cover, naive does not",
		    test_series) ||
	    !CU_add_test(s, "Student's t against R, Holm", test_t_and_holm) ||
	    !CU_add_test(s, "verdict and text", test_text))
		return -1;
	return 0;
}
