/* SPDX-License-Identifier: MIT */
/*
 * send_lat: SEND/RECV ping-pong. Each side keeps receives posted, sends,
 * and waits for the peer's message to complete on its receive queue, as
 * perftest's ib_send_lat does. The receive just consumed is posted again
 * between samples (VT_RX_DEPTH stay posted meanwhile).
 */
#include <errno.h>

#include "test.h"

/* --verify: payloads are filled and checked between samples
 * (vt_pingpong); the server sends back what it received. */
static int sl_post(struct vt_run *run, uint64_t i)
{
	return vt_post(run, IBV_WR_SEND, vt_pp_signaled(run, i));
}

static int sl_wait(struct vt_run *run, uint64_t i)
{
	(void)i;
	return vt_wait_recv(run);
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
	.opcode = IBV_WR_SEND,
	.inline_default = 236,
	.verify_method = "recv_cqe",
	.client = sl_client,
	.server = sl_server,
};
