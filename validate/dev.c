/* SPDX-License-Identifier: MIT */
/* The live device (dev.h): open, the loopback pair, the capabilities,
 * completions waited for with a timeout. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dev.h"
#include "nl.h"

static struct ibv_context *open_by_name(const char *name)
{
	struct ibv_device **list = ibv_get_device_list(NULL);
	struct ibv_context *ctx = NULL;
	int i;

	if (!list)
		return NULL;
	for (i = 0; list[i]; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name))
			break;
	if (list[i])
		ctx = ibv_open_device(list[i]);
	else
		errno = ENODEV;
	ibv_free_device_list(list);
	return ctx;
}

struct ibv_qp *val_qp_new(struct val_dev *d, struct ibv_srq *srq, uint32_t inl)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = d->cq,
		.recv_cq = d->cq,
		.srq = srq,
		.qp_type = IBV_QPT_RC,
		.cap = { .max_send_wr = 4,
			 .max_recv_wr = srq ? 0 : 4,
			 .max_send_sge = 1,
			 .max_recv_sge = 1,
			 .max_inline_data = inl },
	};

	return ibv_create_qp(d->pd, &ia);
}

static int modify(struct ibv_qp *qp, struct ibv_qp_attr *a, int mask)
{
	int ret = ibv_modify_qp(qp, a, mask);

	return ret > 0 ? -ret : ret ? -errno : 0;
}

int val_qp_connect(struct val_dev *d, struct ibv_qp *qp, uint32_t remote_qpn)
{
	struct ibv_qp_attr init = {
		.qp_state = IBV_QPS_INIT,
		.port_num = d->port,
		.qp_access_flags = IBV_ACCESS_REMOTE_WRITE |
				   IBV_ACCESS_REMOTE_READ |
				   IBV_ACCESS_REMOTE_ATOMIC,
	};
	struct ibv_qp_attr rtr = {
		.qp_state = IBV_QPS_RTR,
		.path_mtu = d->mtu,
		.dest_qp_num = remote_qpn,
		.rq_psn = 0,
		.max_dest_rd_atomic = d->rd_atom,
		.min_rnr_timer = 1,
		.ah_attr = { .dlid = d->lid,
			     .port_num = d->port,
			     .is_global = d->grh,
			     .grh = { .dgid = d->gid,
				      .sgid_index = (uint8_t)d->gid_index,
				      .hop_limit = 1 } },
	};
	struct ibv_qp_attr rts = {
		.qp_state = IBV_QPS_RTS,
		.timeout = 12, /* 16 ms: a lost answer is soon an error */
		.retry_cnt = 2,
		.rnr_retry = 2,
		.sq_psn = 0,
		.max_rd_atomic = d->rd_atom,
	};
	int ret;

	ret = modify(qp, &init,
		     IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
			     IBV_QP_ACCESS_FLAGS);
	if (!ret)
		ret = modify(qp, &rtr,
			     IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU |
				     IBV_QP_DEST_QPN | IBV_QP_RQ_PSN |
				     IBV_QP_MAX_DEST_RD_ATOMIC |
				     IBV_QP_MIN_RNR_TIMER);
	if (!ret)
		ret = modify(qp, &rts,
			     IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
				     IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
				     IBV_QP_MAX_QP_RD_ATOMIC);
	return ret;
}

int val_pair_new(struct val_dev *d, struct ibv_srq *srq, uint32_t inl,
		 struct ibv_qp **x, struct ibv_qp **y)
{
	int ret;

	*y = NULL;
	*x = val_qp_new(d, NULL, inl);
	if (!*x)
		return -errno;
	*y = val_qp_new(d, srq, inl);
	if (!*y) {
		ret = -errno;
		goto err;
	}
	ret = val_qp_connect(d, *x, (*y)->qp_num);
	if (!ret)
		ret = val_qp_connect(d, *y, (*x)->qp_num);
	if (!ret)
		return 0;
	ibv_destroy_qp(*y);
err:
	ibv_destroy_qp(*x);
	*x = *y = NULL;
	return ret;
}

