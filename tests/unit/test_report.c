/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gate.h"
#include "load.h"
#include "report.h"
#include "suites.h"

static void test_rules_parse(void)
{
	static const struct {
		const char *text;
		int ret;
		enum rpt_rule_kind kind;
		double limit;
		const char *test, *path;
	} cases[] = {
		{ "relative lat_p50_us +5%", 1, RPT_RULE_REL_UP, 0.05, "", "" },
		{ "relative bw_avg_gbps -3% test=send_bw path=vf", 1,
		  RPT_RULE_REL_DOWN, 0.03, "send_bw", "vf" },
		{ "absolute lat_p99_us <= 2.5", 1, RPT_RULE_ABS_MAX, 2.5, "",
		  "" },
		{ "  # comment\n\nabsolute bw_avg_gbps >= 10 # ok\n", 1,
		  RPT_RULE_ABS_MIN, 10, "", "" },
		{ "no-error-rows path=pf", 1, RPT_RULE_NO_ERRORS, 0, "", "pf" },
		{ "no-validate-failures path=vf", 1, RPT_RULE_NO_VAL_FAILS, 0,
		  "", "vf" },
		{ "no-validate-failures lat_p50_us", -EINVAL, 0, 0, "", "" },
		{ "relative lat_p50_us 5", -EINVAL, 0, 0, "", "" },
		{ "relative frobs +5%", -EINVAL, 0, 0, "", "" },
		{ "absolute lat_p50_us == 3", -EINVAL, 0, 0, "", "" },
		{ "relative lat_p50_us +5% color=red", -EINVAL, 0, 0, "", "" },
		{ "# only a comment", -EINVAL, 0, 0, "", "" },
	};
	struct rpt_rule r[4];
	char err[128], text[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n;

		snprintf(text, sizeof(text), "%s", cases[i].text);
		n = rpt_rules_parse(text, r, 4, err, sizeof(err));
		CU_ASSERT_EQUAL(n, cases[i].ret);
		if (n != 1)
			continue;
		CU_ASSERT_EQUAL(r[0].kind, cases[i].kind);
		CU_ASSERT_DOUBLE_EQUAL(r[0].limit, cases[i].limit, 1e-12);
		CU_ASSERT_STRING_EQUAL(r[0].test, cases[i].test);
		CU_ASSERT_STRING_EQUAL(r[0].path, cases[i].path);
	}
	CU_ASSERT_EQUAL(rpt_rules_default(r, 4), 4);
}

static struct vfb_result row(const char *path, const char *test, uint64_t size,
			     double p50, double bw, bool ok)
{
	struct vfb_result r;

	vfb_result_init(&r);
	snprintf(r.path, sizeof(r.path), "%s", path);
	snprintf(r.test, sizeof(r.test), "%s", test);
	r.msg_bytes = size;
	r.lat.p50 = p50;
	r.lat.p99 = NAN; /* not measured: no p99 check */
	r.lat.stdev = NAN;
	r.ci_rel = NAN;
	r.bw_avg_gbps = bw;
	r.status = ok ? VFB_STATUS_OK : VFB_STATUS_ERROR;
	return r;
}

static void test_gate(void)
{
	struct vfb_result b[] = {
		row("pf", "write_lat", 2, 10, NAN, true),
		row("vf", "write_lat", 2, 12, NAN, true),
		row("pf", "write_bw", 65536, NAN, 100, true),
	};
	struct vfb_result c[] = {
		row("pf", "write_lat", 2, 10.4, NAN, true),  /* +4%: pass */
		row("vf", "write_lat", 2, 13.2, NAN, true),  /* +10%: fail */
		row("pf", "write_bw", 65536, NAN, 96, true), /* -4%: fail */
	};
	struct vfb_result d[] = { row("pf", "write_lat", 2, 10, NAN, true),
				  row("pv", "send_lat", 2, 0, NAN, false) };
	struct rpt_run rb = { .dir = "b", .rows = b, .nrows = 3 };
	struct rpt_run rc = { .dir = "c", .rows = c, .nrows = 3 };
	struct rpt_run rd = { .dir = "d", .rows = d, .nrows = 2 };
	struct rpt_run re = { .dir = "e", .rows = d + 1, .nrows = 1 };
	struct rpt_rule rules[4];
	struct rpt_check *k;
	char err[256];
	int n = rpt_rules_default(rules, 4);

	CU_ASSERT_EQUAL_FATAL(
		rpt_gate(&rb, &rc, rules, n, &k, err, sizeof(err)), 4);
	CU_ASSERT_TRUE(k[0].pass);  /* pf p50 +4% */
	CU_ASSERT_FALSE(k[1].pass); /* vf p50 +10% */
	CU_ASSERT_FALSE(k[2].pass); /* pf bw -4% */
	CU_ASSERT_TRUE(k[3].pass);  /* no error rows */
	free(k);
	/* rows missing in the candidate fail; an error row fails no-error-rows */
	n = rpt_gate(&rb, &rd, rules, n, &k, err, sizeof(err));
	CU_ASSERT(n > 0);
	for (int i = 0; i < n; i++) {
		if (strstr(k[i].name, "vf write_lat"))
			CU_ASSERT_FALSE(k[i].pass);
		if (strstr(k[i].name, "pv send_lat"))
			CU_ASSERT_FALSE(k[i].pass);
	}
	free(k);
	/* nothing in common: bad input, not a pass */
	CU_ASSERT_EQUAL(rpt_gate(&rb, &re, rules, 4, &k, err, sizeof(err)),
			-EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "in common"));
	CU_ASSERT_PTR_NULL(rb.index); /* the gate leaves no index behind */
}

