/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdlib.h>

#include "deadline.h"
#include "sizes.h"
#include "stats.h"
#include "suites.h"

#define NEAR(a, b, tol) CU_ASSERT_DOUBLE_EQUAL((a), (b), (tol))

static void test_exact(void)
{
	/* 1..1000 in reverse: known order statistics, mean and stdev. */
	static double s[1000];
	struct vfb_lat_stats st;
	int i;

	for (i = 0; i < 1000; i++)
		s[i] = 1000 - i;
	vfb_lat_stats_exact(s, 1000, &st);
	CU_ASSERT_EQUAL(st.n, 1000);
	NEAR(st.min, 1, 0);
	NEAR(st.max, 1000, 0);
	NEAR(st.mean, 500.5, 1e-9);
	NEAR(st.stdev, sqrt(1000.0 * 1001 / 12), 1e-9); /* n-1: 288.819 */
	NEAR(st.p50, 500, 0);
	NEAR(st.p99, 990, 0);
	/* 1000 samples do not support p99.9 or p99.99: n/a, not the max */
	CU_ASSERT(isnan(st.p999));
	CU_ASSERT(isnan(st.p9999));
	NEAR(st.err_bound, 0, 0);
	CU_ASSERT_EQUAL(vfb_pct_min_samples(0.99), 100);
	CU_ASSERT_EQUAL(vfb_pct_min_samples(0.999), 10000);
	CU_ASSERT_EQUAL(vfb_pct_min_samples(0.9999), 100000);
	{
		double *big = malloc(10000 * sizeof(double));

		for (i = 0; i < 10000; i++)
			big[i] = 10000 - i;
		vfb_lat_stats_exact(big, 10000, &st);
		NEAR(st.p999, 9990, 0);
		CU_ASSERT(isnan(st.p9999));
		free(big);
	}
}

static void test_small_and_empty(void)
{
	static const struct {
		double v[4];
		size_t n;
		double p50, mean, stdev;
	} cases[] = {
		{ { 7 }, 1, 7, 7, 0 },
		{ { 2, 1 }, 2, 1, 1.5, 0.70710678118654757 },
		/* sub-microsecond spread: perftest's integer stdev shows 0 */
		{ { 1.1, 1.2, 1.3, 1.4 }, 4, 1.2, 1.25, 0.12909944487358055 },
	};
	struct vfb_lat_stats st;
	double buf[4];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (size_t k = 0; k < cases[i].n; k++)
			buf[k] = cases[i].v[k];
		vfb_lat_stats_exact(buf, cases[i].n, &st);
		NEAR(st.p50, cases[i].p50, 1e-12);
		NEAR(st.mean, cases[i].mean, 1e-12);
		NEAR(st.stdev, cases[i].stdev, 1e-12);
	}
	vfb_lat_stats_exact(buf, 0, &st);
	CU_ASSERT_EQUAL(st.n, 0); /* "no samples", not zeros to report */
}

static void test_hist(void)
{
	/* Exponential-ish spread over 5 decades: the histogram's percentiles
	 * must stay within its stated bound of the exact ones. */
	static double exact[20000];
	struct vfb_lat_stats a, b;
	struct vfb_hist *h = malloc(sizeof(*h));
	unsigned int seed = 42;
	int i;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	vfb_hist_init(h);
	for (i = 0; i < 20000; i++) {
		double u = (rand_r(&seed) + 1.0) / ((double)RAND_MAX + 2);

		exact[i] = 800 - 1000 * log(u) + (i % 97 == 0 ? 5e6 : 0);
		vfb_hist_add(h, exact[i]);
	}
	vfb_hist_stats(h, &b);
	vfb_lat_stats_exact(exact, 20000, &a);
	CU_ASSERT_EQUAL(b.n, a.n);
	NEAR(b.min, a.min, 0);
	NEAR(b.max, a.max, 0);
	NEAR(b.mean, a.mean, a.mean * 1e-9);
	NEAR(b.stdev, a.stdev, a.stdev * 1e-6);
	CU_ASSERT(b.err_bound > 0 && b.err_bound < 0.01);
	NEAR(b.p50, a.p50, a.p50 * b.err_bound * 2);
	NEAR(b.p99, a.p99, a.p99 * b.err_bound * 2);
	NEAR(b.p999, a.p999, a.p999 * b.err_bound * 2);
	CU_ASSERT(isnan(b.p9999) && isnan(a.p9999)); /* 20000 < 100000 */
	free(h);
}

