/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>

#include "test.h"

/*
 * Active side of a ping-pong: one timestamp per iteration, taken just
 * before the post, so sample i = (t[i+1] - t[i]) / 2 as perftest does.
 */
int vt_pingpong(struct vt_run *run, vt_step_fn post, vt_step_fn wait)
{
	uint64_t i = 0, t0, prev, now;
	int ret;

	t0 = prev = vt_clock_now(run->clk);
	for (;; i++) {
		ret = post(run, i);
		if (ret)
			return ret;
		ret = wait(run, i);
		if (ret)
			return ret;
		now = vt_clock_now(run->clk);
		if (i == run->p->warmup)
			run->t_start = prev;
		vt_record(run, i, vt_clock_ns(run->clk, now - prev) / 2);
		prev = now;
		if (vt_run_over(run, i + 1, t0))
			break;
	}
	run->t_end = now;
	return vt_reap_send(run, false);
}

/* Passive side: answer every message until the client says stop. */
int vt_reflect(struct vt_run *run, vt_step_fn wait, vt_step_fn post)
{
	uint64_t i;
	int ret;

	for (i = 0;; i++) {
		ret = wait(run, i);
		if (ret == -ECANCELED && run->stopped)
			return 0;
		if (ret)
			return ret;
		ret = post(run, i);
		if (ret)
			return ret;
	}
}

/* Bytes per second over the window between two completion stamps. */
static void peak_update(struct vt_run *run, uint64_t t_a, uint64_t n_a,
			uint64_t t_b, uint64_t n_b)
{
	double ns = vt_clock_ns(run->clk, t_b - t_a), bps;

	if (ns <= 0 || n_b <= n_a)
		return;
	bps = (double)(n_b - n_a) * (double)run->size * 1e9 / ns;
	if (bps > run->peak_bps)
		run->peak_bps = bps;
}

#define PEAK_WINDOWS 64

/*
 * Streaming: keep tx_depth work requests in flight, one signaled every
 * cq_mod. Peak bandwidth is taken over windows of at least tx_depth
 * messages (a ring of completion stamps), so batching of completions
 * cannot fake a peak.
 */
static int stream_phase(struct vt_run *run, bool send_op, uint64_t count,
			bool timed)
{
	struct { uint64_t t, n; } ring[PEAK_WINDOWS], *prev;
	uint64_t base = run->res->sq_posted, t0 = vt_clock_now(run->clk), last;
	uint32_t mod = run->p->cq_mod;
	unsigned int head = 0, w;
	uint64_t stamps = 0;
	bool stop = false;
	int ret;

	/* Completion stamps w apart span at least tx_depth messages. */
	w = (run->res->tx_depth + mod - 1) / mod;
	w = w < 1 ? 1 : w > PEAK_WINDOWS - 1 ? PEAK_WINDOWS - 1 : w;
	run->t_start = run->t_end = t0;
	for (;;) {
		while (!stop &&
		       run->res->sq_posted - run->res->sq_done < run->res->tx_depth - 1) {
			uint64_t k = run->res->sq_posted - base + 1;

			stop = timed ? vt_run_over(run, 0, t0) : k >= count;
			ret = send_op ? vt_post_send(run, stop || k % mod == 0) :
					vt_post_write(run, stop || k % mod == 0);
			if (ret)
				return ret;
		}
		last = run->res->sq_done;
		ret = vt_reap_send(run, true);
		if (ret)
			return ret;
		if (run->res->sq_done == last)
			continue;
		run->t_end = vt_clock_now(run->clk);
		ring[head].t = run->t_end;
		ring[head].n = run->res->sq_done - base;
		if (++stamps > w) {
			prev = &ring[(head + PEAK_WINDOWS - w) % PEAK_WINDOWS];
			peak_update(run, prev->t, prev->n, ring[head].t,
				    ring[head].n);
		}
		head = (head + 1) % PEAK_WINDOWS;
		if (stop && run->res->sq_done == run->res->sq_posted)
			break;
	}
	run->iters = run->res->sq_posted - base;
	return 0;
}

int vt_stream(struct vt_run *run, bool send_op)
{
	int ret;

	if (run->p->warmup) {
		ret = stream_phase(run, send_op, run->p->warmup, false);
		if (ret)
			return ret;
		run->peak_bps = 0;
	}
	return stream_phase(run, send_op, run->p->iters, run->p->iters == 0);
}
