/* SPDX-License-Identifier: MIT */
#ifndef VT_RES_H
#define VT_RES_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <infiniband/verbs.h>
#include <rdma/rdma_cma.h>

#include "proto.h"

/*
 * The verbs resources of one connection, acquired in order (device, PD,
 * MR, CQs, RC QP) and released in reverse. The buffer is page aligned and
 * holds two regions of `half` bytes: what we send from, and what the peer
 * writes into (or we receive into).
 */
struct vt_res {
	char dev[64];
	struct ibv_context *ctx;
	bool own_ctx; /* opened here (not borrowed from rdma_cm) */
	struct ibv_pd *pd;
	uint8_t *buf;
	size_t half;
	struct ibv_mr *mr;
	struct ibv_cq *scq, *rcq;
	struct ibv_qp *qp;
	struct rdma_cm_id *cm_id; /* rdma_cm mode: the QP belongs to it */
	uint32_t max_inline; /* inline bytes: asked, capped by the device */
	uint32_t tx_depth, rx_depth;
	uint8_t port;
	int gid_index;
	bool grh; /* the address vector carries a GRH */
	uint16_t pkey_index;
	union ibv_gid gid;
	uint16_t lid;
	uint32_t mtu;	  /* active MTU of the port, bytes */
	uint64_t max_msg; /* largest message the port allows */
	/* READs and atomics in flight the device allows: answered for the
	 * peer (responder resources), issued by us (initiator depth) */
	uint32_t rd_resp, rd_init;
	bool atomics;			  /* the device executes atomics */
	struct ibv_comp_channel *channel; /* --events: the CQs report here */
	/* --events: sleep until a completion event or TIMEOUT_MS; 1 event
	 * (acknowledged), 0 timeout, -errno. NULL: the loops poll. */
	int (*cq_wait)(struct vt_res *r, int timeout_ms);
	bool huge; /* the buffer is huge pages (munmap it) */
	size_t buf_len;
	int tclass, sl; /* asked for (-1: default) */
	int32_t flow_label;
	/* the QP's address vector as the device holds it after connecting
	 * (ibv_query_qp): what the traffic carries; -1 not known */
	int av_tclass, av_sl;
	int32_t av_flow_label;
	uint32_t psn;
	/* send queue accounting: WR ids count up; a completion of id N
	 * retires every WR up to N (the QP is RC, completions are in order) */
	uint64_t sq_posted, sq_done, rq_posted;
	uint64_t sq_last_sig; /* id of the last signaled WR */
	char err[256];	      /* why the last call failed, naming the device */
};

struct vt_res_attr {
	const char *dev;	 /* device name; NULL with ctx */
	struct ibv_context *ctx; /* borrow this context (rdma_cm) */
	struct rdma_cm_id *cm_id;
	uint8_t port;
	int gid_index; /* -1: pick (RoCE v2, IPv4-mapped, PREFER_IP) */
	const char *prefer_ip;
	uint64_t max_size;
	uint32_t tx_depth, rx_depth;
	int tclass, sl; /* address vector: -1 the defaults */
	int32_t flow_label;
	bool hugepages;	      /* buffer in huge pages */
	bool events;	      /* CQs on a completion channel */
	uint32_t inline_size; /* asked; the device may grant less */
	bool grh;	      /* InfiniBand: route with a GRH (RoCE: always) */
	uint16_t pkey_index;
};

int vt_res_open(struct vt_res *r, const struct vt_res_attr *a);
void vt_res_close(struct vt_res *r);
/* The access the region and the QP grant the peer (res.c). */
int vt_res_access(const struct vt_res *r);
/* Fill R's error text and give CODE: a failure named once, in r->err. */
#define VT_RES_FAIL(r, code, ...)                                              \
	(snprintf((r)->err, sizeof((r)->err), __VA_ARGS__), (code))

/* The QP's way to RTS (qp.c). OOB mode: INIT -> RTR -> RTS against
 * REMOTE. */
int vt_res_connect(struct vt_res *r, const struct vt_ep *remote);
/* The INIT and RTR attributes and masks vt_res_connect asks for
 * (unit-testable). The address vector has a GRH when r->grh. */
int vt_res_init_attr(const struct vt_res *r, struct ibv_qp_attr *init);
int vt_res_rtr_attr(const struct vt_res *r, const struct vt_ep *remote,
		    struct ibv_qp_attr *rtr);
/* Read the connected QP's address vector back into r->av_*. */
void vt_res_read_av(struct vt_res *r);
void vt_res_local_ep(const struct vt_res *r, struct vt_ep *ep);

static inline uint8_t *vt_res_send_buf(const struct vt_res *r)
{
	return r->buf;
}

static inline uint8_t *vt_res_recv_buf(const struct vt_res *r)
{
	return r->buf + r->half;
}

/* The entry of TAB (N of them) on PORT a connection should source from:
 * RoCE v2 over v1, IPv4-mapped, and above all the GID of PREFER_IP (the
 * address the traffic leaves from; NULL: none). -1: none on PORT. Pure. */
int vt_gid_pick(const struct ibv_gid_entry *tab, size_t n, uint8_t port,
		const char *prefer_ip);
/* Names of the RDMA devices present, comma separated, into BUF. */
void vt_device_names(char *buf, size_t len);
/* The device and GID index whose GID carries IP (IPv4 or IPv6 text). */
int vt_device_by_ip(const char *ip, char *dev, size_t devlen, int *gid_index);

/* WRs posted on the send queues of FIRST and of the N in MORE (-q: every
 * QP of a session). */
uint64_t vt_res_sq_posted(const struct vt_res *first, const struct vt_res *more,
			  unsigned int n);

#endif
