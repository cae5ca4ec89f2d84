/* SPDX-License-Identifier: MIT */
#ifndef VT_SERVER_H
#define VT_SERVER_H

#include <pthread.h>
#include <stdbool.h>

#include "cm.h"
#include "ctrl.h"
#include "res.h"
#include "session.h"
#include "test.h"

/* The passive side inside verbs/: the server (server.c) runs each
 * session (server_session.c) on a thread of its own. */
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

/*
 * One session from its first message to bye: hello, the QPs, every size
 * the client asks for; logs how it ended and releases its resources (its
 * control channel stays the caller's to close).
 */
void vt_session_run(struct session *s);

#endif
