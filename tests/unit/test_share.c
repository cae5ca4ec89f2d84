/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <string.h>

#include "share.h"
#include "suites.h"

static void test_jain(void)
{
	static const struct {
		double x[4];
		size_t n;
		double want;
	} cases[] = {
		{ { 1, 1, 1, 1 }, 4, 1 }, { { 1, 0, 0, 0 }, 4, 0.25 },
		{ { 2, 1 }, 2, 0.9 },	  { { 5 }, 1, 1 },
		{ { 0, 0 }, 2, NAN },	  { { 0 }, 0, NAN },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double j = bench_jain(cases[i].x, cases[i].n);

		if (isnan(cases[i].want)) {
			CU_ASSERT(isnan(j));
		} else {
			CU_ASSERT_DOUBLE_EQUAL(j, cases[i].want, 1e-12);
		}
	}
}

static void test_cap_verdict(void)
{
	static const struct {
		double cap, got;
		const char *want;
	} cases[] = {
		{ NAN, 100, "none" },	     { 0, 100, "none" },
		{ 20, 153, "exceeded" },     { 20, 22.1, "exceeded" },
		{ 20, 21.9, "enforced" },    { 20, 18.1, "enforced" },
		{ 20, 17.9, "not_reached" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_STRING_EQUAL(
			bench_cap_verdict(cases[i].cap, cases[i].got),
			cases[i].want);
}

static struct vfb_result bw_row(double gbps, bool ok)
{
	struct vfb_result r;

	vfb_result_init(&r);
	r.has_bw = ok;
	r.bw_avg_gbps = gbps;
	r.msg_rate_mpps = gbps / 2;
	r.status = ok ? VFB_STATUS_OK : VFB_STATUS_ERROR;
	return r;
}

static void test_aggregate(void)
{
	struct vfb_result a = bw_row(1, true), b = bw_row(3, true),
			  bad = bw_row(0, false), agg;
	const struct vfb_result *two[] = { &a, &b }, *failed[] = { &a, &bad };

	vfb_result_init(&agg);
	bench_share_aggregate(two, 2, 2, &agg);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(agg.bw_avg_gbps, 4, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.msg_rate_mpps, 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.jain, 0.8, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_min, 0.25, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_max, 0.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.efficiency, 2, 1e-12);
	vfb_result_init(&agg);
	bench_share_aggregate(two, 2, 0, &agg); /* no baseline */
	CU_ASSERT(isnan(agg.efficiency));
	vfb_result_init(&agg);
	bench_share_aggregate(failed, 2, 2, &agg);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_ERROR);
	CU_ASSERT_STRING_EQUAL(agg.error, "1 of 2 members measured");
}

static void test_penalty(void)
{
	static const double alone[] = { 100, 110, 90, 105, 95 },
			    loaded[] = { 200, 220, 180, 210, 190 },
			    same[] = { 100, 110, 90, 105, 95 },
			    holes[] = { NAN, NAN, NAN, NAN, 190 };
	struct vfb_ratio p;

	bench_penalty(alone, loaded, 5, &p);
	CU_ASSERT_DOUBLE_EQUAL(p.est, 2, 1e-9);
	CU_ASSERT(p.lo <= 2 && p.hi >= 2 && p.lo > 1);
	bench_penalty(alone, same, 5, &p);
	CU_ASSERT_DOUBLE_EQUAL(p.est, 1, 1e-9);
	CU_ASSERT(p.lo <= 1 && p.hi >= 1);
	bench_penalty(alone, holes, 5, &p); /* one pair: no interval */
	CU_ASSERT(!isnan(p.est) && isnan(p.lo) && isnan(p.hi));
}

int test_share_register(void)
{
	CU_pSuite s = CU_add_suite("bench/share", NULL, NULL);

	if (!s || !CU_add_test(s, "Jain's index", test_jain) ||
	    !CU_add_test(s, "rate cap verdicts", test_cap_verdict) ||
	    !CU_add_test(s, "aggregate of members", test_aggregate) ||
	    !CU_add_test(s, "isolation penalty with its interval",
			 test_penalty))
		return -1;
	return 0;
}
