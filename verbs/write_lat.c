/* SPDX-License-Identifier: MIT */
/*
 * write_lat: RDMA WRITE ping-pong. Each side writes its message into the
 * peer's receive region and polls the last byte of its own for the
 * iteration's sequence number, as perftest's ib_write_lat does.
 *
 * With --verify the last byte is no proof that the rest has landed (the
 * placement order of one WRITE is not defined), so verify runs send
 * RDMA WRITE with immediate and check the payload once its receive
 * completion says the whole message is there. --events does the same,
 * so that there is a completion to wait for. The client fills and checks
 * payloads between samples; the server sends back what it received.
 */
#include <errno.h>

#include "test.h"

static int wl_post(struct vt_run *run, uint64_t i)
{
	uint8_t *s = vt_res_send_buf(run->res);

	/* --verify: the payload was filled (or, at the server, is the one
	 * received) before the sample began */
	if (run->p->verify)
		return vt_post(run, IBV_WR_RDMA_WRITE_WITH_IMM,
			       vt_pp_signaled(run, i));
	if (run->p->events) {
		s[run->size - 1] = vt_seq(i);
		return vt_post(run, IBV_WR_RDMA_WRITE_WITH_IMM,
			       vt_pp_signaled(run, i));
	}
	s[run->size - 1] = vt_seq(i);
	return vt_post(run, IBV_WR_RDMA_WRITE, vt_pp_signaled(run, i));
}

static int wl_wait_byte(struct vt_run *run, uint64_t i)
{
	volatile uint8_t *last = vt_res_recv_buf(run->res) + run->size - 1;
	uint64_t since = 0;
	unsigned int spins = 0;
	int ret;

	while (*last != vt_seq(i)) {
		if (++spins % VT_SPIN_EVERY)
			continue;
		ret = vt_spin_check(run, &since);
		if (ret)
			return ret;
	}
	return 0;
}

/* The payload is checked between samples (vt_pingpong), not here. */
static int wl_wait(struct vt_run *run, uint64_t i)
{
	return run->p->verify || run->p->events ? vt_wait_recv(run) :
						  wl_wait_byte(run, i);
}

static int wl_client(struct vt_run *run)
{
	return vt_pingpong(run, wl_post, wl_wait);
}

static int wl_server(struct vt_run *run)
{
	return vt_reflect(run, wl_wait, wl_post);
}

const struct vt_test_ops vt_write_lat_ops = {
	.name = "write_lat",
	.latency = true,
	.two_sided = false,
	.opcode = IBV_WR_RDMA_WRITE,
	.inline_default = 220,
	.verify_method = "write_imm",
	.recv_on_verify = true,
	.client = wl_client,
	.server = wl_server,
};
