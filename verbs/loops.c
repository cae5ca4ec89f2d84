/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static uint32_t pp_every(const struct vt_run *run)
{
	uint32_t d = run->res->tx_depth;

	return d < VT_PP_SIGNAL_EVERY ? (d ? d : 1) : VT_PP_SIGNAL_EVERY;
}

/*
 * Between two samples, never inside one: give back the receives consumed,
 * reap the send completions signaled so far (without blocking), and keep
 * the client's heartbeat going.
 */
static int pp_between(struct vt_run *run, uint64_t now)
{
	int ret;

	if (run->reposts_due) {
		ret = vt_post_recv(run, run->reposts_due);
		run->reposts_due = 0;
		if (ret)
			return ret;
	}
	if (run->res->sq_last_sig > run->res->sq_done) {
		ret = vt_reap_send(run, false);
		if (ret)
			return ret;
	}
	return vt_heartbeat(run, now);
}

/*
 * The sampling loop of the latency tests: sample i is from just before
 * POST to just after WAIT saw the answer, divided by DIV (a ping-pong's
 * half round trip: 2); AFTER runs between samples (run->t_end is the end
 * of the sample just taken), so no sample pays for it.
 */
static int sample_loop(struct vt_run *run, vt_step_fn post, vt_step_fn wait,
		       vt_step_fn after, unsigned int div)
{
	uint64_t i, t0 = 0, start;
	int ret;

	for (i = 0;; i++) {
		start = vt_clock_now(run->clk);
		if (!i)
			t0 = start;
		ret = post(run, i);
		if (!ret)
			ret = wait(run, i);
		if (ret)
			return ret;
		run->t_end = vt_clock_now(run->clk);
		if (i == run->p->warmup)
			run->t_start = start;
		vt_record(run, i,
			  vt_clock_ns(run->clk, run->t_end - start) / div);
		ret = after(run, i);
		if (ret)
			return ret;
		if (vt_run_over(run, i + 1, t0, run->t_end))
			break;
	}
	if (run->abort && *run->abort)
		return vt_interrupted(run);
	return 0;
}

/*
 * --verify, between samples: the answer to sample I (the peer sent back
 * our payload: it crossed both ways) is checked, and the payload of
 * sample I + 1 filled. Our message of sample I has landed (it was
 * answered), so its buffer is free again.
 */
static void pp_verify(struct vt_run *run, uint64_t i)
{
	atomic_thread_fence(memory_order_acquire);
	run->verify_errors += vt_pattern_check(vt_res_recv_buf(run->res),
					       run->size, vt_seq(i)) != 0;
	vt_pattern_fill(vt_res_send_buf(run->res), run->size, vt_seq(i + 1));
}

static int pp_after(struct vt_run *run, uint64_t i)
{
	if (run->p->verify)
		pp_verify(run, i);
	return pp_between(run, run->t_end);
}

/*
 * Active side of a ping-pong: sample i is half the time from just before
 * its post to just after its answer arrived. Completions, reposts,
 * heartbeats and --verify's fill and check happen between samples.
 */
int vt_pingpong(struct vt_run *run, vt_step_fn post, vt_step_fn wait)
{
	run->sig_every = pp_every(run);
	if (run->p->verify)
		vt_pattern_fill(vt_res_send_buf(run->res), run->size,
				vt_seq(0));
	return sample_loop(run, post, wait, pp_after, 2);
}

/*
 * Passive side: answer every message until the client says stop. With
 * --verify it sends back the message it received (run->echo): nothing
 * to fill or check between a ping and its answer, and the client's check
 * covers both crossings. Its next ping comes only once the answer has
 * landed there, so the region is not overwritten while it is sent.
 */
int vt_reflect(struct vt_run *run, vt_step_fn wait, vt_step_fn post)
{
	uint64_t i;
	int ret;

	run->sig_every = pp_every(run);
	run->echo = run->p->verify;
	for (i = 0;; i++) {
		ret = wait(run, i);
		if (ret == -ECANCELED && run->stopped)
			return 0;
		if (ret)
			return ret;
		ret = post(run, i);
		if (!ret)
			ret = pp_between(run, 0);
		if (ret)
			return ret;
	}
}

/* Round trip: the answer is the completion of the WR just posted. */
static int rt_wait(struct vt_run *run, uint64_t i)
{
	int ret = 0;

	(void)i;
	while (!ret && run->res->sq_done != run->res->sq_posted)
		ret = vt_reap_send(run, true);
	return ret;
}

static int rt_after(struct vt_run *run, uint64_t i)
{
	int ret = run->rt_check ? run->rt_check(run, i) : 0;

	return ret ? ret : vt_heartbeat(run, run->t_end);
}

