/* SPDX-License-Identifier: MIT */
/*
 * read_lat: RDMA READ round trips, one at a time, as perftest's
 * ib_read_lat: the READ's completion is the answer, so a sample is the
 * whole round trip (perftest reports it whole too, not halved). The
 * server's CPU does nothing; it waits for "stop".
 *
 * --verify: the server fills the region before it says ready; each READ
 * lands in a cleared buffer, checked (and cleared again) between samples.
 */
#include <stdatomic.h>
#include <string.h>

#include "test.h"

static int rl_post(struct vt_run *run, uint64_t i)
{
	(void)i;
	return vt_post(run, IBV_WR_RDMA_READ, true);
}

/* Between samples: check what the READ brought, clear for the next. */
static int rl_check(struct vt_run *run, uint64_t i)
{
	(void)i;
	if (run->p->verify) {
		atomic_thread_fence(memory_order_acquire);
		run->verify_errors +=
			vt_pattern_check(vt_res_send_buf(run->res), run->size,
					 1) != 0;
		memset(vt_res_send_buf(run->res), 0, run->size);
	}
	return 0;
}

static int rl_client(struct vt_run *run)
{
	if (run->p->verify)
		memset(vt_res_send_buf(run->res), 0, run->size);
	return vt_round_trip(run, rl_post, rl_check);
}

/* What the client reads, in place before it starts. */
void vt_read_prepare(struct vt_run *run)
{
	if (run->p->verify)
		vt_pattern_fill(vt_res_recv_buf(run->res), run->size, 1);
}

const struct vt_test_ops vt_read_lat_ops = {
	.name = "read_lat",
	.latency = true,
	.round_trip = true,
	.opcode = IBV_WR_RDMA_READ,
	.verify_method = "after_completion",
	.client = rl_client,
	.server = vt_idle_until_stop,
	.server_prepare = vt_read_prepare,
};
