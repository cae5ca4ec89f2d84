/* SPDX-License-Identifier: MIT */
/*
 * atomic_bw: a window of 8-byte atomics in flight on the server's first
 * word, one completion signaled per cq_mod, as perftest's ib_atomic_bw
 * (fetch-and-add, or --atomic cmp_swap). --verify: the server checks the
 * word ends at the number of atomics the client completed.
 */
#include "test.h"

static int ab_client(struct vt_run *run)
{
	return vt_stream(run, vt_atomic_opcode(run->p));
}

const struct vt_test_ops vt_atomic_bw_ops = {
	.name = "atomic_bw",
	.opcode = IBV_WR_ATOMIC_FETCH_AND_ADD,
	.fixed_size = VT_ATOMIC_BYTES,
	.verify_method = "final_value",
	.client = ab_client,
	.server = vt_atomic_server,
};
