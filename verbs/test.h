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
	int timeout_ms;	     /* no progress for this long: the peer is gone */
	uint64_t next_check; /* spin checks: at most one per millisecond */
	uint64_t next_beat;  /* client: next heartbeat on the control channel */
	uint32_t
		sig_every; /* one send signaled in this many (set by the loop) */
	const volatile int *abort; /* client: interrupted (SIGINT/SIGTERM) */
	struct vt_ctrl
		*peer_ctrl; /* client: its control channel, watched for EOF */
	unsigned int reposts_due; /* receives consumed, not yet posted again */
	int64_t back_iters, back_ns; /* client, -b: the server's stream */
	/* round trips: what looks at each answer, between samples */
	int (*rt_check)(struct vt_run *run, uint64_t i);
	/* -q: the other queue pairs of the test, each a run of its own (its
	 * resources, its window); the loops drive them with this one */
	struct vt_run *sib;
	unsigned int nsib;
	bool echo;   /* sends go from the receive region: a --verify
		      * ping-pong's server answers with what it received */
	bool rx_too; /* -b, two-sided: the peer streams at us too:
				  * the stream loops consume its messages */
	/* outputs */
	uint64_t iters;		 /* measured iterations */
	double *samples;	 /* iteration mode: half round trips, ns */
	struct vfb_hist *hist;	 /* duration mode */
	uint64_t t_start, t_end; /* measured interval, clock ticks */
	double peak_bps;
	uint64_t received; /* messages received (two-sided tests) */
	uint64_t verify_errors;
	bool inlined;		 /* sends carried their payload inline */
	uint64_t atomics;	 /* atomics posted in this run */
	struct ibv_send_wr *wrs; /* streams with a post list: its WRs */
	struct ibv_sge *sges;
	unsigned int nwrs;
	enum ibv_wr_opcode opcode; /* what was posted (the last WR) */
	bool posted_any;
	bool stopped;	       /* server: the client said stop */
	json_object *stop_msg; /* server: that stop message (caller frees) */
	char err[256];
};

/*
 * A test engine: the active side (client) measures, the passive side
 * (server) reflects or sinks until the client says stop. Engines return
 * 0 or a negative errno with run->err naming what failed. What an engine
 * is (latency or bandwidth, one- or two-sided, its opcode, how a sample
 * is taken) is declared here; nothing elsewhere parses its name.
 */
struct vt_test_ops {
	const char *name;
	bool latency; /* latency statistics; else bandwidth */
	/* latency: a sample is the whole round trip (READ, atomics: the
	 * requester's completion is the answer), else half of a ping-pong's */
	bool round_trip;
	bool two_sided; /* SEND/RECV: the receiver must post receives */
	enum ibv_wr_opcode opcode; /* the operation measured (--atomic may
				    * turn fetch-and-add into compare-and-swap) */
	uint64_t fixed_size; /* the only message size it has (atomics: 8), 0 */
	/* bytes a send may carry inline unless -I says: perftest's defaults
	 * (220 WRITE latency, 236 SEND latency, 0 for the rest) */
	uint32_t inline_default;
	/* how --verify checks payloads, recorded in the row: the data is
	 * only read once a completion (or the stop after one) says it landed */
	const char *verify_method;
	/* it polls memory for the peer's data, and --verify or --events (which
	 * want a completion to say it arrived) make it WRITE with immediate:
	 * receives must be posted */
	bool recv_on_verify;
	/* Any op may be left out: the registry hands out each engine with
	 * a default for it (vt_test_ops_set), so callers never test for
	 * NULL. A side left out fails with -EOPNOTSUPP, saying so. */
	int (*client)(struct vt_run *run);
	int (*server)(struct vt_run *run);
	/* passive side, before it answers "ready" for a size (default:
	 * nothing): what the client will read must be in place first */
	void (*server_prepare)(struct vt_run *run);
};

/* DST: SRC with the default for each op it leaves out (rdma-core's
 * verbs_set_ops over its dummy ops). */
void vt_test_ops_set(struct vt_test_ops *dst, const struct vt_test_ops *src);

struct vt_client_cfg;
/* The resources the active side asks for (client.c): LOCAL_IP, the
 * control channel's source address, picks the GID. Pure. */
void vt_client_res_attr(const struct vt_client_cfg *cfg,
			const struct vt_params *p,
			const struct vt_test_ops *ops, const char *local_ip,
			struct vt_res_attr *a);

/*
 * Pinned memory (pin.c): every QP of a test has its own buffer of two
 * regions of the largest size, so a side pins QPS x 2 x MAX_SIZE bytes
 * (with -q 16 and 8 MiB, 256 MiB). vt_pin_fits: 0 when that is within
 * LIMIT (RLIM_INFINITY: any; CAN_EXCEED: CAP_IPC_LOCK), else -ENOMEM with
 * ERR saying how much, why and what to do. Pure. vt_pin_check: the same
 * against this process's RLIMIT_MEMLOCK, before anything is registered.
 */
uint64_t vt_pin_bytes(uint64_t max_size, unsigned int qps);
int vt_pin_fits(uint64_t max_size, unsigned int qps, uint64_t limit,
		bool can_exceed, char *err, size_t errlen);
int vt_pin_check(uint64_t max_size, unsigned int qps, char *err, size_t errlen);

/* The registry (tests.c), in the order a run executes the tests: every
 * op filled in (vt_test_ops_set). */
const struct vt_test_ops *const *vt_tests(size_t *n);
const struct vt_test_ops *vt_test_find(const char *name);
/* "write_lat,send_lat,..." into BUF. */
void vt_test_names(char *buf, size_t len);
/* How often an iteration's payload crosses the wire: a ping-pong's goes
 * both ways, a READ's comes back once, a stream's goes once. */
