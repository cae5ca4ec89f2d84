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
 * Active side of a ping-pong: sample i is half the time from just before
 * its post to just after its answer arrived. Completions, reposts and
 * heartbeats happen between samples, so no sample pays for them.
 */
int vt_pingpong(struct vt_run *run, vt_step_fn post, vt_step_fn wait)
{
	uint64_t i, t0 = 0, start, end = 0;
	int ret;

	run->sig_every = pp_every(run);
	for (i = 0;; i++) {
		start = vt_clock_now(run->clk);
		if (!i)
			t0 = start;
		ret = post(run, i);
		if (ret)
			return ret;
		ret = wait(run, i);
		if (ret)
			return ret;
		end = vt_clock_now(run->clk);
		if (i == run->p->warmup)
			run->t_start = start;
		vt_record(run, i, vt_clock_ns(run->clk, end - start) / 2);
		ret = pp_between(run, end);
		if (ret)
			return ret;
		if (vt_run_over(run, i + 1, t0, end))
			break;
	}
	run->t_end = end;
	if (run->abort && *run->abort)
		return vt_interrupted(run);
	return 0;
}

/* Passive side: answer every message until the client says stop. */
int vt_reflect(struct vt_run *run, vt_step_fn wait, vt_step_fn post)
{
	uint64_t i;
	int ret;

	run->sig_every = pp_every(run);
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

/*
 * Round trip: sample i is from just before the post of a signaled WR to
 * just after its completion, which is the answer (a READ's data, an
 * atomic's original value): perftest's ib_read_lat / ib_atomic_lat.
 * CHECK looks at the answer between samples.
 */
int vt_round_trip(struct vt_run *run, vt_step_fn post, vt_step_fn check)
{
	uint64_t i, t0 = 0, start, end = 0;
	int ret;

	run->sig_every = 1;
	for (i = 0;; i++) {
		start = vt_clock_now(run->clk);
		if (!i)
			t0 = start;
		ret = post(run, i);
		while (!ret && run->res->sq_done != run->res->sq_posted)
			ret = vt_reap_send(run, true);
		if (ret)
			return ret;
		end = vt_clock_now(run->clk);
		if (i == run->p->warmup)
			run->t_start = start;
		vt_record(run, i, vt_clock_ns(run->clk, end - start));
		ret = check ? check(run, i) : 0;
		if (!ret)
			ret = vt_heartbeat(run, end);
		if (ret)
			return ret;
		if (vt_run_over(run, i + 1, t0, end))
			break;
	}
	run->t_end = end;
	if (run->abort && *run->abort)
		return vt_interrupted(run);
	return 0;
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
		bps = (double)(st[i].n - st[j].n) * (double)run->size * 1e9 / ns;
		if (bps > run->peak_bps)
			run->peak_bps = bps;
	}
}

/*
 * Streaming: keep tx_depth work requests in flight, one signaled every
 * cq_mod; a stamp per completion batch.
 */
static int stream_phase(struct vt_run *run, enum ibv_wr_opcode op,
			uint64_t count, bool timed)
{
	uint64_t base = run->res->sq_posted, t0 = vt_clock_now(run->clk), last;
	uint32_t mod = run->sig_every;
	struct stamp *st = NULL, *grown;
	size_t nst = 0, cap = 0;
	bool stop = false;
	int ret = 0;

	run->t_start = run->t_end = t0;
	for (;;) {
		while (!stop &&
		       run->res->sq_posted - run->res->sq_done < run->res->tx_depth) {
			uint64_t k = run->res->sq_posted - base + 1;
			uint64_t room = run->res->tx_depth -
					(run->res->sq_posted - run->res->sq_done);
			uint64_t n = run->p->post_list > 1 ? run->p->post_list : 1;

			if (run->abort && *run->abort) {
				ret = vt_interrupted(run);
				goto out;
			}
			if (n > 1 && room < n)
				break; /* a whole list, or wait for room */
			if (!timed && n > count - k + 1)
				n = count - k + 1;
			stop = timed ? vt_run_over(run, 0, t0,
						   vt_clock_now(run->clk)) :
				       k + n - 1 >= count;
			ret = n > 1 ? vt_post_list(run, op, (unsigned int)n, k,
						   mod, stop) :
				      vt_post(run, op, stop || k % mod == 0);
			if (ret)
				goto out;
		}
		last = run->res->sq_done;
		ret = vt_reap_send(run, true);
		if (!ret && run->rx_too)
			ret = vt_rx_service(run);
		if (ret)
			goto out;
		if (run->res->sq_done == last)
			continue;
		run->t_end = vt_clock_now(run->clk);
		ret = vt_heartbeat(run, run->t_end);
		if (ret)
			goto out;
		if (nst == cap) {
			cap = cap ? 2 * cap : 256;
			grown = realloc(st, cap * sizeof(*st));
			if (!grown) {
				ret = -ENOMEM;
				goto out;
			}
			st = grown;
		}
		st[nst++] = (struct stamp){ run->t_end, run->res->sq_done - base };
		if (stop && run->res->sq_done == run->res->sq_posted)
			break;
	}
	run->iters = run->res->sq_posted - base;
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

int vt_stream(struct vt_run *run, enum ibv_wr_opcode op)
{
	int ret;

	if (run->p->post_list > 1) {
		run->nwrs = run->p->post_list;
		run->wrs = calloc(run->nwrs, sizeof(*run->wrs));
		run->sges = calloc(run->nwrs, sizeof(*run->sges));
		if (!run->wrs || !run->sges) {
			ret = -ENOMEM;
			snprintf(run->err, sizeof(run->err), "out of memory");
			goto out;
		}
	}
	ret = stream_phases(run, op);
out:
	free(run->wrs);
	free(run->sges);
	run->wrs = NULL;
	run->sges = NULL;
	run->nwrs = 0;
	return ret;
}
