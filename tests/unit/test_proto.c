/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "ctrl.h"
#include "proto.h"
#include "suites.h"

static void test_decode(void)
{
	static const struct {
		const char *text;
		int ret;
	} cases[] = {
		{ "{\"v\":2,\"type\":\"hello\"}", 0 },
		{ "{\"v\":1,\"type\":\"hello\"}", -EPROTONOSUPPORT },
		{ "{\"v\":3,\"type\":\"hello\"}", -EPROTONOSUPPORT },
		{ "{\"type\":\"hello\"}", -EPROTONOSUPPORT },
		{ "{\"v\":2}", -EPROTO },
		{ "{\"v\":2,\"type\":7}", -EPROTO },
		{ "[1,2]", -EPROTO },
		{ "{\"v\":2,\"type\":\"ok\"} trailing", -EPROTO },
		{ "{\"v\":2,\"type\":\"ok\"", -EPROTO },
		{ "\x01\x02\xff garbage", -EPROTO },
		{ "", -EPROTO },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *m = NULL;
		int ret =
			vt_msg_decode(cases[i].text, strlen(cases[i].text), &m);

		CU_ASSERT_EQUAL(ret, cases[i].ret);
		CU_ASSERT_EQUAL(ret == 0, m != NULL);
		json_object_put(m);
	}
}

static void test_frame(void)
{
	static const struct {
		uint8_t hdr[4];
		int ret;
		uint32_t len;
	} cases[] = {
		{ { 0, 0, 0, 20 }, 0, 20 },
		{ { 0, 1, 0, 0 }, 0, 65536 },
		{ { 0, 1, 0, 1 }, -EMSGSIZE, 65537 },
		{ { 0xff, 0xff, 0xff, 0xff }, -EMSGSIZE, 0xffffffff },
		{ { 0, 0, 0, 0 }, -ENODATA, 0 }, /* empty, not oversized */
	};
	size_t i;
	uint32_t len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(vt_msg_frame_len(cases[i].hdr, &len),
				cases[i].ret);
		CU_ASSERT_EQUAL(len, cases[i].len);
	}
}

static json_object *roundtrip(json_object *o)
{
	const char *text;
	json_object *back;

	json_object_object_add(o, "v", json_object_new_int(VT_PROTO_VERSION));
	text = json_object_to_json_string(o);
	CU_ASSERT_EQUAL(vt_msg_decode(text, strlen(text), &back), 0);
	json_object_put(o);
	return back;
}

/* The wire takes what the CLI takes, nothing more: no silent defaults. */
static void test_param_limits(const struct vt_params *good)
{
	static const struct {
		const char *key;
		int64_t v;
	} cases[] = {
		{ "tx_depth", 0 },
		{ "tx_depth", 1 },
		{ "tx_depth", 8193 },
		{ "tx_depth", -1 },
		{ "cq_mod", 0 },
		{ "cq_mod", 65 },
		{ "post_list", 0 },
		{ "post_list", 65 },
		{ "tclass", 256 },
		{ "sl", 16 },
		{ "flow_label", 0x100000 },
		{ "flow_label", -2 },
		{ "qps", 0 },
		{ "qps", 17 },
		{ "iters", 1000000001 },
		{ "iters", -5 },
		{ "warmup", 1000001 },
		{ "warmup", -1 },
	};
	struct vt_params q;
	char err[128];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *m = vt_params_to_json(good);

		json_object_object_add(m, cases[i].key,
				       json_object_new_int64(cases[i].v));
		m = roundtrip(m);
		err[0] = '\0';
		CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)),
				-EPROTO);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, cases[i].key));
		json_object_put(m);
	}
}

