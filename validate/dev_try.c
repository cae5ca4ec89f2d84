/* SPDX-License-Identifier: MIT */
/* The claims tried on the live device (dev.h): an SRQ, inline data, a
 * memory window, an MR, how many objects the function gives. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dev.h"

#define MSG 32

static int why_errno(char *why, size_t len, const char *what, int err)
{
	snprintf(why, len, "%s: %s", what, strerror(err));
	return -err;
}

/* A failure after the object was made: never the errno of a refused
 * create (val_refused_unsupported), the step and its error are in WHY. */
static int after_made(int ret)
{
	return val_refused_unsupported(ret) ? -EIO : ret;
}

/* A SEND of MSG bytes from X to Y, received at LBUF + 4096 through SRQ. */
static int srq_round(struct val_dev *d, struct ibv_srq *srq, struct ibv_qp *x,
		     char *why, size_t len)
{
	struct ibv_sge rs = { (uintptr_t)d->lbuf + 4096, MSG, d->lmr->lkey };
	struct ibv_recv_wr rwr = { .wr_id = ++d->wr_id,
				   .sg_list = &rs,
				   .num_sge = 1 },
			   *rbad;
	struct ibv_sge ss = { (uintptr_t)d->lbuf, MSG, d->lmr->lkey };
	struct ibv_send_wr swr = { .sg_list = &ss,
				   .num_sge = 1,
				   .opcode = IBV_WR_SEND };
	struct ibv_wc wc;
	uint64_t rid = rwr.wr_id;
	int ret;

	memset(d->lbuf, 0x3c, MSG);
	memset(d->lbuf + 4096, 0, MSG);
	if (ibv_post_srq_recv(srq, &rwr, &rbad))
		return why_errno(why, len, "ibv_post_srq_recv", errno);
	ret = val_post_wait(d, x, &swr, &wc);
	if (ret || wc.status != IBV_WC_SUCCESS) {
		snprintf(why, len, "the SEND: %s",
			 ret ? strerror(-ret) : ibv_wc_status_str(wc.status));
		return ret ? ret : -EIO;
	}
	ret = val_wait(d, rid, &wc);
	if (ret || wc.status != IBV_WC_SUCCESS) {
		snprintf(why, len, "the receive from the SRQ: %s",
			 ret ? strerror(-ret) : ibv_wc_status_str(wc.status));
		return ret ? ret : -EIO;
	}
	if (memcmp(d->lbuf, d->lbuf + 4096, MSG)) {
		snprintf(why, len, "the SRQ's buffer does not hold the SEND");
		return -EIO;
	}
	return 0;
}

int val_dev_srq_send(struct val_dev *d, char *why, size_t len)
{
	struct ibv_srq_init_attr sa = { .attr = { .max_wr = 4, .max_sge = 1 } };
	struct ibv_srq *srq = ibv_create_srq(d->pd, &sa);
	struct ibv_qp *x, *y;
	int ret;

	if (!srq)
		return why_errno(why, len, "ibv_create_srq", errno);
	ret = val_pair_new(d, srq, 0, &x, &y);
	if (ret) {
		snprintf(why, len, "a QP on the SRQ: %s", strerror(-ret));
		ibv_destroy_srq(srq);
		return after_made(ret);
	}
	ret = srq_round(d, srq, x, why, len);
	ibv_destroy_qp(y);
	ibv_destroy_qp(x);
	ibv_destroy_srq(srq);
	return after_made(ret);
}

int val_dev_inline_qp(struct val_dev *d, uint32_t want, uint32_t *got)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = d->cq,
		.recv_cq = d->cq,
		.qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 4,
			 .max_recv_wr = 4,
			 .max_send_sge = 1,
			 .max_recv_sge = 1,
			 .max_inline_data = want },
	};
	struct ibv_qp *qp = ibv_create_qp(d->pd, &ia);

	*got = 0;
	if (!qp)
		return -errno;
	*got = ia.cap.max_inline_data;
	ibv_destroy_qp(qp);
	return 0;
}

