/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "res.h"

#define RES_FAIL(r, code, ...)                                                 \
	(snprintf((r)->err, sizeof((r)->err), __VA_ARGS__), (code))

void vt_device_names(char *buf, size_t len)
{
	struct ibv_device **list;
	size_t used = 0;
	int n, i;

	snprintf(buf, len, "none");
	list = ibv_get_device_list(&n);
	if (!list)
		return;
	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++)
		used += snprintf(buf + used, len - used, "%s%s", i ? ", " : "",
				 ibv_get_device_name(list[i]));
	ibv_free_device_list(list);
	if (!buf[0])
		snprintf(buf, len, "none");
}

static struct ibv_context *open_by_name(const char *name)
{
	struct ibv_device **list;
	struct ibv_context *ctx = NULL;
	int n, i;

	list = ibv_get_device_list(&n);
	if (!list)
		return NULL;
	errno = ENODEV;
	for (i = 0; i < n; i++)
		if (!strcmp(ibv_get_device_name(list[i]), name)) {
			ctx = ibv_open_device(list[i]);
			break;
		}
	ibv_free_device_list(list);
	return ctx;
}

/* Text form of IP as the IPv4-mapped or plain IPv6 GID it would be. */
static int ip_to_gid(const char *ip, uint8_t gid[16])
{
	struct in_addr a4;

	if (inet_pton(AF_INET, ip, &a4) == 1) {
		memset(gid, 0, 10);
		gid[10] = gid[11] = 0xff;
		memcpy(gid + 12, &a4, 4);
		return 0;
	}
	return inet_pton(AF_INET6, ip, gid) == 1 ? 0 : -EINVAL;
}

static bool gid_v4_mapped(const uint8_t *g)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0,	   0,
					 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(g, pfx, sizeof(pfx));
}

/* Score a GID for the data path: RoCE v2 > IPv4-mapped > matching IP. */
static int gid_score(const struct ibv_gid_entry *e, const uint8_t *want)
{
	int s = 0;

	if (e->gid_type == IBV_GID_TYPE_ROCE_V2)
		s += 4;
	if (gid_v4_mapped(e->gid.raw))
		s += 2;
	if (want && !memcmp(e->gid.raw, want, 16))
		s += 8;
	return s;
}

int vt_gid_pick(const struct ibv_gid_entry *tab, size_t n, uint8_t port,
		const char *prefer_ip)
{
	uint8_t want[16];
	int best = -1, score = -1;
	size_t i;

	if (prefer_ip && ip_to_gid(prefer_ip, want))
		prefer_ip = NULL;
	for (i = 0; i < n; i++) {
		int s;

		if (tab[i].port_num != port)
			continue;
		s = gid_score(&tab[i], prefer_ip ? want : NULL);
		if (s > score) {
			score = s;
			best = (int)i;
		}
	}
	return best;
}

static int pick_gid(struct vt_res *r, const char *prefer_ip)
{
	struct ibv_gid_entry tab[256];
	ssize_t n;
	int best;

	n = ibv_query_gid_table(r->ctx, tab, 256, 0);
	if (n <= 0)
		return RES_FAIL(r, -ENOENT, "%s: no GID table", r->dev);
	best = vt_gid_pick(tab, (size_t)n, r->port, prefer_ip);
	if (best < 0)
		return RES_FAIL(r, -ENOENT, "%s: no GID on port %u", r->dev,
				r->port);
	r->gid_index = tab[best].gid_index;
	return 0;
}

