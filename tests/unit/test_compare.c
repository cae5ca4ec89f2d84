/* SPDX-License-Identifier: MIT */
/*
 * Comparisons on synthetic data whose answer is known: equal
 * distributions are "~", a 20% shift is found with its interval, a 1%
 * shift is below the practical threshold, and for an autocorrelated
 * series the block bootstrap's interval covers the truth where a naive
 * one (blocks of 1) does not.
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

static double lat(double base)
{
	return lat_s(base, 0.1);
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

static void test_reps(void)
{
	static const struct {
		double base_a, base_b, sigma, threshold;
		size_t n;
		enum vfb_stat s;
		int verdict;
	} cases[] = {
		{ 100, 100, 0.1, 0.02, 20, VFB_STAT_MEDIAN, 0 }, /* same */
		{ 100, 120, 0.1, 0.02, 20, VFB_STAT_MEDIAN, 1 }, /* +20% */
		{ 100, 80, 0.1, 0.02, 20, VFB_STAT_MEAN, -1 },	 /* -20% */
		{ 100, 101, 0.01, 0.02, 200, VFB_STAT_MEDIAN,
		  0 }, /* real, too small */
		{ 100, 101, 0.01, 0.005, 200, VFB_STAT_MEDIAN,
		  1 }, /* ... unless asked */
		{ 100, 130, 0.02, 0.02, 3, VFB_STAT_MEDIAN,
		  1 }, /* 3 reps: no rank test */
		{ 100, 105, 0.1, 0.02, 3, VFB_STAT_MEDIAN,
		  0 }, /* 3 noisy reps: ~ */
	};
	double a[2000], b[2000];
	struct vfb_cmp c;
	size_t i, k;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (k = 0; k < cases[i].n; k++) {
			a[k] = lat_s(cases[i].base_a, cases[i].sigma);
			b[k] = lat_s(cases[i].base_b, cases[i].sigma);
		}
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_reps(a, cases[i].n, b, cases[i].n,
						   cases[i].s,
						   cases[i].threshold, i, &c),
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
		CU_ASSERT_EQUAL(isnan(c.p), cases[i].n < 4);
	}
	/* the same seed gives the same interval */
	{
		struct vfb_cmp d;

		vfb_cmp_reps(a, 20, b, 20, VFB_STAT_MEDIAN, 0.02, 7, &c);
		vfb_cmp_reps(a, 20, b, 20, VFB_STAT_MEDIAN, 0.02, 7, &d);
		CU_ASSERT_EQUAL(memcmp(&c, &d, sizeof(c)), 0);
	}
	CU_ASSERT_EQUAL(vfb_cmp_reps(a, 1, b, 5, VFB_STAT_MEDIAN, 0.02, 1, &c),
			-EINVAL);
}

/*
 * An autocorrelated series (AR(1), phi 0.95) of 1000 samples against a
 * second one from the same process: over 30 pairs the block bootstrap's
 * 95% interval covers 1 most of the time; blocks of 1 (what a naive
 * bootstrap does) much less often, and the block is longer than n^(1/3).
 */
static void test_series(void)
{
	enum { N = 2000, PAIRS = 25 };
	static double a[N], b[N];
	int covered = 0, naive = 0, pair;
	size_t block = 0;
	struct vfb_cmp c;

	for (pair = 0; pair < PAIRS; pair++) {
		ar1(a, N, 100, 0.95);
		ar1(b, N, 100, 0.95);
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_series(a, N, b, N,
						     VFB_STAT_MEDIAN, 0.02,
						     pair, &c),
				      0);
		covered += c.lo <= 1 && c.hi >= 1;
		block = c.block;
		CU_ASSERT(c.block > 15);
		CU_ASSERT(isnan(c.p));
		CU_ASSERT_EQUAL_FATAL(vfb_cmp_reps(a, N, b, N, VFB_STAT_MEDIAN,
						   0.02, pair, &c),
				      0);
		naive += c.lo <= 1 && c.hi >= 1;
	}
	fprintf(stderr,
		"(95%% intervals covering the truth: blocks of %zu %d/%d, "
		"blocks of 1 %d/%d) ",
		block, covered, PAIRS, naive, PAIRS);
	CU_ASSERT(covered >= PAIRS * 8 / 10);
	CU_ASSERT(naive <= PAIRS * 6 / 10);
	CU_ASSERT(covered > naive);
	/* white noise: short blocks */
	for (pair = 0; pair < N; pair++)
		a[pair] = lat(100);
	CU_ASSERT(vfb_block_length(a, N) <= 2 * (size_t)ceil(cbrt(N)));
}

static void test_rank_test_and_holm(void)
{
	static const double x[] = { 1, 2, 3 }, y[] = { 4, 5, 6 };
	static const double t1[] = { 1, 2, 2, 3 }, t2[] = { 2, 3, 3, 4 };
	double p[] = { 0.01, 0.04, 0.03, NAN }, want[] = { 0.03, 0.06, 0.06 };
	size_t i;

	/* R: wilcox.test(1:3, 4:6, exact = FALSE) -> p-value = 0.08086 */
	CU_ASSERT_DOUBLE_EQUAL(vfb_mann_whitney_p(x, 3, y, 3), 0.08086, 1e-4);
	CU_ASSERT_DOUBLE_EQUAL(vfb_mann_whitney_p(x, 3, x, 3), 1, 1e-9);
	/* ties: U = 3, mean 8, variance 16/12 * (9 - 48/56): z = 4.5/3.2950,
	 * p = 0.1720 (R: wilcox.test(..., exact = FALSE) says the same) */
	CU_ASSERT_DOUBLE_EQUAL(vfb_mann_whitney_p(t1, 4, t2, 4), 0.1720, 1e-3);
	CU_ASSERT(isnan(vfb_mann_whitney_p(x, 2, y, 3)));
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
	/* an interval that excludes 1, but a rank test that says no */
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
			 "repetitions: same, +20%, -20%, below the threshold",
			 test_reps) ||
	    !CU_add_test(
		    s,
		    "autocorrelated series: block bootstrap covers, naive does not",
		    test_series) ||
	    !CU_add_test(s, "Mann-Whitney against R, Holm",
			 test_rank_test_and_holm) ||
	    !CU_add_test(s, "verdict and text", test_text))
		return -1;
	return 0;
}
