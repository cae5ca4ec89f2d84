/* SPDX-License-Identifier: MIT */
/* A remote operation from A into B's memory, legitimate or not, and what
 * it did to the bytes on both sides (dev.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dev.h"

#define LEN	  64 /* a WRITE's or READ's bytes */
#define T_FILL	  0xa5
#define L_FILL	  0x5a
#define ATOM_INIT 0xa5a5a5a5a5a5a5a5ull
#define SWAP	  0x0123456789abcdefull
#define WRONG_KEY 0x00800000u /* an rkey bit flipped: no MR of ours */

static const int all_remote = IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
			      IBV_ACCESS_REMOTE_READ | IBV_ACCESS_REMOTE_ATOMIC;

/* The target as it must read after OP when it was allowed (BEFORE: the
 * bytes before it), into WANT. */
static void expected_target(enum val_rop_kind kind, const uint8_t *before,
			    uint8_t *want)
{
	uint64_t v;

	memcpy(want, before, VAL_BUF_LEN);
	if (kind == VAL_ROP_WRITE)
		memset(want, L_FILL, LEN);
	v = kind == VAL_ROP_FADD ? ATOM_INIT + 1 : SWAP;
	if (kind == VAL_ROP_FADD || kind == VAL_ROP_CSWAP)
		memcpy(want, &v, 8);
}

/* The function whose buffer OP aims at: D, or another's. */
static struct val_dev *target_of(struct val_dev *d, const struct val_rop *op)
{
	return op->bad == VAL_BAD_FOREIGN && op->foreign ? op->foreign : d;
}

static void fill(struct val_dev *d, struct val_dev *t)
{
	uint64_t v = ATOM_INIT;

	memset(t->tbuf, T_FILL, VAL_BUF_LEN);
	memcpy(t->tbuf, &v, 8);
	memset(d->lbuf, L_FILL, VAL_BUF_LEN);
	memset(d->lbuf, 0, LEN); /* where a READ or an atomic answers */
}

static void wr_of(struct val_dev *d, const struct val_rop *op, uint64_t addr,
		  uint32_t rkey, struct ibv_sge *sge, struct ibv_send_wr *wr)
{
	bool atomic = op->kind == VAL_ROP_FADD || op->kind == VAL_ROP_CSWAP;

	*sge = (struct ibv_sge){ (uintptr_t)d->lbuf, atomic ? 8 : LEN,
				 d->lmr->lkey };
	*wr = (struct ibv_send_wr){ .sg_list = sge, .num_sge = 1 };
	if (op->kind == VAL_ROP_WRITE) {
		memset(d->lbuf, L_FILL, LEN);
		wr->opcode = IBV_WR_RDMA_WRITE;
	} else if (op->kind == VAL_ROP_READ) {
		wr->opcode = IBV_WR_RDMA_READ;
	}
	if (!atomic) {
		wr->wr.rdma.remote_addr = addr;
		wr->wr.rdma.rkey = rkey;
		return;
	}
	wr->opcode = op->kind == VAL_ROP_FADD ? IBV_WR_ATOMIC_FETCH_AND_ADD :
						IBV_WR_ATOMIC_CMP_AND_SWP;
	wr->wr.atomic.remote_addr = addr;
	wr->wr.atomic.rkey = rkey;
	wr->wr.atomic.compare_add = op->kind == VAL_ROP_FADD ? 1 : ATOM_INIT;
	wr->wr.atomic.swap = SWAP;
}

/* Whether the local buffer now holds what OP brings back (READ: the
 * target's bytes BEFORE it, atomics: its old value). */
static bool local_brought(const struct val_dev *d, enum val_rop_kind kind,
			  const uint8_t *before)
{
	if (kind == VAL_ROP_WRITE)
		return false;
	return !memcmp(d->lbuf, before, kind == VAL_ROP_READ ? LEN : 8);
}

static bool local_touched(const struct val_dev *d, enum val_rop_kind kind)
{
	size_t i, n = kind == VAL_ROP_READ ? LEN : 8;

	if (kind == VAL_ROP_WRITE)
		return false;
	for (i = 0; i < n; i++)
		if (d->lbuf[i])
			return true;
	return false;
}

/* The MR the operation aims at, as OP->bad wants it (on the target
 * function's PD, over its buffer): its rkey and address; *MR the
 * registration to undo (NULL: none left). */
