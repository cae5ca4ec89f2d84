/* SPDX-License-Identifier: MIT */
#ifndef VT_SESSION_H
#define VT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "proto.h"
#include "result.h"

/* The active side of one test over every size, on one connection. */
struct vt_client_cfg {
	const char *dev;
	uint8_t port;
	int gid_index;		   /* -1: automatic */
	const char *host;	   /* peer */
	const char *svc;	   /* peer's port */
	int timeout_ms;		   /* connect, handshake, and peer silence */
	const volatile int *abort; /* set (by a signal handler) to stop now */
	/* --until-stable (latency tests): stop when the 95% CI of the median
	 * is within stable_rel of it (0: off), or at either cap */
	double stable_rel;
	uint64_t stable_max_iters;
	double stable_max_s;
	/* latency sizes measured sample by sample: every sample, in order
	 * (microseconds), before the row; NULL: not wanted */
	void (*samples_fn)(void *arg, const struct vfb_result *row,
			   const double *us, size_t n);
	/* called with the row's ARG as each measurement is about to start,
	 * the peer ready (vfbench share: a barrier across devices); a
	 * negative errno stops the test */
	int (*start_fn)(void *arg);
};

/* Called once per finished size, error rows included. */
typedef void (*vt_row_fn)(void *arg, const struct vfb_result *row);

/*
 * Run test P->test for every size in P->sizes. Returns 0 when every size
 * measured; otherwise a negative errno with ERR set (the rows already
 * delivered stay delivered; sizes not reached come as error rows).
 * Exit-code classes: -ENODEV/-EMSGSIZE/-ENOMEM (device), -EHOSTUNREACH,
 * -ECONNREFUSED, -ETIMEDOUT (peer), -EPROTO/-EPROTONOSUPPORT (protocol).
 */
int vt_client_run(const struct vt_client_cfg *cfg, const struct vt_params *p,
		  const struct vt_clock *clk, vt_row_fn row, void *arg,
		  char *err, size_t errlen);

/*
 * The passive side: sessions served concurrently, a thread each. A client
 * silent for timeout_ms (no message, no heartbeat) is dropped; a stop
 * ends every session at once. Each session pins at most 2 * max_size
 * bytes of buffer per QP (-q: QPs x 2 x max_size) plus its queues,
 * checked against RLIMIT_MEMLOCK before anything is registered.
 */
#define VT_SESSIONS_CAP 1024 /* max_concurrent, at most */

struct vt_server_cfg {
	const char *bind; /* NULL: every address, IPv6 and IPv4 */
	const char *svc;
	int timeout_ms;	   /* handshake and peer silence */
	long max_sessions; /* exit after this many test sessions; <= 0: never */
	int max_concurrent; /* sessions at once (more are refused: busy) */
	uint64_t max_size;  /* largest message a client may ask for */
	volatile int *stop; /* set by a signal handler to end */
};

/* Preflight: does a vfbench server of our protocol answer at HOST:SVC?
 * Not a session. 0, or a negative errno with ERR set. */
int vt_probe(const char *host, const char *svc, int timeout_ms, char *err,
	     size_t errlen);

int vt_serve(const struct vt_server_cfg *cfg, const struct vt_clock *clk,
	     char *err, size_t errlen);

#endif
