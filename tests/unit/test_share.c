/* SPDX-License-Identifier: MIT */
#include <errno.h>
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
		double j = shr_jain(cases[i].x, cases[i].n);

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
			shr_cap_verdict(cases[i].cap, cases[i].got),
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
	shr_aggregate(two, 2, 2, &agg);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(agg.bw_avg_gbps, 4, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.msg_rate_mpps, 2, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.jain, 0.8, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_min, 0.25, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_max, 0.75, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(agg.efficiency, 2, 1e-12);
	vfb_result_init(&agg);
	shr_aggregate(two, 2, 0, &agg); /* no baseline */
	CU_ASSERT(isnan(agg.efficiency));
	vfb_result_init(&agg);
	shr_aggregate(failed, 2, 2, &agg);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_ERROR);
	CU_ASSERT_STRING_EQUAL(agg.error, "1 of 2 members measured");
}

/*
 * The example: two members on a 100 Gb/s link that share it
 * 70/30 while both run, each moving B bytes (-n). The first is done at
 * B/70; the second then runs alone at 100. Over their own windows they
 * read 70 and 50 (sum 120, Jain 0.973, efficiency 1.20); over the common
 * window 70 and 30 (sum 100, Jain 0.862, efficiency 1.00).
 */
static void test_window(void)
{
	const double B = 70e9 / 8; /* bytes: the first is done at 1 s */
	const double ta[] = { 0, 1 }, ba[] = { 0, B };
	const double tb[] = { 0, 1, 1 + (B - 30e9 / 8) / (100e9 / 8) },
		     bb[] = { 0, 30e9 / 8, B };
	const struct shr_series s[] = { { ta, ba, 2 }, { tb, bb, 3 } };
	struct vfb_result a = bw_row(70, true),
			  b = bw_row(B * 8 / tb[2] / 1e9, true), agg;
	const struct vfb_result *own[] = { &a, &b };

	/* what -n's own windows give: wrong, hence share refuses -n */
	CU_ASSERT_DOUBLE_EQUAL(b.bw_avg_gbps, 50, 1e-9);
	vfb_result_init(&agg);
	shr_aggregate(own, 2, 100, &agg);
	CU_ASSERT_DOUBLE_EQUAL(agg.jain, 0.973, 5e-4);
	CU_ASSERT_DOUBLE_EQUAL(agg.efficiency, 1.20, 1e-9);
	/* over the common window */
	vfb_result_init(&agg);
	CU_ASSERT_EQUAL(shr_window(s, 2, 100, &agg), 0);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(agg.bw_avg_gbps, 100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(agg.jain, 0.862, 5e-4);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_min, 0.30, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(agg.share_max, 0.70, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(agg.efficiency, 1.00, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(agg.seconds, 1, 1e-12);
	/* windows that do not overlap, a series of one stamp */
	{
		const double tl[] = { 2, 3 };
		const struct shr_series apart[] = { { ta, ba, 2 },
						    { tl, ba, 2 } },
					short1[] = { { ta, ba, 1 } };

		CU_ASSERT_EQUAL(shr_window(apart, 2, 100, &agg), -ERANGE);
		CU_ASSERT_EQUAL(shr_window(short1, 1, 100, &agg), -EINVAL);
	}
}

/* A member with no row for a size: an error row naming it, never another
 * member's row counted twice; the aggregate says who is missing. */
static void test_member_row(void)
{
	struct vfb_result rows[2] = { bw_row(3, true), bw_row(4, true) },
			  other = bw_row(5, true), missing, agg;
	const struct vfb_result *m[2];

	CU_ASSERT_PTR_EQUAL(shr_row(rows, 2, 1, "vf0", &missing), &rows[1]);
	m[0] = &other;
	m[1] = shr_row(rows, 1, 1, "vf1", &missing);
	CU_ASSERT_PTR_EQUAL(m[1], &missing);
	CU_ASSERT_EQUAL(missing.status, VFB_STATUS_ERROR);
	CU_ASSERT_STRING_EQUAL(missing.device, "vf1");
	vfb_result_init(&agg);
	shr_aggregate(m, 2, 5, &agg);
	CU_ASSERT_EQUAL(agg.status, VFB_STATUS_ERROR);
	CU_ASSERT_DOUBLE_EQUAL(agg.bw_avg_gbps, 5, 1e-12);
	CU_ASSERT_STRING_EQUAL(agg.error, "1 of 2 members measured; vf1: no "
					  "row for this size");
}

/* Bytes on the wire: the payload, every packet's headers, the opcode's
 * extended headers on its first/last/only packet. */
static void test_wire(void)
{
	static const struct {
		uint64_t size;
		unsigned int mtu;
		const char *op, *link;
		double want;
	} cases[] = {
		/* RoCE v2: 14 + 4 + 20 + 8 + 12 + 4 = 62 a packet */
		{ 65536, 4096, "RDMA_WRITE", "roce_v2", 65536 + 16 * 62 + 16 },
		{ 65536, 1024, "RDMA_WRITE", "roce_v2", 65536 + 64 * 62 + 16 },
		{ 2, 1024, "RDMA_WRITE", "roce_v2", 2 + 62 + 16 },
		{ 4096, 1024, "RDMA_WRITE_WITH_IMM", "roce_v2",
		  4096 + 4 * 62 + 20 },
		{ 2, 1024, "RDMA_WRITE_WITH_IMM", "roce_v2", 2 + 62 + 20 },
		{ 65536, 4096, "SEND", "roce_v2", 65536 + 16 * 62 },
		{ 4097, 4096, "SEND_WITH_IMM", "roce_v2", 4097 + 2 * 62 + 4 },
		{ 8192, 4096, "RDMA_READ", "roce_v2", 8192 + 2 * 62 + 8 },
		{ 100, 4096, "RDMA_READ", "roce_v2", 100 + 62 + 4 },
		/* InfiniBand: LRH 8, BTH 12, ICRC 4, VCRC 2 (+ GRH 40) */
		{ 65536, 4096, "RDMA_WRITE", "ib", 65536 + 16 * 26 + 16 },
		{ 65536, 4096, "RDMA_WRITE", "ib_grh", 65536 + 16 * 66 + 16 },
		{ 65536, 0, "RDMA_WRITE", "roce_v2", 0 },
		{ 65536, 4096, "ATOMIC_FETCH_AND_ADD", "roce_v2", 0 },
		{ 65536, 4096, "RDMA_WRITE", "", 0 },
		{ 65536, 4096, NULL, "roce_v2", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CU_ASSERT_DOUBLE_EQUAL(shr_wire_bytes(cases[i].size,
						      cases[i].mtu, cases[i].op,
						      cases[i].link),
				       cases[i].want, 1e-9);
	/* ib_core's iboe_get_mtu(): 1500 -> 1024, 9000 -> 4096 */
	CU_ASSERT_EQUAL(shr_roce_mtu(1500), 1024);
	CU_ASSERT_EQUAL(shr_roce_mtu(9000), 4096);
	CU_ASSERT_EQUAL(shr_roce_mtu(4200), 4096);
	CU_ASSERT_EQUAL(shr_roce_mtu(4000), 2048);
	CU_ASSERT_EQUAL(shr_roce_mtu(300), 0);
	/* a 20 Mb/s cap kept on the wire at 1024 B packets of 64 KiB
	 * WRITEs: payload 17.5 Mb/s reads "not_reached", wire "enforced" */
	{
		double w = shr_wire_bytes(65536, 1024, "RDMA_WRITE", "roce_v2"),
		       payload = 17.5;

		CU_ASSERT_STRING_EQUAL(shr_cap_verdict(20, payload),
				       "not_reached");
		CU_ASSERT_STRING_EQUAL(shr_cap_verdict(20, payload * w / 65536),
				       "enforced");
	}
}

static void test_penalty(void)
{
	static const double alone[] = { 100, 110, 90, 105, 95 },
			    loaded[] = { 200, 220, 180, 210, 190 },
			    same[] = { 100, 110, 90, 105, 95 },
			    holes[] = { NAN, NAN, NAN, NAN, 190 };
	struct vfb_ratio p;

	shr_penalty(alone, loaded, 5, &p);
	CU_ASSERT_DOUBLE_EQUAL(p.est, 2, 1e-9);
	CU_ASSERT(p.lo <= 2 && p.hi >= 2 && p.lo > 1);
	shr_penalty(alone, same, 5, &p);
	CU_ASSERT_DOUBLE_EQUAL(p.est, 1, 1e-9);
	CU_ASSERT(p.lo <= 1 && p.hi >= 1);
	shr_penalty(alone, holes, 5, &p); /* one pair: no interval */
	CU_ASSERT(!isnan(p.est) && isnan(p.lo) && isnan(p.hi));
}

int test_share_register(void)
{
	CU_pSuite s = CU_add_suite("bench/share", NULL, NULL);

	if (!s || !CU_add_test(s, "Jain's index", test_jain) ||
	    !CU_add_test(s, "rate cap verdicts", test_cap_verdict) ||
	    !CU_add_test(s, "aggregate of members", test_aggregate) ||
	    !CU_add_test(s, "isolation penalty with its interval",
			 test_penalty) ||
	    !CU_add_test(s, "-n: the aggregate over the common window",
			 test_window) ||
	    !CU_add_test(s, "a member with no row is an error row",
			 test_member_row) ||
	    !CU_add_test(s, "bytes on the wire for the cap verdict", test_wire))
		return -1;
	return 0;
}
