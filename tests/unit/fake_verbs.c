/* SPDX-License-Identifier: MIT */
/* The recording fake provider of the engine tests (fake_verbs.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_verbs.h"
#include "suites.h"

struct fake *F;

/* A checksum of the payload but its last byte (write_lat's sequence
 * byte is the operation itself, written by the post). */
static uint64_t sum_of(const uint8_t *b, uint64_t len)
{
	uint64_t s = 0, k;

	for (k = 0; k + 1 < len; k++)
		s = s * 31 + b[k];
	return s;
}

/* The payload as it is now: a change since the last look that the fake
 * did not make itself (MINE) is a touch by the code under test. */
static void fake_seen(struct fake *f, bool mine)
{
	uint64_t s, r, e;

	if (!f->log)
		return;
	s = sum_of(vt_res_send_buf(&f->res), f->run->size);
	r = sum_of(vt_res_recv_buf(&f->res), f->run->size);
	e = f->run->verify_errors;
	if (!mine &&
	    (s != f->sum_send || r != f->sum_recv || e != f->seen_errors) &&
	    f->nlog < f->log_cap)
		f->log[f->nlog++] = (struct fake_event){ FAKE_EV_TOUCH };
	f->sum_send = s;
	f->sum_recv = r;
	f->seen_errors = e;
}

static void fake_event(struct fake *f, enum fake_ev ev)
{
	if (!f->log)
		return;
	fake_seen(f, false);
	if (f->nlog < f->log_cap)
		f->log[f->nlog++] = (struct fake_event){ ev };
}

/* hold_reads: the answer held since the post shows now. */
static void fake_release(struct fake *f)
{
	if (!f->held || --f->held)
		return;
	if (f->held_byte)
		*f->held_byte = f->held_val;
	f->held_byte = NULL;
	fake_seen(f, true);
	fake_event(f, FAKE_EV_ANSWER);
}

static uint64_t fake_now(void *arg)
{
	struct fake *f = arg;

	f->stamps++;
	f->in_sample = !f->in_sample;
	fake_event(f, FAKE_EV_CLOCK);
	fake_release(f);
	f->now += f->step ? f->step : 1000;
	return f->now;
}

static int fake_pending(struct vt_ctrl *c)
{
	(void)c;
	fake_event(F, FAKE_EV_SYSCALL);
	return 0;
}

void fake_log(struct fake *f, struct vt_run *run, size_t cap)
{
	int sv[2];

	f->log = calloc(cap, sizeof(*f->log));
	f->log_cap = cap;
	f->run = run;
	CU_ASSERT_FATAL(f->log != NULL);
	/* heartbeats go somewhere; the liveness polls are the fake's */
	CU_ASSERT_FATAL(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	f->ctrl = (struct vt_ctrl){ .fd = sv[0], .fake_pending = fake_pending };
	f->ctrl_peer = sv[1];
	snprintf(f->ctrl.peer, sizeof(f->ctrl.peer), "fake-peer");
	fake_seen(f, true);
}

void fake_free(struct fake *f)
{
	if (f->log) {
		close(f->ctrl.fd);
		close(f->ctrl_peer);
	}
	free(f->log);
	free(f->res.buf);
	f->log = NULL;
	f->res.buf = NULL;
}

static void deliver_recv(struct fake *f)
{
	if (f->recvs_used == f->recvs_posted) {
		f->rnr++; /* a real device would answer RNR */
		return;
	}
	f->recvs_used++;
	f->recv_cqes++;
}

static void fake_write(struct fake *f, const struct ibv_send_wr *wr)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)wr->wr.rdma.remote_addr;
	uint32_t len = wr->sg_list->length;

	uint8_t before = dst[len - 1];

	/* a --verify server sends back from where it received */
	memmove(dst, (void *)(uintptr_t)wr->sg_list->addr, len);
	dst[0] ^= f->corrupt;
	if (f->peer && f->posts < f->peer_stop) /* the client's next ping */
		dst[len - 1] = (uint8_t)(dst[len - 1] % 255 + 1);
	if (f->hold_reads) { /* the last byte lands later */
		f->held_byte = &dst[len - 1];
		f->held_val = dst[len - 1];
		dst[len - 1] = before;
	}
}

