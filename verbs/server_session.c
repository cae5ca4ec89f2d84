/* SPDX-License-Identifier: MIT */
/* One session of the passive side: the client's hello, the QPs and their
 * endpoints, then each size reflected or sunk until the client says stop. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "server.h"

#define DRAIN_MS 2000

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

/* What a receive failed on, in the words the log and the client see;
 * NULL: not the client's message (a timeout, the connection). */
static const char *bad_msg(int ret)
{
	switch (ret) {
	case -EPROTONOSUPPORT:
		return "another protocol version";
	case -EPROTO:
		return "malformed message";
	case -EMSGSIZE:
		return "oversized message";
	case -ENODATA:
		return "empty message (a zero-length frame)";
	}
	return NULL;
}

static int recv_msg(struct session *s, json_object **m, int timeout_ms)
{
	int ret = vt_ctrl_recv(&s->ctrl, m, timeout_ms);
	const char *bad = bad_msg(ret);

	if (ret)
		snprintf(s->err, sizeof(s->err), "%s",
			 bad		    ? bad :
			 ret == -ECONNRESET ? "client went away" :
					      strerror(-ret));
	if (bad)
		reply_error(s, ret);
	return ret;
}

/* rdma_cm: the port is the server's, so one listen at a time. */
static int cm_session(struct session *s, const struct vt_res_attr *a)
{
	int ret;

	pthread_mutex_lock(&s->srv->cm_lock);
	s->cm.timeout_ms = s->cfg->timeout_ms;
	ret = vt_cm_listen(&s->cm, s->ctrl.local_ip, s->cfg->svc, s->err,
			   sizeof(s->err));
	if (ret) {
		pthread_mutex_unlock(&s->srv->cm_lock);
		return reply_error(s, ret);
	}
	ret = send_msg(s, vt_msg_new("ok", NULL, 0));
	if (!ret)
		ret = vt_cm_accept(&s->cm, &s->res, a, s->err, sizeof(s->err));
	pthread_mutex_unlock(&s->srv->cm_lock);
	return ret;
}

/* The client's first message: a probe (answered at once), or hello with
 * the test's parameters, which must fit this server's --max-size. */
static int read_hello(struct session *s)
{
	json_object *m;
	int ret;

	ret = recv_msg(s, &m, s->cfg->timeout_ms);
	if (ret)
		return ret;
	if (!strcmp(vt_msg_type(m), "probe")) { /* a preflight, not a session */
		json_object_put(m);
		s->probe = true;
		return send_msg(s, vt_msg_new("ok", NULL, 0));
	}
	ret = strcmp(vt_msg_type(m), "hello") ?
		      -EPROTO :
		      vt_params_from_json(m, &s->p, s->err, sizeof(s->err));
	json_object_put(m);
	s->counted = true;
	if (!ret && vfb_sizes_max(&s->p.sizes) > s->cfg->max_size) {
		snprintf(
			s->err, sizeof(s->err),
			"message size %llu is over this server's --max-size %llu",
			(unsigned long long)vfb_sizes_max(&s->p.sizes),
			(unsigned long long)s->cfg->max_size);
		ret = -EMSGSIZE;
	}
	if (ret == -EPROTO && !s->err[0])
		snprintf(s->err, sizeof(s->err), "expected hello");
	return ret ? reply_error(s, ret) : 0;
}

/* The engine hello names, its sizes, and the memory it will pin. */
static int pick_test(struct session *s)
{
	s->ops = vt_test_find(s->p.test);
	if (!s->ops) {
		snprintf(s->err, sizeof(s->err), "unknown test '%s'",
			 s->p.test);
		return reply_error(s, -EINVAL);
	}
	if (s->ops->fixed_size &&
	    (s->p.sizes.n != 1 || s->p.sizes.v[0] != s->ops->fixed_size)) {
		snprintf(s->err, sizeof(s->err),
			 "%s has one message size, %llu B", s->p.test,
			 (unsigned long long)s->ops->fixed_size);
		return reply_error(s, -EINVAL);
	}
	if (vt_pin_check(vfb_sizes_max(&s->p.sizes),
			 1 + vt_test_extra_qps(s->ops, &s->p), s->err,
			 sizeof(s->err)))
		return reply_error(s, -ENOMEM);
	return 0;
}

/* The resources the parameters ask for, on the address dialed. */
static void session_res_attr(const struct session *s, struct vt_res_attr *a)
{
	*a = (struct vt_res_attr){
		.port = 1,
		.rx_depth = VT_RX_DEPTH,
		.max_size = vfb_sizes_max(&s->p.sizes),
		.tx_depth = s->p.tx_depth,
		.tclass = s->p.tclass,
		.sl = s->p.sl,
		.flow_label = s->p.flow_label,
		.hugepages = s->p.hugepages,
		.events = s->p.events,
		.inline_size = vt_test_inline(s->ops, &s->p),
		.grh = s->p.grh,
		.pkey_index = s->p.pkey_index,
		.prefer_ip = s->ctrl.local_ip,
	};
}

