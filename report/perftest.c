/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "perftest.h"

/* perftest's name of the verb a row posted (testsStr, atomicTypesStr). */
static const struct {
	const char *opcode, *perftest;
} verbs[] = {
	{ "RDMA_WRITE", "RDMA_Write" },
	{ "RDMA_WRITE_WITH_IMM", "RDMA_Write" },
	{ "SEND", "Send" },
	{ "RDMA_READ", "RDMA_Read" },
	{ "ATOMIC_FETCH_AND_ADD", "ATOMIC_FETCH_AND_ADD" },
	{ "ATOMIC_CMP_AND_SWP", "ATOMIC_CMP_AND_SWAP" },
};

#define NVERBS (sizeof(verbs) / sizeof(verbs[0]))

/* "RDMA_Write_Bidirectional_BW_Test", as perftest's test_info says it. */
static void test_name(const struct vfb_result *r, char *buf, size_t len)
{
	const char *verb = r->opcode[0] ? r->opcode : r->test;
	size_t i;

	for (i = 0; i < NVERBS; i++)
		if (!strcmp(verbs[i].opcode, r->opcode))
			verb = verbs[i].perftest;
	snprintf(buf, len, "%s_%s%s%sTest", verb,
		 r->has_bw && !isnan(r->bw_back_gbps) ? "Bidirectional_" : "",
		 r->has_bw && r->post_list > 1 ? "Post_List_" : "",
		 r->has_lat ? "Latency_" : "BW_");
}

/* A number, or null where the row has none (never a made-up 0). */
static json_object *num(double v)
{
	return isfinite(v) ? json_object_new_double(v) : NULL;
}

static json_object *test_info(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	char name[96];

	test_name(r, name, sizeof(name));
	json_object_object_add(o, "test", json_object_new_string(name));
	json_object_object_add(o, "Dual_port", json_object_new_string("OFF"));
	json_object_object_add(o, "Device", json_object_new_string(r->device));
	json_object_object_add(o, "Number_of_qps",
			       json_object_new_int(r->qps ? (int)r->qps : 1));
	json_object_object_add(o, "Transport_type",
			       json_object_new_string("IB"));
	json_object_object_add(o, "Connection_type",
			       json_object_new_string("RC"));
	json_object_object_add(o, "Using_SRQ", json_object_new_string("OFF"));
	json_object_object_add(o, "tool", json_object_new_string("vfbench"));
	return o;
}

static void add_lat(json_object *o, const struct vfb_lat_stats *s)
{
	json_object_object_add(o, "t_min", num(s->min));
	json_object_object_add(o, "t_max", num(s->max));
	json_object_object_add(o, "t_typical", num(s->p50));
	json_object_object_add(o, "t_avg", num(s->mean));
	json_object_object_add(o, "t_stdev", num(s->stdev));
	json_object_object_add(o, "percentile_99", num(s->p99));
	json_object_object_add(o, "percentile_99.9", num(s->p999));
}

/* perftest's MB/s are 10^6 bytes a second: Gb/s x 1000 / 8. */
static void add_bw(json_object *o, const struct vfb_result *r)
{
	json_object_object_add(o, "BW_peak", num(r->bw_peak_gbps * 125.0));
	json_object_object_add(o, "BW_average", num(r->bw_avg_mbps));
	json_object_object_add(o, "MsgRate", num(r->msg_rate_mpps));
}

static json_object *entry(const struct vfb_result *r)
{
	json_object *o = json_object_new_object();
	char name[96];

	test_name(r, name, sizeof(name));
	json_object_object_add(o, "test", json_object_new_string(name));
	json_object_object_add(o, "Device", json_object_new_string(r->device));
	json_object_object_add(o, "path", json_object_new_string(r->path));
	json_object_object_add(o, "repeat", json_object_new_int((int)r->rep));
	json_object_object_add(o, "MsgSize",
			       json_object_new_uint64(r->msg_bytes));
	json_object_object_add(o, "n_iterations",
			       json_object_new_uint64(r->iters));
	if (r->has_lat)
		add_lat(o, &r->lat);
	if (r->has_bw)
		add_bw(o, r);
	return o;
}

json_object *rpt_perftest_new(void)
{
	json_object *doc = json_object_new_object();

	json_object_object_add(doc, "test_info", NULL);
	json_object_object_add(doc, "results", json_object_new_array());
	return doc;
}

void rpt_perftest_add(json_object *doc, const struct vfb_result *r)
{
	json_object *info, *results;

	if (r->status != VFB_STATUS_OK || (!r->has_lat && !r->has_bw))
		return;
	if (json_object_object_get_ex(doc, "test_info", &info) && !info)
		json_object_object_add(doc, "test_info", test_info(r));
	if (json_object_object_get_ex(doc, "results", &results))
		json_object_array_add(results, entry(r));
}