int vt_device_by_ip(const char *ip, char *dev, size_t devlen, int *gid_index)
{
	struct ibv_device **list;
	struct ibv_gid_entry tab[256];
	uint8_t want[16];
	int n, i, best = -1;
	ssize_t k, j;

	if (ip_to_gid(ip, want))
		return -EINVAL;
	list = ibv_get_device_list(&n);
	if (!list)
		return -ENODEV;
	for (i = 0; i < n && best < 0; i++) {
		struct ibv_context *ctx = ibv_open_device(list[i]);

		if (!ctx)
			continue;
		k = ibv_query_gid_table(ctx, tab, 256, 0);
		for (j = 0; j < k; j++) {
			if (memcmp(tab[j].gid.raw, want, 16))
				continue;
			if (best < 0 ||
			    tab[j].gid_type == IBV_GID_TYPE_ROCE_V2) {
				best = tab[j].gid_index;
				snprintf(dev, devlen, "%s",
					 ibv_get_device_name(list[i]));
			}
		}
		ibv_close_device(ctx);
	}
	ibv_free_device_list(list);
	if (best < 0)
		return -ENODEV;
	*gid_index = best;
	return 0;
}

static int query_port(struct vt_res *r, const struct vt_res_attr *a)
{
	struct ibv_port_attr pa;
	int ret;

	if (ibv_query_port(r->ctx, r->port, &pa))
		return RES_FAIL(r, -errno, "ibv_query_port(%s, %u): %s", r->dev,
				r->port, strerror(errno));
	if (pa.state != IBV_PORT_ACTIVE)
		return RES_FAIL(r, -ENETDOWN, "%s port %u is %s, not ACTIVE",
				r->dev, r->port, ibv_port_state_str(pa.state));
	r->lid = pa.lid;
	r->mtu = 128u << pa.active_mtu;
	r->max_msg = pa.max_msg_sz;
	if (a->max_size > r->max_msg)
		return RES_FAIL(
			r, -EMSGSIZE,
			"%s: message size %llu is larger than the port allows (%llu)",
			r->dev, (unsigned long long)a->max_size,
			(unsigned long long)r->max_msg);
	r->gid_index = a->gid_index;
	/* InfiniBand routes by LID unless a GRH is asked for (perftest's
	 * -x); RoCE addresses are GIDs */
	r->grh = pa.link_layer != IBV_LINK_LAYER_INFINIBAND || a->grh;
	if (r->gid_index < 0 && pa.link_layer == IBV_LINK_LAYER_ETHERNET) {
		ret = pick_gid(r, a->prefer_ip);
		if (ret)
			return ret;
	} else if (r->gid_index < 0) {
		r->gid_index = 0;
	}
	if (ibv_query_gid(r->ctx, r->port, r->gid_index, &r->gid))
		return RES_FAIL(r, -EINVAL, "%s: no GID index %d on port %u",
				r->dev, r->gid_index, r->port);
	return 0;
}

/* What the device says it can do for READs and atomics. */
static int query_device(struct vt_res *r)
{
	struct ibv_device_attr da;
	int ret = ibv_query_device(r->ctx, &da);

	if (ret)
		return RES_FAIL(r, -ret, "ibv_query_device(%s): %s", r->dev,
				strerror(ret));
	r->rd_resp = da.max_qp_rd_atom < 1   ? 1 :
		     da.max_qp_rd_atom > 255 ? 255 :
					       (uint32_t)da.max_qp_rd_atom;
	r->rd_init =
		da.max_qp_init_rd_atom < 1   ? 1 :
		da.max_qp_init_rd_atom > 255 ? 255 :
					       (uint32_t)da.max_qp_init_rd_atom;
	r->atomics = da.atomic_cap != IBV_ATOMIC_NONE;
	return 0;
}

#define HUGE_PAGE (2UL << 20)

/* Sleep on the completion channel (both CQs report to it). */
static int channel_wait(struct vt_res *r, int timeout_ms)
{
	struct pollfd p = { .fd = r->channel->fd, .events = POLLIN };
	struct ibv_cq *cq;
	void *cq_ctx;
	int ret = poll(&p, 1, timeout_ms);

	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return 0;
	if (ibv_get_cq_event(r->channel, &cq, &cq_ctx))
		return errno == EAGAIN ? 0 : -errno;
	ibv_ack_cq_events(cq, 1);
	return 1;
}