/* hello: parameters, the device that owns the address the client dialed. */
static int open_session(struct session *s)
{
	struct vt_res_attr a;
	char dev[64];
	int ret;

	ret = read_hello(s);
	if (!ret && !s->probe)
		ret = pick_test(s);
	if (ret || s->probe)
		return ret;
	session_res_attr(s, &a);
	s->attr = a;
	vfb_info("serve: client %s: %s, %zu sizes, up to %llu B", s->ctrl.peer,
		 s->p.test, s->p.sizes.n, (unsigned long long)a.max_size);
	if (s->p.rdma_cm)
		return cm_session(s, &a);
	ret = vt_device_by_ip(s->ctrl.local_ip, dev, sizeof(dev), &a.gid_index);
	if (ret) {
		snprintf(s->err, sizeof(s->err),
			 "no RDMA device here has address %s",
			 s->ctrl.local_ip);
		return reply_error(s, -ENODEV);
	}
	a.dev = dev;
	s->attr = a;
	s->attr.dev = NULL; /* dev is ours, not the session's: see exchange */
	ret = vt_res_open(&s->res, &a);
	if (ret) {
		snprintf(s->err, sizeof(s->err), "%s", s->res.err);
		return reply_error(s, ret);
	}
	return send_msg(s, vt_msg_new("ok", NULL, 0));
}

/* -q: the other QPs, on the first one's device. */
static int open_extra(struct session *s)
{
	unsigned int n = vt_test_extra_qps(s->ops, &s->p), i;
	struct vt_res_attr a = s->attr;
	int ret;

	if (!n)
		return 0;
	a.dev = s->res.dev;
	a.gid_index = s->res.gid_index;
	s->xres = calloc(n, sizeof(*s->xres));
	s->xremote = calloc(n, sizeof(*s->xremote));
	if (!s->xres || !s->xremote) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return reply_error(s, -ENOMEM);
	}
	for (i = 0; i < n; i++, s->nx++) {
		ret = vt_res_open(&s->xres[i], &a);
		if (ret) {
			snprintf(s->err, sizeof(s->err), "QP %u of %u: %.200s",
				 i + 2, n + 1, s->xres[i].err);
			return reply_error(s, ret);
		}
	}
	return 0;
}

static int exchange(struct session *s)
{
	unsigned int n = vt_test_extra_qps(s->ops, &s->p), i;
	struct vt_ep ep;
	json_object *m;
	int ret;

	for (i = 0; i <= n; i++) {
		ret = recv_msg(s, &m, s->cfg->timeout_ms);
		if (ret)
			return ret;
		ret = strcmp(vt_msg_type(m), "ep") ?
			      -EPROTO :
			      vt_ep_from_json(m, i ? &s->xremote[i - 1] :
						     &s->remote);
		json_object_put(m);
		if (ret) {
			snprintf(s->err, sizeof(s->err), "malformed endpoint");
			return reply_error(s, ret);
		}
	}
	vt_res_local_ep(&s->res, &ep);
	ret = send_msg(s, vt_ep_to_json(&ep));
	for (i = 0; !ret && i < s->nx; i++) {
		vt_res_local_ep(&s->xres[i], &ep);
		ret = send_msg(s, vt_ep_to_json(&ep));
	}
	if (ret)
		return ret;
	if (!s->p.rdma_cm && (ret = vt_res_connect(&s->res, &s->remote))) {
		snprintf(s->err, sizeof(s->err), "%s", s->res.err);
		return ret;
	}
	for (i = 0; i < s->nx; i++)
		if ((ret = vt_res_connect(&s->xres[i], &s->xremote[i]))) {
			snprintf(s->err, sizeof(s->err), "%s", s->xres[i].err);
			return ret;
		}
	return 0;
}

/* After stop: let the receives the client already saw acked complete. */
static void drain(struct vt_run *run, int64_t sent)
{
	uint64_t t0 = vt_clock_now(run->clk);

	while (sent >= 0 && (int64_t)run->received < sent &&
	       vt_clock_ns(run->clk, vt_clock_now(run->clk) - t0) <
		       DRAIN_MS * 1e6)
		if (vt_poll_recv(run) > 0)
			vt_post_recv(run, 1);
}

/*
 * -b: stream at the client as it streams at us, the client's own engine
 * on our side (its messages are taken as they come: rx_too), then say
 * what we sent and in what time: the client's row carries it.
 */
