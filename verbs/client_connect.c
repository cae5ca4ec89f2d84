/* SPDX-License-Identifier: MIT */
/* The active side's connection: the control channel's messages, hello,
 * the resources and QPs, the endpoints exchanged; and the preflight probe. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client.h"
#include "log.h"

int vt_client_fail(struct client *c, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return ret;
}

int vt_client_expect(struct client *c, const char *type, json_object **msg)
{
	const char *t, *why;
	int ret;

	ret = vt_ctrl_recv(&c->ctrl, msg, -1);
	if (ret == -EPROTONOSUPPORT)
		return vt_client_fail(c, ret,
				      "peer %s speaks another protocol version "
				      "(we speak %d)",
				      c->ctrl.peer, VT_PROTO_VERSION);
	if (ret)
		return vt_client_fail(
			c, ret, "peer %s: %s while waiting for '%s'",
			c->ctrl.peer,
			ret == -ECONNRESET ?
				"connection closed" :
			ret == -ENODATA ?
				"an empty message (a zero-length frame)" :
				strerror(-ret),
			type);
	t = vt_msg_type(*msg);
	if (!strcmp(t, type))
		return 0;
	why = vt_msg_str(*msg, "msg");
	ret = vt_client_fail(c, -EREMOTEIO, "peer %s: %s", c->ctrl.peer,
			     why ? why : "unexpected message");
	json_object_put(*msg);
	*msg = NULL;
	return ret;
}

int vt_client_send(struct client *c, json_object *m)
{
	int ret = vt_ctrl_send(&c->ctrl, m);

	json_object_put(m);
	if (ret)
		return vt_client_fail(c, ret, "peer %s: %s", c->ctrl.peer,
				      strerror(-ret));
	return 0;
}

void vt_client_res_attr(const struct vt_client_cfg *cfg,
			const struct vt_params *p,
			const struct vt_test_ops *ops, const char *local_ip,
			struct vt_res_attr *a)
{
	*a = (struct vt_res_attr){
		.dev = cfg->dev,
		.port = cfg->port,
		.gid_index = cfg->gid_index,
		/* the GID of the address our traffic to the peer leaves
		 * from (a VLAN sub-interface, a second address) */
		.prefer_ip = local_ip && *local_ip ? local_ip : NULL,
		.max_size = vfb_sizes_max(&p->sizes),
		.tx_depth = p->tx_depth,
		.rx_depth = VT_RX_DEPTH,
		.tclass = p->tclass,
		.sl = p->sl,
		.flow_label = p->flow_label,
		.hugepages = p->hugepages,
		.events = p->events,
		.inline_size = vt_test_inline(ops, p),
		.grh = p->grh || cfg->gid_index >= 0, /* -x */
		.pkey_index = p->pkey_index,
	};
}

static int open_res(struct client *c)
{
	struct vt_res_attr a;
	char src[64];
	int ret;

	vt_client_res_attr(c->cfg, c->p, c->ops, c->ctrl.local_ip, &a);
	c->attr = a;
	if (!c->p->rdma_cm) {
		ret = vt_res_open(&c->res, &a);
		return ret ? vt_client_fail(c, ret, "%s", c->res.err) : 0;
	}
	c->cm.timeout_ms = c->cfg->timeout_ms;
	ret = vt_device_ip(c->cfg->dev, c->cfg->port, src, sizeof(src));
	if (ret)
		return vt_client_fail(c, ret, "%s: no address for rdma_cm",
				      c->cfg->dev);
	return vt_cm_connect(&c->cm, src, c->cfg->host, c->cfg->svc, &c->res,
			     &a, c->err, c->errlen);
}

/* Say when the QP does not hold the address vector asked for: the row
 * records what it holds, but the user asked for something else. */
static void warn_av(const struct client *c)
{
	const struct vt_res *r = &c->res;

	if (c->p->sl >= 0 && r->av_sl >= 0 && r->av_sl != c->p->sl)
		vfb_warn("%s: asked for service level %d, the QP holds %d (on "
			 "RoCE the SL is not carried: the VLAN priority comes "
			 "from the netdev's egress map)",
			 r->dev, c->p->sl, r->av_sl);
	if (c->p->tclass >= 0 && r->av_tclass >= 0 &&
	    r->av_tclass != c->p->tclass)
		vfb_warn("%s: asked for traffic class %d, the QP holds %d",
			 r->dev, c->p->tclass, r->av_tclass);
	if (c->p->flow_label >= 0 && r->av_flow_label >= 0 &&
	    r->av_flow_label != c->p->flow_label)
		vfb_warn("%s: asked for flow label %d, the QP holds %d", r->dev,
			 c->p->flow_label, r->av_flow_label);
}