static int alloc_buf(struct vt_res *r, uint64_t max_size, bool huge)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	void *p;

	r->half = ((size_t)max_size + page - 1) / page * page;
	r->buf_len = 2 * r->half;
	if (huge) {
		r->buf_len =
			(r->buf_len + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
		p = mmap(NULL, r->buf_len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED)
			return RES_FAIL(r, -ENOMEM,
					"%s: --use-hugepages: no %zu "
					"bytes of free huge pages (%s; see "
					"vm.nr_hugepages)",
					r->dev, r->buf_len, strerror(errno));
		r->huge = true;
		r->buf = p; /* anonymous memory comes zeroed */
		return 0;
	}
	if (posix_memalign(&p, page, r->buf_len))
		return RES_FAIL(r, -ENOMEM, "%s: cannot allocate %zu bytes",
				r->dev, r->buf_len);
	memset(p, 0, r->buf_len);
	r->buf = p;
	return 0;
}

static void free_buf(struct vt_res *r)
{
	if (r->huge)
		munmap(r->buf, r->buf_len);
	else
		free(r->buf);
}

/* What the peer may do to our buffer: write, read, and atomics where
 * the device has them. */
static int access_flags(const struct vt_res *r)
{
	return IBV_ACCESS_LOCAL_WRITE | IBV_ACCESS_REMOTE_WRITE |
	       IBV_ACCESS_REMOTE_READ |
	       (r->atomics ? IBV_ACCESS_REMOTE_ATOMIC : 0);
}

static int create_qp(struct vt_res *r)
{
	struct ibv_qp_init_attr ia = {
		.send_cq = r->scq,
		.recv_cq = r->rcq,
		.qp_type = IBV_QPT_RC,
		.cap = {
			.max_send_wr = r->tx_depth,
			.max_recv_wr = r->rx_depth,
			.max_send_sge = 1,
			.max_recv_sge = 1,
			.max_inline_data = r->max_inline,
		},
	};
	uint32_t asked = r->max_inline;

	/* Ask for the inline size the test wants; a device that cannot
	 * take it gets asked for half, down to a QP without. */
	for (;;) {
		if (r->cm_id) {
			if (!rdma_create_qp(r->cm_id, r->pd, &ia)) {
				r->qp = r->cm_id->qp;
				break;
			}
		} else {
			r->qp = ibv_create_qp(r->pd, &ia);
			if (r->qp)
				break;
		}
		if (!asked)
			return RES_FAIL(r, -errno, "ibv_create_qp(%s): %s",
					r->dev, strerror(errno));
		asked = asked < 16 ? 0 : asked / 2;
		ia.cap.max_inline_data = asked;
	}
	/* the device may report more than asked: inline what was asked */
	r->max_inline =
		ia.cap.max_inline_data < asked ? ia.cap.max_inline_data : asked;
	return 0;
}

