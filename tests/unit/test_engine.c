/* SPDX-License-Identifier: MIT */
/*
 * The real posting and polling code of every engine against a recording
 * fake provider: a struct ibv_context whose ops count posts, signaled and
 * inline flags and polls, and complete every work request at once. What
 * Soft-RoCE hides (how many WRs are signaled, how many are outstanding,
 * whether a sample contains a poll of the send CQ) is asserted here.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "fake_verbs.h"

/* Ping-pong clients: exactly one send in 16 signaled, no send-CQ poll
 * inside any sample, two stamps per iteration, bounded outstanding. */
static void test_pingpong_clients(void)
{
	static const struct {
		uint64_t size, iters, warmup;
		uint32_t tx_depth;
		bool verify;
	} cases[] = {
		{ 2, 1000, 16, 128, false },  /* inline */
		{ 4096, 777, 0, 128, false }, /* not inline, odd count */
		{ 64, 500, 3, 128, true },    /* verify: write with immediate */
		{ 8, 300, 0, 8, false },      /* a send queue shorter than 16 */
	};
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_pingpong, eng);

	CU_ASSERT(ne >= 2);
	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t n = cases[c].iters + cases[c].warmup;
			uint32_t every =
				cases[c].tx_depth < 16 ? cases[c].tx_depth : 16;
			double *samples =
				calloc(cases[c].iters, sizeof(double));
			struct vt_run run;
			struct fake f;

			fake_init(&f, cases[c].size, cases[c].tx_depth, 1,
				  cases[c].iters, cases[c].warmup);
			f.p.verify = cases[c].verify;
			f.want_op = ops->opcode;
			fake_run(&f, &run, cases[c].size, samples);
			if (vt_test_needs_recv(ops, &f.p))
				CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH),
						0);
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(f.posts, n);
			CU_ASSERT_EQUAL(f.wrong_op, 0);
			CU_ASSERT_EQUAL(f.signaled, n / every);
			CU_ASSERT_EQUAL(run.sig_every, every);
			CU_ASSERT_EQUAL(f.scq_polls_in_sample, 0);
			CU_ASSERT(f.scq_polls >
				  0); /* it does reap, between samples */
			CU_ASSERT_EQUAL(f.stamps, 2 * n);
			CU_ASSERT(f.max_outstanding <= cases[c].tx_depth);
			CU_ASSERT_EQUAL(f.overflows, 0);
			CU_ASSERT_EQUAL(f.rnr, 0);
			CU_ASSERT_EQUAL(f.inlined, cases[c].size <= 64 ? n : 0);
			CU_ASSERT_EQUAL(run.iters, cases[c].iters);
			CU_ASSERT_EQUAL(run.verify_errors, 0);
			if (cases[c].verify && ops->recv_on_verify)
				CU_ASSERT_EQUAL(f.recvs_used,
						n); /* with immediate */
			free(samples);
			free(f.res.buf);
		}
}

/* Ping-pong servers: the same signaling rate when reflecting. */
static void test_pingpong_servers(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, ne = engines(is_pingpong, eng);

	for (t = 0; t < ne; t++) {
		const struct vt_test_ops *ops = eng[t];
		struct vt_run run;
		struct fake f;

		fake_init(&f, 32, 128, 1, 0, 0);
		f.peer = true;
		f.peer_stop = 640;
		f.want_op = ops->opcode;
		fake_run(&f, &run, 32, NULL);
		vt_res_recv_buf(&f.res)[31] = vt_seq(0); /* the first ping */
		f.recv_cqes = f.recvs_used = f.recvs_posted = 1;
		if (ops->two_sided)
			CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
		CU_ASSERT_EQUAL(ops->server(&run),
				-EINTR); /* the peer stopped */
		CU_ASSERT_EQUAL(f.posts, 640);
		CU_ASSERT_EQUAL(f.wrong_op, 0);
		CU_ASSERT_EQUAL(f.signaled, 640 / 16);
		CU_ASSERT(f.max_outstanding <= 128);
		CU_ASSERT_EQUAL(f.overflows, 0);
		CU_ASSERT_EQUAL(f.rnr, 0);
		free(f.res.buf);
	}
}

