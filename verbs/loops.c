/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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
	if (run->abort && *run->abort)
		return vt_interrupted(run);
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
static int stream_phase(struct vt_run *run, bool send_op, uint64_t count,
			bool timed)
{
	uint64_t base = run->res->sq_posted, t0 = vt_clock_now(run->clk), last;
	uint32_t mod = run->p->cq_mod;
	struct stamp *st = NULL, *grown;
	size_t nst = 0, cap = 0;
	bool stop = false;
	int ret = 0;

	run->t_start = run->t_end = t0;
	for (;;) {
		while (!stop &&
		       run->res->sq_posted - run->res->sq_done < run->res->tx_depth - 1) {
			uint64_t k = run->res->sq_posted - base + 1;

			if (run->abort && *run->abort) {
				ret = vt_interrupted(run);
				goto out;
			}
			stop = timed ? vt_run_over(run, 0, t0) : k >= count;
			ret = send_op ? vt_post_send(run, stop || k % mod == 0) :
					vt_post_write(run, stop || k % mod == 0);
			if (ret)
				goto out;
		}
		last = run->res->sq_done;
		ret = vt_reap_send(run, true);
		if (ret)
			goto out;
		if (run->res->sq_done == last)
			continue;
		run->t_end = vt_clock_now(run->clk);
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
