/* SPDX-License-Identifier: MIT */
/*
 * send_bw: a window of SENDs in flight; the server keeps rx_depth receives
 * posted and counts what arrives (RNR retry covers a slow repost), as
 * perftest's ib_send_bw.
 */
#include <errno.h>
#include <stdatomic.h>

#include "test.h"

static int sb_client(struct vt_run *run)
{
	if (run->p->verify)
		vt_pattern_fill(vt_res_send_buf(run->res), run->size, 1);
	return vt_stream(run, IBV_WR_SEND);
}

static int sb_server(struct vt_run *run)
{
	int ret;

	for (;;) {
		ret = vt_wait_recv(run); /* polls, or sleeps with --events */
		if (ret == -ECANCELED && run->stopped)
			return 0;
		if (ret)
			return ret;
		atomic_thread_fence(memory_order_acquire);
		if (run->p->verify)
			run->verify_errors +=
				vt_pattern_check(vt_res_recv_buf(run->res),
						 run->size, 1) != 0;
		ret = vt_post_recv(run, run->reposts_due);
		run->reposts_due = 0;
		if (ret)
			return ret;
	}
}

const struct vt_test_ops vt_send_bw_ops = {
	.name = "send_bw",
	.latency = false,
	.two_sided = true,
	.opcode = IBV_WR_SEND,
	.verify_method = "recv_cqe",
	.client = sb_client,
	.server = sb_server,
};
