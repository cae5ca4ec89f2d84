/* SPDX-License-Identifier: MIT */
#ifndef VT_CLIENT_H
#define VT_CLIENT_H

#include <stddef.h>

#include "cm.h"
#include "ctrl.h"
#include "res.h"
#include "session.h"
#include "test.h"

/* The active side inside verbs/: its connection to the peer
 * (client_connect.c) and its measurement of each size (client.c). */
struct client {
	const struct vt_client_cfg *cfg;
	const struct vt_params *p;
	const struct vt_test_ops *ops;
	const struct vt_clock *clk;
	struct vt_ctrl ctrl;
	struct vt_res res;
	struct vt_cm cm;
	struct vt_ep remote;
	/* -q: the other QPs, each its own resources, and their peers */
	struct vt_res *xres;
	struct vt_ep *xremote;
	unsigned int nx;
	struct vt_res_attr attr;
	char *err;
	size_t errlen;
	void *arg; /* the caller's, for its callbacks */
};

/* Say what failed in c->err; give RET. */
int vt_client_fail(struct client *c, int ret, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The peer's next message, which must be of TYPE (an error names it). */
int vt_client_expect(struct client *c, const char *type, json_object **msg);
/* Send M (and free it). */
int vt_client_send(struct client *c, json_object *m);
/* hello -> ok, resources, endpoint exchange, QPs connected, receives
 * posted: ready for the first size. */
int vt_client_handshake(struct client *c);

#endif
