/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "test.h"

#define REAP_BATCH 16

/*
 * Signal what the caller asks, plus the one WR that would otherwise make
 * tx_depth outstanding with none signaled: without it the queue could
 * never drain. With cq_mod <= tx_depth (the protocol's limit) and the
 * ping-pongs' rate, that never happens; it is the guarantee, not a policy.
 */
static bool must_signal(const struct vt_res *r, uint64_t id, uint64_t last_sig,
			bool asked)
{
	return asked || id - last_sig >= r->tx_depth;
}

/* After a successful post of N WRs of OP: the queue's and the run's
 * bookkeeping. */
static void posted(struct vt_run *run, enum ibv_wr_opcode op, unsigned int n,
		   uint64_t last_sig, bool inl)
{
	run->res->sq_posted += n;
	run->res->sq_last_sig = last_sig;
	run->inlined = inl;
	run->opcode = op;
	run->posted_any = true;
}

/* The work request of opcode OP for this run: payload from the send
 * region; RDMA ops at the peer's region; atomics on its first 8 bytes. */
static void build_wr(struct vt_run *run, enum ibv_wr_opcode op,
		     struct ibv_send_wr *wr, struct ibv_sge *sge)
{
	struct vt_res *r = run->res;

	*sge = (struct ibv_sge){
		.addr = (uintptr_t)(run->echo ? vt_res_recv_buf(r) :
						vt_res_send_buf(r)),
		.length = (uint32_t)run->size,
		.lkey = r->mr->lkey,
	};
	*wr = (struct ibv_send_wr){
		.wr_id = r->sq_posted + 1,
		.sg_list = sge,
		.num_sge = 1,
		.opcode = op,
	};
	switch (op) {
	case IBV_WR_ATOMIC_FETCH_AND_ADD:
	case IBV_WR_ATOMIC_CMP_AND_SWP:
		sge->length = VT_ATOMIC_BYTES;
		wr->wr.atomic.remote_addr = run->remote.addr;
		wr->wr.atomic.rkey = run->remote.rkey;
		/* fetch-and-add 1; compare-and-swap k -> k + 1 for the k-th
		 * atomic of the run: each succeeds and returns k */
		wr->wr.atomic.compare_add =
			op == IBV_WR_ATOMIC_FETCH_AND_ADD ? 1 : run->atomics;
		wr->wr.atomic.swap = run->atomics + 1;
		break;
	case IBV_WR_RDMA_WRITE:
	case IBV_WR_RDMA_WRITE_WITH_IMM:
	case IBV_WR_RDMA_READ:
		wr->wr.rdma.remote_addr = run->remote.addr;
		wr->wr.rdma.rkey = run->remote.rkey;
		break;
	default:
		break;
	}
}

/* Only SENDs and WRITEs carry a payload from this side: those go inline
 * when the device takes it. */
static bool may_inline(enum ibv_wr_opcode op)
{
	return op == IBV_WR_SEND || op == IBV_WR_RDMA_WRITE ||
	       op == IBV_WR_RDMA_WRITE_WITH_IMM;
}

int vt_post(struct vt_run *run, enum ibv_wr_opcode op, bool signaled)
{
	struct vt_res *r = run->res;
	bool inl = may_inline(op) && run->size <= r->max_inline;
	struct ibv_send_wr wr, *bad;
	struct ibv_sge sge;
	int ret;

	build_wr(run, op, &wr, &sge);
	signaled = must_signal(r, r->sq_posted + 1, r->sq_last_sig, signaled);
	wr.send_flags = (signaled ? IBV_SEND_SIGNALED : 0) |
			(inl ? IBV_SEND_INLINE : 0);
	/* A full queue: wait for the signaled WR among the outstanding ones
	 * (must_signal guarantees there is one). */
	while (r->sq_posted - r->sq_done >= r->tx_depth) {
		ret = vt_reap_send(run, true);
		if (ret)
			return ret;
	}
	ret = ibv_post_send(r->qp, &wr, &bad);
	if (ret) {
		snprintf(run->err, sizeof(run->err),
			 "ibv_post_send(%s, %s): %s", r->dev,
			 vt_opcode_name(op), strerror(ret));
		return -ret;
	}
	if (vt_opcode_atomic(op))
		run->atomics++;
	posted(run, op, 1, signaled ? r->sq_posted + 1 : r->sq_last_sig, inl);
	return 0;
}

