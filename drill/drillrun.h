/* SPDX-License-Identifier: MIT */
#ifndef DRL_DRILLRUN_H
#define DRL_DRILLRUN_H

/* vfbench drill's own state: run.c drives the events, stream.c the
 * traffic. Not for other commands. */

#include <pthread.h>
#include <stdio.h>

#include "classify.h"
#include "clock.h"
#include "counters.h"
#include "drill.h"
#include "paths.h"
#include "proto.h"
#include "rundir.h"
#include "session.h"

struct drl;

/* One stream of traffic: a bandwidth test or the latency probe beside
 * it, on the target or on a neighbour, session after session. */
struct drl_stream {
	struct drl *d;
	const char *role; /* target, neighbour */
	bool latency;
	char dev[64]; /* the device now (the target's may be re-created) */
	char bdf[32]; /* the target: its VF, by which it is found again */
	struct host_devclass dc;
	char host[256], svc[32], peer[80];
	const struct vt_params *params;
	pthread_t thread;
	void *(*main)(void *); /* NULL: the traffic (tests give their own) */
	/* NULL: host_counters_read (tests give one that blocks) */
	void (*counters)(const struct vfb_fsroot *root, const char *netdev,
			 const char *ibdev, unsigned int port,
			 struct host_counters *c);
	long join_ms; /* how long a stop waits for the thread */
	bool running;
	bool stuck; /* its thread did not stop: left, never started again */
	volatile int stop;
	pthread_mutex_t mu;
	struct vfb_result *rows; /* its intervals, ok ones only */
	size_t n, cap;
	unsigned int session;
	unsigned int fail_session; /* the session that failed */
	struct drl_fail fail;
	struct host_counters before;
	struct vfb_fsroot *root;
	long ifindex;	   /* its netdev's at the last session's start */
	long fail_ifindex; /* ... at the failed session's */
};

struct drl_cfg {
	const char *events, *target, *neighbours;
	struct host_peers peers;
	struct host_outs outs;
	long interval_ms, before, after, hold_ms, timeout, recovery_s;
	long bw_size, lat_size, tx_depth;
	double limit; /* a neighbour's penalty over which it fails */
};

struct drl {
	const struct drl_event *ev[DRL_MAX_EVENTS];
	int nev;
	struct drl_stream st[2 * (DRL_MAX_NEIGH + 1)];
	int nst;
	struct drl_target tgt;
	struct vt_params bw, lat;
	struct vt_client_cfg client;
	struct vt_clock clk;
	struct host_rundir rd;
	double t0; /* the drill's clock: seconds of CLOCK_MONOTONIC */
	volatile bool event_on; /* the event has started: failures count */
	const volatile int *abort;
	const struct drl_cfg *c;
	const void *wait_arg; /* what the running wait's condition reads */
	char wedged[96];      /* an event or repair blocked in the kernel: no
			  * later event runs, this says why */
	int worst;
};

double drl_now_ms(const struct drl *d);
/* The device of PCI function BDF now ("" when none), by sysfs. */
int drl_find_dev(const struct vfb_fsroot *root, const char *bdf, char *dev,
		 size_t len);
/* Start: -EBUSY for a stuck stream. Stop: -ETIMEDOUT when its thread
 * did not return in join_ms (a verbs call blocked in the kernel after a
 * reset): the stream is then stuck, its thread detached and left its
 * state (rows no longer taken, fsroot and lock never freed). */
int drl_stream_start(struct drl_stream *s);
int drl_stream_stop(struct drl_stream *s);
/* An interval's row ROW of stream ARG, from its thread: its counters
 * read (sysfs, outside the stream's lock: a read may block in the
 * kernel), then kept. */
void drl_stream_row(void *arg, const struct vfb_result *row);
/* Ok rows of S that ended after T_MS. */
size_t drl_stream_count(struct drl_stream *s, double t_ms);

/* One event's course, for its rows. */
struct drl_ev_run {
	const struct drl_event *ev;
	struct drl_times tm;
	int perform_ret, wait_ret, restore_ret, mismatches;
	char outcome[256], left[256], config[128];
	char repair[160]; /* the target did not come back: what was done */
	bool blocked;	  /* the event's thread never returned */
};

/* The event's rows: every interval of every stream, a summary a stream;
 * raises d->worst (1: the target did not come back, a neighbour's
 * verdict failed, its configuration differs). */
void drl_rows(struct drl *d, const struct drl_ev_run *er);
/* ER's target did not come back: its driver rebound (drl_repair), in a
 * thread bounded by recovery_s; ER's repair says what was done, and a
 * rebind that blocks in the kernel sets ER's blocked and D's wedged. */
void drl_run_repair(struct drl *d, const struct drl_sys *sys,
		    struct drl_ev_run *er);
int drl_events_run(struct drl *d, struct vfb_fsroot *root);

/* Every event, its rows into the results directory; the exit code. */
int drl_main(struct drl *d, const struct drl_cfg *c, int argc, char **argv);

#endif
