/* SPDX-License-Identifier: MIT */
#ifndef VAL_DEV_H
#define VAL_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include <infiniband/verbs.h>

#include "validate.h"

/*
 * The live device of the checks (validate.h's ops over libibverbs): a
 * context, a PD, one CQ and a loopback pair of RC QPs, A connected to B
 * by the port's own GID (no peer needed). A's local buffer is LBUF (its
 * MR local only); each remote operation registers the target buffer
 * TBUF (BUF_LEN, its second half a guard past the MR's end) as it needs.
 */
#define VAL_BUF_LEN 8192
#define VAL_MR_LEN  4096 /* the target MR: TBUF's first half */

struct val_dev {
	struct ibv_context *ctx;
	struct ibv_pd *pd;
	struct ibv_cq *cq;
	struct ibv_qp *a, *b;
	uint8_t port;
	int gid_index;
	union ibv_gid gid;
	uint16_t lid;
	enum ibv_mtu mtu;
	bool grh;
	uint8_t rd_atom; /* what the pair's QPs ask: 0 or 1 */
	int timeout_ms;
	uint8_t *lbuf, *tbuf;
	struct ibv_mr *lmr;
	uint64_t wr_id;
	/* completions polled while waiting for another (a receive can
	 * complete before its SEND does): val_wait looks here first */
	struct ibv_wc stash[8];
	int nstash;
};

/* An RC QP on D's PD and CQ (SRQ may be NULL) with INLINE bytes of inline
 * data: the QP, or NULL with errno. */
struct ibv_qp *val_qp_new(struct val_dev *d, struct ibv_srq *srq, uint32_t inl);
/* QP from RESET to RTS, connected to REMOTE_QPN on D's port: 0 or -errno. */
int val_qp_connect(struct val_dev *d, struct ibv_qp *qp, uint32_t remote_qpn);
/* X and Y made and connected to each other (0 or -errno, both NULL). */
int val_pair_new(struct val_dev *d, struct ibv_srq *srq, uint32_t inl,
		 struct ibv_qp **x, struct ibv_qp **y);
/* The pair A-B back to RTS after an error: 0 or -errno. */
int val_pair_reset(struct val_dev *d);
/* Wait for the completion of WR_ID within D's timeout (others are kept
 * for their own wait, the oldest dropped past 8): 0, or -ETIMEDOUT, or a
 * negative errno of the poll. */
int val_wait(struct val_dev *d, uint64_t wr_id, struct ibv_wc *wc);
/* Post WR on QP (its wr_id set from D's) and wait for its completion. */
int val_post_wait(struct val_dev *d, struct ibv_qp *qp, struct ibv_send_wr *wr,
		  struct ibv_wc *wc);
/* Whether QP is in the error state. */
bool val_qp_in_error(struct ibv_qp *qp);

/*
 * What val_dev_rop does to the device, as a table: the live one is
 * libibverbs' (dev_rop.c); the unit tests give a recording fake, so the
 * order of the steps and the address aimed at are tested without one.
 */
struct val_rop_io {
	struct ibv_mr *(*reg_mr)(struct ibv_pd *pd, void *addr, size_t len,
				 int access);
	int (*dereg_mr)(struct ibv_mr *mr);
	int (*post_wait)(struct val_dev *d, struct ibv_qp *qp,
			 struct ibv_send_wr *wr, struct ibv_wc *wc);
	bool (*qp_in_error)(struct ibv_qp *qp);
	int (*pair_reset)(struct val_dev *d);
};

/* val_dev_rop through IO. */
int val_rop_run(const struct val_rop_io *io, struct val_dev *d,
		const struct val_rop *op, struct val_rop_out *out, char *why,
		size_t len);

/* dev_try.c and dev_rop.c: the ops. */
int val_dev_srq_send(struct val_dev *d, char *why, size_t len);
int val_dev_inline_qp(struct val_dev *d, uint32_t want, uint32_t *got);
int val_dev_inline_write(struct val_dev *d, uint32_t len, char *why,
			 size_t wlen);
int val_dev_mw_bind(struct val_dev *d, int type, char *why, size_t len);
int val_dev_odp_write(struct val_dev *d, char *why, size_t len);
int val_dev_mr_reg(struct val_dev *d, uint64_t bytes);
int val_dev_count(struct val_dev *d, enum val_obj kind, int limit, int *in_use);
int val_dev_rop(struct val_dev *d, const struct val_rop *op,
		struct val_rop_out *out, char *why, size_t len);
/* dev_probe.c */
int val_dev_pingpong(struct val_dev *d, uint32_t bytes, int n, double *us,
		     char *why, size_t len);

#endif