static void test_params(void)
{
	struct vt_params p = { .test = "send_bw",
			       .iters = 500,
			       .warmup = 50,
			       .verify = true,
			       .tx_depth = 64,
			       .cq_mod = 16,
			       .atomic = VT_ATOMIC_CMP_SWAP,
			       .post_list = 8,
			       .events = true,
			       .tclass = 106,
			       .sl = 3,
			       .flow_label = 0xabcde,
			       .qps = 4 },
			 q;
	char err[128];
	json_object *m;

	vfb_sizes_parse("2,64K,8M", &p.sizes, err, sizeof(err));
	m = roundtrip(vt_params_to_json(&p));
	CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(q.test, "send_bw");
	CU_ASSERT_EQUAL(q.sizes.n, 3);
	CU_ASSERT_EQUAL(q.sizes.v[2], 8 << 20);
	CU_ASSERT_EQUAL(q.iters, 500);
	CU_ASSERT_EQUAL(q.warmup, 50);
	CU_ASSERT_TRUE(q.verify);
	CU_ASSERT_FALSE(q.rdma_cm);
	CU_ASSERT_EQUAL(q.tx_depth, 64);
	CU_ASSERT_EQUAL(q.cq_mod, 16);
	CU_ASSERT_EQUAL(q.atomic, VT_ATOMIC_CMP_SWAP);
	CU_ASSERT_EQUAL(q.post_list, 8);
	CU_ASSERT_TRUE(q.events);
	CU_ASSERT_FALSE(q.hugepages);
	CU_ASSERT_EQUAL(q.tclass, 106);
	CU_ASSERT_EQUAL(q.sl, 3);
	CU_ASSERT_EQUAL(q.flow_label, 0xabcde);
	CU_ASSERT_EQUAL(q.qps, 4);
	/* an unknown atomic is refused; none (an older peer) is fetch_add */
	json_object_object_add(m, "atomic", json_object_new_string("swap"));
	CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)), -EPROTO);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "atomic"));
	json_object_object_del(m, "atomic");
	json_object_object_del(m, "post_list");
	json_object_object_del(m, "tclass");
	CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(q.atomic, VT_ATOMIC_FETCH_ADD);
	CU_ASSERT_EQUAL(q.post_list, 1);
	CU_ASSERT_EQUAL(q.tclass, -1);
	json_object_put(m);

	/* both or neither of iters and duration; sizes out of range */
	p.duration_s = 2;
	m = roundtrip(vt_params_to_json(&p));
	CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)), -EPROTO);
	json_object_put(m);
	p.duration_s = 0;
	p.sizes.v[0] = 0;
	m = roundtrip(vt_params_to_json(&p));
	CU_ASSERT_EQUAL(vt_params_from_json(m, &q, err, sizeof(err)), -EPROTO);
	json_object_put(m);
	p.sizes.v[0] = 2;
	test_param_limits(&p);
}

static void test_ep(void)
{
	struct vt_ep a = { .qpn = 0x1234,
			   .psn = 0xabcdef,
			   .rkey = 0xdeadbeef,
			   .mtu = 1024,
			   .rd_atom = 16,
			   .lid = 0,
			   .addr = 0xffff800012345000ULL,
			   .size = 1 << 20 },
		     b;
	json_object *m;

	memcpy(a.gid, "\0\0\0\0\0\0\0\0\0\0\xff\xff\xc6\x12\x02\x01", 16);
	m = roundtrip(vt_ep_to_json(&a));
	CU_ASSERT_EQUAL(vt_ep_from_json(m, &b), 0);
	CU_ASSERT_EQUAL(memcmp(&a, &b, sizeof(a)), 0);
	/* an older peer says nothing of READs: it answers one at a time */
	json_object_object_del(m, "rd_atom");
	CU_ASSERT_EQUAL(vt_ep_from_json(m, &b), 0);
	CU_ASSERT_EQUAL(b.rd_atom, 1);
	json_object_object_add(m, "qpn", json_object_new_int64(1 << 24));
	CU_ASSERT_EQUAL(vt_ep_from_json(m, &b), -EPROTO);
	json_object_put(m);
}

static void vt_sleep_ms_for_test(unsigned int ms)
{
	struct timespec ts = { 0, (long)ms * 1000000L };

	nanosleep(&ts, NULL);
}

static void test_clock(void)
{
	struct vt_clock c;
	struct timespec m0, m1;
	uint64_t a, b;
	double outer;

	CU_ASSERT_EQUAL(vt_clock_init(&c, VT_CLOCK_RAW), 0);
	CU_ASSERT_STRING_EQUAL(c.source, "clock_monotonic_raw");
	CU_ASSERT_EQUAL(vt_clock_init(&c, VT_CLOCK_AUTO), 0);
	CU_ASSERT(c.ns_per_tick > 0 && c.ns_per_tick < 10);
	CU_ASSERT(c.overhead_ns >= 0 && c.overhead_ns < 10000);
	/*
	 * A 20 ms sleep measures at least 19 ms, and no more than the
	 * system's monotonic clock saw around it (5% and 0.1 ms of slack):
	 * a busy host may stretch the sleep, never the agreement.
	 */
	clock_gettime(CLOCK_MONOTONIC, &m0);
	a = vt_clock_now(&c);
	vt_sleep_ms_for_test(20);
	b = vt_clock_now(&c);
	clock_gettime(CLOCK_MONOTONIC, &m1);
	outer = (double)(m1.tv_sec - m0.tv_sec) * 1e9 +
		(double)(m1.tv_nsec - m0.tv_nsec);
	CU_ASSERT(vt_clock_ns(&c, b - a) > 19e6);
	CU_ASSERT(vt_clock_ns(&c, b - a) < outer * 1.05 + 1e5);
}

int test_proto_register(void)
{
	CU_pSuite s = CU_add_suite("verbs/proto", NULL, NULL);

	if (!s || !CU_add_test(s, "message decoding", test_decode) ||
	    !CU_add_test(s, "frame lengths", test_frame) ||
	    !CU_add_test(s, "hello round trip and checks", test_params) ||
	    !CU_add_test(s, "endpoint round trip", test_ep) ||
	    !CU_add_test(s, "clock calibration sanity", test_clock))
		return -1;
	return 0;
}
