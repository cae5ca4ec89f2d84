/* SPDX-License-Identifier: MIT */
#ifndef VT_TEST_H
#define VT_TEST_H

#include <stdbool.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"
#include "ctrl.h"
#include "proto.h"
#include "res.h"
#include "stats.h"

/* Receives each side keeps posted for SEND-based tests. */
#define VT_RX_DEPTH 512

/* One (test, message size) run on a connected QP: inputs and outputs. */
struct vt_run {
	struct vt_res *res;
	struct vt_ep remote;
	const struct vt_params *p;
	struct vt_ctrl *ctrl;
	const struct vt_clock *clk;
	uint64_t size;
	int timeout_ms;          /* no progress for this long: the peer is gone */
	uint64_t next_check;     /* spin checks: at most one per millisecond */
	uint64_t next_beat;      /* client: next heartbeat on the control channel */
	uint32_t sig_every;      /* one send signaled in this many (set by the loop) */
	const volatile int *abort; /* client: interrupted (SIGINT/SIGTERM) */
	struct vt_ctrl *peer_ctrl; /* client: its control channel, watched for EOF */
	unsigned int reposts_due; /* receives consumed, not yet posted again */
	/* outputs */
	uint64_t iters;          /* measured iterations */
	double *samples;         /* iteration mode: half round trips, ns */
	struct vfb_hist *hist;   /* duration mode */
	uint64_t t_start, t_end; /* measured interval, clock ticks */
	double peak_bps;
	uint64_t received;       /* messages received (two-sided tests) */
	uint64_t verify_errors;
	bool inlined;            /* sends carried their payload inline */
	bool stopped;            /* server: the client said stop */
	json_object *stop_msg;   /* server: that stop message (caller frees) */
	char err[256];
};

/*
 * A test engine: the active side (client) measures, the passive side
 * (server) reflects or sinks until the client says stop. Engines return
 * 0 or a negative errno with run->err naming what failed.
 */
struct vt_test_ops {
	const char *name;
	bool latency;   /* ping-pong, latency statistics; else bandwidth */
	bool two_sided; /* SEND/RECV: the receiver must post receives */
	/* how --verify checks payloads, recorded in the row: the data is
	 * only read once a completion (or the stop after one) says it landed */
	const char *verify_method;
	bool recv_on_verify; /* --verify needs receives posted (WRITE with imm) */
	int (*client)(struct vt_run *run);
	int (*server)(struct vt_run *run);
};

extern const struct vt_test_ops vt_write_lat_ops;
extern const struct vt_test_ops vt_send_lat_ops;
extern const struct vt_test_ops vt_write_bw_ops;
extern const struct vt_test_ops vt_send_bw_ops;

const struct vt_test_ops *vt_test_find(const char *name);
/* "write_lat, send_lat, ..." into BUF. */
void vt_test_names(char *buf, size_t len);

/* Receives must be posted on both sides for this test and these params. */
static inline bool vt_test_needs_recv(const struct vt_test_ops *ops,
				      const struct vt_params *p)
{
	return ops->two_sided || (p->verify && ops->recv_on_verify);
}

/*
 * Shared by the engines (post.c). A WR is signaled when the caller asks,
 * or when otherwise tx_depth WRs would be outstanding with none signaled
 * (the send queue could never drain). Never anything else.
 */
int vt_post_write(struct vt_run *run, bool signaled);
int vt_post_write_imm(struct vt_run *run, bool signaled);
int vt_post_send(struct vt_run *run, bool signaled);
int vt_post_recv(struct vt_run *run, unsigned int n);
/* Reap send completions; BLOCK: until at least one. 0 or -errno. */
int vt_reap_send(struct vt_run *run, bool block);
/* Poll one receive completion: 1 got one, 0 none yet, < 0 error. */
int vt_poll_recv(struct vt_run *run);
/* Wait for one receive completion (spin checks included); the receive
 * is counted in reposts_due for the loop to post again. */
int vt_wait_recv(struct vt_run *run);
/* Polling loops call vt_spin_check once every VT_SPIN_EVERY empty polls. */
#define VT_SPIN_EVERY 256

/*
 * Periodic check while spinning: peer timeout, stop (server), errors.
 * *SINCE is 0 until the first check, which starts the silence clock: a
 * wait that ends before it reads no clock (no cost inside a sample).
 */
int vt_spin_check(struct vt_run *run, uint64_t *since);
/* Client: a heartbeat on the control channel once a second, so the
 * server can tell a silent (frozen, vanished) client. Reads the clock. */
#define VT_HEARTBEAT_MS 1000
int vt_heartbeat(struct vt_run *run, uint64_t now);
/* The measurement is over after I iterations begun at T0, now NOW. */
bool vt_run_over(const struct vt_run *run, uint64_t i, uint64_t t0,
		 uint64_t now);
void vt_record(struct vt_run *run, uint64_t i, double ns);
void vt_pattern_fill(uint8_t *buf, uint64_t size, uint8_t seq);
uint64_t vt_pattern_check(const uint8_t *buf, uint64_t size, uint8_t seq);
/* Sequence byte of iteration I: 1..255, never 0 (cleared memory). */
static inline uint8_t vt_seq(uint64_t i)
{
	return (uint8_t)(i % 255 + 1);
}

static inline void vt_sleep_ms(unsigned int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000,
			       .tv_nsec = (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static inline int vt_interrupted(struct vt_run *run)
{
	snprintf(run->err, sizeof(run->err), "interrupted");
	return -EINTR;
}

/*
 * Ping-pongs signal one send in VT_PP_SIGNAL_EVERY (in tx_depth when the
 * send queue is shorter) and reap it between samples, never inside one.
 */
#define VT_PP_SIGNAL_EVERY 16

static inline bool vt_pp_signaled(const struct vt_run *run, uint64_t i)
{
	return i % run->sig_every == run->sig_every - 1;
}

/* The ping-pong and streaming loops the four engines share. */
typedef int (*vt_step_fn)(struct vt_run *run, uint64_t i);
int vt_pingpong(struct vt_run *run, vt_step_fn post, vt_step_fn wait);
int vt_reflect(struct vt_run *run, vt_step_fn wait, vt_step_fn post);
int vt_stream(struct vt_run *run, bool send_op);

#endif
