/* SPDX-License-Identifier: MIT */
/*
 * write_bw: a window of RDMA WRITEs in flight, one completion signaled per
 * cq_mod, as perftest's ib_write_bw. The server only waits for "stop".
 */
#include <errno.h>
#include <stdatomic.h>

#include "test.h"

static int wb_client(struct vt_run *run)
{
	if (run->p->verify)
		vt_pattern_fill(vt_res_send_buf(run->res), run->size, 1);
	return vt_stream(run, false);
}

static int wb_server(struct vt_run *run)
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
	/* The last message the client wrote carries the pattern; the client
	 * said stop only after its completion, i.e. after it landed here. */
	atomic_thread_fence(memory_order_acquire);
	if (run->p->verify)
		run->verify_errors += vt_pattern_check(vt_res_recv_buf(run->res),
						       run->size, 1) != 0;
	return 0;
}

const struct vt_test_ops vt_write_bw_ops = {
	.name = "write_bw",
	.latency = false,
	.two_sided = false,
	.verify_method = "after_completion",
	.client = wb_client,
	.server = wb_server,
};
