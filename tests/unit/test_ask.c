/* SPDX-License-Identifier: MIT */
/*
 * What the engines ask the device for, as perftest asks: the inline size
 * of each test (-I overrides), the GID of the address the traffic leaves
 * from, a GRH on InfiniBand only with -x, the P_Key index; and that the
 * peer is told the same (the hello message).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "fake_verbs.h"
#include "session.h"
#include "suites.h"

/* The inline default by what an engine declares: a WRITE ping-pong 220,
 * a SEND ping-pong 236, everything else 0 (perftest's). */
static uint32_t perftest_inline(const struct vt_test_ops *o)
{
	if (!o->latency || o->round_trip)
		return 0;
	return o->opcode == IBV_WR_SEND ? 236 : 220;
}

static void test_inline(void)
{
	struct vt_client_cfg cfg = { .dev = "fake0", .gid_index = -1 };
	size_t i, n;
	const struct vt_test_ops *const *all = vt_tests(&n);
	struct vt_res_attr a;
	struct vt_params p;

	for (i = 0; i < n; i++) {
		vt_params_init(&p);
		p.tx_depth = 128;
		vt_client_res_attr(&cfg, &p, all[i], NULL, &a);
		CU_ASSERT_EQUAL(a.inline_size, perftest_inline(all[i]));
		p.inline_size = 100; /* -I 100 */
		vt_client_res_attr(&cfg, &p, all[i], NULL, &a);
		CU_ASSERT_EQUAL(a.inline_size, 100);
		p.inline_size = 0;
		vt_client_res_attr(&cfg, &p, all[i], NULL, &a);
		CU_ASSERT_EQUAL(a.inline_size, 0);
	}
}

static struct ibv_gid_entry gid(uint32_t idx, uint8_t port, uint32_t type,
				const char *ip)
{
	struct ibv_gid_entry e = { .gid_index = idx,
				   .port_num = port,
				   .gid_type = type };
	struct in_addr a4;

	inet_pton(AF_INET, ip, &a4);
	e.gid.raw[10] = e.gid.raw[11] = 0xff;
	memcpy(e.gid.raw + 12, &a4, 4);
	return e;
}

/* A VF with a second address (a VLAN sub-interface): the client's GID is
 * the one of the address its connection to the peer leaves from. */
static void test_client_gid(void)
{
	struct vt_client_cfg cfg = { .dev = "fake0", .gid_index = -1 };
	const struct ibv_gid_entry tab[] = {
		gid(0, 1, IBV_GID_TYPE_ROCE_V1, "10.0.0.2"),
		gid(1, 1, IBV_GID_TYPE_ROCE_V2, "10.0.0.2"),
		gid(2, 1, IBV_GID_TYPE_ROCE_V1, "10.1.0.2"),
		gid(3, 1, IBV_GID_TYPE_ROCE_V2, "10.1.0.2"),
		gid(4, 2, IBV_GID_TYPE_ROCE_V2, "10.2.0.2"),
	};
	struct vt_res_attr a;
	struct vt_params p;

	vt_params_init(&p);
	vt_client_res_attr(&cfg, &p, vt_tests(&(size_t){ 0 })[0], "10.1.0.2",
			   &a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a.prefer_ip);
	CU_ASSERT_STRING_EQUAL(a.prefer_ip, "10.1.0.2");
	CU_ASSERT_EQUAL(vt_gid_pick(tab, 5, 1, a.prefer_ip), 3);
	CU_ASSERT_EQUAL(vt_gid_pick(tab, 5, 1, "10.0.0.2"), 1);
	CU_ASSERT_EQUAL(vt_gid_pick(tab, 5, 1, NULL), 1); /* the first v2 */
	CU_ASSERT_EQUAL(vt_gid_pick(tab, 5, 2, "10.1.0.2"), 4);
	CU_ASSERT_EQUAL(vt_gid_pick(tab, 5, 3, NULL), -1);
}

