/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "columns.h"
#include "csv.h"
#include "load.h"
#include "results.h"
#include "suites.h"

static void test_quoting(void)
{
	static const struct {
		const char *fields[3];
		const char *want;
	} cases[] = {
		{ { "rxe0", "pf", "2" }, "rxe0,pf,2\n" },
		{ { "a,b", "", "c" }, "\"a,b\",,c\n" },
		{ { "say \"hi\"", "x", "y" }, "\"say \"\"hi\"\"\",x,y\n" },
		{ { "two\nlines", "cr\r", NULL },
		  "\"two\nlines\",\"cr\r\",\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		CU_ASSERT_EQUAL(rpt_csv_row(f, cases[i].fields, 3), 0);
		fclose(f);
		CU_ASSERT_STRING_EQUAL(buf, cases[i].want);
		free(buf);
	}
}

/* Write ROW as results.csv text into a new buffer. */
static char *row_text(const struct vfb_result *row)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(rpt_csv_header(f), 0);
	CU_ASSERT_EQUAL(rpt_csv_result(f, row), 0);
	fclose(f);
	return buf;
}

/* Any row written reads back identical: strings byte for byte, figures
 * to their written text, tiny bandwidth never 0. */
static void test_roundtrip(void)
{
	static const char *const errors[] = {
		"",
		"plain",
		"comma, and \"quotes\"",
		"two\nlines\r\nand CRLF",
		"\"",
		"\n",
		",,,",
		"trailing\r",
	};
	static const double bw[] = { 1.6e-5, 0.0000444, 3.14159265358979, 97.5,
				     0 };
	size_t i;

	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		struct vfb_result in, *out;
		struct rpt_run run = { .nrows = 0 };
		char err[256] = "", *text, *again;
		FILE *f;

		vfb_result_init(&in);
		snprintf(in.path, sizeof(in.path), "vf");
		snprintf(in.test, sizeof(in.test), "write_bw");
		snprintf(in.device, sizeof(in.device), "rxe,\"odd\"");
		snprintf(in.peer, sizeof(in.peer), "%s", errors[i]);
		snprintf(in.verify, sizeof(in.verify), "recv_cqe");
		in.msg_bytes = 2 + i;
		in.iters = 18446744073709551615ULL - i; /* beyond a double */
		in.has_bw = true;
		in.bw_avg_gbps = bw[i % 5];
		in.bw_peak_gbps = bw[(i + 1) % 5];
		in.msg_rate_mpps = 1.0 / 3;
		in.bw_avg_mbps = in.bw_avg_gbps * 125;
		in.seconds = 1e-9 * (double)(i + 1);
		in.signaled_every = 32;
		in.inline_data = (int)(i % 2);
		in.status = i % 2 ? VFB_STATUS_ERROR : VFB_STATUS_OK;
		snprintf(in.error, sizeof(in.error), "%s", errors[i]);
		text = row_text(&in);
		f = fmemopen(text, strlen(text), "r");
		CU_ASSERT_EQUAL_FATAL(rpt_rows_read(f, &run, err, sizeof(err)),
				      0);
		fclose(f);
		CU_ASSERT_EQUAL_FATAL(run.nrows, 1);
		out = &run.rows[0];
		CU_ASSERT_STRING_EQUAL(out->error, in.error);
		CU_ASSERT_STRING_EQUAL(out->peer, in.peer);
		CU_ASSERT_STRING_EQUAL(out->device, in.device);
		CU_ASSERT_EQUAL(out->msg_bytes, in.msg_bytes);
		CU_ASSERT_EQUAL(out->status, in.status);
		if (in.status == VFB_STATUS_OK) {
			CU_ASSERT_EQUAL(out->iters, in.iters);
			CU_ASSERT_EQUAL(out->signaled_every, 32);
			CU_ASSERT_EQUAL(out->inline_data, in.inline_data);
			CU_ASSERT_STRING_EQUAL(out->verify, "recv_cqe");
			CU_ASSERT_EQUAL(out->bw_avg_gbps > 0,
					in.bw_avg_gbps > 0);
			CU_ASSERT_DOUBLE_EQUAL(out->bw_avg_gbps, in.bw_avg_gbps,
					       in.bw_avg_gbps * 1e-8);
		}
		again = row_text(out);
		CU_ASSERT_STRING_EQUAL(again, text);
		free(again);
		free(text);
		free(run.rows);
	}
}

/* One table: the CSV header and the JSON keys are its columns, in order;
 * each is found by name; metrics are numbers. */
static void test_columns(void)
{
	const struct rpt_col *c;
	struct vfb_result r;
	json_object *o;
	char *hdr = NULL, *p;
	size_t len = 0, n, i;
	FILE *f = open_memstream(&hdr, &len);

	c = rpt_cols(&n);
	CU_ASSERT_FATAL(n > 30);
	rpt_csv_header(f);
	fclose(f);
	vfb_result_init(&r);
	r.status = VFB_STATUS_OK;
	o = rpt_result_json(&r);
	CU_ASSERT_EQUAL(json_object_object_length(o), (int)n);
	for (i = 0, p = hdr; i < n; i++) {
		CU_ASSERT_EQUAL(rpt_col_find(c[i].name), &c[i]);
		CU_ASSERT_EQUAL(strncmp(p, c[i].name, strlen(c[i].name)), 0);
		p += strlen(c[i].name) + 1;
		CU_ASSERT(json_object_object_get_ex(o, c[i].name, NULL));
		if (c[i].metric)
			CU_ASSERT_EQUAL(c[i].type, RPT_COL_NUM);
	}
	CU_ASSERT_PTR_NULL(rpt_col_find("frobs"));
	json_object_put(o);
	free(hdr);
}

int test_csv_register(void)
{
	CU_pSuite s = CU_add_suite("report/csv", NULL, NULL);

	if (!s || !CU_add_test(s, "RFC 4180 quoting", test_quoting) ||
	    !CU_add_test(s, "rows round-trip exactly (RFC 4180, %.9g)",
			 test_roundtrip) ||
	    !CU_add_test(s, "one column table: CSV header, JSON keys",
			 test_columns))
		return -1;
	return 0;
}