/* READ: the peer's bytes into the local buffer. */
static void fake_read(struct fake *f, const struct ibv_send_wr *wr)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)wr->sg_list->addr;

	memcpy(dst, (void *)(uintptr_t)wr->wr.rdma.remote_addr,
	       wr->sg_list->length);
	dst[0] ^= f->corrupt;
}

/* Atomics: applied to the peer's word; the original value comes back. */
static void fake_atomic(struct fake *f, const struct ibv_send_wr *wr)
{
	uint64_t *word = (uint64_t *)(uintptr_t)wr->wr.atomic.remote_addr;
	uint64_t orig = *word;

	CU_ASSERT_EQUAL(wr->sg_list->length, 8);
	CU_ASSERT_EQUAL(wr->wr.atomic.remote_addr % 8, 0);
	if (wr->opcode == IBV_WR_ATOMIC_FETCH_AND_ADD)
		*word += wr->wr.atomic.compare_add;
	else if (*word == wr->wr.atomic.compare_add)
		*word = wr->wr.atomic.swap;
	orig += f->corrupt;
	memcpy((void *)(uintptr_t)wr->sg_list->addr, &orig, sizeof(orig));
}

static void fake_effect(struct fake *f, const struct ibv_send_wr *wr)
{
	bool answer = !f->peer || f->posts < f->peer_stop;

	f->wrong_op += wr->opcode != f->want_op &&
		       !(f->want_op == IBV_WR_RDMA_WRITE &&
			 (f->p.verify || f->p.events) &&
			 wr->opcode == IBV_WR_RDMA_WRITE_WITH_IMM);
	if (wr->opcode == IBV_WR_RDMA_READ) {
		fake_read(f, wr);
		return;
	}
	if (vt_opcode_atomic(wr->opcode)) {
		fake_atomic(f, wr);
		return;
	}
	if (wr->opcode == IBV_WR_RDMA_WRITE ||
	    wr->opcode == IBV_WR_RDMA_WRITE_WITH_IMM)
		fake_write(f, wr);
	else {
		memmove(vt_res_recv_buf(&f->res),
			(void *)(uintptr_t)wr->sg_list->addr,
			wr->sg_list->length);
		vt_res_recv_buf(&f->res)[0] ^= f->corrupt;
	}
	if (wr->opcode != IBV_WR_RDMA_WRITE && answer)
		deliver_recv(f);
	if (f->peer && f->posts >= f->peer_stop)
		f->abort = 1;
}

/* Each fake device is its own struct fake: its context is the first
 * member, so a QP's or CQ's context leads back to it (-q: several). */
static struct fake *fake_of(struct ibv_context *ctx)
{
	return (struct fake *)(void *)ctx;
}

static int fake_post_send(struct ibv_qp *qp, struct ibv_send_wr *wr,
			  struct ibv_send_wr **bad)
{
	struct fake *f = fake_of(qp->context);
	uint64_t out;

	uint64_t list = 0;

	f->post_calls++;
	for (; wr; wr = wr->next) {
		if (++list > f->max_list)
			f->max_list = list;
		out = wr->wr_id - f->retired;
		if (out > f->res.tx_depth) {
			f->overflows++;
			*bad = wr;
			return ENOMEM;
		}
		if (out > f->max_outstanding)
			f->max_outstanding = out;
		fake_event(f, FAKE_EV_POST);
		f->posts++;
		f->inlined += !!(wr->send_flags & IBV_SEND_INLINE);
		if (wr->send_flags & IBV_SEND_SIGNALED) {
			f->signaled++;
			CU_ASSERT_FATAL(f->nsig < FAKE_SIG_MAX);
			f->sig_ids[f->nsig++] = wr->wr_id;
		}
		fake_effect(f, wr);
		f->held = f->hold_reads;
		fake_seen(f, true);
	}
	return 0;
}

static int fake_post_recv(struct ibv_qp *qp, struct ibv_recv_wr *wr,
			  struct ibv_recv_wr **bad)
{
	(void)bad;
	for (; wr; wr = wr->next)
		fake_of(qp->context)->recvs_posted++;
	return 0;
}

