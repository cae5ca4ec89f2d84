/* SPDX-License-Identifier: MIT */
#ifndef VT_PROTO_H
#define VT_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "sizes.h"

/*
 * The messages of a test session, in order:
 *   client -> server  hello  {test, sizes, iters, duration, warmup, ...}
 *   server -> client  ok | error {msg}
 *   both             ep     {qpn, psn, lid, gid, rkey, addr, size, mtu}
 *                    (-q N, a bandwidth test: N of them each way)
 *   per size: client size {size} -> server ready; client runs;
 *             (-b: the server streams too and says tx_done {sent, iters,
 *              ns} when it is through; the client waits for it)
 *             client stop -> server done {received, verify_errors}
 *   client -> server  bye
 * The server needs no per-test flags: everything is in hello.
 */
/* The limits of the parameters, the CLI's and the wire's alike. */
#define VT_ITERS_MAX	  1000000000L
#define VT_WARMUP_MAX	  1000000L
#define VT_DURATION_MAX_S 3600
#define VT_TX_DEPTH_MIN	  2
#define VT_TX_DEPTH_MAX	  8192
#define VT_TCLASS_MAX	  255 /* GRH traffic class (DSCP and ECN) */
#define VT_SL_MAX	  15  /* service level */
#define VT_FLOW_LABEL_MAX 0xfffff
#define VT_QPS_MAX	  16  /* -q: queue pairs of a bandwidth test */
#define VT_INLINE_MAX	  912 /* -I: perftest's limit (ConnectX) */
#define VT_PKEY_INDEX_MAX 0xffff

/* Atomics are 8 bytes, on an 8-byte aligned address. */
#define VT_ATOMIC_BYTES 8

enum vt_atomic {
	VT_ATOMIC_FETCH_ADD,
	VT_ATOMIC_CMP_SWAP,
};

/* "fetch_add" / "cmp_swap", and back (-1: neither). */
const char *vt_atomic_name(enum vt_atomic a);
int vt_atomic_parse(const char *s);

struct vt_params {
	char test[16];
	struct vfb_sizes sizes;
	uint64_t iters;	   /* per size; 0 in duration mode */
	double duration_s; /* per size; 0 in iteration mode */
	uint64_t warmup;   /* iterations before measuring */
	bool rdma_cm;
	bool verify;
	uint32_t tx_depth;     /* outstanding work requests (bandwidth) */
	uint32_t cq_mod;       /* one signaled completion every cq_mod sends */
	enum vt_atomic atomic; /* which atomic the atomic tests post */
	uint32_t post_list; /* streams: work requests per ibv_post_send (1) */
	bool events;	    /* wait for completions on a completion channel */
	bool hugepages;	    /* buffers in huge pages */
	bool bidir;	    /* bandwidth: both sides stream at once (-b) */
	uint32_t qps;	    /* bandwidth: queue pairs, each its own window */
	/* the QPs' address vector: traffic class, service level, flow label
	 * (-1: the device's default) */
	int tclass, sl;
	int32_t flow_label;
	/* -I: bytes a send may carry inline (-1: the test's default, as
	 * perftest's), capped by what the device grants */
	int32_t inline_size;
	/* -x was given: on InfiniBand the QPs route with a GRH (else by LID,
	 * as perftest); RoCE always carries one */
	bool grh;
	uint16_t pkey_index; /* --pkey-index: the QPs' P_Key table entry */
};

struct vt_ep {
	uint32_t qpn, psn, rkey, mtu;
	uint32_t rd_atom; /* RDMA READs and atomics it answers at once */
	uint16_t lid;
	uint8_t gid[16];
	uint64_t addr, size;
};

/* Nothing asked yet: zeros, one WR per post, the device's defaults. */
void vt_params_init(struct vt_params *p);
json_object *vt_params_to_json(const struct vt_params *p);
int vt_params_from_json(json_object *o, struct vt_params *p, char *err,
			size_t errlen);
json_object *vt_ep_to_json(const struct vt_ep *ep);
int vt_ep_from_json(json_object *o, struct vt_ep *ep);

/* A message {"type": TYPE} with one optional integer field. */
json_object *vt_msg_new(const char *type, const char *key, int64_t val);
/* Integer field KEY of MSG, or -1 when missing / not an integer. */
int64_t vt_msg_int(json_object *msg, const char *key);
const char *vt_msg_str(json_object *msg, const char *key);

#endif
