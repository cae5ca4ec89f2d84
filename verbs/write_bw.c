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
	return vt_stream(run, false);
}

static int wb_server(struct vt_run *run)
{
	uint64_t since = vt_clock_now(run->clk);
	int ret;

	/* Nothing to do but notice the stop (or a dead peer). */
	run->timeout_ms = 0;
	for (;;) {
		ret = vt_spin_check(run, since);
		if (ret == -ECANCELED && run->stopped)
			break;
		if (ret)
			return ret;
		vt_sleep_ms(1);
	}
	/* The last message the client wrote carries the pattern. */
	if (run->p->verify)
		run->verify_errors += vt_pattern_check(vt_res_recv_buf(run->res),
						       run->size, 1) != 0;
	return 0;
}

const struct vt_test_ops vt_write_bw_ops = {
	.name = "write_bw",
	.latency = false,
	.two_sided = false,
	.client = wb_client,
	.server = wb_server,
};
