/* SPDX-License-Identifier: MIT */
#ifndef VT_DEVINFO_H
#define VT_DEVINFO_H

#include <stdint.h>

/* What libibverbs reports of one RDMA device, for `vfbench devices`. */
struct vt_gid {
	int index;
	char gid[46];	      /* IPv6 text form */
	const char *type;     /* "IB", "RoCE v1", "RoCE v2" */
	unsigned int ifindex; /* netdev of a RoCE GID, 0 for IB */
};

struct vt_port {
	int num;
	const char *state;	/* ibv_port_state_str() */
	const char *link_layer; /* "InfiniBand", "Ethernet" */
	int active_mtu;		/* bytes */
	int ngids;
	struct vt_gid *gids;
};

struct vt_devinfo {
	char name[64];
	char node_guid[20]; /* "xxxx:xxxx:xxxx:xxxx", as ibv_devinfo */
	char fw_ver[64];
	int nports;
	struct vt_port *ports;
};

/*
 * Query every RDMA device libibverbs sees. Returns the number of devices
 * (0 is not an error) and sets *devs, or a negative errno. A device that
 * cannot be opened is logged, named, and left out.
 */
int vt_devinfo_list(struct vt_devinfo **devs);
void vt_devinfo_free(struct vt_devinfo *devs, int ndevs);

#endif
