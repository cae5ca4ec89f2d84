/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cm.h"
#include "ctrl.h"
#include "log.h"
#include "res.h"
#include "session.h"
#include "test.h"

#define DRAIN_MS 2000

struct session {
	const struct vt_server_cfg *cfg;
	const struct vt_clock *clk;
	struct vt_ctrl ctrl;
	struct vt_params p;
	const struct vt_test_ops *ops;
	struct vt_res res;
	struct vt_cm cm;
	struct vt_ep remote;
	char err[256];
};

static int reply_error(struct session *s, int ret)
{
	json_object *m = vt_msg_new("error", NULL, 0);

	json_object_object_add(m, "msg", json_object_new_string(s->err));
	vt_ctrl_send(&s->ctrl, m);
	json_object_put(m);
	return ret;
}

static int send_msg(struct session *s, json_object *m)
{
	int ret = vt_ctrl_send(&s->ctrl, m);

	json_object_put(m);
	if (ret)
		snprintf(s->err, sizeof(s->err), "%s", strerror(-ret));
	return ret;
}

static int recv_msg(struct session *s, json_object **m, int timeout_ms)
{
	int ret = vt_ctrl_recv(&s->ctrl, m, timeout_ms);

	if (ret)
		snprintf(s->err, sizeof(s->err), "%s",
			 ret == -ECONNRESET ? "client went away" :
			 ret == -EPROTONOSUPPORT ? "another protocol version" :
			 ret == -EPROTO ? "malformed message" :
			 ret == -EMSGSIZE ? "oversized message" : strerror(-ret));
	if (ret == -EPROTONOSUPPORT || ret == -EPROTO || ret == -EMSGSIZE)
		reply_error(s, ret);
	return ret;
}

/* hello: parameters, the device that owns the address the client dialed. */
static int open_session(struct session *s)
{
	struct vt_res_attr a = { .port = 1, .rx_depth = VT_RX_DEPTH };
	char dev[64];
	json_object *m;
	int ret;

	ret = recv_msg(s, &m, s->cfg->timeout_ms);
	if (ret)
		return ret;
	ret = strcmp(vt_msg_type(m), "hello") ? -EPROTO :
		vt_params_from_json(m, &s->p, s->err, sizeof(s->err));
	json_object_put(m);
	if (ret == -EPROTO && !s->err[0])
		snprintf(s->err, sizeof(s->err), "expected hello");
	if (ret)
		return reply_error(s, ret);
	s->ops = vt_test_find(s->p.test);
	if (!s->ops) {
		snprintf(s->err, sizeof(s->err), "unknown test '%s'", s->p.test);
		return reply_error(s, -EINVAL);
	}
	a.max_size = vfb_sizes_max(&s->p.sizes);
	a.tx_depth = s->p.tx_depth;
	a.prefer_ip = s->ctrl.local_ip;
	if (s->p.rdma_cm) {
		s->cm.timeout_ms = s->cfg->timeout_ms;
		ret = vt_cm_listen(&s->cm, s->ctrl.local_ip, s->cfg->svc, s->err,
				   sizeof(s->err));
		if (ret)
			return reply_error(s, ret);
		ret = send_msg(s, vt_msg_new("ok", NULL, 0));
		return ret ? ret : vt_cm_accept(&s->cm, &s->res, &a, s->err,
						sizeof(s->err));
	}
	ret = vt_device_by_ip(s->ctrl.local_ip, dev, sizeof(dev), &a.gid_index);
	if (ret) {
		snprintf(s->err, sizeof(s->err),
			 "no RDMA device here has address %s", s->ctrl.local_ip);
		return reply_error(s, -ENODEV);
	}
	a.dev = dev;
	ret = vt_res_open(&s->res, &a);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "%s", s->res.err);
		return reply_error(s, ret);
	}
	return send_msg(s, vt_msg_new("ok", NULL, 0));
}

static int exchange(struct session *s)
{
	struct vt_ep ep;
	json_object *m;
	int ret;

	ret = recv_msg(s, &m, s->cfg->timeout_ms);
	if (ret)
		return ret;
	ret = strcmp(vt_msg_type(m), "ep") ? -EPROTO :
					      vt_ep_from_json(m, &s->remote);
	json_object_put(m);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "malformed endpoint");
		return reply_error(s, ret);
	}
	vt_res_local_ep(&s->res, &ep);
	ret = send_msg(s, vt_ep_to_json(&ep));
	if (ret)
		return ret;
	if (!s->p.rdma_cm && (ret = vt_res_connect(&s->res, &s->remote))) {
		snprintf(s->err, sizeof(s->err), "%s", s->res.err);
		return ret;
	}
	return 0;
}