int vt_post_list(struct vt_run *run, enum ibv_wr_opcode op, unsigned int n,
		 uint64_t k0, uint32_t mod, bool last)
{
	struct vt_res *r = run->res;
	bool inl = may_inline(op) && run->size <= r->max_inline;
	uint64_t last_sig = r->sq_last_sig;
	struct ibv_send_wr *bad;
	unsigned int j;
	int ret;

	if (n > run->nwrs || r->sq_posted + n - r->sq_done > r->tx_depth) {
		snprintf(run->err, sizeof(run->err),
			 "%s: a list of %u WRs does "
			 "not fit",
			 r->dev, n);
		return -EINVAL;
	}
	for (j = 0; j < n; j++) {
		struct ibv_send_wr *wr = &run->wrs[j];
		bool sig = vt_list_signal(
			r->tx_depth, run->nwrs, r->sq_posted + j + 1, last_sig,
			(k0 + j) % mod == 0 || (last && j + 1 == n),
			j + 1 == n);

		build_wr(run, op, wr, &run->sges[j]);
		wr->wr_id = r->sq_posted + j + 1;
		wr->send_flags = (sig ? IBV_SEND_SIGNALED : 0) |
				 (inl ? IBV_SEND_INLINE : 0);
		wr->next = j + 1 < n ? &run->wrs[j + 1] : NULL;
		if (sig)
			last_sig = wr->wr_id;
		if (vt_opcode_atomic(op))
			run->atomics++; /* the next one's compare value */
	}
	ret = ibv_post_send(r->qp, run->wrs, &bad);
	if (ret) {
		snprintf(run->err, sizeof(run->err),
			 "ibv_post_send(%s, %s, list of %u): %s", r->dev,
			 vt_opcode_name(op), n, strerror(ret));
		return -ret;
	}
	posted(run, op, n, last_sig, inl);
	return 0;
}

bool vt_list_signal(uint32_t depth, uint32_t list, uint64_t id,
		    uint64_t last_sig, bool asked, bool list_end)
{
	if (asked || id - last_sig >= depth)
		return true;
	/* Once every signaled WR has completed, the unsignaled ones after
	 * the last of them still hold their slots: a list's end leaves at
	 * most DEPTH - LIST of them, or the next list would never find
	 * room (and the stream would wait for a completion never asked). */
	return list_end && (list >= depth || id - last_sig > depth - list);
}

const char *vt_opcode_name(enum ibv_wr_opcode op)
{
	switch (op) {
	case IBV_WR_RDMA_WRITE:
		return "RDMA_WRITE";
	case IBV_WR_RDMA_WRITE_WITH_IMM:
		return "RDMA_WRITE_WITH_IMM";
	case IBV_WR_SEND:
		return "SEND";
	case IBV_WR_RDMA_READ:
		return "RDMA_READ";
	case IBV_WR_ATOMIC_FETCH_AND_ADD:
		return "ATOMIC_FETCH_AND_ADD";
	case IBV_WR_ATOMIC_CMP_AND_SWP:
		return "ATOMIC_CMP_AND_SWP";
	default:
		return "other";
	}
}

int vt_post_recv(struct vt_run *run, unsigned int n)
{
	struct vt_res *r = run->res;
	struct ibv_sge sge = {
		.addr = (uintptr_t)vt_res_recv_buf(r),
		.length = (uint32_t)r->half,
		.lkey = r->mr->lkey,
	};
	struct ibv_recv_wr wr = { .sg_list = &sge, .num_sge = 1 }, *bad;
	int ret;

	while (n--) {
		wr.wr_id = ++r->rq_posted;
		ret = ibv_post_recv(r->qp, &wr, &bad);
		if (ret) {
			snprintf(run->err, sizeof(run->err),
				 "ibv_post_recv(%s): %s", r->dev,
				 strerror(ret));
			return -ret;
		}
	}
	return 0;
}

static int wc_error(struct vt_run *run, const struct ibv_wc *wc)
{
	snprintf(run->err, sizeof(run->err),
		 "%s: work completion error: %s (vendor error 0x%x)",
		 run->res->dev, ibv_wc_status_str(wc->status), wc->vendor_err);
	return -EIO;
}

/*
 * --events: instead of spinning on an empty CQ, arm it, poll once more
 * (a completion may have come in between), and sleep on the channel.
 * Returns 1 to poll again, 0 when the wait timed out (time for the spin
 * check), < 0 on error. *ARMED tracks whether CQ is armed.
 */
static int event_wait(struct vt_run *run, struct ibv_cq *cq, bool *armed)
{
	struct vt_res *r = run->res;
	int ret;

	if (!*armed) {
		ret = ibv_req_notify_cq(cq, 0);
		if (ret) {
			snprintf(run->err, sizeof(run->err),
				 "ibv_req_notify_cq(%s): %s", r->dev,
				 strerror(ret));
			return -ret;
		}
		*armed = true;
		return 1;
	}
	ret = r->cq_wait(r, VT_EVENT_WAIT_MS);
	if (ret < 0) {
		snprintf(run->err, sizeof(run->err),
			 "%s: waiting for a completion "
			 "event: %s",
			 r->dev, strerror(-ret));
		return ret;
	}
	if (ret > 0)
		*armed = false; /* an event disarms its CQ */
	return ret;
}