/*
 * Round trip: sample i is from just before the post of a signaled WR to
 * just after its completion, which is the answer (a READ's data, an
 * atomic's original value): perftest's ib_read_lat / ib_atomic_lat.
 * CHECK looks at the answer between samples.
 */
int vt_round_trip(struct vt_run *run, vt_step_fn post, vt_step_fn check)
{
	run->sig_every = 1;
	run->rt_check = check;
	return sample_loop(run, post, rt_wait, rt_after, 1);
}

int vt_idle_until_stop(struct vt_run *run)
{
	uint64_t since = 0;
	int ret;

	/* Nothing to do but notice the stop, or a client gone silent: its
	 * heartbeats keep the silence clock (run->timeout_ms) at bay. */
	for (;;) {
		ret = vt_spin_check(run, &since);
		if (ret == -ECANCELED && run->stopped)
			break;
		if (ret)
			return ret;
		vt_sleep_ms(1);
	}
	/* whatever the client did landed before it said stop: its last
	 * completion came first */
	atomic_thread_fence(memory_order_acquire);
	return 0;
}

struct stamp {
	uint64_t t, n; /* clock ticks, messages completed */
};

/*
 * Peak bandwidth: the best rate over any window of at least W messages,
 * W = max(tx_depth, 10% of the run). Shorter windows measure how the
 * device batches its completions (perftest's peak does), not bandwidth.
 */
static void peak_from_stamps(struct vt_run *run, const struct stamp *st,
			     size_t n)
{
	uint64_t total = n ? st[n - 1].n : 0, w = total / 10;
	size_t i, j = 0;

	if (w < run->res->tx_depth)
		w = run->res->tx_depth;
	for (i = 0; i < n; i++) {
		double ns, bps;

		while (j + 1 < i && st[i].n - st[j + 1].n >= w)
			j++;
		if (st[i].n - st[j].n < w || st[i].t <= st[j].t)
			continue;
		ns = vt_clock_ns(run->clk, st[i].t - st[j].t);
		bps = (double)(st[i].n - st[j].n) * (double)run->size * 1e9 /
		      ns;
		if (bps > run->peak_bps)
			run->peak_bps = bps;
	}
}

/* The QPs a stream drives: RUN itself, then its siblings (-q). */
static struct vt_run *qp_of(struct vt_run *run, unsigned int i)
{
	return i ? &run->sib[i - 1] : run;
}

/* One QP's part of a stream phase. */
struct lane {
	uint64_t base;	/* its sq_posted when the phase began */
	uint64_t share; /* iteration mode: WRs it posts */
	bool stop;	/* its last WR (signaled) is posted */
};

/*
 * Fill QP Q's window with WRs of OP, in lists of post_list: one signaled
 * every MOD of its own, and its last. It stops at its share, or, timed,
 * at the first post after the time is up (that one is its last).
 */
static int fill(struct vt_run *run, struct vt_run *q, struct lane *l,
		enum ibv_wr_opcode op, uint32_t mod, uint64_t t0, bool timed)
{
	struct vt_res *r = q->res;
	int ret;

	while (!l->stop && r->sq_posted - r->sq_done < r->tx_depth) {
		uint64_t k = r->sq_posted - l->base + 1;
		uint64_t room = r->tx_depth - (r->sq_posted - r->sq_done);
		uint64_t n = run->p->post_list > 1 ? run->p->post_list : 1;

		if (run->abort && *run->abort)
			return vt_interrupted(run);
		if (n > 1 && room < n)
			break; /* a whole list, or wait for room */
		if (!timed && n > l->share - k + 1)
			n = l->share - k + 1;
		l->stop = timed ? vt_run_over(run, 0, t0,
					      vt_clock_now(run->clk)) :
				  k + n - 1 >= l->share;
		ret = n > 1 ? vt_post_list(q, op, (unsigned int)n, k, mod,
					   l->stop) :
			      vt_post(q, op, l->stop || k % mod == 0);
		if (ret) {
			if (q != run)
				snprintf(run->err, sizeof(run->err), "%s",
					 q->err);
			return ret;
		}
	}
	return 0;
}

/* Reap what completed: one QP blocks (as perftest), several poll each in
 * turn. *MOVED: whether any completion came. */