static void test_sizes(void)
{
	static const struct {
		const char *in;
		int ret;
		size_t n;
		uint64_t first, last;
	} cases[] = {
		{ "2,4096,65536", 0, 3, 2, 65536 },
		{ "64K,1M,2G", 0, 3, 65536, 1ULL << 31 },
		{ "8b", 0, 1, 8, 8 },
		{ "0", -22, 0, 0, 0 },
		{ "4G", -22, 0, 0, 0 },
		{ "12,x", -22, 0, 0, 0 },
		{ "", -22, 0, 0, 0 },
		{ "-5", -22, 0, 0, 0 },
		{ "3Q", -22, 0, 0, 0 },
		{ "2,,4", -22, 0, 0, 0 }, /* an empty item is not skipped */
		{ "2,", -22, 0, 0, 0 },
		{ ",2", -22, 0, 0, 0 },
		{ "17179869185G", -22, 0, 0, 0 }, /* (2^34 + 1) G wraps to 1G */
		{ "18446744073709551617", -22, 0, 0, 0 },
		{ "2048M", 0, 1, 1ULL << 31, 1ULL << 31 },
	};
	struct vfb_sizes s;
	char err[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int ret = vfb_sizes_parse(cases[i].in, &s, err, sizeof(err));

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		if (ret)
			continue;
		CU_ASSERT_EQUAL(s.n, cases[i].n);
		CU_ASSERT_EQUAL(s.v[0], cases[i].first);
		CU_ASSERT_EQUAL(s.v[s.n - 1], cases[i].last);
	}
	CU_ASSERT_EQUAL(vfb_sizes_sweep(2, 8 << 20, &s), 0);
	CU_ASSERT_EQUAL(s.n, 23);
	CU_ASSERT_EQUAL(vfb_sizes_max(&s), 8 << 20);
	CU_ASSERT_EQUAL(vfb_sizes_sweep(3, 8, &s), -22);
}

/* A timespec moved on by nanoseconds, across seconds, stays normalised;
 * a deadline is now plus its milliseconds. */
static void test_deadline(void)
{
	struct timespec t = { 5, 999999999L }, now, d;

	vfb_ts_add_ns(&t, 1);
	CU_ASSERT(t.tv_sec == 6 && t.tv_nsec == 0);
	vfb_ts_add_ns(&t, 2500000000LL);
	CU_ASSERT(t.tv_sec == 8 && t.tv_nsec == 500000000L);
	clock_gettime(CLOCK_REALTIME, &now);
	d = vfb_deadline_ms(1500);
	CU_ASSERT(d.tv_nsec >= 0 && d.tv_nsec < 1000000000L);
	CU_ASSERT((d.tv_sec - now.tv_sec) * 1e3 +
			  (d.tv_nsec - now.tv_nsec) / 1e6 >=
		  1500);
}

int test_stats_register(void)
{
	CU_pSuite s = CU_add_suite("common/stats", NULL, NULL);

	if (!s || !CU_add_test(s, "exact statistics, 1..1000", test_exact) ||
	    !CU_add_test(s, "small samples and none", test_small_and_empty) ||
	    !CU_add_test(s, "histogram within its bound", test_hist) ||
	    !CU_add_test(s, "size lists and sweeps", test_sizes) ||
	    !CU_add_test(s, "deadlines", test_deadline))
		return -1;
	return 0;
}