/*
 * Round trips (READ, atomics): every WR signaled (its completion is the
 * answer), exactly one outstanding, the sample spans the post and the
 * poll that finds the completion and nothing else (2 stamps), nothing
 * inline; --verify catches a wrong answer and passes a right one, for
 * fetch-and-add and compare-and-swap alike.
 */
static void test_round_trip_clients(void)
{
	static const struct {
		uint64_t size, iters, warmup;
		bool verify, corrupt;
		enum vt_atomic atomic;
	} cases[] = {
		{ 2, 1000, 16, false, false, VT_ATOMIC_FETCH_ADD },
		{ 4096, 333, 0, true, false, VT_ATOMIC_FETCH_ADD },
		{ 64, 200, 5, true, false, VT_ATOMIC_CMP_SWAP },
		{ 64, 100, 0, true, true, VT_ATOMIC_CMP_SWAP },	 /* must fail */
		{ 64, 100, 0, true, true, VT_ATOMIC_FETCH_ADD }, /* must fail */
	};
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_round_trip, eng);

	CU_ASSERT(ne >= 2);
	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t n = cases[c].iters + cases[c].warmup, word;
			uint64_t size = engine_size(ops, cases[c].size);
			double *samples =
				calloc(cases[c].iters, sizeof(double));
			struct vt_run run;
			struct fake f;

			fake_init(&f, size, 128, 1, cases[c].iters,
				  cases[c].warmup);
			f.p.verify = cases[c].verify;
			f.p.atomic = cases[c].atomic;
			f.corrupt = cases[c].corrupt;
			f.want_op = vt_test_opcode(ops, &f.p);
			fake_run(&f, &run, size, samples);
			/* the fake's peer is itself */
			ops->server_prepare(&run);
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(f.posts, n);
			CU_ASSERT_EQUAL(f.wrong_op, 0);
			CU_ASSERT_EQUAL(f.signaled, n);
			CU_ASSERT_EQUAL(run.sig_every, 1);
			CU_ASSERT_EQUAL(f.max_outstanding, 1);
			CU_ASSERT_EQUAL(f.stamps, 2 * n);
			CU_ASSERT_EQUAL(f.scq_polls_in_sample, n);
			CU_ASSERT_EQUAL(f.scq_polls, n);
			CU_ASSERT_EQUAL(f.rcq_polls, 0);
			CU_ASSERT_EQUAL(f.inlined, 0);
			CU_ASSERT_EQUAL(run.iters, cases[c].iters);
			CU_ASSERT_EQUAL(
				run.verify_errors,
				cases[c].verify && cases[c].corrupt ? n : 0);
			if (vt_opcode_atomic(ops->opcode)) {
				/* each atomic applied once: the word counts them */
				memcpy(&word, vt_res_recv_buf(&f.res),
				       sizeof(word));
				CU_ASSERT_EQUAL(word, n);
			}
			free(samples);
			free(f.res.buf);
		}
}

/* Streams: one WR in cq_mod signaled (plus the last), never more than
 * tx_depth outstanding; the forced signal only when cq_mod > tx_depth. */
static void test_stream_clients(void)
{
	static const struct {
		uint32_t tx_depth, cq_mod;
		uint64_t iters, warmup;
	} cases[] = {
		{ 128, 32, 100000, 0 }, /* the case that was 99.9% signaled */
		{ 128, 32, 5000, 64 },
		{ 128, 1, 2000, 0 },
		{ 128, 128, 10000, 0 },
		{ 64, 100, 3000, 0 }, /* cq_mod > tx_depth: every tx_depth */
		{ 1, 1, 50, 0 },
		{ 512, 7, 9999, 0 },
	};
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_stream, eng);

	CU_ASSERT(ne >= 4);
	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t n = cases[c].iters + cases[c].warmup, word;
			uint64_t size = engine_size(ops, 4096);
			uint32_t every = cases[c].cq_mod > cases[c].tx_depth ?
						 cases[c].tx_depth :
						 cases[c].cq_mod;
			double want = (double)n / every;
			struct vt_run run;
			struct fake f;

			fake_init(&f, size, cases[c].tx_depth, cases[c].cq_mod,
				  cases[c].iters, cases[c].warmup);
			f.p.atomic = c % 2 ? VT_ATOMIC_CMP_SWAP :
					     VT_ATOMIC_FETCH_ADD;
			f.want_op = vt_test_opcode(ops, &f.p);
			fake_run(&f, &run, size, NULL);
			if (ops->two_sided) /* the fake's peer has receives */
				f.recvs_posted = n;
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(f.posts, n);
			CU_ASSERT_EQUAL(f.wrong_op, 0);
			CU_ASSERT(f.signaled >= want - 1 &&
				  f.signaled <= want + 2);
			CU_ASSERT_EQUAL(run.sig_every, every);
			CU_ASSERT(f.max_outstanding <= cases[c].tx_depth);
			CU_ASSERT_EQUAL(
				f.max_outstanding,
				cases[c].tx_depth > n ? n : cases[c].tx_depth);
			CU_ASSERT_EQUAL(f.overflows, 0);
			CU_ASSERT_EQUAL(f.rnr, 0);
			CU_ASSERT_EQUAL(run.iters, cases[c].iters);
			if (vt_opcode_atomic(ops->opcode)) {
				/* pipelined compare-and-swaps each succeed too */
				memcpy(&word, vt_res_recv_buf(&f.res),
				       sizeof(word));
				CU_ASSERT_EQUAL(word, n);
			}
			free(f.res.buf);
		}
}

