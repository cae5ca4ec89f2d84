/* SPDX-License-Identifier: MIT */
/*
 * read_bw: a window of RDMA READs in flight, one completion signaled per
 * cq_mod, as perftest's ib_read_bw. How many READs the wire carries at
 * once is the QPs' max_rd_atomic: what both devices allow (vt_res).
 * --verify checks the region read, after the last completion.
 */
#include <stdatomic.h>
#include <string.h>

#include "test.h"

static int rb_client(struct vt_run *run)
{
	int ret;

	if (run->p->verify)
		memset(vt_res_send_buf(run->res), 0, run->size);
	ret = vt_stream(run, IBV_WR_RDMA_READ);
	if (!ret && run->p->verify) {
		atomic_thread_fence(memory_order_acquire);
		run->verify_errors +=
			vt_pattern_check(vt_res_send_buf(run->res), run->size,
					 1) != 0;
	}
	return ret;
}

const struct vt_test_ops vt_read_bw_ops = {
	.name = "read_bw",
	.opcode = IBV_WR_RDMA_READ,
	.verify_method = "after_completion",
	.client = rb_client,
	.server = vt_idle_until_stop,
	.server_prepare = vt_read_prepare,
};