/* An MR over TBUF's first half with ACCESS: NULL with errno. */
static struct ibv_mr *target_mr(struct val_dev *d, int access)
{
	return ibv_reg_mr(d->pd, d->tbuf, VAL_MR_LEN, access);
}

/* An RDMA WRITE of LEN bytes from QP (FLAGS) to ADDR with RKEY, and the
 * bytes there checked: 0, or a negative errno with WHY. */
static int write_check(struct val_dev *d, struct ibv_qp *qp, uint32_t len,
		       int flags, uint64_t addr, uint32_t rkey, char *why,
		       size_t wlen)
{
	struct ibv_sge sge = { (uintptr_t)d->lbuf, len, d->lmr->lkey };
	struct ibv_send_wr wr = { .sg_list = &sge,
				  .num_sge = 1,
				  .opcode = IBV_WR_RDMA_WRITE,
				  .send_flags = flags,
				  .wr.rdma = { addr, rkey } };
	struct ibv_wc wc;
	int ret;

	memset(d->lbuf, 0x6b, len);
	memset(d->tbuf, 0, len);
	ret = val_post_wait(d, qp, &wr, &wc);
	if (ret || wc.status != IBV_WC_SUCCESS) {
		snprintf(why, wlen, "the WRITE: %s",
			 ret ? strerror(-ret) : ibv_wc_status_str(wc.status));
		return ret ? ret : -EIO;
	}
	if (memcmp(d->lbuf, d->tbuf, len)) {
		snprintf(why, wlen,
			 "the WRITE completed, its bytes did not arrive");
		return -EIO;
	}
	return 0;
}

int val_dev_inline_write(struct val_dev *d, uint32_t len, char *why,
			 size_t wlen)
{
	struct ibv_mr *mr =
		target_mr(d, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE);
	struct ibv_qp *x, *y;
	int ret;

	if (len > VAL_MR_LEN)
		len = VAL_MR_LEN;
	if (!mr)
		return why_errno(why, wlen, "ibv_reg_mr", errno);
	ret = val_pair_new(d, NULL, len, &x, &y);
	if (!ret) {
		ret = write_check(d, x, len, IBV_SEND_INLINE,
				  (uintptr_t)d->tbuf, mr->rkey, why, wlen);
		ibv_destroy_qp(y);
		ibv_destroy_qp(x);
	} else {
		snprintf(why, wlen, "a QP pair with %u B inline: %s", len,
			 strerror(-ret));
	}
	ibv_dereg_mr(mr);
	return ret;
}

/* Bind MW over MR: type 1 by ibv_bind_mw on A, type 2 by a BIND_MW work
 * request on B (the QP whose peer uses it). 0 or -errno with WHY. */
static int bind(struct val_dev *d, struct ibv_mw *mw, struct ibv_mr *mr,
		char *why, size_t len)
{
	struct ibv_mw_bind_info bi = { mr, (uintptr_t)d->tbuf, VAL_MR_LEN,
				       IBV_ACCESS_REMOTE_WRITE };
	struct ibv_mw_bind b = { .wr_id = ++d->wr_id,
				 .send_flags = IBV_SEND_SIGNALED,
				 .bind_info = bi };
	struct ibv_send_wr wr = { .opcode = IBV_WR_BIND_MW,
				  .bind_mw = { mw, ibv_inc_rkey(mw->rkey),
					       bi } };
	struct ibv_wc wc;
	int ret;

	if (mw->type == IBV_MW_TYPE_1) {
		ret = ibv_bind_mw(d->a, mw, &b);
		ret = ret ? -(ret > 0 ? ret : errno) :
			    val_wait(d, b.wr_id, &wc);
	} else {
		ret = val_post_wait(d, d->b, &wr, &wc);
		mw->rkey = wr.bind_mw.rkey;
	}
	if (!ret && wc.status != IBV_WC_SUCCESS)
		ret = -EIO;
	if (ret)
		snprintf(why, len, "the bind: %s",
			 ret == -EIO ? ibv_wc_status_str(wc.status) :
				       strerror(-ret));
	return ret;
}

