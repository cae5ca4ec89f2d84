/* SPDX-License-Identifier: MIT */
/* The ops a config lacks: each answers -VAL_NOT_TRIED, as rdma-core's dummy
 * ops, so that the checks call every op unconditionally. */
#include <errno.h>
#include <stdio.h>

#include "valcheck.h"

static int no_open(void *arg, const char *dev, int port, int gid,
		   int timeout_ms, struct val_dev **out)
{
	(void)arg, (void)dev, (void)port, (void)gid, (void)timeout_ms;
	*out = NULL;
	return -VAL_NOT_TRIED;
}

static void no_close(struct val_dev *d)
{
	(void)d;
}

static int no_query(struct val_dev *d, struct val_caps *caps)
{
	(void)d, (void)caps;
	return -VAL_NOT_TRIED;
}

static int no_why(char *why, size_t len)
{
	snprintf(why, len, "not implemented by these ops");
	return -VAL_NOT_TRIED;
}

static int no_srq_send(struct val_dev *d, char *why, size_t len)
{
	(void)d;
	return no_why(why, len);
}

static int no_inline_qp(struct val_dev *d, uint32_t want, uint32_t *got)
{
	(void)d, (void)want;
	*got = 0;
	return -VAL_NOT_TRIED;
}

static int no_inline_write(struct val_dev *d, uint32_t len, char *why,
			   size_t wlen)
{
	(void)d, (void)len;
	return no_why(why, wlen);
}

static int no_mw_bind(struct val_dev *d, int type, char *why, size_t len)
{
	(void)d, (void)type;
	return no_why(why, len);
}

static int no_odp_write(struct val_dev *d, char *why, size_t len)
{
	(void)d;
	return no_why(why, len);
}

static int no_mr_reg(struct val_dev *d, uint64_t bytes)
{
	(void)d, (void)bytes;
	return -VAL_NOT_TRIED;
}

static int no_count(struct val_dev *d, enum val_obj kind, int limit,
		    int *in_use)
{
	(void)d, (void)kind, (void)limit;
	*in_use = 0;
	return -VAL_NOT_TRIED;
}

static int no_rop(struct val_dev *d, const struct val_rop *op,
		  struct val_rop_out *out, char *why, size_t len)
{
	(void)d, (void)op, (void)out;
	return no_why(why, len);
}

static int no_pingpong(struct val_dev *d, uint32_t bytes, int n, double *us,
		       char *why, size_t len)
{
	(void)d, (void)bytes, (void)n, (void)us;
	return no_why(why, len);
}

static int no_vf_state(void *arg, const char *pf_netdev, unsigned int vf,
		       struct val_vf_state *st)
{
	(void)arg, (void)pf_netdev, (void)vf, (void)st;
	return -VAL_NOT_TRIED;
}

static const struct val_ops no_ops = {
	.open = no_open,
	.close = no_close,
	.query = no_query,
	.srq_send = no_srq_send,
	.inline_qp = no_inline_qp,
	.inline_write = no_inline_write,
	.mw_bind = no_mw_bind,
	.odp_write = no_odp_write,
	.mr_reg = no_mr_reg,
	.count = no_count,
	.rop = no_rop,
	.pingpong = no_pingpong,
	.vf_state = no_vf_state,
};

#define SET_OP(dst, src, op)                                                   \
	do {                                                                   \
		if ((src)->op)                                                 \
			(dst)->op = (src)->op;                                 \
	} while (0)

void val_ops_set(struct val_ops *dst, const struct val_ops *src)
{
	*dst = no_ops;
	if (!src)
		return;
	SET_OP(dst, src, open);
	SET_OP(dst, src, close);
	SET_OP(dst, src, query);
	SET_OP(dst, src, srq_send);
	SET_OP(dst, src, inline_qp);
	SET_OP(dst, src, inline_write);
	SET_OP(dst, src, mw_bind);
	SET_OP(dst, src, odp_write);
	SET_OP(dst, src, mr_reg);
	SET_OP(dst, src, count);
	SET_OP(dst, src, rop);
	SET_OP(dst, src, pingpong);
	SET_OP(dst, src, vf_state);
}