/* path-relative: each path against the PF of the same run, over the
 * repetitions; twice the PF's p50 fails +30%, within noise passes, a
 * case without a PF row is a skip that says so; no baseline run. */
static void test_gate_paths(void)
{
	static const double pf[] = { 10.0, 10.2, 9.9 },
			    slow[] = { 20.1, 19.8, 20.3 },
			    same[] = { 10.1, 9.8, 10.3 };
	struct vfb_result r[10];
	struct rpt_run run = { .dir = "c", .rows = r };
	struct rpt_rule rules[1];
	struct rpt_check *k;
	char err[256], text[] = "path-relative lat_p50_us +30%";
	int i, n;

	CU_ASSERT_EQUAL_FATAL(rpt_rules_parse(text, rules, 1, err, sizeof(err)),
			      1);
	CU_ASSERT_EQUAL(rules[0].kind, RPT_RULE_PATH_UP);
	CU_ASSERT_FALSE(rules[0].needs_base);
	for (i = 0; i < 3; i++) {
		r[i] = row("pf", "write_lat", 2, pf[i], NAN, true);
		r[3 + i] = row("vf", "write_lat", 2, slow[i], NAN, true);
		r[6 + i] = row("pv", "write_lat", 2, same[i], NAN, true);
		r[i].rep = r[3 + i].rep = r[6 + i].rep = (uint32_t)i + 1;
	}
	r[9] = row("vf", "write_lat", 4096, 30, NAN, true); /* no PF there */
	run.nrows = 10;
	n = rpt_gate(&run, &run, rules, 1, &k, err, sizeof(err));
	CU_ASSERT_EQUAL_FATAL(n, 3);
	for (i = 0; i < n; i++) {
		if (strstr(k[i].name, "vf write_lat 2 B")) {
			CU_ASSERT_FALSE(k[i].pass);
			CU_ASSERT_PTR_NOT_NULL(
				strstr(k[i].detail, "vf against pf"));
		} else if (strstr(k[i].name, "pv write_lat 2 B")) {
			CU_ASSERT_TRUE(k[i].pass);
			CU_ASSERT_FALSE(k[i].skipped);
		} else {
			CU_ASSERT(k[i].pass && k[i].skipped);
			CU_ASSERT_PTR_NOT_NULL(
				strstr(k[i].detail, "no pf row"));
		}
	}
	free(k);
	rpt_index_drop(&run);
}

static struct vfb_result vrow(const char *path, const char *check,
			      const char *verdict)
{
	struct vfb_result r = row(path, "", 0, NAN, NAN, true);

	snprintf(r.scenario, sizeof(r.scenario), "validate");
	snprintf(r.check, sizeof(r.check), "%s", check);
	snprintf(r.verdict, sizeof(r.verdict), "%s", verdict);
	snprintf(r.observed, sizeof(r.observed), "seen-%s", check);
	snprintf(r.evidence, sizeof(r.evidence), "why-%s", check);
	return r;
}

/* no-validate-failures: a check per row, judged without a baseline; a
 * skip is a skip (never a pass), a verdict this vfbench does not know
 * fails, a failure names path and observed. */