/* After stop: let the receives the client already saw acked complete. */
static void drain(struct vt_run *run, int64_t sent)
{
	uint64_t t0 = vt_clock_now(run->clk);

	while (sent >= 0 && (int64_t)run->received < sent &&
	       vt_clock_ns(run->clk, vt_clock_now(run->clk) - t0) < DRAIN_MS * 1e6)
		if (vt_poll_recv(run) > 0)
			vt_post_recv(run, 1);
}

static int serve_size(struct session *s, struct vt_run *run, uint64_t size)
{
	json_object *m, *done;
	int ret;

	if (size < 1 || size > s->res.half) {
		snprintf(s->err, sizeof(s->err), "size %llu out of range",
			 (unsigned long long)size);
		return reply_error(s, -EINVAL);
	}
	run->size = size;
	run->received = run->verify_errors = 0;
	run->stopped = false;
	memset(vt_res_recv_buf(&s->res), 0, size);
	ret = send_msg(s, vt_msg_new("ready", NULL, 0));
	if (ret)
		return ret;
	ret = s->ops->server(run);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "%s", run->err);
		return ret;
	}
	m = run->stop_msg; /* the engine returns once it has read "stop" */
	run->stop_msg = NULL;
	if (s->ops->two_sided)
		drain(run, vt_msg_int(m, "sent"));
	json_object_put(m);
	done = vt_msg_new("done", "received", (int64_t)run->received);
	json_object_object_add(done, "verify_errors",
			       json_object_new_int64((int64_t)run->verify_errors));
	return send_msg(s, done);
}

static int serve_sizes(struct session *s)
{
	struct vt_run run = {
		.res = &s->res, .remote = s->remote, .p = &s->p,
		.ctrl = &s->ctrl, .clk = s->clk, .timeout_ms = s->cfg->timeout_ms,
	};
	json_object *m;
	const char *t;
	int ret;

	if (vt_test_needs_recv(s->ops, &s->p) &&
	    (ret = vt_post_recv(&run, VT_RX_DEPTH))) {
		snprintf(s->err, sizeof(s->err), "%s", run.err);
		return ret;
	}
	for (;;) {
		/* Between sizes the client is quick; a silent one is gone. */
		ret = recv_msg(s, &m, 6 * s->cfg->timeout_ms);
		if (ret)
			return ret;
		t = vt_msg_type(m);
		if (!strcmp(t, "bye")) {
			json_object_put(m);
			return 0;
		}
		ret = strcmp(t, "size") ? -EPROTO : 0;
		if (!ret)
			ret = serve_size(s, &run, (uint64_t)vt_msg_int(m, "size"));
		else
			snprintf(s->err, sizeof(s->err), "unexpected '%s'", t);
		json_object_put(m);
		if (ret)
			return ret;
	}
}

static void session_run(struct session *s)
{
	int ret = open_session(s);

	if (!ret)
		ret = exchange(s);
	if (!ret)
		ret = serve_sizes(s);
	if (ret)
		vfb_warn("serve: client %s: %s", s->ctrl.peer, s->err);
	else
		vfb_info("serve: client %s: %s done", s->ctrl.peer, s->p.test);
	vt_res_close(&s->res);
	vt_cm_close(&s->cm);
	vt_ctrl_close(&s->ctrl);
}

int vt_serve(const struct vt_server_cfg *cfg, const struct vt_clock *clk,
	     char *err, size_t errlen)
{
	long n = 0;
	int lfd, ret;

	lfd = vt_ctrl_listen(cfg->bind, cfg->svc);
	if (lfd < 0) {
		snprintf(err, errlen, "listen on %s:%s: %s",
			 cfg->bind ? cfg->bind : "*", cfg->svc, strerror(-lfd));
		return lfd;
	}
	vfb_info("serve: listening on %s:%s", cfg->bind ? cfg->bind : "*",
		 cfg->svc);
	while (!(cfg->stop && *cfg->stop) &&
	       (cfg->max_sessions <= 0 || n < cfg->max_sessions)) {
		struct session s = { .cfg = cfg, .clk = clk };

		ret = vt_ctrl_accept(lfd, &s.ctrl, 500);
		if (ret == -ETIMEDOUT || ret == -EINTR)
			continue;
		if (ret) {
			vfb_warn("serve: accept: %s", strerror(-ret));
			continue;
		}
		s.ctrl.timeout_ms = cfg->timeout_ms;
		session_run(&s);
		n++;
	}
	close(lfd);
	return 0;
}