int vt_reap_send(struct vt_run *run, bool block)
{
	struct ibv_wc wc[REAP_BATCH];
	uint64_t since = 0, before = run->res->sq_done;
	unsigned int spins = 0;
	bool armed = false;
	int n, i, ret;

	for (;;) {
		n = ibv_poll_cq(run->res->scq, REAP_BATCH, wc);
		if (n < 0) {
			snprintf(run->err, sizeof(run->err),
				 "ibv_poll_cq(%s) failed", run->res->dev);
			return -EIO;
		}
		for (i = 0; i < n; i++) {
			if (wc[i].status != IBV_WC_SUCCESS)
				return wc_error(run, &wc[i]);
			run->res->sq_done = wc[i].wr_id;
		}
		/* Progress counts, whoever reaped it: vt_spin_check polls
		 * this CQ too. */
		if (run->res->sq_done != before || !block)
			return 0;
		/* -b: the peer's messages keep coming while we wait; taking
		 * them is what lets its sends, and so ours, go on */
		if (run->rx_too && (ret = vt_rx_service(run)))
			return ret;
		if (run->res->cq_wait) {
			ret = event_wait(run, run->res->scq, &armed);
			if (ret > 0)
				continue;
			if (ret < 0 || (ret = vt_spin_check(run, &since)))
				return ret;
			continue;
		}
		if (++spins % VT_SPIN_EVERY)
			continue;
		ret = vt_spin_check(run, &since);
		if (ret)
			return ret;
	}
}

int vt_rx_service(struct vt_run *run)
{
	unsigned int n = 0;
	int ret;

	while ((ret = vt_poll_recv(run)) > 0)
		n++;
	if (ret < 0)
		return ret;
	return n ? vt_post_recv(run, n) : 0;
}

/* -q: the other QPs' messages, taken and their receives posted again;
 * RUN counts them (the server reports one count for the test). */
static int sibling_recvs(struct vt_run *run)
{
	struct ibv_wc wc[REAP_BATCH];
	unsigned int i;
	int n, k, ret;

	for (i = 0; i < run->nsib; i++) {
		struct vt_run *q = &run->sib[i];

		n = ibv_poll_cq(q->res->rcq, REAP_BATCH, wc);
		if (n < 0) {
			snprintf(run->err, sizeof(run->err),
				 "ibv_poll_cq(%s) failed", q->res->dev);
			return -EIO;
		}
		for (k = 0; k < n; k++)
			if (wc[k].status != IBV_WC_SUCCESS)
				return wc_error(run, &wc[k]);
		run->received += (uint64_t)n;
		if (n && (ret = vt_post_recv(q, (unsigned int)n))) {
			snprintf(run->err, sizeof(run->err), "%s", q->err);
			return ret;
		}
	}
	return 0;
}

int vt_poll_recv(struct vt_run *run)
{
	struct ibv_wc wc;
	int n;

	if (run->nsib && (n = sibling_recvs(run)))
		return n;
	n = ibv_poll_cq(run->res->rcq, 1, &wc);

	if (n < 0) {
		snprintf(run->err, sizeof(run->err), "ibv_poll_cq(%s) failed",
			 run->res->dev);
		return -EIO;
	}
	if (n == 0)
		return 0;
	if (wc.status != IBV_WC_SUCCESS)
		return wc_error(run, &wc);
	run->received++;
	return 1;
}

/* Server: a message from the client while a test runs. */
static int ctrl_message(struct vt_run *run, uint64_t *since, uint64_t now)
{
	json_object *m;
	int ret = vt_ctrl_recv(run->ctrl, &m, -1);

	if (ret) {
		snprintf(run->err, sizeof(run->err), "%s: client %s: %s",
			 run->res->dev, run->ctrl->peer,
			 ret == -ECONNRESET ? "it went away" : strerror(-ret));
		return ret;
	}
	if (!strcmp(vt_msg_type(m), "hb")) {
		json_object_put(m);
		*since = now; /* alive */
		return 0;
	}
	if (strcmp(vt_msg_type(m), "stop")) {
		snprintf(run->err, sizeof(run->err),
			 "client %s: unexpected '%s' during a test",
			 run->ctrl->peer, vt_msg_type(m));
		json_object_put(m);
		return -EPROTO;
	}
	run->stop_msg = m; /* the server's cue: the client is done */
	run->stopped = true;
	return -ECANCELED;
}

/* Polled in the spin check only after this long: a completion error
 * (retry exceeded: the peer is gone) surfaces, and no sample of a
 * healthy run ever contains a poll of the send CQ. */
#define SCQ_CHECK_AFTER_MS 1000