static int reap(struct vt_run *run, unsigned int nq, uint64_t *since,
		unsigned int *spins, bool *moved)
{
	unsigned int i;
	int ret;

	*moved = false;
	for (i = 0; i < nq; i++) {
		struct vt_run *q = qp_of(run, i);
		uint64_t last = q->res->sq_done;

		ret = vt_reap_send(q, nq == 1);
		if (ret) {
			if (q != run)
				snprintf(run->err, sizeof(run->err), "%s",
					 q->err);
			return ret;
		}
		*moved |= q->res->sq_done != last;
	}
	if (run->rx_too && (ret = vt_rx_service(run)))
		return ret;
	if (*moved || nq == 1 || ++*spins % VT_SPIN_EVERY)
		return 0;
	return vt_spin_check(run, since);
}

/*
 * Streaming: keep tx_depth work requests in flight on every QP, one
 * signaled every cq_mod; a stamp per completion batch. Iteration mode
 * splits COUNT among the QPs; the measurement is all of them together.
 */
static int stream_phase(struct vt_run *run, enum ibv_wr_opcode op,
			uint64_t count, bool timed)
{
	unsigned int nq = run->nsib + 1, i, spins = 0;
	uint64_t t0 = vt_clock_now(run->clk), since = 0, posted, done;
	uint32_t mod = run->sig_every;
	struct lane lanes[VT_QPS_MAX];
	struct stamp *st = NULL, *grown;
	size_t nst = 0, cap = 0;
	bool moved, all_stopped;
	int ret = 0;

	if (nq > VT_QPS_MAX)
		return -EINVAL;
	for (i = 0; i < nq; i++)
		lanes[i] = (struct lane){
			.base = qp_of(run, i)->res->sq_posted,
			.share = count / nq + (i < count % nq),
		};
	for (i = 0; !timed && i < nq; i++)
		lanes[i].stop = lanes[i].share == 0;
	run->t_start = run->t_end = t0;
	for (;;) {
		for (i = 0; i < nq; i++)
			if ((ret = fill(run, qp_of(run, i), &lanes[i], op, mod,
					t0, timed)))
				goto out;
		if ((ret = reap(run, nq, &since, &spins, &moved)))
			goto out;
		if (!moved)
			continue;
		since = 0;
		run->t_end = vt_clock_now(run->clk);
		ret = vt_heartbeat(run, run->t_end);
		if (ret)
			goto out;
		posted = done = 0;
		all_stopped = true;
		for (i = 0; i < nq; i++) {
			struct vt_res *r = qp_of(run, i)->res;

			posted += r->sq_posted - lanes[i].base;
			done += r->sq_done - lanes[i].base;
			all_stopped &=
				lanes[i].stop && r->sq_done == r->sq_posted;
		}
		if (nst == cap) {
			cap = cap ? 2 * cap : 256;
			grown = realloc(st, cap * sizeof(*st));
			if (!grown) {
				ret = -ENOMEM;
				goto out;
			}
			st = grown;
		}
		st[nst++] = (struct stamp){ run->t_end, done };
		if (all_stopped)
			break;
	}
	run->iters = posted;
	peak_from_stamps(run, st, nst);
out:
	free(st);
	return ret;
}

static int stream_phases(struct vt_run *run, enum ibv_wr_opcode op)
{
	int ret;

	run->sig_every = run->p->cq_mod;
	if (!run->sig_every || run->sig_every > run->res->tx_depth)
		run->sig_every = run->res->tx_depth;
	if (run->p->warmup) {
		ret = stream_phase(run, op, run->p->warmup, false);
		if (ret)
			return ret;
		run->peak_bps = 0;
	}
	return stream_phase(run, op, run->p->iters, run->p->iters == 0);
}

/* -l: each QP's list of WRs to post at once. */
static int alloc_lists(struct vt_run *q, uint32_t n)
{
	q->nwrs = n;
	q->wrs = calloc(n, sizeof(*q->wrs));
	q->sges = calloc(n, sizeof(*q->sges));
	return q->wrs && q->sges ? 0 : -ENOMEM;
}

static void free_lists(struct vt_run *q)
{
	free(q->wrs);
	free(q->sges);
	q->wrs = NULL;
	q->sges = NULL;
	q->nwrs = 0;
}

int vt_stream(struct vt_run *run, enum ibv_wr_opcode op)
{
	unsigned int i;
	int ret = 0;

	for (i = 0; i <= run->nsib; i++) {
		qp_of(run, i)->sig_every = run->p->cq_mod;
		if (run->p->post_list > 1 && !ret)
			ret = alloc_lists(qp_of(run, i), run->p->post_list);
	}
	if (ret)
		snprintf(run->err, sizeof(run->err), "out of memory");
	else
		ret = stream_phases(run, op);
	for (i = 0; i <= run->nsib; i++)
		free_lists(qp_of(run, i));
	return ret;
}
