/* SPDX-License-Identifier: MIT */
/* 'vfbench run --perftest-json' (report/perftest.c): perftest's own
 * --out_json documents (tests/data/perftest) and vfbench's, read by one
 * reader as scripts written for perftest read them. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "perftest.h"
#include "suites.h"

/* The figures perftest writes for a case, by its keys. */
static const char *const bw_keys[] = { "MsgSize",    "n_iterations", "BW_peak",
				       "BW_average", "MsgRate",	     NULL };
static const char *const lat_keys[] = { "MsgSize",	   "n_iterations",
					"t_min",	   "t_max",
					"t_typical",	   "t_avg",
					"t_stdev",	   "percentile_99",
					"percentile_99.9", NULL };
/* What perftest's test_info says first, in every test. */
static const char *const info_keys[] = { "test",	   "Dual_port",
					 "Device",	   "Number_of_qps",
					 "Transport_type", "Connection_type",
					 "Using_SRQ",	   NULL };

struct pt_case {
	const char *test;
	long size, iters;
	double bw_average, t_typical; /* NAN: not in the entry */
};

/* Each of KEYS in O, a number (or null: not measured) or, in test_info,
 * a value. */
static bool has_keys(json_object *o, const char *const *keys, bool numbers)
{
	json_object *v;

	for (; *keys; keys++) {
		if (!json_object_object_get_ex(o, *keys, &v)) {
			fprintf(stderr, "\n  no key %s", *keys);
			return false;
		}
		if (numbers && v && !json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			return false;
	}
	return true;
}

static double num_of(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ?
		       json_object_get_double(v) :
		       NAN;
}

/* The reader: test_info, then each entry of results (perftest: one
 * object; vfbench: an array of them). The entries read, or -1. */
static int pt_read(json_object *doc, struct pt_case *c, int max)
{
	json_object *info, *res, *one, *v;
	bool array;
	int n, i;

	if (!json_object_object_get_ex(doc, "test_info", &info) ||
	    !json_object_is_type(info, json_type_object) ||
	    !has_keys(info, info_keys, false) ||
	    !json_object_object_get_ex(doc, "results", &res) || !res)
		return -1;
	array = json_object_is_type(res, json_type_array);
	n = array ? (int)json_object_array_length(res) : 1;
	for (i = 0; i < n && i < max; i++) {
		one = array ? json_object_array_get_idx(res, (size_t)i) : res;
		c[i].t_typical = num_of(one, "t_typical");
		if (!has_keys(one, isnan(c[i].t_typical) ? bw_keys : lat_keys,
			      true))
			return -1;
		c[i].test =
			json_object_object_get_ex(one, "test", &v) ?
				json_object_get_string(v) :
				json_object_get_string(
					json_object_object_get(info, "test"));
		c[i].size = (long)num_of(one, "MsgSize");
		c[i].iters = (long)num_of(one, "n_iterations");
		c[i].bw_average = num_of(one, "BW_average");
	}
	return n;
}

/* perftest's own documents: one case each, read by their keys. */
static void test_perftest_own(void)
{
	json_object *bw = json_object_from_file(VFB_TEST_DATA
						"/perftest/ib_write_bw.json");
	json_object *lat = json_object_from_file(VFB_TEST_DATA
						 "/perftest/ib_write_lat.json");
	struct pt_case c[4];

	CU_ASSERT_PTR_NOT_NULL_FATAL(bw);
	CU_ASSERT_PTR_NOT_NULL_FATAL(lat);
	CU_ASSERT_EQUAL(pt_read(bw, c, 4), 1);
	CU_ASSERT_STRING_EQUAL(c[0].test, "RDMA_Write_BW_Test");
	CU_ASSERT_EQUAL(c[0].size, 65536);
	CU_ASSERT_DOUBLE_EQUAL(c[0].bw_average, 11419.52, 1e-9);
	CU_ASSERT_EQUAL(pt_read(lat, c, 4), 1);
	CU_ASSERT_STRING_EQUAL(c[0].test, "RDMA_Write_Latency_Test");
	CU_ASSERT_DOUBLE_EQUAL(c[0].t_typical, 1.08, 1e-9);
	json_object_put(bw);
	json_object_put(lat);
}

static void lat_row(struct vfb_result *r, uint64_t size, double median)
{
	vfb_result_init(r);
	snprintf(r->device, sizeof(r->device), "rxe0");
	snprintf(r->path, sizeof(r->path), "vf");
	snprintf(r->test, sizeof(r->test), "write_lat");
	snprintf(r->opcode, sizeof(r->opcode), "RDMA_WRITE");
	r->msg_bytes = size;
	r->iters = 1000;
	r->rep = 1;
	r->has_lat = true;
	r->lat = (struct vfb_lat_stats){ .n = 1000,
					 .min = 1,
					 .max = 9,
					 .mean = 2,
					 .stdev = 0.5,
					 .p50 = median,
					 .p99 = 5,
					 .p999 = 8 };
}

static void bw_row(struct vfb_result *r, const char *opcode, double mbps)
{
	vfb_result_init(r);
	snprintf(r->device, sizeof(r->device), "rxe1");
	snprintf(r->opcode, sizeof(r->opcode), "%s", opcode);
	r->msg_bytes = 65536;
	r->iters = 5000;
	r->has_bw = true;
	r->bw_avg_mbps = mbps;
	r->bw_avg_gbps = mbps * 8 / 1e3;
	r->bw_peak_gbps = NAN; /* not measured: null, never 0 */
	r->msg_rate_mpps = 0.2;
}

/* vfbench's document, as JSON text and back: every case (not only the
 * last size), in order, read by the same reader with perftest's keys. */
static void test_every_case(void)
{
	struct vfb_result r[5];
	struct pt_case c[8];
	json_object *doc = rpt_perftest_new(), *back, *info;

	lat_row(&r[0], 2, 1.5);
	lat_row(&r[1], 4096, 3.25);
	bw_row(&r[2], "RDMA_WRITE", 1100);
	bw_row(&r[3], "RDMA_READ", 900);
	r[3].post_list = 4;
	r[3].bw_back_gbps = 7; /* -b */
	bw_row(&r[4], "SEND", 1);
	r[4].status = VFB_STATUS_ERROR; /* no entry: perftest writes none */
	for (size_t i = 0; i < 5; i++)
		rpt_perftest_add(doc, &r[i]);
	back = json_tokener_parse(
		json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY));
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL_FATAL(pt_read(back, c, 8), 4);
	CU_ASSERT_STRING_EQUAL(c[0].test, "RDMA_Write_Latency_Test");
	CU_ASSERT_EQUAL(c[0].size, 2);
	CU_ASSERT_EQUAL(c[1].size, 4096);
	CU_ASSERT_DOUBLE_EQUAL(c[1].t_typical, 3.25, 1e-9);
	CU_ASSERT_EQUAL(c[1].iters, 1000);
	CU_ASSERT_STRING_EQUAL(c[2].test, "RDMA_Write_BW_Test");
	CU_ASSERT_DOUBLE_EQUAL(c[2].bw_average, 1100, 1e-9);
	CU_ASSERT_STRING_EQUAL(c[3].test,
			       "RDMA_Read_Bidirectional_Post_List_BW_Test");
	info = json_object_object_get(back, "test_info");
	CU_ASSERT_STRING_EQUAL(
		json_object_get_string(json_object_object_get(info, "Device")),
		"rxe0");
	CU_ASSERT_PTR_NULL(json_object_object_get(
		json_object_array_get_idx(
			json_object_object_get(back, "results"), 2),
		"BW_peak"));
	json_object_put(back);
	json_object_put(doc);
}

/* No case measured: test_info null, results empty; still JSON. */
static void test_no_case(void)
{
	json_object *doc = rpt_perftest_new(), *back;
	struct pt_case c[1];

	back = json_tokener_parse(json_object_to_json_string(doc));
	CU_ASSERT_PTR_NOT_NULL_FATAL(back);
	CU_ASSERT_EQUAL(pt_read(back, c, 1), -1); /* nothing to read */
	CU_ASSERT_EQUAL(json_object_array_length(
				json_object_object_get(back, "results")),
			0);
	json_object_put(back);
	json_object_put(doc);
}

int test_perftest_register(void)
{
	CU_pSuite s = CU_add_suite("report/perftest", NULL, NULL);

	if (!s || !CU_add_test(s, "perftest's own", test_perftest_own) ||
	    !CU_add_test(s, "every case", test_every_case) ||
	    !CU_add_test(s, "no case", test_no_case))
		return -1;
	return 0;
}
