/* SPDX-License-Identifier: MIT */
/* The loopback probe of vfbench health (dev.h): RDMA WRITEs from A to
 * B, one at a time, each timed from its post to its completion. The
 * completion queue is polled without sleeping (val_wait's 50 us pause
 * would be most of a loopback round trip), until D's timeout. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "dev.h"

static double now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

/* Poll for WR_ID until END (us): 0 with WC, or -ETIMEDOUT, -EIO. A miss
 * yields the CPU: where nothing else is runnable that returns at once,
 * and where the provider's work is a kernel thread on the same CPU (rxe
 * on a one-vCPU guest) it lets it run. */
static int spin(struct val_dev *d, uint64_t wr_id, double end,
		struct ibv_wc *wc)
{
	int n;

	do {
		n = ibv_poll_cq(d->cq, 1, wc);
		if (n < 0)
			return -EIO;
		if (n && wc->wr_id == wr_id)
			return 0;
		if (!n)
			sched_yield();
	} while (now_us() < end);
	return -ETIMEDOUT;
}

static int one_write(struct val_dev *d, struct ibv_mr *mr, uint32_t bytes,
		     double *us, char *why, size_t len)
{
	struct ibv_sge sge = { (uintptr_t)d->lbuf, bytes, d->lmr->lkey };
	struct ibv_send_wr wr = { .wr_id = ++d->wr_id,
				  .sg_list = &sge,
				  .num_sge = 1,
				  .opcode = IBV_WR_RDMA_WRITE,
				  .send_flags = IBV_SEND_SIGNALED,
				  .wr.rdma = { (uintptr_t)d->tbuf, mr->rkey } },
			   *bad;
	struct ibv_wc wc;
	double t0 = now_us();
	int ret = ibv_post_send(d->a, &wr, &bad);

	if (ret) {
		snprintf(why, len, "ibv_post_send: %s", strerror(ret));
		return -ret;
	}
	ret = spin(d, wr.wr_id, t0 + d->timeout_ms * 1e3, &wc);
	*us = now_us() - t0;
	if (ret || wc.status != IBV_WC_SUCCESS) {
		snprintf(why, len, "the WRITE: %s",
			 ret ? strerror(-ret) : ibv_wc_status_str(wc.status));
		return ret ? ret : -EIO;
	}
	return 0;
}

int val_dev_pingpong(struct val_dev *d, uint32_t bytes, int n, double *us,
		     char *why, size_t len)
{
	struct ibv_mr *mr =
		ibv_reg_mr(d->pd, d->tbuf, VAL_MR_LEN,
			   IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
	int i, ret = 0;

	if (!mr) {
		snprintf(why, len, "ibv_reg_mr: %s", strerror(errno));
		return -errno;
	}
	if (bytes > VAL_MR_LEN)
		bytes = VAL_MR_LEN;
	memset(d->lbuf, 0x5a, bytes);
	for (i = 0; i < n && !ret; i++)
		ret = one_write(d, mr, bytes, &us[i], why, len);
	ibv_dereg_mr(mr);
	return ret;
}
