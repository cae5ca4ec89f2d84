/* SPDX-License-Identifier: MIT */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "cm.h"

static int cm_wait(struct vt_cm *cm, enum rdma_cm_event_type want,
		   struct rdma_cm_id **id, struct rdma_conn_param *req,
		   char *err, size_t errlen)
{
	struct pollfd p = { .fd = cm->ch->fd, .events = POLLIN };
	struct rdma_cm_event *ev;
	int ret;

	ret = poll(&p, 1, cm->timeout_ms);
	if (ret <= 0) {
		snprintf(err, errlen, "rdma_cm: no %s within %d ms",
			 rdma_event_str(want), cm->timeout_ms);
		return ret < 0 ? -errno : -ETIMEDOUT;
	}
	if (rdma_get_cm_event(cm->ch, &ev)) {
		snprintf(err, errlen, "rdma_get_cm_event: %s", strerror(errno));
		return -errno;
	}
	if (ev->event != want) {
		snprintf(err, errlen, "rdma_cm: %s (status %d) instead of %s",
			 rdma_event_str(ev->event), ev->status,
			 rdma_event_str(want));
		rdma_ack_cm_event(ev);
		return -ECONNREFUSED;
	}
	if (id)
		*id = ev->id;
	if (req)
		*req = ev->param.conn;
	rdma_ack_cm_event(ev);
	return 0;
}

static int cm_channel(struct vt_cm *cm, char *err, size_t errlen)
{
	cm->ch = rdma_create_event_channel();
	if (!cm->ch) {
		snprintf(err, errlen, "rdma_create_event_channel: %s%s",
			 strerror(errno),
			 errno == ENODEV || errno == ENOENT ?
				 " (is rdma_ucm loaded?)" :
				 "");
		return -errno;
	}
	fcntl(cm->ch->fd, F_SETFL, fcntl(cm->ch->fd, F_GETFL) | O_NONBLOCK);
	return 0;
}

static int cm_addr(const char *ip, const char *port, struct addrinfo **ai)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST,
				  .ai_socktype = SOCK_STREAM };

	return getaddrinfo(ip, port, &hints, ai) ? -EINVAL : 0;
}

/* READs and atomics in flight: what the device allows each side. */
static struct rdma_conn_param conn_param(const struct vt_res *r)
{
	return (struct rdma_conn_param){
		.responder_resources = (uint8_t)r->rd_resp,
		.initiator_depth = (uint8_t)r->rd_init,
		.retry_count = 7,
		.rnr_retry_count = 7,
	};
}

/* An rdma_cm call failed: RET when the wait said why, else errno's. */
static int cm_fail(int ret, const char *dst_ip, char *err, size_t errlen)
{
	int e = errno;

	if (ret)
		return ret;
	snprintf(err, errlen, "rdma_cm to %s: %s", dst_ip, strerror(e));
	return -e;
}

/* The route from SRC (NULL: any) to DST, through the device ATTR names,
 * with its type of service (--tclass). */
static int cm_route(struct vt_cm *cm, const struct addrinfo *src,
		    const struct addrinfo *dst, const char *dst_ip,
		    const struct vt_res_attr *attr, char *err, size_t errlen)
{
	int ret = 0;

	if (rdma_resolve_addr(cm->id, src ? src->ai_addr : NULL, dst->ai_addr,
			      cm->timeout_ms) ||
	    (ret = cm_wait(cm, RDMA_CM_EVENT_ADDR_RESOLVED, NULL, NULL, err,
			   errlen)))
		return cm_fail(ret, dst_ip, err, errlen);
	if (strcmp(ibv_get_device_name(cm->id->verbs->device), attr->dev)) {
		snprintf(err, errlen, "rdma_cm reached %s through %s, not %s",
			 dst_ip, ibv_get_device_name(cm->id->verbs->device),
			 attr->dev);
		return -EXDEV;
	}
	if (attr->tclass >= 0) {
		uint8_t tos = (uint8_t)attr->tclass;

		if (rdma_set_option(cm->id, RDMA_OPTION_ID, RDMA_OPTION_ID_TOS,
				    &tos, sizeof(tos))) {
			ret = -errno;
			snprintf(err, errlen, "rdma_cm: type of service %u: %s",
				 tos, strerror(errno));
			return ret;
		}
	}
	if (rdma_resolve_route(cm->id, cm->timeout_ms) ||
	    (ret = cm_wait(cm, RDMA_CM_EVENT_ROUTE_RESOLVED, NULL, NULL, err,
			   errlen)))
		return cm_fail(ret, dst_ip, err, errlen);
	return 0;
}