/*
 * -e: every engine's client, on a device whose completions show only after
 * an armed CQ's event: it arms and sleeps instead of spinning (a few
 * polls per event, never hundreds), and finishes every iteration.
 */
static void test_events(void)
{
	size_t i, n;
	const struct vt_test_ops *const *all = vt_tests(&n);

	for (i = 0; i < n; i++) {
		const struct vt_test_ops *ops = all[i];
		uint64_t size = engine_size(ops, 64), iters = 300;
		double *samples = calloc(iters, sizeof(double));
		struct vt_run run;
		struct fake f;

		fake_init(&f, size, 32, 8, iters, 0);
		f.p.events = true;
		f.defer = true;
		f.res.cq_wait = fake_cq_wait;
		f.want_op = vt_test_opcode(ops, &f.p);
		fake_run(&f, &run, size, ops->latency ? samples : NULL);
		if (vt_test_needs_recv(ops, &f.p))
			CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
		if (ops->two_sided && !ops->latency)
			f.recvs_posted = iters;
		CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
		CU_ASSERT_EQUAL(run.iters, iters);
		CU_ASSERT_EQUAL(f.wrong_op, 0);
		CU_ASSERT(f.waits > 0);
		CU_ASSERT(f.arms >= f.waits);
		CU_ASSERT((f.scq_polls + f.rcq_polls) <=
			  4 * f.waits + 2 * iters);
		CU_ASSERT_EQUAL(f.overflows, 0);
		CU_ASSERT_EQUAL(f.rnr, 0);
		free(samples);
		free(f.res.buf);
	}
}

/*
 * -q: a stream over four QPs (four fake devices): iteration mode splits
 * the count evenly, each QP keeps its own window and signals one in
 * cq_mod of its own, the run counts them all; with lists too.
 */
static void test_qps(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, ne = engines(is_stream, eng);
	static struct fake f, sf[3];
	unsigned int i, lists;

	for (t = 0; t < ne; t++)
		for (lists = 1; lists <= 4; lists *= 4) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t size = engine_size(ops, 4096), n = 10002,
				 share;
			struct vt_run run, sib[3];

			for (i = 0; i < 3; i++) {
				fake_init(&sf[i], size, 64, 16, n, 0);
				if (ops->two_sided)
					sf[i].recvs_posted = n;
			}
			fake_init(&f, size, 64, 16, n, 0); /* F: the main one */
			f.p.post_list = lists;
			f.want_op = vt_test_opcode(ops, &f.p);
			fake_run(&f, &run, size, NULL);
			for (i = 0; i < 3; i++) {
				sf[i].want_op = f.want_op;
				sf[i].p = f.p;
				fake_run(&sf[i], &sib[i], size, NULL);
				sib[i].p = &f.p;
			}
			run.sib = sib;
			run.nsib = 3;
			if (ops->two_sided)
				f.recvs_posted = n;
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(run.iters, n);
			for (i = 0; i < 4; i++) {
				struct fake *q = i ? &sf[i - 1] : &f;

				share = n / 4 + (i < n % 4);
				CU_ASSERT_EQUAL(q->posts, share);
				CU_ASSERT_EQUAL(q->wrong_op, 0);
				CU_ASSERT(q->signaled >= share / 16 &&
					  q->signaled <= share / 16 + 2);
				CU_ASSERT(q->max_outstanding <= 64);
				CU_ASSERT_EQUAL(q->max_list, lists);
				CU_ASSERT_EQUAL(q->overflows, 0);
				CU_ASSERT_EQUAL(q->rnr, 0);
			}
			free(f.res.buf);
			for (i = 0; i < 3; i++)
				free(sf[i].res.buf);
		}
}

