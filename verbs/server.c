/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cm.h"
#include "ctrl.h"
#include "log.h"
#include "res.h"
#include "session.h"
#include "test.h"

#define DRAIN_MS 2000

struct server;

struct session {
	struct server *srv;
	const struct vt_server_cfg *cfg;
	const struct vt_clock *clk;
	struct vt_ctrl ctrl;
	struct vt_params p;
	const struct vt_test_ops *ops;
	struct vt_res res;
	struct vt_cm cm;
	struct vt_ep remote;
	struct vt_res_attr
		attr;	     /* what the first QP's resources were made with */
	struct vt_res *xres; /* -q: the other QPs */
	struct vt_ep *xremote;
	unsigned int nx;
	bool counted; /* a test session (a probe is not) */
	bool probe;
	char err[256];
};

/*
 * The server: one thread per session, at most cfg->max_concurrent at
 * once, so a dead or slow session never holds up a live one. The
 * registry lets a stop shut every session's control channel at once.
 */
struct server {
	const struct vt_server_cfg *cfg;
	const struct vt_clock *clk;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct session *active[VT_SESSIONS_CAP];
	int nactive;
	long served;		 /* test sessions finished */
	pthread_mutex_t cm_lock; /* one rdma_cm listen on the port at a time */
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
	if (ret)
		return reply_error(s, ret);
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
	a.max_size = vfb_sizes_max(&s->p.sizes);
	if (vt_pin_check(a.max_size, 1 + vt_test_extra_qps(s->ops, &s->p),
			 s->err, sizeof(s->err)))
		return reply_error(s, -ENOMEM);
	a.tx_depth = s->p.tx_depth;
	a.tclass = s->p.tclass;
	a.sl = s->p.sl;
	a.flow_label = s->p.flow_label;
	a.hugepages = s->p.hugepages;
	a.events = s->p.events;
	a.inline_size = vt_test_inline(s->ops, &s->p);
	a.grh = s->p.grh;
	a.pkey_index = s->p.pkey_index;
	a.prefer_ip = s->ctrl.local_ip;
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

static void session_run(struct session *s)
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

static void *session_thread(void *arg)
{
	struct session *s = arg;
	struct server *srv = s->srv;
	int i;

	session_run(s);
	pthread_mutex_lock(&srv->lock);
	for (i = 0; i < srv->nactive && srv->active[i] != s; i++)
		;
	srv->active[i] = srv->active[--srv->nactive];
	srv->served += s->counted;
	vt_ctrl_close(&s->ctrl);
	pthread_cond_broadcast(&srv->changed);
	pthread_mutex_unlock(&srv->lock);
	free(s);
	return NULL;
}

/* Over the limit: say so to the client, and close. */
static void refuse_busy(struct server *srv, struct vt_ctrl *c)
{
	json_object *m = vt_msg_new("error", NULL, 0);
	char why[128];

	snprintf(why, sizeof(why),
		 "server busy: %d sessions running "
		 "(its --max-sessions)",
		 srv->cfg->max_concurrent);
	json_object_object_add(m, "msg", json_object_new_string(why));
	vt_ctrl_send(c, m);
	json_object_put(m);
	vfb_warn("serve: client %s: refused, %d sessions running", c->peer,
		 srv->cfg->max_concurrent);
	vt_ctrl_close(c);
}

static int start_session(struct server *srv, struct vt_ctrl *c)
{
	struct session *s;
	pthread_attr_t at;
	pthread_t th;
	int ret;

	pthread_mutex_lock(&srv->lock);
	if (srv->nactive >= srv->cfg->max_concurrent) {
		pthread_mutex_unlock(&srv->lock);
		refuse_busy(srv, c);
		return 0;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		pthread_mutex_unlock(&srv->lock);
		vt_ctrl_close(c);
		return -ENOMEM;
	}
	*s = (struct session){
		.srv = srv, .cfg = srv->cfg, .clk = srv->clk, .ctrl = *c
	};
	s->ctrl.timeout_ms = srv->cfg->timeout_ms;
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	ret = pthread_create(&th, &at, session_thread, s);
	pthread_attr_destroy(&at);
	if (ret) {
		pthread_mutex_unlock(&srv->lock);
		vt_ctrl_close(&s->ctrl);
		free(s);
		return -ret;
	}
	srv->active[srv->nactive++] = s;
	pthread_mutex_unlock(&srv->lock);
	return 0;
}

static bool keep_serving(struct server *srv)
{
	bool more;

	if (srv->cfg->stop && *srv->cfg->stop)
		return false;
	pthread_mutex_lock(&srv->lock);
	more = srv->cfg->max_sessions <= 0 ||
	       srv->served < srv->cfg->max_sessions;
	pthread_mutex_unlock(&srv->lock);
	return more;
}

/* End: on a stop, cut every session's control channel (their tests see
 * the stop flag too); either way, wait for the sessions to finish. */
static void drain_sessions(struct server *srv)
{
	bool stop = srv->cfg->stop && *srv->cfg->stop;
	int i;

	pthread_mutex_lock(&srv->lock);
	if (stop)
		for (i = 0; i < srv->nactive; i++)
			shutdown(srv->active[i]->ctrl.fd, SHUT_RDWR);
	while (srv->nactive)
		pthread_cond_wait(&srv->changed, &srv->lock);
	pthread_mutex_unlock(&srv->lock);
}

int vt_serve(const struct vt_server_cfg *cfg, const struct vt_clock *clk,
	     char *err, size_t errlen)
{
	static struct server srv;
	struct vt_ctrl c;
	int lfd, ret;

	srv = (struct server){ .cfg = cfg, .clk = clk };
	pthread_mutex_init(&srv.lock, NULL);
	pthread_mutex_init(&srv.cm_lock, NULL);
	pthread_cond_init(&srv.changed, NULL);
	lfd = vt_ctrl_listen(cfg->bind, cfg->svc);
	if (lfd < 0) {
		snprintf(err, errlen, "listen on %s:%s: %s",
			 cfg->bind ? cfg->bind : "*", cfg->svc, strerror(-lfd));
		return lfd;
	}
	vfb_info("serve: listening on %s:%s (at most %d sessions at once, "
		 "messages up to %llu B)",
		 cfg->bind ? cfg->bind : "*", cfg->svc, cfg->max_concurrent,
		 (unsigned long long)cfg->max_size);
	while (keep_serving(&srv)) {
		ret = vt_ctrl_accept(lfd, &c, 200);
		if (ret == -ETIMEDOUT || ret == -EINTR)
			continue;
		if (ret) {
			vfb_warn("serve: accept: %s", strerror(-ret));
			continue;
		}
		ret = start_session(&srv, &c);
		if (ret)
			vfb_warn("serve: client %s: %s", c.peer,
				 strerror(-ret));
	}
	close(lfd);
	drain_sessions(&srv);
	return 0;
}