static int aim(const struct val_rop_io *io, struct val_dev *d,
	       const struct val_rop *op, struct ibv_mr **mr, uint64_t *addr,
	       uint32_t *rkey, char *why, size_t len)
{
	struct val_dev *t = target_of(d, op);

	if (op->bad == VAL_BAD_CROSS && op->kind != VAL_ROP_WRITE &&
	    op->kind != VAL_ROP_READ) {
		snprintf(why, len,
			 "an aligned atomic cannot cross the MR's end");
		return -EINVAL;
	}
	if (op->bad == VAL_BAD_FOREIGN && !op->foreign) {
		snprintf(why, len, "no other function to aim at");
		return -EINVAL;
	}
	*mr = io->reg_mr(t->pd, t->tbuf, VAL_MR_LEN,
			 op->bad == VAL_BAD_NOFLAGS ? IBV_ACCESS_LOCAL_WRITE :
						      all_remote);
	if (!*mr) {
		snprintf(why, len, "ibv_reg_mr: %s", strerror(errno));
		return -errno;
	}
	*addr = (uintptr_t)t->tbuf;
	*rkey = (*mr)->rkey;
	if (op->bad == VAL_BAD_RKEY)
		*rkey ^= WRONG_KEY;
	if (op->bad == VAL_BAD_NEAR)
		*rkey += (uint32_t)op->delta;
	if (op->bad == VAL_BAD_PAST)
		*addr += VAL_MR_LEN;
	if (op->bad == VAL_BAD_CROSS) /* half inside, half past the end */
		*addr += VAL_MR_LEN - LEN / 2;
	if (op->bad == VAL_BAD_DEREG) {
		io->dereg_mr(*mr);
		*mr = NULL;
	}
	return 0;
}

static void judge(const struct val_rop_io *io, struct val_dev *d,
		  const struct val_rop *op, const struct ibv_wc *wc, int ret,
		  const uint8_t *before, struct val_rop_out *out)
{
	uint8_t want[VAL_BUF_LEN];
	const uint8_t *tbuf = target_of(d, op)->tbuf;

	out->wc = ret == -ETIMEDOUT		      ? VAL_WC_TIMEOUT :
		  wc->status == IBV_WC_SUCCESS	      ? VAL_WC_OK :
		  wc->status == IBV_WC_REM_ACCESS_ERR ? VAL_WC_REM_ACCESS :
		  wc->status == IBV_WC_REM_INV_REQ_ERR ||
				  wc->status == IBV_WC_LOC_QP_OP_ERR ?
							VAL_WC_INV_REQ :
							VAL_WC_ERROR;
	snprintf(out->status, sizeof(out->status), "%s",
		 ret == -ETIMEDOUT ? "timeout" : ibv_wc_status_str(wc->status));
	out->qp_error = io->qp_in_error(d->a);
	out->target_changed = memcmp(before, tbuf, VAL_BUF_LEN) != 0;
	out->local_changed = local_touched(d, op->kind);
	expected_target(op->kind, before, want);
	out->value_ok = out->wc == VAL_WC_OK &&
			!memcmp(want, tbuf, VAL_BUF_LEN) &&
			(op->kind == VAL_ROP_WRITE ||
			 local_brought(d, op->kind, before));
}

/* Post OP, judge it; after an error the pair is made good (reset) before
 * the target MR is deregistered: a WR still in flight (a timeout) must
 * never meet memory that is no longer registered. */
int val_rop_run(const struct val_rop_io *io, struct val_dev *d,
		const struct val_rop *op, struct val_rop_out *out, char *why,
		size_t len)
{
	static uint8_t before[VAL_BUF_LEN];
	struct ibv_send_wr wr;
	struct ibv_sge sge;
	struct ibv_wc wc = { .status = IBV_WC_GENERAL_ERR };
	struct ibv_mr *mr;
	uint64_t addr = 0;
	uint32_t rkey = 0;
	int ret;

	memset(out, 0, sizeof(*out));
	fill(d, target_of(d, op));
	ret = aim(io, d, op, &mr, &addr, &rkey, why, len);
	if (ret)
		return ret;
	wr_of(d, op, addr, rkey, &sge, &wr);
	memcpy(before, target_of(d, op)->tbuf, VAL_BUF_LEN);
	ret = io->post_wait(d, d->a, &wr, &wc);
	if (ret && ret != -ETIMEDOUT) {
		snprintf(why, len, "ibv_post_send: %s", strerror(-ret));
	} else {
		judge(io, d, op, &wc, ret, before, out);
		ret = 0;
	}
	if (out->wc != VAL_WC_OK && io->pair_reset(d) && !ret) {
		snprintf(why, len,
			 "the pair was not made good after the error");
		ret = -EIO;
	}
	if (mr)
		io->dereg_mr(mr);
	return ret;
}

static struct ibv_mr *live_reg_mr(struct ibv_pd *pd, void *addr, size_t len,
				  int access)
{
	return ibv_reg_mr(pd, addr, len, access);
}

static const struct val_rop_io live_io = {
	.reg_mr = live_reg_mr,
	.dereg_mr = ibv_dereg_mr,
	.post_wait = val_post_wait,
	.qp_in_error = val_qp_in_error,
	.pair_reset = val_pair_reset,
};

int val_dev_rop(struct val_dev *d, const struct val_rop *op,
		struct val_rop_out *out, char *why, size_t len)
{
	return val_rop_run(&live_io, d, op, out, why, len);
}