/*
 * -b, two-sided: while it streams, the peer streams at it, a message for
 * each of its own (the fake's SENDs land on its own receives: the peer's
 * stream). It must take them and post its receives again as it goes:
 * without that the 512 posted run out and the peer stalls (RNR).
 */
static void test_bidir_receives(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, ne = engines(is_stream, eng);
	int checked = 0;
	bool rx;

	for (t = 0; t < ne; t++)
		for (rx = false; eng[t]->two_sided && !rx; rx = true) {
			const struct vt_test_ops *ops = eng[t];
			uint64_t n = 10000;
			struct vt_run run;
			struct fake f;

			fake_init(&f, 4096, 128, 32, n, 0);
			f.p.bidir = true;
			f.want_op = ops->opcode;
			fake_run(&f, &run, 4096, NULL);
			run.rx_too = true;
			CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
			CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
			CU_ASSERT_EQUAL(run.iters, n);
			CU_ASSERT_EQUAL(f.rnr, 0);
			CU_ASSERT(run.received + VT_RX_DEPTH >= n);
			CU_ASSERT(f.recvs_posted >= n);
			free(f.res.buf);
			checked++;
		}
	CU_ASSERT(checked > 0);
}

/*
 * -b -q: four QPs streaming while the peer streams back on each (every
 * fake device's SENDs land on its own receives): the loop takes every
 * QP's messages and posts their receives again, none runs out.
 */
static void test_bidir_qps(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, ne = engines(is_stream, eng);
	static struct fake f, sf[3];
	unsigned int i, checked = 0;

	for (t = 0; t < ne; t++) {
		const struct vt_test_ops *ops = eng[t];
		uint64_t n = 20000;
		struct vt_run run, sib[3];

		if (!ops->two_sided)
			continue;
		for (i = 0; i < 3; i++)
			fake_init(&sf[i], 4096, 128, 32, n, 0);
		fake_init(&f, 4096, 128, 32, n, 0); /* F: the main one */
		f.p.bidir = true;
		f.p.qps = 4;
		f.want_op = ops->opcode;
		fake_run(&f, &run, 4096, NULL);
		run.rx_too = true;
		CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
		for (i = 0; i < 3; i++) {
			sf[i].want_op = f.want_op;
			sf[i].p = f.p;
			fake_run(&sf[i], &sib[i], 4096, NULL);
			sib[i].p = &f.p;
			CU_ASSERT_EQUAL(vt_post_recv(&sib[i], VT_RX_DEPTH), 0);
		}
		run.sib = sib;
		run.nsib = 3;
		CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
		CU_ASSERT_EQUAL(run.iters, n);
		CU_ASSERT(run.received + 4 * VT_RX_DEPTH >= n);
		for (i = 0; i < 4; i++) {
			struct fake *q = i ? &sf[i - 1] : &f;

			CU_ASSERT_EQUAL(q->rnr, 0);
			CU_ASSERT(q->recvs_posted >= n / 4);
		}
		free(f.res.buf);
		for (i = 0; i < 3; i++)
			free(sf[i].res.buf);
		checked++;
	}
	CU_ASSERT(checked > 0);
}

/* The address vector asked for is the one the RTR transition carries;
 * unset, the device's defaults; READ depth as the device allows. */