static inline unsigned int vt_test_crossings(const struct vt_test_ops *ops)
{
	return ops->latency && !ops->round_trip ? 2 : 1;
}
/* The sizes test OPS runs for the sizes asked: its fixed size, if any. */
void vt_test_sizes(const struct vt_test_ops *ops, const struct vfb_sizes *asked,
		   struct vfb_sizes *out);
/* The inline size OPS asks the device for with parameters P. */
static inline uint32_t vt_test_inline(const struct vt_test_ops *ops,
				      const struct vt_params *p)
{
	return p->inline_size >= 0 ? (uint32_t)p->inline_size :
				     ops->inline_default;
}
/* The opcode OPS posts with parameters P. */
enum ibv_wr_opcode vt_test_opcode(const struct vt_test_ops *ops,
				  const struct vt_params *p);
/* 0 when device R can run OPS, else -EOPNOTSUPP with ERR saying why. */
int vt_test_check_device(const struct vt_test_ops *ops, const struct vt_res *r,
			 char *err, size_t errlen);
/* The atomic --atomic asks for; whether OP is an atomic. */
enum ibv_wr_opcode vt_atomic_opcode(const struct vt_params *p);
bool vt_opcode_atomic(enum ibv_wr_opcode op);

/* Receives must be posted on both sides for this test and these params. */
static inline bool vt_test_needs_recv(const struct vt_test_ops *ops,
				      const struct vt_params *p)
{
	return ops->two_sided ||
	       ((p->verify || p->events) && ops->recv_on_verify);
}

/*
 * Shared by the engines (post.c). A WR is signaled when the caller asks,
 * or when otherwise tx_depth WRs would be outstanding with none signaled
 * (the send queue could never drain). Never anything else.
 */
int vt_post(struct vt_run *run, enum ibv_wr_opcode op, bool signaled);
/* N WRs of OP in one ibv_post_send (-l): the (K0 + j)-th of the phase is
 * signaled when it is a multiple of MOD, or the last of a LAST list, or
 * when must; they must fit in the send queue. */
int vt_post_list(struct vt_run *run, enum ibv_wr_opcode op, unsigned int n,
		 uint64_t k0, uint32_t mod, bool last);
/*
 * Whether WR ID of a list is signaled: when ASKED (one in cq_mod, the
 * stream's last), when DEPTH would otherwise be outstanding with none
 * signaled, and at a list's end (LIST_END) when the unsignaled tail it
 * leaves after LAST_SIG (the last signaled id) is longer than DEPTH -
 * LIST: a stream's next list of LIST must always find room once every
 * signaled WR has completed. Pure.
 */
bool vt_list_signal(uint32_t depth, uint32_t list, uint64_t id,
		    uint64_t last_sig, bool asked, bool list_end);
const char *vt_opcode_name(enum ibv_wr_opcode op);
int vt_post_recv(struct vt_run *run, unsigned int n);
/* Reap send completions; BLOCK: until at least one. 0 or -errno. */
int vt_reap_send(struct vt_run *run, bool block);
/* Consume every receive completion there is and post as many again. */
int vt_rx_service(struct vt_run *run);
/* -q: how many QPs beyond the first this test uses (bandwidth only). */
static inline unsigned int vt_test_extra_qps(const struct vt_test_ops *ops,
					     const struct vt_params *p)
{
	return !ops->latency && p->qps > 1 ? p->qps - 1 : 0;
}
/* -b: whether this test and these params stream both ways. */
static inline bool vt_test_bidir(const struct vt_test_ops *ops,
				 const struct vt_params *p)
{
	return p->bidir && !ops->latency;
}
/* Poll one receive completion: 1 got one, 0 none yet, < 0 error. */
int vt_poll_recv(struct vt_run *run);
/* Wait for one receive completion (spin checks included); the receive
 * is counted in reposts_due for the loop to post again. */
int vt_wait_recv(struct vt_run *run);
/* --events: a completion wait wakes at least this often for the checks. */
#define VT_EVENT_WAIT_MS 100
/* Polling loops call vt_spin_check once every VT_SPIN_EVERY empty polls. */
#define VT_SPIN_EVERY 256

/*
 * Periodic check while spinning: peer timeout, stop (server), errors.
 * *SINCE is 0 until the first check, which starts the silence clock: a
 * wait that ends before it reads no clock (no cost inside a sample). The
 * liveness checks (a poll() of the control channel each) wait until the
 * wait has lasted VT_LIVE_AFTER_MS by that clock: a short wait, such as
 * any sample of a healthy run, reads the clock and makes no syscall.
 */
#define VT_LIVE_AFTER_MS 1
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

/* The loops the engines share (loops.c). */
typedef int (*vt_step_fn)(struct vt_run *run, uint64_t i);
/* Ping-pong: sample = half of post .. the peer's answer. */
int vt_pingpong(struct vt_run *run, vt_step_fn post, vt_step_fn wait);
int vt_reflect(struct vt_run *run, vt_step_fn wait, vt_step_fn post);
/* Round trip: sample = POST (of one signaled WR) .. its completion;
 * CHECK (optional) looks at what came back, between samples. */
int vt_round_trip(struct vt_run *run, vt_step_fn post, vt_step_fn check);
/* Streaming: tx_depth WRs of OP in flight, one in cq_mod signaled. */
int vt_stream(struct vt_run *run, enum ibv_wr_opcode op);
/* Passive side of one-sided tests: nothing to do until the stop. */
int vt_idle_until_stop(struct vt_run *run);
/* Shared by the READ engines: the region the client reads (--verify). */
void vt_read_prepare(struct vt_run *run);
/* Shared by the atomic engines: idle, then check the word's final value. */
int vt_atomic_server(struct vt_run *run);

#endif
