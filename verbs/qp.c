/* SPDX-License-Identifier: MIT */
/* A QP's way to RTS with its peer: INIT, RTR (the address vector), RTS,
 * and the endpoint the peer needs for it. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "res.h"

void vt_res_local_ep(const struct vt_res *r, struct vt_ep *ep)
{
	memset(ep, 0, sizeof(*ep));
	ep->qpn = r->qp->qp_num;
	ep->psn = r->psn;
	ep->lid = r->lid;
	memcpy(ep->gid, r->gid.raw, 16);
	ep->rkey = r->mr->rkey;
	ep->addr = (uintptr_t)vt_res_recv_buf(r);
	ep->size = r->half;
	ep->mtu = r->mtu;
	ep->rd_atom = r->rd_resp;
}

static enum ibv_mtu mtu_enum(uint32_t bytes)
{
	switch (bytes) {
	case 256:
		return IBV_MTU_256;
	case 512:
		return IBV_MTU_512;
	case 1024:
		return IBV_MTU_1024;
	case 2048:
		return IBV_MTU_2048;
	default:
		return IBV_MTU_4096;
	}
}

int vt_res_rtr_attr(const struct vt_res *r, const struct vt_ep *remote,
		    struct ibv_qp_attr *rtr)
{
	*rtr = (struct ibv_qp_attr){
		.qp_state = IBV_QPS_RTR,
		.path_mtu = mtu_enum(r->mtu < remote->mtu ? r->mtu : remote->mtu),
		.dest_qp_num = remote->qpn,
		.rq_psn = remote->psn,
		.max_dest_rd_atomic = (uint8_t)r->rd_resp,
		.min_rnr_timer = 12,
		.ah_attr = {
			.is_global = r->grh,
			.dlid = remote->lid,
			.sl = (uint8_t)(r->sl >= 0 ? r->sl : 0),
			.port_num = r->port,
			.grh = {
				.sgid_index = (uint8_t)r->gid_index,
				.hop_limit = 64,
				.traffic_class = (uint8_t)(r->tclass >= 0 ? r->tclass : 0),
				.flow_label = (uint32_t)(r->flow_label >= 0 ?
							 r->flow_label : 0),
			},
		},
	};
	memcpy(rtr->ah_attr.grh.dgid.raw, remote->gid, 16);
	return IBV_QP_STATE | IBV_QP_AV | IBV_QP_PATH_MTU | IBV_QP_DEST_QPN |
	       IBV_QP_RQ_PSN | IBV_QP_MAX_DEST_RD_ATOMIC | IBV_QP_MIN_RNR_TIMER;
}

void vt_res_read_av(struct vt_res *r)
{
	struct ibv_qp_attr a;
	struct ibv_qp_init_attr ia;

	if (ibv_query_qp(r->qp, &a, IBV_QP_AV, &ia))
		return; /* not known: the row says nothing */
	r->av_sl = a.ah_attr.sl;
	if (a.ah_attr.is_global) {
		r->av_tclass = a.ah_attr.grh.traffic_class;
		r->av_flow_label = (int32_t)a.ah_attr.grh.flow_label;
	}
}

int vt_res_init_attr(const struct vt_res *r, struct ibv_qp_attr *init)
{
	*init = (struct ibv_qp_attr){
		.qp_state = IBV_QPS_INIT,
		.pkey_index = r->pkey_index,
		.port_num = r->port,
		.qp_access_flags = (unsigned int)vt_res_access(r),
	};
	return IBV_QP_STATE | IBV_QP_PKEY_INDEX | IBV_QP_PORT |
	       IBV_QP_ACCESS_FLAGS;
}

int vt_res_connect(struct vt_res *r, const struct vt_ep *remote)
{
	struct ibv_qp_attr init;
	int init_mask = vt_res_init_attr(r, &init);
	struct ibv_qp_attr rtr;
	int rtr_mask = vt_res_rtr_attr(r, remote, &rtr);
	struct ibv_qp_attr rts = {
		.qp_state = IBV_QPS_RTS,
		.timeout = 14, /* 4.096 us * 2^14 = 67 ms per try */
		.retry_cnt = 7,
		.rnr_retry = 7, /* 7: retry RNR for ever */
		.sq_psn = r->psn,
		.max_rd_atomic = (uint8_t)(r->rd_init < remote->rd_atom ?
						   r->rd_init :
						   remote->rd_atom),
	};

	if (ibv_modify_qp(r->qp, &init, init_mask))
		return VT_RES_FAIL(r, -errno, "%s: QP to INIT: %s", r->dev,
				   strerror(errno));
	if (ibv_modify_qp(r->qp, &rtr, rtr_mask))
		return VT_RES_FAIL(r, -errno, "%s: QP to RTR: %s", r->dev,
				   strerror(errno));
	if (ibv_modify_qp(r->qp, &rts,
			  IBV_QP_STATE | IBV_QP_TIMEOUT | IBV_QP_RETRY_CNT |
				  IBV_QP_RNR_RETRY | IBV_QP_SQ_PSN |
				  IBV_QP_MAX_QP_RD_ATOMIC))
		return VT_RES_FAIL(r, -errno, "%s: QP to RTS: %s", r->dev,
				   strerror(errno));
	vt_res_read_av(r);
	return 0;
}