int vt_cm_connect(struct vt_cm *cm, const char *src_ip, const char *dst_ip,
		  const char *port, struct vt_res *res,
		  const struct vt_res_attr *attr, char *err, size_t errlen)
{
	struct rdma_conn_param cp;
	struct addrinfo *src = NULL, *dst = NULL;
	struct vt_res_attr a = *attr;
	int ret;

	if (cm_addr(dst_ip, port, &dst) ||
	    (src_ip && cm_addr(src_ip, NULL, &src))) {
		snprintf(err, errlen, "rdma_cm: bad address %s", dst_ip);
		ret = -EINVAL;
		goto out;
	}
	ret = cm_channel(cm, err, errlen);
	if (ret)
		goto out;
	if (rdma_create_id(cm->ch, &cm->id, NULL, RDMA_PS_TCP)) {
		ret = -errno;
		snprintf(err, errlen, "rdma_create_id: %s", strerror(errno));
		goto out;
	}
	ret = cm_route(cm, src, dst, dst_ip, attr, err, errlen);
	if (ret)
		goto out;
	a.ctx = cm->id->verbs;
	a.cm_id = cm->id;
	ret = vt_res_open(res, &a);
	if (ret) {
		snprintf(err, errlen, "%s", res->err);
		goto out;
	}
	cp = conn_param(res);
	if (rdma_connect(cm->id, &cp) ||
	    (ret = cm_wait(cm, RDMA_CM_EVENT_ESTABLISHED, NULL, NULL, err,
			   errlen)))
		ret = cm_fail(ret, dst_ip, err, errlen);
	else
		vt_res_read_av(res);
out:
	if (src)
		freeaddrinfo(src);
	if (dst)
		freeaddrinfo(dst);
	return ret;
}

int vt_cm_listen(struct vt_cm *cm, const char *ip, const char *port, char *err,
		 size_t errlen)
{
	struct addrinfo *ai;
	int ret;

	if (cm_addr(ip, port, &ai)) {
		snprintf(err, errlen, "rdma_cm: bad address %s", ip);
		return -EINVAL;
	}
	ret = cm_channel(cm, err, errlen);
	if (ret)
		goto out;
	if (rdma_create_id(cm->ch, &cm->listen_id, NULL, RDMA_PS_TCP) ||
	    rdma_bind_addr(cm->listen_id, ai->ai_addr) ||
	    rdma_listen(cm->listen_id, 1)) {
		ret = -errno;
		snprintf(err, errlen, "rdma_cm listen on %s:%s: %s", ip, port,
			 strerror(errno));
	}
out:
	freeaddrinfo(ai);
	return ret;
}

int vt_cm_accept(struct vt_cm *cm, struct vt_res *res,
		 const struct vt_res_attr *attr, char *err, size_t errlen)
{
	/* req is cm_wait's on success; zeroed for the optimiser's sake */
	struct rdma_conn_param cp, req = { 0 };
	struct vt_res_attr a = *attr;
	int ret;

	ret = cm_wait(cm, RDMA_CM_EVENT_CONNECT_REQUEST, &cm->id, &req, err,
		      errlen);
	if (ret)
		return ret;
	a.ctx = cm->id->verbs;
	a.cm_id = cm->id;
	a.dev = NULL;
	ret = vt_res_open(res, &a);
	if (ret) {
		snprintf(err, errlen, "%s", res->err);
		rdma_reject(cm->id, NULL, 0);
		return ret;
	}
	/* answer no more READs than the client will send, send no more
	 * than it answers */
	cp = conn_param(res);
	if (cp.responder_resources > req.initiator_depth)
		cp.responder_resources = req.initiator_depth;
	if (cp.initiator_depth > req.responder_resources)
		cp.initiator_depth = req.responder_resources;
	if (rdma_accept(cm->id, &cp)) {
		snprintf(err, errlen, "rdma_accept: %s", strerror(errno));
		return -errno;
	}
	ret = cm_wait(cm, RDMA_CM_EVENT_ESTABLISHED, NULL, NULL, err, errlen);
	if (!ret)
		vt_res_read_av(res);
	/* One connection per listen: free the port for the next session. */
	rdma_destroy_id(cm->listen_id);
	cm->listen_id = NULL;
	return ret;
}

void vt_cm_close(struct vt_cm *cm)
{
	if (cm->id) {
		rdma_disconnect(cm->id);
		rdma_destroy_id(cm->id);
	}
	if (cm->listen_id)
		rdma_destroy_id(cm->listen_id);
	if (cm->ch)
		rdma_destroy_event_channel(cm->ch);
	cm->id = cm->listen_id = NULL;
	cm->ch = NULL;
}

int vt_device_ip(const char *dev, uint8_t port, char *ip, size_t len)
{
	struct vt_res_attr a = { .dev = dev,
				 .port = port,
				 .gid_index = -1,
				 .max_size = 1,
				 .tx_depth = 1,
				 .rx_depth = 1 };
	struct vt_res r;
	struct in_addr a4;
	int ret;

	ret = vt_res_open(&r, &a);
	if (ret)
		return ret;
	if (r.gid.raw[10] == 0xff && r.gid.raw[11] == 0xff) {
		memcpy(&a4, r.gid.raw + 12, 4);
		inet_ntop(AF_INET, &a4, ip, len);
	} else {
		inet_ntop(AF_INET6, r.gid.raw, ip, len);
	}
	vt_res_close(&r);
	return 0;
}