/* -q: the other QPs of a bandwidth test, each with its own resources on
 * the same device (the TCP exchange only). */
static int open_extra(struct client *c)
{
	unsigned int n = vt_test_extra_qps(c->ops, c->p), i;
	int ret;

	if (!n)
		return 0;
	c->xres = calloc(n, sizeof(*c->xres));
	c->xremote = calloc(n, sizeof(*c->xremote));
	if (!c->xres || !c->xremote)
		return vt_client_fail(c, -ENOMEM, "out of memory");
	for (i = 0; i < n; i++, c->nx++) {
		ret = vt_res_open(&c->xres[i], &c->attr);
		if (ret)
			return vt_client_fail(c, ret, "QP %u of %u: %s", i + 2,
					      n + 1, c->xres[i].err);
	}
	return 0;
}

int vt_client_handshake(struct client *c)
{
	json_object *m;
	struct vt_ep ep;
	unsigned int i;
	int ret;

	ret = vt_client_send(c, vt_params_to_json(c->p));
	if (ret || (ret = vt_client_expect(c, "ok", &m)))
		return ret;
	json_object_put(m);
	ret = open_res(c);
	if (!ret)
		ret = open_extra(c);
	if (ret)
		return ret;
	vt_res_local_ep(&c->res, &ep);
	ret = vt_client_send(c, vt_ep_to_json(&ep));
	for (i = 0; !ret && i < c->nx; i++) {
		vt_res_local_ep(&c->xres[i], &ep);
		ret = vt_client_send(c, vt_ep_to_json(&ep));
	}
	for (i = 0; !ret && i <= c->nx; i++) {
		struct vt_ep *to = i ? &c->xremote[i - 1] : &c->remote;

		if ((ret = vt_client_expect(c, "ep", &m)))
			return ret;
		ret = vt_ep_from_json(m, to);
		json_object_put(m);
		if (ret)
			return vt_client_fail(c, ret,
					      "peer %s: malformed endpoint",
					      c->ctrl.peer);
		if (i && (ret = vt_res_connect(&c->xres[i - 1], to)))
			return vt_client_fail(c, ret, "%s", c->xres[i - 1].err);
	}
	if (ret)
		return ret;
	if (c->remote.size < vfb_sizes_max(&c->p->sizes))
		return vt_client_fail(c, -EMSGSIZE, "peer %s: buffer too small",
				      c->ctrl.peer);
	if (!c->p->rdma_cm && (ret = vt_res_connect(&c->res, &c->remote)))
		return vt_client_fail(c, ret, "%s", c->res.err);
	if ((ret = vt_test_check_device(c->ops, &c->res, c->err, c->errlen)))
		return ret;
	warn_av(c);
	for (i = 0; vt_test_needs_recv(c->ops, c->p) && i <= c->nx; i++) {
		struct vt_run r = { .res = i ? &c->xres[i - 1] : &c->res };

		ret = vt_post_recv(&r, VT_RX_DEPTH);
		if (ret)
			return vt_client_fail(c, ret, "%s", r.err);
	}
	return 0;
}

int vt_probe(const char *host, const char *svc, int timeout_ms, char *err,
	     size_t errlen)
{
	struct vt_client_cfg cfg = { .timeout_ms = timeout_ms };
	struct client c = { .cfg = &cfg, .err = err, .errlen = errlen };
	json_object *m;
	int ret;

	ret = vt_ctrl_connect(&c.ctrl, host, svc, timeout_ms);
	if (ret)
		return vt_client_fail(
			&c, ret == -ETIMEDOUT ? -EHOSTUNREACH : ret,
			"peer %s:%s unreachable: %s", host, svc,
			strerror(ret == -ETIMEDOUT ? EHOSTUNREACH : -ret));
	ret = vt_client_send(&c, vt_msg_new("probe", NULL, 0));
	if (!ret && !(ret = vt_client_expect(&c, "ok", &m)))
		json_object_put(m);
	vt_ctrl_close(&c.ctrl);
	return ret;
}