int vt_res_open(struct vt_res *r, const struct vt_res_attr *a)
{
	int ret;

	memset(r, 0, sizeof(*r));
	r->port = a->port ? a->port : 1;
	r->tx_depth = a->tx_depth;
	r->rx_depth = a->rx_depth;
	r->cm_id = a->cm_id;
	r->tclass = a->tclass;
	r->sl = a->sl;
	r->flow_label = a->flow_label;
	r->max_inline = a->inline_size;
	r->pkey_index = a->pkey_index;
	r->av_tclass = r->av_sl = r->av_flow_label = -1;
	r->psn = (uint32_t)(lrand48() & 0xffffff);
	if (a->ctx) {
		r->ctx = a->ctx;
		snprintf(r->dev, sizeof(r->dev), "%s",
			 ibv_get_device_name(a->ctx->device));
	} else {
		snprintf(r->dev, sizeof(r->dev), "%s", a->dev);
		r->ctx = open_by_name(a->dev);
		if (!r->ctx)
			return RES_FAIL(r, -errno, "ibv_open_device(%s): %s",
					a->dev, strerror(errno));
		r->own_ctx = true;
	}
	ret = query_port(r, a);
	if (!ret)
		ret = query_device(r);
	if (ret)
		goto err_ctx;
	r->pd = ibv_alloc_pd(r->ctx);
	if (!r->pd) {
		ret = RES_FAIL(r, -errno, "ibv_alloc_pd(%s): %s", r->dev,
			       strerror(errno));
		goto err_ctx;
	}
	ret = alloc_buf(r, a->max_size, a->hugepages);
	if (ret)
		goto err_pd;
	r->mr = ibv_reg_mr(r->pd, r->buf, r->buf_len, access_flags(r));
	if (!r->mr) {
		ret = RES_FAIL(
			r, -errno, "ibv_reg_mr(%s, %zu bytes): %s%s", r->dev,
			r->buf_len, strerror(errno),
			errno == ENOMEM || errno == EPERM ?
				"; raise the locked-memory limit (ulimit -l)" :
				"");
		goto err_buf;
	}
	if (a->events) {
		r->channel = ibv_create_comp_channel(r->ctx);
		if (!r->channel) {
			ret = RES_FAIL(r, -errno,
				       "ibv_create_comp_channel(%s): %s",
				       r->dev, strerror(errno));
			goto err_mr;
		}
		/* never block in ibv_get_cq_event: poll() says when */
		fcntl(r->channel->fd, F_SETFL,
		      fcntl(r->channel->fd, F_GETFL) | O_NONBLOCK);
		r->cq_wait = channel_wait;
	}
	r->scq = ibv_create_cq(r->ctx, r->tx_depth, NULL, r->channel, 0);
	if (!r->scq) {
		ret = RES_FAIL(r, -errno, "ibv_create_cq(%s): %s", r->dev,
			       strerror(errno));
		goto err_mr;
	}
	r->rcq = ibv_create_cq(r->ctx, r->rx_depth, NULL, r->channel, 0);
	if (!r->rcq) {
		ret = RES_FAIL(r, -errno, "ibv_create_cq(%s): %s", r->dev,
			       strerror(errno));
		goto err_scq;
	}
	ret = create_qp(r);
	if (ret)
		goto err_rcq;
	return 0;

err_rcq:
	ibv_destroy_cq(r->rcq);
err_scq:
	ibv_destroy_cq(r->scq);
err_mr:
	if (r->channel)
		ibv_destroy_comp_channel(r->channel);
	ibv_dereg_mr(r->mr);
err_buf:
	free_buf(r);
err_pd:
	ibv_dealloc_pd(r->pd);
err_ctx:
	if (r->own_ctx)
		ibv_close_device(r->ctx);
	r->ctx = NULL;
	return ret;
}

void vt_res_close(struct vt_res *r)
{
	if (!r->ctx)
		return;
	if (r->cm_id && r->qp)
		rdma_destroy_qp(r->cm_id);
	else if (r->qp)
		ibv_destroy_qp(r->qp);
	ibv_destroy_cq(r->rcq);
	ibv_destroy_cq(r->scq);
	if (r->channel)
		ibv_destroy_comp_channel(r->channel);
	ibv_dereg_mr(r->mr);
	free_buf(r);
	ibv_dealloc_pd(r->pd);
	if (r->own_ctx)
		ibv_close_device(r->ctx);
	r->ctx = NULL;
}

void vt_res_local_ep(const struct vt_res *r, struct vt_ep *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->qpn = r->qp->qp_num;
	ep->psn = r->psn;
	ep->lid = r->lid;
	memcpy(ep->gid, r->gid.raw, 16);
	ep->rkey = r->mr->rkey;
	ep->addr = (uintptr_t)vt_res_recv_buf(r);
	ep->size = r->half;
	ep->mtu = r->mtu;
	ep->rd_atom = r->rd_resp;
}

static enum ibv_mtu mtu_enum(uint32_t bytes)
{
	switch (bytes) {
	case 256:
		return IBV_MTU_256;
	case 512:
		return IBV_MTU_512;
	case 1024:
		return IBV_MTU_1024;
	case 2048:
		return IBV_MTU_2048;
	default:
		return IBV_MTU_4096;
	}
}