static void test_gate_validate(void)
{
	struct vfb_result v[] = {
		vrow("pf", "claims.srq", "pass"),
		vrow("vf", "claims.odp", "skip"),
		vrow("vf", "protect.write.rkey", "fail"),
		vrow("vf", "claims.mw", "PASS"),
	};
	struct rpt_run run = { .dir = "v", .validate = v, .nvalidate = 4 };
	struct rpt_rule rules[2];
	struct rpt_check *k;
	char err[256];

	CU_ASSERT_EQUAL_FATAL(rpt_rules_parse("no-validate-failures\n", rules,
					      2, err, sizeof(err)),
			      1);
	CU_ASSERT_FALSE(rules[0].needs_base);
	CU_ASSERT_EQUAL_FATAL(
		rpt_gate(&run, &run, rules, 1, &k, err, sizeof(err)), 4);
	CU_ASSERT(k[0].pass && !k[0].skipped);
	CU_ASSERT(k[1].skipped);
	CU_ASSERT_STRING_EQUAL(k[1].classname, "validate.vf");
	CU_ASSERT_PTR_NOT_NULL(strstr(k[1].detail, "why-claims.odp"));
	CU_ASSERT(!k[2].pass && !k[2].skipped);
	CU_ASSERT_STRING_EQUAL(k[2].name, "protect.write.rkey");
	CU_ASSERT_PTR_NOT_NULL(strstr(k[2].detail, "vf: observed seen-"));
	CU_ASSERT(!k[3].pass && !k[3].skipped);
	free(k);
	CU_ASSERT_EQUAL_FATAL(rpt_rules_parse("relative lat_p50_us +5%\n",
					      rules, 2, err, sizeof(err)),
			      1);
	CU_ASSERT_TRUE(rules[0].needs_base);
}

/* The report takes its tests and paths from the rows: tests in the order
 * the rows first show them (a run's is the registry's), paths in the
 * path-kind table's order (the baseline first), unknown kinds after;
 * none is dropped. */
static void test_tests_and_paths(void)
{
	struct vfb_result rows[] = {
		row("vf-guest", "read_lat", 2, 5, NAN, true),
		row("vf", "send_bw", 2, NAN, 1, true),
		row("pf", "write_lat", 2, 4, NAN, true),
		row("pf", "atomic_bw", 8, NAN, 1, true),
		row("vf-guest", "read_lat", 4, 6, NAN, true),
	};
	struct rpt_run run = { .dir = "x", .rows = rows, .nrows = 5 };
	const char *t[8], *p[8];
	int nt, np;

	rows[0].has_lat = rows[2].has_lat = rows[4].has_lat = true;
	rows[0].lat.n = rows[2].lat.n = rows[4].lat.n = 1;
	rows[1].has_bw = rows[3].has_bw = true;
	nt = rpt_tests(&run, 1, t, 8);
	np = rpt_paths(&run, 1, p, 8);
	CU_ASSERT_EQUAL_FATAL(nt, 4);
	CU_ASSERT_STRING_EQUAL(t[0], "read_lat");
	CU_ASSERT_STRING_EQUAL(t[1], "send_bw");
	CU_ASSERT_STRING_EQUAL(t[2], "write_lat");
	CU_ASSERT_STRING_EQUAL(t[3], "atomic_bw");
	CU_ASSERT_EQUAL_FATAL(np, 3);
	CU_ASSERT_STRING_EQUAL(p[0], "pf");
	CU_ASSERT_STRING_EQUAL(p[1], "vf");
	CU_ASSERT_STRING_EQUAL(p[2], "vf-guest");
	CU_ASSERT_TRUE(rpt_test_latency(&run, 1, "read_lat"));
	CU_ASSERT_FALSE(rpt_test_latency(&run, 1, "atomic_bw"));
}

static void test_csv_split(void)
{
	char a[] = "x,\"a,b\",\"say \"\"hi\"\"\",", b[] = "\"open,1",
	     c[] = "\"q\"x,1";
	char *f[8];

	CU_ASSERT_EQUAL(rpt_csv_split(a, f, 8), 4);
	CU_ASSERT_STRING_EQUAL(f[1], "a,b");
	CU_ASSERT_STRING_EQUAL(f[2], "say \"hi\"");
	CU_ASSERT_STRING_EQUAL(f[3], "");
	CU_ASSERT_EQUAL(rpt_csv_split(b, f, 8), -EINVAL);
	CU_ASSERT_EQUAL(rpt_csv_split(c, f, 8), -EINVAL);
}

int test_report_register(void)
{
	CU_pSuite s = CU_add_suite("report/gate", NULL, NULL);

	if (!s || !CU_add_test(s, "rules file parsing", test_rules_parse) ||
	    !CU_add_test(s, "gate verdicts", test_gate) ||
	    !CU_add_test(s, "gate: each path against the PF",
			 test_gate_paths) ||
	    !CU_add_test(s, "gate on validate rows, no baseline",
			 test_gate_validate) ||
	    !CU_add_test(s, "CSV record splitting", test_csv_split) ||
	    !CU_add_test(s, "tests and paths from the rows, none dropped",
			 test_tests_and_paths))
		return -1;
	return 0;
}