static void test_rtr_attr(void)
{
	struct vt_res r = { .mtu = 4096,
			    .port = 1,
			    .gid_index = 3,
			    .rd_resp = 16,
			    .tclass = 106,
			    .sl = 3,
			    .flow_label = 0x1234 };
	struct vt_ep ep = { .qpn = 77, .psn = 5, .mtu = 1024, .rd_atom = 8 };
	struct ibv_qp_attr a;
	int mask = vt_res_rtr_attr(&r, &ep, &a);

	CU_ASSERT(mask & IBV_QP_AV);
	CU_ASSERT(mask & IBV_QP_MAX_DEST_RD_ATOMIC);
	CU_ASSERT_EQUAL(a.ah_attr.grh.traffic_class, 106);
	CU_ASSERT_EQUAL(a.ah_attr.sl, 3);
	CU_ASSERT_EQUAL(a.ah_attr.grh.flow_label, 0x1234);
	CU_ASSERT_EQUAL(a.ah_attr.grh.sgid_index, 3);
	CU_ASSERT_EQUAL(a.path_mtu, IBV_MTU_1024); /* the smaller one */
	CU_ASSERT_EQUAL(a.max_dest_rd_atomic, 16);
	CU_ASSERT_EQUAL(a.dest_qp_num, 77);
	r.tclass = r.sl = r.flow_label = -1;
	vt_res_rtr_attr(&r, &ep, &a);
	CU_ASSERT_EQUAL(a.ah_attr.grh.traffic_class, 0);
	CU_ASSERT_EQUAL(a.ah_attr.sl, 0);
	CU_ASSERT_EQUAL(a.ah_attr.grh.flow_label, 0);
}

/* An engine that leaves an op out gets the default: the registry's all
 * have every op, a missing side fails -EOPNOTSUPP saying "not
 * supported", a missing server_prepare does nothing; given ops stay. */
static void test_default_ops(void)
{
	const struct vt_test_ops bare = { .name = "bare", .latency = true };
	const struct vt_test_ops *const *all;
	struct vt_test_ops o, again;
	struct vt_run run;
	size_t i, n;

	all = vt_tests(&n);
	for (i = 0; i < n; i++) {
		CU_ASSERT_PTR_NOT_NULL(all[i]->client);
		CU_ASSERT_PTR_NOT_NULL(all[i]->server);
		CU_ASSERT_PTR_NOT_NULL(all[i]->server_prepare);
		vt_test_ops_set(&again, all[i]);
		CU_ASSERT_EQUAL(memcmp(&again, all[i], sizeof(again)), 0);
		CU_ASSERT_PTR_EQUAL(vt_test_find(all[i]->name), all[i]);
	}
	vt_test_ops_set(&o, &bare);
	CU_ASSERT_STRING_EQUAL(o.name, "bare");
	CU_ASSERT(o.latency);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.client);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.server);
	CU_ASSERT_PTR_NOT_NULL_FATAL(o.server_prepare);
	memset(&run, 0, sizeof(run));
	o.server_prepare(&run);
	CU_ASSERT_EQUAL(run.err[0], '\0');
	CU_ASSERT_EQUAL(o.client(&run), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "not supported"));
	run.err[0] = '\0';
	CU_ASSERT_EQUAL(o.server(&run), -EOPNOTSUPP);
	CU_ASSERT_PTR_NOT_NULL(strstr(run.err, "not supported"));
}

int test_engine_register(void)
{
	CU_pSuite s = CU_add_suite("verbs/engines (fake provider)", NULL, NULL);

	if (!s ||
	    !CU_add_test(
		    s,
		    "ping-pong clients: one in 16 signaled, no send-CQ poll in a sample",
		    test_pingpong_clients) ||
	    !CU_add_test(s, "ping-pong servers: one in 16 signaled",
			 test_pingpong_servers) ||
	    !CU_add_test(
		    s,
		    "round trips (READ, atomics): each signaled, one outstanding, verify can fail",
		    test_round_trip_clients) ||
	    !CU_add_test(
		    s,
		    "streams: one in cq_mod signaled, at most tx_depth outstanding",
		    test_stream_clients) ||
	    test_lists_add(s) ||
	    !CU_add_test(
		    s,
		    "-e: every engine sleeps on completion events, never spins",
		    test_events) ||
	    !CU_add_test(s,
			 "--tclass/--sl/--flow-label reach the RTR attributes",
			 test_rtr_attr) ||
	    !CU_add_test(s,
			 "-q 4: four QPs, each its share, window and signaling",
			 test_qps) ||
	    !CU_add_test(s, "-b: a stream takes the peer's messages as it goes",
			 test_bidir_receives) ||
	    !CU_add_test(s, "-b -q 4: every QP's messages taken as they come",
			 test_bidir_qps) ||
	    !CU_add_test(s, "an op left out gets its default",
			 test_default_ops))
		return -1;
	return test_sample_register() ? -1 : test_ask_register();
}
