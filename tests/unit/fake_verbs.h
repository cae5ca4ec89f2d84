/* SPDX-License-Identifier: MIT */
/*
 * A recording fake provider for the engine tests: a struct ibv_context
 * whose ops count posts, signaled and inline flags and polls, and
 * complete every work request at once (or, with hold_reads, only at the
 * hold_reads-th clock read after the post: a wait long enough to spin).
 * With a log it records, in order, the clock reads, posts, answers,
 * control-channel polls (syscalls) and payload touches of a run.
 */
#ifndef VFB_TEST_FAKE_VERBS_H
#define VFB_TEST_FAKE_VERBS_H

#include <stdbool.h>
#include <stdint.h>

#include "test.h"

#define FAKE_SIG_MAX 4096

struct fake {
	struct ibv_context ctx;
	struct ibv_qp qp;
	struct ibv_cq scq, rcq;
	struct ibv_mr mr;
	struct vt_res res;
	struct vt_clock clk;
	struct vt_params p;
	/* what the code asked for */
	uint64_t posts, signaled, inlined, scq_polls, scq_polls_in_sample;
	uint64_t rcq_polls, stamps, max_outstanding, overflows, rnr;
	uint64_t post_calls, max_list;
	enum ibv_wr_opcode want_op; /* what the engine says it posts */
	uint64_t wrong_op;	    /* posts of anything else */
	bool corrupt;		    /* the fake returns a wrong READ/atomic */
	/* --events: completions show only after an armed CQ's event */
	bool defer, armed_scq, armed_rcq, released_scq, released_rcq;
	uint64_t arms, waits;
	/* the fake device's state */
	uint64_t sig_ids[FAKE_SIG_MAX], nsig; /* signaled, not yet polled */
	uint64_t retired;		      /* last id polled */
	uint64_t recvs_posted, recvs_used, recv_cqes;
	bool in_sample; /* between the two stamps of a ping-pong sample */
	uint64_t
		peer_stop; /* server mode: the peer goes quiet after this many */
	bool peer;	   /* server mode: each post brings the next ping */
	int abort;
	/* hold_reads > 0: an answer (completion, last byte) shows only at the
	 * hold_reads-th clock read after its post; each read advances the
	 * clock by step ticks (0: 1000) */
	unsigned int hold_reads, held;
	uint64_t step, now;
	uint8_t *held_byte, held_val;
	/* log: the events of a run in order (NULL: not kept) */
	struct fake_event *log;
	size_t nlog, log_cap;
	struct vt_run *run; /* whose verify_errors count as a touch */
	uint64_t sum_send, sum_recv, seen_errors; /* the payload as last seen */
	struct vt_ctrl ctrl; /* its liveness polls are logged, answer 0 */
	int ctrl_peer;	     /* the other end (heartbeats land there) */
};

enum fake_ev {
	FAKE_EV_CLOCK,	 /* a clock read */
	FAKE_EV_POST,	 /* a work request posted */
	FAKE_EV_ANSWER,	 /* an answer became visible */
	FAKE_EV_SYSCALL, /* a poll() of the control channel */
	FAKE_EV_TOUCH,	 /* the payload was written or checked since the
			  * last event (not by the fake) */
};

struct fake_event {
	enum fake_ev ev;
};

/* The fake of the tests (the event hooks that get no context use it). */
extern struct fake *F;

void fake_init(struct fake *f, uint64_t size, uint32_t tx_depth,
	       uint32_t cq_mod, uint64_t iters, uint64_t warmup);
void fake_run(struct fake *f, struct vt_run *run, uint64_t size,
	      double *samples);
int fake_cq_wait(struct vt_res *r, int timeout_ms);
/* Keep the log of RUN's events (CAP of them); the control channel's
 * liveness polls are logged and answer "nothing". */
void fake_log(struct fake *f, struct vt_run *run, size_t cap);
/* Free what fake_init and fake_log took. */
void fake_free(struct fake *f);

/* The registry's engines of one kind: every engine is tested by what it
 * declares, none by name. */
bool is_pingpong(const struct vt_test_ops *o);
bool is_round_trip(const struct vt_test_ops *o);
bool is_stream(const struct vt_test_ops *o);
size_t engines(bool (*kind)(const struct vt_test_ops *),
	       const struct vt_test_ops **out);
uint64_t engine_size(const struct vt_test_ops *ops, uint64_t want);

/* test_sample.c's and test_ask.c's suites, registered with
 * test_engine's. */
int test_sample_register(void);
int test_ask_register(void);

#endif