int val_dev_mw_bind(struct val_dev *d, int type, char *why, size_t len)
{
	struct ibv_mr *mr =
		target_mr(d, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
				     IBV_ACCESS_MW_BIND);
	struct ibv_mw *mw;
	int ret;

	if (!mr)
		return why_errno(why, len, "ibv_reg_mr(MW_BIND)", errno);
	mw = ibv_alloc_mw(d->pd, type == 1 ? IBV_MW_TYPE_1 : IBV_MW_TYPE_2);
	if (!mw) {
		ret = why_errno(why, len, "ibv_alloc_mw", errno);
		goto out;
	}
	ret = bind(d, mw, mr, why, len);
	if (!ret)
		ret = write_check(d, d->a, MSG, 0, (uintptr_t)d->tbuf, mw->rkey,
				  why, len);
	if (ret)
		val_pair_reset(d);
	ret = after_made(ret);
	ibv_dealloc_mw(mw);
out:
	ibv_dereg_mr(mr);
	return ret;
}

int val_dev_odp_write(struct val_dev *d, char *why, size_t len)
{
	struct ibv_mr *mr =
		target_mr(d, IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
				     IBV_ACCESS_ON_DEMAND);
	int ret;

	if (!mr)
		return why_errno(why, len, "ibv_reg_mr(ON_DEMAND)", errno);
	ret = write_check(d, d->a, MSG, 0, (uintptr_t)d->tbuf, mr->rkey, why,
			  len);
	if (ret)
		val_pair_reset(d);
	ibv_dereg_mr(mr);
	return after_made(ret);
}

int val_dev_mr_reg(struct val_dev *d, uint64_t bytes)
{
	struct ibv_mr *mr;
	void *buf;
	int ret = 0;

	if (posix_memalign(&buf, 4096, bytes))
		return -ENOMEM;
	mr = ibv_reg_mr(d->pd, buf, bytes, IBV_ACCESS_LOCAL_WRITE);
	if (!mr)
		ret = -errno;
	else
		ibv_dereg_mr(mr);
	free(buf);
	return ret;
}

static void *obj_new(struct val_dev *d, enum val_obj kind)
{
	switch (kind) {
	case VAL_OBJ_QP:
		return val_qp_new(d, NULL, 0);
	case VAL_OBJ_CQ:
		return ibv_create_cq(d->ctx, 1, NULL, NULL, 0);
	default:
		return ibv_reg_mr(d->pd, d->lbuf, 64, IBV_ACCESS_LOCAL_WRITE);
	}
}

static void obj_free(enum val_obj kind, void *o)
{
	if (kind == VAL_OBJ_QP)
		ibv_destroy_qp(o);
	else if (kind == VAL_OBJ_CQ)
		ibv_destroy_cq(o);
	else
		ibv_dereg_mr(o);
}

int val_dev_count(struct val_dev *d, enum val_obj kind, int limit, int *in_use)
{
	static const int held[VAL_NOBJS] = {
		[VAL_OBJ_QP] = 2, [VAL_OBJ_CQ] = 1, [VAL_OBJ_MR] = 1
	};
	void **objs;
	int made, i;

	*in_use = held[kind];
	if (limit <= 0)
		return 0;
	objs = calloc((size_t)limit, sizeof(*objs));
	if (!objs)
		return -ENOMEM;
	for (made = 0; made < limit; made++)
		if (!(objs[made] = obj_new(d, kind)))
			break;
	for (i = made; i-- > 0;)
		obj_free(kind, objs[i]);
	free(objs);
	return made;
}