int vt_res_rtr_attr(const struct vt_res *r, const struct vt_ep *remote,
		    struct ibv_qp_attr *rtr)
{
	*rtr = (struct ibv_qp_attr){
		.qp_state = IBV_QPS_RTR,
		.path_mtu = mtu_enum(r->mtu < remote->mtu ? r->mtu : remote->mtu),
		.dest_qp_num = remote->qpn,
		.rq_psn = remote->psn,
		.max_dest_rd_atomic = (uint8_t)r->rd_resp,
		.min_rnr_timer = 12,
		.ah_attr = {
			.is_global = r->grh,
			.dlid = remote->lid,
			.sl = (uint8_t)(r->sl >= 0 ? r->sl : 0),
			.port_num = r->port,
			.grh = {
				.sgid_index = (uint8_t)r->gid_index,
				.hop_limit = 64,
				.traffic_class = (uint8_t)(r->tclass >= 0 ? r->tclass : 0),
				.flow_label = (uint32_t)(r->flow_label >= 0 ?
							 r->flow_label : 0),
			},
		},
	};
	memcpy(rtr->ah_attr.grh.dgid.raw, remote->gid, 16);
	return IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
	       IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER;
}

void vt_res_read_av(struct vt_res *r)
{
	struct ibv_qp_attr a;
	struct ibv_qp_init_attr ia;

	if (ibv_query_qp(r->qp, &a, IBV_QP_AV, &ia))
		return; /* not known: the row says nothing */
	r->av_sl = a.ah_attr.sl;
	if (a.ah_attr.is_global) {
		r->av_tclass = a.ah_attr.grh.traffic_class;
		r->av_flow_label = (int32_t)a.ah_attr.grh.flow_label;
	}
}

int vt_res_init_attr(const struct vt_res *r, struct ibv_qp_attr *init)
{
	*init = (struct ibv_qp_attr){
		.qp_state = IBV_QPS_INIT,
		.pkey_index = r->pkey_index,
		.port_num = r->port,
		.qp_access_flags = (unsigned int)access_flags(r),
	};
	return IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
	       IBV_QP_ACCESS_FLAGS;
}

int vt_res_connect(struct vt_res *r, const struct vt_ep *remote)
{
	struct ibv_qp_attr init;
	int init_mask = vt_res_init_attr(r, &init);
	struct ibv_qp_attr rtr;
	int rtr_mask = vt_res_rtr_attr(r, remote, &rtr);
	struct ibv_qp_attr rts = {
		.qp_state = IBV_QPS_RTS,
		.timeout = 14, /* 4.096 us * 2^14 = 67 ms per try */
		.retry_cnt = 7,
		.rnr_retry = 7, /* 7: retry RNR for ever */
		.sq_psn = r->psn,
		.max_rd_atomic = (uint8_t)(r->rd_init < remote->rd_atom ?
						   r->rd_init :
						   remote->rd_atom),
	};

	if (ibv_modify_qp(r->qp, &init, init_mask))
		return RES_FAIL(r, -errno, "%s: QP to INIT: %s", r->dev,
				strerror(errno));
	if (ibv_modify_qp(r->qp, &rtr, rtr_mask))
		return RES_FAIL(r, -errno, "%s: QP to RTR: %s", r->dev,
				strerror(errno));
	if (ibv_modify_qp(r->qp, &rts,
			  IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
				  IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
				  IBV_QP_MAX_QP_RD_ATOMIC))
		return RES_FAIL(r, -errno, "%s: QP to RTS: %s", r->dev,
				strerror(errno));
	vt_res_read_av(r);
	return 0;
}

uint64_t vt_res_sq_posted(const struct vt_res *first, const struct vt_res *more,
			  unsigned int n)
{
	uint64_t sum = first->sq_posted;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += more[i].sq_posted;
	return sum;
}
