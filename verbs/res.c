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
		return VT_RES_FAIL(r, -ENOENT, "%s: no GID table", r->dev);
	best = vt_gid_pick(tab, (size_t)n, r->port, prefer_ip);
	if (best < 0)
		return VT_RES_FAIL(r, -ENOENT, "%s: no GID on port %u", r->dev,
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
		return VT_RES_FAIL(r, -errno, "ibv_query_port(%s, %u): %s",
				   r->dev, r->port, strerror(errno));
	if (pa.state != IBV_PORT_ACTIVE)
		return VT_RES_FAIL(r, -ENETDOWN, "%s port %u is %s, not ACTIVE",
				   r->dev, r->port,
				   ibv_port_state_str(pa.state));
	r->lid = pa.lid;
	r->mtu = 128u << pa.active_mtu;
	r->max_msg = pa.max_msg_sz;
	if (a->max_size > r->max_msg)
		return VT_RES_FAIL(
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
		return VT_RES_FAIL(r, -EINVAL, "%s: no GID index %d on port %u",
				   r->dev, r->gid_index, r->port);
	return 0;
}

/* What the device says it can do for READs and atomics. */
static int query_device(struct vt_res *r)
{
	struct ibv_device_attr da;
	int ret = ibv_query_device(r->ctx, &da);

	if (ret)
		return VT_RES_FAIL(r, -ret, "ibv_query_device(%s): %s", r->dev,
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
			return VT_RES_FAIL(r, -ENOMEM,
					   "%s: --use-hugepages: no %zu "
					   "bytes of free huge pages (%s; see "
					   "vm.nr_hugepages)",
					   r->dev, r->buf_len, strerror(errno));
		r->huge = true;
		r->buf = p; /* anonymous memory comes zeroed */
		return 0;
	}
	if (posix_memalign(&p, page, r->buf_len))
		return VT_RES_FAIL(r, -ENOMEM, "%s: cannot allocate %zu bytes",
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
int vt_res_access(const struct vt_res *r)
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
			return VT_RES_FAIL(r, -errno, "ibv_create_qp(%s): %s",
					   r->dev, strerror(errno));
		asked = asked < 16 ? 0 : asked / 2;
		ia.cap.max_inline_data = asked;
	}
	/* the device may report more than asked: inline what was asked */
	r->max_inline =
		ia.cap.max_inline_data < asked ? ia.cap.max_inline_data : asked;
	return 0;
}

/* What the resources are asked for, and a fresh PSN. */
static void res_init(struct vt_res *r, const struct vt_res_attr *a)
{
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
}

/* The caller's context (rdma_cm's), or the device A names opened. */
static int open_ctx(struct vt_res *r, const struct vt_res_attr *a)
{
	if (a->ctx) {
		r->ctx = a->ctx;
		snprintf(r->dev, sizeof(r->dev), "%s",
			 ibv_get_device_name(a->ctx->device));
		return 0;
	}
	snprintf(r->dev, sizeof(r->dev), "%s", a->dev);
	r->ctx = open_by_name(a->dev);
	if (!r->ctx)
		return VT_RES_FAIL(r, -errno, "ibv_open_device(%s): %s", a->dev,
				   strerror(errno));
	r->own_ctx = true;
	return 0;
}

static int reg_mr(struct vt_res *r)
{
	r->mr = ibv_reg_mr(r->pd, r->buf, r->buf_len, vt_res_access(r));
	if (r->mr)
		return 0;
	return VT_RES_FAIL(
		r, -errno, "ibv_reg_mr(%s, %zu bytes): %s%s", r->dev,
		r->buf_len, strerror(errno),
		errno == ENOMEM || errno == EPERM ?
			"; raise the locked-memory limit (ulimit -l)" :
			"");
}

/* EVENTS: a completion channel, non-blocking, that both CQs signal. */
static int create_cqs(struct vt_res *r, bool events)
{
	int ret;

	if (events) {
		r->channel = ibv_create_comp_channel(r->ctx);
		if (!r->channel)
			return VT_RES_FAIL(r, -errno,
					   "ibv_create_comp_channel(%s): %s",
					   r->dev, strerror(errno));
		/* never block in ibv_get_cq_event: poll() says when */
		fcntl(r->channel->fd, F_SETFL,
		      fcntl(r->channel->fd, F_GETFL) | O_NONBLOCK);
		r->cq_wait = channel_wait;
	}
	r->scq = ibv_create_cq(r->ctx, r->tx_depth, NULL, r->channel, 0);
	if (!r->scq) {
		ret = VT_RES_FAIL(r, -errno, "ibv_create_cq(%s): %s", r->dev,
				  strerror(errno));
		goto err_channel;
	}
	r->rcq = ibv_create_cq(r->ctx, r->rx_depth, NULL, r->channel, 0);
	if (!r->rcq) {
		ret = VT_RES_FAIL(r, -errno, "ibv_create_cq(%s): %s", r->dev,
				  strerror(errno));
		goto err_scq;
	}
	return 0;

err_scq:
	ibv_destroy_cq(r->scq);
err_channel:
	if (r->channel)
		ibv_destroy_comp_channel(r->channel);
	return ret;
}

static void destroy_cqs(struct vt_res *r)
{
	ibv_destroy_cq(r->rcq);
	ibv_destroy_cq(r->scq);
	if (r->channel)
		ibv_destroy_comp_channel(r->channel);
}

int vt_res_open(struct vt_res *r, const struct vt_res_attr *a)
{
	int ret;

	res_init(r, a);
	ret = open_ctx(r, a);
	if (ret)
		return ret;
	ret = query_port(r, a);
	if (!ret)
		ret = query_device(r);
	if (ret)
		goto err_ctx;
	r->pd = ibv_alloc_pd(r->ctx);
	if (!r->pd) {
		ret = VT_RES_FAIL(r, -errno, "ibv_alloc_pd(%s): %s", r->dev,
				  strerror(errno));
		goto err_ctx;
	}
	ret = alloc_buf(r, a->max_size, a->hugepages);
	if (ret)
		goto err_pd;
	ret = reg_mr(r);
	if (ret)
		goto err_buf;
	ret = create_cqs(r, a->events);
	if (ret)
		goto err_mr;
	ret = create_qp(r);
	if (ret)
		goto err_cqs;
	return 0;

err_cqs:
	destroy_cqs(r);
err_mr:
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
	destroy_cqs(r);
	ibv_dereg_mr(r->mr);
	free_buf(r);
	ibv_dealloc_pd(r->pd);
	if (r->own_ctx)
		ibv_close_device(r->ctx);
	r->ctx = NULL;
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