int vt_wait_recv(struct vt_run *run)
{
	uint64_t since = 0;
	unsigned int spins = 0;
	bool armed = false;
	int ret;

	while ((ret = vt_poll_recv(run)) == 0) {
		if (run->res->cq_wait) {
			ret = event_wait(run, run->res->rcq, &armed);
			if (ret > 0)
				continue;
			if (ret < 0 || (ret = vt_spin_check(run, &since)))
				return ret;
			continue;
		}
		if (++spins % VT_SPIN_EVERY)
			continue;
		ret = vt_spin_check(run, &since);
		if (ret)
			return ret;
	}
	if (ret < 0)
		return ret;
	run->reposts_due++;
	return 0;
}

int vt_spin_check(struct vt_run *run, uint64_t *since)
{
	uint64_t now = vt_clock_now(run->clk);
	double waited;
	struct ibv_wc wc;
	int n, ret;

	/* Polling loops call this every few hundred spins. A wait shorter
	 * than VT_LIVE_AFTER_MS (every sample of a healthy run) costs a
	 * clock read and nothing more; the syscalls and the CQ poll below
	 * run only in a wait that has lasted that long, then at most once
	 * a millisecond: no sample of a healthy run carries a syscall. */
	if (run->abort && *run->abort) {
		snprintf(run->err, sizeof(run->err), "interrupted");
		return -EINTR;
	}
	if (!*since)
		*since = now;
	waited = vt_clock_ns(run->clk, now - *since);
	if (waited < VT_LIVE_AFTER_MS * 1e6 || now < run->next_check)
		return 0;
	run->next_check = now + (uint64_t)(1e6 / run->clk->ns_per_tick);

	/* A peer process that died closes its control channel: say so now
	 * rather than at the timeout. */
	if (run->peer_ctrl && vt_ctrl_closed(run->peer_ctrl)) {
		snprintf(
			run->err, sizeof(run->err),
			"%s: the peer %s closed the control channel (it went away)",
			run->res->dev, run->peer_ctrl->peer);
		return -ECONNRESET;
	}
	while (run->ctrl && vt_ctrl_pending(run->ctrl) > 0)
		if ((ret = ctrl_message(run, since, now)))
			return ret;
	waited = vt_clock_ns(run->clk, now - *since);
	if (waited > SCQ_CHECK_AFTER_MS * 1e6 &&
	    (n = ibv_poll_cq(run->res->scq, 1, &wc)) > 0) {
		if (wc.status != IBV_WC_SUCCESS)
			return wc_error(run, &wc);
		run->res->sq_done = wc.wr_id;
	}
	if (run->timeout_ms > 0 && waited > run->timeout_ms * 1e6) {
		snprintf(run->err, sizeof(run->err),
			 "%s: no answer from the peer for %d ms", run->res->dev,
			 run->timeout_ms);
		return -ETIMEDOUT;
	}
	return 0;
}

int vt_heartbeat(struct vt_run *run, uint64_t now)
{
	json_object *m;
	int ret;

	if (!run->peer_ctrl || now < run->next_beat)
		return 0;
	run->next_beat =
		now + (uint64_t)(VT_HEARTBEAT_MS * 1e6 / run->clk->ns_per_tick);
	m = vt_msg_new("hb", NULL, 0);
	ret = vt_ctrl_send(run->peer_ctrl, m);
	json_object_put(m);
	if (ret)
		snprintf(run->err, sizeof(run->err), "%s: peer %s: %s",
			 run->res->dev, run->peer_ctrl->peer, strerror(-ret));
	return ret;
}

bool vt_run_over(const struct vt_run *run, uint64_t i, uint64_t t0,
		 uint64_t now)
{
	if (run->abort && *run->abort)
		return true; /* the loops' next spin check reports it */
	if (run->p->iters)
		return i >= run->p->warmup + run->p->iters;
	return vt_clock_ns(run->clk, now - t0) >= run->p->duration_s * 1e9;
}

void vt_record(struct vt_run *run, uint64_t i, double ns)
{
	if (i < run->p->warmup)
		return;
	if (run->samples)
		run->samples[i - run->p->warmup] = ns;
	else
		vfb_hist_add(run->hist, ns);
	run->iters++;
}

void vt_pattern_fill(uint8_t *buf, uint64_t size, uint8_t seq)
{
	uint64_t k;

	for (k = 0; k + 1 < size; k++)
		buf[k] = (uint8_t)(seq * 7 + k);
	buf[size - 1] = seq;
}

uint64_t vt_pattern_check(const uint8_t *buf, uint64_t size, uint8_t seq)
{
	uint64_t k, bad = 0;

	for (k = 0; k + 1 < size; k++)
		bad += buf[k] != (uint8_t)(seq * 7 + k);
	return bad + (buf[size - 1] != seq);
}