static void drain(struct val_dev *d)
{
	struct ibv_wc wc;

	while (ibv_poll_cq(d->cq, 1, &wc) > 0)
		;
	d->nstash = 0;
}

int val_pair_reset(struct val_dev *d)
{
	struct ibv_qp_attr reset = { .qp_state = IBV_QPS_RESET };
	int ret;

	ret = modify(d->a, &reset, IBV_QP_STATE);
	if (!ret)
		ret = modify(d->b, &reset, IBV_QP_STATE);
	drain(d);
	if (!ret)
		ret = val_qp_connect(d, d->a, d->b->qp_num);
	if (!ret)
		ret = val_qp_connect(d, d->b, d->a->qp_num);
	return ret;
}

bool val_qp_in_error(struct ibv_qp *qp)
{
	struct ibv_qp_attr a;
	struct ibv_qp_init_attr ia;

	return !ibv_query_qp(qp, &a, IBV_QP_STATE, &ia) &&
	       a.qp_state == IBV_QPS_ERR;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* WR_ID's completion from the stash into WC: whether it was there. */
static bool unstash(struct val_dev *d, uint64_t wr_id, struct ibv_wc *wc)
{
	int i;

	for (i = 0; i < d->nstash; i++) {
		if (d->stash[i].wr_id != wr_id)
			continue;
		*wc = d->stash[i];
		memmove(&d->stash[i], &d->stash[i + 1],
			(size_t)(d->nstash - i - 1) * sizeof(*wc));
		d->nstash--;
		return true;
	}
	return false;
}

static void stash(struct val_dev *d, const struct ibv_wc *wc)
{
	int max = (int)(sizeof(d->stash) / sizeof(d->stash[0]));

	if (d->nstash == max) {
		memmove(&d->stash[0], &d->stash[1],
			(size_t)(max - 1) * sizeof(*wc));
		d->nstash--;
	}
	d->stash[d->nstash++] = *wc;
}

int val_wait(struct val_dev *d, uint64_t wr_id, struct ibv_wc *wc)
{
	const struct timespec pause = { 0, 50000 };
	double end = now_ms() + d->timeout_ms;
	int n;

	if (unstash(d, wr_id, wc))
		return 0;
	do {
		n = ibv_poll_cq(d->cq, 1, wc);
		if (n < 0)
			return -EIO;
		if (n && wc->wr_id == wr_id)
			return 0;
		if (n)
			stash(d, wc);
		else
			nanosleep(&pause, NULL);
	} while (now_ms() < end);
	return -ETIMEDOUT;
}

int val_post_wait(struct val_dev *d, struct ibv_qp *qp, struct ibv_send_wr *wr,
		  struct ibv_wc *wc)
{
	struct ibv_send_wr *bad;
	int ret;

	wr->wr_id = ++d->wr_id;
	wr->send_flags |= IBV_SEND_SIGNALED;
	ret = ibv_post_send(qp, wr, &bad);
	if (ret)
		return ret > 0 ? -ret : -EIO;
	return val_wait(d, wr->wr_id, wc);
}

static void dev_close(struct val_dev *d)
{
	if (!d)
		return;
	if (d->b)
		ibv_destroy_qp(d->b);
	if (d->a)
		ibv_destroy_qp(d->a);
	if (d->lmr)
		ibv_dereg_mr(d->lmr);
	if (d->cq)
		ibv_destroy_cq(d->cq);
	if (d->pd)
		ibv_dealloc_pd(d->pd);
	if (d->ctx)
		ibv_close_device(d->ctx);
	free(d->lbuf);
	free(d->tbuf);
	free(d);
}

/* -1: the port's first RoCE v2 GID, else its first, else 0. */
static int gid_pick(struct val_dev *d, int want)
{
	struct ibv_gid_entry tab[256];
	ssize_t n = ibv_query_gid_table(d->ctx, tab, 256, 0), i;
	int first = -1;

	if (want >= 0 || n <= 0)
		return want >= 0 ? want : 0;
	for (i = 0; i < n; i++) {
		if (tab[i].port_num != d->port)
			continue;
		if (tab[i].gid_type == IBV_GID_TYPE_ROCE_V2)
			return (int)tab[i].gid_index;
		if (first < 0)
			first = (int)tab[i].gid_index;
	}
	return first < 0 ? 0 : first;
}

/* The port's address: LID, MTU, the GID and whether it routes by it. */
static int port_addr(struct val_dev *d)
{
	bool gid_given = d->gid_index >= 0;
	struct ibv_port_attr pa;
	struct ibv_device_attr da;

	if (ibv_query_port(d->ctx, d->port, &pa) ||
	    ibv_query_device(d->ctx, &da))
		return -errno;
	if (pa.state != IBV_PORT_ACTIVE)
		return -ENETDOWN;
	d->gid_index = gid_pick(d, d->gid_index);
	d->lid = pa.lid;
	d->mtu = pa.active_mtu;
	d->grh = pa.link_layer == IBV_LINK_LAYER_ETHERNET || gid_given;
	d->rd_atom = da.max_qp_rd_atom && da.max_qp_init_rd_atom ? 1 : 0;
	if (ibv_query_gid(d->ctx, d->port, d->gid_index, &d->gid))
		return -errno;
	return 0;
}

static int dev_alloc(struct val_dev *d, const char *dev)
{
	d->ctx = open_by_name(dev);
	if (!d->ctx)
		return -errno;
	d->pd = ibv_alloc_pd(d->ctx);
	d->cq = d->pd ? ibv_create_cq(d->ctx, 64, NULL, NULL, 0) : NULL;
	if (!d->cq)
		return -errno;
	if (posix_memalign((void **)&d->lbuf, 4096, VAL_BUF_LEN) ||
	    posix_memalign((void **)&d->tbuf, 4096, VAL_BUF_LEN))
		return -ENOMEM;
	d->lmr =
		ibv_reg_mr(d->pd, d->lbuf, VAL_BUF_LEN, IBV_ACCESS_LOCAL_WRITE);
	return d->lmr ? 0 : -errno;
}

static int dev_open(void *arg, const char *dev, int port, int gid,
		    int timeout_ms, struct val_dev **out)
{
	struct val_dev *d = calloc(1, sizeof(*d));
	int ret;

	(void)arg;
	*out = NULL;
	if (!d)
		return -ENOMEM;
	d->port = (uint8_t)port;
	d->gid_index = gid;
	d->timeout_ms = timeout_ms;
	ret = dev_alloc(d, dev);
	if (!ret)
		ret = port_addr(d);
	if (!ret)
		ret = val_pair_new(d, NULL, 0, &d->a, &d->b);
	if (ret) {
		dev_close(d);
		return ret;
	}
	*out = d;
	return 0;
}

/* The GID table's RoCE v1 and v2 entries of D's port. */
static void gid_counts(struct val_dev *d, struct val_caps *c)
{
	struct ibv_gid_entry tab[256];
	ssize_t n = ibv_query_gid_table(d->ctx, tab, 256, 0), i;

	if (n < 0)
		return;
	c->v[VAL_GID_ROCE_V1] = c->v[VAL_GID_ROCE_V2] = 0;
	for (i = 0; i < n; i++) {
		if (tab[i].port_num != d->port)
			continue;
		c->v[VAL_GID_ROCE_V1] +=
			tab[i].gid_type == IBV_GID_TYPE_ROCE_V1;
		c->v[VAL_GID_ROCE_V2] +=
			tab[i].gid_type == IBV_GID_TYPE_ROCE_V2;
	}
}

#define FLAG(x, f) (((x) & (f)) ? 1 : 0)

static int dev_query(struct val_dev *d, struct val_caps *c)
{
	struct ibv_device_attr_ex ax = { 0 };
	const struct ibv_device_attr *a = &ax.orig_attr;
	struct ibv_port_attr pa;
	uint64_t fl;

	if (ibv_query_device_ex(d->ctx, NULL, &ax) ||
	    ibv_query_port(d->ctx, d->port, &pa))
		return -errno;
	fl = a->device_cap_flags;
	c->v[VAL_MAX_QP] = a->max_qp;
	c->v[VAL_MAX_QP_WR] = a->max_qp_wr;
	c->v[VAL_MAX_SGE] = a->max_sge;
	c->v[VAL_MAX_CQ] = a->max_cq;
	c->v[VAL_MAX_CQE] = a->max_cqe;
	c->v[VAL_MAX_MR] = a->max_mr;
	c->v[VAL_MAX_MR_SIZE] = a->max_mr_size >= INT64_MAX ?
					INT64_MAX :
					(int64_t)a->max_mr_size;
	c->v[VAL_MAX_PD] = a->max_pd;
	c->v[VAL_MAX_QP_RD_ATOM] = a->max_qp_rd_atom;
	c->v[VAL_MAX_QP_INIT_RD_ATOM] = a->max_qp_init_rd_atom;
	c->v[VAL_ATOMIC_CAP] = a->atomic_cap;
	c->v[VAL_MAX_SRQ] = a->max_srq;
	c->v[VAL_MAX_SRQ_WR] = a->max_srq_wr;
	c->v[VAL_XRC] = FLAG(fl, IBV_DEVICE_XRC);
	c->v[VAL_MW] = FLAG(fl, IBV_DEVICE_MEM_WINDOW);
	c->v[VAL_MW_2A] = FLAG(fl, IBV_DEVICE_MEM_WINDOW_TYPE_2A);
	c->v[VAL_MW_2B] = FLAG(fl, IBV_DEVICE_MEM_WINDOW_TYPE_2B);
	c->v[VAL_UD_AV_PORT_ENFORCE] = FLAG(fl, IBV_DEVICE_UD_AV_PORT_ENFORCE);
	c->v[VAL_ODP] = FLAG(ax.odp_caps.general_caps, IBV_ODP_SUPPORT);
	c->v[VAL_ODP_RC] = ax.odp_caps.per_transport_caps.rc_odp_caps;
	c->v[VAL_ODP_UC] = ax.odp_caps.per_transport_caps.uc_odp_caps;
	c->v[VAL_ODP_UD] = ax.odp_caps.per_transport_caps.ud_odp_caps;
	c->v[VAL_MAX_MSG_SZ] = pa.max_msg_sz;
	c->v[VAL_ACTIVE_MTU] = 128 << pa.active_mtu;
	c->v[VAL_PKEY_TBL_LEN] = pa.pkey_tbl_len;
	gid_counts(d, c);
	return 0;
}

/* The PF's view of its VF, over rtnetlink (setup's reader). */
static int live_vf_state(void *arg, const char *pf_netdev, unsigned int vf,
			 struct val_vf_state *st)
{
	struct sup_vf_state s;
	int ret = sup_nl_vf_get(pf_netdev, vf, &s);

	(void)arg;
	if (ret)
		return ret;
	*st = (struct val_vf_state){ .spoofchk = s.spoofchk,
				     .trust = s.trust,
				     .link_state = s.link_state };
	return 0;
}

static const struct val_ops live_ops = {
	.open = dev_open,
	.close = dev_close,
	.query = dev_query,
	.srq_send = val_dev_srq_send,
	.inline_qp = val_dev_inline_qp,
	.inline_write = val_dev_inline_write,
	.mw_bind = val_dev_mw_bind,
	.odp_write = val_dev_odp_write,
	.mr_reg = val_dev_mr_reg,
	.count = val_dev_count,
	.rop = val_dev_rop,
	.pingpong = val_dev_pingpong,
	.vf_state = live_vf_state,
};

const struct val_ops *val_live_ops(void)
{
	return &live_ops;
}