/* InfiniBand: by LID unless -x; the P_Key index reaches INIT. */
static void test_grh_pkey(void)
{
	struct vt_client_cfg cfg = { .dev = "fake0", .gid_index = -1 };
	struct vt_res r = { .mtu = 4096, .port = 1, .pkey_index = 3 };
	struct vt_ep ep = { .qpn = 7, .lid = 12, .mtu = 4096 };
	struct ibv_qp_attr at;
	struct vt_res_attr a;
	struct vt_params p;
	int mask;

	vt_params_init(&p);
	vt_client_res_attr(&cfg, &p, vt_tests(&(size_t){ 0 })[0], NULL, &a);
	CU_ASSERT_FALSE(a.grh);
	CU_ASSERT_EQUAL(a.pkey_index, 0);
	cfg.gid_index = 2; /* -x 2 */
	p.pkey_index = 5;
	vt_client_res_attr(&cfg, &p, vt_tests(&(size_t){ 0 })[0], NULL, &a);
	CU_ASSERT_TRUE(a.grh);
	CU_ASSERT_EQUAL(a.pkey_index, 5);
	r.grh = false;
	vt_res_rtr_attr(&r, &ep, &at);
	CU_ASSERT_EQUAL(at.ah_attr.is_global, 0);
	CU_ASSERT_EQUAL(at.ah_attr.dlid, 12);
	r.grh = true;
	vt_res_rtr_attr(&r, &ep, &at);
	CU_ASSERT_EQUAL(at.ah_attr.is_global, 1);
	mask = vt_res_init_attr(&r, &at);
	CU_ASSERT(mask & IBV_QP_PKEY_INDEX);
	CU_ASSERT_EQUAL(at.pkey_index, 3);
}

/* The peer is told: -I, -x's GRH and the P_Key index cross in the hello;
 * an older peer's hello, without them, means the defaults. */
static void test_hello(void)
{
	struct vt_params p, q;
	json_object *o;
	char err[128];

	vt_params_init(&p);
	snprintf(p.test, sizeof(p.test), "write_lat");
	p.sizes.n = 1;
	p.sizes.v[0] = 64;
	p.iters = 10;
	p.tx_depth = 128;
	p.cq_mod = 1;
	p.inline_size = 0;
	p.grh = true;
	p.pkey_index = 7;
	o = vt_params_to_json(&p);
	CU_ASSERT_EQUAL(vt_params_from_json(o, &q, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(q.inline_size, 0);
	CU_ASSERT_TRUE(q.grh);
	CU_ASSERT_EQUAL(q.pkey_index, 7);
	json_object_object_del(o, "inline_size");
	json_object_object_del(o, "grh");
	json_object_object_del(o, "pkey_index");
	CU_ASSERT_EQUAL(vt_params_from_json(o, &q, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(q.inline_size, -1);
	CU_ASSERT_FALSE(q.grh);
	CU_ASSERT_EQUAL(q.pkey_index, 0);
	json_object_object_add(o, "inline_size", json_object_new_int(5000));
	CU_ASSERT_NOT_EQUAL(vt_params_from_json(o, &q, err, sizeof(err)), 0);
	json_object_put(o);
}

/* Pinned memory: per QP, checked against the limit with a clear line. */
static void test_pin(void)
{
	const uint64_t M = 1 << 20;
	char err[256] = "";

	CU_ASSERT_EQUAL(vt_pin_bytes(8 * M, 16), 256 * M);
	CU_ASSERT_EQUAL(vt_pin_bytes(8 * M, 1), 16 * M);
	CU_ASSERT_EQUAL(vt_pin_bytes(1, 1),
			2 * (uint64_t)sysconf(_SC_PAGESIZE));
	CU_ASSERT_EQUAL(vt_pin_fits(8 * M, 1, 64 * M, false, err, sizeof(err)),
			0);
	CU_ASSERT_EQUAL(vt_pin_fits(8 * M, 16, 64 * M, false, err, sizeof(err)),
			-ENOMEM);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "256 MiB (16 QPs x 2 x 8 MiB)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "memlock limit of 64 MiB"));
	CU_ASSERT_EQUAL(vt_pin_fits(8 * M, 16, 64 * M, true, err, sizeof(err)),
			0); /* CAP_IPC_LOCK */
	CU_ASSERT_EQUAL(vt_pin_fits(8 * M, 16, (uint64_t)RLIM_INFINITY, false,
				    err, sizeof(err)),
			0);
	CU_ASSERT_EQUAL(vt_pin_fits(8 * M, 4, 64 * M, false, err, sizeof(err)),
			0); /* exactly the limit */
}

int test_ask_register(void)
{
	CU_pSuite s =
		CU_add_suite("verbs/what the device is asked", NULL, NULL);

	if (!s ||
	    !CU_add_test(s,
			 "inline: perftest's defaults per test, -I over them",
			 test_inline) ||
	    !CU_add_test(s, "client GID: the address the traffic leaves from",
			 test_client_gid) ||
	    !CU_add_test(s, "InfiniBand: a GRH only with -x; --pkey-index",
			 test_grh_pkey) ||
	    !CU_add_test(s, "-I, GRH and P_Key index reach the peer",
			 test_hello) ||
	    !CU_add_test(s, "pinned memory: per QP, against the memlock limit",
			 test_pin))
		return -1;
	return 0;
}
