/* SPDX-License-Identifier: MIT */
/* vfbench validate's outputs: the capabilities side by side, a result as
 * a results row, the rows and run.json's capabilities read back by the
 * report and rendered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include "drive.h"
#include "load.h"
#include "report.h"
#include "suites.h"

/* The capabilities side by side: what differs from the PF is marked. */
static void test_caps_differ(void)
{
	struct val_path p[2] = {
		{ .path = "pf", .dev = "a", .queried = true },
		{ .path = "vf", .dev = "b", .queried = true }
	};
	char buf[4096];
	FILE *f;
	size_t i;

	for (i = 0; i < VAL_NATTRS; i++)
		p[0].caps.v[i] = p[1].caps.v[i] = 7;
	p[1].caps.v[VAL_MAX_SRQ] = 0;
	p[1].caps.v[VAL_MAX_QP] = -1; /* not known: not a difference */
	CU_ASSERT_TRUE(val_caps_differ(&p[1], &p[0], VAL_MAX_SRQ));
	CU_ASSERT_FALSE(val_caps_differ(&p[1], &p[0], VAL_MAX_QP));
	CU_ASSERT_FALSE(val_caps_differ(&p[1], &p[0], VAL_MAX_CQ));
	CU_ASSERT_FALSE(val_caps_differ(&p[0], &p[0], VAL_MAX_SRQ));
	f = fmemopen(buf, sizeof(buf), "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	val_caps_print(f, p, 2, 0);
	fclose(f);
	CU_ASSERT(strstr(buf, "max_srq") != NULL);
	CU_ASSERT(strstr(strstr(buf, "\nmax_srq "), "0 *") != NULL);
	CU_ASSERT_EQUAL(strstr(buf, " *\n") - strstr(buf, "\nmax_srq "),
			strchr(strstr(buf, "\nmax_srq ") + 1, '\n') -
				strstr(buf, "\nmax_srq ") - 2);
	CU_ASSERT(strstr(strstr(buf, "\nmax_cq "), "7 *") == NULL ||
		  strstr(strstr(buf, "\nmax_cq "), "7 *") >
			  strchr(strstr(buf, "\nmax_cq ") + 1, '\n'));
}

/* A result is a row of scenario validate with its five fields. */
static void test_row(void)
{
	struct val_result r = { .id = "claims.srq",
				.path = "vf",
				.device = "rxe1",
				.status = VAL_FAIL };
	struct host_path_sel sel = { 0 };
	struct vfb_result row;

	snprintf(r.expected, sizeof(r.expected), "an SRQ");
	snprintf(r.observed, sizeof(r.observed), "refused");
	snprintf(r.evidence, sizeof(r.evidence), "max_srq 16 claimed");
	snprintf(sel.dc.provider, sizeof(sel.dc.provider), "rxe");
	val_row(&r, &sel, &row);
	CU_ASSERT_STRING_EQUAL(row.scenario, "validate");
	CU_ASSERT_STRING_EQUAL(row.check, "claims.srq");
	CU_ASSERT_STRING_EQUAL(row.verdict, "fail");
	CU_ASSERT_STRING_EQUAL(row.expected, "an SRQ");
	CU_ASSERT_STRING_EQUAL(row.observed, "refused");
	CU_ASSERT_STRING_EQUAL(row.evidence, "max_srq 16 claimed");
	CU_ASSERT_STRING_EQUAL(row.provider, "rxe");
	CU_ASSERT_STRING_EQUAL(row.device, "rxe1");
	CU_ASSERT_EQUAL(row.status, VFB_STATUS_OK);
}

/* The rows and capabilities written as val_main writes them, read back
 * by the report: its own rows (not the plain run's), a Validation
 * section with the table (a difference marked) and the failures first. */
static void test_report_roundtrip(void)
{
	struct val_path p[2] = {
		{ .path = "pf", .dev = "rxe_pf", .queried = true },
		{ .path = "vf", .dev = "rxe_vf0", .queried = true }
	};
	struct val_result r = { .id = "claims.srq",
				.path = "vf",
				.device = "rxe_vf0",
				.status = VAL_PASS };
	struct host_path_sel sel = { 0 };
	struct host_rundir rd;
	struct vfb_result row;
	struct rpt_run run;
	char top[480], dir[512], err[256], *md = NULL;
	size_t i, mdlen = 0;
	json_object *meta = json_object_new_object();
	FILE *f;

	test_scratch(top, sizeof(top), "validate");
	snprintf(dir, sizeof(dir), "%s/v", top);
	for (i = 0; i < VAL_NATTRS; i++)
		p[0].caps.v[i] = p[1].caps.v[i] = 3;
	p[1].caps.v[VAL_MAX_SRQ] = 0;
	json_object_object_add(meta, "schema",
			       json_object_new_string("vfbench-run/1"));
	CU_ASSERT_EQUAL_FATAL(
		host_rundir_open(&rd, dir, meta, err, sizeof(err)), 0);
	json_object_put(meta);
	snprintf(r.evidence, sizeof(r.evidence), "the SEND arrived");
	val_row(&r, &sel, &row);
	host_rundir_row(&rd, &row);
	r.id = "protect.read.rkey";
	r.status = VAL_FAIL;
	snprintf(r.evidence, sizeof(r.evidence), "not fenced in");
	val_row(&r, &sel, &row);
	host_rundir_row(&rd, &row);
	json_object_object_add(rd.meta, "capabilities", val_caps_json(p, 2, 0));
	CU_ASSERT_EQUAL(host_rundir_close(&rd, "completed"), 0);

	CU_ASSERT_EQUAL_FATAL(rpt_run_load(dir, &run, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(run.nvalidate, 2);
	CU_ASSERT_EQUAL(run.nrows, 0);
	CU_ASSERT_EQUAL(run.nshare, 0);
	CU_ASSERT_STRING_EQUAL(run.validate[1].verdict, "fail");
	f = open_memstream(&md, &mdlen);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	rpt_summary_md(f, &run, 1, "");
	fclose(f);
	CU_ASSERT(strstr(md, "## Validation") != NULL);
	CU_ASSERT(strstr(md, "| `max_srq` | 3 | 0 * |") != NULL ||
		  strstr(md, "| max_srq | 3 | 0 * |") != NULL);
	CU_ASSERT(strstr(md, "| max_qp | 3 | 3 |") != NULL ||
		  strstr(md, "| `max_qp` | 3 | 3 |") != NULL);
	CU_ASSERT(strstr(md, "1 pass, 1 fail, 0 skip") != NULL);
	CU_ASSERT(strstr(md, "protect.read.rkey") != NULL &&
		  strstr(md, "protect.read.rkey") < strstr(md, "claims.srq |"));
	if (!strstr(md, "## Validation") || !strstr(md, "0 *"))
		fprintf(stderr, "\n%s\n", md);
	free(md);
	rpt_run_free(&run);
	CU_ASSERT_EQUAL(test_rm_tree(top), 0);
}

int test_valrows_register(void)
{
	CU_pSuite s = CU_add_suite("validate/rows", NULL, NULL);

	if (!s ||
	    !CU_add_test(s, "capabilities that differ are marked",
			 test_caps_differ) ||
	    !CU_add_test(s, "a result is a row", test_row) ||
	    !CU_add_test(s, "rows and capabilities in the report",
			 test_report_roundtrip))
		return -1;
	return 0;
}
