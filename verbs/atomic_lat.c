/* SPDX-License-Identifier: MIT */
/*
 * atomic_lat: 8-byte atomics one at a time on the server's first word, as
 * perftest's ib_atomic_lat: fetch-and-add 1, or with --atomic cmp_swap
 * compare-and-swap k -> k + 1 (each succeeds). A sample is the whole
 * round trip; the completion brings the original value.
 *
 * --verify: the server clears the word before it says ready, so the k-th
 * atomic of a run must return k; the server checks it ends at the count.
 */
#include <stdatomic.h>
#include <string.h>

#include "test.h"

static int al_post(struct vt_run *run, uint64_t i)
{
	(void)i;
	return vt_post(run, vt_atomic_opcode(run->p), true);
}

static int al_check(struct vt_run *run, uint64_t i)
{
	uint64_t got;

	if (run->p->verify) {
		atomic_thread_fence(memory_order_acquire);
		memcpy(&got, vt_res_send_buf(run->res), sizeof(got));
		run->verify_errors += got != i;
	}
	return 0;
}

static int al_client(struct vt_run *run)
{
	return vt_round_trip(run, al_post, al_check);
}

int vt_atomic_server(struct vt_run *run)
{
	int64_t sent;
	uint64_t word;
	int ret = vt_idle_until_stop(run);

	if (ret || !run->p->verify)
		return ret;
	/* every atomic the client completed has been applied, once */
	sent = vt_msg_int(run->stop_msg, "sent");
	memcpy(&word, vt_res_recv_buf(run->res), sizeof(word));
	run->verify_errors += sent < 0 || word != (uint64_t)sent;
	return 0;
}

const struct vt_test_ops vt_atomic_lat_ops = {
	.name = "atomic_lat",
	.latency = true,
	.round_trip = true,
	.opcode = IBV_WR_ATOMIC_FETCH_AND_ADD,
	.fixed_size = VT_ATOMIC_BYTES,
	.verify_method = "fetched_value",
	.client = al_client,
	.server = vt_atomic_server,
};
