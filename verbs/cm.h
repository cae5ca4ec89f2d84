/* SPDX-License-Identifier: MIT */
#ifndef VT_CM_H
#define VT_CM_H

#include <rdma/rdma_cma.h>

#include "res.h"

/*
 * rdma_cm connection setup (--rdma-cm): the QP is created on the cm_id and
 * connected by rdma_connect/rdma_accept; the verbs context is rdma_cm's.
 * The rdma_cm port is the control channel's port number (its port space
 * is rdma_cm's own, not the kernel's TCP ports).
 */
struct vt_cm {
	struct rdma_event_channel *ch;
	struct rdma_cm_id *listen_id; /* server */
	struct rdma_cm_id *id;	      /* the connection */
	int timeout_ms;
};

/* Resolve, open RES on the resolved device (must be ATTR->dev), connect. */
int vt_cm_connect(struct vt_cm *cm, const char *src_ip, const char *dst_ip,
		  const char *port, struct vt_res *res,
		  const struct vt_res_attr *attr, char *err, size_t errlen);
int vt_cm_listen(struct vt_cm *cm, const char *ip, const char *port, char *err,
		 size_t errlen);
/* Take one connect request, open RES on its device, accept. */
int vt_cm_accept(struct vt_cm *cm, struct vt_res *res,
		 const struct vt_res_attr *attr, char *err, size_t errlen);
/* Call after vt_res_close() (the QP goes first). */
void vt_cm_close(struct vt_cm *cm);

/* The IPv4/IPv6 address of DEV's chosen GID (for rdma_cm's source). */
int vt_device_ip(const char *dev, uint8_t port, char *ip, size_t len);

#endif
