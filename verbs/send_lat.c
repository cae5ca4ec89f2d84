/* SPDX-License-Identifier: MIT */
/*
 * send_lat: SEND/RECV ping-pong. Each side keeps receives posted, sends,
 * and waits for the peer's message to complete on its receive queue, as
 * perftest's ib_send_lat does.
 */
#include <errno.h>

#include "test.h"

/* Send first, then give back the receive just consumed: the repost is
 * off the critical path (VT_RX_DEPTH receives stay posted meanwhile). */
static int sl_post(struct vt_run *run, uint64_t i)
{
	uint8_t *s = vt_res_send_buf(run->res);
	int ret;

	if (run->p->verify)
		vt_pattern_fill(s, run->size, vt_seq(i));
	ret = vt_post_send(run, vt_pp_signaled(i));
	if (ret || !run->reposts_due)
		return ret;
	ret = vt_post_recv(run, run->reposts_due);
	run->reposts_due = 0;
	return ret;
}

static int sl_wait(struct vt_run *run, uint64_t i)
{
	uint64_t since = vt_clock_now(run->clk);
	unsigned int spins = 0;
	int ret;

	while ((ret = vt_poll_recv(run)) == 0) {
		if (++spins % VT_SPIN_EVERY)
			continue;
		ret = vt_spin_check(run, since);
		if (ret)
			return ret;
	}
	if (ret < 0)
		return ret;
	if (run->p->verify)
		run->verify_errors += vt_pattern_check(vt_res_recv_buf(run->res),
						       run->size, vt_seq(i)) != 0;
	run->reposts_due++;
	return 0;
}

static int sl_client(struct vt_run *run)
{
	return vt_pingpong(run, sl_post, sl_wait);
}

static int sl_server(struct vt_run *run)
{
	return vt_reflect(run, sl_wait, sl_post);
}

const struct vt_test_ops vt_send_lat_ops = {
	.name = "send_lat",
	.latency = true,
	.two_sided = true,
	.client = sl_client,
	.server = sl_server,
};
