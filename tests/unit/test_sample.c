/* SPDX-License-Identifier: MIT */
/*
 * Nothing but the measured operation inside a sample: every latency
 * engine against the fake provider with answers that take a few spin
 * checks to come, its events logged in order. Between a sample's two
 * clock reads (the one before its post, the first after its answer)
 * there must be no syscall (a liveness poll of the control channel) and
 * no payload fill or check, with --verify and without; a ping-pong
 * server must not touch the payload between a ping and its answer.
 */
#include <stdlib.h>

#include "fake_verbs.h"
#include "suites.h"

struct inside {
	uint64_t samples, syscalls, touches; /* inside samples */
	uint64_t all_syscalls;
};

/* Index of the first event EV at or after I (F->nlog: none). */
static size_t next_ev(const struct fake *f, size_t i, enum fake_ev ev)
{
	while (i < f->nlog && f->log[i].ev != ev)
		i++;
	return i;
}

static void count_range(const struct fake *f, size_t from, size_t to,
			struct inside *in)
{
	size_t j;

	for (j = from; j < to; j++) {
		in->syscalls += f->log[j].ev == FAKE_EV_SYSCALL;
		in->touches += f->log[j].ev == FAKE_EV_TOUCH;
	}
}

/* Client: a sample runs from the clock read before a post to the first
 * clock read after that post's answer. */
static struct inside client_inside(const struct fake *f)
{
	struct inside in = { 0 };
	size_t i, start = f->nlog, end;

	for (i = 0; i < f->nlog; i++) {
		in.all_syscalls += f->log[i].ev == FAKE_EV_SYSCALL;
		if (f->log[i].ev == FAKE_EV_CLOCK)
			start = i;
		if (f->log[i].ev != FAKE_EV_POST || start == f->nlog)
			continue;
		end = next_ev(f, next_ev(f, i, FAKE_EV_ANSWER), FAKE_EV_CLOCK);
		if (end == f->nlog)
			break;
		in.samples++;
		count_range(f, start + 1, end, &in);
		for (; i + 1 < end; i++)
			in.all_syscalls += f->log[i + 1].ev == FAKE_EV_SYSCALL;
		start = f->nlog;
	}
	return in;
}

/* Server: from a ping's arrival to the post of its answer. */
static struct inside server_inside(const struct fake *f)
{
	struct inside in = { 0 };
	size_t i, end;

	for (i = 0; i < f->nlog; i++) {
		in.all_syscalls += f->log[i].ev == FAKE_EV_SYSCALL;
		if (f->log[i].ev != FAKE_EV_ANSWER)
			continue;
		end = next_ev(f, i, FAKE_EV_POST);
		if (end == f->nlog)
			break;
		in.samples++;
		count_range(f, i + 1, end, &in);
	}
	return in;
}

static const struct {
	bool verify, corrupt;
	unsigned int hold_reads; /* spin checks an answer takes */
	uint64_t step;		 /* clock ticks (ns) per read */
	bool long_wait;		 /* waits of over VT_LIVE_AFTER_MS */
} cases[] = {
	{ false, false, 2, 1000, false },  { true, false, 2, 1000, false },
	{ true, true, 3, 1000, false }, /* the checks must still fail */
	{ false, false, 4, 400000, true }, { true, false, 4, 400000, true },
};

static void one_client(const struct vt_test_ops *ops, size_t c)
{
	uint64_t iters = 300, warmup = 5, n = iters + warmup;
	uint64_t size = engine_size(ops, 4096);
	double *samples = calloc(iters, sizeof(double));
	struct vt_run run;
	struct inside in;
	struct fake f;

	fake_init(&f, size, 128, 1, iters, warmup);
	f.p.verify = cases[c].verify;
	f.corrupt = cases[c].corrupt;
	f.hold_reads = cases[c].hold_reads;
	f.step = cases[c].step;
	f.want_op = vt_test_opcode(ops, &f.p);
	fake_run(&f, &run, size, samples);
	ops->server_prepare(&run); /* the fake's peer is itself */
	if (vt_test_needs_recv(ops, &f.p))
		CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
	fake_log(&f, &run, 1 << 16);
	run.peer_ctrl = &f.ctrl;
	CU_ASSERT_EQUAL_FATAL(ops->client(&run), 0);
	in = client_inside(&f);
	CU_ASSERT_EQUAL(in.samples, n);
	CU_ASSERT_EQUAL(in.touches, 0);
	CU_ASSERT_EQUAL(run.iters, iters);
	CU_ASSERT_EQUAL(run.verify_errors, cases[c].corrupt ? n : 0);
	if (cases[c].long_wait) {
		/* a wait that lasts is still watched */
		CU_ASSERT(in.all_syscalls > 0);
	} else {
		CU_ASSERT_EQUAL(in.syscalls, 0);
		CU_ASSERT_EQUAL(in.all_syscalls, 0);
	}
	if (in.touches || (!cases[c].long_wait && in.syscalls))
		fprintf(stderr,
			"\n  %s (case %zu): %llu samples, %llu with a "
			"syscall, %llu payload touches inside",
			ops->name, c, (unsigned long long)in.samples,
			(unsigned long long)in.syscalls,
			(unsigned long long)in.touches);
	free(samples);
	fake_free(&f);
}

static bool is_latency(const struct vt_test_ops *o)
{
	return o->latency;
}

static void test_clients(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_latency, eng);

	CU_ASSERT(ne >= 4);
	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			one_client(eng[t], c);
}

static void one_server(const struct vt_test_ops *ops, size_t c)
{
	struct vt_run run;
	struct inside in;
	struct fake f;

	fake_init(&f, 64, 128, 1, 0, 0);
	f.peer = true;
	f.peer_stop = 400;
	f.p.verify = cases[c].verify;
	f.corrupt = cases[c].corrupt;
	f.hold_reads = cases[c].hold_reads;
	f.step = cases[c].step;
	f.want_op = ops->opcode;
	fake_run(&f, &run, 64, NULL);
	vt_res_recv_buf(&f.res)[63] = vt_seq(0); /* the first ping */
	f.recv_cqes = f.recvs_used = f.recvs_posted = 1;
	if (vt_test_needs_recv(ops, &f.p))
		CU_ASSERT_EQUAL(vt_post_recv(&run, VT_RX_DEPTH), 0);
	fake_log(&f, &run, 1 << 16);
	run.ctrl = &f.ctrl;
	CU_ASSERT_EQUAL(ops->server(&run), -EINTR); /* the peer stopped */
	in = server_inside(&f);
	CU_ASSERT(in.samples >= 399);
	CU_ASSERT_EQUAL(in.touches, 0);
	CU_ASSERT_EQUAL(f.posts, 400);
	if (cases[c].long_wait) {
		CU_ASSERT(in.all_syscalls > 0);
	} else {
		CU_ASSERT_EQUAL(in.all_syscalls, 0);
	}
	fake_free(&f);
}

static void test_servers(void)
{
	const struct vt_test_ops *eng[16];
	size_t t, c, ne = engines(is_pingpong, eng);

	CU_ASSERT(ne >= 2);
	for (t = 0; t < ne; t++)
		for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			one_server(eng[t], c);
}

int test_sample_register(void)
{
	CU_pSuite s = CU_add_suite("verbs/samples (fake provider)", NULL, NULL);

	if (!s ||
	    !CU_add_test(
		    s,
		    "latency clients: no syscall, no payload fill or check inside a sample",
		    test_clients) ||
	    !CU_add_test(
		    s,
		    "ping-pong servers: no syscall, nothing touched between a ping and its answer",
		    test_servers))
		return -1;
	return 0;
}