static int stream_back(struct session *s, struct vt_run *run)
{
	uint64_t base = vt_res_sq_posted(&s->res, s->xres, s->nx);
	json_object *m;
	int ret;

	run->iters = run->atomics = 0;
	run->peak_bps = 0;
	run->rx_too = s->ops->two_sided;
	run->peer_ctrl = &s->ctrl; /* heartbeats to the client meanwhile */
	run->next_beat = 0;
	ret = s->ops->client(run);
	run->peer_ctrl = NULL;
	if (ret) {
		snprintf(s->err, sizeof(s->err), "%s", run->err);
		return ret;
	}
	m = vt_msg_new(
		"tx_done", "sent",
		(int64_t)(vt_res_sq_posted(&s->res, s->xres, s->nx) - base));
	json_object_object_add(m, "iters",
			       json_object_new_int64((int64_t)run->iters));
	json_object_object_add(m, "ns",
			       json_object_new_int64((int64_t)vt_clock_ns(
				       run->clk, run->t_end - run->t_start)));
	return send_msg(s, m);
}

static int serve_size(struct session *s, struct vt_run *run, uint64_t size)
{
	json_object *m, *done;
	unsigned int i;
	int ret;

	if (size < 1 || size > s->res.half) {
		snprintf(s->err, sizeof(s->err), "size %llu out of range",
			 (unsigned long long)size);
		return reply_error(s, -EINVAL);
	}
	run->size = size;
	run->received = run->verify_errors = 0;
	for (i = 0; i < run->nsib; i++) { /* -q */
		run->sib[i].size = size;
		memset(vt_res_recv_buf(run->sib[i].res), 0, size);
	}
	run->stopped = false;
	if (vt_test_check_device(s->ops, &s->res, s->err, sizeof(s->err)))
		return reply_error(s, -EOPNOTSUPP);
	memset(vt_res_recv_buf(&s->res), 0, size);
	s->ops->server_prepare(run);
	ret = send_msg(s, vt_msg_new("ready", NULL, 0));
	if (!ret && vt_test_bidir(s->ops, &s->p))
		ret = stream_back(s, run);
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
	json_object_object_add(
		done, "verify_errors",
		json_object_new_int64((int64_t)run->verify_errors));
	return send_msg(s, done);
}

static int serve_sizes_of(struct session *s, struct vt_run *runp);

static int serve_sizes(struct session *s)
{
	struct vt_run run = {
		.res = &s->res,
		.remote = s->remote,
		.p = &s->p,
		.ctrl = &s->ctrl,
		.clk = s->clk,
		.timeout_ms = s->cfg->timeout_ms,
		.abort = s->cfg->stop,
	};
	unsigned int i;
	int ret;

	if (s->nx) {
		run.sib = calloc(s->nx, sizeof(*run.sib));
		if (!run.sib) {
			snprintf(s->err, sizeof(s->err), "out of memory");
			return -ENOMEM;
		}
		run.nsib = s->nx;
	}
	for (i = 0; i < s->nx; i++)
		run.sib[i] = (struct vt_run){
			.res = &s->xres[i],
			.remote = s->xremote[i],
			.p = &s->p,
			.clk = s->clk,
			.timeout_ms = s->cfg->timeout_ms,
			.abort = s->cfg->stop,
		};
	ret = serve_sizes_of(s, &run);
	free(run.sib);
	return ret;
}

static int serve_sizes_of(struct session *s, struct vt_run *runp)
{
	struct vt_run run = *runp;
	json_object *m;
	const char *t;
	unsigned int i;
	int ret;

	for (i = 0; vt_test_needs_recv(s->ops, &s->p) && i <= run.nsib; i++)
		if ((ret = vt_post_recv(i ? &run.sib[i - 1] : &run,
					VT_RX_DEPTH))) {
			snprintf(s->err, sizeof(s->err), "%s",
				 i ? run.sib[i - 1].err : run.err);
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
			ret = serve_size(s, &run,
					 (uint64_t)vt_msg_int(m, "size"));
		else
			snprintf(s->err, sizeof(s->err), "unexpected '%s'", t);
		json_object_put(m);
		if (ret)
			return ret;
	}
}

void vt_session_run(struct session *s)
{
	int ret = open_session(s);

	if (!ret && !s->probe)
		ret = open_extra(s);
	if (!ret && !s->probe)
		ret = exchange(s);
	if (!ret && !s->probe)
		ret = serve_sizes(s);
	if (ret && s->cfg->stop && *s->cfg->stop)
		vfb_info("serve: client %s: stopped", s->ctrl.peer);
	else if (ret)
		vfb_warn("serve: client %s: %s", s->ctrl.peer, s->err);
	else if (!s->probe)
		vfb_info("serve: client %s: %s done", s->ctrl.peer, s->p.test);
	while (s->nx)
		vt_res_close(&s->xres[--s->nx]);
	free(s->xres);
	free(s->xremote);
	vt_res_close(&s->res);
	vt_cm_close(&s->cm);
}