static int fake_poll_cq(struct ibv_cq *cq, int n, struct ibv_wc *wc)
{
	struct fake *f = fake_of(cq->context);
	int got = 0;

	if (f->held) /* hold_reads: nothing shows before its clock read */
		return 0;

	if (f->defer) { /* nothing shows until the CQ's event came */
		bool *rel = cq == &f->rcq ? &f->released_rcq : &f->released_scq;

		if (!*rel) {
			f->rcq_polls += cq == &f->rcq;
			f->scq_polls += cq == &f->scq;
			return 0;
		}
		*rel = false;
	}
	if (cq == &f->rcq) {
		f->rcq_polls++;
		for (; got < n && f->recv_cqes; got++, f->recv_cqes--)
			wc[got] = (struct ibv_wc){ .status = IBV_WC_SUCCESS,
						   .opcode = IBV_WC_RECV };
		return got;
	}
	f->scq_polls++;
	f->scq_polls_in_sample += f->in_sample;
	/* every signaled WR has completed by now; hand them out in order */
	for (; got < n && f->nsig; got++) {
		wc[got] = (struct ibv_wc){ .status = IBV_WC_SUCCESS,
					   .wr_id = f->sig_ids[0] };
		f->retired = f->sig_ids[0];
		memmove(f->sig_ids, f->sig_ids + 1,
			--f->nsig * sizeof(f->sig_ids[0]));
	}
	return got;
}

static int fake_req_notify(struct ibv_cq *cq, int solicited)
{
	(void)solicited;
	F->arms++;
	if (cq == &F->rcq)
		F->armed_rcq = true;
	else
		F->armed_scq = true;
	return 0;
}

/* The channel: an event for every armed CQ, at once. */
int fake_cq_wait(struct vt_res *r, int timeout_ms)
{
	(void)r;
	(void)timeout_ms;
	F->waits++;
	F->released_rcq |= F->armed_rcq;
	F->released_scq |= F->armed_scq;
	F->armed_rcq = F->armed_scq = false;
	return 1;
}

void fake_init(struct fake *f, uint64_t size, uint32_t tx_depth,
	       uint32_t cq_mod, uint64_t iters, uint64_t warmup)
{
	memset(f, 0, sizeof(*f));
	F = f;
	f->ctx.ops.post_send = fake_post_send;
	f->ctx.ops.post_recv = fake_post_recv;
	f->ctx.ops.poll_cq = fake_poll_cq;
	f->ctx.ops.req_notify_cq = fake_req_notify;
	f->qp.context = f->scq.context = f->rcq.context = &f->ctx;
	snprintf(f->res.dev, sizeof(f->res.dev), "fake0");
	f->res.ctx = &f->ctx;
	f->res.qp = &f->qp;
	f->res.scq = &f->scq;
	f->res.rcq = &f->rcq;
	f->res.mr = &f->mr;
	f->res.half = size;
	f->res.buf = calloc(2, size);
	f->res.tx_depth = tx_depth;
	f->res.max_inline = 64;
	f->clk = (struct vt_clock){ .ns_per_tick = 1.0,
				    .fake_now = fake_now,
				    .fake_arg = f };
	vt_params_init(&f->p);
	f->p.iters = iters;
	f->p.warmup = warmup;
	f->p.tx_depth = tx_depth;
	f->p.cq_mod = cq_mod;
}

void fake_run(struct fake *f, struct vt_run *run, uint64_t size,
	      double *samples)
{
	*run = (struct vt_run){
		.res = &f->res,
		.p = &f->p,
		.clk = &f->clk,
		.size = size,
		.timeout_ms = 1000,
		.samples = samples,
		.abort = &f->abort,
		.remote = { .addr = (uintptr_t)vt_res_recv_buf(&f->res) },
	};
}

bool is_pingpong(const struct vt_test_ops *o)
{
	return o->latency && !o->round_trip;
}

bool is_round_trip(const struct vt_test_ops *o)
{
	return o->latency && o->round_trip;
}

bool is_stream(const struct vt_test_ops *o)
{
	return !o->latency;
}

size_t engines(bool (*kind)(const struct vt_test_ops *),
	       const struct vt_test_ops **out)
{
	size_t i, n, k = 0;
	const struct vt_test_ops *const *all = vt_tests(&n);

	for (i = 0; i < n; i++)
		if (kind(all[i]))
			out[k++] = all[i];
	return k;
}

uint64_t engine_size(const struct vt_test_ops *ops, uint64_t want)
{
	return ops->fixed_size ? ops->fixed_size : want;
}
