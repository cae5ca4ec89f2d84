/* SPDX-License-Identifier: MIT */
/*
 * write_bw: a window of RDMA WRITEs in flight, one completion signaled per
 * cq_mod, as perftest's ib_write_bw. The server only waits for "stop".
 */
#include <errno.h>

#include "test.h"

static int wb_client(struct vt_run *run)
{
	if (run->p->verify)
		vt_pattern_fill(vt_res_send_buf(run->res), run->size, 1);
	return vt_stream(run, IBV_WR_RDMA_WRITE);
}

static int wb_server(struct vt_run *run)
{
	int ret = vt_idle_until_stop(run);

	/* The last message the client wrote carries the pattern; the client
	 * said stop only after its completion, i.e. after it landed here. */
	if (!ret && run->p->verify)
		run->verify_errors +=
			vt_pattern_check(vt_res_recv_buf(run->res), run->size,
					 1) != 0;
	return ret;
}

const struct vt_test_ops vt_write_bw_ops = {
	.name = "write_bw",
	.latency = false,
	.two_sided = false,
	.opcode = IBV_WR_RDMA_WRITE,
	.verify_method = "after_completion",
	.client = wb_client,
	.server = wb_server,
};
